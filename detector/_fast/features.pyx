# cython: language_level=3
"""Compiled twin of detector.blocks.features.block_pass (the per-block pass of page_matrix).

Same values, computed with fewer Python objects: word counts by one scan with Python's own
whitespace test (``len(text.split())``), and punctuation, capital, digit and space counts in one
scan of the sampled window instead of three regex ``findall`` lists (the regexes are single
character classes, so the counts are the same). Everything else calls the very helpers of
the reference. tests/test_fastpath.py checks both give equal rows on real and generated
blocks. A new per-block value added to the reference must be added here too (or computed in
a separate pass in page_matrix) — the equality test fails until it is.
"""

from cpython.unicode cimport (Py_UNICODE_ISSPACE, Py_UNICODE_ISDECIMAL, Py_UNICODE_ISALNUM,
                              PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ, PyUnicode_WRITE)
from libc.stdlib cimport malloc, free
from libc.string cimport memcmp, memset

cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)
    bint PyUnicode_IS_ASCII(object o)

from functools import lru_cache

import numpy as np

import detector.blocks.features as F


cdef inline bint _is_upper(Py_UCS4 c):
    # _UPPER = [A-ZÀ-ÖØ-ÞΑ-ΩА-Я]
    return ((0x41 <= c <= 0x5A) or (0xC0 <= c <= 0xD6) or (0xD8 <= c <= 0xDE)
            or (0x391 <= c <= 0x3A9) or (0x410 <= c <= 0x42F))


cdef inline bint _is_punct(Py_UCS4 c):
    # _PUNCT = [.,;:!?] and their CJK forms (U+FF0C U+3002 U+3001 U+FF1B U+FF1A U+FF01 U+FF1F)
    return (c == u'.' or c == u',' or c == u';' or c == u':' or c == u'!' or c == u'?'
            or c == 0xFF0C or c == 0x3002 or c == 0x3001 or c == 0xFF1B or c == 0xFF1A
            or c == 0xFF01 or c == 0xFF1F)


cdef inline bint _is_cjk_punct(Py_UCS4 c):
    # F._CJK_PUNCT: CJK symbols and punctuation, full-width punctuation
    return ((0x3001 <= c <= 0x303F) or (0xFF01 <= c <= 0xFF0F) or (0xFF1A <= c <= 0xFF20)
            or (0xFF3B <= c <= 0xFF40) or (0xFF5B <= c <= 0xFF65))


cdef inline bint _is_cjk(Py_UCS4 c):
    # F._CJK: kana, CJK ideographs (extension A, unified, compatibility)
    return ((0x3040 <= c <= 0x30FF) or (0x3400 <= c <= 0x4DBF) or (0x4E00 <= c <= 0x9FFF)
            or (0xF900 <= c <= 0xFAFF))


cdef str _signature(str path):
    """path.translate(_SIG_TABLE): the path without digits and brackets (/div[2]/p -> /div/p)."""
    cdef list keep = []
    cdef Py_ssize_t start = 0, i = 0
    cdef Py_UCS4 c
    for c in path:
        if (u'0' <= c <= u'9') or c == u'[' or c == u']':
            if i > start:
                keep.append(path[start:i])
            start = i + 1
        i += 1
    if start == 0:
        return path
    if i > start:
        keep.append(path[start:i])
    return "".join(keep)


cdef str _signature_c(str path):
    """`_signature` (path.translate(_SIG_TABLE)) in one copy: the characters that are not
    digits or brackets into a buffer of the path's kind, made a str by
    ``PyUnicode_FromKindAndData`` (its smallest kind, as every str)."""
    cdef Py_ssize_t n = len(path), i, o = 0
    cdef int kind = PyUnicode_KIND(path)
    cdef void *data = PyUnicode_DATA(path)
    cdef void *buf
    cdef Py_UCS4 c
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if (u'0' <= c <= u'9') or c == u'[' or c == u']':
            break
    else:
        return path
    buf = malloc(n * kind)
    if buf == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if not ((u'0' <= c <= u'9') or c == u'[' or c == u']'):
                PyUnicode_WRITE(kind, buf, o, c)
                o += 1
        return PyUnicode_FromKindAndData(kind, buf, o)
    finally:
        free(buf)


def signature(str path):
    """`_signature_c` for the tests."""
    return _signature_c(path)


# Per ASCII byte: 1 for Python's whitespace (str.isspace: \t \n \v \f \r, \x1c-\x1f, space),
# 2 for a character of _PUNCT, 3 of _DIGITS, 4 of _UPPER (A-Z on ASCII), else 0.
cdef unsigned char _ASCII_CLASS[128]
for _c in range(128):
    _ASCII_CLASS[_c] = (1 if chr(_c).isspace() else 2 if chr(_c) in ".,;:!?"
                        else 3 if "0" <= chr(_c) <= "9" else 4 if "A" <= chr(_c) <= "Z" else 0)


def ascii_class(str c):
    """`_ASCII_CLASS` of one ASCII character (for the tests)."""
    return _ASCII_CLASS[ord(c)]


cdef Py_ssize_t _n_words(str text):
    """len(F.block_words(text)): len(text.split()) unless the text has a Han or kana character"""
    cdef Py_ssize_t n = 0, i, m
    cdef bint in_word = False
    cdef Py_UCS4 c
    cdef const unsigned char* a
    if PyUnicode_IS_ASCII(text):  # the same test on the bytes, by table
        a = <const unsigned char*> PyUnicode_DATA(text)
        m = len(text)
        for i in range(m):
            if _ASCII_CLASS[a[i]] == 1:
                in_word = False
            elif not in_word:
                in_word = True
                n += 1
        return n
    # Both counts at once: len(text.split()), and F.block_words's (each Han or kana character
    # a word, their punctuation a separator), which counts only when the text has such a
    # character.
    cdef Py_ssize_t n_cjk = 0
    cdef bint in_cjk_word = False, has_cjk = False
    for c in text:
        if Py_UNICODE_ISSPACE(c):
            in_word = in_cjk_word = False
            continue
        if not in_word:
            in_word = True
            n += 1
        if _is_cjk(c):
            has_cjk = True
            in_cjk_word = False
            n_cjk += 1
        elif _is_cjk_punct(c):
            in_cjk_word = False
        elif not in_cjk_word:
            in_cjk_word = True
            n_cjk += 1
    return n_cjk if has_cjk else n


cdef int _cue_bits(list words, dict cues, str strip_chars) except -1:
    """detector.blocks.features._cue_bits, compiled (the same statements)."""
    cdef int bits = 0
    cdef str prev = ""
    cdef str w
    for w in words:
        w = w.strip(strip_chars) or w
        bits |= cues.get(w, 0)
        if prev:
            bits |= cues.get(prev + " " + w, 0)
        prev = w
    return bits


# --- ASCII fast path: lower-cased words looked up without making Python strings -----------

cdef inline unsigned char _lower(unsigned char c):
    # str.lower() on ASCII maps A-Z only
    return c + 32 if 65 <= c <= 90 else c


cdef class _WordTable:
    """The ASCII words of a set of lower-case words, in an open-addressing table: ``find``
    takes a word of an ASCII buffer, lower-cases it on the fly (as ``str.lower`` does on ASCII)
    and returns its index, or -1. A lower-cased ASCII word can only equal an ASCII word, so
    the non-ASCII members are left out without changing any answer."""
    cdef bytes blob
    cdef const unsigned char* data
    cdef Py_ssize_t[::1] start, length
    cdef Py_ssize_t[::1] slots
    cdef Py_ssize_t mask
    cdef public Py_ssize_t size

    def __init__(self, words):
        ascii_words = sorted(w for w in words if w.isascii())
        self.blob = "".join(ascii_words).encode("ascii")
        self.data = self.blob
        self.size = len(ascii_words)
        self.start = np.zeros(max(self.size, 1), dtype=np.intp)
        self.length = np.zeros(max(self.size, 1), dtype=np.intp)
        cdef Py_ssize_t cap = 8, k, pos = 0, h
        while cap < 4 * self.size:
            cap *= 2
        self.mask = cap - 1
        self.slots = np.full(cap, -1, dtype=np.intp)
        for k, w in enumerate(ascii_words):
            self.start[k] = pos
            self.length[k] = len(w)
            h = _hash(self.data, pos, len(w)) & self.mask
            while self.slots[h] >= 0:
                h = (h + 1) & self.mask
            self.slots[h] = k
            pos += len(w)

    cdef inline Py_ssize_t find(self, const unsigned char* s, Py_ssize_t a, Py_ssize_t n):
        return self.find_h(s, a, n, _hash(s, a, n))

    cdef inline Py_ssize_t find_h(self, const unsigned char* s, Py_ssize_t a, Py_ssize_t n,
                                  Py_ssize_t hash_):
        """`find` given ``_hash(s, a, n)``."""
        cdef Py_ssize_t h = hash_ & self.mask, k, j
        cdef const unsigned char* w
        while True:
            k = self.slots[h]
            if k < 0:
                return -1
            if self.length[k] == n:
                w = self.data + self.start[k]
                j = 0
                while j < n and w[j] == _lower(s[a + j]):
                    j += 1
                if j == n:
                    return k
            h = (h + 1) & self.mask


cdef class _CueTable(_WordTable):
    """`F._CUE_BITS` for ASCII words: ``bits(s, a, n)`` of one lower-cased word and
    ``bits2`` of "first second" (two words of the buffer joined by one space, without making
    the string). Its non-ASCII keys are left out: a lower-cased ASCII word (or two joined by a
    space) can only equal an ASCII key."""
    cdef long long[::1] values

    def __init__(self, dict cues):
        super().__init__(cues)
        ascii_words = sorted(w for w in cues if w.isascii())  # the order `_WordTable` stores
        self.values = np.array([cues[w] for w in ascii_words] or [0], dtype=np.int64)

    cdef inline long long bits(self, const unsigned char* s, Py_ssize_t a, Py_ssize_t n):
        cdef Py_ssize_t k = self.find(s, a, n)
        return self.values[k] if k >= 0 else 0

    cdef long long bits2(self, const unsigned char* s, Py_ssize_t a1, Py_ssize_t n1,
                         Py_ssize_t a2, Py_ssize_t n2):
        cdef unsigned long long h = 1469598103934665603ULL
        cdef Py_ssize_t j, k, n = n1 + 1 + n2
        cdef const unsigned char* w
        for j in range(n1):
            h = (h ^ _lower(s[a1 + j])) * 1099511628211ULL
        h = (h ^ 32) * 1099511628211ULL
        for j in range(n2):
            h = (h ^ _lower(s[a2 + j])) * 1099511628211ULL
        cdef Py_ssize_t slot = (<Py_ssize_t>(h >> 1)) & self.mask
        while True:
            k = self.slots[slot]
            if k < 0:
                return 0
            if self.length[k] == n:
                w = self.data + self.start[k]
                j = 0
                while j < n1 and w[j] == _lower(s[a1 + j]):
                    j += 1
                if j == n1 and w[n1] == 32:
                    j = 0
                    while j < n2 and w[n1 + 1 + j] == _lower(s[a2 + j]):
                        j += 1
                    if j == n2:
                        return self.values[k]
            slot = (slot + 1) & self.mask


cdef inline Py_ssize_t _hash(const unsigned char* s, Py_ssize_t a, Py_ssize_t n):
    """FNV-1a of the lower-cased bytes s[a:a + n]."""
    cdef unsigned long long h = 1469598103934665603ULL
    cdef Py_ssize_t j
    for j in range(n):
        h = (h ^ _lower(s[a + j])) * 1099511628211ULL
    return <Py_ssize_t>(h >> 1)


_STOP_TABLE = None


def _stop_table():
    global _STOP_TABLE
    if _STOP_TABLE is None:
        _STOP_TABLE = _WordTable(F.STOPWORDS)
    return _STOP_TABLE


cdef Py_ssize_t _ascii_words(bytes bw, _WordTable stop, _WordTable title, Py_ssize_t[::1] seen,
                             Py_ssize_t stamp, Py_ssize_t* n_stop, Py_ssize_t* n_title):
    """For an ASCII window: the number of words of ``win.lower().split()``, how many are
    stopwords (n_stop) and how many distinct title words are among them (n_title)."""
    return _ascii_words_p(bw, len(bw), stop, title, seen, stamp, n_stop, n_title)


cdef Py_ssize_t _ascii_words_p(const unsigned char* s, Py_ssize_t n, _WordTable stop,
                               _WordTable title, Py_ssize_t[::1] seen, Py_ssize_t stamp,
                               Py_ssize_t* n_stop, Py_ssize_t* n_title):
    """`_ascii_words` of the n ASCII bytes at ``s`` (an ASCII str's own data)."""
    cdef Py_ssize_t i = 0, a, nw = 0, k, h
    n_stop[0] = 0
    n_title[0] = 0
    while True:
        while i < n and Py_UNICODE_ISSPACE(s[i]):
            i += 1
        if i >= n:
            return nw
        a = i
        while i < n and not Py_UNICODE_ISSPACE(s[i]):
            i += 1
        nw += 1
        h = _hash(s, a, i - a)  # the same hash for both tables
        if stop.find_h(s, a, i - a, h) >= 0:
            n_stop[0] += 1
        if title is not None:
            k = title.find_h(s, a, i - a, h)
            if k >= 0 and seen[k] != stamp:
                seen[k] = stamp
                n_title[0] += 1


_CUE_TABLE = None
# ASCII characters of F._CUE_STRIP (the others cannot occur in an ASCII word)
cdef unsigned char _STRIP[128]
for _c in range(128):
    _STRIP[_c] = chr(_c) in F._CUE_STRIP


def _cue_table():
    global _CUE_TABLE
    if _CUE_TABLE is None:
        _CUE_TABLE = _CueTable(F._CUE_BITS)
    return _CUE_TABLE


cdef long long _ascii_cue_bits(bytes bw, _CueTable cues, Py_ssize_t max_words):
    """F._cue_bits(win.lower().split()[:max_words]) of an ASCII window: each word stripped of
    the `F._CUE_STRIP` characters at both ends (unless that leaves nothing), looked up alone
    and joined to the word before it by one space."""
    return _ascii_cue_bits_p(bw, len(bw), cues, max_words)


cdef long long _ascii_cue_bits_p(const unsigned char* s, Py_ssize_t n, _CueTable cues,
                                 Py_ssize_t max_words):
    """`_ascii_cue_bits` of the n ASCII bytes at ``s``."""
    cdef Py_ssize_t i = 0, a, b, sa, sb, pa = -1, pn = 0, nw = 0
    cdef long long bits = 0
    while nw < max_words:
        while i < n and Py_UNICODE_ISSPACE(s[i]):
            i += 1
        if i >= n:
            break
        a = i
        while i < n and not Py_UNICODE_ISSPACE(s[i]):
            i += 1
        b = i
        nw += 1
        sa, sb = a, b
        while sa < sb and _STRIP[s[sa]]:
            sa += 1
        while sb > sa and _STRIP[s[sb - 1]]:
            sb -= 1
        if sa == sb:  # `w.strip(chars) or w`
            sa, sb = a, b
        bits |= cues.bits(s, sa, sb - sa)
        if pa >= 0:
            bits |= cues.bits2(s, pa, pn, sa, sb - sa)
        pa, pn = sa, sb - sa
    return bits


def ascii_cue_bits(str win, Py_ssize_t max_words):
    """`_ascii_cue_bits` for the tests (``win`` ASCII)."""
    return _ascii_cue_bits(win.encode("ascii"), _cue_table(), max_words)


cdef class _StemTable:
    """F._token_mask (the hint families of one class/id token) for tokens of one-byte
    characters: every stem of `F.HINTS` in one blob, bucketed by its first byte. A family's
    bit is set when one of its short stems (<= 3 characters) starts the token
    (``token.startswith(short)``) or one of its long stems occurs anywhere in it (the
    family's regex: an alternation of the escaped literals, no flags, ``search``). The
    stems are ASCII, so on Latin-1 text a byte compare is a character compare."""
    cdef bytes blob
    cdef const unsigned char* data
    cdef Py_ssize_t[::1] off, length, family, short, bucket, order

    def __init__(self, dict hints):
        stems = []  # (first byte, stem, family, short)
        for fam, group in enumerate(hints.values()):
            for st in group:
                if not st or not st.isascii():
                    raise ValueError(f"stem {st!r}: not a non-empty ASCII word")
                stems.append((st.encode("ascii"), fam, len(st) <= 3))
        stems.sort(key=lambda t: t[0][0])
        self.blob = b"".join(t[0] for t in stems)
        self.data = self.blob
        n = len(stems)
        self.off = np.zeros(max(n, 1), dtype=np.intp)
        self.length = np.zeros(max(n, 1), dtype=np.intp)
        self.family = np.zeros(max(n, 1), dtype=np.intp)
        self.short = np.zeros(max(n, 1), dtype=np.intp)
        self.bucket = np.zeros(257, dtype=np.intp)  # stems of first byte c: bucket[c]..[c+1]
        cdef Py_ssize_t pos = 0, k
        for k, (b, fam, sh) in enumerate(stems):
            self.off[k] = pos
            self.length[k] = len(b)
            self.family[k] = fam
            self.short[k] = sh
            pos += len(b)
        for k, (b, fam, sh) in enumerate(stems):
            self.bucket[b[0] + 1] = k + 1
        for k in range(1, 257):
            if self.bucket[k] < self.bucket[k - 1]:
                self.bucket[k] = self.bucket[k - 1]

    cdef long long mask(self, const unsigned char* s, Py_ssize_t n):
        cdef long long m = 0
        cdef Py_ssize_t i, j, k, L
        for i in range(n):
            for j in range(self.bucket[s[i]], self.bucket[s[i] + 1]):
                if self.short[j] and i != 0:
                    continue
                L = self.length[j]
                if i + L <= n and memcmp(s + i, self.data + self.off[j], L) == 0:
                    m |= (<long long> 1) << self.family[j]
        return m


cdef _StemTable _STEMS = None


cdef _StemTable _stem_table():
    global _STEMS
    if _STEMS is None:
        _STEMS = _StemTable(F.HINTS)
    return _STEMS


cdef object _token_mask_c(str token, object token_mask):
    """F._token_mask(token): by the stem table for one-byte tokens, else ``token_mask``."""
    if PyUnicode_KIND(token) == 1:
        return _stem_table().mask(<const unsigned char*> PyUnicode_DATA(token), len(token))
    return token_mask(token)


def token_mask(str token):
    """`_token_mask_c` for the tests."""
    return _token_mask_c(token, F._token_mask)


# Hint bits of every class/id token seen (F._token_mask's values; bounded like its cache).
cdef dict _TOKEN_MASKS = {}
cdef Py_ssize_t TOKEN_MASKS_MAX = 200_000


cdef tuple _masks_of(tuple tokens, Py_ssize_t near, object token_mask):
    """(F._mask(tokens), F._mask(tokens[-near:])): the OR of every token's hint bits, and of
    the last ``near`` tokens', in one loop over the tuple with the bits of each token kept in
    a dict (F._mask is cached by whole tuples, which long pages of utility classes thrash)."""
    cdef long long m_all = 0, m_near = 0, m
    # tokens[-near:] starts at len - near (the whole tuple when near is 0 or too large)
    cdef Py_ssize_t k = 0, first_near = len(tokens) - near if near > 0 else 0
    cdef dict cache = _TOKEN_MASKS
    for t in tokens:
        v = cache.get(t)
        if v is None:
            if len(cache) >= TOKEN_MASKS_MAX:
                cache.clear()
            v = cache[t] = _token_mask_c(t, token_mask)
        m = v
        m_all |= m
        if k >= first_near:
            m_near |= m
        k += 1
    return (m_all, m_near)


def masks_of(tuple tokens, Py_ssize_t near):
    """`_masks_of` for the tests."""
    return _masks_of(tokens, near, F._token_mask)


def block_pass(list blocks, str title):
    """The reference's return values (rows as tuples of floats), from `block_pass_arrays`."""
    base, mask_all, mask_near, pat, tag_idx, sigs, sig_count, paths = block_pass_arrays(
        blocks, title)
    return ([tuple(r) for r in base.tolist()], mask_all.tolist(), mask_near.tolist(),
            pat.tolist(), tag_idx.tolist(), sigs, sig_count, paths)


def block_pass_arrays(list blocks, str title):
    """`block_pass` with its rows written straight into a float64 array (n x 14) and the masks,
    wording bits and tag indices into int64 arrays: what page_matrix_and_words makes of the
    reference's lists with ``np.array``, without the tuples (the same doubles: every value is
    an int below 2**53 or a quotient of two such ints, divided as Python divides them)."""
    cdef Py_ssize_t nb = len(blocks), i = 0
    base_arr = np.zeros((nb, 14), dtype=np.float64)
    ints_arr = np.zeros((4, nb), dtype=np.int64)
    cdef double[:, ::1] base = base_arr
    cdef long long[:, ::1] ints = ints_arr
    cdef Py_ssize_t nw, nsample, nwin = 0, npunct, nupper, ndigit, nspace, n_title, k
    cdef bytes bw
    cdef Py_UCS4 c
    cdef str text, win
    cdef Py_ssize_t sample_chars = F.SAMPLE_CHARS, pattern_words = F.PATTERN_WORDS
    cdef Py_ssize_t pattern_max = F.PATTERN_MAX_CHARS, pattern_window = F.PATTERN_WINDOW
    cdef Py_ssize_t near = F.NEAR_TOKENS
    token_mask, tag_of, other_tag = F._token_mask, F._TAG_OF, F._OTHER_TAG
    cdef dict cues = F._CUE_BITS
    cdef str strip_chars = F._CUE_STRIP
    rel_bit, com_bit = F._REL_BIT, F._COM_BIT
    block_words = F.block_words
    cdef str sentence_end = F.SENTENCE_END_CHARS
    title_words = set(block_words(title.lower()))
    n_title = len(title_words)
    cdef dict masks = {}
    cdef dict head_cues = {}
    cdef dict sig_count = {}
    cdef list sigs = [], paths = []
    stopwords = F.STOPWORDS
    cdef _WordTable stop_table = _stop_table()
    cdef _CueTable cue_table = _cue_table()
    cdef _WordTable title_table = _WordTable(title_words) if n_title else None
    cdef Py_ssize_t[::1] seen = np.zeros(max(n_title, 1), dtype=np.intp)
    cdef Py_ssize_t n_stop = 0, n_in_title = 0
    cdef bint fast
    cdef const unsigned char* ws
    cdef unsigned char ch, cls
    cdef object prev_tokens = None, prev_mk = None
    for b in blocks:
        text = b.text
        nw = _n_words(text)
        # ASCII windows: words counted and looked up in C (cue bits too, on short blocks).
        # An ASCII text's window is the first bytes of its own data (no slice, no copy).
        if PyUnicode_IS_ASCII(text):
            fast = True
            ws = <const unsigned char*> PyUnicode_DATA(text)
            nwin = min(len(text), sample_chars)
            win = None
        else:
            win = text[:sample_chars]  # ratios are read on the start of long blocks
            fast = win.isascii()
            if fast:
                bw = win.encode("ascii")
                ws = bw
                nwin = len(bw)
        if fast:
            nsample = _ascii_words_p(ws, nwin, stop_table, title_table, seen, i + 1,
                                     &n_stop, &n_in_title)
            stop = n_stop / nsample if nsample else 0.0
            bits = (_ascii_cue_bits_p(ws, nwin, cue_table, pattern_words)
                    if len(text) <= pattern_max else 0)
        else:
            low = block_words(win.lower())
            nsample = len(low)
            stop = sum(map(stopwords.__contains__, low)) / nsample if nsample else 0.0
            bits = (_cue_bits(low[:pattern_words], cues, strip_chars)
                    if len(text) <= pattern_max else 0)
        ints[2, i] = bits
        tokens = b.tokens
        if tokens is prev_tokens:  # the block before's very tuple: no hash of it again
            mk = prev_mk
        else:
            mk = masks.get(tokens)
            if mk is None:
                mk = masks[tokens] = _masks_of(tokens, near, token_mask)
            prev_tokens, prev_mk = tokens, mk
        ints[0, i] = mk[0]
        ints[1, i] = mk[1]
        ints[3, i] = tag_of.get(b.tag, other_tag)
        path = b.path
        sig = _signature_c(path)
        sigs.append(sig)
        sig_count[sig] = sig_count.get(sig, 0) + 1
        paths.append(path)
        heading = b.heading
        hc = head_cues.get(heading)
        if hc is None:
            hb = (_cue_bits(heading[:pattern_window].lower().split(), cues, strip_chars)
                  if heading else 0)
            hc = head_cues[heading] = (float(hb & rel_bit > 0), float(hb & com_bit > 0))
        h_rel, h_com = hc
        npunct = nupper = ndigit = nspace = 0
        if fast:  # the same tests on the window's ASCII bytes
            for k in range(nwin):
                ch = ws[k]
                cls = _ASCII_CLASS[ch]
                if cls == 2:  # _is_punct
                    npunct += 1
                elif cls == 3:  # 0-9
                    ndigit += 1
                elif ch == 32:
                    nspace += 1
                elif cls == 4:  # _is_upper on ASCII: A-Z
                    nupper += 1
        else:
            nwin = len(win)
            for c in win:
                if _is_punct(c):
                    npunct += 1
                elif u'0' <= c <= u'9':
                    ndigit += 1
                elif c == u' ':
                    nspace += 1
                elif _is_upper(c):
                    nupper += 1
        base[i, 0] = len(text)
        base[i, 1] = nw
        base[i, 2] = b.link_chars
        base[i, 3] = stop
        base[i, 4] = npunct / nwin
        base[i, 5] = 1.0 if text[-1] in sentence_end else 0.0
        base[i, 6] = nupper / nsample if nsample else 0.0
        base[i, 7] = ndigit / nwin
        base[i, 8] = (nwin - nspace) / nsample if nsample else 0.0
        base[i, 9] = len(b.hrefs)
        base[i, 10] = b.depth
        if fast:
            base[i, 11] = n_in_title / n_title if n_title and nsample else 0.0
        else:
            base[i, 11] = (len(title_words.intersection(low)) / n_title
                           if n_title and nsample else 0.0)
        base[i, 12] = h_rel
        base[i, 13] = h_com
        i += 1
    return base_arr, ints_arr[0], ints_arr[1], ints_arr[2], ints_arr[3], sigs, sig_count, paths


def path_sharing_arrays(list paths, str best_path):
    """`path_sharing` (the reference: detector.blocks.features.path_sharing) as two float64
    arrays, the same values: the (shared steps, steps) of a parent path are looked up in the
    dict only when the parent differs from the block before's (consecutive blocks mostly
    share it), and neither the parent nor the last step is cut out as a string (compared in
    place with ``startswith``). Each value is ``k / (steps + 1)`` of two small ints, the same
    double as Python's division, or 1.0 / 0.0 for the ``startswith`` test."""
    cdef Py_ssize_t n = len(paths), i, cut, k = 0, steps = 0, n_best
    best_parts = best_path.split("/")
    n_best = len(best_parts)
    cdef str best_parent = best_path[:best_path.rfind("/") + 1]
    cdef dict parent_shared = {}
    shared_np = np.empty(n, dtype=np.float64)
    in_best_np = np.empty(n, dtype=np.float64)
    cdef double[::1] shared = shared_np, in_best = in_best_np
    cdef str path, step, prev_parent = None
    cdef Py_ssize_t prev_cut = -1, pk = 0, psteps = 0
    for i in range(n):
        path = <str> paths[i]
        cut = path.rfind("/")
        # The parent path[:cut] is the block before's when the cut is at the same place and
        # the path starts with that parent (a path without "/" is always looked up).
        if cut >= 0 and cut == prev_cut and path.startswith(prev_parent):
            k, steps = pk, psteps
        else:
            parent = path[:cut]
            ps = parent_shared.get(parent)
            if ps is None:
                pparts = parent.split("/")
                k = 0
                for x, y in zip(pparts, best_parts):
                    if x != y:
                        break
                    k += 1
                ps = parent_shared[parent] = (k, len(pparts))
            k, steps = ps
            prev_parent, prev_cut, pk, psteps = parent, cut, k, steps
        if k == steps and steps < n_best:
            step = <str> best_parts[steps]
            if len(path) - cut - 1 == len(step) and path.startswith(step, cut + 1):
                k += 1
        shared[i] = <double> k / <double> (steps + 1)
        in_best[i] = 1.0 if path.startswith(best_parent) else 0.0
    return shared_np, in_best_np


def assemble_base(const double[:, ::1] base, const long long[::1] mask_all,
                  const long long[::1] mask_near, const long long[::1] pat,
                  const long long[::1] tag_idx, const double[::1] ld,
                  const double[::1] shared, const double[::1] in_best,
                  const double[::1] same, const double[::1] logc, const double[::1] logw,
                  const double[::1] logh, const double[::1] logsame, double log_page_words,
                  double log_n, Py_ssize_t tag_p, float[:, ::1] out):
    """The columns `BASE_NAMES` of page_matrix_and_words (``out[:, :len(BASE_NAMES)]``,
    float32) from the per-block pass and what numpy computed of it (every log stays numpy's:
    its last bit may differ from C's), without one numpy call a column. Each value is the
    same double operation as the numpy expression it replaces (sums of integers, quotients,
    sequential cumulative sums, copies), rounded to float32 once, as numpy's assignment does.
    tests/test_fastseg.py compares the bytes with the numpy expressions."""
    cdef Py_ssize_t n = base.shape[0], i, k, c, n_tags = F_N_TAGS, n_hints = F_N_HINTS
    cdef Py_ssize_t n_pat = F_N_PATTERNS, lo, hi
    cdef double page_words = 0.0, total_chars = 0.0, max_depth = 0.0, run = 0.0
    cdef double chars, v
    cdef double[::1] cs_c, cs_l, cs_s
    if n == 0:
        return
    for i in range(n):
        page_words += base[i, 1]
        total_chars += base[i, 0]
        if i == 0 or base[i, 10] > max_depth:
            max_depth = base[i, 10]
    page_words = max(page_words, 1.0)
    total_chars = max(total_chars, 1.0)
    max_depth = max(max_depth, 1.0)
    cs_c = np.zeros(n + 1)
    cs_l = np.zeros(n + 1)
    cs_s = np.zeros(n + 1)
    for i in range(n):
        chars = base[i, 0]
        cs_c[i + 1] = cs_c[i] + chars
        v = ld[i] * chars
        cs_l[i + 1] = cs_l[i] + v
        v = base[i, 3] * chars
        cs_s[i + 1] = cs_s[i] + v
    for i in range(n):
        chars = base[i, 0]
        out[i, 0] = <float> logc[i]
        out[i, 1] = <float> logw[i]
        out[i, 2] = <float> ld[i]
        out[i, 3] = <float> base[i, 3]  # stop
        out[i, 4] = <float> base[i, 4]  # punct
        out[i, 5] = <float> base[i, 5]  # ends
        out[i, 6] = <float> base[i, 6]  # caps
        out[i, 7] = <float> base[i, 7]  # digits
        out[i, 8] = <float> base[i, 8]  # wchars
        out[i, 9] = <float> logh[i]
        out[i, 10] = <float> base[i, 10]  # depth
        out[i, 11] = <float> (base[i, 10] / max_depth)
        out[i, 12] = <float> (<double> i / <double> n)
        v = cs_c[i + 1] - chars  # np.cumsum(chars) - chars: sums of integers, exact
        out[i, 13] = <float> (v / total_chars)
        out[i, 14] = <float> logsame[i]
        out[i, 15] = <float> (same[i] / <double> n)
        out[i, 16] = <float> shared[i]
        out[i, 17] = <float> in_best[i]
        out[i, 18] = <float> (base[i, 1] / page_words)
        out[i, 19] = <float> base[i, 11]  # title overlap
        out[i, 20] = <float> log_page_words
        out[i, 21] = <float> log_n
        out[i, 22] = <float> base[i, 12]  # heading related
        out[i, 23] = <float> base[i, 13]  # heading comment
        c = 24
        for k in range(n_tags):
            out[i, c + k] = 1.0 if tag_idx[i] == k else 0.0
        c += n_tags
        for k in range(n_hints):
            out[i, c + k] = <float> ((mask_all[i] >> k) & 1)
        c += n_hints
        for k in range(n_hints):
            out[i, c + k] = <float> ((mask_near[i] >> k) & 1)
        c += n_hints
        for k in range(n_pat):
            out[i, c + k] = <float> ((pat[i] >> k) & 1)
        c += n_pat
        # neighbours: (log chars, link density, stop ratio, is <p>) of prev, next, prev2, next2
        for k in (-1, 1, -2, 2):
            if 0 <= i + k < n and n > (k if k > 0 else -k):
                out[i, c] = <float> logc[i + k]
                out[i, c + 1] = <float> ld[i + k]
                out[i, c + 2] = <float> base[i + k, 3]
                out[i, c + 3] = 1.0 if tag_idx[i + k] == tag_p else 0.0
            else:
                out[i, c] = 0.0
                out[i, c + 1] = 0.0
                out[i, c + 2] = 0.0
                out[i, c + 3] = 0.0
            c += 4
        # +-2 blocks window, character-weighted: cumulative sums as np.cumsum makes them
        lo = i - 2 if i >= 2 else 0
        hi = i + 3 if i + 3 < n else n
        v = max(cs_c[hi] - cs_c[lo], 1.0)
        out[i, c] = <float> ((cs_l[hi] - cs_l[lo]) / v)
        out[i, c + 1] = <float> ((cs_s[hi] - cs_s[lo]) / v)


F_N_TAGS = len(F.TAG_NAMES)
F_N_HINTS = len(F.HINT_NAMES)
F_N_PATTERNS = len(F.PATTERNS)
# The column layout assemble_base writes (checked against BASE_NAMES at import).
ASSEMBLED_COLUMNS = 24 + F_N_TAGS + 2 * F_N_HINTS + F_N_PATTERNS + 16 + 2
if ASSEMBLED_COLUMNS != len(F.BASE_NAMES):
    raise ImportError("features.pyx assemble_base does not match BASE_NAMES")


cdef bint _maybe_datetime(str head):
    """False only where ``F._DATETIME.search(head)`` finds nothing: each of its alternatives
    holds a digit (``\\d``: a Unicode decimal digit, as `re` tests it) followed by "/", ".",
    "-" or ":" and another digit (dates, times), or by a space and the first letter of a unit
    (m, h, d, w: "3 hours ago"). One scan for that pair instead of the regex."""
    cdef Py_ssize_t n = len(head), i
    cdef int kind = PyUnicode_KIND(head)
    cdef void *data = PyUnicode_DATA(head)
    cdef Py_UCS4 c1, c2
    for i in range(n - 2):
        if Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)):
            c1 = PyUnicode_READ(kind, data, i + 1)
            c2 = PyUnicode_READ(kind, data, i + 2)
            if c1 == u'/' or c1 == u'.' or c1 == u'-' or c1 == u':':
                if Py_UNICODE_ISDECIMAL(c2):
                    return True
            elif c1 == u' ' and (c2 == u'm' or c2 == u'h' or c2 == u'd' or c2 == u'w'):
                return True
    return False


def maybe_datetime(str head):
    """`_maybe_datetime` for the tests."""
    return _maybe_datetime(head)


cdef list _starts_table(starts):
    """Per ASCII character: the tuple of ``starts`` beginning with it."""
    table = [[] for _ in range(128)]
    for w in starts:
        if not (w and w.isascii()):
            raise ValueError(f"section start {w!r}: not a non-empty ASCII string")
        table[ord(w[0])].append(w)
    return [tuple(t) for t in table]


cdef list _REL_STARTS = _starts_table(F.RELATED_SECTION_STARTS)
cdef list _COM_STARTS = _starts_table(F.COMMENT_SECTION_STARTS)


cdef bint _starts_at_word(str low, list table):
    """True when one of the table's strings occurs in ``low`` at a word start: at 0 or after
    a character that is not an ASCII word character ([0-9A-Za-z_]). That is every place
    ``\\b`` allows before a letter, and more (after a non-ASCII letter too): where a pattern
    matches, this is True."""
    cdef Py_ssize_t n = len(low), p, j, m
    cdef int kind = PyUnicode_KIND(low)
    cdef void* data = PyUnicode_DATA(low)
    cdef Py_UCS4 c
    cdef bint prev_word = False
    cdef tuple cands
    cdef str w
    for p in range(n):
        c = PyUnicode_READ(kind, data, p)
        if not prev_word and c < 128:
            cands = <tuple> table[<Py_ssize_t> c]
            for w in cands:
                m = len(w)
                if p + m <= n:
                    j = 1
                    while j < m and PyUnicode_READ(kind, data, p + j) == w[j]:
                        j += 1
                    if j == m:
                        return True
        prev_word = c < 128 and (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 or c == 95)
    return False


def section_cues(str low):
    """F._section_cues (the reference): a pattern runs only on a text holding one of its
    alternatives' starts at a word start (`F.RELATED_SECTION_STARTS`,
    `F.COMMENT_SECTION_STARTS`); a text without any cannot match it."""
    return ((_starts_at_word(low, _REL_STARTS) and F.RELATED_SECTION.search(low) is not None),
            (_starts_at_word(low, _COM_STARTS) and F.COMMENT_SECTION.search(low) is not None))


# Cached like F._section_cues (the same bound; pages of a site repeat their section titles).
_section_cues_cached = lru_cache(maxsize=F._section_cues.cache_info().maxsize)(section_cues)


def context_columns(list blocks, list parents, const float[:, :] base, Py_ssize_t col_ld,
                    Py_ssize_t col_in_best, Py_ssize_t col_digits, const double[::1] words,
                    const double[::1] log_words, const double[::1] log1p_dist,
                    double[:, ::1] out):
    """The columns `CONTEXT_NAMES` of ``context_matrix_fast`` (its reference, the numpy code
    it replaces) into ``out`` (float64, zeros), except column 6 (``run_len``, a numpy log of
    the run sizes): returns (run id a block, run sizes) for the caller's
    ``np.log1p(size)[run]``. ``words`` (``np.expm1`` of the log_words column) and
    ``log_words`` (``np.log1p(words)``) stay numpy's; every other value is the same double
    operation: ``np.bincount`` sums in index order (the same sequential additions),
    quotients, comparisons; the section distances' logs come from ``log1p_dist``
    (math.log1p, as the reference). tests/test_fastseg2.py compares the bytes."""
    cdef Py_ssize_t n = len(blocks), i, r, last_rel = -1, last_com = -1, best = 0, end = -1
    cdef Py_ssize_t rel_reach = F.RELATED_REACH, com_reach = F.COMMENT_REACH
    cdef double short_words = F.SECTION_HEADER_WORDS, prose_words = F.PROSE_WORDS
    cdef double prose_ld = F.PROSE_LINK_DENSITY, no_section = F.NO_SECTION
    cdef Py_ssize_t sample = F.CONTEXT_SAMPLE
    cdef double ld, w, v, top = 0.0
    cdef bint rel, com, prose
    cdef str text, head
    cdef object cues = _section_cues_cached, search = F._DATETIME.search
    cdef object match = F._NUMBERED.match
    run_np = np.empty(n, dtype=np.int64)
    size_np = np.zeros(n, dtype=np.float64)
    cdef long long[::1] run = run_np
    cdef double[::1] size = size_np
    cdef double[::1] wsum = np.zeros(n), ldw = np.zeros(n), lws = np.zeros(n)
    if n == 0:
        return run_np, size_np[:0]
    r = -1
    for i in range(n):
        text = (<object> blocks[i]).text
        w = words[i]
        ld = base[i, col_ld]
        prose = w >= prose_words and ld < prose_ld
        rel = com = False
        if w <= short_words:
            rel, com = cues(text.lower())
        if base[i, col_digits] > 0 or not text.isascii():
            head = text[:sample]
            if _maybe_datetime(head) and search(head) is not None:
                out[i, 12] = 1.0
            if match(head) is not None:
                out[i, 13] = 1.0
        out[i, 0] = rel
        out[i, 1] = com
        # Related: the last title at or before i, unless running prose (not a title) came since.
        if rel:
            last_rel = i
        elif prose:
            last_rel = -1
        if com:
            last_com = i
        if last_rel >= 0 and i - last_rel <= rel_reach:
            out[i, 2] = 1.0
            out[i, 4] = log1p_dist[i - last_rel]
        else:
            out[i, 4] = no_section
        if last_com >= 0 and i - last_com <= com_reach:
            out[i, 3] = 1.0
            out[i, 5] = log1p_dist[i - last_com]
        else:
            out[i, 5] = no_section
        # Runs of consecutive blocks with one parent signature.
        if i == 0 or <str> parents[i] != <str> parents[i - 1]:
            r += 1
        run[i] = r
        size[r] += 1.0
        wsum[r] += w
        v = ld * w
        ldw[r] += v
        lws[r] += log_words[i]
        v = w * (1.0 - ld)
        if i == 0 or v > top:  # np.argmax: the first of the largest
            top, best = v, i
        if base[i, col_in_best] > 0 and prose:
            end = i
    if end < 0:
        end = best
    for i in range(n):
        r = run[i]
        out[i, 7] = ldw[r] / max(wsum[r], 1.0)
        out[i, 8] = lws[r] / size[r]
        out[i, 9] = 1.0 if i > best else 0.0
        out[i, 10] = <double> (i - best) / <double> n
        out[i, 11] = 1.0 if i > end else 0.0
    return run_np, size_np[:r + 1]


# --- page type (detector.blocks.page_type) -------------------------------------------------

def page_type_pass(list blocks, list words, tuple art_kinds, Py_ssize_t text_window):
    """detector.blocks.page_type._page_pass, compiled (the same statements on C integers; the
    repeated-template signatures are the same (tag, depth, tokens) keys of a dict)."""
    cdef Py_ssize_t n_art = 0, art_words = 0, max_aw = 0, chars = 0, art_chars = 0
    cdef Py_ssize_t link = 0, art_link = 0, art_p = 0, art_li = 0, art_h = 0, n_com = 0
    cdef Py_ssize_t n_rel = 0, size = -1, nc, lc, w, c, rep = 0, i, nb = min(len(blocks), len(words))
    cdef dict sig = {}
    cdef list parts = []
    cdef str text, tag, kind
    # The tokens of a signature stand for themselves by a number: equal tuples, one number
    # (`content`); consecutive blocks mostly hold the very same tuple object, which is not
    # hashed again. Equal (tag, depth, tokens) keys, equal (tag, depth, number) keys: the
    # same counts.
    cdef dict content = {}
    cdef object prev_tokens = None, canon = None
    for i in range(nb):
        b = blocks[i]
        w = words[i]
        text, tag, kind, lc = b.text, b.tag, b.kind, b.link_chars
        nc = len(text)
        chars += nc
        link += lc
        tokens = b.tokens
        if tokens is not prev_tokens or canon is None:
            canon = content.setdefault(tokens, len(content))
            prev_tokens = tokens
        s = (tag, b.depth, canon)
        sig[s] = sig.get(s, 0) + 1
        if kind in art_kinds and tag != "title":
            n_art += 1
            art_words += w
            if w > max_aw:
                max_aw = w
            art_chars += nc
            art_link += lc
            if tag == "p":
                art_p += 1
            elif tag == "li":
                art_li += 1
            elif tag == "h2" or tag == "h3" or tag == "h4":
                art_h += 1
            if size < text_window:
                parts.append(text)
                size += 1 + nc
        elif kind == "comments":
            n_com += 1
        elif kind == "related":
            n_rel += 1
    for v in sig.values():
        c = v
        if c >= 5:
            rep += c
    return (n_art, art_words, max_aw, chars, art_chars, link, art_link, art_p, art_li, art_h,
            n_com, n_rel, rep, parts)


# The ASCII word characters of `re` (str.isalnum on ASCII is A-Z, a-z, 0-9; and "_"), as a
# table: Py_UNICODE_ISALNUM is up to four look-ups through the Unicode database a character
# (tests/test_fastex5.py checks the table against str.isalnum for every ASCII character).
cdef unsigned char _ASCII_WORD[128]
for _c in range(128):
    _ASCII_WORD[_c] = chr(_c) == "_" or chr(_c).isalnum()


cdef inline bint _re_word(Py_UCS4 c):
    # a word character of `re` on str patterns (\b, \w): alphanumeric or "_"
    if c < 128:
        return _ASCII_WORD[c]
    return Py_UNICODE_ISALNUM(c)


def re_word(str c):
    """`_re_word` of one character, for the tests."""
    return bool(_re_word(ord(c)))


def whole_word_count(str text, frozenset words):
    """``len(re.findall(r"\\b(w1|w2|...)\\b", text))`` for a pattern whose alternatives are the
    ``words``, each made of word characters only (page_type's `_FORUM`): a match starts and
    ends at a word boundary and holds only word characters, so it is a whole run of word
    characters, and findall's matches are the runs equal to one of ``words``. One scan of the
    runs, a set look-up for those no longer than the longest word."""
    cdef Py_ssize_t n = len(text), i = 0, a, count = 0, longest = 0, m
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    # A run can equal a word only if it has one of the words' lengths and first characters:
    # runs failing either are not cut out and looked up (no string made). The filter is off
    # when a word is empty, 64+ characters long or starts with a non-ASCII character.
    cdef unsigned long long lengths = 0
    cdef unsigned char first[128]
    cdef bint filtered = True
    cdef Py_UCS4 c0
    memset(first, 0, sizeof(first))
    for w in words:
        m = len(w)
        longest = max(longest, m)
        if m == 0 or m >= 64 or ord(w[0]) >= 128:
            filtered = False
        else:
            lengths |= 1ULL << m
            first[ord(w[0])] = 1
    while i < n:
        while i < n and not _re_word(PyUnicode_READ(kind, data, i)):
            i += 1
        a = i
        while i < n and _re_word(PyUnicode_READ(kind, data, i)):
            i += 1
        m = i - a
        if 0 < m <= longest:
            if filtered:
                c0 = PyUnicode_READ(kind, data, a)
                if c0 >= 128 or not first[c0] or not (lengths >> m) & 1:
                    continue
            if text[a:i] in words:
                count += 1
    return count


# --- block typing (detector.boilerplate._classify_learned) ---------------------------------

def type_learned(list blocks, list p_art, list side_rel, list p_side, list art_best,
                 list rest_best, double thr, double override, double related_thr,
                 double comments_thr, object kind_fn):
    """detector.boilerplate._type_learned (the typing loop of _classify_learned), compiled
    (the same statements; the Python loop is the reference and the fallback): per block
    its P(article) into ``features``, then its kind and confidence from the models' columns
    (``side_rel`` / ``art_best`` / ``rest_best``: the position of the chosen candidate,
    ``p_side``: the chosen side's probability). ``kind_fn``: boilerplate_kind."""
    cdef Py_ssize_t i, n = len(blocks)
    cdef double pa, ps
    cdef long si
    cdef str best, tag
    sides = ("related", "comments")
    arts = ("content", "title", "caption")
    rests = ("related", "comments", "other")
    for i in range(n):
        b = blocks[i]
        pa_obj = p_art[i]
        pa = pa_obj
        b.features["p_article"] = pa_obj
        si = side_rel[i]
        ps_obj = p_side[i]
        ps = ps_obj
        if pa >= thr and ps < override:
            best = arts[art_best[i]]
            if best == "title":
                tag = b.tag
                if not (tag == "h1" or tag == "h2" or tag == "h3" or tag == "title"):
                    best = "content"  # headlines are headings; a bold lead is still content
            b.kind = best
            b.confidence = pa_obj
        elif pa >= thr or ps >= (related_thr if si == 0 else comments_thr):
            b.kind = sides[si]
            b.confidence = ps_obj
        else:
            best = rests[rest_best[i]]
            b.kind = best if best != "other" else kind_fn(b, learned=True)
            b.confidence = 1.0 - pa


def parents_and_same(list blocks, list sigs, dict sig_count, object sig_table):
    """(F.parent_signatures(blocks, sigs), the float64 array of ``sig_count[s]`` for every
    signature ``s`` of ``sigs``): page_matrix_and_words' two per-block steps after the block
    pass, in one compiled loop (the same strings and counts)."""
    cdef Py_ssize_t n = len(sigs), i, cut
    cdef list parents = []
    cdef str s
    same_np = np.empty(n, dtype=np.float64)
    cdef double[::1] same = same_np
    for i in range(n):
        s = <str> sigs[i]
        cut = s.rfind("/")
        # No "/" in the path: the reference's path[:-1] is not the signature's [:-1].
        parents.append(s[:cut] if cut >= 0 else (<object> blocks[i]).path[:-1].translate(
            sig_table))
        same[i] = <Py_ssize_t> sig_count[s]
    return parents, same_np


# --- block typing in one pass over the models' columns (detector.boilerplate) -------------

cdef class TokenKinds:
    """boilerplate._token_kind(near, learned=True) without its cache: every token of the
    kind vocabularies holds the bits of the kinds naming it (bit k: the k-th kind of
    ``kind_tokens`` in its order, "related" and "comments" left out as the learned pass leaves
    them out); the kind of a tuple of tokens is the kind of the lowest bit of their OR, the
    first kind in that order whose vocabulary holds one of them, as the reference's loop
    finds it (None when no token is in any)."""
    cdef dict bits
    cdef tuple kinds

    def __init__(self, dict kind_tokens):
        kinds = [k for k in kind_tokens if k not in ("related", "comments")]
        if len(kinds) > 62:
            raise ValueError("too many kinds")
        self.kinds = tuple(kinds)
        self.bits = {}
        for k, kind in enumerate(kinds):
            for t in kind_tokens[kind]:
                self.bits[t] = self.bits.get(t, 0) | (1 << k)

    cdef object kind_of_last(self, tuple tokens, Py_ssize_t window):
        """The kind of ``tokens[-window:]`` (window > 0)."""
        cdef Py_ssize_t n = len(tokens), i
        cdef long long m = 0, low
        cdef int k = 0
        for i in range(max(n - window, 0), n):
            v = self.bits.get(tokens[i])
            if v is not None:
                m |= <long long> v
        if m == 0:
            return None
        low = m & -m
        while low > 1:
            low >>= 1
            k += 1
        return self.kinds[k]

    def __call__(self, tuple near, learned=True):
        """``_token_kind(near, True)`` (for the tests)."""
        if not learned:
            raise ValueError("only the learned pass's look-up")
        return self.kind_of_last(near, len(near)) if near else None


def token_kind_of_last(TokenKinds kinds, tuple tokens, Py_ssize_t window):
    """``kinds.kind_of_last`` (for the tests): the kind of ``tokens[-window:]``."""
    if window <= 0:
        window = len(tokens)  # tokens[-0:] is the whole tuple
    return kinds.kind_of_last(tokens, window)


cdef class KindRules:
    """What `boilerplate_kind` (detector.boilerplate) reads, given once by its module: the
    cached token look-up, the three line patterns, the letters two of them can start with,
    the ad labels and the token window."""
    cdef object token_kind, legal, share, author
    cdef TokenKinds token_kinds  # token_kind when it is a TokenKinds (called without Python)
    cdef frozenset share_first, author_first
    cdef tuple ad_labels
    cdef Py_ssize_t ad_max, window

    def __init__(self, token_kind, legal, share, author, frozenset share_first,
                 frozenset author_first, tuple ad_labels, Py_ssize_t window):
        self.token_kind, self.legal, self.share, self.author = token_kind, legal, share, author
        self.token_kinds = token_kind if isinstance(token_kind, TokenKinds) else None
        self.share_first, self.author_first = share_first, author_first
        self.ad_labels = ad_labels
        self.ad_max = max(map(len, ad_labels))
        self.window = window


cdef inline object _token_kind_of(KindRules rules, tuple tokens):
    """``_token_kind(tokens[-window:], True)``."""
    if rules.token_kinds is not None:
        return rules.token_kinds.kind_of_last(tokens, rules.window) if rules.window > 0 else (
            rules.token_kind(tokens[-rules.window:], True))
    return rules.token_kind(tokens[-rules.window:], True)


cdef str _kind_by_wording(object b, str text, tuple tokens, KindRules r):
    """boilerplate_kind(b, learned=True) after its token test found no kind (the same tests
    in the same order)."""
    cdef Py_ssize_t n = len(text)
    cdef str low = None, first
    if text.isascii():  # `_maybe_legal`, whose test needs the lower-cased text
        low = text.lower()
        if ("copyright" in low or "all rights reserved" in low) and r.legal.search(text):
            return "footer"
    elif r.legal.search(text):
        return "footer"
    first = text[:1]
    if n < 60 and first in r.share_first and r.share.match(text):
        return "share"
    if n < 80 and first in r.author_first and r.author.match(text):
        return "author"
    if n <= r.ad_max and (text.lower() if low is None else low) in r.ad_labels:
        return "ad"
    if b.tag == "footer" or "footer" in tokens:
        return "footer"
    return "navigation"


cdef object _kind_learned(object b, KindRules rules):
    cdef tuple tokens = b.tokens
    kind = _token_kind_of(rules, tokens)
    if kind is not None:
        return kind
    return _kind_by_wording(b, b.text, tokens, rules)


def boilerplate_kind_learned(object b, KindRules rules):
    """``boilerplate_kind(b, learned=True)``, for the tests."""
    return _kind_learned(b, rules)


cdef inline int _first_of2(const double[:, :] p, Py_ssize_t i, Py_ssize_t a, Py_ssize_t b):
    # max((a, b), key=...): the first unless the second is strictly greater
    return 1 if p[i, b] > p[i, a] else 0


cdef inline int _first_of3(const double[:, :] p, Py_ssize_t i, Py_ssize_t a, Py_ssize_t b,
                           Py_ssize_t c):
    cdef double v = p[i, a]
    cdef int k = 0
    if p[i, b] > v:
        v = p[i, b]
        k = 1
    if p[i, c] > v:
        k = 2
    return k


cdef inline void _set_article_kind(object b, const double[:, :] p_kind, Py_ssize_t i,
                                   Py_ssize_t c_con, Py_ssize_t c_tit, Py_ssize_t c_cap,
                                   object confidence):
    """`_article_kind` (a headline only as a heading tag: a bold lead is still content) and
    the confidence, on block ``b``."""
    cdef int k = _first_of3(p_kind, i, c_con, c_tit, c_cap)
    cdef str tag
    if k == 1:
        tag = b.tag
        b.kind = ("title" if tag == "h1" or tag == "h2" or tag == "h3" or tag == "title"
                  else "content")
    else:
        b.kind = "content" if k == 0 else "caption"
    b.confidence = confidence


def type_learned_columns(list blocks, const double[:] p_art, const double[:, :] p_kind,
                         tuple cols, double thr, double override, double related_thr,
                         double comments_thr, KindRules rules):
    """``type_learned`` with its inputs read straight from the models' arrays: the choices
    `_first_max` makes on whole columns (the first candidate holding the row's highest
    probability: a later one wins only when strictly greater, as ``>`` on the columns) and
    ``boilerplate_kind(b, learned=True)`` (`_kind_by_wording`; the token look-up is not
    repeated for a block holding the very tuple of the block before). ``cols``: the columns
    of related, comments, content, title, caption and other. The same kinds, confidences
    and ``p_article`` values as `_first_max` + `_type_learned` (tests/test_fastex5.py)."""
    cdef Py_ssize_t i, n = len(blocks), window = rules.window
    cdef Py_ssize_t c_rel = cols[0], c_com = cols[1], c_con = cols[2], c_tit = cols[3]
    cdef Py_ssize_t c_cap = cols[4], c_oth = cols[5]
    cdef double pa, ps
    cdef int si, k
    cdef tuple tokens, prev_tokens = None
    cdef object prev_kind = None
    if p_art.shape[0] < n or p_kind.shape[0] < n:
        raise ValueError("fewer probabilities than blocks")
    for i in range(n):
        b = blocks[i]
        pa = p_art[i]
        pa_obj = pa
        b.features["p_article"] = pa_obj
        si = _first_of2(p_kind, i, c_rel, c_com)
        ps = p_kind[i, c_com] if si else p_kind[i, c_rel]
        if pa >= thr and ps < override:
            _set_article_kind(b, p_kind, i, c_con, c_tit, c_cap, pa_obj)
        elif pa >= thr or ps >= (related_thr if si == 0 else comments_thr):
            b.kind = "related" if si == 0 else "comments"
            b.confidence = ps
        else:
            k = _first_of3(p_kind, i, c_rel, c_com, c_oth)
            if k == 0:
                b.kind = "related"
            elif k == 1:
                b.kind = "comments"
            else:
                tokens = b.tokens
                if tokens is not prev_tokens or prev_tokens is None:
                    prev_kind = _token_kind_of(rules, tokens)
                    prev_tokens = tokens
                b.kind = (prev_kind if prev_kind is not None
                          else _kind_by_wording(b, b.text, tokens, rules))
            b.confidence = 1.0 - pa


def smooth_kinds(list blocks, list parents, frozenset art_kinds, double list_vote):
    """detector.boilerplate._smooth_lists then _smooth_sections, compiled (the same
    statements: runs of equal parent signatures vote, then a short non-article block between
    two related or two comments blocks joins them)."""
    cdef Py_ssize_t n = len(blocks), start = 0, i, cnt, m
    cdef list run
    cdef str kind
    for i in range(1, n + 1):
        if i < n and parents[i] == parents[start]:
            continue
        if i - start < 2:  # a run of one block never has two non-article blocks
            start = i
            continue
        run = [b for b in blocks[start:i] if b.kind not in art_kinds]
        start = i
        m = len(run)
        if m < 2:
            continue
        for kind in ("related", "comments"):
            cnt = 0
            for b in run:
                if b.kind == kind:
                    cnt += 1
            if cnt >= list_vote * m:
                for b in run:
                    b.kind = kind
                break
    for i in range(1, n - 1):
        prev, b, nxt = blocks[i - 1], blocks[i], blocks[i + 1]
        pk = prev.kind
        if (pk == nxt.kind and (pk == "related" or pk == "comments")
                and b.kind not in art_kinds and b.kind != pk):
            b.kind = pk


def article_container(list anchors, object words, double share):
    """detector.boilerplate._article_container, compiled (the same statements: the weights of
    the blocks summed per parent path, then onto every prefix of a parent cut at its slashes
    from the one numbered 2; the deepest prefix, first met among equals, holding ``share``
    of the weight). ``words``: the blocks' weights (ints or floats, added in the same order
    as Python adds them), or None (their word counts, counted here)."""
    cdef dict per_parent = {}, weight = {}
    cdef Py_ssize_t i, cut, n = len(anchors), best_depth = -1, d
    cdef object total = 0, w  # ints or floats, summed as Python sums them
    cdef str path, parent, key, best = None
    cdef object k
    if words is None:
        words = [len((<object> b).text.split()) for b in anchors]
    if len(words) < n:
        n = len(words)
    for i in range(n):
        w = words[i]
        total += w
        path = (<object> anchors[i]).path
        parent = path[:path.rfind("/") + 1]  # with its slash; "" when the path has none
        per_parent[parent] = per_parent.get(parent, 0) + w
    for k, v in per_parent.items():
        path = <str> k
        w = v
        cut = -1
        for _ in range(3):
            cut = path.find("/", cut + 1)
            if cut < 0:
                break
        while cut >= 0:
            key = path[:cut]
            weight[key] = weight.get(key, 0) + w
            cut = path.find("/", cut + 1)
    need = share * total
    if not total:
        return None
    for k, v in weight.items():
        if v >= need:
            d = (<str> k).count("/")
            if d > best_depth:  # max(..., key=count): the first of the deepest
                best_depth, best = d, <str> k
    if best is None:
        return None
    return best + "/"


def focus_article(list blocks, const double[:, :] p_kind, tuple cols, double thr,
                  double related_thr, double comments_thr, bint article_page,
                  object container, object words, KindRules rules, tuple consts):
    """detector.boilerplate._focus_article after its set-up, compiled (the same statements
    in the same order; `_article_kind`, `_boilerplate_choice` and `_article_run` inline, ``container``:
    `_article_container`). ``cols``: the columns of related, comments, content, title,
    caption, other; ``consts``: ANCHOR_P, OUTSIDE_P, KIND_OVERRIDE_INSIDE,
    SMALL_PAGE_BLOCKS, FALLBACK_SHARE, FALLBACK_LINK_DENSITY, CONTAINED_KINDS,
    ARTICLE_KINDS, SPAN_KINDS."""
    cdef double anchor_p = consts[0], outside_p = consts[1], inside = consts[2]
    cdef Py_ssize_t small = consts[3]
    cdef double share = consts[4], link_max = consts[5]
    cdef frozenset contained = consts[6], art_kinds = consts[7], span_kinds = consts[8]
    cdef Py_ssize_t c_rel = cols[0], c_com = cols[1], c_con = cols[2], c_tit = cols[3]
    cdef Py_ssize_t c_cap = cols[4], c_oth = cols[5]
    cdef Py_ssize_t n = len(blocks), i, j, lo, hi, nbody, nanch = 0, nt
    cdef double v, best, ps
    cdef int k
    cdef str kind, root
    cdef list body = [], pa_obj = [], anchors = [], kept
    if p_kind.shape[0] < n:
        raise ValueError("fewer probabilities than blocks")
    pa_np = np.empty(n, dtype=np.float64)
    cdef double[::1] pa = pa_np
    cdef dict feats
    for i in range(n):
        b = blocks[i]
        feats = b.features
        o = feats.get("p_article", 0.0)
        pa_obj.append(o)
        pa[i] = o
        if not (b.index == 0 and b.tag == "title"):
            body.append(i)
    cdef Py_ssize_t nspan = 0
    lo = hi = -1
    for i in body:
        kind = blocks[i].kind
        if pa[i] >= anchor_p:
            if kind in art_kinds:
                anchors.append(i)
            if kind in art_kinds or kind in span_kinds:
                if nspan == 0:
                    lo = i
                hi = i
                nspan += 1
    nanch = len(anchors)
    if nspan >= 2:
        for i in range(lo + 1, hi):
            b = blocks[i]
            kind = b.kind
            if kind == "related" or kind == "comments":
                v = p_kind[i, c_rel]
                if p_kind[i, c_com] > v:
                    v = p_kind[i, c_com]
                if pa[i] >= thr and v < inside:
                    _set_article_kind(b, p_kind, i, c_con, c_tit, c_cap, pa_obj[i])
    if article_page and nanch:
        # the kept article blocks, each weighing `_container_weight`: words x P(article)^2
        kept = [i for i in body if blocks[i].kind in art_kinds and pa[i] >= thr]
        root = container([blocks[i] for i in kept],
                         [(words[i] if words is not None
                           else len(F.block_words((<object> blocks[i]).text)))
                          * pa_obj[i] * pa_obj[i] for i in kept])
        if root is not None:
            for i in body:
                b = blocks[i]
                if b.kind in contained and pa[i] < outside_p and not b.path.startswith(root):
                    k = _first_of2(p_kind, i, c_rel, c_com)
                    ps = p_kind[i, c_com] if k else p_kind[i, c_rel]
                    if ps >= (comments_thr if k else related_thr):
                        b.kind = "comments" if k else "related"
                    else:
                        k = _first_of3(p_kind, i, c_rel, c_com, c_oth)
                        if k == 0:
                            b.kind = "related"
                        elif k == 1:
                            b.kind = "comments"
                        else:
                            b.kind = _kind_learned(b, rules)
                    b.confidence = 1.0 - pa[i]
            # detector.boilerplate._article_run: the article runs on in its container.
            j = -1
            for k in range(nanch - 1, -1, -1):
                if blocks[anchors[k]].path.startswith(root):
                    j = anchors[k]
                    break
            if j >= 0:
                for i in range(j + 1, n):
                    b = blocks[i]
                    if not b.path.startswith(root) or pa[i] < anchor_p:
                        break
                    if b.kind == "comments":
                        _set_article_kind(b, p_kind, i, c_con, c_tit, c_cap, pa_obj[i])
    nbody = len(body)
    if 0 < nbody <= small:
        for i in body:
            if blocks[i].kind in art_kinds:
                return
        best = pa[body[0]]
        for i in body:
            if pa[i] > best:
                best = pa[i]
        for i in body:
            b = blocks[i]
            nt = len(b.text)
            if pa[i] >= share * best and (<double> b.link_chars / <double> nt if nt else 0.0) \
                    < link_max:
                b.kind = "content"
                b.confidence = pa_obj[i]


# --- page type: price wording (detector.blocks.page_type._PRICE) -------------------------

cdef inline bint _is_dec(Py_UCS4 c):
    # `\d` of `re` on str patterns (a Unicode decimal digit); on ASCII only 0-9
    if c < 128:
        return 48 <= c <= 57
    return Py_UNICODE_ISDECIMAL(c)

cdef inline bint _lit(int kind, void *data, Py_ssize_t n, Py_ssize_t p, const char *s,
                      Py_ssize_t m):
    """text[p:p + m] == s (ASCII s of m characters)."""
    cdef Py_ssize_t j
    if p + m > n:
        return False
    for j in range(m):
        if PyUnicode_READ(kind, data, p + j) != <Py_UCS4> (<unsigned char> s[j]):
            return False
    return True


cdef inline bint _word_end(int kind, void *data, Py_ssize_t n, Py_ssize_t p):
    # `\b` after a word character: the text ends at p or p holds no word character
    return p >= n or not _re_word(PyUnicode_READ(kind, data, p))


cdef inline Py_ssize_t _currency_at(int kind, void *data, Py_ssize_t n, Py_ssize_t p):
    """Length of `(€|eur\\b|usd\\b)` at p, or 0."""
    if p >= n:
        return 0
    if PyUnicode_READ(kind, data, p) == 0x20AC:  # €
        return 1
    if (_lit(kind, data, n, p, b"eur", 3) or _lit(kind, data, n, p, b"usd", 3)) and \
            _word_end(kind, data, n, p + 3):
        return 3
    return 0


cdef Py_ssize_t _price_at(int kind, void *data, Py_ssize_t n, Py_ssize_t i):
    """Length of the `_PRICE` match starting at i (its alternatives tried in order, each
    with the backtracking of ``re``), or 0."""
    cdef Py_UCS4 c = PyUnicode_READ(kind, data, i)
    cdef Py_ssize_t m
    if c == u'$' or c == 0x20AC or c == 0xA3 or c == 0xA5:  # [$€£¥] ?\d
        if (i + 2 < n and PyUnicode_READ(kind, data, i + 1) == u' '
                and _is_dec(PyUnicode_READ(kind, data, i + 2))):
            return 3
        if i + 1 < n and _is_dec(PyUnicode_READ(kind, data, i + 1)):
            return 2
        return 0
    if _is_dec(c):  # \d ?(€|eur\b|usd\b): the space tried first
        if i + 1 < n and PyUnicode_READ(kind, data, i + 1) == u' ':
            m = _currency_at(kind, data, n, i + 2)
            if m:
                return 2 + m
        m = _currency_at(kind, data, n, i + 1)
        return 1 + m if m else 0
    if c == u'a':
        if _lit(kind, data, n, i, b"add to ", 7):
            if _lit(kind, data, n, i + 7, b"cart", 4):
                return 11
            if _lit(kind, data, n, i + 7, b"basket", 6):
                return 13
            if _lit(kind, data, n, i + 7, b"bag", 3):
                return 10
        return 0
    if c == u'i':
        return 8 if _lit(kind, data, n, i, b"in stock", 8) else 0
    if c == u'o':
        return 12 if _lit(kind, data, n, i, b"out of stock", 12) else 0
    if c == u'w':
        return 9 if _lit(kind, data, n, i, b"warenkorb", 9) else 0
    if c == u's':  # \bsku\b
        if ((i == 0 or not _re_word(PyUnicode_READ(kind, data, i - 1)))
                and _lit(kind, data, n, i, b"sku", 3) and _word_end(kind, data, n, i + 3)):
            return 3
        return 0
    if c == u'f':
        return 13 if _lit(kind, data, n, i, b"free shipping", 13) else 0
    if c == u'q':
        return 8 if _lit(kind, data, n, i, b"quantity", 8) else 0
    return 0


def price_count(str text):
    """``len(_PRICE.findall(text))`` of detector.blocks.page_type (findall's scan: at each
    position the first alternative that matches; after a match, on from its end), without
    the regex. tests/test_fastex5.py compares the two."""
    cdef Py_ssize_t n = len(text), i = 0, m, count = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    while i < n:
        m = _price_at(kind, data, n, i)
        if m:
            count += 1
            i += m
        else:
            i += 1
    return count
