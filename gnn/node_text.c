/* node_text.c — line and field splitting for gnn/'s text readers. */
#include "node_text.h"

#include <ctype.h>
#include <errno.h>

int grl_text_open(grl_text *t, const char *path, char *msg)
{
    memset(t, 0, sizeof(*t));
    size_t len;
    int rc = grl_read_file(path, &t->data, &len, msg);
    if (rc < 0) return rc;
    t->pos = t->data;
    t->end = t->data + len;
    t->path = path;
    return 0;
}

void grl_text_close(grl_text *t)
{
    free(t->data);
    t->data = NULL;
}

static inline bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

bool grl_text_next(grl_text *t)
{
    while (t->pos < t->end) {
        char *p = t->pos, *eol = memchr(p, '\n', (size_t)(t->end - p));
        if (eol == NULL) eol = t->end;
        t->pos = eol < t->end ? eol + 1 : t->end;
        t->line++;
        *eol = '\0'; /* the NUL after the data, or the newline */
        while (p < eol && is_blank(*p)) p++;
        if (p == eol || *p == '#' || *p == '%') continue;
        t->nfields = 0;
        t->total_fields = 0;
        t->rest = NULL;
        t->eol = eol;
        if (t->raw) {
            t->field[0] = p;
            t->nfields = 1;
            return true;
        }
        while (p < eol) {
            char *start = p;
            while (p < eol && !is_blank(*p)) p++;
            if (t->nfields < GRL_TEXT_MAX_FIELDS) {
                t->field[t->nfields++] = start;
                if (p < eol) *p++ = '\0';
                if (t->nfields == GRL_TEXT_MAX_FIELDS) t->rest = p;
            }
            t->total_fields++;
            while (p < eol && is_blank(*p)) p++;
        }
        return true;
    }
    return false;
}

int grl_text_node(const grl_text *t, const grl_graph *G, const char *id,
                  int64_t *index, char *msg)
{
    if (grl_graph_node_index(G, id, index, NULL) < 0) {
        grl_set_msg(msg, "%s:%" PRId64 ": node '%.60s' is not in the graph",
                    t->path, t->line, id);
        return GRL_NOT_FOUND;
    }
    return 0;
}

int grl_text_count(const grl_text *t, const char *s, const char *what,
                   int64_t *v, char *msg)
{
    char *stop;
    errno = 0;
    long long x = strtoll(s, &stop, 10);
    if (!isdigit((unsigned char)s[0]) || *stop != '\0' || errno == ERANGE ||
        x < 0 || x >= ((long long)1 << 62)) {
        grl_set_msg(msg, "%s:%" PRId64 ": expected a non-negative integer %s, "
                    "got '%.60s'", t->path, t->line, what, s);
        return GRL_PARSE_ERROR;
    }
    *v = (int64_t)x;
    return 0;
}

