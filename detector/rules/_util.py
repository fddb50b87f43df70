"""Small helpers shared by rule modules: evidence from regex matches, block selection."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from detector.page import Block, Evidence, Page


def block_evidence(rule: str, block: Block, start: int, end: int, why: str) -> Evidence:
    return Evidence(rule=rule, text=block.text[start:end], why=why, where="block",
                    block=block.index, start=start, end=end, path=block.path)


def url_evidence(rule: str, url: str, start: int, end: int, why: str) -> Evidence:
    return Evidence(rule=rule, text=url[start:end], why=why, where="url", start=start, end=end)


def meta_evidence(rule: str, page: Page, name: str, why: str) -> Evidence:
    value = page.meta.get(name, "")
    return Evidence(rule=rule, text=value, why=why, where=f"meta:{name}", start=0,
                    end=len(value))


def search_blocks(rule: str, blocks: Iterable[Block], pattern: re.Pattern[str],
                  why: str) -> Iterator[Evidence]:
    """Evidence for every match of ``pattern`` in the given blocks."""
    for b in blocks:
        for m in pattern.finditer(b.text):
            yield block_evidence(rule, b, m.start(), m.end(), why)
