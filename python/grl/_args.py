"""Argument checks for the shim: every value is checked here before it reaches
ctypes, because ctypes converts silently (an int is truncated to the C type's
width, any object is truthy for a bool, a str with a NUL byte is cut there).

A wrong type raises GrlTypeError (a TypeError), a value out of range or not
among the valid names GrlValueError (a ValueError); both are GrlErrors too,
so `except grl.GrlError` catches every refused argument as well as the
library's own errors. Messages name the parameter and the valid range or
names. The checks are only the C types' ranges and what the shim needs;
finer rules (alpha in (0, 1), k <= n, ...) are the library's, whose message
names them.
"""
import ctypes
import math
import numbers
import operator
import os

try:
    import numpy as _np
except ImportError:  # numpy is optional
    _np = None

from grl._types import INVALID_ARGUMENT, OUT_OF_MEMORY

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1
_CTYPES = {INT32_MAX: "int32", INT64_MAX: "int64", UINT64_MAX: "uint64"}


class GrlError(Exception):
    """A grl call failed; str(err) is the library's message, err.code its status."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class GrlValueError(GrlError, ValueError):
    """An argument out of range, or not one of the valid names."""

    def __init__(self, message):
        super().__init__(INVALID_ARGUMENT, message)


class GrlTypeError(GrlError, TypeError):
    """An argument of the wrong type."""

    def __init__(self, message):
        super().__init__(INVALID_ARGUMENT, message)


class GrlWarning(UserWarning):
    """A call succeeded with a warning (GRL_NOT_CONVERGED): the result is
    complete and usable; the message says what to check."""


for _cls in (GrlError, GrlValueError, GrlTypeError, GrlWarning):
    _cls.__module__ = "grl"  # users see and catch them as grl.GrlError, ...


def _is_bool(value):
    return isinstance(value, bool) or (_np is not None and isinstance(value, _np.bool_))


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def integer(name, value, lo=0, hi=INT64_MAX):
    """value as a Python int in lo..hi (the C type's range by default int64
    and non-negative); bools and floats are refused, numpy integers taken."""
    if _is_bool(value):
        raise GrlTypeError(f"{name} must be an integer, got the bool {value}")
    try:
        result = operator.index(value)
    except TypeError:
        raise GrlTypeError(f"{name} must be an integer, got {type(value).__name__} "
                           f"{_describe(value)}") from None
    if not lo <= result <= hi:
        ctype = _CTYPES.get(hi)
        if ctype and lo > -hi:  # a lower bound and the C type's maximum
            bound = f">= {lo} that fits in {ctype}"
        else:
            bound = f"in {lo}..{hi}"
        raise GrlValueError(f"{name} must be an integer {bound}, got {result}")
    return result


def int32(name, value, lo=0):
    return integer(name, value, lo, INT32_MAX)


def seed(value, name="seed"):
    return integer(name, value, 0, UINT64_MAX)


def real(name, value):
    """value as a finite float; NaN, infinities, bools and non-numbers refused."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise GrlTypeError(f"{name} must be a real number, got {type(value).__name__} "
                           f"{_describe(value)}")
    try:
        result = float(value)
    except OverflowError:
        result = math.inf
    if not math.isfinite(result):
        raise GrlValueError(f"{name} must be a finite number, got {_describe(value)}")
    return result


def flag(name, value):
    """value as a bool: only True or False (a str such as "no" is truthy)."""
    if not _is_bool(value):
        raise GrlTypeError(f"{name} must be True or False, got {type(value).__name__} "
                           f"{_describe(value)}")
    return bool(value)


def text(name, value):
    """value (a str) encoded for a char * argument; a NUL would cut it short.
    Bytes that are not UTF-8 come back as the surrogates node_id gave them."""
    if not isinstance(value, str):
        raise GrlTypeError(f"{name} must be a str, got {type(value).__name__} "
                           f"{_describe(value)}")
    if "\0" in value:
        raise GrlValueError(f"{name} must not contain a NUL character: {_describe(value)}")
    try:
        return value.encode(errors="surrogateescape")
    except UnicodeEncodeError as err:
        raise GrlValueError(f"{name} cannot be encoded: {err}") from None


def decode(raw):
    """Text the library wrote (UTF-8, undecodable bytes kept as surrogates so
    that text() gives back the same bytes)."""
    return raw.decode(errors="surrogateescape")


def path(name, value):
    """A str, bytes or os.PathLike file name as bytes for a char * argument."""
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise GrlTypeError(f"{name} must be a path (str, bytes or os.PathLike), got "
                           f"{type(value).__name__} {_describe(value)}")
    result = os.fsencode(value)
    if not result:
        raise GrlValueError(f"{name} must not be empty")
    if b"\0" in result:
        raise GrlValueError(f"{name} must not contain a NUL byte: {_describe(value)}")
    return result


def node_key(name, value):
    """A node id as a file writes it (str, or an int) encoded for the library."""
    if _is_bool(value) or not isinstance(value, (str, numbers.Integral)):
        raise GrlTypeError(f"{name} must be a str or an int, got {type(value).__name__} "
                           f"{_describe(value)}")
    return text(name, value if isinstance(value, str) else str(operator.index(value)))


def size(name, *factors, itemsize=1):
    """The product of the factors, refused if the bytes it stands for could not
    be addressed (the C side multiplies them into an allocation size)."""
    total = itemsize
    for f in factors:
        total *= f
    if total > INT64_MAX:
        unit = f" entries of {itemsize} bytes" if itemsize > 1 else ""
        raise GrlValueError(f"{name} is too large: {' x '.join(map(str, factors))}"
                            f"{unit} overflows a 64-bit size")
    return total // itemsize


def alloc(ctype, count):
    """A zeroed ctypes array of count (at least one) ctype values for the
    library to fill; GrlError, not MemoryError, if it cannot be had."""
    try:
        return (ctype * max(count, 1))()
    except (MemoryError, OverflowError):
        raise GrlError(OUT_OF_MEMORY, f"out of memory allocating {count} values of "
                       f"{ctypes.sizeof(ctype)} bytes") from None


def sequence(name, values):
    """values (any iterable but a str, bytes or dict) as a list."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
        raise GrlTypeError(f"{name} must be a sequence, got {type(values).__name__} "
                           f"{_describe(values)}")
    return list(values)


def _numpy_int64(name, array):
    """An integer numpy array as a contiguous int64 copy (range-checked)."""
    kind = array.dtype.kind
    if kind == "O":
        return None  # element by element, like a list
    if kind not in "iu":
        raise GrlTypeError(f"{name} must hold integers, got a numpy array of {array.dtype}")
    if kind == "u" and array.size and int(array.max()) > INT64_MAX:
        raise GrlValueError(f"{name} holds {int(array.max())}, beyond int64")
    return _np.array(array, dtype=_np.int64, order="C")  # a copy we own


def _carray(values):
    """A ctypes int64 array (at least one slot) over a list or int64 numpy array."""
    n = len(values)
    if n and _np is not None and isinstance(values, _np.ndarray):
        return (ctypes.c_int64 * n).from_buffer(values)  # keeps the array alive
    return (ctypes.c_int64 * max(n, 1))(*values)


def int64_array(name, values):
    """A sequence (or 1-d integer numpy array) of int64 values as a pair
    (ctypes array, length); the array has at least one slot."""
    if _np is not None and isinstance(values, _np.ndarray):
        if values.ndim != 1:
            raise GrlValueError(f"{name} must be a 1-d array, got shape {values.shape}")
        converted = _numpy_int64(name, values)
        if converted is not None:
            return _carray(converted), len(converted)
    items = sequence(name, values)
    checked = [integer(f"{name}[{i}]", v, -INT64_MAX - 1) for i, v in enumerate(items)]
    return _carray(checked), len(checked)


def float64_array(name, values):
    """A sequence (or 1-d real numpy array) of finite floats as a pair
    (ctypes double array with at least one slot, length)."""
    if _np is not None and isinstance(values, _np.ndarray):
        if values.ndim != 1:
            raise GrlValueError(f"{name} must be a 1-d array, got shape {values.shape}")
        if values.dtype.kind not in "iuf":
            raise GrlTypeError(f"{name} must hold real numbers, got a numpy array of "
                               f"{values.dtype}")
        converted = _np.array(values, dtype=_np.float64, order="C")  # a copy we own
        if not _np.isfinite(converted).all():
            raise GrlValueError(f"{name} must hold finite numbers (NaN or Inf found)")
        if len(converted):
            return (ctypes.c_double * len(converted)).from_buffer(converted), len(converted)
        return (ctypes.c_double * 1)(), 0
    checked = [real(f"{name}[{i}]", v) for i, v in enumerate(sequence(name, values))]
    return (ctypes.c_double * max(len(checked), 1))(*checked), len(checked)


def pairs_arrays(name, pairs):
    """(u, v, m): ctypes int64 arrays of the first and second ends of m pairs
    given as an (m, 2) integer array or a sequence of 2-sequences."""
    if _np is not None and isinstance(pairs, _np.ndarray):
        if pairs.ndim != 2 or pairs.shape[1] != 2:
            raise GrlValueError(f"{name} must be an (m, 2) array of node indices, "
                                f"got shape {pairs.shape}")
        converted = _numpy_int64(name, pairs)
        if converted is not None:
            u = _np.ascontiguousarray(converted[:, 0])
            v = _np.ascontiguousarray(converted[:, 1])
            return _carray(u), _carray(v), len(u)
    items = sequence(name, pairs)
    us, vs = [], []
    for i, p in enumerate(items):
        p = sequence(f"{name}[{i}]", p)
        if len(p) != 2:
            raise GrlValueError(f"{name}[{i}] must be a pair (u, v) of node indices, "
                                f"got {len(p)} values")
        us.append(integer(f"{name}[{i}][0]", p[0], -INT64_MAX - 1))
        vs.append(integer(f"{name}[{i}][1]", p[1], -INT64_MAX - 1))
    return _carray(us), _carray(vs), len(us)


def finite(what, values, options):
    """Refuse a result (a ctypes array of floats) holding NaN or Inf: a
    result must never be silently wrong, whatever the library let through."""
    if _np is not None:
        ok = bool(_np.isfinite(_np.ctypeslib.as_array(values)).all()) if len(values) else True
    else:
        ok = all(map(math.isfinite, values))
    if not ok:
        raise GrlValueError(f"{what} came out with NaN or Inf values: {options} too large "
                            f"for floating point; use smaller values")


def instance(name, value, cls):
    """value, refused unless it is a cls."""
    if not isinstance(value, cls):
        raise GrlTypeError(f"{name} must be a grl.{cls.__name__}, got "
                           f"{type(value).__name__} {_describe(value)}")
    return value


def handle(obj, attr, what):
    """The open C handle obj.attr (a ctypes pointer); GrlError if closed or
    never opened (a failed constructor leaves no handle)."""
    h = getattr(obj, attr, None)
    if h is None or not h.value:
        raise GrlError(INVALID_ARGUMENT, f"this {what} is closed (close() was called, or "
                       f"it was never opened); load or build it again")
    return h
