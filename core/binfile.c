/* binfile.c — checksummed binary container and matrix sections (binfile.h). */
#include "binfile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

int grl_bin_create(grl_bin_writer *w, const char *path, char *msg)
{
#define FREE_ALL grl_bin_discard(w)
    memset(w, 0, sizeof(*w));
    w->path = path;
    grl_hash64_init(&w->hash, 0);
    grl_hash64_blocked_init(&w->blocks);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        w->f = fopen(path, "wb");
    } else {
        size_t size = strlen(path) + 40;
        GRL_ALLOC(w->tmp, char, size);
        /* distinct for saves running at once: process and writer */
        snprintf(w->tmp, size, "%s.tmp.%ld.%" PRIxPTR, path, (long)getpid(),
                 (uintptr_t)w);
        /* 0666 less the umask, as fopen would create it */
        int fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        w->f = fd < 0 ? NULL : fdopen(fd, "wb");
        if (fd >= 0 && w->f == NULL) close(fd);
    }
    if (w->f == NULL)
        GRL_FAIL(GRL_IO_ERROR, "%s: cannot open for writing: %s", path,
                 strerror(errno));
    return 0;
#undef FREE_ALL
}

void grl_bin_write(grl_bin_writer *w, const void *data, size_t len)
{
    if (w->failed || len == 0) return;
    if (w->blocked) grl_hash64_blocked_update(&w->blocks, data, len);
    else grl_hash64_update(&w->hash, data, len);
    if (fwrite(data, 1, len, w->f) != len) {
        w->failed = true;
        w->err = errno;
    }
}

void grl_bin_discard(grl_bin_writer *w)
{
    if (w == NULL) return;
    if (w->f) fclose(w->f);
    w->f = NULL;
    if (w->tmp) remove(w->tmp);
    free(w->tmp);
    w->tmp = NULL;
}

int grl_bin_finish(grl_bin_writer *w, char *msg)
{
#define FREE_ALL grl_bin_discard(w)
    uint64_t sum = w->blocked ? grl_hash64_blocked_final(&w->blocks)
                              : grl_hash64_final(&w->hash);
    grl_bin_write(w, &sum, sizeof sum);
    if (w->failed)
        GRL_FAIL(GRL_IO_ERROR, "%s: write failed: %s", w->path,
                 strerror(w->err ? w->err : EIO));
    int rc = fclose(w->f);
    w->f = NULL;
    if (rc != 0)
        GRL_FAIL(GRL_IO_ERROR, "%s: write failed: %s", w->path, strerror(errno));
    if (w->tmp && rename(w->tmp, w->path) != 0)
        GRL_FAIL(GRL_IO_ERROR, "%s: cannot replace it: %s", w->path,
                 strerror(errno));
    free(w->tmp);
    w->tmp = NULL;
    return 0;
#undef FREE_ALL
}

/* LEB128 varints, through a buffer; with w NULL only counted. */
typedef struct {
    grl_bin_writer *w;
    size_t bytes;
    size_t len;
    unsigned char buf[1 << 16];
} varint_out;

static void put_varint(varint_out *o, uint64_t v)
{
    if (o->w == NULL) {
        do o->bytes++; while (v >>= 7);
        return;
    }
    if (o->len > sizeof o->buf - 10) {
        grl_bin_write(o->w, o->buf, o->len);
        o->len = 0;
    }
    size_t start = o->len;
    do {
        o->buf[o->len++] = (unsigned char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
    } while (v >>= 7);
    o->bytes += o->len - start;
}

static void flush_varints(varint_out *o)
{
    if (o->w) grl_bin_write(o->w, o->buf, o->len);
    o->len = 0;
}

enum { M_ISO = 1, M_COUNTS = 2 };

/* Row lengths, then column gaps; with o->w NULL, sizes[0..1] get their
 * byte counts. */
static void put_structure(varint_out *o, const grl_csr *c, uint64_t sizes[2])
{
    o->bytes = 0;
    for (int64_t i = 0; i < c->n; i++) put_varint(o, c->Ap[i + 1] - c->Ap[i]);
    flush_varints(o);
    sizes[0] = o->bytes;
    o->bytes = 0;
    for (int64_t i = 0; i < c->n; i++)
        for (GrB_Index p = c->Ap[i]; p < c->Ap[i + 1]; p++)
            put_varint(o, p == c->Ap[i] ? c->Aj[p] : c->Aj[p] - c->Aj[p - 1] - 1);
    flush_varints(o);
    sizes[1] = o->bytes;
}

/* Values as whole counts c - 1 with x = c * scale exactly, if they all are;
 * false (nothing written) otherwise. */
static bool put_counts(varint_out *o, const grl_csr *c, double scale)
{
    GrB_Index nvals = c->Ap[c->n];
    o->bytes = 0;
    for (GrB_Index p = 0; p < nvals; p++) {
        double k = round(c->Ax[p] / scale);
        if (!(k >= 1 && k <= 0x1p53) || k * scale != c->Ax[p]) return false;
        put_varint(o, (uint64_t)k - 1);
    }
    flush_varints(o);
    return true;
}

int grl_bin_matrix_prepare(grl_bin_matrix *m, GrB_Matrix A, double scale,
                           char *msg)
{
    varint_out *o = NULL;
#define FREE_ALL free(o); grl_bin_matrix_release(m)
    memset(m, 0, sizeof(*m));
    GrB_Index ncols;
    GRB_TRY(GrB_Matrix_ncols(&ncols, A));
    GRL_CALLOC(o, varint_out, 1);
    /* a copy lends its arrays, so A stays usable by other threads */
    GRB_TRY(GrB_Matrix_dup(&m->C, A));
    GRL_TRY(grl_csr_borrow(&m->csr, m->C, true, msg));
    const grl_csr *c = &m->csr;
    uint64_t nvals = c->Ap[c->n], flags = c->iso ? M_ISO : 0;
    put_structure(o, c, m->sizes);
    if (!c->iso && scale > 0 && put_counts(o, c, scale)) flags |= M_COUNTS;
    else scale = 0;
    m->sizes[2] = flags & M_COUNTS ? o->bytes
                                   : sizeof(double) * (c->iso ? 1 : nvals);
    m->head[0] = (uint64_t)c->n;
    m->head[1] = ncols;
    m->head[2] = nvals;
    m->head[3] = flags;
    m->scale = scale;
    m->bytes = sizeof m->head + sizeof scale + sizeof m->sizes +
               m->sizes[0] + m->sizes[1] + m->sizes[2];
    free(o);
    return 0;
#undef FREE_ALL
}

int grl_bin_matrix_prepare_raw(grl_bin_matrix *m, GrB_Matrix A, char *msg)
{
#define FREE_ALL grl_bin_matrix_release(m)
    memset(m, 0, sizeof(*m));
    GrB_Index ncols;
    GRB_TRY(GrB_Matrix_ncols(&ncols, A));
    GRB_TRY(GrB_Matrix_dup(&m->C, A));
    GRL_TRY(grl_csr_borrow(&m->csr, m->C, true, msg));
    const grl_csr *c = &m->csr;
    uint64_t nvals = c->Ap[c->n];
    /* an unweighted graph's matrix is all ones but seldom iso: one value
     * instead of nvals (160 MB for G(1M, 10M)) */
    bool iso = c->iso || nvals > 0;
    for (uint64_t p = 1; p < nvals && !c->iso && iso; p++)
        iso = memcmp(&c->Ax[p], &c->Ax[0], sizeof(double)) == 0;
    m->raw = true;
    m->head[0] = (uint64_t)c->n;
    m->head[1] = ncols;
    m->head[2] = nvals;
    m->head[3] = iso ? M_ISO : 0;
    m->sizes[0] = sizeof(GrB_Index) * ((uint64_t)c->n + 1);
    m->sizes[1] = sizeof(GrB_Index) * nvals;
    m->sizes[2] = sizeof(double) * (iso ? 1 : nvals);
    m->bytes = sizeof m->head + m->sizes[0] + m->sizes[1] + m->sizes[2];
    return 0;
#undef FREE_ALL
}

int grl_bin_matrix_write(grl_bin_writer *w, const grl_bin_matrix *m,
                         char *msg)
{
    varint_out *o = NULL;
#define FREE_ALL free(o)
    if (m->raw) {
        grl_bin_write(w, m->head, sizeof m->head);
        grl_bin_write(w, m->csr.Ap, m->sizes[0]);
        grl_bin_write(w, m->csr.Aj, m->sizes[1]);
        grl_bin_write(w, m->csr.Ax, m->sizes[2]);
        return 0;
    }
    GRL_CALLOC(o, varint_out, 1);
    grl_bin_write(w, m->head, sizeof m->head);
    grl_bin_write(w, &m->scale, sizeof m->scale);
    grl_bin_write(w, m->sizes, sizeof m->sizes);
    o->w = w;
    uint64_t sizes[2];
    put_structure(o, &m->csr, sizes);
    if (m->head[3] & M_COUNTS) put_counts(o, &m->csr, m->scale);
    else grl_bin_write(w, m->csr.Ax, m->sizes[2]);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

void grl_bin_matrix_release(grl_bin_matrix *m)
{
    grl_csr_return(&m->csr, NULL);
    GrB_Matrix_free(&m->C);
}

/* The container's head: the first `got` bytes of a file of `size` bytes
 * (`known` false: a pipe, its size unknown) must start with magic and
 * version and announce the file's size (at least a head and a checksum);
 * *announced gets that size. */
static int check_head(const unsigned char *head, size_t got, bool known,
                      size_t size, const char *path, const char *magic,
                      uint32_t version, const char *what, uint64_t *announced,
                      char *msg)
{
#define FREE_ALL ;
    if (got < 8 || memcmp(head, magic, 8) != 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: not a grl %s file (it does not start with "
                 "\"%.8s\")", path, what, magic);
    uint32_t v;
    if (got < 12)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated %s file (%zu bytes)", path,
                 what, got);
    memcpy(&v, head + 8, sizeof v);
    if (v != version)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: a grl %s file of format version %u; this grl "
                 "reads version %u only: create the file again with it", path,
                 what, v, version);
    if (got < 24 || (known && size < 24 + sizeof(uint64_t)))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated %s file (%zu bytes)", path,
                 what, known ? size : got);
    memcpy(announced, head + 16, sizeof *announced);
    if ((known && *announced != size) || *announced < 24 + sizeof(uint64_t))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: %s %s file: the header announces %"
                 PRIu64 " bytes, the file has %zu", path,
                 known && size < *announced ? "truncated" : "corrupt", what,
                 *announced, size);
    return 0;
#undef FREE_ALL
}

int grl_bin_open(grl_bin_reader *r, const char *path, const char *magic,
                 uint32_t version, const char *what, char *msg)
{
#define FREE_ALL grl_bin_close(r)
    memset(r, 0, sizeof(*r));
    r->path = path;
    r->what = what;
    size_t len;
    GRL_TRY(grl_read_file(path, &r->data, &len, msg));
    uint64_t announced, stored;
    GRL_TRY(check_head((const unsigned char *)r->data, len, true, len, path,
                       magic, version, what, &announced, msg));
    r->len = len - sizeof stored;
    memcpy(&stored, r->data + r->len, sizeof stored);
    if (grl_hash64_of(r->data, r->len, 0) != stored)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: checksum mismatch (the "
                 "file is damaged or truncated)", path, what);
    return 0;
#undef FREE_ALL
}

/* Fail unless `bytes` of `field` fit in the `left` bytes of the file. */
static int check_left(size_t bytes, size_t left, const char *path,
                      const char *what, const char *field, char *msg)
{
#define FREE_ALL ;
    if (bytes > left)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: %s needs %zu bytes, "
                 "%zu are left", path, what, field, bytes, left);
    return 0;
#undef FREE_ALL
}

int grl_bin_take(grl_bin_reader *r, void *out, size_t bytes,
                 const char *field, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(check_left(bytes, r->len - r->pos, r->path, r->what, field, msg));
    memcpy(out, r->data + r->pos, bytes);
    r->pos += bytes;
    return 0;
#undef FREE_ALL
}

/* Fail if `left` bytes were not read. */
static int check_all_read(size_t left, const char *path, const char *what,
                          char *msg)
{
#define FREE_ALL ;
    if (left != 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: %zu unexpected bytes "
                 "after the data", path, what, left);
    return 0;
#undef FREE_ALL
}

int grl_bin_end(grl_bin_reader *r, char *msg)
{
    return check_all_read(r->len - r->pos, r->path, r->what, msg);
}

void grl_bin_close(grl_bin_reader *r)
{
    if (r == NULL) return;
    free(r->data);
    r->data = NULL;
}

/* Next varint of [*p, end) into *v; false if it runs past end or over
 * 64 bits. */
static bool get_varint(const unsigned char **p, const unsigned char *end,
                       uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char b = *(*p)++;
        if (shift == 63 && b > 1) return false;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* Decode row lengths into Ap and column gaps into Aj, checking that they
 * hold exactly nrows rows and nvals columns, ascending, below ncols. */
static bool get_structure(const unsigned char *rows, uint64_t row_bytes,
                          const unsigned char *cols, uint64_t col_bytes,
                          uint64_t nrows, uint64_t ncols, uint64_t nvals,
                          GrB_Index *Ap, GrB_Index *Aj)
{
    const unsigned char *end = rows + row_bytes;
    Ap[0] = 0;
    for (uint64_t i = 0; i < nrows; i++) {
        uint64_t len;
        if (!get_varint(&rows, end, &len) || len > nvals - Ap[i]) return false;
        Ap[i + 1] = Ap[i] + len;
    }
    if (rows != end || Ap[nrows] != nvals) return false;
    end = cols + col_bytes;
    for (uint64_t i = 0; i < nrows; i++)
        for (GrB_Index p = Ap[i]; p < Ap[i + 1]; p++) {
            uint64_t gap;
            if (!get_varint(&cols, end, &gap)) return false;
            uint64_t j = p == Ap[i] ? gap : Aj[p - 1] + 1 + gap;
            if (j >= ncols || (p > Ap[i] && j <= Aj[p - 1])) return false;
            Aj[p] = j;
        }
    return cols == end;
}

/* Counts c - 1 into Ax[p] = c * scale. */
static bool get_counts(const unsigned char *vals, uint64_t val_bytes,
                       uint64_t nvals, double scale, double *Ax)
{
    const unsigned char *end = vals + val_bytes;
    if (!(scale > 0 && isfinite(scale))) return false;
    for (uint64_t p = 0; p < nvals; p++) {
        uint64_t c;
        if (!get_varint(&vals, end, &c) || c >= 0x1p53) return false;
        Ax[p] = (double)(c + 1) * scale;
    }
    return vals == end;
}

int grl_bin_read_matrix(grl_bin_reader *r, GrB_Matrix *A, uint64_t nrows,
                        uint64_t ncols, char *msg)
{
    GrB_Index *Ap = NULL, *Aj = NULL;
    double *Ax = NULL;
#define FREE_ALL free(Ap); free(Aj); free(Ax); GrB_Matrix_free(A)
    *A = NULL;
    uint64_t head[4], sizes[3];
    double scale;
    GRL_TRY(grl_bin_take(r, head, sizeof head, "the matrix header", msg));
    GRL_TRY(grl_bin_take(r, &scale, sizeof scale, "the matrix header", msg));
    GRL_TRY(grl_bin_take(r, sizes, sizeof sizes, "the matrix header", msg));
    uint64_t nvals = head[2], flags = head[3];
    if (head[0] != nrows || head[1] != ncols || flags > M_COUNTS)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: a %" PRIu64 " x %"
                 PRIu64 " matrix (flags %" PRIu64 "), expected %" PRIu64
                 " x %" PRIu64, r->path, r->what, head[0], head[1], flags,
                 nrows, ncols);
    /* every varint takes a byte at least: bound the counts by the bytes
     * left before allocating */
    size_t left = r->len - r->pos;
    size_t plain = flags & M_ISO ? sizeof(double)
                                 : grl_size_mul(nvals, sizeof(double));
    if (sizes[0] > left || sizes[1] > left || sizes[2] > left ||
        sizes[0] + sizes[1] + sizes[2] > left || nrows > sizes[0] ||
        nvals > sizes[1] ||
        (flags & M_COUNTS ? nvals > sizes[2] : sizes[2] != plain))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: a matrix of %" PRIu64
                 " rows and %" PRIu64 " entries in %" PRIu64 " + %" PRIu64
                 " + %" PRIu64 " bytes, %zu are left", r->path, r->what, nrows,
                 nvals, sizes[0], sizes[1], sizes[2], left);
    size_t values = flags & M_ISO ? 1 : nvals;
    GRL_ALLOC(Ap, GrB_Index, grl_size_add(nrows, 1));
    GRL_ALLOC(Aj, GrB_Index, nvals);
    GRL_ALLOC(Ax, double, values);
    const unsigned char *at = (const unsigned char *)r->data + r->pos;
    if (!get_structure(at, sizes[0], at + sizes[0], sizes[1], nrows, ncols,
                       nvals, Ap, Aj))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: the rows and columns "
                 "of the matrix do not decode", r->path, r->what);
    at += sizes[0] + sizes[1];
    if (flags & M_COUNTS) {
        if (!get_counts(at, sizes[2], nvals, scale, Ax))
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: the values of the "
                     "matrix do not decode", r->path, r->what);
    } else {
        memcpy(Ax, at, sizes[2]);
    }
    r->pos += sizes[0] + sizes[1] + sizes[2];
    GRB_TRY(GrB_Matrix_new(A, GrB_FP64, nrows, ncols));
    void *vx = Ax;
    GRB_TRY(GxB_Matrix_pack_CSR(*A, &Ap, &Aj, &vx,
                                sizeof(GrB_Index) * (nrows + 1),
                                sizeof(GrB_Index) * (nvals ? nvals : 1),
                                sizeof(double) * (values ? values : 1),
                                flags & M_ISO, false, NULL));
    Ax = vx;
    return 0;
#undef FREE_ALL
}

/* ---- scatter reader (graph files) ------------------------------------ */

int grl_bin_scatter_open(grl_bin_scatter *s, const char *path,
                         const char *magic, uint32_t version, const char *what,
                         char *msg)
{
#define FREE_ALL grl_bin_scatter_close(s)
    memset(s, 0, sizeof(*s));
    s->path = path;
    s->what = what;
    size_t size;
    GRL_TRY(grl_open_file(path, &s->f, &size, msg));
    struct stat st;
    unsigned char head[24];
    size_t got;
    if (fstat(fileno(s->f), &st) == 0 && S_ISREG(st.st_mode)) {
        size = (size_t)st.st_size;
        ssize_t k = pread(fileno(s->f), head, sizeof head, 0);
        got = k < 0 ? 0 : (size_t)k;
    } else { /* a pipe: read whole, then taken from memory */
        GRL_TRY(grl_read_rest(s->f, 0, path, &s->data, &size, msg));
        got = size < sizeof head ? size : sizeof head;
        memcpy(head, s->data, got);
        s->data_len = size;
    }
    uint64_t announced;
    GRL_TRY(check_head(head, got, true, size, path, magic, version, what,
                       &announced, msg));
    s->len = announced - sizeof(uint64_t);
    return 0;
#undef FREE_ALL
}

/* Read `bytes` at offset `at` of the file into `to`: 0, or the errno of a
 * failed read, or -1 where the file ends first. */
static int read_at(const grl_bin_scatter *s, void *to, size_t bytes,
                   uint64_t at)
{
    if (s->data) {
        if (at > s->data_len || bytes > s->data_len - at) return -1;
        memcpy(to, s->data + at, bytes);
        return 0;
    }
    char *p = to;
    while (bytes > 0) {
        ssize_t k = pread(fileno(s->f), p, bytes, (off_t)at);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return errno ? errno : EIO;
        if (k == 0) return -1;
        p += k;
        bytes -= (size_t)k;
        at += (uint64_t)k;
    }
    return 0;
}

/* The message for a failed read_at (rc != 0) of `field`. */
static int read_failed(const grl_bin_scatter *s, int rc, const char *field,
                       char *msg)
{
#define FREE_ALL ;
    if (rc > 0)
        GRL_FAIL(GRL_IO_ERROR, "%s: read error in %s: %s", s->path, field,
                 strerror(rc));
    GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated %s file: it ends in %s", s->path,
             s->what, field);
#undef FREE_ALL
}

/* Fail unless `bytes` of `field` fit before the checksum after those
 * given a destination. */
static int check_room(const grl_bin_scatter *s, size_t bytes,
                      const char *field, char *msg)
{
    return check_left(bytes, (size_t)(s->len - s->planned), s->path, s->what,
                      field, msg);
}

int grl_bin_scatter_peek(grl_bin_scatter *s, void *out, size_t bytes,
                         const char *field, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(check_room(s, bytes, field, msg));
    int rc = read_at(s, out, bytes, s->planned);
    if (rc != 0) return read_failed(s, rc, field, msg);
    return 0;
#undef FREE_ALL
}

int grl_bin_scatter_into(grl_bin_scatter *s, void *to, size_t bytes,
                         const char *field, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(check_room(s, bytes, field, msg));
    if (bytes == 0) return 0;
    if (s->pieces == GRL_BIN_PIECES) /* a caller's mistake, never a file's */
        GRL_FAIL(GRL_INVALID_ARGUMENT, "%s: more than %d pieces", s->path,
                 GRL_BIN_PIECES);
    s->piece[s->pieces++] = (grl_bin_piece){to, NULL, s->planned, bytes, field};
    s->planned += bytes;
    return 0;
#undef FREE_ALL
}

int grl_bin_scatter_expect(grl_bin_scatter *s, const void *peeked,
                           size_t bytes, const char *field, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(bytes <= sizeof s->reread - s->reread_used,
                "%s: %zu bytes to read again exceed the scratch", s->path,
                bytes);
    if (bytes == 0) return 0;
    unsigned char *to = s->reread + s->reread_used;
    GRL_TRY(grl_bin_scatter_into(s, to, bytes, field, msg));
    s->piece[s->pieces - 1].expect = peeked;
    s->reread_used += bytes;
    return 0;
#undef FREE_ALL
}

/* Read and hash block k: the parts of the pieces within it, each hashed
 * right after its read, while it is in cache. 0 or read_at's code; *piece
 * names the piece that failed. */
static int read_block(const grl_bin_scatter *s, uint64_t k, uint64_t *sum,
                      int *piece)
{
    const uint64_t lo = k * GRL_HASH_BLOCK;
    const uint64_t hi = lo + GRL_HASH_BLOCK < s->len ? lo + GRL_HASH_BLOCK
                                                     : s->len;
    grl_hash64 h;
    grl_hash64_init(&h, 0);
    for (int i = 0; i < s->pieces; i++) {
        const grl_bin_piece *p = &s->piece[i];
        uint64_t a = p->at > lo ? p->at : lo;
        uint64_t b = p->at + p->bytes < hi ? p->at + p->bytes : hi;
        if (a >= b) continue;
        char *to = (char *)p->to + (a - p->at);
        int rc = read_at(s, to, (size_t)(b - a), a);
        if (rc != 0) {
            *piece = i;
            return rc;
        }
        grl_hash64_update(&h, to, (size_t)(b - a));
    }
    *sum = grl_hash64_final(&h);
    return 0;
}

/* Read and hash blocks k0..k1-1 in parallel into sums, then give the
 * hook (if any) each one's bytes from hook->at on; *rc and *failed get the
 * first failure (read_block's code, the piece).
 * The hot path of a .grl reload. G(1M, 10M), 168 MB, warm page cache: 0.10
 * s of CPU where format 3 (one sequential read and hash, then a pass over
 * the columns) took 0.17 s, on 1 and on 2 threads (best of 5, the builds
 * alternated, load ~6). What is left, by perf on 1 thread: the kernel
 * zeroing fresh (huge) pages 40%, checking the columns 29%, the copy from
 * the page cache 16%, the hash 9%. */
static void read_blocks(const grl_bin_scatter *s, uint64_t k0, uint64_t k1,
                        const grl_bin_hook *hook, uint64_t *sums, int *rc,
                        int *failed)
{
    /* blocks are independent: dynamic, as other work may hold a core */
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t k = (int64_t)k0; k < (int64_t)k1; k++) {
        int code, piece = 0;
#pragma omp atomic read
        code = *rc;
        if (code != 0) continue;
        code = read_block(s, (uint64_t)k, &sums[k], &piece);
        if (code != 0) {
#pragma omp critical(grl_bin_scatter_failure)
            if (*rc == 0) {
                *rc = code;
                *failed = piece;
            }
        } else if (hook) {
            uint64_t lo = (uint64_t)k * GRL_HASH_BLOCK;
            uint64_t hi = lo + GRL_HASH_BLOCK < s->len ? lo + GRL_HASH_BLOCK
                                                       : s->len;
            if (hi > hook->at)
                hook->range(hook->ctx, lo > hook->at ? lo : hook->at, hi);
        }
    }
}

int grl_bin_scatter_read(grl_bin_scatter *s, const grl_bin_hook *hook,
                         char *msg)
{
    uint64_t *sums = NULL;
#define FREE_ALL free(sums)
    GRL_TRY(check_all_read((size_t)(s->len - s->planned), s->path, s->what,
                           msg));
    const uint64_t blocks = (s->len + GRL_HASH_BLOCK - 1) / GRL_HASH_BLOCK;
    GRL_ALLOC(sums, uint64_t, blocks);
    /* blocks holding bytes before hook->at first, then `before`, then the
     * rest, each given to the hook as it is read; the block across `at`
     * is given to it first */
    const uint64_t split = hook ? (hook->at + GRL_HASH_BLOCK - 1) / GRL_HASH_BLOCK
                                : blocks;
    int rc = 0, failed = 0, hook_rc = 0;
    char hook_msg[GRL_MSG_LEN] = "";
    read_blocks(s, 0, split, NULL, sums, &rc, &failed);
    if (hook && rc == 0) {
        hook_rc = hook->before(hook->ctx, hook_msg);
        if (hook_rc == 0 && hook->at < split * GRL_HASH_BLOCK && hook->at < s->len)
            hook->range(hook->ctx, hook->at,
                        split * GRL_HASH_BLOCK < s->len ? split * GRL_HASH_BLOCK
                                                        : s->len);
    }
    read_blocks(s, split, blocks, hook_rc == 0 ? hook : NULL, sums, &rc,
                &failed);
    if (rc != 0) return read_failed(s, rc, s->piece[failed].field, msg);
    uint64_t stored;
    rc = read_at(s, &stored, sizeof stored, s->len);
    if (rc != 0) return read_failed(s, rc, "the checksum", msg);
    if (s->data && s->data_len != s->len + sizeof stored)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: its length is not the "
                 "%" PRIu64 " bytes its header announces", s->path, s->what,
                 s->len + sizeof stored);
    if (grl_hash64_of(sums, grl_size_mul(blocks, sizeof *sums), 0) != stored)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: checksum mismatch (the "
                 "file is damaged or truncated)", s->path, s->what);
    for (int i = 0; i < s->pieces; i++) {
        const grl_bin_piece *p = &s->piece[i];
        if (p->expect && memcmp(p->to, p->expect, (size_t)p->bytes) != 0)
            GRL_FAIL(GRL_IO_ERROR, "%s: %s changed while it was read", s->path,
                     p->field);
    }
    if (hook_rc != 0) {
        grl_set_msg(msg, "%s", hook_msg);
        FREE_ALL;
        return hook_rc;
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

void grl_bin_scatter_close(grl_bin_scatter *s)
{
    if (s == NULL) return;
    if (s->f) fclose(s->f);
    free(s->data);
    s->f = NULL;
    s->data = NULL;
}

int grl_bin_scatter_csr(grl_bin_scatter *s, grl_bin_csr *m, uint64_t nrows,
                        uint64_t ncols, char *msg)
{
#define FREE_ALL grl_bin_csr_release(m)
    memset(m, 0, sizeof(*m));
    GRL_TRY(grl_bin_scatter_peek(s, m->head, sizeof m->head,
                                 "the matrix header", msg));
    GRL_TRY(grl_bin_scatter_expect(s, m->head, sizeof m->head,
                                   "the matrix header", msg));
    m->nrows = m->head[0];
    m->ncols = m->head[1];
    m->nvals = m->head[2];
    m->iso = m->head[3] & M_ISO;
    if (m->head[0] != nrows || m->head[1] != ncols || m->head[3] > M_ISO)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: a %" PRIu64 " x %"
                 PRIu64 " matrix (flags %" PRIu64 "), expected %" PRIu64
                 " x %" PRIu64, s->path, s->what, m->head[0], m->head[1],
                 m->head[3], nrows, ncols);
    /* bound the arrays by the bytes left before allocating them */
    const uint64_t left = (s->len - s->planned) / sizeof(uint64_t);
    const uint64_t values = m->iso ? 1 : m->nvals;
    if (nrows >= left || m->nvals > left || values > left ||
        nrows + 1 + m->nvals + values > left)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: a matrix of %" PRIu64
                 " rows and %" PRIu64 " entries cannot be the %" PRIu64
                 " bytes left", s->path, s->what, nrows, m->nvals,
                 (uint64_t)(s->len - s->planned));
    GRL_ALLOC(m->Ap, GrB_Index, nrows + 1);
    GRL_ALLOC(m->Aj, GrB_Index, m->nvals ? m->nvals : 1);
    GRL_ALLOC(m->Ax, double, values ? values : 1);
    GRL_TRY(grl_bin_scatter_into(s, m->Ap, sizeof(GrB_Index) * (nrows + 1),
                                 "the row pointers", msg));
    m->cols_at = s->planned;
    GRL_TRY(grl_bin_scatter_into(s, m->Aj, sizeof(GrB_Index) * m->nvals,
                                 "the columns", msg));
    GRL_TRY(grl_bin_scatter_into(s, m->Ax, sizeof(double) * values,
                                 "the values", msg));
    return 0;
#undef FREE_ALL
}

int grl_bin_csr_check_rows(const grl_bin_csr *m, const char *path,
                           const char *what, char *msg)
{
#define FREE_ALL ;
    const GrB_Index *Ap = m->Ap;
    const int64_t n = (int64_t)m->nrows;
    bool bad = Ap[0] != 0 || Ap[n] != m->nvals;
#pragma omp parallel for schedule(static) reduction(|| : bad) \
    if (n > 100000)
    for (int64_t i = 0; i < n; i++) bad = bad || Ap[i + 1] < Ap[i];
    if (bad)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s file: the row pointers of "
                 "the matrix are not a valid CSR", path, what);
    return 0;
#undef FREE_ALL
}

int grl_bin_csr_to_matrix(GrB_Matrix *A, grl_bin_csr *m, char *msg)
{
#define FREE_ALL GrB_Matrix_free(A)
    *A = NULL;
    const uint64_t values = m->iso ? 1 : m->nvals;
    GRB_TRY(GrB_Matrix_new(A, GrB_FP64, m->nrows, m->ncols));
    void *vx = m->Ax;
    GRB_TRY(GxB_Matrix_pack_CSR(*A, &m->Ap, &m->Aj, &vx,
                                sizeof(GrB_Index) * (m->nrows + 1),
                                sizeof(GrB_Index) * (m->nvals ? m->nvals : 1),
                                sizeof(double) * (values ? values : 1), m->iso,
                                false, NULL));
    m->Ax = vx;
    return 0;
#undef FREE_ALL
}

void grl_bin_csr_release(grl_bin_csr *m)
{
    if (m == NULL) return;
    free(m->Ap);
    free(m->Aj);
    free(m->Ax);
    m->Ap = m->Aj = NULL;
    m->Ax = NULL;
}
