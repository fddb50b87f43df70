"""Inputs of a scan and the records in each, streamed one at a time.

An input is one file: a WARC (``.warc``, ``.warc.gz``; read with FastWARC), a JSONL file
(``.jsonl``, ``.jsonl.gz``; one ``{"url", "html" | "text"}`` a line) or a single HTML or text
page. Folders are walked recursively in sorted order, skipping hidden files and the output folder.

Every record comes out as an `InputRecord`: its key within the input (``offset:N`` in a WARC,
``line:N`` in JSONL, ``file`` for a page) and a `Page` or a `ReadError` with the reason. Damage
ends an input with one `ReadError` after every record before it, never with an exception.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from detector.readers import (
    JSONL_SUFFIXES,
    ReadError,
    Record,
    _kind_of,
    is_page_file,
    iter_jsonl,
    page_from_bytes,
)

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.zst", ".warc.lz4")
# HTTP content types read as pages; every other response (images, PDFs, scripts) is skipped
# and counted in the summary under ``skipped``.
HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class InputRecord:
    key: str  # offset:N, line:N or file
    record: Record


def input_kind(path: str | Path) -> str:
    low = str(path).lower()
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return "file"


def discover(paths: list[str], *, exclude: Path | None = None) -> tuple[list[Path], list[str]]:
    """Files to scan (absolute, in order, each once) and the arguments that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    seen: set[Path] = set()
    excluded = exclude.resolve() if exclude is not None else None

    def add(p: Path) -> None:
        p = p.resolve()
        if p in seen or (excluded is not None and p.is_relative_to(excluded)):
            return
        seen.add(p)
        found.append(p)

    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p).parts
                if (child.is_file() and not any(part.startswith(".") for part in rel)
                        and is_page_file(child)):
                    add(child)
        elif p.is_file():
            add(p)
        else:
            missing.append(arg)
    return found, missing


@dataclass
class InputReader:
    """Iterate the records of one input; ``skipped`` counts records that are not pages."""

    path: Path
    max_bytes: int
    skipped: Counter = field(default_factory=Counter)

    def __iter__(self) -> Iterator[InputRecord]:
        kind = input_kind(self.path)
        if self.path.stat().st_size == 0:
            yield InputRecord("file", ReadError(str(self.path), "empty: no content"))
        elif kind == "warc":
            yield from self._warc()
        elif kind == "jsonl":
            yield from self._jsonl()
        else:
            yield from self._file()

    # -- single pages -------------------------------------------------------------------------
    def _file(self) -> Iterator[InputRecord]:
        src = str(self.path)
        try:
            size = self.path.stat().st_size
            if size > self.max_bytes:
                yield InputRecord("file", ReadError(src, f"too large: {size} bytes > limit "
                                                         f"{self.max_bytes}"))
                return
            raw = self.path.read_bytes()
        except OSError as exc:
            yield InputRecord("file", ReadError(src, f"unreadable: {exc.strerror or exc}"))
            return
        yield InputRecord("file", page_from_bytes(raw, source=src, kind=_kind_of(src),
                                                  max_bytes=self.max_bytes))

    # -- JSONL --------------------------------------------------------------------------------
    def _jsonl(self) -> Iterator[InputRecord]:
        for lineno, rec in iter_jsonl(str(self.path), max_bytes=self.max_bytes):
            yield InputRecord(f"line:{lineno}", rec)

    # -- WARC ---------------------------------------------------------------------------------
    def _warc(self) -> Iterator[InputRecord]:
        from fastwarc.warc import ArchiveIterator, WarcRecordType

        src = str(self.path)
        last: int | None = None  # offset of the last record read whole
        try:
            for rec in ArchiveIterator(src, parse_http=False):
                key = f"offset:{rec.stream_pos}"
                last = rec.stream_pos
                headers = rec.headers
                declared = headers.get("Content-Length")
                url = headers.get("WARC-Target-URI")
                if declared is None or not declared.strip().isdigit():
                    yield InputRecord(key, ReadError(
                        src, "truncated: WARC record headers are incomplete (no Content-Length)",
                        None, url))
                    continue
                if rec.record_type != WarcRecordType.response:
                    continue  # warcinfo, request, metadata ...: not pages
                declared_len = int(declared)
                if declared_len > self.max_bytes:
                    yield InputRecord(key, ReadError(
                        src, f"too large: {declared_len} bytes declared > limit {self.max_bytes}",
                        rec.record_id, url))
                    continue
                block = rec.reader.read()
                if len(block) < declared_len:
                    yield InputRecord(key, ReadError(
                        src, f"truncated: read {len(block)} of {declared_len} declared bytes",
                        rec.record_id, url))
                    continue
                page = self._http_page(block, src, url, rec.record_id)
                if page is not None:
                    yield InputRecord(key, page)
        except Exception as exc:  # a corrupt gzip member or unparseable record ends the input
            where = "at the start" if last is None else f"after the record at offset {last}"
            yield InputRecord(f"damage:{'start' if last is None else last}", ReadError(
                src, f"corrupt input: {where}: {type(exc).__name__}: {exc}"))

    def _http_page(self, block: bytes, src: str, url: str | None, rid: str) -> Record | None:
        try:
            status, headers, body = split_http(block)
        except ValueError as exc:
            return ReadError(src, f"malformed HTTP: {exc}", rid, url)
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if not 200 <= status < 300:
            self.skipped[f"http status {status // 100}xx"] += 1
            return None
        if ctype and ctype not in HTML_CONTENT_TYPES:
            self.skipped["not html"] += 1
            return None
        try:
            body = decode_transfer(body, headers, self.max_bytes)
        except ValueError as exc:
            return ReadError(src, f"undecodable: {exc}", rid, url)
        charset = None
        for part in headers.get("content-type", "").split(";")[1:]:
            k, _, v = part.partition("=")
            if k.strip().lower() == "charset":
                charset = v.strip().strip("\"'")
        return page_from_bytes(body, source=src, url=url, id=rid, declared_charset=charset,
                               kind="html", max_bytes=self.max_bytes)


def split_http(block: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, lower-cased headers and body of an HTTP response as stored in a WARC."""
    end = block.find(b"\r\n\r\n")
    sep = 4
    if end < 0:
        end, sep = block.find(b"\n\n"), 2
    if end < 0:
        raise ValueError("no end of HTTP headers")
    lines = block[:end].decode("latin-1").splitlines()
    parts = lines[0].split(None, 2) if lines else []
    if len(parts) < 2 or not parts[0].upper().startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"bad status line {lines[0][:60]!r}" if lines else "empty")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers, block[end + sep:]


def decode_transfer(body: bytes, headers: dict[str, str], max_bytes: int) -> bytes:
    """Undo chunked transfer coding and gzip/deflate content coding, within ``max_bytes``."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    coding = headers.get("content-encoding", "").strip().lower()
    if coding in ("", "identity"):
        return body
    if coding in ("gzip", "x-gzip", "deflate"):
        wbits = 47 if coding != "deflate" else 15  # 47: gzip or zlib header, auto-detected
        try:
            d = zlib.decompressobj(wbits)
            out = d.decompress(body, max_bytes + 1)
        except zlib.error as exc:
            raise ValueError(f"content-encoding {coding}: {exc}") from None
        if len(out) > max_bytes:
            raise ValueError(f"content-encoding {coding}: decompresses beyond {max_bytes} bytes")
        return out
    raise ValueError(f"unsupported content-encoding {coding!r}")


def _dechunk(body: bytes) -> bytes:
    out, pos = [], 0
    while pos < len(body):
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            break
        size_s = body[pos:eol].split(b";")[0].strip()
        try:
            size = int(size_s, 16)
        except ValueError:
            return body  # not really chunked (the crawler stored it decoded)
        if size == 0:
            break
        out.append(body[eol + 2:eol + 2 + size])
        pos = eol + 2 + size + 2
    return b"".join(out)
