/* init.c — library lifetime and thread count. */
#include "grl_internal.h"

#include <GraphBLAS.h>
#include <omp.h>

/* OpenBLAS's (its cblas.h declares it too; declared here so a cblas.h from
 * another BLAS, chosen by Debian's alternatives, still compiles: grl links
 * libopenblas itself) */
void openblas_set_num_threads(int num_threads);
#include <pthread.h>

/* The library's lifetime, under one lock: several threads may call
 * grl_init (every entry point does, on demand) or grl_finalize at once. */
static pthread_mutex_t lifetime_lock = PTHREAD_MUTEX_INITIALIZER;
static enum { GRL_FRESH, GRL_RUNNING, GRL_FINISHED } lifetime = GRL_FRESH;

int grl_init(char *msg)
{
    grl_msg_clear(msg);
    int rc = 0;
    pthread_mutex_lock(&lifetime_lock);
    if (lifetime == GRL_FINISHED) {
        rc = GRL_NOT_INITIALIZED;
    } else if (lifetime == GRL_FRESH) {
        GrB_Info info = GxB_init(GrB_NONBLOCKING, grl_malloc, grl_calloc,
                                 grl_realloc, free);
        /* GrB_INVALID_VALUE: someone else (the caller) already ran GrB_init */
        if (info == GrB_SUCCESS || info == GrB_INVALID_VALUE)
            lifetime = GRL_RUNNING;
        else
            rc = info;
    }
    pthread_mutex_unlock(&lifetime_lock);
    if (rc == GRL_NOT_INITIALIZED)
        grl_set_msg(msg, "grl_init after grl_finalize: GraphBLAS cannot be "
                         "initialised twice in one process");
    else if (rc < 0)
        grl_grb_msg(msg, rc, "GrB_init");
    return rc;
}

int grl_finalize(char *msg)
{
    grl_msg_clear(msg);
    pthread_mutex_lock(&lifetime_lock);
    if (lifetime == GRL_RUNNING) {
        GrB_finalize();
        lifetime = GRL_FINISHED;
    }
    pthread_mutex_unlock(&lifetime_lock);
    return 0;
}

int grl_threads_set(int nthreads, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(nthreads >= 1 && nthreads <= GRL_MAX_THREADS,
                "thread count must be at least 1 and at most %d, got %d",
                GRL_MAX_THREADS, nthreads);
    GRL_TRY(grl_init(msg));
    omp_set_num_threads(nthreads);
    GRB_TRY(GxB_Global_Option_set(GxB_NTHREADS, nthreads));
    openblas_set_num_threads(nthreads);
    return 0;
#undef FREE_ALL
}

int grl_threads_get(void) { return omp_get_max_threads(); }
