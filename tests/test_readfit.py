"""The focus step of block typing (branch `readfit`, detector.boilerplate._focus_article):
comments inside the article span, the article's DOM container on article pages, and the
tiny-page fallback."""

from types import SimpleNamespace

import numpy as np
import pytest

from detector import boilerplate as B
from detector.page import Block, Page
from detector.segment import segment

KINDS = ("title", "content", "caption", "related", "comments", "other")
MODEL = SimpleNamespace(kind_classes=KINDS, threshold=0.35, related_threshold=0.35,
                        comments_threshold=0.35)
PROSE = ("The council said on Monday that the new bridge would open in May and that the works "
         "would cost less than planned, a spokesman for the city told reporters.")


def _block(i, path, kind, p_article, text=PROSE, tag="p", link_chars=0):
    b = Block(index=i, text=text, path=path, tag=tag, link_chars=link_chars, kind=kind)
    b.features["p_article"] = p_article
    return b


def _pk(*rows):
    """One row of kind probabilities a block: {kind: p}, the rest spread over "other"."""
    out = np.zeros((len(rows), len(KINDS)))
    for r, d in enumerate(rows):
        for k, p in d.items():
            out[r, KINDS.index(k)] = p
        out[r, KINDS.index("other")] += 1.0 - sum(d.values())
    return out


def _page(blocks, page_type="article"):
    page = Page(source="t", html="<html></html>", blocks=blocks)
    page.page_type = page_type
    return page


ART = "/html/body/div[1]/article[1]"


@pytest.mark.parametrize("p_comments,kind", [(0.6, "content"), (0.95, "comments")])
def test_comment_override_inside_the_article_span_needs_a_sure_kind_model(p_comments, kind):
    blocks = [_block(0, f"{ART}/p[1]", "content", 0.9),
              _block(1, f"{ART}/p[2]", "comments", 0.9),  # dialogue typed comments
              _block(2, f"{ART}/p[3]", "content", 0.9)]
    pk = _pk({"content": 0.9}, {"comments": p_comments, "content": 1 - p_comments},
             {"content": 0.9})
    page = _page(blocks)
    B._focus_article(page, pk, MODEL)
    assert blocks[1].kind == kind


def test_comments_after_the_last_anchor_stay_comments():
    blocks = [_block(0, f"{ART}/p[1]", "content", 0.9),
              _block(1, f"{ART}/p[2]", "content", 0.9),
              _block(2, "/html/body/div[2]/p[1]", "comments", 0.9)]
    pk = _pk({"content": 0.9}, {"content": 0.9}, {"comments": 0.6, "content": 0.4})
    B._focus_article(_page(blocks), pk, MODEL)
    assert blocks[2].kind == "comments"


@pytest.fixture(params=["compiled", "python"])
def focus_path(request, monkeypatch):
    """Run the focus step compiled (where built) and with its Python reference."""
    import detector._fast as fast

    if request.param == "python":
        monkeypatch.setattr(fast, "features_module", lambda: None)
    elif fast.features_module() is None:
        pytest.skip("compiled features module not built")
    return request.param


def _long_article(tail_paths, tail_pa, page_type="article"):
    """Two anchors in the article's container, then tail blocks the kind model was sure are
    comments (the last screens of a long article read as a thread)."""
    blocks = [_block(0, f"{ART}/p[1]", "content", 0.95),
              _block(1, f"{ART}/p[2]", "content", 0.95)]
    blocks += [_block(2 + i, path, "comments", pa) for i, (path, pa) in
               enumerate(zip(tail_paths, tail_pa))]
    pk = _pk({"content": 0.9}, {"content": 0.9},
             *[{"comments": 0.95, "content": 0.05}] * len(tail_paths))
    B._focus_article(_page(blocks, page_type), pk, MODEL)
    return [b.kind for b in blocks[2:]]


def test_article_run_goes_on_to_the_end_of_its_container(focus_path):
    kinds = _long_article([f"{ART}/p[3]", f"{ART}/ul[1]/li[1]", "/html/body/div[2]/p[1]",
                           f"{ART}/p[4]"], [0.9, 0.8, 0.9, 0.9])
    # inside the container (descendants too) -> article; the thread's own element stays
    # comments, and the run does not resume after it
    assert kinds == ["content", "content", "comments", "comments"]


def test_article_run_stops_where_the_article_model_is_not_sure(focus_path):
    kinds = _long_article([f"{ART}/p[3]", f"{ART}/p[4]", f"{ART}/p[5]"],
                          [0.9, B.ANCHOR_P - 0.01, 0.9])
    assert kinds == ["content", "comments", "comments"]


def test_article_run_is_for_article_pages_only(focus_path):
    assert _long_article([f"{ART}/p[3]"], [0.9], page_type="forum") == ["comments"]


def _aside_page(page_type, p_aside):
    blocks = [_block(0, f"{ART}/p[1]", "content", 0.95),
              _block(1, f"{ART}/p[2]", "content", 0.9),
              _block(2, f"{ART}/p[3]", "content", 0.5),  # inside the container: kept
              _block(3, "/html/body/div[1]/aside[1]/ul[1]/li[1]", "content", p_aside,
                     text="Teaser of another story on the same site today", tag="li")]
    pk = _pk({"content": 0.9}, {"content": 0.9}, {"content": 0.6}, {"content": 0.5})
    page = _page(blocks, page_type)
    B._focus_article(page, pk, MODEL)
    return blocks


def test_weak_block_outside_the_article_container_is_dropped_on_article_pages():
    blocks = _aside_page("article", 0.5)
    assert [b.kind for b in blocks[:3]] == ["content"] * 3
    assert blocks[3].kind not in B.ARTICLE_KINDS
    assert blocks[3].confidence == pytest.approx(0.5)


def test_container_rule_spares_sure_blocks_and_other_page_types():
    assert _aside_page("article", B.OUTSIDE_P)[3].kind == "content"
    assert _aside_page("listing", 0.5)[3].kind == "content"
    assert _aside_page("forum", 0.5)[3].kind == "content"


def test_headline_outside_the_article_container_stays_a_title():
    """A headline in the page header sits outside the body's container; it is still the title."""
    blocks = [_block(0, "/html/body/header[1]/h1[1]", "title", 0.5,
                     text="Council opens the new bridge", tag="h1"),
              _block(1, f"{ART}/p[1]", "content", 0.95),
              _block(2, f"{ART}/p[2]", "content", 0.9),
              _block(3, "/html/body/div[1]/aside[1]/p[1]", "caption", 0.5,
                     text="A photo of a different story", tag="p")]
    pk = _pk({"title": 0.6}, {"content": 0.9}, {"content": 0.9}, {"caption": 0.5})
    B._focus_article(_page(blocks), pk, MODEL)
    assert blocks[0].kind == "title"
    assert blocks[3].kind not in B.ARTICLE_KINDS  # a caption outside it is dropped


def test_article_container_is_the_deepest_element_with_most_anchor_words():
    blocks = [_block(0, f"{ART}/div[1]/p[1]", "content", 0.9),
              _block(1, f"{ART}/div[1]/p[2]", "content", 0.9),
              _block(2, f"{ART}/div[2]/p[1]", "content", 0.9, text="Short line here")]
    assert B._article_container(blocks) == f"{ART}/div[1]/"
    blocks[2].text = PROSE
    assert B._article_container(blocks) == f"{ART}/"  # 2/3 of the words < CONTAINER_SHARE
    # text straight under <body> has no container below it
    assert B._article_container([_block(0, "/html/body", "content", 0.9)]) is None


def test_tiny_page_with_nothing_kept_keeps_its_prose_blocks():
    blocks = [_block(0, "/html/head/title", "title", 0.5, text="Page", tag="title"),
              _block(1, "/html/body/a[1]/p[1]", "navigation", 0.16, text="abc"),
              _block(2, "/html/body/p[1]", "navigation", 0.06, text="def"),
              _block(3, "/html/body/p[2]", "navigation", 0.01, text="ghi"),
              _block(4, "/html/body/ul[1]/li[1]", "navigation", 0.1, text="Home",
                     tag="li", link_chars=4)]
    pk = _pk(*[{}] * 5)
    B._focus_article(_page(blocks, "forum"), pk, MODEL)
    assert [b.kind for b in blocks[1:]] == ["content", "content", "navigation", "navigation"]
    # a page with more blocks than SMALL_PAGE_BLOCKS is not a tiny document
    many = [_block(i, f"/html/body/p[{i}]", "navigation", 0.1, text="word")
            for i in range(1, B.SMALL_PAGE_BLOCKS + 2)]
    B._focus_article(_page(many), _pk(*[{}] * len(many)), MODEL)
    assert all(b.kind == "navigation" for b in many)


def test_extraction_text_follows_the_focus_step_on_html():
    from detector.blocks.model import shipped_model

    if shipped_model() is None:
        pytest.skip("no shipped block model")
    para = " ".join([PROSE] * 3)
    html = ("<html><head><title>Bridge</title></head><body><div id='main'><article>"
            + "".join(f"<p>{para} ({n})</p>" for n in range(6))
            + "</article></div></body></html>")
    ex = B.extraction_of(B.classify_blocks(segment(Page(source="t", html=html))))
    assert ex.text.count(PROSE) == 18  # all six paragraphs, nothing dropped


def test_article_span_runs_over_confident_blocks_typed_comments(focus_path):
    """A list article whose items the kind model typed comments (hearya.com's top-100 list):
    no anchor before them, but the article model is sure of them, so they open the span and
    the items inside it are article text; the thread after the article (P(article) 0.2) and
    a block the kind model is very sure of stay comments."""
    blocks = [_block(0, f"{ART}/p[1]", "comments", 0.9),
              _block(1, f"{ART}/p[2]", "comments", 0.8),
              _block(2, f"{ART}/p[3]", "comments", 0.75),
              _block(3, f"{ART}/p[4]", "comments", 0.8),
              _block(4, f"{ART}/p[5]", "content", 0.9),
              _block(5, "/html/body/div[2]/p[1]", "comments", 0.2)]
    pk = _pk({"comments": 0.7}, {"comments": 0.7}, {"comments": 0.95}, {"comments": 0.6},
             {"content": 0.9}, {"comments": 0.9})
    B._focus_article(_page(blocks), pk, MODEL)
    assert [b.kind for b in blocks] == ["comments", "content", "comments", "content",
                                        "content", "comments"]


def test_article_container_weighs_every_kept_block_not_only_the_anchors(focus_path):
    """Three confident paragraphs in a sub-element and three weaker ones (P 0.6) beside it,
    straight under the article's element (the first paragraphs of a report above its body
    element; docs/readfit.md's mozilla pages): with the anchors' words alone the container was
    the sub-element and the three beside it were dropped; weighing every kept block by words
    x P(article)^2 keeps the container at the article's element."""
    blocks = [_block(0, f"{ART}/p[1]", "content", 0.6),
              _block(1, f"{ART}/p[2]", "content", 0.6),
              _block(2, f"{ART}/p[3]", "content", 0.6),
              _block(3, f"{ART}/div[1]/p[1]", "content", 0.9),
              _block(4, f"{ART}/div[1]/p[2]", "content", 0.9),
              _block(5, f"{ART}/div[1]/p[3]", "content", 0.9),
              _block(6, "/html/body/div[2]/ul[1]/li[1]", "content", 0.5,
                     text="Teaser of another story on the same site today", tag="li")]
    pk = _pk(*[{"content": 0.8}] * 6, {"content": 0.5})
    B._focus_article(_page(blocks), pk, MODEL)
    assert [b.kind for b in blocks[:6]] == ["content"] * 6
    assert blocks[6].kind not in B.ARTICLE_KINDS  # outside the article: still dropped


# --- step 7: the article's tail (`_trim_tail`) ---------------------------------------------

def _tail_page(tail_text, tail_p, tail_kind="content", *, after=True, page_type="article"):
    """Two sure paragraphs; one weak block after them (or between them with ``after=False``)."""
    a1 = _block(1, ART + "/p[1]", "content", 0.95)
    a2 = _block(3, ART + "/p[3]", "content", 0.9)
    weak = _block(2, ART + "/p[2]", tail_kind, tail_p, text=tail_text)
    blocks = [a1, a2, weak] if after else [a1, weak, a2]
    for i, b in enumerate(blocks):
        b.index = i + 1
    return _page(blocks, page_type), weak


@pytest.mark.parametrize("kind", ["content", "caption"])
def test_short_weak_block_after_the_last_anchor_is_boilerplate(kind):
    page, weak = _tail_page("Buch bestellen", 0.45, kind)
    B._trim_tail(page.blocks)
    assert weak.kind not in B.ARTICLE_KINDS
    assert weak.confidence == pytest.approx(0.55)
    assert "Buch bestellen" not in B.extraction_of(page).text


@pytest.mark.parametrize("text,p,after,page_type", [
    ("Buch bestellen", B.TAIL_P, True, "article"),  # the article model is not against it
    (" ".join(["word"] * (B.TAIL_MAX_WORDS + 1)), 0.45, True, "article"),  # not short
    ("Buch bestellen", 0.45, False, "article"),  # inside the article: a subheading
    ("Buch bestellen", 0.45, True, "listing"),  # only article pages have an end
])
def test_tail_rule_spares_sure_long_inner_blocks_and_other_page_types(text, p, after, page_type):
    page, weak = _tail_page(text, p, after=after, page_type=page_type)
    if page_type == "article":
        B._trim_tail(page.blocks)
    else:  # classify_blocks calls the step on article pages only: check that gate
        assert page.page_type != "article"
    assert weak.kind == "content"


def test_tail_words_are_block_words_so_text_without_spaces_is_not_one_word():
    # 20 Han characters are 20 words (`block_words`), not one: over the bound, kept
    page, weak = _tail_page("\u4e2d" * 20, 0.45)
    B._trim_tail(page.blocks)
    assert weak.kind == "content"
    # given word counts (as page_matrix makes them) are used as they are
    page, weak = _tail_page("\u4e2d" * 20, 0.45)
    B._trim_tail(page.blocks, [100, 100, 3])
    assert weak.kind not in B.ARTICLE_KINDS


def test_tail_step_runs_in_classify_blocks_on_article_pages_only(monkeypatch):
    from detector.blocks.model import shipped_model

    if shipped_model() is None:
        pytest.skip("no shipped block model")
    calls = []
    monkeypatch.setattr(B, "_trim_tail", lambda blocks, words=None: calls.append((blocks, words)))
    para = " ".join([PROSE] * 3)
    html = ("<html><head><title>Bridge</title></head><body><div id='main'><article>"
            + "".join(f"<p>{para} ({n})</p>" for n in range(6))
            + "<p>Click here to sign up</p></article></div></body></html>")
    page = B.classify_blocks(segment(Page(source="t", html=html)))
    assert page.page_type == "article"
    assert len(calls) == 1 and calls[0][0] is page.blocks
    assert len(calls[0][1]) == len(page.blocks)  # the word counts page_matrix made
    listing = "".join(f"<li><a href='/s{n}'>Story number {n} of the day</a></li>" for n in range(40))
    page = B.classify_blocks(segment(Page(source="t", html=(
        "<html><head><title>News</title></head><body><ul>" + listing + "</ul></body></html>"))))
    assert page.page_type != "article" and len(calls) == 1
