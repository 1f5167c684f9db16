/* TEMPORARY stubs so the library links while graph/partition*.c are written. */
#include "graph_internal.h"
int grl_partition(grl_graph *G, int64_t k, uint64_t seed, int64_t *part, grl_partition_info *info, char *msg) { return GRL_UNSUPPORTED; }
int grl_partition_evaluate(grl_graph *G, const int64_t *part, int64_t k, grl_partition_info *info, char *msg) { return GRL_UNSUPPORTED; }
int grl_graph_reorder(grl_graph **R, grl_graph *G, const int64_t *part, int64_t k, int64_t *offsets, char *msg) { return GRL_UNSUPPORTED; }
int grl_partition_halos(grl_graph *G, const int64_t *part, int64_t k, int64_t **offsets, int64_t **nodes, char *msg) { return GRL_UNSUPPORTED; }
