"""grl_dense (row-major float32 matrices) to and from Python: numpy arrays
when numpy is importable, lists of row lists otherwise."""
import ctypes
import math

from grl import _args, _results, _types
from grl._lib import check, declare, msg

_DenseP = ctypes.POINTER(_types.grl_dense)
dense_free = declare("grl_dense_free", None, ctypes.POINTER(_DenseP))
_dense_new = declare("grl_dense_new", ctypes.c_int, ctypes.POINTER(_DenseP), ctypes.c_int64,
                     ctypes.c_int64, ctypes.c_char_p)


def to_python(ptr):
    """The matrix *ptr (a grl_dense *) copied out; ptr is freed."""
    try:
        d = ptr.contents
        return _results.matrix(ctypes.c_float, d.data, d.rows, d.cols)
    finally:
        dense_free(ctypes.byref(ptr))


def from_python(name, values):
    """A new grl_dense * holding `values` (a 2-d real numpy array or a
    sequence of equal-length rows of finite numbers); free with dense_free."""
    np = _results.np
    if np is not None and isinstance(values, np.ndarray):
        if values.ndim != 2 or values.dtype.kind not in "iuf":
            raise _args.GrlValueError(f"{name} must be a 2-d array of real numbers, got "
                                      f"shape {values.shape} of {values.dtype}")
        flat = np.ascontiguousarray(values, dtype=np.float32)
        rows, cols = flat.shape
        if not np.isfinite(flat).all():
            raise _args.GrlValueError(f"{name} must hold finite float32 values")
    else:
        rows_list = [_args.sequence(f"{name}[{i}]", r)
                     for i, r in enumerate(_args.sequence(name, values))]
        rows, cols = len(rows_list), len(rows_list[0]) if rows_list else 0
        flat = []
        for i, r in enumerate(rows_list):
            if len(r) != cols:
                raise _args.GrlValueError(f"{name}[{i}] has {len(r)} values, row 0 {cols}")
            flat += [_args.real(f"{name}[{i}][{j}]", v) for j, v in enumerate(r)]
        flat = (ctypes.c_float * max(len(flat), 1))(*flat)
        if not all(math.isfinite(v) for v in flat[:rows * cols]):
            raise _args.GrlValueError(f"{name} must hold finite float32 values")
    ptr, buf = _DenseP(), msg()
    check(_dense_new(ctypes.byref(ptr), rows, cols, buf), buf)
    if rows * cols:
        ctypes.memmove(ptr.contents.data, (ctypes.c_float * (rows * cols)).from_buffer(flat),
                       4 * rows * cols)
    return ptr
