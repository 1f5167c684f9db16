/* spmm.c — the distributed sparse x dense product: the halo rows of X
 * travel by one MPI_Ineighbor_alltoallv over the part graph while the
 * interior rows (no halo neighbour) are multiplied; the boundary rows
 * follow once the exchange completes. Each row sums its arcs in their
 * stored order (ascending whole-graph column) with FastRP's own kernel, so
 * a row's bits do not depend on the partition. */
#include "mpi_internal.h"
#include "embed_internal.h"

int grl_mpi_halo_start(grl_mpi_graph *D, void *X, size_t row_bytes,
                       MPI_Datatype row, MPI_Request *req, char *msg)
{
#define FREE_ALL ;
    size_t need = grl_size_mul((size_t)(D->nsend ? D->nsend : 1), row_bytes);
    if (need > D->sendbuf_bytes) {
        free(D->sendbuf);
        D->sendbuf_bytes = 0;
        D->sendbuf = grl_malloc(need);
        if (D->sendbuf == NULL)
            GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory for %" PRId64 " halo rows",
                     D->nsend);
        D->sendbuf_bytes = need;
    }
    char *to = D->sendbuf;
    const char *from = X;
#pragma omp parallel for schedule(static)
    for (int64_t t = 0; t < D->nsend; t++)
        memcpy(to + (size_t)t * row_bytes, from + (size_t)D->send_rows[t] * row_bytes,
               row_bytes);
    char *halo = (char *)X + (size_t)D->nodes * row_bytes;
    MPI_TRY(MPI_Ineighbor_alltoallv(D->sendbuf, D->send_count, D->send_displ, row,
                                    halo, D->recv_count, D->recv_displ, row,
                                    D->nbr, req));
    return 0;
#undef FREE_ALL
}

/* Rows [r0, r1) of S as a csr of their own (the arrays are shared). */
static grl_csr row_range(const grl_csr *S, int64_t r0, int64_t r1)
{
    grl_csr view = *S;
    view.M = NULL;
    view.Ap = S->Ap + r0;
    view.n = r1 - r0;
    return view;
}

int grl_mpi_spmm(grl_mpi_graph *D, grl_direction dir, float *X, float *Y,
                 int64_t d, const double *row_scale, char *msg)
{
    grl_msg_clear(msg);
    double *ones = NULL;
    MPI_Datatype row = MPI_DATATYPE_NULL;
    MPI_Request req = MPI_REQUEST_NULL;
#define FREE_ALL free(ones);                                                    \
    grl_mpi_wait(&req);            \
    grl_mpi_type_free(&row)
    GRL_REQUIRE(D != NULL && X != NULL && Y != NULL && X != Y,
                "grl_mpi_spmm: NULL or aliased argument");
    GRL_REQUIRE(d >= 1 && d <= INT32_MAX, "grl_mpi_spmm: %" PRId64 " columns",
                d);
    GRL_REQUIRE(dir == GRL_OUT || dir == GRL_IN, "unknown direction %d", (int)dir);
    if (row_scale == NULL) {
        GRL_ALLOC(ones, double, D->nodes);
        for (int64_t r = 0; r < D->nodes; r++) ones[r] = 1.0;
        row_scale = ones;
    }
    const grl_csr *S = grl_mpi_arcs(D, dir);
    MPI_TRY(MPI_Type_contiguous((int)d, MPI_FLOAT, &row));
    MPI_TRY(MPI_Type_commit(&row));
    GRL_TRY(grl_mpi_halo_start(D, X, sizeof(float) * (size_t)d, row, &req, msg));
    grl_csr inner = row_range(S, 0, D->interior);
    grl_spmm_rows(Y, &inner, X, d, row_scale);
    MPI_TRY(MPI_Wait(&req, MPI_STATUS_IGNORE));
    grl_csr outer = row_range(S, D->interior, D->nodes);
    grl_spmm_rows(Y + D->interior * d, &outer, X, d, row_scale + D->interior);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
