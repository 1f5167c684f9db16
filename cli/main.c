/* main.c — the grl command: dispatch to a subcommand. */
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} commands[] = {
    {"info", cmd_info, "summarise a graph: nodes, edges, degrees, components"},
    {"convert", cmd_convert, "convert between graph formats (.grl binary too)"},
    {"partition", cmd_partition, "split a graph into K parts with METIS"},
    {"fastrp", cmd_fastrp, "FastRP node embeddings (very sparse random projection)"},
    {"eval", cmd_eval, "evaluate embeddings: `grl eval nodeclf` node classification"},
    {"walk", cmd_walk, "random walks (uniform, weighted, node2vec, self-repellent)"},
    {"ppr", cmd_ppr, "personalized PageRank: exact, push, mc, powerwalk, fora, powerpush"},
    {"ppr-index", cmd_ppr_index, "build Monte Carlo fingerprints for PowerWalk"},
    {"linkpred", cmd_linkpred, "link prediction: score, topk, eval, tc, train"},
    {"dag", cmd_dag, "DAG structure learning: learn (TOPO, NOTEARS), simulate, eval"},
    {"gnn", cmd_gnn, "graph neural networks: `grl gnn adpa` directed patterns"},
    {"digraph", cmd_digraph, "directed graphs: `grl digraph profile` (AMUD-style)"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: grl <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`grl <command> --help` describes a command's options.\n");
}

int main(int argc, char **argv)
{
    opterr = 0; /* cli_bad_option reports getopt's errors on one line */
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("grl %s\n", grl_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].run(argc - 1, argv + 1);
            grl_finalize(NULL);
            return rc;
        }
    }
    cli_error("unknown command '%s' (try grl --help)", argv[1]);
    return 2;
}
