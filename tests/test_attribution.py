"""Attribution rules: site names compared with the serving host."""

import pytest

from detector.pipeline import prepare
from detector.readers import page_from_text
from detector.rules import REGISTRY, all_rules
from detector.rules.attribution import _site_part, _title_domain, domain_names_host, names_host


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


def test_title_domain_is_a_domain_at_either_end_of_the_title():
    for t, want in [
        ("Gains for Obama Leave Romney With Longer Odds - NYTimes.com", "NYTimes.com"),
        ("Consumer lending soars | Business | guardian.co.uk", "guardian.co.uk"),
        ("Nokia E71 Software Update - v400.21.013 | SymbianV3.Com", "SymbianV3.Com"),
        ("www.example.org - How the river was cleaned in a decade", "www.example.org"),
    ]:
        span = _title_domain(t)
        assert span is not None and t[span[0]:span[1]] == want, t
    for t in ["Getting started with Razor Pages in ASP.NET Core | ASP.NET",  # capital TLD
              "Short title - NYTimes.com",  # no headline beside it
              "A headline that ends with a version - v1.2",
              "Gains for Obama Leave Romney With Longer Odds - New York Times",
              "Gains for Obama Leave Romney With Longer Odds"]:
        assert _title_domain(t) is None, t


@pytest.mark.parametrize("domain,host", [
    ("guardian.co.uk", "www.guardian.co.uk"), ("guardian.co.uk", "m.guardian.co.uk"),
    ("NYTimes.com", "www.nytimes.com"), ("MotorcycleUSA.com", "www.motorcycle-usa.com"),
    ("MSNBC.com", "msnbc.msn.com"), ("MZ.de", "www.mz-web.de"),
    ("dhz.net", "www.deutsche-handwerks-zeitung.de"),
    ("ChristianityTodayLibrary.com", "www.christianitytoday.com"),
])
def test_a_domain_names_its_own_host(domain, host):
    assert domain_names_host(domain, host)


@pytest.mark.parametrize("domain,host", [
    ("guardian.co.uk", "now-media.co"), ("NYTimes.com", "feed24.com"),
    ("rent-a-pastor.com", "web.archive.org"), ("CNN.com", "foxnews.com"),
])
def test_a_domain_does_not_name_another_host(domain, host):
    assert not domain_names_host(domain, host)


def test_title_domain_elsewhere_needs_the_url_and_another_host():
    html = ("<html><head><title>Gains for Obama Leave Romney With Longer Odds - NYTimes.com"
            "</title></head><body><h1>Gains for Obama</h1><p>" +
            "The president's lead in the swing states held through the week. " * 6 +
            "</p></body></html>")
    rule = REGISTRY["title_domain_elsewhere"]
    (ev,) = rule(prepare(page_from_text(html, source="t", url="https://feed24.com/gains/")))
    assert ev.text == "NYTimes.com"
    assert not rule(prepare(page_from_text(html, source="t",
                                           url="https://www.nytimes.com/2012/11/gains.html")))
    assert not rule(prepare(page_from_text(html, source="t")))


def test_rules_are_registered():
    ids = {r.id for r in all_rules()}
    assert {"title_site_elsewhere", "title_domain_elsewhere", "attribution_elsewhere"} <= ids
