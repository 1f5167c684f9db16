/* parse_edges.c — parallel edge-line parser (the loaders' hot path). */
#include "parse_edges.h"

#include <math.h>
#include <omp.h>

size_t grl_parse_int64(const char *s, const char *end, int64_t *value)
{
    int64_t v;
    size_t used = grl_parse_i64(s, end, &v);
    if (used == 0 || (s + used < end && !grl_is_separator(s[used]))) return 0;
    *value = v;
    return used;
}

/* A chunk's outcome: edges written, lines seen, and the first error. */
typedef struct {
    const char *begin, *end;
    int64_t slot;          /* first output slot (= lines before the chunk)  */
    int64_t lines;
    int64_t m;
    int64_t error_line;    /* 1-based within the chunk, 0 = none            */
    char error[GRL_MSG_LEN];
} chunk_state;

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && grl_is_blank(*p, true)) p++;
    return p;
}

/* Describe the token at p for an error message. */
static void quote_token(char *buf, size_t size, const char *p, const char *end)
{
    size_t len = grl_token_length(p, end);
    if (len > 40) len = 40;
    snprintf(buf, size, "'%.*s'", (int)len, p);
}

/* Parse one id field at *pp into *id; 0 on success. */
static int parse_id(const grl_parse_spec *spec, const char **pp,
                    const char *eol, int64_t *id, const char *which,
                    char *error)
{
    const char *p = *pp;
    char tok[64];
    if (p >= eol) {
        snprintf(error, GRL_MSG_LEN, "expected two node ids, got %s",
                 which[0] == 's' ? "none" : "only one field");
        return -1;
    }
    size_t used = grl_token_length(p, eol);
    if (spec->string_ids) {
        *id = spec->nodes ? grl_idmap_find_token(spec->nodes, p, used)
                          : p - spec->text;
    } else {
        if (grl_parse_int64(p, eol, id) == 0) {
            quote_token(tok, sizeof tok, p, eol);
            snprintf(error, GRL_MSG_LEN, "expected an integer %s node id, got "
                     "%s (for named nodes load with string ids, --string-ids)",
                     which, tok);
            return -1;
        }
        if (spec->max_index > 0 && (*id < 1 || *id > spec->max_index)) {
            snprintf(error, GRL_MSG_LEN, "%s index %" PRId64 " is outside "
                     "1..%" PRId64 " declared in the size line", which, *id,
                     spec->max_index);
            return -1;
        }
        if (spec->nodes) *id = grl_idmap_find_int(spec->nodes, *id);
    }
    if (spec->nodes && *id < 0) {
        quote_token(tok, sizeof tok, p, eol);
        snprintf(error, GRL_MSG_LEN, "%s node %s is not in the declared node "
                 "set (%s)", which, tok, spec->nodes_from);
        return -1;
    }
    *pp = p + used;
    return 0;
}

static int parse_weight(const grl_parse_spec *spec, const char **pp,
                        const char *eol, double *w, char *error)
{
    const char *p = *pp;
    char tok[64];
    if (p >= eol) {
        snprintf(error, GRL_MSG_LEN, "expected a weight in the third field "
                 "(the first edge line has one)");
        return -1;
    }
    char *stop;
    /* strtod stops at the separator; the field must be consumed whole. */
    *w = strtod(p, &stop);
    if (stop == p || (stop < eol && !grl_is_separator(*stop))) {
        quote_token(tok, sizeof tok, p, eol);
        snprintf(error, GRL_MSG_LEN, "expected a numeric weight, got %s", tok);
        return -1;
    }
    if (!isfinite(*w) || (!spec->allow_nonpositive && *w <= 0)) {
        quote_token(tok, sizeof tok, p, eol);
        snprintf(error, GRL_MSG_LEN, "weight %s is not %s", tok,
                 isfinite(*w) ? "positive (to keep it, allow non-positive weights: "
                                "--allow-nonpositive-weights)"
                              : "a finite number");
        return -1;
    }
    *pp = stop;
    return 0;
}

static void parse_chunk(const grl_parse_spec *spec, chunk_state *c,
                        grl_parsed_edges *out)
{
    const char *p = c->begin;
    int64_t k = c->slot;
    while (p < c->end) {
        const char *eol = memchr(p, '\n', (size_t)(c->end - p));
        if (eol == NULL) eol = c->end;
        c->lines++;
        const char *q = skip_blanks(p, eol);
        if (q < eol && *q != '#' && *q != '%') {
            int64_t u, v;
            int bad = parse_id(spec, &q, eol, &u, "source", c->error);
            if (!bad) {
                q = skip_blanks(q, eol);
                bad = parse_id(spec, &q, eol, &v, "target", c->error);
            }
            if (!bad && spec->weighted) {
                q = skip_blanks(q, eol);
                bad = parse_weight(spec, &q, eol, &out->w[k], c->error);
            }
            if (bad) {
                c->error_line = c->lines;
                return;
            }
            out->u[k] = u;
            out->v[k] = v;
            k++;
        }
        p = eol + 1;
    }
    c->m = k - c->slot;
}

void grl_parsed_edges_free(grl_parsed_edges *e)
{
    free(e->u);
    free(e->v);
    free(e->w);
    memset(e, 0, sizeof(*e));
}

int grl_parse_edges(const grl_parse_spec *spec, grl_parsed_edges *out,
                    char *msg)
{
    chunk_state *chunks = NULL;
#define FREE_ALL free(chunks); grl_parsed_edges_free(out)
    memset(out, 0, sizeof(*out));
    const char *text = spec->text, *end = spec->text + spec->len;
    /* a few chunks per thread balance uneven lines; small files use one */
    int nthreads = omp_get_max_threads();
    int nchunks = spec->len < (1 << 20) ? 1 : 4 * nthreads;
    GRL_CALLOC(chunks, chunk_state, nchunks);
    const char *p = text;
    for (int c = 0; c < nchunks; c++) {
        const char *stop = c == nchunks - 1 ? end
                                            : text + spec->len / nchunks * (c + 1);
        if (stop < p) stop = p;
        const char *nl = stop < end ? memchr(stop, '\n', (size_t)(end - stop))
                                    : NULL;
        chunks[c].begin = p;
        chunks[c].end = (c == nchunks - 1 || nl == NULL) ? end : nl + 1;
        p = chunks[c].end;
    }
    /* one output slot per line: count lines per chunk, then prefix-sum */
    int64_t slots = 0;
    for (int c = 0; c < nchunks; c++) {
        int64_t lines = 0;
        for (const char *q = chunks[c].begin; q < chunks[c].end; q++) {
            q = memchr(q, '\n', (size_t)(chunks[c].end - q));
            if (q == NULL) { lines++; break; }
            lines++;
        }
        chunks[c].slot = slots;
        slots += lines;
    }
    GRL_ALLOC(out->u, int64_t, slots);
    GRL_ALLOC(out->v, int64_t, slots);
    if (spec->weighted) GRL_ALLOC(out->w, double, slots);
#pragma omp parallel for schedule(dynamic, 1)
    for (int c = 0; c < nchunks; c++) parse_chunk(spec, &chunks[c], out);
    int64_t line = spec->first_line;
    for (int c = 0; c < nchunks; c++) {
        if (chunks[c].error_line)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": %s", spec->path,
                     line + chunks[c].error_line - 1, chunks[c].error);
        line += chunks[c].lines;
    }
    int64_t m = 0;
    for (int c = 0; c < nchunks; c++) {
        int64_t s = chunks[c].slot, cm = chunks[c].m;
        if (s != m) {
            memmove(out->u + m, out->u + s, cm * sizeof(int64_t));
            memmove(out->v + m, out->v + s, cm * sizeof(int64_t));
            if (out->w) memmove(out->w + m, out->w + s, cm * sizeof(double));
        }
        m += cm;
    }
    out->m = m;
    free(chunks);
    return 0;
#undef FREE_ALL
}
