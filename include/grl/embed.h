/*
 * grl/embed.h — node embeddings.
 *
 * FastRP (Chen, Sun, Yan, Zhu, Liu, Zhou, "Fast and Accurate Network
 * Embeddings via Very Sparse Random Projection", CIKM 2019). With S the
 * (weighted) adjacency along the propagation direction, D its weighted
 * degree diagonal and A = D^-1 S:
 *   R   n x d very sparse random projection, entries sqrt(s)*{+1, 0, -1} with
 *       probabilities 1/(2s), 1 - 1/s, 1/(2s) (s = sqrt(n) by default, Li,
 *       Hastie & Church; s = 3 is Achlioptas's choice, used by Neo4j GDS);
 *   L   diag(deg^beta): beta < 0 down-weights hubs (a node of degree 0 gets
 *       1 for beta <= 0, 0 for beta > 0);
 *   N_1 = A L R,  N_i = A N_{i-1};
 *   N   = self_influence * normalize(R) + sum_i alpha_i * normalize(N_i),
 *       normalize = row L2 normalisation (option), then every column is
 *       standardised to zero mean and unit variance (option).
 * Node-property features F (n x f) take a property_ratio share of the d
 * columns: their initial vectors are F P, P an f x d_p very sparse random
 * matrix built the same way, propagated like R.
 *
 * Randomness: row i of R comes from the RNG stream keyed by (seed, the
 * node's id key, see grl_graph_node_key), so the embedding is bit-identical
 * for any thread count and any order of lines in the input file.
 *
 * Memory: the graph (plus its cached transpose for GRL_PROPAGATE_IN, or a
 * symmetrised copy for GRL_PROPAGATE_BOTH) and three n x d float32 buffers,
 * one of which is the result.
 */
#ifndef GRL_EMBED_H
#define GRL_EMBED_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GRL_FASTRP_MAX_ITERATIONS 16

/* Which neighbours a node aggregates on a directed graph (undirected graphs
 * ignore this). */
typedef enum {
    GRL_PROPAGATE_OUT = 0, /* its out-neighbours (row i of A): the default,
                              as Neo4j GDS's natural orientation; a node is
                              described by what it points to              */
    GRL_PROPAGATE_IN,      /* its in-neighbours                           */
    GRL_PROPAGATE_BOTH,    /* both, as if the graph were undirected       */
} grl_propagation;

/* Names "out", "in", "both".
 * grl_propagation_parse: name (case-insensitive, not NULL) -> *value (not
 * NULL; untouched on error); msg GRL_MSG_LEN bytes or NULL. Errors:
 * GRL_INVALID_ARGUMENT (NULL argument, or an unknown name: msg lists the
 * names).
 * grl_propagation_name: value's name (static), NULL for a value out of
 * range. Both are thread-safe. */
int grl_propagation_parse(const char *name, grl_propagation *value, char *msg);
const char *grl_propagation_name(grl_propagation value);

typedef struct {
    int64_t dim;              /* d, default 128                                  */
    int iterations;           /* k = number of weights used, 1..16, default 3    */
    double weights[GRL_FASTRP_MAX_ITERATIONS]; /* alpha_1..alpha_k, default
                                 0, 1, 1 (Neo4j GDS's default)                */
    double beta;              /* normalisation strength, default 0              */
    double sparsity;          /* s >= 1; 0 (default) means sqrt(n)              */
    double self_influence;    /* weight of the node's own initial vector, 0     */
    bool normalize;           /* row L2 of each power, default true             */
    bool standardize;         /* column standardisation, default true           */
    grl_propagation direction;/* default GRL_PROPAGATE_OUT                      */
    uint64_t seed;            /* default 42                                     */
    GrB_Matrix features;      /* n x f node properties (any real type), or NULL */
    double property_ratio;    /* share of d given to features, in [0, 1], 0     */
} grl_fastrp_options;

/* Fill *opt with the defaults above (features NULL, property_ratio 0).
 *   opt  the caller's struct; NULL: nothing happens */
void grl_fastrp_options_init(grl_fastrp_options *opt);

/* Embed every node of G. Isolated nodes get a zero row before
 * standardisation (plus their self-influence term); no output is ever NaN
 * or Inf: a beta, weights or features that would overflow single precision
 * are a GRL_INVALID_ARGUMENT error (edge weights are divided by the degree
 * in double, so large ones are fine). Bit-identical for any thread count
 * and any line order of G's file (see Randomness above).
 *   emb  out: the new n x dim embedding, row i = node i (release with
 *        grl_dense_free); NULL on error; not NULL itself
 *   G    the graph; not NULL. Its matrix is borrowed for the duration of
 *        the call (do not use G concurrently from another thread); intact
 *        on return. GRL_PROPAGATE_IN computes and caches G's transpose
 *        (see grl_graph_transpose) and borrows that instead
 *   opt  the parameters above; NULL for the defaults. opt->features, if
 *        not NULL, is the caller's n x f matrix, read only
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL emb or G; dim < 1, iterations outside
 * 1..GRL_FASTRP_MAX_ITERATIONS, a weight, beta or self_influence not
 * finite, sparsity neither 0 nor a finite value >= 1, property_ratio
 * outside [0, 1], an unknown direction, features without n rows, n x dim
 * beyond int64; deg^beta, the features or the embedding overflowing
 * float32), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_fastrp_embed(grl_dense **emb, grl_graph *G,
                     const grl_fastrp_options *opt, char *msg);

/* Read node features for G from a text file of `node feature value` lines
 * (exactly three whitespace-separated fields; node ids as in G's file;
 * feature ids non-negative integers; finite values; blank lines and lines
 * starting with # or % skipped; a dense one-row-per-node file is refused).
 * Duplicate (node, feature) pairs add up.
 *   F     out: a new n x f GrB_FP64 matrix, f = largest feature id + 1 (0
 *         for a file without data lines), that the caller owns (GrB_free;
 *         pass it as grl_fastrp_options.features); NULL on error; not NULL
 *         itself
 *   G     the graph whose ids the file names, read only; not NULL
 *   path  the file; not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL; errors name the
 *         file and line
 * Errors: GRL_INVALID_ARGUMENT (NULL argument), GRL_IO_ERROR (cannot open
 * or read), GRL_PARSE_ERROR (a line without exactly three fields, a bad
 * feature id (or one >= 2^60) or value, repeated pairs summing to an
 * infinity),
 * GRL_NOT_FOUND (a node that G does not have), GRL_OUT_OF_MEMORY, a
 * GrB_Info. */
int grl_features_load(GrB_Matrix *F, grl_graph *G, const char *path,
                      char *msg);

#ifdef __cplusplus
}
#endif
#endif
