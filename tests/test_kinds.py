"""Block kinds (branch `kinds`): L3S label alignment, section/list context features, the
list vote, and the marked-pages diagnostic of the block evaluation."""

import numpy as np
import pytest

from detector.blocks.evaluate import _count, _scores
from detector.blocks.features import BASE_NAMES, CONTEXT_NAMES, FEATURE_NAMES, page_matrix
from detector.blocks.labels import l3s_blocks
from detector.boilerplate import _smooth_lists
from detector.page import Block

ANNOTATED = """<html><head><title>T</title></head><body><div class="story">
<h1><span class="x-nc-sel1">Storm hits the coast</span></h1>
<p><span class="x-nc-sel2">A powerful storm struck the coast on Tuesday, officials said.</span></p>
<div class="related"><h3><span class="x-nc-sel4">Related stories</span></h3>
<ul><span class="x-nc-sel4"><li><a href="#"><span class="x-nc-sel4">Floods last year</span></a></li>
</span></ul></div></div></body></html>"""


def test_l3s_labels_follow_spans_and_leave_no_trace():
    page, kinds = l3s_blocks(ANNOTATED)
    by_text = dict(zip((b.text for b in page.blocks), kinds))
    assert by_text["Storm hits the coast"] == "title"
    assert by_text["Related stories"] == "related"
    assert by_text["Floods last year"] == "related"
    for b in page.blocks:
        assert "span" not in b.path  # the assessors' spans are not part of the page's DOM
        assert "\ue000" not in b.text and "\ue000" not in b.heading
    li = next(b for b in page.blocks if b.text == "Floods last year")
    assert li.path.endswith("/ul[1]/li[1]") and li.heading == "Related stories"


def _b(i, text, path, link=0, tag="li"):
    return Block(index=i, text=text, path=path, tag=tag, link_chars=link)


def test_context_columns_section_and_run():
    blocks = [
        _b(0, "The council said on Monday that the new bridge would open in May and that the "
              "works would cost less than planned, a spokesman for the city told reporters.",
           "/html/body/div[1]/p[1]", tag="p"),
        _b(1, "Related News", "/html/body/div[2]/div[1]", tag="div"),
        _b(2, "Bridge plan approved", "/html/body/div[2]/ul[1]/li[1]", link=20),
        _b(3, "Council budget cut", "/html/body/div[2]/ul[1]/li[2]", link=18),
        _b(4, "12. Great story - Dave (12/19/2007 16:36)", "/html/body/div[3]/p[1]", tag="p"),
    ]
    X = page_matrix(blocks, "")
    assert X.shape == (5, len(FEATURE_NAMES)) == (5, len(BASE_NAMES) + len(CONTEXT_NAMES))
    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    assert X[1, col["sec_related_header"]] == 1 and X[0, col["sec_related_header"]] == 0
    assert X[2, col["sec_related"]] == X[3, col["sec_related"]] == 1
    assert X[0, col["sec_related"]] == 0 and X[0, col["log_related_dist"]] == 6.0
    assert X[2, col["run_len"]] == pytest.approx(np.log1p(2))  # the two <li> of one list
    assert X[2, col["run_link_density"]] == pytest.approx(1.0)
    assert X[4, col["has_datetime"]] == 1 and X[4, col["starts_numbered"]] == 1
    assert X[4, col["after_article_end"]] == 1 and X[0, col["after_article_end"]] == 0


def test_list_vote_types_a_list_as_one():
    blocks = [_b(i, f"Story {i}", f"/html/body/ul[1]/li[{i + 1}]", link=7) for i in range(4)]
    for b, kind in zip(blocks, ("related", "related", "navigation", "related")):
        b.kind = kind
    _smooth_lists(blocks)
    assert [b.kind for b in blocks] == ["related"] * 4
    other = [_b(i, f"Menu {i}", f"/html/body/ul[2]/li[{i + 1}]", link=6) for i in range(3)]
    for b, kind in zip(other, ("related", "navigation", "navigation")):
        b.kind = kind
    _smooth_lists(other)  # a minority does not flip the list
    assert [b.kind for b in other] == ["related", "navigation", "navigation"]


def test_marked_counts_only_pages_using_the_label():
    all_, marked = {"related": [0] * 6}, {"related": [0] * 6}
    # a page without related gold: a predicted related block is a false positive overall only
    for counts, present in ((all_, None), (marked, {"other"})):
        _count(counts, "related", "other", 3, present)
    # a page with related gold: one hit, one miss
    for counts, present in ((all_, None), (marked, {"related", "other"})):
        _count(counts, "related", "related", 2, present)
        _count(counts, "other", "related", 2, present)
    assert all_["related"][:3] == [1, 1, 1] and marked["related"][:3] == [1, 0, 1]
    assert _scores(marked)["related"]["precision"] == 1.0
    assert _scores(all_)["related"]["f1"] == pytest.approx(0.5)


def test_denoise_unlabels_related_looking_other_blocks_of_unmarked_pages_only():
    from detector.blocks.train import KIND_CLASSES, denoise_kind_labels

    col = {n: i for i, n in enumerate(FEATURE_NAMES)}
    X = np.zeros((4, len(FEATURE_NAMES)), np.float32)
    X[:, col["sec_related"]] = 1
    X[:, col["link_density"]] = 1.0
    rel, oth = KIND_CLASSES.index("related"), KIND_CLASSES.index("other")
    t = {"X": X, "y_kind": np.array([rel, oth, oth, -1], np.int8),
         "page": np.array([0, 0, 1, 2])}
    y = denoise_kind_labels(t)
    assert y.tolist() == [rel, oth, -1, -1]  # page 0 uses the label: its "other" stays
