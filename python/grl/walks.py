"""Random walks and personalized PageRank (grl/walks.h) for the grl shim.

grl re-exports ppr, walks and PprIndex from this module.
"""
import ctypes
import os

from grl import _lib, _declare, _check, _array, MSG_LEN, _graph_p

try:
    import numpy as _np
except ImportError:  # numpy is optional
    _np = None

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
        ("epsilon", ctypes.c_double),
        ("delta", ctypes.c_double),
        ("failure", ctypes.c_double),
        ("seed", ctypes.c_uint64),
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
_random_walks = _declare("grl_random_walks", ctypes.c_int, ctypes.POINTER(_i64p), _i64p,
                         _graph_p, _i64p, ctypes.c_int64, ctypes.POINTER(_WalkOptions),
                         ctypes.c_char_p)
_free = _declare("grl_free", None, ctypes.c_void_p)
_ppr_options_init = _declare("grl_ppr_options_init", None, ctypes.POINTER(_PprOptions))
_ppr_top = _declare("grl_ppr_top", ctypes.c_int, ctypes.POINTER(ctypes.POINTER(_PprResult)),
                    _graph_p, _i64p, ctypes.c_int64, ctypes.c_int64,
                    ctypes.POINTER(_PprOptions), ctypes.c_char_p)
_ppr_result_free = _declare("grl_ppr_result_free", None,
                            ctypes.POINTER(ctypes.POINTER(_PprResult)))
_index_build = _declare("grl_ppr_index_build", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                        _graph_p, ctypes.c_int64, ctypes.c_double, ctypes.c_uint64,
                        ctypes.c_char_p)
_index_save = _declare("grl_ppr_index_save", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
                       ctypes.c_char_p)
_index_load = _declare("grl_ppr_index_load", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                       ctypes.c_char_p, ctypes.c_char_p)
_index_free = _declare("grl_ppr_index_free", None, ctypes.POINTER(ctypes.c_void_p))

_METHODS = {"exact": 0, "push": 1, "mc": 2, "powerwalk": 3, "fora": 4}
_DANGLING = {"source": 0, "uniform": 1}


def _indices(g, nodes):
    """Node indices of a list of ids (the file's ids, str or int)."""
    return [g.index(v) for v in nodes]


def walks(g, length=80, walks_per_node=10, p=1.0, q=1.0, restart=0.0, srrw_alpha=0.0,
          weighted=True, seed=42, starts=None):
    """Random walks on graph g: a list of walks, each a list of node ids (the
    file's ids, as strings), walks_per_node from every node (or from each id
    in `starts`). node2vec with p/q, restarts, or the self-repellent walk
    with srrw_alpha > 0 (undirected graphs). A walk that reaches a node with
    no out-arcs ends there (shorter list) unless restart > 0. Walk w uses
    random stream (seed, w): the same result for any thread count."""
    opt = _WalkOptions()
    _walk_options_init(ctypes.byref(opt))
    opt.length, opt.walks_per_node = length, walks_per_node
    opt.p, opt.q, opt.restart, opt.srrw_alpha = p, q, restart, srrw_alpha
    opt.weighted, opt.seed = weighted, seed
    st, nst = None, 0
    if starts is not None:
        idx = _indices(g, starts)
        st = (ctypes.c_int64 * max(len(idx), 1))(*idx)
        nst = len(idx)
    out = _i64p()
    count = ctypes.c_int64()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_random_walks(ctypes.byref(out), ctypes.byref(count), g._g, st, nst,
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
    "powerwalk" methods): build(g, walks=R) or load(path); save(path)."""

    def __init__(self, handle):
        self._ix = ctypes.c_void_p(handle)

    @classmethod
    def build(cls, g, walks=100, alpha=0.15, seed=42):
        handle = ctypes.c_void_p()
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_index_build(ctypes.byref(handle), g._g, walks, alpha, seed, msg), msg)
        return cls(handle.value)

    @classmethod
    def load(cls, path):
        handle = ctypes.c_void_p()
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_index_load(ctypes.byref(handle), os.fsencode(path), msg), msg)
        return cls(handle.value)

    def save(self, path):
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_index_save(self._ix, os.fsencode(path), msg), msg)

    def close(self):
        if self._ix:
            _index_free(ctypes.byref(self._ix))

    def __del__(self):
        self.close()


def ppr(g, sources, method="exact", top=100, alpha=0.15, dangling="source", index=None,
        seed=42, r_max=0.0, mc_walks=10000, rounds=3, drop=1e-6, epsilon=0.5, delta=0.0,
        failure=0.0, tol=1e-10):
    """Personalized PageRank of each source id (the file's ids) by method
    "exact", "push", "mc", "powerwalk" (needs index=PprIndex) or "fora":
    a dict {source id: [(node id, score), ...]} with the `top` highest scores
    first. A single id may be given instead of a list."""
    if isinstance(sources, (str, int)):
        sources = [sources]
    sources = list(sources)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {sorted(_METHODS)}, got {method!r}")
    opt = _PprOptions()
    _ppr_options_init(ctypes.byref(opt))
    opt.method, opt.alpha, opt.dangling = _METHODS[method], alpha, _DANGLING[dangling]
    opt.seed, opt.r_max, opt.mc_walks, opt.rounds, opt.drop = seed, r_max, mc_walks, rounds, drop
    opt.epsilon, opt.delta, opt.failure, opt.tol = epsilon, delta, failure, tol
    opt.index = index._ix.value if index is not None else None
    idx = _indices(g, sources)
    src = (ctypes.c_int64 * max(len(idx), 1))(*idx)
    res = ctypes.POINTER(_PprResult)()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_ppr_top(ctypes.byref(res), g._g, src, len(idx), top, ctypes.byref(opt), msg), msg)
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
