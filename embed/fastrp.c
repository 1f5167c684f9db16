/* fastrp.c — FastRP node embeddings (Chen et al., CIKM 2019; the formula is
 * in include/grl/embed.h). At most three n x d float buffers: X (current
 * power), P (next power) and the result; two with the default weights
 * (powers()). */
#include "embed_internal.h"

#include <math.h>
#include <omp.h>

/* decorrelates the feature projection's streams from the node projection's */
#define FEATURE_SEED_SALT 0x5851f42d4c957f2dull

static const grl_enum_name propagation_names[] = {
    {"out", GRL_PROPAGATE_OUT},
    {"in", GRL_PROPAGATE_IN},
    {"both", GRL_PROPAGATE_BOTH},
};
GRL_ENUM_FUNCTIONS(grl_propagation, propagation_names, "propagation direction")

void grl_fastrp_options_init(grl_fastrp_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->dim = 128;
    opt->iterations = 3;
    opt->weights[0] = 0.0;
    opt->weights[1] = 1.0;
    opt->weights[2] = 1.0;
    opt->normalize = true;
    opt->standardize = true;
    opt->direction = GRL_PROPAGATE_OUT;
    opt->seed = 42;
}

void grl_fastrp_accumulate(float *result, const float *Y, int64_t n, int64_t d,
                           double alpha, bool normalize)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        grl_fastrp_accumulate_row(result + i * d, Y + i * d, d, alpha, normalize);
}

void grl_fastrp_start_result(float *result, const float *Y, int64_t n, int64_t d,
                             double alpha, bool normalize)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        const float *y = Y + i * d;
        float *r = result + i * d;
        double scale = grl_fastrp_row_scale(y, d, alpha, normalize);
        for (int64_t c = 0; c < d; c++) r[c] = 0.0f + (float)(scale * y[c]);
    }
}

void grl_standardize_partials(double *part, const float *E, int64_t rows,
                              int64_t d, const double *mean)
{
    int64_t blocks = (rows + GRL_STANDARDIZE_BLOCK - 1) / GRL_STANDARDIZE_BLOCK;
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < blocks; b++) {
        double *acc = part + b * d;
        for (int64_t c = 0; c < d; c++) acc[c] = 0;
        int64_t end = (b + 1) * GRL_STANDARDIZE_BLOCK < rows
                          ? (b + 1) * GRL_STANDARDIZE_BLOCK : rows;
        for (int64_t i = b * GRL_STANDARDIZE_BLOCK; i < end; i++)
            for (int64_t c = 0; c < d; c++) {
                double x = E[i * d + c] - (mean ? mean[c] : 0.0);
                acc[c] += mean ? x * x : x;
            }
    }
}

void grl_standardize_stats(double *stat, const double *part, int64_t blocks,
                           int64_t d, int64_t n, bool deviation)
{
    for (int64_t c = 0; c < d; c++) {
        double total = 0;
        for (int64_t b = 0; b < blocks; b++) total += part[b * d + c];
        if (!deviation) {
            stat[c] = total / (double)n;
        } else {
            double sd = sqrt(total / (double)n);
            stat[c] = sd > 0 ? 1.0 / sd : 0.0;
        }
    }
}

void grl_standardize_apply(float *E, int64_t rows, int64_t d,
                           const double *mean, const double *inv_std)
{
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < rows; i++)
        for (int64_t c = 0; c < d; c++)
            E[i * d + c] = (float)((E[i * d + c] - mean[c]) * inv_std[c]);
}

/* Standardise every column to mean 0, variance 1 (population variance, as
 * scikit-learn's StandardScaler); constant columns become 0. Partial sums
 * over fixed row blocks, combined in block order: the same bits for any
 * thread count. */
static int standardize_columns(float *E, int64_t n, int64_t d, char *msg)
{
    double *part = NULL, *mean = NULL, *inv_std = NULL;
#define FREE_ALL free(part); free(mean); free(inv_std)
    int64_t blocks = (n + GRL_STANDARDIZE_BLOCK - 1) / GRL_STANDARDIZE_BLOCK;
    GRL_CALLOC(part, double, grl_size_mul(blocks, d));
    GRL_CALLOC(mean, double, d);
    GRL_CALLOC(inv_std, double, d);
    grl_standardize_partials(part, E, n, d, NULL);
    grl_standardize_stats(mean, part, blocks, d, n, false);
    grl_standardize_partials(part, E, n, d, mean);
    grl_standardize_stats(inv_std, part, blocks, d, n, true);
    grl_standardize_apply(E, n, d, mean, inv_std);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Columns [d_r, d) of X = F P, P an f x (d - d_r) very sparse random matrix
 * keyed by feature index. */
static int project_features(float *X, int64_t n, int64_t d, int64_t d_r,
                            GrB_Matrix F, double s, uint64_t seed, char *msg)
{
    GrB_Index *rows = NULL, *cols = NULL, nvals, f;
    double *vals = NULL;
    float *P = NULL;
#define FREE_ALL free(rows); free(cols); free(vals); free(P)
    int64_t d_p = d - d_r;
    GRB_TRY(GrB_Matrix_ncols(&f, F));
    GRB_TRY(GrB_Matrix_nvals(&nvals, F));
    GRL_CALLOC(P, float, grl_size_mul(f, d_p));
    grl_sparse_projection(P, (int64_t)f, d_p, 0, d_p, s,
                          seed ^ FEATURE_SEED_SALT, NULL);
    GRL_ALLOC(rows, GrB_Index, nvals);
    GRL_ALLOC(cols, GrB_Index, nvals);
    GRL_ALLOC(vals, double, nvals);
    GRB_TRY(GrB_Matrix_extractTuples_FP64(rows, cols, vals, &nvals, F));
    for (GrB_Index k = 0; k < nvals; k++) {
        float *x = X + rows[k] * d + d_r;
        const float *p = P + cols[k] * d_p;
        for (int64_t c = 0; c < d_p; c++) x[c] += (float)vals[k] * p[c];
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_fastrp_check_options(const grl_fastrp_options *o, int64_t n, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->dim >= 1, "FastRP dimension must be at least 1, got %" PRId64,
                o->dim);
    GRL_REQUIRE_MUL_I64(n, o->dim, "the embedding (nodes x dimension)");
    GRL_REQUIRE(o->iterations >= 1 && o->iterations <= GRL_FASTRP_MAX_ITERATIONS,
                "FastRP needs 1 to %d iteration weights, got %d",
                GRL_FASTRP_MAX_ITERATIONS, o->iterations);
    for (int i = 0; i < o->iterations; i++)
        GRL_REQUIRE(isfinite(o->weights[i]), "iteration weight %d is not finite",
                    i + 1);
    GRL_REQUIRE(isfinite(o->beta), "normalization strength beta is not finite");
    GRL_REQUIRE(isfinite(o->self_influence), "self influence is not finite");
    GRL_REQUIRE(o->sparsity == 0 || (o->sparsity >= 1 && isfinite(o->sparsity)),
                "sparsity s must be >= 1 (or 0 for sqrt(n)), got %g",
                o->sparsity);
    GRL_REQUIRE(o->property_ratio >= 0 && o->property_ratio <= 1,
                "property ratio must be in [0, 1], got %g", o->property_ratio);
    GRL_REQUIRE(o->direction >= GRL_PROPAGATE_OUT &&
                o->direction <= GRL_PROPAGATE_BOTH, "unknown direction %d",
                (int)o->direction);
    if (o->features) {
        GrB_Index rows;
        GRB_TRY(GrB_Matrix_nrows(&rows, o->features));
        GRL_REQUIRE((int64_t)rows == n, "the feature matrix has %" PRIu64
                    " rows for %" PRId64 " nodes", (uint64_t)rows, n);
    }
    return 0;
#undef FREE_ALL
}

double grl_fastrp_degree_scale(float *X, double *inv_deg, const grl_csr *S,
                               int64_t d, double beta)
{
    double bad_deg = -1; /* a degree whose deg^beta overflows float */
#pragma omp parallel for schedule(static) reduction(max : bad_deg)
    for (int64_t i = 0; i < S->n; i++) {
        double deg = 0;
        for (GrB_Index p = S->Ap[i]; p < S->Ap[i + 1]; p++)
            deg += S->iso ? S->Ax[0] : S->Ax[p];
        double l = deg > 0 ? pow(deg, beta) : (beta <= 0 ? 1.0 : 0.0);
        inv_deg[i] = deg > 0 ? 1.0 / deg : 0.0;
        float *x = X + i * d;
        bool finite = true; /* checked inline: a call per row would open a
                               nested parallel region (6.5x slower here) */
        for (int64_t c = 0; c < d; c++) {
            x[c] = (float)(l * x[c]);
            finite &= isfinite(x[c]);
        }
        if (!finite && deg > bad_deg) bad_deg = deg;
    }
    return bad_deg;
}

/* The powers N_1 = S X, N_i = S N_{i-1} (X = L R on entry; *X is
 * overwritten and may be swapped for another block) accumulated into
 * *result, made here unless the self influence made it. Blocks: X, the
 * product P and the result, made only when a power is first accumulated;
 * when that is the second-to-last power (the defaults: weights 0, 1, 1),
 * P becomes the result and the last product is folded into it row by row
 * without being kept: two n x d blocks alive, not three. */
static int powers(grl_dense **result, const grl_csr *S, float **X,
                  const double *inv_deg, const grl_fastrp_options *o, char *msg)
{
    grl_dense *P = NULL;
    float *scratch = NULL;
#define FREE_ALL grl_dense_free(&P); free(scratch)
    const int64_t n = S->n, d = o->dim, last = o->iterations - 1;
    const double *w = o->weights;
    if (last > 0) GRL_TRY(grl_dense_new(&P, n, d, msg));
    for (int it = 0; it < last; it++) {
        bool defer = *result == NULL && it + 1 == last;
        if (w[it] != 0 && !defer && *result == NULL)
            GRL_TRY(grl_dense_new(result, n, d, msg));
        grl_spmm_accumulate(P->data, S, *X, d, inv_deg,
                            w[it] != 0 && !defer ? (*result)->data : NULL, w[it],
                            o->normalize);
        float *t = *X; *X = P->data; P->data = t;
    }
    if (*result == NULL && P != NULL) { /* *X: the power of weight last - 1 */
        if (w[last - 1] != 0)
            grl_fastrp_start_result(P->data, *X, n, d, w[last - 1], o->normalize);
        else
            memset(P->data, 0, sizeof(float) * (size_t)n * (size_t)d);
        *result = P;
        P = NULL;
    }
    grl_dense_free(&P);
    if (*result == NULL) GRL_TRY(grl_dense_new(result, n, d, msg));
    if (w[last] != 0) {
        GRL_ALLOC(scratch, float, grl_size_mul(omp_get_max_threads(), d));
        grl_spmm_fold(scratch, S, *X, d, inv_deg, (*result)->data, w[last],
                      o->normalize);
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_fastrp_embed(grl_dense **emb, grl_graph *G,
                     const grl_fastrp_options *opt, char *msg)
{
    grl_msg_clear(msg);
    grl_dense *result = NULL;
    float *X = NULL;
    double *inv_deg = NULL;
    uint64_t *keys = NULL;
    GrB_Matrix sym = NULL;
    grl_csr csr = {0};
#define FREE_ALL grl_csr_return(&csr, NULL); GrB_Matrix_free(&sym);           \
    grl_dense_free(&result); free(X); free(inv_deg); free(keys)
    GRL_REQUIRE(emb != NULL && G != NULL, "grl_fastrp_embed: NULL argument");
    *emb = NULL;
    grl_fastrp_options defaults;
    if (opt == NULL) {
        grl_fastrp_options_init(&defaults);
        opt = &defaults;
    }
    int64_t n = grl_graph_num_nodes(G), d = opt->dim;
    GRL_TRY(grl_fastrp_check_options(opt, n, msg));
    double s = opt->sparsity > 0 ? opt->sparsity : sqrt((double)n);
    if (s < 1) s = 1;
    int64_t d_p = opt->features ? (int64_t)llround(opt->property_ratio * d) : 0;
    int64_t d_r = d - d_p;

    /* S: the arcs a node aggregates over */
    GrB_Matrix S = grl_graph_matrix(G);
    if (grl_graph_is_directed(G) && opt->direction == GRL_PROPAGATE_IN) {
        GRL_TRY(grl_graph_transpose(G, &S, msg));
    } else if (grl_graph_is_directed(G) && opt->direction == GRL_PROPAGATE_BOTH) {
        GRB_TRY(GrB_Matrix_new(&sym, GrB_FP64, n, n));
        GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(sym, NULL, NULL, GrB_MAX_FP64, S,
                                             S, GrB_DESC_T1));
        S = sym;
    }

    /* initial vectors: random projection, then feature projection */
    GRL_ALLOC(keys, uint64_t, n);
    for (int64_t i = 0; i < n; i++) keys[i] = grl_graph_node_key(G, i);
    GRL_CALLOC(X, float, grl_size_mul(n, d));
    grl_sparse_projection(X, n, d, 0, d_r, s, opt->seed, keys);
    if (d_p > 0) {
        GRL_TRY(project_features(X, n, d, d_r, opt->features, s, opt->seed, msg));
        if (grl_first_nonfinite(X, grl_size_mul(n, d)) >= 0)
            GRL_FAIL(GRL_INVALID_ARGUMENT, "the node features overflow single "
                     "precision once projected; rescale them");
    }
    if (opt->self_influence != 0) {
        GRL_TRY(grl_dense_new(&result, n, d, msg));
        grl_fastrp_accumulate(result->data, X, n, d, opt->self_influence, opt->normalize);
    }

    /* D^-1 and L = diag(deg^beta) from S's weighted row sums */
    /* S may be G's own matrix or its cached transpose: borrowed until
     * the product is done (no concurrent use of G); FREE_ALL returns it */
    GRL_TRY(grl_csr_borrow(&csr, S, false, msg));
    GRL_ALLOC(inv_deg, double, n);
    double bad_deg = grl_fastrp_degree_scale(X, inv_deg, &csr, d, opt->beta);
    if (bad_deg >= 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "beta %g makes degree^beta overflow "
                 "single precision (degree %g); choose a smaller |beta|",
                 opt->beta, bad_deg);

    GRL_TRY(powers(&result, &csr, &X, inv_deg, opt, msg));
    GRL_TRY(grl_csr_return(&csr, msg));
    if (grl_first_nonfinite(result->data, grl_size_mul(n, d)) >= 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "the embedding overflows single precision: "
                 "lower the iteration weights or the self influence%s",
                 opt->normalize ? "" : " (or normalize each power)");
    if (opt->standardize && n > 0)
        GRL_TRY(standardize_columns(result->data, n, d, msg));
    *emb = result;
    result = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
