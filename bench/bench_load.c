/* bench_load.c — text loading speed: grl's parallel edge-list loader against
 * igraph_read_graph_edgelist on the same generated file (1M nodes, 10M
 * random edges, 0-based ids, written once, warm in the page cache), and the
 * reload of the same graph from grl's binary .grl file.
 * usage: bench_load [DATA_DIR (unused)] [edges] [dir]
 *        (defaults: 10000000 edges, files in /tmp) */
#include <igraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "grl.h"
#include "benchutil.h"

/* Best of `reps` grl loads of path; returns seconds. */
static double time_grl_load(const char *path, int reps, int64_t *arcs)
{
    char msg[GRL_MSG_LEN];
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        grl_graph *G = NULL;
        double t0 = now();
        check(grl_graph_load(&G, path, NULL, msg), path, msg);
        double t = now() - t0;
        if (t < best) best = t;
        *arcs = grl_graph_num_arcs(G);
        grl_graph_free(&G);
    }
    return best;
}

int main(int argc, char **argv)
{
    long long m = argc > 2 ? atoll(argv[2]) : 10000000;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    long long n = m / 10;
    char text[512], binary[512], msg[GRL_MSG_LEN];
    snprintf(text, sizeof text, "%s/grl_bench_%lld.txt", dir, m);
    snprintf(binary, sizeof binary, "%s/grl_bench_%lld.grl", dir, m);

    double t0 = now();
    FILE *f = fopen(text, "w");
    if (f == NULL) check(-1, text, "cannot write");
    grl_rng rng;
    grl_rng_init(&rng, 2024, 0);
    for (long long k = 0; k < m; k++)
        fprintf(f, "%llu %llu\n", (unsigned long long)grl_rng_below(&rng, n),
                (unsigned long long)grl_rng_below(&rng, n));
    fclose(f);
    printf("generated %s: %lld nodes, %lld edges in %.1f s\n", text, n, m,
           now() - t0);

    /* warm the page cache so both readers see the same conditions */
    int64_t arcs;
    time_grl_load(text, 1, &arcs);

    t0 = now();
    f = fopen(text, "r");
    igraph_t ig;
    if (igraph_read_graph_edgelist(&ig, f, 0, IGRAPH_UNDIRECTED))
        check(-1, text, "igraph failed");
    double t_igraph = now() - t0;
    fclose(f);
    long long ig_edges = (long long)igraph_ecount(&ig);
    igraph_destroy(&ig);

    double t_grl = time_grl_load(text, 3, &arcs);
    grl_threads_set(1, msg);
    double t_grl1 = time_grl_load(text, 1, &arcs);
    grl_threads_set(2, msg);

    grl_graph *G = NULL;
    check(grl_graph_load(&G, text, NULL, msg), text, msg);
    t0 = now();
    check(grl_graph_save(G, binary, GRL_FORMAT_GRL, msg), binary, msg);
    double t_save = now() - t0;
    grl_graph_free(&G);
    int64_t arcs_bin;
    double t_reload = time_grl_load(binary, 3, &arcs_bin);
    if (arcs_bin != arcs) check(-1, binary, "reloaded graph differs");

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("igraph_read_graph_edgelist      %6.2f s  (%lld edges, multigraph)\n",
           t_igraph, ig_edges);
    printf("grl load, 2 threads (best of 3) %6.2f s  (%lld arcs after merging)\n",
           t_grl, (long long)arcs);
    printf("grl load, 1 thread              %6.2f s\n", t_grl1);
    printf("grl save .grl                   %6.2f s\n", t_save);
    printf("grl reload .grl (best of 3)     %6.3f s\n", t_reload);
    printf("RATIO loader speed-up over igraph      %5.1fx  (target >= 3x)\n",
           t_igraph / t_grl);
    printf("RATIO .grl reload speed-up over text   %5.1fx  (target >= 10x)\n",
           t_grl / t_reload);
    printf("peak RSS                        %6.0f MiB\n", ru.ru_maxrss / 1024.0);
    remove(text);
    remove(binary);
    grl_finalize(NULL);
    return 0;
}
