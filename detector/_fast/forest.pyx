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


# Rows walked down a tree together (measured on the 671 benchmark pages: 4 rows 10%, 8 rows
# ~30%, 16 rows ~0% faster than one row at a time: the group waits for its deepest row).
DEF LANES = 8

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
        (`_step`), until all of them sit on leaves (a leaf steps to itself); the rows left
        over go one by one. Each row reaches the same leaf as `add_raw_reference`, and the values
        are added tree by tree in the same order, so the sums are the same bits."""
        cdef Py_ssize_t n = X.shape[0], r
        cdef int t, c
        cdef int32_t n0
        cdef int32_t lane[LANES]
        cdef int j, leaves
        cdef const Node* nodes = self.nodes
        cdef const double* x
        cdef Py_ssize_t stride
        self._check(X, out)
        if n == 0:
            return
        x = &X[0, 0]
        stride = X.shape[1]
        with nogil:
            for t in range(self.n_trees):
                c = self.classes[t]
                r = 0
                while r + LANES <= n:
                    for j in range(LANES):
                        lane[j] = self.roots[t]
                    while True:
                        leaves = 1
                        for j in range(LANES):
                            leaves &= nodes[lane[j]].is_leaf
                        if leaves:
                            break
                        for j in range(LANES):
                            lane[j] = _step(nodes, lane[j], x + (r + j) * stride)
                    for j in range(LANES):
                        out[c, r + j] += nodes[lane[j]].value
                    r += LANES
                while r < n:
                    n0 = self.roots[t]
                    while not nodes[n0].is_leaf:
                        n0 = _step(nodes, n0, x + r * stride)
                    out[c, r] += nodes[n0].value
                    r += 1

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
