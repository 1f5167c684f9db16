/* test_fixed_point.c — the fixed-point solver and the convergent GNNs on it
 * (APPNP, IGNN, CGS) against independent oracles: the forward fixed point
 * against a dense solve (I - γA)⁻¹ b in double; implicit gradients against
 * central finite differences of double-precision oracles (dense solves, a
 * double IGNN iteration) AND against back-propagation unrolled through many
 * iterations, written out in double; every model's end-to-end gradient
 * against finite differences; GRL_NOT_CONVERGED at the cap; same bits with
 * 1 and 2 threads; hostile options; model files; Cora's published figure. */
#include "testutil.h"
#include "../gnn/cgs_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small directed graph, as arcs src -> dst ------------------------- */

#define N 9
#define NARCS 17
static const int64_t asrc[NARCS] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 2, 5, 8, 3, 6, 1, 4};
static const int64_t adst[NARCS] = {1, 2, 3, 4, 5, 6, 7, 8, 0, 4, 7, 1, 3, 6, 2, 8, 1};

typedef struct {
    int64_t ptr[N + 1], src[NARCS];
} in_csr;

/* The incoming-arc CSR, built here by brute force (sources ascending). */
static void build_in(in_csr *c)
{
    int64_t q = 0;
    c->ptr[0] = 0;
    for (int64_t i = 0; i < N; i++) {
        for (int64_t j = 0; j < N; j++)
            for (int e = 0; e < NARCS; e++)
                if (adst[e] == i && asrc[e] == j) c->src[q++] = j;
        c->ptr[i + 1] = q;
    }
}

static void fill_random(float *x, int64_t count, uint64_t seed, double lo, double hi)
{
    grl_rng rng;
    grl_rng_init(&rng, seed, 3);
    for (int64_t i = 0; i < count; i++)
        x[i] = (float)(lo + (hi - lo) * grl_rng_uniform(&rng));
}

/* Dense head k of the arc weights: D[i][j] = w[p, k] for the arc p = j -> i. */
static void dense_head(double *D, const grl_fp_arcs *A, const double *w, int64_t wc,
                       int64_t k)
{
    memset(D, 0, sizeof(double) * A->n * A->n);
    for (int64_t i = 0; i < A->n; i++)
        for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
            D[i * A->n + A->src[p]] += w[p * wc + (wc == 1 ? 0 : k)];
}

/* Solve M x = r (n x n, Gaussian elimination with partial pivoting). */
static void dense_solve(double *x, const double *Min, const double *r, int64_t n)
{
    double M[N * N * 4], b[N * 2];
    assert_true(n <= 2 * N);
    memcpy(M, Min, sizeof(double) * n * n);
    memcpy(b, r, sizeof(double) * n);
    for (int64_t c = 0; c < n; c++) {
        int64_t piv = c;
        for (int64_t i = c + 1; i < n; i++)
            if (fabs(M[i * n + c]) > fabs(M[piv * n + c])) piv = i;
        for (int64_t j = 0; j < n; j++) {
            double t = M[c * n + j];
            M[c * n + j] = M[piv * n + j];
            M[piv * n + j] = t;
        }
        double t = b[c];
        b[c] = b[piv];
        b[piv] = t;
        for (int64_t i = c + 1; i < n; i++) {
            double f = M[i * n + c] / M[c * n + c];
            for (int64_t j = c; j < n; j++) M[i * n + j] -= f * M[c * n + j];
            b[i] -= f * b[c];
        }
    }
    for (int64_t i = n - 1; i >= 0; i--) {
        double s = b[i];
        for (int64_t j = i + 1; j < n; j++) s -= M[i * n + j] * x[j];
        x[i] = s / M[i * n + i];
    }
}

/* h = (I - γ A_k)⁻¹ b_k (or with Aᵀ) for every column k of the n x d b. */
static void dense_fixed_point(double *h, const grl_fp_arcs *A, const double *w,
                              int64_t wc, double gamma, const double *b, int64_t d,
                              bool transpose)
{
    const int64_t n = A->n;
    double D[N * N], M[N * N], col[N], x[N];
    for (int64_t k = 0; k < d; k++) {
        dense_head(D, A, w, wc, k);
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++)
                M[i * n + j] = (i == j) - gamma * (transpose ? D[j * n + i] : D[i * n + j]);
        for (int64_t i = 0; i < n; i++) col[i] = b[i * d + k];
        dense_solve(x, M, col, n);
        for (int64_t i = 0; i < n; i++) h[i * d + k] = x[i];
    }
}

static void to_double(double *y, const float *x, int64_t count)
{
    for (int64_t i = 0; i < count; i++) y[i] = x[i];
}

static void assert_close(double got, double want, double atol, double rtol,
                         const char *what, int64_t index)
{
    if (!(fabs(got - want) <= atol + rtol * fabs(want)))
        fail_msg("%s[%lld]: got %.9g, expected %.9g", what, (long long)index, got,
                 want);
}

static void expect_error(int rc, const char *msg, const char *needle)
{
    if (rc >= 0) fail_msg("expected an error mentioning '%s', got %d", needle, rc);
    if (strstr(msg, needle) == NULL) fail_msg("message '%s' lacks '%s'", msg, needle);
}

/* The small graph's arcs for the solver (c keeps the arrays A borrows). */
static grl_fp_arcs small_arcs(in_csr *c)
{
    char msg[GRL_MSG_LEN];
    grl_fp_arcs A = {0};
    build_in(c);
    assert_ok(grl_fp_arcs_init(&A, N, NARCS, c->ptr, c->src, msg));
    return A;
}

/* ---- the solver ------------------------------------------------------------ */

static void test_forward_matches_dense_solve(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    in_csr c;
    grl_fp_arcs A = small_arcs(&c);
    grl_fixed_point_options o;
    grl_fixed_point_options_init(&o);
    assert_double_near(o.tol, 1e-6, 0);
    assert_int_equal(o.max_iter, 50);
    o.max_iter = 1000;
    /* m = 3 heads with their own weights, and one weight shared by d = 2 */
    for (int shared = 0; shared < 2; shared++)
        for (int transpose = 0; transpose < 2; transpose++) {
            const int64_t d = shared ? 2 : 3, wc = shared ? 1 : d;
            float w[NARCS * 3], wt[NARCS * 3], b[N * 3], h[N * 3] = {0}, spare[N * 3];
            double wd[NARCS * 3], bd[N * 3], want[N * 3];
            fill_random(w, NARCS * wc, 5 + shared, 0, 0.6);
            fill_random(b, N * d, 9 + transpose, -2, 2);
            const double gamma = 0.8;
            double bound = grl_fp_norm_bound(&A, w, wc, gamma);
            assert_true(bound > 0 && bound < 1);
            float *hp = h, *sp = spare;
            grl_fixed_point_report rep;
            if (transpose)
                assert_ok(grl_fp_solve_adjoint(&hp, &sp, &A, w, wc, (float)gamma, b, d,
                                               wt, bound, "test", &o, &rep, msg));
            else
                assert_ok(grl_fp_solve_linear(&hp, &sp, &A, w, wc, (float)gamma, b, d,
                                              false, bound, "test", &o, &rep, msg));
            assert_true(rep.iterations > 5 && rep.residual <= o.tol);
            assert_double_near(rep.bound, bound, 0);
            to_double(wd, w, NARCS * wc);
            to_double(bd, b, N * d);
            dense_fixed_point(want, &A, wd, wc, gamma, bd, d, transpose);
            for (int64_t e = 0; e < N * d; e++)
                assert_close(hp[e], want[e], 1e-5, 1e-5, "fixed point", e);
        }
    grl_fp_arcs_release(&A);
}

/* One step Y = act(γ A X + B) (or Aᵀ) in double, from the arcs in arc order:
 * the transposed product by scattering along the forward arcs, so neither
 * the transposed lists nor the kernel's order are used. */
static void propagate_double(double *Y, const grl_fp_arcs *A, const float *w,
                             int64_t wc, double gamma, const float *X,
                             const float *B, int64_t d, bool transpose, bool relu)
{
    memset(Y, 0, sizeof(double) * A->n * d);
    for (int64_t i = 0; i < A->n; i++)
        for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++) {
            int64_t to = transpose ? A->src[p] : i, from = transpose ? i : A->src[p];
            for (int64_t c = 0; c < d; c++)
                Y[to * d + c] += (double)w[p * wc + (wc == 1 ? 0 : c)] * X[from * d + c];
        }
    for (int64_t e = 0; e < A->n * d; e++) {
        double v = gamma * Y[e] + (B ? B[e] : 0.0);
        Y[e] = relu && v < 0 ? 0 : v;
    }
}

/* n nodes with 0 to 20 random in-arcs each (seed), sources ascending; *ptr
 * and *src (the caller frees them) hold the lists the result borrows. */
static grl_fp_arcs random_arcs(int64_t n, uint64_t seed, int64_t **ptr, int64_t **src)
{
    char msg[GRL_MSG_LEN];
    int64_t *p = malloc(sizeof(int64_t) * (n + 1)), *sources = malloc(sizeof(int64_t) * n * 20);
    assert_non_null(p);
    assert_non_null(sources);
    grl_rng rng;
    grl_rng_init(&rng, seed, 0);
    p[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t deg = (int64_t)grl_rng_below(&rng, 21), *s = sources + p[i];
        for (int64_t k = 0; k < deg; k++) { /* ascending sources */
            int64_t v = (int64_t)grl_rng_below(&rng, (uint64_t)n), j = k;
            for (; j > 0 && s[j - 1] > v; j--) s[j] = s[j - 1];
            s[j] = v;
        }
        p[i + 1] = p[i] + deg;
    }
    grl_fp_arcs A;
    assert_ok(grl_fp_arcs_init(&A, n, p[n], p, sources, msg));
    *ptr = p;
    *src = sources;
    return A;
}

/* grl_fp_transpose_weights against the transposed order built here from
 * the forward arcs (arc p into i from j goes to the next free place of j's
 * list, targets ascending), for the row widths and alignments that take the
 * streaming scatter (wc 16, 32, 48 into a 64-byte aligned wt) and those that
 * take the gather (wc 1, 5; wt 16 bytes off), on 1 and 2 threads; every
 * float of wt is written (NaN before). Also in_pos against out_arc. */
static void test_transpose_weights(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t n = 8000, wmax = 48, widths[] = {1, 5, 16, 32, 48};
    int64_t *ptr, *src;
    grl_fp_arcs A = random_arcs(n, 13, &ptr, &src);
    const int64_t arcs = A.arcs;
    assert_true(arcs * 16 > GRL_NN_PARALLEL_WORK / 8); /* parallel on 2 */
    int64_t *place = malloc(sizeof(int64_t) * arcs), *next = calloc((size_t)n + 1, sizeof(int64_t));
    float *w = malloc(sizeof(float) * arcs * wmax);
    float *block = aligned_alloc(64, sizeof(float) * (arcs * wmax + 16));
    assert_non_null(place);
    assert_non_null(next);
    assert_non_null(w);
    assert_non_null(block);
    for (int64_t p = 0; p < arcs; p++) next[src[p] + 1]++;
    for (int64_t j = 0; j < n; j++) next[j + 1] += next[j];
    for (int64_t i = 0; i < n; i++)
        for (int64_t p = ptr[i]; p < ptr[i + 1]; p++) {
            place[p] = next[src[p]]++;
            assert_int_equal(A.in_pos[p], place[p]);
            assert_int_equal(A.out_arc[place[p]], p);
            assert_int_equal(A.out_node[place[p]], i);
        }
    fill_random(w, arcs * wmax, 61, -1, 1);
    for (int k = 0; k < 5; k++)
        for (int variant = 0; variant < 4; variant++) {
            const int64_t wc = widths[k];
            float *wt = block + (variant & 1 ? 4 : 0); /* 16 bytes off a line */
            assert_ok(grl_threads_set(variant & 2 ? 2 : 1, msg));
            for (int64_t e = 0; e < arcs * wc; e++) wt[e] = NAN;
            grl_fp_transpose_weights(wt, &A, w, wc);
            for (int64_t p = 0; p < arcs; p++)
                assert_memory_equal(wt + place[p] * wc, w + p * wc, sizeof(float) * wc);
        }
    assert_ok(grl_threads_set(2, msg));
    grl_fp_arcs_release(&A);
    free(ptr);
    free(src);
    free(place);
    free(next);
    free(w);
    free(block);
}

/* The propagation kernel at every column count it treats apart (a partial
 * register block of 16 columns, one block, blocks and a remainder), one
 * weight per arc or per column, A or Aᵀ, with and without bias and ReLU,
 * against propagate_double; its residual and largest entry against the
 * output; the same bits on 1 and 2 threads (arcs x d above the kernel's
 * parallel threshold); the adjoint solve against its fixed-point equation
 * and on 1 and 2 threads; the weight gradient and the norm bound against
 * their formulas. Rows have 0 to 20 arcs. */
static void test_propagate_block_widths(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t n = 8000, widths[] = {3, 16, 37};
    int64_t *ptr, *src;
    grl_fp_arcs A = random_arcs(n, 11, &ptr, &src);
    const int64_t dmax = 37, arcs = A.arcs;
    assert_true(arcs * 16 > GRL_NN_PARALLEL_WORK / 8);
    float *w = malloc(sizeof(float) * arcs * dmax), *wt = malloc(sizeof(float) * arcs * dmax);
    float *X = malloc(sizeof(float) * n * dmax), *B = malloc(sizeof(float) * n * dmax);
    float *Y = malloc(sizeof(float) * n * dmax), *Y2 = malloc(sizeof(float) * n * dmax);
    float *X2 = malloc(sizeof(float) * n * dmax);
    double *want = malloc(sizeof(double) * n * dmax);
    fill_random(w, arcs * dmax, 21, -0.2, 0.2);
    fill_random(X, n * dmax, 22, -1, 1);
    fill_random(B, n * dmax, 23, -1, 1);
    for (int k = 0; k < 3; k++)
        for (int shared = 0; shared < 2; shared++) {
            const int64_t d = widths[k], wc = shared ? 1 : d;
            for (int variant = 0; variant < 4; variant++) {
                const bool transpose = variant & 1, relu = variant & 2;
                const float *bias = variant == 1 ? NULL : B, *wk = w;
                if (transpose) {
                    grl_fp_transpose_weights(wt, &A, w, wc);
                    wk = wt;
                }
                double top, res = grl_fp_propagate(Y, &A, wk, wc, 0.7f, X, bias, d,
                                                   transpose, relu, X, &top);
                propagate_double(want, &A, w, wc, 0.7, X, bias, d, transpose, relu);
                double res_want = 0, top_want = 0;
                for (int64_t e = 0; e < n * d; e++) {
                    assert_close(Y[e], want[e], 1e-5, 1e-5, "propagation", e);
                    res_want = fmax(res_want, fabs((double)Y[e] - X[e]));
                    top_want = fmax(top_want, fabs((double)Y[e]));
                }
                assert_double_near(res, res_want, 0);
                assert_double_near(top, top_want, 0);
                assert_ok(grl_threads_set(1, msg));
                grl_fp_propagate(Y2, &A, wk, wc, 0.7f, X, bias, d, transpose, relu, X,
                                 NULL);
                assert_ok(grl_threads_set(2, msg));
                assert_memory_equal(Y, Y2, sizeof(float) * n * d);
            }
            /* the adjoint solve (the weights moved into Aᵀ's order in the
             * workspace wt): its fixed point satisfies y = γ Aᵀ y + B in
             * double, with the same bits on 1 and 2 threads */
            grl_fixed_point_options o;
            grl_fixed_point_options_init(&o);
            o.max_iter = 1000;
            const double gamma = 0.8 / grl_fp_norm_bound(&A, w, wc, 1.0);
            grl_fixed_point_report rep;
            for (int threads = 1; threads <= 2; threads++) {
                float *yp = threads == 1 ? Y : Y2, *sp = X2;
                memset(yp, 0, sizeof(float) * n * d);
                assert_ok(grl_threads_set(threads, msg));
                assert_ok(grl_fp_solve_adjoint(&yp, &sp, &A, w, wc, (float)gamma, B, d,
                                               wt, 0.8, "adjoint", &o, &rep, msg));
                if (yp != (threads == 1 ? Y : Y2)) /* the result is in the spare */
                    memcpy(sp, yp, sizeof(float) * n * d);
            }
            assert_memory_equal(Y, Y2, sizeof(float) * n * d);
            propagate_double(want, &A, w, wc, gamma, Y, B, d, true, false);
            for (int64_t e = 0; e < n * d; e++)
                assert_close(Y[e], want[e], 1e-4, 1e-4, "adjoint fixed point", e);
            /* the norm bound: 0.7 max over heads of min(max row sum, max
             * column sum) of |w|, the column sums scattered along the arcs */
            double worst = 0, *colsum = calloc((size_t)n, sizeof(double));
            for (int64_t k = 0; k < wc; k++) {
                double rows = 0, cols = 0;
                memset(colsum, 0, sizeof(double) * n);
                for (int64_t i = 0; i < n; i++) {
                    double r = 0;
                    for (int64_t p = A.ptr[i]; p < A.ptr[i + 1]; p++) {
                        r += fabs(w[p * wc + k]);
                        colsum[A.src[p]] += fabs(w[p * wc + k]);
                    }
                    rows = fmax(rows, r);
                }
                for (int64_t j = 0; j < n; j++) cols = fmax(cols, colsum[j]);
                worst = fmax(worst, fmin(rows, cols));
            }
            free(colsum);
            assert_close(grl_fp_norm_bound(&A, w, wc, 0.7), 0.7 * worst, 0, 1e-12,
                         "norm bound", wc);
            /* the weight gradient γ y[i, k] X[src p, k] (summed over k when
             * shared), taking Y of the step above as y */
            memset(wt, 0, sizeof(float) * arcs * wc);
            grl_fp_weight_grad(wt, &A, wc, 0.7f, Y, X, d);
            for (int64_t i = 0; i < n; i++)
                for (int64_t p = A.ptr[i]; p < A.ptr[i + 1]; p++) {
                    double sum = 0;
                    for (int64_t c = 0; c < d; c++) {
                        double g = 0.7 * Y[i * d + c] * X[A.src[p] * d + c];
                        if (wc == 1) sum += g;
                        else assert_close(wt[p * wc + c], g, 1e-6, 1e-5, "gradient", p);
                    }
                    if (wc == 1) assert_close(wt[p], sum, 1e-5, 1e-5, "gradient", p);
                }
        }
    grl_fp_arcs_release(&A);
    free(ptr);
    free(src);
    free(w);
    free(wt);
    free(X);
    free(B);
    free(Y);
    free(Y2);
    free(X2);
    free(want);
}

/* A linear map that sweeps every arc at every step, also from x = 0. */
typedef struct {
    const grl_fp_arcs *A;
    const float *w, *b;
    int64_t wc, d;
    bool transpose;
} full_sweep;

static double full_sweep_step(float *next, const float *x, double *xmax, void *ctx)
{
    const full_sweep *m = ctx;
    return grl_fp_propagate(next, m->A, m->w, m->wc, 0.6f, x, m->b, m->d, m->transpose,
                            false, x, xmax);
}

/* grl_fp_solve_linear's first step from h = 0 reads no arc: the same
 * iterates, bit for bit, as sweeping the arcs at every step
 * (grl_fp_iterate over grl_fp_propagate), from 0 and from a warm start,
 * forward and adjoint (the weights transposed by the caller, and by
 * grl_fp_solve_adjoint in a workspace), one weight per arc and per column,
 * on 1 and 2 threads. */
static void test_first_step_from_zero(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t n = 8000, d = 16;
    int64_t *ptr, *src;
    grl_fp_arcs A = random_arcs(n, 12, &ptr, &src);
    assert_true(A.arcs * d > GRL_NN_PARALLEL_WORK / 8); /* parallel on 2 */
    float *w = malloc(sizeof(float) * A.arcs * d);
    float *wt = aligned_alloc(64, sizeof(float) * A.arcs * d); /* whole lines */
    float *b = malloc(sizeof(float) * n * d), *start = malloc(sizeof(float) * n * d);
    float *buf[4];
    for (int k = 0; k < 4; k++) buf[k] = malloc(sizeof(float) * n * d);
    fill_random(b, n * d, 31, -1, 1);
    grl_fixed_point_options o;
    grl_fixed_point_options_init(&o);
    for (int shared = 0; shared < 2; shared++) {
        const int64_t wc = shared ? 1 : d;
        fill_random(w, A.arcs * wc, 32 + shared, 0, 1);
        /* scale the weights to a norm bound of 0.9 at γ = 0.6 */
        const double scale = 0.9 / grl_fp_norm_bound(&A, w, wc, 0.6);
        for (int64_t e = 0; e < A.arcs * wc; e++) w[e] = (float)(w[e] * scale);
        const double bound = grl_fp_norm_bound(&A, w, wc, 0.6);
        for (int variant = 0; variant < 8; variant++) {
            const bool transpose = variant & 1, warm = variant & 2;
            assert_ok(grl_threads_set(variant & 4 ? 2 : 1, msg));
            if (warm) fill_random(start, n * d, 33, -1, 1);
            else memset(start, 0, sizeof(float) * n * d);
            float *h = buf[0], *hs = buf[1], *x = buf[2], *xs = buf[3];
            memcpy(h, start, sizeof(float) * n * d);
            memcpy(x, start, sizeof(float) * n * d);
            grl_fixed_point_report got, want;
            if (transpose) grl_fp_transpose_weights(wt, &A, w, wc);
            assert_ok(grl_fp_solve_linear(&h, &hs, &A, transpose ? wt : w, wc, 0.6f, b,
                                          d, transpose, bound, "solve", &o, &got, msg));
            full_sweep m = {&A, transpose ? wt : w, b, wc, d, transpose};
            assert_ok(grl_fp_iterate(&x, &xs, n * d, full_sweep_step, &m, bound, "sweep",
                                     &o, &want, msg));
            assert_true(got.iterations > 3);
            assert_int_equal(got.iterations, want.iterations);
            assert_double_near(got.residual, want.residual, 0);
            assert_memory_equal(h, x, sizeof(float) * n * d);
            if (!transpose) continue;
            /* the adjoint in the caller's workspace, whose content (NaN
             * here) is never read: the same bits */
            for (int64_t e = 0; e < A.arcs * wc; e++) wt[e] = NAN;
            memcpy(x, start, sizeof(float) * n * d);
            assert_ok(grl_fp_solve_adjoint(&x, &xs, &A, w, wc, 0.6f, b, d, wt, bound,
                                           "adjoint", &o, &want, msg));
            assert_int_equal(got.iterations, want.iterations);
            assert_memory_equal(h, x, sizeof(float) * n * d);
        }
    }
    assert_ok(grl_threads_set(2, msg));
    grl_fp_arcs_release(&A);
    free(ptr);
    free(src);
    free(w);
    free(wt);
    free(b);
    free(start);
    for (int k = 0; k < 4; k++) free(buf[k]);
}

/* The norm bound against dense row and column sums. */
static void test_contraction_bounds(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    in_csr c;
    grl_fp_arcs A = small_arcs(&c);
    float w[NARCS * 2];
    double wd[NARCS * 2], D[N * N];
    fill_random(w, NARCS * 2, 77, -1, 1);
    to_double(wd, w, NARCS * 2);
    double want = 0;
    for (int k = 0; k < 2; k++) {
        dense_head(D, &A, wd, 2, k);
        double rows = 0, cols = 0;
        for (int i = 0; i < N; i++) {
            double r = 0, s = 0;
            for (int j = 0; j < N; j++) {
                r += fabs(D[i * N + j]);
                s += fabs(D[j * N + i]);
            }
            rows = fmax(rows, r);
            cols = fmax(cols, s);
        }
        want = fmax(want, fmin(rows, cols));
    }
    assert_double_near(grl_fp_norm_bound(&A, w, 2, 0.5), 0.5 * want, 1e-12);
    /* Perron bound of a nonnegative matrix: at least its spectral radius,
     * which for ones on a strongly connected pattern lies between the
     * smallest and largest in-degree */
    float ones[NARCS];
    for (int p = 0; p < NARCS; p++) ones[p] = 1;
    double lambda;
    assert_ok(grl_fp_perron_bound(&lambda, &A, ones, msg));
    assert_true(lambda >= 1 - 1e-9 && lambda <= 3);
    grl_fp_arcs_release(&A);
}

/* Â of APPNP and IGNN against the formula on a dense matrix, and λ_pf = 1. */
static void test_normalised_adjacency(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, N, asrc, adst, NULL, NARCS, true, NULL, msg));
    grl_dense *X = NULL;
    assert_ok(grl_dense_new(&X, N, 2, msg));
    fill_random(X->data, N * 2, 1, -1, 1);
    grl_fpgnn_graph g;
    assert_ok(grl_fpgnn_graph_build(&g, GRL_FPGNN_APPNP, G, X, msg));
    double S[N * N] = {0}, deg[N] = {0};
    for (int e = 0; e < NARCS; e++)
        S[asrc[e] * N + adst[e]] = S[adst[e] * N + asrc[e]] = 1;
    for (int i = 0; i < N; i++) S[i * N + i] = 1;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) deg[i] += S[i * N + j];
    int64_t arcs = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) arcs += S[i * N + j] != 0;
    assert_int_equal(g.A.arcs, arcs);
    double wd[64], D[N * N];
    to_double(wd, g.w, g.A.arcs);
    dense_head(D, &g.A, wd, 1, 0);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            assert_close(D[i * N + j], S[i * N + j] / sqrt(deg[i] * deg[j]), 1e-7, 0,
                         "A-hat", i * N + j);
    assert_double_near(g.lambda, 1.0, 1e-5);
    assert_true(g.lambda >= 1.0 - 1e-6); /* an upper bound */
    grl_fpgnn_graph_release(&g);
    /* CGS: the graph's own incoming arcs and 1 / outdeg */
    assert_ok(grl_fpgnn_graph_build(&g, GRL_FPGNN_CGS, G, X, msg));
    assert_int_equal(g.A.arcs, NARCS);
    for (int j = 0; j < N; j++) {
        int out = 0;
        for (int e = 0; e < NARCS; e++) out += asrc[e] == j;
        assert_double_near(g.inv_outdeg[j], 1.0 / out, 1e-7);
    }
    grl_fpgnn_graph_release(&g);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

/* ---- implicit gradients of the linear layer (CGS heads, APPNP) ----------- */

/* L = sum c ⊙ h*, h* = (I - γA)⁻¹ b, in double through dense solves. */
static double linear_loss(const grl_fp_arcs *A, const double *w, int64_t wc,
                          double gamma, const double *b, const double *cw, int64_t d)
{
    double h[N * 3];
    dense_fixed_point(h, A, w, wc, gamma, b, d, false);
    double L = 0;
    for (int64_t e = 0; e < N * d; e++) L += cw[e] * h[e];
    return L;
}

/* The same gradient by back-propagation through K unrolled steps from 0. */
static void unrolled_linear(double *dw, double *db, const grl_fp_arcs *A,
                            const double *w, int64_t wc, double gamma,
                            const double *b, const double *cw, int64_t d, int K)
{
    double *hs = calloc((size_t)(K + 1) * N * d, sizeof(double));
    for (int t = 0; t < K; t++) {
        double *h = hs + (size_t)t * N * d, *next = h + N * d;
        for (int64_t i = 0; i < N; i++)
            for (int64_t k = 0; k < d; k++) {
                double s = 0;
                for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
                    s += w[p * wc + (wc == 1 ? 0 : k)] * h[A->src[p] * d + k];
                next[i * d + k] = gamma * s + b[i * d + k];
            }
    }
    double g[N * 3], gn[N * 3];
    memcpy(g, cw, sizeof(double) * N * d);
    memset(dw, 0, sizeof(double) * A->arcs * wc);
    memset(db, 0, sizeof(double) * N * d);
    for (int t = K - 1; t >= 0; t--) { /* g = dL/dh_{t+1} */
        const double *h = hs + (size_t)t * N * d;
        for (int64_t e = 0; e < N * d; e++) db[e] += g[e];
        memset(gn, 0, sizeof gn);
        for (int64_t i = 0; i < N; i++)
            for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
                for (int64_t k = 0; k < d; k++) {
                    int64_t q = p * wc + (wc == 1 ? 0 : k);
                    dw[q] += gamma * g[i * d + k] * h[A->src[p] * d + k];
                    gn[A->src[p] * d + k] += gamma * w[q] * g[i * d + k];
                }
        memcpy(g, gn, sizeof(double) * N * d);
    }
    free(hs);
}

static void test_linear_implicit_gradients(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    in_csr c;
    grl_fp_arcs A = small_arcs(&c);
    grl_fixed_point_options o;
    grl_fixed_point_options_init(&o);
    o.max_iter = 1000;
    /* CGS: 3 heads with their own weights; APPNP: Â-like weights shared by
     * 2 columns with γ = 1 - α and b = α H */
    for (int shared = 0; shared < 2; shared++) {
        const int64_t d = shared ? 2 : 3, wc = shared ? 1 : d;
        const double gamma = shared ? 0.9 : 0.5;
        float w[NARCS * 3], b[N * 3], cw[N * 3], h[N * 3] = {0}, y[N * 3] = {0},
              sp[N * 3], dwf[NARCS * 3] = {0}, wt[NARCS * 3];
        fill_random(w, NARCS * wc, 31 + shared, 0.05, 0.5);
        fill_random(b, N * d, 41, -1, 1);
        fill_random(cw, N * d, 51, -1, 1);
        double bound = grl_fp_norm_bound(&A, w, wc, gamma);
        float *hp = h, *yp = y, *s = sp;
        grl_fixed_point_report rep;
        assert_ok(grl_fp_solve_linear(&hp, &s, &A, w, wc, (float)gamma, b, d, false,
                                      bound, "forward", &o, &rep, msg));
        float *h_star = hp == h ? h : sp; /* where the result landed */
        float *spare2 = hp == h ? sp : h;
        s = spare2;
        assert_ok(grl_fp_solve_adjoint(&yp, &s, &A, w, wc, (float)gamma, cw, d, wt,
                                       bound, "adjoint", &o, &rep, msg));
        grl_fp_weight_grad(dwf, &A, wc, (float)gamma, yp, h_star, d);
        double wd[NARCS * 3], bd[N * 3], cd[N * 3], dwu[NARCS * 3], dbu[N * 3];
        to_double(wd, w, NARCS * wc);
        to_double(bd, b, N * d);
        to_double(cd, cw, N * d);
        unrolled_linear(dwu, dbu, &A, wd, wc, gamma, bd, cd, d, 400);
        const double step = 1e-6;
        for (int64_t q = 0; q < NARCS * wc; q++) {
            double keep = wd[q];
            wd[q] = keep + step;
            double up = linear_loss(&A, wd, wc, gamma, bd, cd, d);
            wd[q] = keep - step;
            double down = linear_loss(&A, wd, wc, gamma, bd, cd, d);
            wd[q] = keep;
            double fd = (up - down) / (2 * step);
            assert_close(dwf[q], fd, 2e-5, 1e-4, "dL/dw vs finite differences", q);
            assert_close(dwf[q], dwu[q], 2e-5, 1e-4, "dL/dw vs unrolled", q);
        }
        for (int64_t e = 0; e < N * d; e++) { /* dL/db = y */
            double keep = bd[e];
            bd[e] = keep + step;
            double up = linear_loss(&A, wd, wc, gamma, bd, cd, d);
            bd[e] = keep - step;
            double down = linear_loss(&A, wd, wc, gamma, bd, cd, d);
            bd[e] = keep;
            double fd = (up - down) / (2 * step);
            assert_close(yp[e], fd, 2e-5, 1e-4, "dL/db vs finite differences", e);
            assert_close(yp[e], dbu[e], 2e-5, 1e-4, "dL/db vs unrolled", e);
        }
    }
    grl_fp_arcs_release(&A);
}

/* ---- models on the small graph ------------------------------------------ */

#define F 4
#define K 3

typedef struct {
    grl_graph *G;
    grl_dense *X;
    grl_fpgnn_graph g;
    grl_fpgnn *M;
    int64_t rows[N];
    float r[N * K]; /* the loss is sum r ⊙ logits */
} model_case;

static void model_case_init(model_case *c, grl_fpgnn_kind kind, int64_t hidden,
                            uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    memset(c, 0, sizeof(*c));
    assert_ok(grl_graph_from_edges(&c->G, N, asrc, adst, NULL, NARCS, true, NULL, msg));
    assert_ok(grl_dense_new(&c->X, N, F, msg));
    fill_random(c->X->data, N * F, 61, -1, 1);
    c->X->data[5] = c->X->data[17] = 0; /* some zeros: the CSR input path */
    assert_ok(grl_fpgnn_graph_build(&c->g, kind, c->G, c->X, msg));
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.hidden = hidden;
    o.heads = 3;
    o.dropout = 0;
    o.solver.tol = 1e-7;
    o.solver.max_iter = 2000;
    o.train.seed = seed;
    assert_ok(grl_fpgnn_new(&c->M, kind, F, 1, K, &o, msg));
    c->M->whole = &c->g;
    for (int i = 0; i < N; i++) c->rows[i] = i;
    fill_random(c->r, N * K, 71, -1, 1);
}

static void model_case_free(model_case *c)
{
    grl_fpgnn_free(&c->M);
    grl_fpgnn_graph_release(&c->g);
    grl_dense_free(&c->X);
    grl_graph_free(&c->G);
}

static double model_loss(model_case *c)
{
    char msg[GRL_MSG_LEN];
    float logits[N * K];
    assert_ok(c->M->base.forward(&c->M->base, c->rows, N, false, 0, logits, msg));
    double L = 0;
    for (int e = 0; e < N * K; e++) L += (double)c->r[e] * logits[e];
    return L;
}

/* The model's gradient (a copy, params.count floats). */
static float *model_grad(model_case *c)
{
    char msg[GRL_MSG_LEN];
    model_loss(c);
    memset(c->M->params.grad, 0, sizeof(float) * c->M->params.count);
    assert_ok(c->M->base.backward(&c->M->base, c->r, msg));
    float *g = malloc(sizeof(float) * c->M->params.count);
    memcpy(g, c->M->params.grad, sizeof(float) * c->M->params.count);
    return g;
}

/* IGNN's tensors are WU (f x h), W (h x h), V, c (ignn.c's order); scale W
 * into the ball ‖W‖∞ <= κ so the projection leaves it alone. */
#define IGNN_WU 0
#define IGNN_W 1
static void shrink_ignn_w(model_case *c)
{
    const grl_nn_tensor *t = &c->M->params.t[c->M->t[IGNN_W]];
    for (int64_t e = 0; e < t->rows * t->cols; e++)
        grl_nn_value(&c->M->params, c->M->t[IGNN_W])[e] *= 0.3f;
}

/* End to end: every parameter's gradient against central differences of
 * the float model (the loss summed in double). */
/* The smallest distance of any ReLU or clip input of the last forward to
 * its kink (APPNP's and CGS's buffers). */
static double kink_margin(const model_case *c)
{
    const grl_fpgnn *M = c->M;
    const size_t nh = (size_t)N * M->hidden, am = (size_t)NARCS * M->heads;
    double margin = INFINITY;
    const int pre = GRL_FPGNN_FIRST_KIND_BUFFER + 1; /* appnp.c's PRE slot */
    if (M->kind == GRL_FPGNN_APPNP)
        for (size_t e = 0; e < nh; e++) margin = fmin(margin, fabs(M->buf[pre][e]));
    if (M->kind == GRL_FPGNN_CGS) {
        for (size_t e = 0; e < nh; e++)
            margin = fmin(margin, fmin(fabs(M->buf[CGS_PRE][e]), fabs(M->buf[CGS_DPRE][e])));
        for (size_t e = 0; e < am; e++) {
            double s = M->buf[CGS_LOGIT][e];
            margin = fmin(margin, fmin(fabs(s), fabs(s - 1)));
        }
    }
    return margin;
}

static void check_end_to_end(grl_fpgnn_kind kind)
{
    model_case c;
    /* a seed whose activations sit away from ReLU's and clip's kinks, where
     * a finite difference is one-sided */
    for (uint64_t seed = 5;; seed++) {
        model_case_init(&c, kind, 5, seed);
        if (kind == GRL_FPGNN_IGNN) shrink_ignn_w(&c);
        if (kind == GRL_FPGNN_CGS) /* logits inside (0, 1), where A depends on them */
            grl_nn_params_fill(&c.M->params, c.M->t[CGS_BA], 0.5f);
        model_loss(&c);
        if (kink_margin(&c) > 1e-2 || seed == 200) break;
        model_case_free(&c);
    }
    assert_true(kink_margin(&c) > 1e-2);
    float *grad = model_grad(&c);
    double scale = 0;
    for (size_t i = 0; i < c.M->params.count; i++) scale = fmax(scale, fabs(grad[i]));
    float *v = c.M->params.value;
    int64_t nonzero = 0;
    for (size_t i = 0; i < c.M->params.count; i++) {
        const float h = 1e-3f * fmaxf(1.0f, fabsf(v[i]));
        float keep = v[i];
        v[i] = keep + h;
        double up = model_loss(&c);
        v[i] = keep - h;
        double down = model_loss(&c);
        v[i] = keep;
        double fd = (up - down) / ((double)(keep + h) - (double)(keep - h));
        double tol = 2e-3 * fmax(scale, 1) + 2e-2 * fabs(grad[i]);
        if (!(fabs(fd - grad[i]) <= tol))
            fail_msg("%s parameter %zu: finite difference %.8g, implicit %.8g",
                     grl_fpgnn_kind_name(kind), i, fd, grad[i]);
        nonzero += grad[i] != 0;
    }
    assert_true(nonzero > (int64_t)c.M->params.count / 3);
    free(grad);
    model_case_free(&c);
}

/* Graph tasks: the sum readout over a set of two graphs (the small graph
 * and a 4-cycle) with node and arc features, every kind's gradient against
 * finite differences. */
static void test_graph_set_gradients(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    in_csr c;
    build_in(&c);
    /* graph 1: the 4-cycle 9 -> 10 -> 11 -> 12 -> 9 (in-arcs) */
    int64_t graph_ptr[3] = {0, N, N + 4}, in_ptr[N + 5], src[NARCS + 4];
    memcpy(in_ptr, c.ptr, sizeof c.ptr);
    memcpy(src, c.src, sizeof c.src);
    for (int i = 0; i < 4; i++) {
        src[NARCS + i] = N + (i + 3) % 4;
        in_ptr[N + 1 + i] = NARCS + i + 1;
    }
    float node_x[(N + 4) * 3], arc_x[(NARCS + 4) * 2];
    fill_random(node_x, (N + 4) * 3, 81, -1, 1);
    fill_random(arc_x, (NARCS + 4) * 2, 82, 0, 1);
    int64_t classes[2] = {0, 1};
    grl_graph_set D = {0};
    D.ngraphs = 2;
    D.nodes = N + 4;
    D.arcs = NARCS + 4;
    D.graph_ptr = graph_ptr;
    D.in_ptr = in_ptr;
    D.arc_source = src;
    D.node_dim = 3;
    D.node_x = node_x;
    D.arc_dim = 2;
    D.arc_x = arc_x;
    D.nclasses = 2;
    D.graph_class = classes;
    for (int variant = 0; variant <= GRL_FPGNN_CGS + 6; variant++) {
        /* the kinds, then CGS with skip, then with skip and 2 message-passing
         * layers as its encoder; the last two again with SiLU; then SiLU
         * with skip and the sum-max, and the sum-mean readouts */
        const int kind = variant > GRL_FPGNN_CGS ? GRL_FPGNN_CGS : variant;
        const int cgs_variant = variant - GRL_FPGNN_CGS; /* 1..6 */
        grl_fpgnn_graph g;
        assert_ok(grl_fpgnn_graph_from_set(&g, (grl_fpgnn_kind)kind, &D, msg));
        grl_fpgnn_options o;
        grl_fpgnn_options_init(&o);
        o.kind = (grl_fpgnn_kind)kind;
        o.skip = cgs_variant >= 1;
        o.mp_layers = cgs_variant == 2 || cgs_variant == 4 ? 2 : 0;
        o.activation = cgs_variant >= 3 ? GRL_FPGNN_SILU : GRL_FPGNN_RELU;
        o.readout = cgs_variant == 5   ? GRL_FPGNN_READOUT_SUM_MAX
                    : cgs_variant == 6 ? GRL_FPGNN_READOUT_SUM_MEAN
                                       : GRL_FPGNN_READOUT_SUM;
        o.hidden = 4;
        o.heads = 3;
        o.dropout = 0;
        o.solver.tol = 1e-7;
        o.solver.max_iter = 2000;
        grl_fpgnn *M = NULL;
        assert_ok(grl_fpgnn_new(&M, (grl_fpgnn_kind)kind, 3, kind == GRL_FPGNN_CGS ? 2 : 1,
                                2, &o, msg));
        M->whole = &g;
        if (kind == GRL_FPGNN_CGS && !o.mp_layers)
            grl_nn_params_fill(&M->params, M->t[CGS_BA], 0.5f);
        if (kind == GRL_FPGNN_IGNN) {
            const grl_nn_tensor *t = &M->params.t[M->t[IGNN_W]];
            for (int64_t e = 0; e < t->rows * t->cols; e++)
                grl_nn_value(&M->params, M->t[IGNN_W])[e] *= 0.3f;
        }
        /* the graphs in reverse: the batch is gathered and renumbered */
        const int64_t rows[2] = {1, 0};
        const float r[4] = {0.7f, -0.4f, -0.2f, 0.9f};
        float logits[4];
#define SET_LOSS()                                                              \
    ({                                                                          \
        assert_ok(M->base.forward(&M->base, rows, 2, false, 0, logits, msg));   \
        (double)r[0] * logits[0] + (double)r[1] * logits[1] +                   \
            (double)r[2] * logits[2] + (double)r[3] * logits[3];                \
    })
        /* each graph alone gives what it gives beside the other (their
         * fixed points are independent) */
        for (int t = 0; t < 2; t++) {
            float alone[2];
            assert_ok(M->base.forward(&M->base, &rows[t], 1, false, 0, alone, msg));
            SET_LOSS();
            for (int c = 0; c < 2; c++)
                assert_true(fabsf(alone[c] - logits[t * 2 + c]) <=
                            1e-5f * fmaxf(1.0f, fabsf(logits[t * 2 + c])));
        }
        SET_LOSS();
        memset(M->params.grad, 0, sizeof(float) * M->params.count);
        assert_ok(M->base.backward(&M->base, r, msg));
        float *grad = malloc(sizeof(float) * M->params.count);
        memcpy(grad, M->params.grad, sizeof(float) * M->params.count);
        double scale = 0;
        for (size_t i = 0; i < M->params.count; i++) scale = fmax(scale, fabs(grad[i]));
        float *v = M->params.value;
        for (size_t i = 0; i < M->params.count; i++) {
            const float h = 1e-3f * fmaxf(1.0f, fabsf(v[i]));
            float keep = v[i];
            v[i] = keep + h;
            double up = SET_LOSS();
            v[i] = keep - h;
            double down = SET_LOSS();
            v[i] = keep;
            double fd = (up - down) / ((double)(keep + h) - (double)(keep - h));
            if (!(fabs(fd - grad[i]) <= 2e-3 * fmax(scale, 1) + 2e-2 * fabs(grad[i])))
                fail_msg("%s%s%s (%s, readout %s) on a graph set, parameter %zu: "
                         "finite difference %.8g, implicit %.8g", grl_fpgnn_kind_name(kind),
                         o.skip ? " with skip" : "", o.mp_layers ? " and message passing" : "",
                         grl_fpgnn_activation_name(o.activation),
                         grl_fpgnn_readout_name(o.readout), i, fd, grad[i]);
        }
#undef SET_LOSS
        free(grad);
        grl_fpgnn_free(&M);
        grl_fpgnn_graph_release(&g);
    }
    /* a set without classes cannot be classified */
    D.nclasses = 0;
    D.graph_class = NULL;
    grl_node_splits S = {2, 1, (uint8_t[]){GRL_SPLIT_TRAIN, GRL_SPLIT_VAL}};
    grl_fpgnn *M = NULL;
    expect_error(grl_fpgnn_train_graphs(&M, NULL, &D, &S, 0, NULL, msg), msg,
                 "no graph classes");
}

static void test_end_to_end_gradients(void **state)
{
    (void)state;
    check_end_to_end(GRL_FPGNN_APPNP);
    check_end_to_end(GRL_FPGNN_IGNN);
    check_end_to_end(GRL_FPGNN_CGS);
}

/* ---- IGNN's implicit gradient against double-precision oracles ------------ */

#define IH 3
typedef struct {
    const grl_fpgnn_graph *g;
    double X[N * F], WU[F * IH], W[IH * IH], V[IH * K], bV[K], r[N * K];
} ignn_double;

/* out = Â in (n x IH), in double. */
static void ahat(double *out, const grl_fpgnn_graph *g, const double *in, bool transpose)
{
    memset(out, 0, sizeof(double) * N * IH);
    for (int64_t i = 0; i < N; i++)
        for (int64_t p = g->A.ptr[i]; p < g->A.ptr[i + 1]; p++)
            for (int k = 0; k < IH; k++) {
                int64_t j = g->A.src[p];
                if (transpose) out[j * IH + k] += g->w[p] * in[i * IH + k];
                else out[i * IH + k] += g->w[p] * in[j * IH + k];
            }
}

/* One IGNN step: next = ReLU(Â (H Wᵀ) + C); pre gets the argument. */
static void ignn_step(double *next, double *pre, const ignn_double *m,
                      const double *H, const double *C)
{
    double T[N * IH];
    for (int i = 0; i < N; i++)
        for (int r = 0; r < IH; r++) {
            double s = 0;
            for (int c = 0; c < IH; c++) s += H[i * IH + c] * m->W[r * IH + c];
            T[i * IH + r] = s;
        }
    ahat(pre, m->g, T, false);
    for (int e = 0; e < N * IH; e++) {
        pre[e] += C[e];
        next[e] = pre[e] > 0 ? pre[e] : 0;
    }
}

static void ignn_input(double *C, const ignn_double *m)
{
    double Q[N * IH] = {0};
    for (int i = 0; i < N; i++)
        for (int f = 0; f < F; f++)
            for (int k = 0; k < IH; k++) Q[i * IH + k] += m->X[i * F + f] * m->WU[f * IH + k];
    ahat(C, m->g, Q, false);
}

static double ignn_loss(const ignn_double *m)
{
    double C[N * IH], H[N * IH] = {0}, next[N * IH], pre[N * IH];
    ignn_input(C, m);
    for (int t = 0; t < 5000; t++) {
        ignn_step(next, pre, m, H, C);
        double diff = 0;
        for (int e = 0; e < N * IH; e++) diff = fmax(diff, fabs(next[e] - H[e]));
        memcpy(H, next, sizeof H);
        if (diff < 1e-15) break;
    }
    double L = 0;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < K; k++) {
            double z = m->bV[k];
            for (int c = 0; c < IH; c++) z += H[i * IH + c] * m->V[c * K + k];
            L += m->r[i * K + k] * z;
        }
    return L;
}

/* Back-propagation through T unrolled steps from H = 0: dW and dWU. */
static void ignn_unrolled(double *dW, double *dWU, const ignn_double *m, int T)
{
    double C[N * IH];
    ignn_input(C, m);
    double *H = calloc((size_t)(T + 1) * N * IH, sizeof(double));
    double *P = calloc((size_t)T * N * IH, sizeof(double));
    for (int t = 0; t < T; t++)
        ignn_step(H + (t + 1) * N * IH, P + t * N * IH, m, H + t * N * IH, C);
    double g[N * IH] = {0}, dC[N * IH] = {0};
    for (int i = 0; i < N; i++)
        for (int c = 0; c < IH; c++)
            for (int k = 0; k < K; k++) g[i * IH + c] += m->r[i * K + k] * m->V[c * K + k];
    memset(dW, 0, sizeof(double) * IH * IH);
    for (int t = T - 1; t >= 0; t--) {
        double gp[N * IH], AH[N * IH], tmp[N * IH];
        for (int e = 0; e < N * IH; e++) gp[e] = P[t * N * IH + e] > 0 ? g[e] : 0;
        for (int e = 0; e < N * IH; e++) dC[e] += gp[e];
        ahat(AH, m->g, H + t * N * IH, false); /* P = (Â H) Wᵀ + C */
        for (int r = 0; r < IH; r++)
            for (int c = 0; c < IH; c++)
                for (int i = 0; i < N; i++) dW[r * IH + c] += gp[i * IH + r] * AH[i * IH + c];
        ahat(tmp, m->g, gp, true);
        for (int i = 0; i < N; i++)
            for (int c = 0; c < IH; c++) {
                double s = 0;
                for (int r = 0; r < IH; r++) s += tmp[i * IH + r] * m->W[r * IH + c];
                g[i * IH + c] = s;
            }
    }
    double dQ[N * IH];
    ahat(dQ, m->g, dC, true);
    memset(dWU, 0, sizeof(double) * F * IH);
    for (int i = 0; i < N; i++)
        for (int f = 0; f < F; f++)
            for (int k = 0; k < IH; k++) dWU[f * IH + k] += m->X[i * F + f] * dQ[i * IH + k];
    free(H);
    free(P);
}

static void test_ignn_implicit_gradient(void **state)
{
    (void)state;
    model_case c;
    model_case_init(&c, GRL_FPGNN_IGNN, IH, 5);
    shrink_ignn_w(&c);
    float *grad = model_grad(&c);
    ignn_double m;
    m.g = &c.g;
    const grl_nn_params *P = &c.M->params;
    to_double(m.X, c.X->data, N * F);
    to_double(m.WU, grl_nn_value(P, c.M->t[IGNN_WU]), F * IH);
    to_double(m.W, grl_nn_value(P, c.M->t[IGNN_W]), IH * IH);
    to_double(m.V, grl_nn_value(P, c.M->t[2]), IH * K);
    to_double(m.bV, grl_nn_value(P, c.M->t[3]), K);
    to_double(m.r, c.r, N * K);
    double dW[IH * IH], dWU[F * IH];
    ignn_unrolled(dW, dWU, &m, 600);
    const float *gW = grad + P->t[c.M->t[IGNN_W]].offset;
    const float *gWU = grad + P->t[c.M->t[IGNN_WU]].offset;
    const double step = 1e-6;
    int64_t nonzero = 0;
    for (int e = 0; e < IH * IH + F * IH; e++) {
        bool isw = e < IH * IH;
        double *x = isw ? &m.W[e] : &m.WU[e - IH * IH];
        double keep = *x;
        *x = keep + step;
        double up = ignn_loss(&m);
        *x = keep - step;
        double down = ignn_loss(&m);
        *x = keep;
        double fd = (up - down) / (2 * step);
        double implicit = isw ? gW[e] : gWU[e - IH * IH];
        double unrolled = isw ? dW[e] : dWU[e - IH * IH];
        assert_close(implicit, fd, 1e-4, 1e-3, "IGNN gradient vs finite differences", e);
        assert_close(implicit, unrolled, 1e-4, 1e-3, "IGNN gradient vs unrolled", e);
        nonzero += fabs(fd) > 1e-6;
    }
    if (nonzero < 4) fail_msg("only %lld IGNN gradients are nonzero", (long long)nonzero);
    free(grad);
    model_case_free(&c);
}

/* ---- warnings, hostile input ---------------------------------------------- */


static void test_not_converged_at_cap(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    in_csr c;
    grl_fp_arcs A = small_arcs(&c);
    float w[NARCS], b[N], h[N] = {0}, sp[N];
    fill_random(w, NARCS, 3, 0.2, 0.5);
    fill_random(b, N, 4, -1, 1);
    grl_fixed_point_options o;
    grl_fixed_point_options_init(&o);
    o.max_iter = 3;
    float *hp = h, *s = sp;
    grl_fixed_point_report rep;
    int rc = grl_fp_solve_linear(&hp, &s, &A, w, 1, 0.9f, b, 1, false,
                                 grl_fp_norm_bound(&A, w, 1, 0.9), "test", &o, &rep, msg);
    assert_int_equal(rc, GRL_NOT_CONVERGED);
    assert_int_equal(rep.iterations, 3);
    assert_true(rep.residual > o.tol);
    assert_non_null(strstr(msg, "cap of 3 iterations"));
    /* the result is the third iterate: b + γAb + (γA)²b, checked densely */
    double D[N * N], x[N], want[N];
    double wd[NARCS];
    to_double(wd, w, NARCS);
    dense_head(D, &A, wd, 1, 0);
    for (int i = 0; i < N; i++) x[i] = 0;
    for (int t = 0; t < 3; t++) {
        for (int i = 0; i < N; i++) {
            want[i] = b[i];
            for (int j = 0; j < N; j++) want[i] += 0.9 * D[i * N + j] * x[j];
        }
        memcpy(x, want, sizeof x);
    }
    for (int i = 0; i < N; i++) assert_close(hp[i], want[i], 1e-5, 1e-5, "third iterate", i);
    /* a bound that is not a contraction is refused, as are bad options */
    expect_error(grl_fp_solve_linear(&hp, &s, &A, w, 1, 0.9f, b, 1, false, 1.0, "test",
                                     &o, &rep, msg), msg, "not below 1");
    expect_error(grl_fp_solve_linear(&hp, &s, &A, w, 1, 0.9f, b, 1, false, NAN, "test",
                                     &o, &rep, msg), msg, "not below 1");
    o.tol = NAN;
    expect_error(grl_fp_solve_linear(&hp, &s, &A, w, 1, 0.9f, b, 1, false, 0.5, "test",
                                     &o, &rep, msg), msg, "tolerance");
    o.tol = 1e-6;
    o.max_iter = 0;
    expect_error(grl_fp_solve_linear(&hp, &s, &A, w, 1, 0.9f, b, 1, false, 0.5, "test",
                                     &o, &rep, msg), msg, "cap");
    /* a NaN in the input is an error, not a result */
    o.max_iter = 50;
    b[2] = NAN;
    expect_error(grl_fp_solve_linear(&hp, &s, &A, w, 1, 0.9f, b, 1, false, 0.5, "test",
                                     &o, &rep, msg), msg, "not finite");
    grl_fp_arcs_release(&A);
    /* hostile arc lists */
    int64_t bad_ptr[N + 1];
    memcpy(bad_ptr, c.ptr, sizeof bad_ptr);
    bad_ptr[3] = bad_ptr[4] + 1;
    expect_error(grl_fp_arcs_init(&A, N, NARCS, bad_ptr, c.src, msg), msg, "decrease");
    int64_t bad_src[NARCS];
    memcpy(bad_src, c.src, sizeof bad_src);
    bad_src[5] = N;
    expect_error(grl_fp_arcs_init(&A, N, NARCS, c.ptr, bad_src, msg), msg, "not a node");
    /* init overwrites *a without reading it: bench_fixed_point once passed
     * an uninitialised struct and release freed its garbage `own` (found
     * under ASan) */
    memset(&A, 0xA5, sizeof A);
    assert_ok(grl_fp_arcs_init(&A, N, NARCS, c.ptr, c.src, msg));
    assert_null(A.own);
    grl_fp_arcs_release(&A);
}

/* A learnable synthetic node task: n nodes with `deg` random neighbours
 * each (undirected), dense features, classes from the sign pattern of the
 * neighbourhood-averaged features. */
typedef struct {
    grl_graph *G;
    grl_dense *X;
    grl_node_labels *L;
    grl_node_splits *S;
} dataset;

static void make_dataset(dataset *d, int64_t n, int deg, int64_t f, uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    int64_t m = n * deg, *src = malloc(sizeof(int64_t) * m), *dst = malloc(sizeof(int64_t) * m);
    grl_rng rng;
    grl_rng_init(&rng, seed, 0);
    int64_t e = 0;
    for (int64_t i = 0; i < n; i++)
        for (int k = 0; k < deg; k++) {
            int64_t j = (int64_t)grl_rng_below(&rng, (uint64_t)n);
            if (j == i) continue;
            src[e] = i;
            dst[e++] = j;
        }
    assert_ok(grl_graph_from_edges(&d->G, n, src, dst, NULL, e, false, NULL, msg));
    assert_ok(grl_dense_new(&d->X, n, f, msg));
    fill_random(d->X->data, n * f, seed + 1, -1, 1);
    char *text = malloc((size_t)n * 32), *q = text;
    for (int64_t i = 0; i < n; i++) {
        double s0 = 0, s1 = 0;
        for (int64_t t = 0; t < e; t++) {
            int64_t j = src[t] == i ? dst[t] : dst[t] == i ? src[t] : -1;
            if (j >= 0) {
                s0 += d->X->data[j * f];
                s1 += d->X->data[j * f + 1];
            }
        }
        q += sprintf(q, "%lld %d\n", (long long)i, (s0 > 0) + 2 * (s1 > 0));
    }
    assert_ok(grl_node_labels_load(&d->L, d->G, temp_file(".txt", text), msg));
    grl_node_splits_options so;
    grl_node_splits_options_init(&so);
    so.repeats = 1;
    so.train_per_class = n >= 400 ? 20 : 3;
    so.val = n / 5;
    assert_ok(grl_node_splits_generate(&d->S, d->G, d->L, &so, msg));
    free(text);
    free(src);
    free(dst);
}

static void free_dataset(dataset *d)
{
    grl_graph_free(&d->G);
    grl_dense_free(&d->X);
    grl_node_labels_free(&d->L);
    grl_node_splits_free(&d->S);
}

static void test_hostile_model_options(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    dataset d;
    make_dataset(&d, 60, 2, 4, 3);
    grl_fpgnn *M = NULL;
    struct {
        const char *field, *needle;
        double value;
    } cases[] = {{"gamma", "gamma", 1.0},   {"gamma", "gamma", 1.5},
                 {"gamma", "gamma", NAN},   {"gamma", "gamma", 0},
                 {"kappa", "kappa", 1.0},   {"kappa", "kappa", -0.1},
                 {"kappa", "kappa", NAN},   {"alpha", "alpha", 0},
                 {"alpha", "alpha", NAN},   {"dropout", "dropout", 1},
                 {"tol", "tolerance", NAN}, {"tol", "tolerance", 0},
                 {"max_iter", "cap", 0},    {"heads", "heads", 0},
                 {"hidden", "hidden", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        grl_fpgnn_options o;
        grl_fpgnn_options_init(&o);
        o.kind = GRL_FPGNN_CGS;
        const char *f = cases[i].field;
        double v = cases[i].value;
        if (!strcmp(f, "gamma")) o.gamma = v;
        if (!strcmp(f, "kappa")) o.kappa = v;
        if (!strcmp(f, "alpha")) o.alpha = v;
        if (!strcmp(f, "dropout")) o.dropout = v;
        if (!strcmp(f, "tol")) o.solver.tol = v;
        if (!strcmp(f, "max_iter")) o.solver.max_iter = (int64_t)v;
        if (!strcmp(f, "heads")) o.heads = (int64_t)v;
        if (!strcmp(f, "hidden")) o.hidden = (int64_t)v;
        expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                     cases[i].needle);
        assert_null(M);
    }
    grl_fpgnn_options o; /* skip belongs to CGS */
    grl_fpgnn_options_init(&o);
    o.kind = GRL_FPGNN_IGNN;
    o.skip = true;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "skip");
    assert_null(M);
    o.skip = false;
    o.mp_layers = 1;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "mp_layers");
    o.kind = GRL_FPGNN_CGS;
    o.mp_layers = 4;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "0..3");
    assert_null(M);
    o.mp_layers = 0; /* the activation: CGS's, relu or silu */
    o.activation = (grl_fpgnn_activation)7;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "activation 7");
    o.kind = GRL_FPGNN_APPNP;
    o.activation = GRL_FPGNN_SILU;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "silu is a CGS option");
    assert_null(M);
    o.activation = GRL_FPGNN_RELU; /* the readout: CGS's, graph tasks only */
    o.readout = (grl_fpgnn_readout)7;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "readout 7");
    o.readout = GRL_FPGNN_READOUT_SUM_MAX;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "sum-max is a CGS option");
    o.kind = GRL_FPGNN_CGS;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, &o, msg), msg,
                 "not a node task");
    assert_null(M);
    grl_fpgnn_readout readout;
    expect_error(grl_fpgnn_readout_parse("max", &readout, msg), msg, "max");
    assert_ok(grl_fpgnn_readout_parse("Sum-Mean", &readout, msg));
    assert_int_equal(readout, GRL_FPGNN_READOUT_SUM_MEAN);
    grl_fpgnn_activation act;
    expect_error(grl_fpgnn_activation_parse("gelu", &act, msg), msg, "gelu");
    assert_ok(grl_fpgnn_activation_parse("SiLU", &act, msg));
    assert_int_equal(act, GRL_FPGNN_SILU);
    grl_fpgnn_kind kind;
    expect_error(grl_fpgnn_kind_parse("gcn", &kind, msg), msg, "gcn");
    assert_ok(grl_fpgnn_kind_parse("IGNN", &kind, msg));
    assert_int_equal(kind, GRL_FPGNN_IGNN);
    /* features with a NaN, of the wrong height */
    d.X->data[7] = NAN;
    expect_error(grl_fpgnn_train(&M, NULL, d.G, d.X, d.L, d.S, 0, NULL, msg), msg, "NaN");
    grl_dense *X2 = NULL;
    assert_ok(grl_dense_new(&X2, 59, 4, msg));
    expect_error(grl_fpgnn_train(&M, NULL, d.G, X2, d.L, d.S, 0, NULL, msg), msg,
                 "59 rows");
    grl_dense_free(&X2);
    free_dataset(&d);
}

/* ---- training: warnings, determinism, files, real data ------------------ */

static float *train_and_predict(dataset *d, grl_fpgnn_kind kind, int threads,
                                int64_t hidden, grl_fpgnn **keep)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_threads_set(threads, msg));
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.kind = kind;
    o.hidden = hidden;
    o.heads = 48; /* arcs x heads above the kernels' parallel threshold */
    o.skip = kind == GRL_FPGNN_CGS; /* plain CGS: cli_gnn_fixed.sh's MUTAG */
    o.mp_layers = kind == GRL_FPGNN_CGS ? 1 : 0;
    /* SiLU: the file must carry it (a ReLU model predicts otherwise) */
    o.activation = kind == GRL_FPGNN_CGS ? GRL_FPGNN_SILU : GRL_FPGNN_RELU;
    o.train.epochs = 4;
    o.train.seed = 17;
    grl_fpgnn *M = NULL;
    grl_gnn_train_result res;
    assert_ok(grl_fpgnn_train(&M, &res, d->G, d->X, d->L, d->S, 0, &o, msg));
    assert_true(res.best_epoch >= 1 && res.best_epoch <= 4);
    int64_t n = grl_graph_num_nodes(d->G), k = grl_fpgnn_nclasses(M);
    float *proba = malloc(sizeof(float) * n * k);
    assert_ok(grl_fpgnn_predict(M, d->G, d->X, proba, msg));
    if (keep) *keep = M;
    else grl_fpgnn_free(&M);
    assert_ok(grl_threads_set(2, msg));
    return proba;
}

static void test_same_bits_1_and_2_threads_and_files(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    dataset d;
    make_dataset(&d, 3000, 4, 8, 9); /* ~27k arcs: the parallel paths run */
    int64_t n = 3000, k = d.L->nclasses;
    const char *path = NULL;
    for (int kind = 0; kind <= GRL_FPGNN_CGS; kind++) {
        grl_fpgnn *M = NULL;
        float *p1 = train_and_predict(&d, (grl_fpgnn_kind)kind, 1, 48, NULL);
        float *p2 = train_and_predict(&d, (grl_fpgnn_kind)kind, 2, 48, &M);
        if (memcmp(p1, p2, sizeof(float) * n * k) != 0)
            fail_msg("%s: 1 and 2 threads differ", grl_fpgnn_kind_name(kind));
        /* the model file gives the same predictions */
        path = temp_file(".grl", "");
        assert_ok(grl_fpgnn_save(M, path, msg));
        grl_fpgnn *R = NULL;
        assert_ok(grl_fpgnn_load(&R, path, msg));
        assert_ok(grl_fpgnn_predict(R, d.G, d.X, p1, msg));
        assert_memory_equal(p1, p2, sizeof(float) * n * k);
        grl_fpgnn_free(&R);
        grl_fpgnn_free(&M);
        free(p1);
        free(p2);
    }
    /* corrupt files (each patched from a copy of the last model's: temp_file's
     * names are reused after 8 calls) */
    char model[256];
    snprintf(model, sizeof model, "%s", path);
    path = model;
    grl_fpgnn *R = NULL;
    expect_error(grl_fpgnn_load(&R, temp_file(".grl", "GRLFPGN1 but nothing else"), msg),
                 msg, ".grl");
    assert_null(R);
    /* 2^40 classes: the count is refused before 2^45 floats are allocated
     * (the fuzz harness's timeout) */
    const int64_t huge = (int64_t)1 << 40; /* fpgnn_file.c: nclasses at 48 */
    expect_error(grl_fpgnn_load(&R, temp_patched(path, 48, &huge, sizeof huge), msg),
                 msg, "parameters for a shape that has");
    assert_null(R);
    /* version 1 graph models decoded before the readout: refused, not
     * loaded to predict something else */
    const uint32_t v1 = 1;
    expect_error(grl_fpgnn_load(&R, temp_patched(path, 8, &v1, sizeof v1), msg),
                 msg, "format version 1");
    assert_null(R);
    /* version 2 has no skip flag (the decoder's width depends on it),
     * version 3 no activation (a SiLU model would load as ReLU), version 4
     * no readout (the decoder's width depends on it too) */
    for (uint32_t v = 2; v <= 4; v++) {
        char want[32];
        snprintf(want, sizeof want, "format version %u", v);
        expect_error(grl_fpgnn_load(&R, temp_patched(path, 8, &v, sizeof v), msg), msg,
                     want);
        assert_null(R);
    }
    const uint64_t act9 = 9; /* fpgnn_file.c: activation at 144 */
    expect_error(grl_fpgnn_load(&R, temp_patched(path, 144, &act9, sizeof act9), msg),
                 msg, "corrupt fixed-point GNN model header");
    assert_null(R);
    const uint64_t readout9 = 9; /* fpgnn_file.c: readout at 152 */
    expect_error(grl_fpgnn_load(&R, temp_patched(path, 152, &readout9, sizeof readout9),
                                msg),
                 msg, "corrupt fixed-point GNN model header");
    assert_null(R);
    const uint64_t skip2 = 2; /* fpgnn_file.c: skip at 128 */
    expect_error(grl_fpgnn_load(&R, temp_patched(path, 128, &skip2, sizeof skip2), msg),
                 msg, "corrupt fixed-point GNN model header");
    assert_null(R);
    const int64_t layers9 = 9; /* fpgnn_file.c: mp_layers at 136 */
    expect_error(grl_fpgnn_load(&R, temp_patched(path, 136, &layers9, sizeof layers9), msg),
                 msg, "mp_layers");
    assert_null(R);
    free_dataset(&d);
}

static void test_not_converged_training_is_usable(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    dataset d;
    make_dataset(&d, 200, 3, 6, 5);
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.kind = GRL_FPGNN_IGNN;
    o.solver.max_iter = 2;
    o.train.epochs = 3;
    grl_fpgnn *M = NULL;
    grl_gnn_train_result res;
    int rc = grl_fpgnn_train(&M, &res, d.G, d.X, d.L, d.S, 0, &o, msg);
    assert_int_equal(rc, GRL_NOT_CONVERGED);
    assert_non_null(strstr(msg, "IGNN"));
    assert_non_null(M);
    grl_fpgnn_report r = grl_fpgnn_stats(M);
    assert_true(r.capped > 0 && r.capped <= r.solves);
    assert_int_equal(r.forward.iterations, 2);
    assert_true(r.forward.bound <= 0.95 + 1e-6);
    grl_fpgnn_free(&M);
    free_dataset(&d);
}

/* APPNP on Cora's public split: published 83.3 (Klicpera et al., Table 2,
 * K = 10 steps; here the exact fixed point). */
static void test_cora_appnp(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("cora_planetoid/edges.txt"), 0);
    grl_dense *X = NULL;
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    assert_ok(grl_node_features_load(&X, G, data_path("cora_planetoid/features.txt"),
                                     GRL_FEATURES_AUTO, msg));
    assert_ok(grl_node_labels_load(&L, G, data_path("cora_planetoid/labels.txt"), msg));
    assert_ok(grl_node_splits_load(&S, G, data_path("cora_planetoid/split.txt"), msg));
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    grl_fpgnn *M = NULL;
    grl_gnn_train_result res;
    assert_ok(grl_fpgnn_train(&M, &res, G, X, L, S, 0, &o, msg));
    grl_fpgnn_report r = grl_fpgnn_stats(M);
    assert_int_equal(r.capped, 0);
    assert_double_near(r.forward.bound, 0.9, 1e-5);
    assert_true(r.forward.residual <= 1e-6 && r.backward.residual <= 1e-6);
    if (!(res.test_accuracy >= 0.80))
        fail_msg("APPNP on Cora: test accuracy %.4f < 0.80", res.test_accuracy);
    grl_fpgnn_free(&M);
    grl_node_splits_free(&S);
    grl_node_labels_free(&L);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

/* Cross-validation of graph classification (the CLI's and the shim's
 * path) gives the bits of its two steps run by hand: the folds seeded by
 * the training seed, then one model per fold. */
static void test_cross_validate_graphs(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *D = NULL;
    assert_ok(grl_graph_set_load(&D, data_path("tu/MUTAG"), "MUTAG", msg));
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.kind = GRL_FPGNN_CGS;
    o.hidden = 4;
    o.heads = 2;
    o.train.epochs = 2;
    o.train.batch_size = 32;
    o.train.seed = 5;
    grl_fpgnn_evaluation E, H;
    grl_fpgnn *best = NULL;
    assert_ok(grl_fpgnn_cross_validate_graphs(&E, &best, D, 3, &o, msg));
    assert_non_null(best);
    grl_graph_folds_options fo = {3, 5};
    grl_graph_folds *folds = NULL;
    assert_ok(grl_graph_folds_generate(&folds, D, &fo, msg));
    const grl_node_splits S = {folds->ngraphs, folds->nfolds, folds->role};
    assert_ok(grl_fpgnn_evaluate_graphs(&H, NULL, D, &S, &o, msg));
    assert_int_equal(E.splits, 3);
    assert_memory_equal(E.test, H.test, 3 * sizeof(double));
    assert_true(E.val_mean == H.val_mean && E.test_mean == H.test_mean);
    grl_fpgnn_evaluation_release(&H);
    grl_fpgnn_evaluation_release(&E);
    grl_fpgnn_free(&best);
    /* hostile: folds out of range, NULL arguments */
    expect_error(grl_fpgnn_cross_validate_graphs(&E, &best, D, 2, &o, msg), msg, "folds");
    assert_null(best);
    assert_null(E.test);
    expect_error(grl_fpgnn_cross_validate_graphs(&E, NULL, NULL, 3, &o, msg), msg, "NULL");
    /* the sum-max readout: the same bits with 1 and 2 threads, and its
     * model file predicts them (it classifies graphs, not nodes) */
    o.readout = GRL_FPGNN_READOUT_SUM_MAX;
    o.heads = 48; /* nodes x heads above the readout's parallel threshold */
    const int64_t k = D->nclasses;
    float *p[2] = {malloc(sizeof(float) * D->ngraphs * k),
                   malloc(sizeof(float) * D->ngraphs * k)};
    double test[2][3];
    for (int threads = 1; threads <= 2; threads++) {
        assert_ok(grl_threads_set(threads, msg));
        assert_ok(grl_fpgnn_cross_validate_graphs(&E, &best, D, 3, &o, msg));
        memcpy(test[threads - 1], E.test, sizeof test[0]);
        assert_ok(grl_fpgnn_predict_graphs(best, D, p[threads - 1], msg));
        grl_fpgnn_evaluation_release(&E);
        if (threads == 1) grl_fpgnn_free(&best);
    }
    assert_memory_equal(test[0], test[1], sizeof test[0]);
    assert_memory_equal(p[0], p[1], sizeof(float) * D->ngraphs * k);
    const char *path = temp_file(".grl", "");
    assert_ok(grl_fpgnn_save(best, path, msg));
    grl_fpgnn_free(&best);
    assert_ok(grl_fpgnn_load(&best, path, msg));
    memset(p[0], 0, sizeof(float) * D->ngraphs * k);
    assert_ok(grl_fpgnn_predict_graphs(best, D, p[0], msg));
    assert_memory_equal(p[0], p[1], sizeof(float) * D->ngraphs * k);
    dataset d;
    make_dataset(&d, 50, 3, D->node_dim, 3); /* the same input width, nodes */
    expect_error(grl_fpgnn_predict(best, d.G, d.X, p[0], msg), msg,
                 "classifies graphs, not nodes");
    free_dataset(&d);
    grl_fpgnn_free(&best);
    free(p[0]);
    free(p[1]);
    grl_graph_folds_free(&folds);
    grl_graph_set_free(D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forward_matches_dense_solve),
        cmocka_unit_test(test_transpose_weights),
        cmocka_unit_test(test_propagate_block_widths),
        cmocka_unit_test(test_first_step_from_zero),
        cmocka_unit_test(test_contraction_bounds),
        cmocka_unit_test(test_normalised_adjacency),
        cmocka_unit_test(test_linear_implicit_gradients),
        cmocka_unit_test(test_ignn_implicit_gradient),
        cmocka_unit_test(test_end_to_end_gradients),
        cmocka_unit_test(test_graph_set_gradients),
        cmocka_unit_test(test_not_converged_at_cap),
        cmocka_unit_test(test_hostile_model_options),
        cmocka_unit_test(test_not_converged_training_is_usable),
        cmocka_unit_test(test_same_bits_1_and_2_threads_and_files),
        cmocka_unit_test(test_cora_appnp),
        cmocka_unit_test(test_cross_validate_graphs),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    grl_finalize(NULL);
    return failed;
}
