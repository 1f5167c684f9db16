/* graph_set_save.c — a graph set written in the TU Dortmund text layout,
 * so that grl_graph_set_load reads the same set back. */
#include "grl_internal.h"
#include "grl/gnn.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>

/* Whether the first k columns of rows x d values are one-hot with every
 * column used by some row (then they are written as labels). */
static bool one_hot(const float *x, int64_t rows, int64_t d, int64_t k)
{
    if (k == 0 || rows == 0) return false;
    bool *used = calloc((size_t)k, sizeof(bool));
    if (used == NULL) return false;
    bool ok = true;
    for (int64_t r = 0; r < rows && ok; r++) {
        int64_t ones = 0, hot = 0;
        for (int64_t c = 0; c < k; c++) {
            float v = x[r * d + c];
            ok = ok && (v == 0.0f || v == 1.0f);
            if (v == 1.0f) ones++, hot = c;
        }
        ok = ok && ones == 1;
        if (ok) used[hot] = true;
    }
    for (int64_t c = 0; c < k && ok; c++) ok = used[c];
    free(used);
    return ok;
}

typedef struct {
    char path[PATH_MAX];
    FILE *f;
} out_file;

static int out_path(out_file *o, const char *dir, const char *name,
                    const char *suffix, char *msg)
{
#define FREE_ALL ;
    int len = snprintf(o->path, sizeof o->path, "%s/%s_%s.txt", dir, name, suffix);
    GRL_REQUIRE(len > 0 && len < (int)sizeof o->path,
                "the path %s/%s_%s.txt is too long", dir, name, suffix);
    return 0;
#undef FREE_ALL
}

static int open_out(out_file *o, const char *dir, const char *name,
                    const char *suffix, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(out_path(o, dir, name, suffix, msg));
    o->f = fopen(o->path, "w");
    if (o->f == NULL)
        GRL_FAIL(GRL_IO_ERROR, "%s: cannot open for writing: %s", o->path,
                 strerror(errno));
    return 0;
#undef FREE_ALL
}

static int close_out(out_file *o, char *msg)
{
#define FREE_ALL ;
    bool bad = ferror(o->f) != 0;
    bad = fclose(o->f) != 0 || bad;
    o->f = NULL;
    if (bad) GRL_FAIL(GRL_IO_ERROR, "%s: write failed (disk full?)", o->path);
    return 0;
#undef FREE_ALL
}

/* Rows of columns [from, d) of x as comma-separated floats, with 9
 * significant digits (enough to give a float32 back exactly). */
static int write_floats(const char *dir, const char *name, const char *suffix,
                        const float *x, int64_t rows, int64_t d, int64_t from,
                        char *msg)
{
    out_file o = {0};
#define FREE_ALL if (o.f) fclose(o.f)
    GRL_TRY(open_out(&o, dir, name, suffix, msg));
    for (int64_t r = 0; r < rows; r++) {
        const float *row = x + r * d;
        for (int64_t c = from; c < d; c++)
            fprintf(o.f, c > from ? ", %.9g" : "%.9g", (double)row[c]);
        fputc('\n', o.f);
    }
    GRL_TRY(close_out(&o, msg));
    return 0;
#undef FREE_ALL
}

/* The label (position of the 1) of each row's first k columns, 1-based. */
static int write_labels(const char *dir, const char *name, const char *suffix,
                        const float *x, int64_t rows, int64_t d, int64_t k,
                        char *msg)
{
    out_file o = {0};
#define FREE_ALL if (o.f) fclose(o.f)
    GRL_TRY(open_out(&o, dir, name, suffix, msg));
    for (int64_t r = 0; r < rows; r++) {
        int64_t c = 0;
        while (x[r * d + c] != 1.0f) c++;
        fprintf(o.f, "%" PRId64 "\n", c + 1);
    }
    GRL_TRY(close_out(&o, msg));
    return 0;
#undef FREE_ALL
}

/* Node or arc features: labels and attributes. */
static int write_features(const char *dir, const char *name, const char *labels,
                          const char *attributes, const float *x, int64_t rows,
                          int64_t d, int64_t k, char *msg)
{
#define FREE_ALL ;
    if (d == 0) return 0;
    if (!one_hot(x, rows, d, k)) k = 0;
    if (k > 0) GRL_TRY(write_labels(dir, name, labels, x, rows, d, k, msg));
    if (k < d) GRL_TRY(write_floats(dir, name, attributes, x, rows, d, k, msg));
    return 0;
#undef FREE_ALL
}

/* Loading maps the classes present to 0..k-1, so an unused class would
 * shift the others: refuse it. */
static int check_classes_used(const grl_graph_set *S, char *msg)
{
    int64_t *count = NULL;
#define FREE_ALL free(count)
    if (S->nclasses == 0) return 0;
    GRL_CALLOC(count, int64_t, S->nclasses);
    for (int64_t g = 0; g < S->ngraphs; g++) count[S->graph_class[g]]++;
    for (int64_t c = 0; c < S->nclasses; c++)
        if (count[c] == 0)
            GRL_FAIL(GRL_INVALID_ARGUMENT, "graph set: class %" PRId64 " has no "
                     "graph; the TU layout cannot keep an unused class", c);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_graph_set_save(const grl_graph_set *S, const char *dir,
                       const char *name, char *msg)
{
    out_file o = {0};
#define FREE_ALL if (o.f) fclose(o.f)
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL && dir != NULL && name != NULL,
                "grl_graph_set_save: NULL argument");
    GRL_TRY(grl_graph_set_check(S, msg));
    GRL_TRY(check_classes_used(S, msg));
    /* an optional file left from an earlier set would be read back with
     * this one: remove them all, then write what S has */
    static const char *optional[] = {"graph_labels", "node_labels",
        "node_attributes", "edge_labels", "edge_attributes", "node_targets"};
    for (size_t f = 0; f < sizeof optional / sizeof optional[0]; f++) {
        GRL_TRY(out_path(&o, dir, name, optional[f], msg));
        unlink(o.path);
    }
    GRL_TRY(open_out(&o, dir, name, "A", msg));
    for (int64_t v = 0; v < S->nodes; v++)
        for (int64_t k = S->in_ptr[v]; k < S->in_ptr[v + 1]; k++)
            fprintf(o.f, "%" PRId64 ", %" PRId64 "\n", S->arc_source[k] + 1, v + 1);
    GRL_TRY(close_out(&o, msg));
    GRL_TRY(open_out(&o, dir, name, "graph_indicator", msg));
    for (int64_t g = 0; g < S->ngraphs; g++)
        for (int64_t i = S->graph_ptr[g]; i < S->graph_ptr[g + 1]; i++)
            fprintf(o.f, "%" PRId64 "\n", g + 1);
    GRL_TRY(close_out(&o, msg));
    if (S->nclasses > 0) {
        GRL_TRY(open_out(&o, dir, name, "graph_labels", msg));
        for (int64_t g = 0; g < S->ngraphs; g++)
            fprintf(o.f, "%" PRId64 "\n", S->graph_class[g] + 1);
        GRL_TRY(close_out(&o, msg));
    }
    GRL_TRY(write_features(dir, name, "node_labels", "node_attributes", S->node_x,
                           S->nodes, S->node_dim, S->node_label_dim, msg));
    GRL_TRY(write_features(dir, name, "edge_labels", "edge_attributes", S->arc_x,
                           S->arcs, S->arc_dim, S->arc_label_dim, msg));
    if (S->node_target_dim > 0)
        GRL_TRY(write_floats(dir, name, "node_targets", S->node_y, S->nodes,
                             S->node_target_dim, 0, msg));
    return 0;
#undef FREE_ALL
}
