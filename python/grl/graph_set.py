"""Graph sets (grl/gnn.h): many small graphs as one disjoint union, read
from the TU Dortmund text layout or generated (graph value iteration, pore
networks), returned as dicts of numpy arrays (lists without numpy).

    import grl.graph_set as gs
    mutag = gs.load("data/tu/MUTAG", "MUTAG")
    mutag["graph_class"], mutag["node_x"].shape        # (188,), (3371, 7)
    gvi = gs.gvi_generate(100, seed=1)                  # node_y: the values
    gs.pore_generate(200, seed=1, output_dir="pore_train")  # also pore_train/pore_*.txt

Arcs are stored by target: the arcs into node i are in_ptr[i] ..
in_ptr[i+1]-1, from arc_source[k]; graph g's nodes are graph_ptr[g] ..
graph_ptr[g+1]-1.
"""
import ctypes

from grl import _args, _results, _types
from grl._lib import check, declare, msg

__all__ = ["load", "gvi_generate", "pore_generate"]

_SetP = ctypes.POINTER(_types.grl_graph_set)
_load = declare("grl_graph_set_load", ctypes.c_int, ctypes.POINTER(_SetP), ctypes.c_char_p,
                ctypes.c_char_p, ctypes.c_char_p)
_free = declare("grl_graph_set_free", None, _SetP)
_gvi_init = declare("grl_gvi_options_init", None, ctypes.POINTER(_types.grl_gvi_options))
_gvi = declare("grl_gvi_generate", ctypes.c_int, ctypes.POINTER(_SetP), ctypes.c_int64,
               ctypes.c_uint64, ctypes.POINTER(_types.grl_gvi_options), ctypes.c_char_p)
_pore_init = declare("grl_pore_options_init", None, ctypes.POINTER(_types.grl_pore_options))
_save = declare("grl_graph_set_save", ctypes.c_int, _SetP, ctypes.c_char_p, ctypes.c_char_p,
                ctypes.c_char_p)
_pore = declare("grl_pore_generate", ctypes.c_int, ctypes.POINTER(_SetP), ctypes.c_int64,
                ctypes.c_uint64, ctypes.POINTER(_types.grl_pore_options), ctypes.c_char_p)


def _to_python(ptr, output_dir=None, name=None):
    """The set *ptr copied out as a dict, first written to
    output_dir/name_*.txt (an existing folder) unless output_dir is None;
    ptr is freed."""
    try:
        if output_dir is not None:
            buf = msg()
            check(_save(ptr, _args.path("output_dir", output_dir), _args.text("name", name),
                        buf), buf)
        s = ptr.contents
        i64, f32 = ctypes.c_int64, ctypes.c_float
        return {
            "ngraphs": s.ngraphs, "nodes": s.nodes, "arcs": s.arcs,
            "graph_ptr": _results.vector(i64, s.graph_ptr, s.ngraphs + 1),
            "in_ptr": _results.vector(i64, s.in_ptr, s.nodes + 1),
            "arc_source": _results.vector(i64, s.arc_source, s.arcs),
            "node_x": _results.matrix(f32, s.node_x, s.nodes, s.node_dim),
            "arc_x": _results.matrix(f32, s.arc_x, s.arcs, s.arc_dim),
            "node_y": _results.matrix(f32, s.node_y, s.nodes, s.node_target_dim),
            "nclasses": s.nclasses,
            "graph_class": _results.vector(i64, s.graph_class,
                                           s.ngraphs if s.nclasses else 0),
            "node_label_dim": s.node_label_dim, "arc_label_dim": s.arc_label_dim,
        }
    finally:
        _free(ptr)


def load(directory, name):
    """The set directory/name_*.txt (TU layout: name_A.txt,
    name_graph_indicator.txt and the optional label, attribute and
    name_node_targets.txt files) as a dict."""
    ptr, buf = _SetP(), msg()
    check(_load(ctypes.byref(ptr), _args.path("directory", directory),
                _args.text("name", name), buf), buf)
    return _to_python(ptr)


def gvi_generate(graphs, seed=0, min_states=20, max_states=50, min_actions=5,
                 max_actions=10, output_dir=None, name="gvi"):
    """Graph value iteration MDPs as CGS's reference generator makes them:
    arc_x = reward, node_y = value, node_x = 1; with output_dir also the
    files `grl gnn gvi-generate` writes."""
    opt = _types.grl_gvi_options()
    _gvi_init(ctypes.byref(opt))
    opt.min_states = _args.integer("min_states", min_states, 2)
    opt.max_states = _args.integer("max_states", max_states, 2)
    opt.min_actions = _args.integer("min_actions", min_actions, 1)
    opt.max_actions = _args.integer("max_actions", max_actions, 1)
    ptr, buf = _SetP(), msg()
    check(_gvi(ctypes.byref(ptr), _args.integer("graphs", graphs, 1), _args.seed(seed),
               ctypes.byref(opt), buf), buf)
    return _to_python(ptr, output_dir, name)


def pore_generate(graphs, seed=0, min_pores=50, max_pores=200, mean_degree=6.0,
                  output_dir=None, name="pore"):
    """Pore networks with their pressures: node_x = (x, y, z, radius, inlet,
    outlet), arc_x = (conductance, length), node_y = pressure; with
    output_dir also the files `grl gnn pore-generate` writes."""
    opt = _types.grl_pore_options()
    _pore_init(ctypes.byref(opt))
    opt.min_pores = _args.integer("min_pores", min_pores, 2)
    opt.max_pores = _args.integer("max_pores", max_pores, 2)
    opt.mean_degree = _args.real("mean_degree", mean_degree)
    ptr, buf = _SetP(), msg()
    check(_pore(ctypes.byref(ptr), _args.integer("graphs", graphs, 1), _args.seed(seed),
                ctypes.byref(opt), buf), buf)
    return _to_python(ptr, output_dir, name)
