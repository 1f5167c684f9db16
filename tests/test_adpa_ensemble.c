/* test_adpa_ensemble.c — ADPA's ensembles per split (grl_adpa_options.
 * ensemble) on the first splits of Chameleon-filtered (small models, a few
 * epochs: the checks are of bits and of arithmetic, not of accuracy),
 * against independent runs of the public API: an ensemble of one is the
 * single model bit for bit (each split trained with every weight decay and
 * the best on validation kept, as documented); an ensemble's probabilities
 * are the mean of its members' trained one by one from the documented
 * seeds and predicted by grl_adpa_predict; the model handed back is the
 * first member of the best-validation split; the same bits with 1 and 2
 * threads; hostile member counts. */
#include "adpa_chameleon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SPLITS 3
#define SEED 7

/* The single model of split f from `seed`: every weight decay of o, the
 * best validation accuracy kept (ties: the lower validation loss). */
static grl_adpa *single(const data *d, const grl_adpa_options *o, uint64_t seed,
                        int64_t f, grl_gnn_train_result *res)
{
    char msg[GRL_MSG_LEN];
    grl_adpa *best = NULL;
    for (int c = 0; c < o->decays; c++) {
        grl_adpa_options oc = *o;
        oc.train.seed = seed + (uint64_t)f;
        oc.train.optimizer.weight_decay = o->decay[c];
        grl_adpa *M = NULL;
        grl_gnn_train_result r;
        assert_ok(grl_adpa_train(&M, &r, d->P, d->L, d->S, f, &oc, msg));
        if (best == NULL || r.val_accuracy > res->val_accuracy ||
            (r.val_accuracy == res->val_accuracy && r.val_loss < res->val_loss)) {
            grl_adpa_free(&best);
            best = M;
            *res = r;
        } else {
            grl_adpa_free(&M);
        }
    }
    return best;
}

/* Accuracy of the labelled rows of `role` in split f under p (n x k). */
static double accuracy(const double *p, const data *d, int64_t f, grl_split_role role)
{
    int64_t rows = 0, correct = 0;
    for (int64_t i = 0; i < d->n; i++) {
        if (d->S->role[f * d->n + i] != role || d->L->y[i] < 0) continue;
        int64_t best = 0;
        for (int64_t c = 1; c < d->k; c++)
            if (p[i * d->k + c] > p[i * d->k + best]) best = c;
        rows++;
        correct += best == d->L->y[i];
    }
    return (double)correct / (double)rows;
}

/* For every split: `members` models trained one by one from the documented
 * seeds, their grl_adpa_predict probabilities averaged in double; the
 * test rows' means in out (the last split testing a node), the
 * accuracies in val and test, member 0's results in first (may be NULL),
 * member 0's probabilities of the best-validation split in top. */
static void by_hand(const data *d, const grl_adpa_options *o, int64_t members,
                    double *out, double *val, double *test,
                    grl_gnn_train_result *first, float *top)
{
    char msg[GRL_MSG_LEN];
    const int64_t cells = d->n * d->k;
    float *p = malloc(sizeof(float) * cells), *p0 = malloc(sizeof(float) * cells);
    double *mean = malloc(sizeof(double) * cells), best_val = -1;
    for (int64_t f = 0; f < SPLITS; f++) {
        memset(mean, 0, sizeof(double) * cells);
        for (int64_t j = 0; j < members; j++) {
            grl_gnn_train_result r;
            grl_adpa *M = single(d, o, test_member_seed(o->train.seed, j), f, &r);
            if (j == 0 && first) first[f] = r;
            assert_ok(grl_adpa_predict(M, d->P, p, msg));
            for (int64_t i = 0; i < cells; i++) mean[i] += p[i];
            grl_adpa_free(&M);
            if (j == 0) memcpy(p0, p, sizeof(float) * cells);
        }
        for (int64_t i = 0; i < cells; i++) mean[i] /= (double)members;
        val[f] = accuracy(mean, d, f, GRL_SPLIT_VAL);
        test[f] = accuracy(mean, d, f, GRL_SPLIT_TEST);
        if (val[f] > best_val) {
            best_val = val[f];
            memcpy(top, p0, sizeof(float) * cells);
        }
        for (int64_t i = 0; i < d->n; i++)
            if (d->S->role[f * d->n + i] == GRL_SPLIT_TEST)
                memcpy(out + i * d->k, mean + i * d->k, sizeof(double) * d->k);
    }
    free(p);
    free(p0);
    free(mean);
}

/* max |a - b| over count values. */
static double max_diff(const double *a, const double *b, int64_t count)
{
    double m = 0;
    for (int64_t i = 0; i < count; i++) m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

/* The model *M handed back predicts `want` to the bit. */
static void assert_predicts(grl_adpa *M, const data *d, const float *want)
{
    char msg[GRL_MSG_LEN];
    float *p = malloc(sizeof(float) * d->n * d->k);
    assert_ok(grl_adpa_predict(M, d->P, p, msg));
    assert_memory_equal(p, want, sizeof(float) * d->n * d->k);
    free(p);
}

static void test_ensembles(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_adpa_options o = small_adpa(GRL_ADPA_PATTERNS_DIR, SEED);
    data d;
    load(&d, &o, SPLITS);
    const int64_t cells = d.n * d.k;
    double *want = calloc((size_t)cells, sizeof(double));
    float *top = malloc(sizeof(float) * cells);
    double val[SPLITS], test[SPLITS];
    grl_gnn_train_result one[SPLITS];
    grl_adpa_evaluation E;
    grl_adpa *best = NULL;

    /* one member (the default): the single model's accuracies bit for bit
     * (the ensemble's read from double probabilities, the model's from its
     * logits), its mass, its probabilities (float softmax here), and the
     * best split's model */
    assert_int_equal(o.ensemble, 1);
    assert_int_equal(o.decays, 2);
    assert_ok(grl_adpa_evaluate(&E, &best, NULL, d.G, d.X, d.L, &d.first, &o, msg));
    by_hand(&d, &o, 1, want, val, test, one, top);
    assert_int_equal(E.rows, d.n);
    assert_int_equal(E.nclasses, d.k);
    double val_sum = 0;
    for (int64_t f = 0; f < SPLITS; f++) {
        assert_true(E.test[f] == one[f].test_accuracy);
        assert_true(E.test[f] == test[f]);
        assert_true(E.val[f] == one[f].val_accuracy); /* --per-split's figures */
        val_sum += one[f].val_accuracy;
    }
    assert_true(E.val_mean == val_sum / SPLITS);
    assert_true(max_diff(E.proba, want, cells) < 1e-5);
    assert_predicts(best, &d, top);
    grl_adpa_free(&best);
    double *single_proba = malloc(sizeof(double) * cells);
    memcpy(single_proba, E.proba, sizeof(double) * cells);
    grl_adpa_evaluation_release(&E);

    /* three members: the mean of the members' probabilities, the
     * accuracies read from it; the model handed back is member 0 of the
     * best-validation split */
    o.ensemble = 3;
    assert_ok(grl_adpa_evaluate(&E, &best, NULL, d.G, d.X, d.L, &d.first, &o, msg));
    by_hand(&d, &o, 3, want, val, test, NULL, top);
    assert_true(max_diff(E.proba, want, cells) < 1e-5);
    assert_true(max_diff(E.proba, single_proba, cells) > 1e-3); /* not one model thrice */
    val_sum = 0;
    for (int64_t f = 0; f < SPLITS; f++) {
        assert_true(E.test[f] == test[f]);
        assert_true(E.val[f] == val[f]);
        val_sum += val[f];
    }
    assert_double_near(E.val_mean, val_sum / SPLITS, 1e-12);
    double mass = 0;
    for (int b = 0; b < E.branches; b++) mass += E.mass[b];
    assert_double_near(mass, 1.0, 1e-9);
    assert_predicts(best, &d, top);
    grl_adpa_free(&best);
    grl_adpa_evaluation_release(&E);

    /* the same bits with 1 and 2 threads (dropout on: members' masks too) */
    o.ensemble = 2;
    o.pattern_attention = GRL_ADPA_PATTERN_NODE;
    double *p[2] = {malloc(sizeof(double) * cells), malloc(sizeof(double) * cells)};
    double t[2][SPLITS], m[2][16];
    for (int threads = 1; threads <= 2; threads++) {
        assert_ok(grl_threads_set(threads, msg));
        assert_ok(grl_adpa_evaluate(&E, NULL, NULL, d.G, d.X, d.L, &d.first, &o, msg));
        memcpy(p[threads - 1], E.proba, sizeof(double) * cells);
        memcpy(t[threads - 1], E.test, sizeof t[0]);
        memcpy(m[threads - 1], E.mass, sizeof m[0]);
        grl_adpa_evaluation_release(&E);
    }
    assert_memory_equal(p[0], p[1], sizeof(double) * cells);
    assert_memory_equal(t[0], t[1], sizeof t[0]);
    assert_memory_equal(m[0], m[1], sizeof m[0]);

    /* hostile member counts */
    o.ensemble = 0;
    expect_error(grl_adpa_evaluate(&E, NULL, NULL, d.G, d.X, d.L, &d.first, &o, msg), msg,
                 "ensemble");
    assert_null(E.proba);
    o.ensemble = 257;
    expect_error(grl_adpa_evaluate(&E, NULL, NULL, d.G, d.X, d.L, &d.first, &o, msg), msg,
                 "ensemble");
    free(p[0]);
    free(p[1]);
    free(single_proba);
    free(top);
    free(want);
    release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ensembles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
