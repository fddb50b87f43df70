"""Readers: files, stdin and JSONL records in, `Page` or `ReadError` out.

A reader never raises for a bad record: it yields a `ReadError` with the reason, so a batch
keeps going and every record in comes out as a result or an error.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
import io
import json
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from detector.decode import decode_bytes, is_binary, looks_like_html
from detector.page import Page

# Pages larger than this are refused with an error (a news article page is 50-500 KB; the
# largest page of ../shared/data is under 5 MB). Override with `max_bytes`.
MAX_PAGE_BYTES = 8 * 1024 * 1024
# Gzip bombs: a .jsonl.gz is refused once it has inflated to more than this many times its
# compressed size (HTML in JSON compresses 4-10x, repetitive boilerplate-heavy crawls up to ~30x;
# a zero-filled bomb inflates ~1000x) ...
MAX_GZIP_RATIO = 100
# ... but never before this much was inflated (small files are harmless at any ratio; lines are
# capped separately, so memory stays bounded by one line).
GZIP_RATIO_FLOOR = 64 * 1024 * 1024
# A JSON line longer than this is skipped unread (JSON escaping can double a page's size).
LINE_FACTOR = 2
# Bytes read at a time while skipping the rest of an over-long line.
SKIP_CHUNK = 1024 * 1024
_SURROGATES = re.compile("[\ud800-\udfff]")
# HTML parsing (lexbor) is quadratic in the number of distinct attributes of one element:
# 20,000 take 2.6 s and 100,000 over a minute, in C where no time limit can interrupt. A page
# with an element of more than MAX_TAG_ATTRIBUTES is refused before parsing (lexbor needs
# 0.09 s for 5,000). The most on the 5,415 pages of ../shared/data is 1,682 (an SVG path whose
# unquoted d= value splits into attributes); none is refused. Only tags longer than
# LONG_TAG_CHARS are counted (fewer than 2,000 attributes fit in less); the scan costs about
# 0.5 ms a page (docs/harden.md).
MAX_TAG_ATTRIBUTES = 5000
LONG_TAG_CHARS = 4000
_LONG_TAG = re.compile(r"<[^>]{%d,}" % LONG_TAG_CHARS)  # simplest pattern = fastest scan
_TAG_START = re.compile(r"<[A-Za-z][A-Za-z0-9:-]*[\s/]")  # not "<" in a script or text
# One attribute of a tag, as HTML tokenizes it: a name, optionally = and a quoted or bare value
# (so "=" and spaces inside quoted values, JSON and URLs are not counted as attributes).
_ATTRIBUTE = re.compile(r"""[^\s"'>/=][^\s>/=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")
TEXT_SUFFIXES = (".txt", ".text", ".md")
# In a folder walk these are documentation, metadata or data tables, not pages: skipped (a file
# named explicitly is always read). Chosen from what sits beside crawl dumps and samples.
NOT_PAGE_SUFFIXES = (".md", ".rst", ".json", ".csv", ".tsv", ".parquet", ".yaml", ".yml",
                     ".toml", ".log", ".py", ".ipynb", ".cdx", ".cdxj", ".db", ".lock")


@dataclass(slots=True)
class ReadError:
    """A record that could not be read, with the reason."""

    source: str
    reason: str
    id: str | None = None
    url: str | None = None


Record = Page | ReadError


def page_from_bytes(
    raw: bytes,
    *,
    source: str,
    url: str | None = None,
    id: str | None = None,
    declared_charset: str | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Record:
    """Decode raw bytes into a Page. ``kind`` is "html", "text" or None (sniff)."""
    if len(raw) > max_bytes:
        return ReadError(source, f"too large: {len(raw)} bytes > limit {max_bytes}", id, url)
    if not raw.strip():
        return ReadError(source, "empty: no content", id, url)
    if is_binary(raw):
        return ReadError(source, "binary: not a text or HTML document", id, url)
    text, encoding = decode_bytes(raw, declared_charset)
    hostile = hostile_markup(text) if _is_html(text, kind) else None
    if hostile:
        return ReadError(source, hostile, id, url)
    page = page_from_text(text, source=source, url=url, id=id, kind=kind, encoding=encoding,
                          raw_size=len(raw))
    # Decoded as UTF-8 (no other codec names itself "utf-8" in detector.decode), no byte-order
    # mark cut off, and no U+FFFD in the text (an invalid sequence replaced would leave one; a
    # strict decode round-trips exactly): the bytes are the UTF-8 of the text, if the page keeps
    # the text as it is.
    if (isinstance(page, Page) and page.html is text and encoding == "utf-8"
            and not raw.startswith(codecs.BOM_UTF8) and "\ufffd" not in text):
        page.html_utf8 = raw
    return page


def _is_html(text: str, kind: str | None) -> bool:
    return looks_like_html(text) if kind is None else kind == "html"


def page_from_text(
    text: str,
    *,
    source: str = "<string>",
    url: str | None = None,
    id: str | None = None,
    kind: str | None = None,
    encoding: str = "utf-8",
    raw_size: int | None = None,
) -> Page:
    """Wrap decoded text as a Page; HTML or plain text is sniffed when ``kind`` is None."""
    is_html = _is_html(text, kind)
    size = len(text.encode("utf-8", "replace")) if raw_size is None else raw_size
    if is_html:
        return Page(source=source, url=url, id=id, html=text, encoding=encoding, raw_size=size)
    return Page(source=source, url=url, id=id, text=text, encoding=encoding, raw_size=size)


def _kind_of(path: str) -> str | None:
    low = path.lower()
    if low.endswith(HTML_SUFFIXES):
        return "html"
    if low.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def is_jsonl(path: str | Path) -> bool:
    return str(path).lower().endswith(JSONL_SUFFIXES)


def read_file(path: str | Path, *, url: str | None = None,
              max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    """Every record of one input: a JSONL file gives one per line, any other file one page."""
    path = str(path)
    if path == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)  # never more than the limit in memory
        if len(raw) > max_bytes:
            yield ReadError("-", f"too large: over {max_bytes} bytes on stdin", None, url)
            return
        yield page_from_bytes(raw, source="-", url=url, max_bytes=max_bytes)
        return
    if is_jsonl(path):
        yield from read_jsonl(path, max_bytes=max_bytes)
        return
    try:
        st = Path(path).stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            yield ReadError(path, "unreadable: not a regular file", None, url)
            return
        size = st.st_size
        if size > max_bytes:
            yield ReadError(path, f"too large: {size} bytes > limit {max_bytes}", None, url)
            return
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        yield ReadError(path, f"unreadable: {exc.strerror or exc}", None, url)
        return
    yield page_from_bytes(raw, source=path, url=url, kind=_kind_of(path), max_bytes=max_bytes)


def _open_lines(path: str) -> io.BufferedReader | gzip.GzipFile:
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")


class GzipBombError(ValueError):
    """A compressed input inflated past ``MAX_GZIP_RATIO`` times its size."""


def _bounded_lines(fh, limit: int, inflate_cap: int | None) -> Iterator[bytes | int]:
    """Lines of ``fh``, each at most ``limit`` bytes; an over-long line is skipped without
    being held in memory and given as its length (an int). Raises `GzipBombError` once more
    than ``inflate_cap`` bytes were read."""
    total = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        total += len(line)
        if len(line) > limit and not line.endswith(b"\n"):
            skipped = len(line)
            while True:
                chunk = fh.readline(SKIP_CHUNK)
                skipped += len(chunk)
                total += len(chunk)
                if inflate_cap is not None and total > inflate_cap:
                    raise GzipBombError(f"inflated past {inflate_cap} bytes")
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield skipped
        else:
            if inflate_cap is not None and total > inflate_cap:
                raise GzipBombError(f"inflated past {inflate_cap} bytes")
            yield line


def read_jsonl(path: str, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    """One record a line: ``{"url", "html" | "text", "id"?, "charset"?}``. See `iter_jsonl`."""
    for _, record in iter_jsonl(path, max_bytes=max_bytes):
        yield record


def iter_jsonl(path: str, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[tuple[int, Record]]:
    """``(line number, record)`` of every non-blank line of a JSONL(.gz) file.

    A bad line (not JSON, not an object, no html/text, too long) is a `ReadError` naming the
    line; a truncated gzip stream, or a gzip bomb (inflating more than ``MAX_GZIP_RATIO`` times
    its size), ends with a `ReadError` (numbered one past the last line read) after every
    record before the damage.
    """
    lineno = 0
    limit = max_bytes * LINE_FACTOR
    cap = None
    if path.lower().endswith(".gz"):
        try:
            cap = max(GZIP_RATIO_FLOOR, MAX_GZIP_RATIO * Path(path).stat().st_size)
        except OSError:
            cap = GZIP_RATIO_FLOOR
    try:
        with _open_lines(path) as fh:
            for lineno, line in enumerate(_bounded_lines(fh, limit, cap), start=1):
                source = f"{path}:{lineno}"
                if isinstance(line, int):
                    yield lineno, ReadError(
                        source, f"too large: JSON line of {line} bytes > limit {limit}")
                    continue
                if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]  # a UTF-8 BOM that editors put at the start of a file
                if not line.strip():
                    continue
                yield lineno, record_from_json_line(line, source=source, max_bytes=max_bytes)
    except GzipBombError as exc:
        yield lineno + 1, ReadError(
            f"{path}:{lineno + 1}", f"gzip bomb: {exc} (over {MAX_GZIP_RATIO}x the compressed "
                                    f"size); stopped after line {lineno}")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as exc:
        yield lineno + 1, ReadError(f"{path}:{lineno + 1}",
                                    f"corrupt input after line {lineno}: {exc}")


def record_from_json_line(line: bytes | str, *, source: str,
                          max_bytes: int = MAX_PAGE_BYTES) -> Record:
    if len(line) > max_bytes * LINE_FACTOR:  # JSON escaping can double a page's size
        return ReadError(source, f"too large: JSON line of {len(line)} bytes")
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return ReadError(source, f"malformed JSON: {exc.msg if hasattr(exc, 'msg') else exc}")
    except RecursionError:  # [[[[... 100,000 deep: json's C parser recurses
        return ReadError(source, "malformed JSON: nested too deeply")
    except ValueError as exc:  # e.g. an integer of over 4,300 digits
        return ReadError(source, f"malformed JSON: {exc}")
    if not isinstance(obj, dict):
        return ReadError(source, "malformed record: a JSON line must be an object")
    rid = obj.get("id")
    rid = None if rid is None else str(rid)
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    body = obj.get("html")
    kind = "html"
    if not isinstance(body, str):
        body, kind = obj.get("text"), "text"
    if not isinstance(body, str):
        return ReadError(source, "malformed record: no string field 'html' or 'text'", rid, url)
    return record_from_text(body, source=source, url=url, id=rid, kind=kind, max_bytes=max_bytes)


def record_from_text(
    text: str,
    *,
    source: str = "<string>",
    url: str | None = None,
    id: str | None = None,
    kind: str | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Record:
    """`page_from_text` with the reader's checks: empty and too-large text are a `ReadError`."""
    if len(text) > max_bytes:
        return ReadError(source, f"too large: {len(text)} characters > limit {max_bytes}", id, url)
    if not text.strip():
        return ReadError(source, "empty: no content", id, url)
    hostile = hostile_markup(text) if _is_html(text, kind) else None
    if hostile:
        return ReadError(source, hostile, id, url)
    if _SURROGATES.search(text):  # lone surrogates (JSON "\\ud800" escapes) cannot be output
        text = text.encode("utf-8", "replace").decode("utf-8")
    return page_from_text(text, source=source, url=url, id=id, kind=kind)


def hostile_markup(text: str) -> str | None:
    """The reason to refuse markup that would stall the HTML parser, or None.

    Known gap: a tag whose quoted attribute values contain ``>`` is counted in pieces.
    """
    if len(text) < 2 * MAX_TAG_ATTRIBUTES:  # too short to hold that many attributes
        return None
    return _long_tag_reason(_long_tags(text))


# A `_LONG_TAG` match is the first "<" of a run of characters without ">" (between two ">" or
# a text end) followed by at least LONG_TAG_CHARS of the run: the greedy pattern then takes
# the rest of the run, and no other "<" of the run starts a match (it lies inside that one, or
# the first "<" is already too close to the run's end). A run that long holds a whole window
# of _GAP_WINDOW characters starting at a multiple of _GAP_WINDOW, so only the runs around
# windows without ">" are looked at (one short str.find a window): on the 671 benchmark pages
# ~0.01 ms a page against ~0.12 ms for the regex over the whole text.
_GAP_WINDOW = LONG_TAG_CHARS // 2


def _long_tags(text: str) -> Iterator[re.Match[str]]:
    """`_LONG_TAG.finditer(text)`: the same matches, in order."""
    find, rfind, w, n = text.find, text.rfind, _GAP_WINDOW, len(text)
    k = 0
    while k + w <= n:
        if find(">", k, k + w) >= 0:
            k += w
            continue
        start = rfind(">", 0, k) + 1  # the run holding this window: [start, end)
        end = find(">", k + w)
        if end < 0:
            end = n
        lt = find("<", start, end)
        if lt >= 0 and end - lt - 1 >= LONG_TAG_CHARS:
            yield _LONG_TAG.match(text, lt)  # (the pattern at that "<": the match found)
        k = (end // w + 1) * w  # the next window wholly after this run's end


def hostile_markup_reference(text: str) -> str | None:
    """`hostile_markup` with the regex over the whole text (the tests' oracle)."""
    if len(text) < 2 * MAX_TAG_ATTRIBUTES:
        return None
    return _long_tag_reason(_LONG_TAG.finditer(text))


def _long_tag_reason(matches: Iterator[re.Match[str]]) -> str | None:
    for m in matches:
        if not _TAG_START.match(m.group(0)[:100]):
            continue
        n = len(_ATTRIBUTE.findall(m.group())) - 1  # the first token is the tag name
        if n > MAX_TAG_ATTRIBUTES:
            return (f"hostile markup: an element with {n} attributes at character {m.start()} "
                    f"(limit {MAX_TAG_ATTRIBUTES}; HTML parsing is quadratic in them)")
    return None


def is_page_file(path: str | Path) -> bool:
    """Whether a folder walk reads this file: not hidden, not a known non-page suffix."""
    name = Path(path).name
    return not name.startswith(".") and not name.lower().endswith(NOT_PAGE_SUFFIXES)


def iter_records(paths: list[str], *, url: str | None = None,
                 max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    """Records of several inputs in order; folders are walked recursively (sorted)."""
    for p in paths:
        if p != "-" and Path(p).is_dir():
            for child in sorted(Path(p).rglob("*")):
                if child.is_file() and is_page_file(child):
                    yield from read_file(child, url=url, max_bytes=max_bytes)
        elif p != "-" and not Path(p).exists():
            yield ReadError(p, "not found: no such file or folder")
        else:
            yield from read_file(p, url=url, max_bytes=max_bytes)
