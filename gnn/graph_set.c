/* graph_set.c — the graph set record: release and the invariant check that
 * every producer (loader, generators) and grl_graph_set_save rely on. */
#include "grl_internal.h"
#include "grl/gnn.h"

void grl_graph_set_free(grl_graph_set *S)
{
    if (S == NULL) return;
    free(S->graph_ptr);
    free(S->in_ptr);
    free(S->arc_source);
    free(S->node_x);
    free(S->arc_x);
    free(S->node_y);
    free(S->graph_class);
    free(S);
}

/* p[0] = 0, non-decreasing, p[len] = total. */
static bool valid_ptr(const int64_t *p, int64_t len, int64_t total)
{
    if (p == NULL || p[0] != 0 || p[len] != total) return false;
    for (int64_t i = 0; i < len; i++)
        if (p[i + 1] < p[i]) return false;
    return true;
}

/* rows x dim values present when dim > 0, all finite. */
static int check_values(const float *x, int64_t rows, int64_t dim,
                        const char *what, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(dim >= 0, "graph set: %s width %" PRId64 " is negative", what, dim);
    if (dim == 0) return 0;
    GRL_REQUIRE(x != NULL, "graph set: %s width is %" PRId64 " but the array "
                "is NULL", what, dim);
    GRL_REQUIRE_MUL_I64(rows, dim, what);
    int64_t bad = grl_first_nonfinite(x, rows * dim);
    GRL_REQUIRE(bad < 0, "graph set: %s value %" PRId64 " (row %" PRId64 ") is "
                "not finite", what, bad, bad / dim);
    return 0;
#undef FREE_ALL
}

int grl_graph_set_check(const grl_graph_set *S, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL, "grl_graph_set_check: NULL set");
    GRL_REQUIRE(S->ngraphs >= 0 && S->nodes >= 0 && S->arcs >= 0,
                "graph set: negative size (%" PRId64 " graphs, %" PRId64
                " nodes, %" PRId64 " arcs)", S->ngraphs, S->nodes, S->arcs);
    GRL_REQUIRE(valid_ptr(S->graph_ptr, S->ngraphs, S->nodes),
                "graph set: graph_ptr must run from 0 to the %" PRId64
                " nodes without decreasing", S->nodes);
    GRL_REQUIRE(valid_ptr(S->in_ptr, S->nodes, S->arcs),
                "graph set: in_ptr must run from 0 to the %" PRId64
                " arcs without decreasing", S->arcs);
    GRL_REQUIRE(S->arcs == 0 || S->arc_source != NULL, "graph set: arc_source is NULL");
    for (int64_t g = 0; g < S->ngraphs; g++)
        for (int64_t i = S->graph_ptr[g]; i < S->graph_ptr[g + 1]; i++)
            for (int64_t k = S->in_ptr[i]; k < S->in_ptr[i + 1]; k++) {
                int64_t u = S->arc_source[k];
                GRL_REQUIRE(u >= S->graph_ptr[g] && u < S->graph_ptr[g + 1],
                            "graph set: arc %" PRId64 " into node %" PRId64 " of "
                            "graph %" PRId64 " comes from node %" PRId64 ", outside "
                            "that graph", k, i, g, u);
                GRL_REQUIRE(k == S->in_ptr[i] || S->arc_source[k - 1] <= u,
                            "graph set: the sources into node %" PRId64 " are not "
                            "ascending (arc %" PRId64 ")", i, k);
            }
    GRL_TRY(check_values(S->node_x, S->nodes, S->node_dim, "node feature", msg));
    GRL_TRY(check_values(S->arc_x, S->arcs, S->arc_dim, "arc feature", msg));
    GRL_TRY(check_values(S->node_y, S->nodes, S->node_target_dim, "node target", msg));
    GRL_REQUIRE(S->node_label_dim >= 0 && S->node_label_dim <= S->node_dim &&
                S->arc_label_dim >= 0 && S->arc_label_dim <= S->arc_dim,
                "graph set: label widths must be within the feature widths");
    GRL_REQUIRE(S->nclasses >= 0, "graph set: negative class count");
    if (S->nclasses > 0) {
        GRL_REQUIRE(S->graph_class != NULL, "graph set: %" PRId64 " classes but "
                    "graph_class is NULL", S->nclasses);
        for (int64_t g = 0; g < S->ngraphs; g++)
            GRL_REQUIRE(S->graph_class[g] >= 0 && S->graph_class[g] < S->nclasses,
                        "graph set: graph %" PRId64 " has class %" PRId64
                        ", outside 0..%" PRId64, g, S->graph_class[g], S->nclasses - 1);
    }
    return 0;
#undef FREE_ALL
}

int grl_graph_set_keep_node_labels(grl_graph_set *S, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL, "grl_graph_set_keep_node_labels: NULL set");
    const int64_t k = S->node_label_dim, d = S->node_dim;
    GRL_REQUIRE(k >= 0 && k <= d && (d == 0 || S->node_x != NULL),
                "graph set: node label width %" PRId64 " outside the %" PRId64
                " node features", k, d);
    for (int64_t i = 0; k < d && i < S->nodes; i++) /* row i moves down, never up */
        memmove(S->node_x + i * k, S->node_x + i * d, sizeof(float) * (size_t)k);
    S->node_dim = k;
    return 0;
#undef FREE_ALL
}
