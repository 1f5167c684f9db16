/* fuzz_mpi_ppr_index.c — grl_mpi_ppr_index_load on one MPI rank
 * (MPI_COMM_SELF): the input is the rank's file of a partitioned PowerWalk
 * index of a one-part partition of G(34, 78), seed 1. A loaded index is
 * checked (shape, finite positive entries) and queried by PowerWalk, whose
 * scores must be finite and non-negative.
 *
 * GRL_FUZZ_WRITE_SEED=PREFIX makes the harness write an index of that
 * partition to PREFIX.00000 (the seed corpus) before fuzzing. */
#include "fuzz.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "grl/mpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64] = "/tmp/grl_fuzz_mpi_XXXXXX", prefix[96], path[128];

static void cleanup(void)
{
    char p[160];
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    if (system(p) != 0) fprintf(stderr, "could not remove %s\n", dir);
    MPI_Finalize();
}

/* MPI on this process alone, the partition and its view. */
static grl_mpi_graph *the_partition(void)
{
    char msg[GRL_MSG_LEN], parts[96];
    int started;
    MPI_Initialized(&started);
    if (!started) MPI_Init(NULL, NULL);
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    atexit(cleanup);
    snprintf(parts, sizeof parts, "%s/parts", dir);
    snprintf(prefix, sizeof prefix, "%s/index", dir);
    snprintf(path, sizeof path, "%s.00000", prefix);
    grl_graph *G = NULL;
    FUZZ_CHECK(grl_graph_generate_erdos_renyi(&G, 34, 78, false, 1, msg) == 0);
    int64_t part[34] = {0};
    FUZZ_CHECK(grl_partition_save(G, part, 1, parts, msg) == 0);
    grl_graph_free(&G);
    grl_mpi_graph *D = NULL;
    FUZZ_CHECK(grl_mpi_graph_load(&D, parts, MPI_COMM_SELF, msg) == 0);
    const char *seed = getenv("GRL_FUZZ_WRITE_SEED");
    if (seed != NULL) {
        grl_mpi_ppr_index *I = NULL;
        grl_ppr_index_options o;
        grl_ppr_index_options_init(&o);
        o.walks = 8;
        FUZZ_CHECK(grl_mpi_ppr_index_build(&I, D, &o, msg) == 0);
        FUZZ_CHECK(grl_mpi_ppr_index_save(I, D, seed, msg) == 0);
        grl_mpi_ppr_index_free(&I);
    }
    return D;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static grl_mpi_graph *D = NULL;
    fuzz_init();
    if (D == NULL) D = the_partition();
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL && (size == 0 || fwrite(data, 1, size, f) == size));
    FUZZ_CHECK(fclose(f) == 0);
    grl_mpi_ppr_index *I = NULL;
    char msg[GRL_MSG_LEN] = "";
    if (grl_mpi_ppr_index_load(&I, D, prefix, msg) < 0) {
        FUZZ_CHECK(I == NULL && msg[0] != '\0');
        return 0;
    }
    GrB_Matrix Q = grl_mpi_ppr_index_matrix(I);
    GrB_Index rows, cols, nvals;
    FUZZ_GRB(GrB_Matrix_nrows(&rows, Q));
    FUZZ_GRB(GrB_Matrix_ncols(&cols, Q));
    FUZZ_GRB(GrB_Matrix_nvals(&nvals, Q));
    FUZZ_CHECK(rows == 34 && cols == 34);
    double *x = malloc(sizeof(double) * (nvals ? nvals : 1));
    FUZZ_CHECK(x != NULL);
    FUZZ_GRB(GrB_Matrix_extractTuples_FP64(NULL, NULL, x, &nvals, Q));
    for (GrB_Index k = 0; k < nvals; k++) FUZZ_CHECK(isfinite(x[k]) && x[k] > 0);
    free(x);
    /* a query at the index's alpha (any other is refused) */
    int64_t sources[2] = {0, 33};
    double P[34 * 2];
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    for (int a = 0; a < 2; a++) {
        o.alpha = a == 0 ? 0.15 : 0.5;
        if (grl_mpi_ppr_powerwalk(D, I, sources, 2, &o, P, msg) == 0)
            for (int k = 0; k < 34 * 2; k++) FUZZ_CHECK(isfinite(P[k]) && P[k] >= 0);
    }
    grl_mpi_ppr_index_free(&I);
    FUZZ_CHECK(I == NULL);
    return 0;
}
