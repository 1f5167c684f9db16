/* graph_set_load.c — a graph set from the TU Dortmund text layout (see
 * include/grl/gnn.h): every file read into a table, checked against the
 * others (row counts, ids, graphs), and the arcs sorted by target then
 * source with two stable counting sorts. */
#include "tu_table.h"
#include "grl/gnn.h"

#include <limits.h>
#include <unistd.h>

/* dir/name_suffix.txt into buf (PATH_MAX bytes). */
static int tu_path(char *buf, const char *dir, const char *name,
                   const char *suffix, char *msg)
{
#define FREE_ALL ;
    int len = snprintf(buf, PATH_MAX, "%s/%s_%s.txt", dir, name, suffix);
    GRL_REQUIRE(len > 0 && len < PATH_MAX, "the path %s/%s_%s.txt is too long",
                dir, name, suffix);
    return 0;
#undef FREE_ALL
}

/* Read an optional file (absent: T->rows = 0, *present = false), demanding
 * `rows` rows when present. */
static int read_optional(grl_tu_table *T, bool *present, const char *path,
                         bool integers, int64_t cols, int64_t rows,
                         const char *per, char *msg)
{
#define FREE_ALL ;
    memset(T, 0, sizeof(*T));
    *present = access(path, F_OK) == 0;
    if (!*present) return 0;
    GRL_TRY(grl_tu_table_read(T, path, integers, cols, msg));
    if (T->rows != rows) {
        grl_set_msg(msg, "%s: %" PRId64 " rows, but it needs %" PRId64
                    " (one per %s)", path, T->rows, rows, per);
        grl_tu_table_release(T);
        return GRL_PARSE_ERROR;
    }
    return 0;
#undef FREE_ALL
}

/* out (rows x (k + T->cols)): one-hot codes in the first k columns, then
 * T's floats. Either part may be empty. */
static void fill_features(float *out, int64_t rows, const int64_t *codes,
                          int64_t k, const grl_tu_table *T)
{
    int64_t a = T->x != NULL ? T->cols : 0, d = k + a;
    for (int64_t r = 0; r < rows; r++) {
        float *o = out + r * d;
        memset(o, 0, sizeof(float) * (size_t)k);
        if (codes != NULL) o[codes[r]] = 1.0f;
        if (a > 0) memcpy(o + k, T->x + r * a, sizeof(float) * (size_t)a);
    }
}

/* Graph ids 1, 2, ... in order over the nodes -> graph_ptr. */
static int graph_bounds(grl_graph_set *R, const grl_tu_table *gi, char *msg)
{
#define FREE_ALL ;
    int64_t n = gi->rows;
    if (n == 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: no nodes (the file has no data line)", gi->path);
    for (int64_t i = 0; i < n; i++) {
        int64_t prev = i > 0 ? gi->i[i - 1] : 0, g = gi->i[i];
        if (i == 0 && g != 1)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": graph id %" PRId64 " on the first "
                     "line: ids start at 1", gi->path, gi->line[i], g);
        if (g != prev && g != prev + 1)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": graph id %" PRId64 " after %"
                     PRId64 ": ids must be 1, 2, ... with each graph's nodes on "
                     "consecutive lines", gi->path, gi->line[i], g, prev);
    }
    R->ngraphs = gi->i[n - 1];
    R->nodes = n;
    GRL_CALLOC(R->graph_ptr, int64_t, R->ngraphs + 1);
    for (int64_t i = 0; i < n; i++) R->graph_ptr[gi->i[i]]++;
    for (int64_t g = 0; g < R->ngraphs; g++) R->graph_ptr[g + 1] += R->graph_ptr[g];
    return 0;
#undef FREE_ALL
}

/* Check A's ids against the nodes and graphs, then order the arcs by
 * (target, source), parallel arcs in line order: *perm[k] = the A row of
 * arc k. */
static int sort_arcs(grl_graph_set *R, int64_t **perm, const grl_tu_table *A,
                     const grl_tu_table *gi, char *msg)
{
    int64_t *by_source = NULL, *count = NULL;
#define FREE_ALL free(by_source); free(count)
    int64_t n = R->nodes, m = A->rows;
    for (int64_t r = 0; r < m; r++) {
        int64_t u = A->i[2 * r], v = A->i[2 * r + 1];
        if (u < 1 || u > n || v < 1 || v > n)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": node id %" PRId64 " is out of "
                     "range: the graph indicator has nodes 1..%" PRId64, A->path,
                     A->line[r], u < 1 || u > n ? u : v, n);
        if (gi->i[u - 1] != gi->i[v - 1])
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": arc %" PRId64 " -> %" PRId64
                     " joins graph %" PRId64 " to graph %" PRId64 "; arcs must stay "
                     "within a graph", A->path, A->line[r], u, v, gi->i[u - 1],
                     gi->i[v - 1]);
    }
    R->arcs = m;
    GRL_ALLOC(by_source, int64_t, m);
    GRL_ALLOC(*perm, int64_t, m);
    GRL_CALLOC(count, int64_t, n + 1);
    GRL_CALLOC(R->in_ptr, int64_t, n + 1);
    GRL_ALLOC(R->arc_source, int64_t, m);
    /* stable counting sort by source, then by target: sources ascend */
    for (int64_t r = 0; r < m; r++) count[A->i[2 * r]]++; /* 1-based: slot u */
    for (int64_t u = 0; u < n; u++) count[u + 1] += count[u];
    for (int64_t r = 0; r < m; r++) by_source[count[A->i[2 * r] - 1]++] = r;
    for (int64_t r = 0; r < m; r++) R->in_ptr[A->i[2 * r + 1]]++;
    for (int64_t v = 0; v < n; v++) R->in_ptr[v + 1] += R->in_ptr[v];
    memcpy(count, R->in_ptr, sizeof(int64_t) * (size_t)(n + 1));
    for (int64_t j = 0; j < m; j++) {
        int64_t r = by_source[j];
        (*perm)[count[A->i[2 * r + 1] - 1]++] = r;
    }
    for (int64_t k = 0; k < m; k++) R->arc_source[k] = A->i[2 * (*perm)[k]] - 1;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_graph_set_load(grl_graph_set **S, const char *dir, const char *name,
                       char *msg)
{
    grl_graph_set *R = NULL;
    grl_tu_table gi = {0}, A = {0}, gl = {0}, nl = {0}, na = {0}, el = {0},
                 ea = {0}, nt = {0};
    int64_t *perm = NULL, *node_codes = NULL, *edge_codes = NULL;
    float *arc_rows = NULL;
    char *path = NULL;
#define FREE_ALL grl_graph_set_free(R); grl_tu_table_release(&gi); \
    grl_tu_table_release(&A); grl_tu_table_release(&gl); grl_tu_table_release(&nl); \
    grl_tu_table_release(&na); grl_tu_table_release(&el); grl_tu_table_release(&ea); \
    grl_tu_table_release(&nt); free(perm); free(node_codes); free(edge_codes); \
    free(arc_rows); free(path)
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL && dir != NULL && name != NULL,
                "grl_graph_set_load: NULL argument");
    *S = NULL;
    /* one buffer per file: a table keeps a pointer to its path */
    enum { GI, AA, GL, NL, NA, EL, EA, NT, FILES };
    static const char *suffix[FILES] = {"graph_indicator", "A", "graph_labels",
        "node_labels", "node_attributes", "edge_labels", "edge_attributes",
        "node_targets"};
    GRL_ALLOC(path, char, (size_t)FILES * PATH_MAX);
    for (int f = 0; f < FILES; f++)
        GRL_TRY(tu_path(path + (size_t)f * PATH_MAX, dir, name, suffix[f], msg));
#define PATH(f) (path + (size_t)(f) * PATH_MAX)
    GRL_CALLOC(R, grl_graph_set, 1);
    GRL_TRY(grl_tu_table_read(&gi, PATH(GI), true, 1, msg));
    GRL_TRY(graph_bounds(R, &gi, msg));
    GRL_TRY(grl_tu_table_read(&A, PATH(AA), true, 2, msg));
    GRL_TRY(sort_arcs(R, &perm, &A, &gi, msg));
    int64_t n = R->nodes, m = R->arcs;
    bool has_gl, has_nl, has_na, has_el, has_ea, has_nt;
    GRL_TRY(read_optional(&gl, &has_gl, PATH(GL), true, 1, R->ngraphs, "graph", msg));
    GRL_TRY(read_optional(&nl, &has_nl, PATH(NL), true, 1, n, "node", msg));
    GRL_TRY(read_optional(&na, &has_na, PATH(NA), false, 0, n, "node", msg));
    GRL_TRY(read_optional(&el, &has_el, PATH(EL), true, 1, m, "line of A.txt", msg));
    GRL_TRY(read_optional(&ea, &has_ea, PATH(EA), false, 0, m, "line of A.txt", msg));
    GRL_TRY(read_optional(&nt, &has_nt, PATH(NT), false, 0, n, "node", msg));
#undef PATH
    if (has_gl) GRL_TRY(grl_tu_label_codes(&R->graph_class, &R->nclasses, &gl,
                                           "graph label", msg));
    if (has_nl) GRL_TRY(grl_tu_label_codes(&node_codes, &R->node_label_dim, &nl,
                                           "node label", msg));
    if (has_el) GRL_TRY(grl_tu_label_codes(&edge_codes, &R->arc_label_dim, &el,
                                           "edge label", msg));
    R->node_dim = R->node_label_dim + (has_na ? na.cols : 0);
    if (R->node_dim > 0) {
        GRL_ALLOC(R->node_x, float, grl_size_mul((size_t)n, (size_t)R->node_dim));
        fill_features(R->node_x, n, node_codes, R->node_label_dim, &na);
    }
    R->arc_dim = R->arc_label_dim + (has_ea ? ea.cols : 0);
    if (R->arc_dim > 0) { /* then m > 0: an empty file has no columns */
        /* rows in A's order, then gathered into arc order */
        size_t d = (size_t)R->arc_dim;
        GRL_ALLOC(arc_rows, float, grl_size_mul((size_t)m, d));
        GRL_ALLOC(R->arc_x, float, grl_size_mul((size_t)m, d));
        fill_features(arc_rows, m, edge_codes, R->arc_label_dim, &ea);
        for (int64_t k = 0; k < m; k++)
            memcpy(R->arc_x + (size_t)k * d, arc_rows + (size_t)perm[k] * d,
                   sizeof(float) * d);
    }
    if (has_nt && nt.cols > 0) {
        R->node_target_dim = nt.cols;
        R->node_y = nt.x;
        nt.x = NULL;
    }
    *S = R;
    R = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
