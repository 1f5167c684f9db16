/* walks.c — random walks over ranks, the same walks as grl_walks_generate
 * (first order, uniform or weighted, with restarts). A walk lives on the
 * rank holding its current node and steps there with its own RNG stream
 * (seed, w) and the same arc choice as walks/walk.c (grl_step_arc over the
 * same rows in the same order), so its draws are those of one process.
 * When it steps onto a halo node, or restarts at a start held elsewhere, it
 * travels, path and RNG state included, to that node's rank; finished
 * walks travel to the rank whose block of walk numbers holds them. Rounds
 * of MPI_Alltoallv until no walk is left anywhere.
 *
 * Memory per rank: its block of the corpus plus the walks in flight, each
 * carrying its path (8 bytes per node). */
#include "mpi_internal.h"
#include "walks_internal.h"

#include <stddef.h>

typedef struct {
    int64_t w;      /* walk number                          */
    int64_t k;      /* nodes written so far                 */
    int64_t start;  /* its start node (whole-graph index)   */
    int64_t home;   /* the rank holding the start           */
    grl_rng rng;
    int64_t path[]; /* length nodes                          */
} walk_record;

/* The first walk number of rank r's block of the corpus. */
static int64_t walk_start(int64_t total, int r, int K)
{
    return (int64_t)((__int128)total * r / K);
}

static int walk_owner(int64_t total, int64_t w, int K)
{
    int lo = 0, hi = K - 1;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (walk_start(total, mid, K) <= w) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

/* Step walk a on our rows until it ends or leaves; *dest = the rank it
 * must go to (ours, finished, when it ends: the walk's block owner). */
static int advance(const grl_mpi_graph *D, const grl_walk_csr *c, double restart,
                   int64_t L, int64_t total, walk_record *a)
{
    while (a->k < L) {
        int64_t cur = a->path[a->k - 1], r = grl_mpi_row_of(D, cur), next;
        if (r < 0) return -1; /* not ours: cannot happen, see the callers */
        int to = D->rank;
        if (restart > 0 && grl_rng_uniform(&a->rng) < restart) {
            next = a->start;
            to = (int)a->home;
        } else {
            int64_t p = grl_step_arc(c, r, &a->rng);
            if (p >= 0) {
                int64_t col = (int64_t)c->a.Aj[p];
                next = col < D->nodes ? D->global[col] : D->halo_global[col - D->nodes];
                if (col >= D->nodes) to = D->halo_owner[col - D->nodes];
            } else if (restart > 0) { /* dangling: jump back */
                next = a->start;
                to = (int)a->home;
            } else { /* dangling, no restarts: the walk ends */
                for (; a->k < L; a->k++) a->path[a->k] = -1;
                break;
            }
        }
        a->path[a->k++] = next;
        if (to != D->rank && a->k < L) return to;
    }
    return walk_owner(total, a->w, D->size);
}

static int check(const grl_mpi_graph *D, const grl_walk_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->length >= 1 && o->walks_per_node >= 1, "walk length and "
                "walks per node must be at least 1, got %" PRId64 " and %" PRId64,
                o->length, o->walks_per_node);
    GRL_REQUIRE(o->restart >= 0 && o->restart < 1, "restart probability must "
                "be in [0, 1), got %g", o->restart);
    if (o->p != 1 || o->q != 1 || o->srrw_alpha != 0)
        GRL_FAIL(GRL_UNSUPPORTED, "walks over a partition are first order: no "
                 "node2vec p, q or self-repellence");
    GRL_REQUIRE_MUL_I64(D->n, o->walks_per_node, "the walk count");
    GRL_REQUIRE(o->length <= (INT32_MAX - (int64_t)sizeof(walk_record)) / 8,
                "walk length %" PRId64 " too large", o->length);
    return 0;
#undef FREE_ALL
}

/* One round: advance every walk in `active`, send each to its rank, and
 * file what arrives: finished walks into out, the rest into *active. */
static int round_trip(grl_mpi_graph *D, const grl_walk_csr *c,
                      const grl_walk_options *o, int64_t total, int64_t first,
                      grl_mpi_records *active, size_t rec_bytes, int64_t *out,
                      char *msg)
{
    int *dest = NULL;
    char *rbuf = NULL;
#define FREE_ALL free(dest); free(rbuf)
    int64_t m = active->count, L = o->length, received = 0;
    GRL_ALLOC(dest, int, m ? m : 1);
    int bad = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(| : bad)
    for (int64_t i = 0; i < m; i++) {
        dest[i] = advance(D, c, o->restart, L, total,
                          (walk_record *)(active->data + (size_t)i * rec_bytes));
        bad |= dest[i] < 0;
    }
    if (bad) GRL_FAIL(GRL_PARSE_ERROR, "a walk reached rank %d at a node it does "
                      "not hold: the parts disagree", D->rank);
    GRL_TRY(grl_mpi_route(D->comm, active->data, m, rec_bytes, dest, &rbuf,
                          &received, msg));
    active->count = 0;
    for (int64_t i = 0; i < received; i++) {
        walk_record *a = (walk_record *)(rbuf + (size_t)i * rec_bytes);
        if (a->k == L) memcpy(out + (a->w - first) * L, a->path, sizeof(int64_t) * (size_t)L);
        else GRL_TRY(grl_mpi_records_push(active, a, rec_bytes, msg));
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_mpi_walks_generate(int64_t **walks, int64_t *count, grl_mpi_graph *D,
                           const grl_walk_options *opt, int64_t *first,
                           char *msg)
{
    grl_msg_clear(msg);
    grl_walk_csr c = {0};
    grl_mpi_records active = {0};
    walk_record *a = NULL;
    int64_t *out = NULL;
#define FREE_ALL free(c.cum); free(active.data); free(a); free(out)
    GRL_REQUIRE(walks != NULL && count != NULL && D != NULL && first != NULL,
                "grl_mpi_walks_generate: NULL argument");
    *walks = NULL;
    *count = 0;
    grl_walk_options defaults;
    if (opt == NULL) {
        grl_walk_options_init(&defaults);
        opt = &defaults;
    }
    GRL_TRY(grl_mpi_agree(D->comm, check(D, opt, msg), msg));
    int64_t L = opt->length, n = D->n, total = n * opt->walks_per_node;
    int64_t lo = walk_start(total, D->rank, D->size);
    int64_t mine = walk_start(total, D->rank + 1, D->size) - lo;
    size_t rec_bytes = sizeof(walk_record) + sizeof(int64_t) * (size_t)L;
    int status = 0;
    /* the arcs walks step over: our out-rows, with cumulative weights
     * as walks/csr.c makes them */
    c.a = D->out;
    if (opt->weighted && D->weighted && !D->out.iso) {
        c.cum = grl_malloc(sizeof(double) * (D->out.Ap[D->nodes] + 1));
        if (c.cum) grl_walk_cumulative(c.cum, &c.a);
    }
    out = grl_malloc(sizeof(int64_t) * grl_size_mul((size_t)(mine ? mine : 1), L));
    a = grl_malloc(rec_bytes);
    if (out == NULL || a == NULL ||
        (opt->weighted && D->weighted && !D->out.iso && c.cum == NULL)) {
        grl_set_msg(msg, "out of memory for %" PRId64 " walks of %" PRId64
                    " nodes", mine, L);
        status = GRL_OUT_OF_MEMORY;
    }
    /* walk w starts at node w mod n: ours for each of our nodes and round */
    for (int64_t j = 0; status == 0 && j < opt->walks_per_node; j++)
        for (int64_t r = 0; status == 0 && r < D->nodes; r++) {
            a->w = j * n + D->global[r];
            a->k = 1;
            a->start = a->path[0] = D->global[r];
            a->home = D->rank;
            grl_rng_init(&a->rng, opt->seed, (uint64_t)a->w);
            status = grl_mpi_records_push(&active, a, rec_bytes, msg);
        }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    for (;;) {
        int64_t left = active.count;
        MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &left, 1, MPI_INT64_T, MPI_SUM, D->comm));
        if (left == 0) break;
        GRL_TRY(grl_mpi_agree(D->comm, round_trip(D, &c, opt, total, lo, &active,
                                                  rec_bytes, out, msg), msg));
    }
    *walks = out;
    *count = mine;
    *first = lo;
    out = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
