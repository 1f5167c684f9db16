/* walks_cli.h — helpers shared by `grl walk`, `grl ppr` and `grl ppr-index`
 * (defined in cmd_walk.c). */
#ifndef GRL_WALKS_CLI_H
#define GRL_WALKS_CLI_H

#include "cli.h"
#include "grl/walks.h"

/* Every node's id as text: ids[i] points into one buffer (free both with
 * walks_cli_ids_free). Returns 0 or an exit code. */
typedef struct {
    char **ids;
    char *buf;
} walks_cli_ids;
int walks_cli_ids_new(walks_cli_ids *t, const grl_graph *G);
void walks_cli_ids_free(walks_cli_ids *t);

#endif
