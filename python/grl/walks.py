"""Random walks (grl/walks.h): uniform, weighted, node2vec, with restarts,
or self-repellent."""
import ctypes

from grl import _args, _results, _types
from grl._handle import Handle
from grl._lib import check, declare, msg
from grl.graph import handle_of

__all__ = ["walks", "Walker"]

_i64p = ctypes.POINTER(ctypes.c_int64)
_Opt = ctypes.POINTER(_types.grl_walk_options)
_options_init = declare("grl_walk_options_init", None, _Opt)
_generate = declare("grl_walks_generate", ctypes.c_int, ctypes.POINTER(_i64p), _i64p,
                    ctypes.c_void_p, _i64p, ctypes.c_int64, _Opt, ctypes.c_char_p)
_free = declare("grl_free", None, ctypes.c_void_p)
_walker_new = declare("grl_walker_new", ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                      ctypes.c_void_p, _Opt, ctypes.c_char_p)
_walker_run = declare("grl_walker_run", ctypes.c_int, ctypes.c_void_p, _i64p, ctypes.c_int64,
                      ctypes.c_int64, ctypes.c_int64, _i64p, ctypes.c_char_p)
_walker_free = declare("grl_walker_free", None, ctypes.POINTER(ctypes.c_void_p))


def _options(length, walks_per_node, p, q, restart, srrw_alpha, weighted, seed):
    opt = _types.grl_walk_options()
    _options_init(ctypes.byref(opt))
    opt.length = _args.integer("length", length, 1)
    opt.walks_per_node = _args.integer("walks_per_node", walks_per_node, 1)
    opt.p, opt.q = _args.real("p", p), _args.real("q", q)
    opt.restart = _args.real("restart", restart)
    opt.srrw_alpha = _args.real("srrw_alpha", srrw_alpha)
    opt.weighted, opt.seed = _args.flag("weighted", weighted), _args.seed(seed)
    return opt


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
    opt = _options(length, walks_per_node, p, q, restart, srrw_alpha, weighted, seed)
    st, nst = None, g.num_nodes
    if starts is not None:
        st, nst = _args.int64_array("starts", starts)
    _args.size("the walks (starts x walks_per_node x length)", nst, opt.walks_per_node,
               opt.length, itemsize=8)
    out, count, buf = _i64p(), ctypes.c_int64(), msg()
    check(_generate(ctypes.byref(out), ctypes.byref(count), handle, st, nst,
                    ctypes.byref(opt), buf), buf)
    try:
        return _results.matrix(ctypes.c_int64, out, count.value, opt.length)
    finally:
        _free(out)


class Walker(Handle):
    """Walks in batches, for corpora too large to hold at once (what `grl
    walk` streams): Walker(g, options as walks()), then run(first, count)
    gives walks first .. first+count-1 of the sequence walks() returns
    whole. The walker holds g's arcs: until it is closed (close(), `with`,
    or g.close()), using g raises GrlError."""

    _what = "walker"

    def __init__(self, g, length=80, walks_per_node=10, p=1.0, q=1.0, restart=0.0,
                 srrw_alpha=0.0, weighted=True, seed=42):
        handle = handle_of(g)
        opt = _options(length, walks_per_node, p, q, restart, srrw_alpha, weighted, seed)
        self._length, h, buf = opt.length, ctypes.c_void_p(), msg()
        check(_walker_new(ctypes.byref(h), handle, ctypes.byref(opt), buf), buf)
        self._h, self._graph = h, g
        g._lend(self)

    def run(self, first, count, starts=None):
        """Walks first .. first+count-1 as a (count, length) array; walk w
        starts at starts[w % len(starts)] (None: node w % n)."""
        h = self._handle
        first, count = _args.integer("first", first), _args.integer("count", count)
        st, nst = None, self._graph._num_nodes_lent()
        if starts is not None:
            st, nst = _args.int64_array("starts", starts)
        _args.size("the batch (count x length)", count, self._length, itemsize=8)
        out, buf = _args.alloc(ctypes.c_int64, count * self._length), msg()
        check(_walker_run(h, st, nst, first, count, out, buf), buf)
        return _results.matrix(ctypes.c_int64, out, count, self._length)

    def close(self):
        """Free the walker and give the graph its arcs back (idempotent)."""
        h = getattr(self, "_h", None)
        if h is not None and h.value:
            _walker_free(ctypes.byref(h))
            self._graph._lend(None)
