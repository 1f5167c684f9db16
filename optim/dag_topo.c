/* dag_topo.c — TOPO (Deng, Bello, Aragam, Ravikumar, ICML 2023): a local
 * search over topological orders by swaps. Each outer iteration factors the
 * permuted Gram matrix (the fit of the current order, dag_gram.c), ranks
 * the swaps of positions a < b by [(I - |W|)^-1]_ab — zero when no path
 * leads from the variable at a to the one at b, so letting the later one
 * precede keeps the fit's support acyclic (the gradient of
 * h(W) = -log det(I - |W|), a triangular inverse under the order) — and
 * scores the smallest `size_small` of them in parallel; when none improves
 * the score, the next `size_large`, then (full_search) every other swap. The
 * improving swaps are accepted greedily, best first, skipping any whose
 * range of positions overlaps one already accepted (disjoint swaps change
 * disjoint rows of the factor, so their gains add). The search ends at an
 * order that no swap improves. Restarts run the search from several orders
 * and keep the best score. For the logistic loss and for lambda1 > 0 the
 * fit of an order is a regression of each variable on its predecessors
 * (dag_nodefit.c), and a swap of p < q refits the variables at p..q. */
#include "dag_internal.h"
#include "optim_internal.h"

#include <lapacke.h>
#include <math.h>

typedef struct {
    int32_t p, q;   /* positions, p < q                   */
    double rank;    /* [(I - |W|)^-1]_pq, ascending        */
    double delta;   /* the score change of the swap        */
} candidate;

static int by_rank(const void *x, const void *y)
{
    const candidate *a = x, *b = y;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->p != b->p) return a->p < b->p ? -1 : 1;
    return (a->q > b->q) - (a->q < b->q);
}

static int by_delta(const void *x, const void *y)
{
    const candidate *a = x, *b = y;
    if (a->delta != b->delta) return a->delta < b->delta ? -1 : 1;
    if (a->p != b->p) return a->p < b->p ? -1 : 1;
    return (a->q > b->q) - (a->q < b->q);
}

/* The reference's default candidate-set sizes (its set_sizes_linear). */
static void default_sizes(int64_t d, int64_t *small, int64_t *large)
{
    double pairs = 0.5 * (double)d * (double)(d - 1);
    double wide = d > 1 ? sqrt((double)d) * (double)(d - 1) * log10((double)d) : 0;
    double s = fmin(1.5 * (double)d, fmin(wide, pairs));
    double l = fmax(1.5 * (double)d, fmin(wide, pairs));
    if (*small <= 0) *small = (int64_t)s;
    if (*large <= 0) *large = (int64_t)l;
    if (*small < 1) *small = 1;
}

typedef struct {
    const grl_dag_gram *g;
    const grl_dag_nodefit *fit; /* NULL: the Cholesky fit of least squares */
    double *W, *nodeloss;       /* fit: weights and per-position losses of
                                   the current order                      */
    const double *Xc; /* naive refit only */
    int64_t n, d;
    double *L, *Linv, *A; /* d x d each */
    candidate *cand, *good;
    double *work;         /* per_thread doubles per thread */
    size_t per_thread;
    int threads;
    bool naive;
    int64_t small, large;
    bool full;
    int64_t candidates;   /* scored, running total */
    double scoring_seconds; /* wall time in score_range, running total */
} search;

/* fit: regress the variables at positions from..to of order on their
 * predecessors, each solve started from the weights of the current fit
 * s->W (a swap changes one predecessor: the start is near the optimum);
 * losses[pos] their optima, W (if not NULL) their columns. work: 7 d
 * doubles. */
static int fit_positions(const search *s, const int64_t *order, int64_t from,
                         int64_t to, double *W, double *losses, double *work,
                         char *msg)
{
    const int64_t d = s->d;
    double *w = work + 6 * d;
    for (int64_t pos = from; pos <= to; pos++) {
        int64_t j = order[pos];
        for (int64_t a = 0; a < pos; a++) w[a] = s->W[order[a] * d + j];
        int rc = grl_dag_nodefit_solve(&losses[pos], w, s->fit, j, order, pos, true,
                                       work, msg);
        if (rc < 0) return rc;
        if (W == NULL) continue;
        for (int64_t i = 0; i < d; i++) W[i * d + j] = 0.0;
        for (int64_t a = 0; a < pos; a++) W[order[a] * d + j] = w[a];
    }
    return 0;
}

/* Score candidates [lo, hi) of s->cand for order cur, in parallel; each
 * result depends on its candidate only. */
static int score_range(search *s, const int64_t *cur, int64_t lo, int64_t hi,
                       char *msg)
{
    const int64_t d = s->d;
    int status = 0;
    /* tasks for the team that runs the search (grl_dag_topo); a task's
     * result depends on its candidate only */
#pragma omp taskloop grainsize(4) shared(status)
    for (int64_t c = lo; c < hi; c++) {
        candidate *k = &s->cand[c];
        double *work = s->work + (size_t)omp_get_thread_num() * s->per_thread;
        double delta;
        if (s->fit) {
            int64_t *o = (int64_t *)(work + 8 * d);
            double *losses = work + 7 * d;
            memcpy(o, cur, (size_t)d * sizeof *o);
            o[k->p] = cur[k->q];
            o[k->q] = cur[k->p];
            char m[GRL_MSG_LEN];
            delta = 0;
            if (fit_positions(s, o, k->p, k->q, NULL, losses, work, m) < 0) {
#pragma omp atomic write
                status = GRL_OUT_OF_MEMORY;
                delta = NAN;
            }
            for (int64_t i = k->p; i <= k->q; i++) delta += losses[i] - s->nodeloss[i];
        } else if (s->naive) {
            /* refit positions p..q of the swapped order from the raw data */
            int64_t *o = (int64_t *)(work + 2 * d * d);
            memcpy(o, cur, (size_t)d * sizeof *o);
            o[k->p] = cur[k->q];
            o[k->q] = cur[k->p];
            double after, before = 0;
            char m[GRL_MSG_LEN];
            if (grl_dag_score_order_raw(&after, s->Xc, s->n, d, o, k->p, k->q, m) < 0) {
#pragma omp atomic write
                status = GRL_OUT_OF_MEMORY;
                after = NAN;
            }
            for (int64_t i = k->p; i <= k->q; i++)
                before += s->L[i * d + i] * s->L[i * d + i];
            delta = after - 0.5 * before;
        } else {
            delta = grl_dag_swap_delta(s->L, s->Linv, d, k->p, k->q, work);
            if (isnan(delta)) /* a downdate lost positivity: factor again */
                delta = grl_dag_swap_delta_refit(s->g, cur, k->p, k->q);
        }
        k->delta = isnan(delta) ? INFINITY : delta;
    }
    s->candidates += hi - lo;
    if (status < 0) grl_set_msg(msg, "out of memory scoring swaps");
    return status;
}

/* fit: the fit of order cur into s->W and s->nodeloss (positions in
 * parallel), *score their sum, and A = I - |W| in positions. */
static int fit_order(search *s, const int64_t *cur, double *score, char *msg)
{
    const int64_t d = s->d;
    int status = 0;
#pragma omp taskloop grainsize(1) shared(status)
    for (int64_t pos = 0; pos < d; pos++) {
        double *work = s->work + (size_t)omp_get_thread_num() * s->per_thread;
        char m[GRL_MSG_LEN];
        if (fit_positions(s, cur, pos, pos, s->W, s->nodeloss, work, m) < 0) {
#pragma omp atomic write
            status = GRL_OUT_OF_MEMORY;
        }
    }
    if (status < 0) {
        grl_set_msg(msg, "out of memory fitting an order");
        return status;
    }
    *score = 0;
    for (int64_t pos = 0; pos < d; pos++) *score += s->nodeloss[pos];
    for (int64_t a = 0; a < d; a++)
        for (int64_t b = 0; b < d; b++)
            s->A[a * d + b] = b < a ? 0.0 : b == a ? 1.0
                              : -fabs(s->W[cur[a] * d + cur[b]]);
    return 0;
}

/* The least-squares fit of order cur by the Cholesky factor of the Gram
 * matrix, *score its score, and A = I - |W| in positions. */
static int chol_order(search *s, const int64_t *cur, double *score, char *msg)
{
    const int64_t d = s->d;
    int info = grl_dag_chol_order(s->L, s->g, cur);
    if (info != 0) {
        grl_set_msg(msg, "the Gram matrix is singular: variable %" PRId64
                    " is a linear combination of others (n = %" PRId64
                    ", d = %" PRId64 "); use more samples than variables, "
                    "drop duplicated columns, or set lambda2 > 0",
                    info > 0 ? cur[info - 1] : -1, s->n, d);
        return GRL_INVALID_ARGUMENT;
    }
    *score = grl_dag_chol_score(s->L, d, s->g->lambda2);
    grl_dag_chol_inverse(s->Linv, s->L, d);
    for (int64_t a = 0; a < d; a++)
        for (int64_t b = 0; b < d; b++)
            s->A[a * d + b] = b < a ? 0.0 : b == a ? 1.0
                              : -fabs(s->Linv[b * d + a] * s->L[b * d + b]);
    return 0;
}

/* One search from cur (modified) to a local optimum; *score its score.
 * prev: d scratch. */
static int run_search(search *s, int64_t *cur, int64_t *prev, int64_t max_iter,
                      int64_t *iterations, double *score, char *msg)
{
    const int64_t d = s->d, pairs = d * (d - 1) / 2;
    uint8_t *used = (uint8_t *)s->A; /* reused after ranking */
    double last = INFINITY;
    for (int64_t it = 0;; it++) {
        int rc = s->fit ? fit_order(s, cur, score, msg) : chol_order(s, cur, score, msg);
        if (rc < 0) return rc;
        /* tolerance of "improves": rounding for the exact Cholesky fit, the
         * solver's precision for the iterative one */
        const double tol = (s->fit ? 1e-9 : 1e-12) * fmax(fabs(*score), s->fit ? 1.0 : 1e-300);
        if (s->fit && !(*score < last - tol)) {
            /* the accepted swaps did not improve the refitted order (the
             * iterative fits' gains need not add exactly): keep the last */
            memcpy(cur, prev, (size_t)d * sizeof *cur);
            rc = fit_order(s, cur, score, msg);
            if (rc < 0) return rc;
            break;
        }
        last = *score;
        if (it >= max_iter) break;
        (*iterations)++;
        /* A = I - |W| in positions (upper, unit diagonal) into its inverse */
        LAPACKE_dtrtri(LAPACK_ROW_MAJOR, 'U', 'U', (lapack_int)d, s->A, (lapack_int)d);
        int64_t c = 0;
        for (int64_t a = 0; a < d; a++)
            for (int64_t b = a + 1; b < d; b++, c++)
                s->cand[c] = (candidate){(int32_t)a, (int32_t)b,
                                         s->A[a * d + b], 0.0};
        qsort(s->cand, (size_t)pairs, sizeof *s->cand, by_rank);
        int64_t bounds[4] = {0, s->small < pairs ? s->small : pairs,
                             s->large < pairs ? s->large : pairs,
                             s->full ? pairs : 0};
        int64_t good = 0;
        for (int level = 0; level < 3 && good == 0; level++) {
            int64_t lo = bounds[level], hi = bounds[level + 1];
            if (hi <= lo) continue;
            double t0 = omp_get_wtime();
            rc = score_range(s, cur, lo, hi, msg);
            s->scoring_seconds += omp_get_wtime() - t0;
            if (rc < 0) return rc;
            for (int64_t k = lo; k < hi; k++)
                if (s->cand[k].delta < -tol) s->good[good++] = s->cand[k];
        }
        if (good == 0) break; /* no swap improves: a local optimum */
        qsort(s->good, (size_t)good, sizeof *s->good, by_delta);
        memcpy(prev, cur, (size_t)d * sizeof *cur);
        memset(used, 0, (size_t)d);
        for (int64_t k = 0; k < good; k++) {
            int32_t p = s->good[k].p, q = s->good[k].q;
            bool free_range = true;
            for (int32_t i = p; i <= q && free_range; i++) free_range = !used[i];
            if (!free_range) continue;
            memset(used + p, 1, (size_t)(q - p + 1));
            int64_t t = cur[p];
            cur[p] = cur[q];
            cur[q] = t;
        }
    }
    return 0;
}

/* The runs from the warm start and random orders; the best into order. */
static int run_restarts(search *s, int64_t *cur, int64_t *prev, int64_t *order,
                        const grl_dag_options *opt, const int64_t *warm_order,
                        grl_dag_topo_stats *st, char *msg)
{
    const int64_t d = s->d;
    int64_t max_iter = opt->max_iter > 0 ? opt->max_iter : 10000;
    for (int64_t r = 0; r < opt->restarts; r++) {
        if (r == 0 && warm_order != NULL) {
            memcpy(cur, warm_order, (size_t)d * sizeof *cur);
        } else {
            grl_rng rng;
            grl_rng_init(&rng, opt->seed, (uint64_t)r);
            for (int64_t i = 0; i < d; i++) cur[i] = i;
            for (int64_t i = d - 1; i > 0; i--) {
                int64_t j = (int64_t)grl_rng_below(&rng, (uint64_t)i + 1), t = cur[i];
                cur[i] = cur[j];
                cur[j] = t;
            }
        }
        double score;
        int rc = run_search(s, cur, prev, max_iter, &st->iterations, &score, msg);
        if (rc < 0) return rc;
        if (score < st->score) {
            st->score = score;
            st->best_restart = r;
            memcpy(order, cur, (size_t)d * sizeof *cur);
        }
    }
    return 0;
}

int grl_dag_topo(double *W, int64_t *order, const grl_dag_data *data,
                 const grl_dag_options *opt, const int64_t *warm_order,
                 bool naive_refit, grl_dag_topo_stats *stats, char *msg)
{
    grl_dag_gram g = {0};
    search s = {0};
    double *Xc = NULL;
    int64_t *cur = NULL;
#define FREE_ALL                                                               \
    grl_dag_gram_free(&g); free(s.L); free(s.Linv); free(s.A); free(s.cand);   \
    free(s.good); free(s.work); free(s.W); free(s.nodeloss); free(Xc); free(cur)
    const int64_t d = data->d, n = data->n;
    GRL_REQUIRE(d <= 46340, "TOPO handles at most 46340 variables, got %" PRId64, d);
    /* the logistic loss and l1 need a regression per variable; least
     * squares with l1 evaluates it from the Gram matrix */
    grl_dag_nodefit fit = {opt->loss, opt->lambda1, opt->lambda2, &g, data->X, n, d};
    if (opt->loss == GRL_DAG_LOSS_LOGISTIC || opt->lambda1 > 0) s.fit = &fit;
    GRL_REQUIRE(!(naive_refit && s.fit), "the raw refit compares least squares only");
    if (opt->loss == GRL_DAG_LOSS_L2) GRL_TRY(grl_dag_gram_build(&g, data, opt->lambda2, msg));
    size_t dd = grl_size_mul((size_t)d, (size_t)d);
    int64_t pairs = d * (d - 1) / 2;
    s.g = &g;
    s.n = n;
    s.d = d;
    s.threads = omp_get_max_threads();
    s.naive = naive_refit;
    s.small = opt->size_small;
    s.large = opt->size_large;
    default_sizes(d, &s.small, &s.large);
    if (s.large < s.small) s.large = s.small;
    s.full = opt->full_search;
    GRL_ALLOC(s.L, double, dd);
    GRL_ALLOC(s.Linv, double, dd);
    GRL_ALLOC(s.A, double, dd);
    GRL_ALLOC(s.cand, candidate, pairs > 0 ? pairs : 1);
    GRL_ALLOC(s.good, candidate, pairs > 0 ? pairs : 1);
    /* per thread: 3 d^2 for a swap's block; fit: 6 d for the solver, d
     * weights, d losses, d positions */
    s.per_thread = grl_size_mul(3, dd) > 9 * (size_t)d ? grl_size_mul(3, dd) : 9 * (size_t)d;
    GRL_ALLOC(s.work, double, grl_size_mul(s.per_thread, (size_t)s.threads));
    GRL_CALLOC(s.W, double, dd);
    GRL_ALLOC(s.nodeloss, double, (size_t)d);
    GRL_ALLOC(cur, int64_t, 2 * (size_t)d);
    if (naive_refit) {
        GRL_ALLOC(Xc, double, grl_size_mul((size_t)n, (size_t)d));
        grl_dag_centre(Xc, data->X, n, d);
        s.Xc = Xc;
    }
    grl_dag_topo_stats st = {0, 0, 0, INFINITY, 0.0};
    int status = 0;
    /* one team for the whole search: its BLAS / LAPACK calls run on one
     * thread (OpenBLAS does not thread inside an active parallel region;
     * its threads on the d x d factorisations spun on the shared cores),
     * the candidate swaps run as tasks on all of them */
#pragma omp parallel num_threads(grl_blas_team(s.threads))
#pragma omp single
    status = run_restarts(&s, cur, cur + d, order, opt, warm_order, &st, msg);
    if (status < 0) {
        FREE_ALL;
        return status;
    }
    st.candidates = s.candidates;
    st.scoring_seconds = s.scoring_seconds;
    /* the weights of the best order */
    if (s.fit) {
        double score;
        status = fit_order(&s, order, &score, msg);
        memcpy(W, s.W, dd * sizeof *W);
    } else {
        grl_dag_chol_order(s.L, &g, order);
        grl_dag_chol_inverse(s.Linv, s.L, d);
        grl_dag_weights_from_chol(W, s.L, s.Linv, order, d);
    }
    if (stats) *stats = st;
    FREE_ALL;
    return status;
#undef FREE_ALL
}
