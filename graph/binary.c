/* binary.c — grl's own graph file: a fixed header, the id map and the
 * matrix, in the container of core/binfile.h. Reloading skips all text
 * parsing and id ranking; nothing is trusted before the checksum and the
 * graph's invariants (validate.c) are checked.
 *
 * Layout, format version 4 (little-endian, as written by this machine):
 *   char     magic[8] = "GRLGRAF1"
 *   uint32   version = 4, flags (bit 0 directed, 1 weighted, 2 string ids,
 *            3 explicit integer ids)
 *   uint64   the file's length in bytes
 *   int64    n, self_loops_dropped, duplicates_dropped
 *   uint64   id_bytes
 *   id_bytes of ids: n int64, or n NUL-terminated names in index order,
 *            or nothing when ids are 0..n-1
 *   zero bytes up to a multiple of 8
 *   the n x n matrix as a raw section (binfile.h: the CSR arrays as GraphBLAS
 *   holds them, read straight into place)
 *   uint64   block checksum of all the bytes above (grl_internal.h: XXH64
 *            of the XXH64s of its 512 KiB blocks)
 * Version 3 had one XXH64 over the whole file, a sequential pass, and no
 * padding; blocks are read, hashed and their columns checked in parallel
 * (binfile.c, arc_check.c). Older versions are refused with a message
 * asking to create the file again.
 * Version 2 stored the matrix as varints (75 MB instead of 168 MB for
 * G(1M, 10M)), but decoding them, reading the whole file into a buffer
 * first and GraphBLAS's own check of the result made a reload of that graph
 * 0.43 s against 1.25 s for parsing its text (2.9x, 1 thread). Storing only
 * the upper triangle of an undirected graph would halve the bytes but
 * rebuild the lower one by a scatter of 10M entries at random positions on
 * every load. */
#include "graph_internal.h"

#include "binfile.h"

#define GRL_MAGIC "GRLGRAF1"
#define GRL_VERSION 4u

typedef struct {
    char magic[8];
    uint32_t version, flags;
    uint64_t file_bytes;
    int64_t n, self_loops_dropped, duplicates_dropped;
    uint64_t id_bytes;
} file_header;

enum { F_DIRECTED = 1, F_WEIGHTED = 2, F_STRING_IDS = 4, F_INT_IDS = 8 };

/* Zero bytes after the ids up to a multiple of 8: the arrays that follow
 * start at multiples of 8, so no column spans two checksum blocks. */
static const unsigned char padding[8];
#define PADDING(id_bytes) ((8 - (id_bytes) % 8) % 8)

int grl_save_binary(const grl_graph *G, const char *path, char *msg)
{
    grl_bin_writer w = {0};
    grl_bin_matrix m = {0};
#define FREE_ALL grl_bin_discard(&w); grl_bin_matrix_release(&m)
    const grl_idmap *ids = &G->ids;
    file_header h = {.version = GRL_VERSION, .n = ids->n,
                     .self_loops_dropped = G->self_loops_dropped,
                     .duplicates_dropped = G->duplicates_dropped};
    memcpy(h.magic, GRL_MAGIC, 8);
    h.flags = (G->directed ? F_DIRECTED : 0) | (G->weighted ? F_WEIGHTED : 0);
    if (ids->kind == GRL_IDS_STRING) {
        h.flags |= F_STRING_IDS;
        for (int64_t i = 0; i < ids->n; i++)
            h.id_bytes += strlen(ids->names[i]) + 1;
    } else if (ids->ints) {
        h.flags |= F_INT_IDS;
        h.id_bytes = grl_size_mul(ids->n, sizeof(int64_t));
    }
    GRL_TRY(grl_bin_matrix_prepare_raw(&m, G->A, msg));
    h.file_bytes = sizeof h + h.id_bytes + PADDING(h.id_bytes) + m.bytes +
                   sizeof(uint64_t);
    GRL_TRY(grl_bin_create(&w, path, msg));
    w.blocked = true;
    grl_bin_write(&w, &h, sizeof h);
    if (h.flags & F_STRING_IDS) {
        /* names in index order, whatever their order in the blob */
        for (int64_t i = 0; i < ids->n; i++)
            grl_bin_write(&w, ids->names[i], strlen(ids->names[i]) + 1);
    } else if (h.flags & F_INT_IDS) {
        grl_bin_write(&w, ids->ints, h.id_bytes);
    }
    grl_bin_write(&w, padding, PADDING(h.id_bytes));
    GRL_TRY(grl_bin_matrix_write(&w, &m, msg));
    GRL_TRY(grl_bin_finish(&w, msg));
    grl_bin_matrix_release(&m);
    return 0;
#undef FREE_ALL
}

/* Point names[i] at the i-th NUL-terminated name of the blob, which must
 * hold exactly n names. */
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
    if (pos != ids->blob_len)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: %zu bytes after "
                 "the %" PRId64 " node names", path, ids->blob_len - pos,
                 ids->n);
    return 0;
#undef FREE_ALL
}

/* Destinations for the id block of a header h already bounded by the
 * file (read by grl_bin_scatter_read, checked by check_ids after). */
static int scatter_ids(grl_bin_scatter *s, const file_header *h,
                       grl_idmap *ids, char *msg)
{
#define FREE_ALL ;
    const char *path = s->path;
    int kind = h->flags & (F_STRING_IDS | F_INT_IDS);
    ids->n = h->n;
    if (kind == F_STRING_IDS) {
        /* each name takes at least its NUL: n is bounded by the block */
        if ((uint64_t)h->n > h->id_bytes)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: %" PRId64
                     " node names cannot fit in %" PRIu64 " bytes", path, h->n,
                     h->id_bytes);
        ids->kind = GRL_IDS_STRING;
        GRL_ALLOC(ids->blob, char, h->id_bytes);
        ids->blob_len = h->id_bytes;
        GRL_TRY(grl_bin_scatter_into(s, ids->blob, h->id_bytes,
                                     "the node names", msg));
    } else if (kind == F_INT_IDS) {
        if (h->id_bytes != grl_size_mul((size_t)h->n, sizeof(int64_t)))
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: %" PRIu64 " bytes "
                     "of ids for %" PRId64 " nodes", path, h->id_bytes, h->n);
        GRL_ALLOC(ids->ints, int64_t, h->n);
        GRL_TRY(grl_bin_scatter_into(s, ids->ints, h->id_bytes,
                                     "the node ids", msg));
    } else if (kind != 0 || h->id_bytes != 0) {
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: id flags %d with %"
                 PRIu64 " bytes of ids", path, kind, h->id_bytes);
    }
    return 0;
#undef FREE_ALL
}

/* The arcs checked as the file is read, each block while it is in cache:
 * with validate.c's pass after the read, the columns were read from memory
 * twice (G(1M, 10M): 160 MB, which one core here reads at ~4 GB/s). */
typedef struct {
    const grl_bin_csr *m;
    const char *path;
    uint64_t at; /* the columns' offset in the file */
    bool form;
    grl_arc_check check;
} arcs_read;

static int rows_read(void *ctx, char *msg)
{
    arcs_read *r = ctx;
    const grl_bin_csr *m = r->m;
    int rc = grl_bin_csr_check_rows(m, r->path, "graph", msg);
    if (rc == 0)
        grl_arc_check_init(&r->check, m->Ap, m->Aj, NULL, m->iso,
                           (int64_t)m->nrows, r->form);
    return rc;
}

static void columns_read(void *ctx, uint64_t lo, uint64_t hi)
{
    arcs_read *r = ctx;
    const uint64_t nvals = r->m->nvals;
    uint64_t from = (lo - r->at) / 8, to = (hi - r->at) / 8;
    grl_arc_check_range(&r->check, from, to < nvals ? to : nvals);
}

int grl_load_binary(grl_graph **G, const char *path,
                    const grl_load_options *opt, char *msg)
{
    grl_bin_scatter s = {0};
    grl_bin_csr m = {0};
#define FREE_ALL grl_bin_scatter_close(&s); grl_bin_csr_release(&m); \
    grl_graph_free(G)
    GRL_TRY(grl_bin_scatter_open(&s, path, GRL_MAGIC, GRL_VERSION, "graph", msg));
    file_header h;
    GRL_TRY(grl_bin_scatter_peek(&s, &h, sizeof h, "the header", msg));
    GRL_TRY(grl_bin_scatter_expect(&s, &h, sizeof h, "the header", msg));
    /* each node takes 8 bytes of the file at least (its row pointer) */
    if (h.flags & ~(uint32_t)(F_DIRECTED | F_WEIGHTED | F_STRING_IDS | F_INT_IDS)
        || h.n < 0 || (uint64_t)h.n > s.len / 8 || h.id_bytes > s.len)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: header with flags "
                 "0x%x, %" PRId64 " nodes, %" PRIu64 " bytes of ids", path,
                 h.flags, h.n, h.id_bytes);
    GRL_TRY(grl_graph_alloc(G, msg));
    grl_graph *g = *G;
    g->directed = h.flags & F_DIRECTED;
    g->weighted = h.flags & F_WEIGHTED;
    g->self_loops_dropped = h.self_loops_dropped;
    g->duplicates_dropped = h.duplicates_dropped;
    GRL_TRY(scatter_ids(&s, &h, &g->ids, msg));
    unsigned char pad[8];
    GRL_TRY(grl_bin_scatter_into(&s, pad, PADDING(h.id_bytes),
                                 "the padding after the ids", msg));
    GRL_TRY(grl_bin_scatter_csr(&s, &m, (uint64_t)h.n, (uint64_t)h.n, msg));
    /* the form needs the weights, read after the columns: an undirected
     * weighted graph's symmetry is left to the validation */
    arcs_read arcs = {&m, path, m.cols_at, !g->directed && m.iso, {0}};
    grl_bin_hook hook = {arcs.at, rows_read, columns_read, &arcs};
    GRL_TRY(grl_bin_scatter_read(&s, &hook, msg));
    for (uint64_t b = GRL_HASH_BLOCK; b < s.len; b += GRL_HASH_BLOCK)
        if (b > arcs.at) grl_arc_check_joint(&arcs.check, (b - arcs.at) / 8);
    grl_bin_scatter_close(&s);
    if (memcmp(pad, padding, PADDING(h.id_bytes)) != 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt .grl file: the padding after "
                 "the ids is not zero", path);
    if (g->ids.kind == GRL_IDS_STRING) GRL_TRY(index_names(&g->ids, path, msg));
    GRL_TRY(grl_idmap_index_by_id(&g->ids, msg)); /* saved reordered? */
    GRL_TRY(grl_bin_csr_to_matrix(&g->A, &m, msg));
    /* the row pointers and columns are checked (GraphBLAS's own check is
     * not needed); the rest of the validation */
    GRL_TRY(grl_graph_validate_content(g, opt->allow_nonpositive_weights,
                                       &arcs.check, path, msg));
    /* a saved graph is what it is; only an explicit direction changes it */
    if (opt->directed == 1 && !g->directed) g->directed = true;
    else if (opt->directed == 0 && g->directed) {
        GrB_Matrix A = g->A;
        GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(A, NULL, NULL, GrB_MAX_FP64, A,
                                             A, GrB_DESC_T1));
        g->directed = false;
    }
    return 0;
#undef FREE_ALL
}
