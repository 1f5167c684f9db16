/* test_fpgnn_ensemble.c — the fixed-point GNNs' ensembles and epoch choice
 * on MUTAG (small CGS models, a few epochs: the checks are of bits and of
 * arithmetic, not of accuracy), against independent runs of the public
 * API: an ensemble of one is the single model of grl_fpgnn_train_graphs bit
 * for bit; an ensemble's probabilities are the mean of its members' trained
 * one by one from the documented seeds and predicted by
 * grl_fpgnn_predict_graphs; the same bits with 1 and 2 threads; the epoch
 * chosen by validation loss or accuracy is the one the per-epoch records
 * name; hostile options. And the refit (grl_fpgnn_options.refit: the
 * epoch count chosen on validation, then a retraining on training +
 * validation for that many epochs; Errica et al., ICLR 2020):
 * - the fixed-epoch mode with the validation part empty takes the same
 *   steps as the ordinary loop, so B epochs of it are, bit for bit, the
 *   ordinary loop's restored best parameters when that loop chose epoch B;
 * - an evaluation's refit is the fixed-epoch run on a split rewritten by
 *   hand (validation graphs made training graphs) for the epoch count an
 *   ordinary run chose, its validation accuracy that run's, an ensemble's
 *   test probabilities the mean of the refits predicted one by one;
 * - the same bits with 1 and 2 threads (screening folds, an ensemble,
 *   dropout); hostile calls. */
#include "testutil.h"
#include "../gnn/fpgnn_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FOLDS 3
#define SEED 5

static void expect_error(int rc, const char *msg, const char *needle)
{
    if (rc >= 0) fail_msg("expected an error mentioning '%s', got %d", needle, rc);
    if (strstr(msg, needle) == NULL) fail_msg("message '%s' lacks '%s'", msg, needle);
}

static grl_fpgnn_options small_cgs(void)
{
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.kind = GRL_FPGNN_CGS;
    o.hidden = 4;
    o.heads = 2;
    o.train.epochs = 3;
    o.train.batch_size = 32;
    o.train.seed = SEED;
    return o;
}

/* Accuracy of the rows of `role` in fold f under probabilities p (rows x
 * k, double; the largest, first on ties). */
static double accuracy(const double *p, const grl_graph_set *D,
                       const grl_node_splits *S, int64_t f, grl_split_role role)
{
    int64_t rows = 0, correct = 0, k = D->nclasses;
    for (int64_t g = 0; g < D->ngraphs; g++) {
        if (S->role[f * S->nodes + g] != role) continue;
        int64_t best = 0;
        for (int64_t c = 1; c < k; c++)
            if (p[g * k + c] > p[g * k + best]) best = c;
        rows++;
        correct += best == D->graph_class[g];
    }
    return (double)correct / (double)rows;
}

/* For every fold: `members` models trained one by one from the documented
 * seeds, their predict_graphs probabilities averaged (in double) into
 * mean (ngraphs x k; fold f's validation and test rows kept per fold as
 * val[f] and test[f] accuracies; the test rows' means in out). */
static void by_hand(const grl_graph_set *D, const grl_node_splits *S,
                    const grl_fpgnn_options *o, int64_t members, double *out,
                    double *val, double *test, grl_gnn_train_result *first)
{
    char msg[GRL_MSG_LEN];
    const int64_t n = D->ngraphs, k = D->nclasses;
    float *p = malloc(sizeof(float) * n * k);
    double *mean = malloc(sizeof(double) * n * k);
    for (int64_t f = 0; f < S->nsplits; f++) {
        memset(mean, 0, sizeof(double) * n * k);
        for (int64_t j = 0; j < members; j++) {
            grl_fpgnn_options oj = *o;
            oj.train.seed = test_member_seed(o->train.seed, j) + (uint64_t)f;
            grl_fpgnn *M = NULL;
            grl_gnn_train_result r;
            assert_ok(grl_fpgnn_train_graphs(&M, &r, D, S, f, &oj, msg));
            if (j == 0 && first) first[f] = r;
            assert_ok(grl_fpgnn_predict_graphs(M, D, p, msg));
            for (int64_t i = 0; i < n * k; i++) mean[i] += p[i];
            grl_fpgnn_free(&M);
        }
        for (int64_t i = 0; i < n * k; i++) mean[i] /= (double)members;
        val[f] = accuracy(mean, D, S, f, GRL_SPLIT_VAL);
        test[f] = accuracy(mean, D, S, f, GRL_SPLIT_TEST);
        for (int64_t g = 0; g < n; g++)
            if (S->role[f * n + g] == GRL_SPLIT_TEST)
                memcpy(out + g * k, mean + g * k, sizeof(double) * k);
    }
    free(p);
    free(mean);
}

/* MUTAG and its FOLDS cross-validation folds seeded by SEED (*F). */
static grl_graph_set *mutag_folds(grl_graph_folds **F)
{
    char msg[GRL_MSG_LEN];
    grl_graph_set *D = NULL;
    assert_ok(grl_graph_set_load(&D, data_path("tu/MUTAG"), "MUTAG", msg));
    grl_graph_folds_options fo = {FOLDS, SEED};
    assert_ok(grl_graph_folds_generate(F, D, &fo, msg));
    return D;
}

/* max |a - b| over count values. */
static double max_diff(const double *a, const double *b, int64_t count)
{
    double m = 0;
    for (int64_t i = 0; i < count; i++) m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

static void test_ensembles(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_folds *F = NULL;
    grl_graph_set *D = mutag_folds(&F);
    const int64_t n = D->ngraphs, k = D->nclasses;
    const grl_node_splits S = {F->ngraphs, F->nfolds, F->role};
    grl_fpgnn_options o = small_cgs();
    double *want = calloc((size_t)(n * k), sizeof(double));
    double val[FOLDS], test[FOLDS];
    grl_gnn_train_result single[FOLDS];

    /* one member: the single model's accuracies bit for bit (the
     * ensemble's read from double probabilities, the model's from its
     * logits); its probabilities those of predict_graphs (another batch:
     * the same to the solver's tolerance) */
    grl_fpgnn_evaluation E;
    assert_int_equal(o.ensemble, 1);
    assert_ok(grl_fpgnn_cross_validate_graphs(&E, NULL, D, FOLDS, &o, msg));
    by_hand(D, &S, &o, 1, want, val, test, single);
    assert_int_equal(E.rows, n);
    assert_int_equal(E.nclasses, k);
    double val_sum = 0;
    for (int64_t f = 0; f < FOLDS; f++) {
        assert_true(E.test[f] == single[f].test_accuracy);
        assert_true(E.test[f] == test[f]);
        val_sum += single[f].val_accuracy;
    }
    assert_true(E.val_mean == val_sum / FOLDS);
    assert_true(max_diff(E.proba, want, n * k) < 1e-5);
    double *one = malloc(sizeof(double) * n * k);
    memcpy(one, E.proba, sizeof(double) * n * k);
    for (int64_t g = 0; g < n; g++) /* every graph tested once */
        assert_double_near(E.proba[g * k] + E.proba[g * k + 1], 1.0, 1e-12);
    grl_fpgnn_evaluation_release(&E);

    /* three members: the mean of the members' probabilities, the
     * accuracies read from it */
    o.ensemble = 3;
    assert_ok(grl_fpgnn_cross_validate_graphs(&E, NULL, D, FOLDS, &o, msg));
    by_hand(D, &S, &o, 3, want, val, test, NULL);
    assert_true(max_diff(E.proba, want, n * k) < 1e-5);
    assert_true(max_diff(E.proba, one, n * k) > 1e-3); /* not one model thrice */
    val_sum = 0;
    for (int64_t f = 0; f < FOLDS; f++) {
        assert_true(E.test[f] == test[f]);
        val_sum += val[f];
    }
    assert_double_near(E.val_mean, val_sum / FOLDS, 1e-12);
    grl_fpgnn_evaluation_release(&E);

    /* the same bits with 1 and 2 threads (dropout on: members' masks too) */
    o.ensemble = 2;
    o.dropout = 0.5;
    double *p[2] = {malloc(sizeof(double) * n * k), malloc(sizeof(double) * n * k)};
    double t[2][FOLDS];
    for (int threads = 1; threads <= 2; threads++) {
        assert_ok(grl_threads_set(threads, msg));
        assert_ok(grl_fpgnn_cross_validate_graphs(&E, NULL, D, FOLDS, &o, msg));
        memcpy(p[threads - 1], E.proba, sizeof(double) * n * k);
        memcpy(t[threads - 1], E.test, sizeof t[0]);
        grl_fpgnn_evaluation_release(&E);
    }
    assert_memory_equal(p[0], p[1], sizeof(double) * n * k);
    assert_memory_equal(t[0], t[1], sizeof t[0]);

    /* hostile: members out of range; an epoch selection that does not exist */
    o.ensemble = 0;
    expect_error(grl_fpgnn_cross_validate_graphs(&E, NULL, D, FOLDS, &o, msg), msg,
                 "ensemble");
    assert_null(E.proba);
    o.ensemble = 257;
    expect_error(grl_fpgnn_cross_validate_graphs(&E, NULL, D, FOLDS, &o, msg), msg,
                 "ensemble");
    o.ensemble = 1;
    o.train.select_epoch = (grl_gnn_select_epoch)7;
    expect_error(grl_fpgnn_cross_validate_graphs(&E, NULL, D, FOLDS, &o, msg), msg,
                 "epoch selection");
    grl_gnn_select_epoch sel;
    expect_error(grl_gnn_select_epoch_parse("f1", &sel, msg), msg, "loss");
    free(p[0]);
    free(p[1]);
    free(one);
    free(want);
    grl_graph_folds_free(&F);
    grl_graph_set_free(D);
}

/* The per-epoch validation figures, as the progress callback reports them. */
typedef struct {
    int64_t epochs;
    double loss[64], acc[64];
} records;

static void record(const grl_gnn_train_progress *p, void *ctx)
{
    records *r = ctx;
    r->loss[p->epoch - 1] = p->val_loss;
    r->acc[p->epoch - 1] = p->val_accuracy;
    r->epochs = p->epoch;
}

/* The epoch each rule must choose from the records (1-based), and the
 * epochs run under patience. */
static int64_t chosen(const records *r, grl_gnn_select_epoch by, int64_t patience,
                      int64_t *run)
{
    int64_t best = 1;
    *run = r->epochs;
    for (int64_t e = 2; e <= r->epochs; e++) {
        double l = r->loss[e - 1], a = r->acc[e - 1];
        double bl = r->loss[best - 1], ba = r->acc[best - 1];
        bool better = by == GRL_SELECT_EPOCH_LOSS ? l < bl || (l == bl && a > ba)
                                                  : a > ba || (a == ba && l < bl);
        if (better) best = e;
        if (patience > 0 && e - best >= patience) {
            *run = e;
            break;
        }
    }
    return best;
}

static void test_select_epoch(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_folds *F = NULL;
    grl_graph_set *D = mutag_folds(&F);
    const grl_node_splits S = {F->ngraphs, F->nfolds, F->role};
    grl_fpgnn_options o = small_cgs();
    o.train.epochs = 40;
    o.train.patience = 6;
    o.train.optimizer.lr = 0.05; /* figures that move from epoch to epoch */
    int64_t picked[2];
    for (int by = 0; by < 2; by++) {
        records rec = {0};
        o.train.select_epoch = (grl_gnn_select_epoch)by;
        o.train.progress = record;
        o.train.progress_ctx = &rec;
        grl_fpgnn *M = NULL;
        grl_gnn_train_result r;
        assert_ok(grl_fpgnn_train_graphs(&M, &r, D, &S, 0, &o, msg));
        int64_t run;
        picked[by] = chosen(&rec, o.train.select_epoch, o.train.patience, &run);
        assert_int_equal(r.best_epoch, picked[by]);
        assert_int_equal(r.epochs_run, run);
        assert_true(r.val_loss == rec.loss[r.best_epoch - 1]);
        assert_true(r.val_accuracy == rec.acc[r.best_epoch - 1]);
        grl_fpgnn_free(&M);
    }
    /* the two rules disagree on this run (else the loss option were moot) */
    assert_true(picked[0] != picked[1]);
    grl_graph_folds_free(&F);
    grl_graph_set_free(D);
}

/* small_cgs for the refit: validation figures that move from epoch to
 * epoch over a run without early stopping. */
static grl_fpgnn_options refit_cgs(void)
{
    grl_fpgnn_options o = small_cgs();
    o.train.epochs = 30;
    o.train.patience = 0;
    o.train.optimizer.lr = 0.05;
    return o;
}

/* Split 0 of MUTAG's FOLDS folds seeded by SEED, as a one-split set of
 * roles in *roles (ngraphs bytes), each role `from` rewritten to `to`. */
static grl_node_splits fold0(const grl_graph_set *D, uint8_t *roles,
                             grl_split_role from, grl_split_role to)
{
    char msg[GRL_MSG_LEN];
    grl_graph_folds *F = NULL;
    grl_graph_folds_options fo = {FOLDS, SEED};
    assert_ok(grl_graph_folds_generate(&F, D, &fo, msg));
    for (int64_t g = 0; g < D->ngraphs; g++)
        roles[g] = F->role[g] == from ? (uint8_t)to : F->role[g];
    grl_graph_folds_free(&F);
    const grl_node_splits S = {D->ngraphs, 1, roles};
    return S;
}

/* Whether two models have the same parameters, bit for bit. */
static bool same_params(const grl_fpgnn *a, const grl_fpgnn *b)
{
    return a->params.count == b->params.count &&
           memcmp(a->params.value, b->params.value, sizeof(float) * a->params.count) == 0;
}

static void test_fixed_epochs_are_the_chosen_epoch(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *D = NULL;
    assert_ok(grl_graph_set_load(&D, data_path("tu/MUTAG"), "MUTAG", msg));
    uint8_t *roles = malloc((size_t)D->ngraphs), *none = malloc((size_t)D->ngraphs);
    const grl_node_splits S = fold0(D, roles, GRL_SPLIT_VAL, GRL_SPLIT_VAL);
    const grl_node_splits S0 = fold0(D, none, GRL_SPLIT_VAL, GRL_SPLIT_NONE);
    grl_fpgnn_options o = refit_cgs();
    o.dropout = 0.5;
    grl_fpgnn *A = NULL, *R = NULL;
    grl_gnn_train_result r;
    assert_ok(grl_fpgnn_train_graphs(&A, &r, D, &S, 0, &o, msg));
    /* a chosen epoch inside the run: neither the first nor the last */
    assert_true(r.best_epoch > 1 && r.best_epoch < o.train.epochs);
    assert_ok(grl_fpgnn_refit_graphs(&R, D, &S0, 0, &o, r.best_epoch, msg));
    assert_true(same_params(A, R));
    grl_fpgnn_free(&R);
    /* one epoch more is another model (the count is honoured) */
    assert_ok(grl_fpgnn_refit_graphs(&R, D, &S0, 0, &o, r.best_epoch + 1, msg));
    assert_false(same_params(A, R));
    grl_fpgnn_free(&R);
    /* hostile: no epoch; no training or validation graph */
    expect_error(grl_fpgnn_refit_graphs(&R, D, &S0, 0, &o, 0, msg), msg, "epoch");
    assert_null(R);
    memset(none, GRL_SPLIT_TEST, (size_t)D->ngraphs);
    expect_error(grl_fpgnn_refit_graphs(&R, D, &S0, 0, &o, 3, msg), msg,
                 "no labelled training or validation");
    assert_null(R);
    grl_fpgnn_free(&A);
    free(roles);
    free(none);
    grl_graph_set_free(D);
}

static void test_evaluation_refits_on_training_and_validation(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *D = NULL;
    assert_ok(grl_graph_set_load(&D, data_path("tu/MUTAG"), "MUTAG", msg));
    const int64_t n = D->ngraphs, k = D->nclasses;
    uint8_t *roles = malloc((size_t)n), *merged = malloc((size_t)n);
    const grl_node_splits S = fold0(D, roles, GRL_SPLIT_VAL, GRL_SPLIT_VAL);
    const grl_node_splits S2 = fold0(D, merged, GRL_SPLIT_VAL, GRL_SPLIT_TRAIN);
    grl_fpgnn_options o = refit_cgs();
    o.refit = true;
    o.ensemble = 2;
    grl_fpgnn_evaluation E;
    grl_fpgnn *best = NULL;
    assert_ok(grl_fpgnn_evaluate_graphs(&E, &best, D, &S, &o, msg));
    /* by hand, member by member from the documented seeds (split 0 adds 0) */
    float *p = malloc(sizeof(float) * n * k);
    double *mean = calloc((size_t)(n * k), sizeof(double));
    double val = 0;
    for (int64_t j = 0; j < 2; j++) {
        grl_fpgnn_options oj = o;
        oj.train.seed = test_member_seed(SEED, j);
        grl_fpgnn *A = NULL, *R = NULL;
        grl_gnn_train_result r;
        assert_ok(grl_fpgnn_train_graphs(&A, &r, D, &S, 0, &oj, msg));
        assert_ok(grl_fpgnn_predict_graphs(A, D, p, msg));
        if (j == 0) val = r.val_accuracy;
        assert_ok(grl_fpgnn_refit_graphs(&R, D, &S2, 0, &oj, r.best_epoch, msg));
        if (j == 0) {
            assert_true(same_params(best, R));   /* the refit, not the chosen epoch's */
            assert_false(same_params(best, A));
        }
        assert_ok(grl_fpgnn_predict_graphs(R, D, p, msg));
        for (int64_t i = 0; i < n * k; i++) mean[i] += p[i] / 2.0;
        grl_fpgnn_free(&A);
        grl_fpgnn_free(&R);
    }
    /* the test graphs' probabilities the mean of the two refits' (another
     * batch: the same to the solver's tolerance), the rest untested */
    for (int64_t g = 0; g < n; g++)
        for (int64_t c = 0; c < k; c++) {
            double want = roles[g] == GRL_SPLIT_TEST ? mean[g * k + c] : 0;
            assert_true(fabs(E.proba[g * k + c] - want) < 1e-5);
        }
    assert_true(E.test[0] == accuracy(mean, D, &S, 0, GRL_SPLIT_TEST));
    grl_fpgnn_evaluation_release(&E);
    grl_fpgnn_free(&best);
    /* the validation accuracy reported is the chosen epoch's, before the
     * refit: with one member, the ordinary run's */
    o.ensemble = 1;
    assert_ok(grl_fpgnn_evaluate_graphs(&E, NULL, D, &S, &o, msg));
    assert_true(E.val_mean == val);
    grl_fpgnn_evaluation_release(&E);
    /* hostile: the refit's epoch count needs a validation part */
    expect_error(grl_fpgnn_evaluate_graphs(&E, NULL, D, &S2, &o, msg), msg,
                 "validation");
    assert_null(E.proba);
    free(p);
    free(mean);
    free(roles);
    free(merged);
    grl_graph_set_free(D);
}

/* Screening folds, an ensemble with dropout, the refit: the same bits with
 * 1 and 2 threads. */
static void test_refit_same_bits_1_and_2_threads(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph_set *D = NULL;
    assert_ok(grl_graph_set_load(&D, data_path("tu/MUTAG"), "MUTAG", msg));
    const int64_t cells = D->ngraphs * D->nclasses;
    grl_fpgnn_options o = refit_cgs();
    o.train.epochs = 8;
    o.refit = true;
    o.screen = true;
    o.ensemble = 2;
    o.dropout = 0.5;
    double *p[2] = {malloc(sizeof(double) * cells), malloc(sizeof(double) * cells)};
    double t[2][4], v[2];
    for (int threads = 1; threads <= 2; threads++) {
        grl_fpgnn_evaluation E;
        assert_ok(grl_threads_set(threads, msg));
        assert_ok(grl_fpgnn_cross_validate_graphs(&E, NULL, D, 4, &o, msg));
        memcpy(p[threads - 1], E.proba, sizeof(double) * cells);
        memcpy(t[threads - 1], E.test, sizeof t[0]);
        v[threads - 1] = E.val_mean;
        grl_fpgnn_evaluation_release(&E);
    }
    assert_memory_equal(p[0], p[1], sizeof(double) * cells);
    assert_memory_equal(t[0], t[1], sizeof t[0]);
    assert_true(v[0] == v[1]);
    free(p[0]);
    free(p[1]);
    grl_graph_set_free(D);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ensembles),
        cmocka_unit_test(test_select_epoch),
        cmocka_unit_test(test_fixed_epochs_are_the_chosen_epoch),
        cmocka_unit_test(test_evaluation_refits_on_training_and_validation),
        cmocka_unit_test(test_refit_same_bits_1_and_2_threads),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    grl_finalize(NULL);
    return failed;
}
