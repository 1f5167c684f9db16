/* pore_solve.h — the pressures of one pore network (gnn/pore.c). */
#ifndef GRL_GNN_PORE_SOLVE_H
#define GRL_GNN_PORE_SOLVE_H

#include <stdint.h>

/* p (n values) = pressures with p = 1 at face[i] == 1, 0 at face[i] == -1,
 * and sum_j g_ij (p_i - p_j) = 0 at the other pores, for the throats given
 * as a CSR of incoming arcs (ptr, src, g: symmetric). Every component must
 * hold a face pore (then the system is SPD). Jacobi-preconditioned
 * conjugate gradients in double until ||r|| <= tolerance ||b||. Returns 0,
 * GRL_NOT_CONVERGED (p = last iterate) or GRL_OUT_OF_MEMORY. */
int grl_pore_pressures(double *p, int64_t n, const int64_t *ptr,
                       const int64_t *src, const double *g, const int8_t *face,
                       double tolerance, int64_t max_iterations);

#endif
