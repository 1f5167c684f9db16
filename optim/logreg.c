/* logreg.c — L2-regularised binary logistic regression, fitted with
 * grl_lbfgs_minimize; one-vs-rest over labels in parallel. The intercept is either
 * free (scikit-learn's lbfgs objective) or penalised like the weights
 * (liblinear's, intercept_scaling = 1).
 *
 * Determinism: OpenBLAS splits a product over threads (and may then add
 * partial sums in another order) only outside an active OpenMP parallel
 * region. Every fit therefore runs inside one — a team of two when more than
 * one thread is allowed — so each BLAS call is single-threaded and a fit's
 * bits never depend on the thread count. */
#include "grl_internal.h"
#include "grl/optim.h"
#include "optim_internal.h"

#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>

void grl_logreg_options_init(grl_logreg_options *opt)
{
    if (opt == NULL) return;
    opt->C = 1.0;
    opt->fit_intercept = true;
    opt->penalize_intercept = false;
    grl_lbfgs_options_init(&opt->lbfgs);
    opt->lbfgs.gtol = 1e-6;
    opt->lbfgs.ftol = 64 * DBL_EPSILON;
}

/* log(1 + exp(t)) without overflow or loss of precision. */
static inline double log1pexp(double t)
{
    return t > 0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

/* 1 / (1 + exp(-t)) without overflow. */
static inline double sigmoid(double t)
{
    if (t >= 0) return 1.0 / (1.0 + exp(-t));
    double e = exp(t);
    return e / (1.0 + e);
}

typedef struct {
    const double *X;
    const uint8_t *y;
    int n, d;
    bool intercept, penalize_intercept;
    double inv_C, scale; /* 1 / C, 1 / n */
    double *z;           /* n values of workspace */
} problem;

/* The mean objective and its gradient at x = (w, b). */
static int objective(const double *x, double *grad, double *f, void *ctx)
{
    const problem *p = ctx;
    const int n = p->n, d = p->d;
    const double b = p->intercept ? x[d] : 0.0;
    double *z = p->z;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, n, d, 1.0, p->X, d, x, 1, 0.0,
                z, 1);
    double loss = 0.0, gb = 0.0;
    for (int i = 0; i < n; i++) {
        double yi = p->y[i] ? 1.0 : -1.0;
        double margin = yi * (z[i] + b);
        loss += log1pexp(-margin);
        z[i] = -yi * sigmoid(-margin); /* d loss_i / d z_i */
        gb += z[i];
    }
    cblas_dgemv(CblasRowMajor, CblasTrans, n, d, 1.0, p->X, d, z, 1, 0.0,
                grad, 1);
    cblas_daxpy(d, p->inv_C, x, 1, grad, 1);
    double ww = cblas_ddot(d, x, 1, x, 1);
    cblas_dscal(d, p->scale, grad, 1);
    if (p->intercept && p->penalize_intercept) { /* liblinear: b^2 / (2C) */
        ww += b * b;
        gb += p->inv_C * b;
    }
    if (p->intercept) grad[d] = gb * p->scale;
    *f = (loss + 0.5 * p->inv_C * ww) * p->scale;
    return 0;
}

static int check_args(const double *X, int64_t n, int64_t d, const void *y,
                      const grl_logreg_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(X != NULL && y != NULL, "logistic regression: NULL X or y");
    GRL_REQUIRE(n >= 1 && n < INT_MAX && d >= 1 && d < INT_MAX,
                "logistic regression needs 1..2^31-2 rows and columns, got %"
                PRId64 " x %" PRId64, n, d);
    GRL_REQUIRE(o->C > 0 && isfinite(o->C), "logistic regression: C must be "
                "a positive number, got %g", o->C);
    return 0;
#undef FREE_ALL
}

/* Fit one label; runs on the calling thread (see the top of the file). */
static int fit_one(const double *X, int64_t n, int64_t d, const uint8_t *y,
                   const grl_logreg_options *o, double *w, double *b,
                   grl_lbfgs_result *result, char *msg)
{
    double *work = NULL;
#define FREE_ALL free(work)
    int64_t pos = 0;
    for (int64_t i = 0; i < n; i++) pos += y[i] != 0;
    if (o->fit_intercept && !o->penalize_intercept && (pos == 0 || pos == n)) {
        /* one class, free intercept: no minimum (b -> -+inf); a constant
         * predictor */
        memset(w, 0, (size_t)d * sizeof(double));
        *b = pos == 0 ? -INFINITY : INFINITY;
        if (result) *result = (grl_lbfgs_result){0, 0, 0.0, 0.0, GRL_LBFGS_GTOL};
        return 0;
    }
    int64_t nx = d + (o->fit_intercept ? 1 : 0);
    GRL_CALLOC(work, double, grl_size_add(nx, n));
    problem p = {X, y, (int)n, (int)d, o->fit_intercept,
                 o->penalize_intercept, 1.0 / o->C, 1.0 / (double)n, work + nx};
    grl_lbfgs_result r = {0, 0, NAN, NAN, GRL_LBFGS_MAX_ITER};
    int rc = grl_lbfgs_minimize(objective, &p, nx, work, &o->lbfgs, &r, msg);
    if (result) *result = r;
    if (rc < 0) {
        FREE_ALL;
        return rc;
    }
    memcpy(w, work, (size_t)d * sizeof(double));
    *b = o->fit_intercept ? work[d] : 0.0;
    if (rc == GRL_NOT_CONVERGED)
        grl_set_msg(msg, "logistic regression did not converge: L-BFGS stopped "
                    "after %" PRId64 " iterations with gradient norm %.3g "
                    "(gtol %.3g); raise max_iter", r.iterations, r.gnorm,
                    o->lbfgs.gtol);
    FREE_ALL;
    return rc;
#undef FREE_ALL
}

int grl_logreg_fit(const double *X, int64_t n, int64_t d, const uint8_t *y,
                   const grl_logreg_options *opt, double *w, double *b,
                   grl_lbfgs_result *result, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    grl_logreg_options o;
    if (opt) o = *opt;
    else grl_logreg_options_init(&o);
    GRL_TRY(check_args(X, n, d, y, &o, msg));
    GRL_REQUIRE(w != NULL && b != NULL, "grl_logreg_fit: NULL w or b");
    int rc = 0;
    grl_lbfgs_result r = {0, 0, NAN, NAN, GRL_LBFGS_MAX_ITER};
    char m[GRL_MSG_LEN] = "";
#pragma omp parallel num_threads(grl_blas_team(1))
    {
#pragma omp single
        rc = fit_one(X, n, d, y, &o, w, b, &r, m);
    }
    if (result) *result = r;
    if (rc != 0) grl_set_msg(msg, "%s", m);
    return rc;
#undef FREE_ALL
}

int grl_logreg_fit_ovr(const double *X, int64_t n, int64_t d,
                       const uint8_t *Y, int64_t nlabels,
                       const grl_logreg_options *opt, double *W, double *b,
                       int64_t *not_converged, char *msg)
{
    grl_msg_clear(msg);
    int *status = NULL;
#define FREE_ALL free(status)
    grl_logreg_options o;
    if (opt) o = *opt;
    else grl_logreg_options_init(&o);
    if (not_converged) *not_converged = 0;
    GRL_TRY(check_args(X, n, d, Y, &o, msg));
    GRL_REQUIRE(nlabels >= 1 && nlabels < INT_MAX, "one-vs-rest logistic "
                "regression needs at least one label, got %" PRId64, nlabels);
    GRL_REQUIRE(W != NULL && b != NULL, "grl_logreg_fit_ovr: NULL W or b");
    GRL_CALLOC(status, int, nlabels);
    int64_t first_error = nlabels;
    char error_msg[GRL_MSG_LEN] = "";
#pragma omp parallel num_threads(grl_blas_team(nlabels))
    {
        uint8_t *y = grl_malloc((size_t)n);
#pragma omp for schedule(dynamic, 1)
        for (int64_t l = 0; l < nlabels; l++) {
            char m[GRL_MSG_LEN] = "";
            if (y == NULL) {
                status[l] = GRL_OUT_OF_MEMORY;
                snprintf(m, sizeof m, "out of memory allocating %" PRId64
                         " bytes of labels", n);
            } else {
                for (int64_t i = 0; i < n; i++) y[i] = Y[i * nlabels + l] != 0;
                status[l] = fit_one(X, n, d, y, &o, W + l * d, b + l, NULL, m);
            }
            if (status[l] < 0) {
#pragma omp critical(grl_logreg_ovr)
                if (l < first_error) {
                    first_error = l;
                    snprintf(error_msg, sizeof error_msg, "label %" PRId64
                             ": %s", l, m);
                }
            }
        }
        free(y);
    }
    if (first_error < nlabels) {
        int rc = status[first_error];
        grl_set_msg(msg, "%s", error_msg);
        FREE_ALL;
        return rc;
    }
    int64_t nc = 0;
    for (int64_t l = 0; l < nlabels; l++) nc += status[l] == GRL_NOT_CONVERGED;
    if (not_converged) *not_converged = nc;
    FREE_ALL;
    if (nc > 0) {
        grl_set_msg(msg, "logistic regression did not converge for %" PRId64
                    " of %" PRId64 " labels; raise max_iter", nc, nlabels);
        return GRL_NOT_CONVERGED;
    }
    return 0;
#undef FREE_ALL
}
