"""Hostile input through the scanner (detector.scan): WARC records that are not HTML pages,
damaged payloads, and compressed bombs. Every record is a page, an error row, or a counted
skip; the scan never stops, and pages + errors in = rows out."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

scan_mod = pytest.importorskip("detector.scan")

from detector.readers import ReadError  # noqa: E402
from detector.scan.inputs import InputReader  # noqa: E402
from detector.scan.synth import article_html, article_text, tiny_model, warc_record  # noqa: E402

HTML = article_html("A title", article_text(5), site="Site").encode()
HTTP_OK = "HTTP/1.1 200 OK\r\nContent-Type: {}\r\n\r\n"


def http(ctype: str, body: bytes, extra: str = "") -> bytes:
    head = HTTP_OK.format(ctype)
    if extra:
        head = head[:-2] + extra + "\r\n\r\n"
    return head.encode() + body


# (WARC type, HTTP block, WARC content type) -> what the reader must make of it
RECORDS = [
    ("warcinfo", b"software: test\r\n", "application/warc-fields", "skip"),
    ("request", b"GET /x HTTP/1.1\r\nHost: a.com\r\n\r\n", "application/http; msgtype=request",
     "skip"),
    ("metadata", b"fetchTimeMs: 12\r\n", "application/warc-fields", "skip"),
    ("resource", HTML, "text/html", "skip"),
    ("revisit", b"HTTP/1.1 200 OK\r\n\r\n", "application/http; msgtype=response", "skip"),
    ("response", http("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 500),
     "application/http; msgtype=response", "skip"),
    ("response", http("application/pdf", b"%PDF-1.4 " + b"x" * 500),
     "application/http; msgtype=response", "skip"),
    ("response", b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone</p>",
     "application/http; msgtype=response", "skip"),
    ("response", http("text/html", HTML), "application/http; msgtype=response", "page"),
    ("response", http("text/html; charset=utf-8", HTML.decode().encode("utf-16")),
     "application/http; msgtype=response", "page"),
    ("response", http("text/html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
     "application/http; msgtype=response", "binary:"),
    ("response", http("text/html", b""), "application/http; msgtype=response", "empty:"),
    ("response", b"not an http response at all", "application/http; msgtype=response",
     "malformed HTTP"),
    ("response", http("text/html", gzip.compress(b"\0" * (4 << 20)), "Content-Encoding: gzip"),
     "application/http; msgtype=response", "undecodable:"),
    ("response", http("text/html", b"<html><body><div " + b" ".join(b"a%d" % i for i in
                                                                     range(30_000)) + b">x"),
     "application/http; msgtype=response", "hostile markup:"),
]


@pytest.fixture()
def warc(tmp_path):
    path = tmp_path / "nasty.warc.gz"
    path.write_bytes(b"".join(gzip.compress(warc_record(kind, f"https://a.com/{i}", block, ct))
                              for i, (kind, block, ct, _) in enumerate(RECORDS)))
    return path


def test_nasty_warc_non_html_records_are_skipped_and_counted(warc):
    reader = InputReader(warc, 1 << 20)
    items = list(reader)
    expected = [e for *_, e in RECORDS if e != "skip"]
    got = []
    for item in items:
        rec = item.record
        got.append("page" if not isinstance(rec, ReadError) else
                   next((e for e in expected if e != "page" and rec.reason.startswith(e)),
                        rec.reason))
    assert got == expected
    assert sum(reader.skipped.values()) >= 3  # png, pdf, 404 at least


def test_nasty_warc_scan_writes_a_row_per_record(warc, tmp_path):
    out = tmp_path / "out"
    outcome = scan_mod.scan([str(warc)], out, model=tiny_model(), jobs=1)
    rows = pd.read_parquet(out)
    expected = [e for *_, e in RECORDS if e != "skip"]
    assert len(rows) == len(expected)
    assert outcome.exit_code == scan_mod.EXIT_FAILED  # some records are errors, none lost


def test_nasty_scan_jsonl_gzip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(b'{"id": "ok", "html": "<p>first</p>"}\n')
        chunk = b"\0" * (1 << 20)
        for _ in range(80):  # 80 MB inflated from ~80 KB: past the 64 MB floor
            fh.write(chunk)
    items = list(InputReader(path, 1 << 20))
    assert items[-1].record.reason.startswith("gzip bomb:")
