/* load_text.c — edge lists (whitespace, SNAP, CSV) and Matrix Market. */
#include "parse_edges.h"

#include <ctype.h>
#include <strings.h>

/* Start of the line after the one containing p (or end). */
static const char *next_line(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl + 1 : end;
}

static bool is_data_line(const char *p, const char *end)
{
    while (p < end && grl_is_blank(*p, true)) p++;
    return p < end && *p != '\n' && *p != '#' && *p != '%';
}

/* Count the fields of the line at p. */
static int count_fields(const char *p, const char *end)
{
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    int fields = 0;
    const char *field;
    while (grl_next_field(&p, eol, true, &field) > 0) fields++;
    return fields;
}

/* Ids in u, v (integers, token offsets, or indices in a declared node set)
 * -> dense indices, then the matrix. A declared set moves into the graph. */
static int finish_graph(grl_graph **G, grl_parsed_edges *e, const char *text,
                        grl_idmap *declared, bool string_ids, bool directed,
                        const grl_load_options *opt, char *msg)
{
#define FREE_ALL grl_graph_free(G)
    GRL_TRY(grl_graph_alloc(G, msg));
    (*G)->directed = directed;
    if (declared) {
        (*G)->ids = *declared;
        memset(declared, 0, sizeof(*declared));
    } else if (string_ids) {
        GRL_TRY(grl_idmap_from_tokens(&(*G)->ids, text, e->u, e->v, e->m, msg));
    } else {
        GRL_TRY(grl_idmap_from_ints(&(*G)->ids, e->u, e->v, e->m, msg));
    }
    GRL_TRY(grl_graph_build_matrix(*G, (*G)->ids.n, (GrB_Index *)e->u,
                                   (GrB_Index *)e->v, e->w, e->m, opt, msg));
    return 0;
#undef FREE_ALL
}

static int load_edge_list(grl_graph **G, const char *path, const char *text,
                          size_t len, grl_format format,
                          const grl_load_options *opt, char *msg)
{
    grl_parsed_edges e = {0};
    grl_idmap nodes = {0};
#define FREE_ALL grl_parsed_edges_free(&e); grl_idmap_clear(&nodes)
    bool declared;
    GRL_TRY(grl_idmap_declared(&nodes, &declared, opt, msg));
    char nodes_from[64];
    snprintf(nodes_from, sizeof nodes_from, "num_nodes = %" PRId64 ": ids 0..%" PRId64,
             opt->num_nodes, opt->num_nodes - 1);
    const char *end = text + len, *p = text;
    int64_t line = 1;
    while (p < end && !is_data_line(p, end)) {
        p = next_line(p, end);
        line++;
    }
    bool string_ids = opt->ids == GRL_IDS_STRING;
    bool header = opt->header == 1;
    if (opt->header == -1 && format == GRL_FORMAT_CSV && p < end) {
        /* integer ids: a header is a first line whose first field is not an
         * integer; string ids cannot tell, and CSV files carry headers */
        int64_t ignored;
        const char *q = p;
        while (q < end && grl_is_blank(*q, false)) q++;
        header = string_ids || grl_parse_int64(q, end, &ignored) == 0;
    }
    if (header && p < end) {
        p = next_line(p, end);
        line++;
        while (p < end && !is_data_line(p, end)) {
            p = next_line(p, end);
            line++;
        }
    }
    int fields = p < end ? count_fields(p, end) : 2;
    grl_parse_spec spec = {
        .path = path, .text = text, .len = len, .first_line = 1,
        .weighted = fields >= 3 && !opt->ignore_weights,
        .string_ids = string_ids,
        .allow_nonpositive = opt->allow_nonpositive_weights,
        .nodes = declared ? &nodes : NULL,
        .nodes_from = opt->nodes_path ? opt->nodes_path : nodes_from,
    };
    /* parse from the first data line on, so a header is never parsed */
    spec.text = p;
    spec.len = (size_t)(end - p);
    spec.first_line = line;
    GRL_TRY(grl_parse_edges(&spec, &e, msg));
    /* string ids are offsets relative to spec.text */
    bool directed = opt->directed == 1;
    GRL_TRY(finish_graph(G, &e, p, declared ? &nodes : NULL, string_ids,
                         directed, opt, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The Matrix Market size line: three whole integers, nothing else. */
static bool parse_size_line(const char *p, const char *end, int64_t *rows,
                            int64_t *cols, int64_t *nnz)
{
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    int64_t *field[3] = {rows, cols, nnz};
    for (int i = 0; i < 3; i++) {
        while (p < eol && grl_is_separator(*p)) p++;
        size_t used = grl_parse_int64(p, eol, field[i]);
        if (used == 0) return false;
        p += used;
    }
    while (p < eol && grl_is_separator(*p)) p++;
    return p == eol;
}

static int load_matrix_market(grl_graph **G, const char *path,
                              const char *text, size_t len,
                              const grl_load_options *opt, char *msg)
{
    grl_parsed_edges e = {0};
#define FREE_ALL grl_parsed_edges_free(&e); grl_graph_free(G)
    const char *end = text + len;
    char object[32] = "", layout[32] = "", field[32] = "", symmetry[32] = "";
    if (len == 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s:1: empty file; a Matrix Market file "
                 "starts with a %%%%MatrixMarket banner", path);
    if (sscanf(text, "%%%%MatrixMarket %31s %31s %31s %31s", object, layout,
               field, symmetry) != 4)
        GRL_FAIL(GRL_PARSE_ERROR, "%s:1: expected '%%%%MatrixMarket matrix "
                 "coordinate <field> <symmetry>'", path);
    if (strcasecmp(object, "matrix") || strcasecmp(layout, "coordinate"))
        GRL_FAIL(GRL_UNSUPPORTED, "%s:1: only 'matrix coordinate' Matrix "
                 "Market files hold graphs, not '%s %s'", path, object, layout);
    bool pattern = !strcasecmp(field, "pattern");
    if (!pattern && strcasecmp(field, "real") && strcasecmp(field, "integer"))
        GRL_FAIL(GRL_UNSUPPORTED, "%s:1: field '%s' is not supported (pattern, "
                 "real or integer)", path, field);
    bool symmetric = !strcasecmp(symmetry, "symmetric");
    if (!symmetric && strcasecmp(symmetry, "general"))
        GRL_FAIL(GRL_UNSUPPORTED, "%s:1: symmetry '%s' is not supported "
                 "(general or symmetric)", path, symmetry);
    const char *p = next_line(text, end);
    int64_t line = 2;
    while (p < end && !is_data_line(p, end)) {
        p = next_line(p, end);
        line++;
    }
    int64_t rows, cols, nnz;
    if (p >= end || !parse_size_line(p, end, &rows, &cols, &nnz))
        GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected the size line "
                 "'rows cols entries' (three integers)", path, line);
    if (rows != cols || rows < 0 || nnz < 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": a graph needs a square "
                 "matrix, got %" PRId64 " x %" PRId64, path, line, rows, cols);
    if (rows > GRL_MAX_NODES)
        GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": %" PRId64 " rows is more "
                 "than grl holds (at most 2^60 nodes, GraphBLAS's limit)",
                 path, line, rows);
    p = next_line(p, end);
    line++;
    grl_parse_spec spec = {
        .path = path, .text = p, .len = (size_t)(end - p), .first_line = line,
        .weighted = !pattern && !opt->ignore_weights,
        .allow_nonpositive = opt->allow_nonpositive_weights,
        .max_index = rows,
    };
    GRL_TRY(grl_parse_edges(&spec, &e, msg));
    if (rows == 0 && e.m > 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: entries in a 0 x 0 matrix", path);
    if (e.m != nnz)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: %s: the size line declares %" PRId64 " "
                 "entries, the file has %" PRId64, path,
                 e.m < nnz ? "truncated file" : "too many entries", nnz, e.m);
    /* nodes are the indices 1..rows, isolated ones included */
    GRL_TRY(grl_graph_alloc(G, msg));
    (*G)->directed = opt->directed == -1 ? !symmetric : opt->directed == 1;
    (*G)->ids.n = rows;
    GRL_ALLOC((*G)->ids.ints, int64_t, rows);
    for (int64_t i = 0; i < rows; i++) (*G)->ids.ints[i] = i + 1;
    for (int64_t k = 0; k < e.m; k++) {
        e.u[k]--;
        e.v[k]--;
    }
    if (symmetric && (*G)->directed) {
        /* a symmetric file stores one triangle: a directed reading gets
         * both arcs of every off-diagonal entry */
        GRL_TRY(grl_graph_build_matrix(*G, rows, (GrB_Index *)e.u,
                                       (GrB_Index *)e.v, e.w, e.m, opt, msg));
        GrB_Matrix A = (*G)->A;
        GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(A, NULL, NULL, GrB_MAX_FP64, A,
                                             A, GrB_DESC_T1));
    } else {
        GRL_TRY(grl_graph_build_matrix(*G, rows, (GrB_Index *)e.u,
                                       (GrB_Index *)e.v, e.w, e.m, opt, msg));
    }
    grl_parsed_edges_free(&e);
    return 0;
#undef FREE_ALL
}

int grl_load_text(grl_graph **G, const char *path, grl_format format,
                  const grl_load_options *opt, char *msg)
{
    char *text = NULL;
    size_t len = 0;
#define FREE_ALL free(text)
    GRL_TRY(grl_read_file(path, &text, &len, msg));
    if (format == GRL_FORMAT_MATRIX_MARKET)
        GRL_TRY(load_matrix_market(G, path, text, len, opt, msg));
    else
        GRL_TRY(load_edge_list(G, path, text, len, format, opt, msg));
    free(text);
    return 0;
#undef FREE_ALL
}
