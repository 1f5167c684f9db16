/* init.c — library lifetime and thread count. */
#include "grl_internal.h"

#include <GraphBLAS.h>
#include <omp.h>

static bool grl_initialized = false, grl_finalized = false;

int grl_init(char *msg)
{
    grl_msg_clear(msg);
    int ok = 0;
#pragma omp critical(grl_init)
    {
        if (grl_finalized) {
            ok = GRL_NOT_INITIALIZED;
        } else if (!grl_initialized) {
            GrB_Info info = GxB_init(GrB_NONBLOCKING, grl_malloc, grl_calloc,
                                     grl_realloc, free);
            /* GrB_INVALID_VALUE: someone else (the caller) already ran GrB_init */
            if (info == GrB_SUCCESS || info == GrB_INVALID_VALUE)
                grl_initialized = true;
            else
                ok = info;
        }
    }
    if (ok == GRL_NOT_INITIALIZED)
        grl_set_msg(msg, "grl_init after grl_finalize: GraphBLAS cannot be "
                         "initialised twice in one process");
    else if (ok < 0)
        grl_grb_msg(msg, ok, "GrB_init");
    return ok;
}

int grl_finalize(char *msg)
{
    grl_msg_clear(msg);
    if (grl_initialized && !grl_finalized) {
        GrB_finalize();
        grl_finalized = true;
        grl_initialized = false;
    }
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
    return 0;
#undef FREE_ALL
}

int grl_threads_get(void) { return omp_get_max_threads(); }
