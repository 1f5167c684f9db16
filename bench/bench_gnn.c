/* bench_gnn.c — ADPA's precomputation against the sparse x dense products
 * it performs (all six patterns, K = 2: ten products with A and ten with
 * Aᵀ, each n x n times n x f), timed in the same run as GraphBLAS's
 * PLUS_TIMES products into a pre-filled full FP32 result (its fastest form
 * here, see DESIGN.md); then one training epoch on Cora-ML (full batch) and
 * on the generated graph (mini-batches of 4096), and the peak memory.
 * Generated graph: directed G(n = 1M, m = 10M), 64 random features, 5
 * random classes.
 * The machine is shared and loaded: both wall and CPU (user + system, so
 * the kernel's clearing of new result pages counts) ratios are printed.
 * usage: bench_gnn [DATA_DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "grl.h"
#include "benchutil.h"

/* User + system CPU seconds of the process so far. */
static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec +
           (double)u.ru_stime.tv_sec + 1e-6 * (double)u.ru_stime.tv_usec;
}

/* Wall and CPU seconds of a timed section. */
typedef struct {
    double wall, cpu;
} span;

static span span_start(void) { return (span){now(), cpu_seconds()}; }

static span span_since(span s) { return (span){now() - s.wall, cpu_seconds() - s.cpu}; }

/* Wall and CPU seconds for `count` products M X (X n x f, real random values) summed
 * into a full C. */
static span raw_products(GrB_Matrix M64, int64_t f, int count)
{
    char msg[GRL_MSG_LEN] = "";
    GrB_Index n;
    GrB_Matrix M = NULL, X = NULL, C = NULL;
    check(GrB_Matrix_nrows(&n, M64), "nrows", msg);
    check(GrB_Matrix_new(&M, GrB_FP32, n, n), "M", msg);
    check(GrB_Matrix_assign(M, NULL, NULL, M64, GrB_ALL, n, GrB_ALL, n, NULL),
          "M", msg);
    size_t cells = (size_t)n * (size_t)f;
    float *x = malloc(sizeof(float) * cells);
    grl_rng rng;
    grl_rng_init(&rng, 99, 1);
    for (size_t i = 0; i < cells; i++) x[i] = (float)grl_rng_uniform(&rng);
    check(GrB_Matrix_new(&X, GrB_FP32, n, (GrB_Index)f), "X", msg);
    check(GxB_Matrix_pack_FullR(X, (void **)&x, sizeof(float) * cells, false, NULL),
          "X", msg);
    check(GrB_Matrix_new(&C, GrB_FP32, n, (GrB_Index)f), "C", msg);
    check(GrB_Matrix_assign_FP32(C, NULL, NULL, 0.0f, GrB_ALL, n, GrB_ALL,
                                 (GrB_Index)f, NULL), "C", msg);
    GrB_Matrix_wait(M, GrB_MATERIALIZE);
    GrB_Matrix_wait(C, GrB_MATERIALIZE);
    span start = span_start();
    for (int i = 0; i < count; i++)
        check(GrB_mxm(C, NULL, GrB_PLUS_FP32, GrB_PLUS_TIMES_SEMIRING_FP32, M, X,
                      NULL), "mxm", msg);
    GrB_Matrix_wait(C, GrB_MATERIALIZE);
    span seconds = span_since(start);
    GrB_free(&M);
    GrB_free(&X);
    GrB_free(&C);
    return seconds;
}

static double epoch_seconds(grl_adpa_prop *P, grl_node_labels *L,
                            grl_node_splits *S, int64_t batch)
{
    char msg[GRL_MSG_LEN] = "";
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    o.train.epochs = 1;
    o.train.batch_size = batch;
    grl_adpa *M = NULL;
    grl_gnn_train_result r;
    check(grl_adpa_train(&M, &r, P, L, S, 0, &o, msg), "train", msg);
    grl_adpa_free(&M);
    return r.seconds;
}

static void cora_ml(const char *data)
{
    char msg[GRL_MSG_LEN] = "", path[3][1024];
    snprintf(path[0], sizeof path[0], "%s/cora_ml/edges.txt", data);
    snprintf(path[1], sizeof path[1], "%s/cora_ml/features.txt", data);
    snprintf(path[2], sizeof path[2], "%s/cora_ml/labels.txt", data);
    grl_load_options lo;
    grl_load_options_init(&lo);
    lo.directed = 1;
    grl_graph *G = NULL;
    grl_dense *X = NULL;
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    grl_adpa_prop *P = NULL;
    check(grl_graph_load(&G, path[0], &lo, msg), path[0], msg);
    check(grl_node_features_load(&X, G, path[1], GRL_FEATURES_AUTO, msg), path[1], msg);
    check(grl_node_labels_load(&L, G, path[2], msg), path[2], msg);
    check(grl_node_splits_generate(&S, G, L, NULL, msg), "splits", msg);
    double t0 = now();
    check(grl_adpa_prop_build(&P, G, X, NULL, msg), "precompute", msg);
    double pre = now() - t0;
    printf("Cora-ML: n=%lld f=%lld, precompute (all patterns, K=2) %.3f s, "
           "one epoch (140 training + 500 validation nodes) %.4f s\n",
           (long long)X->rows, (long long)X->cols, pre, epoch_seconds(P, L, S, 0));
    grl_adpa_prop_free(&P);
    grl_node_splits_free(&S);
    grl_node_labels_free(&L);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

static void generated(void)
{
    char msg[GRL_MSG_LEN] = "";
    const int64_t n = 1000000, m = 10000000, f = 64, classes = 5;
    grl_graph *G = NULL;
    double t0 = now();
    check(grl_graph_generate_erdos_renyi(&G, n, m, true, 7, msg), "generate", msg);
    printf("(generated directed G(n=1M, m=10M) in %.1f s)\n", now() - t0);
    grl_dense *X = NULL;
    check(grl_dense_new(&X, n, f, msg), "features", msg);
    grl_rng rng;
    grl_rng_init(&rng, 5, 0);
    for (int64_t i = 0; i < n * f; i++) X->data[i] = (float)grl_rng_uniform(&rng);
    grl_node_labels L = {n, classes, malloc(sizeof(int64_t) * n)};
    for (int64_t i = 0; i < n; i++) L.y[i] = (int64_t)grl_rng_below(&rng, classes);
    grl_node_splits_options so;
    grl_node_splits_options_init(&so);
    so.repeats = 1;
    so.train_per_class = 20000;
    so.val = 10000;
    grl_node_splits *S = NULL;
    check(grl_node_splits_generate(&S, G, &L, &so, msg), "splits", msg);
    grl_adpa_prop *P = NULL;
    span t = span_start();
    check(grl_adpa_prop_build(&P, G, X, NULL, msg), "precompute", msg);
    span pre = span_since(t);
    GrB_Matrix AT;
    check(grl_graph_transpose(G, &AT, msg), "transpose", msg);
    span rawA = raw_products(grl_graph_matrix(G), f, 10), rawAT = raw_products(AT, f, 10);
    span raw = {rawA.wall + rawAT.wall, rawA.cpu + rawAT.cpu};
    printf("generated: n=%lld arcs=%lld f=%lld\n", (long long)n,
           (long long)grl_graph_num_arcs(G), (long long)f);
    printf("                                               wall s    CPU s\n");
    printf("  ADPA precompute, 6 patterns x 2 hops        %8.3f %8.3f\n", pre.wall,
           pre.cpu);
    printf("  20 GraphBLAS products C += M*X (10 A, 10 At) %8.3f %8.3f\n", raw.wall,
           raw.cpu);
    printf("  RATIO precompute / raw products              %8.2fx %7.2fx  (target <= 1.3x)\n",
           pre.wall / raw.wall, pre.cpu / raw.cpu);
    printf("  one epoch, 100,000 training nodes in batches of 4096: %.3f s\n",
           epoch_seconds(P, &L, S, 4096));
    printf("  peak RSS %.0f MiB; ADPA's propagations 13 x n x f x 4 B = %.0f MiB\n",
           peak_mib(), 13.0 * n * f * 4 / 1048576);
    grl_adpa_prop_free(&P);
    grl_node_splits_free(&S);
    free(L.y);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char msg[GRL_MSG_LEN] = "";
    check(grl_init(msg), "init", msg);
    cora_ml(data);
    generated();
    grl_finalize(NULL);
    return 0;
}
