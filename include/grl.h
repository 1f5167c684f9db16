/*
 * grl.h — umbrella header of grl, graph learning on SuiteSparse:GraphBLAS.
 * Link with -lgrl (pkg-config grl). The igraph bridge is separate:
 * #include <grl/igraph_bridge.h>.
 */
#ifndef GRL_H
#define GRL_H

#include "grl/core.h"
#include "grl/graph.h"
#include "grl/optim.h"
#include "grl/dag.h"
#include "grl/embed.h"
#include "grl/linkpred.h"
#include "grl/walks.h"
#include "grl/gnn.h"
#include "grl/ncn.h"

#endif
