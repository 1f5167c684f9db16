"""Random walks (grl/walks.h): uniform, weighted, node2vec, with restarts,
or self-repellent."""
import ctypes

from grl import _args, _results, _types
from grl._lib import check, declare, msg
from grl.graph import handle_of

__all__ = ["walks"]

_i64p = ctypes.POINTER(ctypes.c_int64)
_Opt = ctypes.POINTER(_types.grl_walk_options)
_options_init = declare("grl_walk_options_init", None, _Opt)
_generate = declare("grl_walks_generate", ctypes.c_int, ctypes.POINTER(_i64p), _i64p,
                    ctypes.c_void_p, _i64p, ctypes.c_int64, _Opt, ctypes.c_char_p)
_free = declare("grl_free", None, ctypes.c_void_p)


def walks(g, length=80, walks_per_node=10, p=1.0, q=1.0, restart=0.0, srrw_alpha=0.0,
          weighted=True, seed=42, starts=None):
    """Random walks on graph g: a (count, length) int64 array of node
    indices (a list of row lists without numpy), walks_per_node walks from
    every node, or from each index in `starts`; walk w starts at
    starts[w % len(starts)]. A walk that reaches a node with no out-arcs
    ends there and the rest of its row is -1 (unless restart > 0).
    node2vec with p/q, restarts, or the self-repellent walk with
    srrw_alpha > 0 (undirected graphs). Walk w uses random stream (seed, w):
    the same result for any thread count. g.ids[v] is node v's file id."""
    handle = handle_of(g)
    opt = _types.grl_walk_options()
    _options_init(ctypes.byref(opt))
    opt.length = length = _args.integer("length", length, 1)
    opt.walks_per_node = _args.integer("walks_per_node", walks_per_node, 1)
    opt.p, opt.q = _args.real("p", p), _args.real("q", q)
    opt.restart = _args.real("restart", restart)
    opt.srrw_alpha = _args.real("srrw_alpha", srrw_alpha)
    opt.weighted, opt.seed = _args.flag("weighted", weighted), _args.seed(seed)
    st, nst = None, g.num_nodes
    if starts is not None:
        st, nst = _args.int64_array("starts", starts)
    _args.size("the walks (starts x walks_per_node x length)", nst, opt.walks_per_node,
               length, itemsize=8)
    out, count, buf = _i64p(), ctypes.c_int64(), msg()
    check(_generate(ctypes.byref(out), ctypes.byref(count), handle, st, nst,
                    ctypes.byref(opt), buf), buf)
    try:
        return _results.matrix(ctypes.c_int64, out, count.value, length)
    finally:
        _free(out)
