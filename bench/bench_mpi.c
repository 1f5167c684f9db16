/* bench_mpi.c — grl_mpi on a generated graph of >= 2M nodes / 20M arcs
 * (bench/bench_mpi.sh runs the three modes and prints the table):
 *   bench_mpi prepare DIR [n]  make DIR/g.grl (n nodes, 5 edges each: 9 in
 *                              10 to a node within 1000 places, 1 anywhere,
 *                              a graph with locality METIS can cut, as real
 *                              social graphs) and partition it into 1, 2
 *                              and 4 parts (DIR/p1, p2, p4); prints the
 *                              edge cuts
 *   bench_mpi single DIR d     one process: load g.grl, FastRP (d, 3
 *                              powers): seconds and peak RSS
 *   bench_mpi dist DIR/pK d    under mpirun -np K: load the part, FastRP
 *                              (its CPU seconds, the largest rank's; per-rank
 *                              peak RSS read then: the work one
 *                              process's peak covers), then time
 *                              distributed products (d float columns);
 *                              halo rows
 * Lines start with "result" for the script. */
#include <mpi.h>

#include "benchutil.h"
#include "grl/mpi.h"

#define LOCAL_WINDOW 1000

/* CPU seconds of this process (all its threads). */
static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int prepare(const char *dir, int64_t n)
{
    char msg[GRL_MSG_LEN] = "", path[1024];
    int64_t m = 5 * n;
    int64_t *src = malloc(sizeof(int64_t) * m), *dst = malloc(sizeof(int64_t) * m);
    if (src == NULL || dst == NULL) check(GRL_OUT_OF_MEMORY, "edges", "");
    for (int64_t e = 0; e < m; e++) {
        grl_rng rng;
        grl_rng_init(&rng, 3, (uint64_t)e);
        int64_t i = e / 5;
        src[e] = i;
        if (grl_rng_below(&rng, 10) < 9)
            dst[e] = (i + 1 + (int64_t)grl_rng_below(&rng, LOCAL_WINDOW)) % n;
        else
            dst[e] = (int64_t)grl_rng_below(&rng, (uint64_t)n);
    }
    grl_graph *G = NULL;
    double t0 = now();
    check(grl_graph_from_edges(&G, n, src, dst, NULL, m, false, NULL, msg), "build", msg);
    free(src);
    free(dst);
    snprintf(path, sizeof path, "%s/g.grl", dir);
    check(grl_graph_save(G, path, GRL_FORMAT_GRL, msg), "save", msg);
    printf("result graph %lld %lld %.1f\n", (long long)grl_graph_num_nodes(G),
           (long long)grl_graph_num_arcs(G), now() - t0);
    int64_t *part = malloc(sizeof(int64_t) * n);
    for (int64_t k = 1; k <= 4; k *= 2) {
        grl_partition_info info;
        t0 = now();
        check(grl_partition_compute(G, k, NULL, part, &info, msg), "partition", msg);
        double t_metis = now() - t0;
        snprintf(path, sizeof path, "%s/p%lld", dir, (long long)k);
        t0 = now();
        check(grl_partition_save(G, part, k, path, msg), "partition save", msg);
        printf("result partition %lld %lld %.3f %.1f %.1f\n", (long long)k,
               (long long)info.edge_cut, info.balance, t_metis, now() - t0);
    }
    free(part);
    grl_graph_free(&G);
    return 0;
}

static int single(const char *dir, int64_t d)
{
    char msg[GRL_MSG_LEN] = "", path[1024];
    snprintf(path, sizeof path, "%s/g.grl", dir);
    grl_graph *G = NULL;
    double t0 = now();
    check(grl_graph_load(&G, path, NULL, msg), "load", msg);
    double t_load = now() - t0;
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = d;
    grl_dense *E = NULL;
    t0 = now();
    check(grl_fastrp_embed(&E, G, &o, msg), "fastrp", msg);
    double t_fastrp = now() - t0;
    printf("result single %d %.2f %.2f %.0f\n", grl_threads_get(), t_load,
           t_fastrp, peak_mib());
    grl_dense_free(&E);
    grl_graph_free(&G);
    return 0;
}

static int dist(const char *dir, int64_t d)
{
    char msg[GRL_MSG_LEN] = "";
    int rank, K;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &K);
    grl_mpi_graph *D = NULL;
    double t0 = now();
    check(grl_mpi_graph_load(&D, dir, MPI_COMM_WORLD, msg), "load", msg);
    MPI_Barrier(MPI_COMM_WORLD);
    double t_load = now() - t0;
    int64_t rows = grl_mpi_graph_local_nodes(D);
    grl_mpi_graph_info info;
    check(grl_mpi_graph_info_get(D, &info, msg), "info", msg);
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = d;
    grl_dense *E = NULL;
    int64_t first;
    MPI_Barrier(MPI_COMM_WORLD);
    t0 = now();
    double c0 = cpu_seconds();
    check(grl_mpi_fastrp_embed(&E, D, &o, &first, msg), "fastrp", msg);
    double cpu_fastrp = cpu_seconds() - c0, cpu_max;
    MPI_Barrier(MPI_COMM_WORLD);
    double t_fastrp = now() - t0;
    grl_dense_free(&E);
    /* the peak of what one process measures: loading and FastRP */
    double peak = peak_mib(), peak_max, peak_sum;
    size_t cells = (size_t)(rows + info.halo_rows) * (size_t)d;
    float *X = malloc(sizeof(float) * (cells ? cells : 1));
    float *Y = malloc(sizeof(float) * (size_t)(rows ? rows : 1) * (size_t)d);
    for (size_t c = 0; c < cells; c++) X[c] = (float)((c * 2654435761u) % 1000) * 1e-3f;
    /* products: the best of the repetitions, slowest rank */
    double best = INFINITY;
    for (int r = 0; r < bench_reps() + 1; r++) { /* +1: a warm-up */
        MPI_Barrier(MPI_COMM_WORLD);
        t0 = now();
        check(grl_mpi_spmm(D, GRL_OUT, X, Y, d, NULL, msg), "spmm", msg);
        double t = now() - t0;
        MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (r > 0) keep_best(&best, t);
    }
    free(X);
    free(Y);
    MPI_Reduce(&peak, &peak_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    MPI_Reduce(&peak, &peak_sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(&cpu_fastrp, &cpu_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    int64_t halo = info.halo_rows, halo_total;
    MPI_Reduce(&halo, &halo_total, 1, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0)
        printf("result dist %d %.2f %.4f %.2f %.0f %.0f %lld %lld %.2f\n", K,
               t_load, best, t_fastrp, peak_max, peak_sum / K,
               (long long)halo_total,
               (long long)(halo_total * d * (int64_t)sizeof(float)), cpu_max);
    grl_mpi_graph_free(&D);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_mpi prepare DIR [n] | single DIR d | dist DIR/pK d\n");
        return 2;
    }
    if (strcmp(argv[1], "prepare") == 0)
        return prepare(argv[2], argc > 3 ? atoll(argv[3]) : 2100000);
    int64_t d = argc > 3 ? atoll(argv[3]) : 32;
    if (strcmp(argv[1], "single") == 0) return single(argv[2], d);
    MPI_Init(&argc, &argv);
    int rc = dist(argv[2], d);
    grl_finalize(NULL);
    MPI_Finalize();
    return rc;
}
