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

/* Copy G into a new igraph graph: vertex i is node i; an undirected edge
 * appears once (a self-loop once); ids are not copied.
 *   G        the graph, read only; not NULL
 *   ig       out: uninitialised on entry; on success an igraph_t the caller
 *            owns (igraph_destroy); on error nothing to destroy; not NULL
 *   weights  an initialised vector, resized to one weight per igraph edge
 *            (1 on an unweighted graph), in edge order; the caller keeps
 *            owning it. NULL if not wanted
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G or ig), GRL_IGRAPH_ERROR (igraph
 * failed, e.g. out of memory; msg holds igraph's message),
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_to_igraph(const grl_graph *G, igraph_t *ig,
                        igraph_vector_t *weights, char *msg);

/* Make a graph on igraph's vertices 0..n-1 (ids 0..n-1) from an igraph
 * graph. Multi-edges follow opt's duplicate policy, self-loops its
 * self-loop policy.
 *   G        out: the new graph (release with grl_graph_free); NULL on
 *            error; not NULL itself
 *   ig       the igraph graph, read only; not NULL
 *   weights  one weight per igraph edge, in edge order, each finite and
 *            > 0 (or any finite value with opt->allow_nonpositive_weights);
 *            read only; NULL (or opt->ignore_weights): unweighted
 *   opt      directed (-1: as ig is; 1 reads an undirected ig as both arcs
 *            of each edge; 0 makes a directed ig undirected), self_loops,
 *            duplicates, ignore_weights, allow_nonpositive_weights; the
 *            other fields are not used. NULL for the defaults
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL G or ig, opt->directed not -1, 0 or
 * 1, weights of another length than the edge count, a NaN, infinite or
 * (without allow_nonpositive_weights) non-positive weight),
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_graph_from_igraph(grl_graph **G, const igraph_t *ig,
                          const igraph_vector_t *weights,
                          const grl_load_options *opt, char *msg);

#ifdef __cplusplus
}
#endif
#endif
