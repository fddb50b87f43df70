"""Content-farm template families: how a planned `Copy` becomes a page.

Each family is one render function, modelled on what real scraper sites run:

- ``jannah``: TieLabs Jannah/Sahifa-like WordPress theme: post meta byline, "About <author>"
  box, a "Check Also" box of related teasers, the WordPress comment form;
- ``newspaper``: tagDiv Newspaper-like theme: td-post header, "RELATED ARTICLES" / "MORE FROM
  AUTHOR" block, author box, comments;
- ``autoblog``: bare feed-import plugin output on a default theme: the body, then the plugin's
  tails ("Source link", "The post ... appeared first on ..."), a "Recent Posts" sidebar;
- ``proxy``: a mirror serving the original page under its own host with the original host in
  the path, links rewritten through the mirror, a banner injected;
- ``plaintext``: a plain-text dump like the seed (title line, paragraphs, the template's
  leftovers as lines).

Hard negatives use their own templates: ``wire`` (a licensed wire story on a partner paper:
credited, canonical link to the original), ``blog`` (a personal blog with an about box that
matches the byline and a comment form), ``text_original`` (an original article as plain text).
"""

from __future__ import annotations

import random
import re
from html import escape

from detector.corpus.artifacts import GENERIC_PERSONAS, Copy
from detector.corpus.sources import Article, outlet_of

COPY_FAMILIES = ("jannah", "newspaper", "autoblog", "proxy", "plaintext")
NEGATIVE_FAMILIES = ("wire", "blog", "text_original")
# Plain-text renderings of originals added apart from the hard negatives (see
# detector.corpus.PLAINTEXT_ORIGINAL_SHARE), so that plain text is no sign of a copy.
PLAINTEXT_NEGATIVE_FAMILIES = ("text_original", "text_dump")

CATEGORIES = ("World", "Politics", "Business", "Tech", "Sports", "Entertainment", "Health",
              "Science", "Lifestyle", "Opinion", "Travel", "Crypto", "Celebrity", "Markets",
              "Gaming", "Auto", "Food", "Education", "Local", "Weather")
FARM_WORDS = ("news", "daily", "times", "post", "buzz", "trend", "hub", "wire", "today", "world",
              "report", "insider", "feed", "viral", "media", "global", "star", "now", "24",
              "info", "zone", "flash", "press", "herald")
FARM_TLDS = ("com", "net", "org", "info", "xyz", "online", "site", "news", "co", "live")
PARTNER_PAPERS = ("Tribune", "Gazette", "Herald", "Courier", "Daily News", "Journal",
                  "Register", "Observer", "Sentinel", "Chronicle")
TOWNS = ("Springfield", "Riverside", "Fairview", "Madison", "Greenville", "Clinton", "Franklin",
         "Salem", "Georgetown", "Bristol", "Oxford", "Dover")
WIRE_SERVICES = (("Associated Press", "AP", "apnews.com"), ("Reuters", "Reuters", "reuters.com"),
                 ("Agence France-Presse", "AFP", "afp.com"))


def farm_host(rng: random.Random) -> str:
    a, b = rng.sample(FARM_WORDS, 2)
    sep = rng.choice(("", "", "-"))
    return f"{a}{sep}{b}{rng.randint(1, 999) if rng.random() < 0.3 else ''}.{rng.choice(FARM_TLDS)}"


def slug(title: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return s[:80] or "post"


def farm_url(host: str, title: str, rng: random.Random) -> str:
    y, m = rng.randint(2019, 2025), rng.randint(1, 12)
    return rng.choice((f"https://{host}/{y}/{m:02d}/{slug(title)}/",
                       f"https://{host}/{slug(title)}/",
                       f"https://{host}/{rng.choice(CATEGORIES).lower()}/{slug(title)}.html",
                       f"https://{host}/?p={rng.randint(100, 99999)}"))


# --- shared chrome -------------------------------------------------------------------------

def _nav(host: str, rng: random.Random, cls: str) -> str:
    cats = rng.sample(CATEGORIES, rng.randint(5, 14))
    items = "".join(f'<li class="menu-item"><a href="https://{host}/category/{c.lower()}/">'
                    f"{c}</a></li>" for c in cats)
    return f'<nav class="{cls}"><ul class="menu">{items}</ul></nav>'


def _sidebar(host: str, titles: list[str], rng: random.Random) -> str:
    parts = []
    if titles:
        lis = "".join(f'<li><a href="https://{host}/{slug(t)}/">{escape(t)}</a></li>'
                      for t in titles)
        parts.append(f'<section class="widget widget_recent_entries"><h2 class="widget-title">'
                     f"{rng.choice(('Recent Posts', 'Latest News', 'Trending', 'Popular'))}"
                     f"</h2><ul>{lis}</ul></section>")
    if rng.random() < 0.6:
        cats = "".join(f'<li><a href="https://{host}/category/{c.lower()}/">{c}</a></li>'
                       for c in rng.sample(CATEGORIES, rng.randint(4, 10)))
        parts.append(f'<section class="widget widget_categories"><h2 class="widget-title">'
                     f"Categories</h2><ul>{cats}</ul></section>")
    if rng.random() < 0.4:
        months = "".join(f'<li><a href="https://{host}/{2024 - i // 12}/{12 - i % 12:02d}/">'
                         f"{['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][11 - i % 12]} {2024 - i // 12}</a></li>"
                         for i in range(rng.randint(3, 12)))
        parts.append(f'<section class="widget widget_archive"><h2 class="widget-title">'
                     f"Archives</h2><ul>{months}</ul></section>")
    return f'<aside id="secondary" class="sidebar widget-area">{"".join(parts)}</aside>'


def _footer(host: str, rng: random.Random) -> str:
    name = host.split(".")[0].replace("-", " ").title()
    links = "".join(f'<a href="https://{host}/{p}/">{p.replace("-", " ").title()}</a> '
                    for p in rng.sample(("about-us", "contact", "privacy-policy", "disclaimer",
                                         "terms-and-conditions", "dmca", "advertise"),
                                        rng.randint(2, 6)))
    return (f'<footer id="footer" class="site-footer"><div class="footer-links">{links}</div>'
            f'<div class="copyright">© {rng.randint(2019, 2025)} {escape(name)}. '
            f"All Rights Reserved.</div></footer>")


def _comment_form(rng: random.Random) -> str:
    head = rng.choice(("Leave a Reply", "Leave a Reply Cancel reply", "Leave a Comment",
                       "Add Comment"))
    return (f'<div id="respond" class="comment-respond"><h3 id="reply-title" '
            f'class="comment-reply-title">{head}</h3><form id="commentform" class="comment-form">'
            '<p class="comment-notes"><span id="email-notes">Your email address will not be '
            'published.</span> Required fields are marked <span class="required">*</span></p>'
            '<p class="comment-form-comment"><label for="comment">Comment</label></p>'
            '<p class="comment-form-author"><label for="author">Name *</label></p>'
            '<p class="comment-form-email"><label for="email">Email *</label></p>'
            '<p class="comment-form-cookies-consent"><label>Save my name, email, and website in '
            'this browser for the next time I comment.</label></p>'
            '<p class="form-submit">Post Comment</p></form></div>')


def _doc(title: str, body: str, *, canonical: str | None = None, site_name: str | None = None,
         generator: str | None = "WordPress 6.4.2", author: str | None = None) -> str:
    meta = []
    if canonical:
        meta.append(f'<link rel="canonical" href="{escape(canonical)}">')
        meta.append(f'<meta property="og:url" content="{escape(canonical)}">')
    if site_name:
        meta.append(f'<meta property="og:site_name" content="{escape(site_name)}">')
    if generator:
        meta.append(f'<meta name="generator" content="{generator}">')
    if author:
        meta.append(f'<meta name="author" content="{escape(author)}">')
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
            f'</title>{"".join(meta)}</head><body>{body}</body></html>')


def _paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _caption_html(c: Copy, cls: str) -> str:
    if not c.caption:
        return ""
    return (f'<figure class="{cls}"><img src="https://{c.host}/wp-content/uploads/img.jpg" alt="">'
            f'<figcaption class="wp-caption-text">{escape(c.caption)}</figcaption></figure>')


def _site_name(host: str) -> str:
    return host.split(".")[0].replace("-", " ").title()


# --- copy families -------------------------------------------------------------------------

def render_jannah(c: Copy, rng: random.Random, recent: list[str]) -> str:
    byline = (f'<div class="post-meta"><span class="meta-author"><a class="author-name" '
              f'href="https://{c.host}/author/{slug(c.byline)}/">{escape(c.byline)}</a></span>'
              f'<span class="date meta-item">{rng.randint(1, 28)} mins ago</span></div>'
              if c.byline else f'<div class="post-meta"><span class="date">{rng.randint(1, 12)}'
              ' hours ago</span></div>')
    about = (f'<div class="about-author container-wrapper"><h3 class="author-name">About '
             f'{escape(c.author_box)}</h3></div>' if c.author_box else "")
    check = ""
    if c.teasers:
        items = "".join(
            f'<div class="check-also-post"><h2 class="post-title"><a href="https://{c.host}/'
            f'{slug(t)}/">{escape(t)}</a></h2><p class="post-excerpt">{escape(e)}</p></div>'
            for t, e in c.teasers)
        check = (f'<div id="check-also-box" class="check-also-box"><div class="widget-title">'
                 f'<h4>{rng.choice(("Check Also", "Check Also", "You May Also Like"))}</h4>'
                 f"</div>{items}</div>")
    tails = "".join(f"<p>{escape(t)}</p>" for t in c.tail_lines)
    body = (f'<div id="tie-wrapper"><header id="theme-header">{_nav(c.host, rng, "main-nav")}'
            f'</header><div id="content" class="site-content"><article class="post-content">'
            f'<header class="entry-header"><h1 class="post-title entry-title">{escape(c.title)}'
            f"</h1>{byline}</header>"
            f'<div class="entry-content entry clearfix">{_paras(c.paragraphs)}{tails}</div>'
            f"{_caption_html(c, 'wp-caption')}"
            f'<div class="post-footer-on-bottom"><div class="share-links">Share Facebook Twitter'
            f" WhatsApp Telegram</div></div></article>{about}{check}"
            f"{_comment_form(rng) if c.comment_form else ''}</div>"
            f"{_sidebar(c.host, recent, rng)}{_footer(c.host, rng)}</div>")
    return _doc(c.title, body, site_name=_site_name(c.host),
                canonical=c.url if rng.random() < 0.7 else None)


def render_newspaper(c: Copy, rng: random.Random, recent: list[str]) -> str:
    author = (f'<div class="td-post-author-name"><div class="td-author-by">By</div> '
              f'<a href="https://{c.host}/author/{slug(c.byline)}/">{escape(c.byline)}</a></div>'
              if c.byline else "")
    box = (f'<div class="td-author-name vcard author"><a href="https://{c.host}/author/'
           f'{slug(c.author_box)}/">{escape(c.author_box)}</a></div>' if c.author_box else "")
    related = ""
    if c.teasers:
        items = "".join(
            f'<div class="td_module_related_posts"><h3 class="entry-title td-module-title">'
            f'<a href="https://{c.host}/{slug(t)}/">{escape(t)}</a></h3>'
            f'<div class="td-excerpt">{escape(e)}</div></div>' for t, e in c.teasers)
        related = (f'<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title">'
                   f'<a class="td-related-left">{rng.choice(("RELATED ARTICLES", "Related posts"))}'
                   f'</a><a class="td-related-right">MORE FROM AUTHOR</a></h4>{items}</div>')
    tails = "".join(f"<p>{escape(t)}</p>" for t in c.tail_lines)
    body = (f'<div class="td-theme-wrap"><div class="td-header-wrap">'
            f'{_nav(c.host, rng, "td-header-menu-wrap")}</div>'
            f'<div class="td-main-content-wrap"><article class="post type-post">'
            f'<div class="td-post-header"><ul class="td-category"><li><a>'
            f"{rng.choice(CATEGORIES)}</a></li></ul>"
            f'<h1 class="entry-title">{escape(c.title)}</h1><div class="td-module-meta-info">'
            f"{author}<span class=\"td-post-date\">{rng.randint(1, 28)} March {rng.randint(2019, 2025)}"
            f"</span></div></div>"
            f'<div class="td-post-sharing">Share Facebook Twitter Pinterest WhatsApp</div>'
            f"{_caption_html(c, 'td-post-featured-image')}"
            f'<div class="td-post-content tagdiv-type">{_paras(c.paragraphs)}{tails}</div>'
            f'<div class="td-author-name-wrap">{box}</div></article>{related}'
            f'<div class="comments" id="comments">{_comment_form(rng) if c.comment_form else ""}'
            f"</div></div>{_sidebar(c.host, recent, rng)}{_footer(c.host, rng)}</div>")
    return _doc(c.title, body, site_name=_site_name(c.host),
                canonical=c.url if rng.random() < 0.8 else None)


def render_autoblog(c: Copy, rng: random.Random, recent: list[str]) -> str:
    src = c.article.url or f"https://{c.article.site}/"
    tails = []
    for t in c.tail_lines:
        if t.startswith("The post"):
            tails.append(f'<p>The post <a href="{escape(src)}">{escape(c.article.title)}</a> '
                         f'appeared first on <a href="https://{c.article.site}/">'
                         f"{escape(c.outlet)}</a>.</p>")
        else:
            tails.append(f'<p><a href="{escape(src)}" rel="nofollow">{escape(t)}</a></p>')
    by = (f'<span class="byline"> by <span class="author vcard">{escape(c.byline)}</span></span>'
          if c.byline else "")
    box = (f'<div class="author-info"><h2 class="author-title">About {escape(c.author_box)}</h2>'
           "</div>" if c.author_box else "")
    teasers = ""
    if c.teasers:
        items = "".join(f'<li><a href="https://{c.host}/{slug(t)}/">{escape(t)}</a> '
                        f"<span>{escape(e)}</span></li>" for t, e in c.teasers)
        teasers = (f'<div class="yarpp-related"><h3>{rng.choice(("Related", "Related posts:", "You might also like"))}'
                   f"</h3><ol>{items}</ol></div>")
    body = (f'<div id="page" class="site"><header class="site-header"><p class="site-title">'
            f'<a href="https://{c.host}/">{_site_name(c.host)}</a></p>'
            f'{_nav(c.host, rng, "main-navigation") if rng.random() < 0.6 else ""}</header>'
            f'<main id="main"><article class="post hentry"><h2 class="entry-title">'
            f'{escape(c.title)}</h2><div class="entry-meta">'
            f'<span class="posted-on">{rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2019, 2025)}'
            f"</span>{by}</div>"
            f"{_caption_html(c, 'wp-caption aligncenter')}"
            f'<div class="entry-content">{_paras(c.paragraphs)}{"".join(tails)}</div>'
            f"{box}</article>{teasers}{_comment_form(rng) if c.comment_form else ''}</main>"
            f"{_sidebar(c.host, recent, rng)}{_footer(c.host, rng)}</div>")
    return _doc(c.title, body, generator=rng.choice(("WordPress 6.4.2", "WordPress 5.8", None)))


_HREF = re.compile(r"""(href|src)=(["'])(https?:)?//([^/"'>]+)""", re.IGNORECASE)
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)


def render_proxy(c: Copy, rng: random.Random, recent: list[str]) -> str:
    """The original page itself, served through a mirror: links rewritten, a banner added."""
    html = c.article.raw.decode("utf-8", "replace")
    html = _HREF.sub(lambda m: f"{m.group(1)}={m.group(2)}https://{c.host}/{m.group(4)}", html)
    banner = rng.choice((
        f'<div id="proxy-banner">You are viewing a mirror of {escape(c.article.site)}. '
        f'<a href="https://{c.host}/">Browse anonymously</a></div>',
        f'<div class="mirror-notice">Cached page from {escape(c.article.site)}</div>',
        "",
    ))
    extra = ""
    if c.tail_lines or c.comment_form:
        extra = "".join(f"<p>{escape(t)}</p>" for t in c.tail_lines)
        extra += _comment_form(rng) if c.comment_form else ""
    m = _BODY_OPEN.search(html)
    if m:
        html = html[:m.end()] + banner + html[m.end():]
    else:
        html = banner + html
    if extra:
        idx = html.lower().rfind("</body>")
        html = html[:idx] + extra + html[idx:] if idx >= 0 else html + extra
    return html


def render_plaintext(c: Copy, rng: random.Random, recent: list[str]) -> str:
    lines = [c.title, ""]
    for p in c.paragraphs:
        lines += [p, ""]
    lines += [t for t in c.tail_lines] + ([""] if c.tail_lines else [])
    if c.caption:
        lines += [c.caption, "", ""]
    if c.author_box:
        lines += [f"About {c.author_box}", ""]
    if c.teasers:
        lines += [rng.choice(("Check Also", "Related", "You May Also Like")), ""]
        for t, e in c.teasers:
            lines += [t, "", e, ""]
    if c.comment_form:
        lines += ["Leave a Reply", "", "Your email address will not be published. "
                  "Required fields are marked *"]
    return "\n".join(lines).rstrip() + "\n"


# The artifacts a family's pages show, where that is not every artifact drawn: a proxy serves
# the original page itself, so only the lines added at its end and a comment form are on it
# (its copies' spun bodies, personas, teasers and title tails were drawn but never shown); a
# plain-text copy has no byline line (a persona shows there only as its "About" box).
ARTIFACTS_SHOWN = {
    "proxy": frozenset({"appeared_first", "source_link", "comment_form", "hard_case"}),
    "plaintext": frozenset({"spin_body", "author_box", "title_tail", "source_leak", "caption",
                            "appeared_first", "source_link", "teasers", "teasers_truncated",
                            "comment_form", "hard_case"}),
}

RENDERERS = {
    "jannah": render_jannah,
    "newspaper": render_newspaper,
    "autoblog": render_autoblog,
    "proxy": render_proxy,
    "plaintext": render_plaintext,
}


def proxy_url(host: str, article: Article, rng: random.Random) -> str:
    path = (article.url or f"http://{article.site}/").split("://", 1)[-1]
    return rng.choice((f"https://{host}/{path}", f"https://{host}/browse/{path}",
                       f"https://{host}/proxy/http/{path}"))


# --- hard negatives ------------------------------------------------------------------------

# What separates a headline from the site and section names a page's <title> adds
# ("... | Business | guardian.co.uk", "... - NYTimes.com"). An en dash is left alone: headlines
# use it ("consistent – even if it proves consistently wrong").
_TITLE_PARTS = re.compile(r"\s+(?:\||-|\u2014|::|\u00bb)\s+")


def headline(title: str) -> str:
    """The headline of a page's <title>: its longest part between site or section separators
    (the first of equal ones). A licensed partner or a blogger runs the headline under their own
    name; only a copied page keeps the origin's masthead."""
    parts = [p.strip() for p in _TITLE_PARTS.split(title) if p.strip()]
    return max(parts, key=len) if parts else title


def render_wire(a: Article, rng: random.Random, recent: list[str]) -> tuple[str, str]:
    """A licensed wire story on a partner paper: credited, with a canonical link to the
    original. Returns (url, html)."""
    service, short, wire_host = rng.choice(WIRE_SERVICES)
    town = rng.choice(TOWNS)
    paper = f"The {town} {rng.choice(PARTNER_PAPERS)}"
    host = slug(paper).replace("-", "") + rng.choice((".com", ".com", ".net"))
    url = f"https://www.{host}/news/{rng.choice(CATEGORIES).lower()}/{slug(a.title)}"
    reporter = rng.choice(("JOSH BOAK", "ZEKE MILLER", "LISA MASCARO", "AAMER MADHANI",
                           "DAVID RISING", "JILL LAWLESS", "Trevor Hunnicutt", "Jeff Mason"))
    head = headline(a.title)  # the partner's own title: the headline, then its name
    paras = list(a.paragraphs)
    paras[0] = f"{rng.choice(('WASHINGTON', 'NEW YORK', 'LONDON', 'TOKYO'))} ({short}) \u2014 {paras[0]}"
    credit = rng.choice((
        f"Copyright {rng.randint(2010, 2024)} The {service}. All rights reserved. This material "
        "may not be published, broadcast, rewritten or redistributed without permission.",
        f"({short}) Reporting by {reporter.title()}; Editing by Chris Reese",
        f"This story was provided by {service} and is published under licence.",
    ))
    related = "".join(f'<li><a href="https://www.{host}/news/{slug(t)}">{escape(t)}</a></li>'
                      for t in recent[:rng.randint(3, 6)])
    body = (f'<header class="masthead"><div class="logo">{escape(paper)}</div>'
            f'{_nav("www." + host, rng, "site-nav")}</header><main><article class="story">'
            f'<h1 class="headline">{escape(head)}</h1><div class="byline">By {reporter} '
            f'<span class="wire-credit">{service}</span></div>'
            f'<div class="story-body">{_paras(paras)}<p class="credit">{escape(credit)}</p></div>'
            f'</article><section class="related-stories"><h3>More News</h3><ul>{related}</ul>'
            f"</section></main>{_footer(host, rng)}")
    original = a.url or f"https://{wire_host}/article/{slug(a.title)}"
    return url, _doc(f"{head} - {paper}", body, canonical=original, site_name=paper, generator=None,
                     author=f"{reporter.title()}, {service}")


BLOGGERS = ("Jenny Alvarez", "Tom Becker", "Priya Raman", "Marcus Hale", "Sophie Lin",
            "Dan O'Connor", "Ruth Okafor", "Ben Carter")


def render_blog(a: Article, rng: random.Random, recent: list[str]) -> tuple[str, str]:
    """A personal blog post: the owner's byline and matching about box, real comments and a
    comment form."""
    owner = rng.choice(BLOGGERS)
    head = headline(a.title)  # the post's title: the headline, then the blog's name
    host = slug(owner).replace("-", "") + rng.choice((".blog", ".com", ".net", ".me"))
    url = f"https://{host}/{rng.randint(2010, 2024)}/{rng.randint(1, 12):02d}/{slug(a.title)}/"
    comments = "".join(
        f'<li class="comment"><div class="comment-author vcard"><b class="fn">'
        f"{rng.choice(GENERIC_PERSONAS[8:] + BLOGGERS)}</b> says:</div><div class=\"comment-content\">"
        f"<p>{rng.choice(('Great post, thanks for sharing!', 'I had the same experience last year.', 'Interesting read. Do you have a source for the second point?', 'Thanks, this was really helpful.'))}</p></div></li>"
        for _ in range(rng.randint(0, 4)))
    body = (f'<div id="page"><header class="site-header"><p class="site-title">'
            f'<a href="https://{host}/">{escape(owner)}</a></p><p class="site-description">'
            f"Notes on things I care about</p></header><main><article class=\"post\">"
            f'<h1 class="entry-title">{escape(head)}</h1><div class="entry-meta">Posted by '
            f'<span class="author vcard">{escape(owner)}</span></div>'
            f'<div class="entry-content">{_paras(list(a.paragraphs))}</div>'
            f'<div class="author-bio"><h2>About {escape(owner)}</h2><p>{escape(owner)} writes '
            f"about {rng.choice(CATEGORIES).lower()} from {rng.choice(TOWNS)}.</p></div></article>"
            f'<div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol>'
            f"{_comment_form(rng)}</div></main>{_sidebar(host, recent, rng)}"
            f"{_footer(host, rng)}</div>")
    return url, _doc(f"{head} \u2013 {owner}", body, canonical=url, site_name=owner,
                     author=owner)


def render_text_original(a: Article, rng: random.Random, recent: list[str]
                         ) -> tuple[str | None, str]:
    """An original article as plain text (title, paragraphs), served from its own site."""
    text = a.title + "\n\n" + "\n\n".join(a.paragraphs) + "\n"
    return a.url, text


def render_text_dump(a: Article, rng: random.Random, recent: list[str]
                     ) -> tuple[str | None, str]:
    """The original article page saved as plain text, served from its own site: all of its
    visible text (menus, related lists, comments and footer included) or its reader-mode text
    (resiliparse's main-content heuristic), as a text-mode browser or "save as text" would."""
    from resiliparse.extract.html2text import extract_plain_text

    html = a.raw.decode("utf-8", "replace")
    text = extract_plain_text(html, preserve_formatting=True, main_content=rng.random() < 0.5)
    if len(text) < MIN_DUMP_CHARS:  # a page the extractor cannot read: its clean text instead
        return render_text_original(a, rng, recent)
    return a.url, text.strip() + "\n"


def render_blog_dump(a: Article, rng: random.Random, recent: list[str]
                     ) -> tuple[str | None, str]:
    """A personal blog post (`render_blog`) saved as plain text: its comments, comment form,
    author box and sidebar come along, or only its reader-mode text (as `render_text_dump`)."""
    from resiliparse.extract.html2text import extract_plain_text

    url, html = render_blog(a, rng, recent)
    text = extract_plain_text(html, preserve_formatting=True, main_content=rng.random() < 0.3)
    return url, text.strip() + "\n"


# A dump shorter than this lost the article (script-rendered page, extractor failure).
MIN_DUMP_CHARS = 300

NEGATIVE_RENDERERS = {
    "wire": render_wire,
    "blog": render_blog,
    "text_original": render_text_original,
    "text_dump": render_text_dump,
}

__all__ = ["COPY_FAMILIES", "NEGATIVE_FAMILIES", "RENDERERS", "NEGATIVE_RENDERERS",
           "render_blog_dump",
           "farm_host", "farm_url", "proxy_url", "outlet_of"]
