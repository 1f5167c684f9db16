/* random_projection.c — very sparse random projections (Li, Hastie &
 * Church 2006): each entry is sqrt(s) * {+1, 0, -1} with probabilities
 * 1/(2s), 1 - 1/s, 1/(2s). Non-zero columns are found by geometric skipping,
 * so a row costs O(d/s) random numbers, not O(d). */
#include "embed_internal.h"

#include <math.h>

void grl_sparse_projection(float *X, int64_t rows, int64_t ld, int64_t col0,
                           int64_t width, double s, uint64_t seed,
                           const uint64_t *keys)
{
    double p = 1.0 / s;              /* probability of a non-zero entry */
    double log_miss = log1p(-p);     /* log(1 - p); -inf when s = 1      */
    float value = (float)sqrt(s);
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
        grl_rng rng;
        grl_rng_init(&rng, seed, keys ? keys[r] : (uint64_t)r);
        float *row = X + r * ld + col0;
        int64_t j = -1;
        for (;;) {
            /* columns skipped before the next non-zero: Geometric(p) */
            double u = 1.0 - grl_rng_uniform(&rng); /* (0, 1] */
            double skip = p >= 1.0 ? 0.0 : floor(log(u) / log_miss);
            if (skip >= (double)(width - j - 1)) break;
            j += 1 + (int64_t)skip;
            row[j] = (grl_rng_u32(&rng) & 1) ? value : -value;
        }
    }
}
