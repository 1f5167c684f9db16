/* dag_metrics.c — notears' count_accuracy on a thresholded estimate, and
 * the graph helpers it needs (topological order, DAG check). */
#include "dag_internal.h"

#include <math.h>

bool grl_dag_topological_order(int64_t *order, const double *W, int64_t d)
{
    /* Kahn's algorithm taking the smallest ready index first, O(d^2) */
    int64_t *indeg = grl_calloc((size_t)d, sizeof *indeg);
    uint8_t *done = grl_calloc((size_t)d, 1);
    bool ok = indeg != NULL && done != NULL;
    int64_t placed = 0;
    if (ok) {
        for (int64_t i = 0; i < d; i++)
            for (int64_t j = 0; j < d; j++)
                if (W[i * d + j] != 0) indeg[j]++;
        while (placed < d) {
            int64_t v = -1;
            for (int64_t j = 0; j < d && v < 0; j++)
                if (!done[j] && indeg[j] == 0) v = j;
            if (v < 0) break;
            done[v] = 1;
            order[placed++] = v;
            for (int64_t j = 0; j < d; j++)
                if (W[v * d + j] != 0) indeg[j]--;
        }
    }
    free(indeg);
    free(done);
    return ok && placed == d;
}

int grl_dag_metrics_compute(grl_dag_metrics *m, const double *W_est,
                            const double *B_true, int64_t d, double threshold,
                            char *msg)
{
    int64_t *order = NULL;
    double *Best = NULL;
#define FREE_ALL free(order); free(Best)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(m != NULL && W_est != NULL && B_true != NULL,
                "grl_dag_metrics_compute: NULL argument");
    GRL_REQUIRE(d >= 1 && d <= 1000000, "metrics need 1..10^6 variables, got %"
                PRId64, d);
    GRL_REQUIRE(threshold >= 0 && isfinite(threshold), "threshold must be "
                "finite and >= 0, got %g", threshold);
    size_t dd = grl_size_mul((size_t)d, (size_t)d);
    GRL_ALLOC(order, int64_t, (size_t)d);
    GRL_ALLOC(Best, double, dd);
    for (int64_t i = 0; i < d; i++) {
        for (int64_t j = 0; j < d; j++) {
            double w = W_est[i * d + j], b = B_true[i * d + j];
            if (isnan(w))
                GRL_FAIL(GRL_INVALID_ARGUMENT, "estimate entry (%" PRId64 ", %"
                         PRId64 ") is NaN", i, j);
            if (isnan(b))
                GRL_FAIL(GRL_INVALID_ARGUMENT, "truth entry (%" PRId64 ", %"
                         PRId64 ") is NaN", i, j);
            if (i == j && b != 0)
                GRL_FAIL(GRL_INVALID_ARGUMENT, "the true graph has a self-loop "
                         "at variable %" PRId64, i);
            Best[i * d + j] = fabs(w) >= threshold && w != 0 ? 1.0 : 0.0;
        }
    }
    if (!grl_dag_topological_order(order, B_true, d))
        GRL_FAIL(GRL_INVALID_ARGUMENT, "the true graph has a cycle");
    grl_dag_metrics r = {0};
    r.est_is_dag = grl_dag_topological_order(order, Best, d);
    int64_t cond = 0, pred = 0;
    for (int64_t i = 0; i < d; i++) {
        for (int64_t j = 0; j < d; j++) {
            bool e = Best[i * d + j] != 0, t = B_true[i * d + j] != 0;
            bool rev = B_true[j * d + i] != 0;
            cond += t;
            pred += e;
            if (e && t) r.true_positive++;
            else if (e && rev) r.reversed++;
            else if (e) r.false_positive++;
            if (i > j) { /* skeleton, lower triangle */
                bool pe = e || Best[j * d + i] != 0, te = t || rev;
                if (pe && !te) r.extra++;
                if (te && !pe) r.missing++;
            }
        }
    }
    double neg = 0.5 * (double)d * (double)(d - 1) - (double)cond;
    r.nnz = pred;
    r.shd = r.extra + r.missing + r.reversed;
    r.fdr = (double)(r.reversed + r.false_positive) / (double)(pred > 1 ? pred : 1);
    r.tpr = (double)r.true_positive / (double)(cond > 1 ? cond : 1);
    r.fpr = (double)(r.reversed + r.false_positive) / (neg > 1 ? neg : 1);
    *m = r;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
