/*
 * grl/linkpred.h — link prediction: the common-neighbour family of local
 * similarity indices, path-based indices, per-node top-k candidates, edge
 * splits, negative sampling and the standard metrics.
 *
 * Neighbourhoods. Self-loops are ignored everywhere in this module: the
 * predictors work on A, the graph's matrix without its diagonal. Each
 * common-neighbour predictor is a sum over the middle nodes z of two-step
 * paths u -X-> z -Y-> v, where X and Y are A or its transpose as chosen by
 * the pattern (directed graphs; undirected graphs have X = Y = A):
 *
 *   pattern            X    Y    z is            S(u)        T(v)
 *   SUCCESSORS  A Aᵀ   A    Aᵀ   shared successor out(u)     out(v)
 *   PREDECESSORS AᵀA   Aᵀ   A    shared predecessor in(u)    in(v)
 *   PATH        A A    A    A    u -> z -> v      out(u)     in(v)
 *   REVERSE     AᵀAᵀ   Aᵀ   Aᵀ   v -> z -> u      in(u)      out(v)
 *
 * so Γ(u) ∩ Γ(v) below means S(u) ∩ T(v) = { z : X(u,z) and Y(z,v) }, and
 * k(u) = |S(u)|, k(v) = |T(v)|, k(z) = |row z of Y| (the number of ways z
 * continues the second step; the degree of z when undirected). Weighted
 * variants use w(a,b) = A(a,b)^alpha and strengths s(u) = Σ_b w(u,b) over
 * S(u) (likewise s(v) over T(v), s(z) over row z of Y).
 *
 * Predictors (Zhou, Lü & Zhang, Eur. Phys. J. B 71, 2009, "Predicting
 * missing links via local information"), CN = |Γ(u) ∩ Γ(v)|; a ratio whose
 * denominator is 0 scores 0:
 *   CN        CN
 *   JACCARD   CN / (k(u) + k(v) - CN)            = |Γ(u)∩Γ(v)| / |Γ(u)∪Γ(v)|
 *   SALTON    CN / sqrt(k(u) k(v))               (cosine)
 *   SORENSEN  2 CN / (k(u) + k(v))
 *   HPI       CN / min(k(u), k(v))               hub promoted
 *   HDI       CN / max(k(u), k(v))               hub depressed
 *   LHN       CN / (k(u) k(v))                   Leicht–Holme–Newman
 *   PA        k(u) k(v)                          preferential attachment
 *   AA        Σ_{z ∈ Γ(u)∩Γ(v)} 1 / log k(z)     Adamic–Adar (a middle node
 *             with k(z) < 2, possible only on directed patterns, adds 0)
 *   RA        Σ_{z ∈ Γ(u)∩Γ(v)} 1 / k(z)         resource allocation
 * Path-based (on directed graphs they count directed paths u -> ... -> v
 * along A; the pattern does not apply):
 *   LP        (A² + ε A³)(u,v)                   local path (Lü, Jin & Zhou,
 *             Phys. Rev. E 80, 2009), ε = opt->epsilon
 *   KATZ      Σ_{l=1..L} β^l (A^l)(u,v)          truncated Katz (Katz,
 *             Psychometrika 18, 1953), β = opt->beta, L = opt->katz_length
 *
 * Weighted variants (opt->weighted), Lü & Zhou, EPL 89, 2010, "Link
 * prediction in weighted networks: the role of weak ties":
 *   CN  Σ_z w(u,z) + w(z,v)
 *   AA  Σ_z (w(u,z) + w(z,v)) / log(1 + s(z))
 *   RA  Σ_z (w(u,z) + w(z,v)) / s(z)
 *   PA  s(u) s(v)
 *   LP and KATZ use the weighted matrix W = A^alpha in place of A (weighted
 *   path sums).
 * The other indices have no weighted form in that literature; asking for one
 * is GRL_UNSUPPORTED.
 *
 * Computation. Scoring a list of pairs is one masked sparse product
 * C<M> = X D Y with M the pairs (built with one GrB_Matrix_build), D the
 * method's diagonal weighting of the middle nodes (none for CN:
 * GxB_PLUS_PAIR; 1/k(z) for RA; 1/log k(z) for AA, by a degree-scaled copy
 * of X), computed as dot products of rows of X with rows of Yᵀ, then an
 * elementwise combination with the degrees; weighted sums take two such
 * products (PLUS_FIRST and PLUS_SECOND). LP and KATZ with L <= 3 add masked
 * path terms: A<M>, (A A)<M>, and A³<M> = (A (A A)<M1>)<M> where
 * M1 = Aᵀ M holds the pairs (a, v) with a an out-neighbour of a source of v,
 * so no multi-hop row is ever formed; KATZ with L > 3 forms the powers of
 * blocks of source rows. Top-k forms the two-step (or L-step) rows of a block
 * of sources under the complement of their adjacency.
 *
 * Memory: the graph, its cached transpose (directed graphs), a copy without
 * self-loops when the graph has some, a weighted or degree-scaled copy for
 * AA/RA/weighted methods (one more matrix of the graph's size), the pair mask
 * and its product (about 40 bytes per pair); LP and KATZ (L <= 3) add M1 and
 * its product, about 40 bytes x (mean degree) per pair; top-k and KATZ
 * (L > 3) add one block of the multi-hop product, at most opt->block_entries
 * entries (default 2^24, about 0.5 GiB) — more only when a single source's
 * row exceeds it.
 *
 * Threads: every result is bit-identical for any thread count.
 */
#ifndef GRL_LINKPRED_H
#define GRL_LINKPRED_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    GRL_LINKPRED_CN = 0,
    GRL_LINKPRED_JACCARD,
    GRL_LINKPRED_SALTON,
    GRL_LINKPRED_SORENSEN,
    GRL_LINKPRED_HPI,
    GRL_LINKPRED_HDI,
    GRL_LINKPRED_LHN,
    GRL_LINKPRED_PA,
    GRL_LINKPRED_AA,
    GRL_LINKPRED_RA,
    GRL_LINKPRED_LP,
    GRL_LINKPRED_KATZ,
    GRL_LINKPRED_NMETHODS
} grl_linkpred_method;

/* The common-neighbour pattern on directed graphs (see the table above). */
typedef enum {
    GRL_LINKPRED_SUCCESSORS = 0, /* A Aᵀ: shared successors (default)   */
    GRL_LINKPRED_PREDECESSORS,   /* Aᵀ A: shared predecessors           */
    GRL_LINKPRED_PATH,           /* A A: u -> z -> v                    */
    GRL_LINKPRED_REVERSE_PATH,   /* Aᵀ Aᵀ: v -> z -> u                  */
} grl_linkpred_pattern;

typedef struct {
    grl_linkpred_method method;   /* default GRL_LINKPRED_RA                */
    grl_linkpred_pattern pattern; /* directed graphs only, default SUCCESSORS */
    bool weighted;                /* weighted variant, default false         */
    double alpha;                 /* weight exponent, default 1              */
    double epsilon;               /* LP's ε, default 0.01                    */
    double beta;                  /* KATZ's β, default 0.01                  */
    int katz_length;              /* KATZ's L, 1..8, default 3               */
    int64_t block_entries;        /* bound on a block's multi-hop product,
                                     default 2^24 entries                    */
    /* Called on the calling thread as work completes: topk after each block
     * of source nodes (done of total sources), score after each block of
     * pairs (done of total pairs; one call when a single product serves
     * them all); NULL (default) for none. Never changes the result. */
    void (*progress)(int64_t done, int64_t total, void *ctx);
    void *progress_ctx;
} grl_linkpred_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_linkpred_options_init(grl_linkpred_options *opt);

/* Names: methods "cn", "jaccard", "salton", "sorensen", "hpi", "hdi", "lhn",
 * "pa", "aa", "ra", "lp", "katz"; patterns "successors", "predecessors",
 * "path", "reverse-path".
 * grl_<enum>_parse: name (case-insensitive, not NULL) -> *value (not NULL;
 * untouched on error); msg GRL_MSG_LEN bytes or NULL. Errors:
 * GRL_INVALID_ARGUMENT (NULL argument, or an unknown name: msg lists the
 * names).
 * grl_<enum>_name: value's name (static), NULL for a value out of range
 * (GRL_LINKPRED_NMETHODS included). All are thread-safe. */
int grl_linkpred_method_parse(const char *name, grl_linkpred_method *value, char *msg);
const char *grl_linkpred_method_name(grl_linkpred_method value);
int grl_linkpred_pattern_parse(const char *name, grl_linkpred_pattern *value, char *msg);
const char *grl_linkpred_pattern_name(grl_linkpred_pattern value);

/* Score candidate pairs with one predictor. Pairs need not be non-edges.
 * Bit-identical for any thread count.
 *   G       the graph; not NULL. Read during the call, and on a directed
 *           graph without self-loops its transpose is computed and cached
 *           (see grl_graph_transpose): do not use G from another thread
 *           meanwhile. Unchanged on return
 *   u, v    npairs node indices each, in 0..n-1 (read only; repeated pairs
 *           and u = v allowed); may be NULL when npairs = 0
 *   npairs  number of pairs, >= 0
 *   opt     method, pattern, weighting, parameters, progress callback;
 *           NULL for the defaults
 *   score   out: score[k] = the method's index of (u[k], v[k]) (npairs
 *           doubles, caller allocated; not NULL); undefined after an error
 *   msg     GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G or score, NULL u or v with
 * npairs > 0, npairs < 0, a node out of range: msg names the pair; an
 * unknown method or pattern, alpha, epsilon or beta not finite,
 * katz_length outside 1..8, block_entries < 1; scores overflowing double:
 * msg names the parameter to lower), GRL_UNSUPPORTED (weighted with a
 * method that has no weighted form), GRL_NOT_INITIALIZED,
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_linkpred_score(grl_graph *G, const int64_t *u, const int64_t *v,
                       int64_t npairs, const grl_linkpred_options *opt,
                       double *score, char *msg);

/* The k best new links of each source node. A candidate v of u is v != u
 * not linked from u (no arc u -> v; undirected: no edge) that the method
 * reaches: two-step pattern paths for the common-neighbour family, paths
 * of length 2..3 for LP and 2..L for KATZ, any node for PA. Sources are
 * processed in blocks within opt->block_entries. Bit-identical for any
 * thread count.
 *   G       the graph, as for grl_linkpred_score (PA also borrows its
 *           matrix in place: intact on return); not NULL
 *   nodes   nnodes source node indices in 0..n-1 (read only; repeats
 *           allowed), or NULL for all n nodes
 *   nnodes  number of sources, >= 0 (ignored, taken as n, when nodes is
 *           NULL)
 *   k       candidates per source, >= 1
 *   opt     as for grl_linkpred_score; NULL for the defaults
 *   cand    out: row i (k entries) lists source i's candidates by
 *           decreasing score, ties by increasing index; missing candidates
 *           are -1 (nnodes x k int64, caller allocated; not NULL)
 *   score   out: their scores, 0 for missing ones (nnodes x k doubles,
 *           caller allocated; not NULL)
 *   msg     GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: those of grl_linkpred_score for G and opt, GRL_INVALID_ARGUMENT
 * (NULL G, cand or score, k < 1, nnodes < 0, a source out of range,
 * nnodes x k beyond int64), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_linkpred_topk(grl_graph *G, const int64_t *nodes, int64_t nnodes,
                      int64_t k, const grl_linkpred_options *opt,
                      int64_t *cand, double *score, char *msg);

/* ---------------------------------------------------------------------------
 * Topological concentration (Wang, Zhao, Zhao, Liu, Cheng, Shah & Derr, "A
 * Topological Perspective on Demystifying GNN-Based Link Prediction
 * Performance", ICLR 2024): how much a node's local subgraph overlaps those
 * of its neighbours, the node-level predictor of link-prediction quality.
 * Our reading of the paper's definition, with H^k_i the nodes at distance
 * exactly k from i and N(i) = H^1_i on the symmetric structure of G (A ∪ Aᵀ
 * when directed; self-loops and weights ignored):
 *   TC^K_i = 1/|N(i)| Σ_{j ∈ N(i)} Σ_{a=1..K} Σ_{b=1..K}
 *            β^{a+b-2} |H^a_i ∩ H^b_j| / |H^a_i ∪ H^b_j|
 * (an overlap with an empty union counts 0; TC = 0 for an isolated node).
 * K = 1 is the mean Jaccard index of i with its neighbours, which counts the
 * triangles through i's edges. Compute it on the training graph.
 * Memory: the hop levels H^1..H^K as sparse matrices (H^2 holds every pair
 * at distance 2) and one overlap matrix with an entry per edge.
 * ------------------------------------------------------------------------ */
#define GRL_LINKPRED_TC_MAX_HOPS 3

typedef struct {
    int hops;    /* K, 1..GRL_LINKPRED_TC_MAX_HOPS (1)                     */
    double beta; /* the decay β of farther hops, finite (0.5)               */
} grl_concentration_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_concentration_options_init(grl_concentration_options *opt);

/* Topological concentration of every node.
 *   G    the graph (its symmetric structure is used)
 *   opt  hops and beta; NULL for the defaults
 *   tc   out: tc[i] = TC^K_i (n doubles, caller allocated)
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * G is only read (a symmetrised copy of its structure is built). Bit-
 * identical for any thread count. Errors:
 * GRL_INVALID_ARGUMENT (NULL argument, hops or beta out of range, a beta
 * whose powers overflow), GRL_NOT_INITIALIZED, GRL_OUT_OF_MEMORY, a
 * GrB_Info. */
int grl_linkpred_concentration(grl_graph *G,
                               const grl_concentration_options *opt,
                               double *tc, char *msg);

/* ---------------------------------------------------------------------------
 * Evaluation
 * ------------------------------------------------------------------------ */

/* A train/validation/test split of G's edges. */
typedef struct {
    grl_graph *train;       /* G's nodes (same indices, ids 0..n-1) and the
                               training edges, weights and self-loops kept */
    int64_t *valid_u, *valid_v, nvalid; /* held-out validation edges      */
    int64_t *test_u, *test_v, ntest;    /* held-out test edges            */
} grl_edge_split;

typedef struct {
    double valid_fraction; /* share of edges for validation, >= 0 (0.05)   */
    double test_fraction;  /* share for test, >= 0, with valid <= 1 (0.1)  */
    bool keep_connected;   /* keep a spanning forest in training (false)   */
    uint64_t seed;         /* 1                                            */
} grl_edge_split_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_edge_split_options_init(grl_edge_split_options *opt);

/* Split the edges of G (undirected: each edge once; directed: each arc;
 * self-loops always stay in training): round(test_fraction m) edges to
 * test, round(valid_fraction m) to validation, the rest to training. Edges
 * are ordered by a random priority drawn from the stream keyed by their end
 * nodes' id keys (grl_graph_node_key), so the split depends only on the seed
 * and the graph, not on thread count or line order. keep_connected: a
 * spanning forest of G (Kruskal over the same random order, union-find)
 * stays in training, so the training graph has G's weakly connected
 * components; it fails if too few other edges remain.
 *   S    out: the new split (free with grl_edge_split_free); NULL on error
 *   G    the graph to split (unchanged)
 *   opt  fractions, keep_connected and seed; NULL for the defaults
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, fractions out of range, too
 * few edges outside the spanning forest), GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_edge_split_new(grl_edge_split **S, grl_graph *G,
                       const grl_edge_split_options *opt, char *msg);

/* Free *S (its training graph and arrays too) and set *S to NULL.
 *   S  the caller's pointer; S or *S NULL: nothing happens */
void grl_edge_split_free(grl_edge_split **S);

/* Negative pairs drawn uniformly, with replacement, from the non-edges
 * of G: u != v and no arc u -> v (undirected: no edge; both orders can be
 * drawn). Draw k uses RNG stream k of `seed`, so the pairs are
 * bit-identical for any thread count (they depend on node indices, not
 * ids).
 *   G      the graph; not NULL. Its matrix is borrowed during the call (do
 *          not use G from another thread meanwhile); intact on return
 *   count  number of pairs, >= 0
 *   seed   any value
 *   u, v   out: count node indices each (caller allocated; may be NULL
 *          when count = 0)
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G, count < 0, NULL u or v with
 * count > 0, a G without non-edges: complete, or fewer than 2 nodes),
 * GRL_NOT_INITIALIZED, a GrB_Info. */
int grl_linkpred_negatives(grl_graph *G, int64_t count, uint64_t seed,
                           int64_t *u, int64_t *v, char *msg);

/* The standard metrics of positive scores against negative scores. */
typedef struct {
    double auc;     /* P(positive > negative), ties count 1/2 (Mann–Whitney) */
    double ap;      /* average precision: Σ_t (R_t - R_{t-1}) P_t over the
                       distinct score thresholds t in decreasing order (as
                       scikit-learn's average_precision_score)               */
    double hits20, hits50, hits100; /* Hits@K, OGB's semantics (below)      */
    double mrr;     /* mean over positives of 1 / rank among the negatives,
                       rank = 1 + #{neg > pos} + #{neg = pos} / 2 (OGB's
                       tie-averaged rank, the negatives shared by all
                       positives)                                           */
} grl_linkpred_metrics;

/* Hits@K as OGB's evaluator: the share of positives scoring strictly above
 * the K-th highest negative score (ties are misses); 1 when there are fewer
 * than K negatives.
 *   pos, npos  npos >= 1 finite scores of positive pairs, read only
 *   neg, nneg  nneg >= 1 finite scores of negative pairs, read only
 *   K          >= 1
 *   hits       out: Hits@K in [0, 1]; not NULL
 *   msg        GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, npos or nneg < 1, K < 1, a
 * score not finite), GRL_OUT_OF_MEMORY. */
int grl_linkpred_hits(const double *pos, int64_t npos, const double *neg,
                      int64_t nneg, int64_t K, double *hits, char *msg);

/* All metrics above.
 *   pos, npos  npos >= 1 finite scores of positive pairs, read only
 *   neg, nneg  nneg >= 1 finite scores of negative pairs, read only
 *   m          out: every field, caller allocated; not NULL
 *   msg        GRL_MSG_LEN bytes for the error message, or NULL
 * Deterministic. Errors: GRL_INVALID_ARGUMENT (NULL argument, npos or
 * nneg < 1, a score not finite), GRL_OUT_OF_MEMORY. */
int grl_linkpred_evaluate(const double *pos, int64_t npos, const double *neg,
                          int64_t nneg, grl_linkpred_metrics *m, char *msg);

#ifdef __cplusplus
}
#endif
#endif
