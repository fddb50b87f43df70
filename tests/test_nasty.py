"""Hostile input: every nasty page gives a result or a clear error, and never stops a batch.

The corpus is generated here (nothing is downloaded). Each case says what must come out:
``ok`` (a scored result, no error) or the prefix of the error reason (``empty:``, ``binary:``,
``too large:`` ...). Scoring uses a tiny model built in a fixture, so these tests do not depend
on the shipped model.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import signal
import time

import pytest
from typer.testing import CliRunner

import detector
import detector.pipeline as pipeline_mod
import detector.readers as readers
from detector.decode import decode_bytes
from detector.limits import PageTimeout, time_limit
from detector.model import load_model, save_model
from detector.pipeline import analyze
from detector.readers import (MAX_PAGE_BYTES, ReadError, iter_records, page_from_bytes,
                              read_file, read_jsonl, record_from_json_line, record_from_text)

PARA_FR = "Le café est très bon, à Paris où l'été est chaud et où l'élève lit à côté."
PARA_DE = "Die Straßenbahn fährt über die Brücke, und Jürgen grüßt die Bäckerin höflich."
TWENTY_MB = 20 * 1024 * 1024
DEEP = 10_000


def html_page(*paras: str, head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f"<html><head>{head}<title>A headline</title></head><body>{body}</body></html>"


def meta(charset: str) -> str:
    return f'<meta charset="{charset}">'


# ---------------------------------------------------------------- the corpus


def nasty_corpus() -> dict[str, tuple[bytes, str]]:
    """name -> (raw bytes, expected): "ok" or the error reason's prefix."""
    rnd = random.Random(7)  # fixed seed: the same garbage every run
    big_para = "<p>" + "Words of a very long page, repeated to make it huge. " * 20 + "</p>\n"
    return {
        "empty": (b"", "empty:"),
        "whitespace_only": (b" \n\t\r\n   \x0c ", "empty:"),
        "whitespace_only_html": (b"<html><body>  \n  </body></html>", "ok"),
        "binary_garbage": (rnd.randbytes(65536), "binary:"),
        "png_as_html": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rnd.randbytes(4096), "binary:"),
        "gzip_as_html": (gzip.compress(html_page(PARA_FR).encode()), "binary:"),
        "twenty_mb_page": ((big_para * (TWENTY_MB // len(big_para) + 1)).encode(), "too large:"),
        "deep_divs": (("<html><body>" + "<div>" * DEEP + "deep text" + "</div>" * DEEP
                       + "</body></html>").encode(), "ok"),
        "deep_divs_text_each_level": (("<html><body>" + "<div>level " * DEEP).encode(), "ok"),
        "deep_unclosed_inline": (("<html><body>" + "<b><i>" * DEEP + "deep text").encode(), "ok"),
        "deep_tables": (("<html><body>" + "<table><tr><td>" * DEEP + "cell").encode(), "ok"),
        "deep_lists": (("<html><body>" + "<ul><li>item " * DEEP).encode(), "ok"),
        "deep_links": (("<html><body>" + "<a href='/x'>link " * DEEP).encode(), "ok"),
        "invalid_utf8": (html_page("bad \xff bytes".replace("\xff", ""), PARA_FR).encode()
                         .replace(b"bad  bytes", b"bad \xff\xfe\xc3( \xed\xa0\x80 bytes"), "ok"),
        "truncated_utf8": (html_page(PARA_FR).encode()[:-20] + "é".encode()[:1], "ok"),
        "utf16_le_bom": (codecs.BOM_UTF16_LE + html_page(PARA_FR).encode("utf-16-le"), "ok"),
        "utf16_be_bom": (codecs.BOM_UTF16_BE + html_page(PARA_FR).encode("utf-16-be"), "ok"),
        "utf16_le_no_bom": (html_page(PARA_FR).encode("utf-16-le"), "ok"),
        "utf16_be_no_bom": (html_page(PARA_FR).encode("utf-16-be"), "ok"),
        "charset_lies_utf8_is_1252": (html_page(PARA_FR, head=meta("utf-8")).encode("cp1252"), "ok"),
        "charset_lies_latin1_is_utf8": (html_page(PARA_FR, head=meta("iso-8859-1")).encode(), "ok"),
        "charset_unknown_label": (html_page(PARA_FR, head=meta("x-no-such")).encode(), "ok"),
        "charset_not_text": (html_page(PARA_FR, head=meta("base64")).encode(), "ok"),
        "mixed_encodings": (html_page(PARA_FR).encode()
                            + f"<p>{PARA_DE}</p>".encode("cp1252"), "ok"),
        "huge_class_token": (f"<html><body><div class='{'a' * 2_000_000}'><p>{PARA_FR}</p></div>"
                             "</body></html>".encode(), "ok"),
        "huge_style": (f"<html><body><div style='{'x' * 4_000_000}'><p>{PARA_FR}</p></div>"
                       "</body></html>".encode(), "ok"),
        "huge_href": (f"<html><body><p><a href='http://x/{'y' * 3_000_000}'>link</a> {PARA_FR}"
                      "</p></body></html>".encode(), "ok"),
        "many_attributes": (("<html><body><div " + " ".join(f"a{i}=v" for i in range(100_000))
                             + f"><p>{PARA_FR}</p></div></body></html>").encode(),
                            "hostile markup:"),
        "many_attributes_same_name": (("<html><body><div " + "a=v " * 100_000
                                       + f"><p>{PARA_FR}</p></div></body></html>").encode(),
                                      "hostile markup:"),
        "many_bare_attributes": (("<html><body><div " + " ".join(f"a{i}" for i in range(30_000))
                                  + f"><p>{PARA_FR}</p></div></body></html>").encode(),
                                 "hostile markup:"),
        "json_attribute_with_many_equals": (
            ("<html><body><div data-x='" + "&".join(f"k{i}=v" for i in range(20_000))
             + f"'><p>{PARA_FR}</p></div></body></html>").encode(), "ok"),
        "script_with_long_code": (("<html><body><script>for (i=0; i <n; i++) {"
                                   + " x = y + z;" * 5000 + "}</script>"
                                   + f"<p>{PARA_FR}</p></body></html>").encode(), "ok"),
        "some_attributes": (("<html><body><div " + " ".join(f"a{i}=v" for i in range(300))
                             + f"><p>{PARA_FR}</p></div></body></html>").encode(), "ok"),
        "nul_after_first_kib": (html_page("x " * 600 + "a\x00b " + PARA_FR).encode(), "ok"),
        "nul_in_first_kib": (html_page("a\x00b " + PARA_FR).encode(), "binary:"),
        "only_script": (b"<html><body><script>" + b"var x=1;" * 10000 + b"</script></body></html>",
                        "ok"),
        "unterminated_comment": (b"<html><body><p>before</p><!-- " + b"x" * 100000, "ok"),
    }


CORPUS = nasty_corpus()


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A DictVectorizer + LogisticRegression on two page features, saved and loaded with skops."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    rows = [{"page_article_share": a, "page_link_density": d}
            for a, d in ((0.9, 0.05), (0.8, 0.1), (0.2, 0.6), (0.1, 0.7))]
    pipe = Pipeline([("vec", DictVectorizer()), ("clf", LogisticRegression())]).fit(rows,
                                                                                    [0, 0, 1, 1])
    path = save_model(pipe, {"version": "tiny-test"}, tmp_path_factory.mktemp("m") / "tiny.skops")
    return load_model(path)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_nasty_page_gives_result_or_clear_error(name, tiny_model):
    raw, expected = CORPUS[name]
    record = page_from_bytes(raw, source=name)
    result = analyze(record, model=tiny_model)
    assert result.source == name
    if expected == "ok":
        assert result.error is None, result.error
        assert 0.0 <= result.quality <= 1.0
        assert result.label in ("ok", "suspect", "spam")
    else:
        assert result.error is not None and result.error.startswith(expected), result.error
        assert result.quality is None


# ---------------------------------------------------------------- decoding: the right text


@pytest.mark.parametrize("name", ["utf16_le_bom", "utf16_be_bom", "utf16_le_no_bom",
                                  "utf16_be_no_bom", "charset_lies_utf8_is_1252",
                                  "charset_lies_latin1_is_utf8", "charset_unknown_label",
                                  "charset_not_text"])
def test_nasty_encodings_decode_to_the_right_text(name, tiny_model):
    result = analyze(page_from_bytes(CORPUS[name][0], source=name), model=tiny_model)
    assert PARA_FR in [b.text for b in result.blocks]


def test_nasty_mixed_encodings_decode_both_parts():
    text, enc = decode_bytes(CORPUS["mixed_encodings"][0])
    assert PARA_FR in text and PARA_DE in text
    assert enc == "utf-8+cp1252"


def test_nasty_invalid_utf8_keeps_the_valid_text(tiny_model):
    result = analyze(page_from_bytes(CORPUS["invalid_utf8"][0], source="x"), model=tiny_model)
    assert PARA_FR in result.text


@pytest.mark.parametrize("text,enc", [
    ("国务院总理主持召开国务院常务会议，部署进一步做好稳就业工作，审议通过条例。", "gbk"),
    ("政府は来年度の予算案を閣議決定した。東京の天気は晴れのち曇りでしょう。", "shift_jis"),
    ("정부는 내년도 예산안을 국무회의에서 의결했다. 서울의 날씨는 맑겠습니다.", "euc-kr"),
    ("Правительство России одобрило проект федерального бюджета на следующий год.", "cp1251"),
    ("Zażółć gęślą jaźń. Rząd przyjął projekt budżetu państwa na przyszły rok.", "cp1250"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Vláda schválila návrh rozpočtu.", "cp1250"),
])
@pytest.mark.parametrize("declared", ["right", "lies_utf8", "none"])
def test_nasty_legacy_text_is_not_taken_for_utf8(text, enc, declared):
    """The UTF-8-first and mixed-encoding steps must not eat real legacy-encoded pages."""
    head = {"right": meta(enc), "lies_utf8": meta("utf-8"), "none": ""}[declared]
    raw = html_page(text, head=head).encode(enc)
    decoded, _ = decode_bytes(raw)
    assert text in decoded


def test_nasty_utf7_declaration_is_refused():
    raw = html_page("+ADw-script+AD4-alert(1)+ADw-/script+AD4-", head=meta("utf-7")).encode()
    decoded, enc = decode_bytes(raw)
    assert enc != "utf-7" and "<script>" not in decoded


# ---------------------------------------------------------------- size limits


def test_nasty_twenty_mb_page_is_refused_everywhere(tmp_path, tiny_model):
    raw = CORPUS["twenty_mb_page"][0]
    f = tmp_path / "big.html"
    f.write_bytes(raw)
    (rec,) = read_file(f)
    assert isinstance(rec, ReadError) and rec.reason.startswith("too large:")
    assert detector.score(raw).error.startswith("too large:")
    assert detector.score(raw.decode()).error.startswith("too large:")
    assert detector.extract(raw.decode()).page_type == "error"
    line = json.dumps({"id": "big", "html": raw.decode()})
    rec = record_from_json_line(line, source="x:1")
    assert isinstance(rec, ReadError) and rec.reason.startswith("too large:")


def test_nasty_page_just_under_the_limit_is_scored(tiny_model):
    """Size is bounded before work: a page of 1 MB of paragraphs goes through the pipeline."""
    para = "<p>" + "A sentence of a long page. " * 10 + "</p>\n"
    raw = ("<html><body>" + para * (1024 * 1024 // len(para)) + "</body></html>").encode()
    assert len(raw) < MAX_PAGE_BYTES
    result = analyze(page_from_bytes(raw, source="2mb"), model=tiny_model)
    assert result.error is None and len(result.blocks) > 2500


def test_nasty_deep_nesting_keeps_the_deep_text(tiny_model):
    result = analyze(page_from_bytes(CORPUS["deep_divs"][0], source="deep"), model=tiny_model)
    assert any("deep text" in b.text for b in result.blocks)


def test_nasty_huge_class_attribute_tokens_are_capped():
    from detector.segment import segment

    classes = " ".join(f"c{i}" for i in range(10_000))
    page = readers.page_from_text(f"<html><body><div class='{classes}'>"
                                  + "<p class='x'>para</p>" * 20 + "</div></body></html>")
    segment(page)
    assert max(len(b.tokens) for b in page.blocks) <= 256


# ---------------------------------------------------------------- time limit


def test_nasty_time_limit_interrupts_a_slow_page(monkeypatch, tiny_model):
    def stuck(page):  # a rule stuck in a loop that swallows every ordinary exception
        while True:
            try:
                time.sleep(10)
            except Exception:
                pass

    monkeypatch.setattr(pipeline_mod, "run_rules", stuck)
    page = page_from_bytes(html_page(PARA_FR).encode(), source="slow")
    result = analyze(page, model=tiny_model, max_seconds=0.2)
    assert result.error is not None and result.error.startswith("timeout:")
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # no timer left behind
    monkeypatch.undo()
    after = analyze(page_from_bytes(html_page(PARA_FR).encode(), source="next"), model=tiny_model)
    assert after.error is None  # the batch goes on


def test_nasty_time_limits_nest_and_restore():
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(PageTimeout):
        with time_limit(0.3):
            with time_limit(5):  # longer than the outer one has left: outer still fires
                time.sleep(2)
    with time_limit(5):
        with pytest.raises(PageTimeout):
            with time_limit(0.1):
                time.sleep(2)
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 5  # outer re-armed
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    assert signal.getsignal(signal.SIGALRM) == before


def test_nasty_time_limit_is_off_for_none_and_zero():
    for off in (None, 0):
        with time_limit(off):
            assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


# ---------------------------------------------------------------- JSONL and gzip


BAD_LINES = [
    b'{"id": "good1", "url": "http://a.example/1", "html": "<p>hello world</p>"}',
    b"not json at all",
    b'["an", "array"]',
    b'{"id": "nobody"}',
    b'{"id": "int", "html": 42}',
    b'{"id": "blank", "html": "   "}',
    b"[" * 100_000,
    b'{"id": "bignum", "html": ' + b"9" * 5000 + b"}",
    b'{"id": "badutf8", "html": "caf\xe9"}',
    b'{"id": "surrogate", "html": "<p>lone \\ud800 surrogate</p>"}',
    b'{"id": "good2", "text": "A plain text page.\\n\\nWith a paragraph."}',
]


def write_jsonl(path, lines, *, bom=False, gz=False):
    data = (b"\xef\xbb\xbf" if bom else b"") + b"\n".join(lines) + b"\n\n"
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_nasty_jsonl_bad_lines_are_errors_and_reading_goes_on(tmp_path, gz, tiny_model):
    path = write_jsonl(tmp_path / ("b.jsonl.gz" if gz else "b.jsonl"), BAD_LINES, bom=True, gz=gz)
    records = list(read_jsonl(str(path)))
    assert len(records) == len(BAD_LINES)  # one record per non-blank line, blank lines skipped
    ok = {r.id for r in records if not isinstance(r, ReadError)}
    assert ok == {"good1", "good2", "surrogate"}
    reasons = [r.reason for r in records if isinstance(r, ReadError)]
    assert all(r.startswith(("malformed", "empty:")) for r in reasons), reasons
    for r in records:
        res = analyze(r, model=tiny_model)
        assert (res.error is None) == (not isinstance(r, ReadError))
        json.dumps(res.to_dict()).encode("utf-8")  # printable: no lone surrogates left


def test_nasty_jsonl_overlong_line_is_skipped_unread(tmp_path):
    lines = [b'{"id": "a", "html": "<p>x</p>"}',
             b'{"id": "long", "html": "' + b"y" * 50_000 + b'"}',
             b'{"id": "b", "html": "<p>z</p>"}']
    path = write_jsonl(tmp_path / "l.jsonl", lines)
    records = list(read_jsonl(str(path), max_bytes=1000))
    assert [getattr(r, "id", None) for r in records] == ["a", None, "b"]
    assert records[1].reason.startswith("too large:") and records[1].source.endswith(":2")


def test_nasty_gzip_bomb_one_endless_line(tmp_path):
    """200 MB of zeros in ~200 KB: refused once inflation passes the cap; memory stays one
    bounded line (the line is skipped, not held)."""
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(b'{"id": "ok", "html": "<p>first</p>"}\n')
        chunk = b"\0" * (1 << 20)
        for _ in range(200):
            fh.write(chunk)
    assert path.stat().st_size < 1_000_000
    records = list(read_jsonl(str(path)))
    assert records[0].id == "ok"
    assert isinstance(records[-1], ReadError) and records[-1].reason.startswith("gzip bomb:")


def test_nasty_gzip_bomb_of_many_small_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "GZIP_RATIO_FLOOR", 1 << 20)  # keep the test small
    line = json.dumps({"id": "r", "html": "<p>" + "same " * 200 + "</p>"}).encode() + b"\n"
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress(line * 20_000, compresslevel=9))
    records = list(read_jsonl(str(path)))
    assert isinstance(records[-1], ReadError) and records[-1].reason.startswith("gzip bomb:")
    assert 0 < len(records) - 1 < 20_000  # the records before the cap are kept


def test_nasty_truncated_and_fake_gzip(tmp_path):
    good = gzip.compress(b'{"id": "a", "html": "<p>x</p>"}\n' * 200)
    (tmp_path / "t.jsonl.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "f.jsonl.gz").write_bytes(b"plain text, not gzip\n")
    truncated = list(read_jsonl(str(tmp_path / "t.jsonl.gz")))
    assert isinstance(truncated[-1], ReadError) and "corrupt input" in truncated[-1].reason
    fake = list(read_jsonl(str(tmp_path / "f.jsonl.gz")))
    assert len(fake) == 1 and "corrupt input" in fake[0].reason


# ---------------------------------------------------------------- batches never stop


def build_folder(tmp_path):
    """Every nasty page as a file, bad JSONL files, and good pages between them."""
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    n = 0
    for i, (name, (raw, _)) in enumerate(sorted(CORPUS.items())):
        if name == "twenty_mb_page":
            raw = raw[: 9 * 1024 * 1024]  # still too large, less disk
        (folder / ("sub" if i % 2 else ".") / f"{name}.html").write_bytes(raw)
        n += 1
    write_jsonl(folder / "bad.jsonl", BAD_LINES)
    write_jsonl(folder / "bad.jsonl.gz", BAD_LINES, gz=True)
    n += 2 * len(BAD_LINES)
    (folder / "trunc.jsonl.gz").write_bytes(gzip.compress(b'{"html": "<p>a</p>"}\n' * 50)[:60])
    n += 1  # the truncated file gives at least its error record
    (folder / "good.txt").write_text("A title\n\nA paragraph of plain text.\n")
    n += 1
    return folder, n


def test_nasty_iter_records_over_a_folder_never_stops(tmp_path, tiny_model):
    folder, _ = build_folder(tmp_path)
    records = list(iter_records([str(folder), str(tmp_path / "missing.html")]))
    results = [analyze(r, model=tiny_model) for r in records]
    assert len(results) == len(records)
    assert results[-1].error.startswith("not found:")
    assert any(r.error is None for r in results) and any(r.error for r in results)
    for r in results:
        assert (r.error is None) == (r.quality is not None)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_nasty_special_file_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    (rec,) = list(iter_records([str(fifo)]))
    assert isinstance(rec, ReadError) and "not a regular file" in rec.reason
    assert list(iter_records([str(tmp_path)])) == []  # walking a folder skips it


def test_nasty_cli_batch_records_in_equal_results_out(tmp_path, tiny_model):
    from detector.cli import app

    folder, _ = build_folder(tmp_path)
    model_path = tmp_path / "m.skops"
    save_model(tiny_model.pipeline, {"version": "tiny-cli"}, model_path)
    expected = sum(1 for _ in iter_records([str(folder)]))
    args = ["score", str(folder), "--model", str(model_path), "-f", "jsonl"]
    res = CliRunner().invoke(app, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 1  # some pages could not be scored
    out = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    assert len(out) == expected
    assert {o["error"] is None for o in out} == {True, False}
    assert all(o["error"] or 0 <= o["quality"] <= 1 for o in out)


def test_nasty_record_from_text_checks_like_the_readers():
    assert record_from_text(" \n ").reason.startswith("empty:")
    assert record_from_text("x" * 11, max_bytes=10).reason.startswith("too large:")
    assert not isinstance(record_from_text("<p>fine</p>"), ReadError)


def test_nasty_stdin_over_the_limit_is_refused_unread(monkeypatch):
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(b"<p>" + b"x" * 5000 + b"</p>")

    monkeypatch.setattr(sys, "stdin", Stdin)
    (rec,) = list(read_file("-", max_bytes=1000))
    assert isinstance(rec, ReadError) and rec.reason.startswith("too large:")
    assert Stdin.buffer.tell() == 1001  # read no further than the limit


def test_nasty_attribute_limit_applies_to_markup_only():
    """Plain text with a stray "<y " and 6,000 words is text, not a tag with 6,000 attributes."""
    text = "Let x <y hold. " + "word " * 6000
    assert not isinstance(record_from_text(text, kind="text"), ReadError)
    assert not isinstance(page_from_bytes(text.encode(), source="t.txt", kind="text"), ReadError)
    html = "<html><body><div " + " ".join(f"a{i}" for i in range(6000)) + ">x</div></body></html>"
    assert record_from_text(html).reason.startswith("hostile markup:")


@pytest.mark.parametrize("raw,reason", [(b"", "empty:"), (CORPUS["binary_garbage"][0], "binary:"),
                                        (CORPUS["utf16_le_no_bom"][0], None)])
def test_nasty_cli_stdin(tmp_path, tiny_model, raw, reason):
    from detector.cli import app

    model_path = save_model(tiny_model.pipeline, {"version": "tiny-cli"}, tmp_path / "m.skops")
    res = CliRunner().invoke(app, ["score", "-", "--model", str(model_path), "-f", "jsonl"],
                             input=raw)
    (out,) = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    if reason is None:
        assert res.exit_code == 0 and out["error"] is None and 0 <= out["quality"] <= 1
    else:
        assert res.exit_code == 1 and out["error"].startswith(reason)
