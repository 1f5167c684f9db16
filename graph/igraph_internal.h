/*
 * igraph_internal.h — how grl calls igraph, private to graph/. Every igraph
 * call in grl goes through these helpers: grl_igraph_setup() installs grl's
 * error handler (records igraph's message, frees igraph's temporaries with
 * IGRAPH_FINALLY_FREE, never aborts) and a silent warning handler, and
 * grl_igraph_status() turns an igraph_error_t into GRL_IGRAPH_ERROR with the
 * recorded message. igraph is not thread-safe in Debian's build: call these
 * outside parallel regions.
 */
#ifndef GRL_IGRAPH_INTERNAL_H
#define GRL_IGRAPH_INTERNAL_H

#include <igraph.h>

#include "graph_internal.h"
#include "grl/igraph_bridge.h"

/* Install grl's igraph error and warning handlers (they stay installed
 * afterwards; installing again is two pointer stores, so a handler the
 * application set in between cannot make grl abort) and forget any igraph
 * message recorded earlier. Call it before a sequence of igraph calls. */
void grl_igraph_setup(void);

/* 0 if err is IGRAPH_SUCCESS; otherwise GRL_IGRAPH_ERROR with msg
 * "igraph: <igraph's message>", prefixed by "<context>: " when context is
 * not NULL (a file name, say). The recorded message is then forgotten. */
int grl_igraph_status(igraph_error_t err, const char *context, char *msg);

/* Propagate an igraph error as GRL_IGRAPH_ERROR, releasing FREE_ALL. */
#define GRL_IGRAPH_TRY(call)                                                   \
    do {                                                                       \
        igraph_error_t grl_igraph_err_ = (call);                               \
        if (grl_igraph_err_ != IGRAPH_SUCCESS) {                               \
            int grl_igraph_status_ =                                           \
                grl_igraph_status(grl_igraph_err_, NULL, msg);                 \
            FREE_ALL;                                                          \
            return grl_igraph_status_;                                         \
        }                                                                      \
    } while (0)

/* The arcs of ig for a grl graph that is `directed`: one arc per igraph edge,
 * except that an undirected igraph edge becomes two arcs (one for a
 * self-loop) when `directed` is true. With weights (one per igraph edge, may
 * be NULL) each arc gets its edge's weight, checked as the loaders check
 * them (finite and > 0 unless opt->allow_nonpositive_weights; a bad weight is
 * GRL_PARSE_ERROR when from_file, else GRL_INVALID_ARGUMENT); `where` names
 * the source in messages. *src, *dst and *w (NULL without weights) are
 * allocated here and released with free; *m receives the arc count. */
int grl_igraph_arcs(const igraph_t *ig, bool directed,
                    const igraph_vector_t *weights,
                    const grl_load_options *opt, const char *where,
                    bool from_file, GrB_Index **src, GrB_Index **dst,
                    double **w, int64_t *m, char *msg);

#endif
