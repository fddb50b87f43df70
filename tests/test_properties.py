"""Property-based tests (hypothesis) over readers, segmentation, rules and the pipeline.

- no exception escapes a reader, the segmenter or a rule, and analyze never reports an
  *internal* error on a page a reader accepted;
- evidence offsets point at the text they quote: ``ev.source(page)[ev.start:ev.end] == ev.text``;
- scores are always in [0, 1].

Pages are generated from HTML fragments and from the rules' own docstring examples, perturbed
(unicode whose case mapping changes length, exotic line breaks, markup around the lines), so
rules fire often enough for the offset property to bite.
"""

from __future__ import annotations

import codecs
import gzip
import json
import math
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from detector.decode import decode_bytes
from detector.model import load_model, save_model
from detector.page import BLOCK_KINDS
from detector.pipeline import analyze, prepare
from detector.readers import (ReadError, page_from_bytes, page_from_text, read_jsonl,
                              record_from_json_line)
from detector.rules import all_rules, examples, run_rules
from detector.segment import segment

# Enough examples to find the usual offset and decoding bugs in well under 30 s in total.
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
SLOW = settings(FAST, max_examples=60)

READER_ERRORS = ("empty:", "binary:", "too large:", "malformed", "hostile markup:")


# ---------------------------------------------------------------- strategies

# Characters that break naive offset arithmetic: case mappings that change length (İ -> i̇,
# ß -> SS, ﬁ -> FI), combining marks, line/paragraph separators that str.splitlines honours,
# NBSP and other unicode spaces, RTL marks, astral characters.
TRICKY = "İıßẞﬁŉǰΐ\u0301\u0308\u2028\u2029\x85\x1c\x1d\x1e\x0b\x0c\u00a0\u2003\u200b\u200e\u202e" \
         "\ufeff😀𝔘ǅ"
words = st.text(alphabet=st.sampled_from(list("abcdefghij klmnopqrstuvwxyz.,:|-'\"") +
                                          list(TRICKY)), min_size=0, max_size=40)
TAGS = ["p", "div", "span", "a", "b", "i", "li", "ul", "h1", "h2", "article", "nav", "footer",
        "aside", "section", "table", "tr", "td", "br", "hr", "img", "script", "style", "noscript",
        "figure", "figcaption", "blockquote", "pre", "form", "button", "template", "svg", "title",
        "meta", "link", "head", "body", "html", "iframe", "label", "select", "option"]
tokens = st.sampled_from(["nav", "menu", "related", "comments", "author", "share", "footer", "ad",
                          "content", "post", "entry", "x", "", "display:none", "read-more"])


@st.composite
def attributes(draw) -> str:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(["class", "id", "href", "style", "hidden", "rel", "content",
                                     "property", "name", "charset", "lang"]))
        value = draw(st.lists(tokens, max_size=3).map(" ".join)) + draw(words)
        quote = draw(st.sampled_from(['"', "'", ""]))
        if quote == "":
            value = re.sub(r"[\s\"'<>=`]", "", value)
        out.append(f" {name}={quote}{value.replace(quote, '') if quote else value}{quote}")
    return "".join(out)


@st.composite
def html_fragment(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "elem", "elem", "comment", "broken", "entity"]))
        if kind == "text":
            parts.append(draw(words))
        elif kind == "comment":
            parts.append(f"<!--{draw(words)}-->")
        elif kind == "entity":
            parts.append(draw(st.sampled_from(["&amp;", "&nbsp;", "&#x1F600;", "&#0;", "&bogus;",
                                               "&#xD800;", "&lt;", "&"])))
        elif kind == "broken":
            parts.append(draw(st.sampled_from(["<", ">", "</", "<p", "</div>", "<a href=",
                                               "<!--", "]]>", "<![CDATA[x", "<?xml ?>"])))
        else:
            tag = draw(st.sampled_from(TAGS))
            inner = draw(html_fragment(depth + 1)) if depth < 4 else draw(words)
            close = draw(st.booleans())
            parts.append(f"<{tag}{draw(attributes())}>{inner}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


@st.composite
def html_page(draw) -> str:
    head = draw(st.sampled_from(["", "<title>{}</title>", "<head><title>{}</title>"
                                 "<meta property='og:site_name' content='{}'></head>"]))
    head = head.format(draw(words), draw(words))
    return f"<html>{head}<body>{draw(html_fragment())}</body></html>"


RULE_EXAMPLES = [(url, text) for r in all_rules() for part in examples(r) for url, text in part]


@st.composite
def rule_example_page(draw) -> tuple[str | None, str]:
    """A rule's docstring example, perturbed: lines with tricky unicode or case changes put
    before, inside or after, case-mapped whole, or each line wrapped in markup."""
    url, text = draw(st.sampled_from(RULE_EXAMPLES))
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(lines)))
        lines.insert(i, draw(words))
    if draw(st.booleans()):
        i = draw(st.integers(0, len(lines) - 1))
        pos = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:pos] + draw(words) + lines[i][pos:]
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title, str.swapcase]))
    text = case("\n".join(lines))
    if not text.lstrip().startswith("<") and draw(st.booleans()):
        tag = draw(st.sampled_from(["p", "div", "li", "h1", "span"]))
        body = "".join(f"<{tag}{draw(attributes())}>{ln}</{tag}>" for ln in text.split("\n"))
        text = f"<html><body>{body}</body></html>"
    if url is not None and draw(st.booleans()):
        url = url + draw(st.sampled_from(["", "?x=İ", "#ß", "/read-full-article-at"]))
    return url, text


any_page = st.one_of(rule_example_page(), html_page().map(lambda h: (None, h)),
                     st.text(max_size=300).map(lambda t: (None, t)))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    rows = [{"page_article_share": a, "page_link_density": d}
            for a, d in ((0.9, 0.05), (0.8, 0.1), (0.2, 0.6), (0.1, 0.7))]
    pipe = Pipeline([("vec", DictVectorizer()), ("clf", LogisticRegression())]).fit(rows,
                                                                                    [0, 0, 1, 1])
    return load_model(save_model(pipe, {"version": "tiny-prop"},
                                 tmp_path_factory.mktemp("m") / "tiny.skops"))


def check_evidence(page, flags) -> None:
    ids = {r.id for r in all_rules()}
    for flag in flags:
        assert flag.id in ids and flag.evidence
        for ev in flag.evidence:
            assert ev.rule == flag.id
            if ev.where == "block":
                assert 0 <= ev.block < len(page.blocks)
            src = ev.source(page)
            assert 0 <= ev.start <= ev.end <= len(src)
            assert src[ev.start:ev.end] == ev.text, (flag.id, ev)


# ---------------------------------------------------------------- readers


@FAST
@given(st.binary(max_size=4096), st.one_of(st.none(), st.text(max_size=20),
                                           st.sampled_from(["utf-8", "utf-16", "utf-7", "base64",
                                                            "latin1", "shift_jis", "rot13"])))
def test_properties_decode_never_raises(raw, declared):
    text, enc = decode_bytes(raw, declared)
    assert isinstance(text, str) and isinstance(enc, str)


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                      blacklist_characters="<\ufeff"), max_size=500))
def test_properties_utf8_round_trips(text):
    """Valid UTF-8 always decodes to exactly what was encoded, whatever the page claims."""
    raw = text.encode("utf-8")
    assert decode_bytes(raw)[0] == text
    assert decode_bytes(raw, "iso-8859-1")[0] == text  # a transport charset that lies


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
       st.sampled_from([("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                        ("utf-8", codecs.BOM_UTF8)]))
def test_properties_bom_round_trips(text, enc_bom):
    enc, bom = enc_bom
    # FF FE 00 00 is also the UTF-32-LE BOM: a UTF-16 page starting with NUL is read as UTF-32.
    assume(not (enc == "utf-16-le" and text.startswith("\x00")))
    assert decode_bytes(bom + text.encode(enc))[0] == text


@FAST
@given(st.one_of(st.binary(max_size=2048), html_page().map(str.encode),
                 st.tuples(html_page(), st.sampled_from(["utf-8", "utf-16-le", "cp1252", "gb18030",
                                                         "shift_jis"]))
                 .map(lambda he: he[0].encode(he[1], "replace"))))
def test_properties_page_from_bytes_gives_page_or_clear_error(raw):
    rec = page_from_bytes(raw, source="prop")
    if isinstance(rec, ReadError):
        assert rec.reason.startswith(READER_ERRORS), rec.reason
    else:
        body = rec.html if rec.html is not None else rec.text
        assert isinstance(body, str) and not re.search("[\ud800-\udfff]", body)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                           lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(), c,
                                                                               max_size=3),
                           max_leaves=8)
json_lines = st.one_of(
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(["id", "url", "html", "text", "charset", "x"]), json_values,
                    max_size=5).map(lambda d: json.dumps(d).encode()),
    st.builds(lambda h, i: json.dumps({"id": i, "html": h}).encode(), html_page(), st.integers()),
)


@FAST
@given(json_lines)
def test_properties_json_line_gives_record_or_clear_error(line):
    rec = record_from_json_line(line, source="f:1")
    assert not isinstance(rec, ReadError) or rec.reason.startswith(READER_ERRORS), rec


@SLOW
@given(st.lists(json_lines.map(lambda b: b.replace(b"\n", b" ")), max_size=12), st.booleans())
def test_properties_jsonl_file_one_record_per_line(tmp_path_factory, lines, gz):
    path = tmp_path_factory.mktemp("j") / ("f.jsonl.gz" if gz else "f.jsonl")
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(gzip.compress(data) if gz else data)
    records = list(read_jsonl(str(path)))
    expected = [ln for i, ln in enumerate(lines)
                if (ln[3:] if i == 0 and ln.startswith(b"\xef\xbb\xbf") else ln).strip()]
    assert len(records) == len(expected)


# ---------------------------------------------------------------- segmentation


@FAST
@given(html_page())
def test_properties_segment_html_blocks_are_sane(html):
    page = segment(page_from_text(html, kind="html"))
    for i, b in enumerate(page.blocks):
        assert b.index == i
        assert b.text and b.text == b.text.strip()
        assert 0 <= b.link_chars <= len(b.text) and 0.0 <= b.link_density <= 1.0
        assert b.path.startswith("/html")


@FAST
@given(st.text(max_size=600))
def test_properties_segment_text_points_at_real_lines(text):
    page = segment(page_from_text(text, kind="text"))
    n_lines = len(text.splitlines())
    for i, b in enumerate(page.blocks):
        assert b.index == i and b.text and b.text == b.text.strip()
        m = re.fullmatch(r"line:(\d+)", b.path)
        assert m and 1 <= int(m.group(1)) <= n_lines


# ---------------------------------------------------------------- rules and the pipeline


@FAST
@given(any_page)
def test_properties_rule_evidence_quotes_its_source(url_text):
    url, text = url_text
    page = prepare(page_from_text(text, source="prop", url=url))
    flags = run_rules(page)
    check_evidence(page, flags)


@FAST
@given(any_page)
def test_properties_analyze_scores_in_unit_interval(tiny_model, url_text):
    url, text = url_text
    rec = page_from_text(text, source="prop", url=url)
    res = analyze(rec, model=tiny_model)
    assert res.error is None, res.error  # a page the reader accepted is never an internal error
    assert 0.0 <= res.quality <= 1.0 and res.label in ("ok", "suspect", "spam")
    assert all(isinstance(v, float) and math.isfinite(v) for v in res.features.values())
    assert all(b.kind in BLOCK_KINDS for b in res.blocks)
    check_evidence(rec, res.flags)


@SLOW
@given(st.binary(max_size=3000))
def test_properties_analyze_bytes_never_internal_error(tiny_model, raw):
    res = analyze(page_from_bytes(raw, source="prop"), model=tiny_model)
    assert res.error is None or res.error.startswith(READER_ERRORS), res.error
    assert res.quality is None or 0.0 <= res.quality <= 1.0


def test_properties_rules_on_real_pages(shared_data, tiny_model):
    """The same properties on real pages: the first pages of every dataset."""
    from detector.datasets import DATASETS, load

    n = 0
    for name in DATASETS:
        for gp in load(name, limit=15):
            rec = page_from_bytes(gp.raw(), source=f"{name}/{gp.id}", url=gp.url)
            res = analyze(rec, model=tiny_model)
            if isinstance(rec, ReadError):
                assert res.error.startswith(READER_ERRORS)
                continue
            assert res.error is None, (gp.id, res.error)
            assert 0.0 <= res.quality <= 1.0
            check_evidence(rec, res.flags)
            n += 1
    assert n > 50


def test_properties_offset_check_can_fail():
    """The offset property is not vacuous: evidence computed on case-folded text is caught."""
    from detector.page import Evidence, Flag

    page = prepare(page_from_text("A title\n\nİstanbul READ FULL ARTICLE AT", source="t"))
    block = page.blocks[1]
    low = block.text.lower()  # "İ" lowers to two characters: offsets shift by one
    start = low.index("read full")
    bad = Evidence(rule="read_full_article_tail", text=low[start:start + 9], why="",
                   block=block.index, start=start, end=start + 9)
    with pytest.raises(AssertionError):
        check_evidence(page, [Flag("read_full_article_tail", "strong", (bad,))])
