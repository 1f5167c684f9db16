/* test_gnn_tasks.c — the generated tasks of issue 12 against independent
 * checks: graph value iteration against the Bellman equation evaluated by
 * brute force and against the exact fixed point iterated to 1e-13 in the
 * test, its policies and metrics against direct counts; the pore networks'
 * pressures against a dense LAPACK solve of the same linear system, and
 * both generators' determinism (1 vs 2 threads) and file round trips. */
#include "testutil.h"
#include "../gnn/message_passing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lapacke.h>

/* ---- graph value iteration --------------------------------------------- */

static void test_gvi_structure(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = NULL;
    assert_ok(grl_gvi_generate(&S, 400, 11, NULL, msg));
    assert_int_equal(grl_graph_set_check(S, msg), 0);
    int64_t hit_states[50] = {0}, hit_actions[10] = {0};
    double reward_sum = 0;
    for (int64_t g = 0; g < S->ngraphs; g++) {
        int64_t lo = S->graph_ptr[g], hi = S->graph_ptr[g + 1], ns = hi - lo;
        assert_in_range(ns, 20, 49);
        hit_states[ns]++;
        int64_t na = S->in_ptr[lo + 1] - S->in_ptr[lo];
        assert_in_range(na, 5, 9);
        hit_actions[na]++;
        for (int64_t i = lo; i < hi; i++) {
            assert_int_equal(S->in_ptr[i + 1] - S->in_ptr[i], na);
            assert_true(S->node_x[i] == 1.0f);
            for (int64_t k = S->in_ptr[i]; k < S->in_ptr[i + 1]; k++) {
                assert_true(S->arc_source[k] != i);
                assert_true(S->arc_x[k] >= -1.0f && S->arc_x[k] < 1.0f);
                reward_sum += S->arc_x[k];
            }
        }
    }
    /* every size of the ranges occurs, rewards centred on 0 */
    for (int ns = 20; ns < 50; ns++) assert_true(hit_states[ns] > 0);
    for (int na = 5; na < 10; na++) assert_true(hit_actions[na] > 0);
    assert_double_near(reward_sum / S->arcs, 0.0, 0.02);
    grl_graph_set_free(S);
}

/* Bellman: V(i) = max over arcs (r + 0.9 V(src)). The generator stops when
 * successive iterates agree to 1e-3 (+1e-5 |V|), so the stored V satisfies
 * the equation to 0.9 x that, and lies within that x 0.9 / 0.1 of the exact
 * fixed point, computed here by iterating in double until nothing moves. */
static void test_gvi_bellman_brute_force(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = NULL;
    assert_ok(grl_gvi_generate(&S, 60, 5, NULL, msg));
    int64_t n = S->nodes;
    double *exact = calloc((size_t)n, sizeof(double)), *next = calloc((size_t)n, sizeof(double));
    int64_t *policy = malloc(sizeof(int64_t) * n);
    for (int it = 0; it < 1000; it++) {
        double moved = 0;
        for (int64_t i = 0; i < n; i++) {
            double best = -INFINITY;
            for (int64_t k = S->in_ptr[i]; k < S->in_ptr[i + 1]; k++)
                best = fmax(best, S->arc_x[k] + 0.9 * exact[S->arc_source[k]]);
            next[i] = best;
            moved = fmax(moved, fabs(best - exact[i]));
        }
        memcpy(exact, next, sizeof(double) * n);
        if (moved < 1e-13) break;
    }
    assert_ok(grl_gvi_policy(S, S->node_y, 0.9, policy, msg));
    for (int64_t i = 0; i < n; i++) {
        double v = S->node_y[i], best = -INFINITY;
        int64_t arg = -1;
        for (int64_t k = S->in_ptr[i]; k < S->in_ptr[i + 1]; k++) {
            double q = S->arc_x[k] + 0.9 * (double)S->node_y[S->arc_source[k]];
            if (q > best) best = q, arg = k;
        }
        assert_double_near(v, best, 0.9 * (1e-3 + 1e-5 * fabs(v)) + 1e-5);
        assert_double_near(v, exact[i], 9 * (1e-3 + 1e-5 * fabs(v)) + 1e-5);
        assert_int_equal(policy[i], arg);
        assert_true(policy[i] >= S->in_ptr[i] && policy[i] < S->in_ptr[i + 1]);
    }
    free(exact);
    free(next);
    free(policy);
    grl_graph_set_free(S);
}

static void test_gvi_metrics(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = NULL;
    assert_ok(grl_gvi_generate(&S, 8, 3, NULL, msg));
    int64_t n = S->nodes;
    float *pred = malloc(sizeof(float) * n);
    double mape, acc;
    assert_ok(grl_gvi_evaluate(S, S->node_y, 0.9, &mape, &acc, msg));
    assert_double_near(mape, 0.0, 0.0);
    assert_double_near(acc, 1.0, 0.0);
    /* 10% too high everywhere: the MAPE is 10; scaling every value keeps the
     * argmax only where it does not change it, counted here directly */
    for (int64_t i = 0; i < n; i++) pred[i] = S->node_y[i] * 1.1f;
    assert_ok(grl_gvi_evaluate(S, pred, 0.9, &mape, &acc, msg));
    assert_double_near(mape, 10.0, 1e-3);
    int64_t *a = malloc(sizeof(int64_t) * n), *b = malloc(sizeof(int64_t) * n);
    assert_ok(grl_gvi_policy(S, S->node_y, 0.9, a, msg));
    assert_ok(grl_gvi_policy(S, pred, 0.9, b, msg));
    double acc_sum = 0;
    for (int64_t g = 0; g < S->ngraphs; g++) {
        int64_t lo = S->graph_ptr[g], hi = S->graph_ptr[g + 1], same = 0;
        for (int64_t i = lo; i < hi; i++) same += a[i] == b[i];
        acc_sum += (double)same / (hi - lo);
    }
    assert_double_near(acc, acc_sum / S->ngraphs, 1e-12);
    pred[3] = NAN;
    assert_int_equal(grl_gvi_evaluate(S, pred, 0.9, &mape, &acc, msg), GRL_INVALID_ARGUMENT);
    free(a);
    free(b);
    free(pred);
    grl_graph_set_free(S);
}

static void test_gvi_threads_files_and_options(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *a = NULL, *b = NULL, *c = NULL;
    assert_ok(grl_threads_set(1, msg));
    assert_ok(grl_gvi_generate(&a, 300, 9, NULL, msg));
    assert_ok(grl_threads_set(2, msg));
    assert_ok(grl_gvi_generate(&b, 300, 9, NULL, msg));
    assert_graph_sets_equal(a, b);
    /* parallel arcs and all: the files give the set back */
    const char *dir = temp_dir();
    assert_ok(grl_graph_set_save(a, dir, "gvi", msg));
    assert_ok(grl_graph_set_load(&c, dir, "gvi", msg));
    assert_graph_sets_equal(a, c);
    grl_graph_set_free(a);
    grl_graph_set_free(b);
    grl_graph_set_free(c);
    grl_gvi_options o;
    grl_gvi_options_init(&o);
    o.max_iterations = 3;
    assert_int_equal(grl_gvi_generate(&a, 2, 1, &o, msg), GRL_NOT_CONVERGED);
    assert_non_null(a);
    assert_non_null(strstr(msg, "did not reach tolerance"));
    grl_graph_set_free(a);
    grl_gvi_options_init(&o);
    o.max_actions = 21; /* nA must stay below nS */
    assert_int_equal(grl_gvi_generate(&a, 2, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_null(a);
    grl_gvi_options_init(&o);
    o.gamma = 1;
    assert_int_equal(grl_gvi_generate(&a, 2, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_gvi_generate(&a, 0, 1, NULL, msg), GRL_INVALID_ARGUMENT);
}

/* ---- pore networks ------------------------------------------------------- */

/* The pressures of every graph against a dense Cholesky solve (LAPACKE) of
 * the interior system built here from the set's own conductances and face
 * flags: A_ii = sum_j g_ij, A_ij = -g_ij, b_i = sum over inlet neighbours. */
static void test_pore_pressures_against_dense_solve(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_pore_options o;
    grl_pore_options_init(&o);
    o.min_pores = 30;
    o.max_pores = 60;
    grl_graph_set *S = NULL;
    assert_ok(grl_pore_generate(&S, 6, 17, &o, msg));
    assert_int_equal(grl_graph_set_check(S, msg), 0);
    int64_t interior_total = 0;
    for (int64_t gi = 0; gi < S->ngraphs; gi++) {
        int64_t lo = S->graph_ptr[gi], n = S->graph_ptr[gi + 1] - lo, m = 0;
        int64_t *idx = malloc(sizeof(int64_t) * n);
        for (int64_t i = 0; i < n; i++) {
            const float *x = S->node_x + 6 * (lo + i);
            idx[i] = x[4] == 0 && x[5] == 0 ? m++ : -1;
        }
        interior_total += m;
        double *A = calloc((size_t)(m * m + 1), sizeof(double));
        double *b = calloc((size_t)(m + 1), sizeof(double));
        for (int64_t i = 0; i < n; i++) {
            if (idx[i] < 0) continue;
            for (int64_t k = S->in_ptr[lo + i]; k < S->in_ptr[lo + i + 1]; k++) {
                int64_t j = S->arc_source[k] - lo;
                double gk = S->arc_x[2 * k];
                A[idx[i] * m + idx[i]] += gk;
                if (idx[j] >= 0) A[idx[i] * m + idx[j]] -= gk;
                else if (S->node_x[6 * (lo + j) + 4] == 1) b[idx[i]] += gk;
            }
        }
        if (m > 0)
            assert_int_equal(LAPACKE_dposv(LAPACK_ROW_MAJOR, 'L', (lapack_int)m, 1, A,
                                           (lapack_int)m, b, 1), 0);
        for (int64_t i = 0; i < n; i++) {
            const float *x = S->node_x + 6 * (lo + i);
            double expect = idx[i] >= 0 ? b[idx[i]] : x[4] == 1 ? 1.0 : 0.0;
            assert_double_near(S->node_y[lo + i], expect, 2e-5);
            /* the maximum principle: pressures stay between the faces' */
            assert_true(S->node_y[lo + i] >= -1e-6 && S->node_y[lo + i] <= 1 + 1e-6);
        }
        free(A);
        free(b);
        free(idx);
    }
    assert_true(interior_total > 100);
    grl_graph_set_free(S);
}

/* Throats: symmetric, shorter than r_c, conductance pi r^4 / (8 mu L) with
 * r the smaller radius and L the distance of the stored positions; node
 * features and faces as documented. */
static void test_pore_geometry(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = NULL;
    assert_ok(grl_pore_generate(&S, 5, 4, NULL, msg));
    assert_int_equal(S->node_dim, 6);
    assert_int_equal(S->arc_dim, 2);
    int64_t throats = 0;
    for (int64_t gi = 0; gi < S->ngraphs; gi++) {
        int64_t lo = S->graph_ptr[gi], n = S->graph_ptr[gi + 1] - lo;
        assert_true(n >= 2 && n < 200);
        int64_t inlets = 0, outlets = 0;
        for (int64_t i = lo; i < lo + n; i++) {
            const float *x = S->node_x + 6 * i;
            inlets += x[4] == 1;
            outlets += x[5] == 1;
            if (x[4] == 1) assert_true(S->node_y[i] == 1.0f);
            if (x[5] == 1) assert_true(S->node_y[i] == 0.0f);
            for (int64_t k = S->in_ptr[i]; k < S->in_ptr[i + 1]; k++) {
                int64_t j = S->arc_source[k];
                const float *y = S->node_x + 6 * j;
                double L = sqrt(pow(x[0] - y[0], 2) + pow(x[1] - y[1], 2) +
                                pow(x[2] - y[2], 2));
                double r = fmin(x[3], y[3]);
                assert_double_near(S->arc_x[2 * k + 1], L, 1e-6);
                double g = M_PI * pow(r, 4) / (8 * 1e-3 * L);
                assert_double_near(S->arc_x[2 * k] / g, 1.0, 1e-4);
                /* the reverse arc exists, with the same features */
                int64_t back = -1;
                for (int64_t h = S->in_ptr[j]; h < S->in_ptr[j + 1]; h++)
                    if (S->arc_source[h] == i) back = h;
                assert_true(back >= 0);
                assert_true(S->arc_x[2 * back] == S->arc_x[2 * k]);
                throats++;
            }
        }
        assert_true(inlets >= 1 && outlets >= 1);
    }
    /* mean degree near the requested 6 (fewer at the cube's walls) */
    double degree = (double)throats / S->nodes;
    assert_true(degree > 3.5 && degree < 6.5);
    grl_graph_set_free(S);
}

static void test_pore_threads_and_options(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *a = NULL, *b = NULL;
    assert_ok(grl_threads_set(1, msg));
    assert_ok(grl_pore_generate(&a, 12, 3, NULL, msg));
    assert_ok(grl_threads_set(2, msg));
    assert_ok(grl_pore_generate(&b, 12, 3, NULL, msg));
    assert_graph_sets_equal(a, b);
    grl_graph_set_free(b);
    const char *dir = temp_dir();
    assert_ok(grl_graph_set_save(a, dir, "pore", msg));
    assert_ok(grl_graph_set_load(&b, dir, "pore", msg));
    assert_graph_sets_equal(a, b);
    grl_graph_set_free(a);
    grl_graph_set_free(b);
    grl_pore_options o;
    grl_pore_options_init(&o);
    o.max_iterations = 1;
    assert_int_equal(grl_pore_generate(&a, 2, 1, &o, msg), GRL_NOT_CONVERGED);
    assert_non_null(strstr(msg, "conjugate gradients"));
    grl_graph_set_free(a);
    a = NULL;
    grl_pore_options_init(&o);
    o.face_width = 0.5;
    assert_int_equal(grl_pore_generate(&a, 2, 1, &o, msg), GRL_INVALID_ARGUMENT);
    o.face_width = 0.1;
    o.min_pores = 1;
    assert_int_equal(grl_pore_generate(&a, 2, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_null(a);
}

/* ---- the message-passing layer ------------------------------------------ */

typedef struct {
    grl_graph_set *S;
    grl_mp_graph G;
    grl_mp_layer L;
    grl_nn_params P;
    grl_mp_cache C;
    float *h, *out, *wout, *wu;
} mp_case;

/* A small GVI set with one extra node and no in-arcs (node 0's in-arcs are
 * dropped: the softmax over an empty set must give nothing). */
static void mp_case_new(mp_case *c, int64_t graphs, int64_t d, int64_t hid,
                        uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    memset(c, 0, sizeof(*c));
    assert_ok(grl_gvi_generate(&c->S, graphs, seed, NULL, msg));
    grl_graph_set *S = c->S;
    int64_t drop = S->in_ptr[1];
    for (int64_t i = 1; i <= S->nodes; i++) S->in_ptr[i] -= drop;
    memmove(S->arc_source, S->arc_source + drop, sizeof(int64_t) * (S->arcs - drop));
    memmove(S->arc_x, S->arc_x + drop, sizeof(float) * (S->arcs - drop));
    S->arcs -= drop;
    assert_ok(grl_mp_graph_build(&c->G, S->nodes, S->arcs, S->in_ptr, S->arc_source, msg));
    assert_ok(grl_mp_layer_add(&c->L, &c->P, d, 1, 3, hid, 2, GRL_NN_TANH, msg));
    assert_ok(grl_nn_params_alloc(&c->P, msg));
    grl_mp_layer_init(&c->L, &c->P, seed);
    c->h = malloc(sizeof(float) * S->nodes * d);
    c->out = malloc(sizeof(float) * S->nodes * 2);
    c->wout = malloc(sizeof(float) * S->nodes * 2);
    c->wu = malloc(sizeof(float) * S->arcs * 3);
    grl_rng rng;
    grl_rng_init(&rng, seed, 99);
    for (int64_t i = 0; i < S->nodes * d; i++) c->h[i] = (float)(2 * grl_rng_uniform(&rng) - 1);
    for (int64_t i = 0; i < S->nodes * 2; i++) c->wout[i] = (float)(2 * grl_rng_uniform(&rng) - 1);
    for (int64_t i = 0; i < S->arcs * 3; i++) c->wu[i] = (float)(2 * grl_rng_uniform(&rng) - 1);
}

static void mp_case_free(mp_case *c)
{
    grl_mp_cache_release(&c->C);
    grl_nn_params_release(&c->P);
    grl_mp_graph_release(&c->G);
    grl_graph_set_free(c->S);
    free(c->h);
    free(c->out);
    free(c->wout);
    free(c->wu);
}

/* loss = sum wout . out + sum wu . u, in double */
static double mp_loss(mp_case *c)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_mp_forward(&c->L, &c->P, &c->G, c->h, c->S->arc_x, &c->C, c->out, msg));
    double s = 0;
    for (int64_t i = 0; i < c->S->nodes * 2; i++) s += (double)c->wout[i] * c->out[i];
    for (int64_t k = 0; k < c->S->arcs * 3; k++) s += (double)c->wu[k] * c->C.u[k];
    return s;
}

static void mp_check(double fd, double an, const char *what, int64_t i)
{
    double tol = 2e-3 + 2e-2 * fabs(an);
    if (!(fabs(fd - an) <= tol))
        fail_msg("%s[%lld]: finite difference %.8g, backward %.8g", what, (long long)i, fd, an);
}

/* Central differences (step 1e-2, loss summed in double) on every
 * parameter, a sample of node states and every arc feature. */
static void test_mp_layer_gradients(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    mp_case c;
    mp_case_new(&c, 2, 4, 5, 21);
    int64_t n = c.S->nodes, m = c.S->arcs;
    float *dh = malloc(sizeof(float) * n * 4), *de = malloc(sizeof(float) * m);
    mp_loss(&c);
    memset(c.P.grad, 0, sizeof(float) * c.P.count);
    assert_ok(grl_mp_backward(&c.L, &c.P, &c.G, &c.C, c.wout, c.wu, dh, de, msg));
    const float eps = 1e-2f;
    for (size_t p = 0; p < c.P.count; p++) {
        float keep = c.P.value[p];
        c.P.value[p] = keep + eps;
        double up = mp_loss(&c);
        c.P.value[p] = keep - eps;
        double down = mp_loss(&c);
        c.P.value[p] = keep;
        mp_check((up - down) / (2 * eps), c.P.grad[p], "param", (int64_t)p);
    }
    for (int64_t i = 0; i < n * 4; i += 7) {
        float keep = c.h[i];
        c.h[i] = keep + eps;
        double up = mp_loss(&c);
        c.h[i] = keep - eps;
        double down = mp_loss(&c);
        c.h[i] = keep;
        mp_check((up - down) / (2 * eps), dh[i], "h", i);
    }
    for (int64_t k = 0; k < m; k += 5) {
        float keep = c.S->arc_x[k];
        c.S->arc_x[k] = keep + eps;
        double up = mp_loss(&c);
        c.S->arc_x[k] = keep - eps;
        double down = mp_loss(&c);
        c.S->arc_x[k] = keep;
        mp_check((up - down) / (2 * eps), de[k], "e", k);
    }
    /* node 0 has no in-arcs: its message is zero, attention sums to 1 elsewhere */
    assert_int_equal(c.S->in_ptr[1], 0);
    for (int64_t i = 1; i < n; i++) {
        double s = 0;
        for (int64_t k = c.S->in_ptr[i]; k < c.S->in_ptr[i + 1]; k++) s += c.C.alpha[k];
        assert_double_near(s, 1.0, 1e-5);
    }
    free(dh);
    free(de);
    mp_case_free(&c);
}

/* Forward and backward on ~100k arcs: the same bits with 1 and 2 threads. */
static void test_mp_layer_threads(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    float *out[2], *grad[2], *dh[2];
    for (int t = 0; t < 2; t++) {
        assert_ok(grl_threads_set(t + 1, msg));
        mp_case c;
        mp_case_new(&c, 400, 8, 16, 5);
        int64_t n = c.S->nodes;
        mp_loss(&c);
        dh[t] = malloc(sizeof(float) * n * 8);
        memset(c.P.grad, 0, sizeof(float) * c.P.count);
        assert_ok(grl_mp_backward(&c.L, &c.P, &c.G, &c.C, c.wout, c.wu, dh[t], NULL, msg));
        out[t] = malloc(sizeof(float) * n * 2);
        memcpy(out[t], c.out, sizeof(float) * n * 2);
        grad[t] = malloc(sizeof(float) * c.P.count);
        memcpy(grad[t], c.P.grad, sizeof(float) * c.P.count);
        if (t == 1) {
            assert_memory_equal(out[0], out[1], sizeof(float) * n * 2);
            assert_memory_equal(grad[0], grad[1], sizeof(float) * c.P.count);
            assert_memory_equal(dh[0], dh[1], sizeof(float) * n * 8);
        }
        mp_case_free(&c);
    }
    for (int t = 0; t < 2; t++) {
        free(out[t]);
        free(grad[t]);
        free(dh[t]);
    }
}

/* ---- the MPNN baseline --------------------------------------------------- */

/* On pore networks the pressure falls roughly linearly from inlet to outlet:
 * a trained model must halve the best constant's error (the variance) on
 * held-out graphs, and train to the same bits with 1 and 2 threads. */
static void test_mpnn_learns_pressures_deterministically(void **state)
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
    o.layers = 2;
    o.hidden = 16;
    o.batch_graphs = 8;
    o.train.epochs = 40;
    o.train.optimizer.lr = 3e-3;
    float *pred[2];
    for (int t = 0; t < 2; t++) {
        assert_ok(grl_threads_set(t + 1, msg));
        grl_mpnn *M = NULL;
        grl_mpnn_train_result r;
        assert_ok(grl_mpnn_train(&M, &r, train, &o, msg));
        assert_true(r.best_epoch >= 1 && r.best_epoch <= r.epochs_run);
        pred[t] = malloc(sizeof(float) * test->nodes);
        assert_ok(grl_mpnn_predict(M, test, pred[t], msg));
        grl_mpnn_free(&M);
        assert_null(M);
    }
    assert_memory_equal(pred[0], pred[1], sizeof(float) * test->nodes);
    double mean = 0, var = 0, mse = 0;
    for (int64_t i = 0; i < test->nodes; i++) mean += test->node_y[i];
    mean /= test->nodes;
    for (int64_t i = 0; i < test->nodes; i++) {
        var += pow(test->node_y[i] - mean, 2);
        mse += pow(test->node_y[i] - pred[0][i], 2);
    }
    if (!(mse < 0.5 * var)) fail_msg("MSE %g, variance %g", mse / test->nodes, var / test->nodes);
    /* widths must match the training set's */
    grl_graph_set *gvi = NULL;
    grl_mpnn *M = NULL;
    o.train.epochs = 1;
    assert_ok(grl_mpnn_train(&M, NULL, train, &o, msg));
    assert_ok(grl_gvi_generate(&gvi, 2, 1, NULL, msg));
    assert_int_equal(grl_mpnn_predict(M, gvi, pred[0], msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "trained with 6 and 2"));
    grl_mpnn_free(&M);
    o.layers = 6;
    assert_int_equal(grl_mpnn_train(&M, NULL, train, &o, msg), GRL_INVALID_ARGUMENT);
    grl_graph_set_free(gvi);
    free(pred[0]);
    free(pred[1]);
    grl_graph_set_free(train);
    grl_graph_set_free(test);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gvi_structure),
        cmocka_unit_test(test_gvi_bellman_brute_force),
        cmocka_unit_test(test_gvi_metrics),
        cmocka_unit_test(test_gvi_threads_files_and_options),
        cmocka_unit_test(test_pore_pressures_against_dense_solve),
        cmocka_unit_test(test_pore_geometry),
        cmocka_unit_test(test_pore_threads_and_options),
        cmocka_unit_test(test_mp_layer_gradients),
        cmocka_unit_test(test_mp_layer_threads),
        cmocka_unit_test(test_mpnn_learns_pressures_deterministically),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
