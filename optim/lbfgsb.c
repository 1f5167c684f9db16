/* lbfgsb.c — L-BFGS-B (Byrd, Lu, Nocedal, Zhu 1995): bound-constrained
 * limited-memory BFGS with the compact representation
 *     B = theta I - W M W',  W = [Y, theta S],
 *     M = [[-D, L'], [L, theta S'S]]^-1
 * (D = diag(s_i'y_i), L the strictly lower part of S'Y), the generalized
 * Cauchy point along the projected gradient path (their Algorithm CP), the
 * direct primal subspace minimisation over the free variables (their
 * section 5.1) truncated at the bounds, and a weak Wolfe line search along
 * the result. M is formed explicitly from an LU factorisation of its
 * 2k x 2k inverse (LAPACK dgetrf / dgetri), and the sums over the n
 * variables are BLAS calls over the stored vectors, not per-variable calls
 * on rows of W (NOTEARS d = 20 ER4, n = 1000: 25 to 11.5 CPU s, measured).
 * Sequential: a run is a pure function of its input. */
#include "grl_internal.h"
#include "grl/optim.h"
#include "optim_internal.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>

/* The limited memory: k pairs, oldest first, their products, and the
 * 2k x 2k middle matrix M. */
typedef struct {
    int64_t n;
    int m, k;
    double **S, **Y;   /* m pointers each into the storage               */
    double *SY, *SS;   /* m x m: s_i'y_j (i >= j), s_i's_j, kept as pairs
                          come and go (recomputing all k^2 dot products
                          each iteration was 35% of NOTEARS at d = 50)  */
    double theta;
    double *K;         /* 2m x 2m: M (row stride 2k), symmetric           */
    lapack_int *piv;
    double *Z;         /* n x 2m scratch: the rows of W of free variables */
} memory;

/* The products of the newest pair (k - 1) with itself and the older ones. */
static void add_products(memory *mem)
{
    const int k = mem->k - 1, m = mem->m, n = (int)mem->n;
    for (int j = 0; j <= k; j++) {
        mem->SY[k * m + j] = cblas_ddot(n, mem->S[k], 1, mem->Y[j], 1);
        mem->SS[k * m + j] = mem->SS[j * m + k] = cblas_ddot(n, mem->S[k], 1, mem->S[j], 1);
    }
}

/* Drop the products of the oldest pair (0) before it is rotated out. */
static void drop_oldest_products(memory *mem)
{
    const int k = mem->k, m = mem->m;
    for (int i = 0; i + 1 < k; i++)
        for (int j = 0; j + 1 < k; j++) {
            mem->SY[i * m + j] = mem->SY[(i + 1) * m + j + 1];
            mem->SS[i * m + j] = mem->SS[(i + 1) * m + j + 1];
        }
}

/* w_i, the i-th row of W = [Y, theta S] (2k values). */
static void w_row(const memory *mem, int64_t i, double *w)
{
    for (int j = 0; j < mem->k; j++) {
        w[j] = mem->Y[j][i];
        w[mem->k + j] = mem->theta * mem->S[j][i];
    }
}

/* out = M v (2k values). */
static void apply_M(const memory *mem, const double *v, double *out)
{
    const int k2 = 2 * mem->k;
    if (k2 == 0) return;
    cblas_dsymv(CblasRowMajor, CblasLower, k2, 1.0, mem->K, k2, v, 1, 0.0, out, 1);
}

/* Form M^-1 and invert it into K = M; false if it is singular. */
static bool factor_K(memory *mem)
{
    const int k = mem->k, k2 = 2 * k;
    if (k == 0) return true;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) {
            double sy = i >= j ? mem->SY[i * mem->m + j] : 0.0;
            double ss = mem->SS[i * mem->m + j];
            mem->K[i * k2 + j] = i == j ? -sy : 0.0;                     /* -D */
            mem->K[(k + i) * k2 + j] = i > j ? sy : 0.0;                 /* L  */
            mem->K[j * k2 + k + i] = i > j ? sy : 0.0;                   /* L' */
            mem->K[(k + i) * k2 + k + j] = mem->theta * ss;
        }
    /* M^-1 is symmetric: row- and column-major are the same matrix */
    if (LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, k2, k2, mem->K, k2, mem->piv) != 0)
        return false;
    return LAPACKE_dgetri_work(LAPACK_COL_MAJOR, k2, mem->K, k2, mem->piv, mem->Z,
                               (lapack_int)mem->n * k2) == 0;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

typedef struct {
    double t;
    int64_t i;
} breakpoint;

static bool earlier(breakpoint a, breakpoint b)
{
    return a.t < b.t || (a.t == b.t && a.i < b.i);
}

/* Restore the min-heap order of h[0..n) below position k. */
static void sift_down(breakpoint *h, int64_t n, int64_t k)
{
    for (;;) {
        int64_t c = 2 * k + 1;
        if (c >= n) return;
        if (c + 1 < n && earlier(h[c + 1], h[c])) c++;
        if (!earlier(h[c], h[k])) return;
        breakpoint t = h[c];
        h[c] = h[k];
        h[k] = t;
        k = c;
    }
}

/* The breakpoints in time order, as the search consumes them: a heap built
 * in O(n) and popped one at a time (the search usually stops after a few,
 * so sorting all of them cost 11% of NOTEARS at d = 20, measured). */
static breakpoint pop_earliest(breakpoint *h, int64_t *n)
{
    breakpoint first = h[0];
    h[0] = h[--*n];
    sift_down(h, *n, 0);
    return first;
}

/* v = W' z (2k values) for z over all n variables: one dot product per
 * stored vector. */
static void wt_times(const memory *mem, const double *z, double *v)
{
    const int n = (int)mem->n, k = mem->k;
    for (int j = 0; j < k; j++) {
        v[j] = cblas_ddot(n, mem->Y[j], 1, z, 1);
        v[k + j] = mem->theta * cblas_ddot(n, mem->S[j], 1, z, 1);
    }
}

/* The generalized Cauchy point xc of the model at x (Algorithm CP), and
 * c = W'(xc - x) (2k). d, bp: scratch (n each); small: 5 x 2k scratch. */
static void cauchy_point(const memory *mem, const double *x, const double *g,
                         const double *l, const double *u, double *xc,
                         double *c, double *d, breakpoint *bp, double *small)
{
    const int64_t n = mem->n;
    const int k2 = 2 * mem->k;
    /* p = W'd, and Mp, Mc = M p, M c kept up to date as p and c change */
    double *p = small, *w = p + k2, *Mw = w + k2, *Mp = Mw + k2, *Mc = Mp + k2;
    int64_t nbp = 0;
    double fp = 0;
    memset(c, 0, sizeof(double) * (size_t)k2);
    memset(Mc, 0, sizeof(double) * (size_t)k2);
    for (int64_t i = 0; i < n; i++) {
        double t = INFINITY;
        if (g[i] < 0 && u[i] < INFINITY) t = (x[i] - u[i]) / g[i];
        else if (g[i] > 0 && l[i] > -INFINITY) t = (x[i] - l[i]) / g[i];
        d[i] = t == 0 ? 0.0 : -g[i];
        xc[i] = x[i];
        if (d[i] == 0) continue;
        fp -= d[i] * d[i];
        if (t < INFINITY) bp[nbp++] = (breakpoint){t, i};
    }
    if (fp >= 0) return; /* projected gradient 0: x is the Cauchy point */
    wt_times(mem, d, p);
    apply_M(mem, p, Mp);
    double fpp = -mem->theta * fp - cblas_ddot(k2, p, 1, Mp, 1);
    const double fpp0 = -mem->theta * fp;
    if (!(fpp > 1e-12 * fpp0)) fpp = 1e-12 * fpp0;
    double dtmin = -fp / fpp, told = 0;
    for (int64_t k = nbp / 2 - 1; k >= 0; k--) sift_down(bp, nbp, k);
    while (nbp > 0) {
        if (dtmin < bp[0].t - told) break;
        breakpoint next = pop_earliest(bp, &nbp);
        int64_t b = next.i;
        double dt = next.t - told;
        /* variable b reaches its bound: fix it, update the slopes */
        xc[b] = d[b] > 0 ? u[b] : l[b];
        double zb = xc[b] - x[b], gb = g[b];
        if (k2) {
            cblas_daxpy(k2, dt, p, 1, c, 1);
            cblas_daxpy(k2, dt, Mp, 1, Mc, 1);
        }
        fp += dt * fpp + gb * gb + mem->theta * gb * zb;
        fpp -= mem->theta * gb * gb;
        if (k2) {
            w_row(mem, b, w);
            apply_M(mem, w, Mw);
            fp -= gb * cblas_ddot(k2, w, 1, Mc, 1);
            fpp -= 2.0 * gb * cblas_ddot(k2, w, 1, Mp, 1);
            fpp -= gb * gb * cblas_ddot(k2, w, 1, Mw, 1);
            cblas_daxpy(k2, gb, w, 1, p, 1);
            cblas_daxpy(k2, gb, Mw, 1, Mp, 1);
        }
        d[b] = 0;
        if (!(fpp > 1e-12 * fpp0)) fpp = 1e-12 * fpp0;
        dtmin = -fp / fpp;
        told = next.t;
    }
    if (dtmin < 0) dtmin = 0;
    told += dtmin;
    for (int64_t i = 0; i < n; i++)
        if (d[i] != 0) xc[i] = clamp(x[i] + told * d[i], l[i], u[i]);
    if (k2) cblas_daxpy(k2, dtmin, p, 1, c, 1);
}

/* Minimise the model over the variables free at xc (l < xc < u), from xc,
 * truncated to stay within the bounds: the result overwrites xc. With Z
 * the rows of W of the free variables (gathered column by column), the
 * reduced gradient is r = g + theta (xc - x) - Z M c and the step
 * -r / theta - Z (I - M Z'Z / theta)^-1 M Z'r / theta^2 (their eq. 5.11).
 * r: n scratch; idx: n scratch; small: 4 x 2k + 2 (2k)^2 scratch. */
static void subspace_min(memory *mem, const double *x, const double *g,
                         const double *l, const double *u, double *xc,
                         const double *c, double *r, int64_t *idx, double *small)
{
    const int64_t n = mem->n;
    const int k = mem->k, k2 = 2 * k;
    const double theta = mem->theta;
    double *Mc = small, *v = Mc + k2, *w = v + k2, *A = w + k2, *N = A + k2 * k2;
    int64_t nfree = 0;
    for (int64_t i = 0; i < n; i++)
        if (xc[i] > l[i] && xc[i] < u[i]) idx[nfree++] = i;
    if (nfree == 0) return;
    const int nf = (int)nfree;
    double *Z = mem->Z; /* nf x 2k, column-major */
    for (int j = 0; j < k; j++) {
        double *zy = Z + (size_t)j * (size_t)nf, *zs = Z + (size_t)(k + j) * (size_t)nf;
        for (int64_t f = 0; f < nfree; f++) {
            zy[f] = mem->Y[j][idx[f]];
            zs[f] = theta * mem->S[j][idx[f]];
        }
    }
    for (int64_t f = 0; f < nfree; f++) {
        int64_t i = idx[f];
        r[f] = g[i] + theta * (xc[i] - x[i]);
    }
    bool corrected = false;
    if (k2) {
        apply_M(mem, c, Mc);
        cblas_dgemv(CblasColMajor, CblasNoTrans, nf, k2, -1.0, Z, nf, Mc, 1, 1.0, r, 1);
        /* v = (I - M A / theta)^-1 M Z'r, A = Z'Z */
        cblas_dgemv(CblasColMajor, CblasTrans, nf, k2, 1.0, Z, nf, r, 1, 0.0, w, 1);
        apply_M(mem, w, v);
        cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, k2, nf, 1.0, Z, nf, 0.0, A, k2);
        for (int i = 0; i < k2; i++)
            for (int j = i + 1; j < k2; j++) A[j * k2 + i] = A[i * k2 + j];
        /* N = I - M A / theta (row-major) */
        cblas_dsymm(CblasRowMajor, CblasLeft, CblasLower, k2, k2, -1.0 / theta, mem->K,
                    k2, A, k2, 0.0, N, k2);
        for (int i = 0; i < k2; i++) N[i * k2 + i] += 1.0;
        corrected = LAPACKE_dgesv_work(LAPACK_ROW_MAJOR, k2, 1, N, k2, mem->piv + k2,
                                       v, 1) == 0;
    }
    /* the step, into r */
    cblas_dscal(nf, -1.0 / theta, r, 1);
    if (corrected)
        cblas_dgemv(CblasColMajor, CblasNoTrans, nf, k2, -1.0 / (theta * theta), Z, nf,
                    v, 1, 1.0, r, 1);
    double alpha = 1.0;
    for (int64_t f = 0; f < nfree; f++) {
        int64_t i = idx[f];
        double di = r[f];
        if (di > 0 && u[i] < INFINITY) alpha = fmin(alpha, (u[i] - xc[i]) / di);
        else if (di < 0 && l[i] > -INFINITY) alpha = fmin(alpha, (l[i] - xc[i]) / di);
    }
    for (int64_t f = 0; f < nfree; f++) {
        int64_t i = idx[f];
        xc[i] = clamp(xc[i] + alpha * r[f], l[i], u[i]);
    }
}

/* A weak Wolfe step along d from x (f, slope dg < 0), at most stpmax (x +
 * a d stays feasible up to it): sufficient decrease f(a) <= f + c1 a dg
 * and curvature g(a)'d >= c2 dg, by bracketing (double the step while the
 * curvature fails, at most to stpmax) and bisection with a quadratic guess
 * while decrease fails (Lewis & Overton's scheme). The accepted point is in
 * xt / gt with value *ft and step *a; when the evaluations run out, the
 * best point with sufficient decrease is accepted (true), if any. gbest:
 * n scratch. *rc: the objective's error, if any. */
static bool weak_wolfe(grl_objective_fn fun, void *ctx, int64_t n,
                       const double *x, const double *d, const double *l,
                       const double *u, double f, double dg, double stpmax,
                       const grl_lbfgs_options *o, double *a_io, double *xt,
                       double *gt, double *gbest, double *ft,
                       int64_t *evaluations, int *rc)
{
    double a = *a_io, lo = 0, hi = INFINITY, best_a = 0, best_f = f;
    *rc = 0;
    for (int ls = 0; ls < o->max_linesearch; ls++) {
        for (int64_t i = 0; i < n; i++) xt[i] = clamp(x[i] + a * d[i], l[i], u[i]);
        double fa = INFINITY;
        *rc = fun(xt, gt, &fa, ctx);
        (*evaluations)++;
        if (*rc < 0) return false;
        double slope = 0;
        for (int64_t i = 0; i < n; i++) slope += gt[i] * d[i];
        if (!isfinite(fa) || !isfinite(slope) || fa > f + o->c1 * a * dg) {
            hi = a; /* too long: shrink, guided by the quadratic model */
            double q = isfinite(fa) ? -dg * a * a / (2.0 * (fa - f - dg * a)) : 0.5 * a;
            a = clamp(q, lo + 0.1 * (hi - lo), lo + 0.5 * (hi - lo));
            continue;
        }
        if (fa < best_f) { /* keep the best sufficient-decrease point */
            best_f = fa;
            best_a = a;
            memcpy(gbest, gt, sizeof(double) * (size_t)n);
        }
        if (slope < o->c2 * dg && a < stpmax) { /* too short: grow */
            lo = a;
            a = isinf(hi) ? fmin(2.0 * a, stpmax) : 0.5 * (lo + hi);
            continue;
        }
        *a_io = a;
        *ft = fa;
        return true;
    }
    if (best_a == 0) return false;
    for (int64_t i = 0; i < n; i++) xt[i] = clamp(x[i] + best_a * d[i], l[i], u[i]);
    memcpy(gt, gbest, sizeof(double) * (size_t)n);
    *a_io = best_a;
    *ft = best_f;
    return true;
}

/* max_i |clamp(x_i - g_i, l_i, u_i) - x_i| */
static double projected_gnorm(int64_t n, const double *x, const double *g,
                              const double *l, const double *u)
{
    double m = 0;
    for (int64_t i = 0; i < n; i++) m = fmax(m, fabs(clamp(x[i] - g[i], l[i], u[i]) - x[i]));
    return m;
}

int grl_lbfgsb_minimize(grl_objective_fn fun, void *ctx, int64_t n, double *x,
                        const double *lower, const double *upper,
                        const grl_lbfgs_options *opt, grl_lbfgs_result *result,
                        char *msg)
{
    double *work = NULL, **ptr = NULL;
    breakpoint *bp = NULL;
    lapack_int *piv = NULL;
    int64_t *idx = NULL;
#define FREE_ALL free(work); free(ptr); free(bp); free(piv); free(idx)
    if (msg) msg[0] = '\0';
    grl_lbfgs_options o;
    if (opt) o = *opt;
    else grl_lbfgs_options_init(&o);
    GRL_REQUIRE(fun != NULL && x != NULL, "grl_lbfgsb_minimize: NULL objective or x");
    GRL_REQUIRE(n >= 1 && n <= INT32_MAX, "grl_lbfgsb_minimize: %" PRId64
                " variables; expected 1..2^31-1", n);
    GRL_REQUIRE(o.m >= 1 && o.m <= 1000, "L-BFGS-B history m must be 1..1000, "
                "got %d", o.m);
    GRL_REQUIRE(o.max_iter >= 1, "L-BFGS-B max_iter must be at least 1, got %"
                PRId64, o.max_iter);
    GRL_REQUIRE(o.gtol >= 0 && o.ftol >= 0, "L-BFGS-B tolerances must be >= 0 "
                "(gtol %g, ftol %g)", o.gtol, o.ftol);
    GRL_REQUIRE(o.max_linesearch >= 1, "L-BFGS-B max_linesearch must be at "
                "least 1, got %d", o.max_linesearch);
    GRL_REQUIRE(o.c1 > 0 && o.c1 < o.c2 && o.c2 < 1, "L-BFGS-B needs 0 < c1 < c2 < 1, "
                "got c1 %g, c2 %g", o.c1, o.c2);
    const int m = o.m;
    const size_t vec = (size_t)n, k2max = 2 * (size_t)m;
    /* l, u, g, xc, d, r, xt, gt, S (m), Y (m), Z (2m), the small matrices */
    GRL_ALLOC(work, double, grl_size_add(grl_size_mul(8 + 4 * (size_t)m, vec),
                                         6 * k2max + 3 * k2max * k2max +
                                             2 * (size_t)m * (size_t)m));
    GRL_ALLOC(ptr, double *, 2 * (size_t)m);
    GRL_ALLOC(bp, breakpoint, vec);
    GRL_ALLOC(piv, lapack_int, 2 * k2max);
    GRL_ALLOC(idx, int64_t, vec);
    double *l = work, *u = l + vec, *g = u + vec, *xc = g + vec, *d = xc + vec;
    double *r = d + vec, *xt = r + vec, *gt = xt + vec, *store = gt + vec;
    double *Z = store + 2 * (size_t)m * vec, *small = Z + 2 * (size_t)m * vec, *K = small + 6 * k2max + 2 * k2max * k2max;
    for (int64_t i = 0; i < n; i++) {
        l[i] = lower ? lower[i] : -INFINITY;
        u[i] = upper ? upper[i] : INFINITY;
        if (isnan(l[i]) || isnan(u[i]) || l[i] > u[i] || l[i] == INFINITY ||
            u[i] == -INFINITY)
            GRL_FAIL(GRL_INVALID_ARGUMENT, "L-BFGS-B: bounds of variable %" PRId64
                     " are [%g, %g]; need lower <= upper, not NaN", i, l[i], u[i]);
        x[i] = clamp(x[i], l[i], u[i]);
    }
    double *SY = K + k2max * k2max, *SS = SY + (size_t)m * (size_t)m;
    memory mem = {n, m, 0, ptr, ptr + m, SY, SS, 1.0, K, piv, Z};
    for (int j = 0; j < m; j++) {
        mem.S[j] = store + (size_t)j * vec;
        mem.Y[j] = store + (size_t)(m + j) * vec;
    }
    grl_lbfgs_result res = {0, 0, NAN, NAN, GRL_LBFGS_MAX_ITER};
    double f = INFINITY;
    int rc = fun(x, g, &f, ctx);
    res.evaluations = 1;
    if (rc < 0) {
        FREE_ALL;
        return rc;
    }
    bool finite = isfinite(f);
    for (int64_t i = 0; i < n && finite; i++) finite = isfinite(g[i]);
    if (!finite)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "L-BFGS-B: the objective or its gradient "
                 "is not finite at the starting point (f = %g)", f);
    res.gnorm = projected_gnorm(n, x, g, l, u);
    bool converged = res.gnorm <= o.gtol;
    if (converged) res.stop = GRL_LBFGS_GTOL;
    while (!converged && res.iterations < o.max_iter) {
        if (!factor_K(&mem)) mem.k = 0; /* a singular middle matrix: forget */
        cauchy_point(&mem, x, g, l, u, xc, small, d, bp, small + k2max);
        subspace_min(&mem, x, g, l, u, xc, small, r, idx, small + k2max);
        /* the search direction d = xbar - x, its slope, the longest step */
        double dg = 0, dnorm = 0, stpmax = INFINITY;
        for (int64_t i = 0; i < n; i++) {
            d[i] = xc[i] - x[i];
            dg += g[i] * d[i];
            dnorm += d[i] * d[i];
            if (d[i] > 0 && u[i] < INFINITY) stpmax = fmin(stpmax, (u[i] - x[i]) / d[i]);
            else if (d[i] < 0 && l[i] > -INFINITY) stpmax = fmin(stpmax, (l[i] - x[i]) / d[i]);
        }
        if (!(dg < 0)) {
            if (mem.k > 0) { /* the model misleads: drop the history */
                mem.k = 0;
                mem.theta = 1.0;
                continue;
            }
            res.stop = GRL_LBFGS_LINESEARCH;
            break;
        }
        double a = 1.0;
        if (res.iterations == 0 || mem.k == 0) a = fmin(1.0 / sqrt(dnorm), stpmax);
        double ft = INFINITY;
        bool accepted = weak_wolfe(fun, ctx, n, x, d, l, u, f, dg, stpmax, &o,
                                   &a, xt, gt, r, &ft, &res.evaluations, &rc);
        if (rc < 0) {
            FREE_ALL;
            return rc;
        }
        if (!accepted) {
            if (mem.k > 0) {
                mem.k = 0;
                mem.theta = 1.0;
                continue;
            }
            res.stop = GRL_LBFGS_LINESEARCH;
            break;
        }
        /* the new pair s = xt - x, y = gt - g, stored if s'y > 1e-10 y'y */
        double sy = 0, yy = 0;
        for (int64_t i = 0; i < n; i++) {
            double s = xt[i] - x[i], y = gt[i] - g[i];
            sy += s * y;
            yy += y * y;
        }
        if (sy > 1e-10 * yy && yy > 0) {
            if (mem.k == m) { /* rotate out the oldest */
                drop_oldest_products(&mem);
                double *s0 = mem.S[0], *y0 = mem.Y[0];
                memmove(mem.S, mem.S + 1, sizeof(double *) * (size_t)(m - 1));
                memmove(mem.Y, mem.Y + 1, sizeof(double *) * (size_t)(m - 1));
                mem.S[m - 1] = s0;
                mem.Y[m - 1] = y0;
                mem.k--;
            }
            for (int64_t i = 0; i < n; i++) {
                mem.S[mem.k][i] = xt[i] - x[i];
                mem.Y[mem.k][i] = gt[i] - g[i];
            }
            mem.k++;
            add_products(&mem);
            mem.theta = yy / sy;
        }
        memcpy(x, xt, sizeof(double) * vec);
        memcpy(g, gt, sizeof(double) * vec);
        double fprev = f;
        f = ft;
        res.iterations++;
        res.gnorm = projected_gnorm(n, x, g, l, u);
        converged = grl_lbfgs_stop_test(o.gtol, o.ftol, res.gnorm, fprev, f, &res.stop);
    }
    res.f = f;
    if (result) *result = res;
    FREE_ALL;
    if (converged) return 0;
    grl_lbfgs_stop_message(msg, "L-BFGS-B", "projected gradient", &res, o.gtol);
    return GRL_NOT_CONVERGED;
#undef FREE_ALL
}
