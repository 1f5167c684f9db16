/* bench_load.c — loading and connected components against igraph, time and
 * peak memory: a generated edge list (n = m / 10 nodes, m random edges,
 * 0-based ids; 10M edges, quick 1M) written once and warm in the page
 * cache, read by igraph_read_graph_edgelist and by grl's parallel loader;
 * the same graph saved as grl's binary .grl and reloaded; weakly connected
 * components by igraph_connected_components and grl_graph_components; file
 * sizes (text, .grl, GraphBLAS's own serialization of the matrix).
 * usage: bench_load [DATA_DIR (unused)] [edges] [dir]   (files in /tmp) */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grl.h"
#include "benchutil.h"
#include "grl/igraph_bridge.h"

typedef struct {
    double seconds, peak_mib, base_mib; /* peak RSS during, RSS before */
} measure;

/* Best of `reps` grl loads of path at `threads`; the peak RSS of a load. */
static measure grl_load(const char *path, int threads, int reps, int64_t *arcs)
{
    char msg[GRL_MSG_LEN] = "";
    measure m = {1e30, 0, 0};
    set_threads(threads);
    for (int r = 0; r < reps; r++) {
        grl_graph *G = NULL;
        peak_reset();
        m.base_mib = status_mib("VmRSS:");
        double t0 = now();
        check(grl_graph_load(&G, path, NULL, msg), path, msg);
        keep_best(&m.seconds, now() - t0);
        m.peak_mib = peak_mib();
        *arcs = grl_graph_num_arcs(G);
        grl_graph_free(&G);
    }
    return m;
}

/* Best of `reps` igraph reads of path (1 thread). */
static measure igraph_load(const char *path, int reps, int64_t *edges)
{
    measure m = {1e30, 0, 0};
    set_threads(1);
    for (int r = 0; r < reps; r++) {
        igraph_t ig;
        FILE *f = fopen(path, "r");
        if (f == NULL) check(-1, path, "cannot open");
        peak_reset();
        m.base_mib = status_mib("VmRSS:");
        double t0 = now();
        check_igraph(igraph_read_graph_edgelist(&ig, f, 0, IGRAPH_UNDIRECTED),
                     "igraph_read_graph_edgelist");
        keep_best(&m.seconds, now() - t0);
        m.peak_mib = peak_mib();
        fclose(f);
        *edges = (int64_t)igraph_ecount(&ig);
        igraph_destroy(&ig);
    }
    return m;
}

/* Best of `reps` grl_graph_components at `threads`. */
static double grl_wcc(grl_graph *G, int threads, int reps, int64_t *ncomp)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t *comp = malloc(sizeof(int64_t) * grl_graph_num_nodes(G));
    double best = 1e30;
    set_threads(threads);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        check(grl_graph_components(G, comp, ncomp, msg), "components", msg);
        keep_best(&best, now() - t0);
    }
    free(comp);
    return best;
}

/* Best of `reps` igraph_connected_components (weak, 1 thread) on G
 * converted once, untimed. */
static double igraph_wcc(grl_graph *G, int reps, int64_t *ncomp)
{
    char msg[GRL_MSG_LEN] = "";
    igraph_t ig;
    igraph_vector_int_t membership;
    igraph_integer_t no = 0;
    check(grl_graph_to_igraph(G, &ig, NULL, msg), "to igraph", msg);
    check_igraph(igraph_vector_int_init(&membership, 0), "igraph vector");
    double best = 1e30;
    set_threads(1);
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        check_igraph(igraph_connected_components(&ig, &membership, NULL, &no,
                                                 IGRAPH_WEAK),
                     "igraph_connected_components");
        keep_best(&best, now() - t0);
    }
    *ncomp = no;
    igraph_vector_int_destroy(&membership);
    igraph_destroy(&ig);
    return best;
}

static double file_mb(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) check(-1, path, "cannot stat");
    return st.st_size / 1e6;
}

/* Bytes of GraphBLAS's own serialization of G's matrix (GrB_Matrix_serialize,
 * default compression), in MB. */
static double graphblas_serialized_mb(grl_graph *G)
{
    char msg[GRL_MSG_LEN] = "GraphBLAS";
    GrB_Matrix A = grl_graph_matrix(G);
    GrB_Index size;
    check(GrB_Matrix_serializeSize(&size, A), "serializeSize", msg);
    void *blob = malloc(size);
    if (blob == NULL) check(-1, "serialize", "out of memory");
    check(GrB_Matrix_serialize(blob, &size, A), "serialize", msg);
    free(blob);
    return size / 1e6;
}

static void row(const char *what, int threads, measure m, const char *vs,
                double ref)
{
    printf("| %s | %d | %.3f s |", what, threads, m.seconds);
    if (*vs) printf(" %.1fx %s |", ref / m.seconds, vs);
    else printf(" reference |");
    if (m.peak_mib > 0)
        printf(" %.0f MiB (+%.0f) |\n", m.peak_mib, m.peak_mib - m.base_mib);
    else printf(" |\n");
}

int main(int argc, char **argv)
{
    long long m = argc > 2 ? atoll(argv[2]) : bench_quick() ? 1000000 : 10000000;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    long long n = m / 10;
    int reps = bench_reps(), T = bench_threads();
    char text[512], binary[512], msg[GRL_MSG_LEN] = "";
    snprintf(text, sizeof text, "%s/grl_bench_%d_%lld.txt", dir, (int)getpid(), m);
    snprintf(binary, sizeof binary, "%s/grl_bench_%d_%lld.grl", dir, (int)getpid(), m);

    FILE *f = fopen(text, "w");
    if (f == NULL) check(-1, text, "cannot write");
    grl_rng rng;
    grl_rng_init(&rng, 2024, 0);
    for (long long k = 0; k < m; k++)
        fprintf(f, "%llu %llu\n", (unsigned long long)grl_rng_below(&rng, n),
                (unsigned long long)grl_rng_below(&rng, n));
    if (fclose(f) != 0) check(-1, text, "cannot write");

    int64_t arcs = 0, arcs_bin = 0, ig_edges = 0;
    grl_load(text, T, 1, &arcs); /* warm the page cache for every reader */
    measure ig = igraph_load(text, reps, &ig_edges);
    measure g1 = grl_load(text, 1, reps, &arcs);
    measure gT = grl_load(text, T, reps, &arcs);

    grl_graph *G = NULL;
    check(grl_graph_load(&G, text, NULL, msg), text, msg);
    measure save = {1e30, 0, 0};
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        check(grl_graph_save(G, binary, GRL_FORMAT_GRL, msg), binary, msg);
        keep_best(&save.seconds, now() - t0);
    }
    measure b1 = grl_load(binary, 1, reps, &arcs_bin);
    measure bT = grl_load(binary, T, reps, &arcs_bin);
    if (arcs_bin != arcs) check(-1, binary, "reloaded graph differs");

    int64_t nc_ig, nc_1, nc_T;
    measure cig = {igraph_wcc(G, reps, &nc_ig), 0, 0};
    measure c1 = {grl_wcc(G, 1, reps, &nc_1), 0, 0};
    measure cT = {grl_wcc(G, T, reps, &nc_T), 0, 0};
    if (nc_1 != nc_ig || nc_T != nc_ig)
        check(-1, "components", "grl and igraph count different components");

    printf("### Loading and components (bench_load)\n\n");
    printf("Generated edge list: %lld nodes, %lld random edges (0-based ids, "
           "warm page cache), %lld arcs after merging duplicates; igraph reads "
           "it as a multigraph (%lld edges). Best of %d; peak RSS of the "
           "process during the step (VmHWM).\n\n", n, m, (long long)arcs,
           (long long)ig_edges, reps);
    printf("| step | threads | time | speed-up | peak RSS (+ over before) |\n"
           "|---|---|---|---|---|\n");
    row("`igraph_read_graph_edgelist`", 1, ig, "", ig.seconds);
    row("`grl_graph_load` (text)", 1, g1, "vs igraph", ig.seconds);
    row("`grl_graph_load` (text)", T, gT, "vs igraph", ig.seconds);
    printf("| `grl_graph_save` (.grl) | %d | %.3f s | | |\n", T, save.seconds);
    row("`grl_graph_load` (.grl reload)", 1, b1, "vs text, 1 thread", g1.seconds);
    row("`grl_graph_load` (.grl reload)", T, bT, "vs text, same threads", gT.seconds);
    row("`igraph_connected_components` (weak)", 1, cig, "", cig.seconds);
    row("`grl_graph_components`", 1, c1, "vs igraph", cig.seconds);
    row("`grl_graph_components`", T, cT, "vs igraph", cig.seconds);
    printf("\nWeakly connected components: %lld (grl and igraph agree). Sizes: "
           "text %.0f MB, .grl %.0f MB, GraphBLAS's serialization of the "
           "matrix %.0f MB.\n", (long long)nc_ig, file_mb(text),
           file_mb(binary), graphblas_serialized_mb(G));
    grl_graph_free(&G);
    remove(text);
    remove(binary);
    grl_finalize(NULL);
    return 0;
}
