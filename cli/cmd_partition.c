/* cmd_partition.c — `grl partition FILE --parts K`: METIS k-way parts. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: grl partition FILE --parts K [--seed S] [--imbalance X]\n"
    "                     [--output parts.txt] [--output-dir DIR]\n"
    "Split the nodes into K balanced parts with few edges between them (METIS\n"
    "k-way on the symmetrised graph without self-loops). Writes `id part`\n"
    "lines (to stdout without --output) and reports the edge cut, the largest\n"
    "part relative to the mean, and the boundary (halo) nodes.\n\n"
    "  --parts K      number of parts, 1..nodes (required)\n"
    "  --seed S       METIS seed (default 1); same seed, same parts\n"
    "  --imbalance X  allowed excess of the largest part over nodes/K, in\n"
    "                 0.001..10 (default 0.03, METIS's)\n"
    "  --output F     where to write the `id part` lines\n"
    "  --output-dir D write the partitioned graph into directory D instead:\n"
    "                 one file per part (its nodes, their arcs, its halo) and\n"
    "                 a manifest, for `mpirun -np K grl COMMAND D ...`\n\n";

int cmd_partition(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    static const struct option own[] = {{"help", no_argument, 0, 'h'},
                                        {"parts", required_argument, 0, 'k'},
                                        {"seed", required_argument, 0, 's'},
                                        {"imbalance", required_argument, 0, 'b'},
                                        {"output", required_argument, 0, 'o'},
                                        {"output-dir", required_argument, 0, 'd'},
                                        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *output = NULL, *dir = NULL;
    long long k = 0;
    grl_partition_options opt;
    grl_partition_options_init(&opt);
    int code;
    while ((code = cli_getopt(argc, argv, ":hk:s:b:o:d:", options)) != -1) {
        switch (code) {
        case 'h': printf("%s%s", usage, cli_common_help); return 0;
        case 'k': if (cli_parse_int("--parts", optarg, 1, LLONG_MAX, &k)) return 1; break;
        case 's': if (cli_parse_seed(optarg, &opt.seed)) return 1; break;
        case 'b':
            if (cli_parse_double("--imbalance", optarg,
                                 (cli_range){0.001, 10, false, false},
                                 &opt.imbalance))
                return 1;
            break;
        case 'o': output = optarg; break;
        case 'd': dir = optarg; break;
        default: {
            int handled = cli_common_parse(&common, code, optarg);
            if (handled < 0) return 1;
            if (handled == 0) return cli_bad_option(code, argv, "partition");
        }
        }
    }
    if (optind != argc - 1)
        return cli_error("grl partition takes one graph file (try --help)");
    if (k == 0) return cli_error("grl partition needs --parts K");
    if (output && dir)
        return cli_error("--output and --output-dir exclude each other");
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    int64_t n = grl_graph_num_nodes(G);
    int64_t *part = cli_array(n, sizeof(int64_t), "the parts");
    char msg[GRL_MSG_LEN] = "";
    grl_partition_info info;
    FILE *out = NULL;
    if (part == NULL) rc = 1;
    else if (grl_partition_compute(G, k, &opt, part, &info, msg) < 0)
        rc = cli_error("%s", msg);
    else if (dir && grl_partition_save(G, part, k, dir, msg) < 0)
        rc = cli_error("%s", msg);
    else if (!dir && (out = cli_open_output(output)) == NULL)
        rc = 1;
    if (!rc && !dir) {
        for (int64_t i = 0; i < n; i++) {
            cli_put_id(out, G, i);
            fprintf(out, " %lld\n", (long long)part[i]);
        }
        rc = cli_close_output(out, output);
    }
    if (!rc) {
        FILE *report = output || dir ? stdout : stderr;
        fprintf(report, "parts               %lld\n", k);
        fprintf(report, "edge cut            %lld (node pairs linked across "
                "parts)\n", (long long)info.edge_cut);
        fprintf(report, "balance             %.3f (largest part / mean)\n",
                info.balance);
        fprintf(report, "halo nodes          %lld (with a neighbour in another "
                "part)\n", (long long)info.boundary_nodes);
    }
    free(part);
    grl_graph_free(&G);
    return rc;
}
