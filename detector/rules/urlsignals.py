"""URL and head signals: mirrored URLs, duplicate slugs, canonical/site name elsewhere, title
category tails. A canonical link elsewhere can be legitimate syndication: it is a feature
(weak), never a verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import (block_evidence, meta_evidence, outlets, served_by, title_block,
                                  url_evidence)
from detector.urls import host_of, same_site

# Another site's host inside the path: "/www.cnn.com/2023/01/13/...", "/https://bbc.co.uk/...",
# "/proxy/http/gumc.georgetown.edu/news-release/...".
_HOST_IN_PATH = re.compile(
    r"/(?:https?(?::|%3a)(?:/|%2f)*)?(?P<host>(?:www\.)?[a-z0-9-]{2,63}(?:\.[a-z0-9-]{2,63})*"
    r"\.(?P<tld>[a-z]{2,12}))(?=/|$)", re.IGNORECASE)
# Top-level domains a host in the path may end in. Where the path ends with it ("/tag/cnn.com"
# is a topic page), only the common ones count, as before; where the mirrored path goes on
# after it, every country code (ISO 3166-1 alpha-2 as listed by CLDR, plus uk, eu, su) and the
# generic and much-used newer ones count (proxies mirror .edu, .gov, .me, .blog, .ai sites).
_TLDS_AT_END = frozenset("com net org co info news io us uk ca au in de fr".split())
_TLDS = _TLDS_AT_END | frozenset("""
edu gov mil int biz name pro mobi asia blog online site xyz top club live tech store shop app dev
digital systems cloud media network agency studio design art press today world space website page
link life guru solutions services company global group email host wiki
ac ad ae af ag ai al am ao aq ar as at aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by
bz cc cd cf cg ch ci ck cl cm cn cr cu cv cw cx cy cz dj dk dm do dz ec ee eg er es et eu fi fj fk
fm fo ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im iq ir is
it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh
mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg
ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su
sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uy uz va vc ve vg vi vn vu wf ws
ye yt za zm zw""".split())
# WordPress adds "-2" to a slug that already exists: the same post imported twice.
# Web archives and caches are mirrors by design, not republishers.
_ARCHIVES = ("web.archive.org", "archive.org", "archive.today", "archive.ph", "archive.is",
             "webcache.googleusercontent.com", "archive.li")
_DUP_SLUG = re.compile(r"/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+){2,}-2)(?:\.html?|\.php)?/?$")
_CATEGORY_TAIL = re.compile(
    r"\s\|\s*(?P<tail>(?:[A-Z][\w'\u2019-]*\s+){0,3}News)"
    r"(?=\s*(?:read (?:the )?full (?:article|story) (?:at|on))?\s*$)")


@rule(severity="strong")
def mirrored_url(page: Page) -> Iterator[Evidence]:
    """The URL's path holds another site's host: a mirror or proxy copy of that site's page.

    Must flag:
        url: https://mirror.example/www.aljazeera.com/news/2023/1/13/biden-kishida
        Biden hosts Kishida

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
        --
        url: https://wirenow.example/proxy/http/gumc.georgetown.edu/news-release/meditation
        Meditation lowers stress markers

        Mindfulness meditation training lowered biomarkers of stress in a trial of 70 adults.
    Must not flag:
        url: https://www.aljazeera.com/news/2023/1/13/biden-kishida
        Biden hosts Kishida

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
        --
        url: https://www.techpaper.example/tag/spice.ai
        Spice AI launches a data accelerator

        The start-up Spice AI launched a data accelerator for its query engine on Tuesday.
        --
        url: https://arxiv.example/list/cs.AI/recent
        Artificial Intelligence: recent submissions

        New submissions in artificial intelligence, listed by date of the last revision.
    """
    url = page.url or ""
    if any(page.host == a or page.host.endswith("." + a) for a in _ARCHIVES):
        return
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    offset = url.find(parts.path) if parts.path else -1
    if offset < 0:
        return
    path = parts.path
    for m in _HOST_IN_PATH.finditer(path):
        host, tld = m.group("host"), m.group("tld").lower()
        goes_on = m.end() + 1 < len(path)  # more path after "/host/"
        # The wider list only for a host written in lower case, as mirrors write hosts: arXiv's
        # "/list/cs.AI/recent" is a subject class (the one hit of the wider list on the data).
        if tld not in _TLDS_AT_END and not (goes_on and tld in _TLDS and host.islower()):
            continue
        h = host_of("http://" + host)
        if h and not same_site(h, page.host):
            yield url_evidence("mirrored_url", url, offset + m.start("host"),
                               offset + m.end("host"), f"the path mirrors {h}")


@rule(severity="medium")
def duplicate_slug_url(page: Page) -> Iterator[Evidence]:
    """A slug ending in "-2": WordPress's suffix for a post imported a second time.

    Must flag:
        url: https://farm.example/biden-hosting-kishida-as-us-japan-bolster-ties-2/
        Biden hosts Kishida

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
    Must not flag:
        url: https://news.example/2023/01/13/biden-hosting-kishida-as-us-japan-bolster-ties/
        Biden hosts Kishida

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
    """
    url = page.url or ""
    path = urlsplit(url).path if url else ""
    m = _DUP_SLUG.search(path)
    if m:
        start = url.find(path) + m.start("slug")
        yield url_evidence("duplicate_slug_url", url, start, start + len(m.group("slug")),
                           "a duplicate-post slug")


@rule(severity="weak")
def canonical_elsewhere(page: Page) -> Iterator[Evidence]:
    """The canonical link (or og:url) points at another host than the one serving the page:
    syndication or a copy. The serving host is the page's URL, or where that is unknown, its
    og:url (a site's og:url names itself; a partner carrying a wire story names the partner).

    Must flag:
        url: https://dailynewsfeed24.xyz/biden-kishida/
        <html><head><title>Biden hosts Kishida</title><link rel="canonical" href="https://www.aljazeera.com/news/biden-kishida"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    --
        <html><head><title>Biden hosts Kishida</title><link rel="canonical" href="https://www.aljazeera.com/news/biden-kishida"><meta property="og:url" content="https://partnerpaper.com/ap/biden-kishida"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    Must not flag:
        <html><head><title>Biden hosts Kishida</title><link rel="canonical" href="/news/biden-kishida"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    --
        <html><head><title>Biden hosts Kishida</title><link rel="canonical" href="https://www.aljazeera.com/news/biden-kishida"><meta property="og:url" content="https://www.aljazeera.com/news/biden-kishida"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    """
    og_url = page.meta.get("og:url", "")
    served = page.host or (host_of(og_url) if og_url.startswith(_ABSOLUTE) else "")
    if not served:
        return  # where the page is served is unknown: nothing to compare with
    keys = ("canonical", "og:url") if page.host else ("canonical",)
    for key in keys:
        value = page.meta.get(key, "")
        h = host_of(value) if value.startswith(_ABSOLUTE) else ""
        if h and not same_site(h, served):
            yield meta_evidence("canonical_elsewhere", page, key,
                                f"{key} points at {h}, the page is served by {served}")


_ABSOLUTE = ("http://", "https://", "//")


@rule(severity="weak")
def site_name_elsewhere(page: Page) -> Iterator[Evidence]:
    """og:site_name names a known outlet that does not serve this page.

    Must flag:
        <html><head><title>Biden hosts Kishida</title><meta property="og:site_name" content="Al Jazeera"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    Must not flag:
        <html><head><title>Biden hosts Kishida</title><meta property="og:site_name" content="Tokyo Daily"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    """
    name = page.meta.get("og:site_name", "").strip()
    domains = outlets().get(name)
    if domains and not served_by(page, domains):
        yield meta_evidence("site_name_elsewhere", page, "og:site_name",
                            f"og:site_name is {name}, which does not serve this page")


@rule(severity="weak")
def title_category_tail(page: Page) -> Iterator[Evidence]:
    """The title ends with a category tail ("| Joe Biden News"), another site's title format.

    Must flag:
        Biden hosting Kishida as US, Japan bolster ties | Joe Biden News read full article at

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
    Must not flag:
        Biden hosting Kishida as US, Japan bolster ties

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida. | Joe Biden News
    """
    b = title_block(page)
    m = _CATEGORY_TAIL.search(b.text) if b is not None else None
    if not m:
        return
    tail = m.group("tail")
    if tail in outlets() or (page.host and _names_host(tail, page.host)):
        return
    yield block_evidence("title_category_tail", b, m.start("tail"), m.end("tail"),
                         "a category tail from another site's title format")


def _names_host(name: str, host: str) -> bool:
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return key in re.sub(r"[^a-z0-9]", "", host.lower())
