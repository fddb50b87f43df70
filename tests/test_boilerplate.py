"""Block typing (detector.boilerplate): plain-text sections, boilerplate kinds, the model."""

import numpy as np
import pytest

from detector.boilerplate import boilerplate_kind, classify_blocks, extraction_of
from detector.page import BLOCK_KINDS, Block, Page
from detector.pipeline import extract
from detector.readers import page_from_text
from detector.segment import segment
from tests.conftest import SEED


def _blk(text: str, tokens=(), tag="div", link_chars=0) -> Block:
    return Block(index=1, text=text, path="/html/body/div[1]", tag=tag, tokens=tuple(tokens),
                 link_chars=link_chars)


@pytest.mark.parametrize("block, kind", [
    (_blk("Leave a comment", ["comment", "respond"]), "comments"),
    (_blk("Five things to read", ["related", "posts"]), "related"),
    (_blk("© 2024 Example Media. All rights reserved."), "footer"),
    (_blk("Share on Facebook"), "share"),
    (_blk("By Jane Doe"), "author"),
    (_blk("Advertisement"), "ad"),
    (_blk("Home News Sport", link_chars=15), "navigation"),
])
def test_boilerplate_kind_by_tokens_then_wording(block, kind):
    assert boilerplate_kind(block) == kind


def _text_kinds(text: str) -> dict[str, str]:
    page = classify_blocks(segment(Page(source="t", text=text)))
    return {b.text: b.kind for b in page.blocks}


def test_plain_text_sections_and_lines():
    kinds = _text_kinds(
        "Big story\n\nThe minister said on Monday that the plan would go ahead.\n\n"
        "Crowds gather outside parliament\nProtesters in the capital, May 3 [Jane Roe/Reuters]"
        "\n\nAbout Lionel Messi\n\nCheck Also\n\nAnother story headline\n\nLeave a Reply\n\n"
        "Your email address will not be published.\n")
    assert kinds["Big story"] == "title"
    assert kinds["The minister said on Monday that the plan would go ahead."] == "content"
    assert kinds["Crowds gather outside parliament"] == "caption"
    assert kinds["Protesters in the capital, May 3 [Jane Roe/Reuters]"] == "caption"
    assert kinds["About Lionel Messi"] == "author"
    assert kinds["Check Also"] == kinds["Another story headline"] == "related"
    assert kinds["Your email address will not be published."] == "comments"


def test_seed_gets_author_related_comments_and_caption():
    page = classify_blocks(segment(page_from_text(SEED.read_text(encoding="utf-8"))))
    by_text = {b.text: b.kind for b in page.blocks}
    assert by_text["About Lionel Messi"] == "author"
    assert by_text["Check Also"] == "related"
    assert by_text["Leave a Reply"] == "comments"
    assert any(k == "caption" for k in by_text.values())
    text = extraction_of(page).text
    assert "Check Also" not in text and "Leave a Reply" not in text
    assert "Kishida" in text


ARTICLE = """<html><head><title>Storm hits the coast | Daily News</title></head><body>
<div class="nav"><ul class="menu"><li><a href="/">Home</a></li><li><a href="/world">World</a>
</li><li><a href="/sport">Sport</a></li><li><a href="/tech">Tech</a></li></ul></div>
<div class="article-body"><h1>Storm hits the coast</h1>
<p>A powerful storm struck the northern coast on Tuesday, cutting power to thousands of homes
and forcing the closure of several roads, officials said in a statement.</p>
<p>The weather service said the storm would weaken overnight, but warned that heavy rain was
still expected in the region until the end of the week and that rivers could flood.</p>
<p>Emergency crews were working to restore electricity, and schools in the area will remain
closed on Wednesday while the damage is assessed by the local authorities.</p></div>
<div class="related-posts"><h3>Related posts</h3><ul><li><a href="/a">Floods last year</a></li>
<li><a href="/b">How to prepare for a storm</a></li><li><a href="/c">Power cuts explained</a>
</li></ul></div>
<div id="footer"><p>© 2024 Daily News. All rights reserved.</p></div></body></html>"""


def test_extract_keeps_article_and_types_boilerplate():
    ex = extract(ARTICLE)
    assert "powerful storm struck" in ex.text and "rivers could flood" in ex.text
    assert "Floods last year" not in ex.text and "All rights reserved" not in ex.text
    kinds = {b.text: b.kind for b in ex.blocks}
    assert kinds["Home"] == "navigation"
    assert kinds["© 2024 Daily News. All rights reserved."] == "footer"
    assert all(b.kind in BLOCK_KINDS and b.kind != "unknown" for b in ex.blocks)
    assert ex.blocks[0].kind == "title"
    assert ex.page_type in ("article", "listing", "forum", "product", "other")


def test_shipped_model_loads_with_trusted_types_only():
    from detector.blocks.features import FEATURE_NAMES
    from detector.blocks.model import MODEL_PATH, BlockModel

    if not MODEL_PATH.exists():
        pytest.skip("no shipped block model")
    m = BlockModel.load(MODEL_PATH)
    assert m.feature_names == FEATURE_NAMES  # features and model agree
    assert 0.0 < m.threshold < 1.0


def test_feature_matrix_columns_and_neighbours():
    from detector.blocks.features import FEATURE_NAMES, page_matrix

    blocks = [
        Block(index=0, text="Home", path="/html/body/ul[1]/li[1]", tag="li",
              tokens=("menu",), link_chars=4),
        Block(index=1, text="The council said on Monday that the new bridge would open in May.",
              path="/html/body/div[1]/p[1]", tag="p", tokens=("article", "body")),
        Block(index=2, text="Leave a reply", path="/html/body/div[2]/h3[1]", tag="h3",
              tokens=("comments",)),
    ]
    X = page_matrix(blocks, "Bridge to open in May")
    assert X.shape == (3, len(FEATURE_NAMES))
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}
    assert X[0, col["link_density"]] == 1.0 and X[1, col["link_density"]] == 0.0
    assert X[1, col["prev_link_density"]] == 1.0  # the menu item before it
    assert X[1, col["next_log_chars"]] == pytest.approx(X[2, col["log_chars"]])
    assert X[0, col["hint_nav"]] == 1.0 and X[1, col["hint_content"]] == 1.0
    assert X[2, col["hint_comment"]] == 1.0 and X[2, col["text_comment"]] == 1.0
    assert X[1, col["stop_ratio"]] > X[0, col["stop_ratio"]]
    assert X[1, col["title_overlap"]] > 0.5
    assert X[1, col["tag_p"]] == 1.0 and X[2, col["tag_hx"]] == 1.0
    assert page_matrix([], "").shape == (0, len(FEATURE_NAMES))


def test_page_type_is_one_of_ours_and_features_match_names():
    from detector.blocks.page_type import FEATURE_NAMES, PAGE_TYPES, page_features

    ex = extract(ARTICLE)
    assert ex.page_type in PAGE_TYPES
    page = classify_blocks(segment(page_from_text(ARTICLE)))
    assert len(page_features(page)) == len(FEATURE_NAMES)


def test_learned_kinds_smooth_runs_of_comments():
    from detector.boilerplate import _smooth_sections

    blocks = [Block(index=i, text=t, path=f"/html/body/div[{i + 1}]") for i, t in
              enumerate(["Great piece!", "Reply", "I disagree with the author."])]
    for b, k in zip(blocks, ["comments", "navigation", "comments"]):
        b.kind = k
    _smooth_sections(blocks)
    assert [b.kind for b in blocks] == ["comments"] * 3


def test_fast_forest_equals_predict_proba():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from detector.blocks.model import FastForest

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5))
    for y in ((X[:, 0] > 0).astype(int), np.digitize(X[:, 1], [-0.5, 0.5])):
        m = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, y)
        assert np.allclose(FastForest(m).predict_proba(X[:50]), m.predict_proba(X[:50]))


def test_page_type_dot_product_equals_the_shipped_pipeline():
    from detector.blocks import page_type as pt

    if pt._model() is None:
        pytest.skip("no shipped page-type model")
    page = classify_blocks(segment(page_from_text(ARTICLE)))
    x = np.asarray([pt.page_features(page)], dtype=np.float32)
    assert pt.classify_page(page) == pt.PAGE_TYPES[int(pt._model().predict(x)[0])]


def test_forum_software_generator_makes_a_forum_page():
    from detector.blocks.page_type import FORUM_GENERATORS

    posts = "".join(f"<p>Reply {i}: I had the same problem with the build and fixed it by "
                    f"clearing the cache and redeploying the site.</p>" for i in range(6))
    html = ('<html><head><title>Build fails - Support</title>{gen}</head><body><article>'
            '<h1>Build fails</h1>' + posts + '</article></body></html>')
    assert "discourse" in FORUM_GENERATORS and "vbulletin" not in FORUM_GENERATORS
    forum = extract(html.format(gen='<meta name="generator" content="Discourse 3.2.0 - '
                                     'https://github.com/discourse/discourse">'))
    assert forum.page_type == "forum"
    assert "Reply 5: I had the same problem" in forum.text
    other = extract(html.format(gen='<meta name="generator" content="WordPress 6.4">'))
    assert other.page_type != "forum"


def test_caption_labels_become_boilerplate_captions_and_credits_stay():
    from detector.boilerplate import _caption_labels

    def cap(text, pa):
        b = Block(index=1, text=text, path="/html/body/div[1]/p[1]", tag="p")
        b.kind, b.confidence, b.features["p_article"] = "caption", pa, pa
        return b

    label, credit, sentence, sure = (cap("Mehr zum Thema", 0.4), cap("Foto: Reuters", 0.4),
                                     cap("The minister speaks in Tokyo.", 0.4),
                                     cap("Mehr zum Thema", 0.6))
    _caption_labels([label, credit, sentence, sure])
    assert label.kind == "navigation" and label.confidence == pytest.approx(0.6)
    assert [b.kind for b in (credit, sentence, sure)] == ["caption"] * 3
