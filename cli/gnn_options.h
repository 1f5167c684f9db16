/* gnn_options.h — the options every node-classification command of
 * `grl gnn` shares (node data, training, model output), parsed once for
 * ADPA (cmd_gnn.c) and the fixed-point GNNs (cmd_gnn_fixed.c). */
#ifndef GRL_CLI_GNN_OPTIONS_H
#define GRL_CLI_GNN_OPTIONS_H

#include "cli.h"

typedef struct {
    const char *features, *labels, *splits;
    grl_node_splits_options gen;   /* splits drawn without --splits        */
    grl_gnn_train_options *train;  /* the model's training options          */
    int64_t *hidden;               /* the model's width                     */
    double *dropout;               /* the model's dropout                   */
    double *decay;                 /* with decays: --weight-decay X,Y,...   */
    int *decays, max_decays;       /* candidates picked on validation       */
    const char *model_out, *predictions;
} gnn_cli;

/* getopt_long entries (codes from GNN_CLI_BASE) and their help text. */
#define GNN_CLI_BASE 2000
extern const char gnn_cli_help[];

/* Point t at a model's training options, hidden width and dropout. */
void gnn_cli_init(gnn_cli *t, grl_gnn_train_options *train, int64_t *hidden,
                  double *dropout);
/* Let --weight-decay take up to max comma-separated candidates into
 * decay[0..], their count in *decays (0 for a single value, which also goes
 * to the training options' weight decay, as does the first candidate). */
void gnn_cli_decay_list(gnn_cli *t, double *decay, int *decays, int max);
/* A command's own options joined with these and the common ones (static
 * storage). */
const struct option *gnn_cli_options(const struct option *own);
/* Handle a getopt_long code if it is one of these: 1 handled, 0 not ours,
 * -1 bad value (message printed). */
int gnn_cli_parse(gnn_cli *t, int code, const char *arg);

/* Labels and splits (read, or drawn when need_splits). Returns 0 or an
 * exit code. */
int gnn_cli_load_labels(const gnn_cli *t, grl_graph *G, grl_node_labels **L,
                        grl_node_splits **S, bool need_splits);
/* 0, or an exit code when a hidden layer of `hidden` floats a node over
 * `nodes` nodes is over the cap (2^24 floats, 64 MiB; the message names
 * both). gnn_cli_load checks --hidden; a --select grid checks its values. */
int gnn_cli_check_width(int64_t hidden, int64_t nodes);
/* Features, labels and splits for a training command (--hidden checked by
 * gnn_cli_check_width first). */
int gnn_cli_load(const gnn_cli *t, grl_graph *G, grl_dense **X,
                 grl_node_labels **L, grl_node_splits **S);

/* The progress callback's context and the callback (a line per epoch). */
typedef struct {
    const cli_common *common;
    int64_t split, splits;
} gnn_cli_progress;
void gnn_cli_on_epoch(const grl_gnn_train_progress *p, void *ctx);

/* `id class p_0 ... p_k-1` for every node from n x k probabilities. */
int gnn_cli_write_predictions(const char *path, const grl_graph *G,
                              const float *proba, int64_t k);

/* `grl gnn appnp|ignn|cgs` (cmd_gnn_fixed.c); argv[0] is the model. */
int cmd_gnn_fixed(int argc, char **argv);

#endif
