"""Guarded start of the compiled DOM walk (detector/_fast/walk.pyx).

`compiled_walk()` returns the compiled module only when all of these hold, else None (and
detector.segment keeps its Python walk):

1. it is built and not disabled (``DETECTOR_PURE_PYTHON=1``);
2. selectolax and its bundled lexbor are the versions whose struct layouts walk.pyx mirrors;
3. calibration: on a document parsed with selectolax, every node's next/prev/parent/children
   pointers and type read through the mirrored structs equal what selectolax's API reports;
   element attribute pointers, attribute owners and values, and dynamic (custom) tag and
   attribute names check out; tag and attribute ids are learnt from it (no lexbor enum values
   are written into detector);
4. self-test: on a page with custom and uppercase tags, hidden elements, links, metas in the
   body, comments, templates and nesting deeper than MAX_DEPTH, the compiled walk's blocks,
   links and metas equal the Python walk's.
"""

from __future__ import annotations

from functools import lru_cache

# Tag names learnt at calibration: HTML's elements (and a few obsolete ones pages still use).
# A page with an element whose built-in id is not among them falls back to the Python walk.
CALIBRATION_TAGS = (
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound "
    "big blink blockquote body br button canvas caption center cite code col colgroup data "
    "datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font "
    "footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image "
    "img input ins isindex kbd keygen label legend li link listing main map mark marquee menu "
    "menuitem meta meter multicol nav nextid nobr noembed noframes noscript object ol optgroup "
    "option output p param picture plaintext pre progress q rb rp rt rtc ruby s samp script "
    "search section select slot small source spacer span strike strong style sub summary sup "
    "table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr "
    "xmp svg math"
    # SVG and MathML names lexbor builds in: pages put stray <path>, <mi> ... in HTML content.
    " altglyph altglyphdef altglyphitem animatecolor animatemotion animatetransform "
    "annotation-xml clippath desc feblend fecolormatrix fecomponenttransfer fecomposite "
    "feconvolvematrix fediffuselighting fedisplacementmap fedistantlight fedropshadow feflood "
    "fefunca fefuncb fefuncg fefuncr fegaussianblur feimage femerge femergenode femorphology "
    "feoffset fepointlight fespecularlighting fespotlight fetile feturbulence foreignobject "
    "glyphref lineargradient malignmark mfenced mglyph mi mn mo ms mtext path radialgradient "
    "textpath"
).split()
# Custom names of 15, 16, 17 and more bytes: lexbor keeps names of up to 16 bytes inline in
# its hash entry and longer ones behind a pointer; both ways are checked.
CUSTOM_TAGS = ("x-widget-abcdef", "x-widget-abcdefg", "x-widget-abcdefgh",
               "my-very-long-custom-element-name", "foo", "fb:like")


def _calibration_html() -> str:
    from detector._fast.walk import ATTR_NAMES

    body = []
    for t in (*CALIBRATION_TAGS, *CUSTOM_TAGS):
        if t in ("html", "head", "body", "frameset", "frame", "plaintext", "image", "isindex",
                 "svg", "math"):
            continue
        body.append(f"<div><{t}>t</{t}></div>")
    for a in ATTR_NAMES:
        body.append(f'<i {a}="v{a}">x</i>')
    body.append('<p id="only-id">x</p><p class="only-class">x</p><p>none</p>')
    body.append("<svg><g>x</g></svg><math><mi>x</mi></math><frameset></frameset>")
    # Elements the parser keeps only in their context.
    body.append("<table><caption>c</caption><colgroup><col></colgroup><thead><tr><th>h</th>"
                "</tr></thead><tbody><tr><td>d</td></tr></tbody><tfoot><tr><td>f</td></tr>"
                "</tfoot></table><select><optgroup><option>o</option></optgroup></select>"
                "<ruby>a<rb>b</rb><rt>c</rt><rp>d</rp><rtc>e</rtc></ruby>")
    return ("<!doctype html><html><head><title>t</title></head><body>" + "".join(body)
            + "<!-- c --></body></html>")


def _nodes(tree):
    return list(tree.root.traverse(include_text=True))


def _mem(node) -> int:
    return 0 if node is None else node.mem_id


def _calibrate(W) -> bool:
    from selectolax.lexbor import LexborHTMLParser

    from detector._fast.walk import ATTR_NAMES

    html = _calibration_html()
    text_ids: set[int] = set()
    static_tags: dict[int, str] = {}
    static_attrs_runs: list[dict[int, int]] = []
    dynamic_attrs: set[tuple[str, int]] = set()
    for _run in range(2):  # two documents: built-in ids are the same in both
        tree = LexborHTMLParser(html)
        static_attrs: dict[int, int] = {}
        for node in _nodes(tree):
            mem = node.mem_id
            local, typ, nxt, prev, parent, first, last = W._layout_of(mem)
            if (nxt, prev, first, last) != (_mem(node.next), _mem(node.prev), _mem(node.child),
                                            _mem(node.last_child)):
                return False
            if node.parent is not None and parent != node.parent.mem_id:
                return False
            tag = node.tag
            if tag == "-text":
                if typ != W.TEXT_NODE_TYPE or W._text_of(mem) != node.text_content:
                    return False
                text_ids.add(local)
                continue
            if tag is None or tag.startswith("-"):
                if typ == W.ELEMENT_NODE_TYPE:
                    return False
                continue
            if typ != W.ELEMENT_NODE_TYPE:
                return False
            qualified, first_attr, last_attr, attr_id, attr_class = W._element_attr_ptrs(mem)
            attrs = node.attributes
            if not attrs and (first_attr, last_attr, attr_id, attr_class) != (0, 0, 0, 0):
                return False
            if node.parent is not None and node.parent.tag in ("svg", "math"):
                continue  # foreign content: never walked (svg, math are skipped)
            if qualified != 0:  # a name lexbor stores apart: the walk refuses such elements
                continue
            if local >= W.DYNAMIC_ID_MIN:
                name = tag.encode("utf-8")
                if W._entry_length(local) != len(name) or W._entry_name(local) != tag:
                    return False
            elif static_tags.setdefault(local, tag) != tag:
                return False
            if len(attrs) == 1:
                (name, value), = attrs.items()
                if first_attr == 0 or first_attr != last_attr:
                    return False
                if (attr_id == first_attr) != (name == "id") or (
                        attr_class == first_attr) != (name == "class"):
                    return False
                owner_ok, atyp, alocal, aqual = W._attr_check(first_attr, mem)
                if not owner_ok or atyp != W.ATTRIBUTE_NODE_TYPE or aqual != 0:
                    return False
                if W._attr_value(first_attr) != value:
                    return False
                if name in ATTR_NAMES:
                    slot = ATTR_NAMES.index(name)
                    if alocal >= W.DYNAMIC_ID_MIN:
                        if W._entry_name(alocal) != name:
                            return False
                        dynamic_attrs.add((name, slot))
                    else:
                        static_attrs[alocal] = slot
        static_attrs_runs.append(static_attrs)
    if len(text_ids) != 1 or static_attrs_runs[0] != static_attrs_runs[1]:
        return False
    if max(static_tags, default=0) >= W.DYNAMIC_ID_MIN:
        return False
    if not {"div", "p", "a", "span", "li", "path"} <= set(static_tags.values()):
        return False
    found = set(static_attrs_runs[0].values()) | {s for _, s in dynamic_attrs}
    if found != set(range(len(ATTR_NAMES))):
        return False
    import detector.segment as S

    W.configure(text_ids.pop(), static_tags, static_attrs_runs[0], sorted(dynamic_attrs), S)
    return True


def self_test_html() -> str:
    """A page that exercises every branch of the walk."""
    deep = "<div>" * 320 + "<p>deep <a href='/d'>link<div>in</div></a> text</p>" + \
        "</div>" * 320
    deep_inline = "<p>" + "<span>" * 320 + "inline deep" + "</span>" * 320 + "</p>"
    return (
        "<html lang='EN'><head><title>Calibration page</title>"
        "<meta property='og:site_name' content='Site'><link rel='canonical' href='/c'></head>"
        "<body class='home page'><header id='top'><nav class='main-nav'><ul>"
        "<li><a href='/a'>Home</a></li><li><a href='/b' hidden=''>Hidden</a></li>"
        "<li><a href='/e'></a><a href='/f' style='display: none'></a></li></ul></nav></header>"
        "<main><article class='post_body'><h1>Headline here</h1><H2 ID='Sub'>Sub</H2>"
        "<p>First <b>bold</b> and <a href='/x'>a link</a>   and\n text.</p>"
        "<x-widget-abcdefgh data-x='1'><p>Custom <my-very-long-custom-element-name>"
        "element</my-very-long-custom-element-name> text</p></x-widget-abcdefgh>"
        "<fb:like>like</fb:like><foo class='bar'>inline foo</foo>"
        "<div hidden>parked article</div><div hidden='hidden'>gone</div>"
        "<div style='DISPLAY:NONE'>gone too</div><span style='display:none'>gone</span>"
        "<!-- a comment --><template><p>template text</p></template>"
        "<script>var x = 1;</script><style>p{}</style><noscript>ns</noscript>"
        "<meta itemprop='x' name='author' content='  Jane   Doe '><link rel='amphtml' href='/amp'>"
        "<a href='/block'><div>block</div><div>in link</div></a>"
        "<p>caf\u00e9 \u00a0 \u2003 unicode \U0001f600</p><br><hr>"
        "<table><tr><td>cell</td><td>cell 2</td></tr></table>"
        "<svg><text>svg text</text></svg><math><mi>x</mi></math>"
        "<select><option>o</option></select><img src='x.png'><input value='v'>"
        "<a>no href</a><a href=''>empty href</a><a href='/z'><img src='i'></a>"
        + deep + deep_inline +
        "</article></main><footer class='site-footer'>\u00a9 2024</footer>"
        "<p>text after</p></body></html>"
    )


def _same(page_a, page_b) -> bool:
    from dataclasses import astuple

    return ([astuple(b) for b in page_a.blocks] == [astuple(b) for b in page_b.blocks]
            and page_a.links == page_b.links and page_a.meta == page_b.meta
            and page_a.title == page_b.title)


def self_test(W) -> bool:
    import detector.segment as S
    from detector.page import Page

    html = self_test_html()
    pages = []
    for fast in (W, None):  # the compiled walk must not fall back here (strict)
        page = Page(source="<self-test>", id="0", html=html)
        S._segment_html(page, fast=fast, strict=True)
        pages.append(page)
    fast, ref = pages
    return bool(fast.blocks) and _same(fast, ref)


@lru_cache(maxsize=1)
def compiled_walk():
    """The compiled walk module when it is safe to use (see the module docstring), else None."""
    from detector._fast import disabled

    if disabled():
        return None
    try:
        import selectolax
        import selectolax.lexbor as lb

        from detector._fast import walk as W
    except ImportError:
        return None
    if (selectolax.__version__ != W.SELECTOLAX_VERSION
            or (lb.LEXBOR_VERSION_MAJOR, lb.LEXBOR_VERSION_MINOR) != W.LEXBOR_VERSION):
        return None
    try:
        if not _calibrate(W) or not self_test(W):
            return None
    except Exception:  # noqa: BLE001 - any surprise leaves the Python walk
        return None
    return W
