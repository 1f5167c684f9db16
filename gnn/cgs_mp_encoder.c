/* cgs_mp_encoder.c — CGS's message-passing encoder (the paper's §5 and the
 * reference's AttnMPNN, behind cgs_internal.h's seam):
 *   E   = act(X W_e + b_e)                           n x hidden (ReLU or SiLU)
 *   h_1 = MP_1(E), ..., h_L = MP_L(h_{L-1})          attention layers
 * (message_passing.h: edge, attention and node networks; every layer sees
 * the arc inputs). The last layer is m wide: its node outputs are the
 * biases b (n x m), its arc outputs u the logits s (arcs x m); the others
 * are hidden wide. So b and s see L hops of the graph, where the linear
 * encoder's see one. The last edge network's output bias starts at 0.5, in
 * the middle of clip(s, 0, 1)'s active range (cgs_encoder.c's reason). */
#include "cgs_internal.h"

#include <math.h>

void grl_cgs_mp_encoder_add(grl_fpgnn *M)
{
    grl_nn_params *p = &M->params;
    const int64_t h = M->hidden, m = M->heads, L = M->mp_layers;
    M->t[CGS_WE] = grl_nn_params_add(p, M->f, h);
    M->t[CGS_BE] = grl_nn_params_add(p, 1, h);
    for (int64_t l = 0; l < L; l++) { /* cannot fail: options checked, <= 38 tensors */
        const int64_t out = l == L - 1 ? m : h;
        (void)grl_mp_layer_add(&M->mp[l], p, h, M->arc_dim, out, h, out, M->act,
                               NULL);
    }
}

void grl_cgs_mp_encoder_init(grl_fpgnn *M, uint64_t key)
{
    grl_nn_params *p = &M->params;
    const double bf = 1.0 / sqrt((double)M->f);
    grl_nn_params_uniform(p, M->t[CGS_WE], bf, key);
    grl_nn_params_uniform(p, M->t[CGS_BE], bf, key);
    for (int64_t l = 0; l < M->mp_layers; l++)
        grl_mp_layer_init(&M->mp[l], p, grl_mix64(key + 0x9e37ull * (uint64_t)(l + 1)));
    grl_nn_params_fill(p, M->mp[M->mp_layers - 1].edge_b2, 0.5f);
}

int grl_cgs_mp_encoder_forward(grl_fpgnn *M, float **sout, float **bout, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const int64_t n = g->n, h = M->hidden, L = M->mp_layers;
    const size_t nh = grl_size_mul((size_t)n, (size_t)h);
    float *pre, *E, *hid, *b;
    GRL_TRY(grl_fpgnn_buffer(M, CGS_PRE, nh, &pre, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_E, nh, &E, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_MP_H, grl_size_mul(nh, (size_t)L), &hid, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_BIAS, grl_size_mul((size_t)n, (size_t)M->heads),
                             &b, msg));
    grl_mp_graph_release(&M->mp_graph);
    GRL_TRY(grl_mp_graph_build(&M->mp_graph, n, g->A.arcs, g->A.ptr, g->A.src, msg));
    const grl_nn_params *P = &M->params;
    grl_fpgnn_input_forward(pre, g, g->xval, grl_nn_value(P, M->t[CGS_WE]),
                            grl_nn_value(P, M->t[CGS_BE]), h);
    grl_nn_activation_forward(M->act, E, pre, (int64_t)nh);
    const float *in = E; /* layer l reads in, writes hid + l n h (the last: b) */
    for (int64_t l = 0; l < L; l++) {
        float *out = l == L - 1 ? b : hid + (size_t)l * nh;
        GRL_TRY(grl_mp_forward(&M->mp[l], P, &M->mp_graph, in, g->arc_x,
                               &M->mp_cache[l], out, msg));
        in = out;
    }
    *sout = M->mp_cache[L - 1].u;
    *bout = b;
    return 0;
#undef FREE_ALL
}

int grl_cgs_mp_encoder_backward(grl_fpgnn *M, const float *ds, const float *db,
                                const float *dskip, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const int64_t n = g->n, h = M->hidden, L = M->mp_layers;
    const size_t nh = grl_size_mul((size_t)n, (size_t)h);
    float *dh;
    GRL_TRY(grl_fpgnn_buffer(M, CGS_MP_DH, grl_size_mul(nh, 2), &dh, msg));
    grl_nn_params *P = &M->params;
    const float *dout = db;
    for (int64_t l = L - 1; l >= 0; l--) { /* dh alternates between two halves */
        float *din = dh + (size_t)(l % 2) * nh;
        GRL_TRY(grl_mp_backward(&M->mp[l], P, &M->mp_graph, &M->mp_cache[l], dout,
                                l == L - 1 ? ds : NULL, din, NULL, msg));
        dout = din;
    }
    float *dE = dh; /* layer 0 wrote the first half */
    if (dskip)
        for (size_t e = 0; e < nh; e++) dE[e] += dskip[e];
    const float *pre = M->buf[CGS_PRE];
    grl_nn_activation_backward(M->act, dE, pre, pre, dE, (int64_t)nh);
    grl_fpgnn_input_backward(grl_nn_grad(P, M->t[CGS_WE]), grl_nn_grad(P, M->t[CGS_BE]),
                             g, g->xval, dE, h);
    return 0;
#undef FREE_ALL
}
