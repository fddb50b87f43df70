"""Spun text: copies rewritten by synonym spinners ("court docket", "international locations").

Two signals:
- `spun_phrase`: a lexicon of spinner substitutions seen on spun news pages
  (detector/data/spun_phrases.tsv, regexes with the original wording);
- `spun_word_choice`: a statistical signal of unusual word choice per block (see
  detector/rules/wordchoice.py), trained on real article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from detector.page import Block, Evidence, Page
from detector.rules import rule
from detector.rules._util import block_evidence

LEXICON_FILE = Path(__file__).resolve().parents[1] / "data" / "spun_phrases.tsv"
# Distinct lexicon phrases a page needs before it is called spun: one phrase can be a fluke
# (a court docket is a real thing), two different ones are a spinner's habits.
MIN_DISTINCT_PHRASES = 2


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(keyword, pattern, original wording) of every lexicon line."""
    out = []
    for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, original, keyword = line.split("\t")
        out.append((keyword, re.compile(pattern), original.strip()))
    return tuple(out)


def spun_matches(b: Block) -> list[tuple[re.Match[str], str]]:
    """Every lexicon match in one block, with the wording it replaced."""
    lower = b.text.lower()
    return [(m, orig) for kw, pat, orig in lexicon() if kw in lower
            for m in pat.finditer(b.text)]


@rule(severity="strong")
def spun_phrase(page: Page) -> Iterator[Evidence]:
    """Phrases article spinners produce ("court docket" for court, "international locations"
    for countries, "Touch upon this story Remark"); fires on two or more distinct ones.

    Must flag:
        Basketball boom

        When African champions US Monastir step onto the court docket on Friday, fans cheer.

        Lavrov arrived in Khartoum looking for to bolster the 2 international locations' financial ties.
    Must not flag:
        Basketball boom

        The court docket number was entered on Friday, and the two countries signed the deal.
    --
        Basketball boom

        The two countries are seeking to bolster ties, the ministers said in Khartoum on Friday.
    """
    hits = [(b, m, orig) for b in page.blocks for m, orig in spun_matches(b)]
    if len({m.group().lower() for _, m, _ in hits}) < MIN_DISTINCT_PHRASES:
        return
    for b, m, orig in hits:
        yield block_evidence("spun_phrase", b, m.start(), m.end(),
                             f"a spinner's substitute for '{orig}'")
