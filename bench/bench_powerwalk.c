/* bench_powerwalk.c — PowerWalk's accuracy for time on the shared real
 * graphs: precision@100 against exact PPR and median top-100 latency on 1
 * thread, for 3 fixed rounds (the old default) and for the residual rule
 * with E = 0.5, 0.25 (default) and 0.1, beside the exact method's latency;
 * the same 100 sources for every contender (quick: 20), spread over the
 * out-degree distribution; an R = 100 index (seed 1) per graph.
 * usage: bench_powerwalk [DATA_DIR] */
#include <stdio.h>
#include <stdlib.h>

#include "grl.h"
#include "benchutil.h"
#include "pprbench.h"
#include "grl/walks.h"

static const double *degree_of;
static int by_degree(const void *a, const void *b)
{
    int64_t i = *(const int64_t *)a, j = *(const int64_t *)b;
    int c = cmp_double(&degree_of[i], &degree_of[j]);
    return c ? c : (i > j) - (i < j);
}

/* k sources at evenly spaced ranks of the nodes with out-arcs sorted by
 * out-degree (then index). */
static int64_t *degree_spread(grl_graph *G, int64_t k)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t n = grl_graph_num_nodes(G), m = 0;
    check(grl_graph_degree(G, GRL_OUT, false, &degree_of, msg), "degree", msg);
    int64_t *nodes = malloc(sizeof(int64_t) * n), *src = malloc(sizeof(int64_t) * k);
    for (int64_t i = 0; i < n; i++)
        if (degree_of[i] > 0) nodes[m++] = i;
    qsort(nodes, m, sizeof(int64_t), by_degree);
    for (int64_t i = 0; i < k; i++) src[i] = nodes[(2 * i + 1) * m / (2 * k)];
    free(nodes);
    return src;
}

static void sweep(const char *data, const char *name, const char *file,
                  int directed, int q)
{
    char path[1024], msg[GRL_MSG_LEN] = "";
    snprintf(path, sizeof path, "%s/%s", data, file);
    grl_load_options lo;
    grl_load_options_init(&lo);
    lo.directed = directed;
    grl_graph *G = NULL;
    check(grl_graph_load(&G, path, &lo, msg), path, msg);
    int64_t *src = degree_spread(G, q);
    double *X = exact_rows(G, src, q);
    grl_ppr_index *I = NULL;
    grl_ppr_index_options io;
    grl_ppr_index_options_init(&io);
    io.walks = 100;
    io.seed = 1;
    check(grl_ppr_index_build(&I, G, &io, msg), "index", msg);

    /* 3 fixed rounds, then the residual rule with E = 0.5, 0.25, 0.1 */
    const double residual[4] = {0, 0.5, 0.25, 0.1};
    double prec[4], med[4], p99, exact_med, unused;
    for (int s = 0; s < 4; s++) {
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.method = GRL_PPR_POWERWALK;
        o.index = I;
        o.residual = residual[s];
        if (s == 0) o.rounds = 3;
        ppr_latency(G, &o, src, q, 100, X, &med[s], &p99, &prec[s]);
    }
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    ppr_latency(G, &o, src, q, 100, NULL, &exact_med, &p99, &unused);
    printf("| %s%s | %.3f | %.3f | **%.3f** | %.3f | %.2f | %.2f | %.2f |\n", name,
           directed ? " (directed)" : "", prec[0], prec[1], prec[2], prec[3],
           med[0] * 1e3, med[2] * 1e3, exact_med * 1e3);
    grl_ppr_index_free(&I);
    free(X);
    free(src);
    grl_graph_free(&G);
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    const int q = bench_quick() ? 20 : 100;
    set_threads(1);
    printf("### PowerWalk accuracy for time (bench_powerwalk)\n\n");
    printf("Precision@100 against exact PPR (alpha 0.15, tol 1e-10) and median "
           "ms per top-100 query, 1 thread, over the same %d sources for every "
           "column (spread over the out-degree distribution); R = 100 index, "
           "seed 1. T=3: 3 fixed rounds (the old default); E: the residual "
           "rule (`--residual E`, at most 50 rounds).\n\n", q);
    printf("| graph | P@100 T=3 | E=0.5 | **E=0.25 (default)** | E=0.1 | ms T=3 "
           "| ms E=0.25 | ms exact |\n|---|---|---|---|---|---|---|---|\n");
    sweep(data, "CA-GrQc", "ca-grqc/CA-GrQc.txt", 0, q);
    sweep(data, "Cora", "cora_planetoid/edges.txt", 0, q);
    sweep(data, "email-Eu-core", "email-eu-core/email-Eu-core.txt", 1, q);
    sweep(data, "p2p-Gnutella08", "p2p-gnutella08/p2p-Gnutella08.edgelist", 1, q);
    sweep(data, "Cora-ML", "cora_ml/edges.txt", 1, q);
    sweep(data, "BlogCatalog", "blogcatalog/edges.txt", 0, q);
    grl_finalize(NULL);
    return 0;
}
