"""DAG structure learning (grl/dag.h) for the grl shim: learn a weighted DAG
from an n x d data matrix (rows = samples) by TOPO or NOTEARS, simulate
linear SEM data, and score an estimate with notears' count_accuracy.

W[i][j] != 0 means the edge i -> j. Results are numpy arrays when numpy is
importable, else lists of rows.
"""
import ctypes

from grl import _args
from grl._lib import declare as _declare
from grl._results import np as _np
from grl import _types
from grl._types import MSG_LEN
from grl._args import GrlError

__all__ = ["learn", "simulate", "metrics"]


# the structs of grl/dag.h, mirrored (and checked at import) in _types.py
_Data = _types.grl_dag_data
_Options = _types.grl_dag_options
_Info = _types.grl_dag_info
_SimOptions = _types.grl_dag_simulate_options
_Metrics = _types.grl_dag_metrics


_dp = ctypes.POINTER(ctypes.c_double)
_i64p = ctypes.POINTER(ctypes.c_int64)
_data_p = ctypes.POINTER(_Data)
_from_array = _declare("grl_dag_data_from_array", ctypes.c_int, ctypes.POINTER(_data_p),
                       _dp, ctypes.c_int64, ctypes.c_int64, ctypes.c_char_p)
_data_free = _declare("grl_dag_data_free", None, ctypes.POINTER(_data_p))
_options_init = _declare("grl_dag_options_init", None, ctypes.POINTER(_Options))
_learn = _declare("grl_dag_learn", ctypes.c_int, _dp, _i64p, _data_p,
                  ctypes.POINTER(_Options), ctypes.POINTER(_Info), ctypes.c_char_p)
_sim_init = _declare("grl_dag_simulate_options_init", None, ctypes.POINTER(_SimOptions))
_simulate = _declare("grl_dag_simulate", ctypes.c_int, _dp, _dp, ctypes.c_int64,
                     ctypes.c_int64, ctypes.c_int64, ctypes.POINTER(_SimOptions),
                     ctypes.c_char_p)
_metrics = _declare("grl_dag_metrics_compute", ctypes.c_int, ctypes.POINTER(_Metrics), _dp,
                    _dp, ctypes.c_int64, ctypes.c_double, ctypes.c_char_p)


def _enum(kind, name):
    """The library's own parse of an enumeration name (no copied tables)."""
    parse = _declare(f"grl_dag_{kind}_parse", ctypes.c_int, ctypes.c_char_p,
                     ctypes.POINTER(ctypes.c_int), ctypes.c_char_p)
    value, msg = ctypes.c_int(), ctypes.create_string_buffer(MSG_LEN)
    if parse(_args.text(kind, name), ctypes.byref(value), msg) < 0:
        raise _args.GrlValueError(msg.value.decode(errors="replace"))
    return value.value


def _check(status, msg):
    if status < 0:
        raise GrlError(status, msg.value.decode(errors="replace") or f"grl error {status}")


def _matrix(name, X, square=False):
    """X (numpy array or sequence of rows) as a C double array, n, d."""
    if _np is not None and isinstance(X, _np.ndarray):
        if X.ndim != 2:
            raise _args.GrlValueError(f"{name} must be 2-D, got {X.ndim}-D")
        if not (_np.issubdtype(X.dtype, _np.number) or X.dtype == _np.bool_):
            raise _args.GrlTypeError(f"{name} must hold numbers, got dtype {X.dtype}")
        n, d = X.shape
        flat = _np.ascontiguousarray(X, dtype=_np.float64).ravel()
        buf = (ctypes.c_double * max(flat.size, 1))()
        if flat.size:
            ctypes.memmove(buf, flat.ctypes.data, flat.nbytes)
    else:
        rows = _args.sequence(name, X)
        n = len(rows)
        d = len(_args.sequence(f"{name}[0]", rows[0])) if n else 0
        buf = (ctypes.c_double * max(n * d, 1))()
        for i, r in enumerate(rows):
            r = _args.sequence(f"{name}[{i}]", r)
            if len(r) != d:
                raise _args.GrlValueError(f"{name} row {i} has {len(r)} values, row 0 has {d}")
            for j, v in enumerate(r):
                buf[i * d + j] = _args.real(f"{name}[{i}][{j}]", v)
    if n < 1 or d < 1:
        raise _args.GrlValueError(f"{name} must have at least one row and one column, "
                                  f"got {n} x {d}")
    if square and n != d:
        raise _args.GrlValueError(f"{name} must be square, got {n} x {d}")
    return buf, n, d


def _out(buf, n, d):
    if _np is not None:
        return _np.ctypeslib.as_array(buf)[: n * d].reshape(n, d).copy()
    return [list(buf[i * d:(i + 1) * d]) for i in range(n)]


def learn(X, method="topo", loss="l2", lambda1=0.0, lambda2=0.0, threshold=0.3,
          refit=True, standardize=False, restarts=1, seed=1, max_iter=0,
          warm_start=False, return_info=False):
    """Learn a weighted DAG from X (n samples x d variables).

    method: "topo" (swaps of topological orders) or "notears";
    loss: "l2" or "logistic" (0/1 data); lambda1, lambda2:
    l1 / ridge weights; threshold: |w| below it is no edge; refit: refit each
    variable on its kept parents (l2); standardize: unit-variance columns
    first; restarts: TOPO orders tried (best score wins); seed: TOPO's random
    orders; max_iter: 0 for the default; warm_start: TOPO from NOTEARS' order.
    Returns W (d x d), or (W, info) with info a dict (score, search_score,
    h, iterations, candidates, best_restart, order) when return_info.
    """
    buf, n, d = _matrix("X", X)
    opt = _Options()
    _options_init(ctypes.byref(opt))
    opt.method = _enum("method", method)
    opt.loss = _enum("loss", loss)
    opt.lambda1 = _args.real("lambda1", lambda1)
    opt.lambda2 = _args.real("lambda2", lambda2)
    opt.threshold = _args.real("threshold", threshold)
    opt.refit = _args.flag("refit", refit)
    opt.standardize = _args.flag("standardize", standardize)
    opt.restarts = _args.integer("restarts", restarts, 1, 1000000)
    opt.seed = _args.seed(seed)
    opt.max_iter = _args.integer("max_iter", max_iter, 0)
    opt.warm_start_notears = _args.flag("warm_start", warm_start)
    msg = ctypes.create_string_buffer(MSG_LEN)
    data = _data_p()
    _check(_from_array(ctypes.byref(data), buf, n, d, msg), msg)
    try:
        W = (ctypes.c_double * (d * d))()
        order = (ctypes.c_int64 * d)()
        info = _Info()
        status = _learn(W, order, data, ctypes.byref(opt), ctypes.byref(info), msg)
        _check(status, msg)
    finally:
        _data_free(ctypes.byref(data))
    result = _out(W, d, d)
    if not return_info:
        return result
    return result, {"score": info.score, "search_score": info.search_score, "h": info.h,
                    "iterations": info.iterations, "candidates": info.candidates,
                    "best_restart": info.best_restart, "order": list(order),
                    "converged": status == 0}


def simulate(d, edges, n=1000, graph="er", noise="gauss", seed=1):
    """A random DAG and n samples of its linear SEM (notears' generators):
    returns (W, X), W the d x d true weights, X n x d."""
    d = _args.integer("d", d, 1, 20000)
    edges = _args.integer("edges", edges, 0)
    n = _args.integer("n", n, 1, 100000000)
    opt = _SimOptions()
    _sim_init(ctypes.byref(opt))
    opt.graph = _enum("graph", graph)
    opt.noise = _enum("noise", noise)
    opt.seed = _args.seed(seed)
    _args.size("X", n, d, itemsize=8)
    W = (ctypes.c_double * (d * d))()
    X = (ctypes.c_double * (n * d))()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_simulate(W, X, d, edges, n, ctypes.byref(opt), msg), msg)
    return _out(W, d, d), _out(X, n, d)


def metrics(W, B, threshold=0.3):
    """notears' count_accuracy of the estimate W against the truth B (both
    d x d): a dict with shd, tpr, fdr, fpr, nnz and the counts."""
    wbuf, d, _ = _matrix("W", W, square=True)
    bbuf, db, _ = _matrix("B", B, square=True)
    if db != d:
        raise _args.GrlValueError(f"W is {d} x {d} but B is {db} x {db}")
    m = _Metrics()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_metrics(ctypes.byref(m), wbuf, bbuf, d, _args.real("threshold", threshold), msg),
           msg)
    return {f: getattr(m, f) for f, _ in _Metrics._fields_}
