/* cmd_fastrp.c — `grl fastrp FILE --output OUT`: FastRP node embeddings. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: grl fastrp FILE --output OUT.npy|OUT.txt [options]\n"
    "FastRP node embeddings (Chen et al., CIKM 2019): very sparse random\n"
    "projection propagated over the graph. .npy output is float32, row i =\n"
    "node i, with OUT.ids beside it (one id per row) when ids are not 0..n-1\n"
    "(an OUT.ids of an earlier run is removed otherwise); isolated nodes get\n"
    "rows only when the graph declares them (--nodes, --num-nodes);\n"
    ".txt output is `n d`, then `id v1 ... vd` per node.\n"
    "FILE may be a partition directory (`grl partition --output-dir`): run\n"
    "`mpirun -np K grl fastrp DIR --output OUT.npy`, one rank per part, for\n"
    "the same bytes as on the whole graph (.npy output, no --features).\n\n"
    "  --dim D               embedding dimension (default 128)\n"
    "  --weights W1,W2,...   weights of the powers A, A^2, ... (default 0,1,1)\n"
    "  --beta B              normalization strength, degree^B (default 0)\n"
    "  --sparsity S          projection sparsity s >= 1 (default sqrt(n);\n"
    "                        3 is Neo4j GDS's)\n"
    "  --self-influence X    weight of a node's own initial vector (default 0)\n"
    "  --features F          node features, `node feature value` lines\n"
    "  --property-ratio R    share of the dimensions given to features (0..1)\n"
    "  --no-normalize        skip the row L2 normalisation of each power\n"
    "  --no-standardize      skip the column standardisation of the result\n"
    "  --propagate out|in|both  on directed graphs, aggregate out-neighbours\n"
    "                        (default), in-neighbours or both\n"
    "  --seed S              random seed (default 42)\n"
    "  --output OUT          .npy or .txt (required)\n\n";

static int add_weight(const char *item, void *ctx)
{
    grl_fastrp_options *o = ctx;
    if (o->iterations == GRL_FASTRP_MAX_ITERATIONS)
        return cli_error("--weights: at most %d weights", GRL_FASTRP_MAX_ITERATIONS);
    return -cli_parse_double("--weights", item, CLI_ANY, &o->weights[o->iterations++]);
}

static int parse_weights(const char *text, grl_fastrp_options *o)
{
    o->iterations = 0;
    return cli_split_list("--weights", text, add_weight, o) ? -1 : 0;
}

/* Write the embedding as text: `n d`, then `id v1 ... vd`. */
static int save_text(const grl_dense *E, const grl_graph *G, const char *path)
{
    FILE *f = cli_open_output(path);
    if (f == NULL) return 1;
    fprintf(f, "%lld %lld\n", (long long)E->rows, (long long)E->cols);
    for (int64_t i = 0; i < E->rows; i++) {
        cli_put_id(f, G, i);
        for (int64_t c = 0; c < E->cols; c++)
            fprintf(f, " %.9g", E->data[i * E->cols + c]);
        fputc('\n', f);
    }
    return cli_close_output(f, path);
}

/* Write OUT.npy and, when ids are not 0..n-1, OUT.ids; otherwise remove
 * an OUT.ids left by an earlier run, which would misname the new rows. */
static int save_npy(const grl_dense *E, const grl_graph *G, const char *path)
{
    char msg[GRL_MSG_LEN];
    if (grl_dense_save_npy(E, path, msg) < 0) return cli_error("%s", msg);
    const char *ids = cli_ids_path(path);
    if (grl_graph_ids_are_indices(G)) {
        if (ids && unlink(ids) != 0 && errno != ENOENT)
            return cli_error("'%s': cannot remove the stale id file: %s", ids,
                             strerror(errno));
        return 0;
    }
    if (ids == NULL) return cli_error("%s: path too long for its .ids file", path);
    FILE *f = cli_open_output(ids);
    if (f == NULL) return 1;
    for (int64_t i = 0; i < E->rows; i++) {
        cli_put_id(f, G, i);
        fputc('\n', f);
    }
    return cli_close_output(f, ids);
}

#define SPARSITY_RANGE ((cli_range){1, INFINITY, false, false})

int cmd_fastrp(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    grl_fastrp_options o;
    grl_fastrp_options_init(&o);
    char msg[GRL_MSG_LEN] = "";
    enum { DIM = 1, WEIGHTS, BETA, SPARSITY, SELF, FEATURES, RATIO, NO_NORM,
           NO_STD, PROPAGATE, SEED, OUTPUT };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"dim", required_argument, 0, DIM},
        {"weights", required_argument, 0, WEIGHTS},
        {"beta", required_argument, 0, BETA},
        {"sparsity", required_argument, 0, SPARSITY},
        {"self-influence", required_argument, 0, SELF},
        {"features", required_argument, 0, FEATURES},
        {"property-ratio", required_argument, 0, RATIO},
        {"no-normalize", no_argument, 0, NO_NORM},
        {"no-standardize", no_argument, 0, NO_STD},
        {"propagate", required_argument, 0, PROPAGATE},
        {"seed", required_argument, 0, SEED},
        {"output", required_argument, 0, OUTPUT},
        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *output = NULL, *features = NULL;
    long long v;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", usage, cli_common_help); return 0;
        case DIM: bad = cli_parse_int("--dim", optarg, 1, LLONG_MAX, &v); o.dim = v; break;
        case WEIGHTS: bad = parse_weights(optarg, &o); break;
        case BETA: bad = cli_parse_double("--beta", optarg, CLI_ANY, &o.beta); break;
        case SPARSITY:
            bad = cli_parse_double("--sparsity", optarg, SPARSITY_RANGE, &o.sparsity);
            break;
        case SELF:
            bad = cli_parse_double("--self-influence", optarg, CLI_ANY, &o.self_influence);
            break;
        case FEATURES: features = optarg; break;
        case RATIO:
            bad = cli_parse_double("--property-ratio", optarg, CLI_UNIT, &o.property_ratio);
            break;
        case NO_NORM: o.normalize = false; break;
        case NO_STD: o.standardize = false; break;
        case SEED: bad = cli_parse_seed(optarg, &o.seed); break;
        case OUTPUT: output = optarg; break;
        case PROPAGATE:
            bad = cli_enum("--propagate", grl_propagation_parse(
                               optarg, &o.direction, msg), msg);
            break;
        default: {
            int handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, "fastrp");
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl fastrp takes one graph file (try --help)");
    size_t olen = output ? strlen(output) : 0;
    bool npy = olen > 4 && !strcmp(output + olen - 4, ".npy");
    bool txt = olen > 4 && !strcmp(output + olen - 4, ".txt");
    if (!npy && !txt) return cli_error("--output must name a .npy or .txt file");
    if (features && o.property_ratio == 0)
        return cli_error("--features needs --property-ratio R > 0");
    if (cli_is_partition_dir(argv[optind])) {
        if (!npy || features)
            return cli_error("over a partition directory, FastRP writes .npy "
                             "output and takes no --features");
        return cli_dist_fastrp(argv[optind], &o, output, &common);
    }
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    GrB_Matrix F = NULL;
    grl_dense *E = NULL;
    if (features && grl_features_load(&F, G, features, msg) < 0) {
        rc = cli_error("%s", msg);
    } else {
        o.features = F;
        cli_progress(&common, "FastRP: %lld nodes, d = %lld, %d powers",
                     (long long)grl_graph_num_nodes(G), (long long)o.dim,
                     o.iterations);
        int status = grl_fastrp_embed(&E, G, &o, msg);
        cli_progress(&common, NULL);
        if (status < 0) rc = cli_error("%s", msg);
        else rc = npy ? save_npy(E, G, output) : save_text(E, G, output);
    }
    grl_dense_free(&E);
    GrB_Matrix_free(&F);
    grl_graph_free(&G);
    return rc;
}
