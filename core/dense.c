/* dense.c — the row-major float matrix handed to users. */
#include "grl_internal.h"

#include <math.h>

int grl_dense_new(grl_dense **D, int64_t rows, int64_t cols, char *msg)
{
    grl_msg_clear(msg);
    grl_dense *d = NULL;
#define FREE_ALL free(d)
    GRL_REQUIRE(D != NULL, "grl_dense_new: output pointer is NULL");
    *D = NULL;
    GRL_REQUIRE(rows >= 0 && cols >= 0, "dense matrix size %" PRId64
                " x %" PRId64 " is negative", rows, cols);
    GRL_CALLOC(d, grl_dense, 1);
    d->rows = rows;
    d->cols = cols;
    GRL_CALLOC(d->data, float, grl_size_mul(rows, cols));
    *D = d;
    return 0;
#undef FREE_ALL
}

void grl_dense_free(grl_dense **D)
{
    if (D == NULL || *D == NULL) return;
    free((*D)->data);
    free(*D);
    *D = NULL;
}

int64_t grl_first_nonfinite(const float *x, int64_t count)
{
    int64_t first = count;
#pragma omp parallel for schedule(static) reduction(min : first)
    for (int64_t i = 0; i < count; i++)
        if (!isfinite(x[i]) && i < first) first = i;
    return first < count ? first : -1;
}
