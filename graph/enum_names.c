/* enum_names.c — the names of the graph module's enums (formats, id kinds,
 * self-loop and duplicate policies), as the CLI and Python spell them. */
#include "graph_internal.h"

static const grl_enum_name format_names[] = {
    {"auto", GRL_FORMAT_AUTO},       {"edgelist", GRL_FORMAT_EDGELIST},
    {"csv", GRL_FORMAT_CSV},         {"mtx", GRL_FORMAT_MATRIX_MARKET},
    {"grl", GRL_FORMAT_GRL},         {"graphml", GRL_FORMAT_GRAPHML},
    {"gml", GRL_FORMAT_GML},         {"pajek", GRL_FORMAT_PAJEK},
    {"snap", GRL_FORMAT_EDGELIST},
};
GRL_ENUM_FUNCTIONS(grl_format, format_names, "graph format")

static const grl_enum_name id_kind_names[] = {
    {"integer", GRL_IDS_INTEGER},
    {"string", GRL_IDS_STRING},
};
GRL_ENUM_FUNCTIONS(grl_id_kind, id_kind_names, "id kind")

static const grl_enum_name self_loop_names[] = {
    {"keep", GRL_SELF_LOOPS_KEEP},
    {"drop", GRL_SELF_LOOPS_DROP},
};
GRL_ENUM_FUNCTIONS(grl_self_loop_policy, self_loop_names, "self-loop policy")

static const grl_enum_name duplicate_names[] = {
    {"merge", GRL_DUPLICATES_MERGE},
    {"sum", GRL_DUPLICATES_SUM},
};
GRL_ENUM_FUNCTIONS(grl_duplicate_policy, duplicate_names, "duplicate policy")
