/* part_file.c — partitioned graphs on disk (include/grl/graph.h): one
 * checksummed file per part and a manifest, in the container of
 * core/binfile.h, so a process reads only its own part.
 *
 * Part file, format version 1 (little-endian):
 *   char    magic[8] = "GRLPART1"
 *   uint32  version = 1, flags (bit 0 directed, 1 weighted)
 *   uint64  the file's length
 *   int64   n, k, part, nodes, halo
 *   int64   global[nodes] (ascending), uint64 key[nodes],
 *   int64   halo_global[halo] (ascending), halo_owner[halo]
 *   matrix section: the nodes' out-arcs, nodes x n
 *   matrix section: their in-arcs, nodes x n (directed only)
 *   uint64  XXH64 of every byte above
 * Manifest, "GRLMANI1" version 1: magic, version, flags (bit 0 directed,
 * 1 weighted, 2 ids.txt present), length, int64 n, k, arcs, then k int64
 * node counts, k int64 halo counts, k uint64 part file lengths, k uint64
 * part checksums, and the XXH64. */
#include "partition_internal.h"

#include "binfile.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#define PART_MAGIC "GRLPART1"
#define MANIFEST_MAGIC "GRLMANI1"
#define PART_VERSION 1u
#define MANIFEST_VERSION 1u
#define MANIFEST_NAME "manifest.grlm"
#define IDS_NAME "ids.txt"

enum { F_DIRECTED = 1, F_WEIGHTED = 2, F_IDS_FILE = 4 };

typedef struct {
    char magic[8];
    uint32_t version, flags;
    uint64_t file_bytes;
    int64_t n, k, part, nodes, halo;
} part_header;

typedef struct {
    char magic[8];
    uint32_t version, flags;
    uint64_t file_bytes;
    int64_t n, k, arcs;
} manifest_header;

/* dir/name into a new string. */
static char *join_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = grl_malloc(len);
    if (path) snprintf(path, len, "%s/%s", dir, name);
    return path;
}

static char *part_path(const char *dir, int64_t p)
{
    char name[40];
    snprintf(name, sizeof name, "part-%05lld.grlp", (long long)p);
    return join_path(dir, name);
}

/* ---------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------ */

/* Rows `rows` (count of them) of A, all columns, as a new matrix. */
static int extract_rows(GrB_Matrix *R, GrB_Matrix A, const GrB_Index *rows,
                        int64_t count, int64_t n, char *msg)
{
#define FREE_ALL GrB_Matrix_free(R)
    GRB_TRY(GrB_Matrix_new(R, GrB_FP64, count, n));
    GRB_TRY(GrB_Matrix_extract(*R, NULL, NULL, A, rows, count, GrB_ALL, n, NULL));
    return 0;
#undef FREE_ALL
}

/* Write part p: nodes `rows` (ascending), halo `halo` of h nodes. */
static int save_part(grl_graph *G, const int64_t *part, int64_t k, int64_t p,
                     const GrB_Index *rows, int64_t count, const int64_t *halo,
                     int64_t h, GrB_Matrix AT, const char *path,
                     uint64_t *bytes, uint64_t *checksum, char *msg)
{
    GrB_Matrix out = NULL, in = NULL;
    grl_bin_matrix mo = {0}, mi = {0};
    grl_bin_writer w = {0};
    uint64_t *key = NULL;
    int64_t *owner = NULL;
#define FREE_ALL GrB_Matrix_free(&out); GrB_Matrix_free(&in);                  \
    grl_bin_matrix_release(&mo); grl_bin_matrix_release(&mi);                  \
    grl_bin_discard(&w); free(key); free(owner)
    int64_t n = grl_graph_num_nodes(G);
    bool directed = grl_graph_is_directed(G);
    GRL_TRY(extract_rows(&out, grl_graph_matrix(G), rows, count, n, msg));
    GRL_TRY(grl_bin_matrix_prepare(&mo, out, 1, msg));
    if (directed) {
        GRL_TRY(extract_rows(&in, AT, rows, count, n, msg));
        GRL_TRY(grl_bin_matrix_prepare(&mi, in, 1, msg));
    }
    GRL_ALLOC(key, uint64_t, count);
    for (int64_t r = 0; r < count; r++) key[r] = grl_graph_node_key(G, (int64_t)rows[r]);
    GRL_ALLOC(owner, int64_t, h);
    for (int64_t j = 0; j < h; j++) owner[j] = part[halo[j]];
    part_header hd = {.version = PART_VERSION, .n = n, .k = k, .part = p,
                      .nodes = count, .halo = h};
    memcpy(hd.magic, PART_MAGIC, 8);
    hd.flags = (directed ? F_DIRECTED : 0) |
               (grl_graph_is_weighted(G) ? F_WEIGHTED : 0);
    hd.file_bytes = sizeof hd + grl_size_mul(count, 16) + grl_size_mul(h, 16) +
                    mo.bytes + (directed ? mi.bytes : 0) + sizeof(uint64_t);
    GRL_TRY(grl_bin_create(&w, path, msg));
    grl_bin_write(&w, &hd, sizeof hd);
    grl_bin_write(&w, rows, grl_size_mul(count, 8)); /* GrB_Index: 64 bits */
    grl_bin_write(&w, key, grl_size_mul(count, 8));
    grl_bin_write(&w, halo, grl_size_mul(h, 8));
    grl_bin_write(&w, owner, grl_size_mul(h, 8));
    GRL_TRY(grl_bin_matrix_write(&w, &mo, msg));
    if (directed) GRL_TRY(grl_bin_matrix_write(&w, &mi, msg));
    *checksum = grl_hash64_final(&w.hash); /* what grl_bin_finish appends */
    *bytes = hd.file_bytes;
    GRL_TRY(grl_bin_finish(&w, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* ids.txt: one id per node in index order; removed when ids are 0..n-1. */
static int save_ids(const grl_graph *G, const char *path, char *msg)
{
    FILE *f = NULL;
    char *buf = NULL;
#define FREE_ALL if (f) fclose(f); free(buf)
    if (grl_graph_ids_are_indices(G)) {
        if (unlink(path) != 0 && errno != ENOENT)
            GRL_FAIL(GRL_IO_ERROR, "%s: cannot remove the stale id file: %s",
                     path, strerror(errno));
        return 0;
    }
    size_t cap = 64;
    GRL_ALLOC(buf, char, cap);
    f = fopen(path, "w");
    if (f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    for (int64_t i = 0; i < grl_graph_num_nodes(G); i++) {
        int len = grl_graph_node_id(G, i, buf, cap);
        if (len >= 0 && (size_t)len >= cap) {
            free(buf);
            buf = NULL;
            cap = (size_t)len + 1;
            GRL_ALLOC(buf, char, cap);
            len = grl_graph_node_id(G, i, buf, cap);
        }
        fprintf(f, "%s\n", buf);
    }
    int rc = fclose(f);
    f = NULL;
    if (rc != 0) GRL_FAIL(GRL_IO_ERROR, "%s: write failed", path);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

static int save_manifest(const grl_partition_manifest *M, const char *path,
                         char *msg)
{
    grl_bin_writer w = {0};
#define FREE_ALL grl_bin_discard(&w)
    manifest_header h = {.version = MANIFEST_VERSION, .n = M->n, .k = M->k,
                         .arcs = M->arcs};
    memcpy(h.magic, MANIFEST_MAGIC, 8);
    h.flags = (M->directed ? F_DIRECTED : 0) | (M->weighted ? F_WEIGHTED : 0) |
              (M->ids_are_indices ? 0 : F_IDS_FILE);
    size_t arrays = grl_size_mul(M->k, 8);
    h.file_bytes = sizeof h + 4 * arrays + sizeof(uint64_t);
    GRL_TRY(grl_bin_create(&w, path, msg));
    grl_bin_write(&w, &h, sizeof h);
    grl_bin_write(&w, M->nodes, arrays);
    grl_bin_write(&w, M->halo, arrays);
    grl_bin_write(&w, M->bytes, arrays);
    grl_bin_write(&w, M->checksum, arrays);
    GRL_TRY(grl_bin_finish(&w, msg));
    return 0;
#undef FREE_ALL
}

int grl_partition_save(grl_graph *G, const int64_t *part, int64_t k,
                       const char *dir, char *msg)
{
    grl_msg_clear(msg);
    grl_partition_manifest M = {0};
    int64_t *hoff = NULL, *hnodes = NULL, *start = NULL;
    GrB_Index *order = NULL;
    char *path = NULL;
#define FREE_ALL free(M.nodes); free(M.halo); free(M.bytes); free(M.checksum); \
    grl_free(hoff); grl_free(hnodes); free(start); free(order); free(path)
    GRL_REQUIRE(G != NULL && dir != NULL, "grl_partition_save: NULL argument");
    GRL_TRY(grl_partition_check("grl_partition_save", G, part, k, msg));
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        GRL_FAIL(GRL_IO_ERROR, "%s: cannot create the directory: %s", dir,
                 strerror(errno));
    int64_t n = grl_graph_num_nodes(G);
    GrB_Matrix AT = NULL;
    if (grl_graph_is_directed(G)) GRL_TRY(grl_graph_transpose(G, &AT, msg));
    GRL_TRY(grl_partition_halos(&hoff, &hnodes, G, part, k, msg));
    M.n = n;
    M.k = k;
    M.arcs = grl_graph_num_arcs(G);
    M.directed = grl_graph_is_directed(G);
    M.weighted = grl_graph_is_weighted(G);
    M.ids_are_indices = grl_graph_ids_are_indices(G);
    GRL_CALLOC(M.nodes, int64_t, k);
    GRL_CALLOC(M.halo, int64_t, k);
    GRL_CALLOC(M.bytes, uint64_t, k);
    GRL_CALLOC(M.checksum, uint64_t, k);
    /* the nodes of each part, ascending: a counting sort by part */
    GRL_CALLOC(start, int64_t, k + 1);
    GRL_ALLOC(order, GrB_Index, n);
    for (int64_t i = 0; i < n; i++) M.nodes[part[i]]++;
    for (int64_t p = 0; p < k; p++) start[p + 1] = start[p] + M.nodes[p];
    for (int64_t i = 0; i < n; i++) order[start[part[i]]++] = (GrB_Index)i;
    for (int64_t p = 0, first = 0; p < k; p++) {
        M.halo[p] = hoff[p + 1] - hoff[p];
        free(path);
        path = part_path(dir, p);
        if (path == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory");
        GRL_TRY(save_part(G, part, k, p, order + first, M.nodes[p],
                          hnodes + hoff[p], M.halo[p], AT, path, &M.bytes[p],
                          &M.checksum[p], msg));
        first += M.nodes[p];
    }
    free(path);
    path = join_path(dir, IDS_NAME);
    if (path == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory");
    GRL_TRY(save_ids(G, path, msg));
    free(path);
    path = join_path(dir, MANIFEST_NAME);
    if (path == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory");
    GRL_TRY(save_manifest(&M, path, msg)); /* last: a complete directory */
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* ---------------------------------------------------------------------------
 * Reading
 * ------------------------------------------------------------------------ */

void grl_partition_manifest_free(grl_partition_manifest **M)
{
    if (M == NULL || *M == NULL) return;
    free((*M)->nodes);
    free((*M)->halo);
    free((*M)->bytes);
    free((*M)->checksum);
    free(*M);
    *M = NULL;
}

int grl_partition_manifest_load(grl_partition_manifest **M, const char *dir,
                                char *msg)
{
    grl_msg_clear(msg);
    grl_bin_reader r = {0};
    char *path = NULL;
#define FREE_ALL grl_bin_close(&r); free(path); grl_partition_manifest_free(M)
    GRL_REQUIRE(M != NULL && dir != NULL, "grl_partition_manifest_load: NULL "
                "argument");
    *M = NULL;
    path = join_path(dir, MANIFEST_NAME);
    if (path == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory");
    GRL_TRY(grl_bin_open(&r, path, MANIFEST_MAGIC, MANIFEST_VERSION,
                         "partition manifest", msg));
    manifest_header h;
    GRL_TRY(grl_bin_take(&r, &h, sizeof h, "the header", msg));
    if (h.flags & ~(uint32_t)(F_DIRECTED | F_WEIGHTED | F_IDS_FILE) ||
        h.n < 0 || h.n > GRL_MAX_NODES || h.k < 1 || h.arcs < 0 ||
        (uint64_t)h.k > r.len / 32)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition manifest: flags 0x%x, "
                 "%" PRId64 " nodes, %" PRId64 " parts, %" PRId64 " arcs", path,
                 h.flags, h.n, h.k, h.arcs);
    grl_partition_manifest *m;
    GRL_CALLOC(*M, grl_partition_manifest, 1);
    m = *M;
    m->n = h.n;
    m->k = h.k;
    m->arcs = h.arcs;
    m->directed = h.flags & F_DIRECTED;
    m->weighted = h.flags & F_WEIGHTED;
    m->ids_are_indices = !(h.flags & F_IDS_FILE);
    GRL_ALLOC(m->nodes, int64_t, h.k);
    GRL_ALLOC(m->halo, int64_t, h.k);
    GRL_ALLOC(m->bytes, uint64_t, h.k);
    GRL_ALLOC(m->checksum, uint64_t, h.k);
    size_t arrays = (size_t)h.k * 8;
    GRL_TRY(grl_bin_take(&r, m->nodes, arrays, "the part sizes", msg));
    GRL_TRY(grl_bin_take(&r, m->halo, arrays, "the halo sizes", msg));
    GRL_TRY(grl_bin_take(&r, m->bytes, arrays, "the part file lengths", msg));
    GRL_TRY(grl_bin_take(&r, m->checksum, arrays, "the part checksums", msg));
    GRL_TRY(grl_bin_end(&r, msg));
    int64_t total = 0;
    for (int64_t p = 0; p < h.k; p++) {
        if (m->nodes[p] < 0 || m->nodes[p] > h.n - total || m->halo[p] < 0 ||
            m->halo[p] > h.n - m->nodes[p])
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition manifest: part %"
                     PRId64 " has %" PRId64 " nodes and %" PRId64 " halo nodes "
                     "in a graph of %" PRId64, path, p, m->nodes[p], m->halo[p],
                     h.n);
        total += m->nodes[p];
    }
    if (total != h.n)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition manifest: the parts "
                 "hold %" PRId64 " nodes, the graph %" PRId64, path, total, h.n);
    grl_bin_close(&r);
    free(path);
    return 0;
#undef FREE_ALL
}

void grl_part_free(grl_part **P)
{
    if (P == NULL || *P == NULL) return;
    grl_part *q = *P;
    free(q->global);
    free(q->key);
    free(q->halo_global);
    free(q->halo_owner);
    GrB_Matrix_free(&q->out);
    GrB_Matrix_free(&q->in);
    free(q);
    *P = NULL;
}

/* The position of x in a[0..len-1] (ascending), or -1. */
static int64_t find_sorted(const int64_t *a, int64_t len, int64_t x)
{
    int64_t lo = 0, hi = len;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo < len && a[lo] == x ? lo : -1;
}

int64_t grl_part_column(const grl_part *P, int64_t global)
{
    int64_t r = find_sorted(P->global, P->nodes, global);
    if (r >= 0) return r;
    int64_t h = find_sorted(P->halo_global, P->halo, global);
    return h >= 0 ? P->nodes + h : -1;
}

/* Strictly ascending entries of a[0..len-1] in 0..n-1, or the first bad
 * position. */
static int64_t first_unsorted(const int64_t *a, int64_t len, int64_t n)
{
    for (int64_t i = 0; i < len; i++)
        if (a[i] < 0 || a[i] >= n || (i > 0 && a[i] <= a[i - 1])) return i;
    return -1;
}

/* Every arc of M in P's columns, every weight finite. */
static int check_arcs(const grl_part *P, GrB_Matrix M, const char *which,
                      const char *path, char *msg)
{
    grl_csr c = {0};
#define FREE_ALL grl_csr_return(&c, NULL)
    GRL_TRY(grl_csr_borrow(&c, M, false, msg));
    int64_t bad = INT64_MAX;
#pragma omp parallel for schedule(static) reduction(min : bad)
    for (int64_t r = 0; r < c.n; r++)
        for (GrB_Index e = c.Ap[r]; e < c.Ap[r + 1]; e++)
            if (grl_part_column(P, (int64_t)c.Aj[e]) < 0 ||
                !isfinite(c.Ax[c.iso ? 0 : e]))
                if (r < bad) bad = r;
    if (bad != INT64_MAX)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition part: the %s-arcs of "
                 "node %" PRId64 " name a node outside the part and its halo, "
                 "or a weight that is not finite", path, which, P->global[bad]);
    GRL_TRY(grl_csr_return(&c, msg));
    return 0;
#undef FREE_ALL
}

static int validate_part(const grl_part *P, const char *path, char *msg)
{
#define FREE_ALL ;
    int64_t bad = first_unsorted(P->global, P->nodes, P->n);
    if (bad >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition part: node %" PRId64
                 " of the part is out of order or outside 0..%" PRId64, path,
                 bad, P->n - 1);
    bad = first_unsorted(P->halo_global, P->halo, P->n);
    if (bad >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition part: halo node %"
                 PRId64 " is out of order or outside 0..%" PRId64, path, bad,
                 P->n - 1);
    for (int64_t h = 0; h < P->halo; h++)
        if (P->halo_owner[h] < 0 || P->halo_owner[h] >= P->k ||
            P->halo_owner[h] == P->part ||
            find_sorted(P->global, P->nodes, P->halo_global[h]) >= 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition part: halo node %"
                     PRId64 " is the part's own or has owner %" PRId64, path,
                     P->halo_global[h], P->halo_owner[h]);
    GRL_TRY(check_arcs(P, P->out, "out", path, msg));
    if (P->in) GRL_TRY(check_arcs(P, P->in, "in", path, msg));
    return 0;
#undef FREE_ALL
}

int grl_part_read(grl_part **P, const char *path, char *msg)
{
    grl_msg_clear(msg);
    grl_bin_reader r = {0};
#define FREE_ALL grl_bin_close(&r); grl_part_free(P)
    GRL_REQUIRE(P != NULL && path != NULL, "grl_part_read: NULL argument");
    *P = NULL;
    GRL_TRY(grl_init(msg));
    GRL_TRY(grl_bin_open(&r, path, PART_MAGIC, PART_VERSION, "partition part",
                         msg));
    part_header h;
    GRL_TRY(grl_bin_take(&r, &h, sizeof h, "the header", msg));
    /* each node takes 16 bytes of the file, each halo node 16 */
    if (h.flags & ~(uint32_t)(F_DIRECTED | F_WEIGHTED) || h.n < 0 ||
        h.n > GRL_MAX_NODES || h.k < 1 || h.part < 0 || h.part >= h.k ||
        h.nodes < 0 || h.halo < 0 || (uint64_t)h.nodes > r.len / 16 ||
        (uint64_t)h.halo > r.len / 16 || h.nodes > h.n || h.halo > h.n)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partition part: header with "
                 "flags 0x%x, %" PRId64 " nodes, part %" PRId64 " of %" PRId64
                 ", %" PRId64 " own and %" PRId64 " halo nodes", path, h.flags,
                 h.n, h.part, h.k, h.nodes, h.halo);
    grl_part *q;
    GRL_CALLOC(*P, grl_part, 1);
    q = *P;
    q->n = h.n;
    q->k = h.k;
    q->part = h.part;
    q->directed = h.flags & F_DIRECTED;
    q->weighted = h.flags & F_WEIGHTED;
    q->nodes = h.nodes;
    q->halo = h.halo;
    memcpy(&q->checksum, r.data + r.len, sizeof q->checksum);
    GRL_ALLOC(q->global, int64_t, h.nodes);
    GRL_ALLOC(q->key, uint64_t, h.nodes);
    GRL_ALLOC(q->halo_global, int64_t, h.halo);
    GRL_ALLOC(q->halo_owner, int64_t, h.halo);
    GRL_TRY(grl_bin_take(&r, q->global, (size_t)h.nodes * 8, "the nodes", msg));
    GRL_TRY(grl_bin_take(&r, q->key, (size_t)h.nodes * 8, "the id keys", msg));
    GRL_TRY(grl_bin_take(&r, q->halo_global, (size_t)h.halo * 8, "the halo",
                         msg));
    GRL_TRY(grl_bin_take(&r, q->halo_owner, (size_t)h.halo * 8,
                         "the halo owners", msg));
    GRL_TRY(grl_bin_read_matrix(&r, &q->out, (uint64_t)h.nodes, (uint64_t)h.n,
                                msg));
    if (q->directed)
        GRL_TRY(grl_bin_read_matrix(&r, &q->in, (uint64_t)h.nodes,
                                    (uint64_t)h.n, msg));
    GRL_TRY(grl_bin_end(&r, msg));
    grl_bin_close(&r);
    GRL_TRY(validate_part(q, path, msg));
    return 0;
#undef FREE_ALL
}

int grl_part_load(grl_part **P, const char *dir,
                  const grl_partition_manifest *M, int64_t p, char *msg)
{
    grl_msg_clear(msg);
    char *path = NULL;
#define FREE_ALL free(path); grl_part_free(P)
    GRL_REQUIRE(P != NULL && dir != NULL && M != NULL, "grl_part_load: NULL "
                "argument");
    *P = NULL;
    GRL_REQUIRE(p >= 0 && p < M->k, "part %" PRId64 " outside 0..%" PRId64, p,
                M->k - 1);
    path = part_path(dir, p);
    if (path == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory");
    GRL_TRY(grl_part_read(P, path, msg));
    const grl_part *q = *P;
    if (q->n != M->n || q->k != M->k || q->part != p ||
        q->directed != M->directed || q->weighted != M->weighted ||
        q->nodes != M->nodes[p] || q->halo != M->halo[p] ||
        q->checksum != M->checksum[p])
        GRL_FAIL(GRL_PARSE_ERROR, "%s: this part file does not belong to the "
                 "partition in %s/" MANIFEST_NAME " (a file of another "
                 "partition?)", path, dir);
    free(path);
    return 0;
#undef FREE_ALL
}
