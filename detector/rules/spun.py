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
from detector.rules import _wordchoice
from detector.rules._util import (block_evidence, blocks_with_each, lowered_page, page_memo,
                                  prose_blocks)

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


@lru_cache(maxsize=1)
def lexicon_keywords() -> tuple[str, ...]:
    """The keyword of every lexicon line, in lexicon order."""
    return tuple(kw for kw, _, _ in lexicon())


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
    # (block, lexicon line) pairs whose keyword is in the block, in block then lexicon order.
    lex = lexicon()
    found = blocks_with_each(lowered_page(page.blocks), lexicon_keywords())
    pairs = sorted([(i, j) for j, at in enumerate(found) for i in at])
    hits = [(page.blocks[i], m, lex[j][2]) for i, j in pairs
            for m in lex[j][1].finditer(page.blocks[i].text)]
    if len({m.group().lower() for _, m, _ in hits}) < MIN_DISTINCT_PHRASES:
        return
    for b, m, orig in hits:
        yield block_evidence("spun_phrase", b, m.start(), m.end(),
                             f"a spinner's substitute for '{orig}'")


# spun_word_choice threshold on a block's log-likelihood ratio (spun vs original). On the
# training sets' dev blocks (benchmarks/spun_text.py --split dev) 2.0 gave 2.3% false positives
# per 3-sentence block; a page has many blocks, so the rule uses a stricter bound (99.9th
# percentile of dev blocks was about 6-7; 4.0 keeps the page rate on publishers low, see
# docs/rules.md). 5.0 since the counts come from whole pages (docs/spun4.md): the smallest round
# bound keeping the dev blocks' false-positive rate at or under the 0.30% of 4.0 before (0.25%).
WORD_CHOICE_MIN_SCORE = 5.0
# Blocks with fewer content words are not scored (about three sentences of news prose).
WORD_CHOICE_MIN_WORDS = 25
# Prose blocks scored per page (the costliest rule). A spinner rewrites the whole article, so
# its first blocks tell as much as all of them. 6 (was 8) keeps the rule's cost per page at
# what it was before the word vectors and deeper trees (benchmarks/rules_speed.py).
WORD_CHOICE_MAX_BLOCKS = 6
# Blocks with fewer content words do not count toward the page-level scores
# (`page_word_choice_llr`, `page_word_choice_mean`): news paragraphs of one or two sentences
# (10-25 content words) carry a spinner's swaps too. 10 rather than 1: held out
# (docs/recall3.md) the first 6 prose blocks of >= 10 words did as well as the first 20 of any
# length, at 0.15 ms a page over the rule's own scoring instead of 1.4 ms.
PAGE_WORD_CHOICE_MIN_WORDS = 10


@page_memo  # the rule and the two page-level features read it in one pass
def _word_choice_scores(page: Page) -> list[tuple[Block, _wordchoice.BlockScore]]:
    """The first WORD_CHOICE_MAX_BLOCKS prose blocks with at least PAGE_WORD_CHOICE_MIN_WORDS
    content words, with their word-choice scores (whatever the score). Suspects are located
    only in the blocks `spun_word_choice` reports (WORD_CHOICE_MIN_WORDS content words,
    scoring WORD_CHOICE_MIN_SCORE): the page-level features read scores and word counts."""
    m = _wordchoice.model()
    if m is None:
        return []
    # The first prose blocks (the list is shared with other rules: see _util.prose_blocks).
    blocks = prose_blocks(page)[:WORD_CHOICE_MAX_BLOCKS]
    # All blocks in one batch; blocks under the bound come back as None.
    scores = m.score_texts([b.text for b in blocks], PAGE_WORD_CHOICE_MIN_WORDS,
                           locate_min_words=WORD_CHOICE_MIN_WORDS,
                           locate_min_score=WORD_CHOICE_MIN_SCORE)
    return [(b, bs) for b, bs in zip(blocks, scores)
            if bs is not None and bs.content_words >= PAGE_WORD_CHOICE_MIN_WORDS]


def page_word_choice_llr(page: Page) -> float:
    """Feature: the sum of the word-choice log-likelihood ratios (spun vs original) of the
    first prose blocks (`_word_choice_scores`). A spinner rewrites the whole body, so its
    evidence adds up over blocks that each stay under the rule's bound; 0 without prose."""
    return float(sum(bs.score for _, bs in _word_choice_scores(page)))


def page_word_choice_mean(page: Page) -> float:
    """Feature: `page_word_choice_llr` per content word scored (the same evidence, not
    growing with the length of the blocks); 0 without prose."""
    scored = _word_choice_scores(page)
    words = sum(bs.content_words for _, bs in scored)
    return float(sum(bs.score for _, bs in scored)) / words if words else 0.0


@rule(severity="medium")
def spun_word_choice(page: Page) -> Iterator[Evidence]:
    """A prose block whose word choice looks spun: many words that are thesaurus synonyms of
    common news words and fit their neighbours worse than those words would (a statistical
    model of real article text; see detector/rules/_wordchoice.py).

    Must flag:
        Japan defence

        The Japanese government revealed a major defence service in December, including double disbursement to 2 percent of gdp by 2027 and designating China as the superlative strategic challenge ever to Japan's security. Kishida's diplomatic efforts this week reflect that Japan's national defence cannot be through with by Japan lonely, said a professor who analyzes crisis management. Dealings between the two capitals also have been strained amid tensions over trade issues, the position of the island, claims to the ocean, and a continuing push against growing act upon in the region.
    Must not flag:
        Japan defence

        The Japanese government unveiled a major defence overhaul in December, including doubling spending to 2 percent of gross domestic product by 2027 and designating China as the greatest strategic challenge ever to Japan's security. Kishida's diplomatic efforts this week reflect that Japan's national defence cannot be done by Japan alone, said a professor who studies crisis management. Relations between the two capitals also have been strained amid tensions over trade issues, the status of the island, claims to the sea, and a continuing push against growing influence in the region.
    """
    for b, bs in _word_choice_scores(page):
        if bs.content_words < WORD_CHOICE_MIN_WORDS or bs.score < WORD_CHOICE_MIN_SCORE:
            continue
        for sus in bs.suspects:
            yield block_evidence("spun_word_choice", b, sus.start, sus.end,
                                 f"unusual word choice (spun block, LLR {bs.score:.1f}); "
                                 f"news text would say '{sus.original}'")
