# cython: boundscheck=False, wraparound=False, cdivision=True
"""The tree walk of detector.rules._wordchoice._FastTables.p_swapped in one compiled loop.

`leaf_values` gives, for every row and tree, the value of the leaf the row reaches, walking
the same flattened trees (`t_feat`, `t_thr`, `t_left`, `t_value`, `t_roots`, `t_depth`) with
the same test (``not (x <= thr)`` goes right, so NaN goes right as in the reference). The sum
over trees and the sigmoid stay in numpy (`_FastTables.p_swapped`), so the result is
bit-identical to the pure-Python path.
"""

import numpy as np

from libc.stdint cimport int64_t


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
                    if rows[i, feat[node]] <= thr[node]:
                        node = left[node]
                    else:
                        node = left[node] + 1
                o[i, t] = value[node]
    return out
