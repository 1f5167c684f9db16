"""Graph neural networks (grl/gnn.h) for the grl shim: ADPA, directed-pattern
aggregation, trained and tested on every split, and the AMUD-style profile.

    import grl, grl.gnn
    g = grl.Graph.load("cora_ml/edges.txt", directed=True)
    r = grl.gnn.adpa(g, "cora_ml/features.txt", "cora_ml/labels.txt", repeats=10)
    r["test_mean"], r["test_std"], r["mass"]
"""
import ctypes

from grl import _abi, _args, _enums
from grl._lib import check as _check, declare as _declare, lib as _lib, path as _path
from grl._types import MSG_LEN
from grl.graph import Graph

__all__ = ["adpa", "profile"]


def _graph(g):
    return _args.instance("g", g, Graph)._handle


_MAX_DECAYS = 4  # GRL_ADPA_MAX_DECAYS


class grl_node_splits_options(ctypes.Structure):
    _fields_ = [("train_per_class", ctypes.c_int64), ("train_fraction", ctypes.c_double),
                ("val", ctypes.c_int64), ("val_fraction", ctypes.c_double),
                ("repeats", ctypes.c_int64), ("seed", ctypes.c_uint64)]


class grl_optimizer_options(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("lr", ctypes.c_double),
                ("weight_decay", ctypes.c_double), ("beta1", ctypes.c_double),
                ("beta2", ctypes.c_double), ("eps", ctypes.c_double),
                ("momentum", ctypes.c_double), ("cosine", ctypes.c_bool),
                ("lr_min", ctypes.c_double)]


class grl_gnn_train_options(ctypes.Structure):
    _fields_ = [("epochs", ctypes.c_int64), ("patience", ctypes.c_int64),
                ("batch_size", ctypes.c_int64), ("seed", ctypes.c_uint64),
                ("optimizer", grl_optimizer_options), ("progress", ctypes.c_void_p),
                ("progress_ctx", ctypes.c_void_p)]


class grl_adpa_options(ctypes.Structure):
    _fields_ = [("patterns", ctypes.c_int), ("hops", ctypes.c_int), ("r", ctypes.c_double),
                ("hidden", ctypes.c_int64), ("dropout", ctypes.c_double),
                ("train", grl_gnn_train_options), ("decays", ctypes.c_int),
                ("decay", ctypes.c_double * _MAX_DECAYS)]


class grl_adpa_evaluation(ctypes.Structure):
    _fields_ = [("splits", ctypes.c_int64), ("test_mean", ctypes.c_double),
                ("test_std", ctypes.c_double), ("val_mean", ctypes.c_double),
                ("test", ctypes.POINTER(ctypes.c_double)), ("branches", ctypes.c_int),
                ("mass", ctypes.c_double * 16), ("branch_names", (ctypes.c_char * 16) * 16),
                ("chosen", ctypes.c_int)]


class grl_digraph_profile_result(ctypes.Structure):
    _fields_ = [("name", (ctypes.c_char * 8) * 7), ("weight", ctypes.c_double * 7),
                ("homophily", ctypes.c_double * 7), ("adjusted", ctypes.c_double * 7),
                ("recommended", ctypes.c_int), ("smoothness", ctypes.c_double * 7)]


_vp, _msg = ctypes.c_void_p, ctypes.c_char_p


# the structs above mirror grl/gnn.h's (named as there): checked against the
# library's layouts like _types.py's
_abi.check(_lib, _path, [grl_node_splits_options, grl_optimizer_options,
                         grl_gnn_train_options, grl_adpa_options, grl_adpa_evaluation,
                         grl_digraph_profile_result], {"GRL_DIGRAPH_PATTERNS": 7,
                          "GRL_ADPA_MAX_DECAYS": _MAX_DECAYS})

_features_load = _declare("grl_node_features_load", ctypes.c_int, ctypes.POINTER(_vp), _vp,
                          _msg, ctypes.c_int, _msg)
_labels_load = _declare("grl_node_labels_load", ctypes.c_int, ctypes.POINTER(_vp), _vp,
                        _msg, _msg)
_splits_load = _declare("grl_node_splits_load", ctypes.c_int, ctypes.POINTER(_vp), _vp,
                        _msg, _msg)
_splits_generate = _declare("grl_node_splits_generate", ctypes.c_int, ctypes.POINTER(_vp),
                            _vp, _vp, ctypes.POINTER(grl_node_splits_options), _msg)
_splits_options_init = _declare("grl_node_splits_options_init", None,
                                ctypes.POINTER(grl_node_splits_options))
_adpa_options_init = _declare("grl_adpa_options_init", None, ctypes.POINTER(grl_adpa_options))
_evaluate = _declare("grl_adpa_evaluate", ctypes.c_int, ctypes.POINTER(grl_adpa_evaluation), _vp, _vp,
                     _vp, _vp, _vp, _vp, ctypes.POINTER(grl_adpa_options), _msg)
_evaluation_release = _declare("grl_adpa_evaluation_release", None,
                               ctypes.POINTER(grl_adpa_evaluation))
_profile = _declare("grl_digraph_profile", ctypes.c_int, ctypes.POINTER(grl_digraph_profile_result), _vp, _vp,
                    _vp, ctypes.c_int64, _vp, _msg)
_dense_free = _declare("grl_dense_free", None, ctypes.POINTER(_vp))
_labels_free = _declare("grl_node_labels_free", None, ctypes.POINTER(_vp))
_splits_free = _declare("grl_node_splits_free", None, ctypes.POINTER(_vp))


class _NodeData:
    """Features, labels and splits of a graph, freed on exit."""

    def __init__(self, handle, features, labels, splits, gen):
        self.X, self.L, self.S = _vp(), _vp(), _vp()
        msg = ctypes.create_string_buffer(MSG_LEN)
        try:
            if features is not None:
                _check(_features_load(ctypes.byref(self.X), handle,
                                      _args.path("features", features), 0, msg), msg)
            _check(_labels_load(ctypes.byref(self.L), handle,
                                _args.path("labels", labels), msg), msg)
            if splits is not None:
                _check(_splits_load(ctypes.byref(self.S), handle,
                                    _args.path("splits", splits), msg), msg)
            elif gen is not None:
                _check(_splits_generate(ctypes.byref(self.S), handle, self.L,
                                        ctypes.byref(gen), msg), msg)
        except BaseException:
            self.close()
            raise

    def close(self):
        _dense_free(ctypes.byref(self.X))
        _labels_free(ctypes.byref(self.L))
        _splits_free(ctypes.byref(self.S))


def adpa(g, features, labels, splits=None, train_per_class=20, val=500, repeats=10,
         patterns="all", hops=2, r=0.42749, hidden=32, dropout=0.64, lr=0.06,
         weight_decay=(0.0127, 0.0005), optimizer="adam", epochs=500, patience=50, batch_size=0,
         seed=0):
    """Train and test ADPA on graph g (load it directed) with node features
    (a file: `node feature value` lines, dense rows or .npy) and labels (a
    file of `node class` lines), on the splits of a file or on `repeats`
    splits drawn with `train_per_class` training and `val` validation nodes.
    weight_decay: one value, or up to 4 tried on every split (the model with
    the best validation accuracy kept).
    Returns a dict: test_mean, test_std, val_mean, test (one accuracy per
    split), mass (pattern -> share of the representation), patterns (the set
    used; "auto" resolved)."""
    handle = _graph(g)
    opt = grl_adpa_options()
    _adpa_options_init(ctypes.byref(opt))
    opt.patterns = _enums.value("adpa_patterns", patterns, "patterns")
    opt.hops = _args.integer("hops", hops, 1, 8)
    opt.r = _args.real("r", r)
    opt.hidden = _args.integer("hidden", hidden, 1, 1 << 20)
    opt.dropout = _args.real("dropout", dropout)
    opt.train.optimizer.lr = _args.real("lr", lr)
    decays = list(weight_decay) if isinstance(weight_decay, (list, tuple)) else [weight_decay]
    if not 1 <= len(decays) <= _MAX_DECAYS:
        raise ValueError(f"weight_decay: 1 to {_MAX_DECAYS} values, got {len(decays)}")
    for d, value in enumerate(decays):
        opt.decay[d] = _args.real("weight_decay", value)
    opt.train.optimizer.weight_decay = opt.decay[0]
    opt.decays = len(decays) if len(decays) > 1 else 0
    opt.train.optimizer.kind = _enums.value("optimizer", optimizer, "optimizer")
    opt.train.epochs = _args.integer("epochs", epochs, 1, 100000000)
    opt.train.patience = _args.integer("patience", patience, 0)
    opt.train.batch_size = _args.integer("batch_size", batch_size, 0)
    opt.train.seed = _args.seed(seed)
    gen = None
    if splits is None:
        gen = grl_node_splits_options()
        _splits_options_init(ctypes.byref(gen))
        gen.train_per_class = _args.integer("train_per_class", train_per_class, 1)
        gen.val = _args.integer("val", val, 1)
        gen.repeats = _args.integer("repeats", repeats, 1, 1 << 20)
        gen.seed = opt.train.seed
    data = _NodeData(handle, features, labels, splits, gen)
    ev = grl_adpa_evaluation()
    msg = ctypes.create_string_buffer(MSG_LEN)
    try:
        _check(_evaluate(ctypes.byref(ev), None, None, handle, data.X, data.L, data.S,
                         ctypes.byref(opt), msg), msg)
        names = [bytes(ev.branch_names[b].value).decode() for b in range(ev.branches)]
        return {"test_mean": ev.test_mean, "test_std": ev.test_std, "val_mean": ev.val_mean,
                "test": [ev.test[s] for s in range(ev.splits)],
                "mass": {names[b]: ev.mass[b] for b in range(ev.branches)},
                "patterns": _enums.name("adpa_patterns", ev.chosen)}
    finally:
        _evaluation_release(ctypes.byref(ev))
        data.close()


def profile(g, labels, splits=None, features=None):
    """The AMUD-style profile of graph g: a dict pattern -> (pair weight,
    homophily, adjusted homophily, feature smoothness) over labelled pairs
    (with splits: the training nodes of split 0; smoothness NaN without
    features), and "recommended": the pattern set."""
    handle = _graph(g)
    data = _NodeData(handle, features, labels, splits, None)
    res = grl_digraph_profile_result()
    msg = ctypes.create_string_buffer(MSG_LEN)
    try:
        _check(_profile(ctypes.byref(res), handle, data.L, data.S, 0, data.X, msg), msg)
    finally:
        data.close()
    out = {bytes(res.name[p].value).decode(): (res.weight[p], res.homophily[p], res.adjusted[p],
                                               res.smoothness[p])
           for p in range(7)}
    out["recommended"] = _enums.name("adpa_patterns", res.recommended)
    return out
