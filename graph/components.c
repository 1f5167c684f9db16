/* components.c — weakly connected components through igraph, numbered by
 * their smallest node. Peak memory: the graph, its igraph copy (about 40
 * bytes per edge) and two n-vectors. */
#include "igraph_internal.h"

int grl_graph_components(grl_graph *G, int64_t *comp, int64_t *ncomp,
                         char *msg)
{
    igraph_t ig;
    bool have_ig = false, have_membership = false;
    igraph_vector_int_t membership;
    int64_t *relabel = NULL;
#define FREE_ALL if (have_ig) igraph_destroy(&ig); \
    if (have_membership) igraph_vector_int_destroy(&membership); \
    free(relabel)
    GRL_REQUIRE(G != NULL && comp != NULL && ncomp != NULL,
                "grl_graph_components: NULL argument");
    int64_t n = G->ids.n;
    GRL_TRY(grl_graph_to_igraph(G, &ig, NULL, msg));
    have_ig = true;
    GRL_IGRAPH_TRY(igraph_vector_int_init(&membership, 0));
    have_membership = true;
    igraph_integer_t no = 0;
    GRL_IGRAPH_TRY(igraph_connected_components(&ig, &membership, NULL, &no,
                                               IGRAPH_WEAK));
    igraph_destroy(&ig);
    have_ig = false;
    /* label components in order of their smallest node: scanning nodes in
     * ascending order meets each component first at its smallest node */
    GRL_ALLOC(relabel, int64_t, no);
    for (int64_t c = 0; c < (int64_t)no; c++) relabel[c] = -1;
    int64_t next = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t c = (int64_t)VECTOR(membership)[i];
        if (relabel[c] < 0) relabel[c] = next++;
        comp[i] = relabel[c];
    }
    *ncomp = next;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
