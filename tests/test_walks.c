/* test_walks.c — the random-walk engine: walks follow arcs, the first- and
 * second-order transition laws match their formulas (uniform, weighted,
 * node2vec, restart, SRRW), bit-identical corpora for 1 and 2 threads,
 * dangling nodes, errors. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grl/walks.h"
#include "grl_internal.h" /* grl_debug_fail_alloc_only */

static grl_graph *build(int64_t n, const int64_t *src, const int64_t *dst,
                        const double *w, int64_t m, bool directed)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, n, src, dst, w, m, directed, NULL, msg));
    return G;
}

/* dense adjacency of G (weights) */
static double *dense_adj(grl_graph *G)
{
    int64_t n = grl_graph_num_nodes(G);
    GrB_Index nv;
    GrB_Matrix_nvals(&nv, grl_graph_matrix(G));
    GrB_Index *I = malloc(sizeof(GrB_Index) * nv), *J = malloc(sizeof(GrB_Index) * nv);
    double *X = malloc(sizeof(double) * nv), *A = calloc(n * n, sizeof(double));
    GrB_Matrix_extractTuples_FP64(I, J, X, &nv, grl_graph_matrix(G));
    for (GrB_Index t = 0; t < nv; t++) A[I[t] * n + J[t]] = X[t];
    free(I); free(J); free(X);
    return A;
}

static void test_walks_follow_arcs(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("karate/edges.txt"), NULL, msg));
    double *A = dense_adj(G);
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 20;
    o.walks_per_node = 3;
    int64_t *W = NULL, count = 0, n = grl_graph_num_nodes(G);
    assert_ok(grl_walks_generate(&W, &count, G, NULL, 0, &o, msg));
    assert_int_equal(count, 3 * n);
    for (int64_t w = 0; w < count; w++) {
        assert_int_equal(W[w * 20], w % n); /* round-major starts */
        for (int k = 1; k < 20; k++)
            assert_true(A[W[w * 20 + k - 1] * n + W[w * 20 + k]] > 0);
    }
    grl_free(W);
    free(A);
    grl_graph_free(&G);
}

/* the empirical law of the step after `from` over many walks */
static void step_histogram(grl_graph *G, const grl_walk_options *o,
                           int64_t start, int64_t nwalks, int at,
                           double *hist, int64_t n)
{
    char msg[GRL_MSG_LEN];
    int64_t *starts = malloc(sizeof(int64_t) * nwalks), *W = NULL, count;
    for (int64_t i = 0; i < nwalks; i++) starts[i] = start;
    grl_walk_options one = *o;
    one.walks_per_node = 1;
    assert_ok(grl_walks_generate(&W, &count, G, starts, nwalks, &one, msg));
    memset(hist, 0, sizeof(double) * n);
    for (int64_t w = 0; w < count; w++) hist[W[w * one.length + at]] += 1.0 / nwalks;
    grl_free(W);
    free(starts);
}

static void test_weighted_first_step(void **state)
{
    /* star: 0 - 1 (w 1), 0 - 2 (w 3), 0 - 3 (w 6) */
    const int64_t s[] = {0, 0, 0}, d[] = {1, 2, 3};
    const double w[] = {1, 3, 6};
    grl_graph *G = build(4, s, d, w, 3, false);
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 2;
    double h[4];
    int64_t N = 200000;
    step_histogram(G, &o, 0, N, 1, h, 4);
    for (int j = 1; j <= 3; j++) /* 4.5 standard deviations */
        assert_double_near(h[j], w[j - 1] / 10, 4.5 * sqrt(0.25 / N));
    o.weighted = false;
    step_histogram(G, &o, 0, N, 1, h, 4);
    for (int j = 1; j <= 3; j++) assert_double_near(h[j], 1.0 / 3, 4.5 * sqrt(0.25 / N));
    grl_graph_free(&G);
}

/* node2vec on a triangle 0,1,2 with a pendant 3 on node 1 (weights
 * w(1,0) = 1, w(1,2) = 2, w(1,3) = 3 when weighted): among walks 0 -> 1,
 * the next node x is drawn with probability proportional to w(1,x) b(x),
 * b = 1/p for the return to 0, 1 for 2 (arc 0 -> 2 exists), 1/q for 3.
 * The settings cover a return weight above every other (the outlier
 * path), below them, and 1/q above 1; a directed copy without 1 -> 0 has
 * no return at all. */
static void test_node2vec_second_order(void **state)
{
    char msg[GRL_MSG_LEN];
    const int64_t s[] = {0, 1, 1, 2, 0}, d[] = {1, 2, 3, 0, 2};
    const double wt[] = {1, 2, 3, 1, 1};
    const struct { double p, q; int weighted, directed; } cases[] = {
        {0.5, 4, 0, 0}, {0.5, 4, 1, 0}, {0.25, 0.5, 1, 0}, {2, 0.25, 0, 0},
        {4, 2, 1, 0}, {0.5, 4, 0, 1},
    };
    const int64_t N = 200000;
    int64_t *starts = calloc(N, sizeof(int64_t)), *W, count;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        /* undirected: the triangle 0,1,2 and 1-3 (the fifth arc repeats
         * 2-0); directed: 0->1, 1->2, 1->3, 2->0, 0->2 */
        grl_graph *G = build(4, s, d, cases[c].weighted ? wt : NULL, 5,
                             cases[c].directed);
        grl_walk_options o;
        grl_walk_options_init(&o);
        o.length = 3;
        o.p = cases[c].p;
        o.q = cases[c].q;
        o.walks_per_node = 1;
        o.seed = 11 + c;
        assert_ok(grl_walks_generate(&W, &count, G, starts, N, &o, msg));
        double h[4] = {0}, seen = 0;
        for (int64_t w = 0; w < count; w++) {
            if (W[w * 3 + 1] != 1) continue;
            seen++;
            h[W[w * 3 + 2]]++;
        }
        double want[4] = {cases[c].directed ? 0 : 1 / o.p, 0, 1, 1 / o.q};
        if (cases[c].weighted) { want[2] *= 2; want[3] *= 3; }
        double z = want[0] + want[2] + want[3], tol = 4.5 * sqrt(0.25 / seen);
        for (int x = 0; x < 4; x++)
            assert_double_near(h[x] / seen, want[x] / z, tol);
        grl_free(W);
        grl_graph_free(&G);
    }
    free(starts);
}

/* node2vec over whole walks against the exact second-order law: on small
 * weighted graphs (undirected, and directed with one-way arcs), every step
 * t -> v -> x after the first, at every position, is counted per (t, v)
 * and compared with A(v,x) b(t,x) / sum_y A(v,y) b(t,y), b = 1/p (x = t),
 * 1 (arc t -> x), 1/q; for return weights above and below the others. */
static void test_node2vec_whole_walks(void **state)
{
    char msg[GRL_MSG_LEN];
    enum { n = 6, L = 8 };
    const int64_t s[] = {0, 0, 1, 1, 2, 3, 4, 2, 3, 5};
    const int64_t d[] = {1, 2, 2, 3, 3, 4, 5, 5, 2, 3};
    const double w[] = {1, 2, 1, 3, 1, 2, 1, 4, 2, 1};
    const struct { double p, q; int directed; } cases[] = {
        {0.5, 2, 0}, {2, 0.5, 0}, {0.25, 4, 1}, {1, 0.25, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        grl_graph *G = build(n, s, d, w, 10, cases[c].directed);
        double *A = dense_adj(G);
        grl_walk_options o;
        grl_walk_options_init(&o);
        o.length = L;
        o.walks_per_node = 20000;
        o.p = cases[c].p;
        o.q = cases[c].q;
        o.seed = 5 + c;
        int64_t *W, count;
        assert_ok(grl_walks_generate(&W, &count, G, NULL, 0, &o, msg));
        static double cnt[n][n][n];
        memset(cnt, 0, sizeof cnt);
        for (int64_t i = 0; i < count; i++)
            for (int k = 2; k < L && W[i * L + k] >= 0; k++)
                cnt[W[i * L + k - 2]][W[i * L + k - 1]][W[i * L + k]]++;
        int checked = 0;
        for (int t = 0; t < n; t++)
            for (int v = 0; v < n; v++) {
                double seen = 0, law[n], z = 0;
                for (int x = 0; x < n; x++) {
                    seen += cnt[t][v][x];
                    double b = x == t ? 1 / o.p : A[t * n + x] > 0 ? 1 : 1 / o.q;
                    law[x] = A[v * n + x] * b;
                    z += law[x];
                }
                if (seen < 2000) continue;
                checked++;
                for (int x = 0; x < n; x++)
                    assert_double_near(cnt[t][v][x] / seen, law[x] / z,
                                       4.5 * sqrt(0.25 / seen));
            }
        assert_true(checked >= 10);
        grl_free(W);
        free(A);
        grl_graph_free(&G);
    }
}

static void test_restart(void **state)
{
    /* a directed cycle 0->1->2->...->9->0: without restarts position k is
     * node k; with restart r the walk is at 0 right after a restart */
    int64_t s[10], d[10];
    for (int i = 0; i < 10; i++) { s[i] = i; d[i] = (i + 1) % 10; }
    grl_graph *G = build(10, s, d, NULL, 10, true);
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 3;
    o.restart = 0.3;
    double h[10];
    int64_t N = 200000;
    step_histogram(G, &o, 0, N, 1, h, 10);
    assert_double_near(h[0], 0.3, 4.5 * sqrt(0.25 / N));
    assert_double_near(h[1], 0.7, 4.5 * sqrt(0.25 / N));
    step_histogram(G, &o, 0, N, 2, h, 10); /* 0: restart; 1: restart then move */
    assert_double_near(h[0], 0.3, 4.5 * sqrt(0.25 / N));
    assert_double_near(h[1], 0.3 * 0.7, 4.5 * sqrt(0.25 / N));
    assert_double_near(h[2], 0.7 * 0.7, 4.5 * sqrt(0.25 / N));
    grl_graph_free(&G);
}

/* SRRW on K4 (mu uniform, 1/mu = 4): after 0 -> j, node 0 and j have one
 * visit, so from j the return to 0 has weight (1 + 4)^-alpha, the two
 * unvisited neighbours weight 1. */
static void test_srrw_law(void **state)
{
    const int64_t s[] = {0, 0, 0, 1, 1, 2}, d[] = {1, 2, 3, 2, 3, 3};
    grl_graph *G = build(4, s, d, NULL, 6, false);
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 3;
    double h[4];
    int64_t N = 200000;
    for (int a = 0; a < 2; a++) {
        o.srrw_alpha = a == 0 ? 1.0 : 3.0;
        step_histogram(G, &o, 0, N, 2, h, 4);
        double r = pow(5.0, -o.srrw_alpha);
        assert_double_near(h[0], r / (r + 2), 4.5 * sqrt(0.25 / N));
    }
    /* alpha = 0 is the simple walk: return probability 1/3 */
    o.srrw_alpha = 0;
    step_histogram(G, &o, 0, N, 2, h, 4);
    assert_double_near(h[0], 1.0 / 3, 4.5 * sqrt(0.25 / N));
    grl_graph_free(&G);
}

/* SRRW over whole walks against the exact law: on a small weighted graph,
 * replay each walk's visit counts and, at every step, add the exact
 * probability of every neighbour j (P(i,j) (1 + c_j / mu_j)^-alpha,
 * normalised) to the expected count of j and of its visit class (unvisited,
 * once, more); the observed counts must lie within 4.5 standard deviations
 * (the sum of p (1 - p) over the steps) of them. */
static void test_srrw_whole_walks(void **state)
{
    char msg[GRL_MSG_LEN];
    enum { n = 6, L = 12 };
    const int64_t s[] = {0, 0, 1, 1, 2, 3, 4, 2, 3};
    const int64_t d[] = {1, 2, 2, 3, 3, 4, 5, 5, 5};
    const double w[] = {1, 2, 1, 3, 1, 2, 1, 4, 2};
    grl_graph *G = build(n, s, d, w, 9, false);
    double *A = dense_adj(G), deg[n] = {0}, total = 0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) deg[i] += A[i * n + j];
        total += deg[i];
    }
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = L;
    o.walks_per_node = 5000;
    o.srrw_alpha = 2;
    int64_t *W, count;
    assert_ok(grl_walks_generate(&W, &count, G, NULL, 0, &o, msg));
    double obs[n + 3] = {0}, expect[n + 3] = {0}, var[n + 3] = {0};
    for (int64_t i = 0; i < count; i++) {
        int visits[n] = {0};
        visits[W[i * L]]++;
        for (int k = 1; k < L; k++) {
            int64_t v = W[i * L + k - 1], x = W[i * L + k];
            double law[n], z = 0;
            for (int j = 0; j < n; j++) {
                law[j] = A[v * n + j] / deg[v] *
                         pow(1 + visits[j] * total / deg[j], -o.srrw_alpha);
                z += law[j];
            }
            for (int j = 0; j < n; j++) {
                double pj = law[j] / z;
                int cls = n + (visits[j] < 2 ? visits[j] : 2);
                expect[j] += pj; var[j] += pj * (1 - pj);
                expect[cls] += pj; var[cls] += pj * (1 - pj);
                obs[j] += x == j;
                obs[cls] += x == j;
            }
            visits[x]++;
        }
    }
    for (int b = 0; b < n + 3; b++)
        assert_double_near(obs[b], expect[b], 4.5 * sqrt(var[b]) + 1e-9);
    assert_true(expect[n + 1] > 1000 && expect[n + 2] > 1000);
    grl_free(W);
    free(A);
    grl_graph_free(&G);
}

/* a self-repellent walk covers a graph faster: fewer repeated nodes */
static void test_srrw_repels(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("karate/edges.txt"), NULL, msg));
    int64_t n = grl_graph_num_nodes(G);
    double distinct[2];
    for (int a = 0; a < 2; a++) {
        grl_walk_options o;
        grl_walk_options_init(&o);
        o.length = 30;
        o.walks_per_node = 20;
        o.srrw_alpha = a ? 2.0 : 0.0;
        int64_t *W, count;
        assert_ok(grl_walks_generate(&W, &count, G, NULL, 0, &o, msg));
        double total = 0;
        for (int64_t w = 0; w < count; w++) {
            char seen[64] = {0};
            for (int k = 0; k < 30; k++) seen[W[w * 30 + k]] = 1;
            for (int64_t i = 0; i < n; i++) total += seen[i];
        }
        distinct[a] = total / count;
        grl_free(W);
    }
    assert_true(distinct[1] > distinct[0] + 2);
    grl_graph_free(&G);
}

/* same bits for 1 and 2 threads, for every walk kind; seeds matter */
static void test_deterministic_across_threads(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("ca-grqc/CA-GrQc.txt"), NULL, msg));
    for (int kind = 0; kind < 4; kind++) {
        grl_walk_options o;
        grl_walk_options_init(&o);
        o.length = 15;
        o.walks_per_node = 2;
        if (kind == 1) { o.p = 0.25; o.q = 2; }
        if (kind == 2) o.restart = 0.2;
        if (kind == 3) o.srrw_alpha = 1;
        int64_t *W1, *W2, *W3, c1, c2, c3;
        assert_ok(grl_threads_set(1, msg));
        assert_ok(grl_walks_generate(&W1, &c1, G, NULL, 0, &o, msg));
        assert_ok(grl_threads_set(2, msg));
        assert_ok(grl_walks_generate(&W2, &c2, G, NULL, 0, &o, msg));
        assert_int_equal(c1, c2);
        assert_memory_equal(W1, W2, sizeof(int64_t) * c1 * o.length);
        o.seed = 7;
        assert_ok(grl_walks_generate(&W3, &c3, G, NULL, 0, &o, msg));
        assert_true(memcmp(W1, W3, sizeof(int64_t) * c1 * o.length) != 0);
        grl_free(W1); grl_free(W2); grl_free(W3);
    }
    /* a range of walks equals the same rows of the whole corpus */
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 10;
    int64_t *all, count;
    assert_ok(grl_walks_generate(&all, &count, G, NULL, 0, &o, msg));
    grl_walker *Wk = NULL;
    assert_ok(grl_walker_new(&Wk, G, &o, msg));
    int64_t part[100 * 10];
    assert_ok(grl_walker_run(Wk, NULL, 0, 12345, 100, part, msg));
    assert_memory_equal(part, all + 12345 * 10, sizeof part);
    grl_walker_free(&Wk);
    assert_null(Wk);
    grl_free(all);
    grl_graph_free(&G);
}

/* The walker's own layout of the rows (32-bit row offsets) is only a
 * speed-up: when its allocation is refused, the walks read the graph's CSR
 * arrays (64-bit columns) and are the same (every allocation of
 * grl_walker_new refused in turn: each attempt fails cleanly or gives the
 * same walks, and two of them are the layout's (its rows and their
 * offsets), tolerated). Uniform, weighted, node2vec (a directed graph, whose
 * back arc is searched) and SRRW walks. */
static void test_wide_columns_same_walks(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL, *D = NULL;
    assert_ok(grl_graph_load(&G, data_path("ca-grqc/CA-GrQc.txt"), NULL, msg));
    int64_t src[] = {0, 1, 2, 2, 3, 4, 4, 5}, dst[] = {1, 2, 0, 3, 4, 5, 0, 2};
    double w[] = {1, 2, 3, 1, 2, 5, 1, 4};
    D = build(6, src, dst, w, 8, true);
    for (int kind = 0; kind < 4; kind++) {
        grl_walk_options o;
        grl_walk_options_init(&o);
        o.length = 12;
        o.walks_per_node = 2;
        grl_graph *H = kind == 2 ? D : G;
        if (kind >= 1 && kind <= 2) { o.p = 0.25; o.q = 2; }
        if (kind == 3) o.srrw_alpha = 1;
        const int64_t count = 200, cells = count * o.length;
        int64_t *ref = malloc(sizeof(int64_t) * cells);
        int64_t *got = malloc(sizeof(int64_t) * cells);
        grl_walker *Wk = NULL;
        assert_ok(grl_walker_new(&Wk, H, &o, msg));
        assert_ok(grl_walker_run(Wk, NULL, 0, 0, count, ref, msg));
        grl_walker_free(&Wk);
        int tolerated = 0;
        for (int64_t k = 0; k < 64; k++) {
            grl_debug_fail_alloc_only(k);
            int rc = grl_walker_new(&Wk, H, &o, msg);
            int64_t refused = grl_debug_fail_alloc_after(-1);
            if (rc < 0) {
                assert_null(Wk);
                continue;
            }
            assert_ok(grl_walker_run(Wk, NULL, 0, 0, count, got, msg));
            assert_memory_equal(got, ref, sizeof(int64_t) * cells);
            grl_walker_free(&Wk);
            if (refused == 0) break; /* past the last allocation */
            tolerated++;
        }
        assert_int_equal(tolerated, 2);
        free(ref);
        free(got);
    }
    grl_graph_free(&G);
    grl_graph_free(&D);
}

/* The walk engine draws from Philox blocks made sixteen at a time (one
 * AVX-512 lane each where the CPU has them): they must be grl_rng_philox's
 * blocks, also where the 64-bit counter's low word wraps within a batch
 * (lanes carry) and where the counter itself wraps. */
static void test_philox_batch(void **state)
{
    const uint64_t counters[] = {0, 5, 0xFFFFFFF8u, 0xFFFFFFFFu,
                                 0x1FFFFFFF3ull, UINT64_MAX - 7};
    for (uint64_t k = 0; k < 300; k++) {
        uint64_t seed = k * 0x9E3779B97F4A7C15ull, stream = k * 1000003 ^ (k << 41);
        uint64_t counter = k < 6 ? counters[k] : k * 0x10001ull;
        uint32_t batch[4 * GRL_PHILOX_BATCH], one[4];
        grl_rng_philox_batch(seed, stream, counter, batch);
        for (int b = 0; b < GRL_PHILOX_BATCH; b++) {
            grl_rng_philox(seed, stream, counter + (uint64_t)b, one);
            assert_memory_equal(batch + 4 * b, one, sizeof one);
        }
    }
}

static void test_dangling_and_errors(void **state)
{
    char msg[GRL_MSG_LEN];
    const int64_t s[] = {0, 1}, d[] = {1, 2}; /* 0 -> 1 -> 2, 2 dangling */
    grl_graph *G = build(3, s, d, NULL, 2, true);
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 5;
    o.walks_per_node = 1;
    int64_t *W, count;
    assert_ok(grl_walks_generate(&W, &count, G, NULL, 0, &o, msg));
    const int64_t want0[] = {0, 1, 2, -1, -1}, want2[] = {2, -1, -1, -1, -1};
    assert_memory_equal(W, want0, sizeof want0);
    assert_memory_equal(W + 10, want2, sizeof want2);
    grl_free(W);
    o.restart = 0.01; /* a dangling node jumps back to the start */
    const int64_t st = 1;
    assert_ok(grl_walks_generate(&W, &count, G, &st, 1, &o, msg));
    assert_int_equal(W[1], 2);
    assert_int_equal(W[2], 1);
    grl_free(W);
    /* a negative start count is an argument error, not an allocation of
     * (size_t)-1 walks reported as out of memory */
    assert_int_equal(grl_walks_generate(&W, &count, G, &st, -1, &o, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "negative start count"));
    assert_null(W);
    grl_walker *Wk = NULL;
    o.restart = 0;
    o.srrw_alpha = 1;
    assert_int_equal(grl_walker_new(&Wk, G, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "undirected"));
    o.srrw_alpha = 0;
    o.p = 0;
    assert_int_equal(grl_walker_new(&Wk, G, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "p and q must be positive"));
    o.p = 1;
    o.length = 0;
    assert_int_equal(grl_walker_new(&Wk, G, &o, msg), GRL_INVALID_ARGUMENT);
    o.length = 4;
    assert_ok(grl_walker_new(&Wk, G, &o, msg));
    int64_t bad = 7, out[4];
    assert_int_equal(grl_walker_run(Wk, &bad, 1, 0, 1, out, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "out of range"));
    grl_walker_free(&Wk);
    /* the graph is usable again after the walker handed it back */
    assert_int_equal(grl_graph_num_arcs(G), 2);
    GrB_Index nv;
    assert_int_equal(GrB_Matrix_nvals(&nv, grl_graph_matrix(G)), GrB_SUCCESS);
    assert_int_equal(nv, 2);
    grl_graph_free(&G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walks_follow_arcs),
        cmocka_unit_test(test_weighted_first_step),
        cmocka_unit_test(test_node2vec_second_order),
        cmocka_unit_test(test_node2vec_whole_walks),
        cmocka_unit_test(test_restart),
        cmocka_unit_test(test_srrw_law),
        cmocka_unit_test(test_srrw_whole_walks),
        cmocka_unit_test(test_srrw_repels),
        cmocka_unit_test(test_deterministic_across_threads),
        cmocka_unit_test(test_wide_columns_same_walks),
        cmocka_unit_test(test_philox_batch),
        cmocka_unit_test(test_dangling_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
