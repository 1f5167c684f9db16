"""Learned link prediction (grl/ncn.h): Neural Common Neighbor (NCN) and NCN
with completion (NCNC), Wang, Yang & Zhang, ICLR 2024. Train on a random
edge split, then score pairs or rank candidates like a heuristic.

    import grl, grl.ncn
    g = grl.Graph.load("cora_planetoid/edges.txt")
    m, split, r = grl.ncn.ncn_train(g, "cora_planetoid/features.txt", seed=0)
    scores = m.score(split.train, "cora_planetoid/features.txt", split.test)
"""
import ctypes

from grl import _args, _enums, _results, _types
from grl._lib import check, declare, msg
from grl.graph import Graph, handle_of
# the declarations of the modules that own these functions (a second
# declare with other argtypes would change theirs)
from grl.gnn import _dense_free, _features_load
from grl.linkpred import (EdgeSplit, _negatives, _split_free, _split_new,
                          _split_options_init, _TopkBuffers)

__all__ = ["NcnModel", "ncn_train"]

_vp, _cp, _int, _i64 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int64
_I64P = ctypes.POINTER(ctypes.c_int64)
_F64P = ctypes.POINTER(ctypes.c_double)
_Opt = ctypes.POINTER(_types.grl_ncn_options)
_SplitP = ctypes.POINTER(_types.grl_edge_split)
_options_init = declare("grl_ncn_options_init", None, _Opt)
_train = declare("grl_ncn_train", _int, ctypes.POINTER(_vp),
                 ctypes.POINTER(_types.grl_ncn_train_result), _SplitP, _vp, _I64P, _I64P,
                 _i64, _Opt, _cp)
_score = declare("grl_ncn_score", _int, _vp, _vp, _vp, _I64P, _I64P, _i64, _F64P, _cp)
_topk = declare("grl_ncn_topk", _int, _vp, _vp, _vp, _I64P, _i64, _i64, _I64P, _F64P, _cp)
_save = declare("grl_ncn_save", _int, _vp, _cp, _cp)
_load = declare("grl_ncn_load", _int, ctypes.POINTER(_vp), _cp, _cp)
_free = declare("grl_ncn_free", None, ctypes.POINTER(_vp))
_completion = declare("grl_ncn_completion", ctypes.c_bool, _vp)


class _Features:
    """A graph's node features loaded from a file (freed on exit)."""

    def __init__(self, handle, path):
        self.X, buf = _vp(), msg()
        check(_features_load(ctypes.byref(self.X), handle, _args.path("features", path),
                             0, buf), buf)

    def __enter__(self):
        return self.X

    def __exit__(self, *exc):
        _dense_free(ctypes.byref(self.X))


class NcnModel:
    """A trained NCN or NCNC model. score and topk take the graph the model
    should see (the training graph of an evaluation) and its features file."""

    def __init__(self, handle):
        self._handle = handle

    @classmethod
    def load(cls, path):
        h, buf = _vp(), msg()
        check(_load(ctypes.byref(h), _args.path("path", path), buf), buf)
        return cls(h)

    def _live(self):
        if not self._handle:
            raise _args.GrlError("the NCN model is closed")
        return self._handle

    @property
    def completion(self):
        return bool(_completion(self._live()))

    def save(self, path):
        buf = msg()
        check(_save(self._live(), _args.text("path", path), buf), buf)

    def score(self, g, features, pairs):
        """The model's logits of the pairs ((m, 2) node indices) on g."""
        handle, model = handle_of(g), self._live()
        u, v, m = _args.pairs_arrays("pairs", pairs)
        out, buf = _args.alloc(ctypes.c_double, m), msg()
        with _Features(handle, features) as X:
            check(_score(model, handle, X, u, v, m, out, buf), buf)
        return _results.vector(ctypes.c_double, out, m)

    def topk(self, g, features, k, nodes=None):
        """(candidates, scores) of the k best new links of each node (or of
        `nodes`) among the nodes two steps away, best first."""
        handle, model = handle_of(g), self._live()
        r = _TopkBuffers(g, k, nodes)
        with _Features(handle, features) as X:
            check(_topk(model, handle, X, r.src, r.count, r.k, r.cand, r.scores, r.msg),
                  r.msg)
        return r.result()

    def close(self):
        _free(ctypes.byref(self._handle))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def ncn_train(g, features, model="ncn", test_fraction=0.2, valid_fraction=0.1, seed=0,
              encoder="gcn", hidden=256, epochs=100,
              batch_size=1152, patience=0):
    """Split g's edges at random, train NCN (model="ncn") or NCNC ("ncnc")
    on the training edges with early stopping on validation Hits@100 against
    as many non-edges of g (drawn with `seed`), and return (NcnModel,
    EdgeSplit, result dict). The split's validation negatives are the first
    len(split.valid) of grl.linkpred_negatives(g, valid + test, seed)."""
    handle = handle_of(g)
    if model not in ("ncn", "ncnc"):
        raise _args.GrlValueError(f"model: expected 'ncn' or 'ncnc', got {model!r}")
    opt = _types.grl_ncn_options()
    _options_init(ctypes.byref(opt))
    opt.completion = model == "ncnc"
    opt.encoder = _enums.value("ncn_encoder", encoder, "encoder")
    opt.hidden = _args.integer("hidden", hidden, 1)
    opt.epochs = _args.integer("epochs", epochs, 1)
    opt.batch_size = _args.integer("batch_size", batch_size, 1)
    opt.patience = _args.integer("patience", patience)
    opt.seed = _args.seed(seed)
    so = _types.grl_edge_split_options()
    _split_options_init(ctypes.byref(so))
    so.test_fraction = _args.real("test_fraction", test_fraction)
    so.valid_fraction = _args.real("valid_fraction", valid_fraction)
    so.seed = opt.seed
    s, buf = _SplitP(), msg()
    check(_split_new(ctypes.byref(s), handle, ctypes.byref(so), buf), buf)
    try:
        r = s.contents
        nneg = r.nvalid + r.ntest
        nu, nv = _args.alloc(ctypes.c_int64, nneg), _args.alloc(ctypes.c_int64, nneg)
        check(_negatives(handle, nneg, opt.seed, nu, nv, buf), buf)
        res, M = _types.grl_ncn_train_result(), _vp()
        with _Features(handle, features) as X:
            check(_train(ctypes.byref(M), ctypes.byref(res), s, X, nu, nv, r.nvalid,
                         ctypes.byref(opt), buf), buf)
        valid = _results.pairs(r.valid_u, r.valid_v, r.nvalid)
        test = _results.pairs(r.test_u, r.test_v, r.ntest)
        train = Graph._adopt(r.train)
        r.train = None  # the Graph owns it now
    finally:
        _split_free(ctypes.byref(s))
    return NcnModel(M), EdgeSplit(train, valid, test), _results.fields(res)
