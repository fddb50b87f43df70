"""The page model: what was read, how it is cut into blocks, and what the rules found.

Everything downstream (boilerplate typing, rules, features, model, output) speaks these types.

Offsets: an `Evidence` quotes ``text`` and points at it with ``start``/``end``; the string those
offsets index into is named by ``where``:

- ``"block"``: ``page.blocks[evidence.block].text``
- ``"url"``: ``page.url``
- ``"meta:<name>"``: ``page.meta[<name>]`` (``canonical``, ``og:site_name``, ``author`` ...)

so ``evidence.source(page)[evidence.start:evidence.end] == evidence.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from detector.urls import host_of

# Block types (see detector.boilerplate). `unknown` only before typing has run.
BLOCK_KINDS = (
    "content",
    "title",
    "navigation",
    "related",
    "comments",
    "author",
    "caption",
    "share",
    "footer",
    "ad",
    "unknown",
)
BlockKind = Literal[
    "content", "title", "navigation", "related", "comments", "author",
    "caption", "share", "footer", "ad", "unknown",
]
BOILERPLATE_KINDS = frozenset(BLOCK_KINDS) - {"content", "title", "unknown"}

Severity = Literal["strong", "medium", "weak"]
Label = Literal["ok", "suspect", "spam"]


@dataclass(slots=True)
class Block:
    """One text block of a page, in reading order.

    ``path`` is an xpath-like DOM path for HTML (``/html/body/div[2]/p[3]``) or ``line:N``
    for plain text (N = 1-based line where the block starts).
    """

    index: int
    text: str
    path: str
    tag: str = ""
    tokens: tuple[str, ...] = ()  # class and id tokens of the element and its ancestors
    link_chars: int = 0  # characters of text inside <a>
    depth: int = 0
    heading: str = ""  # text of the nearest heading before this block
    hrefs: tuple[str, ...] = ()  # link targets inside the block
    features: dict[str, float] = field(default_factory=dict)  # segmenter statistics
    kind: str = "unknown"
    confidence: float = 0.0

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "kind": self.kind,
            "confidence": round(self.confidence, 4),
            "path": self.path,
            "tag": self.tag,
            "text": self.text,
        }


@dataclass(slots=True)
class Page:
    """A page as read: raw input, decoded text/HTML, metadata, and (after segmentation) blocks."""

    source: str  # file path, "-", or "file.jsonl:LINE"
    url: str | None = None
    id: str | None = None
    html: str | None = None  # decoded HTML, when the input was HTML
    # The input bytes when they are exactly the UTF-8 of `html` (read from UTF-8 bytes, no BOM,
    # nothing replaced): the parser takes them as they are instead of encoding `html` again.
    html_utf8: bytes | None = None
    text: str | None = None  # decoded plain text, when the input was text
    encoding: str = "utf-8"
    raw_size: int = 0
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # canonical, og:site_name, author, ...
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, anchor text) of the page
    blocks: list[Block] = field(default_factory=list)
    page_type: str = "article"  # article, listing, forum, product, home, other (boilerplate sets it)

    @property
    def is_html(self) -> bool:
        return self.html is not None

    @property
    def host(self) -> str:
        return host_of(self.url)

    def article_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "content"]

    def article_text(self) -> str:
        return "\n".join([b.text for b in self.article_blocks()])


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a rule looked and what it quoted. See the module docstring for offsets."""

    rule: str
    text: str
    why: str
    where: str = "block"  # "block", "url" or "meta:<name>"
    block: int = -1  # block index when where == "block"
    start: int = 0
    end: int = 0
    path: str = ""  # DOM path or line of the block, for people

    def source(self, page: Page) -> str:
        if self.where == "block":
            return page.blocks[self.block].text
        if self.where == "url":
            return page.url or ""
        if self.where.startswith("meta:"):
            return page.meta.get(self.where[5:], "")
        raise ValueError(f"unknown evidence location {self.where!r}")

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "why": self.why,
            "where": self.where,
            "block": self.block,
            "path": self.path,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Flag:
    """A rule that fired on a page, with all its evidence."""

    id: str
    severity: Severity
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "severity": self.severity,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(slots=True)
class Result:
    """What detector says of one page."""

    source: str
    id: str | None = None
    url: str | None = None
    quality: float | None = None  # 1 = clean original journalism, 0 = republished spam
    label: Label | None = None
    flags: list[Flag] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    text: str = ""  # clean article text
    page_type: str | None = None
    title: str = ""
    features: dict[str, float] = field(default_factory=dict)
    explanation: list[tuple[str, float]] | None = None  # (feature, contribution to spam log-odds)
    model_version: str | None = None
    error: str | None = None

    def to_dict(self, *, blocks: bool = False, features: bool = False) -> dict:
        out: dict = {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "quality": None if self.quality is None else round(self.quality, 4),
            "label": self.label,
            "page_type": self.page_type,
            "title": self.title,
            "flags": [f.to_dict() for f in self.flags],
            "text": self.text,
            "model_version": self.model_version,
            "error": self.error,
        }
        if blocks:
            out["blocks"] = [b.to_dict() for b in self.blocks]
        if features:
            out["features"] = self.features
        if self.explanation is not None:
            out["explanation"] = [
                {"feature": name, "contribution": round(v, 4)} for name, v in self.explanation
            ]
        return out
