/* gnn_options.c — the shared options of grl gnn's node-classification
 * commands (gnn_options.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gnn_options.h"

enum { FEATURES = GNN_CLI_BASE, LABELS, SPLITS, PER_CLASS, VAL, REPEATS, HIDDEN,
       DROPOUT, LR, WD, OPTIMIZER, COSINE, EPOCHS, PATIENCE, BATCH, SEED,
       MODEL_OUT, PREDICTIONS };

static const struct option shared[] = {
    {"features", required_argument, 0, FEATURES},
    {"labels", required_argument, 0, LABELS},
    {"splits", required_argument, 0, SPLITS},
    {"train-per-class", required_argument, 0, PER_CLASS},
    {"val", required_argument, 0, VAL},
    {"repeats", required_argument, 0, REPEATS},
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

const char gnn_cli_help[] =
    "  --features F          node features: `node feature value` lines, dense\n"
    "                        rows (row r = node id r) or .npy\n"
    "  --labels L            `node class` lines, classes 0..k-1\n"
    "  --splits S            `split node role` or `node role` lines\n"
    "  --train-per-class K   without --splits: K training nodes per class (20)\n"
    "  --val V               ... and V validation nodes (500)\n"
    "  --repeats R           ... over R seeded splits (10)\n"
    "  --hidden H            width (the model's default above); refused when\n"
    "                        nodes x H is over 2^24 (64 MiB of one layer) or\n"
    "                        the model over 2^27 parameters (2 GiB in training)\n"
    "  --dropout P           in [0, 1) (the model's default above)\n"
    "  --lr X                learning rate (the model's default above)\n"
    "  --weight-decay X      (the model's default above)\n"
    "  --optimizer O         adam (default), adamw, sgd\n"
    "  --cosine              cosine learning-rate schedule\n"
    "  --epochs N            (500)\n"
    "  --patience N          early stopping on validation accuracy (50; 0 off)\n"
    "  --batch-size N        training nodes per step (0: all)\n"
    "  --seed S              splits, initialisation and dropout (0)\n"
    "  --model-out M         save the model of the best validation split\n"
    "  --predictions OUT     `id class p_0 ... p_k-1` of every node from it\n\n";

void gnn_cli_decay_list(gnn_cli *t, double *decay, int *decays, int max)
{
    t->decay = decay;
    t->decays = decays;
    t->max_decays = max;
}

/* --weight-decay X or X,Y,...: one decay, or candidates for validation. */
static int parse_decays(gnn_cli *t, const char *arg)
{
    char copy[256];
    if (snprintf(copy, sizeof copy, "%s", arg) >= (int)sizeof copy)
        return cli_error("--weight-decay: too long");
    int n = 0;
    /* items split by hand: strtok would skip an empty one ("1,,2") */
    for (char *tok = copy, *end; tok; tok = end ? end + 1 : NULL) {
        end = strchr(tok, ',');
        if (end) *end = '\0';
        if (n == t->max_decays)
            return cli_error("--weight-decay: at most %d values", t->max_decays);
        if (cli_parse_double("--weight-decay", tok, CLI_NONNEGATIVE, &t->decay[n]))
            return 1;
        n++;
    }
    if (n == 0) return cli_error("--weight-decay: no value");
    t->train->optimizer.weight_decay = t->decay[0];
    *t->decays = n > 1 ? n : 0;
    return 0;
}

void gnn_cli_init(gnn_cli *t, grl_gnn_train_options *train, int64_t *hidden,
                  double *dropout)
{
    memset(t, 0, sizeof(*t));
    grl_node_splits_options_init(&t->gen);
    t->train = train;
    t->hidden = hidden;
    t->dropout = dropout;
}

const struct option *gnn_cli_options(const struct option *own)
{
    static struct option all[64];
    size_t n = 0;
    for (; own[n].name; n++) all[n] = own[n];
    for (size_t i = 0; shared[i].name; i++) all[n++] = shared[i];
    memset(&all[n], 0, sizeof all[n]);
    return cli_options(all);
}

int gnn_cli_parse(gnn_cli *t, int code, const char *arg)
{
    char msg[GRL_MSG_LEN];
    grl_gnn_train_options *o = t->train;
    long long v;
    int bad = 0;
    switch (code) {
    case FEATURES: t->features = arg; break;
    case LABELS: t->labels = arg; break;
    case SPLITS: t->splits = arg; break;
    case PER_CLASS:
        bad = cli_parse_int("--train-per-class", arg, 1, INT_MAX, &v);
        t->gen.train_per_class = v;
        break;
    case VAL:
        bad = cli_parse_int("--val", arg, 1, LLONG_MAX / 2, &v);
        t->gen.val = v;
        break;
    case REPEATS:
        bad = cli_parse_int("--repeats", arg, 1, 1 << 20, &v);
        t->gen.repeats = v;
        break;
    case HIDDEN:
        bad = cli_parse_int("--hidden", arg, 1, 1 << 20, &v);
        *t->hidden = v;
        break;
    case DROPOUT:
        bad = cli_parse_double("--dropout", arg, CLI_PROBABILITY, t->dropout);
        break;
    case LR: bad = cli_parse_double("--lr", arg, CLI_POSITIVE, &o->optimizer.lr); break;
    case WD:
        bad = t->decay ? parse_decays(t, arg)
                       : cli_parse_double("--weight-decay", arg, CLI_NONNEGATIVE,
                                          &o->optimizer.weight_decay);
        break;
    case OPTIMIZER:
        if (grl_optimizer_parse(arg, &o->optimizer.kind, msg) < 0)
            bad = cli_error("--optimizer: %s", msg);
        break;
    case COSINE: o->optimizer.cosine = true; break;
    case EPOCHS:
        bad = cli_parse_int("--epochs", arg, 1, 100000000, &v);
        o->epochs = v;
        break;
    case PATIENCE:
        bad = cli_parse_int("--patience", arg, 0, LLONG_MAX, &v);
        o->patience = v;
        break;
    case BATCH:
        bad = cli_parse_int("--batch-size", arg, 0, LLONG_MAX, &v);
        o->batch_size = v;
        break;
    case SEED:
        bad = cli_parse_seed(arg, &o->seed);
        t->gen.seed = o->seed;
        break;
    case MODEL_OUT: t->model_out = arg; break;
    case PREDICTIONS: t->predictions = arg; break;
    default: return 0;
    }
    return bad ? -1 : 1;
}

int gnn_cli_load_labels(const gnn_cli *t, grl_graph *G, grl_node_labels **L,
                        grl_node_splits **S, bool need_splits)
{
    char msg[GRL_MSG_LEN];
    if (grl_node_labels_load(L, G, t->labels, msg) < 0) return cli_error("%s", msg);
    if (t->splits) {
        if (grl_node_splits_load(S, G, t->splits, msg) < 0) return cli_error("%s", msg);
    } else if (need_splits) {
        if (grl_node_splits_generate(S, G, *L, &t->gen, msg) < 0)
            return cli_error("%s", msg);
    }
    return 0;
}

/* The most floats of one hidden layer over every node, nodes x --hidden:
 * 2^24 (64 MiB). A model keeps several such arrays (ADPA two per pattern
 * and more), so --hidden 1048576 on karate's 34 nodes took 3.2 GB. */
#define MAX_LAYER_FLOATS ((int64_t)1 << 24)

int gnn_cli_check_width(int64_t hidden, int64_t nodes)
{
    int64_t layer;
    if (cli_mul(nodes, hidden, &layer, "--hidden x nodes")) return 1;
    if (layer > MAX_LAYER_FLOATS)
        return cli_error("--hidden %lld: a hidden layer over the %lld nodes is %lld "
                         "floats (%lld MiB; a model keeps several), over the cap of "
                         "2^24 (64 MiB)", (long long)hidden, (long long)nodes,
                         (long long)layer, (long long)(layer >> 18));
    return 0;
}

int gnn_cli_load(const gnn_cli *t, grl_graph *G, grl_dense **X,
                 grl_node_labels **L, grl_node_splits **S)
{
    char msg[GRL_MSG_LEN];
    if (gnn_cli_check_width(*t->hidden, grl_graph_num_nodes(G))) return 1;
    if (grl_node_features_load(X, G, t->features, GRL_FEATURES_AUTO, msg) < 0)
        return cli_error("%s", msg);
    return gnn_cli_load_labels(t, G, L, S, true);
}

void gnn_cli_on_epoch(const grl_gnn_train_progress *p, void *ctx)
{
    const gnn_cli_progress *c = ctx;
    /* a refit trains on training + validation: no validation figure (NAN) */
    const bool refit = isnan(p->val_accuracy);
    char val[32] = "";
    if (!refit) snprintf(val, sizeof val, ", val %.3f", p->val_accuracy);
    cli_progress(c->common, "split %lld/%lld %sepoch %lld/%lld: loss %.4f, train "
                 "%.3f%s (%.2f s)", (long long)c->split + 1, (long long)c->splits,
                 refit ? "refit " : "", (long long)p->epoch, (long long)p->epochs,
                 p->loss, p->train_accuracy, val, p->seconds);
}

int gnn_cli_write_predictions(const char *path, const grl_graph *G,
                              const float *proba, int64_t k)
{
    FILE *f = cli_open_output(path);
    if (f == NULL) return 1;
    const int64_t n = grl_graph_num_nodes(G);
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
    return cli_close_output(f, path);
}
