/* load_and_partition.c — load a graph, summarise it, split it with METIS.
 * usage: example_load_and_partition FILE [PARTS]   (FILE read as directed) */
#include <stdio.h>
#include <stdlib.h>

#include <grl.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [PARTS]\n", argv[0]);
        return 2;
    }
    int64_t k = argc > 2 ? atoll(argv[2]) : 4;
    char msg[GRL_MSG_LEN];
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.directed = 1;
    grl_graph *G = NULL;
    if (grl_graph_load(&G, argv[1], &opt, msg) < 0) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    grl_graph_info info;
    if (grl_graph_summary(G, &info, msg) < 0) {
        fprintf(stderr, "%s\n", msg);
        grl_graph_free(&G);
        return 1;
    }
    printf("%lld nodes, %lld arcs, %lld weakly connected components\n",
           (long long)info.nodes, (long long)info.arcs,
           (long long)info.components);
    int64_t *part = malloc((info.nodes ? info.nodes : 1) * sizeof *part);
    grl_partition_info p;
    int rc = part ? grl_partition_compute(G, k, NULL, part, &p, msg) : GRL_OUT_OF_MEMORY;
    if (rc < 0) {
        fprintf(stderr, "%s\n", part ? msg : "out of memory");
    } else {
        printf("%lld parts: edge cut %lld, balance %.3f, %lld boundary nodes\n",
               (long long)k, (long long)p.edge_cut, p.balance,
               (long long)p.boundary_nodes);
    }
    free(part);
    grl_graph_free(&G);
    grl_finalize(NULL);
    return rc < 0;
}
