/* test_mpi_partfile.c — partition directories on disk (graph/part_file.c),
 * without MPI: the parts put back together are the graph (arcs, in-arcs,
 * keys, halos against grl_partition_halos), the bytes do not depend on the
 * thread count, and hostile files (flipped bytes, truncation, a part of
 * another partition, content that passes the checksum but not validation)
 * are refused with messages naming the file. */
#include "testutil.h"

#include "grl_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PART_HEADER_BYTES 64 /* magic, version, flags, length, 5 int64 */

static char *make_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/grl_partfile_XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static char *read_all(const char *path, size_t *len)
{
    char msg[GRL_MSG_LEN], *data = NULL;
    assert_ok(grl_read_file(path, &data, len, msg));
    return data;
}

static void write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The arcs of M (rows renamed by global[], or none) as sorted (i, j, w). */
static int64_t tuples(GrB_Matrix M, const int64_t *global, GrB_Index *I,
                      GrB_Index *J, double *X)
{
    GrB_Index nv;
    assert_int_equal(GrB_Matrix_nvals(&nv, M), 0);
    assert_int_equal(GrB_Matrix_extractTuples_FP64(I, J, X, &nv, M), 0);
    if (global)
        for (GrB_Index t = 0; t < nv; t++) I[t] = (GrB_Index)global[I[t]];
    return (int64_t)nv;
}

/* Every arc of G appears in exactly the part of its tail (out) and of its
 * head (in), with its weight: count them back. */
static void check_parts_are_graph(grl_graph *G, const int64_t *part, int64_t k,
                                  const char *dir)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(G), m = grl_graph_num_arcs(G);
    grl_partition_manifest *M = NULL;
    assert_ok(grl_partition_manifest_load(&M, dir, msg));
    assert_int_equal(M->n, n);
    assert_int_equal(M->k, k);
    assert_int_equal(M->arcs, m);
    assert_int_equal(M->directed, grl_graph_is_directed(G));
    int64_t *hoff = NULL, *hnodes = NULL;
    assert_ok(grl_partition_halos(&hoff, &hnodes, G, part, k, msg));
    GrB_Matrix AT = NULL;
    assert_ok(grl_graph_transpose(G, &AT, msg));
    GrB_Index *I = malloc(8 * (m + 1)), *J = malloc(8 * (m + 1));
    double *X = malloc(8 * (m + 1));
    int64_t out_total = 0, in_total = 0, nodes_total = 0;
    for (int64_t p = 0; p < k; p++) {
        grl_part *P = NULL;
        assert_ok(grl_part_load(&P, dir, M, p, msg));
        nodes_total += P->nodes;
        for (int64_t r = 0; r < P->nodes; r++) {
            assert_int_equal(part[P->global[r]], p);
            assert_int_equal(P->key[r], grl_graph_node_key(G, P->global[r]));
        }
        assert_int_equal(P->halo, hoff[p + 1] - hoff[p]);
        assert_memory_equal(P->halo_global, hnodes + hoff[p], 8 * P->halo);
        for (int64_t h = 0; h < P->halo; h++)
            assert_int_equal(P->halo_owner[h], part[P->halo_global[h]]);
        for (int dir_in = 0; dir_in < 2; dir_in++) {
            GrB_Matrix rows = dir_in ? (P->in ? P->in : P->out) : P->out;
            GrB_Matrix whole = dir_in ? AT : grl_graph_matrix(G);
            int64_t cnt = tuples(rows, P->global, I, J, X);
            for (int64_t t = 0; t < cnt; t++) {
                double w;
                assert_int_equal(GrB_Matrix_extractElement_FP64(&w, whole, I[t], J[t]), 0);
                assert_true(w == X[t]);
            }
            if (dir_in) in_total += cnt;
            else out_total += cnt;
        }
        grl_part_free(&P);
        assert_null(P);
    }
    assert_int_equal(nodes_total, n);
    assert_int_equal(out_total, m);
    assert_int_equal(in_total, m);
    free(I); free(J); free(X);
    grl_free(hoff);
    grl_free(hnodes);
    grl_partition_manifest_free(&M);
}

static void test_round_trip(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    const char *files[2] = {"email-eu-core/email-Eu-core.txt", "ca-grqc/CA-GrQc.txt"};
    for (int f = 0; f < 2; f++) {
        grl_graph *G = load_graph(data_path(files[f]), f == 0 ? 1 : 0);
        int64_t n = grl_graph_num_nodes(G), k = 3;
        int64_t *part = malloc(sizeof(int64_t) * n);
        assert_ok(grl_partition_compute(G, k, NULL, part, NULL, msg));
        char *dir = make_dir();
        assert_ok(grl_partition_save(G, part, k, dir, msg));
        check_parts_are_graph(G, part, k, dir);
        /* ids.txt: present exactly when ids are not 0..n-1 */
        char ids[128];
        snprintf(ids, sizeof ids, "%s/ids.txt", dir);
        assert_int_equal(access(ids, F_OK) == 0, !grl_graph_ids_are_indices(G));
        /* the same bytes with another thread count */
        char path[128], again[96];
        snprintf(path, sizeof path, "%s/part-00001.grlp", dir);
        size_t len1, len2;
        char *one = read_all(path, &len1);
        assert_ok(grl_threads_set(1, msg));
        snprintf(again, sizeof again, "%s/again", dir);
        assert_ok(grl_partition_save(G, part, k, again, msg));
        assert_ok(grl_threads_set(2, msg));
        snprintf(path, sizeof path, "%s/again/part-00001.grlp", dir);
        char *two = read_all(path, &len2);
        assert_int_equal(len1, len2);
        assert_memory_equal(one, two, len1);
        free(one);
        free(two);
        remove_dir(dir);
        free(part);
        grl_graph_free(&G);
    }
}

/* Load part p of dir and expect `code` and `needle` in the message. */
static void expect_part_error(const char *dir, int64_t p, int code,
                              const char *needle)
{
    char msg[GRL_MSG_LEN] = "";
    grl_partition_manifest *M = NULL;
    int rc = grl_partition_manifest_load(&M, dir, msg);
    grl_part *P = (grl_part *)0x1;
    if (rc == 0) rc = grl_part_load(&P, dir, M, p, msg);
    if (rc != code || strstr(msg, needle) == NULL)
        fail_msg("part %lld of %s gave %d '%s'; expected %d and '%s'",
                 (long long)p, dir, rc, msg, code, needle);
    if (rc == 0) grl_part_free(&P);
    else assert_true(P == NULL || P == (grl_part *)0x1);
    grl_partition_manifest_free(&M);
}

/* Rewrite the file's trailing checksum after an edit, so only the
 * validation can catch it. */
static void fix_checksum(char *data, size_t len)
{
    uint64_t sum = grl_hash64_of(data, len - 8, 0);
    memcpy(data + len - 8, &sum, 8);
}

static void test_hostile(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    int64_t n = grl_graph_num_nodes(G);
    int64_t *part = malloc(sizeof(int64_t) * n);
    assert_ok(grl_partition_compute(G, 2, NULL, part, NULL, msg));
    char *dir = make_dir(), other[96], path[128], other_path[128];
    assert_ok(grl_partition_save(G, part, 2, dir, msg));
    snprintf(other, sizeof other, "%s/other", dir);
    grl_partition_options po;
    grl_partition_options_init(&po);
    po.seed = 77;
    assert_ok(grl_partition_compute(G, 2, &po, part, NULL, msg));
    assert_ok(grl_partition_save(G, part, 2, other, msg));
    snprintf(path, sizeof path, "%s/part-00000.grlp", dir);
    snprintf(other_path, sizeof other_path, "%s/part-00000.grlp", other);
    size_t len;
    char *good = read_all(path, &len), *bad = malloc(len);

    /* a flipped byte anywhere: the checksum */
    memcpy(bad, good, len);
    bad[len / 2] ^= 0x10;
    write_all(path, bad, len);
    expect_part_error(dir, 0, GRL_PARSE_ERROR, "part-00000.grlp");
    /* truncated */
    write_all(path, good, len - 20);
    expect_part_error(dir, 0, GRL_PARSE_ERROR, "part-00000.grlp");
    /* a valid part of another partition */
    size_t olen;
    char *foreign = read_all(other_path, &olen);
    write_all(path, foreign, olen);
    expect_part_error(dir, 0, GRL_PARSE_ERROR, "does not belong");
    free(foreign);
    /* content that passes the checksum: a halo node owned by its own part */
    int64_t nodes, halo, own;
    memcpy(&nodes, good + 48, 8);
    memcpy(&halo, good + 56, 8);
    memcpy(&own, good + 40, 8);
    assert_true(halo > 0);
    memcpy(bad, good, len);
    memcpy(bad + PART_HEADER_BYTES + 16 * nodes + 8 * halo, &own, 8);
    fix_checksum(bad, len);
    write_all(path, bad, len);
    grl_part *P = NULL;
    assert_int_equal(grl_part_read(&P, path, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "halo node"));
    assert_null(P);
    /* nodes out of order */
    memcpy(bad, good, len);
    memcpy(bad + PART_HEADER_BYTES, good + PART_HEADER_BYTES + 8, 8);
    fix_checksum(bad, len);
    write_all(path, bad, len);
    assert_int_equal(grl_part_read(&P, path, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "out of order"));
    /* a node count the file cannot hold */
    memcpy(bad, good, len);
    int64_t huge = (int64_t)1 << 40;
    memcpy(bad + 48, &huge, 8);
    fix_checksum(bad, len);
    write_all(path, bad, len);
    assert_int_equal(grl_part_read(&P, path, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "header"));
    write_all(path, good, len);
    expect_part_error(dir, 0, 0, "");
    expect_part_error(dir, 2, GRL_INVALID_ARGUMENT, "outside");

    /* manifests: missing, corrupt */
    grl_partition_manifest *M = NULL;
    assert_int_equal(grl_partition_manifest_load(&M, "/nonexistent-grl", msg),
                     GRL_IO_ERROR);
    snprintf(path, sizeof path, "%s/manifest.grlm", dir);
    char *man = read_all(path, &len);
    int64_t wrong_n = n + 1;
    memcpy(man + 24, &wrong_n, 8);
    fix_checksum(man, len);
    write_all(path, man, len);
    assert_int_equal(grl_partition_manifest_load(&M, dir, msg), GRL_PARSE_ERROR);
    assert_non_null(strstr(msg, "hold"));
    assert_null(M);
    free(man);
    free(good);
    free(bad);
    remove_dir(dir);
    free(part);
    grl_graph_free(&G);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    char msg[GRL_MSG_LEN];
    grl_graph *G = load_graph(data_path("karate/edges.txt"), 0);
    int64_t part[34] = {0};
    part[5] = 3;
    assert_int_equal(grl_partition_save(G, part, 2, "/tmp", msg),
                     GRL_INVALID_ARGUMENT);
    assert_int_equal(grl_partition_save(NULL, part, 2, "/tmp", msg),
                     GRL_INVALID_ARGUMENT);
    part[5] = 0;
    assert_int_equal(grl_partition_save(G, part, 1, "/nonexistent-grl/a/b", msg),
                     GRL_IO_ERROR);
    assert_non_null(strstr(msg, "/nonexistent-grl/a/b"));
    grl_part *P = NULL;
    assert_int_equal(grl_part_read(&P, NULL, msg), GRL_INVALID_ARGUMENT);
    grl_graph_free(&G);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
