/* save_text.c — write edge lists, CSV and Matrix Market. */
#include "graph_internal.h"

#include <errno.h>

/* Write node i's id followed by `sep`. */
static void put_id(FILE *f, const grl_graph *G, int64_t i, char sep)
{
    const grl_idmap *ids = &G->ids;
    if (ids->kind == GRL_IDS_STRING)
        fputs(ids->names[i], f);
    else
        fprintf(f, "%" PRId64, ids->ints ? ids->ints[i] : i);
    fputc(sep, f);
}

/* Whether entry (r, c) is written: an undirected edge once, from the upper
 * triangle for edge lists, the lower one (Matrix Market's convention) for
 * .mtx. */
static bool written(const grl_graph *G, bool mtx, GrB_Index r, GrB_Index c)
{
    return G->directed || (mtx ? r >= c : r <= c);
}

int grl_save_text(const grl_graph *G, const char *path, grl_format format,
                  char *msg)
{
    GrB_Index *rows = NULL, *cols = NULL, nvals = 0;
    double *vals = NULL;
    FILE *f = NULL;
    char *buffer = NULL; /* stdio's, per call: saves may run concurrently */
#define FREE_ALL free(rows); free(cols); free(vals); if (f) fclose(f); \
    free(buffer)
    GRL_TRY(grl_matrix_tuples(G->A, &rows, &cols, &vals, &nvals, msg));
    bool mtx = format == GRL_FORMAT_MATRIX_MARKET;
    char sep = format == GRL_FORMAT_CSV ? ',' : ' ';
    GrB_Index kept = 0;
    for (GrB_Index k = 0; k < nvals; k++) {
        if (!written(G, mtx, rows[k], cols[k])) continue;
        kept++;
        /* a line starting with # or % reads back as a comment: the edge
         * would be lost without a word */
        const char *first = G->ids.kind == GRL_IDS_STRING && !mtx
                                ? G->ids.names[rows[k]] : "";
        if (first[0] == '#' || first[0] == '%')
            GRL_FAIL(GRL_INVALID_ARGUMENT, "%s: node id '%.60s' would start a "
                     "line and read back as a comment; save as .grl, GraphML "
                     "or GML", path, first);
    }
    enum { BUFFER = 1 << 20 };
    GRL_ALLOC(buffer, char, BUFFER);
    f = fopen(path, "w");
    if (f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    setvbuf(f, buffer, _IOFBF, BUFFER);
    if (mtx) {
        fprintf(f, "%%%%MatrixMarket matrix coordinate %s %s\n",
                G->weighted ? "real" : "pattern",
                G->directed ? "general" : "symmetric");
        fprintf(f, "%% written by grl; node i is the i-th id in ascending "
                   "order\n");
        fprintf(f, "%" PRId64 " %" PRId64 " %" PRIu64 "\n", G->ids.n, G->ids.n,
                (uint64_t)kept);
    } else if (format == GRL_FORMAT_CSV) {
        fputs(G->weighted ? "source,target,weight\n" : "source,target\n", f);
    }
    for (GrB_Index k = 0; k < nvals; k++) {
        if (!written(G, mtx, rows[k], cols[k])) continue;
        if (mtx) {
            fprintf(f, "%" PRIu64 " %" PRIu64, (uint64_t)rows[k] + 1,
                    (uint64_t)cols[k] + 1);
            if (G->weighted) fprintf(f, " %.17g", vals[k]);
            fputc('\n', f);
        } else {
            put_id(f, G, (int64_t)rows[k], sep);
            if (G->weighted) {
                put_id(f, G, (int64_t)cols[k], sep);
                fprintf(f, "%.17g\n", vals[k]);
            } else {
                put_id(f, G, (int64_t)cols[k], '\n');
            }
        }
    }
    int failed = ferror(f);
    if (fclose(f) != 0) failed = 1;
    f = NULL;
    if (failed) GRL_FAIL(GRL_IO_ERROR, "%s: write failed", path);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
