"""Attribution leftovers: the page names another site as the one it belongs to.

A scraper copies an article's title and text as they stood on their origin: the ``<title>``
keeps the origin's site name ("... - Stereogum", "Ed Brill - ..."), and the body keeps or gains
a line saying where it came from ("Source: The Verge", "This article was originally published
by Wired.", "Copyright 2014 Stereogum. All rights reserved."). On the origin these name the
serving site itself; on another host they name someone else. Unlike `title_outlet_suffix` and
`outlet_reporter_credit` (sourceleak.py) these rules need no gazetteer: a name is compared with
the serving host, so they only fire when the page's URL is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import (article_span, block_evidence, is_article_block, outlets,
                                  title_block)
from detector.urls import host_of

# Words that say "news site" without naming one: they never identify the serving host (a
# "Daily Herald" title on dailynews.example names another site). Hand-listed from masthead words.
GENERIC_NAME_WORDS = frozenset("""
the a an of and news daily times post herald tribune journal gazette online magazine blog
media today world network press report weekly star sun mail telegraph review group inc
com net org co uk tv radio live channel home new""".split())
# A site name in a title is short: at most this many words / characters (longer is headline).
MAX_NAME_WORDS = 4
MAX_NAME_CHARS = 40
# ... and the headline beside it has at least this many words.
MIN_HEADLINE_WORDS = 4
# Second-level labels of country domains under which sites register (co.uk, com.au, org.nz).
SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"})
# Longest acronym read as a site's initials ("WFA", "NYT", "SCMP"; 6 covers the longer news
# ones, "WSBTV" and the like).
MAX_ACRONYM = 6
# Title parts that name a page or a section, not a site ("International Association for the
# Study of Pain | Welcome", "... | Contact Us", "... - Opinion"): never a masthead. Read off
# the names the rule quoted on the real pages of ../shared/data (321 pages, 5.9%, most of them
# such words, dates and page numbers), kept to words that cannot be an outlet's name alone.
PAGE_WORDS = frozenset("""
welcome|home|home page|homepage|index|main page|untitled|untitled document|default|start|
startseite|accueil|inicio|portada|about|about us|contact|contact us|impressum|imprint|
introduction|search|feedback|support us|official site|official website|rss feed|reports|
news|blog|opinion|business|sport|sports|entertainment|economy|politics|politik|nation|world|
television|education|electronics|travel blog|news release|breaking news|current events|
sign up for free|start for free|overview|faq|help|archive|archives""".replace("\n", "").split("|"))
# Title parts that are a date, a year or a page number ("24 October 2003", "02.11.2021",
# "Nov 2004", "Updated 2025", "Page 1", "Part 1", "Seite 34"): never a masthead.
_NOT_A_NAME = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|"
    r"^(?:page|part|seite|teil|volume|vol\.|chapter|episode|no\.)\s+\S+$", re.IGNORECASE)
_TITLE_SEP = re.compile(r"\s+(?:[|\u2013\u2014\u00bb:]|-{1,2}|::)\s+")
_NAME = re.compile(r"^(?:[A-Z0-9][\w'\u2019&.!-]*)(?:\s+(?:[A-Z0-9&][\w'\u2019&.!-]*|of|the|and|"
                   r"on|for|de|la|du|des))*$")


def _words(name: str) -> list[str]:
    """Lower-case ASCII words of a name, accents folded ("EL PAÍS" -> el, pais: hosts are
    written without them)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return [w for w in re.split(r"[^a-z0-9]+", folded.lower()) if w]


def names_host(name: str, host: str) -> bool:
    """Could ``name`` ("The Verge", "Los Angeles Times", "BBC News") be the site at ``host``?
    Lenient on purpose (a wrong "no" is a false flag on a real page): a distinctive word of the
    name in the host, the name run together in the host, the host's main label in the name, or
    the name's initials as the start of a host label."""
    host = host.lower().removeprefix("www.")
    flat_host = re.sub(r"[^a-z0-9]", "", host)
    words = _words(name)
    if not words:
        return True  # nothing to compare: never a flag
    flat = "".join(words)
    if flat in flat_host or (words[0] == "the" and "".join(words[1:]) in flat_host):
        return True
    if any(len(w) >= 3 and w not in GENERIC_NAME_WORDS and w in flat_host for w in words):
        return True
    labels = [lb for lb in host.split(".") if lb]
    core = labels[-2] if len(labels) >= 2 else labels[0] if labels else ""
    if len(labels) >= 3 and len(labels[-1]) == 2 and core in SECOND_LEVEL:
        core = labels[-3]  # dailymail.co.uk: the name is before "co.uk"
    core = re.sub(r"[^a-z0-9]", "", core)
    if len(core) >= 4 and core in flat:
        return True
    initials = "".join(w[0] for w in words if w not in ("the", "of", "and"))
    if len(initials) >= 2 and any(lb.startswith(initials) for lb in labels):
        return True
    # The capitals of a one-word name as a host label's start ("BlackBoxKey" on bbkmarketing.com).
    caps = "".join(c for c in name if c.isupper()).lower()
    if " " not in name.strip() and len(caps) >= 2 and any(lb.startswith(caps) for lb in labels):
        return True
    # An acronym of a run-together host ("WFA" on worldfutureawards.com): its letters in order
    # in the host's main label, the first letter first.
    acronym = name.strip()
    if 2 <= len(acronym) <= MAX_ACRONYM and acronym.isalpha() and acronym.isupper():
        it = iter(core)
        return core.startswith(acronym[0].lower()) and all(c in it for c in acronym.lower())
    return False


def _title_ends(title: str) -> list[tuple[int, str, str]]:
    """The title's two end parts, as (start, part, the rest of the title): the segment after
    its last separator, then the one before its first; none without a separator."""
    seps = list(_TITLE_SEP.finditer(title))
    if not seps:
        return []
    return [(start, title[start:end].strip(), rest) for start, end, rest in (
        (seps[-1].end(), len(title.rstrip()), title[:seps[-1].start()]),
        (0, seps[0].start(), title[seps[0].end():]))]


def _site_part(title: str) -> tuple[int, int] | None:
    """(start, end) of the site-name part of a title: the segment after the last separator
    (or before the first one) that is a short capitalised name beside a longer headline."""
    for start, name, rest in _title_ends(title):
        if (name and len(name) <= MAX_NAME_CHARS and len(name.split()) <= MAX_NAME_WORDS
                and _NAME.match(name) and len(rest.split()) >= MIN_HEADLINE_WORDS):
            return start, start + len(name)
    return None


# Weak: 5.9% of real publisher pages carry a title part that names no part of their host (a
# section, "Arts and Entertainment"; a sister brand, "PerthNow" on news.com.au).
@rule(severity="weak")
def title_site_elsewhere(page: Page) -> Iterator[Evidence]:
    """The page title carries a site name ("... - Stereogum", "Ed Brill - ...") that does not
    name the host serving the page: a title copied with its origin's masthead.

    Must flag:
        url: https://herald-hub.com/2024/03/album-of-the-week/
        Album Of The Week: Prince Rama Top 10 Hits Of The End Of The World - Stereogum

        It's not like I've spent a vast chunk of my life thinking about Brooklyn deep-psych band
        Prince Rama, but when I have thought of them, I haven't always thought the nicest things.
    --
        url: https://newsbuzz.info/updating-entitlements/
        Ed Brill - Updating entitlements in Notes/Domino 8.5.3

        Next week, on November 13, we plan to update the entitled version of Connections Files.
    Must not flag:
        url: https://www.stereogum.com/1234/album-of-the-week/
        Album Of The Week: Prince Rama Top 10 Hits Of The End Of The World - Stereogum

        It's not like I've spent a vast chunk of my life thinking about Brooklyn deep-psych band
        Prince Rama, but when I have thought of them, I haven't always thought the nicest things.
    --
        url: https://www.latimes.com/politics/story.html
        Senate passes the budget bill after a long night - Los Angeles Times

        The Senate passed the budget bill early on Friday after a long night of debate on taxes.
    --
        url: https://www.bbc.co.uk/news/uk-123
        BBC News - Council approves new budget for road repairs

        The city council approved the budget on Tuesday after a long debate over road repairs.
    --
        Album Of The Week: Prince Rama Top 10 Hits Of The End Of The World - Stereogum

        A page whose URL is unknown cannot name another site than its own.
    --
        url: https://worldfutureawards.com/2025-top-100-blockchain-and-web3-companies/
        2025 TOP 100 Blockchain and Web3 Companies | WFA

        The awards list the hundred companies that shaped blockchain and web3 this year.
    --
        url: http://www.iasp-pain.org/TC98SeptOct.html
        International Association for the Study of Pain | Welcome

        The association brings together scientists, clinicians and health-care providers.
    """
    host, b = page.host, title_block(page)
    if not host or b is None:
        return
    span = _site_part(b.text)
    if span is None:
        return
    name = b.text[span[0]:span[1]]
    if (name.lower() in PAGE_WORDS or _NOT_A_NAME.search(name) or name in outlets()
            or names_host(name, host)):
        return  # a gazetteer outlet is title_outlet_suffix's; the host's own name is normal
    yield block_evidence("title_site_elsewhere", b, span[0], span[1],
                         f"the title names '{name}', not the site serving the page ({host})")


# A title part that is a domain name ("NYTimes.com", "guardian.co.uk", "SymbianV3.Com"): labels
# of letters, digits and hyphens, the last one 2-6 letters and not all capitals ("ASP.NET",
# "NODE.JS" are product names, not sites).
_DOMAIN = re.compile(r"^(?:www\.)?[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*"
                     r"\.(?=[A-Za-z]{0,5}[a-z])[A-Za-z]{2,6}$")


def _title_domain(title: str) -> tuple[int, int] | None:
    """(start, end) of a domain name ending or starting the title beside a headline of at
    least MIN_HEADLINE_WORDS words ("... - NYTimes.com", "Consumer lending soars | Business |
    guardian.co.uk"); None when neither end of the title is one."""
    for start, part, rest in _title_ends(title):
        if _DOMAIN.match(part) and len(rest.split()) >= MIN_HEADLINE_WORDS:
            return start, start + len(part)
    return None


def domain_names_host(domain: str, host: str) -> bool:
    """Could the site at ``domain`` (written in a title) be the one at ``host``? The same
    domain or one of its subdomains, `names_host` of the domain's words ("MZ.de" on mz-web.de,
    "MSNBC.com" on msnbc.msn.com, "ChristianityTodayLibrary.com" on christianitytoday.com), or a
    domain made of the initials of the host's hyphenated name ("dhz.net" on
    deutsche-handwerks-zeitung.de)."""
    low = domain.lower().removeprefix("www.")
    host = host.lower().removeprefix("www.")
    if host == low or host.endswith("." + low) or low.endswith("." + host):
        return True
    if names_host(domain, host):  # (as written: its capitals can be the host's initials)
        return True
    label = low.split(".")[0]
    hyphenated = [lb.split("-") for lb in host.split(".") if "-" in lb]
    return any("".join(w[0] for w in words if w) == label for words in hyphenated)


# Medium, as `title_outlet_suffix`: it fires on 2 of the 5,415 real publisher pages (0.04%,
# benchmarks/rules_on_publishers.py: an archive.org copy, a reseller's brochure), and a domain
# names one site where a masthead word can be a section; but a title is one signal, and a
# licensed partner may keep the origin's.
@rule(severity="medium")
def title_domain_elsewhere(page: Page) -> Iterator[Evidence]:
    """The page title ends (or starts) with a domain name ("... - NYTimes.com", "... |
    guardian.co.uk") that is not the host serving the page: a title copied with its origin's
    domain.

    Must flag:
        url: https://now-media.co/2025/12/state-polling-consistent/
        2012's state polling is very consistent – even if it proves consistently wrong | Comment is free | guardian.co.uk

        I haven't analysed every new poll, as totals show a narrow Obama lead in key states.
    --
        url: https://feed24.com/gains-for-obama/
        Gains for Obama Leave Romney With Longer Odds - NYTimes.com

        The president's lead in the swing states held through the last week of the campaign.
    Must not flag:
        url: https://www.guardian.co.uk/commentisfree/2012/nov/05/state-polling
        2012's state polling is very consistent – even if it proves consistently wrong | Comment is free | guardian.co.uk

        I haven't analysed every new poll, as totals show a narrow Obama lead in key states.
    --
        url: https://www.motorcycle-usa.com/2012/02/world-superbike-test/
        World Superbike: Phillip Island Test Day 2 - MotorcycleUSA.com

        The second day of testing at Phillip Island brought faster times for the factory teams.
    --
        url: https://www.deutsche-handwerks-zeitung.de/eigentumsvorbehalt/
        Eigentumsvorbehalt: Das sollten Käufer und Verkäufer wissen - dhz.net

        Wer eine Ware unter Eigentumsvorbehalt verkauft, bleibt bis zur Zahlung ihr Eigentümer.
    --
        url: https://www.mz-web.de/dessau/flugplatzfest-zweite-f13/
        Hingucker beim Flugplatzfest in Dessau: Zweite F13 kurz vor der Zulassung | MZ.de

        Beim Flugplatzfest in Dessau stand die zweite F13 kurz vor ihrer Zulassung.
    --
        url: https://learn.example.org/aspnet/core/
        Getting started with Razor Pages in ASP.NET Core | ASP.NET

        Razor Pages make coding page-focused scenarios easier than using controllers and views.
    --
        Gains for Obama Leave Romney With Longer Odds - NYTimes.com

        A page whose URL is unknown cannot name another site than its own.
    """
    host, b = page.host, title_block(page)
    if not host or b is None:
        return
    span = _title_domain(b.text)
    if span is None:
        return
    domain = b.text[span[0]:span[1]]
    if domain_names_host(domain, host):
        return
    yield block_evidence("title_domain_elsewhere", b, span[0], span[1],
                         f"the title names the domain {domain}, not the host serving the "
                         f"page ({host})")


# "This article was originally published by X", "Source: X", "Copyright 2014 X. All rights
# reserved." as a line of its own: the text says which site it belongs to. Not "Originally
# Posted by X": a forum quoting one of its members.
_ORIGIN = re.compile(
    r"^(?:This (?:article|story|post|piece) (?:was|is|has been) |It (?:was )?)?(?:originally|"
    r"first) (?:(?:published|appeared) (?:by|on|in|at)|posted (?:on|in|at)) "
    r"(?P<a>[^.\n]{2,60}?)\.?$"
    r"|^(?:Source|Via|Originally from)\s*[:\-\u2013]\s*(?P<b>[^.\n]{2,60}?)\.?$"
    r"|^(?:Copyright|\u00a9|\(c\))\s*(?:\u00a9\s*)?(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?,?\s+)?"
    r"(?P<c>[^.\n]{2,60}?)\.?\s+All rights reserved\.?$",
    re.IGNORECASE)
# Attribution lines are short (a sentence of their own).
MAX_ATTRIBUTION_CHARS = 120
# They stand inside the article or in the few blocks right after its last paragraph, or
# among the short paragraphs before its first prose paragraph (a one-line lede is not prose).
# After: 6, as a theme puts a caption, share bar or tags between the text and a feed plugin's
# "Source: X" (3 missed those; 6 adds one real page of 5,415, a true "originally published on
# page 28 of The Sunday Tribune" on a sister paper).
BLOCKS_AFTER_ARTICLE = 6
BLOCKS_BEFORE_ARTICLE = 3


# Medium: 0.59% of the 5,415 real publisher pages ("Source: Bureau of Labor Statistics" under
# a figure, "Copyright PA Sport 2008" on a partner of the Press Association).
@rule(severity="medium")
def attribution_elsewhere(page: Page) -> Iterator[Evidence]:
    """A line of the article, or just after it, saying the text belongs to another site
    ("Source: The Verge", "This article was originally published by Wired.", "Copyright 2014
    Stereogum. All rights reserved.") when that site does not serve the page.

    Must flag:
        url: https://trendhub.xyz/2024/03/apple-earnings/
        Apple earnings beat expectations

        Apple reported quarterly revenue of 90 billion dollars on Thursday, beating the
        analysts' forecasts for the quarter, as sales of services and wearables grew in every region.

        Source: The Verge
    --
        url: https://dailyfeed.net/apple-earnings/
        Apple earnings beat expectations

        Apple reported quarterly revenue of 90 billion dollars on Thursday, beating the
        analysts' forecasts for the quarter, as sales of services and wearables grew in every region.

        This article was originally published by Wired.

        Analysts had expected a weaker quarter after the slowdown in iPhone sales in China.
    --
        url: https://dailyfeed.net/apple-earnings/
        Apple earnings beat expectations

        Apple beat the forecasts on Thursday.

        This article was originally published by Politico.

        Apple reported quarterly revenue of 90 billion dollars on Thursday, beating the
        analysts' forecasts for the quarter, as sales of services and wearables grew in every region.
    --
        url: https://infoviral.live/weather/gif-word-of-the-year.html
        GIF Tops YOLO as Oxford American Dictionary Word of the Year

        After 25 years of fighting for relevancy, the GIF has received the acknowledgement it
        deserves, as Oxford American Dictionaries' official 2012 word of the year. The following
        words competed with GIF for the title.

        1. Eurogeddon: the potential financial collapse of the Eurozone

        2. Super PAC: a type of independent political action committee

        3. Superstorm: an unusually large and destructive storm

        4. Nomophobia: anxiety caused by being without one's mobile phone

        5. Higgs boson: a subatomic particle

        6. YOLO: you only live once

        7. MOOC: massive open online course

        8. Frankenstorm: a storm that merges two others

        Copyright 2011 Premium Times. All rights reserved.

        Naturally, it's only appropriate to honor the word GIF in the best way possible.
    Must not flag:
        url: https://www.theverge.com/2024/03/apple-earnings
        Apple earnings beat expectations

        Apple reported quarterly revenue of 90 billion dollars on Thursday, beating the
        analysts' forecasts for the quarter, as sales of services and wearables grew in every region.

        Source: The Verge
    --
        url: https://www.warriorforum.example/beginners-area/will-this-method-work.html
        Will this method work for a beginner?

        Originally Posted by Shancock

        I have been trying to get my first site ranked for six months now and wonder whether the
        method in the guide still works for a beginner in 2024, or whether I should start again.
    --
        url: https://localpaper.example/apple-earnings
        Apple earnings beat expectations

        Apple reported quarterly revenue of 90 billion dollars on Thursday, beating forecasts,
        according to a source close to the company who spoke to The Verge on Thursday.
    --
        Apple earnings beat expectations

        Apple reported quarterly revenue of 90 billion dollars on Thursday, beating the
        analysts' forecasts for the quarter, as sales of services and wearables grew in every region.

        Source: The Verge
    """
    host = page.host
    if not host:
        return
    first, last = article_span(page)
    if first < 0:
        return
    meta_hosts = None  # canonical and og:url hosts, parsed at the first attribution line
    blocks = page.blocks
    start = max(first - BLOCKS_BEFORE_ARTICLE, 0)
    end = last + 1 + BLOCKS_AFTER_ARTICLE
    n = len(blocks)
    for i in range(start, n):
        b = blocks[i]
        if len(b.text) > 2 * MAX_ATTRIBUTION_CHARS:  # cheap: block texts carry no runs of spaces
            continue
        # a line between two article blocks is inside the article, however far the text goes
        # on in short paragraphs (a list) and whatever kind the line was given ("Copyright
        # 2011 X. All rights reserved." reads as a footer)
        inside = (0 < i < n - 1 and is_article_block(blocks[i + 1])
                  and is_article_block(blocks[i - 1]))
        if not inside and (i >= end or b.kind in ("navigation", "footer")):
            continue
        text = b.text.strip()
        if len(text) > MAX_ATTRIBUTION_CHARS:
            continue
        m = _ORIGIN.match(text)
        if not m:
            continue
        group = next(g for g in ("a", "b", "c") if m.group(g))
        name = m.group(group).strip()
        if meta_hosts is None:
            meta_hosts = _meta_hosts(page)
        if not names_host(name, host) and not any(names_host(name, h) for h in meta_hosts):
            off = b.text.find(text)
            yield block_evidence("attribution_elsewhere", b, off + m.start(group),
                                 off + m.end(group),
                                 f"the text says it belongs to '{name}', not to {host}")


def _meta_hosts(page: Page) -> list[str]:
    return [h for h in (host_of(page.meta.get("canonical")), host_of(page.meta.get("og:url")))
            if h]
