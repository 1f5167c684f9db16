/* lbfgs.c — limited-memory BFGS (Nocedal & Wright, Numerical Optimization,
 * 2nd ed.: Alg. 7.4 two-loop recursion, Alg. 7.5 with H0 = (s'y / y'y) I)
 * and a line search for the strong Wolfe conditions (their Alg. 3.5
 * bracketing and Alg. 3.6 zoom, safeguarded cubic interpolation).
 * Vector operations go through OpenBLAS; every step is sequential, so a
 * run is a pure function of its input. */
#include "grl_internal.h"
#include "grl/optim.h"
#include "optim_internal.h"

#include <cblas.h>
#include <math.h>

void grl_lbfgs_options_init(grl_lbfgs_options *opt)
{
    if (opt == NULL) return;
    opt->m = 10;
    opt->max_iter = 1000;
    opt->gtol = 1e-5;
    opt->ftol = 1e-12;
    opt->max_linesearch = 40;
    opt->c1 = 1e-4;
    opt->c2 = 0.9;
}

/* The minimiser of the cubic through (a0, f0, g0) and (a1, f1, g1), the g's
 * being derivatives (N&W eq. 3.59); NAN when the cubic has no minimiser. */
static double cubic_min(double a0, double f0, double g0, double a1, double f1,
                        double g1)
{
    double d1 = g0 + g1 - 3.0 * (f0 - f1) / (a0 - a1);
    double disc = d1 * d1 - g0 * g1;
    if (!(disc >= 0.0)) return NAN;
    double d2 = copysign(sqrt(disc), a1 - a0);
    double den = g1 - g0 + 2.0 * d2;
    if (den == 0.0) return NAN;
    return a1 - (a1 - a0) * (g1 + d2 - d1) / den;
}

/* The line search's view of the problem. */
typedef struct {
    grl_objective_fn fun;
    void *ctx;
    int n;
    const double *x, *d; /* start and direction                       */
    double f0, dg0;      /* f and its directional derivative at x      */
    double flat;         /* f changes below this are rounding noise    */
    double c1, c2;
    int max_evals;
    int64_t evals;       /* running count of objective calls           */
} search;

/* f and the directional derivative at x + a d, into xt / gt. A non-finite
 * value counts as +infinity (too long a step). */
static int probe(search *s, double a, double *xt, double *gt, double *f,
                 double *dg)
{
    cblas_dcopy(s->n, s->x, 1, xt, 1);
    cblas_daxpy(s->n, a, s->d, 1, xt, 1);
    *f = INFINITY;
    int rc = s->fun(xt, gt, f, s->ctx);
    s->evals++;
    if (rc < 0) return rc;
    *dg = cblas_ddot(s->n, gt, 1, s->d, 1);
    if (!isfinite(*f) || !isfinite(*dg)) {
        *f = INFINITY;
        *dg = NAN;
    }
    return 0;
}

/* The strong Wolfe conditions at step a; near the minimum, where f no
 * longer resolves the decrease, sufficient decrease is relaxed to "f did
 * not rise beyond rounding" (Hager & Zhang's approximate Wolfe idea), so
 * the curvature condition alone decides. */
static bool wolfe(const search *s, double a, double fa, double dga)
{
    if (!(fabs(dga) <= -s->c2 * s->dg0)) return false;
    return fa <= s->f0 + s->c1 * a * s->dg0 || fa <= s->f0 + s->flat;
}

static void swap_ptr(double **a, double **b)
{
    double *t = *a;
    *a = *b;
    *b = t;
}

enum { LS_WOLFE = 0, LS_ARMIJO = 1, LS_FAILED = 2 };

/* Search along d from a0. On LS_WOLFE or LS_ARMIJO the accepted point is in
 * *xt / *gt with value *fa and step *a_out; (*xl, *gl) is scratch. Returns
 * a negative code if the objective failed. */
static int line_search(search *s, double a0, double **xt, double **gt,
                       double **xl, double **gl, double *a_out, double *fa_out,
                       int *outcome)
{
    const double f0 = s->f0, dg0 = s->dg0;
    /* lo: the best step so far satisfying sufficient decrease (0 = x itself,
     * else its point is in xl/gl); hi: the other end of the bracket */
    double a_lo = 0.0, f_lo = f0, dg_lo = dg0;
    double a_hi = 0.0, f_hi = f0, dg_hi = dg0;
    double a = a0, fa, dga;
    bool zoom = false;
    int rc;
    *outcome = LS_FAILED;
    int evals = 0;

    /* bracketing (Alg. 3.5): lo is the previous step */
    for (int i = 0; !zoom; i++) {
        if (evals >= s->max_evals) break;
        if ((rc = probe(s, a, *xt, *gt, &fa, &dga)) < 0) return rc;
        evals++;
        if (wolfe(s, a, fa, dga)) {
            *a_out = a, *fa_out = fa, *outcome = LS_WOLFE;
            return 0;
        } else if (fa > f0 + s->c1 * a * dg0 || (i > 0 && fa >= f_lo)) {
            a_hi = a, f_hi = fa, dg_hi = dga;
            zoom = true;
        } else if (dga >= 0.0) {
            a_hi = a_lo, f_hi = f_lo, dg_hi = dg_lo;
            a_lo = a, f_lo = fa, dg_lo = dga;
            swap_ptr(xt, xl), swap_ptr(gt, gl);
            zoom = true;
        } else {
            double prev = a_lo, f_prev = f_lo, dg_prev = dg_lo;
            a_lo = a, f_lo = fa, dg_lo = dga;
            swap_ptr(xt, xl), swap_ptr(gt, gl);
            double next = cubic_min(prev, f_prev, dg_prev, a, fa, dga);
            if (!isfinite(next) || next > 10.0 * a) next = 4.0 * a;
            else if (next < 2.0 * a) next = 2.0 * a;
            a = next;
            if (!isfinite(a) || a > 1e20) break;
        }
    }

    /* zoom (Alg. 3.6): lo satisfies sufficient decrease and has the lowest
     * f seen; the minimiser lies between lo and hi */
    while (zoom && evals < s->max_evals) {
        double lo = fmin(a_lo, a_hi), hi = fmax(a_lo, a_hi), w = hi - lo;
        if (w <= 1e-16 * hi) break;
        a = isfinite(f_hi) ? cubic_min(a_lo, f_lo, dg_lo, a_hi, f_hi, dg_hi)
                           : NAN;
        if (!(a >= lo + 0.1 * w && a <= hi - 0.1 * w)) a = lo + 0.5 * w;
        if ((rc = probe(s, a, *xt, *gt, &fa, &dga)) < 0) return rc;
        evals++;
        if (wolfe(s, a, fa, dga)) {
            *a_out = a, *fa_out = fa, *outcome = LS_WOLFE;
            return 0;
        }
        if (fa > f0 + s->c1 * a * dg0 || fa >= f_lo) {
            a_hi = a, f_hi = fa, dg_hi = dga;
        } else {
            if (dga * (a_hi - a_lo) >= 0.0)
                a_hi = a_lo, f_hi = f_lo, dg_hi = dg_lo;
            a_lo = a, f_lo = fa, dg_lo = dga;
            swap_ptr(xt, xl), swap_ptr(gt, gl);
        }
    }
    if (a_lo > 0.0) { /* sufficient decrease without the curvature condition */
        swap_ptr(xt, xl), swap_ptr(gt, gl);
        *a_out = a_lo, *fa_out = f_lo, *outcome = LS_ARMIJO;
    }
    return 0;
}

static double inf_norm(int n, const double *v)
{
    return n > 0 ? fabs(v[cblas_idamax(n, v, 1)]) : 0.0;
}

int grl_lbfgs_minimize(grl_objective_fn fun, void *ctx, int64_t n, double *x,
                       const grl_lbfgs_options *opt, grl_lbfgs_result *result,
                       char *msg)
{
    grl_msg_clear(msg);
    double *work = NULL;
#define FREE_ALL free(work)
    grl_lbfgs_options o;
    if (opt) o = *opt;
    else grl_lbfgs_options_init(&o);
    GRL_REQUIRE(fun != NULL && x != NULL, "grl_lbfgs_minimize: NULL objective or x");
    GRL_REQUIRE(n >= 1 && n <= INT32_MAX, "grl_lbfgs_minimize: %" PRId64
                " variables; expected 1..2^31-1", n);
    GRL_REQUIRE(o.m >= 1, "L-BFGS history m must be at least 1, got %d", o.m);
    GRL_REQUIRE(o.max_iter >= 1, "L-BFGS max_iter must be at least 1, got %"
                PRId64, o.max_iter);
    GRL_REQUIRE(o.gtol >= 0 && o.ftol >= 0, "L-BFGS tolerances must be >= 0 "
                "(gtol %g, ftol %g)", o.gtol, o.ftol);
    GRL_REQUIRE(o.max_linesearch >= 1, "L-BFGS max_linesearch must be at "
                "least 1, got %d", o.max_linesearch);
    GRL_REQUIRE(o.c1 > 0 && o.c1 < o.c2 && o.c2 < 1, "Wolfe constants need 0 "
                "< c1 < c2 < 1, got c1 %g, c2 %g", o.c1, o.c2);
    const int nn = (int)n, m = o.m;
    size_t vec = (size_t)n;
    GRL_ALLOC(work, double, grl_size_add(grl_size_mul(2 * (size_t)m + 6, vec), 2 * (size_t)m));
    double *S = work, *Y = S + (size_t)m * vec;
    double *g = Y + (size_t)m * vec, *d = g + vec;
    double *xt = d + vec, *gt = xt + vec, *xl = gt + vec, *gl = xl + vec;
    double *rho = gl + vec, *alpha = rho + m;

    grl_lbfgs_result r = {0, 0, NAN, NAN, GRL_LBFGS_MAX_ITER};
    double f = INFINITY;
    int rc = fun(x, g, &f, ctx);
    r.evaluations = 1;
    if (rc < 0) {
        FREE_ALL;
        return rc;
    }
    r.gnorm = inf_norm(nn, g);
    bool finite = isfinite(f);
    for (int i = 0; i < nn && finite; i++) finite = isfinite(g[i]);
    if (!finite)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "L-BFGS: the objective or its gradient "
                 "is not finite at the starting point (f = %g)", f);
    int count = 0, newest = -1; /* stored pairs; ring index of the newest */
    double gamma = 1.0;
    bool converged = r.gnorm <= o.gtol;
    if (converged) r.stop = GRL_LBFGS_GTOL;
    while (!converged && r.iterations < o.max_iter) {
        /* d = -H g by the two-loop recursion (Alg. 7.4) */
        cblas_dcopy(nn, g, 1, d, 1);
        cblas_dscal(nn, -1.0, d, 1);
        for (int k = 0, j = newest; k < count; k++, j = (j + m - 1) % m) {
            alpha[j] = rho[j] * cblas_ddot(nn, S + j * vec, 1, d, 1);
            cblas_daxpy(nn, -alpha[j], Y + j * vec, 1, d, 1);
        }
        if (count > 0) cblas_dscal(nn, gamma, d, 1);
        for (int k = 0, j = (newest - count + 1 + m) % m; k < count;
             k++, j = (j + 1) % m) {
            double beta = rho[j] * cblas_ddot(nn, Y + j * vec, 1, d, 1);
            cblas_daxpy(nn, alpha[j] - beta, S + j * vec, 1, d, 1);
        }
        double dg = cblas_ddot(nn, g, 1, d, 1);
        if (!(dg < 0.0) && count > 0) { /* not a descent direction: restart */
            count = 0;
            continue;
        }
        if (!(dg < 0.0)) { /* -g is not a descent direction: g is ~0 */
            r.stop = GRL_LBFGS_LINESEARCH;
            break;
        }
        double a0 = 1.0;
        if (count == 0) {
            double dn = cblas_dnrm2(nn, d, 1);
            if (dn > 1.0) a0 = 1.0 / dn;
        }
        search s = {fun, ctx, nn, x, d, f, dg, 1e-10 * fabs(f), o.c1, o.c2,
                    o.max_linesearch, 0};
        double a = 0.0, fnew = f;
        int outcome;
        rc = line_search(&s, a0, &xt, &gt, &xl, &gl, &a, &fnew, &outcome);
        r.evaluations += s.evals;
        if (rc < 0) {
            FREE_ALL;
            return rc;
        }
        if (outcome == LS_FAILED) {
            if (count > 0) { /* retry along -g with a fresh history */
                count = 0;
                continue;
            }
            r.stop = GRL_LBFGS_LINESEARCH;
            break;
        }
        /* s = x_new - x, y = g_new - g (in the line search's scratch, xl and
         * gl); kept, replacing the oldest pair, only if s'y > 0 */
        cblas_dcopy(nn, xt, 1, xl, 1);
        cblas_daxpy(nn, -1.0, x, 1, xl, 1);
        cblas_dcopy(nn, gt, 1, gl, 1);
        cblas_daxpy(nn, -1.0, g, 1, gl, 1);
        double sy = cblas_ddot(nn, xl, 1, gl, 1);
        double yy = cblas_ddot(nn, gl, 1, gl, 1);
        if (sy > 1e-10 * yy && yy > 0.0) {
            int slot = (newest + 1) % m;
            cblas_dcopy(nn, xl, 1, S + slot * vec, 1);
            cblas_dcopy(nn, gl, 1, Y + slot * vec, 1);
            rho[slot] = 1.0 / sy;
            gamma = sy / yy;
            newest = slot;
            if (count < m) count++;
        }
        cblas_dcopy(nn, xt, 1, x, 1);
        cblas_dcopy(nn, gt, 1, g, 1);
        double fprev = f;
        f = fnew;
        r.iterations++;
        r.gnorm = inf_norm(nn, g);
        converged = grl_lbfgs_stop_test(o.gtol, o.ftol, r.gnorm, fprev, f, &r.stop);
    }
    r.f = f;
    if (result) *result = r;
    FREE_ALL;
    if (converged) return 0;
    grl_lbfgs_stop_message(msg, "L-BFGS", "gradient norm", &r, o.gtol);
    return GRL_NOT_CONVERGED;
#undef FREE_ALL
}
