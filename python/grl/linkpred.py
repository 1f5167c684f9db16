"""Link prediction: score candidate pairs and find each node's best new links
with the common-neighbour family (CN, Jaccard, Salton, Sørensen, HPI, HDI,
LHN, PA, Adamic–Adar, resource allocation), local path and truncated Katz.
include/grl/linkpred.h defines every index. Nodes are indices 0..n-1
(Graph.index(id) converts a file's id)."""
import ctypes

from grl import _lib, _declare, _check, _array, MSG_LEN, _graph_p

try:
    import numpy as _np
except ImportError:  # numpy is optional
    _np = None

__all__ = ["linkpred_score", "linkpred_topk", "LINKPRED_METHODS"]

LINKPRED_METHODS = ("cn", "jaccard", "salton", "sorensen", "hpi", "hdi", "lhn",
                    "pa", "aa", "ra", "lp", "katz")
_PATTERNS = {"successors": 0, "predecessors": 1, "path": 2, "reverse-path": 3}


class _LinkpredOptions(ctypes.Structure):
    # mirrors grl_linkpred_options in include/grl/linkpred.h
    _fields_ = [
        ("method", ctypes.c_int),
        ("pattern", ctypes.c_int),
        ("weighted", ctypes.c_bool),
        ("alpha", ctypes.c_double),
        ("epsilon", ctypes.c_double),
        ("beta", ctypes.c_double),
        ("katz_length", ctypes.c_int),
        ("block_entries", ctypes.c_int64),
    ]


_I64P = ctypes.POINTER(ctypes.c_int64)
_F64P = ctypes.POINTER(ctypes.c_double)
_options_init = _declare("grl_linkpred_options_init", None,
                         ctypes.POINTER(_LinkpredOptions))
_score = _declare("grl_linkpred_score", ctypes.c_int, _graph_p, _I64P, _I64P,
                  ctypes.c_int64, ctypes.POINTER(_LinkpredOptions), _F64P,
                  ctypes.c_char_p)
_topk = _declare("grl_linkpred_topk", ctypes.c_int, _graph_p, _I64P,
                 ctypes.c_int64, ctypes.c_int64, ctypes.POINTER(_LinkpredOptions),
                 _I64P, _F64P, ctypes.c_char_p)


def _options(method, weighted, alpha, pattern, epsilon, beta, katz_length):
    if method not in LINKPRED_METHODS:
        raise ValueError(f"unknown link predictor {method!r}; expected one of "
                         + ", ".join(LINKPRED_METHODS))
    if pattern not in _PATTERNS:
        raise ValueError(f"unknown pattern {pattern!r}; expected one of "
                         + ", ".join(_PATTERNS))
    opt = _LinkpredOptions()
    _options_init(ctypes.byref(opt))
    opt.method = LINKPRED_METHODS.index(method)
    opt.pattern = _PATTERNS[pattern]
    opt.weighted = bool(weighted)
    opt.alpha = alpha
    opt.epsilon = epsilon
    opt.beta = beta
    opt.katz_length = katz_length
    return opt


def _int64_array(values):
    values = [int(x) for x in values]
    return (ctypes.c_int64 * max(len(values), 1))(*values), len(values)


def linkpred_score(g, pairs, method="ra", weighted=False, alpha=1.0,
                   pattern="successors", epsilon=0.01, beta=0.01, katz_length=3):
    """Scores of the candidate pairs (an iterable of (u, v) node indices, or an
    (m, 2) array) under `method`: a float64 array of m scores (numpy if
    available, else a memoryview). pattern chooses the common-neighbour
    pattern on directed graphs; epsilon is local path's, beta and katz_length
    Katz's parameters."""
    opt = _options(method, weighted, alpha, pattern, epsilon, beta, katz_length)
    if _np is not None and isinstance(pairs, _np.ndarray):  # no Python loop
        if pairs.ndim != 2 or pairs.shape[1] != 2:
            raise ValueError("pairs must be an (m, 2) array of node indices")
        cols = [_np.ascontiguousarray(pairs[:, i], dtype=_np.int64) for i in (0, 1)]
        m = len(cols[0])
        u, v = (c.ctypes.data_as(_I64P) for c in cols)
    else:
        pairs = [tuple(p) for p in pairs]
        if any(len(p) != 2 for p in pairs):
            raise ValueError("pairs must be (u, v) node indices")
        u, m = _int64_array(p[0] for p in pairs)
        v, _ = _int64_array(p[1] for p in pairs)
    out = (ctypes.c_double * max(m, 1))()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_score(g._g, u, v, m, ctypes.byref(opt), out, msg), msg)
    return _array((ctypes.c_double * m).from_buffer(out), "d")


def linkpred_topk(g, k, method="ra", nodes=None, weighted=False, alpha=1.0,
                  pattern="successors", epsilon=0.01, beta=0.01, katz_length=3):
    """The k best new links of each node (or of `nodes`, node indices): a pair
    (candidates, scores) of (len(nodes), k) arrays, row i for source i, best
    first, ties by node index; missing candidates are -1 with score 0. Without
    numpy, lists of per-row memoryviews."""
    opt = _options(method, weighted, alpha, pattern, epsilon, beta, katz_length)
    if nodes is None:
        src, count, src_p = None, g.num_nodes, None
    else:
        src, count = _int64_array(nodes)
        src_p = src
    cand = (ctypes.c_int64 * max(count * k, 1))()
    scores = (ctypes.c_double * max(count * k, 1))()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_topk(g._g, src_p, count, k, ctypes.byref(opt), cand, scores, msg), msg)
    c = _array((ctypes.c_int64 * (count * k)).from_buffer(cand), "q")
    s = _array((ctypes.c_double * (count * k)).from_buffer(scores), "d")
    if hasattr(c, "reshape"):
        return c.reshape(count, k), s.reshape(count, k)
    return ([c[i * k:(i + 1) * k] for i in range(count)],
            [s[i * k:(i + 1) * k] for i in range(count)])
