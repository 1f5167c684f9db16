/* benchutil.h — the two helpers every benchmark program uses. */
#ifndef GRL_BENCHUTIL_H
#define GRL_BENCHUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Monotonic wall-clock seconds. */
static inline double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Stop the benchmark if a grl call failed: "bench: what: msg". */
static inline void check(int rc, const char *what, const char *msg)
{
    if (rc < 0) {
        fprintf(stderr, "bench: %s: %s\n", what, msg);
        exit(1);
    }
}

#endif
