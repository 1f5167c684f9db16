"""FastRP node embeddings (grl/embed.h) and .npy files of embeddings."""
import ctypes

from grl import _args, _dense, _enums, _types
from grl._lib import check, declare, lib, msg
from grl.graph import handle_of

__all__ = ["fastrp", "load_npy", "save_npy"]

_vp, _cp, _int = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
_Opt = ctypes.POINTER(_types.grl_fastrp_options)
_DenseP = ctypes.POINTER(_types.grl_dense)
_options_init = declare("grl_fastrp_options_init", None, _Opt)
_fastrp = declare("grl_fastrp_embed", _int, ctypes.POINTER(_DenseP), _vp, _Opt, _cp)
_features_load = declare("grl_features_load", _int, ctypes.POINTER(_vp), _vp, _cp, _cp)
_matrix_free = lib.GrB_Matrix_free  # GraphBLAS's, for the features matrix
_matrix_free.restype, _matrix_free.argtypes = _int, [ctypes.POINTER(_vp)]
_save_npy = declare("grl_dense_save_npy", _int, _DenseP, _cp, _cp)
_load_npy = declare("grl_dense_load_npy", _int, ctypes.POINTER(_DenseP), _cp, _cp)


def fastrp(g, dim=128, weights=(0.0, 1.0, 1.0), beta=0.0, seed=42, sparsity=None,
           self_influence=0.0, normalize=True, standardize=True, propagate="out",
           features=None, property_ratio=0.0):
    """FastRP embedding of graph g: an (n, dim) float32 array (numpy if
    available, else a list of rows), row i = node i. weights are the
    weights of the powers A, A^2, ...; sparsity None means sqrt(n);
    propagate "out", "in" or "both"; features a file of `node feature
    value` lines (node ids as in g's file) given property_ratio of the
    dimensions."""
    handle = handle_of(g)
    opt = _types.grl_fastrp_options()
    _options_init(ctypes.byref(opt))
    weights = _args.sequence("weights", weights)
    most = _types.CONSTANTS["GRL_FASTRP_MAX_ITERATIONS"]
    if not 1 <= len(weights) <= most:
        raise _args.GrlValueError(f"FastRP takes 1 to {most} iteration weights, got "
                                  f"{len(weights)}")
    opt.dim = _args.integer("dim", dim, 1)
    _args.size("the embedding (n x dim)", g.num_nodes, opt.dim, itemsize=4)
    opt.iterations = len(weights)
    for i, w in enumerate(weights):
        opt.weights[i] = _args.real(f"weights[{i}]", w)
    opt.beta = _args.real("beta", beta)
    opt.seed = _args.seed(seed)
    opt.sparsity = 0.0 if sparsity is None else _args.real("sparsity", sparsity)
    opt.self_influence = _args.real("self_influence", self_influence)
    opt.normalize = _args.flag("normalize", normalize)
    opt.standardize = _args.flag("standardize", standardize)
    opt.direction = _enums.value("propagation", propagate, "propagate")
    opt.property_ratio = _args.real("property_ratio", property_ratio)
    feats = _vp()
    if features is not None:
        name, buf = _args.path("features", features), msg()
        check(_features_load(ctypes.byref(feats), handle, name, buf), buf)
    opt.features = feats
    out, buf = _DenseP(), msg()
    try:
        check(_fastrp(ctypes.byref(out), handle, ctypes.byref(opt), buf), buf)
    finally:
        if feats.value:
            _matrix_free(ctypes.byref(feats))
    return _dense.to_python(out)


def save_npy(matrix, path):
    """Write a 2-d matrix (numpy array or list of rows) as a float32 .npy."""
    name = _args.path("path", path)
    d = _dense.from_python("matrix", matrix)
    try:
        buf = msg()
        check(_save_npy(d, name, buf), buf)
    finally:
        _dense.dense_free(ctypes.byref(d))


def load_npy(path):
    """A 2-d float32 (or float64, converted) .npy file as a float32 matrix."""
    name, out, buf = _args.path("path", path), _DenseP(), msg()
    check(_load_npy(ctypes.byref(out), name, buf), buf)
    return _dense.to_python(out)
