/* ppr_powerpush.c — high-precision single-source PPR by PowerPush (Wu, Gan,
 * Wei, Zhang, SIGMOD 2021), in the killed chain, with over-relaxed sweeps.
 * A push of x from node v moves alpha x to the reserve p(v) and
 * (1-alpha) x P(v,w) to each residual r(w) (nothing at a dangling node,
 * whose walks are killed); for any x this keeps the invariant
 * q_u = p + sum_v r(v) q_v, so |q_u - p|_1 <= sum_v |r(v)| = r_sum. With
 * theta = tol / (arcs + nodes), nodes are pushed while some
 * |r(v)| > theta max(outdeg(v), 1); once none is, r_sum <= tol.
 *  1. While few nodes hold residual, a FIFO queue pushes x = r(v) (the
 *     local phase of forward push: cost proportional to what it touches).
 *  2. Once the residual has spread to more than n / 8 nodes, queue order
 *     is random access over the whole graph: sweeps over the nodes in index
 *     order take over, pushing in place (Gauss-Seidel), until r_sum <= tol.
 *     Sweeps push x = omega r(v), omega = 1.35 (successive over-relaxation,
 *     leaving r(v) = -0.35 r(v)): measured on BlogCatalog to tol 1e-10, 56M
 *     arcs read per source against 146M for plain pushes (omega 1.2: 92M,
 *     1.5: 73M). Over-relaxation is not guaranteed to converge on every
 *     graph, so a sweep that does not shrink r_sum by 1% switches to
 *     omega = 1, under which every push lowers r_sum by alpha |r(v)|.
 * Finally p is clipped at 0 (q_u >= 0, so this only reduces the error).
 * Each source runs on one thread in a fixed order: bit-identical results
 * for any thread count. */
#include "walks_internal.h"

#include <math.h>

#define SWEEP_FRACTION 8 /* residual spread (n / 8 nodes) that starts sweeps */
#define OMEGA 1.35

/* Push omega r(v) from v in place on dense arrays. */
static inline void push_dense(const grl_walk_csr *c, const double *wdeg,
                              int64_t v, double alpha, double omega, double *p,
                              double *r)
{
    const GrB_Index lo = c->a.Ap[v], hi = c->a.Ap[v + 1];
    const double x = omega * r[v];
    r[v] -= x;
    p[v] += alpha * x;
    if (hi == lo) return;
    const double share = (1 - alpha) * x / wdeg[v];
    if (c->cum != NULL) {
        for (GrB_Index a = lo; a < hi; a++) r[c->a.Aj[a]] += share * c->a.Ax[a];
    } else {
        for (GrB_Index a = lo; a < hi; a++) r[c->a.Aj[a]] += share;
    }
}

static double abs_sum(const double *r, int64_t n)
{
    double s = 0;
    for (int64_t v = 0; v < n; v++) s += fabs(r[v]);
    return s;
}

void grl_powerpush(const grl_walk_csr *c, const double *wdeg, int64_t u,
                   double alpha, double tol, grl_push_ws *ws)
{
    const int64_t n = c->a.n;
    const double theta = tol / ((double)c->a.Ap[n] + (double)n);
    const int64_t spread = n / SWEEP_FRACTION;
    grl_forward_push_until(c, wdeg, u, alpha, theta, spread, ws);
    if (ws->r.count <= spread) return; /* the queue emptied: r_sum <= tol */
    grl_acc_densify(&ws->r);
    grl_acc_densify(&ws->p);
    double *p = ws->p.val, *r = ws->r.val, omega = OMEGA;
    /* r_sum is summed exactly after each sweep, so rounding in running
     * updates never decides the stop */
    double r_sum = abs_sum(r, n);
    bool pushed = true;
    while (pushed && r_sum > tol) {
        pushed = false;
        for (int64_t v = 0; v < n; v++) {
            const double deg = (double)(c->a.Ap[v + 1] - c->a.Ap[v]);
            if (fabs(r[v]) > theta * (deg > 0 ? deg : 1)) {
                push_dense(c, wdeg, v, alpha, omega, p, r);
                pushed = true;
            }
        }
        const double before = r_sum;
        r_sum = abs_sum(r, n);
        if (r_sum > 0.99 * before) omega = 1;
    }
    for (int64_t v = 0; v < n; v++) p[v] = fmax(p[v], 0);
}

static void powerpush_kernel(const grl_walk_csr *c, const double *wdeg,
                             int64_t u, const void *arg, grl_push_ws *ws)
{
    const grl_ppr_options *o = arg;
    grl_powerpush(c, wdeg, u, o->alpha, o->tol, ws);
    grl_acc_clear(&ws->r);
}

int grl_ppr_powerpush_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                           int64_t k, const grl_ppr_options *o, char *msg)
{
    return grl_ppr_rows_by_source(Q, G, sources, k, powerpush_kernel, o,
                                  "PowerPush", msg);
}
