/* test_ppr.c — personalized PageRank against independent oracles: a dense
 * LAPACK solve of (I - (1-alpha) P~^T) p = alpha e_u (dangling rows replaced
 * per policy), igraph's personalized PageRank, and, for the approximate
 * methods on real graphs, the exact method: push's bounds, Monte Carlo
 * fingerprints, PowerWalk's RAG@200 / precision@100 and stopping rule,
 * FORA's and SpeedPPR's guarantee. */
#define _GNU_SOURCE /* qsort_r */
#include "testutil.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grl/igraph_bridge.h"
#include "grl/walks.h"

/* a weighted directed graph with a sink (5), a source-only node (4) and an
 * isolated node (6): both dangling */
static const int64_t SRC[] = {0, 0, 1, 2, 2, 3, 4, 1, 3};
static const int64_t DST[] = {1, 2, 2, 0, 3, 1, 3, 5, 5};
static const double W[] = {1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 2.0, 1.0, 0.25};
enum { N = 7, M = 9 };

/* the dense row-major matrix of G */
static double *dense(GrB_Matrix A, int64_t rows, int64_t cols)
{
    GrB_Index nv;
    GrB_Matrix_nvals(&nv, A);
    GrB_Index *I = malloc(sizeof(GrB_Index) * (nv + 1)), *J = malloc(sizeof(GrB_Index) * (nv + 1));
    double *X = malloc(sizeof(double) * (nv + 1)), *D = calloc(rows * cols, sizeof(double));
    GrB_Matrix_extractTuples_FP64(I, J, X, &nv, A);
    for (GrB_Index t = 0; t < nv; t++) D[I[t] * cols + J[t]] = X[t];
    free(I); free(J); free(X);
    return D;
}

/* p_u from the dense linear system, by LAPACK dgesv */
static void dense_ppr(const double *A, int64_t n, bool weighted, int64_t u,
                      double alpha, grl_dangling_policy policy, double *p)
{
    double *S = calloc(n * n, sizeof(double)); /* S = I - (1-alpha) P~^T */
    for (int64_t i = 0; i < n; i++) {
        double deg = 0;
        for (int64_t j = 0; j < n; j++) deg += weighted ? A[i * n + j] : (A[i * n + j] != 0);
        for (int64_t j = 0; j < n; j++) {
            double pij = deg > 0 ? (weighted ? A[i * n + j] : (A[i * n + j] != 0)) / deg
                       : policy == GRL_DANGLING_SOURCE ? (j == u) : 1.0 / n;
            S[j * n + i] -= (1 - alpha) * pij; /* transposed */
        }
        S[i * n + i] += 1;
    }
    for (int64_t i = 0; i < n; i++) p[i] = i == u ? alpha : 0;
    lapack_int *piv = malloc(sizeof(lapack_int) * n);
    assert_int_equal(LAPACKE_dgesv(LAPACK_ROW_MAJOR, n, 1, S, n, piv, p, 1), 0);
    free(piv);
    free(S);
}

static grl_graph *small_graph(bool weighted)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, N, SRC, DST, weighted ? W : NULL, M, true,
                                   NULL, msg));
    return G;
}

static double l1(const double *a, const double *b, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += fabs(a[i] - b[i]);
    return s;
}

static void test_exact_matches_dense_solve(void **state)
{
    char msg[GRL_MSG_LEN];
    for (int weighted = 0; weighted < 2; weighted++) {
        grl_graph *G = small_graph(weighted);
        double *A = dense(grl_graph_matrix(G), N, N);
        int64_t all[N];
        for (int i = 0; i < N; i++) all[i] = i;
        for (int policy = 0; policy < 2; policy++) {
            for (int a = 0; a < 2; a++) {
                grl_ppr_options o;
                grl_ppr_options_init(&o);
                o.dangling = policy;
                o.alpha = a ? 0.5 : 0.15;
                GrB_Matrix P = NULL;
                assert_ok(grl_ppr_compute(&P, G, all, N, &o, msg)); /* batch */
                double *got = dense(P, N, N), want[N];
                /* PowerPush (sweeps take over at once on N nodes) */
                grl_ppr_options pp = o;
                pp.method = GRL_PPR_POWERPUSH;
                GrB_Matrix PP = NULL;
                assert_ok(grl_ppr_compute(&PP, G, all, N, &pp, msg));
                double *pushed = dense(PP, N, N);
                GrB_Matrix_free(&PP);
                for (int u = 0; u < N; u++) {
                    dense_ppr(A, N, weighted, u, o.alpha, policy, want);
                    assert_true(l1(got + u * N, want, N) < 1e-9);
                    assert_true(l1(pushed + u * N, want, N) < 1e-9);
                    /* a single source gives the same vector */
                    GrB_Matrix P1 = NULL;
                    int64_t one = u;
                    assert_ok(grl_ppr_compute(&P1, G, &one, 1, &o, msg));
                    double *g1 = dense(P1, 1, N);
                    assert_true(l1(g1, want, N) < 1e-9);
                    free(g1);
                    GrB_Matrix_free(&P1);
                }
                free(got);
                free(pushed);
                GrB_Matrix_free(&P);
            }
        }
        free(A);
        grl_graph_free(&G);
    }
}

/* push with a tiny threshold converges to the dense solve on weighted
 * graphs, including one whose weights are all equal (stored iso) */
static void test_push_matches_dense_on_weighted(void **state)
{
    char msg[GRL_MSG_LEN];
    double same[M];
    for (int k = 0; k < M; k++) same[k] = 2.0;
    for (int t = 0; t < 2; t++) {
        grl_graph *G = NULL;
        assert_ok(grl_graph_from_edges(&G, N, SRC, DST, t ? same : W, M, true, NULL, msg));
        assert_true(grl_graph_is_weighted(G));
        double *A = dense(grl_graph_matrix(G), N, N), want[N];
        int64_t all[N];
        for (int i = 0; i < N; i++) all[i] = i;
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.method = GRL_PPR_PUSH;
        o.r_max = 1e-14;
        GrB_Matrix P = NULL;
        assert_ok(grl_ppr_compute(&P, G, all, N, &o, msg));
        double *got = dense(P, N, N);
        for (int u = 0; u < N; u++) {
            dense_ppr(A, N, true, u, o.alpha, GRL_DANGLING_SOURCE, want);
            assert_true(l1(got + u * N, want, N) < 1e-9);
        }
        free(got);
        free(A);
        GrB_Matrix_free(&P);
        grl_graph_free(&G);
    }
}

/* igraph's PRPACK personalized PageRank: the models coincide on graphs
 * without dangling nodes; on email-Eu-core (137 dangling nodes) igraph
 * sends dangling mass along the reset vector, grl's "source" policy. */
static void compare_igraph(const char *path, bool directed, int64_t nsrc)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(path, directed);
    int64_t n = grl_graph_num_nodes(G);
    igraph_t ig;
    assert_ok(grl_graph_to_igraph(G, &ig, NULL, msg));
    int64_t *src = malloc(sizeof(int64_t) * nsrc);
    for (int64_t s = 0; s < nsrc; s++) src[s] = (s * 7919) % n;
    GrB_Matrix P = NULL;
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    assert_ok(grl_ppr_compute(&P, G, src, nsrc, &o, msg));
    double *got = dense(P, nsrc, n);
    igraph_vector_t vec;
    igraph_vector_init(&vec, 0);
    for (int64_t s = 0; s < nsrc; s++) {
        assert_int_equal(igraph_personalized_pagerank_vs(
                             &ig, IGRAPH_PAGERANK_ALGO_PRPACK, &vec, NULL,
                             igraph_vss_all(), directed, 0.85,
                             igraph_vss_1((igraph_integer_t)src[s]), NULL, NULL),
                         IGRAPH_SUCCESS);
        double err = 0;
        for (int64_t i = 0; i < n; i++) err += fabs(VECTOR(vec)[i] - got[s * n + i]);
        assert_true(err < 1e-8);
    }
    igraph_vector_destroy(&vec);
    igraph_destroy(&ig);
    free(got);
    free(src);
    GrB_Matrix_free(&P);
    grl_graph_free(&G);
}

static void test_exact_matches_igraph(void **state)
{
    compare_igraph(data_path("karate/edges.txt"), false, 34);
    compare_igraph(data_path("email-eu-core/email-Eu-core.txt"), true, 20);
}

/* ------------------------------------------------------------------------ */
/* real graphs shared by the approximate-method tests (loaded once) */
static grl_graph *CA, *EMAIL;
static int64_t *SOURCES; /* 100 per graph, spread over degree quantiles */
static double *EXACT_CA, *EXACT_EMAIL;

static int cmp_deg_node(const void *a, const void *b, void *deg)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    double dx = ((double *)deg)[x], dy = ((double *)deg)[y];
    return dx < dy ? -1 : dx > dy ? 1 : (x > y) - (x < y);
}

/* k <= n sources across degree buckets: nodes grouped by floor(log2(degree))
 * (degree 0 in its own bucket), the buckets taken in turn, each giving its
 * nodes at evenly spaced positions of its degree order (deterministic). */
static void degree_spread(grl_graph *G, int64_t *out, int k)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(G);
    const double *deg;
    assert_ok(grl_graph_degree(G, GRL_OUT, false, &deg, msg));
    int64_t *order = malloc(sizeof(int64_t) * n);
    for (int64_t i = 0; i < n; i++) order[i] = i;
    qsort_r(order, n, sizeof(int64_t), cmp_deg_node, (void *)deg);
    int64_t start[66] = {0}, size[66] = {0}, want[66] = {0};
    int nb = 0;
    for (int64_t i = 0; i < n; i++) { /* order is sorted: buckets are runs */
        int b = deg[order[i]] < 1 ? 0 : 1 + (int)floor(log2(deg[order[i]]));
        if (size[b] == 0) start[b] = i;
        size[b]++;
        if (b + 1 > nb) nb = b + 1;
    }
    for (int taken = 0; taken < k;) /* round robin over non-empty buckets */
        for (int b = 0; b < nb && taken < k; b++)
            if (want[b] < size[b]) { want[b]++; taken++; }
    int s = 0;
    for (int b = 0; b < nb; b++)
        for (int64_t j = 0; j < want[b]; j++)
            out[s++] = order[start[b] + (int64_t)((j + 0.5) / want[b] * size[b])];
    free(order);
}

static int setup(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_load_options lo;
    grl_load_options_init(&lo);
    if (grl_graph_load(&CA, data_path("ca-grqc/CA-GrQc.txt"), &lo, msg) < 0) return -1;
    lo.directed = 1;
    if (grl_graph_load(&EMAIL, data_path("email-eu-core/email-Eu-core.txt"), &lo, msg) < 0)
        return -1;
    SOURCES = malloc(sizeof(int64_t) * 200);
    degree_spread(CA, SOURCES, 100);
    degree_spread(EMAIL, SOURCES + 100, 100);
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    GrB_Matrix P = NULL;
    if (grl_ppr_compute(&P, CA, SOURCES, 100, &o, msg) < 0) return -1;
    EXACT_CA = dense(P, 100, grl_graph_num_nodes(CA));
    GrB_Matrix_free(&P);
    if (grl_ppr_compute(&P, EMAIL, SOURCES + 100, 100, &o, msg) < 0) return -1;
    EXACT_EMAIL = dense(P, 100, grl_graph_num_nodes(EMAIL));
    GrB_Matrix_free(&P);
    return 0;
}

static int teardown(void **state)
{
    grl_graph_free(&CA);
    grl_graph_free(&EMAIL);
    free(SOURCES);
    free(EXACT_CA);
    free(EXACT_EMAIL);
    return 0;
}

/* push: lower bounds, L1 error within r_max (arcs + dangling nodes) */
static void test_push_bounds(void **state)
{
    char msg[GRL_MSG_LEN];
    for (int g = 0; g < 2; g++) {
        grl_graph *G = g ? EMAIL : CA;
        const double *exact = g ? EXACT_EMAIL : EXACT_CA;
        int64_t n = grl_graph_num_nodes(G);
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.method = GRL_PPR_PUSH;
        o.r_max = 1e-6;
        GrB_Matrix P = NULL;
        assert_ok(grl_ppr_compute(&P, G, SOURCES + 100 * g, 100, &o, msg));
        double *got = dense(P, 100, n), worst = 0;
        for (int s = 0; s < 100; s++) {
            for (int64_t i = 0; i < n; i++)
                assert_true(got[s * n + i] <= exact[s * n + i] + 1e-12);
            worst = fmax(worst, l1(got + s * n, exact + s * n, n));
        }
        assert_true(worst <= o.r_max * (grl_graph_num_arcs(G) + n));
        assert_true(worst > 0); /* it is an approximation */
        print_message("push r_max=1e-6 on %s: worst L1 error %.3g\n",
                      g ? "email-Eu-core" : "CA-GrQc", worst);
        free(got);
        GrB_Matrix_free(&P);
    }
}

/* mean RAG@200 and precision@100 of approximate top-k lists */
static void accuracy(const grl_ppr_result *R, const double *exact, int64_t n,
                     double *rag, double *prec, double *min_rag)
{
    double *row = malloc(sizeof(double) * n);
    int64_t *idx = malloc(sizeof(int64_t) * n);
    *rag = *prec = 0;
    *min_rag = 1;
    for (int64_t s = 0; s < R->nsources; s++) {
        const double *t = exact + s * n;
        /* true top: sort a copy descending */
        memcpy(row, t, sizeof(double) * n);
        for (int64_t i = 0; i < n; i++) idx[i] = i;
        for (int k = 0; k < 200 && k < n; k++) { /* partial selection sort */
            int64_t best = k;
            for (int64_t i = k + 1; i < n; i++) if (row[idx[i]] > row[idx[best]]) best = i;
            int64_t tmp = idx[k]; idx[k] = idx[best]; idx[best] = tmp;
        }
        double true_sum = 0, got_sum = 0;
        for (int k = 0; k < 200 && k < n; k++) true_sum += t[idx[k]];
        for (int64_t k = 0; k < R->count[s] && k < 200; k++) got_sum += t[R->node[s * R->top + k]];
        double r = got_sum / true_sum;
        *rag += r / R->nsources;
        if (r < *min_rag) *min_rag = r;
        /* a returned node is a hit if its true score reaches the true
         * 100th score (nodes tied with it are equally right answers; a
         * relative 1e-9 absorbs rounding between symmetric nodes) */
        int64_t support = 0, hit = 0;
        for (int k = 0; k < 100 && k < n; k++) support += t[idx[k]] > 0;
        double kth = t[idx[support - 1]] * (1 - 1e-9);
        for (int64_t k = 0; k < R->count[s] && k < support; k++)
            hit += t[R->node[s * R->top + k]] >= kth;
        *prec += (double)hit / (double)support / R->nsources;
    }
    free(row);
    free(idx);
}

/* PowerWalk with its default stopping rule against exact top-100 lists on
 * every graph the PowerWalk tests use (here, the CLI's and the Python
 * shim's), 100 degree-spread sources each (all 34 on karate, where the
 * lists hold the whole graph). Measured with index seed 5: CA-GrQc 0.982,
 * Cora 0.985, email-Eu-core 0.996 (3 fixed rounds, the old default: 0.899
 * on CA-GrQc, whose degree-1 and degree-2 sources have long flat tails). */
static void test_powerwalk_accuracy(void **state)
{
    char msg[GRL_MSG_LEN];
    const char *names[4] = {"CA-GrQc", "email-Eu-core", "karate", "Cora"};
    for (int g = 0; g < 4; g++) {
        grl_graph *G = g == 0 ? CA : g == 1 ? EMAIL
                     : load_graph(data_path(g == 2 ? "karate/edges.txt"
                                                   : "cora_planetoid/edges.txt"), 0);
        int64_t n = grl_graph_num_nodes(G), k = n < 100 ? n : 100;
        const int64_t *src = g < 2 ? SOURCES + 100 * g : NULL;
        const double *exact = g == 0 ? EXACT_CA : g == 1 ? EXACT_EMAIL : NULL;
        int64_t own[100];
        double *own_exact = NULL;
        if (g >= 2) {
            degree_spread(G, own, (int)k);
            grl_ppr_options e;
            grl_ppr_options_init(&e);
            GrB_Matrix P = NULL;
            assert_ok(grl_ppr_compute(&P, G, own, k, &e, msg));
            exact = own_exact = dense(P, k, n);
            src = own;
            GrB_Matrix_free(&P);
        }
        grl_ppr_index *I = NULL;
        assert_ok(grl_ppr_index_build(&I, G, &(grl_ppr_index_options){.walks = 100, .alpha = 0.15, .seed = 5}, msg));
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.method = GRL_PPR_POWERWALK;
        o.index = I;
        grl_ppr_result *R = NULL;
        assert_ok(grl_ppr_top(&R, G, src, k, 200, &o, msg));
        double rag, prec, min_rag;
        accuracy(R, exact, n, &rag, &prec, &min_rag);
        print_message("PowerWalk R=100, residual %g on %s: RAG@200 %.4f (min %.4f), "
                      "precision@100 %.3f\n", o.residual, names[g], rag, min_rag, prec);
        assert_true(rag >= 0.99);
        assert_true(prec >= 0.9);
        grl_ppr_result_free(&R);
        if (g == 0) { /* the rounds are what gets CA-GrQc above 0.9 */
            double prec3;
            o.residual = 0;
            o.rounds = 3;
            assert_ok(grl_ppr_top(&R, G, src, k, 200, &o, msg));
            accuracy(R, exact, n, &rag, &prec3, &min_rag);
            print_message("  3 fixed rounds: precision@100 %.3f\n", prec3);
            assert_true(prec3 < prec - 0.05);
            grl_ppr_result_free(&R);
            grl_ppr_options_init(&o);
            o.index = I;
        }
        if (g < 2) { /* the Monte Carlo rows alone are less accurate */
            o.method = GRL_PPR_MC;
            assert_ok(grl_ppr_top(&R, G, src, k, 200, &o, msg));
            double mc_rag, mc_prec;
            accuracy(R, exact, n, &mc_rag, &mc_prec, &min_rag);
            print_message("  Monte Carlo rows alone: RAG@200 %.4f, precision@100 %.3f\n",
                          mc_rag, mc_prec);
            assert_true(mc_prec < prec);
            grl_ppr_result_free(&R);
        }
        grl_ppr_index_free(&I);
        free(own_exact);
        if (g >= 2) grl_graph_free(&G);
    }
}

/* the rows of k sources (k x n dense) by PowerWalk with options o */
static double *powerwalk_rows(grl_graph *G, const int64_t *src, int64_t k,
                              const grl_ppr_options *o)
{
    char msg[GRL_MSG_LEN];
    GrB_Matrix P = NULL;
    assert_ok(grl_ppr_compute(&P, G, src, k, o, msg));
    double *x = dense(P, k, grl_graph_num_nodes(G));
    GrB_Matrix_free(&P);
    return x;
}

/* Oracle of the stopping rule on a dense n x n graph: the round t at which
 * source u stops, the first with f_t = 0 or |f_t|_1 <= eps |s'_t|_1 (t >= 2),
 * by direct simulation of f_{t+1} = (1-alpha) f_t P, |s'_t|_1 = alpha
 * sum_{0<i<t} |f_i|_1 (entries below PowerWalk's drop removed). */
static int stop_round(const double *A, int64_t n, bool weighted, int64_t u,
                      double alpha, double eps, double drop, int cap)
{
    double *f = calloc(n, sizeof(double)), *g = malloc(sizeof(double) * n), smass = 0;
    int t = 0;
    f[u] = 1;
    for (; t < cap; t++) {
        double fm = 0;
        for (int64_t i = 0; i < n; i++) fm += f[i];
        if (fm == 0 || (t > 1 && fm <= eps * smass)) break;
        if (t > 0) smass += alpha * fm;
        for (int64_t j = 0; j < n; j++) g[j] = 0;
        for (int64_t i = 0; i < n; i++) {
            double deg = 0;
            for (int64_t j = 0; j < n; j++) deg += weighted ? A[i * n + j] : (A[i * n + j] != 0);
            for (int64_t j = 0; j < n && deg > 0; j++)
                g[j] += (1 - alpha) * f[i] * (weighted ? A[i * n + j] : (A[i * n + j] != 0)) / deg;
        }
        for (int64_t j = 0; j < n; j++) f[j] = g[j] >= drop ? g[j] : 0;
    }
    free(f);
    free(g);
    return t;
}

/* The stopping rule. On the small graph with dangling nodes each source
 * stops at the round the oracle gives (so equals that many fixed rounds,
 * bit for bit), some before 11. On CA-GrQc (no node loses mass) every
 * source stops at the first t with 0.85^(t-1) <= 0.25 / 1.25, t = 11. A
 * source's row depends neither on its batch nor on the thread count. */
static void test_powerwalk_stopping(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *small = small_graph(true);
    double *A = dense(grl_graph_matrix(small), N, N);
    for (int g = 0; g < 3; g++) {
        grl_graph *G = g == 0 ? small : g == 1 ? CA : EMAIL;
        int64_t n = grl_graph_num_nodes(G), k = g ? 30 : N, all[N];
        for (int i = 0; i < N; i++) all[i] = i;
        const int64_t *src = g ? SOURCES + 100 * (g - 1) : all;
        grl_ppr_index *I = NULL;
        assert_ok(grl_ppr_index_build(&I, G, &(grl_ppr_index_options){.walks = 20, .alpha = 0.15, .seed = 3}, msg));
        grl_ppr_options o, fixed;
        grl_ppr_options_init(&o);
        o.method = GRL_PPR_POWERWALK;
        o.index = I;
        o.residual = 0.25;
        o.rounds = 50;
        fixed = o;
        fixed.residual = 0;
        fixed.rounds = 11;
        assert_ok(grl_threads_set(1, msg));
        double *a = powerwalk_rows(G, src, k, &o), *b = NULL;
        if (g == 0) {
            int earliest = o.rounds;
            for (int64_t u = 0; u < N; u++) {
                fixed.rounds = stop_round(A, N, true, u, o.alpha, o.residual, o.drop,
                                          o.rounds);
                earliest = fixed.rounds < earliest ? fixed.rounds : earliest;
                b = powerwalk_rows(G, &u, 1, &fixed);
                assert_memory_equal(a + u * n, b, sizeof(double) * n);
                free(b);
            }
            assert_true(earliest < 11);
        } else if (g == 1) {
            b = powerwalk_rows(G, src, k, &fixed);
            assert_memory_equal(a, b, sizeof(double) * k * n);
            free(b);
        }
        assert_ok(grl_threads_set(2, msg));
        b = powerwalk_rows(G, src, k, &o);
        assert_memory_equal(a, b, sizeof(double) * k * n);
        for (int64_t s = 0; s < k; s += 13) {
            double *one = powerwalk_rows(G, src + s, 1, &o);
            assert_memory_equal(one, a + s * n, sizeof(double) * n);
            free(one);
        }
        free(a);
        free(b);
        /* the ratio must be a finite number >= 0 */
        GrB_Matrix P = NULL;
        o.residual = -0.5;
        assert_int_equal(grl_ppr_compute(&P, G, src, 1, &o, msg), GRL_INVALID_ARGUMENT);
        assert_non_null(strstr(msg, "residual"));
        o.residual = NAN;
        assert_int_equal(grl_ppr_compute(&P, G, src, 1, &o, msg), GRL_INVALID_ARGUMENT);
        assert_null(P);
        grl_ppr_index_free(&I);
    }
    free(A);
    grl_graph_free(&small);
}

/* FORA and SpeedPPR (the same walk phase after different pushes): relative
 * error <= eps on every score >= delta, for a fixed seed */
static void test_fora_guarantee(void **state)
{
    char msg[GRL_MSG_LEN];
    for (int t = 0; t < 4; t++) {
        const int g = t % 2;
        const grl_ppr_method method = t < 2 ? GRL_PPR_FORA : GRL_PPR_SPEEDPPR;
        grl_graph *G = g ? EMAIL : CA;
        const double *exact = g ? EXACT_EMAIL : EXACT_CA;
        int64_t n = grl_graph_num_nodes(G);
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.method = method;
        o.epsilon = 0.5;
        GrB_Matrix P = NULL;
        assert_ok(grl_ppr_compute(&P, G, SOURCES + 100 * g, 100, &o, msg));
        double *got = dense(P, 100, n), worst = 0, delta = 1.0 / n;
        int64_t checked = 0;
        for (int s = 0; s < 100; s++)
            for (int64_t i = 0; i < n; i++) {
                double t = exact[s * n + i];
                if (t < delta) continue;
                checked++;
                double rel = fabs(got[s * n + i] - t) / t;
                worst = fmax(worst, rel);
            }
        print_message("%s eps=0.5 delta=1/n on %s: %lld node scores >= delta, "
                      "worst relative error %.3f\n", grl_ppr_method_name(method),
                      g ? "email-Eu-core" : "CA-GrQc", (long long)checked, worst);
        assert_true(checked > 1000);
        assert_true(worst <= o.epsilon);
        free(got);
        GrB_Matrix_free(&P);
    }
}

/* mc with an index and on the fly (same R and seed) give the same bits; an
 * index survives save/load; bad files are named */
static void test_index_roundtrip_and_mc(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_ppr_index *I = NULL, *J = NULL;
    assert_ok(grl_ppr_index_build(&I, EMAIL, &(grl_ppr_index_options){.walks = 50, .alpha = 0.15, .seed = 9}, msg));
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.method = GRL_PPR_MC;
    o.index = I;
    o.seed = 9;
    GrB_Matrix A = NULL, B = NULL;
    assert_ok(grl_ppr_compute(&A, EMAIL, SOURCES + 100, 100, &o, msg));
    o.index = NULL;
    o.mc_walks = 50;
    assert_ok(grl_ppr_compute(&B, EMAIL, SOURCES + 100, 100, &o, msg));
    int64_t n = grl_graph_num_nodes(EMAIL);
    double *a = dense(A, 100, n), *b = dense(B, 100, n);
    assert_memory_equal(a, b, sizeof(double) * 100 * n);
    /* consistent: with many walks the estimate converges to exact, about
     * as 1/sqrt(R) (both policies on a graph with dangling nodes) */
    for (int policy = 0; policy < 2; policy++) {
        grl_ppr_options e;
        grl_ppr_options_init(&e);
        e.dangling = policy;
        GrB_Matrix X = NULL, Y = NULL;
        int64_t src = SOURCES[150];
        assert_ok(grl_ppr_compute(&X, EMAIL, &src, 1, &e, msg));
        double *ex = dense(X, 1, n), err[2];
        for (int r = 0; r < 2; r++) {
            o.dangling = policy;
            o.mc_walks = r ? 400000 : 4000;
            assert_ok(grl_ppr_compute(&Y, EMAIL, &src, 1, &o, msg));
            double *y = dense(Y, 1, n);
            err[r] = l1(y, ex, n);
            free(y);
            GrB_Matrix_free(&Y);
        }
        print_message("Monte Carlo on email-Eu-core (%s dangling): L1 error %.4f "
                      "with 4k walks, %.4f with 400k\n", policy ? "uniform" : "source",
                      err[0], err[1]);
        assert_true(err[1] < 0.03);
        assert_true(err[1] < err[0] / 5);
        free(ex);
        GrB_Matrix_free(&X);
    }
    free(a);
    free(b);
    GrB_Matrix_free(&A);
    GrB_Matrix_free(&B);

    const char *path = temp_file(".idx", "");
    assert_ok(grl_ppr_index_save(I, path, msg));
    assert_ok(grl_ppr_index_load(&J, path, msg));
    int64_t nj, wj, ej, ei;
    double aj;
    assert_ok(grl_ppr_index_info(J, &nj, &wj, &aj, &ej, msg));
    assert_ok(grl_ppr_index_info(I, NULL, NULL, NULL, &ei, msg));
    assert_int_equal(nj, n);
    assert_int_equal(wj, 50);
    assert_int_equal(ej, ei);
    double *x = dense(grl_ppr_index_matrix(I), n, n), *y = dense(grl_ppr_index_matrix(J), n, n);
    assert_memory_equal(x, y, sizeof(double) * n * n);
    free(x);
    free(y);
    grl_ppr_index_free(&J);
    /* truncated */
    FILE *f = fopen(path, "r+");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    assert_int_equal(truncate(path, size - 10), 0);
    assert_int_equal(grl_ppr_index_load(&J, path, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "truncated PPR index"));
    assert_int_equal(truncate(path, 40), 0);
    assert_int_equal(grl_ppr_index_load(&J, path, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "truncated"));
    assert_int_equal(grl_ppr_index_load(&J, data_path("karate/edges.txt"), msg),
                     GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "not a grl PPR index"));
    assert_null(J);
    remove(path);
    /* an index for another graph or alpha is refused */
    o.method = GRL_PPR_POWERWALK;
    o.index = I;
    assert_int_equal(grl_ppr_compute(&A, CA, SOURCES, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "rebuild it for this graph"));
    o.alpha = 0.2;
    assert_int_equal(grl_ppr_compute(&A, EMAIL, SOURCES + 100, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "alpha"));
    grl_ppr_index_free(&I);
}

/* top-k agrees with the full vector, sorted; batch = single; threads */
static void test_top_and_determinism(void **state)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(CA);
    for (int method = GRL_PPR_EXACT; method <= GRL_PPR_SPEEDPPR; method++) {
        if (method == GRL_PPR_POWERWALK) continue;
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.method = method;
        o.mc_walks = 2000;
        o.dangling = GRL_DANGLING_SOURCE;
        grl_ppr_result *R1 = NULL, *R2 = NULL;
        assert_ok(grl_threads_set(1, msg));
        assert_ok(grl_ppr_top(&R1, CA, SOURCES, 30, 10, &o, msg));
        assert_ok(grl_threads_set(2, msg));
        assert_ok(grl_ppr_top(&R2, CA, SOURCES, 30, 10, &o, msg));
        assert_memory_equal(R1->count, R2->count, sizeof(int64_t) * 30);
        assert_memory_equal(R1->node, R2->node, sizeof(int64_t) * 300);
        assert_memory_equal(R1->score, R2->score, sizeof(double) * 300);
        GrB_Matrix P = NULL;
        assert_ok(grl_ppr_compute(&P, CA, SOURCES, 30, &o, msg));
        double *full = dense(P, 30, n);
        for (int s = 0; s < 30; s++) {
            for (int64_t k = 0; k < R1->count[s]; k++) {
                double sc = R1->score[s * 10 + k];
                assert_true(sc == full[s * n + R1->node[s * 10 + k]]);
                if (k) assert_true(sc <= R1->score[s * 10 + k - 1]);
            }
            int64_t bigger = 0; /* nothing outside the list beats its last */
            double last = R1->score[s * 10 + R1->count[s] - 1];
            for (int64_t i = 0; i < n; i++) bigger += full[s * n + i] > last;
            assert_true(bigger < R1->count[s]);
        }
        free(full);
        GrB_Matrix_free(&P);
        grl_ppr_result_free(&R1);
        grl_ppr_result_free(&R2);
    }
}

static void test_errors(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    GrB_Matrix P = NULL;
    int64_t bad = 99999;
    assert_int_equal(grl_ppr_compute(&P, CA, &bad, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "out of range"));
    o.alpha = 1.5;
    int64_t s = 0;
    assert_int_equal(grl_ppr_compute(&P, CA, &s, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "alpha"));
    o.alpha = 0.15;
    o.method = GRL_PPR_POWERWALK;
    assert_int_equal(grl_ppr_compute(&P, CA, &s, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "index"));
    /* FORA asked for 1/eps^2 = 1e600 walks spun forever (issue 8) */
    o.method = GRL_PPR_FORA;
    o.epsilon = 1e-300;
    assert_int_equal(grl_ppr_compute(&P, CA, &s, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "raise epsilon or delta"));
    assert_null(P);
    o.method = GRL_PPR_SPEEDPPR; /* the same check, naming SpeedPPR */
    assert_int_equal(grl_ppr_compute(&P, CA, &s, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "SpeedPPR with epsilon"));
    o.epsilon = 0.5;
    o.delta = 2;
    assert_int_equal(grl_ppr_compute(&P, CA, &s, 1, &o, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "SpeedPPR needs epsilon > 0, delta in (0, 1]"));
    assert_null(P);
    o.delta = 0;
    /* a matrix of another type would have its values read as doubles */
    GrB_Matrix F = NULL;
    grl_ppr_result *R = (grl_ppr_result *)0x1;
    assert_int_equal(GrB_Matrix_new(&F, GrB_FP32, 1, 3), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_setElement_FP32(F, 0.5f, 0, 1), GrB_SUCCESS);
    assert_int_equal(grl_ppr_result_from_matrix(&R, F, NULL, 2, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "GrB_FP64"));
    assert_null(R);
    GrB_Matrix_free(&F);
    /* no sources (the array may then be NULL): an empty result */
    assert_ok(grl_ppr_top(&R, CA, NULL, 0, 5, NULL, msg));
    assert_int_equal(R->nsources, 0);
    grl_ppr_result_free(&R);
    /* the graph is intact after every method */
    assert_int_equal(grl_graph_num_arcs(CA), 28980);
}

/* At the iteration limit exact PPR warns and returns the last iterate:
 * after t iterations on a graph without dangling nodes each row holds
 * alpha sum_{i<=t} (1-alpha)^i of the mass. */
static void test_exact_not_converged_is_a_warning(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN] = "stale";
    grl_graph *K = load_graph(data_path("karate/edges.txt"), 0);
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.max_iter = 2;
    int64_t src[2] = {0, 33};
    GrB_Matrix P = NULL;
    assert_int_equal(grl_ppr_compute(&P, K, src, 2, &o, msg), GRL_NOT_CONVERGED);
    assert_non_null(strstr(msg, "stopped after 2 iterations"));
    assert_string_equal(grl_status_name(GRL_NOT_CONVERGED), "GRL_NOT_CONVERGED");
    assert_non_null(P);
    const double a = o.alpha, expect = a * (1 + (1 - a) + (1 - a) * (1 - a));
    for (GrB_Index r = 0; r < 2; r++) {
        double sum = 0;
        for (GrB_Index j = 0; j < 34; j++) {
            double x = 0;
            if (GrB_Matrix_extractElement_FP64(&x, P, r, j) == GrB_SUCCESS) sum += x;
        }
        assert_double_near(sum, expect, 1e-12);
    }
    GrB_Matrix_free(&P);
    /* top-k carries the same warning with its (complete) result */
    grl_ppr_result *R = NULL;
    assert_int_equal(grl_ppr_top(&R, K, src, 2, 5, &o, msg), GRL_NOT_CONVERGED);
    assert_non_null(R);
    assert_int_equal(R->count[0], 5);
    grl_ppr_result_free(&R);
    /* converged: 0 and an empty message */
    o.max_iter = 10000;
    strcpy(msg, "stale");
    assert_int_equal(grl_ppr_compute(&P, K, src, 2, &o, msg), 0);
    GrB_Matrix_free(&P);
    grl_graph_free(&K);
}

/* PowerPush against the power iteration on real graphs (directed with
 * dangling nodes, and undirected): the L1 distance stays within its
 * guarantee, and the bits do not depend on threads. */
static void test_powerpush_matches_exact(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *graphs[2] = {EMAIL, CA};
    for (int g = 0; g < 2; g++) {
        grl_graph *G = graphs[g];
        int64_t n = grl_graph_num_nodes(G), src[4] = {0, 1, n / 2, n - 1};
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.tol = 1e-13;
        GrB_Matrix P = NULL, Q = NULL, Q1 = NULL;
        assert_ok(grl_ppr_compute(&P, G, src, 4, &o, msg));
        double *want = dense(P, 4, n);
        for (int t = 0; t < 2; t++) {
            o.method = GRL_PPR_POWERPUSH;
            o.tol = t ? 1e-10 : 1e-5;
            assert_ok(grl_threads_set(2, msg));
            assert_ok(grl_ppr_compute(&Q, G, src, 4, &o, msg));
            assert_ok(grl_threads_set(1, msg));
            assert_ok(grl_ppr_compute(&Q1, G, src, 4, &o, msg));
            double *got = dense(Q, 4, n), *got1 = dense(Q1, 4, n);
            for (int s = 0; s < 4; s++) {
                /* |q^ - q|_1 <= tol; renormalising by |q|_1 >= alpha (the
                 * source policy) can scale it up to 2 tol / alpha */
                double err = l1(got + s * n, want + s * n, n);
                double bound = grl_graph_is_directed(G) ? 2 * o.tol / o.alpha
                                                        : o.tol;
                assert_true(err <= bound * 1.0001 + 1e-12);
                if (t) assert_true(err < 1e-9);
            }
            assert_memory_equal(got, got1, sizeof(double) * 4 * n);
            free(got);
            free(got1);
            GrB_Matrix_free(&Q);
            GrB_Matrix_free(&Q1);
        }
        free(want);
        GrB_Matrix_free(&P);
    }
    assert_ok(grl_threads_set(2, msg));
}

/* PowerPush's conjugate-gradient phase (undirected graphs) against the
 * dense solve: two components, an isolated (dangling) node, weighted and
 * not, both policies, every source, tight and loose tolerances (n / 8 = 1,
 * so the sweeps take over after the first push). */
static void test_powerpush_undirected_matches_dense(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    enum { UN = 12, UM = 14 };
    static const int64_t us[UM] = {0, 0, 1, 1, 2, 3, 4, 5, 5, 6, 7, 8, 8, 9};
    static const int64_t ud[UM] = {1, 2, 2, 3, 4, 4, 5, 6, 7, 7, 0, 9, 10, 10};
    static const double uw[UM] = {1, 2, 0.5, 1.5, 1, 3, 2, 1, 0.25, 4, 1, 2, 1, 0.5};
    for (int weighted = 0; weighted < 2; weighted++) {
        grl_graph *G = NULL;
        assert_ok(grl_graph_from_edges(&G, UN, us, ud, weighted ? uw : NULL, UM,
                                       false, NULL, msg));
        double *A = dense(grl_graph_matrix(G), UN, UN), want[UN];
        int64_t all[UN];
        for (int i = 0; i < UN; i++) all[i] = i;
        for (int policy = 0; policy < 2; policy++) {
            for (int t = 0; t < 2; t++) {
                grl_ppr_options o;
                grl_ppr_options_init(&o);
                o.method = GRL_PPR_POWERPUSH;
                o.dangling = policy;
                o.tol = t ? 1e-12 : 1e-4;
                GrB_Matrix P = NULL;
                assert_ok(grl_ppr_compute(&P, G, all, UN, &o, msg));
                double *got = dense(P, UN, UN);
                for (int u = 0; u < UN; u++) {
                    dense_ppr(A, UN, weighted, u, o.alpha, policy, want);
                    /* the killed vector is within tol; the source policy's
                     * renormalisation can scale that by up to 2 / alpha */
                    assert_true(l1(got + u * UN, want, UN) <= 2 * o.tol / o.alpha);
                    if (t) assert_true(l1(got + u * UN, want, UN) < 1e-10);
                }
                free(got);
                GrB_Matrix_free(&P);
            }
        }
        free(A);
        grl_graph_free(&G);
    }
}

/* Every enum name the CLI and Python use comes from the library and round
 * trips; a wrong name lists the valid ones. */
static void test_enum_names(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    for (int m = GRL_PPR_EXACT; m <= GRL_PPR_SPEEDPPR; m++) {
        grl_ppr_method back;
        assert_int_equal(grl_ppr_method_parse(grl_ppr_method_name(m), &back, msg), 0);
        assert_int_equal(back, m);
    }
    grl_ppr_method method;
    assert_int_equal(grl_ppr_method_parse("PowerWalk", &method, msg), 0);
    assert_int_equal(method, GRL_PPR_POWERWALK);
    assert_int_equal(grl_ppr_method_parse("magic", &method, msg), GRL_INVALID_ARGUMENT);
    assert_string_equal(msg, "unknown PPR method 'magic' (expected exact, push, "
                             "mc, powerwalk, fora, powerpush or speedppr)");
    assert_null(grl_ppr_method_name((grl_ppr_method)7));
    grl_dangling_policy d;
    assert_int_equal(grl_dangling_policy_parse("uniform", &d, msg), 0);
    assert_int_equal(d, GRL_DANGLING_UNIFORM);
    grl_format f;
    assert_int_equal(grl_format_parse("snap", &f, msg), 0);
    assert_int_equal(f, GRL_FORMAT_EDGELIST);
    assert_string_equal(grl_format_name(f), "edgelist");
    assert_string_equal(grl_format_name(GRL_FORMAT_MATRIX_MARKET), "mtx");
    grl_propagation p;
    assert_int_equal(grl_propagation_parse("both", &p, msg), 0);
    assert_int_equal(p, GRL_PROPAGATE_BOTH);
    grl_linkpred_pattern lp;
    assert_int_equal(grl_linkpred_pattern_parse("reverse-path", &lp, msg), 0);
    assert_int_equal(lp, GRL_LINKPRED_REVERSE_PATH);
    assert_string_equal(grl_linkpred_method_name(GRL_LINKPRED_KATZ), "katz");
    assert_int_equal(grl_self_loop_policy_parse(NULL, NULL, msg), GRL_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_matches_dense_solve),
        cmocka_unit_test(test_exact_matches_igraph),
        cmocka_unit_test(test_push_matches_dense_on_weighted),
        cmocka_unit_test(test_push_bounds),
        cmocka_unit_test(test_powerwalk_accuracy),
        cmocka_unit_test(test_powerwalk_stopping),
        cmocka_unit_test(test_fora_guarantee),
        cmocka_unit_test(test_index_roundtrip_and_mc),
        cmocka_unit_test(test_top_and_determinism),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_exact_not_converged_is_a_warning),
        cmocka_unit_test(test_enum_names),
        cmocka_unit_test(test_powerpush_matches_exact),
        cmocka_unit_test(test_powerpush_undirected_matches_dense),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
