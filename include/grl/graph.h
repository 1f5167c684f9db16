/*
 * grl/graph.h — the graph object, loaders and writers, summaries, METIS
 * partitioning and generators.
 *
 * A grl_graph is an n x n GraphBLAS matrix of FP64 weights (pattern graphs
 * store 1.0): A(i,j) is the weight of the arc i -> j; an undirected graph
 * stores both (i,j) and (j,i), a self-loop once. Nodes are dense indices
 * 0..n-1; the graph keeps the map to the ids its file used (integers, which
 * may be sparse like SNAP's, or strings). Ids are numbered in sorted order, so
 * the same file with its lines shuffled gives the same graph.
 *
 * Memory: the matrix (about 12 bytes per stored arc, CSR) plus, on demand, its
 * transpose and four n-vectors of degrees; loading peaks at about
 * 40 bytes per input edge on top of the file's bytes.
 */
#ifndef GRL_GRAPH_H
#define GRL_GRAPH_H

#include <GraphBLAS.h>
#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct grl_graph grl_graph;

/* The most nodes a graph may have: GraphBLAS's dimension limit (2^60).
 * Loaders refuse files that declare more. */
#define GRL_MAX_NODES ((int64_t)1 << 60)

/* File formats. AUTO picks by extension: .mtx Matrix Market, .grl binary,
 * .graphml, .gml, .net/.pajek, .csv CSV, anything else a whitespace edge
 * list (SNAP text included). */
typedef enum {
    GRL_FORMAT_AUTO = 0,
    GRL_FORMAT_EDGELIST,       /* "u v [w]" per line, # or % comments     */
    GRL_FORMAT_CSV,            /* "u,v[,w]" per line, optional header     */
    GRL_FORMAT_MATRIX_MARKET,  /* coordinate; pattern/real/integer        */
    GRL_FORMAT_GRL,            /* grl's binary: id map + CSR, checksummed */
    GRL_FORMAT_GRAPHML,        /* through igraph                          */
    GRL_FORMAT_GML,            /* through igraph                          */
    GRL_FORMAT_PAJEK,          /* through igraph                          */
} grl_format;

/* How a file names its nodes. */
typedef enum {
    GRL_IDS_INTEGER = 0, /* signed 64-bit integers, any range (default) */
    GRL_IDS_STRING,      /* any token without whitespace or commas       */
} grl_id_kind;

typedef enum {
    GRL_SELF_LOOPS_KEEP = 0, /* default */
    GRL_SELF_LOOPS_DROP,
} grl_self_loop_policy;

/* What to do when the same arc (or, undirected, the same pair) appears twice. */
typedef enum {
    GRL_DUPLICATES_MERGE = 0, /* keep one, with the largest weight (default) */
    GRL_DUPLICATES_SUM,       /* keep one, weights added (a count if unweighted) */
} grl_duplicate_policy;

/* Names of the values above, as the CLI and Python spell them:
 *   formats: auto, edgelist (alias snap), csv, mtx, grl, graphml, gml, pajek
 *   id kinds: integer, string;  self-loops: keep, drop;
 *   duplicates: merge, sum
 * grl_<enum>_parse(name, value, msg):
 *   name   the name, case-insensitive; not NULL
 *   value  out: the value named; untouched on error; not NULL
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 *   Errors: GRL_INVALID_ARGUMENT (NULL argument, or an unknown name: msg
 *   lists the names).
 * grl_<enum>_name(value): the name of `value` (a static string; the first
 * name when a value has aliases), NULL for a value out of range.
 * Both are thread-safe and need no grl_init. */
int grl_format_parse(const char *name, grl_format *value, char *msg);
const char *grl_format_name(grl_format value);
int grl_id_kind_parse(const char *name, grl_id_kind *value, char *msg);
const char *grl_id_kind_name(grl_id_kind value);
int grl_self_loop_policy_parse(const char *name, grl_self_loop_policy *value, char *msg);
const char *grl_self_loop_policy_name(grl_self_loop_policy value);
int grl_duplicate_policy_parse(const char *name, grl_duplicate_policy *value, char *msg);
const char *grl_duplicate_policy_name(grl_duplicate_policy value);

typedef struct {
    grl_format format;   /* GRL_FORMAT_AUTO: from the file extension       */
    int directed;        /* 1 directed, 0 undirected, -1 the format's default:
                            undirected for edge lists and CSV (most shared
                            datasets list each undirected edge once or twice),
                            as declared for Matrix Market (symmetric or not),
                            GraphML, GML and Pajek, as saved for .grl        */
    grl_id_kind ids;     /* GRL_IDS_INTEGER                                */
    grl_self_loop_policy self_loops;
    grl_duplicate_policy duplicates;
    bool ignore_weights; /* read only the first two columns                */
    bool allow_nonpositive_weights; /* accept finite weights <= 0; by default
                            a weight must be finite and > 0                 */
    int header;          /* first data line is a header: 1 yes, 0 no,
                            -1 auto: CSV only; with integer ids, a first
                            line whose first field is not an integer; with
                            string ids, always (CSV files carry headers)  */
    /* The node set, for edge lists and CSV, whose lines cannot name a node
     * without edges (other formats list their nodes; declaring a set for
     * them is GRL_UNSUPPORTED). Declared nodes that no edge names are
     * isolated nodes of the graph; an edge naming a node outside the set
     * is an error naming the edge file and line. Nodes are still numbered
     * in sorted id order. At most one of the two:                        */
    const char *nodes_path; /* a file of ids, one per line, valid for `ids`;
                            blank lines and # or % comments skipped; a
                            repeated id is an error (file and line). NULL:
                            the nodes are those the edges name (default) */
    int64_t num_nodes;   /* > 0: the integer ids 0..num_nodes-1 (at most
                            2^60); 0: not declared (default)             */
} grl_load_options;

/* Fill *opt with the defaults documented above.
 *   opt  the caller's struct; not NULL */
void grl_load_options_init(grl_load_options *opt);

/* Load a graph from a file. Matrix Market nodes are the indices 1..N of the
 * size line, isolated ones included. An empty file is a valid graph with 0
 * nodes. Edge-list parsing runs in parallel chunks; the graph does not
 * depend on the thread count or on the order of the file's lines.
 *   G     out: the new graph (release with grl_graph_free); NULL on error,
 *         nothing half-built is returned; not NULL itself
 *   path  the file; not NULL. Its format is opt->format, or with
 *         GRL_FORMAT_AUTO its extension (see grl_format)
 *   opt   format, direction, id kind, policies; NULL for the defaults
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL. Errors name
 *         the file and line ("edges.txt:17: expected an integer node id,
 *         got 'x7'")
 * Errors: GRL_INVALID_ARGUMENT (NULL G or path, opt->directed not -1, 0 or
 * 1, an unknown format code), GRL_IO_ERROR (cannot open or read),
 * GRL_PARSE_ERROR (malformed content, a weight that is not finite or,
 * without allow_nonpositive_weights, not > 0; for .grl files a bad magic,
 * length or checksum, or an invalid graph), GRL_UNSUPPORTED (a Matrix
 * Market variant other than coordinate pattern/real/integer
 * general/symmetric, a .grl version other than 2), GRL_IGRAPH_ERROR
 * (GraphML, GML, Pajek: igraph's reader failed), GRL_NOT_INITIALIZED
 * (after grl_finalize), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_load(grl_graph **G, const char *path,
                   const grl_load_options *opt, char *msg);

/* Write G to a file. Edge lists and
 * CSV name nodes by their ids (an undirected edge once, CSV with a header
 * line); Matrix Market has no ids: node i is written as index i+1 and reads
 * back with ids 1..n; .grl keeps everything and reloads far faster than
 * text. The .grl format (version 4; graph/binary.c has the layout): magic
 * "GRLGRAF1", version, flags, file length, n, the dropped self-loop and
 * duplicate counts, the ids padded to 8 bytes, the matrix as the raw CSR
 * arrays GraphBLAS holds, then a checksum of every byte before it: XXH64
 * of the XXH64s of its 512 KiB blocks, so a load reads and checks the blocks
 * in parallel. The bytes depend only on the graph, not on the thread count.
 * Loading checks magic, version and length first, bounds every count by the
 * file size, and returns no graph unless the checksum matches and the graph
 * is valid: n x n, a valid CSR, unique ids, symmetric if undirected, finite
 * weights, > 0 unless allow_nonpositive_weights. Files of versions 1-3 are
 * refused: convert the source file again.
 *   G       the graph, read only; not NULL
 *   path    the file, overwritten if it exists (.grl: written beside it and
 *           renamed over it when complete); not NULL
 *   format  any grl_format; GRL_FORMAT_AUTO picks by path's extension as
 *           the loader does
 *   msg     GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G or path, a format code out of
 * range, a string id the format would not read back: one starting with #
 * or % that begins an edge-list or CSV line, a quote or backslash in
 * Pajek), GRL_IO_ERROR (cannot create, write or rename; msg names the file),
 * GRL_IGRAPH_ERROR (GraphML, GML, Pajek), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_save(const grl_graph *G, const char *path, grl_format format,
                   char *msg);

/* Build a graph on nodes 0..n-1 (ids 0..n-1) from m arcs src[k] -> dst[k].
 * Undirected: each pair is stored both ways.
 *   G         out: the new graph (release with grl_graph_free); NULL on
 *             error; not NULL itself
 *   n         number of nodes, >= 0 (nodes without arcs are isolated)
 *   src, dst  m node indices each, in 0..n-1; read only, not kept; may be
 *             NULL when m = 0
 *   w         m weights, or NULL (unweighted, every weight 1). Each finite
 *             and > 0, or any finite value with
 *             opt->allow_nonpositive_weights
 *   m         number of arcs, >= 0
 *   directed  true: arcs; false: undirected edges
 *   opt       only self_loops, duplicates and allow_nonpositive_weights are
 *             used (format, directed, ids, header and ignore_weights are
 *             not); NULL for the defaults
 *   msg       GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G, n or m negative, NULL src or dst
 * with m > 0, a node outside 0..n-1, a weight not finite or not > 0; msg
 * names the arc), GRL_NOT_INITIALIZED, GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_from_edges(grl_graph **G, int64_t n, const int64_t *src,
                         const int64_t *dst, const double *w, int64_t m,
                         bool directed, const grl_load_options *opt,
                         char *msg);

/* Wrap an n x n matrix as a graph with ids 0..n-1, without copying it.
 *   G         out: the new graph (release with grl_graph_free); NULL on
 *             error; not NULL itself
 *   A         the caller's matrix: n x n, GrB_FP64, A(i,j) the weight of
 *             i -> j, finite (any sign; pattern graphs: 1). On success it
 *             is moved into the graph and *A is set to NULL (the graph
 *             frees it); on error *A is still the caller's, unchanged. A,
 *             *A not NULL
 *   directed  false: A must be symmetric (checked, values included)
 *   weighted  whether the values are weights (walks, PPR and the weighted
 *             link predictors use them only then)
 *   msg       GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, A not square, not
 * GrB_FP64, invalid for GraphBLAS, a weight not finite, not symmetric for
 * an undirected graph), GRL_NOT_INITIALIZED, GRL_OUT_OF_MEMORY, a
 * GrB_Info. */
int grl_graph_from_matrix(grl_graph **G, GrB_Matrix *A, bool directed,
                          bool weighted, char *msg);

/* Free *G (its matrix, cached transpose and degrees, ids) and set *G to
 * NULL. Matrices lent by grl_graph_matrix/grl_graph_transpose and degree
 * arrays die with it.
 *   G  the caller's pointer; G or *G NULL: nothing happens */
void grl_graph_free(grl_graph **G);

/* Accessors: G is the graph, read only, or NULL. A NULL graph reads as the
 * empty graph (0, false, NULL), never a crash; functions returning a status
 * refuse it with GRL_INVALID_ARGUMENT. They may be called from several
 * threads at once on a graph no call is borrowing.
 * The number of nodes n. */
int64_t grl_graph_num_nodes(const grl_graph *G);
/* G's stored arcs: nvals of the matrix (an undirected edge counts twice, a
 * self-loop once). */
int64_t grl_graph_num_arcs(const grl_graph *G);
/* G's arcs if directed; undirected edges (self-loops included) otherwise. */
int64_t grl_graph_num_edges(const grl_graph *G);
/* Whether G is directed (false for NULL). */
bool grl_graph_is_directed(const grl_graph *G);
/* Whether G carries edge weights (false for NULL: unweighted). */
bool grl_graph_is_weighted(const grl_graph *G);

/* G's n x n GrB_FP64 matrix, lent: valid while G lives, do not free or
 * modify it; NULL for a NULL G. */
GrB_Matrix grl_graph_matrix(const grl_graph *G);

/* G's transpose, computed on first call and cached in G.
 *   G    the graph; not NULL. Not thread-safe on the first call for a
 *        directed graph (it writes the cache)
 *   AT   out: the transpose, lent like grl_graph_matrix (for an undirected
 *        graph the matrix itself); not NULL
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G or AT), a GrB_Info (e.g.
 * GrB_OUT_OF_MEMORY); nothing is cached on error. */
int grl_graph_transpose(grl_graph *G, GrB_Matrix *AT, char *msg);

typedef enum { GRL_OUT = 0, GRL_IN = 1 } grl_direction;

/* Per-node degrees, computed on first call and cached in G. A self-loop
 * counts once.
 *   G         the graph; not NULL. Not thread-safe on the first call for a
 *             given (dir, weighted) (it writes the cache)
 *   dir       GRL_OUT (out-arcs, row sums) or GRL_IN (in-arcs, column
 *             sums); the same for undirected graphs
 *   weighted  false: count arcs; true: add their weights (equal to the
 *             count on an unweighted graph)
 *   deg       out: n doubles, lent: valid while G lives, do not free or
 *             modify; not NULL
 *   msg       GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G or deg, dir not GRL_OUT/GRL_IN),
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_degree(grl_graph *G, grl_direction dir, bool weighted,
                     const double **deg, char *msg);

/* ---------------------------------------------------------------------------
 * Node ids
 * ------------------------------------------------------------------------ */
/* Whether G's ids are integers or strings (GRL_IDS_INTEGER for a NULL G:
 * graphs built from arrays or matrices have integer ids 0..n-1).
 *   G  the graph, read only, or NULL */
grl_id_kind grl_graph_id_kind(const grl_graph *G);
/* True when node i's id is the integer i for every node (no id file
 * needed); true for a NULL G.
 *   G  the graph, read only, or NULL */
bool grl_graph_ids_are_indices(const grl_graph *G);
/* Write node i's id as text (an integer in decimal) into buf.
 *   G    the graph, read only; not NULL
 *   i    the node index, 0..n-1
 *   buf  len bytes, caller allocated: the id, truncated to len - 1 bytes
 *        and always terminated (when len > 0); may be NULL when len = 0
 *   len  buf's size in bytes
 * Returns the id's full length (call again with a larger buffer if it is
 * >= len), GRL_NOT_FOUND if i is out of range, GRL_INVALID_ARGUMENT if G is
 * NULL or buf is NULL with len > 0. No msg: it is called per node. */
int grl_graph_node_id(const grl_graph *G, int64_t i, char *buf, size_t len);
/* A stable 64-bit key of node i's id: the integer id itself, or a hash
 * (FNV-1a) of the string id. Random streams keyed by it do not depend on how
 * nodes are numbered or ordered in the file.
 *   G  the graph, read only
 *   i  the node index, 0..n-1
 * Returns 0 for a NULL G or i out of range (0 is also a valid key). */
uint64_t grl_graph_node_key(const grl_graph *G, int64_t i);
/* The index of the node named `id`.
 *   G      the graph, read only; not NULL
 *   id     the id as text (an integer id in decimal, leading zeros and sign
 *          allowed: "007" is 7); not NULL
 *   index  out: the node index in 0..n-1; not NULL
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument), GRL_NOT_FOUND (no node has
 * that id, or an integer-id graph is asked for a non-integer). */
int grl_graph_node_index(const grl_graph *G, const char *id, int64_t *index,
                         char *msg);

/* ---------------------------------------------------------------------------
 * Summary (what `grl info` prints)
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t nodes, arcs, edges;     /* as grl_graph_num_* */
    int64_t self_loops;             /* stored self-loops                     */
    int64_t self_loops_dropped;     /* by GRL_SELF_LOOPS_DROP while loading  */
    int64_t duplicates_dropped;     /* input edges merged into another        */
    bool directed, weighted;
    double out_min, out_mean, out_max; /* arc counts; undirected: degree    */
    double in_min, in_mean, in_max;
    int64_t components;             /* weakly connected components           */
} grl_graph_info;

/* Fill the summary of G (what `grl info` prints).
 *   G     the graph; not NULL. Computes and caches its degrees (not
 *         thread-safe the first time, see grl_graph_degree) and borrows its
 *         matrix for the components (do not use G from another thread
 *         meanwhile)
 *   info  out: every field, caller allocated; not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G or info), GRL_OUT_OF_MEMORY, a
 * GrB_Info. */
int grl_graph_summary(grl_graph *G, grl_graph_info *info, char *msg);

/* Weakly connected components (union-find over the arcs).
 *   G      the graph; not NULL. Its matrix is borrowed during the call (do
 *          not use G from another thread meanwhile); intact on return
 *   comp   out: comp[i] in 0..ncomp-1 for each node i, components numbered
 *          in the order of their smallest node (n entries, caller
 *          allocated; not NULL)
 *   ncomp  out: the number of components (0 for an empty graph); not NULL
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Deterministic. Errors: GRL_INVALID_ARGUMENT (NULL argument),
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_components(grl_graph *G, int64_t *comp, int64_t *ncomp,
                         char *msg);

/* ---------------------------------------------------------------------------
 * Partitioning (METIS k-way on the symmetrised structure without self-loops)
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t edge_cut;       /* undirected edges whose ends lie in two parts */
    double balance;         /* largest part size / (n / k)                  */
    int64_t boundary_nodes; /* nodes with a neighbour in another part       */
} grl_partition_info;

typedef struct {
    uint64_t seed;    /* METIS's seed (1); any value, folded to 31 bits       */
    double imbalance; /* allowed excess of the largest part over n / k, in
                         0.001..10 (0.03: METIS's default ufactor 30)       */
} grl_partition_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_partition_options_init(grl_partition_options *opt);

/* Split the nodes of G into k parts with METIS k-way.
 *   G     the graph (directed graphs are symmetrised; weights ignored)
 *   k     number of parts, 1..n (1..1 for an empty graph); k = 1 does not
 *         call METIS
 *   opt   seed and imbalance, NULL for the defaults
 *   part  out: part[i] in 0..k-1 for each node i (n entries, caller
 *         allocated; may be NULL when n = 0)
 *   info  out: edge cut, balance, boundary nodes; may be NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Deterministic for a seed (METIS runs on one thread). Errors:
 * GRL_INVALID_ARGUMENT (k or imbalance out of range, NULL graph or part),
 * GRL_UNSUPPORTED (more nodes or edges than METIS's idx_t holds),
 * GRL_METIS_ERROR, GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_partition_compute(grl_graph *G, int64_t k,
                          const grl_partition_options *opt, int64_t *part,
                          grl_partition_info *info, char *msg);

/* Edge cut, balance and boundary nodes of any assignment of G's nodes to k
 * parts, on the symmetrised structure without self-loops as
 * grl_partition_compute.
 *   G     the graph; not NULL
 *   part  part[i] in 0..k-1 for each node i (n entries, read only); may be
 *         NULL when n = 0
 *   k     number of parts, >= 1 (parts may be empty)
 *   info  out: caller allocated; not NULL. Balance is 1 for an empty graph
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Deterministic. Errors: GRL_INVALID_ARGUMENT (NULL G, info or part,
 * k < 1, a part outside 0..k-1: msg names the node), GRL_OUT_OF_MEMORY, a
 * GrB_Info. */
int grl_partition_evaluate(grl_graph *G, const int64_t *part, int64_t k,
                           grl_partition_info *info, char *msg);

/* A copy of G with its nodes renumbered so each part is contiguous: part p
 * holds new indices offsets[p] .. offsets[p+1]-1, nodes keep their
 * relative order inside a part, and ids follow their nodes (so a reordered
 * integer-id graph no longer has ids equal to indices).
 *   R        out: the new graph (release with grl_graph_free); NULL on
 *            error; not NULL itself
 *   G        the graph, unchanged; not NULL
 *   part     part[i] in 0..k-1 for each node i (n entries, read only); may
 *            be NULL when n = 0
 *   k        number of parts, >= 1
 *   offsets  out: k + 1 entries, caller allocated; not NULL
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL R, G or offsets, NULL part with n > 0,
 * k < 1, a part outside 0..k-1), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_reorder(grl_graph **R, grl_graph *G, const int64_t *part,
                      int64_t k, int64_t *offsets, char *msg);

/* The halo of each part: the nodes outside it that share an arc (either
 * direction) with one of its nodes. Part p's halo is
 * (*nodes)[(*offsets)[p] .. (*offsets)[p+1]-1], ascending.
 *   offsets  out: k + 1 entries, allocated by grl (release with grl_free);
 *            NULL on error; not NULL itself
 *   nodes    out: (*offsets)[k] node indices, allocated by grl (release
 *            with grl_free); NULL on error; not NULL itself
 *   G        the graph; not NULL
 *   part     part[i] in 0..k-1 for each node i (n entries, read only); may
 *            be NULL when n = 0
 *   k        number of parts, >= 1
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Bit-identical for any thread count. Errors: GRL_INVALID_ARGUMENT (NULL
 * argument, k < 1, a part outside 0..k-1), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_partition_halos(int64_t **offsets, int64_t **nodes, grl_graph *G,
                        const int64_t *part, int64_t k, char *msg);

/* ---------------------------------------------------------------------------
 * Partitioned graphs on disk: one file per part, so a process reads only its
 * own (grl_mpi, include/grl/mpi.h, runs ranks over them). A partition
 * directory holds
 *   manifest.grlm        K, n, arcs, flags, and per part its node count,
 *                        halo count, file length and checksum;
 *   part-00000.grlp ...  part p: its nodes (indices in the whole graph,
 *                        ascending) with their id keys, its halo (the nodes
 *                        of other parts sharing an arc with it, either
 *                        direction, as grl_partition_halos) with their
 *                        owners, its nodes' out-arcs and, directed, their
 *                        in-arcs, as rows with columns in the whole graph;
 *   ids.txt              one id per node in index order, when ids are not
 *                        0..n-1 (what an embedding's .ids file holds).
 * Every file is in the checksummed container of .grl files (magic, version,
 * length, XXH64) and is validated after reading: sizes bounded by the file,
 * node lists ascending and disjoint, owners in 0..K-1 other than the part,
 * every arc's column among the part's nodes and halo, finite weights, and
 * the part file's checksum equal to the manifest's (a part of another
 * partition is refused).
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t n, k;        /* nodes of the whole graph; parts                 */
    int64_t arcs;        /* stored arcs of the whole graph                  */
    bool directed, weighted;
    bool ids_are_indices;/* false: ids.txt names the nodes                  */
    int64_t *nodes;      /* k entries: nodes of each part                   */
    int64_t *halo;       /* k entries: halo nodes of each part              */
    uint64_t *bytes;     /* k entries: length of each part file             */
    uint64_t *checksum;  /* k entries: the XXH64 each part file ends with   */
} grl_partition_manifest;

typedef struct {
    int64_t n, k, part;  /* whole graph's nodes, parts, this part           */
    bool directed, weighted;
    int64_t nodes;       /* this part's nodes                               */
    int64_t *global;     /* nodes entries: their indices in the whole graph,
                            ascending                                       */
    uint64_t *key;       /* nodes entries: their id keys (grl_graph_node_key) */
    int64_t halo;        /* halo nodes                                      */
    int64_t *halo_global;/* halo entries, ascending                         */
    int64_t *halo_owner; /* halo entries: the part holding each             */
    GrB_Matrix out;      /* nodes x n GrB_FP64: row r holds the out-arcs of
                            node global[r], columns in the whole graph      */
    GrB_Matrix in;       /* the same for in-arcs (directed graphs); NULL for
                            undirected graphs, whose in-arcs are `out`      */
    uint64_t checksum;   /* the XXH64 the file ends with                    */
} grl_part;

/* Write G split by `part` as a partition directory (created if missing;
 * files of an earlier partition in it are replaced).
 *   G     the graph; not NULL. Computes and caches its transpose if
 *         directed
 *   part  part[i] in 0..k-1 for each node i (n entries, read only); may be
 *         NULL when n = 0
 *   k     number of parts, >= 1 (parts may be empty)
 *   dir   the directory; not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Memory: the graph, its halos and one part's rows at a time. The bytes
 * depend only on G and part, not on the thread count.
 * Errors: GRL_INVALID_ARGUMENT (NULL G or dir, k < 1, a part outside
 * 0..k-1, NULL part with n > 0), GRL_IO_ERROR (cannot create the directory
 * or a file; msg names it), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_partition_save(grl_graph *G, const int64_t *part, int64_t k,
                       const char *dir, char *msg);

/* Read and validate the manifest of a partition directory.
 *   M    out: the manifest (release with grl_partition_manifest_free);
 *        NULL on error; not NULL itself
 *   dir  the directory; not NULL
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL; errors name the
 *        file
 * Errors: GRL_INVALID_ARGUMENT (NULL argument), GRL_IO_ERROR, GRL_PARSE_ERROR
 * (bad magic, length or checksum; counts that do not add up to n),
 * GRL_UNSUPPORTED (another version), GRL_OUT_OF_MEMORY. */
int grl_partition_manifest_load(grl_partition_manifest **M, const char *dir,
                                char *msg);

/* Free *M (its arrays too) and set *M to NULL.
 *   M  the caller's pointer; M or *M NULL: nothing happens */
void grl_partition_manifest_free(grl_partition_manifest **M);

/* Read one part file and validate it on its own (see above).
 *   P     out: the part (release with grl_part_free); NULL on error; not
 *         NULL itself
 *   path  the part file; not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL; errors name the
 *         file
 * Errors: GRL_INVALID_ARGUMENT (NULL argument), GRL_IO_ERROR,
 * GRL_PARSE_ERROR (bad magic, length, checksum or content),
 * GRL_UNSUPPORTED (another version), GRL_NOT_INITIALIZED,
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_part_read(grl_part **P, const char *path, char *msg);

/* Read part `p` of a partition directory and check it against its
 * manifest: the whole graph's n, k, direction and weights, the part's node
 * and halo counts, its file length and checksum.
 *   P    out: the part (release with grl_part_free); NULL on error; not
 *        NULL itself
 *   dir  the directory; not NULL
 *   M    its manifest (grl_partition_manifest_load), read only; not NULL
 *   p    the part, 0..M->k-1
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: those of grl_part_read, GRL_INVALID_ARGUMENT (NULL argument, p
 * out of range), GRL_PARSE_ERROR (the file disagrees with the manifest). */
int grl_part_load(grl_part **P, const char *dir,
                  const grl_partition_manifest *M, int64_t p, char *msg);

/* Free *P (its arrays and matrices too) and set *P to NULL.
 *   P  the caller's pointer; P or *P NULL: nothing happens */
void grl_part_free(grl_part **P);

/* The position of node `global` among P's columns: its row r (0..nodes-1)
 * if P holds it, nodes + h if it is halo node h, -1 otherwise (binary
 * search).
 *   P       the part, read only; not NULL
 *   global  a node index of the whole graph */
int64_t grl_part_column(const grl_part *P, int64_t global);

/* ---------------------------------------------------------------------------
 * Generators (igraph's games, seeded; for tests and benchmarks). Each makes
 * *G (release with grl_graph_free; NULL on error; G not NULL itself), an
 * unweighted graph with ids 0..n-1. The same seed gives the same graph
 * (for one igraph version). Each installs its own seeded RNG as igraph's
 * default for the game and then restores the caller's, whose state is
 * untouched; igraph has one default slot, so do not run them concurrently
 * with each other or with other igraph calls.
 * Errors, besides those listed: GRL_IGRAPH_ERROR (igraph failed, e.g. out
 * of memory), GRL_NOT_INITIALIZED, GRL_OUT_OF_MEMORY, a GrB_Info.
 * ------------------------------------------------------------------------ */
/* G(n, m): m distinct arcs/edges chosen uniformly, no self-loops.
 *   G         out: the new graph
 *   n         nodes, >= 0
 *   m         arcs (directed) or edges, 0..n(n-1) (directed) or
 *             0..n(n-1)/2
 *   directed  directed arcs or undirected edges
 *   seed      igraph's RNG seed; any value
 *   msg       GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G, n or m out of range). */
int grl_graph_generate_erdos_renyi(grl_graph **G, int64_t n, int64_t m,
                                   bool directed, uint64_t seed, char *msg);
/* Barabási–Albert preferential attachment (linear, igraph's psumtree
 * method), undirected, no multi-edges.
 *   G           out: the new graph
 *   n           nodes, >= 0
 *   m_per_node  edges from each new node to earlier ones, >= 0 (the first
 *               nodes have fewer: no multi-edges)
 *   seed        igraph's RNG seed; any value
 *   msg         GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G, a negative count, n x m_per_node
 * beyond int64). */
int grl_graph_generate_barabasi_albert(grl_graph **G, int64_t n,
                                       int64_t m_per_node, uint64_t seed,
                                       char *msg);
/* Stochastic block model without self-loops. Nodes are numbered block by
 * block.
 *   G            out: the new graph
 *   nblocks      number of blocks, 1..2^24
 *   block_sizes  nblocks sizes, each >= 0, their sum the node count (at
 *                most INT64_MAX); read only; not NULL
 *   pref         nblocks x nblocks row-major: pref[a * nblocks + b] is the
 *                probability in [0, 1] of each arc from block a to block b;
 *                symmetric when undirected; read only; not NULL
 *   directed     directed arcs or undirected edges
 *   seed         igraph's RNG seed; any value
 *   msg          GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, a count out of range, a
 * probability outside [0, 1], pref not symmetric for an undirected graph;
 * msg names the entry). */
int grl_graph_generate_sbm(grl_graph **G, int64_t nblocks,
                           const int64_t *block_sizes,
                           const double *pref, bool directed, uint64_t seed,
                           char *msg);

#ifdef __cplusplus
}
#endif
#endif
