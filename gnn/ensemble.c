/* ensemble.c — ensembles of node models on one split, for every learner's
 * evaluation over splits (ADPA, the fixed-point GNNs): the members' seeds
 * (they differ only there: initialisation, dropout, batch order; the split
 * and any precomputed input are the same), the sum of their softmax
 * probabilities over a split's rows of one role, the accuracy read from
 * it, and the pick of the best split's model. Averaging probabilities is
 * the variance reduction: the members' noise averages out where a single
 * model's epoch and initialisation decide near-tied nodes. */
#include "nn.h"

#include <math.h>

uint64_t grl_nn_member_seed(uint64_t seed, int64_t member)
{
    if (member == 0) return seed;
    grl_rng rng;
    grl_rng_init(&rng, seed, (uint64_t)member);
    return grl_rng_u64(&rng);
}

/* sum[rows[i]] += softmax(z_i) for the n rows of logits z (n x k), in
 * double: distinct float logits keep distinct probabilities, so a single
 * member's argmax is its logits' (grl_nn_correct's). */
static void add_softmax(double *sum, const int64_t *rows, int64_t n,
                        const float *z, int64_t k)
{
    for (int64_t i = 0; i < n; i++) {
        const float *zi = z + i * k;
        double *si = sum + rows[i] * k;
        double mx = zi[0], total = 0;
        for (int64_t c = 1; c < k; c++) mx = zi[c] > mx ? zi[c] : mx;
        for (int64_t c = 0; c < k; c++) total += exp(zi[c] - mx);
        for (int64_t c = 0; c < k; c++) si[c] += exp(zi[c] - mx) / total;
    }
}

int grl_nn_add_probabilities(grl_nn_model *m, const grl_node_labels *L,
                             const grl_node_splits *S, int64_t split,
                             grl_split_role role, const grl_gnn_train_options *opt,
                             double *sum, char *msg)
{
    int64_t *rows = NULL;
    float *logits = NULL;
#define FREE_ALL free(rows); free(logits)
    int64_t n, k = m->nclasses;
    GRL_TRY(grl_nn_split_rows(&rows, &n, S, L, split, GRL_SPLIT_TRAIN, msg));
    const int64_t batch = grl_nn_eval_batch(opt, n);
    free(rows);
    rows = NULL;
    GRL_TRY(grl_nn_split_rows(&rows, &n, S, L, split, role, msg));
    GRL_ALLOC(logits, float, grl_size_mul((size_t)n, (size_t)k));
    GRL_TRY(grl_nn_predict(m, rows, n, batch, logits, msg));
    const int64_t bad = grl_first_nonfinite(logits, n * k);
    GRL_REQUIRE(bad < 0, "node %" PRId64 "'s class scores overflow float32: "
                "the model's parameters are too large for its inputs", rows[bad / k]);
    add_softmax(sum, rows, n, logits, k);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

double grl_nn_split_accuracy(const double *proba, const grl_node_labels *L,
                             const grl_node_splits *S, int64_t split,
                             grl_split_role role)
{
    const uint8_t *r = S->role + split * S->nodes;
    const int64_t k = L->nclasses;
    int64_t rows = 0, correct = 0;
    for (int64_t i = 0; i < S->nodes; i++) {
        if (r[i] != role || L->y[i] < 0) continue;
        const double *p = proba + i * k;
        int64_t best = 0;
        for (int64_t c = 1; c < k; c++)
            if (p[c] > p[best]) best = c;
        rows++;
        correct += best == L->y[i];
    }
    return rows > 0 ? (double)correct / (double)rows : NAN;
}

int grl_nn_ensemble_finish(double *sum, int64_t members, const grl_node_labels *L,
                           const grl_node_splits *S, int64_t split,
                           const char *row_noun, double *proba, double *val,
                           double *test, char *msg)
{
#define FREE_ALL ;
    const int64_t k = L->nclasses;
    const size_t cells = grl_size_mul((size_t)L->nodes, (size_t)k);
    for (size_t c = 0; c < cells; c++) sum[c] /= (double)members;
    *val = grl_nn_split_accuracy(sum, L, S, split, GRL_SPLIT_VAL);
    *test = grl_nn_split_accuracy(sum, L, S, split, GRL_SPLIT_TEST);
    if (isnan(*test))
        GRL_FAIL(GRL_INVALID_ARGUMENT, "split %" PRId64 " has no labelled test %s",
                 split, row_noun);
    const uint8_t *role = S->role + split * S->nodes;
    for (int64_t i = 0; i < L->nodes; i++)
        if (role[i] == GRL_SPLIT_TEST)
            memcpy(proba + i * k, sum + i * k, sizeof(double) * (size_t)k);
    return 0;
#undef FREE_ALL
}

void grl_nn_keep_best_split(double val, double *best_val, double *val_sum,
                            void **top, void **first)
{
    *val_sum += val;
    if (val <= *best_val) return;
    *best_val = val;
    void *previous = *top;
    *top = *first;
    *first = previous;
}
