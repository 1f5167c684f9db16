/* TEMPORARY: replaced by cli/cmd_walk.c, cli/cmd_ppr.c */
#include "cli.h"
int cmd_walk(int argc, char **argv) { return cli_error("walk: not built yet"); }
int cmd_ppr(int argc, char **argv) { return cli_error("ppr: not built yet"); }
int cmd_ppr_index(int argc, char **argv) { return cli_error("ppr-index: not built yet"); }
