/* node_features.c — node features as an n x f float32 matrix from sparse
 * text (embed's reader), dense text rows, .npy or a .npz CSR matrix. */
#include "node_text.h"
#include "npz.h"
#include "grl/gnn.h"
#include "grl/embed.h"

#include <math.h>

/* The index of the node whose id is the integer r, or -1. */
static int64_t node_of_row(const grl_graph *G, int64_t r)
{
    char id[32];
    int64_t i;
    snprintf(id, sizeof id, "%" PRId64, r);
    return grl_graph_node_index(G, id, &i, NULL) < 0 ? -1 : i;
}

/* Rows of D (row r = node id r) moved to node indices of G. */
static int rows_to_nodes(grl_dense **X, grl_dense *D, const grl_graph *G,
                         const char *path, char *msg)
{
    grl_dense *R = NULL;
#define FREE_ALL grl_dense_free(&R)
    int64_t n = grl_graph_num_nodes(G), f = D->cols;
    GRL_TRY(grl_dense_new(&R, n, f, msg));
    for (int64_t r = 0; r < D->rows; r++) {
        int64_t i = node_of_row(G, r);
        if (i < 0)
            GRL_FAIL(GRL_NOT_FOUND, "%s: row %" PRId64 " is node %" PRId64
                     ", which is not in the graph", path, r, r);
        memcpy(R->data + i * f, D->data + r * f, sizeof(float) * (size_t)f);
    }
    *X = R;
    return 0;
#undef FREE_ALL
}

/* Parse the numbers of one dense row into x (at most f; x NULL: count
 * them); *count gets how many there were. */
static int parse_row(const grl_text *t, char *p, float *x, int64_t f,
                     int64_t *count, char *msg)
{
    int64_t c = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == ',') p++;
        if (*p == '\0') break;
        char *stop;
        double v = strtod(p, &stop);
        if (stop == p || !(*stop == '\0' || *stop == ' ' || *stop == '\t' ||
                           *stop == '\r' || *stop == ',')) {
            grl_set_msg(msg, "%s:%" PRId64 ": value %" PRId64 " is not a number",
                        t->path, t->line, c + 1);
            return GRL_PARSE_ERROR;
        }
        if (!isfinite(v) || fabs(v) > 3.0e38) {
            grl_set_msg(msg, "%s:%" PRId64 ": value %" PRId64 " is not a finite "
                        "float32 number", t->path, t->line, c + 1);
            return GRL_PARSE_ERROR;
        }
        if (x != NULL) {
            if (c >= f) {
                grl_set_msg(msg, "%s:%" PRId64 ": more than %" PRId64 " values "
                            "(the first row's width)", t->path, t->line, f);
                return GRL_PARSE_ERROR;
            }
            x[c] = (float)v;
        }
        c++;
        p = stop;
    }
    *count = c;
    return 0;
}

static int load_dense_text(grl_dense **X, const grl_graph *G, const char *path,
                           char *msg)
{
    grl_text t = {0};
    grl_dense *R = NULL;
#define FREE_ALL grl_text_close(&t); grl_dense_free(&R)
    int64_t n = grl_graph_num_nodes(G), f = 0, r = 0, c;
    GRL_TRY(grl_text_open(&t, path, msg));
    t.raw = true;
    if (grl_text_next(&t)) GRL_TRY(parse_row(&t, t.field[0], NULL, 0, &f, msg));
    grl_text_close(&t);
    if (f == 0) GRL_FAIL(GRL_PARSE_ERROR, "%s: no feature rows", path);
    GRL_TRY(grl_dense_new(&R, n, f, msg));
    GRL_TRY(grl_text_open(&t, path, msg));
    t.raw = true;
    for (; grl_text_next(&t); r++) {
        int64_t i = node_of_row(G, r);
        if (i < 0)
            GRL_FAIL(GRL_NOT_FOUND, "%s:%" PRId64 ": row %" PRId64 " is node %"
                     PRId64 ", which is not in the graph", path, t.line, r, r);
        GRL_TRY(parse_row(&t, t.field[0], R->data + i * f, f, &c, msg));
        if (c != f)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": %" PRId64 " values, but "
                     "the first row has %" PRId64, path, t.line, c, f);
    }
    *X = R;
    R = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

static int load_sparse_text(grl_dense **X, grl_graph *G, const char *path,
                            char *msg)
{
    GrB_Matrix F = NULL;
    GrB_Index *I = NULL, *J = NULL;
    double *V = NULL;
    grl_dense *R = NULL;
#define FREE_ALL GrB_free(&F); free(I); free(J); free(V); grl_dense_free(&R)
    GRL_TRY(grl_features_load(&F, G, path, msg));
    GrB_Index nvals, nrows, ncols;
    GRB_TRY(GrB_Matrix_nvals(&nvals, F));
    GRB_TRY(GrB_Matrix_nrows(&nrows, F));
    GRB_TRY(GrB_Matrix_ncols(&ncols, F));
    if (ncols == 0 || nvals == 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: no features", path);
    GRL_TRY(grl_dense_new(&R, (int64_t)nrows, (int64_t)ncols, msg));
    GRL_ALLOC(I, GrB_Index, nvals);
    GRL_ALLOC(J, GrB_Index, nvals);
    GRL_ALLOC(V, double, nvals);
    GRB_TRY(GrB_Matrix_extractTuples_FP64(I, J, V, &nvals, F));
    for (GrB_Index k = 0; k < nvals; k++) {
        if (!isfinite(V[k]) || fabs(V[k]) > 3.0e38) {
            char id[64]; /* the node as the file names it, not its index */
            grl_graph_node_id(G, (int64_t)I[k], id, sizeof id);
            GRL_FAIL(GRL_PARSE_ERROR, "%s: the value of node '%s', feature %" PRIu64
                     " is not a finite float32 number", path, id, J[k]);
        }
        R->data[I[k] * ncols + J[k]] = (float)V[k];
    }
    *X = R;
    R = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The n x f matrix of a CSR (attr_data, attr_indices, attr_indptr,
 * attr_shape) or dense (attr_matrix) member set; duplicates are summed, as
 * scipy.sparse does. */
static int load_npz(grl_dense **D, const char *path, char *msg)
{
    grl_npz z = {0};
    grl_npz_array data = {0}, idx = {0}, ptr = {0}, shape = {0};
#define FREE_ALL grl_npz_close(&z); grl_npz_array_release(&data); \
    grl_npz_array_release(&idx); grl_npz_array_release(&ptr); \
    grl_npz_array_release(&shape); grl_dense_free(D)
    bool found, all = true;
    GRL_TRY(grl_npz_open(&z, path, msg));
    GRL_TRY(grl_npz_read(&data, &found, &z, "attr_data", msg));
    if (!found) { /* a dense attr_matrix instead */
        GRL_TRY(grl_npz_read(&data, &found, &z, "attr_matrix", msg));
        if (!found || data.ndim != 2)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: no node features (attr_data, "
                     "attr_indices, attr_indptr, attr_shape or a 2-D "
                     "attr_matrix)", path);
        GRL_TRY(grl_dense_new(D, data.shape[0], data.shape[1], msg));
        for (int64_t i = 0; i < data.count; i++) (*D)->data[i] = (float)data.v[i];
    } else {
        GRL_TRY(grl_npz_read(&idx, &found, &z, "attr_indices", msg));
        all = all && found;
        GRL_TRY(grl_npz_read(&ptr, &found, &z, "attr_indptr", msg));
        all = all && found;
        GRL_TRY(grl_npz_read(&shape, &found, &z, "attr_shape", msg));
        if (!all || !found)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: attr_data needs attr_indices, "
                     "attr_indptr and attr_shape beside it", path);
        if (shape.count != 2 || !shape.integer || !idx.integer || !ptr.integer ||
            shape.v[0] < 0 || shape.v[1] < 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: attr_shape must be 2 non-negative "
                     "integers and attr_indices, attr_indptr integers", path);
        const int64_t rows = (int64_t)shape.v[0], f = (int64_t)shape.v[1];
        const int64_t nnz = data.count;
        if (ptr.count != rows + 1 || idx.count != nnz || ptr.v[0] != 0 ||
            ptr.v[rows] != (double)nnz)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: inconsistent CSR: %" PRId64 " rows "
                     "need %" PRId64 " attr_indptr entries from 0 to the %" PRId64
                     " values (got %" PRId64 ")", path, rows, rows + 1, nnz,
                     ptr.count);
        /* checked whole before use: a row must not reach past the values */
        for (int64_t r = 0; r < rows; r++)
            if (ptr.v[r + 1] < ptr.v[r] || ptr.v[r + 1] > (double)nnz)
                GRL_FAIL(GRL_PARSE_ERROR, "%s: attr_indptr %s at row %" PRId64,
                         path, ptr.v[r + 1] < ptr.v[r] ? "decreases" :
                         "runs past the values", r);
        GRL_TRY(grl_dense_new(D, rows, f, msg));
        for (int64_t r = 0; r < rows; r++) {
            for (int64_t p = (int64_t)ptr.v[r]; p < (int64_t)ptr.v[r + 1]; p++) {
                if (idx.v[p] < 0 || idx.v[p] >= (double)f)
                    GRL_FAIL(GRL_PARSE_ERROR, "%s: row %" PRId64 ": column %.0f "
                             "outside 0..%" PRId64, path, r, idx.v[p], f - 1);
                (*D)->data[r * f + (int64_t)idx.v[p]] += (float)data.v[p];
            }
        }
    }
    int64_t bad = grl_first_nonfinite((*D)->data, (*D)->rows * (*D)->cols);
    if (bad >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: row %" PRId64 " exceeds float32", path,
                 bad / (*D)->cols);
    grl_dense *keep = *D;
    *D = NULL;
    FREE_ALL;
    *D = keep;
    return 0;
#undef FREE_ALL
}

static int sniff(const char *path, grl_features_format *format, char *msg)
{
    grl_text t = {0};
#define FREE_ALL grl_text_close(&t)
    FILE *f = fopen(path, "rb");
    char magic[6] = {0};
    if (f != NULL) {
        size_t got = fread(magic, 1, 6, f);
        fclose(f);
        if (got == 6 && memcmp(magic, "\x93NUMPY", 6) == 0) {
            *format = GRL_FEATURES_NPY;
            return 0;
        }
        if (got == 6 && memcmp(magic, "PK\x03\x04", 4) == 0) {
            *format = GRL_FEATURES_NPZ;
            return 0;
        }
    }
    GRL_TRY(grl_text_open(&t, path, msg));
    *format = grl_text_next(&t) && t.total_fields == 3 ? GRL_FEATURES_SPARSE
                                                       : GRL_FEATURES_DENSE;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_node_features_load(grl_dense **X, grl_graph *G, const char *path,
                           grl_features_format format, char *msg)
{
    grl_dense *D = NULL;
#define FREE_ALL grl_dense_free(&D)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(X != NULL && G != NULL && path != NULL,
                "grl_node_features_load: NULL argument");
    *X = NULL;
    if (format == GRL_FEATURES_AUTO) GRL_TRY(sniff(path, &format, msg));
    switch (format) {
    case GRL_FEATURES_SPARSE: GRL_TRY(load_sparse_text(X, G, path, msg)); break;
    case GRL_FEATURES_DENSE: GRL_TRY(load_dense_text(X, G, path, msg)); break;
    case GRL_FEATURES_NPY:
        GRL_TRY(grl_dense_load_npy(&D, path, msg));
        if (D->cols == 0) GRL_FAIL(GRL_PARSE_ERROR, "%s: no features", path);
        GRL_TRY(rows_to_nodes(X, D, G, path, msg));
        break;
    case GRL_FEATURES_NPZ:
        GRL_TRY(load_npz(&D, path, msg));
        if (D->cols == 0) GRL_FAIL(GRL_PARSE_ERROR, "%s: no features", path);
        GRL_TRY(rows_to_nodes(X, D, G, path, msg));
        break;
    default:
        GRL_FAIL(GRL_INVALID_ARGUMENT, "unknown feature format %d", (int)format);
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
