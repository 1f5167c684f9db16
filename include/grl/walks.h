/*
 * grl/walks.h — random walks and personalized PageRank.
 *
 * Random walks (a corpus for word2vec-style embeddings): uniform, weighted
 * by edge weight, node2vec second order (Grover & Leskovec, KDD 2016) by
 * rejection sampling (KnightKing, SOSP 2019: O(m) memory, no per-edge alias
 * tables), with restarts, and the self-repellent random walk (SRRW, Doshi,
 * Hu, Eun, ICML 2023). Walk w reads RNG stream (seed, w) only, so a corpus
 * is bit-identical for any thread count. Walks read the graph's CSR arrays
 * in place (GraphBLAS unpack/pack, no copy).
 *
 * Personalized PageRank (PPR), one model for every method. With teleport
 * probability alpha (default 0.15) and P row-stochastic over out-arcs
 * (P(i,j) = A(i,j) / sum_j A(i,j) on a weighted graph, 1/outdeg otherwise):
 *
 *     p_u = alpha e_u + (1 - alpha) p_u P~_u,
 *
 * P~_u is P with each dangling row (no out-arcs) replaced by e_u
 * (GRL_DANGLING_SOURCE, the default: jump back to the source) or by the
 * uniform distribution (GRL_DANGLING_UNIFORM).
 *
 * How every method agrees on dangling nodes. Each method estimates the
 * "killed" vector q_u = alpha e_u (I - (1-alpha) P)^-1 (P keeps its zero
 * dangling rows: a walk that would leave a dangling node ends), which is
 * linear in u, so fingerprints and PowerWalk's decomposition apply to it
 * unchanged. Multiplying q_u (I - (1-alpha)P) = alpha e_u by the all-ones
 * vector gives |q_u|_1 = 1 - (1-alpha)/alpha * q_u(D), D the dangling nodes,
 * and substituting the dangling rows gives exactly
 *     source policy:   p_u = q_u / |q_u|_1                       (renewal)
 *     uniform policy:  p_u = q_u + (1-alpha)/alpha * q_u(D) * g,
 * g the global PageRank with uniform teleport and uniform dangling jumps
 * (computed exactly once per call). Every method applies this same final
 * step to its estimate of q_u (exactly for the exact method). On graphs
 * without dangling nodes q_u = p_u and the step does nothing.
 *
 * Methods:
 *  - exact: power iteration in GraphBLAS on n x k dense blocks, one sparse x
 *    dense product per iteration for k sources, until the L1 change of every
 *    column is below `tol` (the remaining error is below
 *    tol (1-alpha)/alpha).
 *  - push: forward push (Andersen, Chung, Lang, FOCS 2006) until every
 *    residual r(v) <= r_max * outdeg(v); estimates are lower bounds and
 *    the L1 error is at most r_max * (arcs + dangling nodes).
 *  - mc: Monte Carlo fingerprints (Fogaras et al. 2005; PowerWalk's MCFP):
 *    R walks from u, each ending with probability alpha at every step,
 *    counting every visit: q^(u) = alpha * visits / R. From an index (the
 *    row of u) or, without one, `mc_walks` walks on the fly; walk j of u
 *    uses stream (seed, u * R + j), so both give the same bits.
 *  - powerwalk: PowerWalk's online query (Liu et al., CIKM 2016, Alg. 2):
 *    s = 0, f = e_u; rounds of s += alpha f, f = (1-alpha) f P with
 *    entries below `drop` removed; then q^ = s + sum_v f(v) q^_v with the
 *    fingerprints q^_v of the index. Exact in expectation up to the drops,
 *    since q_u = sum_{t<T} alpha (1-alpha)^t e_u P^t + (1-alpha)^T e_u P^T Q
 *    for any T. Each source stops once |f|_1 <= residual |s'|_1, s' = s
 *    without round 0's alpha e_u (the Monte Carlo part is then small against
 *    the mass spread beyond the source), or after `rounds` rounds; see the
 *    options for the measured trade.
 *    A batch is sparse x sparse products with one row per source.
 *  - powerpush: PowerPush (Wu, Gan, Wei, Zhang, SIGMOD 2021): forward push
 *    with a queue while the residual is on few nodes, then passes over all
 *    nodes in index order (conjugate gradients on undirected graphs,
 *    over-relaxed push sweeps on directed ones), until the residual mass
 *    is at most `tol`: |q^ - q_u|_1 <= tol (walks/ppr_powerpush.c). The final
 *    step keeps it under tol on graphs without dangling nodes; with the
 *    source policy, dividing by |q_u|_1 >= alpha can raise it to
 *    2 tol / alpha. One source per thread.
 *  - fora: FORA (Wang, Yang, Xiao, Wei, Yang, KDD 2017): forward push with
 *    r_max, then from each node v with residual r(v) > 0, x = r(v) W /
 *    r_sum walks rounded at random (floor(x), plus one with probability
 *    x - floor(x): unbiased, and no walk for most of the many nodes with
 *    tiny residuals, where FORA's ceil(x) starts one each), each adding
 *    r_sum / W to its end node, with
 *        W = r_sum (2 + 2 eps/3) ln(2 / (delta p_f)) / (eps^2 delta).
 *    Each walk's contribution (the extra walk's counted as 0 when not
 *    taken) lies in [0, r_sum / W], independently; the Chernoff bound for
 *    bounded variables (Chung & Lu 2006, Thm. 2.7) gives, for a node with
 *    q_u(t) >= delta, P(|q^ - q| >= eps q) <= 2 exp(-eps^2 delta W /
 *    (r_sum (2 + 2eps/3))) = delta p_f, and a union over the at most 1/delta
 *    such nodes gives: |q^(t) - q(t)| <= eps q(t) for every t with
 *    q(t) >= delta, with probability >= 1 - p_f. (FORA's paper states
 *    ln(2/p_f) per target; the 1/delta union makes it hold for all targets
 *    at once.) r_max defaults to FORA's balance of push and walk cost,
 *    eps sqrt(delta / ((2 + 2eps/3) m ln(2/(delta p_f)))). On graphs with
 *    dangling nodes the guarantee is on q_u; the final normalisation can
 *    move it by the relative error of |q_u|_1.
 *  - speedppr: SpeedPPR (Wu, Gan, Wei, Zhang, SIGMOD 2021): PowerPush's
 *    queue and plain sweeps until every r(v) <= r_max max(outdeg(v), 1)
 *    (r_max default r_sum / W, SpeedPPR's choice: node v then starts at
 *    most outdeg(v) + 1 walks), then FORA's walk phase below, with FORA's
 *    guarantee (it holds for any residuals the push leaves).
 *
 * Determinism: results are bit-identical for any thread count (each source
 * or walk has its own RNG stream and is summed by one thread).
 *
 * Memory (n nodes, m arcs, k sources in a batch, T threads): walks borrow
 * the graph (weighted walks add 8 bytes per arc of cumulative weights, SRRW
 * 4n bytes per thread); exact holds P^T (12 bytes per arc) and three n x k
 * double blocks (grl_ppr_top bounds k so a block is <= 128 MiB); push, mc,
 * fora and speedppr hold 3 n-vectors per thread (powerpush on an
 * undirected graph 6); an index holds about n R / alpha
 * entries at 16 bytes each (R = 100, alpha = 0.15: up to 10.7 kB per node).
 */
#ifndef GRL_WALKS_H
#define GRL_WALKS_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Random walks
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t length;          /* nodes per walk, the start included (80)      */
    int64_t walks_per_node;  /* walks from each start node (10)              */
    bool weighted;           /* follow edge weights if the graph has any
                                (true); false: uniform over out-arcs         */
    double p, q;             /* node2vec return p and in-out q (1, 1: first
                                order). A candidate x after the move t -> v
                                is kept with weight 1/p if x = t, 1 if the
                                arc t -> x exists, 1/q otherwise             */
    double restart;          /* probability, before each step, of jumping
                                back to the start node (0)                   */
    double srrw_alpha;       /* self-repellence alpha >= 0 (0: off). From i,
                                j is chosen with probability proportional to
                                P(i,j) (x_j / mu_j)^-alpha, x the walk's
                                empirical visit frequencies started at
                                x_0 = mu (so x_j / mu_j is proportional to
                                1 + c_j / mu_j, c_j the visits so far, start
                                included), mu the degree-proportional
                                stationary distribution. Undirected graphs
                                only; not combined with node2vec            */
    uint64_t seed;           /* 42                                          */
} grl_walk_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_walk_options_init(grl_walk_options *opt);

/* A walk generator holding G's CSR arrays: while it exists, do not use G in
 * any other way (its matrix is lent to the walker). */
typedef struct grl_walker grl_walker;

/* Check the options and borrow G for walking (weighted walks build the
 * cumulative weights, SRRW the stationary distribution; when its offsets
 * fit 32 bits (3 n + arcs a little under 2^32), a copy of the rows laid
 * out for walking, 4 bytes an arc and about 16 a node, which makes the
 * walks faster and is skipped without changing them when memory is short).
 *   W    out: the new walker (release with grl_walker_free, which hands
 *        G's matrix back); NULL on error; not NULL itself
 *   G    the graph; not NULL. Its matrix is lent to the walker until
 *        grl_walker_free: meanwhile do not use G in any other way, and free
 *        the walker before G. SRRW computes and caches G's degrees
 *   opt  the walk parameters above (copied); NULL for the defaults
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL W or G; length or walks_per_node
 * < 1; p or q not > 0 and finite with a finite inverse; restart outside
 * [0, 1); srrw_alpha negative or not finite; SRRW on a directed graph or
 * with node2vec's p, q), GRL_NOT_INITIALIZED, GRL_OUT_OF_MEMORY, a
 * GrB_Info. G is intact after an error. */
int grl_walker_new(grl_walker **W, grl_graph *G, const grl_walk_options *opt,
                   char *msg);

/* Run walks first .. first+count-1. Walk w starts at starts[w % nstarts]
 * (starts NULL: node w % n) and uses RNG stream (seed, w); so with
 * opt->walks_per_node = r the walks of "round" k are k*nstarts ..
 * (k+1)*nstarts-1. A walk that reaches a node without out-arcs stops there
 * (the rest of its row is -1), unless restart > 0, when it jumps back to
 * its start. Bit-identical for any thread count and any split of a range
 * into calls. One call at a time per walker.
 *   W        the walker; not NULL
 *   starts   nstarts start nodes in 0..n-1 (read only; repeats allowed),
 *            or NULL for every node (nstarts is then ignored)
 *   nstarts  number of starts, >= 1 when starts is given and count > 0
 *   first    the first walk's number, >= 0 (first + count within int64)
 *   count    number of walks, >= 0 (0: nothing is done)
 *   out      out: count x length node indices, row-major (walk first + i
 *            in row i), caller allocated; may be NULL when count = 0
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL W or out, first or count negative,
 * count x length or first + count beyond int64, no start nodes, a start
 * out of range), GRL_OUT_OF_MEMORY (SRRW's per-thread visit counts). */
int grl_walker_run(grl_walker *W, const int64_t *starts, int64_t nstarts,
                   int64_t first, int64_t count, int64_t *out, char *msg);

/* Hand G's matrix back and free *W; sets *W to NULL. G is usable again.
 *   W  the caller's pointer; W or *W NULL: nothing happens */
void grl_walker_free(grl_walker **W);

/* All walks at once: walks_per_node walks from each of the nstarts starts
 * (starts NULL: every node), in the order of grl_walker_run (a walker is
 * made and freed inside).
 *   walks    out: *count x opt->length node indices, row-major, allocated
 *            by grl (release with grl_free); NULL on error; not NULL itself
 *   count    out: the number of walks, nstarts x walks_per_node (0 on
 *            error, or without starts: then *walks is an empty array,
 *            still to be released); not NULL
 *   G        the graph; not NULL. Borrowed during the call (do not use G
 *            from another thread meanwhile); intact on return
 *   starts   nstarts start nodes in 0..n-1, or NULL for every node
 *   nstarts  number of starts, >= 0 (ignored when starts is NULL)
 *   opt      the walk parameters; NULL for the defaults
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: those of grl_walker_new and grl_walker_run, GRL_INVALID_ARGUMENT
 * (NULL walks, count or G; nstarts < 0; the walk count or output size
 * beyond int64), GRL_OUT_OF_MEMORY. */
int grl_walks_generate(int64_t **walks, int64_t *count, grl_graph *G,
                       const int64_t *starts, int64_t nstarts,
                       const grl_walk_options *opt, char *msg);

/* ---------------------------------------------------------------------------
 * Personalized PageRank
 * ------------------------------------------------------------------------ */
typedef enum {
    GRL_PPR_EXACT = 0,
    GRL_PPR_PUSH,
    GRL_PPR_MC,
    GRL_PPR_POWERWALK,
    GRL_PPR_FORA,
    GRL_PPR_POWERPUSH,
    GRL_PPR_SPEEDPPR,
} grl_ppr_method;

typedef enum {
    GRL_DANGLING_SOURCE = 0, /* a dangling node's mass jumps to the source  */
    GRL_DANGLING_UNIFORM,    /* ... to a uniformly random node              */
} grl_dangling_policy;

/* Names: methods "exact", "push", "mc", "powerwalk", "fora", "powerpush",
 * "speedppr";
 * dangling policies "source", "uniform".
 * grl_<enum>_parse: name (case-insensitive, not NULL) -> *value (not NULL;
 * untouched on error); msg GRL_MSG_LEN bytes or NULL. Errors:
 * GRL_INVALID_ARGUMENT (NULL argument, or an unknown name: msg lists the
 * names).
 * grl_<enum>_name: value's name (static), NULL for a value out of range.
 * All are thread-safe. */
int grl_ppr_method_parse(const char *name, grl_ppr_method *value, char *msg);
const char *grl_ppr_method_name(grl_ppr_method value);
int grl_dangling_policy_parse(const char *name, grl_dangling_policy *value, char *msg);
const char *grl_dangling_policy_name(grl_dangling_policy value);

/* The most random walks one source (or one node of an index) may ask for:
 * Monte Carlo, FORA and index builds beyond it would run for hours. */
#define GRL_PPR_MAX_WALKS ((int64_t)1000000000000)

/* Monte Carlo fingerprints of every node (an index for mc and powerwalk). */
typedef struct grl_ppr_index grl_ppr_index;

typedef struct {
    grl_ppr_method method;        /* GRL_PPR_EXACT                          */
    double alpha;                 /* teleport probability, 0.15             */
    grl_dangling_policy dangling; /* GRL_DANGLING_SOURCE                    */
    double tol;                   /* exact: L1 change to stop at; powerpush:
                                     the L1 error bound; 1e-10              */
    int max_iter;                 /* exact: iteration limit, 10000          */
    double r_max;                 /* residual threshold; 0 (default): push
                                     1e-7, fora FORA's balance, speedppr
                                     r_sum / W (below)                      */
    int64_t mc_walks;             /* mc without index: walks per source,
                                     10000                                  */
    const grl_ppr_index *index;   /* powerwalk: required; mc: optional      */
    /* powerwalk: a source stops after the first round t with
     * |f_t|_1 <= residual * |s'_t|_1, s' = s less round 0's alpha e_u
     * (residual 0.25; 0: always run `rounds`), or at t = rounds (50, a cap).
     * The ratio falls at least as fast as on a graph that loses no mass,
     * (1-alpha)^(t-1) / (1 - (1-alpha)^(t-1)), so with alpha 0.15 every
     * source stops by t = 11 (residual 0.25), 14 (0.15) or 16 (0.1); sources
     * whose walks end at dangling nodes stop earlier.
     * `drop`: f entries below it are removed each round (1e-6).
     * Measured with an R = 100 index: precision@100 against exact PPR over
     * 100 sources spread across degree buckets (mean of 3 index seeds; 1 on
     * BlogCatalog), and the median top-100 latency of one source (1 thread,
     * ms, mean of two runs on a shared 2-core VM); (d) directed. T=3 is
     * 3 fixed rounds, the default before the rule:
     *                             precision@100         latency, ms
     *   graph (n)              T=3   0.25  0.1     T=3   0.25  0.1  exact
     *   CA-GrQc (5,242)        0.898 0.982 0.992   0.30  2.9   3.6   9.7
     *   Cora (2,708)           0.891 0.985 0.994   0.19  1.2   1.5   2.6
     *   email-Eu-core (d, 1k)  0.975 0.996 0.998   0.33  0.81  1.0   3.1
     *   p2p-Gnutella08 (d, 6k) 0.972 0.990 0.994   0.18  0.23  0.39  1.0
     *   Cora-ML (d, 2,995)     0.980 0.998 0.999   0.09  0.22  0.23  1.4
     *   BlogCatalog (10,312)   0.983 0.996 0.996   15    27    46    207
     *   karate (34)            1     1     1       0.04  0.20  0.24  0.36
     * 0.25 keeps every graph at 0.98 or more (worst single source 0.87, on
     * p2p-Gnutella08) for 1.3-10x the latency of 3 rounds, still 1.8-8x
     * below the exact method's. Rounds buy more than walks: on CA-GrQc an
     * R = 50 index with 0.25 gives 0.975, R = 200 with T=3 0.925. 10 fixed
     * rounds give 0.979 on CA-GrQc and 0.997 on p2p-Gnutella08 (0.55 ms). */
    int rounds;
    double drop;
    double residual;
    double epsilon;               /* fora, speedppr: relative error, 0.5    */
    double delta;                 /* fora, speedppr: threshold, 0 = 1/n     */
    double failure;               /* fora, speedppr: p_f, 0 = 1/n           */
    uint64_t seed;                /* 42                                     */
    /* Called on the calling thread after each block of sources (done of
     * total); NULL (default) for none. Never changes the result. */
    void (*progress)(int64_t done, int64_t total, void *ctx);
    void *progress_ctx;
} grl_ppr_options;

/* Fill *opt with the defaults above (delta, failure 0: 1/n; index NULL).
 *   opt  the caller's struct; NULL: nothing happens */
void grl_ppr_options_init(grl_ppr_options *opt);

/* The PPR vectors of k sources, all computed at once (for many sources
 * grl_ppr_top bounds the memory). Bit-identical for any thread count.
 *   P        out: a new k x n GrB_FP64 matrix the caller owns (GrB_free),
 *            row s = p_{sources[s]} (entries not stored are 0; exact rows
 *            are full); NULL on error; not NULL itself
 *   G        the graph; not NULL. Its matrix is borrowed during walks and
 *            push (do not use G concurrently); intact on return. Its
 *            out-degrees are computed and cached (see grl_graph_degree)
 *   sources  k node indices in 0..n-1 (read only; repeats allowed); may be
 *            NULL when k = 0
 *   k        number of sources, >= 0
 *   opt      method and parameters above; NULL for the defaults (exact).
 *            opt->index, when used, is read only and must have been built
 *            on G with the same alpha
 *   msg      GRL_MSG_LEN bytes for the error or warning message, or NULL
 * Returns 0, or GRL_NOT_CONVERGED (a warning, *P complete: the exact
 * method, or the global PageRank of the uniform dangling policy, stopped
 * at max_iter before tol). Errors: GRL_INVALID_ARGUMENT (NULL P or G, NULL
 * sources with k > 0, k < 0, a source out of range, alpha outside (0, 1),
 * an unknown method or dangling policy, tol not > 0 or max_iter < 1 (for
 * every method), powerwalk without an index, an index built on another
 * graph (node or arc count) or alpha, r_max < 0 (push), rounds, drop or
 * residual < 0 or
 * residual not finite (powerwalk), mc_walks outside 1..GRL_PPR_MAX_WALKS
 * (mc without an index), epsilon <= 0, delta outside (0, 1], failure
 * outside (0, 1) or more than GRL_PPR_MAX_WALKS walks per source (fora,
 * speedppr)),
 * GRL_NOT_INITIALIZED, GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_ppr_compute(GrB_Matrix *P, grl_graph *G, const int64_t *sources,
                    int64_t k, const grl_ppr_options *opt, char *msg);

/* Top-k results, one block of `top` slots per source. */
typedef struct {
    int64_t nsources, top;
    int64_t *source;  /* nsources node indices                               */
    int64_t *count;   /* filled slots per source (< top if fewer non-zeros)  */
    int64_t *node;    /* nsources x top: node[s*top + r], highest score first,
                         ties by smaller node index                          */
    double *score;    /* nsources x top                                      */
} grl_ppr_result;

/* The `top` highest-scoring nodes of each source's PPR vector (only
 * positive scores; ties by smaller node index). Sources are processed in
 * blocks so memory stays bounded for any k (exact, and the uniform
 * dangling policy: blocks of at most 2^24 / n sources, at least 1; other
 * methods 4096). Bit-identical for any thread count.
 *   R        out: the new result (release with grl_ppr_result_free), k
 *            sources x top slots; NULL on error; not NULL itself
 *   G        the graph, as for grl_ppr_compute
 *   sources  k node indices in 0..n-1, copied into (*R)->source; may be
 *            NULL when k = 0
 *   k        number of sources, >= 0
 *   top      slots per source, >= 1 (k x top entries are allocated)
 *   opt      as for grl_ppr_compute; NULL for the defaults
 *   msg      GRL_MSG_LEN bytes for the error or warning message, or NULL
 * Returns 0 or GRL_NOT_CONVERGED (a warning, *R complete) as
 * grl_ppr_compute. Errors: those of grl_ppr_compute, GRL_INVALID_ARGUMENT
 * (NULL R, top < 1), GRL_OUT_OF_MEMORY (also when k x top overflows). */
int grl_ppr_top(grl_ppr_result **R, grl_graph *G, const int64_t *sources,
                int64_t k, int64_t top, const grl_ppr_options *opt, char *msg);

/* The top entries of each row of a k x n matrix (as grl_ppr_compute
 * returns): only positive values, highest first, ties by smaller column.
 *   R        out: the new result (release with grl_ppr_result_free), one
 *            source per row of P; NULL on error; not NULL itself
 *   P        a GrB_FP64 matrix; not NULL. Read in place (unpacked and
 *            packed back), so do not use P from another thread during the
 *            call
 *   sources  nrows(P) node indices for (*R)->source, or NULL for 0..k-1;
 *            not checked against anything
 *   top      slots per row, >= 1
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL R or P, top < 1, P not GrB_FP64),
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_ppr_result_from_matrix(grl_ppr_result **R, GrB_Matrix P,
                               const int64_t *sources, int64_t top, char *msg);

/* Free *R (its arrays too) and set *R to NULL.
 *   R  the caller's pointer; R or *R NULL: nothing happens */
void grl_ppr_result_free(grl_ppr_result **R);

typedef struct {
    int64_t walks; /* R, walks per node, 1..GRL_PPR_MAX_WALKS / n (100)      */
    double alpha;  /* teleport probability in (0, 1) (0.15); queries must
                      use the same                                          */
    uint64_t seed; /* 42                                                    */
    /* Called on the calling thread after each block of nodes (done of
     * total = 2n: every node is walked twice, to count and to fill); NULL
     * (default) for none. Never changes the result. */
    void (*progress)(int64_t done, int64_t total, void *ctx);
    void *progress_ctx;
} grl_ppr_index_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_ppr_index_options_init(grl_ppr_index_options *opt);

/* Build fingerprints: R walks from every node, each ending with probability
 * alpha at every step (and at a node without out-arcs), counting every
 * visit; row v of the index is alpha * visits / R (an unbiased estimate of
 * the killed vector q_v, see above). Walk j of node v uses stream
 * (seed, v * R + j). Weighted if the graph is.
 *   I    out: the new index (free with grl_ppr_index_free); NULL on error
 *   G    the graph; its matrix is borrowed during the call (do not use G
 *        from another thread meanwhile); intact on return
 *   opt  walks, alpha, seed, progress callback; NULL for the defaults
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Bit-identical for any thread count. Errors: GRL_INVALID_ARGUMENT (NULL
 * argument, walks < 1, alpha outside (0, 1), walks x n beyond int64),
 * GRL_NOT_INITIALIZED, GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_ppr_index_build(grl_ppr_index **I, grl_graph *G,
                        const grl_ppr_index_options *opt, char *msg);

/* Save an index to / load one from a file (format version 2,
 * walks/ppr_index.c has the layout): a 64-byte header (magic "GRLPPRIX",
 * version, file length, n and arcs of the graph, walks, alpha, seed), the
 * fingerprint matrix as varint CSR holding the visit counts, then an XXH64
 * checksum of every byte before it. The bytes depend only on the graph, walks, alpha and seed, not on the
 * thread count. Loading checks magic, version, length and checksum before
 * reading any field, and that every entry is a visit count times alpha / R;
 * messages name the file and what is wrong (not an index, another version,
 * truncated, corrupt). Build refuses walks * n beyond int64.
 *   I     save: the index, read only; not NULL. load: out: the new index
 *         (release with grl_ppr_index_free); NULL on error; not NULL itself
 *   path  the file (save: written beside it and renamed over it when
 *         complete); not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument), GRL_IO_ERROR (cannot open,
 * read, write or rename), GRL_PARSE_ERROR (load: not an index, truncated,
 * checksum mismatch, corrupt header or entries), GRL_UNSUPPORTED (load:
 * another format version), GRL_NOT_INITIALIZED (load), GRL_OUT_OF_MEMORY,
 * a GrB_Info. */
int grl_ppr_index_save(const grl_ppr_index *I, const char *path, char *msg);
int grl_ppr_index_load(grl_ppr_index **I, const char *path, char *msg);

/* Free *I (its matrix too) and set *I to NULL.
 *   I  the caller's pointer; I or *I NULL: nothing happens */
void grl_ppr_index_free(grl_ppr_index **I);

/* The fingerprint matrix of index I (n x n GrB_FP64, row v = q^_v), lent:
 * valid while I lives, do not free or modify it; NULL for a NULL I. */
GrB_Matrix grl_ppr_index_matrix(const grl_ppr_index *I);
/* What index I holds.
 *   I        the index, read only; not NULL
 *   n        out: the graph's node count, or NULL if not wanted
 *   walks    out: walks per node R, or NULL
 *   alpha    out: its teleport probability, or NULL
 *   entries  out: stored entries of its matrix, or NULL
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL I), a GrB_Info. */
int grl_ppr_index_info(const grl_ppr_index *I, int64_t *n, int64_t *walks,
                       double *alpha, int64_t *entries, char *msg);

#ifdef __cplusplus
}
#endif
#endif
