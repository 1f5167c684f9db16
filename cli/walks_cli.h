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

/* Open --output (NULL or "-": stdout). Returns NULL after printing an error. */
FILE *walks_cli_open(const char *path);
/* Close what walks_cli_open returned; returns 0 or an exit code. */
int walks_cli_close(FILE *f, const char *path);

#endif
