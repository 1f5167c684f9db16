/* fpgnn_graph.c — what a fixed-point GNN runs on: the arcs (Â =
 * D^-1/2 (A + I) D^-1/2 of the symmetrised pattern for APPNP and IGNN, the
 * graph's own incoming arcs with 1 / outdeg for CGS), λ_pf(Â), and the
 * features as CSR with the sparse input layer (Planetoid features are 1%
 * dense: a dense first layer would cost 80x the multiply-adds). */
#include "fpgnn_internal.h"

#include <math.h>

void grl_fpgnn_graph_release(grl_fpgnn_graph *g)
{
    grl_fp_arcs_release(&g->A);
    free(g->w);
    free(g->graph_ptr_own);
    free(g->arc_x_own);
    free(g->row_keys_own);
    free(g->wt);
    free(g->inv_outdeg);
    free(g->xptr);
    free(g->xcol);
    free(g->xval);
    free(g->all);
    memset(g, 0, sizeof(*g));
}

/* Â's weights 1 / sqrt(d_i d_j) over the pattern (self-loops included). */
static void normalise(grl_fpgnn_graph *g, double *deg)
{
    const grl_fp_arcs *A = &g->A;
    for (int64_t i = 0; i < A->n; i++)
        deg[i] = (double)(A->ptr[i + 1] - A->ptr[i]);
    for (int64_t i = 0; i < A->n; i++)
        for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
            g->w[p] = (float)(1.0 / sqrt(deg[i] * deg[A->src[p]]));
}

/* The n x f features x (row-major; NULL: one constant column) as CSR. */
static int features_csr(grl_fpgnn_graph *g, const float *x, int64_t n, int64_t f,
                        char *msg)
{
#define FREE_ALL ;
    int64_t bad = x ? grl_first_nonfinite(x, n * f) : -1;
    GRL_REQUIRE(bad < 0, "feature row %" PRId64 " has a NaN or infinity", bad / f);
    size_t nnz = 0;
    for (int64_t e = 0; e < n * f; e++) nnz += x == NULL || x[e] != 0.0f;
    GRL_ALLOC(g->xptr, int64_t, grl_size_add((size_t)n, 1));
    GRL_ALLOC(g->xcol, int64_t, nnz);
    GRL_ALLOC(g->xval, float, nnz);
    int64_t q = 0;
    g->xptr[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        for (int64_t c = 0; c < f; c++) {
            float v = x ? x[i * f + c] : 1.0f;
            if (v != 0.0f) {
                g->xcol[q] = c;
                g->xval[q++] = v;
            }
        }
        g->xptr[i + 1] = q;
    }
    return 0;
#undef FREE_ALL
}

static int finish(grl_fpgnn_graph *g, grl_fpgnn_kind kind, const float *x,
                  char *msg);

int grl_fpgnn_graph_build(grl_fpgnn_graph *g, grl_fpgnn_kind kind,
                          grl_graph *G, const grl_dense *X, char *msg)
{
#define FREE_ALL grl_fpgnn_graph_release(g)
    memset(g, 0, sizeof(*g));
    const int64_t n = grl_graph_num_nodes(G);
    GRL_REQUIRE(X->rows == n, "the features have %" PRId64 " rows but the graph "
                "has %" PRId64 " nodes", X->rows, n);
    GRL_REQUIRE(X->cols >= 1, "the features have no column");
    g->n = n;
    g->f = X->cols;
    const bool cgs = kind == GRL_FPGNN_CGS;
    GRL_TRY(grl_fp_arcs_from_graph(&g->A, &g->w, G, !cgs, !cgs, msg));
    g->arc_dim = 1; /* CGS's arc input: the edge weight */
    g->arc_x = g->w;
    GRL_TRY(finish(g, kind, X->data, msg));
    return 0;
#undef FREE_ALL
}

/* CGS's 1 / outdeg or Â's weights and λ_pf, the features, the row list. */
static int finish(grl_fpgnn_graph *g, grl_fpgnn_kind kind, const float *x,
                  char *msg)
{
    double *deg = NULL;
#define FREE_ALL free(deg)
    const int64_t n = g->n;
    if (kind == GRL_FPGNN_CGS) {
        GRL_ALLOC(g->inv_outdeg, float, n);
        for (int64_t j = 0; j < n; j++) {
            int64_t out = g->A.out_ptr[j + 1] - g->A.out_ptr[j];
            g->inv_outdeg[j] = out > 0 ? 1.0f / (float)out : 0.0f;
        }
    } else {
        GRL_ALLOC(deg, double, n);
        normalise(g, deg);
        GRL_ALLOC(g->wt, float, g->A.arcs);
        grl_fp_transpose_weights(g->wt, &g->A, g->w, 1);
        GRL_TRY(grl_fp_perron_bound(&g->lambda, &g->A, g->w, msg));
    }
    GRL_TRY(features_csr(g, x, n, g->f, msg));
    const int64_t keys = n > g->ngraphs ? n : g->ngraphs; /* empty graphs */
    GRL_ALLOC(g->all, int64_t, keys);
    for (int64_t i = 0; i < keys; i++) g->all[i] = i;
    g->row_keys = g->all;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The set's arcs with a self-loop i -> i added where a row has none
 * (sources stay ascending), weights 1 (normalised later). */
static int with_self_loops(grl_fpgnn_graph *g, const grl_graph_set *D, char *msg)
{
    int64_t *buf = NULL;
#define FREE_ALL free(buf)
    const int64_t n = D->nodes;
    size_t arcs = (size_t)D->arcs;
    for (int64_t i = 0; i < n; i++) {
        bool loop = false;
        for (int64_t p = D->in_ptr[i]; p < D->in_ptr[i + 1]; p++)
            loop |= D->arc_source[p] == i;
        arcs += !loop;
    }
    GRL_ALLOC(buf, int64_t, grl_size_add(grl_size_add((size_t)n, 1), arcs));
    GRL_ALLOC(g->w, float, arcs);
    int64_t *ptr = buf, *src = buf + n + 1, q = 0;
    ptr[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        bool need = true;
        for (int64_t p = D->in_ptr[i]; p < D->in_ptr[i + 1]; p++) need &= D->arc_source[p] != i;
        for (int64_t p = D->in_ptr[i]; p < D->in_ptr[i + 1]; p++) {
            if (need && D->arc_source[p] > i) {
                src[q++] = i;
                need = false;
            }
            src[q++] = D->arc_source[p];
        }
        if (need) src[q++] = i;
        ptr[i + 1] = q;
    }
    int64_t *adopted = buf;
    buf = NULL;
    GRL_TRY(grl_fp_arcs_adopt(&g->A, n, q, adopted, adopted, adopted + n + 1, msg));
    return 0;
#undef FREE_ALL
}

int grl_fpgnn_graph_from_set(grl_fpgnn_graph *g, grl_fpgnn_kind kind,
                             const grl_graph_set *D, char *msg)
{
#define FREE_ALL grl_fpgnn_graph_release(g)
    memset(g, 0, sizeof(*g));
    GRL_TRY(grl_graph_set_check(D, msg));
    GRL_REQUIRE(D->ngraphs >= 1, "the graph set is empty");
    g->n = D->nodes;
    g->f = D->node_dim > 0 ? D->node_dim : 1;
    g->ngraphs = D->ngraphs;
    g->graph_ptr = D->graph_ptr;
    if (kind == GRL_FPGNN_CGS) {
        GRL_TRY(grl_fp_arcs_init(&g->A, D->nodes, D->arcs, D->in_ptr, D->arc_source,
                                 msg));
        g->arc_dim = D->arc_dim > 0 ? D->arc_dim : 1;
        g->arc_x = D->arc_x;
        if (D->arc_dim == 0) {
            GRL_ALLOC(g->arc_x_own, float, D->arcs);
            for (int64_t p = 0; p < D->arcs; p++) g->arc_x_own[p] = 1.0f;
            g->arc_x = g->arc_x_own;
        }
    } else {
        GRL_TRY(with_self_loops(g, D, msg));
    }
    GRL_TRY(finish(g, kind, D->node_dim > 0 ? D->node_x : NULL, msg));
    return 0;
#undef FREE_ALL
}

void grl_fpgnn_input_forward(float *Y, const grl_fpgnn_graph *g,
                             const float *val, const float *W, const float *b,
                             int64_t out)
{
#pragma omp parallel for schedule(dynamic, 256) if (g->xptr[g->n] * out > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < g->n; i++) {
        float *restrict y = Y + i * out;
        for (int64_t c = 0; c < out; c++) y[c] = b ? b[c] : 0.0f;
        for (int64_t q = g->xptr[i]; q < g->xptr[i + 1]; q++) {
            const float v = val[q], *restrict w = W + g->xcol[q] * out;
#pragma omp simd
            for (int64_t c = 0; c < out; c++) y[c] += v * w[c];
        }
    }
}

void grl_fpgnn_input_backward(float *dW, float *db, const grl_fpgnn_graph *g,
                              const float *val, const float *dY, int64_t out)
{
    for (int64_t i = 0; i < g->n; i++) {
        const float *restrict dy = dY + i * out;
        for (int64_t q = g->xptr[i]; q < g->xptr[i + 1]; q++) {
            const float v = val[q];
            float *restrict w = dW + g->xcol[q] * out;
#pragma omp simd
            for (int64_t c = 0; c < out; c++) w[c] += v * dy[c];
        }
    }
    if (db) grl_nn_colsum(db, dY, g->n, out);
}

void grl_fpgnn_input_dropout(float *val, const grl_fpgnn_graph *g, double p,
                             uint64_t seed, uint64_t epoch)
{
    const uint64_t key = grl_mix64(seed ^ grl_mix64(epoch + GRL_GOLDEN) ^
                                   0x5851f42d4c957f2dull);
    const float scale = (float)(1.0 / (1.0 - p));
#pragma omp parallel for schedule(static) if (g->xptr[g->n] > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < g->n; i++) {
        grl_rng rng;
        grl_rng_init(&rng, key, (uint64_t)g->all[i]);
        for (int64_t q = g->xptr[i]; q < g->xptr[i + 1]; q++)
            val[q] = grl_rng_uniform(&rng) < p ? 0.0f : g->xval[q] * scale;
    }
}
