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
    cdef int64_t node, a, b, c, d
    cdef const double* x
    out = np.empty((n, n_trees), dtype=np.float64)
    cdef double[:, ::1] o = out
    with nogil:
        for i in range(n):
            x = &rows[i, 0]
            t = 0
            # Four trees at a time: four independent chains of look-ups, each in a register
            # (one chain waits on its own loads; measured ~2x faster on the benchmark pages).
            while t + 4 <= n_trees:
                a, b, c, d = roots[t], roots[t + 1], roots[t + 2], roots[t + 3]
                for step in range(depth):
                    # Branch-free (the comparison is data, not control flow: ~2x faster).
                    a = left[a] + (not (x[feat[a]] <= thr[a]))
                    b = left[b] + (not (x[feat[b]] <= thr[b]))
                    c = left[c] + (not (x[feat[c]] <= thr[c]))
                    d = left[d] + (not (x[feat[d]] <= thr[d]))
                o[i, t] = value[a]
                o[i, t + 1] = value[b]
                o[i, t + 2] = value[c]
                o[i, t + 3] = value[d]
                t += 4
            while t < n_trees:
                node = roots[t]
                for step in range(depth):
                    node = left[node] + (not (x[feat[node]] <= thr[node]))
                o[i, t] = value[node]
                t += 1
    return out


def leaf_values_reference(const double[:, ::1] rows, const int64_t[::1] feat,
                          const double[::1] thr, const int64_t[::1] left,
                          const double[::1] value, const int64_t[::1] roots, int depth):
    """`leaf_values` one tree at a time (the loop it replaced; the tests' oracle)."""
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
                    node = left[node] + (not (rows[i, feat[node]] <= thr[node]))
                o[i, t] = value[node]
    return out


cdef extern from *:
    """
    #include <stdlib.h>
    #if defined(__linux__)
    #include <sys/mman.h>
    #endif
    /* malloc, except that a block of 2 MB or more is aligned to 2 MB and offered to the
       kernel as huge pages (Linux, transparent huge pages in "madvise" mode): look-ups at
       random places in a table of 16 MB then miss the TLB far less. free() releases it. */
    static void *detector_table_alloc(size_t n) {
    #if defined(__linux__) && defined(MADV_HUGEPAGE)
        size_t huge = (size_t)2 << 20;
        if (n >= huge) {
            void *p = NULL;
            size_t m = (n + huge - 1) / huge * huge;
            if (posix_memalign(&p, huge, m) == 0) {
                madvise(p, m, MADV_HUGEPAGE);
                return p;
            }
        }
    #endif
        return malloc(n);
    }
    """
    void *detector_table_alloc(size_t n) nogil


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


# --- the count features of detector.rules._wordchoice.WordChoiceModel._features_batch ---------

from libc.math cimport sqrtf
from libc.stdlib cimport free, malloc


cdef struct _Entry:
    int64_t key  # -1: empty
    double value


cdef class PackedTable:
    """`KeyTable` with each key's value stored beside it: one memory access a look-up (the
    key tables are larger than the caches, and KeyTable reads slot, key and value from three
    arrays). ``get(a, b)`` is ``KeyTable(keys).lookup(logs, [a], [b], v)[0]``: the value at the
    key's first position in ``keys``, 0.0 when absent or a or b < 0."""

    cdef _Entry *entries
    cdef int shift
    cdef uint64_t mask
    cdef int64_t v

    def __cinit__(self, keys, logs, int64_t v):
        cdef const int64_t[::1] k = np.ascontiguousarray(keys, dtype=np.int64)
        cdef const double[::1] lg = np.ascontiguousarray(logs, dtype=np.float64)
        cdef Py_ssize_t n = k.shape[0], i
        cdef int bits = 1
        cdef uint64_t s
        if lg.shape[0] != n:
            raise ValueError("keys and values differ in length")
        while (<Py_ssize_t>1 << bits) < 2 * n + 1:
            bits += 1
        self.shift = 64 - bits
        self.mask = (<uint64_t>1 << bits) - 1
        self.v = v
        self.entries = <_Entry *>detector_table_alloc((<size_t>1 << bits) * sizeof(_Entry))
        if self.entries == NULL:
            raise MemoryError()
        for i in range(<Py_ssize_t>1 << bits):
            self.entries[i].key = -1
        for i in range(n):
            if k[i] < 0:
                raise ValueError("negative key")
            s = _slot(k[i], self.shift)
            while self.entries[s].key >= 0 and self.entries[s].key != k[i]:
                s = (s + 1) & self.mask
            if self.entries[s].key < 0:  # an equal key already in keeps its first value
                self.entries[s].key = k[i]
                self.entries[s].value = lg[i]

    def __dealloc__(self):
        free(self.entries)

    cdef inline double get(self, int64_t a, int64_t b) noexcept nogil:
        cdef int64_t key
        cdef uint64_t s
        if a < 0 or b < 0:
            return 0.0
        key = a * self.v + b
        s = _slot(key, self.shift)
        while True:
            if self.entries[s].key == key:
                return self.entries[s].value
            if self.entries[s].key < 0:
                return 0.0
            s = (s + 1) & self.mask

    def lookup(self, const int64_t[::1] a, const int64_t[::1] b):
        """`get` of every pair (for tests)."""
        out = np.zeros(a.shape[0], dtype=np.float64)
        cdef double[::1] o = out
        cdef Py_ssize_t i
        for i in range(a.shape[0]):
            o[i] = self.get(a[i], b[i])
        return out


cdef inline double _uni(const double[::1] log_uni, int64_t i) noexcept nogil:
    # numpy's log_uni[i]: index -1 (unknown word) reads the last entry (0.0)
    return log_uni[i] if i >= 0 else log_uni[log_uni.shape[0] + i]


def count_features(list scans, subs, int64_t start_id, PackedTable big, PackedTable skip,
                   const double[::1] log_uni, int not_a_pick, int n_features,
                   PackedTable books, const double[::1] books_log_uni, Py_ssize_t books_col):
    """`_features_batch`'s count part in one pass: (rows with the first 21 TOKEN_FEATURES
    and the 4 books ones from column ``books_col`` filled, best original of each row, the
    rows' word ids, block bounds, and for every original the row it belongs to and its id:
    what `embedding_rows` takes).

    ``subs[w]`` is None or (min rank, original ids, their ranks, original words), tuples
    (`_FastTables.subs_tuples`). Every value is computed with the reference's operations in
    its order (sums, differences, maxima of doubles), so the rows are bit-identical."""
    cdef Py_ssize_t n = 0, n_pad = 0, n_orig = 0, k, i, j, r, q, lo, hi, n_o
    cdef list ids, content
    for sc in scans:
        n += len((<tuple>sc)[1])
        n_pad += len((<tuple>sc)[0]) + 4
    pad_arr = np.empty(n_pad, dtype=np.int64)
    at_arr = np.empty(n, dtype=np.int64)
    bounds_arr = np.empty(len(scans) + 1, dtype=np.int64)
    rk_arr = np.full(n, not_a_pick, dtype=np.int64)
    o_lo_arr = np.zeros(n, dtype=np.int64)
    o_hi_arr = np.zeros(n, dtype=np.int64)
    cdef int64_t[::1] pad = pad_arr, at = at_arr, bounds = bounds_arr, rk = rk_arr
    cdef int64_t[::1] o_lo = o_lo_arr, o_hi = o_hi_arr
    cdef list infos = [None] * n
    cdef Py_ssize_t base = 0
    r = 0
    bounds[0] = 0
    for k in range(len(scans)):
        ids = <list>(<tuple>scans[k])[0]
        content = <list>(<tuple>scans[k])[1]
        pad[base] = -1
        pad[base + 1] = start_id
        for i in range(len(ids)):
            pad[base + 2 + i] = <int64_t>ids[i]
        pad[base + 2 + len(ids)] = -1
        pad[base + 3 + len(ids)] = -1
        for item in content:
            at[r] = base + <Py_ssize_t>(<tuple>item)[0]
            info = subs[(<tuple>item)[1]]
            if info is not None:
                infos[r] = info
                rk[r] = <int64_t>(<tuple>info)[0]
                o_lo[r] = n_orig
                n_orig += len((<tuple>info)[1])
                o_hi[r] = n_orig
            r += 1
        bounds[k + 1] = r
        base += len(ids) + 4
    o_ids_arr = np.empty(n_orig, dtype=np.int64)
    o_rank_arr = np.empty(n_orig, dtype=np.int64)
    o_row_arr = np.empty(n_orig, dtype=np.int64)
    cdef int64_t[::1] o_ids = o_ids_arr, o_rank = o_rank_arr, o_row = o_row_arr
    cdef tuple t_ids, t_ranks
    for r in range(n):
        if o_hi[r] > o_lo[r]:
            t_ids = <tuple>(<tuple>infos[r])[1]
            t_ranks = <tuple>(<tuple>infos[r])[2]
            for q in range(o_hi[r] - o_lo[r]):
                o_ids[o_lo[r] + q] = <int64_t>t_ids[q]
                o_rank[o_lo[r] + q] = <int64_t>t_ranks[q]
                o_row[o_lo[r] + q] = r
    rows_arr = np.zeros((n, n_features), dtype=np.float64)
    x_arr = np.empty(n, dtype=np.int64)
    first_arr = np.full(n, -1, dtype=np.int64)
    cdef double[:, ::1] rows = rows_arr
    cdef int64_t[::1] xs = x_arr, first = first_arr
    cdef int64_t p2, p, x, nx, nx2, o
    cdef double lcl, lcr, sl, sr, lw, a, b, ab, sk, bo, bol, bor, bs, co, bp, u, bl, br
    with nogil:
        for r in range(n):
            q = at[r]
            p2, p, x, nx, nx2 = pad[q], pad[q + 1], pad[q + 2], pad[q + 3], pad[q + 4]
            xs[r] = x
            lcl = big.get(p, x)
            lcr = big.get(x, nx)
            sl = skip.get(p2, x)
            sr = skip.get(x, nx2)
            lw = lcl + lcr
            bo = bol = bor = bs = co = bp = 0.0
            lo, hi = o_lo[r], o_hi[r]
            if hi > lo:
                # The reference's maxima (np.maximum.reduceat) start from each group's first
                # value; co and bp are then maxed with 0.0.
                for j in range(lo, hi):
                    o = o_ids[j]
                    a = big.get(p, o)
                    b = big.get(o, nx)
                    ab = a + b
                    sk = skip.get(p2, o) + skip.get(o, nx2)
                    u = _uni(log_uni, o)
                    if j == lo:
                        bo, bol, bor, bs, co = ab, a, b, sk, u
                        bp = ab if o_rank[j] <= 1 else 0.0
                        first[r] = 0
                    else:
                        if ab > bo:
                            bo = ab
                            first[r] = j - lo
                        if a > bol:
                            bol = a
                        if b > bor:
                            bor = b
                        if sk > bs:
                            bs = sk
                        if u > co:
                            co = u
                        if o_rank[j] <= 1:
                            if ab > bp:
                                bp = ab
                        elif 0.0 > bp:
                            bp = 0.0
                if co < 0.0:
                    co = 0.0
                if bp < 0.0:
                    bp = 0.0
                rows[r, 3] = 1.0
            rows[r, 0] = lcl
            rows[r, 1] = lcr
            rows[r, 2] = _uni(log_uni, x)
            rows[r, 4] = bo
            rows[r, 5] = bol
            rows[r, 6] = bor
            rows[r, 7] = co
            rows[r, 8] = bo - lw
            rows[r, 9] = _uni(log_uni, p)
            rows[r, 10] = _uni(log_uni, nx)
            rows[r, 11] = 1.0 if x < 0 else 0.0
            rows[r, 12] = 1.0 if rk[r] == 0 else 0.0
            rows[r, 13] = 1.0 if rk[r] == 1 else 0.0
            rows[r, 14] = 1.0 if rk[r] < not_a_pick else 0.0
            rows[r, 15] = bp
            rows[r, 16] = bp - lw
            rows[r, 17] = sl
            rows[r, 18] = sr
            rows[r, 19] = bs
            rows[r, 20] = bs - sl - sr
            bl = books.get(p, x)
            br = books.get(x, nx)
            rows[r, books_col] = _uni(books_log_uni, x)
            rows[r, books_col + 1] = bl
            rows[r, books_col + 2] = br
            rows[r, books_col + 3] = 1.0 if bl == 0.0 and br == 0.0 else 0.0
    best = [""] * n
    for r in range(n):
        if first[r] >= 0:
            best[r] = (<tuple>(<tuple>infos[r])[3])[first[r]]
    return rows_arr, best, x_arr, bounds_arr, o_row_arr, o_ids_arr


cdef inline Py_ssize_t _find_key(const int64_t[::1] keys, int64_t key) noexcept nogil:
    # numpy's searchsorted (side "left"), clipped to the last position: the reference's `pos`
    cdef Py_ssize_t lo = 0, hi = keys.shape[0], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if keys[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    if lo > keys.shape[0] - 1:
        lo = keys.shape[0] - 1
    return lo


def phrase_rows(list scans, list tables, int64_t start_id, int64_t v, PackedTable big):
    """`WordChoiceModel.phrase_rows_numpy` (mw_pick, mw_any, mw_orig_gain of every content
    word of the blocks, rows concatenated) in one pass. ``tables`` holds, per phrase length m
    in the reference's order, (m, sorted keys, ranks, original ids flattened, where each
    key's originals start (one more entry than keys)). The same windows, keys, look-ups and
    double operations as the reference (fit = the largest c(prev, o) + c(o, next); gain =
    fit - c(prev, first) - c(last, next)); a word keeps the largest (pick, any, gain) of the
    runs over it (tuple order), so the rows are bit-identical."""
    cdef Py_ssize_t n_rows = 0, n_flat = 0, k, i, j, s, e, t, q, m, lo, hi, r, base
    cdef list ids, content
    for sc in scans:
        n_rows += len((<tuple>sc)[1])
        n_flat += len((<tuple>sc)[0]) + 2
    out_arr = np.zeros((n_rows, 3), dtype=np.float64)
    if not n_rows or not tables:
        return out_arr
    cdef double[:, ::1] out = out_arr
    flat_arr = np.empty(n_flat, dtype=np.int64)
    real_arr = np.empty(n_flat, dtype=np.uint8)
    # per flat position: the best (pick, any, gain) of the runs over it; have = 0: none yet
    best_arr = np.zeros((n_flat, 3), dtype=np.float64)
    have_arr = np.zeros(n_flat, dtype=np.uint8)
    cdef int64_t[::1] flat = flat_arr
    cdef unsigned char[::1] real = real_arr, have = have_arr
    cdef double[:, ::1] bst = best_arr
    base = 0
    for sc in scans:
        ids = <list>(<tuple>sc)[0]
        flat[base] = start_id
        real[base] = 0  # <s> is no word of a phrase
        for i in range(len(ids)):
            flat[base + 1 + i] = <int64_t>ids[i]
            real[base + 1 + i] = flat[base + 1 + i] >= 0
        flat[base + 1 + len(ids)] = -1
        real[base + 1 + len(ids)] = 0
        base += len(ids) + 2
    cdef const int64_t[::1] keys, ranks, origs, o_start
    cdef int64_t key, p, nx
    cdef double c0, c1, fit, f, pick, gain
    cdef bint ok
    for table in tables:
        m = <Py_ssize_t>(<tuple>table)[0]
        keys = (<tuple>table)[1]
        ranks = (<tuple>table)[2]
        origs = (<tuple>table)[3]
        o_start = (<tuple>table)[4]
        if keys.shape[0] == 0 or n_flat < m:
            continue
        with nogil:
            for s in range(n_flat - m + 1):
                ok = True
                key = 0
                for j in range(m):
                    if not real[s + j]:
                        ok = False
                        break
                    key = key * v + flat[s + j]
                if not ok:
                    continue
                q = _find_key(keys, key)
                if keys[q] != key:
                    continue
                # s >= 1 (flat[0] is <s>) and s + m < n_flat (every block ends with -1)
                e = s + m - 1
                p, nx = flat[s - 1], flat[s + m]
                c0 = big.get(p, flat[s])
                c1 = big.get(flat[e], nx)
                lo, hi = o_start[q], o_start[q + 1]
                fit = big.get(p, origs[lo]) + big.get(origs[lo], nx)
                for j in range(lo + 1, hi):
                    f = big.get(p, origs[j]) + big.get(origs[j], nx)
                    if f > fit:
                        fit = f
                pick = 1.0 if ranks[q] <= 1 else 0.0
                gain = fit - c0 - c1
                for t in range(s, s + m):
                    if (not have[t] or pick > bst[t, 0]
                            or (pick == bst[t, 0] and (1.0 > bst[t, 1]
                                or (1.0 == bst[t, 1] and gain > bst[t, 2])))):
                        have[t] = 1
                        bst[t, 0] = pick
                        bst[t, 1] = 1.0
                        bst[t, 2] = gain
    r = 0
    base = 0
    for sc in scans:
        content = <list>(<tuple>sc)[1]
        for item in content:
            t = base + 1 + <Py_ssize_t>(<tuple>item)[0]
            if have[t]:
                out[r, 0] = bst[t, 0]
                out[r, 1] = bst[t, 1]
                out[r, 2] = bst[t, 2]
            r += 1
        base += len(<list>(<tuple>sc)[0]) + 2
    return out_arr


cdef float _pairwise_sum(const float *a, Py_ssize_t n, Py_ssize_t stride) noexcept nogil:
    # numpy's FLOAT_pairwise_sum (numpy/_core/src/umath/loops_utils.h.src), the sum its
    # add.reduce uses: below 8 values one after another, up to 128 in 8 running sums added
    # as a tree, above that the two halves (cut at a multiple of 8) apart.
    cdef Py_ssize_t i, n2
    cdef float res, r0, r1, r2, r3, r4, r5, r6, r7
    if n < 8:
        res = 0.0
        for i in range(n):
            res = res + a[i * stride]
        return res
    elif n <= 128:
        r0 = a[0 * stride]
        r1 = a[1 * stride]
        r2 = a[2 * stride]
        r3 = a[3 * stride]
        r4 = a[4 * stride]
        r5 = a[5 * stride]
        r6 = a[6 * stride]
        r7 = a[7 * stride]
        i = 8
        while i < n - (n % 8):
            r0 = r0 + a[(i + 0) * stride]
            r1 = r1 + a[(i + 1) * stride]
            r2 = r2 + a[(i + 2) * stride]
            r3 = r3 + a[(i + 3) * stride]
            r4 = r4 + a[(i + 4) * stride]
            r5 = r5 + a[(i + 5) * stride]
            r6 = r6 + a[(i + 6) * stride]
            r7 = r7 + a[(i + 7) * stride]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res = res + a[i * stride]
            i += 1
        return res
    else:
        n2 = n // 2
        n2 -= n2 % 8
        return _pairwise_sum(a, n2, stride) + _pairwise_sum(a + n2 * stride, n - n2, stride)


cdef void _normalize(float *x, float *sq, Py_ssize_t d, float eps) noexcept nogil:
    # x /= np.linalg.norm(x) + eps, as numpy does it for one float32 row: the squares, their
    # add.reduce (0 + the pairwise sum), sqrt, + eps in float32, then the division.
    cdef Py_ssize_t j
    cdef float den
    for j in range(d):
        sq[j] = x[j] * x[j]
    den = sqrtf(<float>0.0 + _pairwise_sum(sq, d, 1))
    den = den + eps
    for j in range(d):
        x[j] = x[j] / den


def embedding_context(const float[:, ::1] emb, const int64_t[::1] cids,
                      const int64_t[::1] bounds, int w):
    """The word vectors of `embedding_rows` and their two contexts, normalised: (vec, ctx,
    loc), float32 (n, d). vec: each word's vector (zero without one); ctx: its block's sum
    (numpy's add.reduceat: the first row plus the pairwise sum of the others, a column at a
    time) minus its own vector; loc: the sum of its EMB_LOCAL neighbours either side in the
    block, added in the reference's order (-w..-1, 1..w, from zero, zero past the block's
    ends). Each divided by its norm + 1e-9 as numpy computes it. Same float32 operations in
    the same order as the numpy code, so the same bits."""
    cdef Py_ssize_t n = cids.shape[0], nv = emb.shape[0], d = emb.shape[1]
    cdef Py_ssize_t nb = bounds.shape[0] - 1, k, i, j, s, e, q, off
    vec_arr = np.zeros((n, d), dtype=np.float32)
    ctx_arr = np.empty((n, d), dtype=np.float32)
    loc_arr = np.empty((n, d), dtype=np.float32)
    sums_arr = np.empty(d, dtype=np.float32)
    sq_arr = np.empty(d, dtype=np.float32)
    cdef float[:, ::1] vec = vec_arr, ctx = ctx_arr, loc = loc_arr
    cdef float[::1] sums = sums_arr, sq = sq_arr
    cdef float eps = <float>1e-9
    with nogil:
        for i in range(n):
            if 0 <= cids[i] < nv:
                for j in range(d):
                    vec[i, j] = emb[cids[i], j]
        for k in range(nb):
            s, e = bounds[k], bounds[k + 1]
            if e <= s:
                continue
            for j in range(d):
                if e - s > 1:
                    sums[j] = vec[s, j] + _pairwise_sum(&vec[s + 1, j], e - s - 1, d)
                else:
                    sums[j] = vec[s, j]
            for i in range(s, e):
                for j in range(d):
                    ctx[i, j] = sums[j] - vec[i, j]
                _normalize(&ctx[i, 0], &sq[0], d, eps)
                # The reference adds a zero row for a neighbour past the block's ends: a no-op
                # here (the sum starts at +0.0 and so is never -0.0, and x + 0.0 == x then).
                for j in range(d):
                    loc[i, j] = 0.0
                for off in range(-w, w + 1):
                    q = i + off
                    if off == 0 or q < s or q >= e:
                        continue
                    for j in range(d):
                        loc[i, j] = loc[i, j] + vec[q, j]
                _normalize(&loc[i, 0], &sq[0], d, eps)
    return vec_arr, ctx_arr, loc_arr


def block_rows(double[:, ::1] rows, Py_ssize_t col, list scans, dict lex, double default,
               const int64_t[::1] cids, const int64_t[::1] bounds, const int64_t[::1] row_of_orig,
               const int64_t[::1] orig_ids):
    """`detector.rules._wordchoice.block_rows` written into ``rows[:, col:col + 3]``: the
    same values (a table read, 0/1 and small counts), found by comparing the ids within each
    block instead of numpy's unique / isin (which cost ~0.1 ms a page in fixed overhead)."""
    cdef Py_ssize_t b, i, j, k, lo, hi, row, n_blocks = bounds.shape[0] - 1
    cdef Py_ssize_t n_orig = orig_ids.shape[0]
    cdef int64_t c, o
    cdef double reps
    i = 0
    for sc in scans:
        for item in <list>((<tuple>sc)[1]):
            v = lex.get((<tuple>item)[1])
            rows[i, col] = default if v is None else <double>v
            i += 1
    with nogil:
        k = 0
        for b in range(n_blocks):
            lo, hi = bounds[b], bounds[b + 1]
            for i in range(lo, hi):
                c = cids[i]
                reps = 0.0
                if c >= 0:
                    for j in range(lo, hi):
                        if j != i and cids[j] == c:
                            reps += 1.0
                rows[i, col + 1] = 0.0
                rows[i, col + 2] = reps
            # originals of this block's rows (row_of_orig ascends)
            while k < n_orig and row_of_orig[k] < hi:
                row, o = row_of_orig[k], orig_ids[k]
                k += 1
                if o < 0 or rows[row, col + 1] != 0.0:
                    continue
                for j in range(lo, hi):
                    if cids[j] == o:
                        rows[row, col + 1] = 1.0
                        break
