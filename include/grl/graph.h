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
 * grl_<enum>_parse sets *value from a name (case-insensitive) or returns
 * GRL_INVALID_ARGUMENT with a message listing the names; grl_<enum>_name
 * gives a value's name (NULL for a value out of range).
 *   formats: auto, edgelist (alias snap), csv, mtx, grl, graphml, gml, pajek
 *   id kinds: integer, string;  self-loops: keep, drop;
 *   duplicates: merge, sum */
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
} grl_load_options;

/* Fill *opt with the defaults documented above. */
void grl_load_options_init(grl_load_options *opt);

/* Load a graph from `path` (opt may be NULL for defaults). Matrix Market
 * nodes are the indices 1..N of the size line, isolated ones included.
 * Errors name the
 * file and line ("edges.txt:17: expected an integer node id, got 'x7'").
 * On error *G is NULL; nothing half-built is returned. An empty file is a
 * valid graph with 0 nodes. Edge-list parsing runs in parallel chunks. */
int grl_graph_load(grl_graph **G, const char *path,
                   const grl_load_options *opt, char *msg);

/* Write G to `path` in `format` (AUTO: from the extension). Edge lists and
 * CSV name nodes by their ids (an undirected edge once, CSV with a header
 * line); Matrix Market has no ids: node i is written as index i+1 and reads
 * back with ids 1..n; .grl keeps everything and reloads far faster than
 * text. The .grl format (version 2; graph/binary.c has the layout): magic
 * "GRLGRAF1", version, flags, file length, n, the ids, the matrix as varint
 * CSR (whole weights as integers), then an XXH64 checksum of every byte
 * before it. The bytes depend only on the graph, not on the thread count.
 * Loading checks magic, version, length and checksum before reading any
 * field, bounds every count by the file size, then validates the graph: n x
 * n, unique ids, symmetric if undirected, finite weights, > 0 unless
 * allow_nonpositive_weights. Version 1 files are refused: convert the
 * source file again. */
int grl_graph_save(const grl_graph *G, const char *path, grl_format format,
                   char *msg);

/* Build a graph on nodes 0..n-1 from m arcs src[k] -> dst[k] with weights
 * w[k] (w NULL: unweighted). Undirected: each pair is stored both ways.
 * opt (may be NULL) supplies the self-loop/duplicate/weight policies. */
int grl_graph_from_edges(grl_graph **G, int64_t n, const int64_t *src,
                         const int64_t *dst, const double *w, int64_t m,
                         bool directed, const grl_load_options *opt,
                         char *msg);

/* Wrap an n x n GrB_FP64 matrix: *A is moved into the graph (set to NULL).
 * Undirected graphs must pass a symmetric matrix (checked). Ids are 0..n-1. */
int grl_graph_from_matrix(grl_graph **G, GrB_Matrix *A, bool directed,
                          bool weighted, char *msg);

/* Free *G and set it to NULL (NULL-safe). */
void grl_graph_free(grl_graph **G);

/* Accessors. A NULL graph reads as the empty graph (0, false, NULL), never a
 * crash; functions returning a status refuse it with GRL_INVALID_ARGUMENT. */
int64_t grl_graph_num_nodes(const grl_graph *G);
/* Stored arcs: nvals of the matrix (an undirected edge counts twice, a
 * self-loop once). */
int64_t grl_graph_num_arcs(const grl_graph *G);
/* Arcs if directed; undirected edges (self-loops included) otherwise. */
int64_t grl_graph_num_edges(const grl_graph *G);
bool grl_graph_is_directed(const grl_graph *G);
bool grl_graph_is_weighted(const grl_graph *G);

/* The underlying matrix, lent: do not free or modify it. */
GrB_Matrix grl_graph_matrix(const grl_graph *G);

/* The transpose (cached on first call; for undirected graphs the matrix
 * itself), lent. Not thread-safe on first call. */
int grl_graph_transpose(grl_graph *G, GrB_Matrix *AT, char *msg);

typedef enum { GRL_OUT = 0, GRL_IN = 1 } grl_direction;

/* Per-node degrees (n doubles, cached, lent): number of out- or in-arcs, or
 * with `weighted` their weight sums. A self-loop counts once. Not
 * thread-safe on first call for a given (dir, weighted). */
int grl_graph_degree(grl_graph *G, grl_direction dir, bool weighted,
                     const double **deg, char *msg);

/* ---------------------------------------------------------------------------
 * Node ids
 * ------------------------------------------------------------------------ */
grl_id_kind grl_graph_id_kind(const grl_graph *G);
/* True when node i's id is the integer i for every node (no id file needed). */
bool grl_graph_ids_are_indices(const grl_graph *G);
/* Write node i's id into buf (len bytes, truncated, always terminated).
 * Returns the id's full length (call again with a larger buffer if it is >=
 * len), GRL_NOT_FOUND if i is out of range, GRL_INVALID_ARGUMENT if G is
 * NULL. */
int grl_graph_node_id(const grl_graph *G, int64_t i, char *buf, size_t len);
/* A stable 64-bit key of node i's id: the integer id itself, or a hash
 * (FNV-1a) of the string id. Random streams keyed by it do not depend on how
 * nodes are numbered or ordered in the file. */
uint64_t grl_graph_node_key(const grl_graph *G, int64_t i);
/* The index of the node named `id`; GRL_NOT_FOUND if there is none. */
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

int grl_graph_summary(grl_graph *G, grl_graph_info *info, char *msg);

/* Weakly connected components: comp[i] in 0..ncomp-1 (n entries, caller
 * allocated), numbered by their smallest node. */
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

/* Fill *opt with the defaults above. */
void grl_partition_options_init(grl_partition_options *opt);

/* Split the nodes of G into k parts with METIS k-way.
 *   G     the graph (directed graphs are symmetrised; weights ignored)
 *   k     number of parts, 1..n (1..1 for an empty graph); k = 1 does not
 *         call METIS
 *   opt   seed and imbalance, NULL for the defaults
 *   part  out: part[i] in 0..k-1 for each node i (n entries, caller
 *         allocated; may be NULL when n = 0)
 *   info  out: edge cut, balance, boundary nodes; may be NULL
 * Deterministic for a seed. Errors: GRL_INVALID_ARGUMENT (k or imbalance out
 * of range, NULL graph or part), GRL_UNSUPPORTED (more nodes or edges than
 * METIS's idx_t holds), GRL_METIS_ERROR, GRL_OUT_OF_MEMORY. */
int grl_partition_compute(grl_graph *G, int64_t k,
                          const grl_partition_options *opt, int64_t *part,
                          grl_partition_info *info, char *msg);

/* Edge cut, balance and boundary nodes of any assignment part[] into k parts. */
int grl_partition_evaluate(grl_graph *G, const int64_t *part, int64_t k,
                           grl_partition_info *info, char *msg);

/* A copy of G with its nodes renumbered so each part is contiguous: part p
 * holds new indices offsets[p] .. offsets[p+1]-1 (offsets: k+1 entries,
 * caller allocated), nodes keep their relative order inside a part, and
 * ids follow their nodes. */
int grl_graph_reorder(grl_graph **R, grl_graph *G, const int64_t *part,
                      int64_t k, int64_t *offsets, char *msg);

/* The halo of each part: the nodes outside it that share an arc (either
 * direction) with one of its nodes. Part p's halo is
 * (*nodes)[(*offsets)[p] .. (*offsets)[p+1]-1], ascending. Both arrays are
 * allocated by grl; release them with grl_free. */
int grl_partition_halos(int64_t **offsets, int64_t **nodes, grl_graph *G,
                        const int64_t *part, int64_t k, char *msg);

/* ---------------------------------------------------------------------------
 * Generators (igraph's games, seeded; for tests and benchmarks)
 * ------------------------------------------------------------------------ */
/* G(n, m): m distinct arcs/edges chosen uniformly, no self-loops. */
int grl_graph_generate_erdos_renyi(grl_graph **G, int64_t n, int64_t m,
                                   bool directed, uint64_t seed, char *msg);
/* Barabási–Albert preferential attachment, m_per_node edges per new node,
 * undirected, no multi-edges. */
int grl_graph_generate_barabasi_albert(grl_graph **G, int64_t n,
                                       int64_t m_per_node, uint64_t seed,
                                       char *msg);
/* Stochastic block model: nblocks blocks of block_sizes[b] nodes; pref is the
 * nblocks x nblocks row-major matrix of edge probabilities (symmetric when
 * undirected). Nodes are numbered block by block. */
int grl_graph_generate_sbm(grl_graph **G, int64_t nblocks,
                           const int64_t *block_sizes,
                           const double *pref, bool directed, uint64_t seed,
                           char *msg);

#ifdef __cplusplus
}
#endif
#endif
