"""The benchmark pages of ../shared/data, read at run time (never copied into the repo).

Each archive ``<name>.tar.gz`` unpacks once into a cache folder (``$DETECTOR_CACHE`` or
``<repo>/.cache/data``, git-ignored) as ``<name>/html/<id>.html`` plus
``<name>/ground_truth.jsonl``. `load(name)` yields `GoldPage` records in file order.

Where the data lives: ``$DETECTOR_DATA`` or ``../shared/data`` beside the repository (or beside
the current folder). `data_dir()` returns None when it is absent; tests then skip.
"""

from __future__ import annotations

import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATASETS = ("l3s_gn1", "dragnet", "cleaneval", "cleanportaleval", "readability",
            "trafilatura_eval", "wcxb_dev")
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(slots=True)
class GoldPage:
    dataset: str
    id: str
    path: Path  # the raw HTML file in the cache
    url: str | None
    article: str | None  # gold article text (None where the set has only snippets)
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    page_type: str | None = None  # wcxb: article, forum, product, listing, ...
    extra: dict = field(default_factory=dict)  # every other gold field, as given

    def raw(self) -> bytes:
        return self.path.read_bytes()


def data_dir() -> Path | None:
    candidates = [os.environ.get("DETECTOR_DATA"), REPO_ROOT.parent / "shared" / "data",
                  Path.cwd().parent / "shared" / "data"]
    for c in candidates:
        if c and (Path(c) / "README.md").exists():
            return Path(c)
    return None


def cache_dir() -> Path:
    return Path(os.environ.get("DETECTOR_CACHE") or REPO_ROOT / ".cache" / "data")


def unpacked(name: str) -> Path:
    """Folder of one dataset, unpacking its archive on first use. Raises if data is absent."""
    src = data_dir()
    if src is None:
        raise FileNotFoundError("../shared/data is absent (set DETECTOR_DATA to its folder)")
    out = cache_dir()
    done = out / f".{name}.unpacked"
    if not done.exists():
        out.mkdir(parents=True, exist_ok=True)
        with tarfile.open(src / f"{name}.tar.gz") as tar:
            tar.extractall(out, filter="data")
        done.touch()
    return out / name


def load(name: str, limit: int | None = None) -> Iterator[GoldPage]:
    folder = unpacked(name)
    with open(folder / "ground_truth.jsonl", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            d = json.loads(line)
            pid = str(d.pop("id"))
            path = folder / "html" / f"{pid}.html"
            if not path.exists():
                continue
            yield GoldPage(
                dataset=name, id=pid, path=path, url=d.pop("url", None),
                article=d.pop("article_body", None),
                with_snippets=d.pop("with", None) or [],
                without_snippets=d.pop("without", None) or [],
                page_type=d.pop("page_type", None), extra=d,
            )


def l3s_annotated(page_id: str) -> Path:
    """The assessor-labelled copy of an L3S-GN1 page (spans with classes x-nc-sel0..5)."""
    return unpacked("l3s_gn1") / "annotated" / f"{page_id}.html"
