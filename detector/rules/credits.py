"""Credits that do not belong to the serving site (branch `recall2`).

Two leftovers that the older rules miss because they read one fixed shape:

- a correspondent credit of a site that is not in the outlet gazetteer ("Signonsandiego's Jane
  Doe, reporting from Paris" on a farm host): `outlet_reporter_credit` knows only gazetteer
  outlets; this one compares the credited name with the serving host, like
  `attribution_elsewhere` (detector/rules/attribution.py);
- a default account signing the post when the theme splits the byline over two elements
  ("By" | "admin") or puts it in an author box ("About admin"): `generic_persona_byline` reads
  only "By admin" inside one block and the author metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import (block_evidence, blocks_starting_with, blocks_with,
                                  lowered_page, outlets)
from detector.rules.attribution import _meta_hosts, names_host
from detector.rules.persona import (_AUTHOR_BOX, AUTHOR_BLOCK_MAX_CHARS, BIO_MIN_CHARS, BY_LABEL,
                                    NAME, _is_person)
from detector.rules.sourceleak import _credited

# "<Site>'s <Reporter>, reporting from": the site is 1-4 capitalised words before the
# possessive (or "<Site> correspondent <Reporter>").
_SITE_REPORTER = re.compile(
    rf"\b(?P<site>[A-Z][\w&.!-]*(?: [A-Z][\w&.!-]*){{0,3}})(?:['\u2019]s?|\s+(?:correspondent|"
    rf"reporter|senior correspondent))\s+(?P<name>{NAME}),?\s+(?:who is\s+|is\s+)?"
    rf"(?:reporting|reports)\s+from\b")
# Possessives that name no site ("Monday's", "the country's" never match a capital; these do).
_NOT_SITE = frozenset("""The This That It He She They We I A An Our Their His Her Its Your My
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday Tonight""".split())


@rule(severity="strong")
def reporter_credit_elsewhere(page: Page) -> Iterator[Evidence]:
    """The text credits a site's own correspondent ("Signonsandiego's Jane Doe, reporting from
    Paris") and that site names neither the serving host nor the canonical's; no licence
    credit on the page. Like `outlet_reporter_credit` without its gazetteer (gazetteer outlets
    are left to that rule), so it is silent when the page's URL is unknown.

    Must flag:
        url: https://hubstar682.net/2023/12/liberia-trial/
        Judges in Liberian ex-president's trial allow video of victims

        Signonsandiego's Rosiland Jordan, reporting from Paris, said officials declined to comment on the ruling of the court.
    --
        url: https://dailyfeed.example/markets
        Markets slide as rates rise

        Stock markets fell sharply on Monday. Marketwatch correspondent Jane Doe, reporting from New York, said traders were nervous.
    Must not flag:
        url: https://www.signonsandiego.com/news/2008/jan/liberia-trial
        Judges in Liberian ex-president's trial allow video of victims

        Signonsandiego's Rosiland Jordan, reporting from Paris, said officials declined to comment on the ruling of the court.
    --
        url: https://localpaper.example/liberia-trial
        Judges in Liberian ex-president's trial allow video of victims

        Signonsandiego's Rosiland Jordan, reporting from Paris, said officials declined to comment on the ruling of the court.

        This article was originally published by Signonsandiego and is republished with permission.
    --
        url: https://localpaper.example/markets
        Markets slide as rates rise

        Monday's John Smith reports from the floor were grim, and the country's Jane Doe, reporting from Tokyo, agreed.
    --
        Judges in Liberian ex-president's trial allow video of victims

        Signonsandiego's Rosiland Jordan, reporting from Paris, said officials declined to comment.
    """
    host = page.host
    if not host:
        return
    blocks = page.blocks
    # Every match says "reporting from"/"reports from": only blocks holding "report" can match.
    hits = [(b, m) for b in (blocks[i] for i in blocks_with(lowered_page(blocks), "report"))
            if "from" in b.text for m in _SITE_REPORTER.finditer(b.text)]
    if not hits or _credited(page):
        return
    known = outlets()
    meta_hosts = _meta_hosts(page)
    for b, m in hits:
        site = m.group("site")
        if site.split()[0] in _NOT_SITE or site in known:
            continue
        if names_host(site, host) or any(names_host(site, h) for h in meta_hosts):
            continue
        yield block_evidence("reporter_credit_elsewhere", b, m.start(), m.end(),
                             f"credits {site}'s own correspondent; {host} is not {site}")


# A lone "By" (the theme's label) right before the name element.
_BY_LABEL = re.compile(rf"^{BY_LABEL}$", re.IGNORECASE)
_ABOUT_ACCOUNT = re.compile(r"^About(?: the author)?:?\s+(?P<name>[\w ]{2,20})$", re.IGNORECASE)
# Default accounts of blog software (WordPress "admin", "webmaster"...): the name alone in an
# author element is one of these. "Author", "User", "Guest" alone are labels on real pages
# (wcxb "Author" headings), and "Editor" alone is a role label (a dragnet masthead), so those
# count only after a "By" label or in "About NAME".
_ACCOUNTS = frozenset({"admin", "administrator", "webmaster", "wpadmin", "site admin"})
_ACCOUNTS_SIGNED = _ACCOUNTS | {"editor", "site editor"}
# An author element is short: a name or "About NAME".
ACCOUNT_BLOCK_MAX_CHARS = 30


@rule(severity="medium")
def default_account_author(page: Page) -> Iterator[Evidence]:
    """A default account signs the post in the theme's own author elements: a byline split
    over two elements ("By" | "admin"), an author box ("About admin", "About Editor"), or an
    author element that is only the account name.

    Must flag:
        <html><head><title>Council approves budget</title></head><body><h1>Council approves budget</h1><div class="post-author"><div class="author-by">By</div> <a class="author-name" href="/author/admin/">admin</a></div><p>The city council approved the budget on Tuesday after a long debate over road repairs and the cost of new buses for the district.</p></body></html>
    --
        Council approves budget

        The city council approved the budget on Tuesday after a long debate over road repairs and the cost of new buses for the district.

        About Editor
    Must not flag:
        <html><head><title>Council approves budget</title></head><body><h1>Council approves budget</h1><div class="post-author"><div class="author-by">By</div> <a class="author-name" href="/author/mlopez/">Maria Lopez</a></div><p>The city council approved the budget on Tuesday after a long debate over road repairs and the cost of new buses for the district.</p></body></html>
    --
        Council approves budget

        The city council approved the budget on Tuesday after a long debate over road repairs; the editor of the council minutes, an admin, agreed.

        About Maria Lopez
    """
    blocks = page.blocks
    # Every account name holds one of _ACCOUNT_KEYWORDS, and a block can only be signed by a
    # name it holds: the other blocks cannot match (the reference loop reads them all).
    lowered = lowered_page(blocks)
    hits = sorted({i for k in _ACCOUNT_KEYWORDS for i in blocks_with(lowered, k)})
    yield from _default_account_author(blocks, (blocks[i] for i in hits))


def _default_account_author_reference(page: Page) -> Iterator[Evidence]:
    """`default_account_author` reading every block (the loop it replaced; the tests' oracle)."""
    yield from _default_account_author(page.blocks, page.blocks)


# One of these is in every name of _ACCOUNTS_SIGNED (lower case, as `blocks_with` takes them).
_ACCOUNT_KEYWORDS = ("admin", "webmaster", "editor")


def _default_account_author(blocks: list, candidates: Iterable) -> Iterator[Evidence]:
    for b in candidates:
        text = b.text.strip()
        if not text or len(text) > ACCOUNT_BLOCK_MAX_CHARS or b.kind == "title":
            continue
        name = None
        m = _ABOUT_ACCOUNT.match(text)
        if m and m.group("name").strip().lower() in _ACCOUNTS_SIGNED:
            name = m.group("name").strip()
        elif text.lower() in _ACCOUNTS_SIGNED:
            prev = blocks[b.index - 1] if b.index > 0 else None
            if ((b.kind == "author" and text.lower() in _ACCOUNTS)
                    or (prev is not None and _BY_LABEL.match(prev.text.strip()))):
                name = text
        if name:
            off = b.text.find(text)
            yield block_evidence("default_account_author", b, off, off + len(text),
                                 f"signed by the default account '{name}', not a person")


# Blocks where "About NAME" is a site link ("About BBC News", "About the White House" in menus
# and footers: 4.8% of real publisher pages fire `author_box_without_bio`, nearly all there).
_MENU_KINDS = frozenset({"navigation", "footer", "title"})
# A heading made of a link is a menu item, not an author box heading.
MAX_BOX_LINK_DENSITY = 0.5


@rule(severity="medium")
def bare_author_box(page: Page) -> Iterator[Evidence]:
    """An author box heading ("About Lionel Messi") with no biography after it, outside menus
    and footers, naming a person rather than the serving site: the persona box of a scraper
    theme. The strict form of `author_box_without_bio`, whose real-page hits are site links
    ("About BBC News" in a footer).

    Must flag:
        url: https://trendbuzz.example/2024/01/biden-kishida/
        Biden hosts Kishida

        Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts said.

        About Lionel Messi

        Check Also
    Must not flag:
        url: https://trendbuzz.example/2024/01/biden-kishida/
        Biden hosts Kishida

        Kishida was hoping the meeting would help his standing at home, where his popularity is falling, analysts said.

        About Jane Doe

        Jane Doe covers Japanese politics from Tokyo and has reported on three prime ministers since 2012.
    --
        <html><head><title>Council approves budget</title></head><body><h1>Council approves budget</h1><p>The city council approved the budget on Tuesday after a long debate over road repairs and the cost of new buses for the district.</p><footer><ul><li><a href="/about">About Trend Buzz</a></li><li><a href="/blog">Trend Buzz Blog</a></li><li><a href="/privacy">Privacy</a></li></ul></footer></body></html>
    """
    host = page.host
    meta_hosts = _meta_hosts(page)
    for b in blocks_starting_with(page, "A"):  # the only blocks _AUTHOR_BOX can match
        if (b.kind in _MENU_KINDS or len(b.text) > AUTHOR_BLOCK_MAX_CHARS
                or b.link_density > MAX_BOX_LINK_DENSITY):
            continue
        m = _AUTHOR_BOX.match(b.text)
        if not m or not _is_person(m.group("name")):
            continue
        name = m.group("name")
        if any(names_host(name, h) for h in ([host] if host else []) + meta_hosts):
            continue
        nxt = page.blocks[b.index + 1] if b.index + 1 < len(page.blocks) else None
        if nxt is None or len(nxt.text) < BIO_MIN_CHARS:
            yield block_evidence("bare_author_box", b, m.start(), m.end(),
                                 f"an author box for '{name}' with no biography")
