"""Node classification evaluation (grl/optim.h): node labels and the
FastRP paper's protocol (one-vs-rest logistic regression, Micro/Macro-F1)."""
import ctypes
import os
import tempfile

from grl import _args, _dense, _enums, _results, _types
from grl._handle import Handle
from grl._lib import check, declare, msg
from grl.graph import Graph

__all__ = ["Labels", "nodeclf_evaluate", "nodeclf_f1_scores"]

_cp, _int, _i64 = ctypes.c_char_p, ctypes.c_int, ctypes.c_int64
_LabelsP = ctypes.POINTER(_types.grl_labels)
_LabelsOpt = ctypes.POINTER(_types.grl_labels_options)
_labels_options_init = declare("grl_labels_options_init", None, _LabelsOpt)
_labels_load = declare("grl_labels_load", _int, ctypes.POINTER(_LabelsP), _cp, _i64, _LabelsOpt,
                       _cp)
_labels_from_pairs = declare("grl_labels_from_pairs", _int, ctypes.POINTER(_LabelsP), _i64,
                             _i64, ctypes.POINTER(_i64), ctypes.POINTER(_i64), _i64, _cp)
_f1_scores = declare("grl_nodeclf_f1_scores", _int, ctypes.POINTER(ctypes.c_uint8),
                     ctypes.POINTER(ctypes.c_uint8), _i64, _i64, ctypes.POINTER(ctypes.c_double),
                     ctypes.POINTER(ctypes.c_double), _cp)
_labels_free = declare("grl_labels_free", None, ctypes.POINTER(ctypes.c_void_p))
_Opt = ctypes.POINTER(_types.grl_nodeclf_options)
_options_init = declare("grl_nodeclf_options_init", None, _Opt)
_evaluate = declare("grl_nodeclf_evaluate", _int, ctypes.POINTER(_types.grl_dense),
                    ctypes.c_void_p, _Opt, ctypes.POINTER(_types.grl_nodeclf_result), _cp)


class Labels(Handle):
    """The labels of the rows of an embedding (row i = node i): load(path,
    nodes). A multi-label file has one `node label` line per pair."""

    _what, _makers = "labels", "load, from_pairs"
    _free = _labels_free

    @classmethod
    def load(cls, path, nodes, ids=None, missing="error"):
        """Read `node label` lines. nodes is the Graph the embedding was made
        from (its ids name the rows), or a row count with ids the path of a
        file of one id per row (None: row i is the integer id i). missing:
        what a labelled node without a row does: "error", "skip" (left out)
        or "zero" (rows of zeros after the embedding's; see missing_rows)."""
        name = _args.path("path", path)
        policy = _enums.value("missing_policy", missing, "missing")
        if isinstance(nodes, Graph):
            if ids is not None:
                raise _args.GrlValueError("ids is for a row count, not a Graph (the "
                                          "graph's ids name the rows)")
            return cls._load_for_graph(name, nodes, policy)
        count = _args.integer("nodes", nodes)
        return cls._load(name, count, None if ids is None else _args.path("ids", ids), policy)

    @classmethod
    def from_pairs(cls, nodes, num_labels, pairs):
        """Labels of `nodes` rows from (row, label) pairs (an (m, 2) integer
        array or a sequence of pairs), labels 0..num_labels-1; repeated
        pairs count once."""
        nodes = _args.integer("nodes", nodes)
        num_labels = _args.integer("num_labels", num_labels)
        rows, labels, m = _args.pairs_arrays("pairs", pairs)
        ptr, buf = _LabelsP(), msg()
        check(_labels_from_pairs(ctypes.byref(ptr), nodes, num_labels, rows, labels, m, buf),
              buf)
        return cls._adopt(ctypes.cast(ptr, ctypes.c_void_p).value)

    @classmethod
    def _load(cls, name, count, ids_path, policy):
        opt = _types.grl_labels_options()
        _labels_options_init(ctypes.byref(opt))
        opt.ids_path = ids_path
        opt.missing = policy
        ptr, buf = _LabelsP(), msg()
        check(_labels_load(ctypes.byref(ptr), name, count, ctypes.byref(opt), buf), buf)
        return cls._adopt(ctypes.cast(ptr, ctypes.c_void_p).value)

    @classmethod
    def _load_for_graph(cls, name, g, policy):
        if g._ids_are_indices():
            return cls._load(name, g.num_nodes, None, policy)
        with tempfile.TemporaryDirectory() as tmp:  # the library reads ids from a file
            ids_path = os.path.join(tmp, "rows.ids")
            with open(ids_path, "wb") as f:
                f.writelines(_args.text("id", i) + b"\n" for i in g.ids)
            return cls._load(name, g.num_nodes, os.fsencode(ids_path), policy)

    @property
    def _labels(self):
        return ctypes.cast(self._handle, _LabelsP).contents

    @property
    def num_nodes(self):
        return self._labels.nodes

    @property
    def missing(self):
        """Labelled nodes that had no embedding row (skipped or zero-filled)."""
        return self._labels.missing

    @property
    def num_labels(self):
        return self._labels.nlabels

    @property
    def names(self):
        """Each label's spelling in the file (label i is names[i])."""
        lab = self._labels
        return [_args.decode(lab.names[i]) for i in range(lab.nlabels)] if lab.names else None

    def of(self, i):
        """The labels (numbers 0..num_labels-1) of row i, ascending."""
        lab = self._labels
        i = _args.integer("row", i, 0, lab.nodes - 1)
        return [lab.label[k] for k in range(lab.offsets[i], lab.offsets[i + 1])]


def nodeclf_evaluate(embedding, labels, train_fraction=0.1, repeats=5, seed=1, C=None,
                     free_intercept=False, max_iter=None):
    """Micro- and Macro-F1 of one-vs-rest logistic regression on `embedding`
    (an (n, d) array or list of rows, row i = node i) against `labels`
    (a grl.Labels of n rows), averaged over `repeats` random splits with
    train_fraction of the labelled rows for training. C None: 0.1, the
    reference evaluation's; free_intercept leaves the intercept unpenalised
    (scikit-learn's lbfgs objective; by default penalised like liblinear);
    max_iter None: 1000 L-BFGS iterations per label. A dict of the grl_nodeclf_result fields;
    label fits that stopped early give a GrlWarning and not_converged > 0."""
    lab = _args.instance("labels", labels, Labels)._handle
    opt = _types.grl_nodeclf_options()
    _options_init(ctypes.byref(opt))
    opt.train_fraction = _args.real("train_fraction", train_fraction)
    opt.repeats = _args.integer("repeats", repeats, 1)
    opt.seed = _args.seed(seed)
    if C is not None:
        opt.logreg.C = _args.real("C", C)
    opt.logreg.penalize_intercept = not _args.flag("free_intercept", free_intercept)
    if max_iter is not None:
        opt.logreg.lbfgs.max_iter = _args.integer("max_iter", max_iter, 1)
    d = _dense.from_python("embedding", embedding)
    res, buf = _types.grl_nodeclf_result(), msg()
    try:
        check(_evaluate(d, lab, ctypes.byref(opt), ctypes.byref(res), buf), buf)
    finally:
        _dense.dense_free(ctypes.byref(d))
    return _results.fields(res)


def _indicator(name, matrix, shape=None):
    """An n x L 0/1 matrix (2-d array or rows of truth values) as ctypes
    bytes and its shape."""
    rows = [_args.sequence(f"{name}[{i}]", r) for i, r in enumerate(_args.sequence(name, matrix))]
    n, width = len(rows), len(rows[0]) if rows else 0
    if shape is not None and (n, width) != shape:
        raise _args.GrlValueError(f"{name} must have the shape of y_true {shape}, got "
                                  f"{(n, width)}")
    flat = []
    for i, r in enumerate(rows):
        if len(r) != width:
            raise _args.GrlValueError(f"{name}[{i}] has {len(r)} values, row 0 {width}")
        flat += [1 if v else 0 for v in r]
    return (ctypes.c_uint8 * max(len(flat), 1))(*flat), (n, width)


def nodeclf_f1_scores(y_true, y_pred):
    """(micro, macro) F1 of a multi-label prediction: y_true and y_pred are
    n x L indicator matrices (nonzero = the row has the label), with
    scikit-learn's f1_score definitions (a label with no true and no
    predicted positives scores 0)."""
    t, shape = _indicator("y_true", y_true)
    p, _ = _indicator("y_pred", y_pred, shape)
    micro, macro, buf = ctypes.c_double(), ctypes.c_double(), msg()
    check(_f1_scores(t, p, shape[0], shape[1], ctypes.byref(micro), ctypes.byref(macro), buf),
          buf)
    return micro.value, macro.value
