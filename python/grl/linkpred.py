"""Link prediction: score candidate pairs and find each node's best new links
with the common-neighbour family (CN, Jaccard, Salton, Sørensen, HPI, HDI,
LHN, PA, Adamic–Adar, resource allocation), local path and truncated Katz.
include/grl/linkpred.h defines every index. Nodes are indices 0..n-1
(Graph.index(id) converts a file's id)."""
import ctypes

from grl import _args, _declare, _check, _array, _graph, MSG_LEN, _graph_p

__all__ = ["linkpred_score", "linkpred_topk", "LINKPRED_METHODS"]

LINKPRED_METHODS = ("cn", "jaccard", "salton", "sorensen", "hpi", "hdi", "lhn",
                    "pa", "aa", "ra", "lp", "katz")
_HINT = "alpha (weighted) or beta (katz) is"
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
        ("progress", ctypes.c_void_p),  # a C callback; None here
        ("progress_ctx", ctypes.c_void_p),
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
    opt = _LinkpredOptions()
    _options_init(ctypes.byref(opt))
    opt.method = LINKPRED_METHODS.index(_args.choice("link predictor", method,
                                                     LINKPRED_METHODS))
    opt.pattern = _args.choice("pattern", pattern, _PATTERNS)
    opt.weighted = _args.flag("weighted", weighted)
    opt.alpha = _args.real("alpha", alpha)
    opt.epsilon = _args.real("epsilon", epsilon)
    opt.beta = _args.real("beta", beta)
    opt.katz_length = _args.int32("katz_length", katz_length, 1)
    return opt


def linkpred_score(g, pairs, method="ra", weighted=False, alpha=1.0,
                   pattern="successors", epsilon=0.01, beta=0.01, katz_length=3):
    """Scores of the candidate pairs (an iterable of (u, v) node indices, or an
    (m, 2) integer array) under `method`: a float64 array of m scores (numpy if
    available, else a memoryview). pattern chooses the common-neighbour
    pattern on directed graphs; epsilon is local path's, beta and katz_length
    Katz's parameters."""
    handle = _graph(g)
    opt = _options(method, weighted, alpha, pattern, epsilon, beta, katz_length)
    u, v, m = _args.pairs_arrays("pairs", pairs)
    out = _args.alloc(ctypes.c_double, m)
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_score(handle, u, v, m, ctypes.byref(opt), out, msg), msg)
    _args.finite("the link scores", out, _HINT)
    return _array((ctypes.c_double * m).from_buffer(out), "d")


def linkpred_topk(g, k, method="ra", nodes=None, weighted=False, alpha=1.0,
                  pattern="successors", epsilon=0.01, beta=0.01, katz_length=3):
    """The k best new links of each node (or of `nodes`, node indices): a pair
    (candidates, scores) of (len(nodes), k) arrays, row i for source i, best
    first, ties by node index; missing candidates are -1 with score 0. Without
    numpy, lists of per-row memoryviews."""
    handle = _graph(g)
    opt = _options(method, weighted, alpha, pattern, epsilon, beta, katz_length)
    k = _args.integer("k", k, 1)
    if nodes is None:
        src, count = None, g.num_nodes
    else:
        src, count = _args.int64_array("nodes", nodes)
    _args.size("the top-k result (nodes x k)", count, k, itemsize=8)
    cand = _args.alloc(ctypes.c_int64, count * k)
    scores = _args.alloc(ctypes.c_double, count * k)
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_topk(handle, src, count, k, ctypes.byref(opt), cand, scores, msg), msg)
    _args.finite("the top-k scores", scores, _HINT)
    c = _array((ctypes.c_int64 * (count * k)).from_buffer(cand), "q")
    s = _array((ctypes.c_double * (count * k)).from_buffer(scores), "d")
    if hasattr(c, "reshape"):
        return c.reshape(count, k), s.reshape(count, k)
    return ([c[i * k:(i + 1) * k] for i in range(count)],
            [s[i * k:(i + 1) * k] for i in range(count)])
