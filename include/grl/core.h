/*
 * grl/core.h — status codes, library lifetime, threads, the counter-based RNG
 * and the dense matrix type shared by every grl module.
 *
 * Conventions (LAGraph's): every public function returns int — 0 on success,
 * a negative code on error, a positive code for a warning — and takes
 * `char *msg` (GRL_MSG_LEN bytes, may be NULL) as its last argument, which is
 * filled with a sentence the user can act on. GraphBLAS codes (GrB_Info) pass
 * through unchanged; grl's own codes are <= -1000.
 */
#ifndef GRL_CORE_H
#define GRL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GRL_MSG_LEN 256

#define GRL_VERSION_MAJOR 0
#define GRL_VERSION_MINOR 1
#define GRL_VERSION_PATCH 0

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
};

/* A short name for a status code ("GRL_PARSE_ERROR", "GrB_OUT_OF_MEMORY"). */
const char *grl_status_name(int status);

/* Initialise grl and GraphBLAS (non-blocking mode). Idempotent: later calls
 * return 0 and do nothing. Every other grl function that touches GraphBLAS
 * calls it on demand, so calling it explicitly is optional. */
int grl_init(char *msg);

/* Release GraphBLAS. Idempotent. grl cannot be re-initialised afterwards in
 * the same process (a GraphBLAS restriction). */
int grl_finalize(char *msg);

/* Set the thread count used by OpenMP regions, GraphBLAS and OpenBLAS
 * (1..GRL_MAX_THREADS). Results never depend on it. The cap exists because
 * libgomp starts a team with a stack array (alloca) of per-thread start
 * data: about 100,000 threads overflow an 8 MiB stack and crash. */
#define GRL_MAX_THREADS 1024
int grl_set_threads(int nthreads, char *msg);

/* The current thread count. */
int grl_get_threads(void);

/* ---------------------------------------------------------------------------
 * Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11).
 * A number is a pure function of (seed, stream, counter): a stream is usually
 * a node, a walk or a sample, so results never depend on thread count,
 * schedule or input order. There is no global RNG state.
 * ------------------------------------------------------------------------ */

/* The four 32-bit words of block `counter` of stream `stream` under `seed`. */
void grl_philox(uint64_t seed, uint64_t stream, uint64_t counter,
                uint32_t out[4]);

/* A sequential reader of one stream (no allocation; copyable). */
typedef struct {
    uint64_t seed, stream, counter; /* next block to generate */
    uint32_t block[4];
    int used; /* words of `block` already consumed (4 = empty) */
} grl_rng;

/* Start reading stream `stream` of `seed` at its first number. */
void grl_rng_init(grl_rng *rng, uint64_t seed, uint64_t stream);
/* The next 32 / 64 uniformly random bits. */
uint32_t grl_rng_u32(grl_rng *rng);
uint64_t grl_rng_u64(grl_rng *rng);
/* A uniform double in [0, 1) with 53 random bits. */
double grl_rng_uniform(grl_rng *rng);
/* A uniform integer in [0, n), unbiased (Lemire's method); n >= 1. */
uint64_t grl_rng_below(grl_rng *rng, uint64_t n);

/* Free memory that a grl function allocated and handed to the caller
 * (arrays such as halo lists). NULL-safe. */
void grl_free(void *p);

/* ---------------------------------------------------------------------------
 * Dense row-major float matrix, used for embeddings and features.
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t rows, cols;
    float *data; /* rows * cols floats, row-major: data[i * cols + j] */
} grl_dense;

/* Allocate a zero-filled rows x cols matrix into *D. */
int grl_dense_new(grl_dense **D, int64_t rows, int64_t cols, char *msg);
/* Free *D and set it to NULL (NULL-safe). */
void grl_dense_free(grl_dense **D);

/* Write D as a NumPy .npy file (format 1.0, little-endian float32, C order,
 * shape (rows, cols)), readable by numpy.load. */
int grl_dense_save_npy(const grl_dense *D, const char *path, char *msg);

/* Read a 2-D float32 (or float64, converted) C-order .npy file into *D.
 * Errors name the file: not .npy, wrong dtype or rank, truncated. */
int grl_dense_load_npy(grl_dense **D, const char *path, char *msg);

#ifdef __cplusplus
}
#endif
#endif
