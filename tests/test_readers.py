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


def test_page_opening_with_a_long_style_sheet_is_html():
    """A page whose first 8 KB are one <style> sheet (no <html> before it; laweekly.com in
    trafilatura_eval, an L3S page) was read as plain text: its CSS lines became "content"."""
    css = "".join(f".c{i} {{ opacity: 1; transition-duration: 0.4s; }}\n" for i in range(400))
    html = f"<style>\n{css}</style><div class='post'><p>The artist opened a studio.</p></div>"
    page = page_from_bytes(html.encode(), source="s")
    assert page.html is not None and page.text is None


def test_html_fragment_of_tables_is_html():
    """cleaneval wraps pages in <text id=...>; a fragment of tables and <center> with no
    <html>, <body>, <div> or <p> in its first 8 KB is still markup (40+ element tags)."""
    rows = "".join(f"<tr><td><font size=2><a href='/p{i}'>Item {i}</a></font></td>"
                   f"<td><img src='/i{i}.gif'></td></tr>\n" for i in range(60))
    frag = f'<text id="http://example.com/a.html" encoding="unset">\n<center><table>{rows}</table></center>'
    assert page_from_bytes(frag.encode(), source="f").html is not None


def test_plain_text_quoting_a_few_tags_stays_text():
    """Element tags are counted: a text quoting a few (<iframe>, <td>, <br>) is not markup."""
    text = ("How to embed a video\n\nPaste the <iframe> code into a <td> cell, then add a "
            "<br> after it.\n\n" + "More prose about the steps. " * 50)
    page = page_from_bytes(text.encode(), source="t")
    assert page.text is not None and page.html is None
