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
from detector.rules._util import block_evidence, meta_evidence, outlets, served_by, url_evidence
from detector.urls import host_of, same_site

# Another site's host inside the path: "/www.cnn.com/2023/01/13/...", "/https://bbc.co.uk/...".
_HOST_IN_PATH = re.compile(
    r"/(?:https?(?::|%3a)(?:/|%2f)*)?(?P<host>(?:www\.)?[a-z0-9-]{2,63}(?:\.[a-z0-9-]{2,63})*"
    r"\.(?:com|net|org|co\.uk|co|info|news|io|us|uk|ca|com\.au|in|de|fr))(?=/|$)", re.IGNORECASE)
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
    Must not flag:
        url: https://www.aljazeera.com/news/2023/1/13/biden-kishida
        Biden hosts Kishida

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
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
    for m in _HOST_IN_PATH.finditer(parts.path):
        h = host_of("http://" + m.group("host"))
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
    """The canonical link (or og:url) points at another host: syndication or a copy.

    Must flag:
        <html><head><title>Biden hosts Kishida</title><link rel="canonical" href="https://www.aljazeera.com/news/biden-kishida"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    Must not flag:
        <html><head><title>Biden hosts Kishida</title><link rel="canonical" href="/news/biden-kishida"></head><body><p>US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.</p></body></html>
    """
    for key in ("canonical", "og:url"):
        value = page.meta.get(key, "")
        h = host_of(value) if value.startswith(("http://", "https://", "//")) else ""
        if h and not same_site(h, page.host):
            yield meta_evidence("canonical_elsewhere", page, key, f"{key} points at {h}")


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
    for b in page.blocks[:1]:
        if b.tag != "title" and b.kind != "title":
            continue
        m = _CATEGORY_TAIL.search(b.text)
        if not m:
            continue
        tail = m.group("tail")
        if tail in outlets() or (page.host and _names_host(tail, page.host)):
            continue
        yield block_evidence("title_category_tail", b, m.start("tail"), m.end("tail"),
                             "a category tail from another site's title format")


def _names_host(name: str, host: str) -> bool:
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    return key in re.sub(r"[^a-z0-9]", "", host.lower())
