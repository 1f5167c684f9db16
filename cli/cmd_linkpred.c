/* cmd_linkpred.c — `grl linkpred score|topk|eval`: link prediction with the
 * common-neighbour family, per-node top-k candidates, and the standard
 * held-out-edge evaluation. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "grl/linkpred.h"
#include "linkpred_cli.h"

static const char usage_main[] =
    "usage: grl linkpred score|topk|eval|tc|train FILE [options]\n"
    "Link prediction (include/grl/linkpred.h defines every index):\n"
    "  score   score the pairs of a file: `u v score` lines\n"
    "  topk    the k best new links of every node (or of a node list)\n"
    "  eval    hold out test edges, sample negatives, print AUC, AP,\n"
    "          Hits@20/50/100 and MRR per method\n"
    "  tc      topological concentration of every node: `id tc` lines\n"
    "  train   train NCN or NCNC (learned, include/grl/ncn.h) and compare it\n"
    "          with cn, aa and ra on the same split; score and topk use the\n"
    "          model with --model M --features F\n\n"
    "`grl linkpred <command> --help` lists its options.\n";

static const char usage_method[] =
    "predictor:\n"
    "  --method M            cn, jaccard, salton, sorensen, hpi, hdi, lhn, pa,\n"
    "                        aa, ra, lp, katz (default ra)\n"
    "  --weighted            weighted variant (cn, aa, ra, pa, lp, katz; Lü &\n"
    "                        Zhou 2010)\n"
    "  --alpha A             weight exponent w^A of the weighted variants\n"
    "                        (default 1)\n"
    "  --pattern P           directed graphs: successors (A Aᵀ, default),\n"
    "                        predecessors (Aᵀ A), path (A A), reverse-path (Aᵀ Aᵀ)\n"
    "  --epsilon E           local path: A² + E A³ (default 0.01)\n"
    "  --beta B              Katz: Σ B^l A^l (default 0.01)\n"
    "  --katz-length L       Katz: paths up to L = 1..8 (default 3)\n"
    "  --block-entries N     bound on the entries of a block of the multi-hop\n"
    "                        product (default 16777216)\n";

static const char usage_score[] =
    "usage: grl linkpred score FILE --pairs P [--method M] [--output OUT]\n"
    "Score candidate pairs: P has `u v` lines (node ids as in FILE, #\n"
    "comments); OUT (default stdout) gets `u v score` lines in P's order.\n\n"
    "  --pairs P             the candidate pairs (required)\n"
    "  --output OUT          where to write (default stdout)\n"
    "  --model M             score with a model of `grl linkpred train`\n"
    "                        instead of --method\n"
    "  --features F          the node features the model needs\n\n";

static const char usage_topk[] =
    "usage: grl linkpred topk FILE --k K [--method M] [--sources-file F] [--output OUT]\n"
    "The K best new links of each node: pairs not linked yet that the\n"
    "method reaches (distance 2 for the common-neighbour family, any node\n"
    "for pa), best first, ties by node index. OUT (default stdout) gets\n"
    "`u v score` lines, up to K per source.\n\n"
    "  --k K                 candidates per node (required unless --best)\n"
    "  --best N              print only the N best new links over all\n"
    "                        sources (an undirected pair once), best first\n"
    "  --sources-file F      source node ids, one per line (default: all)\n"
    "  --output OUT          where to write (default stdout)\n"
    "  --model M             rank with a model of `grl linkpred train` (its\n"
    "                        candidates: nodes two steps away)\n"
    "  --features F          the node features the model needs\n\n";

static const char usage_eval[] =
    "usage: grl linkpred eval FILE [--method M[,M...]] [options]\n"
    "Split the edges into train/validation/test, sample negatives from the\n"
    "non-edges, score test edges and negatives on the training graph, and\n"
    "print one row per method: AUC (ties 1/2), AP, Hits@20/50/100 (OGB:\n"
    "strictly above the K-th negative) and MRR (each positive ranked among\n"
    "all negatives).\n\n"
    "  --method M[,M...]     methods to compare (default cn,aa,ra)\n"
    "  --test-fraction F     share of edges held out for test (default 0.1)\n"
    "  --valid-fraction F    share held out for validation (default 0.05)\n"
    "  --keep-connected      keep a spanning forest in training\n"
    "  --negatives N         negatives to sample (default: the test size)\n"
    "  --negatives-file F    use the `u v` pairs of F as negatives instead\n"
    "  --seed S              seed of the split and the negatives (default 1)\n\n";

static const char usage_tc[] =
    "usage: grl linkpred tc FILE [--hops K] [--beta B] [--output OUT]\n"
    "Topological concentration (Wang et al., ICLR 2024) of every node: the\n"
    "mean over its neighbours j of Σ_{a,b<=K} B^(a+b-2) |H^a_i ∩ H^b_j| /\n"
    "|H^a_i ∪ H^b_j|, H^k the nodes at distance k. OUT (default stdout) gets\n"
    "`id tc` lines.\n\n"
    "  --hops K              1..3 (default 1)\n"
    "  --beta B              decay of farther hops (default 0.5)\n"
    "  --output OUT          where to write (default stdout)\n\n";

/* getopt codes of the predictor options, shared by the three commands */
enum { M_METHOD = 1, M_WEIGHTED, M_ALPHA, M_PATTERN, M_EPSILON, M_BETA,
       M_KATZ_LENGTH, M_BLOCK, OWN_BASE };
#define METHOD_OPTIONS                                                         \
    {"method", required_argument, 0, M_METHOD},                                \
    {"weighted", no_argument, 0, M_WEIGHTED},                                  \
    {"alpha", required_argument, 0, M_ALPHA},                                  \
    {"pattern", required_argument, 0, M_PATTERN},                              \
    {"epsilon", required_argument, 0, M_EPSILON},                              \
    {"beta", required_argument, 0, M_BETA},                                    \
    {"katz-length", required_argument, 0, M_KATZ_LENGTH},                      \
    {"block-entries", required_argument, 0, M_BLOCK}

/* Handle a predictor option: 1 handled, 0 not one, -1 bad value (printed).
 * --method is handled by the caller (eval takes a list). */
static int parse_method_option(grl_linkpred_options *o, int code,
                               const char *arg)
{
    long long v;
    char msg[GRL_MSG_LEN];
    switch (code) {
    case M_WEIGHTED: o->weighted = true; return 1;
    case M_ALPHA: return cli_parse_double("--alpha", arg, CLI_ANY, &o->alpha) ? -1 : 1;
    case M_EPSILON: return cli_parse_double("--epsilon", arg, CLI_ANY, &o->epsilon) ? -1 : 1;
    case M_BETA: return cli_parse_double("--beta", arg, CLI_ANY, &o->beta) ? -1 : 1;
    case M_KATZ_LENGTH:
        if (cli_parse_int("--katz-length", arg, 1, 8, &v)) return -1;
        o->katz_length = (int)v;
        return 1;
    case M_BLOCK:
        if (cli_parse_int("--block-entries", arg, 1, LLONG_MAX, &v)) return -1;
        o->block_entries = v;
        return 1;
    case M_PATTERN:
        if (cli_enum("--pattern", grl_linkpred_pattern_parse(arg, &o->pattern,
                                                             msg), msg))
            return -1;
        return 1;
    case M_METHOD:
        return cli_enum("--method", grl_linkpred_method_parse(arg, &o->method,
                                                              msg), msg) ? -1 : 1;
    default: return 0;
    }
}

/* Write `u v score` lines with the graph's ids; skip v = -1. */
static int write_scores(const char *path, const grl_graph *G, const int64_t *u,
                        const int64_t *v, const double *s, int64_t count,
                        int64_t per_u)
{
    FILE *f = cli_open_output(path);
    if (f == NULL) return 1;
    for (int64_t i = 0; i < count; i++) {
        if (v[i] < 0) continue;
        cli_put_id(f, G, per_u ? u[i / per_u] : u[i]);
        putc(' ', f);
        cli_put_id(f, G, v[i]);
        fprintf(f, " %.17g\n", s[i]);
    }
    return cli_close_output(f, path);
}

typedef struct {
    double s;
    int64_t a, b;
} scored_pair;

static int by_score_then_pair(const void *x, const void *y)
{
    const scored_pair *p = x, *q = y;
    if (p->s != q->s) return p->s > q->s ? -1 : 1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* The `best` highest-scoring pairs among per-source candidates (undirected:
 * (u, v) and (v, u) are one pair), best first, ties by index. */
static int write_best(const char *path, const grl_graph *G, const int64_t *src,
                      const int64_t *cand, const double *s, int64_t nsrc,
                      int64_t k, int64_t best)
{
    scored_pair *p = cli_array(nsrc * k, sizeof(scored_pair), "--best");
    if (p == NULL) return 1; /* nsrc * k: checked when cand was allocated */
    int64_t np = 0;
    bool directed = grl_graph_is_directed(G);
    for (int64_t i = 0; i < nsrc * k; i++) {
        int64_t u = src[i / k], v = cand[i];
        if (v < 0) continue;
        if (!directed && u > v) { int64_t t = u; u = v; v = t; }
        p[np++] = (scored_pair){s[i], u, v};
    }
    qsort(p, (size_t)np, sizeof(scored_pair), by_score_then_pair);
    if (best > np) best = np;
    int64_t out = 0, *u = cli_array(best, sizeof(int64_t), "--best");
    int64_t *v = u ? cli_array(best, sizeof(int64_t), "--best") : NULL;
    double *sc = v ? cli_array(best, sizeof(double), "--best") : NULL;
    int rc = sc ? 0 : 1;
    for (int64_t i = 0; !rc && i < np && out < best; i++) {
        if (i > 0 && p[i].a == p[i - 1].a && p[i].b == p[i - 1].b) continue;
        u[out] = p[i].a;
        v[out] = p[i].b;
        sc[out++] = p[i].s;
    }
    if (!rc) rc = write_scores(path, G, u, v, sc, out, 0);
    free(p); free(u); free(v); free(sc);
    return rc;
}

/* What every subcommand parses: graph input and predictor options. */
typedef struct {
    cli_common common;
    grl_linkpred_options opt;
    const char *methods; /* eval's list */
} lp_args;

static int score_cmd(int argc, char **argv)
{
    lp_args a;
    cli_common_init(&a.common);
    grl_linkpred_options_init(&a.opt);
    enum { PAIRS = OWN_BASE, OUTPUT, MODEL, FEATURES };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'}, METHOD_OPTIONS,
        {"model", required_argument, 0, MODEL},
        {"features", required_argument, 0, FEATURES},
        {"pairs", required_argument, 0, PAIRS},
        {"output", required_argument, 0, OUTPUT}, {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *pairs = NULL, *output = NULL, *model = NULL, *features = NULL;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        int h;
        if (code == 'h') {
            printf("%s%s%s", usage_score, usage_method, cli_common_help);
            return 0;
        } else if (code == PAIRS) pairs = optarg;
        else if (code == MODEL) model = optarg;
        else if (code == FEATURES) features = optarg;
        else if (code == OUTPUT) output = optarg;
        else if ((h = parse_method_option(&a.opt, code, optarg)) != 0) bad = h < 0;
        else if ((h = cli_common_parse(&a.common, code, optarg)) != 0) bad = h < 0;
        else return cli_bad_option(code, argv, "linkpred score");
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl linkpred score takes one graph file (try --help)");
    if (pairs == NULL) return cli_error("grl linkpred score needs --pairs FILE");
    grl_graph *G = NULL;
    int rc = cli_common_apply(&a.common);
    if (!rc) rc = cli_load_graph(&G, argv[optind], &a.common);
    if (rc) return rc;
    int64_t *u = NULL, *v = NULL, np = 0;
    double *s = NULL;
    char msg[GRL_MSG_LEN] = "";
    rc = cli_read_nodes(pairs, G, &u, &v, &np);
    if (!rc && (s = cli_array(np, sizeof(double), "the scores")) == NULL) rc = 1;
    cli_counter counter = {a.common.quiet, "linkpred: pairs scored:"};
    a.opt.progress = cli_count;
    a.opt.progress_ctx = &counter;
    grl_ncn *M = NULL;
    grl_dense *X = NULL;
    if (!rc && model) rc = linkpred_model_open(&M, &X, G, model, features);
    if (!rc) {
        cli_progress(&a.common, "linkpred (%s): %lld pairs",
                     M ? "model" : grl_linkpred_method_name(a.opt.method),
                     (long long)np);
        int status = M ? grl_ncn_score(M, G, X, u, v, np, s, msg)
                       : grl_linkpred_score(G, u, v, np, &a.opt, s, msg);
        cli_progress(&a.common, NULL);
        if (status < 0) rc = cli_error("%s", msg);
    }
    if (!rc) rc = write_scores(output, G, u, v, s, np, 0);
    grl_ncn_free(&M);
    grl_dense_free(&X);
    free(u); free(v); free(s);
    grl_graph_free(&G);
    return rc;
}

static int topk_cmd(int argc, char **argv)
{
    lp_args a;
    cli_common_init(&a.common);
    grl_linkpred_options_init(&a.opt);
    enum { K = OWN_BASE, BEST, SOURCES, OUTPUT, MODEL, FEATURES };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'}, METHOD_OPTIONS,
        {"model", required_argument, 0, MODEL},
        {"features", required_argument, 0, FEATURES},
        {"k", required_argument, 0, K},
        {"best", required_argument, 0, BEST},
        {"sources-file", required_argument, 0, SOURCES},
        {"output", required_argument, 0, OUTPUT}, {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *sources_path = NULL, *output = NULL, *model = NULL, *features = NULL;
    long long k = 0, best = 0;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        int h;
        if (code == 'h') {
            printf("%s%s%s", usage_topk, usage_method, cli_common_help);
            return 0;
        } else if (code == K) bad = cli_parse_int("--k", optarg, 1, LLONG_MAX, &k);
        else if (code == BEST) bad = cli_parse_int("--best", optarg, 1, LLONG_MAX, &best);
        else if (code == SOURCES) sources_path = optarg;
        else if (code == MODEL) model = optarg;
        else if (code == FEATURES) features = optarg;
        else if (code == OUTPUT) output = optarg;
        else if ((h = parse_method_option(&a.opt, code, optarg)) != 0) bad = h < 0;
        else if ((h = cli_common_parse(&a.common, code, optarg)) != 0) bad = h < 0;
        else return cli_bad_option(code, argv, "linkpred topk");
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl linkpred topk takes one graph file (try --help)");
    if (k < best) k = best; /* the N best pairs are among the per-node N best */
    if (k == 0) return cli_error("grl linkpred topk needs --k K or --best N");
    grl_graph *G = NULL;
    int rc = cli_common_apply(&a.common);
    if (!rc) rc = cli_load_graph(&G, argv[optind], &a.common);
    if (rc) return rc;
    int64_t *nodes = NULL, nn = grl_graph_num_nodes(G), *cand = NULL;
    double *s = NULL;
    char msg[GRL_MSG_LEN] = "";
    int64_t n = grl_graph_num_nodes(G), cells = 0;
    if (k > n) k = n > 0 ? n : 1; /* a node has at most n - 1 new links */
    if (sources_path) rc = cli_read_nodes(sources_path, G, &nodes, NULL, &nn);
    if (!rc) rc = cli_mul(nn, k, &cells, "--k x source nodes");
    if (!rc && ((cand = cli_array(cells, sizeof(int64_t), "--k candidates")) == NULL ||
                (s = cli_array(cells, sizeof(double), "--k candidates")) == NULL))
        rc = 1;
    cli_counter counter = {a.common.quiet, "linkpred: source nodes done:"};
    a.opt.progress = cli_count;
    a.opt.progress_ctx = &counter;
    grl_ncn *M = NULL;
    grl_dense *X = NULL;
    if (!rc && model) rc = linkpred_model_open(&M, &X, G, model, features);
    if (!rc) {
        cli_progress(&a.common, "linkpred (%s): top %lld of %lld nodes",
                     M ? "model" : grl_linkpred_method_name(a.opt.method), k,
                     (long long)nn);
        int status = M ? grl_ncn_topk(M, G, X, nodes, nn, k, cand, s, msg)
                       : grl_linkpred_topk(G, nodes, nn, k, &a.opt, cand, s, msg);
        cli_progress(&a.common, NULL);
        if (status < 0) rc = cli_error("%s", msg);
    }
    if (!rc && nodes == NULL) { /* sources 0..n-1 */
        if ((nodes = cli_array(nn, sizeof(int64_t), "the source nodes")) == NULL) rc = 1;
        for (int64_t i = 0; !rc && i < nn; i++) nodes[i] = i;
    }
    if (!rc && best > 0) rc = write_best(output, G, nodes, cand, s, nn, k, best);
    else if (!rc) rc = write_scores(output, G, nodes, cand, s, cells, k);
    grl_ncn_free(&M);
    grl_dense_free(&X);
    free(nodes); free(cand); free(s);
    grl_graph_free(&G);
    return rc;
}

/* The pairs of a negatives file must be non-edges of G: an edge among them
 * (a test edge, say) would be scored as a negative and the figures would
 * mean nothing. Returns 0 or an exit code. */
static int check_non_edges(const char *path, const grl_graph *G, const int64_t *u,
                           const int64_t *v, int64_t count)
{
    GrB_Matrix A = grl_graph_matrix(G);
    for (int64_t k = 0; k < count; k++) {
        double w;
        if (GrB_Matrix_extractElement_FP64(&w, A, (GrB_Index)u[k], (GrB_Index)v[k]) !=
            GrB_SUCCESS)
            continue;
        char a[64], b[64];
        grl_graph_node_id(G, u[k], a, sizeof a);
        grl_graph_node_id(G, v[k], b, sizeof b);
        return cli_error("%s: pair %lld (%s %s) is an edge of the graph, not a "
                         "negative", path, (long long)k + 1, a, b);
    }
    return 0;
}

/* Score positives and negatives on the training graph and print a row. */
static int eval_method(grl_graph *train, const grl_edge_split *S,
                       const int64_t *nu, const int64_t *nv, int64_t nneg,
                       const grl_linkpred_options *o, double *ps, double *ns)
{
    char msg[GRL_MSG_LEN] = "";
    grl_linkpred_metrics m;
    if (grl_linkpred_score(train, S->test_u, S->test_v, S->ntest, o, ps, msg) < 0 ||
        grl_linkpred_score(train, nu, nv, nneg, o, ns, msg) < 0 ||
        grl_linkpred_evaluate(ps, S->ntest, ns, nneg, &m, msg) < 0)
        return cli_error("%s", msg);
    printf("%-9s %7.4f %7.4f %8.4f %8.4f %8.4f %7.4f\n",
           grl_linkpred_method_name(o->method), m.auc, m.ap, m.hits20,
           m.hits50, m.hits100, m.mrr);
    return 0;
}

typedef struct {
    grl_linkpred_method m[GRL_LINKPRED_NMETHODS * 2];
    int count;
} method_list;

static int add_method(const char *item, void *ctx)
{
    method_list *list = ctx;
    char msg[GRL_MSG_LEN];
    if (list->count == (int)(sizeof list->m / sizeof *list->m))
        return cli_error("--method: too many methods");
    if (grl_linkpred_method_parse(item, &list->m[list->count++], msg) < 0)
        return cli_error("--method: %s", msg);
    return 0;
}

static int eval_cmd(int argc, char **argv)
{
    lp_args a;
    cli_common_init(&a.common);
    grl_linkpred_options_init(&a.opt);
    a.methods = "cn,aa,ra";
    enum { TEST = OWN_BASE, VALID, KEEP, NEG, NEGFILE, SEED };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'}, METHOD_OPTIONS,
        {"test-fraction", required_argument, 0, TEST},
        {"valid-fraction", required_argument, 0, VALID},
        {"keep-connected", no_argument, 0, KEEP},
        {"negatives", required_argument, 0, NEG},
        {"negatives-file", required_argument, 0, NEGFILE},
        {"seed", required_argument, 0, SEED}, {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *negfile = NULL;
    grl_edge_split_options so;
    grl_edge_split_options_init(&so);
    long long nneg = -1;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        int h;
        switch (code) {
        case 'h': printf("%s%s%s", usage_eval, usage_method, cli_common_help); return 0;
        case M_METHOD: a.methods = optarg; break;
        case TEST:
            bad = cli_parse_double("--test-fraction", optarg, CLI_OPEN_UNIT, &so.test_fraction);
            break;
        case VALID:
            bad = cli_parse_double("--valid-fraction", optarg, CLI_PROBABILITY, &so.valid_fraction);
            break;
        case KEEP: so.keep_connected = true; break;
        case NEG: bad = cli_parse_int("--negatives", optarg, 1, LLONG_MAX, &nneg); break;
        case NEGFILE: negfile = optarg; break;
        case SEED: bad = cli_parse_seed(optarg, &so.seed); break;
        default:
            if ((h = parse_method_option(&a.opt, code, optarg)) != 0) bad = h < 0;
            else if ((h = cli_common_parse(&a.common, code, optarg)) != 0) bad = h < 0;
            else return cli_bad_option(code, argv, "linkpred eval");
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl linkpred eval takes one graph file (try --help)");
    /* the method list, checked before any work */
    method_list list = {.count = 0};
    char msg[GRL_MSG_LEN] = "";
    int rc = cli_split_list("--method", a.methods, add_method, &list);
    if (rc) return rc;

    grl_graph *G = NULL;
    rc = cli_common_apply(&a.common);
    if (!rc) rc = cli_load_graph(&G, argv[optind], &a.common);
    if (rc) return rc;
    grl_edge_split *S = NULL;
    int64_t *nu = NULL, *nv = NULL, count = 0;
    double *ps = NULL, *ns = NULL;
    if (grl_edge_split_new(&S, G, &so, msg) < 0)
        rc = cli_error("%s", msg);
    if (!rc && negfile) {
        rc = cli_read_nodes(negfile, G, &nu, &nv, &count);
        if (!rc) rc = check_non_edges(negfile, G, nu, nv, count);
    } else if (!rc) {
        count = nneg > 0 ? nneg : S->ntest;
        if ((nu = cli_array(count, sizeof(int64_t), "--negatives")) == NULL ||
            (nv = cli_array(count, sizeof(int64_t), "--negatives")) == NULL)
            rc = 1;
        else if (grl_linkpred_negatives(G, count, so.seed, nu, nv, msg) < 0)
            rc = cli_error("%s", msg);
    }
    if (!rc && (S->ntest == 0 || count == 0))
        rc = cli_error("nothing to evaluate: %lld test edges, %lld negatives",
                       (long long)S->ntest, (long long)count);
    if (!rc) {
        if ((ps = cli_array(S->ntest, sizeof(double), "the test scores")) == NULL ||
            (ns = cli_array(count, sizeof(double), "--negatives scores")) == NULL)
            rc = 1;
    }
    if (!rc) {
        printf("graph: %lld nodes, %lld edges; train %lld, validation %lld, "
               "test %lld edges (seed %llu%s); %lld negatives%s\n",
               (long long)grl_graph_num_nodes(G), (long long)grl_graph_num_edges(G),
               (long long)grl_graph_num_edges(S->train), (long long)S->nvalid,
               (long long)S->ntest, (unsigned long long)so.seed, so.keep_connected ? ", connected" : "",
               (long long)count, negfile ? " from file" : " sampled from non-edges");
        printf("%-9s %7s %7s %8s %8s %8s %7s\n", "method", "AUC", "AP",
               "Hits@20", "Hits@50", "Hits@100", "MRR");
    }
    char what[80];
    cli_counter counter = {a.common.quiet, what};
    a.opt.progress = cli_count;
    a.opt.progress_ctx = &counter;
    for (int i = 0; !rc && i < list.count; i++) {
        a.opt.method = list.m[i];
        snprintf(what, sizeof what, "linkpred eval (%s): pairs scored:",
                 grl_linkpred_method_name(list.m[i]));
        cli_progress(&a.common, "linkpred eval (%s)", grl_linkpred_method_name(list.m[i]));
        rc = eval_method(S->train, S, nu, nv, count, &a.opt, ps, ns);
    }
    free(nu); free(nv); free(ps); free(ns);
    grl_edge_split_free(&S);
    grl_graph_free(&G);
    return rc;
}

static int tc_cmd(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    enum { HOPS = 1, BETA, OUTPUT };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'}, {"hops", required_argument, 0, HOPS},
        {"beta", required_argument, 0, BETA},
        {"output", required_argument, 0, OUTPUT}, {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *output = NULL;
    grl_concentration_options co;
    grl_concentration_options_init(&co);
    long long hops = co.hops;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        int h;
        if (code == 'h') {
            printf("%s%s", usage_tc, cli_common_help);
            return 0;
        } else if (code == HOPS) bad = cli_parse_int("--hops", optarg, 1, 3, &hops);
        else if (code == BETA) bad = cli_parse_double("--beta", optarg, CLI_ANY, &co.beta);
        else if (code == OUTPUT) output = optarg;
        else if ((h = cli_common_parse(&common, code, optarg)) != 0) bad = h < 0;
        else return cli_bad_option(code, argv, "linkpred tc");
    }
    if (bad) return 1;
    co.hops = (int)hops;
    if (optind != argc - 1)
        return cli_error("grl linkpred tc takes one graph file (try --help)");
    grl_graph *G = NULL;
    int rc = cli_common_apply(&common);
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    int64_t n = grl_graph_num_nodes(G);
    double *tc = cli_array(n, sizeof(double), "the concentrations");
    char msg[GRL_MSG_LEN] = "";
    if (tc == NULL) rc = 1;
    else if (grl_linkpred_concentration(G, &co, tc, msg) < 0)
        rc = cli_error("%s", msg);
    FILE *f = rc ? NULL : cli_open_output(output);
    if (!rc && f == NULL) rc = 1;
    for (int64_t i = 0; !rc && i < n; i++) {
        cli_put_id(f, G, i);
        fprintf(f, " %.17g\n", tc[i]);
    }
    if (!rc) rc = cli_close_output(f, output);
    free(tc);
    grl_graph_free(&G);
    return rc;
}

int cmd_linkpred(int argc, char **argv)
{
    if (argc < 2)
        return cli_error("grl linkpred needs a command: score, topk, eval, tc or train "
                         "(try 'grl linkpred --help')");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("%s", usage_main);
        return 0;
    }
    if (!strcmp(argv[1], "score")) return score_cmd(argc - 1, argv + 1);
    if (!strcmp(argv[1], "topk")) return topk_cmd(argc - 1, argv + 1);
    if (!strcmp(argv[1], "eval")) return eval_cmd(argc - 1, argv + 1);
    if (!strcmp(argv[1], "tc")) return tc_cmd(argc - 1, argv + 1);
    if (!strcmp(argv[1], "train")) return linkpred_train_cmd(argc - 1, argv + 1);
    return cli_error("unknown linkpred command '%s' (expected score, topk, "
                     "eval, tc or train)", argv[1]);
}
