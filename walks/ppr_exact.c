/* ppr_exact.c — PPR by power iteration in GraphBLAS. For k sources at once
 * the iterate is an n x k dense block X (column s = q_{u_s}) and each
 * iteration is one sparse x dense product accumulated into a pre-filled
 * full block (GraphBLAS's fast form, see DESIGN.md):
 *     X_{t+1} = alpha E + ((1-alpha) P^T) X_t,   X_0 = alpha E,
 * so X_t = sum_{i<=t} alpha (1-alpha)^i (P^T)^i E grows monotonically and
 * the error left after an L1 change c is at most c (1-alpha)/alpha. At the
 * iteration limit the last iterate is returned with GRL_NOT_CONVERGED. */
#include "walks_internal.h"

#include <math.h>

/* e: the teleport entries (sources NULL: alpha/n everywhere). */
static void add_teleport(double *y, int64_t n, int64_t k, const int64_t *sources,
                         double alpha)
{
    if (sources == NULL) {
        for (int64_t i = 0; i < n; i++) y[i] += alpha / (double)n;
    } else {
        for (int64_t s = 0; s < k; s++) y[sources[s] * k + s] += alpha;
    }
}

void grl_ppr_not_converged_msg(char *msg, int max_iter, double change,
                               double tol)
{
    grl_set_msg(msg, "exact PPR stopped after %d iterations at an L1 change "
                "of %g, above the tolerance %g; raise the iteration limit or "
                "the tolerance", max_iter, change, tol);
}

int grl_ppr_power(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                  int64_t k, double alpha, double tol, int max_iter, char *msg)
{
    GrB_Matrix PT = NULL, X = NULL, Y = NULL, T = NULL;
    GrB_Descriptor one_thread = NULL;
    double *x = NULL, *y = NULL, *change = NULL;
#define FREE_ALL GrB_Matrix_free(&PT); GrB_Matrix_free(&X); GrB_Matrix_free(&Y); \
    GrB_Matrix_free(&T); GrB_Descriptor_free(&one_thread); free(x); free(y);   \
    free(change)
    *Q = NULL;
    const int64_t n = grl_graph_num_nodes(G);
    const size_t nk = (size_t)n * k, bytes = sizeof(double) * (nk ? nk : 1);
    GRL_TRY(grl_transition(&PT, G, 1 - alpha, true, msg));
    GrB_Index arcs;
    GRB_TRY(GrB_Matrix_nvals(&arcs, PT));
    /* the work of an iteration, saturated at the limit */
    const GrB_Index per_source = arcs + (GrB_Index)n, columns = k ? k : 1;
    GRL_TRY(grl_small_work_desc(&one_thread,
                                per_source > GRL_PARALLEL_WORK / columns
                                    ? GRL_PARALLEL_WORK
                                    : per_source * columns, msg));
    const bool small = one_thread != NULL;
    GRL_CALLOC(x, double, nk);
    GRL_ALLOC(change, double, k);
    add_teleport(x, n, k, sources, alpha);
    GRB_TRY(GrB_Matrix_new(&X, GrB_FP64, n, k));
    GRB_TRY(GrB_Matrix_new(&Y, GrB_FP64, n, k));
    int status = 0;
    double worst = INFINITY;
    for (int it = 0;; it++) {
        if (it == max_iter) {
            grl_ppr_not_converged_msg(msg, max_iter, worst, tol);
            status = GRL_NOT_CONVERGED;
            break;
        }
        if (y == NULL) GRL_ALLOC(y, double, nk);
#pragma omp parallel for schedule(static) if (!small)
        for (size_t t = 0; t < nk; t++) y[t] = 0;
        void *vx = x, *vy = y;
        x = y = NULL;
        GrB_Index sx = bytes, sy = bytes;
        bool iso = false;
        GRB_TRY(GxB_Matrix_pack_FullR(X, &vx, sx, false, NULL));
        GRB_TRY(GxB_Matrix_pack_FullR(Y, &vy, sy, false, NULL));
        GRB_TRY(GrB_mxm(Y, NULL, GrB_PLUS_FP64, GrB_PLUS_TIMES_SEMIRING_FP64, PT,
                        X, one_thread));
        GRB_TRY(GxB_Matrix_unpack_FullR(X, &vx, &sx, &iso, NULL));
        x = vx;
        GRB_TRY(GxB_Matrix_unpack_FullR(Y, &vy, &sy, &iso, NULL));
        y = vy;
        if (iso) { /* a constant block (e.g. n = 1): expand it */
            double v = y[0];
            double *e = grl_malloc(bytes);
            if (e == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory in exact PPR");
            for (size_t t = 0; t < nk; t++) e[t] = v;
            free(y);
            y = e;
        }
        add_teleport(y, n, k, sources, alpha);
        /* the L1 change of each column, summed in node order (deterministic) */
#pragma omp parallel for schedule(static) if (k > 1 && !small)
        for (int64_t s = 0; s < k; s++) {
            double c = 0;
            for (int64_t i = 0; i < n; i++) c += fabs(y[i * k + s] - x[i * k + s]);
            change[s] = c;
        }
        worst = 0;
        for (int64_t s = 0; s < k; s++) worst = fmax(worst, change[s]);
        double *t = x; x = y; y = t;
        if (worst < tol) break;
    }
    /* Q = X^T: one row per source */
    void *vx = x;
    x = NULL;
    GRB_TRY(GxB_Matrix_pack_FullR(X, &vx, bytes, false, NULL));
    GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, k, n));
    GRB_TRY(GrB_transpose(T, NULL, NULL, X, one_thread));
    *Q = T;
    T = NULL;
    FREE_ALL;
    return status;
#undef FREE_ALL
}
