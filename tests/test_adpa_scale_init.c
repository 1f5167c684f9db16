/* test_adpa_scale_init.c — grl_adpa_options.directed_scale_init on
 * Chameleon-filtered's all+undirected set (small models: the checks are of
 * the option's meaning and of bits, not of accuracy):
 * - at 0, one Adam step (no weight decay) leaves every parameter of the six
 *   directed branches and their rows of the output layer at their seeded
 *   initialisation (their gradient is exactly 0 while their scale is),
 *   while their scales leave 0 and every other parameter moves; at the
 *   default 1 the same step moves them (the check can fail);
 * - the default is 1, and 1 given explicitly is the default's bits;
 * - 0 gives the same bits with 1 and 2 threads, and other bits than 1;
 * - hostile values are refused with the option's name. */
#include "adpa_chameleon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED 5

static bool directed(grl_branch_kind k)
{
    return k != GRL_BRANCH_FEATURES && k != GRL_BRANCH_SYM;
}

static bool same(const grl_adpa *A, const grl_adpa *B, int param)
{
    const grl_nn_tensor *t = &A->params.t[param];
    return memcmp(grl_nn_value(&A->params, param), grl_nn_value(&B->params, param),
                  sizeof(float) * (size_t)(t->rows * t->cols)) == 0;
}

/* One full-batch Adam step without weight decay from directed scale `scale`:
 * returns whether the directed branches' parameters (and their rows of the
 * output layer) are still their initialisation; checks that everything
 * else moved. */
static bool directed_untouched_after_one_step(const data *d, double scale)
{
    char msg[GRL_MSG_LEN];
    grl_adpa_options o = small_adpa(GRL_ADPA_PATTERNS_ALL_UNDIRECTED, SEED);
    o.directed_scale_init = scale;
    o.train.epochs = 1;
    o.train.batch_size = 0; /* one step */
    o.decays = 0;
    o.train.optimizer.weight_decay = 0;
    grl_adpa *M = NULL, *init = NULL;
    assert_ok(grl_adpa_train(&M, NULL, d->P, d->L, d->S, 0, &o, msg));
    const grl_adpa_prop *P = d->P;
    assert_ok(grl_adpa_new(&init, P->nbranches, P->kind, P->hops, P->r, P->f, o.hidden,
                           d->L->nclasses, o.dropout, o.pattern_attention, o.train.seed,
                           msg));
    bool untouched = true;
    int ndirected = 0;
    const int64_t h = M->hidden, k = M->nclasses;
    const float *wo = grl_nn_value(&M->params, M->Wo);
    const float *wo0 = grl_nn_value(&init->params, init->Wo);
    for (int b = 0; b < M->nbranches; b++) {
        const grl_adpa_branch_params *q = &M->bp[b];
        const bool rows_same = memcmp(wo + b * h * k, wo0 + b * h * k,
                                      sizeof(float) * (size_t)(h * k)) == 0;
        const bool layer_same = same(M, init, q->W) && same(M, init, q->bias);
        const float s = grl_nn_value(&M->params, q->s)[0];
        if (directed(M->kind[b])) {
            ndirected++;
            untouched = untouched && rows_same && layer_same && same(M, init, q->v) &&
                        same(M, init, q->c);
            assert_true(s != (float)scale); /* the loss moved the scale */
        } else {
            assert_false(rows_same || layer_same); /* the undirected model trains */
        }
    }
    assert_int_equal(ndirected, 6);
    grl_adpa_free(&init);
    grl_adpa_free(&M);
    return untouched;
}

static void test_directed_scale_init(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_adpa_options o = small_adpa(GRL_ADPA_PATTERNS_ALL_UNDIRECTED, SEED);
    assert_true(o.directed_scale_init == 1);
    data d;
    load(&d, &o, 2);

    assert_true(directed_untouched_after_one_step(&d, 0));
    assert_false(directed_untouched_after_one_step(&d, 1));

    /* 1 given explicitly is the default; 0 the same bits on 1 and 2
     * threads, other bits than 1 */
    grl_adpa_evaluation E;
    const int64_t cells = d.L->nodes * d.L->nclasses;
    double *p[3];
    double val[3][2], test[3][2];
    const double scale[3] = {1, 0, 0};
    for (int run = 0; run < 3; run++) {
        grl_adpa_options oi = small_adpa(GRL_ADPA_PATTERNS_ALL_UNDIRECTED, SEED);
        if (run > 0) oi.directed_scale_init = scale[run];
        assert_ok(grl_threads_set(run == 2 ? 1 : 2, msg));
        assert_ok(grl_adpa_evaluate(&E, NULL, NULL, d.G, d.X, d.L, &d.first, &oi, msg));
        p[run] = malloc(sizeof(double) * cells);
        memcpy(p[run], E.proba, sizeof(double) * cells);
        memcpy(val[run], E.val, sizeof val[run]);
        memcpy(test[run], E.test, sizeof test[run]);
        grl_adpa_evaluation_release(&E);
    }
    assert_ok(grl_threads_set(2, msg));
    grl_adpa_options oi = small_adpa(GRL_ADPA_PATTERNS_ALL_UNDIRECTED, SEED);
    oi.directed_scale_init = 1;
    assert_ok(grl_adpa_evaluate(&E, NULL, NULL, d.G, d.X, d.L, &d.first, &oi, msg));
    assert_memory_equal(E.proba, p[0], sizeof(double) * cells);
    assert_memory_equal(E.val, val[0], sizeof val[0]);
    grl_adpa_evaluation_release(&E);
    assert_memory_equal(p[1], p[2], sizeof(double) * cells);
    assert_memory_equal(val[1], val[2], sizeof val[1]);
    assert_memory_equal(test[1], test[2], sizeof test[1]);
    assert_true(memcmp(p[0], p[1], sizeof(double) * cells) != 0);

    /* hostile values */
    const double bad[] = {-0.5, 1.5, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        oi.directed_scale_init = bad[i];
        grl_adpa *M = NULL;
        expect_error(grl_adpa_train(&M, NULL, d.P, d.L, d.S, 0, &oi, msg), msg,
                     "directed_scale_init");
        assert_null(M);
    }
    oi.directed_scale_init = 0;
    oi.pattern_attention = GRL_ADPA_PATTERN_NODE; /* no scales to start */
    expect_error(grl_adpa_evaluate(&E, NULL, NULL, d.G, d.X, d.L, &d.first, &oi, msg), msg,
                 "directed_scale_init");
    assert_null(E.val);
    for (int run = 0; run < 3; run++) free(p[run]);
    release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_directed_scale_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
