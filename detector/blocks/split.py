"""The host-disjoint split used to train and evaluate the block classifier.

A page belongs to a *site* (its registered domain, approximated: last two host labels, or three
under a two-letter country code with a generic second level like ``co.uk``). Sites are hashed
(crc32, stable across runs and machines) into `FOLDS` folds; fold `TEST_FOLD` is held out: the
shipped model never saw any page of those sites, and every benchmark figure on "held-out" pages
is measured on them only.

Where a benchmark page has no URL (dragnet, readability), the site is read from the page's
``<link rel=canonical>`` or ``og:url``; trafilatura_eval ids are ``<host>-<slug>``; failing all
that the page is its own site (``<dataset>:<id>``).
"""

from __future__ import annotations

import re
import zlib

from detector.urls import host_of

FOLDS = 5  # 1 in 5 sites held out: ~20% of pages for testing, ~80% for training
TEST_FOLD = 0
_GENERIC_SLD = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go"})
_CANONICAL = re.compile(
    r"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)|"""
    r"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""", re.I)
_HOSTLIKE = re.compile(r"^([a-z0-9-]+(?:\.[a-z0-9-]+)+)")


def site_of_host(host: str) -> str:
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _GENERIC_SLD:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def site_of(dataset: str, page_id: str, url: str | None, html: str | None = None) -> str:
    """The site key of one benchmark page (see the module docstring)."""
    host = host_of(url) if url and "://" in url else ""
    if not host and html:
        m = _CANONICAL.search(html[:65536])
        if m:
            host = host_of(m.group(1) or m.group(2))
    if not host and dataset == "trafilatura_eval":
        m = _HOSTLIKE.match(page_id.lower())
        if m:
            host = m.group(1)
    return site_of_host(host) if host else f"{dataset}:{page_id}"


def fold_of(site: str) -> int:
    return zlib.crc32(site.encode("utf-8")) % FOLDS


def is_held_out(site: str) -> bool:
    return fold_of(site) == TEST_FOLD
