"""A minimal stand-in for `detector.spin.Spinner` (same API), used only when that module is
absent: swaps lower-case content words for the first single-word WordNet synonym."""

from __future__ import annotations

import gzip
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"\b[a-z]{4,}\b")


@dataclass
class Spinner:
    synonyms: dict[str, str]

    @classmethod
    def load(cls, thesaurus_dir: str | Path | None = None) -> Spinner:
        from detector.datasets import data_dir

        folder = Path(thesaurus_dir) if thesaurus_dir else (data_dir() or Path(".")) / "thesaurus"
        syn: dict[str, str] = {}
        with gzip.open(folder / "open_english_wordnet_synonyms.tsv.gz", "rt",
                       encoding="utf-8") as fh:
            for line in fh:
                word, _pos, alts = line.rstrip("\n").split("\t")
                if word.isalpha() and word not in syn:
                    first = next((a for a in alts.split("|") if a.isalpha() and a != word), None)
                    if first:
                        syn[word] = first
        return cls(syn)

    def spin(self, text: str, rate: float, rng: random.Random) -> str:
        def swap(m: re.Match) -> str:
            w = m.group()
            alt = self.synonyms.get(w)
            return alt if alt and rng.random() < rate else w

        return _WORD.sub(swap, text)


@lru_cache(maxsize=1)
def load_spinner() -> object:
    """The project's spinner when present (detector.spin), else this stand-in (loaded once:
    reading the thesauri takes seconds; spinning is pure given its rng)."""
    try:
        from detector.spin import Spinner as Real  # written in the `rules` branch
    except ImportError:
        return Spinner.load()
    return Real.load()
