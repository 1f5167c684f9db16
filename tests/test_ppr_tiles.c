/* test_ppr_tiles.c — PowerPush's tiled products (walks/ppr_tiles.c) on a
 * graph past the tiling threshold (2^18 nodes): the product against a sum
 * over the CSR rows, the same tiles on 1 and 2 threads, no tiles on a small
 * graph, and PowerPush through them against exact power iteration, bit for
 * bit the same on 1 and 2 threads. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grl/walks.h"
#include "../walks/walks_internal.h"

/* G(n = 2^18 + 7,919, m = 4 n): five blocks of nodes, 25 tiles, isolated
 * nodes (about e^-8 of them) and one giant component */
enum { BIG_N = (1 << 18) + 7919, BIG_M = 4 * BIG_N };

static int setup(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    if (grl_graph_generate_erdos_renyi(&G, BIG_N, BIG_M, false, 11, msg) < 0) return -1;
    *state = G;
    return 0;
}

/* the k x n matrix M as dense rows */
static double *dense_rows(GrB_Matrix M, int64_t k, int64_t n)
{
    GrB_Index nv;
    assert_int_equal(GrB_Matrix_nvals(&nv, M), GrB_SUCCESS);
    GrB_Index *I = malloc(sizeof(GrB_Index) * (nv + 1)), *J = malloc(sizeof(GrB_Index) * (nv + 1));
    double *X = malloc(sizeof(double) * (nv + 1)), *D = calloc(k * n, sizeof(double));
    assert_int_equal(GrB_Matrix_extractTuples_FP64(I, J, X, &nv, M), GrB_SUCCESS);
    for (GrB_Index t = 0; t < nv; t++) D[I[t] * n + J[t]] = X[t];
    free(I);
    free(J);
    free(X);
    return D;
}

static int teardown(void **state)
{
    grl_graph *G = *state;
    grl_graph_free(&G);
    return 0;
}

/* the tiles of c built on `threads` threads (the caller frees them) */
static grl_arc_tiles tiles_on(const grl_walk_csr *c, int threads)
{
    char msg[GRL_MSG_LEN];
    grl_arc_tiles t = {0};
    assert_ok(grl_threads_set(threads, msg));
    assert_non_null(grl_arc_tiles_once(&t, &c->a));
    assert_ptr_equal(grl_arc_tiles_once(&t, &c->a), &t); /* built once */
    return t;
}

static void test_tiled_product_matches_rows(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = *state;
    grl_walk_csr c;
    assert_ok(grl_walk_csr_borrow(&c, G, false, msg));
    const int64_t n = c.a.n;
    grl_arc_tiles t1 = tiles_on(&c, 1), t2 = tiles_on(&c, 2);
    assert_int_equal(t1.blocks, 5);
    assert_memory_equal(t1.start, t2.start, sizeof(uint64_t) * 26);
    assert_int_equal(t1.start[25], c.a.Ap[n]);
    assert_memory_equal(t1.word, t2.word, sizeof(uint32_t) * c.a.Ap[n]);
    /* small integers: every sum is exact in any order, so the tiles must
     * give the rows' sums bit for bit */
    double *d = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n);
    for (int64_t v = 0; v < n; v++) d[v] = (double)((v * 7919) % 13) - 6;
    grl_arc_tiles_product(&t1, d, y);
    for (int64_t v = 0; v < n; v++) {
        double want = 0;
        for (GrB_Index p = c.a.Ap[v]; p < c.a.Ap[v + 1]; p++) want += d[c.a.Aj[p]];
        assert_true(y[v] == want);
    }
    free(d);
    free(y);
    grl_arc_tiles_free(&t1);
    grl_arc_tiles_free(&t2);
    assert_ok(grl_walk_csr_return(&c, msg));

    /* below 2^18 nodes d fits in L2 alone: no tiles */
    grl_graph *S = NULL;
    assert_ok(grl_graph_generate_erdos_renyi(&S, 100000, 400000, false, 11, msg));
    assert_ok(grl_walk_csr_borrow(&c, S, false, msg));
    grl_arc_tiles none = {0};
    assert_null(grl_arc_tiles_once(&none, &c.a));
    assert_null(none.start);
    assert_ok(grl_walk_csr_return(&c, msg));
    grl_graph_free(&S);
}

/* PowerPush's conjugate gradients on G run their products on the tiles
 * (above): within tol of power iteration run to 1e-13, the same bits on 1
 * and 2 threads (one source each, and a batch). */
static void test_powerpush_on_tiles_matches_exact(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = *state;
    const int64_t n = BIG_N, src[3] = {1, n / 2, n - 2};
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.tol = 1e-13;
    GrB_Matrix P = NULL, Q1 = NULL, Q2 = NULL;
    assert_ok(grl_ppr_compute(&P, G, src, 3, &o, msg));
    o.method = GRL_PPR_POWERPUSH;
    o.tol = 1e-10;
    assert_ok(grl_threads_set(1, msg));
    assert_ok(grl_ppr_compute(&Q1, G, src, 3, &o, msg));
    assert_ok(grl_threads_set(2, msg));
    assert_ok(grl_ppr_compute(&Q2, G, src, 3, &o, msg));
    double *want = dense_rows(P, 3, n), *got1 = dense_rows(Q1, 3, n),
           *got2 = dense_rows(Q2, 3, n);
    assert_memory_equal(got1, got2, sizeof(double) * 3 * n);
    for (int s = 0; s < 3; s++) {
        GrB_Matrix Q = NULL;
        assert_ok(grl_ppr_compute(&Q, G, src + s, 1, &o, msg));
        double *got = dense_rows(Q, 1, n), err = 0;
        assert_memory_equal(got, got1 + s * n, sizeof(double) * n);
        for (int64_t v = 0; v < n; v++) err += fabs(got[v] - want[s * n + v]);
        /* undirected, no dangling node reachable: the killed vector's
         * bound, plus the exact row's own error (1e-13) */
        assert_true(err <= o.tol + 1e-12);
        free(got);
        GrB_Matrix_free(&Q);
    }
    free(want);
    free(got1);
    free(got2);
    GrB_Matrix_free(&P);
    GrB_Matrix_free(&Q1);
    GrB_Matrix_free(&Q2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* a graph each: a failed test may leave its graph borrowed */
        cmocka_unit_test_setup_teardown(test_tiled_product_matches_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_powerpush_on_tiles_matches_exact, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
