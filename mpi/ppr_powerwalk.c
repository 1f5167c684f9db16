/* ppr_powerwalk.c — PowerWalk's query (walks/ppr_powerwalk.c: Liu, Yang,
 * Zhou, CIKM 2016) over ranks and a partitioned index: rounds of
 *     s += alpha f,   f = (1-alpha) f P,  entries of f below `drop` removed,
 * each a distributed product (f's halo rows exchanged, every node pulling
 * over its in-arcs), with the same per-source stopping rule, then
 * q^ = s + f Q^: the owner of node k sends f(k) Q^(k, j) to the owner of
 * j, who sums the terms of each j in ascending k.
 *
 * The same doubles as one process: a term is the product one process
 * forms (f(k) times P(k, j) = (1-alpha)/outdeg(k), times the arc's weight
 * when weighted) and every sum runs over k in ascending order, as
 * GraphBLAS's row-by-row products do on one thread. Only the stopping
 * rule's row sums |f|_1 (compared against a threshold) and the dangling
 * step's sums (one scale per source) add across ranks in another order.
 *
 * Memory per rank: f as (rows + halo) x k doubles and s, the next f, as
 * rows x k each; the final product's terms of a batch of sources (as many
 * as keep every rank under TERM_BATCH terms, or one). */
#include "mpi_internal.h"
#include "walks_internal.h"

#include <math.h>

/* Terms of the final product routed at once (32 bytes each, about three
 * copies while routed: ~100 MiB), unless one source has more. */
#define TERM_BATCH ((int64_t)1 << 20)

/* The per-source stopping state of walks/ppr_powerwalk.c's retire_rows. */
typedef struct {
    uint8_t *done;  /* k: retired (its f frozen)                        */
    uint8_t *has;   /* k: smass holds a value                           */
    double *smass;  /* k: |s'|_1, s without round 0's alpha e_u         */
    double *sums;   /* 2k: |f|_1 and f's entries, summed over ranks      */
} stop_state;

/* Retire the sources with |f|_1 <= eps |s'|_1; *active: those going on
 * with entries. */
static int retire(stop_state *st, const grl_mpi_graph *D, const double *f,
                  int64_t k, double alpha, double eps, int64_t *active,
                  char *msg)
{
#define FREE_ALL ;
    for (int64_t s = 0; s < 2 * k; s++) st->sums[s] = 0;
    for (int64_t r = 0; r < D->nodes; r++)
        for (int64_t s = 0; s < k; s++)
            if (!st->done[s] && f[r * k + s] != 0) {
                st->sums[2 * s] += f[r * k + s];
                st->sums[2 * s + 1] += 1;
            }
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, st->sums, (int)(2 * k), MPI_DOUBLE,
                          MPI_SUM, D->comm));
    *active = 0;
    for (int64_t s = 0; s < k; s++) {
        double fmass = st->sums[2 * s];
        if (st->done[s] || st->sums[2 * s + 1] == 0) continue; /* no f left */
        if (st->has[s] && fmass / st->smass[s] <= eps) {
            st->done[s] = 1;
            continue;
        }
        (*active)++;
        st->smass[s] = st->has[s] ? st->smass[s] + alpha * fmass : alpha * fmass;
        st->has[s] = 1;
    }
    return 0;
#undef FREE_ALL
}

/* The rounds: s (= P, rows x k) and f ((rows + halo) x k) from f = e_u. */
static int rounds(double *P, double *f, double *y, grl_mpi_graph *D,
                  const double *inv, int64_t k, const grl_ppr_options *o,
                  stop_state *st, char *msg)
{
#define FREE_ALL ;
    const int64_t rows = D->nodes;
    for (int t = 0; t < o->rounds; t++) {
        int64_t active = 1;
        if (o->residual > 0 && t > 0) /* |s|_1 leaves out round 0's alpha */
            GRL_TRY(retire(st, D, f, k, o->alpha, o->residual, &active, msg));
        if (active == 0) break;
        for (int64_t r = 0; r < rows; r++)
            for (int64_t s = 0; s < k; s++)
                if (!st->done[s]) P[r * k + s] += o->alpha * f[r * k + s];
        GRL_TRY(grl_mpi_pull_product(y, D, f, k, D->weighted, inv, msg));
        for (int64_t r = 0; r < rows; r++)
            for (int64_t s = 0; s < k; s++)
                if (!st->done[s])
                    f[r * k + s] = y[r * k + s] >= o->drop ? y[r * k + s] : 0;
    }
    return 0;
#undef FREE_ALL
}

/* A term f(k) Q^(k, j) of source s's final product, sent to j's owner. */
typedef struct {
    int64_t s, j, k;
    double x;
} term;

static int by_s_j_k(const void *a, const void *b)
{
    const term *x = a, *y = b;
    if (x->s != y->s) return x->s < y->s ? -1 : 1;
    if (x->j != y->j) return x->j < y->j ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

/* count[s]: the terms of source s's final product, the most on any rank. */
static int count_terms(int64_t *count, const double *f, int64_t k,
                       const grl_mpi_graph *D, const grl_csr *Q, char *msg)
{
#define FREE_ALL ;
    for (int64_t s = 0; s < k; s++) count[s] = 0;
    for (int64_t r = 0; r < D->nodes; r++)
        for (int64_t s = 0; s < k; s++)
            if (f[r * k + s] != 0) count[s] += (int64_t)(Q->Ap[r + 1] - Q->Ap[r]);
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, count, (int)k, MPI_INT64_T, MPI_MAX,
                          D->comm));
    return 0;
#undef FREE_ALL
}

/* P(., s) += f(., s) Q^ for sources s0..s1-1: terms routed to their
 * owners, summed per source and node in ascending k. */
static int fingerprint_product(double *P, const double *f, int64_t s0,
                               int64_t s1, int64_t k, grl_mpi_graph *D,
                               const grl_mpi_ppr_index *I, const grl_csr *Q,
                               char *msg)
{
    grl_mpi_records out = {0};
    int *dest = NULL;
    char *in = NULL;
#define FREE_ALL free(out.data); free(dest); free(in)
    int status = 0;
    for (int64_t r = 0; status == 0 && r < D->nodes; r++)
        for (int64_t s = s0; status == 0 && s < s1; s++) {
            double fr = f[r * k + s];
            if (fr == 0) continue;
            for (GrB_Index p = Q->Ap[r]; status == 0 && p < Q->Ap[r + 1]; p++) {
                term t = {s, (int64_t)Q->Aj[p], D->global[r],
                          fr * Q->Ax[Q->iso ? 0 : p]};
                status = grl_mpi_records_push(&out, &t, sizeof t, msg);
            }
        }
    if (status == 0 && (dest = grl_malloc(sizeof(int) * (size_t)(out.count + 1))) == NULL) {
        grl_set_msg(msg, "out of memory");
        status = GRL_OUT_OF_MEMORY;
    }
    for (int64_t t = 0; status == 0 && t < out.count; t++)
        dest[t] = I->owner[((term *)out.data)[t].j];
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    int64_t received = 0;
    GRL_TRY(grl_mpi_route(D->comm, out.data, out.count, sizeof(term), dest, &in,
                          &received, msg));
    term *t = (term *)in;
    if (received > 1) qsort(t, (size_t)received, sizeof(term), by_s_j_k); /* t may be NULL at 0 */
    for (int64_t a = 0; a < received;) {
        double sum = t[a].x;
        int64_t s = t[a].s, j = t[a].j, b = a + 1;
        for (; b < received && t[b].s == s && t[b].j == j; b++) sum += t[b].x;
        int64_t r = grl_mpi_row_of(D, j);
        if (r >= 0) {
            P[r * k + s] += sum;
        } else if (status == 0) {
            grl_set_msg(msg, "rank %d received a fingerprint term of node %"
                        PRId64 ", which it does not hold", D->rank, j);
            status = GRL_PARSE_ERROR;
        }
        a = b;
    }
    FREE_ALL;
    return grl_mpi_agree(D->comm, status, msg);
#undef FREE_ALL
}

/* q^ = s + f Q^ for all k sources, in batches of TERM_BATCH terms. */
static int fingerprint_products(double *P, const double *f, int64_t k,
                                grl_mpi_graph *D, const grl_mpi_ppr_index *I,
                                const grl_csr *Q, char *msg)
{
    int64_t *count = NULL;
#define FREE_ALL free(count)
    count = grl_calloc((size_t)(k ? k : 1), sizeof(int64_t));
    if (count == NULL) grl_set_msg(msg, "out of memory");
    GRL_TRY(grl_mpi_agree(D->comm, count ? 0 : GRL_OUT_OF_MEMORY, msg));
    GRL_TRY(grl_mpi_agree(D->comm, count_terms(count, f, k, D, Q, msg), msg));
    for (int64_t s0 = 0, s1; s0 < k; s0 = s1) {
        int64_t terms = count[s0];
        for (s1 = s0 + 1; s1 < k && terms + count[s1] <= TERM_BATCH; s1++)
            terms += count[s1];
        GRL_TRY(fingerprint_product(P, f, s0, s1, k, D, I, Q, msg));
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

static int check(const grl_mpi_graph *D, const grl_mpi_ppr_index *I,
                 const int64_t *sources, int64_t k, const grl_ppr_options *o,
                 char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(I->n == D->n && I->rows == D->nodes, "the index was built for "
                "a graph with %" PRId64 " nodes (%" PRId64 " on this rank), "
                "this partition has %" PRId64 " (%" PRId64 "); rebuild it",
                I->n, I->rows, D->n, D->nodes);
    GRL_REQUIRE(fabs(I->alpha - o->alpha) < 1e-12, "the index was built with "
                "alpha = %g but the query uses alpha = %g; use the same alpha "
                "or rebuild the index", I->alpha, o->alpha);
    GRL_TRY(grl_powerwalk_check_options(o, msg));
    return grl_mpi_ppr_check(D, sources, k, o, "grl_mpi_ppr_powerwalk", msg);
#undef FREE_ALL
}

int grl_mpi_ppr_powerwalk(grl_mpi_graph *D, grl_mpi_ppr_index *I,
                          const int64_t *sources, int64_t k,
                          const grl_ppr_options *opt, double *P, char *msg)
{
    grl_msg_clear(msg);
    double *f = NULL, *y = NULL, *inv = NULL;
    stop_state st = {0};
    grl_csr Q = {0};
    grl_mpi_exchange ex = {.req = MPI_REQUEST_NULL};
#define FREE_ALL free(f); free(y); free(inv); free(st.done); free(st.has);      \
    free(st.smass); free(st.sums); grl_csr_return(&Q, NULL);                   \
    grl_mpi_halo_finish(&ex, NULL)
    GRL_REQUIRE(D != NULL && I != NULL && (P != NULL || k == 0 || D->nodes == 0),
                "grl_mpi_ppr_powerwalk: NULL argument");
    grl_ppr_options defaults;
    if (opt == NULL) {
        grl_ppr_options_init(&defaults);
        opt = &defaults;
    }
    GRL_TRY(grl_mpi_agree(D->comm, check(D, I, sources, k, opt, msg), msg));
    const int64_t rows = D->nodes, all = D->nodes + D->halo, kk = k ? k : 1;
    f = grl_calloc(grl_size_mul((size_t)(all ? all : 1), (size_t)kk), sizeof(double));
    y = grl_malloc(sizeof(double) * grl_size_mul((size_t)(rows ? rows : 1), (size_t)kk));
    inv = grl_malloc(sizeof(double) * (size_t)(all ? all : 1));
    st.done = grl_calloc((size_t)kk, 1);
    st.has = grl_calloc((size_t)kk, 1);
    st.smass = grl_calloc((size_t)kk, sizeof(double));
    st.sums = grl_calloc(2 * (size_t)kk, sizeof(double));
    int status = f && y && inv && st.done && st.has && st.smass && st.sums
                     ? 0 : GRL_OUT_OF_MEMORY;
    if (status) grl_set_msg(msg, "out of memory for PowerWalk's %" PRId64
                            " x %" PRId64 " blocks", all, k);
    /* borrows the index's rows for the call (the caller's, not shared) */
    if (status == 0) status = grl_csr_borrow(&Q, I->Q, true, msg);
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    /* P(k, .)'s scale on our rows and, from their owners, the halo's */
    grl_mpi_transition_scale(D, opt->alpha, inv);
    GRL_TRY(grl_mpi_halo_start(&ex, D, inv, MPI_DOUBLE, 1, msg));
    GRL_TRY(grl_mpi_halo_finish(&ex, msg));
    if (rows * k > 0) memset(P, 0, sizeof(double) * (size_t)(rows * k));
    for (int64_t s = 0; s < k; s++) {
        int64_t r = grl_mpi_row_of(D, sources[s]);
        if (r >= 0) f[r * k + s] = 1.0;
    }
    GRL_TRY(grl_mpi_agree(D->comm, rounds(P, f, y, D, inv, k, opt, &st, msg),
                          msg));
    /* q^ = s + f Q^, f the rows still running and the retired ones */
    GRL_TRY(fingerprint_products(P, f, k, D, I, &Q, msg));
    GRL_TRY(grl_csr_return(&Q, msg));
    status = grl_mpi_ppr_finish(P, D, k, opt, msg);
    FREE_ALL;
    return grl_mpi_agree(D->comm, status, msg);
#undef FREE_ALL
}
