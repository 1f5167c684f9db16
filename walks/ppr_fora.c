/* ppr_fora.c — FORA single-source PPR (Wang, Yang, Xiao, Wei, Yang, KDD
 * 2017): forward push, then random walks from the residuals, with the walk
 * count W of include/grl/walks.h so that every node with q >= delta has
 * relative error <= eps with probability >= 1 - p_f. Walks from residual
 * node v of source u use RNG stream (seed, u * n + v); each source is done
 * by one thread, so results do not depend on the thread count. */
#include "walks_internal.h"

#include <math.h>

/* ln(2 / (delta p_f)) (2 + 2 eps / 3) / (eps^2 delta): walks per unit of
 * residual. */
static double walks_per_residual(double eps, double delta, double pf)
{
    return (2 + 2 * eps / 3) * log(2 / (delta * pf)) / (eps * eps * delta);
}

typedef struct {
    const grl_ppr_options *o;
    double r_max, per_res;
} fora_args;

static void fora_kernel(const grl_walk_csr *c, const double *wdeg, int64_t u,
                        const void *arg, grl_push_ws *ws)
{
    const fora_args *f = arg;
    const grl_ppr_options *o = f->o;
    grl_forward_push(c, wdeg, u, o->alpha, f->r_max, ws);
    /* random-walk phase: endpoint estimator, a walk from v adds r(v)/w_v */
    grl_sparse_acc *r = &ws->r;
    for (int64_t t = 0; t < r->count; t++) {
        int64_t v = r->list[t];
        double rv = r->val[v];
        if (rv <= 0) continue;
        /* the residuals sum to at most 1, so at most GRL_PPR_MAX_WALKS
         * (checked below): exact in int64 */
        int64_t wv = (int64_t)ceil(rv * f->per_res);
        double add = rv / (double)wv;
        grl_rng rng;
        grl_rng_init(&rng, o->seed, (uint64_t)u * (uint64_t)c->a.n + (uint64_t)v);
        for (int64_t j = 0; j < wv; j++) {
            int64_t end = grl_alpha_walk(c, v, o->alpha, &rng, NULL);
            if (end >= 0) grl_acc_add(&ws->p, end, add);
        }
    }
    grl_acc_clear(r);
}

int grl_ppr_fora_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                      int64_t k, const grl_ppr_options *o, char *msg)
{
#define FREE_ALL ;
    const int64_t n = grl_graph_num_nodes(G), m = grl_graph_num_arcs(G);
    const double delta = o->delta > 0 ? o->delta : 1.0 / (double)n;
    const double pf = o->failure > 0 ? o->failure : 1.0 / (double)n;
    const double eps = o->epsilon;
    GRL_REQUIRE(eps > 0 && delta > 0 && delta <= 1 && pf > 0 && pf < 1,
                "FORA needs epsilon > 0, delta in (0, 1] and p_f in (0, 1), got "
                "%g, %g, %g", eps, delta, pf);
    fora_args f = {o, o->r_max, walks_per_residual(eps, delta, pf)};
    GRL_REQUIRE(f.per_res <= (double)GRL_PPR_MAX_WALKS,
                "FORA with epsilon %g, delta %g and p_f %g needs %g random "
                "walks per source (at most %g); raise epsilon or delta", eps,
                delta, pf, f.per_res, (double)GRL_PPR_MAX_WALKS);
    if (!(f.r_max > 0)) /* FORA's balance of push and walk cost (its Sec. 4) */
        f.r_max = eps * sqrt(delta / ((2 + 2 * eps / 3) * (double)(m > 0 ? m : 1)
                                      * log(2 / (delta * pf))));
    return grl_ppr_rows_by_source(Q, G, sources, k, fora_kernel, &f, "FORA", msg);
#undef FREE_ALL
}
