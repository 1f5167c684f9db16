"""grl.Graph: load, build, generate, save, summarise and partition graphs
(grl/graph.h). Nodes are indices 0..n-1; g.ids[i] (g.id_of(i)) is the id
node i had in its file and g.index_of(id) the reverse."""
import ctypes

from grl import _args, _enums, _results, _types
from grl._handle import Handle
from grl._lib import check, declare, msg

_i64p = ctypes.POINTER(ctypes.c_int64)
_f64p = ctypes.POINTER(ctypes.c_double)
_vp, _cp = ctypes.c_void_p, ctypes.c_char_p
_int, _i64, _u64, _bool = ctypes.c_int, ctypes.c_int64, ctypes.c_uint64, ctypes.c_bool
_LoadOpt = ctypes.POINTER(_types.grl_load_options)
_PartInfo = ctypes.POINTER(_types.grl_partition_info)

_load_options_init = declare("grl_load_options_init", None, _LoadOpt)
_graph_load = declare("grl_graph_load", _int, ctypes.POINTER(_vp), _cp, _LoadOpt, _cp)
_graph_save = declare("grl_graph_save", _int, _vp, _cp, _int, _cp)
_from_edges = declare("grl_graph_from_edges", _int, ctypes.POINTER(_vp), _i64, _i64p, _i64p,
                      _f64p, _i64, _bool, _LoadOpt, _cp)
_graph_free = declare("grl_graph_free", None, ctypes.POINTER(_vp))
_num_nodes = declare("grl_graph_num_nodes", _i64, _vp)
_num_edges = declare("grl_graph_num_edges", _i64, _vp)
_num_arcs = declare("grl_graph_num_arcs", _i64, _vp)
_is_directed = declare("grl_graph_is_directed", _bool, _vp)
_is_weighted = declare("grl_graph_is_weighted", _bool, _vp)
_id_kind = declare("grl_graph_id_kind", _types.c_enum, _vp)
_ids_are_indices = declare("grl_graph_ids_are_indices", _bool, _vp)
_degree = declare("grl_graph_degree", _int, _vp, _int, _bool, ctypes.POINTER(_f64p), _cp)
_node_id = declare("grl_graph_node_id", _int, _vp, _i64, _cp, ctypes.c_size_t)
_node_index = declare("grl_graph_node_index", _int, _vp, _cp, _i64p, _cp)
_summary = declare("grl_graph_summary", _int, _vp,
                   ctypes.POINTER(_types.grl_graph_info), _cp)
_components = declare("grl_graph_components", _int, _vp, _i64p, _i64p, _cp)
_partition_options_init = declare("grl_partition_options_init", None,
                                  ctypes.POINTER(_types.grl_partition_options))
_partition = declare("grl_partition_compute", _int, _vp, _i64,
                     ctypes.POINTER(_types.grl_partition_options), _i64p, _PartInfo, _cp)
_partition_evaluate = declare("grl_partition_evaluate", _int, _vp, _i64p, _i64, _PartInfo,
                              _cp)
_reorder = declare("grl_graph_reorder", _int, ctypes.POINTER(_vp), _vp, _i64p, _i64, _i64p,
                   _cp)
_halos = declare("grl_partition_halos", _int, ctypes.POINTER(_i64p), ctypes.POINTER(_i64p),
                 _vp, _i64p, _i64, _cp)
_free = declare("grl_free", None, _vp)
_erdos_renyi = declare("grl_graph_generate_erdos_renyi", _int, ctypes.POINTER(_vp), _i64,
                       _i64, _bool, _u64, _cp)
_barabasi_albert = declare("grl_graph_generate_barabasi_albert", _int, ctypes.POINTER(_vp),
                           _i64, _i64, _u64, _cp)
_sbm = declare("grl_graph_generate_sbm", _int, ctypes.POINTER(_vp), _i64, _i64p, _f64p,
               _bool, _u64, _cp)


def _load_options(self_loops, duplicates, allow_nonpositive_weights):
    opt = _types.grl_load_options()
    _load_options_init(ctypes.byref(opt))
    opt.self_loops = _enums.value("self_loop_policy", self_loops, "self_loops")
    opt.duplicates = _enums.value("duplicate_policy", duplicates, "duplicates")
    opt.allow_nonpositive_weights = _args.flag("allow_nonpositive_weights",
                                               allow_nonpositive_weights)
    return opt


def _made(fn, *args):
    """A Graph from a constructor fn(&handle, *args, msg)."""
    handle, buf = _vp(), msg()
    check(fn(ctypes.byref(handle), *args, buf), buf)
    return Graph._adopt(handle.value)


def _accessor(fn, doc):
    """A read-only property calling the library accessor fn on the handle."""
    return property(lambda self: fn(self._handle), doc=doc)


class Graph(Handle):
    """A graph in grl: nodes 0..n-1, arcs with float64 weights (1.0 for
    unweighted graphs). Made by Graph.load, Graph.from_edges or a generator;
    close() (or `with`) frees it, and every later use raises GrlError."""

    _what, _makers = "graph", "load, from_edges, erdos_renyi, barabasi_albert, sbm"
    _free = _graph_free

    @classmethod
    def load(cls, path, directed=None, ids="integer", self_loops="keep",
             duplicates="merge", ignore_weights=False, allow_nonpositive_weights=False,
             format=None, header=None, nodes=None, num_nodes=None):
        """Load an edge list, CSV, Matrix Market, .grl, GraphML, GML or Pajek
        file (format None: from the extension). directed None takes the
        format's default (undirected for edge lists); ids "integer" or
        "string"; self_loops "keep" or "drop"; duplicates "merge" or "sum";
        header True/False: the first data line is/is not a header (None:
        CSV files guess, see grl_load_options). Edge lists and CSV cannot
        name a node without edges: nodes (a file of ids, one per line) or
        num_nodes (ids 0..num_nodes-1) declares the node set, and declared
        nodes without edges become isolated nodes."""
        opt = _load_options(self_loops, duplicates, allow_nonpositive_weights)
        opt.format = _enums.value("format", "auto" if format is None else format, "format")
        opt.directed = -1 if directed is None else int(_args.flag("directed", directed))
        opt.ids = _enums.value("id_kind", ids, "ids")
        opt.ignore_weights = _args.flag("ignore_weights", ignore_weights)
        opt.header = -1 if header is None else int(_args.flag("header", header))
        if nodes is not None:
            opt.nodes_path = _args.path("nodes", nodes)
        if num_nodes is not None:
            opt.num_nodes = _args.integer("num_nodes", num_nodes, 1)
        return _made(_graph_load, _args.path("path", path), ctypes.byref(opt))

    @classmethod
    def from_edges(cls, src, dst, weights=None, n=None, directed=False, self_loops="keep",
                   duplicates="merge", allow_nonpositive_weights=False):
        """A graph on nodes 0..n-1 (n None: one more than the largest index)
        from arcs src[k] -> dst[k] (sequences or 1-d integer numpy arrays),
        with weights[k] (None: unweighted). Undirected graphs store each
        pair both ways; ids are the indices."""
        s, m = _args.int64_array("src", src)
        d, md = _args.int64_array("dst", dst)
        if md != m:
            raise _args.GrlValueError(f"src and dst must have the same length, got {m} "
                                      f"and {md}")
        w = None
        if weights is not None:
            w, mw = _args.float64_array("weights", weights)
            if mw != m:
                raise _args.GrlValueError(f"weights must have one value per edge ({m}), "
                                          f"got {mw}")
        if n is None:
            n = _results.largest(s, m, d, m) + 1
        n = _args.integer("n", n)
        opt = _load_options(self_loops, duplicates, allow_nonpositive_weights)
        return _made(_from_edges, n, s, d, w, m, _args.flag("directed", directed),
                     ctypes.byref(opt))

    @classmethod
    def erdos_renyi(cls, n, m, directed=False, seed=1):
        """G(n, m): m distinct edges (arcs) chosen uniformly, no self-loops."""
        return _made(_erdos_renyi, _args.integer("n", n), _args.integer("m", m),
                     _args.flag("directed", directed), _args.seed(seed))

    @classmethod
    def barabasi_albert(cls, n, m_per_node, seed=1):
        """Barabási–Albert preferential attachment, undirected."""
        return _made(_barabasi_albert, _args.integer("n", n),
                     _args.integer("m_per_node", m_per_node), _args.seed(seed))

    @classmethod
    def sbm(cls, block_sizes, pref, directed=False, seed=1):
        """Stochastic block model: blocks of block_sizes[b] nodes, numbered
        block by block; pref[a][b] the edge probability between blocks a
        and b (a k x k nested sequence or array)."""
        sizes, k = _args.int64_array("block_sizes", block_sizes)
        rows = _args.sequence("pref", pref)
        if len(rows) != k:
            raise _args.GrlValueError(f"pref must be {k} x {k} (one row per block), got "
                                      f"{len(rows)} rows")
        flat = []
        for i, row in enumerate(rows):
            row = _args.sequence(f"pref[{i}]", row)
            if len(row) != k:
                raise _args.GrlValueError(f"pref[{i}] must have {k} values, got {len(row)}")
            flat += row
        p, _ = _args.float64_array("pref", flat)
        return _made(_sbm, k, sizes, p, _args.flag("directed", directed), _args.seed(seed))

    def save(self, path, format=None):
        """Write the graph; the format follows the extension unless given."""
        fmt = _enums.value("format", "auto" if format is None else format, "format")
        name = _args.path("path", path)
        buf = msg()
        check(_graph_save(self._handle, name, fmt, buf), buf)

    @property
    def _handle(self):
        h = Handle._handle.fget(self)
        if getattr(self, "_borrower", None) is not None:
            raise _args.GrlError(_types.INVALID_ARGUMENT, "this graph is lent to a grl.Walker,"
                                 " which holds its arcs; close the walker first")
        return h

    def _lend(self, walker):
        """Mark the graph as lent to walker (None: given back)."""
        self._borrower = walker

    def _num_nodes_lent(self):
        return _num_nodes(Handle._handle.fget(self))

    def close(self):
        """Free the graph now (idempotent; a walker holding it is closed
        first); any later use raises GrlError."""
        if getattr(self, "_borrower", None) is not None:
            self._borrower.close()
        Handle.close(self)

    num_nodes = _accessor(_num_nodes, "Nodes.")
    num_edges = _accessor(_num_edges, "Arcs if directed, undirected edges (self-loops "
                                      "included) otherwise.")
    num_arcs = _accessor(_num_arcs, "Stored arcs (an undirected edge counts twice).")
    directed = _accessor(_is_directed, "True for a directed graph.")
    weighted = _accessor(_is_weighted, "True if the arcs carry weights.")

    @property
    def ids(self):
        """The file's id of every node, ids[i] for node i: a tuple of str,
        read once (a graph never changes)."""
        if getattr(self, "_ids", None) is None or self.closed:
            self._ids = tuple(self.id_of(i) for i in range(self.num_nodes))
        return self._ids

    @property
    def id_kind(self):
        """How the file named its nodes: "integer" or "string"."""
        return _enums.name("id_kind", _id_kind(self._handle))

    def id_of(self, i):
        """The id node i had in its file, as a str (whole, whatever its
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

    def index_of(self, node_id):
        """The index of the node whose file id is node_id (str or int)."""
        key = _args.node_key("node id", node_id)
        idx, buf = ctypes.c_int64(), msg()
        check(_node_index(self._handle, key, ctypes.byref(idx), buf), buf)
        return idx.value

    def _ids_are_indices(self):
        return _ids_are_indices(self._handle)

    def _degree(self, direction, weighted):
        weighted = _args.flag("weighted", weighted)
        ptr, buf = _f64p(), msg()
        check(_degree(self._handle, direction, weighted, ctypes.byref(ptr), buf), buf)
        return _results.vector(ctypes.c_double, ptr, self.num_nodes)

    def out_degree(self, weighted=False):
        """Out-arcs per node (weight sums if weighted); undirected: degree."""
        return self._degree(_types.CONSTANTS["GRL_OUT"], weighted)

    def in_degree(self, weighted=False):
        """In-arcs per node (weight sums if weighted)."""
        return self._degree(_types.CONSTANTS["GRL_IN"], weighted)

    def summary(self):
        """What `grl info` prints, as a dict: nodes, arcs, edges, self_loops,
        self_loops_dropped, duplicates_dropped, directed, weighted, out_min,
        out_mean, out_max, in_min, in_mean, in_max, components."""
        info, buf = _types.grl_graph_info(), msg()
        check(_summary(self._handle, ctypes.byref(info), buf), buf)
        return _results.fields(info)

    def components(self):
        """Weakly connected component of every node, numbered 0..c-1 by
        their smallest node."""
        g, n = self._handle, self.num_nodes
        comp, count, buf = _args.alloc(ctypes.c_int64, n), ctypes.c_int64(), msg()
        check(_components(g, comp, ctypes.byref(count), buf), buf)
        return _results.vector(ctypes.c_int64, comp, n)

    def partition(self, k, seed=1, imbalance=None, info=False):
        """METIS k-way part of every node (0..k-1); imbalance is the allowed
        excess of the largest part over n/k (None: METIS's 0.03). With
        info=True also a dict of edge_cut, balance and boundary_nodes."""
        g = self._handle
        k = _args.integer("k", k, 1)
        opt = _types.grl_partition_options()
        _partition_options_init(ctypes.byref(opt))
        opt.seed = _args.seed(seed)
        if imbalance is not None:
            opt.imbalance = _args.real("imbalance", imbalance)
        info = _args.flag("info", info)
        n = self.num_nodes
        parts, stats, buf = _args.alloc(ctypes.c_int64, n), _types.grl_partition_info(), msg()
        check(_partition(g, k, ctypes.byref(opt), parts, ctypes.byref(stats), buf), buf)
        result = _results.vector(ctypes.c_int64, parts, n)
        return (result, _results.fields(stats)) if info else result

    def _parts(self, part, k):
        p, count = _args.int64_array("part", part)
        if count != self.num_nodes:
            raise _args.GrlValueError(f"part must have one value per node ({self.num_nodes}),"
                                      f" got {count}")
        return p, _args.integer("k", k, 1)

    def partition_evaluate(self, part, k):
        """Edge cut, balance and boundary nodes (a dict) of any assignment of
        the nodes to parts 0..k-1."""
        g = self._handle
        p, k = self._parts(part, k)
        stats, buf = _types.grl_partition_info(), msg()
        check(_partition_evaluate(g, p, k, ctypes.byref(stats), buf), buf)
        return _results.fields(stats)

    def reorder(self, part, k):
        """(graph, offsets): a copy with the nodes renumbered so part p holds
        indices offsets[p] .. offsets[p+1]-1 (relative order and ids kept)."""
        g = self._handle
        p, k = self._parts(part, k)
        offsets = _args.alloc(ctypes.c_int64, k + 1)
        return (_made(_reorder, g, p, k, offsets),
                _results.vector(ctypes.c_int64, offsets, k + 1))

    def halos(self, part, k):
        """The halo of each part: a list of k arrays, part p's the nodes
        outside it sharing an arc with one of its nodes, ascending."""
        g = self._handle
        p, k = self._parts(part, k)
        offsets, nodes, buf = _i64p(), _i64p(), msg()
        check(_halos(ctypes.byref(offsets), ctypes.byref(nodes), g, p, k, buf), buf)
        try:
            off = list(_results.vector(ctypes.c_int64, offsets, k + 1))
            flat = _results.vector(ctypes.c_int64, nodes, off[-1])
        finally:
            _free(offsets)
            _free(nodes)
        return [flat[off[i]:off[i + 1]] for i in range(k)]


class _NodeIndexError(_args.GrlValueError, IndexError):
    """A node index outside 0..n-1 (an IndexError too)."""

    __module__ = "grl"


def handle_of(g):
    """The open handle of graph argument g."""
    return _args.instance("g", g, Graph)._handle
