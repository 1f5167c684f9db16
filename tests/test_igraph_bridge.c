/* test_igraph_bridge.c — the igraph bridge, igraph's error handling inside
 * grl, GraphML/GML/Pajek, components and the generators. */
#include "testutil.h"

#include <grl/igraph_bridge.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------- */

/* Same pattern and values within tol (relative to the larger magnitude). */
static bool matrices_equal(GrB_Matrix A, GrB_Matrix B, double tol)
{
    GrB_Index na, nb, nra, nrb, nm;
    GrB_Matrix_nrows(&nra, A);
    GrB_Matrix_nrows(&nrb, B);
    GrB_Matrix_nvals(&na, A);
    GrB_Matrix_nvals(&nb, B);
    if (nra != nrb || na != nb) return false;
    GrB_Index *ia = malloc(sizeof(GrB_Index) * (na + 1));
    GrB_Index *ja = malloc(sizeof(GrB_Index) * (na + 1));
    double *xa = malloc(sizeof(double) * (na + 1));
    GrB_Matrix M = NULL;
    GrB_Matrix_new(&M, GrB_FP64, nra, nra);
    /* M = B on the pattern of A: same count iff same pattern */
    GrB_Matrix_eWiseMult_BinaryOp(M, NULL, NULL, GrB_SECOND_FP64, A, B, NULL);
    GrB_Matrix_nvals(&nm, M);
    bool same = nm == na;
    GrB_Matrix_extractTuples_FP64(ia, ja, xa, &na, A);
    for (GrB_Index k = 0; same && k < na; k++) {
        double y;
        GrB_Matrix_extractElement_FP64(&y, M, ia[k], ja[k]);
        double scale = fmax(1.0, fmax(fabs(xa[k]), fabs(y)));
        same = fabs(xa[k] - y) <= tol * scale;
    }
    GrB_Matrix_free(&M);
    free(ia); free(ja); free(xa);
    return same;
}

static void assert_same_ids(const grl_graph *A, const grl_graph *B)
{
    assert_int_equal(grl_graph_num_nodes(A), grl_graph_num_nodes(B));
    assert_int_equal(grl_graph_id_kind(A), grl_graph_id_kind(B));
    for (int64_t i = 0; i < grl_graph_num_nodes(A); i++) {
        char a[128], b[128];
        assert_true(grl_graph_node_id(A, i, a, sizeof a) >= 0);
        assert_true(grl_graph_node_id(B, i, b, sizeof b) >= 0);
        assert_string_equal(a, b);
    }
}

static void assert_node_id(const grl_graph *G, int64_t i, const char *id)
{
    char buf[128];
    assert_true(grl_graph_node_id(G, i, buf, sizeof buf) >= 0);
    assert_string_equal(buf, id);
}

static double weight_of(const grl_graph *G, int64_t i, int64_t j)
{
    double x = NAN;
    GrB_Info info = GrB_Matrix_extractElement_FP64(&x, grl_graph_matrix(G),
                                                   (GrB_Index)i, (GrB_Index)j);
    return info == GrB_SUCCESS ? x : NAN;
}

static int64_t count_self_loops(const grl_graph *G)
{
    int64_t n = grl_graph_num_nodes(G), loops = 0;
    for (int64_t i = 0; i < n; i++) loops += !isnan(weight_of(G, i, i));
    return loops;
}

/* igraph oracle (grl's own components are a union-find): weakly connected
 * components, relabelled in order of their smallest node. */
static int64_t igraph_components_oracle(const grl_graph *G, int64_t *comp)
{
    char msg[GRL_MSG_LEN];
    igraph_t ig;
    igraph_vector_int_t membership;
    igraph_integer_t no = 0;
    assert_ok(grl_graph_to_igraph(G, &ig, NULL, msg));
    igraph_vector_int_init(&membership, 0);
    assert_int_equal(igraph_connected_components(&ig, &membership, NULL, &no,
                                                 IGRAPH_WEAK), IGRAPH_SUCCESS);
    int64_t n = grl_graph_num_nodes(G), count = 0;
    int64_t *label = malloc(sizeof(int64_t) * (no + 1));
    for (int64_t c = 0; c < (int64_t)no; c++) label[c] = -1;
    for (int64_t i = 0; i < n; i++) {
        int64_t c = VECTOR(membership)[i];
        if (label[c] < 0) label[c] = count++;
        comp[i] = label[c];
    }
    free(label);
    igraph_vector_int_destroy(&membership);
    igraph_destroy(&ig);
    return count;
}

/* A string-id, weighted, undirected graph with a self-loop and an isolated
 * pair, loaded from an edge list. */
static grl_graph *string_id_graph(char *msg)
{
    const char *path = temp_file(".txt",
                                 "# names with punctuation\n"
                                 "alice bob 0.5\n"
                                 "bob carol 2.25\n"
                                 "carol alice 1.1\n"
                                 "dave-x eve_y 3\n"
                                 "eve_y eve_y 7\n"
                                 "zed alice 0.125\n");
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.ids = GRL_IDS_STRING;
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, path, &opt, msg));
    unlink(path);
    assert_int_equal(grl_graph_id_kind(G), GRL_IDS_STRING);
    assert_int_equal(grl_graph_num_nodes(G), 6);
    return G;
}

/* ---- bridge ------------------------------------------------------------ */

static void test_roundtrip_undirected_weighted(void **state)
{
    char msg[GRL_MSG_LEN];
    int64_t src[] = {0, 1, 2, 3, 4, 0, 5};
    int64_t dst[] = {1, 2, 0, 3, 2, 4, 1};
    double w[] = {1.5, 2.0, 0.25, 4.0, 8.0, 3.0, 0.5};
    grl_graph *G = NULL, *H = NULL;
    assert_ok(grl_graph_from_edges(&G, 7, src, dst, w, 7, false, NULL, msg));
    igraph_t ig;
    igraph_vector_t weights;
    igraph_vector_init(&weights, 0);
    assert_ok(grl_graph_to_igraph(G, &ig, &weights, msg));
    assert_int_equal(igraph_vcount(&ig), 7);
    assert_false(igraph_is_directed(&ig));
    /* each undirected edge once, the self-loop included */
    assert_int_equal(igraph_ecount(&ig), 7);
    assert_int_equal(igraph_ecount(&ig), grl_graph_num_edges(G));
    assert_int_equal(igraph_vector_size(&weights), 7);
    for (igraph_integer_t e = 0; e < igraph_ecount(&ig); e++) {
        double x = weight_of(G, IGRAPH_FROM(&ig, e), IGRAPH_TO(&ig, e));
        assert_double_near(VECTOR(weights)[e], x, 0);
    }
    assert_ok(grl_graph_from_igraph(&H, &ig, &weights, NULL, msg));
    assert_false(grl_graph_is_directed(H));
    assert_true(grl_graph_is_weighted(H));
    assert_true(grl_graph_ids_are_indices(H));
    assert_int_equal(grl_graph_num_arcs(H), grl_graph_num_arcs(G));
    assert_true(matrices_equal(grl_graph_matrix(G), grl_graph_matrix(H), 0));
    grl_graph_free(&H);
    /* without weights: a pattern graph with the same arcs */
    assert_ok(grl_graph_from_igraph(&H, &ig, NULL, NULL, msg));
    assert_false(grl_graph_is_weighted(H));
    assert_int_equal(grl_graph_num_arcs(H), grl_graph_num_arcs(G));
    assert_double_near(weight_of(H, 4, 2), 1.0, 0);
    grl_graph_free(&H);
    igraph_destroy(&ig);
    igraph_vector_destroy(&weights);
    grl_graph_free(&G);
}

static void test_roundtrip_directed_weighted(void **state)
{
    char msg[GRL_MSG_LEN];
    /* reciprocal arcs with different weights, a self-loop, an isolated node */
    int64_t src[] = {0, 1, 1, 2, 3, 3};
    int64_t dst[] = {1, 0, 2, 2, 0, 1};
    double w[] = {1.0, 9.0, 2.5, 0.75, 3.0, 6.0};
    grl_graph *G = NULL, *H = NULL;
    assert_ok(grl_graph_from_edges(&G, 5, src, dst, w, 6, true, NULL, msg));
    igraph_t ig;
    igraph_vector_t weights;
    igraph_vector_init(&weights, 0);
    assert_ok(grl_graph_to_igraph(G, &ig, &weights, msg));
    assert_true(igraph_is_directed(&ig));
    assert_int_equal(igraph_vcount(&ig), 5);
    assert_int_equal(igraph_ecount(&ig), 6);
    for (igraph_integer_t e = 0; e < igraph_ecount(&ig); e++)
        assert_double_near(VECTOR(weights)[e],
                           weight_of(G, IGRAPH_FROM(&ig, e), IGRAPH_TO(&ig, e)),
                           0);
    assert_ok(grl_graph_from_igraph(&H, &ig, &weights, NULL, msg));
    assert_true(grl_graph_is_directed(H));
    assert_int_equal(grl_graph_num_nodes(H), 5);
    assert_true(matrices_equal(grl_graph_matrix(G), grl_graph_matrix(H), 0));
    grl_graph_free(&H);
    /* forced undirected: each arc becomes an edge, the larger weight kept */
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.directed = 0;
    assert_ok(grl_graph_from_igraph(&H, &ig, &weights, &opt, msg));
    assert_false(grl_graph_is_directed(H));
    assert_double_near(weight_of(H, 0, 1), 9.0, 0);
    assert_double_near(weight_of(H, 1, 0), 9.0, 0);
    assert_double_near(weight_of(H, 0, 3), 3.0, 0);
    assert_int_equal(grl_graph_num_edges(H), 5);
    grl_graph_free(&H);
    igraph_destroy(&ig);
    igraph_vector_destroy(&weights);
    grl_graph_free(&G);
}

static void test_from_igraph_policies_and_errors(void **state)
{
    char msg[GRL_MSG_LEN];
    igraph_t ig;
    igraph_vector_t weights;
    /* undirected multigraph: 0-1 twice, 1-2, 2-2 */
    igraph_small(&ig, 3, IGRAPH_UNDIRECTED, 0, 1, 1, 0, 1, 2, 2, 2, -1);
    igraph_vector_init(&weights, 4);
    VECTOR(weights)[0] = 2.0;
    VECTOR(weights)[1] = 5.0;
    VECTOR(weights)[2] = 1.0;
    VECTOR(weights)[3] = 4.0;
    grl_graph *H = NULL;
    grl_load_options opt;
    grl_load_options_init(&opt);
    assert_ok(grl_graph_from_igraph(&H, &ig, &weights, &opt, msg));
    assert_double_near(weight_of(H, 0, 1), 5.0, 0); /* merge keeps the max */
    assert_double_near(weight_of(H, 1, 0), 5.0, 0);
    assert_int_equal(grl_graph_num_arcs(H), 5);
    grl_graph_free(&H);
    opt.duplicates = GRL_DUPLICATES_SUM;
    assert_ok(grl_graph_from_igraph(&H, &ig, &weights, &opt, msg));
    assert_double_near(weight_of(H, 0, 1), 7.0, 0);
    grl_graph_free(&H);
    /* an undirected igraph graph read as directed: both arcs, one per loop */
    grl_load_options_init(&opt);
    opt.directed = 1;
    assert_ok(grl_graph_from_igraph(&H, &ig, NULL, &opt, msg));
    assert_true(grl_graph_is_directed(H));
    assert_int_equal(grl_graph_num_arcs(H), 5);
    assert_false(isnan(weight_of(H, 2, 1)));
    assert_false(isnan(weight_of(H, 1, 2)));
    grl_graph_free(&H);
    /* self-loops dropped on request */
    grl_load_options_init(&opt);
    opt.self_loops = GRL_SELF_LOOPS_DROP;
    assert_ok(grl_graph_from_igraph(&H, &ig, NULL, &opt, msg));
    assert_int_equal(count_self_loops(H), 0);
    assert_int_equal(grl_graph_num_arcs(H), 4);
    grl_graph_free(&H);
    /* bad weights are refused with a message, and no graph is returned */
    VECTOR(weights)[2] = -1.0;
    H = (grl_graph *)&ig; /* any non-NULL value: must come back NULL */
    int rc = grl_graph_from_igraph(&H, &ig, &weights, NULL, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
    assert_null(H);
    assert_non_null(strstr(msg, "weight"));
    grl_load_options_init(&opt);
    opt.allow_nonpositive_weights = true;
    assert_ok(grl_graph_from_igraph(&H, &ig, &weights, &opt, msg));
    assert_double_near(weight_of(H, 2, 1), -1.0, 0);
    grl_graph_free(&H);
    VECTOR(weights)[2] = NAN;
    rc = grl_graph_from_igraph(&H, &ig, &weights, &opt, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
    igraph_vector_resize(&weights, 3);
    rc = grl_graph_from_igraph(&H, &ig, &weights, NULL, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "3 weights"));
    assert_null(H);
    igraph_vector_destroy(&weights);
    igraph_destroy(&ig);
}

/* ---- igraph errors ----------------------------------------------------- */

static void expect_load_error(const char *path, const char *ext_hint)
{
    char msg[GRL_MSG_LEN] = "";
    grl_graph *G = NULL;
    int rc = grl_graph_load(&G, path, NULL, msg);
    if (rc != GRL_PARSE_ERROR)
        fail_msg("%s (%s): expected GRL_PARSE_ERROR, got %d: %s", path,
                 ext_hint, rc, msg);
    assert_null(G);
    assert_non_null(strstr(msg, path));  /* names the file */
    assert_non_null(strstr(msg, "igraph"));
    assert_true(strlen(msg) > strlen(path) + 10);
}

static void test_igraph_errors_become_statuses(void **state)
{
    char msg[GRL_MSG_LEN];
    /* edge to an unknown node, a syntax error, a truncated file */
    const char *gml_bad_target = temp_file(".gml",
        "graph [ directed 0 node [ id 0 ] node [ id 1 ] "
        "edge [ source 0 target 5 ] ]\n");
    const char *gml_syntax = temp_file(".gml", "graph [ node [ id 0 \n");
    const char *graphml_bad = temp_file(".graphml",
        "<?xml version=\"1.0\"?>\n<graphml xmlns=\"http://graphml.graphdrawing"
        ".org/xmlns\"><graph edgedefault=\"undirected\"><node id=\"a\"/>"
        "<edge source=\"a\" target=\"b\"></graph></graphml>\n");
    const char *pajek_bad = temp_file(".net",
                                      "*Vertices 2\n*Edges\n1 7\n");
    expect_load_error(gml_bad_target, "GML unknown target");
    expect_load_error(gml_syntax, "GML syntax");
    expect_load_error(graphml_bad, "GraphML");
    expect_load_error(pajek_bad, "Pajek");
    unlink(gml_bad_target);
    unlink(gml_syntax);
    unlink(graphml_bad);
    unlink(pajek_bad);

    /* a bad weight inside a valid file */
    const char *gml_weight = temp_file(".gml",
        "graph [ node [ id 0 ] node [ id 1 ] "
        "edge [ source 0 target 1 weight -2 ] ]\n");
    grl_graph *G = NULL;
    int rc = grl_graph_load(&G, gml_weight, NULL, msg);
    assert_int_equal(rc, GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "weight"));
    assert_null(G);
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.ignore_weights = true;
    assert_ok(grl_graph_load(&G, gml_weight, &opt, msg));
    assert_false(grl_graph_is_weighted(G));
    grl_graph_free(&G);
    unlink(gml_weight);

    /* missing file and directory: I/O errors naming the path */
    rc = grl_graph_load(&G, "/nonexistent/dir/g.graphml", NULL, msg);
    assert_int_equal(rc, GRL_IO_ERROR);
    assert_non_null(strstr(msg, "/nonexistent/dir/g.graphml"));
    grl_load_options_init(&opt);
    opt.format = GRL_FORMAT_GML;
    rc = grl_graph_load(&G, "/tmp", &opt, msg);
    assert_int_equal(rc, GRL_IO_ERROR);
    assert_non_null(strstr(msg, "directory"));
    assert_null(G);
    /* saving into a missing directory */
    int64_t s[] = {0}, d[] = {1};
    grl_graph *H = NULL;
    assert_ok(grl_graph_from_edges(&H, 2, s, d, NULL, 1, false, NULL, msg));
    rc = grl_graph_save(H, "/nonexistent/dir/out.gml", GRL_FORMAT_AUTO, msg);
    assert_int_equal(rc, GRL_IO_ERROR);
    assert_non_null(strstr(msg, "/nonexistent/dir/out.gml"));

    /* even if the application put igraph's aborting handler back, an
     * igraph error inside grl is still a status */
    igraph_set_error_handler(igraph_error_handler_abort);
    const char *gml_again = temp_file(".gml", "graph [ node [ id 0 ] "
                                      "edge [ source 0 target 9 ] ]\n");
    expect_load_error(gml_again, "GML after the abort handler");
    unlink(gml_again);

    /* grl's handler is installed: an invalid igraph call returns an error
     * instead of aborting the process, and grl keeps working afterwards */
    igraph_t ig;
    igraph_vector_int_t edges;
    igraph_vector_int_init(&edges, 2);
    VECTOR(edges)[0] = 0;
    VECTOR(edges)[1] = -3;
    assert_true(igraph_create(&ig, &edges, 2, IGRAPH_UNDIRECTED) !=
                IGRAPH_SUCCESS);
    igraph_vector_int_destroy(&edges);
    assert_ok(grl_graph_to_igraph(H, &ig, NULL, msg));
    assert_int_equal(igraph_ecount(&ig), 1);
    igraph_destroy(&ig);
    grl_graph_free(&H);
}

/* ---- GraphML, GML, Pajek ------------------------------------------------ */

static const char *const formats[] = {".graphml", ".gml", ".net"};

static void test_formats_roundtrip_string_ids(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = string_id_graph(msg);
    for (int f = 0; f < 3; f++) {
        const char *path = temp_file(formats[f], "");
        assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
        for (int as_strings = 0; as_strings < 2; as_strings++) {
            grl_load_options opt;
            grl_load_options_init(&opt);
            if (as_strings) opt.ids = GRL_IDS_STRING;
            grl_graph *H = NULL;
            assert_ok(grl_graph_load(&H, path, &opt, msg));
            assert_int_equal(grl_graph_num_nodes(H), 6);
            assert_int_equal(grl_graph_num_arcs(H), grl_graph_num_arcs(G));
            assert_false(grl_graph_is_directed(H));
            assert_true(grl_graph_is_weighted(H));
            assert_same_ids(G, H);
            assert_true(matrices_equal(grl_graph_matrix(G),
                                       grl_graph_matrix(H), 1e-14));
            int64_t idx;
            assert_ok(grl_graph_node_index(H, "eve_y", &idx, msg));
            assert_double_near(weight_of(H, idx, idx), 7.0, 0);
            grl_graph_free(&H);
        }
        unlink(path);
    }
    grl_graph_free(&G);
}

static void test_formats_roundtrip_integer_ids_directed(void **state)
{
    char msg[GRL_MSG_LEN];
    /* sparse, negative and > 2^32 ids; weights that need 15+ digits */
    const char *list = temp_file(".txt",
                                 "10 -5 0.3333333333333333\n"
                                 "-5 10 2\n"
                                 "3000000000 10 1e-3\n"
                                 "7 7 5\n"
                                 "7 3000000000 123456.789\n");
    grl_load_options opt;
    grl_graph *G = load_graph(list, 1);
    unlink(list);
    assert_int_equal(grl_graph_num_nodes(G), 4);
    assert_node_id(G, 0, "-5");
    assert_node_id(G, 3, "3000000000");
    for (int f = 0; f < 3; f++) {
        const char *path = temp_file(formats[f], "");
        assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
        grl_graph *H = NULL;
        assert_ok(grl_graph_load(&H, path, NULL, msg));
        assert_true(grl_graph_is_directed(H));
        assert_true(grl_graph_is_weighted(H));
        assert_int_equal(grl_graph_id_kind(H), GRL_IDS_INTEGER);
        assert_same_ids(G, H);
        assert_int_equal(grl_graph_num_arcs(H), 5);
        assert_true(matrices_equal(grl_graph_matrix(G), grl_graph_matrix(H),
                                   1e-14));
        grl_graph_free(&H);
        /* ids as strings on request */
        grl_load_options_init(&opt);
        opt.ids = GRL_IDS_STRING;
        assert_ok(grl_graph_load(&H, path, &opt, msg));
        assert_int_equal(grl_graph_id_kind(H), GRL_IDS_STRING);
        assert_node_id(H, 0, "-5"); /* strcmp order: "-5" "10" "3000..." "7" */
        assert_node_id(H, 1, "10");
        assert_node_id(H, 3, "7");
        int64_t i7, i10;
        assert_ok(grl_graph_node_index(H, "7", &i7, msg));
        assert_ok(grl_graph_node_index(H, "10", &i10, msg));
        assert_double_near(weight_of(H, i7, i7), 5.0, 0);
        assert_true(isnan(weight_of(H, i7, i10)));
        grl_graph_free(&H);
        /* forced undirected */
        H = load_graph(path, 0);
        assert_false(grl_graph_is_directed(H));
        assert_int_equal(grl_graph_num_edges(H), 4); /* 10--5 merged */
        grl_graph_free(&H);
        unlink(path);
    }
    grl_graph_free(&G);
}

static void test_formats_roundtrip_unweighted_karate(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, data_path("karate/edges.txt"), NULL, msg));
    assert_int_equal(grl_graph_num_nodes(G), 34);
    assert_int_equal(grl_graph_num_edges(G), 78);
    assert_true(grl_graph_ids_are_indices(G));
    for (int f = 0; f < 3; f++) {
        const char *path = temp_file(formats[f], "");
        assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
        grl_graph *H = NULL;
        assert_ok(grl_graph_load(&H, path, NULL, msg));
        assert_false(grl_graph_is_weighted(H));
        assert_false(grl_graph_is_directed(H));
        assert_true(grl_graph_ids_are_indices(H));
        assert_int_equal(grl_graph_num_edges(H), 78);
        assert_true(matrices_equal(grl_graph_matrix(G), grl_graph_matrix(H),
                                   0));
        grl_graph_free(&H);
        unlink(path);
    }
    grl_graph_free(&G);
}

static void test_load_handwritten_files(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    /* GraphML: XML node ids become string ids in sorted order */
    const char *graphml = temp_file(".graphml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
        "  <key id=\"w\" for=\"edge\" attr.name=\"weight\" "
        "attr.type=\"double\"/>\n"
        "  <graph id=\"G\" edgedefault=\"directed\">\n"
        "    <node id=\"cat\"/><node id=\"ant\"/><node id=\"bee\"/>"
        "<node id=\"dog\"/>\n"
        "    <edge source=\"cat\" target=\"ant\"><data key=\"w\">2.5</data>"
        "</edge>\n"
        "    <edge source=\"ant\" target=\"bee\"><data key=\"w\">0.5</data>"
        "</edge>\n"
        "  </graph>\n</graphml>\n");
    assert_ok(grl_graph_load(&G, graphml, NULL, msg));
    assert_true(grl_graph_is_directed(G));
    assert_true(grl_graph_is_weighted(G));
    assert_int_equal(grl_graph_id_kind(G), GRL_IDS_STRING);
    assert_int_equal(grl_graph_num_nodes(G), 4);
    assert_node_id(G, 0, "ant");
    assert_node_id(G, 1, "bee");
    assert_node_id(G, 2, "cat");
    assert_node_id(G, 3, "dog");
    assert_double_near(weight_of(G, 2, 0), 2.5, 0); /* cat -> ant */
    assert_double_near(weight_of(G, 0, 1), 0.5, 0); /* ant -> bee */
    assert_true(isnan(weight_of(G, 0, 2)));
    grl_graph_free(&G);
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.directed = 0;
    opt.ignore_weights = true;
    assert_ok(grl_graph_load(&G, graphml, &opt, msg));
    assert_false(grl_graph_is_directed(G));
    assert_false(grl_graph_is_weighted(G));
    assert_int_equal(grl_graph_num_arcs(G), 4);
    assert_double_near(weight_of(G, 0, 2), 1.0, 0);
    grl_graph_free(&G);
    unlink(graphml);

    /* GML: numeric node ids, ascending */
    const char *gml = temp_file(".gml",
        "graph [\n directed 1\n"
        " node [ id 30 label \"thirty\" ]\n node [ id 10 ]\n"
        " node [ id 20 ]\n"
        " edge [ source 30 target 10 ]\n edge [ source 10 target 20 ]\n"
        "]\n");
    assert_ok(grl_graph_load(&G, gml, NULL, msg));
    assert_true(grl_graph_is_directed(G));
    assert_false(grl_graph_is_weighted(G));
    assert_int_equal(grl_graph_id_kind(G), GRL_IDS_INTEGER);
    assert_false(grl_graph_ids_are_indices(G));
    assert_node_id(G, 0, "10");
    assert_node_id(G, 2, "30");
    assert_double_near(weight_of(G, 2, 0), 1.0, 0); /* 30 -> 10 */
    assert_double_near(weight_of(G, 0, 1), 1.0, 0); /* 10 -> 20 */
    assert_int_equal(grl_graph_num_arcs(G), 2);
    grl_graph_free(&G);
    unlink(gml);

    /* Pajek: vertex labels are the ids; *Arcs makes it directed */
    const char *pajek = temp_file(".net",
                                  "*Vertices 3\n1 \"zulu\"\n2 \"alpha\"\n"
                                  "3 \"mike\"\n*Arcs\n1 2 4\n3 1 0.5\n");
    assert_ok(grl_graph_load(&G, pajek, NULL, msg));
    assert_true(grl_graph_is_directed(G));
    assert_true(grl_graph_is_weighted(G));
    assert_node_id(G, 0, "alpha");
    assert_node_id(G, 1, "mike");
    assert_node_id(G, 2, "zulu");
    assert_double_near(weight_of(G, 2, 0), 4.0, 0); /* zulu -> alpha */
    assert_double_near(weight_of(G, 1, 2), 0.5, 0); /* mike -> zulu */
    grl_graph_free(&G);
    unlink(pajek);

    /* an edge without a weight when others have one */
    const char *missing = temp_file(".graphml",
        "<?xml version=\"1.0\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
        "<key id=\"w\" for=\"edge\" attr.name=\"weight\" "
        "attr.type=\"double\"/><graph edgedefault=\"undirected\">"
        "<node id=\"a\"/><node id=\"b\"/>"
        "<edge source=\"a\" target=\"b\"><data key=\"w\">2</data></edge>"
        "<edge source=\"b\" target=\"b\"/></graph></graphml>\n");
    int rc = grl_graph_load(&G, missing, NULL, msg);
    assert_int_equal(rc, GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "no weight"));
    assert_null(G);
    unlink(missing);

    /* an empty file is a graph with 0 nodes, as for every grl format */
    for (int f = 0; f < 3; f++) {
        const char *empty = temp_file(formats[f], "");
        assert_ok(grl_graph_load(&G, empty, NULL, msg));
        assert_int_equal(grl_graph_num_nodes(G), 0);
        grl_graph_free(&G);
        unlink(empty);
    }

    /* Pajek without labels: ids 0..n-1 */
    const char *plain = temp_file(".net", "*Vertices 4\n*Edges\n1 2\n2 3\n");
    assert_ok(grl_graph_load(&G, plain, NULL, msg));
    assert_false(grl_graph_is_directed(G));
    assert_true(grl_graph_ids_are_indices(G));
    assert_int_equal(grl_graph_num_nodes(G), 4);
    assert_int_equal(grl_graph_num_edges(G), 2);
    assert_double_near(weight_of(G, 0, 1), 1.0, 0);
    grl_graph_free(&G);
    unlink(plain);
}

/* grl installs igraph's C attribute handler only while it reads or writes
 * and then puts back whatever the application had (none, or its own) */
static void test_attribute_handler_is_scoped(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = string_id_graph(msg);
    const char *path = temp_file(".graphml", "");
    assert_false(igraph_has_attribute_table());
    assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
    assert_false(igraph_has_attribute_table());
    grl_graph *H = NULL;
    assert_ok(grl_graph_load(&H, path, NULL, msg));
    assert_false(igraph_has_attribute_table());
    grl_graph_free(&H);

    /* an application with its own handler and an attributed graph */
    igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_t ring;
    assert_int_equal(igraph_ring(&ring, 3, IGRAPH_UNDIRECTED, false, true),
                     IGRAPH_SUCCESS);
    assert_int_equal(igraph_cattribute_VAS_set(&ring, "name", 1, "b"),
                     IGRAPH_SUCCESS);
    assert_ok(grl_graph_load(&H, path, NULL, msg));
    assert_ok(grl_graph_save(H, path, GRL_FORMAT_AUTO, msg));
    assert_true(igraph_has_attribute_table());
    assert_string_equal(igraph_cattribute_VAS(&ring, "name", 1), "b");
    /* the bridge copies structure only */
    igraph_t copy;
    assert_ok(grl_graph_to_igraph(H, &copy, NULL, msg));
    assert_false(igraph_cattribute_has_attr(&copy, IGRAPH_ATTRIBUTE_VERTEX,
                                            "id"));
    igraph_destroy(&copy);
    igraph_destroy(&ring);
    igraph_set_attribute_table(NULL);
    grl_graph_free(&H);
    grl_graph_free(&G);
    unlink(path);
}

/* ---- components -------------------------------------------------------- */

static void test_components_real_graphs(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    grl_load_options opt;
    grl_load_options_init(&opt);
    assert_ok(grl_graph_load(&G, data_path("ca-grqc/CA-GrQc.txt"), &opt, msg));
    int64_t n = grl_graph_num_nodes(G), ncomp = 0;
    assert_int_equal(n, 5242);
    int64_t *comp = malloc(sizeof(int64_t) * n);
    int64_t *oracle = malloc(sizeof(int64_t) * n);
    assert_ok(grl_graph_components(G, comp, &ncomp, msg));
    assert_int_equal(ncomp, 355);
    assert_int_equal(igraph_components_oracle(G, oracle), 355);
    assert_memory_equal(comp, oracle, sizeof(int64_t) * n);
    free(comp);
    free(oracle);
    grl_graph_free(&G);

    opt.directed = 1;
    assert_ok(grl_graph_load(&G, data_path("email-eu-core/email-Eu-core.txt"),
                             &opt, msg));
    assert_true(grl_graph_is_directed(G));
    n = grl_graph_num_nodes(G);
    assert_int_equal(n, 1005);
    comp = malloc(sizeof(int64_t) * n);
    assert_ok(grl_graph_components(G, comp, &ncomp, msg));
    assert_int_equal(ncomp, 20);
    free(comp);
    grl_graph_free(&G);
}

static void test_components_match_igraph(void **state)
{
    char msg[GRL_MSG_LEN];
    /* directed arcs pointing every way; nodes 2, 6, 9 isolated; the
     * component of 7 is reached only against arc direction from 0 */
    int64_t src[] = {5, 1, 3, 8, 4, 7, 10};
    int64_t dst[] = {0, 5, 8, 4, 3, 0, 11};
    grl_graph *G = NULL;
    assert_ok(grl_graph_from_edges(&G, 12, src, dst, NULL, 7, true, NULL, msg));
    int64_t comp[12], oracle[12], ncomp;
    assert_ok(grl_graph_components(G, comp, &ncomp, msg));
    int64_t expect[12] = {0, 0, 1, 2, 2, 0, 3, 0, 2, 4, 5, 5};
    assert_int_equal(ncomp, 6);
    assert_memory_equal(comp, expect, sizeof expect);
    assert_int_equal(igraph_components_oracle(G, oracle), 6);
    assert_memory_equal(comp, oracle, sizeof oracle);
    grl_graph_free(&G);

    /* random sparse graphs with many components, both kinds */
    for (int directed = 0; directed < 2; directed++) {
        assert_ok(grl_graph_generate_erdos_renyi(&G, 3000, 1400, directed, 7 + directed,
                                           msg));
        int64_t *c = malloc(sizeof(int64_t) * 3000);
        int64_t *o = malloc(sizeof(int64_t) * 3000);
        assert_ok(grl_graph_components(G, c, &ncomp, msg));
        int64_t expected = igraph_components_oracle(G, o);
        assert_true(expected > 1000);
        assert_int_equal(ncomp, expected);
        assert_memory_equal(c, o, sizeof(int64_t) * 3000);
        free(c);
        free(o);
        grl_graph_free(&G);
    }

    /* the empty graph */
    assert_ok(grl_graph_from_edges(&G, 0, NULL, NULL, NULL, 0, false, NULL, msg));
    assert_ok(grl_graph_components(G, comp, &ncomp, msg));
    assert_int_equal(ncomp, 0);
    grl_graph_free(&G);
}

/* ---- generators -------------------------------------------------------- */

/* The generators run on their own igraph RNG: the caller's default RNG is
 * still installed afterwards and in the state it was (the numbers it gives
 * next are the ones it would have given), and a generated graph does not
 * depend on that state. */
static void test_generators_leave_igraph_rng(void **state)
{
    char msg[GRL_MSG_LEN];
    /* igraph 0.10 has one default slot, set by copy: compare contents */
    igraph_rng_t *caller = igraph_rng_default(), before = *caller;
    igraph_integer_t expected[5], got[5];
    igraph_rng_seed(caller, 99);
    for (int i = 0; i < 5; i++) expected[i] = igraph_rng_get_integer(caller, 0, 1 << 30);

    grl_graph *A = NULL, *B = NULL;
    int64_t sizes[] = {10, 10};
    double pref[] = {0.5, 0.05, 0.05, 0.5};
    igraph_rng_seed(caller, 99);
    assert_ok(grl_graph_generate_erdos_renyi(&A, 50, 100, false, 5, msg));
    grl_graph_free(&A);
    assert_ok(grl_graph_generate_barabasi_albert(&A, 50, 2, 5, msg));
    grl_graph_free(&A);
    assert_ok(grl_graph_generate_sbm(&A, 2, sizes, pref, false, 5, msg));
    grl_graph_free(&A);
    assert_ptr_equal(igraph_rng_default()->type, before.type);
    assert_ptr_equal(igraph_rng_default()->state, before.state);
    for (int i = 0; i < 5; i++) got[i] = igraph_rng_get_integer(caller, 0, 1 << 30);
    assert_memory_equal(got, expected, sizeof got);

    /* the caller's RNG in another state: the same graph for the same seed */
    assert_ok(grl_graph_generate_barabasi_albert(&A, 200, 3, 5, msg));
    igraph_rng_seed(caller, 12345);
    assert_ok(grl_graph_generate_barabasi_albert(&B, 200, 3, 5, msg));
    assert_true(matrices_equal(grl_graph_matrix(A), grl_graph_matrix(B), 0));
    grl_graph_free(&A);
    grl_graph_free(&B);
}

static void test_erdos_renyi(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *A = NULL, *B = NULL, *C = NULL;
    assert_ok(grl_graph_generate_erdos_renyi(&A, 500, 2000, false, 42, msg));
    assert_int_equal(grl_graph_num_nodes(A), 500);
    assert_int_equal(grl_graph_num_edges(A), 2000);
    assert_int_equal(grl_graph_num_arcs(A), 4000);
    assert_false(grl_graph_is_directed(A));
    assert_false(grl_graph_is_weighted(A));
    assert_int_equal(count_self_loops(A), 0);
    /* the same seed gives the same graph, another seed another one */
    assert_ok(grl_graph_generate_erdos_renyi(&B, 500, 2000, false, 42, msg));
    assert_ok(grl_graph_generate_erdos_renyi(&C, 500, 2000, false, 43, msg));
    assert_true(matrices_equal(grl_graph_matrix(A), grl_graph_matrix(B), 0));
    assert_false(matrices_equal(grl_graph_matrix(A), grl_graph_matrix(C), 0));
    grl_graph_free(&A);
    grl_graph_free(&B);
    grl_graph_free(&C);

    assert_ok(grl_graph_generate_erdos_renyi(&A, 300, 5000, true, 1, msg));
    assert_true(grl_graph_is_directed(A));
    assert_int_equal(grl_graph_num_arcs(A), 5000);
    assert_int_equal(count_self_loops(A), 0);
    grl_graph_free(&A);
    /* the complete graph is the largest allowed */
    assert_ok(grl_graph_generate_erdos_renyi(&A, 20, 190, false, 3, msg));
    assert_int_equal(grl_graph_num_arcs(A), 380);
    grl_graph_free(&A);
    assert_ok(grl_graph_generate_erdos_renyi(&A, 20, 380, true, 3, msg));
    assert_int_equal(grl_graph_num_arcs(A), 380);
    grl_graph_free(&A);
    assert_ok(grl_graph_generate_erdos_renyi(&A, 0, 0, false, 3, msg));
    assert_int_equal(grl_graph_num_nodes(A), 0);
    grl_graph_free(&A);

    int rc = grl_graph_generate_erdos_renyi(&A, 20, 191, false, 3, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "190"));
    assert_null(A);
    rc = grl_graph_generate_erdos_renyi(&A, 20, 381, true, 3, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
    rc = grl_graph_generate_erdos_renyi(&A, -1, 0, true, 3, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
    rc = grl_graph_generate_erdos_renyi(&A, 10, -1, true, 3, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
    rc = grl_graph_generate_erdos_renyi(&A, 1, 1, true, 3, msg);
    assert_int_equal(rc, GRL_INVALID_ARGUMENT);
}

static void test_barabasi_albert(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *A = NULL, *B = NULL, *C = NULL;
    const int64_t n = 1000, m = 3;
    assert_ok(grl_graph_generate_barabasi_albert(&A, n, m, 5, msg));
    assert_false(grl_graph_is_directed(A));
    assert_int_equal(grl_graph_num_nodes(A), n);
    /* node i (i >= 1) brings min(i, m) distinct edges */
    assert_int_equal(grl_graph_num_edges(A), m * (m + 1) / 2 + (n - 1 - m) * m);
    assert_int_equal(count_self_loops(A), 0);
    const double *deg;
    assert_ok(grl_graph_degree(A, GRL_OUT, false, &deg, msg));
    double max_degree = 0;
    for (int64_t i = 0; i < n; i++) {
        assert_true(deg[i] >= (i < m ? 1 : m));
        if (deg[i] > max_degree) max_degree = deg[i];
    }
    assert_true(max_degree > 30); /* preferential attachment makes hubs */
    int64_t comp[1000], ncomp;
    assert_ok(grl_graph_components(A, comp, &ncomp, msg));
    assert_int_equal(ncomp, 1);
    assert_ok(grl_graph_generate_barabasi_albert(&B, n, m, 5, msg));
    assert_ok(grl_graph_generate_barabasi_albert(&C, n, m, 6, msg));
    assert_true(matrices_equal(grl_graph_matrix(A), grl_graph_matrix(B), 0));
    assert_false(matrices_equal(grl_graph_matrix(A), grl_graph_matrix(C), 0));
    grl_graph_free(&A);
    grl_graph_free(&B);
    grl_graph_free(&C);
    assert_int_equal(grl_graph_generate_barabasi_albert(&A, -1, 2, 1, msg),
                     GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_graph_generate_barabasi_albert(&A, 10, -2, 1, msg),
                     GRL_INVALID_ARGUMENT);
    assert_null(A);
}

static void test_sbm(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    int64_t sizes[] = {3, 4};
    double identity[] = {1, 0, 0, 1};
    assert_ok(grl_graph_generate_sbm(&G, 2, sizes, identity, false, 9, msg));
    assert_int_equal(grl_graph_num_nodes(G), 7);
    /* exactly a 3-clique on 0..2 and a 4-clique on 3..6, no self-loops */
    assert_int_equal(grl_graph_num_arcs(G), 3 * 2 + 4 * 3);
    for (int64_t i = 0; i < 7; i++)
        for (int64_t j = 0; j < 7; j++) {
            bool same_block = (i < 3) == (j < 3);
            bool edge = !isnan(weight_of(G, i, j));
            assert_int_equal(edge, same_block && i != j);
        }
    grl_graph_free(&G);

    /* directed: pref[a][b] is the probability of an arc from block a to b */
    double one_way[] = {0, 1, 0, 0};
    assert_ok(grl_graph_generate_sbm(&G, 2, sizes, one_way, true, 9, msg));
    assert_true(grl_graph_is_directed(G));
    assert_int_equal(grl_graph_num_arcs(G), 12);
    for (int64_t i = 0; i < 3; i++)
        for (int64_t j = 3; j < 7; j++) {
            assert_false(isnan(weight_of(G, i, j)));
            assert_true(isnan(weight_of(G, j, i)));
        }
    grl_graph_free(&G);

    /* determinism with probabilities strictly between 0 and 1 */
    int64_t big[] = {100, 150, 50};
    double pref[] = {0.2, 0.01, 0.05, 0.01, 0.1, 0.0, 0.05, 0.0, 0.3};
    grl_graph *A = NULL, *B = NULL, *C = NULL;
    assert_ok(grl_graph_generate_sbm(&A, 3, big, pref, false, 11, msg));
    assert_ok(grl_graph_generate_sbm(&B, 3, big, pref, false, 11, msg));
    assert_ok(grl_graph_generate_sbm(&C, 3, big, pref, false, 12, msg));
    assert_true(matrices_equal(grl_graph_matrix(A), grl_graph_matrix(B), 0));
    assert_false(matrices_equal(grl_graph_matrix(A), grl_graph_matrix(C), 0));
    /* blocks 1 and 2 never connect */
    for (int64_t i = 100; i < 250; i++)
        for (int64_t j = 250; j < 300; j++)
            assert_true(isnan(weight_of(A, i, j)));
    grl_graph_free(&A);
    grl_graph_free(&B);
    grl_graph_free(&C);

    double bad_prob[] = {1, 1.5, 1.5, 1};
    double asymmetric[] = {1, 0.5, 0.25, 1};
    int64_t negative[] = {3, -1};
    assert_int_equal(grl_graph_generate_sbm(&G, 2, sizes, bad_prob, false, 1, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "1.5"));
    assert_int_equal(grl_graph_generate_sbm(&G, 2, sizes, asymmetric, false, 1, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "symmetric"));
    assert_ok(grl_graph_generate_sbm(&G, 2, sizes, asymmetric, true, 1, msg));
    grl_graph_free(&G);
    assert_int_equal(grl_graph_generate_sbm(&G, 2, negative, identity, false, 1, msg),
                     GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_graph_generate_sbm(&G, 0, sizes, identity, false, 1, msg),
                     GRL_INVALID_ARGUMENT);
    assert_null(G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_undirected_weighted),
        cmocka_unit_test(test_roundtrip_directed_weighted),
        cmocka_unit_test(test_from_igraph_policies_and_errors),
        cmocka_unit_test(test_igraph_errors_become_statuses),
        cmocka_unit_test(test_formats_roundtrip_string_ids),
        cmocka_unit_test(test_formats_roundtrip_integer_ids_directed),
        cmocka_unit_test(test_formats_roundtrip_unweighted_karate),
        cmocka_unit_test(test_load_handwritten_files),
        cmocka_unit_test(test_attribute_handler_is_scoped),
        cmocka_unit_test(test_components_real_graphs),
        cmocka_unit_test(test_components_match_igraph),
        cmocka_unit_test(test_generators_leave_igraph_rng),
        cmocka_unit_test(test_erdos_renyi),
        cmocka_unit_test(test_barabasi_albert),
        cmocka_unit_test(test_sbm),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    grl_finalize(NULL);
    return failed;
}
