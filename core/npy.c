/* npy.c — NumPy .npy files for dense matrices (format version 1.0: magic,
 * a little-endian uint16 header length, a Python-dict header padded to 64
 * bytes with spaces and a newline, then the raw data). */
#include "grl_internal.h"

#include <errno.h>

#define NPY_MAGIC "\x93NUMPY"

size_t grl_npy_header(unsigned char out[GRL_NPY_HEADER_MAX], int64_t rows,
                      int64_t cols)
{
    char header[128];
    int len = snprintf(header, sizeof header,
                       "{'descr': '<f4', 'fortran_order': False, 'shape': "
                       "(%lld, %lld), }", (long long)rows, (long long)cols);
    int total = 10 + len + 1; /* magic(6) version(2) hlen(2) dict '\n' */
    int pad = (64 - total % 64) % 64;
    memset(header + len, ' ', pad);
    header[len + pad] = '\n';
    uint16_t hlen = (uint16_t)(len + pad + 1);
    unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                (unsigned char)(hlen & 0xff),
                                (unsigned char)(hlen >> 8)};
    memcpy(out, prefix, 10);
    memcpy(out + 10, header, hlen);
    return 10 + (size_t)hlen;
}

int grl_dense_save_npy(const grl_dense *D, const char *path, char *msg)
{
    grl_msg_clear(msg);
    FILE *f = NULL;
#define FREE_ALL if (f) fclose(f)
    GRL_REQUIRE(D != NULL && path != NULL, "grl_dense_save_npy: NULL argument");
    unsigned char header[GRL_NPY_HEADER_MAX];
    size_t hlen = grl_npy_header(header, D->rows, D->cols);
    f = fopen(path, "wb");
    if (f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    size_t count = (size_t)D->rows * (size_t)D->cols;
    bool ok = fwrite(header, 1, hlen, f) == hlen &&
              fwrite(D->data, sizeof(float), count, f) == count;
    if (fclose(f) != 0) ok = false;
    f = NULL;
    if (!ok) GRL_FAIL(GRL_IO_ERROR, "%s: write failed", path);
    return 0;
#undef FREE_ALL
}

int grl_dense_load_npy(grl_dense **D, const char *path, char *msg)
{
    grl_msg_clear(msg);
    char *data = NULL;
#define FREE_ALL free(data); grl_dense_free(D)
    GRL_REQUIRE(D != NULL && path != NULL, "grl_dense_load_npy: NULL argument");
    *D = NULL;
    size_t len;
    GRL_TRY(grl_read_file(path, &data, &len, msg));
    if (len < 10 || memcmp(data, NPY_MAGIC, 6) != 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: not a NumPy .npy file", path);
    if (data[6] != 1 && data[6] != 2 && data[6] != 3)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: .npy version %d not supported", path,
                 data[6]);
    size_t hlen, start;
    if (data[6] == 1) {
        hlen = (uint8_t)data[8] | (size_t)(uint8_t)data[9] << 8;
        start = 10;
    } else {
        if (len < 12) GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated .npy header", path);
        hlen = (uint8_t)data[8] | (size_t)(uint8_t)data[9] << 8 |
               (size_t)(uint8_t)data[10] << 16 | (size_t)(uint8_t)data[11] << 24;
        start = 12;
    }
    if (start + hlen > len)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated .npy header", path);
    char header[512];
    size_t copy = hlen < sizeof header - 1 ? hlen : sizeof header - 1;
    memcpy(header, data + start, copy);
    header[copy] = '\0';
    bool f4 = strstr(header, "'<f4'") != NULL;
    bool f8 = strstr(header, "'<f8'") != NULL;
    if (!f4 && !f8)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: .npy dtype must be little-endian "
                 "float32 or float64", path);
    if (strstr(header, "'fortran_order': True"))
        GRL_FAIL(GRL_UNSUPPORTED, "%s: Fortran-order .npy is not supported "
                 "(save with numpy.ascontiguousarray)", path);
    const char *shape = strstr(header, "'shape':");
    long long rows = -1, cols = -1;
    int closed = 0; /* set only if ')' follows the second dimension */
    if (shape == NULL ||
        sscanf(shape, "'shape': (%lld, %lld)%n", &rows, &cols, &closed) != 2 ||
        closed == 0)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: expected a 2-D array", path);
    if (rows < 0 || cols < 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: negative .npy shape (%lld, %lld)", path,
                 rows, cols);
    size_t width = f4 ? 4 : 8, count = grl_size_mul(rows, cols);
    if (grl_size_mul(count, width) != len - start - hlen)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: truncated file: %lld x %lld values "
                 "announced, %zu bytes of data", path, rows, cols,
                 len - start - hlen);
    GRL_TRY(grl_dense_new(D, rows, cols, msg));
    const char *values = data + start + hlen;
    if (f4) {
        memcpy((*D)->data, values, count * 4);
    } else {
        for (size_t i = 0; i < count; i++) {
            double x;
            memcpy(&x, values + 8 * i, 8);
            (*D)->data[i] = (float)x;
        }
    }
    /* every consumer (features, evaluation) needs finite values */
    int64_t bad = grl_first_nonfinite((*D)->data, (int64_t)count);
    if (bad >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: row %lld, column %lld holds %g (or "
                 "exceeds float32); values must be finite", path,
                 (long long)(bad / cols), (long long)(bad % cols),
                 (double)(*D)->data[bad]);
    free(data);
    return 0;
#undef FREE_ALL
}
