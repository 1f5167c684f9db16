/* dag_notears.c — NOTEARS linear (Zheng, Aragam, Ravikumar, Xing, NeurIPS
 * 2018, as the authors' notears/linear.py runs it): minimise
 *     loss(W) + lambda1 |W|_1 + lambda2/2 ||W||^2  s.t.  h(W) = tr(e^{W o W}) - d = 0
 * by the augmented Lagrangian loss + rho/2 h^2 + alpha h, each subproblem
 * solved by L-BFGS-B over W = W+ - W- with W+, W- >= 0 (so |W|_1 is the
 * linear sum(W+ + W-)) and the diagonal fixed at 0; rho grows tenfold while
 * h does not fall below a quarter of its previous value; alpha += rho h.
 * e^A by scaling and squaring of its Taylor series (A = W o W is entrywise
 * non-negative, so the series has no cancellation), products by OpenBLAS. */
#include "dag_internal.h"
#include "optim_internal.h"

#include <cblas.h>
#include <math.h>

typedef struct {
    int64_t n, d;
    const double *X;     /* n x d, centred for l2                        */
    grl_dag_loss loss;
    double lambda1, lambda2, rho, alpha;
    double *W, *G, *M;   /* d x d; M: 4 d x d scratch of h               */
    double *R;
    double h;            /* h at the last evaluation                     */
} problem;

/* E = e^A for A (d x d, entrywise >= 0): Taylor terms until they stop
 * changing the sum, on A / 2^s with ||A / 2^s||_1 <= 1/2, then s squarings.
 * T1, T2: scratch. */
static void expm_nonneg(double *E, const double *A, int64_t d, double *T1, double *T2)
{
    const int dd = (int)d;
    double norm = 0;
    for (int64_t j = 0; j < d; j++) {
        double s = 0;
        for (int64_t i = 0; i < d; i++) s += A[i * d + j];
        norm = fmax(norm, s);
    }
    int s = 0;
    while (norm > 0.5 && s < 1000) norm *= 0.5, s++;
    double scale = ldexp(1.0, -s);
    /* E = I + B + B^2/2! + ..., B = A / 2^s; T1 holds the current term */
    memset(E, 0, sizeof(double) * (size_t)(d * d));
    for (int64_t i = 0; i < d; i++) E[i * d + i] = 1.0;
    for (int64_t k = 0; k < d * d; k++) T1[k] = A[k] * scale;
    for (int term = 1; term < 40; term++) {
        double big = 0;
        for (int64_t k = 0; k < d * d; k++) {
            E[k] += T1[k];
            big = fmax(big, T1[k]);
        }
        if (big <= 1e-18) break;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, dd, dd, dd,
                    scale / (term + 1), T1, dd, A, dd, 0.0, T2, dd);
        memcpy(T1, T2, sizeof(double) * (size_t)(d * d));
    }
    for (int k = 0; k < s; k++) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, dd, dd, dd, 1.0, E,
                    dd, E, dd, 0.0, T2, dd);
        memcpy(E, T2, sizeof(double) * (size_t)(d * d));
    }
}

double grl_dag_h_expm(const double *W, int64_t d, double *grad, double *work)
{
    double *A = work, *E = A + d * d, *T1 = E + d * d, *T2 = T1 + d * d;
    for (int64_t k = 0; k < d * d; k++) A[k] = W[k] * W[k];
    expm_nonneg(E, A, d, T1, T2);
    double h = -(double)d;
    for (int64_t i = 0; i < d; i++) h += E[i * d + i];
    if (grad)
        for (int64_t i = 0; i < d; i++)
            for (int64_t j = 0; j < d; j++)
                grad[i * d + j] = 2.0 * E[j * d + i] * W[i * d + j];
    return h;
}

/* h and its gradient at W, in p's scratch. */
static double h_value(problem *p, const double *W, double *grad)
{
    return grl_dag_h_expm(W, p->d, grad, p->M);
}

/* The smooth loss and its gradient G (d x d) at W. */
static double loss_value(problem *p, const double *W, double *G)
{
    const int n = (int)p->n, d = (int)p->d;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d, 1.0, p->X, d,
                W, d, 0.0, p->R, d);
    double loss = 0;
    size_t nd = (size_t)p->n * (size_t)p->d;
    for (size_t k = 0; k < nd; k++) {
        double m = p->R[k], x = p->X[k];
        if (p->loss == GRL_DAG_LOSS_L2) {
            double r = m - x; /* X W - X: the gradient's residual */
            loss += 0.5 * r * r;
            p->R[k] = r;
        } else {
            loss += (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))) - x * m;
            p->R[k] = (m >= 0 ? 1.0 / (1.0 + exp(-m)) : exp(m) / (1.0 + exp(m))) - x;
        }
    }
    /* G = X' R / n */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, p->X, d,
                p->R, d, 0.0, G, d);
    return loss / n;
}

/* The augmented Lagrangian over w = (W+, W-) (2 d^2 values). */
static int objective(const double *w, double *grad, double *f, void *ctx)
{
    problem *p = ctx;
    const int64_t dd = p->d * p->d;
    for (int64_t k = 0; k < dd; k++) p->W[k] = w[k] - w[dd + k];
    double loss = loss_value(p, p->W, p->G);
    double h = h_value(p, p->W, grad); /* grad[0..dd) = grad h for now */
    double l1 = 0, l2 = 0;
    for (int64_t k = 0; k < 2 * dd; k++) l1 += w[k];
    for (int64_t k = 0; k < dd; k++) l2 += p->W[k] * p->W[k];
    *f = loss + 0.5 * p->rho * h * h + p->alpha * h + p->lambda1 * l1 + 0.5 * p->lambda2 * l2;
    double coef = p->rho * h + p->alpha;
    for (int64_t k = 0; k < dd; k++) {
        double smooth = p->G[k] + coef * grad[k] + p->lambda2 * p->W[k];
        grad[k] = smooth + p->lambda1;
        grad[dd + k] = -smooth + p->lambda1;
    }
    p->h = h;
    return 0;
}

static int notears_run(double *W, const grl_dag_data *data,
                       const grl_dag_options *opt, double *h_out,
                       int64_t *iterations, char *msg)
{
    problem p = {0};
    double *buf = NULL, *w = NULL, *wnew = NULL, *lo = NULL, *hi = NULL;
#define FREE_ALL free(buf); free(w); free(wnew); free(lo); free(hi)
    const int64_t n = data->n, d = data->d;
    GRL_REQUIRE(d <= 2000, "NOTEARS handles at most 2000 variables, got %" PRId64, d);
    const size_t dd = (size_t)d * (size_t)d, nd = grl_size_mul((size_t)n, (size_t)d);
    GRL_ALLOC(buf, double, grl_size_add(grl_size_mul(2, nd), 6 * dd));
    GRL_CALLOC(w, double, 2 * dd);
    GRL_ALLOC(wnew, double, 2 * dd);
    GRL_CALLOC(lo, double, 2 * dd);
    GRL_ALLOC(hi, double, 2 * dd);
    double *X = buf, *R = X + nd;
    if (opt->loss == GRL_DAG_LOSS_L2) grl_dag_centre(X, data->X, n, d);
    else memcpy(X, data->X, nd * sizeof *X);
    p = (problem){n, d, X, opt->loss, opt->lambda1, opt->lambda2, 1.0, 0.0,
                  R + nd, R + nd + dd, R + nd + 2 * dd, R, INFINITY};
    for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j < d; j++) {
            double b = i == j ? 0.0 : INFINITY; /* no self-loops */
            hi[i * d + j] = hi[dd + i * d + j] = b;
        }
    grl_lbfgs_options lo_opt;
    grl_lbfgs_options_init(&lo_opt);
    lo_opt.max_iter = 15000;       /* scipy's L-BFGS-B defaults */
    lo_opt.gtol = 1e-5;
    lo_opt.ftol = 1e7 * 2.220446049250313e-16;
    int64_t max_iter = opt->max_iter > 0 ? opt->max_iter : 100, it = 0;
    double h = INFINITY;
    char sub[GRL_MSG_LEN];
    for (; it < max_iter; it++) {
        double hnew = INFINITY;
        while (p.rho < opt->rho_max) {
            memcpy(wnew, w, 2 * dd * sizeof *w);
            int rc = grl_lbfgsb_minimize(objective, &p, (int64_t)(2 * dd), wnew, lo,
                                         hi, &lo_opt, NULL, sub);
            if (rc < 0) GRL_FAIL(rc, "NOTEARS: %s", sub);
            for (size_t k = 0; k < dd; k++) p.W[k] = wnew[k] - wnew[dd + k];
            hnew = h_value(&p, p.W, NULL);
            if (!isfinite(hnew))
                GRL_FAIL(GRL_INVALID_ARGUMENT, "NOTEARS: h(W) overflowed (rho %g); "
                         "standardise the data or raise lambda1", p.rho);
            if (hnew > 0.25 * h) p.rho *= 10;
            else break;
        }
        memcpy(w, wnew, 2 * dd * sizeof *w);
        h = hnew;
        p.alpha += p.rho * h;
        if (h <= opt->h_tol || p.rho >= opt->rho_max) {
            it++;
            break;
        }
    }
    for (size_t k = 0; k < dd; k++) W[k] = w[k] - w[dd + k];
    *h_out = h;
    *iterations = it;
    int status = 0;
    if (h > opt->h_tol) {
        grl_set_msg(msg, "NOTEARS stopped with h(W) = %.3g > h_tol %.3g after %"
                    PRId64 " dual steps (rho %.3g); the estimate may have cycles",
                    h, opt->h_tol, it, p.rho);
        status = GRL_NOT_CONVERGED;
    }
    FREE_ALL;
    return status;
#undef FREE_ALL
}

int grl_dag_notears(double *W, const grl_dag_data *data,
                    const grl_dag_options *opt, double *h_out,
                    int64_t *iterations, char *msg)
{
    /* The products are small (d x d, n x d x d): OpenBLAS threads on them
     * cost far more than they save (d = 20, n = 100 on 2 shared cores:
     * 253 s threaded vs 9.8 s single-threaded, measured). OpenBLAS runs
     * single-threaded inside an active parallel region, so one thread of a
     * team of two does the work. */
    int status = 0;
#pragma omp parallel num_threads(grl_blas_team(2))
#pragma omp single
    status = notears_run(W, data, opt, h_out, iterations, msg);
    return status;
}
