"""Graph neural networks (grl/gnn.h) for the grl shim: ADPA, directed-pattern
aggregation, trained and tested on every split, and the AMUD-style profile;
the convergent fixed-point GNNs APPNP, IGNN and CGS (one solver, implicit
gradients).

    import grl, grl.gnn
    g = grl.Graph.load("cora_ml/edges.txt", directed=True)
    r = grl.gnn.adpa(g, "cora_ml/features.txt", "cora_ml/labels.txt", repeats=10)
    r["test_mean"], r["test_std"], r["mass"]
    c = grl.Graph.load("cora_planetoid/edges.txt")
    r = grl.gnn.appnp(c, "cora_planetoid/features.txt", "cora_planetoid/labels.txt",
                      splits="cora_planetoid/split.txt")
    r["test_mean"], r["report"]["forward"]["iterations"]
    r = grl.gnn.classify_graphs("tu/MUTAG", "MUTAG", model="cgs", heads=32)
    r["test"], r["val_mean"]                         # 10 folds' test accuracies
"""
import ctypes

from grl import _abi, _args, _enums
from grl._lib import check as _check, declare as _declare, lib as _lib, path as _path
from grl._types import MSG_LEN, grl_fixed_point_options, grl_fpgnn_report
from grl.graph import Graph
from grl.graph_set import _SetP, _free as _set_free, _load as _set_load

__all__ = ["adpa", "profile", "appnp", "ignn", "cgs", "classify_graphs"]


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
                ("progress_ctx", ctypes.c_void_p), ("select_epoch", ctypes.c_int)]


class grl_adpa_options(ctypes.Structure):
    _fields_ = [("patterns", ctypes.c_int), ("hops", ctypes.c_int), ("r", ctypes.c_double),
                ("hidden", ctypes.c_int64), ("dropout", ctypes.c_double),
                ("train", grl_gnn_train_options), ("decays", ctypes.c_int),
                ("decay", ctypes.c_double * _MAX_DECAYS), ("hop_prior", ctypes.c_double),
                ("mask_empty_hops", ctypes.c_int), ("hop_damping", ctypes.c_int),
                ("pattern_attention", ctypes.c_int), ("ensemble", ctypes.c_int64),
                ("directed_scale_init", ctypes.c_double)]


class grl_adpa_evaluation(ctypes.Structure):
    _fields_ = [("splits", ctypes.c_int64), ("test_mean", ctypes.c_double),
                ("test_std", ctypes.c_double), ("val_mean", ctypes.c_double),
                ("test", ctypes.POINTER(ctypes.c_double)), ("branches", ctypes.c_int),
                ("mass", ctypes.c_double * 16), ("branch_names", (ctypes.c_char * 16) * 16),
                ("chosen", ctypes.c_int), ("rows", ctypes.c_int64),
                ("nclasses", ctypes.c_int64), ("proba", ctypes.POINTER(ctypes.c_double)),
                ("val", ctypes.POINTER(ctypes.c_double))]


class grl_digraph_profile_result(ctypes.Structure):
    _fields_ = [("name", (ctypes.c_char * 8) * 7), ("weight", ctypes.c_double * 7),
                ("homophily", ctypes.c_double * 7), ("adjusted", ctypes.c_double * 7),
                ("recommended", ctypes.c_int), ("smoothness", ctypes.c_double * 7)]


class grl_fpgnn_options(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("hidden", ctypes.c_int64),
                ("dropout", ctypes.c_double), ("alpha", ctypes.c_double),
                ("kappa", ctypes.c_double), ("gamma", ctypes.c_double),
                ("heads", ctypes.c_int64), ("solver", grl_fixed_point_options),
                ("train", grl_gnn_train_options), ("skip", ctypes.c_bool),
                ("mp_layers", ctypes.c_int64), ("activation", ctypes.c_int),
                ("readout", ctypes.c_int), ("ensemble", ctypes.c_int64),
                ("screen", ctypes.c_bool), ("refit", ctypes.c_bool)]


class grl_fpgnn_evaluation(ctypes.Structure):
    _fields_ = [("splits", ctypes.c_int64), ("test_mean", ctypes.c_double),
                ("test_std", ctypes.c_double), ("val_mean", ctypes.c_double),
                ("test", ctypes.POINTER(ctypes.c_double)), ("report", grl_fpgnn_report),
                ("rows", ctypes.c_int64), ("nclasses", ctypes.c_int64),
                ("proba", ctypes.POINTER(ctypes.c_double))]


_vp, _msg = ctypes.c_void_p, ctypes.c_char_p


# the structs above mirror grl/gnn.h's (named as there): checked against the
# library's layouts like _types.py's
_abi.check(_lib, _path, [grl_node_splits_options, grl_optimizer_options,
                         grl_gnn_train_options, grl_adpa_options, grl_adpa_evaluation,
                         grl_digraph_profile_result, grl_fpgnn_options,
                         grl_fpgnn_evaluation], {"GRL_DIGRAPH_PATTERNS": 7,
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
_fpgnn_options_init = _declare("grl_fpgnn_options_init", None, ctypes.POINTER(grl_fpgnn_options))
_fpgnn_evaluate = _declare("grl_fpgnn_evaluate", ctypes.c_int,
                           ctypes.POINTER(grl_fpgnn_evaluation), _vp, _vp, _vp, _vp, _vp,
                           ctypes.POINTER(grl_fpgnn_options), _msg)
_fpgnn_evaluation_release = _declare("grl_fpgnn_evaluation_release", None,
                                     ctypes.POINTER(grl_fpgnn_evaluation))
_keep_node_labels = _declare("grl_graph_set_keep_node_labels", ctypes.c_int, _SetP, _msg)
_cross_validate = _declare("grl_fpgnn_cross_validate_graphs", ctypes.c_int,
                           ctypes.POINTER(grl_fpgnn_evaluation), _vp, _SetP, ctypes.c_int64,
                           ctypes.POINTER(grl_fpgnn_options), _msg)
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


def _split_options(splits, train_per_class, val, repeats, seed):
    if splits is not None:
        return None
    gen = grl_node_splits_options()
    _splits_options_init(ctypes.byref(gen))
    gen.train_per_class = _args.integer("train_per_class", train_per_class, 1)
    gen.val = _args.integer("val", val, 1)
    gen.repeats = _args.integer("repeats", repeats, 1, 1 << 20)
    gen.seed = seed
    return gen


def _train_options(t, lr, weight_decay, optimizer, epochs, patience, batch_size, seed):
    t.optimizer.lr = _args.real("lr", lr)
    t.optimizer.weight_decay = _args.real("weight_decay", weight_decay)
    t.optimizer.kind = _enums.value("optimizer", optimizer, "optimizer")
    t.epochs = _args.integer("epochs", epochs, 1, 100000000)
    t.patience = _args.integer("patience", patience, 0)
    t.batch_size = _args.integer("batch_size", batch_size, 0)
    t.seed = _args.seed(seed)


def adpa(g, features, labels, splits=None, train_per_class=20, val=500, repeats=10,
         patterns="all", hops=2, r=0.42749, hidden=32, dropout=0.64, lr=0.06,
         weight_decay=(0.0127, 0.0005), optimizer="adam", epochs=500, patience=50, batch_size=0,
         seed=0, hop_prior=4.0, mask_empty_hops=False, hop_damping=False,
         pattern_attention="scalar", ensemble=1, directed_scale_init=1.0):
    """Train and test ADPA on every split, as `grl gnn adpa` does.

    g: a grl.Graph (load it directed). features: a file (`node feature
    value` lines, dense rows, .npy or .npz). labels: a file of `node class`
    lines. splits: a file of splits (`split node role` or `node role`
    lines), or None to draw `repeats` splits with `train_per_class`
    training nodes per class and `val` validation nodes (seeded by `seed`).
    patterns: "all" (the six directed patterns), "undirected", "dir",
    "features", "auto" (as grl.gnn.profile recommends) or "all+undirected"
    (the six and the symmetrised graph). hops: K, 1..8.
    r: the normalisation exponent in [0, 1]. hidden: width per pattern.
    dropout: in [0, 1). lr: the learning rate. weight_decay: one value, or
    up to 4 tried on every split (the model with the best validation
    accuracy kept). optimizer: "adam", "adamw" or "sgd". epochs: the
    maximum; patience: epochs without a better validation accuracy before
    stopping (0: never). batch_size: training nodes per step (0: all).
    seed: splits, initialisation and dropout. hop_prior: initial
    hop-attention biases hop_prior * k, in [0, 20] (4: start on the
    deepest hop, 0: level). mask_empty_hops: leave a node's all-zero hops
    (no walk of the pattern from it) out of its hop attention. hop_damping:
    damp hop k by 1 + ln(1/k) per step, as the reference code does.
    pattern_attention: "scalar" (a learned scale per pattern and the
    concatenation) or "node" (per-node softmax weights over the patterns,
    the paper's node-adaptive pattern level, and their weighted sum) or
    "node-concat" (the same weights and the weighted concatenation).
    ensemble: models per split (1..256), each from its own seed (the first
    from seed: one member is the single model) over the same propagations,
    its epoch and weight decay chosen on validation; the accuracies are
    those of the mean of their softmax probabilities.
    directed_scale_init: with scalar pattern attention, the starting scale
    of the six directed patterns' branches, in [0, 1] (0: all+undirected
    starts as the undirected model it contains).
    Returns a dict: test_mean, test_std, val_mean, test and val (one
    accuracy per split, paired), mass (pattern -> share of the representation), patterns (the set
    used; "auto" resolved)."""
    handle = _graph(g)
    opt = grl_adpa_options()
    _adpa_options_init(ctypes.byref(opt))
    opt.patterns = _enums.value("adpa_patterns", patterns, "patterns")
    opt.hops = _args.integer("hops", hops, 1, 8)
    opt.r = _args.real("r", r)
    opt.hidden = _args.integer("hidden", hidden, 1, 1 << 20)
    opt.dropout = _args.real("dropout", dropout)
    opt.hop_prior = _args.real("hop_prior", hop_prior)
    opt.mask_empty_hops = 1 if mask_empty_hops else 0
    opt.hop_damping = 1 if hop_damping else 0
    opt.pattern_attention = _enums.value("adpa_pattern_attention", pattern_attention,
                                         "pattern_attention")
    opt.ensemble = _args.integer("ensemble", ensemble, 1, 256)
    opt.directed_scale_init = _args.real("directed_scale_init", directed_scale_init)
    decays = list(weight_decay) if isinstance(weight_decay, (list, tuple)) else [weight_decay]
    if not 1 <= len(decays) <= _MAX_DECAYS:
        raise ValueError(f"weight_decay: 1 to {_MAX_DECAYS} values, got {len(decays)}")
    for d, value in enumerate(decays):
        opt.decay[d] = _args.real("weight_decay", value)
    opt.decays = len(decays) if len(decays) > 1 else 0
    _train_options(opt.train, lr, opt.decay[0], optimizer, epochs, patience, batch_size,
                   seed)
    gen = _split_options(splits, train_per_class, val, repeats, opt.train.seed)
    data = _NodeData(handle, features, labels, splits, gen)
    ev = grl_adpa_evaluation()
    msg = ctypes.create_string_buffer(MSG_LEN)
    try:
        _check(_evaluate(ctypes.byref(ev), None, None, handle, data.X, data.L, data.S,
                         ctypes.byref(opt), msg), msg)
        names = [bytes(ev.branch_names[b].value).decode() for b in range(ev.branches)]
        return {"test_mean": ev.test_mean, "test_std": ev.test_std, "val_mean": ev.val_mean,
                "test": [ev.test[s] for s in range(ev.splits)],
                "val": [ev.val[s] for s in range(ev.splits)],
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


def _report(r):
    def solve(x):
        return {"bound": x.bound, "residual": x.residual, "iterations": x.iterations}
    return {"forward": solve(r.forward), "backward": solve(r.backward), "solves": r.solves,
            "capped": r.capped}


def _fixed_point_options(kind, hidden, dropout, lr, weight_decay, optimizer, epochs, patience,
                         batch_size, seed, tol, max_iter, cosine=False, ensemble=1,
                         select_epoch="accuracy", **model):
    """A grl_fpgnn_options of `kind` from the shim's arguments (checked)."""
    opt = grl_fpgnn_options()
    _fpgnn_options_init(ctypes.byref(opt))
    opt.kind = _enums.value("fpgnn_kind", kind, "kind")
    opt.hidden = _args.integer("hidden", hidden, 1, 1 << 16)
    opt.dropout = _args.real("dropout", dropout)
    for name, v in model.items():
        setattr(opt, name, _args.flag(name, v) if name == "skip" else
                _enums.value("fpgnn_activation", v, name) if name == "activation" else
                _enums.value("fpgnn_readout", v, name) if name == "readout" else
                _args.integer(name, v, 1, 1024) if name == "heads" else
                _args.integer(name, v, 0, 3) if name == "mp_layers" else _args.real(name, v))
    opt.solver.tol = _args.real("tol", tol)
    opt.solver.max_iter = _args.integer("max_iter", max_iter, 1, 10000000)
    _train_options(opt.train, lr, weight_decay, optimizer, epochs, patience, batch_size,
                   seed)
    opt.train.optimizer.cosine = _args.flag("cosine", cosine)
    opt.train.select_epoch = _enums.value("gnn_select_epoch", select_epoch, "select_epoch")
    opt.ensemble = _args.integer("ensemble", ensemble, 1, 256)
    return opt


def _evaluation(ev):
    return {"test_mean": ev.test_mean, "test_std": ev.test_std, "val_mean": ev.val_mean,
            "test": [ev.test[s] for s in range(ev.splits)], "report": _report(ev.report)}


def _fixed_point(kind, g, features, labels, splits, train_per_class, val, repeats, hidden,
                 dropout, lr, weight_decay, optimizer, epochs, patience, batch_size, seed,
                 tol, max_iter, **model):
    handle = _graph(g)
    opt = _fixed_point_options(kind, hidden, dropout, lr, weight_decay, optimizer, epochs,
                               patience, batch_size, seed, tol, max_iter, **model)
    gen = _split_options(splits, train_per_class, val, repeats, opt.train.seed)
    data = _NodeData(handle, features, labels, splits, gen)
    ev = grl_fpgnn_evaluation()
    msg = ctypes.create_string_buffer(MSG_LEN)
    try:
        _check(_fpgnn_evaluate(ctypes.byref(ev), None, handle, data.X, data.L, data.S,
                               ctypes.byref(opt), msg), msg)
        return _evaluation(ev)
    finally:
        _fpgnn_evaluation_release(ctypes.byref(ev))
        data.close()


def appnp(g, features, labels, splits=None, train_per_class=20, val=500, repeats=10,
          alpha=0.1, hidden=64, dropout=0.5, lr=0.01, weight_decay=5e-4, optimizer="adam",
          epochs=500, patience=50, batch_size=0, seed=0, tol=1e-6, max_iter=300):
    """Train and test APPNP (the exact fixed point Z = (1 - alpha) A Z + alpha
    MLP(X)) on graph g, with features, labels and splits as adpa() takes
    them. Returns a dict: test_mean, test_std, val_mean, test (per split),
    report (the best split's solver statistics: forward and backward
    {bound, residual, iterations}, solves, capped). A solve that stopped at
    max_iter still gives the result; report["capped"] counts them."""
    return _fixed_point("appnp", g, features, labels, splits, train_per_class, val, repeats,
                        hidden, dropout, lr, weight_decay, optimizer, epochs, patience,
                        batch_size, seed, tol, max_iter, alpha=alpha)


def ignn(g, features, labels, splits=None, train_per_class=20, val=500, repeats=10,
         kappa=0.95, hidden=64, dropout=0.5, lr=0.01, weight_decay=5e-4, optimizer="adam",
         epochs=500, patience=50, batch_size=0, seed=0, tol=1e-6, max_iter=300):
    """Train and test IGNN (H = ReLU(A H W' + A X U'), ||W||inf <= kappa /
    lambda_pf(A)) on graph g; arguments and result as appnp()."""
    return _fixed_point("ignn", g, features, labels, splits, train_per_class, val, repeats,
                        hidden, dropout, lr, weight_decay, optimizer, epochs, patience,
                        batch_size, seed, tol, max_iter, kappa=kappa)


def cgs(g, features, labels, splits=None, train_per_class=20, val=500, repeats=10,
        gamma=0.5, heads=16, hidden=64, dropout=0.5, lr=0.01, weight_decay=5e-4,
        optimizer="adam", epochs=500, patience=50, batch_size=0, seed=0, tol=1e-6,
        max_iter=300, skip=False, mp_layers=0, activation="relu"):
    """Train and test Convergent Graph Solvers (m = heads fixed points h =
    gamma A h + b, A = clip(logit, 0, 1) / outdeg per arc and head) on graph
    g; skip=True gives the decoder the encoder's node embedding beside the
    fixed point, mp_layers (1..3) makes the encoder that many attention
    message-passing layers (0: a linear edge network), activation ("relu" or
    "silu") is the encoder's and decoder's; arguments and result as
    appnp()."""
    return _fixed_point("cgs", g, features, labels, splits, train_per_class, val, repeats,
                        hidden, dropout, lr, weight_decay, optimizer, epochs, patience,
                        batch_size, seed, tol, max_iter, gamma=gamma, heads=heads, skip=skip,
                        mp_layers=mp_layers, activation=activation)


def classify_graphs(directory, name, model="cgs", folds=10, labels_only=False, hidden=64,
                    dropout=0.5, lr=0.01, weight_decay=5e-4, optimizer="adam", cosine=False,
                    epochs=500, patience=50, batch_size=0, seed=0, tol=1e-6, max_iter=300,
                    alpha=0.1, kappa=0.95, gamma=0.5, heads=16, skip=False, mp_layers=0,
                    activation="relu", readout="sum", ensemble=1, select_epoch="accuracy",
                    screen=False, refit=False):
    """Graph classification with a fixed-point GNN on the TU dataset
    directory/name_*.txt, as `grl gnn appnp|ignn|cgs --graphs directory
    --name name` runs it (the same defaults and the same bits for a seed):
    `folds` stratified folds seeded by `seed`, in fold f part f the test
    graphs and part f + 1 the validation graphs that choose the epoch, the
    rest training; the readout (CGS: "sum", "sum-max" or "sum-mean", the
    sum of a graph's nodes' values beside their max or mean; the other
    models: the sum), then the decoder.

    model: "appnp", "ignn" or "cgs". labels_only: node inputs the one-hot
    node labels only (drop the node attributes). alpha is APPNP's, kappa
    IGNN's, gamma, heads, skip, mp_layers and activation CGS's (see cgs()); cosine: a
    cosine learning-rate schedule; batch_size: training graphs per step (0:
    all); ensemble: models per fold (1..256), each from its own seed, the
    accuracies those of the mean of their softmax probabilities;
    select_epoch: "accuracy" (ties: the lower loss) or "loss", what the
    validation part chooses the epoch on; screen: compare settings without
    the test parts (in fold f part f left out, part f + 2 scored in "test");
    refit: after each model's epoch count is chosen on the validation part,
    retrain it from the same seed on the training and validation parts for
    that many epochs and score the test (or screened) part with it (Errica
    et al., ICLR 2020; val_mean stays the figure before the refit);
    the rest as appnp().
    Returns a dict: test (the folds' test accuracies, in fold order),
    test_mean, test_std (population), val_mean, report (the best-validation
    fold's solver statistics), proba (per graph, its fold's class
    probabilities: the out-of-fold predictions)."""
    opt = _fixed_point_options(model, hidden, dropout, lr, weight_decay, optimizer, epochs,
                               patience, batch_size, seed, tol, max_iter, cosine=cosine,
                               ensemble=ensemble, select_epoch=select_epoch,
                               alpha=alpha, kappa=kappa, gamma=gamma, heads=heads, skip=skip,
                               mp_layers=mp_layers, activation=activation, readout=readout)
    opt.screen = _args.flag("screen", screen)
    opt.refit = _args.flag("refit", refit)
    k = _args.integer("folds", folds, 3, 1000)
    S, ev, msg = _SetP(), grl_fpgnn_evaluation(), ctypes.create_string_buffer(MSG_LEN)
    _check(_set_load(ctypes.byref(S), _args.path("directory", directory),
                     _args.text("name", name), msg), msg)
    try:
        if labels_only:
            _check(_keep_node_labels(S, msg), msg)
        _check(_cross_validate(ctypes.byref(ev), None, S, k, ctypes.byref(opt), msg), msg)
        r = _evaluation(ev)
        r["proba"] = [ev.proba[i * ev.nclasses:(i + 1) * ev.nclasses] for i in range(ev.rows)]
        return r
    finally:
        _fpgnn_evaluation_release(ctypes.byref(ev))
        _set_free(S)
