/* ppr_index.c — the Monte Carlo fingerprint index (PowerWalk's offline
 * phase): row v = alpha * visits / R of R alpha-walks from v, built straight
 * into CSR arrays (a counting pass, then a filling pass that replays the
 * same RNG streams), and its file format:
 *   offset  0  "GRLPPRIX"              8-byte magic
 *           8  uint32 version (1), uint32 0
 *          16  int64 n, int64 arcs      the graph it was built for
 *          32  int64 walks R, double alpha, uint64 seed
 *          56  uint64 blob bytes, int64 entries, uint64 0
 *          80  GxB_Matrix_serialize blob of the n x n FP64 matrix
 * all little-endian, as this machine writes them. */
#include "walks_internal.h"

#include <errno.h>
#include <math.h>

#define INDEX_MAGIC "GRLPPRIX"
#define INDEX_VERSION 1u
#define INDEX_HEADER 80

struct grl_ppr_index {
    GrB_Matrix Q;    /* n x n, row v = q^_v */
    int64_t n, arcs, walks;
    double alpha;
    uint64_t seed;
};

typedef struct {
    char magic[8];
    uint32_t version, zero;
    int64_t n, arcs, walks;
    double alpha;
    uint64_t seed, blob, entries, zero2;
} index_header;

_Static_assert(sizeof(index_header) == INDEX_HEADER, "index header is 80 bytes");

void grl_ppr_index_free(grl_ppr_index **I)
{
    if (I == NULL || *I == NULL) return;
    GrB_Matrix_free(&(*I)->Q);
    free(*I);
    *I = NULL;
}

GrB_Matrix grl_ppr_index_matrix(const grl_ppr_index *I)
{
    return I ? I->Q : NULL;
}

int grl_ppr_index_info(const grl_ppr_index *I, int64_t *n, int64_t *walks,
                       double *alpha, int64_t *entries, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(I != NULL, "grl_ppr_index_info: NULL index");
    if (n) *n = I->n;
    if (walks) *walks = I->walks;
    if (alpha) *alpha = I->alpha;
    if (entries) {
        GrB_Index nv;
        GRB_TRY(GrB_Matrix_nvals(&nv, I->Q));
        *entries = (int64_t)nv;
    }
    return 0;
#undef FREE_ALL
}

int grl_ppr_index_check(const grl_ppr_index *I, const grl_graph *G,
                        double alpha, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(I != NULL, "this method needs a fingerprint index (build one "
                "with `grl ppr-index build`)");
    int64_t n = grl_graph_num_nodes(G), arcs = grl_graph_num_arcs(G);
    GRL_REQUIRE(I->n == n && I->arcs == arcs, "the index was built for a graph "
                "with %" PRId64 " nodes and %" PRId64 " arcs, this graph has %"
                PRId64 " and %" PRId64 "; rebuild it for this graph",
                I->n, I->arcs, n, arcs);
    GRL_REQUIRE(fabs(I->alpha - alpha) < 1e-12, "the index was built with "
                "alpha = %g but the query uses alpha = %g; use the same alpha "
                "or rebuild the index", I->alpha, alpha);
    return 0;
#undef FREE_ALL
}

int grl_ppr_index_build(grl_ppr_index **I, grl_graph *G, int64_t walks,
                        double alpha, uint64_t seed, char *msg)
{
    grl_ppr_index *ix = NULL;
    grl_walk_csr csr = {0};
    GrB_Index *Ap = NULL, *Aj = NULL;
    double *Ax = NULL;
#define FREE_ALL grl_walk_csr_return(&csr, NULL); grl_ppr_index_free(&ix);     \
    free(Ap); free(Aj); free(Ax)
    GRL_REQUIRE(I != NULL && G != NULL, "grl_ppr_index_build: NULL argument");
    *I = NULL;
    GRL_REQUIRE(walks >= 1, "the index needs at least 1 walk per node, got %"
                PRId64, walks);
    GRL_REQUIRE(alpha > 0 && alpha < 1, "alpha must be in (0, 1), got %g", alpha);
    GRL_TRY(grl_init(msg));
    const int64_t n = grl_graph_num_nodes(G);
    GRL_CALLOC(ix, grl_ppr_index, 1);
    ix->n = n;
    ix->arcs = grl_graph_num_arcs(G);
    ix->walks = walks;
    ix->alpha = alpha;
    ix->seed = seed;
    GRL_ALLOC(Ap, GrB_Index, n + 1);
    GRL_TRY(grl_walk_csr_borrow(&csr, G, grl_graph_is_weighted(G), msg));
    int failed = 0;
    /* pass 0 counts each row's distinct nodes, pass 1 replays and fills */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            GrB_Index total = 0;
            for (int64_t v = 0; v < n; v++) {
                GrB_Index c = Ap[v];
                Ap[v] = total;
                total += c;
            }
            Ap[n] = total;
            GRL_ALLOC(Aj, GrB_Index, total);
            GRL_ALLOC(Ax, double, total);
        }
#pragma omp parallel
        {
            grl_sparse_acc acc;
            if (grl_acc_init(&acc, n, NULL) < 0) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(dynamic, 256)
            for (int64_t v = 0; v < n; v++) {
                int stop;
#pragma omp atomic read
                stop = failed;
                if (stop) continue;
                grl_fingerprint_walks(&csr, v, walks, alpha, seed, &acc);
                if (pass == 0) {
                    Ap[v] = (GrB_Index)acc.count;
                    grl_acc_clear(&acc);
                } else {
                    int64_t *idx = NULL, cnt = 0;
                    double *val = NULL;
                    if (grl_acc_extract(&acc, &idx, &val, &cnt, NULL) < 0) {
#pragma omp atomic write
                        failed = 1;
                        continue;
                    }
                    memcpy(Aj + Ap[v], idx, sizeof(int64_t) * cnt);
                    memcpy(Ax + Ap[v], val, sizeof(double) * cnt);
                    free(idx);
                    free(val);
                }
            }
            grl_acc_free(&acc);
        }
        if (failed)
            GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory building the PPR index (%"
                     PRId64 " nodes)", n);
    }
    GRL_TRY(grl_walk_csr_return(&csr, msg));
    GrB_Index nnz = Ap[n];
    GRB_TRY(GrB_Matrix_new(&ix->Q, GrB_FP64, n, n));
    void *vx = Ax;
    GRB_TRY(GxB_Matrix_pack_CSR(ix->Q, &Ap, &Aj, &vx,
                                sizeof(GrB_Index) * (n + 1),
                                sizeof(GrB_Index) * (nnz ? nnz : 1),
                                sizeof(double) * (nnz ? nnz : 1), false, false,
                                NULL));
    Ax = vx;
    *I = ix;
    ix = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_ppr_index_save(const grl_ppr_index *I, const char *path, char *msg)
{
    void *blob = NULL;
    FILE *f = NULL;
#define FREE_ALL free(blob); if (f) fclose(f)
    GRL_REQUIRE(I != NULL && path != NULL, "grl_ppr_index_save: NULL argument");
    GrB_Index size = 0, nv = 0;
    GRB_TRY(GrB_Matrix_nvals(&nv, I->Q));
    GRB_TRY(GxB_Matrix_serialize(&blob, &size, I->Q, NULL));
    index_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, INDEX_MAGIC, 8);
    h.version = INDEX_VERSION;
    h.n = I->n;
    h.arcs = I->arcs;
    h.walks = I->walks;
    h.alpha = I->alpha;
    h.seed = I->seed;
    h.blob = size;
    h.entries = nv;
    f = fopen(path, "wb");
    if (f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: cannot open for writing: %s", path,
                            strerror(errno));
    if (fwrite(&h, sizeof h, 1, f) != 1 || fwrite(blob, 1, size, f) != size)
        GRL_FAIL(GRL_IO_ERROR, "%s: write failed: %s", path, strerror(errno));
    int rc = fclose(f);
    f = NULL;
    if (rc != 0) GRL_FAIL(GRL_IO_ERROR, "%s: write failed: %s", path, strerror(errno));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_ppr_index_load(grl_ppr_index **I, const char *path, char *msg)
{
    char *data = NULL;
    grl_ppr_index *ix = NULL;
#define FREE_ALL free(data); grl_ppr_index_free(&ix)
    GRL_REQUIRE(I != NULL && path != NULL, "grl_ppr_index_load: NULL argument");
    *I = NULL;
    GRL_TRY(grl_init(msg));
    size_t len = 0;
    GRL_TRY(grl_read_file(path, &data, &len, msg));
    index_header h;
    if (len < 8 || memcmp(data, INDEX_MAGIC, 8) != 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: not a grl PPR index (no GRLPPRIX header); "
                 "build one with `grl ppr-index build`", path);
    if (len < INDEX_HEADER)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated PPR index: %zu bytes, the "
                 "header alone has %d", path, len, INDEX_HEADER);
    memcpy(&h, data, sizeof h);
    if (h.version != INDEX_VERSION)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: PPR index format version %u, this grl "
                 "reads version %u; rebuild the index", path, h.version,
                 INDEX_VERSION);
    if (h.n < 0 || h.walks < 1 || !(h.alpha > 0 && h.alpha < 1))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt PPR index header (n=%" PRId64
                 ", walks=%" PRId64 ", alpha=%g)", path, h.n, h.walks, h.alpha);
    if (len - INDEX_HEADER != h.blob)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: %s PPR index: the header announces %"
                 PRIu64 " bytes of matrix data, the file has %zu", path,
                 len - INDEX_HEADER < h.blob ? "truncated" : "corrupt",
                 h.blob, len - INDEX_HEADER);
    GRL_CALLOC(ix, grl_ppr_index, 1);
    ix->n = h.n;
    ix->arcs = h.arcs;
    ix->walks = h.walks;
    ix->alpha = h.alpha;
    ix->seed = h.seed;
    GrB_Info info = GxB_Matrix_deserialize(&ix->Q, GrB_FP64, data + INDEX_HEADER,
                                           h.blob, NULL);
    if (info != GrB_SUCCESS)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt PPR index: its matrix data does "
                 "not deserialise (GraphBLAS status %d)", path, (int)info);
    GrB_Index r, c, nv;
    GRB_TRY(GrB_Matrix_nrows(&r, ix->Q));
    GRB_TRY(GrB_Matrix_ncols(&c, ix->Q));
    GRB_TRY(GrB_Matrix_nvals(&nv, ix->Q));
    if ((int64_t)r != h.n || (int64_t)c != h.n || nv != h.entries)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt PPR index: a %" PRIu64 " x %" PRIu64
                 " matrix with %" PRIu64 " entries, the header says %" PRId64
                 " nodes and %" PRIu64 " entries", path, (uint64_t)r,
                 (uint64_t)c, (uint64_t)nv, h.n, h.entries);
    *I = ix;
    ix = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
