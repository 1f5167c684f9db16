/* bench_fastrp.c — FastRP's cost against the sparse products it cannot
 * avoid: k GraphBLAS sparse x dense products of the same shape (FP32 matrix
 * times a full FP32 n x d matrix with real random values, accumulated into a
 * pre-filled full result, GraphBLAS's fastest form here), measured in the
 * same run. On BlogCatalog (d = 512, 4 powers) and on a generated G(n, m)
 * graph of 1M nodes and 10M edges (d = 128, 3 powers).
 * usage: bench_fastrp [DATA_DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "grl.h"
#include "benchutil.h"

/* Best time of `reps` runs of k products C += A * X. */
static double time_products(grl_graph *G, int64_t d, int k, int reps)
{
    char msg[GRL_MSG_LEN] = "";
    GrB_Index n = grl_graph_num_nodes(G);
    GrB_Matrix A, X, C;
    check(GrB_Matrix_new(&A, GrB_FP32, n, n), "A", msg);
    check(GrB_assign(A, NULL, NULL, grl_graph_matrix(G), GrB_ALL, n, GrB_ALL,
                     n, NULL), "A", msg);
    float *x = malloc(sizeof(float) * n * d);
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
        GrB_Matrix_wait(C, GrB_MATERIALIZE);
        double t0 = now();
        for (int it = 0; it < k; it++)
            check(GrB_mxm(C, NULL, GrB_PLUS_FP32, GrB_PLUS_TIMES_SEMIRING_FP32,
                          A, X, NULL), "mxm", msg);
        GrB_Matrix_wait(C, GrB_MATERIALIZE);
        double t = now() - t0;
        if (t < best) best = t;
    }
    GrB_Matrix_free(&A);
    GrB_Matrix_free(&X);
    GrB_Matrix_free(&C);
    return best;
}

static void run(const char *name, grl_graph *G, grl_fastrp_options *o, int reps)
{
    char msg[GRL_MSG_LEN] = "";
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        grl_dense *E = NULL;
        double t0 = now();
        check(grl_fastrp_embed(&E, G, o, msg), "fastrp", msg);
        double t = now() - t0;
        if (t < best) best = t;
        grl_dense_free(&E);
    }
    double products = time_products(G, o->dim, o->iterations, reps);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long long n = grl_graph_num_nodes(G);
    printf("%s: n=%lld arcs=%lld d=%lld k=%d\n", name, n,
           (long long)grl_graph_num_arcs(G), (long long)o->dim, o->iterations);
    printf("  FastRP (best of %d)                    %8.3f s\n", reps, best);
    printf("  %d GraphBLAS products C += A*X (best)   %8.3f s\n", o->iterations,
           products);
    printf("  RATIO FastRP / raw products            %8.2fx  (target <= 1.3x)\n",
           best / products);
    printf("  peak RSS so far %.0f MiB; FastRP's own buffers 3 x n x d x 4 B = "
           "%.0f MiB\n", ru.ru_maxrss / 1024.0, 3.0 * n * o->dim * 4 / 1048576);
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char path[1024], msg[GRL_MSG_LEN] = "";
    snprintf(path, sizeof path, "%s/blogcatalog/edges.txt", data);
    grl_graph *G = NULL;
    check(grl_graph_load(&G, path, NULL, msg), path, msg);
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = 512;
    o.iterations = 4;
    o.weights[0] = 0; o.weights[1] = 0; o.weights[2] = 1; o.weights[3] = 6.67;
    o.beta = -0.64;
    run("BlogCatalog", G, &o, 3);
    grl_graph_free(&G);

    double t0 = now();
    check(grl_graph_generate_erdos_renyi(&G, 1000000, 10000000, false, 7, msg),
          "generate", msg);
    printf("(generated G(n=1M, m=10M) in %.1f s)\n", now() - t0);
    grl_fastrp_options_init(&o);
    o.dim = 128;
    o.iterations = 3;
    run("G(1M, 10M)", G, &o, 2);
    grl_graph_free(&G);
    grl_finalize(NULL);
    return 0;
}
