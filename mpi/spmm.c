/* spmm.c — the distributed sparse x dense product: the halo rows of X
 * travel by one MPI_Ineighbor_alltoallw over the part graph (the
 * alltoallv of row blocks, with a row-picking type per destination so
 * rows leave X without a packing buffer) while the
 * interior rows (no halo neighbour) are multiplied; the boundary rows
 * follow once the exchange completes. Each row sums its arcs in their
 * stored order (ascending whole-graph column) with FastRP's own kernel, so
 * a row's bits do not depend on the partition. FastRP's products
 * (grl_mpi_spmm_slab) run a slab of columns at a time, its halo rows
 * packed into a buffer of the slab's width. */
#include "mpi_internal.h"
#include "embed_internal.h"

void grl_mpi_halo_types_free(grl_mpi_graph *D)
{
    for (int i = 0; D->send_types && i < D->ndst; i++)
        grl_mpi_type_free(&D->send_types[i]);
    free(D->send_types);
    D->send_types = NULL;
    grl_mpi_type_free(&D->row_type);
    D->row_base = MPI_DATATYPE_NULL;
    D->row_count = 0;
}

/* D's exchange types for rows of count x base, made unless cached. */
static int halo_types(grl_mpi_graph *D, MPI_Datatype base, int count, char *msg)
{
#define FREE_ALL grl_mpi_halo_types_free(D)
    if (D->send_types && D->row_base == base && D->row_count == count) return 0;
    grl_mpi_halo_types_free(D);
    int ns = D->ndst;
    GRL_ALLOC(D->send_types, MPI_Datatype, ns ? ns : 1);
    for (int i = 0; i < ns; i++) D->send_types[i] = MPI_DATATYPE_NULL;
    MPI_TRY(MPI_Type_contiguous(count, base, &D->row_type));
    MPI_TRY(MPI_Type_commit(&D->row_type));
    for (int i = 0; i < ns; i++) {
        MPI_TRY(MPI_Type_create_indexed_block(D->send_count[i], 1,
                                              D->send_rows + D->send_displ[i],
                                              D->row_type, &D->send_types[i]));
        MPI_TRY(MPI_Type_commit(&D->send_types[i]));
    }
    D->row_base = base;
    D->row_count = count;
    return 0;
#undef FREE_ALL
}

int grl_mpi_halo_start(grl_mpi_exchange *x, grl_mpi_graph *D, void *X,
                       MPI_Datatype base, int count, char *msg)
{
#define FREE_ALL ;
    memset(x, 0, sizeof(*x));
    x->req = MPI_REQUEST_NULL;
    int ns = D->ndst, nr = D->nsrc, size;
    GRL_TRY(halo_types(D, base, count, msg));
    MPI_TRY(MPI_Type_size(D->row_type, &size));
    GRL_CALLOC(x->sdispl, MPI_Aint, ns ? ns : 1);
    GRL_ALLOC(x->rdispl, MPI_Aint, nr ? nr : 1);
    GRL_ALLOC(x->rtypes, MPI_Datatype, nr ? nr : 1);
    GRL_ALLOC(x->ones, int, ns ? ns : 1);
    for (int i = 0; i < ns; i++) x->ones[i] = 1;
    for (int i = 0; i < nr; i++) {
        x->rtypes[i] = D->row_type;
        x->rdispl[i] = (MPI_Aint)((size_t)(D->nodes + D->recv_displ[i]) * (size_t)size);
    }
    MPI_TRY(MPI_Ineighbor_alltoallw(X, x->ones, x->sdispl, D->send_types, X,
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
    grl_mpi_exchange ex = {.req = MPI_REQUEST_NULL};
#define FREE_ALL free(ones); grl_mpi_halo_finish(&ex, NULL)
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
    grl_csr interior = row_range(S, 0, D->interior),
            boundary = row_range(S, D->interior, D->nodes);
    GRL_TRY(grl_mpi_halo_start(&ex, D, X, MPI_FLOAT, (int)d, msg));
    grl_spmm_rows(Y, &interior, X, d, row_scale);
    GRL_TRY(grl_mpi_halo_finish(&ex, msg));
    grl_spmm_rows(Y + D->interior * d, &boundary, X, d, row_scale + D->interior);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_mpi_spmm_slab(grl_mpi_graph *D, grl_direction dir, const float *X,
                      int64_t ld, int64_t c0, int64_t w,
                      const double *row_scale, float *T, float *send, float *H,
                      char *msg)
{
    MPI_Datatype row = MPI_DATATYPE_NULL;
    MPI_Request req = MPI_REQUEST_NULL;
#define FREE_ALL if (req != MPI_REQUEST_NULL) MPI_Wait(&req, MPI_STATUS_IGNORE); \
    grl_mpi_type_free(&row)
    GRL_REQUIRE(w >= 1 && w <= GRL_SPMM_SLAB_MAX && c0 >= 0 && c0 + w <= ld,
                "grl_mpi_spmm_slab: columns %" PRId64 "..%" PRId64 " of %" PRId64,
                c0, c0 + w, ld);
    const grl_csr *S = grl_mpi_arcs(D, dir);
    size_t bytes = sizeof(float) * (size_t)w;
#pragma omp parallel for schedule(static)
    for (int64_t t = 0; t < D->nsend; t++)
        memcpy(send + t * w, X + (int64_t)D->send_rows[t] * ld + c0, bytes);
    MPI_TRY(MPI_Type_contiguous((int)w, MPI_FLOAT, &row));
    MPI_TRY(MPI_Type_commit(&row));
    MPI_TRY(MPI_Ineighbor_alltoallv(send, D->send_count, D->send_displ, row, H,
                                    D->recv_count, D->recv_displ, row, D->nbr,
                                    &req));
    grl_spmm_slab(T, S, 0, D->interior, X + c0, ld, H, (GrB_Index)D->nodes, w,
                  row_scale);
    int rc = MPI_Wait(&req, MPI_STATUS_IGNORE);
    req = MPI_REQUEST_NULL;
    MPI_TRY(rc);
    grl_spmm_slab(T, S, D->interior, D->nodes, X + c0, ld, H,
                  (GrB_Index)D->nodes, w, row_scale);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
