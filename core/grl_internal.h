/*
 * grl_internal.h — private helpers shared by grl's modules: error macros,
 * message formatting, checked allocation. Not installed.
 *
 * Each function that uses GRL_TRY / GRB_TRY / GRL_FAIL defines FREE_ALL (what
 * to release on an error path) before use, and has `char *msg` in scope.
 */
#ifndef GRL_INTERNAL_H
#define GRL_INTERNAL_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <GraphBLAS.h>

#include "grl/core.h"

/* grl's allocator (core/memory.c): large blocks use transparent huge pages.
 * Release with free() or grl_free(). GraphBLAS uses it too (grl_init). */
void *grl_malloc(size_t size);
void *grl_calloc(size_t count, size_t size);
void *grl_realloc(void *p, size_t size);
/* size zero-filled bytes (grl_calloc(1, size)). */
void *grl_zalloc(size_t size);

/* Testing only (LAGraph's "brutal malloc"): let the next k allocations
 * through grl's allocator succeed and every later one fail (return NULL),
 * until called again; k < 0 disables the limit (the default). GraphBLAS
 * allocates through the same functions, so its allocations count too.
 * Returns how many allocations were refused since the previous call (0:
 * the code in between never saw a failure). Thread-safe (atomic counters);
 * not part of the public API. */
int64_t grl_debug_fail_alloc_after(int64_t k);
/* The same, but only allocation k + 1 fails; later ones succeed again (so
 * error paths that allocate while cleaning up are exercised too). */
int64_t grl_debug_fail_alloc_only(int64_t k);

/* Philox blocks made by one grl_rng_philox_batch call. */
#define GRL_PHILOX_BATCH 16
/* Blocks counter .. counter + GRL_PHILOX_BATCH - 1 of stream `stream` under
 * `seed`, block b in out[4 b .. 4 b + 3]: grl_rng_philox's words, made one
 * AVX-512 lane a block when the CPU has them (core/rng.c). */
void grl_rng_philox_batch(uint64_t seed, uint64_t stream, uint64_t counter,
                          uint32_t out[4 * GRL_PHILOX_BATCH]);

/* Open a file for reading, with messages naming it: missing, a directory,
 * unreadable. *size is its length in bytes. */
int grl_open_file(const char *path, FILE **f, size_t *size, char *msg);

/* Read a whole file into memory (NUL-terminated; *len excludes the NUL).
 * Errors name the file: missing, a directory, unreadable. */
int grl_read_file(const char *path, char **data, size_t *len, char *msg);
/* The same for a file already open as f (a pipe: read on to its end), of
 * `size` bytes as far as known (0 for a pipe); f stays open. */
int grl_read_rest(FILE *f, size_t size, const char *path, char **data,
                  size_t *len, char *msg);

/* The .npy (format 1.0) prefix of a rows x cols float32 C-order array:
 * magic, version, header length and the padded dict, GRL_NPY_HEADER_MAX
 * bytes at most; returns its length (a multiple of 64). */
#define GRL_NPY_HEADER_MAX 138
size_t grl_npy_header(unsigned char out[GRL_NPY_HEADER_MAX], int64_t rows,
                      int64_t cols);

/* A GrB_Matrix's CSR arrays, borrowed without a copy (GxB unpack) and
 * handed back (GxB pack) with grl_csr_return, which every path must call
 * (error paths through FREE_ALL). While borrowed, the matrix is empty: no
 * concurrent use, so every call site says whose matrix it borrows. */
typedef struct {
    GrB_Matrix M;          /* the lender, NULL once returned          */
    GrB_Index *Ap, *Aj;    /* row pointers (n + 1), column indices     */
    double *Ax;            /* values; Ax[0] for every entry if iso     */
    GrB_Index Ap_size, Aj_size, Ax_size;
    bool iso, jumbled;
    int64_t n;             /* rows                                     */
} grl_csr;

/* Borrow M's arrays (M must be GrB_FP64); `sorted` asks for ascending
 * columns in every row. */
int grl_csr_borrow(grl_csr *csr, GrB_Matrix M, bool sorted, char *msg);
/* Hand the arrays back to their matrix (no-op if already returned). Pack
 * allocates nothing; should GraphBLAS still refuse the arrays, the entries
 * are rebuilt from them by value, and only if that fails too is the matrix
 * left empty, with an error saying so. */
int grl_csr_return(grl_csr *csr, char *msg);

/* Position of column j in row i of a matrix borrowed with sorted rows, or
 * -1 if the row has no entry j (binary search). */
static inline int64_t grl_csr_find(const grl_csr *csr, GrB_Index i, GrB_Index j)
{
    GrB_Index lo = csr->Ap[i], hi = csr->Ap[i + 1], end = hi;
    while (lo < hi) {
        GrB_Index mid = lo + (hi - lo) / 2;
        if (csr->Aj[mid] < j) lo = mid + 1;
        else hi = mid;
    }
    return lo < end && csr->Aj[lo] == j ? (int64_t)lo : -1;
}

/* Index of the first NaN or infinity among x[0 .. count-1], or -1. */
int64_t grl_first_nonfinite(const float *x, int64_t count);

/* splitmix64's finaliser: a bijective 64-bit mix (Steele, Lea, Flood 2014),
 * for hashing integer keys; grl_mix64(x + GRL_GOLDEN) is splitmix64's
 * output for state x. */
#define GRL_GOLDEN 0x9e3779b97f4a7c15ull
static inline uint64_t grl_mix64(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Write a formatted message into msg (GRL_MSG_LEN bytes) if msg is not NULL. */
void grl_set_msg(char *msg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Describe a GraphBLAS failure in msg ("GraphBLAS: out of memory in <what>"). */
void grl_grb_msg(char *msg, int info, const char *what);

/* Fail with `code` and a formatted message, releasing FREE_ALL. */
#define GRL_FAIL(code, ...)                                                    \
    do {                                                                       \
        grl_set_msg(msg, __VA_ARGS__);                                         \
        FREE_ALL;                                                              \
        return (code);                                                         \
    } while (0)

/* Propagate a grl error (msg already filled by the callee). */
#define GRL_TRY(call)                                                          \
    do {                                                                       \
        int grl_try_status_ = (call);                                          \
        if (grl_try_status_ < 0) {                                             \
            FREE_ALL;                                                          \
            return grl_try_status_;                                            \
        }                                                                      \
    } while (0)

/* The first warning (positive status) of a sequence of calls, with its
 * message: later calls clear msg on entry, so the warning's text is kept
 * here and copied back by grl_warning_return. */
typedef struct {
    int status;
    char msg[GRL_MSG_LEN];
} grl_warning;

/* Keep `status` and msg if status is the first warning seen by w. */
void grl_warning_keep(grl_warning *w, int status, const char *msg);

/* w's status (0: no warning), its message copied into msg. */
int grl_warning_return(const grl_warning *w, char *msg);

/* GRL_TRY that keeps a warning of `call` in the grl_warning w. */
#define GRL_TRY_KEEP(w, call)                                                  \
    do {                                                                       \
        int grl_keep_status_ = (call);                                         \
        GRL_TRY(grl_keep_status_);                                             \
        grl_warning_keep(&(w), grl_keep_status_, msg);                         \
    } while (0)

/* Propagate a GraphBLAS error with its code and a message naming `what`. */
#define GRB_CHECK(info, what)                                                  \
    do {                                                                       \
        GrB_Info grb_try_info_ = (info);                                       \
        if (grb_try_info_ < GrB_SUCCESS) {                                     \
            grl_grb_msg(msg, grb_try_info_, what);                             \
            FREE_ALL;                                                          \
            return grb_try_info_;                                              \
        }                                                                      \
    } while (0)

/* The same for a call, named by its own text. */
#define GRB_TRY(call) GRB_CHECK(call, #call)

/* Checked size arithmetic. Every size computed from a file or an option goes
 * through these: they saturate at SIZE_MAX instead of wrapping, so a chain
 * grl_size_mul(grl_size_mul(a, b), c) stays saturated, and the allocation
 * macros below refuse a saturated count. A negative int64 passed in becomes a
 * huge size_t and is refused the same way. */
static inline size_t grl_size_mul(size_t a, size_t b)
{
    size_t r;
    return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline size_t grl_size_add(size_t a, size_t b)
{
    size_t r;
    return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

/* *out = a * b (or a + b) for int64, failing with GRL_INVALID_ARGUMENT and
 * "<what> is too large (a x b)" if the result does not fit. The
 * GRL_REQUIRE_ forms only check (for a size that a later step computes). */
#define GRL_I64_CHECKED(op, sign, out, a, b, what)                             \
    do {                                                                       \
        int64_t grl_op_a_ = (a), grl_op_b_ = (b);                              \
        if (__builtin_##op##_overflow(grl_op_a_, grl_op_b_, (out)))            \
            GRL_FAIL(GRL_INVALID_ARGUMENT,                                     \
                     "%s is too large: %" PRId64 " " sign " %" PRId64          \
                     " does not fit in 64 bits", what, grl_op_a_, grl_op_b_);  \
    } while (0)

#define GRL_MUL_I64(out, a, b, what) GRL_I64_CHECKED(mul, "x", &(out), a, b, what)
#define GRL_ADD_I64(out, a, b, what) GRL_I64_CHECKED(add, "+", &(out), a, b, what)
#define GRL_REQUIRE_MUL_I64(a, b, what)                                        \
    GRL_I64_CHECKED(mul, "x", &(int64_t){0}, a, b, what)
#define GRL_REQUIRE_ADD_I64(a, b, what)                                        \
    GRL_I64_CHECKED(add, "+", &(int64_t){0}, a, b, what)

/* Allocate n elements of `type` into p, failing with GRL_OUT_OF_MEMORY, also
 * when n * sizeof(type) does not fit in size_t (n from grl_size_mul). */
#define GRL_ALLOC_IMPL(p, type, n, alloc)                                      \
    do {                                                                       \
        size_t grl_alloc_n_ = (size_t)(n);                                     \
        size_t grl_alloc_bytes_ =                                              \
            grl_size_mul(grl_alloc_n_ ? grl_alloc_n_ : 1, sizeof(type));       \
        (p) = grl_alloc_bytes_ == SIZE_MAX ? NULL                              \
                                           : (type *)alloc(grl_alloc_bytes_);  \
        if ((p) == NULL)                                                       \
            GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory allocating %zu x %s",   \
                     grl_alloc_n_, #type);                                     \
    } while (0)

#define GRL_ALLOC(p, type, n) GRL_ALLOC_IMPL(p, type, n, grl_malloc)
#define GRL_CALLOC(p, type, n) GRL_ALLOC_IMPL(p, type, n, grl_zalloc)

#define GRL_REQUIRE(cond, ...)                                                 \
    do {                                                                       \
        if (!(cond))                                                           \
            GRL_FAIL(GRL_INVALID_ARGUMENT, __VA_ARGS__);                       \
    } while (0)

/* Clear msg on entry to a public function (a stale message must not survive
 * a success). */
static inline void grl_msg_clear(char *msg)
{
    if (msg != NULL) msg[0] = '\0';
}

/* Names of an enum's values, for grl_<enum>_parse and grl_<enum>_name. The
 * first entry of a value is its name; later ones are accepted aliases. */
typedef struct {
    const char *name;
    int value;
} grl_enum_name;

/* The value called `name` (case-insensitive); otherwise GRL_INVALID_ARGUMENT
 * with a message listing the names ("unknown PPR method 'x' (expected ...)",
 * `what` = "PPR method"). */
int grl_enum_parse(const grl_enum_name *table, size_t count, const char *what,
                   const char *name, int *value, char *msg);

/* The name of `value`, or NULL if the table has none. */
const char *grl_enum_name_of(const grl_enum_name *table, size_t count,
                             int value);

/* Define `int type_parse(const char *, type *, char *msg)` and
 * `const char *type_name(type)` from a static grl_enum_name table. */
#define GRL_ENUM_FUNCTIONS(type, table, what)                                  \
    int type##_parse(const char *name, type *value, char *msg)                 \
    {                                                                          \
        int v = 0;                                                             \
        int rc = grl_enum_parse(table, sizeof table / sizeof table[0], what,   \
                                name, &v, msg);                                \
        if (rc == 0) *value = (type)v;                                         \
        return rc;                                                             \
    }                                                                          \
    const char *type##_name(type value)                                        \
    {                                                                          \
        return grl_enum_name_of(table, sizeof table / sizeof table[0],         \
                                (int)value);                                   \
    }

/* XXH64, the checksum of grl's binary files (checksum.c), in streaming
 * form: init, update with the bytes in order, final. */
typedef struct {
    uint64_t v[4], total, seed;
    unsigned char buf[32];
    size_t buffered;
} grl_hash64;

void grl_hash64_init(grl_hash64 *h, uint64_t seed);
void grl_hash64_update(grl_hash64 *h, const void *data, size_t len);
uint64_t grl_hash64_final(const grl_hash64 *h);
/* The hash of one buffer. */
uint64_t grl_hash64_of(const void *data, size_t len, uint64_t seed);

/* The block checksum of .grl graph files (format 4): the data cut into
 * blocks of GRL_HASH_BLOCK bytes (the last one may be shorter), each block
 * hashed by XXH64 with seed 0, and the block hashes, 8 little-endian bytes
 * each in block order, hashed by XXH64 with seed 0 again. Blocks hash
 * independently, so a reader checks them in parallel, and the value does
 * not depend on how many threads did. Streaming form, as grl_hash64. */
#define GRL_HASH_BLOCK ((size_t)512 << 10)
typedef struct {
    grl_hash64 block, blocks; /* the current block; the finished blocks' hashes */
} grl_hash64_blocked;

void grl_hash64_blocked_init(grl_hash64_blocked *h);
void grl_hash64_blocked_update(grl_hash64_blocked *h, const void *data,
                               size_t len);
uint64_t grl_hash64_blocked_final(const grl_hash64_blocked *h);
/* The block checksum of one buffer. */
uint64_t grl_hash64_blocked_of(const void *data, size_t len);

/* GraphBLAS's full check of an object from an untrusted source (pointers,
 * sorted in-range indices), failing with "<what>: ... invalid". */
int grl_matrix_check(GrB_Matrix A, const char *what, char *msg);

#endif
