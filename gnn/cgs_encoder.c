/* cgs_encoder.c — CGS's encoder (the paper's §5 edge network, linear here):
 *   E = act(X W_e + b_e)                        node embedding, n x hidden
 *   (act: ReLU, or SiLU with activation GRL_FPGNN_SILU)
 *   s[p] = e_p W_a + E_i W_t + E_j W_s + b_a    arc p = j -> i, m logits
 * (e_p: the arc's inputs, the edge weight on a graph, the arc features of
 * a graph set)
 *   b = E W_b + b_b                             node biases, n x m
 * The concatenation [w_p, E_i, E_j] times one matrix is computed as three
 * products so nothing arcs x hidden is formed. */
#include "cgs_internal.h"

#include <math.h>

void grl_cgs_encoder_add(grl_fpgnn *M)
{
    if (M->mp_layers > 0) {
        grl_cgs_mp_encoder_add(M);
        return;
    }
    grl_nn_params *p = &M->params;
    const int64_t h = M->hidden, m = M->heads;
    M->t[CGS_WE] = grl_nn_params_add(p, M->f, h);
    M->t[CGS_BE] = grl_nn_params_add(p, 1, h);
    M->t[CGS_A] = grl_nn_params_add(p, M->arc_dim, m);
    M->t[CGS_WT] = grl_nn_params_add(p, h, m);
    M->t[CGS_WS] = grl_nn_params_add(p, h, m);
    M->t[CGS_BA] = grl_nn_params_add(p, 1, m);
    M->t[CGS_WB] = grl_nn_params_add(p, h, m);
    M->t[CGS_BB] = grl_nn_params_add(p, 1, m);
}

void grl_cgs_encoder_init(grl_fpgnn *M, uint64_t key)
{
    if (M->mp_layers > 0) {
        grl_cgs_mp_encoder_init(M, key);
        return;
    }
    grl_nn_params *p = &M->params;
    const double bf = 1.0 / sqrt((double)M->f);
    const double ba = 1.0 / sqrt((double)(2 * M->hidden + M->arc_dim));
    const double bh = 1.0 / sqrt((double)M->hidden);
    grl_nn_params_uniform(p, M->t[CGS_WE], bf, key);
    grl_nn_params_uniform(p, M->t[CGS_BE], bf, key);
    grl_nn_params_uniform(p, M->t[CGS_A], ba, key);
    grl_nn_params_uniform(p, M->t[CGS_WT], ba, key);
    grl_nn_params_uniform(p, M->t[CGS_WS], ba, key);
    /* the logits start in the middle of clip(s, 0, 1)'s active range: a
     * head whose logits all leave it has no gradient to come back with,
     * and with a centred start MUTAG's heads died (contraction 0.00) */
    grl_nn_params_fill(p, M->t[CGS_BA], 0.5f);
    grl_nn_params_uniform(p, M->t[CGS_WB], bh, key);
    grl_nn_params_uniform(p, M->t[CGS_BB], bh, key);
}

int grl_cgs_encoder_forward(grl_fpgnn *M, float **sout, float **bout, char *msg)
{
#define FREE_ALL ;
    if (M->mp_layers > 0) return grl_cgs_mp_encoder_forward(M, sout, bout, msg);
    const grl_fpgnn_graph *g = M->g;
    const grl_fp_arcs *A = &g->A;
    const int64_t n = g->n, h = M->hidden, m = M->heads;
    const size_t nh = grl_size_mul((size_t)n, (size_t)h);
    const size_t nm = grl_size_mul((size_t)n, (size_t)m);
    float *pre, *E, *pt, *ps, *s, *b;
    GRL_TRY(grl_fpgnn_buffer(M, CGS_PRE, nh, &pre, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_E, nh, &E, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_PT, nm, &pt, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_PS, nm, &ps, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_LOGIT, grl_size_mul((size_t)A->arcs, (size_t)m),
                             &s, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_BIAS, nm, &b, msg));
    const grl_nn_params *P = &M->params;
    grl_fpgnn_input_forward(pre, g, g->xval, grl_nn_value(P, M->t[CGS_WE]),
                            grl_nn_value(P, M->t[CGS_BE]), h);
    grl_nn_activation_forward(M->act, E, pre, (int64_t)nh);
    grl_nn_gemm(pt, E, grl_nn_value(P, M->t[CGS_WT]), n, h, m, false, 0.0f);
    grl_nn_gemm(ps, E, grl_nn_value(P, M->t[CGS_WS]), n, h, m, false, 0.0f);
    grl_nn_linear_forward(b, E, grl_nn_value(P, M->t[CGS_WB]),
                          grl_nn_value(P, M->t[CGS_BB]), n, h, m);
    const float *a = grl_nn_value(P, M->t[CGS_A]), *ba = grl_nn_value(P, M->t[CGS_BA]);
    const int64_t de = g->arc_dim;
#pragma omp parallel for schedule(dynamic, 512) if (A->arcs * m > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++)
        for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++) {
            const float *ti = pt + i * m, *sj = ps + A->src[p] * m;
            const float *e = g->arc_x + p * de;
            float *sp = s + p * m;
            for (int64_t k = 0; k < m; k++) sp[k] = ti[k] + sj[k] + ba[k];
            for (int64_t c = 0; c < de; c++)
                for (int64_t k = 0; k < m; k++) sp[k] += e[c] * a[c * m + k];
        }
    *sout = s;
    *bout = b;
    return 0;
#undef FREE_ALL
}

const float *grl_cgs_encoder_embedding(const grl_fpgnn *M) { return M->buf[CGS_E]; }

const float *grl_cgs_encoder_logits(const grl_fpgnn *M)
{
    return M->mp_layers > 0 ? M->mp_cache[M->mp_layers - 1].u : M->buf[CGS_LOGIT];
}

int grl_cgs_encoder_backward(grl_fpgnn *M, const float *ds, const float *db,
                             const float *dskip, char *msg)
{
#define FREE_ALL ;
    if (M->mp_layers > 0) return grl_cgs_mp_encoder_backward(M, ds, db, dskip, msg);
    const grl_fpgnn_graph *g = M->g;
    const grl_fp_arcs *A = &g->A;
    const int64_t n = g->n, h = M->hidden, m = M->heads;
    const size_t nh = grl_size_mul((size_t)n, (size_t)h);
    const size_t nm = grl_size_mul((size_t)n, (size_t)m);
    float *de, *dpt, *dps, *scratch;
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DE, nh, &de, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DPT, nm, &dpt, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_DPS, nm, &dps, msg));
    GRL_TRY(grl_fpgnn_buffer(M, CGS_SCRATCH, grl_nn_gemm_tn_scratch(n, h, m),
                             &scratch, msg));
    /* dPT: the arcs into i; dPS: the arcs out of j (each row by one thread) */
#pragma omp parallel for schedule(dynamic, 512) if (A->arcs * m > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++) {
        float *t = dpt + i * m, *u = dps + i * m;
        for (int64_t k = 0; k < m; k++) t[k] = u[k] = 0.0f;
        for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
            for (int64_t k = 0; k < m; k++) t[k] += ds[p * m + k];
        for (int64_t q = A->out_ptr[i]; q < A->out_ptr[i + 1]; q++)
            for (int64_t k = 0; k < m; k++) u[k] += ds[A->out_arc[q] * m + k];
    }
    const grl_nn_params *P = &M->params;
    float *da = grl_nn_grad(P, M->t[CGS_A]), *dba = grl_nn_grad(P, M->t[CGS_BA]);
    const int64_t na = g->arc_dim;
    for (int64_t p = 0; p < A->arcs; p++) /* arc order: deterministic */
        for (int64_t k = 0; k < m; k++) {
            for (int64_t c = 0; c < na; c++)
                da[c * m + k] += g->arc_x[p * na + c] * ds[p * m + k];
            dba[k] += ds[p * m + k];
        }
    const float *E = M->buf[CGS_E], *pre = M->buf[CGS_PRE];
    grl_nn_linear_backward(de, grl_nn_grad(P, M->t[CGS_WB]),
                           grl_nn_grad(P, M->t[CGS_BB]), E,
                           grl_nn_value(P, M->t[CGS_WB]), db, n, h, m, scratch);
    grl_nn_gemm_tn(grl_nn_grad(P, M->t[CGS_WT]), E, dpt, n, h, m, scratch);
    grl_nn_gemm_tn(grl_nn_grad(P, M->t[CGS_WS]), E, dps, n, h, m, scratch);
    grl_nn_gemm(de, dpt, grl_nn_value(P, M->t[CGS_WT]), n, m, h, true, 1.0f);
    grl_nn_gemm(de, dps, grl_nn_value(P, M->t[CGS_WS]), n, m, h, true, 1.0f);
    if (dskip)
        for (size_t e = 0; e < nh; e++) de[e] += dskip[e];
    grl_nn_activation_backward(M->act, de, pre, pre, de, (int64_t)nh);
    grl_fpgnn_input_backward(grl_nn_grad(P, M->t[CGS_WE]),
                             grl_nn_grad(P, M->t[CGS_BE]), g, g->xval, de, h);
    return 0;
#undef FREE_ALL
}
