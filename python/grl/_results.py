"""Results as numpy arrays when numpy is importable, plain lists otherwise.

Every array the library hands back is copied (the C memory is released
right after), so results own their data."""
import ctypes

try:
    import numpy as np
except ImportError:  # numpy is optional
    np = None

_TYPES = {ctypes.c_int64: "int64", ctypes.c_double: "float64", ctypes.c_float: "float32"}


def vector(ctype, ptr, count):
    """count values of ctype at ptr (a ctypes pointer or array) as a 1-d
    numpy array or a list."""
    if count == 0 or not ptr:
        return np.zeros(0, dtype=_TYPES[ctype]) if np is not None else []
    arr = ctypes.cast(ptr, ctypes.POINTER(ctype * count)).contents
    if np is not None:
        return np.ctypeslib.as_array(arr).copy()
    return list(arr)


def matrix(ctype, ptr, rows, cols):
    """rows x cols row-major values at ptr as a 2-d numpy array or a list of
    row lists."""
    flat = vector(ctype, ptr, rows * cols)
    if np is not None:
        return flat.reshape(rows, cols)
    return [flat[i * cols:(i + 1) * cols] for i in range(rows)]


def pairs(u, v, count):
    """count pairs (u[k], v[k]) as an (count, 2) int64 array or a list of
    (u, v) tuples."""
    a, b = vector(ctypes.c_int64, u, count), vector(ctypes.c_int64, v, count)
    if np is not None:
        return np.stack([a, b], axis=1) if count else np.zeros((0, 2), dtype=np.int64)
    return list(zip(a, b))


def largest(*arrays_and_lengths):
    """The largest value in ctypes int64 arrays given as (array, length, ...);
    -1 when all are empty."""
    best = -1
    for arr, n in zip(arrays_and_lengths[::2], arrays_and_lengths[1::2]):
        if n and np is not None:
            best = max(best, int(np.ctypeslib.as_array(arr)[:n].max()))
        elif n:
            best = max(best, max(arr[:n]))
    return best


def fields(struct):
    """A ctypes struct's fields as a dict."""
    return {name: getattr(struct, name) for name, *_ in struct._fields_}
