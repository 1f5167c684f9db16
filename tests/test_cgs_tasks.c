/* test_cgs_tasks.c — CGS for node regression on graph sets (gnn/cgs_head.c
 * behind the message-passing encoder, grl_mpnn's GRL_MPNN_CGS model):
 * implicit gradients against central finite differences (loss in double)
 * through encoder, fixed point and decoder, and against back-propagation
 * unrolled in double through 80 steps of the map; the trained model
 * against the best constant on held-out pore networks, bit-identical with 1
 * and 2 threads; the solver's cap as a warning; bad options. */
#include "testutil.h"
#include "../gnn/cgs_head.h"
#include "../gnn/message_passing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { HEADS = 3, HID = 5, OUT = 2, NODE_IN = 4 };

/* A message-passing layer emitting HEADS arc logits and node biases, the
 * CGS head on them, a weighted sum of the predictions as the loss. */
typedef struct {
    grl_graph_set *S;
    grl_mp_graph G;
    grl_fp_arcs A;
    grl_mp_layer L;
    grl_cgs_head H;
    grl_nn_params P;
    grl_mp_cache C;
    float *h, *b, *pred, *w, *ds, *db;
} cgs_case;

static void cgs_case_new(cgs_case *c, uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    memset(c, 0, sizeof(*c));
    assert_ok(grl_gvi_generate(&c->S, 2, seed, NULL, msg));
    const grl_graph_set *S = c->S;
    assert_ok(grl_mp_graph_build(&c->G, S->nodes, S->arcs, S->in_ptr, S->arc_source, msg));
    assert_ok(grl_fp_arcs_init(&c->A, S->nodes, S->arcs, S->in_ptr, S->arc_source, msg));
    assert_ok(grl_mp_layer_add(&c->L, &c->P, NODE_IN, 1, HEADS, HID, HEADS, GRL_NN_TANH,
                               msg));
    grl_fixed_point_options so = {1e-7, 500};
    assert_ok(grl_cgs_head_add(&c->H, &c->P, HEADS, HID, OUT, 0.5, &so, GRL_NN_TANH, msg));
    assert_ok(grl_nn_params_alloc(&c->P, msg));
    grl_mp_layer_init(&c->L, &c->P, seed);
    grl_cgs_head_init(&c->H, &c->P, seed);
    /* the logits' layer biases shifted so about half the logits fall
     * inside [0, 1], where the clip passes gradients */
    float *eb2 = grl_nn_value(&c->P, c->L.edge_b2);
    for (int k = 0; k < HEADS; k++) eb2[k] += 0.5f;
    const int64_t n = S->nodes, a = S->arcs;
    c->h = malloc(sizeof(float) * n * NODE_IN);
    c->b = malloc(sizeof(float) * n * HEADS);
    c->pred = malloc(sizeof(float) * n * OUT);
    c->w = malloc(sizeof(float) * n * OUT);
    c->ds = malloc(sizeof(float) * a * HEADS);
    c->db = malloc(sizeof(float) * n * HEADS);
    fill_uniform(c->h, n * NODE_IN, seed, 1, 1.0);
    fill_uniform(c->w, n * OUT, seed, 2, 1.0);
}

static void cgs_case_free(cgs_case *c)
{
    grl_cgs_head_release(&c->H);
    grl_mp_cache_release(&c->C);
    grl_nn_params_release(&c->P);
    grl_fp_arcs_release(&c->A);
    grl_mp_graph_release(&c->G);
    grl_graph_set_free(c->S);
    free(c->h);
    free(c->b);
    free(c->pred);
    free(c->w);
    free(c->ds);
    free(c->db);
}

static double cgs_loss(cgs_case *c)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_mp_forward(&c->L, &c->P, &c->G, c->h, c->S->arc_x, &c->C, c->b, msg));
    assert_int_equal(grl_cgs_head_forward(&c->H, &c->P, &c->A, c->C.u, c->b, c->pred, msg),
                     0);
    return weighted_sum(c->pred, c->w, c->S->nodes * OUT);
}

/* Gradients of the last cgs_loss into P.grad (zeroed first), ds and db. */
static void cgs_backward(cgs_case *c, float *dh)
{
    char msg[GRL_MSG_LEN];
    memset(c->P.grad, 0, sizeof(float) * c->P.count);
    assert_int_equal(grl_cgs_head_backward(&c->H, &c->P, &c->A, c->C.u, c->w, c->ds,
                                           c->db, msg), 0);
    assert_ok(grl_mp_backward(&c->L, &c->P, &c->G, &c->C, c->db, c->ds, dh, NULL, msg));
}

/* Every parameter of encoder and decoder, and a sample of node inputs:
 * central differences (step 1e-2) of the loss in double. Parameters whose
 * step moves some logit across 0 or 1 (the clip's kinks) would make the
 * difference one-sided; the shifted biases keep the logits away from
 * them at this step for this seed (a failure names the entry). */
static void test_cgs_gradients_finite_differences(void **state)
{
    (void)state;
    cgs_case c;
    cgs_case_new(&c, 31);
    const int64_t n = c.S->nodes;
    float *dh = malloc(sizeof(float) * n * NODE_IN);
    cgs_loss(&c);
    cgs_backward(&c, dh);
    int64_t inside = 0;
    for (int64_t p = 0; p < c.S->arcs * HEADS; p++) inside += c.C.u[p] > 0 && c.C.u[p] < 1;
    /* the clip passes some logits and stops others: both branches checked */
    assert_true(inside > c.S->arcs / 4 && inside < c.S->arcs * HEADS);
    assert_true(c.H.forward.bound <= 0.5 + 1e-6 && c.H.forward.iterations >= 5);
    float *grad = malloc(sizeof(float) * c.P.count);
    memcpy(grad, c.P.grad, sizeof(float) * c.P.count);
    const double scale = max_abs(grad, (int64_t)c.P.count);
    for (size_t p = 0; p < c.P.count; p++)
        assert_grad_close(FD(cgs_loss(&c), c.P.value, p, 1e-2), grad[p], scale, 2e-3, 2e-2,
                          "param", (int64_t)p);
    for (int64_t i = 0; i < n * NODE_IN; i += 5)
        assert_grad_close(FD(cgs_loss(&c), c.h, i, 1e-2), dh[i], scale, 2e-3, 2e-2, "h", i);
    free(grad);
    free(dh);
    cgs_case_free(&c);
}

/* dL/ds and dL/db against back-propagation through T unrolled steps of
 * h_t = γ A h_{t-1} + b from h_0 = 0, in double, with the head's weights. */
static void test_cgs_gradients_unrolled(void **state)
{
    (void)state;
    cgs_case c;
    cgs_case_new(&c, 8);
    cgs_loss(&c);
    cgs_backward(&c, NULL);
    const grl_fp_arcs *A = &c.A;
    const int64_t n = A->n, m = HEADS, T = 80;
    const double gamma = 0.5;
    double *h = calloc((size_t)((T + 1) * n * m), sizeof(double));
    double *g = malloc(sizeof(double) * n * m), *gn = malloc(sizeof(double) * n * m);
    double *db = calloc((size_t)(n * m), sizeof(double));
    double *dw = calloc((size_t)(A->arcs * m), sizeof(double));
    for (int64_t t = 1; t <= T; t++)
        for (int64_t i = 0; i < n; i++)
            for (int64_t k = 0; k < m; k++) {
                double s = c.b[i * m + k];
                for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
                    s += gamma * c.H.wa[p * m + k] * h[((t - 1) * n + A->src[p]) * m + k];
                h[(t * n + i) * m + k] = s;
            }
    for (int64_t e = 0; e < n * m; e++) g[e] = c.H.dhf[e]; /* dL/dh_T */
    for (int64_t t = T; t >= 1; t--) {
        memset(gn, 0, sizeof(double) * n * m);
        for (int64_t i = 0; i < n; i++)
            for (int64_t k = 0; k < m; k++) {
                db[i * m + k] += g[i * m + k];
                for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++) {
                    int64_t j = A->src[p];
                    dw[p * m + k] += gamma * g[i * m + k] * h[((t - 1) * n + j) * m + k];
                    gn[j * m + k] += gamma * c.H.wa[p * m + k] * g[i * m + k];
                }
            }
        memcpy(g, gn, sizeof(double) * n * m);
    }
    double scale = 0;
    for (int64_t e = 0; e < n * m; e++) scale = fmax(scale, fabs(db[e]));
    for (int64_t e = 0; e < n * m; e++)
        assert_grad_close(db[e], c.db[e], scale, 1e-5, 1e-4, "dL/db vs unrolled", e);
    int64_t passed = 0;
    for (int64_t p = 0; p < A->arcs; p++) {
        int64_t j = A->src[p], deg = A->out_ptr[j + 1] - A->out_ptr[j];
        for (int64_t k = 0; k < m; k++) {
            float s = c.C.u[p * m + k];
            double want = s >= 0 && s <= 1 ? dw[p * m + k] / (double)deg : 0.0;
            passed += s >= 0 && s <= 1;
            assert_grad_close(want, c.ds[p * m + k], scale, 1e-5, 1e-4, "dL/ds vs unrolled",
                              p * m + k);
        }
    }
    assert_true(passed > 0);
    free(h);
    free(g);
    free(gn);
    free(db);
    free(dw);
    cgs_case_free(&c);
}

/* Pore networks: CGS must halve the best constant's error on held-out
 * graphs and train to the same bits with 1 and 2 threads. */
static void test_cgs_learns_pressures_deterministically(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_pore_options po;
    grl_pore_options_init(&po);
    po.min_pores = 40;
    po.max_pores = 60;
    grl_graph_set *train = NULL, *test = NULL;
    assert_ok(grl_pore_generate(&train, 40, 1, &po, msg));
    assert_ok(grl_pore_generate(&test, 10, 2, &po, msg));
    grl_mpnn_options o;
    grl_mpnn_options_init(&o);
    o.model = GRL_MPNN_CGS;
    o.layers = 2;
    o.hidden = 16;
    o.heads = 8;
    o.batch_graphs = 8;
    o.train.epochs = 40;
    o.train.optimizer.lr = 3e-3;
    float *pred[2];
    grl_mpnn_train_result r[2];
    for (int t = 0; t < 2; t++) {
        assert_ok(grl_threads_set(t + 1, msg));
        grl_mpnn *M = NULL;
        assert_int_equal(grl_mpnn_train(&M, &r[t], train, &o, msg), 0);
        pred[t] = malloc(sizeof(float) * test->nodes);
        assert_int_equal(grl_mpnn_predict(M, test, pred[t], msg), 0);
        grl_mpnn_free(&M);
    }
    assert_memory_equal(pred[0], pred[1], sizeof(float) * test->nodes);
    assert_true(r[0].val_mse == r[1].val_mse && r[0].best_epoch == r[1].best_epoch);
    /* 36 training graphs in batches of 8: 5 steps an epoch, one solve each */
    assert_int_equal(r[0].solves, 5 * r[0].epochs_run);
    assert_int_equal(r[0].capped, 0);
    assert_true(r[0].forward_iterations >= 1 && r[0].forward_iterations <= 50);
    assert_true(r[0].adjoint_iterations >= 1 && r[0].adjoint_iterations <= 50);
    double mean = 0, var = 0, mse = 0;
    for (int64_t i = 0; i < test->nodes; i++) mean += test->node_y[i];
    mean /= test->nodes;
    for (int64_t i = 0; i < test->nodes; i++) {
        var += pow(test->node_y[i] - mean, 2);
        mse += pow(test->node_y[i] - pred[0][i], 2);
    }
    if (!(mse < 0.5 * var)) fail_msg("MSE %g, variance %g", mse / test->nodes, var / test->nodes);
    /* one iteration cannot reach 1e-6: a warning, and a usable model */
    grl_mpnn *M = NULL;
    o.train.epochs = 1;
    o.solver.max_iter = 1;
    assert_int_equal(grl_mpnn_train(&M, &r[0], train, &o, msg), GRL_NOT_CONVERGED);
    assert_non_null(strstr(msg, "stopped at the cap of 1 iterations"));
    assert_true(r[0].capped > 0);
    assert_int_equal(grl_mpnn_predict(M, test, pred[0], msg), GRL_NOT_CONVERGED);
    for (int64_t i = 0; i < test->nodes; i++) assert_true(isfinite(pred[0][i]));
    grl_mpnn_free(&M);
    /* options out of range */
    o.solver.max_iter = 50;
    o.heads = 0;
    assert_int_equal(grl_mpnn_train(&M, NULL, train, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "heads"));
    o.heads = 4;
    o.gamma = 1.0;
    assert_int_equal(grl_mpnn_train(&M, NULL, train, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "gamma"));
    o.gamma = 0.5;
    o.solver.tol = 0;
    assert_int_equal(grl_mpnn_train(&M, NULL, train, &o, msg), GRL_INVALID_ARGUMENT);
    o.solver.tol = 1e-6;
    o.model = (grl_mpnn_model)7;
    assert_int_equal(grl_mpnn_train(&M, NULL, train, &o, msg), GRL_INVALID_ARGUMENT);
    assert_null(M);
    free(pred[0]);
    free(pred[1]);
    grl_graph_set_free(train);
    grl_graph_set_free(test);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cgs_gradients_finite_differences),
        cmocka_unit_test(test_cgs_gradients_unrolled),
        cmocka_unit_test(test_cgs_learns_pressures_deterministically),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
