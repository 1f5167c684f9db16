/* dag_output.c — a learned W as CSV (names as header) or Graphviz DOT. */
#include "dag_internal.h"

#include <errno.h>
#include <math.h>

/* Write the name of variable j (names NULL: x<j>). */
static void put_name(FILE *f, char *const *names, int64_t j)
{
    if (names) fputs(names[j], f);
    else fprintf(f, "x%" PRId64, j);
}

/* Open path for writing, or fail naming it. */
static int open_out(FILE **f, const char *path, const double *W, int64_t d,
                    char *msg)
{
#define FREE_ALL
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(path != NULL && W != NULL, "NULL path or W");
    GRL_REQUIRE(d >= 1, "W must have at least one variable, got %" PRId64, d);
    *f = fopen(path, "w");
    if (*f == NULL)
        GRL_FAIL(GRL_IO_ERROR, "%s: cannot write: %s", path, strerror(errno));
    return 0;
#undef FREE_ALL
}

static int close_out(FILE *f, const char *path, char *msg)
{
#define FREE_ALL
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        GRL_FAIL(GRL_IO_ERROR, "%s: write failed: %s", path, strerror(errno));
    return 0;
#undef FREE_ALL
}

/* A header of names, then rows x cols values (%.17g: a reload is exact). */
static int write_table(const char *path, const double *X, int64_t rows,
                       int64_t cols, char *const *names, char *msg)
{
    FILE *f;
    int rc = open_out(&f, path, X, cols, msg);
    if (rc < 0) return rc;
    for (int64_t j = 0; j < cols; j++) {
        if (j) fputc(',', f);
        put_name(f, names, j);
    }
    fputc('\n', f);
    for (int64_t i = 0; i < rows; i++) {
        for (int64_t j = 0; j < cols; j++) {
            double v = X[i * cols + j];
            fprintf(f, j ? ",%.17g" : "%.17g", v == 0 ? 0.0 : v);
        }
        fputc('\n', f);
    }
    return close_out(f, path, msg);
}

int grl_dag_save_csv(const char *path, const double *W, int64_t d,
                     char *const *names, char *msg)
{
    return write_table(path, W, d, d, names, msg);
}

int grl_dag_data_save_csv(const char *path, const grl_dag_data *data, char *msg)
{
    if (data == NULL) {
        grl_set_msg(msg, "grl_dag_data_save_csv: NULL data");
        return GRL_INVALID_ARGUMENT;
    }
    return write_table(path, data->X, data->n, data->d, data->names, msg);
}

/* A DOT identifier: the name quoted, with " and \ escaped. */
static void put_quoted(FILE *f, char *const *names, int64_t j)
{
    fputc('"', f);
    if (names) {
        for (const char *c = names[j]; *c; c++) {
            if (*c == '"' || *c == '\\') fputc('\\', f);
            fputc(*c == '\n' ? ' ' : *c, f);
        }
    } else {
        fprintf(f, "x%" PRId64, j);
    }
    fputc('"', f);
}

int grl_dag_save_dot(const char *path, const double *W, int64_t d,
                     char *const *names, char *msg)
{
    FILE *f;
    int rc = open_out(&f, path, W, d, msg);
    if (rc < 0) return rc;
    fprintf(f, "digraph dag {\n  node [shape=ellipse];\n");
    for (int64_t j = 0; j < d; j++) {
        fputs("  ", f);
        put_quoted(f, names, j);
        fputs(";\n", f);
    }
    for (int64_t i = 0; i < d; i++)
        for (int64_t j = 0; j < d; j++) {
            double w = W[i * d + j];
            if (w == 0 || isnan(w)) continue;
            fputs("  ", f);
            put_quoted(f, names, i);
            fputs(" -> ", f);
            put_quoted(f, names, j);
            fprintf(f, " [label=\"%.3g\"%s];\n", w, w < 0 ? ", style=dashed" : "");
        }
    fputs("}\n", f);
    return close_out(f, path, msg);
}
