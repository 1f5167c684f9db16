/* cmd_gnn_tasks.c — `grl gnn gvi-generate | pore-generate`: the synthetic
 * datasets of issue 12 (graph value iteration, pore networks) written as TU
 * text files, so training runs read the same graphs. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char gvi_usage[] =
    "usage: grl gnn gvi-generate --graphs N --output-dir D [options]\n"
    "Graph value iteration data (CGS, ICLR 2022, section 6.2, as its reference\n"
    "generator): each graph an MDP of nS states, each state entered from nA\n"
    "random other states (with replacement), rewards U[-1, 1) on the arcs and\n"
    "the value V(i) = max over arcs src -> i of (r + 0.9 V(src)) by value\n"
    "iteration to 1e-3. Writes D/NAME_*.txt in the TU layout: arc attribute =\n"
    "reward, node target = V, one constant node attribute.\n\n"
    "  --graphs N            graphs to generate (required)\n"
    "  --output-dir D        folder for the files (created if missing)\n"
    "  --name NAME           file prefix (gvi)\n"
    "  --min-states A        nS drawn from [A, B) (20)\n"
    "  --max-states B        (50)\n"
    "  --min-actions A       nA drawn from [A, B) (5); B must be below the\n"
    "  --max-actions B       least nS (10)\n"
    "  --seed S              (0)\n"
    "  --threads N           threads, 1..1024; results do not depend on it\n";

static const char pore_usage[] =
    "usage: grl gnn pore-generate --graphs N --output-dir D [options]\n"
    "Pore networks (CGS section 6.1 in spirit): pores uniform in the unit cube\n"
    "with lognormal radii, throats between pores closer than the distance that\n"
    "gives the mean degree, conductance pi r^4 / (8 mu L); pressure 1 on the\n"
    "x < 0.1 pores, 0 on x > 0.9, the rest by a sparse SPD solve (conjugate\n"
    "gradients to 1e-10). Writes D/NAME_*.txt in the TU layout: node\n"
    "attributes x, y, z, radius, inlet, outlet; arc attributes conductance,\n"
    "length; node target pressure.\n\n"
    "  --graphs N            graphs to generate (required)\n"
    "  --output-dir D        folder for the files (created if missing)\n"
    "  --name NAME           file prefix (pore)\n"
    "  --min-pores A         pores drawn from [A, B) (50)\n"
    "  --max-pores B         (200)\n"
    "  --mean-degree K       expected throats per pore (6)\n"
    "  --seed S              (0)\n"
    "  --threads N           threads, 1..1024; results do not depend on it\n";

/* mkdir -p for one level: an existing folder is fine. */
static int make_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) return 0;
    return cli_error("--output-dir %s: cannot create it (%s)", dir, strerror(errno));
}

static int generate(int argc, char **argv, bool pore)
{
    enum { GRAPHS = 1, DIR_, NAME, MIN, MAX, MIN_A, MAX_A, DEGREE, SEED, THREADS };
    static const struct option gvi_options[] = {
        {"help", no_argument, 0, 'h'},
        {"graphs", required_argument, 0, GRAPHS},
        {"output-dir", required_argument, 0, DIR_},
        {"name", required_argument, 0, NAME},
        {"min-states", required_argument, 0, MIN},
        {"max-states", required_argument, 0, MAX},
        {"min-actions", required_argument, 0, MIN_A},
        {"max-actions", required_argument, 0, MAX_A},
        {"seed", required_argument, 0, SEED},
        {"threads", required_argument, 0, THREADS},
        {0, 0, 0, 0}};
    static const struct option pore_options[] = {
        {"help", no_argument, 0, 'h'},
        {"graphs", required_argument, 0, GRAPHS},
        {"output-dir", required_argument, 0, DIR_},
        {"name", required_argument, 0, NAME},
        {"min-pores", required_argument, 0, MIN},
        {"max-pores", required_argument, 0, MAX},
        {"mean-degree", required_argument, 0, DEGREE},
        {"seed", required_argument, 0, SEED},
        {"threads", required_argument, 0, THREADS},
        {0, 0, 0, 0}};
    grl_gvi_options gvi;
    grl_pore_options po;
    grl_gvi_options_init(&gvi);
    grl_pore_options_init(&po);
    long long graphs = 0, v, threads = 0;
    uint64_t seed = 0;
    const char *dir = NULL, *name = pore ? "pore" : "gvi";
    const char *command = pore ? "gnn pore-generate" : "gnn gvi-generate";
    int code;
    while ((code = cli_getopt(argc, argv, ":h", pore ? pore_options : gvi_options)) != -1) {
        switch (code) {
        case 'h': printf("%s", pore ? pore_usage : gvi_usage); return 0;
        case GRAPHS:
            if (cli_parse_int("--graphs", optarg, 1, 100000000, &graphs)) return 1;
            break;
        case DIR_: dir = optarg; break;
        case NAME:
            if (*optarg == '\0' || strchr(optarg, '/'))
                return cli_error("--name: expected a file prefix without '/', got '%s'",
                                 optarg); /* what --train DIR/NAME reads back */
            name = optarg;
            break;
        case MIN:
        case MAX:
            if (cli_parse_int(pore ? (code == MIN ? "--min-pores" : "--max-pores")
                                   : (code == MIN ? "--min-states" : "--max-states"),
                              optarg, 2, 10000000, &v))
                return 1;
            *(pore ? (code == MIN ? &po.min_pores : &po.max_pores)
                   : (code == MIN ? &gvi.min_states : &gvi.max_states)) = v;
            break;
        case MIN_A:
        case MAX_A:
            if (cli_parse_int(code == MIN_A ? "--min-actions" : "--max-actions", optarg,
                              1, 10000000, &v))
                return 1;
            *(code == MIN_A ? &gvi.min_actions : &gvi.max_actions) = v;
            break;
        case DEGREE:
            if (cli_parse_double("--mean-degree", optarg, CLI_POSITIVE, &po.mean_degree))
                return 1;
            break;
        case SEED:
            if (cli_parse_seed(optarg, &seed)) return 1;
            break;
        case THREADS:
            if (cli_parse_int("--threads", optarg, 1, GRL_MAX_THREADS, &threads)) return 1;
            break;
        default: return cli_bad_option(code, argv, command);
        }
    }
    if (optind != argc)
        return cli_error("grl %s: unexpected argument '%s'", command, argv[optind]);
    if (graphs == 0 || dir == NULL)
        return cli_error("grl %s needs --graphs and --output-dir", command);
    char msg[GRL_MSG_LEN] = "";
    if (threads > 0 && grl_threads_set((int)threads, msg) < 0) return cli_error("%s", msg);
    if (make_dir(dir)) return 1;
    grl_graph_set *S = NULL;
    int rc = pore ? grl_pore_generate(&S, graphs, seed, &po, msg)
                  : grl_gvi_generate(&S, graphs, seed, &gvi, msg);
    if (rc < 0) return cli_error("%s", msg);
    if (rc > 0) cli_status(rc, msg);
    rc = grl_graph_set_save(S, dir, name, msg);
    if (rc == 0)
        printf("%lld graphs, %lld nodes, %lld arcs -> %s/%s_*.txt\n",
               (long long)S->ngraphs, (long long)S->nodes, (long long)S->arcs, dir, name);
    grl_graph_set_free(S);
    return rc < 0 ? cli_error("%s", msg) : 0;
}

int cmd_gnn_gvi_generate(int argc, char **argv)
{
    return generate(argc, argv, false);
}

int cmd_gnn_pore_generate(int argc, char **argv)
{
    return generate(argc, argv, true);
}

static const char mpnn_usage[] =
    "usage: grl gnn mpnn --task T --train PREFIX --test PREFIX [options]\n"
    "Node regression with a K-layer message-passing network (no fixed point;\n"
    "the baseline of CGS's experiments): attention message-passing layers and\n"
    "a linear decoder; or, with --model cgs, a Convergent Graph Solver (ICLR\n"
    "2022) whose encoder is those layers: the last one emits m heads' arc\n"
    "logits and node biases, A = clip(logit, 0, 1) / outdeg(source), the fixed\n"
    "point h = gamma A h + b of every head, an MLP decoder on the m values,\n"
    "gradients by the implicit function theorem. Trained on the graph set\n"
    "PREFIX_*.txt (TU layout, as\n"
    "gvi-generate and pore-generate write it), the epoch chosen on the last\n"
    "10% of its graphs. Prints, for each test set, the mean squared error and\n"
    "for gvi also the value MAPE and the policy accuracy.\n\n"
    "  --task T              pore or gvi\n"
    "  --model M             mpnn or cgs (mpnn)\n"
    "  --train PREFIX        training set: DIR/NAME for DIR/NAME_*.txt\n"
    "  --test PREFIX         a test set (repeat for several, up to 8)\n"
    "  --layers K            message-passing layers, 1..5 (3)\n"
    "  --hidden H            width (32)\n"
    "  --batch-graphs B      graphs per step (32)\n"
    "  --epochs N            (100)\n"
    "  --patience N          early stopping on validation MSE (20; 0 off)\n"
    "  --lr X                Adam's learning rate (0.001)\n"
    "  --seed S              initialisation and batch order (0)\n"
    "  --heads M             cgs: fixed-point heads, 1..4096 (16)\n"
    "  --gamma G             cgs: contraction factor, in (0, 1) (0.5)\n"
    "  --tol X               cgs: solver tolerance, relative max-norm step (1e-6)\n"
    "  --max-iter N          cgs: solver iteration cap (50); a capped solve is a\n"
    "                        warning, the run goes on\n"
    "  --threads N           threads, 1..1024; results do not depend on it\n";

/* A set from DIR/NAME given as one prefix; for gvi, one with gvi-generate's
 * single arc feature (the reward the value MAPE and policy read), so that
 * another set is refused rather than scored on its first arc column. */
static int load_prefix(grl_graph_set **S, const char *prefix, bool gvi)
{
    char dir[4096], msg[GRL_MSG_LEN];
    const char *slash = strrchr(prefix, '/');
    const char *name = slash ? slash + 1 : prefix;
    int len = slash ? (int)(slash - prefix) : 1;
    if (*name == '\0' || len >= (int)sizeof dir)
        return cli_error("'%s': expected DIR/NAME for the files DIR/NAME_*.txt", prefix);
    snprintf(dir, sizeof dir, "%.*s", len, slash ? prefix : ".");
    if (grl_graph_set_load(S, dir, name, msg) < 0) return cli_error("%s", msg);
    if (gvi && (*S)->arc_dim != 1) {
        int rc = cli_error("%s: %lld arc features, but a --task gvi set has one (the "
                           "reward, as gvi-generate writes it)", prefix,
                           (long long)(*S)->arc_dim);
        grl_graph_set_free(*S);
        *S = NULL;
        return rc;
    }
    return 0;
}

/* One line of figures for a test set. */
static int report(grl_mpnn *M, const char *prefix, bool gvi)
{
    grl_graph_set *S = NULL;
    if (load_prefix(&S, prefix, gvi)) return 1;
    char msg[GRL_MSG_LEN];
    int rc = 0;
    float *pred = NULL;
    if (S->node_target_dim != 1)
        rc = cli_error("%s: expected one node target per node, got %lld", prefix,
                       (long long)S->node_target_dim);
    else if ((pred = cli_array(S->nodes, sizeof(float), "predictions")) == NULL)
        rc = 1;
    else
        rc = cli_status(grl_mpnn_predict(M, S, pred, msg), msg);
    if (!rc) {
        double se = 0;
        for (int64_t i = 0; i < S->nodes; i++)
            se += ((double)pred[i] - S->node_y[i]) * ((double)pred[i] - S->node_y[i]);
        printf("test %s: %lld graphs, %lld nodes (%.1f per graph), MSE %.6g", prefix,
               (long long)S->ngraphs, (long long)S->nodes,
               (double)S->nodes / (double)S->ngraphs, se / (double)S->nodes);
        double mape, acc;
        if (gvi && grl_gvi_evaluate(S, pred, 0.9, &mape, &acc, msg) < 0)
            rc = cli_error("%s", msg);
        else if (gvi)
            printf(", value MAPE %.3f%%, policy accuracy %.4f", mape, acc);
        printf("\n");
    }
    free(pred);
    grl_graph_set_free(S);
    return rc;
}

int cmd_gnn_mpnn(int argc, char **argv)
{
    enum { TASK = 1, TRAIN, TEST, LAYERS, HIDDEN, BATCH, EPOCHS, PATIENCE, LR, SEED,
           THREADS, MODEL, HEADS, GAMMA, TOL, MAX_ITER };
    static const struct option options[] = {
        {"help", no_argument, 0, 'h'},
        {"task", required_argument, 0, TASK},
        {"train", required_argument, 0, TRAIN},
        {"test", required_argument, 0, TEST},
        {"layers", required_argument, 0, LAYERS},
        {"hidden", required_argument, 0, HIDDEN},
        {"batch-graphs", required_argument, 0, BATCH},
        {"epochs", required_argument, 0, EPOCHS},
        {"patience", required_argument, 0, PATIENCE},
        {"lr", required_argument, 0, LR},
        {"seed", required_argument, 0, SEED},
        {"threads", required_argument, 0, THREADS},
        {"model", required_argument, 0, MODEL},
        {"heads", required_argument, 0, HEADS},
        {"gamma", required_argument, 0, GAMMA},
        {"tol", required_argument, 0, TOL},
        {"max-iter", required_argument, 0, MAX_ITER},
        {0, 0, 0, 0}};
    grl_mpnn_options o;
    grl_mpnn_options_init(&o);
    const char *task = NULL, *train = NULL, *tests[8];
    int ntests = 0;
    long long v, threads = 0;
    int code;
    while ((code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s", mpnn_usage); return 0;
        case TASK:
            if (strcmp(optarg, "pore") && strcmp(optarg, "gvi"))
                return cli_error("--task: expected pore or gvi, got '%s'", optarg);
            task = optarg;
            break;
        case TRAIN: train = optarg; break;
        case TEST:
            if (ntests == 8) return cli_error("--test: at most 8 test sets");
            tests[ntests++] = optarg;
            break;
        case LAYERS:
            if (cli_parse_int("--layers", optarg, 1, 5, &v)) return 1;
            o.layers = v;
            break;
        case HIDDEN:
            if (cli_parse_int("--hidden", optarg, 1, 4096, &v)) return 1;
            o.hidden = v;
            break;
        case BATCH:
            if (cli_parse_int("--batch-graphs", optarg, 1, 1000000, &v)) return 1;
            o.batch_graphs = v;
            break;
        case EPOCHS:
            if (cli_parse_int("--epochs", optarg, 1, 100000000, &v)) return 1;
            o.train.epochs = v;
            break;
        case PATIENCE:
            if (cli_parse_int("--patience", optarg, 0, 100000000, &v)) return 1;
            o.train.patience = v;
            break;
        case LR:
            if (cli_parse_double("--lr", optarg, CLI_POSITIVE, &o.train.optimizer.lr))
                return 1;
            break;
        case SEED:
            if (cli_parse_seed(optarg, &o.train.seed)) return 1;
            break;
        case THREADS:
            if (cli_parse_int("--threads", optarg, 1, GRL_MAX_THREADS, &threads)) return 1;
            break;
        case MODEL:
            if (strcmp(optarg, "mpnn") && strcmp(optarg, "cgs"))
                return cli_error("--model: expected mpnn or cgs, got '%s'", optarg);
            o.model = strcmp(optarg, "cgs") ? GRL_MPNN_PLAIN : GRL_MPNN_CGS;
            break;
        case HEADS:
            if (cli_parse_int("--heads", optarg, 1, 4096, &v)) return 1;
            o.heads = v;
            break;
        case GAMMA:
            if (cli_parse_double("--gamma", optarg, CLI_POSITIVE, &o.gamma)) return 1;
            if (o.gamma >= 1) return cli_error("--gamma: must be below 1, got %s", optarg);
            break;
        case TOL:
            if (cli_parse_double("--tol", optarg, CLI_POSITIVE, &o.solver.tol)) return 1;
            if (o.solver.tol >= 1) return cli_error("--tol: must be below 1, got %s", optarg);
            break;
        case MAX_ITER:
            if (cli_parse_int("--max-iter", optarg, 1, 10000000, &v)) return 1;
            o.solver.max_iter = v;
            break;
        default: return cli_bad_option(code, argv, "gnn mpnn");
        }
    }
    if (optind != argc)
        return cli_error("grl gnn mpnn: unexpected argument '%s'", argv[optind]);
    if (task == NULL || train == NULL)
        return cli_error("grl gnn mpnn needs --task and --train");
    char msg[GRL_MSG_LEN] = "";
    if (threads > 0 && grl_threads_set((int)threads, msg) < 0) return cli_error("%s", msg);
    grl_graph_set *S = NULL;
    if (load_prefix(&S, train, !strcmp(task, "gvi"))) return 1;
    grl_mpnn *M = NULL;
    grl_mpnn_train_result r;
    int rc = 0;
    const bool cgs = o.model == GRL_MPNN_CGS;
    rc = cli_status(grl_mpnn_train(&M, &r, S, &o, msg), msg);
    if (!rc && cgs)
        printf("CGS, %lld heads, gamma %g, encoder %lld layers, hidden %lld: ",
               (long long)o.heads, o.gamma, (long long)o.layers, (long long)o.hidden);
    else if (!rc)
        printf("MPNN, %lld layers, hidden %lld: ", (long long)o.layers, (long long)o.hidden);
    if (!rc)
        printf("best epoch %lld of %lld, train MSE %.6g, validation MSE %.6g (%.1f s)\n",
               (long long)r.best_epoch, (long long)r.epochs_run, r.train_mse, r.val_mse,
               r.seconds);
    if (!rc && cgs)
        printf("fixed point: %lld solves, mean iterations %.2f forward, %.2f adjoint, "
               "%lld at the cap of %lld\n", (long long)r.solves, r.forward_iterations,
               r.adjoint_iterations, (long long)r.capped, (long long)o.solver.max_iter);
    for (int t = 0; !rc && t < ntests; t++) rc = report(M, tests[t], !strcmp(task, "gvi"));
    grl_mpnn_free(&M);
    grl_graph_set_free(S);
    return rc;
}
