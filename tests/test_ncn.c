/* test_ncn.c — NCN and NCNC against independent oracles: the common-
 * neighbour (and one-sided) lists against a brute-force set intersection on
 * a dense adjacency and against linkpred's CN; each new layer's backward
 * and the NCN score's gradient end to end against central finite
 * differences (the loss summed in double); the propagation against dense
 * matrices built in double; determinism (1 vs 2 threads); model files;
 * hostile inputs; and on Cora a short training run against the CN
 * heuristic on the same split. */
#include "testutil.h"
#include "../gnn/ncn_internal.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

/* this file's tolerance for gradient checks */
static void grad_close(double fd, double an, double scale, const char *what, int64_t index)
{
    assert_grad_close(fd, an, scale, 3e-3, 3e-2, what, index);
}






/* An undirected Erdős–Rényi graph. */
static grl_graph *random_graph(int64_t n, int64_t m, uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_generate_erdos_renyi(&G, n, m, false, seed, msg));
    return G;
}

/* n x f features, about half of them zero. */
static grl_dense *random_features(int64_t n, int64_t f, uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    grl_dense *X = NULL;
    assert_ok(grl_dense_new(&X, n, f, msg));
    fill_uniform(X->data, n * f, seed, 11, 1);
    for (int64_t e = 0; e < n * f; e++)
        if (fabsf(X->data[e]) < 0.5f) X->data[e] = 0.0f;
    return X;
}

/* Dense 0/1 adjacency of an ncn_adj. */
static uint8_t *dense_adj(const ncn_adj *A)
{
    uint8_t *D = calloc((size_t)(A->n * A->n), 1);
    for (int64_t i = 0; i < A->n; i++)
        for (int64_t a = A->p[i]; a < A->p[i + 1]; a++) D[i * A->n + A->j[a]] = 1;
    return D;
}

/* ---- the common-neighbour lists ------------------------------------------ */

static void test_lists_brute_force(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t n = 40;
    grl_graph *G = random_graph(n, 150, 3);
    ncn_adj A;
    assert_ok(ncn_adj_build(&A, G, msg));
    assert_int_equal(A.m, grl_graph_num_edges(G));
    uint8_t *D = dense_adj(&A);
    for (int64_t i = 0; i < n; i++) assert_int_equal(D[i * n + i], 0);
    /* every ordered pair */
    int64_t np = n * (n - 1), *u = malloc(sizeof(int64_t) * np),
            *v = malloc(sizeof(int64_t) * np);
    for (int64_t a = 0, k = 0; a < n; a++)
        for (int64_t b = 0; b < n; b++)
            if (a != b) { u[k] = a; v[k++] = b; }
    ncn_lists L = {0};
    assert_ok(ncn_lists_build(&L, &A, u, v, np, true, msg));
    double *cn = malloc(sizeof(double) * np);
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    o.method = GRL_LINKPRED_CN;
    assert_ok(grl_linkpred_score(G, u, v, np, &o, cn, msg));
    for (int64_t k = 0; k < np; k++) {
        int64_t a = u[k], b = v[k], common = 0, side_a = 0, side_b = 0;
        for (int64_t q = L.off[k]; q < L.off[k + 1]; q++) {
            int64_t x = L.node[q];
            if (L.other[q] == -1 && L.w[q] == 1.0f) { /* a common neighbour */
                assert_true(D[a * n + x] && D[b * n + x]);
                common++;
            } else if (L.other[q] == -1) { /* b itself on a's side */
                assert_true(x == b || x == a);
                assert_true(D[a * n + b]);
                assert_true(L.w[q] == 0.0f);
            } else if (L.other[q] == b) {
                assert_true(D[a * n + x] && !D[b * n + x] && x != b);
                side_a++;
            } else {
                assert_int_equal(L.other[q], a);
                assert_true(D[b * n + x] && !D[a * n + x] && x != a);
                side_b++;
            }
        }
        int64_t bc = 0, ba = 0, bb = 0; /* brute force */
        for (int64_t x = 0; x < n; x++) {
            bc += D[a * n + x] && D[b * n + x];
            ba += D[a * n + x] && !D[b * n + x] && x != b;
            bb += D[b * n + x] && !D[a * n + x] && x != a;
        }
        assert_int_equal(common, bc);
        assert_int_equal(side_a, ba);
        assert_int_equal(side_b, bb);
        assert_double_near(cn[k], (double)bc, 0);
    }
    /* without completion: only the common neighbours */
    assert_ok(ncn_lists_build(&L, &A, u, v, np, false, msg));
    for (int64_t k = 0; k < np; k++)
        assert_double_near((double)(L.off[k + 1] - L.off[k]), cn[k], 0);
    ncn_lists_free(&L);
    free(u); free(v); free(cn); free(D);
    ncn_adj_free(&A);
    grl_graph_free(&G);
}

static void test_directed_graph_is_symmetrised(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t src[] = {0, 1, 2, 3, 3}, dst[] = {1, 2, 0, 3, 0};
    grl_graph *G = NULL;
    grl_load_options lo;
    grl_load_options_init(&lo);
    lo.self_loops = GRL_SELF_LOOPS_KEEP;
    assert_ok(grl_graph_from_edges(&G, 4, src, dst, NULL, 5, true, &lo, msg));
    ncn_adj A;
    assert_ok(ncn_adj_build(&A, G, msg));
    uint8_t *D = dense_adj(&A);
    /* A ∪ Aᵀ without the self-loop 3 -> 3 */
    const uint8_t want[16] = {0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0};
    assert_memory_equal(D, want, 16);
    assert_int_equal(A.m, 4);
    for (int64_t k = 0; k < A.m; k++) assert_true(A.eu[k] < A.ev[k]);
    free(D);
    ncn_adj_free(&A);
    grl_graph_free(&G);
}

/* ---- layers -------------------------------------------------------------- */

typedef struct {
    ncn_layer L;
    grl_nn_params P;
    ncn_layer_buf B;
    ncn_dropout D;
    float *X, *w;
    int64_t n;
} layer_case;

static double layer_loss(layer_case *c)
{
    char msg[GRL_MSG_LEN];
    assert_ok(ncn_layer_forward(&c->L, &c->P, &c->B, c->X, c->n, &c->D, msg));
    return weighted_sum(c->B.Y, c->w, c->n * c->L.out);
}

static void check_layer(bool layernorm)
{
    char msg[GRL_MSG_LEN];
    layer_case c;
    memset(&c, 0, sizeof c);
    c.n = 70;
    const int64_t in = 6, out = 5;
    int64_t *rows = malloc(sizeof(int64_t) * c.n);
    for (int64_t i = 0; i < c.n; i++) rows[i] = i;
    c.D = (ncn_dropout){0.2, 9, 4, rows};
    assert_int_equal(ncn_layer_add(&c.L, &c.P, in, out, layernorm, 3), 0);
    assert_ok(grl_nn_params_alloc(&c.P, msg));
    ncn_layer_init(&c.L, &c.P, 5);
    if (layernorm) { /* a LayerNorm away from g = 1, beta = 0 */
        fill_uniform(grl_nn_value(&c.P, c.L.g), out, 6, 11, 1);
        fill_uniform(grl_nn_value(&c.P, c.L.beta), out, 7, 11, 1);
    }
    c.X = malloc(sizeof(float) * c.n * in);
    c.w = malloc(sizeof(float) * c.n * out);
    fill_uniform(c.X, c.n * in, 8, 11, 2);
    fill_uniform(c.w, c.n * out, 9, 11, 1);
    float *dY = malloc(sizeof(float) * c.n * out), *dX = malloc(sizeof(float) * c.n * in);
    layer_loss(&c);
    memcpy(dY, c.w, sizeof(float) * c.n * out);
    ncn_layer_backward(&c.L, &c.P, &c.B, dY, dX, &c.D);
    for (int t = 0; t < c.P.ntensors; t++) {
        float *v = grl_nn_value(&c.P, t), *g = grl_nn_grad(&c.P, t);
        int64_t cnt = c.P.t[t].rows * c.P.t[t].cols;
        for (int64_t i = 0; i < cnt; i++)
            grad_close(FD(layer_loss(&c), v, i, 1e-3), g[i],
                              max_abs(g, cnt), "layer parameter", t * 1000 + i);
    }
    for (int64_t i = 0; i < c.n * in; i += 7)
        grad_close(FD(layer_loss(&c), c.X, i, 1e-3), dX[i],
                          max_abs(dX, c.n * in), "layer dX", i);
    free(rows); free(c.X); free(c.w); free(dY); free(dX);
    ncn_layer_buf_free(&c.B);
    grl_nn_params_release(&c.P);
}

static void test_layer_gradients(void **state)
{
    (void)state;
    check_layer(false);
    check_layer(true);
}

typedef struct {
    ncn_features F;
    float *W, *b, *Y, *w;
    int64_t d;
} sparse_case;

static double sparse_loss(sparse_case *c)
{
    ncn_sparse_forward(c->Y, &c->F, c->W, c->b, c->d, 0.3, 2, 5);
    return weighted_sum(c->Y, c->w, c->F.n * c->d);
}

static void test_sparse_layer_gradient_and_dense_oracle(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_dense *X = random_features(30, 9, 4);
    sparse_case c = {.d = 4};
    assert_ok(ncn_features_build(&c.F, X, msg));
    const int64_t n = 30, f = 9, d = 4;
    c.W = malloc(sizeof(float) * f * d);
    c.b = malloc(sizeof(float) * d);
    c.Y = malloc(sizeof(float) * n * d);
    c.w = malloc(sizeof(float) * n * d);
    fill_uniform(c.W, f * d, 1, 11, 1);
    fill_uniform(c.b, d, 2, 11, 1);
    fill_uniform(c.w, n * d, 3, 11, 1);
    /* without dropout it is X W + b computed densely in double */
    ncn_sparse_forward(c.Y, &c.F, c.W, c.b, d, 0.0, 2, 5);
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = 0; k < d; k++) {
            double s = c.b[k];
            for (int64_t j = 0; j < f; j++) s += (double)X->data[i * f + j] * c.W[j * d + k];
            assert_double_near(c.Y[i * d + k], s, 1e-5);
        }
    float *dW = calloc((size_t)(f * d), sizeof(float)), *db = calloc((size_t)d, sizeof(float));
    ncn_sparse_backward(dW, db, &c.F, c.w, d, 0.3, 2, 5);
    for (int64_t i = 0; i < f * d; i++)
        grad_close(FD(sparse_loss(&c), c.W, i, 1e-2), dW[i], max_abs(dW, f * d), "dW0", i);
    for (int64_t i = 0; i < d; i++)
        grad_close(FD(sparse_loss(&c), c.b, i, 1e-2), db[i], max_abs(db, d), "db0", i);
    free(c.W); free(c.b); free(c.Y); free(c.w); free(dW); free(db);
    ncn_features_free(&c.F);
    grl_dense_free(&X);
}

static void test_propagation_matches_dense(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t n = 25, d = 3;
    grl_graph *G = random_graph(n, 40, 8); /* sparse: some isolated nodes */
    ncn_adj A;
    assert_ok(ncn_adj_build(&A, G, msg));
    uint8_t *D = dense_adj(&A);
    float *X = malloc(sizeof(float) * n * d), *Y = malloc(sizeof(float) * n * d);
    fill_uniform(X, n * d, 3, 11, 1);
    for (int enc = 0; enc < 2; enc++) {
        /* P̂ in double */
        double *P = calloc((size_t)(n * n), sizeof(double));
        for (int64_t i = 0; i < n; i++) {
            double di = 0;
            for (int64_t j = 0; j < n; j++) di += D[i * n + j];
            for (int64_t j = 0; j < n; j++) {
                double dj = 0;
                for (int64_t k = 0; k < n; k++) dj += D[j * n + k];
                if (enc == GRL_NCN_GCN)
                    P[i * n + j] = (D[i * n + j] + (i == j)) / sqrt((1 + di) * (1 + dj));
                else
                    P[i * n + j] = (i == j) + (di > 0 ? D[i * n + j] / di : 0);
            }
        }
        for (int transposed = 0; transposed < 2; transposed++) {
            if (transposed) ncn_propagate_backward(Y, &A, (grl_ncn_encoder)enc, X, d);
            else ncn_propagate(Y, &A, (grl_ncn_encoder)enc, X, d);
            for (int64_t i = 0; i < n; i++)
                for (int64_t k = 0; k < d; k++) {
                    double s = 0;
                    for (int64_t j = 0; j < n; j++)
                        s += (transposed ? P[j * n + i] : P[i * n + j]) * X[j * d + k];
                    assert_double_near(Y[i * d + k], s, 1e-5);
                }
        }
        free(P);
    }
    free(X); free(Y); free(D);
    ncn_adj_free(&A);
    grl_graph_free(&G);
}

/* ---- the model end to end -------------------------------------------------- */

typedef struct {
    grl_ncn *M;
    ncn_adj A;
    ncn_features F;
    ncn_nodes N;
    ncn_pairs Q;
    int64_t *u, *v, P;
    float *c;
    bool completion;
} e2e_case;

static const ncn_mode e2e_mode = {true, 3, NULL};

static double e2e_loss(e2e_case *e)
{
    char msg[GRL_MSG_LEN];
    assert_ok(ncn_nodes_forward(e->M, &e->N, &e->F, &e->A, &e2e_mode, msg));
    assert_ok(ncn_pairs_forward(e->M, &e->Q, &e->N, &e->A, e->u, e->v, e->P,
                                e->completion, &e2e_mode, msg));
    return weighted_sum(e->Q.s, e->c, e->P);
}

/* Free the model and the pairs (kept: the graph, the features). */
static void e2e_free_model(e2e_case *e)
{
    free(e->u);
    free(e->v);
    free(e->c);
    e->u = e->v = NULL;
    e->c = NULL;
    grl_ncn_free(&e->M);
}

static void e2e_free(e2e_case *e)
{
    e2e_free_model(e);
    ncn_nodes_free(&e->N);
    ncn_pairs_free(&e->Q);
    ncn_adj_free(&e->A);
    ncn_features_free(&e->F);
}

/* The gradient of e2e_loss after a forward pass, added to M's grads. */
static void e2e_backward(e2e_case *e)
{
    const size_t cells = (size_t)(e->N.n * e->N.d);
    memcpy(e->Q.ds, e->c, sizeof(float) * e->P);
    memset(e->N.dh, 0, sizeof(float) * cells);
    memset(e->N.dx, 0, sizeof(float) * cells);
    ncn_pairs_backward(e->M, &e->Q, &e->N, &e2e_mode);
    ncn_nodes_backward(e->M, &e->N, &e->F, &e->A, &e2e_mode);
}

/* The gradient of a weighted sum of pair logits against finite differences,
 * through every parameter, for both encoders. With completion the weights
 * of the one-sided neighbours carry no gradient (as in the reference), so
 * prob_scale = 0 makes them a constant, pt / (1 + pt), and the finite
 * differences see the same function the backward pass differentiates. */
static void check_gradient_end_to_end(bool completion)
{
    char msg[GRL_MSG_LEN];
    const int64_t n = 24, f = 7;
    e2e_case e;
    memset(&e, 0, sizeof e);
    e.completion = completion;
    grl_graph *G = random_graph(n, 70, 12);
    grl_dense *X = random_features(n, f, 13);
    assert_ok(ncn_adj_build(&e.A, G, msg));
    assert_ok(ncn_features_build(&e.F, X, msg));
    for (int enc = 0; enc < 2; enc++) {
        grl_ncn_options o;
        grl_ncn_options_init(&o);
        o.hidden = 5;
        o.encoder = (grl_ncn_encoder)enc;
        o.feature_dropout = o.encoder_dropout = o.tail_dropout = 0.2;
        o.predictor_dropout = 0.1;
        o.seed = 21;
        o.completion = completion;
        o.prob_scale = completion ? 0.0 : o.prob_scale;
        assert_ok(ncn_new(&e.M, &o, f, msg));
        /* beta away from 1 so its gradient is not special */
        grl_nn_value(&e.M->pred, e.M->beta)[0] = 0.7f;
        e.P = 16;
        e.u = malloc(sizeof(int64_t) * e.P);
        e.v = malloc(sizeof(int64_t) * e.P);
        e.c = malloc(sizeof(float) * e.P);
        for (int64_t k = 0; k < e.P; k++) { /* edges and random pairs */
            e.u[k] = k % 2 ? e.A.eu[k] : (k * 7) % n;
            e.v[k] = k % 2 ? e.A.ev[k] : (k * 5 + 3) % n;
        }
        fill_uniform(e.c, e.P, 14, 11, 1);
        e2e_loss(&e);
        int64_t one_sided = 0;
        for (int64_t q = 0; q < e.Q.L.count; q++)
            if (e.Q.L.other[q] >= 0) {
                assert_float_equal(e.Q.L.w[q], o.pt / (1 + o.pt), 1e-6);
                one_sided++;
            }
        assert_true(completion ? one_sided > e.P : one_sided == 0);
        e2e_backward(&e);
        grl_nn_params *stores[2] = {&e.M->enc, &e.M->pred};
        for (int s = 0; s < 2; s++)
            for (int t = 0; t < stores[s]->ntensors; t++) {
                float *v = grl_nn_value(stores[s], t), *g = grl_nn_grad(stores[s], t);
                int64_t cnt = stores[s]->t[t].rows * stores[s]->t[t].cols;
                double scale = max_abs(g, cnt);
                for (int64_t i = 0; i < cnt; i += 3)
                    grad_close(FD(e2e_loss(&e), v, i, 5e-4), g[i], scale,
                                      s ? "predictor" : "encoder", t * 1000 + i);
            }
        e2e_free_model(&e);
    }
    e2e_free(&e);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

static void test_ncn_gradient_end_to_end(void **state)
{
    (void)state;
    check_gradient_end_to_end(false);
}

static void test_ncnc_gradient_end_to_end(void **state)
{
    (void)state;
    check_gradient_end_to_end(true);
}

/* One MLP layer in double: relu([LayerNorm] (x W + b)), x of width d. */
static void dense_layer(double *y, const double *x, const grl_ncn *M,
                        const ncn_layer *L, int64_t d)
{
    const float *W = grl_nn_value(&M->pred, L->W), *b = grl_nn_value(&M->pred, L->b);
    double mu = 0, var = 0;
    for (int64_t c = 0; c < d; c++) {
        y[c] = b[c];
        for (int64_t r = 0; r < d; r++) y[c] += x[r] * W[r * d + c];
        mu += y[c] / (double)d;
    }
    for (int64_t c = 0; c < d && L->g >= 0; c++) var += (y[c] - mu) * (y[c] - mu) / (double)d;
    for (int64_t c = 0; c < d; c++) {
        if (L->g >= 0)
            y[c] = (y[c] - mu) / sqrt(var + 1e-5) * grl_nn_value(&M->pred, L->g)[c] +
                   grl_nn_value(&M->pred, L->beta)[c];
        y[c] = y[c] > 0 ? y[c] : 0;
    }
}

/* NCNC's completion weights as the reference computes them (eval mode):
 * the inner NCN takes x for h and x + MLP_x(x) for x, on the completion
 * graph it is given. The oracle builds x + MLP_x(x) in double, scores the
 * one-sided pairs with the plain NCN path on that graph and calibrates the
 * scores as the paper's p = alpha pt p0 / (pt p0 + 1 - p0). */
static void test_ncnc_completion_weights(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t n = 30, f = 6, d = 5, P = 12;
    grl_graph *G = random_graph(n, 90, 31);
    grl_dense *X = random_features(n, f, 32);
    ncn_adj A = {0}, A2 = {0};
    ncn_features F = {0};
    ncn_nodes N = {0};
    ncn_pairs Q = {0}, R = {0};
    assert_ok(ncn_adj_build(&A, G, msg));
    assert_ok(ncn_features_build(&F, X, msg));
    uint8_t *drop = calloc((size_t)A.m, 1);
    for (int64_t e = 0; e < A.m; e += 3) drop[e] = 1;
    assert_ok(ncn_adj_filter(&A2, &A, drop, msg));
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.hidden = d;
    o.completion = true;
    o.prob_scale = 1.5; /* scores of an untrained model are small */
    o.prob_offset = 0.2;
    grl_ncn *M = NULL;
    assert_ok(ncn_new(&M, &o, f, msg));
    const ncn_mode mode = {false, 0, &A2};
    assert_ok(ncn_nodes_forward(M, &N, &F, &A, &mode, msg));
    /* xc = x + MLP_x(x), in double */
    float *xc = malloc(sizeof(float) * n * d);
    double y1[8], y2[8], xi[8];
    for (int64_t i = 0; i < n; i++) {
        for (int64_t c = 0; c < d; c++) xi[c] = N.x[i * d + c];
        dense_layer(y1, xi, M, &M->layer[NCN_XLIN1], d);
        dense_layer(y2, y1, M, &M->layer[NCN_XLIN2], d);
        for (int64_t c = 0; c < d; c++) {
            xc[i * d + c] = (float)(xi[c] + y2[c]);
            assert_float_equal(N.xc[i * d + c], xc[i * d + c], 1e-4);
        }
    }
    int64_t u[P], v[P];
    for (int64_t k = 0; k < P; k++) {
        u[k] = (k * 7) % n;
        v[k] = (k * 11 + 5) % n;
    }
    assert_ok(ncn_pairs_forward(M, &Q, &N, &A, u, v, P, true, &mode, msg));
    ncn_nodes view = N;
    view.h = N.x;
    view.x = xc;
    int64_t checked = 0;
    double lo = 1, hi = 0;
    for (int64_t q = 0; q < Q.L.count; q++) {
        if (Q.L.other[q] < 0) continue;
        int64_t a = Q.L.other[q], b = Q.L.node[q];
        const ncn_mode plain = {false, 0, NULL};
        assert_ok(ncn_pairs_forward(M, &R, &view, &A2, &a, &b, 1, false, &plain, msg));
        double p0 = 1 / (1 + exp(-o.prob_scale * (R.s[0] - o.prob_offset)));
        double want = o.alpha * o.pt * p0 / (o.pt * p0 + 1 - p0);
        assert_float_equal(Q.L.w[q], want, 1e-5);
        lo = want < lo ? want : lo;
        hi = want > hi ? want : hi;
        checked++;
    }
    assert_true(checked > P && hi - lo > 1e-3); /* many, and not all alike */
    free(xc); free(drop);
    ncn_pairs_free(&Q); ncn_pairs_free(&R);
    ncn_nodes_free(&N);
    ncn_features_free(&F);
    ncn_adj_free(&A); ncn_adj_free(&A2);
    grl_ncn_free(&M);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

/* One training step's logits and gradients, NCN and NCNC, on a graph large
 * enough that every parallel loop of the forward and backward passes runs
 * in parallel (their work thresholds are asserted): the same bits with 1
 * and 2 threads. The short training runs below stay under those sizes. */
static void test_step_same_bits_1_and_2_threads_at_scale(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const int64_t n = 20000, f = 16, d = 64, P = 17000;
    grl_graph *G = random_graph(n, 80000, 41);
    grl_dense *X = random_features(n, f, 42);
    for (int completion = 0; completion < 2; completion++) {
        float *bits[2][3];
        size_t size[3];
        for (int t = 0; t < 2; t++) {
            omp_set_num_threads(t + 1);
            e2e_case e;
            memset(&e, 0, sizeof e);
            e.completion = completion;
            assert_ok(ncn_adj_build(&e.A, G, msg));
            assert_ok(ncn_features_build(&e.F, X, msg));
            grl_ncn_options o;
            grl_ncn_options_init(&o);
            o.hidden = d;
            o.completion = completion;
            o.seed = 8;
            assert_ok(ncn_new(&e.M, &o, f, msg));
            e.P = P;
            e.u = malloc(sizeof(int64_t) * P);
            e.v = malloc(sizeof(int64_t) * P);
            e.c = malloc(sizeof(float) * P);
            for (int64_t k = 0; k < P; k++) { /* edges and random pairs */
                e.u[k] = k % 2 ? e.A.eu[k] : (k * 7919) % n;
                e.v[k] = k % 2 ? e.A.ev[k] : (e.u[k] + 1 + k % (n - 1)) % n;
            }
            fill_uniform(e.c, P, 43, 11, 1);
            e2e_loss(&e);
            e2e_backward(&e);
            assert_true(P > 4096 && P * d > GRL_NN_PARALLEL_WORK / 8 &&
                        e.F.nnz * d > GRL_NN_PARALLEL_WORK &&
                        e.A.p[n] * d > GRL_NN_PARALLEL_WORK);
            assert_true(!completion || e.Q.L.count * d > GRL_NN_PARALLEL_WORK);
            const float *src[3] = {e.M->enc.grad, e.M->pred.grad, e.Q.s};
            size[0] = sizeof(float) * e.M->enc.count;
            size[1] = sizeof(float) * e.M->pred.count;
            size[2] = sizeof(float) * P;
            for (int b = 0; b < 3; b++) {
                bits[t][b] = malloc(size[b]);
                memcpy(bits[t][b], src[b], size[b]);
            }
            e2e_free(&e);
        }
        for (int b = 0; b < 3; b++) {
            assert_memory_equal(bits[0][b], bits[1][b], size[b]);
            free(bits[0][b]);
            free(bits[1][b]);
        }
    }
    grl_dense_free(&X);
    grl_graph_free(&G);
}

/* ---- training: determinism, files, hostile inputs --------------------------- */

typedef struct {
    grl_graph *G;
    grl_dense *X;
    grl_edge_split *S;
    int64_t *nu, *nv, nneg;
} setup;

static void setup_small(setup *s)
{
    char msg[GRL_MSG_LEN];
    s->G = random_graph(150, 600, 31);
    s->X = random_features(150, 12, 32);
    grl_edge_split_options so;
    grl_edge_split_options_init(&so);
    so.test_fraction = 0.2;
    so.valid_fraction = 0.1;
    so.seed = 5;
    assert_ok(grl_edge_split_new(&s->S, s->G, &so, msg));
    s->nneg = s->S->nvalid;
    s->nu = malloc(sizeof(int64_t) * s->nneg);
    s->nv = malloc(sizeof(int64_t) * s->nneg);
    assert_ok(grl_linkpred_negatives(s->G, s->nneg, 6, s->nu, s->nv, msg));
}

static void setup_free(setup *s)
{
    free(s->nu);
    free(s->nv);
    grl_edge_split_free(&s->S);
    grl_dense_free(&s->X);
    grl_graph_free(&s->G);
}

static grl_ncn *train_small(setup *s, bool completion)
{
    char msg[GRL_MSG_LEN];
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.hidden = 16;
    o.epochs = 3;
    o.batch_size = 100;
    o.completion = completion;
    o.seed = 4;
    grl_ncn *M = NULL;
    grl_ncn_train_result res;
    assert_ok(grl_ncn_train(&M, &res, s->S, s->X, s->nu, s->nv, s->nneg, &o, msg));
    assert_true(res.val_hits >= 0 && res.val_hits <= 1);
    assert_int_equal(grl_ncn_completion(M), completion);
    return M;
}

static void test_same_bits_1_and_2_threads(void **state)
{
    (void)state;
    setup s;
    setup_small(&s);
    for (int c = 0; c < 2; c++) {
        omp_set_num_threads(1);
        grl_ncn *M1 = train_small(&s, c);
        omp_set_num_threads(2);
        grl_ncn *M2 = train_small(&s, c);
        assert_memory_equal(M1->enc.value, M2->enc.value, sizeof(float) * M1->enc.count);
        assert_memory_equal(M1->pred.value, M2->pred.value, sizeof(float) * M1->pred.count);
        grl_ncn_free(&M1);
        grl_ncn_free(&M2);
    }
    setup_free(&s);
}

static void test_model_file_and_scoring(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    setup s;
    setup_small(&s);
    grl_ncn *M = train_small(&s, true), *L = NULL;
    const char *path = temp_file(".grl", "");
    assert_ok(grl_ncn_save(M, path, msg));
    assert_ok(grl_ncn_load(&L, path, msg));
    assert_true(grl_ncn_completion(L));
    assert_int_equal(grl_ncn_features(L), 12);
    assert_int_equal(grl_ncn_hidden(L), 16);
    int64_t np = s.S->ntest;
    double *a = malloc(sizeof(double) * np), *b = malloc(sizeof(double) * np);
    assert_ok(grl_ncn_score(M, s.S->train, s.X, s.S->test_u, s.S->test_v, np, a, msg));
    assert_ok(grl_ncn_score(L, s.S->train, s.X, s.S->test_u, s.S->test_v, np, b, msg));
    assert_memory_equal(a, b, sizeof(double) * np);
    /* top-k agrees with scoring the candidates it returns */
    int64_t cand[3 * 4], src[3] = {0, 7, 42};
    double sc[3 * 4], one;
    assert_ok(grl_ncn_topk(L, s.S->train, s.X, src, 3, 4, cand, sc, msg));
    for (int64_t i = 0; i < 12; i++) {
        if (cand[i] < 0) continue;
        assert_ok(grl_ncn_score(L, s.S->train, s.X, &src[i / 4], &cand[i], 1, &one, msg));
        assert_double_near(one, sc[i], 1e-6);
        if (i % 4) assert_true(sc[i] <= sc[i - 1]);
    }
    /* a header announcing features its encoder parameters cannot hold is
     * refused before a model of that shape is allocated (ncn_file.c: the
     * 24-byte head, 2 uint32, then f at 32) */
    grl_ncn_free(&L);
    const int64_t huge_f = (int64_t)1 << 31;
    assert_true(grl_ncn_load(&L, temp_patched(path, 32, &huge_f, 8), msg) < 0);
    assert_non_null(strstr(msg, "its shape needs at least"));
    assert_null(L);
    /* version 1 files (NCNC completed with the NCN score on h) are refused,
     * not loaded to score with another completion */
    const uint32_t v1 = 1;
    assert_true(grl_ncn_load(&L, temp_patched(path, 8, &v1, sizeof v1), msg) < 0);
    assert_non_null(strstr(msg, "format version 1"));
    assert_null(L);
    /* a flipped byte is caught by the checksum */
    FILE *f = fopen(path, "r+b");
    fseek(f, 100, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, 100, SEEK_SET);
    fputc(ch ^ 0x40, f);
    fclose(f);
    grl_ncn_free(&L);
    assert_true(grl_ncn_load(&L, path, msg) < 0);
    assert_null(L);
    assert_true(grl_ncn_load(&L, temp_file(".grl", "GRLNCN01 short"), msg) < 0);
    free(a); free(b);
    grl_ncn_free(&M);
    setup_free(&s);
}

static void test_hostile_inputs(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    setup s;
    setup_small(&s);
    grl_ncn *M = train_small(&s, false);
    int64_t u = 0, v = 150;
    double sc;
    assert_int_equal(grl_ncn_score(M, s.S->train, s.X, &u, &v, 1, &sc, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "out of range"));
    v = -1;
    assert_int_equal(grl_ncn_score(M, s.S->train, s.X, &v, &u, 1, &sc, msg),
                     GRL_INVALID_ARGUMENT);
    grl_dense *W = random_features(150, 11, 3);
    v = 1;
    assert_int_equal(grl_ncn_score(M, s.S->train, W, &u, &v, 1, &sc, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "the model needs"));
    grl_dense *H = random_features(149, 12, 3);
    assert_int_equal(grl_ncn_score(M, s.S->train, H, &u, &v, 1, &sc, msg),
                     GRL_INVALID_ARGUMENT);
    grl_ncn *B = NULL;
    assert_int_equal(grl_ncn_train(&B, NULL, s.S, H, s.nu, s.nv, s.nneg, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    s.X->data[5 * 12 + 3] = NAN; /* a NaN feature is refused, not propagated */
    assert_int_equal(grl_ncn_score(M, s.S->train, s.X, &u, &v, 1, &sc, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "feature (5, 3)"));
    assert_int_equal(grl_ncn_train(&B, NULL, s.S, s.X, s.nu, s.nv, s.nneg, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    s.X->data[5 * 12 + 3] = 0.0f;
    assert_null(B);
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.hidden = 0;
    assert_int_equal(grl_ncn_train(&B, NULL, s.S, s.X, s.nu, s.nv, s.nneg, &o, msg),
                     GRL_INVALID_ARGUMENT);
    grl_ncn_options_init(&o);
    o.edge_dropout = 1.0;
    assert_int_equal(grl_ncn_train(&B, NULL, s.S, s.X, s.nu, s.nv, s.nneg, &o, msg),
                     GRL_INVALID_ARGUMENT);
    int64_t bad = 1000;
    assert_int_equal(grl_ncn_train(&B, NULL, s.S, s.X, &bad, s.nv, 1, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_ncn_topk(M, s.S->train, s.X, &bad, 1, 3, &u, &sc, msg),
                     GRL_INVALID_ARGUMENT);
    grl_ncn_encoder e;
    assert_int_equal(grl_ncn_encoder_parse("gat", &e, msg), GRL_INVALID_ARGUMENT);
    assert_ok(grl_ncn_encoder_parse("SAGE", &e, msg));
    assert_int_equal(e, GRL_NCN_SAGE);
    grl_dense_free(&W);
    grl_dense_free(&H);
    grl_ncn_free(&M);
    setup_free(&s);
}

/* ---- real data ------------------------------------------------------------- */

/* Cora under the NCN protocol, a short run: NCN must beat CN's Hits@100 on
 * the same test edges and negatives by a wide margin. */
static void test_cora_beats_common_neighbours(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("cora_planetoid/edges.txt"), 0);
    grl_dense *X = NULL;
    assert_ok(grl_node_features_load(&X, G, data_path("cora_planetoid/features.txt"),
                                     GRL_FEATURES_AUTO, msg));
    assert_int_equal(X->cols, 1433);
    grl_edge_split *S = NULL;
    grl_edge_split_options so;
    grl_edge_split_options_init(&so);
    so.test_fraction = 0.2;
    so.valid_fraction = 0.1;
    so.seed = 1;
    assert_ok(grl_edge_split_new(&S, G, &so, msg));
    int64_t nneg = S->nvalid + S->ntest;
    int64_t *nu = malloc(sizeof(int64_t) * nneg), *nv = malloc(sizeof(int64_t) * nneg);
    assert_ok(grl_linkpred_negatives(G, nneg, 1, nu, nv, msg));
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.hidden = 64;
    o.epochs = 6;
    grl_ncn *M = NULL;
    assert_ok(grl_ncn_train(&M, NULL, S, X, nu, nv, S->nvalid, &o, msg));
    double *pos = malloc(sizeof(double) * S->ntest), *neg = malloc(sizeof(double) * S->ntest);
    double hits_ncn, hits_cn;
    assert_ok(grl_ncn_score(M, S->train, X, S->test_u, S->test_v, S->ntest, pos, msg));
    assert_ok(grl_ncn_score(M, S->train, X, nu + S->nvalid, nv + S->nvalid, S->ntest, neg, msg));
    assert_ok(grl_linkpred_hits(pos, S->ntest, neg, S->ntest, 100, &hits_ncn, msg));
    grl_linkpred_options lo;
    grl_linkpred_options_init(&lo);
    lo.method = GRL_LINKPRED_CN;
    assert_ok(grl_linkpred_score(S->train, S->test_u, S->test_v, S->ntest, &lo, pos, msg));
    assert_ok(grl_linkpred_score(S->train, nu + S->nvalid, nv + S->nvalid, S->ntest, &lo, neg, msg));
    assert_ok(grl_linkpred_hits(pos, S->ntest, neg, S->ntest, 100, &hits_cn, msg));
    print_message("Cora Hits@100: ncn (6 epochs, d 64) %.4f, cn %.4f\n", hits_ncn, hits_cn);
    assert_true(hits_cn > 0.25 && hits_cn < 0.45);
    assert_true(hits_ncn > hits_cn + 0.15);
    free(pos); free(neg); free(nu); free(nv);
    grl_ncn_free(&M);
    grl_edge_split_free(&S);
    grl_dense_free(&X);
    grl_graph_free(&G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_brute_force),
        cmocka_unit_test(test_directed_graph_is_symmetrised),
        cmocka_unit_test(test_layer_gradients),
        cmocka_unit_test(test_sparse_layer_gradient_and_dense_oracle),
        cmocka_unit_test(test_propagation_matches_dense),
        cmocka_unit_test(test_ncn_gradient_end_to_end),
        cmocka_unit_test(test_ncnc_gradient_end_to_end),
        cmocka_unit_test(test_ncnc_completion_weights),
        cmocka_unit_test(test_step_same_bits_1_and_2_threads_at_scale),
        cmocka_unit_test(test_same_bits_1_and_2_threads),
        cmocka_unit_test(test_model_file_and_scoring),
        cmocka_unit_test(test_hostile_inputs),
        cmocka_unit_test(test_cora_beats_common_neighbours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
