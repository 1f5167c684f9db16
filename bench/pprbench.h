/* pprbench.h — what the PPR benchmarks share: exact reference rows, the
 * accuracy of a top-k result against them, and timed single-source queries. */
#ifndef GRL_PPRBENCH_H
#define GRL_PPRBENCH_H

#include <stdlib.h>
#include <string.h>

#include "grl.h"
#include "benchutil.h"
#include "grl/walks.h"

/* Exact PPR rows (dense k x n, row s = source src[s]) by power iteration to
 * the default tolerance 1e-10; the caller frees. */
static inline double *exact_rows(grl_graph *G, const int64_t *src, int64_t k)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t n = grl_graph_num_nodes(G);
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    double *X = calloc((size_t)k * n, sizeof(double));
    GrB_Matrix P = NULL;
    check(grl_ppr_compute(&P, G, src, k, &o, msg), "exact", msg);
    GrB_Index nv;
    check(GrB_Matrix_nvals(&nv, P), "nvals", "GraphBLAS");
    GrB_Index *I = malloc(sizeof(GrB_Index) * nv), *J = malloc(sizeof(GrB_Index) * nv);
    double *V = malloc(sizeof(double) * nv);
    if (X == NULL || I == NULL || J == NULL || V == NULL)
        check(-1, "exact rows", "out of memory");
    check(GrB_Matrix_extractTuples_FP64(I, J, V, &nv, P), "extractTuples", "GraphBLAS");
    for (GrB_Index t = 0; t < nv; t++) X[I[t] * n + J[t]] = V[t];
    free(I);
    free(J);
    free(V);
    GrB_Matrix_free(&P);
    return X;
}

/* Mean RAG@200 (score mass of the returned top-200 over the true top-200's)
 * and precision@100 (tie-aware: a returned node counts if its exact score
 * reaches the 100th largest) of the first k rows of R against exact rows. */
static inline void ppr_accuracy(const grl_ppr_result *R, const double *exact,
                                int64_t n, int64_t k, double *rag, double *prec)
{
    double *row = malloc(sizeof(double) * n);
    *rag = *prec = 0;
    for (int64_t s = 0; s < k; s++) {
        const double *t = exact + s * n;
        memcpy(row, t, sizeof(double) * n);
        qsort(row, n, sizeof(double), cmp_double); /* ascending */
        double true_sum = 0, got_sum = 0;
        for (int64_t j = 0; j < 200 && j < n; j++) true_sum += row[n - 1 - j];
        for (int64_t j = 0; j < R->count[s] && j < 200; j++)
            got_sum += t[R->node[s * R->top + j]];
        int64_t support = 0, hit = 0;
        for (int64_t j = 0; j < 100 && j < n; j++) support += row[n - 1 - j] > 0;
        double kth = row[n - support] * (1 - 1e-9);
        for (int64_t j = 0; j < R->count[s] && j < support; j++)
            hit += t[R->node[s * R->top + j]] >= kth;
        *rag += got_sum / true_sum / k;
        *prec += (double)hit / support / k;
    }
    free(row);
}

/* Time `q` single-source top-`top` queries (sources src[0..q-1]) on the
 * current threads: median and p99 seconds. With exact rows X (q x n), also
 * the mean precision@100 of the answers. */
static inline void ppr_latency(grl_graph *G, const grl_ppr_options *o,
                               const int64_t *src, int q, int64_t top,
                               const double *X, double *median, double *p99,
                               double *prec)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t n = grl_graph_num_nodes(G);
    double *lat = malloc(sizeof(double) * q), rag, p;
    *prec = 0;
    for (int i = 0; i < q; i++) {
        grl_ppr_result *R = NULL;
        double t0 = now();
        check(grl_ppr_top(&R, G, src + i, 1, top, o, msg), "ppr", msg);
        lat[i] = now() - t0;
        if (X != NULL) {
            ppr_accuracy(R, X + i * n, n, 1, &rag, &p);
            *prec += p / q;
        }
        grl_ppr_result_free(&R);
    }
    quantiles(lat, q, median, p99);
    free(lat);
}

#endif
