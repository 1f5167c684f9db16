/* dag_data.c — the data matrix of the DAG learners: a text table (CSV,
 * TSV or whitespace, optional header of names) or a .npy file, checked
 * value by value so every error names the file and line. */
#include "dag_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>

void grl_dag_data_free(grl_dag_data **data)
{
    if (data == NULL || *data == NULL) return;
    grl_dag_data *D = *data;
    if (D->names) {
        for (int64_t j = 0; j < D->d; j++) free(D->names[j]);
        free(D->names);
    }
    free(D->X);
    free(D);
    *data = NULL;
}

/* A new record of n x d (X uninitialised) with names x0..x{d-1}. */
static int data_new(grl_dag_data **out, int64_t n, int64_t d, char *msg)
{
    grl_dag_data *D = NULL;
#define FREE_ALL grl_dag_data_free(&D)
    GRL_REQUIRE(n >= 1 && d >= 1, "a data matrix needs at least one row and "
                "one column (got %" PRId64 " x %" PRId64 ")", n, d);
    GRL_CALLOC(D, grl_dag_data, 1);
    D->n = n;
    D->d = d;
    GRL_ALLOC(D->X, double, grl_size_mul((size_t)n, (size_t)d));
    GRL_CALLOC(D->names, char *, (size_t)d);
    for (int64_t j = 0; j < d; j++) {
        char name[32];
        snprintf(name, sizeof name, "x%" PRId64, j);
        if ((D->names[j] = strdup(name)) == NULL)
            GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory naming variables");
    }
    *out = D;
    return 0;
#undef FREE_ALL
}

int grl_dag_data_from_array(grl_dag_data **data, const double *X, int64_t n,
                            int64_t d, char *msg)
{
    grl_dag_data *D = NULL;
#define FREE_ALL grl_dag_data_free(&D)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(data != NULL && X != NULL, "grl_dag_data_from_array: NULL argument");
    *data = NULL;
    GRL_TRY(data_new(&D, n, d, msg));
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < d; j++) {
            double v = X[i * d + j];
            if (!isfinite(v))
                GRL_FAIL(GRL_INVALID_ARGUMENT, "data row %" PRId64 ", column %"
                         PRId64 " is %g; every value must be finite", i, j, v);
            D->X[i * d + j] = v;
        }
    *data = D;
    return 0;
#undef FREE_ALL
}

/* Split line (NUL-terminated, modified) into fields at sep (0 = runs of
 * whitespace), trimming spaces; at most cap fields stored, the count
 * returned (-1 for an empty field between separators). */
static int64_t split_fields(char *line, char sep, char **field, int64_t cap)
{
    int64_t count = 0;
    char *p = line;
    for (;;) {
        if (sep == 0) {
            while (*p && isspace((unsigned char)*p)) p++;
            if (*p == '\0') break;
            char *start = p;
            while (*p && !isspace((unsigned char)*p)) p++;
            if (count < cap) field[count] = start;
            count++;
            if (*p == '\0') break;
            *p++ = '\0';
        } else {
            char *end = strchr(p, sep);
            if (end) *end = '\0';
            while (*p && isspace((unsigned char)*p)) p++;
            char *t = p + strlen(p);
            while (t > p && isspace((unsigned char)t[-1])) *--t = '\0';
            if (*p == '\0') return -1;
            if (count < cap) field[count] = p;
            count++;
            if (end == NULL) break;
            p = end + 1;
        }
    }
    return count;
}

/* strtod over the whole field; false if it is not a number. */
static bool parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0';
}

static int load_npy(grl_dag_data **out, const char *path, char *msg)
{
    grl_dense *E = NULL;
    grl_dag_data *D = NULL;
#define FREE_ALL grl_dense_free(&E); grl_dag_data_free(&D)
    GRL_TRY(grl_dense_load_npy(&E, path, msg));
    GRL_TRY(data_new(&D, E->rows, E->cols, msg));
    size_t count = grl_size_mul((size_t)E->rows, (size_t)E->cols);
    for (size_t k = 0; k < count; k++) {
        if (!isfinite(E->data[k]))
            GRL_FAIL(GRL_PARSE_ERROR, "%s: row %zu, column %zu is %g; every "
                     "value must be finite", path, k / (size_t)E->cols,
                     k % (size_t)E->cols, (double)E->data[k]);
        D->X[k] = E->data[k];
    }
    grl_dense_free(&E);
    *out = D;
    return 0;
#undef FREE_ALL
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int grl_dag_data_load(grl_dag_data **data, const char *path, char *msg)
{
    char *text = NULL, **field = NULL, **header = NULL;
    double *X = NULL;
    grl_dag_data *D = NULL;
#define FREE_ALL free(text); free(field); free(header); free(X); grl_dag_data_free(&D)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(data != NULL && path != NULL, "grl_dag_data_load: NULL argument");
    *data = NULL;
    if (ends_with(path, ".npy")) return load_npy(data, path, msg);
    size_t len;
    GRL_TRY(grl_read_file(path, &text, &len, msg));
    if (strlen(text) != len)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: a NUL byte in a text file", path);

    char sep = 0;
    int64_t d = -1, rows = 0, line_no = 0, cap_rows = 0, header_line = 0;
    for (char *line = text, *next; line != NULL; line = next) {
        line_no++;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r') line[l - 1] = '\0';
        const char *q = line;
        while (*q && isspace((unsigned char)*q)) q++;
        if (*q == '\0' || *q == '#') continue;
        if (d < 0) { /* the first line fixes the separator and the width */
            sep = strchr(line, ',') ? ',' : strchr(line, '\t') ? '\t' : 0;
            char *copy = strdup(line);
            if (copy == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory");
            int64_t c = split_fields(copy, sep, NULL, 0);
            free(copy);
            if (c < 0)
                GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": an empty field", path,
                         line_no);
            d = c;
            GRL_ALLOC(field, char *, (size_t)d);
        }
        int64_t c = split_fields(line, sep, field, d);
        if (c < 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": an empty field", path,
                     line_no);
        if (c != d)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": %" PRId64 " fields, but "
                     "the first line has %" PRId64 " (a ragged row)", path,
                     line_no, c, d);
        bool numeric = true;
        double v;
        for (int64_t j = 0; j < d && numeric; j++)
            numeric = parse_number(field[j], &v);
        if (!numeric && rows == 0 && header == NULL) {
            GRL_ALLOC(header, char *, (size_t)d); /* names point into text */
            memcpy(header, field, (size_t)d * sizeof *field);
            header_line = line_no;
            continue;
        }
        if (rows == cap_rows) {
            cap_rows = cap_rows ? 2 * cap_rows : 64;
            size_t bytes = grl_size_mul(grl_size_mul((size_t)cap_rows, (size_t)d),
                                        sizeof(double));
            double *grown = bytes == SIZE_MAX ? NULL : grl_realloc(X, bytes);
            if (grown == NULL)
                GRL_FAIL(GRL_OUT_OF_MEMORY, "%s: out of memory at line %" PRId64,
                         path, line_no);
            X = grown;
        }
        for (int64_t j = 0; j < d; j++) {
            if (!parse_number(field[j], &v))
                GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": field %" PRId64
                         " '%.40s' is not a number", path, line_no, j + 1,
                         field[j]);
            if (!isfinite(v))
                GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": field %" PRId64
                         " is '%.40s'; every value must be finite", path,
                         line_no, j + 1, field[j]);
            X[rows * d + j] = v;
        }
        rows++;
    }
    if (rows == 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: no data rows", path);
    GRL_TRY(data_new(&D, rows, d, msg));
    memcpy(D->X, X, (size_t)rows * (size_t)d * sizeof(double));
    if (header) {
        for (int64_t j = 0; j < d; j++) {
            for (int64_t k = 0; k < j; k++)
                if (strcmp(header[j], header[k]) == 0)
                    GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": variable name "
                             "'%.40s' repeated", path, header_line, header[j]);
            char *name = strdup(header[j]);
            if (name == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory");
            free(D->names[j]);
            D->names[j] = name;
        }
    }
    *data = D;
    D = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
