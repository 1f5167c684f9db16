/* ppr_model.c — the one PPR model every method shares: the killed
 * transition matrix P = D^-1 A, the dangling nodes, and the exact step that
 * turns a killed vector q_u into p_u under the dangling policy (derivation
 * in include/grl/walks.h). */
#include "walks_internal.h"

int grl_small_work_desc(GrB_Descriptor *d, GrB_Index work, char *msg)
{
#define FREE_ALL GrB_Descriptor_free(d)
    *d = NULL;
    if (work >= GRL_PARALLEL_WORK) return 0;
    GRB_TRY(GrB_Descriptor_new(d));
    GRB_TRY(GxB_Desc_set_INT32(*d, GxB_NTHREADS, 1));
    return 0;
#undef FREE_ALL
}

int grl_transition(GrB_Matrix *P, grl_graph *G, double scale, bool transpose,
                   char *msg)
{
    GrB_Vector d = NULL;
    GrB_Matrix D = NULL, M = NULL;
    GrB_Descriptor small = NULL;
    double *inv = NULL;
    GrB_Index *idx = NULL;
#define FREE_ALL GrB_Vector_free(&d); GrB_Matrix_free(&D); GrB_Matrix_free(&M); \
    GrB_Descriptor_free(&small); free(inv); free(idx)
    *P = NULL;
    int64_t n = grl_graph_num_nodes(G);
    bool weighted = grl_graph_is_weighted(G);
    const double *deg;
    GRL_TRY(grl_graph_degree(G, GRL_OUT, weighted, &deg, msg));
    GRL_ALLOC(inv, double, n);
    GRL_ALLOC(idx, GrB_Index, n);
    for (int64_t i = 0; i < n; i++) {
        idx[i] = (GrB_Index)i;
        inv[i] = deg[i] > 0 ? scale / deg[i] : 0;
    }
    GRB_TRY(GrB_Vector_new(&d, GrB_FP64, n));
    GRB_TRY(GrB_Vector_build_FP64(d, idx, inv, n, GrB_PLUS_FP64));
    GRB_TRY(GrB_Matrix_diag(&D, d, 0));
    GrB_Index arcs;
    GRB_TRY(GrB_Matrix_nvals(&arcs, grl_graph_matrix(G)));
    GRL_TRY(grl_small_work_desc(&small, arcs + (GrB_Index)n, msg));
    GRB_TRY(GrB_Matrix_new(&M, GrB_FP64, n, n));
    /* unweighted: P(i,j) = 1/outdeg(i) whatever value A stores */
    GRB_TRY(GrB_mxm(M, NULL, NULL, weighted ? GrB_PLUS_TIMES_SEMIRING_FP64
                                            : GxB_PLUS_FIRST_FP64,
                    D, grl_graph_matrix(G), small));
    if (transpose) {
        GrB_Matrix T = NULL;
        GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, n, n));
        GrB_Info info = GrB_transpose(T, NULL, NULL, M, small);
        GrB_Matrix_free(&M);
        M = T;
        GRB_CHECK(info, "GrB_transpose (transition)");
    }
    GRB_TRY(GrB_Matrix_wait(M, GrB_MATERIALIZE));
    *P = M;
    M = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_ppr_ctx_init(grl_ppr_ctx *ctx, grl_graph *G, const grl_ppr_options *o,
                     char *msg)
{
    GrB_Matrix Qg = NULL;
    grl_warning warning = {0};
#define FREE_ALL grl_ppr_ctx_free(ctx); GrB_Matrix_free(&Qg)
    memset(ctx, 0, sizeof(*ctx));
    int64_t n = grl_graph_num_nodes(G);
    ctx->n = n;
    ctx->alpha = o->alpha;
    ctx->policy = o->dangling;
    const double *deg;
    GRL_TRY(grl_graph_degree(G, GRL_OUT, false, &deg, msg));
    GRL_CALLOC(ctx->dangling, uint8_t, n);
    for (int64_t i = 0; i < n; i++)
        if (deg[i] == 0) {
            ctx->dangling[i] = 1;
            ctx->ndangling++;
        }
    if (o->dangling == GRL_DANGLING_UNIFORM && ctx->ndangling > 0) {
        /* g: global PageRank, uniform teleport and dangling jumps, from its
         * killed form h = (alpha/n) 1^T (I - (1-alpha)P)^-1 as g = h/|h|_1 */
        GRL_TRY_KEEP(warning, grl_ppr_power(&Qg, G, NULL, 1, o->alpha, o->tol,
                                            o->max_iter, msg));
        GRL_CALLOC(ctx->g, double, n);
        GrB_Index *I = NULL, nv = n;
        double *X = NULL;
        I = grl_malloc(sizeof(GrB_Index) * (n ? n : 1));
        X = grl_malloc(sizeof(double) * (n ? n : 1));
        if (I == NULL || X == NULL) {
            free(I);
            free(X);
            GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory extracting the global "
                     "PageRank vector (%" PRId64 " nodes)", n);
        }
        GrB_Info info = GrB_Matrix_extractTuples_FP64(NULL, I, X, &nv, Qg);
        double total = 0;
        for (GrB_Index t = 0; info == GrB_SUCCESS && t < nv; t++) {
            ctx->g[I[t]] = X[t];
            total += X[t];
        }
        free(I);
        free(X);
        GRB_CHECK(info, "GrB_Matrix_extractTuples (global PageRank)");
        for (int64_t i = 0; i < n; i++) ctx->g[i] /= total;
        GrB_Matrix_free(&Qg);
    }
    return grl_warning_return(&warning, msg);
#undef FREE_ALL
}

void grl_ppr_ctx_free(grl_ppr_ctx *ctx)
{
    free(ctx->dangling);
    free(ctx->g);
    memset(ctx, 0, sizeof(*ctx));
}

int grl_ppr_finish(GrB_Matrix *P, const grl_ppr_ctx *ctx, char *msg)
{
    GrB_Index *Ap = NULL, *Aj = NULL, Ap_size, Aj_size, Ax_size, k;
    void *Ax = NULL;
    double *full = NULL;
    GrB_Matrix F = NULL;
    bool iso = false;
#define FREE_ALL free(Ap); free(Aj); free(Ax); free(full); GrB_Matrix_free(&F)
    if (ctx->ndangling == 0) return 0; /* q_u = p_u */
    const double ratio = (1 - ctx->alpha) / ctx->alpha;
    const int64_t n = ctx->n;
    GRB_TRY(GrB_Matrix_nrows(&k, *P));
    GRB_TRY(GxB_Matrix_unpack_CSR(*P, &Ap, &Aj, &Ax, &Ap_size, &Aj_size,
                                  &Ax_size, &iso, NULL, NULL));
    if (iso) { /* rare (all equal values): expand to one value per entry */
        double v = ((double *)Ax)[0], *X = grl_malloc(sizeof(double) * (Ap[k] ? Ap[k] : 1));
        if (X == NULL) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory expanding a PPR block");
        for (GrB_Index t = 0; t < Ap[k]; t++) X[t] = v;
        free(Ax);
        Ax = X;
        Ax_size = sizeof(double) * (Ap[k] ? Ap[k] : 1);
        iso = false;
    }
    double *x = Ax;
    if (ctx->policy == GRL_DANGLING_UNIFORM) {
        GRL_ALLOC(full, double, grl_size_mul(k, n));
    }
#pragma omp parallel for schedule(dynamic, 1) if (k > 1)
    for (int64_t s = 0; s < (int64_t)k; s++) {
        double qd = 0, sum = 0;
        for (GrB_Index t = Ap[s]; t < Ap[s + 1]; t++) {
            sum += x[t];
            if (ctx->dangling[Aj[t]]) qd += x[t];
        }
        if (ctx->policy == GRL_DANGLING_SOURCE) {
            /* p_u = q_u / |q_u|_1 with |q_u|_1 = 1 - ratio q_u(D); an estimate
             * too noisy for the identity falls back to its own L1 norm */
            double norm = 1 - ratio * qd;
            if (!(norm > 1e-12)) norm = sum;
            double scale = norm > 0 ? 1 / norm : 0;
            for (GrB_Index t = Ap[s]; t < Ap[s + 1]; t++) x[t] *= scale;
        } else {
            double c = ratio * qd, *row = full + (size_t)s * n;
            for (int64_t i = 0; i < n; i++) row[i] = c * ctx->g[i];
            for (GrB_Index t = Ap[s]; t < Ap[s + 1]; t++) row[Aj[t]] += x[t];
        }
    }
    if (ctx->policy == GRL_DANGLING_SOURCE) {
        GRB_TRY(GxB_Matrix_pack_CSR(*P, &Ap, &Aj, &Ax, Ap_size, Aj_size, Ax_size,
                                    iso, false, NULL));
    } else {
        GRB_TRY(GrB_Matrix_new(&F, GrB_FP64, k, n));
        void *vf = full;
        GRB_TRY(GxB_Matrix_pack_FullR(F, &vf, sizeof(double) * (k * n > 0 ? k * n : 1),
                                      false, NULL));
        full = vf;
        GrB_Matrix_free(P);
        *P = F;
        F = NULL;
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
