"""Objects that own a C handle (Graph, PprIndex, Labels): close() frees it
(idempotent), `with` closes on exit, and any use after close raises
GrlError."""
import ctypes

from grl import _args


class Handle:
    _what = "object"   # as users name it in messages
    _free = None       # the library's grl_<noun>_free(&h)

    def __init__(self, *args, **kwargs):
        raise _args.GrlTypeError(f"create a grl.{type(self).__name__} with one of its "
                                 f"class methods ({self._makers})")

    @classmethod
    def _adopt(cls, handle):
        """Wrap a handle the library just returned (owned from now on)."""
        obj = object.__new__(cls)
        obj._h = ctypes.c_void_p(handle)
        return obj

    @property
    def _handle(self):
        return _args.handle(self, "_h", self._what)

    @property
    def closed(self):
        h = getattr(self, "_h", None)
        return h is None or not h.value

    def close(self):
        """Free the C object now (idempotent); any later use raises GrlError."""
        h = getattr(self, "_h", None)
        if h is not None and h.value:
            type(self)._free(ctypes.byref(h))

    def __del__(self):
        self.close()

    def __enter__(self):
        self._handle  # refuse a closed object here already
        return self

    def __exit__(self, *exc):
        self.close()
