/* ppr_index.c — PowerWalk's fingerprint index over ranks: each rank owns
 * the rows (fingerprints) of its nodes. Walk j of node v runs on RNG
 * stream (seed, v R + j), the alpha-walk of walks/ppr_index.c step for
 * step (grl_step_arc over the same rows in the same order); when it steps
 * onto another part's node it travels, RNG state included, to that node's
 * rank, in batches (one MPI_Alltoallv per round). Every visit is a (row,
 * node) pair sent to the walk's home rank, which counts the pairs: a row
 * is count x alpha / R, the same doubles as one process's index.
 *
 * Walks start in waves of at most WAVE_WALKS per rank, so the walks and
 * visits in flight stay bounded (about 1/alpha visits of 16 bytes per
 * walk).
 *
 * The file of rank r, in the checksummed container of core/binfile.h:
 *   offset  0  "GRLPPRIP"              8-byte magic
 *           8  uint32 version (1), uint32 0
 *          16  uint64 the file's length in bytes
 *          24  int64 n, rows, arcs     the graph, our rows, their out-arcs
 *          48  int64 walks R, double alpha, uint64 seed
 *          72  int32 parts, int32 rank
 *          80  int64 node[rows]        the whole-graph node of each row
 *              the rows x n matrix section (binfile.h; the visit counts)
 *        end-8 uint64 XXH64 of all the bytes above */
#include "mpi_internal.h"
#include "walks_internal.h"
#include "binfile.h"

#include <math.h>

#define PART_INDEX_MAGIC "GRLPPRIP"
#define PART_INDEX_VERSION 1u
#define WAVE_WALKS ((int64_t)1 << 17)

typedef struct {
    char magic[8];
    uint32_t version, zero;
    uint64_t file_bytes;
    int64_t n, rows, arcs, walks;
    double alpha;
    uint64_t seed;
    int32_t parts, rank;
} part_index_header;

_Static_assert(sizeof(part_index_header) == 80, "header is 80 bytes");

/* A walk in flight: where it stands and whose fingerprint it adds to. */
typedef struct {
    int64_t home_row; /* the row of its start on the home rank */
    int64_t node;     /* the node it stands on (whole-graph index) */
    int64_t home;     /* the rank holding its start */
    grl_rng rng;
} walker;

typedef struct {
    int64_t row, node; /* a visit of `node` by a walk from our row `row` */
} visit;

void grl_mpi_ppr_index_free(grl_mpi_ppr_index **I)
{
    if (I == NULL || *I == NULL) return;
    GrB_Matrix_free(&(*I)->Q);
    free((*I)->owner);
    free(*I);
    *I = NULL;
}

GrB_Matrix grl_mpi_ppr_index_matrix(const grl_mpi_ppr_index *I)
{
    return I ? I->Q : NULL;
}

/* path = prefix.RRRRR, this rank's file. */
static int part_path(char *path, size_t len, const char *prefix,
                     const grl_mpi_graph *D, char *msg)
{
#define FREE_ALL ;
    if (snprintf(path, len, "%s.%05d", prefix, D->rank) >= (int)len)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "%s: path too long", prefix);
    return 0;
#undef FREE_ALL
}

/* owner[g] = the rank holding node g (MPI_Allgatherv of the rows' nodes). */
static int owners(grl_mpi_ppr_index *ix, grl_mpi_graph *D, char *msg)
{
    int *count = NULL, *displ = NULL;
    int64_t *all = NULL;
#define FREE_ALL free(count); free(displ); free(all)
    GRL_REQUIRE(D->n <= INT32_MAX, "an index over ranks holds at most 2^31-1 "
                "nodes, this graph has %" PRId64, D->n);
    GRL_ALLOC(ix->owner, int32_t, D->n ? D->n : 1);
    GRL_ALLOC(count, int, D->size);
    GRL_ALLOC(displ, int, D->size);
    GRL_ALLOC(all, int64_t, D->n ? D->n : 1);
    int mine = (int)D->nodes;
    MPI_TRY(MPI_Allgather(&mine, 1, MPI_INT, count, 1, MPI_INT, D->comm));
    displ[0] = 0;
    for (int q = 1; q < D->size; q++) displ[q] = displ[q - 1] + count[q - 1];
    MPI_TRY(MPI_Allgatherv(D->global, mine, MPI_INT64_T, all, count, displ,
                           MPI_INT64_T, D->comm));
    for (int q = 0; q < D->size; q++)
        for (int i = 0; i < count[q]; i++) ix->owner[all[displ[q] + i]] = q;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* A new index for D's rows with the owner table; Q not yet made. */
static int index_new(grl_mpi_ppr_index **I, grl_mpi_graph *D, int64_t walks,
                     double alpha, uint64_t seed, char *msg)
{
#define FREE_ALL ;
    GRL_CALLOC(*I, grl_mpi_ppr_index, 1);
    grl_mpi_ppr_index *ix = *I;
    ix->n = D->n;
    ix->rows = D->nodes;
    ix->arcs = (int64_t)D->out.Ap[D->nodes];
    ix->walks = walks;
    ix->alpha = alpha;
    ix->seed = seed;
    return owners(ix, D, msg);
#undef FREE_ALL
}

/* Walk a on our rows until it ends (-1: done) or steps onto another part
 * (its rank returned, a->node set); every visit goes to visits[home]. */
static int advance(const grl_mpi_graph *D, const grl_walk_csr *c, double alpha,
                   walker *a, grl_mpi_records *visits, int *bad, char *msg)
{
    int64_t r = grl_mpi_row_of(D, a->node);
    if (r < 0) { /* cannot happen: walks travel to the owner of their node */
        *bad = 1;
        return -1;
    }
    for (;;) { /* grl_alpha_walk, one part at a time */
        visit v = {a->home_row, a->node};
        if (grl_mpi_records_push(&visits[a->home], &v, sizeof v, msg) < 0) {
            *bad = 1;
            return -1;
        }
        if (grl_rng_uniform(&a->rng) < alpha) return -1;
        int64_t p = grl_step_arc(c, r, &a->rng);
        if (p < 0) return -1; /* killed at a dangling node */
        int64_t col = (int64_t)c->a.Aj[p];
        if (col >= D->nodes) {
            a->node = D->halo_global[col - D->nodes];
            return D->halo_owner[col - D->nodes];
        }
        r = col;
        a->node = D->global[col];
    }
}

static int by_row_node(const void *x, const void *y)
{
    const visit *a = x, *b = y;
    if (a->row != b->row) return a->row < b->row ? -1 : 1;
    return (a->node > b->node) - (a->node < b->node);
}

/* The growing CSR arrays of our rows. */
typedef struct {
    GrB_Index *Ap, *Aj;
    double *Ax;
    int64_t nnz, cap;
} row_builder;

/* Rows lo..hi-1 from their visits (sorted by row, then node). */
static int add_rows(row_builder *b, visit *v, int64_t m, int64_t lo, int64_t hi,
                    double scale, char *msg)
{
#define FREE_ALL ;
    if (m > 1) qsort(v, (size_t)m, sizeof(visit), by_row_node); /* v is NULL when m = 0 */
    int64_t t = 0;
    for (int64_t r = lo; r < hi; r++) {
        for (; t < m && v[t].row == r; b->nnz++) {
            int64_t node = v[t].node, count = 0;
            for (; t < m && v[t].row == r && v[t].node == node; t++) count++;
            if (b->nnz == b->cap) {
                int64_t cap = b->cap ? 2 * b->cap : 1024;
                GrB_Index *Aj = grl_realloc(b->Aj, sizeof(GrB_Index) * (size_t)cap);
                if (Aj) b->Aj = Aj;
                double *Ax = grl_realloc(b->Ax, sizeof(double) * (size_t)cap);
                if (Ax) b->Ax = Ax;
                if (Aj == NULL || Ax == NULL)
                    GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory for %" PRId64
                             " index entries", cap);
                b->cap = cap;
            }
            b->Aj[b->nnz] = (GrB_Index)node;
            b->Ax[b->nnz] = (double)count * scale; /* as walks/ppr_mc.c */
        }
        b->Ap[r + 1] = (GrB_Index)b->nnz;
    }
    return 0;
#undef FREE_ALL
}

/* One wave: the walks of rows lo..hi-1 (none if lo == hi), rounds until no
 * walk is left anywhere, then those rows built from their visits. */
static int wave(grl_mpi_graph *D, const grl_walk_csr *c, int64_t lo, int64_t hi,
                const grl_ppr_index_options *o, row_builder *b, char *msg)
{
    grl_mpi_records active = {0}, *visits = NULL, mine = {0};
    int *dest = NULL, *vdest = NULL;
    char *in = NULL;
#define FREE_ALL free(active.data); free(mine.data); free(dest); free(vdest);   \
    free(in);                                                                  \
    for (int q = 0; visits && q < D->size; q++) free(visits[q].data);          \
    free(visits)
    int status = 0;
    visits = grl_calloc((size_t)D->size, sizeof(grl_mpi_records));
    if (visits == NULL) status = GRL_OUT_OF_MEMORY;
    for (int64_t r = lo; status == 0 && r < hi; r++)
        for (int64_t j = 0; status == 0 && j < o->walks; j++) {
            walker a = {r, D->global[r], D->rank, {0}};
            grl_rng_init(&a.rng, o->seed, (uint64_t)D->global[r] * (uint64_t)o->walks
                                          + (uint64_t)j);
            status = grl_mpi_records_push(&active, &a, sizeof a, msg);
        }
    if (status == GRL_OUT_OF_MEMORY) grl_set_msg(msg, "out of memory for the walks");
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    for (;;) {
        int64_t left = active.count;
        MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &left, 1, MPI_INT64_T, MPI_SUM, D->comm));
        if (left == 0) break;
        int64_t m = active.count, moving = 0, received = 0, nv = 0;
        int bad = 0;
        free(dest);
        dest = grl_malloc(sizeof(int) * (size_t)(m ? m : 1));
        if (dest == NULL) bad = 1;
        for (int64_t i = 0; !bad && i < m; i++) {
            walker *a = (walker *)(active.data + (size_t)i * sizeof(walker));
            int to = advance(D, c, o->alpha, a, visits, &bad, msg);
            if (to >= 0) { /* keep the walks that travel, in order */
                memmove(active.data + (size_t)moving * sizeof(walker), a, sizeof(walker));
                dest[moving++] = to;
            }
        }
        if (bad && dest == NULL) grl_set_msg(msg, "out of memory");
        else if (bad && msg && *msg == '\0')
            grl_set_msg(msg, "a walk reached rank %d at a node it does not "
                        "hold: the parts disagree", D->rank);
        GRL_TRY(grl_mpi_agree(D->comm, bad ? GRL_PARSE_ERROR : 0, msg));
        GRL_TRY(grl_mpi_route(D->comm, active.data, moving, sizeof(walker), dest,
                              &in, &received, msg));
        free(active.data);
        active = (grl_mpi_records){in, received, received};
        in = NULL;
        /* the visits go home (our own ones too, in the same exchange) */
        for (int q = 0; q < D->size; q++) nv += visits[q].count;
        free(vdest);
        vdest = grl_malloc(sizeof(int) * (size_t)(nv ? nv : 1));
        status = vdest ? 0 : GRL_OUT_OF_MEMORY;
        char *flat = NULL;
        if (status == 0 && (flat = grl_malloc(sizeof(visit) * (size_t)(nv ? nv : 1))) == NULL)
            status = GRL_OUT_OF_MEMORY;
        for (int64_t q = 0, at = 0; status == 0 && q < D->size; q++) {
            if (visits[q].count) /* an empty list may have no buffer yet */
                memcpy(flat + (size_t)at * sizeof(visit), visits[q].data,
                       sizeof(visit) * (size_t)visits[q].count);
            for (int64_t t = 0; t < visits[q].count; t++) vdest[at++] = (int)q;
            visits[q].count = 0;
        }
        if (status) grl_set_msg(msg, "out of memory for %" PRId64 " visits", nv);
        status = grl_mpi_agree(D->comm, status, msg);
        if (status == 0)
            status = grl_mpi_route(D->comm, flat, nv, sizeof(visit), vdest, &in,
                                   &received, msg);
        free(flat);
        GRL_TRY(grl_mpi_agree(D->comm, status, msg));
        for (int64_t t = 0; status == 0 && t < received; t++)
            status = grl_mpi_records_push(&mine, in + (size_t)t * sizeof(visit),
                                          sizeof(visit), msg);
        free(in);
        in = NULL;
        GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    }
    status = add_rows(b, (visit *)mine.data, mine.count, lo, hi,
                      o->alpha / (double)o->walks, msg);
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

static int check_options(const grl_mpi_graph *D, const grl_ppr_index_options *o,
                         char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->walks >= 1, "the index needs at least 1 walk per node, got %"
                PRId64, o->walks);
    GRL_REQUIRE(o->alpha > 0 && o->alpha < 1, "alpha must be in (0, 1), got %g",
                o->alpha);
    /* walk j of node v is stream v * R + j */
    GRL_REQUIRE_MUL_I64(D->n, o->walks, "--walks R times the number of nodes");
    return 0;
#undef FREE_ALL
}

int grl_mpi_ppr_index_build(grl_mpi_ppr_index **I, grl_mpi_graph *D,
                            const grl_ppr_index_options *opt, char *msg)
{
    grl_msg_clear(msg);
    grl_mpi_ppr_index *ix = NULL;
    grl_walk_csr c = {0};
    row_builder b = {0};
#define FREE_ALL grl_mpi_ppr_index_free(&ix); free(c.cum); free(b.Ap);         \
    free(b.Aj); free(b.Ax)
    GRL_REQUIRE(I != NULL && D != NULL, "grl_mpi_ppr_index_build: NULL argument");
    *I = NULL;
    grl_ppr_index_options o;
    grl_ppr_index_options_init(&o);
    if (opt != NULL) o = *opt;
    GRL_TRY(grl_mpi_agree(D->comm, check_options(D, &o, msg), msg));
    int status = index_new(&ix, D, o.walks, o.alpha, o.seed, msg);
    /* the rows walks step over, weighted as walks/csr.c borrows them */
    c.a = D->out;
    if (status == 0 && D->weighted && !D->out.iso) {
        c.cum = grl_malloc(sizeof(double) * (D->out.Ap[D->nodes] + 1));
        if (c.cum) grl_walk_cumulative(c.cum, &c.a);
        else status = GRL_OUT_OF_MEMORY;
    }
    if (status == 0 && (b.Ap = grl_calloc((size_t)D->nodes + 1, sizeof(GrB_Index))) == NULL)
        status = GRL_OUT_OF_MEMORY;
    if (status == GRL_OUT_OF_MEMORY) grl_set_msg(msg, "out of memory");
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    int64_t per_wave = WAVE_WALKS / o.walks > 0 ? WAVE_WALKS / o.walks : 1;
    int64_t waves = (D->nodes + per_wave - 1) / per_wave;
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &waves, 1, MPI_INT64_T, MPI_MAX, D->comm));
    for (int64_t w = 0; w < waves; w++) {
        int64_t lo = w * per_wave < D->nodes ? w * per_wave : D->nodes;
        int64_t hi = D->nodes - lo < per_wave ? D->nodes : lo + per_wave;
        GRL_TRY(wave(D, &c, lo, hi, &o, &b, msg));
        if (o.progress) o.progress(w + 1, waves, o.progress_ctx);
    }
    status = 0;
    if (b.cap == 0) { /* no rows: GraphBLAS still wants arrays */
        b.Aj = grl_malloc(sizeof(GrB_Index));
        b.Ax = grl_malloc(sizeof(double));
        b.cap = 1;
    }
    GrB_Info info = b.Aj && b.Ax ? GrB_SUCCESS : GrB_OUT_OF_MEMORY;
    if (info == GrB_SUCCESS)
        info = GrB_Matrix_new(&ix->Q, GrB_FP64, (GrB_Index)D->nodes,
                                   (GrB_Index)D->n);
    void *vx = b.Ax;
    if (info == GrB_SUCCESS)
        info = GxB_Matrix_pack_CSR(ix->Q, &b.Ap, &b.Aj, &vx,
                                   sizeof(GrB_Index) * (size_t)(D->nodes + 1),
                                   sizeof(GrB_Index) * (size_t)b.cap,
                                   sizeof(double) * (size_t)b.cap, false, false,
                                   NULL);
    b.Ax = vx;
    if (info != GrB_SUCCESS) {
        grl_set_msg(msg, "GraphBLAS error %d packing the index rows", (int)info);
        status = GRL_OUT_OF_MEMORY;
    }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    *I = ix;
    ix = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_mpi_ppr_index_save(const grl_mpi_ppr_index *I, grl_mpi_graph *D,
                           const char *prefix, char *msg)
{
    grl_msg_clear(msg);
    grl_bin_writer w = {0};
    grl_bin_matrix m = {0};
#define FREE_ALL grl_bin_discard(&w); grl_bin_matrix_release(&m)
    GRL_REQUIRE(I != NULL && D != NULL && prefix != NULL,
                "grl_mpi_ppr_index_save: NULL argument");
    char path[4096];
    int status = part_path(path, sizeof path, prefix, D, msg);
    part_index_header h = {.version = PART_INDEX_VERSION, .n = I->n,
                           .rows = I->rows, .arcs = I->arcs, .walks = I->walks,
                           .alpha = I->alpha, .seed = I->seed,
                           .parts = D->size, .rank = D->rank};
    memcpy(h.magic, PART_INDEX_MAGIC, 8);
    /* entries are visit counts times alpha / R: stored as the counts */
    if (status == 0)
        status = grl_bin_matrix_prepare(&m, I->Q, I->alpha / (double)I->walks, msg);
    if (status == 0) {
        h.file_bytes = sizeof h + sizeof(int64_t) * (uint64_t)I->rows + m.bytes +
                       sizeof(uint64_t);
        status = grl_bin_create(&w, path, msg);
    }
    if (status == 0) {
        grl_bin_write(&w, &h, sizeof h);
        grl_bin_write(&w, D->global, sizeof(int64_t) * (size_t)I->rows);
        status = grl_bin_matrix_write(&w, &m, msg);
    }
    if (status == 0) status = grl_bin_finish(&w, msg);
    FREE_ALL;
    return grl_mpi_agree(D->comm, status, msg);
#undef FREE_ALL
}

/* Read this rank's file and check it belongs to D's part. */
static int load_part(grl_mpi_ppr_index **I, grl_mpi_graph *D, const char *path,
                     char *msg)
{
    grl_bin_reader r = {0};
    int64_t *nodes = NULL;
#define FREE_ALL grl_bin_close(&r); free(nodes)
    GRL_TRY(grl_bin_open(&r, path, PART_INDEX_MAGIC, PART_INDEX_VERSION,
                         "partitioned PPR index", msg));
    part_index_header h;
    int64_t streams;
    GRL_TRY(grl_bin_take(&r, &h, sizeof h, "the header", msg));
    if (h.zero != 0 || h.walks < 1 || !(h.alpha > 0 && h.alpha < 1) ||
        __builtin_mul_overflow(h.n, h.walks, &streams))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt partitioned PPR index header "
                 "(walks=%" PRId64 ", alpha=%g)", path, h.walks, h.alpha);
    if (h.parts != D->size || h.rank != D->rank || h.n != D->n ||
        h.rows != D->nodes || h.arcs != (int64_t)D->out.Ap[D->nodes])
        GRL_FAIL(GRL_INVALID_ARGUMENT, "%s is part %d of %d of an index of a "
                 "graph with %" PRId64 " nodes (%" PRId64 " rows, %" PRId64
                 " arcs), not part %d of %d of this partition (%" PRId64
                 " nodes, %" PRId64 " rows, %" PRId64 " arcs); rebuild it for "
                 "this partition", path, h.rank, h.parts, h.n, h.rows, h.arcs,
                 D->rank, D->size, D->n, D->nodes, (int64_t)D->out.Ap[D->nodes]);
    GRL_ALLOC(nodes, int64_t, h.rows ? h.rows : 1);
    GRL_TRY(grl_bin_take(&r, nodes, sizeof(int64_t) * (size_t)h.rows,
                         "the row nodes", msg));
    if (memcmp(nodes, D->global, sizeof(int64_t) * (size_t)h.rows) != 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "%s: its rows are other nodes than this "
                 "part's; rebuild the index for this partition", path);
    GrB_Matrix Q = NULL;
    GRL_TRY(grl_bin_read_matrix(&r, &Q, (uint64_t)h.rows, (uint64_t)h.n, msg));
    int status = grl_bin_end(&r, msg);
    if (status == 0)
        status = grl_ppr_index_check_counts(Q, h.alpha / (double)h.walks, path, msg);
    if (status == 0) status = index_new(I, D, h.walks, h.alpha, h.seed, msg);
    if (status == 0) (*I)->Q = Q;
    else GrB_Matrix_free(&Q);
    FREE_ALL;
    return status;
#undef FREE_ALL
}

int grl_mpi_ppr_index_load(grl_mpi_ppr_index **I, grl_mpi_graph *D,
                           const char *prefix, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(I != NULL && D != NULL && prefix != NULL,
                "grl_mpi_ppr_index_load: NULL argument");
    *I = NULL;
    char path[4096];
    int status = part_path(path, sizeof path, prefix, D, msg);
    if (status == 0) status = load_part(I, D, path, msg);
    /* the same walks, alpha and seed on every rank */
    int64_t mine[3] = {0, 0, 0}, lo[3], hi[3];
    if (status == 0) {
        mine[0] = (*I)->walks;
        memcpy(&mine[1], &(*I)->alpha, sizeof(double));
        memcpy(&mine[2], &(*I)->seed, sizeof(uint64_t));
    }
    status = grl_mpi_agree(D->comm, status, msg);
    if (status == 0) {
        MPI_Allreduce(mine, lo, 3, MPI_INT64_T, MPI_MIN, D->comm);
        MPI_Allreduce(mine, hi, 3, MPI_INT64_T, MPI_MAX, D->comm);
        if (memcmp(lo, hi, sizeof lo) != 0) {
            grl_set_msg(msg, "%s.*: the parts were built with different walks, "
                        "alpha or seed: rebuild the index", prefix);
            status = GRL_PARSE_ERROR;
        }
    }
    if (status < 0) grl_mpi_ppr_index_free(I);
    return status;
#undef FREE_ALL
}
