"""What a scraper does to a copied article, drawn at random: the `Copy` plan.

Every artifact of the rule catalog appears at its own rate, drawn per copy, so that copies range
from loud (persona author box, spun body, "read full article at" tails, a credit naming the
original outlet) to quiet (the text alone in a clean template: the hard case).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from detector.corpus.sources import Article, outlet_names, outlet_of

# Share of copies that carry no artifact at all beyond the template (the hard case): about 100
# on the full corpus, enough to measure their recall apart (docs/model.md reports it). They
# are indistinguishable from the original by page content alone, so they cap overall recall.
HARD_CASE_RATE = 0.04
# Rate of each artifact among the other copies. Chosen to spread each artifact over a few
# hundred copies per corpus, none on every copy, so that no single flag decides the label.
RATES = {
    "persona_byline": 0.45,
    "author_box": 0.40,
    "spin_body": 0.50,
    "spin_teasers": 0.55,
    "title_tail": 0.25,
    "teaser_tail": 0.30,
    "appeared_first": 0.25,
    "source_link": 0.30,
    "source_leak": 0.35,
    "caption": 0.40,
    "comment_form": 0.50,
    "teasers": 0.75,
    "truncated_teasers": 0.70,
}
# Spinners are run at 0-40% of content words (issue 5); below 5% a spin is invisible.
SPIN_RATE_RANGE = (0.05, 0.40)

# Footer links of feed-import plugins: "Source link" is WP Automatic's default, "Go to Source"
# FeedWordPress-style; the rest are common custom settings (weights: a rough guess at how
# often each is seen, not measured).
SOURCE_LINKS = ("Source link", "Go to Source", "Source: {outlet}", "Read More", "Original Source")
SOURCE_LINK_WEIGHTS = (0.5, 0.15, 0.15, 0.1, 0.1)

CELEBRITY_PERSONAS = (
    "Lionel Messi", "Cristiano Ronaldo", "Taylor Swift", "Elon Musk", "Kim Kardashian",
    "Tom Cruise", "Rihanna", "LeBron James", "Selena Gomez", "Keanu Reeves", "Emma Watson",
    "Brad Pitt", "Shakira", "Neymar Jr", "Dwayne Johnson",
)
GENERIC_PERSONAS = (
    "admin", "Admin", "Editor", "News Desk", "Staff Writer", "webmaster", "Team", "NewsBot",
    "Sarah Johnson", "David Miller", "John Smith", "Emily Davis", "Michael Brown", "Jessica Lee",
    "Chris Wilson", "Anna Taylor", "Mark Thompson", "Laura Martin",
)
PHOTO_AGENCIES = ("Reuters", "AP Photo", "AFP", "Getty Images", "EPA", "Bloomberg")
PHOTOGRAPHERS = ("Kevin Lamarque", "Evan Vucci", "Mandel Ngan", "Andrew Harnik",
                 "Susan Walsh", "Jim Watson", "Alex Brandon", "Carlos Barria")
REPORTERS = ("Alan Fisher", "Rosiland Jordan", "Kimberly Halkett", "Mike Hanna",
             "James Bays", "Heidi Zhou-Castro", "Jonathan Marcus", "Laura Kuenssberg")
PLACES = ("Washington", "London", "Brussels", "Tokyo", "New York", "Geneva", "Paris")
TRUNCATION = ("…", "...", " […]", " [...]", "…")


@dataclass
class Copy:
    """A republished copy, as planned (rendered by a template family)."""

    article: Article
    family: str
    host: str
    url: str
    title: str
    paragraphs: list[str]
    byline: str | None = None
    author_box: str | None = None
    teasers: list[tuple[str, str]] = field(default_factory=list)  # (title, excerpt)
    tail_lines: list[str] = field(default_factory=list)  # after the body
    caption: str | None = None
    comment_form: bool = False
    artifacts: list[str] = field(default_factory=list)  # names, for per-artifact results
    outlet: str = ""


_SENT_END = re.compile(r"(?<=[.!?])\s+")


def plan_copy(article: Article, family: str, host: str, url: str, others: list[Article],
              spinner, rng: random.Random) -> Copy:
    """Draw the artifacts of one copy of ``article``."""
    # A page without a URL has no known outlet: name one of the gazetteer's (scrapers mostly
    # copy the big outlets).
    outlet = (outlet_of(article.site) if ":" not in article.site
              else rng.choice(sorted(set(outlet_names().values()))))
    c = Copy(article, family, host, url, article.title, list(article.paragraphs), outlet=outlet)
    hard = rng.random() < HARD_CASE_RATE

    def on(name: str) -> bool:
        return not hard and rng.random() < RATES[name]

    if hard:
        c.artifacts.append("hard_case")
    if on("spin_body"):
        rate = rng.uniform(*SPIN_RATE_RANGE)
        c.paragraphs = [spinner.spin(p, rate, rng) for p in c.paragraphs]
        c.artifacts.append("spin_body")
    if on("persona_byline"):
        c.byline = rng.choice(CELEBRITY_PERSONAS + GENERIC_PERSONAS)
        c.artifacts.append("persona_byline")
    if on("author_box"):
        c.author_box = c.byline or rng.choice(CELEBRITY_PERSONAS + GENERIC_PERSONAS)
        c.artifacts.append("author_box")
    title_tail = on("title_tail")
    if title_tail:
        c.title = f"{c.title} | {outlet} News read full article at"
        c.artifacts.append("title_tail")
    if on("source_leak"):
        c.paragraphs.insert(rng.randrange(1, len(c.paragraphs) + 1), _leak(outlet, rng))
        c.artifacts.append("source_leak")
    if on("caption"):
        c.caption = _caption(article, rng)
        c.artifacts.append("caption")
    if on("appeared_first"):
        c.tail_lines.append(f"The post {article.title} appeared first on {outlet}.")
        c.artifacts.append("appeared_first")
    if on("source_link"):
        c.tail_lines.append(rng.choices(SOURCE_LINKS, SOURCE_LINK_WEIGHTS)[0]
                            .format(outlet=outlet))
        c.artifacts.append("source_link")
    if on("teasers") or hard:
        spin_teasers = on("spin_teasers")
        truncated = on("truncated_teasers")
        tail = on("teaser_tail") or title_tail
        pool = [o for o in others if o.id != article.id]
        for o in rng.sample(pool, min(len(pool), rng.randint(3, 6))):
            first = " ".join(o.paragraphs[:2])
            excerpt = first[: rng.randint(90, 160)].rsplit(" ", 1)[0]
            if spin_teasers:
                excerpt = spinner.spin(excerpt, rng.uniform(*SPIN_RATE_RANGE), rng)
            excerpt = excerpt + rng.choice(TRUNCATION) if truncated else _first_sentence(first)
            t = o.title + (" read full article at" if tail else "")
            c.teasers.append((t, excerpt))
        c.artifacts.append("teasers" + ("_truncated" if truncated else ""))
    if on("comment_form"):
        c.comment_form = True
        c.artifacts.append("comment_form")
    return c


def _first_sentence(text: str) -> str:
    return _SENT_END.split(text, maxsplit=1)[0]


def _leak(outlet: str, rng: random.Random) -> str:
    rep, place = rng.choice(REPORTERS), rng.choice(PLACES)
    return rng.choice((
        f"{outlet}'s {rep}, reporting from {place}, said the talks were expected to continue.",
        f"{outlet}\u2019s {rep}, reporting from {place}, said officials declined to comment.",
        f"Speaking to {outlet}, a spokesperson said the decision was final.",
        f"This article was originally published by {outlet}.",
        f"Copyright {rng.randint(2008, 2024)} {outlet}. All rights reserved.",
    ))


def _caption(article: Article, rng: random.Random) -> str:
    who = rng.choice(PHOTOGRAPHERS)
    agency = rng.choice(PHOTO_AGENCIES)
    sent = _first_sentence(article.paragraphs[0])[:140]
    return rng.choice((
        f"{sent} [{who}/{agency}]",
        f"{sent} (Photo: {who}/{agency})",
        f"{sent} Photo by {who} / {agency}",
    ))
