/* test_mpi_ranks.c — grl_mpi against one process, run by ctest under
 * mpirun with 1, 2 and 4 ranks: each rank computes the single-process
 * result on the whole graph (the oracle) and compares its own rows of the
 * distributed one: FastRP byte for byte, exact PPR within 1e-12. Graphs:
 * CA-GrQc (undirected, sparse integer ids), email-Eu-core (directed, with
 * dangling nodes) and a weighted directed random graph. Also: a partition
 * with another number of parts is refused on every rank, and the halo
 * exchange's totals agree across ranks with the manifest. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grl/mpi.h"
#include "testutil.h" /* load_graph, data_path */
#include "fixed_point.h" /* the single-process solve */

static int rank, size, failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "rank %d: %s:%d: ", rank, __FILE__, __LINE__);     \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static char workdir[256];

/* Rank 0 partitions G into k parts in workdir/name; everyone waits. */
static void partition(grl_graph *G, int64_t k, const char *name, char *dir,
                      size_t len)
{
    snprintf(dir, len, "%s/%s", workdir, name);
    char msg[GRL_MSG_LEN] = "";
    int rc = 0;
    if (rank == 0) {
        int64_t n = grl_graph_num_nodes(G);
        int64_t *part = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
        rc = grl_partition_compute(G, k, NULL, part, NULL, msg);
        if (rc == 0) rc = grl_partition_save(G, part, k, dir, msg);
        free(part);
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    CHECK(rc == 0, "partition: %s", msg);
}

static void compare_fastrp(grl_graph *G, grl_mpi_graph *D,
                           const grl_fastrp_options *o, const char *what)
{
    char msg[GRL_MSG_LEN] = "";
    grl_dense *ref = NULL, *mine = NULL;
    int64_t first = -1;
    CHECK(grl_fastrp_embed(&ref, G, o, msg) == 0, "%s: %s", what, msg);
    CHECK(grl_mpi_fastrp_embed(&mine, D, o, &first, msg) == 0, "%s: %s", what, msg);
    if (ref == NULL || mine == NULL) return;
    int64_t rows = mine->rows, total = 0;
    MPI_Allreduce(&rows, &total, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    CHECK(total == ref->rows && first >= 0 && first + rows <= ref->rows &&
          mine->cols == ref->cols, "%s: block of %lld rows at %lld", what,
          (long long)rows, (long long)first);
    if (failures == 0)
        CHECK(memcmp(mine->data, ref->data + first * ref->cols,
                     sizeof(float) * (size_t)(rows * ref->cols)) == 0,
              "%s: FastRP rows %lld.. differ from one process's", what,
              (long long)first);
    grl_dense_free(&ref);
    grl_dense_free(&mine);
}

/* The ways the distributed power chain keeps its blocks (mpi/fastrp.c,
 * powers()): a result from the first power on; the operand becoming the
 * result with the second-to-last power unaccumulated (the last formed over
 * it); the second-to-last's rows alone, the last's weight 0, and,
 * unnormalised with a weight of -1e-300, turning into -0.0f before they
 * meet 0.0f (+0.0f then, as in one process); a single power; and widths
 * that are not a multiple of the products' 8-column slabs (13 = 8 + 5, 3). */
static void fastrp_power_chains(grl_graph *G, grl_mpi_graph *D, const char *what)
{
    static const double chains[][3] = {{1, 0, 0.5}, {0, 0, 1}, {0, 1, 0},
                                       {0, -1e-300, 0}};
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = 24;
    o.seed = 5;
    for (size_t c = 0; c < sizeof chains / sizeof chains[0]; c++) {
        memcpy(o.weights, chains[c], sizeof chains[c]);
        o.normalize = o.standardize = c != 3;
        compare_fastrp(G, D, &o, what);
    }
    o.iterations = 1;
    o.weights[0] = 1;
    compare_fastrp(G, D, &o, what);
    grl_fastrp_options_init(&o);
    for (int64_t dim = 13; dim > 0; dim -= 10) {
        o.dim = dim;
        compare_fastrp(G, D, &o, what);
    }
}

static void compare_ppr(grl_graph *G, grl_mpi_graph *D, grl_dangling_policy pol,
                        const char *what)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t n = grl_graph_num_nodes(G);
    int64_t sources[4] = {0, n / 3, n / 2, n - 1}, k = 4;
    grl_ppr_options opt;
    grl_ppr_options_init(&opt);
    opt.dangling = pol;
    GrB_Matrix P = NULL;
    CHECK(grl_ppr_compute(&P, G, sources, k, &opt, msg) == 0, "%s: %s", what, msg);
    double *ref = calloc((size_t)(n * k), sizeof(double));
    GrB_Index nv = (GrB_Index)(n * k);
    GrB_Index *I = malloc(sizeof(GrB_Index) * nv), *J = malloc(sizeof(GrB_Index) * nv);
    double *X = malloc(sizeof(double) * nv);
    GrB_Matrix_extractTuples_FP64(I, J, X, &nv, P);
    for (GrB_Index t = 0; t < nv; t++) ref[J[t] * k + I[t]] = X[t];
    int64_t rows = grl_mpi_graph_local_nodes(D);
    const int64_t *global = grl_mpi_graph_nodes(D);
    double *mine = malloc(sizeof(double) * (size_t)(rows * k + 1));
    CHECK(grl_mpi_ppr_exact(D, sources, k, &opt, mine, msg) == 0, "%s: %s", what,
          msg);
    double worst = 0;
    for (int64_t r = 0; r < rows; r++)
        for (int64_t s = 0; s < k; s++)
            worst = fmax(worst, fabs(mine[r * k + s] - ref[global[r] * k + s]));
    CHECK(worst <= 1e-12, "%s: PPR differs from one process's by %g", what, worst);
    /* a real result, not two zero vectors: the sources' own scores */
    double mass = 0;
    for (int64_t r = 0; r < rows; r++) mass += mine[r * k];
    MPI_Allreduce(MPI_IN_PLACE, &mass, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    CHECK(mass > 0.5, "%s: the first source's PPR sums to %g", what, mass);
    free(ref); free(I); free(J); free(X); free(mine);
    GrB_Matrix_free(&P);
}

static void compare_walks(grl_graph *G, grl_mpi_graph *D, double restart,
                          const char *what)
{
    char msg[GRL_MSG_LEN] = "";
    grl_walk_options o;
    grl_walk_options_init(&o);
    o.length = 25;
    o.walks_per_node = 2;
    o.restart = restart;
    o.seed = 11;
    int64_t *ref = NULL, *mine = NULL, nref = 0, count = 0, first = -1;
    CHECK(grl_walks_generate(&ref, &nref, G, NULL, 0, &o, msg) == 0, "%s: %s",
          what, msg);
    CHECK(grl_mpi_walks_generate(&mine, &count, D, &o, &first, msg) == 0,
          "%s: %s", what, msg);
    int64_t total = 0;
    MPI_Allreduce(&count, &total, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    CHECK(total == nref && first >= 0 && first + count <= nref,
          "%s: walks %lld.. (%lld of %lld)", what, (long long)first,
          (long long)count, (long long)nref);
    if (mine && ref && first >= 0 && first + count <= nref)
        CHECK(memcmp(mine, ref + first * o.length,
                     sizeof(int64_t) * (size_t)(count * o.length)) == 0,
              "%s: walks %lld.. differ from one process's", what, (long long)first);
    grl_free(ref);
    grl_free(mine);
}

/* Source s's top `top` nodes of the ranks' rows of P (rows x k): every
 * rank's (node, score) pairs gathered, highest score first, ties by node
 * (as grl_ppr_top). */
typedef struct {
    int64_t node;
    double score;
} scored;

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

static int64_t gathered_top(int64_t *out, const double *P, int64_t k, int64_t s,
                            grl_mpi_graph *D, int64_t top)
{
    int64_t rows = grl_mpi_graph_local_nodes(D), n = grl_mpi_graph_num_nodes(D);
    const int64_t *global = grl_mpi_graph_nodes(D);
    scored *mine = malloc(sizeof(scored) * (size_t)(rows + 1));
    scored *all = malloc(sizeof(scored) * (size_t)n);
    int *bytes = malloc(sizeof(int) * (size_t)size), *displ = malloc(sizeof(int) * (size_t)size);
    for (int64_t r = 0; r < rows; r++) mine[r] = (scored){global[r], P[r * k + s]};
    int b = (int)(rows * (int64_t)sizeof(scored));
    MPI_Allgather(&b, 1, MPI_INT, bytes, 1, MPI_INT, MPI_COMM_WORLD);
    displ[0] = 0;
    for (int q = 1; q < size; q++) displ[q] = displ[q - 1] + bytes[q - 1];
    MPI_Allgatherv(mine, b, MPI_BYTE, all, bytes, displ, MPI_BYTE, MPI_COMM_WORLD);
    qsort(all, (size_t)n, sizeof(scored), by_score);
    int64_t c = 0;
    for (; c < top && c < n && all[c].score > 0; c++) out[c] = all[c].node;
    free(mine); free(all); free(bytes); free(displ);
    return c;
}

/* The partitioned PowerWalk index against one process's with the same
 * seed: the same rows (bit for bit), the same rows after a save and load,
 * and queries within 1e-12 whose top-100 lists are one process's, so
 * their precision@100 against exact PPR is the same. */
static void compare_powerwalk(grl_graph *G, grl_mpi_graph *D,
                              grl_dangling_policy pol, const char *what)
{
    char msg[GRL_MSG_LEN] = "", path[600];
    enum { K = 6, TOP = 100 };
    int64_t n = grl_graph_num_nodes(G), rows = grl_mpi_graph_local_nodes(D);
    const int64_t *global = grl_mpi_graph_nodes(D);
    int64_t sources[K] = {0, n / 5, n / 3, n / 2, 2 * n / 3, n - 1};
    grl_ppr_index_options io;
    grl_ppr_index_options_init(&io);
    io.seed = 7;
    grl_ppr_index *ref = NULL;
    grl_mpi_ppr_index *I = NULL, *J = NULL;
    CHECK(grl_ppr_index_build(&ref, G, &io, msg) == 0, "%s: %s", what, msg);
    CHECK(grl_mpi_ppr_index_build(&I, D, &io, msg) == 0, "%s: %s", what, msg);
    snprintf(path, sizeof path, "%s/%s.idx", workdir, what);
    CHECK(grl_mpi_ppr_index_save(I, D, path, msg) == 0, "%s: %s", what, msg);
    CHECK(grl_mpi_ppr_index_load(&J, D, path, msg) == 0, "%s: %s", what, msg);
    if (ref == NULL || I == NULL || J == NULL) goto out;
    {
        /* our rows of the single-process index, tuple for tuple */
        GrB_Index *rsel = malloc(sizeof(GrB_Index) * (size_t)(rows + 1)), nref, nmine;
        for (int64_t r = 0; r < rows; r++) rsel[r] = (GrB_Index)global[r];
        GrB_Matrix R = NULL;
        GrB_Matrix_new(&R, GrB_FP64, (GrB_Index)rows, (GrB_Index)n);
        GrB_Matrix_extract(R, NULL, NULL, grl_ppr_index_matrix(ref), rsel,
                           (GrB_Index)rows, GrB_ALL, (GrB_Index)n, NULL);
        GrB_Matrix_nvals(&nref, R);
        GrB_Matrix_nvals(&nmine, grl_mpi_ppr_index_matrix(J));
        CHECK(nref == nmine && nref >= (GrB_Index)rows, "%s: %llu index entries, "
              "one process %llu", what, (unsigned long long)nmine,
              (unsigned long long)nref);
        GrB_Index *I1 = malloc(sizeof(GrB_Index) * (nref + 1)), *J1 = malloc(sizeof(GrB_Index) * (nref + 1));
        GrB_Index *I2 = malloc(sizeof(GrB_Index) * (nref + 1)), *J2 = malloc(sizeof(GrB_Index) * (nref + 1));
        double *X1 = malloc(sizeof(double) * (nref + 1)), *X2 = malloc(sizeof(double) * (nref + 1));
        GrB_Index n1 = nref, n2 = nref;
        if (nref == nmine) {
            GrB_Matrix_extractTuples_FP64(I1, J1, X1, &n1, R);
            GrB_Matrix_extractTuples_FP64(I2, J2, X2, &n2, grl_mpi_ppr_index_matrix(J));
            CHECK(n1 == n2 && memcmp(I1, I2, sizeof(GrB_Index) * n1) == 0 &&
                  memcmp(J1, J2, sizeof(GrB_Index) * n1) == 0 &&
                  memcmp(X1, X2, sizeof(double) * n1) == 0,
                  "%s: index rows differ from one process's", what);
        }
        free(rsel); free(I1); free(J1); free(I2); free(J2); free(X1); free(X2);
        GrB_Matrix_free(&R);
    }
    {
        grl_ppr_options o;
        grl_ppr_options_init(&o);
        o.method = GRL_PPR_POWERWALK;
        o.dangling = pol;
        o.index = ref;
        grl_ppr_result *top = NULL, *exact = NULL;
        GrB_Matrix Pref = NULL;
        CHECK(grl_ppr_top(&top, G, sources, K, TOP, &o, msg) == 0, "%s: %s", what, msg);
        CHECK(grl_ppr_compute(&Pref, G, sources, K, &o, msg) == 0, "%s: %s", what, msg);
        grl_ppr_options e = o;
        e.method = GRL_PPR_EXACT;
        e.index = NULL;
        CHECK(grl_ppr_top(&exact, G, sources, K, TOP, &e, msg) == 0, "%s: %s", what, msg);
        double *mine = malloc(sizeof(double) * (size_t)(rows * K + 1));
        CHECK(grl_mpi_ppr_powerwalk(D, J, sources, K, &o, mine, msg) == 0,
              "%s: %s", what, msg);
        if (top == NULL || exact == NULL || Pref == NULL) {
            free(mine);
            goto done;
        }
        double worst = 0, x;
        for (int64_t r = 0; r < rows; r++)
            for (int64_t s = 0; s < K; s++) {
                if (GrB_Matrix_extractElement_FP64(&x, Pref, (GrB_Index)s,
                                                   (GrB_Index)global[r]) != GrB_SUCCESS)
                    x = 0;
                worst = fmax(worst, fabs(mine[r * K + s] - x));
            }
        MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        CHECK(worst <= 1e-12, "%s: PowerWalk differs from one process's by %g",
              what, worst);
        double prec_one = 0, prec_mine = 0, ranked = 0;
        for (int64_t s = 0; s < K; s++) {
            int64_t list[TOP], c = gathered_top(list, mine, K, s, D, TOP);
            CHECK(c == top->count[s] &&
                  memcmp(list, top->node + s * TOP, sizeof(int64_t) * (size_t)c) == 0,
                  "%s: source %lld: PowerWalk's top-%d differs from one process's",
                  what, (long long)sources[s], TOP);
            ranked += (double)exact->count[s];
            for (int64_t a = 0; a < exact->count[s]; a++)
                for (int64_t b = 0; b < top->count[s]; b++) {
                    prec_one += exact->node[s * TOP + a] == top->node[s * TOP + b];
                    if (b < c) prec_mine += exact->node[s * TOP + a] == list[b];
                }
        }
        prec_one /= ranked; /* sources in small components rank fewer */
        prec_mine /= ranked;
        if (rank == 0)
            printf("%s (%s): PowerWalk precision@100 on %d ranks %.4f, one "
                   "process %.4f, largest difference %g\n", what,
                   pol == GRL_DANGLING_SOURCE ? "source" : "uniform", size,
                   prec_mine, prec_one, worst);
        CHECK(prec_mine == prec_one && prec_mine > 0.8, "%s: precision@100 %g "
              "on %d ranks, %g on one process", what, prec_mine, size, prec_one);
        free(mine);
    done:
        grl_ppr_result_free(&top);
        grl_ppr_result_free(&exact);
        GrB_Matrix_free(&Pref);
    }
out:
    grl_ppr_index_free(&ref);
    grl_mpi_ppr_index_free(&I);
    grl_mpi_ppr_index_free(&J);
}

/* Dense k x n rows of a k x n GrB matrix (column-major by node: x[j*k+s]). */
static double *dense_rows(GrB_Matrix P, int64_t k, int64_t n)
{
    double *x = calloc((size_t)(n * k + 1), sizeof(double));
    GrB_Index nv = 0;
    GrB_Matrix_nvals(&nv, P);
    GrB_Index *I = malloc(sizeof(GrB_Index) * (nv + 1)), *J = malloc(sizeof(GrB_Index) * (nv + 1));
    double *X = malloc(sizeof(double) * (nv + 1));
    GrB_Matrix_extractTuples_FP64(I, J, X, &nv, P);
    for (GrB_Index t = 0; t < nv; t++) x[J[t] * k + I[t]] = X[t];
    free(I); free(J); free(X);
    return x;
}

/* Forward push over the ranks: the same doubles as over one part on this
 * rank alone (D1, MPI_COMM_SELF), and within push's bound r_max (arcs +
 * dangling nodes) of exact PPR, as one process's push is. */
static void compare_push(grl_graph *G, grl_mpi_graph *D, grl_mpi_graph *D1,
                         const char *what)
{
    char msg[GRL_MSG_LEN] = "";
    enum { K = 4 };
    int64_t n = grl_graph_num_nodes(G), rows = grl_mpi_graph_local_nodes(D);
    const int64_t *global = grl_mpi_graph_nodes(D), *global1 = grl_mpi_graph_nodes(D1);
    int64_t sources[K] = {0, n / 3, n / 2, n - 1};
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.r_max = 1e-6;
    double *mine = malloc(sizeof(double) * (size_t)(rows * K + 1));
    double *one = malloc(sizeof(double) * (size_t)(n * K + 1));
    double *byrow = calloc((size_t)(n * K + 1), sizeof(double));
    CHECK(grl_mpi_ppr_push(D, sources, K, &o, mine, msg) == 0, "%s: %s", what, msg);
    CHECK(grl_mpi_ppr_push(D1, sources, K, &o, one, msg) == 0, "%s: %s", what, msg);
    for (int64_t r = 0; r < n; r++)
        memcpy(byrow + global1[r] * K, one + r * K, sizeof(double) * K);
    int same = 1;
    for (int64_t r = 0; r < rows; r++)
        same &= memcmp(mine + r * K, byrow + global[r] * K, sizeof(double) * K) == 0;
    CHECK(same, "%s: forward push over %d ranks differs from one part's", what, size);
    /* the bound, against exact PPR; one process's push for comparison */
    GrB_Matrix Q = NULL, F = NULL;
    CHECK(grl_ppr_compute(&Q, G, sources, K, &o, msg) == 0, "%s: %s", what, msg);
    o.method = GRL_PPR_PUSH;
    CHECK(grl_ppr_compute(&F, G, sources, K, &o, msg) == 0, "%s: %s", what, msg);
    if (Q && F) {
        double *q = dense_rows(Q, K, n), *f = dense_rows(F, K, n);
        double err[K] = {0}, err_one[K] = {0};
        for (int64_t j = 0; j < n; j++)
            for (int64_t s = 0; s < K; s++) {
                err[s] += fabs(byrow[j * K + s] - q[j * K + s]);
                err_one[s] += fabs(f[j * K + s] - q[j * K + s]);
            }
        double bound = o.r_max * (double)(grl_graph_num_arcs(G) + n), worst = 0, worst_one = 0;
        for (int64_t s = 0; s < K; s++) {
            worst = fmax(worst, err[s]);
            worst_one = fmax(worst_one, err_one[s]);
        }
        if (rank == 0)
            printf("%s: forward push L1 error %.3g over ranks, %.3g one process's, "
                   "bound %.3g\n", what, worst, worst_one, bound);
        CHECK(worst <= bound && worst > 0, "%s: push's L1 error %g, bound %g", what,
              worst, bound);
        free(q);
        free(f);
    }
    GrB_Matrix_free(&Q);
    GrB_Matrix_free(&F);
    free(mine); free(one); free(byrow);
}

/* A weight for arc j -> i (whole-graph ids), column c, in a row of indeg
 * arcs: rows sum to at most 1, so gamma < 1 bounds the contraction. */
static float arc_weight(int64_t i, int64_t j, int64_t c, int64_t indeg)
{
    return (float)((1 + (i * 31 + j * 17 + c * 5) % 7) / (7.0 * (double)indeg));
}

/* The linear fixed point h = gamma A h + b over the ranks against
 * grl_fp_solve_linear over the whole graph: the same floats and steps,
 * with one weight per arc and one per arc and column. */
static void compare_fixed_point(grl_graph *G, grl_mpi_graph *D, const char *what)
{
    char msg[GRL_MSG_LEN] = "";
    enum { d = 6 };
    int64_t n = grl_graph_num_nodes(G), rows = grl_mpi_graph_local_nodes(D);
    const int64_t *global = grl_mpi_graph_nodes(D);
    grl_fp_arcs A = {0};
    float *gw = NULL;
    CHECK(grl_fp_arcs_from_graph(&A, &gw, G, false, false, msg) == 0, "%s: %s",
          what, msg);
    int64_t *ptr = NULL, *src = NULL;
    CHECK(grl_mpi_graph_in_arcs(D, &ptr, &src, msg) == 0, "%s: %s", what, msg);
    int64_t arcs = ptr ? ptr[rows] : 0, total = arcs;
    MPI_Allreduce(&arcs, &total, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    CHECK(total == A.arcs, "%s: %lld incoming arcs over the ranks, %lld in one "
          "process", what, (long long)total, (long long)A.arcs);
    grl_fixed_point_options o;
    grl_fixed_point_options_init(&o);
    o.tol = 1e-6;
    o.max_iter = 1000;
    const float gamma = 0.8f;
    for (int64_t wc = 1; wc <= d && failures == 0; wc += d - 1) {
        float *w = malloc(sizeof(float) * (size_t)(A.arcs * wc + 1));
        float *b = malloc(sizeof(float) * (size_t)(n * d));
        float *h = calloc((size_t)(n * d), sizeof(float)), *spare = calloc((size_t)(n * d), sizeof(float));
        for (int64_t i = 0; i < n; i++) {
            for (int64_t q = A.ptr[i]; q < A.ptr[i + 1]; q++)
                for (int64_t c = 0; c < wc; c++)
                    w[q * wc + c] = arc_weight(i, A.src[q], c, A.ptr[i + 1] - A.ptr[i]);
            for (int64_t c = 0; c < d; c++)
                b[i * d + c] = (float)((i * 13 + c * 7) % 11) / 11.0f - 0.5f;
        }
        double bound = grl_fp_norm_bound(&A, w, wc, gamma);
        grl_fixed_point_report one, dist;
        CHECK(grl_fp_solve_linear(&h, &spare, &A, w, wc, gamma, b, d, false, bound,
                                  what, &o, &one, msg) == 0, "%s: %s", what, msg);
        float *lw = malloc(sizeof(float) * (size_t)(arcs * wc + 1));
        float *lb = malloc(sizeof(float) * (size_t)(rows * d + 1));
        float *lh = calloc((size_t)(rows * d + 1), sizeof(float));
        for (int64_t r = 0; r < rows; r++) {
            int64_t i = global[r];
            for (int64_t q = ptr[r]; q < ptr[r + 1]; q++)
                for (int64_t c = 0; c < wc; c++)
                    lw[q * wc + c] = arc_weight(i, src[q], c, ptr[r + 1] - ptr[r]);
            memcpy(lb + r * d, b + i * d, sizeof(float) * d);
        }
        CHECK(grl_mpi_fixed_point_linear(D, lw, wc, gamma, lb, d, bound, &o, lh,
                                         &dist, msg) == 0, "%s: %s", what, msg);
        int same = 1;
        for (int64_t r = 0; r < rows; r++)
            same &= memcmp(lh + r * d, h + global[r] * d, sizeof(float) * d) == 0;
        CHECK(same && dist.iterations == one.iterations && one.iterations > 5,
              "%s: the fixed point (wc %lld) over %d ranks differs from one "
              "process's (%lld and %lld steps)", what, (long long)wc, size,
              (long long)dist.iterations, (long long)one.iterations);
        if (rank == 0 && wc == 1)
            printf("%s: fixed point in %lld steps, the same floats on %d ranks\n",
                   what, (long long)dist.iterations, size);
        free(w); free(b); free(h); free(spare); free(lw); free(lb); free(lh);
    }
    grl_free(ptr);
    grl_free(src);
    free(gw);
    grl_fp_arcs_release(&A);
}

/* The exchange's totals: rows sent = rows received = the manifest's halos. */
static void check_exchange(grl_mpi_graph *D, const char *dir)
{
    char msg[GRL_MSG_LEN] = "";
    grl_mpi_graph_info info;
    CHECK(grl_mpi_graph_info_get(D, &info, msg) == 0, "%s", msg);
    int64_t mine[2] = {info.halo_rows, info.sent_rows}, all[2];
    MPI_Allreduce(mine, all, 2, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    grl_partition_manifest *M = NULL;
    CHECK(grl_partition_manifest_load(&M, dir, msg) == 0, "%s", msg);
    int64_t halo = 0;
    for (int64_t p = 0; M && p < M->k; p++) halo += M->halo[p];
    CHECK(all[0] == halo && all[1] == halo, "halo rows %lld received, %lld sent, "
          "manifest %lld", (long long)all[0], (long long)all[1], (long long)halo);
    CHECK(info.interior_rows + info.boundary_rows == grl_mpi_graph_local_nodes(D),
          "interior and boundary rows do not add up");
    grl_partition_manifest_free(&M);
}

static void run_graph(grl_graph *G, const char *name, bool directed)
{
    char dir[512], dir1[512], name1[256], msg[GRL_MSG_LEN] = "";
    partition(G, size, name, dir, sizeof dir);
    snprintf(name1, sizeof name1, "%s-whole", name);
    partition(G, 1, name1, dir1, sizeof dir1);
    grl_mpi_graph *D = NULL, *D1 = NULL;
    CHECK(grl_mpi_graph_load(&D, dir, MPI_COMM_WORLD, msg) == 0, "%s: %s", name, msg);
    CHECK(grl_mpi_graph_load(&D1, dir1, MPI_COMM_SELF, msg) == 0, "%s: %s", name, msg);
    if (D == NULL || D1 == NULL) {
        grl_mpi_graph_free(&D);
        grl_mpi_graph_free(&D1);
        return;
    }
    check_exchange(D, dir);
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = 48;
    compare_fastrp(G, D, &o, name);
    o.beta = -0.5;
    o.self_influence = 0.25;
    o.seed = 99;
    o.iterations = 4;
    o.weights[3] = 0.5;
    o.sparsity = 3;
    if (directed) o.direction = GRL_PROPAGATE_IN;
    compare_fastrp(G, D, &o, name);
    o.normalize = false;
    o.standardize = false;
    compare_fastrp(G, D, &o, name);
    fastrp_power_chains(G, D, name);
    compare_ppr(G, D, GRL_DANGLING_SOURCE, name);
    compare_ppr(G, D, GRL_DANGLING_UNIFORM, name);
    compare_walks(G, D, 0, name);
    compare_walks(G, D, 0.2, name);
    compare_powerwalk(G, D, directed ? GRL_DANGLING_UNIFORM : GRL_DANGLING_SOURCE,
                      name);
    compare_push(G, D, D1, name);
    compare_fixed_point(G, D, name);
    grl_mpi_graph_free(&D);
    grl_mpi_graph_free(&D1);
}

/* A weighted directed graph: n nodes, m random arcs, weights in (0, 4]. */
static grl_graph *weighted_graph(int64_t n, int64_t m)
{
    int64_t *src = malloc(sizeof(int64_t) * m), *dst = malloc(sizeof(int64_t) * m);
    double *w = malloc(sizeof(double) * m);
    grl_rng rng;
    grl_rng_init(&rng, 5, 0);
    for (int64_t e = 0; e < m; e++) {
        src[e] = (int64_t)grl_rng_below(&rng, (uint64_t)n);
        dst[e] = (int64_t)grl_rng_below(&rng, (uint64_t)n);
        w[e] = 4.0 - 4.0 * grl_rng_uniform(&rng);
    }
    grl_graph *G = NULL;
    char msg[GRL_MSG_LEN];
    CHECK(grl_graph_from_edges(&G, n, src, dst, w, m, true, NULL, msg) == 0, "%s", msg);
    free(src); free(dst); free(w);
    return G;
}

/* A partition into size + 1 parts is refused, with the same status on
 * every rank. */
static void wrong_rank_count(grl_graph *G)
{
    char dir[512], msg[GRL_MSG_LEN] = "";
    partition(G, size + 1, "wrong", dir, sizeof dir);
    grl_mpi_graph *D = NULL;
    int rc = grl_mpi_graph_load(&D, dir, MPI_COMM_WORLD, msg);
    CHECK(rc == GRL_INVALID_ARGUMENT && D == NULL && strstr(msg, "parts") != NULL,
          "a partition of %d parts on %d ranks: %d (%s)", size + 1, size, rc, msg);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank == 0) {
        snprintf(workdir, sizeof workdir, "/tmp/grl_test_mpi_XXXXXX");
        CHECK(mkdtemp(workdir) != NULL, "mkdtemp failed");
    }
    MPI_Bcast(workdir, sizeof workdir, MPI_CHAR, 0, MPI_COMM_WORLD);
    grl_threads_set(1, NULL); /* ranks share the cores */
    grl_graph *G = load_graph(data_path("ca-grqc/CA-GrQc.txt"), 0);
    if (G) run_graph(G, "ca-grqc", false);
    if (G) wrong_rank_count(G);
    grl_graph_free(&G);
    G = load_graph(data_path("email-eu-core/email-Eu-core.txt"), 1);
    if (G) run_graph(G, "email-eu-core", true);
    grl_graph_free(&G);
    G = weighted_graph(700, 4000);
    if (G) run_graph(G, "weighted", true);
    grl_graph_free(&G);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", workdir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", workdir);
    }
    int all = 0;
    MPI_Allreduce(&failures, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0) printf("test_mpi_ranks on %d ranks: %d failures\n", size, all);
    grl_finalize(NULL);
    MPI_Finalize();
    return all ? 1 : 0;
}
