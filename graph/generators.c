/* generators.c — random graphs from igraph's games, each run with its own
 * seeded igraph RNG so a seed always gives the same graph (for one igraph
 * version) and the caller's igraph RNG is left alone. Peak memory: igraph's graph (about 56 bytes per edge) while it
 * is copied out, then grl's build (about 40 bytes per arc). */
#include "igraph_internal.h"

#include <math.h>

/* Move the edges of *ig (destroyed here, also on error) into a new graph on
 * nodes 0..n-1 with ids 0..n-1. */
static int graph_from_game(grl_graph **G, igraph_t *ig, bool directed,
                           char *msg)
{
    GrB_Index *src = NULL, *dst = NULL;
    double *w = NULL;
    bool have_ig = true;
#define FREE_ALL free(src); free(dst); free(w); grl_graph_free(G); \
    if (have_ig) igraph_destroy(ig)
    int64_t n = (int64_t)igraph_vcount(ig), m;
    GRL_TRY(grl_igraph_arcs(ig, directed, NULL, NULL, "generated graph", false,
                            &src, &dst, &w, &m, msg));
    igraph_destroy(ig); /* free igraph's copy before building grl's */
    have_ig = false;
    GRL_TRY(grl_graph_alloc(G, msg));
    (*G)->directed = directed;
    (*G)->ids.n = n;
    GRL_TRY(grl_graph_build_matrix(*G, n, src, dst, NULL, m, NULL, msg));
    free(src); free(dst);
    return 0;
#undef FREE_ALL
}

/* igraph's games draw from igraph's default RNG. A generator installs its
 * own PCG32 (igraph 0.10's default type, so a seed gives the graphs it
 * always gave) for the game only and reinstalls the caller's afterwards, so
 * the caller's generator and its state are never touched. igraph 0.10's
 * igraph_rng_set_default copies the struct (type and state pointer) into
 * its one default slot: the caller's is saved by value, likewise. */
typedef struct {
    igraph_rng_t rng, caller;
    bool installed;
} game_rng;

static int game_rng_install(game_rng *g, uint64_t seed, char *msg)
{
#define FREE_ALL ;
    grl_igraph_setup();
    GRL_IGRAPH_TRY(igraph_rng_init(&g->rng, &igraph_rngtype_pcg32));
    igraph_error_t err = igraph_rng_seed(&g->rng, (igraph_uint_t)seed);
    if (err != IGRAPH_SUCCESS) {
        igraph_rng_destroy(&g->rng);
        return grl_igraph_status(err, NULL, msg);
    }
    g->caller = *igraph_rng_default();
    igraph_rng_set_default(&g->rng);
    g->installed = true;
    return 0;
#undef FREE_ALL
}

static void game_rng_restore(game_rng *g)
{
    if (!g->installed) return;
    igraph_rng_set_default(&g->caller);
    igraph_rng_destroy(&g->rng);
    g->installed = false;
}

int grl_graph_generate_erdos_renyi(grl_graph **G, int64_t n, int64_t m,
                                   bool directed, uint64_t seed, char *msg)
{
    grl_msg_clear(msg);
    igraph_t ig;
    game_rng rng = {.installed = false};
#define FREE_ALL grl_graph_free(G); game_rng_restore(&rng)
    GRL_REQUIRE(G != NULL, "grl_graph_generate_erdos_renyi: output pointer is NULL");
    *G = NULL;
    GRL_REQUIRE(n >= 0, "G(n, m): node count n must be >= 0, got %" PRId64, n);
    GRL_REQUIRE(m >= 0, "G(n, m): edge count m must be >= 0, got %" PRId64, m);
    /* most distinct arcs without self-loops: n(n-1), halved if undirected */
    if (n > 1 && (n - 1) <= INT64_MAX / n) {
        int64_t most = n * (n - 1) / (directed ? 1 : 2);
        GRL_REQUIRE(m <= most, "G(n, m): m = %" PRId64 " exceeds the %" PRId64
                    " distinct %s a graph on %" PRId64 " nodes can have "
                    "without self-loops", m, most,
                    directed ? "arcs" : "edges", n);
    } else if (n <= 1) {
        GRL_REQUIRE(m == 0, "G(n, m): m = %" PRId64 " but a graph on %" PRId64
                    " node(s) has no edges without self-loops", m, n);
    }
    GRL_TRY(grl_init(msg));
    GRL_TRY(game_rng_install(&rng, seed, msg));
    GRL_IGRAPH_TRY(igraph_erdos_renyi_game_gnm(&ig, n, m, directed,
                                               /* loops */ false));
    game_rng_restore(&rng);
    GRL_TRY(graph_from_game(G, &ig, directed, msg));
    return 0;
#undef FREE_ALL
}

int grl_graph_generate_barabasi_albert(grl_graph **G, int64_t n,
                                       int64_t m_per_node, uint64_t seed,
                                       char *msg)
{
    grl_msg_clear(msg);
    igraph_t ig;
    game_rng rng = {.installed = false};
#define FREE_ALL grl_graph_free(G); game_rng_restore(&rng)
    GRL_REQUIRE(G != NULL,
                "grl_graph_generate_barabasi_albert: output pointer is NULL");
    *G = NULL;
    GRL_REQUIRE(n >= 0, "Barabasi-Albert: node count must be >= 0, got %"
                PRId64, n);
    GRL_REQUIRE(m_per_node >= 0, "Barabasi-Albert: edges per new node must be "
                ">= 0, got %" PRId64, m_per_node);
    GRL_REQUIRE(n <= 1 || m_per_node <= INT64_MAX / n,
                "Barabasi-Albert: %" PRId64 " nodes x %" PRId64 " edges per "
                "node overflows the edge count", n, m_per_node);
    GRL_TRY(grl_init(msg));
    GRL_TRY(game_rng_install(&rng, seed, msg));
    GRL_IGRAPH_TRY(igraph_barabasi_game(&ig, n, /* power */ 1.0, m_per_node,
                                        /* outseq */ NULL,
                                        /* outpref */ false,
                                        /* A (zero appeal) */ 1.0,
                                        /* directed */ false,
                                        IGRAPH_BARABASI_PSUMTREE,
                                        /* start_from */ NULL));
    game_rng_restore(&rng);
    GRL_TRY(graph_from_game(G, &ig, false, msg));
    return 0;
#undef FREE_ALL
}

int grl_graph_generate_sbm(grl_graph **G, int64_t nblocks,
                           const int64_t *block_sizes,
                           const double *pref, bool directed, uint64_t seed,
                           char *msg)
{
    grl_msg_clear(msg);
    igraph_t ig;
    igraph_matrix_t P;
    igraph_vector_int_t sizes;
    bool have_P = false, have_sizes = false;
    game_rng rng = {.installed = false};
#define FREE_ALL grl_graph_free(G); game_rng_restore(&rng); \
    if (have_P) igraph_matrix_destroy(&P); \
    if (have_sizes) igraph_vector_int_destroy(&sizes)
    GRL_REQUIRE(G != NULL, "grl_graph_generate_sbm: output pointer is NULL");
    *G = NULL;
    GRL_REQUIRE(nblocks >= 1, "SBM: the number of blocks must be >= 1, got %"
                PRId64, nblocks);
    GRL_REQUIRE(block_sizes != NULL && pref != NULL,
                "SBM: block_sizes and pref must not be NULL");
    GRL_REQUIRE(nblocks <= (int64_t)1 << 24, "SBM: %" PRId64 " blocks is too "
                "many (the preference matrix would not fit)", nblocks);
    int64_t n = 0;
    for (int64_t b = 0; b < nblocks; b++) {
        GRL_REQUIRE(block_sizes[b] >= 0, "SBM: block %" PRId64 " has size %"
                    PRId64 "; block sizes must be >= 0", b, block_sizes[b]);
        GRL_REQUIRE(block_sizes[b] <= INT64_MAX - n,
                    "SBM: the block sizes add up to more than INT64_MAX");
        n += block_sizes[b];
    }
    for (int64_t a = 0; a < nblocks; a++)
        for (int64_t b = 0; b < nblocks; b++) {
            double p = pref[a * nblocks + b];
            GRL_REQUIRE(p >= 0 && p <= 1, "SBM: pref[%" PRId64 "][%" PRId64
                        "] = %g is not a probability in [0, 1]", a, b, p);
            GRL_REQUIRE(directed || p == pref[b * nblocks + a],
                        "SBM: an undirected graph needs a symmetric pref "
                        "matrix, but pref[%" PRId64 "][%" PRId64 "] = %g and "
                        "pref[%" PRId64 "][%" PRId64 "] = %g", a, b, p, b, a,
                        pref[b * nblocks + a]);
        }
    GRL_TRY(grl_init(msg));
    grl_igraph_setup();
    GRL_IGRAPH_TRY(igraph_matrix_init(&P, nblocks, nblocks));
    have_P = true;
    GRL_IGRAPH_TRY(igraph_vector_int_init(&sizes, nblocks));
    have_sizes = true;
    for (int64_t a = 0; a < nblocks; a++) {
        VECTOR(sizes)[a] = block_sizes[a];
        for (int64_t b = 0; b < nblocks; b++) /* igraph: column-major */
            MATRIX(P, a, b) = pref[a * nblocks + b];
    }
    GRL_TRY(game_rng_install(&rng, seed, msg));
    GRL_IGRAPH_TRY(igraph_sbm_game(&ig, n, &P, &sizes, directed,
                                   /* loops */ false));
    game_rng_restore(&rng);
    igraph_matrix_destroy(&P);
    have_P = false;
    igraph_vector_int_destroy(&sizes);
    have_sizes = false;
    GRL_TRY(graph_from_game(G, &ig, directed, msg));
    return 0;
#undef FREE_ALL
}
