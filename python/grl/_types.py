"""The C structs and constants the shim mirrors, named as in include/grl/*.h.

Each class is a ctypes copy of the struct of the same name; at import the
shim checks every one (size, and offset and size of each field) and every
constant below against the library it loaded (grl_abi_layout,
grl_abi_constant; see _abi.py), so a library built from other headers is
refused instead of read wrongly. Enum values come from the library's
grl_<enum>_parse functions (_enums.py), never from here.
"""
import ctypes

c_enum = ctypes.c_int  # every grl enum is an int-sized C enum (checked)

# constants the shim relies on, checked against the library at import
CONSTANTS = {
    "GRL_MSG_LEN": 256,
    "GRL_INVALID_ARGUMENT": -1000,
    "GRL_OUT_OF_MEMORY": -1001,
    "GRL_UNSUPPORTED": -1005,
    "GRL_NOT_CONVERGED": 1,
    "GRL_FASTRP_MAX_ITERATIONS": 16,
    "GRL_FORMAT_AUTO": 0,
    "GRL_OUT": 0,
    "GRL_IN": 1,
    # grl_adpa_patterns: values appended after AUTO keep the earlier numbers
    "GRL_ADPA_PATTERNS_AUTO": 4,
    "GRL_ADPA_PATTERNS_ALL_UNDIRECTED": 5,
}
MSG_LEN = CONSTANTS["GRL_MSG_LEN"]
INVALID_ARGUMENT = CONSTANTS["GRL_INVALID_ARGUMENT"]
OUT_OF_MEMORY = CONSTANTS["GRL_OUT_OF_MEMORY"]
UNSUPPORTED = CONSTANTS["GRL_UNSUPPORTED"]

_i64 = ctypes.c_int64
_f64 = ctypes.c_double
_u64 = ctypes.c_uint64
_bool = ctypes.c_bool
_i64p = ctypes.POINTER(ctypes.c_int64)


class grl_dense(ctypes.Structure):
    _fields_ = [("rows", _i64), ("cols", _i64), ("data", ctypes.POINTER(ctypes.c_float))]


class grl_load_options(ctypes.Structure):
    _fields_ = [("format", c_enum), ("directed", ctypes.c_int), ("ids", c_enum),
                ("self_loops", c_enum), ("duplicates", c_enum),
                ("ignore_weights", _bool), ("allow_nonpositive_weights", _bool),
                ("header", ctypes.c_int), ("nodes_path", ctypes.c_char_p),
                ("num_nodes", _i64)]


class grl_graph_info(ctypes.Structure):
    _fields_ = [("nodes", _i64), ("arcs", _i64), ("edges", _i64), ("self_loops", _i64),
                ("self_loops_dropped", _i64), ("duplicates_dropped", _i64),
                ("directed", _bool), ("weighted", _bool),
                ("out_min", _f64), ("out_mean", _f64), ("out_max", _f64),
                ("in_min", _f64), ("in_mean", _f64), ("in_max", _f64),
                ("components", _i64)]


class grl_partition_info(ctypes.Structure):
    _fields_ = [("edge_cut", _i64), ("balance", _f64), ("boundary_nodes", _i64)]


class grl_partition_options(ctypes.Structure):
    _fields_ = [("seed", _u64), ("imbalance", _f64)]


class grl_fastrp_options(ctypes.Structure):
    _fields_ = [("dim", _i64), ("iterations", ctypes.c_int),
                ("weights", _f64 * CONSTANTS["GRL_FASTRP_MAX_ITERATIONS"]),
                ("beta", _f64), ("sparsity", _f64), ("self_influence", _f64),
                ("normalize", _bool), ("standardize", _bool), ("direction", c_enum),
                ("seed", _u64), ("features", ctypes.c_void_p), ("property_ratio", _f64)]


class grl_walk_options(ctypes.Structure):
    _fields_ = [("length", _i64), ("walks_per_node", _i64), ("weighted", _bool),
                ("p", _f64), ("q", _f64), ("restart", _f64), ("srrw_alpha", _f64),
                ("seed", _u64)]


class grl_ppr_options(ctypes.Structure):
    _fields_ = [("method", c_enum), ("alpha", _f64), ("dangling", c_enum), ("tol", _f64),
                ("max_iter", ctypes.c_int), ("r_max", _f64), ("mc_walks", _i64),
                ("index", ctypes.c_void_p), ("rounds", ctypes.c_int), ("drop", _f64),
                ("residual", _f64), ("epsilon", _f64), ("delta", _f64),
                ("failure", _f64), ("seed", _u64), ("progress", ctypes.c_void_p),
                ("progress_ctx", ctypes.c_void_p)]  # C callbacks: NULL from Python


class grl_ppr_result(ctypes.Structure):
    _fields_ = [("nsources", _i64), ("top", _i64), ("source", _i64p), ("count", _i64p),
                ("node", _i64p), ("score", ctypes.POINTER(_f64))]


class grl_ppr_index_options(ctypes.Structure):
    _fields_ = [("walks", _i64), ("alpha", _f64), ("seed", _u64),
                ("progress", ctypes.c_void_p), ("progress_ctx", ctypes.c_void_p)]


class grl_linkpred_options(ctypes.Structure):
    _fields_ = [("method", c_enum), ("pattern", c_enum), ("weighted", _bool),
                ("alpha", _f64), ("epsilon", _f64), ("beta", _f64),
                ("katz_length", ctypes.c_int), ("block_entries", _i64),
                ("progress", ctypes.c_void_p), ("progress_ctx", ctypes.c_void_p)]


class grl_concentration_options(ctypes.Structure):
    _fields_ = [("hops", ctypes.c_int), ("beta", _f64)]


class grl_edge_split(ctypes.Structure):
    _fields_ = [("train", ctypes.c_void_p), ("valid_u", _i64p), ("valid_v", _i64p),
                ("nvalid", _i64), ("test_u", _i64p), ("test_v", _i64p), ("ntest", _i64)]


class grl_edge_split_options(ctypes.Structure):
    _fields_ = [("valid_fraction", _f64), ("test_fraction", _f64),
                ("keep_connected", _bool), ("seed", _u64)]


class grl_linkpred_metrics(ctypes.Structure):
    _fields_ = [("auc", _f64), ("ap", _f64), ("hits20", _f64), ("hits50", _f64),
                ("hits100", _f64), ("mrr", _f64)]


class grl_lbfgs_options(ctypes.Structure):
    _fields_ = [("m", ctypes.c_int), ("max_iter", _i64), ("gtol", _f64), ("ftol", _f64),
                ("max_linesearch", ctypes.c_int), ("c1", _f64), ("c2", _f64)]


class grl_logreg_options(ctypes.Structure):
    _fields_ = [("C", _f64), ("fit_intercept", _bool), ("penalize_intercept", _bool),
                ("lbfgs", grl_lbfgs_options)]


class grl_labels(ctypes.Structure):
    _fields_ = [("nodes", _i64), ("nlabels", _i64), ("offsets", _i64p), ("label", _i64p),
                ("names", ctypes.POINTER(ctypes.c_char_p)), ("missing", _i64)]


class grl_labels_options(ctypes.Structure):
    _fields_ = [("ids_path", ctypes.c_char_p), ("missing", c_enum)]


class grl_nodeclf_options(ctypes.Structure):
    _fields_ = [("train_fraction", _f64), ("repeats", _i64), ("seed", _u64),
                ("logreg", grl_logreg_options), ("progress", ctypes.c_void_p),
                ("progress_ctx", ctypes.c_void_p)]


class grl_nodeclf_result(ctypes.Structure):
    _fields_ = [("micro_f1", _f64), ("micro_f1_std", _f64), ("macro_f1", _f64),
                ("macro_f1_std", _f64), ("labelled", _i64), ("nlabels", _i64),
                ("train_size", _i64), ("test_size", _i64), ("not_converged", _i64)]


# grl/dag.h (used by grl.dag)
class grl_dag_data(ctypes.Structure):
    _fields_ = [("n", ctypes.c_int64), ("d", ctypes.c_int64),
                ("X", ctypes.POINTER(ctypes.c_double)),
                ("names", ctypes.POINTER(ctypes.c_char_p))]


class grl_dag_options(ctypes.Structure):
    _fields_ = [
        ("method", ctypes.c_int),
        ("loss", ctypes.c_int),
        ("lambda1", ctypes.c_double),
        ("lambda2", ctypes.c_double),
        ("threshold", ctypes.c_double),
        ("refit", ctypes.c_bool),
        ("standardize", ctypes.c_bool),
        ("restarts", ctypes.c_int64),
        ("size_small", ctypes.c_int64),
        ("size_large", ctypes.c_int64),
        ("full_search", ctypes.c_bool),
        ("max_iter", ctypes.c_int64),
        ("init_order", ctypes.POINTER(ctypes.c_int64)),
        ("warm_start_notears", ctypes.c_bool),
        ("h_tol", ctypes.c_double),
        ("rho_max", ctypes.c_double),
        ("seed", ctypes.c_uint64),
    ]


class grl_dag_info(ctypes.Structure):
    _fields_ = [("score", ctypes.c_double), ("search_score", ctypes.c_double),
                ("h", ctypes.c_double), ("iterations", ctypes.c_int64),
                ("candidates", ctypes.c_int64), ("best_restart", ctypes.c_int64)]


class grl_dag_simulate_options(ctypes.Structure):
    _fields_ = [("graph", ctypes.c_int), ("noise", ctypes.c_int),
                ("noise_scale", ctypes.c_double), ("w_low", ctypes.c_double),
                ("w_high", ctypes.c_double), ("seed", ctypes.c_uint64)]


class grl_dag_metrics(ctypes.Structure):
    _fields_ = [("fdr", ctypes.c_double), ("tpr", ctypes.c_double), ("fpr", ctypes.c_double),
                ("shd", ctypes.c_int64), ("nnz", ctypes.c_int64),
                ("true_positive", ctypes.c_int64), ("reversed", ctypes.c_int64),
                ("false_positive", ctypes.c_int64), ("missing", ctypes.c_int64),
                ("extra", ctypes.c_int64), ("est_is_dag", ctypes.c_bool)]


_f32p = ctypes.POINTER(ctypes.c_float)


class grl_graph_set(ctypes.Structure):
    _fields_ = [("ngraphs", _i64), ("nodes", _i64), ("arcs", _i64), ("graph_ptr", _i64p),
                ("in_ptr", _i64p), ("arc_source", _i64p), ("node_dim", _i64),
                ("node_x", _f32p), ("arc_dim", _i64), ("arc_x", _f32p),
                ("node_target_dim", _i64), ("node_y", _f32p), ("nclasses", _i64),
                ("graph_class", _i64p), ("node_label_dim", _i64), ("arc_label_dim", _i64)]


class grl_gvi_options(ctypes.Structure):
    _fields_ = [("min_states", _i64), ("max_states", _i64), ("min_actions", _i64),
                ("max_actions", _i64), ("gamma", _f64), ("tolerance", _f64),
                ("max_iterations", _i64)]


class grl_pore_options(ctypes.Structure):
    _fields_ = [("min_pores", _i64), ("max_pores", _i64), ("mean_degree", _f64),
                ("radius_median", _f64), ("radius_log_std", _f64), ("viscosity", _f64),
                ("face_width", _f64), ("tolerance", _f64), ("max_iterations", _i64)]


class grl_ncn_options(ctypes.Structure):
    _fields_ = [("encoder", c_enum), ("completion", _bool), ("hidden", _i64),
                ("feature_dropout", _f64), ("encoder_dropout", _f64),
                ("tail_dropout", _f64), ("predictor_dropout", _f64),
                ("edge_dropout", _f64), ("encoder_lr", _f64), ("predictor_lr", _f64),
                ("epochs", _i64), ("batch_size", _i64),
                ("patience", _i64), ("hits_k", _i64), ("prob_scale", _f64),
                ("prob_offset", _f64), ("pt", _f64), ("alpha", _f64), ("seed", _u64),
                ("progress", ctypes.c_void_p), ("progress_ctx", ctypes.c_void_p)]


class grl_ncn_train_result(ctypes.Structure):
    _fields_ = [("epochs_run", _i64), ("best_epoch", _i64), ("val_hits", _f64),
                ("loss", _f64), ("seconds", _f64)]


class grl_fixed_point_options(ctypes.Structure):
    _fields_ = [("tol", _f64), ("max_iter", _i64)]


class grl_fixed_point_report(ctypes.Structure):
    _fields_ = [("bound", _f64), ("residual", _f64), ("iterations", _i64)]


class grl_fpgnn_report(ctypes.Structure):
    _fields_ = [("forward", grl_fixed_point_report), ("backward", grl_fixed_point_report),
                ("solves", _i64), ("capped", _i64)]


STRUCTS = [v for v in list(globals().values())
           if isinstance(v, type) and issubclass(v, ctypes.Structure)]
