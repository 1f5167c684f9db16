/* graph.c — the graph object: construction from arcs, accessors, cached
 * transpose and degrees. */
#include "graph_internal.h"

#include <math.h>

void grl_load_options_init(grl_load_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->format = GRL_FORMAT_AUTO;
    opt->directed = -1;
    opt->ids = GRL_IDS_INTEGER;
    opt->self_loops = GRL_SELF_LOOPS_KEEP;
    opt->duplicates = GRL_DUPLICATES_MERGE;
    opt->header = -1;
}

int grl_load_options_resolve(const grl_load_options **opt,
                             grl_load_options *storage, char *msg)
{
#define FREE_ALL ;
    if (*opt == NULL) {
        grl_load_options_init(storage);
        *opt = storage;
    }
    const grl_load_options *o = *opt;
    GRL_REQUIRE(o->directed >= -1 && o->directed <= 1,
                "load option 'directed' must be -1, 0 or 1");
    GRL_REQUIRE(o->num_nodes >= 0 && o->num_nodes <= GRL_MAX_NODES,
                "load option 'num_nodes' must be in 0..2^60, got %" PRId64,
                o->num_nodes);
    GRL_REQUIRE(o->num_nodes == 0 || o->nodes_path == NULL,
                "declare the nodes either by a file or by a count, not both "
                "(--nodes or --num-nodes)");
    GRL_REQUIRE(o->num_nodes == 0 || o->ids == GRL_IDS_INTEGER,
                "a node count declares the integer ids 0..N-1; with string "
                "ids, declare the nodes by a file (--nodes)");
    return 0;
#undef FREE_ALL
}

int grl_graph_alloc(grl_graph **G, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_init(msg));
    GRL_CALLOC(*G, grl_graph, 1);
    return 0;
#undef FREE_ALL
}

void grl_graph_free(grl_graph **G)
{
    if (G == NULL || *G == NULL) return;
    grl_graph *g = *G;
    GrB_Matrix_free(&g->A);
    GrB_Matrix_free(&g->AT);
    grl_idmap_clear(&g->ids);
    for (int d = 0; d < 2; d++)
        for (int w = 0; w < 2; w++) free(g->degree[d][w]);
    free(g);
    *G = NULL;
}

int grl_graph_from_edges(grl_graph **G, int64_t n, const int64_t *src,
                         const int64_t *dst, const double *w, int64_t m,
                         bool directed, const grl_load_options *opt,
                         char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL grl_graph_free(G)
    GRL_REQUIRE(G != NULL, "grl_graph_from_edges: output pointer is NULL");
    *G = NULL;
    GRL_REQUIRE(n >= 0 && m >= 0, "negative node or edge count");
    GRL_REQUIRE(m == 0 || (src && dst), "grl_graph_from_edges: NULL arc arrays");
    bool any_weights_ok = opt && opt->allow_nonpositive_weights;
    for (int64_t k = 0; k < m; k++) {
        if (src[k] < 0 || src[k] >= n || dst[k] < 0 || dst[k] >= n)
            GRL_FAIL(GRL_INVALID_ARGUMENT, "arc %" PRId64 " (%" PRId64
                     " -> %" PRId64 ") has a node outside 0..%" PRId64,
                     k, src[k], dst[k], n - 1);
        if (w && (!isfinite(w[k]) || (!any_weights_ok && w[k] <= 0)))
            GRL_FAIL(GRL_INVALID_ARGUMENT, "arc %" PRId64 " has weight %g; "
                     "weights must be finite and positive", k, w[k]);
    }
    GRL_TRY(grl_graph_alloc(G, msg));
    (*G)->directed = directed;
    (*G)->ids.n = n;
    /* the indices are checked to lie in 0..n-1: read them as GrB_Index */
    GRL_TRY(grl_graph_build_matrix(*G, n, (const GrB_Index *)src,
                                   (const GrB_Index *)dst, w, m, opt, msg));
    return 0;
#undef FREE_ALL
}

int grl_graph_from_matrix(grl_graph **G, GrB_Matrix *A, bool directed,
                          bool weighted, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL grl_graph_free(G)
    GRL_REQUIRE(G != NULL && A != NULL && *A != NULL,
                "grl_graph_from_matrix: NULL argument");
    *G = NULL;
    GrB_Index nr, nc;
    GrB_Type type;
    GRB_TRY(GrB_Matrix_nrows(&nr, *A));
    GRB_TRY(GrB_Matrix_ncols(&nc, *A));
    GRB_TRY(GxB_Matrix_type(&type, *A));
    GRL_REQUIRE(nr == nc, "adjacency matrix is %" PRIu64 " x %" PRIu64
                ", not square", (uint64_t)nr, (uint64_t)nc);
    GRL_REQUIRE(type == GrB_FP64, "adjacency matrix must be GrB_FP64");
    GRL_TRY(grl_graph_alloc(G, msg));
    (*G)->A = *A;
    (*G)->directed = directed;
    (*G)->weighted = weighted;
    (*G)->ids.n = (int64_t)nr;
    /* what every graph guarantees the algorithms: a valid matrix, finite
     * weights (any sign, as allow_nonpositive_weights), symmetric if
     * undirected; a refused matrix stays the caller's */
    int rc = grl_graph_validate(*G, true, "grl_graph_from_matrix", msg);
    if (rc < 0) {
        (*G)->A = NULL;
        FREE_ALL;
        return rc == GRL_PARSE_ERROR ? GRL_INVALID_ARGUMENT : rc;
    }
    *A = NULL;
    return 0;
#undef FREE_ALL
}

int64_t grl_graph_num_nodes(const grl_graph *G) { return G ? G->ids.n : 0; }

int64_t grl_graph_num_arcs(const grl_graph *G)
{
    GrB_Index nvals = 0;
    if (G) GrB_Matrix_nvals(&nvals, G->A);
    return (int64_t)nvals;
}

int grl_graph_self_loops(const grl_graph *G, int64_t *count, char *msg)
{
    GrB_Matrix loops = NULL;
#define FREE_ALL GrB_Matrix_free(&loops)
    GRL_REQUIRE(G != NULL && count != NULL, "grl_graph_self_loops: NULL argument");
    *count = 0;
    GrB_Index nloops;
    GRB_TRY(GrB_Matrix_new(&loops, GrB_FP64, G->ids.n, G->ids.n));
    GRB_TRY(GrB_select(loops, NULL, NULL, GrB_DIAG, G->A, 0, NULL));
    GRB_TRY(GrB_Matrix_nvals(&nloops, loops));
    *count = (int64_t)nloops;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int64_t grl_graph_num_edges(const grl_graph *G)
{
    int64_t arcs = grl_graph_num_arcs(G), loops;
    if (G == NULL || G->directed) return arcs;
    grl_graph_self_loops(G, &loops, NULL);
    return (arcs + loops) / 2;
}

bool grl_graph_is_directed(const grl_graph *G) { return G && G->directed; }
bool grl_graph_is_weighted(const grl_graph *G) { return G && G->weighted; }
GrB_Matrix grl_graph_matrix(const grl_graph *G) { return G ? G->A : NULL; }

int grl_graph_transpose(grl_graph *G, GrB_Matrix *AT, char *msg)
{
    grl_msg_clear(msg);
    GrB_Matrix T = NULL;
#define FREE_ALL GrB_Matrix_free(&T)
    GRL_REQUIRE(G != NULL && AT != NULL, "grl_graph_transpose: NULL argument");
    if (!G->directed) {
        *AT = G->A;
        return 0;
    }
    if (G->AT == NULL) {
        /* cached only once complete: a failed transpose must not leave an
         * empty matrix for later calls to take as the transpose */
        GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, G->ids.n, G->ids.n));
        GRB_TRY(GrB_transpose(T, NULL, NULL, G->A, NULL));
        G->AT = T;
    }
    *AT = G->AT;
    return 0;
#undef FREE_ALL
}

int grl_graph_degree(grl_graph *G, grl_direction dir, bool weighted,
                     const double **deg, char *msg)
{
    grl_msg_clear(msg);
    GrB_Matrix pattern = NULL;
    GrB_Vector v = NULL;
    GrB_Index *idx = NULL;
    double *val = NULL, *out = NULL;
#define FREE_ALL GrB_Matrix_free(&pattern); GrB_Vector_free(&v); free(idx); \
    free(val); free(out)
    GRL_REQUIRE(G != NULL && deg != NULL, "grl_graph_degree: NULL argument");
    GRL_REQUIRE(dir == GRL_OUT || dir == GRL_IN, "direction must be GRL_OUT "
                "or GRL_IN");
    double **cache = &G->degree[dir][weighted ? 1 : 0];
    if (*cache == NULL) {
        int64_t n = G->ids.n;
        GrB_Matrix source = G->A;
        if (!weighted) { /* count arcs: reduce a copy whose values are 1 */
            GRB_TRY(GrB_Matrix_new(&pattern, GrB_FP64, n, n));
            GRB_TRY(GrB_apply(pattern, NULL, NULL, GxB_ONE_FP64, G->A, NULL));
            source = pattern;
        }
        GRB_TRY(GrB_Vector_new(&v, GrB_FP64, n));
        GRB_TRY(GrB_Matrix_reduce_Monoid(v, NULL, NULL, GrB_PLUS_MONOID_FP64,
                                         source, dir == GRL_IN ? GrB_DESC_T0
                                                               : NULL));
        GrB_Index nv;
        GRB_TRY(GrB_Vector_nvals(&nv, v));
        GRL_ALLOC(idx, GrB_Index, nv);
        GRL_ALLOC(val, double, nv);
        GRB_TRY(GrB_Vector_extractTuples_FP64(idx, val, &nv, v));
        GRL_CALLOC(out, double, n);
        for (GrB_Index k = 0; k < nv; k++) out[idx[k]] = val[k];
        *cache = out;
        out = NULL;
    }
    *deg = *cache;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_matrix_tuples(GrB_Matrix A, GrB_Index **rows, GrB_Index **cols,
                      double **vals, GrB_Index *nvals, char *msg)
{
#define FREE_ALL free(*rows); free(*cols); free(*vals); \
    *rows = NULL; *cols = NULL; *vals = NULL
    *rows = NULL; *cols = NULL; *vals = NULL;
    GRB_TRY(GrB_Matrix_nvals(nvals, A));
    GRL_ALLOC(*rows, GrB_Index, *nvals);
    GRL_ALLOC(*cols, GrB_Index, *nvals);
    GRL_ALLOC(*vals, double, *nvals);
    GRB_TRY(GrB_Matrix_extractTuples_FP64(*rows, *cols, *vals, nvals, A));
    return 0;
#undef FREE_ALL
}
