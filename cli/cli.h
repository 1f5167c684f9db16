/*
 * cli.h — shared pieces of the grl command: the subcommand table, the graph
 * loading options every subcommand accepts, and error reporting.
 */
#ifndef GRL_CLI_H
#define GRL_CLI_H

#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
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
int cmd_dag(int argc, char **argv);
int cmd_gnn(int argc, char **argv);
/* grl gnn's generators (cmd_gnn_tasks.c), dispatched by cmd_gnn */
int cmd_gnn_gvi_generate(int argc, char **argv);
int cmd_gnn_pore_generate(int argc, char **argv);
int cmd_gnn_mpnn(int argc, char **argv);
int cmd_digraph(int argc, char **argv);

/* Print "grl: error: <formatted>" to stderr and return 1 (the exit code). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The exit code for a library status: an error is printed as cli_error
 * does and gives 1; a warning (status > 0) is printed as "grl: warning:
 * <msg>" and gives 0, since its result is usable; success gives 0. */
int cli_status(int status, const char *msg);

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

/* Option values are parsed whole and range-checked; on error these print
 * "grl: error: --opt: expected ..., got 'text'" and return -1. */
int cli_parse_int(const char *option, const char *text, long long min,
                  long long max, long long *value);
/* The result of a library grl_<enum>_parse call for an option: 0, or -1
 * after printing "grl: error: <option>: <msg>" when it failed. Use as
 *   bad = cli_enum("--method", grl_ppr_method_parse(arg, &m, msg), msg); */
int cli_enum(const char *option, int status, const char *msg);
/* --seed: 0..2^63-1. */
int cli_parse_seed(const char *text, uint64_t *seed);

/* A range of finite numbers, each end open or closed (lo/hi may be
 * +-INFINITY for none). */
typedef struct {
    double lo, hi;
    bool lo_open, hi_open;
} cli_range;
#define CLI_ANY ((cli_range){-INFINITY, INFINITY, false, false})
#define CLI_POSITIVE ((cli_range){0, INFINITY, true, false})
#define CLI_NONNEGATIVE ((cli_range){0, INFINITY, false, false})
#define CLI_OPEN_UNIT ((cli_range){0, 1, true, true})     /* (0, 1) */
#define CLI_UNIT ((cli_range){0, 1, false, false})        /* [0, 1] */
#define CLI_PROBABILITY ((cli_range){0, 1, false, true})  /* [0, 1) */
int cli_parse_double(const char *option, const char *text, cli_range range,
                     double *value);

/* Call each(item, ctx) on every item of a comma-separated list, stopping at
 * the first non-zero return; an empty list or item is an error naming the
 * option. Returns 0 or an exit code. */
int cli_split_list(const char *option, const char *text,
                   int (*each)(const char *item, void *ctx), void *ctx);

/* The one-line error for getopt_long's ':' (value missing) or '?' (unknown
 * option) codes; optstrings start with ':' and main sets opterr = 0.
 * CLI_OPTION_REFUSED (already reported by cli_getopt) gives the exit code
 * without a second line. Returns the exit code. */
int cli_bad_option(int code, char **argv, const char *command);

/* getopt_long that refuses an abbreviated long option: glibc reads a
 * unique prefix as the whole name, so a typo such as --model would
 * silently set --model-out. An abbreviation prints "unknown option
 * '--model' (did you mean '--model-out'?)" and gives CLI_OPTION_REFUSED,
 * which cli_bad_option turns into its exit code. --name=value still works.
 *   argc, argv, optstring, options  as for getopt_long
 * Returns what getopt_long returns, or CLI_OPTION_REFUSED. */
#define CLI_OPTION_REFUSED (-2)
int cli_getopt(int argc, char **argv, const char *optstring,
               const struct option *options);

/* malloc(count * size) with the product checked; NULL after printing an
 * error that names `what`. */
void *cli_array(int64_t count, size_t size, const char *what);
/* *out = a * b, or an error naming `what` (returns the exit code). */
int cli_mul(int64_t a, int64_t b, int64_t *out, const char *what);

/* Open an output path (NULL or "-": stdout); NULL after printing an error. */
FILE *cli_open_output(const char *path);
/* Close what cli_open_output returned, reporting write errors; returns 0
 * or an exit code. */
int cli_close_output(FILE *f, const char *path);
/* Write node i's id whole, however long. Returns 0 or -1. */
int cli_put_id(FILE *f, const grl_graph *G, int64_t i);

/* The id file that goes with an embedding: E.ids for E.npy (static
 * storage), NULL if the path does not end in .npy or is too long. */
const char *cli_ids_path(const char *npy);

/* The progress line: on a terminal and without --quiet, show the formatted
 * text on stderr, replacing the previous line; fmt NULL clears it. */
void cli_progress(const cli_common *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A counted task on the same line, "grl: <what> <done> of <total> ...",
 * cleared once done reaches total. cli_count has the signature of the
 * library's progress callbacks (grl_*_options.progress), with a
 * cli_counter as its context. */
typedef struct {
    bool quiet;
    const char *what;
} cli_counter;
void cli_count(int64_t done, int64_t total, void *counter);

/* The first two fields of a line of node ids (blank, tab or comma
 * separated), each terminated in place, into tok (NULL where missing).
 * Returns the number of fields, 3 for more than two; 0 for a blank line or
 * a comment (# or %).
 *   line  one line, changed in place; not NULL
 *   tok   out: two pointers into line */
int cli_line_fields(char *line, char *tok[2]);

/* Read node ids of G from path, one line each (# or % comments): two
 * columns `u v` into *u, *v, or with v NULL one column into *u; a line
 * with another number of fields is refused. Returns 0 or an exit code
 * (the message names path:line). */
int cli_read_nodes(const char *path, const grl_graph *G, int64_t **u,
                   int64_t **v, int64_t *count);

/* Load `path` with c->load (with a progress line), reporting errors; returns 0 or an exit code. */
int cli_load_graph(grl_graph **G, const char *path, const cli_common *c);

/* Partition directories (cli/dist.c): whether path is a directory with a
 * manifest.grlm (other directories go to the loader, which refuses them), and
 * the commands that run over one under mpirun (exit codes; without MPI
 * they refuse with a message). */
bool cli_is_partition_dir(const char *path);
int cli_dist_fastrp(const char *dir, const grl_fastrp_options *o,
                    const char *output, const cli_common *c);
int cli_dist_walk(const char *dir, const grl_walk_options *o,
                  const char *output, const cli_common *c);
int cli_dist_ppr(const char *dir, const grl_ppr_options *o, const char *list,
                 const char *file, const char *index, int64_t top,
                 const char *output, const cli_common *c);
int cli_dist_ppr_index(const char *dir, const grl_ppr_index_options *o,
                       const char *output, const cli_common *c);

/* Every node's id as text, formatted once (a corpus repeats each id many
 * times): ids[i] points into one buffer. */
typedef struct {
    char **ids;
    char *buf;
} cli_walk_ids;
void cli_walk_ids_free(cli_walk_ids *t);
/* Write count walks of L nodes (rows of W; -1 ends a walk early) as lines
 * of ids; returns 0, or -1 on a write error. */
int cli_write_walks(FILE *f, const int64_t *W, int64_t count, int64_t L,
                    const cli_walk_ids *t);

#endif
