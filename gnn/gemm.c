/* gemm.c — float32 products on OpenBLAS with a fixed reduction order.
 * OpenBLAS is called once per block of GRL_NN_BLOCK rows from inside an
 * OpenMP parallel region, where it runs single-threaded, so every output
 * entry is computed by the same kernel in the same order whatever the
 * thread count. Measured here: called outside a region, OpenBLAS's own
 * threading gave other bits with 2 threads than with 1 (64 x 2325 x 32
 * products), so the region is entered even for a single block. */
#include "nn.h"

#include <cblas.h>

void grl_nn_gemm(float *C, const float *A, const float *B, int64_t m,
                 int64_t k, int64_t n, bool transB, float beta)
{
    if (m <= 0 || n <= 0) return;
    int64_t blocks = (m + GRL_NN_BLOCK - 1) / GRL_NN_BLOCK;
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < blocks; b++) {
        int64_t r0 = b * GRL_NN_BLOCK;
        int64_t rows = m - r0 < GRL_NN_BLOCK ? m - r0 : GRL_NN_BLOCK;
        if (k == 0) {
            for (int64_t i = 0; i < rows * n; i++)
                C[r0 * n + i] = beta == 0 ? 0.0f : C[r0 * n + i] * beta;
            continue;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans, (int)rows, (int)n,
                    (int)k, 1.0f, A + r0 * k, (int)k, B,
                    transB ? (int)k : (int)n, beta, C + r0 * n, (int)n);
    }
}

size_t grl_nn_gemm_tn_scratch(int64_t m, int64_t k, int64_t n)
{
    int64_t blocks = (m + GRL_NN_BLOCK - 1) / GRL_NN_BLOCK;
    return blocks <= 1 ? 0 : grl_size_mul(grl_size_mul((size_t)k, (size_t)n),
                                          (size_t)blocks);
}

void grl_nn_gemm_tn(float *G, const float *A, const float *B, int64_t m,
                    int64_t k, int64_t n, float *part)
{
    if (m <= 0 || k <= 0 || n <= 0) return;
    int64_t blocks = (m + GRL_NN_BLOCK - 1) / GRL_NN_BLOCK;
    size_t size = grl_size_mul((size_t)k, (size_t)n);
    if (blocks == 1) { /* one block: straight into G (in a region, see top) */
#pragma omp parallel
#pragma omp single
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)n,
                    (int)m, 1.0f, A, (int)k, B, (int)n, 1.0f, G, (int)n);
        return;
    }
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < blocks; b++) {
        int64_t r0 = b * GRL_NN_BLOCK;
        int64_t rows = m - r0 < GRL_NN_BLOCK ? m - r0 : GRL_NN_BLOCK;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)n,
                    (int)rows, 1.0f, A + r0 * k, (int)k, B + r0 * n, (int)n,
                    0.0f, part + (size_t)b * size, (int)n);
    }
    /* blocks added in order; entries in parallel */
#pragma omp parallel for schedule(static) if (size * blocks > GRL_NN_PARALLEL_WORK)
    for (size_t e = 0; e < size; e++) {
        float s = G[e];
        for (int64_t b = 0; b < blocks; b++) s += part[(size_t)b * size + e];
        G[e] = s;
    }
}

void grl_nn_colsum(float *g, const float *Y, int64_t m, int64_t n)
{
    for (int64_t i = 0; i < m; i++)
        for (int64_t c = 0; c < n; c++) g[c] += Y[i * n + c];
}
