"""Readers: files, stdin and JSONL records in, `Page` or `ReadError` out.

A reader never raises for a bad record: it yields a `ReadError` with the reason, so a batch
keeps going and every record in comes out as a result or an error.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from detector.decode import decode_bytes, is_binary, looks_like_html
from detector.page import Page

# Pages larger than this are refused with an error (a news article page is 50-500 KB; the
# largest page of ../shared/data is under 5 MB). Override with `max_bytes`.
MAX_PAGE_BYTES = 8 * 1024 * 1024

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")
TEXT_SUFFIXES = (".txt", ".text", ".md")


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
    return page_from_text(text, source=source, url=url, id=id, kind=kind, encoding=encoding,
                          raw_size=len(raw))


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
    is_html = looks_like_html(text) if kind is None else kind == "html"
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
        raw = sys.stdin.buffer.read()
        yield page_from_bytes(raw, source="-", url=url, max_bytes=max_bytes)
        return
    if is_jsonl(path):
        yield from read_jsonl(path, max_bytes=max_bytes)
        return
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            yield ReadError(path, f"too large: {size} bytes > limit {max_bytes}", None, url)
            return
        raw = Path(path).read_bytes()
    except OSError as exc:
        yield ReadError(path, f"unreadable: {exc.strerror or exc}", None, url)
        return
    yield page_from_bytes(raw, source=path, url=url, kind=_kind_of(path), max_bytes=max_bytes)


def _open_lines(path: str) -> io.BufferedReader | gzip.GzipFile:
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")


def read_jsonl(path: str, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    """One record a line: ``{"url", "html" | "text", "id"?, "charset"?}``.

    A bad line (not JSON, not an object, no html/text) is a `ReadError` naming the line; a
    truncated gzip stream ends with a `ReadError` after every record before the damage.
    """
    lineno = 0
    try:
        with _open_lines(path) as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                yield record_from_json_line(line, source=f"{path}:{lineno}", max_bytes=max_bytes)
    except (OSError, EOFError, gzip.BadGzipFile, ValueError) as exc:
        yield ReadError(f"{path}:{lineno + 1}", f"corrupt input after line {lineno}: {exc}")


def record_from_json_line(line: bytes | str, *, source: str,
                          max_bytes: int = MAX_PAGE_BYTES) -> Record:
    if len(line) > max_bytes * 2:  # JSON escaping can double a page's size
        return ReadError(source, f"too large: JSON line of {len(line)} bytes")
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return ReadError(source, f"malformed JSON: {exc.msg if hasattr(exc, 'msg') else exc}")
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
    if not body.strip():
        return ReadError(source, "empty: no content", rid, url)
    if len(body) > max_bytes:
        return ReadError(source, f"too large: {len(body)} characters > limit {max_bytes}", rid, url)
    return page_from_text(body, source=source, url=url, id=rid, kind=kind)


def iter_records(paths: list[str], *, url: str | None = None,
                 max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    """Records of several inputs in order; folders are walked recursively (sorted)."""
    for p in paths:
        if p != "-" and Path(p).is_dir():
            for child in sorted(Path(p).rglob("*")):
                if child.is_file() and not child.name.startswith("."):
                    yield from read_file(child, url=url, max_bytes=max_bytes)
        elif p != "-" and not Path(p).exists():
            yield ReadError(p, "not found: no such file or folder")
        else:
            yield from read_file(p, url=url, max_bytes=max_bytes)
