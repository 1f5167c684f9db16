/* topk.c — the k best new links of each source node. Sources are processed
 * in blocks (lp_blocks) so the multi-hop product of a block, masked by the
 * complement of the block's adjacency rows (no existing links), stays within
 * opt->block_entries; each row then keeps its k best entries in a bounded
 * heap. PA needs no product: candidates are scanned in decreasing degree. */
#include "linkpred_internal.h"
#include "topk_heap.h"

/* Rows of a block's product: keep the k best entries v != u of each row. */
static void select_rows(const grl_csr *R, const lp_ctx *c, const int64_t *src,
                        int64_t k, int64_t *cand, double *score)
{
    grl_linkpred_method m = c->opt.method;
#pragma omp parallel for schedule(dynamic, 16)
    for (int64_t i = 0; i < R->n; i++) {
        int64_t u = src[i];
        grl_topk_heap h = {score + i * k, cand + i * k, 0, k};
        for (GrB_Index p = R->Ap[i]; p < R->Ap[i + 1]; p++) {
            int64_t v = (int64_t)R->Aj[p];
            if (v == u) continue;
            double raw = R->iso ? R->Ax[0] : R->Ax[p];
            grl_topk_push(&h, lp_finish(m, raw, c->ku[u], c->kv[v]), v);
        }
        grl_topk_finish(&h);
    }
}

typedef struct {
    double key;
    int64_t id;
} keyed;

static int by_key_desc(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* PA: k(u) k(v) is largest for the largest k(v); scan nodes by decreasing
 * k(v) (by index when k(u) = 0 makes every score 0), skipping u's links. */
static int topk_pa(const lp_ctx *c, const int64_t *nodes, int64_t nnodes,
                   int64_t k, int64_t *cand, double *score, char *msg)
{
    keyed *order = NULL;
    grl_csr adj = {0};
#define FREE_ALL grl_csr_return(&adj, NULL); free(order)
    int64_t n = c->n;
    GRL_ALLOC(order, keyed, n);
    for (int64_t i = 0; i < n; i++) order[i] = (keyed){c->kv[i], i};
    qsort(order, (size_t)n, sizeof(keyed), by_key_desc);
    /* borrows the graph's own matrix (c->A is G's, or its cached
     * transpose): G must not be in use elsewhere; FREE_ALL returns it */
    GRL_TRY(grl_csr_borrow(&adj, c->A, true, msg));
#pragma omp parallel for schedule(dynamic, 16)
    for (int64_t i = 0; i < nnodes; i++) {
        int64_t u = nodes ? nodes[i] : i, got = 0;
        for (int64_t t = 0; t < n && got < k; t++) {
            int64_t v = c->ku[u] != 0 ? order[t].id : t;
            bool linked;
            lp_csr_get(&adj, (GrB_Index)u, (GrB_Index)v, &linked);
            if (v == u || linked) continue;
            cand[i * k + got] = v;
            score[i * k + got] = lp_finish(GRL_LINKPRED_PA, 0, c->ku[u], c->kv[v]);
            got++;
        }
    }
    GRL_TRY(grl_csr_return(&adj, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

static int topk(grl_graph *G, const int64_t *nodes, int64_t nnodes, int64_t k,
                const grl_linkpred_options *opt, int64_t *cand, double *score,
                char *msg)
{
    lp_ctx c;
    GrB_Index *src = NULL;
    int64_t *start = NULL;
    GrB_Matrix Ab = NULL, R = NULL;
    grl_csr csr = {0};
    memset(&c, 0, sizeof c);
#define FREE_ALL grl_csr_return(&csr, NULL); GrB_Matrix_free(&Ab);             \
    GrB_Matrix_free(&R); free(src); free(start); lp_ctx_free(&c)
    GRL_REQUIRE(G != NULL && cand != NULL && score != NULL,
                "grl_linkpred_topk: NULL argument");
    GRL_REQUIRE(k >= 1, "top-k needs k >= 1, got %" PRId64, k);
    int64_t n = grl_graph_num_nodes(G);
    if (nodes == NULL) nnodes = n;
    GRL_REQUIRE(nnodes >= 0, "grl_linkpred_topk: negative node count");
    for (int64_t i = 0; nodes && i < nnodes; i++)
        GRL_REQUIRE(nodes[i] >= 0 && nodes[i] < n, "source %" PRId64 " is node %"
                    PRId64 ", outside 0..%" PRId64, i, nodes[i], n - 1);
    int64_t cells;
    GRL_MUL_I64(cells, nnodes, k, "the top-k output (sources x k)");
    for (int64_t i = 0; i < cells; i++) {
        cand[i] = -1;
        score[i] = 0;
    }
    GRL_TRY(lp_ctx_init(&c, G, opt, false, true, msg));
    if (c.opt.method == GRL_LINKPRED_PA) {
        GRL_TRY(topk_pa(&c, nodes, nnodes, k, cand, score, msg));
        FREE_ALL;
        return 0;
    }
    GRL_ALLOC(src, GrB_Index, nnodes);
    for (int64_t i = 0; i < nnodes; i++) src[i] = (GrB_Index)(nodes ? nodes[i] : i);
    int64_t nb;
    GRL_TRY(lp_blocks(&c, src, nnodes, false, &start, &nb, msg));
    for (int64_t b = 0; b < nb; b++) {
        const GrB_Index *rows = src + start[b];
        GrB_Index nr = (GrB_Index)(start[b + 1] - start[b]);
        /* the block's existing links: the complement is the mask */
        GRB_TRY(GrB_Matrix_new(&Ab, GrB_BOOL, nr, n));
        GRB_TRY(GrB_Matrix_extract(Ab, NULL, NULL, c.A, rows, nr, GrB_ALL, n,
                                   NULL));
        GRL_TRY(lp_product(&R, &c, rows, nr, Ab, true, false, msg));
        GrB_Matrix_free(&Ab);
        GRB_TRY(GxB_Matrix_Option_set(R, GxB_SPARSITY_CONTROL, GxB_SPARSE));
        /* borrows a matrix of this call's own, not the graph's */
        GRL_TRY(grl_csr_borrow(&csr, R, true, msg));
        select_rows(&csr, &c, (const int64_t *)rows, k, cand + start[b] * k,
                    score + start[b] * k);
        GRL_TRY(grl_csr_return(&csr, msg));
        GrB_Matrix_free(&R);
        if (c.opt.progress) c.opt.progress(start[b + 1], nnodes, c.opt.progress_ctx);
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_linkpred_topk(grl_graph *G, const int64_t *nodes, int64_t nnodes,
                      int64_t k, const grl_linkpred_options *opt,
                      int64_t *cand, double *score, char *msg)
{
    grl_msg_clear(msg);
    int rc = topk(G, nodes, nnodes, k, opt, cand, score, msg);
    if (rc < 0) return rc;
    int64_t n = nodes ? nnodes : grl_graph_num_nodes(G); /* topk checked n * k */
    return lp_check_scores(opt, score, n * k, msg);
}
