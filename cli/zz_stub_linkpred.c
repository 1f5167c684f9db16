/* TEMPORARY: replaced by cli/cmd_linkpred.c */
#include "cli.h"
int cmd_linkpred(int argc, char **argv) { return cli_error("linkpred: not built yet"); }
