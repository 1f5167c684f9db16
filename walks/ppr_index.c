/* ppr_index.c — the Monte Carlo fingerprint index (PowerWalk's offline
 * phase): row v = alpha * visits / R of R alpha-walks from v, built straight
 * into CSR arrays (a counting pass, then a filling pass that replays the
 * same RNG streams), and its file, in the checksummed container of
 * core/binfile.h, format version 2:
 *   offset  0  "GRLPPRIX"              8-byte magic
 *           8  uint32 version (2), uint32 0
 *          16  uint64 the file's length in bytes
 *          24  int64 n, int64 arcs      the graph it was built for
 *          40  int64 walks R, double alpha, uint64 seed
 *          64  the n x n matrix section (binfile.h; the visit counts)
 *        end-8 uint64 XXH64 of all the bytes above
 * all little-endian, as this machine writes them. The bytes depend only on
 * the graph, R, alpha and seed: not on the thread count. */
#include "walks_internal.h"

#include <math.h>

#include "binfile.h"

#define INDEX_MAGIC "GRLPPRIX"
#define INDEX_VERSION 2u

struct grl_ppr_index {
    GrB_Matrix Q;    /* n x n, row v = q^_v */
    int64_t n, arcs, walks;
    double alpha;
    uint64_t seed;
};

typedef struct {
    char magic[8];
    uint32_t version, zero;
    uint64_t file_bytes;
    int64_t n, arcs, walks;
    double alpha;
    uint64_t seed;
} index_header;

_Static_assert(sizeof(index_header) == 64, "index header is 64 bytes");

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
    grl_msg_clear(msg);
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

int grl_powerwalk_check_options(const grl_ppr_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->rounds >= 0, "PowerWalk needs T >= 0 rounds, got %d", o->rounds);
    GRL_REQUIRE(o->drop >= 0, "PowerWalk's drop threshold must be >= 0, got %g",
                o->drop);
    GRL_REQUIRE(o->residual >= 0 && isfinite(o->residual), "PowerWalk's "
                "residual ratio must be a finite number >= 0 (0: run all rounds), "
                "got %g", o->residual);
    return 0;
#undef FREE_ALL
}

void grl_ppr_index_options_init(grl_ppr_index_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->walks = 100;
    opt->alpha = 0.15;
    opt->seed = 42;
}

/* Node v's fingerprint walks: pass 0 counts its distinct visited nodes
 * into Ap[v], pass 1 writes its row at Ap[v]. False when out of memory. */
static bool walk_node(const grl_walk_csr *csr, int64_t v,
                      const grl_ppr_index_options *o, int pass,
                      grl_sparse_acc *acc, GrB_Index *Ap, GrB_Index *Aj,
                      double *Ax)
{
    grl_fingerprint_walks(csr, v, o->walks, o->alpha, o->seed, acc);
    if (pass == 0) {
        Ap[v] = (GrB_Index)acc->count;
        grl_acc_clear(acc);
        return true;
    }
    int64_t *idx = NULL, cnt = 0;
    double *val = NULL;
    if (grl_acc_extract(acc, &idx, &val, &cnt, NULL) < 0) return false;
    memcpy(Aj + Ap[v], idx, sizeof(int64_t) * cnt);
    memcpy(Ax + Ap[v], val, sizeof(double) * cnt);
    free(idx);
    free(val);
    return true;
}

int grl_ppr_index_build(grl_ppr_index **I, grl_graph *G,
                        const grl_ppr_index_options *opt, char *msg)
{
    grl_msg_clear(msg);
    grl_ppr_index_options o;
    grl_ppr_index_options_init(&o);
    if (opt != NULL) o = *opt;
    grl_ppr_index *ix = NULL;
    grl_walk_csr csr = {0};
    GrB_Index *Ap = NULL, *Aj = NULL;
    double *Ax = NULL;
#define FREE_ALL grl_walk_csr_return(&csr, NULL); grl_ppr_index_free(&ix);     \
    free(Ap); free(Aj); free(Ax)
    GRL_REQUIRE(I != NULL && G != NULL, "grl_ppr_index_build: NULL argument");
    *I = NULL;
    GRL_REQUIRE(o.walks >= 1, "the index needs at least 1 walk per node, got %"
                PRId64, o.walks);
    GRL_REQUIRE(o.alpha > 0 && o.alpha < 1, "alpha must be in (0, 1), got %g",
                o.alpha);
    GRL_TRY(grl_init(msg));
    const int64_t n = grl_graph_num_nodes(G);
    /* walk j of node v is stream v * R + j */
    GRL_REQUIRE_MUL_I64(n, o.walks, "--walks R times the number of nodes");
    GRL_CALLOC(ix, grl_ppr_index, 1);
    ix->n = n;
    ix->arcs = grl_graph_num_arcs(G);
    ix->walks = o.walks;
    ix->alpha = o.alpha;
    ix->seed = o.seed;
    GRL_ALLOC(Ap, GrB_Index, n + 1);
    GRL_TRY(grl_walk_csr_borrow(&csr, G, grl_graph_is_weighted(G), msg));
    int failed = 0;
    /* with a progress callback, nodes go in 100 slices, each reported by
     * the calling thread (the team's master) after the slice's barrier */
    const int64_t slice = o.progress && n > 100 ? (n + 99) / 100 : (n > 0 ? n : 1);
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
            for (int64_t lo = 0; lo < n; lo += slice) {
                int64_t hi = n - lo < slice ? n : lo + slice;
#pragma omp for schedule(dynamic, 256)
                for (int64_t v = lo; v < hi; v++) {
                    int stop;
#pragma omp atomic read
                    stop = failed;
                    if (!stop && !walk_node(&csr, v, &o, pass, &acc, Ap, Aj, Ax)) {
#pragma omp atomic write
                        failed = 1;
                    }
                }
#pragma omp master
                if (o.progress) o.progress(pass * n + hi, 2 * n, o.progress_ctx);
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
    grl_msg_clear(msg);
    grl_bin_writer w = {0};
    grl_bin_matrix m = {0};
#define FREE_ALL grl_bin_discard(&w); grl_bin_matrix_release(&m)
    GRL_REQUIRE(I != NULL && path != NULL, "grl_ppr_index_save: NULL argument");
    index_header h = {.version = INDEX_VERSION, .n = I->n, .arcs = I->arcs,
                      .walks = I->walks, .alpha = I->alpha, .seed = I->seed};
    memcpy(h.magic, INDEX_MAGIC, 8);
    /* entries are visit counts times alpha / R: stored as the counts */
    GRL_TRY(grl_bin_matrix_prepare(&m, I->Q, I->alpha / (double)I->walks,
                                   msg));
    h.file_bytes = sizeof h + m.bytes + sizeof(uint64_t);
    GRL_TRY(grl_bin_create(&w, path, msg));
    grl_bin_write(&w, &h, sizeof h);
    GRL_TRY(grl_bin_matrix_write(&w, &m, msg));
    GRL_TRY(grl_bin_finish(&w, msg));
    grl_bin_matrix_release(&m);
    return 0;
#undef FREE_ALL
}

/* Whether x is c * scale for a whole count c in 1..2^53: the entries of
 * an index are visit counts scaled by alpha / R. */
static bool is_count(double x, double scale)
{
    double c = x / scale;
    return c >= 0.5 && c <= 0x1p53 && fabs(c - round(c)) <= 1e-6 * c;
}

int grl_ppr_index_check_counts(GrB_Matrix Q, double scale, const char *path,
                               char *msg)
{
    grl_csr csr = {0};
#define FREE_ALL grl_csr_return(&csr, NULL)
    GRL_TRY(grl_matrix_check(Q, path, msg));
    /* borrows the index being loaded (not yet shared) */
    GRL_TRY(grl_csr_borrow(&csr, Q, false, msg));
    for (int64_t i = 0; i < csr.n; i++)
        for (GrB_Index p = csr.Ap[i]; p < csr.Ap[i + 1]; p++)
            if (!is_count(csr.Ax[csr.iso ? 0 : p], scale))
                GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt PPR index: entry (%"
                         PRId64 ", %" PRIu64 ") = %g is not a visit count "
                         "times alpha / R", path, i, (uint64_t)csr.Aj[p],
                         csr.Ax[csr.iso ? 0 : p]);
    GRL_TRY(grl_csr_return(&csr, msg));
    return 0;
#undef FREE_ALL
}

int grl_ppr_index_load(grl_ppr_index **I, const char *path, char *msg)
{
    grl_msg_clear(msg);
    grl_bin_reader r = {0};
    grl_ppr_index *ix = NULL;
#define FREE_ALL grl_bin_close(&r); grl_ppr_index_free(&ix)
    GRL_REQUIRE(I != NULL && path != NULL, "grl_ppr_index_load: NULL argument");
    *I = NULL;
    GRL_TRY(grl_init(msg));
    GRL_TRY(grl_bin_open(&r, path, INDEX_MAGIC, INDEX_VERSION,
                         "PPR index", msg));
    index_header h;
    int64_t streams; /* walk j of node v is stream v * R + j */
    GRL_TRY(grl_bin_take(&r, &h, sizeof h, "the header", msg));
    if (h.zero != 0 || h.n < 0 || h.arcs < 0 || h.walks < 1 ||
        !(h.alpha > 0 && h.alpha < 1) ||
        __builtin_mul_overflow(h.n, h.walks, &streams))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt PPR index header (n=%" PRId64
                 ", arcs=%" PRId64 ", walks=%" PRId64 ", alpha=%g)", path, h.n,
                 h.arcs, h.walks, h.alpha);
    GRL_CALLOC(ix, grl_ppr_index, 1);
    ix->n = h.n;
    ix->arcs = h.arcs;
    ix->walks = h.walks;
    ix->alpha = h.alpha;
    ix->seed = h.seed;
    GRL_TRY(grl_bin_read_matrix(&r, &ix->Q, (uint64_t)h.n, (uint64_t)h.n, msg));
    GRL_TRY(grl_bin_end(&r, msg));
    GRL_TRY(grl_ppr_index_check_counts(ix->Q, ix->alpha / (double)ix->walks,
                                       path, msg));
    grl_bin_close(&r);
    *I = ix;
    ix = NULL;
    return 0;
#undef FREE_ALL
}
