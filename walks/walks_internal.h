/* walks_internal.h — pieces shared inside walks/: the borrowed CSR arrays,
 * one random step, alpha-terminated walks, sparse accumulators, forward
 * push, the transition matrix, the dangling-policy step and row assembly. */
#ifndef GRL_WALKS_INTERNAL_H
#define GRL_WALKS_INTERNAL_H

#include "grl_internal.h"
#include "grl/walks.h"

/* A graph's CSR arrays with sorted rows (borrowed with grl_csr_borrow;
 * while borrowed the graph's matrix is empty) and, for weighted walks, the
 * per-row cumulative weights. */
typedef struct {
    grl_csr a;
    double *cum;  /* weighted: cum[p] = sum of Ax[Ap[v] .. p] (owned), else NULL */
    uint32_t *rows; /* the walk engine's own layout of the rows (owned), or
                       NULL: it reads a.Ap and a.Aj (see walk.c) */
    uint32_t *row_start; /* with rows: node v's row at rows + row_start[v] */
} grl_walk_csr;

/* Borrow G's matrix (weighted: also build the cumulative weights, when the
 * graph is weighted and not iso). Compute anything needing G's matrix
 * (degrees) before. */
int grl_walk_csr_borrow(grl_walk_csr *c, grl_graph *G, bool weighted, char *msg);
/* Hand the arrays back (NULL-safe on a zeroed or returned struct). */
int grl_walk_csr_return(grl_walk_csr *c, char *msg);
/* cum[p] = the weights of row v summed up to arc p (restarting at every
 * row), for a non-iso csr a: what weighted steps binary-search. */
void grl_walk_cumulative(double *cum, const grl_csr *a);

/* The warning of an exact power iteration stopped at max_iter with an L1
 * change above tol (walks/ppr_exact.c, and mpi/ppr.c's). */
void grl_ppr_not_converged_msg(char *msg, int max_iter, double change,
                               double tol);

/* The draws of walk steps, for a reader type RNG whose next 32-bit word is
 * U32(rng): UNIFORM(rng), a double in [0, 1) from two words (as
 * grl_rng_uniform); BELOW(rng, n), an integer in [0, n) by Lemire's
 * unbiased multiply-and-reject (2019) from one word when n < 2^32 (a step
 * then uses half a Philox block less than with 64-bit draws), else from
 * two (as grl_rng_below); BETWEEN(c, lo, hi, rng), the arc position in
 * lo .. hi-1 (lo < hi, one row's arcs) of one first-order step: uniform,
 * or by weight when c->cum is set. */
#define GRL_DEFINE_WALK_DRAWS(RNG, U32, UNIFORM, BELOW, BETWEEN)               \
    static inline double UNIFORM(RNG *rng)                                     \
    {                                                                          \
        uint64_t hi = U32(rng);                                                \
        return (double)(((hi << 32) | U32(rng)) >> 11) * 0x1.0p-53;           \
    }                                                                          \
    static inline uint64_t BELOW(RNG *rng, uint64_t n)                         \
    {                                                                          \
        if (n > UINT32_MAX) {                                                  \
            __uint128_t m;                                                     \
            do { /* -n % n < n, so a draw with low >= n needs no test */       \
                uint64_t x = U32(rng);                                         \
                m = (__uint128_t)((x << 32) | U32(rng)) * n;                   \
            } while ((uint64_t)m < -n % n);                                    \
            return (uint64_t)(m >> 64);                                        \
        }                                                                      \
        uint64_t m = (uint64_t)U32(rng) * n;                                   \
        uint32_t low = (uint32_t)m;                                            \
        if (low < n) {                                                         \
            uint32_t threshold = (uint32_t)(-(uint32_t)n) % (uint32_t)n;      \
            while (low < threshold) {                                          \
                m = (uint64_t)U32(rng) * n;                                    \
                low = (uint32_t)m;                                             \
            }                                                                  \
        }                                                                      \
        return m >> 32;                                                        \
    }                                                                          \
    static inline GrB_Index BETWEEN(const grl_walk_csr *c, GrB_Index lo,       \
                                    GrB_Index hi, RNG *rng)                    \
    {                                                                          \
        if (c->cum == NULL) return lo + BELOW(rng, hi - lo);                   \
        /* cum restarts at every row: the first p with cum[p] > u * total */   \
        double target = UNIFORM(rng) * c->cum[hi - 1];                         \
        GrB_Index a = lo, b = hi - 1;                                          \
        while (a < b) {                                                        \
            GrB_Index mid = a + (b - a) / 2;                                   \
            if (c->cum[mid] > target) b = mid;                                 \
            else a = mid + 1;                                                  \
        }                                                                      \
        return a;                                                              \
    }

/* grl_rng_u32 inlined (the same numbers): a walk step draws two or three
 * words, and the call per word cost about a fifth of a node2vec step on
 * G(1M, 10M). Philox runs once per four words. */
static inline uint32_t grl_walk_u32(grl_rng *rng)
{
    if (rng->used == 4) {
        grl_rng_philox(rng->seed, rng->stream, rng->counter++, rng->block);
        rng->used = 0;
    }
    return rng->block[rng->used++];
}
GRL_DEFINE_WALK_DRAWS(grl_rng, grl_walk_u32, grl_walk_uniform, grl_walk_below,
                      grl_step_between)

/* The walk engine's reader of stream (seed, stream): grl_rng's numbers,
 * from GRL_PHILOX_BATCH Philox blocks made at once (grl_rng_philox_batch:
 * one SIMD lane a block where the CPU has them); see walks/walk.c. */
typedef struct {
    uint64_t seed, stream, counter; /* the next batch's first block */
    int used;                       /* words of `word` consumed */
    uint32_t word[4 * GRL_PHILOX_BATCH];
} grl_walk_rng;

static inline void grl_walk_rng_init(grl_walk_rng *rng, uint64_t seed,
                                     uint64_t stream)
{
    rng->seed = seed;
    rng->stream = stream;
    rng->counter = 0;
    rng->used = 4 * GRL_PHILOX_BATCH;
}

static inline uint32_t grl_walk_rng_u32(grl_walk_rng *rng)
{
    if (rng->used == 4 * GRL_PHILOX_BATCH) {
        grl_rng_philox_batch(rng->seed, rng->stream, rng->counter, rng->word);
        rng->counter += GRL_PHILOX_BATCH;
        rng->used = 0;
    }
    return rng->word[rng->used++];
}
GRL_DEFINE_WALK_DRAWS(grl_walk_rng, grl_walk_rng_u32, grl_walk_rng_uniform,
                      grl_walk_rng_below, grl_walk_rng_between)

/* The arc position of one first-order step from v (uniform, or by weight
 * when c->cum is set); -1 if v has no out-arcs. */
static inline int64_t grl_step_arc(const grl_walk_csr *c, int64_t v, grl_rng *rng)
{
    GrB_Index lo = c->a.Ap[v], hi = c->a.Ap[v + 1];
    return lo == hi ? -1 : (int64_t)grl_step_between(c, lo, hi, rng);
}

/* A dense-backed sparse accumulator of doubles (one per thread). */
typedef struct {
    int64_t n, count;
    double *val;
    int64_t *list;  /* touched indices (each once) */
    uint8_t *mark;
} grl_sparse_acc;

int grl_acc_init(grl_sparse_acc *a, int64_t n, char *msg);
void grl_acc_free(grl_sparse_acc *a);
static inline void grl_acc_add(grl_sparse_acc *a, int64_t i, double x)
{
    if (!a->mark[i]) {
        a->mark[i] = 1;
        a->list[a->count++] = i;
        a->val[i] = 0;
    }
    a->val[i] += x;
}
/* One alpha-terminated walk from v in the killed chain: at each node the
 * walk ends with probability alpha; otherwise it moves on, or is killed if
 * the node is dangling. With `visits`, every node visited (start included)
 * adds 1 there. Returns the node where the alpha coin stopped it, or -1 if
 * it was killed. */
static inline int64_t grl_alpha_walk(const grl_walk_csr *c, int64_t v,
                                     double alpha, grl_rng *rng,
                                     grl_sparse_acc *visits)
{
    for (;;) {
        if (visits != NULL) grl_acc_add(visits, v, 1.0);
        if (grl_rng_uniform(rng) < alpha) return v;
        int64_t p = grl_step_arc(c, v, rng);
        if (p < 0) return -1;
        v = (int64_t)c->a.Aj[p];
    }
}

/* Move the non-zero entries, sorted by index, into new arrays *idx, *val
 * (*cnt entries) and clear the accumulator. */
int grl_acc_extract(grl_sparse_acc *a, int64_t **idx, double **val,
                    int64_t *cnt, char *msg);
/* Clear without extracting. */
void grl_acc_clear(grl_sparse_acc *a);
/* Make a dense: every index touched (untouched ones 0) and the touched
 * list in index order, so extraction needs no sort (PowerPush's sweeps). */
void grl_acc_densify(grl_sparse_acc *a);

/* Rows given as separate sorted (idx, val, cnt) arrays, one per row, become
 * a k x n GrB_FP64 matrix (the arrays are freed). */
int grl_rows_to_matrix(GrB_Matrix *P, int64_t k, int64_t n, int64_t **idx,
                       double **val, const int64_t *cnt, char *msg);

/* A graph's arcs in square tiles of 65,536 x 65,536 nodes, one 32-bit word
 * an arc (walks/ppr_tiles.c): the products of PowerPush's conjugate
 * gradients on graphs whose vectors outgrow the L2 cache. Zero it before
 * first use. */
typedef struct {
    bool tried;         /* grl_arc_tiles_once has run */
    int64_t n, blocks;  /* nodes; blocks of nodes (tiles: blocks^2) */
    uint64_t *start;    /* tile k = R blocks + C at word[start[k] .. start[k+1]) */
    uint32_t *word;     /* an arc: (row - first of R) << 16 | (column - first of C) */
} grl_arc_tiles;

/* On the first call (any thread), tile the pattern of a (every arc
 * weight 1) into *t. Returns t, or NULL when tiles would not pay (fewer
 * than 2^18 nodes, or tiles averaging under 16 arcs) or memory was short. */
const grl_arc_tiles *grl_arc_tiles_once(grl_arc_tiles *t, const grl_csr *a);
/* Release the tiles (NULL-safe on a zeroed struct). */
void grl_arc_tiles_free(grl_arc_tiles *t);
/* y = A d: the tiled pattern times d (n values each). */
void grl_arc_tiles_product(const grl_arc_tiles *t, const double *d, double *y);

/* Per-thread workspace of forward push: reserve p, residual r, a FIFO of
 * nodes (each queued at most once) and their in-queue flags; PowerPush's
 * sweeps add 3 n doubles on first use (NULL until then). */
typedef struct {
    grl_sparse_acc p, r;
    int64_t *queue;
    uint8_t *inq;
    double *sweep;
} grl_push_ws;

int grl_push_ws_init(grl_push_ws *ws, int64_t n, char *msg);
void grl_push_ws_free(grl_push_ws *ws);

/* Forward push's residual threshold when the options give 0. */
#define GRL_PUSH_DEFAULT_RMAX 1e-7

/* Forward push (Andersen, Chung, Lang 2006) in the killed chain from u until
 * r(v) <= r_max * max(outdeg(v), 1) everywhere; leaves p and r in ws.
 * wdeg: out-degrees in the weights the step uses: weight sums when c->cum
 * is set (arcs weighted by c->a.Ax), else arc counts. */
void grl_forward_push(const grl_walk_csr *c, const double *wdeg, int64_t u,
                      double alpha, double r_max, grl_push_ws *ws);
/* The same, but stop early once more than `spread` nodes have held residual
 * (ws->r.count > spread), leaving p and r as they are and the queue empty. */
void grl_forward_push_until(const grl_walk_csr *c, const double *wdeg,
                            int64_t u, double alpha, double r_max,
                            int64_t spread, grl_push_ws *ws);
/* PowerPush from u to an L1 error of at most tol (walks/ppr_powerpush.c);
 * leaves p (and r) in ws. symmetric: c is an undirected graph's (it may
 * then finish by conjugate gradients); tiles: a zeroed or shared
 * grl_arc_tiles for their products (built on first use), or NULL. */
void grl_powerpush(const grl_walk_csr *c, const double *wdeg, int64_t u,
                   double alpha, double tol, bool symmetric, grl_arc_tiles *tiles,
                   grl_push_ws *ws);
/* PowerPush's queue, then plain push sweeps (residuals stay >= 0), until
 * r(v) <= r_max max(outdeg(v), 1) everywhere (SpeedPPR's first phase);
 * leaves p and r in ws. */
void grl_powerpush_threshold(const grl_walk_csr *c, const double *wdeg,
                             int64_t u, double alpha, double r_max,
                             grl_push_ws *ws);

/* Context of one PPR call: the dangling nodes and, for the uniform policy,
 * the global vector g (both computed once). */
typedef struct {
    int64_t n;
    double alpha;
    grl_dangling_policy policy;
    uint8_t *dangling;   /* n flags */
    int64_t ndangling;
    double *g;           /* uniform policy with dangling nodes: n values */
} grl_ppr_ctx;

int grl_ppr_ctx_init(grl_ppr_ctx *ctx, grl_graph *G, const grl_ppr_options *o,
                     char *msg);
void grl_ppr_ctx_free(grl_ppr_ctx *ctx);

/* Apply the dangling policy to each row (a killed-vector estimate) of the
 * k x n matrix *P in place (see walks.h). */
int grl_ppr_finish(GrB_Matrix *P, const grl_ppr_ctx *ctx, char *msg);

/* Work (arcs x sources) per GraphBLAS call below which it runs on one
 * thread: a second thread's share is then shorter than waking it on a busy
 * machine (BlogCatalog, 667,966 arcs, one exact PPR source: 201 ms on 1
 * thread and 1,561 ms on 2 at load 15 before this limit). */
#define GRL_PARALLEL_WORK ((GrB_Index)1 << 22)

/* *d = a descriptor limiting a call to one thread when `work` is below
 * GRL_PARALLEL_WORK, else NULL (the default: all threads). Free with
 * GrB_Descriptor_free (NULL-safe). */
int grl_small_work_desc(GrB_Descriptor *d, GrB_Index work, char *msg);

/* The killed transition matrix P = D^-1 A (weighted if G is), n x n FP64,
 * times `scale`; transposed if `transpose`. */
int grl_transition(GrB_Matrix *P, grl_graph *G, double scale, bool transpose,
                   char *msg);

/* Killed PPR by power iteration: *Q (k x n) rows q_{sources[s]}; sources
 * NULL with k = 1: uniform teleport (the global vector's killed form).
 * GRL_NOT_CONVERGED (with *Q the last iterate) at the iteration limit. */
int grl_ppr_power(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                  int64_t k, double alpha, double tol, int max_iter, char *msg);

/* Method kernels: each fills *Q (k x n) with killed estimates. */
int grl_ppr_push_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                      int64_t k, const grl_ppr_options *o, char *msg);
int grl_ppr_fora_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                      int64_t k, const grl_ppr_options *o, char *msg);
int grl_ppr_mc_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                    int64_t k, const grl_ppr_options *o, char *msg);
int grl_ppr_powerpush_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                           int64_t k, const grl_ppr_options *o, char *msg);
int grl_ppr_powerwalk_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                           int64_t k, const grl_ppr_options *o, char *msg);
int grl_ppr_speedppr_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                          int64_t k, const grl_ppr_options *o, char *msg);

/* The index's walks-per-node and alpha, and a check that it fits G. */
int grl_ppr_index_check(const grl_ppr_index *I, const grl_graph *G,
                        double alpha, char *msg);

/* PowerWalk's query options in range: rounds >= 0, drop >= 0, residual
 * finite >= 0 (walks/ppr_powerwalk.c and mpi/ppr_powerwalk.c). */
int grl_powerwalk_check_options(const grl_ppr_options *o, char *msg);

/* Whether Q is what an index build makes (valid for GraphBLAS, every entry
 * a visit count times scale = alpha / R); GRL_PARSE_ERROR naming path. */
int grl_ppr_index_check_counts(GrB_Matrix Q, double scale, const char *path,
                               char *msg);

/* Fingerprint of node v: R alpha-walks, walk j on stream (seed, v*R + j),
 * every visit counted into acc, then the touched entries scaled by
 * alpha / R (so acc holds q^_v). */
void grl_fingerprint_walks(const grl_walk_csr *c, int64_t v, int64_t R,
                           double alpha, uint64_t seed, grl_sparse_acc *acc);

/* A per-source kernel: leaves source u's killed estimate in ws->p (and may
 * use ws->r, which it must leave cleared). */
typedef void (*grl_source_kernel)(const grl_walk_csr *c, const double *wdeg,
                                  int64_t u, const void *arg, grl_push_ws *ws);

/* Run `kernel` for each source in parallel (one thread per source, with its
 * own workspace) on G's borrowed CSR arrays (weighted if G is) and gather
 * the rows into *Q (k x n). `what` names the method in error messages. */
int grl_ppr_rows_by_source(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                           int64_t k, grl_source_kernel kernel, const void *arg,
                           const char *what, char *msg);

/* A zero-filled result with room for k sources of `top` entries. */
int grl_ppr_result_alloc(grl_ppr_result **R, int64_t k, int64_t top, char *msg);
/* Fill result rows first .. first+k-1 with the top entries of P's k rows. */
int grl_ppr_top_fill(grl_ppr_result *R, int64_t first, GrB_Matrix P, char *msg);

#endif
