/* test_optim.c — L-BFGS against LAPACK's solution of a quadratic and the
 * Rosenbrock minimum, logistic regression against an independent Newton
 * method, F1 scores against hand counts, the labels reader, and node
 * classification on synthetic and real (Cora) embeddings. */
#include "testutil.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------------
 * helpers
 * ------------------------------------------------------------------------ */

static double gaussian(grl_rng *r)
{
    double u = grl_rng_uniform(r), v = grl_rng_uniform(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

static double *alloc_doubles(size_t n)
{
    double *p = calloc(n ? n : 1, sizeof(double));
    assert_non_null(p);
    return p;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---------------------------------------------------------------------------
 * L-BFGS
 * ------------------------------------------------------------------------ */

typedef struct {
    int n;
    const double *A, *b;
    int calls, fail_at;
} quadratic;

/* 0.5 x'Ax - b'x */
static int quad_fn(const double *x, double *g, double *f, void *ctx)
{
    quadratic *q = ctx;
    if (++q->calls == q->fail_at) return GRL_IO_ERROR;
    cblas_dsymv(CblasRowMajor, CblasUpper, q->n, 1.0, q->A, q->n, x, 1, 0.0, g, 1);
    *f = 0.5 * cblas_ddot(q->n, x, 1, g, 1) - cblas_ddot(q->n, q->b, 1, x, 1);
    cblas_daxpy(q->n, -1.0, q->b, 1, g, 1);
    return 0;
}

static void test_lbfgs_quadratic(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int n = 60;
    double *M = alloc_doubles((size_t)n * n), *A = alloc_doubles((size_t)n * n);
    double *b = alloc_doubles(n), *x = alloc_doubles(n), *sol = alloc_doubles(n);
    double *Af = alloc_doubles((size_t)n * n);
    grl_rng r;
    grl_rng_init(&r, 42, 0);
    for (int i = 0; i < n * n; i++) M[i] = gaussian(&r);
    for (int i = 0; i < n; i++) b[i] = gaussian(&r);
    /* A = M'M / n + 0.05 I: SPD with condition number in the thousands */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n, n, n, 1.0 / n, M, n,
                M, n, 0.0, A, n);
    for (int i = 0; i < n; i++) A[i * n + i] += 0.05;
    /* oracle: Cholesky solve */
    memcpy(Af, A, sizeof(double) * n * n);
    memcpy(sol, b, sizeof(double) * n);
    assert_int_equal(LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', n, 1, Af, n, sol, 1), 0);

    quadratic q = {n, A, b, 0, -1};
    grl_lbfgs_options opt;
    grl_lbfgs_options_init(&opt);
    opt.gtol = 1e-11;
    opt.ftol = 0;
    grl_lbfgs_result res;
    assert_ok(grl_lbfgs_minimize(quad_fn, &q, n, x, &opt, &res, msg));
    assert_int_equal(res.stop, GRL_LBFGS_GTOL);
    assert_true(res.gnorm <= 1e-11);
    assert_int_equal(res.evaluations, q.calls);
    for (int i = 0; i < n; i++) assert_double_near(x[i], sol[i], 1e-8);
    double fmin = -0.5 * cblas_ddot(n, b, 1, sol, 1);
    assert_double_near(res.f, fmin, 1e-10 * fabs(fmin));

    /* deterministic: a second run gives the same bits */
    double *x2 = alloc_doubles(n);
    q.calls = 0;
    assert_ok(grl_lbfgs_minimize(quad_fn, &q, n, x2, &opt, NULL, msg));
    assert_memory_equal(x, x2, sizeof(double) * n);

    /* the objective's error aborts the run and passes through */
    memset(x, 0, sizeof(double) * n);
    q.calls = 0;
    q.fail_at = 5;
    assert_int_equal(grl_lbfgs_minimize(quad_fn, &q, n, x, &opt, NULL, msg), GRL_IO_ERROR);
    q.fail_at = 1;
    q.calls = 0;
    assert_int_equal(grl_lbfgs_minimize(quad_fn, &q, n, x, &opt, NULL, msg), GRL_IO_ERROR);

    /* few iterations: a warning, with a message */
    q.fail_at = -1;
    opt.max_iter = 3;
    memset(x, 0, sizeof(double) * n);
    msg[0] = '\0';
    assert_int_equal(grl_lbfgs_minimize(quad_fn, &q, n, x, &opt, &res, msg),
                     GRL_NOT_CONVERGED);
    assert_int_equal(res.stop, GRL_LBFGS_MAX_ITER);
    assert_int_equal(res.iterations, 3);
    assert_non_null(strstr(msg, "did not converge in 3 iterations"));

    /* bad options */
    grl_lbfgs_options_init(&opt);
    opt.m = 0;
    assert_int_equal(grl_lbfgs_minimize(quad_fn, &q, n, x, &opt, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "history m"));
    grl_lbfgs_options_init(&opt);
    opt.c1 = 0.95;
    assert_int_equal(grl_lbfgs_minimize(quad_fn, &q, n, x, &opt, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_lbfgs_minimize(quad_fn, &q, 0, x, NULL, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    free(M); free(A); free(Af); free(b); free(x); free(x2); free(sol);
}

/* Extended Rosenbrock: sum over pairs of 100 (x2 - x1^2)^2 + (1 - x1)^2. */
static int rosenbrock(const double *x, double *g, double *f, void *ctx)
{
    int n = *(int *)ctx;
    *f = 0;
    for (int i = 0; i < n; i += 2) {
        double t1 = 1 - x[i], t2 = x[i + 1] - x[i] * x[i];
        *f += t1 * t1 + 100 * t2 * t2;
        g[i] = -2 * t1 - 400 * x[i] * t2;
        g[i + 1] = 200 * t2;
    }
    return 0;
}

static void test_lbfgs_rosenbrock(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_lbfgs_options opt;
    grl_lbfgs_options_init(&opt);
    opt.gtol = 1e-10;
    opt.ftol = 0;
    for (int n = 2; n <= 20; n += 18) {
        double x[20];
        for (int i = 0; i < n; i += 2) x[i] = -1.2, x[i + 1] = 1.0;
        grl_lbfgs_result res;
        assert_ok(grl_lbfgs_minimize(rosenbrock, &n, n, x, &opt, &res, msg));
        for (int i = 0; i < n; i++) assert_double_near(x[i], 1.0, 1e-8);
        assert_true(res.f < 1e-16);
        assert_true(res.iterations < 200);
    }
    /* m = 1 still works (more iterations) */
    opt.m = 1;
    int n = 2;
    double x[2] = {-1.2, 1.0};
    assert_ok(grl_lbfgs_minimize(rosenbrock, &n, n, x, &opt, NULL, msg));
    assert_double_near(x[0], 1.0, 1e-7);
    /* the starting point is already optimal */
    x[0] = x[1] = 1.0;
    grl_lbfgs_result res;
    assert_ok(grl_lbfgs_minimize(rosenbrock, &n, n, x, NULL, &res, msg));
    assert_int_equal(res.iterations, 0);
    assert_int_equal(res.evaluations, 1);
}

static int not_finite(const double *x, double *g, double *f, void *ctx)
{
    g[0] = 1;
    *f = NAN;
    return 0;
}

static void test_lbfgs_not_finite_start(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    double x = 0;
    assert_int_equal(grl_lbfgs_minimize(not_finite, NULL, 1, &x, NULL, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "not finite at the starting point"));
}

/* ---------------------------------------------------------------------------
 * Logistic regression
 * ------------------------------------------------------------------------ */

/* A noisy linear-threshold dataset: n x d features, y = [w.x + 0.3 + noise > 0]. */
static void make_dataset(int n, int d, uint64_t seed, double noise, double *X,
                         uint8_t *y)
{
    grl_rng r;
    grl_rng_init(&r, seed, 7);
    double w[16];
    for (int j = 0; j < d; j++) w[j] = gaussian(&r);
    for (int i = 0; i < n; i++) {
        double z = 0.3;
        for (int j = 0; j < d; j++) {
            X[i * d + j] = gaussian(&r) + (j == 0 ? 0.5 : 0.0);
            z += w[j] * X[i * d + j];
        }
        y[i] = z + noise * gaussian(&r) > 0;
    }
}

/* Newton's method on sum_i log(1+exp(-y_i(w.x_i+b))) + |w|^2/(2C), each step
 * solving the dense (d+1) x (d+1) Hessian system with LAPACKE_dposv. */
static void newton_logreg(const double *X, const uint8_t *y, int n, int d,
                          double C, bool intercept, double *theta)
{
    int p = d + (intercept ? 1 : 0);
    double *H = alloc_doubles((size_t)p * p), *g = alloc_doubles(p);
    double xi[17];
    memset(theta, 0, sizeof(double) * p);
    for (int it = 0; it < 100; it++) {
        memset(H, 0, sizeof(double) * p * p);
        for (int j = 0; j < d; j++) {
            g[j] = theta[j] / C;
            H[j * p + j] = 1.0 / C;
        }
        if (intercept) g[d] = 0;
        for (int i = 0; i < n; i++) {
            memcpy(xi, X + (size_t)i * d, sizeof(double) * d);
            if (intercept) xi[d] = 1.0;
            double z = 0, t = y[i] ? 1.0 : -1.0;
            for (int j = 0; j < p; j++) z += theta[j] * xi[j];
            double s = 1.0 / (1.0 + exp(-z)); /* P(y = 1) */
            double resid = s - (t > 0 ? 1.0 : 0.0), wgt = s * (1 - s);
            for (int j = 0; j < p; j++) {
                g[j] += resid * xi[j];
                for (int k = 0; k < p; k++) H[j * p + k] += wgt * xi[j] * xi[k];
            }
        }
        assert_int_equal(LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', p, 1, H, p, g, 1), 0);
        double step = 0;
        for (int j = 0; j < p; j++) {
            theta[j] -= g[j];
            step = fmax(step, fabs(g[j]));
        }
        if (step < 1e-15) break;
    }
    free(H);
    free(g);
}

static void test_logreg_matches_newton(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int n = 300, d = 6;
    double *X = alloc_doubles((size_t)n * d), theta[8], w[8], b;
    uint8_t y[300];
    make_dataset(n, d, 3, 1.0, X, y);
    grl_logreg_options opt;
    grl_logreg_options_init(&opt);
    opt.lbfgs.gtol = 1e-11;
    opt.lbfgs.ftol = 0;
    for (int variant = 0; variant < 3; variant++) {
        opt.C = variant == 1 ? 0.01 : 0.5;
        opt.fit_intercept = variant != 2;
        newton_logreg(X, y, n, d, opt.C, opt.fit_intercept, theta);
        grl_lbfgs_result res;
        assert_ok(grl_logreg_fit(X, n, d, y, &opt, w, &b, &res, msg));
        for (int j = 0; j < d; j++) assert_double_near(w[j], theta[j], 1e-6);
        assert_double_near(b, opt.fit_intercept ? theta[d] : 0.0, 1e-6);
        assert_true(res.iterations > 0);
    }
    /* liblinear's objective (b penalised like w) is a fit without intercept
     * on X with a constant-1 column appended */
    double *Xa = alloc_doubles((size_t)n * (d + 1));
    for (int i = 0; i < n; i++) {
        memcpy(Xa + (size_t)i * (d + 1), X + (size_t)i * d, sizeof(double) * d);
        Xa[(size_t)i * (d + 1) + d] = 1.0;
    }
    opt.C = 0.05;
    opt.fit_intercept = true;
    opt.penalize_intercept = true;
    newton_logreg(Xa, y, n, d + 1, opt.C, false, theta);
    assert_ok(grl_logreg_fit(X, n, d, y, &opt, w, &b, NULL, msg));
    for (int j = 0; j < d; j++) assert_double_near(w[j], theta[j], 1e-6);
    assert_double_near(b, theta[d], 1e-6);
    assert_true(fabs(theta[d]) > 1e-3); /* the penalty bites on a real b */
    /* one class is no longer degenerate: b is finite */
    uint8_t none[300] = {0};
    assert_ok(grl_logreg_fit(X, n, d, none, &opt, w, &b, NULL, msg));
    assert_true(isfinite(b) && b < 0);
    opt.penalize_intercept = false;
    free(Xa);

    /* default options (gtol 1e-6 on the mean gradient) agree to ~1e-5 */
    opt.lbfgs.gtol = 1e-6;
    opt.lbfgs.ftol = 64 * 2.220446049250313e-16;
    opt.C = 0.5;
    opt.fit_intercept = true;
    newton_logreg(X, y, n, d, opt.C, true, theta);
    assert_ok(grl_logreg_fit(X, n, d, y, &opt, w, &b, NULL, msg));
    for (int j = 0; j < d; j++) assert_double_near(w[j], theta[j], 1e-4);

    /* nearly separable data with a weak penalty: large weights, still exact */
    make_dataset(n, d, 4, 0.05, X, y);
    opt.C = 100;
    opt.lbfgs.gtol = 1e-11;
    opt.lbfgs.ftol = 0;
    newton_logreg(X, y, n, d, opt.C, true, theta);
    assert_ok(grl_logreg_fit(X, n, d, y, &opt, w, &b, NULL, msg));
    for (int j = 0; j < d; j++)
        assert_double_near(w[j], theta[j], 1e-6 * fmax(1.0, fabs(theta[j])));
    assert_double_near(b, theta[d], 1e-6 * fmax(1.0, fabs(theta[d])));

    /* one class only: the constant predictor */
    memset(y, 0, sizeof y);
    assert_ok(grl_logreg_fit(X, n, d, y, NULL, w, &b, NULL, msg));
    assert_true(isinf(b) && b < 0);
    for (int j = 0; j < d; j++) assert_true(w[j] == 0.0);
    memset(y, 1, sizeof y);
    assert_ok(grl_logreg_fit(X, n, d, y, NULL, w, &b, NULL, msg));
    assert_true(isinf(b) && b > 0);

    /* errors */
    opt.C = 0;
    assert_int_equal(grl_logreg_fit(X, n, d, y, &opt, w, &b, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "C must be a positive number"));
    free(X);
}

static void test_logreg_ovr(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int n = 500, d = 8, L = 5;
    double *X = alloc_doubles((size_t)n * d);
    uint8_t *Y = calloc((size_t)n * L, 1), y[500];
    assert_non_null(Y);
    for (int l = 0; l < L; l++) {
        make_dataset(n, d, 10, 0.5, X, y); /* same X each time */
        grl_rng r;
        grl_rng_init(&r, 11, (uint64_t)l);
        for (int i = 0; i < n; i++)
            Y[i * L + l] = l == L - 1 ? 0 : (uint8_t)(grl_rng_uniform(&r) < 0.3 ? y[i] : !y[i]);
    }
    grl_logreg_options opt;
    grl_logreg_options_init(&opt);
    opt.C = 0.1;
    double W1[5 * 8], b1[5], W2[5 * 8], b2[5], w[8], b;
    int64_t nc = -1;
    int threads = grl_threads_get();
    assert_ok(grl_threads_set(1, msg));
    assert_ok(grl_logreg_fit_ovr(X, n, d, Y, L, &opt, W1, b1, &nc, msg));
    assert_int_equal(nc, 0);
    assert_ok(grl_threads_set(2, msg));
    assert_ok(grl_logreg_fit_ovr(X, n, d, Y, L, &opt, W2, b2, &nc, msg));
    assert_memory_equal(W1, W2, sizeof W1);
    assert_memory_equal(b1, b2, sizeof b1);
    /* each label is the binary fit of its column, bit for bit */
    for (int l = 0; l < L; l++) {
        for (int i = 0; i < n; i++) y[i] = Y[i * L + l];
        assert_ok(grl_logreg_fit(X, n, d, y, &opt, w, &b, NULL, msg));
        assert_memory_equal(w, W1 + l * d, sizeof w);
        assert_memory_equal(&b, &b1[l], sizeof b);
    }
    assert_true(isinf(b1[L - 1]));
    /* max_iter too small: a warning counting the labels */
    opt.lbfgs.max_iter = 2;
    assert_int_equal(grl_logreg_fit_ovr(X, n, d, Y, L, &opt, W2, b2, &nc, msg),
                     GRL_NOT_CONVERGED);
    assert_int_equal(nc, L - 1);
    assert_ok(grl_threads_set(threads, msg));
    free(X);
    free(Y);
}

/* ---------------------------------------------------------------------------
 * F1
 * ------------------------------------------------------------------------ */

static void test_f1_by_hand(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    /* rows: true {0,1} {1} {2} {0}; predicted {0,2} {1} {0} {0}
     * label 0: TP 2, FP 1, FN 0 -> 4/5; label 1: TP 1, FN 1 -> 2/3;
     * label 2: TP 0, FP 1, FN 1 -> 0; label 3: nothing -> 0 (zero_division)
     * micro: TP 3, FP 2, FN 2 -> 6/10 */
    const uint8_t T[4][4] = {{1, 1, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}};
    const uint8_t P[4][4] = {{1, 0, 1, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}, {1, 0, 0, 0}};
    uint8_t T3[12], P3[12];
    for (int i = 0; i < 4; i++)
        for (int l = 0; l < 3; l++) T3[i * 3 + l] = T[i][l], P3[i * 3 + l] = P[i][l];
    double micro, macro;
    assert_ok(grl_nodeclf_f1_scores(T3, P3, 4, 3, &micro, &macro, msg));
    assert_double_near(micro, 0.6, 1e-15);
    assert_double_near(macro, (0.8 + 2.0 / 3.0 + 0.0) / 3.0, 1e-15);
    assert_ok(grl_nodeclf_f1_scores(&T[0][0], &P[0][0], 4, 4, &micro, &macro, msg));
    assert_double_near(micro, 0.6, 1e-15);
    assert_double_near(macro, (0.8 + 2.0 / 3.0) / 4.0, 1e-15);
    /* perfect, and nothing at all */
    assert_ok(grl_nodeclf_f1_scores(&T[0][0], &T[0][0], 4, 4, &micro, &macro, msg));
    assert_double_near(micro, 1.0, 0);
    assert_double_near(macro, 0.75, 1e-15);
    const uint8_t Z[4] = {0};
    assert_ok(grl_nodeclf_f1_scores(Z, Z, 1, 4, &micro, &macro, msg));
    assert_double_near(micro, 0.0, 0);
    assert_double_near(macro, 0.0, 0);
    assert_int_equal(grl_nodeclf_f1_scores(Z, Z, 1, 0, &micro, &macro, msg),
                     GRL_INVALID_ARGUMENT);
}

/* ---------------------------------------------------------------------------
 * Labels
 * ------------------------------------------------------------------------ */

/* Labelled nodes without an embedding row: skipped, or given zero rows
 * after the embedding's in sorted id order, whatever the line order. */
static void test_labels_missing(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_labels *L = NULL;
    grl_labels_options o;
    grl_labels_options_init(&o);
    /* rows are ids 0..2; 9, 5 and x have none (x twice, 9 with two labels) */
    const char *lines[] = {"0 a\n", "9 b\n", "x a\n", "2 b\n", "5 a\n",
                           "x b\n", "9 a\n"};
    char text[128] = "", reversed[128] = "";
    for (int k = 0; k < 7; k++) {
        strcat(text, lines[k]);
        strcat(reversed, lines[6 - k]);
    }
    const char *f = temp_file(".txt", text), *r = temp_file(".txt", reversed);
    assert_int_equal(grl_labels_load(&L, f, 3, &o, msg), GRL_NOT_FOUND);
    assert_non_null(strstr(msg, ":2: node '9' is not a row"));
    assert_null(L);

    o.missing = GRL_MISSING_SKIP;
    assert_ok(grl_labels_load(&L, f, 3, &o, msg));
    assert_int_equal(L->nodes, 3);
    assert_int_equal(L->missing, 3);
    const int64_t off[4] = {0, 1, 1, 2}, lab[2] = {0, 1};
    assert_memory_equal(L->offsets, off, sizeof off);
    assert_memory_equal(L->label, lab, sizeof lab);
    grl_labels_free(&L);

    /* zero rows 3, 4, 5 for ids 5, 9, x (spelling order: not all integers) */
    o.missing = GRL_MISSING_ZERO;
    for (int pass = 0; pass < 2; pass++) {
        assert_ok(grl_labels_load(&L, pass ? r : f, 3, &o, msg));
        assert_int_equal(L->nodes, 6);
        assert_int_equal(L->missing, 3);
        const int64_t off2[7] = {0, 1, 1, 2, 3, 5, 7};
        const int64_t lab2[7] = {0, 1, 0, 0, 1, 0, 1};
        assert_memory_equal(L->offsets, off2, sizeof off2);
        assert_memory_equal(L->label, lab2, sizeof lab2);
        grl_labels_free(&L);
    }
    /* integer ids alone sort numerically: 10 before 9 would be spelling */
    f = temp_file(".txt", "10 a\n9 b\n0 a\n");
    assert_ok(grl_labels_load(&L, f, 1, &o, msg));
    const int64_t off3[4] = {0, 1, 2, 3}, lab3[3] = {0, 1, 0};
    assert_memory_equal(L->offsets, off3, sizeof off3);
    assert_memory_equal(L->label, lab3, sizeof lab3);
    grl_labels_free(&L);

    grl_missing_policy p;
    assert_ok(grl_missing_policy_parse("Skip", &p, msg));
    assert_int_equal(p, GRL_MISSING_SKIP);
    assert_string_equal(grl_missing_policy_name(GRL_MISSING_ZERO), "zero");
    assert_int_equal(grl_missing_policy_parse("drop", &p, msg),
                     GRL_INVALID_ARGUMENT);
    o.missing = (grl_missing_policy)7;
    assert_int_equal(grl_labels_load(&L, f, 1, &o, msg), GRL_INVALID_ARGUMENT);
}

static void test_labels_load(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_labels *L = NULL;
    /* integer ids = rows, multi-label, repeats, comments, CRLF */
    const char *f = temp_file(".txt", "# node label\n0 5\n2 7\r\n\n0 5\n"
                              "  2\t5\n% another comment\n0 10\n004 7\n");
    assert_ok(grl_labels_load(&L, f, 5, NULL, msg));
    assert_int_equal(L->nodes, 5);
    assert_int_equal(L->nlabels, 3);
    assert_string_equal(L->names[0], "5"); /* numeric order: 5 7 10 */
    assert_string_equal(L->names[1], "7");
    assert_string_equal(L->names[2], "10");
    const int64_t off[6] = {0, 2, 2, 4, 4, 5}, lab[5] = {0, 2, 0, 1, 1};
    assert_memory_equal(L->offsets, off, sizeof off);
    assert_memory_equal(L->label, lab, sizeof lab);
    grl_labels_free(&L);
    assert_null(L);

    /* string ids through an ids file; string labels in spelling order */
    const char *ids = temp_file(".ids", "alice\nbob\n17\ncarol\n");
    grl_labels_options with_ids;
    grl_labels_options_init(&with_ids);
    with_ids.ids_path = ids;
    f = temp_file(".txt", "carol sports\nbob music\n017 music\nalice art\n");
    assert_ok(grl_labels_load(&L, f, 4, &with_ids, msg));
    assert_int_equal(L->nlabels, 3);
    assert_string_equal(L->names[0], "art");
    assert_string_equal(L->names[1], "music");
    assert_string_equal(L->names[2], "sports");
    const int64_t off2[5] = {0, 1, 2, 3, 4}, lab2[4] = {0, 1, 1, 2};
    assert_memory_equal(L->offsets, off2, sizeof off2);
    assert_memory_equal(L->label, lab2, sizeof lab2);
    grl_labels_free(&L);

    /* errors name the file and line */
    char expect[512];
    f = temp_file(".txt", "0 1\n1\n");
    assert_int_equal(grl_labels_load(&L, f, 5, NULL, msg), GRL_PARSE_ERROR);
    snprintf(expect, sizeof expect, "%s:2: expected `node label`, got only '1'", f);
    assert_string_equal(msg, expect);
    assert_null(L);
    f = temp_file(".txt", "0 1\n1 2 3\n");
    assert_int_equal(grl_labels_load(&L, f, 5, NULL, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, ":2: expected `node label`, got more than two"));
    f = temp_file(".txt", "0 1\n\n7 2\n");
    assert_int_equal(grl_labels_load(&L, f, 5, NULL, msg), GRL_NOT_FOUND);
    snprintf(expect, sizeof expect, "%s:3: node '7' is not a row", f);
    assert_non_null(strstr(msg, expect));
    f = temp_file(".txt", "dave art\n");
    assert_int_equal(grl_labels_load(&L, f, 4, &with_ids, msg), GRL_NOT_FOUND);
    snprintf(expect, sizeof expect, "%s:1: node 'dave' is not in %s", f, ids);
    assert_non_null(strstr(msg, expect));
    with_ids.ids_path = temp_file(".ids", "a\nb\n");
    assert_int_equal(grl_labels_load(&L, f, 4, &with_ids, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "has 2 ids but the embedding has 4 rows"));
    with_ids.ids_path = temp_file(".ids", "a\nb\n0b\nb\n");
    assert_int_equal(grl_labels_load(&L, f, 4, &with_ids, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, ":4: id 'b' repeats row 1's id"));
    char nul[] = "0 1\n1 x\n";
    nul[4] = '\0';
    f = temp_file(".txt", "");
    FILE *fp = fopen(f, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(nul, 1, 8, fp), 8);
    fclose(fp);
    assert_int_equal(grl_labels_load(&L, f, 5, NULL, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "contains a NUL byte"));
    assert_int_equal(grl_labels_load(&L, "/nonexistent/labels.txt", 4, NULL, msg),
                     GRL_IO_ERROR);
    assert_non_null(strstr(msg, "/nonexistent/labels.txt"));

    /* from pairs */
    const int64_t nodes[4] = {3, 0, 3, 3}, labs[4] = {1, 0, 0, 1};
    assert_ok(grl_labels_from_pairs(&L, 4, 2, nodes, labs, 4, msg));
    const int64_t off3[5] = {0, 1, 1, 1, 3}, lab3[3] = {0, 0, 1};
    assert_memory_equal(L->offsets, off3, sizeof off3);
    assert_memory_equal(L->label, lab3, sizeof lab3);
    grl_labels_free(&L);
    const int64_t bad[1] = {4};
    assert_int_equal(grl_labels_from_pairs(&L, 4, 2, bad, labs, 1, msg),
                     GRL_INVALID_ARGUMENT);
    assert_null(L);
}

/* ---------------------------------------------------------------------------
 * Node classification
 * ------------------------------------------------------------------------ */

/* n x d Gaussian features; labels from the first nl features: multi-label
 * (label l iff x_l > 0; rows with none stay unlabelled) or single-label
 * (argmax of the first nl); `random` draws labels independently instead. */
static void synthetic(int n, int d, int nl, bool multi, bool random,
                      grl_dense **E, grl_labels **L)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_dense_new(E, n, d, msg));
    int64_t *node = malloc(sizeof(int64_t) * n * nl);
    int64_t *lab = malloc(sizeof(int64_t) * n * nl);
    assert_non_null(node);
    assert_non_null(lab);
    grl_rng r;
    grl_rng_init(&r, 99, 0);
    int64_t np = 0;
    for (int i = 0; i < n; i++) {
        float *x = (*E)->data + (size_t)i * d;
        for (int j = 0; j < d; j++) x[j] = (float)gaussian(&r);
        int best = 0;
        for (int l = 0; l < nl; l++) {
            if (multi && (random ? grl_rng_uniform(&r) < 0.4 : x[l] > 0))
                node[np] = i, lab[np++] = l;
            if (x[l] > x[best]) best = l;
        }
        if (!multi) {
            node[np] = i;
            lab[np++] = random ? (int64_t)grl_rng_below(&r, nl) : best;
        }
    }
    assert_ok(grl_labels_from_pairs(L, n, nl, node, lab, np, msg));
    free(node);
    free(lab);
}

static void test_nodeclf_synthetic(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_dense *E = NULL;
    grl_labels *L = NULL;
    grl_nodeclf_options opt;
    grl_nodeclf_options_init(&opt);
    grl_nodeclf_result res;

    /* labels determined by the features: near perfect */
    opt.train_fraction = 0.5;
    opt.logreg.C = 100;
    synthetic(1000, 10, 4, true, false, &E, &L);
    assert_ok(grl_nodeclf_evaluate(E, L, &opt, &res, msg));
    print_message("    multi-label, linear: micro %.4f macro %.4f (%lld "
                  "labelled)\n", res.micro_f1, res.macro_f1,
                  (long long)res.labelled);
    assert_true(res.micro_f1 > 0.95 && res.macro_f1 > 0.95);
    assert_int_equal(res.nlabels, 4);
    assert_int_equal(res.train_size, llround(0.5 * res.labelled));
    assert_int_equal(res.train_size + res.test_size, res.labelled);
    assert_true(res.labelled > 900 && res.labelled < 1000);
    assert_int_equal(res.not_converged, 0);
    grl_dense_free(&E);
    grl_labels_free(&L);
    synthetic(1000, 10, 4, false, false, &E, &L);
    assert_ok(grl_nodeclf_evaluate(E, L, &opt, &res, msg));
    print_message("    single-label, linear: micro %.4f macro %.4f\n",
                  res.micro_f1, res.macro_f1);
    assert_true(res.micro_f1 > 0.9 && res.macro_f1 > 0.9);
    grl_dense_free(&E);
    grl_labels_free(&L);

    /* random labels: chance (single-label, 4 classes: 0.25) */
    grl_nodeclf_options_init(&opt);
    opt.train_fraction = 0.5;
    synthetic(2000, 10, 4, false, true, &E, &L);
    assert_ok(grl_nodeclf_evaluate(E, L, &opt, &res, msg));
    print_message("    random labels: micro %.4f ± %.4f, macro %.4f\n",
                  res.micro_f1, res.micro_f1_std, res.macro_f1);
    assert_true(fabs(res.micro_f1 - 0.25) < 0.04);
    assert_true(res.micro_f1_std > 0 && res.micro_f1_std < 0.05);
    /* single label: micro-F1 = accuracy, and macro <= about micro */
    assert_true(res.macro_f1 < res.micro_f1 + 0.02);
    grl_dense_free(&E);
    grl_labels_free(&L);
}

static void count_progress(int64_t done, int64_t repeats, void *ctx)
{
    int64_t *calls = ctx;
    assert_int_equal(done, ++*calls);
    assert_int_equal(repeats, 3);
}

static void test_nodeclf_threads_and_errors(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_dense *E = NULL;
    grl_labels *L = NULL;
    synthetic(800, 24, 6, true, false, &E, &L);
    /* add noise so that fits need many iterations */
    grl_rng r;
    grl_rng_init(&r, 5, 0);
    for (int64_t i = 0; i < E->rows * E->cols; i++)
        E->data[i] += (float)gaussian(&r);
    grl_nodeclf_options opt;
    grl_nodeclf_options_init(&opt);
    opt.repeats = 3;
    opt.seed = 77;
    grl_nodeclf_result a, b, c;
    int threads = grl_threads_get();
    assert_ok(grl_threads_set(1, msg));
    assert_ok(grl_nodeclf_evaluate(E, L, &opt, &a, msg));
    assert_ok(grl_threads_set(2, msg));
    assert_ok(grl_nodeclf_evaluate(E, L, &opt, &b, msg));
    assert_memory_equal(&a, &b, sizeof a);
    print_message("    noisy: micro %.4f ± %.4f, macro %.4f ± %.4f\n",
                  a.micro_f1, a.micro_f1_std, a.macro_f1, a.macro_f1_std);
    /* another seed, other splits; progress after each repeat */
    opt.seed = 78;
    int64_t calls = 0;
    opt.progress = count_progress;
    opt.progress_ctx = &calls;
    assert_ok(grl_nodeclf_evaluate(E, L, &opt, &c, msg));
    assert_true(c.micro_f1 != a.micro_f1);
    assert_int_equal(calls, 3);
    opt.progress = NULL;
    assert_ok(grl_threads_set(threads, msg));

    /* errors */
    opt.train_fraction = 1.0;
    assert_int_equal(grl_nodeclf_evaluate(E, L, &opt, &a, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "train fraction must be in (0, 1)"));
    opt.train_fraction = 0.0001;
    assert_int_equal(grl_nodeclf_evaluate(E, L, &opt, &a, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "leaves 0 for training"));
    grl_nodeclf_options_init(&opt);
    grl_labels *L2 = NULL;
    const int64_t z = 0;
    assert_ok(grl_labels_from_pairs(&L2, 5, 1, &z, &z, 1, msg));
    assert_int_equal(grl_nodeclf_evaluate(E, L2, &opt, &a, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "cover 5 nodes but the embedding has 800 rows"));
    grl_labels_free(&L2);
    /* max_iter too small: a warning with the results */
    opt.logreg.lbfgs.max_iter = 1;
    opt.repeats = 1;
    assert_int_equal(grl_nodeclf_evaluate(E, L, &opt, &a, msg),
                     GRL_NOT_CONVERGED);
    assert_int_equal(a.not_converged, 6);
    assert_true(a.micro_f1 > 0);
    grl_dense_free(&E);
    grl_labels_free(&L);
}

/* Cora (Planetoid order) with a cheap structural embedding: random
 * projections of the 1-, 2- and 3-step random-walk neighbourhoods,
 * [P R, P^2 R, P^3 R] with P = D^-1 A and a Gaussian n x 128 R, rows
 * L2-normalised. */
static void test_nodeclf_cora(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    double t0 = seconds();
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("cora_planetoid/edges.txt"), NULL, msg));
    const GrB_Index n = (GrB_Index)grl_graph_num_nodes(G), k = 128, hops = 3;
    assert_int_equal(n, 2708);
    assert_true(grl_graph_ids_are_indices(G));
    const double *deg;
    assert_ok(grl_graph_degree(G, GRL_OUT, false, &deg, msg));
    GrB_Index *I = malloc(n * k * sizeof(GrB_Index));
    GrB_Index *J = malloc(n * k * sizeof(GrB_Index));
    double *V = malloc(n * k * sizeof(double));
    assert_non_null(I);
    assert_non_null(J);
    assert_non_null(V);
    /* P = D^-1 A */
    GrB_Matrix P = NULL, D = NULL, X = NULL, Y = NULL;
    GrB_Vector dinv = NULL;
    for (GrB_Index i = 0; i < n; i++) {
        I[i] = i;
        V[i] = deg[i] > 0 ? 1.0 / deg[i] : 0.0;
    }
    assert_int_equal(GrB_Vector_new(&dinv, GrB_FP64, n), GrB_SUCCESS);
    assert_int_equal(GrB_Vector_build_FP64(dinv, I, V, n, GrB_PLUS_FP64), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_diag(&D, dinv, 0), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_new(&P, GrB_FP64, n, n), GrB_SUCCESS);
    assert_int_equal(GrB_mxm(P, NULL, NULL, GrB_PLUS_TIMES_SEMIRING_FP64, D,
                             grl_graph_matrix(G), NULL), GrB_SUCCESS);
    /* X = R, then X = P X three times */
    grl_rng r;
    grl_rng_init(&r, 2024, 0);
    for (GrB_Index p = 0; p < n * k; p++) {
        I[p] = p / k, J[p] = p % k;
        V[p] = gaussian(&r);
    }
    assert_int_equal(GrB_Matrix_new(&X, GrB_FP64, n, k), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_build_FP64(X, I, J, V, n * k, GrB_PLUS_FP64),
                     GrB_SUCCESS);
    grl_dense *E = NULL;
    const GrB_Index d = hops * k;
    assert_ok(grl_dense_new(&E, (int64_t)n, (int64_t)d, msg));
    for (GrB_Index h = 0; h < hops; h++) {
        assert_int_equal(GrB_Matrix_new(&Y, GrB_FP64, n, k), GrB_SUCCESS);
        assert_int_equal(GrB_Matrix_assign_FP64(Y, NULL, NULL, 0.0, GrB_ALL, n,
                                                GrB_ALL, k, NULL), GrB_SUCCESS);
        assert_int_equal(GrB_mxm(Y, NULL, GrB_PLUS_FP64,
                                 GrB_PLUS_TIMES_SEMIRING_FP64, P, X, NULL),
                         GrB_SUCCESS);
        GrB_Index nv = n * k;
        assert_int_equal(GrB_Matrix_extractTuples_FP64(I, J, V, &nv, Y),
                         GrB_SUCCESS);
        assert_int_equal(nv, n * k);
        for (GrB_Index p = 0; p < nv; p++)
            E->data[I[p] * d + h * k + J[p]] = (float)V[p];
        GrB_free(&X);
        X = Y;
        Y = NULL;
    }
    for (GrB_Index i = 0; i < n; i++) {
        float *e = E->data + i * d;
        double s = 0;
        for (GrB_Index j = 0; j < d; j++) s += (double)e[j] * e[j];
        for (GrB_Index j = 0; j < d; j++) e[j] = s > 0 ? (float)(e[j] / sqrt(s)) : 0;
    }
    GrB_free(&X);
    GrB_free(&P);
    GrB_free(&D);
    GrB_free(&dinv);
    free(I);
    free(J);
    free(V);
    double t1 = seconds();

    grl_labels *L = NULL;
    assert_ok(grl_labels_load(&L, data_path("cora_planetoid/labels.txt"), E->rows,
                              NULL, msg));
    assert_int_equal(L->nlabels, 7);
    grl_nodeclf_options opt;
    grl_nodeclf_options_init(&opt);
    opt.train_fraction = 0.5;
    opt.logreg.C = 10;
    grl_nodeclf_result res;
    assert_ok(grl_nodeclf_evaluate(E, L, &opt, &res, msg));
    double t2 = seconds();
    print_message("    cora: micro %.4f ± %.4f, macro %.4f ± %.4f (embedding "
                  "%.2f s, evaluation %.2f s)\n", res.micro_f1, res.micro_f1_std,
                  res.macro_f1, res.macro_f1_std, t1 - t0, t2 - t1);
    assert_int_equal(res.labelled, 2708);
    assert_int_equal(res.nlabels, 7);
    assert_int_equal(res.train_size, 1354);
    assert_int_equal(res.not_converged, 0);
    /* far above the majority class (818 of 2708 = 0.302) */
    assert_true(res.micro_f1 > 0.58);
    assert_true(res.macro_f1 > 0.55);
    grl_labels_free(&L);
    grl_dense_free(&E);
    grl_graph_free(&G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lbfgs_quadratic),
        cmocka_unit_test(test_lbfgs_rosenbrock),
        cmocka_unit_test(test_lbfgs_not_finite_start),
        cmocka_unit_test(test_logreg_matches_newton),
        cmocka_unit_test(test_logreg_ovr),
        cmocka_unit_test(test_f1_by_hand),
        cmocka_unit_test(test_labels_load),
        cmocka_unit_test(test_labels_missing),
        cmocka_unit_test(test_nodeclf_synthetic),
        cmocka_unit_test(test_nodeclf_threads_and_errors),
        cmocka_unit_test(test_nodeclf_cora),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
