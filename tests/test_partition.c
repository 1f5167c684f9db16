/* test_partition.c — METIS partitioning, partition quality, reordering by
 * part and halos, each checked against a brute-force count over the arcs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static grl_graph *load_email(void)
{
    return load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
}

static grl_graph *load_grqc(void)
{
    return load_graph(data_path("ca-grqc/CA-GrQc.txt"), -1);
}

/* The stored arcs of a graph, as tuples. */
typedef struct {
    int64_t n, m;
    GrB_Index *I, *J;
    double *X;
} arcs;

static arcs get_arcs(grl_graph *G)
{
    arcs a;
    a.n = grl_graph_num_nodes(G);
    a.m = grl_graph_num_arcs(G);
    a.I = malloc((a.m + 1) * sizeof(GrB_Index));
    a.J = malloc((a.m + 1) * sizeof(GrB_Index));
    a.X = malloc((a.m + 1) * sizeof(double));
    assert_non_null(a.I);
    assert_non_null(a.J);
    assert_non_null(a.X);
    GrB_Index m = a.m;
    assert_int_equal(GrB_Matrix_extractTuples_FP64(a.I, a.J, a.X, &m,
                                                   grl_graph_matrix(G)),
                     GrB_SUCCESS);
    assert_int_equal(m, a.m);
    return a;
}

static void free_arcs(arcs *a)
{
    free(a->I);
    free(a->J);
    free(a->X);
}

static int compare_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Brute force from the arc list: the distinct undirected pairs {u, v},
 * u != v, with their ends in two parts; the largest part over n / k; the
 * nodes with a neighbour in another part. */
static grl_partition_info brute_evaluate(const arcs *a, const int64_t *part,
                                         int64_t k)
{
    grl_partition_info info = {0, 0.0, 0};
    uint64_t *key = malloc((a->m + 1) * sizeof(uint64_t));
    char *boundary = calloc(a->n + 1, 1);
    int64_t *size = calloc(k, sizeof(int64_t));
    assert_non_null(key);
    assert_non_null(boundary);
    assert_non_null(size);
    int64_t npairs = 0;
    for (int64_t e = 0; e < a->m; e++) {
        uint64_t u = a->I[e], v = a->J[e];
        if (u == v) continue;
        uint64_t lo = u < v ? u : v, hi = u < v ? v : u;
        key[npairs++] = lo * (uint64_t)a->n + hi;
        if (part[u] != part[v]) boundary[u] = boundary[v] = 1;
    }
    qsort(key, npairs, sizeof(uint64_t), compare_u64);
    for (int64_t t = 0; t < npairs; t++) {
        if (t > 0 && key[t] == key[t - 1]) continue;
        int64_t u = key[t] / a->n, v = key[t] % a->n;
        info.edge_cut += part[u] != part[v];
    }
    int64_t largest = 0;
    for (int64_t i = 0; i < a->n; i++) {
        if (++size[part[i]] > largest) largest = size[part[i]];
        info.boundary_nodes += boundary[i];
    }
    info.balance = a->n ? (double)largest / ((double)a->n / k) : 1.0;
    free(key);
    free(boundary);
    free(size);
    return info;
}

/* Distinct undirected pairs u != v: the cut when every node is its own
 * part. */
static int64_t count_pairs(const arcs *a)
{
    int64_t *own = malloc((a->n + 1) * sizeof(int64_t));
    assert_non_null(own);
    for (int64_t i = 0; i < a->n; i++) own[i] = i;
    int64_t pairs = brute_evaluate(a, own, a->n ? a->n : 1).edge_cut;
    free(own);
    return pairs;
}

static void assert_same_info(grl_partition_info got, grl_partition_info want)
{
    assert_int_equal(got.edge_cut, want.edge_cut);
    assert_int_equal(got.boundary_nodes, want.boundary_nodes);
    assert_double_near(got.balance, want.balance, 1e-12);
}

/* METIS into 4 parts: valid, non-empty parts, METIS's default balance,
 * info equal to the brute-force figures, and a cut far below a random
 * assignment's. */
static void check_metis_4(grl_graph *G, double max_cut_ratio)
{
    char msg[GRL_MSG_LEN];
    const int64_t k = 4;
    int64_t n = grl_graph_num_nodes(G);
    int64_t *part = malloc(n * sizeof(int64_t));
    int64_t *rnd = malloc(n * sizeof(int64_t));
    int64_t size[4] = {0, 0, 0, 0};
    for (int64_t i = 0; i < n; i++) part[i] = -7;
    grl_partition_info info;
    assert_ok(partition_seeded(G, k, 42, part, &info, msg));
    for (int64_t i = 0; i < n; i++) {
        assert_in_range(part[i], 0, k - 1);
        size[part[i]]++;
    }
    for (int p = 0; p < k; p++) assert_true(size[p] > 0);
    /* default ufactor 30: the largest part is at most 1.03 x n / k */
    assert_true(info.balance >= 1.0);
    assert_true(info.balance <= 1.03 + 1e-9);

    arcs a = get_arcs(G);
    grl_partition_info want = brute_evaluate(&a, part, k);
    assert_same_info(info, want);
    assert_true(info.edge_cut > 0);

    grl_rng rng;
    grl_rng_init(&rng, 99, 0);
    for (int64_t i = 0; i < n; i++) rnd[i] = (int64_t)grl_rng_below(&rng, k);
    grl_partition_info random = brute_evaluate(&a, rnd, k);
    grl_partition_info random_lib;
    assert_ok(grl_partition_evaluate(G, rnd, k, &random_lib, msg));
    assert_same_info(random_lib, random);
    /* a random 4-way split cuts about 3/4 of the edges */
    int64_t pairs = count_pairs(&a);
    assert_true(random.edge_cut > 0.7 * pairs && random.edge_cut < 0.8 * pairs);
    if (!(info.edge_cut < max_cut_ratio * random.edge_cut))
        fail_msg("METIS cut %lld is not below %.2f x the random cut %lld",
                 (long long)info.edge_cut, max_cut_ratio,
                 (long long)random.edge_cut);
    /* info is optional and does not change the parts */
    int64_t *again = malloc(n * sizeof(int64_t));
    assert_ok(partition_seeded(G, k, 42, again, NULL, msg));
    assert_memory_equal(part, again, n * sizeof(int64_t));
    free(again);
    free_arcs(&a);
    free(part);
    free(rnd);
}

static void test_partition_email(void **state)
{
    grl_graph *G = load_email();
    assert_int_equal(grl_graph_num_nodes(G), 1005);
    check_metis_4(G, 0.6);
    grl_graph_free(&G);
}

static void test_partition_ca_grqc(void **state)
{
    grl_graph *G = load_grqc();
    assert_int_equal(grl_graph_num_nodes(G), 5242);
    check_metis_4(G, 0.15);
    grl_graph_free(&G);
}

static void test_partition_deterministic(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_email();
    int64_t n = grl_graph_num_nodes(G);
    int64_t *a = malloc(n * sizeof(int64_t)), *b = malloc(n * sizeof(int64_t));
    int64_t *c = malloc(n * sizeof(int64_t));
    int threads = grl_threads_get();
    grl_partition_info ia, ib, ic;
    assert_ok(grl_threads_set(1, msg));
    assert_ok(partition_seeded(G, 8, 12345, a, &ia, msg));
    assert_ok(grl_threads_set(2, msg));
    assert_ok(partition_seeded(G, 8, 12345, b, &ib, msg));
    assert_ok(partition_seeded(G, 8, 12345, c, &ic, msg));
    assert_memory_equal(a, b, n * sizeof(int64_t));
    assert_memory_equal(a, c, n * sizeof(int64_t));
    assert_same_info(ia, ib);
    assert_same_info(ia, ic);
    /* the seed reaches METIS: some other seed gives other parts */
    int differ = 0;
    for (uint64_t seed = 1; seed <= 4 && !differ; seed++) {
        assert_ok(partition_seeded(G, 8, seed, b, NULL, msg));
        differ = memcmp(a, b, n * sizeof(int64_t)) != 0;
    }
    assert_true(differ);
    /* seeds beyond 32 bits are folded, not rejected, and still repeat */
    assert_ok(partition_seeded(G, 8, UINT64_MAX - 5, b, NULL, msg));
    assert_ok(partition_seeded(G, 8, UINT64_MAX - 5, c, NULL, msg));
    assert_memory_equal(b, c, n * sizeof(int64_t));
    assert_ok(grl_threads_set(threads, msg));
    free(a);
    free(b);
    free(c);
    grl_graph_free(&G);
}

/* METIS sees the symmetrised structure without self-loops: a graph with
 * its loops (and, for email, its arcs one way) and the undirected,
 * loop-free load of the same file give the same parts. */
static void test_partition_sees_symmetric_loop_free(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *D = load_email();
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.directed = 0;
    opt.self_loops = GRL_SELF_LOOPS_DROP;
    grl_graph *U = NULL;
    assert_ok(grl_graph_load(&U, data_path("email-eu-core/email-Eu-core.txt"),
                             &opt, msg));
    int64_t n = grl_graph_num_nodes(D);
    assert_int_equal(grl_graph_num_nodes(U), n);
    assert_true(grl_graph_num_arcs(D) != grl_graph_num_arcs(U));
    int64_t *a = malloc(n * sizeof(int64_t)), *b = malloc(n * sizeof(int64_t));
    grl_partition_info ia, ib;
    for (int64_t k = 2; k <= 5; k += 3) {
        assert_ok(partition_seeded(D, k, 5, a, &ia, msg));
        assert_ok(partition_seeded(U, k, 5, b, &ib, msg));
        assert_memory_equal(a, b, n * sizeof(int64_t));
        assert_same_info(ia, ib);
    }
    free(a);
    free(b);
    grl_graph_free(&D);
    grl_graph_free(&U);
    /* undirected CA-GrQc with its 12 self-loops and without them */
    D = load_grqc();
    assert_ok(grl_graph_load(&U, data_path("ca-grqc/CA-GrQc.txt"), &opt, msg));
    n = grl_graph_num_nodes(D);
    assert_int_equal(grl_graph_num_arcs(D), grl_graph_num_arcs(U) + 12);
    a = malloc(n * sizeof(int64_t));
    b = malloc(n * sizeof(int64_t));
    assert_ok(partition_seeded(D, 4, 5, a, &ia, msg));
    assert_ok(partition_seeded(U, 4, 5, b, &ib, msg));
    assert_memory_equal(a, b, n * sizeof(int64_t));
    assert_same_info(ia, ib);
    free(a);
    free(b);
    grl_graph_free(&D);
    grl_graph_free(&U);
}

static void test_partition_one_part(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_email();
    int64_t n = grl_graph_num_nodes(G);
    int64_t *part = malloc(n * sizeof(int64_t));
    for (int64_t i = 0; i < n; i++) part[i] = 3;
    grl_partition_info info = {-1, -1, -1};
    assert_ok(partition_seeded(G, 1, 7, part, &info, msg));
    for (int64_t i = 0; i < n; i++) assert_int_equal(part[i], 0);
    assert_int_equal(info.edge_cut, 0);
    assert_int_equal(info.boundary_nodes, 0);
    assert_double_near(info.balance, 1.0, 1e-12);
    free(part);
    grl_graph_free(&G);
}

static void expect_invalid(int rc, const char *msg, const char *needle)
{
    if (rc != GRL_INVALID_ARGUMENT || strstr(msg, needle) == NULL)
        fail_msg("got %d '%s'; expected GRL_INVALID_ARGUMENT and '%s'", rc,
                 msg, needle);
}

static void test_partition_bad_arguments(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_email();
    int64_t n = grl_graph_num_nodes(G);
    int64_t *part = calloc(n, sizeof(int64_t));
    grl_partition_info info;
    msg[0] = '\0';
    expect_invalid(partition_seeded(G, 0, 1, part, &info, msg), msg,
                   "k must be in 1..1005");
    msg[0] = '\0';
    expect_invalid(partition_seeded(G, n + 1, 1, part, &info, msg), msg,
                   "into 1006 parts");
    msg[0] = '\0';
    expect_invalid(partition_seeded(G, -2, 1, part, &info, msg), msg,
                   "k must be in 1..1005");
    msg[0] = '\0';
    expect_invalid(partition_seeded(G, 2, 1, NULL, &info, msg), msg, "NULL");
    /* a part value out of range is named by node index and id */
    part[17] = 2;
    msg[0] = '\0';
    expect_invalid(grl_partition_evaluate(G, part, 2, &info, msg), msg,
                   "node 17 (id 17) is in part 2");
    part[17] = -1;
    msg[0] = '\0';
    expect_invalid(grl_partition_evaluate(G, part, 2, &info, msg), msg,
                   "node 17");
    part[17] = 0;
    msg[0] = '\0';
    expect_invalid(grl_partition_evaluate(G, part, 0, &info, msg), msg,
                   "at least 1");
    part[3] = 9;
    int64_t *offsets = (int64_t *)0x1, *nodes = (int64_t *)0x1;
    msg[0] = '\0';
    expect_invalid(grl_partition_halos(&offsets, &nodes, G, part, 4, msg),
                   msg, "node 3");
    assert_null(offsets);
    assert_null(nodes);
    grl_graph *R = (grl_graph *)0x1;
    int64_t off[5];
    msg[0] = '\0';
    expect_invalid(grl_graph_reorder(&R, G, part, 4, off, msg), msg,
                   "node 3");
    assert_null(R);
    free(part);
    grl_graph_free(&G);
}

/* 0 nodes, no edges, k = n, a tiny graph. */
static void test_partition_small_cases(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_partition_info info = {-1, -1, -1};
    grl_graph *E = NULL;
    assert_ok(grl_graph_from_edges(&E, 0, NULL, NULL, NULL, 0, false, NULL,
                                   msg));
    assert_ok(partition_seeded(E, 1, 1, NULL, &info, msg));
    assert_int_equal(info.edge_cut, 0);
    assert_int_equal(info.boundary_nodes, 0);
    msg[0] = '\0';
    expect_invalid(partition_seeded(E, 2, 1, NULL, &info, msg), msg,
                   "k must be in 1..1");
    int64_t *ho = NULL, *hn = NULL, off[2] = {-1, -1};
    assert_ok(grl_partition_halos(&ho, &hn, E, NULL, 1, msg));
    assert_int_equal(ho[0], 0);
    assert_int_equal(ho[1], 0);
    grl_free(ho);
    grl_free(hn);
    grl_graph *R = NULL;
    assert_ok(grl_graph_reorder(&R, E, NULL, 1, off, msg));
    assert_int_equal(grl_graph_num_nodes(R), 0);
    assert_int_equal(off[0], 0);
    assert_int_equal(off[1], 0);
    grl_graph_free(&R);
    grl_graph_free(&E);

    /* no edges: METIS still returns valid parts, nothing is cut */
    int64_t part[6];
    assert_ok(grl_graph_from_edges(&E, 6, NULL, NULL, NULL, 0, false, NULL,
                                   msg));
    assert_ok(partition_seeded(E, 3, 1, part, &info, msg));
    for (int i = 0; i < 6; i++) assert_in_range(part[i], 0, 2);
    assert_int_equal(info.edge_cut, 0);
    assert_int_equal(info.boundary_nodes, 0);
    grl_graph_free(&E);

    /* k = n on a path with a self-loop: valid parts, info consistent */
    int64_t src[] = {0, 1, 2, 3, 4, 2}, dst[] = {1, 2, 3, 4, 5, 2};
    assert_ok(grl_graph_from_edges(&E, 6, src, dst, NULL, 6, true, NULL, msg));
    assert_ok(partition_seeded(E, 6, 1, part, &info, msg));
    for (int i = 0; i < 6; i++) assert_in_range(part[i], 0, 5);
    arcs a = get_arcs(E);
    assert_same_info(info, brute_evaluate(&a, part, 6));
    assert_ok(partition_seeded(E, 2, 1, part, &info, msg));
    assert_same_info(info, brute_evaluate(&a, part, 2));
    assert_true(info.edge_cut >= 1);
    free_arcs(&a);
    grl_graph_free(&E);
}

/* A directed graph on 6 nodes: 0<->1 (both ways, one pair), 1->2, 2->3,
 * 3->4, 4->5, 5->3, 2->5 and a self-loop 0->0. */
static grl_graph *hand_graph(void)
{
    char msg[GRL_MSG_LEN];
    int64_t src[] = {0, 1, 1, 2, 3, 4, 5, 2, 0};
    int64_t dst[] = {1, 0, 2, 3, 4, 5, 3, 5, 0};
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, 6, src, dst, NULL, 9, true, NULL, msg));
    return G;
}

static void test_evaluate_by_hand(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = hand_graph();
    grl_partition_info info;
    /* {0,1,2 | 3,4,5}: cut {2,3} and {2,5}; sizes 3,3; boundary 2, 3, 5 */
    int64_t halves[] = {0, 0, 0, 1, 1, 1};
    assert_ok(grl_partition_evaluate(G, halves, 2, &info, msg));
    assert_int_equal(info.edge_cut, 2);
    assert_double_near(info.balance, 1.0, 1e-12);
    assert_int_equal(info.boundary_nodes, 3);
    /* {0,1,2,3 | 4 | 5}: cut {3,4} {4,5} {3,5} {2,5}; sizes 4,1,1 -> 4/2;
     * boundary 2, 3, 4, 5 */
    int64_t uneven[] = {0, 0, 0, 0, 1, 2};
    assert_ok(grl_partition_evaluate(G, uneven, 3, &info, msg));
    assert_int_equal(info.edge_cut, 4);
    assert_double_near(info.balance, 2.0, 1e-12);
    assert_int_equal(info.boundary_nodes, 4);
    /* the same with a fourth, empty part: balance 4 / (6/4) */
    assert_ok(grl_partition_evaluate(G, uneven, 4, &info, msg));
    assert_int_equal(info.edge_cut, 4);
    assert_double_near(info.balance, 4.0 / 1.5, 1e-12);
    assert_int_equal(info.boundary_nodes, 4);
    /* undirected copy of the same structure: the same figures */
    grl_graph *U = NULL;
    int64_t src[] = {0, 1, 2, 3, 4, 5, 2, 0}, dst[] = {1, 2, 3, 4, 5, 3, 5, 0};
    assert_ok(grl_graph_from_edges(&U, 6, src, dst, NULL, 8, false, NULL, msg));
    assert_ok(grl_partition_evaluate(U, uneven, 3, &info, msg));
    assert_int_equal(info.edge_cut, 4);
    assert_double_near(info.balance, 2.0, 1e-12);
    assert_int_equal(info.boundary_nodes, 4);
    grl_graph_free(&U);
    grl_graph_free(&G);
}

/* ---- reorder ---------------------------------------------------------- */

typedef struct {
    uint64_t i, j;
    double x;
} triple;

static int compare_triple(const void *p, const void *q)
{
    const triple *a = p, *b = q;
    if (a->i != b->i) return a->i < b->i ? -1 : 1;
    if (a->j != b->j) return a->j < b->j ? -1 : 1;
    return (a->x > b->x) - (a->x < b->x);
}

/* Reorder G by part and check R against an independent renumbering. */
static void check_reorder(grl_graph *G, const int64_t *part, int64_t k)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(G);
    int64_t *offsets = malloc((k + 1) * sizeof(int64_t));
    int64_t *new_index = malloc((n + 1) * sizeof(int64_t));
    grl_graph *R = NULL;
    assert_ok(grl_graph_reorder(&R, G, part, k, offsets, msg));

    /* expected: part by part, ascending old index inside a part */
    int64_t next = 0;
    for (int64_t p = 0; p < k; p++) {
        assert_int_equal(offsets[p], next);
        for (int64_t i = 0; i < n; i++)
            if (part[i] == p) new_index[i] = next++;
    }
    assert_int_equal(offsets[k], n);
    assert_int_equal(next, n);
    for (int64_t i = 0; i < n; i++) {
        assert_true(new_index[i] >= offsets[part[i]]);
        assert_true(new_index[i] < offsets[part[i] + 1]);
    }

    assert_int_equal(grl_graph_num_nodes(R), n);
    assert_int_equal(grl_graph_num_arcs(R), grl_graph_num_arcs(G));
    assert_int_equal(grl_graph_num_edges(R), grl_graph_num_edges(G));
    assert_int_equal(grl_graph_is_directed(R), grl_graph_is_directed(G));
    assert_int_equal(grl_graph_is_weighted(R), grl_graph_is_weighted(G));
    assert_int_equal(grl_graph_id_kind(R), grl_graph_id_kind(G));

    /* every arc (u, v, w) of G is (new(u), new(v), w) in R, and no other */
    arcs a = get_arcs(G), b = get_arcs(R);
    triple *want = malloc((a.m + 1) * sizeof(triple));
    triple *got = malloc((b.m + 1) * sizeof(triple));
    for (int64_t e = 0; e < a.m; e++) {
        want[e].i = new_index[a.I[e]];
        want[e].j = new_index[a.J[e]];
        want[e].x = a.X[e];
    }
    for (int64_t e = 0; e < b.m; e++) {
        got[e].i = b.I[e];
        got[e].j = b.J[e];
        got[e].x = b.X[e];
    }
    qsort(want, a.m, sizeof(triple), compare_triple);
    qsort(got, b.m, sizeof(triple), compare_triple);
    for (int64_t e = 0; e < a.m; e++) {
        if (want[e].i != got[e].i || want[e].j != got[e].j ||
            want[e].x != got[e].x)
            fail_msg("reordered arc %lld: want (%llu, %llu, %g), got (%llu, "
                     "%llu, %g)", (long long)e,
                     (unsigned long long)want[e].i,
                     (unsigned long long)want[e].j, want[e].x,
                     (unsigned long long)got[e].i,
                     (unsigned long long)got[e].j, got[e].x);
    }

    /* ids follow their nodes */
    char idg[256], idr[256];
    for (int64_t i = 0; i < n; i++) {
        assert_true(grl_graph_node_id(G, i, idg, sizeof idg) > 0);
        assert_true(grl_graph_node_id(R, new_index[i], idr, sizeof idr) > 0);
        assert_string_equal(idg, idr);
        /* and lookups by id find the node at its new index */
        char msg[GRL_MSG_LEN];
        int64_t found = -1;
        assert_ok(grl_graph_node_index(R, idg, &found, msg));
        assert_int_equal(found, new_index[i]);
    }
    free(want);
    free(got);
    free_arcs(&a);
    free_arcs(&b);
    free(offsets);
    free(new_index);
    grl_graph_free(&R);
}

static void test_reorder_real(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *graphs[2] = {load_email(), load_grqc()};
    for (int g = 0; g < 2; g++) {
        grl_graph *G = graphs[g];
        int64_t n = grl_graph_num_nodes(G);
        int64_t *part = malloc(n * sizeof(int64_t));
        assert_ok(partition_seeded(G, 4, 3, part, NULL, msg));
        check_reorder(G, part, 4);
        /* an assignment METIS would not give: 5 parts, part 2 empty */
        for (int64_t i = 0; i < n; i++) part[i] = (i * 7919) % 5 == 2 ? 4
                                                  : (i * 7919) % 5;
        check_reorder(G, part, 5);
        free(part);
        grl_graph_free(&graphs[g]);
    }
}

static void test_reorder_by_hand(void **state)
{
    char msg[GRL_MSG_LEN];
    /* string ids a..e (indices 0..4 in sorted order), weights, a loop */
    const char *path = temp_file(".txt", "b a 2.5\na c 1\nc d 3\nd b 0.5\n"
                                         "e e 4\n");
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.directed = 1;
    opt.ids = GRL_IDS_STRING;
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, path, &opt, msg));
    remove(path);
    assert_int_equal(grl_graph_num_nodes(G), 5);
    assert_true(grl_graph_is_weighted(G));
    /* parts: a 1, b 0, c 1, d 0, e 0 -> new order b d e | a c */
    int64_t part[] = {1, 0, 1, 0, 0}, offsets[3];
    grl_graph *R = NULL;
    assert_ok(grl_graph_reorder(&R, G, part, 2, offsets, msg));
    assert_int_equal(offsets[0], 0);
    assert_int_equal(offsets[1], 3);
    assert_int_equal(offsets[2], 5);
    const char *order[] = {"b", "d", "e", "a", "c"};
    char id[16];
    for (int i = 0; i < 5; i++) {
        assert_int_equal(grl_graph_node_id(R, i, id, sizeof id), 1);
        assert_string_equal(id, order[i]);
    }
    /* b->a 2.5 is now 0->3; e->e 4 is 2->2 */
    double w = 0;
    assert_int_equal(GrB_Matrix_extractElement_FP64(&w, grl_graph_matrix(R),
                                                    0, 3), GrB_SUCCESS);
    assert_double_near(w, 2.5, 0);
    assert_int_equal(GrB_Matrix_extractElement_FP64(&w, grl_graph_matrix(R),
                                                    2, 2), GrB_SUCCESS);
    assert_double_near(w, 4.0, 0);
    assert_true(grl_graph_is_directed(R));
    grl_graph_free(&R);
    check_reorder(G, part, 2);
    grl_graph_free(&G);

    /* integer ids 0..n-1 (no explicit map) get an explicit one */
    G = hand_graph();
    assert_true(grl_graph_ids_are_indices(G));
    int64_t p6[] = {1, 0, 1, 0, 1, 0}, off6[3];
    assert_ok(grl_graph_reorder(&R, G, p6, 2, off6, msg));
    assert_false(grl_graph_ids_are_indices(R));
    const char *ids6[] = {"1", "3", "5", "0", "2", "4"};
    for (int i = 0; i < 6; i++) {
        grl_graph_node_id(R, i, id, sizeof id);
        assert_string_equal(id, ids6[i]);
    }
    grl_graph_free(&R);
    check_reorder(G, p6, 2);
    grl_graph_free(&G);
}

/* ---- halos ------------------------------------------------------------ */

/* Brute force: node v is in halo p when part[v] != p and an arc joins v and
 * a node of p, either way. Compares with grl_partition_halos. */
static void check_halos(grl_graph *G, const int64_t *part, int64_t k)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(G);
    arcs a = get_arcs(G);
    char *in = calloc((size_t)k * n + 1, 1);
    for (int64_t e = 0; e < a.m; e++) {
        int64_t u = a.I[e], v = a.J[e];
        if (part[u] == part[v]) continue;
        in[part[u] * n + v] = 1;
        in[part[v] * n + u] = 1;
    }
    int64_t *offsets = NULL, *nodes = NULL;
    assert_ok(grl_partition_halos(&offsets, &nodes, G, part, k, msg));
    assert_int_equal(offsets[0], 0);
    for (int64_t p = 0; p < k; p++) {
        int64_t at = offsets[p];
        for (int64_t v = 0; v < n; v++) {
            if (!in[p * n + v]) continue;
            if (at >= offsets[p + 1])
                fail_msg("halo %lld misses node %lld", (long long)p,
                         (long long)v);
            assert_int_equal(nodes[at], v);
            at++;
        }
        assert_int_equal(at, offsets[p + 1]);
    }
    grl_free(offsets);
    grl_free(nodes);
    free(in);
    free_arcs(&a);
}

static void test_halos_by_hand(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = hand_graph();
    int64_t *offsets = NULL, *nodes = NULL;
    /* {0,1,2,3 | 4 | 5 | (empty)}: halo 0 = {4, 5}; halo 1 = {3, 5};
     * halo 2 = {2, 3, 4}; halo 3 = {} */
    int64_t part[] = {0, 0, 0, 0, 1, 2};
    assert_ok(grl_partition_halos(&offsets, &nodes, G, part, 4, msg));
    int64_t want_off[] = {0, 2, 4, 7, 7}, want_nodes[] = {4, 5, 3, 5, 2, 3, 4};
    assert_memory_equal(offsets, want_off, sizeof want_off);
    assert_memory_equal(nodes, want_nodes, sizeof want_nodes);
    grl_free(offsets);
    grl_free(nodes);
    /* {0,1,2 | 3,4,5}: halo 0 = {3, 5}, halo 1 = {2} */
    int64_t halves[] = {0, 0, 0, 1, 1, 1};
    assert_ok(grl_partition_halos(&offsets, &nodes, G, halves, 2, msg));
    int64_t off2[] = {0, 2, 3}, nodes2[] = {3, 5, 2};
    assert_memory_equal(offsets, off2, sizeof off2);
    assert_memory_equal(nodes, nodes2, sizeof nodes2);
    grl_free(offsets);
    grl_free(nodes);
    /* one part: no halos */
    int64_t zero[6] = {0};
    assert_ok(grl_partition_halos(&offsets, &nodes, G, zero, 1, msg));
    assert_int_equal(offsets[0], 0);
    assert_int_equal(offsets[1], 0);
    grl_free(offsets);
    grl_free(nodes);
    check_halos(G, part, 4);
    check_halos(G, halves, 2);
    grl_graph_free(&G);
}

static void test_halos_real(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_email();
    int64_t n = grl_graph_num_nodes(G);
    int64_t *part = malloc(n * sizeof(int64_t));
    grl_partition_info info;
    assert_ok(partition_seeded(G, 4, 42, part, &info, msg));
    check_halos(G, part, 4);
    /* every boundary node lies in at least one halo, and only they do */
    int64_t *offsets = NULL, *nodes = NULL;
    assert_ok(grl_partition_halos(&offsets, &nodes, G, part, 4, msg));
    char *seen = calloc(n, 1);
    int64_t distinct = 0;
    for (int64_t t = 0; t < offsets[4]; t++)
        if (!seen[nodes[t]]++) distinct++;
    assert_int_equal(distinct, info.boundary_nodes);
    /* the same lists with one thread */
    int threads = grl_threads_get();
    int64_t *o1 = NULL, *n1 = NULL;
    assert_ok(grl_threads_set(1, msg));
    assert_ok(grl_partition_halos(&o1, &n1, G, part, 4, msg));
    assert_ok(grl_threads_set(threads, msg));
    assert_memory_equal(o1, offsets, 5 * sizeof(int64_t));
    assert_memory_equal(n1, nodes, offsets[4] * sizeof(int64_t));
    grl_free(o1);
    grl_free(n1);
    grl_free(offsets);
    grl_free(nodes);
    free(seen);
    /* many parts, most of them small */
    for (int64_t i = 0; i < n; i++) part[i] = (i * 31) % 37;
    check_halos(G, part, 37);
    free(part);
    grl_graph_free(&G);
}

/* BlogCatalog (668k arcs) is large enough for the parallel paths: the
 * same parts, figures and halos with 1, 2 and 3 threads, all equal to the
 * brute-force ones. */
static void test_parallel_blogcatalog(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("blogcatalog/edges.txt"), -1);
    int64_t n = grl_graph_num_nodes(G);
    assert_int_equal(n, 10312);
    const int64_t k = 8;
    int64_t *part = malloc(n * sizeof(int64_t)), *p2 = malloc(n * sizeof(int64_t));
    int threads = grl_threads_get();
    grl_partition_info info, i2;
    assert_ok(grl_threads_set(1, msg));
    assert_ok(partition_seeded(G, k, 9, part, &info, msg));
    int64_t *off1 = NULL, *nodes1 = NULL;
    assert_ok(grl_partition_halos(&off1, &nodes1, G, part, k, msg));
    arcs a = get_arcs(G);
    assert_same_info(info, brute_evaluate(&a, part, k));
    free_arcs(&a);
    check_halos(G, part, k);
    for (int t = 2; t <= 3; t++) {
        assert_ok(grl_threads_set(t, msg));
        assert_ok(partition_seeded(G, k, 9, p2, &i2, msg));
        assert_memory_equal(part, p2, n * sizeof(int64_t));
        assert_same_info(i2, info);
        int64_t *off = NULL, *nodes = NULL;
        assert_ok(grl_partition_halos(&off, &nodes, G, part, k, msg));
        assert_memory_equal(off, off1, (k + 1) * sizeof(int64_t));
        assert_memory_equal(nodes, nodes1, off1[k] * sizeof(int64_t));
        grl_free(off);
        grl_free(nodes);
        check_halos(G, part, k);
    }
    assert_ok(grl_threads_set(threads, msg));
    grl_free(off1);
    grl_free(nodes1);
    free(part);
    free(p2);
    grl_graph_free(&G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_email),
        cmocka_unit_test(test_partition_ca_grqc),
        cmocka_unit_test(test_partition_deterministic),
        cmocka_unit_test(test_partition_sees_symmetric_loop_free),
        cmocka_unit_test(test_partition_one_part),
        cmocka_unit_test(test_partition_bad_arguments),
        cmocka_unit_test(test_partition_small_cases),
        cmocka_unit_test(test_evaluate_by_hand),
        cmocka_unit_test(test_reorder_real),
        cmocka_unit_test(test_reorder_by_hand),
        cmocka_unit_test(test_halos_by_hand),
        cmocka_unit_test(test_halos_real),
        cmocka_unit_test(test_parallel_blogcatalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
