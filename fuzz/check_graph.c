/* check_graph.c — the invariants a loaded graph must satisfy, checked with
 * independent means (GraphBLAS calls, id round trips, sums) rather than
 * grl's own bookkeeping. */
#include "fuzz.h"

#include <math.h>
#include <string.h>

static void check_matrix(grl_graph *G, int64_t n, bool allow_nonpositive)
{
    GrB_Matrix A = grl_graph_matrix(G);
    FUZZ_CHECK(A != NULL);
    GrB_Index rows, cols, nvals;
    FUZZ_GRB(GrB_Matrix_nrows(&rows, A));
    FUZZ_GRB(GrB_Matrix_ncols(&cols, A));
    FUZZ_GRB(GrB_Matrix_nvals(&nvals, A));
    FUZZ_CHECK((int64_t)rows == n && (int64_t)cols == n);
    FUZZ_CHECK((int64_t)nvals == grl_graph_num_arcs(G));
    GrB_Type type;
    FUZZ_GRB(GxB_Matrix_type(&type, A));
    FUZZ_CHECK(type == GrB_FP64);

    /* every weight finite, and positive unless the options allowed others */
    double *x = malloc((nvals ? nvals : 1) * sizeof(double));
    if (x != NULL) { /* too large for the fuzzing allocator: skip */
        GrB_Index got = nvals;
        FUZZ_GRB(GrB_Matrix_extractTuples_FP64(NULL, NULL, x, &got, A));
        FUZZ_CHECK(got == nvals);
        for (GrB_Index k = 0; k < nvals; k++) {
            FUZZ_CHECK(isfinite(x[k]));
            FUZZ_CHECK(allow_nonpositive || x[k] > 0);
        }
        free(x);
    }

    /* undirected: A equals its transpose, pattern and values */
    if (!grl_graph_is_directed(G)) {
        GrB_Matrix T = NULL, E = NULL;
        FUZZ_GRB(GrB_Matrix_new(&T, GrB_FP64, rows, cols));
        FUZZ_GRB(GrB_transpose(T, NULL, NULL, A, NULL));
        FUZZ_GRB(GrB_Matrix_new(&E, GrB_BOOL, rows, cols));
        FUZZ_GRB(GrB_Matrix_eWiseMult_BinaryOp(E, NULL, NULL, GrB_EQ_FP64, A,
                                               T, NULL));
        GrB_Index both;
        bool equal = true;
        FUZZ_GRB(GrB_Matrix_nvals(&both, E));
        FUZZ_GRB(GrB_Matrix_reduce_BOOL(&equal, NULL, GrB_LAND_MONOID_BOOL, E,
                                        NULL));
        FUZZ_CHECK(both == nvals && equal);
        GrB_Matrix_free(&T);
        GrB_Matrix_free(&E);
    }

    GrB_Matrix AT = NULL;
    char msg[GRL_MSG_LEN];
    if (grl_graph_transpose(G, &AT, msg) == 0) {
        GrB_Index tv;
        FUZZ_GRB(GrB_Matrix_nvals(&tv, AT));
        FUZZ_CHECK(tv == nvals);
    }
}

/* Node i's id, whole, in a malloc'd string. */
static char *node_id(const grl_graph *G, int64_t i)
{
    char small[2] = "x";
    int len = grl_graph_node_id(G, i, small, sizeof small);
    FUZZ_CHECK(len >= 0);
    FUZZ_CHECK(strlen(small) == (len > 0 ? 1u : 0u)); /* cut, terminated */
    char *id = malloc((size_t)len + 1);
    FUZZ_CHECK(id != NULL);
    FUZZ_CHECK(grl_graph_node_id(G, i, id, (size_t)len + 1) == len);
    FUZZ_CHECK(strlen(id) == (size_t)len);
    return id;
}

/* The id map is a bijection: every sampled node's id leads back to it. */
static void check_ids(const grl_graph *G, int64_t n)
{
    char buf[8], msg[GRL_MSG_LEN];
    FUZZ_CHECK(grl_graph_node_id(G, n, buf, sizeof buf) < 0);
    FUZZ_CHECK(grl_graph_node_id(G, -1, buf, sizeof buf) < 0);
    for (int64_t i = 0; i < n; i++) {
        if (n > FUZZ_NODE_SAMPLE && i == FUZZ_NODE_SAMPLE / 2)
            i = n - FUZZ_NODE_SAMPLE / 2; /* the first and last few */
        char *id = node_id(G, i);
        int64_t back = -1;
        FUZZ_CHECK(grl_graph_node_index(G, id, &back, msg) == 0);
        FUZZ_CHECK(back == i);
        free(id);
    }
}

/* Degrees: unweighted ones count the stored arcs, weighted ones are sums. */
static void check_degrees(grl_graph *G, int64_t n, bool allow_nonpositive)
{
    char msg[GRL_MSG_LEN];
    int64_t arcs = grl_graph_num_arcs(G);
    for (int dir = 0; dir < 2; dir++) {
        const double *deg = NULL;
        if (grl_graph_degree(G, (grl_direction)dir, false, &deg, msg) == 0) {
            double sum = 0;
            for (int64_t i = 0; i < n; i++) {
                FUZZ_CHECK(deg[i] >= 0 && deg[i] <= (double)n);
                sum += deg[i];
            }
            FUZZ_CHECK(sum == (double)arcs);
        }
        if (grl_graph_degree(G, (grl_direction)dir, true, &deg, msg) == 0 &&
            !allow_nonpositive)
            for (int64_t i = 0; i < n; i++) FUZZ_CHECK(deg[i] >= 0);
    }
}

/* Summary and components agree with each other and with the graph;
 * components are numbered by their smallest node. */
static void check_summary(grl_graph *G, int64_t n)
{
    char msg[GRL_MSG_LEN];
    grl_graph_info info;
    if (grl_graph_summary(G, &info, msg) != 0) return;
    FUZZ_CHECK(info.nodes == n && info.arcs == grl_graph_num_arcs(G));
    FUZZ_CHECK(info.edges == grl_graph_num_edges(G));
    FUZZ_CHECK(info.self_loops >= 0 && info.self_loops <= info.arcs);
    FUZZ_CHECK(info.directed == grl_graph_is_directed(G));
    FUZZ_CHECK(n == 0 ? info.components == 0
                      : info.components >= 1 && info.components <= n);
    int64_t *comp = malloc((size_t)(n ? n : 1) * sizeof(int64_t));
    if (comp == NULL) return;
    int64_t ncomp = -1;
    if (grl_graph_components(G, comp, &ncomp, msg) == 0) {
        FUZZ_CHECK(ncomp == info.components);
        int64_t next = 0;
        for (int64_t i = 0; i < n; i++) {
            FUZZ_CHECK(comp[i] >= 0 && comp[i] <= next);
            if (comp[i] == next) next++;
        }
        FUZZ_CHECK(next == ncomp);
    }
    free(comp);
}

void fuzz_check_graph(grl_graph *G, bool allow_nonpositive)
{
    FUZZ_CHECK(G != NULL);
    int64_t n = grl_graph_num_nodes(G);
    FUZZ_CHECK(n >= 0);
    int64_t arcs = grl_graph_num_arcs(G), edges = grl_graph_num_edges(G);
    FUZZ_CHECK(arcs >= 0 && edges >= 0 && edges <= arcs);
    check_matrix(G, n, allow_nonpositive);
    check_ids(G, n);
    check_degrees(G, n, allow_nonpositive);
    check_summary(G, n);
}
