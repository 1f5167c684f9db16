/* fastrp.c — FastRP over ranks, the same bytes as grl_fastrp_embed (the
 * formula is in include/grl/embed.h). Each rank draws its rows of R from
 * the streams of their id keys, scales them by deg^beta from its own
 * arcs, and runs the powers as distributed products. The result rows then
 * move to blocks of consecutive nodes that start at multiples of
 * GRL_STANDARDIZE_BLOCK, so each rank computes the standardisation's
 * partial sums of whole blocks exactly as one process does, and every
 * rank combines all blocks' partials in block order.
 *
 * Memory per rank: the operand, rows x d floats, which the products
 * overwrite a slab of columns at a time (powers()), plus (rows + halo +
 * sent rows) x 8 floats of slab buffers; a result block of rows x d more
 * only when the self influence or a power before the second-to-last has a
 * weight (the defaults have none: the operand becomes the result). The
 * move to blocks holds about one block at a time (to_blocks()), then the
 * gathered partials (n / 4096 x d doubles). */
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

/* Rounds in which to_blocks moves the rows. */
#define MOVE_ROUNDS 8

/* The round of to_blocks that moves node g: its place in its block owner's
 * block, in MOVE_ROUNDS slices. */
static int move_round(int64_t n, int64_t g, int K)
{
    int q = block_owner(n, g, K);
    int64_t first = block_start(n, q, K), rows = block_start(n, q + 1, K) - first;
    return (int)((g - first) * MOVE_ROUNDS / rows);
}

/* Move the rows of *E (ours, in our row order; freed here) to their block
 * owners: *B holds rows block_start(rank) .. block_start(rank + 1) - 1.
 * In MOVE_ROUNDS rounds, round t moving the rows of slice t of every block
 * (packed, one MPI_Alltoallv): *B's pages fill a slice at a time while *E
 * keeps only the rows still to move (compacted, shrunk by realloc), so the
 * peak is about one block, not *E and *B whole (4 ranks on bench_mpi's
 * graph, the largest rank's peak in the move: 266 -> 226 MiB). */
static int to_blocks(grl_dense **B, grl_mpi_graph *D, grl_dense **E, char *msg)
{
    int *count = NULL, *counted = NULL, *sc = NULL, *rc = NULL, *sd = NULL,
        *rd = NULL;
    int64_t *row = NULL, *sid = NULL, *rid = NULL;
    float *sbuf = NULL, *rbuf = NULL;
    uint8_t *seen = NULL;
    MPI_Datatype type = MPI_DATATYPE_NULL;
    const int K = D->size, R = MOVE_ROUNDS;
#define FREE_ALL free(count); free(counted); free(sc); free(rc); free(sd);      \
    free(rd); free(row); free(sid); free(rid); free(sbuf); free(rbuf);         \
    free(seen); grl_mpi_type_free(&type); grl_dense_free(B)
    int64_t n = D->n, d = (*E)->cols, first = block_start(n, D->rank, K);
    int64_t rows = block_start(n, D->rank + 1, K) - first, kept = D->nodes;
    GRL_REQUIRE(D->nodes <= INT32_MAX && rows <= INT32_MAX, "more than 2^31 "
                "rows on a rank");
    /* count[q R + t]: our rows for rank q in round t; counted: theirs */
    GRL_CALLOC(count, int, K * R);
    GRL_CALLOC(counted, int, K * R);
    GRL_CALLOC(sc, int, K);
    GRL_CALLOC(rc, int, K);
    GRL_CALLOC(sd, int, K + 1);
    GRL_CALLOC(rd, int, K + 1);
    for (int64_t r = 0; r < kept; r++) {
        int64_t g = D->global[r];
        count[block_owner(n, g, K) * R + move_round(n, g, K)]++;
    }
    MPI_TRY(MPI_Alltoall(count, R, MPI_INT, counted, R, MPI_INT, D->comm));
    int64_t most_sent = 1, most_got = 1, got = 0;
    for (int t = 0; t < R; t++) {
        int64_t sent = 0, gets = 0;
        for (int q = 0; q < K; q++) {
            sent += count[q * R + t];
            gets += counted[q * R + t];
        }
        most_sent = sent > most_sent ? sent : most_sent;
        most_got = gets > most_got ? gets : most_got;
        got += gets;
    }
    int status = got == rows ? 0 : GRL_PARSE_ERROR;
    if (status)
        grl_set_msg(msg, "rank %d is sent %" PRId64 " rows for a block of %"
                    PRId64, D->rank, got, rows);
    /* *B is not zeroed (grl_dense_new would make every page resident now):
     * each row is written once, checked by seen */
    row = grl_malloc(sizeof(int64_t) * (size_t)(kept ? kept : 1));
    sid = grl_malloc(sizeof(int64_t) * (size_t)most_sent);
    sbuf = grl_malloc(sizeof(float) * grl_size_mul(most_sent, d));
    rid = grl_malloc(sizeof(int64_t) * (size_t)most_got);
    rbuf = grl_malloc(sizeof(float) * grl_size_mul(most_got, d));
    seen = grl_zalloc((size_t)(rows ? rows : 1));
    *B = grl_zalloc(sizeof(grl_dense));
    if (*B) (*B)->data = grl_malloc(sizeof(float) * grl_size_mul(rows ? rows : 1, d));
    if (status == 0 && !(row && sid && sbuf && rid && rbuf && seen && *B &&
                         (*B)->data)) {
        grl_set_msg(msg, "out of memory moving FastRP's rows to blocks");
        status = GRL_OUT_OF_MEMORY;
    }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    (*B)->rows = rows;
    (*B)->cols = d;
    for (int64_t r = 0; r < kept; r++) row[r] = r; /* our row of *E's row r */
    MPI_TRY(MPI_Type_contiguous((int)d, MPI_FLOAT, &type));
    MPI_TRY(MPI_Type_commit(&type));
    for (int t = 0; t < R; t++) {
        for (int q = 0; q < K; q++) {
            sc[q] = count[q * R + t];
            rc[q] = counted[q * R + t];
            sd[q + 1] = sd[q] + sc[q];
            rd[q + 1] = rd[q] + rc[q];
        }
        /* pack this round's rows by destination (sd[q] advances to sd[q+1]);
         * keep the others, in order, at the front of *E */
        int64_t stay = 0;
        for (int64_t e = 0; e < kept; e++) {
            int64_t g = D->global[row[e]];
            float *from = (*E)->data + e * d;
            if (move_round(n, g, K) == t) {
                int pos = sd[block_owner(n, g, K)]++;
                sid[pos] = g;
                memcpy(sbuf + pos * d, from, sizeof(float) * (size_t)d);
            } else {
                memmove((*E)->data + stay * d, from, sizeof(float) * (size_t)d);
                row[stay++] = row[e];
            }
        }
        for (int q = K; q > 0; q--) sd[q] = sd[q - 1];
        sd[0] = 0;
        kept = stay;
        float *shrunk = grl_realloc((*E)->data, sizeof(float) *
                                    grl_size_mul(kept ? kept : 1, d));
        if (shrunk) (*E)->data = shrunk;
        MPI_TRY(MPI_Alltoallv(sid, sc, sd, MPI_INT64_T, rid, rc, rd,
                              MPI_INT64_T, D->comm));
        MPI_TRY(MPI_Alltoallv(sbuf, sc, sd, type, rbuf, rc, rd, type, D->comm));
        for (int64_t u = 0; u < rd[K]; u++) {
            int64_t at = rid[u] - first;
            if (at < 0 || at >= rows || seen[at]) { /* no early return: the
                                                      other ranks go on */
                if (status == 0)
                    grl_set_msg(msg, "rank %d was sent node %" PRId64 ", not "
                                "in its block or twice", D->rank, rid[u]);
                status = GRL_PARSE_ERROR;
                continue;
            }
            seen[at] = 1;
            memcpy((*B)->data + at * d, rbuf + u * d, sizeof(float) * (size_t)d);
        }
    }
    GRL_TRY(status); /* the caller agrees on it */
    grl_dense_free(E);
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

/* The products run in slabs of SLAB_COLUMNS columns (each column of S X
 * needs only that column of X), in place: a slab's product goes to T,
 * then over the slab's columns of X. The halo buffer holds halo x 8
 * floats, not halo x d, and no product block is kept (4 ranks on
 * bench_mpi's graph, d = 32, with to_blocks' rounds: the largest rank's
 * peak 317 -> 228 MiB; the time it costs: README, MPI section). */
#define SLAB_COLUMNS 8

typedef struct {
    grl_mpi_graph *D;
    grl_direction dir;
    const double *inv_deg;
    int64_t d, w;            /* columns; slab width                         */
    float *T, *send, *H;     /* rows x w, nsend x w, halo x w               */
} slabs;

/* What a product pass does with each slab's product T: store it over X;
 * add its squares to sq (the row norms, in column order as
 * grl_fastrp_row_scale sums them); or finish the result: x = 0 + a x + b t
 * (a, b per row; a NULL: x = 0 + b t), the bits of grl_fastrp_start_result
 * then grl_fastrp_accumulate_row. */
typedef enum { SLAB_STORE, SLAB_SQUARES, SLAB_FINISH } slab_use;

static void use_slab(float *X, const slabs *sl, int64_t c0, int64_t w,
                     slab_use use, double *sq, const double *a, const double *b)
{
    int64_t d = sl->d;
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < sl->D->nodes; r++) {
        float *x = X + r * d + c0;
        const float *t = sl->T + r * w;
        for (int64_t c = 0; c < w; c++) {
            if (use == SLAB_STORE) {
                x[c] = t[c];
            } else if (use == SLAB_SQUARES) {
                sq[r] += (double)t[c] * t[c];
            } else {
                float v = a ? 0.0f + (float)(a[r] * x[c]) : 0.0f;
                x[c] = v + (float)(b[r] * t[c]);
            }
        }
    }
}

/* One product S X (rows scaled by 1/deg), slab by slab; use as above. */
static int product_pass(float *X, const slabs *sl, slab_use use, double *sq,
                        const double *a, const double *b, char *msg)
{
#define FREE_ALL ;
    grl_mpi_graph *D = sl->D;
    for (int64_t c0 = 0; c0 < sl->d; c0 += sl->w) {
        int64_t w = sl->d - c0 < sl->w ? sl->d - c0 : sl->w;
        GRL_TRY(grl_mpi_agree(D->comm, grl_mpi_spmm_slab(D, sl->dir, X, sl->d,
                              c0, w, sl->inv_deg, sl->T, sl->send, sl->H, msg),
                              msg));
        use_slab(X, sl, c0, w, use, sq, a, b);
    }
    return 0;
#undef FREE_ALL
}

/* X (the power of weight w_prev, or L R when there is none: w_prev 0)
 * becomes the result w_prev normalize(X) + w_last normalize(S X) with no
 * second block: the row norms of S X come from one product pass, then a
 * second pass forms S X again and finishes each slab in place. */
static int last_power_in_place(float *X, const slabs *sl, double w_prev,
                               double w_last, bool normalize, char *msg)
{
    int64_t rows = sl->D->nodes, d = sl->d;
    if (w_last == 0) { /* no product: the power of weight w_prev alone */
        if (w_prev != 0) grl_fastrp_start_result(X, X, rows, d, w_prev, normalize);
        else memset(X, 0, sizeof(float) * grl_size_mul(rows, d));
        return 0;
    }
    double *a = NULL, *b = NULL;
#define FREE_ALL free(a); free(b)
    int status = 0;
    if (w_prev != 0) {
        a = grl_malloc(sizeof(double) * (size_t)(rows ? rows : 1));
        status = a ? 0 : GRL_OUT_OF_MEMORY;
    }
    b = grl_calloc((size_t)(rows ? rows : 1), sizeof(double));
    if (b == NULL) status = GRL_OUT_OF_MEMORY;
    if (status) grl_set_msg(msg, "out of memory for FastRP's row scales");
    GRL_TRY(grl_mpi_agree(sl->D->comm, status, msg));
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < rows; r++)
        if (a) a[r] = grl_fastrp_row_scale(X + r * d, d, w_prev, normalize);
    if (normalize) {
        GRL_TRY(product_pass(X, sl, SLAB_SQUARES, b, NULL, NULL, msg));
        for (int64_t r = 0; r < rows; r++) b[r] = grl_fastrp_norm_scale(b[r], w_last);
    } else {
        for (int64_t r = 0; r < rows; r++) b[r] = w_last;
    }
    GRL_TRY(product_pass(X, sl, SLAB_FINISH, NULL, a, b, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The powers N_1 = S (L R), N_i = S N_{i-1}, each over *X in place,
 * accumulated into *result (made here unless the self influence made
 * it) when their weight is not 0. The result is made when a power is
 * first accumulated; when that is the second-to-last or the last (the
 * defaults: weights 0, 1, 1), *X itself becomes the result
 * (last_power_in_place): one rows x d block alive, not two. */
static int powers(grl_dense **result, grl_dense **X, const slabs *sl,
                  const grl_fastrp_options *o, char *msg)
{
#define FREE_ALL ;
    int64_t d = o->dim, rows = sl->D->nodes, K = o->iterations;
    const double *w = o->weights;
    for (int64_t it = 0; it < K - 1; it++) {
        GRL_TRY(product_pass((*X)->data, sl, SLAB_STORE, NULL, NULL, NULL, msg));
        bool defer = *result == NULL && it == K - 2;
        if (w[it] == 0 || defer) continue;
        if (*result == NULL) GRL_TRY(new_block(result, sl->D, d, msg));
        grl_fastrp_accumulate((*result)->data, (*X)->data, rows, d, w[it],
                              o->normalize);
    }
    if (*result == NULL) {
        GRL_TRY(last_power_in_place((*X)->data, sl, K >= 2 ? w[K - 2] : 0,
                                    w[K - 1], o->normalize, msg));
        *result = *X;
        *X = NULL;
    } else if (w[K - 1] != 0) {
        GRL_TRY(product_pass((*X)->data, sl, SLAB_STORE, NULL, NULL, NULL, msg));
        grl_fastrp_accumulate((*result)->data, (*X)->data, rows, d, w[K - 1],
                              o->normalize);
    }
    return 0;
#undef FREE_ALL
}

/* The slab buffers of sl (sl->w set) for D's rows, halo and sent rows. */
static int slabs_alloc(slabs *sl, char *msg)
{
    grl_mpi_graph *D = sl->D;
    sl->T = grl_malloc(sizeof(float) * grl_size_mul(D->nodes ? D->nodes : 1, sl->w));
    sl->send = grl_malloc(sizeof(float) * grl_size_mul(D->nsend ? D->nsend : 1, sl->w));
    sl->H = grl_malloc(sizeof(float) * grl_size_mul(D->halo ? D->halo : 1, sl->w));
    int status = sl->T && sl->send && sl->H ? 0 : GRL_OUT_OF_MEMORY;
    if (status)
        grl_set_msg(msg, "out of memory for FastRP's slab buffers (%" PRId64
                    " rows, %" PRId64 " halo rows, %" PRId64 " columns)",
                    D->nodes, D->halo, sl->w);
    return grl_mpi_agree(D->comm, status, msg);
}

static void slabs_free(slabs *sl)
{
    free(sl->T); free(sl->send); free(sl->H);
    sl->T = sl->send = sl->H = NULL;
}

int grl_mpi_fastrp_embed(grl_dense **emb, grl_mpi_graph *D,
                         const grl_fastrp_options *opt, int64_t *first,
                         char *msg)
{
    grl_msg_clear(msg);
    grl_dense *X = NULL, *result = NULL;
    double *inv_deg = NULL;
    slabs sl = {0};
#define FREE_ALL grl_dense_free(&X); free(inv_deg); slabs_free(&sl);           \
    grl_dense_free(&result); grl_dense_free(emb)
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
    double s = opt->sparsity > 0 ? opt->sparsity : sqrt((double)n);
    if (s < 1) s = 1;
    grl_direction dir = opt->direction == GRL_PROPAGATE_IN ? GRL_IN : GRL_OUT;
    const grl_csr *S = grl_mpi_arcs(D, dir);

    GRL_TRY(new_block(&X, D, d, msg));
    inv_deg = grl_malloc(sizeof(double) * (size_t)(rows ? rows : 1));
    int status = inv_deg ? 0 : GRL_OUT_OF_MEMORY;
    if (status) grl_set_msg(msg, "out of memory for FastRP's degrees");
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));

    grl_sparse_projection(X->data, rows, d, 0, d, s, opt->seed, D->key);
    if (opt->self_influence != 0) {
        GRL_TRY(new_block(&result, D, d, msg));
        grl_fastrp_accumulate(result->data, X->data, rows, d, opt->self_influence,
                              opt->normalize);
    }
    double bad_deg = grl_fastrp_degree_scale(X->data, inv_deg, S, d, opt->beta);
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &bad_deg, 1, MPI_DOUBLE, MPI_MAX, D->comm));
    if (bad_deg >= 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "beta %g makes degree^beta overflow "
                 "single precision (degree %g); choose a smaller |beta|",
                 opt->beta, bad_deg);
    sl = (slabs){.D = D, .dir = dir, .inv_deg = inv_deg, .d = d,
                 .w = d < SLAB_COLUMNS ? d : SLAB_COLUMNS};
    GRL_TRY(slabs_alloc(&sl, msg));
    GRL_TRY(powers(&result, &X, &sl, opt, msg));
    slabs_free(&sl);
    grl_dense_free(&X);
    free(inv_deg);
    inv_deg = NULL;
    grl_mpi_release_memory();
    int bad = grl_first_nonfinite(result->data, grl_size_mul(rows, d)) >= 0;
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX, D->comm));
    if (bad)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "the embedding overflows single precision: "
                 "lower the iteration weights or the self influence%s",
                 opt->normalize ? "" : " (or normalize each power)");
    grl_dense *B = NULL;
    GRL_TRY(grl_mpi_agree(D->comm, to_blocks(&B, D, &result, msg), msg));
    result = B;
    if (opt->standardize && n > 0)
        GRL_TRY(grl_mpi_agree(D->comm, standardize(D, result, msg), msg));
    *first = block_start(n, D->rank, D->size);
    *emb = result;
    result = NULL;
    return 0;
#undef FREE_ALL
}
