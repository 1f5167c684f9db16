/* features.c — node-property features for FastRP from `node feature value`
 * lines. */
#include "embed_internal.h"
#include "text.h"

#include <math.h>

/* The next blank- or comma-separated field of [*p, eol), terminated in
 * place (whole, however long), or NULL at the end of the line. */
static char *next_field(char **p, char *eol)
{
    const char *q = *p, *field;
    size_t len = grl_next_field(&q, eol, true, &field);
    if (len == 0) return NULL;
    char *start = *p + (field - *p);
    *p = q < eol ? start + len + 1 : eol;
    start[len] = '\0';
    return start;
}

/* Fields left on the line from p. */
static int64_t count_fields(char *p, char *eol)
{
    int64_t k = 0;
    while (next_field(&p, eol)) k++;
    return k;
}

int grl_features_load(GrB_Matrix *F, grl_graph *G, const char *path,
                      char *msg)
{
    grl_msg_clear(msg);
    char *text = NULL;
    GrB_Index *rows = NULL, *cols = NULL;
    double *vals = NULL;
#define FREE_ALL free(text); free(rows); free(cols); free(vals)
    GRL_REQUIRE(F != NULL && G != NULL && path != NULL,
                "grl_features_load: NULL argument");
    *F = NULL;
    size_t len;
    GRL_TRY(grl_read_file(path, &text, &len, msg));
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    GRL_ALLOC(rows, GrB_Index, lines);
    GRL_ALLOC(cols, GrB_Index, lines);
    GRL_ALLOC(vals, double, lines);
    GrB_Index m = 0, f = 0;
    char *p = text, *end = text + len;
    for (int64_t line = 1; p < end; line++) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL) eol = end;
        char *q = p, *node, *feature, *value;
        p = eol + 1;
        if ((node = next_field(&q, eol)) == NULL || node[0] == '#' || node[0] == '%')
            continue;
        feature = next_field(&q, eol);
        value = feature ? next_field(&q, eol) : NULL;
        int64_t fields = 1 + (feature != NULL) + (value != NULL) +
                         (value ? count_fields(q, eol) : 0);
        if (fields >= 5) /* a row of a dense matrix */
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": %" PRId64 " fields: this "
                     "looks like a dense matrix (one row per node), which is not "
                     "supported; write `node feature value` lines", path, line,
                     fields);
        if (fields != 3)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected `node feature "
                     "value`, got %" PRId64 " field%s", path, line, fields,
                     fields == 1 ? "" : "s");
        int64_t index;
        if (grl_graph_node_index(G, node, &index, NULL) < 0)
            GRL_FAIL(GRL_NOT_FOUND, "%s:%" PRId64 ": node '%.100s' is not in "
                     "the graph", path, line, node);
        char *stop;
        int64_t j;
        if (!grl_parse_i64_whole(feature, strlen(feature), &j) || j < 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected a non-negative "
                     "integer feature id, got '%.60s'", path, line, feature);
        if (j >= GRL_MAX_NODES) /* the matrix would have more columns */
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": feature id %" PRId64
                     " is beyond GraphBLAS's dimension limit 2^60", path, line,
                     j);
        double x = strtod(value, &stop);
        if (*stop != '\0' || !isfinite(x))
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected a finite "
                     "feature value, got '%.60s'", path, line, value);
        rows[m] = (GrB_Index)index;
        cols[m] = (GrB_Index)j;
        vals[m++] = x;
        if ((GrB_Index)j + 1 > f) f = (GrB_Index)j + 1;
    }
    GRB_TRY(GrB_Matrix_new(F, GrB_FP64, grl_graph_num_nodes(G), f));
    GrB_Info info = GrB_Matrix_build_FP64(*F, rows, cols, vals, m, GrB_PLUS_FP64);
    /* repeated pairs were added: finite values can sum to Inf */
    GrB_Index nv = m;
    if (info == GrB_SUCCESS)
        info = GrB_Matrix_extractTuples_FP64(NULL, NULL, vals, &nv, *F);
    if (info < 0) GrB_Matrix_free(F);
    GRB_CHECK(info, "GrB_Matrix_build_FP64 (features)");
    for (GrB_Index k = 0; k < nv; k++)
        if (!isfinite(vals[k])) {
            GrB_Matrix_free(F);
            GRL_FAIL(GRL_PARSE_ERROR, "%s: repeated (node, feature) pairs "
                     "add up to %g; scale the feature values down", path,
                     vals[k]);
        }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
