/* testutil.h — helpers shared by the cmocka tests. */
#ifndef GRL_TESTUTIL_H
#define GRL_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "grl.h"

/* Path of a file under the shared data folder (static buffer). */
const char *data_path(const char *relative);

/* Write `text` to a fresh temporary file with the given suffix; returns its
 * path (static buffer per call slot, 8 slots). */
const char *temp_file(const char *suffix, const char *text);

/* A temporary copy of grl binary file `path` with `bytes`
 * bytes at offset `at` replaced by `value` and its checksum made valid
 * again, so a test reaches the checks behind the checksum. */
const char *temp_patched(const char *path, size_t at, const void *value, size_t bytes);

/* The seed of an ensemble's member j as the gnn evaluations document it
 * (before the split is added): seed for member 0, else the first
 * grl_rng_u64 of stream j keyed by seed, written here apart from the
 * library's as the ensembles' tests' oracle. */
uint64_t test_member_seed(uint64_t seed, int64_t j);

/* Load a graph with default options but `directed` (-1, 0, 1); fails the
 * test on error. */
grl_graph *load_graph(const char *path, int directed);

/* grl_partition_compute with the default options but `seed`. */
int partition_seeded(grl_graph *G, int64_t k, uint64_t seed, int64_t *part,
                     grl_partition_info *info, char *msg);

/* A temporary copy of a text file with its lines in a random order (Fisher-
 * Yates keyed by seed); returns its path. */
const char *shuffled_copy(const char *path, uint64_t seed);

/* A fresh temporary folder (static buffer per call slot, 8 slots). */
const char *temp_dir(void);

/* Fail unless two graph sets hold the same sizes and the same bits in
 * every array. */
void assert_graph_sets_equal(const grl_graph_set *a, const grl_graph_set *b);

/* cmocka's assert_float_equal is single precision: a double version. */
#define assert_double_near(a, b, tol) \
    assert_double_near_impl((a), (b), (tol), #a, __FILE__, __LINE__)
void assert_double_near_impl(double a, double b, double tol, const char *expr,
                             const char *file, int line);

/* Assert a grl call succeeded, printing its message if not; the caller
 * passes a `char msg[GRL_MSG_LEN]` in scope to the call. */
#define assert_ok(call)                                                       \
    do {                                                                      \
        msg[0] = '\0';                                                        \
        int rc_ = (call);                                                     \
        if (rc_ < 0) fail_msg("%s -> %d: %s", #call, rc_, msg);               \
    } while (0)

/* ---- gradient checks of float32 layers (finite differences in double) -- */

/* x[i] uniform in [-scale, scale] from the grl_rng stream (seed, stream). */
void fill_uniform(float *x, int64_t count, uint64_t seed, uint64_t stream, double scale);
/* sum_i w_i y_i in double: a scalar loss of a layer's output. */
double weighted_sum(const float *y, const float *w, int64_t count);
/* max_i |x_i|. */
double max_abs(const float *x, int64_t count);
/* Fail unless |fd - an| <= abs_tol * max(scale, 1) + rel_tol * |an|, naming
 * what[index]: scale is the size of the gradient being checked. */
void assert_grad_close(double fd, double an, double scale, double abs_tol,
                       double rel_tol, const char *what, int64_t index);

/* Central difference of loss_expr w.r.t. the float x[i], divided by the
 * step actually taken after rounding to float. */
#define FD(loss_expr, x, i, h)                                                  \
    ({                                                                          \
        float keep_ = (x)[i];                                                   \
        (x)[i] = keep_ + (float)(h);                                            \
        double up_ = (loss_expr);                                               \
        (x)[i] = keep_ - (float)(h);                                            \
        double down_ = (loss_expr);                                             \
        (x)[i] = keep_;                                                         \
        (up_ - down_) / (((double)(keep_ + (float)(h))) -                        \
                         ((double)(keep_ - (float)(h))));                        \
    })

#endif
