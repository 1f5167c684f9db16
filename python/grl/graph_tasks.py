"""Node regression on graph sets (grl/gnn.h): the K-layer message-passing
baseline and the Convergent Graph Solver (Park, Choo, Park, ICLR 2022) on
the graph value iteration and pore-network sets, trained on the TU files
`grl gnn gvi-generate | pore-generate` write, exactly as `grl gnn mpnn`
trains them.

    import grl.graph_tasks as gt
    m = gt.train("gvi_train", "gvi", model="cgs", epochs=30, seed=1)
    m.result["val_mse"], m.result["forward_iterations"]
    pred = m.predict("gvi_test", "gvi")               # nodes x targets
    m.evaluate("gvi_test", "gvi", gvi=True)           # mse, mape, policy_accuracy
"""
import ctypes

from grl import _abi, _args, _results
from grl._handle import Handle
from grl._lib import check, declare, lib, msg, path as _libpath
from grl._types import grl_fixed_point_options
from grl.gnn import _train_options, grl_gnn_train_options
# graph_set's declarations of the loader (one declare per function)
from grl.graph_set import _SetP, _free as _set_free, _load as _set_load

__all__ = ["GraphSetModel", "train"]

_MODELS = {"mpnn": 0, "cgs": 1}  # grl_mpnn_model


class grl_mpnn_options(ctypes.Structure):
    _fields_ = [("model", ctypes.c_int), ("layers", ctypes.c_int64),
                ("hidden", ctypes.c_int64), ("batch_graphs", ctypes.c_int64),
                ("val_fraction", ctypes.c_double), ("train", grl_gnn_train_options),
                ("heads", ctypes.c_int64), ("gamma", ctypes.c_double),
                ("solver", grl_fixed_point_options)]


class grl_mpnn_train_result(ctypes.Structure):
    _fields_ = [("epochs_run", ctypes.c_int64), ("best_epoch", ctypes.c_int64),
                ("train_mse", ctypes.c_double), ("val_mse", ctypes.c_double),
                ("seconds", ctypes.c_double), ("solves", ctypes.c_int64),
                ("capped", ctypes.c_int64), ("forward_iterations", ctypes.c_double),
                ("adjoint_iterations", ctypes.c_double)]


# mirrors of grl/gnn.h's structs, checked against the library's layouts
_abi.check(lib, _libpath, [grl_mpnn_options, grl_mpnn_train_result], {})

_vp, _cp, _int = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
_FP = ctypes.POINTER(ctypes.c_float)
_options_init = declare("grl_mpnn_options_init", None, ctypes.POINTER(grl_mpnn_options))
_train = declare("grl_mpnn_train", _int, ctypes.POINTER(_vp),
                 ctypes.POINTER(grl_mpnn_train_result), _SetP,
                 ctypes.POINTER(grl_mpnn_options), _cp)
_predict = declare("grl_mpnn_predict", _int, _vp, _SetP, _FP, _cp)
_free = declare("grl_mpnn_free", None, ctypes.POINTER(_vp))
_gvi_evaluate = declare("grl_gvi_evaluate", _int, _SetP, _FP, ctypes.c_double,
                        ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double),
                        _cp)


class _Set:
    """The graph set directory/name_*.txt loaded in C (freed on exit)."""

    def __init__(self, directory, name):
        self.ptr, buf = _SetP(), msg()
        check(_set_load(ctypes.byref(self.ptr), _args.path("directory", directory),
                        _args.text("name", name), buf), buf)

    def __enter__(self):
        return self.ptr

    def __exit__(self, *exc):
        _set_free(self.ptr)


class GraphSetModel(Handle):
    """A trained MPNN or CGS node regressor (from train()). `result` is the
    training summary: epochs_run, best_epoch, train_mse, val_mse, seconds
    and, for CGS, solves, capped, forward_iterations, adjoint_iterations
    (means per training step)."""
    _what = "graph-set model"
    _makers = "grl.graph_tasks.train"
    _free = _free

    def _run(self, S):
        s = S.contents
        out, buf = _args.alloc(ctypes.c_float, s.nodes * s.node_target_dim), msg()
        check(_predict(self._handle, S, out, buf), buf)
        return out, s

    def predict(self, directory, name):
        """Predicted node targets of the set directory/name_*.txt (nodes x
        targets; the graphs may be larger than the training graphs)."""
        with _Set(directory, name) as S:
            out, s = self._run(S)
            return _results.matrix(ctypes.c_float, out, s.nodes, s.node_target_dim)

    def evaluate(self, directory, name, gvi=False):
        """Mean squared error on the set's node targets and, with gvi=True,
        the value MAPE (%) and policy accuracy of grl_gvi_evaluate (discount
        0.9, the generator's): what `grl gnn mpnn --test` prints."""
        with _Set(directory, name) as S:
            out, s = self._run(S)
            n = s.nodes * s.node_target_dim
            mse = sum((out[i] - s.node_y[i]) ** 2 for i in range(n)) / max(n, 1)
            r = {"mse": mse}
            if gvi:
                mape, acc, buf = ctypes.c_double(), ctypes.c_double(), msg()
                check(_gvi_evaluate(S, out, 0.9, ctypes.byref(mape), ctypes.byref(acc), buf),
                      buf)
                r.update(mape=mape.value, policy_accuracy=acc.value)
            return r


def train(directory, name, model="cgs", layers=3, hidden=32, batch_graphs=32, epochs=100,
          patience=20, lr=1e-3, seed=0, heads=16, gamma=0.5, tol=1e-6, max_iter=50):
    """Train on the node targets of directory/name_*.txt (the last 10% of
    its graphs choose the epoch) and return a GraphSetModel. model "mpnn":
    `layers` message-passing layers and a linear decoder; "cgs": those
    layers as the encoder of `heads` fixed points h = gamma A h + b, solved
    to `tol` (at most max_iter steps; a capped solve warns)."""
    if model not in _MODELS:
        raise _args.GrlValueError(f"model: expected 'mpnn' or 'cgs', got {model!r}")
    o = grl_mpnn_options()
    _options_init(ctypes.byref(o))
    o.model = _MODELS[model]
    o.layers = _args.integer("layers", layers, 1, 5)
    o.hidden = _args.integer("hidden", hidden, 1, 4096)
    o.batch_graphs = _args.integer("batch_graphs", batch_graphs, 1)
    _train_options(o.train, lr, 0.0, "adam", epochs, patience, 0, seed)
    o.heads = _args.integer("heads", heads, 1, 4096)
    o.gamma = _args.real("gamma", gamma)
    o.solver.tol = _args.real("tol", tol)
    o.solver.max_iter = _args.integer("max_iter", max_iter, 1, 10000000)
    h, r, buf = _vp(), grl_mpnn_train_result(), msg()
    with _Set(directory, name) as S:
        status = _train(ctypes.byref(h), ctypes.byref(r), S, ctypes.byref(o), buf)
        m = GraphSetModel._adopt(h.value) if h.value else None
        check(status, buf)
    m.result = _results.fields(r)
    return m
