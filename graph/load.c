/* load.c — grl_graph_load / grl_graph_save: pick the format, dispatch. */
#include "graph_internal.h"

#include <strings.h>

grl_format grl_format_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot == NULL || (slash && dot < slash)) return GRL_FORMAT_EDGELIST;
    static const struct { const char *ext; grl_format format; } table[] = {
        {".mtx", GRL_FORMAT_MATRIX_MARKET}, {".grl", GRL_FORMAT_GRL},
        {".graphml", GRL_FORMAT_GRAPHML},   {".gml", GRL_FORMAT_GML},
        {".net", GRL_FORMAT_PAJEK},         {".pajek", GRL_FORMAT_PAJEK},
        {".csv", GRL_FORMAT_CSV},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcasecmp(dot, table[i].ext) == 0) return table[i].format;
    return GRL_FORMAT_EDGELIST;
}

int grl_graph_load(grl_graph **G, const char *path,
                   const grl_load_options *opt, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL grl_graph_free(G)
    GRL_REQUIRE(G != NULL, "grl_graph_load: output pointer is NULL");
    *G = NULL;
    GRL_REQUIRE(path != NULL, "grl_graph_load: path is NULL");
    grl_load_options defaults;
    GRL_TRY(grl_load_options_resolve(&opt, &defaults, msg));
    GRL_TRY(grl_init(msg));
    grl_format format = opt->format != GRL_FORMAT_AUTO
                            ? opt->format
                            : grl_format_from_path(path);
    bool declares = opt->nodes_path != NULL || opt->num_nodes > 0;
    if (declares && format != GRL_FORMAT_EDGELIST && format != GRL_FORMAT_CSV)
        GRL_FAIL(GRL_UNSUPPORTED, "%s: %s files list their nodes "
                 "themselves, isolated ones included; a declared node set "
                 "(--nodes, --num-nodes) is for edge lists and CSV", path,
                 grl_format_name(format));
    switch (format) {
    case GRL_FORMAT_EDGELIST:
    case GRL_FORMAT_CSV:
    case GRL_FORMAT_MATRIX_MARKET:
        GRL_TRY(grl_load_text(G, path, format, opt, msg));
        break;
    case GRL_FORMAT_GRL:
        GRL_TRY(grl_load_binary(G, path, opt, msg));
        break;
    case GRL_FORMAT_GRAPHML:
    case GRL_FORMAT_GML:
    case GRL_FORMAT_PAJEK:
        GRL_TRY(grl_load_igraph_format(G, path, format, opt, msg));
        break;
    default:
        GRL_FAIL(GRL_INVALID_ARGUMENT, "unknown format code %d", (int)format);
    }
    return 0;
#undef FREE_ALL
}

int grl_graph_save(const grl_graph *G, const char *path, grl_format format,
                   char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(G != NULL && path != NULL, "grl_graph_save: NULL argument");
    if (format == GRL_FORMAT_AUTO) format = grl_format_from_path(path);
    switch (format) {
    case GRL_FORMAT_EDGELIST:
    case GRL_FORMAT_CSV:
    case GRL_FORMAT_MATRIX_MARKET:
        return grl_save_text(G, path, format, msg);
    case GRL_FORMAT_GRL:
        return grl_save_binary(G, path, msg);
    case GRL_FORMAT_GRAPHML:
    case GRL_FORMAT_GML:
    case GRL_FORMAT_PAJEK:
        return grl_save_igraph_format(G, path, format, msg);
    default:
        GRL_FAIL(GRL_INVALID_ARGUMENT, "unknown format code %d", (int)format);
    }
#undef FREE_ALL
}
