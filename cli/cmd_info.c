/* cmd_info.c — `grl info FILE`: a graph's summary. */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: grl info FILE [options]\n"
    "Print nodes, edges (arcs and undirected edges), self-loops, duplicate\n"
    "edges dropped, direction, weights, degree statistics and the number of\n"
    "weakly connected components.\n\n";

int cmd_info(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    static const struct option own[] = {{"help", no_argument, 0, 'h'},
                                        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    int code;
    while ((code = cli_getopt(argc, argv, ":h", options)) != -1) {
        if (code == 'h') {
            printf("%s%s", usage, cli_common_help);
            return 0;
        }
        int handled = cli_common_parse(&common, code, optarg);
        if (handled < 0) return 1;
        if (handled == 0) return cli_bad_option(code, argv, "info");
    }
    if (optind != argc - 1)
        return cli_error("grl info takes one graph file (try --help)");
    const char *path = argv[optind];
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, path, &common);
    if (rc) return rc;
    grl_graph_info s;
    char msg[GRL_MSG_LEN] = "";
    if (grl_graph_summary(G, &s, msg) < 0) {
        grl_graph_free(&G);
        return cli_error("%s", msg);
    }
    printf("file                %s\n", path);
    printf("directed            %s\n", s.directed ? "yes" : "no");
    printf("weighted            %s\n", s.weighted ? "yes" : "no");
    printf("nodes               %lld\n", (long long)s.nodes);
    if (s.directed)
        printf("arcs                %lld\n", (long long)s.arcs);
    else
        printf("edges               %lld undirected (%lld arcs stored)\n",
               (long long)s.edges, (long long)s.arcs);
    printf("self-loops          %lld\n", (long long)s.self_loops);
    printf("self-loops dropped  %lld\n", (long long)s.self_loops_dropped);
    printf("duplicates dropped  %lld\n", (long long)s.duplicates_dropped);
    if (s.directed) {
        printf("out-degree          min %.0f  mean %.3f  max %.0f\n",
               s.out_min, s.out_mean, s.out_max);
        printf("in-degree           min %.0f  mean %.3f  max %.0f\n",
               s.in_min, s.in_mean, s.in_max);
    } else {
        printf("degree              min %.0f  mean %.3f  max %.0f\n",
               s.out_min, s.out_mean, s.out_max);
    }
    printf("components          %lld %s\n", (long long)s.components,
           s.directed ? "weakly connected" : "connected");
    grl_graph_free(&G);
    return 0;
}
