/* ppr_push.c — forward push (Andersen, Chung, Lang 2006) over ranks, for a
 * batch of sources, in synchronous rounds: every node v with residual
 * r(v) > r_max max(outdeg(v), 1) pushes at once,
 *     p(v) += alpha r(v),  r(w) += (1-alpha) r(v) A(v, w) / wdeg(v),  r(v) = 0,
 * the pushes reaching w summed in ascending v by one distributed product
 * (the pushing rows' shares exchanged as halo rows). The invariant of
 * walks/ppr_push.c holds after every round, so the same bound: |q_u - p|_1
 * <= r_max (arcs + dangling nodes) for the killed estimate. One process's
 * push (walks/ppr_push.c) takes the nodes from a FIFO queue instead, an
 * order that cannot be split over ranks: the two estimates differ within
 * that bound. The rounds' result is the same doubles on any number of
 * ranks (each sum runs over the same arcs in the same order). */
#include "mpi_internal.h"
#include "walks_internal.h"

#include <math.h>

static int check(const grl_mpi_graph *D, const int64_t *sources, int64_t k,
                 const grl_ppr_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->r_max >= 0 && isfinite(o->r_max), "push needs a residual "
                "threshold r_max >= 0 (0: the default %g), got %g",
                GRL_PUSH_DEFAULT_RMAX, o->r_max);
    GRL_TRY(grl_mpi_ppr_check(D, sources, k, o, "grl_mpi_ppr_push", msg));
    return 0;
#undef FREE_ALL
}

/* One round's pushes on our rows: p += alpha r and share = (1-alpha) r /
 * wdeg where r is over the limit (r then 0), share 0 elsewhere. Returns
 * whether any row pushed. */
static bool push_rows(double *P, double *r, double *share, const double *limit,
                      const double *wdeg, int64_t rows, int64_t k, double alpha)
{
    bool any = false;
    for (int64_t v = 0; v < rows; v++)
        for (int64_t s = 0; s < k; s++) {
            double rv = r[v * k + s];
            share[v * k + s] = 0;
            if (!(rv > limit[v])) continue;
            any = true;
            r[v * k + s] = 0;
            P[v * k + s] += alpha * rv;
            if (wdeg[v] > 0) share[v * k + s] = (1 - alpha) * rv / wdeg[v];
        }
    return any;
}

int grl_mpi_ppr_push(grl_mpi_graph *D, const int64_t *sources, int64_t k,
                     const grl_ppr_options *opt, double *P, char *msg)
{
    grl_msg_clear(msg);
    double *r = NULL, *share = NULL, *y = NULL, *limit = NULL, *wdeg = NULL;
#define FREE_ALL free(r); free(share); free(y); free(limit); free(wdeg)
    GRL_REQUIRE(D != NULL && (P != NULL || k == 0 || D->nodes == 0),
                "grl_mpi_ppr_push: NULL argument");
    grl_ppr_options defaults;
    if (opt == NULL) {
        grl_ppr_options_init(&defaults);
        opt = &defaults;
    }
    GRL_TRY(grl_mpi_agree(D->comm, check(D, sources, k, opt, msg), msg));
    const double r_max = opt->r_max > 0 ? opt->r_max : GRL_PUSH_DEFAULT_RMAX;
    const int64_t rows = D->nodes, all = rows + D->halo, kk = k ? k : 1;
    r = grl_calloc(grl_size_mul((size_t)(rows ? rows : 1), (size_t)kk), sizeof(double));
    y = grl_malloc(sizeof(double) * grl_size_mul((size_t)(rows ? rows : 1), (size_t)kk));
    share = grl_calloc(grl_size_mul((size_t)(all ? all : 1), (size_t)kk), sizeof(double));
    limit = grl_malloc(sizeof(double) * (size_t)(rows ? rows : 1));
    wdeg = grl_malloc(sizeof(double) * (size_t)(rows ? rows : 1));
    int status = r && y && share && limit && wdeg ? 0 : GRL_OUT_OF_MEMORY;
    if (status) grl_set_msg(msg, "out of memory for forward push's %" PRId64
                            " x %" PRId64 " blocks", all, k);
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    /* the step's weights as walks/csr.c borrows them: weight sums unless
     * the graph is unweighted or iso */
    const bool weighted = D->weighted && !D->out.iso;
    for (int64_t v = 0; v < rows; v++) {
        GrB_Index lo = D->out.Ap[v], hi = D->out.Ap[v + 1];
        double deg = (double)(hi - lo), w = 0;
        for (GrB_Index e = lo; weighted && e < hi; e++) w += D->out.Ax[e];
        wdeg[v] = weighted ? w : deg;
        limit[v] = r_max * (deg > 0 ? deg : 1);
    }
    if (rows * k > 0) memset(P, 0, sizeof(double) * (size_t)(rows * k));
    for (int64_t s = 0; s < k; s++) {
        int64_t v = grl_mpi_row_of(D, sources[s]);
        if (v >= 0) r[v * k + s] = 1.0;
    }
    for (;;) {
        int any = push_rows(P, r, share, limit, wdeg, rows, k, opt->alpha);
        MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &any, 1, MPI_INT, MPI_MAX, D->comm));
        if (!any) break;
        GRL_TRY(grl_mpi_pull_product(y, D, share, k, weighted, NULL, msg));
        for (int64_t v = 0; v < rows * k; v++) r[v] += y[v];
    }
    status = grl_mpi_ppr_finish(P, D, k, opt, msg);
    FREE_ALL;
    return grl_mpi_agree(D->comm, status, msg);
#undef FREE_ALL
}
