/* dag_notears.c — NOTEARS linear (Zheng, Aragam, Ravikumar, Xing, NeurIPS
 * 2018, as the authors' notears/linear.py runs it): minimise
 *     loss(W) + lambda1 |W|_1 + lambda2/2 ||W||^2  s.t.  h(W) = tr(e^{W o W}) - d = 0
 * by the augmented Lagrangian loss + rho/2 h^2 + alpha h, each subproblem
 * solved by L-BFGS-B over W = W+ - W- with W+, W- >= 0 (so |W|_1 is the
 * linear sum(W+ + W-)) and the diagonal fixed at 0; rho grows tenfold while
 * h does not fall below a quarter of its previous value; alpha += rho h.
 * The least-squares loss and its gradient come from the Gram matrix
 * S = Xc'Xc / n, computed once (O(d^3) per evaluation instead of
 * O(n d^2)); e^{W o W} by scaling and squaring with a Pade approximant
 * (Higham 2005), products by OpenBLAS. */
#include "dag_internal.h"
#include "optim_internal.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <time.h>

typedef struct {
    int64_t n, d;
    const double *X;     /* logistic: n x d, the raw 0/1 data            */
    const double *S;     /* l2: d x d, Xc'Xc / n                         */
    grl_dag_loss loss;
    double lambda1, lambda2, rho, alpha;
    double *W, *G, *M;   /* d x d; M: the scratch of h (GRL_DAG_H_WORK)  */
    double *R;           /* logistic: n x d; l2: d x d                   */
    double h;            /* h at the last evaluation                     */
    double deadline;     /* thread CPU seconds; INFINITY: none            */
    bool past_deadline;  /* an evaluation found the deadline passed      */
} problem;

/* The Pade approximant of degree m (Higham 2005, eq. 2.1): coefficients
 * c_j = (2m-j)! m! / ((2m)! j! (m-j)!) of p(x) = sum c_j x^j, q(x) = p(-x),
 * r = p / q; theta: the largest ||A||_1 for which r(A) equals e^A to double
 * precision (Higham's Table 2.3). */
static const struct { int m; double theta; } pade_degrees[5] = {
    {3, 1.495585217958292e-2}, {5, 2.539398330063230e-1},
    {7, 9.504178996162932e-1}, {9, 2.097847961257068e0},
    {13, 5.371920351148152e0}};

static void pade_coefficients(double *c, int m)
{
    c[0] = 1;
    for (int j = 0; j < m; j++) c[j + 1] = c[j] * (m - j) / ((double)(2 * m - j) * (j + 1));
}

/* C = alpha A B + beta C, d x d row-major. */
static void gemm(int64_t d, double alpha, const double *A, const double *B,
                 double beta, double *C)
{
    const int n = (int)d;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, alpha, A, n,
                B, n, beta, C, n);
}

/* E = e^A (d x d) by Higham's scaling and squaring (2005, Algorithm 2.3):
 * the lowest Pade degree whose theta bounds ||A||_1, else degree 13 on
 * A / 2^s and s squarings. With the odd part U = A sum c_{2i+1} A^{2i}
 * and the even part V = sum c_{2i} A^{2i}, r(A) = (V - U)^-1 (V + U).
 * A is scaled in place; work: 7 d^2 + d doubles. */
static void expm(double *E, double *A, int64_t d, double *work)
{
    const size_t dd = (size_t)(d * d);
    double *P[5] = {NULL, work, work + dd, work + 2 * dd, work + 3 * dd}; /* A^2i */
    double *T = work + 4 * dd, *V = T + dd, *U = V + dd;
    lapack_int *piv = (lapack_int *)(U + dd); /* d values in d doubles */
    double norm = 0;
    for (int64_t j = 0; j < d; j++) {
        double s = 0;
        for (int64_t i = 0; i < d; i++) s += fabs(A[i * d + j]);
        norm = fmax(norm, s);
    }
    if (!(norm < INFINITY)) { /* overflowed weights: h is not finite */
        for (size_t i = 0; i < dd; i++) E[i] = norm;
        return;
    }
    int k = 0, s = 0;
    while (k < 4 && norm > pade_degrees[k].theta) k++;
    if (norm > pade_degrees[4].theta) s = (int)ceil(log2(norm / pade_degrees[4].theta));
    const int m = pade_degrees[k].m, top = m == 13 ? 3 : (m - 1) / 2;
    double c[14];
    pade_coefficients(c, m);
    const double scale = ldexp(1.0, -s);
    for (size_t i = 0; i < dd; i++) A[i] *= scale;
    gemm(d, 1.0, A, A, 0.0, P[1]);
    for (int i = 2; i <= top; i++) gemm(d, 1.0, P[i - 1], P[1], 0.0, P[i]);
    /* T = sum c_{2i+1} A^{2i}, V = sum c_{2i} A^{2i}; degree 13 takes its
     * powers 8..12 as A^6 (c13 A^6 + c11 A^4 + c9 A^2) and the like */
    if (m == 13) {
        for (size_t i = 0; i < dd; i++) {
            U[i] = c[13] * P[3][i] + c[11] * P[2][i] + c[9] * P[1][i];
            E[i] = c[12] * P[3][i] + c[10] * P[2][i] + c[8] * P[1][i];
        }
        gemm(d, 1.0, P[3], U, 0.0, T);
        gemm(d, 1.0, P[3], E, 0.0, V);
    } else {
        memset(T, 0, dd * sizeof *T);
        memset(V, 0, dd * sizeof *V);
    }
    for (int i = 1; i <= top; i++)
        for (size_t e = 0; e < dd; e++) {
            T[e] += c[2 * i + 1] * P[i][e];
            V[e] += c[2 * i] * P[i][e];
        }
    for (int64_t i = 0; i < d; i++) {
        T[i * d + i] += c[1];
        V[i * d + i] += c[0];
    }
    gemm(d, 1.0, A, T, 0.0, U);
    /* (V - U) E = V + U. The matrices are row-major, so LAPACK reads their
     * transposes: the same polynomials of A', whose solution E' it writes
     * back, i.e. E in row-major order. */
    for (size_t i = 0; i < dd; i++) {
        E[i] = V[i] + U[i];
        T[i] = V[i] - U[i];
    }
    LAPACKE_dgesv_work(LAPACK_COL_MAJOR, (lapack_int)d, (lapack_int)d, T,
                       (lapack_int)d, piv, E, (lapack_int)d);
    for (int i = 0; i < s; i++) {
        gemm(d, 1.0, E, E, 0.0, T);
        memcpy(E, T, dd * sizeof *E);
    }
}

double grl_dag_h_expm(const double *W, int64_t d, double *grad, double *work)
{
    double *A = work, *E = A + d * d;
    for (int64_t k = 0; k < d * d; k++) A[k] = W[k] * W[k];
    expm(E, A, d, E + d * d);
    double h = -(double)d;
    for (int64_t i = 0; i < d; i++) h += E[i * d + i];
    if (grad)
        for (int64_t i = 0; i < d; i++)
            for (int64_t j = 0; j < d; j++)
                grad[i * d + j] = 2.0 * E[j * d + i] * W[i * d + j];
    return h;
}

double grl_dag_l2_loss_gram(const double *S, const double *W, int64_t d,
                            double *G, double *work)
{
    const size_t dd = (size_t)(d * d);
    double *IW = work, loss = 0;
    for (size_t k = 0; k < dd; k++) IW[k] = -W[k];
    for (int64_t i = 0; i < d; i++) IW[i * d + i] += 1.0;
    /* G = -S (I - W); loss = 1/2 <I - W, S (I - W)> */
    cblas_dsymm(CblasRowMajor, CblasLeft, CblasLower, (int)d, (int)d, -1.0, S,
                (int)d, IW, (int)d, 0.0, G, (int)d);
    for (size_t k = 0; k < dd; k++) loss -= IW[k] * G[k];
    return 0.5 * loss;
}

/* h and its gradient at W, in p's scratch. */
static double h_value(problem *p, const double *W, double *grad)
{
    return grl_dag_h_expm(W, p->d, grad, p->M);
}

/* The smooth loss and its gradient G (d x d) at W. */
static double loss_value(problem *p, const double *W, double *G)
{
    if (p->loss == GRL_DAG_LOSS_L2) return grl_dag_l2_loss_gram(p->S, W, p->d, G, p->R);
    const int n = (int)p->n, d = (int)p->d;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d, 1.0, p->X, d,
                W, d, 0.0, p->R, d);
    double loss = 0;
    size_t nd = (size_t)p->n * (size_t)p->d;
    for (size_t k = 0; k < nd; k++) {
        double m = p->R[k], x = p->X[k];
        loss += (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))) - x * m;
        p->R[k] = (m >= 0 ? 1.0 / (1.0 + exp(-m)) : exp(m) / (1.0 + exp(m))) - x;
    }
    /* G = X' R / n */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, p->X, d,
                p->R, d, 0.0, G, d);
    return loss / n;
}

/* CPU seconds of the calling thread, the one running NOTEARS: a limit on
 * them does not depend on the machine's load, as wall time would. */
static double thread_cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The augmented Lagrangian over w = (W+, W-) (2 d^2 values); past the
 * deadline it flags it and returns -1, which ends the subproblem. */
static int objective(const double *w, double *grad, double *f, void *ctx)
{
    problem *p = ctx;
    if (p->deadline < INFINITY && thread_cpu_seconds() > p->deadline) {
        p->past_deadline = true;
        return -1;
    }
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
                       const grl_dag_options *opt, double cpu_seconds,
                       grl_dag_notears_state *state, char *msg)
{
    problem p = {0};
    grl_dag_gram g = {0};
    double *buf = NULL, *w = NULL, *wnew = NULL, *lo = NULL, *hi = NULL;
#define FREE_ALL free(buf); free(w); free(wnew); free(lo); free(hi); grl_dag_gram_free(&g)
    const int64_t n = data->n, d = data->d;
    GRL_REQUIRE(d <= 2000, "NOTEARS handles at most 2000 variables, got %" PRId64, d);
    const size_t dd = (size_t)d * (size_t)d;
    const bool l2 = opt->loss == GRL_DAG_LOSS_L2;
    /* W, G, the scratch of h, R (logistic: n x d; l2: d x d) */
    const size_t nr = l2 ? dd : grl_size_mul((size_t)n, (size_t)d);
    GRL_ALLOC(buf, double, grl_size_add(grl_size_mul(11, dd) + (size_t)d, nr));
    GRL_CALLOC(w, double, 2 * dd);
    GRL_ALLOC(wnew, double, 2 * dd);
    GRL_CALLOC(lo, double, 2 * dd);
    GRL_ALLOC(hi, double, 2 * dd);
    if (l2) GRL_TRY(grl_dag_gram_build(&g, data, 0.0, msg));
    p = (problem){n, d, data->X, g.G, opt->loss, opt->lambda1, opt->lambda2, 1.0, 0.0,
                  buf, buf + dd, buf + 2 * dd, buf + 11 * dd + d, INFINITY,
                  cpu_seconds < INFINITY ? thread_cpu_seconds() + cpu_seconds : INFINITY,
                  false};
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
            if (p.past_deadline) break;
            if (rc < 0) GRL_FAIL(rc, "NOTEARS: %s", sub);
            for (size_t k = 0; k < dd; k++) p.W[k] = wnew[k] - wnew[dd + k];
            hnew = h_value(&p, p.W, NULL);
            if (!isfinite(hnew))
                GRL_FAIL(GRL_INVALID_ARGUMENT, "NOTEARS: h(W) overflowed (rho %g); "
                         "standardise the data or raise lambda1", p.rho);
            if (hnew > 0.25 * h) p.rho *= 10;
            else break;
        }
        if (p.past_deadline) break;
        memcpy(w, wnew, 2 * dd * sizeof *w);
        h = hnew;
        p.alpha += p.rho * h;
        if (h <= opt->h_tol || p.rho >= opt->rho_max) {
            it++;
            break;
        }
    }
    for (size_t k = 0; k < dd; k++) W[k] = w[k] - w[dd + k];
    if (it == 0) h = h_value(&p, W, NULL); /* stopped in the first step: W = 0 */
    *state = (grl_dag_notears_state){h, p.rho, it, p.past_deadline};
    int status = 0;
    if (p.past_deadline) {
        grl_set_msg(msg, "NOTEARS hit its limit of %g CPU s after %" PRId64 " dual "
                    "steps (h(W) = %.3g, rho %.3g); W is the last dual step's",
                    cpu_seconds, it, h, p.rho);
        status = GRL_NOT_CONVERGED;
    } else if (h > opt->h_tol) {
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
                    const grl_dag_options *opt, double cpu_seconds,
                    grl_dag_notears_state *state, char *msg)
{
    /* The products are small (d x d): OpenBLAS threads on them cost far
     * more than they save (d = 20, n = 100 on 2 shared cores: 253 s
     * threaded vs 9.8 s single-threaded, measured). OpenBLAS runs
     * single-threaded inside an active parallel region, so one thread of a
     * team of two does the work. */
    int status = 0;
#pragma omp parallel num_threads(grl_blas_team(2))
#pragma omp single
    status = notears_run(W, data, opt, cpu_seconds, state, msg);
    return status;
}
