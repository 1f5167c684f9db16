/* test_alloc_failure.c — every public entry point under allocation failure,
 * LAGraph's "brutal malloc": for k = 0, 1, 2, ... attempt k lets the first k
 * allocations through grl's allocator (GraphBLAS's included, its free pool
 * off) succeed and fails every later one, then again failing allocation
 * k + 1 only, until the call runs without a refused allocation. Each failed
 * attempt must return a negative status with a message, leave its output
 * pointers NULL, close the files it opened, leave no half-written file,
 * and leave its inputs intact (the graphs' matrices and the
 * caches a failed call may have started: transpose, degrees). Leaks on those paths are caught when the suite runs under
 * ASan/LSan. Inputs are small (karate) so the thousands of attempts take a
 * second or two. GRL_BRUTAL_VERBOSE=1 prints each failure and the attempts
 * per call; GRL_BRUTAL_THREADS=n runs with n threads (default 1, so attempt
 * k is reproducible).
 *
 * Not covered: igraph's, METIS's, OpenBLAS's and stdio's own allocations
 * (they do not go through grl's allocator), and grl_init (GraphBLAS cannot
 * be initialised twice, so a failed GxB_init cannot be retried). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grl_internal.h"
#include "grl/embed.h"
#include "grl/igraph_bridge.h"
#include "grl/linkpred.h"
#include "grl/optim.h"
#include "grl/walks.h"

enum { KARATE_N = 34, KARATE_M = 78, MAX_ATTEMPTS = 200000 };

/* Fresh for every attempt (calls cache transposes and degrees in a graph):
 * G karate undirected, unweighted; D karate directed u -> v (u < v, so with
 * dangling nodes) with weights 1..5. */
static grl_graph *G, *D;
static char D_path[256];

/* Built once: files in every format, an embedding, labels, an index. */
enum { P_EDGES, P_STRING_IDS, P_SPARSE_IDS, P_CSV, P_MTX, P_MTX_WEIGHTED,
       P_GRL, P_GRAPHML, P_GML, P_PAJEK, P_NPY, P_NPY64, P_FEATURES, P_LABELS,
       P_IDS, P_STRING_LABELS, P_STRING_IDS_LIST, P_INDEX, P_OUT, NPATHS };
static char paths[NPATHS][256];

static grl_dense *E;
static grl_labels *L;
static grl_ppr_index *I;

/* The variant a case runs (a method, a format, ...), set by the test. */
static int64_t variant;

/* Inputs a case builds before its attempt is armed (prepare), released by
 * the driver after it. */
static GrB_Matrix prep_matrix;

static const int64_t PAIR_U[] = {0, 0, 5, 33, 2, 16, 7};
static const int64_t PAIR_V[] = {33, 1, 6, 32, 2, 24, 30};
enum { NPAIRS = 7 };

/* The call under test returns its status; it checks its own outputs (NULL
 * on error) and releases them on success. */
typedef int (*attempt_fn)(char *msg);
typedef void (*prepare_fn)(void);

static GrB_Index index_entries; /* of I, set when it is built */

/* Open file descriptors of this process (a call must close what it opens,
 * on error paths too). */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int count = 0;
    while (readdir(d)) count++;
    closedir(d);
    return count;
}

/* M is a valid matrix with its nvals entries. */
static void check_matrix(GrB_Matrix M, GrB_Index nvals, const char *name,
                         int64_t k)
{
    GrB_Index now = 0;
    if (GxB_Matrix_fprint(M, "M", GxB_SILENT, NULL) != GrB_SUCCESS ||
        GrB_Matrix_nvals(&now, M) != GrB_SUCCESS || now != nvals)
        fail_msg("%s[%" PRId64 "], attempt %" PRId64 ": an input matrix was "
                 "left invalid or changed", name, variant, k);
}

/* The graphs are what they were before the attempt: a valid matrix with
 * the same arcs (not left unpacked by a borrow), and caches that a failed
 * call may have started are either absent or right: the transpose has the
 * same arcs, the degrees in either direction sum to the arcs (unweighted) or
 * to the total weight (weighted). */
static void check_intact(grl_graph *H, int64_t arcs, const char *name,
                         int64_t k)
{
    char msg[GRL_MSG_LEN];
    GrB_Matrix A = grl_graph_matrix(H), AT = NULL;
    if (A == NULL || GxB_Matrix_fprint(A, "A", GxB_SILENT, NULL) != GrB_SUCCESS)
        fail_msg("%s[%" PRId64 "], attempt %" PRId64 ": graph matrix left "
                 "invalid", name, variant, k);
    if (grl_graph_num_arcs(H) != arcs)
        fail_msg("%s[%" PRId64 "], attempt %" PRId64 ": graph has %" PRId64
                 " arcs, not %" PRId64, name, variant, k, grl_graph_num_arcs(H),
                 arcs);
    assert_ok(grl_graph_transpose(H, &AT, msg));
    GrB_Index nvals = 0;
    if (GxB_Matrix_fprint(AT, "AT", GxB_SILENT, NULL) != GrB_SUCCESS ||
        GrB_Matrix_nvals(&nvals, AT) != GrB_SUCCESS || (int64_t)nvals != arcs)
        fail_msg("%s[%" PRId64 "], attempt %" PRId64 ": cached transpose has "
                 "%" PRIu64 " arcs, not %" PRId64, name, variant, k,
                 (uint64_t)nvals, arcs);
    double weight = 0;
    assert_int_equal(GrB_Matrix_reduce_FP64(&weight, NULL,
                                            GrB_PLUS_MONOID_FP64, A, NULL), 0);
    for (int d = 0; d < 4; d++) {
        const double *deg = NULL;
        assert_ok(grl_graph_degree(H, (grl_direction)(d & 1), d & 2, &deg, msg));
        double sum = 0;
        for (int64_t i = 0; i < KARATE_N; i++) sum += deg[i];
        if (sum != (d & 2 ? weight : (double)arcs))
            fail_msg("%s[%" PRId64 "], attempt %" PRId64 ": cached degrees "
                     "(%d) sum to %g", name, variant, k, d, sum);
    }
}

/* The brutal loop, in both modes: attempt k fails every allocation after
 * the first k, or only allocation k + 1. */
static void brutal_mode(const char *name, prepare_fn prepare,
                        attempt_fn attempt, int64_t (*arm)(int64_t))
{
    char msg[GRL_MSG_LEN];
    const char *mode = arm == grl_debug_fail_alloc_only ? "only" : "after";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int64_t k = 0; k < MAX_ATTEMPTS; k++) {
        /* disarmed even if a check inside the last attempt failed the test */
        grl_debug_fail_alloc_after(-1);
        G = load_graph(data_path("karate/edges.txt"), 0);
        D = load_graph(D_path, 1);
        if (prepare) prepare();
        GrB_Index prep_nvals = 0;
        if (prep_matrix) GrB_Matrix_nvals(&prep_nvals, prep_matrix);
        memset(msg, 0, sizeof msg);
        int fds = open_fds();
        arm(k);
        int rc = attempt(msg);
        int64_t refused = grl_debug_fail_alloc_after(-1);
        if (open_fds() != fds)
            fail_msg("%s[%" PRId64 "] (%s %" PRId64 "): %d files left open",
                     name, variant, mode, k, open_fds() - fds);
        if (rc < 0 && refused == 0)
            fail_msg("%s[%" PRId64 "] failed with no allocation refused (%s %"
                     PRId64 "): %d %s", name, variant, mode, k, rc, msg);
        if (rc < 0 && msg[0] == '\0')
            fail_msg("%s[%" PRId64 "] (%s %" PRId64 "): status %d (%s) without "
                     "a message", name, variant, mode, k, rc, grl_status_name(rc));
        if (getenv("GRL_BRUTAL_VERBOSE") && rc >= 0 && refused > 0)
            print_message("  %s[%" PRId64 "] %s %" PRId64 ": TOLERATED %d\n", name,
                          variant, mode, k, rc);
        if (getenv("GRL_BRUTAL_VERBOSE") && rc < 0)
            print_message("  %s[%" PRId64 "] %s %" PRId64 ": %d %s\n", name,
                          variant, mode, k, rc, msg);
        check_intact(G, 2 * KARATE_M, name, k);
        check_intact(D, KARATE_M, name, k);
        /* inputs lent to the call are intact too */
        if (prep_matrix) check_matrix(prep_matrix, prep_nvals, name, k);
        check_matrix(grl_ppr_index_matrix(I), index_entries, name, k);
        GrB_Matrix_free(&prep_matrix);
        grl_graph_free(&G);
        grl_graph_free(&D);
        if (rc >= 0 && refused == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            if (getenv("GRL_BRUTAL_VERBOSE"))
                print_message("%-28s %3" PRId64 " %-5s %6" PRId64
                              " attempts %.3f s\n", name, variant, mode, k + 1,
                              (double)(t1.tv_sec - t0.tv_sec) +
                              1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
            return;
        }
    }
    fail_msg("%s[%" PRId64 "] (%s) still refused allocations after %d attempts",
             name, variant, mode, MAX_ATTEMPTS);
}

static void brutal(const char *name, prepare_fn prepare, attempt_fn attempt)
{
    brutal_mode(name, prepare, attempt, grl_debug_fail_alloc_after);
    brutal_mode(name, prepare, attempt, grl_debug_fail_alloc_only);
}

/* Release an output on success, require it NULL on error. */
#define SETTLE(rc, out, release)                                              \
    do {                                                                      \
        if ((rc) < 0) assert_null(out);                                       \
        else release;                                                         \
    } while (0)

/* An attempt `fn` whose call makes one object `out` of `type`, released
 * with release(&out). */
#define MAKES(fn, type, call, release)                                        \
    static int fn(char *msg)                                                  \
    {                                                                         \
        type out = NULL;                                                      \
        int rc = (call);                                                      \
        SETTLE(rc, out, release(&out));                                       \
        return rc;                                                            \
    }

/* ---------------------------------------------------------------------------
 * Loaders and writers
 * ------------------------------------------------------------------------ */
/* Set to load P_EDGES and P_STRING_IDS with their node sets declared. */
static bool declare_nodes;

static const grl_load_options *load_options(void)
{
    static grl_load_options opt;
    grl_load_options_init(&opt);
    if (variant == P_STRING_IDS) opt.ids = GRL_IDS_STRING;
    if (declare_nodes)
        opt.nodes_path = paths[variant == P_STRING_IDS ? P_STRING_IDS_LIST : P_IDS];
    if (variant == P_SPARSE_IDS) {
        opt.self_loops = GRL_SELF_LOOPS_DROP;
        opt.duplicates = GRL_DUPLICATES_SUM;
    }
    return &opt;
}

MAKES(load, grl_graph *, grl_graph_load(&out, paths[variant], load_options(),
                                        msg), grl_graph_free)

/* An attempt `fn` whose call writes paths[P_OUT]: a failed write leaves no
 * half-written file, only the one it was to replace, as it was, or none. */
static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

#define WRITES(fn, call)                                                      \
    static int fn(char *msg)                                                  \
    {                                                                         \
        off_t before = file_size(paths[P_OUT]);                               \
        int rc = (call);                                                      \
        off_t after = file_size(paths[P_OUT]);                                \
        if (rc < 0 && after != before && after != -1)                         \
            fail_msg("%s[%" PRId64 "]: a failed write changed %s", #fn,       \
                     variant, paths[P_OUT]);                                  \
        return rc;                                                            \
    }

WRITES(save, grl_graph_save(D, paths[P_OUT], (grl_format)variant, msg))
WRITES(npy_save, grl_dense_save_npy(E, paths[P_OUT], msg))

MAKES(npy_load, grl_dense *, grl_dense_load_npy(&out, paths[variant], msg),
      grl_dense_free)
MAKES(features_load, GrB_Matrix,
      grl_features_load(&out, G, paths[P_FEATURES], msg), GrB_Matrix_free)
/* variant 0: integer rows; 1: with an ids file; 2: string ids and labels;
 * 3: the last 4 labelled nodes have no row and get zero rows */
static const grl_labels_options *labels_options(void)
{
    static grl_labels_options opt;
    grl_labels_options_init(&opt);
    if (variant == 1 || variant == 2)
        opt.ids_path = paths[variant == 1 ? P_IDS : P_STRING_IDS_LIST];
    if (variant == 3) opt.missing = GRL_MISSING_ZERO;
    return &opt;
}
MAKES(labels_load, grl_labels *,
      grl_labels_load(&out, paths[variant == 2 ? P_STRING_LABELS : P_LABELS],
                      variant == 3 ? KARATE_N - 4 : KARATE_N, labels_options(),
                      msg), grl_labels_free)
static const int64_t PAIR_LABEL[NPAIRS] = {0, 1, 2, 0, 1, 1, 0};
MAKES(labels_from_pairs, grl_labels *,
      grl_labels_from_pairs(&out, KARATE_N, 3, PAIR_U, PAIR_LABEL, NPAIRS, msg),
      grl_labels_free)

static void test_loaders(void **state)
{
    for (variant = P_EDGES; variant <= P_PAJEK; variant++)
        brutal("grl_graph_load", NULL, load);
    declare_nodes = true;
    for (variant = P_EDGES; variant <= P_STRING_IDS; variant++)
        brutal("grl_graph_load", NULL, load);
    declare_nodes = false;
    for (variant = GRL_FORMAT_EDGELIST; variant <= GRL_FORMAT_PAJEK; variant++)
        brutal("grl_graph_save", NULL, save);
    brutal("grl_dense_save_npy", NULL, npy_save);
    for (variant = P_NPY; variant <= P_NPY64; variant++)
        brutal("grl_dense_load_npy", NULL, npy_load);
    brutal("grl_features_load", NULL, features_load);
    for (variant = 0; variant <= 3; variant++)
        brutal("grl_labels_load", NULL, labels_load);
    brutal("grl_labels_from_pairs", NULL, labels_from_pairs);
}

/* ---------------------------------------------------------------------------
 * Graph operations
 * ------------------------------------------------------------------------ */
static const double PAIR_W[NPAIRS] = {1, 2, 3, 4, 5, 6, 7};
MAKES(from_edges, grl_graph *,
      grl_graph_from_edges(&out, KARATE_N, PAIR_U, PAIR_V,
                           variant ? PAIR_W : NULL, NPAIRS, variant, NULL, msg),
      grl_graph_free)

static void dup_matrix_of_g(void)
{
    assert_int_equal(GrB_Matrix_dup(&prep_matrix, grl_graph_matrix(G)), 0);
}

MAKES(from_matrix, grl_graph *,
      grl_graph_from_matrix(&out, &prep_matrix, false, false, msg),
      grl_graph_free)

static int transpose(char *msg)
{
    GrB_Matrix AT = NULL;
    int rc = grl_graph_transpose(D, &AT, msg);
    if (rc < 0) assert_null(AT);
    return rc;
}

static int degree(char *msg)
{
    const double *deg = NULL;
    int rc = grl_graph_degree(D, (grl_direction)(variant & 1), variant & 2,
                              &deg, msg);
    if (rc < 0) assert_null(deg);
    return rc;
}

static int summary(char *msg)
{
    grl_graph_info info;
    return grl_graph_summary(variant ? D : G, &info, msg);
}

static int components(char *msg)
{
    int64_t comp[KARATE_N], ncomp;
    return grl_graph_components(D, comp, &ncomp, msg);
}

static const int64_t PARTS[KARATE_N] = {0, 0, 0, 0, 1, 1, 1, 0, 2, 2, 1, 0,
    0, 0, 2, 2, 1, 0, 2, 0, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};

static int partition(char *msg)
{
    int64_t part[KARATE_N];
    grl_partition_info info;
    return partition_seeded(variant ? D : G, 3, 7, part, &info, msg);
}

static int partition_evaluate(char *msg)
{
    grl_partition_info info;
    return grl_partition_evaluate(D, PARTS, 3, &info, msg);
}

static int64_t offsets[4];
MAKES(reorder, grl_graph *,
      grl_graph_reorder(&out, variant ? D : G, PARTS, 3, offsets, msg),
      grl_graph_free)

static int halos(char *msg)
{
    int64_t *offsets = NULL, *nodes = NULL;
    int rc = grl_partition_halos(&offsets, &nodes, D, PARTS, 3, msg);
    if (rc < 0) {
        assert_null(offsets);
        assert_null(nodes);
    }
    grl_free(offsets);
    grl_free(nodes);
    return rc;
}

static const int64_t SBM_SIZES[] = {5, 7};
static const double SBM_PREF[] = {0.6, 0.1, 0.1, 0.5};
MAKES(generate, grl_graph *,
      variant == 0 ? grl_graph_generate_erdos_renyi(&out, 20, 40, true, 3, msg)
      : variant == 1 ? grl_graph_generate_barabasi_albert(&out, 20, 2, 3, msg)
      : grl_graph_generate_sbm(&out, 2, SBM_SIZES, SBM_PREF, false, 3, msg),
      grl_graph_free)

static int igraph_roundtrip(char *msg)
{
    igraph_t ig;
    igraph_vector_t w;
    if (igraph_vector_init(&w, 0) != IGRAPH_SUCCESS) fail_msg("igraph_vector_init");
    int rc = grl_graph_to_igraph(D, &ig, &w, msg);
    if (rc >= 0) {
        grl_graph *H = NULL;
        rc = grl_graph_from_igraph(&H, &ig, &w, NULL, msg);
        SETTLE(rc, H, grl_graph_free(&H));
        igraph_destroy(&ig);
    }
    igraph_vector_destroy(&w);
    return rc;
}

static void test_graph_ops(void **state)
{
    for (variant = 0; variant <= 1; variant++)
        brutal("grl_graph_from_edges", NULL, from_edges);
    brutal("grl_graph_from_matrix", dup_matrix_of_g, from_matrix);
    brutal("grl_graph_transpose", NULL, transpose);
    for (variant = 0; variant < 4; variant++)
        brutal("grl_graph_degree", NULL, degree);
    for (variant = 0; variant <= 1; variant++) {
        brutal("grl_graph_summary", NULL, summary);
        brutal("grl_partition_compute", NULL, partition);
        brutal("grl_graph_reorder", NULL, reorder);
    }
    brutal("grl_graph_components", NULL, components);
    brutal("grl_partition_evaluate", NULL, partition_evaluate);
    brutal("grl_partition_halos", NULL, halos);
    for (variant = 0; variant < 3; variant++)
        brutal("grl_generate_*", NULL, generate);
    brutal("grl_graph_to/from_igraph", NULL, igraph_roundtrip);
}

/* ---------------------------------------------------------------------------
 * FastRP
 * ------------------------------------------------------------------------ */
static void load_features(void)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_features_load(&prep_matrix, D, paths[P_FEATURES], msg));
}

static const grl_fastrp_options *fastrp_options(void)
{
    static grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = 16;
    o.beta = variant == 1 ? -0.5 : 0;
    o.direction = (grl_propagation)(variant % 3);
    o.self_influence = variant == 2 ? 0.5 : 0;
    if (prep_matrix) {
        o.features = prep_matrix;
        o.property_ratio = 0.25;
    }
    return &o;
}

MAKES(fastrp, grl_dense *, grl_fastrp_embed(&out, variant ? D : G, fastrp_options(),
                                      msg), grl_dense_free)

static void test_fastrp(void **state)
{
    for (variant = 0; variant < 3; variant++)
        brutal("grl_fastrp_embed", NULL, fastrp);
    variant = 1;
    brutal("grl_fastrp_embed with features", load_features, fastrp);
}

/* ---------------------------------------------------------------------------
 * Walks and personalized PageRank
 * ------------------------------------------------------------------------ */
static void walk_options(grl_walk_options *o)
{
    grl_walk_options_init(o);
    o->length = 8;
    o->walks_per_node = 2;
    if (variant == 2) { o->p = 0.5; o->q = 2; }
    if (variant == 3) o->srrw_alpha = 1;
    if (variant == 4) o->restart = 0.2;
}

static int random_walks(char *msg)
{
    grl_walk_options o;
    walk_options(&o);
    int64_t *walks = NULL, count = 0;
    int rc = grl_walks_generate(&walks, &count, variant == 1 ? D : G, NULL, 0,
                              &o, msg);
    if (rc < 0) assert_null(walks);
    grl_free(walks);
    return rc;
}

static int walker(char *msg)
{
    grl_walk_options o;
    walk_options(&o);
    grl_walker *W = NULL;
    int rc = grl_walker_new(&W, variant == 1 ? D : G, &o, msg);
    if (rc < 0) {
        assert_null(W);
        return rc;
    }
    int64_t out[4 * 8];
    rc = grl_walker_run(W, PAIR_U, NPAIRS, 0, 4, out, msg);
    grl_walker_free(&W);
    return rc;
}

static const grl_ppr_options *ppr_options(void)
{
    static grl_ppr_options o;
    grl_ppr_options_init(&o);
    o.method = (grl_ppr_method)(variant % 5);
    o.dangling = variant >= 5 ? GRL_DANGLING_UNIFORM : GRL_DANGLING_SOURCE;
    o.tol = 1e-4; /* few iterations: each one allocates */
    o.mc_walks = 50;
    o.r_max = o.method == GRL_PPR_PUSH ? 1e-4 : 0;
    if (o.method == GRL_PPR_POWERWALK || variant == 7) o.index = I;
    return &o;
}

MAKES(ppr, GrB_Matrix, grl_ppr_compute(&out, D, PAIR_U, NPAIRS, ppr_options(), msg),
      GrB_Matrix_free)
/* the index was built on D */
MAKES(ppr_top, grl_ppr_result *,
      grl_ppr_top(&out, variant >= 5 || ppr_options()->index ? D : G, PAIR_U,
                  NPAIRS, 5, ppr_options(), msg), grl_ppr_result_free)

static void exact_ppr(void)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_ppr_compute(&prep_matrix, D, PAIR_U, NPAIRS, NULL, msg));
}

MAKES(ppr_top_of, grl_ppr_result *,
      grl_ppr_result_from_matrix(&out, prep_matrix, PAIR_U, 5, msg), grl_ppr_result_free)
MAKES(index_build, grl_ppr_index *,
      grl_ppr_index_build(&out, variant ? D : G,
                          &(grl_ppr_index_options){.walks = 8, .alpha = 0.15, .seed = 3},
                          msg),
      grl_ppr_index_free)

WRITES(index_save, grl_ppr_index_save(I, paths[P_OUT], msg))

MAKES(index_load, grl_ppr_index *, grl_ppr_index_load(&out, paths[P_INDEX], msg),
      grl_ppr_index_free)

static void test_walks(void **state)
{
    for (variant = 0; variant < 5; variant++) {
        brutal("grl_walks_generate", NULL, random_walks);
        brutal("grl_walker_new/run", NULL, walker);
    }
}

static void test_ppr(void **state)
{
    for (variant = 0; variant < 8; variant++) {
        brutal("grl_ppr_compute", NULL, ppr);
        brutal("grl_ppr_top", NULL, ppr_top);
    }
    brutal("grl_ppr_result_from_matrix", exact_ppr, ppr_top_of);
    for (variant = 0; variant <= 1; variant++)
        brutal("grl_ppr_index_build", NULL, index_build);
    brutal("grl_ppr_index_save", NULL, index_save);
    brutal("grl_ppr_index_load", NULL, index_load);
}

/* ---------------------------------------------------------------------------
 * Link prediction
 * ------------------------------------------------------------------------ */
/* variant: method + NMETHODS * (0 undirected, 1 directed, 2 weighted
 * directed, 3 directed PATH pattern) */
static grl_graph *linkpred_options(grl_linkpred_options *o)
{
    grl_linkpred_options_init(o);
    o->method = (grl_linkpred_method)(variant % GRL_LINKPRED_NMETHODS);
    int mode = (int)(variant / GRL_LINKPRED_NMETHODS);
    o->weighted = mode == 2;
    o->pattern = mode == 3 ? GRL_LINKPRED_PATH : GRL_LINKPRED_SUCCESSORS;
    o->katz_length = mode == 3 ? 5 : 3;
    o->block_entries = 64;
    return mode ? D : G;
}

static bool linkpred_supported(void)
{
    grl_linkpred_options o;
    linkpred_options(&o);
    switch (o.method) {
    case GRL_LINKPRED_CN: case GRL_LINKPRED_AA: case GRL_LINKPRED_RA:
    case GRL_LINKPRED_PA: case GRL_LINKPRED_LP: case GRL_LINKPRED_KATZ:
        return true;
    default:
        return !o.weighted;
    }
}

static int linkpred_score(char *msg)
{
    grl_linkpred_options o;
    grl_graph *H = linkpred_options(&o);
    double score[NPAIRS];
    return grl_linkpred_score(H, PAIR_U, PAIR_V, NPAIRS, &o, score, msg);
}

static int linkpred_topk(char *msg)
{
    grl_linkpred_options o;
    grl_graph *H = linkpred_options(&o);
    int64_t cand[NPAIRS * 3];
    double score[NPAIRS * 3];
    return grl_linkpred_topk(H, PAIR_U, NPAIRS, 3, &o, cand, score, msg);
}

static int concentration(char *msg)
{
    double tc[KARATE_N];
    return grl_linkpred_concentration(D, &(grl_concentration_options){(int)variant, 0.5}, tc, msg);
}

MAKES(edge_split, grl_edge_split *,
      grl_edge_split_new(&out, variant ? D : G, &(grl_edge_split_options){0.1, 0.2, variant == 0, 5}, msg),
      grl_edge_split_free)

static int negatives(char *msg)
{
    int64_t u[16], v[16];
    return grl_linkpred_negatives(variant ? D : G, 16, 9, u, v, msg);
}

static const double POS[] = {0.9, 0.4, 0.8, 0.7}, NEG[] = {0.1, 0.4, 0.5};

static int metrics(char *msg)
{
    grl_linkpred_metrics m;
    double hits;
    int rc = grl_linkpred_hits(POS, 4, NEG, 3, 2, &hits, msg);
    return rc < 0 ? rc : grl_linkpred_evaluate(POS, 4, NEG, 3, &m, msg);
}

static void test_linkpred(void **state)
{
    for (variant = 0; variant < 4 * GRL_LINKPRED_NMETHODS; variant++) {
        if (!linkpred_supported()) continue;
        brutal("grl_linkpred_score", NULL, linkpred_score);
        brutal("grl_linkpred_topk", NULL, linkpred_topk);
    }
    for (variant = 1; variant <= GRL_LINKPRED_TC_MAX_HOPS; variant++)
        brutal("grl_linkpred_concentration", NULL, concentration);
    for (variant = 0; variant <= 1; variant++) {
        brutal("grl_edge_split_new", NULL, edge_split);
        brutal("grl_linkpred_negatives", NULL, negatives);
    }
    brutal("grl_linkpred_hits/evaluate", NULL, metrics);
}

/* ---------------------------------------------------------------------------
 * Optimisation and node classification
 * ------------------------------------------------------------------------ */
MAKES(dense_new, grl_dense *, grl_dense_new(&out, KARATE_N, 8, msg),
      grl_dense_free)

static int quadratic(const double *x, double *grad, double *f, void *ctx)
{
    *f = 0;
    for (int i = 0; i < 4; i++) {
        *f += (i + 1) * (x[i] - 1) * (x[i] - 1);
        grad[i] = 2 * (i + 1) * (x[i] - 1);
    }
    return 0;
}

static int lbfgs(char *msg)
{
    double x[4] = {0};
    return grl_lbfgs_minimize(quadratic, NULL, 4, x, NULL, NULL, msg);
}

/* the embedding as doubles and one-hot clubs, for the logistic regressions */
static double X[KARATE_N * 16];
static uint8_t Y[KARATE_N * 2];

static int logreg(char *msg)
{
    double w[2 * 16], b[2];
    return variant ? grl_logreg_fit_ovr(X, KARATE_N, 16, Y, 2, NULL, w, b,
                                        NULL, msg)
                   : grl_logreg_fit(X, KARATE_N, 16, Y, NULL, w, b, NULL, msg);
}

static int f1(char *msg)
{
    double micro, macro;
    return grl_nodeclf_f1_scores(Y, Y + 1, KARATE_N / 2, 2, &micro, &macro, msg);
}

static int nodeclf(char *msg)
{
    grl_nodeclf_options o;
    grl_nodeclf_options_init(&o);
    o.train_fraction = 0.5;
    o.repeats = 2;
    grl_nodeclf_result res;
    return grl_nodeclf_evaluate(E, L, &o, &res, msg);
}

static void test_optim(void **state)
{
    brutal("grl_dense_new", NULL, dense_new);
    brutal("grl_lbfgs_minimize", NULL, lbfgs);
    for (variant = 0; variant <= 1; variant++)
        brutal("grl_logreg_fit(_ovr)", NULL, logreg);
    brutal("grl_nodeclf_f1_scores", NULL, f1);
    brutal("grl_nodeclf_evaluate", NULL, nodeclf);
}

/* ---------------------------------------------------------------------------
 * Fixtures
 * ------------------------------------------------------------------------ */
/* X as a float64 .npy (grl writes float32; the reader converts float64) */
static void write_npy64(const char *path, const grl_dense *X)
{
    char header[128];
    int len = snprintf(header, sizeof header, "{'descr': '<f8', 'fortran_order'"
                       ": False, 'shape': (%" PRId64 ", %" PRId64 "), }",
                       X->rows, X->cols);
    int pad = (64 - (10 + len + 1) % 64) % 64;
    memset(header + len, ' ', (size_t)pad);
    header[len + pad] = '\n';
    uint16_t hlen = (uint16_t)(len + pad + 1);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fwrite(&hlen, 2, 1, f);
    fwrite(header, 1, hlen, f);
    for (int64_t t = 0; t < X->rows * X->cols; t++) {
        double d = X->data[t];
        fwrite(&d, sizeof d, 1, f);
    }
    fclose(f);
}

static void write_inputs(void)
{
    char msg[GRL_MSG_LEN];
    /* D: karate's edges as weighted arcs u -> v */
    FILE *in = fopen(data_path("karate/edges.txt"), "r");
    assert_non_null(in);
    char line[256], text[4096] = "", strings[4096] = "", features[4096] = "";
    /* sparse ids (ranked by sorting), a self-loop and a repeated edge */
    char sparse[8192] = "7000049 7000049 2\n0 1000003 1\n";
    int64_t u, v;
    while (fgets(line, sizeof line, in))
        if (sscanf(line, "%" SCNd64 " %" SCNd64, &u, &v) == 2) {
            size_t t = strlen(text), s = strlen(strings);
            snprintf(text + t, sizeof text - t, "%" PRId64 " %" PRId64 " %d\n",
                     u, v, (int)((u + v) % 5 + 1));
            snprintf(strings + s, sizeof strings - s, "n%" PRId64 " n%" PRId64
                     "\n", u, v);
            size_t q = strlen(sparse);
            snprintf(sparse + q, sizeof sparse - q, "%" PRId64 " %" PRId64
                     " 1\n", u * 1000003, v * 1000003);
        }
    fclose(in);
    snprintf(D_path, sizeof D_path, "%s", temp_file(".txt", text));
    for (int64_t i = 0; i < KARATE_N; i++) {
        size_t f = strlen(features);
        snprintf(features + f, sizeof features - f, "%" PRId64 " %d 1.5\n%"
                 PRId64 " %d 0.5\n", i, (int)(i % 3), i, (int)(i % 4) + 3);
    }
    char ids[512] = "", string_ids[512] = "", string_labels[1024] = "";
    for (int64_t i = 0; i < KARATE_N; i++) {
        snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%" PRId64 "\n", i);
        snprintf(string_ids + strlen(string_ids), sizeof string_ids -
                 strlen(string_ids), "n%" PRId64 "\n", i);
        snprintf(string_labels + strlen(string_labels), sizeof string_labels -
                 strlen(string_labels), "n%" PRId64 " club%c\n", i,
                 "AB"[i % 3 == 0]);
    }
    snprintf(paths[P_EDGES], 256, "%s", data_path("karate/edges.txt"));
    snprintf(paths[P_STRING_IDS], 256, "%s", temp_file(".txt", strings));
    snprintf(paths[P_SPARSE_IDS], 256, "%s", temp_file(".txt", sparse));
    snprintf(paths[P_MTX], 256, "%s", data_path("karate/karate.mtx"));
    snprintf(paths[P_FEATURES], 256, "%s", temp_file(".txt", features));
    snprintf(paths[P_LABELS], 256, "%s", data_path("karate/labels.txt"));
    snprintf(paths[P_IDS], 256, "%s", temp_file(".ids", ids));
    snprintf(paths[P_STRING_IDS_LIST], 256, "%s", temp_file(".ids", string_ids));
    snprintf(paths[P_STRING_LABELS], 256, "%s", temp_file(".txt", string_labels));
    static const char *ext[] = {
        [P_CSV] = ".csv", [P_MTX_WEIGHTED] = ".mtx", [P_GRL] = ".grl",
        [P_GRAPHML] = ".graphml", [P_GML] = ".gml", [P_PAJEK] = ".net",
        [P_NPY] = ".npy", [P_NPY64] = ".npy", [P_INDEX] = ".idx",
        [P_OUT] = ".out"};
    for (int p = 0; p < NPATHS; p++)
        if (ext[p]) snprintf(paths[p], 256, "%s", temp_file(ext[p], ""));
    grl_graph *Dw = load_graph(D_path, 1);
    for (int p = P_CSV; p <= P_PAJEK; p++)
        if (p != P_MTX) assert_ok(grl_graph_save(Dw, paths[p], GRL_FORMAT_AUTO, msg));
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    o.dim = 16;
    assert_ok(grl_fastrp_embed(&E, Dw, &o, msg));
    assert_ok(grl_dense_save_npy(E, paths[P_NPY], msg));
    write_npy64(paths[P_NPY64], E);
    assert_ok(grl_ppr_index_build(&I, Dw, &(grl_ppr_index_options){.walks = 8, .alpha = 0.15, .seed = 3}, msg));
    assert_ok(grl_ppr_index_save(I, paths[P_INDEX], msg));
    assert_int_equal(GrB_Matrix_nvals(&index_entries, grl_ppr_index_matrix(I)), 0);
    assert_ok(grl_labels_load(&L, paths[P_LABELS], KARATE_N, NULL, msg));
    for (int64_t i = 0; i < KARATE_N; i++) {
        for (int j = 0; j < 16; j++) X[i * 16 + j] = E->data[i * 16 + j];
        int64_t club = L->label[L->offsets[i]];
        Y[i * 2] = club == 0;
        Y[i * 2 + 1] = club == 1;
    }
    grl_graph_free(&Dw);
}

static int setup(void **state)
{
    char msg[GRL_MSG_LEN];
    assert_ok(grl_init(msg));
    /* one thread by default: allocations come in a fixed order, so a failing
     * attempt k is reproducible (and OpenMP barriers cost nothing on a loaded
     * host); GRL_BRUTAL_THREADS=2 exercises failures inside parallel regions */
    const char *threads = getenv("GRL_BRUTAL_THREADS");
    assert_ok(grl_threads_set(threads ? atoi(threads) : 1, msg));
    /* no GraphBLAS free pool: every block it needs comes from grl's
     * allocator, so every one can be refused */
    int64_t free_pool_limit[64] = {0};
    assert_int_equal(GxB_Global_Option_set(GxB_MEMORY_POOL, free_pool_limit),
                     GrB_SUCCESS);
    write_inputs();
    return 0;
}

static int teardown(void **state)
{
    grl_dense_free(&E);
    grl_labels_free(&L);
    grl_ppr_index_free(&I);
    for (int p = 0; p < NPATHS; p++)
        if (strncmp(paths[p], "/tmp/grl_test_", 14) == 0) unlink(paths[p]);
    unlink(D_path);
    grl_finalize(NULL);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaders),
        cmocka_unit_test(test_graph_ops),
        cmocka_unit_test(test_fastrp),
        cmocka_unit_test(test_walks),
        cmocka_unit_test(test_ppr),
        cmocka_unit_test(test_linkpred),
        cmocka_unit_test(test_optim),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
