/* test_graph_set.c — graph sets in the TU layout: a small set whose arrays
 * are counted by hand, MUTAG and PROTEINS against the figures of their
 * README / the TU collection (graphs, nodes, edges, class balance), save
 * and load round trips, independence from A's line order, and hostile
 * files each refused with the file and line named, and --labels-only's
 * column selection. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write dir/T_suffix.txt. */
static void put(const char *dir, const char *suffix, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/T_%s.txt", dir, suffix);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Two graphs: nodes 1-3 (a path 1-2-3 plus the arc 3 -> 1) and 4-5 (4 <-> 5).
 * A's lines are out of order on purpose. Edge label of line r = r % 2,
 * edge attribute = 10 r; node labels 0/1/2, one attribute, a target. */
static const char *small_A = "2, 3\n3, 1\n1, 2\n 5 , 4\n2, 1\n\n3, 2\n4, 5\n";
static const char *small_el = "0\n1\n0\n1\n0\n1\n0\n";
static const char *small_ea = "0\n10\n20\n30\n40\n50\n60\n";

static void write_small(const char *dir)
{
    put(dir, "A", small_A);
    put(dir, "graph_indicator", "1\n1\n1\n2\n2\n");
    put(dir, "graph_labels", "-1\n1\n");
    put(dir, "node_labels", "0\n2\n1\n0\n2\n");
    put(dir, "node_attributes", "0.5\n1.5\n2.5\n3.5\n4.5\n");
    put(dir, "edge_labels", small_el);
    put(dir, "edge_attributes", small_ea);
    put(dir, "node_targets", "1, -1\n2, -2\n3, -3\n4, -4\n5, -5\n");
}

static grl_graph_set *load(const char *dir, const char *name)
{
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = NULL;
    assert_ok(grl_graph_set_load(&S, dir, name, msg));
    assert_non_null(S);
    assert_int_equal(grl_graph_set_check(S, msg), 0);
    return S;
}

static void test_small_by_hand(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    write_small(dir);
    grl_graph_set *S = load(dir, "T");
    assert_int_equal(S->ngraphs, 2);
    assert_int_equal(S->nodes, 5);
    assert_int_equal(S->arcs, 7);
    const int64_t graph_ptr[] = {0, 3, 5};
    /* arcs by target: into 1 from 2 (line 5), 3 (line 2); into 2 from 1
     * (line 3), 3 (line 7); into 3 from 2 (line 1); into 4 from 5 (line 4);
     * into 5 from 4 (line 8, the 7th data row) */
    const int64_t in_ptr[] = {0, 2, 4, 5, 6, 7};
    const int64_t source[] = {1, 2, 0, 2, 1, 4, 3};
    const int64_t row_of_arc[] = {4, 1, 2, 5, 0, 3, 6}; /* data rows of A */
    assert_memory_equal(S->graph_ptr, graph_ptr, sizeof graph_ptr);
    assert_memory_equal(S->in_ptr, in_ptr, sizeof in_ptr);
    assert_memory_equal(S->arc_source, source, sizeof source);
    /* node features: 3 one-hot label columns, then the attribute */
    assert_int_equal(S->node_label_dim, 3);
    assert_int_equal(S->node_dim, 4);
    const float node_x[] = {1, 0, 0, 0.5f, 0, 0, 1, 1.5f, 0, 1, 0, 2.5f,
                            1, 0, 0, 3.5f, 0, 0, 1, 4.5f};
    assert_memory_equal(S->node_x, node_x, sizeof node_x);
    /* arc features follow their arcs: label r % 2 one-hot, then 10 r */
    assert_int_equal(S->arc_label_dim, 2);
    assert_int_equal(S->arc_dim, 3);
    for (int k = 0; k < 7; k++) {
        int64_t r = row_of_arc[k];
        assert_true(S->arc_x[3 * k + r % 2] == 1.0f);
        assert_true(S->arc_x[3 * k + 1 - r % 2] == 0.0f);
        assert_true(S->arc_x[3 * k + 2] == 10.0f * r);
    }
    assert_int_equal(S->node_target_dim, 2);
    for (int i = 0; i < 5; i++) {
        assert_true(S->node_y[2 * i] == i + 1);
        assert_true(S->node_y[2 * i + 1] == -(i + 1));
    }
    assert_int_equal(S->nclasses, 2);
    assert_int_equal(S->graph_class[0], 0); /* -1 */
    assert_int_equal(S->graph_class[1], 1);
    grl_graph_set_free(S);
}

/* The same lines of A (with their edge labels and attributes) in another
 * order give the same set. */
static void test_line_order_does_not_matter(void **state)
{
    (void)state;
    const char *d1 = temp_dir(), *d2 = temp_dir();
    write_small(d1);
    write_small(d2);
    put(d2, "A", "4, 5\n3, 2\n2, 1\n5, 4\n1, 2\n3, 1\n2, 3\n");
    put(d2, "edge_labels", "0\n1\n0\n1\n0\n1\n0\n");
    put(d2, "edge_attributes", "60\n50\n40\n30\n20\n10\n0\n");
    grl_graph_set *a = load(d1, "T"), *b = load(d2, "T");
    assert_memory_equal(a->arc_source, b->arc_source, 7 * sizeof(int64_t));
    assert_memory_equal(a->arc_x, b->arc_x, 21 * sizeof(float));
    grl_graph_set_free(a);
    grl_graph_set_free(b);
}

/* A repeated line is a parallel arc; parallel arcs keep their line order
 * (their features tell them apart). */
static void test_parallel_arcs_keep_line_order(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    write_small(dir);
    put(dir, "A", "2, 1\n3, 1\n2, 1\n");
    put(dir, "edge_labels", "0\n1\n1\n");
    put(dir, "edge_attributes", "7\n8\n9\n");
    grl_graph_set *S = load(dir, "T");
    const int64_t in_ptr[] = {0, 3, 3, 3, 3, 3}, source[] = {1, 1, 2};
    assert_memory_equal(S->in_ptr, in_ptr, sizeof in_ptr);
    assert_memory_equal(S->arc_source, source, sizeof source);
    assert_true(S->arc_x[2] == 7 && S->arc_x[5] == 9 && S->arc_x[8] == 8);
    grl_graph_set_free(S);
}


static void test_save_load_round_trip(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const char *d1 = temp_dir(), *d2 = temp_dir();
    write_small(d1);
    grl_graph_set *a = load(d1, "T");
    /* awkward floats must come back bit for bit */
    a->node_x[3] = 1.0f / 3.0f;
    a->node_y[0] = -1.17549435e-38f;
    a->arc_x[2] = 3.40282347e+38f;
    /* a stale file from an earlier set must not be read back */
    put(d2, "edge_labels", "0\n");
    assert_ok(grl_graph_set_save(a, d2, "T", msg));
    grl_graph_set *b = load(d2, "T");
    assert_graph_sets_equal(a, b);
    grl_graph_set_free(b);
    /* labels that are no longer one-hot are kept as attributes */
    a->node_x[0] = 0.5f;
    assert_ok(grl_graph_set_save(a, d2, "T", msg));
    b = load(d2, "T");
    assert_int_equal(b->node_label_dim, 0);
    assert_int_equal(b->node_dim, 4);
    assert_memory_equal(a->node_x, b->node_x, sizeof(float) * 20);
    grl_graph_set_free(b);
    /* an unused class cannot be written */
    a->nclasses = 3;
    assert_int_equal(grl_graph_set_save(a, d2, "T", msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "class 2 has no graph"));
    grl_graph_set_free(a);
}

/* Count both directions of every arc: TU's molecules are undirected. */
static int64_t arcs_without_reverse(const grl_graph_set *S)
{
    int64_t missing = 0;
    for (int64_t v = 0; v < S->nodes; v++)
        for (int64_t k = S->in_ptr[v]; k < S->in_ptr[v + 1]; k++) {
            int64_t u = S->arc_source[k], found = 0;
            for (int64_t j = S->in_ptr[u]; j < S->in_ptr[u + 1]; j++)
                found |= S->arc_source[j] == v;
            missing += !found;
        }
    return missing;
}

static void class_counts(const grl_graph_set *S, int64_t *count)
{
    for (int64_t c = 0; c < S->nclasses; c++) count[c] = 0;
    for (int64_t g = 0; g < S->ngraphs; g++) count[S->graph_class[g]]++;
}

/* MUTAG: README.txt "188 chemical compounds divided into two classes";
 * the TU collection's table: 17.93 nodes and 19.79 edges per graph on
 * average (3,371 nodes, 3,721 edges), 125 mutagenic (label 1) and 63 not
 * (-1); 7 atom types, 4 bond types. */
static void test_mutag_figures(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = load(data_path("tu/MUTAG"), "MUTAG");
    assert_int_equal(S->ngraphs, 188);
    assert_int_equal(S->nodes, 3371);
    assert_int_equal(S->arcs, 2 * 3721);
    assert_int_equal(arcs_without_reverse(S), 0);
    assert_int_equal(S->nclasses, 2);
    int64_t count[2];
    class_counts(S, count);
    assert_int_equal(count[0], 63);
    assert_int_equal(count[1], 125);
    assert_int_equal(S->node_label_dim, 7);
    assert_int_equal(S->node_dim, 7);
    assert_int_equal(S->arc_label_dim, 4);
    assert_int_equal(S->arc_dim, 4);
    /* round trip through files */
    const char *dir = temp_dir();
    assert_ok(grl_graph_set_save(S, dir, "M", msg));
    grl_graph_set *R = load(dir, "M");
    assert_graph_sets_equal(S, R);
    grl_graph_set_free(R);
    grl_graph_set_free(S);
}

/* PROTEINS: 1,113 graphs, 39.06 nodes and 72.82 edges per graph (43,471
 * nodes, 81,044 edges), 663 enzymes (label 1) and 450 not (label 2); three
 * SSE types as node labels and one node attribute. */
static void test_proteins_figures(void **state)
{
    (void)state;
    grl_graph_set *S = load(data_path("tu/PROTEINS"), "PROTEINS");
    assert_int_equal(S->ngraphs, 1113);
    assert_int_equal(S->nodes, 43471);
    assert_int_equal(S->arcs, 2 * 81044);
    assert_int_equal(arcs_without_reverse(S), 0);
    int64_t count[2];
    assert_int_equal(S->nclasses, 2);
    class_counts(S, count);
    assert_int_equal(count[0], 663);
    assert_int_equal(count[1], 450);
    assert_int_equal(S->node_label_dim, 3);
    assert_int_equal(S->node_dim, 4);
    assert_true(S->node_x[3] == 23.0f); /* the first attribute line */
    grl_graph_set_free(S);
}

/* Each case: one file replaced in the small set, the expected status and a
 * piece of the message (file and line included). */
static void test_hostile_files(void **state)
{
    (void)state;
    static const struct {
        const char *suffix, *text, *expect;
        int status;
    } cases[] = {
        {"A", "1, 2\n2\n", "T_A.txt:2: 1 field, but earlier rows have 2", GRL_PARSE_ERROR},
        {"A", "1, 2, 3\n", "T_A.txt:1: 3 fields, but this file needs 2", GRL_PARSE_ERROR},
        {"A", "1, 6\n", "T_A.txt:1: node id 6 is out of range", GRL_PARSE_ERROR},
        {"A", "0, 1\n", "T_A.txt:1: node id 0 is out of range", GRL_PARSE_ERROR},
        {"A", "1, 2\n3, 4\n", "T_A.txt:2: arc 3 -> 4 joins graph 1 to graph 2",
         GRL_PARSE_ERROR},
        {"A", "1, x\n", "T_A.txt:1: expected an integer in field 2", GRL_PARSE_ERROR},
        {"A", "1,, 2\n", "T_A.txt:1: 3 fields", GRL_PARSE_ERROR},
        {"A", "1, 99999999999999999999\n", "T_A.txt:1: expected an integer", GRL_PARSE_ERROR},
        {"A", "1, \n", "T_A.txt:1: field 2 is empty", GRL_PARSE_ERROR},
        {"graph_indicator", "1\n1\n2\n1\n2\n", "T_graph_indicator.txt:4: graph id 1 after 2",
         GRL_PARSE_ERROR},
        {"graph_indicator", "1\n1\n1\n3\n3\n", "T_graph_indicator.txt:4: graph id 3 after 1",
         GRL_PARSE_ERROR},
        {"graph_indicator", "2\n2\n2\n2\n2\n", "T_graph_indicator.txt:1: graph id 2 on the "
         "first line: ids start at 1", GRL_PARSE_ERROR},
        /* found by fuzz_graph_set: a first id 0 was taken as graph 0 */
        {"graph_indicator", "0\n1\n1\n2\n2\n", "T_graph_indicator.txt:1: graph id 0 on the "
         "first line: ids start at 1", GRL_PARSE_ERROR},
        {"graph_indicator", "\n\n", "no nodes", GRL_PARSE_ERROR},
        {"graph_labels", "1\n", "T_graph_labels.txt: 1 rows, but it needs 2 (one per graph)",
         GRL_PARSE_ERROR},
        {"graph_labels", "0\n2\n", "from 0 to 2 over 2 rows, so some are missing",
         GRL_PARSE_ERROR},
        {"node_labels", "0\n0\n2\n2\n0\n", "no row has node label 1", GRL_PARSE_ERROR},
        {"node_labels", "0\n0\n9223372036854775807\n-9223372036854775807\n0\n",
         "some are missing", GRL_PARSE_ERROR},
        {"node_attributes", "1\n2\nnan\n4\n5\n", "T_node_attributes.txt:3: field 1 is 'nan'",
         GRL_PARSE_ERROR},
        {"node_attributes", "1\n2\n1e39\n4\n5\n", "not a finite number that fits float32",
         GRL_PARSE_ERROR},
        {"node_attributes", "1, 2\n2, 3\n3\n4, 5\n5, 6\n",
         "T_node_attributes.txt:3: 1 field, but earlier rows have 2", GRL_PARSE_ERROR},
        {"node_targets", "1\n2\n3\n4\n5\n6\n", "6 rows, but it needs 5 (one per node)",
         GRL_PARSE_ERROR},
        {"edge_attributes", "1\n", "1 rows, but it needs 7 (one per line of A.txt)", GRL_PARSE_ERROR},
        {"edge_attributes", "0\n1\n2\n3\n4\n5\n6abc\n", "T_edge_attributes.txt:7: expected a number",
         GRL_PARSE_ERROR},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *dir = temp_dir();
        write_small(dir);
        put(dir, cases[c].suffix, cases[c].text);
        char msg[GRL_MSG_LEN] = "stale";
        grl_graph_set *S = (grl_graph_set *)&msg; /* must be set to NULL */
        int rc = grl_graph_set_load(&S, dir, "T", msg);
        if (rc != cases[c].status || S != NULL || strstr(msg, cases[c].expect) == NULL)
            fail_msg("case %zu (%s): status %d, message '%s', expected %d and '%s'", c,
                     cases[c].suffix, rc, msg, cases[c].status, cases[c].expect);
    }
    /* a missing required file, and NULL arguments */
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = NULL;
    assert_int_equal(grl_graph_set_load(&S, temp_dir(), "T", msg), GRL_IO_ERROR);
    assert_non_null(strstr(msg, "T_graph_indicator.txt"));
    assert_int_equal(grl_graph_set_load(NULL, "x", "T", msg), GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_graph_set_save(NULL, "x", "T", msg), GRL_INVALID_ARGUMENT);
    grl_graph_set_free(NULL);
}

/* grl_graph_set_check refuses the broken records a caller could build. */
static void test_check_refuses_broken_sets(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const char *dir = temp_dir();
    write_small(dir);
    grl_graph_set *S = load(dir, "T");
    S->arc_source[0] = 4; /* node 4 is in the other graph */
    assert_int_equal(grl_graph_set_check(S, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "outside that graph"));
    S->arc_source[0] = 2; /* 2 then 2: parallel arcs are allowed */
    assert_int_equal(grl_graph_set_check(S, msg), 0);
    S->arc_source[1] = 1; /* 2 then 1 */
    assert_int_equal(grl_graph_set_check(S, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "not ascending"));
    S->arc_source[1] = 2;
    S->arc_source[0] = 1;
    S->node_y[3] = NAN;
    assert_int_equal(grl_graph_set_check(S, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "node target value 3 (row 1) is not finite"));
    S->node_y[3] = 0;
    S->graph_class[1] = 2;
    assert_int_equal(grl_graph_set_check(S, msg), GRL_INVALID_ARGUMENT);
    S->graph_class[1] = 1;
    S->in_ptr[5] = 8;
    assert_int_equal(grl_graph_set_check(S, msg), GRL_INVALID_ARGUMENT);
    S->in_ptr[5] = 7;
    assert_int_equal(grl_graph_set_check(S, msg), 0);
    grl_graph_set_free(S);
}

/* Stratified folds: per fold and class, the test and validation parts hold
 * floor or ceil of the class's share; every graph is tested exactly once and
 * validates exactly once; roles in a fold are disjoint by construction
 * (one byte per graph) and cover all graphs; the seed alone decides. */
static void check_folds(const grl_graph_set *S, int64_t k, uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    grl_graph_folds_options opt;
    grl_graph_folds_options_init(&opt);
    assert_int_equal(opt.folds, 10);
    opt.folds = k;
    opt.seed = seed;
    grl_graph_folds *F = NULL, *G = NULL;
    assert_ok(grl_graph_folds_generate(&F, S, &opt, msg));
    assert_int_equal(F->nfolds, k);
    assert_int_equal(F->ngraphs, S->ngraphs);
    int64_t n = S->ngraphs, ncls = S->nclasses > 0 ? S->nclasses : 1;
    int64_t *tested = calloc((size_t)n, sizeof(int64_t));
    int64_t *validated = calloc((size_t)n, sizeof(int64_t));
    int64_t *cls_total = calloc((size_t)ncls, sizeof(int64_t));
    int64_t *cls_test = calloc((size_t)ncls, sizeof(int64_t));
    int64_t *cls_val = calloc((size_t)ncls, sizeof(int64_t));
    for (int64_t g = 0; g < n; g++) cls_total[S->nclasses ? S->graph_class[g] : 0]++;
    for (int64_t f = 0; f < k; f++) {
        memset(cls_test, 0, sizeof(int64_t) * ncls);
        memset(cls_val, 0, sizeof(int64_t) * ncls);
        int64_t train = 0;
        for (int64_t g = 0; g < n; g++) {
            uint8_t r = F->role[f * n + g];
            int64_t c = S->nclasses ? S->graph_class[g] : 0;
            assert_true(r == GRL_SPLIT_TRAIN || r == GRL_SPLIT_VAL || r == GRL_SPLIT_TEST);
            tested[g] += r == GRL_SPLIT_TEST;
            validated[g] += r == GRL_SPLIT_VAL;
            cls_test[c] += r == GRL_SPLIT_TEST;
            cls_val[c] += r == GRL_SPLIT_VAL;
            train += r == GRL_SPLIT_TRAIN;
        }
        assert_true(train > 0);
        for (int64_t c = 0; c < ncls; c++) {
            int64_t lo = cls_total[c] / k, hi = (cls_total[c] + k - 1) / k;
            assert_in_range(cls_test[c], lo, hi);
            assert_in_range(cls_val[c], lo, hi);
        }
    }
    for (int64_t g = 0; g < n; g++) {
        assert_int_equal(tested[g], 1);
        assert_int_equal(validated[g], 1);
    }
    assert_ok(grl_graph_folds_generate(&G, S, &opt, msg));
    assert_memory_equal(F->role, G->role, (size_t)(n * k));
    grl_graph_folds_free(&G);
    opt.seed = seed + 1;
    assert_ok(grl_graph_folds_generate(&G, S, &opt, msg));
    assert_memory_not_equal(F->role, G->role, (size_t)(n * k));
    grl_graph_folds_free(&G);
    grl_graph_folds_free(&F);
    assert_null(F);
    free(tested);
    free(validated);
    free(cls_total);
    free(cls_test);
    free(cls_val);
}

static void test_folds_stratified_and_disjoint(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *M = load(data_path("tu/MUTAG"), "MUTAG");
    grl_graph_set *P = load(data_path("tu/PROTEINS"), "PROTEINS");
    check_folds(M, 10, 1);
    check_folds(M, 3, 7);
    check_folds(P, 10, 42);
    /* without classes: one class */
    int64_t nclasses = M->nclasses;
    M->nclasses = 0;
    check_folds(M, 10, 3);
    M->nclasses = nclasses;
    grl_graph_folds_options opt;
    grl_graph_folds_options_init(&opt);
    grl_graph_folds *F = NULL;
    opt.folds = 2;
    assert_int_equal(grl_graph_folds_generate(&F, M, &opt, msg), GRL_INVALID_ARGUMENT);
    opt.folds = 189;
    assert_int_equal(grl_graph_folds_generate(&F, M, &opt, msg), GRL_INVALID_ARGUMENT);
    assert_null(F);
    grl_graph_set_free(M);
    grl_graph_set_free(P);
}

/* Screening folds: in fold f the graphs of part f (those fold f tests)
 * are left out, part f + 1 validates, part f + 2 is scored, the rest
 * trains; so every graph is left out once and scored once. */
static void test_screening_folds(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *M = load(data_path("tu/MUTAG"), "MUTAG");
    grl_graph_folds_options opt = {10, 4};
    grl_graph_folds *F = NULL, *G = NULL;
    assert_ok(grl_graph_folds_generate(&F, M, &opt, msg));
    assert_ok(grl_graph_folds_generate(&G, M, &opt, msg));
    assert_ok(grl_graph_folds_screen(G, msg));
    const int64_t n = M->ngraphs, k = 10;
    for (int64_t g = 0; g < n; g++) {
        int64_t part = -1, out = 0, scored = 0;
        for (int64_t f = 0; f < k; f++)
            if (F->role[f * n + g] == GRL_SPLIT_TEST) part = f;
        for (int64_t f = 0; f < k; f++) {
            uint8_t want = part == f                 ? GRL_SPLIT_NONE
                           : part == (f + 1) % k     ? GRL_SPLIT_VAL
                           : part == (f + 2) % k     ? GRL_SPLIT_TEST
                                                     : GRL_SPLIT_TRAIN;
            assert_int_equal(G->role[f * n + g], want);
            out += G->role[f * n + g] == GRL_SPLIT_NONE;
            scored += G->role[f * n + g] == GRL_SPLIT_TEST;
        }
        assert_int_equal(out, 1);
        assert_int_equal(scored, 1);
    }
    grl_graph_folds_free(&G);
    opt.folds = 3;
    assert_ok(grl_graph_folds_generate(&G, M, &opt, msg));
    assert_int_equal(grl_graph_folds_screen(G, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "at least 4"));
    assert_int_equal(grl_graph_folds_screen(NULL, msg), GRL_INVALID_ARGUMENT);
    grl_graph_folds_free(&G);
    grl_graph_folds_free(&F);
    grl_graph_set_free(M);
}

/* --labels-only: PROTEINS keeps its 3 one-hot SSE columns of every row and
 * drops the attribute; MUTAG (labels only already) is unchanged. */
static void test_keep_node_labels(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *P = load(data_path("tu/PROTEINS"), "PROTEINS");
    const int64_t n = P->nodes, d = P->node_dim, k = P->node_label_dim;
    assert_true(k == 3 && d == 4);
    float *want = malloc(sizeof(float) * (size_t)(n * k));
    assert_non_null(want);
    for (int64_t i = 0; i < n; i++)
        for (int64_t c = 0; c < k; c++) want[i * k + c] = P->node_x[i * d + c];
    assert_int_equal(grl_graph_set_keep_node_labels(P, msg), 0);
    assert_int_equal(P->node_dim, 3);
    assert_memory_equal(P->node_x, want, sizeof(float) * (size_t)(n * k));
    assert_int_equal(grl_graph_set_check(P, msg), 0);
    free(want);
    grl_graph_set *M = load(data_path("tu/MUTAG"), "MUTAG");
    grl_graph_set *M2 = load(data_path("tu/MUTAG"), "MUTAG");
    assert_int_equal(grl_graph_set_keep_node_labels(M, msg), 0);
    assert_int_equal(M->node_dim, M2->node_dim);
    assert_memory_equal(M->node_x, M2->node_x, sizeof(float) * (size_t)(M->nodes * M->node_dim));
    /* hostile: NULL, a label width past the features */
    assert_int_equal(grl_graph_set_keep_node_labels(NULL, msg), GRL_INVALID_ARGUMENT);
    M->node_label_dim = M->node_dim + 1;
    assert_int_equal(grl_graph_set_keep_node_labels(M, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "node label width"));
    grl_graph_set_free(M);
    grl_graph_set_free(M2);
    grl_graph_set_free(P);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_by_hand),
        cmocka_unit_test(test_line_order_does_not_matter),
        cmocka_unit_test(test_parallel_arcs_keep_line_order),
        cmocka_unit_test(test_save_load_round_trip),
        cmocka_unit_test(test_mutag_figures),
        cmocka_unit_test(test_proteins_figures),
        cmocka_unit_test(test_hostile_files),
        cmocka_unit_test(test_check_refuses_broken_sets),
        cmocka_unit_test(test_folds_stratified_and_disjoint),
        cmocka_unit_test(test_screening_folds),
        cmocka_unit_test(test_keep_node_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
