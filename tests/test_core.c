/* test_core.c — status names, init, the Philox RNG, the dense type. */
#include "testutil.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Known-answer vectors of Philox4x32-10 from the Random123 distribution
 * (kat_vectors): counter words, key words, expected output. */
static void test_philox_known_answers(void **state)
{
    static const struct {
        uint32_t ctr[4], key[2], out[4];
    } kat[] = {
        {{0, 0, 0, 0}, {0, 0},
         {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
        {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
         {0xffffffff, 0xffffffff},
         {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
        {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
         {0xa4093822, 0x299f31d0},
         {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
    };
    for (size_t t = 0; t < sizeof kat / sizeof kat[0]; t++) {
        uint64_t counter = kat[t].ctr[0] | (uint64_t)kat[t].ctr[1] << 32;
        uint64_t stream = kat[t].ctr[2] | (uint64_t)kat[t].ctr[3] << 32;
        uint64_t seed = kat[t].key[0] | (uint64_t)kat[t].key[1] << 32;
        uint32_t out[4];
        grl_rng_philox(seed, stream, counter, out);
        for (int i = 0; i < 4; i++) assert_int_equal(out[i], kat[t].out[i]);
    }
}

/* Fill draws[s * per + j] with stream s's j-th double using nthreads. */
static void draw_streams(double *draws, int streams, int per, int nthreads)
{
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 1)
    for (int s = 0; s < streams; s++) {
        grl_rng rng;
        grl_rng_init(&rng, 42, (uint64_t)s);
        for (int j = 0; j < per; j++) draws[s * per + j] = grl_rng_uniform(&rng);
    }
}

static void test_rng_same_with_1_and_2_threads(void **state)
{
    enum { STREAMS = 257, PER = 101 };
    double *a = malloc(sizeof(double) * STREAMS * PER);
    double *b = malloc(sizeof(double) * STREAMS * PER);
    draw_streams(a, STREAMS, PER, 1);
    draw_streams(b, STREAMS, PER, 2);
    assert_memory_equal(a, b, sizeof(double) * STREAMS * PER);
    /* distinct streams differ */
    assert_true(a[0] != a[PER]);
    free(a);
    free(b);
}

static void test_rng_uniform_moments(void **state)
{
    grl_rng rng;
    grl_rng_init(&rng, 7, 3);
    const int N = 200000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; i++) {
        double u = grl_rng_uniform(&rng);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sum2 += u * u;
    }
    /* mean 1/2, variance 1/12; 5 standard errors */
    assert_double_near(sum / N, 0.5, 5 * sqrt(1.0 / 12 / N));
    assert_double_near(sum2 / N - (sum / N) * (sum / N), 1.0 / 12, 0.002);
}

static void test_rng_below_is_uniform(void **state)
{
    grl_rng rng;
    grl_rng_init(&rng, 1, 99);
    enum { K = 7, N = 70000 };
    int counts[K] = {0};
    for (int i = 0; i < N; i++) {
        uint64_t x = grl_rng_below(&rng, K);
        assert_true(x < K);
        counts[x]++;
    }
    double chi2 = 0, expect = (double)N / K;
    for (int k = 0; k < K; k++)
        chi2 += (counts[k] - expect) * (counts[k] - expect) / expect;
    assert_true(chi2 < 22.46); /* chi-square, 6 dof, p = 0.001 */
    assert_int_equal(grl_rng_below(&rng, 1), 0);
}

static void test_dense_and_status(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_dense *D = NULL;
    assert_ok(grl_dense_new(&D, 3, 4, msg));
    assert_int_equal(D->rows, 3);
    assert_int_equal(D->cols, 4);
    for (int i = 0; i < 12; i++) assert_true(D->data[i] == 0.0f);
    grl_dense_free(&D);
    assert_null(D);
    grl_dense_free(&D); /* NULL-safe */
    assert_int_equal(grl_dense_new(&D, -1, 2, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "negative"));
    assert_string_equal(grl_status_name(GRL_PARSE_ERROR), "GRL_PARSE_ERROR");
    assert_string_equal(grl_status_name(GrB_OUT_OF_MEMORY), "GrB_OUT_OF_MEMORY");
}

/* Write a version-1.0 .npy with the given shape text and raw data bytes. */
static const char *npy_file(const char *shape, const void *data, size_t len)
{
    char header[128];
    int h = snprintf(header, sizeof header, "{'descr': '<f4', "
                     "'fortran_order': False, 'shape': %s, }", shape);
    while (h < 127) header[h++] = ' ';
    header[127] = '\n';
    const char *path = temp_file(".npy", "");
    FILE *f = fopen(path, "wb");
    fwrite("\x93NUMPY\x01\x00\x80\x00", 1, 10, f);
    fwrite(header, 1, 128, f);
    fwrite(data, 1, len, f);
    fclose(f);
    return path;
}

/* Regressions of issue 8: a shape whose byte count wraps to the data's size,
 * a negative shape, a NaN value, a dense size beyond memory. */
static void test_hostile_npy_and_sizes(void **state)
{
    char msg[GRL_MSG_LEN];
    grl_dense *D = NULL;
    float two[2] = {1.0f, 2.0f}, bad[2] = {1.0f, NAN};
    assert_ok(grl_dense_load_npy(&D, npy_file("(1, 2)", two, 8), msg));
    assert_true(D->data[1] == 2.0f);
    grl_dense_free(&D);
    /* 2^62 x 4 floats is 2^66 bytes, which wraps to 0 in 64 bits */
    assert_int_equal(grl_dense_load_npy(&D, npy_file("(4611686018427387904, 4)",
                                                     two, 0), msg),
                     GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "truncated file"));
    assert_int_equal(grl_dense_load_npy(&D, npy_file("(-1, -2)", two, 8), msg),
                     GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "negative"));
    assert_int_equal(grl_dense_load_npy(&D, npy_file("(1, 2)", bad, 8), msg),
                     GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "row 0, column 1 holds nan"));
    assert_null(D);
    /* a 3-D array whose data size matches a 2-D reading is still refused */
    assert_int_equal(grl_dense_load_npy(&D, npy_file("(1, 2, 1)", two, 8), msg),
                     GRL_UNSUPPORTED);
    assert_non_null(strstr(msg, "2-D"));
    assert_null(D);
    assert_int_equal(grl_dense_new(&D, INT64_MAX / 2, 4, msg),
                     GRL_OUT_OF_MEMORY);
    assert_null(D);
}

static void test_init_is_idempotent_and_threads(void **state)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_init(msg));
    assert_ok(grl_init(msg));
    assert_ok(grl_threads_set(1, msg));
    assert_int_equal(grl_threads_get(), 1);
    assert_ok(grl_threads_set(2, msg));
    assert_int_equal(grl_threads_get(), 2);
    assert_int_equal(grl_threads_set(0, msg), GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "at least 1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_known_answers),
        cmocka_unit_test(test_rng_same_with_1_and_2_threads),
        cmocka_unit_test(test_rng_uniform_moments),
        cmocka_unit_test(test_rng_below_is_uniform),
        cmocka_unit_test(test_dense_and_status),
        cmocka_unit_test(test_hostile_npy_and_sizes),
        cmocka_unit_test(test_init_is_idempotent_and_threads),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    grl_finalize(NULL);
    return failed;
}
