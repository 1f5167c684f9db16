/*
 * grl/mpi.h — grl over MPI ranks: one rank per part of a partition
 * directory (grl_partition_save, `grl partition --output-dir`), in the
 * separate library grl_mpi (libgrl itself never links MPI).
 *
 * Each rank reads only its own part. The ranks that share halo nodes form
 * the part graph, an MPI distributed-graph communicator
 * (MPI_Dist_graph_create_adjacent); a product exchanges the halo rows of
 * the dense operand with one MPI_Ineighbor_alltoallv over it and multiplies
 * the interior rows (those without a halo neighbour) while the exchange is
 * in flight, then the boundary rows.
 *
 * Results equal one process's: a row of a product sums its arcs in the same
 * order (ascending node index) with the same arithmetic, random vectors
 * are keyed by node id as in one process, and reductions across nodes
 * (FastRP's column standardisation) combine the same fixed blocks in the
 * same order. So FastRP gives the same bytes for any number of ranks; exact
 * PPR agrees to the last few ulps (GraphBLAS sums one process's product in
 * its own order).
 *
 * Every function taking a grl_mpi_graph is collective over its
 * communicator: all ranks call it with the same arguments (the sources,
 * the options), and all return the same status; msg holds the failing
 * rank's message, prefixed by its rank.
 *
 * Memory per rank: its part's arcs twice while loading (file and kernel
 * arrays; once after), the halo lists, and the dense blocks of its rows
 * plus halo rows.
 */
#ifndef GRL_MPI_H
#define GRL_MPI_H

#include <mpi.h>

#include "embed.h"
#include "gnn.h"
#include "walks.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct grl_mpi_graph grl_mpi_graph;

/* Load part `rank` of partition directory `dir` on each rank of comm, check
 * it against the manifest, and set up the halo exchange (every rank tells
 * each owner which of its nodes it needs; an owner refuses a node it does
 * not hold).
 *   D     out: the rank's view (release with grl_mpi_graph_free); NULL on
 *         error; not NULL itself
 *   dir   the partition directory, the same on every rank; not NULL
 *   comm  the communicator; its size must be the number of parts. It is
 *         duplicated: the caller may free it after the call
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: those of grl_partition_manifest_load and grl_part_load,
 * GRL_INVALID_ARGUMENT (NULL D or dir, a communicator size other than the
 * number of parts), GRL_PARSE_ERROR (parts that disagree about their
 * halos), GRL_UNSUPPORTED (more than 2^31-1 halo rows between two ranks),
 * GRL_OUT_OF_MEMORY, a GrB_Info, GRL_IO_ERROR (an MPI call failed). */
int grl_mpi_graph_load(grl_mpi_graph **D, const char *dir, MPI_Comm comm,
                       char *msg);

/* Free *D and its communicators; collective. Sets *D to NULL.
 *   D  the caller's pointer; D or *D NULL: nothing happens */
void grl_mpi_graph_free(grl_mpi_graph **D);

/* Nodes of the whole graph (0 for NULL).
 *   D  the rank's view, read only, or NULL */
int64_t grl_mpi_graph_num_nodes(const grl_mpi_graph *D);
/* This rank's nodes (0 for NULL).
 *   D  the rank's view, read only, or NULL */
int64_t grl_mpi_graph_local_nodes(const grl_mpi_graph *D);
/* The whole-graph index of each of this rank's rows, in the rank's row
 * order (rows without a halo neighbour first): lent, valid while D lives;
 * NULL for NULL.
 *   D  the rank's view, read only, or NULL */
const int64_t *grl_mpi_graph_nodes(const grl_mpi_graph *D);

/* What one product moves and where the rank's work is. */
typedef struct {
    int64_t interior_rows;  /* rows computed while the exchange runs     */
    int64_t boundary_rows;  /* rows that wait for halo rows              */
    int64_t halo_rows;      /* rows received per product                 */
    int64_t sent_rows;      /* rows sent per product                     */
    int64_t neighbours;     /* ranks it receives from                    */
} grl_mpi_graph_info;

/* Fill *info for this rank (not collective).
 *   D     the rank's view, read only; not NULL
 *   info  out: caller allocated; not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument). */
int grl_mpi_graph_info_get(const grl_mpi_graph *D, grl_mpi_graph_info *info,
                           char *msg);

/* One distributed product Y = diag(row_scale) S X, S = A (GRL_OUT: a row
 * sums its out-arcs) or A^T (GRL_IN), float32 dense blocks of d columns.
 * The halo rows of X are exchanged first, overlapped with the interior
 * rows' work.
 *   D          the rank's view; not NULL
 *   dir        GRL_OUT or GRL_IN (the same on undirected graphs)
 *   X          (local + halo rows) x d, row-major: the rank's rows in the
 *              order of grl_mpi_graph_nodes, then room for the halo rows,
 *              which the call fills; not NULL
 *   Y          out: local rows x d, caller allocated; not NULL, not X
 *   d          columns, >= 1
 *   row_scale  local rows entries, or NULL for 1
 *   msg        GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, d < 1, an unknown dir),
 * GRL_OUT_OF_MEMORY, GRL_IO_ERROR (an MPI call failed). */
int grl_mpi_spmm(grl_mpi_graph *D, grl_direction dir, float *X, float *Y,
                 int64_t d, const double *row_scale, char *msg);

/* FastRP (include/grl/embed.h) of the partitioned graph: the same bytes as
 * grl_fastrp_embed on the whole graph with the same options, on any number
 * of ranks. Each rank gets a contiguous block of rows of the embedding, in
 * node index order, starting at a multiple of 4096 (the standardisation's
 * blocks); ranks past the end get 0 rows. Memory per rank: rows x dim
 * floats for the operand, which the products overwrite 8 columns at a
 * time, and (rows + halo rows + rows sent) x 8 floats for them; plus rows
 * x dim for the result when the self influence or a weight before the
 * second-to-last is non-zero (not with the defaults: the operand becomes
 * the result, and the last power is formed twice, once for its row norms).
 *   emb    out: this rank's rows x dim (release with grl_dense_free); NULL
 *          on error; not NULL itself
 *   D      the rank's view; not NULL
 *   opt    as for grl_fastrp_embed (features: not supported; direction
 *          "both" only on undirected graphs); NULL for the defaults
 *   first  out: the node index of the rank's first row; not NULL
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: those of grl_fastrp_embed, GRL_UNSUPPORTED (features, or
 * GRL_PROPAGATE_BOTH on a directed graph), GRL_IO_ERROR (an MPI call
 * failed). */
int grl_mpi_fastrp_embed(grl_dense **emb, grl_mpi_graph *D,
                         const grl_fastrp_options *opt, int64_t *first,
                         char *msg);

/* Write the row blocks the ranks hold (as grl_mpi_fastrp_embed returns
 * them) as one .npy file, the same bytes as grl_dense_save_npy of the whole
 * matrix (MPI-IO: rank 0 writes the header, each rank its rows).
 *   E      this rank's rows, read only; not NULL (0 rows allowed)
 *   first  the node index of its first row
 *   D      the rank's view (for its communicator and n); not NULL
 *   path   the file, the same on every rank; overwritten; not NULL
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, blocks that do not tile
 * 0..n-1 in rank order, different column counts), GRL_IO_ERROR (the file
 * cannot be opened or written). */
int grl_mpi_dense_save_npy(const grl_dense *E, int64_t first,
                           grl_mpi_graph *D, const char *path, char *msg);

/* Exact personalized PageRank (include/grl/walks.h, method exact, either
 * dangling policy) of k sources by power iteration, each iteration one
 * distributed product; within 1e-12 of grl_ppr_compute on one process.
 *   P        out: local rows x k, row r = this rank's node
 *            grl_mpi_graph_nodes(D)[r], column s = source s's PPR value
 *            there; caller allocated; not NULL
 *   D        the rank's view; not NULL
 *   sources  k node indices of the whole graph, the same on every rank;
 *            not NULL when k > 0
 *   k        sources, >= 0
 *   opt      alpha, dangling, tol, max_iter (method must be exact); NULL
 *            for the defaults
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Returns 0 or GRL_NOT_CONVERGED (as grl_ppr_compute). Errors:
 * GRL_INVALID_ARGUMENT (NULL argument, a source out of range, alpha,
 * tol or max_iter out of range), GRL_UNSUPPORTED (a method other than
 * exact), GRL_OUT_OF_MEMORY, GRL_IO_ERROR (an MPI call failed). */
int grl_mpi_ppr_exact(grl_mpi_graph *D, const int64_t *sources, int64_t k,
                      const grl_ppr_options *opt, double *P, char *msg);

/* Forward push PPR (method push of grl_ppr_compute) of k sources in
 * synchronous rounds: every node over its threshold r_max max(outdeg, 1)
 * pushes at once, the pushes reaching a node summed by one distributed
 * product per round. The same doubles on any number of ranks; one
 * process's push (a FIFO order of pushes) gives another estimate within
 * the same bound: |q_u - p|_1 <= r_max (arcs + dangling nodes) before the
 * dangling step.
 *   D        the rank's view; not NULL
 *   sources  k node indices of the whole graph, the same on every rank;
 *            not NULL when k > 0
 *   k        sources, >= 0
 *   opt      alpha, r_max (0: 1e-7), dangling, and tol, max_iter (the
 *            uniform policy's global PageRank); method is not read; NULL
 *            for the defaults
 *   P        out: local rows x k, row r = node grl_mpi_graph_nodes(D)[r],
 *            column s = source s's score; caller allocated; not NULL
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, a source out of range,
 * options out of range), GRL_OUT_OF_MEMORY, GRL_IO_ERROR (an MPI call
 * failed); GRL_NOT_CONVERGED as grl_mpi_ppr_exact. */
int grl_mpi_ppr_push(grl_mpi_graph *D, const int64_t *sources, int64_t k,
                     const grl_ppr_options *opt, double *P, char *msg);

/* Random walks (include/grl/walks.h): walks_per_node walks from every
 * node, walk w from node w mod n with RNG stream (seed, w), exactly the
 * walks grl_walks_generate makes on one process. Walks move between ranks
 * with their path when they step onto another part's node; each rank
 * returns a contiguous block of walk numbers, so the ranks' blocks in rank
 * order are the single-process corpus.
 *   walks  out: count x opt->length node indices of the whole graph
 *          (-1 after a walk that ended at a node without out-arcs),
 *          row-major, walk first + i in row i (release with grl_free);
 *          NULL on error; not NULL itself
 *   count  out: this rank's walks; not NULL
 *   D      the rank's view; not NULL
 *   opt    length, walks_per_node, weighted, restart, seed (node2vec p, q
 *          and SRRW are not supported); NULL for the defaults
 *   first  out: the walk number of this rank's first row; not NULL
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, options out of range as for
 * grl_walker_new), GRL_UNSUPPORTED (p or q other than 1, srrw_alpha > 0),
 * GRL_OUT_OF_MEMORY, GRL_IO_ERROR (an MPI call failed). */
int grl_mpi_walks_generate(int64_t **walks, int64_t *count, grl_mpi_graph *D,
                           const grl_walk_options *opt, int64_t *first,
                           char *msg);

/* PowerWalk's fingerprint index (include/grl/walks.h, grl_ppr_index)
 * partitioned: each rank holds the rows of its own nodes. */
typedef struct grl_mpi_ppr_index grl_mpi_ppr_index;

/* Build the index over the ranks: walk j of node v on RNG stream (seed,
 * v R + j), as grl_ppr_index_build, a walk continuing on the rank holding
 * its node (walks travel between ranks in batches); so each rank's rows
 * are exactly one process's index rows of its nodes, on any number of
 * ranks.
 *   I    out: this rank's rows (release with grl_mpi_ppr_index_free); NULL
 *        on error; not NULL itself
 *   D    the rank's view; not NULL
 *   opt  walks R, alpha, seed, progress (called with waves done, waves);
 *        NULL for the defaults of grl_ppr_index_options_init
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Memory per rank: its rows (about R / alpha entries of 16 bytes per node
 * at most), the owner of every node (4 bytes each), and the walks and
 * visits of one wave (2^17 walks per rank) in flight.
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, R < 1, alpha outside (0,
 * 1), n R past 2^63, more than 2^31-1 nodes), GRL_OUT_OF_MEMORY,
 * GRL_PARSE_ERROR (parts that disagree), GRL_IO_ERROR (an MPI call
 * failed). */
int grl_mpi_ppr_index_build(grl_mpi_ppr_index **I, grl_mpi_graph *D,
                            const grl_ppr_index_options *opt, char *msg);

/* Write each rank's rows to PREFIX.RRRRR (RRRRR its rank, 5 digits), a
 * checksummed file with the index's n, R, alpha, seed, the partition's
 * part count and the rows' nodes (mpi/ppr_index.c has the layout).
 *   I       this rank's rows, read only; not NULL
 *   D       the rank's view (the one I was built or loaded with); not NULL
 *   prefix  the files' common prefix, the same on every rank; not NULL
 *   msg     GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, a path too long),
 * GRL_IO_ERROR (a file cannot be written: an earlier file is left as it
 * was), GRL_OUT_OF_MEMORY. */
int grl_mpi_ppr_index_save(const grl_mpi_ppr_index *I, grl_mpi_graph *D,
                           const char *prefix, char *msg);

/* Read this rank's PREFIX.RRRRR and check it against D (the same part
 * count, rank, nodes and arcs) and the other ranks' files (the same R,
 * alpha and seed).
 *   I       out: this rank's rows (release with grl_mpi_ppr_index_free);
 *           NULL on error; not NULL itself
 *   D       the rank's view; not NULL
 *   prefix  as given to grl_mpi_ppr_index_save; not NULL
 *   msg     GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_IO_ERROR (missing, unreadable), GRL_PARSE_ERROR (not an
 * index part, bad checksum, corrupt, entries that are not visit counts,
 * parts built differently), GRL_INVALID_ARGUMENT (NULL argument, a file of
 * another partition or graph), GRL_OUT_OF_MEMORY. */
int grl_mpi_ppr_index_load(grl_mpi_ppr_index **I, grl_mpi_graph *D,
                           const char *prefix, char *msg);

/* This rank's rows as a local rows x n matrix, row r = the fingerprint of
 * node grl_mpi_graph_nodes(D)[r] (lent: valid while I lives, read only);
 * NULL for NULL.
 *   I  this rank's index rows, or NULL */
GrB_Matrix grl_mpi_ppr_index_matrix(const grl_mpi_ppr_index *I);

/* Free *I and set it to NULL (not collective).
 *   I  the caller's pointer; I or *I NULL: nothing happens */
void grl_mpi_ppr_index_free(grl_mpi_ppr_index **I);

/* PowerWalk PPR (method powerwalk of grl_ppr_compute) of k sources over
 * the partitioned index: the rounds are distributed products, then the
 * owners of the nodes the sources' residuals reach combine those nodes'
 * index rows. Each term and each sum over nodes is one process's, in its
 * order, so the scores equal grl_ppr_compute's with the single-process
 * index of the same seed up to the per-source sums of the stopping rule
 * and the dangling step (which only scale a source's scores).
 *   D        the rank's view; not NULL
 *   I        this rank's index rows (its arrays are borrowed during the
 *            call: no concurrent use); not NULL
 *   sources  k node indices of the whole graph, the same on every rank;
 *            not NULL when k > 0
 *   k        sources, >= 0
 *   opt      alpha (the index's), dangling, rounds, drop, residual, and
 *            tol, max_iter (the uniform policy's global PageRank); method
 *            is not read; NULL for the defaults
 *   P        out: local rows x k, row r = node grl_mpi_graph_nodes(D)[r],
 *            column s = source s's score; caller allocated; not NULL
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, a source out of range,
 * options out of range, an index of another graph or alpha),
 * GRL_OUT_OF_MEMORY, GRL_IO_ERROR (an MPI call failed); GRL_NOT_CONVERGED
 * as grl_mpi_ppr_exact for the uniform policy's global PageRank. */
int grl_mpi_ppr_powerwalk(grl_mpi_graph *D, grl_mpi_ppr_index *I,
                          const int64_t *sources, int64_t k,
                          const grl_ppr_options *opt, double *P, char *msg);

/* This rank's incoming arcs, for weights given per arc: the arcs into our
 * row r (in the order of grl_mpi_graph_nodes) are (*ptr)[r] ..
 * (*ptr)[r+1]-1, their sources (*src) whole-graph node indices, ascending
 * within a row (on an undirected graph: the neighbours). The same lists,
 * in the same order, as the convergent GNNs' incoming arcs of the whole
 * graph (without added self-loops or symmetrisation).
 *   D    the rank's view, read only; not NULL
 *   ptr  out: local rows + 1 offsets (release with grl_free); not NULL
 *   src  out: one source per arc (release with grl_free); not NULL
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument), GRL_OUT_OF_MEMORY. */
int grl_mpi_graph_in_arcs(const grl_mpi_graph *D, int64_t **ptr, int64_t **src,
                          char *msg);

/* The convergent GNNs' linear fixed point h = gamma A h + b (A: the
 * incoming arcs of grl_mpi_graph_in_arcs weighted by w) by repeated
 * halo-exchanged products from the start in h, until max |h_{t+1} - h_t|
 * <= tol max(1, max |h_{t+1}|): every step, float and the stopping step
 * equal one process's solve over the whole graph's incoming arcs.
 *   D      the rank's view; not NULL
 *   w      our arcs' weights, float32, in grl_mpi_graph_in_arcs order: one
 *          per arc (wc = 1) or wc = d per arc (one per column); not NULL
 *          unless the rank has no rows
 *   wc     1 or d
 *   gamma  the scale of A h
 *   b      local rows x d, row-major, or NULL for 0
 *   d      columns, >= 1
 *   bound  the caller's contraction bound of h -> gamma A h (the same on
 *          every rank), in [0, 1)
 *   opt    tol and max_iter (grl_fixed_point_options_init); not NULL
 *   h      in: the start, out: the fixed point (the last iterate when not
 *          converged); local rows x d, row-major; not NULL
 *   rep    out: bound, last relative residual, steps; or NULL
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Returns 0 or GRL_NOT_CONVERGED (at max_iter). Errors:
 * GRL_INVALID_ARGUMENT (NULL argument, wc not 1 or d, bound not in [0, 1),
 * tol or max_iter out of range, an iterate that is not finite),
 * GRL_OUT_OF_MEMORY, GRL_IO_ERROR (an MPI call failed). */
int grl_mpi_fixed_point_linear(grl_mpi_graph *D, const float *w, int64_t wc,
                               float gamma, const float *b, int64_t d,
                               double bound, const grl_fixed_point_options *opt,
                               float *h, grl_fixed_point_report *rep, char *msg);

#ifdef __cplusplus
}
#endif
#endif
