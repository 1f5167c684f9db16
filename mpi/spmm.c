/* spmm.c — the distributed sparse x dense product: the halo rows of X
 * travel by one MPI_Ineighbor_alltoallw over the part graph (the
 * alltoallv of row blocks, with a row-picking type per destination so
 * rows leave X without a packing buffer) while the
 * interior rows (no halo neighbour) are multiplied; the boundary rows
 * follow once the exchange completes. Each row sums its arcs in their
 * stored order (ascending whole-graph column) with FastRP's own kernel, so
 * a row's bits do not depend on the partition. */
#include "mpi_internal.h"
#include "embed_internal.h"

int grl_mpi_halo_start(grl_mpi_exchange *x, grl_mpi_graph *D, void *X,
                       size_t row_bytes, MPI_Datatype row, char *msg)
{
#define FREE_ALL ;
    memset(x, 0, sizeof(*x));
    x->req = MPI_REQUEST_NULL;
    int ns = D->ndst, nr = D->nsrc;
    GRL_CALLOC(x->types, MPI_Datatype, ns ? ns : 1);
    GRL_CALLOC(x->sdispl, MPI_Aint, ns ? ns : 1);
    GRL_ALLOC(x->rdispl, MPI_Aint, nr ? nr : 1);
    GRL_ALLOC(x->rtypes, MPI_Datatype, nr ? nr : 1);
    GRL_ALLOC(x->ones, int, ns ? ns : 1);
    for (int i = 0; i < ns; i++) {
        x->ones[i] = 1;
        MPI_TRY(MPI_Type_create_indexed_block(D->send_count[i], 1,
                                              D->send_rows + D->send_displ[i],
                                              row, &x->types[i]));
        x->ntypes++;
        MPI_TRY(MPI_Type_commit(&x->types[i]));
    }
    for (int i = 0; i < nr; i++) {
        x->rtypes[i] = row;
        x->rdispl[i] = (MPI_Aint)((size_t)(D->nodes + D->recv_displ[i]) * row_bytes);
    }
    MPI_TRY(MPI_Ineighbor_alltoallw(X, x->ones, x->sdispl, x->types, X,
                                    D->recv_count, x->rdispl, x->rtypes, D->nbr,
                                    &x->req));
    return 0;
#undef FREE_ALL
}

int grl_mpi_halo_finish(grl_mpi_exchange *x, char *msg)
{
#define FREE_ALL ;
    int rc = x->req != MPI_REQUEST_NULL ? MPI_Wait(&x->req, MPI_STATUS_IGNORE)
                                        : MPI_SUCCESS;
    for (int i = 0; i < x->ntypes; i++) MPI_Type_free(&x->types[i]);
    free(x->types);
    free(x->rtypes);
    free(x->ones);
    free(x->sdispl);
    free(x->rdispl);
    memset(x, 0, sizeof(*x));
    x->req = MPI_REQUEST_NULL;
    MPI_TRY(rc);
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
    grl_mpi_exchange ex = {.req = MPI_REQUEST_NULL};
#define FREE_ALL free(ones); grl_mpi_halo_finish(&ex, NULL);                    \
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
    GRL_TRY(grl_mpi_halo_start(&ex, D, X, sizeof(float) * (size_t)d, row, msg));
    grl_csr inner = row_range(S, 0, D->interior);
    grl_spmm_rows(Y, &inner, X, d, row_scale);
    GRL_TRY(grl_mpi_halo_finish(&ex, msg));
    grl_csr outer = row_range(S, D->interior, D->nodes);
    grl_spmm_rows(Y + D->interior * d, &outer, X, d, row_scale + D->interior);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
