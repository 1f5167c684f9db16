/* TEMPORARY stubs so the library links while the binary/text writers and the summary are written. */
#include "graph_internal.h"
int grl_load_binary(grl_graph **G, const char *path, const grl_load_options *opt, char *msg) { return GRL_UNSUPPORTED; }
int grl_save_binary(const grl_graph *G, const char *path, char *msg) { return GRL_UNSUPPORTED; }
int grl_save_text(const grl_graph *G, const char *path, grl_format format, char *msg) { return GRL_UNSUPPORTED; }
int grl_graph_summary(grl_graph *G, grl_graph_info *info, char *msg) { return GRL_UNSUPPORTED; }
