/* digraph_profile.c — the AMUD-style statistic (definition in grl/gnn.h):
 * label homophily of every directed pattern and of the symmetrised graph
 * over pairs of training nodes, from sparse x dense products with the
 * one-hot training labels (2-hop patterns never formed). */
#include "adpa_internal.h"

#include <math.h>

/* The recommendation's two thresholds (grl/gnn.h). */
#define GRL_PROFILE_SIGNAL 0.05
#define GRL_PROFILE_MARGIN 0.05

/* diag(F S)_i = sum_k F_ik S_ki (S's rows sorted): the self pairs a pattern
 * counts, removed from its sums. */
static void diagonal(double *d, const grl_csr *F, const grl_csr *S)
{
#pragma omp parallel for schedule(dynamic, 256)
    for (int64_t i = 0; i < F->n; i++) {
        double s = 0;
        for (GrB_Index p = F->Ap[i]; p < F->Ap[i + 1]; p++) {
            GrB_Index k = F->Aj[p];
            int64_t q = grl_csr_find(S, k, (GrB_Index)i);
            if (q >= 0)
                s += (F->iso ? F->Ax[0] : F->Ax[p]) * (S->iso ? S->Ax[0] : S->Ax[q]);
        }
        d[i] = s;
    }
}

/* The self-loop weight of every node (diag of a 1-hop pattern). */
static void self_loops(double *d, const grl_csr *F)
{
    for (int64_t i = 0; i < F->n; i++) {
        int64_t q = grl_csr_find(F, (GrB_Index)i, (GrB_Index)i);
        d[i] = q >= 0 ? (F->iso ? F->Ax[0] : F->Ax[q]) : 0.0;
    }
}

/* Feature smoothness of pattern `p` (grl/gnn.h): sum_ij P_ij |x_i - x_j|^2
 * = sum_i (P1)_i |x_i|^2 + sum_i (P s)_i - 2 sum_i x_i . (PX)_i with
 * s_j = |x_j|^2 (self pairs add 0), over the off-diagonal weight, divided by
 * 2 var(X), what pairs drawn at random give. Two products with X and two
 * with [1 | s]; T: n x max(f, 2) scratch (it carries both), PX: n x f,
 * V, PV: n x 2. */
static double smoothness(const grl_csr *first, const grl_csr *second,
                         const double *diag, const grl_dense *X, float *T,
                         float *PX, float *V, float *PV, double var)
{
    const int64_t n = X->rows, f = X->cols;
    if (second) {
        grl_adpa_spmm(T, second, X->data, f, NULL, NULL, false);
        grl_adpa_spmm(PX, first, T, f, NULL, NULL, false);
        grl_adpa_spmm(T, second, V, 2, NULL, NULL, false);
        grl_adpa_spmm(PV, first, T, 2, NULL, NULL, false);
    } else {
        grl_adpa_spmm(PX, first, X->data, f, NULL, NULL, false);
        grl_adpa_spmm(PV, first, V, 2, NULL, NULL, false);
    }
    double sum = 0, weight = 0;
    for (int64_t i = 0; i < n; i++) {
        const float *x = X->data + i * f, *px = PX + i * f;
        double cross = 0;
        for (int64_t c = 0; c < f; c++) cross += (double)x[c] * px[c];
        sum += (double)PV[2 * i] * V[2 * i + 1] + PV[2 * i + 1] - 2 * cross;
        weight += PV[2 * i] - diag[i];
    }
    return weight > 0 && var > 0 ? fmax(sum, 0) / weight / (2 * var) : NAN;
}

static grl_adpa_patterns recommend(const grl_digraph_profile_result *r)
{
    const int sym = GRL_DIGRAPH_PATTERNS - 1;
    double best_dir = 0;
    for (int p = 0; p < sym; p++)
        if (r->weight[p] > 0 && fabs(r->adjusted[p]) > best_dir)
            best_dir = fabs(r->adjusted[p]);
    double best_sym = r->weight[sym] > 0 ? fabs(r->adjusted[sym]) : 0;
    if (best_dir < GRL_PROFILE_SIGNAL && best_sym < GRL_PROFILE_SIGNAL)
        return GRL_ADPA_PATTERNS_FEATURES;
    return best_dir >= best_sym - GRL_PROFILE_MARGIN ? GRL_ADPA_PATTERNS_ALL
                                                    : GRL_ADPA_PATTERNS_UNDIRECTED;
}

int grl_digraph_profile(grl_digraph_profile_result *res, grl_graph *G,
                        const grl_node_labels *L, const grl_node_splits *S,
                        int64_t split, const grl_dense *X, char *msg)
{
    grl_adpa_csrs m = {0};
    float *Y = NULL, *T = NULL, *PY = NULL, *XT = NULL, *PX = NULL, *V = NULL,
          *PV = NULL;
    double *d = NULL, *q = NULL, *mean = NULL;
    uint8_t *train = NULL;
#define FREE_ALL grl_adpa_csrs_return(&m); free(Y); free(T); free(PY); \
    free(XT); free(PX); free(V); free(PV); free(d); free(q); free(mean); free(train)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(res != NULL && G != NULL && L != NULL,
                "grl_digraph_profile: NULL argument");
    GRL_TRY(grl_init(msg));
    const int64_t n = grl_graph_num_nodes(G), C = L->nclasses;
    GRL_REQUIRE(L->nodes == n, "the labels cover %" PRId64 " nodes, the graph "
                "has %" PRId64, L->nodes, n);
    if (S != NULL)
        GRL_REQUIRE(S->nodes == n && split >= 0 && split < S->nsplits,
                    "split %" PRId64 " of %" PRId64 " over %" PRId64 " nodes "
                    "does not fit a graph of %" PRId64 " nodes", split,
                    S->nsplits, S->nodes, n);
    if (X != NULL)
        GRL_REQUIRE(X->rows == n && X->cols >= 1 && X->data != NULL,
                    "the features have %" PRId64 " rows, the graph %" PRId64
                    " nodes", X->rows, n);
    GRL_CALLOC(train, uint8_t, n);
    GRL_CALLOC(Y, float, grl_size_mul((size_t)n, (size_t)C));
    int64_t labelled = 0;
    for (int64_t i = 0; i < n; i++)
        if (L->y[i] >= 0 && (S == NULL || S->role[split * n + i] == GRL_SPLIT_TRAIN)) {
            train[i] = 1;
            Y[i * C + L->y[i]] = 1.0f;
            labelled++;
        }
    GRL_REQUIRE(labelled >= 2, "the profile needs at least 2 labelled "
                "training nodes, got %" PRId64, labelled);
    GRL_ALLOC(T, float, grl_size_mul((size_t)n, (size_t)C));
    GRL_ALLOC(PY, float, grl_size_mul((size_t)n, (size_t)C));
    GRL_ALLOC(d, double, n);
    GRL_CALLOC(q, double, C);
    GRL_TRY(grl_adpa_csrs_borrow(&m, G, true, true, msg));
    const grl_csr *A = &m.A, *AT = grl_adpa_csrs_at(&m);
    static const char *const names[GRL_DIGRAPH_PATTERNS] = {
        "A", "At", "AA", "AAt", "AtA", "AtAt", "sym"};
    const grl_csr *first[GRL_DIGRAPH_PATTERNS] = {A, AT, A, A, AT, AT, &m.S};
    const grl_csr *second[GRL_DIGRAPH_PATTERNS] = {NULL, NULL, A, AT, A, AT, NULL};
    double var = 0; /* mean squared distance to the mean feature row */
    if (X != NULL) {
        const int64_t f = X->cols;
        const size_t nf = grl_size_mul((size_t)n, (size_t)f);
        /* XT also holds the n x 2 product with V (one feature: wider) */
        GRL_ALLOC(XT, float, grl_size_mul((size_t)n, (size_t)(f > 2 ? f : 2)));
        GRL_ALLOC(PX, float, nf);
        GRL_ALLOC(V, float, grl_size_mul((size_t)n, 2));
        GRL_ALLOC(PV, float, grl_size_mul((size_t)n, 2));
        /* var = mean |x_i|^2 - |mean row|^2 */
        GRL_CALLOC(mean, double, f);
        for (int64_t i = 0; i < n; i++) {
            double s2 = 0;
            for (int64_t c = 0; c < f; c++) {
                const double x = X->data[i * f + c];
                s2 += x * x;
                mean[c] += x / (double)n;
            }
            V[2 * i] = 1.0f;
            V[2 * i + 1] = (float)s2;
            var += s2 / (double)n;
        }
        for (int64_t c = 0; c < f; c++) var -= mean[c] * mean[c];
    }
    memset(res, 0, sizeof(*res));
    bool any = false;
    for (int p = 0; p < GRL_DIGRAPH_PATTERNS; p++) {
        snprintf(res->name[p], sizeof res->name[p], "%s", names[p]);
        if (second[p]) {
            grl_adpa_spmm(T, second[p], Y, C, NULL, NULL, false);
            grl_adpa_spmm(PY, first[p], T, C, NULL, NULL, false);
            diagonal(d, first[p], second[p]);
        } else {
            grl_adpa_spmm(PY, first[p], Y, C, NULL, NULL, false);
            self_loops(d, first[p]);
        }
        res->smoothness[p] = X ? smoothness(first[p], second[p], d, X, XT, PX, V,
                                            PV, var)
                               : NAN;
        double same = 0, total = 0;
        memset(q, 0, sizeof(double) * (size_t)C);
        for (int64_t i = 0; i < n; i++) {
            if (!train[i]) continue;
            const int64_t c = L->y[i];
            for (int64_t k = 0; k < C; k++) {
                double w = PY[i * C + k] - (k == c ? d[i] : 0.0);
                q[k] += w;
                total += w;
            }
            same += PY[i * C + c] - d[i];
        }
        res->weight[p] = total;
        if (total <= 0) {
            res->homophily[p] = res->adjusted[p] = NAN;
            continue;
        }
        any = true;
        double qq = 0;
        for (int64_t k = 0; k < C; k++) qq += (q[k] / total) * (q[k] / total);
        res->homophily[p] = same / total;
        res->adjusted[p] = qq < 1 ? (same / total - qq) / (1 - qq) : 0.0;
    }
    if (!any)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "no pattern joins two training nodes: "
                 "the profile has nothing to measure");
    res->recommended = recommend(res);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
