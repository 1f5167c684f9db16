/* cmd_dag.c — `grl dag learn | simulate | eval`: DAG structure learning
 * from a data matrix (TOPO or NOTEARS), simulated data, and the notears
 * count_accuracy metrics of an estimate. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_main[] =
    "usage: grl dag <command> [options]\n"
    "  learn DATA       learn a weighted DAG from samples (rows) x variables\n"
    "  simulate         random DAG + linear SEM data (notears' generators)\n"
    "  eval W.csv       SHD, TPR, FDR, FPR, nnz against a true graph\n"
    "`grl dag <command> --help` describes its options.\n";

static const char usage_learn[] =
    "usage: grl dag learn DATA --output W.csv [options]\n"
    "Learn a weighted DAG from DATA (CSV/TSV/whitespace table with an optional\n"
    "header of variable names, or .npy; rows = samples). W.csv gets the d x d\n"
    "weights with the names as header; W[i][j] != 0 means i -> j.\n\n"
    "  --method M        topo (default): swaps of topological orders on the\n"
    "                    least-squares score; notears: augmented Lagrangian\n"
    "  --loss L          l2 (default) or logistic (0/1 data)\n"
    "  --lambda1 X       l1 weight (default 0)\n"
    "  --lambda2 X       l2 (ridge) weight (default 0)\n"
    "  --threshold T     |w| < T is no edge (default 0.3)\n"
    "  --no-refit        keep the method's weights; by default each variable is\n"
    "                    refitted by least squares on its kept parents (l2)\n"
    "  --standardize     scale each variable to unit variance first (l2)\n"
    "  --restarts R      TOPO: orders tried, the best score wins (default 1)\n"
    "  --warm-start      TOPO: start from NOTEARS' order\n"
    "  --max-iter N      outer iterations (default topo 10000, notears 100)\n"
    "  --seed S          seed of TOPO's random orders (default 1)\n"
    "  --dot G.dot       also write a Graphviz picture (edge labels = weights)\n"
    "  --truth B.csv     also print the metrics against this true graph\n"
    "  --threads N       threads, 1..1024; results do not depend on it\n"
    "  --quiet           no summary on standard error\n";

static const char usage_simulate[] =
    "usage: grl dag simulate --vars D --edges S --output X.csv [options]\n"
    "A random DAG on D variables (ER: exactly S edges; SF: round(S/D) per new\n"
    "node) with weights uniform on +-[0.5, 2], and samples of the linear SEM.\n\n"
    "  --graph G         er (default) or sf\n"
    "  --noise Z         gauss (default), exp, gumbel, uniform, logistic\n"
    "  --samples N       rows of X.csv (default 1000)\n"
    "  --truth W.csv     write the true weights here\n"
    "  --dot G.dot       and the true graph as Graphviz\n"
    "  --seed S          (default 1)\n";

static const char usage_eval[] =
    "usage: grl dag eval W.csv --truth B.csv [--threshold T]\n"
    "Compare an estimate with a true graph (both d x d CSV, nonzero = edge,\n"
    "same variable names when both have a header): notears' count_accuracy.\n"
    "  --threshold T     |w| < T is no edge (default 0: every nonzero)\n"
    "  --data X.csv      also print the least-squares score of W and of B\n";

/* The metrics lines, shared by learn --truth and eval. */
static void print_metrics(const grl_dag_metrics *m)
{
    printf("shd %lld\ntpr %.4f\nfdr %.4f\nfpr %.4f\nnnz %lld\n", (long long)m->shd,
           m->tpr, m->fdr, m->fpr, (long long)m->nnz);
    if (!m->est_is_dag) printf("warning: the estimate has a cycle\n");
}

/* Load a d x d graph file whose names (when it has a header) match
 * `names` (NULL: no check). Returns 0 or the exit code. */
static int load_graph_file(grl_dag_data **G, const char *path, int64_t d,
                           char *const *names)
{
    char msg[GRL_MSG_LEN];
    if (grl_dag_data_load(G, path, msg) < 0) return cli_error("%s", msg);
    if ((*G)->n != (*G)->d || (d > 0 && (*G)->d != d)) {
        int rc = cli_error("%s: expected a %lld x %lld matrix, got %lld x %lld", path,
                           (long long)(d > 0 ? d : (*G)->d), (long long)(d > 0 ? d : (*G)->d),
                           (long long)(*G)->n, (long long)(*G)->d);
        grl_dag_data_free(G);
        return rc;
    }
    for (int64_t j = 0; names && j < d; j++) {
        char plain[32]; /* the name of a column without a header */
        snprintf(plain, sizeof plain, "x%lld", (long long)j);
        if (strcmp(names[j], (*G)->names[j]) != 0 && strcmp(names[j], plain) != 0 &&
            strcmp((*G)->names[j], plain) != 0) {
            int rc = cli_error("%s: variable %lld is '%s', but the other file "
                               "names it '%s'", path, (long long)j + 1,
                               (*G)->names[j], names[j]);
            grl_dag_data_free(G);
            return rc;
        }
    }
    return 0;
}

/* getopt codes of the long-only options */
enum { O_METHOD = 300, O_LOSS, O_L1, O_L2, O_THRESHOLD, O_NOREFIT, O_RESTARTS,
       O_WARM, O_MAXITER, O_SEED, O_DOT, O_TRUTH, O_THREADS, O_QUIET, O_OUTPUT,
       O_VARS, O_EDGES, O_STD, O_GRAPH, O_NOISE, O_SAMPLES, O_DATA };

static int learn_cmd(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, 0, 'h'},
        {"method", required_argument, 0, O_METHOD},
        {"loss", required_argument, 0, O_LOSS},
        {"lambda1", required_argument, 0, O_L1},
        {"lambda2", required_argument, 0, O_L2},
        {"threshold", required_argument, 0, O_THRESHOLD},
        {"no-refit", no_argument, 0, O_NOREFIT},
        {"standardize", no_argument, 0, O_STD},
        {"restarts", required_argument, 0, O_RESTARTS},
        {"warm-start", no_argument, 0, O_WARM},
        {"max-iter", required_argument, 0, O_MAXITER},
        {"seed", required_argument, 0, O_SEED},
        {"output", required_argument, 0, O_OUTPUT},
        {"dot", required_argument, 0, O_DOT},
        {"truth", required_argument, 0, O_TRUTH},
        {"threads", required_argument, 0, O_THREADS},
        {"quiet", no_argument, 0, O_QUIET},
        {0, 0, 0, 0}};
    grl_dag_options opt;
    grl_dag_options_init(&opt);
    const char *output = NULL, *dot = NULL, *truth = NULL;
    int code, quiet = 0;
    long long v, threads = 0;
    char msg[GRL_MSG_LEN];
    while ((code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s", usage_learn); return 0;
        case O_METHOD:
            if (grl_dag_method_parse(optarg, &opt.method, msg) < 0)
                return cli_error("--method: %s", msg);
            break;
        case O_LOSS:
            if (grl_dag_loss_parse(optarg, &opt.loss, msg) < 0)
                return cli_error("--loss: %s", msg);
            break;
        case O_L1:
            if (cli_parse_double("--lambda1", optarg, CLI_NONNEGATIVE, &opt.lambda1)) return 1;
            break;
        case O_L2:
            if (cli_parse_double("--lambda2", optarg, CLI_NONNEGATIVE, &opt.lambda2)) return 1;
            break;
        case O_THRESHOLD:
            if (cli_parse_double("--threshold", optarg, CLI_NONNEGATIVE, &opt.threshold))
                return 1;
            break;
        case O_NOREFIT: opt.refit = false; break;
        case O_STD: opt.standardize = true; break;
        case O_RESTARTS:
            if (cli_parse_int("--restarts", optarg, 1, 1000000, &v)) return 1;
            opt.restarts = v;
            break;
        case O_WARM: opt.warm_start_notears = true; break;
        case O_MAXITER:
            if (cli_parse_int("--max-iter", optarg, 1, LLONG_MAX, &v)) return 1;
            opt.max_iter = v;
            break;
        case O_SEED:
            if (cli_parse_seed(optarg, &opt.seed)) return 1;
            break;
        case O_OUTPUT: output = optarg; break;
        case O_DOT: dot = optarg; break;
        case O_TRUTH: truth = optarg; break;
        case O_THREADS:
            if (cli_parse_int("--threads", optarg, 1, GRL_MAX_THREADS, &threads)) return 1;
            break;
        case O_QUIET: quiet = 1; break;
        default: return cli_bad_option(code, argv, "dag learn");
        }
    }
    if (optind != argc - 1)
        return cli_error(optind >= argc ? "grl dag learn needs a DATA file (try --help)"
                                        : "grl dag learn: unexpected argument '%s'",
                         argv[argc - 1]);
    if (output == NULL) return cli_error("grl dag learn needs --output W.csv");
    if (threads > 0 && grl_threads_set((int)threads, msg) < 0) return cli_error("%s", msg);
    grl_dag_data *D = NULL, *B = NULL;
    double *W = NULL;
    int rc = 0;
    if (grl_dag_data_load(&D, argv[optind], msg) < 0) return cli_error("%s", msg);
    if (truth && (rc = load_graph_file(&B, truth, D->d, D->names)) != 0) goto done;
    if ((W = cli_array(D->d * D->d, sizeof *W, "W")) == NULL) {
        rc = 1;
        goto done;
    }
    grl_dag_info info;
    int status = grl_dag_learn(W, NULL, D, &opt, &info, msg);
    if (status < 0) {
        rc = cli_error("%s: %s", argv[optind], msg);
        goto done;
    }
    if (status > 0) fprintf(stderr, "grl: warning: %s\n", msg);
    if (grl_dag_save_csv(output, W, D->d, D->names, msg) < 0 ||
        (dot && grl_dag_save_dot(dot, W, D->d, D->names, msg) < 0)) {
        rc = cli_error("%s", msg);
        goto done;
    }
    int64_t edges = 0;
    for (int64_t k = 0; k < D->d * D->d; k++) edges += W[k] != 0;
    if (!quiet)
        fprintf(stderr, "%s: %lld samples x %lld variables, %lld edges, score %.6g "
                "(search %.6g), %lld iterations\n", grl_dag_method_name(opt.method),
                (long long)D->n, (long long)D->d, (long long)edges, info.score,
                info.search_score, (long long)info.iterations);
    if (B) {
        grl_dag_metrics m;
        if (grl_dag_metrics_compute(&m, W, B->X, D->d, 0.0, msg) < 0) {
            rc = cli_error("%s: %s", truth, msg);
            goto done;
        }
        print_metrics(&m);
    }
done:
    free(W);
    grl_dag_data_free(&D);
    grl_dag_data_free(&B);
    return rc;
}

static int simulate_cmd(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, 0, 'h'},
        {"vars", required_argument, 0, O_VARS},
        {"edges", required_argument, 0, O_EDGES},
        {"graph", required_argument, 0, O_GRAPH},
        {"noise", required_argument, 0, O_NOISE},
        {"samples", required_argument, 0, O_SAMPLES},
        {"seed", required_argument, 0, O_SEED},
        {"output", required_argument, 0, O_OUTPUT},
        {"truth", required_argument, 0, O_TRUTH},
        {"dot", required_argument, 0, O_DOT},
        {0, 0, 0, 0}};
    grl_dag_simulate_options opt;
    grl_dag_simulate_options_init(&opt);
    long long d = -1, edges = -1, n = 1000;
    const char *output = NULL, *truth = NULL, *dot = NULL;
    char msg[GRL_MSG_LEN];
    int code;
    while ((code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s", usage_simulate); return 0;
        case O_VARS:
            if (cli_parse_int("--vars", optarg, 1, 20000, &d)) return 1;
            break;
        case O_EDGES:
            if (cli_parse_int("--edges", optarg, 0, LLONG_MAX, &edges)) return 1;
            break;
        case O_SAMPLES:
            if (cli_parse_int("--samples", optarg, 1, 100000000, &n)) return 1;
            break;
        case O_GRAPH:
            if (grl_dag_graph_parse(optarg, &opt.graph, msg) < 0)
                return cli_error("--graph: %s", msg);
            break;
        case O_NOISE:
            if (grl_dag_noise_parse(optarg, &opt.noise, msg) < 0)
                return cli_error("--noise: %s", msg);
            break;
        case O_SEED:
            if (cli_parse_seed(optarg, &opt.seed)) return 1;
            break;
        case O_OUTPUT: output = optarg; break;
        case O_TRUTH: truth = optarg; break;
        case O_DOT: dot = optarg; break;
        default: return cli_bad_option(code, argv, "dag simulate");
        }
    }
    if (optind != argc)
        return cli_error("grl dag simulate: unexpected argument '%s'", argv[optind]);
    if (d < 0 || edges < 0) return cli_error("grl dag simulate needs --vars and --edges");
    if (output == NULL) return cli_error("grl dag simulate needs --output X.csv");
    int64_t nd;
    if (cli_mul(n, d, &nd, "--samples x --vars")) return 1;
    double *W = cli_array(d * d, sizeof *W, "W"), *X = cli_array(nd, sizeof *X, "X");
    grl_dag_data *D = NULL;
    int rc = 0;
    if (W == NULL || X == NULL) rc = 1;
    else if (grl_dag_simulate(W, X, d, edges, n, &opt, msg) < 0 ||
             grl_dag_data_from_array(&D, X, n, d, msg) < 0 ||
             grl_dag_data_save_csv(output, D, msg) < 0 ||
             (truth && grl_dag_save_csv(truth, W, d, D->names, msg) < 0) ||
             (dot && grl_dag_save_dot(dot, W, d, D->names, msg) < 0))
        rc = cli_error("%s", msg);
    free(W);
    free(X);
    grl_dag_data_free(&D);
    return rc;
}

static int eval_cmd(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, 0, 'h'},
        {"truth", required_argument, 0, O_TRUTH},
        {"threshold", required_argument, 0, O_THRESHOLD},
        {"data", required_argument, 0, O_DATA},
        {0, 0, 0, 0}};
    const char *truth = NULL, *data = NULL;
    double threshold = 0;
    char msg[GRL_MSG_LEN];
    int code;
    while ((code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s", usage_eval); return 0;
        case O_TRUTH: truth = optarg; break;
        case O_DATA: data = optarg; break;
        case O_THRESHOLD:
            if (cli_parse_double("--threshold", optarg, CLI_NONNEGATIVE, &threshold))
                return 1;
            break;
        default: return cli_bad_option(code, argv, "dag eval");
        }
    }
    if (optind != argc - 1)
        return cli_error(optind >= argc ? "grl dag eval needs a W.csv file (try --help)"
                                        : "grl dag eval: unexpected argument '%s'",
                         argv[argc - 1]);
    if (truth == NULL) return cli_error("grl dag eval needs --truth B.csv");
    grl_dag_data *W = NULL, *B = NULL, *D = NULL;
    int rc = load_graph_file(&W, argv[optind], 0, NULL);
    if (rc == 0) rc = load_graph_file(&B, truth, W->d, W->names);
    grl_dag_metrics m;
    if (rc == 0 && grl_dag_metrics_compute(&m, W->X, B->X, W->d, threshold, msg) < 0)
        rc = cli_error("%s: %s", truth, msg);
    if (rc == 0) print_metrics(&m);
    if (rc == 0 && data) {
        double sw, sb;
        if (grl_dag_data_load(&D, data, msg) < 0) {
            rc = cli_error("%s", msg);
        } else if (D->d != W->d) {
            rc = cli_error("%s: %lld variables, but W has %lld", data,
                           (long long)D->d, (long long)W->d);
        } else if (grl_dag_score(&sw, D, W->X, NULL, msg) < 0 ||
                   grl_dag_score(&sb, D, B->X, NULL, msg) < 0) {
            rc = cli_error("%s: %s", data, msg);
        } else {
            printf("score %.6f\nscore_truth %.6f\n", sw, sb);
        }
    }
    grl_dag_data_free(&W);
    grl_dag_data_free(&B);
    grl_dag_data_free(&D);
    return rc;
}

int cmd_dag(int argc, char **argv)
{
    if (argc < 2)
        return cli_error("grl dag needs a command: learn, simulate or eval (try "
                         "'grl dag --help')");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("%s", usage_main);
        return 0;
    }
    if (!strcmp(argv[1], "learn")) return learn_cmd(argc - 1, argv + 1);
    if (!strcmp(argv[1], "simulate")) return simulate_cmd(argc - 1, argv + 1);
    if (!strcmp(argv[1], "eval")) return eval_cmd(argc - 1, argv + 1);
    return cli_error("unknown dag command '%s' (expected learn, simulate or eval)",
                     argv[1]);
}
