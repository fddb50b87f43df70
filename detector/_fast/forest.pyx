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


cdef struct Node:
    double threshold
    double value
    int32_t feature
    int32_t left
    int32_t right
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
                self.nodes[off + i].feature = feat[i]
                self.nodes[off + i].left = off + left[i]
                self.nodes[off + i].right = off + right[i]
                self.nodes[off + i].missing_left = 1 if miss[i] else 0
                self.nodes[off + i].is_leaf = 1 if leaf[i] else 0
            off += len(value)
            t += 1

    def __dealloc__(self):
        free(self.nodes)
        free(self.roots)
        free(self.classes)

    def add_raw(self, const double[:, ::1] X, double[:, ::1] out):
        """``out[c, r] += `` every class-c tree's leaf value for row r (out: classes x rows,
        holding the baseline on entry)."""
        cdef Py_ssize_t n = X.shape[0], r
        cdef int t, c
        cdef int32_t node
        cdef double v
        cdef const Node* nd
        if X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got {X.shape[1]}")
        if out.shape[0] != self.n_classes or out.shape[1] != n:
            raise ValueError("out has the wrong shape")
        with nogil:
            for t in range(self.n_trees):
                c = self.classes[t]
                for r in range(n):
                    node = self.roots[t]
                    nd = &self.nodes[node]
                    while not nd.is_leaf:
                        v = X[r, nd.feature]
                        if isnan(v):
                            node = nd.left if nd.missing_left else nd.right
                        elif v <= nd.threshold:
                            node = nd.left
                        else:
                            node = nd.right
                        nd = &self.nodes[node]
                    out[c, r] += nd.value
