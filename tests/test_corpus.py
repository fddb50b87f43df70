"""The corpus builder: template families, artifacts, determinism, hosts kept apart."""

import random

import pytest

from detector.corpus import Example, build, site_fold
from detector.corpus.artifacts import Copy, plan_copy
from detector.corpus.families import (COPY_FAMILIES, NEGATIVE_RENDERERS, RENDERERS, farm_host,
                                      proxy_url)
from detector.corpus.sources import Article
from detector.pipeline import prepare
from detector.readers import page_from_text
from detector.urls import host_of

ART = Article(
    dataset="test", id="1", url="https://www.aljazeera.com/news/2023/1/13/biden-kishida",
    site="aljazeera.com", title="Biden hosting Kishida as US, Japan bolster ties",
    paragraphs=("US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida at the "
                "White House, as Kishida ends a week-long diplomatic push.",
                "The high-level talks in Washington come just days after the defence and "
                "foreign ministers of both countries met to discuss ways to deepen the alliance.",
                "Kishida said topics for his Washington talks included the US-Japan alliance as "
                "well as establishing a free and open Indo-Pacific."),
    raw=b"<html><head><title>Biden</title></head><body><a href='https://www.aljazeera.com/x'>x"
        b"</a><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p>"
        b"</body></html>",
)
OTHERS = [Article("test", str(i), None, f"site{i}.org", f"Other story number {i}",
                  (f"First paragraph of other story {i}, long enough to be cut into a teaser "
                   "excerpt by the template with an ellipsis at its end.", "Second.", "Third."),
                  b"") for i in range(8)]


class NoSpin:
    def spin(self, text, rate, rng):
        return text


def _copy(family: str, seed: int = 1) -> tuple[Copy, str]:
    rng = random.Random(seed)
    host = farm_host(rng)
    url = proxy_url(host, ART, rng) if family == "proxy" else f"https://{host}/a/"
    c = plan_copy(ART, family, host, url, OTHERS, NoSpin(), rng)
    return c, RENDERERS[family](c, rng, ["Recent one", "Recent two"])


@pytest.mark.parametrize("family", COPY_FAMILIES)
def test_every_family_renders_a_page_with_the_article(family):
    for seed in range(5):
        c, content = _copy(family, seed)
        page = prepare(page_from_text(content, source=family, url=c.url))
        assert "Kishida" in " ".join(b.text for b in page.blocks)
        assert host_of(c.url) != "aljazeera.com"


def test_proxy_keeps_original_host_in_path_and_rewrites_links():
    c, html = _copy("proxy")
    assert "www.aljazeera.com" in c.url.split("/", 3)[3]
    assert f"https://{c.host}/www.aljazeera.com/x" in html


def test_artifact_rates_vary_and_hard_cases_exist():
    rng = random.Random(0)
    plans = [plan_copy(ART, "jannah", "farm.example", "https://farm.example/a/", OTHERS, NoSpin(),
                       rng) for _ in range(400)]
    hard = [p for p in plans if "hard_case" in p.artifacts]
    assert 5 <= len(hard) <= 35
    assert all(p.byline is None and not p.tail_lines and p.title == ART.title for p in hard)
    for name in ("persona_byline", "author_box", "title_tail", "source_leak", "caption",
                 "comment_form", "appeared_first", "source_link"):
        share = sum(name in p.artifacts for p in plans) / len(plans)
        assert 0.1 < share < 0.7, name


def test_plaintext_family_looks_like_the_seed():
    rng = random.Random(3)
    c = Copy(ART, "plaintext", "farm.example", "https://farm.example/a/",
             ART.title + " | Al Jazeera News read full article at", list(ART.paragraphs),
             author_box="Lionel Messi", teasers=[("Other read full article at", "Cut …")],
             comment_form=True)
    text = RENDERERS["plaintext"](c, rng, [])
    assert text.startswith(ART.title)
    for piece in ("About Lionel Messi", "Leave a Reply", "read full article at", "Cut …"):
        assert piece in text


@pytest.mark.parametrize("neg", sorted(NEGATIVE_RENDERERS))
def test_hard_negatives_render(neg):
    url, content = NEGATIVE_RENDERERS[neg](ART, random.Random(2), ["Recent"])
    assert ART.paragraphs[1] in content.replace("&#x27;", "'")
    if neg == "wire":
        assert 'rel="canonical" href="https://www.aljazeera.com/' in content
        assert host_of(url) != "aljazeera.com"


def test_partners_and_bloggers_title_the_headline_under_their_own_name():
    """A licensed partner or a blogger runs the headline, not the origin's <title> with its
    masthead ("... - NYTimes.com"); only copies keep that."""
    from dataclasses import replace

    from detector.corpus.families import headline, render_blog, render_wire

    assert headline("Gains for Obama Leave Romney With Longer Odds - NYTimes.com") == (
        "Gains for Obama Leave Romney With Longer Odds")
    assert headline("Consistently wrong \u2013 even so | Harry J Enten | Comment is free | "
                    "guardian.co.uk") == "Consistently wrong \u2013 even so"
    assert headline("A headline alone") == "A headline alone"
    art = replace(ART, title="Biden hosting Kishida as US, Japan bolster ties | Al Jazeera")
    for render in (render_wire, render_blog):
        url, html = render(art, random.Random(3), ["Recent"])
        page = prepare(page_from_text(html, source="t", url=url))
        assert page.title.startswith("Biden hosting Kishida as US, Japan bolster ties ")
        assert "Al Jazeera" not in page.title, page.title


def test_text_dump_is_the_whole_page_as_text_from_its_own_site():
    nav = "".join(f"<li><a href='/s{i}'>Section number {i}</a></li>" for i in range(12))
    raw = (f"<html><head><title>Biden | Al Jazeera</title></head><body><nav><ul>{nav}</ul></nav>"
           f"<article><h1>{ART.title}</h1>"
           + "".join(f"<p>{p}</p>" for p in ART.paragraphs)
           + "</article><footer>Al Jazeera Media Network</footer></body></html>").encode()
    art = Article(ART.dataset, ART.id, ART.url, ART.site, ART.title, ART.paragraphs, raw)
    texts = set()
    for seed in range(6):  # both the full dump and the reader-mode text
        url, text = NEGATIVE_RENDERERS["text_dump"](art, random.Random(seed), [])
        assert url == ART.url and not text.lstrip().startswith("<")
        assert ART.paragraphs[1] in text
        texts.add("Section number 3" in text)
    assert texts == {True, False}


def test_site_fold_is_stable_and_spread():
    folds = [site_fold(f"site{i}.com", 4) for i in range(400)]
    assert folds == [site_fold(f"site{i}.com", 4) for i in range(400)]
    assert all(60 < folds.count(k) < 140 for k in range(4))


def test_blog_dump_is_a_personal_blog_post_saved_as_text():
    """A blog post saved as text keeps its comment form (unless read in reader mode) and is
    served from the blogger's own host."""
    from detector.corpus.families import render_blog_dump

    forms = set()
    for seed in range(12):
        url, text = render_blog_dump(ART, random.Random(seed), ["Another post title"])
        assert "<html" not in text and ART.paragraphs[0][:40] in text
        assert host_of(url) != host_of(ART.url)
        forms.add("Leave a Reply" in text or "Leave a Comment" in text)
    assert forms == {True, False}  # whole page saved, or reader mode


def test_build_is_deterministic_and_labels_copies(shared_data):
    a = list(build(5, limit=6))
    b = list(build(5, limit=6))
    assert [(e.id, e.url, e.content) for e in a] == [(e.id, e.url, e.content) for e in b]
    copies = [e for e in a if e.label == 1]
    assert copies and all(isinstance(e, Example) for e in a)
    assert all(host_of(e.url) != e.site for e in copies)
    assert {e.family for e in copies} <= set(COPY_FAMILIES)
    assert {e.family for e in a if e.label == 0} <= {"real", "wire", "blog", "text_original",
                                                      "text_dump", "blog_dump"}
    assert len({e.id for e in a}) == len(a)  # plain-text originals never repeat a hard negative
    c = list(build(6, limit=6))
    assert [e.content for e in c] != [e.content for e in a]


def test_copies_list_only_the_artifacts_they_show(shared_data):
    """A proxy serves the original page: a spun body, persona or teasers drawn for it are not
    on the page, so they are not in its artifacts (the per-artifact figures read them); a
    plain-text copy has no byline line."""
    from detector.corpus.families import ARTIFACTS_SHOWN

    copies = [e for e in build(0, limit=40) if e.label == 1]
    proxies = [e for e in copies if e.family == "proxy"]
    assert proxies
    assert all(set(e.artifacts) <= ARTIFACTS_SHOWN["proxy"] for e in proxies)
    assert any(set(e.artifacts) - ARTIFACTS_SHOWN["proxy"] for e in copies
               if e.family != "proxy")
    texts = [e for e in copies if e.family == "plaintext"]
    assert texts and not any("persona_byline" in e.artifacts for e in texts)
    assert any("persona_byline" in e.artifacts for e in copies if e.family == "jannah")
