/*
 * binfile.h — the container shared by grl's binary files (.grl graphs, PPR
 * indexes): an 8-byte magic, a uint32 format version at offset 8, a uint32
 * of the format's, the uint64 length of the whole file at offset 16, the
 * format's own fields, and a trailing uint64 checksum of every byte before
 * it: XXH64 (seed 0), or for graph files the block checksum of
 * grl_internal.h. All little-endian, as this machine writes them. A reader
 * checks magic, version and checksum before it interprets any other byte,
 * then takes fields with bounds checks against what is left of the file
 * (the scatter reader below uses sizes, bounded by the file's length, before
 * it reaches the checksum, and checks every byte it uses before then).
 *
 * Matrix section (GrB_FP64, written by grl itself, not GxB serialize: the
 * bytes depend only on the matrix, never on the thread count, and every
 * byte is decoded and checked before GraphBLAS owns the arrays):
 *   uint64 nrows, ncols, nvals, flags (bit 0 iso: one value for all;
 *          bit 1 counts: every value is a whole count c >= 1 times scale)
 *   double scale (0 without counts)
 *   uint64 row_bytes, col_bytes, val_bytes, then that many bytes of
 *   row lengths (nrows LEB128 varints), columns (per row: the first column,
 *   then each gap to the next minus 1, varints; so ascending), values
 *   (counts: nvals varints c - 1; iso: 1 double; else nvals doubles).
 */
#ifndef GRL_BINFILE_H
#define GRL_BINFILE_H

#include "grl_internal.h"

typedef struct {
    FILE *f;
    const char *path;
    char *tmp; /* the file written, renamed to path by grl_bin_finish; NULL
                  when path is not a regular file (a device, a pipe), which
                  is then written in place and never removed */
    grl_hash64 hash;
    bool blocked; /* set after grl_bin_create: the block checksum instead */
    grl_hash64_blocked blocks;
    bool failed;
    int err; /* errno of the first failed write */
} grl_bin_writer;

/* Start writing path: into a temporary file beside it, so a failed write
 * leaves the file it was to replace as it was. */
int grl_bin_create(grl_bin_writer *w, const char *path, char *msg);
/* Append len bytes (errors are reported by grl_bin_finish). */
void grl_bin_write(grl_bin_writer *w, const void *data, size_t len);
/* A matrix ready to write as a section: its size is known before the
 * bytes are written (for the file length in the header). */
typedef struct {
    GrB_Matrix C; /* a copy of the matrix, lending its arrays */
    grl_csr csr;
    uint64_t head[4], sizes[3], bytes;
    double scale;
    bool raw; /* a raw section (below) */
} grl_bin_matrix;

/* Prepare A (not modified); scale > 0 stores values as whole counts times
 * scale when they all are. m->bytes is the section's size. */
int grl_bin_matrix_prepare(grl_bin_matrix *m, GrB_Matrix A, double scale,
                           char *msg);
/* Prepare A (not modified) for a raw section: the CSR arrays as they are
 * in memory, read back with no decoding (graph files, where reloading is
 * the point):
 *   uint64 nrows, ncols, nvals, flags (bit 0 iso: one value for all)
 *   uint64 row pointers[nrows + 1], columns[nvals] (ascending in a row)
 *   double values[iso ? 1 : nvals] */
int grl_bin_matrix_prepare_raw(grl_bin_matrix *m, GrB_Matrix A, char *msg);
/* Append the section. */
int grl_bin_matrix_write(grl_bin_writer *w, const grl_bin_matrix *m,
                         char *msg);
/* Release (NULL-safe after a zero initialisation, for FREE_ALL). */
void grl_bin_matrix_release(grl_bin_matrix *m);

/* Append the checksum, close, and move the file into place; on failure the
 * temporary file is removed. */
int grl_bin_finish(grl_bin_writer *w, char *msg);
/* Close and remove an unfinished temporary file (NULL-safe, for FREE_ALL). */
void grl_bin_discard(grl_bin_writer *w);

typedef struct {
    char *data;       /* the whole file                          */
    size_t len, pos;  /* bytes before the checksum, next to take */
    const char *path, *what;
} grl_bin_reader;

/* Read path whole and check its magic, that its version is `version`,
 * its length and its checksum (`what` names the format in messages: "PPR
 * index" gives "not a PPR index file"). */
int grl_bin_open(grl_bin_reader *r, const char *path, const char *magic,
                 uint32_t version, const char *what, char *msg);
/* Copy the next `bytes` into out; fails naming `field` if the file ends. */
int grl_bin_take(grl_bin_reader *r, void *out, size_t bytes,
                 const char *field, char *msg);
/* Read a matrix section into a new *A, checking that it decodes to an
 * nrows x ncols matrix (values are not checked). */
int grl_bin_read_matrix(grl_bin_reader *r, GrB_Matrix *A, uint64_t nrows,
                        uint64_t ncols, char *msg);
/* Fail unless every byte was read. */
int grl_bin_end(grl_bin_reader *r, char *msg);
/* Release the data (NULL-safe). */
void grl_bin_close(grl_bin_reader *r);

/* A graph file (format 4 and on, with the block checksum of
 * grl_internal.h) read straight into its destination arrays, by blocks in
 * parallel, each block hashed right after its read while it is in cache.
 * The caller peeks at what it needs to size the arrays (sizes bounded by
 * the file's length; nothing else trusted), then gives every byte of the
 * file, in order, a destination (into, expect, csr), then reads. */
#define GRL_BIN_PIECES 8
typedef struct {
    void *to;
    const void *expect; /* bytes peeked earlier that `to` must equal */
    uint64_t at, bytes; /* where in the file, how long */
    const char *field;  /* its name in messages */
} grl_bin_piece;

typedef struct {
    FILE *f;         /* a regular file, read with pread */
    char *data;      /* or the whole input when it is not (a pipe) */
    size_t data_len;
    const char *path, *what;
    uint64_t len, planned; /* bytes before the checksum; given a destination */
    grl_bin_piece piece[GRL_BIN_PIECES];
    int pieces;
    unsigned char reread[128]; /* where expect's pieces are read again */
    size_t reread_used;
} grl_bin_scatter;

/* Open path and check its magic, version and announced length, as
 * grl_bin_open. */
int grl_bin_scatter_open(grl_bin_scatter *s, const char *path,
                         const char *magic, uint32_t version, const char *what,
                         char *msg);
/* Copy the next `bytes` (after those given a destination) into out, not
 * yet checked: for sizes, to be bounded by the file's length. Fails naming
 * `field` if the file ends. */
int grl_bin_scatter_peek(grl_bin_scatter *s, void *out, size_t bytes,
                         const char *field, char *msg);
/* The next `bytes` of the file go to `to` (at least `bytes` long). */
int grl_bin_scatter_into(grl_bin_scatter *s, void *to, size_t bytes,
                         const char *field, char *msg);
/* The next `bytes` are those just peeked into `peeked` (which must stay
 * in place until the read): they are read again and compared, so what the
 * caller sized its arrays by is what the checksum covers. */
int grl_bin_scatter_expect(grl_bin_scatter *s, const void *peeked,
                           size_t bytes, const char *field, char *msg);
/* Work on the bytes from `at` on while they are in cache, as they are
 * read: `before` once every byte before `at` is read (it may fail: then
 * no range is given, and its error is reported if the checksum matches),
 * then `range` on pieces [lo, hi) covering [at, the checksum), from
 * several threads at once. `at` must be a multiple of 8 (and so each
 * piece's ends but the last). */
typedef struct {
    uint64_t at;
    int (*before)(void *ctx, char *msg);
    void (*range)(void *ctx, uint64_t lo, uint64_t hi);
    void *ctx;
} grl_bin_hook;

/* Read every piece, in parallel, calling the hook (if not NULL), and fail
 * unless they are the whole file and its checksum matches. */
int grl_bin_scatter_read(grl_bin_scatter *s, const grl_bin_hook *hook,
                         char *msg);
/* Close (NULL-safe after a zero initialisation). */
void grl_bin_scatter_close(grl_bin_scatter *s);

/* A raw matrix section's arrays, read but not yet checked. */
typedef struct {
    uint64_t head[4]; /* as peeked: nrows, ncols, nvals, flags */
    uint64_t nrows, ncols, nvals;
    uint64_t cols_at; /* where the columns start in the file */
    bool iso;
    GrB_Index *Ap, *Aj;
    double *Ax;
} grl_bin_csr;

/* The next bytes are a raw section that must be nrows x ncols: peek at its
 * head, allocate m's arrays (to sizes bounded by what is left of the file)
 * and make them the destinations; nothing is checked before the read. */
int grl_bin_scatter_csr(grl_bin_scatter *s, grl_bin_csr *m, uint64_t nrows,
                        uint64_t ncols, char *msg);
/* Check m's row pointers: from 0 up to nvals, never decreasing. */
int grl_bin_csr_check_rows(const grl_bin_csr *m, const char *path,
                           const char *what, char *msg);
/* Move m's arrays, its row pointers checked, into a new *A. The columns
 * are not checked here: the caller must check that they ascend in each row
 * and stay below ncols (all GraphBLAS asks of a CSR besides) before *A is
 * used but to borrow its arrays back (the graph loader does as it reads
 * them). */
int grl_bin_csr_to_matrix(GrB_Matrix *A, grl_bin_csr *m, char *msg);
/* Free what m still holds (NULL-safe). */
void grl_bin_csr_release(grl_bin_csr *m);

#endif
