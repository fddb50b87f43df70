"""Readers and decoding: encodings as browsers resolve them, JSONL records, errors as records."""

import codecs
import gzip
import json

from detector.decode import decode_bytes
from detector.readers import ReadError, iter_records, page_from_bytes, read_file

HTML_LATIN1 = '<html><head><meta charset="iso-8859-1"><title>Caf\u00e9</title></head><body><p>na\u00efve caf\u00e9 \u2014 ok</p></body></html>'


def test_declared_charset_is_used():
    raw = HTML_LATIN1.replace("\u2014", "-").encode("cp1252")
    text, enc = decode_bytes(raw)
    assert enc == "cp1252" and "naïve café" in text


def test_bom_wins_over_declaration():
    raw = codecs.BOM_UTF8 + HTML_LATIN1.encode("utf-8")
    text, enc = decode_bytes(raw)
    assert enc == "utf-8" and "naïve café —" in text


def test_utf16_with_bom():
    raw = codecs.BOM_UTF16_LE + "<p>Grüße aus Köln</p>".encode("utf-16-le")
    text, enc = decode_bytes(raw)
    assert enc == "utf-16-le" and "Grüße aus Köln" in text


def test_undeclared_legacy_bytes_are_detected_not_forced_to_utf8():
    raw = ("<p>" + "Der Bürgermeister äußerte sich über die Straßenbahn. " * 20 + "</p>").encode("cp1252")
    text, _ = decode_bytes(raw)
    assert "Bürgermeister äußerte" in text


def test_plain_text_and_html_are_told_apart(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nBody <not a tag> here.\n")
    (tmp_path / "b.html").write_text("<html><body><p>x</p></body></html>")
    recs = list(iter_records([str(tmp_path)]))
    assert [r.is_html for r in recs] == [False, True]


def test_empty_and_binary_are_errors():
    assert "empty" in page_from_bytes(b"   \n", source="e").reason
    assert "binary" in page_from_bytes(bytes(range(256)) * 4, source="b").reason


def test_jsonl_gz_truncated_keeps_records_before_damage(tmp_path):
    lines = b"".join(json.dumps({"id": i, "text": f"Page {i}\n\nBody text {i}."}).encode() + b"\n"
                     for i in range(50))
    data = gzip.compress(lines)
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    recs = list(read_file(path))
    assert isinstance(recs[-1], ReadError) and "corrupt" in recs[-1].reason
    good = [r for r in recs if not isinstance(r, ReadError)]
    assert good and [r.id for r in good] == [str(i) for i in range(len(good))]


def test_declared_charset_undefined_is_ignored_not_raised():
    """Python has a codec named "undefined" that fails on every byte; a page declaring it (or
    a caller passing it) is decoded like an undeclared page (found by hypothesis)."""
    assert decode_bytes(b"\x00", "UNDEFINED")[0] == "\x00"
    text, enc = decode_bytes(b'<meta charset="undefined"><p>caf\xc3\xa9</p>')
    assert "café" in text and enc == "utf-8"
