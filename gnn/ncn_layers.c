/* ncn_layers.c — NCN's layers with their backward passes: the MLP layer
 * (Linear, LayerNorm, dropout, ReLU), LayerNorm, the input layer over
 * sparse features with per-entry dropout, and the encoder's propagation.
 * Every backward is checked against finite differences in tests/test_ncn.c;
 * every sum over rows runs in a fixed order (1 and 2 threads agree). */
#include "ncn_internal.h"

#include <math.h>

#define LN_EPS 1e-5

/* ---- the MLP layer -------------------------------------------------------- */

int ncn_layer_add(ncn_layer *L, grl_nn_params *P, int64_t in, int64_t out,
                  bool layernorm, uint64_t id)
{
    L->in = in;
    L->out = out;
    L->id = id;
    L->W = grl_nn_params_add(P, in, out);
    L->b = grl_nn_params_add(P, 1, out);
    L->g = layernorm ? grl_nn_params_add(P, 1, out) : -1;
    L->beta = layernorm ? grl_nn_params_add(P, 1, out) : -1;
    bool ok = L->W >= 0 && L->b >= 0 && (!layernorm || (L->g >= 0 && L->beta >= 0));
    return ok ? 0 : -1;
}

/* PyTorch's defaults: Linear U(±1/sqrt(in)), LayerNorm g = 1, beta = 0. */
void ncn_layer_init(const ncn_layer *L, grl_nn_params *P, uint64_t seed)
{
    double bound = 1.0 / sqrt((double)L->in);
    grl_nn_params_uniform(P, L->W, bound, seed);
    grl_nn_params_uniform(P, L->b, bound, seed);
    if (L->g >= 0) {
        grl_nn_params_fill(P, L->g, 1.0f);
        grl_nn_params_fill(P, L->beta, 0.0f);
    }
}

void ncn_layer_buf_free(ncn_layer_buf *B)
{
    free(B->pre);
    free(B->nrm);
    free(B->Y);
    free(B->mu);
    free(B->rstd);
    free(B->gs);
    memset(B, 0, sizeof *B);
}

static int layer_buf_reserve(ncn_layer_buf *B, const ncn_layer *L, int64_t n,
                             char *msg)
{
#define FREE_ALL ;
    if (n <= B->cap) return 0;
    ncn_layer_buf_free(B);
    size_t cells = grl_size_mul((size_t)n, (size_t)L->out);
    GRL_ALLOC(B->pre, float, cells);
    GRL_ALLOC(B->nrm, float, cells);
    GRL_ALLOC(B->Y, float, cells);
    GRL_ALLOC(B->mu, float, n);
    GRL_ALLOC(B->rstd, float, n);
    GRL_ALLOC(B->gs, float, grl_nn_gemm_tn_scratch(n, L->in, L->out));
    B->cap = n;
    return 0;
#undef FREE_ALL
}

int ncn_layer_forward(const ncn_layer *L, const grl_nn_params *P,
                      ncn_layer_buf *B, const float *X, int64_t n,
                      const ncn_dropout *D, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(layer_buf_reserve(B, L, n, msg));
    const int64_t out = L->out, cells = n * out;
    B->X = X;
    B->n = n;
    grl_nn_linear_forward(B->pre, X, grl_nn_value(P, L->W),
                          grl_nn_value(P, L->b), n, L->in, out);
    const float *src = B->pre;
    if (L->g >= 0) {
        ncn_layernorm_forward(B->nrm, B->mu, B->rstd, B->pre,
                              grl_nn_value(P, L->g), grl_nn_value(P, L->beta),
                              n, out);
        src = B->nrm;
    }
    memcpy(B->Y, src, sizeof(float) * (size_t)cells);
    if (D != NULL && D->p > 0)
        grl_nn_dropout(B->Y, D->rows, n, out, D->p, D->seed, D->step, L->id);
    for (int64_t e = 0; e < cells; e++) B->Y[e] = B->Y[e] > 0 ? B->Y[e] : 0.0f;
    return 0;
#undef FREE_ALL
}

void ncn_layer_backward(const ncn_layer *L, grl_nn_params *P,
                        ncn_layer_buf *B, float *dY, float *dX,
                        const ncn_dropout *D)
{
    const int64_t n = B->n, out = L->out, cells = n * out;
    /* ReLU, then the same dropout mask (a pure function of its key) */
    for (int64_t e = 0; e < cells; e++) dY[e] = B->Y[e] > 0 ? dY[e] : 0.0f;
    if (D != NULL && D->p > 0)
        grl_nn_dropout(dY, D->rows, n, out, D->p, D->seed, D->step, L->id);
    if (L->g >= 0) /* nrm is no longer needed: it is the scratch */
        ncn_layernorm_backward(dY, grl_nn_grad(P, L->g),
                               grl_nn_grad(P, L->beta), B->pre, B->mu,
                               B->rstd, grl_nn_value(P, L->g), n, out, B->nrm);
    grl_nn_linear_backward(dX, grl_nn_grad(P, L->W), grl_nn_grad(P, L->b),
                           B->X, grl_nn_value(P, L->W), dY, n, L->in, out,
                           B->gs);
}

/* ---- LayerNorm (Ba, Kiros & Hinton 2016) ---------------------------------- */

void ncn_layernorm_forward(float *Y, float *mu, float *rstd, const float *X,
                           const float *g, const float *beta, int64_t n,
                           int64_t d)
{
#pragma omp parallel for schedule(static) if (n * d > GRL_NN_PARALLEL_WORK / 8)
    for (int64_t i = 0; i < n; i++) {
        const float *x = X + i * d;
        double s = 0, ss = 0;
        for (int64_t c = 0; c < d; c++) s += x[c];
        double m = s / (double)d;
        for (int64_t c = 0; c < d; c++) ss += (x[c] - m) * (x[c] - m);
        double r = 1.0 / sqrt(ss / (double)d + LN_EPS);
        mu[i] = (float)m;
        rstd[i] = (float)r;
        for (int64_t c = 0; c < d; c++)
            Y[i * d + c] = (float)((x[c] - m) * r) * g[c] + beta[c];
    }
}

/* With xh = (x - mu) rstd and dxh = dy g:
 * dx = rstd (dxh - mean(dxh) - xh mean(dxh xh)), dg += Σ dy xh, dbeta += Σ dy. */
void ncn_layernorm_backward(float *dY, float *dg, float *dbeta,
                            const float *X, const float *mu,
                            const float *rstd, const float *g, int64_t n,
                            int64_t d, float *tmp)
{
    grl_nn_colsum(dbeta, dY, n, d);
    for (int64_t i = 0; i < n; i++)
        for (int64_t c = 0; c < d; c++)
            tmp[i * d + c] = dY[i * d + c] * (X[i * d + c] - mu[i]) * rstd[i];
    grl_nn_colsum(dg, tmp, n, d);
#pragma omp parallel for schedule(static) if (n * d > GRL_NN_PARALLEL_WORK / 8)
    for (int64_t i = 0; i < n; i++) {
        float *dy = dY + i * d;
        const float *x = X + i * d;
        double m1 = 0, m2 = 0;
        for (int64_t c = 0; c < d; c++) {
            double dxh = (double)dy[c] * g[c];
            m1 += dxh;
            m2 += dxh * ((x[c] - mu[i]) * rstd[i]);
        }
        m1 /= (double)d;
        m2 /= (double)d;
        for (int64_t c = 0; c < d; c++) {
            double xh = (x[c] - mu[i]) * rstd[i];
            dy[c] = (float)(rstd[i] * ((double)dy[c] * g[c] - m1 - xh * m2));
        }
    }
}

/* ---- sparse input layer ----------------------------------------------------- */

void ncn_features_free(ncn_features *F)
{
    free(F->rp);
    free(F->rc);
    free(F->rv);
    free(F->cp);
    free(F->cr);
    free(F->cv);
    memset(F, 0, sizeof *F);
}

int ncn_features_build(ncn_features *F, const grl_dense *X, char *msg)
{
#define FREE_ALL ncn_features_free(F)
    memset(F, 0, sizeof *F);
    const int64_t n = X->rows, f = X->cols;
    GRL_ALLOC(F->rp, int64_t, n + 1);
    GRL_CALLOC(F->cp, int64_t, f + 1);
    F->rp[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t k = 0;
        for (int64_t c = 0; c < f; c++)
            if (X->data[i * f + c] != 0) {
                k++;
                F->cp[c + 1]++;
            }
        F->rp[i + 1] = F->rp[i] + k;
    }
    for (int64_t c = 0; c < f; c++) F->cp[c + 1] += F->cp[c];
    const int64_t nnz = F->rp[n];
    GRL_ALLOC(F->rc, int64_t, nnz);
    GRL_ALLOC(F->rv, float, nnz);
    GRL_ALLOC(F->cr, int64_t, nnz);
    GRL_ALLOC(F->cv, float, nnz);
    int64_t *fill = NULL;
    GRL_ALLOC(fill, int64_t, f + 1);
    memcpy(fill, F->cp, sizeof(int64_t) * (size_t)(f + 1));
    for (int64_t i = 0, q = 0; i < n; i++)
        for (int64_t c = 0; c < f; c++) {
            float x = X->data[i * f + c];
            if (x == 0) continue;
            F->rc[q] = c;
            F->rv[q++] = x;
            F->cr[fill[c]] = i;
            F->cv[fill[c]++] = x;
        }
    free(fill);
    F->n = n;
    F->f = f;
    F->nnz = nnz;
    return 0;
#undef FREE_ALL
}

/* Dropout of entry (i, c): kept (scaled by 1 / (1 - p)) when the hash of
 * (key, i, c) is at least p 2^32. */
static inline float keep_scale(uint64_t key, int64_t i, int64_t c, uint64_t cut,
                               float scale)
{
    uint64_t h = grl_mix64(key ^ grl_mix64((uint64_t)i * 0x9e3779b97f4a7c15ull +
                                           (uint64_t)c));
    return (h >> 32) >= cut ? scale : 0.0f;
}

static uint64_t sparse_key(uint64_t seed, uint64_t step)
{
    return grl_mix64(grl_mix64(seed + GRL_GOLDEN) ^ (step * 0x100000001b3ull + 977));
}

void ncn_sparse_forward(float *Y, const ncn_features *F, const float *W,
                        const float *b, int64_t d, double p, uint64_t seed,
                        uint64_t step)
{
    const uint64_t key = sparse_key(seed, step);
    const uint64_t cut = p > 0 ? (uint64_t)ldexp(p, 32) : 0;
    const float scale = (float)(1.0 / (1.0 - p));
#pragma omp parallel for schedule(dynamic, 64) if (F->nnz * d > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < F->n; i++) {
        float *y = Y + i * d;
        for (int64_t c = 0; c < d; c++) y[c] = b[c];
        for (int64_t q = F->rp[i]; q < F->rp[i + 1]; q++) {
            float x = F->rv[q];
            if (p > 0) x *= keep_scale(key, i, F->rc[q], cut, scale);
            if (x == 0) continue;
            const float *w = W + F->rc[q] * d;
            for (int64_t c = 0; c < d; c++) y[c] += x * w[c];
        }
    }
}

void ncn_sparse_backward(float *dW, float *db, const ncn_features *F,
                         const float *dY, int64_t d, double p, uint64_t seed,
                         uint64_t step)
{
    const uint64_t key = sparse_key(seed, step);
    const uint64_t cut = p > 0 ? (uint64_t)ldexp(p, 32) : 0;
    const float scale = (float)(1.0 / (1.0 - p));
#pragma omp parallel for schedule(dynamic, 16) if (F->nnz * d > GRL_NN_PARALLEL_WORK)
    for (int64_t c = 0; c < F->f; c++) {
        float *w = dW + c * d;
        for (int64_t q = F->cp[c]; q < F->cp[c + 1]; q++) {
            int64_t i = F->cr[q];
            float x = F->cv[q];
            if (p > 0) x *= keep_scale(key, i, c, cut, scale);
            if (x == 0) continue;
            const float *dy = dY + i * d;
            for (int64_t k = 0; k < d; k++) w[k] += x * dy[k];
        }
    }
    grl_nn_colsum(db, dY, F->n, d);
}

/* ---- propagation ------------------------------------------------------------ */

/* y_i = s_i x_i + c_i Σ_{u ∈ N(i)} e_u x_u, with GCN s = 1/D, c = e = D^{-1/2}
 * (D = 1 + degree); SAGE s = 1, c = 1/degree (0 for none), e = 1. */
static inline void coefficients(const ncn_adj *A, grl_ncn_encoder enc,
                                int64_t i, float *s, float *c, float *e)
{
    double deg = (double)(A->p[i + 1] - A->p[i]);
    if (enc == GRL_NCN_GCN) {
        *s = (float)(1.0 / (1.0 + deg));
        *c = *e = (float)(1.0 / sqrt(1.0 + deg));
    } else {
        *s = 1.0f;
        *c = deg > 0 ? (float)(1.0 / deg) : 0.0f;
        *e = 1.0f;
    }
}

/* Y = diag(s) X + diag(c) A diag(e) X; row i summed in its neighbour order. */
static void apply(float *Y, const ncn_adj *A, grl_ncn_encoder enc,
                  const float *X, int64_t d, bool transposed)
{
#pragma omp parallel for schedule(dynamic, 64) if (A->p[A->n] * d > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < A->n; i++) {
        float s, c, e;
        coefficients(A, enc, i, &s, &c, &e);
        float *y = Y + i * d;
        const float *x = X + i * d;
        for (int64_t k = 0; k < d; k++) y[k] = 0.0f;
        for (int64_t a = A->p[i]; a < A->p[i + 1]; a++) {
            int64_t u = A->j[a];
            float su, cu, eu;
            coefficients(A, enc, u, &su, &cu, &eu);
            /* forward: e_u x_u; transposed: c_u x_u (then e_i outside) */
            float wgt = transposed ? cu : eu;
            const float *xu = X + u * d;
            for (int64_t k = 0; k < d; k++) y[k] += wgt * xu[k];
        }
        float outer = transposed ? e : c;
        for (int64_t k = 0; k < d; k++) y[k] = s * x[k] + outer * y[k];
    }
}

void ncn_propagate(float *Y, const ncn_adj *A, grl_ncn_encoder enc,
                   const float *X, int64_t d)
{
    apply(Y, A, enc, X, d, false);
}

/* P̂ᵀ = diag(s) + diag(e) A diag(c) (A symmetric). */
void ncn_propagate_backward(float *dX, const ncn_adj *A, grl_ncn_encoder enc,
                            const float *dY, int64_t d)
{
    apply(dX, A, enc, dY, d, true);
}
