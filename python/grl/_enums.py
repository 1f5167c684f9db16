"""Names of grl's enums, from the library: grl_<enum>_parse and
grl_<enum>_name (the only spelling of every name; the CLI uses them too).
kind is the enum's name without grl_: "format", "id_kind",
"self_loop_policy", "duplicate_policy", "propagation", "ppr_method",
"dangling_policy", "linkpred_method", "linkpred_pattern", "missing_policy"."""
import ctypes

from grl import _args
from grl._lib import declare, msg
from grl._args import GrlValueError


def value(kind, name, param):
    """The value of `name` (a str, case-insensitive) in enum grl_<kind>; an
    unknown name is a GrlValueError with the library's list of names."""
    parse = declare(f"grl_{kind}_parse", ctypes.c_int, ctypes.c_char_p,
                    ctypes.POINTER(ctypes.c_int), ctypes.c_char_p)
    out, buf = ctypes.c_int(), msg()
    if parse(_args.text(param, name), ctypes.byref(out), buf) < 0:
        raise GrlValueError(f"{param}: {buf.value.decode(errors='replace')}")
    return out.value


def name(kind, v):
    """The name of value v of enum grl_<kind> (None if it has none)."""
    name_of = declare(f"grl_{kind}_name", ctypes.c_char_p, ctypes.c_int)
    raw = name_of(v)
    return None if raw is None else raw.decode()


def names(kind):
    """Every name of enum grl_<kind>, in value order."""
    result = []
    while name(kind, len(result)) is not None:
        result.append(name(kind, len(result)))
    return tuple(result)
