/* TEMPORARY stubs so the library links while graph/igraph_*.c are written. */
#include "graph_internal.h"
#include "grl/igraph_bridge.h"
int grl_load_igraph_format(grl_graph **G, const char *path, grl_format format, const grl_load_options *opt, char *msg) { return GRL_UNSUPPORTED; }
int grl_save_igraph_format(const grl_graph *G, const char *path, grl_format format, char *msg) { return GRL_UNSUPPORTED; }
int grl_graph_components(grl_graph *G, int64_t *comp, int64_t *ncomp, char *msg) { return GRL_UNSUPPORTED; }
int grl_generate_erdos_renyi(grl_graph **G, int64_t n, int64_t m, bool directed, uint64_t seed, char *msg) { return GRL_UNSUPPORTED; }
int grl_generate_barabasi_albert(grl_graph **G, int64_t n, int64_t m_per_node, uint64_t seed, char *msg) { return GRL_UNSUPPORTED; }
int grl_generate_sbm(grl_graph **G, int64_t nblocks, const int64_t *block_sizes, const double *pref, bool directed, uint64_t seed, char *msg) { return GRL_UNSUPPORTED; }
int grl_graph_to_igraph(const grl_graph *G, igraph_t *ig, igraph_vector_t *weights, char *msg) { return GRL_UNSUPPORTED; }
int grl_graph_from_igraph(grl_graph **G, const igraph_t *ig, const igraph_vector_t *weights, const grl_load_options *opt, char *msg) { return GRL_UNSUPPORTED; }
