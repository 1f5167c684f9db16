"""The ABI check: the shim's ctypes structs and constants (_types.py) against
the layout the loaded library reports (grl_abi_layout, grl_abi_constant in
grl/core.h). A library built from other headers would read every options
struct wrongly, silently; it is refused at import with what differs."""
import ctypes

from grl._args import GrlError
from grl._types import UNSUPPORTED


def _differences(lib, structs, constants):
    layout, constant = lib.grl_abi_layout, lib.grl_abi_constant
    layout.restype = constant.restype = ctypes.c_int
    i64p = ctypes.POINTER(ctypes.c_int64)
    layout.argtypes = [ctypes.c_char_p, ctypes.c_char_p, i64p, i64p, ctypes.c_char_p]
    constant.argtypes = [ctypes.c_char_p, i64p, ctypes.c_char_p]
    off, size = ctypes.c_int64(), ctypes.c_int64()

    def where(struct, field=None):
        status = layout(struct.encode(), field and field.encode(), ctypes.byref(off),
                        ctypes.byref(size), None)
        return None if status else (off.value, size.value)

    for cls in structs:
        name = cls.__name__
        there = where(name)
        if there is None:
            yield f"{name} does not exist there"
            continue
        if there[1] != ctypes.sizeof(cls):
            yield f"{name} is {there[1]} bytes there, {ctypes.sizeof(cls)} here"
        for field, *_ in cls._fields_:
            f = getattr(cls, field)
            there = where(name, field)
            if there is None:
                yield f"{name}.{field} does not exist there"
            elif there != (f.offset, f.size):
                yield (f"{name}.{field} is at byte {there[0]} ({there[1]} bytes) there, "
                       f"{f.offset} ({f.size} bytes) here")
    value = ctypes.c_int64()
    for name, want in constants.items():
        if constant(name.encode(), ctypes.byref(value), None):
            yield f"{name} does not exist there"
        elif value.value != want:
            yield f"{name} is {value.value} there, {want} here"


def check(lib, path, structs, constants):
    """Raise GrlError naming what differs between the shim and the library
    at path (a ctypes.CDLL)."""
    if not hasattr(lib, "grl_abi_layout"):
        problems = ["it has no grl_abi_layout (it is older than this package)"]
    else:
        problems = list(_differences(lib, structs, constants))
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise GrlError(UNSUPPORTED, f"the grl library at {path} has a different ABI: "
                       f"{'; '.join(problems[:3])}{more}; reinstall the library and this "
                       f"Python package together (make install), or set GRL_LIBRARY to "
                       f"the libgrl.so built with them")
