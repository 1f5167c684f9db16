/* test_binary_formats.c — .grl graphs and PPR indexes: round trips, every
 * flipped byte and every truncation refused, hand-made files with a valid
 * checksum but an invalid payload refused by validation, and the same bytes
 * whatever the thread count. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grl_internal.h"
#include "../graph/graph_internal.h" /* grl_arc_check */

/* ---- files as bytes -------------------------------------------------- */

typedef struct {
    unsigned char *p;
    size_t len;
} bytes;

static bytes read_bytes(const char *path)
{
    bytes b = {0};
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    b.len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    b.p = malloc(b.len + 1);
    assert_int_equal(fread(b.p, 1, b.len, f), b.len);
    fclose(f);
    return b;
}

static void write_bytes(const char *path, const void *p, size_t len)
{
    remove(path); /* rewriting in place flushes on ext4: 30 times slower */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, len, f), len);
    fclose(f);
}

static void put(bytes *b, const void *p, size_t len)
{
    if (len == 0) return;
    b->p = realloc(b->p, b->len + len);
    memcpy(b->p + b->len, p, len);
    b->len += len;
}

static void put_u32(bytes *b, uint32_t v) { put(b, &v, sizeof v); }
static void put_u64(bytes *b, uint64_t v) { put(b, &v, sizeof v); }
static void put_f64(bytes *b, double v) { put(b, &v, sizeof v); }

static void put_varint(bytes *b, uint64_t v)
{
    do {
        unsigned char c = (unsigned char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
        put(b, &c, 1);
    } while (v >>= 7);
}

/* A matrix section (core/binfile.h) of plain double values: rows given as
 * (row length, columns ascending, values). */
static void put_matrix(bytes *b, uint64_t nrows, uint64_t ncols,
                       const uint64_t *rowlen, const uint64_t *cols,
                       const double *vals)
{
    bytes rows = {0}, gaps = {0};
    uint64_t nvals = 0;
    for (uint64_t i = 0; i < nrows; i++) {
        put_varint(&rows, rowlen[i]);
        for (uint64_t k = 0; k < rowlen[i]; k++, nvals++)
            put_varint(&gaps, k == 0 ? cols[nvals]
                                     : cols[nvals] - cols[nvals - 1] - 1);
    }
    uint64_t head[4] = {nrows, ncols, nvals, 0};
    put(b, head, sizeof head);
    put_f64(b, 0);
    put_u64(b, rows.len);
    put_u64(b, gaps.len);
    put_u64(b, nvals * sizeof(double));
    put(b, rows.p, rows.len);
    put(b, gaps.p, gaps.len);
    put(b, vals, nvals * sizeof(double));
    free(rows.p);
    free(gaps.p);
}

/* A raw matrix section (core/binfile.h), as graph files hold it: rows
 * given as (row length, columns ascending, values). */
static void put_raw_matrix(bytes *b, uint64_t nrows, uint64_t ncols,
                           const uint64_t *rowlen, const uint64_t *cols,
                           const double *vals)
{
    uint64_t nvals = 0;
    for (uint64_t i = 0; i < nrows; i++) nvals += rowlen[i];
    uint64_t head[4] = {nrows, ncols, nvals, 0}, start = 0;
    put(b, head, sizeof head);
    put_u64(b, 0);
    for (uint64_t i = 0; i < nrows; i++) put_u64(b, start += rowlen[i]);
    put(b, cols, nvals * sizeof(uint64_t));
    put(b, vals, nvals * sizeof(double));
}

/* Set the length at offset 16, append the checksum (the block checksum
 * for a graph, .grl), write a temp file; returns its path (free it). */
static char *finish(bytes *b, const char *suffix)
{
    uint64_t total = b->len + 8;
    memcpy(b->p + 16, &total, 8);
    put_u64(b, strcmp(suffix, ".grl") == 0 ? grl_hash64_blocked_of(b->p, b->len)
                                           : grl_hash64_of(b->p, b->len, 0));
    char *path = strdup(temp_file(suffix, ""));
    write_bytes(path, b->p, b->len);
    free(b->p);
    b->p = NULL;
    b->len = 0;
    return path;
}

/* A .grl header (version 4) for n nodes. */
static void put_grl_header(bytes *b, uint32_t flags, int64_t n,
                           uint64_t id_bytes)
{
    put(b, "GRLGRAF1", 8);
    put_u32(b, 4);
    put_u32(b, flags);
    put_u64(b, 0); /* length, set by finish */
    put_u64(b, (uint64_t)n);
    put_u64(b, 0);
    put_u64(b, 0);
    put_u64(b, id_bytes);
}

/* A PPR index header (version 2). */
static void put_index_header(bytes *b, int64_t n, int64_t walks, double alpha)
{
    put(b, "GRLPPRIX", 8);
    put_u32(b, 2);
    put_u32(b, 0);
    put_u64(b, 0);
    put_u64(b, (uint64_t)n);
    put_u64(b, 4); /* arcs */
    put_u64(b, (uint64_t)walks);
    put_f64(b, alpha);
    put_u64(b, 42);
}

/* ---- checks ---------------------------------------------------------- */

static void assert_same_matrix(GrB_Matrix A, GrB_Matrix B)
{
    GrB_Index na, nb, ra, rb, ca, cb;
    assert_int_equal(GrB_Matrix_nrows(&ra, A), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_nrows(&rb, B), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_ncols(&ca, A), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_ncols(&cb, B), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_nvals(&na, A), GrB_SUCCESS);
    assert_int_equal(GrB_Matrix_nvals(&nb, B), GrB_SUCCESS);
    assert_int_equal(ra, rb);
    assert_int_equal(ca, cb);
    assert_int_equal(na, nb);
    GrB_Index *I[2], *J[2], n[2] = {na, nb};
    double *X[2];
    GrB_Matrix M[2] = {A, B};
    for (int k = 0; k < 2; k++) {
        I[k] = malloc(sizeof(GrB_Index) * (na + 1));
        J[k] = malloc(sizeof(GrB_Index) * (na + 1));
        X[k] = malloc(sizeof(double) * (na + 1));
        assert_int_equal(GrB_Matrix_extractTuples_FP64(I[k], J[k], X[k], &n[k],
                                                       M[k]), GrB_SUCCESS);
    }
    assert_memory_equal(I[0], I[1], sizeof(GrB_Index) * na);
    assert_memory_equal(J[0], J[1], sizeof(GrB_Index) * na);
    assert_memory_equal(X[0], X[1], sizeof(double) * na);
    for (int k = 0; k < 2; k++) {
        free(I[k]);
        free(J[k]);
        free(X[k]);
    }
}

static void assert_same_graph(const grl_graph *G, const grl_graph *H)
{
    int64_t n = grl_graph_num_nodes(G);
    assert_int_equal(grl_graph_num_nodes(H), n);
    assert_int_equal(grl_graph_is_directed(H), grl_graph_is_directed(G));
    assert_int_equal(grl_graph_is_weighted(H), grl_graph_is_weighted(G));
    assert_int_equal(grl_graph_id_kind(H), grl_graph_id_kind(G));
    for (int64_t i = 0; i < n; i++) {
        char a[64], b[64];
        grl_graph_node_id(G, i, a, sizeof a);
        grl_graph_node_id(H, i, b, sizeof b);
        assert_string_equal(a, b);
    }
    assert_same_matrix(grl_graph_matrix(G), grl_graph_matrix(H));
}

/* Loading `path` fails with `code` and a message naming the file and
 * holding `expected`. */
static int load_graph_error(const char *path, const grl_load_options *opt,
                            char *msg)
{
    grl_graph *G = NULL;
    msg[0] = '\0';
    int rc = grl_graph_load(&G, path, opt, msg);
    assert_null(G);
    return rc;
}

static int load_index_error(const char *path, char *msg)
{
    grl_ppr_index *I = NULL;
    msg[0] = '\0';
    int rc = grl_ppr_index_load(&I, path, msg);
    assert_null(I);
    return rc;
}

static void expect_refused(int rc, const char *msg, const char *path,
                           const char *expected)
{
    if (rc >= 0 || strstr(msg, path) == NULL ||
        (expected && strstr(msg, expected) == NULL))
        fail_msg("%s: rc %d, message '%s', expected '%s'", path, rc, msg,
                 expected ? expected : "(any)");
}

/* Every single-byte change (xor 0x01 and 0xff) and every truncation of
 * the file at `path` is refused by `load`, naming the file. */
static void assert_damage_refused(const char *path,
                                  int (*load)(const char *, char *))
{
    char msg[GRL_MSG_LEN];
    bytes good = read_bytes(path);
    const char *bad = temp_file(".bad", "");
    for (size_t i = 0; i < good.len; i++)
        for (int k = 0; k < 2; k++) {
            unsigned char keep = good.p[i];
            good.p[i] ^= k ? 0xff : 0x01;
            write_bytes(bad, good.p, good.len);
            good.p[i] = keep;
            expect_refused(load(bad, msg), msg, bad, NULL);
        }
    for (size_t len = 0; len < good.len; len++) {
        write_bytes(bad, good.p, len);
        expect_refused(load(bad, msg), msg, bad, NULL);
    }
    remove(bad);
    free(good.p);
}

static int load_grl(const char *path, char *msg)
{
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.format = GRL_FORMAT_GRL;
    return load_graph_error(path, &opt, msg);
}

/* The graph file b (its checksum appended here) is refused as corrupt,
 * with a message holding `expected`. */
static void assert_grl_refused(bytes *b, const char *expected)
{
    char msg[GRL_MSG_LEN];
    char *path = finish(b, ".grl");
    int rc = load_grl(path, msg);
    assert_int_equal(rc, GRL_PARSE_ERROR);
    expect_refused(rc, msg, path, expected);
    remove(path);
    free(path);
}

/* ---- tests ----------------------------------------------------------- */

static void test_checksum_is_xxh64(void **state)
{
    (void)state;
    /* reference values of XXH64 with seed 0 */
    assert_true(grl_hash64_of("", 0, 0) == 0xef46db3751d8e999ull);
    assert_true(grl_hash64_of("abc", 3, 0) == 0x44bc2cf5ad770999ull);
    const char *s = "Nobody inspects the spammish repetition";
    assert_true(grl_hash64_of(s, strlen(s), 0) == 0xfbcea83c8a378bf1ull);
    /* streaming in uneven pieces gives the one-shot value */
    unsigned char buf[1000];
    for (int i = 0; i < 1000; i++) buf[i] = (unsigned char)(i * 7 + 3);
    grl_hash64 h;
    grl_hash64_init(&h, 5);
    for (size_t at = 0, step = 1; at < sizeof buf; at += step, step = step % 37 + 3)
        grl_hash64_update(&h, buf + at,
                          at + step > sizeof buf ? sizeof buf - at : step);
    assert_true(grl_hash64_final(&h) == grl_hash64_of(buf, sizeof buf, 5));
}

/* The block checksum is its definition (XXH64 of the blocks' XXH64s, in
 * order), computed here from grl_hash64_of, whole or streamed unevenly,
 * with a short last block or none. */
static void test_block_checksum_definition(void **state)
{
    (void)state;
    const size_t B = GRL_HASH_BLOCK, lens[] = {0, 1, B, 2 * B, 2 * B + 777};
    unsigned char *buf = malloc(2 * B + 777);
    for (size_t i = 0; i < 2 * B + 777; i++)
        buf[i] = (unsigned char)(grl_mix64(i) >> 11);
    for (size_t c = 0; c < sizeof lens / sizeof lens[0]; c++) {
        size_t len = lens[c], blocks = (len + B - 1) / B;
        uint64_t sums[3];
        for (size_t k = 0; k < blocks; k++)
            sums[k] = grl_hash64_of(buf + k * B,
                                    k + 1 < blocks ? B : len - k * B, 0);
        uint64_t expected = grl_hash64_of(sums, blocks * 8, 0);
        assert_true(grl_hash64_blocked_of(buf, len) == expected);
        grl_hash64_blocked h;
        grl_hash64_blocked_init(&h);
        for (size_t at = 0, step = 1; at < len; at += step, step = step * 3 + 1)
            grl_hash64_blocked_update(&h, buf + at,
                                      at + step > len ? len - at : step);
        assert_true(grl_hash64_blocked_final(&h) == expected);
    }
    free(buf);
}

/* BlogCatalog saved (11 blocks) reloads, with 1 and 2 threads, to the
 * graph its text gives; a byte flipped in any block, a truncation at any
 * block's edge are refused. */
static void test_many_blocks_read_in_parallel(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("blogcatalog/edges.txt"), -1);
    const char *path = temp_file(".grl", "");
    assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
    bytes good = read_bytes(path);
    assert_true(good.len > 8 * GRL_HASH_BLOCK);
    for (int threads = 1; threads <= 2; threads++) {
        grl_graph *H = NULL;
        assert_ok(grl_threads_set(threads, msg));
        assert_ok(grl_graph_load(&H, path, NULL, msg));
        assert_same_graph(G, H);
        grl_graph_free(&H);
        const char *bad = temp_file(".grl", "");
        for (size_t start = 0; start < good.len; start += GRL_HASH_BLOCK) {
            good.p[start + 40] ^= 0x10;
            write_bytes(bad, good.p, good.len);
            good.p[start + 40] ^= 0x10;
            expect_refused(load_grl(bad, msg), msg, bad, "checksum mismatch");
            for (size_t cut = start; start > 0 && cut <= start + 1; cut++) {
                write_bytes(bad, good.p, cut);
                expect_refused(load_grl(bad, msg), msg, bad, "truncated");
            }
        }
        remove(bad);
    }
    assert_ok(grl_threads_set(1, msg));
    /* a column equal to the one before it, in one row, across each block
     * edge (they are checked apart), then within a block */
    uint64_t n, id_bytes;
    memcpy(&n, good.p + 24, 8);
    memcpy(&id_bytes, good.p + 48, 8);
    const size_t rows_at = 56 + id_bytes + (8 - id_bytes % 8) % 8 + 32,
                 cols_at = rows_at + 8 * (n + 1);
    uint64_t *Ap = malloc(8 * (n + 1)), arcs;
    memcpy(Ap, good.p + rows_at, 8 * (n + 1));
    memcpy(&arcs, good.p + rows_at - 16, 8);
    int spoilt = 0;
    for (size_t at = cols_at + 8; at < cols_at + 8 * arcs;
         at += at % GRL_HASH_BLOCK ? GRL_HASH_BLOCK - at % GRL_HASH_BLOCK
                                   : GRL_HASH_BLOCK / 2) {
        uint64_t p = (at - cols_at) / 8, i = 0;
        while (Ap[i + 1] <= p) i++;
        if (Ap[i] == p) continue; /* a row's first column */
        bytes b = {0};
        put(&b, good.p, good.len - 8);
        memcpy(b.p + at, b.p + at - 8, 8);
        assert_grl_refused(&b, "not a valid CSR");
        spoilt++;
    }
    assert_true(spoilt > 8);
    free(Ap);
    free(good.p);
    remove(path);
    grl_graph_free(&G);
}

static void test_graph_round_trips(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_load_options opt;
    grl_load_options_init(&opt);
    /* string ids, real weights (not counts), a directed graph, integer ids
     * that are not 0..n-1, a weight that is not whole */
    const char *cases[][2] = {
        {".txt", "b a 2.5\nc b 1\nd a 0.125\n"},
        {".txt", "10 -3\n-3 7\n7 10\n99 10\n"},
    };
    for (int c = 0; c < 2; c++)
        for (int directed = 0; directed < 2; directed++) {
            opt.ids = c == 0 ? GRL_IDS_STRING : GRL_IDS_INTEGER;
            opt.directed = directed;
            grl_graph *G = NULL, *H = NULL;
            assert_ok(grl_graph_load(&G, temp_file(cases[c][0], cases[c][1]),
                                     &opt, msg));
            const char *path = temp_file(".grl", "");
            assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
            assert_ok(grl_graph_load(&H, path, NULL, msg));
            assert_same_graph(G, H);
            grl_graph_free(&G);
            grl_graph_free(&H);
            remove(path);
        }
    /* a real graph, unweighted (values stored as counts) */
    grl_graph *G = load_graph(data_path("karate/edges.txt"), -1), *H = NULL;
    const char *path = temp_file(".grl", "");
    assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
    assert_ok(grl_graph_load(&H, path, NULL, msg));
    assert_same_graph(G, H);
    grl_graph_free(&H);
    grl_graph_free(&G);
    remove(path);
}

static void test_damaged_grl_refused(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), -1);
    const char *path = temp_file(".grl", "");
    assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
    grl_graph_free(&G);
    assert_damage_refused(path, load_grl);
    /* string ids too: the id block is checked by the same checksum */
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.ids = GRL_IDS_STRING;
    assert_ok(grl_graph_load(&G, temp_file(".txt", "x y 2\ny z 3\nz x 1\n"),
                             &opt, msg));
    assert_ok(grl_graph_save(G, path, GRL_FORMAT_AUTO, msg));
    grl_graph_free(&G);
    assert_damage_refused(path, load_grl);
    remove(path);
}

static void test_old_and_foreign_files_refused(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    bytes b = {0};
    /* format 3, one XXH64 over the whole file, is refused: re-create it */
    put_grl_header(&b, 0, 0, 0);
    uint32_t v3 = 3;
    memcpy(b.p + 8, &v3, 4);
    char *old = finish(&b, ".grl");
    int rc = load_graph_error(old, NULL, msg);
    assert_int_equal(rc, GRL_UNSUPPORTED);
    expect_refused(rc, msg, old, "format version 3; this grl reads version 4");
    remove(old);
    free(old);
    const char *path = temp_file(".grl", "1 2\n");
    expect_refused(load_graph_error(path, NULL, msg), msg, path,
                   "not a grl graph file");
}

/* A crafted undirected graph on 3 nodes, identity ids unless `ids` is
 * given, with arcs (row lengths, columns, values). */
static char *craft_graph(uint32_t flags, int64_t n, const void *ids,
                               uint64_t id_bytes, uint64_t nrows,
                               uint64_t ncols, const uint64_t *rowlen,
                               const uint64_t *cols, const double *vals)
{
    bytes b = {0};
    put_grl_header(&b, flags, n, id_bytes);
    put(&b, ids, id_bytes);
    put(&b, "\0\0\0\0\0\0\0", (8 - id_bytes % 8) % 8); /* to a multiple of 8 */
    put_raw_matrix(&b, nrows, ncols, rowlen, cols, vals);
    return finish(&b, ".grl");
}

enum { DIRECTED = 1, STRING_IDS = 4, INT_IDS = 8 };

static void test_invalid_graph_payloads_refused(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    /* the path 0 - 1 - 2, stored both ways */
    const uint64_t len[] = {1, 2, 1}, col[] = {1, 0, 2, 1};
    const double w[] = {1, 1, 2, 2};
    const int64_t ints[] = {5, 7, 9}, dup_ints[] = {5, 7, 5};
    grl_graph *G = NULL;
    /* the crafting is right: the valid files load */
    char *good[2] = {
        craft_graph(0, 3, NULL, 0, 3, 3, len, col, w),
        craft_graph(INT_IDS, 3, ints, sizeof ints, 3, 3, len, col, w)};
    for (int k = 0; k < 2; k++) {
        assert_ok(grl_graph_load(&G, good[k], NULL, msg));
        assert_int_equal(grl_graph_num_arcs(G), 4);
        grl_graph_free(&G);
        remove(good[k]);
        free(good[k]);
    }
    struct {
        char *path;
        const char *expected;
    } bad[] = {
        /* non-square */
        {craft_graph(0, 3, NULL, 0, 3, 4, len, col, w), "a 3 x 4 matrix"},
        /* n disagrees with the matrix, or with the ids */
        {craft_graph(0, 4, NULL, 0, 3, 3, len, col, w), "expected 4 x 4"},
        {craft_graph(INT_IDS, 3, ints, 16, 3, 3, len, col, w),
         "16 bytes of ids for 3 nodes"},
        {craft_graph(STRING_IDS, 3, "a\0b\0", 4, 3, 3, len, col, w),
         "3 node names expected"},
        {craft_graph(STRING_IDS, 3, "a\0b\0c\0d\0", 8, 3, 3, len, col, w),
         "bytes after the 3 node names"},
        /* undirected but asymmetric: 0 -> 1 without 1 -> 0, or unequal
         * weights both ways */
        {craft_graph(0, 3, NULL, 0, 3, 3, (uint64_t[]){1, 1, 1},
                     (uint64_t[]){1, 2, 1}, w),
         "not symmetric"},
        {craft_graph(0, 3, NULL, 0, 3, 3, len, col,
                     (double[]){1, 3, 2, 2}), "not symmetric"},
        /* NaN, infinite, negative and zero weights */
        {craft_graph(DIRECTED, 3, NULL, 0, 3, 3, len, col,
                     (double[]){1, NAN, 2, 2}), "weight nan"},
        {craft_graph(DIRECTED, 3, NULL, 0, 3, 3, len, col,
                     (double[]){1, 1, INFINITY, 2}), "weight inf"},
        {craft_graph(DIRECTED, 3, NULL, 0, 3, 3, len, col,
                     (double[]){1, 1, 2, -2}), "and > 0"},
        {craft_graph(DIRECTED, 3, NULL, 0, 3, 3, len, col,
                     (double[]){0, 1, 2, 2}), "and > 0"},
        /* duplicate ids */
        {craft_graph(INT_IDS, 3, dup_ints, sizeof dup_ints, 3, 3, len, col,
                     w), "node id '5' appears twice"},
        {craft_graph(STRING_IDS, 3, "a\0b\0a\0", 6, 3, 3, len, col, w),
         "node id 'a' appears twice"},
        /* a column out of range, unknown flags */
        {craft_graph(0, 3, NULL, 0, 3, 3, len, (uint64_t[]){1, 0, 3, 1}, w),
         "not a valid CSR"},
        /* columns not ascending in a row */
        {craft_graph(0, 3, NULL, 0, 3, 3, len, (uint64_t[]){1, 2, 0, 1}, w),
         "not a valid CSR"},
        {craft_graph(64, 3, NULL, 0, 3, 3, len, col, w), "flags 0x40"},
        /* n far beyond the file (this looped over 2^62 identity ids) */
        {craft_graph(0, 1LL << 62, NULL, 0, 3, 3, len, col, w),
         "4611686018427387904 nodes"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int rc = load_graph_error(bad[k].path, NULL, msg);
        assert_int_equal(rc, GRL_PARSE_ERROR);
        expect_refused(rc, msg, bad[k].path, bad[k].expected);
    }
    /* non-positive weights load when allowed, as in text files */
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.allow_nonpositive_weights = true;
    assert_ok(grl_graph_load(&G, bad[9].path, &opt, msg));
    grl_graph_free(&G);
    int rc = load_graph_error(bad[7].path, &opt, msg);
    expect_refused(rc, msg, bad[7].path, "weight nan");
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        remove(bad[k].path);
        free(bad[k].path);
    }
    /* the padding after the ids must be zero */
    bytes b = {0};
    put_grl_header(&b, STRING_IDS, 3, 6);
    put(&b, "a\0b\0c\0\0\1", 8);
    put_raw_matrix(&b, 3, 3, len, col, w);
    assert_grl_refused(&b, "padding after the ids is not zero");
}

/* The arc check's two ways through a part of a row of an unweighted
 * matrix, 8 columns at a time and one at a time, give the same sum, and
 * both the answer of a brute-force check of the columns (ascending, below
 * n), on rows of every length around the vector width, each left valid or
 * spoilt at every position. */
static void test_arc_check_wide_matches_scalar(void **state)
{
    (void)state;
    enum { N = 1000, LEN = 40 };
    GrB_Index Ap[2] = {0, LEN}, Aj[LEN] = {0};
    grl_arc_check k;
    grl_arc_check_init(&k, Ap, Aj, NULL, true, N, true);
    const bool wide = grl_arc_check_wide_available();
    uint64_t seed = 1;
    for (GrB_Index len = 0; len <= LEN; len++)
        for (GrB_Index spoil = 0; spoil <= 2 * len; spoil++) {
            GrB_Index j = grl_mix64(seed++) % 50;
            for (GrB_Index p = 0; p < len; p++)
                Aj[p] = j += 1 + grl_mix64(seed++) % 40;
            if (spoil > 0 && spoil <= len) /* repeat the column before */
                Aj[spoil - 1] = spoil > 1 ? Aj[spoil - 2] : N;
            else if (spoil > len) /* out of range */
                Aj[spoil - len - 1] = N + grl_mix64(seed++) % 3;
            bool ok = true;
            for (GrB_Index p = 0; p < len; p++)
                ok = ok && Aj[p] < N && (p == 0 || Aj[p] > Aj[p - 1]);
            const uint64_t i = grl_mix64(seed++) % N;
            for (GrB_Index from = 0; from <= len; from += len / 3 + 1) {
                uint64_t s1, s8;
                bool ok_part = true;
                for (GrB_Index p = from; p < len; p++)
                    ok_part = ok_part && Aj[p] < N &&
                              (p == from || Aj[p] > Aj[p - 1]);
                assert_int_equal(grl_arc_check_iso_part(&k, i, from, len,
                                                        false, &s1), ok_part);
                if (from == 0) assert_int_equal(ok_part, ok);
                if (!wide) continue;
                assert_int_equal(grl_arc_check_iso_part(&k, i, from, len,
                                                        true, &s8), ok_part);
                assert_true(s1 == s8);
            }
        }
}

static void test_asymmetric_real_graph_refused(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    /* a directed graph saved, then flagged undirected with a valid
     * checksum: large enough for every thread to check some columns */
    grl_graph *G = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    const char *saved = temp_file(".grl", "");
    assert_ok(grl_graph_save(G, saved, GRL_FORMAT_AUTO, msg));
    grl_graph_free(&G);
    bytes b = read_bytes(saved);
    remove(saved);
    b.p[12] &= (unsigned char)~DIRECTED;
    b.len -= 8;
    assert_grl_refused(&b, "not symmetric");
}

static void test_index_round_trip_and_check(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), -1);
    grl_graph *E = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    grl_ppr_index *I = NULL, *J = NULL;
    assert_ok(grl_ppr_index_build(&I, G, &(grl_ppr_index_options){.walks = 30, .alpha = 0.2, .seed = 7}, msg));
    const char *path = temp_file(".idx", "");
    assert_ok(grl_ppr_index_save(I, path, msg));
    assert_ok(grl_ppr_index_load(&J, path, msg));
    assert_same_matrix(grl_ppr_index_matrix(I), grl_ppr_index_matrix(J));
    int64_t n, walks;
    double alpha;
    assert_ok(grl_ppr_index_info(J, &n, &walks, &alpha, NULL, msg));
    assert_int_equal(n, 34);
    assert_int_equal(walks, 30);
    assert_true(alpha == 0.2);
    /* queries check the index against the graph and alpha */
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.method = GRL_PPR_POWERWALK;
    o.index = J;
    o.alpha = 0.2;
    int64_t source = 0;
    GrB_Matrix P = NULL;
    assert_ok(grl_ppr_compute(&P, G, &source, 1, &o, msg));
    GrB_Matrix_free(&P);
    assert_true(grl_ppr_compute(&P, E, &source, 1, &o, msg) < 0);
    assert_non_null(strstr(msg, "rebuild it for this graph"));
    o.alpha = 0.15;
    assert_true(grl_ppr_compute(&P, G, &source, 1, &o, msg) < 0);
    assert_non_null(strstr(msg, "alpha = 0.2"));
    grl_ppr_index_free(&J);
    assert_damage_refused(path, load_index_error);
    /* R * n beyond int64 fails before any walk */
    grl_ppr_index_options huge = {.walks = 2305843009213693952LL, .alpha = 0.2,
                                  .seed = 7};
    assert_int_equal(grl_ppr_index_build(&J, G, &huge, msg),
                     GRL_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "too large"));
    assert_null(J);
    grl_ppr_index_free(&I);
    grl_graph_free(&G);
    grl_graph_free(&E);
    remove(path);
}

static char *craft_index(int64_t n, int64_t walks, double alpha,
                               uint64_t size, const double *diag)
{
    bytes b = {0};
    put_index_header(&b, n, walks, alpha);
    uint64_t len[3] = {1, 1, 1}, col[3] = {0, 1, 2};
    put_matrix(&b, size, size, len, col, diag);
    return finish(&b, ".idx");
}

static void test_invalid_index_payloads_refused(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    /* alpha / R = 0.05: entries are whole multiples of it */
    const double ok[] = {0.5, 0.55, 1.5};
    grl_ppr_index *I = NULL;
    char *good = craft_index(3, 10, 0.5, 3, ok);
    assert_ok(grl_ppr_index_load(&I, good, msg));
    grl_ppr_index_free(&I);
    remove(good);
    free(good);
    struct {
        char *path;
        const char *expected;
    } bad[] = {
        {craft_index(3, 10, 0.5, 3, (double[]){0.5, 0.123, 1.5}),
         "not a visit count"},
        {craft_index(3, 10, 0.5, 3, (double[]){0.5, NAN, 1.5}),
         "not a visit count"},
        {craft_index(3, 10, 0.5, 3, (double[]){0.5, -0.5, 1.5}),
         "not a visit count"},
        {craft_index(3, 10, 1.5, 3, ok), "corrupt PPR index header"},
        {craft_index(3, 0, 0.5, 3, ok), "corrupt PPR index header"},
        {craft_index(3, 1LL << 62, 0.5, 3, ok), "corrupt PPR index header"},
        {craft_index(4, 10, 0.5, 3, ok), "expected 4 x 4"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int rc = load_index_error(bad[k].path, msg);
        assert_int_equal(rc, GRL_PARSE_ERROR);
        expect_refused(rc, msg, bad[k].path, bad[k].expected);
        remove(bad[k].path);
        free(bad[k].path);
    }
}

/* The bytes of a saved graph and index, built and saved with `threads`. */
static void save_with_threads(grl_graph *G, int threads, bytes *graph,
                              bytes *index)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_threads_set(threads, msg));
    grl_ppr_index *I = NULL;
    assert_ok(grl_ppr_index_build(&I, G, &(grl_ppr_index_options){.walks = 20, .alpha = 0.15, .seed = 3}, msg));
    const char *gp = temp_file(".grl", ""), *ip = temp_file(".idx", "");
    assert_ok(grl_graph_save(G, gp, GRL_FORMAT_AUTO, msg));
    assert_ok(grl_ppr_index_save(I, ip, msg));
    *graph = read_bytes(gp);
    *index = read_bytes(ip);
    grl_ppr_index_free(&I);
    remove(gp);
    remove(ip);
}

/* A save that fails leaves the file it was to replace as it was (it writes
 * a temporary file and renames it), and never removes a device it writes
 * to in place. */
static void test_failed_save_keeps_the_old_file(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *K = load_graph(data_path("karate/edges.txt"), -1);
    grl_graph *E = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    const char *path = temp_file(".grl", "");
    assert_ok(grl_graph_save(K, path, GRL_FORMAT_AUTO, msg));
    bytes old = read_bytes(path);
    int failures = 0, rc;
    for (int64_t k = 0;; k++) {
        grl_debug_fail_alloc_after(k);
        rc = grl_graph_save(E, path, GRL_FORMAT_AUTO, msg);
        grl_debug_fail_alloc_after(-1);
        if (rc == 0) break;
        failures++;
        bytes now = read_bytes(path);
        assert_int_equal(now.len, old.len);
        assert_memory_equal(now.p, old.p, old.len);
        free(now.p);
    }
    assert_true(failures > 0);
    bytes now = read_bytes(path);
    assert_true(now.len != old.len);
    free(now.p);
    free(old.p);
    remove(path);
    /* /dev/full: written in place, the failure reported, the device kept */
    assert_int_equal(grl_graph_save(K, "/dev/full", GRL_FORMAT_GRL, msg),
                     GRL_IO_ERROR);
    assert_non_null(strstr(msg, "/dev/full"));
    assert_int_equal(access("/dev/full", F_OK), 0);
    grl_graph_free(&K);
    grl_graph_free(&E);
}

static void test_bytes_do_not_depend_on_threads(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("ca-grqc/CA-GrQc.txt"), -1);
    bytes g1, i1, g2, i2;
    save_with_threads(G, 1, &g1, &i1);
    save_with_threads(G, 2, &g2, &i2);
    assert_ok(grl_threads_set(2, msg));
    assert_int_equal(g1.len, g2.len);
    assert_memory_equal(g1.p, g2.p, g1.len);
    assert_int_equal(i1.len, i2.len);
    assert_memory_equal(i1.p, i2.p, i1.len);
    free(g1.p);
    free(g2.p);
    free(i1.p);
    free(i2.p);
    grl_graph_free(&G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum_is_xxh64),
        cmocka_unit_test(test_block_checksum_definition),
        cmocka_unit_test(test_many_blocks_read_in_parallel),
        cmocka_unit_test(test_graph_round_trips),
        cmocka_unit_test(test_damaged_grl_refused),
        cmocka_unit_test(test_old_and_foreign_files_refused),
        cmocka_unit_test(test_invalid_graph_payloads_refused),
        cmocka_unit_test(test_asymmetric_real_graph_refused),
        cmocka_unit_test(test_arc_check_wide_matches_scalar),
        cmocka_unit_test(test_index_round_trip_and_check),
        cmocka_unit_test(test_invalid_index_payloads_refused),
        cmocka_unit_test(test_failed_save_keeps_the_old_file),
        cmocka_unit_test(test_bytes_do_not_depend_on_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
