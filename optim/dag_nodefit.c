/* dag_nodefit.c — TOPO's inner fit for the scores without a Cholesky
 * shortcut: the logistic loss, and least squares with an l1 weight. Each
 * variable j is regressed on the set P of its predecessors in the order,
 *     min_w  loss_j(w) + lambda1 |w|_1 + lambda2/2 |w|^2,
 * the per-variable part of the NOTEARS score (the reference TOPO does the
 * same with scikit-learn's LinearRegression / LogisticRegression), where
 *   l2:        loss_j = 1/(2n) |xc_j - Xc_P w|^2
 *                     = 1/2 (G_jj - 2 G_Pj'w + w'G_PP w),  G = Xc'Xc / n,
 *              O(k^2) per evaluation from the Gram matrix (its diagonal
 *              carries lambda2, which supplies the ridge term);
 *   logistic:  loss_j = 1/n sum_i log(1 + e^{m_i}) - x_ij m_i,  m = X_P w,
 *              no intercept, as grl_dag_score and NOTEARS.
 * The l1 term goes through the split w = u - v, u, v >= 0, so that the
 * objective is smooth under bounds (grl_lbfgsb_minimize), as in NOTEARS. */
#include "dag_internal.h"

#include <math.h>

/* Tight tolerances: TOPO compares sums of these optima to decide swaps. */
#define NODEFIT_GTOL 1e-9
#define NODEFIT_MAX_ITER 2000

typedef struct {
    const grl_dag_nodefit *fit;
    int64_t j, k;
    const int64_t *P;
    double *w, *grad_w; /* k each */
} node_problem;

/* f and its gradient in the split variables x = (u, v), w = u - v. */
static int node_objective(const double *x, double *grad, double *f, void *ctx)
{
    node_problem *q = ctx;
    const grl_dag_nodefit *F = q->fit;
    const int64_t k = q->k, j = q->j;
    double l1 = 0, value = 0;
    for (int64_t a = 0; a < k; a++) {
        q->w[a] = x[a] - x[k + a];
        l1 += x[a] + x[k + a];
    }
    if (F->loss == GRL_DAG_LOSS_L2) {
        const int64_t d = F->g->d;
        const double *G = F->g->G;
        value = 0.5 * (G[j * d + j] - F->g->lambda2);
        for (int64_t a = 0; a < k; a++) {
            double Gw = 0;
            for (int64_t b = 0; b < k; b++) Gw += G[q->P[a] * d + q->P[b]] * q->w[b];
            double c = G[q->P[a] * d + j];
            value += q->w[a] * (0.5 * Gw - c);
            q->grad_w[a] = Gw - c;
        }
    } else {
        const int64_t n = F->n, d = F->d;
        const double *X = F->X;
        memset(q->grad_w, 0, sizeof(double) * (size_t)k);
        for (int64_t i = 0; i < n; i++) {
            const double *row = X + i * d;
            double m = 0;
            for (int64_t a = 0; a < k; a++) m += row[q->P[a]] * q->w[a];
            value += (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))) - row[j] * m;
            double r = (m >= 0 ? 1.0 / (1.0 + exp(-m)) : exp(m) / (1.0 + exp(m))) - row[j];
            for (int64_t a = 0; a < k; a++) q->grad_w[a] += r * row[q->P[a]];
        }
        value /= (double)n;
        double l2 = 0;
        for (int64_t a = 0; a < k; a++) {
            q->grad_w[a] = q->grad_w[a] / (double)n + F->lambda2 * q->w[a];
            l2 += q->w[a] * q->w[a];
        }
        value += 0.5 * F->lambda2 * l2;
    }
    *f = value + F->lambda1 * l1;
    for (int64_t a = 0; a < k; a++) {
        grad[a] = q->grad_w[a] + F->lambda1;
        grad[k + a] = -q->grad_w[a] + F->lambda1;
    }
    return 0;
}

int grl_dag_nodefit_solve(double *value, double *w, const grl_dag_nodefit *fit,
                          int64_t j, const int64_t *P, int64_t k, bool warm,
                          double *work, char *msg)
{
    if (k == 0) { /* no predecessors: the loss of w = 0 */
        node_problem q = {fit, j, 0, P, work, work};
        return node_objective(work, work, value, &q);
    }
    double *x = work, *lower = x + 2 * k, *grad_w = lower + 2 * k, *wk = grad_w + k;
    memset(x, 0, sizeof(double) * 4 * (size_t)k); /* x = 0, lower bounds 0 */
    if (warm) /* start from w = u - v with u, v >= 0 disjoint */
        for (int64_t a = 0; a < k; a++) {
            x[a] = fmax(w[a], 0.0);
            x[k + a] = fmax(-w[a], 0.0);
        }
    node_problem q = {fit, j, k, P, wk, grad_w};
    grl_lbfgs_options o;
    grl_lbfgs_options_init(&o);
    o.gtol = NODEFIT_GTOL;
    o.ftol = 0;
    o.max_iter = NODEFIT_MAX_ITER;
    grl_lbfgs_result r;
    int rc = grl_lbfgsb_minimize(node_objective, &q, 2 * k, x, lower, NULL, &o, &r, msg);
    if (rc < 0) return rc;
    /* GRL_NOT_CONVERGED (separable logistic data drive |w| up; the line
     * search stalls at the precision of f) leaves a usable optimum */
    if (msg) msg[0] = '\0';
    *value = r.f;
    for (int64_t a = 0; a < k; a++) w[a] = x[a] - x[k + a];
    return 0;
}
