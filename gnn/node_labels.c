/* node_labels.c — single-label node classes from `node class` lines. */
#include "node_text.h"
#include "grl/gnn.h"

void grl_node_labels_free(grl_node_labels **L)
{
    if (L == NULL || *L == NULL) return;
    free((*L)->y);
    free(*L);
    *L = NULL;
}

int grl_node_labels_load(grl_node_labels **L, grl_graph *G, const char *path,
                         char *msg)
{
    grl_text t = {0};
    grl_node_labels *R = NULL;
    int64_t *line_of = NULL, *used = NULL;
#define FREE_ALL grl_text_close(&t); grl_node_labels_free(&R); free(line_of); free(used)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(L != NULL && G != NULL && path != NULL,
                "grl_node_labels_load: NULL argument");
    *L = NULL;
    int64_t n = grl_graph_num_nodes(G);
    GRL_CALLOC(R, grl_node_labels, 1);
    GRL_ALLOC(R->y, int64_t, n);
    GRL_ALLOC(line_of, int64_t, n);
    R->nodes = n;
    for (int64_t i = 0; i < n; i++) R->y[i] = -1;
    GRL_TRY(grl_text_open(&t, path, msg));
    int64_t maxc = -1, labelled = 0;
    while (grl_text_next(&t)) {
        if (t.total_fields != 2)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected `node class`, "
                     "got %" PRId64 " field%s", path, t.line, t.total_fields,
                     t.total_fields == 1 ? "" : "s");
        int64_t i, c;
        GRL_TRY(grl_text_node(&t, G, t.field[0], &i, msg));
        GRL_TRY(grl_text_count(&t, t.field[1], "class", &c, msg));
        if (R->y[i] >= 0 && R->y[i] != c)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": node '%.60s' already has "
                     "class %" PRId64 " (line %" PRId64 "); labels are single-"
                     "label here", path, t.line, t.field[0], R->y[i], line_of[i]);
        if (R->y[i] < 0) labelled++;
        R->y[i] = c;
        line_of[i] = t.line;
        if (c > maxc) maxc = c;
    }
    if (labelled == 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: no labelled node", path);
    if (maxc >= n)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: class %" PRId64 " but only %" PRId64
                 " nodes: classes must be numbered 0..k-1", path, maxc, n);
    GRL_CALLOC(used, int64_t, maxc + 1);
    for (int64_t i = 0; i < n; i++)
        if (R->y[i] >= 0) used[R->y[i]]++;
    for (int64_t c = 0; c <= maxc; c++)
        if (used[c] == 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: class %" PRId64 " has no node; classes "
                     "must be numbered 0..%" PRId64 " without gaps", path, c, maxc);
    R->nclasses = maxc + 1;
    *L = R;
    R = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
