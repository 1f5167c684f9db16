/* adpa_evaluate.c — ADPA over every split of a set of splits: one
 * propagation, one model (or an ensemble of them, gnn/ensemble.c) per
 * split, test accuracy mean and std, mean branch masses (what `grl gnn
 * adpa` and grl.gnn.adpa report). */
#include "adpa_internal.h"

#include <math.h>

void grl_adpa_evaluation_release(grl_adpa_evaluation *E)
{
    if (E == NULL) return;
    free(E->test);
    free(E->val);
    free(E->proba);
    E->test = E->val = NULL;
    E->proba = NULL;
}

/* Train split s with each candidate weight decay (the same seed: a fresh
 * init per split, not per candidate) and keep the best on validation. */
static int train_split(grl_adpa **best, grl_gnn_train_result *best_r,
                       const grl_adpa_prop *P, const grl_node_labels *L,
                       const grl_node_splits *S, int64_t s,
                       const grl_adpa_options *o, char *msg)
{
    grl_adpa *M = NULL;
#define FREE_ALL grl_adpa_free(&M)
    grl_adpa_options os = *o;
    os.train.seed = o->train.seed + (uint64_t)s;
    const int candidates = o->decays > 0 ? o->decays : 1;
    for (int d = 0; d < candidates; d++) {
        grl_gnn_train_result r;
        if (o->decays > 0) os.train.optimizer.weight_decay = o->decay[d];
        GRL_TRY(grl_adpa_train(&M, &r, P, L, S, s, &os, msg));
        if (d == 0 || r.val_accuracy > best_r->val_accuracy ||
            (r.val_accuracy == best_r->val_accuracy && r.val_loss < best_r->val_loss)) {
            grl_adpa_free(best);
            *best = M;
            M = NULL;
            *best_r = r;
        }
        grl_adpa_free(&M);
    }
    return 0;
#undef FREE_ALL
}

int grl_adpa_evaluate(grl_adpa_evaluation *E, grl_adpa **best,
                      grl_adpa_prop **pred_P, grl_graph *G,
                      const grl_dense *X, const grl_node_labels *L,
                      const grl_node_splits *S, const grl_adpa_options *opt,
                      char *msg)
{
    grl_adpa_prop *P = NULL;
    grl_adpa *M = NULL, *first = NULL, *top = NULL;
    double *test = NULL, *vals = NULL, *mean = NULL, *proba = NULL;
#define FREE_ALL grl_adpa_prop_free(&P); grl_adpa_free(&M); grl_adpa_free(&first); \
    grl_adpa_free(&top); free(test); free(vals); free(mean); free(proba)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(E != NULL && G != NULL && X != NULL && L != NULL && S != NULL,
                "grl_adpa_evaluate: NULL argument");
    memset(E, 0, sizeof(*E));
    if (best) *best = NULL;
    if (pred_P) *pred_P = NULL;
    grl_adpa_options o;
    if (opt) o = *opt;
    else grl_adpa_options_init(&o);
    GRL_REQUIRE(o.ensemble >= 1 && o.ensemble <= 256, "ensemble must be in 1..256 "
                "(models per split), got %" PRId64, o.ensemble);
    GRL_REQUIRE(o.decays >= 0 && o.decays <= GRL_ADPA_MAX_DECAYS,
                "decays must be in 0..%d, got %d", GRL_ADPA_MAX_DECAYS, o.decays);
    for (int d = 0; d < o.decays; d++)
        GRL_REQUIRE(o.decay[d] >= 0 && isfinite(o.decay[d]),
                    "weight decay %d is %g; it must be >= 0", d + 1, o.decay[d]);
    if (o.patterns == GRL_ADPA_PATTERNS_AUTO) {
        grl_digraph_profile_result prof;
        GRL_TRY(grl_digraph_profile(&prof, G, L, S, 0, X, msg));
        o.patterns = prof.recommended;
    }
    GRL_TRY(grl_adpa_prop_build(&P, G, X, &o, msg));
    const int B = P->nbranches;
    const int64_t k = L->nclasses;
    const size_t cells = grl_size_mul((size_t)L->nodes, (size_t)k);
    GRL_ALLOC(test, double, S->nsplits);
    GRL_ALLOC(vals, double, S->nsplits);
    GRL_ALLOC(mean, double, cells);
    GRL_CALLOC(proba, double, cells);
    const double models = (double)S->nsplits * (double)o.ensemble;
    double mass[GRL_ADPA_MAX_BRANCHES] = {0}, best_val = -1, val_sum = 0;
    for (int64_t s = 0; s < S->nsplits; s++) {
        memset(mean, 0, sizeof(double) * cells);
        for (int64_t j = 0; j < o.ensemble; j++) {
            grl_adpa_options oj = o;
            oj.train.seed = grl_nn_member_seed(o.train.seed, j);
            grl_gnn_train_result r;
            GRL_TRY(train_split(&M, &r, P, L, S, s, &oj, msg));
            GRL_TRY(grl_adpa_add_probabilities(M, P, L, S, s, &oj.train, mean, msg));
            double m[GRL_ADPA_MAX_BRANCHES];
            GRL_TRY(grl_adpa_branch_mass(M, P, m, msg));
            for (int b = 0; b < B; b++) mass[b] += m[b] / models;
            if (j == 0) {
                first = M;
                M = NULL;
            }
            grl_adpa_free(&M);
        }
        double val;
        GRL_TRY(grl_nn_ensemble_finish(mean, o.ensemble, L, S, s, "node", proba, &val,
                                       &test[s], msg));
        grl_nn_keep_best_split(val, &best_val, &val_sum, (void **)&top, (void **)&first);
        grl_adpa_free(&first);
        vals[s] = val;
    }
    E->splits = S->nsplits;
    grl_nn_mean_std(test, S->nsplits, &E->test_mean, &E->test_std);
    E->val_mean = val_sum / (double)S->nsplits;
    E->branches = B;
    E->chosen = o.patterns;
    for (int b = 0; b < B; b++) {
        E->mass[b] = mass[b];
        snprintf(E->branch_names[b], sizeof E->branch_names[b], "%s",
                 grl_branch_names[P->kind[b]]);
    }
    E->rows = L->nodes;
    E->nclasses = k;
    E->test = test;
    E->val = vals;
    E->proba = proba;
    test = vals = proba = NULL;
    if (best) {
        *best = top;
        top = NULL;
    }
    if (pred_P) {
        *pred_P = P;
        P = NULL;
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
