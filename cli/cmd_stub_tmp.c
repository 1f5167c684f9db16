#include "cli.h"
int cmd_info(int argc, char **argv) { return 1; }
int cmd_convert(int argc, char **argv) { return 1; }
int cmd_partition(int argc, char **argv) { return 1; }
