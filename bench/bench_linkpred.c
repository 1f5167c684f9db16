/* bench_linkpred.c — link prediction on a generated G(n = 1M, m = 10M)
 * graph: pairs scored per second for 1M random candidate pairs per method,
 * against igraph's Jaccard similarity (igraph_similarity_jaccard_pairs) of
 * the same pairs in the same run; top-k candidates for 10,000 nodes (time
 * and peak memory of the call, measured by resetting the peak RSS first).
 * usage: bench_linkpred [DATA_DIR (unused)] */
#include <igraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grl.h"
#include "benchutil.h"
#include "grl/igraph_bridge.h"
#include "grl/linkpred.h"

#define NODES 1000000
#define EDGES 10000000
#define PAIRS 1000000
#define SOURCES 10000
#define TOPK 10

/* Reset the peak resident set size (Linux: clear_refs "5"); 0 if it worked. */
static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL) return -1;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* A field of /proc/self/status in MiB ("VmHWM:", "VmRSS:"). */
static double status_mib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0)
            kb = atof(line + strlen(field));
    if (f) fclose(f);
    return kb / 1024;
}

int main(int argc, char **argv)
{
    char msg[GRL_MSG_LEN] = "";
    grl_graph *G = NULL;
    double t0 = now();
    check(grl_graph_generate_erdos_renyi(&G, NODES, EDGES, false, 7, msg), "generate", msg);
    printf("G(n=%d, m=%d) undirected, generated in %.1f s; %d threads\n", NODES,
           EDGES, now() - t0, grl_threads_get());

    /* 1M uniformly random candidate pairs u != v */
    int64_t *u = malloc(sizeof(int64_t) * PAIRS), *v = malloc(sizeof(int64_t) * PAIRS);
    double *s = malloc(sizeof(double) * PAIRS);
    grl_rng rng;
    grl_rng_init(&rng, 11, 0);
    for (int64_t k = 0; k < PAIRS; k++) {
        u[k] = (int64_t)grl_rng_below(&rng, NODES);
        do v[k] = (int64_t)grl_rng_below(&rng, NODES); while (v[k] == u[k]);
    }

    /* igraph's Jaccard on the same pairs (conversion not timed) */
    igraph_t ig;
    check(grl_graph_to_igraph(G, &ig, NULL, msg), "to igraph", msg);
    igraph_vector_int_t pairs;
    igraph_vector_t res;
    igraph_vector_int_init(&pairs, 2 * PAIRS);
    igraph_vector_init(&res, 0);
    for (int64_t k = 0; k < PAIRS; k++) {
        VECTOR(pairs)[2 * k] = u[k];
        VECTOR(pairs)[2 * k + 1] = v[k];
    }
    t0 = now();
    if (igraph_similarity_jaccard_pairs(&ig, &res, &pairs, IGRAPH_ALL, false))
        check(-1, "igraph jaccard", "igraph failed");
    double t_igraph = now() - t0;
    printf("igraph_similarity_jaccard_pairs       %8.3f s  %12.0f pairs/s\n",
           t_igraph, PAIRS / t_igraph);

    printf("grl_linkpred_score, %d random pairs:\n", PAIRS);
    double t_jaccard = 0;
    for (int m = 0; m < GRL_LINKPRED_NMETHODS; m++) {
        grl_linkpred_options o;
        grl_linkpred_options_init(&o);
        o.method = (grl_linkpred_method)m;
        t0 = now();
        check(grl_linkpred_score(G, u, v, PAIRS, &o, s, msg), "score", msg);
        double t = now() - t0;
        printf("  %-8s %8.3f s  %12.0f pairs/s\n", grl_linkpred_method_name(o.method),
               t, PAIRS / t);
        if (o.method == GRL_LINKPRED_JACCARD) {
            t_jaccard = t;
            double maxdiff = 0;
            for (int64_t k = 0; k < PAIRS; k++) {
                double d = s[k] - VECTOR(res)[k];
                if (d < 0) d = -d;
                if (d > maxdiff) maxdiff = d;
            }
            printf("           (max |grl - igraph| over the pairs: %.3g)\n", maxdiff);
        }
    }
    printf("  RATIO igraph Jaccard time / grl Jaccard time   %8.2fx\n",
           t_igraph / t_jaccard);
    igraph_vector_int_destroy(&pairs);
    igraph_vector_destroy(&res);
    igraph_destroy(&ig);
    free(s);

    /* top-k candidates for 10,000 sources */
    int64_t *src = malloc(sizeof(int64_t) * SOURCES);
    int64_t *cand = malloc(sizeof(int64_t) * SOURCES * TOPK);
    double *cs = malloc(sizeof(double) * SOURCES * TOPK);
    for (int64_t i = 0; i < SOURCES; i++) src[i] = u[i];
    printf("grl_linkpred_topk, %d sources, k = %d:\n", SOURCES, TOPK);
    const grl_linkpred_method tm[] = {GRL_LINKPRED_CN, GRL_LINKPRED_RA,
                                      GRL_LINKPRED_JACCARD, GRL_LINKPRED_PA};
    for (size_t i = 0; i < sizeof tm / sizeof *tm; i++) {
        grl_linkpred_options o;
        grl_linkpred_options_init(&o);
        o.method = tm[i];
        double base = status_mib("VmRSS:");
        int peak_ok = reset_peak() == 0;
        t0 = now();
        check(grl_linkpred_topk(G, src, SOURCES, TOPK, &o, cand, cs, msg), "topk", msg);
        double t = now() - t0;
        double peak = status_mib("VmHWM:");
        printf("  %-8s %8.3f s  %10.0f sources/s", grl_linkpred_method_name(o.method),
               t, SOURCES / t);
        if (peak_ok)
            printf("  peak RSS %.0f MiB (+%.0f MiB over the %.0f MiB before)\n",
                   peak, peak - base, base);
        else
            printf("  (peak RSS not measurable here)\n");
    }
    free(src); free(cand); free(cs); free(u); free(v);
    grl_graph_free(&G);
    grl_finalize(NULL);
    (void)argc; (void)argv;
    return 0;
}
