/* context.c — options, method names, and the operands of a predictor: the
 * adjacency without self-loops, the pattern's X, Y, Z, end degrees and the
 * degree-scaled copies (include/grl/linkpred.h defines them). */
#include "linkpred_internal.h"

#include <math.h>
#include <strings.h>

static const grl_enum_name method_names[] = {
    {"cn", GRL_LINKPRED_CN},       {"jaccard", GRL_LINKPRED_JACCARD},
    {"salton", GRL_LINKPRED_SALTON}, {"sorensen", GRL_LINKPRED_SORENSEN},
    {"hpi", GRL_LINKPRED_HPI},     {"hdi", GRL_LINKPRED_HDI},
    {"lhn", GRL_LINKPRED_LHN},     {"pa", GRL_LINKPRED_PA},
    {"aa", GRL_LINKPRED_AA},       {"ra", GRL_LINKPRED_RA},
    {"lp", GRL_LINKPRED_LP},       {"katz", GRL_LINKPRED_KATZ},
};
GRL_ENUM_FUNCTIONS(grl_linkpred_method, method_names, "link predictor")

static const grl_enum_name pattern_names[] = {
    {"successors", GRL_LINKPRED_SUCCESSORS},
    {"predecessors", GRL_LINKPRED_PREDECESSORS},
    {"path", GRL_LINKPRED_PATH},
    {"reverse-path", GRL_LINKPRED_REVERSE_PATH},
};
GRL_ENUM_FUNCTIONS(grl_linkpred_pattern, pattern_names, "common-neighbour pattern")

void grl_linkpred_options_init(grl_linkpred_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->method = GRL_LINKPRED_RA;
    opt->pattern = GRL_LINKPRED_SUCCESSORS;
    opt->alpha = 1.0;
    opt->epsilon = 0.01;
    opt->beta = 0.01;
    opt->katz_length = 3;
    opt->block_entries = (int64_t)1 << 24;
}

bool lp_is_path_method(grl_linkpred_method m)
{
    return m == GRL_LINKPRED_LP || m == GRL_LINKPRED_KATZ;
}

static bool has_weighted_form(grl_linkpred_method m)
{
    return m == GRL_LINKPRED_CN || m == GRL_LINKPRED_AA ||
           m == GRL_LINKPRED_RA || m == GRL_LINKPRED_PA || lp_is_path_method(m);
}

int lp_check_scores(const grl_linkpred_options *opt, const double *score,
                    int64_t count, char *msg)
{
#define FREE_ALL ;
    int64_t bad = -1;
    for (int64_t k = 0; k < count && bad < 0; k++)
        if (!isfinite(score[k])) bad = k;
    if (bad < 0) return 0;
    grl_linkpred_options d;
    if (opt == NULL) grl_linkpred_options_init(&d);
    const grl_linkpred_options *o = opt ? opt : &d;
    const char *also = o->weighted ? ", or an alpha nearer 0" : "";
    if (o->method == GRL_LINKPRED_KATZ)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "Katz beta %g makes the scores overflow "
                 "(beta^l counts of paths up to length %d); choose a smaller "
                 "beta%s", o->beta, o->katz_length, also);
    if (o->method == GRL_LINKPRED_LP)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "local path epsilon %g makes the scores "
                 "overflow; choose a smaller epsilon%s", o->epsilon, also);
    if (o->weighted)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "weighted scores overflow: the edge "
                 "weights raised to alpha %g exceed double precision; choose an "
                 "alpha nearer 0 or rescale the weights", o->alpha);
    GRL_FAIL(GRL_INVALID_ARGUMENT, "the scores overflow double precision; "
             "rescale the edge weights");
#undef FREE_ALL
}

static int check_options(const grl_linkpred_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE((int)o->method >= 0 && o->method < GRL_LINKPRED_NMETHODS,
                "unknown link predictor %d", (int)o->method);
    GRL_REQUIRE((int)o->pattern >= GRL_LINKPRED_SUCCESSORS &&
                o->pattern <= GRL_LINKPRED_REVERSE_PATH,
                "unknown common-neighbour pattern %d", (int)o->pattern);
    GRL_REQUIRE(isfinite(o->alpha), "weight exponent alpha is not finite");
    GRL_REQUIRE(isfinite(o->epsilon), "local path epsilon is not finite");
    GRL_REQUIRE(isfinite(o->beta), "Katz beta is not finite");
    GRL_REQUIRE(o->katz_length >= 1 && o->katz_length <= 8,
                "Katz path length L must be in 1..8, got %d", o->katz_length);
    GRL_REQUIRE(o->block_entries >= 1, "block_entries must be >= 1, got %"
                PRId64, o->block_entries);
    if (o->weighted && !has_weighted_form(o->method))
        GRL_FAIL(GRL_UNSUPPORTED, "%s has no weighted variant (weighted: cn, "
                 "aa, ra, pa, lp, katz)", grl_linkpred_method_name(o->method));
    return 0;
#undef FREE_ALL
}

int lp_row_sums(GrB_Matrix M, bool weighted, int64_t n, double *out,
                char *msg)
{
    GrB_Vector ones = NULL, s = NULL;
#define FREE_ALL GrB_Vector_free(&ones); GrB_Vector_free(&s)
    GRB_TRY(GrB_Vector_new(&ones, GrB_FP64, n));
    GRB_TRY(GrB_Vector_new(&s, GrB_FP64, n));
    GRB_TRY(GrB_Vector_assign_FP64(ones, NULL, NULL, 1.0, GrB_ALL, n, NULL));
    GRB_TRY(GrB_Vector_assign_FP64(s, NULL, NULL, 0.0, GrB_ALL, n, NULL));
    GRB_TRY(GrB_mxv(s, NULL, GrB_PLUS_FP64, weighted ?
                    GrB_PLUS_TIMES_SEMIRING_FP64 : GxB_PLUS_PAIR_FP64, M, ones,
                    NULL));
    GrB_Index nv = n;
    GRB_TRY(GrB_Vector_extractTuples_FP64(NULL, out, &nv, s));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Keep an owned matrix so lp_ctx_free releases it. */
static GrB_Matrix keep(lp_ctx *c, GrB_Matrix M)
{
    for (int i = 0; i < 6; i++)
        if (c->own[i] == NULL) {
            c->own[i] = M;
            break;
        }
    return M;
}

/* The middle weighting d(z) of AA and RA from k(z) (or s(z) if weighted). */
static void middle_weights(grl_linkpred_method m, bool weighted,
                           const double *kz, int64_t n, double *d)
{
    for (int64_t z = 0; z < n; z++) {
        double den = 0;
        if (m == GRL_LINKPRED_RA) den = kz[z];
        else if (m == GRL_LINKPRED_AA)
            den = weighted ? log1p(kz[z]) : (kz[z] >= 2 ? log(kz[z]) : 0);
        else den = 1; /* weighted CN */
        d[z] = den > 0 ? 1.0 / den : 0.0;
    }
}

/* *T = M scaled by d: entry (i,j) becomes d[j] (values false: M's values
 * ignored), M(i,j) d[j], or with `rows` M(i,j) d[i]. One pass over a copy's
 * CSR arrays (a diagonal product in GraphBLAS costs a general mxm). */
static int scaled_copy(GrB_Matrix *T, GrB_Matrix M, const double *d,
                       bool rows, bool values, char *msg)
{
    GrB_Matrix C = NULL;
    grl_csr s = {0};
    double *x = NULL;
#define FREE_ALL grl_csr_return(&s, NULL); GrB_Matrix_free(&C); free(x)
    GRB_TRY(GrB_Matrix_dup(&C, M));
    /* borrows a matrix of this call's own, not the graph's */
    GRL_TRY(grl_csr_borrow(&s, C, true, msg));
    GrB_Index nnz = s.Ap[s.n];
    GRL_ALLOC(x, double, nnz);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < s.n; i++)
        for (GrB_Index p = s.Ap[i]; p < s.Ap[i + 1]; p++) {
            double v = values ? (s.iso ? s.Ax[0] : s.Ax[p]) : 1.0;
            x[p] = v * d[rows ? (GrB_Index)i : s.Aj[p]];
        }
    free(s.Ax); /* GraphBLAS allocates with grl_malloc or malloc */
    s.Ax = x;
    s.Ax_size = (nnz ? nnz : 1) * sizeof(double);
    s.iso = false;
    x = NULL;
    GRL_TRY(grl_csr_return(&s, msg));
    *T = C;
    C = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* XD = X D and, for weighted sums, the second term's right operand ZD = Z D
 * (transposed) or DY = D Y (rows). */
static int scaled_copies(lp_ctx *c, bool transposed, char *msg)
{
    double *kz = NULL, *d = NULL;
    GrB_Matrix T = NULL;
#define FREE_ALL free(kz); free(d); GrB_Matrix_free(&T)
    grl_linkpred_method m = c->opt.method;
    bool w = c->opt.weighted;
    if (w && m == GRL_LINKPRED_CN) { /* d = 1: no copies */
        c->XD = c->X;
        c->ZD = transposed ? c->Z : c->Y;
        return 0;
    }
    int64_t n = c->n;
    GRL_ALLOC(kz, double, n);
    GRL_ALLOC(d, double, n);
    GRL_TRY(lp_row_sums(c->Y, w, n, kz, msg));
    middle_weights(m, w, kz, n, d);
    /* unweighted: (X D)(u,z) = d(z) whatever X's values */
    GRL_TRY(scaled_copy(&T, c->X, d, false, w, msg));
    c->XD = keep(c, T);
    T = NULL;
    if (w) {
        GRL_TRY(scaled_copy(&T, transposed ? c->Z : c->Y, d, !transposed, true,
                            msg));
        c->ZD = keep(c, T);
        T = NULL;
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Whether G's matrix A has a self-loop, by a binary search of each sorted
 * row for its own index on the borrowed arrays (G must not be in use
 * elsewhere meanwhile). GxB_Vector_diag took 33 ms of CPU for G(1M, 10M),
 * a sixth of scoring 1M pairs; scoring 1,000 pairs there, which the search
 * for self-loops dominates, took 40 ms of CPU with it and 28 ms now. */
static int has_self_loop(GrB_Matrix A, bool *loop, char *msg)
{
    grl_csr csr = {0};
#define FREE_ALL grl_csr_return(&csr, NULL)
    GRL_TRY(grl_csr_borrow(&csr, A, true, msg));
    bool found = false;
#pragma omp parallel for schedule(static) reduction(|| : found)
    for (int64_t i = 0; i < csr.n; i++)
        found = found || grl_csr_find(&csr, (GrB_Index)i, (GrB_Index)i) >= 0;
    *loop = found;
    GRL_TRY(grl_csr_return(&csr, msg));
    return 0;
#undef FREE_ALL
}

int lp_ctx_init(lp_ctx *c, grl_graph *G, const grl_linkpred_options *opt,
                bool transposed, bool degrees, char *msg)
{
    GrB_Matrix T = NULL;
#define FREE_ALL GrB_Matrix_free(&T); lp_ctx_free(c)
    memset(c, 0, sizeof(*c));
    GRL_REQUIRE(G != NULL, "link prediction: NULL graph");
    if (opt) c->opt = *opt;
    else grl_linkpred_options_init(&c->opt);
    GRL_TRY(check_options(&c->opt, msg));
    GRL_TRY(grl_init(msg));
    int64_t n = grl_graph_num_nodes(G);
    c->n = n;
    c->directed = grl_graph_is_directed(G);
    const grl_linkpred_options *o = &c->opt;

    /* A: the graph without self-loops (lent when it has none) */
    GrB_Matrix A = grl_graph_matrix(G);
    bool loops;
    GRL_TRY(has_self_loop(A, &loops, msg));
    GrB_Matrix AT = A;
    if (loops) {
        GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, n, n));
        GRB_TRY(GrB_Matrix_select_INT64(T, NULL, NULL, GrB_OFFDIAG, A, 0, NULL));
        A = AT = keep(c, T);
        T = NULL;
        if (c->directed) {
            GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, n, n));
            GRB_TRY(GrB_transpose(T, NULL, NULL, A, NULL));
            AT = keep(c, T);
            T = NULL;
        }
    } else if (c->directed) {
        GRL_TRY(grl_graph_transpose(G, &AT, msg));
    }
    /* W = A^alpha when weighted with alpha != 1 */
    if (o->weighted && o->alpha != 1.0) {
        GrB_Matrix src[2] = {A, AT};
        GrB_Matrix *dst[2] = {&A, &AT};
        for (int t = 0; t < (c->directed ? 2 : 1); t++) {
            GRB_TRY(GrB_Matrix_new(&T, GrB_FP64, n, n));
            GRB_TRY(GrB_Matrix_apply_BinaryOp2nd_FP64(T, NULL, NULL,
                                                      GxB_POW_FP64, src[t],
                                                      o->alpha, NULL));
            *dst[t] = keep(c, T);
            T = NULL;
        }
        if (!c->directed) AT = A;
    }
    c->A = A;
    c->AT = AT;

    /* the pattern's X, Y and Z = Yᵀ */
    grl_linkpred_pattern p = lp_is_path_method(o->method) || !c->directed ?
        GRL_LINKPRED_PATH : o->pattern;
    switch (p) {
    case GRL_LINKPRED_SUCCESSORS: c->X = A; c->Y = AT; break;
    case GRL_LINKPRED_PREDECESSORS: c->X = AT; c->Y = A; break;
    case GRL_LINKPRED_PATH: c->X = A; c->Y = A; break;
    case GRL_LINKPRED_REVERSE_PATH: c->X = AT; c->Y = AT; break;
    }
    c->Z = c->Y == A ? AT : A;

    if (degrees) {
        GRL_ALLOC(c->ku, double, n);
        GRL_ALLOC(c->kv, double, n);
        GRL_TRY(lp_row_sums(c->X, o->weighted, n, c->ku, msg));
        GRL_TRY(lp_row_sums(c->Z, o->weighted, n, c->kv, msg));
    }
    if (o->method == GRL_LINKPRED_AA || o->method == GRL_LINKPRED_RA ||
        (o->weighted && o->method == GRL_LINKPRED_CN))
        GRL_TRY(scaled_copies(c, transposed, msg));
    return 0;
#undef FREE_ALL
}

void lp_ctx_free(lp_ctx *c)
{
    for (int i = 0; i < 6; i++) GrB_Matrix_free(&c->own[i]);
    free(c->ku);
    free(c->kv);
    memset(c, 0, sizeof(*c));
}
