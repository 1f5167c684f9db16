/* test_gnn.c — the learning substrate and ADPA against independent oracles:
 * every layer's backward pass and ADPA's end-to-end gradient against
 * central finite differences (the loss summed in double), the propagations
 * against dense matrices built in double on a small graph, the profile
 * against a brute-force count of pairs, the optimisers against their update
 * formulas written out; plus determinism (1 vs 2 threads, shuffled files),
 * model files, hostile inputs and a real-data accuracy check. */
#include "testutil.h"
#include "../gnn/adpa_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

/* this file's tolerance for gradient checks */
static void grad_close(double fd, double an, double scale, const char *what, int64_t index)
{
    assert_grad_close(fd, an, scale, 2e-3, 2e-2, what, index);
}





/* ---- layers: finite differences ----------------------------------------- */

typedef struct {
    int64_t n, in, out;
    float *X, *W, *b, *w;
    float *Y;
} linear_case;

static double linear_loss(linear_case *c)
{
    grl_nn_linear_forward(c->Y, c->X, c->W, c->b, c->n, c->in, c->out);
    return weighted_sum(c->Y, c->w, c->n * c->out);
}


static void test_linear_gradient(void **state)
{
    (void)state;
    /* 130 rows: three row blocks, so the blocked reduction is exercised */
    linear_case c = {.n = 130, .in = 7, .out = 5};
    c.X = malloc(sizeof(float) * c.n * c.in);
    c.W = malloc(sizeof(float) * c.in * c.out);
    c.b = malloc(sizeof(float) * c.out);
    c.w = malloc(sizeof(float) * c.n * c.out);
    c.Y = malloc(sizeof(float) * c.n * c.out);
    fill_uniform(c.X, c.n * c.in, 1, 7, 1);
    fill_uniform(c.W, c.in * c.out, 2, 7, 1);
    fill_uniform(c.b, c.out, 3, 7, 1);
    fill_uniform(c.w, c.n * c.out, 4, 7, 1);
    float *dX = calloc(c.n * c.in, sizeof(float));
    float *dW = calloc(c.in * c.out, sizeof(float));
    float *db = calloc(c.out, sizeof(float));
    float *scratch = malloc(sizeof(float) * (grl_nn_gemm_tn_scratch(c.n, c.in, c.out) + 1));
    grl_nn_linear_backward(dX, dW, db, c.X, c.W, c.w, c.n, c.in, c.out, scratch);
    for (int64_t i = 0; i < c.in * c.out; i++)
        grad_close(FD(linear_loss(&c), c.W, i, 1e-2), dW[i], max_abs(dW, c.in * c.out), "dW", i);
    for (int64_t i = 0; i < c.out; i++)
        grad_close(FD(linear_loss(&c), c.b, i, 1e-2), db[i], max_abs(db, c.out), "db", i);
    for (int64_t i = 0; i < c.n * c.in; i += 13)
        grad_close(FD(linear_loss(&c), c.X, i, 1e-2), dX[i], max_abs(dX, c.n * c.in), "dX", i);
    free(c.X); free(c.W); free(c.b); free(c.w); free(c.Y);
    free(dX); free(dW); free(db); free(scratch);
}

static grl_nn_activation act_now;
static double act_loss(const float *X, float *Y, const float *w, int64_t count)
{
    grl_nn_activation_forward(act_now, Y, X, count);
    return weighted_sum(Y, w, count);
}

static void test_activation_gradients(void **state)
{
    (void)state;
    const int64_t count = 64;
    float X[64], Y[64], w[64], dX[64];
    fill_uniform(X, count, 5, 7, 3);
    fill_uniform(w, count, 6, 7, 1);
    for (int64_t i = 0; i < count; i++) /* keep away from ReLU's kink */
        if (fabsf(X[i]) < 0.05f) X[i] = 0.3f;
    grl_nn_activation kinds[] = {GRL_NN_RELU, GRL_NN_ELU, GRL_NN_SILU,
                                 GRL_NN_SIGMOID, GRL_NN_TANH, GRL_NN_IDENTITY};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        act_now = kinds[k];
        grl_nn_activation_forward(act_now, Y, X, count);
        grl_nn_activation_backward(act_now, dX, X, Y, w, count);
        for (int64_t i = 0; i < count; i++)
            grad_close(FD(act_loss(X, Y, w, count), X, i, 1e-3), dX[i], 1,
                              "activation", (int64_t)k * 1000 + i);
    }
    /* values against their definitions */
    float x[3] = {-2.0f, 0.5f, 3.0f}, y[3];
    grl_nn_activation_forward(GRL_NN_ELU, y, x, 3);
    assert_double_near(y[0], expm1(-2.0), 1e-6);
    grl_nn_activation_forward(GRL_NN_SILU, y, x, 3);
    assert_double_near(y[2], 3.0 / (1 + exp(-3.0)), 1e-6);
}

static void test_dropout(void **state)
{
    (void)state;
    const int64_t n = 200, d = 50;
    float *X = malloc(sizeof(float) * n * d), *G = malloc(sizeof(float) * n * d);
    int64_t *rows = malloc(sizeof(int64_t) * n);
    for (int64_t i = 0; i < n; i++) rows[i] = 1000 + 3 * i;
    for (int64_t i = 0; i < n * d; i++) X[i] = 1.0f;
    grl_nn_dropout(X, rows, n, d, 0.64, 9, 4, 2);
    int64_t kept = 0;
    for (int64_t i = 0; i < n * d; i++) {
        assert_true(X[i] == 0.0f || fabs(X[i] - 1 / 0.36) < 1e-5);
        kept += X[i] != 0;
    }
    /* binomial(10000, 0.36): mean 3600, sd 48 */
    assert_true(kept > 3600 - 250 && kept < 3600 + 250);
    /* the mask of a row depends on (seed, epoch, layer, node), not on the
     * row's position in the batch: the backward pass (the same call on dY)
     * therefore matches; a row moved in the batch keeps its mask */
    for (int64_t i = 0; i < n * d; i++) G[i] = 1.0f;
    grl_nn_dropout(G, rows + 10, 1, d, 0.64, 9, 4, 2);
    assert_memory_equal(G, X + 10 * d, sizeof(float) * d);
    /* another epoch or layer gives another mask */
    for (int64_t i = 0; i < n * d; i++) G[i] = 1.0f;
    grl_nn_dropout(G, rows, n, d, 0.64, 9, 5, 2);
    assert_true(memcmp(G, X, sizeof(float) * n * d) != 0);
    free(X); free(G); free(rows);
}

static double xent_loss(const float *Z, const int64_t *y, int64_t n, int64_t k)
{
    return grl_nn_softmax_xent(NULL, Z, y, n, k);
}

static double softmax_loss(const float *Z, float *P, const float *w, int64_t n, int64_t k)
{
    grl_nn_softmax_rows(P, Z, n, k);
    return weighted_sum(P, w, n * k);
}

static void test_softmax_and_losses(void **state)
{
    (void)state;
    enum { N = 9, K = 4 };
    float Z[N * K], P[N * K], w[N * K], dZ[N * K], dP[N * K], T[N * K];
    int64_t y[N];
    fill_uniform(Z, N * K, 10, 7, 3);
    fill_uniform(w, N * K, 11, 7, 1);
    fill_uniform(T, N * K, 12, 7, 1);
    for (int i = 0; i < N; i++) y[i] = i % K;
    /* cross-entropy: value against log-sum-exp in double, gradient by FD */
    double loss = grl_nn_softmax_xent(dZ, Z, y, N, K), want = 0;
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int c = 0; c < K; c++) s += exp((double)Z[i * K + c]);
        want += log(s) - Z[i * K + y[i]];
    }
    assert_double_near(loss, want / N, 1e-6);
    for (int i = 0; i < N * K; i++)
        grad_close(FD(xent_loss(Z, y, N, K), Z, i, 1e-3), dZ[i], 0.1, "xent", i);
    /* softmax rows */
    grl_nn_softmax_rows(P, Z, N, K);
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int c = 0; c < K; c++) s += P[i * K + c];
        assert_double_near(s, 1.0, 1e-6);
    }
    grl_nn_softmax_rows_backward(dP, P, w, N, K);
    for (int i = 0; i < N * K; i++)
        grad_close(FD(softmax_loss(Z, P, w, N, K), Z, i, 1e-3), dP[i], 0.1,
                          "softmax", i);
    /* MSE */
    float dY[N * K];
    double mse = grl_nn_mse(dY, Z, T, N * K);
    for (int i = 0; i < N * K; i++)
        grad_close(FD(grl_nn_mse(NULL, Z, T, N * K), Z, i, 1e-3), dY[i], 0.1,
                          "mse", i);
    assert_true(mse > 0);
    /* accuracy helper: ties go to the first class */
    float tie[4] = {1, 1, 0, 0};
    int64_t c0 = 0, c1 = 1;
    assert_int_equal(grl_nn_correct(tie, &c0, 1, 4), 1);
    assert_int_equal(grl_nn_correct(tie, &c1, 1, 4), 0);
}

/* ---- optimisers against their formulas ---------------------------------- */

static void test_optimizers(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_nn_params P = {0};
    assert_int_equal(grl_nn_params_add(&P, 1, 3), 0);
    assert_ok(grl_nn_params_alloc(&P, msg));
    const float x0[3] = {1.0f, -2.0f, 0.5f}, g[3] = {0.3f, -0.1f, 2.0f};
    for (int kind = 0; kind < 3; kind++) {
        grl_optimizer_options o;
        grl_optimizer_options_init(&o);
        o.kind = (grl_optimizer)kind;
        o.lr = 0.1;
        o.weight_decay = 0.01;
        grl_nn_optimizer opt;
        assert_ok(grl_nn_optimizer_init(&opt, &o, P.count, msg));
        memcpy(P.value, x0, sizeof x0);
        double m[3] = {0}, v[3] = {0}, x[3] = {x0[0], x0[1], x0[2]};
        for (int t = 1; t <= 3; t++) {
            memcpy(P.grad, g, sizeof g);
            grl_nn_optimizer_step(&opt, &P);
            for (int i = 0; i < 3; i++) {
                if (kind == GRL_OPTIMIZER_SGD) {
                    m[i] = 0.9 * m[i] + g[i] + 0.01 * x[i];
                    x[i] -= 0.1 * m[i];
                    continue;
                }
                double gi = g[i] + (kind == GRL_OPTIMIZER_ADAM ? 0.01 * x[i] : 0);
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                double mh = m[i] / (1 - pow(0.9, t)), vh = v[i] / (1 - pow(0.999, t));
                if (kind == GRL_OPTIMIZER_ADAMW) x[i] *= 1 - 0.1 * 0.01;
                x[i] -= 0.1 * mh / (sqrt(vh) + 1e-8);
            }
        }
        for (int i = 0; i < 3; i++) assert_double_near(P.value[i], x[i], 1e-5);
        grl_nn_optimizer_release(&opt);
    }
    /* cosine schedule */
    grl_optimizer_options o;
    grl_optimizer_options_init(&o);
    o.cosine = true;
    o.lr = 1.0;
    o.lr_min = 0.1;
    grl_nn_optimizer opt;
    assert_ok(grl_nn_optimizer_init(&opt, &o, P.count, msg));
    opt.total_steps = 10;
    assert_double_near(grl_nn_optimizer_lr(&opt), 1.0, 1e-12);
    opt.step = 5;
    assert_double_near(grl_nn_optimizer_lr(&opt), 0.55, 1e-12);
    opt.step = 10;
    assert_double_near(grl_nn_optimizer_lr(&opt), 0.1, 1e-12);
    grl_nn_optimizer_release(&opt);
    /* names */
    grl_optimizer k;
    assert_ok(grl_optimizer_parse("adamw", &k, msg));
    assert_int_equal(k, GRL_OPTIMIZER_ADAMW);
    assert_string_equal(grl_optimizer_name(GRL_OPTIMIZER_SGD), "sgd");
    assert_true(grl_optimizer_parse("lion", &k, msg) < 0);
    assert_non_null(strstr(msg, "lion"));
    o.lr = -1;
    assert_true(grl_nn_optimizer_init(&opt, &o, P.count, msg) < 0);
    grl_nn_params_release(&P);
}

/* ---- a small directed graph with features --------------------------------- */

enum { TN = 9, TF = 4 };
static const int64_t tsrc[] = {0, 0, 1, 2, 2, 3, 4, 5, 6, 6, 7, 8, 3, 1};
static const int64_t tdst[] = {1, 2, 2, 0, 3, 3, 5, 6, 4, 7, 8, 6, 1, 0};
#define TM ((int64_t)(sizeof tsrc / sizeof tsrc[0]))

static grl_graph *tiny_graph(void)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, TN, tsrc, tdst, NULL, TM, true, NULL, msg));
    return G;
}

static grl_dense *tiny_features(uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    grl_dense *X = NULL;
    assert_ok(grl_dense_new(&X, TN, TF, msg));
    fill_uniform(X->data, TN * TF, seed, 7, 1);
    return X;
}

/* Dense P of a branch kind, in double (A + I etc. as grl/gnn.h says). */
static void dense_pattern(double *P, grl_branch_kind kind)
{
    double A[TN * TN] = {0}, AT[TN * TN], S[TN * TN];
    for (int64_t e = 0; e < TM; e++) A[tsrc[e] * TN + tdst[e]] = 1;
    for (int i = 0; i < TN; i++)
        for (int j = 0; j < TN; j++) {
            AT[i * TN + j] = A[j * TN + i];
            S[i * TN + j] = fmax(A[i * TN + j], A[j * TN + i]);
        }
    const double *F = NULL, *Sd = NULL;
    switch (kind) {
    case GRL_BRANCH_A: F = A; break;
    case GRL_BRANCH_AT: F = AT; break;
    case GRL_BRANCH_SYM: F = S; break;
    case GRL_BRANCH_AA: F = A; Sd = A; break;
    case GRL_BRANCH_AAT: F = A; Sd = AT; break;
    case GRL_BRANCH_ATA: F = AT; Sd = A; break;
    default: F = AT; Sd = AT; break;
    }
    for (int i = 0; i < TN; i++)
        for (int j = 0; j < TN; j++) {
            double s = 0;
            if (Sd)
                for (int k = 0; k < TN; k++) s += F[i * TN + k] * Sd[k * TN + j];
            else
                s = F[i * TN + j] + (i == j);
            P[i * TN + j] = s;
        }
}

static void test_propagation_matches_dense(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = tiny_graph();
    grl_dense *X = tiny_features(21);
    grl_adpa_patterns sets[] = {GRL_ADPA_PATTERNS_ALL, GRL_ADPA_PATTERNS_UNDIRECTED,
                                GRL_ADPA_PATTERNS_DIR, GRL_ADPA_PATTERNS_FEATURES,
                                GRL_ADPA_PATTERNS_ALL_UNDIRECTED};
    for (size_t s = 0; s < 5; s++) {
        grl_adpa_options o;
        grl_adpa_options_init(&o);
        o.patterns = sets[s];
        o.hops = 3;
        o.hop_damping = s % 2; /* H_k = (1 + ln(1/k)) P̂ H_{k-1} */
        grl_adpa_prop *P = NULL;
        assert_ok(grl_adpa_prop_build(&P, G, X, &o, msg));
        for (int b = 1; b < P->nbranches; b++) {
            double Pd[TN * TN], Ph[TN * TN], D[TN], H[TN * TF], H2[TN * TF];
            dense_pattern(Pd, P->kind[b]);
            double r = P->kind[b] == GRL_BRANCH_SYM ? 0.5 : o.r;
            for (int i = 0; i < TN; i++) {
                D[i] = 0;
                for (int j = 0; j < TN; j++) D[i] += Pd[i * TN + j];
            }
            for (int i = 0; i < TN; i++)
                for (int j = 0; j < TN; j++)
                    Ph[i * TN + j] = D[i] > 0 && D[j] > 0
                                         ? pow(D[i], r - 1) * Pd[i * TN + j] * pow(D[j], -r)
                                         : 0;
            for (int i = 0; i < TN * TF; i++) H[i] = X->data[i];
            for (int k = 1; k <= o.hops; k++) {
                for (int i = 0; i < TN; i++)
                    for (int c = 0; c < TF; c++) {
                        double acc = 0;
                        for (int j = 0; j < TN; j++) acc += Ph[i * TN + j] * H[j * TF + c];
                        H2[i * TF + c] = o.hop_damping ? (1 + log(1.0 / k)) * acc : acc;
                    }
                memcpy(H, H2, sizeof H);
                for (int i = 0; i < TN * TF; i++)
                    assert_double_near(P->hop[b][k][i], H[i], 1e-5);
                for (int i = 0; i < TN; i++) { /* the live bits (all set here) */
                    bool nonzero = false;
                    for (int c = 0; c < TF; c++) nonzero |= H[i * TF + c] != 0;
                    assert_int_equal(P->live[b][i] >> k & 1, nonzero);
                }
            }
        }
        static const int branches[5] = {7, 2, 3, 1, 8};
        assert_int_equal(grl_adpa_prop_branches(P), branches[s]);
        assert_string_equal(grl_adpa_prop_branch_name(P, 0), "features");
        grl_adpa_prop_free(&P);
    }
    grl_dense_free(&X);
    grl_graph_free(&G);
}

/* ---- ADPA's pattern level: finite differences ---------------------------- */

enum { PB = 3, PN = 4, PH = 5 };

typedef struct {
    float T[PB][PN * PH], s[PB], Q[PB * PH], qb[PB], w[PN * PB];
    float C[PN * PB * PH], R[PN * PH], loss_w[PN * PB * PH];
    bool node, sum;
} pattern_case;

/* sum of loss_w times the output layer's input (C, or R with sum) */
static double pattern_loss(pattern_case *c)
{
    const float *T[PB] = {c->T[0], c->T[1], c->T[2]};
    grl_adpa_pattern_forward(c->C, c->sum ? c->R : NULL, c->w, T, c->s,
                             c->node ? c->Q : NULL, c->qb, PN, PB, PH);
    return c->sum ? weighted_sum(c->R, c->loss_w, PN * PH)
                  : weighted_sum(c->C, c->loss_w, PN * PB * PH);
}

/* node: softmax weights (else scales); sum: the weighted sum (else the
 * weighted concatenation) */
static void check_pattern_level(bool node, bool sum)
{
    pattern_case c;
    c.node = node;
    c.sum = sum;
    for (int p = 0; p < PB; p++) fill_uniform(c.T[p], PN * PH, 40 + p, 7, 1);
    fill_uniform(c.s, PB, 50, 7, 1);
    fill_uniform(c.Q, PB * PH, 51, 7, 1);
    fill_uniform(c.qb, PB, 52, 7, 1);
    fill_uniform(c.loss_w, PN * PB * PH, 53, 7, 1);
    pattern_loss(&c);
    float dT[PN * PB * PH], ds[PB] = {0}, dQ[PB * PH] = {0}, dqb[PB] = {0};
    const float *T[PB] = {c.T[0], c.T[1], c.T[2]};
    grl_adpa_pattern_backward(dT, c.loss_w, sum, ds, dQ, dqb, c.w, T, node ? c.Q : NULL,
                              PN, PB, PH);
    const double h = 1e-2;
    for (int p = 0; p < PB; p++)
        for (int64_t k = 0; k < PN * PH; k++) {
            const int64_t i = k / PH, at = (i * PB + p) * PH + k % PH;
            grad_close(FD(pattern_loss(&c), c.T[p], k, h), dT[at],
                       max_abs(dT, PN * PB * PH), "pattern dT", at);
        }
    if (!node) {
        for (int p = 0; p < PB; p++)
            grad_close(FD(pattern_loss(&c), c.s, p, h), ds[p], max_abs(ds, PB), "ds", p);
        return;
    }
    for (int64_t k = 0; k < PB * PH; k++)
        grad_close(FD(pattern_loss(&c), c.Q, k, h), dQ[k], max_abs(dQ, PB * PH), "dQ", k);
    for (int p = 0; p < PB; p++)
        grad_close(FD(pattern_loss(&c), c.qb, p, h), dqb[p], max_abs(dqb, PB), "dqb", p);
    /* the weights are B times a distribution over the branches at every node */
    for (int i = 0; i < PN; i++)
        assert_double_near(c.w[i * PB] + c.w[i * PB + 1] + c.w[i * PB + 2], PB, 1e-5);
}

static void test_pattern_attention_gradient(void **state)
{
    (void)state;
    check_pattern_level(false, false);
    check_pattern_level(true, true);
    check_pattern_level(true, false);
}

/* ---- ADPA end to end: gradient of every parameter ------------------------ */

typedef struct {
    grl_adpa *M;
    int64_t rows[TN];
    int64_t y[TN];
    float logits[TN * 3];
} e2e_case;

static double e2e_loss(e2e_case *c)
{
    char msg[GRL_MSG_LEN];
    assert_ok(c->M->base.forward(&c->M->base, c->rows, TN, true, 3, c->logits, msg));
    return grl_nn_softmax_xent(NULL, c->logits, c->y, TN, 3);
}

/* mask: leave empty hops out of the attention (mask_empty_hops); pattern:
 * the pattern level */
static void adpa_gradient_check(bool mask, grl_adpa_pattern_attention pattern)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = tiny_graph();
    grl_dense *X = tiny_features(33);
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    o.hops = 2;
    o.patterns = GRL_ADPA_PATTERNS_ALL_UNDIRECTED; /* every branch kind */
    grl_adpa_prop *P = NULL;
    assert_ok(grl_adpa_prop_build(&P, G, X, &o, msg));
    e2e_case c;
    /* every node of the tiny graph has walks of every pattern: mark some
     * hops empty by hand (each branch leaves out hop 2, 1 or both of a
     * node) so the masked softmax and its backward are exercised */
    for (int b = 1; b < P->nbranches; b++)
        P->live[b][b % TN] &= (uint16_t)~(b % 3 == 0 ? 6u : 2u << (b % 2));
    for (int i = 0; i < TN; i++) {
        c.rows[i] = (i * 4) % TN; /* a permuted batch */
        c.y[i] = i % 3;
    }
    /* ReLU has a kink at 0: pick an initialisation (seed) whose
     * pre-activations all stay farther from 0 than a step can move them */
    const double h = 5e-4;
    for (uint64_t seed = 77;; seed++) {
        assert_true(seed < 300);
        /* dropout on (0.3), so the mask's backward is checked too */
        assert_ok(grl_adpa_new(&c.M, P->nbranches, P->kind, P->hops, P->r, P->f, 5,
                               3, 0.3, pattern, seed, msg));
        c.M->P = P;
        c.M->mask_empty = mask;
        /* non-trivial scales (or pattern biases) so their gradients and the
         * combination are exercised */
        for (int b = 0; b < c.M->nbranches; b++)
            if (pattern == GRL_ADPA_PATTERN_SCALAR)
                grl_nn_value(&c.M->params, c.M->bp[b].s)[0] = 0.5f + 0.25f * (float)b;
            else
                grl_nn_value(&c.M->params, c.M->qb)[b] = 0.3f * (float)(b % 3);
        e2e_loss(&c);
        double closest = INFINITY;
        for (int b = 0; b < c.M->nbranches; b++)
            for (int64_t i = 0; i < TN * 5; i++)
                closest = fmin(closest, fabs(c.M->pre[b][i]));
        if (closest > 4 * h) break;
        grl_adpa_free(&c.M);
    }
    float dl[TN * 3];
    assert_ok(c.M->base.forward(&c.M->base, c.rows, TN, true, 3, c.logits, msg));
    grl_nn_softmax_xent(dl, c.logits, c.y, TN, 3);
    memset(c.M->params.grad, 0, sizeof(float) * c.M->params.count);
    assert_ok(c.M->base.backward(&c.M->base, dl, msg));
    float *grad = malloc(sizeof(float) * c.M->params.count);
    memcpy(grad, c.M->params.grad, sizeof(float) * c.M->params.count);
    double scale = max_abs(grad, (int64_t)c.M->params.count);
    int64_t checked = 0;
    for (size_t i = 0; i < c.M->params.count; i++) {
        double fd = FD(e2e_loss(&c), c.M->params.value, i, h);
        grad_close(fd, grad[i], scale, "ADPA parameter", (int64_t)i);
        checked++;
    }
    assert_true(checked == (int64_t)c.M->params.count && checked > 100);
    free(grad);
    c.M->P = NULL;
    grl_adpa_free(&c.M);
    grl_adpa_prop_free(&P);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

static void test_adpa_gradient_end_to_end(void **state)
{
    (void)state;
    adpa_gradient_check(false, GRL_ADPA_PATTERN_SCALAR);
    adpa_gradient_check(true, GRL_ADPA_PATTERN_SCALAR);
    adpa_gradient_check(false, GRL_ADPA_PATTERN_NODE);
    adpa_gradient_check(true, GRL_ADPA_PATTERN_NODE);
    adpa_gradient_check(false, GRL_ADPA_PATTERN_NODE_CONCAT);
}

/* Arcs 0 -> 1 -> 2 <-> 3 and node 4 alone: node 4 has no AA walk, nodes 0,
 * 1 and 4 no AtAt walk, so those hops are all zeros (P̂ also zeroes the
 * walks that end on a node without a walk of its own: AtAt's 2 -> 0). With
 * mask_empty_hops their attention is all on the raw features, without it
 * the hop prior puts most of it on the (empty) deepest hop. */
static void test_adpa_empty_hops(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t src[] = {0, 1, 2, 3}, dst[] = {1, 2, 3, 2};
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, 5, src, dst, NULL, 4, true, NULL, msg));
    grl_dense *X = NULL;
    assert_ok(grl_dense_new(&X, 5, 2, msg));
    for (int i = 0; i < 10; i++) X->data[i] = 1.0f + (float)i;
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    grl_adpa_prop *P = NULL;
    assert_ok(grl_adpa_prop_build(&P, G, X, &o, msg));
    int aa = -1, atat = -1;
    for (int b = 1; b < P->nbranches; b++) {
        if (P->kind[b] == GRL_BRANCH_AA) aa = b;
        if (P->kind[b] == GRL_BRANCH_ATAT) atat = b;
        if (P->kind[b] == GRL_BRANCH_A || P->kind[b] == GRL_BRANCH_AT)
            for (int i = 0; i < 5; i++) /* self-loops: never empty */
                assert_int_equal(P->live[b][i], 7);
    }
    static const uint16_t want_aa[5] = {7, 7, 7, 7, 1}, want_atat[5] = {1, 1, 7, 7, 1};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(P->live[aa][i], want_aa[i]);
        assert_int_equal(P->live[atat][i], want_atat[i]);
    }
    for (int mask = 0; mask <= 1; mask++) {
        grl_adpa *M = NULL;
        assert_ok(grl_adpa_new(&M, P->nbranches, P->kind, P->hops, P->r, P->f, 3, 2,
                               0.5, GRL_ADPA_PATTERN_SCALAR, 9, msg));
        M->mask_empty = mask;
        M->P = P;
        int64_t rows[5] = {0, 1, 2, 3, 4};
        float logits[10];
        assert_ok(M->base.forward(&M->base, rows, 5, false, 0, logits, msg));
        const float *al = M->alpha[aa] + 4 * 3, *a0 = M->alpha[aa]; /* nodes 4, 0 */
        if (mask)
            assert_true(al[0] == 1.0f && al[1] == 0.0f && al[2] == 0.0f);
        else
            assert_true(al[2] > 0.9f); /* the hop prior's pick */
        assert_true(a0[0] > 0 && a0[1] > 0 && a0[2] > 0.9f); /* a live node's */
        M->P = NULL;
        grl_adpa_free(&M);
    }
    grl_adpa_prop_free(&P);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

/* ---- node data files ------------------------------------------------------ */

static void expect_error(int rc, const char *msg, const char *needle)
{
    if (rc >= 0) fail_msg("expected an error mentioning '%s'", needle);
    if (strstr(msg, needle) == NULL) fail_msg("message '%s' lacks '%s'", msg, needle);
}

static void test_node_data_files(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = tiny_graph();
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    grl_dense *X = NULL;
    /* labels */
    assert_ok(grl_node_labels_load(&L, G, temp_file(".txt", "# c\n0 0\n1 1\n2 2\n3 0\n3 0\n"), msg));
    assert_int_equal(L->nclasses, 3);
    assert_int_equal(L->y[3], 0);
    assert_int_equal(L->y[4], -1);
    grl_node_labels_free(&L);
    expect_error(grl_node_labels_load(&L, G, temp_file(".txt", "0 0\n42 1\n"), msg), msg,
                 ":2: node '42' is not in the graph");
    expect_error(grl_node_labels_load(&L, G, temp_file(".txt", "0 0\n1 2\n"), msg), msg,
                 "class 1 has no node");
    expect_error(grl_node_labels_load(&L, G, temp_file(".txt", "0 0\n0 1\n"), msg), msg,
                 ":2: node '0' already has class 0");
    expect_error(grl_node_labels_load(&L, G, temp_file(".txt", "0 x\n"), msg), msg,
                 ":1: expected a non-negative integer class");
    expect_error(grl_node_labels_load(&L, G, temp_file(".txt", "0 1 2\n"), msg), msg,
                 ":1: expected `node class`");
    expect_error(grl_node_labels_load(&L, G, temp_file(".txt", "# none\n"), msg), msg,
                 "no labelled node");
    expect_error(grl_node_labels_load(&L, G, "/nonexistent/labels.txt", msg), msg,
                 "labels.txt");
    assert_null(L);
    /* splits: both layouts */
    assert_ok(grl_node_splits_load(&S, G, temp_file(".txt",
              "0 0 train\n0 1 val\n0 2 test\n1 1 train\n1 0 test\n1 2 valid\n"), msg));
    assert_int_equal(S->nsplits, 2);
    assert_int_equal(S->role[0 * TN + 1], GRL_SPLIT_VAL);
    assert_int_equal(S->role[1 * TN + 2], GRL_SPLIT_VAL);
    assert_int_equal(S->role[1 * TN + 5], GRL_SPLIT_NONE);
    grl_node_splits_free(&S);
    assert_ok(grl_node_splits_load(&S, G, temp_file(".txt", "0 train\n1 val\n2 test\n"), msg));
    assert_int_equal(S->nsplits, 1);
    grl_node_splits_free(&S);
    expect_error(grl_node_splits_load(&S, G, temp_file(".txt", "0 train\n1 dev\n"), msg), msg,
                 ":2: unknown role 'dev'");
    expect_error(grl_node_splits_load(&S, G, temp_file(".txt", "0 val\n1 test\n"), msg), msg,
                 "split 0 has no training node");
    expect_error(grl_node_splits_load(&S, G, temp_file(".txt", "0 0 train\n2 1 train\n"), msg),
                 msg, "split 1 has no line");
    expect_error(grl_node_splits_load(&S, G, temp_file(".txt", "0 0 train\n0 99 val\n"), msg),
                 msg, ":2: node '99' is not in the graph");
    expect_error(grl_node_splits_load(&S, G, temp_file(".txt", "0 0 train\n0 1\n"), msg), msg,
                 ":2: expected `split node role`");
    /* features: dense rows, sparse lines */
    assert_ok(grl_node_features_load(&X, G, temp_file(".txt",
              "# dense\n1 2\n3 4\n5 6\n7 8\n9 10\n11 12\n13 14\n15 16\n17 18\n"),
              GRL_FEATURES_AUTO, msg));
    assert_int_equal(X->cols, 2);
    assert_double_near(X->data[8 * 2 + 1], 18, 0);
    grl_dense_free(&X);
    assert_ok(grl_node_features_load(&X, G, temp_file(".txt", "3 5 0.5\n0 0 1\n"),
                                     GRL_FEATURES_AUTO, msg));
    assert_int_equal(X->cols, 6);
    assert_double_near(X->data[3 * 6 + 5], 0.5, 0);
    grl_dense_free(&X);
    expect_error(grl_node_features_load(&X, G, temp_file(".txt", "1 2\n3 4 5\n"),
                                        GRL_FEATURES_DENSE, msg), msg,
                 ":2: more than 2 values");
    expect_error(grl_node_features_load(&X, G, temp_file(".txt", "1 2 3 4\n3 4\n"),
                                        GRL_FEATURES_DENSE, msg), msg,
                 ":2: 2 values, but the first row has 4");
    expect_error(grl_node_features_load(&X, G, temp_file(".txt", "1 nan\n"),
                                        GRL_FEATURES_DENSE, msg), msg, "not a finite");
    expect_error(grl_node_features_load(&X, G, temp_file(".txt", "1 2x\n"),
                                        GRL_FEATURES_DENSE, msg), msg, ":1: value 2 is not a number");
    expect_error(grl_node_features_load(&X, G, temp_file(".txt",
                 "1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n"), GRL_FEATURES_DENSE, msg), msg,
                 ":10: row 9 is node 9, which is not in the graph");
    expect_error(grl_node_features_load(&X, G, temp_file(".txt", "77 0 1\n"),
                                        GRL_FEATURES_SPARSE, msg), msg, "'77' is not in the graph");
    expect_error(grl_node_features_load(&X, G, temp_file(".txt", "# nothing\n"),
                                        GRL_FEATURES_DENSE, msg), msg, "no feature rows");
    assert_null(X);
    grl_graph_free(&G);
}

static void test_generated_splits(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("cora_ml/edges.txt"), 1);
    grl_node_labels *L = NULL;
    assert_ok(grl_node_labels_load(&L, G, data_path("cora_ml/labels.txt"), msg));
    grl_node_splits_options o;
    grl_node_splits_options_init(&o);
    o.repeats = 3;
    o.seed = 5;
    grl_node_splits *S = NULL, *S2 = NULL;
    assert_ok(grl_node_splits_generate(&S, G, L, &o, msg));
    for (int64_t s = 0; s < 3; s++) {
        int64_t per[16] = {0}, val = 0, test = 0;
        for (int64_t i = 0; i < S->nodes; i++) {
            uint8_t r = S->role[s * S->nodes + i];
            if (r == GRL_SPLIT_TRAIN) per[L->y[i]]++;
            val += r == GRL_SPLIT_VAL;
            test += r == GRL_SPLIT_TEST;
        }
        for (int64_t c = 0; c < L->nclasses; c++) assert_int_equal(per[c], 20);
        assert_int_equal(val, 500);
        assert_int_equal(test, S->nodes - 500 - 20 * L->nclasses);
    }
    assert_true(memcmp(S->role, S->role + S->nodes, S->nodes) != 0);
    /* the same draw from a shuffled edge file (same ids, same keys) */
    grl_graph *G2 = load_graph(shuffled_copy(data_path("cora_ml/edges.txt"), 3), 1);
    assert_ok(grl_node_splits_generate(&S2, G2, L, &o, msg));
    assert_memory_equal(S->role, S2->role, S->nodes * 3);
    grl_node_splits_free(&S2);
    o.train_per_class = 1000;
    expect_error(grl_node_splits_generate(&S2, G, L, &o, msg), msg, "fewer than 1000");
    o.train_per_class = 20;
    o.val = 3000;
    expect_error(grl_node_splits_generate(&S2, G, L, &o, msg), msg, "no test node");
    grl_node_splits_free(&S);
    grl_node_labels_free(&L);
    grl_graph_free(&G);
    grl_graph_free(&G2);
}

/* ---- profile against brute force ----------------------------------------- */

static void test_profile_brute_force(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = tiny_graph();
    grl_node_labels *L = NULL;
    assert_ok(grl_node_labels_load(&L, G, temp_file(".txt",
              "0 0\n1 0\n2 1\n3 1\n4 2\n5 2\n6 0\n7 1\n"), msg)); /* node 8 unlabelled */
    grl_dense *X = NULL;
    enum { F = 3 };
    assert_ok(grl_dense_new(&X, TN, F, msg));
    for (int i = 0; i < TN * F; i++) X->data[i] = (float)((i * 7) % 5) - 1.5f;
    double mean[F] = {0}, var = 0; /* mean squared distance to the mean row */
    for (int i = 0; i < TN; i++)
        for (int c = 0; c < F; c++) mean[c] += X->data[i * F + c] / (double)TN;
    for (int i = 0; i < TN; i++)
        for (int c = 0; c < F; c++)
            var += (X->data[i * F + c] - mean[c]) * (X->data[i * F + c] - mean[c]) / TN;
    grl_digraph_profile_result r;
    assert_ok(grl_digraph_profile(&r, G, L, NULL, 0, X, msg));
    grl_branch_kind kinds[GRL_DIGRAPH_PATTERNS] = {GRL_BRANCH_A, GRL_BRANCH_AT,
        GRL_BRANCH_AA, GRL_BRANCH_AAT, GRL_BRANCH_ATA, GRL_BRANCH_ATAT, GRL_BRANCH_SYM};
    for (int p = 0; p < GRL_DIGRAPH_PATTERNS; p++) {
        double Pd[TN * TN], same = 0, total = 0, q[3] = {0}, dist = 0, all = 0;
        dense_pattern(Pd, kinds[p]);
        for (int i = 0; i < TN; i++)
            for (int j = 0; j < TN; j++) {
                if (i == j) continue;
                for (int c = 0; c < F; c++) {
                    double e = X->data[i * F + c] - X->data[j * F + c];
                    dist += Pd[i * TN + j] * e * e;
                }
                all += Pd[i * TN + j];
                if (L->y[i] < 0 || L->y[j] < 0) continue;
                total += Pd[i * TN + j];
                q[L->y[j]] += Pd[i * TN + j];
                same += L->y[i] == L->y[j] ? Pd[i * TN + j] : 0;
            }
        /* smoothness: over every node's pairs, against the brute-force sum */
        assert_double_near(r.smoothness[p], dist / all / (2 * var), 1e-5);
        assert_double_near(r.weight[p], total, 1e-9);
        if (total == 0) continue;
        double qq = 0;
        for (int c = 0; c < 3; c++) qq += (q[c] / total) * (q[c] / total);
        assert_double_near(r.homophily[p], same / total, 1e-9);
        assert_double_near(r.adjusted[p], (same / total - qq) / (1 - qq), 1e-9);
    }
    grl_dense_free(&X);
    grl_node_labels_free(&L);
    grl_graph_free(&G);
}

/* ---- training: determinism, files, real data ------------------------------ */

typedef struct {
    grl_graph *G;
    grl_dense *X;
    grl_node_labels *L;
    grl_node_splits *S;
} dataset;

static void load_dataset(dataset *d, const char *dir, const char *edges,
                         const char *features, const char *labels)
{
    char msg[GRL_MSG_LEN], path[3][512];
    snprintf(path[0], 512, "%s/%s", dir, edges);
    snprintf(path[1], 512, "%s/%s", dir, features);
    snprintf(path[2], 512, "%s/%s", dir, labels);
    d->G = load_graph(path[0], 1);
    assert_ok(grl_node_features_load(&d->X, d->G, path[1], GRL_FEATURES_AUTO, msg));
    assert_ok(grl_node_labels_load(&d->L, d->G, path[2], msg));
    d->S = NULL;
}

static void free_dataset(dataset *d)
{
    grl_graph_free(&d->G);
    grl_dense_free(&d->X);
    grl_node_labels_free(&d->L);
    grl_node_splits_free(&d->S);
}

/* Train ADPA with `threads` threads and return the predicted probabilities. */
static float *train_and_predict(dataset *d, int threads, int64_t epochs,
                                grl_adpa_pattern_attention pattern, double *acc)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_threads_set(threads, msg));
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    o.pattern_attention = pattern;
    o.train.epochs = epochs;
    o.train.seed = 11;
    o.patterns = GRL_ADPA_PATTERNS_ALL_UNDIRECTED; /* every branch kind */
    o.train.batch_size = 64; /* mini-batches: the shuffled order is exercised */
    grl_adpa_prop *P = NULL;
    grl_adpa *M = NULL;
    grl_gnn_train_result res;
    assert_ok(grl_adpa_prop_build(&P, d->G, d->X, &o, msg));
    assert_ok(grl_adpa_train(&M, &res, P, d->L, d->S, 0, &o, msg));
    float *proba = malloc(sizeof(float) * P->n * d->L->nclasses);
    assert_ok(grl_adpa_predict(M, P, proba, msg));
    if (acc) *acc = res.test_accuracy;
    assert_true(res.best_epoch >= 1 && res.best_epoch <= res.epochs_run);
    grl_adpa_free(&M);
    grl_adpa_prop_free(&P);
    assert_ok(grl_threads_set(2, msg));
    return proba;
}

static void test_same_bits_1_and_2_threads_and_shuffled_files(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const char *dir = data_path("chameleon_filtered");
    dataset d;
    load_dataset(&d, dir, "edges.txt", "features.txt", "labels.txt");
    assert_ok(grl_node_splits_load(&d.S, d.G, data_path("chameleon_filtered/splits.txt"), msg));
    assert_int_equal(d.S->nsplits, 10);
    double acc1, acc2;
    float *p1 = train_and_predict(&d, 1, 8, GRL_ADPA_PATTERN_SCALAR, &acc1);
    float *p2 = train_and_predict(&d, 2, 8, GRL_ADPA_PATTERN_SCALAR, &acc2);
    int64_t cells = d.X->rows * d.L->nclasses;
    assert_memory_equal(p1, p2, sizeof(float) * cells);
    assert_true(acc1 == acc2);
    /* node pattern attention likewise (and it is a different model) */
    float *n1 = train_and_predict(&d, 1, 8, GRL_ADPA_PATTERN_NODE, &acc1);
    float *n2 = train_and_predict(&d, 2, 8, GRL_ADPA_PATTERN_NODE, &acc2);
    assert_memory_equal(n1, n2, sizeof(float) * cells);
    assert_true(acc1 == acc2);
    assert_true(memcmp(n1, p1, sizeof(float) * cells) != 0);
    free(n1); free(n2);
    /* edges, labels and splits with their lines shuffled: the same bits */
    dataset e;
    char shuffled[3][512];
    snprintf(shuffled[0], 512, "%s", shuffled_copy(data_path("chameleon_filtered/edges.txt"), 1));
    snprintf(shuffled[1], 512, "%s", shuffled_copy(data_path("chameleon_filtered/labels.txt"), 2));
    snprintf(shuffled[2], 512, "%s", shuffled_copy(data_path("chameleon_filtered/splits.txt"), 3));
    e.G = load_graph(shuffled[0], 1);
    assert_ok(grl_node_features_load(&e.X, e.G, data_path("chameleon_filtered/features.txt"),
                                     GRL_FEATURES_AUTO, msg));
    assert_ok(grl_node_labels_load(&e.L, e.G, shuffled[1], msg));
    assert_ok(grl_node_splits_load(&e.S, e.G, shuffled[2], msg));
    float *p3 = train_and_predict(&e, 2, 8, GRL_ADPA_PATTERN_SCALAR, NULL);
    assert_memory_equal(p1, p3, sizeof(float) * cells);
    free(p1); free(p2); free(p3);
    free_dataset(&d);
    free_dataset(&e);
}

static void test_model_file_round_trip(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = tiny_graph();
    grl_dense *X = tiny_features(3);
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    assert_ok(grl_node_labels_load(&L, G, temp_file(".txt",
              "0 0\n1 1\n2 0\n3 1\n4 0\n5 1\n6 0\n7 1\n8 0\n"), msg));
    assert_ok(grl_node_splits_load(&S, G, temp_file(".txt",
              "0 train\n1 train\n2 train\n3 train\n4 val\n5 val\n6 test\n7 test\n8 test\n"), msg));
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    o.train.epochs = 20;
    o.patterns = GRL_ADPA_PATTERNS_DIR;
    grl_adpa_prop *P = NULL, *Pall = NULL;
    grl_adpa *M = NULL, *M2 = NULL;
    assert_ok(grl_adpa_prop_build(&P, G, X, &o, msg));
    assert_ok(grl_adpa_train(&M, NULL, P, L, S, 0, &o, msg));
    const char *path = temp_file(".adpa", "");
    assert_ok(grl_adpa_save(M, path, msg));
    assert_ok(grl_adpa_load(&M2, path, msg));
    float p1[TN * 2], p2[TN * 2];
    assert_ok(grl_adpa_predict(M, P, p1, msg));
    assert_ok(grl_adpa_predict(M2, P, p2, msg));
    assert_memory_equal(p1, p2, sizeof p1);
    double mass[3];
    assert_ok(grl_adpa_branch_mass(M2, P, mass, msg));
    assert_double_near(mass[0] + mass[1] + mass[2], 1.0, 1e-9);
    /* a model does not fit propagations of another pattern set */
    o.patterns = GRL_ADPA_PATTERNS_ALL;
    assert_ok(grl_adpa_prop_build(&Pall, G, X, &o, msg));
    expect_error(grl_adpa_predict(M2, Pall, p2, msg), msg, "does not fit");
    grl_adpa_prop_free(&Pall);
    /* nor damped ones (hop_damping) */
    o.patterns = GRL_ADPA_PATTERNS_DIR;
    o.hop_damping = 1;
    assert_ok(grl_adpa_prop_build(&Pall, G, X, &o, msg));
    expect_error(grl_adpa_predict(M2, Pall, p2, msg), msg, "trained on undamped hops");
    o.hop_damping = 0;
    grl_adpa_prop_free(&Pall);
    /* nor ones normalised with another r */
    o.r = 0.25;
    assert_ok(grl_adpa_prop_build(&Pall, G, X, &o, msg));
    expect_error(grl_adpa_predict(M2, Pall, p2, msg), msg, "with r = 0.42749");
    o.r = 0.42749;
    grl_adpa_prop_free(&Pall); /* the hostile builds below reuse it */
    grl_adpa_free(&M2);
    /* a header announcing a hidden size its parameters cannot hold is
     * refused before a model of that shape is allocated (adpa_file.c: the
     * 24-byte head, 2 + 8 uint32, r, dropout and f, then hidden at 88) */
    const int64_t huge_hidden = (int64_t)1 << 20;
    expect_error(grl_adpa_load(&M2, temp_patched(path, 88, &huge_hidden, 8), msg), msg,
                 "its shape needs at least");
    assert_null(M2);
    /* every flipped byte is caught (checksum, header checks) */
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    char *bytes = malloc(len);
    fseek(f, 0, SEEK_SET);
    assert_int_equal(fread(bytes, 1, len, f), len);
    fclose(f);
    for (long at = 0; at < len; at += 7) {
        bytes[at] ^= 0x5a;
        f = fopen(path, "wb");
        fwrite(bytes, 1, len, f);
        fclose(f);
        assert_true(grl_adpa_load(&M2, path, msg) < 0);
        assert_null(M2);
        bytes[at] ^= 0x5a;
    }
    f = fopen(path, "wb");
    fwrite(bytes, 1, len / 2, f); /* truncated */
    fclose(f);
    assert_true(grl_adpa_load(&M2, path, msg) < 0);
    free(bytes);
    /* hostile options */
    grl_adpa_options bad;
    grl_adpa_options_init(&bad);
    bad.hops = 0;
    expect_error(grl_adpa_prop_build(&Pall, G, X, &bad, msg), msg, "hops");
    bad.hops = 2;
    bad.patterns = GRL_ADPA_PATTERNS_AUTO;
    expect_error(grl_adpa_prop_build(&Pall, G, X, &bad, msg), msg, "auto");
    /* features at float32's limit: a propagated sum overflows, and says so */
    grl_dense *huge = tiny_features(5);
    for (int i = 0; i < TN * TF; i++) huge->data[i] = FLT_MAX;
    grl_adpa_options_init(&bad);
    expect_error(grl_adpa_prop_build(&Pall, G, huge, &bad, msg), msg, "overflows float32");
    assert_null(Pall);
    grl_dense_free(&huge);
    grl_adpa_options_init(&bad);
    bad.dropout = 1.0;
    expect_error(grl_adpa_train(&M2, NULL, P, L, S, 0, &bad, msg), msg, "dropout");
    grl_adpa_options_init(&bad);
    expect_error(grl_adpa_train(&M2, NULL, P, L, S, 3, &bad, msg), msg, "split 3");
    bad.train.optimizer.lr = 0;
    expect_error(grl_adpa_train(&M2, NULL, P, L, S, 0, &bad, msg), msg, "learning rate");
    /* the hop start is honoured (a step too small to move it) and checked */
    grl_adpa_options_init(&bad);
    bad.hop_prior = 3;
    bad.train.epochs = 1;
    bad.train.optimizer.lr = 1e-9;
    assert_ok(grl_adpa_train(&M2, NULL, P, L, S, 0, &bad, msg));
    for (int b = 1; b < M2->nbranches; b++)
        for (int k = 0; k <= M2->hops; k++)
            assert_double_near(grl_nn_value(&M2->params, M2->bp[b].c)[k], 3.0 * k, 1e-6);
    grl_adpa_free(&M2);
    bad.hop_prior = 21;
    expect_error(grl_adpa_train(&M2, NULL, P, L, S, 0, &bad, msg), msg, "hop_prior");
    bad.hop_prior = 4;
    bad.mask_empty_hops = 2;
    expect_error(grl_adpa_train(&M2, NULL, P, L, S, 0, &bad, msg), msg, "mask_empty_hops");
    grl_adpa_patterns ps;
    assert_ok(grl_adpa_patterns_parse("undirected", &ps, msg));
    assert_int_equal(ps, GRL_ADPA_PATTERNS_UNDIRECTED);
    expect_error(grl_adpa_patterns_parse("diagonal", &ps, msg), msg, "diagonal");
    assert_ok(grl_adpa_patterns_parse("all+undirected", &ps, msg));
    assert_int_equal(ps, GRL_ADPA_PATTERNS_ALL_UNDIRECTED);
    assert_string_equal(grl_adpa_patterns_name(ps), "all+undirected");
    bad.patterns = (grl_adpa_patterns)99;
    expect_error(grl_adpa_prop_build(&Pall, G, X, &bad, msg), msg, "unknown pattern set");
    /* the seventh branch (all+undirected) is a branch kind like the others
     * in the file: the model comes back predicting the same bits; a kind
     * this grl does not know (a newer file) is refused, not misread (the
     * kinds are 8 uint32 from offset 32: kind[7] at 60) */
    o.patterns = GRL_ADPA_PATTERNS_ALL_UNDIRECTED;
    grl_adpa *M7 = NULL;
    o.mask_empty_hops = 1; /* and the mask and damping flags come back */
    o.hop_damping = 1;
    assert_ok(grl_adpa_prop_build(&Pall, G, X, &o, msg));
    assert_ok(grl_adpa_train(&M7, NULL, Pall, L, S, 0, &o, msg));
    assert_true(M7->mask_empty);
    assert_ok(grl_adpa_save(M7, path, msg));
    assert_ok(grl_adpa_load(&M2, path, msg));
    assert_true(M2->mask_empty && M2->damped);
    assert_ok(grl_adpa_predict(M7, Pall, p1, msg));
    assert_ok(grl_adpa_predict(M2, Pall, p2, msg));
    assert_memory_equal(p1, p2, sizeof p1);
    grl_adpa_free(&M2);
    /* node pattern attention comes back too: its own parameters (no branch
     * scales; q_p and e_p; NODE's output layer hidden wide, NODE_CONCAT's
     * B hidden as the scalar one's), the same predictions, and masses that
     * are a distribution over the branches */
    const char *npath = temp_file(".adpa", "");
    const size_t B = (size_t)M7->nbranches, hC = (size_t)(M7->hidden * M7->nclasses);
    for (int a = GRL_ADPA_PATTERN_NODE; a <= GRL_ADPA_PATTERN_NODE_CONCAT; a++) {
        grl_adpa *Mn = NULL;
        o.pattern_attention = (grl_adpa_pattern_attention)a;
        assert_ok(grl_adpa_train(&Mn, NULL, Pall, L, S, 0, &o, msg));
        assert_int_equal(Mn->params.count, M7->params.count + B * (size_t)M7->hidden -
                                               (a == GRL_ADPA_PATTERN_NODE ? (B - 1) * hC : 0));
        assert_ok(grl_adpa_save(Mn, npath, msg));
        assert_ok(grl_adpa_load(&M2, npath, msg));
        assert_int_equal(M2->pattern, a);
        assert_ok(grl_adpa_predict(Mn, Pall, p1, msg));
        assert_ok(grl_adpa_predict(M2, Pall, p2, msg));
        assert_memory_equal(p1, p2, sizeof p1);
        double mass8[8], total = 0;
        assert_ok(grl_adpa_branch_mass(M2, Pall, mass8, msg));
        for (int b = 0; b < 8; b++) total += mass8[b];
        assert_double_near(total, 1.0, 1e-9);
        grl_adpa_free(&M2);
        grl_adpa_free(&Mn);
    }
    o.pattern_attention = GRL_ADPA_PATTERN_SCALAR;
    /* the (NODE_CONCAT) flag cleared, the file announces a scalar model its
     * parameters do not fill: refused, not misread */
    const uint32_t flags_scalar = 3; /* mask and damping, as trained */
    expect_error(grl_adpa_load(&M2, temp_patched(npath, 12, &flags_scalar, 4), msg), msg,
                 "for a shape that has");
    assert_null(M2);
    /* both node flags at once name no model */
    const uint32_t both_node = 3 | 4 | 8;
    expect_error(grl_adpa_load(&M2, temp_patched(npath, 12, &both_node, 4), msg), msg,
                 "corrupt ADPA model header");
    o.pattern_attention = (grl_adpa_pattern_attention)3;
    expect_error(grl_adpa_train(&M2, NULL, Pall, L, S, 0, &o, msg), msg,
                 "unknown pattern attention");
    o.pattern_attention = GRL_ADPA_PATTERN_SCALAR;
    grl_adpa_pattern_attention pa;
    assert_ok(grl_adpa_pattern_attention_parse("node", &pa, msg));
    assert_int_equal(pa, GRL_ADPA_PATTERN_NODE);
    expect_error(grl_adpa_pattern_attention_parse("edge", &pa, msg), msg, "edge");
    /* version 2 (no flags word) is refused, not misread; an unknown flag
     * too (the version at offset 8, the flags word at 12) */
    const uint32_t v2 = 2, unknown_flag = 16;
    expect_error(grl_adpa_load(&M2, temp_patched(path, 8, &v2, 4), msg), msg,
                 "reads version 3 only");
    expect_error(grl_adpa_load(&M2, temp_patched(path, 12, &unknown_flag, 4), msg), msg,
                 "corrupt ADPA model header");
    assert_ok(grl_adpa_load(&M2, path, msg));
    assert_string_equal(grl_adpa_prop_branch_name(Pall, 7), "sym");
    grl_adpa_free(&M2);
    const uint32_t unknown_kind = GRL_BRANCH_KINDS;
    expect_error(grl_adpa_load(&M2, temp_patched(path, 60, &unknown_kind, 4), msg), msg,
                 "corrupt ADPA model header");
    assert_null(M2);
    /* parameters too large for the features: refused, not NaN probabilities */
    for (size_t i = 0; i < M->params.count; i++) M->params.value[i] = 3e38f;
    expect_error(grl_adpa_predict(M, P, p1, msg), msg, "overflow float32");
    grl_adpa_free(&M7);
    grl_adpa_free(&M);
    grl_adpa_prop_free(&P);
    grl_adpa_prop_free(&Pall);
    grl_node_labels_free(&L);
    grl_node_splits_free(&S);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

static void test_cora_ml_beats_features_only(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    dataset d;
    load_dataset(&d, data_path("cora_ml"), "edges.txt", "features.txt", "labels.txt");
    grl_node_splits_options so;
    grl_node_splits_options_init(&so);
    so.repeats = 1;
    assert_ok(grl_node_splits_generate(&d.S, d.G, d.L, &so, msg));
    double acc[2];
    grl_adpa_patterns sets[2] = {GRL_ADPA_PATTERNS_FEATURES, GRL_ADPA_PATTERNS_DIR};
    for (int s = 0; s < 2; s++) {
        grl_adpa_options o;
        grl_adpa_options_init(&o);
        o.patterns = sets[s];
        o.train.epochs = 100;
        grl_adpa_evaluation E;
        assert_ok(grl_adpa_evaluate(&E, NULL, NULL, d.G, d.X, d.L, d.S, &o, msg));
        acc[s] = E.test_mean;
        grl_adpa_evaluation_release(&E);
    }
    /* published: an MLP on Cora-ML features ~0.65-0.70, graph models ~0.8 */
    assert_true(acc[0] > 0.55 && acc[0] < 0.78);
    assert_true(acc[1] > 0.74);
    assert_true(acc[1] > acc[0] + 0.05);
    free_dataset(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_gradient),
        cmocka_unit_test(test_activation_gradients),
        cmocka_unit_test(test_dropout),
        cmocka_unit_test(test_softmax_and_losses),
        cmocka_unit_test(test_optimizers),
        cmocka_unit_test(test_propagation_matches_dense),
        cmocka_unit_test(test_pattern_attention_gradient),
        cmocka_unit_test(test_adpa_gradient_end_to_end),
        cmocka_unit_test(test_adpa_empty_hops),
        cmocka_unit_test(test_node_data_files),
        cmocka_unit_test(test_generated_splits),
        cmocka_unit_test(test_profile_brute_force),
        cmocka_unit_test(test_same_bits_1_and_2_threads_and_shuffled_files),
        cmocka_unit_test(test_model_file_round_trip),
        cmocka_unit_test(test_cora_ml_beats_features_only),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    grl_finalize(NULL);
    return failed;
}
