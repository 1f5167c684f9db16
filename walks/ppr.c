/* ppr.c — personalized PageRank entry points: option checks, the method
 * dispatch, the dangling-policy step shared by all methods, and top-k
 * queries over any number of sources in memory-bounded blocks. */
#include "walks_internal.h"

#include <math.h>

/* exact blocks hold n x k doubles three times: keep n k <= 2^24 (128 MiB) */
#define EXACT_BLOCK_VALUES (1 << 24)
#define BATCH_BLOCK 4096

static const grl_enum_name method_names[] = {
    {"exact", GRL_PPR_EXACT},         {"push", GRL_PPR_PUSH},
    {"mc", GRL_PPR_MC},               {"powerwalk", GRL_PPR_POWERWALK},
    {"fora", GRL_PPR_FORA},           {"powerpush", GRL_PPR_POWERPUSH},
    {"speedppr", GRL_PPR_SPEEDPPR},
};
GRL_ENUM_FUNCTIONS(grl_ppr_method, method_names, "PPR method")

static const grl_enum_name dangling_names[] = {
    {"source", GRL_DANGLING_SOURCE},
    {"uniform", GRL_DANGLING_UNIFORM},
};
GRL_ENUM_FUNCTIONS(grl_dangling_policy, dangling_names, "dangling policy")

void grl_ppr_options_init(grl_ppr_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->method = GRL_PPR_EXACT;
    opt->alpha = 0.15;
    opt->dangling = GRL_DANGLING_SOURCE;
    opt->tol = 1e-10;
    opt->max_iter = 10000;
    opt->r_max = 0;
    opt->mc_walks = 10000;
    opt->rounds = 50;
    opt->drop = 1e-6;
    opt->residual = 0.25;
    opt->epsilon = 0.5;
    opt->seed = 42;
}

static int check(grl_graph *G, const int64_t *sources, int64_t k,
                 const grl_ppr_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(G != NULL && (sources != NULL || k == 0), "grl_ppr_compute: NULL argument");
    GRL_REQUIRE(k >= 0, "the number of sources must be >= 0, got %" PRId64, k);
    GRL_REQUIRE(o->alpha > 0 && o->alpha < 1, "alpha (the teleport probability) "
                "must be in (0, 1), got %g", o->alpha);
    GRL_REQUIRE(o->method >= GRL_PPR_EXACT && o->method <= GRL_PPR_SPEEDPPR,
                "unknown PPR method %d", (int)o->method);
    GRL_REQUIRE(o->dangling == GRL_DANGLING_SOURCE ||
                o->dangling == GRL_DANGLING_UNIFORM, "unknown dangling policy %d",
                (int)o->dangling);
    GRL_REQUIRE(o->tol > 0 && o->max_iter >= 1, "exact PPR needs tol > 0 and "
                "max_iter >= 1, got %g and %d", o->tol, o->max_iter);
    int64_t n = grl_graph_num_nodes(G);
    for (int64_t s = 0; s < k; s++)
        GRL_REQUIRE(sources[s] >= 0 && sources[s] < n, "source node index %" PRId64
                    " is out of range 0..%" PRId64, sources[s], n - 1);
    if (o->method == GRL_PPR_POWERWALK)
        GRL_REQUIRE(o->index != NULL, "PowerWalk needs a fingerprint index "
                    "(grl_ppr_index_build, or `grl ppr-index build`)");
    return 0;
#undef FREE_ALL
}

/* killed estimates, then the dangling step, for one block of sources */
static int ppr_block(GrB_Matrix *P, grl_graph *G, const int64_t *sources,
                     int64_t k, const grl_ppr_options *o, const grl_ppr_ctx *ctx,
                     grl_warning *warning, char *msg)
{
#define FREE_ALL GrB_Matrix_free(P)
    switch (o->method) {
    case GRL_PPR_EXACT:
        GRL_TRY_KEEP(*warning, grl_ppr_power(P, G, sources, k, o->alpha, o->tol,
                                             o->max_iter, msg));
        break;
    case GRL_PPR_PUSH: GRL_TRY(grl_ppr_push_rows(P, G, sources, k, o, msg)); break;
    case GRL_PPR_MC: GRL_TRY(grl_ppr_mc_rows(P, G, sources, k, o, msg)); break;
    case GRL_PPR_POWERWALK:
        GRL_TRY(grl_ppr_powerwalk_rows(P, G, sources, k, o, msg));
        break;
    case GRL_PPR_FORA: GRL_TRY(grl_ppr_fora_rows(P, G, sources, k, o, msg)); break;
    case GRL_PPR_POWERPUSH:
        GRL_TRY(grl_ppr_powerpush_rows(P, G, sources, k, o, msg));
        break;
    case GRL_PPR_SPEEDPPR:
        GRL_TRY(grl_ppr_speedppr_rows(P, G, sources, k, o, msg));
        break;
    }
    GRL_TRY(grl_ppr_finish(P, ctx, msg));
    return 0;
#undef FREE_ALL
}

/* What both entry points do first: GraphBLAS, the options (*opt NULL: the
 * defaults, kept in *defaults), their check, the per-call context. */
static int prepare(grl_ppr_ctx *ctx, const grl_ppr_options **opt,
                   grl_ppr_options *defaults, grl_graph *G,
                   const int64_t *sources, int64_t k, grl_warning *warning,
                   char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_init(msg));
    if (*opt == NULL) {
        grl_ppr_options_init(defaults);
        *opt = defaults;
    }
    GRL_TRY(check(G, sources, k, *opt, msg));
    GRL_TRY_KEEP(*warning, grl_ppr_ctx_init(ctx, G, *opt, msg));
    return 0;
#undef FREE_ALL
}

int grl_ppr_compute(GrB_Matrix *P, grl_graph *G, const int64_t *sources,
                    int64_t k, const grl_ppr_options *opt, char *msg)
{
    grl_msg_clear(msg);
    grl_ppr_ctx ctx = {0};
#define FREE_ALL grl_ppr_ctx_free(&ctx)
    GRL_REQUIRE(P != NULL, "grl_ppr_compute: NULL result pointer");
    *P = NULL;
    grl_ppr_options defaults;
    grl_warning warning = {0};
    GRL_TRY(prepare(&ctx, &opt, &defaults, G, sources, k, &warning, msg));
    GRL_TRY(ppr_block(P, G, sources, k, opt, &ctx, &warning, msg));
    FREE_ALL;
    return grl_warning_return(&warning, msg);
#undef FREE_ALL
}

int grl_ppr_top(grl_ppr_result **R, grl_graph *G, const int64_t *sources,
                int64_t k, int64_t top, const grl_ppr_options *opt, char *msg)
{
    grl_msg_clear(msg);
    grl_ppr_ctx ctx = {0};
    grl_ppr_result *r = NULL;
    GrB_Matrix P = NULL;
#define FREE_ALL grl_ppr_ctx_free(&ctx); grl_ppr_result_free(&r); GrB_Matrix_free(&P)
    GRL_REQUIRE(R != NULL, "grl_ppr_top: NULL result pointer");
    *R = NULL;
    GRL_REQUIRE(top >= 1, "top must be at least 1, got %" PRId64, top);
    grl_ppr_options defaults;
    grl_warning warning = {0};
    GRL_TRY(prepare(&ctx, &opt, &defaults, G, sources, k, &warning, msg));
    GRL_TRY(grl_ppr_result_alloc(&r, k, top, msg));
    if (k > 0) memcpy(r->source, sources, sizeof(int64_t) * k); /* may be NULL */
    int64_t n = grl_graph_num_nodes(G), block = BATCH_BLOCK;
    if (opt->method == GRL_PPR_EXACT || ctx.g != NULL)
        block = n > 0 && n < EXACT_BLOCK_VALUES ? EXACT_BLOCK_VALUES / n : 1;
    for (int64_t first = 0; first < k; first += block) {
        int64_t b = k - first < block ? k - first : block;
        GRL_TRY(ppr_block(&P, G, sources + first, b, opt, &ctx, &warning, msg));
        GRL_TRY(grl_ppr_top_fill(r, first, P, msg));
        GrB_Matrix_free(&P);
        if (opt->progress) opt->progress(first + b, k, opt->progress_ctx);
    }
    *R = r;
    r = NULL;
    FREE_ALL;
    return grl_warning_return(&warning, msg);
#undef FREE_ALL
}
