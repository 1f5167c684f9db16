/* cmd_ppr.c — `grl ppr FILE --source ID ...`: personalized PageRank top-k
 * by any method, and `grl ppr-index build FILE --output idx`: Monte Carlo
 * fingerprints for the mc and powerwalk methods. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char ppr_usage[] =
    "usage: grl ppr FILE (--source ID[,ID...] | --sources-file F) [options]\n"
    "Personalized PageRank p_u = alpha e_u + (1-alpha) p_u P of each source,\n"
    "written as `source node score` lines in the file's ids, highest score\n"
    "first per source.\n\n"
    "  --source ID[,ID...]   source node ids\n"
    "  --sources-file F      a file of source ids, one per line (# comments)\n"
    "  --method M            exact (default), push, mc, powerwalk, fora,\n"
    "                        powerpush (exact to an L1 error of --tol: pushes,\n"
    "                        then conjugate gradients if undirected, else\n"
    "                        over-relaxed sweeps) or speedppr (PowerPush to\n"
    "                        --r-max, then FORA's walks and guarantee)\n"
    "  --alpha A             teleport probability (default 0.15)\n"
    "  --dangling D          source (default): a node without out-arcs sends\n"
    "                        its mass back to the source; uniform: to all\n"
    "  --top K               nodes per source (default 100)\n"
    "  --index IDX           fingerprints from `grl ppr-index build` (needed by\n"
    "                        powerwalk; mc reads its rows when given)\n"
    "  --tol X               exact: stop at an L1 change below X; powerpush:\n"
    "                        the L1 error bound (1e-10)\n"
    "  --r-max X             push/fora/speedppr residual threshold (push 1e-7,\n"
    "                        fora FORA's balance, speedppr 1 / walks per unit\n"
    "                        of residual)\n"
    "  --walks R             mc without index: walks per source, at most\n"
    "                        1e12 (10000)\n"
    "  --residual E          powerwalk: a source stops once its residual mass\n"
    "                        is at most E times the mass it has spread beyond\n"
    "                        itself (0.25, which stops every source by 11\n"
    "                        rounds at alpha 0.15; 0: always run --rounds)\n"
    "  --rounds T            powerwalk: at most T rounds (50)\n"
    "  --drop X              powerwalk: drop entries below X each round (1e-6)\n"
    "  --epsilon E --delta D --failure F\n"
    "                        fora, speedppr: relative error E for scores >= D\n"
    "                        with probability >= 1 - F (0.5, 1/n, 1/n)\n"
    "  --seed S              random seed (default 42)\n"
    "  --output OUT          output file (default: standard output)\n"
    "FILE may be a partition directory (`grl partition --output-dir`):\n"
    "`mpirun -np K grl ppr DIR --source ID,...` runs over K ranks: exact\n"
    "PPR (within 1e-12 of one process), push (in synchronous rounds: the same\n"
    "scores on any number of ranks, within push's bound of one process's) or\n"
    "powerwalk with an --index IDX from `mpirun -np K grl ppr-index build DIR`\n"
    "(the same top lists as one process with the index of the same seed).\n\n"
    "powerwalk: accuracy for time, measured (index --walks 100; precision@100\n"
    "against exact over 100 sources per graph; one source's top-100 in ms,\n"
    "1 thread; --residual 0 --rounds 3 was the default before the rule):\n"
    "                         precision@100            latency, ms\n"
    "  --residual             0,T=3 0.25  0.1     0,T=3 0.25  0.1  exact\n"
    "  CA-GrQc                0.898 0.982 0.992   0.30  2.9   3.6   9.7\n"
    "  Cora                   0.891 0.985 0.994   0.19  1.2   1.5   2.6\n"
    "  email-Eu-core (dir.)   0.975 0.996 0.998   0.33  0.81  1.0   3.1\n"
    "  p2p-Gnutella08 (dir.)  0.972 0.990 0.994   0.18  0.23  0.39  1.0\n"
    "  BlogCatalog            0.983 0.996 0.996   15    27    46    207\n"
    "Rounds buy more than walks: on CA-GrQc --walks 50 with --residual 0.25\n"
    "gives 0.975, --walks 200 with 3 rounds 0.925.\n\n";

static const char index_usage[] =
    "usage: grl ppr-index build FILE --output IDX [options]\n"
    "Monte Carlo fingerprints of every node (R walks each, every visit\n"
    "counted) for `grl ppr --method powerwalk|mc --index IDX`.\n\n"
    "  --walks R             walks per node, 1..1e12 (default 100)\n"
    "  --alpha A             teleport probability (default 0.15; queries must\n"
    "                        use the same)\n"
    "  --seed S              random seed (default 42)\n"
    "  --output IDX          the index file (required)\n"
    "FILE may be a partition directory (`grl partition --output-dir`):\n"
    "`mpirun -np K grl ppr-index build DIR --output IDX` builds it over K\n"
    "ranks, rank r writing the fingerprints of its nodes to IDX.0000r (the\n"
    "same rows as one process's index of the same seed).\n\n";

/* Append node index idx to the growing array *src; 0 or an exit code. */
static int push_source(int64_t idx, int64_t **src, int64_t *k, int64_t *cap)
{
    if (*k == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        int64_t *bigger = realloc(*src, sizeof(int64_t) * *cap);
        if (bigger == NULL) return cli_error("out of memory for the sources");
        *src = bigger;
    }
    (*src)[(*k)++] = idx;
    return 0;
}

typedef struct {
    grl_graph *G;
    int64_t *src, k, cap;
} source_list;

static int add_source(const char *id, void *ctx)
{
    source_list *l = ctx;
    int64_t idx;
    char msg[GRL_MSG_LEN];
    if (grl_graph_node_index(l->G, id, &idx, msg) < 0)
        return cli_error("--source: node '%s' is not in the graph", id);
    return push_source(idx, &l->src, &l->k, &l->cap);
}

/* The --source ids, then those of --sources-file. */
static int read_sources(grl_graph *G, const char *list, const char *file,
                        int64_t **src, int64_t *k)
{
    source_list l = {G, NULL, 0, 0};
    int64_t *more = NULL, nmore = 0;
    int rc = list ? cli_split_list("--source", list, add_source, &l) : 0;
    if (file && !rc && !(rc = cli_read_nodes(file, G, &more, NULL, &nmore)))
        for (int64_t i = 0; i < nmore && !rc; i++)
            rc = push_source(more[i], &l.src, &l.k, &l.cap);
    free(more);
    if (!rc && l.k == 0) rc = cli_error("no sources: give --source or --sources-file");
    *src = l.src;
    *k = l.k;
    return rc;
}

static int write_result(const grl_ppr_result *R, const grl_graph *G,
                        const char *output)
{
    FILE *f = cli_open_output(output);
    if (f == NULL) return 1;
    for (int64_t s = 0; s < R->nsources; s++)
        for (int64_t r = 0; r < R->count[s]; r++) {
            cli_put_id(f, G, R->source[s]);
            putc(' ', f);
            cli_put_id(f, G, R->node[s * R->top + r]);
            fprintf(f, " %.12g\n", R->score[s * R->top + r]);
        }
    return cli_close_output(f, output);
}

int cmd_ppr(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    enum { SOURCE = 1, SOURCES_FILE, METHOD, ALPHA, DANGLING, TOP, INDEX, TOL,
           RMAX, WALKS, RESIDUAL, ROUNDS, DROP, EPS, DELTA, FAILURE, SEED, OUTPUT };
    char msg[GRL_MSG_LEN] = "";
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"source", required_argument, 0, SOURCE},
        {"sources-file", required_argument, 0, SOURCES_FILE},
        {"method", required_argument, 0, METHOD},
        {"alpha", required_argument, 0, ALPHA},
        {"dangling", required_argument, 0, DANGLING},
        {"top", required_argument, 0, TOP},
        {"index", required_argument, 0, INDEX},
        {"tol", required_argument, 0, TOL},
        {"r-max", required_argument, 0, RMAX},
        {"walks", required_argument, 0, WALKS},
        {"residual", required_argument, 0, RESIDUAL},
        {"rounds", required_argument, 0, ROUNDS},
        {"drop", required_argument, 0, DROP},
        {"epsilon", required_argument, 0, EPS},
        {"delta", required_argument, 0, DELTA},
        {"failure", required_argument, 0, FAILURE},
        {"seed", required_argument, 0, SEED},
        {"output", required_argument, 0, OUTPUT},
        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *output = NULL, *list = NULL, *file = NULL, *index = NULL;
    long long v, top = 100;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", ppr_usage, cli_common_help); return 0;
        case SOURCE: list = optarg; break;
        case SOURCES_FILE: file = optarg; break;
        case METHOD:
            bad = cli_enum("--method", grl_ppr_method_parse(optarg, &o.method,
                                                            msg), msg);
            break;
        case ALPHA: bad = cli_parse_double("--alpha", optarg, CLI_OPEN_UNIT, &o.alpha); break;
        case DANGLING:
            bad = cli_enum("--dangling", grl_dangling_policy_parse(
                               optarg, &o.dangling, msg), msg);
            break;
        case TOP: bad = cli_parse_int("--top", optarg, 1, LLONG_MAX, &top); break;
        case INDEX: index = optarg; break;
        case TOL: bad = cli_parse_double("--tol", optarg, CLI_POSITIVE, &o.tol); break;
        case RMAX: bad = cli_parse_double("--r-max", optarg, CLI_POSITIVE, &o.r_max); break;
        case WALKS:
            bad = cli_parse_int("--walks", optarg, 1, GRL_PPR_MAX_WALKS, &v);
            o.mc_walks = v;
            break;
        case RESIDUAL:
            bad = cli_parse_double("--residual", optarg, CLI_NONNEGATIVE, &o.residual);
            break;
        case ROUNDS:
            bad = cli_parse_int("--rounds", optarg, 0, INT_MAX, &v);
            o.rounds = (int)v;
            break;
        case DROP: bad = cli_parse_double("--drop", optarg, CLI_NONNEGATIVE, &o.drop); break;
        case EPS: bad = cli_parse_double("--epsilon", optarg, CLI_POSITIVE, &o.epsilon); break;
        case DELTA: bad = cli_parse_double("--delta", optarg, CLI_POSITIVE, &o.delta); break;
        case FAILURE:
            bad = cli_parse_double("--failure", optarg, CLI_OPEN_UNIT, &o.failure);
            break;
        case SEED: bad = cli_parse_seed(optarg, &o.seed); break;
        case OUTPUT: output = optarg; break;
        default: {
            int handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, "ppr");
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl ppr takes one graph file (try --help)");
    if (list == NULL && file == NULL)
        return cli_error("give the sources with --source ID[,ID...] or --sources-file F");
    if (o.method == GRL_PPR_POWERWALK && index == NULL)
        return cli_error("--method powerwalk needs --index IDX (build one with "
                         "`grl ppr-index build`)");
    if (cli_is_partition_dir(argv[optind])) {
        if (o.method != GRL_PPR_EXACT && o.method != GRL_PPR_PUSH &&
            o.method != GRL_PPR_POWERWALK)
            return cli_error("over a partition directory, grl ppr takes the "
                             "exact, push or powerwalk method only");
        return cli_dist_ppr(argv[optind], &o, list, file, index, top, output,
                            &common);
    }
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    int64_t *src = NULL, k = 0;
    grl_ppr_index *I = NULL;
    grl_ppr_result *R = NULL;
    int64_t n = grl_graph_num_nodes(G);
    if (top > n) top = n > 0 ? n : 1; /* a source has at most n scores */
    rc = read_sources(G, list, file, &src, &k);
    if (!rc && index) {
        if (grl_ppr_index_load(&I, index, msg) < 0) rc = cli_error("%s", msg);
        o.index = I;
    }
    cli_counter counter = {common.quiet, "PPR: sources done:"};
    o.progress = cli_count;
    o.progress_ctx = &counter;
    if (!rc) {
        cli_progress(&common, "PPR (%s): %lld sources", grl_ppr_method_name(o.method),
                     (long long)k);
        int status = grl_ppr_top(&R, G, src, k, top, &o, msg);
        cli_progress(&common, NULL);
        rc = cli_status(status, msg);
    }
    if (!rc) rc = write_result(R, G, output);
    grl_ppr_result_free(&R);
    grl_ppr_index_free(&I);
    free(src);
    grl_graph_free(&G);
    return rc;
}

int cmd_ppr_index(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "build") && strcmp(argv[1], "--help") &&
                     strcmp(argv[1], "-h")))
        return cli_error("usage: grl ppr-index build FILE --output IDX (try "
                         "grl ppr-index --help)");
    if (strcmp(argv[1], "build")) {
        printf("%s%s", index_usage, cli_common_help);
        return 0;
    }
    argc--;
    argv++;
    cli_common common;
    cli_common_init(&common);
    enum { WALKS = 1, ALPHA, SEED, OUTPUT };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"walks", required_argument, 0, WALKS},
        {"alpha", required_argument, 0, ALPHA},
        {"seed", required_argument, 0, SEED},
        {"output", required_argument, 0, OUTPUT},
        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *output = NULL;
    grl_ppr_index_options o;
    grl_ppr_index_options_init(&o);
    long long walks = o.walks;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", index_usage, cli_common_help); return 0;
        case WALKS: bad = cli_parse_int("--walks", optarg, 1, GRL_PPR_MAX_WALKS, &walks); break;
        case ALPHA: bad = cli_parse_double("--alpha", optarg, CLI_OPEN_UNIT, &o.alpha); break;
        case SEED: bad = cli_parse_seed(optarg, &o.seed); break;
        case OUTPUT: output = optarg; break;
        default: {
            int handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, "ppr-index build");
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl ppr-index build takes one graph file (try --help)");
    if (output == NULL) return cli_error("--output IDX is required");
    if (cli_is_partition_dir(argv[optind])) {
        o.walks = walks;
        return cli_dist_ppr_index(argv[optind], &o, output, &common);
    }
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    char msg[GRL_MSG_LEN] = "";
    grl_ppr_index *I = NULL;
    o.walks = walks;
    cli_counter counter = {common.quiet, "PPR index: node walks done:"};
    o.progress = cli_count;
    o.progress_ctx = &counter;
    cli_progress(&common, "PPR index: %lld walks from each of %lld nodes",
                 walks, (long long)grl_graph_num_nodes(G));
    int status = grl_ppr_index_build(&I, G, &o, msg);
    cli_progress(&common, NULL);
    if (status < 0 || grl_ppr_index_save(I, output, msg) < 0)
        rc = cli_error("%s", msg);
    grl_ppr_index_free(&I);
    grl_graph_free(&G);
    return rc;
}
