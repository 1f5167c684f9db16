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

    STRUCT(grl_ncn_options), FIELD(grl_ncn_options, encoder),
    FIELD(grl_ncn_options, completion), FIELD(grl_ncn_options, hidden),
    FIELD(grl_ncn_options, feature_dropout), FIELD(grl_ncn_options, encoder_dropout),
    FIELD(grl_ncn_options, tail_dropout), FIELD(grl_ncn_options, predictor_dropout),
    FIELD(grl_ncn_options, edge_dropout), FIELD(grl_ncn_options, encoder_lr),
    FIELD(grl_ncn_options, predictor_lr), FIELD(grl_ncn_options, epochs),
    FIELD(grl_ncn_options, batch_size),
    FIELD(grl_ncn_options, patience), FIELD(grl_ncn_options, hits_k),
    FIELD(grl_ncn_options, prob_scale), FIELD(grl_ncn_options, prob_offset),
    FIELD(grl_ncn_options, pt), FIELD(grl_ncn_options, alpha),
    FIELD(grl_ncn_options, seed), FIELD(grl_ncn_options, progress),
    FIELD(grl_ncn_options, progress_ctx),
    STRUCT(grl_ncn_train_result), FIELD(grl_ncn_train_result, epochs_run),
    FIELD(grl_ncn_train_result, best_epoch), FIELD(grl_ncn_train_result, val_hits),
    FIELD(grl_ncn_train_result, loss),
    FIELD(grl_ncn_train_result, seconds),
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

    /* grl/dag.h */
    STRUCT(grl_dag_data), FIELD(grl_dag_data, n), FIELD(grl_dag_data, d),
    FIELD(grl_dag_data, X), FIELD(grl_dag_data, names),
    STRUCT(grl_dag_options), FIELD(grl_dag_options, method),
    FIELD(grl_dag_options, loss), FIELD(grl_dag_options, lambda1),
    FIELD(grl_dag_options, lambda2), FIELD(grl_dag_options, threshold),
    FIELD(grl_dag_options, refit), FIELD(grl_dag_options, standardize),
    FIELD(grl_dag_options, restarts), FIELD(grl_dag_options, size_small),
    FIELD(grl_dag_options, size_large), FIELD(grl_dag_options, full_search),
    FIELD(grl_dag_options, max_iter), FIELD(grl_dag_options, init_order),
    FIELD(grl_dag_options, warm_start_notears), FIELD(grl_dag_options, h_tol),
    FIELD(grl_dag_options, rho_max), FIELD(grl_dag_options, seed),
    STRUCT(grl_dag_info), FIELD(grl_dag_info, score), FIELD(grl_dag_info, search_score),
    FIELD(grl_dag_info, h), FIELD(grl_dag_info, iterations),
    FIELD(grl_dag_info, candidates), FIELD(grl_dag_info, best_restart),
    STRUCT(grl_dag_simulate_options), FIELD(grl_dag_simulate_options, graph),
    FIELD(grl_dag_simulate_options, noise), FIELD(grl_dag_simulate_options, noise_scale),
    FIELD(grl_dag_simulate_options, w_low), FIELD(grl_dag_simulate_options, w_high),
    FIELD(grl_dag_simulate_options, seed),
    STRUCT(grl_dag_metrics), FIELD(grl_dag_metrics, fdr), FIELD(grl_dag_metrics, tpr),
    FIELD(grl_dag_metrics, fpr), FIELD(grl_dag_metrics, shd), FIELD(grl_dag_metrics, nnz),
    FIELD(grl_dag_metrics, true_positive), FIELD(grl_dag_metrics, reversed),
    FIELD(grl_dag_metrics, false_positive), FIELD(grl_dag_metrics, missing),
    FIELD(grl_dag_metrics, extra), FIELD(grl_dag_metrics, est_is_dag),

    /* graph sets and the generated tasks (gnn.h, issue 12) */
    STRUCT(grl_graph_set), FIELD(grl_graph_set, ngraphs), FIELD(grl_graph_set, nodes),
    FIELD(grl_graph_set, arcs), FIELD(grl_graph_set, graph_ptr),
    FIELD(grl_graph_set, in_ptr), FIELD(grl_graph_set, arc_source),
    FIELD(grl_graph_set, node_dim), FIELD(grl_graph_set, node_x),
    FIELD(grl_graph_set, arc_dim), FIELD(grl_graph_set, arc_x),
    FIELD(grl_graph_set, node_target_dim), FIELD(grl_graph_set, node_y),
    FIELD(grl_graph_set, nclasses), FIELD(grl_graph_set, graph_class),
    FIELD(grl_graph_set, node_label_dim), FIELD(grl_graph_set, arc_label_dim),
    STRUCT(grl_gvi_options), FIELD(grl_gvi_options, min_states),
    FIELD(grl_gvi_options, max_states), FIELD(grl_gvi_options, min_actions),
    FIELD(grl_gvi_options, max_actions), FIELD(grl_gvi_options, gamma),
    FIELD(grl_gvi_options, tolerance), FIELD(grl_gvi_options, max_iterations),
    STRUCT(grl_pore_options), FIELD(grl_pore_options, min_pores),
    FIELD(grl_pore_options, max_pores), FIELD(grl_pore_options, mean_degree),
    FIELD(grl_pore_options, radius_median), FIELD(grl_pore_options, radius_log_std),
    FIELD(grl_pore_options, viscosity), FIELD(grl_pore_options, face_width),
    FIELD(grl_pore_options, tolerance), FIELD(grl_pore_options, max_iterations),

    /* gnn (grl.gnn mirrors these) */
    STRUCT(grl_node_splits_options), FIELD(grl_node_splits_options, train_per_class),
    FIELD(grl_node_splits_options, train_fraction), FIELD(grl_node_splits_options, val),
    FIELD(grl_node_splits_options, val_fraction), FIELD(grl_node_splits_options, repeats),
    FIELD(grl_node_splits_options, seed),
    STRUCT(grl_optimizer_options), FIELD(grl_optimizer_options, kind),
    FIELD(grl_optimizer_options, lr), FIELD(grl_optimizer_options, weight_decay),
    FIELD(grl_optimizer_options, beta1), FIELD(grl_optimizer_options, beta2),
    FIELD(grl_optimizer_options, eps), FIELD(grl_optimizer_options, momentum),
    FIELD(grl_optimizer_options, cosine), FIELD(grl_optimizer_options, lr_min),
    STRUCT(grl_gnn_train_options), FIELD(grl_gnn_train_options, epochs),
    FIELD(grl_gnn_train_options, patience), FIELD(grl_gnn_train_options, batch_size),
    FIELD(grl_gnn_train_options, seed), FIELD(grl_gnn_train_options, optimizer),
    FIELD(grl_gnn_train_options, progress), FIELD(grl_gnn_train_options, progress_ctx),
    FIELD(grl_gnn_train_options, select_epoch),
    STRUCT(grl_adpa_options), FIELD(grl_adpa_options, patterns),
    FIELD(grl_adpa_options, hops), FIELD(grl_adpa_options, r),
    FIELD(grl_adpa_options, hidden), FIELD(grl_adpa_options, dropout),
    FIELD(grl_adpa_options, train), FIELD(grl_adpa_options, decays),
    FIELD(grl_adpa_options, decay), FIELD(grl_adpa_options, hop_prior),
    FIELD(grl_adpa_options, mask_empty_hops), FIELD(grl_adpa_options, hop_damping),
    FIELD(grl_adpa_options, pattern_attention), FIELD(grl_adpa_options, ensemble),
    FIELD(grl_adpa_options, directed_scale_init),
    STRUCT(grl_adpa_evaluation), FIELD(grl_adpa_evaluation, splits),
    FIELD(grl_adpa_evaluation, test_mean), FIELD(grl_adpa_evaluation, test_std),
    FIELD(grl_adpa_evaluation, val_mean), FIELD(grl_adpa_evaluation, test),
    FIELD(grl_adpa_evaluation, branches), FIELD(grl_adpa_evaluation, mass),
    FIELD(grl_adpa_evaluation, branch_names), FIELD(grl_adpa_evaluation, chosen),
    FIELD(grl_adpa_evaluation, rows), FIELD(grl_adpa_evaluation, nclasses),
    FIELD(grl_adpa_evaluation, proba), FIELD(grl_adpa_evaluation, val),
    STRUCT(grl_digraph_profile_result), FIELD(grl_digraph_profile_result, name),
    FIELD(grl_digraph_profile_result, weight), FIELD(grl_digraph_profile_result, homophily),
    FIELD(grl_digraph_profile_result, adjusted),
    FIELD(grl_digraph_profile_result, recommended),
    FIELD(grl_digraph_profile_result, smoothness),

    /* fixed-point GNNs (gnn.h, issue 12) */
    STRUCT(grl_fixed_point_options), FIELD(grl_fixed_point_options, tol),
    FIELD(grl_fixed_point_options, max_iter),
    STRUCT(grl_fixed_point_report), FIELD(grl_fixed_point_report, bound),
    FIELD(grl_fixed_point_report, residual),
    FIELD(grl_fixed_point_report, iterations),
    STRUCT(grl_fpgnn_report), FIELD(grl_fpgnn_report, forward),
    FIELD(grl_fpgnn_report, backward), FIELD(grl_fpgnn_report, solves),
    FIELD(grl_fpgnn_report, capped),
    STRUCT(grl_fpgnn_options), FIELD(grl_fpgnn_options, kind),
    FIELD(grl_fpgnn_options, hidden), FIELD(grl_fpgnn_options, dropout),
    FIELD(grl_fpgnn_options, alpha), FIELD(grl_fpgnn_options, kappa),
    FIELD(grl_fpgnn_options, gamma), FIELD(grl_fpgnn_options, heads),
    FIELD(grl_fpgnn_options, solver), FIELD(grl_fpgnn_options, train),
    FIELD(grl_fpgnn_options, skip), FIELD(grl_fpgnn_options, mp_layers),
    FIELD(grl_fpgnn_options, activation),
    FIELD(grl_fpgnn_options, readout), FIELD(grl_fpgnn_options, ensemble),
    FIELD(grl_fpgnn_options, screen), FIELD(grl_fpgnn_options, refit),
    STRUCT(grl_fpgnn_evaluation), FIELD(grl_fpgnn_evaluation, splits),
    FIELD(grl_fpgnn_evaluation, test_mean), FIELD(grl_fpgnn_evaluation, test_std),
    FIELD(grl_fpgnn_evaluation, val_mean), FIELD(grl_fpgnn_evaluation, test),
    FIELD(grl_fpgnn_evaluation, report), FIELD(grl_fpgnn_evaluation, rows),
    FIELD(grl_fpgnn_evaluation, nclasses), FIELD(grl_fpgnn_evaluation, proba),

    /* node regression on graph sets: MPNN and CGS (gnn.h, issue 12) */
    STRUCT(grl_mpnn_options), FIELD(grl_mpnn_options, model),
    FIELD(grl_mpnn_options, layers), FIELD(grl_mpnn_options, hidden),
    FIELD(grl_mpnn_options, batch_graphs), FIELD(grl_mpnn_options, val_fraction),
    FIELD(grl_mpnn_options, train), FIELD(grl_mpnn_options, heads),
    FIELD(grl_mpnn_options, gamma), FIELD(grl_mpnn_options, solver),
    STRUCT(grl_mpnn_train_result), FIELD(grl_mpnn_train_result, epochs_run),
    FIELD(grl_mpnn_train_result, best_epoch), FIELD(grl_mpnn_train_result, train_mse),
    FIELD(grl_mpnn_train_result, val_mse), FIELD(grl_mpnn_train_result, seconds),
    FIELD(grl_mpnn_train_result, solves), FIELD(grl_mpnn_train_result, capped),
    FIELD(grl_mpnn_train_result, forward_iterations),
    FIELD(grl_mpnn_train_result, adjoint_iterations),
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
    CONSTANT(GRL_DIGRAPH_PATTERNS), CONSTANT(GRL_ADPA_MAX_DECAYS),
    CONSTANT(GRL_ADPA_PATTERNS_AUTO), CONSTANT(GRL_ADPA_PATTERNS_ALL_UNDIRECTED),
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
