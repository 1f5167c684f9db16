/* bench_fastrp.c — FastRP's cost against the sparse products it cannot
 * avoid: k GraphBLAS sparse x dense products of the same shape (FP32 matrix
 * times a full FP32 n x d matrix with real random values, accumulated into a
 * pre-filled full result, GraphBLAS's fastest form here), on the same thread
 * count, best of the same number of runs; FastRP's peak memory; and the
 * FastRP paper's node classification on BlogCatalog. Graphs: BlogCatalog
 * (d = 512, 4 powers, the paper's setup) and a generated G(n = 1M, m = 10M)
 * (d = 128, 3 powers; quick: G(100k, 1M)).
 * usage: bench_fastrp [DATA_DIR] */
#include <stdio.h>
#include <stdlib.h>

#include "grl.h"
#include "benchutil.h"

/* Best time of `reps` runs of k products C += A * X. */
static double time_products(grl_graph *G, int64_t d, int k, int reps)
{
    char msg[GRL_MSG_LEN] = "GraphBLAS";
    GrB_Index n = grl_graph_num_nodes(G);
    GrB_Matrix A, X, C;
    check(GrB_Matrix_new(&A, GrB_FP32, n, n), "A", msg);
    check(GrB_assign(A, NULL, NULL, grl_graph_matrix(G), GrB_ALL, n, GrB_ALL,
                     n, NULL), "A", msg);
    float *x = malloc(sizeof(float) * n * d);
    if (x == NULL) check(-1, "X", "out of memory");
    grl_rng rng;
    grl_rng_init(&rng, 1, 0);
    for (GrB_Index i = 0; i < n * d; i++) x[i] = (float)grl_rng_uniform(&rng) - 0.5f;
    check(GrB_Matrix_new(&X, GrB_FP32, n, d), "X", msg);
    check(GxB_Matrix_pack_FullR(X, (void **)&x, sizeof(float) * n * d, false,
                                NULL), "X", msg);
    check(GrB_Matrix_new(&C, GrB_FP32, n, d), "C", msg);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        check(GrB_assign(C, NULL, NULL, (float)0, GrB_ALL, n, GrB_ALL, d, NULL),
              "C", msg);
        check(GrB_Matrix_wait(C, GrB_MATERIALIZE), "C", msg);
        double t0 = now();
        for (int it = 0; it < k; it++)
            check(GrB_mxm(C, NULL, GrB_PLUS_FP32, GrB_PLUS_TIMES_SEMIRING_FP32,
                          A, X, NULL), "mxm", msg);
        check(GrB_Matrix_wait(C, GrB_MATERIALIZE), "C", msg);
        keep_best(&best, now() - t0);
    }
    GrB_Matrix_free(&A);
    GrB_Matrix_free(&X);
    GrB_Matrix_free(&C);
    return best;
}

/* Best time of `reps` FastRP runs; *peak, *base: peak RSS during the last
 * run and RSS before it (MiB). The last embedding is kept in *E if E. */
static double time_fastrp(grl_graph *G, const grl_fastrp_options *o, int reps,
                          double *peak, double *base, grl_dense **E)
{
    char msg[GRL_MSG_LEN] = "";
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        grl_dense *D = NULL;
        peak_reset();
        *base = status_mib("VmRSS:");
        double t0 = now();
        check(grl_fastrp_embed(&D, G, o, msg), "fastrp", msg);
        keep_best(&best, now() - t0);
        *peak = peak_mib();
        if (E != NULL && r == reps - 1) *E = D;
        else grl_dense_free(&D);
    }
    return best;
}

/* The table rows of one graph: 1 and T threads. */
static void run(const char *name, grl_graph *G, const grl_fastrp_options *o,
                int reps, int T, grl_dense **E)
{
    long long n = grl_graph_num_nodes(G);
    const int threads[2] = {1, T};
    for (int i = 0; i < (T > 1 ? 2 : 1); i++) {
        int t = threads[i];
        set_threads(t);
        double peak, base;
        double f = time_fastrp(G, o, reps, &peak, &base, t == T ? E : NULL);
        double p = time_products(G, o->dim, o->iterations, reps);
        printf("| %s | %lld, %d | %d | %.3f s | %.3f s | %.2fx | %.0f MiB (+%.0f) | %.0f MiB |\n",
               name, (long long)o->dim, o->iterations, t, f, p, f / p, peak,
               peak - base, 1.0 * n * o->dim * 4 / 1048576);
    }
}

/* Node classification of E (BlogCatalog labels) with the default protocol,
 * the intercept penalised (default) or not. */
static void nodeclf(const grl_dense *E, const grl_labels *labels, bool penalize)
{
    char msg[GRL_MSG_LEN] = "";
    grl_nodeclf_options o;
    grl_nodeclf_options_init(&o);
    o.logreg.penalize_intercept = penalize;
    grl_nodeclf_result r;
    double t0 = now();
    check(grl_nodeclf_evaluate(E, labels, &o, &r, msg), "nodeclf", msg);
    printf("| %s | %.4f ± %.4f | %.4f ± %.4f | %.1f s |\n",
           penalize ? "penalised (default, as the paper's liblinear)"
                    : "not penalised",
           r.micro_f1, r.micro_f1_std, r.macro_f1, r.macro_f1_std, now() - t0);
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char path[1024], msg[GRL_MSG_LEN] = "";
    int reps = bench_reps(), T = bench_threads();
    printf("### FastRP (bench_fastrp)\n\n");
    printf("FastRP against k GraphBLAS products C += A*X of the same shape "
           "(FP32, full X and C) on the same threads, best of %d; peak RSS of "
           "the process during FastRP (+ over before) beside the size of one n x d "
           "float32 block: FastRP keeps two when the first power it "
           "accumulates is the second-to-last (both setups here), else "
           "three.\n\n", reps);
    printf("| graph | d, powers | threads | FastRP | k products | ratio | "
           "peak RSS (+ over before) | n d x 4 B |\n"
           "|---|---|---|---|---|---|---|---|\n");

    snprintf(path, sizeof path, "%s/blogcatalog/edges.txt", data);
    grl_graph *G = NULL;
    check(grl_graph_load(&G, path, NULL, msg), path, msg);
    grl_fastrp_options o; /* the paper's BlogCatalog setup */
    grl_fastrp_options_init(&o);
    o.dim = 512;
    o.iterations = 4;
    o.weights[0] = 0; o.weights[1] = 0; o.weights[2] = 1; o.weights[3] = 6.67;
    o.beta = -0.64;
    grl_dense *E = NULL;
    run("BlogCatalog", G, &o, reps, T, &E);
    int64_t n = grl_graph_num_nodes(G);
    grl_graph_free(&G);

    const int64_t nodes = bench_quick() ? 100000 : 1000000;
    check(grl_graph_generate_erdos_renyi(&G, nodes, 10 * nodes, false, 7, msg),
          "generate", msg);
    grl_fastrp_options_init(&o);
    o.dim = 128;
    o.iterations = 3;
    run(bench_quick() ? "G(100k, 1M)" : "G(1M, 10M)", G, &o, reps, T, NULL);
    grl_graph_free(&G);

    snprintf(path, sizeof path, "%s/blogcatalog/labels.txt", data);
    grl_labels *labels = NULL;
    check(grl_labels_load(&labels, path, n, NULL, msg), path, msg);
    printf("\nNode classification of the BlogCatalog embedding above (`grl eval "
           "nodeclf` defaults: one-vs-rest logistic regression, C = 0.1, 10%% "
           "training, top-k labels, 5 seeded splits, mean ± std; %d threads). "
           "The paper reports Micro-F1 0.372, Macro-F1 0.228.\n\n", T);
    printf("| intercept | Micro-F1 | Macro-F1 | time |\n|---|---|---|---|\n");
    set_threads(T);
    nodeclf(E, labels, true);
    nodeclf(E, labels, false);
    grl_labels_free(&labels);
    grl_dense_free(&E);
    grl_finalize(NULL);
    return 0;
}
