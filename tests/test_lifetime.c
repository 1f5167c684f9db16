/* test_lifetime.c — grl_init and grl_finalize from several threads at once:
 * GraphBLAS is initialised exactly once and usable from every thread, and
 * after grl_finalize a new grl_init fails with a message. Its own process,
 * as no other grl call may come first. */
#include "testutil.h"

#include <pthread.h>
#include <string.h>

enum { THREADS = 8 };

static pthread_barrier_t start;

/* grl_init, then a GraphBLAS-backed call; returns their worst status */
static void *init_and_use(void *arg)
{
    char msg[GRL_MSG_LEN];
    int *rc = arg;
    pthread_barrier_wait(&start);
    *rc = grl_init(msg);
    if (*rc != 0) return NULL;
    int64_t src[] = {0, 1, 2}, dst[] = {1, 2, 0};
    grl_graph *G = NULL;
    *rc = grl_graph_from_edges(&G, 3, src, dst, NULL, 3, false, NULL, msg);
    if (*rc == 0 && grl_graph_num_arcs(G) != 6) *rc = -1;
    grl_graph_free(&G);
    return NULL;
}

static void *finalize(void *arg)
{
    int *rc = arg;
    pthread_barrier_wait(&start);
    *rc = grl_finalize(NULL);
    return NULL;
}

static void run_threads(void *(*fn)(void *), int rc[THREADS])
{
    pthread_t t[THREADS];
    assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
    for (int i = 0; i < THREADS; i++) {
        rc[i] = 12345;
        assert_int_equal(pthread_create(&t[i], NULL, fn, &rc[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_join(t[i], NULL), 0);
    pthread_barrier_destroy(&start);
}

static void test_concurrent_lifetime(void **state)
{
    int rc[THREADS];
    run_threads(init_and_use, rc);
    for (int i = 0; i < THREADS; i++) assert_int_equal(rc[i], 0);
    run_threads(finalize, rc);
    for (int i = 0; i < THREADS; i++) assert_int_equal(rc[i], 0);
    char msg[GRL_MSG_LEN];
    assert_int_equal(grl_init(msg), GRL_NOT_INITIALIZED);
    assert_non_null(strstr(msg, "after grl_finalize"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_lifetime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
