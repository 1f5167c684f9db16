/* test_msg.c — `msg` is cleared on entry to every public function, so a stale
 * message never survives a success; and warnings (GRL_NOT_CONVERGED) still
 * arrive with their message through the layers that call each other. */
#include "testutil.h"

#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grl/igraph_bridge.h"

/* `call` must succeed (status 0) and leave msg empty though it held text. */
#define CLEARS(call)                                                          \
    do {                                                                      \
        snprintf(msg, GRL_MSG_LEN, "stale");                                  \
        int rc_ = (call);                                                     \
        if (rc_ != 0) fail_msg("%s -> %d: %s", #call, rc_, msg);              \
        if (msg[0] != '\0') fail_msg("%s left msg '%s'", #call, msg);         \
    } while (0)

/* `call` must return the warning GRL_NOT_CONVERGED with a fresh message. */
#define WARNS(call)                                                           \
    do {                                                                      \
        snprintf(msg, GRL_MSG_LEN, "stale");                                  \
        int rc_ = (call);                                                     \
        if (rc_ != GRL_NOT_CONVERGED)                                         \
            fail_msg("%s -> %d (expected GRL_NOT_CONVERGED): %s", #call, rc_, \
                     msg);                                                    \
        if (strlen(msg) < 20 || strcmp(msg, "stale") == 0)                    \
            fail_msg("%s: warning without a message ('%s')", #call, msg);     \
    } while (0)

#define KARATE_N 34

static void test_core_and_graph(void **state)
{
    char msg[GRL_MSG_LEN];
    CLEARS(grl_init(msg));
    CLEARS(grl_threads_set(2, msg));
    grl_dense *D = NULL, *D2 = NULL;
    CLEARS(grl_dense_new(&D, 3, 2, msg));
    const char *npy = temp_file(".npy", "");
    CLEARS(grl_dense_save_npy(D, npy, msg));
    CLEARS(grl_dense_load_npy(&D2, npy, msg));
    grl_dense_free(&D);
    grl_dense_free(&D2);

    grl_format f;
    grl_id_kind ik;
    grl_self_loop_policy sl;
    grl_duplicate_policy dp;
    grl_propagation pr;
    grl_ppr_method pm;
    grl_dangling_policy dg;
    grl_linkpred_method lm;
    grl_linkpred_pattern lpat;
    CLEARS(grl_format_parse("csv", &f, msg));
    CLEARS(grl_id_kind_parse("string", &ik, msg));
    CLEARS(grl_self_loop_policy_parse("drop", &sl, msg));
    CLEARS(grl_duplicate_policy_parse("sum", &dp, msg));
    CLEARS(grl_propagation_parse("both", &pr, msg));
    CLEARS(grl_ppr_method_parse("push", &pm, msg));
    CLEARS(grl_dangling_policy_parse("uniform", &dg, msg));
    CLEARS(grl_linkpred_method_parse("aa", &lm, msg));
    CLEARS(grl_linkpred_pattern_parse("path", &lpat, msg));

    grl_graph *G = NULL, *H = NULL, *R = NULL;
    CLEARS(grl_graph_load(&G, data_path("karate/edges.txt"), NULL, msg));
    const char *saved = temp_file(".grl", "");
    CLEARS(grl_graph_save(G, saved, GRL_FORMAT_AUTO, msg));
    int64_t src[] = {0, 1}, dst[] = {1, 2};
    CLEARS(grl_graph_from_edges(&H, 3, src, dst, NULL, 2, false, NULL, msg));
    grl_graph_free(&H);
    GrB_Matrix A = NULL, AT = NULL;
    assert_int_equal(GrB_Matrix_new(&A, GrB_FP64, 2, 2), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_setElement_FP64(A, 1.0, 0, 1), GrB_SUCCESS);
    CLEARS(grl_graph_from_matrix(&H, &A, true, false, msg));
    CLEARS(grl_graph_transpose(H, &AT, msg));
    GrB_Matrix_free(&AT);
    grl_graph_free(&H);
    const double *deg;
    CLEARS(grl_graph_degree(G, GRL_OUT, false, &deg, msg));
    int64_t index;
    CLEARS(grl_graph_node_index(G, "5", &index, msg));
    grl_graph_info info;
    CLEARS(grl_graph_summary(G, &info, msg));
    int64_t comp[KARATE_N], ncomp, part[KARATE_N], offsets[3];
    CLEARS(grl_graph_components(G, comp, &ncomp, msg));
    grl_partition_info pinfo;
    CLEARS(grl_partition_compute(G, 2, NULL, part, &pinfo, msg));
    CLEARS(grl_partition_evaluate(G, part, 2, &pinfo, msg));
    CLEARS(grl_graph_reorder(&R, G, part, 2, offsets, msg));
    grl_graph_free(&R);
    int64_t *hoff = NULL, *hnodes = NULL;
    CLEARS(grl_partition_halos(&hoff, &hnodes, G, part, 2, msg));
    grl_free(hoff);
    grl_free(hnodes);

    CLEARS(grl_graph_generate_erdos_renyi(&H, 20, 30, false, 1, msg));
    grl_graph_free(&H);
    CLEARS(grl_graph_generate_barabasi_albert(&H, 20, 2, 1, msg));
    grl_graph_free(&H);
    int64_t sizes[] = {5, 5};
    double pref[] = {0.5, 0.1, 0.1, 0.5};
    CLEARS(grl_graph_generate_sbm(&H, 2, sizes, pref, false, 1, msg));
    grl_graph_free(&H);
    igraph_t ig;
    CLEARS(grl_graph_to_igraph(G, &ig, NULL, msg));
    CLEARS(grl_graph_from_igraph(&H, &ig, NULL, NULL, msg));
    igraph_destroy(&ig);
    grl_graph_free(&H);

    grl_graph_free(&G);
}

static void test_embed_and_walks(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), 0);
    grl_fastrp_options fo;
    grl_fastrp_options_init(&fo);
    fo.dim = 8;
    grl_dense *E = NULL;
    CLEARS(grl_fastrp_embed(&E, G, &fo, msg));
    grl_dense_free(&E);
    GrB_Matrix F = NULL;
    CLEARS(grl_features_load(&F, G, temp_file(".txt", "0 0 1.5\n3 1 2\n"), msg));
    GrB_Matrix_free(&F);

    grl_walk_options wo;
    grl_walk_options_init(&wo);
    wo.length = 5;
    wo.walks_per_node = 1;
    grl_walker *W = NULL;
    int64_t starts[] = {0, 5}, out[10];
    CLEARS(grl_walker_new(&W, G, &wo, msg));
    CLEARS(grl_walker_run(W, starts, 2, 0, 2, out, msg));
    grl_walker_free(&W);
    int64_t *walks = NULL, count;
    CLEARS(grl_walks_generate(&walks, &count, G, starts, 2, &wo, msg));
    grl_free(walks);

    GrB_Matrix P = NULL;
    grl_ppr_result *R = NULL;
    CLEARS(grl_ppr_compute(&P, G, starts, 2, NULL, msg));
    CLEARS(grl_ppr_result_from_matrix(&R, P, starts, 3, msg));
    grl_ppr_result_free(&R);
    GrB_Matrix_free(&P);
    CLEARS(grl_ppr_top(&R, G, starts, 2, 3, NULL, msg));
    grl_ppr_result_free(&R);
    grl_ppr_index_options io;
    grl_ppr_index_options_init(&io);
    io.walks = 4;
    grl_ppr_index *I = NULL, *J = NULL;
    CLEARS(grl_ppr_index_build(&I, G, &io, msg));
    const char *path = temp_file(".idx", "");
    CLEARS(grl_ppr_index_save(I, path, msg));
    CLEARS(grl_ppr_index_load(&J, path, msg));
    int64_t n, nw, entries;
    double alpha;
    CLEARS(grl_ppr_index_info(J, &n, &nw, &alpha, &entries, msg));
    grl_ppr_index_free(&I);
    grl_ppr_index_free(&J);

    /* exact PPR at its iteration limit: a warning with its message, through
     * the block loop that calls further functions after it */
    grl_ppr_options po;
    grl_ppr_options_init(&po);
    po.max_iter = 2;
    WARNS(grl_ppr_compute(&P, G, starts, 2, &po, msg));
    GrB_Matrix_free(&P);
    WARNS(grl_ppr_top(&R, G, starts, 2, 3, &po, msg));
    grl_ppr_result_free(&R);
    grl_graph_free(&G);
}

static void test_linkpred(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), 0);
    int64_t u[] = {0, 5}, v[] = {33, 6}, cand[4];
    double score[4], tc[KARATE_N];
    CLEARS(grl_linkpred_score(G, u, v, 2, NULL, score, msg));
    CLEARS(grl_linkpred_topk(G, u, 2, 2, NULL, cand, score, msg));
    CLEARS(grl_linkpred_concentration(G, NULL, tc, msg));
    grl_edge_split *S = NULL;
    CLEARS(grl_edge_split_new(&S, G, NULL, msg));
    grl_edge_split_free(&S);
    int64_t nu[3], nv[3];
    CLEARS(grl_linkpred_negatives(G, 3, 1, nu, nv, msg));
    double pos[] = {0.9, 0.4}, neg[] = {0.5, 0.1, 0.2}, hits;
    grl_linkpred_metrics m;
    CLEARS(grl_linkpred_hits(pos, 2, neg, 3, 2, &hits, msg));
    CLEARS(grl_linkpred_evaluate(pos, 2, neg, 3, &m, msg));
    grl_graph_free(&G);
}

/* f(x) = sum (x_i - i)^2 */
static int quadratic(const double *x, double *grad, double *f, void *ctx)
{
    *f = 0;
    for (int i = 0; i < 3; i++) {
        *f += (x[i] - i) * (x[i] - i);
        grad[i] = 2 * (x[i] - i);
    }
    return 0;
}

/* 8 samples, 2 features, labels that a line separates only roughly */
static const double X[16] = {0, 1, 1, 0, 2, 1, 1, 3, 3, 2, 0, 2, 2, 2, 4, 1};
static const uint8_t Y[16] = {0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1};

static void test_optim(void **state)
{
    char msg[GRL_MSG_LEN];
    double x[3] = {0}, w[2], b, Wo[4], bo[2];
    uint8_t y[8];
    for (int i = 0; i < 8; i++) y[i] = Y[2 * i];
    CLEARS(grl_lbfgs_minimize(quadratic, NULL, 3, x, NULL, NULL, msg));
    CLEARS(grl_logreg_fit(X, 8, 2, y, NULL, w, &b, NULL, msg));
    CLEARS(grl_logreg_fit_ovr(X, 8, 2, Y, 2, NULL, Wo, bo, NULL, msg));

    grl_labels *L = NULL;
    int64_t node[] = {0, 1, 2}, label[] = {0, 1, 1};
    CLEARS(grl_labels_from_pairs(&L, 3, 2, node, label, 3, msg));
    grl_labels_free(&L);
    CLEARS(grl_labels_load(&L, data_path("karate/labels.txt"), KARATE_N, NULL, msg));
    uint8_t yt[] = {1, 0, 1, 1}, yp[] = {1, 0, 0, 1};
    double micro, macro;
    CLEARS(grl_nodeclf_f1_scores(yt, yp, 2, 2, &micro, &macro, msg));
    grl_dense *E = NULL;
    assert_ok(grl_dense_new(&E, KARATE_N, 2, msg));
    for (int64_t i = 0; i < 2 * KARATE_N; i++) E->data[i] = (float)((i * 7) % 5);
    grl_nodeclf_options no;
    grl_nodeclf_options_init(&no);
    no.train_fraction = 0.5;
    no.repeats = 2;
    grl_nodeclf_result res;
    CLEARS(grl_nodeclf_evaluate(E, L, &no, &res, msg));

    /* the warnings of every layer keep their message: L-BFGS alone, through
     * logistic regression (one label and one-vs-rest) and node
     * classification (which calls further functions after the fits) */
    grl_lbfgs_options lo;
    grl_lbfgs_options_init(&lo);
    lo.max_iter = 1;
    x[0] = x[1] = x[2] = 10;
    WARNS(grl_lbfgs_minimize(quadratic, NULL, 3, x, &lo, NULL, msg));
    grl_logreg_options ro;
    grl_logreg_options_init(&ro);
    ro.lbfgs.max_iter = 1;
    WARNS(grl_logreg_fit(X, 8, 2, y, &ro, w, &b, NULL, msg));
    WARNS(grl_logreg_fit_ovr(X, 8, 2, Y, 2, &ro, Wo, bo, NULL, msg));
    no.logreg.lbfgs.max_iter = 1;
    WARNS(grl_nodeclf_evaluate(E, L, &no, &res, msg));
    assert_true(res.not_converged > 0);
    grl_dense_free(&E);
    grl_labels_free(&L);
}

static void test_finalize(void **state)
{
    char msg[GRL_MSG_LEN];
    CLEARS(grl_finalize(msg));
    CLEARS(grl_finalize(msg));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_and_graph),
        cmocka_unit_test(test_embed_and_walks),
        cmocka_unit_test(test_linkpred),
        cmocka_unit_test(test_optim),
        cmocka_unit_test(test_finalize), /* last: GraphBLAS is gone after it */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
