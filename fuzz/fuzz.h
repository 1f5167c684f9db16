/*
 * fuzz.h — what the libFuzzer harnesses share.
 *
 * Every reader takes a path, so a harness writes the input to a per-process
 * temporary file, calls the public loader and, when the load succeeds, checks
 * the invariants the rest of grl relies on: a loaded-but-invalid object ends
 * in FUZZ_CHECK's abort, which libFuzzer reports as a crash.
 *
 * A harness is built two ways: linked with -fsanitize=fuzzer (the fuzzer),
 * and with replay_main.c (a ctest that runs it over its committed corpus
 * and regression inputs, with or without sanitizers).
 */
#ifndef GRL_FUZZ_H
#define GRL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "grl.h"

/* Abort with the failed condition: the harness found a bug. */
#define FUZZ_CHECK(cond)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                         \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* Abort if a GraphBLAS call on a loaded object fails. */
#define FUZZ_GRB(call) FUZZ_CHECK((call) == GrB_SUCCESS)

/* grl_init and one thread (so runs are reproducible); idempotent. */
void fuzz_init(void);

/* Write size bytes to this process's temporary file number `slot` (0 or 1)
 * and return its path; the files are removed at exit. */
const char *fuzz_write_file(int slot, const uint8_t *data, size_t size);

/* Check that the file at path holds exactly the size bytes of data (a
 * loaded model saved back must be the input again). */
void fuzz_check_same_file(const char *path, const uint8_t *data, size_t size);

/* Check that each of the rows x classes probabilities is finite, in
 * [0, 1], and that each row sums to 1 (to float32 rounding). */
void fuzz_check_probability_rows(const float *proba, int64_t rows, int64_t classes);

/* A new n x f dense matrix of small whole values (-2..2, a fixed pattern):
 * features for running a loaded model. */
grl_dense *fuzz_features(int64_t n, int64_t f);

/* Above this many nodes the per-node checks look at a sample only, so one
 * input stays fast. */
#define FUZZ_NODE_SAMPLE 4096

/* Check every invariant of a loaded graph (shape, arcs, symmetry when
 * undirected, finite weights, positive unless allow_nonpositive, the id map
 * a bijection, degrees, summary, components). */
void fuzz_check_graph(grl_graph *G, bool allow_nonpositive);

#endif
