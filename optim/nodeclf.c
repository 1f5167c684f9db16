/* nodeclf.c — node-classification evaluation of an embedding, the FastRP
 * paper's protocol: random train/test splits of the labelled nodes,
 * one-vs-rest logistic regression, top-k prediction (k = the node's true
 * label count), Micro-/Macro-F1 as scikit-learn computes them. */
#include "grl_internal.h"
#include "grl/optim.h"
#include "optim_internal.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>

int grl_nodeclf_f1_scores(const uint8_t *y_true, const uint8_t *y_pred,
                          int64_t n, int64_t nlabels, double *micro,
                          double *macro, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(n >= 0 && nlabels >= 1, "F1 scores need n >= 0 rows and at "
                "least one label, got %" PRId64 " x %" PRId64, n, nlabels);
    GRL_REQUIRE(n == 0 || (y_true != NULL && y_pred != NULL),
                "grl_nodeclf_f1_scores: NULL indicator matrix");
    int64_t TP = 0, FP = 0, FN = 0;
    double sum = 0.0;
    for (int64_t l = 0; l < nlabels; l++) {
        int64_t tp = 0, fp = 0, fn = 0;
        for (int64_t i = 0; i < n; i++) {
            bool t = y_true[i * nlabels + l] != 0, p = y_pred[i * nlabels + l] != 0;
            tp += t && p;
            fp += !t && p;
            fn += t && !p;
        }
        int64_t den = 2 * tp + fp + fn;
        sum += den ? 2.0 * (double)tp / (double)den : 0.0; /* zero_division 0 */
        TP += tp, FP += fp, FN += fn;
    }
    int64_t den = 2 * TP + FP + FN;
    if (micro) *micro = den ? 2.0 * (double)TP / (double)den : 0.0;
    if (macro) *macro = sum / (double)nlabels;
    return 0;
#undef FREE_ALL
}

void grl_nodeclf_options_init(grl_nodeclf_options *opt)
{
    if (opt == NULL) return;
    opt->train_fraction = 0.1;
    opt->repeats = 5;
    opt->seed = 1;
    grl_logreg_options_init(&opt->logreg);
    opt->logreg.C = 0.1;
    /* The FastRP and DeepWalk evaluation code ran scikit-learn's
     * LogisticRegression before 0.22, whose default solver (liblinear)
     * penalises the intercept. On BlogCatalog (FastRP, d = 512) it gives
     * Micro/Macro-F1 0.376/0.224 against 0.367/0.218 with a free intercept;
     * the paper reports 0.372/0.228. */
    opt->logreg.penalize_intercept = true;
    opt->progress = NULL;
    opt->progress_ctx = NULL;
}

/* Mean and population standard deviation of v[0..n). */
static void mean_std(const double *v, int64_t n, double *mean, double *std)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += v[i];
    double m = s / (double)n, q = 0.0;
    for (int64_t i = 0; i < n; i++) q += (v[i] - m) * (v[i] - m);
    *mean = m;
    *std = sqrt(q / (double)n);
}

int grl_nodeclf_evaluate(const grl_dense *E, const grl_labels *labels,
                         const grl_nodeclf_options *opt,
                         grl_nodeclf_result *res, char *msg)
{
    grl_msg_clear(msg);
    int64_t *rows = NULL, *perm = NULL;
    double *X = NULL, *Xtr = NULL, *W = NULL, *b = NULL, *S = NULL;
    double *micro = NULL, *macro = NULL;
    uint8_t *Y = NULL, *Ytr = NULL, *Yte = NULL, *Ypred = NULL;
#define FREE_ALL                                                               \
    free(rows); free(perm); free(X); free(Xtr); free(W); free(b); free(S);      \
    free(micro); free(macro); free(Y); free(Ytr); free(Yte); free(Ypred)
    grl_nodeclf_options o;
    if (opt) o = *opt;
    else grl_nodeclf_options_init(&o);
    GRL_REQUIRE(E != NULL && E->data != NULL && labels != NULL && res != NULL,
                "grl_nodeclf_evaluate: NULL argument");
    memset(res, 0, sizeof *res);
    GRL_REQUIRE(labels->nodes == E->rows, "the labels cover %" PRId64 " nodes "
                "but the embedding has %" PRId64 " rows", labels->nodes,
                E->rows);
    GRL_REQUIRE(E->cols >= 1 && E->cols < INT_MAX, "the embedding has %" PRId64
                " columns", E->cols);
    GRL_REQUIRE(o.train_fraction > 0 && o.train_fraction < 1,
                "the train fraction must be in (0, 1), got %g",
                o.train_fraction);
    GRL_REQUIRE(o.repeats >= 1, "repeats must be at least 1, got %" PRId64,
                o.repeats);
    int64_t bad = grl_first_nonfinite(E->data, grl_size_mul(E->rows, E->cols));
    GRL_REQUIRE(bad < 0, "embedding row %" PRId64 " holds %s; regenerate the "
                "embedding (a NaN row means it overflowed)", bad / E->cols,
                bad >= 0 && isnan(E->data[bad]) ? "NaN" : "an infinity");
    const int64_t d = E->cols, L = labels->nlabels;
    GRL_REQUIRE(L >= 1, "no labels: every node is unlabelled");
    int64_t m = 0;
    for (int64_t i = 0; i < E->rows; i++)
        m += labels->offsets[i + 1] > labels->offsets[i];
    GRL_REQUIRE(m < INT_MAX, "%" PRId64 " labelled nodes: at most 2^31-2 are "
                "supported", m);
    int64_t ntrain = llround(o.train_fraction * (double)m), ntest = m - ntrain;
    GRL_REQUIRE(ntrain >= 1 && ntest >= 1, "a train fraction of %g of %" PRId64
                " labelled nodes leaves %" PRId64 " for training and %" PRId64
                " for testing; both need at least one", o.train_fraction, m,
                ntrain, ntest);

    /* the labelled rows as doubles, their indicator rows */
    GRL_ALLOC(rows, int64_t, m);
    GRL_ALLOC(X, double, grl_size_mul(m, d));
    GRL_CALLOC(Y, uint8_t, grl_size_mul(m, L));
    for (int64_t i = 0, j = 0; i < E->rows; i++) {
        if (labels->offsets[i + 1] == labels->offsets[i]) continue;
        rows[j] = i;
        const float *e = E->data + i * d;
        for (int64_t c = 0; c < d; c++) X[j * d + c] = e[c];
        for (int64_t k = labels->offsets[i]; k < labels->offsets[i + 1]; k++)
            Y[j * L + labels->label[k]] = 1;
        j++;
    }
    GRL_ALLOC(perm, int64_t, m);
    GRL_ALLOC(Xtr, double, grl_size_mul(ntrain, d));
    GRL_ALLOC(Ytr, uint8_t, grl_size_mul(ntrain, L));
    GRL_ALLOC(Yte, uint8_t, grl_size_mul(ntest, L));
    GRL_ALLOC(Ypred, uint8_t, grl_size_mul(ntest, L));
    GRL_ALLOC(W, double, grl_size_mul(L, d));
    GRL_ALLOC(b, double, L);
    GRL_ALLOC(S, double, grl_size_mul(m, L));
    GRL_ALLOC(micro, double, o.repeats);
    GRL_ALLOC(macro, double, o.repeats);

    for (int64_t r = 0; r < o.repeats; r++) {
        /* split: Fisher-Yates with stream r */
        grl_rng rng;
        grl_rng_init(&rng, o.seed, (uint64_t)r);
        for (int64_t j = 0; j < m; j++) perm[j] = j;
        for (int64_t j = m - 1; j > 0; j--) {
            int64_t k = (int64_t)grl_rng_below(&rng, (uint64_t)j + 1);
            int64_t t = perm[j];
            perm[j] = perm[k];
            perm[k] = t;
        }
        for (int64_t t = 0; t < ntrain; t++) {
            memcpy(Xtr + t * d, X + perm[t] * d, (size_t)d * sizeof(double));
            memcpy(Ytr + t * L, Y + perm[t] * L, (size_t)L);
        }
        /* fit */
        int64_t nc = 0;
        int rc = grl_logreg_fit_ovr(Xtr, ntrain, d, Ytr, L, &o.logreg, W, b,
                                    &nc, msg);
        if (rc < 0) {
            FREE_ALL;
            return rc;
        }
        res->not_converged += nc;
        /* scores of every labelled row, one label per thread */
#pragma omp parallel for num_threads(grl_blas_team(L)) schedule(dynamic, 1)
        for (int64_t l = 0; l < L; l++) {
            cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)m, (int)d, 1.0, X,
                        (int)d, W + l * d, 1, 0.0, S + l, (int)L);
            for (int64_t j = 0; j < m; j++) S[j * L + l] += b[l];
        }
        /* predict each test row's k best labels, k = its true count */
        memset(Ypred, 0, grl_size_mul(ntest, L));
        for (int64_t t = 0; t < ntest; t++) {
            int64_t j = perm[ntrain + t];
            const uint8_t *truth = Y + j * L;
            const double *s = S + j * L;
            uint8_t *pred = Ypred + t * L;
            memcpy(Yte + t * L, truth, (size_t)L);
            int64_t k = labels->offsets[rows[j] + 1] - labels->offsets[rows[j]];
            for (int64_t q = 0; q < k; q++) {
                int64_t best = -1;
                for (int64_t l = 0; l < L; l++)
                    if (!pred[l] && (best < 0 || s[l] > s[best])) best = l;
                pred[best] = 1;
            }
        }
        GRL_TRY(grl_nodeclf_f1_scores(Yte, Ypred, ntest, L, &micro[r], &macro[r], msg));
        if (o.progress) o.progress(r + 1, o.repeats, o.progress_ctx);
    }
    mean_std(micro, o.repeats, &res->micro_f1, &res->micro_f1_std);
    mean_std(macro, o.repeats, &res->macro_f1, &res->macro_f1_std);
    res->labelled = m;
    res->nlabels = L;
    res->train_size = ntrain;
    res->test_size = ntest;
    FREE_ALL;
    if (res->not_converged > 0) {
        grl_set_msg(msg, "%" PRId64 " of %" PRId64 " label fits stopped before "
                    "converging (max_iter %" PRId64 "); the scores may be "
                    "slightly off", res->not_converged, o.repeats * L,
                    o.logreg.lbfgs.max_iter);
        return GRL_NOT_CONVERGED;
    }
    return 0;
#undef FREE_ALL
}
