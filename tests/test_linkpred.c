/* test_linkpred.c — every predictor against a brute-force computation over
 * adjacency lists (undirected, directed with each pattern, weighted), CN,
 * Jaccard, Sørensen and Adamic–Adar against igraph, top-k against a full
 * sort, metrics against hand-computed values, splits and negatives, and
 * bit-identical results for 1 and 2 threads. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grl/igraph_bridge.h>
#include "grl/linkpred.h"

/* ---------------------------------------------------------------------------
 * A small random graph, kept both as a grl_graph and as dense weights with
 * the diagonal dropped (the module ignores self-loops).
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t n;
    bool directed, weighted;
    double *A; /* n x n, A[u*n+v] = weight of arc u -> v, 0 if none */
    grl_graph *G;
} small_graph;

static small_graph make_graph_loops(int64_t n, int64_t m, bool directed,
                                    bool weighted, uint64_t seed, int64_t nloops)
{
    char msg[GRL_MSG_LEN];
    small_graph g = {n, directed, weighted, calloc(n * n, sizeof(double)), NULL};
    int64_t *src = malloc(sizeof(int64_t) * (m + 3));
    int64_t *dst = malloc(sizeof(int64_t) * (m + 3));
    double *w = malloc(sizeof(double) * (m + 3));
    grl_rng rng;
    grl_rng_init(&rng, seed, 0);
    int64_t k = 0;
    while (k < m) {
        int64_t a = grl_rng_below(&rng, n), b = grl_rng_below(&rng, n);
        if (a == b || g.A[a * n + b] != 0) continue;
        double x = weighted ? 0.5 + 2.5 * grl_rng_uniform(&rng) : 1.0;
        g.A[a * n + b] = x;
        if (!directed) g.A[b * n + a] = x;
        src[k] = a; dst[k] = b; w[k] = x;
        k++;
    }
    for (int64_t l = 0; l < nloops; l++) { /* self-loops, which must not matter */
        src[k] = l; dst[k] = l; w[k] = 2.0;
        k++;
    }
    assert_ok(grl_graph_from_edges(&g.G, n, src, dst, weighted ? w : NULL, k,
                                   directed, NULL, msg));
    free(src); free(dst); free(w);
    return g;
}

/* With three self-loops (nodes 0, 1, 2). */
static small_graph make_graph(int64_t n, int64_t m, bool directed,
                              bool weighted, uint64_t seed)
{
    return make_graph_loops(n, m, directed, weighted, seed, 3);
}

static void free_graph(small_graph *g)
{
    free(g->A);
    grl_graph_free(&g->G);
}

/* X(a,b) and Y(a,b) of a pattern, from the dense arcs. */
static double pat_x(const small_graph *g, grl_linkpred_pattern p, int64_t a,
                    int64_t b)
{
    int64_t n = g->n;
    if (!g->directed || p == GRL_LINKPRED_SUCCESSORS || p == GRL_LINKPRED_PATH)
        return g->A[a * n + b];
    return g->A[b * n + a];
}

static double pat_y(const small_graph *g, grl_linkpred_pattern p, int64_t a,
                    int64_t b)
{
    int64_t n = g->n;
    if (!g->directed || p == GRL_LINKPRED_PREDECESSORS || p == GRL_LINKPRED_PATH)
        return g->A[a * n + b];
    return g->A[b * n + a];
}

/* The predictor's formula (include/grl/linkpred.h) over neighbour lists. */
static double brute_cn_family(const small_graph *g, const grl_linkpred_options *o,
                              int64_t u, int64_t v)
{
    int64_t n = g->n;
    grl_linkpred_pattern p = o->pattern;
    bool wt = o->weighted;
    /* neighbour lists S(u), T(v) */
    int64_t *S = malloc(sizeof(int64_t) * n), *T = malloc(sizeof(int64_t) * n);
    int64_t ns = 0, nt = 0;
    double su = 0, sv = 0;
    for (int64_t z = 0; z < n; z++) {
        double x = pat_x(g, p, u, z), y = pat_y(g, p, z, v);
        if (x != 0) { S[ns++] = z; su += wt ? pow(x, o->alpha) : 1; }
        if (y != 0) { T[nt++] = z; sv += wt ? pow(y, o->alpha) : 1; }
    }
    double cn = 0, sum = 0;
    for (int64_t i = 0; i < ns; i++)
        for (int64_t j = 0; j < nt; j++) {
            if (S[i] != T[j]) continue;
            int64_t z = S[i];
            double kz = 0;
            for (int64_t x = 0; x < n; x++)
                if (pat_y(g, p, z, x) != 0) kz += wt ? pow(pat_y(g, p, z, x), o->alpha) : 1;
            double wsum = wt ? pow(pat_x(g, p, u, z), o->alpha) +
                               pow(pat_y(g, p, z, v), o->alpha) : 1;
            cn += 1;
            switch (o->method) {
            case GRL_LINKPRED_AA:
                if (wt) sum += wsum / log(1 + kz);
                else if (kz >= 2) sum += 1 / log(kz);
                break;
            case GRL_LINKPRED_RA: sum += wsum / kz; break;
            case GRL_LINKPRED_CN: sum += wsum; break;
            default: break;
            }
        }
    free(S); free(T);
    double ku = wt ? su : (double)ns, kv = wt ? sv : (double)nt;
    switch (o->method) {
    case GRL_LINKPRED_CN: return wt ? sum : cn;
    case GRL_LINKPRED_AA: case GRL_LINKPRED_RA: return sum;
    case GRL_LINKPRED_JACCARD: return ns + nt - cn > 0 ? cn / (ns + nt - cn) : 0;
    case GRL_LINKPRED_SALTON: return ns * nt > 0 ? cn / sqrt((double)ns * nt) : 0;
    case GRL_LINKPRED_SORENSEN: return ns + nt > 0 ? 2 * cn / (ns + nt) : 0;
    case GRL_LINKPRED_HPI: return (ns < nt ? ns : nt) > 0 ? cn / (ns < nt ? ns : nt) : 0;
    case GRL_LINKPRED_HDI: return (ns > nt ? ns : nt) > 0 ? cn / (ns > nt ? ns : nt) : 0;
    case GRL_LINKPRED_LHN: return ns * nt > 0 ? cn / ((double)ns * nt) : 0;
    case GRL_LINKPRED_PA: return ku * kv;
    default: fail_msg("not a common-neighbour method");
    }
    return 0;
}

/* Dense path sums Σ_l c_l W^l for LP and KATZ. */
static double *brute_paths(const small_graph *g, const grl_linkpred_options *o)
{
    int64_t n = g->n, L = o->method == GRL_LINKPRED_LP ? 3 : o->katz_length;
    double *W = calloc(n * n, sizeof(double)), *P = calloc(n * n, sizeof(double));
    double *Q = calloc(n * n, sizeof(double)), *S = calloc(n * n, sizeof(double));
    for (int64_t i = 0; i < n * n; i++)
        W[i] = g->A[i] == 0 ? 0 : (o->weighted ? pow(g->A[i], o->alpha) : 1);
    memcpy(P, W, sizeof(double) * n * n);
    for (int64_t l = 1; l <= L; l++) {
        if (l > 1) {
            for (int64_t i = 0; i < n; i++)
                for (int64_t j = 0; j < n; j++) {
                    double acc = 0;
                    for (int64_t z = 0; z < n; z++) acc += P[i * n + z] * W[z * n + j];
                    Q[i * n + j] = acc;
                }
            memcpy(P, Q, sizeof(double) * n * n);
        }
        double c = o->method == GRL_LINKPRED_LP ? (l == 2 ? 1 : l == 3 ? o->epsilon : 0)
                                                : pow(o->beta, (double)l);
        for (int64_t i = 0; i < n * n; i++) S[i] += c * P[i];
    }
    free(W); free(P); free(Q);
    return S;
}

/* Every pair (u, v) of the graph, u == v included. */
static void all_pairs(int64_t n, int64_t **u, int64_t **v)
{
    *u = malloc(sizeof(int64_t) * n * n);
    *v = malloc(sizeof(int64_t) * n * n);
    for (int64_t i = 0; i < n * n; i++) {
        (*u)[i] = i / n;
        (*v)[i] = i % n;
    }
}

static void check_method(const small_graph *g, grl_linkpred_options *o)
{
    char msg[GRL_MSG_LEN];
    int64_t n = g->n, *u, *v;
    all_pairs(n, &u, &v);
    double *s = malloc(sizeof(double) * n * n);
    assert_ok(grl_linkpred_score(g->G, u, v, n * n, o, s, msg));
    bool path = o->method == GRL_LINKPRED_LP || o->method == GRL_LINKPRED_KATZ;
    double *paths = path ? brute_paths(g, o) : NULL;
    for (int64_t i = 0; i < n * n; i++) {
        if (paths == NULL && u[i] == v[i]) continue; /* not a link */
        double want = paths ? paths[i] : brute_cn_family(g, o, u[i], v[i]);
        if (!(fabs(s[i] - want) <= 1e-9 * (1 + fabs(want))))
            fail_msg("%s%s pattern %d directed %d: (%lld,%lld) = %.17g, brute "
                     "force %.17g", o->weighted ? "weighted " : "",
                     grl_linkpred_method_name(o->method), (int)o->pattern,
                     (int)g->directed, (long long)u[i], (long long)v[i], s[i],
                     want);
    }
    free(paths); free(s); free(u); free(v);
}

static const grl_linkpred_method weighted_methods[] = {
    GRL_LINKPRED_CN, GRL_LINKPRED_AA, GRL_LINKPRED_RA, GRL_LINKPRED_PA,
    GRL_LINKPRED_LP, GRL_LINKPRED_KATZ};

static void test_undirected_matches_brute_force(void **state)
{
    for (int t = 0; t < 2; t++) {
        small_graph g = make_graph(40, 160, false, t == 1, 11 + t);
        grl_linkpred_options o;
        for (int m = 0; m < GRL_LINKPRED_NMETHODS; m++) {
            grl_linkpred_options_init(&o);
            o.method = (grl_linkpred_method)m;
            check_method(&g, &o);
            o.block_entries = 7; /* many blocks for LP and KATZ */
            o.katz_length = 4;
            o.beta = 0.2;
            check_method(&g, &o);
        }
        if (t == 1)
            for (size_t i = 0; i < sizeof weighted_methods / sizeof *weighted_methods; i++) {
                grl_linkpred_options_init(&o);
                o.method = weighted_methods[i];
                o.weighted = true;
                check_method(&g, &o);
                o.alpha = 0.5;
                check_method(&g, &o);
            }
        free_graph(&g);
    }
}

static void test_directed_patterns_match_brute_force(void **state)
{
    small_graph g = make_graph(35, 200, true, true, 5);
    grl_linkpred_options o;
    for (int p = GRL_LINKPRED_SUCCESSORS; p <= GRL_LINKPRED_REVERSE_PATH; p++) {
        for (int m = 0; m < GRL_LINKPRED_NMETHODS; m++) {
            grl_linkpred_options_init(&o);
            o.method = (grl_linkpred_method)m;
            o.pattern = (grl_linkpred_pattern)p;
            check_method(&g, &o);
        }
        for (size_t i = 0; i < sizeof weighted_methods / sizeof *weighted_methods; i++) {
            grl_linkpred_options_init(&o);
            o.method = weighted_methods[i];
            o.pattern = (grl_linkpred_pattern)p;
            o.weighted = true;
            o.alpha = 2;
            check_method(&g, &o);
        }
    }
    free_graph(&g);
}

/* igraph's similarity functions on all pairs u < v. */
static void check_igraph(grl_graph *G)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(G), np = n * (n - 1) / 2, k = 0;
    int64_t *u = malloc(sizeof(int64_t) * np), *v = malloc(sizeof(int64_t) * np);
    igraph_vector_int_t pairs;
    igraph_vector_int_init(&pairs, 2 * np);
    for (int64_t a = 0; a < n; a++)
        for (int64_t b = a + 1; b < n; b++) {
            u[k] = a; v[k] = b;
            VECTOR(pairs)[2 * k] = a;
            VECTOR(pairs)[2 * k + 1] = b;
            k++;
        }
    igraph_t ig;
    assert_ok(grl_graph_to_igraph(G, &ig, NULL, msg));
    igraph_vector_t jac, dice;
    igraph_matrix_t aa, cn;
    igraph_vector_init(&jac, 0);
    igraph_vector_init(&dice, 0);
    igraph_matrix_init(&aa, 0, 0);
    igraph_matrix_init(&cn, 0, 0);
    assert_int_equal(igraph_similarity_jaccard_pairs(&ig, &jac, &pairs, IGRAPH_ALL, false), 0);
    assert_int_equal(igraph_similarity_dice_pairs(&ig, &dice, &pairs, IGRAPH_ALL, false), 0);
    assert_int_equal(igraph_similarity_inverse_log_weighted(&ig, &aa, igraph_vss_all(), IGRAPH_ALL), 0);
    assert_int_equal(igraph_cocitation(&ig, &cn, igraph_vss_all()), 0);
    double *s = malloc(sizeof(double) * np);
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    const grl_linkpred_method ms[] = {GRL_LINKPRED_CN, GRL_LINKPRED_JACCARD,
                                      GRL_LINKPRED_SORENSEN, GRL_LINKPRED_AA};
    int64_t positive = 0;
    for (int t = 0; t < 4; t++) {
        o.method = ms[t];
        assert_ok(grl_linkpred_score(G, u, v, np, &o, s, msg));
        for (int64_t i = 0; i < np; i++) {
            double want = t == 0 ? MATRIX(cn, u[i], v[i]) :
                          t == 1 ? VECTOR(jac)[i] :
                          t == 2 ? VECTOR(dice)[i] : MATRIX(aa, u[i], v[i]);
            positive += want > 0;
            assert_double_near(s[i], want, 1e-12 * (1 + want));
        }
    }
    assert_true(positive > 0); /* the comparison is not vacuous */
    free(s); free(u); free(v);
    igraph_vector_int_destroy(&pairs);
    igraph_vector_destroy(&jac);
    igraph_vector_destroy(&dice);
    igraph_matrix_destroy(&aa);
    igraph_matrix_destroy(&cn);
    igraph_destroy(&ig);
}

static void test_agrees_with_igraph(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("karate/edges.txt"), NULL, msg));
    check_igraph(G);
    grl_graph_free(&G);
    /* no self-loops: igraph counts a looped node among its own neighbours */
    small_graph g = make_graph_loops(80, 400, false, false, 3, 0);
    check_igraph(g.G);
    free_graph(&g);
}

/* Top-k against a full sort of the brute-force candidates. */
static void check_topk(const small_graph *g, grl_linkpred_options *o, int64_t k)
{
    char msg[GRL_MSG_LEN];
    int64_t n = g->n, *u, *v;
    all_pairs(n, &u, &v);
    double *s = malloc(sizeof(double) * n * n);
    assert_ok(grl_linkpred_score(g->G, u, v, n * n, o, s, msg));
    bool path = o->method == GRL_LINKPRED_LP || o->method == GRL_LINKPRED_KATZ;
    double *reach = path ? brute_paths(g, o) : NULL; /* > 0: reachable */
    int64_t *cand = malloc(sizeof(int64_t) * n * k);
    double *cs = malloc(sizeof(double) * n * k);
    assert_ok(grl_linkpred_topk(g->G, NULL, n, k, o, cand, cs, msg));
    int64_t found = 0;
    for (int64_t a = 0; a < n; a++) {
        /* the valid candidates of a and their scores, best first */
        int64_t nc = 0;
        double best[4096];
        for (int64_t b = 0; b < n; b++) {
            if (b == a || g->A[a * n + b] != 0) continue;
            bool ok = o->method == GRL_LINKPRED_PA;
            if (path) ok = reach[a * n + b] != 0;
            else if (!ok)
                for (int64_t z = 0; z < n && !ok; z++)
                    ok = pat_x(g, o->pattern, a, z) != 0 && pat_y(g, o->pattern, z, b) != 0;
            if (ok) best[nc++] = s[a * n + b];
        }
        for (int64_t i = 0; i < nc; i++) /* selection sort, descending */
            for (int64_t j = i + 1; j < nc; j++)
                if (best[j] > best[i]) { double t = best[i]; best[i] = best[j]; best[j] = t; }
        for (int64_t i = 0; i < k; i++) {
            int64_t c = cand[a * k + i];
            if (i >= nc) {
                assert_int_equal(c, -1);
                continue;
            }
            assert_true(c >= 0 && c < n && c != a);
            assert_true(g->A[a * n + c] == 0);
            assert_double_near(cs[a * k + i], s[a * n + c], 1e-12 * (1 + fabs(s[a * n + c])));
            assert_double_near(cs[a * k + i], best[i], 1e-12 * (1 + fabs(best[i])));
            for (int64_t j = 0; j < i; j++) assert_true(cand[a * k + j] != c);
            if (i > 0 && cs[a * k + i] == cs[a * k + i - 1]) /* ties by index */
                assert_true(cand[a * k + i] > cand[a * k + i - 1]);
            found++;
        }
    }
    assert_true(found > 0);
    free(reach); free(cand); free(cs); free(s); free(u); free(v);
}

static void test_topk_matches_full_sort(void **state)
{
    small_graph g = make_graph(50, 150, false, true, 9);
    small_graph d = make_graph(40, 160, true, false, 10);
    grl_linkpred_options o;
    for (int m = 0; m < GRL_LINKPRED_NMETHODS; m++) {
        grl_linkpred_options_init(&o);
        o.method = (grl_linkpred_method)m;
        check_topk(&g, &o, 5);
        o.block_entries = 10; /* one or two sources per block */
        check_topk(&g, &o, 3);
        o.pattern = GRL_LINKPRED_PREDECESSORS;
        check_topk(&d, &o, 4);
    }
    grl_linkpred_options_init(&o);
    o.method = GRL_LINKPRED_AA;
    o.weighted = true;
    check_topk(&g, &o, 6);
    o.method = GRL_LINKPRED_CN;
    o.pattern = GRL_LINKPRED_PATH;
    check_topk(&d, &o, 50); /* more slots than candidates: -1 padding */
    free_graph(&g);
    free_graph(&d);
}

static void test_topk_subset_of_nodes(void **state)
{
    char msg[GRL_MSG_LEN];
    small_graph g = make_graph(30, 90, false, false, 21);
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    int64_t all_c[30 * 4], sub_c[3 * 4], nodes[3] = {17, 2, 17};
    double all_s[30 * 4], sub_s[3 * 4];
    assert_ok(grl_linkpred_topk(g.G, NULL, 0, 4, &o, all_c, all_s, msg));
    assert_ok(grl_linkpred_topk(g.G, nodes, 3, 4, &o, sub_c, sub_s, msg));
    for (int i = 0; i < 3; i++)
        assert_memory_equal(sub_c + 4 * i, all_c + 4 * nodes[i], 4 * sizeof(int64_t));
    free_graph(&g);
}

/* ---------------------------------------------------------------------------
 * Metrics
 * ------------------------------------------------------------------------ */
static void test_metrics_by_hand(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_linkpred_metrics m;
    /* pos {3, 2, 1}, neg {2, 0}: pairs won 3>2,3>0,2>0,1>0 = 4, tie 2=2 is
     * 1/2: AUC = 4.5/6. AP, thresholds 3 (1 pos), 2 (1 pos 1 neg), 1 (1 pos):
     * 1/3*1 + 1/3*2/3 + 1/3*3/4. MRR: ranks 1, 1.5, 2. */
    const double pos[] = {3, 2, 1}, neg[] = {2, 0};
    assert_ok(grl_linkpred_evaluate(pos, 3, neg, 2, &m, msg));
    assert_double_near(m.auc, 4.5 / 6, 1e-15);
    assert_double_near(m.ap, (1 + 2.0 / 3 + 0.75) / 3, 1e-15);
    assert_double_near(m.mrr, (1 + 1 / 1.5 + 0.5) / 3, 1e-15);
    assert_double_near(m.hits20, 1.0, 0); /* fewer than 20 negatives */
    /* OGB Hits@K: strictly above the K-th negative; a tie is a miss */
    double neg2[25], h;
    for (int i = 0; i < 25; i++) neg2[i] = i; /* 20th highest = 5 */
    const double pos2[] = {5, 5.5, 30, 4};
    assert_ok(grl_linkpred_hits(pos2, 4, neg2, 25, 20, &h, msg));
    assert_double_near(h, 0.5, 0);
    assert_ok(grl_linkpred_hits(pos2, 4, neg2, 25, 1, &h, msg)); /* > 24 */
    assert_double_near(h, 0.25, 0);
    /* all equal: AUC 1/2 */
    const double same[] = {1, 1};
    assert_ok(grl_linkpred_evaluate(same, 2, same, 2, &m, msg));
    assert_double_near(m.auc, 0.5, 0);
    const double bad[] = {NAN};
    assert_int_equal(grl_linkpred_evaluate(bad, 1, neg, 2, &m, msg), GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_linkpred_evaluate(pos, 3, neg, 0, &m, msg), GRL_INVALID_ARGUMENT);
}

/* ---------------------------------------------------------------------------
 * Splits and negatives
 * ------------------------------------------------------------------------ */
static int cmp_pair(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static void test_split(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("cora_planetoid/edges.txt"), NULL, msg));
    int64_t n = grl_graph_num_nodes(G), m = grl_graph_num_edges(G);
    int64_t *comp = malloc(sizeof(int64_t) * n), nc, nct;
    assert_ok(grl_graph_components(G, comp, &nc, msg));
    grl_edge_split *S = NULL, *S2 = NULL;
    assert_ok(grl_edge_split_new(&S, G, &(grl_edge_split_options){0.05, 0.10, true, 7}, msg));
    assert_int_equal(S->ntest, llround(0.10 * m));
    assert_int_equal(S->nvalid, llround(0.05 * m));
    assert_int_equal(grl_graph_num_nodes(S->train), n);
    assert_int_equal(grl_graph_num_edges(S->train) + S->ntest + S->nvalid, m);
    assert_ok(grl_graph_components(S->train, comp, &nct, msg));
    assert_int_equal(nct, nc); /* the spanning forest stayed */
    /* held-out edges are edges of G and not of the training graph */
    double *s = malloc(sizeof(double) * S->ntest);
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    o.method = GRL_LINKPRED_KATZ; /* with L = 1, β = 1: A(u,v) itself */
    o.katz_length = 1;
    o.beta = 1;
    assert_ok(grl_linkpred_score(G, S->test_u, S->test_v, S->ntest, &o, s, msg));
    for (int64_t i = 0; i < S->ntest; i++) assert_double_near(s[i], 1, 0);
    assert_ok(grl_linkpred_score(S->train, S->test_u, S->test_v, S->ntest, &o, s, msg));
    for (int64_t i = 0; i < S->ntest; i++) assert_double_near(s[i], 0, 0);
    /* the same seed, the same split; another seed, another */
    assert_ok(grl_edge_split_new(&S2, G, &(grl_edge_split_options){0.05, 0.10, true, 7}, msg));
    assert_memory_equal(S->test_u, S2->test_u, S->ntest * sizeof(int64_t));
    assert_memory_equal(S->valid_v, S2->valid_v, S->nvalid * sizeof(int64_t));
    grl_edge_split_free(&S2);
    assert_ok(grl_edge_split_new(&S2, G, &(grl_edge_split_options){0.05, 0.10, false, 8}, msg));
    assert_memory_not_equal(S->test_u, S2->test_u, S->ntest * sizeof(int64_t));
    grl_edge_split_free(&S2);
    assert_null(S2);
    /* too much held out while keeping components connected */
    assert_int_equal(grl_edge_split_new(&S2, G, &(grl_edge_split_options){0.3, 0.5, true, 7}, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "spanning forest"));
    free(s);
    free(comp);
    grl_edge_split_free(&S);
    grl_graph_free(&G);
}

/* The split depends on node ids, not on the order of lines. */
static void test_split_ignores_line_order(void **state)
{
    char msg[GRL_MSG_LEN];
    const char *fwd = temp_file(".txt", "10 20\n20 30\n30 40\n40 10\n10 30\n50 60\n60 70\n20 50\n");
    const char *rev = temp_file(".txt", "20 50\n60 70\n50 60\n10 30\n40 10\n30 40\n20 30\n10 20\n");
    grl_graph *A = NULL, *B = NULL;
    assert_ok(grl_graph_load(&A, fwd, NULL, msg));
    assert_ok(grl_graph_load(&B, rev, NULL, msg));
    grl_edge_split *SA = NULL, *SB = NULL;
    assert_ok(grl_edge_split_new(&SA, A, &(grl_edge_split_options){0.25, 0.25, false, 3}, msg));
    assert_ok(grl_edge_split_new(&SB, B, &(grl_edge_split_options){0.25, 0.25, false, 3}, msg));
    assert_int_equal(SA->ntest, 2);
    int64_t pa[4], pb[4];
    for (int i = 0; i < 2; i++) {
        pa[2 * i] = SA->test_u[i]; pa[2 * i + 1] = SA->test_v[i];
        pb[2 * i] = SB->test_u[i]; pb[2 * i + 1] = SB->test_v[i];
    }
    qsort(pa, 2, 2 * sizeof(int64_t), cmp_pair);
    qsort(pb, 2, 2 * sizeof(int64_t), cmp_pair);
    assert_memory_equal(pa, pb, sizeof pa);
    grl_edge_split_free(&SA);
    grl_edge_split_free(&SB);
    grl_graph_free(&A);
    grl_graph_free(&B);
    remove(fwd);
    remove(rev);
}

static void test_negatives(void **state)
{
    char msg[GRL_MSG_LEN];
    small_graph g = make_graph(20, 150, true, false, 4); /* dense: many rejections */
    int64_t u[2000], v[2000];
    assert_ok(grl_linkpred_negatives(g.G, 2000, 5, u, v, msg));
    int64_t hist[400] = {0};
    for (int i = 0; i < 2000; i++) {
        assert_true(u[i] != v[i]);
        assert_true(g.A[u[i] * 20 + v[i]] == 0);
        hist[u[i] * 20 + v[i]]++;
    }
    /* 20*19 - 150 = 230 non-edges, ~8.7 draws each: all of them are hit */
    int64_t hit = 0;
    for (int i = 0; i < 400; i++) hit += hist[i] > 0;
    assert_int_equal(hit, 230);
    free_graph(&g);
    /* a complete graph has no negatives */
    int64_t s[] = {0, 0, 1}, d[] = {1, 2, 2};
    grl_graph *K = NULL;
    assert_ok(grl_graph_from_edges(&K, 3, s, d, NULL, 3, false, NULL, msg));
    assert_int_equal(grl_linkpred_negatives(K, 1, 1, u, v, msg), GRL_INVALID_ARGUMENT);
    grl_graph_free(&K);
}

/* Cora (Planetoid): CN, AA and RA AUC in the published range. */
static void test_cora_auc(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("cora_planetoid/edges.txt"), NULL, msg));
    grl_edge_split *S = NULL;
    assert_ok(grl_edge_split_new(&S, G, &(grl_edge_split_options){0.05, 0.10, false, 1}, msg));
    int64_t nn = S->ntest, *nu = malloc(sizeof(int64_t) * nn), *nv = malloc(sizeof(int64_t) * nn);
    assert_ok(grl_linkpred_negatives(G, nn, 2, nu, nv, msg));
    double *ps = malloc(sizeof(double) * S->ntest), *ns = malloc(sizeof(double) * nn);
    const grl_linkpred_method ms[] = {GRL_LINKPRED_CN, GRL_LINKPRED_AA, GRL_LINKPRED_RA};
    for (int t = 0; t < 3; t++) {
        grl_linkpred_options o;
        grl_linkpred_options_init(&o);
        o.method = ms[t];
        assert_ok(grl_linkpred_score(S->train, S->test_u, S->test_v, S->ntest, &o, ps, msg));
        assert_ok(grl_linkpred_score(S->train, nu, nv, nn, &o, ns, msg));
        grl_linkpred_metrics m;
        assert_ok(grl_linkpred_evaluate(ps, S->ntest, ns, nn, &m, msg));
        if (!(m.auc > 0.66 && m.auc < 0.78))
            fail_msg("Cora %s AUC %.4f outside 0.66..0.78", grl_linkpred_method_name(ms[t]), m.auc);
    }
    free(nu); free(nv); free(ps); free(ns);
    grl_edge_split_free(&S);
    grl_graph_free(&G);
}

/* Topological concentration from breadth-first distances. */
static void check_concentration(const small_graph *g, int hops, double beta)
{
    char msg[GRL_MSG_LEN];
    int64_t n = g->n;
    int *dist = malloc(sizeof(int) * n * n), *queue = malloc(sizeof(int) * n);
    for (int64_t s = 0; s < n; s++) { /* BFS on the symmetric structure */
        int *d = dist + s * n, head = 0, tail = 0;
        for (int64_t i = 0; i < n; i++) d[i] = -1;
        d[s] = 0;
        queue[tail++] = (int)s;
        while (head < tail) {
            int x = queue[head++];
            for (int64_t y = 0; y < n; y++)
                if (d[y] < 0 && (g->A[x * n + y] != 0 || g->A[y * n + x] != 0)) {
                    d[y] = d[x] + 1;
                    queue[tail++] = (int)y;
                }
        }
    }
    double *tc = malloc(sizeof(double) * n);
    assert_ok(grl_linkpred_concentration(g->G, &(grl_concentration_options){hops, beta}, tc, msg));
    int64_t nonzero = 0;
    for (int64_t i = 0; i < n; i++) {
        double acc = 0;
        int64_t deg = 0;
        for (int64_t j = 0; j < n; j++) {
            if (dist[i * n + j] != 1) continue;
            deg++;
            for (int a = 1; a <= hops; a++)
                for (int b = 1; b <= hops; b++) {
                    int64_t inter = 0, uni = 0;
                    for (int64_t x = 0; x < n; x++) {
                        bool in_a = dist[i * n + x] == a, in_b = dist[j * n + x] == b;
                        inter += in_a && in_b;
                        uni += in_a || in_b;
                    }
                    if (uni > 0) acc += pow(beta, a + b - 2) * (double)inter / (double)uni;
                }
        }
        double want = deg ? acc / deg : 0;
        nonzero += want > 0;
        assert_double_near(tc[i], want, 1e-12);
    }
    assert_true(nonzero >= (hops == 1 ? 1 : n / 2)); /* few triangles at K = 1 */
    free(dist); free(queue); free(tc);
}

static void test_topological_concentration(void **state)
{
    char msg[GRL_MSG_LEN];
    small_graph u = make_graph(40, 90, false, false, 31);
    small_graph d = make_graph(30, 70, true, true, 32);
    for (int K = 1; K <= 3; K++) {
        check_concentration(&u, K, 0.5);
        check_concentration(&d, K, 1.0);
    }
    double tc[40];
    assert_int_equal(grl_linkpred_concentration(u.G, &(grl_concentration_options){4, 0.5}, tc, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "1 to 3 hops"));
    free_graph(&u);
    free_graph(&d);
}

/* ---------------------------------------------------------------------------
 * Threads, options, errors
 * ------------------------------------------------------------------------ */
#define NRUNS 5 /* RA, weighted AA, KATZ, LP, weighted KATZ with L = 4 */
static void run_all(grl_graph *G, int threads, double *s, int64_t *c, double *cs,
                    int64_t *nu, int64_t *nv, int64_t *tu, double *tc)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_threads_set(threads, msg));
    int64_t n = grl_graph_num_nodes(G), np = 20000;
    assert_ok(grl_linkpred_negatives(G, np, 9, nu, nv, msg));
    grl_linkpred_options o;
    const grl_linkpred_method ms[] = {GRL_LINKPRED_RA, GRL_LINKPRED_AA,
                                      GRL_LINKPRED_KATZ, GRL_LINKPRED_LP,
                                      GRL_LINKPRED_KATZ};
    for (int t = 0; t < NRUNS; t++) {
        grl_linkpred_options_init(&o);
        o.method = ms[t];
        o.weighted = t == 1 || t == 4;
        o.katz_length = t == 4 ? 4 : 3; /* blocks of sources */
        o.block_entries = 100000;
        assert_ok(grl_linkpred_score(G, nu, nv, np, &o, s + t * np, msg));
        assert_ok(grl_linkpred_topk(G, NULL, n, 5, &o, c + t * n * 5, cs + t * n * 5, msg));
    }
    assert_ok(grl_linkpred_concentration(G, &(grl_concentration_options){2, 0.5}, tc, msg));
    grl_edge_split *S = NULL;
    assert_ok(grl_edge_split_new(&S, G, &(grl_edge_split_options){0.1, 0.1, true, 3}, msg));
    memcpy(tu, S->test_u, sizeof(int64_t) * S->ntest);
    grl_edge_split_free(&S);
}

static void same_bits(grl_graph *G)
{
    int64_t n = grl_graph_num_nodes(G), np = 20000, m = grl_graph_num_edges(G);
    double *s[2], *cs[2], *tc[2];
    int64_t *c[2], *nu[2], *nv[2], *tu[2];
    for (int r = 0; r < 2; r++) {
        s[r] = malloc(sizeof(double) * NRUNS * np);
        cs[r] = malloc(sizeof(double) * NRUNS * n * 5);
        c[r] = malloc(sizeof(int64_t) * NRUNS * n * 5);
        nu[r] = malloc(sizeof(int64_t) * np);
        nv[r] = malloc(sizeof(int64_t) * np);
        tu[r] = calloc(m, sizeof(int64_t));
        tc[r] = malloc(sizeof(double) * n);
        run_all(G, r + 1, s[r], c[r], cs[r], nu[r], nv[r], tu[r], tc[r]);
    }
    assert_memory_equal(nu[0], nu[1], sizeof(int64_t) * np);
    assert_memory_equal(nv[0], nv[1], sizeof(int64_t) * np);
    assert_memory_equal(s[0], s[1], sizeof(double) * NRUNS * np);
    assert_memory_equal(c[0], c[1], sizeof(int64_t) * NRUNS * n * 5);
    assert_memory_equal(cs[0], cs[1], sizeof(double) * NRUNS * n * 5);
    assert_memory_equal(tu[0], tu[1], sizeof(int64_t) * m);
    assert_memory_equal(tc[0], tc[1], sizeof(double) * n);
    for (int r = 0; r < 2; r++) {
        free(tc[r]);
        free(s[r]); free(cs[r]); free(c[r]); free(nu[r]); free(nv[r]); free(tu[r]);
    }
}

/* CA-GrQc, and a weighted random graph whose sums are not exact in floating
 * point (so a changed summation order would show). */
static void test_same_bits_with_1_and_2_threads(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("ca-grqc/CA-GrQc.txt"), NULL, msg));
    same_bits(G);
    grl_graph_free(&G);
    small_graph g = make_graph(3000, 30000, false, true, 77);
    same_bits(g.G);
    free_graph(&g);
}

static void test_names_and_errors(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_linkpred_method m;
    for (int i = 0; i < GRL_LINKPRED_NMETHODS; i++) {
        assert_ok(grl_linkpred_method_parse(grl_linkpred_method_name(i), &m, msg));
        assert_int_equal(m, i);
    }
    assert_ok(grl_linkpred_method_parse("Jaccard", &m, msg));
    assert_int_equal(m, GRL_LINKPRED_JACCARD);
    assert_int_equal(grl_linkpred_method_parse("cosine", &m, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "unknown link predictor 'cosine'"));
    assert_null(grl_linkpred_method_name(GRL_LINKPRED_NMETHODS));

    small_graph g = make_graph(10, 20, false, true, 1);
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    int64_t u[] = {0, 3}, v[] = {1, 10};
    double s[2];
    assert_int_equal(grl_linkpred_score(g.G, u, v, 2, &o, s, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "pair 1 (3, 10) names a node outside 0..9"));
    o.method = GRL_LINKPRED_JACCARD;
    o.weighted = true;
    assert_int_equal(grl_linkpred_score(g.G, u, v, 1, &o, s, msg), GRL_UNSUPPORTED);
    assert_non_null(strstr(msg, "jaccard has no weighted variant"));
    grl_linkpred_options_init(&o);
    o.method = GRL_LINKPRED_KATZ;
    o.katz_length = 9;
    assert_int_equal(grl_linkpred_score(g.G, u, v, 1, &o, s, msg), GRL_INVALID_ARGUMENT);
    int64_t c[2];
    assert_int_equal(grl_linkpred_topk(g.G, NULL, 0, 0, NULL, c, s, msg), GRL_INVALID_ARGUMENT);
    assert_ok(grl_linkpred_score(g.G, u, v, 0, NULL, s, msg)); /* no pairs */
    free_graph(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_undirected_matches_brute_force),
        cmocka_unit_test(test_directed_patterns_match_brute_force),
        cmocka_unit_test(test_agrees_with_igraph),
        cmocka_unit_test(test_topk_matches_full_sort),
        cmocka_unit_test(test_topk_subset_of_nodes),
        cmocka_unit_test(test_metrics_by_hand),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_split_ignores_line_order),
        cmocka_unit_test(test_negatives),
        cmocka_unit_test(test_cora_auc),
        cmocka_unit_test(test_topological_concentration),
        cmocka_unit_test(test_same_bits_with_1_and_2_threads),
        cmocka_unit_test(test_names_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
