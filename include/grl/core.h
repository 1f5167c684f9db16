/*
 * grl/core.h — status codes, library lifetime, threads, the counter-based RNG
 * and the dense matrix type shared by every grl module; and the rules every
 * public function of grl follows.
 *
 * Names. A function is grl_<noun>_<verb>: the noun is the object or the
 * algorithm it works on (graph, dense, rng, threads, fastrp, walker, walks,
 * ppr, ppr_index, ppr_result, linkpred, edge_split, partition, labels,
 * logreg, lbfgs, nodeclf, ...), the verb what it does (new, load, save,
 * free, build, run, compute, embed, fit, score, evaluate, parse, ...) or the
 * property it returns (grl_graph_num_nodes). Types are grl_<noun>, their
 * options grl_<noun>_options, enum values GRL_<NOUN>_<VALUE>. Only the
 * library-wide calls have no noun: grl_init, grl_finalize, grl_free,
 * grl_version.
 *
 * Arguments, in this order: results that grl allocates (pointer to the
 * caller's pointer: grl_graph **G, int64_t **walks); the object worked on
 * and the inputs that define the problem; `const grl_<noun>_options *opt`
 * for everything that has a sensible default (NULL = the defaults, which
 * grl_<noun>_options_init writes into a struct the caller then edits);
 * caller-allocated outputs; `char *msg` last. A function has an options
 * struct when it has anything beyond its essential arguments. Essential:
 * what defines the problem, and the seed of a function whose result is a
 * random sample (the graph generators, grl_linkpred_negatives) or the
 * format of a writer (grl_graph_save).
 *
 * Accessors (grl_graph_num_nodes, grl_threads_get, ...) return their value,
 * not a status, and take no msg; a NULL object reads as empty. One returns
 * a count the way snprintf does: grl_graph_node_id gives the id's length
 * (>= 0) or a negative code.
 *
 * Status. Every other function that can fail returns int: 0 on success; a
 * positive warning (GRL_NOT_CONVERGED) when the result is complete and
 * usable but the caller should know something about it; a negative error
 * (grl's codes below, <= -1000, or a GraphBLAS GrB_Info passed through)
 * after which allocated results are NULL and nothing half-built is
 * returned. `msg` (GRL_MSG_LEN bytes, or NULL) is cleared on entry, so it
 * is empty after a success, and holds a sentence a user can act on after an
 * error or a warning (for files: the file and line). Nothing in the library
 * prints, aborts or exits.
 *
 * Ownership, one rule per kind of result:
 *  - objects with invariants are opaque handles (grl_graph, grl_walker,
 *    grl_ppr_index): made by _new, _load, _build or _from_*, read through
 *    accessors, released by grl_<noun>_free(&h), which accepts NULL and sets
 *    h to NULL;
 *  - result records are public structs the caller reads and does not
 *    modify (grl_dense, grl_labels, grl_edge_split, grl_ppr_result): grl
 *    allocates them, grl_<noun>_free(&r) releases them the same way;
 *  - arrays whose length the caller knows before the call (one value per
 *    node, pair or source) are allocated by the caller; arrays whose length
 *    grl discovers (walks, halos) are allocated by grl and released with
 *    grl_free;
 *  - a GrB_Matrix result is a new matrix the caller owns (GrB_free); a
 *    matrix an accessor returns (grl_graph_matrix, grl_ppr_index_matrix) is
 *    lent: valid while its owner lives, not to be freed or modified.
 *  - Borrowing: functions that read a graph's CSR arrays in place (walks,
 *    PPR, FastRP, link prediction, components) take the graph's matrix for
 *    the duration of the call, so a graph must not be used by two calls at
 *    once from different threads; on return, also on error, it is intact.
 *
 * Enums a user can name (formats, methods, policies) have
 * grl_<enum>_parse(name, &value, msg) and grl_<enum>_name(value), the only
 * spelling of their names; the CLI and the Python shim use them.
 *
 * Threads and randomness: results never depend on the thread count;
 * every random choice comes from grl_rng keyed by (seed, stream), never
 * from global state.
 */
#ifndef GRL_CORE_H
#define GRL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grl/version.h" /* GRL_VERSION_MAJOR, _MINOR, _PATCH, _STRING */

#ifdef __cplusplus
extern "C" {
#endif

#define GRL_MSG_LEN 256

/* The library's version, "MAJOR.MINOR.PATCH": the GRL_VERSION_STRING it was
 * built with, which a program can compare with its headers'. */
const char *grl_version(void);

/* The layout of grl's public structs and the values of its constants as
 * this library was compiled, for bindings that mirror them (the Python shim
 * checks every struct and constant it hard-codes when it is imported).
 *   type    a public struct's name ("grl_ppr_options")
 *   field   one of its members ("alpha"), or NULL for the whole struct
 *   offset  out: offsetof(type, field), 0 for the whole struct
 *   size    out: sizeof the member, or of the struct
 *   msg     GRL_MSG_LEN bytes or NULL: why a lookup failed
 * Errors: GRL_NOT_FOUND (a struct or member this library does not have),
 * GRL_INVALID_ARGUMENT (NULL type or outputs). */
int grl_abi_layout(const char *type, const char *field, int64_t *offset,
                   int64_t *size, char *msg);

/* The value of a public constant or enum value as this library was compiled.
 *   name   the constant's name ("GRL_MSG_LEN", "GRL_PPR_FORA")
 *   value  out: its value
 *   msg    GRL_MSG_LEN bytes or NULL: why a lookup failed
 * Errors: GRL_NOT_FOUND, GRL_INVALID_ARGUMENT (NULL argument). */
int grl_abi_constant(const char *name, int64_t *value, char *msg);

/* Status codes. GraphBLAS's GrB_Info values (-1 .. -199) pass through. */
enum {
    GRL_SUCCESS = 0,
    GRL_INVALID_ARGUMENT = -1000, /* a parameter is out of range or NULL   */
    GRL_OUT_OF_MEMORY = -1001,    /* an allocation failed                  */
    GRL_IO_ERROR = -1002,         /* a file could not be opened/read/written */
    GRL_PARSE_ERROR = -1003,      /* a file's content is malformed         */
    GRL_NOT_FOUND = -1004,        /* a node id or key does not exist       */
    GRL_UNSUPPORTED = -1005,      /* a format or option is not supported   */
    GRL_IGRAPH_ERROR = -1006,     /* igraph reported an error              */
    GRL_METIS_ERROR = -1007,      /* METIS reported an error               */
    GRL_NOT_INITIALIZED = -1008,  /* grl_init was not called               */
    /* Warnings: the result is complete and usable; msg says what to check. */
    GRL_NOT_CONVERGED = 1,        /* an iteration stopped at its limit before
                                     its tolerance; the result is the last
                                     iterate (or the best point found)       */
};

/* The name of a status code, for messages and logs.
 *   status  any int a grl function returned: a grl code, a GraphBLAS
 *           GrB_Info passed through, or anything else
 * Returns a static string ("GRL_PARSE_ERROR", "GrB_OUT_OF_MEMORY"), never
 * NULL: "warning" for an unknown positive value, "unknown error" for an
 * unknown negative one. Thread-safe; does not need grl_init. */
const char *grl_status_name(int status);

/* Initialise grl and GraphBLAS (non-blocking mode). Idempotent: later calls
 * return 0 and do nothing (also when the caller initialised GraphBLAS
 * itself). Every other grl function that touches GraphBLAS calls it on
 * demand, so calling it explicitly is optional. Thread-safe, as is
 * grl_finalize (a mutex orders them).
 *   msg  GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_NOT_INITIALIZED (called after grl_finalize: GraphBLAS cannot
 * start twice in one process), a GrB_Info from GxB_init (GraphBLAS could
 * not start, e.g. GrB_OUT_OF_MEMORY). */
int grl_init(char *msg);

/* Release GraphBLAS. Idempotent, and does nothing if grl was never
 * initialised. grl cannot be re-initialised afterwards in the same process
 * (a GraphBLAS restriction): grl_init, and the calls that start grl on
 * demand (loaders, builders, generators), then fail with
 * GRL_NOT_INITIALIZED. Free every graph, index and GraphBLAS matrix first.
 * Thread-safe with grl_init, but call it when no other grl call runs.
 *   msg  GRL_MSG_LEN bytes, or NULL; cleared, nothing else is written
 * Returns 0. */
int grl_finalize(char *msg);

/* Set the thread count used by OpenMP regions, GraphBLAS and OpenBLAS.
 * Results never depend on it. The cap exists because libgomp starts a team
 * with a stack array (alloca) of per-thread start data: about 100,000
 * threads overflow an 8 MiB stack and crash. Process-wide (it sets OpenMP's,
 * GraphBLAS's and OpenBLAS's global thread counts): call it between grl calls,
 * not while one runs on another thread.
 *   nthreads  1..GRL_MAX_THREADS
 *   msg       GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (nthreads out of range), those of grl_init
 * (it initialises grl if needed), a GrB_Info from GraphBLAS. */
#define GRL_MAX_THREADS 1024
int grl_threads_set(int nthreads, char *msg);

/* The current thread count (OpenMP's omp_get_max_threads: what
 * grl_threads_set set, else OMP_NUM_THREADS or the number of cores). */
int grl_threads_get(void);

/* ---------------------------------------------------------------------------
 * Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11).
 * A number is a pure function of (seed, stream, counter): a stream is usually
 * a node, a walk or a sample, so results never depend on thread count,
 * schedule or input order. There is no global RNG state.
 * ------------------------------------------------------------------------ */

/* The four 32-bit words of block `counter` of stream `stream` under `seed`:
 * a pure function of its arguments, so thread-safe.
 *   seed, stream, counter  any values (the 128-bit counter is
 *                          (stream, counter), the key the seed)
 *   out                    4 words, caller allocated; not NULL */
void grl_rng_philox(uint64_t seed, uint64_t stream, uint64_t counter,
                    uint32_t out[4]);

/* A sequential reader of one stream (no allocation; copyable). */
typedef struct {
    uint64_t seed, stream, counter; /* next block to generate */
    uint32_t block[4];
    int used; /* words of `block` already consumed (4 = empty) */
} grl_rng;

/* Start reading stream `stream` of `seed` at its first number.
 *   rng     the reader to set, caller allocated (usually on the stack);
 *           not NULL. A grl_rng holds no resources: nothing to free.
 *   seed    any value
 *   stream  any value; usually a node, walk or sample number */
void grl_rng_init(grl_rng *rng, uint64_t seed, uint64_t stream);
/* The next 32 / 64 uniformly random bits of rng's stream (a 64-bit value is
 * two consecutive 32-bit words, the high word first).
 *   rng  a reader set by grl_rng_init; not NULL. A reader is not
 *        thread-safe: give each thread its own (they are cheap). */
uint32_t grl_rng_u32(grl_rng *rng);
uint64_t grl_rng_u64(grl_rng *rng);
/* A uniform double in [0, 1) with 53 random bits.
 *   rng  as for grl_rng_u64 */
double grl_rng_uniform(grl_rng *rng);
/* A uniform integer in [0, n), unbiased (Lemire's method: it may read
 * more than one 64-bit value from the stream).
 *   rng  as for grl_rng_u64
 *   n    the bound, >= 1 (n = 0 is not checked and returns 0) */
uint64_t grl_rng_below(grl_rng *rng, uint64_t n);

/* Free an array that a grl function allocated and handed to the caller
 * (walks, halo lists: the functions that say "release with grl_free").
 *   p  such an array, or NULL (then nothing happens)
 * Not for grl objects or result records: those have their own _free. */
void grl_free(void *p);

/* ---------------------------------------------------------------------------
 * Dense row-major float matrix, used for embeddings and features.
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t rows, cols;
    float *data; /* rows * cols floats, row-major: data[i * cols + j] */
} grl_dense;

/* Allocate a zero-filled rows x cols matrix.
 *   D     out: the new matrix (release with grl_dense_free); NULL on error;
 *         not NULL itself
 *   rows  >= 0
 *   cols  >= 0 (rows x cols = 0 is a valid empty matrix)
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL D, negative size), GRL_OUT_OF_MEMORY
 * (also when rows x cols x 4 bytes overflows size_t). */
int grl_dense_new(grl_dense **D, int64_t rows, int64_t cols, char *msg);
/* Free *D (its data too) and set *D to NULL.
 *   D  the caller's pointer; D or *D NULL: nothing happens */
void grl_dense_free(grl_dense **D);

/* Write D as a NumPy .npy file (format 1.0, little-endian float32, C order,
 * shape (rows, cols)), readable by numpy.load. An existing file is
 * overwritten.
 *   D     the matrix, read only; not NULL
 *   path  the file to write; not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL D or path), GRL_IO_ERROR (the file
 * cannot be opened or written; msg names it). */
int grl_dense_save_npy(const grl_dense *D, const char *path, char *msg);

/* Read a 2-D float32 (or float64, converted) C-order .npy file (format
 * 1.0, 2.0 or 3.0).
 *   D     out: the new matrix (release with grl_dense_free); NULL on error;
 *         not NULL itself
 *   path  the file to read; not NULL
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL; errors name the
 *         file
 * Errors: GRL_INVALID_ARGUMENT (NULL D or path), GRL_IO_ERROR (cannot open
 * or read), GRL_PARSE_ERROR (not .npy, truncated, negative shape, a value
 * that is not finite or does not fit float32), GRL_UNSUPPORTED (another
 * .npy version, a dtype other than '<f4'/'<f8', Fortran order, not 2-D),
 * GRL_OUT_OF_MEMORY. */
int grl_dense_load_npy(grl_dense **D, const char *path, char *msg);

#ifdef __cplusplus
}
#endif
#endif
