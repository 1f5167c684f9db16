/* fpgnn_ensemble.c — ensembles of fixed-point GNNs in the evaluations over
 * splits: the members' seeds (they differ only there: initialisation,
 * dropout, batch order; the split is the same), the mean of their softmax
 * probabilities over a split's validation and test rows, and the accuracy
 * read from it. Averaging probabilities is the variance reduction: on
 * MUTAG's 19-graph folds one graph is 5 points of accuracy. */
#include "fpgnn_internal.h"

/* The general parts live in gnn/ensemble.c (grl_nn_*), shared with ADPA. */

uint64_t grl_fpgnn_member_seed(uint64_t seed, int64_t member)
{
    return grl_nn_member_seed(seed, member);
}

int grl_fpgnn_add_probabilities(grl_fpgnn *M, const grl_node_labels *L,
                                const grl_node_splits *S, int64_t split,
                                const grl_gnn_train_options *opt, double *sum,
                                char *msg)
{
    return grl_nn_add_probabilities(&M->base, L, S, split, opt, sum, msg);
}

double grl_fpgnn_split_accuracy(const double *proba, const grl_node_labels *L,
                                const grl_node_splits *S, int64_t split,
                                grl_split_role role)
{
    return grl_nn_split_accuracy(proba, L, S, split, role);
}
