/* ncn_train.c — training NCN and NCNC (BCE against uniform negatives,
 * target-link removal, edge dropout of the common-neighbour graph, Adam,
 * early stopping on validation Hits@K), and scoring with a trained model. */
#include "ncn_internal.h"

#include <math.h>
#include <omp.h>

/* Everything a training run holds. */
typedef struct {
    ncn_adj A, Aenc, Acn, Acc; /* training graph; per batch: without the
                                  batch's edges; and with edge dropout too;
                                  NCNC: and a second edge dropout, the graph
                                  of completion's scores */
    ncn_features F;
    ncn_nodes N;
    ncn_pairs Q;
    grl_nn_optimizer oenc, opred;
    int64_t *order, *nu, *nv, *pu, *pv;
    uint64_t *key;
    uint8_t *drop;
    float *best_enc, *best_pred;
} ncn_run;

static void run_free(ncn_run *r)
{
    ncn_adj_free(&r->A);
    ncn_adj_free(&r->Aenc);
    ncn_adj_free(&r->Acn);
    ncn_adj_free(&r->Acc);
    ncn_features_free(&r->F);
    ncn_nodes_free(&r->N);
    ncn_pairs_free(&r->Q);
    grl_nn_optimizer_release(&r->oenc);
    grl_nn_optimizer_release(&r->opred);
    free(r->order);
    free(r->nu);
    free(r->nv);
    free(r->pu);
    free(r->pv);
    free(r->key);
    free(r->drop);
    free(r->best_enc);
    free(r->best_pred);
}

/* Check that pairs are node indices of a graph with n nodes. */
static int check_pairs(const int64_t *u, const int64_t *v, int64_t count,
                       int64_t n, const char *what, char *msg)
{
#define FREE_ALL ;
    for (int64_t k = 0; k < count; k++)
        GRL_REQUIRE(u[k] >= 0 && u[k] < n && v[k] >= 0 && v[k] < n,
                    "%s pair %" PRId64 " (%" PRId64 ", %" PRId64 ") is out "
                    "of range: nodes are 0..%" PRId64, what, k, u[k], v[k], n - 1);
    return 0;
#undef FREE_ALL
}

/* Every feature finite (a NaN would silently poison every score). */
static int check_features(const grl_dense *X, char *msg)
{
#define FREE_ALL ;
    int64_t bad = grl_first_nonfinite(X->data, X->rows * X->cols);
    GRL_REQUIRE(bad < 0, "feature (%" PRId64 ", %" PRId64 ") is not a finite "
                "number", bad / (X->cols ? X->cols : 1), bad % (X->cols ? X->cols : 1));
    return 0;
#undef FREE_ALL
}

static const int64_t *sort_keys_;
static int by_key(const void *a, const void *b)
{
    uint64_t x = (uint64_t)sort_keys_[*(const int64_t *)a];
    uint64_t y = (uint64_t)sort_keys_[*(const int64_t *)b];
    if (x != y) return x < y ? -1 : 1;
    int64_t i = *(const int64_t *)a, j = *(const int64_t *)b;
    return (i > j) - (i < j);
}

/* The epoch's order of the training edges: by a hash of (seed, epoch, id). */
static void shuffle(ncn_run *r, uint64_t seed, uint64_t epoch)
{
    const int64_t m = r->A.m;
    uint64_t k = grl_mix64(seed + GRL_GOLDEN) ^ grl_mix64(epoch + 0x51);
    for (int64_t e = 0; e < m; e++) {
        r->order[e] = e;
        r->key[e] = grl_mix64(k ^ grl_mix64((uint64_t)e + GRL_GOLDEN));
    }
    sort_keys_ = (const int64_t *)r->key;
    qsort(r->order, (size_t)m, sizeof(int64_t), by_key);
}

/* Validation Hits@K of the current parameters on the training graph. */
static int validate(const grl_ncn *M, ncn_run *r, const grl_edge_split *S,
                    const int64_t *neg_u, const int64_t *neg_v, int64_t nneg,
                    double *hits, char *msg)
{
    double *pos = NULL, *neg = NULL;
#define FREE_ALL free(pos); free(neg)
    const ncn_mode mode = {false, 0, NULL};
    GRL_TRY(ncn_nodes_forward(M, &r->N, &r->F, &r->A, &mode, msg));
    GRL_ALLOC(pos, double, S->nvalid);
    GRL_ALLOC(neg, double, nneg);
    bool c = M->opt.completion;
    GRL_TRY(ncn_score_pairs(M, &r->Q, &r->N, &r->A, S->valid_u, S->valid_v,
                            S->nvalid, c, &mode, pos, msg));
    GRL_TRY(ncn_score_pairs(M, &r->Q, &r->N, &r->A, neg_u, neg_v, nneg, c,
                            &mode, neg, msg));
    GRL_TRY(grl_linkpred_hits(pos, S->nvalid, neg, nneg, M->opt.hits_k, hits, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

static inline double softplus(double x)
{
    return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* One step on B positive pairs (pu, pv)[0..B) and B negatives after them;
 * returns the mean BCE loss of each half, summed, in *loss. */
static int train_step(grl_ncn *M, ncn_run *r, int64_t B, uint64_t step,
                      double *loss, char *msg)
{
#define FREE_ALL ;
    const ncn_mode mode = {true, step, &r->Acc};
    const grl_ncn_options *o = &M->opt;
    memset(M->enc.grad, 0, sizeof(float) * M->enc.count);
    memset(M->pred.grad, 0, sizeof(float) * M->pred.count);
    GRL_TRY(ncn_nodes_forward(M, &r->N, &r->F, &r->Aenc, &mode, msg));
    GRL_TRY(ncn_pairs_forward(M, &r->Q, &r->N, &r->Acn, r->pu, r->pv, 2 * B,
                              o->completion, &mode, msg));
    double l = 0;
    for (int64_t k = 0; k < 2 * B; k++) {
        double s = r->Q.s[k], sig = 1.0 / (1.0 + exp(-s));
        bool positive = k < B;
        l += softplus(positive ? -s : s);
        r->Q.ds[k] = (float)((positive ? sig - 1.0 : sig) / (double)B);
    }
    *loss = l / (double)B;
    if (!isfinite(*loss))
        GRL_FAIL(GRL_INVALID_ARGUMENT, "NCN training diverged (the loss is "
                 "not finite at step %" PRIu64 "): %s", step,
                 grl_nn_divergence_advice(step == 1));
    const size_t cells = (size_t)(r->N.n * r->N.d);
    memset(r->N.dh, 0, sizeof(float) * cells);
    memset(r->N.dx, 0, sizeof(float) * cells);
    ncn_pairs_backward(M, &r->Q, &r->N, &mode);
    ncn_nodes_backward(M, &r->N, &r->F, &r->Aenc, &mode);
    grl_nn_optimizer_step(&r->oenc, &M->enc);
    grl_nn_optimizer_step(&r->opred, &M->pred);
    return 0;
#undef FREE_ALL
}

/* Mark a further edge_dropout share of the edges in r->drop, drawn from a
 * hash of (seed, step, round, edge). */
static void drop_edges(const grl_ncn *M, ncn_run *r, uint64_t step,
                       uint64_t round)
{
    double p = M->opt.edge_dropout;
    if (p <= 0) return;
    uint64_t key = grl_mix64(grl_mix64(M->opt.seed + GRL_GOLDEN + round) ^
                             grl_mix64(step * 0x100000001b3ull + 0xed9e));
    uint64_t cut = (uint64_t)ldexp(p, 32);
    for (int64_t e = 0; e < r->A.m; e++)
        if ((grl_mix64(key ^ grl_mix64((uint64_t)e + GRL_GOLDEN)) >> 32) < cut)
            r->drop[e] = 1;
}

/* The graphs of one step: without the batch's own edges (target-link
 * removal) for both, and for the common neighbours without a further
 * edge_dropout share of edges. NCNC's completion scores see the common
 * neighbours' graph after a second edge dropout, as the reference's inner
 * NCN drops edges again from the graph it is given. */
static int step_graphs(const grl_ncn *M, ncn_run *r, int64_t start, int64_t B,
                       uint64_t step, char *msg)
{
#define FREE_ALL ;
    const int64_t m = r->A.m;
    for (int64_t t = 0; t < B; t++) r->drop[r->order[start + t]] = 1;
    GRL_TRY(ncn_adj_filter(&r->Aenc, &r->A, r->drop, msg));
    drop_edges(M, r, step, 0);
    GRL_TRY(ncn_adj_filter(&r->Acn, &r->A, r->drop, msg));
    if (M->opt.completion) {
        drop_edges(M, r, step, 1);
        GRL_TRY(ncn_adj_filter(&r->Acc, &r->A, r->drop, msg));
    }
    memset(r->drop, 0, (size_t)m);
    return 0;
#undef FREE_ALL
}

static void snapshot(const grl_ncn *M, ncn_run *r, bool restore)
{
    size_t be = sizeof(float) * M->enc.count, bp = sizeof(float) * M->pred.count;
    if (restore) {
        memcpy(M->enc.value, r->best_enc, be);
        memcpy(M->pred.value, r->best_pred, bp);
    } else {
        memcpy(r->best_enc, M->enc.value, be);
        memcpy(r->best_pred, M->pred.value, bp);
    }
}

/* Allocate the run's arrays and build its graph and features. */
static int run_init(ncn_run *r, const grl_ncn *M, const grl_edge_split *S,
                    const grl_dense *X, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(ncn_adj_build(&r->A, S->train, msg));
    const int64_t m = r->A.m, B = M->opt.batch_size < m ? M->opt.batch_size : m;
    GRL_REQUIRE(m >= 1, "NCN: the training graph has no edge");
    GRL_TRY(ncn_features_build(&r->F, X, msg));
    GRL_ALLOC(r->order, int64_t, m);
    GRL_ALLOC(r->key, uint64_t, m);
    GRL_ALLOC(r->nu, int64_t, m);
    GRL_ALLOC(r->nv, int64_t, m);
    GRL_ALLOC(r->pu, int64_t, 2 * B);
    GRL_ALLOC(r->pv, int64_t, 2 * B);
    GRL_CALLOC(r->drop, uint8_t, m);
    GRL_ALLOC(r->best_enc, float, M->enc.count);
    GRL_ALLOC(r->best_pred, float, M->pred.count);
    grl_optimizer_options oo;
    grl_optimizer_options_init(&oo);
    oo.lr = M->opt.encoder_lr;
    GRL_TRY(grl_nn_optimizer_init(&r->oenc, &oo, M->enc.count, msg));
    oo.lr = M->opt.predictor_lr;
    GRL_TRY(grl_nn_optimizer_init(&r->opred, &oo, M->pred.count, msg));
    return 0;
#undef FREE_ALL
}

/* The pairs of the batch at `start` of the epoch's order: its positive
 * edges, then as many of the epoch's negatives; returns the batch size. */
static int64_t batch_pairs(ncn_run *r, int64_t start, int64_t bs)
{
    const int64_t m = r->A.m, B = m - start < bs ? m - start : bs;
    for (int64_t t = 0; t < B; t++) {
        r->pu[t] = r->A.eu[r->order[start + t]];
        r->pv[t] = r->A.ev[r->order[start + t]];
        r->pu[B + t] = r->nu[start + t];
        r->pv[B + t] = r->nv[start + t];
    }
    return B;
}

/* Where the epochs stand. */
typedef struct {
    int64_t epoch, step, best_epoch;
    double best, best_loss;
} ncn_progress_state;

/* The epochs: batches, then validation after each, the best parameters kept
 * in r, until opt->epochs or `patience` epochs without improvement. */
static int run_epochs(grl_ncn *M, ncn_run *r, const grl_edge_split *S,
                      const int64_t *neg_u, const int64_t *neg_v, int64_t nneg,
                      const grl_ncn_options *opt, ncn_progress_state *st,
                      char *msg)
{
#define FREE_ALL ;
    const int64_t m = r->A.m, bs = M->opt.batch_size;
    int64_t since = 0;
    while (st->epoch < opt->epochs) {
        double t0 = omp_get_wtime(), sum = 0;
        int64_t nb = 0;
        st->epoch++;
        shuffle(r, M->opt.seed, (uint64_t)st->epoch);
        GRL_TRY(grl_linkpred_negatives(S->train, m,
                                       grl_mix64(M->opt.seed ^ (uint64_t)st->epoch),
                                       r->nu, r->nv, msg));
        for (int64_t start = 0; start < m; start += bs, nb++) {
            int64_t B = batch_pairs(r, start, bs);
            st->step++;
            GRL_TRY(step_graphs(M, r, start, B, (uint64_t)st->step, msg));
            double l;
            GRL_TRY(train_step(M, r, B, (uint64_t)st->step, &l, msg));
            sum += l;
        }
        double hits;
        GRL_TRY(validate(M, r, S, neg_u, neg_v, nneg, &hits, msg));
        bool improved = hits > st->best;
        if (improved) {
            st->best = hits;
            st->best_epoch = st->epoch;
            st->best_loss = sum / (double)nb;
            snapshot(M, r, false);
            since = 0;
        } else {
            since++;
        }
        if (opt->progress) {
            grl_ncn_progress p = {st->epoch, opt->epochs, sum / (double)nb,
                                  hits, omp_get_wtime() - t0, improved};
            opt->progress(&p, opt->progress_ctx);
        }
        if (M->opt.patience > 0 && since >= M->opt.patience) break;
    }
    return 0;
#undef FREE_ALL
}

int grl_ncn_train(grl_ncn **Mout, grl_ncn_train_result *res,
                  const grl_edge_split *S, const grl_dense *X,
                  const int64_t *neg_u, const int64_t *neg_v, int64_t nneg,
                  const grl_ncn_options *opt, char *msg)
{
    grl_ncn *M = NULL;
    ncn_run r;
    memset(&r, 0, sizeof r);
#define FREE_ALL run_free(&r); grl_ncn_free(&M)
    grl_msg_clear(msg);
    GRL_REQUIRE(Mout != NULL && S != NULL && S->train != NULL && X != NULL &&
                    X->data != NULL && neg_u != NULL && neg_v != NULL,
                "grl_ncn_train: NULL argument");
    *Mout = NULL;
    grl_ncn_options defaults;
    grl_ncn_options_init(&defaults);
    if (opt == NULL) opt = &defaults;
    const int64_t n = grl_graph_num_nodes(S->train);
    GRL_REQUIRE(X->rows == n, "the features have %" PRId64 " rows for a graph "
                "of %" PRId64 " nodes", X->rows, n);
    GRL_TRY(check_features(X, msg));
    GRL_REQUIRE(S->nvalid >= 1, "NCN needs validation edges (for early "
                "stopping): give a validation fraction > 0");
    GRL_REQUIRE(nneg >= 1, "NCN needs validation negatives, got %" PRId64, nneg);
    GRL_TRY(check_pairs(S->valid_u, S->valid_v, S->nvalid, n, "validation", msg));
    GRL_TRY(check_pairs(neg_u, neg_v, nneg, n, "negative", msg));
    double t0 = omp_get_wtime();
    GRL_TRY(ncn_new(&M, opt, X->cols, msg));
    GRL_TRY(run_init(&r, M, S, X, msg));
    ncn_progress_state st = {0, 0, 0, -1.0, NAN};
    GRL_TRY(run_epochs(M, &r, S, neg_u, neg_v, nneg, opt, &st, msg));
    snapshot(M, &r, true);
    if (res) {
        res->epochs_run = st.epoch;
        res->best_epoch = st.best_epoch;
        res->val_hits = st.best;
        res->loss = st.best_loss;
        res->seconds = omp_get_wtime() - t0;
    }
    *Mout = M;
    M = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* ---- scoring with a trained model ------------------------------------------ */

/* The model's node tensors on G with features X. */
static int prepare(const grl_ncn *M, grl_graph *G, const grl_dense *X,
                   ncn_adj *A, ncn_features *F, ncn_nodes *N, char *msg)
{
#define FREE_ALL ;
    const int64_t n = grl_graph_num_nodes(G);
    GRL_REQUIRE(X->rows == n && X->cols == M->f, "the features are %" PRId64
                " x %" PRId64 "; the model needs %" PRId64 " x %" PRId64
                " (the graph's nodes x the width it was trained on)", X->rows,
                X->cols, n, M->f);
    GRL_TRY(check_features(X, msg));
    GRL_TRY(ncn_adj_build(A, G, msg));
    GRL_TRY(ncn_features_build(F, X, msg));
    const ncn_mode mode = {false, 0, NULL};
    GRL_TRY(ncn_nodes_forward(M, N, F, A, &mode, msg));
    return 0;
#undef FREE_ALL
}

int grl_ncn_score(const grl_ncn *M, grl_graph *G, const grl_dense *X,
                  const int64_t *u, const int64_t *v, int64_t npairs,
                  double *score, char *msg)
{
    ncn_adj A = {0};
    ncn_features F = {0};
    ncn_nodes N = {0};
    ncn_pairs Q = {0};
#define FREE_ALL ncn_adj_free(&A); ncn_features_free(&F); ncn_nodes_free(&N); \
    ncn_pairs_free(&Q)
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && G != NULL && X != NULL && X->data != NULL &&
                    (npairs == 0 || (u != NULL && v != NULL && score != NULL)),
                "grl_ncn_score: NULL argument");
    GRL_REQUIRE(npairs >= 0, "grl_ncn_score: npairs < 0");
    GRL_TRY(check_pairs(u, v, npairs, grl_graph_num_nodes(G), "candidate", msg));
    GRL_TRY(prepare(M, G, X, &A, &F, &N, msg));
    const ncn_mode mode = {false, 0, NULL};
    GRL_TRY(ncn_score_pairs(M, &Q, &N, &A, u, v, npairs, M->opt.completion,
                            &mode, score, msg));
    for (int64_t k = 0; k < npairs; k++) /* fuzz_ncn_model found it */
        GRL_REQUIRE(isfinite(score[k]), "the model's score of pair (%" PRId64 ", %" PRId64
                    ") overflows: its parameters are too large for these features",
                    u[k], v[k]);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

typedef struct {
    double s;
    int64_t v;
} scored;

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->s != y->s) return x->s > y->s ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

int grl_ncn_topk(const grl_ncn *M, grl_graph *G, const grl_dense *X,
                 const int64_t *nodes, int64_t nnodes, int64_t k,
                 int64_t *cand, double *score, char *msg)
{
    ncn_adj A = {0};
    ncn_features F = {0};
    ncn_nodes N = {0};
    ncn_pairs Q = {0};
    int64_t *su = NULL, *sv = NULL, *mark = NULL;
    double *ss = NULL;
    scored *row = NULL;
#define FREE_ALL ncn_adj_free(&A); ncn_features_free(&F); ncn_nodes_free(&N); \
    ncn_pairs_free(&Q); free(su); free(sv); free(mark); free(ss); free(row)
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && G != NULL && X != NULL && X->data != NULL &&
                    cand != NULL && score != NULL, "grl_ncn_topk: NULL argument");
    const int64_t n = grl_graph_num_nodes(G);
    if (nodes == NULL) nnodes = n;
    GRL_REQUIRE(k >= 1 && nnodes >= 0, "grl_ncn_topk: k must be >= 1 and "
                "nnodes >= 0");
    GRL_REQUIRE_MUL_I64(nnodes, k, "nnodes x k");
    for (int64_t i = 0; nodes && i < nnodes; i++)
        GRL_REQUIRE(nodes[i] >= 0 && nodes[i] < n, "source %" PRId64 " (%"
                    PRId64 ") is out of range: nodes are 0..%" PRId64, i,
                    nodes[i], n - 1);
    GRL_TRY(prepare(M, G, X, &A, &F, &N, msg));
    GRL_ALLOC(mark, int64_t, n);
    for (int64_t i = 0; i < n; i++) mark[i] = -1;
    for (int64_t i = 0; i < nnodes; i++) {
        const int64_t src = nodes ? nodes[i] : i;
        /* candidates: two steps away, not a neighbour, not src */
        int64_t cnt = 0;
        mark[src] = i;
        for (int64_t a = A.p[src]; a < A.p[src + 1]; a++) mark[A.j[a]] = i;
        for (int64_t a = A.p[src]; a < A.p[src + 1]; a++)
            for (int64_t b = A.p[A.j[a]]; b < A.p[A.j[a] + 1]; b++)
                if (mark[A.j[b]] != i && mark[A.j[b]] != -2 - i) {
                    mark[A.j[b]] = -2 - i;
                    cnt++;
                }
        free(su); free(sv); free(ss); free(row);
        su = sv = NULL; ss = NULL; row = NULL;
        GRL_ALLOC(su, int64_t, cnt);
        GRL_ALLOC(sv, int64_t, cnt);
        GRL_ALLOC(ss, double, cnt);
        GRL_ALLOC(row, scored, cnt);
        int64_t q = 0;
        for (int64_t a = A.p[src]; a < A.p[src + 1]; a++)
            for (int64_t b = A.p[A.j[a]]; b < A.p[A.j[a] + 1]; b++)
                if (mark[A.j[b]] == -2 - i) {
                    mark[A.j[b]] = -3 - nnodes - i; /* taken */
                    su[q] = src;
                    sv[q++] = A.j[b];
                }
        const ncn_mode mode = {false, 0, NULL};
        GRL_TRY(ncn_score_pairs(M, &Q, &N, &A, su, sv, cnt, M->opt.completion,
                                &mode, ss, msg));
        for (int64_t t = 0; t < cnt; t++) row[t] = (scored){ss[t], sv[t]};
        qsort(row, (size_t)cnt, sizeof(scored), by_score);
        for (int64_t t = 0; t < k; t++) {
            cand[i * k + t] = t < cnt ? row[t].v : -1;
            score[i * k + t] = t < cnt ? row[t].s : 0.0;
        }
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* ---- the benchmark's measure of an epoch ------------------------------------ */

int ncn_time_steps(const grl_edge_split *S, const grl_dense *X,
                   const grl_ncn_options *opt, int64_t steps, double *seconds,
                   char *msg)
{
    grl_ncn *M = NULL;
    ncn_run r;
    memset(&r, 0, sizeof r);
#define FREE_ALL run_free(&r); grl_ncn_free(&M)
    GRL_TRY(ncn_new(&M, opt, X->cols, msg));
    GRL_TRY(run_init(&r, M, S, X, msg));
    const int64_t m = r.A.m, bs = M->opt.batch_size;
    shuffle(&r, M->opt.seed, 1);
    GRL_TRY(grl_linkpred_negatives(S->train, m, M->opt.seed, r.nu, r.nv, msg));
    double t0 = omp_get_wtime();
    for (int64_t k = 0, start = 0; k < steps && start < m; k++, start += bs) {
        int64_t B = batch_pairs(&r, start, bs);
        double l;
        GRL_TRY(step_graphs(M, &r, start, B, (uint64_t)k + 1, msg));
        GRL_TRY(train_step(M, &r, B, (uint64_t)k + 1, &l, msg));
    }
    *seconds = omp_get_wtime() - t0;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
