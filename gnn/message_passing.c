/* message_passing.c — the attention message-passing layer of
 * message_passing.h: forward, backward (checked against finite differences
 * in tests/test_gnn_tasks.c) and the arc orders it needs. */
#include "message_passing.h"

#include <float.h>
#include <math.h>

int grl_mp_graph_build(grl_mp_graph *G, int64_t nodes, int64_t arcs,
                       const int64_t *in_ptr, const int64_t *arc_source,
                       char *msg)
{
#define FREE_ALL grl_mp_graph_release(G)
    memset(G, 0, sizeof(*G));
    G->nodes = nodes;
    G->arcs = arcs;
    G->in_ptr = in_ptr;
    G->arc_source = arc_source;
    GRL_ALLOC(G->arc_target, int64_t, arcs);
    GRL_CALLOC(G->out_ptr, int64_t, nodes + 1);
    GRL_ALLOC(G->out_arc, int64_t, arcs);
    for (int64_t i = 0; i < nodes; i++)
        for (int64_t k = in_ptr[i]; k < in_ptr[i + 1]; k++) G->arc_target[k] = i;
    for (int64_t k = 0; k < arcs; k++) G->out_ptr[arc_source[k] + 1]++;
    for (int64_t i = 0; i < nodes; i++) G->out_ptr[i + 1] += G->out_ptr[i];
    /* a cursor per node, then out_ptr restored by shifting the cursors */
    for (int64_t k = 0; k < arcs; k++) G->out_arc[G->out_ptr[arc_source[k]]++] = k;
    for (int64_t i = nodes; i > 0; i--) G->out_ptr[i] = G->out_ptr[i - 1];
    G->out_ptr[0] = 0;
    return 0;
#undef FREE_ALL
}

void grl_mp_graph_release(grl_mp_graph *G)
{
    free(G->arc_target);
    free(G->out_ptr);
    free(G->out_arc);
    memset(G, 0, sizeof(*G));
}

int grl_mp_layer_add(grl_mp_layer *L, grl_nn_params *P, int64_t node_in,
                     int64_t arc_in, int64_t message, int64_t hidden,
                     int64_t node_out, grl_nn_activation activation, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(node_in >= 1 && arc_in >= 0 && message >= 1 && hidden >= 1 &&
                node_out >= 1, "message passing: widths must be >= 1 (arc "
                "features >= 0)");
    GRL_REQUIRE(P->ntensors + 12 <= GRL_NN_MAX_TENSORS, "message passing: a model "
                "holds at most %d tensors (12 per layer): use fewer layers",
                GRL_NN_MAX_TENSORS);
    *L = (grl_mp_layer){node_in, arc_in, message, hidden, node_out, activation,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    int64_t zin = arc_in + 2 * node_in;
    L->edge_w1 = grl_nn_params_add(P, zin, hidden);
    L->edge_b1 = grl_nn_params_add(P, 1, hidden);
    L->edge_w2 = grl_nn_params_add(P, hidden, message);
    L->edge_b2 = grl_nn_params_add(P, 1, message);
    L->att_w1 = grl_nn_params_add(P, zin, hidden);
    L->att_b1 = grl_nn_params_add(P, 1, hidden);
    L->att_w2 = grl_nn_params_add(P, hidden, 1);
    L->att_b2 = grl_nn_params_add(P, 1, 1);
    L->node_w1 = grl_nn_params_add(P, node_in + message, hidden);
    L->node_b1 = grl_nn_params_add(P, 1, hidden);
    L->node_w2 = grl_nn_params_add(P, hidden, node_out);
    L->node_b2 = grl_nn_params_add(P, 1, node_out);
    return 0;
#undef FREE_ALL
}

void grl_mp_layer_init(const grl_mp_layer *L, grl_nn_params *P, uint64_t seed)
{
    const int w1[3] = {L->edge_w1, L->att_w1, L->node_w1};
    const int w2[3] = {L->edge_w2, L->att_w2, L->node_w2};
    for (int net = 0; net < 3; net++) {
        /* a bias follows its weight: tensors w, w + 1 */
        double b1 = 1.0 / sqrt((double)P->t[w1[net]].rows);
        double b2 = 1.0 / sqrt((double)P->t[w2[net]].rows);
        grl_nn_params_uniform(P, w1[net], b1, seed);
        grl_nn_params_uniform(P, w1[net] + 1, b1, seed);
        grl_nn_params_uniform(P, w2[net], b2, seed);
        grl_nn_params_uniform(P, w2[net] + 1, b2, seed);
    }
}

void grl_mp_cache_release(grl_mp_cache *C)
{
    float **arrays[] = {&C->z, &C->e1, &C->e1a, &C->u, &C->a1, &C->a1a, &C->logit,
                        &C->alpha, &C->nin, &C->n1, &C->n1a};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        free(*arrays[i]);
        *arrays[i] = NULL;
    }
    C->nodes_cap = C->arcs_cap = 0;
}

/* Grow C's arrays to n nodes, m arcs. */
static int cache_reserve(grl_mp_cache *C, const grl_mp_layer *L, int64_t n,
                         int64_t m, char *msg)
{
#define FREE_ALL grl_mp_cache_release(C)
    if (n <= C->nodes_cap && m <= C->arcs_cap) return 0;
    n = n > C->nodes_cap ? n : C->nodes_cap;
    m = m > C->arcs_cap ? m : C->arcs_cap;
    grl_mp_cache_release(C);
    size_t M = (size_t)m, N = (size_t)n;
    size_t zin = (size_t)(L->arc_in + 2 * L->node_in), hid = (size_t)L->hidden;
    GRL_ALLOC(C->z, float, grl_size_mul(M, zin));
    GRL_ALLOC(C->e1, float, grl_size_mul(M, hid));
    GRL_ALLOC(C->e1a, float, grl_size_mul(M, hid));
    GRL_ALLOC(C->u, float, grl_size_mul(M, (size_t)L->message));
    GRL_ALLOC(C->a1, float, grl_size_mul(M, hid));
    GRL_ALLOC(C->a1a, float, grl_size_mul(M, hid));
    GRL_ALLOC(C->logit, float, M);
    GRL_ALLOC(C->alpha, float, M);
    GRL_ALLOC(C->nin, float, grl_size_mul(N, (size_t)(L->node_in + L->message)));
    GRL_ALLOC(C->n1, float, grl_size_mul(N, hid));
    GRL_ALLOC(C->n1a, float, grl_size_mul(N, hid));
    C->nodes_cap = n;
    C->arcs_cap = m;
    return 0;
#undef FREE_ALL
}

void grl_mp_mlp_forward(const grl_nn_params *P, int w1, int w2, grl_nn_activation f,
                        const float *X, int64_t rows, float *pre, float *post,
                        float *Y)
{
    int64_t in = P->t[w1].rows, hid = P->t[w1].cols, out = P->t[w2].cols;
    grl_nn_linear_forward(pre, X, grl_nn_value(P, w1), grl_nn_value(P, w1 + 1), rows,
                          in, hid);
    grl_nn_activation_forward(f, post, pre, rows * hid);
    grl_nn_linear_forward(Y, post, grl_nn_value(P, w2), grl_nn_value(P, w2 + 1), rows,
                          hid, out);
}

void grl_mp_mlp_backward(grl_nn_params *P, int w1, int w2, grl_nn_activation f,
                         const float *X, int64_t rows, const float *pre,
                         const float *post, const float *dY, float *dpost,
                         float *dX, float *scratch)
{
    int64_t in = P->t[w1].rows, hid = P->t[w1].cols, out = P->t[w2].cols;
    grl_nn_linear_backward(dpost, grl_nn_grad(P, w2), grl_nn_grad(P, w2 + 1), post,
                           grl_nn_value(P, w2), dY, rows, hid, out, scratch);
    grl_nn_activation_backward(f, dpost, pre, post, dpost, rows * hid);
    grl_nn_linear_backward(dX, grl_nn_grad(P, w1), grl_nn_grad(P, w1 + 1), X,
                           grl_nn_value(P, w1), dpost, rows, in, hid, scratch);
}

/* The largest magnitude among count floats. */
static float largest_abs(const float *x, int64_t count)
{
    float big = 0;
    for (int64_t i = 0; i < count; i++) big = fabsf(x[i]) > big ? fabsf(x[i]) : big;
    return big;
}

int grl_mp_forward(const grl_mp_layer *L, const grl_nn_params *P,
                   const grl_mp_graph *G, const float *h, const float *e,
                   grl_mp_cache *C, float *out, char *msg)
{
#define FREE_ALL ;
    const int64_t n = G->nodes, m = G->arcs, d = L->node_in, a = L->arc_in,
                  zin = a + 2 * d, w = L->message;
    GRL_TRY(cache_reserve(C, L, n, m, msg));
#pragma omp parallel for schedule(static) if (m * zin > GRL_NN_PARALLEL_WORK)
    for (int64_t k = 0; k < m; k++) {
        float *z = C->z + k * zin;
        if (a > 0) memcpy(z, e + k * a, sizeof(float) * (size_t)a);
        memcpy(z + a, h + G->arc_source[k] * d, sizeof(float) * (size_t)d);
        memcpy(z + a + d, h + G->arc_target[k] * d, sizeof(float) * (size_t)d);
    }
    grl_mp_mlp_forward(P, L->edge_w1, L->edge_w2, L->activation, C->z, m, C->e1, C->e1a, C->u);
    grl_mp_mlp_forward(P, L->att_w1, L->att_w2, L->activation, C->z, m, C->a1, C->a1a, C->logit);
    /* softmax over each node's in-arcs, then the attention-weighted sum */
#pragma omp parallel for schedule(static) if (m * w > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++) {
        const int64_t lo = G->in_ptr[i], hi = G->in_ptr[i + 1];
        float *nin = C->nin + i * (d + w), *msum = nin + d;
        memcpy(nin, h + i * d, sizeof(float) * (size_t)d);
        memset(msum, 0, sizeof(float) * (size_t)w);
        if (hi == lo) continue;
        float mx = C->logit[lo];
        for (int64_t k = lo + 1; k < hi; k++) mx = C->logit[k] > mx ? C->logit[k] : mx;
        double s = 0;
        for (int64_t k = lo; k < hi; k++) s += (C->alpha[k] = expf(C->logit[k] - mx));
        for (int64_t k = lo; k < hi; k++) {
            C->alpha[k] = (float)(C->alpha[k] / s);
            for (int64_t c = 0; c < w; c++) msum[c] += C->alpha[k] * C->u[k * w + c];
        }
    }
    grl_mp_mlp_forward(P, L->node_w1, L->node_w2, L->activation, C->nin, n, C->n1, C->n1a, out);
    int64_t bad = grl_first_nonfinite(out, n * L->node_out);
    if (bad < 0) return 0;
    /* inputs beyond sqrt(FLT_MAX) overflow float32 in any product of two:
     * then the inputs are at fault, not the learning rate */
    const float big = fmaxf(largest_abs(h, n * d), largest_abs(C->z, m * zin));
    if (big > sqrtf(FLT_MAX))
        GRL_FAIL(GRL_INVALID_ARGUMENT, "message passing: a non-finite output (node %"
                 PRId64 "): the layer's inputs reach %.3g, too large for float32 "
                 "arithmetic (above %.3g): scale the features down", bad / L->node_out,
                 (double)big, (double)sqrtf(FLT_MAX));
    GRL_FAIL(GRL_INVALID_ARGUMENT, "message passing: a non-finite output (node %"
             PRId64 "): lower the learning rate or scale the features", bad / L->node_out);
#undef FREE_ALL
}

int grl_mp_backward(const grl_mp_layer *L, grl_nn_params *P,
                    const grl_mp_graph *G, const grl_mp_cache *C, const float *dout, const float *du_in,
                    float *dh, float *de, char *msg)
{
    float *dnin = NULL, *dnh = NULL, *du = NULL, *dlogit = NULL, *dz = NULL,
          *dza = NULL, *scratch = NULL;
#define FREE_ALL free(dnin); free(dnh); free(du); free(dlogit); free(dz); \
    free(dza); free(scratch)
    const int64_t n = G->nodes, m = G->arcs, d = L->node_in, a = L->arc_in,
                  zin = a + 2 * d, w = L->message, hid = L->hidden;
    size_t rows = (size_t)(n > m ? n : m), widest = (size_t)(zin > d + w ? zin : d + w);
    widest = widest > (size_t)w ? widest : (size_t)w;
    size_t sc = grl_nn_gemm_tn_scratch((int64_t)rows, (int64_t)widest,
                                       hid > L->node_out ? hid : L->node_out);
    GRL_ALLOC(scratch, float, sc > 0 ? sc : 1);
    GRL_ALLOC(dnin, float, grl_size_mul((size_t)n, (size_t)(d + w)));
    GRL_ALLOC(dnh, float, grl_size_mul(rows, (size_t)hid));
    GRL_ALLOC(du, float, grl_size_mul((size_t)m, (size_t)w));
    GRL_ALLOC(dlogit, float, m);
    GRL_ALLOC(dz, float, grl_size_mul((size_t)m, (size_t)zin));
    GRL_ALLOC(dza, float, grl_size_mul((size_t)m, (size_t)zin));
    /* node network */
    grl_mp_mlp_backward(P, L->node_w1, L->node_w2, L->activation, C->nin, n, C->n1, C->n1a,
                 dout, dnh, dnin, scratch);
    /* attention-weighted sum and the softmax over in-arcs */
#pragma omp parallel for schedule(static) if (m * w > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++) {
        const float *dm = dnin + i * (d + w) + d;
        double dot = 0;
        for (int64_t k = G->in_ptr[i]; k < G->in_ptr[i + 1]; k++) {
            double dalpha = 0;
            for (int64_t c = 0; c < w; c++) {
                dalpha += (double)dm[c] * C->u[k * w + c];
                du[k * w + c] = C->alpha[k] * dm[c] + (du_in ? du_in[k * w + c] : 0.0f);
            }
            dlogit[k] = (float)dalpha; /* dalpha for now */
            dot += C->alpha[k] * dalpha;
        }
        for (int64_t k = G->in_ptr[i]; k < G->in_ptr[i + 1]; k++)
            dlogit[k] = (float)(C->alpha[k] * (dlogit[k] - dot));
    }
    /* edge and attention networks, their input gradients summed */
    grl_mp_mlp_backward(P, L->edge_w1, L->edge_w2, L->activation, C->z, m, C->e1, C->e1a, du,
                 dnh, dz, scratch);
    grl_mp_mlp_backward(P, L->att_w1, L->att_w2, L->activation, C->z, m, C->a1, C->a1a, dlogit,
                 dnh, dza, scratch);
    for (size_t x = 0; x < (size_t)m * (size_t)zin; x++) dz[x] += dza[x];
    if (de != NULL && a > 0)
        for (int64_t k = 0; k < m; k++)
            memcpy(de + k * a, dz + k * zin, sizeof(float) * (size_t)a);
    if (dh != NULL) {
        /* h_i reaches the output through [h_i, m_i], as the target of its
         * in-arcs and as the source of its out-arcs: summed in that order */
#pragma omp parallel for schedule(static) if (m * d > GRL_NN_PARALLEL_WORK)
        for (int64_t i = 0; i < n; i++) {
            float *g = dh + i * d;
            memcpy(g, dnin + i * (d + w), sizeof(float) * (size_t)d);
            for (int64_t k = G->in_ptr[i]; k < G->in_ptr[i + 1]; k++)
                for (int64_t c = 0; c < d; c++) g[c] += dz[k * zin + a + d + c];
            for (int64_t j = G->out_ptr[i]; j < G->out_ptr[i + 1]; j++) {
                int64_t k = G->out_arc[j];
                for (int64_t c = 0; c < d; c++) g[c] += dz[k * zin + a + c];
            }
        }
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
