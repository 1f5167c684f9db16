/* linkpred_cli.h — what cmd_linkpred.c and cmd_linkpred_train.c share. */
#ifndef GRL_LINKPRED_CLI_H
#define GRL_LINKPRED_CLI_H

#include "grl.h"

/* `grl linkpred train` (argv[0] = "train"). */
int linkpred_train_cmd(int argc, char **argv);

/* Load the model file `model` and G's features for it (both required);
 * 0 or an exit code after printing the error. */
int linkpred_model_open(grl_ncn **M, grl_dense **X, grl_graph *G,
                        const char *model, const char *features);

#endif
