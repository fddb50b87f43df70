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
