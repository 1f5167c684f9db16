/* train.c — the training loop every gnn/ model uses: epochs of (mini-)batch
 * steps over the training nodes, validation after each epoch, early
 * stopping with patience, and the best parameters restored at the end; and
 * its fixed-epoch mode, the refit on training + validation rows (Errica et
 * al., ICLR 2020: the epoch count chosen on validation, then a retraining
 * on all the fold's non-test rows that keeps its last parameters). */
#include "nn.h"

#include <math.h>
#include <omp.h>

static const grl_enum_name select_epoch_names[] = {
    {"accuracy", GRL_SELECT_EPOCH_ACCURACY}, {"loss", GRL_SELECT_EPOCH_LOSS}};

GRL_ENUM_FUNCTIONS(grl_gnn_select_epoch, select_epoch_names, "epoch selection")

void grl_gnn_train_options_init(grl_gnn_train_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->epochs = 500;
    opt->patience = 50;
    grl_optimizer_options_init(&opt->optimizer);
}

int grl_nn_split_rows(int64_t **rows, int64_t *count, const grl_node_splits *S,
                      const grl_node_labels *L, int64_t split,
                      grl_split_role role, char *msg)
{
#define FREE_ALL ;
    const uint8_t *r = S->role + split * S->nodes;
    int64_t m = 0;
    for (int64_t i = 0; i < S->nodes; i++) m += r[i] == role && L->y[i] >= 0;
    GRL_ALLOC(*rows, int64_t, m);
    m = 0;
    for (int64_t i = 0; i < S->nodes; i++)
        if (r[i] == role && L->y[i] >= 0) (*rows)[m++] = i;
    *count = m;
    return 0;
#undef FREE_ALL
}

void grl_nn_mean_std(const double *x, int64_t n, double *mean, double *std)
{
    double m = 0, v = 0;
    for (int64_t i = 0; i < n; i++) m += x[i];
    m /= (double)n;
    for (int64_t i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *std = sqrt(v / (double)n);
}

int grl_nn_predict(grl_nn_model *m, const int64_t *rows, int64_t n,
                   int64_t batch, float *logits, char *msg)
{
#define FREE_ALL ;
    if (batch <= 0) batch = n;
    for (int64_t s = 0; s < n; s += batch) {
        int64_t b = n - s < batch ? n - s : batch;
        GRL_TRY(m->forward(m, rows + s, b, false, 0, logits + s * m->nclasses, msg));
    }
    return 0;
#undef FREE_ALL
}

/* Loss and correct count of rows (no dropout). */
static int evaluate(grl_nn_model *m, const int64_t *rows, int64_t n,
                    const int64_t *y, float *logits, int64_t batch,
                    double *loss, double *accuracy, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_nn_predict(m, rows, n, batch, logits, msg));
    *loss = grl_nn_softmax_xent(NULL, logits, y, n, m->nclasses);
    *accuracy = n > 0 ? (double)grl_nn_correct(logits, y, n, m->nclasses) / n : NAN;
    return 0;
#undef FREE_ALL
}

/* The training step's batch: the option's size, or every training row. */
static int64_t train_batch(const grl_gnn_train_options *opt, int64_t ntrain)
{
    return opt->batch_size > 0 && opt->batch_size < ntrain ? opt->batch_size : ntrain;
}

int64_t grl_nn_eval_batch(const grl_gnn_train_options *opt, int64_t ntrain)
{
    const int64_t batch = train_batch(opt, ntrain);
    return batch > 4096 ? batch : 4096;
}

/* Whether validation loss vloss and accuracy vacc beat the best so far in
 * r (the first epoch always does). */
static bool better_epoch(grl_gnn_select_epoch by, double vloss, double vacc,
                         const grl_gnn_train_result *r)
{
    if (r->best_epoch == 0) return true;
    if (by == GRL_SELECT_EPOCH_LOSS)
        return vloss < r->val_loss || (vloss == r->val_loss && vacc > r->val_accuracy);
    return vacc > r->val_accuracy || (vacc == r->val_accuracy && vloss < r->val_loss);
}

static int check_options(const grl_gnn_train_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->epochs >= 1 && o->epochs <= 100000000,
                "epochs must be in 1..10^8, got %" PRId64, o->epochs);
    GRL_REQUIRE(o->patience >= 0, "patience must be >= 0, got %" PRId64, o->patience);
    GRL_REQUIRE(o->batch_size >= 0, "the batch size must be >= 0 (0: all "
                "training nodes), got %" PRId64, o->batch_size);
    GRL_REQUIRE(o->select_epoch == GRL_SELECT_EPOCH_ACCURACY ||
                    o->select_epoch == GRL_SELECT_EPOCH_LOSS,
                "unknown epoch selection %d", (int)o->select_epoch);
    return 0;
#undef FREE_ALL
}

/* One run's training steps: the rows, their batch order, the work arrays
 * and the optimiser (shared by grl_nn_train and grl_nn_train_fixed). */
typedef struct {
    grl_nn_model *m;
    const grl_node_labels *L;
    const int64_t *train;
    int64_t ntrain, batch;
    int64_t *order, *yb;    /* ntrain; `most` labels of a batch or evaluation */
    float *logits, *dlogits; /* `most` x k; batch x k                        */
    grl_nn_optimizer o;
} steps;

static void steps_release(steps *t)
{
    free(t->order);
    free(t->yb);
    free(t->logits);
    free(t->dlogits);
    grl_nn_optimizer_release(&t->o);
}

/* Set t up for ntrain training rows and up to `most` rows evaluated at once,
 * opt->epochs epochs (the cosine schedule's length). */
static int steps_init(steps *t, grl_nn_model *m, const grl_node_labels *L,
                      const int64_t *train, int64_t ntrain, int64_t most,
                      const grl_gnn_train_options *opt, char *msg)
{
#define FREE_ALL ;
    const int64_t k = m->nclasses;
    t->m = m;
    t->L = L;
    t->train = train;
    t->ntrain = ntrain;
    t->batch = train_batch(opt, ntrain);
    GRL_ALLOC(t->logits, float, grl_size_mul((size_t)most, (size_t)k));
    GRL_ALLOC(t->dlogits, float, grl_size_mul((size_t)t->batch, (size_t)k));
    GRL_ALLOC(t->yb, int64_t, most);
    GRL_ALLOC(t->order, int64_t, ntrain);
    memcpy(t->order, train, sizeof(int64_t) * (size_t)ntrain);
    GRL_TRY(grl_nn_optimizer_init(&t->o, &opt->optimizer, m->params->count, msg));
    t->o.total_steps = (ntrain + t->batch - 1) / t->batch * opt->epochs;
    return 0;
#undef FREE_ALL
}

const char *grl_nn_divergence_advice(bool first_step)
{
    return first_step ? "the inputs are too large (the untrained model's loss "
                        "already overflows, before any update): scale them down"
                      : "lower the learning rate";
}

/* One epoch of steps over the training rows (a fresh batch order per epoch
 * when batched); *loss gets the rows' mean loss, *correct their count. */
static int run_epoch(steps *t, const grl_gnn_train_options *opt, int64_t epoch,
                     double *loss, int64_t *correct, char *msg)
{
#define FREE_ALL ;
    grl_nn_model *m = t->m;
    const int64_t ntrain = t->ntrain, batch = t->batch, k = m->nclasses;
    double sum = 0;
    int64_t right = 0;
    if (batch < ntrain) {
        memcpy(t->order, t->train, sizeof(int64_t) * (size_t)ntrain);
        grl_rng rng;
        grl_rng_init(&rng, opt->seed ^ 0x6a09e667f3bcc909ull, (uint64_t)epoch);
        for (int64_t i = ntrain - 1; i > 0; i--) {
            int64_t j = (int64_t)grl_rng_below(&rng, (uint64_t)i + 1);
            int64_t tmp = t->order[i];
            t->order[i] = t->order[j];
            t->order[j] = tmp;
        }
    }
    for (int64_t s = 0; s < ntrain; s += batch) {
        int64_t b = ntrain - s < batch ? ntrain - s : batch;
        for (int64_t i = 0; i < b; i++) t->yb[i] = t->L->y[t->order[s + i]];
        GRL_TRY(m->forward(m, t->order + s, b, true, (uint64_t)epoch, t->logits, msg));
        double l = grl_nn_softmax_xent(t->dlogits, t->logits, t->yb, b, k);
        if (!isfinite(l))
            GRL_FAIL(GRL_INVALID_ARGUMENT, "the training loss is not finite "
                     "at epoch %" PRId64 ": %s", epoch,
                     grl_nn_divergence_advice(epoch == 1 && s == 0));
        sum += l * b;
        right += grl_nn_correct(t->logits, t->yb, b, k);
        memset(m->params->grad, 0, sizeof(float) * m->params->count);
        GRL_TRY(m->backward(m, t->dlogits, msg));
        grl_nn_optimizer_step(&t->o, m->params);
    }
    *loss = sum;
    *correct = right;
    return 0;
#undef FREE_ALL
}

/* The end of a run: r's test accuracy, of m's current parameters on the
 * split's test rows (NAN without any), through t's work arrays; its time
 * since t_start; then *res = *r (res may be NULL). */
static int finish_run(steps *t, const int64_t *test, int64_t ntest,
                      const grl_gnn_train_options *opt, double t_start,
                      grl_gnn_train_result *r, grl_gnn_train_result *res, char *msg)
{
#define FREE_ALL ;
    r->test_accuracy = NAN;
    if (ntest > 0) {
        for (int64_t i = 0; i < ntest; i++) t->yb[i] = t->L->y[test[i]];
        double tloss;
        GRL_TRY(evaluate(t->m, test, ntest, t->yb, t->logits,
                         grl_nn_eval_batch(opt, t->ntrain), &tloss, &r->test_accuracy,
                         msg));
    }
    r->seconds = omp_get_wtime() - t_start;
    if (res) *res = *r;
    return 0;
#undef FREE_ALL
}

/* Check the split and the training options; rows of the roles it needs. */
static int split_rows(const grl_node_splits *S, const grl_node_labels *L,
                      int64_t split, const grl_gnn_train_options *opt,
                      int64_t **train, int64_t *ntrain, int64_t **val,
                      int64_t *nval, int64_t **test, int64_t *ntest, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(check_options(opt, msg));
    GRL_REQUIRE(split >= 0 && split < S->nsplits, "split %" PRId64 " does not "
                "exist (there are %" PRId64 ")", split, S->nsplits);
    GRL_REQUIRE(S->nodes == L->nodes, "the splits cover %" PRId64 " nodes, the "
                "labels %" PRId64, S->nodes, L->nodes);
    GRL_TRY(grl_nn_split_rows(train, ntrain, S, L, split, GRL_SPLIT_TRAIN, msg));
    GRL_TRY(grl_nn_split_rows(val, nval, S, L, split, GRL_SPLIT_VAL, msg));
    GRL_TRY(grl_nn_split_rows(test, ntest, S, L, split, GRL_SPLIT_TEST, msg));
    return 0;
#undef FREE_ALL
}

static int64_t max3(int64_t a, int64_t b, int64_t c)
{
    int64_t m = a > b ? a : b;
    return m > c ? m : c;
}

int grl_nn_train(grl_nn_model *m, const grl_node_labels *L,
                 const grl_node_splits *S, int64_t split,
                 const grl_gnn_train_options *opt, grl_gnn_train_result *res,
                 char *msg)
{
    int64_t *train = NULL, *val = NULL, *test = NULL, *yv = NULL;
    float *best = NULL;
    steps t = {0};
#define FREE_ALL free(train); free(val); free(test); free(yv); free(best); \
    steps_release(&t)
    int64_t ntrain = 0, nval = 0, ntest = 0;
    GRL_TRY(split_rows(S, L, split, opt, &train, &ntrain, &val, &nval, &test,
                       &ntest, msg));
    if (ntrain == 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "split %" PRId64 " has no labelled "
                 "training node", split);
    if (nval == 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "split %" PRId64 " has no labelled "
                 "validation node (early stopping needs some)", split);
    GRL_TRY(steps_init(&t, m, L, train, ntrain, max3(ntrain, nval, ntest), opt, msg));
    const int64_t eval_batch = grl_nn_eval_batch(opt, ntrain);
    GRL_ALLOC(yv, int64_t, nval);
    GRL_ALLOC(best, float, m->params->count);
    for (int64_t i = 0; i < nval; i++) yv[i] = L->y[val[i]];
    memcpy(best, m->params->value, sizeof(float) * m->params->count);
    grl_gnn_train_result r = {0};
    r.val_accuracy = -1;
    r.val_loss = INFINITY;
    double t_start = omp_get_wtime();
    int64_t since = 0, epoch;
    for (epoch = 1; epoch <= opt->epochs; epoch++) {
        double t0 = omp_get_wtime(), loss;
        int64_t correct;
        GRL_TRY(run_epoch(&t, opt, epoch, &loss, &correct, msg));
        double vloss, vacc;
        GRL_TRY(evaluate(m, val, nval, yv, t.logits, eval_batch, &vloss, &vacc, msg));
        bool improved = better_epoch(opt->select_epoch, vloss, vacc, &r);
        if (improved) {
            r.val_accuracy = vacc;
            r.val_loss = vloss;
            r.best_epoch = epoch;
            r.train_accuracy = (double)correct / ntrain;
            memcpy(best, m->params->value, sizeof(float) * m->params->count);
            since = 0;
        } else {
            since++;
        }
        if (opt->progress) {
            grl_gnn_train_progress p = {epoch, opt->epochs, loss / ntrain,
                                        (double)correct / ntrain, vacc, vloss,
                                        omp_get_wtime() - t0, improved};
            opt->progress(&p, opt->progress_ctx);
        }
        if (opt->patience > 0 && since >= opt->patience) {
            epoch++;
            break;
        }
    }
    r.epochs_run = epoch - 1;
    memcpy(m->params->value, best, sizeof(float) * m->params->count);
    GRL_TRY(finish_run(&t, test, ntest, opt, t_start, &r, res, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The ascending union of the ascending, disjoint rows a (na) and b (nb). */
static int merge_rows(int64_t **out, const int64_t *a, int64_t na,
                      const int64_t *b, int64_t nb, char *msg)
{
#define FREE_ALL ;
    GRL_ALLOC(*out, int64_t, na + nb);
    int64_t i = 0, j = 0, q = 0;
    while (i < na || j < nb)
        (*out)[q++] = j == nb || (i < na && a[i] < b[j]) ? a[i++] : b[j++];
    return 0;
#undef FREE_ALL
}

int grl_nn_train_fixed(grl_nn_model *m, const grl_node_labels *L,
                       const grl_node_splits *S, int64_t split,
                       const grl_gnn_train_options *opt, grl_gnn_train_result *res,
                       char *msg)
{
    int64_t *train = NULL, *val = NULL, *test = NULL, *rows = NULL;
    steps t = {0};
#define FREE_ALL free(train); free(val); free(test); free(rows); steps_release(&t)
    int64_t ntrain = 0, nval = 0, ntest = 0;
    GRL_TRY(split_rows(S, L, split, opt, &train, &ntrain, &val, &nval, &test,
                       &ntest, msg));
    const int64_t n = ntrain + nval;
    if (n == 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "split %" PRId64 " has no labelled "
                 "training or validation node", split);
    GRL_TRY(merge_rows(&rows, train, ntrain, val, nval, msg));
    GRL_TRY(steps_init(&t, m, L, rows, n, n > ntest ? n : ntest, opt, msg));
    grl_gnn_train_result r = {0};
    double t_start = omp_get_wtime();
    for (int64_t epoch = 1; epoch <= opt->epochs; epoch++) {
        double t0 = omp_get_wtime(), loss;
        int64_t correct;
        GRL_TRY(run_epoch(&t, opt, epoch, &loss, &correct, msg));
        r.train_accuracy = (double)correct / n;
        if (opt->progress) {
            grl_gnn_train_progress p = {epoch, opt->epochs, loss / n,
                                        r.train_accuracy, NAN, NAN,
                                        omp_get_wtime() - t0, false};
            opt->progress(&p, opt->progress_ctx);
        }
    }
    r.epochs_run = r.best_epoch = opt->epochs;
    r.val_accuracy = r.val_loss = NAN;
    GRL_TRY(finish_run(&t, test, ntest, opt, t_start, &r, res, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
