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

/* The walks' own layout of the rows, when it fits 32-bit words: node v's
 * row, at offset row_start[v], holds v, its degree, Ap[v] (its first arc's
 * CSR position, for weights), then its arcs as the offsets of their
 * targets' rows (increasing, like the ids, so a row stays sorted). A step
 * then reads one row, the length beside the arcs and the next row's
 * address in them, where the CSR arrays need Ap[v] first, then the row:
 * one miss a step instead of two dependent ones. A row starts on a new
 * cache line when it would otherwise span more lines than its length
 * needs (degree 20: 2 lines, not 2.3 on average). Only a speed-up: without
 * the memory for it, the walks read the CSR arrays (the same walks).
 * (G(1M, 10M), node2vec, load 5: 21 M steps/s of CPU time packed
 * without gaps, 22.4-22.9 M with them; building it reads row_start at
 * random once an arc: 75-80 ms of CPU, against 22 ms for a plain 32-bit
 * copy of the columns; 4 bytes an arc, 16 a node and the gaps, 10% more.) */
#define ROW_HEAD 3 /* v, degree, Ap[v] */
static void build_rows(grl_walk_csr *c)
{
    const int64_t n = (int64_t)c->a.n;
    const GrB_Index *Ap = c->a.Ap, *Aj = c->a.Aj;
    if (Ap[n] == 0) return;
    uint32_t *start = grl_malloc(sizeof(uint32_t) * (size_t)n), *rows = NULL;
    if (start == NULL) return;
    uint64_t words = 0;
    for (int64_t v = 0; v < n; v++) { /* (truncated offsets: refused below) */
        const uint64_t len = ROW_HEAD + Ap[v + 1] - Ap[v], in_line = words % 16;
        if ((in_line + len + 15) / 16 > (len + 15) / 16) words += 16 - in_line;
        start[v] = (uint32_t)words;
        words += len;
    }
    if (words <= (uint64_t)UINT32_MAX + 1)
        rows = grl_malloc(sizeof(uint32_t) * (size_t)words);
    if (rows == NULL) {
        free(start);
        return;
    }
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t v = 0; v < n; v++) {
        uint32_t *row = rows + start[v];
        row[0] = (uint32_t)v;
        row[1] = (uint32_t)(Ap[v + 1] - Ap[v]);
        row[2] = (uint32_t)Ap[v];
        for (GrB_Index p = Ap[v]; p < Ap[v + 1]; p++)
            row[ROW_HEAD + p - Ap[v]] = start[Aj[p]];
    }
    c->rows = rows;
    c->row_start = start;
}

/* A walk stands at a node's row, named by its offset in the layout, or,
 * without one, by the node itself (the row is then read through Ap and Aj).
 * Rows are in node order, so comparing rows compares their nodes. */

/* The row of node v. */
static inline int64_t row_of(const grl_walk_csr *c, int64_t v)
{
    return c->rows ? (int64_t)c->row_start[v] : v;
}

/* The node of row h. */
static inline int64_t row_node(const grl_walk_csr *c, int64_t h)
{
    return c->rows ? (int64_t)c->rows[h] : h;
}

/* A row's arcs: positions first .. first+len-1 of the arc array (the layout,
 * or Aj) and p0 .. p0+len-1 of the CSR (its weights). */
typedef struct {
    GrB_Index first, len, p0;
} walk_row;

static inline walk_row row_at(const grl_walk_csr *c, int64_t h)
{
    if (c->rows)
        return (walk_row){(GrB_Index)h + ROW_HEAD, c->rows[h + 1], c->rows[h + 2]};
    const GrB_Index lo = c->a.Ap[h];
    return (walk_row){lo, c->a.Ap[h + 1] - lo, lo};
}

/* The row the arc at position q of the arc array leads to. */
static inline int64_t arc_at(const grl_walk_csr *c, GrB_Index q)
{
    return c->rows ? (int64_t)c->rows[q] : (int64_t)c->a.Aj[q];
}

/* The address of position q of the arc array, for prefetches. */
static inline const void *arc_address(const grl_walk_csr *c, GrB_Index q)
{
    return c->rows ? (const void *)&c->rows[q] : (const void *)&c->a.Aj[q];
}

/* Fetch the start of row h ahead of its use. */
static inline void prefetch_row(const grl_walk_csr *c, int64_t h)
{
    if (c->rows) __builtin_prefetch(&c->rows[h]);
    else __builtin_prefetch(&c->a.Ap[h]);
}

/* Prefetch r's arcs (their entries in the arc array and, weighted,
 * cumulative weights), at most ROW_LINES cache lines of each. Integer
 * addresses: GCC 12 dropped this loop entirely when it compared pointers
 * (node2vec then ran at 11 M steps/s of CPU instead of 19 M). */
#define ROW_LINES 8
static inline void prefetch_span(const void *first, const void *end)
{
    uintptr_t a = (uintptr_t)first & ~(uintptr_t)63;
    const uintptr_t stop = a + 64 * ROW_LINES < (uintptr_t)end
                               ? a + 64 * ROW_LINES : (uintptr_t)end;
    for (; a < stop; a += 64) __builtin_prefetch((const void *)a);
}
static inline void prefetch_arcs(const grl_walk_csr *c, walk_row r)
{
    prefetch_span(arc_address(c, r.first), arc_address(c, r.first + r.len));
    if (c->cum) prefetch_span(&c->cum[r.p0], &c->cum[r.p0 + r.len]);
}

/* The index in r of one first-order step (r has arcs). */
static inline GrB_Index step_in_row(const grl_walk_csr *c, walk_row r,
                                    grl_walk_rng *rng)
{
    return grl_walk_rng_between(c, r.p0, r.p0 + r.len, rng) - r.p0;
}

/* The weight of arc i of r: 1 unweighted. */
static inline double arc_weight(const grl_walk_csr *c, walk_row r, GrB_Index i)
{
    return c->cum ? c->a.Ax[r.p0 + i] : 1.0;
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
    build_rows(&w->csr);
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

/* The index of x in the sorted row[0 .. len-1], or -1, for rows of 32- and
 * 64-bit entries. The row is in cache (the walk's previous row), so the
 * cost is the compare chain: a short row is counted without branches
 * (independent compares, vectorised), a long one binary-searched without
 * branches. */
#define SHORT_ROW 32
#define DEFINE_ROW_FIND(name, T)                                               \
    static inline int64_t name(const T *row, GrB_Index len, GrB_Index x)      \
    {                                                                          \
        const T key = (T)x, *at = row;                                         \
        if (len <= SHORT_ROW) {                                                \
            GrB_Index below = 0;                                               \
            for (GrB_Index i = 0; i < len; i++) below += row[i] < key;        \
            return below < len && row[below] == key ? (int64_t)below : -1;    \
        }                                                                      \
        while (len > 1) { /* x, if present, lies in at[0 .. len-1] */          \
            GrB_Index half = len / 2;                                          \
            at = at[half] <= key ? at + half : at;                             \
            len -= half;                                                       \
        }                                                                      \
        return *at == key ? at - row : -1;                                     \
    }
DEFINE_ROW_FIND(row_find32, uint32_t)
DEFINE_ROW_FIND(row_find64, GrB_Index)

/* The index in r of its arc to row x, or -1. */
static inline int64_t row_find(const grl_walk_csr *c, walk_row r, int64_t x)
{
    return c->rows ? row_find32(c->rows + r.first, r.len, (GrB_Index)x)
                   : row_find64(c->a.Aj + r.first, r.len, (GrB_Index)x);
}

/* node2vec's parameters as the step uses them: the weights 1/p and 1/q,
 * hi = max(1, 1/q) and lo = min(1, 1/q) (the bounds of every weight but
 * the return's), and whether every arc t -> v has v -> t of equal weight. */
typedef struct {
    double inv_p, inv_q, hi, lo;
    bool symmetric;
} node2vec_law;

/* node2vec's weight of x after t -> v, rt t's row: 1/p (x = t), 1 (arc
 * t -> x), 1/q. */
static inline double node2vec_weight(const grl_walk_csr *c, int64_t t,
                                     walk_row rt, int64_t x,
                                     const node2vec_law *law)
{
    return x == t ? law->inv_p : row_find(c, rt, x) >= 0 ? 1.0 : law->inv_q;
}

/* Rejections before node2vec_step draws from the exact law by a scan of the
 * row: an extreme p or q (1e39) would otherwise reject almost forever. */
#define NODE2VEC_TRIES 1024

/* A uniform in [0, 1) from one 32-bit draw: node2vec's accept tests need
 * no more resolution (a probability moves by at most 2^-32), and a step
 * then uses half the random bits. */
static inline double unit32(grl_walk_rng *rng)
{
    return grl_walk_rng_u32(rng) * 0x1p-32;
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
 * the row's products (first-order weight x node2vec weight). t, v and x
 * are rows (see row_of). Returns x (-1: v has no out-arcs) and sets *w_arc
 * to the weight of the arc v -> x. */
static int64_t node2vec_step(const grl_walk_csr *c, const node2vec_law *law,
                             int64_t t, int64_t v, double back_w, grl_walk_rng *rng,
                             double *w_arc)
{
    const walk_row r = row_at(c, v), rt = row_at(c, t);
    if (r.len == 0) return -1;
    double excess = 0;
    if (law->inv_p > law->hi) { /* t is an outlier, if v -> t exists */
        int64_t back = law->symmetric ? 0 : row_find(c, r, t);
        if (back >= 0) {
            if (!law->symmetric && c->cum) back_w = arc_weight(c, r, back);
            double q1t = c->cum ? back_w / c->cum[r.p0 + r.len - 1]
                                : 1.0 / (double)r.len;
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
        GrB_Index i = step_in_row(c, r, rng);
        int64_t x = arc_at(c, r.first + i);
        if (x == t ? u < law->inv_p
                   : u < law->lo || u < node2vec_weight(c, t, rt, x, law)) {
            *w_arc = arc_weight(c, r, i);
            return x;
        }
    }
    double total = 0, s = 0;
    for (GrB_Index i = 0; i < r.len; i++)
        total += arc_weight(c, r, i) *
                 node2vec_weight(c, t, rt, arc_at(c, r.first + i), law);
    double target = grl_walk_rng_uniform(rng) * total;
    GrB_Index i = 0;
    for (; i < r.len - 1; i++) { /* rounding: the last neighbour */
        s += arc_weight(c, r, i) *
             node2vec_weight(c, t, rt, arc_at(c, r.first + i), law);
        if (s > target) break;
    }
    *w_arc = arc_weight(c, r, i);
    return arc_at(c, r.first + i);
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
 * step, 2.2 M then; on the walk layout, where the candidate's row gives its
 * node and is the next step's row, 4.8-5.0 M at load 5 against 3.2-3.6 M
 * on the CSR arrays; the walk still waits on two misses a step alone).
 * After SRRW_TRIES rejections, one draw from the exact law by a scan.
 * Returns the next row (-1: row h has no arcs) and sets *node to its node. */
static int64_t srrw_step(const grl_walk_csr *c, int64_t h, double alpha,
                         const double *inv_mu, const uint32_t *visits,
                         grl_walk_rng *rng, int64_t *node)
{
    const walk_row r = row_at(c, h);
    if (r.len == 0) return -1;
    for (int tries = 0; tries < SRRW_TRIES; tries++) {
        int64_t next = arc_at(c, r.first + step_in_row(c, r, rng));
        int64_t j = row_node(c, next);
        prefetch_arcs(c, row_at(c, next)); /* the next step's, if accepted */
        if (!visits[j] ||
            grl_walk_rng_uniform(rng) < srrw_factor(visits[j], inv_mu[j], alpha)) {
            *node = j;
            return next;
        }
    }
    double total = 0;
    for (GrB_Index i = 0; i < r.len; i++) {
        int64_t j = row_node(c, arc_at(c, r.first + i));
        total += arc_weight(c, r, i) * srrw_factor(visits[j], inv_mu[j], alpha);
    }
    double target = grl_walk_rng_uniform(rng) * total, s = 0;
    GrB_Index i = 0;
    for (; i < r.len - 1; i++) { /* rounding: the last neighbour */
        int64_t j = row_node(c, arc_at(c, r.first + i));
        s += arc_weight(c, r, i) * srrw_factor(visits[j], inv_mu[j], alpha);
        if (s > target) break;
    }
    const int64_t next = arc_at(c, r.first + i);
    *node = row_node(c, next);
    return next;
}

/* SRRW walk w from `start` into out[0 .. L-1] (its visit counts make each
 * step depend on the whole walk so far, so it walks alone). */
static void srrw_walk(const grl_walker *W, int64_t start, uint64_t w,
                      int64_t *out, uint32_t *visits)
{
    const grl_walk_options *o = &W->opt;
    const grl_walk_csr *c = &W->csr;
    const int64_t L = o->length, home = row_of(c, start);
    grl_walk_rng rng;
    grl_walk_rng_init(&rng, o->seed, w);
    int64_t h = home, k = 1;
    out[0] = start;
    visits[start]++;
    for (; k < L; k++) {
        int64_t v = start;
        if (o->restart > 0 && grl_walk_rng_uniform(&rng) < o->restart) {
            h = home;
        } else {
            h = srrw_step(c, h, o->srrw_alpha, W->inv_mu, visits, &rng, &v);
            if (h < 0) {
                if (o->restart == 0) break;
                h = home; /* dangling: jump back, like PPR */
            }
        }
        out[k] = v;
        visits[v]++;
    }
    for (int64_t r = k; r < L; r++) out[r] = -1;
    for (int64_t r = 0; r < k; r++) visits[out[r]] = 0; /* this walk's */
}

/* Uniform, weighted and node2vec walks (with or without restarts) in
 * lock-step groups of WALK_GROUP, so the cache misses of a step overlap
 * across the group: a walk prefetches the start of its new row as it
 * moves; at the next step it reads the row's length there (and writes its
 * node out), then a first-order walk draws its arc and prefetches it, a
 * node2vec walk prefetches its whole row (up to ROW_LINES cache lines),
 * which its proposals read and, one step later, its arc tests search;
 * then each walk moves. (G(1M, 10M), p 0.5, q 2, 1 thread, load 20: 4.7 M
 * steps/s of CPU time with only the row's first line prefetched, a search
 * of v's row for t, branchy searches and three draws a proposal; 12.1 M
 * then, uniform walks 36 M; 2 or 4 lines instead of 8: 8 M, 12 M. With the
 * layout, load 5-10: 19-20 M against 16.5-18.7 M on the CSR arrays in the
 * same runs; then Philox blocks made 16 at a time (grl_walk_rng): 20.6-21 M;
 * rows kept on as few lines as their length needs: 22.9-23.1 M, against
 * 16.8-17.3 M on the CSR arrays, un-niced at load 5. Tried and left out,
 * no better within noise: two lines prefetched on arrival instead of one
 * (15 M), groups of 16 or 64, prefetching into L2 only, a software
 * pipeline running the two halves of a step half a group apart, an
 * AVX-512 clone of this function (5% slower), a table of 1/degree. On
 * G(8000, 80000), all in cache, 24 M: the step is bound by its arithmetic
 * and the proposals' unpredictable accept branches as much as by memory.)
 * Each walk draws from its own stream (seed, w) in a fixed order, so the
 * output does not depend on the grouping or the thread count. */
#define WALK_GROUP 32
#define RESTARTED (-2)   /* pos[]: the walk jumps back to its start */
#define SECOND_ORDER (-3) /* pos[]: a node2vec step is pending */

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
    grl_walk_rng rng[WALK_GROUP];
    /* rows: cur (the walk's), prev (the one before, or -1), st (its start) */
    int64_t cur[WALK_GROUP], prev[WALK_GROUP], st[WALK_GROUP], pos[WALK_GROUP];
    walk_row row[WALK_GROUP]; /* cur's */
    double w_last[WALK_GROUP]; /* node2vec: the weight of the arc prev -> cur */
    bool alive[WALK_GROUP];
    for (int64_t b = 0; b < cnt; b++) {
        uint64_t w = w0 + (uint64_t)b;
        int64_t s = (int64_t)(w % (uint64_t)nstarts);
        st[b] = cur[b] = row_of(c, starts ? starts[s] : s);
        prev[b] = -1;
        w_last[b] = 1.0;
        grl_walk_rng_init(&rng[b], W->opt.seed, w);
        alive[b] = true;
        prefetch_row(c, cur[b]);
    }
    for (int64_t k = 1; k < L; k++) {
        for (int64_t b = 0; b < cnt; b++) {
            if (!alive[b]) continue;
            out[b * L + k - 1] = row_node(c, cur[b]); /* its row is here now */
            row[b] = row_at(c, cur[b]);
            if (restart > 0 && grl_walk_rng_uniform(&rng[b]) < restart) {
                pos[b] = RESTARTED;
            } else if (n2v && prev[b] >= 0) {
                pos[b] = SECOND_ORDER;
                prefetch_arcs(c, row[b]);
            } else if (row[b].len > 0) {
                pos[b] = (int64_t)step_in_row(c, row[b], &rng[b]);
                __builtin_prefetch(arc_address(c, row[b].first + (GrB_Index)pos[b]));
            } else {
                pos[b] = -1;
            }
        }
        for (int64_t b = 0; b < cnt; b++) {
            if (!alive[b]) continue;
            int64_t next = -1;
            if (pos[b] == SECOND_ORDER) {
                next = node2vec_step(c, &law, prev[b], cur[b], w_last[b],
                                     &rng[b], &w_last[b]);
            } else if (pos[b] >= 0) {
                next = arc_at(c, row[b].first + (GrB_Index)pos[b]);
                w_last[b] = arc_weight(c, row[b], (GrB_Index)pos[b]);
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
            cur[b] = next;
            prefetch_row(c, next);
        }
    }
    for (int64_t b = 0; b < cnt; b++)
        if (alive[b]) out[b * L + L - 1] = row_node(c, cur[b]);
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
