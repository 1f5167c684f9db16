/* cmd_gnn.c — `grl gnn adpa FILE ...`: directed-pattern aggregation (ADPA)
 * trained and tested on every split, and `grl digraph profile FILE`: the
 * AMUD-style directed-or-undirected table (both share the node-data
 * options, read here). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char adpa_usage[] =
    "usage: grl gnn adpa FILE --features F --labels L [options]\n"
    "Node classification with ADPA (Sun et al., ICDE 2024): features propagated\n"
    "along the directed patterns A, At, AA, AAt, AtA, AtAt (K hops each,\n"
    "precomputed), node-adaptive hop attention, one layer per pattern and a\n"
    "learned combination. Prints test accuracy mean +- std over the splits and\n"
    "the share of the representation each pattern carries. The graph is read\n"
    "as directed unless --undirected.\n\n"
    "  --features F          node features: `node feature value` lines, dense\n"
    "                        rows (row r = node id r) or .npy\n"
    "  --labels L            `node class` lines, classes 0..k-1\n"
    "  --splits S            `split node role` or `node role` lines\n"
    "  --train-per-class K   without --splits: K training nodes per class (20)\n"
    "  --val V               ... and V validation nodes (500)\n"
    "  --repeats R           ... over R seeded splits (10)\n"
    "  --patterns P          all (default), undirected, dir, features, auto\n"
    "  --hops K              propagation steps per pattern (2)\n"
    "  --r R                 normalisation D^(r-1) P D^-r (0.42749)\n"
    "  --hidden H            width per pattern (32)\n"
    "  --dropout P           (0.64)\n"
    "  --lr X                learning rate (0.06)\n"
    "  --weight-decay X[,Y..] one value, or up to 4 tried on every split, the\n"
    "                        best on validation kept (0.0127,0.0005)\n"
    "  --optimizer O         adam (default), adamw, sgd\n"
    "  --cosine              cosine learning-rate schedule\n"
    "  --epochs N            (500)\n"
    "  --patience N          early stopping on validation accuracy (50; 0 off)\n"
    "  --batch-size N        training nodes per step (0: all)\n"
    "  --seed S              splits, initialisation and dropout (0)\n"
    "  --model-out M         save the model of the best validation split\n"
    "  --predictions OUT     `id class p_0 ... p_k-1` of every node from it\n\n";

static const char profile_usage[] =
    "usage: grl digraph profile FILE --labels L [--splits S] [--features F]\n"
    "Directed or undirected? Label homophily of each directed pattern (A, At,\n"
    "AA, AAt, AtA, AtAt) and of the symmetrised graph, over pairs of labelled\n"
    "nodes (with --splits: the training nodes of split 0), raw and adjusted\n"
    "for class sizes, and the pipeline it recommends (what `grl gnn adpa\n"
    "--patterns auto` follows). The graph is read as directed.\n\n"
    "  --labels L            `node class` lines\n"
    "  --splits S            use split 0's training nodes only\n"
    "  --features F          add each pattern's feature smoothness: mean\n"
    "                        squared feature distance along its pairs over\n"
    "                        that of random pairs (below 1: smooth)\n\n";

/* Node-data options shared by both commands. */
typedef struct {
    const char *features, *labels, *splits;
    grl_node_splits_options gen;
} node_data;

typedef struct {
    const cli_common *common;
    int64_t split, splits;
} progress_ctx;

static void on_epoch(const grl_gnn_train_progress *p, void *ctx)
{
    const progress_ctx *c = ctx;
    cli_progress(c->common, "split %lld/%lld epoch %lld/%lld: loss %.4f, train "
                 "%.3f, val %.3f (%.2f s)", (long long)c->split + 1,
                 (long long)c->splits, (long long)p->epoch, (long long)p->epochs,
                 p->loss, p->train_accuracy, p->val_accuracy, p->seconds);
}

/* Load labels and splits (read or drawn). Returns 0 or an exit code. */
static int load_node_data(const node_data *d, grl_graph *G, grl_node_labels **L,
                          grl_node_splits **S, bool need_splits)
{
    char msg[GRL_MSG_LEN];
    if (grl_node_labels_load(L, G, d->labels, msg) < 0) return cli_error("%s", msg);
    if (d->splits) {
        if (grl_node_splits_load(S, G, d->splits, msg) < 0) return cli_error("%s", msg);
    } else if (need_splits) {
        if (grl_node_splits_generate(S, G, *L, &d->gen, msg) < 0)
            return cli_error("%s", msg);
    }
    return 0;
}

static int write_predictions(const char *path, const grl_graph *G,
                             const grl_adpa *M, const grl_adpa_prop *P)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(G), k = grl_adpa_nclasses(M), cells;
    if (cli_mul(n, k, &cells, "the predictions")) return 1;
    float *proba = cli_array(cells, sizeof(float), "the predictions");
    if (proba == NULL) return 1;
    if (grl_adpa_predict(M, P, proba, msg) < 0) {
        free(proba);
        return cli_error("%s", msg);
    }
    FILE *f = cli_open_output(path);
    if (f == NULL) {
        free(proba);
        return 1;
    }
    for (int64_t i = 0; i < n; i++) {
        const float *p = proba + i * k;
        int64_t best = 0;
        for (int64_t c = 1; c < k; c++)
            if (p[c] > p[best]) best = c;
        cli_put_id(f, G, i);
        fprintf(f, " %lld", (long long)best);
        for (int64_t c = 0; c < k; c++) fprintf(f, " %.6g", p[c]);
        fputc('\n', f);
    }
    free(proba);
    return cli_close_output(f, path);
}

/* --weight-decay X or X,Y,...: one decay, or candidates for validation. */
static int parse_decays(const char *arg, grl_adpa_options *o)
{
    char copy[256];
    if (snprintf(copy, sizeof copy, "%s", arg) >= (int)sizeof copy)
        return cli_error("--weight-decay: too long");
    int n = 0;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        if (n == GRL_ADPA_MAX_DECAYS)
            return cli_error("--weight-decay: at most %d values", GRL_ADPA_MAX_DECAYS);
        if (cli_parse_double("--weight-decay", t, CLI_NONNEGATIVE, &o->decay[n]))
            return 1;
        n++;
    }
    if (n == 0) return cli_error("--weight-decay: no value");
    o->train.optimizer.weight_decay = o->decay[0];
    o->decays = n > 1 ? n : 0;
    return 0;
}

static int run_adpa(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    common.load.directed = 1;
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    node_data d = {0};
    grl_node_splits_options_init(&d.gen);
    enum { FEATURES = 1, LABELS, SPLITS, PER_CLASS, VAL, REPEATS, PATTERNS, HOPS,
           R, HIDDEN, DROPOUT, LR, WD, OPTIMIZER, COSINE, EPOCHS, PATIENCE,
           BATCH, SEED, MODEL_OUT, PREDICTIONS };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"features", required_argument, 0, FEATURES},
        {"labels", required_argument, 0, LABELS},
        {"splits", required_argument, 0, SPLITS},
        {"train-per-class", required_argument, 0, PER_CLASS},
        {"val", required_argument, 0, VAL},
        {"repeats", required_argument, 0, REPEATS},
        {"patterns", required_argument, 0, PATTERNS},
        {"hops", required_argument, 0, HOPS},
        {"r", required_argument, 0, R},
        {"hidden", required_argument, 0, HIDDEN},
        {"dropout", required_argument, 0, DROPOUT},
        {"lr", required_argument, 0, LR},
        {"weight-decay", required_argument, 0, WD},
        {"optimizer", required_argument, 0, OPTIMIZER},
        {"cosine", no_argument, 0, COSINE},
        {"epochs", required_argument, 0, EPOCHS},
        {"patience", required_argument, 0, PATIENCE},
        {"batch-size", required_argument, 0, BATCH},
        {"seed", required_argument, 0, SEED},
        {"model-out", required_argument, 0, MODEL_OUT},
        {"predictions", required_argument, 0, PREDICTIONS},
        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *model_out = NULL, *predictions = NULL;
    char msg[GRL_MSG_LEN] = "";
    long long v;
    int code, bad = 0;
    while (!bad && (code = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", adpa_usage, cli_common_help); return 0;
        case FEATURES: d.features = optarg; break;
        case LABELS: d.labels = optarg; break;
        case SPLITS: d.splits = optarg; break;
        case PER_CLASS:
            bad = cli_parse_int("--train-per-class", optarg, 1, INT_MAX, &v);
            d.gen.train_per_class = v;
            break;
        case VAL:
            bad = cli_parse_int("--val", optarg, 1, LLONG_MAX / 2, &v);
            d.gen.val = v;
            break;
        case REPEATS:
            bad = cli_parse_int("--repeats", optarg, 1, 1 << 20, &v);
            d.gen.repeats = v;
            break;
        case PATTERNS:
            if (grl_adpa_patterns_parse(optarg, &o.patterns, msg) < 0)
                bad = cli_error("--patterns: %s", msg);
            break;
        case HOPS: bad = cli_parse_int("--hops", optarg, 1, 8, &v); o.hops = (int)v; break;
        case R: bad = cli_parse_double("--r", optarg, CLI_UNIT, &o.r); break;
        case HIDDEN:
            bad = cli_parse_int("--hidden", optarg, 1, 1 << 20, &v);
            o.hidden = v;
            break;
        case DROPOUT:
            bad = cli_parse_double("--dropout", optarg, CLI_PROBABILITY, &o.dropout);
            break;
        case LR:
            bad = cli_parse_double("--lr", optarg, CLI_POSITIVE, &o.train.optimizer.lr);
            break;
        case WD: bad = parse_decays(optarg, &o); break;
        case OPTIMIZER:
            if (grl_optimizer_parse(optarg, &o.train.optimizer.kind, msg) < 0)
                bad = cli_error("--optimizer: %s", msg);
            break;
        case COSINE: o.train.optimizer.cosine = true; break;
        case EPOCHS:
            bad = cli_parse_int("--epochs", optarg, 1, 100000000, &v);
            o.train.epochs = v;
            break;
        case PATIENCE:
            bad = cli_parse_int("--patience", optarg, 0, LLONG_MAX, &v);
            o.train.patience = v;
            break;
        case BATCH:
            bad = cli_parse_int("--batch-size", optarg, 0, LLONG_MAX, &v);
            o.train.batch_size = v;
            break;
        case SEED:
            bad = cli_parse_seed(optarg, &o.train.seed);
            d.gen.seed = o.train.seed;
            break;
        case MODEL_OUT: model_out = optarg; break;
        case PREDICTIONS: predictions = optarg; break;
        default: {
            int handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, "gnn adpa");
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl gnn adpa takes one graph file (try --help)");
    if (!d.features || !d.labels)
        return cli_error("grl gnn adpa needs --features and --labels");
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    grl_dense *X = NULL;
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    grl_adpa *M = NULL;
    grl_adpa_prop *P = NULL;
    grl_adpa_evaluation E = {0};
    if (grl_node_features_load(&X, G, d.features, GRL_FEATURES_AUTO, msg) < 0)
        rc = cli_error("%s", msg);
    if (!rc) rc = load_node_data(&d, G, &L, &S, true);
    if (!rc) {
        progress_ctx pc = {&common, 0, S->nsplits};
        o.train.progress = on_epoch;
        o.train.progress_ctx = &pc;
        int status = grl_adpa_evaluate(&E, model_out || predictions ? &M : NULL,
                                       predictions ? &P : NULL, G, X, L, S, &o, msg);
        cli_progress(&common, NULL);
        if (status < 0) rc = cli_error("%s", msg);
    }
    if (!rc) {
        printf("ADPA, patterns %s, %d hops: test accuracy %.4f +- %.4f over %lld "
               "splits (validation %.4f)\n", grl_adpa_patterns_name(E.chosen),
               o.hops, E.test_mean, E.test_std, (long long)E.splits, E.val_mean);
        printf("pattern mass:");
        for (int b = 0; b < E.branches; b++)
            printf(" %s %.3f", E.branch_names[b], E.mass[b]);
        printf("\n");
        if (model_out && grl_adpa_save(M, model_out, msg) < 0) rc = cli_error("%s", msg);
    }
    if (!rc && predictions) rc = write_predictions(predictions, G, M, P);
    grl_adpa_evaluation_release(&E);
    grl_adpa_free(&M);
    grl_adpa_prop_free(&P);
    grl_node_splits_free(&S);
    grl_node_labels_free(&L);
    grl_dense_free(&X);
    grl_graph_free(&G);
    return rc;
}

int cmd_gnn(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "adpa") == 0) return run_adpa(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "gvi-generate") == 0)
        return cmd_gnn_gvi_generate(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "pore-generate") == 0)
        return cmd_gnn_pore_generate(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "mpnn") == 0) return cmd_gnn_mpnn(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: grl gnn <command> [options]\n"
               "  adpa FILE        node classification with directed patterns\n"
               "  gvi-generate     graph value iteration data (TU files)\n"
               "  pore-generate    pore networks and their pressures (TU files)\n"
               "  mpnn             message-passing regression on those files\n"
               "`grl gnn <command> --help` describes its options.\n");
        return 0;
    }
    return cli_error("grl gnn: expected a model (adpa) or a task command (gvi-generate, "
                     "pore-generate, mpnn), got '%s'",
                     argc >= 2 ? argv[1] : "");
}

static int run_profile(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    common.load.directed = 1;
    node_data d = {0};
    enum { LABELS = 1, SPLITS, FEATURES };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"labels", required_argument, 0, LABELS},
        {"splits", required_argument, 0, SPLITS},
        {"features", required_argument, 0, FEATURES},
        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    int code, bad = 0;
    while (!bad && (code = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", profile_usage, cli_common_help); return 0;
        case LABELS: d.labels = optarg; break;
        case SPLITS: d.splits = optarg; break;
        case FEATURES: d.features = optarg; break;
        default: {
            int handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, "digraph profile");
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl digraph profile takes one graph file (try --help)");
    if (!d.labels) return cli_error("grl digraph profile needs --labels");
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    grl_dense *X = NULL;
    grl_digraph_profile_result r;
    char msg[GRL_MSG_LEN] = "";
    rc = load_node_data(&d, G, &L, &S, false);
    if (!rc && d.features &&
        grl_node_features_load(&X, G, d.features, GRL_FEATURES_AUTO, msg) < 0)
        rc = cli_error("%s", msg);
    if (!rc && grl_digraph_profile(&r, G, L, S, 0, X, msg) < 0) rc = cli_error("%s", msg);
    if (!rc) {
        printf("%-8s %14s %10s %10s%s\n", "pattern", "pair weight", "homophily",
               "adjusted", X ? " smoothness" : "");
        for (int p = 0; p < GRL_DIGRAPH_PATTERNS; p++) {
            printf("%-8s %14.0f %10.4f %10.4f", r.name[p], r.weight[p],
                   r.homophily[p], r.adjusted[p]);
            if (X) printf(" %10.4f", r.smoothness[p]);
            printf("\n");
        }
        printf("recommendation: %s\n", grl_adpa_patterns_name(r.recommended));
    }
    grl_dense_free(&X);
    grl_node_splits_free(&S);
    grl_node_labels_free(&L);
    grl_graph_free(&G);
    return rc;
}

int cmd_digraph(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "profile") == 0)
        return run_profile(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: grl digraph profile FILE --labels L [--splits S] [--features F]\n");
        return 0;
    }
    return cli_error("grl digraph: expected profile, got '%s'",
                     argc >= 2 ? argv[1] : "");
}
