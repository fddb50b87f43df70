"""Scraper and autoblog fingerprints: text that feed-scraping plugins leave on a page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.page import Evidence, Page
from detector.rules import rule
from detector.rules._util import (block_evidence, blocks_starting_with, blocks_with, lowered_page,
                                  search_blocks)
from detector.urls import host_of, same_site

_READ_FULL_ARTICLE = re.compile(r"\bread (?:the )?full (?:article|story) (?:at|on)\b\s*[:\-]?\s*$",
                                re.IGNORECASE)
# The whole block is the plugin's link label (a real page says more around "source").
# The footer link of a feed-import plugin ("Source link" is WP Automatic's default, "Go to
# Source" FeedWordPress-style, "Original Source" a common setting): a block of its own, or the
# last sentence of one (a plain-text copy glues it to the line before, "...appeared first on
# Goal. Source link").
_SOURCE_LINK = re.compile(r"(?:^|(?<=[.!?\"\u201d] ))(?:Source link|Source Link|SOURCE LINK|"
                          r"Go to Source|Go To Source|Original Source|Original source)\s*[:.]?$")
# The longest footer link plus the characters before it that the pattern looks at.
_SOURCE_LINK_TAIL = 24
# WordPress feed footer: "The post <title> appeared first on <site>.", ending its block or
# followed by another sentence (a plain-text copy glues the next line to it: "... appeared
# first on Goal. Source link"); the site's name may hold dots ("Goal.com").
_APPEARED_FIRST = re.compile(r"\bThe post (?P<title>.{3,300}?) appeared first on "
                             r"(?P<site>[^\n]{2,80}?)(?:\.(?=\s+[A-Z])|\.?\s*$)")
_SOURCE_BY = re.compile(r"^Source by (?:[A-Z][\w'.-]*)(?: [A-Z][\w'.-]*){0,3}$")
_VISIT_ORIGINAL = re.compile(r"\b(?:Visit the original (?:article|post|story)|Original (?:article|"
                             r"post|story))\s*(?:at|on|here)?\s*:?\s*(?P<url>https?://\S+)",
                             re.IGNORECASE)
# Spintax left unexpanded: {a|b|c}, and [spin]...[/spin] markers.
# Alternatives are words or phrases (no spaces at the edges, some lower case): "{FIRST|NEXT}"
# in SQL docs, "{ a | b }" templates and "{x | x in A}" set notation are not spintax.
_ALT = r"[A-Za-z][A-Za-z' -]{0,30}[a-z]"
_SPINTAX = re.compile(rf"\{{{_ALT}(?:\|{_ALT}){{1,10}}\}}|\[/?spin\]")
# A one-name placeholder ("{rev}", "{author}") marks template code, where "{node|short}" is a
# variable and its filter (Mercurial, Jinja): a spinner never writes a brace without choices.
# Seen in a plain-text copy of a Mercurial guide (readability set), the only real page where
# spinner_syntax fired.
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w.]*\}")
# Chatbot output pasted as an article; "site.com+2" is the residue of a chatbot's citation chips.
_CHATBOT = re.compile(
    r"\bAs an AI language model\b|\bAs an AI developed by\b|\bI'?m sorry,? but I (?:cannot|can't) "
    r"(?:fulfill|help with|assist)|\bAs of my (?:last )?knowledge (?:update|cutoff)\b|"
    r"\bRegenerate response\b|\b[a-z0-9-]{2,40}\.(?:com|org|net|co\.uk|gov|edu|io)\+\d\b",
    re.IGNORECASE)
_FARM_DISCLAIMER = re.compile(
    r"\bInformation for this article was gathered from (?:a variety of )?(?:reliable )?"
    r"(?:news )?(?:outlets|sources)\b|\bThis (?:article|post|story|content) (?:is|was) "
    r"(?:automatically generated|auto-generated|generated automatically)\b|"
    r"\bwe (?:do not|don't) (?:claim|own) (?:any )?(?:ownership|rights) (?:of|to) (?:this|the) "
    r"(?:content|article|news)\b|\bauto-?(?:posted|published) from (?:a |an )?(?:rss )?feed\b",
    re.IGNORECASE)


@rule(severity="strong")
def read_full_article_tail(page: Page) -> Iterator[Evidence]:
    """A title or teaser ending in "read full article at": an autoblog plugin's link tail.

    Must flag:
        Biden hosting Kishida | Joe Biden News read full article at

        US President Joe Biden is hosting Japanese Prime Minister Fumio Kishida.
    Must not flag:
        Biden hosting Kishida as US, Japan bolster ties

        You can read the full article at our partner's site tomorrow, the editors said.
    """
    yield from search_blocks("read_full_article_tail", page.blocks, _READ_FULL_ARTICLE,
                             "a scraper plugin appends 'read full article at' to copied titles",
                             ("full",))


@rule(severity="strong")
def source_link_footer(page: Page) -> Iterator[Evidence]:
    """A block that is only "Source link", "Go to Source" or "Original Source", or ends with it
    after a sentence: an autoblog plugin's footer link.

    Must flag:
        Council approves new budget

        The city council approved the budget on Tuesday after a long debate over road repairs.

        Source link
    --
        Council approves new budget

        The city council approved the budget on Tuesday after a long debate over road repairs.

        Go to Source
    --
        Cole: winning the cup would give Chelsea momentum

        A lot of clubs go years without winning prizes while that happens, the manager said after the match.

        The post Cole: winning the cup would give Chelsea momentum appeared first on Goal.
        Source link
    --
        Council approves new budget

        The city council approved the budget on Tuesday after a long debate over road repairs.

        Original Source
    Must not flag:
        Council approves new budget

        The source of the leak, a council aide said, was a link in an internal email.

        Sources: city council minutes; interviews.
    """
    blocks = page.blocks
    for i in blocks_with(lowered_page(blocks), "source"):  # every match holds it
        b = blocks[i]
        text = b.text
        off = max(len(text) - _SOURCE_LINK_TAIL, 0)
        m = _SOURCE_LINK.search(text, off)
        if m:
            yield block_evidence("source_link_footer", b, m.start(), m.end(),
                                 "autoblog plugins end copied posts with a bare source link")


def _site_matches_host(site: str, host: str) -> bool:
    """Does a site name ("TechCrunch", "The Verge") plausibly name this host?"""
    key = re.sub(r"[^a-z0-9]", "", site.lower())
    key_no_the = key[3:] if key.startswith("the") else key
    flat = re.sub(r"[^a-z0-9]", "", host.lower())
    return bool(key) and (key in flat or key_no_the in flat or
                          any(len(lbl) > 3 and lbl in key for lbl in host.split(".")))


@rule(severity="strong")
def feed_footer_elsewhere(page: Page) -> Iterator[Evidence]:
    """ "The post X appeared first on Y." on a page not served by Y: copied from Y's RSS feed.

    Must flag:
        url: https://newsaggregator.example/2023/01/kishida-visit
        Kishida visits Washington

        Japanese Prime Minister Fumio Kishida met President Joe Biden at the White House.

        The post Kishida visits Washington appeared first on Tokyo Daily Wire.
    --
        url: https://newsaggregator.example/2023/01/kishida-visit
        Kishida visits Washington

        Japanese Prime Minister Fumio Kishida met President Joe Biden at the White House.

        The post Kishida visits Washington appeared first on Goal.com.
        Source link
    Must not flag:
        url: https://tokyodailywire.example/2023/01/kishida-visit
        Kishida visits Washington

        Japanese Prime Minister Fumio Kishida met President Joe Biden at the White House.

        The post Kishida visits Washington appeared first on Tokyo Daily Wire.
    """
    host = page.host
    blocks = page.blocks
    for b in (blocks[i] for i in blocks_with(lowered_page(blocks), "appeared first")):
        m = _APPEARED_FIRST.search(b.text) if "appeared first" in b.text else None
        if m and not (host and _site_matches_host(m.group("site"), host)):
            yield block_evidence("feed_footer_elsewhere", b, m.start(), m.end(),
                                 f"a feed footer of '{m.group('site')}' on another host")


@rule(severity="strong")
def source_by_author(page: Page) -> Iterator[Evidence]:
    """A block that is only "Source by NAME": the footer of article-directory copies.

    Must flag:
        Ten tips for a better garden

        Water early in the morning and mulch your beds to keep the soil moist in summer.

        Source by Mary Johnson
    Must not flag:
        Ten tips for a better garden

        Source by source, the reporters checked every claim made by Mary Johnson.
    """
    for b in blocks_starting_with(page, "S"):  # the only blocks _SOURCE_BY can match
        m = _SOURCE_BY.match(b.text)
        if m:
            yield block_evidence("source_by_author", b, m.start(), m.end(),
                                 "article directories append 'Source by NAME' to copies")


@rule(severity="strong")
def visit_original_elsewhere(page: Page) -> Iterator[Evidence]:
    """ "Visit the original article at URL" where URL is on another host than the page.

    Must flag:
        url: https://farm.example/news/rates
        Rates rise again

        The central bank raised rates by a quarter point on Wednesday.

        Visit the original article at https://www.reuters.com/markets/rates-rise
    Must not flag:
        url: https://www.reuters.com/markets/rates-rise-analysis
        Rates rise again

        The central bank raised rates by a quarter point on Wednesday.

        Visit the original article at https://www.reuters.com/markets/rates-rise
    """
    host = page.host
    for i in blocks_with(lowered_page(page.blocks), "original"):
        b = page.blocks[i]
        for m in _VISIT_ORIGINAL.finditer(b.text):
            target = host_of(m.group("url"))
            if target and not same_site(target, host):
                yield block_evidence("visit_original_elsewhere", b, m.start(), m.end(),
                                     f"points readers to the original on {target}")


@rule(severity="strong")
def spinner_syntax(page: Page) -> Iterator[Evidence]:
    """Unexpanded spintax ({quick|fast|rapid}) or [spin] markers left in the text.

    Must flag:
        Best loans

        Getting a {loan|credit|advance} has never been {easier|simpler} for small firms.
    Must not flag:
        Best loans

        The bank's rate {see table} fell to 4.5% in May, its lowest since 2021.
    --
        Shared mutable history

        $ hg log -G -q -r 'head()' --template '{rev}:{node|short}  ({author})\\n'
    """
    # Only blocks holding "|" or "spin]" can match.
    lowered = lowered_page(page.blocks)
    for i in sorted({*blocks_with(lowered, "|"), *blocks_with(lowered, "spin]")}):
        b = page.blocks[i]
        if b.kind == "title" or b.tag in ("pre", "code") or _PLACEHOLDER.search(b.text):
            continue
        for m in _SPINTAX.finditer(b.text):
            yield block_evidence("spinner_syntax", b, m.start(), m.end(),
                                 "spinner syntax left unexpanded")


@rule(severity="strong")
def chatbot_residue(page: Page) -> Iterator[Evidence]:
    """Chatbot output pasted as an article ("As an AI language model", "reuters.com+2").

    Must flag:
        Market outlook

        As an AI language model, I cannot predict stock prices, but analysts expect growth.
    --
        Market outlook

        Shares rose 3% after the earnings call, analysts said. reuters.com+2
    Must not flag:
        Market outlook

        The company said its AI language model would be offered to banks from March.
    """
    yield from search_blocks("chatbot_residue", page.blocks, _CHATBOT,
                             "text generated by a chatbot and pasted unedited",
                             # one of these is in every match, lowered (the citation chip:
                             # a listed ending then "+")
                             ("as an ai ", "sorry", "knowledge", "regenerate", "com+", "org+",
                              "net+", "uk+", "gov+", "edu+", "io+"))


@rule(severity="strong")
def farm_disclaimer(page: Page) -> Iterator[Evidence]:
    """A content-farm disclaimer: the text was gathered from other outlets or auto-generated.

    Must flag:
        Storm hits coast

        Information for this article was gathered from a variety of reliable news outlets.
    Must not flag:
        Storm hits coast

        Information for this article was contributed by our correspondents in Miami and Tampa.
    """
    yield from search_blocks("farm_disclaimer", page.blocks, _FARM_DISCLAIMER,
                             "a content farm says the text was gathered or generated",
                             ("information for", "generated", "ownership", "rights",
                              "posted from", "published from"))
