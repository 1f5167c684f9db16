/* ppr_fora.c — FORA (Wang, Yang, Xiao, Wei, Yang, KDD 2017) and SpeedPPR
 * (Wu, Gan, Wei, Zhang, SIGMOD 2021) single-source PPR: a push phase, then
 * random walks from the residuals, with the walk count of
 * include/grl/walks.h so that every node with q >= delta has relative
 * error <= eps with probability >= 1 - p_f. The guarantee rests on the
 * walk phase alone (r_sum per_res walks, each adding at most 1 / per_res),
 * whatever residuals the push leaves; the two differ in the push:
 *  - FORA: forward push with r_max balancing push cost 1 / r_max against
 *    walk cost m r_max per_res (its Sec. 4);
 *  - SpeedPPR: PowerPush's queue and sweeps with r_max = 1 / per_res (the
 *    paper's choice), leaving r(v) <= outdeg(v) / per_res, so node v starts
 *    at most outdeg(v) + 1 walks: O(m) walk steps at most.
 * Walks from residual node v of source u use RNG stream (seed, u * n + v);
 * each source is done by one thread, so results do not depend on the
 * thread count. */
#include "walks_internal.h"

#include <math.h>

/* *per_res = (2 + 2 eps/3) ln(2 / (delta p_f)) / (eps^2 delta), the walks
 * per unit of residual (delta, p_f 0: 1/n). */
static int walks_per_residual(double *per_res, const grl_ppr_options *o,
                              int64_t n, const char *what, char *msg)
{
#define FREE_ALL ;
    const double delta = o->delta > 0 ? o->delta : 1.0 / (double)n;
    const double pf = o->failure > 0 ? o->failure : 1.0 / (double)n;
    const double eps = o->epsilon;
    GRL_REQUIRE(eps > 0 && delta > 0 && delta <= 1 && pf > 0 && pf < 1,
                "%s needs epsilon > 0, delta in (0, 1] and p_f in (0, 1), got "
                "%g, %g, %g", what, eps, delta, pf);
    /* ln(2 / (delta p_f)) (2 + 2 eps / 3) / (eps^2 delta) */
    *per_res = (2 + 2 * eps / 3) * log(2 / (delta * pf)) / (eps * eps * delta);
    GRL_REQUIRE(*per_res <= (double)GRL_PPR_MAX_WALKS,
                "%s with epsilon %g, delta %g and p_f %g needs %g random "
                "walks per source (at most %g); raise epsilon or delta", what,
                eps, delta, pf, *per_res, (double)GRL_PPR_MAX_WALKS);
    return 0;
#undef FREE_ALL
}

/* From each node v with r(v) > 0, r(v) per_res walks rounded at random,
 * each adding 1 / per_res to p at its end; then r is cleared. */
static void residual_walks(const grl_walk_csr *c, int64_t u, double alpha,
                           double per_res, uint64_t seed, grl_push_ws *ws)
{
    /* x = r(v) per_res walks from v, each adding 1 / per_res at its end:
     * floor(x) of them, and one more with probability x - floor(x) */
    grl_sparse_acc *r = &ws->r;
    const double add = 1 / per_res;
    for (int64_t t = 0; t < r->count; t++) {
        int64_t v = r->list[t];
        double rv = r->val[v];
        if (rv <= 0) continue;
        grl_rng rng;
        grl_rng_init(&rng, seed, (uint64_t)u * (uint64_t)c->a.n + (uint64_t)v);
        /* the residuals sum to at most 1, so x <= GRL_PPR_MAX_WALKS: exact
         * in int64 */
        const double x = rv * per_res;
        int64_t wv = (int64_t)x;
        if (grl_rng_uniform(&rng) < x - (double)wv) wv++;
        for (int64_t j = 0; j < wv; j++) {
            int64_t end = grl_alpha_walk(c, v, alpha, &rng, NULL);
            if (end >= 0) grl_acc_add(&ws->p, end, add);
        }
    }
    grl_acc_clear(r);
}

typedef struct {
    const grl_ppr_options *o;
    double r_max, per_res;
    bool powerpush; /* SpeedPPR */
} push_walk_args;

static void push_walk_kernel(const grl_walk_csr *c, const double *wdeg,
                             int64_t u, const void *arg, grl_push_ws *ws)
{
    const push_walk_args *a = arg;
    if (a->powerpush) grl_powerpush_threshold(c, wdeg, u, a->o->alpha, a->r_max, ws);
    else grl_forward_push(c, wdeg, u, a->o->alpha, a->r_max, ws);
    residual_walks(c, u, a->o->alpha, a->per_res, a->o->seed, ws);
}

static int push_walk_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                          int64_t k, const grl_ppr_options *o, bool powerpush,
                          char *msg)
{
#define FREE_ALL ;
    const int64_t n = grl_graph_num_nodes(G), m = grl_graph_num_arcs(G);
    const char *what = powerpush ? "SpeedPPR" : "FORA";
    push_walk_args a = {o, o->r_max, 0, powerpush};
    GRL_TRY(walks_per_residual(&a.per_res, o, n, what, msg));
    if (!(a.r_max > 0))
        a.r_max = powerpush ? 1 / a.per_res
                            : 1 / sqrt((double)(m > 0 ? m : 1) * a.per_res);
    return grl_ppr_rows_by_source(Q, G, sources, k, push_walk_kernel, &a, what,
                                  msg);
#undef FREE_ALL
}

int grl_ppr_fora_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                      int64_t k, const grl_ppr_options *o, char *msg)
{
    return push_walk_rows(Q, G, sources, k, o, false, msg);
}

int grl_ppr_speedppr_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                          int64_t k, const grl_ppr_options *o, char *msg)
{
    return push_walk_rows(Q, G, sources, k, o, true, msg);
}
