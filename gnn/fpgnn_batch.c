/* fpgnn_batch.c — a graph task's batch: the graphs of one training step (or
 * one evaluation) gathered out of the whole set's grl_fpgnn_graph, so a step
 * solves the fixed point of its own graphs only. The graphs share no arc,
 * so the fixed point of the union is the fixed points of the parts: the
 * batch's values are the whole set's (to the solver's tolerance), at a
 * fraction of the work (MUTAG, 32 graphs a step: 1/6 of the nodes per
 * step; PROTEINS 1/35).
 *
 * Everything per node and per arc is copied in the batch's order (arcs keep
 * their order within a node, so sources stay ascending); Â's weights, the
 * arc inputs and 1 / outdeg are per arc or node of one graph and so are the
 * same in the batch; λ_pf(Â) of the whole set bounds every part's and is
 * kept. Dropout keys stay global (node ids in `all`, graph ids in
 * `row_keys`), so a node or graph gets the same mask whatever batch it is
 * in. */
#include "fpgnn_internal.h"

int grl_fpgnn_graph_gather(grl_fpgnn_graph *b, const grl_fpgnn_graph *g,
                           const int64_t *graphs, int64_t count, char *msg)
{
    int64_t *buf = NULL;
#define FREE_ALL free(buf); grl_fpgnn_graph_release(b)
    grl_fpgnn_graph_release(b);
    const grl_fp_arcs *A = &g->A;
    int64_t n = 0, arcs = 0, nnz = 0;
    for (int64_t t = 0; t < count; t++) {
        const int64_t lo = g->graph_ptr[graphs[t]], hi = g->graph_ptr[graphs[t] + 1];
        n += hi - lo;
        arcs += A->ptr[hi] - A->ptr[lo];
        nnz += g->xptr[hi] - g->xptr[lo];
    }
    b->n = n;
    b->f = g->f;
    b->ngraphs = count;
    b->arc_dim = g->arc_dim;
    b->lambda = g->lambda;
    GRL_ALLOC(b->graph_ptr_own, int64_t, count + 1);
    GRL_ALLOC(b->row_keys_own, int64_t, count);
    GRL_ALLOC(buf, int64_t, n + 1 + arcs);
    GRL_ALLOC(b->all, int64_t, n);
    GRL_ALLOC(b->xptr, int64_t, n + 1);
    GRL_ALLOC(b->xcol, int64_t, nnz);
    GRL_ALLOC(b->xval, float, nnz);
    GRL_ALLOC(b->arc_x_own, float, grl_size_mul((size_t)arcs, (size_t)g->arc_dim));
    if (g->w) GRL_ALLOC(b->w, float, arcs);
    if (g->inv_outdeg) GRL_ALLOC(b->inv_outdeg, float, n);
    int64_t *ptr = buf, *src = buf + n + 1, i = 0, p = 0, q = 0;
    const size_t ad = (size_t)g->arc_dim;
    ptr[0] = 0;
    b->xptr[0] = 0;
    b->graph_ptr_own[0] = 0;
    for (int64_t t = 0; t < count; t++) {
        const int64_t lo = g->graph_ptr[graphs[t]], hi = g->graph_ptr[graphs[t] + 1];
        const int64_t shift = i - lo; /* the graph's node ids in the batch */
        const int64_t a0 = A->ptr[lo], a1 = A->ptr[hi];
        for (int64_t a = a0; a < a1; a++) src[p + a - a0] = A->src[a] + shift;
        /* no memcpy from NULL: arc_x is NULL without arc features (IGNN,
         * APPNP), and a graph may have no arcs or no feature entries */
        if (ad > 0 && a1 > a0)
            memcpy(b->arc_x_own + (size_t)p * ad, g->arc_x + (size_t)a0 * ad,
                   sizeof(float) * ad * (size_t)(a1 - a0));
        if (g->w && a1 > a0) memcpy(b->w + p, g->w + a0, sizeof(float) * (size_t)(a1 - a0));
        const int64_t x0 = g->xptr[lo], x1 = g->xptr[hi];
        if (x1 > x0) {
            memcpy(b->xcol + q, g->xcol + x0, sizeof(int64_t) * (size_t)(x1 - x0));
            memcpy(b->xval + q, g->xval + x0, sizeof(float) * (size_t)(x1 - x0));
        }
        for (int64_t v = lo; v < hi; v++, i++) {
            ptr[i + 1] = ptr[i] + A->ptr[v + 1] - A->ptr[v];
            b->xptr[i + 1] = b->xptr[i] + g->xptr[v + 1] - g->xptr[v];
            b->all[i] = g->all[v];
            if (g->inv_outdeg) b->inv_outdeg[i] = g->inv_outdeg[v];
        }
        p += a1 - a0;
        q += x1 - x0;
        b->graph_ptr_own[t + 1] = i;
        b->row_keys_own[t] = g->row_keys[graphs[t]];
    }
    b->graph_ptr = b->graph_ptr_own;
    b->row_keys = b->row_keys_own;
    b->arc_x = b->arc_x_own;
    int64_t *adopted = buf;
    buf = NULL;
    GRL_TRY(grl_fp_arcs_adopt(&b->A, n, arcs, adopted, adopted, adopted + n + 1, msg));
    if (g->wt) {
        GRL_ALLOC(b->wt, float, arcs);
        grl_fp_transpose_weights(b->wt, &b->A, b->w, 1);
    }
    return 0;
#undef FREE_ALL
}
