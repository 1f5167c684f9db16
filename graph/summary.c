/* summary.c — what `grl info` reports about a graph. */
#include "graph_internal.h"

static void degree_stats(const double *deg, int64_t n, double *lo,
                         double *mean, double *hi)
{
    double sum = 0, a = n ? deg[0] : 0, b = n ? deg[0] : 0;
    for (int64_t i = 0; i < n; i++) {
        sum += deg[i];
        if (deg[i] < a) a = deg[i];
        if (deg[i] > b) b = deg[i];
    }
    *lo = a;
    *hi = b;
    *mean = n ? sum / (double)n : 0;
}

int grl_graph_summary(grl_graph *G, grl_graph_info *info, char *msg)
{
    grl_msg_clear(msg);
    int64_t *comp = NULL;
#define FREE_ALL free(comp)
    GRL_REQUIRE(G != NULL && info != NULL, "grl_graph_summary: NULL argument");
    memset(info, 0, sizeof(*info));
    int64_t n = G->ids.n;
    info->nodes = n;
    info->arcs = grl_graph_num_arcs(G);
    GRL_TRY(grl_graph_self_loops(G, &info->self_loops, msg));
    info->edges = G->directed ? info->arcs
                              : (info->arcs + info->self_loops) / 2;
    info->self_loops_dropped = G->self_loops_dropped;
    info->duplicates_dropped = G->duplicates_dropped;
    info->directed = G->directed;
    info->weighted = G->weighted;
    const double *deg;
    GRL_TRY(grl_graph_degree(G, GRL_OUT, false, &deg, msg));
    degree_stats(deg, n, &info->out_min, &info->out_mean, &info->out_max);
    GRL_TRY(grl_graph_degree(G, GRL_IN, false, &deg, msg));
    degree_stats(deg, n, &info->in_min, &info->in_mean, &info->in_max);
    GRL_ALLOC(comp, int64_t, n);
    GRL_TRY(grl_graph_components(G, comp, &info->components, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
