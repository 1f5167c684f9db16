/* common.c — options shared by every subcommand that reads a graph. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("grl: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

enum {
    OPT_DIRECTED = CLI_COMMON_BASE, OPT_UNDIRECTED, OPT_FORMAT, OPT_STRING_IDS,
    OPT_SELF_LOOPS, OPT_DUPLICATES, OPT_IGNORE_WEIGHTS, OPT_ANY_WEIGHTS,
    OPT_HEADER, OPT_NO_HEADER, OPT_THREADS, OPT_QUIET,
};

const struct option cli_common_options[] = {
    {"directed", no_argument, 0, OPT_DIRECTED},
    {"undirected", no_argument, 0, OPT_UNDIRECTED},
    {"format", required_argument, 0, OPT_FORMAT},
    {"string-ids", no_argument, 0, OPT_STRING_IDS},
    {"self-loops", required_argument, 0, OPT_SELF_LOOPS},
    {"duplicates", required_argument, 0, OPT_DUPLICATES},
    {"ignore-weights", no_argument, 0, OPT_IGNORE_WEIGHTS},
    {"allow-nonpositive-weights", no_argument, 0, OPT_ANY_WEIGHTS},
    {"header", no_argument, 0, OPT_HEADER},
    {"no-header", no_argument, 0, OPT_NO_HEADER},
    {"threads", required_argument, 0, OPT_THREADS},
    {"quiet", no_argument, 0, OPT_QUIET},
    {0, 0, 0, 0},
};

const char cli_common_help[] =
    "graph input:\n"
    "  --directed | --undirected   how to read the arcs (default: undirected for\n"
    "                              edge lists and CSV, as declared otherwise)\n"
    "  --format F                  edgelist|csv|mtx|grl|graphml|gml|pajek\n"
    "                              (default: from the extension)\n"
    "  --string-ids                nodes are named by strings, not integers\n"
    "  --self-loops keep|drop      default keep\n"
    "  --duplicates merge|sum      merge keeps one edge with the largest weight\n"
    "                              (default); sum adds the weights\n"
    "  --ignore-weights            read only the first two columns\n"
    "  --allow-nonpositive-weights accept zero and negative weights\n"
    "  --header | --no-header      the first data line is (not) a header\n"
    "                              (default: detected for CSV)\n"
    "  --threads N                 threads (default: all cores)\n"
    "  --quiet                     no progress output\n";

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof(*c));
    grl_load_options_init(&c->load);
}

static const struct {
    const char *name;
    grl_format format;
} format_names[] = {
    {"edgelist", GRL_FORMAT_EDGELIST}, {"snap", GRL_FORMAT_EDGELIST},
    {"csv", GRL_FORMAT_CSV},           {"mtx", GRL_FORMAT_MATRIX_MARKET},
    {"grl", GRL_FORMAT_GRL},           {"graphml", GRL_FORMAT_GRAPHML},
    {"gml", GRL_FORMAT_GML},           {"pajek", GRL_FORMAT_PAJEK},
};

int cli_common_parse(cli_common *c, int code, const char *arg)
{
    long long v;
    switch (code) {
    case OPT_DIRECTED: c->load.directed = 1; return 1;
    case OPT_UNDIRECTED: c->load.directed = 0; return 1;
    case OPT_STRING_IDS: c->load.ids = GRL_IDS_STRING; return 1;
    case OPT_IGNORE_WEIGHTS: c->load.ignore_weights = true; return 1;
    case OPT_ANY_WEIGHTS: c->load.allow_nonpositive_weights = true; return 1;
    case OPT_HEADER: c->load.header = 1; return 1;
    case OPT_NO_HEADER: c->load.header = 0; return 1;
    case OPT_QUIET: c->quiet = 1; return 1;
    case OPT_FORMAT:
        for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
            if (!strcmp(arg, format_names[i].name)) {
                c->load.format = format_names[i].format;
                return 1;
            }
        cli_error("--format: unknown format '%s'", arg);
        return -1;
    case OPT_SELF_LOOPS:
        if (!strcmp(arg, "keep")) c->load.self_loops = GRL_SELF_LOOPS_KEEP;
        else if (!strcmp(arg, "drop")) c->load.self_loops = GRL_SELF_LOOPS_DROP;
        else { cli_error("--self-loops: expected keep or drop, got '%s'", arg); return -1; }
        return 1;
    case OPT_DUPLICATES:
        if (!strcmp(arg, "merge")) c->load.duplicates = GRL_DUPLICATES_MERGE;
        else if (!strcmp(arg, "sum")) c->load.duplicates = GRL_DUPLICATES_SUM;
        else { cli_error("--duplicates: expected merge or sum, got '%s'", arg); return -1; }
        return 1;
    case OPT_THREADS:
        if (cli_parse_int64("--threads", arg, 1, &v)) return -1;
        c->threads = (int)v;
        return 1;
    default:
        return 0;
    }
}

int cli_common_apply(const cli_common *c)
{
    char msg[GRL_MSG_LEN];
    if (c->threads > 0 && grl_set_threads(c->threads, msg) < 0)
        return cli_error("%s", msg);
    return 0;
}

const struct option *cli_options(const struct option *own)
{
    static struct option all[64];
    size_t n = 0;
    for (; own[n].name; n++) all[n] = own[n];
    for (size_t i = 0; cli_common_options[i].name; i++) all[n++] = cli_common_options[i];
    memset(&all[n], 0, sizeof all[n]);
    return all;
}

int cli_parse_int64(const char *option, const char *text, long long min,
                    long long *value)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE || v < min) {
        cli_error("%s: expected an integer >= %lld, got '%s'", option, min, text);
        return -1;
    }
    *value = v;
    return 0;
}

int cli_parse_double(const char *option, const char *text, double *value)
{
    char *end;
    *value = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(*value)) {
        cli_error("%s: expected a number, got '%s'", option, text);
        return -1;
    }
    return 0;
}

const char *cli_ids_path(const char *npy)
{
    static char path[4096];
    size_t len = strlen(npy);
    if (len < 4 || strcmp(npy + len - 4, ".npy") != 0 || len >= sizeof path)
        return NULL;
    memcpy(path, npy, len - 4);
    strcpy(path + len - 4, ".ids");
    return path;
}

void cli_progress(const cli_common *c, const char *fmt, ...)
{
    if (c->quiet || !isatty(STDERR_FILENO)) return;
    fputs("\r\033[K", stderr); /* carriage return, erase the line */
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs("grl: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputs(" ...", stderr);
        va_end(ap);
    }
    fflush(stderr);
}

int cli_load_graph(grl_graph **G, const char *path, const cli_common *c)
{
    char msg[GRL_MSG_LEN] = "";
    cli_progress(c, "loading %s", path);
    int rc = grl_graph_load(G, path, &c->load, msg);
    cli_progress(c, NULL);
    if (rc < 0) return cli_error("%s", msg);
    return 0;
}
