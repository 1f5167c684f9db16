/* adpa_pattern.c — ADPA's pattern level: how the branches' hidden outputs
 * T_p (n x h each, after ReLU and dropout) are combined for the output
 * layer (the formulas are in adpa_internal.h). */
#include "adpa_internal.h"

#include <math.h>

static const grl_enum_name attention_names[] = {
    {"scalar", GRL_ADPA_PATTERN_SCALAR}, {"node", GRL_ADPA_PATTERN_NODE},
    {"node-concat", GRL_ADPA_PATTERN_NODE_CONCAT}};

GRL_ENUM_FUNCTIONS(grl_adpa_pattern_attention, attention_names, "pattern attention")

/* x . y over h floats in double, in order. */
static double dot_h(const float *x, const float *y, int64_t h)
{
    double s = 0;
    for (int64_t c = 0; c < h; c++) s += (double)x[c] * y[c];
    return s;
}

void grl_adpa_pattern_forward(float *C, float *R, float *w, const float *const *T,
                              const float *s, const float *Q, const float *qb,
                              int64_t n, int B, int64_t h)
{
#pragma omp parallel for schedule(static) if (n * B * h > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < n; i++) {
        float *wi = w + i * B;
        if (Q == NULL) {
            for (int p = 0; p < B; p++) wi[p] = s[p];
        } else { /* B softmax over the branches of q_p . T_p[i] + e_p */
            double e[GRL_ADPA_MAX_BRANCHES], mx = -INFINITY, sum = 0;
            for (int p = 0; p < B; p++) {
                e[p] = qb[p] + dot_h(Q + p * h, T[p] + i * h, h);
                mx = e[p] > mx ? e[p] : mx;
            }
            for (int p = 0; p < B; p++) sum += (e[p] = exp(e[p] - mx));
            for (int p = 0; p < B; p++) wi[p] = (float)(B * e[p] / sum);
        }
        float *ci = C + i * B * h;
        for (int p = 0; p < B; p++)
            for (int64_t c = 0; c < h; c++) ci[p * h + c] = wi[p] * T[p][i * h + c];
        if (R == NULL) continue;
        float *ri = R + i * h;
        for (int64_t c = 0; c < h; c++) ri[c] = 0;
        for (int p = 0; p < B; p++)
            for (int64_t c = 0; c < h; c++) ri[c] += ci[p * h + c];
    }
}

void grl_adpa_pattern_backward(float *dT, const float *dOut, bool sum, float *ds,
                               float *dQ, float *dqb, const float *w,
                               const float *const *T, const float *Q, int64_t n,
                               int B, int64_t h)
{
    double ds_sum[GRL_ADPA_MAX_BRANCHES] = {0};
    /* rows in order: the parameter gradients are summed the same way on any
     * thread count */
    for (int64_t i = 0; i < n; i++) {
        const float *wi = w + i * B;
        double dw[GRL_ADPA_MAX_BRANCHES], mean = 0;
        for (int p = 0; p < B; p++) {
            const float *g = sum ? dOut + i * h : dOut + (i * B + p) * h;
            dw[p] = dot_h(g, T[p] + i * h, h); /* dL/dw_ip */
            mean += wi[p] * dw[p] / B;
        }
        for (int p = 0; p < B; p++) {
            const float *g = sum ? dOut + i * h : dOut + (i * B + p) * h;
            float *dt = dT + (i * B + p) * h;
            if (Q == NULL) {
                ds_sum[p] += dw[p];
                for (int64_t c = 0; c < h; c++) dt[c] = wi[p] * g[c];
                continue;
            }
            /* (B softmax) backward: dL/dscore_ip = w_ip (dw_ip - mean), mean =
             * sum_k (w_ik / B) dw_ik */
            const float de = (float)(wi[p] * (dw[p] - mean));
            const float *t = T[p] + i * h;
            const float *q = Q + p * h;
            float *dq = dQ + p * h;
            dqb[p] += de;
            for (int64_t c = 0; c < h; c++) {
                dq[c] += de * t[c];
                dt[c] = wi[p] * g[c] + de * q[c];
            }
        }
    }
    if (Q == NULL)
        for (int p = 0; p < B; p++) ds[p] += (float)ds_sum[p];
}
