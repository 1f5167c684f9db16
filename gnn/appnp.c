/* appnp.c — APPNP (Klicpera, Bojchevski, Günnemann, ICLR 2019, eq. 3-4):
 * H = MLP(X) (dropout, linear, ReLU, dropout, linear), then the personalised
 * PageRank fixed point Z = (1 - α) Â Z + α H solved to tolerance instead of
 * K = 10 power steps. Contraction: (1 - α) λ_pf(Â) (= 1 - α up to the power
 * iteration's bound: Â is symmetric with spectral radius 1). Backward: the
 * adjoint Y = (1 - α) Âᵀ Y + dL/dZ (Âᵀ's weights in its order kept with the
 * graph), then dL/dH = α Y. */
#include "fpgnn_internal.h"

#include <math.h>

enum { W1, B1, W2, B2 };
enum { XDROP = GRL_FPGNN_FIRST_KIND_BUFFER, PRE, HID, HK, BIAS, Z, SPARE, ADJ,
       DHID, SCRATCH };

static void add_params(grl_fpgnn *M)
{
    grl_nn_params *p = &M->params;
    M->t[W1] = grl_nn_params_add(p, M->f, M->hidden);
    M->t[B1] = grl_nn_params_add(p, 1, M->hidden);
    M->t[W2] = grl_nn_params_add(p, M->hidden, M->nclasses);
    M->t[B2] = grl_nn_params_add(p, 1, M->nclasses);
}

static void init_params(grl_fpgnn *M, uint64_t key)
{
    grl_nn_params *p = &M->params;
    const double b1 = 1.0 / sqrt((double)M->f), b2 = 1.0 / sqrt((double)M->hidden);
    grl_nn_params_uniform(p, M->t[W1], b1, key);
    grl_nn_params_uniform(p, M->t[B1], b1, key);
    grl_nn_params_uniform(p, M->t[W2], b2, key);
    grl_nn_params_uniform(p, M->t[B2], b2, key);
}

static int64_t width(const grl_fpgnn *M) { return M->nclasses; }

/* Z, the logits of every node (the MLP came first). */
static int embed(grl_fpgnn *M, float **E, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const int64_t n = g->n, h = M->hidden, k = M->nclasses;
    const size_t nh = grl_size_mul((size_t)n, (size_t)h);
    const size_t nk = grl_size_mul((size_t)n, (size_t)k);
    const bool drop = M->training && M->dropout > 0;
    float *xd, *pre, *hid, *hk, *bias, *z, *spare;
    const float *val = g->xval;
    if (drop) {
        GRL_TRY(grl_fpgnn_buffer(M, XDROP, (size_t)g->xptr[n], &xd, msg));
        grl_fpgnn_input_dropout(xd, g, M->dropout, M->seed, M->epoch);
        val = xd;
    }
    GRL_TRY(grl_fpgnn_buffer(M, PRE, nh, &pre, msg));
    GRL_TRY(grl_fpgnn_buffer(M, HID, nh, &hid, msg));
    GRL_TRY(grl_fpgnn_buffer(M, HK, nk, &hk, msg));
    GRL_TRY(grl_fpgnn_buffer(M, BIAS, nk, &bias, msg));
    GRL_TRY(grl_fpgnn_buffer(M, Z, nk, &z, msg));
    GRL_TRY(grl_fpgnn_buffer(M, SPARE, nk, &spare, msg));
    grl_fpgnn_input_forward(pre, g, val, grl_nn_value(&M->params, M->t[W1]),
                            grl_nn_value(&M->params, M->t[B1]), h);
    grl_nn_activation_forward(GRL_NN_RELU, hid, pre, (int64_t)nh);
    if (drop) grl_nn_dropout(hid, g->all, n, h, M->dropout, M->seed, M->epoch, 1);
    grl_nn_linear_forward(hk, hid, grl_nn_value(&M->params, M->t[W2]),
                          grl_nn_value(&M->params, M->t[B2]), n, h, k);
    const float a = (float)M->alpha;
    for (size_t e = 0; e < nk; e++) {
        bias[e] = a * hk[e];
        z[e] = 0.0f;
    }
    grl_fixed_point_report rep;
    int st = grl_fp_solve_linear(&z, &spare, &g->A, g->w, 1, (float)(1 - M->alpha),
                                 bias, k, false, (1 - M->alpha) * g->lambda,
                                 "APPNP", &M->solver, &rep, msg);
    grl_fpgnn_buffers_swapped(M, Z, z, SPARE, spare);
    GRL_TRY(grl_fpgnn_note(M, st, &rep, true, msg));
    *E = z;
    return 0;
#undef FREE_ALL
}

/* No decoder: the logits are Z's rows (or their sum over a graph). */
static int decode(grl_fpgnn *M, const float *in, int64_t rows,
                  const float **logits, char *msg)
{
    (void)M, (void)rows, (void)msg;
    *logits = in;
    return 0;
}

static int decode_backward(grl_fpgnn *M, const float *dlogits, int64_t rows,
                           const float **din, char *msg)
{
    (void)M, (void)rows, (void)msg;
    *din = dlogits;
    return 0;
}

static int embed_backward(grl_fpgnn *M, const float *dz, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const int64_t n = g->n, h = M->hidden, k = M->nclasses;
    const size_t nh = grl_size_mul((size_t)n, (size_t)h);
    const size_t nk = grl_size_mul((size_t)n, (size_t)k);
    const bool drop = M->training && M->dropout > 0;
    float *y, *spare = M->buf[SPARE], *dhid, *scratch;
    GRL_TRY(grl_fpgnn_buffer(M, ADJ, nk, &y, msg));
    GRL_TRY(grl_fpgnn_buffer(M, DHID, nh, &dhid, msg));
    GRL_TRY(grl_fpgnn_buffer(M, SCRATCH, grl_nn_gemm_tn_scratch(n, h, k), &scratch,
                             msg));
    memset(y, 0, sizeof(float) * nk);
    grl_fixed_point_report rep;
    int st = grl_fp_solve_linear(&y, &spare, &g->A, g->wt, 1, (float)(1 - M->alpha),
                                 dz, k, true, (1 - M->alpha) * g->lambda,
                                 "APPNP adjoint", &M->solver, &rep, msg);
    grl_fpgnn_buffers_swapped(M, ADJ, y, SPARE, spare);
    GRL_TRY(grl_fpgnn_note(M, st, &rep, false, msg));
    const float a = (float)M->alpha;
    for (size_t e = 0; e < nk; e++) y[e] *= a; /* dL/dH */
    grl_nn_linear_backward(dhid, grl_nn_grad(&M->params, M->t[W2]),
                           grl_nn_grad(&M->params, M->t[B2]), M->buf[HID],
                           grl_nn_value(&M->params, M->t[W2]), y, n, h, k, scratch);
    if (drop) grl_nn_dropout(dhid, g->all, n, h, M->dropout, M->seed, M->epoch, 1);
    grl_nn_activation_backward(GRL_NN_RELU, dhid, M->buf[PRE], M->buf[PRE], dhid,
                               (int64_t)nh);
    grl_fpgnn_input_backward(grl_nn_grad(&M->params, M->t[W1]),
                             grl_nn_grad(&M->params, M->t[B1]), g,
                             drop ? M->buf[XDROP] : g->xval, dhid, h);
    return 0;
#undef FREE_ALL
}

const grl_fpgnn_ops grl_appnp_ops = {add_params, init_params, width, embed, decode,
                                     decode_backward, embed_backward};
