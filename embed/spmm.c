/* spmm.c — the sparse x dense product at the heart of FastRP, on the CSR
 * arrays of the graph's own matrix (borrowed with GxB unpack/pack, no copy),
 * with the D^-1 row scaling and, optionally, FastRP's accumulation of the
 * power fused into each output row while it is in cache.
 *
 * The product is bound by fetching a row of X per arc from memory: each
 * arc prefetches the row of the arc SPMM_PREFETCH ahead, and on x86-64 GCC
 * compiles the row for AVX-512, AVX2 and SSE2, picked at load time
 * (target_clones), without contracting a*b+c into FMAs so every version
 * gives the same bits. G(200k, 2M), d = 128, 1 thread, load 27: CPU time
 * of FastRP (3 powers) over 3 GraphBLAS products 1.35x before, 1.16x with
 * AVX-512 alone, 0.74-0.84x with the prefetch too (bench/bench_fastrp). */
#include "embed_internal.h"

#include <omp.h>

#define SPMM_PREFETCH 4
/* A slab row is 8-16 floats, little work per arc, so its rows are
 * prefetched further ahead: mpi FastRP's products on bench_mpi's graph
 * (1 rank, d = 32, 4 products of 4 slabs, load 2): 3.8-4.2 s at 4 arcs
 * ahead, 2.9-3.1 s at 16, 2.5 s at 32, 2.3 s at 64. */
#define SLAB_PREFETCH 64

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SPMM_CLONES __attribute__((target_clones("avx512f", "avx2", "default"), \
                                   optimize("fp-contract=off")))
#else
#define SPMM_CLONES
#endif

/* Row i of the product into y; then, if result, result row += alpha *
 * normalize(y) exactly as grl_fastrp_accumulate computes it. */
SPMM_CLONES
static void spmm_row(float *restrict y, const grl_csr *S, int64_t i,
                     const float *X, int64_t d, double row_scale,
                     float *restrict result, double alpha, bool normalize)
{
    const GrB_Index *Aj = S->Aj, end = S->Ap[S->n];
    for (int64_t c = 0; c < d; c++) y[c] = 0.0f;
    /* scaled in double first: a weight beyond float's range (1e39) still
     * gives w <= 1 for row_scale = 1 / degree */
    for (GrB_Index p = S->Ap[i]; p < S->Ap[i + 1]; p++) {
        if (p + SPMM_PREFETCH < end) {
            const char *ahead = (const char *)(X + Aj[p + SPMM_PREFETCH] * d);
            for (int64_t b = 0; b < d * (int64_t)sizeof(float); b += 64)
                __builtin_prefetch(ahead + b);
        }
        const float w = (float)((S->iso ? S->Ax[0] : S->Ax[p]) * row_scale);
        const float *restrict x = X + Aj[p] * d;
        for (int64_t c = 0; c < d; c++) y[c] += w * x[c];
    }
    if (result) grl_fastrp_accumulate_row(result, y, d, alpha, normalize);
}

void grl_spmm_rows(float *Y, const grl_csr *S, const float *X, int64_t d,
                   const double *row_scale)
{
    grl_spmm_accumulate(Y, S, X, d, row_scale, NULL, 0, false);
}

/* The rows of the product into Y (keep) or each into its thread's row of
 * Y (not kept: grl_spmm_fold). */
static void spmm_rows(float *Y, bool keep, const grl_csr *S, const float *X,
                      int64_t d, const double *row_scale, float *result,
                      double alpha, bool normalize)
{
#pragma omp parallel for schedule(dynamic, 64)
    for (int64_t i = 0; i < S->n; i++)
        spmm_row(Y + (keep ? i : omp_get_thread_num()) * d, S, i, X, d,
                 row_scale[i], result ? result + i * d : NULL, alpha, normalize);
}

void grl_spmm_accumulate(float *Y, const grl_csr *S, const float *X, int64_t d,
                         const double *row_scale, float *result, double alpha,
                         bool normalize)
{
    spmm_rows(Y, true, S, X, d, row_scale, result, alpha, normalize);
}

/* Row i of a slab of the product into y (w floats): column j of S names
 * row j of X (ld floats apart) below split, row j - split of H (w apart)
 * from there on; the sums of spmm_row, so the same bits. Summed in acc,
 * which a constant w keeps in registers. */
static inline __attribute__((always_inline)) void
slab_sum(float *restrict y, const grl_csr *S, int64_t i, const float *X,
         int64_t ld, const float *H, GrB_Index split, int64_t w,
         double row_scale)
{
    const GrB_Index *Aj = S->Aj, end = S->Ap[S->n];
    float acc[GRL_SPMM_SLAB_MAX];
    for (int64_t c = 0; c < w; c++) acc[c] = 0.0f;
    for (GrB_Index p = S->Ap[i]; p < S->Ap[i + 1]; p++) {
        if (p + SLAB_PREFETCH < end) {
            GrB_Index a = Aj[p + SLAB_PREFETCH];
            __builtin_prefetch(a < split ? X + a * ld : H + (a - split) * w);
        }
        const float wt = (float)((S->iso ? S->Ax[0] : S->Ax[p]) * row_scale);
        const float *restrict x = Aj[p] < split ? X + Aj[p] * ld
                                                : H + (Aj[p] - split) * w;
        for (int64_t c = 0; c < w; c++) acc[c] += wt * x[c];
    }
    for (int64_t c = 0; c < w; c++) y[c] = acc[c];
}

/* slab_sum, its loops unrolled for 8 columns (mpi/fastrp.c's slabs). */
SPMM_CLONES
static void slab_row(float *restrict y, const grl_csr *S, int64_t i,
                     const float *X, int64_t ld, const float *H, GrB_Index split,
                     int64_t w, double row_scale)
{
    if (w == 8) slab_sum(y, S, i, X, ld, H, split, 8, row_scale);
    else slab_sum(y, S, i, X, ld, H, split, w, row_scale);
}

void grl_spmm_slab(float *T, const grl_csr *S, int64_t r0, int64_t r1,
                   const float *X, int64_t ld, const float *H, GrB_Index split,
                   int64_t w, const double *row_scale)
{
#pragma omp parallel for schedule(dynamic, 64)
    for (int64_t i = r0; i < r1; i++)
        slab_row(T + i * w, S, i, X, ld, H, split, w, row_scale[i]);
}

void grl_spmm_fold(float *scratch, const grl_csr *S, const float *X, int64_t d,
                   const double *row_scale, float *result, double alpha,
                   bool normalize)
{
    spmm_rows(scratch, false, S, X, d, row_scale, result, alpha, normalize);
}
