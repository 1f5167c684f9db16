/*
 * cli.h — shared pieces of the grl command: the subcommand table, the graph
 * loading options every subcommand accepts, and error reporting.
 */
#ifndef GRL_CLI_H
#define GRL_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "grl.h"

/* Each subcommand: argc/argv start at the subcommand's name. */
int cmd_info(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_partition(int argc, char **argv);
int cmd_fastrp(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_walk(int argc, char **argv);
int cmd_ppr(int argc, char **argv);
int cmd_ppr_index(int argc, char **argv);
int cmd_linkpred(int argc, char **argv);

/* Print "grl: error: <formatted>" to stderr and return 1 (the exit code). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Options shared by every command that reads a graph. */
typedef struct {
    grl_load_options load;
    int threads;   /* 0: leave the default */
    int quiet;
} cli_common;

/* getopt_long entries of the shared options, terminated by a zero entry;
 * their `val` codes start at CLI_COMMON_BASE. */
#define CLI_COMMON_BASE 1000
extern const struct option cli_common_options[];
/* The help text of the shared options. */
extern const char cli_common_help[];

void cli_common_init(cli_common *c);
/* Handle a getopt_long code if it is a shared option: 1 handled, 0 not
 * shared, -1 bad value (message printed). */
int cli_common_parse(cli_common *c, int code, const char *arg);
/* Apply --threads. Returns 0 or an exit code. */
int cli_common_apply(const cli_common *c);

/* Join a command's own options with the shared ones (static storage). */
const struct option *cli_options(const struct option *own);

/* Parse a non-negative integer / a double option value; -1 on error with a
 * message naming the option. */
int cli_parse_int64(const char *option, const char *text, long long min,
                    long long *value);

/* Parse a finite number option value; -1 on error with a message naming
 * the option. */
int cli_parse_double(const char *option, const char *text, double *value);

/* The id file that goes with an embedding: E.ids for E.npy (static
 * storage), NULL if the path does not end in .npy or is too long. */
const char *cli_ids_path(const char *npy);

/* The progress line: on a terminal and without --quiet, show the formatted
 * text on stderr, replacing the previous line; fmt NULL clears it. */
void cli_progress(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Load `path` with c->load (with a progress line), reporting errors; returns 0 or an exit code. */
int cli_load_graph(grl_graph **G, const char *path, const cli_common *c);

#endif
