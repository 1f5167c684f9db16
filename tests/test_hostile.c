/* test_hostile.c — issue 8's resource, overflow and silent-output cases at
 * the library level: each ends in a clear error or a correct, finite
 * result. */
#include "testutil.h"
#include "grl/linkpred.h"
#include "grl/optim.h"
#include "../gnn/nn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KARATE "karate/edges.txt"

static void assert_fails(int rc, int code, const char *msg, const char *needle)
{
    assert_int_equal(rc, code);
    if (strstr(msg, needle) == NULL) fail_msg("'%s' not in '%s'", needle, msg);
}

static void assert_all_finite(const grl_dense *E)
{
    for (int64_t k = 0; k < E->rows * E->cols; k++)
        if (!isfinite(E->data[k])) fail_msg("entry %lld is not finite", (long long)k);
}

/* A model whose training logits are NaN from epoch `from` on, as a loss
 * that overflows would leave them. */
typedef struct {
    grl_nn_model base;
    uint64_t from;
} nan_model;

static int nan_forward(grl_nn_model *m, const int64_t *rows, int64_t n, bool training,
                       uint64_t epoch, float *logits, char *msg)
{
    (void)rows, (void)msg;
    const float z = training && epoch >= ((nan_model *)m)->from ? NAN : 0;
    for (int64_t i = 0; i < n * m->nclasses; i++) logits[i] = z;
    return 0;
}

static int no_backward(grl_nn_model *m, const float *dlogits, char *msg)
{
    (void)m, (void)dlogits, (void)msg;
    return 0;
}

/* Training that diverges at the first step, before any update, blames the
 * inputs (it said "lower the learning rate" for 1e30 features); later, the
 * learning rate. */
static void test_divergence_advice(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(temp_file(".txt", "0 1\n1 2\n2 3\n"), 0);
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    assert_ok(grl_node_labels_load(&L, G, temp_file(".txt", "0 0\n1 1\n2 0\n3 1\n"), msg));
    assert_ok(grl_node_splits_load(&S, G, temp_file(".txt", "0 train\n1 train\n2 val\n"
                                                            "3 test\n"), msg));
    grl_nn_params P = {0};
    assert_true(grl_nn_params_add(&P, 1, 1) == 0);
    assert_ok(grl_nn_params_alloc(&P, msg));
    grl_gnn_train_options o;
    grl_gnn_train_options_init(&o);
    o.epochs = 3;
    nan_model m = {{&P, L->nclasses, nan_forward, no_backward}, 1};
    assert_fails(grl_nn_train(&m.base, L, S, 0, &o, NULL, msg), GRL_INVALID_ARGUMENT, msg,
                 "not finite at epoch 1: the inputs are too large (the untrained "
                 "model's loss already overflows, before any update)");
    m.from = 2;
    assert_fails(grl_nn_train(&m.base, L, S, 0, &o, NULL, msg), GRL_INVALID_ARGUMENT, msg,
                 "not finite at epoch 2: lower the learning rate");
    grl_nn_params_release(&P);
    grl_node_splits_free(&S);
    grl_node_labels_free(&L);
    grl_graph_free(&G);
}

static void test_options_init_accepts_null(void **state)
{
    (void)state;
    grl_fastrp_options_init(NULL);
    grl_walk_options_init(NULL);
    grl_ppr_options_init(NULL);
    grl_linkpred_options_init(NULL);
    /* the learners' options too (these once wrote through NULL) */
    grl_node_splits_options_init(NULL);
    grl_optimizer_options_init(NULL);
    grl_fixed_point_options_init(NULL);
    grl_graph_folds_options_init(NULL);
    grl_gvi_options_init(NULL);
    grl_pore_options_init(NULL);
    grl_mpnn_options_init(NULL);
    grl_ncn_options_init(NULL);
    grl_dag_options_init(NULL);
    grl_dag_simulate_options_init(NULL);
    grl_edge_split_options_init(NULL);
    grl_concentration_options_init(NULL);
    grl_gnn_train_options_init(NULL);
    grl_fpgnn_options_init(NULL);
    grl_adpa_options_init(NULL);
}

static void test_threads_are_capped(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    assert_fails(grl_threads_set(100000, msg), GRL_INVALID_ARGUMENT, msg,
                 "at most 1024");
    assert_fails(grl_threads_set(GRL_MAX_THREADS + 1, msg), GRL_INVALID_ARGUMENT,
                 msg, "got 1025");
    assert_ok(grl_threads_set(2, msg));
}

static void test_walk_products_overflow(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path(KARATE), -1);
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = (int64_t)1 << 61;
    int64_t *walks = NULL, count = 0;
    assert_fails(grl_walks_generate(&walks, &count, G, NULL, 0, &o, msg),
                 GRL_INVALID_ARGUMENT, msg, "too large");
    assert_null(walks);
    o.length = 4;
    o.walks_per_node = INT64_MAX / 2;
    assert_fails(grl_walks_generate(&walks, &count, G, NULL, 0, &o, msg),
                 GRL_INVALID_ARGUMENT, msg, "walk count");
    /* run's own check: count x length must fit before anything is written */
    grl_walker *W = NULL;
    grl_walk_options_init(&o);
    assert_ok(grl_walker_new(&W, G, &o, msg));
    int64_t one[80];
    assert_fails(grl_walker_run(W, NULL, 0, 0, INT64_MAX / 8, one, msg),
                 GRL_INVALID_ARGUMENT, msg, "walks x length");
    grl_walker_free(&W);
    grl_graph_free(&G);
}

static void test_node2vec_extreme_p_ends(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    /* a path: from an end, the only neighbour is the previous node */
    grl_graph *G = load_graph(temp_file(".txt", "0 1\n1 2\n2 3\n"), 0);
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 20;
    o.walks_per_node = 4;
    o.p = 1e39;
    int64_t *walks = NULL, count = 0;
    assert_ok(grl_walks_generate(&walks, &count, G, NULL, 0, &o, msg));
    for (int64_t w = 0; w < count; w++)
        for (int64_t k = 1; k < o.length; k++)
            assert_int_equal(llabs(walks[w * o.length + k] - walks[w * o.length + k - 1]), 1);
    free(walks);
    o.p = 1e-320; /* 1/p overflows */
    assert_fails(grl_walks_generate(&walks, &count, G, NULL, 0, &o, msg),
                 GRL_INVALID_ARGUMENT, msg, "1/p");
    grl_graph_free(&G);
}

static void test_mc_walks_bounded(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path(KARATE), -1);
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.method = GRL_PPR_MC;
    int64_t src[1] = {0};
    grl_ppr_result *R = NULL;
    o.mc_walks = (int64_t)1 << 61; /* 34 x 2^61 walk streams wrap; 2^61 spins */
    assert_fails(grl_ppr_top(&R, G, src, 1, 5, &o, msg), GRL_INVALID_ARGUMENT, msg,
                 "1 to 1e12 walks per source");
    assert_null(R);
    o.mc_walks = 1000;
    assert_ok(grl_ppr_top(&R, G, src, 1, 5, &o, msg));
    grl_ppr_result_free(&R);
    grl_graph_free(&G);
}

static void test_topk_product_overflows(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path(KARATE), -1);
    int64_t cand[4];
    double score[4];
    assert_fails(grl_linkpred_topk(G, NULL, 0, INT64_MAX / 4, NULL, cand, score, msg),
                 GRL_INVALID_ARGUMENT, msg, "sources x k");
    grl_graph_free(&G);
}

static grl_dense *fastrp_beta(grl_graph *G, double beta, int *rc, char *msg)
{
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = 16;
    o.beta = beta;
    grl_dense *E = NULL;
    *rc = grl_fastrp_embed(&E, G, &o, msg);
    return E;
}

static void test_fastrp_beta_and_weights(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    int rc;
    grl_graph *G = load_graph(data_path(KARATE), -1);
    grl_dense *E = fastrp_beta(G, 31, &rc, msg); /* NaN rows before */
    assert_int_equal(rc, 0);
    assert_all_finite(E);
    grl_dense_free(&E);
    E = fastrp_beta(G, 32, &rc, msg); /* 17^32 > FLT_MAX */
    assert_fails(rc, GRL_INVALID_ARGUMENT, msg, "beta 32 makes degree^beta overflow");
    assert_null(E);
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = 1;
    o.iterations = 2;
    o.weights[0] = o.weights[1] = 3.4e38;
    assert_fails(grl_fastrp_embed(&E, G, &o, msg), GRL_INVALID_ARGUMENT, msg,
                 "iteration weights");
    grl_graph_free(&G);
    /* edge weights beyond float's range: divided by the degree in double */
    G = load_graph(temp_file(".txt", "0 1 1e39\n1 2 1e39\n2 0 1\n2 3 1e30\n"), 0);
    E = fastrp_beta(G, 0, &rc, msg);
    assert_int_equal(rc, 0);
    assert_all_finite(E);
    grl_dense_free(&E);
    grl_graph_free(&G);
}

static void test_features_are_strict(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path(KARATE), -1);
    GrB_Matrix F = NULL;
    assert_fails(grl_features_load(&F, G, temp_file(".txt", "# dense\n0 0 1 0 2\n"), msg),
                 GRL_PARSE_ERROR, msg, ":2: 5 fields: this looks like a dense matrix");
    assert_fails(grl_features_load(&F, G, temp_file(".txt", "0 1 2\n1 2 3 4\n"), msg),
                 GRL_PARSE_ERROR, msg, ":2: expected `node feature value`, got 4 fields");
    assert_fails(grl_features_load(&F, G, temp_file(".txt", "0 1\n"), msg),
                 GRL_PARSE_ERROR, msg, "got 2 fields");
    /* an id GraphBLAS cannot index is the file's error, named by its line */
    assert_fails(grl_features_load(&F, G, temp_file(".txt",
                 "0 1 1\n0 1152921504606846976 1\n"), msg),
                 GRL_PARSE_ERROR, msg, ":2: feature id 1152921504606846976 is beyond");
    assert_null(F);
    /* values are read whole: 70 characters, not cut at 63 */
    assert_ok(grl_features_load(&F, G, temp_file(".txt",
              "3 2 0.0000000000000000000000000000000000000000000000000000000000000000025\n"),
              msg));
    double x = 0;
    assert_int_equal(GrB_Matrix_extractElement_FP64(&x, F, 3, 2), GrB_SUCCESS);
    assert_double_near(x, 2.5e-66, 1e-78);
    GrB_Matrix_free(&F);
    grl_graph_free(&G);
}

static void test_long_string_ids_whole(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN], id[301], text[1400], line[400];
    memset(id, 'x', 300);
    id[300] = '\0';
    snprintf(text, sizeof text, "%sA %sB\n%sB s\n", id, id, id);
    grl_load_options lo;
    grl_load_options_init(&lo);
    lo.ids = GRL_IDS_STRING;
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, temp_file(".txt", text), &lo, msg));
    GrB_Matrix F = NULL;
    snprintf(line, sizeof line, "%sB 0 1.5\n", id); /* a 301-byte node id */
    assert_ok(grl_features_load(&F, G, temp_file(".txt", line), msg));
    GrB_Index nvals = 0;
    assert_int_equal(GrB_Matrix_nvals(&nvals, F), GrB_SUCCESS);
    assert_int_equal(nvals, 1);
    GrB_Matrix_free(&F);
    grl_graph_free(&G);
}

static void test_linkpred_overflow_named(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path(KARATE), -1);
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    o.method = GRL_LINKPRED_KATZ;
    o.beta = 1e200;
    int64_t u[1] = {0}, v[1] = {9};
    double s[1];
    assert_fails(grl_linkpred_score(G, u, v, 1, &o, s, msg), GRL_INVALID_ARGUMENT,
                 msg, "Katz beta 1e+200");
    int64_t cand[34 * 2];
    double score[34 * 2];
    assert_fails(grl_linkpred_topk(G, NULL, 0, 2, &o, cand, score, msg),
                 GRL_INVALID_ARGUMENT, msg, "Katz beta");
    o.method = GRL_LINKPRED_LP;
    o.epsilon = 1e308;
    assert_fails(grl_linkpred_topk(G, NULL, 0, 2, &o, cand, score, msg),
                 GRL_INVALID_ARGUMENT, msg, "epsilon");
    double tc[34];
    assert_fails(grl_linkpred_concentration(G, &(grl_concentration_options){3, 1e300}, tc, msg),
                 GRL_INVALID_ARGUMENT, msg, "beta 1e+300");
    o.beta = 0.01; /* ordinary values still work */
    o.method = GRL_LINKPRED_KATZ;
    assert_ok(grl_linkpred_score(G, u, v, 1, &o, s, msg));
    assert_true(isfinite(s[0]) && s[0] > 0);
    grl_graph_free(&G);
    G = load_graph(temp_file(".txt", "0 1 1e39\n1 2 1e39\n2 0 1\n2 3 1\n"), 0);
    grl_linkpred_options_init(&o);
    o.method = GRL_LINKPRED_RA;
    o.weighted = true;
    o.alpha = 10;
    assert_fails(grl_linkpred_topk(G, NULL, 0, 2, &o, cand, score, msg),
                 GRL_INVALID_ARGUMENT, msg, "alpha 10");
    grl_graph_free(&G);
}

static void test_nodeclf_refuses_nan(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_dense *E = NULL;
    assert_ok(grl_dense_new(&E, 34, 4, msg));
    for (int64_t k = 0; k < 34 * 4; k++) E->data[k] = (float)(k % 7);
    E->data[5 * 4 + 2] = NAN;
    grl_labels *labels = NULL;
    assert_ok(grl_labels_load(&labels, data_path("karate/labels.txt"), 34, NULL, msg));
    grl_nodeclf_result res;
    assert_fails(grl_nodeclf_evaluate(E, labels, NULL, &res, msg),
                 GRL_INVALID_ARGUMENT, msg, "embedding row 5 holds NaN");
    grl_labels_free(&labels);
    grl_dense_free(&E);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_init_accepts_null),
        cmocka_unit_test(test_threads_are_capped),
        cmocka_unit_test(test_walk_products_overflow),
        cmocka_unit_test(test_node2vec_extreme_p_ends),
        cmocka_unit_test(test_mc_walks_bounded),
        cmocka_unit_test(test_topk_product_overflows),
        cmocka_unit_test(test_fastrp_beta_and_weights),
        cmocka_unit_test(test_features_are_strict),
        cmocka_unit_test(test_long_string_ids_whole),
        cmocka_unit_test(test_linkpred_overflow_named),
        cmocka_unit_test(test_nodeclf_refuses_nan),
        cmocka_unit_test(test_divergence_advice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
