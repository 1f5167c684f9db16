/* tu_table.c — reading one comma-separated TU file into a table, and TU
 * labels into class codes. */
#include "tu_table.h"

#include <errno.h>
#include <math.h>

#include "text.h"

void grl_tu_table_release(grl_tu_table *T)
{
    free(T->line);
    free(T->i);
    free(T->x);
    memset(T, 0, sizeof(*T));
}

/* Trim blanks around [*s, *e) in place. */
static void trim(char **s, char **e)
{
    while (*s < *e && grl_is_blank(**s, false)) (*s)++;
    while (*e > *s && grl_is_blank((*e)[-1], false)) (*e)--;
}

/* Append a value to a growing array of `size` elements (capacity *cap). */
static int grow(void **a, int64_t *cap, int64_t need, size_t size, char *msg)
{
#define FREE_ALL ;
    if (need <= *cap) return 0;
    int64_t c = *cap > 0 ? *cap : 64;
    while (c < need) c = c > INT64_MAX / 2 ? need : 2 * c;
    size_t bytes = grl_size_mul((size_t)c, size);
    void *p = bytes == SIZE_MAX ? NULL : grl_realloc(*a, bytes);
    if (p == NULL)
        GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory reading a table of %" PRId64
                 " values", need);
    *a = p;
    *cap = c;
    return 0;
#undef FREE_ALL
}

/* Parse one field [s, e) (NUL at *e is allowed to be written) into the
 * table's value slot k. */
static int parse_field(grl_tu_table *T, bool integers, char *s, char *e,
                       int64_t k, int64_t line, int64_t col, char *msg)
{
#define FREE_ALL ;
    trim(&s, &e);
    if (s == e)
        GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": field %" PRId64 " is empty",
                 T->path, line, col + 1);
    if (integers) {
        if (!grl_parse_i64_whole(s, (size_t)(e - s), &T->i[k]))
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected an integer in "
                     "field %" PRId64 ", got '%.*s'", T->path, line, col + 1,
                     (int)(e - s > 40 ? 40 : e - s), s);
        return 0;
    }
    *e = '\0';
    char *stop;
    errno = 0;
    double v = strtod(s, &stop);
    if (stop != e || stop == s)
        GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected a number in field %"
                 PRId64 ", got '%.40s'", T->path, line, col + 1, s);
    if (!isfinite((float)v)) /* rounds to nearest: FLT_MAX's 9 digits pass */
        GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": field %" PRId64 " is '%.40s', "
                 "not a finite number that fits float32", T->path, line, col + 1, s);
    T->x[k] = (float)v;
    return 0;
#undef FREE_ALL
}

int grl_tu_table_read(grl_tu_table *T, const char *path, bool integers,
                      int64_t cols, char *msg)
{
    char *data = NULL;
#define FREE_ALL free(data); grl_tu_table_release(T)
    memset(T, 0, sizeof(*T));
    T->path = path;
    size_t len;
    GRL_TRY(grl_read_file(path, &data, &len, msg));
    int64_t line_cap = 0, value_cap = 0, line = 0, k = 0;
    char *p = data, *end = data + len;
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL) eol = end;
        char *s = p, *e = eol;
        p = eol < end ? eol + 1 : end;
        line++;
        trim(&s, &e);
        if (s == e) continue;
        /* count the fields first: a ragged row fails before it is stored */
        int64_t nf = 1;
        for (char *q = s; q < e; q++) nf += *q == ',';
        if (cols == 0) cols = nf;
        if (nf != cols)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": %" PRId64 " field%s, but %s "
                     "%" PRId64, path, line, nf, nf == 1 ? "" : "s",
                     T->rows == 0 ? "this file needs" : "earlier rows have", cols);
        GRL_TRY(grow((void **)&T->line, &line_cap, T->rows + 1, sizeof(int64_t), msg));
        if (integers)
            GRL_TRY(grow((void **)&T->i, &value_cap, k + nf, sizeof(int64_t), msg));
        else
            GRL_TRY(grow((void **)&T->x, &value_cap, k + nf, sizeof(float), msg));
        T->line[T->rows++] = line;
        for (int64_t c = 0; c < nf; c++) {
            char *comma = memchr(s, ',', (size_t)(e - s));
            char *fe = comma != NULL ? comma : e;
            GRL_TRY(parse_field(T, integers, s, fe, k++, line, c, msg));
            s = fe + 1;
        }
    }
    T->cols = cols;
    free(data);
    return 0;
#undef FREE_ALL
}

int grl_tu_label_codes(int64_t **codes, int64_t *k, const grl_tu_table *T,
                       const char *what, char *msg)
{
    int64_t *used = NULL;
#define FREE_ALL free(used); free(*codes); *codes = NULL
    *codes = NULL;
    int64_t n = T->rows, lo = INT64_MAX, hi = INT64_MIN;
    for (int64_t r = 0; r < n; r++) {
        lo = T->i[r] < lo ? T->i[r] : lo;
        hi = T->i[r] > hi ? T->i[r] : hi;
    }
    GRL_ALLOC(*codes, int64_t, n);
    if (n == 0) {
        *k = 0;
        return 0;
    }
    bool plus_minus = lo == -1 && hi == 1;
    for (int64_t r = 0; plus_minus && r < n; r++) plus_minus = T->i[r] != 0;
    if (plus_minus) {
        for (int64_t r = 0; r < n; r++) (*codes)[r] = T->i[r] > 0;
        *k = 2;
        free(used);
        return 0;
    }
    /* consecutive values: the range is at most n wide and every value used */
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span >= (uint64_t)n)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: %s values run from %" PRId64 " to %" PRId64
                 " over %" PRId64 " rows, so some are missing: labels must be "
                 "consecutive integers (or -1 and 1)", T->path, what, lo, hi, n);
    GRL_CALLOC(used, int64_t, span + 1);
    for (int64_t r = 0; r < n; r++) used[(*codes)[r] = T->i[r] - lo]++;
    for (uint64_t c = 0; c <= span; c++)
        if (used[c] == 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: no row has %s %" PRId64 " between %"
                     PRId64 " and %" PRId64 ": labels must be consecutive "
                     "integers (or -1 and 1)", T->path, what, lo + (int64_t)c, lo, hi);
    *k = (int64_t)span + 1;
    free(used);
    return 0;
#undef FREE_ALL
}
