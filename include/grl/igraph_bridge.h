/*
 * grl/igraph_bridge.h — conversion between grl graphs and igraph_t.
 * Include this header (it needs igraph's headers) only if you use igraph.
 * grl installs its own igraph error handler, so an igraph error becomes a
 * grl status (GRL_IGRAPH_ERROR) with igraph's message, never an abort.
 * igraph is not thread-safe in Debian's build: call these outside parallel
 * regions.
 */
#ifndef GRL_IGRAPH_BRIDGE_H
#define GRL_IGRAPH_BRIDGE_H

#include <igraph.h>
#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Make *ig (uninitialised on entry, to be destroyed by the caller with
 * igraph_destroy) a copy of G: vertex i is node i; an undirected edge appears
 * once. If weights is not NULL it must be an initialised vector; it receives
 * one weight per igraph edge. */
int grl_graph_to_igraph(const grl_graph *G, igraph_t *ig,
                        igraph_vector_t *weights, char *msg);

/* Make *G a graph on igraph's vertices 0..n-1 from ig (weights may be NULL:
 * unweighted). Multi-edges follow opt's duplicate policy (opt may be NULL). */
int grl_graph_from_igraph(grl_graph **G, const igraph_t *ig,
                          const igraph_vector_t *weights,
                          const grl_load_options *opt, char *msg);

#ifdef __cplusplus
}
#endif
#endif
