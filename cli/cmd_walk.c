/* cmd_walk.c — `grl walk FILE --output walks.txt`: a random-walk corpus, one
 * walk per line in the file's own ids (what word2vec reads). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define BLOCK_CELLS (65536 * 80) /* walk nodes buffered between writes */

static const char usage[] =
    "usage: grl walk FILE [options] [--output walks.txt]\n"
    "Random walks from every node, one walk per line in the file's node ids\n"
    "(a corpus for word2vec). Walk w starts at node w mod n and uses random\n"
    "stream (seed, w): the output is identical for any --threads.\n\n"
    "  --length L            nodes per walk, start included (default 80)\n"
    "  --walks-per-node R    walks from each node (default 10)\n"
    "  --p P --q Q           node2vec return and in-out parameters (default 1)\n"
    "  --restart X           probability of jumping back to the start before\n"
    "                        each step (default 0)\n"
    "  --srrw-alpha A        self-repellent walk, strength A >= 0 (Doshi et al.\n"
    "                        2023; undirected graphs)\n"
    "  --unweighted          ignore edge weights when stepping\n"
    "  --seed S              random seed (default 42)\n"
    "  --output OUT          output file (default: standard output)\n"
    "A walk that reaches a node without out-arcs ends there (its line is\n"
    "shorter), unless --restart is set, when it jumps back to its start.\n"
    "FILE may be a partition directory (`grl partition --output-dir`):\n"
    "`mpirun -np K grl walk DIR --output OUT` has rank r write OUT.0000r, a\n"
    "block of walks in walk order, so `cat OUT.*` is the corpus one process\n"
    "writes (first-order walks only: no --p, --q or --srrw-alpha).\n\n";

/* Returns 0 or an exit code. */
static int walk_ids_new(cli_walk_ids *t, const grl_graph *G)
{
    int64_t n = grl_graph_num_nodes(G);
    size_t total = 0;
    char id[1]; /* only the lengths: the ids are written below */
    for (int64_t i = 0; i < n; i++)
        total += (size_t)grl_graph_node_id(G, i, id, sizeof id) + 1;
    t->ids = cli_array(n, sizeof(char *), "the node ids");
    t->buf = t->ids ? cli_array((int64_t)total, 1, "the node ids") : NULL;
    if (t->ids == NULL || t->buf == NULL) {
        cli_walk_ids_free(t);
        return 1;
    }
    char *p = t->buf;
    for (int64_t i = 0; i < n; i++) {
        int len = grl_graph_node_id(G, i, p, total - (size_t)(p - t->buf));
        t->ids[i] = p;
        p += len + 1;
    }
    return 0;
}

int cmd_walk(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    grl_walk_options o;
    grl_walk_options_init(&o);
    enum { LENGTH = 1, PER_NODE, P, Q, RESTART, SRRW, UNWEIGHTED, SEED, OUTPUT };
    static const struct option own[] = {
        {"help", no_argument, 0, 'h'},
        {"length", required_argument, 0, LENGTH},
        {"walks-per-node", required_argument, 0, PER_NODE},
        {"p", required_argument, 0, P},
        {"q", required_argument, 0, Q},
        {"restart", required_argument, 0, RESTART},
        {"srrw-alpha", required_argument, 0, SRRW},
        {"unweighted", no_argument, 0, UNWEIGHTED},
        {"seed", required_argument, 0, SEED},
        {"output", required_argument, 0, OUTPUT},
        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *output = NULL;
    long long v;
    int code, bad = 0;
    while (!bad && (code = cli_getopt(argc, argv, ":h", options)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", usage, cli_common_help); return 0;
        case LENGTH: bad = cli_parse_int("--length", optarg, 1, LLONG_MAX, &v); o.length = v; break;
        case PER_NODE:
            bad = cli_parse_int("--walks-per-node", optarg, 1, LLONG_MAX, &v);
            o.walks_per_node = v;
            break;
        case P: bad = cli_parse_double("--p", optarg, CLI_POSITIVE, &o.p); break;
        case Q: bad = cli_parse_double("--q", optarg, CLI_POSITIVE, &o.q); break;
        case RESTART:
            bad = cli_parse_double("--restart", optarg, CLI_PROBABILITY, &o.restart);
            break;
        case SRRW:
            bad = cli_parse_double("--srrw-alpha", optarg, CLI_NONNEGATIVE, &o.srrw_alpha);
            break;
        case UNWEIGHTED: o.weighted = false; break;
        case SEED: bad = cli_parse_seed(optarg, &o.seed); break;
        case OUTPUT: output = optarg; break;
        default: {
            int handled = cli_common_parse(&common, code, optarg);
            if (handled == 0) return cli_bad_option(code, argv, "walk");
            bad = handled < 0;
        }
        }
    }
    if (bad) return 1;
    if (optind != argc - 1)
        return cli_error("grl walk takes one graph file (try --help)");
    if (cli_is_partition_dir(argv[optind])) {
        if (output == NULL)
            return cli_error("over a partition directory, grl walk needs "
                             "--output (each rank writes OUT.RANK)");
        return cli_dist_walk(argv[optind], &o, output, &common);
    }
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    char msg[GRL_MSG_LEN] = "";
    cli_walk_ids ids = {0};
    grl_walker *W = NULL;
    int64_t *buf = NULL;
    FILE *f = NULL;
    int64_t n = grl_graph_num_nodes(G), total, cells;
    if ((rc = cli_mul(n, o.walks_per_node, &total, "--walks-per-node x nodes")))
        goto done;
    if ((rc = walk_ids_new(&ids, G))) goto done;
    if (grl_walker_new(&W, G, &o, msg) < 0) { rc = cli_error("%s", msg); goto done; }
    /* blocks of about BLOCK_CELLS nodes, at least one walk */
    int64_t block = BLOCK_CELLS / o.length;
    if (block > total) block = total;
    if (block < 1) block = 1;
    if ((rc = cli_mul(block, o.length, &cells, "--length")) ||
        (buf = cli_array(cells, sizeof(int64_t), "--length: one block of walks")) == NULL) {
        rc = 1;
        goto done;
    }
    if ((f = cli_open_output(output)) == NULL) { rc = 1; goto done; }
    cli_counter counter = {common.quiet, "walks written:"};
    for (int64_t first = 0; first < total; first += block) {
        int64_t c = total - first < block ? total - first : block;
        if (grl_walker_run(W, NULL, 0, first, c, buf, msg) < 0) {
            rc = cli_error("%s", msg);
            break;
        }
        if (cli_write_walks(f, buf, c, o.length, &ids) < 0) break; /* reported below */
        cli_count(first + c, total, &counter);
    }
    int crc = cli_close_output(f, output);
    if (!rc) rc = crc;
done:
    free(buf);
    grl_walker_free(&W);
    cli_walk_ids_free(&ids);
    grl_graph_free(&G);
    return rc;
}
