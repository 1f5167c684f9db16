/* igraph_bridge.c — grl's igraph error handling and the conversions between
 * grl graphs and igraph_t (bulk copies of the edge arrays; an undirected grl
 * graph gives each edge once). Peak memory of a conversion: the graph plus
 * about 40 bytes per igraph edge. */
#include "igraph_internal.h"

#include <math.h>

_Static_assert(sizeof(igraph_integer_t) == sizeof(int64_t),
               "grl needs igraph built with 64-bit igraph_integer_t");

/* igraph's first error message since the last grl_igraph_setup/status, per
 * thread: igraph reports an error on the thread that made the call. */
static _Thread_local char grl_igraph_reason[GRL_MSG_LEN];
static _Thread_local bool grl_igraph_has_reason = false;

static void grl_igraph_error_handler(const char *reason, const char *file,
                                     int line, igraph_error_t igraph_errno)
{
    /* the innermost (first) error is the most specific one: keep it */
    if (!grl_igraph_has_reason) {
        const char *text = reason && reason[0] ? reason
                                               : igraph_strerror(igraph_errno);
        snprintf(grl_igraph_reason, sizeof grl_igraph_reason, "%s", text);
        grl_igraph_has_reason = true;
    }
    IGRAPH_FINALLY_FREE();
}

void grl_igraph_setup(void)
{
    /* set on every call (two pointer stores): if the application installed
     * another handler since (igraph's default aborts), grl still gets its
     * own, so an igraph error inside grl never ends the process */
    igraph_set_error_handler(grl_igraph_error_handler);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    grl_igraph_has_reason = false;
    grl_igraph_reason[0] = '\0';
}

int grl_igraph_status(igraph_error_t err, const char *context, char *msg)
{
    if (err == IGRAPH_SUCCESS) return 0;
    const char *text = grl_igraph_has_reason ? grl_igraph_reason
                                             : igraph_strerror(err);
    if (context)
        grl_set_msg(msg, "%.100s: igraph: %s", context, text);
    else
        grl_set_msg(msg, "igraph: %s", text);
    grl_igraph_has_reason = false;
    grl_igraph_reason[0] = '\0';
    return GRL_IGRAPH_ERROR;
}

int grl_igraph_arcs(const igraph_t *ig, bool directed,
                    const igraph_vector_t *weights,
                    const grl_load_options *opt, const char *where,
                    bool from_file, GrB_Index **src, GrB_Index **dst,
                    double **w, int64_t *m, char *msg)
{
#define FREE_ALL free(*src); free(*dst); free(*w); \
    *src = NULL; *dst = NULL; *w = NULL
    *src = NULL; *dst = NULL; *w = NULL;
    *m = 0;
    int64_t ne = (int64_t)igraph_ecount(ig);
    bool any_weights_ok = opt && opt->allow_nonpositive_weights;
    if (weights) {
        GRL_REQUIRE((int64_t)igraph_vector_size(weights) == ne,
                    "%s: %" PRId64 " weights given for %" PRId64 " edges",
                    where, (int64_t)igraph_vector_size(weights), ne);
        for (int64_t e = 0; e < ne; e++) {
            double x = VECTOR(*weights)[e];
            if (isnan(x))
                GRL_FAIL(from_file ? GRL_PARSE_ERROR : GRL_INVALID_ARGUMENT,
                         "%s: edge %" PRId64 " (of %" PRId64 ") has no weight "
                         "(NaN); give every edge a weight or load with "
                         "ignore_weights", where, e + 1, ne);
            if (!isfinite(x) || (!any_weights_ok && x <= 0))
                GRL_FAIL(from_file ? GRL_PARSE_ERROR : GRL_INVALID_ARGUMENT,
                         "%s: edge %" PRId64 " (of %" PRId64
                         ") has weight %g; weights must be finite and > 0 "
                         "(allow_nonpositive_weights accepts finite weights "
                         "<= 0)", where, e + 1, ne, x);
        }
    }
    /* an undirected igraph edge read as directed: both arcs */
    bool both = directed && !igraph_is_directed(ig);
    int64_t total = ne;
    if (both)
        for (int64_t e = 0; e < ne; e++)
            total += IGRAPH_FROM(ig, e) != IGRAPH_TO(ig, e);
    GRL_ALLOC(*src, GrB_Index, total);
    GRL_ALLOC(*dst, GrB_Index, total);
    if (weights) GRL_ALLOC(*w, double, total);
    GrB_Index *s = *src, *d = *dst;
    double *wt = *w;
    if (!both) {
#pragma omp parallel for schedule(static)
        for (int64_t e = 0; e < ne; e++) {
            s[e] = (GrB_Index)IGRAPH_FROM(ig, e);
            d[e] = (GrB_Index)IGRAPH_TO(ig, e);
            if (wt) wt[e] = VECTOR(*weights)[e];
        }
    } else {
        int64_t t = 0;
        for (int64_t e = 0; e < ne; e++) {
            GrB_Index a = (GrB_Index)IGRAPH_FROM(ig, e);
            GrB_Index b = (GrB_Index)IGRAPH_TO(ig, e);
            s[t] = a; d[t] = b;
            if (wt) wt[t] = VECTOR(*weights)[e];
            t++;
            if (a != b) {
                s[t] = b; d[t] = a;
                if (wt) wt[t] = VECTOR(*weights)[e];
                t++;
            }
        }
    }
    *m = total;
    return 0;
#undef FREE_ALL
}

int grl_graph_to_igraph(const grl_graph *G, igraph_t *ig,
                        igraph_vector_t *weights, char *msg)
{
    grl_msg_clear(msg);
    GrB_Matrix U = NULL;
    GrB_Index *rows = NULL, *cols = NULL, nvals = 0;
    double *vals = NULL;
    igraph_vector_int_t edges;
    bool have_edges = false;
#define FREE_ALL GrB_Matrix_free(&U); free(rows); free(cols); free(vals); \
    if (have_edges) igraph_vector_int_destroy(&edges)
    GRL_REQUIRE(G != NULL && ig != NULL, "grl_graph_to_igraph: NULL argument");
    grl_igraph_setup();
    int64_t n = G->ids.n;
    GrB_Matrix A = G->A;
    if (!G->directed) { /* each undirected edge once: the upper triangle */
        GRB_TRY(GrB_Matrix_new(&U, GrB_FP64, n, n));
        GRB_TRY(GrB_select(U, NULL, NULL, GrB_TRIU, G->A, 0, NULL));
        A = U;
    }
    GRL_TRY(grl_matrix_tuples(A, &rows, &cols, &vals, &nvals, msg));
    GrB_Matrix_free(&U);
    GRL_IGRAPH_TRY(igraph_vector_int_init(&edges, 2 * (igraph_integer_t)nvals));
    have_edges = true;
    igraph_integer_t *e = VECTOR(edges);
#pragma omp parallel for schedule(static)
    for (GrB_Index k = 0; k < nvals; k++) {
        e[2 * k] = (igraph_integer_t)rows[k];
        e[2 * k + 1] = (igraph_integer_t)cols[k];
    }
    free(rows); rows = NULL;
    free(cols); cols = NULL;
    if (weights) {
        GRL_IGRAPH_TRY(igraph_vector_resize(weights, (igraph_integer_t)nvals));
        if (nvals) memcpy(VECTOR(*weights), vals, nvals * sizeof(double));
    }
    free(vals); vals = NULL;
    GRL_IGRAPH_TRY(igraph_create(ig, &edges, (igraph_integer_t)n,
                                 G->directed));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_graph_from_igraph(grl_graph **G, const igraph_t *ig,
                          const igraph_vector_t *weights,
                          const grl_load_options *opt, char *msg)
{
    grl_msg_clear(msg);
    GrB_Index *src = NULL, *dst = NULL;
    double *w = NULL;
#define FREE_ALL free(src); free(dst); free(w); grl_graph_free(G)
    GRL_REQUIRE(G != NULL, "grl_graph_from_igraph: output pointer is NULL");
    *G = NULL;
    GRL_REQUIRE(ig != NULL, "grl_graph_from_igraph: igraph graph is NULL");
    grl_load_options defaults;
    GRL_TRY(grl_load_options_resolve(&opt, &defaults, msg));
    grl_igraph_setup();
    bool directed = opt->directed == -1 ? (bool)igraph_is_directed(ig)
                                        : opt->directed == 1;
    if (opt->ignore_weights) weights = NULL;
    int64_t m;
    GRL_TRY(grl_igraph_arcs(ig, directed, weights, opt, "igraph graph", false,
                            &src, &dst, &w, &m, msg));
    GRL_TRY(grl_graph_alloc(G, msg));
    (*G)->directed = directed;
    (*G)->ids.n = (int64_t)igraph_vcount(ig);
    GRL_TRY(grl_graph_build_matrix(*G, (*G)->ids.n, src, dst, w, m, opt, msg));
    free(src); free(dst); free(w);
    return 0;
#undef FREE_ALL
}
