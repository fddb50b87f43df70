"""Turn raw bytes into text the way browsers do, in order of trust.

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32);
2. the charset declared by the transport (HTTP Content-Type, a JSONL field);
3. the charset declared in the document (``<meta charset>``, ``http-equiv``, XML prolog);
4. strict UTF-8 when it decodes;
5. statistical detection (charset-normalizer) on the first bytes;
6. windows-1252 with replacement, which never fails.

A declared charset that does not decode the bytes cleanly is not believed (pages lie), and the
next step is tried.
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


def normalize_charset(name: str | bytes | None) -> str | None:
    """A Python codec name for a declared charset label, or None if unknown."""
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


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
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``raw``; returns ``(text, encoding used)``. Never raises on bad bytes."""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(enc, errors="replace"), enc
    utf16 = _looks_utf16(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), utf16
    for enc in (normalize_charset(declared), sniff_declared(raw)):
        if enc and enc not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            text = _clean(raw, enc)
            if text is not None:
                return text, enc
    text = _clean(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = charset_normalizer.from_bytes(raw[:DETECTION_WINDOW]).best()
    if best is not None and best.encoding:
        enc = normalize_charset(best.encoding) or "cp1252"
        return raw.decode(enc, errors="replace"), enc
    return raw.decode("cp1252", errors="replace"), "cp1252"


def looks_like_html(text: str) -> bool:
    """True when a decoded document is markup rather than plain text."""
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<head", "<body", "<!--")):
        return True
    return bool(re.search(r"<(html|head|body|div|p|article|title|meta)[\s>]", text[:8192], re.I))


def is_binary(raw: bytes) -> bool:
    """Heuristic: NUL bytes or many control characters in the first KiB (after a BOM check)."""
    sample = raw[:1024]
    if not sample:
        return False
    if any(sample.startswith(b) for b, _ in _BOMS) or _looks_utf16(raw):
        return False
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for c in sample if c < 9 or 13 < c < 32)
    return ctrl > 0.1 * len(sample)
