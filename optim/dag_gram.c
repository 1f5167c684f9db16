/* dag_gram.c — the least-squares inner fit of TOPO as linear algebra on
 * the Gram matrix G = Xc'Xc / n (Xc the centred data), computed once: the
 * fit of an order is the Cholesky factor L of G permuted by the order; the
 * residual variance of the k-th variable on its predecessors is L_kk^2, so
 * the score is 1/2 sum_k L_kk^2, and the weights are W = I - L^-T diag(L).
 * A swap of positions p < q changes rows p..q of L only; its effect on the
 * score comes from the diagonal block by one rank-one update and one
 * downdate (O((q-p)^2), grl_dag_swap_delta). */
#include "dag_internal.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>

/* The refit starts from the weights of at least this share of the
 * threshold (see grl_dag_refit_support). */
#ifndef REFIT_ENTER
#define REFIT_ENTER 0.5
#endif

void grl_dag_centre(double *Xc, const double *X, int64_t n, int64_t d)
{
    for (int64_t j = 0; j < d; j++) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += X[i * d + j];
        double mean = s / (double)n;
        for (int64_t i = 0; i < n; i++) Xc[i * d + j] = X[i * d + j] - mean;
    }
}

void grl_dag_gram_free(grl_dag_gram *g)
{
    if (g == NULL) return;
    free(g->G);
    g->G = NULL;
}

int grl_dag_gram_build(grl_dag_gram *g, const grl_dag_data *data,
                       double lambda2, char *msg)
{
    double *Xc = NULL;
    const int64_t n = data->n, d = data->d;
    g->G = NULL;
#define FREE_ALL free(Xc); grl_dag_gram_free(g)
    GRL_REQUIRE(n >= 2, "DAG learning needs at least 2 samples, got %" PRId64, n);
    for (int64_t j = 0; j < d; j++) {
        int64_t i = 1;
        while (i < n && data->X[i * d + j] == data->X[j]) i++;
        if (i == n)
            GRL_FAIL(GRL_INVALID_ARGUMENT, "variable '%.60s' (column %" PRId64
                     ") is constant; remove it", data->names ? data->names[j]
                     : "?", j + 1);
    }
    g->d = d;
    g->lambda2 = lambda2;
    GRL_ALLOC(Xc, double, grl_size_mul((size_t)n, (size_t)d));
    GRL_ALLOC(g->G, double, grl_size_mul((size_t)d, (size_t)d));
    grl_dag_centre(Xc, data->X, n, d);
    /* OpenBLAS splits dsyrk over the output, never over the n-sum, so the
     * result is the same for any thread count (tested) */
    cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, (int)d, (int)n,
                1.0 / (double)n, Xc, (int)d, 0.0, g->G, (int)d);
    for (int64_t i = 0; i < d; i++) {
        for (int64_t j = i + 1; j < d; j++) g->G[i * d + j] = g->G[j * d + i];
        g->G[i * d + i] += lambda2;
    }
    /* squares of values beyond 1e154 overflow: found by fuzz_dag_data,
     * whose NaN factor then corrupted the order search */
    for (int64_t i = 0; i < d; i++)
        if (!isfinite(g->G[i * d + i]))
            GRL_FAIL(GRL_INVALID_ARGUMENT, "variable '%.60s' (column %" PRId64
                     ") is too large to square in double precision; rescale "
                     "the data", data->names ? data->names[i] : "?", i + 1);
    free(Xc);
    return 0;
#undef FREE_ALL
}

int grl_dag_chol_order(double *L, const grl_dag_gram *g, const int64_t *order)
{
    const int64_t d = g->d;
    for (int64_t a = 0; a < d; a++) {
        for (int64_t b = 0; b <= a; b++) L[a * d + b] = g->G[order[a] * d + order[b]];
        for (int64_t b = a + 1; b < d; b++) L[a * d + b] = 0.0;
    }
    lapack_int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)d, L,
                                     (lapack_int)d);
    return info > 0 ? (int)info : info < 0 ? -1 : 0;
}

void grl_dag_chol_inverse(double *Linv, const double *L, int64_t d)
{
    memcpy(Linv, L, (size_t)d * (size_t)d * sizeof *L);
    LAPACKE_dtrtri(LAPACK_ROW_MAJOR, 'L', 'N', (lapack_int)d, Linv, (lapack_int)d);
}

void grl_dag_weights_from_chol(double *W, const double *L, const double *Linv,
                               const int64_t *order, int64_t d)
{
    memset(W, 0, (size_t)d * (size_t)d * sizeof *W);
    for (int64_t b = 1; b < d; b++)
        for (int64_t a = 0; a < b; a++)
            W[order[a] * d + order[b]] = -Linv[b * d + a] * L[b * d + b];
}

double grl_dag_chol_score(const double *L, int64_t d, double lambda2)
{
    double s = 0;
    for (int64_t k = 0; k < d; k++) s += L[k * d + k] * L[k * d + k] - lambda2;
    return 0.5 * s;
}

/* K K' + sign * v v' for K lower m x m (row stride m), in place, v
 * destroyed (LINPACK's dchud / dchdd by Givens rotations). false when a
 * downdate leaves a pivot that is not positive. */
static bool chol_rank_one(double *K, int64_t m, double *v, double sign)
{
    for (int64_t k = 0; k < m; k++) {
        double kk = K[k * m + k];
        double r2 = kk * kk + sign * v[k] * v[k];
        if (!(r2 > 0)) return false;
        double r = sqrt(r2), c = r / kk, s = v[k] / kk;
        K[k * m + k] = r;
        for (int64_t i = k + 1; i < m; i++) {
            double kik = (K[i * m + k] + sign * s * v[i]) / c;
            v[i] = c * v[i] - s * kik;
            K[i * m + k] = kik;
        }
    }
    return true;
}

double grl_dag_swap_delta(const double *L, const double *Linv, int64_t d,
                          int64_t p, int64_t q, double *work)
{
    const int64_t m = q - p + 1, mm = m - 2;
    const double *lb = L + q * d + p; /* row of b = order[q], from column p */
    double old = 0, rb = 0, ra = 0;
    for (int64_t k = p; k <= q; k++) old += L[k * d + k] * L[k * d + k];
    for (int64_t j = 0; j < m; j++) rb += lb[j] * lb[j];
    for (int64_t i = p; i <= q; i++) ra += Linv[i * d + p] * Linv[i * d + p];
    double now = rb + 1.0 / ra;
    if (mm > 0) {
        /* the middle variables now condition on b instead of a: their
         * covariance given the prefix and the earlier middle ones is
         * K K' + x x' - y y' with K the middle block, x their column of a,
         * y = s_Mb / sqrt(S_bb) */
        double *K = work, *x = K + mm * mm, *y = x + mm;
        for (int64_t i = 0; i < mm; i++) {
            const double *row = L + (p + 1 + i) * d + p;
            x[i] = row[0];
            double s = 0;
            for (int64_t j = 0; j <= i + 1; j++) s += row[j] * lb[j];
            y[i] = s / sqrt(rb);
            for (int64_t j = 0; j < mm; j++) K[i * mm + j] = j <= i ? row[1 + j] : 0.0;
        }
        if (!chol_rank_one(K, mm, x, 1.0) || !chol_rank_one(K, mm, y, -1.0))
            return NAN;
        for (int64_t i = 0; i < mm; i++) now += K[i * mm + i] * K[i * mm + i];
    }
    return 0.5 * (now - old);
}

double grl_dag_swap_delta_refit(const grl_dag_gram *g, const int64_t *order,
                                int64_t p, int64_t q)
{
    const int64_t d = g->d;
    double *L = grl_malloc((size_t)d * (size_t)d * sizeof *L);
    int64_t *o = grl_malloc((size_t)d * sizeof *o);
    double delta = NAN;
    if (L && o) {
        memcpy(o, order, (size_t)d * sizeof *o);
        if (grl_dag_chol_order(L, g, o) == 0) {
            double before = 0;
            for (int64_t k = p; k <= q; k++) before += L[k * d + k] * L[k * d + k];
            o[p] = order[q];
            o[q] = order[p];
            if (grl_dag_chol_order(L, g, o) == 0) {
                double after = 0;
                for (int64_t k = p; k <= q; k++) after += L[k * d + k] * L[k * d + k];
                delta = 0.5 * (after - before);
            }
        }
    }
    free(L);
    free(o);
    return delta;
}

int grl_dag_score_order_raw(double *score, const double *Xc, int64_t n,
                            int64_t d, const int64_t *order, int64_t from,
                            int64_t to, char *msg)
{
    double *A = NULL, *y = NULL;
#define FREE_ALL free(A); free(y)
    GRL_ALLOC(A, double, grl_size_mul((size_t)n, (size_t)d));
    GRL_ALLOC(y, double, (size_t)n);
    double s = 0;
    for (int64_t k = from; k <= to; k++) {
        for (int64_t i = 0; i < n; i++) {
            y[i] = Xc[i * d + order[k]];
            for (int64_t c = 0; c < k; c++) A[i * k + c] = Xc[i * d + order[c]];
        }
        if (k > 0 &&
            LAPACKE_dgels(LAPACK_ROW_MAJOR, 'N', (lapack_int)n, (lapack_int)k, 1,
                          A, (lapack_int)k, y, 1) != 0)
            GRL_FAIL(GRL_INVALID_ARGUMENT, "least squares failed at position %"
                     PRId64, k);
        /* after dgels, y[k..n-1] holds the residual's coordinates */
        double rss = 0;
        for (int64_t i = k; i < n; i++) rss += y[i] * y[i];
        s += rss / (double)n;
    }
    *score = 0.5 * s;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_dag_refit_support(double *W, const grl_dag_gram *g, double threshold,
                          char *msg)
{
    const int64_t d = g->d;
    double *A = NULL, *b = NULL;
    int64_t *S = NULL;
#define FREE_ALL free(A); free(b); free(S)
    GRL_ALLOC(A, double, grl_size_mul((size_t)d, (size_t)d));
    GRL_ALLOC(b, double, (size_t)d);
    GRL_ALLOC(S, int64_t, (size_t)d);
    const double enter = REFIT_ENTER * threshold;
    for (int64_t j = 0; j < d; j++) {
        int64_t k = 0;
        for (int64_t i = 0; i < d; i++)
            if (W[i * d + j] != 0 && fabs(W[i * d + j]) >= enter) S[k++] = i;
        for (int64_t i = 0; i < d; i++) W[i * d + j] = 0;
        for (;;) { /* least squares on the support; drop the smallest weight
                      below threshold, one at a time, until none is */
            if (k == 0) break;
            for (int64_t r = 0; r < k; r++) {
                for (int64_t c = 0; c < k; c++) A[r * k + c] = g->G[S[r] * d + S[c]];
                b[r] = g->G[S[r] * d + j];
            }
            if (LAPACKE_dposv(LAPACK_ROW_MAJOR, 'L', (lapack_int)k, 1, A,
                              (lapack_int)k, b, 1) != 0)
                GRL_FAIL(GRL_INVALID_ARGUMENT, "the Gram matrix is singular on "
                         "the parents of variable %" PRId64, j);
            int64_t weakest = 0;
            for (int64_t r = 1; r < k; r++)
                if (fabs(b[r]) < fabs(b[weakest])) weakest = r;
            if (fabs(b[weakest]) >= threshold) break;
            S[weakest] = S[k - 1];
            k--;
        }
        for (int64_t r = 0; r < k; r++) W[S[r] * d + j] = b[r];
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
