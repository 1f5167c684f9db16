/* fuzz_partition.c — the partition directory readers: the first byte picks
 * the file, the rest is its content. Even: a part file (grl_part_read);
 * odd: a manifest (grl_partition_manifest_load, through a directory of its
 * own). A part that loads is checked: sizes, ascending disjoint node
 * lists, owners, every arc's column among the part's nodes and halo,
 * finite weights; a manifest: its part sizes add up to n. */
#include "fuzz.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], manifest[96];

static void remove_dir(void)
{
    unlink(manifest);
    rmdir(dir);
}

static const char *manifest_dir(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s/grl-fuzz-dir-XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        FUZZ_CHECK(mkdtemp(dir) != NULL);
        snprintf(manifest, sizeof manifest, "%s/manifest.grlm", dir);
        atexit(remove_dir);
    }
    FILE *f = fopen(manifest, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
    return dir;
}

static void check_arcs(const grl_part *P, GrB_Matrix M)
{
    GrB_Index rows, cols, nvals;
    FUZZ_GRB(GrB_Matrix_nrows(&rows, M));
    FUZZ_GRB(GrB_Matrix_ncols(&cols, M));
    FUZZ_CHECK((int64_t)rows == P->nodes && (int64_t)cols == P->n);
    FUZZ_GRB(GrB_Matrix_nvals(&nvals, M));
    GrB_Index *I = malloc(sizeof(GrB_Index) * (nvals + 1));
    GrB_Index *J = malloc(sizeof(GrB_Index) * (nvals + 1));
    double *X = malloc(sizeof(double) * (nvals + 1));
    if (I && J && X) {
        FUZZ_GRB(GrB_Matrix_extractTuples_FP64(I, J, X, &nvals, M));
        for (GrB_Index t = 0; t < nvals; t++) {
            FUZZ_CHECK(grl_part_column(P, (int64_t)J[t]) >= 0);
            FUZZ_CHECK(isfinite(X[t]));
        }
    }
    free(I); free(J); free(X);
}

static void check_part(const grl_part *P)
{
    FUZZ_CHECK(P->n >= 0 && P->k >= 1 && P->part >= 0 && P->part < P->k);
    FUZZ_CHECK(P->nodes >= 0 && P->nodes <= P->n && P->halo >= 0);
    for (int64_t r = 0; r < P->nodes; r++) {
        FUZZ_CHECK(P->global[r] >= 0 && P->global[r] < P->n);
        FUZZ_CHECK(r == 0 || P->global[r] > P->global[r - 1]);
        FUZZ_CHECK(grl_part_column(P, P->global[r]) == r);
    }
    for (int64_t h = 0; h < P->halo; h++) {
        FUZZ_CHECK(P->halo_owner[h] >= 0 && P->halo_owner[h] < P->k &&
                   P->halo_owner[h] != P->part);
        FUZZ_CHECK(grl_part_column(P, P->halo_global[h]) == P->nodes + h);
    }
    check_arcs(P, P->out);
    FUZZ_CHECK((P->in != NULL) == P->directed);
    if (P->in) check_arcs(P, P->in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (size == 0) return 0;
    char msg[GRL_MSG_LEN] = "";
    if (data[0] % 2 == 0) {
        grl_part *P = NULL;
        const char *path = fuzz_write_file(0, data + 1, size - 1);
        if (grl_part_read(&P, path, msg) < 0) {
            FUZZ_CHECK(P == NULL && msg[0] != '\0');
            return 0;
        }
        check_part(P);
        grl_part_free(&P);
        FUZZ_CHECK(P == NULL);
    } else {
        grl_partition_manifest *M = NULL;
        if (grl_partition_manifest_load(&M, manifest_dir(data + 1, size - 1),
                                        msg) < 0) {
            FUZZ_CHECK(M == NULL && msg[0] != '\0');
            return 0;
        }
        int64_t total = 0;
        for (int64_t p = 0; p < M->k; p++) {
            FUZZ_CHECK(M->nodes[p] >= 0 && M->halo[p] >= 0);
            total += M->nodes[p];
        }
        FUZZ_CHECK(M->k >= 1 && total == M->n);
        grl_partition_manifest_free(&M);
    }
    return 0;
}
