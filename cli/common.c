/* common.c — options shared by every subcommand that reads a graph. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

/* Whether a progress line is on the screen (errors erase it first). */
static bool progress_shown = false;

static void progress_line(bool quiet, const char *text);

int cli_error(const char *fmt, ...)
{
    if (progress_shown) progress_line(false, NULL);
    va_list ap;
    va_start(ap, fmt);
    fputs("grl: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

int cli_status(int status, const char *msg)
{
    if (status < 0) return cli_error("%s", msg);
    if (status > 0) {
        if (progress_shown) progress_line(false, NULL);
        fprintf(stderr, "grl: warning: %s\n", msg);
    }
    return 0;
}

enum {
    OPT_DIRECTED = CLI_COMMON_BASE, OPT_UNDIRECTED, OPT_FORMAT, OPT_STRING_IDS,
    OPT_SELF_LOOPS, OPT_DUPLICATES, OPT_IGNORE_WEIGHTS, OPT_ANY_WEIGHTS,
    OPT_HEADER, OPT_NO_HEADER, OPT_THREADS, OPT_QUIET, OPT_NODES, OPT_NUM_NODES,
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
    {"nodes", required_argument, 0, OPT_NODES},
    {"num-nodes", required_argument, 0, OPT_NUM_NODES},
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
    "  --nodes FILE                the graph's node ids, one per line: nodes\n"
    "                              without edges become isolated nodes, and an\n"
    "                              edge naming another node is an error (edge\n"
    "                              lists and CSV; default: the nodes of the edges)\n"
    "  --num-nodes N               the nodes are the integer ids 0..N-1\n"
    "  --threads N                 threads, 1..1024 (default: all cores)\n"
    "  --quiet                     no progress output\n";

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof(*c));
    grl_load_options_init(&c->load);
}

int cli_enum(const char *option, int status, const char *msg)
{
    if (status >= 0) return 0;
    cli_error("%s: %s", option, msg);
    return -1;
}

int cli_common_parse(cli_common *c, int code, const char *arg)
{
    long long v;
    char msg[GRL_MSG_LEN];
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
        return cli_enum("--format", grl_format_parse(arg, &c->load.format, msg),
                        msg) ? -1 : 1;
    case OPT_SELF_LOOPS:
        return cli_enum("--self-loops", grl_self_loop_policy_parse(
                            arg, &c->load.self_loops, msg), msg) ? -1 : 1;
    case OPT_DUPLICATES:
        return cli_enum("--duplicates", grl_duplicate_policy_parse(
                            arg, &c->load.duplicates, msg), msg) ? -1 : 1;
    case OPT_NODES: c->load.nodes_path = arg; return 1;
    case OPT_NUM_NODES:
        if (cli_parse_int("--num-nodes", arg, 1, GRL_MAX_NODES, &v)) return -1;
        c->load.num_nodes = v;
        return 1;
    case OPT_THREADS:
        if (cli_parse_int("--threads", arg, 1, GRL_MAX_THREADS, &v)) return -1;
        c->threads = (int)v;
        return 1;
    default:
        return 0;
    }
}

int cli_common_apply(const cli_common *c)
{
    char msg[GRL_MSG_LEN];
    if (c->threads > 0 && grl_threads_set(c->threads, msg) < 0)
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

int cli_parse_int(const char *option, const char *text, long long min,
                  long long max, long long *value)
{
    int64_t v;
    if (!grl_parse_i64_whole(text, strlen(text), &v) || v < min || v > max) {
        if (max == LLONG_MAX)
            cli_error("%s: expected an integer >= %lld, got '%s'", option, min, text);
        else
            cli_error("%s: expected an integer in %lld..%lld, got '%s'", option,
                      min, max, text);
        return -1;
    }
    *value = v;
    return 0;
}

int cli_parse_seed(const char *text, uint64_t *seed)
{
    long long v;
    if (cli_parse_int("--seed", text, 0, LLONG_MAX, &v)) return -1;
    *seed = (uint64_t)v;
    return 0;
}

/* "a number in (0, 1]", "a positive number", ...: the range in words. */
static void describe_range(cli_range r, char *buf, size_t len)
{
    if (isinf(r.lo) && isinf(r.hi)) snprintf(buf, len, "a number");
    else if (isinf(r.hi) && r.lo == 0)
        snprintf(buf, len, "%s number", r.lo_open ? "a positive" : "a non-negative");
    else if (isinf(r.hi)) snprintf(buf, len, "a number %s %g", r.lo_open ? ">" : ">=", r.lo);
    else if (isinf(r.lo)) snprintf(buf, len, "a number %s %g", r.hi_open ? "<" : "<=", r.hi);
    else snprintf(buf, len, "a number in %c%g, %g%c", r.lo_open ? '(' : '[', r.lo, r.hi,
                  r.hi_open ? ')' : ']');
}

int cli_parse_double(const char *option, const char *text, cli_range r,
                     double *value)
{
    char *end;
    double v = strtod(text, &end);
    bool ok = end != text && *end == '\0' && isfinite(v) &&
              (r.lo_open ? v > r.lo : v >= r.lo) && (r.hi_open ? v < r.hi : v <= r.hi);
    if (!ok) {
        char range[64];
        describe_range(r, range, sizeof range);
        cli_error("%s: expected %s, got '%s'", option, range, text);
        return -1;
    }
    *value = v;
    return 0;
}

int cli_split_list(const char *option, const char *text,
                   int (*each)(const char *item, void *ctx), void *ctx)
{
    char *copy = strdup(text);
    if (copy == NULL) return cli_error("out of memory");
    int rc = 0;
    for (char *item = copy, *next; item && !rc; item = next) {
        next = strchr(item, ',');
        if (next) *next++ = '\0';
        rc = *item ? each(item, ctx)
                   : cli_error("%s: expected a comma-separated list without "
                               "empty items, got '%s'", option, text);
    }
    free(copy);
    return rc;
}

/* The option that the argv element `arg` names by a strict prefix ("--model"
 * or "--model=x" for --model-out), or NULL if arg is not a long option or
 * names one in full. */
static const struct option *abbreviated(const char *arg, const struct option *options)
{
    if (strncmp(arg, "--", 2) != 0) return NULL;
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    const struct option *prefix_of = NULL;
    for (const struct option *o = options; o->name; o++) {
        if (strncmp(o->name, name, len) != 0) continue;
        if (o->name[len] == '\0') return NULL;
        prefix_of = o;
    }
    return prefix_of;
}

int cli_getopt(int argc, char **argv, const char *optstring,
               const struct option *options)
{
    int longindex = -1;
    int code = getopt_long(argc, argv, optstring, options, &longindex);
    /* The element that named the option: the one before a separate value. */
    const char *arg = NULL;
    if (longindex >= 0)
        arg = argv[optind - (optarg && optarg == argv[optind - 1] ? 2 : 1)];
    else if (code == ':')
        arg = argv[optind - 1];
    const struct option *full = arg ? abbreviated(arg, options) : NULL;
    if (full == NULL) return code;
    cli_error("unknown option '%.*s' (did you mean '--%s'?)",
              (int)strcspn(arg, "="), arg, full->name);
    return CLI_OPTION_REFUSED;
}

int cli_bad_option(int code, char **argv, const char *command)
{
    if (code == CLI_OPTION_REFUSED) return 1;
    const char *arg = argv[optind - 1];
    if (code == ':')
        return cli_error("%s needs a value (try 'grl %s --help')", arg, command);
    if (optopt > ' ' && optopt < 127 && arg[0] == '-' && arg[1] != '-')
        return cli_error("invalid option '-%c' (try 'grl %s --help')", optopt, command);
    return cli_error("invalid option '%s' (try 'grl %s --help')", arg, command);
}

void *cli_array(int64_t count, size_t size, const char *what)
{
    size_t bytes;
    if (count < 0 || __builtin_mul_overflow((size_t)(count ? count : 1), size, &bytes)) {
        cli_error("%s: %lld elements do not fit in memory", what, (long long)count);
        return NULL;
    }
    void *p = malloc(bytes);
    if (p == NULL) cli_error("out of memory for %s (%zu bytes)", what, bytes);
    return p;
}

int cli_mul(int64_t a, int64_t b, int64_t *out, const char *what)
{
    if (!__builtin_mul_overflow(a, b, out)) return 0;
    return cli_error("%s is too large: %lld x %lld does not fit in 64 bits", what,
                     (long long)a, (long long)b);
}

FILE *cli_open_output(const char *path)
{
    if (path == NULL || !strcmp(path, "-")) return stdout;
    FILE *f = fopen(path, "w");
    if (f == NULL) cli_error("'%s': cannot open for writing: %s", path, strerror(errno));
    return f;
}

int cli_close_output(FILE *f, const char *path)
{
    if (f == stdout) return fflush(f) ? cli_error("write to standard output failed") : 0;
    if (ferror(f) | fclose(f)) return cli_error("'%s': write failed", path);
    return 0;
}

int cli_put_id(FILE *f, const grl_graph *G, int64_t i)
{
    char small[64];
    int len = grl_graph_node_id(G, i, small, sizeof small);
    if (len < 0) return -1;
    if ((size_t)len < sizeof small) return fputs(small, f) < 0 ? -1 : 0;
    char *big = malloc((size_t)len + 1); /* a long string id, written whole */
    if (big == NULL) return -1;
    grl_graph_node_id(G, i, big, (size_t)len + 1);
    int rc = fputs(big, f) < 0 ? -1 : 0;
    free(big);
    return rc;
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

/* The one progress line: "grl: <text> ..." replacing the previous one, or
 * erased when text is NULL; only on a terminal and without --quiet. */
static void progress_line(bool quiet, const char *text)
{
    if (quiet || !isatty(STDERR_FILENO)) return;
    fputs("\r\033[K", stderr); /* carriage return, erase the line */
    if (text) fprintf(stderr, "grl: %s ...", text);
    fflush(stderr);
    progress_shown = text != NULL;
}

void cli_progress(const cli_common *c, const char *fmt, ...)
{
    char text[256];
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
    }
    progress_line(c->quiet, fmt ? text : NULL);
}

void cli_count(int64_t done, int64_t total, void *counter)
{
    const cli_counter *k = counter;
    char text[256];
    snprintf(text, sizeof text, "%s %lld of %lld", k->what, (long long)done,
             (long long)total);
    progress_line(k->quiet, done < total ? text : NULL);
}

int cli_line_fields(char *line, char *tok[2])
{
    const char *p = line, *end = line + strcspn(line, "\n"), *field[3];
    size_t len[3];
    for (int c = 0; c < 3; c++) len[c] = grl_next_field(&p, end, true, &field[c]);
    for (int c = 0; c < 2; c++) {
        tok[c] = len[c] > 0 ? line + (field[c] - line) : NULL;
        if (tok[c]) tok[c][len[c]] = '\0';
    }
    if (tok[0] == NULL || tok[0][0] == '#' || tok[0][0] == '%') return 0;
    return len[2] > 0 ? 3 : tok[1] ? 2 : 1;
}

int cli_read_nodes(const char *path, const grl_graph *G, int64_t **u, int64_t **v,
                      int64_t *count)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return cli_error("'%s': %s", path, strerror(errno));
    char *line = NULL, msg[GRL_MSG_LEN];
    size_t cap = 0, room = 1024;
    int64_t n = 0, lineno = 0;
    int rc = 0, cols = v ? 2 : 1;
    *u = malloc(sizeof(int64_t) * room);
    if (v) *v = malloc(sizeof(int64_t) * room);
    if (*u == NULL || (v && *v == NULL)) rc = cli_error("out of memory");
    while (!rc && getline(&line, &cap, f) != -1) {
        lineno++;
        char *tok[2];
        const int fields = cli_line_fields(line, tok);
        if (fields == 0) continue;
        if (fields != cols) { /* a third column is not a label: refuse it */
            rc = cli_error("%s:%lld: expected %s per line, got %s", path,
                           (long long)lineno, cols == 2 ? "two node ids" : "one node id",
                           fields < cols ? "one" : "more fields");
            break;
        }
        if (n == (int64_t)room) {
            room *= 2;
            int64_t *nu = realloc(*u, sizeof(int64_t) * room);
            if (nu) *u = nu;
            int64_t *nv = v ? realloc(*v, sizeof(int64_t) * room) : NULL;
            if (v && nv) *v = nv;
            if (nu == NULL || (v && nv == NULL)) {
                rc = cli_error("out of memory reading %s", path);
                break;
            }
        }
        for (int c = 0; c < cols && !rc; c++)
            if (grl_graph_node_index(G, tok[c], c ? &(*v)[n] : &(*u)[n], msg) < 0)
                rc = cli_error("%s:%lld: %s", path, (long long)lineno, msg);
        n++;
    }
    if (!rc && ferror(f)) rc = cli_error("%s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    *count = n;
    if (rc) {
        free(*u);
        *u = NULL;
        if (v) {
            free(*v);
            *v = NULL;
        }
    }
    return rc;
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

void cli_walk_ids_free(cli_walk_ids *t)
{
    free(t->ids);
    free(t->buf);
    t->ids = NULL;
    t->buf = NULL;
}

int cli_write_walks(FILE *f, const int64_t *W, int64_t count, int64_t L,
                    const cli_walk_ids *t)
{
    for (int64_t w = 0; w < count; w++) {
        const int64_t *row = W + w * L;
        for (int64_t k = 0; k < L && row[k] >= 0; k++) {
            if (k) putc(' ', f);
            fputs(t->ids[row[k]], f);
        }
        putc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}
