/* ppr_mc.c — Monte Carlo fingerprints (Fogaras, Racz, Csalogany, Sarlos,
 * Internet Math. 2005; PowerWalk's MCFP estimator): R walks from v, each
 * ending with probability alpha at every step, every visit counted. Since
 * E[visits to x] = sum_t (1-alpha)^t P^t(v, x), alpha * visits / R is an
 * unbiased estimate of the killed vector q_v (lower variance than counting
 * end points only). Used by the index builder and by `mc` without index. */
#include "walks_internal.h"

void grl_fingerprint_walks(const grl_walk_csr *c, int64_t v, int64_t R,
                           double alpha, uint64_t seed, grl_sparse_acc *acc)
{
    for (int64_t j = 0; j < R; j++) {
        grl_rng rng;
        grl_rng_init(&rng, seed, (uint64_t)v * (uint64_t)R + (uint64_t)j);
        grl_alpha_walk(c, v, alpha, &rng, acc);
    }
    const double scale = alpha / (double)R; /* counts are exact integers */
    for (int64_t t = 0; t < acc->count; t++) acc->val[acc->list[t]] *= scale;
}

static void mc_kernel(const grl_walk_csr *c, const double *wdeg, int64_t u,
                      const void *arg, grl_push_ws *ws)
{
    const grl_ppr_options *o = arg;
    grl_fingerprint_walks(c, u, o->mc_walks, o->alpha, o->seed, &ws->p);
}

int grl_ppr_mc_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                    int64_t k, const grl_ppr_options *o, char *msg)
{
    GrB_Index *rows = NULL;
    GrB_Matrix M = NULL;
#define FREE_ALL free(rows); GrB_Matrix_free(&M)
    *Q = NULL;
    if (o->index == NULL) {
        GRL_REQUIRE(o->mc_walks >= 1 && o->mc_walks <= GRL_PPR_MAX_WALKS, "Monte Carlo "
                    "needs 1 to 1e12 walks per source (more would run for hours), "
                    "got %" PRId64, o->mc_walks);
        /* walk j of u has stream u * R + j: all distinct */
        GRL_REQUIRE_MUL_I64(grl_graph_num_nodes(G), o->mc_walks,
                            "Monte Carlo walks per source x nodes");
        return grl_ppr_rows_by_source(Q, G, sources, k, mc_kernel, o,
                                      "Monte Carlo PPR", msg);
    }
    /* with an index: the sources' rows of the fingerprint matrix */
    GRL_TRY(grl_ppr_index_check(o->index, G, o->alpha, msg));
    const int64_t n = grl_graph_num_nodes(G);
    GRL_ALLOC(rows, GrB_Index, k);
    for (int64_t s = 0; s < k; s++) rows[s] = (GrB_Index)sources[s];
    GRB_TRY(GrB_Matrix_new(&M, GrB_FP64, k, n));
    GRB_TRY(GrB_Matrix_extract(M, NULL, NULL, grl_ppr_index_matrix(o->index),
                               rows, k, GrB_ALL, n, NULL));
    *Q = M;
    M = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
