/* fixed_point.c — the convergent GNNs' linear fixed point h = gamma A h + b
 * (gnn/fixed_point.h) over ranks: every step exchanges the halo rows of
 * the iterate and runs the single-process kernel (grl_fp_propagate) on
 * our rows, whose incoming arcs are numbered into our rows and halo rows
 * in the same order (ascending source); the residual and the iterate's
 * largest entry are maxima, exact across ranks. So the steps, the stopping
 * step and every float equal one process's grl_fp_solve_linear. */
#include "mpi_internal.h"
#include "fixed_point.h"

#include <math.h>

typedef struct {
    grl_mpi_graph *D;
    grl_fp_arcs A;        /* our rows' incoming arcs, local columns  */
    const float *w, *b;
    int64_t wc, d;
    float gamma;
    int failed;           /* an MPI call failed: its code */
} dist_map;

/* next = gamma A x + b on our rows, x's halo rows first filled from their
 * owners (the iterate buffers have room for them); returns the global
 * max |next - x| and sets *xmax to the global max |next| (NaN on every
 * rank if any rank has a non-finite entry or an MPI call failed). */
static double dist_step(float *next, const float *x, double *xmax, void *ctx)
{
    dist_map *m = ctx;
    grl_mpi_exchange ex = {.req = MPI_REQUEST_NULL};
    char msg[GRL_MSG_LEN];
    float *halo = (float *)x; /* the call's own buffer: room past our rows */
    int rc = grl_mpi_halo_start(&ex, m->D, halo, MPI_FLOAT, (int)m->d, msg);
    if (rc == 0) rc = grl_mpi_halo_finish(&ex, msg);
    else grl_mpi_halo_finish(&ex, NULL);
    double top = 0, res = 0;
    if (rc == 0)
        res = grl_fp_propagate(next, &m->A, m->w, m->wc, m->gamma, x, m->b, m->d,
                               false, false, x, &top);
    /* max of (residual, top, trouble): NaN does not survive MPI_MAX */
    double v[3] = {isnan(res) ? 0 : res, isnan(top) ? 0 : top,
                   rc != 0 || isnan(res) || isnan(top) ? 1 : 0};
    if (MPI_Allreduce(MPI_IN_PLACE, v, 3, MPI_DOUBLE, MPI_MAX, m->D->comm) !=
        MPI_SUCCESS || rc != 0)
        m->failed = 1;
    *xmax = v[2] > 0 ? NAN : v[1];
    return v[2] > 0 ? NAN : v[0];
}

int grl_mpi_graph_in_arcs(const grl_mpi_graph *D, int64_t **ptr, int64_t **src,
                          char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL free(*ptr); free(*src); *ptr = NULL; *src = NULL
    GRL_REQUIRE(D != NULL && ptr != NULL && src != NULL,
                "grl_mpi_graph_in_arcs: NULL argument");
    const grl_csr *S = grl_mpi_arcs(D, GRL_IN);
    GrB_Index arcs = S->Ap[D->nodes];
    *ptr = NULL;
    *src = NULL;
    GRL_ALLOC(*ptr, int64_t, D->nodes + 1);
    GRL_ALLOC(*src, int64_t, arcs ? arcs : 1);
    for (int64_t r = 0; r <= D->nodes; r++) (*ptr)[r] = (int64_t)S->Ap[r];
    for (GrB_Index e = 0; e < arcs; e++) {
        int64_t c = (int64_t)S->Aj[e];
        (*src)[e] = c < D->nodes ? D->global[c] : D->halo_global[c - D->nodes];
    }
    return 0;
#undef FREE_ALL
}

int grl_mpi_fixed_point_linear(grl_mpi_graph *D, const float *w, int64_t wc,
                               float gamma, const float *b, int64_t d,
                               double bound, const grl_fixed_point_options *opt,
                               float *h, grl_fixed_point_report *rep, char *msg)
{
    grl_msg_clear(msg);
    float *x = NULL, *spare = NULL;
    dist_map m = {0};
#define FREE_ALL free(x); free(spare)
    GRL_REQUIRE(D != NULL && opt != NULL && h != NULL &&
                (w != NULL || D->nodes == 0), "grl_mpi_fixed_point_linear: NULL "
                "argument");
    GRL_REQUIRE(d >= 1 && d <= INT32_MAX && (wc == 1 || wc == d), "d = %" PRId64
                " columns and wc = %" PRId64 " weights per arc (1 or d)", d, wc);
    const grl_csr *S = grl_mpi_arcs(D, GRL_IN);
    /* our incoming arcs as gnn/fixed_point.h's lists: a view, no copy */
    m.A.n = D->nodes;
    m.A.arcs = (int64_t)S->Ap[D->nodes];
    m.A.ptr = (const int64_t *)S->Ap;
    m.A.src = (const int64_t *)S->Aj;
    m.D = D;
    m.w = w;
    m.b = b;
    m.wc = wc;
    m.d = d;
    m.gamma = gamma;
    size_t all = grl_size_mul(grl_size_add((size_t)D->nodes, (size_t)D->halo), (size_t)d);
    x = grl_calloc(all ? all : 1, sizeof(float));
    spare = grl_calloc(all ? all : 1, sizeof(float));
    int status = x && spare ? 0 : GRL_OUT_OF_MEMORY;
    if (status) grl_set_msg(msg, "out of memory for the iterate");
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    memcpy(x, h, sizeof(float) * (size_t)(D->nodes * d)); /* the start */
    status = grl_fp_iterate(&x, &spare, D->nodes * d, dist_step, &m, bound,
                            "the distributed fixed point", opt, rep, msg);
    if (m.failed) {
        grl_set_msg(msg, "a halo exchange of the fixed point failed");
        status = GRL_IO_ERROR;
    }
    if (status >= 0) memcpy(h, x, sizeof(float) * (size_t)(D->nodes * d));
    FREE_ALL;
    return grl_mpi_agree(D->comm, status, msg);
#undef FREE_ALL
}
