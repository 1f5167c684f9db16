/* cgs.c — Convergent Graph Solvers (Park, Choo, Park, ICLR 2022, eq. 4-6):
 * the encoder's logits become A_k[i, j] = clip(s_k, 0, 1) / outdeg(j) for
 * every arc j -> i and head k, so each column of γ A_k sums to <= γ < 1
 * (the bound is recomputed exactly and reported); the m heads' fixed points
 * h = γ A h + b are solved in one pass over the arcs per step; a decoder
 * (linear, ReLU or SiLU, dropout, linear) maps a node's m values to logits, or for
 * a graph task the sum of its nodes' values (the reference's GraphTaskCGS),
 * or with readout sum-max / sum-mean that sum beside their max or mean.
 * With skip the decoder sees [h, E], the encoder's node embedding beside the
 * fixed point (summed likewise): the fixed point's m values per node carry
 * walk sums of the biases, E the node's own inputs at full width.
 * Backward (the paper's §4): y = γ Aᵀ y + dL/dh, then dL/db = y and
 * dL/dA[p, k] = γ y[i, k] h[j, k], through the clip to the logits. */
#include "cgs_internal.h"

#include <math.h>

/* The decoder's input per node: m, with skip m + hidden. */
static int64_t width(const grl_fpgnn *M)
{
    return M->heads + (M->skip ? M->hidden : 0);
}

/* The decoder's input: a node's width(M) values, or a graph's readout of
 * them (twice as wide beside a max or mean). */
static int64_t decoder_width(const grl_fpgnn *M)
{
    return width(M) * grl_fpgnn_readout_factor(M);
}

static void add_params(grl_fpgnn *M)
{
    grl_nn_params *p = &M->params;
    grl_cgs_encoder_add(M);
    M->t[CGS_W1] = grl_nn_params_add(p, decoder_width(M), M->hidden);
    M->t[CGS_B1] = grl_nn_params_add(p, 1, M->hidden);
    M->t[CGS_W2] = grl_nn_params_add(p, M->hidden, M->nclasses);
    M->t[CGS_B2] = grl_nn_params_add(p, 1, M->nclasses);
}

static void init_params(grl_fpgnn *M, uint64_t key)
{
    grl_nn_params *p = &M->params;
    grl_cgs_encoder_init(M, key);
    const double bm = 1.0 / sqrt((double)decoder_width(M));
    const double bh = 1.0 / sqrt((double)M->hidden);
    grl_nn_params_uniform(p, M->t[CGS_W1], bm, key);
    grl_nn_params_uniform(p, M->t[CGS_B1], bm, key);
    grl_nn_params_uniform(p, M->t[CGS_W2], bh, key);
    grl_nn_params_uniform(p, M->t[CGS_B2], bh, key);
}

/* The m heads' fixed points h (n x m), with skip [h, E] (n x (m + hidden)). */
static int embed(grl_fpgnn *M, float **E, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const grl_fp_arcs *A = &g->A;
    const int64_t n = g->n, m = M->heads;
    const size_t nm = grl_size_mul((size_t)n, (size_t)m);
    float *s, *b, *wa, *hf, *spare;
    GRL_TRY(grl_cgs_encoder_forward(M, &s, &b, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_WA, grl_size_mul((size_t)A->arcs, (size_t)m),
                             &wa, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_HF, nm, &hf, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_SPARE, nm, &spare, msg));
#pragma omp parallel for schedule(dynamic, 512) if (A->arcs * m > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++)
        for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++) {
            const float scale = g->inv_outdeg[A->src[p]];
            for (int64_t c = 0; c < m; c++) {
                float v = s[p * m + c];
                wa[p * m + c] = (v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v) * scale;
            }
        }
    memset(hf, 0, sizeof(float) * nm);
    double bound = grl_fp_norm_bound(A, wa, m, M->gamma);
    grl_fixed_point_report rep;
    int st = grl_fp_solve_linear(&hf, &spare, A, wa, m, (float)M->gamma, b, m,
                                 false, bound, "CGS", &M->solver, &rep, msg);
    grl_fpgnn_buffers_swapped(M, CGS_HF, hf, CGS_SPARE, spare);
    GRL_TRY(grl_fpgnn_note(M, st, &rep, true, msg));
    *E = hf;
    if (!M->skip) return 0;
    const int64_t h = M->hidden, w = m + h;
    const float *emb = grl_cgs_encoder_embedding(M);
    GRL_TRY(grl_fpgnn_buffer(M, CGS_CAT, grl_size_mul((size_t)n, (size_t)w), E, msg));
    for (int64_t i = 0; i < n; i++) {
        memcpy(*E + i * w, hf + i * m, sizeof(float) * (size_t)m);
        memcpy(*E + i * w + m, emb + i * h, sizeof(float) * (size_t)h);
    }
    return 0;
#undef FREE_ALL
}

/* The decoder (linear, activation, dropout, linear) on rows x
 * decoder_width inputs. */
static int decode(grl_fpgnn *M, const float *in, int64_t rows,
                  const float **logits, char *msg)
{
#define FREE_ALL ;
    const int64_t h = M->hidden, m = decoder_width(M), k = M->nclasses;
    const size_t rh = grl_size_mul((size_t)rows, (size_t)h);
    float *dpre, *dh, *out;
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DPRE, rh, &dpre, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DH, rh, &dh, msg));
    GRL_TRY(grl_fpgnn_buffer(M, 0, grl_size_mul((size_t)rows, (size_t)k), &out, msg));
    const grl_nn_params *P = &M->params;
    grl_nn_linear_forward(dpre, in, grl_nn_value(P, M->t[CGS_W1]),
                          grl_nn_value(P, M->t[CGS_B1]), rows, m, h);
    grl_nn_activation_forward(M->act, dh, dpre, (int64_t)rh);
    if (M->training && M->dropout > 0)
        grl_nn_dropout(dh, M->g->row_keys, rows, h, M->dropout, M->seed, M->epoch, 1);
    grl_nn_linear_forward(out, dh, grl_nn_value(P, M->t[CGS_W2]),
                          grl_nn_value(P, M->t[CGS_B2]), rows, h, k);
    M->dec_in = in;
    *logits = out;
    return 0;
#undef FREE_ALL
}

static int decode_backward(grl_fpgnn *M, const float *dout, int64_t rows,
                           const float **din, char *msg)
{
#define FREE_ALL ;
    const int64_t h = M->hidden, m = decoder_width(M), k = M->nclasses;
    const size_t rh = grl_size_mul((size_t)rows, (size_t)h);
    float *ddh, *dhf, *scratch;
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DDH, rh, &ddh, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DHF, grl_size_mul((size_t)rows, (size_t)m), &dhf,
                             msg));
    size_t s1 = grl_nn_gemm_tn_scratch(rows, h, k), s2 = grl_nn_gemm_tn_scratch(rows, m, h);
    GRL_TRY(grl_fpgnn_buffer(M, CGS_SCRATCH, s1 > s2 ? s1 : s2, &scratch, msg));
    const grl_nn_params *P = &M->params;
    grl_nn_linear_backward(ddh, grl_nn_grad(P, M->t[CGS_W2]),
                           grl_nn_grad(P, M->t[CGS_B2]), M->buf[CGS_DH],
                           grl_nn_value(P, M->t[CGS_W2]), dout, rows, h, k, scratch);
    if (M->training && M->dropout > 0)
        grl_nn_dropout(ddh, M->g->row_keys, rows, h, M->dropout, M->seed, M->epoch, 1);
    grl_nn_activation_backward(M->act, ddh, M->buf[CGS_DPRE], M->buf[CGS_DPRE],
                               ddh, (int64_t)rh);
    grl_nn_linear_backward(dhf, grl_nn_grad(P, M->t[CGS_W1]),
                           grl_nn_grad(P, M->t[CGS_B1]), M->dec_in,
                           grl_nn_value(P, M->t[CGS_W1]), ddh, rows, m, h, scratch);
    *din = dhf;
    return 0;
#undef FREE_ALL
}

/* The adjoint solve and the encoder's gradients, given dL/dh (with skip
 * dL/d[h, E], split here). */
static int embed_backward(grl_fpgnn *M, const float *dhf, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const grl_fp_arcs *A = &g->A;
    const int64_t n = g->n, m = M->heads;
    const size_t nm = grl_size_mul((size_t)n, (size_t)m);
    const size_t am = grl_size_mul((size_t)A->arcs, (size_t)m);
    float *y, *dw, *spare = M->buf[CGS_SPARE], *dskip = NULL;
    if (M->skip) {
        const int64_t h = M->hidden, w = m + h;
        float *dfix;
        GRL_TRY(grl_fpgnn_buffer(M, CGS_DFIX, nm, &dfix, msg));
        GRL_TRY(grl_fpgnn_buffer(M, CGS_DSKIP, grl_size_mul((size_t)n, (size_t)h),
                                 &dskip, msg));
        for (int64_t i = 0; i < n; i++) {
            memcpy(dfix + i * m, dhf + i * w, sizeof(float) * (size_t)m);
            memcpy(dskip + i * h, dhf + i * w + m, sizeof(float) * (size_t)h);
        }
        dhf = dfix;
    }
    GRL_TRY(grl_fpgnn_buffer(M, CGS_Y, nm, &y, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DW, am, &dw, msg));
    const float *hf = M->buf[CGS_HF], *s = grl_cgs_encoder_logits(M);
    memset(y, 0, sizeof(float) * nm);
    grl_fixed_point_report rep;
    int st = grl_fp_solve_adjoint(&y, &spare, A, M->buf[CGS_WA], m, (float)M->gamma,
                                  dhf, m, dw, M->report.forward.bound,
                                  "CGS adjoint", &M->solver, &rep, msg);
    grl_fpgnn_buffers_swapped(M, CGS_Y, y, CGS_SPARE, spare);
    GRL_TRY(grl_fpgnn_note(M, st, &rep, false, msg));
    if (am > 0) memset(dw, 0, sizeof(float) * am); /* no arcs: dw is NULL */
    grl_fp_weight_grad(dw, A, m, (float)M->gamma, y, hf, m);
    /* through A = clip(s, 0, 1) / outdeg(j): the gradient passes where
     * 0 <= s <= 1 (torch.clamp's convention) */
#pragma omp parallel for schedule(dynamic, 512) if (A->arcs * m > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++)
        for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++) {
            const float scale = g->inv_outdeg[A->src[p]];
            for (int64_t c = 0; c < m; c++) {
                float v = s[p * m + c];
                dw[p * m + c] = v >= 0.0f && v <= 1.0f ? dw[p * m + c] * scale : 0.0f;
            }
        }
    return grl_cgs_encoder_backward(M, dw, y, dskip, msg);
#undef FREE_ALL
}

const grl_fpgnn_ops grl_cgs_ops = {add_params, init_params, width, embed, decode,
                                   decode_backward, embed_backward};
