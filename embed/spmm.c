/* spmm.c — the sparse x dense product at the heart of FastRP, on the CSR
 * arrays of the graph's own matrix (borrowed with GxB unpack/pack, no copy).
 *
 * Measured on BlogCatalog (n = 10,312, 667,966 arcs, d = 512, 2 threads):
 * this kernel and GraphBLAS's PLUS_TIMES product into a pre-filled full FP32
 * matrix run at the same speed (bench/bench_fastrp prints both); the kernel
 * needs no FP32 copy of the graph and fuses the D^-1 row scaling. */
#include "embed_internal.h"

int grl_csr_borrow(grl_csr *csr, GrB_Matrix M, char *msg)
{
#define FREE_ALL ;
    memset(csr, 0, sizeof(*csr));
    GrB_Index n;
    GRB_TRY(GrB_Matrix_nrows(&n, M));
    GRB_TRY(GxB_Matrix_unpack_CSR(M, &csr->Ap, &csr->Aj, &csr->Ax,
                                  &csr->Ap_size, &csr->Aj_size, &csr->Ax_size,
                                  &csr->iso, &csr->jumbled, NULL));
    csr->M = M;
    csr->n = (int64_t)n;
    return 0;
#undef FREE_ALL
}

int grl_csr_return(grl_csr *csr, char *msg)
{
#define FREE_ALL ;
    if (csr->M == NULL) return 0;
    GrB_Matrix M = csr->M;
    csr->M = NULL;
    GRB_TRY(GxB_Matrix_pack_CSR(M, &csr->Ap, &csr->Aj, &csr->Ax, csr->Ap_size,
                                csr->Aj_size, csr->Ax_size, csr->iso,
                                csr->jumbled, NULL));
    return 0;
#undef FREE_ALL
}

void grl_spmm_rows(float *Y, const grl_csr *S, const float *X, int64_t d,
                   const float *row_scale)
{
    const GrB_Index *Ap = S->Ap, *Aj = S->Aj;
    const double *Ax = S->Ax;
    bool iso = S->iso;
#pragma omp parallel for schedule(dynamic, 64)
    for (int64_t i = 0; i < S->n; i++) {
        float *y = Y + i * d;
        for (int64_t c = 0; c < d; c++) y[c] = 0.0f;
        for (GrB_Index p = Ap[i]; p < Ap[i + 1]; p++) {
            const float w = (float)(iso ? Ax[0] : Ax[p]);
            const float *x = X + Aj[p] * d;
            for (int64_t c = 0; c < d; c++) y[c] += w * x[c];
        }
        const float scale = row_scale[i];
        for (int64_t c = 0; c < d; c++) y[c] *= scale;
    }
}
