/* npz.c — NumPy .npz archives: a zip file of .npy members. The central
 * directory (at the end; zip64 records included: numpy writes members with
 * force_zip64) locates each member; stored members (numpy.savez) are read
 * in place, deflated ones (numpy.savez_compressed) inflated with zlib, and
 * every member's CRC-32 is checked. Every offset and size read from the file
 * is checked against the file's length before use. */
#include "npz.h"

#include <math.h>
#include <zlib.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOCATOR64 0x07064b50u

static uint64_t le(const char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--) v = v << 8 | (uint8_t)p[i];
    return v;
}

/* bytes [at, at + n) lie inside a length-len buffer */
static bool inside(size_t len, uint64_t at, uint64_t n)
{
    return at <= len && n <= len - at;
}

void grl_npz_close(grl_npz *z)
{
    free(z->data);
    memset(z, 0, sizeof(*z));
}

void grl_npz_array_release(grl_npz_array *a)
{
    free(a->v);
    memset(a, 0, sizeof(*a));
}

int grl_npz_open(grl_npz *z, const char *path, char *msg)
{
#define FREE_ALL grl_npz_close(z)
    memset(z, 0, sizeof(*z));
    GRL_TRY(grl_read_file(path, &z->data, &z->len, msg));
    z->path = path;
    const char *d = z->data;
    const size_t len = z->len;
    if (len < 22 || le(d, 4) != SIG_LOCAL)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: not a .npz (zip) file", path);
    /* the end record: 22 bytes + a comment of at most 65535 */
    size_t eocd = SIZE_MAX;
    for (size_t back = 22; back <= len && back <= 22 + 65535; back++)
        if (le(d + len - back, 4) == SIG_EOCD) {
            eocd = len - back;
            break;
        }
    if (eocd == SIZE_MAX)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated .npz: no zip end record", path);
    uint64_t entries = le(d + eocd + 10, 2), size = le(d + eocd + 12, 4),
             offset = le(d + eocd + 16, 4);
    if (entries == 0xffff || size == 0xffffffff || offset == 0xffffffff) {
        if (eocd < 20 || le(d + eocd - 20, 4) != SIG_LOCATOR64)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: zip64 sizes without a zip64 locator", path);
        uint64_t at = le(d + eocd - 12, 8);
        if (!inside(len, at, 56) || le(d + at, 4) != SIG_EOCD64)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: damaged zip64 end record", path);
        entries = le(d + at + 32, 8);
        size = le(d + at + 40, 8);
        offset = le(d + at + 48, 8);
    }
    if (!inside(len, offset, size))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: the zip directory (%" PRIu64 " bytes at "
                 "%" PRIu64 ") lies outside the file", path, size, offset);
    z->cd = (size_t)offset;
    z->cd_end = (size_t)(offset + size);
    z->entries = (int64_t)(entries < INT64_MAX ? entries : INT64_MAX);
    return 0;
#undef FREE_ALL
}

/* The member's data: its bytes in the file (compressed), method, sizes. */
typedef struct {
    const char *bytes;
    uint64_t csize, usize;
    uint32_t crc;
    unsigned method;
} member;

/* Find "name" in the directory; *found false when absent. */
static int find_member(member *m, bool *found, const grl_npz *z,
                       const char *name, char *msg)
{
#define FREE_ALL ;
    const char *d = z->data;
    const size_t want = strlen(name);
    size_t at = z->cd;
    *found = false;
    for (int64_t e = 0; e < z->entries; e++) {
        if (!inside(z->cd_end, at, 46) || le(d + at, 4) != SIG_CENTRAL)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: damaged zip directory entry %" PRId64,
                     z->path, e + 1);
        size_t nlen = le(d + at + 28, 2), xlen = le(d + at + 30, 2),
               clen = le(d + at + 32, 2);
        if (!inside(z->cd_end, at + 46, nlen + xlen + clen))
            GRL_FAIL(GRL_PARSE_ERROR, "%s: damaged zip directory entry %" PRId64,
                     z->path, e + 1);
        const char *entry = d + at;
        at += 46 + nlen + xlen + clen;
        if (nlen != want || memcmp(entry + 46, name, want) != 0) continue;
        unsigned flags = (unsigned)le(entry + 8, 2);
        m->method = (unsigned)le(entry + 10, 2);
        m->crc = (uint32_t)le(entry + 16, 4);
        m->csize = le(entry + 20, 4);
        m->usize = le(entry + 24, 4);
        uint64_t local = le(entry + 42, 4);
        if (flags & 1)
            GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s is encrypted", z->path, name);
        /* zip64 extra field: the saturated values, in this order */
        const char *x = entry + 46 + nlen, *xend = x + xlen;
        while (xend - x >= 4) {
            unsigned id = (unsigned)le(x, 2), sz = (unsigned)le(x + 2, 2);
            if ((size_t)(xend - x - 4) < sz) break;
            const char *p = x + 4, *pend = p + sz;
            if (id == 1) {
                uint64_t *fields[3] = {&m->usize, &m->csize, &local};
                for (int i = 0; i < 3; i++)
                    if (*fields[i] == 0xffffffff) {
                        if (pend - p < 8)
                            GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: damaged "
                                     "zip64 field", z->path, name);
                        *fields[i] = le(p, 8);
                        p += 8;
                    }
            }
            x = pend;
        }
        if (!inside(z->len, local, 30) || le(d + local, 4) != SIG_LOCAL)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: damaged local header",
                     z->path, name);
        uint64_t start = local + 30 + le(d + local + 26, 2) + le(d + local + 28, 2);
        if (!inside(z->len, start, m->csize))
            GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s (%" PRIu64 " bytes) runs past "
                     "the end of the file", z->path, name, m->csize);
        m->bytes = d + start;
        *found = true;
        return 0;
    }
    return 0;
#undef FREE_ALL
}

/* The member's uncompressed bytes into *out (malloc'd), CRC checked. */
static int member_bytes(char **out, const member *m, const grl_npz *z,
                        const char *name, char *msg)
{
    char *buf = NULL;
    z_stream s;
    bool inflating = false;
#define FREE_ALL free(buf); if (inflating) inflateEnd(&s)
    if (m->method != 0 && m->method != 8)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s uses zip compression method %u; "
                 "only stored and deflated members are read", z->path, name,
                 m->method);
    if (m->method == 0 && m->usize != m->csize)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: stored with %" PRIu64 " bytes "
                 "but announces %" PRIu64, z->path, name, m->csize, m->usize);
    /* deflate expands at most 1032:1 */
    if (m->method == 8 && m->usize / 1032 > m->csize + 1)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s announces %" PRIu64 " bytes from %"
                 PRIu64 " compressed", z->path, name, m->usize, m->csize);
    if (m->usize > SIZE_MAX / 2)
        GRL_FAIL(GRL_OUT_OF_MEMORY, "%s: member %s is too large", z->path, name);
    GRL_ALLOC(buf, char, m->usize + 1);
    if (m->method == 0) {
        memcpy(buf, m->bytes, m->usize);
    } else {
        memset(&s, 0, sizeof s);
        if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
            GRL_FAIL(GRL_OUT_OF_MEMORY, "zlib: inflateInit2 failed");
        inflating = true;
        const char *in = m->bytes;
        uint64_t in_left = m->csize, out_done = 0;
        int rc = Z_OK;
        while (rc == Z_OK) { /* uInt-sized slices of input and output */
            if (s.avail_in == 0 && in_left > 0) {
                s.next_in = (Bytef *)in;
                s.avail_in = (uInt)(in_left < (1u << 30) ? in_left : (1u << 30));
                in += s.avail_in;
                in_left -= s.avail_in;
            }
            uint64_t room = m->usize + 1 - out_done;
            s.next_out = (Bytef *)buf + out_done;
            s.avail_out = (uInt)(room < (1u << 30) ? room : (1u << 30));
            uInt before = s.avail_out;
            rc = inflate(&s, Z_NO_FLUSH);
            out_done += before - s.avail_out;
            if (rc == Z_BUF_ERROR && in_left == 0 && s.avail_in == 0) break;
        }
        if (rc != Z_STREAM_END || out_done != m->usize)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: the deflated data is damaged "
                     "(%" PRIu64 " bytes inflated, %" PRIu64 " announced)", z->path,
                     name, out_done, m->usize);
    }
    uLong crc = crc32(0L, Z_NULL, 0);
    for (uint64_t done = 0; done < m->usize;) {
        uInt part = (uInt)(m->usize - done < (1u << 30) ? m->usize - done : (1u << 30));
        crc = crc32(crc, (const Bytef *)buf + done, part);
        done += part;
    }
    if ((uint32_t)crc != m->crc)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s fails its CRC-32 check", z->path,
                 name);
    *out = buf;
    buf = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* dtype code -> width, integer-ness, signedness; false if not read here */
static bool dtype_of(const char *header, int *width, bool *integer, bool *is_signed,
                     bool *boolean)
{
    static const struct {
        const char *code;
        int width;
        bool integer, is_signed, boolean;
    } types[] = {{"'<f4'", 4, false, true, false}, {"'<f8'", 8, false, true, false},
                 {"'<i8'", 8, true, true, false},  {"'<i4'", 4, true, true, false},
                 {"'<i2'", 2, true, true, false},  {"'|i1'", 1, true, true, false},
                 {"'|u1'", 1, true, false, false}, {"'|b1'", 1, true, false, true}};
    const char *descr = strstr(header, "'descr':");
    if (descr == NULL) return false;
    descr += 8;
    while (*descr == ' ') descr++;
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++)
        if (strncmp(descr, types[t].code, 5) == 0) {
            *width = types[t].width;
            *integer = types[t].integer;
            *is_signed = types[t].is_signed;
            *boolean = types[t].boolean;
            return true;
        }
    return false;
}

/* The .npy in buf (len bytes) into *a. */
static int parse_npy(grl_npz_array *a, const char *buf, size_t len,
                     const grl_npz *z, const char *name, char *msg)
{
#define FREE_ALL grl_npz_array_release(a)
    if (len < 10 || memcmp(buf, "\x93NUMPY", 6) != 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s is not a .npy array", z->path, name);
    int version = (uint8_t)buf[6];
    if (version < 1 || version > 3)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s: .npy version %d", z->path, name,
                 version);
    size_t start = version == 1 ? 10 : 12;
    if (len < start)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: truncated .npy header", z->path, name);
    size_t hlen = (size_t)le(buf + 8, version == 1 ? 2 : 4);
    if (hlen > len - start || hlen > 4096)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: truncated or oversized .npy header",
                 z->path, name);
    char header[4097];
    memcpy(header, buf + start, hlen);
    header[hlen] = '\0';
    int width;
    bool integer, is_signed, boolean;
    if (!dtype_of(header, &width, &integer, &is_signed, &boolean))
        GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s: dtype not read (little-endian "
                 "float32/64, int8..64, uint8 or bool only)", z->path, name);
    if (strstr(header, "'fortran_order': True"))
        GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s is in Fortran order", z->path, name);
    const char *shape = strstr(header, "'shape':");
    const char *open = shape ? strchr(shape, '(') : NULL;
    const char *close = open ? strchr(open, ')') : NULL;
    if (close == NULL)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: no shape in the .npy header",
                 z->path, name);
    a->ndim = 0;
    a->shape[0] = a->shape[1] = 1;
    for (const char *p = open + 1; p < close;) {
        while (p < close && (*p == ' ' || *p == ',')) p++;
        if (p == close) break;
        char *stop;
        long long dim = strtoll(p, &stop, 10);
        if (stop == p || stop > close || dim < 0 || a->ndim == 2)
            GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s: shape must be 1 or 2 "
                     "non-negative dimensions", z->path, name);
        a->shape[a->ndim++] = dim;
        p = stop;
    }
    if (a->ndim == 0)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s is a scalar, not an array",
                 z->path, name);
    int64_t count;
    GRL_REQUIRE_MUL_I64(a->shape[0], a->shape[1], "the .npy element count");
    count = a->shape[0] * a->shape[1];
    size_t bytes = grl_size_mul((size_t)count, (size_t)width);
    if (bytes != len - start - hlen)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: %" PRId64 " values of %d bytes "
                 "announced, %zu bytes of data", z->path, name, count, width,
                 len - start - hlen);
    a->count = count;
    a->integer = integer;
    GRL_ALLOC(a->v, double, count);
    const char *p = buf + start + hlen;
    for (int64_t i = 0; i < count; i++, p += width) {
        uint64_t u = le(p, width);
        double x;
        if (!integer) {
            if (width == 4) {
                float f;
                uint32_t w = (uint32_t)u;
                memcpy(&f, &w, 4);
                x = f;
            } else {
                memcpy(&x, &u, 8);
            }
            if (!isfinite(x))
                GRL_FAIL(GRL_PARSE_ERROR, "%s: member %s: value %" PRId64 " is not "
                         "finite", z->path, name, i);
        } else if (is_signed && width < 8 && (u >> (8 * width - 1)) & 1) {
            x = -(double)((~u + 1) & ((1ull << (8 * width)) - 1)); /* two's complement */
        } else if (is_signed && width == 8) {
            int64_t s;
            memcpy(&s, &u, 8);
            if (s > (1ll << 53) || s < -(1ll << 53))
                GRL_FAIL(GRL_UNSUPPORTED, "%s: member %s: integer %" PRId64 " is "
                         "beyond 2^53", z->path, name, s);
            x = (double)s;
        } else {
            x = boolean ? (u != 0) : (double)u;
        }
        a->v[i] = x;
    }
    return 0;
#undef FREE_ALL
}

int grl_npz_read(grl_npz_array *a, bool *found, const grl_npz *z,
                 const char *name, char *msg)
{
    char *buf = NULL;
#define FREE_ALL free(buf)
    memset(a, 0, sizeof(*a));
    char full[128];
    snprintf(full, sizeof full, "%s.npy", name);
    member m;
    GRL_TRY(find_member(&m, found, z, full, msg));
    if (!*found) return 0;
    GRL_TRY(member_bytes(&buf, &m, z, full, msg));
    GRL_TRY(parse_npy(a, buf, (size_t)m.usize, z, full, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
