/* csr.c — walks read the graph's own CSR arrays, borrowed with sorted rows
 * (so node2vec can binary-search a row). Weighted walks add one array of
 * per-row cumulative weights (8 bytes per arc) so a weighted step is a binary
 * search, O(log deg). */
#include "walks_internal.h"

int grl_walk_csr_borrow(grl_walk_csr *c, grl_graph *G, bool weighted, char *msg)
{
#define FREE_ALL grl_walk_csr_return(c, NULL)
    memset(c, 0, sizeof(*c));
    /* borrows G's own matrix until grl_walk_csr_return: G must not be in
     * use elsewhere meanwhile */
    GRL_TRY(grl_csr_borrow(&c->a, grl_graph_matrix(G), true, msg));
    if (weighted && grl_graph_is_weighted(G) && !c->a.iso) {
        GRL_ALLOC(c->cum, double, c->a.Ap[c->a.n]);
        grl_walk_cumulative(c->cum, &c->a);
    }
    return 0;
#undef FREE_ALL
}

void grl_walk_cumulative(double *cum, const grl_csr *a)
{
    const GrB_Index *Ap = a->Ap;
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t v = 0; v < a->n; v++) {
        double s = 0;
        for (GrB_Index p = Ap[v]; p < Ap[v + 1]; p++) {
            s += a->Ax[p];
            cum[p] = s;
        }
    }
}

int grl_walk_csr_return(grl_walk_csr *c, char *msg)
{
    free(c->cum);
    free(c->rows);
    free(c->row_start);
    c->cum = NULL;
    c->rows = NULL;
    c->row_start = NULL;
    return grl_csr_return(&c->a, msg);
}
