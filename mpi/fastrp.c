/* fastrp.c — FastRP over ranks, the same bytes as grl_fastrp_embed (the
 * formula is in include/grl/embed.h). Each rank draws its rows of R from
 * the streams of their id keys, scales them by deg^beta from its own
 * arcs, and runs the powers as distributed products. The result rows then
 * move to blocks of consecutive nodes that start at multiples of
 * GRL_STANDARDIZE_BLOCK, so each rank computes the standardisation's
 * partial sums of whole blocks exactly as one process does, and every
 * rank combines all blocks' partials in block order.
 *
 * Memory per rank: (rows + halo) x d floats for the operand, rows x d for
 * the product, and rows x d for the result unless the first power
 * accumulated is the second-to-last (see powers()); then the result and
 * the rank's block of it (no packing buffers), and the gathered partials
 * (n / 4096 x d doubles). */
#include "mpi_internal.h"
#include "embed_internal.h"

#include <math.h>

/* The first node of rank r's block of rows: blocks of
 * GRL_STANDARDIZE_BLOCK nodes shared out evenly. */
static int64_t block_start(int64_t n, int r, int K)
{
    int64_t blocks = (n + GRL_STANDARDIZE_BLOCK - 1) / GRL_STANDARDIZE_BLOCK;
    int64_t b = blocks * r / K;
    int64_t first = b * GRL_STANDARDIZE_BLOCK;
    return first < n ? first : n;
}

static int block_owner(int64_t n, int64_t g, int K)
{
    int lo = 0, hi = K - 1; /* the last r with block_start(r) <= g */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (block_start(n, mid, K) <= g) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

/* An MPI type picking rows at[0..count-1] (in rows of type `row`). */
static int rows_type(MPI_Datatype *t, const int *at, int count, MPI_Datatype row,
                     char *msg)
{
#define FREE_ALL ;
    MPI_TRY(MPI_Type_create_indexed_block(count, 1, at, row, t));
    MPI_TRY(MPI_Type_commit(t));
    return 0;
#undef FREE_ALL
}

/* Move the rows of E (ours, in our row order) to their block owners: *B
 * holds rows block_start(rank) .. block_start(rank + 1) - 1. One
 * MPI_Alltoallw with a row-picking type per peer on both sides, so rows
 * go from E straight into *B (no packing buffers: the peak is E and *B). */
static int to_blocks(grl_dense **B, grl_mpi_graph *D, const float *E,
                     int64_t d, char *msg)
{
    int *scount = NULL, *rcount = NULL, *sdispl = NULL, *rdispl = NULL,
        *srow = NULL, *rrow = NULL, *ones = NULL, *zeros = NULL;
    int64_t *sid = NULL, *rid = NULL;
    MPI_Datatype row = MPI_DATATYPE_NULL, *stype = NULL, *rtype = NULL;
    int K = D->size;
#define FREE_ALL free(scount); free(rcount); free(sdispl); free(rdispl);        \
    free(srow); free(rrow); free(ones); free(zeros); free(sid); free(rid);     \
    for (int q_ = 0; stype && q_ < K; q_++) grl_mpi_type_free(&stype[q_]);     \
    for (int q_ = 0; rtype && q_ < K; q_++) grl_mpi_type_free(&rtype[q_]);     \
    free(stype); free(rtype); grl_mpi_type_free(&row); grl_dense_free(B)
    int64_t first = block_start(D->n, D->rank, K);
    int64_t rows = block_start(D->n, D->rank + 1, K) - first;
    GRL_REQUIRE(D->nodes <= INT32_MAX && rows <= INT32_MAX, "more than 2^31 "
                "rows on a rank");
    GRL_CALLOC(scount, int, K);
    GRL_CALLOC(rcount, int, K);
    GRL_CALLOC(sdispl, int, K + 1);
    GRL_CALLOC(rdispl, int, K + 1);
    GRL_ALLOC(ones, int, K);
    GRL_CALLOC(zeros, int, K);
    GRL_CALLOC(stype, MPI_Datatype, K);
    GRL_CALLOC(rtype, MPI_Datatype, K);
    for (int q = 0; q < K; q++) {
        ones[q] = 1;
        stype[q] = rtype[q] = MPI_DATATYPE_NULL;
    }
    for (int64_t r = 0; r < D->nodes; r++) scount[block_owner(D->n, D->global[r], K)]++;
    MPI_TRY(MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, D->comm));
    for (int q = 0; q < K; q++) {
        sdispl[q + 1] = sdispl[q] + scount[q];
        rdispl[q + 1] = rdispl[q] + rcount[q];
    }
    GRL_REQUIRE(rdispl[K] == rows, "rank %d receives %d rows for a block of %"
                PRId64, D->rank, rdispl[K], rows);
    /* our rows grouped by destination, and their node indices */
    GRL_ALLOC(srow, int, D->nodes);
    GRL_ALLOC(sid, int64_t, D->nodes);
    GRL_ALLOC(rrow, int, rows);
    GRL_ALLOC(rid, int64_t, rows);
    for (int64_t r = 0; r < D->nodes; r++) {
        int pos = sdispl[block_owner(D->n, D->global[r], K)]++;
        srow[pos] = (int)r;
        sid[pos] = D->global[r];
    }
    for (int q = K; q > 0; q--) sdispl[q] = sdispl[q - 1];
    sdispl[0] = 0;
    MPI_TRY(MPI_Alltoallv(sid, scount, sdispl, MPI_INT64_T, rid, rcount, rdispl,
                          MPI_INT64_T, D->comm));
    for (int64_t t = 0; t < rows; t++) rrow[t] = (int)(rid[t] - first);
    MPI_TRY(MPI_Type_contiguous((int)d, MPI_FLOAT, &row));
    MPI_TRY(MPI_Type_commit(&row));
    for (int q = 0; q < K; q++) {
        GRL_TRY(rows_type(&stype[q], srow + sdispl[q], scount[q], row, msg));
        GRL_TRY(rows_type(&rtype[q], rrow + rdispl[q], rcount[q], row, msg));
    }
    GRL_TRY(grl_dense_new(B, rows, d, msg));
    MPI_TRY(MPI_Alltoallw(E, ones, zeros, stype, (*B)->data, ones, zeros, rtype,
                          D->comm));
    grl_dense *keep = *B;
    *B = NULL;
    FREE_ALL;
    *B = keep;
    return 0;
#undef FREE_ALL
}

/* grl_standardize_* over the ranks' blocks (whole blocks each). */
static int standardize(grl_mpi_graph *D, grl_dense *B, char *msg)
{
    double *part = NULL, *all = NULL, *mean = NULL, *inv_std = NULL;
    int *count = NULL, *displ = NULL;
    MPI_Datatype row = MPI_DATATYPE_NULL;
#define FREE_ALL free(part); free(all); free(mean); free(inv_std); free(count); \
    free(displ); grl_mpi_type_free(&row)
    int K = D->size;
    int64_t d = B->cols, n = D->n;
    int64_t blocks = (n + GRL_STANDARDIZE_BLOCK - 1) / GRL_STANDARDIZE_BLOCK;
    int64_t mine = (B->rows + GRL_STANDARDIZE_BLOCK - 1) / GRL_STANDARDIZE_BLOCK;
    GRL_CALLOC(part, double, grl_size_mul(mine ? mine : 1, d));
    GRL_CALLOC(all, double, grl_size_mul(blocks, d));
    GRL_CALLOC(mean, double, d);
    GRL_CALLOC(inv_std, double, d);
    GRL_CALLOC(count, int, K);
    GRL_CALLOC(displ, int, K);
    for (int q = 0; q < K; q++) {
        int64_t b0 = blocks * q / K, b1 = blocks * (q + 1) / K;
        count[q] = (int)(b1 - b0);
        displ[q] = (int)b0;
    }
    MPI_TRY(MPI_Type_contiguous((int)d, MPI_DOUBLE, &row));
    MPI_TRY(MPI_Type_commit(&row));
    for (int pass = 0; pass < 2; pass++) {
        grl_standardize_partials(part, B->data, B->rows, d, pass ? mean : NULL);
        MPI_TRY(MPI_Allgatherv(part, (int)mine, row, all, count, displ, row,
                               D->comm));
        grl_standardize_stats(pass ? inv_std : mean, all, blocks, d, n, pass);
    }
    grl_standardize_apply(B->data, B->rows, d, mean, inv_std);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The checks of grl_fastrp_embed, and what the partition cannot do. */
static int check(const grl_mpi_graph *D, const grl_fastrp_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_fastrp_check_options(o, D->n, msg));
    if (o->features)
        GRL_FAIL(GRL_UNSUPPORTED, "FastRP over a partition takes no node "
                 "features");
    if (D->directed && o->direction == GRL_PROPAGATE_BOTH)
        GRL_FAIL(GRL_UNSUPPORTED, "FastRP over a partition of a directed graph "
                 "propagates out or in, not both");
    GRL_REQUIRE(o->dim <= INT32_MAX, "dimension %" PRId64 " too large for MPI",
                o->dim);
    return 0;
#undef FREE_ALL
}

/* A zeroed rows x d block into *B, the same status on every rank. */
static int new_block(grl_dense **B, grl_mpi_graph *D, int64_t d, char *msg)
{
    return grl_mpi_agree(D->comm, grl_dense_new(B, D->nodes, d, msg), msg);
}

/* The powers N_1 = S (L R), N_i = S N_{i-1} accumulated into *result
 * (made here unless the self influence made it), from X = L R with room
 * for the halo rows. Blocks: X, the product P (rows x d, the next operand)
 * and the result. The result is made when a power is first accumulated;
 * when that is the second-to-last (the defaults: weights 0, 1, 1), that
 * power's rows wait in P, P becomes the result, and the last product is
 * folded into it without being kept: two blocks alive, not three (4 ranks
 * on bench_mpi's graph, d = 32: the largest rank's peak 381 -> 317 MiB). */
static int powers(grl_dense **result, grl_mpi_graph *D, grl_direction dir,
                  float *X, const double *inv_deg, const grl_fastrp_options *o,
                  char *msg)
{
    grl_dense *P = NULL;
#define FREE_ALL grl_dense_free(&P)
    int64_t d = o->dim, rows = D->nodes, last = o->iterations - 1;
    const double *w = o->weights;
    if (last > 0) GRL_TRY(new_block(&P, D, d, msg));
    for (int it = 0; it < last; it++) {
        bool defer = *result == NULL && it + 1 == last;
        if (w[it] != 0 && !defer && *result == NULL)
            GRL_TRY(new_block(result, D, d, msg));
        float *acc = w[it] != 0 && !defer ? (*result)->data : NULL;
        GRL_TRY(grl_mpi_agree(D->comm, grl_mpi_spmm_accumulate(D, dir, X, P->data,
                              d, inv_deg, acc, w[it], o->normalize, msg), msg));
        /* the next power's operand; P holds no halo rows (memory) */
        memcpy(X, P->data, sizeof(float) * (size_t)rows * (size_t)d);
    }
    if (*result == NULL && P != NULL) { /* P: the power of weight last - 1 */
        if (w[last - 1] != 0)
            grl_fastrp_start_result(P->data, P->data, rows, d, w[last - 1],
                                    o->normalize);
        else
            memset(P->data, 0, sizeof(float) * (size_t)rows * (size_t)d);
        *result = P;
        P = NULL;
    }
    grl_dense_free(&P);
    if (*result == NULL) GRL_TRY(new_block(result, D, d, msg));
    if (w[last] != 0)
        GRL_TRY(grl_mpi_agree(D->comm, grl_mpi_spmm_accumulate(D, dir, X, NULL,
                              d, inv_deg, (*result)->data, w[last], o->normalize,
                              msg), msg));
    return 0;
#undef FREE_ALL
}

int grl_mpi_fastrp_embed(grl_dense **emb, grl_mpi_graph *D,
                         const grl_fastrp_options *opt, int64_t *first,
                         char *msg)
{
    grl_msg_clear(msg);
    float *X = NULL;
    double *inv_deg = NULL;
    grl_dense *result = NULL;
#define FREE_ALL free(X); free(inv_deg); grl_dense_free(&result);               \
    grl_dense_free(emb)
    GRL_REQUIRE(emb != NULL && D != NULL && first != NULL,
                "grl_mpi_fastrp_embed: NULL argument");
    *emb = NULL;
    grl_fastrp_options defaults;
    if (opt == NULL) {
        grl_fastrp_options_init(&defaults);
        opt = &defaults;
    }
    GRL_TRY(grl_mpi_agree(D->comm, check(D, opt, msg), msg));
    int64_t n = D->n, d = opt->dim, rows = D->nodes;
    size_t cells = grl_size_mul(grl_size_add(rows, D->halo), d);
    double s = opt->sparsity > 0 ? opt->sparsity : sqrt((double)n);
    if (s < 1) s = 1;
    grl_direction dir = opt->direction == GRL_PROPAGATE_IN ? GRL_IN : GRL_OUT;
    const grl_csr *S = grl_mpi_arcs(D, dir);

    int status = 0;
    X = grl_zalloc(sizeof(float) * (cells ? cells : 1));
    inv_deg = grl_malloc(sizeof(double) * (size_t)(rows ? rows : 1));
    if (X == NULL || inv_deg == NULL) {
        grl_set_msg(msg, "out of memory for FastRP's operand (%" PRId64 " rows "
                    "with halo, d = %" PRId64 ")", rows + D->halo, d);
        status = GRL_OUT_OF_MEMORY;
    }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));

    grl_sparse_projection(X, rows, d, 0, d, s, opt->seed, D->key);
    if (opt->self_influence != 0) {
        GRL_TRY(new_block(&result, D, d, msg));
        grl_fastrp_accumulate(result->data, X, rows, d, opt->self_influence,
                              opt->normalize);
    }
    double bad_deg = grl_fastrp_degree_scale(X, inv_deg, S, d, opt->beta);
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &bad_deg, 1, MPI_DOUBLE, MPI_MAX, D->comm));
    if (bad_deg >= 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "beta %g makes degree^beta overflow "
                 "single precision (degree %g); choose a smaller |beta|",
                 opt->beta, bad_deg);
    GRL_TRY(powers(&result, D, dir, X, inv_deg, opt, msg));
    free(X); free(inv_deg);
    X = NULL;
    inv_deg = NULL;
    int bad = grl_first_nonfinite(result->data, grl_size_mul(rows, d)) >= 0;
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX, D->comm));
    if (bad)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "the embedding overflows single precision: "
                 "lower the iteration weights or the self influence%s",
                 opt->normalize ? "" : " (or normalize each power)");
    grl_dense *B = NULL;
    GRL_TRY(grl_mpi_agree(D->comm, to_blocks(&B, D, result->data, d, msg), msg));
    grl_dense_free(&result);
    result = B;
    if (opt->standardize && n > 0)
        GRL_TRY(grl_mpi_agree(D->comm, standardize(D, result, msg), msg));
    *first = block_start(n, D->rank, D->size);
    *emb = result;
    result = NULL;
    return 0;
#undef FREE_ALL
}
