/* mpi_internal.h — the rank's view of a partitioned graph and the helpers
 * shared inside mpi/. */
#ifndef GRL_MPI_INTERNAL_H
#define GRL_MPI_INTERNAL_H

#include "grl_internal.h"
#include "grl/mpi.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

struct grl_mpi_graph {
    MPI_Comm comm;         /* a duplicate of the caller's, errors returned */
    MPI_Comm nbr;          /* the part graph: sources = owners of our halo,
                              destinations = ranks whose halo we hold     */
    int rank, size;
    int64_t n, nodes, halo;
    int64_t interior;      /* rows 0..interior-1 have no halo neighbour  */
    bool directed, weighted;
    int64_t *global;       /* nodes: whole-graph index of each row       */
    uint64_t *key;         /* nodes: id key of each row                  */
    int64_t *by_global;    /* nodes: our rows sorted by whole-graph index */
    int64_t *halo_global;  /* halo: whole-graph index of halo row nodes + h */
    int *halo_owner;       /* halo: the rank holding it                  */
    /* the rows' out-arcs and (directed) in-arcs in their storage order
     * (ascending whole-graph column), columns renumbered: a row of ours is
     * its row, halo node h of owner-grouped position q is nodes + q; M is
     * NULL, the arrays are ours. in.Ap NULL on undirected graphs */
    grl_csr out, in;
    /* the exchange, in rows: from source i recv_count[i] rows into halo
     * position recv_displ[i]; to destination i send_count[i] rows, our rows
     * send_rows[send_displ[i] ...] (ints: MPI's displacements) */
    int nsrc, ndst;
    int *src, *dst, *recv_count, *recv_displ, *send_count, *send_displ;
    int *send_rows;
    int64_t nsend;
    /* the exchange's MPI types for the row shape last used (count x base):
     * a row, and per destination a row-picking type. Made once and kept,
     * not per product: a type's description is about 64 bytes per row it
     * picks, and making it per product churned the heap (measured: +10
     * MiB per rank at 525k nodes / 4 ranks) */
    MPI_Datatype row_base, row_type, *send_types;
    int row_count;
};

/* Check an MPI return code: GRL_IO_ERROR naming the call. */
#define MPI_TRY(call)                                                          \
    do {                                                                       \
        int grl_mpi_rc_ = (call);                                              \
        if (grl_mpi_rc_ != MPI_SUCCESS) {                                      \
            grl_mpi_error_msg(msg, grl_mpi_rc_, #call);                        \
            FREE_ALL;                                                          \
            return GRL_IO_ERROR;                                               \
        }                                                                      \
    } while (0)

void grl_mpi_error_msg(char *msg, int code, const char *call);

/* Make blocks of 4 MiB or more their own mappings, unmapped when freed
 * (glibc: a fixed mmap threshold; by default it grows to 32 MiB with each
 * large block freed, so a rank's temporaries of 4-32 MiB, loading's and
 * FastRP's slab buffers, stayed in the heap, and with transparent huge
 * pages on, their freed pages came back as the kernel collapsed the heap's
 * huge pages: 4 ranks on bench_mpi's graph, the largest rank's peak 228 or
 * 278 MiB from run to run; 242 every time with the threshold fixed). */
static inline void grl_mpi_unmap_large_blocks(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}

/* Hand the heap's free pages back to the system (glibc: malloc_trim), after
 * loading's and FastRP's many smaller temporaries (with the threshold
 * above: 242 -> 228 MiB in the same runs). */
static inline void grl_mpi_release_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Free a datatype unless it is MPI_DATATYPE_NULL (for FREE_ALL). */
static inline void grl_mpi_type_free(MPI_Datatype *t)
{
    if (*t != MPI_DATATYPE_NULL) MPI_Type_free(t);
}



/* Make every rank return the same status: the lowest rank with an error
 * sends its status and message (prefixed "rank r: ") to all; otherwise the
 * largest warning, its message from the lowest rank that has it. */
int grl_mpi_agree(MPI_Comm comm, int status, char *msg);

/* The csr a product pulls over: dir GRL_IN on a directed graph reads
 * in-arcs, anything else out-arcs. */
const grl_csr *grl_mpi_arcs(const grl_mpi_graph *D, grl_direction dir);

/* One halo exchange in flight: the request and the argument arrays, which
 * a nonblocking collective reads until it completes (freed then). */
typedef struct {
    MPI_Request req;
    MPI_Datatype *rtypes;
    int *ones;
    MPI_Aint *sdispl, *rdispl;
} grl_mpi_exchange;

/* Start sending our rows of X (rows of `count` values of MPI type `base`)
 * that other ranks hold as halo straight from X (a row-picking type per
 * destination, cached in D: no packing buffer) into their halo rows of X. */
int grl_mpi_halo_start(grl_mpi_exchange *x, grl_mpi_graph *D, void *X,
                       MPI_Datatype base, int count, char *msg);
/* Wait for x and free its arrays (safe on a zeroed or finished x). */
int grl_mpi_halo_finish(grl_mpi_exchange *x, char *msg);
/* Free D's cached exchange types (for grl_mpi_graph_free). */
void grl_mpi_halo_types_free(grl_mpi_graph *D);

/* Columns [c0, c0 + w) (w <= GRL_SPMM_SLAB_MAX) of the product
 * (diag(row_scale) S) X into T (rows x w), S our out- or in-arcs (dir), X
 * our rows only (ld floats apart): the slab's halo rows travel packed
 * (send: nsend x w floats) into H (halo x w) by one
 * MPI_Ineighbor_alltoallv while the interior rows are summed. The
 * sums of grl_spmm_rows, so the bits of one process's product. Collective.
 * For FastRP: the halo buffers hold a slab, not the n_halo x d of
 * grl_mpi_spmm's operand. */
int grl_mpi_spmm_slab(grl_mpi_graph *D, grl_direction dir, const float *X,
                      int64_t ld, int64_t c0, int64_t w,
                      const double *row_scale, float *T, float *send, float *H,
                      char *msg);

/* The row position of whole-graph node g among ours, or -1. */
int64_t grl_mpi_row_of(const grl_mpi_graph *D, int64_t g);

/* A growing array of fixed-size records (walks in flight, visits). */
typedef struct {
    char *data;      /* records of rec_bytes each */
    int64_t count, cap;
} grl_mpi_records;

/* Append one record of rec_bytes (GRL_OUT_OF_MEMORY if it cannot grow). */
int grl_mpi_records_push(grl_mpi_records *l, const void *rec, size_t rec_bytes,
                         char *msg);

/* Send record i of the m records of rec_bytes at recs to rank dest[i]
 * (one MPI_Alltoallv over comm, collective): *in gets those sent here, in
 * rank order and each rank's in its order (*received of them; free it). */
int grl_mpi_route(MPI_Comm comm, const char *recs, int64_t m, size_t rec_bytes,
                  const int *dest, char **in, int64_t *received, char *msg);

/* The options every PPR method over ranks reads: k sources in range,
 * alpha, tol and max_iter (the uniform policy's global PageRank), the
 * dangling policy; `what` names the caller in the message. */
int grl_mpi_ppr_check(const grl_mpi_graph *D, const int64_t *sources, int64_t k,
                      const grl_ppr_options *o, const char *what, char *msg);

/* scale[r] = (1-alpha)/outdeg of our row r (weighted: the weight sum), 0
 * for a node without out-arcs: the row scale of the killed transition
 * matrix, as walks/ppr_model.c's grl_transition makes it. */
void grl_mpi_transition_scale(const grl_mpi_graph *D, double alpha,
                              double *scale);

/* y (rows x k) = S^T z over our in-arcs (S = A, arcs in ascending
 * whole-graph order), arc j -> r weighted by its weight when `weighted`
 * (else 1), times row_scale[j] when row_scale ((rows + halo) values) is
 * given: z's halo rows ((rows + halo) x k) arrive from their owners while
 * the interior rows are summed. Collective. */
int grl_mpi_pull_product(double *y, grl_mpi_graph *D, double *z, int64_t k,
                         bool weighted, const double *row_scale, char *msg);

/* The dangling step of walks/ppr_model.c (opt->dangling) on our rows of
 * the killed estimates P (rows x k), in place; collective. */
int grl_mpi_ppr_finish(double *P, grl_mpi_graph *D, int64_t k,
                       const grl_ppr_options *opt, char *msg);

/* A partitioned fingerprint index (mpi/ppr_index.c): the rows of our nodes. */
struct grl_mpi_ppr_index {
    GrB_Matrix Q;       /* our rows x n: row r = q^ of node D->global[r]  */
    int64_t n, rows, arcs, walks; /* arcs: our part's out-arcs          */
    double alpha;
    uint64_t seed;
    int32_t *owner;     /* n: the rank holding each node (for queries)    */
};

#endif
