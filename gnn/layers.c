/* layers.c — the layers' forward and backward passes (shapes in nn.h). Each
 * backward is checked against finite differences in tests/test_gnn.c. */
#include "nn.h"

#include <math.h>

void grl_nn_linear_forward(float *Y, const float *X, const float *W,
                           const float *b, int64_t n, int64_t in, int64_t out)
{
    grl_nn_gemm(Y, X, W, n, in, out, false, 0.0f);
    if (b == NULL) return;
#pragma omp parallel for schedule(static) if (n * out > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++)
        for (int64_t c = 0; c < out; c++) Y[i * out + c] += b[c];
}

void grl_nn_linear_backward(float *dX, float *dW, float *db, const float *X,
                            const float *W, const float *dY, int64_t n,
                            int64_t in, int64_t out, float *scratch)
{
    grl_nn_gemm_tn(dW, X, dY, n, in, out, scratch);
    if (db != NULL) grl_nn_colsum(db, dY, n, out);
    /* dX = dY Wᵀ: W is in x out, i.e. Wᵀ stored as "n x k" = in x out */
    if (dX != NULL) grl_nn_gemm(dX, dY, W, n, out, in, true, 0.0f);
}

static inline float sigmoidf(float x)
{
    return x >= 0 ? 1.0f / (1.0f + expf(-x)) : expf(x) / (1.0f + expf(x));
}

void grl_nn_activation_forward(grl_nn_activation f, float *Y, const float *X,
                               int64_t count)
{
#pragma omp parallel for schedule(static) if (count > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < count; i++) {
        float x = X[i], y;
        switch (f) {
        case GRL_NN_RELU: y = x > 0 ? x : 0.0f; break;
        case GRL_NN_ELU: y = x > 0 ? x : expm1f(x); break;
        case GRL_NN_SILU: y = x * sigmoidf(x); break;
        case GRL_NN_SIGMOID: y = sigmoidf(x); break;
        case GRL_NN_TANH: y = tanhf(x); break;
        default: y = x; break;
        }
        Y[i] = y;
    }
}

void grl_nn_activation_backward(grl_nn_activation f, float *dX,
                                const float *X, const float *Y,
                                const float *dY, int64_t count)
{
#pragma omp parallel for schedule(static) if (count > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < count; i++) {
        float x = X[i], y = Y[i], d;
        switch (f) {
        case GRL_NN_RELU: d = x > 0 ? 1.0f : 0.0f; break;
        case GRL_NN_ELU: d = x > 0 ? 1.0f : y + 1.0f; break;
        case GRL_NN_SILU: {
            float s = sigmoidf(x);
            d = s * (1.0f + x * (1.0f - s));
            break;
        }
        case GRL_NN_SIGMOID: d = y * (1.0f - y); break;
        case GRL_NN_TANH: d = 1.0f - y * y; break;
        default: d = 1.0f; break;
        }
        dX[i] = d * dY[i];
    }
}

void grl_nn_dropout(float *X, const int64_t *rows, int64_t n, int64_t d,
                    double p, uint64_t seed, uint64_t epoch, uint64_t layer)
{
    if (p <= 0) return;
    const uint64_t key = grl_mix64(grl_mix64(seed + GRL_GOLDEN) ^
                                   grl_mix64(epoch * 0x100000001b3ull + layer));
    /* keep when the 32-bit draw is >= p 2^32 */
    const uint64_t cut = (uint64_t)ldexp(p, 32);
    const float keep_scale = (float)(1.0 / (1.0 - p));
#pragma omp parallel for schedule(static) if (n * d > GRL_NN_PARALLEL_WORK / 8)
    for (int64_t i = 0; i < n; i++) {
        grl_rng rng;
        grl_rng_init(&rng, key, (uint64_t)rows[i]);
        float *x = X + i * d;
        for (int64_t c = 0; c < d; c++)
            x[c] = grl_rng_u32(&rng) >= cut ? x[c] * keep_scale : 0.0f;
    }
}

void grl_nn_softmax_rows(float *P, const float *Z, int64_t n, int64_t k)
{
#pragma omp parallel for schedule(static) if (n * k > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++) {
        const float *z = Z + i * k;
        float *p = P + i * k;
        float mx = z[0];
        for (int64_t c = 1; c < k; c++) mx = z[c] > mx ? z[c] : mx;
        double s = 0;
        for (int64_t c = 0; c < k; c++) s += (p[c] = expf(z[c] - mx));
        for (int64_t c = 0; c < k; c++) p[c] = (float)(p[c] / s);
    }
}

void grl_nn_softmax_rows_backward(float *dZ, const float *P, const float *dP,
                                  int64_t n, int64_t k)
{
    for (int64_t i = 0; i < n; i++) {
        double dot = 0;
        for (int64_t c = 0; c < k; c++) dot += (double)dP[i * k + c] * P[i * k + c];
        for (int64_t c = 0; c < k; c++)
            dZ[i * k + c] = (float)(P[i * k + c] * (dP[i * k + c] - dot));
    }
}

double grl_nn_softmax_xent(float *dZ, const float *Z, const int64_t *y,
                           int64_t n, int64_t k)
{
    double loss = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *z = Z + i * k;
        double mx = z[0], s = 0;
        for (int64_t c = 1; c < k; c++) mx = z[c] > mx ? z[c] : mx;
        for (int64_t c = 0; c < k; c++) s += exp(z[c] - mx);
        double lse = mx + log(s);
        loss += lse - z[y[i]];
        if (dZ != NULL)
            for (int64_t c = 0; c < k; c++)
                dZ[i * k + c] = (float)((exp(z[c] - lse) - (c == y[i])) / n);
    }
    return n > 0 ? loss / n : 0.0;
}

double grl_nn_mse(float *dY, const float *Y, const float *T, int64_t count)
{
    double loss = 0;
    for (int64_t i = 0; i < count; i++) {
        double e = (double)Y[i] - T[i];
        loss += e * e;
        if (dY != NULL) dY[i] = (float)(2 * e / count);
    }
    return count > 0 ? loss / count : 0.0;
}

int64_t grl_nn_correct(const float *Z, const int64_t *y, int64_t n, int64_t k)
{
    int64_t correct = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t best = 0;
        for (int64_t c = 1; c < k; c++)
            if (Z[i * k + c] > Z[i * k + best]) best = c;
        correct += best == y[i];
    }
    return correct;
}
