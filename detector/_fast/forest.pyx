# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Raw scores of a HistGradientBoosting model: every tree, every row, one nogil loop.

The trees are flattened once (``Forest(trees, n_classes)``) into one contiguous node array.
A row goes left when its value is <= the node's threshold, and a missing value (NaN) goes
where the node's ``missing_go_to_left`` says: exactly scikit-learn's
``_predict_one_from_raw_data`` for numeric splits (categorical splits are refused). Scores are
summed tree by tree in the fitted order, as ``FastForest.raw`` does, so the float64 sums are
bit-identical.
"""

from libc.math cimport isnan
from libc.stdlib cimport malloc, free
from libc.stdint cimport int32_t, uint8_t


# Rows walked down a tree together, each row's node in its own variable (a register), and trees
# a group of rows walks before the next group (their nodes and the group's rows stay in the L1
# cache). Measured on the 671 benchmark pages (both block forests, ms/page, same process):
# the earlier loop over a lane array 0.88-0.92; 8 rows in registers, 1 tree 0.72, 16 trees
# 0.66-0.71, all trees 0.70-0.72; and with the NaN-free step (no page of the benchmark has a
# NaN feature) 0.54-0.56.
DEF LANES = 8
DEF TREE_TILE = 16

cdef struct Node:
    double threshold
    double value
    int32_t feature
    int32_t child[2]  # [left, right]; a leaf points at itself twice (stepping it stays put)
    uint8_t missing_left
    uint8_t is_leaf


cdef class Forest:
    cdef Node* nodes
    cdef int32_t* roots
    cdef int32_t* classes
    cdef readonly int n_trees
    cdef readonly int n_classes
    cdef readonly int n_features

    def __cinit__(self):
        self.nodes = NULL
        self.roots = NULL
        self.classes = NULL

    def __init__(self, trees, int n_classes, int n_features):
        """``trees``: (class index, scikit-learn predictor nodes record array), in fit order."""
        cdef Py_ssize_t total = 0, i, off = 0, t = 0
        trees = list(trees)
        for _, nodes in trees:
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            total += len(nodes)
        self.n_trees = len(trees)
        self.n_classes = n_classes
        self.n_features = n_features
        self.nodes = <Node*> malloc(max(total, 1) * sizeof(Node))
        self.roots = <int32_t*> malloc(max(self.n_trees, 1) * sizeof(int32_t))
        self.classes = <int32_t*> malloc(max(self.n_trees, 1) * sizeof(int32_t))
        if self.nodes == NULL or self.roots == NULL or self.classes == NULL:
            raise MemoryError()
        for c, nodes in trees:
            if not 0 <= c < n_classes:
                raise ValueError("class index out of range")
            self.roots[t] = off
            self.classes[t] = c
            value = nodes["value"].tolist()
            thr = nodes["num_threshold"].tolist()
            feat = nodes["feature_idx"].tolist()
            left = nodes["left"].tolist()
            right = nodes["right"].tolist()
            miss = nodes["missing_go_to_left"].tolist()
            leaf = nodes["is_leaf"].tolist()
            for i in range(len(value)):
                if not leaf[i]:
                    if not (0 <= feat[i] < n_features and 0 <= left[i] < len(value)
                            and 0 <= right[i] < len(value)):
                        raise ValueError("malformed tree")
                self.nodes[off + i].threshold = thr[i]
                self.nodes[off + i].value = value[i]
                self.nodes[off + i].missing_left = 1 if miss[i] else 0
                self.nodes[off + i].is_leaf = 1 if leaf[i] else 0
                if leaf[i]:  # feature 0 is read and ignored: both children are the leaf
                    self.nodes[off + i].feature = 0
                    self.nodes[off + i].child[0] = off + i
                    self.nodes[off + i].child[1] = off + i
                else:
                    self.nodes[off + i].feature = feat[i]
                    self.nodes[off + i].child[0] = off + left[i]
                    self.nodes[off + i].child[1] = off + right[i]
            off += len(value)
            t += 1

    def __dealloc__(self):
        free(self.nodes)
        free(self.roots)
        free(self.classes)

    def add_raw(self, const double[:, ::1] X, double[:, ::1] out):
        """``out[c, r] += `` every class-c tree's leaf value for row r (out: classes x rows,
        holding the baseline on entry).

        LANES rows go down a tree together, each step without a data-dependent branch
        (`_step`, or `_step_num` when no value of X is NaN), until all of them sit on leaves (a
        leaf steps to itself); the group then walks the next trees of its tile of TREE_TILE
        trees; the rows left over go one by one. Each row reaches the same leaf as
        `add_raw_reference`, and each row's values are added tree by tree in the fitted order
        (tiles in order, trees in order within a tile), so the sums are the same bits. A row
        left over goes down LANES trees at a time (`_trees_nan` / `_trees_num`; the quality
        model scores one row through 200 trees), their values then added in tree order."""
        cdef Py_ssize_t n = X.shape[0], r, stride
        cdef int t, t0, t1
        cdef int32_t n0
        cdef const Node* nodes = self.nodes
        cdef const int32_t* roots = self.roots
        cdef const int32_t* classes = self.classes
        cdef const double* x
        cdef bint nan
        cdef int32_t leaf[LANES]
        cdef int j
        self._check(X, out)
        if n == 0:
            return
        x = &X[0, 0]
        stride = X.shape[1]
        with nogil:
            nan = _any_nan(x, n * stride)
            t0 = 0
            while t0 < self.n_trees:
                t1 = min(t0 + TREE_TILE, self.n_trees)
                r = 0
                while r + LANES <= n:
                    for t in range(t0, t1):
                        if nan:
                            _group_nan(nodes, roots[t], x + r * stride, stride,
                                       &out[classes[t], r])
                        else:
                            _group_num(nodes, roots[t], x + r * stride, stride,
                                       &out[classes[t], r])
                    r += LANES
                while r < n:  # the rows left over: 8 trees at a time for one row
                    t = t0
                    while t + LANES <= t1:
                        if nan:
                            _trees_nan(nodes, roots + t, x + r * stride, leaf)
                        else:
                            _trees_num(nodes, roots + t, x + r * stride, leaf)
                        for j in range(LANES):  # added in tree order
                            out[classes[t + j], r] += nodes[leaf[j]].value
                        t += LANES
                    while t < t1:
                        n0 = roots[t]
                        while not nodes[n0].is_leaf:
                            n0 = _step(nodes, n0, x + r * stride)
                        out[classes[t], r] += nodes[n0].value
                        t += 1
                    r += 1
                t0 = t1

    def add_raw_reference(self, const double[:, ::1] X, double[:, ::1] out):
        """`add_raw` one row at a time with branches (scikit-learn's
        ``_predict_one_from_raw_data`` for numeric splits): the test oracle of `add_raw`."""
        cdef Py_ssize_t n = X.shape[0], r
        cdef int t, c
        cdef int32_t node
        cdef double v
        cdef const Node* nd
        self._check(X, out)
        with nogil:
            for t in range(self.n_trees):
                c = self.classes[t]
                for r in range(n):
                    node = self.roots[t]
                    nd = &self.nodes[node]
                    while not nd.is_leaf:
                        v = X[r, nd.feature]
                        if isnan(v):
                            node = nd.child[0] if nd.missing_left else nd.child[1]
                        elif v <= nd.threshold:
                            node = nd.child[0]
                        else:
                            node = nd.child[1]
                        nd = &self.nodes[node]
                    out[c, r] += nd.value

    cdef void _check(self, const double[:, ::1] X, double[:, ::1] out) except *:
        if X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got {X.shape[1]}")
        if out.shape[0] != self.n_classes or out.shape[1] != X.shape[0]:
            raise ValueError("out has the wrong shape")


cdef inline int32_t _step(const Node* nodes, int32_t node, const double* row) noexcept nogil:
    """One step down from ``node`` for ``row``: right when the value is above the threshold,
    or missing (NaN) and missing values go right; else left. The same choice as the branches
    of `add_raw_reference` (for a number, ``not v <= thr`` is ``v > thr``), as an index."""
    cdef const Node* nd = &nodes[node]
    cdef double v = row[nd.feature]
    cdef int right = (v > nd.threshold) | ((v != v) & (nd.missing_left == 0))
    return nd.child[right]


cdef inline int32_t _step_num(const Node* nodes, int32_t node, const double* row) noexcept nogil:
    """`_step` for a value that is not NaN: right exactly when it is above the threshold."""
    cdef const Node* nd = &nodes[node]
    return nd.child[row[nd.feature] > nd.threshold]


cdef bint _any_nan(const double* x, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        if x[i] != x[i]:
            return True
    return False


# _group_nan/_group_num and _trees_nan/_trees_num are copies differing only in the step, on
# purpose: one walker taking the step as a constant flag (`if nan: _step else _step_num`,
# inlined at each call) measured 0.76-0.85 ms a page for both block forests against 0.53-0.71
# for the copies, back to back on the same rows (session 12): gcc did not fold the flag.
cdef inline void _group_nan(const Node* nodes, int32_t root, const double* x, Py_ssize_t s,
                            double* o) noexcept nogil:
    """Rows x, x + s, ... x + 7s (LANES) down one tree with `_step`; each leaf's value added
    to o[0..7]."""
    cdef int32_t l0 = root, l1 = root, l2 = root, l3 = root
    cdef int32_t l4 = root, l5 = root, l6 = root, l7 = root
    while not (nodes[l0].is_leaf & nodes[l1].is_leaf & nodes[l2].is_leaf & nodes[l3].is_leaf
               & nodes[l4].is_leaf & nodes[l5].is_leaf & nodes[l6].is_leaf
               & nodes[l7].is_leaf):
        l0 = _step(nodes, l0, x)
        l1 = _step(nodes, l1, x + s)
        l2 = _step(nodes, l2, x + 2 * s)
        l3 = _step(nodes, l3, x + 3 * s)
        l4 = _step(nodes, l4, x + 4 * s)
        l5 = _step(nodes, l5, x + 5 * s)
        l6 = _step(nodes, l6, x + 6 * s)
        l7 = _step(nodes, l7, x + 7 * s)
    o[0] += nodes[l0].value
    o[1] += nodes[l1].value
    o[2] += nodes[l2].value
    o[3] += nodes[l3].value
    o[4] += nodes[l4].value
    o[5] += nodes[l5].value
    o[6] += nodes[l6].value
    o[7] += nodes[l7].value


cdef inline void _group_num(const Node* nodes, int32_t root, const double* x, Py_ssize_t s,
                            double* o) noexcept nogil:
    """`_group_nan` with `_step_num` (rows without NaN)."""
    cdef int32_t l0 = root, l1 = root, l2 = root, l3 = root
    cdef int32_t l4 = root, l5 = root, l6 = root, l7 = root
    while not (nodes[l0].is_leaf & nodes[l1].is_leaf & nodes[l2].is_leaf & nodes[l3].is_leaf
               & nodes[l4].is_leaf & nodes[l5].is_leaf & nodes[l6].is_leaf
               & nodes[l7].is_leaf):
        l0 = _step_num(nodes, l0, x)
        l1 = _step_num(nodes, l1, x + s)
        l2 = _step_num(nodes, l2, x + 2 * s)
        l3 = _step_num(nodes, l3, x + 3 * s)
        l4 = _step_num(nodes, l4, x + 4 * s)
        l5 = _step_num(nodes, l5, x + 5 * s)
        l6 = _step_num(nodes, l6, x + 6 * s)
        l7 = _step_num(nodes, l7, x + 7 * s)
    o[0] += nodes[l0].value
    o[1] += nodes[l1].value
    o[2] += nodes[l2].value
    o[3] += nodes[l3].value
    o[4] += nodes[l4].value
    o[5] += nodes[l5].value
    o[6] += nodes[l6].value
    o[7] += nodes[l7].value


cdef inline void _trees_nan(const Node* nodes, const int32_t* roots, const double* x,
                            int32_t* leaf) noexcept nogil:
    """One row x down LANES trees (roots[0..7]) with `_step`: their leaves into leaf[0..7]."""
    cdef int32_t l0 = roots[0], l1 = roots[1], l2 = roots[2], l3 = roots[3]
    cdef int32_t l4 = roots[4], l5 = roots[5], l6 = roots[6], l7 = roots[7]
    while not (nodes[l0].is_leaf & nodes[l1].is_leaf & nodes[l2].is_leaf & nodes[l3].is_leaf
               & nodes[l4].is_leaf & nodes[l5].is_leaf & nodes[l6].is_leaf
               & nodes[l7].is_leaf):
        l0 = _step(nodes, l0, x)
        l1 = _step(nodes, l1, x)
        l2 = _step(nodes, l2, x)
        l3 = _step(nodes, l3, x)
        l4 = _step(nodes, l4, x)
        l5 = _step(nodes, l5, x)
        l6 = _step(nodes, l6, x)
        l7 = _step(nodes, l7, x)
    leaf[0], leaf[1], leaf[2], leaf[3] = l0, l1, l2, l3
    leaf[4], leaf[5], leaf[6], leaf[7] = l4, l5, l6, l7


cdef inline void _trees_num(const Node* nodes, const int32_t* roots, const double* x,
                            int32_t* leaf) noexcept nogil:
    """`_trees_nan` with `_step_num` (a row without NaN)."""
    cdef int32_t l0 = roots[0], l1 = roots[1], l2 = roots[2], l3 = roots[3]
    cdef int32_t l4 = roots[4], l5 = roots[5], l6 = roots[6], l7 = roots[7]
    while not (nodes[l0].is_leaf & nodes[l1].is_leaf & nodes[l2].is_leaf & nodes[l3].is_leaf
               & nodes[l4].is_leaf & nodes[l5].is_leaf & nodes[l6].is_leaf
               & nodes[l7].is_leaf):
        l0 = _step_num(nodes, l0, x)
        l1 = _step_num(nodes, l1, x)
        l2 = _step_num(nodes, l2, x)
        l3 = _step_num(nodes, l3, x)
        l4 = _step_num(nodes, l4, x)
        l5 = _step_num(nodes, l5, x)
        l6 = _step_num(nodes, l6, x)
        l7 = _step_num(nodes, l7, x)
    leaf[0], leaf[1], leaf[2], leaf[3] = l0, l1, l2, l3
    leaf[4], leaf[5], leaf[6], leaf[7] = l4, l5, l6, l7
