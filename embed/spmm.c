/* spmm.c — the sparse x dense product at the heart of FastRP, on the CSR
 * arrays of the graph's own matrix (borrowed with GxB unpack/pack, no copy).
 *
 * Measured on BlogCatalog (n = 10,312, 667,966 arcs, d = 512, 2 threads):
 * this kernel and GraphBLAS's PLUS_TIMES product into a pre-filled full FP32
 * matrix run at the same speed (bench/bench_fastrp prints both); the kernel
 * needs no FP32 copy of the graph and fuses the D^-1 row scaling. The arrays
 * are borrowed with grl_csr_borrow (core/csr.c). */
#include "embed_internal.h"

void grl_spmm_rows(float *Y, const grl_csr *S, const float *X, int64_t d,
                   const double *row_scale)
{
    const GrB_Index *Ap = S->Ap, *Aj = S->Aj;
    const double *Ax = S->Ax;
    bool iso = S->iso;
#pragma omp parallel for schedule(dynamic, 64)
    for (int64_t i = 0; i < S->n; i++) {
        float *y = Y + i * d;
        for (int64_t c = 0; c < d; c++) y[c] = 0.0f;
        /* scaled in double first: a weight beyond float's range (1e39)
         * still gives w <= 1 for row_scale = 1 / degree */
        for (GrB_Index p = Ap[i]; p < Ap[i + 1]; p++) {
            const float w = (float)((iso ? Ax[0] : Ax[p]) * row_scale[i]);
            const float *x = X + Aj[p] * d;
            for (int64_t c = 0; c < d; c++) y[c] += w * x[c];
        }
    }
}
