"""Credit rules of branch `recall2` on hand-written pages shaped like real scraper themes (not
made by detector.corpus), and on real publisher pages."""

import pytest

from detector.datasets import DATASETS, load
from detector.pipeline import prepare
from detector.readers import ReadError, page_from_bytes, page_from_text
from detector.rules import REGISTRY, all_rules

BODY = ("<p>The city council approved next year's budget on Tuesday night after a long debate "
        "over road repairs, school buses and the cost of the new library wing downtown.</p>"
        "<p>The mayor said taxes would stay level, while two members voted against the plan and "
        "asked for an audit of the transport department before the spring.</p>")


def _page(html: str, url: str | None):
    all_rules()  # the registry fills on first use
    return prepare(page_from_text(html, source="test", url=url))


def _fires(rule_id: str, html: str, url: str | None = "https://citybuzz24.example/budget/"):
    page = _page(html, url)
    return [e.text for e in REGISTRY[rule_id](page)]


# tagDiv Newspaper's byline markup (By and the name are two elements) on a WordPress install
# that posts as its default account.
TD_BYLINE = ('<html><head><title>Council approves budget</title></head><body><article><header>'
             '<h1 class="entry-title">Council approves budget</h1><div class="td-module-meta-info">'
             '<div class="td-post-author-name"><div class="td-author-by">By</div> '
             '<a href="/author/{slug}/">{name}</a></div></div></header>' + BODY +
             "</article></body></html>")
AUTHOR_BOX = ('<html><head><title>Council approves budget</title></head><body><article>'
              "<h1>Council approves budget</h1>" + BODY + '<div class="author-box">'
              '<h4 class="author-title">About {name}</h4></div></article></body></html>')


def test_default_account_author_split_byline():
    assert _fires("default_account_author", TD_BYLINE.format(slug="admin", name="admin")) == \
        ["admin"]
    assert _fires("default_account_author", TD_BYLINE.format(slug="wm", name="Webmaster")) == \
        ["Webmaster"]
    # a person signs: silent, and so is generic_persona_byline's one-block form
    assert not _fires("default_account_author",
                      TD_BYLINE.format(slug="mlopez", name="Maria Lopez"))


def test_default_account_author_box():
    assert _fires("default_account_author", AUTHOR_BOX.format(name="admin")) == ["About admin"]
    assert not _fires("default_account_author", AUTHOR_BOX.format(name="Maria Lopez"))
    # "About the Editor" is a masthead page's section, not an account signing a post
    assert not _fires("default_account_author", AUTHOR_BOX.format(name="the Editor"))


def test_default_account_author_role_labels_are_not_accounts():
    # real pages label author boxes "Author" or list the "Editor" role: never a default account
    html = ('<html><head><title>Council approves budget</title></head><body><article>'
            "<h1>Council approves budget</h1>" + BODY + '<div class="author-box"><h4>Author</h4>'
            '<p>Maria Lopez</p></div><div class="author"><span>Editor</span></div></article>'
            "</body></html>")
    assert not _fires("default_account_author", html)


CREDIT = ('<html><head><title>Storm knocks out power to thousands</title></head><body>'
          '<div class="site-content"><article><h1 class="entry-title">Storm knocks out power to '
          'thousands</h1><div class="entry-content"><p>High winds knocked out power to more than '
          "40,000 homes across the county overnight, and crews expected repairs to take days.</p>"
          "<p>KTLA's Erin Myers, reporting from Pasadena, said residents were clearing fallen "
          "trees from the streets on Sunday morning while the utility asked for patience.</p>"
          "{extra}</div></article></div></body></html>")


def test_reporter_credit_elsewhere_on_a_scraper_host():
    assert _fires("reporter_credit_elsewhere", CREDIT.format(extra=""),
                  "https://newsflash-today.example/2024/01/storm-power/") == \
        ["KTLA's Erin Myers, reporting from"]


def test_reporter_credit_elsewhere_silent_on_the_credited_site_and_licensed_copies():
    assert not _fires("reporter_credit_elsewhere", CREDIT.format(extra=""),
                      "https://ktla.com/news/local-news/storm-power/")
    licensed = CREDIT.format(extra="<p>This story was originally published by KTLA and is "
                                   "republished here with permission.</p>")
    assert not _fires("reporter_credit_elsewhere", licensed,
                      "https://newsflash-today.example/2024/01/storm-power/")
    # unknown URL: nothing to compare with
    assert not _fires("reporter_credit_elsewhere", CREDIT.format(extra=""), None)


def test_reporter_credit_elsewhere_leaves_gazetteer_outlets_to_outlet_reporter_credit():
    html = CREDIT.format(extra="").replace("KTLA's Erin Myers", "Al Jazeera's Alan Fisher")
    page = _page(html, "https://newsflash-today.example/2024/01/storm-power/")
    assert not REGISTRY["reporter_credit_elsewhere"](page)
    assert REGISTRY["outlet_reporter_credit"](page)


def test_bare_author_box_on_a_theme_author_box():
    # a persona box of an Astra-like theme, a related list after it: no biography
    html = AUTHOR_BOX.format(name="Maria Lopez").replace(
        "</div></article>", '</div><div class="related-posts"><h3>Related</h3><ul><li><a '
        'href="/x/">Another story</a></li></ul></div></article>')
    assert _fires("bare_author_box", html) == ["About Maria Lopez"]


def test_bare_author_box_silent_on_site_links_and_owners_boxes():
    # the site's own "About" link in a footer menu
    footer = ('<html><head><title>Council approves budget</title></head><body><article><h1>'
              "Council approves budget</h1>" + BODY + '</article><footer><ul><li><a href="/about/">'
              'About City Buzz</a></li><li><a href="/contact/">Contact</a></li></ul></footer>'
              "</body></html>")
    assert not _fires("bare_author_box", footer, "https://citybuzz24.example/budget/")
    # a personal blog: the box names the blog's owner, whose site it is
    assert not _fires("bare_author_box", AUTHOR_BOX.format(name="Maria Lopez"),
                      "https://marialopez.blog/2024/01/budget/")
    # the same box with its biography
    bio = AUTHOR_BOX.format(name="Maria Lopez").replace(
        "</h4></div>", "</h4><p>Maria Lopez covers city hall, schools and transport for the "
        "paper and has reported from the council chamber since 2015.</p></div>")
    assert not _fires("bare_author_box", bio)


# Pages per dataset read from ../shared/data: enough to meet bylines, author boxes and
# correspondents of several publishers while keeping the test under ~20 s.
PAGES_PER_DATASET = 30


def test_credit_rules_silent_on_real_publisher_pages(shared_data):
    """On real publisher pages (all negatives) neither rule fires: over the full data they fire
    on 0.00% (reporter_credit_elsewhere) and 0.06% (default_account_author) of 5,415 pages
    (benchmarks/rules_on_publishers.py)."""
    all_rules()
    fired, n = [], 0
    for ds in DATASETS:
        for gp in load(ds, limit=PAGES_PER_DATASET):
            rec = page_from_bytes(gp.raw(), source=str(gp.path), url=gp.url)
            if isinstance(rec, ReadError):
                continue
            page = prepare(rec)
            n += 1
            for rid in ("reporter_credit_elsewhere", "default_account_author"):
                if REGISTRY[rid](page):
                    fired.append((rid, gp.path))
    assert n > 100
    assert not fired


@pytest.mark.parametrize("rid", ["reporter_credit_elsewhere", "default_account_author",
                                 "bare_author_box"])
def test_credit_rules_are_registered(rid):
    assert rid in {r.id for r in all_rules()}
