/* cmd_gnn.c — `grl gnn adpa FILE ...`: directed-pattern aggregation (ADPA)
 * trained and tested on every split (the shared node-data and training
 * options are in gnn_options.c; appnp, ignn and cgs in cmd_gnn_fixed.c),
 * and `grl digraph profile FILE`: the AMUD-style directed-or-undirected
 * table. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adpa_grid.h"
#include "gnn_options.h"

static const char adpa_usage[] =
    "usage: grl gnn adpa FILE --features F --labels L [options]\n"
    "Node classification with ADPA (Sun et al., ICDE 2024): features propagated\n"
    "along the directed patterns A, At, AA, AAt, AtA, AtAt (K hops each,\n"
    "precomputed), node-adaptive hop attention, one layer per pattern and a\n"
    "learned combination. Prints test accuracy mean +- std over the splits and\n"
    "the share of the representation each pattern carries. The graph is read\n"
    "as directed unless --undirected. ADPA's defaults: hidden 32 per pattern,\n"
    "dropout 0.64, lr 0.06, weight decay 0.0127 and 0.0005 (--weight-decay\n"
    "takes up to 4 values, each tried on every split, the best on validation\n"
    "kept).\n\n"
    "  --patterns P          all (default), undirected, dir, features, auto,\n"
    "                        all+undirected (the six and the symmetrised graph)\n"
    "  --hops K              propagation steps per pattern (2)\n"
    "  --r R                 normalisation D^(r-1) P D^-r (0.42749)\n"
    "  --hop-prior C         initial hop-attention biases C k, in [0, 20]: 4\n"
    "                        (default) starts on the deepest hop, 0 level\n"
    "  --mask-empty-hops B   1: leave a node's all-zero hops (no walk of the\n"
    "                        pattern from it) out of its hop attention; 0\n"
    "                        (default): attend over every hop\n"
    "  --hop-damping B       1: damp hop k by 1 + ln(1/k) per step, as the\n"
    "                        reference code does; 0 (default): no damping\n"
    "  --pattern-attention A how the patterns are combined: scalar (default),\n"
    "                        a learned scale per pattern and the concatenation;\n"
    "                        node, per-node softmax weights over the patterns\n"
    "                        (the paper's node-adaptive pattern level) and\n"
    "                        their weighted sum; node-concat, the same weights\n"
    "                        and the weighted concatenation\n"
    "  --directed-scale-init S\n"
    "                        scalar attention: the starting scale of the six\n"
    "                        directed patterns' branches, in [0, 1] (1); 0\n"
    "                        starts all+undirected as its undirected model\n"
    "  --select NAME=V1,...  try every value of a setting (hops, r, hop-prior,\n"
    "                        mask-empty-hops, hop-damping, pattern-attention,\n"
    "                        directed-scale-init, hidden, dropout, lr); repeat\n"
    "                        for a grid: each setting is trained on every\n"
    "                        split, one line each, and the best mean\n"
    "                        validation accuracy is kept\n"
    "  --screen N            with --select: compare the settings on the first N\n"
    "                        splits only, then train the kept one on all\n"
    "  --ensemble N          models per split, 1..256 (1): each from its own\n"
    "                        seed (the first from --seed: 1 is the single\n"
    "                        model) over the same propagations, its weight\n"
    "                        decay and epoch chosen on validation; the\n"
    "                        accuracies are those of the mean of their\n"
    "                        softmax probabilities. --model-out and\n"
    "                        --predictions take the first member of the split\n"
    "                        with the best validation accuracy\n"
    "  --per-split           after the summary, one line per split: its\n"
    "                        validation and test accuracy (for paired\n"
    "                        comparisons of two runs with the same seed)\n";

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
    "                        that of random pairs (below 1: smooth)\n"
    "A '-' marks a figure left undefined: a pattern joining no two training\n"
    "nodes, or features without variance.\n\n";

static int write_predictions(const char *path, const grl_graph *G,
                             const grl_adpa *M, const grl_adpa_prop *P)
{
    char msg[GRL_MSG_LEN];
    int64_t n = grl_graph_num_nodes(G), k = grl_adpa_nclasses(M), cells;
    if (cli_mul(n, k, &cells, "the predictions")) return 1;
    float *proba = cli_array(cells, sizeof(float), "the predictions");
    if (proba == NULL) return 1;
    int rc = grl_adpa_predict(M, P, proba, msg) < 0
                 ? cli_error("%s", msg)
                 : gnn_cli_write_predictions(path, G, proba, k);
    free(proba);
    return rc;
}

/* Train setting o on every split of S: *E, and *M and *P when the model or
 * the predictions are asked for. */
static int evaluate(const grl_adpa_options *o, const gnn_cli *t, const cli_common *common,
                    grl_graph *G, const grl_dense *X, const grl_node_labels *L,
                    const grl_node_splits *S, grl_adpa_evaluation *E, grl_adpa **M,
                    grl_adpa_prop **P)
{
    char msg[GRL_MSG_LEN];
    gnn_cli_progress pc = {common, 0, S->nsplits};
    grl_adpa_options oi = *o;
    oi.train.progress = gnn_cli_on_epoch;
    oi.train.progress_ctx = &pc;
    int status = grl_adpa_evaluate(E, t->model_out || t->predictions ? M : NULL,
                                   t->predictions ? P : NULL, G, X, L, S, &oi, msg);
    cli_progress(common, NULL);
    return status < 0 ? cli_error("%s", msg) : 0;
}

/* Every setting of the grid (one without --select) trained on every split,
 * or on the first `screen` splits when screen > 0; *o becomes the setting
 * with the best mean validation accuracy (the first on ties), and *E, *M,
 * *P its results on all splits. */
static int run_grid(const adpa_grid *grid, int64_t screen, grl_adpa_options *o,
                    const gnn_cli *t, const cli_common *common, grl_graph *G,
                    const grl_dense *X, const grl_node_labels *L,
                    const grl_node_splits *S, grl_adpa_evaluation *E, grl_adpa **M,
                    grl_adpa_prop **P)
{
    char what[256];
    const int64_t size = adpa_grid_size(grid);
    if (size == 1) { /* --select with one value each is those options */
        adpa_grid_apply(grid, 0, o);
        return evaluate(o, t, common, G, X, L, S, E, M, P);
    }
    grl_node_splits first = *S; /* the first splits: a view of S's roles */
    if (screen > 0 && screen < S->nsplits) first.nsplits = screen;
    const grl_adpa_options base = *o;
    int64_t best = -1;
    for (int64_t i = 0; i < size; i++) {
        grl_adpa_options oi = base;
        adpa_grid_apply(grid, i, &oi);
        grl_adpa_evaluation Ei = {0};
        grl_adpa *Mi = NULL;
        grl_adpa_prop *Pi = NULL;
        int rc = evaluate(&oi, t, common, G, X, L, &first, &Ei, &Mi, &Pi);
        if (rc) return rc;
        adpa_grid_describe(grid, i, what, sizeof what);
        printf("select %s: validation %.4f, test %.4f +- %.4f over %lld splits\n",
               what, Ei.val_mean, Ei.test_mean, Ei.test_std, (long long)Ei.splits);
        fflush(stdout);
        if (best < 0 || Ei.val_mean > E->val_mean) { /* keep Ei: swap */
            grl_adpa_evaluation tE = *E;
            grl_adpa *tM = *M;
            grl_adpa_prop *tP = *P;
            *E = Ei, *M = Mi, *P = Pi;
            Ei = tE, Mi = tM, Pi = tP;
            best = i;
            *o = oi;
        }
        grl_adpa_evaluation_release(&Ei);
        grl_adpa_free(&Mi);
        grl_adpa_prop_free(&Pi);
    }
    adpa_grid_describe(grid, best, what, sizeof what);
    printf("selected on validation: %s\n", what);
    if (first.nsplits == S->nsplits) return 0;
    grl_adpa_evaluation_release(E);
    grl_adpa_free(M);
    grl_adpa_prop_free(P);
    return evaluate(o, t, common, G, X, L, S, E, M, P);
}

static int run_adpa(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    common.load.directed = 1;
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    gnn_cli t;
    gnn_cli_init(&t, &o.train, &o.hidden, &o.dropout);
    gnn_cli_decay_list(&t, o.decay, &o.decays, GRL_ADPA_MAX_DECAYS);
    adpa_grid grid = {0};
    int64_t screen = 0;
    bool per_split = false;
    enum { PATTERNS = 1, HOPS, R, HOP_PRIOR, SELECT, SCREEN, MASK_EMPTY, DAMPING,
           PATTERN_ATTENTION, ENSEMBLE, DIRECTED_SCALE_INIT, PER_SPLIT };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"patterns", required_argument, 0, PATTERNS},
        {"hops", required_argument, 0, HOPS},
        {"r", required_argument, 0, R},
        {"hop-prior", required_argument, 0, HOP_PRIOR},
        {"select", required_argument, 0, SELECT},
        {"screen", required_argument, 0, SCREEN},
        {"mask-empty-hops", required_argument, 0, MASK_EMPTY},
        {"hop-damping", required_argument, 0, DAMPING},
        {"pattern-attention", required_argument, 0, PATTERN_ATTENTION},
        {"ensemble", required_argument, 0, ENSEMBLE},
        {"directed-scale-init", required_argument, 0, DIRECTED_SCALE_INIT},
        {"per-split", no_argument, 0, PER_SPLIT},
        {0, 0, 0, 0}};
    const struct option *options = gnn_cli_options(own);
    char msg[GRL_MSG_LEN] = "";
    long long v;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s%s%s", adpa_usage, gnn_cli_help, cli_common_help); return 0;
        case PATTERNS:
            if (grl_adpa_patterns_parse(optarg, &o.patterns, msg) < 0)
                bad = cli_error("--patterns: %s", msg);
            break;
        case HOPS: bad = cli_parse_int("--hops", optarg, 1, 8, &v); o.hops = (int)v; break;
        case R: bad = cli_parse_double("--r", optarg, CLI_UNIT, &o.r); break;
        case HOP_PRIOR:
            bad = cli_parse_double("--hop-prior", optarg, (cli_range){0, 20, false, false},
                                   &o.hop_prior);
            break;
        case SELECT:
            if (grid.axes == ADPA_GRID_AXES)
                bad = cli_error("--select: at most %d settings", ADPA_GRID_AXES);
            else
                bad = adpa_grid_parse(&grid, optarg);
            break;
        case SCREEN: bad = cli_parse_int("--screen", optarg, 1, 1 << 20, &v); screen = v; break;
        case MASK_EMPTY:
            bad = cli_parse_int("--mask-empty-hops", optarg, 0, 1, &v);
            o.mask_empty_hops = (int)v;
            break;
        case DAMPING:
            bad = cli_parse_int("--hop-damping", optarg, 0, 1, &v);
            o.hop_damping = (int)v;
            break;
        case PATTERN_ATTENTION:
            if (grl_adpa_pattern_attention_parse(optarg, &o.pattern_attention, msg) < 0)
                bad = cli_error("--pattern-attention: %s", msg);
            break;
        case ENSEMBLE: bad = cli_parse_int("--ensemble", optarg, 1, 256, &v); o.ensemble = v; break;
        case DIRECTED_SCALE_INIT:
            bad = cli_parse_double("--directed-scale-init", optarg, CLI_UNIT,
                                   &o.directed_scale_init);
            break;
        case PER_SPLIT: per_split = true; break;
        default: {
            int handled = gnn_cli_parse(&t, code, optarg);
            if (handled == 0) handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, "gnn adpa");
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    if (screen > 0 && adpa_grid_size(&grid) == 1)
        return cli_error("grl gnn adpa: --screen compares the settings of --select; "
                         "with one setting there is nothing to screen");
    if (optind != argc - 1)
        return cli_error("grl gnn adpa takes one graph file (try --help)");
    if (!t.features || !t.labels)
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
    /* the grid's widest layer too: --select hidden=... passes no --hidden */
    rc = gnn_cli_check_width(adpa_grid_widest_hidden(&grid, o.hidden), grl_graph_num_nodes(G));
    if (!rc) rc = gnn_cli_load(&t, G, &X, &L, &S);
    if (!rc) rc = run_grid(&grid, screen, &o, &t, &common, G, X, L, S, &E, &M, &P);
    if (!rc) {
        char members[48] = "";
        if (o.ensemble > 1)
            snprintf(members, sizeof members, ", ensembles of %lld", (long long)o.ensemble);
        printf("ADPA, patterns %s, %d hops%s%s: test accuracy %.4f +- %.4f over %lld "
               "splits (validation %.4f)\n", grl_adpa_patterns_name(E.chosen),
               o.hops, o.pattern_attention == GRL_ADPA_PATTERN_NODE ? ", node pattern attention"
                    : o.pattern_attention == GRL_ADPA_PATTERN_NODE_CONCAT
                        ? ", node-concat pattern attention" : "",
               members, E.test_mean, E.test_std, (long long)E.splits, E.val_mean);
        printf("pattern mass:");
        for (int b = 0; b < E.branches; b++)
            printf(" %s %.3f", E.branch_names[b], E.mass[b]);
        printf("\n");
        for (int64_t s = 0; per_split && s < E.splits; s++)
            printf("split %lld: validation %.4f, test %.4f\n", (long long)s, E.val[s],
                   E.test[s]);
        if (t.model_out && grl_adpa_save(M, t.model_out, msg) < 0)
            rc = cli_error("%s", msg);
    }
    if (!rc && t.predictions) rc = write_predictions(t.predictions, G, M, P);
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
    if (argc >= 2 && (!strcmp(argv[1], "appnp") || !strcmp(argv[1], "ignn") ||
                      !strcmp(argv[1], "cgs")))
        return cmd_gnn_fixed(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "gvi-generate") == 0)
        return cmd_gnn_gvi_generate(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "pore-generate") == 0)
        return cmd_gnn_pore_generate(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "mpnn") == 0) return cmd_gnn_mpnn(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: grl gnn <command> [options]\n"
               "  adpa FILE        node classification with directed patterns\n"
               "  appnp FILE       node classification, APPNP's exact fixed point\n"
               "  ignn FILE        node classification, implicit GNN (IGNN)\n"
               "  cgs FILE         node classification, Convergent Graph Solvers\n"
               "  gvi-generate     graph value iteration data (TU files)\n"
               "  pore-generate    pore networks and their pressures (TU files)\n"
               "  mpnn             message-passing or CGS regression on those files\n"
               "`grl gnn <command> --help` describes its options.\n");
        return 0;
    }
    return cli_error("grl gnn: expected a model (adpa, appnp, ignn, cgs) or a task command "
                     "(gvi-generate, pore-generate, mpnn), got '%s'",
                     argc >= 2 ? argv[1] : "");
}
/* One cell of the profile: "-" where it is undefined (NaN: a pattern that
 * joins no two training nodes, or features without variance). */
static void print_measure(double v)
{
    if (isnan(v)) printf(" %10s", "-");
    else printf(" %10.4f", v);
}

static int run_profile(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    common.load.directed = 1;
    gnn_cli d;
    gnn_cli_init(&d, NULL, NULL, NULL);
    enum { LABELS = 1, SPLITS, FEATURES };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"labels", required_argument, 0, LABELS},
        {"splits", required_argument, 0, SPLITS},
        {"features", required_argument, 0, FEATURES},
        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
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
    rc = gnn_cli_load_labels(&d, G, &L, &S, false);
    if (!rc && d.features &&
        grl_node_features_load(&X, G, d.features, GRL_FEATURES_AUTO, msg) < 0)
        rc = cli_error("%s", msg);
    if (!rc && grl_digraph_profile(&r, G, L, S, 0, X, msg) < 0) rc = cli_error("%s", msg);
    if (!rc) {
        printf("%-8s %14s %10s %10s%s\n", "pattern", "pair weight", "homophily",
               "adjusted", X ? " smoothness" : "");
        for (int p = 0; p < GRL_DIGRAPH_PATTERNS; p++) {
            printf("%-8s %14.0f", r.name[p], r.weight[p]);
            print_measure(r.homophily[p]);
            print_measure(r.adjusted[p]);
            if (X) print_measure(r.smoothness[p]);
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
