/* optim_internal.h — private helpers of the optim module. Not installed. */
#ifndef GRL_OPTIM_INTERNAL_H
#define GRL_OPTIM_INTERNAL_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <omp.h>

#include "grl_internal.h"
#include "grl/optim.h"

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

/* The stopping tests shared by L-BFGS and L-BFGS-B after an iteration
 * from f_prev to f with (projected) gradient norm gnorm: gtol, then the
 * relative decrease ftol. True (and *stop set) when one holds. */
static inline bool grl_lbfgs_stop_test(double gtol, double ftol, double gnorm,
                                       double f_prev, double f,
                                       grl_lbfgs_stop *stop)
{
    if (gnorm <= gtol) {
        *stop = GRL_LBFGS_GTOL;
        return true;
    }
    if (ftol > 0 && f_prev - f <= ftol * fmax(fmax(fabs(f_prev), fabs(f)), 1.0)) {
        *stop = GRL_LBFGS_FTOL;
        return true;
    }
    return false;
}

/* The warning of a run that did not converge (r->stop MAX_ITER or
 * LINESEARCH): `name` is the method, `norm` what gnorm measures. */
static inline void grl_lbfgs_stop_message(char *msg, const char *name,
                                          const char *norm,
                                          const grl_lbfgs_result *r, double gtol)
{
    if (r->stop == GRL_LBFGS_MAX_ITER)
        grl_set_msg(msg, "%s did not converge in %" PRId64 " iterations (%s "
                    "%.3g > gtol %.3g); raise max_iter or gtol", name,
                    r->iterations, norm, r->gnorm, gtol);
    else
        grl_set_msg(msg, "%s stopped after %" PRId64 " iterations: no step "
                    "decreases f (%s %.3g > gtol %.3g; f is flat to rounding, "
                    "or the gradient is wrong)", name, r->iterations, norm,
                    r->gnorm, gtol);
}

#endif
