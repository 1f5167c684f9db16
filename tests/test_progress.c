/* test_progress.c — the progress callbacks of PPR, the PPR index and link
 * prediction: called on the calling thread, with done increasing up to
 * total, and without any effect on the result. */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    pthread_t caller;
    int64_t calls, last_done, total;
    bool bad; /* another thread, done not increasing, or total changing */
} trace;

static void record(int64_t done, int64_t total, void *ctx)
{
    trace *t = ctx;
    if (!pthread_equal(pthread_self(), t->caller) || done <= t->last_done ||
        done > total || (t->calls > 0 && total != t->total))
        t->bad = true;
    t->calls++;
    t->last_done = done;
    t->total = total;
}

static trace start_trace(void) { return (trace){.caller = pthread_self()}; }

static void assert_complete(const trace *t, int64_t total, int64_t min_calls)
{
    assert_false(t->bad);
    assert_true(t->calls >= min_calls);
    assert_int_equal(t->last_done, total);
    assert_int_equal(t->total, total);
}

/* The same entries, by value. */
static void assert_same_matrix(GrB_Matrix A, GrB_Matrix B)
{
    GrB_Index na, nb;
    assert_int_equal(GrB_Matrix_nvals(&na, A), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_nvals(&nb, B), GrB_SUCCESS);
    assert_int_equal(na, nb);
    GrB_Index *I[2], *J[2];
    double *X[2];
    GrB_Matrix M[2] = {A, B};
    for (int s = 0; s < 2; s++) {
        I[s] = malloc((na + 1) * sizeof(GrB_Index));
        J[s] = malloc((na + 1) * sizeof(GrB_Index));
        X[s] = malloc((na + 1) * sizeof(double));
        GrB_Index n = na;
        assert_int_equal(GrB_Matrix_wait(M[s], GrB_MATERIALIZE), GrB_SUCCESS);
        assert_int_equal(GrB_Matrix_extractTuples_FP64(I[s], J[s], X[s], &n, M[s]), 0);
    }
    assert_memory_equal(I[0], I[1], na * sizeof(GrB_Index));
    assert_memory_equal(J[0], J[1], na * sizeof(GrB_Index));
    assert_memory_equal(X[0], X[1], na * sizeof(double));
    for (int s = 0; s < 2; s++) {
        free(I[s]);
        free(J[s]);
        free(X[s]);
    }
}

static void test_ppr(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), 0);
    int64_t src[34];
    for (int64_t i = 0; i < 34; i++) src[i] = 33 - i;
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.method = GRL_PPR_PUSH;
    grl_ppr_result *R = NULL, *Q = NULL;
    assert_ok(grl_ppr_top(&R, G, src, 34, 5, &o, msg));
    trace t = start_trace();
    o.progress = record;
    o.progress_ctx = &t;
    assert_ok(grl_ppr_top(&Q, G, src, 34, 5, &o, msg));
    assert_complete(&t, 34, 1);
    assert_memory_equal(R->node, Q->node, 34 * 5 * sizeof(int64_t));
    assert_memory_equal(R->score, Q->score, 34 * 5 * sizeof(double));
    grl_ppr_result_free(&R);
    grl_ppr_result_free(&Q);
    grl_graph_free(&G);
}

static void test_ppr_index(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    int64_t n = grl_graph_num_nodes(G);
    grl_ppr_index_options o;
    grl_ppr_index_options_init(&o);
    o.walks = 10;
    grl_ppr_index *I = NULL, *J = NULL;
    assert_ok(grl_ppr_index_build(&I, G, &o, msg));
    trace t = start_trace();
    o.progress = record;
    o.progress_ctx = &t;
    assert_ok(grl_ppr_index_build(&J, G, &o, msg));
    /* about 100 slices of nodes in each of the two passes */
    assert_complete(&t, 2 * n, 2 * 50);
    assert_same_matrix(grl_ppr_index_matrix(I), grl_ppr_index_matrix(J));
    grl_ppr_index_free(&I);
    grl_ppr_index_free(&J);
    grl_graph_free(&G);
}

static void test_linkpred(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), 0);
    enum { N = 34, K = 3 };
    int64_t u[N * N], v[N * N], cand[2][N * K];
    double score[2][N * N], top[2][N * K];
    for (int64_t i = 0; i < N * N; i++) {
        u[i] = i / N;
        v[i] = i % N;
    }
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    o.block_entries = 64; /* many blocks of sources where there are blocks */
    trace t;
    /* AA: one masked product serves all pairs; KATZ with paths of 5: blocks;
     * top-k: blocks */
    for (int katz = 0; katz < 2; katz++) {
        o.method = katz ? GRL_LINKPRED_KATZ : GRL_LINKPRED_AA;
        o.katz_length = katz ? 5 : 3;
        o.progress = NULL;
        assert_ok(grl_linkpred_score(G, u, v, N * N, &o, score[0], msg));
        t = start_trace();
        o.progress = record;
        o.progress_ctx = &t;
        assert_ok(grl_linkpred_score(G, u, v, N * N, &o, score[1], msg));
        assert_complete(&t, N * N, katz ? 3 : 1);
        assert_memory_equal(score[0], score[1], sizeof score[0]);
    }
    o.method = GRL_LINKPRED_AA;
    o.progress = NULL;
    assert_ok(grl_linkpred_topk(G, NULL, N, K, &o, cand[0], top[0], msg));
    t = start_trace();
    o.progress = record;
    assert_ok(grl_linkpred_topk(G, NULL, N, K, &o, cand[1], top[1], msg));
    assert_complete(&t, N, 3);
    assert_memory_equal(cand[0], cand[1], sizeof cand[0]);
    assert_memory_equal(top[0], top[1], sizeof top[0]);
    grl_graph_free(&G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ppr),
        cmocka_unit_test(test_ppr_index),
        cmocka_unit_test(test_linkpred),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
