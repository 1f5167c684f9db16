/* ignn.c — IGNN (Gu, Chang, Zhu, Sojoudi, El Ghaoui, NeurIPS 2020, eq. 2)
 * in node-major form: the state H (n x hidden) is the fixed point of
 *   H = ReLU(Â H Wᵀ + C),  C = Â X Ωᵀ (X Ωᵀ is the sparse input layer)
 * and logits = dropout(H) V + c. Well-posedness (the paper's Theorem 4.1
 * with the ∞-norm): ‖W‖∞ λ_pf(Â) <= κ < 1, kept by projecting each row of W
 * onto the L1 ball of radius κ / λ_pf(Â) (Duchi et al. 2008) before every
 * forward — i.e. after every optimiser step, as the reference code does.
 * Backward: with D = ReLU'(P) and G = dL/dH, the adjoint
 *   Y = Âᵀ (D ⊙ Y) W + G,
 * then V = D ⊙ Y = dL/dP gives dW = Vᵀ (Â H), dC = V, dΩᵀ = Xᵀ Âᵀ V. */
#include "fpgnn_internal.h"

#include <math.h>

enum { WU, W, V, BV };
enum { Q = GRL_FPGNN_FIRST_KIND_BUFFER, C, H, SPARE, T, S, HD, ADJ, DHD, MH, DQ,
       SCRATCH };

static void add_params(grl_fpgnn *M)
{
    grl_nn_params *p = &M->params;
    M->t[WU] = grl_nn_params_add(p, M->f, M->hidden);
    M->t[W] = grl_nn_params_add(p, M->hidden, M->hidden);
    M->t[V] = grl_nn_params_add(p, M->hidden, M->nclasses);
    M->t[BV] = grl_nn_params_add(p, 1, M->nclasses);
}

static void init_params(grl_fpgnn *M, uint64_t key)
{
    grl_nn_params *p = &M->params;
    const double bh = 1.0 / sqrt((double)M->hidden);
    grl_nn_params_uniform(p, M->t[WU], 1.0 / sqrt((double)M->f), key);
    grl_nn_params_uniform(p, M->t[W], bh, key);
    grl_nn_params_uniform(p, M->t[V], bh, key);
    grl_nn_params_uniform(p, M->t[BV], bh, key);
}

static int by_magnitude_desc(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x < y) - (x > y);
}

/* Project each row of W (h x h) onto { ‖row‖_1 <= r }: soft-threshold by
 * θ from the sorted magnitudes (Duchi et al., Fig. 1); returns ‖W‖∞. A row
 * within float rounding of the radius is left alone, so projecting twice
 * changes no bit (a loaded model predicts as the trained one did). */
static double project_rows(float *W, int64_t h, double r, float *sorted)
{
    double norm = 0;
    for (int64_t i = 0; i < h; i++) {
        float *w = W + i * h;
        double l1 = 0;
        for (int64_t c = 0; c < h; c++) l1 += fabsf(w[c]);
        if (l1 > r * (1 + 1e-5)) {
            for (int64_t c = 0; c < h; c++) sorted[c] = fabsf(w[c]);
            qsort(sorted, (size_t)h, sizeof(float), by_magnitude_desc);
            double cum = 0, theta = 0;
            for (int64_t j = 0; j < h; j++) {
                cum += sorted[j];
                double t = (cum - r) / (double)(j + 1);
                if (sorted[j] > t) theta = t;
            }
            l1 = 0;
            for (int64_t c = 0; c < h; c++) {
                float m = fabsf(w[c]) - (float)theta;
                w[c] = m > 0 ? copysignf(m, w[c]) : 0.0f;
                l1 += fabsf(w[c]);
            }
        }
        norm = l1 > norm ? l1 : norm;
    }
    return norm;
}

typedef struct {
    grl_fpgnn *M;
    const float *Wv, *B; /* W, and C (forward) or G (adjoint) */
    float *T, *S;
} ignn_map;

/* next = ReLU(Â (x Wᵀ) + C) */
static double forward_step(float *next, const float *x, double *xmax, void *ctx)
{
    ignn_map *m = ctx;
    const grl_fpgnn_graph *g = m->M->g;
    const int64_t h = m->M->hidden;
    grl_nn_gemm(m->T, x, m->Wv, g->n, h, h, true, 0.0f);
    return grl_fp_propagate(next, &g->A, g->w, 1, 1.0f, m->T, m->B, h, false, true,
                            x, xmax);
}

/* next = Âᵀ ((D ⊙ x) W) + G, D = [H > 0] */
static double adjoint_step(float *next, const float *x, double *xmax, void *ctx)
{
    ignn_map *m = ctx;
    const grl_fpgnn_graph *g = m->M->g;
    const int64_t h = m->M->hidden, count = g->n * h;
    const float *hs = m->M->buf[H];
    for (int64_t e = 0; e < count; e++) m->S[e] = hs[e] > 0 ? x[e] : 0.0f;
    grl_nn_gemm(m->T, m->S, m->Wv, g->n, h, h, false, 0.0f);
    return grl_fp_propagate(next, &g->A, g->wt, 1, 1.0f, m->T, m->B, h, true, false,
                            x, xmax);
}

static int64_t width(const grl_fpgnn *M) { return M->hidden; }

/* The state H. */
static int embed(grl_fpgnn *M, float **E, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const int64_t h = M->hidden;
    const size_t nh = grl_size_mul((size_t)g->n, (size_t)h);
    float *q, *c, *hs, *spare, *t, *s;
    GRL_TRY(grl_fpgnn_buffer(M, Q, nh, &q, msg));
    GRL_TRY(grl_fpgnn_buffer(M, C, nh, &c, msg));
    GRL_TRY(grl_fpgnn_buffer(M, H, nh, &hs, msg));
    GRL_TRY(grl_fpgnn_buffer(M, SPARE, nh, &spare, msg));
    GRL_TRY(grl_fpgnn_buffer(M, T, nh, &t, msg));
    GRL_TRY(grl_fpgnn_buffer(M, S, nh, &s, msg));
    float *Wv = grl_nn_value(&M->params, M->t[W]);
    double norm = project_rows(Wv, h, M->kappa / g->lambda, s);
    grl_fpgnn_input_forward(q, g, g->xval, grl_nn_value(&M->params, M->t[WU]),
                            NULL, h);
    grl_fp_propagate(c, &g->A, g->w, 1, 1.0f, q, NULL, h, false, false, NULL, NULL);
    memset(hs, 0, sizeof(float) * nh);
    ignn_map m = {M, Wv, c, t, s};
    grl_fixed_point_report rep;
    int st = grl_fp_iterate(&hs, &spare, (int64_t)nh, forward_step, &m,
                            norm * g->lambda, "IGNN", &M->solver, &rep, msg);
    grl_fpgnn_buffers_swapped(M, H, hs, SPARE, spare);
    GRL_TRY(grl_fpgnn_note(M, st, &rep, true, msg));
    *E = hs;
    return 0;
#undef FREE_ALL
}

/* logits = dropout(in) V + c */
static int decode(grl_fpgnn *M, const float *in, int64_t rows,
                  const float **logits, char *msg)
{
#define FREE_ALL ;
    const int64_t h = M->hidden, k = M->nclasses;
    const size_t rh = grl_size_mul((size_t)rows, (size_t)h);
    float *hd, *out;
    GRL_TRY(grl_fpgnn_buffer(M, HD, rh, &hd, msg));
    GRL_TRY(grl_fpgnn_buffer(M, 0, grl_size_mul((size_t)rows, (size_t)k), &out, msg));
    memcpy(hd, in, sizeof(float) * rh);
    if (M->training && M->dropout > 0)
        grl_nn_dropout(hd, M->g->row_keys, rows, h, M->dropout, M->seed, M->epoch, 1);
    grl_nn_linear_forward(out, hd, grl_nn_value(&M->params, M->t[V]),
                          grl_nn_value(&M->params, M->t[BV]), rows, h, k);
    *logits = out;
    return 0;
#undef FREE_ALL
}

static int decode_backward(grl_fpgnn *M, const float *dout, int64_t rows,
                           const float **din, char *msg)
{
#define FREE_ALL ;
    const int64_t h = M->hidden, k = M->nclasses;
    float *dhd, *scratch;
    GRL_TRY(grl_fpgnn_buffer(M, DHD, grl_size_mul((size_t)rows, (size_t)h), &dhd, msg));
    GRL_TRY(grl_fpgnn_buffer(M, SCRATCH, grl_nn_gemm_tn_scratch(rows, h, k), &scratch,
                             msg));
    grl_nn_linear_backward(dhd, grl_nn_grad(&M->params, M->t[V]),
                           grl_nn_grad(&M->params, M->t[BV]), M->buf[HD],
                           grl_nn_value(&M->params, M->t[V]), dout, rows, h, k,
                           scratch);
    if (M->training && M->dropout > 0)
        grl_nn_dropout(dhd, M->g->row_keys, rows, h, M->dropout, M->seed, M->epoch, 1);
    *din = dhd;
    return 0;
#undef FREE_ALL
}

static int embed_backward(grl_fpgnn *M, const float *dE, char *msg)
{
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const int64_t n = g->n, h = M->hidden;
    const size_t nh = grl_size_mul((size_t)n, (size_t)h);
    float *y, *mh, *dq, *scratch, *spare = M->buf[SPARE], *s = M->buf[S];
    GRL_TRY(grl_fpgnn_buffer(M, ADJ, nh, &y, msg));
    GRL_TRY(grl_fpgnn_buffer(M, MH, nh, &mh, msg));
    GRL_TRY(grl_fpgnn_buffer(M, DQ, nh, &dq, msg));
    GRL_TRY(grl_fpgnn_buffer(M, SCRATCH, grl_nn_gemm_tn_scratch(n, h, h), &scratch,
                             msg));
    const float *Wv = grl_nn_value(&M->params, M->t[W]);
    memset(y, 0, sizeof(float) * nh);
    ignn_map m = {M, Wv, dE, M->buf[T], s};
    grl_fixed_point_report rep;
    int st = grl_fp_iterate(&y, &spare, (int64_t)nh, adjoint_step, &m,
                            M->report.forward.bound, "IGNN adjoint", &M->solver,
                            &rep, msg);
    grl_fpgnn_buffers_swapped(M, ADJ, y, SPARE, spare);
    GRL_TRY(grl_fpgnn_note(M, st, &rep, false, msg));
    const float *hs = M->buf[H];
    for (size_t e = 0; e < nh; e++) s[e] = hs[e] > 0 ? y[e] : 0.0f; /* dL/dP */
    grl_fp_propagate(mh, &g->A, g->w, 1, 1.0f, hs, NULL, h, false, false, NULL, NULL);
    grl_nn_gemm_tn(grl_nn_grad(&M->params, M->t[W]), s, mh, n, h, h, scratch);
    grl_fp_propagate(dq, &g->A, g->wt, 1, 1.0f, s, NULL, h, true, false, NULL, NULL);
    grl_fpgnn_input_backward(grl_nn_grad(&M->params, M->t[WU]), NULL, g, g->xval,
                             dq, h);
    return 0;
#undef FREE_ALL
}

const grl_fpgnn_ops grl_ignn_ops = {add_params, init_params, width, embed, decode,
                                    decode_backward, embed_backward};
