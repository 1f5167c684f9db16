/* benchutil.h — what every benchmark program shares: the clock, the run's
 * conditions (repetitions, thread counts, quick mode, all from the
 * environment bench/run.sh documents), return-code checks for grl and
 * igraph, peak memory and latency quantiles. */
#ifndef GRL_BENCHUTIL_H
#define GRL_BENCHUTIL_H

#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grl.h"

/* Monotonic wall-clock seconds. */
static inline double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Stop the benchmark if a grl call failed ("bench: what: msg"); print a
 * warning (a complete result, e.g. GRL_NOT_CONVERGED) where the tables go. */
static inline void check(int rc, const char *what, const char *msg)
{
    if (rc < 0) {
        fprintf(stderr, "bench: %s: %s (status %d)\n", what, msg, rc);
        exit(1);
    }
    if (rc > 0) printf("(warning from %s: %s)\n", what, msg);
}

/* Stop the benchmark if an igraph call failed. */
static inline void check_igraph(igraph_error_t rc, const char *what)
{
    if (rc != IGRAPH_SUCCESS) {
        fprintf(stderr, "bench: %s: %s\n", what, igraph_strerror(rc));
        exit(1);
    }
}

/* A positive integer from the environment, or `fallback`. */
static inline int env_int(const char *name, int fallback)
{
    const char *s = getenv(name);
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    return s && *s && *end == 0 && v > 0 && v < 1000000 ? (int)v : fallback;
}

/* BENCH_QUICK=1: small sizes for development; never the README's figures. */
static inline int bench_quick(void)
{
    return env_int("BENCH_QUICK", 0) > 0;
}

/* Repetitions of every timed contender, the same count for all of them
 * (BENCH_REPS, default 3; quick 1); each figure is the best of them. */
static inline int bench_reps(void)
{
    return env_int("BENCH_REPS", bench_quick() ? 1 : 3);
}

/* The larger thread count beside 1 (BENCH_THREADS, default 2). */
static inline int bench_threads(void)
{
    return env_int("BENCH_THREADS", 2);
}

/* Run grl, GraphBLAS, OpenMP (hence igraph's OpenMP parts) and OpenBLAS on
 * t threads. */
static inline void set_threads(int t)
{
    char msg[GRL_MSG_LEN] = "";
    check(grl_threads_set(t, msg), "threads", msg);
}

/* Keep the smaller of *best and t (best-of timing). */
static inline void keep_best(double *best, double t)
{
    if (t < *best) *best = t;
}

/* A field of /proc/self/status ("VmHWM:", "VmRSS:") in MiB. */
static inline double status_mib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0)
            kb = atof(line + strlen(field));
    if (f) fclose(f);
    return kb / 1024;
}

/* Start a peak-memory measurement: reset the peak resident set size to the
 * current one (Linux clear_refs "5"); stops the benchmark if it cannot. */
static inline void peak_reset(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    int ok = f != NULL && fputs("5", f) >= 0;
    if (f != NULL && fclose(f) != 0) ok = 0;
    if (!ok) check(-1, "/proc/self/clear_refs", "cannot reset the peak RSS");
}

/* The peak resident set size since peak_reset, in MiB (VmHWM). */
static inline double peak_mib(void)
{
    return status_mib("VmHWM:");
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median and p99 (nearest rank) of t[0..k-1], k >= 1 (sorted in place). */
static inline void quantiles(double *t, int k, double *median, double *p99)
{
    qsort(t, k, sizeof(double), cmp_double);
    *median = k % 2 ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2]);
    int r = (int)ceil(0.99 * k) - 1;
    *p99 = t[r < 0 ? 0 : r];
}

#endif
