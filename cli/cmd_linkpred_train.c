/* cmd_linkpred_train.c — `grl linkpred train`: split the edges, train NCN
 * or NCNC on the training graph, print validation and test metrics beside
 * the CN, AA and RA heuristics on the same split; and the model loading
 * that `grl linkpred score|topk --model M` share. */
#include "cli.h"
#include "linkpred_cli.h"

#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_train[] =
    "usage: grl linkpred train FILE --model ncn|ncnc --features F [options]\n"
    "Learned link prediction, Neural Common Neighbor (Wang, Yang & Zhang, ICLR\n"
    "2024): a GCN encoder and MLPs over the sum of the common neighbours'\n"
    "representations; ncnc, trained from scratch, also sums the one-sided\n"
    "neighbours weighted by its own NCN score of the missing edge. The edges\n"
    "are split at random; the model is trained on the training edges (early\n"
    "stopping on validation Hits@K) and the validation and test edges are\n"
    "ranked against as many non-edges of the graph, printed beside the cn,\n"
    "aa and ra heuristics on the same split.\n"
    "Defaults are the reference's Cora settings.\n\n"
    "  --model M             ncn or ncnc (required)\n"
    "  --features F          node features: `node feature value` lines, dense\n"
    "                        rows or .npy (required)\n"
    "  --test-fraction F     share of edges held out for test (default 0.2)\n"
    "  --val-fraction F      share held out for validation (default 0.1)\n"
    "  --seed S              seed of the split, negatives and training (0)\n"
    "  --encoder E           gcn (default) or sage\n"
    "  --hidden D            hidden width (default 256)\n"
    "  --epochs N            epochs (default 100)\n"
    "  --batch-size B        positive edges per step (default 1152)\n"
    "  --patience N          stop after N epochs without a better validation\n"
    "                        Hits@K; 0 never, as the reference (default 0)\n"
    "  --hits-k K            K of the validation Hits@K (default 100)\n"
    "  --encoder-lr R        Adam learning rate of the encoder (0.0043)\n"
    "  --predictor-lr R      Adam learning rate of the predictor (0.0024)\n"
    "  --model-out M         save the trained model to M\n\n";

static void on_epoch(const grl_ncn_progress *p, void *ctx)
{
    cli_progress(ctx, "linkpred train: epoch %lld/%lld: loss %.4f, valid "
                 "Hits@K %.4f%s (%.2fs)", (long long)p->epoch,
                 (long long)p->epochs, p->loss, p->val_hits,
                 p->improved ? " *" : "", p->seconds);
}

/* One row of metrics for positives against negatives. */
static int print_row(const char *method, const char *split, const double *pos,
                     int64_t npos, const double *neg, int64_t nneg)
{
    char msg[GRL_MSG_LEN] = "";
    grl_linkpred_metrics m;
    if (grl_linkpred_evaluate(pos, npos, neg, nneg, &m, msg) < 0)
        return cli_error("%s", msg);
    printf("%-6s %-6s %7.4f %7.4f %8.4f %8.4f %8.4f %7.4f\n", method, split,
           m.auc, m.ap, m.hits20, m.hits50, m.hits100, m.mrr);
    return 0;
}

/* The pairs of one evaluation: validation and test positives and their
 * negatives, with room for their scores. */
typedef struct {
    const int64_t *u[4], *v[4];
    int64_t n[4];
    double *s[4];
} eval_sets;

static const char *const set_split[2] = {"valid", "test"};

static int print_heuristics(grl_graph *train, eval_sets *E)
{
    static const grl_linkpred_method methods[3] = {
        GRL_LINKPRED_CN, GRL_LINKPRED_AA, GRL_LINKPRED_RA};
    char msg[GRL_MSG_LEN] = "";
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    for (int i = 0; i < 3; i++) {
        o.method = methods[i];
        for (int k = 0; k < 4; k++)
            if (grl_linkpred_score(train, E->u[k], E->v[k], E->n[k], &o,
                                   E->s[k], msg) < 0)
                return cli_error("%s", msg);
        for (int t = 0; t < 2; t++) {
            int rc = print_row(grl_linkpred_method_name(methods[i]), set_split[t],
                               E->s[2 * t], E->n[2 * t], E->s[2 * t + 1],
                               E->n[2 * t + 1]);
            if (rc) return rc;
        }
    }
    return 0;
}

static int print_model(const grl_ncn *M, grl_graph *train, const grl_dense *X,
                       eval_sets *E)
{
    char msg[GRL_MSG_LEN] = "";
    for (int k = 0; k < 4; k++)
        if (grl_ncn_score(M, train, X, E->u[k], E->v[k], E->n[k], E->s[k], msg) < 0)
            return cli_error("%s", msg);
    for (int t = 0; t < 2; t++) {
        int rc = print_row(grl_ncn_completion(M) ? "ncnc" : "ncn", set_split[t],
                           E->s[2 * t], E->n[2 * t], E->s[2 * t + 1],
                           E->n[2 * t + 1]);
        if (rc) return rc;
    }
    return 0;
}

typedef struct {
    grl_ncn_options o;
    grl_edge_split_options so;
    const char *features, *model_out;
    bool have_model;
} train_args;

static int parse_train(train_args *a, cli_common *common, int argc, char **argv)
{
    enum { MODEL = 1, FEATURES, TEST, VALID, SEED, ENCODER, HIDDEN, EPOCHS,
           BATCH, PATIENCE, HITSK, ELR, PLR, OUT };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'}, {"model", required_argument, 0, MODEL},
        {"features", required_argument, 0, FEATURES},
        {"test-fraction", required_argument, 0, TEST},
        {"val-fraction", required_argument, 0, VALID},
        {"seed", required_argument, 0, SEED},
        {"encoder", required_argument, 0, ENCODER},
        {"hidden", required_argument, 0, HIDDEN},
        {"epochs", required_argument, 0, EPOCHS},
        {"batch-size", required_argument, 0, BATCH},
        {"patience", required_argument, 0, PATIENCE},
        {"hits-k", required_argument, 0, HITSK},
        {"encoder-lr", required_argument, 0, ELR},
        {"predictor-lr", required_argument, 0, PLR},
        {"model-out", required_argument, 0, OUT}, {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    char msg[GRL_MSG_LEN] = "";
    long long v;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", usage_train, cli_common_help); return -1;
        case MODEL:
            if (!strcmp(optarg, "ncn") || !strcmp(optarg, "ncnc")) {
                a->o.completion = !strcmp(optarg, "ncnc");
                a->have_model = true;
            } else {
                cli_error("--model: expected ncn or ncnc, got '%s'", optarg);
                bad = 1;
            }
            break;
        case FEATURES: a->features = optarg; break;
        case TEST:
            bad = cli_parse_double("--test-fraction", optarg, CLI_OPEN_UNIT,
                                   &a->so.test_fraction);
            break;
        case VALID:
            bad = cli_parse_double("--val-fraction", optarg, CLI_OPEN_UNIT,
                                   &a->so.valid_fraction);
            break;
        case SEED:
            bad = cli_parse_seed(optarg, &a->so.seed);
            a->o.seed = a->so.seed;
            break;
        case ENCODER:
            bad = cli_enum("--encoder", grl_ncn_encoder_parse(optarg, &a->o.encoder,
                                                              msg), msg);
            break;
        case HIDDEN: bad = cli_parse_int("--hidden", optarg, 1, 4096, &v); a->o.hidden = v; break;
        case EPOCHS: bad = cli_parse_int("--epochs", optarg, 1, INT_MAX, &v); a->o.epochs = v; break;
        case BATCH: bad = cli_parse_int("--batch-size", optarg, 1, INT_MAX, &v); a->o.batch_size = v; break;
        case PATIENCE: bad = cli_parse_int("--patience", optarg, 0, INT_MAX, &v); a->o.patience = v; break;
        case HITSK: bad = cli_parse_int("--hits-k", optarg, 1, INT_MAX, &v); a->o.hits_k = v; break;
        case ELR: bad = cli_parse_double("--encoder-lr", optarg, CLI_POSITIVE, &a->o.encoder_lr); break;
        case PLR: bad = cli_parse_double("--predictor-lr", optarg, CLI_POSITIVE, &a->o.predictor_lr); break;
        case OUT: a->model_out = optarg; break;
        default: {
            int h = cli_common_parse(common, code, optarg);
            if (h == 0) return cli_bad_option(code, argv, "linkpred train");
            bad = h < 0;
        }
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl linkpred train takes one graph file (try --help)");
    if (!a->have_model || a->features == NULL)
        return cli_error("grl linkpred train needs --model ncn|ncnc and --features F");
    return 0;
}

int linkpred_train_cmd(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    train_args a = {.features = NULL};
    grl_ncn_options_init(&a.o);
    grl_edge_split_options_init(&a.so);
    a.so.test_fraction = 0.2;
    a.so.valid_fraction = 0.1;
    a.so.seed = 0;
    int rc = parse_train(&a, &common, argc, argv);
    if (rc) return rc < 0 ? 0 : rc;
    grl_graph *G = NULL;
    grl_dense *X = NULL;
    grl_edge_split *S = NULL;
    grl_ncn *M = NULL;
    int64_t *nu = NULL, *nv = NULL;
    eval_sets E;
    memset(&E, 0, sizeof E);
    char msg[GRL_MSG_LEN] = "";
    rc = cli_common_apply(&common);
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (!rc && grl_node_features_load(&X, G, a.features, GRL_FEATURES_AUTO, msg) < 0)
        rc = cli_error("%s", msg);
    if (!rc && grl_edge_split_new(&S, G, &a.so, msg) < 0) rc = cli_error("%s", msg);
    /* validation and test negatives: non-edges of the whole graph, as many
     * as the positives (the NCN protocol's random split) */
    int64_t nneg = 0;
    if (!rc) {
        nneg = S->nvalid + S->ntest;
        if ((nu = cli_array(nneg, sizeof(int64_t), "the negatives")) == NULL ||
            (nv = cli_array(nneg, sizeof(int64_t), "the negatives")) == NULL)
            rc = 1;
        else if (grl_linkpred_negatives(G, nneg, a.so.seed, nu, nv, msg) < 0)
            rc = cli_error("%s", msg);
    }
    if (!rc) {
        E.u[0] = S->valid_u; E.v[0] = S->valid_v; E.n[0] = S->nvalid;
        E.u[1] = nu; E.v[1] = nv; E.n[1] = S->nvalid;
        E.u[2] = S->test_u; E.v[2] = S->test_v; E.n[2] = S->ntest;
        E.u[3] = nu + S->nvalid; E.v[3] = nv + S->nvalid; E.n[3] = S->ntest;
        for (int k = 0; !rc && k < 4; k++)
            if ((E.s[k] = cli_array(E.n[k], sizeof(double), "the scores")) == NULL)
                rc = 1;
    }
    if (!rc && (S->nvalid == 0 || S->ntest == 0))
        rc = cli_error("nothing to evaluate: %lld validation and %lld test edges",
                       (long long)S->nvalid, (long long)S->ntest);
    grl_ncn_train_result res;
    if (!rc) {
        a.o.progress = on_epoch;
        a.o.progress_ctx = &common;
        int status = grl_ncn_train(&M, &res, S, X, nu, nv, S->nvalid, &a.o, msg);
        cli_progress(&common, NULL);
        if (status < 0) rc = cli_error("%s", msg);
    }
    if (!rc) {
        printf("graph: %lld nodes, %lld edges; train %lld, validation %lld, "
               "test %lld edges (seed %llu); negatives as many as positives\n",
               (long long)grl_graph_num_nodes(G), (long long)grl_graph_num_edges(G),
               (long long)grl_graph_num_edges(S->train), (long long)S->nvalid,
               (long long)S->ntest, (unsigned long long)a.so.seed);
        printf("%s: best epoch %lld of %lld, validation Hits@%lld %.4f",
               a.o.completion ? "ncnc" : "ncn", (long long)res.best_epoch,
               (long long)res.epochs_run, (long long)a.o.hits_k, res.val_hits);
        printf(", %.1f s\n", res.seconds);
        printf("%-6s %-6s %7s %7s %8s %8s %8s %7s\n", "method", "split", "AUC",
               "AP", "Hits@20", "Hits@50", "Hits@100", "MRR");
        rc = print_heuristics(S->train, &E);
    }
    if (!rc) rc = print_model(M, S->train, X, &E);
    if (!rc && a.model_out && grl_ncn_save(M, a.model_out, msg) < 0)
        rc = cli_error("%s", msg);
    for (int k = 0; k < 4; k++) free(E.s[k]);
    free(nu); free(nv);
    grl_ncn_free(&M);
    grl_edge_split_free(&S);
    grl_dense_free(&X);
    grl_graph_free(&G);
    return rc;
}

int linkpred_model_open(grl_ncn **M, grl_dense **X, grl_graph *G,
                        const char *model, const char *features)
{
    char msg[GRL_MSG_LEN] = "";
    if (features == NULL)
        return cli_error("--model needs --features F (the node features it "
                         "was trained with)");
    if (grl_ncn_load(M, model, msg) < 0) return cli_error("%s", msg);
    if (grl_node_features_load(X, G, features, GRL_FEATURES_AUTO, msg) < 0) {
        grl_ncn_free(M);
        return cli_error("%s", msg);
    }
    return 0;
}
