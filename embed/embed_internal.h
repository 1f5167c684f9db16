/* embed_internal.h — pieces of FastRP shared inside embed/. */
#ifndef GRL_EMBED_INTERNAL_H
#define GRL_EMBED_INTERNAL_H

#include "grl_internal.h"
#include "grl/embed.h"

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

#endif
