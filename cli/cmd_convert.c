/* cmd_convert.c — `grl convert FILE --output OUT`: change a graph's format. */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: grl convert FILE --output OUT [options]\n"
    "Convert between edge list (.txt, SNAP), CSV (.csv), Matrix Market\n"
    "(.mtx), GraphML (.graphml), GML (.gml), Pajek (.net) and grl's binary\n"
    "format (.grl), which reloads many times faster than text. Formats follow\n"
    "the extensions; --format sets the input's, --to the output's.\n\n"
    "  --output OUT   file to write (required)\n"
    "  --to F         output format, as --format\n\n";

int cmd_convert(int argc, char **argv)
{
    cli_common common;
    cli_common_init(&common);
    enum { OPT_TO = 1 };
    static const struct option own[] = {{"help", no_argument, 0, 'h'},
                                        {"output", required_argument, 0, 'o'},
                                        {"to", required_argument, 0, OPT_TO},
                                        {0, 0, 0, 0}};
    const struct option *options = cli_options(own);
    const char *output = NULL, *to = NULL;
    int code;
    while ((code = cli_getopt(argc, argv, ":ho:", options)) != -1) {
        if (code == 'h') {
            printf("%s%s", usage, cli_common_help);
            return 0;
        }
        if (code == 'o') { output = optarg; continue; }
        if (code == OPT_TO) { to = optarg; continue; }
        int handled = cli_common_parse(&common, code, optarg);
        if (handled < 0) return 1;
        if (handled == 0) return cli_bad_option(code, argv, "convert");
    }
    if (optind != argc - 1)
        return cli_error("grl convert takes one input file (try --help)");
    if (output == NULL) return cli_error("grl convert needs --output OUT");
    grl_format format = GRL_FORMAT_AUTO;
    char msg[GRL_MSG_LEN] = "";
    if (to && cli_enum("--to", grl_format_parse(to, &format, msg), msg)) return 1;
    int rc = cli_common_apply(&common);
    grl_graph *G = NULL;
    if (!rc) rc = cli_load_graph(&G, argv[optind], &common);
    if (rc) return rc;
    if (grl_graph_save(G, output, format, msg) < 0) rc = cli_error("%s", msg);
    grl_graph_free(&G);
    return rc;
}
