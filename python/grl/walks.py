"""Random walks and personalized PageRank (grl/walks.h) for the grl shim.

grl re-exports ppr, walks and PprIndex from this module.
"""
import ctypes
import numbers

from grl import _args, _declare, _check, _graph, MSG_LEN, _graph_p

__all__ = ["walks", "ppr", "PprIndex"]


class _WalkOptions(ctypes.Structure):
    # mirrors grl_walk_options in include/grl/walks.h
    _fields_ = [
        ("length", ctypes.c_int64),
        ("walks_per_node", ctypes.c_int64),
        ("weighted", ctypes.c_bool),
        ("p", ctypes.c_double),
        ("q", ctypes.c_double),
        ("restart", ctypes.c_double),
        ("srrw_alpha", ctypes.c_double),
        ("seed", ctypes.c_uint64),
    ]


class _PprOptions(ctypes.Structure):
    # mirrors grl_ppr_options in include/grl/walks.h
    _fields_ = [
        ("method", ctypes.c_int),
        ("alpha", ctypes.c_double),
        ("dangling", ctypes.c_int),
        ("tol", ctypes.c_double),
        ("max_iter", ctypes.c_int),
        ("r_max", ctypes.c_double),
        ("mc_walks", ctypes.c_int64),
        ("index", ctypes.c_void_p),
        ("rounds", ctypes.c_int),
        ("drop", ctypes.c_double),
        ("residual", ctypes.c_double),
        ("epsilon", ctypes.c_double),
        ("delta", ctypes.c_double),
        ("failure", ctypes.c_double),
        ("seed", ctypes.c_uint64),
        ("progress", ctypes.c_void_p),  # a C callback; None here
        ("progress_ctx", ctypes.c_void_p),
    ]


class _PprResult(ctypes.Structure):
    _fields_ = [
        ("nsources", ctypes.c_int64),
        ("top", ctypes.c_int64),
        ("source", ctypes.POINTER(ctypes.c_int64)),
        ("count", ctypes.POINTER(ctypes.c_int64)),
        ("node", ctypes.POINTER(ctypes.c_int64)),
        ("score", ctypes.POINTER(ctypes.c_double)),
    ]


_i64p = ctypes.POINTER(ctypes.c_int64)
_walk_options_init = _declare("grl_walk_options_init", None, ctypes.POINTER(_WalkOptions))
_random_walks = _declare("grl_walks_generate", ctypes.c_int, ctypes.POINTER(_i64p), _i64p,
                         _graph_p, _i64p, ctypes.c_int64, ctypes.POINTER(_WalkOptions),
                         ctypes.c_char_p)
_free = _declare("grl_free", None, ctypes.c_void_p)
_ppr_options_init = _declare("grl_ppr_options_init", None, ctypes.POINTER(_PprOptions))
_ppr_top = _declare("grl_ppr_top", ctypes.c_int, ctypes.POINTER(ctypes.POINTER(_PprResult)),
                    _graph_p, _i64p, ctypes.c_int64, ctypes.c_int64,
                    ctypes.POINTER(_PprOptions), ctypes.c_char_p)
_ppr_result_free = _declare("grl_ppr_result_free", None,
                            ctypes.POINTER(ctypes.POINTER(_PprResult)))
class _PprIndexOptions(ctypes.Structure):
    _fields_ = [("walks", ctypes.c_int64), ("alpha", ctypes.c_double),
                ("seed", ctypes.c_uint64), ("progress", ctypes.c_void_p),
                ("progress_ctx", ctypes.c_void_p)]


_index_build = _declare("grl_ppr_index_build", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                        _graph_p, ctypes.POINTER(_PprIndexOptions), ctypes.c_char_p)
_index_save = _declare("grl_ppr_index_save", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
                       ctypes.c_char_p)
_index_load = _declare("grl_ppr_index_load", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                       ctypes.c_char_p, ctypes.c_char_p)
_index_free = _declare("grl_ppr_index_free", None, ctypes.POINTER(ctypes.c_void_p))

_METHODS = {"exact": 0, "push": 1, "mc": 2, "powerwalk": 3, "fora": 4}
_DANGLING = {"source": 0, "uniform": 1}


def _indices(g, nodes, name):
    """Node indices of a list of ids (the file's ids, str or int)."""
    return [g._index(v, f"{name}[{i}]") for i, v in enumerate(_args.sequence(name, nodes))]


def walks(g, length=80, walks_per_node=10, p=1.0, q=1.0, restart=0.0, srrw_alpha=0.0,
          weighted=True, seed=42, starts=None):
    """Random walks on graph g: a list of walks, each a list of node ids (the
    file's ids, as strings), walks_per_node from every node (or from each id
    in `starts`). node2vec with p/q, restarts, or the self-repellent walk
    with srrw_alpha > 0 (undirected graphs). A walk that reaches a node with
    no out-arcs ends there (shorter list) unless restart > 0. Walk w uses
    random stream (seed, w): the same result for any thread count."""
    handle = _graph(g)
    opt = _WalkOptions()
    _walk_options_init(ctypes.byref(opt))
    opt.length = length = _args.integer("length", length, 1)
    opt.walks_per_node = _args.integer("walks_per_node", walks_per_node, 1)
    opt.p, opt.q = _args.real("p", p), _args.real("q", q)
    opt.restart = _args.real("restart", restart)
    opt.srrw_alpha = _args.real("srrw_alpha", srrw_alpha)
    opt.weighted, opt.seed = _args.flag("weighted", weighted), _args.seed(seed)
    st, nst = None, g.num_nodes
    if starts is not None:
        idx = _indices(g, starts, "starts")
        st = (ctypes.c_int64 * max(len(idx), 1))(*idx)
        nst = len(idx)
    _args.size("the walks (starts x walks_per_node x length)", nst, opt.walks_per_node,
               length, itemsize=8)
    out = _i64p()
    count = ctypes.c_int64()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_random_walks(ctypes.byref(out), ctypes.byref(count), handle, st, nst,
                         ctypes.byref(opt), msg), msg)
    try:
        flat = out[:count.value * length]
    finally:
        _free(out)
    ids = [g.node_id(i) for i in range(g.num_nodes)]
    result = []
    for w in range(count.value):
        row = flat[w * length:(w + 1) * length]
        result.append([ids[v] for v in row if v >= 0])
    return result


class PprIndex:
    """Monte Carlo fingerprints of every node of a graph (for ppr's "mc" and
    "powerwalk" methods): build(g, walks=R) or load(path); save(path). After
    close() every use raises GrlError."""

    def __init__(self, *args, **kwargs):
        raise _args.GrlTypeError("create a PprIndex with PprIndex.build(g) or "
                                 "PprIndex.load(path)")

    @classmethod
    def _adopt(cls, handle):
        ix = object.__new__(cls)
        ix._ix = ctypes.c_void_p(handle)
        return ix

    @property
    def _handle(self):
        return _args.handle(self, "_ix", "PPR index")

    @classmethod
    def build(cls, g, walks=100, alpha=0.15, seed=42):
        graph = _graph(g)
        walks = _args.integer("walks", walks, 1)
        _args.size("the walk streams (nodes x walks)", g.num_nodes, walks)
        alpha, seed = _args.real("alpha", alpha), _args.seed(seed)
        handle = ctypes.c_void_p()
        msg = ctypes.create_string_buffer(MSG_LEN)
        opt = _PprIndexOptions(walks, alpha, seed)
        _check(_index_build(ctypes.byref(handle), graph, ctypes.byref(opt), msg), msg)
        return cls._adopt(handle.value)

    @classmethod
    def load(cls, path):
        name = _args.path("path", path)
        handle = ctypes.c_void_p()
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_index_load(ctypes.byref(handle), name, msg), msg)
        return cls._adopt(handle.value)

    def save(self, path):
        name = _args.path("path", path)
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_index_save(self._handle, name, msg), msg)

    @property
    def closed(self):
        ix = getattr(self, "_ix", None)
        return ix is None or not ix.value

    def close(self):
        """Free the index now (idempotent); any later use raises GrlError."""
        ix = getattr(self, "_ix", None)
        if ix is not None and ix.value:
            _index_free(ctypes.byref(ix))

    def __del__(self):
        self.close()

    def __enter__(self):
        self._handle
        return self

    def __exit__(self, *exc):
        self.close()


def ppr(g, sources, method="exact", top=100, alpha=0.15, dangling="source", index=None,
        seed=42, r_max=0.0, mc_walks=10000, rounds=50, drop=1e-6, residual=0.25, epsilon=0.5,
        delta=0.0, failure=0.0, tol=1e-10):
    """Personalized PageRank of each source id (the file's ids) by method
    "exact", "push", "mc", "powerwalk" (needs index=PprIndex) or "fora":
    a dict {source id: [(node id, score), ...]} with the `top` highest scores
    first. A single id may be given instead of a list. PowerWalk stops a
    source once its residual mass is at most `residual` times the mass it has
    collected, or after `rounds` rounds (see grl_ppr_options in grl/walks.h)."""
    handle = _graph(g)
    if isinstance(sources, (str, numbers.Integral)):
        sources = [sources]
    sources = _args.sequence("sources", sources)
    idx = _indices(g, sources, "sources")
    opt = _PprOptions()
    _ppr_options_init(ctypes.byref(opt))
    opt.method = _args.choice("PPR method", method, _METHODS)
    top = _args.integer("top", top, 1)
    _args.size("the result (sources x top)", len(idx), top, itemsize=8)
    opt.alpha = _args.real("alpha", alpha)
    opt.dangling = _args.choice("dangling policy", dangling, _DANGLING)
    opt.seed = _args.seed(seed)
    opt.r_max, opt.drop = _args.real("r_max", r_max), _args.real("drop", drop)
    opt.mc_walks = _args.integer("mc_walks", mc_walks, 1)
    opt.rounds = _args.int32("rounds", rounds)
    opt.residual = _args.real("residual", residual)
    opt.epsilon, opt.delta = _args.real("epsilon", epsilon), _args.real("delta", delta)
    opt.failure, opt.tol = _args.real("failure", failure), _args.real("tol", tol)
    if index is not None:
        opt.index = _args.instance("index", index, PprIndex)._handle.value
    src = (ctypes.c_int64 * max(len(idx), 1))(*idx)
    res = ctypes.POINTER(_PprResult)()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_ppr_top(ctypes.byref(res), handle, src, len(idx), top, ctypes.byref(opt), msg),
           msg)
    try:
        r = res.contents
        out = {}
        for s, name in enumerate(sources):
            c = r.count[s]
            out[str(name)] = [(g.node_id(r.node[s * top + j]), r.score[s * top + j])
                              for j in range(c)]
    finally:
        _ppr_result_free(ctypes.byref(res))
    return out
