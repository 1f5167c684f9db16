"""Link prediction (grl/linkpred.h): score candidate pairs and find each
node's best new links with the common-neighbour family (CN, Jaccard,
Salton, Sørensen, HPI, HDI, LHN, PA, Adamic–Adar, resource allocation),
local path and truncated Katz; split edges for evaluation, draw negative
pairs, compute AUC/AP/Hits@K/MRR and topological concentration. Nodes are
indices 0..n-1; pairs are (m, 2) arrays (lists of (u, v) without numpy)."""
import ctypes

from grl import _args, _enums, _results, _types
from grl.graph import Graph, handle_of
from grl._lib import check, declare, msg

__all__ = ["linkpred_score", "linkpred_topk", "linkpred_negatives", "linkpred_evaluate",
           "linkpred_hits", "linkpred_concentration", "edge_split", "EdgeSplit", "LINKPRED_METHODS"]

LINKPRED_METHODS = _enums.names("linkpred_method")  # the library's names
_HINT = "alpha (weighted) or beta (katz) is"

_I64P = ctypes.POINTER(ctypes.c_int64)
_F64P = ctypes.POINTER(ctypes.c_double)
_vp, _cp, _int, _i64 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int64
_Opt = ctypes.POINTER(_types.grl_linkpred_options)
_options_init = declare("grl_linkpred_options_init", None, _Opt)
_score = declare("grl_linkpred_score", _int, _vp, _I64P, _I64P, _i64, _Opt, _F64P, _cp)
_topk = declare("grl_linkpred_topk", _int, _vp, _I64P, _i64, _i64, _Opt, _I64P, _F64P, _cp)
_negatives = declare("grl_linkpred_negatives", _int, _vp, _i64, ctypes.c_uint64, _I64P,
                     _I64P, _cp)
_hits = declare("grl_linkpred_hits", _int, _F64P, _i64, _F64P, _i64, _i64,
                 ctypes.POINTER(ctypes.c_double), _cp)
_evaluate = declare("grl_linkpred_evaluate", _int, _F64P, _i64, _F64P, _i64,
                    ctypes.POINTER(_types.grl_linkpred_metrics), _cp)
_TcOpt = ctypes.POINTER(_types.grl_concentration_options)
_tc_options_init = declare("grl_concentration_options_init", None, _TcOpt)
_concentration = declare("grl_linkpred_concentration", _int, _vp, _TcOpt, _F64P, _cp)
_SplitP = ctypes.POINTER(_types.grl_edge_split)
_SplitOpt = ctypes.POINTER(_types.grl_edge_split_options)
_split_options_init = declare("grl_edge_split_options_init", None, _SplitOpt)
_split_new = declare("grl_edge_split_new", _int, ctypes.POINTER(_SplitP), _vp, _SplitOpt, _cp)
_split_free = declare("grl_edge_split_free", None, ctypes.POINTER(_SplitP))


def _options(method, weighted, alpha, pattern, epsilon, beta, katz_length, block_entries):
    opt = _types.grl_linkpred_options()
    _options_init(ctypes.byref(opt))
    if block_entries is not None:
        opt.block_entries = _args.integer("block_entries", block_entries, 1)
    opt.method = _enums.value("linkpred_method", method, "method")
    opt.pattern = _enums.value("linkpred_pattern", pattern, "pattern")
    opt.weighted = _args.flag("weighted", weighted)
    opt.alpha = _args.real("alpha", alpha)
    opt.epsilon = _args.real("epsilon", epsilon)
    opt.beta = _args.real("beta", beta)
    opt.katz_length = _args.int32("katz_length", katz_length, 1)
    return opt


def linkpred_score(g, pairs, method="ra", weighted=False, alpha=1.0,
                   pattern="successors", epsilon=0.01, beta=0.01, katz_length=3,
                   block_entries=None):
    """Scores of the candidate pairs (an (m, 2) integer array or an iterable
    of (u, v) node indices) under `method` (one of LINKPRED_METHODS): m
    float64 scores. pattern chooses the common-neighbour pattern on directed
    graphs; epsilon is local path's, beta and katz_length Katz's parameters;
    block_entries bounds a block of multi-hop products (None: 2^24)."""
    handle = handle_of(g)
    opt = _options(method, weighted, alpha, pattern, epsilon, beta, katz_length,
                   block_entries)
    u, v, m = _args.pairs_arrays("pairs", pairs)
    out, buf = _args.alloc(ctypes.c_double, m), msg()
    check(_score(handle, u, v, m, ctypes.byref(opt), out, buf), buf)
    _args.finite("the link scores", out, _HINT)
    return _results.vector(ctypes.c_double, out, m)


def linkpred_topk(g, k, method="ra", nodes=None, weighted=False, alpha=1.0,
                  pattern="successors", epsilon=0.01, beta=0.01, katz_length=3,
                  block_entries=None):
    """The k best new links of each node (or of `nodes`): (candidates,
    scores), two (len(nodes), k) arrays, row i for source i, best first,
    ties by node index; missing candidates are -1 with score 0."""
    handle = handle_of(g)
    opt = _options(method, weighted, alpha, pattern, epsilon, beta, katz_length,
                   block_entries)
    r = _TopkBuffers(g, k, nodes)
    check(_topk(handle, r.src, r.count, r.k, ctypes.byref(opt), r.cand, r.scores, r.msg),
          r.msg)
    _args.finite("the top-k scores", r.scores, _HINT)
    return r.result()


class _TopkBuffers:
    """The arguments and outputs of a top-k call over g's nodes (or
    `nodes`): src, count, k, cand, scores, msg; result() gives the two
    (count, k) arrays."""

    def __init__(self, g, k, nodes):
        self.k = _args.integer("k", k, 1)
        if nodes is None:
            self.src, self.count = None, g.num_nodes
        else:
            self.src, self.count = _args.int64_array("nodes", nodes)
        _args.size("the top-k result (nodes x k)", self.count, self.k, itemsize=8)
        self.cand = _args.alloc(ctypes.c_int64, self.count * self.k)
        self.scores = _args.alloc(ctypes.c_double, self.count * self.k)
        self.msg = msg()

    def result(self):
        return (_results.matrix(ctypes.c_int64, self.cand, self.count, self.k),
                _results.matrix(ctypes.c_double, self.scores, self.count, self.k))


def linkpred_negatives(g, count, seed=1):
    """count pairs drawn uniformly, with replacement, from the non-edges of
    g (u != v, no arc u -> v): a (count, 2) array."""
    handle = handle_of(g)
    count = _args.integer("count", count)
    _args.size("the negatives (count x 2)", count, 2, itemsize=8)
    u, v, buf = _args.alloc(ctypes.c_int64, count), _args.alloc(ctypes.c_int64, count), msg()
    check(_negatives(handle, count, _args.seed(seed), u, v, buf), buf)
    return _results.pairs(u, v, count)


def linkpred_evaluate(positive, negative):
    """AUC, average precision, Hits@20/50/100 (OGB's) and MRR of positive
    scores against negative scores: a dict."""
    pos, npos = _args.float64_array("positive", positive)
    neg, nneg = _args.float64_array("negative", negative)
    m, buf = _types.grl_linkpred_metrics(), msg()
    check(_evaluate(pos, npos, neg, nneg, ctypes.byref(m), buf), buf)
    return _results.fields(m)


def linkpred_hits(positive, negative, k):
    """Hits@k as OGB's evaluator: the share of positive scores strictly above
    the k-th highest negative score (1 with fewer than k negatives)."""
    pos, npos = _args.float64_array("positive", positive)
    neg, nneg = _args.float64_array("negative", negative)
    hits, buf = ctypes.c_double(), msg()
    check(_hits(pos, npos, neg, nneg, _args.integer("k", k, 1), ctypes.byref(hits), buf), buf)
    return hits.value


def linkpred_concentration(g, hops=1, beta=0.5):
    """Topological concentration TC^hops of every node (float64 array);
    see grl/linkpred.h for the definition."""
    handle = handle_of(g)
    opt = _types.grl_concentration_options()
    _tc_options_init(ctypes.byref(opt))
    opt.hops = _args.int32("hops", hops)
    opt.beta = _args.real("beta", beta)
    n = g.num_nodes
    tc, buf = _args.alloc(ctypes.c_double, n), msg()
    check(_concentration(handle, ctypes.byref(opt), tc, buf), buf)
    return _results.vector(ctypes.c_double, tc, n)


class EdgeSplit:
    """A train/validation/test split of a graph's edges: train (a Graph on
    the same node indices, ids 0..n-1), valid and test ((m, 2) arrays of
    held-out edges). `with` closes the training graph."""

    def __init__(self, train, valid, test):
        self.train, self.valid, self.test = train, valid, test

    def close(self):
        self.train.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def edge_split(g, test_fraction=0.1, valid_fraction=0.05, keep_connected=False, seed=1):
    """Split g's edges (undirected: each once) at random: test_fraction to
    test, valid_fraction to validation, the rest to training; with
    keep_connected a spanning forest stays in training."""
    handle = handle_of(g)
    opt = _types.grl_edge_split_options()
    _split_options_init(ctypes.byref(opt))
    opt.test_fraction = _args.real("test_fraction", test_fraction)
    opt.valid_fraction = _args.real("valid_fraction", valid_fraction)
    opt.keep_connected = _args.flag("keep_connected", keep_connected)
    opt.seed = _args.seed(seed)
    s, buf = _SplitP(), msg()
    check(_split_new(ctypes.byref(s), handle, ctypes.byref(opt), buf), buf)
    try:
        r = s.contents
        valid = _results.pairs(r.valid_u, r.valid_v, r.nvalid)
        test = _results.pairs(r.test_u, r.test_v, r.ntest)
        train = Graph._adopt(r.train)
        r.train = None  # the Graph owns it now
    finally:
        _split_free(ctypes.byref(s))
    return EdgeSplit(train, valid, test)
