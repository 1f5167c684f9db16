/* cmd_gnn_fixed.c — `grl gnn appnp|ignn|cgs FILE ...`: the convergent
 * fixed-point GNNs trained and tested on every split of a node
 * classification task, or (--graphs DIR --name NAME) on every fold of a
 * graph classification task, with the solver's statistics (contraction
 * bound, residual, iterations) printed beside the accuracy. */
#include <math.h>
#include <stdlib.h>

#include "gnn_options.h"

static const char fixed_usage[] =
    "usage: grl gnn appnp|ignn|cgs FILE --features F --labels L [options]\n"
    "       grl gnn appnp|ignn|cgs --graphs DIR --name NAME [--folds K] [options]\n"
    "Node classification, or graph classification on a TU dataset, with a\n"
    "convergent fixed-point GNN, its gradients by the implicit function\n"
    "theorem (one solver for the three models):\n"
    "  appnp  APPNP (Klicpera et al., ICLR 2019): an MLP, then the exact\n"
    "         fixed point Z = (1-alpha) A Z + alpha H, A = D^-1/2 (A+I) D^-1/2\n"
    "  ignn   IGNN (Gu et al., NeurIPS 2020): H = ReLU(A H W' + A X U'),\n"
    "         ||W||inf <= kappa / lambda_pf(A) after every step\n"
    "  cgs    Convergent Graph Solvers (Park et al., ICLR 2022): per-arc,\n"
    "         per-head A = clip(logit, 0, 1) / outdeg, h = gamma A h + b for\n"
    "         m heads, an MLP decoder\n"
    "Prints test accuracy mean +- std over the splits and the solver's\n"
    "contraction bound, residual and iterations. The graph is read as\n"
    "undirected unless --directed (APPNP and IGNN symmetrise it; CGS uses the\n"
    "arcs into each node). Defaults: hidden 64, dropout 0.5, lr 0.01, weight\n"
    "decay 5e-4.\n"
    "Graph classification (--graphs): the model runs on the union of the\n"
    "graphs, a graph's logits are the decoder's on the sum of its nodes'\n"
    "fixed-point values (CGS: or as --readout says; APPNP: the sum of its\n"
    "nodes' logits); stratified K-fold cross-validation, in fold f part f\n"
    "is the test set and part f+1 the validation set that picks the epoch\n"
    "(the rest trains); prints test accuracy mean +- std over the K folds.\n"
    "Node inputs are the dataset's node labels and attributes; --features,\n"
    "--labels, --splits and --predictions are for node classification only.\n\n"
    "  --graphs DIR          the folder of the TU files DIR/NAME_*.txt\n"
    "  --name NAME           the dataset's name (MUTAG)\n"
    "  --folds K             cross-validation folds, 3..1000 (10)\n"
    "  --labels-only         node inputs: the one-hot node labels without the\n"
    "                        node attributes (GIN's and CGS's PROTEINS)\n"
    "  --alpha A             APPNP's teleport probability, in (0, 1) (0.1)\n"
    "  --kappa K             IGNN's bound, in (0, 1) (0.95)\n"
    "  --gamma G             CGS's contraction, in (0, 1) (0.5)\n"
    "  --heads M             CGS's heads (16)\n"
    "  --skip                CGS: the decoder also sees the encoder's node\n"
    "                        embedding beside the fixed point (summed over a\n"
    "                        graph's nodes for graph classification)\n"
    "  --mp-layers L         CGS's encoder: L attention message-passing layers\n"
    "                        (1..3; 0, the default: a linear edge network)\n"
    "  --activation A        CGS's encoder and decoder activation: relu\n"
    "                        (default) or silu (the CGS reference's)\n"
    "  --readout R           CGS's graph readout: sum (default), sum-max or\n"
    "                        sum-mean (the sum beside the nodes' column-wise\n"
    "                        max or mean; graph classification only)\n"
    "  --ensemble N          models per split, 1..256 (1): each from its own\n"
    "                        seed, its epoch chosen on the validation part;\n"
    "                        the accuracies are those of the mean of their\n"
    "                        softmax probabilities\n"
    "  --select-epoch S      the epoch (and patience) on the validation part's\n"
    "                        accuracy (default; ties: the lower loss) or loss\n"
    "  --screen              graph classification: compare settings without\n"
    "                        the test parts: in fold f part f is left out,\n"
    "                        part f+1 picks the epoch, part f+2 is scored\n"
    "                        (printed as the screened accuracy; 4+ folds)\n"
    "  --refit               after each model's epoch count is chosen on the\n"
    "                        validation part, retrain it from the same seed\n"
    "                        on the training and validation parts for that\n"
    "                        many epochs and score the test (or screened)\n"
    "                        part with it (Errica et al., ICLR 2020); the\n"
    "                        validation accuracy printed is the one before\n"
    "                        the refit\n"
    "  --tol T               fixed-point tolerance, relative (1e-6)\n"
    "  --max-iter N          fixed-point iteration cap (300); a solve that\n"
    "                        stops there is reported as a warning\n";

/* The solver's statistics line (node and graph classification). */
static void print_solver(const grl_fpgnn_report *r)
{
    printf("fixed point: contraction bound %.4f; forward %lld iterations to "
           "residual %.2g, adjoint %lld to %.2g; %lld of %lld solves at the "
           "cap\n", r->forward.bound, (long long)r->forward.iterations,
           r->forward.residual, (long long)r->backward.iterations,
           r->backward.residual, (long long)r->capped, (long long)r->solves);
}

static int run(grl_fpgnn_kind kind, const char *name, const cli_common *common,
               const gnn_cli *t, grl_fpgnn_options *o, const char *path)
{
    char msg[GRL_MSG_LEN] = "";
    grl_graph *G = NULL;
    int rc = cli_load_graph(&G, path, common);
    if (rc) return rc;
    grl_dense *X = NULL;
    grl_node_labels *L = NULL;
    grl_node_splits *S = NULL;
    grl_fpgnn *M = NULL;
    grl_fpgnn_evaluation E = {0};
    float *proba = NULL;
    rc = gnn_cli_load(t, G, &X, &L, &S);
    int status = 0;
    if (!rc) {
        gnn_cli_progress pc = {common, 0, S->nsplits};
        o->train.progress = gnn_cli_on_epoch;
        o->train.progress_ctx = &pc;
        o->kind = kind;
        status = grl_fpgnn_evaluate(&E, t->model_out || t->predictions ? &M : NULL,
                                    G, X, L, S, o, msg);
        cli_progress(common, NULL);
        if (status < 0) rc = cli_error("%s", msg);
    }
    if (!rc) {
        printf("%s: test accuracy %.4f +- %.4f over %lld splits (validation %.4f)\n",
               name, E.test_mean, E.test_std, (long long)E.splits, E.val_mean);
        print_solver(&E.report);
        if (status > 0) cli_status(status, msg);
        if (t->model_out && grl_fpgnn_save(M, t->model_out, msg) < 0)
            rc = cli_error("%s", msg);
    }
    if (!rc && t->predictions) {
        int64_t k = grl_fpgnn_nclasses(M), cells;
        rc = cli_mul(grl_graph_num_nodes(G), k, &cells, "the predictions");
        if (!rc && (proba = cli_array(cells, sizeof(float), "the predictions")) == NULL)
            rc = 1;
        if (!rc && grl_fpgnn_predict(M, G, X, proba, msg) < 0) rc = cli_error("%s", msg);
        if (!rc) rc = gnn_cli_write_predictions(t->predictions, G, proba, k);
    }
    free(proba);
    grl_fpgnn_evaluation_release(&E);
    grl_fpgnn_free(&M);
    grl_node_splits_free(&S);
    grl_node_labels_free(&L);
    grl_dense_free(&X);
    grl_graph_free(&G);
    return rc;
}

/* Graph classification: one model per cross-validation fold. */
static int run_graphs(grl_fpgnn_kind kind, const char *name,
                      const cli_common *common, const gnn_cli *t,
                      grl_fpgnn_options *o, const char *dir, const char *dataset,
                      int64_t folds, bool labels_only)
{
    char msg[GRL_MSG_LEN] = "";
    grl_graph_set *D = NULL;
    grl_fpgnn *M = NULL;
    grl_fpgnn_evaluation E = {0};
    int rc = 0, status = 0;
    if (grl_graph_set_load(&D, dir, dataset, msg) < 0) rc = cli_error("%s", msg);
    if (!rc && labels_only && grl_graph_set_keep_node_labels(D, msg) < 0)
        rc = cli_error("%s", msg);
    if (!rc && (D->nclasses < 2 || D->graph_class == NULL))
        rc = cli_error("%s/%s_graph_labels.txt: no graph classes (at least 2 "
                       "needed for graph classification)", dir, dataset);
    if (!rc) {
        gnn_cli_progress pc = {common, 0, folds};
        o->train.progress = gnn_cli_on_epoch;
        o->train.progress_ctx = &pc;
        o->kind = kind;
        status = grl_fpgnn_cross_validate_graphs(&E, t->model_out ? &M : NULL, D,
                                                 folds, o, msg);
        cli_progress(common, NULL);
        if (status < 0) rc = cli_error("%s", msg);
    }
    if (!rc) {
        const char *scored = o->screen ? "screened" : "test";
        printf("%s: %s %s accuracy %.4f +- %.4f over %lld folds (validation "
               "%.4f)\n", name, dataset, scored, E.test_mean, E.test_std,
               (long long)E.splits, E.val_mean);
        printf("%s: %s fold %s accuracies", name, dataset, scored);
        for (int64_t f = 0; f < E.splits; f++) printf(" %.4f", E.test[f]);
        printf("\n");
        print_solver(&E.report);
        if (status > 0) cli_status(status, msg);
        if (t->model_out && grl_fpgnn_save(M, t->model_out, msg) < 0)
            rc = cli_error("%s", msg);
    }
    grl_fpgnn_evaluation_release(&E);
    grl_fpgnn_free(&M);
    grl_graph_set_free(D);
    return rc;
}

int cmd_gnn_fixed(int argc, char **argv)
{
    char msg[GRL_MSG_LEN];
    grl_fpgnn_kind kind;
    if (grl_fpgnn_kind_parse(argv[0], &kind, msg) < 0) return cli_error("%s", msg);
    char name[32];
    snprintf(name, sizeof name, "gnn %s", argv[0]);
    cli_common common;
    cli_common_init(&common);
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    gnn_cli t;
    gnn_cli_init(&t, &o.train, &o.hidden, &o.dropout);
    int64_t folds = 10;
    const char *graphs = NULL, *dataset = NULL;
    bool labels_only = false;
    enum { ALPHA = 1, KAPPA, GAMMA, HEADS, TOL, MAX_ITER, GRAPHS, NAME, FOLDS, SKIP,
           LABELS_ONLY, MP_LAYERS, ACTIVATION, READOUT, ENSEMBLE, SELECT_EPOCH,
           SCREEN, REFIT };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"alpha", required_argument, 0, ALPHA},
        {"kappa", required_argument, 0, KAPPA},
        {"gamma", required_argument, 0, GAMMA},
        {"heads", required_argument, 0, HEADS},
        {"tol", required_argument, 0, TOL},
        {"max-iter", required_argument, 0, MAX_ITER},
        {"graphs", required_argument, 0, GRAPHS},
        {"name", required_argument, 0, NAME},
        {"folds", required_argument, 0, FOLDS},
        {"skip", no_argument, 0, SKIP},
        {"labels-only", no_argument, 0, LABELS_ONLY},
        {"mp-layers", required_argument, 0, MP_LAYERS},
        {"activation", required_argument, 0, ACTIVATION},
        {"readout", required_argument, 0, READOUT},
        {"ensemble", required_argument, 0, ENSEMBLE},
        {"select-epoch", required_argument, 0, SELECT_EPOCH},
        {"screen", no_argument, 0, SCREEN},
        {"refit", no_argument, 0, REFIT},
        {0, 0, 0, 0}};
    const struct option *options = gnn_cli_options(own);
    long long v;
    int code, bad = 0;
    bool given[REFIT + 1] = {false};
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        if (code >= ALPHA && code <= REFIT) given[code] = true;
        switch (code) {
        case 'h': printf("%s%s%s", fixed_usage, gnn_cli_help, cli_common_help); return 0;
        case ALPHA: bad = cli_parse_double("--alpha", optarg, CLI_OPEN_UNIT, &o.alpha); break;
        case KAPPA: bad = cli_parse_double("--kappa", optarg, CLI_OPEN_UNIT, &o.kappa); break;
        case GAMMA: bad = cli_parse_double("--gamma", optarg, CLI_OPEN_UNIT, &o.gamma); break;
        case HEADS:
            bad = cli_parse_int("--heads", optarg, 1, 1024, &v);
            o.heads = v;
            break;
        case TOL: bad = cli_parse_double("--tol", optarg, CLI_OPEN_UNIT, &o.solver.tol); break;
        case MAX_ITER:
            bad = cli_parse_int("--max-iter", optarg, 1, 10000000, &v);
            o.solver.max_iter = v;
            break;
        case SKIP: o.skip = true; break;
        case SCREEN: o.screen = true; break;
        case REFIT: o.refit = true; break;
        case LABELS_ONLY: labels_only = true; break;
        case MP_LAYERS:
            bad = cli_parse_int("--mp-layers", optarg, 0, 3, &v);
            o.mp_layers = v;
            break;
        case ACTIVATION:
            if (grl_fpgnn_activation_parse(optarg, &o.activation, msg) < 0)
                return cli_error("--activation: %s", msg);
            break;
        case READOUT:
            if (grl_fpgnn_readout_parse(optarg, &o.readout, msg) < 0)
                return cli_error("--readout: %s", msg);
            break;
        case ENSEMBLE:
            bad = cli_parse_int("--ensemble", optarg, 1, 256, &v);
            o.ensemble = v;
            break;
        case SELECT_EPOCH:
            if (grl_gnn_select_epoch_parse(optarg, &o.train.select_epoch, msg) < 0)
                return cli_error("--select-epoch: %s", msg);
            break;
        case GRAPHS: graphs = optarg; break;
        case NAME: dataset = optarg; break;
        case FOLDS:
            bad = cli_parse_int("--folds", optarg, 3, 1000, &v);
            folds = v;
            break;
        default: {
            int handled = gnn_cli_parse(&t, code, optarg);
            if (handled == 0) handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, name);
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    /* a model's own constants, refused for the others rather than ignored */
    static const struct {
        int code;
        const char *name;
        grl_fpgnn_kind kind;
    } owned[] = {{ALPHA, "alpha", GRL_FPGNN_APPNP}, {KAPPA, "kappa", GRL_FPGNN_IGNN},
                 {GAMMA, "gamma", GRL_FPGNN_CGS}, {HEADS, "heads", GRL_FPGNN_CGS}};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        if (given[owned[i].code] && kind != owned[i].kind)
            return cli_error("grl %s: --%s is for grl gnn %s", name, owned[i].name,
                             grl_fpgnn_kind_name(owned[i].kind));
    const char *label = kind == GRL_FPGNN_APPNP ? "APPNP"
                        : kind == GRL_FPGNN_IGNN ? "IGNN" : "CGS";
    if (graphs || dataset) {
        if (!graphs || !dataset)
            return cli_error("grl %s needs both --graphs and --name", name);
        grl_node_splits_options drawn;
        grl_node_splits_options_init(&drawn);
        if (optind != argc || t.features || t.labels || t.splits || t.predictions ||
            t.gen.train_per_class != drawn.train_per_class || t.gen.val != drawn.val ||
            t.gen.repeats != drawn.repeats)
            return cli_error("grl %s --graphs takes no graph file, --features, "
                             "--labels, --splits, --train-per-class, --val, "
                             "--repeats or --predictions (its folds: --folds)", name);
        int rc = cli_common_apply(&common);
        return rc ? rc : run_graphs(kind, label, &common, &t, &o, graphs, dataset, folds,
                                       labels_only);
    }
    if (labels_only || o.screen || given[FOLDS])
        return cli_error("grl %s: --%s is for --graphs", name,
                         labels_only ? "labels-only" : o.screen ? "screen" : "folds");
    if (optind != argc - 1)
        return cli_error("grl %s takes one graph file (try --help)", name);
    if (!t.features || !t.labels)
        return cli_error("grl %s needs --features and --labels", name);
    int rc = cli_common_apply(&common);
    if (rc) return rc;
    return run(kind, label, &common, &t, &o, argv[optind]);
}
