/* dag_learn.c — the DAG learners' entry points: options, argument checks,
 * the choice of method, thresholding, and the score of a given W. */
#include "dag_internal.h"

#include <cblas.h>
#include <math.h>

void grl_dag_options_init(grl_dag_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof *opt);
    opt->method = GRL_DAG_METHOD_TOPO;
    opt->loss = GRL_DAG_LOSS_L2;
    opt->threshold = 0.3;
    opt->restarts = 1;
    opt->full_search = true;
    opt->refit = true;
    opt->standardize = false;
    opt->h_tol = 1e-8;
    opt->rho_max = 1e16;
    opt->seed = 1;
}

int grl_dag_check_order(const int64_t *order, int64_t d, char *msg)
{
    uint8_t *seen = NULL;
#define FREE_ALL free(seen)
    GRL_CALLOC(seen, uint8_t, (size_t)d);
    for (int64_t k = 0; k < d; k++) {
        if (order[k] < 0 || order[k] >= d || seen[order[k]])
            GRL_FAIL(GRL_INVALID_ARGUMENT, "the initial order must list each "
                     "variable 0..%" PRId64 " once; entry %" PRId64 " is %" PRId64,
                     d - 1, k, order[k]);
        seen[order[k]] = 1;
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

bool grl_dag_column_binary(const double *X, int64_t n, int64_t d, int64_t j)
{
    for (int64_t i = 0; i < n; i++)
        if (X[i * d + j] != 0.0 && X[i * d + j] != 1.0) return false;
    return true;
}

static int check_options(const grl_dag_options *o, const grl_dag_data *data,
                         char *msg)
{
#define FREE_ALL
    GRL_REQUIRE(o->method == GRL_DAG_METHOD_TOPO || o->method == GRL_DAG_METHOD_NOTEARS,
                "unknown DAG method %d", (int)o->method);
    GRL_REQUIRE(o->loss == GRL_DAG_LOSS_L2 || o->loss == GRL_DAG_LOSS_LOGISTIC,
                "unknown DAG loss %d", (int)o->loss);
    GRL_REQUIRE(isfinite(o->lambda1) && o->lambda1 >= 0, "lambda1 must be finite "
                "and >= 0, got %g", o->lambda1);
    GRL_REQUIRE(isfinite(o->lambda2) && o->lambda2 >= 0, "lambda2 must be finite "
                "and >= 0, got %g", o->lambda2);
    GRL_REQUIRE(isfinite(o->threshold) && o->threshold >= 0, "threshold must be "
                "finite and >= 0, got %g", o->threshold);
    GRL_REQUIRE(o->restarts >= 1 && o->restarts <= 1000000, "restarts must be "
                "1..10^6, got %" PRId64, o->restarts);
    GRL_REQUIRE(o->size_small >= 0 && o->size_large >= 0, "candidate set sizes "
                "must be >= 0 (0 = automatic)");
    GRL_REQUIRE(o->max_iter >= 0, "max_iter must be >= 0 (0 = automatic), got %"
                PRId64, o->max_iter);
    GRL_REQUIRE(o->h_tol > 0 && isfinite(o->h_tol), "h_tol must be positive, "
                "got %g", o->h_tol);
    GRL_REQUIRE(o->rho_max > 0 && isfinite(o->rho_max), "rho_max must be "
                "positive, got %g", o->rho_max);
    if (o->loss == GRL_DAG_LOSS_LOGISTIC)
        for (int64_t j = 0; j < data->d; j++)
            GRL_REQUIRE(grl_dag_column_binary(data->X, data->n, data->d, j),
                        "the logistic loss needs 0/1 data; variable '%.60s' has "
                        "other values", data->names ? data->names[j] : "?");
    if (o->init_order) GRL_TRY(grl_dag_check_order(o->init_order, data->d, msg));
    return 0;
#undef FREE_ALL
}

/* A copy of data with every column divided by its standard deviation
 * (a constant column is left for the Gram check to name). */
static int standardized(grl_dag_data **out, const grl_dag_data *data, char *msg)
{
    int rc = grl_dag_data_from_array(out, data->X, data->n, data->d, msg);
    if (rc < 0) return rc;
    const int64_t n = data->n, d = data->d;
    for (int64_t j = 0; j < d; j++) {
        double mean = 0, var = 0;
        for (int64_t i = 0; i < n; i++) mean += data->X[i * d + j];
        mean /= (double)n;
        for (int64_t i = 0; i < n; i++) {
            double c = data->X[i * d + j] - mean;
            var += c * c;
        }
        double sd = sqrt(var / (double)n);
        if (!isfinite(sd)) { /* else x / inf = 0 reads as a constant column */
            grl_set_msg(msg, "variable '%.60s' (column %" PRId64 ") is too large "
                        "to square in double precision; rescale the data",
                        data->names ? data->names[j] : "?", j + 1);
            grl_dag_data_free(out);
            return GRL_INVALID_ARGUMENT;
        }
        if (sd > 0)
            for (int64_t i = 0; i < n; i++) (*out)->X[i * d + j] /= sd;
        char *keep = (*out)->names[j];
        (*out)->names[j] = data->names ? strdup(data->names[j]) : keep;
        if ((*out)->names[j] == NULL) {
            (*out)->names[j] = keep;
            grl_dag_data_free(out);
            grl_set_msg(msg, "out of memory");
            return GRL_OUT_OF_MEMORY;
        }
        if ((*out)->names[j] != keep) free(keep);
    }
    return 0;
}

int grl_dag_learn_limited(double *W, int64_t *order, const grl_dag_data *data,
                          const grl_dag_options *opt, double cpu_seconds,
                          grl_dag_info *info, char *msg)
{
    double *Wn = NULL;
    int64_t *best = NULL, *warm = NULL;
    grl_dag_data *scaled = NULL;
#define FREE_ALL free(Wn); free(best); free(warm); grl_dag_data_free(&scaled)
    if (msg) msg[0] = '\0';
    grl_dag_options o;
    if (opt) o = *opt;
    else grl_dag_options_init(&o);
    GRL_REQUIRE(W != NULL && data != NULL && data->X != NULL,
                "grl_dag_learn: NULL argument");
    GRL_REQUIRE(data->n >= 1 && data->d >= 1, "empty data (%" PRId64 " x %"
                PRId64 ")", data->n, data->d);
    GRL_TRY(check_options(&o, data, msg));
    GRL_REQUIRE(data->n >= 2, "DAG learning needs at least 2 samples, got %"
                PRId64, data->n);
    if (o.standardize) {
        GRL_REQUIRE(o.loss == GRL_DAG_LOSS_L2, "standardize is for the l2 loss");
        GRL_TRY(standardized(&scaled, data, msg));
        data = scaled;
    }
    const int64_t d = data->d;
    size_t dd = grl_size_mul((size_t)d, (size_t)d);
    GRL_ALLOC(Wn, double, dd);
    GRL_ALLOC(best, int64_t, (size_t)d);
    grl_dag_info inf = {0};
    int status = 0;
    char warning[GRL_MSG_LEN] = "";
    if (o.method == GRL_DAG_METHOD_NOTEARS || o.warm_start_notears) {
        grl_dag_options no = o;
        no.method = GRL_DAG_METHOD_NOTEARS;
        if (o.method == GRL_DAG_METHOD_TOPO) no.max_iter = 0;
        grl_dag_notears_state st;
        status = grl_dag_notears(Wn, data, &no, cpu_seconds, &st, msg);
        inf.h = st.h;
        inf.iterations = st.dual_steps;
        if (status > 0 && msg) /* the calls below clear msg: keep the warning */
            snprintf(warning, sizeof warning, "%s", msg);
        if (status < 0) {
            FREE_ALL;
            return status;
        }
    }
    if (o.method == GRL_DAG_METHOD_TOPO) {
        const int64_t *start = o.init_order;
        if (o.warm_start_notears) {
            /* the order of NOTEARS' thresholded estimate (a DAG unless h did
             * not reach h_tol: then the first run starts at random) */
            GRL_ALLOC(warm, int64_t, (size_t)d);
            for (size_t k = 0; k < dd; k++)
                if (fabs(Wn[k]) < o.threshold) Wn[k] = 0;
            if (grl_dag_topological_order(warm, Wn, d)) start = warm;
            status = 0;
        }
        grl_dag_topo_stats st;
        GRL_TRY(grl_dag_topo(Wn, best, data, &o, start, false, &st, msg));
        inf.search_score = st.score;
        inf.iterations += st.iterations;
        inf.candidates = st.candidates;
        inf.best_restart = st.best_restart;
        inf.h = 0;
    }
    if (o.method == GRL_DAG_METHOD_NOTEARS)
        GRL_TRY(grl_dag_score(&inf.search_score, data, Wn, &o, msg));
    if (o.refit && o.loss == GRL_DAG_LOSS_L2) {
        grl_dag_gram g;
        GRL_TRY(grl_dag_gram_build(&g, data, o.lambda2, msg));
        int rc = grl_dag_refit_support(Wn, &g, o.threshold, msg);
        grl_dag_gram_free(&g);
        GRL_TRY(rc);
    }
    for (size_t k = 0; k < dd; k++)
        W[k] = fabs(Wn[k]) >= o.threshold ? Wn[k] : 0.0;
    /* NOTEARS: an order of its estimate, or of the thresholded one when h
     * stayed above h_tol (if that too is cyclic, the order is partial and
     * status is the GRL_NOT_CONVERGED warning) */
    if (o.method == GRL_DAG_METHOD_NOTEARS && order &&
        !grl_dag_topological_order(best, Wn, d))
        grl_dag_topological_order(best, W, d);
    GRL_TRY(grl_dag_score(&inf.score, data, W, &o, msg));
    if (order) memcpy(order, best, (size_t)d * sizeof *order);
    if (info) *info = inf;
    if (status > 0 && msg) snprintf(msg, GRL_MSG_LEN, "%s", warning);
    FREE_ALL;
    return status;
#undef FREE_ALL
}

int grl_dag_learn(double *W, int64_t *order, const grl_dag_data *data,
                  const grl_dag_options *opt, grl_dag_info *info, char *msg)
{
    return grl_dag_learn_limited(W, order, data, opt, INFINITY, info, msg);
}

int grl_dag_score(double *score, const grl_dag_data *data, const double *W,
                  const grl_dag_options *opt, char *msg)
{
    double *Xc = NULL, *M = NULL;
#define FREE_ALL free(Xc); free(M)
    if (msg) msg[0] = '\0';
    grl_dag_options o;
    if (opt) o = *opt;
    else grl_dag_options_init(&o);
    GRL_REQUIRE(score != NULL && data != NULL && W != NULL,
                "grl_dag_score: NULL argument");
    const int64_t n = data->n, d = data->d;
    size_t nd = grl_size_mul((size_t)n, (size_t)d);
    GRL_ALLOC(Xc, double, nd);
    GRL_ALLOC(M, double, nd);
    if (o.loss == GRL_DAG_LOSS_L2) grl_dag_centre(Xc, data->X, n, d);
    else memcpy(Xc, data->X, nd * sizeof *Xc);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)d, (int)d,
                1.0, Xc, (int)d, W, (int)d, 0.0, M, (int)d);
    double loss = 0;
    for (size_t k = 0; k < nd; k++) {
        if (o.loss == GRL_DAG_LOSS_L2) {
            double r = Xc[k] - M[k];
            loss += 0.5 * r * r;
        } else {
            double m = M[k];
            loss += (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))) - Xc[k] * m;
        }
    }
    loss /= (double)n;
    double l1 = 0, l2 = 0;
    for (size_t k = 0; k < (size_t)d * (size_t)d; k++) {
        l1 += fabs(W[k]);
        l2 += W[k] * W[k];
    }
    *score = loss + o.lambda1 * l1 + 0.5 * o.lambda2 * l2;
    /* squares beyond 1e154 overflow, as grl_dag_gram_build refuses them */
    GRL_REQUIRE(isfinite(*score), "the score overflows double precision: the "
                "data or W hold values too large to square; rescale them");
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
