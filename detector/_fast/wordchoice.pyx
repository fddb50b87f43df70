# cython: boundscheck=False, wraparound=False, cdivision=True
"""The tree walk of detector.rules._wordchoice._FastTables.p_swapped in one compiled loop.

`leaf_values` gives, for every row and tree, the value of the leaf the row reaches, walking
the same flattened trees (`t_feat`, `t_thr`, `t_left`, `t_value`, `t_roots`, `t_depth`) with
the same test (``not (x <= thr)`` goes right, so NaN goes right as in the reference). The sum
over trees and the sigmoid stay in numpy (`_FastTables.p_swapped`), so the result is
bit-identical to the pure-Python path.
"""

import numpy as np

from libc.stdint cimport int64_t, uint64_t


def leaf_values(const double[:, ::1] rows, const int64_t[::1] feat, const double[::1] thr,
                const int64_t[::1] left, const double[::1] value, const int64_t[::1] roots,
                int depth):
    """(n rows, n trees) array of leaf values (C order, trees in `roots` order)."""
    cdef Py_ssize_t n = rows.shape[0], n_trees = roots.shape[0], i, t
    cdef int step
    cdef int64_t node
    out = np.empty((n, n_trees), dtype=np.float64)
    cdef double[:, ::1] o = out
    with nogil:
        for i in range(n):
            for t in range(n_trees):
                node = roots[t]
                for step in range(depth):
                    # Branch-free (the comparison is data, not control flow: ~2x faster).
                    node = left[node] + (not (rows[i, feat[node]] <= thr[node]))
                o[i, t] = value[node]
    return out


cdef inline uint64_t _slot(int64_t key, int shift) nogil:
    # Fibonacci hashing: the top bits of key * 2^64/phi.
    return (<uint64_t>key * <uint64_t>0x9E3779B97F4A7C15ULL) >> shift


cdef class KeyTable:
    """Hash index of a sorted key table (bigram or skip-gram keys of the word-choice model):
    `lookup` gives what `_FastTables._lookup` gives with a binary search (the log count of the
    key ``a * v + b`` at its first position in the table; 0.0 when absent or a or b < 0), with
    one probe sequence a key instead of a search."""

    cdef object _slots_arr
    cdef const int64_t[::1] keys
    cdef int64_t[::1] slots
    cdef int shift
    cdef uint64_t mask

    def __init__(self, keys):
        cdef Py_ssize_t n = len(keys), i
        cdef int bits = 1
        while (<Py_ssize_t>1 << bits) < 2 * n + 1:
            bits += 1
        self.keys = np.ascontiguousarray(keys, dtype=np.int64)
        self._slots_arr = np.full(<Py_ssize_t>1 << bits, -1, dtype=np.int64)
        self.slots = self._slots_arr
        self.shift = 64 - bits
        self.mask = (<uint64_t>1 << bits) - 1
        cdef uint64_t s
        for i in range(n):
            s = _slot(self.keys[i], self.shift)
            while self.slots[s] >= 0 and self.keys[self.slots[s]] != self.keys[i]:
                s = (s + 1) & self.mask
            if self.slots[s] < 0:  # an equal key already in keeps its first position
                self.slots[s] = i

    def lookup(self, const double[::1] logs, const int64_t[::1] a, const int64_t[::1] b,
               int64_t v):
        cdef Py_ssize_t n = a.shape[0], i
        cdef int64_t key, j
        cdef uint64_t s
        out = np.zeros(n, dtype=np.float64)
        cdef double[::1] o = out
        with nogil:
            for i in range(n):
                if a[i] < 0 or b[i] < 0:
                    continue
                key = a[i] * v + b[i]
                s = _slot(key, self.shift)
                while True:
                    j = self.slots[s]
                    if j < 0:
                        break
                    if self.keys[j] == key:
                        o[i] = logs[j]
                        break
                    s = (s + 1) & self.mask
        return out


# --- the token scan of detector.rules._wordchoice._scan --------------------------------------

from cpython.unicode cimport Py_UNICODE_ISDECIMAL


cdef inline bint _letter(Py_UCS4 c) noexcept nogil:
    return (c >= 65 and c <= 90) or (c >= 97 and c <= 122)  # [A-Za-z]


cdef inline bint _strip(Py_UCS4 c) noexcept nogil:
    # _BEFORE_STRIP: space, tab, ", ', left double and single quotes, (
    return c == 32 or c == 9 or c == 34 or c == 39 or c == 0x201c or c == 0x2018 or c == 40


cdef inline bint _sentence_end(Py_UCS4 c) noexcept nogil:
    # ".!?:\n\u2014": a capitalised word after one of these opens a sentence
    return c == 46 or c == 33 or c == 63 or c == 58 or c == 10 or c == 0x2014


def scan(str text, dict cache, entry):
    """`_scan` of detector.rules._wordchoice (same ids and content words): the tokens of
    ``_TOKEN`` (``[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\\d+(?:[.,]\\d+)*``, ``\\d`` being a
    Unicode decimal digit as in `re`), each spelling's (id, lowered, kind) from ``cache``
    (filled with ``entry(token)`` on a miss), and the name test on the up to 4 characters
    before a capitalised token (text start counts as spaces)."""
    cdef Py_ssize_t n = len(text), i = 0, s, k, lo
    cdef Py_UCS4 c
    cdef int kind
    cdef bint name
    ids = []
    content = []
    while i < n:
        c = text[i]
        s = i
        if _letter(c):
            i += 1
            while i < n and _letter(text[i]):
                i += 1
            while i + 1 < n and (text[i] == 39 or text[i] == 0x2019) and _letter(text[i + 1]):
                i += 2
                while i < n and _letter(text[i]):
                    i += 1
        elif Py_UNICODE_ISDECIMAL(c):
            i += 1
            while i < n and Py_UNICODE_ISDECIMAL(text[i]):
                i += 1
            while i + 1 < n and (text[i] == 46 or text[i] == 44) \
                    and Py_UNICODE_ISDECIMAL(text[i + 1]):
                i += 2
                while i < n and Py_UNICODE_ISDECIMAL(text[i]):
                    i += 1
        else:
            i += 1
            continue
        w = text[s:i]
        e = cache.get(w)
        if e is None:
            e = cache[w] = entry(w)
        tid, lw, kind_obj = <tuple>e
        ids.append(tid)
        kind = kind_obj
        if kind == 0:  # _NOT_CONTENT
            continue
        if kind == 2:  # _CONTENT_UNLESS_NAME: a name unless it opens a sentence
            lo = s - 4 if s >= 4 else 0
            k = s - 1
            while k >= lo and _strip(text[k]):
                k -= 1
            if k >= lo and not _sentence_end(text[k]):
                continue
        content.append((len(ids) - 1, lw))
    return ids, content
