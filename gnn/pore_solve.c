/* pore_solve.c — steady pressures of a pore network: the weighted graph
 * Laplacian restricted to the interior pores (Dirichlet values on the
 * faces), solved by Jacobi-preconditioned conjugate gradients (Saad,
 * Iterative Methods for Sparse Linear Systems, algorithm 9.1). Graphs here
 * have at most a few thousand pores each and are solved one per thread, so
 * a hand loop over the CSR replaces a GraphBLAS call per iteration. */
#include "pore_solve.h"
#include "grl_internal.h"

#include <math.h>

/* y = A x over interior pores (x is zero on the faces, y is set to zero
 * there): (A x)_i = sum_j g_ij (x_i - x_j). */
static void apply(double *y, const double *x, int64_t n, const int64_t *ptr,
                  const int64_t *src, const double *g, const int8_t *face)
{
    for (int64_t i = 0; i < n; i++) {
        double s = 0;
        if (face[i] == 0)
            for (int64_t k = ptr[i]; k < ptr[i + 1]; k++) s += g[k] * (x[i] - x[src[k]]);
        y[i] = s;
    }
}

static double dot(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

int grl_pore_pressures(double *p, int64_t n, const int64_t *ptr,
                       const int64_t *src, const double *g, const int8_t *face,
                       double tolerance, int64_t max_iterations)
{
    size_t len = (size_t)(n > 0 ? n : 1);
    double *work = malloc(sizeof(double) * 6 * len);
    if (work == NULL) return GRL_OUT_OF_MEMORY;
    double *x = work, *r = x + len, *z = r + len, *d = z + len, *q = d + len,
           *inv_diag = q + len;
    /* x: the interior unknowns from 0; r = b, b_i = sum of g_ij over inlets */
    for (int64_t i = 0; i < n; i++) {
        double b = 0, a = 0;
        if (face[i] == 0)
            for (int64_t k = ptr[i]; k < ptr[i + 1]; k++) {
                a += g[k];
                b += face[src[k]] == 1 ? g[k] : 0.0;
            }
        x[i] = 0;
        r[i] = b;
        inv_diag[i] = a > 0 ? 1.0 / a : 0.0;
        d[i] = z[i] = r[i] * inv_diag[i];
    }
    const double stop = tolerance * sqrt(dot(r, r, n));
    double rz = dot(r, z, n);
    int status = GRL_NOT_CONVERGED;
    for (int64_t it = 0; it <= max_iterations; it++) {
        if (sqrt(dot(r, r, n)) <= stop) {
            status = 0;
            break;
        }
        if (it == max_iterations) break;
        apply(q, d, n, ptr, src, g, face);
        double alpha = rz / dot(d, q, n);
        for (int64_t i = 0; i < n; i++) {
            x[i] += alpha * d[i];
            r[i] -= alpha * q[i];
            z[i] = r[i] * inv_diag[i];
        }
        double rz_next = dot(r, z, n), beta = rz_next / rz;
        rz = rz_next;
        for (int64_t i = 0; i < n; i++) d[i] = z[i] + beta * d[i];
    }
    for (int64_t i = 0; i < n; i++) p[i] = face[i] == 1 ? 1.0 : face[i] == -1 ? 0.0 : x[i];
    free(work);
    return status;
}
