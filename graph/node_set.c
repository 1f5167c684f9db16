/* node_set.c — a declared node set: the ids of a node file (one per line)
 * or 0..N-1, so that nodes without edges belong to the graph. */
#define _GNU_SOURCE /* qsort_r */
#include "parse_edges.h"

/* One id of the node file: its token (offset and length) and line, and
 * the integer it spells for integer ids. */
typedef struct {
    int64_t id;
    size_t at, len;
    int64_t line;
} node_entry;

/* Ids in sorted order (integers numerically, strings as strcmp), then by
 * line; the context is the file's text for string ids, NULL otherwise. */
static int compare_entries(const void *a, const void *b, void *text)
{
    const node_entry *x = a, *y = b;
    int c;
    if (text == NULL) {
        c = (x->id > y->id) - (x->id < y->id);
    } else {
        const char *t = text;
        c = memcmp(t + x->at, t + y->at, x->len < y->len ? x->len : y->len);
        if (c == 0) c = (x->len > y->len) - (x->len < y->len);
    }
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static const char *skip_blanks(const char *p, const char *eol)
{
    while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
    return p;
}

/* Parse every id line of text into e (room for one entry per line). */
static int parse_node_file(const char *path, const char *text, size_t len,
                           bool string_ids, node_entry *e, int64_t *count,
                           char *msg)
{
#define FREE_ALL ;
    const char *p = text, *end = text + len;
    int64_t line = 0, n = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL) eol = end;
        line++;
        const char *q = skip_blanks(p, eol);
        p = eol + 1;
        if (q == eol || *q == '#' || *q == '%') continue;
        size_t tok = grl_token_length(q, eol);
        int shown = tok == 0 ? 1 : tok < 40 ? (int)tok : 40;
        if (tok == 0 || (!string_ids && grl_parse_int64(q, eol, &e[n].id) == 0))
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected %s node id, got "
                     "'%.*s'%s", path, line, string_ids ? "a" : "an integer",
                     shown, q, string_ids ? "" : " (for named nodes load with "
                     "string ids, --string-ids)");
        e[n].at = (size_t)(q - text);
        e[n].len = tok;
        e[n].line = line;
        n++;
        const char *rest = skip_blanks(q + tok, eol);
        if (rest < eol)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected one node id "
                     "per line, got more after '%.*s'", path, line, shown, q);
    }
    *count = n;
    return 0;
#undef FREE_ALL
}

/* The earliest line (in file order) that repeats an id of sorted e[], or
 * -1: entries with equal ids are adjacent, in line order. */
static int64_t first_repeat(const node_entry *e, int64_t n, const char *text)
{
    int64_t best = -1;
    for (int64_t k = 1; k < n; k++) {
        bool same = text ? e[k].len == e[k - 1].len &&
                               !memcmp(text + e[k].at, text + e[k - 1].at, e[k].len)
                         : e[k].id == e[k - 1].id;
        if (same && (best < 0 || e[k].line < e[best].line)) best = k;
    }
    return best;
}

/* Fill map from sorted, distinct entries. */
static int fill_map(grl_idmap *map, const node_entry *e, int64_t n,
                    const char *text, char *msg)
{
#define FREE_ALL grl_idmap_clear(map)
    map->n = n;
    if (text == NULL) {
        map->kind = GRL_IDS_INTEGER;
        bool identity = n == 0 || (e[0].id == 0 && e[n - 1].id == n - 1);
        if (identity) return 0; /* distinct ascending ids 0..n-1 */
        GRL_ALLOC(map->ints, int64_t, n);
        for (int64_t k = 0; k < n; k++) map->ints[k] = e[k].id;
        return 0;
    }
    map->kind = GRL_IDS_STRING;
    size_t blob = 0;
    for (int64_t k = 0; k < n; k++) blob = grl_size_add(blob, e[k].len + 1);
    GRL_ALLOC(map->blob, char, blob ? blob : 1);
    GRL_ALLOC(map->names, char *, n);
    map->blob_len = blob;
    size_t pos = 0;
    for (int64_t k = 0; k < n; k++) {
        map->names[k] = memcpy(map->blob + pos, text + e[k].at, e[k].len);
        map->blob[pos + e[k].len] = '\0';
        pos += e[k].len + 1;
    }
    return 0;
#undef FREE_ALL
}

static int map_from_file(grl_idmap *map, const char *path, bool string_ids,
                         char *msg)
{
    char *text = NULL;
    node_entry *e = NULL;
    size_t len = 0;
#define FREE_ALL free(text); free(e)
    GRL_TRY(grl_read_file(path, &text, &len, msg));
    int64_t lines = 1;
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text)));
         p++)
        lines++;
    GRL_ALLOC(e, node_entry, lines);
    int64_t n;
    GRL_TRY(parse_node_file(path, text, len, string_ids, e, &n, msg));
    void *context = string_ids ? text : NULL;
    qsort_r(e, n, sizeof *e, compare_entries, context);
    int64_t k = first_repeat(e, n, context);
    if (k >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": node id '%.*s' is listed "
                 "twice (first on line %" PRId64 ")", path, e[k].line,
                 (int)(e[k].len < 40 ? e[k].len : 40), text + e[k].at,
                 e[k - 1].line);
    GRL_TRY(fill_map(map, e, n, context, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_idmap_declared(grl_idmap *map, bool *declared,
                       const grl_load_options *opt, char *msg)
{
    memset(map, 0, sizeof(*map));
    *declared = opt->nodes_path != NULL || opt->num_nodes > 0;
    if (opt->nodes_path)
        return map_from_file(map, opt->nodes_path, opt->ids == GRL_IDS_STRING,
                             msg);
    map->n = opt->num_nodes; /* identity ids 0..num_nodes-1 */
    return 0;
}
