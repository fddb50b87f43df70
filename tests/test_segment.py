"""Segmentation: blocks, paths, link characters, head metadata (detector.segment)."""

from detector.page import Page
from detector.segment import MAX_DEPTH, segment

HTML = """<!doctype html><html lang="EN"><head><title> A  title </title>
<meta property="og:site_name" content="Site"><link rel="canonical" href="https://x.org/a">
<script>var x = "<p>not text</p>";</script></head>
<body><div id="main" class="post-body"><h1>Headline</h1>
<p>First <b>bold</b> paragraph with a <a href="/l1">link here</a>.</p>
<p style="display: none">hidden text</p><div hidden="">also hidden</div>
<div>tail<p>inner</p>after</div><ul class="menu"><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul>
</div><meta name="author" content="Jane Doe"></body></html>"""


def _page(html: str) -> Page:
    return segment(Page(source="t", html=html))


def test_blocks_in_reading_order_with_title_first():
    p = _page(HTML)
    assert [b.text for b in p.blocks] == [
        "A title", "Headline", "First bold paragraph with a link here.", "tail", "inner",
        "after", "A", "B"]
    assert p.title == "A title"
    assert [b.index for b in p.blocks] == list(range(len(p.blocks)))


def test_paths_tags_tokens_and_heading_context():
    p = _page(HTML)
    first = p.blocks[2]
    assert first.path == "/html/body/div[1]/p[1]"
    assert first.tag == "p"
    assert first.tokens == ("post", "body", "main")
    assert first.heading == "Headline"
    inner = p.blocks[4]
    assert inner.path == "/html/body/div[1]/div[2]/p[1]"  # the hidden div counts as a sibling
    li = p.blocks[-1]
    assert li.path == "/html/body/div[1]/ul[1]/li[2]"
    assert "menu" in li.tokens


def test_link_chars_hrefs_and_page_links():
    p = _page(HTML)
    first = p.blocks[2]
    assert first.link_chars == len("link here")
    assert first.hrefs == ("/l1",)
    assert p.blocks[-1].link_density == 1.0
    assert ("/l1", "link here") in p.links and ("/b", "B") in p.links


def test_hidden_script_and_style_are_not_text():
    texts = " ".join(b.text for b in _page(HTML).blocks)
    assert "hidden" not in texts and "not text" not in texts


def test_bare_hidden_attribute_is_kept():
    # React streaming parks content in <div hidden id="S:0"> and moves it with script.
    p = _page('<html><body><div hidden id="S:0"><p>streamed article</p></div></body></html>')
    assert [b.text for b in p.blocks] == ["streamed article"]


def test_head_metadata_including_meta_misplaced_in_body():
    p = _page(HTML)
    assert p.meta["canonical"] == "https://x.org/a"
    assert p.meta["og:site_name"] == "Site"
    assert p.meta["author"] == "Jane Doe"
    assert p.meta["lang"] == "en"


def test_hostile_nesting_is_flattened_not_crashing():
    depth = MAX_DEPTH + 200
    html = "<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>"
    p = _page(html)
    assert p.blocks[-1].text == "deep text"


def test_plain_text_lines_and_hard_wrapped_paragraphs():
    text = "Title line\n\nshort one\nshort two\n\n" + ("x" * 60 + "\n") * 2 + "end\n"
    p = segment(Page(source="t", text=text))
    assert [b.text for b in p.blocks][:3] == ["Title line", "short one", "short two"]
    assert p.blocks[3].text.endswith("end") and p.blocks[3].path == "line:6"
    assert p.blocks[0].tag == "title"


_POSTS = " ".join(f"Post {i} says the deploy failed again after the update." for i in range(8))
_APP = """<html><head><title>Deploy failed - Support</title></head><body>
<div id="app"><div class="loading">Loading</div></div>
<noscript><div id="main-outlet"><h1>Deploy failed</h1><div class="post"><p>{posts}</p></div>
</div></noscript>{outside}</body></html>"""


def _texts(html: str, fast) -> str:
    from detector.segment import _segment_html

    page = Page(source="t", html=html)
    _segment_html(page, fast=fast)
    return " ".join(b.text for b in page.blocks)


def _walks():
    from detector.segment import compiled_walk

    return [None] + ([compiled_walk()] if compiled_walk() is not None else [])


def test_noscript_holding_the_page_text_is_read():
    # A script-rendered forum (Discourse, Flarum) serves its posts inside <noscript>.
    for fast in _walks():
        text = _texts(_APP.format(posts=_POSTS, outside=""), fast)
        assert "Post 7 says the deploy failed" in text and "Deploy failed" in text


def test_noscript_notice_or_small_share_stays_shut():
    notice = ("<html><body><p>" + "Real article text here. " * 40 + "</p><noscript><p>Please "
              "enable JavaScript to use this site.</p></noscript></body></html>")
    beside = _APP.format(posts=_POSTS, outside="<article><p>" + "A long article body. " * 150
                         + "</p></article>")  # 80 words in <noscript> beside 600 outside
    for fast in _walks():
        assert "enable JavaScript" not in _texts(notice, fast)
        text = _texts(beside, fast)
        assert "A long article body." in text and "Post 7 says" not in text


def test_ruby_annotations_are_not_text():
    html = "<html><body><p><ruby>子<rt>こ</rt></ruby>どもを<ruby>守<rp>(</rp><rt>まも</rt><rp>)</rp></ruby>る</p></body></html>"
    for fast in _walks():
        assert _texts(html, fast) == "子どもを守る"


def test_unclosed_title_ends_at_the_next_tag():
    # A dump that lost "</title>" (or mangled it into "</titlevalue=...>") would make the
    # whole page the title: the body must still be read.
    for head in ("<title>BBC SPORT library--> <script>var a = 1;</script>",
                 '<title id="t">Bush to Saudis</titlevalue="true" -->'):
        html = (f"<html><head>{head}</head><body><div><p>President Bush urged the Saudis to "
                "pump more oil.</p></div></body></html>")
        for fast in _walks():
            page = Page(source="t", html=html)
            from detector.segment import _segment_html

            _segment_html(page, fast=fast)
            assert page.blocks[-1].text == "President Bush urged the Saudis to pump more oil."
            assert page.title.startswith(("BBC SPORT", "Bush to Saudis"))


def test_soft_hyphens_are_not_block_text():
    """`&shy;` marks where a word may break; the block text is the word (as trafilatura and
    the gold snippets have it), in HTML and in plain text."""
    from detector.readers import page_from_bytes
    from detector.segment import segment

    html = ("<html><body><article><p>Schon im Mit&shy;tel&shy;al&shy;ter war der St. "
            "Mag\u00adda\u00adle\u00adner das Aus&shy;h\u00e4n&shy;ge&shy;schild.</p>"
            "</article></body></html>")
    page = segment(page_from_bytes(html.encode(), source="h"))
    text = " ".join(b.text for b in page.blocks)
    assert "Schon im Mittelalter war der St. Magdalener das Aushängeschild." in text
    assert "\u00ad" not in text
    page = segment(page_from_bytes("Titel\n\nDas Mit\u00adtel\u00adal\u00adter.\n".encode(),
                                   source="t"))
    assert [b.text for b in page.blocks] == ["Titel", "Das Mittelalter."]
