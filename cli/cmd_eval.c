/* cmd_eval.c — `grl eval nodeclf`: node classification with an embedding,
 * the FastRP paper's protocol. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char usage[] =
    "usage: grl eval nodeclf --embedding E.npy --labels L [options]\n"
    "Node classification with an embedding (the FastRP paper's protocol): for\n"
    "each repeat, shuffle the labelled nodes, train one-vs-rest L2 logistic\n"
    "regression on the first fraction, predict each other node's k best-\n"
    "scoring labels (k = its true label count), and report Micro-F1 and\n"
    "Macro-F1 (mean ± standard deviation over repeats).\n\n"
    "  --embedding E.npy     float32/float64 .npy, row i = node i (required)\n"
    "  --labels L            `node label` lines, one per pair; multi-label\n"
    "                        nodes have several lines; # comments (required)\n"
    "  --ids E.ids           node id of each embedding row, one per line\n"
    "                        (default: E.ids beside E.npy if it exists, else\n"
    "                        row i is node i)\n"
    "  --missing skip|zero|error  labelled nodes without an embedding row\n"
    "                        (isolated nodes an edge list never named, unless\n"
    "                        the graph was loaded with --nodes or --num-nodes):\n"
    "                        leave them out (default), give them rows of\n"
    "                        zeros, or stop with an error; skip and zero print\n"
    "                        how many there were\n"
    "  --train-fraction F    share of labelled nodes to train on, in (0, 1)\n"
    "                        (default 0.1)\n"
    "  --repeats R           random splits (default 5)\n"
    "  --seed S              seed of the splits (default 1)\n"
    "  --C C                 inverse L2 strength, scikit-learn's C (default 0.1)\n"
    "  --free-intercept      do not penalise the intercept (scikit-learn's\n"
    "                        lbfgs objective); by default it is penalised like\n"
    "                        the weights, as liblinear, the solver of the\n"
    "                        reference evaluation code, does\n"
    "  --max-iter N          L-BFGS iterations per label (default 1000)\n"
    "  --threads N           threads, 1..1024 (default: all cores); results do not\n"
    "                        depend on it\n"
    "  --quiet               no progress line\n";


/* E.ids beside E.npy, if that file exists (static storage), else NULL. */
static const char *ids_beside(const char *npy)
{
    const char *path = cli_ids_path(npy);
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISREG(st.st_mode) ? path : NULL;
}

/* Grow *E to `rows` rows, the new ones zero (--missing zero). */
static int append_zero_rows(grl_dense **E, int64_t rows, char *msg)
{
    grl_dense *Z = NULL;
    int status = grl_dense_new(&Z, rows, (*E)->cols, msg);
    if (status < 0) return status;
    memcpy(Z->data, (*E)->data, sizeof(float) * (size_t)((*E)->rows * (*E)->cols));
    grl_dense_free(E);
    *E = Z;
    return 0;
}

static int nodeclf(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, 0, 'h'},
        {"embedding", required_argument, 0, 'e'},
        {"labels", required_argument, 0, 'l'},
        {"ids", required_argument, 0, 'i'},
        {"missing", required_argument, 0, 'M'},
        {"train-fraction", required_argument, 0, 'f'},
        {"repeats", required_argument, 0, 'r'},
        {"seed", required_argument, 0, 's'},
        {"C", required_argument, 0, 'C'},
        {"max-iter", required_argument, 0, 'm'},
        {"free-intercept", no_argument, 0, 'F'},
        {"threads", required_argument, 0, 't'},
        {"quiet", no_argument, 0, 'q'},
        {0, 0, 0, 0}};
    const char *embedding = NULL, *labels_path = NULL;
    grl_nodeclf_options opt;
    grl_nodeclf_options_init(&opt);
    grl_labels_options lopt;
    grl_labels_options_init(&lopt);
    lopt.missing = GRL_MISSING_SKIP;
    char msg[GRL_MSG_LEN] = "";
    long long v;
    int code, threads = 0, quiet = 0;
    while ((code = cli_getopt(argc, argv, ":he:l:i:M:f:r:s:C:m:t:qF", options)) != -1) {
        switch (code) {
        case 'h': printf("%s", usage); return 0;
        case 'e': embedding = optarg; break;
        case 'l': labels_path = optarg; break;
        case 'i': lopt.ids_path = optarg; break;
        case 'M':
            if (cli_enum("--missing", grl_missing_policy_parse(
                             optarg, &lopt.missing, msg), msg))
                return 1;
            break;
        case 'f':
            if (cli_parse_double("--train-fraction", optarg, CLI_OPEN_UNIT,
                                 &opt.train_fraction))
                return 1;
            break;
        case 'r':
            if (cli_parse_int("--repeats", optarg, 1, LLONG_MAX, &v)) return 1;
            opt.repeats = v;
            break;
        case 's':
            if (cli_parse_seed(optarg, &opt.seed)) return 1;
            break;
        case 'C':
            if (cli_parse_double("--C", optarg, CLI_POSITIVE, &opt.logreg.C)) return 1;
            break;
        case 'm':
            if (cli_parse_int("--max-iter", optarg, 1, LLONG_MAX, &v)) return 1;
            opt.logreg.lbfgs.max_iter = v;
            break;
        case 't':
            if (cli_parse_int("--threads", optarg, 1, GRL_MAX_THREADS, &v)) return 1;
            threads = (int)v;
            break;
        case 'q': quiet = 1; break;
        case 'F': opt.logreg.penalize_intercept = false; break;
        default: return cli_bad_option(code, argv, "eval nodeclf");
        }
    }
    if (optind != argc)
        return cli_error("grl eval nodeclf: unexpected argument '%s' (try "
                         "--help)", argv[optind]);
    if (embedding == NULL)
        return cli_error("grl eval nodeclf needs --embedding E.npy");
    if (labels_path == NULL)
        return cli_error("grl eval nodeclf needs --labels FILE");
    if (lopt.ids_path == NULL) lopt.ids_path = ids_beside(embedding);
    const char *ids = lopt.ids_path;
    cli_counter counter = {quiet, "nodeclf: repeats done:"};
    opt.progress = cli_count;
    opt.progress_ctx = &counter;

    if (threads > 0 && grl_threads_set(threads, msg) < 0)
        return cli_error("%s", msg);
    grl_dense *E = NULL;
    grl_labels *labels = NULL;
    grl_nodeclf_result res;
    int status = grl_dense_load_npy(&E, embedding, msg);
    if (status >= 0)
        status = grl_labels_load(&labels, labels_path, E->rows, &lopt, msg);
    if (status >= 0 && labels->missing > 0) {
        fprintf(stderr, "grl: note: %lld labelled node%s of %s %s no row in "
                "the embedding: %s (--missing %s; declare the graph's nodes "
                "with --nodes or --num-nodes to embed them)\n",
                (long long)labels->missing, labels->missing == 1 ? "" : "s",
                labels_path, labels->missing == 1 ? "has" : "have",
                lopt.missing == GRL_MISSING_ZERO ? "given rows of zeros"
                                                 : "left out",
                grl_missing_policy_name(lopt.missing));
        if (lopt.missing == GRL_MISSING_ZERO)
            status = append_zero_rows(&E, labels->nodes, msg);
    }
    if (status >= 0) status = grl_nodeclf_evaluate(E, labels, &opt, &res, msg);
    int rc = cli_status(status, msg);
    if (!rc) {
        int64_t missing = labels->missing;
        bool zero = lopt.missing == GRL_MISSING_ZERO;
        printf("embedding           %lld rows x %lld dimensions%s%s\n",
               (long long)(E->rows - (zero ? missing : 0)), (long long)E->cols,
               ids ? ", ids from " : "", ids ? ids : "");
        printf("labelled nodes      %lld", (long long)res.labelled);
        if (missing > 0)
            printf(" (%s %lld without an embedding row%s)", zero ? "with" : "and",
                   (long long)missing, zero ? ", as zero rows" : ", left out");
        printf("\n");
        printf("labels              %lld\n", (long long)res.nlabels);
        printf("train size          %lld (fraction %g), test %lld, %lld "
               "repeat%s\n", (long long)res.train_size, opt.train_fraction,
               (long long)res.test_size, (long long)opt.repeats,
               opt.repeats == 1 ? "" : "s");
        printf("Micro-F1 %.4f ± %.4f\n", res.micro_f1, res.micro_f1_std);
        printf("Macro-F1 %.4f ± %.4f\n", res.macro_f1, res.macro_f1_std);
    }
    grl_labels_free(&labels);
    grl_dense_free(&E);
    return rc;
}

int cmd_eval(int argc, char **argv)
{
    if (argc < 2)
        return cli_error("grl eval needs an evaluation: nodeclf (try "
                         "'grl eval --help')");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: grl eval nodeclf [options]\n"
               "Evaluations:\n"
               "  nodeclf   node classification with an embedding (Micro-/"
               "Macro-F1)\n\n`grl eval nodeclf --help` lists its options.\n");
        return 0;
    }
    if (strcmp(argv[1], "nodeclf") != 0)
        return cli_error("unknown evaluation '%s' (grl eval supports "
                         "nodeclf)", argv[1]);
    return nodeclf(argc - 1, argv + 1);
}
