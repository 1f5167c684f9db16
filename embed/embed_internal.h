/* embed_internal.h — pieces of FastRP shared inside embed/. */
#ifndef GRL_EMBED_INTERNAL_H
#define GRL_EMBED_INTERNAL_H

#include "grl_internal.h"
#include "grl/embed.h"

#include <math.h>

/* Fill columns [col0, col0 + width) of row-major X (ld columns) with a very
 * sparse random projection: row r gets sqrt(s) * {+1, -1} entries, each
 * column non-zero with probability 1/s, drawn from RNG stream keys[r] of
 * `seed` (keys NULL: stream r). */
void grl_sparse_projection(float *X, int64_t rows, int64_t ld, int64_t col0,
                           int64_t width, double s, uint64_t seed,
                           const uint64_t *keys);

/* Y = (diag(row_scale) S) X: S the borrowed n x n FP64 CSR matrix, X and Y
 * n x d row-major (Y must not alias X). Each row is summed by one thread in
 * storage order, so Y is bit-identical for any thread count. */
void grl_spmm_rows(float *Y, const grl_csr *S, const float *X, int64_t d,
                   const double *row_scale);

/* grl_spmm_rows, then (result not NULL) result += alpha * normalize(Y)
 * row by row as grl_fastrp_accumulate does (the same bits), each row while
 * it is in cache. */
void grl_spmm_accumulate(float *Y, const grl_csr *S, const float *X, int64_t d,
                         const double *row_scale, float *result, double alpha,
                         bool normalize);

/* grl_spmm_accumulate without keeping the product (result not NULL): row i
 * of it is formed in row omp_get_thread_num() of scratch
 * (omp_get_max_threads() x d floats), then added to result's row i. For a
 * last power, whose product is no operand: one n x d block less. */
void grl_spmm_fold(float *scratch, const grl_csr *S, const float *X, int64_t d,
                   const double *row_scale, float *result, double alpha,
                   bool normalize);

/* Columns [0, w) of rows [r0, r1) of (diag(row_scale) S) [X; H] into T
 * (row i at T + i w): column j of S below split names row j of X (ld
 * floats apart; X may point at a later column of a wider block), from split
 * on row j - split of H (w floats apart) — a rank's own rows and the halo
 * rows it received (mpi/'s slab products). Each entry is summed as
 * grl_spmm_rows sums it, so the same bits whatever w (1 to
 * GRL_SPMM_SLAB_MAX). */
#define GRL_SPMM_SLAB_MAX 16
void grl_spmm_slab(float *T, const grl_csr *S, int64_t r0, int64_t r1,
                   const float *X, int64_t ld, const float *H, GrB_Index split,
                   int64_t w, const double *row_scale);

/* result = 0 + alpha * normalize(Y) row by row, n rows of d: the bits
 * grl_fastrp_accumulate gives a zeroed result (0.0f + -0.0f is +0.0f), without
 * zeroing it first. result may be Y (in place). */
void grl_fastrp_start_result(float *result, const float *Y, int64_t n, int64_t d,
                             double alpha, bool normalize);

/* The checks grl_fastrp_embed makes of its options for n nodes
 * (GRL_INVALID_ARGUMENT with the message it gives). */
int grl_fastrp_check_options(const grl_fastrp_options *o, int64_t n, char *msg);

/* alpha / sqrt(sq), 0 for sq = 0: the scale of a row whose squares sum to
 * sq (in column order, in double). */
static inline double grl_fastrp_norm_scale(double sq, double alpha)
{
    return sq > 0 ? alpha / sqrt(sq) : 0.0;
}

/* alpha, or (normalize) alpha / the L2 norm of row y of d (0 for a zero
 * row): what multiplies y when a power is accumulated. */
static inline double grl_fastrp_row_scale(const float *y, int64_t d,
                                          double alpha, bool normalize)
{
    if (!normalize) return alpha;
    double sq = 0;
    for (int64_t c = 0; c < d; c++) sq += (double)y[c] * y[c];
    return grl_fastrp_norm_scale(sq, alpha);
}

/* r += alpha * normalize(y) for one row of d (normalize: L2, if asked). */
static inline void grl_fastrp_accumulate_row(float *restrict r,
                                             const float *restrict y, int64_t d,
                                             double alpha, bool normalize)
{
    double scale = grl_fastrp_row_scale(y, d, alpha, normalize);
    for (int64_t c = 0; c < d; c++) r[c] += (float)(scale * y[c]);
}

/* result += alpha * normalize(Y) row by row, n rows of d (normalize: L2,
 * if asked). */
void grl_fastrp_accumulate(float *result, const float *Y, int64_t n, int64_t d,
                           double alpha, bool normalize);

/* Rows 0..S->n-1 of X (d columns) times deg^beta, inv_deg[i] = 1/deg (0 for
 * deg 0), deg the weighted row sums of S in storage order. Returns the
 * largest degree whose row overflowed float, or -1. */
double grl_fastrp_degree_scale(float *X, double *inv_deg, const grl_csr *S,
                               int64_t d, double beta);

/* Column standardisation in pieces, so that rows held in several places
 * (mpi/, the distributed FastRP) give the same bits as one process: the
 * partial sums of fixed blocks of GRL_STANDARDIZE_BLOCK rows, counted from
 * row 0 of the whole matrix, are combined in block order.
 * grl_standardize_partials: part[b*d + c] = sum over block b of rows
 *   0..rows-1 of E of E[i][c] (mean NULL) or (E[i][c] - mean[c])^2;
 * grl_standardize_stats: from `blocks` partials of n rows in all, stat =
 *   the column means, or (deviation) 1 / standard deviation (0: constant);
 * grl_standardize_apply: E = (E - mean) * inv_std. */
#define GRL_STANDARDIZE_BLOCK 4096
void grl_standardize_partials(double *part, const float *E, int64_t rows,
                              int64_t d, const double *mean);
void grl_standardize_stats(double *stat, const double *part, int64_t blocks,
                           int64_t d, int64_t n, bool deviation);
void grl_standardize_apply(float *E, int64_t rows, int64_t d,
                           const double *mean, const double *inv_std);

#endif
