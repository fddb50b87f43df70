# cython: boundscheck=False, wraparound=False, cdivision=True
"""All keywords of the rules in one pass over a page: detector.rules._util.blocks_with.

`block_hits` runs an Aho-Corasick automaton (a full transition table, built in Python by
`detector.rules._util._Automaton`) over the lowered page (block texts joined by a separator,
block k starting at ``starts[k]``) and gives, for every keyword, the blocks holding it, in
order: what `detector.rules._util._blocks_with_reference` (one str.find scan per keyword)
gives. A block k "holds" a keyword when an occurrence starts at or after ``starts[k]`` and
ends before ``starts[k + 1] - 1`` (the separator); the reference's test is the same.

`text_hits` gives the same lists from the block texts themselves, with no lowered page: each
character goes to the class of its lower case (a table built from ``str.lower``), and the
automaton starts afresh at each block (what the separator, in no keyword, does in the joined
page). ``str.lower`` maps every code point on its own except the capital sigma (final or not
by its context: `text_hits` gives None, and the caller lowers the page) and lengthens only
"\u0130" (its two lowered characters are stepped in turn).

`block_views` reads every block once for the views several rules and the page features ask
for (texts, first characters, prose blocks, characters and positions per kind):
`detector.rules._util.block_views`.
"""

import numpy as np

cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)
    int PyUnicode_4BYTE_KIND

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.unicode cimport (Py_UNICODE_TOLOWER, PyUnicode_DATA, PyUnicode_GET_LENGTH,
                              PyUnicode_KIND, PyUnicode_READ, PyUnicode_READ_CHAR)
from libc.stdint cimport int32_t, int64_t, uint16_t


def block_hits(str joined, const int64_t[::1] starts, const int32_t[::1] delta, int n_cls,
               const uint16_t[::1] cls_bmp, dict cls_big, const int32_t[::1] out_start,
               const int32_t[::1] out_ids, const int32_t[::1] kw_len, int n_kw):
    """list (one per keyword id) of the ascending block positions holding that keyword.

    ``delta[state * n_cls + cls]`` is the next state; ``cls_bmp[c]`` the class of a code
    point below 0x10000 (0: in no keyword), ``cls_big`` of the others; the keywords ending
    at a state are ``out_ids[out_start[state]:out_start[state + 1]]``."""
    cdef Py_ssize_t n = len(joined), nb = starts.shape[0], e, kb = 0, nxt, j, block_start
    cdef int32_t state = 0, c, kw
    cdef Py_UCS4 ch
    cdef int kind = PyUnicode_KIND(joined)
    cdef void *data = PyUnicode_DATA(joined)
    result = [[] for _ in range(n_kw)]
    last_arr = np.full(max(n_kw, 1), -1, dtype=np.int64)
    cdef int64_t[::1] last = last_arr
    if nb == 0:
        return result
    nxt = starts[1] if nb > 1 else n + 1
    block_start = starts[0]
    for e in range(n):
        while e >= nxt:  # block kb covers [starts[kb], nxt)
            kb += 1
            block_start = nxt
            nxt = starts[kb + 1] if kb + 1 < nb else n + 1
        ch = PyUnicode_READ(kind, data, e)
        if ch < 0x10000:
            c = cls_bmp[ch]
        else:
            c = cls_big.get(<long>ch, 0)
        state = delta[state * n_cls + c]
        for j in range(out_start[state], out_start[state + 1]):
            kw = out_ids[j]
            # Inside block kb: starts in it, and ends before its separator.
            if last[kw] != kb and e - kw_len[kw] + 1 >= block_start and e + 1 < nxt:
                last[kw] = kb
                result[kw].append(kb)
    return result


# Marks in the lowered class table: a code point whose lower case depends on its context (the
# capital sigma, when sigma or final sigma is a keyword character), and one whose lower case is
# longer than one character (its classes are in ``multi``).
DEF CONTEXT = 0xFFFF
DEF MULTI = 0xFFFE


def lower_of(Py_UCS4 ch):
    """The one-character lower case `text_hits` uses above the BMP (the simple mapping)."""
    return Py_UNICODE_TOLOWER(ch)


def text_hits(tuple texts, const int32_t[::1] step, int n_cls,
              const uint16_t[::1] cls_lower, const uint16_t[::1] cls_bmp, dict cls_big,
              dict multi, const int32_t[::1] out_start, const int32_t[::1] out_ids, int n_kw):
    """`block_hits` of the page the block ``texts`` make, read from the texts (module
    docstring), or None when a text holds a code point marked CONTEXT. ``cls_lower[c]`` is the
    class of ``chr(c).lower()`` for c below 0x10000 (or a mark); above it the class of
    `lower_of` (``cls_bmp`` / ``cls_big``, the classes of `block_hits`). ``step`` is
    `block_hits`' ``delta`` with each next state s written as ``2 * s * n_cls + (1 if
    keywords end at s else 0)``: the walk adds a class to it with no multiplication, and
    looks at ``out_start`` only where a keyword ends."""
    cdef Py_ssize_t nb = len(texts), kb, e, n, j
    cdef int32_t at, c, kw, v, s
    cdef Py_UCS4 ch, lo
    cdef int kind
    cdef void *data
    cdef str t
    result = [[] for _ in range(n_kw)]
    last_arr = np.full(max(n_kw, 1), -1, dtype=np.int64)
    cdef int64_t[::1] last = last_arr
    for kb in range(nb):
        t = texts[kb]
        n = PyUnicode_GET_LENGTH(t)
        kind = PyUnicode_KIND(t)
        data = PyUnicode_DATA(t)
        at = 0  # state * n_cls; the separator before the block: class 0, back to the root
        for e in range(n):
            ch = PyUnicode_READ(kind, data, e)
            if ch < 0x10000:
                c = cls_lower[ch]
                if c >= MULTI:
                    if c == CONTEXT:
                        return None
                    for c in multi[<long>ch]:
                        v = step[at + c]
                        at = v >> 1
                        if v & 1:
                            s = at // n_cls
                            for j in range(out_start[s], out_start[s + 1]):
                                kw = out_ids[j]
                                if last[kw] != kb:
                                    last[kw] = kb
                                    result[kw].append(kb)
                    continue
            else:
                lo = Py_UNICODE_TOLOWER(ch)
                if lo < 0x10000:
                    c = cls_bmp[lo]
                else:
                    c = cls_big.get(<long>lo, 0)
            v = step[at + c]
            at = v >> 1
            if v & 1:
                s = at // n_cls
                for j in range(out_start[s], out_start[s + 1]):
                    kw = out_ids[j]
                    if last[kw] != kb:
                        last[kw] = kb
                        result[kw].append(kb)
    return result


# Distinct kinds `block_views` sums in C (a page has at most the 11 block kinds: a list of
# more is left to the Python reference).
DEF MAX_KINDS = 32


def block_views(list blocks, frozenset article_kinds, Py_ssize_t prose_min_chars,
                double prose_max_link_density):
    """`detector.rules._util._block_views_reference` in one compiled loop (same values):
    (the block texts, the first character of each ("\\x00" for an empty text), the prose
    blocks, characters per kind, block positions per kind; kinds in the order met), or None
    for blocks of more than MAX_KINDS kinds."""
    cdef Py_ssize_t n = len(blocks), i, j, length, n_kinds = 0
    cdef Py_UCS4 *firsts = <Py_UCS4 *>PyMem_Malloc((n if n else 1) * sizeof(Py_UCS4))
    if firsts is NULL:
        raise MemoryError()
    cdef object b, kind, ld, last_kind = None
    cdef str t
    cdef tuple texts = PyTuple_New(n)
    cdef list prose = []
    cdef list kinds = []  # the distinct kinds met, in order (by value)
    cdef list at_of = []  # the positions of each
    cdef Py_ssize_t chars[MAX_KINDS]
    cdef Py_ssize_t k = -1
    cdef dict chars_of = {}
    cdef dict blocks_of = {}
    try:
        for i in range(n):
            b = blocks[i]
            t = b.text
            Py_INCREF(t)
            PyTuple_SET_ITEM(texts, i, t)
            length = len(t)
            firsts[i] = PyUnicode_READ_CHAR(t, 0) if length else 0
            kind = b.kind
            if kind is not last_kind:  # (runs of one kind are common: one look-up a run)
                k = -1
                for j in range(n_kinds):
                    if kinds[j] is kind:
                        k = j
                        break
                if k < 0:
                    for j in range(n_kinds):
                        if kinds[j] == kind:
                            k = j
                            break
                if k < 0:
                    if n_kinds == MAX_KINDS:
                        return None  # the caller takes the reference
                    k = n_kinds
                    n_kinds += 1
                    kinds.append(kind)
                    at_of.append([])
                    chars[k] = 0
                last_kind = kind
            chars[k] += length
            (<list>at_of[k]).append(i)
            if length >= prose_min_chars and kind in article_kinds:
                ld = b.link_density  # the property itself: the reference's float
                if ld < prose_max_link_density:
                    prose.append(b)
        first_chars = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, firsts, n)
    finally:
        PyMem_Free(firsts)
    for j in range(n_kinds):
        chars_of[kinds[j]] = chars[j]
        blocks_of[kinds[j]] = at_of[j]
    return texts, first_chars, prose, chars_of, blocks_of
