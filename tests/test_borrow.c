/* test_borrow.c — a matrix lent to a kernel (grl_csr_borrow) comes back
 * intact: by GxB pack, which allocates nothing; when GraphBLAS refuses the
 * arrays, by rebuilding the entries; and when even that fails, with an
 * error that says the matrix is lost (and no leak). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "grl_internal.h"

/* Karate with an iso matrix (every weight 1, stored once) or with weights
 * 1..5. */
static grl_graph *make_graph(bool weighted)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), 0);
    GrB_Matrix P = grl_graph_matrix(G), A = NULL;
    GrB_Index n, nvals;
    assert_int_equal(GrB_Matrix_nrows(&n, P), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_nvals(&nvals, P), GrB_SUCCESS);
    GrB_Index *I = malloc(nvals * sizeof *I), *J = malloc(nvals * sizeof *J);
    double *X = malloc(nvals * sizeof *X);
    assert_int_equal(GrB_Matrix_extractTuples_FP64(I, J, X, &nvals, P), 0);
    for (GrB_Index p = 0; p < nvals; p++) X[p] = (double)((I[p] + J[p]) % 5 + 1);
    assert_int_equal(GrB_Matrix_new(&A, GrB_FP64, n, n), GrB_SUCCESS);
    if (weighted) {
        assert_int_equal(GrB_Matrix_build_FP64(A, I, J, X, nvals, NULL), 0);
    } else {
        GrB_Scalar one = NULL;
        assert_int_equal(GrB_Scalar_new(&one, GrB_FP64), GrB_SUCCESS);
        assert_int_equal(GrB_Scalar_setElement_FP64(one, 1.0), GrB_SUCCESS);
        assert_int_equal(GxB_Matrix_build_Scalar(A, I, J, one, nvals), 0);
        GrB_Scalar_free(&one);
    }
    free(I);
    free(J);
    free(X);
    grl_graph_free(&G);
    assert_ok(grl_graph_from_matrix(&G, &A, false, weighted, msg));
    return G;
}

/* A and B hold the same entries. */
static void assert_same(GrB_Matrix A, GrB_Matrix B)
{
    GrB_Index na = 0, nb = 0;
    assert_int_equal(GxB_Matrix_fprint(A, "A", GxB_SILENT, NULL), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_nvals(&na, A), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_nvals(&nb, B), GrB_SUCCESS);
    assert_int_equal(na, nb);
    assert_true(na > 0);
    GrB_Matrix D = NULL;
    GrB_Index n;
    assert_int_equal(GrB_Matrix_nrows(&n, A), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_new(&D, GrB_FP64, n, n), GrB_SUCCESS);
    /* D = A - B over the union: zero everywhere iff same pattern and values */
    assert_int_equal(GrB_Matrix_eWiseAdd_BinaryOp(D, NULL, NULL, GrB_MINUS_FP64,
                                                  A, B, NULL), GrB_SUCCESS);
    GrB_Index nd = 0;
    assert_int_equal(GrB_Matrix_nvals(&nd, D), GrB_SUCCESS);
    assert_int_equal(nd, na);
    double maxabs = -1;
    assert_int_equal(GrB_Matrix_apply(D, NULL, NULL, GrB_ABS_FP64, D, NULL), 0);
    assert_int_equal(GrB_Matrix_reduce_FP64(&maxabs, NULL, GrB_MAX_MONOID_FP64,
                                            D, NULL), GrB_SUCCESS);
    assert_true(maxabs == 0);
    GrB_Matrix_free(&D);
}

static void round_trip(bool weighted)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = make_graph(weighted);
    GrB_Matrix A = grl_graph_matrix(G), copy = NULL;
    assert_int_equal(GrB_Matrix_dup(&copy, A), GrB_SUCCESS);
    grl_csr csr;

    /* the ordinary return allocates nothing: it succeeds with every
     * allocation refused */
    assert_ok(grl_csr_borrow(&csr, A, true, msg));
    assert_int_equal(csr.iso, !weighted);
    grl_debug_fail_alloc_after(0);
    int rc = grl_csr_return(&csr, msg);
    grl_debug_fail_alloc_after(-1);
    assert_int_equal(rc, 0);
    assert_same(A, copy);

    /* GraphBLAS refuses the arrays (a size too small): rebuilt by value */
    assert_ok(grl_csr_borrow(&csr, A, false, msg));
    csr.Ap_size = 0;
    assert_ok(grl_csr_return(&csr, msg));
    assert_null(csr.M);
    assert_same(A, copy);

    /* refused, and the rebuild cannot allocate: an error that says the
     * matrix is lost; the arrays are released (LSan) */
    assert_ok(grl_csr_borrow(&csr, A, true, msg));
    csr.Aj_size = 0;
    grl_debug_fail_alloc_after(0);
    rc = grl_csr_return(&csr, msg);
    grl_debug_fail_alloc_after(-1);
    assert_true(rc < 0);
    assert_non_null(strstr(msg, "now empty"));
    GrB_Index nvals = 1;
    assert_int_equal(GrB_Matrix_nvals(&nvals, A), GrB_SUCCESS);
    assert_int_equal(nvals, 0);
    /* returning twice is a no-op */
    assert_ok(grl_csr_return(&csr, msg));
    GrB_Matrix_free(&copy);
    grl_graph_free(&G);
}

static void test_iso(void **state) { round_trip(false); }
static void test_weighted(void **state) { round_trip(true); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso),
        cmocka_unit_test(test_weighted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
