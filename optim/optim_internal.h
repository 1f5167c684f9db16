/* optim_internal.h — private helpers of the optim module. Not installed. */
#ifndef GRL_OPTIM_INTERNAL_H
#define GRL_OPTIM_INTERNAL_H

#include <stdint.h>
#include <omp.h>

/* Threads for a parallel region whose OpenBLAS calls must stay single-
 * threaded so that results never depend on the thread count: OpenBLAS (the
 * OpenMP build) threads a call only outside an *active* parallel region, so
 * the team has at least two threads whenever more than one is allowed; at
 * most what is allowed, and no more than `wanted` beyond that. */
static inline int grl_blas_team(int64_t wanted)
{
    int t = omp_get_max_threads();
    if (t <= 1) return 1;
    if (wanted < t) t = wanted < 2 ? 2 : (int)wanted;
    return t;
}

#endif
