/* TEMPORARY: replaced by cli/cmd_eval.c */
#include "cli.h"
int cmd_eval(int argc, char **argv) { return cli_error("eval: not built yet"); }
