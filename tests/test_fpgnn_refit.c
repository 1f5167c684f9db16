/* test_fpgnn_refit.c — the refit of the fixed-point GNNs' evaluations
 * (grl_fpgnn_options.refit: the epoch count chosen on validation, then a
 * retraining on training + validation for that many epochs; Errica et al.,
 * ICLR 2020) on MUTAG with small CGS models (the checks are of bits, not of
 * accuracy), against independent runs:
 * - the fixed-epoch mode with the validation part empty takes the same
 *   steps as the ordinary loop, so B epochs of it are, bit for bit, the
 *   ordinary loop's restored best parameters when that loop chose epoch B;
 * - an evaluation's refit is the fixed-epoch run on a split rewritten by
 *   hand (validation graphs made training graphs) for the epoch count an
 *   ordinary run chose, its validation accuracy that run's, its test
 *   accuracy and an ensemble's probabilities those of the refits predicted
 *   one by one;
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

/* Small CGS models whose validation figures move from epoch to epoch
 * (dropout on: its masks are keyed by the epoch, so the count matters). */
static grl_fpgnn_options small_cgs(void)
{
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.kind = GRL_FPGNN_CGS;
    o.hidden = 4;
    o.heads = 2;
    o.train.epochs = 30;
    o.train.patience = 0;
    o.train.batch_size = 32;
    o.train.optimizer.lr = 0.05;
    o.train.seed = SEED;
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

/* Accuracy on the test graphs of S (split 0) of probabilities p (ngraphs x
 * k; the largest, first on ties). */
static double test_accuracy(const float *p, const grl_graph_set *D,
                            const grl_node_splits *S)
{
    int64_t rows = 0, correct = 0, k = D->nclasses;
    for (int64_t g = 0; g < D->ngraphs; g++) {
        if (S->role[g] != GRL_SPLIT_TEST) continue;
        int64_t best = 0;
        for (int64_t c = 1; c < k; c++)
            if (p[g * k + c] > p[g * k + best]) best = c;
        rows++;
        correct += best == D->graph_class[g];
    }
    return (double)correct / (double)rows;
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
    grl_fpgnn_options o = small_cgs();
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
    grl_fpgnn_options o = small_cgs();
    o.refit = true;
    o.ensemble = 2;
    grl_fpgnn_evaluation E;
    grl_fpgnn *best = NULL;
    assert_ok(grl_fpgnn_evaluate_graphs(&E, &best, D, &S, &o, msg));
    /* by hand, member by member from the documented seeds (member 1: the
     * first grl_rng_u64 of stream 1 keyed by the seed; split 0 adds 0) */
    float *p = malloc(sizeof(float) * n * k);
    double *mean = calloc((size_t)(n * k), sizeof(double));
    double val = 0;
    for (int64_t j = 0; j < 2; j++) {
        grl_fpgnn_options oj = o;
        if (j == 1) {
            grl_rng rng;
            grl_rng_init(&rng, SEED, 1);
            oj.train.seed = grl_rng_u64(&rng);
        }
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
    for (int64_t i = 0; i < n * k; i++) p[i] = (float)E.proba[i];
    assert_true(E.test[0] == test_accuracy(p, D, &S));
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
    grl_fpgnn_options o = small_cgs();
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
        cmocka_unit_test(test_fixed_epochs_are_the_chosen_epoch),
        cmocka_unit_test(test_evaluation_refits_on_training_and_validation),
        cmocka_unit_test(test_refit_same_bits_1_and_2_threads),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    grl_finalize(NULL);
    return failed;
}
