"""Personalized PageRank (grl/walks.h): exact, forward push, Monte Carlo,
PowerWalk (with a PprIndex of fingerprints) and FORA."""
import ctypes
import numbers

from grl import _args, _enums, _results, _types
from grl._handle import Handle
from grl._lib import check, declare, msg
from grl.graph import handle_of

__all__ = ["ppr", "PprIndex", "PPR_METHODS"]

PPR_METHODS = _enums.names("ppr_method")  # the library's names

_vp, _cp, _int, _i64 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int64
_i64p = ctypes.POINTER(ctypes.c_int64)
_Opt = ctypes.POINTER(_types.grl_ppr_options)
_ResultP = ctypes.POINTER(_types.grl_ppr_result)
_IndexOpt = ctypes.POINTER(_types.grl_ppr_index_options)
_options_init = declare("grl_ppr_options_init", None, _Opt)
_top = declare("grl_ppr_top", _int, ctypes.POINTER(_ResultP), _vp, _i64p, _i64, _i64, _Opt,
               _cp)
_result_free = declare("grl_ppr_result_free", None, ctypes.POINTER(_ResultP))
_index_options_init = declare("grl_ppr_index_options_init", None, _IndexOpt)
_index_build = declare("grl_ppr_index_build", _int, ctypes.POINTER(_vp), _vp, _IndexOpt, _cp)
_index_save = declare("grl_ppr_index_save", _int, _vp, _cp, _cp)
_index_load = declare("grl_ppr_index_load", _int, ctypes.POINTER(_vp), _cp, _cp)
_index_free = declare("grl_ppr_index_free", None, ctypes.POINTER(_vp))
_index_info = declare("grl_ppr_index_info", _int, _vp, _i64p, _i64p,
                      ctypes.POINTER(ctypes.c_double), _i64p, _cp)


class PprIndex(Handle):
    """Monte Carlo fingerprints of every node of a graph (for ppr's "mc" and
    "powerwalk" methods): build(g, walks=R) or load(path); save(path)."""

    _what, _makers = "PPR index", "build, load"
    _free = _index_free

    @classmethod
    def build(cls, g, walks=100, alpha=0.15, seed=42):
        """R = walks walks from every node, each ending with probability
        alpha at every step; queries must use the same alpha."""
        graph = handle_of(g)
        opt = _types.grl_ppr_index_options()
        _index_options_init(ctypes.byref(opt))
        opt.walks = _args.integer("walks", walks, 1)
        _args.size("the walk streams (nodes x walks)", g.num_nodes, opt.walks)
        opt.alpha, opt.seed = _args.real("alpha", alpha), _args.seed(seed)
        handle, buf = _vp(), msg()
        check(_index_build(ctypes.byref(handle), graph, ctypes.byref(opt), buf), buf)
        return cls._adopt(handle.value)

    @classmethod
    def load(cls, path):
        name, handle, buf = _args.path("path", path), _vp(), msg()
        check(_index_load(ctypes.byref(handle), name, buf), buf)
        return cls._adopt(handle.value)

    def save(self, path):
        name, buf = _args.path("path", path), msg()
        check(_index_save(self._handle, name, buf), buf)

    def info(self):
        """A dict of the index's nodes, walks (per node), alpha and entries."""
        n, walks, entries = _i64(), _i64(), _i64()
        alpha, buf = ctypes.c_double(), msg()
        check(_index_info(self._handle, ctypes.byref(n), ctypes.byref(walks),
                          ctypes.byref(alpha), ctypes.byref(entries), buf), buf)
        return {"nodes": n.value, "walks": walks.value, "alpha": alpha.value,
                "entries": entries.value}


def ppr(g, sources, method="exact", top=100, alpha=0.15, dangling="source", index=None,
        seed=42, r_max=0.0, mc_walks=10000, rounds=50, drop=1e-6, residual=0.25, epsilon=0.5,
        delta=0.0, failure=0.0, tol=1e-10):
    """Personalized PageRank of each source node index by method "exact",
    "push", "mc", "powerwalk" (needs index=PprIndex), "fora", "powerpush" or
    "speedppr" (grl.PPR_METHODS; tol bounds powerpush's L1 error; epsilon,
    delta, failure give fora's and speedppr's guarantee): for a list
    of sources, a list with one (nodes, scores) pair per source, the `top`
    highest-scoring node indices (int64 array) and their scores (float64),
    highest first, ties by smaller index; for a single index, that pair.
    top None: every node with a non-zero score. PowerWalk stops a source
    once its residual mass is at most `residual` times the mass it has
    collected, or after `rounds` rounds (see grl_ppr_options in grl/walks.h)."""
    handle = handle_of(g)
    single = isinstance(sources, numbers.Integral) and not isinstance(sources, bool)
    src, k = _args.int64_array("sources", [sources] if single else sources)
    opt = _types.grl_ppr_options()
    _options_init(ctypes.byref(opt))
    opt.method = _enums.value("ppr_method", method, "method")
    top = max(g.num_nodes, 1) if top is None else _args.integer("top", top, 1)
    _args.size("the result (sources x top)", k, top, itemsize=8)
    opt.alpha = _args.real("alpha", alpha)
    opt.dangling = _enums.value("dangling_policy", dangling, "dangling")
    opt.seed = _args.seed(seed)
    opt.r_max, opt.drop = _args.real("r_max", r_max), _args.real("drop", drop)
    opt.mc_walks = _args.integer("mc_walks", mc_walks, 1)
    opt.rounds = _args.int32("rounds", rounds)
    opt.residual = _args.real("residual", residual)
    opt.epsilon, opt.delta = _args.real("epsilon", epsilon), _args.real("delta", delta)
    opt.failure, opt.tol = _args.real("failure", failure), _args.real("tol", tol)
    if index is not None:
        opt.index = _args.instance("index", index, PprIndex)._handle.value
    res, buf = _ResultP(), msg()
    check(_top(ctypes.byref(res), handle, src, k, top, ctypes.byref(opt), buf), buf)
    try:
        r = res.contents
        out = []
        for s in range(k):
            at = 8 * s * top  # bytes to source s's block of both arrays
            nodes = ctypes.cast(r.node, _vp).value + at
            scores = ctypes.cast(r.score, _vp).value + at
            out.append((_results.vector(ctypes.c_int64, nodes, r.count[s]),
                        _results.vector(ctypes.c_double, scores, r.count[s])))
    finally:
        _result_free(ctypes.byref(res))
    return out[0] if single else out
