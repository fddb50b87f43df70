"""Turn raw bytes into text the way browsers do, in order of trust, but harder to fool.

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32); UTF-16 without a BOM by its NUL pattern;
2. pure ASCII: the declared charset if it decodes (ISO-2022-JP is 7-bit), else UTF-8;
3. strict UTF-8 when it decodes: legacy text is practically never valid multi-byte UTF-8, so a
   declaration of a legacy charset over valid UTF-8 is a lie and is not believed;
4. mostly UTF-8 with stray legacy bytes (a UTF-8 template around a latin-1 database field):
   UTF-8, each invalid byte read as windows-1252 (``MIXED_UTF8_SHARE``);
5. the charset declared by the transport (HTTP Content-Type, a JSONL field), then in the
   document (``<meta charset>``, ``http-equiv``, XML prolog), when it decodes cleanly;
6. statistical detection (charset-normalizer) on the first bytes, windows-1252 on a tie;
7. windows-1252 with replacement, which never fails.

A declared charset that does not decode the bytes cleanly is not believed (pages lie), and the
next step is tried. Labels that are not text encodings (``base64``, ``rot13``) or that browsers
refuse for security (UTF-7) are ignored.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Only the head of a document is searched for a declaration (browsers look at 1024 bytes;
# real pages put comments and scripts first, so we allow more).
DECLARATION_WINDOW = 4096
# How many bytes charset-normalizer sees: detection quality flattens out well before this.
DETECTION_WINDOW = 32768

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels mean windows-1252 in a browser.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "iso8859-1": "cp1252", "x-sjis": "shift_jis", "gb2312": "gb18030",
            "gbk": "gb18030", "utf8": "utf-8", "unicode": "utf-16-le"}
# Never honoured when declared: UTF-7 smuggles markup past filters (WHATWG forbids it); the
# UTF-16/32 family cannot describe a document whose declaration was readable as ASCII; Python's
# "undefined" codec (a declared charset "undefined") refuses every byte.
_REFUSED = frozenset({"undefined", "utf-7", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                      "utf-32-le", "utf-32-be"})
# Step 4: a page fails strict UTF-8 but at least this share of its non-ASCII bytes sit in valid
# multi-byte UTF-8 sequences -> UTF-8 with stray legacy bytes. Legacy CJK text reaches 10-30%
# by accident (GBK trail bytes A1-BF after lead bytes C2-DF), single-byte legacy text ~0%;
# a UTF-8 page with a pasted latin-1 paragraph is typically above 90%.
MIXED_UTF8_SHARE = 0.7
# How much of a page the step-4 share is measured on.
MIXED_SAMPLE = 262144
_HIGH_BYTES = bytes(range(128, 256))
# The control bytes `is_binary` counts (below tab, and from SO to US): deleted by one
# bytes.translate, in C, instead of a Python loop over the 1,024 bytes.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
MIXED_ERRORS = "detector.cp1252"
# Detection picks only encodings of the WHATWG Encoding Standard (what browsers decode): DOS,
# HP and most Mac code pages fit short samples as well as windows-1252 but never occur on the web.
WEB_ENCODINGS = frozenset(codecs.lookup(n).name for n in (
    "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6",
    "iso8859-7", "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15",
    "iso8859-16", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251",
    "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gb18030", "gbk",
    "big5", "euc-jp", "iso2022-jp", "shift_jis", "cp932", "euc-kr", "cp949",
))
# windows-1252 wins a detection when it is this close to the best match: on the short French
# pages of tests/test_nasty.py charset-normalizer scores cp1250, cp1252, cp1257 and iso8859-10
# within 0.001 chaos and 0.024 coherence of each other (and cp1250 Polish/Czech text is not
# within these margins of cp1252: tested there too).
CHAOS_TIE = 0.01
COHERENCE_TIE = 0.05


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes UTF-8 rejected as windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error(MIXED_ERRORS, _cp1252_fallback)


def normalize_charset(name: str | bytes | None) -> str | None:
    """A Python codec name for a declared charset label, or None if unknown."""
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):  # unknown, or not a label at all ("\x00")
        return None
    # base64, rot13, zlib ... are codecs but not text encodings.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def sniff_declared(raw: bytes) -> str | None:
    head = raw[:DECLARATION_WINDOW]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return normalize_charset(m.group(1)) if m else None


def _looks_utf16(raw: bytes) -> str | None:
    """UTF-16 without BOM: many NULs at even or odd positions of ASCII-heavy text."""
    sample = raw[:2048]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _clean(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeError, LookupError):  # UnicodeError: Python's "undefined" codec always fails
        return None


def utf8_share(raw: bytes) -> float:
    """Share of the non-ASCII bytes (of the first ``MIXED_SAMPLE``) in valid UTF-8 sequences."""
    sample = raw[:MIXED_SAMPLE]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    if not high:
        return 1.0
    # Decoding with "ignore" drops exactly the bytes outside valid sequences (all in C).
    valid = len(sample.decode("utf-8", "ignore").encode("utf-8")) - (len(sample) - high)
    return valid / high


def _detect(raw: bytes) -> str:
    """Statistical detection among the encodings browsers support; windows-1252 when it is
    within a hair of the best guess (short western pages score alike in cp1250, cp1257 and
    iso8859-10, and windows-1252 is what browsers assume for undeclared western pages)."""
    matches = [m for m in charset_normalizer.from_bytes(raw[:DETECTION_WINDOW])
               if normalize_charset(m.encoding) in WEB_ENCODINGS]
    if not matches:
        return "cp1252"
    best = matches[0]  # charset-normalizer's own ranking (it weighs multi-byte fits well)
    for m in matches:
        if (normalize_charset(m.encoding) == "cp1252" and m.chaos <= best.chaos + CHAOS_TIE
                and m.coherence >= best.coherence - COHERENCE_TIE):
            return "cp1252"
    return normalize_charset(best.encoding) or "cp1252"


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``raw``; returns ``(text, encoding used)``. Never raises on bad bytes.

    The encoding is ``utf-8+cp1252`` when step 4 (mixed encodings) was used.
    """
    for bom, enc in _BOMS:  # 1
        if raw.startswith(bom):
            return raw[len(bom):].decode(enc, errors="replace"), enc
    utf16 = _looks_utf16(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), utf16
    declarations = [normalize_charset(declared), sniff_declared(raw)]
    candidates = [e for e in declarations if e and e not in _REFUSED]
    if raw.isascii():  # 2
        for enc in candidates:
            text = _clean(raw, enc)
            if text is not None:
                return text, enc
        return raw.decode("ascii"), "utf-8"
    text = _clean(raw, "utf-8")  # 3
    if text is not None:
        return text, "utf-8"
    if utf8_share(raw) >= MIXED_UTF8_SHARE:  # 4
        return raw.decode("utf-8", errors=MIXED_ERRORS), "utf-8+cp1252"
    for enc in candidates:  # 5
        if enc != "utf-8":
            text = _clean(raw, enc)
            if text is not None:
                return text, enc
    enc = _detect(raw)  # 6
    try:
        return raw.decode(enc, errors="replace"), enc
    except (UnicodeError, LookupError):
        return raw.decode("cp1252", errors="replace"), "cp1252"  # 7


# Plain text or markup. A document is markup when it opens with a declaration, a comment or an
# element of a page's head (a page may open with its <style> sheet, no <html> before it), when
# one of the tags every page has occurs in its first 8 KB, or when its first HTML_SNIFF_CHARS
# characters hold at least HTML_MIN_TAGS tags of HTML elements: a fragment of tables and
# <center>s (cleaneval wraps 6 pages in <text id=...>) or a page whose first 8 KB are one
# style sheet. 40 tags: the gold article texts of ../shared/data (plain text, some quoting
# HTML in code samples) hold at most 32 in all but one documentation page (145); the 8 HTML
# pages of ../shared/data the older test read as text hold 399-1,527, or 2 and 5 (two cleaneval
# pages of preformatted text, still read as text).
_HTML_OPENINGS = ("<!doctype", "<html", "<?xml", "<head", "<body", "<!--", "<style", "<script",
                  "<link", "<meta", "<title", "<base", "<noscript")
_HTML_PAGE_TAG = re.compile(r"<(html|head|body|div|p|article|title|meta)[\s>]", re.I)
_HTML_ELEMENT_TAG = re.compile(
    r"</?(a|abbr|article|aside|b|base|blockquote|body|br|center|code|dd|div|dl|dt|em|font|"
    r"footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|label|li|link|main|meta|nav|"
    r"noscript|ol|option|p|pre|script|section|select|small|span|strong|style|sup|svg|table|"
    r"tbody|td|textarea|th|title|tr|u|ul)[\s/>]", re.I)
HTML_SNIFF_CHARS = 65536
HTML_MIN_TAGS = 40


def looks_like_html(text: str) -> bool:
    """True when a decoded document is markup rather than plain text (see `HTML_MIN_TAGS`)."""
    head = text[:2048].lstrip().lower()
    if head.startswith(_HTML_OPENINGS):
        return True
    if _HTML_PAGE_TAG.search(text, 0, 8192):
        return True
    n = 0
    for _ in _HTML_ELEMENT_TAG.finditer(text, 0, HTML_SNIFF_CHARS):
        n += 1
        if n >= HTML_MIN_TAGS:
            return True
    return False


def is_binary(raw: bytes) -> bool:
    """Heuristic: NUL bytes or many control characters in the first KiB (after a BOM check)."""
    return _is_binary(raw, lambda sample: len(sample) - len(sample.translate(None, _CONTROL_BYTES)))


def _is_binary_reference(raw: bytes) -> bool:
    """`is_binary` with the control bytes counted by a Python loop (the reference)."""
    return _is_binary(raw, lambda sample: sum(1 for c in sample if c < 9 or 13 < c < 32))


def _is_binary(raw: bytes, count_control) -> bool:
    sample = raw[:1024]
    if not sample:
        return False
    if any(sample.startswith(b) for b, _ in _BOMS) or _looks_utf16(raw):
        return False
    if b"\x00" in sample:
        return True
    return count_control(sample) > 0.1 * len(sample)
