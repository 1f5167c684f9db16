/* graph.c — a rank's view of a partitioned graph: its part read from disk,
 * its rows reordered interior first, the arcs renumbered into its rows and
 * halo rows, and the halo exchange set up as a distributed-graph
 * communicator over the parts that share halo nodes. */
#include "mpi_internal.h"

void grl_mpi_error_msg(char *msg, int code, const char *call)
{
    char text[MPI_MAX_ERROR_STRING] = "";
    int len = 0;
    MPI_Error_string(code, text, &len);
    grl_set_msg(msg, "%.80s failed: %s", call, text);
}

int grl_mpi_agree(MPI_Comm comm, int status, char *msg)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int mine[2] = {status < 0 ? rank : size, status > 0 ? status : 0}, all[2];
    /* lowest failing rank; largest warning (MPI_MIN of its negation) */
    mine[1] = -mine[1];
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MIN, comm);
    int root = all[0], warning = -all[1];
    if (root == size && warning == 0) return 0;
    if (root == size) { /* the lowest rank with that warning speaks */
        int speaker = status == warning ? rank : size;
        MPI_Allreduce(&speaker, &root, 1, MPI_INT, MPI_MIN, comm);
        status = warning;
    }
    char text[GRL_MSG_LEN] = "";
    if (rank == root && msg) snprintf(text, sizeof text, "%s", msg);
    MPI_Bcast(&status, 1, MPI_INT, root, comm);
    MPI_Bcast(text, GRL_MSG_LEN, MPI_CHAR, root, comm);
    if (msg) {
        if (size > 1 && status < 0) grl_set_msg(msg, "rank %d: %s", root, text);
        else grl_set_msg(msg, "%s", text);
    }
    return status;
}

void grl_mpi_graph_free(grl_mpi_graph **D)
{
    if (D == NULL || *D == NULL) return;
    grl_mpi_graph *g = *D;
    grl_mpi_halo_types_free(g);
    if (g->nbr != MPI_COMM_NULL) MPI_Comm_free(&g->nbr);
    if (g->comm != MPI_COMM_NULL) MPI_Comm_free(&g->comm);
    free(g->global);
    free(g->key);
    free(g->by_global);
    free(g->halo_global);
    free(g->halo_owner);
    free(g->out.Ap); free(g->out.Aj); free(g->out.Ax);
    free(g->in.Ap); free(g->in.Aj); free(g->in.Ax);
    free(g->src); free(g->dst);
    free(g->recv_count); free(g->recv_displ);
    free(g->send_count); free(g->send_displ);
    free(g->send_rows);
    free(g);
    *D = NULL;
}

int64_t grl_mpi_graph_num_nodes(const grl_mpi_graph *D) { return D ? D->n : 0; }
int64_t grl_mpi_graph_local_nodes(const grl_mpi_graph *D) { return D ? D->nodes : 0; }
const int64_t *grl_mpi_graph_nodes(const grl_mpi_graph *D) { return D ? D->global : NULL; }

int grl_mpi_graph_info_get(const grl_mpi_graph *D, grl_mpi_graph_info *info,
                           char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(D != NULL && info != NULL, "grl_mpi_graph_info_get: NULL argument");
    info->interior_rows = D->interior;
    info->boundary_rows = D->nodes - D->interior;
    info->halo_rows = D->halo;
    info->sent_rows = D->nsend;
    info->neighbours = D->nsrc;
    return 0;
#undef FREE_ALL
}

const grl_csr *grl_mpi_arcs(const grl_mpi_graph *D, grl_direction dir)
{
    return dir == GRL_IN && D->directed ? &D->in : &D->out;
}

int64_t grl_mpi_row_of(const grl_mpi_graph *D, int64_t g)
{
    int64_t lo = 0, hi = D->nodes;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (D->global[D->by_global[mid]] < g) lo = mid + 1;
        else hi = mid;
    }
    return lo < D->nodes && D->global[D->by_global[lo]] == g ? D->by_global[lo] : -1;
}

/* Whether part row r of c names a column outside the part. */
static bool has_halo_arc(const grl_csr *c, int64_t r, const grl_part *P)
{
    for (GrB_Index e = c->Ap[r]; e < c->Ap[r + 1]; e++)
        if (grl_part_column(P, (int64_t)c->Aj[e]) >= P->nodes) return true;
    return false;
}

/* The kernel arrays of part matrix c: rows in our order (row_of_part
 * inverse: part_of_row), columns renumbered (halo_pos: owner-grouped
 * position of each halo node), arcs in their stored order. */
static int renumber(grl_csr *k, const grl_csr *c, const grl_part *P,
                    const int64_t *part_of_row, const int64_t *row_of_part,
                    const int64_t *halo_pos, char *msg)
{
#define FREE_ALL ;
    int64_t nodes = P->nodes;
    GrB_Index nvals = c->Ap[c->n];
    /* an unweighted graph's arcs all hold one value: keep it once (8 bytes
     * per arc less; every kernel reads Ax[iso ? 0 : e]) */
    bool iso = c->iso || (!P->weighted && nvals > 0);
    for (GrB_Index e = 1; iso && !c->iso && e < nvals; e++)
        iso = c->Ax[e] == c->Ax[0];
    GRL_ALLOC(k->Ap, GrB_Index, nodes + 1);
    GRL_ALLOC(k->Aj, GrB_Index, nvals);
    GRL_ALLOC(k->Ax, double, iso ? 1 : nvals);
    k->n = nodes;
    k->iso = iso;
    if (iso) k->Ax[0] = c->Ax[0];
    k->Ap[0] = 0;
    for (int64_t r = 0; r < nodes; r++) {
        int64_t pr = part_of_row[r];
        k->Ap[r + 1] = k->Ap[r] + (c->Ap[pr + 1] - c->Ap[pr]);
    }
#pragma omp parallel for schedule(dynamic, 256)
    for (int64_t r = 0; r < nodes; r++) {
        int64_t pr = part_of_row[r];
        GrB_Index to = k->Ap[r];
        for (GrB_Index e = c->Ap[pr]; e < c->Ap[pr + 1]; e++, to++) {
            int64_t col = grl_part_column(P, (int64_t)c->Aj[e]);
            k->Aj[to] = (GrB_Index)(col < nodes ? row_of_part[col]
                                                : nodes + halo_pos[col - nodes]);
            if (!iso) k->Ax[to] = c->Ax[e];
        }
    }
    return 0;
#undef FREE_ALL
}

/* Rows interior first, the arcs renumbered; the part's matrices are
 * returned to it and can be freed. */
static int build_rows(grl_mpi_graph *D, grl_part *P, int64_t *halo_pos,
                      char *msg)
{
    grl_csr co = {0}, ci = {0};
    int64_t *part_of_row = NULL, *row_of_part = NULL;
    bool *boundary = NULL;
#define FREE_ALL grl_csr_return(&co, NULL); grl_csr_return(&ci, NULL);         \
    free(part_of_row); free(row_of_part); free(boundary)
    int64_t nodes = P->nodes;
    GRL_TRY(grl_csr_borrow(&co, P->out, true, msg));
    if (P->in) GRL_TRY(grl_csr_borrow(&ci, P->in, true, msg));
    GRL_ALLOC(boundary, bool, nodes);
#pragma omp parallel for schedule(dynamic, 256)
    for (int64_t r = 0; r < nodes; r++)
        boundary[r] = has_halo_arc(&co, r, P) || (P->in && has_halo_arc(&ci, r, P));
    GRL_ALLOC(part_of_row, int64_t, nodes);
    GRL_ALLOC(row_of_part, int64_t, nodes);
    int64_t next = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int64_t r = 0; r < nodes; r++)
            if (boundary[r] == (pass == 1)) {
                if (pass == 0) D->interior++;
                row_of_part[r] = next;
                part_of_row[next++] = r;
            }
    GRL_ALLOC(D->global, int64_t, nodes);
    GRL_ALLOC(D->key, uint64_t, nodes);
    GRL_ALLOC(D->by_global, int64_t, nodes);
    for (int64_t r = 0; r < nodes; r++) {
        D->global[r] = P->global[part_of_row[r]];
        D->key[r] = P->key[part_of_row[r]];
        D->by_global[r] = row_of_part[r]; /* part rows ascend by index */
    }
    GRL_TRY(renumber(&D->out, &co, P, part_of_row, row_of_part, halo_pos, msg));
    if (P->in)
        GRL_TRY(renumber(&D->in, &ci, P, part_of_row, row_of_part, halo_pos, msg));
    GRL_TRY(grl_csr_return(&co, msg));
    GRL_TRY(grl_csr_return(&ci, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* halo_pos[h]: the position of halo node h grouped by owner (a stable
 * counting sort: ascending index within an owner). */
static int group_halo(int64_t *halo_pos, const grl_part *P, char *msg)
{
    int64_t *at = NULL;
#define FREE_ALL free(at)
    GRL_CALLOC(at, int64_t, P->k + 1);
    for (int64_t h = 0; h < P->halo; h++) at[P->halo_owner[h] + 1]++;
    for (int64_t q = 0; q < P->k; q++) at[q + 1] += at[q];
    for (int64_t h = 0; h < P->halo; h++) halo_pos[h] = at[P->halo_owner[h]]++;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Exchange plan: what each owner must send us (the halo grouped by owner,
 * as halo_pos), checked by the owner; then the part graph. */
static int build_exchange(grl_mpi_graph *D, const grl_part *P,
                          const int64_t *halo_pos, char *msg)
{
    int *want = NULL, *give = NULL, *want_displ = NULL, *give_displ = NULL;
    int64_t *asked = NULL, *wanted = NULL;
#define FREE_ALL free(want); free(give); free(want_displ); free(give_displ);    \
    free(asked); free(wanted)
    int K = D->size;
    GRL_CALLOC(want, int, K);
    GRL_CALLOC(give, int, K);
    GRL_CALLOC(want_displ, int, K + 1);
    GRL_CALLOC(give_displ, int, K + 1);
    int status = 0;
    if (P->halo > INT32_MAX) {
        grl_set_msg(msg, "part %d has %" PRId64 " halo nodes, more than MPI's "
                    "int counts hold", D->rank, P->halo);
        status = GRL_UNSUPPORTED;
    }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    for (int64_t h = 0; h < P->halo; h++) want[P->halo_owner[h]]++;
    for (int q = 0; q < K; q++) want_displ[q + 1] = want_displ[q] + want[q];
    GRL_ALLOC(wanted, int64_t, P->halo);
    GRL_ALLOC(D->halo_global, int64_t, P->halo);
    GRL_ALLOC(D->halo_owner, int, P->halo);
    for (int64_t h = 0; h < P->halo; h++) {
        wanted[halo_pos[h]] = D->halo_global[halo_pos[h]] = P->halo_global[h];
        D->halo_owner[halo_pos[h]] = (int)P->halo_owner[h];
    }
    MPI_TRY(MPI_Alltoall(want, 1, MPI_INT, give, 1, MPI_INT, D->comm));
    give_displ[0] = 0;
    int64_t total = 0;
    for (int q = 0; q < K; q++) total += give[q];
    if (total > INT32_MAX) {
        grl_set_msg(msg, "part %d is asked for %" PRId64 " halo rows, more "
                    "than MPI's int counts hold", D->rank, total);
        status = GRL_UNSUPPORTED;
    }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    for (int q = 0; q < K; q++) give_displ[q + 1] = give_displ[q] + give[q];
    GRL_ALLOC(asked, int64_t, total);
    MPI_TRY(MPI_Alltoallv(wanted, want, want_displ, MPI_INT64_T, asked, give,
                          give_displ, MPI_INT64_T, D->comm));
    /* the rows we send, each checked to be ours */
    GRL_ALLOC(D->send_rows, int, total);
    D->nsend = total;
    for (int64_t t = 0; t < total && status == 0; t++) {
        int64_t r = grl_mpi_row_of(D, asked[t]);
        if (r < 0) {
            grl_set_msg(msg, "a neighbouring part lists node %" PRId64 " in its "
                        "halo as part %d's, which does not hold it (parts of "
                        "different partitions?)", asked[t], D->rank);
            status = GRL_PARSE_ERROR;
        }
        D->send_rows[t] = (int)r;
    }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    /* neighbours in rank order, counts and displacements in rows */
    GRL_ALLOC(D->src, int, K);
    GRL_ALLOC(D->dst, int, K);
    GRL_ALLOC(D->recv_count, int, K);
    GRL_ALLOC(D->recv_displ, int, K);
    GRL_ALLOC(D->send_count, int, K);
    GRL_ALLOC(D->send_displ, int, K);
    for (int q = 0; q < K; q++) {
        if (want[q] > 0) {
            D->src[D->nsrc] = q;
            D->recv_count[D->nsrc] = want[q];
            D->recv_displ[D->nsrc++] = want_displ[q];
        }
        if (give[q] > 0) {
            D->dst[D->ndst] = q;
            D->send_count[D->ndst] = give[q];
            D->send_displ[D->ndst++] = give_displ[q];
        }
    }
    MPI_TRY(MPI_Dist_graph_create_adjacent(D->comm, D->nsrc, D->src,
                                           MPI_UNWEIGHTED, D->ndst, D->dst,
                                           MPI_UNWEIGHTED, MPI_INFO_NULL, 0,
                                           &D->nbr));
    MPI_TRY(MPI_Comm_set_errhandler(D->nbr, MPI_ERRORS_RETURN));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_mpi_graph_load(grl_mpi_graph **D, const char *dir, MPI_Comm comm,
                       char *msg)
{
    grl_msg_clear(msg);
    grl_partition_manifest *M = NULL;
    grl_part *P = NULL;
    int64_t *halo_pos = NULL;
#define FREE_ALL grl_partition_manifest_free(&M); grl_part_free(&P);           \
    free(halo_pos); grl_mpi_graph_free(D)
    GRL_REQUIRE(D != NULL && dir != NULL, "grl_mpi_graph_load: NULL argument");
    *D = NULL;
    grl_mpi_unmap_large_blocks();
    GRL_CALLOC(*D, grl_mpi_graph, 1);
    grl_mpi_graph *g = *D;
    g->comm = g->nbr = MPI_COMM_NULL;
    g->row_base = g->row_type = MPI_DATATYPE_NULL;
    MPI_TRY(MPI_Comm_dup(comm, &g->comm));
    MPI_TRY(MPI_Comm_set_errhandler(g->comm, MPI_ERRORS_RETURN));
    MPI_Comm_rank(g->comm, &g->rank);
    MPI_Comm_size(g->comm, &g->size);
    int status = grl_partition_manifest_load(&M, dir, msg);
    if (status == 0 && M->k != g->size) {
        grl_set_msg(msg, "%s holds %" PRId64 " parts: run it on as many ranks, "
                    "not %d (mpirun -np %" PRId64 ")", dir, M->k, g->size, M->k);
        status = GRL_INVALID_ARGUMENT;
    }
    if (status == 0) status = grl_part_load(&P, dir, M, g->rank, msg);
    GRL_TRY(grl_mpi_agree(g->comm, status, msg));
    g->n = P->n;
    g->nodes = P->nodes;
    g->halo = P->halo;
    g->directed = P->directed;
    g->weighted = P->weighted;
    halo_pos = grl_malloc(sizeof(int64_t) * (size_t)(P->halo ? P->halo : 1));
    status = halo_pos ? group_halo(halo_pos, P, msg) : GRL_OUT_OF_MEMORY;
    if (status == 0) status = build_rows(g, P, halo_pos, msg);
    if (halo_pos == NULL) grl_set_msg(msg, "out of memory");
    GRL_TRY(grl_mpi_agree(g->comm, status, msg));
    GRL_TRY(build_exchange(g, P, halo_pos, msg));
    grl_partition_manifest_free(&M);
    grl_part_free(&P);
    free(halo_pos);
    grl_mpi_release_memory();
    return 0;
#undef FREE_ALL
}
