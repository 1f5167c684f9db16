"""grl — graph learning on SuiteSparse:GraphBLAS: a ctypes shim over libgrl.

Nodes are indices. Every function takes and returns node indices 0..n-1
(walks, PPR sources and results, link-prediction pairs, partitions,
embedding rows); g.ids[i] or g.id_of(i) is the id node i had in its file,
g.index_of(id) the index of a file's id.

Results are numpy arrays when numpy is importable (2-d where the result is
a matrix), plain lists otherwise (lists of rows for matrices). Graph,
PprIndex and Labels own C objects: close() frees one, `with` closes it, and
any use after close raises GrlError. Method, format and policy names are
the library's (grl_<enum>_parse), case-insensitive.

Errors raise GrlError carrying the library's message; a warning (a result
that is usable but did not converge) is a GrlWarning through the warnings
module. Arguments are checked before they reach ctypes (_args.py): a wrong
type raises GrlTypeError, a value out of range or an unknown name
GrlValueError; both are GrlErrors and TypeError / ValueError too.

The library is $GRL_LIBRARY, else the one `make install` installed with
this package, else build/libgrl.so of the source tree, else the system's;
it must match this package's struct layouts (checked at import) and, when
installed, its version. __version__ is the library's (grl_version()).
"""
import ctypes

from grl import _args, _lib
from grl._args import GrlError, GrlTypeError, GrlValueError, GrlWarning
from grl._lib import check as _check, declare as _declare, msg as _msg
from grl.graph import Graph
from grl.embed import fastrp, load_npy, save_npy
from grl.nodeclf import Labels, nodeclf_evaluate, nodeclf_f1_scores
from grl.linkpred import (LINKPRED_METHODS, EdgeSplit, edge_split, linkpred_concentration,
                          linkpred_evaluate, linkpred_hits, linkpred_negatives,
                          linkpred_score, linkpred_topk)
from grl.walks import Walker, walks
from grl.ppr import PPR_METHODS, PprIndex, ppr

__version__ = _lib.version

__all__ = ["Graph", "GrlError", "GrlTypeError", "GrlValueError", "GrlWarning", "Labels",
           "PprIndex", "EdgeSplit", "LINKPRED_METHODS", "PPR_METHODS", "edge_split", "fastrp",
           "get_threads", "linkpred_concentration", "linkpred_evaluate",
           "linkpred_hits", "linkpred_negatives", "linkpred_score", "linkpred_topk", "load_npy",
           "nodeclf_evaluate", "nodeclf_f1_scores", "ppr", "save_npy", "set_threads",
           "Walker", "walks", "__version__"]

_threads_set = _declare("grl_threads_set", ctypes.c_int, ctypes.c_int, ctypes.c_char_p)
_threads_get = _declare("grl_threads_get", ctypes.c_int)


def set_threads(n):
    """Threads for OpenMP, GraphBLAS and OpenBLAS (results never depend on it)."""
    n = _args.int32("n", n, 1)
    buf = _msg()
    _check(_threads_set(n, buf), buf)


def get_threads():
    return _threads_get()
