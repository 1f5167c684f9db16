/* ppr_speedppr.c — SpeedPPR (Wu, Gan, Wei, Zhang, SIGMOD 2021): PowerPush
 * down to a residual threshold, then FORA's random walks from the
 * residuals (walks/ppr_fora.c), with FORA's (eps, delta, p_f) guarantee:
 * the guarantee rests on the walk phase alone (r_sum per_res walks, each
 * adding at most 1 / per_res), whatever the push phase left. The threshold
 * r_max = 1 / per_res (the paper's choice) leaves r(v) <= outdeg(v) /
 * per_res, so node v starts at most outdeg(v) + 1 walks: the walks cost
 * O(m) steps at most, and the push phase runs its cheap sequential sweeps
 * where FORA's queue would stop early and leave the rest to walks. */
#include "walks_internal.h"

typedef struct {
    const grl_ppr_options *o;
    double r_max, per_res;
} speedppr_args;

static void speedppr_kernel(const grl_walk_csr *c, const double *wdeg,
                            int64_t u, const void *arg, grl_push_ws *ws)
{
    const speedppr_args *s = arg;
    grl_powerpush_threshold(c, wdeg, u, s->o->alpha, s->r_max, ws);
    grl_residual_walks(c, u, s->o->alpha, s->per_res, s->o->seed, ws);
}

int grl_ppr_speedppr_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                          int64_t k, const grl_ppr_options *o, char *msg)
{
#define FREE_ALL ;
    speedppr_args s = {o, o->r_max, 0};
    GRL_TRY(grl_fora_walks_per_residual(&s.per_res, o, grl_graph_num_nodes(G),
                                        "SpeedPPR", msg));
    if (!(s.r_max > 0)) s.r_max = 1 / s.per_res;
    return grl_ppr_rows_by_source(Q, G, sources, k, speedppr_kernel, &s,
                                  "SpeedPPR", msg);
#undef FREE_ALL
}
