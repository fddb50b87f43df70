"""Attribution rules: site names compared with the serving host."""

import pytest

from detector.pipeline import prepare
from detector.readers import page_from_text
from detector.rules import REGISTRY, all_rules
from detector.rules.attribution import _site_part, names_host


@pytest.mark.parametrize("name,host", [
    ("The Verge", "www.theverge.com"), ("Los Angeles Times", "www.latimes.com"),
    ("BBC News", "news.bbc.co.uk"), ("Stereogum", "stereogum.com"),
    ("Sports Illustrated", "si.com"),
    # acronyms of run-together hosts, and the capitals of a one-word name
    ("WFA", "worldfutureawards.com"), ("NYT", "www.nytimes.com"),
    ("BlackBoxKey", "bbkmarketing.com"),
    # the name under a country's second-level domain
    ("Daily Mail Online", "www.dailymail.co.uk"), ("EL PAÍS Uruguay", "elpais.com.uy"),
])
def test_a_site_names_its_own_host(name, host):
    assert names_host(name, host)


@pytest.mark.parametrize("name,host", [
    ("Stereogum", "herald-hub.com"), ("Ed Brill", "newsbuzz.info"),
    # generic masthead words never identify a host
    ("Boston Herald", "heraldhub.com"), ("The Daily Mail", "mailtoday.example"),
    # an acronym or a brand whose letters do not start the host
    ("WFA", "wirenow.xyz"), ("CNN", "foxnews.com"), ("InfoWorld", "world-24.org"),
])
def test_another_site_does_not(name, host):
    assert not names_host(name, host)


def test_site_part_is_the_short_side_of_the_title():
    t = "Album Of The Week: Prince Rama Top 10 Hits - Stereogum"
    s, e = _site_part(t)
    assert t[s:e] == "Stereogum"
    t = "Ed Brill - Updating entitlements in Notes/Domino 8.5.3"
    s, e = _site_part(t)
    assert t[s:e] == "Ed Brill"
    assert _site_part("A headline without any site name in it") is None
    assert _site_part("Short - Title") is None  # no headline beside the name


def test_attribution_quiet_when_canonical_names_the_credited_site():
    html = ("<html><head><title>Apple earnings beat expectations</title>"
            '<link rel="canonical" href="https://www.theverge.com/apple-earnings"></head><body>'
            "<h1>Apple earnings beat expectations</h1><p>" + "Apple reported revenue. " * 12 +
            "</p><p>Source: The Verge</p></body></html>")
    page = prepare(page_from_text(html, source="t", url="https://partner.example/apple"))
    assert not REGISTRY["attribution_elsewhere"](page)
    page = prepare(page_from_text(html.replace("theverge.com", "partner.example"), source="t",
                                  url="https://partner.example/apple"))
    assert REGISTRY["attribution_elsewhere"](page)


def test_rules_are_registered():
    ids = {r.id for r in all_rules()}
    assert {"title_site_elsewhere", "attribution_elsewhere"} <= ids
