/* abi.c — grl_abi_layout / grl_abi_constant: the public structs' layouts and
 * the constants as compiled, so a binding that mirrors them (the Python
 * shim's ctypes structures) can check itself against the library it loaded
 * instead of reading wrong fields silently. Above every module (it names
 * their types), so it lives outside core/. */
#include <stddef.h>
#include <string.h>

#include "grl.h"
#include "grl_internal.h"

typedef struct {
    const char *type, *field; /* field NULL: the struct itself */
    size_t offset, size;
} layout;

#define STRUCT(T) {#T, NULL, 0, sizeof(T)}
#define FIELD(T, f) {#T, #f, offsetof(T, f), sizeof(((T *)0)->f)}

static const layout layouts[] = {
    STRUCT(grl_rng), FIELD(grl_rng, seed), FIELD(grl_rng, stream),
    FIELD(grl_rng, counter), FIELD(grl_rng, block), FIELD(grl_rng, used),

    STRUCT(grl_dense), FIELD(grl_dense, rows), FIELD(grl_dense, cols),
    FIELD(grl_dense, data),

    STRUCT(grl_load_options), FIELD(grl_load_options, format),
    FIELD(grl_load_options, directed), FIELD(grl_load_options, ids),
    FIELD(grl_load_options, self_loops), FIELD(grl_load_options, duplicates),
    FIELD(grl_load_options, ignore_weights),
    FIELD(grl_load_options, allow_nonpositive_weights),
    FIELD(grl_load_options, header), FIELD(grl_load_options, nodes_path),
    FIELD(grl_load_options, num_nodes),

    STRUCT(grl_graph_info), FIELD(grl_graph_info, nodes),
    FIELD(grl_graph_info, arcs), FIELD(grl_graph_info, edges),
    FIELD(grl_graph_info, self_loops), FIELD(grl_graph_info, self_loops_dropped),
    FIELD(grl_graph_info, duplicates_dropped), FIELD(grl_graph_info, directed),
    FIELD(grl_graph_info, weighted), FIELD(grl_graph_info, out_min),
    FIELD(grl_graph_info, out_mean), FIELD(grl_graph_info, out_max),
    FIELD(grl_graph_info, in_min), FIELD(grl_graph_info, in_mean),
    FIELD(grl_graph_info, in_max), FIELD(grl_graph_info, components),

    STRUCT(grl_partition_info), FIELD(grl_partition_info, edge_cut),
    FIELD(grl_partition_info, balance), FIELD(grl_partition_info, boundary_nodes),
    STRUCT(grl_partition_options), FIELD(grl_partition_options, seed),
    FIELD(grl_partition_options, imbalance),

    STRUCT(grl_fastrp_options), FIELD(grl_fastrp_options, dim),
    FIELD(grl_fastrp_options, iterations), FIELD(grl_fastrp_options, weights),
    FIELD(grl_fastrp_options, beta), FIELD(grl_fastrp_options, sparsity),
    FIELD(grl_fastrp_options, self_influence), FIELD(grl_fastrp_options, normalize),
    FIELD(grl_fastrp_options, standardize), FIELD(grl_fastrp_options, direction),
    FIELD(grl_fastrp_options, seed), FIELD(grl_fastrp_options, features),
    FIELD(grl_fastrp_options, property_ratio),

    STRUCT(grl_walk_options), FIELD(grl_walk_options, length),
    FIELD(grl_walk_options, walks_per_node), FIELD(grl_walk_options, weighted),
    FIELD(grl_walk_options, p), FIELD(grl_walk_options, q),
    FIELD(grl_walk_options, restart), FIELD(grl_walk_options, srrw_alpha),
    FIELD(grl_walk_options, seed),

    STRUCT(grl_ppr_options), FIELD(grl_ppr_options, method),
    FIELD(grl_ppr_options, alpha), FIELD(grl_ppr_options, dangling),
    FIELD(grl_ppr_options, tol), FIELD(grl_ppr_options, max_iter),
    FIELD(grl_ppr_options, r_max), FIELD(grl_ppr_options, mc_walks),
    FIELD(grl_ppr_options, index), FIELD(grl_ppr_options, rounds),
    FIELD(grl_ppr_options, drop), FIELD(grl_ppr_options, residual),
    FIELD(grl_ppr_options, epsilon), FIELD(grl_ppr_options, delta),
    FIELD(grl_ppr_options, failure), FIELD(grl_ppr_options, seed),
    FIELD(grl_ppr_options, progress), FIELD(grl_ppr_options, progress_ctx),

    STRUCT(grl_ppr_result), FIELD(grl_ppr_result, nsources),
    FIELD(grl_ppr_result, top), FIELD(grl_ppr_result, source),
    FIELD(grl_ppr_result, count), FIELD(grl_ppr_result, node),
    FIELD(grl_ppr_result, score),
    STRUCT(grl_ppr_index_options), FIELD(grl_ppr_index_options, walks),
    FIELD(grl_ppr_index_options, alpha), FIELD(grl_ppr_index_options, seed),
    FIELD(grl_ppr_index_options, progress), FIELD(grl_ppr_index_options, progress_ctx),

    STRUCT(grl_linkpred_options), FIELD(grl_linkpred_options, method),
    FIELD(grl_linkpred_options, pattern), FIELD(grl_linkpred_options, weighted),
    FIELD(grl_linkpred_options, alpha), FIELD(grl_linkpred_options, epsilon),
    FIELD(grl_linkpred_options, beta), FIELD(grl_linkpred_options, katz_length),
    FIELD(grl_linkpred_options, block_entries), FIELD(grl_linkpred_options, progress),
    FIELD(grl_linkpred_options, progress_ctx),
    STRUCT(grl_concentration_options), FIELD(grl_concentration_options, hops),
    FIELD(grl_concentration_options, beta),
    STRUCT(grl_edge_split), FIELD(grl_edge_split, train),
    FIELD(grl_edge_split, valid_u), FIELD(grl_edge_split, valid_v),
    FIELD(grl_edge_split, nvalid), FIELD(grl_edge_split, test_u),
    FIELD(grl_edge_split, test_v), FIELD(grl_edge_split, ntest),
    STRUCT(grl_edge_split_options), FIELD(grl_edge_split_options, valid_fraction),
    FIELD(grl_edge_split_options, test_fraction),
    FIELD(grl_edge_split_options, keep_connected), FIELD(grl_edge_split_options, seed),
    STRUCT(grl_linkpred_metrics), FIELD(grl_linkpred_metrics, auc),
    FIELD(grl_linkpred_metrics, ap), FIELD(grl_linkpred_metrics, hits20),
    FIELD(grl_linkpred_metrics, hits50), FIELD(grl_linkpred_metrics, hits100),
    FIELD(grl_linkpred_metrics, mrr),

    STRUCT(grl_lbfgs_options), FIELD(grl_lbfgs_options, m),
    FIELD(grl_lbfgs_options, max_iter), FIELD(grl_lbfgs_options, gtol),
    FIELD(grl_lbfgs_options, ftol), FIELD(grl_lbfgs_options, max_linesearch),
    FIELD(grl_lbfgs_options, c1), FIELD(grl_lbfgs_options, c2),
    STRUCT(grl_lbfgs_result), FIELD(grl_lbfgs_result, iterations),
    FIELD(grl_lbfgs_result, evaluations), FIELD(grl_lbfgs_result, f),
    FIELD(grl_lbfgs_result, gnorm), FIELD(grl_lbfgs_result, stop),
    STRUCT(grl_logreg_options), FIELD(grl_logreg_options, C),
    FIELD(grl_logreg_options, fit_intercept),
    FIELD(grl_logreg_options, penalize_intercept), FIELD(grl_logreg_options, lbfgs),
    STRUCT(grl_labels), FIELD(grl_labels, nodes), FIELD(grl_labels, nlabels),
    FIELD(grl_labels, offsets), FIELD(grl_labels, label), FIELD(grl_labels, names),
    FIELD(grl_labels, missing),
    STRUCT(grl_labels_options), FIELD(grl_labels_options, ids_path),
    FIELD(grl_labels_options, missing),
    STRUCT(grl_nodeclf_options), FIELD(grl_nodeclf_options, train_fraction),
    FIELD(grl_nodeclf_options, repeats), FIELD(grl_nodeclf_options, seed),
    FIELD(grl_nodeclf_options, logreg), FIELD(grl_nodeclf_options, progress),
    FIELD(grl_nodeclf_options, progress_ctx),
    STRUCT(grl_nodeclf_result), FIELD(grl_nodeclf_result, micro_f1),
    FIELD(grl_nodeclf_result, micro_f1_std), FIELD(grl_nodeclf_result, macro_f1),
    FIELD(grl_nodeclf_result, macro_f1_std), FIELD(grl_nodeclf_result, labelled),
    FIELD(grl_nodeclf_result, nlabels), FIELD(grl_nodeclf_result, train_size),
    FIELD(grl_nodeclf_result, test_size), FIELD(grl_nodeclf_result, not_converged),

    STRUCT(grl_fixed_point_options), FIELD(grl_fixed_point_options, tol),
    FIELD(grl_fixed_point_options, max_iter),
    STRUCT(grl_fixed_point_report), FIELD(grl_fixed_point_report, bound),
    FIELD(grl_fixed_point_report, residual),
    FIELD(grl_fixed_point_report, iterations),
    STRUCT(grl_fpgnn_report), FIELD(grl_fpgnn_report, forward),
    FIELD(grl_fpgnn_report, backward), FIELD(grl_fpgnn_report, solves),
    FIELD(grl_fpgnn_report, capped),
};

typedef struct {
    const char *name;
    int64_t value;
} constant;

#define CONSTANT(c) {#c, (int64_t)(c)}

static const constant constants[] = {
    CONSTANT(GRL_MSG_LEN), CONSTANT(GRL_MAX_THREADS), CONSTANT(GRL_MAX_NODES),
    CONSTANT(GRL_FASTRP_MAX_ITERATIONS), CONSTANT(GRL_PPR_MAX_WALKS),
    CONSTANT(GRL_LINKPRED_TC_MAX_HOPS),
    CONSTANT(GRL_SUCCESS), CONSTANT(GRL_INVALID_ARGUMENT),
    CONSTANT(GRL_OUT_OF_MEMORY), CONSTANT(GRL_IO_ERROR), CONSTANT(GRL_PARSE_ERROR),
    CONSTANT(GRL_NOT_FOUND), CONSTANT(GRL_UNSUPPORTED), CONSTANT(GRL_IGRAPH_ERROR),
    CONSTANT(GRL_METIS_ERROR), CONSTANT(GRL_NOT_INITIALIZED),
    CONSTANT(GRL_NOT_CONVERGED),
    CONSTANT(GRL_FORMAT_AUTO), CONSTANT(GRL_IDS_INTEGER), CONSTANT(GRL_IDS_STRING),
    CONSTANT(GRL_OUT), CONSTANT(GRL_IN),
};

int grl_abi_layout(const char *type, const char *field, int64_t *offset,
                   int64_t *size, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(type != NULL && offset != NULL && size != NULL,
                "grl_abi_layout: NULL argument");
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        const layout *l = &layouts[i];
        if (strcmp(l->type, type) != 0) continue;
        if (field ? l->field && strcmp(l->field, field) == 0 : !l->field) {
            *offset = (int64_t)l->offset;
            *size = (int64_t)l->size;
            return 0;
        }
    }
    GRL_FAIL(GRL_NOT_FOUND, "this grl has no %.60s%s%.60s", type,
             field ? "." : "", field ? field : "");
#undef FREE_ALL
}

int grl_abi_constant(const char *name, int64_t *value, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(name != NULL && value != NULL, "grl_abi_constant: NULL argument");
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (strcmp(constants[i].name, name) == 0) {
            *value = constants[i].value;
            return 0;
        }
    GRL_FAIL(GRL_NOT_FOUND, "this grl has no constant %.60s", name);
#undef FREE_ALL
}
