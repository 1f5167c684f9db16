/* test_graph.c — loaders, writers, ids, policies, degrees, the summary. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Expect loading `text` (saved with `suffix`) to fail with `code` and a
 * message containing `needle`. */
static void expect_load_error(const char *suffix, const char *text, int code,
                              const char *needle)
{
    char msg[GRL_MSG_LEN] = "";
    grl_graph *G = (grl_graph *)0x1;
    const char *path = temp_file(suffix, text);
    int rc = grl_graph_load(&G, path, NULL, msg);
    if (rc != code || strstr(msg, needle) == NULL)
        fail_msg("loading %s gave %d '%s'; expected %d and '%s'", path, rc,
                 msg, code, needle);
    assert_null(G);
    remove(path);
}

/* Same matrix (pattern and values), direction, weights and ids. */
static void assert_same_graph(grl_graph *A, grl_graph *B)
{
    int64_t n = grl_graph_num_nodes(A);
    assert_int_equal(n, grl_graph_num_nodes(B));
    assert_int_equal(grl_graph_num_arcs(A), grl_graph_num_arcs(B));
    assert_int_equal(grl_graph_is_directed(A), grl_graph_is_directed(B));
    assert_int_equal(grl_graph_is_weighted(A), grl_graph_is_weighted(B));
    GrB_Index m = grl_graph_num_arcs(A), ma = m, mb = m;
    GrB_Index *ia = malloc(m * 8 + 8), *ja = malloc(m * 8 + 8);
    GrB_Index *ib = malloc(m * 8 + 8), *jb = malloc(m * 8 + 8);
    double *xa = malloc(m * 8 + 8), *xb = malloc(m * 8 + 8);
    assert_int_equal(GrB_Matrix_extractTuples_FP64(ia, ja, xa, &ma,
                                                   grl_graph_matrix(A)), 0);
    assert_int_equal(GrB_Matrix_extractTuples_FP64(ib, jb, xb, &mb,
                                                   grl_graph_matrix(B)), 0);
    assert_memory_equal(ia, ib, m * 8);
    assert_memory_equal(ja, jb, m * 8);
    assert_memory_equal(xa, xb, m * 8);
    char a[128], b[128];
    for (int64_t i = 0; i < n; i++) {
        grl_graph_node_id(A, i, a, sizeof a);
        grl_graph_node_id(B, i, b, sizeof b);
        assert_string_equal(a, b);
    }
    free(ia); free(ja); free(ib); free(jb); free(xa); free(xb);
}

static void test_ca_grqc_summary(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("ca-grqc/CA-GrQc.txt"), -1);
    grl_graph_info s;
    assert_ok(grl_graph_summary(G, &s, msg));
    assert_false(s.directed);
    assert_false(s.weighted);
    assert_int_equal(s.nodes, 5242);
    assert_int_equal(s.edges, 14496);
    assert_int_equal(s.self_loops, 12);
    assert_int_equal(s.arcs, 2 * 14496 - 12);
    /* every edge is listed both ways, self-loops twice too: 28,980 lines */
    assert_int_equal(s.duplicates_dropped, 28980 - 14496);
    assert_int_equal(s.components, 355);
    /* SNAP ids are sparse: the map keeps them */
    assert_false(grl_graph_ids_are_indices(G));
    int64_t idx;
    char id[32];
    assert_ok(grl_graph_node_index(G, "3466", &idx, msg));
    grl_graph_node_id(G, idx, id, sizeof id);
    assert_string_equal(id, "3466");
    assert_int_equal(grl_graph_node_index(G, "4", &idx, msg), GRL_NOT_FOUND);
    grl_graph_free(&G);
}

static void test_email_directed_summary(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    grl_graph_info s;
    assert_ok(grl_graph_summary(G, &s, msg));
    assert_true(s.directed);
    assert_int_equal(s.nodes, 1005);
    assert_int_equal(s.arcs, 25571);
    assert_int_equal(s.edges, 25571);
    assert_int_equal(s.self_loops, 642);
    assert_int_equal(s.components, 20);
    assert_double_near(s.out_mean, 25571.0 / 1005, 1e-12);
    assert_double_near(s.in_mean, 25571.0 / 1005, 1e-12);
    assert_true(grl_graph_ids_are_indices(G)); /* ids 0..1004 */
    grl_graph_free(&G);
}

/* Degrees against a brute-force count over the input arcs. */
static void test_degrees_match_brute_force(void **state)
{
    char msg[GRL_MSG_LEN];
    const int64_t src[] = {0, 0, 1, 2, 3, 3, 4}, dst[] = {1, 2, 2, 2, 0, 1, 3};
    const double w[] = {0.5, 2, 1, 4, 3, 1.5, 2.5};
    for (int directed = 0; directed <= 1; directed++) {
        grl_graph *G = NULL;
        assert_ok(grl_graph_from_edges(&G, 5, src, dst, w, 7, directed, NULL,
                                       msg));
        double out[5] = {0}, in[5] = {0}, wout[5] = {0}, win[5] = {0};
        for (int k = 0; k < 7; k++) {
            out[src[k]] += 1; in[dst[k]] += 1;
            wout[src[k]] += w[k]; win[dst[k]] += w[k];
            if (!directed && src[k] != dst[k]) {
                out[dst[k]] += 1; in[src[k]] += 1;
                wout[dst[k]] += w[k]; win[src[k]] += w[k];
            }
        }
        const double *d;
        for (int i = 0; i < 5; i++) {
            assert_ok(grl_graph_degree(G, GRL_OUT, false, &d, msg));
            assert_double_near(d[i], out[i], 0);
            assert_ok(grl_graph_degree(G, GRL_IN, false, &d, msg));
            assert_double_near(d[i], in[i], 0);
            assert_ok(grl_graph_degree(G, GRL_OUT, true, &d, msg));
            assert_double_near(d[i], wout[i], 1e-15);
            assert_ok(grl_graph_degree(G, GRL_IN, true, &d, msg));
            assert_double_near(d[i], win[i], 1e-15);
        }
        GrB_Matrix AT;
        assert_ok(grl_graph_transpose(G, &AT, msg));
        double x;
        assert_int_equal(GrB_Matrix_extractElement_FP64(&x, AT, 2, 0), 0);
        assert_double_near(x, 2, 0);
        grl_graph_free(&G);
    }
}

/* A file with its lines shuffled gives the identical graph and ids. */
static void test_line_order_does_not_matter(void **state)
{
    const char *path = shuffled_copy(data_path("ca-grqc/CA-GrQc.txt"), 5);
    grl_graph *A = load_graph(data_path("ca-grqc/CA-GrQc.txt"), -1);
    grl_graph *B = load_graph(path, -1);
    assert_same_graph(A, B);
    grl_graph_free(&A);
    grl_graph_free(&B);
    remove(path);
}

/* BlogCatalog (several MB) is parsed in parallel chunks: 1 and 2 threads
 * give the same graph, and an error's line number is exact either way. */
static void test_threads_do_not_matter(void **state)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_threads_set(1, msg));
    grl_graph *A = load_graph(data_path("blogcatalog/edges.txt"), -1);
    assert_ok(grl_threads_set(2, msg));
    grl_graph *B = load_graph(data_path("blogcatalog/edges.txt"), -1);
    assert_same_graph(A, B);
    assert_int_equal(grl_graph_num_nodes(A), 10312);
    assert_int_equal(grl_graph_num_edges(A), 333983);
    grl_graph_free(&A);
    grl_graph_free(&B);
    /* 300,000 good lines, then a bad one */
    size_t size = 300001 * 16;
    char *text = malloc(size), *p = text;
    for (int i = 0; i < 300000; i++) p += sprintf(p, "%d %d\n", i, i + 1);
    sprintf(p, "7 oops\n");
    const char *path = temp_file(".txt", text);
    free(text);
    for (int t = 1; t <= 2; t++) {
        assert_ok(grl_threads_set(t, msg));
        grl_graph *G = NULL;
        assert_int_equal(grl_graph_load(&G, path, NULL, msg), GRL_PARSE_ERROR);
        assert_non_null(strstr(msg, ":300001: expected an integer target node id, got 'oops'"));
    }
    remove(path);
}

/* A declared node set: the graph's own ids (shuffled) give the same graph;
 * extra ids are isolated nodes, numbered in sorted order; string ids too;
 * an edge outside the set fails at its exact line with 1 or 2 threads. */
static void test_declared_nodes(void **state)
{
    char msg[GRL_MSG_LEN], id[64];
    grl_graph *A = load_graph(data_path("ca-grqc/CA-GrQc.txt"), -1);
    int64_t n = grl_graph_num_nodes(A);
    size_t size = (size_t)(n + 3) * 24;
    char *text = malloc(size), *p = text;
    for (int64_t k = 0; k < n; k++) { /* ids in a scrambled order */
        grl_graph_node_id(A, (k * 7919) % n, id, sizeof id);
        p += sprintf(p, "%s\n", id);
    }
    const char *own = temp_file(".txt", text);
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.nodes_path = own;
    grl_graph *B = NULL;
    assert_ok(grl_graph_load(&B, data_path("ca-grqc/CA-GrQc.txt"), &opt, msg));
    assert_same_graph(A, B);
    grl_graph_free(&B);
    sprintf(p, "# isolated\n999999\n-5\n");
    opt.nodes_path = temp_file(".txt", text);
    assert_ok(grl_graph_load(&B, data_path("ca-grqc/CA-GrQc.txt"), &opt, msg));
    assert_int_equal(grl_graph_num_nodes(B), n + 2);
    assert_int_equal(grl_graph_num_arcs(B), grl_graph_num_arcs(A));
    grl_graph_node_id(B, 0, id, sizeof id);
    assert_string_equal(id, "-5");
    grl_graph_node_id(B, n + 1, id, sizeof id);
    assert_string_equal(id, "999999");
    const double *deg;
    assert_ok(grl_graph_degree(B, GRL_OUT, false, &deg, msg));
    assert_true(deg[0] == 0 && deg[n + 1] == 0 && deg[1] > 0);
    int64_t i;
    assert_ok(grl_graph_node_index(B, "999999", &i, msg));
    assert_int_equal(i, n + 1);
    grl_graph_free(&A);
    grl_graph_free(&B);
    remove(own);
    remove(opt.nodes_path);
    free(text);

    /* string ids; a node count */
    grl_load_options_init(&opt);
    opt.ids = GRL_IDS_STRING;
    opt.nodes_path = temp_file(".txt", "z\n  w\t\r\ny\n%% c\nxx\n");
    assert_ok(grl_graph_load(&A, temp_file(".txt", "xx y\ny z\n"), &opt, msg));
    assert_int_equal(grl_graph_num_nodes(A), 4);
    const char *sorted[4] = {"w", "xx", "y", "z"};
    for (int k = 0; k < 4; k++) {
        grl_graph_node_id(A, k, id, sizeof id);
        assert_string_equal(id, sorted[k]);
    }
    assert_int_equal(grl_graph_node_index(A, "x", &i, msg), GRL_NOT_FOUND);
    grl_graph_free(&A);
    grl_load_options_init(&opt);
    opt.num_nodes = 5;
    assert_ok(grl_graph_load(&A, temp_file(".txt", "0 1\n3 1\n"), &opt, msg));
    assert_int_equal(grl_graph_num_nodes(A), 5);
    assert_true(grl_graph_ids_are_indices(A));
    grl_graph_free(&A);
    opt.num_nodes = -1;
    assert_int_equal(grl_graph_load(&A, own, &opt, msg), GRL_INVALID_ARGUMENT);
    opt.num_nodes = 3;
    assert_int_equal(grl_graph_load(&A, data_path("karate/karate.mtx"), &opt,
                                     msg), GRL_UNSUPPORTED);

    /* 300,000 edges of a path 0..300000, then one leaving 0..300000 */
    size = 300001 * 16;
    text = malloc(size);
    p = text;
    for (int k = 0; k < 300000; k++) p += sprintf(p, "%d %d\n", k, k + 1);
    sprintf(p, "7 300001\n");
    const char *path = temp_file(".txt", text);
    free(text);
    opt.num_nodes = 300001;
    for (int t = 1; t <= 2; t++) {
        assert_ok(grl_threads_set(t, msg));
        assert_int_equal(grl_graph_load(&A, path, &opt, msg), GRL_PARSE_ERROR);
        assert_non_null(strstr(msg, ":300001: target node '300001' is not in "
                                    "the declared node set (num_nodes = 300001"));
        assert_null(A);
    }
    remove(path);
}

static void test_bad_input_table(void **state)
{
    char msg[GRL_MSG_LEN];
    expect_load_error(".txt", "1 2\n# c\n3 x7\n", GRL_PARSE_ERROR,
                      ":3: expected an integer target node id, got 'x7'");
    expect_load_error(".txt", "1 2\n3\n", GRL_PARSE_ERROR,
                      ":2: expected two node ids, got only one field");
    expect_load_error(".txt", "1 2 0.5\n2 3\n", GRL_PARSE_ERROR,
                      ":2: expected a weight in the third field");
    expect_load_error(".txt", "1 2 0.5\n2 3 -1\n", GRL_PARSE_ERROR,
                      ":2: weight '-1' is not positive");
    expect_load_error(".txt", "1 2 nan\n", GRL_PARSE_ERROR,
                      ":1: weight 'nan' is not a finite number");
    expect_load_error(".txt", "1 2 1e999\n", GRL_PARSE_ERROR,
                      ":1: weight '1e999' is not a finite number");
    expect_load_error(".txt", "1 2 heavy\n", GRL_PARSE_ERROR,
                      ":1: expected a numeric weight, got 'heavy'");
    expect_load_error(".txt", "99999999999999999999 1\n", GRL_PARSE_ERROR,
                      ":1: expected an integer source node id");
    expect_load_error(".mtx",
                      "%%MatrixMarket matrix coordinate pattern general\n"
                      "3 3 2\n1 2\n2 4\n",
                      GRL_PARSE_ERROR,
                      ":4: target index 4 is outside 1..3 declared");
    expect_load_error(".mtx",
                      "%%MatrixMarket matrix coordinate real general\n"
                      "% comment\n3 3 3\n1 2 1.0\n2 3 1.0\n",
                      GRL_PARSE_ERROR,
                      "truncated file: the size line declares 3 entries, "
                      "the file has 2");
    expect_load_error(".mtx", "%%MatrixMarket matrix array real general\n",
                      GRL_UNSUPPORTED, "only 'matrix coordinate'");
    expect_load_error(".mtx", "1 2\n", GRL_PARSE_ERROR,
                      ":1: expected '%%MatrixMarket");
    /* a truncated .grl: save a real one, cut it */
    grl_graph *G = load_graph(data_path("karate/edges.txt"), -1);
    const char *full = temp_file(".grl", "");
    assert_ok(grl_graph_save(G, full, GRL_FORMAT_AUTO, msg));
    grl_graph_free(&G);
    FILE *f = fopen(full, "rb");
    char buf[4096];
    size_t got = fread(buf, 1, sizeof buf, f);
    fclose(f);
    buf[got / 2] = '\0';
    f = fopen(full, "wb");
    fwrite(buf, 1, got / 2, f);
    fclose(f);
    assert_int_equal(grl_graph_load(&G, full, NULL, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "truncated graph file"));
    assert_null(G);
    remove(full);
    expect_load_error(".grl", "not a graph", GRL_PARSE_ERROR,
                      "not a grl graph file");
    /* a directory and a missing file */
    assert_int_equal(grl_graph_load(&G, "/tmp", NULL, msg), GRL_IO_ERROR);
    assert_non_null(strstr(msg, "/tmp: is a directory"));
    assert_int_equal(grl_graph_load(&G, "/no/such/file.txt", NULL, msg),
                     GRL_IO_ERROR);
    assert_non_null(strstr(msg, "/no/such/file.txt: No such file"));
    assert_null(G);
}

/* Regressions of issue 8: ids at the ends of int64 (their span wrapped to 0
 * and corrupted the heap), a size line beyond GraphBLAS's limit, and string
 * ids longer than 4096 bytes that differ only at the end (they were cut and
 * merged into one node). */
static void test_extreme_ids(void **state)
{
    char msg[GRL_MSG_LEN], id[32];
    grl_graph *G = load_graph(temp_file(".txt",
        "-9223372036854775808 9223372036854775807\n9223372036854775807 5\n"), 0);
    assert_int_equal(grl_graph_num_nodes(G), 3);
    grl_graph_node_id(G, 0, id, sizeof id);
    assert_string_equal(id, "-9223372036854775808");
    grl_graph_node_id(G, 2, id, sizeof id);
    assert_string_equal(id, "9223372036854775807");
    grl_graph_free(&G);
    expect_load_error(".mtx",
                      "%%MatrixMarket matrix coordinate pattern general\n"
                      "2305843009213693952 2305843009213693952 1\n1 2\n",
                      GRL_PARSE_ERROR, ":2: 2305843009213693952 rows is more "
                      "than grl holds");
    expect_load_error(".mtx",
                      "%%MatrixMarket matrix coordinate pattern general\n"
                      "99999999999999999999 99999999999999999999 1\n1 2\n",
                      GRL_PARSE_ERROR, ":2: expected the size line");
    size_t len = 5000;
    char *text = malloc(4 * len + 8), *p = text;
    for (int line = 0; line < 2; line++) {
        memset(p, 'a', len); p[len - 1] = (char)('x' + line); p += len;
        *p++ = ' ';
        memset(p, 'b', len); p += len;
        *p++ = '\n';
    }
    *p = '\0';
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.ids = GRL_IDS_STRING;
    assert_ok(grl_graph_load(&G, temp_file(".txt", text), &opt, msg));
    assert_int_equal(grl_graph_num_nodes(G), 3);
    char *whole = malloc(len + 1);
    assert_int_equal(grl_graph_node_id(G, 1, whole, len + 1), (int)len);
    assert_int_equal(whole[len - 1], 'y');
    free(whole);
    free(text);
    grl_graph_free(&G);
}

/* The C API given a NULL graph answers, it does not crash (issue 8). */
static void test_null_graph(void **state)
{
    char msg[GRL_MSG_LEN], id[8];
    assert_int_equal(grl_graph_num_nodes(NULL), 0);
    assert_int_equal(grl_graph_num_arcs(NULL), 0);
    assert_int_equal(grl_graph_num_edges(NULL), 0);
    assert_false(grl_graph_is_directed(NULL));
    assert_null(grl_graph_matrix(NULL));
    assert_int_equal(grl_graph_node_id(NULL, 0, id, sizeof id),
                     GRL_INVALID_ARGUMENT);
    grl_graph_info info;
    assert_int_equal(grl_graph_summary(NULL, &info, msg), GRL_INVALID_ARGUMENT);
    /* node keys: 0 for a NULL graph or an index out of range, as the header
     * says, not a read outside the id map */
    assert_int_equal(grl_graph_node_key(NULL, 0), 0);
    const int64_t src[1] = {0}, dst[1] = {1};
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, 2, src, dst, NULL, 1, false, NULL, msg));
    assert_int_equal(grl_graph_node_key(G, 1), 1);
    assert_int_equal(grl_graph_node_key(G, -1), 0);
    assert_int_equal(grl_graph_node_key(G, 2), 0);
    grl_graph_free(&G);
    grl_load_options_init(NULL); /* every options_init accepts NULL */
}

static void test_empty_files_are_empty_graphs(void **state)
{
    char msg[GRL_MSG_LEN];
    const char *texts[] = {"", "# only a comment\n\n", "%\n"};
    for (int t = 0; t < 3; t++) {
        grl_graph *G = load_graph(temp_file(".txt", texts[t]), -1);
        assert_int_equal(grl_graph_num_nodes(G), 0);
        assert_int_equal(grl_graph_num_arcs(G), 0);
        grl_graph_info s;
        assert_ok(grl_graph_summary(G, &s, msg));
        assert_int_equal(s.components, 0);
        grl_graph_free(&G);
    }
    grl_graph *G = load_graph(temp_file(".mtx", "%%MatrixMarket matrix coordinate "
                                          "pattern general\n4 4 0\n"), -1);
    assert_int_equal(grl_graph_num_nodes(G), 4); /* isolated nodes count */
    grl_graph_free(&G);
}

static void test_policies(void **state)
{
    char msg[GRL_MSG_LEN];
    const char *text = "a b 1\nb a 3\na b 2\nc c 5\nc d 1\n";
    const char *path = temp_file(".txt", text);
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.ids = GRL_IDS_STRING;
    grl_graph *G = NULL;
    double x;
    int64_t a, b, c;
    /* undirected, merge: {a,b} once with the largest weight */
    assert_ok(grl_graph_load(&G, path, &opt, msg));
    assert_int_equal(grl_graph_num_edges(G), 3);
    grl_graph_info s;
    assert_ok(grl_graph_summary(G, &s, msg));
    assert_int_equal(s.duplicates_dropped, 2);
    assert_int_equal(s.self_loops, 1);
    assert_ok(grl_graph_node_index(G, "a", &a, msg));
    assert_ok(grl_graph_node_index(G, "b", &b, msg));
    assert_ok(grl_graph_node_index(G, "c", &c, msg));
    assert_int_equal(a, 0); /* names are numbered in sorted order */
    assert_int_equal(c, 2);
    GrB_Matrix_extractElement_FP64(&x, grl_graph_matrix(G), a, b);
    assert_double_near(x, 3, 0);
    GrB_Matrix_extractElement_FP64(&x, grl_graph_matrix(G), b, a);
    assert_double_near(x, 3, 0);
    grl_graph_free(&G);
    /* sum */
    opt.duplicates = GRL_DUPLICATES_SUM;
    assert_ok(grl_graph_load(&G, path, &opt, msg));
    GrB_Matrix_extractElement_FP64(&x, grl_graph_matrix(G), a, b);
    assert_double_near(x, 6, 0);
    grl_graph_free(&G);
    /* directed, self-loops dropped */
    opt.duplicates = GRL_DUPLICATES_MERGE;
    opt.directed = 1;
    opt.self_loops = GRL_SELF_LOOPS_DROP;
    assert_ok(grl_graph_load(&G, path, &opt, msg));
    assert_ok(grl_graph_summary(G, &s, msg));
    assert_int_equal(s.arcs, 3); /* a->b, b->a, c->d */
    assert_int_equal(s.self_loops, 0);
    assert_int_equal(s.self_loops_dropped, 1);
    assert_int_equal(s.duplicates_dropped, 1);
    grl_graph_free(&G);
    /* ignore weights */
    opt.ignore_weights = true;
    assert_ok(grl_graph_load(&G, path, &opt, msg));
    assert_false(grl_graph_is_weighted(G));
    grl_graph_free(&G);
    /* non-positive weights are refused unless allowed */
    const char *neg = temp_file(".txt", "1 2 -0.5\n2 3 0\n");
    grl_load_options_init(&opt);
    assert_int_equal(grl_graph_load(&G, neg, &opt, msg), GRL_PARSE_ERROR);
    opt.allow_nonpositive_weights = true;
    assert_ok(grl_graph_load(&G, neg, &opt, msg));
    assert_int_equal(grl_graph_num_edges(G), 2);
    grl_graph_free(&G);
}

static void test_csv_and_matrix_market(void **state)
{
    char msg[GRL_MSG_LEN];
    /* CSV with a header, detected */
    grl_graph *G = load_graph(temp_file(".csv", "from,to,weight\n10,20,0.5\n20,30,2\n"),
                        1);
    assert_true(grl_graph_is_weighted(G));
    assert_int_equal(grl_graph_num_arcs(G), 2);
    int64_t i;
    assert_ok(grl_graph_node_index(G, "30", &i, msg));
    assert_int_equal(i, 2);
    grl_graph_free(&G);
    /* karate: Matrix Market (1-based, symmetric) equals the 0-based edge list */
    grl_graph *M = load_graph(data_path("karate/karate.mtx"), -1);
    grl_graph *E = load_graph(data_path("karate/edges.txt"), -1);
    assert_false(grl_graph_is_directed(M));
    assert_int_equal(grl_graph_num_nodes(M), 34);
    assert_int_equal(grl_graph_num_edges(M), 78);
    char id[16];
    grl_graph_node_id(M, 0, id, sizeof id);
    assert_string_equal(id, "1");
    GrB_Index n1, n2;
    GrB_Matrix D;
    GrB_Matrix_new(&D, GrB_FP64, 34, 34);
    GrB_Matrix_eWiseMult_BinaryOp(D, NULL, NULL, GrB_TIMES_FP64,
                                  grl_graph_matrix(M), grl_graph_matrix(E), NULL);
    GrB_Matrix_nvals(&n1, D);
    GrB_Matrix_nvals(&n2, grl_graph_matrix(E));
    assert_int_equal(n1, n2);
    assert_int_equal(n1, 156);
    GrB_Matrix_free(&D);
    /* a symmetric file read as directed has both arcs */
    grl_graph *MD = load_graph(data_path("karate/karate.mtx"), 1);
    assert_int_equal(grl_graph_num_arcs(MD), 156);
    grl_graph_free(&MD);
    grl_graph_free(&M);
    grl_graph_free(&E);
}

/* Every writer round-trips through its loader. */
static void test_save_and_reload(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.ids = GRL_IDS_STRING;
    opt.directed = 1;
    grl_graph *S = NULL;
    assert_ok(grl_graph_load(&S, temp_file(".txt", "x y 1.25\ny z 0.1\nz x 3\n"
                                                   "w w 2\n"), &opt, msg));
    grl_graph *C = load_graph(data_path("ca-grqc/CA-GrQc.txt"), -1);
    grl_graph *W = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    grl_graph *graphs[] = {S, C, W};
    const char *suffixes[] = {".grl", ".txt", ".csv"};
    for (int g = 0; g < 3; g++) {
        for (int f = 0; f < 3; f++) {
            const char *path = temp_file(suffixes[f], "");
            assert_ok(grl_graph_save(graphs[g], path, GRL_FORMAT_AUTO, msg));
            grl_load_options back;
            grl_load_options_init(&back);
            back.directed = grl_graph_is_directed(graphs[g]);
            back.ids = grl_graph_id_kind(graphs[g]);
            grl_graph *R = NULL;
            assert_ok(grl_graph_load(&R, path, &back, msg));
            assert_same_graph(graphs[g], R);
            grl_graph_free(&R);
            remove(path);
        }
    }
    /* Matrix Market keeps the structure, with ids 1..n */
    const char *path = temp_file(".mtx", "");
    assert_ok(grl_graph_save(W, path, GRL_FORMAT_AUTO, msg));
    grl_graph *R = load_graph(path, -1);
    assert_true(grl_graph_is_directed(R));
    assert_int_equal(grl_graph_num_arcs(R), 25571);
    grl_graph_free(&R);
    remove(path);
    grl_graph_free(&S);
    grl_graph_free(&C);
    grl_graph_free(&W);
}

static void test_from_matrix_checks_symmetry(void **state)
{
    char msg[GRL_MSG_LEN];
    GrB_Matrix A;
    GrB_Matrix_new(&A, GrB_FP64, 3, 3);
    GrB_Matrix_setElement_FP64(A, 1.0, 0, 1);
    grl_graph *G = NULL;
    assert_int_equal(grl_graph_from_matrix(&G, &A, false, false, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "symmetric"));
    assert_non_null(A); /* not taken on error */
    /* a weight the algorithms cannot use is refused like a loader does */
    GrB_Matrix_setElement_FP64(A, NAN, 1, 2);
    assert_int_equal(grl_graph_from_matrix(&G, &A, true, true, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "must be finite"));
    assert_null(G);
    assert_non_null(A);
    GrB_Matrix_removeElement(A, 1, 2);
    assert_ok(grl_graph_from_matrix(&G, &A, true, false, msg));
    assert_null(A);
    assert_int_equal(grl_graph_num_arcs(G), 1);
    grl_graph_free(&G);
    const int64_t s[] = {0}, d[] = {5};
    assert_int_equal(grl_graph_from_edges(&G, 3, s, d, NULL, 1, true, NULL, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "outside 0..2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ca_grqc_summary),
        cmocka_unit_test(test_email_directed_summary),
        cmocka_unit_test(test_degrees_match_brute_force),
        cmocka_unit_test(test_line_order_does_not_matter),
        cmocka_unit_test(test_threads_do_not_matter),
        cmocka_unit_test(test_declared_nodes),
        cmocka_unit_test(test_bad_input_table),
        cmocka_unit_test(test_extreme_ids),
        cmocka_unit_test(test_null_graph),
        cmocka_unit_test(test_empty_files_are_empty_graphs),
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_csv_and_matrix_market),
        cmocka_unit_test(test_save_and_reload),
        cmocka_unit_test(test_from_matrix_checks_symmetry),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    grl_finalize(NULL);
    return failed;
}
