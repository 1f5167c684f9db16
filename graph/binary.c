/* binary.c — grl's own file format: a fixed header, the id map, and the
 * matrix as one GxB_Matrix_serialize blob. Reloading skips all text parsing
 * and id ranking.
 *
 * Layout (little-endian, as written by this machine):
 *   char     magic[8] = "GRLGRAF1"
 *   uint32   version = 1, flags (bit 0 directed, 1 weighted, 2 string ids,
 *            3 explicit integer ids)
 *   int64    n, self_loops_dropped, duplicates_dropped
 *   uint64   id_bytes, matrix_bytes
 *   id_bytes of ids (n int64, or the NUL-separated names), matrix_bytes of
 *   GraphBLAS blob. */
#include "graph_internal.h"

#include <errno.h>

#define GRL_MAGIC "GRLGRAF1"

typedef struct {
    char magic[8];
    uint32_t version, flags;
    int64_t n, self_loops_dropped, duplicates_dropped;
    uint64_t id_bytes, matrix_bytes;
} file_header;

enum { F_DIRECTED = 1, F_WEIGHTED = 2, F_STRING_IDS = 4, F_INT_IDS = 8 };

int grl_save_binary(const grl_graph *G, const char *path, char *msg)
{
    void *blob = NULL;
    FILE *f = NULL;
    GrB_Descriptor desc = NULL;
#define FREE_ALL free(blob); if (f) fclose(f); GrB_Descriptor_free(&desc)
    GrB_Index blob_size = 0;
    /* LZ4 would halve the file, but decompressing costs more than reading
     * the raw bytes back from the page cache */
    GRB_TRY(GrB_Descriptor_new(&desc));
    GRB_TRY(GxB_Desc_set(desc, GxB_COMPRESSION, GxB_COMPRESSION_NONE));
    GRB_TRY(GxB_Matrix_serialize(&blob, &blob_size, G->A, desc));
    const grl_idmap *ids = &G->ids;
    file_header h = {.version = 1, .n = ids->n,
                     .self_loops_dropped = G->self_loops_dropped,
                     .duplicates_dropped = G->duplicates_dropped,
                     .matrix_bytes = blob_size};
    memcpy(h.magic, GRL_MAGIC, 8);
    h.flags = (G->directed ? F_DIRECTED : 0) | (G->weighted ? F_WEIGHTED : 0);
    if (ids->kind == GRL_IDS_STRING) {
        h.flags |= F_STRING_IDS;
        h.id_bytes = ids->blob_len;
    } else if (ids->ints) {
        h.flags |= F_INT_IDS;
        h.id_bytes = (uint64_t)ids->n * sizeof(int64_t);
    }
    f = fopen(path, "wb");
    if (f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    bool ok = fwrite(&h, sizeof h, 1, f) == 1;
    if (ok && (h.flags & F_STRING_IDS)) {
        /* names in index order, whatever their order in the blob */
        for (int64_t i = 0; ok && i < ids->n; i++)
            ok = fwrite(ids->names[i], strlen(ids->names[i]) + 1, 1, f) == 1;
    } else if (ok && (h.flags & F_INT_IDS)) {
        ok = fwrite(ids->ints, sizeof(int64_t), ids->n, f) == (size_t)ids->n;
    }
    if (ok) ok = fwrite(blob, 1, blob_size, f) == blob_size;
    if (fclose(f) != 0) ok = false;
    f = NULL;
    if (!ok) GRL_FAIL(GRL_IO_ERROR, "%s: write failed: %s", path,
                      strerror(errno));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Point names[i] at the i-th NUL-terminated name of the blob. */
static int index_names(grl_idmap *ids, const char *path, char *msg)
{
#define FREE_ALL ;
    GRL_ALLOC(ids->names, char *, ids->n);
    size_t pos = 0;
    for (int64_t i = 0; i < ids->n; i++) {
        char *nul = pos < ids->blob_len
                        ? memchr(ids->blob + pos, '\0', ids->blob_len - pos)
                        : NULL;
        if (nul == NULL)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: %" PRId64
                     " node names expected, the id block ends after %" PRId64,
                     path, ids->n, i);
        ids->names[i] = ids->blob + pos;
        pos = (size_t)(nul - ids->blob) + 1;
    }
    return 0;
#undef FREE_ALL
}

int grl_load_binary(grl_graph **G, const char *path,
                    const grl_load_options *opt, char *msg)
{
    char *data = NULL;
#define FREE_ALL free(data); grl_graph_free(G)
    size_t len;
    GRL_TRY(grl_read_file(path, &data, &len, msg));
    file_header h;
    if (len < sizeof h || memcmp(data, GRL_MAGIC, 8) != 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: not a .grl graph file (%s)", path,
                 len < sizeof h ? "too short" : "bad magic bytes");
    memcpy(&h, data, sizeof h);
    if (h.version != 1)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: .grl version %u is not supported "
                 "(this grl reads version 1)", path, h.version);
    uint64_t expected = sizeof h + h.id_bytes + h.matrix_bytes;
    if (h.id_bytes > len || h.matrix_bytes > len || expected != len)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: %s: the header announces %" PRIu64
                 " bytes, the file has %zu", path,
                 expected > len ? "truncated file" : "trailing bytes",
                 expected, len);
    GRL_TRY(grl_graph_alloc(G, msg));
    grl_graph *g = *G;
    g->directed = h.flags & F_DIRECTED;
    g->weighted = h.flags & F_WEIGHTED;
    g->self_loops_dropped = h.self_loops_dropped;
    g->duplicates_dropped = h.duplicates_dropped;
    g->ids.n = h.n;
    const char *ids = data + sizeof h;
    if (h.flags & F_STRING_IDS) {
        g->ids.kind = GRL_IDS_STRING;
        GRL_ALLOC(g->ids.blob, char, h.id_bytes);
        memcpy(g->ids.blob, ids, h.id_bytes);
        g->ids.blob_len = h.id_bytes;
        GRL_TRY(index_names(&g->ids, path, msg));
    } else if (h.flags & F_INT_IDS) {
        if (h.id_bytes != (uint64_t)h.n * sizeof(int64_t))
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: id block size",
                     path);
        GRL_ALLOC(g->ids.ints, int64_t, h.n);
        memcpy(g->ids.ints, ids, h.id_bytes);
    }
    GRL_TRY(grl_idmap_index_by_id(&g->ids, msg)); /* saved reordered? */
    GRB_TRY(GxB_Matrix_deserialize(&g->A, GrB_FP64, ids + h.id_bytes,
                                   h.matrix_bytes, NULL));
    GrB_Index nrows;
    GRB_TRY(GrB_Matrix_nrows(&nrows, g->A));
    if ((int64_t)nrows != h.n)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: %" PRId64 " ids for "
                 "a matrix of %" PRIu64 " rows", path, h.n, (uint64_t)nrows);
    /* a saved graph is what it is; only an explicit direction changes it */
    if (opt->directed == 1 && !g->directed) g->directed = true;
    else if (opt->directed == 0 && g->directed) {
        GrB_Matrix A = g->A;
        GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(A, NULL, NULL, GrB_MAX_FP64, A,
                                             A, GrB_DESC_T1));
        g->directed = false;
    }
    free(data);
    return 0;
#undef FREE_ALL
}
