"""Loading libgrl and calling it.

The library is the first of: $GRL_LIBRARY (an error if it does not load);
the path `make install` wrote into _libpath.py beside this package; the
build tree of the source tree this package sits in (build/libgrl.so); the
system's library path. The loaded library must have the version the
installed package was made with (_libpath.VERSION) and the struct layouts
and constants this shim mirrors (_abi.py); anything else is refused with a
GrlError saying what differs.
"""
import ctypes
import ctypes.util
import os
import warnings

from grl import _abi, _types
from grl._args import GrlError, GrlWarning

try:
    from grl import _libpath  # written by `make install`
except ImportError:
    _libpath = None


def _candidates():
    if _libpath is not None:
        yield _libpath.LIBRARY
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, "..", "..", "build", "libgrl.so")
    found = ctypes.util.find_library("grl")
    if found:
        yield found


def _load():
    chosen = os.environ.get("GRL_LIBRARY")
    if chosen:
        try:
            return ctypes.CDLL(chosen), chosen
        except OSError as err:
            raise ImportError(f"GRL_LIBRARY={chosen} does not load: {err}") from None
    tried = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as err:
            tried.append(str(err))
    raise ImportError("libgrl not found (tried: " + "; ".join(tried) + "): build it with "
                      "`make build`, install it with `make install`, or set GRL_LIBRARY")


lib, path = _load()
_abi.check(lib, path, _types.STRUCTS, _types.CONSTANTS)
lib.grl_version.restype = ctypes.c_char_p
lib.grl_version.argtypes = []
version = lib.grl_version().decode()
if _libpath is not None and _libpath.VERSION != version:
    raise GrlError(_types.UNSUPPORTED, f"the grl library at {path} is version {version}, "
                   f"this Python package {_libpath.VERSION}; reinstall them together "
                   f"(make install)")


def declare(name, restype, *argtypes):
    """The library function `name` with its C signature, on a fresh function
    object (lib[name], not the cached lib.name): no module can change the
    argtypes another module declared for the same function."""
    fn = lib[name]
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


def msg():
    """A message buffer for the trailing char *msg argument."""
    return ctypes.create_string_buffer(_types.MSG_LEN)


def check(status, buf):
    """Raise GrlError for an error status; warn (GrlWarning) for a warning."""
    text = buf.value.decode(errors="replace")
    if status < 0:
        raise GrlError(status, text or f"grl error {status}")
    if status > 0:
        warnings.warn(text or f"grl warning {status}", GrlWarning, stacklevel=3)
    return status
