/* sources.c — run a per-source PPR kernel (push, FORA, Monte Carlo) for a
 * batch of sources in parallel, each source by one thread with its own
 * workspace, on the graph's borrowed CSR arrays, and gather the rows into
 * one k x n matrix. A row depends only on its source: the same bits for any
 * thread count. */
#include "walks_internal.h"

int grl_ppr_rows_by_source(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                           int64_t k, grl_source_kernel kernel, const void *arg,
                           const char *what, char *msg)
{
    int64_t **idx = NULL, *cnt = NULL;
    double **val = NULL;
    grl_walk_csr csr = {0};
#define FREE_ALL grl_walk_csr_return(&csr, NULL);                               \
    if (idx) for (int64_t s_ = 0; s_ < k; s_++) free(idx[s_]);                 \
    if (val) for (int64_t s_ = 0; s_ < k; s_++) free(val[s_]);                 \
    free(idx); free(val); free(cnt)
    const int64_t n = grl_graph_num_nodes(G);
    const bool weighted = grl_graph_is_weighted(G);
    const double *wdeg, *count; /* before borrowing: degrees need the matrix */
    GRL_TRY(grl_graph_degree(G, GRL_OUT, weighted, &wdeg, msg));
    GRL_TRY(grl_graph_degree(G, GRL_OUT, false, &count, msg));
    GRL_CALLOC(idx, int64_t *, k);
    GRL_CALLOC(val, double *, k);
    GRL_CALLOC(cnt, int64_t, k);
    GRL_TRY(grl_walk_csr_borrow(&csr, G, weighted, msg));
    /* steps use weights only when they differ (csr.cum set); with one
     * weight for all arcs P(i,j) = 1/outdeg(i): divide by the arc count */
    if (csr.cum == NULL) wdeg = count;
    int failed = 0;
    /* one source: one thread (a second would only build its workspace) */
#pragma omp parallel if (k > 1)
    {
        grl_push_ws ws;
        if (grl_push_ws_init(&ws, n, NULL) < 0) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (int64_t s = 0; s < k; s++) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop) continue;
            kernel(&csr, wdeg, sources[s], arg, &ws);
            if (grl_acc_extract(&ws.p, &idx[s], &val[s], &cnt[s], NULL) < 0) {
#pragma omp atomic write
                failed = 1;
            }
        }
        grl_push_ws_free(&ws);
    }
    if (failed)
        GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory in %s (%" PRId64 " nodes, "
                 "3 work vectors per thread)", what, n);
    GRL_TRY(grl_walk_csr_return(&csr, msg));
    GRL_TRY(grl_rows_to_matrix(Q, k, n, idx, val, cnt, msg));
    free(idx);
    free(val);
    free(cnt);
    return 0;
#undef FREE_ALL
}
