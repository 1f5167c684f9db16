"""grl — graph learning on SuiteSparse:GraphBLAS: a thin ctypes shim over libgrl.

The library is found through the GRL_LIBRARY environment variable, then the
build tree next to this package (build/libgrl.so), then the system's library
path. Results are numpy arrays when numpy is importable, memoryviews
otherwise. Errors raise GrlError carrying the library's message. Arguments
are checked before they reach ctypes (python/grl/_args.py): a wrong type
raises GrlTypeError, a value out of range or an unknown name GrlValueError;
both are GrlErrors and TypeError / ValueError too. A closed Graph or PprIndex
raises GrlError on any use.
"""
import ctypes
import ctypes.util
import os

from grl import _args
from grl._args import GrlError, GrlTypeError, GrlValueError

__all__ = ["Graph", "GrlError", "GrlTypeError", "GrlValueError", "fastrp",
           "linkpred_score", "linkpred_topk", "ppr", "walks", "PprIndex"]

MSG_LEN = 256


def _find_library():
    candidates = []
    if os.environ.get("GRL_LIBRARY"):
        candidates.append(os.environ["GRL_LIBRARY"])
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.append(os.path.join(here, "..", "..", "build", "libgrl.so"))
    found = ctypes.util.find_library("grl")
    if found:
        candidates.append(found)
    for path in candidates:
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    raise ImportError("libgrl not found: build it with `make build` or set GRL_LIBRARY")


_lib = _find_library()

try:
    import numpy as _np
except ImportError:  # numpy is optional
    _np = None


class _LoadOptions(ctypes.Structure):
    # mirrors grl_load_options in include/grl/graph.h
    _fields_ = [
        ("format", ctypes.c_int),
        ("directed", ctypes.c_int),
        ("ids", ctypes.c_int),
        ("self_loops", ctypes.c_int),
        ("duplicates", ctypes.c_int),
        ("ignore_weights", ctypes.c_bool),
        ("allow_nonpositive_weights", ctypes.c_bool),
        ("header", ctypes.c_int),
        ("nodes_path", ctypes.c_char_p),
        ("num_nodes", ctypes.c_int64),
    ]


class _PartitionInfo(ctypes.Structure):
    _fields_ = [
        ("edge_cut", ctypes.c_int64),
        ("balance", ctypes.c_double),
        ("boundary_nodes", ctypes.c_int64),
    ]


class _FastrpOptions(ctypes.Structure):
    # mirrors grl_fastrp_options in include/grl/embed.h
    _fields_ = [
        ("dim", ctypes.c_int64),
        ("iterations", ctypes.c_int),
        ("weights", ctypes.c_double * 16),
        ("beta", ctypes.c_double),
        ("sparsity", ctypes.c_double),
        ("self_influence", ctypes.c_double),
        ("normalize", ctypes.c_bool),
        ("standardize", ctypes.c_bool),
        ("direction", ctypes.c_int),
        ("seed", ctypes.c_uint64),
        ("features", ctypes.c_void_p),
        ("property_ratio", ctypes.c_double),
    ]


class _Dense(ctypes.Structure):
    _fields_ = [("rows", ctypes.c_int64), ("cols", ctypes.c_int64),
                ("data", ctypes.POINTER(ctypes.c_float))]


_graph_p = ctypes.c_void_p
_FORMATS = {None: 0, "edgelist": 1, "csv": 2, "mtx": 3, "grl": 4,
            "graphml": 5, "gml": 6, "pajek": 7}


def _declare(name, restype, *argtypes):
    fn = getattr(_lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


_load_options_init = _declare("grl_load_options_init", None, ctypes.POINTER(_LoadOptions))
_graph_load = _declare("grl_graph_load", ctypes.c_int, ctypes.POINTER(_graph_p),
                       ctypes.c_char_p, ctypes.POINTER(_LoadOptions), ctypes.c_char_p)
_graph_save = _declare("grl_graph_save", ctypes.c_int, _graph_p, ctypes.c_char_p,
                       ctypes.c_int, ctypes.c_char_p)
_graph_free = _declare("grl_graph_free", None, ctypes.POINTER(_graph_p))
_num_nodes = _declare("grl_graph_num_nodes", ctypes.c_int64, _graph_p)
_num_edges = _declare("grl_graph_num_edges", ctypes.c_int64, _graph_p)
_num_arcs = _declare("grl_graph_num_arcs", ctypes.c_int64, _graph_p)
_is_directed = _declare("grl_graph_is_directed", ctypes.c_bool, _graph_p)
_is_weighted = _declare("grl_graph_is_weighted", ctypes.c_bool, _graph_p)
_degree = _declare("grl_graph_degree", ctypes.c_int, _graph_p, ctypes.c_int, ctypes.c_bool,
                   ctypes.POINTER(ctypes.POINTER(ctypes.c_double)), ctypes.c_char_p)
class _PartitionOptions(ctypes.Structure):
    _fields_ = [("seed", ctypes.c_uint64), ("imbalance", ctypes.c_double)]


_partition = _declare("grl_partition_compute", ctypes.c_int, _graph_p, ctypes.c_int64,
                      ctypes.POINTER(_PartitionOptions), ctypes.POINTER(ctypes.c_int64),
                      ctypes.POINTER(_PartitionInfo), ctypes.c_char_p)
_node_id = _declare("grl_graph_node_id", ctypes.c_int, _graph_p, ctypes.c_int64,
                    ctypes.c_char_p, ctypes.c_size_t)
_node_index = _declare("grl_graph_node_index", ctypes.c_int, _graph_p, ctypes.c_char_p,
                       ctypes.POINTER(ctypes.c_int64), ctypes.c_char_p)


_fastrp_options_init = _declare("grl_fastrp_options_init", None,
                                ctypes.POINTER(_FastrpOptions))
_fastrp = _declare("grl_fastrp_embed", ctypes.c_int, ctypes.POINTER(ctypes.POINTER(_Dense)),
                   _graph_p, ctypes.POINTER(_FastrpOptions), ctypes.c_char_p)
_dense_free = _declare("grl_dense_free", None, ctypes.POINTER(ctypes.POINTER(_Dense)))


def _check(status, msg):
    if status < 0:
        raise GrlError(status, msg.value.decode(errors="replace") or f"grl error {status}")


def _array(ctype_array, typecode):
    """A numpy copy if numpy is there, else a memoryview of the ctypes array."""
    if _np is not None:
        return _np.ctypeslib.as_array(ctype_array).copy()
    return memoryview(ctype_array).cast("B").cast(typecode)


class Graph:
    """A graph loaded by grl. Nodes are indices 0..n-1; node_id(i) gives the
    id the file used and index(id) the reverse. Create one with Graph.load;
    after close() (or `with Graph.load(...) as g:`) every use raises GrlError."""

    def __init__(self, *args, **kwargs):
        raise GrlTypeError("create a grl.Graph with grl.Graph.load(path)")

    @classmethod
    def _adopt(cls, handle):
        """Wrap a handle the library just returned (owned from now on)."""
        g = object.__new__(cls)
        g._g = _graph_p(handle)
        return g

    @property
    def _handle(self):
        return _args.handle(self, "_g", "graph")

    @classmethod
    def load(cls, path, directed=None, string_ids=False, self_loops="keep",
             duplicates="merge", ignore_weights=False, format=None):
        """Load an edge list, CSV, Matrix Market, .grl, GraphML, GML or Pajek
        file. directed=None takes the format's default (undirected for edge
        lists)."""
        opt = _LoadOptions()
        _load_options_init(ctypes.byref(opt))
        opt.format = _args.choice("format", format, _FORMATS)
        opt.directed = -1 if directed is None else int(_args.flag("directed", directed))
        opt.ids = int(_args.flag("string_ids", string_ids))
        opt.self_loops = _args.choice("self_loops", self_loops, {"keep": 0, "drop": 1})
        opt.duplicates = _args.choice("duplicates", duplicates, {"merge": 0, "sum": 1})
        opt.ignore_weights = _args.flag("ignore_weights", ignore_weights)
        name = _args.path("path", path)
        handle = _graph_p()
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_graph_load(ctypes.byref(handle), name, ctypes.byref(opt), msg), msg)
        return cls._adopt(handle.value)

    def save(self, path, format=None):
        """Write the graph; the format follows the extension unless given."""
        fmt = _args.choice("format", format, _FORMATS)
        name = _args.path("path", path)
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_graph_save(self._handle, name, fmt, msg), msg)

    @property
    def closed(self):
        g = getattr(self, "_g", None)
        return g is None or not g.value

    def close(self):
        """Free the graph now (idempotent); any later use raises GrlError."""
        g = getattr(self, "_g", None)
        if g is not None and g.value:
            _graph_free(ctypes.byref(g))

    def __del__(self):
        self.close()

    def __enter__(self):
        self._handle  # refuse a closed graph here already
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def num_nodes(self):
        return _num_nodes(self._handle)

    @property
    def num_edges(self):
        """Arcs if directed, undirected edges (self-loops included) otherwise."""
        return _num_edges(self._handle)

    @property
    def num_arcs(self):
        return _num_arcs(self._handle)

    @property
    def directed(self):
        return _is_directed(self._handle)

    @property
    def weighted(self):
        return _is_weighted(self._handle)

    def _degree(self, direction, weighted):
        weighted = _args.flag("weighted", weighted)
        ptr = ctypes.POINTER(ctypes.c_double)()
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_degree(self._handle, direction, weighted, ctypes.byref(ptr), msg), msg)
        n = self.num_nodes
        values = (ctypes.c_double * n)()
        ctypes.memmove(values, ptr, 8 * n)
        return _array(values, "d")

    def out_degree(self, weighted=False):
        """Out-arcs per node (weight sums if weighted)."""
        return self._degree(0, weighted)

    def in_degree(self, weighted=False):
        """In-arcs per node (weight sums if weighted)."""
        return self._degree(1, weighted)

    def partition(self, k, seed=1, info=False):
        """METIS k-way parts, one per node (0..k-1); with info=True also a dict
        of edge_cut, balance and boundary_nodes."""
        g = self._handle
        k = _args.integer("k", k, 1)
        seed = _args.seed(seed)
        info = _args.flag("info", info)
        n = self.num_nodes
        parts = _args.alloc(ctypes.c_int64, n)
        stats = _PartitionInfo()
        msg = ctypes.create_string_buffer(MSG_LEN)
        opt = _PartitionOptions(seed, 0.03)
        _check(_partition(g, k, ctypes.byref(opt), parts, ctypes.byref(stats), msg), msg)
        result = _array((ctypes.c_int64 * n).from_buffer(parts), "q")
        if info:
            return result, {"edge_cut": stats.edge_cut, "balance": stats.balance,
                            "boundary_nodes": stats.boundary_nodes}
        return result

    def node_id(self, i):
        """The id node i had in its file, as a string (whole, whatever its
        length). An index outside 0..n-1 raises GrlValueError (an IndexError
        too)."""
        g = self._handle
        i = _args.integer("node index", i, -_args.INT64_MAX - 1)
        length = 256
        while True:
            buf = ctypes.create_string_buffer(length)
            full = _node_id(g, i, buf, length)
            if full < 0:
                raise _NodeIndexError(f"node index {i} out of range 0..{self.num_nodes - 1}")
            if full < length:
                return _args.decode(buf.value)
            length = full + 1

    def index(self, node_id):
        """The index of the node named node_id (str or int)."""
        return self._index(node_id, "node id")

    def _index(self, node_id, name):
        key = _args.node_key(name, node_id)
        idx = ctypes.c_int64()
        msg = ctypes.create_string_buffer(MSG_LEN)
        _check(_node_index(self._handle, key, ctypes.byref(idx), msg), msg)
        return idx.value


class _NodeIndexError(GrlValueError, IndexError):
    """A node index outside 0..n-1 (an IndexError, as it always was)."""

    __module__ = "grl"


def _graph(g):
    """The open handle of graph argument g."""
    return _args.instance("g", g, Graph)._handle


def fastrp(g, dim=128, weights=(0.0, 1.0, 1.0), beta=0.0, seed=42, sparsity=None,
           self_influence=0.0, normalize=True, standardize=True, propagate="out"):
    """FastRP node embeddings of graph g: an (n, dim) float32 array (numpy if
    available, else a list of memoryview rows), row i = node i. weights are
    the weights of the powers A, A^2, ...; sparsity None means sqrt(n)."""
    handle = _graph(g)
    opt = _FastrpOptions()
    _fastrp_options_init(ctypes.byref(opt))
    weights = _args.sequence("weights", weights)
    if not 1 <= len(weights) <= 16:
        raise GrlValueError(f"FastRP takes 1 to 16 iteration weights, got {len(weights)}")
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
    opt.direction = _args.choice("propagate", propagate, {"out": 0, "in": 1, "both": 2})
    out = ctypes.POINTER(_Dense)()
    msg = ctypes.create_string_buffer(MSG_LEN)
    _check(_fastrp(ctypes.byref(out), handle, ctypes.byref(opt), msg), msg)
    try:
        rows, cols = out.contents.rows, out.contents.cols
        values = (ctypes.c_float * (rows * cols))()
        ctypes.memmove(values, out.contents.data, 4 * rows * cols)
    finally:
        _dense_free(ctypes.byref(out))
    _args.finite("the FastRP embedding", values, "beta, weights or self_influence")
    if _np is not None:
        return _np.ctypeslib.as_array(values).reshape(rows, cols)
    flat = memoryview(values).cast("B").cast("f")
    return [flat[i * cols:(i + 1) * cols] for i in range(rows)]


# modules that use the helpers above (imported last on purpose)
from grl.linkpred import linkpred_score, linkpred_topk  # noqa: E402
from grl.walks import ppr, walks, PprIndex  # noqa: E402
