/* reorder.c — renumber a graph's nodes so that each part of a partition is
 * contiguous (part 0 first), keeping the order of nodes inside a part.
 *
 * Memory: the new graph (matrix and id map) plus one n-vector of indices
 * and k counters.
 */
#include "partition_internal.h"

int grl_graph_reorder(grl_graph **R, grl_graph *G, const int64_t *part,
                      int64_t k, int64_t *offsets, char *msg)
{
    grl_msg_clear(msg);
    GrB_Index *perm = NULL;
    int64_t *next = NULL;
#define FREE_ALL free(perm); free(next); grl_graph_free(R)
    GRL_REQUIRE(R != NULL, "grl_graph_reorder: output pointer is NULL");
    *R = NULL;
    GRL_REQUIRE(G != NULL && offsets != NULL, "grl_graph_reorder: NULL graph "
                "or offsets");
    GRL_TRY(grl_partition_check("grl_graph_reorder", G, part, k, msg));
    int64_t n = G->ids.n;

    /* offsets[p] = number of nodes in parts before p */
    GRL_ALLOC(next, int64_t, k);
    memset(offsets, 0, (size_t)(k + 1) * sizeof(int64_t));
    for (int64_t i = 0; i < n; i++) offsets[part[i] + 1]++;
    for (int64_t p = 0; p < k; p++) offsets[p + 1] += offsets[p];
    memcpy(next, offsets, (size_t)k * sizeof(int64_t));
    /* perm[new] = old, ascending old index inside each part */
    GRL_ALLOC(perm, GrB_Index, n);
    for (int64_t i = 0; i < n; i++) perm[next[part[i]]++] = (GrB_Index)i;

    GRL_TRY(grl_graph_alloc(R, msg));
    grl_graph *r = *R;
    r->directed = G->directed;
    r->weighted = G->weighted;
    r->self_loops_dropped = G->self_loops_dropped;
    r->duplicates_dropped = G->duplicates_dropped;
    /* R(a, b) = A(perm[a], perm[b]): arc u -> v becomes new(u) -> new(v) */
    GRB_TRY(GrB_Matrix_new(&r->A, GrB_FP64, n, n));
    GRB_TRY(GrB_extract(r->A, NULL, NULL, G->A, perm, n, perm, n, NULL));

    /* the ids follow their nodes (no longer in ascending order) */
    if (G->ids.kind == GRL_IDS_STRING) {
        GRL_TRY(grl_idmap_copy(&r->ids, &G->ids, msg));
        for (int64_t a = 0; a < n; a++)
            r->ids.names[a] = r->ids.blob +
                              (G->ids.names[perm[a]] - G->ids.blob);
    } else {
        r->ids.kind = G->ids.kind;
        r->ids.n = n;
        GRL_ALLOC(r->ids.ints, int64_t, n);
        const int64_t *ints = G->ids.ints;
        for (int64_t a = 0; a < n; a++)
            r->ids.ints[a] = ints ? ints[perm[a]] : (int64_t)perm[a];
    }
    GRL_TRY(grl_idmap_index_by_id(&r->ids, msg));
    free(perm);
    free(next);
    return 0;
#undef FREE_ALL
}
