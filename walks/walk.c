/* walk.c — the random-walk engine: uniform, weighted, node2vec (rejection
 * sampling), restarts and the self-repellent random walk. Walk w reads RNG
 * stream (seed, w) only and is written by one thread, so the corpus is
 * bit-identical for any thread count. */
#include "walks_internal.h"

#include <math.h>

#ifdef _OPENMP
#include <omp.h>
#endif

struct grl_walker {
    grl_walk_options opt;
    grl_walk_csr csr;
    double *inv_mu;      /* SRRW: 1 / mu_j (mu_j = deg_j / sum deg), else NULL */
    bool symmetric;      /* undirected: every arc t -> v has v -> t, same weight */
    int64_t n;
};

void grl_walk_options_init(grl_walk_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->length = 80;
    opt->walks_per_node = 10;
    opt->weighted = true;
    opt->p = 1;
    opt->q = 1;
    opt->seed = 42;
}

static int check_options(const grl_walk_options *o, const grl_graph *G,
                         char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->length >= 1, "walk length must be at least 1 node, got %"
                PRId64, o->length);
    GRL_REQUIRE(o->walks_per_node >= 1, "walks per node must be at least 1, "
                "got %" PRId64, o->walks_per_node);
    GRL_REQUIRE(o->p > 0 && isfinite(o->p) && isfinite(1 / o->p) && o->q > 0 &&
                    isfinite(o->q) && isfinite(1 / o->q),
                "node2vec p and q must be positive and finite (1/p and 1/q "
                "too), got p=%g q=%g", o->p, o->q);
    GRL_REQUIRE(o->restart >= 0 && o->restart < 1, "restart probability must "
                "be in [0, 1), got %g", o->restart);
    GRL_REQUIRE(o->srrw_alpha >= 0 && isfinite(o->srrw_alpha),
                "SRRW alpha must be >= 0 and finite, got %g", o->srrw_alpha);
    if (o->srrw_alpha > 0) {
        GRL_REQUIRE(!grl_graph_is_directed(G), "the self-repellent walk needs "
                    "an undirected graph (its stationary distribution is the "
                    "degree distribution); load the graph with --undirected");
        GRL_REQUIRE(o->p == 1 && o->q == 1, "the self-repellent walk cannot "
                    "be combined with node2vec p/q; use one or the other");
    }
    return 0;
#undef FREE_ALL
}

/* The columns as 32-bit ids when every id fits (n <= 2^32): a row of
 * average degree 20 then spans 2 cache lines instead of 3.5, and the walks
 * are bound by the lines they fetch at random (G(1M, 10M), 1 thread, load
 * 8, same run: node2vec p 0.5, q 2 at 15.5-15.7 M steps/s of CPU time with
 * the copy, 12.8-13.3 M without; uniform walks unchanged, 42-43 M; the copy
 * takes 22 ms of CPU and 4 bytes an arc, once per walker). Only a speed-up:
 * without the memory for it, the walks read the 64-bit columns (the same
 * walks). */
static void narrow_columns(grl_walk_csr *c)
{
    const int64_t m = (int64_t)c->a.Ap[c->a.n];
    if ((uint64_t)c->a.n > (uint64_t)UINT32_MAX + 1 || m == 0) return;
    uint32_t *cols = grl_malloc(sizeof(uint32_t) * (size_t)m);
    if (cols == NULL) return;
    const GrB_Index *Aj = c->a.Aj;
#pragma omp parallel for schedule(static)
    for (int64_t p = 0; p < m; p++) cols[p] = (uint32_t)Aj[p];
    c->cols = cols;
}

/* The target of arc p. */
static inline int64_t arc_target(const grl_walk_csr *c, GrB_Index p)
{
    return c->cols ? (int64_t)c->cols[p] : (int64_t)c->a.Aj[p];
}

/* The address of arc p's target, for prefetches. */
static inline const void *arc_address(const grl_walk_csr *c, GrB_Index p)
{
    return c->cols ? (const void *)&c->cols[p] : (const void *)&c->a.Aj[p];
}

int grl_walker_new(grl_walker **W, grl_graph *G, const grl_walk_options *opt,
                   char *msg)
{
    grl_msg_clear(msg);
    grl_walker *w = NULL;
#define FREE_ALL grl_walker_free(&w)
    GRL_REQUIRE(W != NULL && G != NULL, "grl_walker_new: NULL argument");
    *W = NULL;
    GRL_TRY(grl_init(msg));
    grl_walk_options defaults;
    if (opt == NULL) {
        grl_walk_options_init(&defaults);
        opt = &defaults;
    }
    GRL_TRY(check_options(opt, G, msg));
    GRL_CALLOC(w, grl_walker, 1);
    w->opt = *opt;
    w->n = grl_graph_num_nodes(G);
    w->symmetric = !grl_graph_is_directed(G);
    bool weighted = opt->weighted && grl_graph_is_weighted(G);
    if (opt->srrw_alpha > 0) {
        /* mu_j = deg_j / sum deg, the stationary law of the reversible base
         * chain on an undirected graph (weighted degree if weighted) */
        const double *deg;
        GRL_TRY(grl_graph_degree(G, GRL_OUT, weighted, &deg, msg));
        double total = 0;
        for (int64_t j = 0; j < w->n; j++) total += deg[j];
        GRL_ALLOC(w->inv_mu, double, w->n);
        for (int64_t j = 0; j < w->n; j++)
            w->inv_mu[j] = deg[j] > 0 ? total / deg[j] : 0;
    }
    GRL_TRY(grl_walk_csr_borrow(&w->csr, G, weighted, msg));
    narrow_columns(&w->csr);
    *W = w;
    return 0;
#undef FREE_ALL
}

void grl_walker_free(grl_walker **W)
{
    if (W == NULL || *W == NULL) return;
    grl_walk_csr_return(&(*W)->csr, NULL);
    free((*W)->inv_mu);
    free(*W);
    *W = NULL;
}

/* Whether the sorted row[0 .. len-1] holds x, for rows of 32- and 64-bit
 * ids. The row is in cache (the walk's previous row), so the cost is the
 * compare chain: a short row is counted without branches (independent
 * compares, vectorised), a long one binary-searched without branches. */
#define SHORT_ROW 32
#define DEFINE_ROW_HOLDS(name, T)                                              \
    static inline bool name(const T *row, GrB_Index len, GrB_Index x)         \
    {                                                                          \
        const T key = (T)x;                                                    \
        GrB_Index below = 0;                                                   \
        if (len <= SHORT_ROW) {                                                \
            for (GrB_Index i = 0; i < len; i++) below += row[i] < key;        \
            return below < len && row[below] == key;                          \
        }                                                                      \
        while (len > 1) { /* x, if present, lies in row[0 .. len-1] */         \
            GrB_Index half = len / 2;                                          \
            row = row[half] <= key ? row + half : row;                         \
            len -= half;                                                       \
        }                                                                      \
        return *row == key;                                                    \
    }
DEFINE_ROW_HOLDS(row_holds32, uint32_t)
DEFINE_ROW_HOLDS(row_holds64, GrB_Index)

/* Whether the arc t -> x exists. */
static inline bool has_arc(const grl_walk_csr *c, GrB_Index t, GrB_Index x)
{
    const GrB_Index lo = c->a.Ap[t], len = c->a.Ap[t + 1] - lo;
    return c->cols ? row_holds32(c->cols + lo, len, x)
                   : row_holds64(c->a.Aj + lo, len, x);
}

/* node2vec's parameters as the step uses them: the weights 1/p and 1/q,
 * hi = max(1, 1/q) and lo = min(1, 1/q) (the bounds of every weight but
 * the return's), and whether every arc t -> v has v -> t of equal weight. */
typedef struct {
    double inv_p, inv_q, hi, lo;
    bool symmetric;
} node2vec_law;

/* node2vec's weight of x after t -> v: 1/p (x = t), 1 (arc t -> x), 1/q. */
static inline double node2vec_weight(const grl_walk_csr *c, int64_t t, int64_t x,
                                     const node2vec_law *law)
{
    return x == t ? law->inv_p
           : has_arc(c, (GrB_Index)t, (GrB_Index)x) ? 1.0 : law->inv_q;
}

/* Rejections before node2vec_step draws from the exact law by a scan of the
 * row: an extreme p or q (1e39) would otherwise reject almost forever. */
#define NODE2VEC_TRIES 1024

/* A uniform in [0, 1) from one 32-bit draw: node2vec's accept tests need
 * no more resolution (a probability moves by at most 2^-32), and a step
 * then uses half the random bits. */
static inline double unit32(grl_rng *rng)
{
    return grl_walk_u32(rng) * 0x1p-32;
}

/* node2vec after t -> v: x with probability proportional to q1(x) b(x),
 * q1 v's first-order law and b the node2vec weight above, by rejection
 * from v's first-order law without alias tables (KnightKing, SOSP 2019).
 * The envelope is hi q1 everywhere (every weight but the return's is at
 * most hi) plus, when 1/p > hi, the excess e = (1/p - hi) q1(t) at t: the
 * return is an outlier drawn as its own component (always accepted), so
 * other candidates are tested against hi, not 1/p. One uniform u in
 * [0, hi + e) picks the component (u < e: return to t) and, less e, is the
 * accept test's uniform in [0, hi); a candidate x != t has b(x) >= lo, so
 * u < lo accepts it before t's row is searched for the arc t -> x. (p 0.5,
 * q 2: 1.8 proposals and 0.9 searches a step, two 32-bit draws a proposal.)
 * q1(t) needs the weight of the arc v -> t: on an undirected graph it is
 * back_w, the weight of the arc t -> v just taken (no search of v's row).
 * After NODE2VEC_TRIES rejections, one draw from the same law by summing
 * the row's products (first-order weight x node2vec weight). Returns x
 * (-1: v has no out-arcs) and sets *w_arc to the weight of the arc v -> x. */
static int64_t node2vec_step(const grl_walk_csr *c, const node2vec_law *law,
                             int64_t t, int64_t v, double back_w, grl_rng *rng,
                             double *w_arc)
{
    const GrB_Index lo_arc = c->a.Ap[v], hi_arc = c->a.Ap[v + 1];
    if (lo_arc == hi_arc) return -1;
    const double *Ax = c->a.Ax;
    double excess = 0;
    if (law->inv_p > law->hi) { /* t is an outlier, if v -> t exists */
        int64_t back = law->symmetric
                           ? 0 : grl_csr_find(&c->a, (GrB_Index)v, (GrB_Index)t);
        if (back >= 0) {
            if (!law->symmetric && c->cum) back_w = Ax[back];
            double q1t = c->cum ? back_w / c->cum[hi_arc - 1]
                                : 1.0 / (double)(hi_arc - lo_arc);
            excess = (law->inv_p - law->hi) * q1t;
        }
    }
    for (int tries = 0; tries < NODE2VEC_TRIES; tries++) {
        double u = unit32(rng) * (law->hi + excess);
        if (u < excess) {
            *w_arc = back_w;
            return t;
        }
        u -= excess;
        int64_t p = grl_step_arc(c, v, rng), x = arc_target(c, p);
        if (x == t ? u < law->inv_p
                   : u < law->lo || u < node2vec_weight(c, t, x, law)) {
            *w_arc = c->cum ? Ax[p] : 1.0;
            return x;
        }
    }
    double total = 0, s = 0;
    for (GrB_Index p = lo_arc; p < hi_arc; p++)
        total += (c->cum ? Ax[p] : 1.0) *
                 node2vec_weight(c, t, arc_target(c, p), law);
    double target = grl_walk_uniform(rng) * total;
    GrB_Index p = lo_arc;
    for (; p < hi_arc - 1; p++) { /* rounding: the last neighbour */
        s += (c->cum ? Ax[p] : 1.0) *
             node2vec_weight(c, t, arc_target(c, p), law);
        if (s > target) break;
    }
    *w_arc = c->cum ? Ax[p] : 1.0;
    return arc_target(c, p);
}

/* Rejections before srrw_step draws from the exact law by a scan of the
 * row (a walk hemmed in by heavily visited neighbours accepts rarely). */
#define SRRW_TRIES 16

/* SRRW's weight of a neighbour j relative to P(i,j): (1 + c_j / mu_j)^-alpha
 * after c_j visits, in (0, 1]. */
static inline double srrw_factor(uint32_t visits, double inv_mu, double alpha)
{
    return visits ? pow(1.0 + visits * inv_mu, -alpha) : 1.0;
}

/* SRRW (Doshi et al. 2023, eq. 3): from i, j with probability proportional
 * to P(i,j) (x_j / mu_j)^-alpha. With x_0 = mu the empirical measure after
 * visiting c_j times is (mu_j + c_j) / (steps + 1), so the weight is
 * P(i,j) (1 + c_j / mu_j)^-alpha up to a factor common to all j. That
 * factor is at most 1, so j is drawn by rejection from P(i, .) (accepted
 * with probability the factor: always for an unvisited j), reading one
 * neighbour's count a proposal instead of the whole row's (G(1M, 10M),
 * alpha 1, load 25: 1.3 M steps/s of CPU time with two scans of the row a
 * step, 2.2 M now; the walk still waits on three misses a step alone).
 * After SRRW_TRIES rejections, one draw from the exact law by a scan. */
static int64_t srrw_step(const grl_walk_csr *c, int64_t i, double alpha,
                         const double *inv_mu, const uint32_t *visits,
                         grl_rng *rng)
{
    GrB_Index lo = c->a.Ap[i], hi = c->a.Ap[i + 1];
    if (lo == hi) return -1;
    for (int tries = 0; tries < SRRW_TRIES; tries++) {
        int64_t j = arc_target(c, (GrB_Index)grl_step_arc(c, i, rng));
        __builtin_prefetch(&c->a.Ap[j]); /* the next step's row, if accepted */
        if (!visits[j] ||
            grl_walk_uniform(rng) < srrw_factor(visits[j], inv_mu[j], alpha))
            return j;
    }
    double total = 0;
    for (GrB_Index p = lo; p < hi; p++) {
        int64_t j = arc_target(c, p);
        total += (c->cum ? c->a.Ax[p] : 1.0) *
                 srrw_factor(visits[j], inv_mu[j], alpha);
    }
    double target = grl_walk_uniform(rng) * total, s = 0;
    GrB_Index p = lo;
    for (; p < hi - 1; p++) { /* rounding: the last neighbour */
        int64_t j = arc_target(c, p);
        s += (c->cum ? c->a.Ax[p] : 1.0) *
             srrw_factor(visits[j], inv_mu[j], alpha);
        if (s > target) break;
    }
    return arc_target(c, p);
}

/* SRRW walk w from `start` into out[0 .. L-1] (its visit counts make each
 * step depend on the whole walk so far, so it walks alone). */
static void srrw_walk(const grl_walker *W, int64_t start, uint64_t w,
                      int64_t *out, uint32_t *visits)
{
    const grl_walk_options *o = &W->opt;
    const grl_walk_csr *c = &W->csr;
    const int64_t L = o->length;
    grl_rng rng;
    grl_rng_init(&rng, o->seed, w);
    int64_t v = start, k = 1;
    out[0] = v;
    visits[v]++;
    for (; k < L; k++) {
        int64_t next;
        if (o->restart > 0 && grl_walk_uniform(&rng) < o->restart) {
            next = start;
        } else {
            next = srrw_step(c, v, o->srrw_alpha, W->inv_mu, visits, &rng);
            if (next < 0) {
                if (o->restart == 0) break;
                next = start; /* dangling: jump back, like PPR */
            }
        }
        out[k] = v = next;
        visits[v]++;
    }
    for (int64_t r = k; r < L; r++) out[r] = -1;
    for (int64_t r = 0; r < k; r++) visits[out[r]] = 0; /* this walk's */
}

/* Uniform, weighted and node2vec walks (with or without restarts) in
 * lock-step groups of WALK_GROUP, so the cache misses of a step overlap
 * across the group (memory latency, not arithmetic, bounds a walk on a
 * large graph): a walk prefetches its new node's row offsets as it moves;
 * at the next step, a first-order walk draws its arc and prefetches it, a
 * node2vec walk prefetches its whole row (up to ROW_LINES cache lines),
 * which its proposals read and, one step later, its arc tests search;
 * then each walk moves. (G(1M, 10M), p 0.5, q 2, 1 thread, load 20: 4.7 M
 * steps/s of CPU time with only the row's first line prefetched, a search
 * of v's row for t, branchy searches and three draws a proposal; 12.1 M
 * now, uniform walks 36 M; 2 or 4 lines instead of 8: 8 M, 12 M.)
 * Each walk draws from its own stream (seed, w) in a fixed order, so the
 * output does not depend on the grouping or the thread count. */
#define WALK_GROUP 32
#define ROW_LINES 8
#define RESTARTED (-2)   /* pos[]: the walk jumps back to its start */
#define SECOND_ORDER (-3) /* pos[]: a node2vec step is pending */

/* Prefetch the arcs lo .. hi-1 (their columns and, weighted, cumulative
 * weights), at most ROW_LINES cache lines of each. */
static inline void prefetch_arcs(const grl_walk_csr *c, GrB_Index lo, GrB_Index hi)
{
    const GrB_Index per_line = c->cols ? 64 / sizeof(uint32_t) : 64 / sizeof(GrB_Index);
    GrB_Index first = lo & ~(per_line - 1);
    GrB_Index end = hi < first + ROW_LINES * per_line ? hi : first + ROW_LINES * per_line;
    for (GrB_Index p = first; p < end; p += per_line)
        __builtin_prefetch(arc_address(c, p));
    if (c->cum) { /* cumulative weights are 8 bytes */
        end = hi < first + ROW_LINES * 8 ? hi : first + ROW_LINES * 8;
        for (GrB_Index p = first & ~(GrB_Index)7; p < end; p += 8)
            __builtin_prefetch(&c->cum[p]);
    }
}

static void walk_group(const grl_walker *W, const int64_t *starts,
                       int64_t nstarts, uint64_t w0, int64_t cnt, int64_t *out)
{
    const grl_walk_csr *c = &W->csr;
    const int64_t L = W->opt.length;
    const double restart = W->opt.restart;
    const bool n2v = W->opt.p != 1 || W->opt.q != 1;
    const double inv_q = 1 / W->opt.q;
    const node2vec_law law = {1 / W->opt.p, inv_q, inv_q > 1 ? inv_q : 1.0,
                              inv_q < 1 ? inv_q : 1.0, W->symmetric};
    grl_rng rng[WALK_GROUP];
    int64_t cur[WALK_GROUP], prev[WALK_GROUP], st[WALK_GROUP], pos[WALK_GROUP];
    double w_last[WALK_GROUP]; /* node2vec: the weight of the arc prev -> cur */
    bool alive[WALK_GROUP];
    for (int64_t b = 0; b < cnt; b++) {
        uint64_t w = w0 + (uint64_t)b;
        int64_t s = (int64_t)(w % (uint64_t)nstarts);
        st[b] = cur[b] = starts ? starts[s] : s;
        prev[b] = -1;
        w_last[b] = 1.0;
        grl_rng_init(&rng[b], W->opt.seed, w);
        out[b * L] = st[b];
        alive[b] = true;
        __builtin_prefetch(&c->a.Ap[cur[b]]);
    }
    for (int64_t k = 1; k < L; k++) {
        for (int64_t b = 0; b < cnt; b++) {
            if (!alive[b]) continue;
            if (restart > 0 && grl_walk_uniform(&rng[b]) < restart) {
                pos[b] = RESTARTED;
            } else if (n2v && prev[b] >= 0) {
                pos[b] = SECOND_ORDER;
                prefetch_arcs(c, c->a.Ap[cur[b]], c->a.Ap[cur[b] + 1]);
            } else {
                pos[b] = grl_step_arc(c, cur[b], &rng[b]);
                if (pos[b] >= 0) __builtin_prefetch(arc_address(c, (GrB_Index)pos[b]));
            }
        }
        for (int64_t b = 0; b < cnt; b++) {
            if (!alive[b]) continue;
            int64_t next;
            if (pos[b] == SECOND_ORDER) {
                next = node2vec_step(c, &law, prev[b], cur[b], w_last[b],
                                     &rng[b], &w_last[b]);
            } else {
                next = pos[b] >= 0 ? arc_target(c, (GrB_Index)pos[b]) : -1;
                if (next >= 0) w_last[b] = c->cum ? c->a.Ax[pos[b]] : 1.0;
            }
            if (next >= 0) {
                prev[b] = cur[b];
            } else if (pos[b] == RESTARTED || restart > 0) {
                next = st[b]; /* a restart, or a dangling node: jump back */
                prev[b] = -1;
            } else { /* dangling, no restarts: the walk ends here */
                alive[b] = false;
                for (int64_t r = k; r < L; r++) out[b * L + r] = -1;
                continue;
            }
            out[b * L + k] = cur[b] = next;
            __builtin_prefetch(&c->a.Ap[next]);
        }
    }
}

int grl_walker_run(grl_walker *W, const int64_t *starts, int64_t nstarts,
                   int64_t first, int64_t count, int64_t *out, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(W != NULL && (out != NULL || count == 0),
                "grl_walker_run: NULL argument");
    GRL_REQUIRE(first >= 0 && count >= 0, "walk range must be non-negative");
    GRL_REQUIRE_MUL_I64(count, W->opt.length, "the walks' output (walks x length)");
    GRL_REQUIRE_ADD_I64(first, count, "the walk range (first + count)");
    int64_t n = W->n;
    if (starts == NULL) nstarts = n;
    if (count == 0) return 0;
    GRL_REQUIRE(nstarts > 0, "no start nodes: the graph is empty or the start "
                "list has no entries");
    if (starts != NULL)
        for (int64_t s = 0; s < nstarts; s++)
            GRL_REQUIRE(starts[s] >= 0 && starts[s] < n, "start node index %"
                        PRId64 " is out of range 0..%" PRId64, starts[s], n - 1);
    const bool srrw = W->opt.srrw_alpha > 0;
    int failed = 0;
#pragma omp parallel
    {
        uint32_t *visits = srrw ? grl_calloc((size_t)n, sizeof(uint32_t)) : NULL;
        if (srrw && visits == NULL) {
#pragma omp atomic write
            failed = 1;
        }
        if (!srrw) {
#pragma omp for schedule(dynamic, 4)
            for (int64_t g = 0; g < count; g += WALK_GROUP)
                walk_group(W, starts, nstarts, (uint64_t)(first + g),
                                  count - g < WALK_GROUP ? count - g : WALK_GROUP,
                                  out + g * W->opt.length);
        } else {
#pragma omp for schedule(dynamic, 64)
            for (int64_t i = 0; i < count; i++) {
                int stop;
#pragma omp atomic read
                stop = failed;
                if (stop) continue;
                uint64_t w = (uint64_t)(first + i);
                int64_t s = (int64_t)(w % (uint64_t)nstarts);
                srrw_walk(W, starts ? starts[s] : s, w, out + i * W->opt.length,
                          visits);
            }
        }
        free(visits);
    }
    if (failed)
        GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory allocating the SRRW visit "
                 "counts (%" PRId64 " x 4 bytes per thread)", n);
    return 0;
#undef FREE_ALL
}

int grl_walks_generate(int64_t **walks, int64_t *count, grl_graph *G,
                       const int64_t *starts, int64_t nstarts,
                       const grl_walk_options *opt, char *msg)
{
    grl_msg_clear(msg);
    grl_walker *W = NULL;
    int64_t *out = NULL;
#define FREE_ALL grl_walker_free(&W); free(out)
    GRL_REQUIRE(walks != NULL && count != NULL && G != NULL,
                "grl_walks_generate: NULL argument");
    *walks = NULL;
    *count = 0;
    GRL_REQUIRE(starts == NULL || nstarts >= 0, "grl_walks_generate: negative "
                "start count %" PRId64, nstarts);
    GRL_TRY(grl_walker_new(&W, G, opt, msg));
    if (starts == NULL) nstarts = grl_graph_num_nodes(G);
    int64_t total;
    GRL_MUL_I64(total, nstarts, W->opt.walks_per_node, "the walk count (starts x "
                "walks per node)");
    int64_t cells;
    GRL_MUL_I64(cells, total, W->opt.length, "the walks' output (walks x length)");
    GRL_ALLOC(out, int64_t, cells);
    GRL_TRY(grl_walker_run(W, starts, nstarts, 0, total, out, msg));
    grl_walker_free(&W);
    *walks = out;
    *count = total;
    return 0;
#undef FREE_ALL
}
