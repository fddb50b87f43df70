"""URL helpers shared by readers, rules and the scanner."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit


@lru_cache(maxsize=65536)
def host_of(url: str | None) -> str:
    """Lower-case host without a leading ``www.``; ``""`` when there is none.

    >>> host_of("https://WWW.Example.com:8080/a?b")
    'example.com'
    """
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    """True when two hosts are the same site or one is a subdomain of the other."""
    if not a or not b:
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)
