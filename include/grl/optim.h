/*
 * grl/optim.h — numerical optimisation and the learners grl evaluates with:
 * an L-BFGS minimiser, L2-regularised logistic regression (binary and
 * one-vs-rest multi-label), node labels, F1 scores and the node-
 * classification protocol of the FastRP paper (Chen et al., CIKM 2019).
 *
 * Everything here is deterministic: the same input gives bit-identical
 * output whatever the thread count. Parallel work is split over labels, each
 * label's computation runs sequentially on one thread (OpenBLAS runs
 * single-threaded inside grl's OpenMP regions), and no sum depends on the
 * schedule.
 *
 * Memory: L-BFGS keeps (2m + 6) vectors of the problem size; one-vs-rest
 * logistic regression adds n + one L-BFGS workspace per running thread;
 * grl_nodeclf_evaluate holds the labelled embedding rows as doubles
 * (labelled x d x 8 bytes), the training rows again as doubles, a labelled x
 * labels score matrix of doubles and two byte indicator matrices of that
 * size.
 */
#ifndef GRL_OPTIM_H
#define GRL_OPTIM_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * L-BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4 two-
 * loop recursion and Alg. 7.5, with the strong-Wolfe line search of their
 * Alg. 3.5/3.6 and safeguarded cubic interpolation).
 * ------------------------------------------------------------------------ */

/* An objective: at x (n values) write f(x) into *f and its gradient into
 * grad (n values). Return 0, or a negative code (after filling nothing) to
 * abort the minimisation, which then returns that code. */
typedef int (*grl_objective_fn)(const double *x, double *grad, double *f,
                                void *ctx);

typedef struct {
    int m;              /* correction pairs kept (default 10), >= 1          */
    int64_t max_iter;   /* iterations (default 1000), >= 1                   */
    double gtol;        /* stop when max_i |grad_i| <= gtol (default 1e-5)    */
    double ftol;        /* stop when (f_prev - f) <= ftol * max(|f_prev|,
                           |f|, 1) (default 1e-12; 0 disables)               */
    int max_linesearch; /* objective evaluations per line search (default 40) */
    double c1, c2;      /* strong Wolfe constants, 0 < c1 < c2 < 1
                           (defaults 1e-4 and 0.9)                           */
} grl_lbfgs_options;

/* Why grl_lbfgs_minimize stopped. */
typedef enum {
    GRL_LBFGS_GTOL = 0,       /* gradient infinity-norm <= gtol (converged)   */
    GRL_LBFGS_FTOL = 1,       /* relative decrease of f <= ftol (converged)   */
    GRL_LBFGS_MAX_ITER = 2,   /* max_iter iterations done (not converged)     */
    GRL_LBFGS_LINESEARCH = 3, /* no step decreased f, even along -grad: at the
                                 limit of floating-point precision, usually
                                 at the minimum (not converged)               */
} grl_lbfgs_stop;

typedef struct {
    int64_t iterations;  /* iterations done                                   */
    int64_t evaluations; /* objective calls, the starting point included      */
    double f;            /* final objective value                            */
    double gnorm;        /* final gradient infinity-norm                      */
    grl_lbfgs_stop stop; /* why it stopped                                    */
} grl_lbfgs_result;

/* Fill *opt with the defaults documented above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_lbfgs_options_init(grl_lbfgs_options *opt);

/* Minimise fun over n variables. Deterministic: the same input gives the
 * same evaluations in the same order.
 *   fun     the objective; not NULL. Called on the calling thread only
 *   ctx     passed to every call of fun unchanged; may be NULL
 *   n       number of variables, 1..2^31-1
 *   x       in: the start (n values); out: the last accepted iterate (the
 *           minimiser when converged), also after a warning or an error
 *           of fun (unchanged if the start already failed); not NULL
 *   opt     tolerances and limits above; NULL for the defaults
 *   result  out: iterations, evaluations, final f and gradient norm, why
 *           it stopped (not written on error); NULL if not wanted
 *   msg     GRL_MSG_LEN bytes for the error or warning message, or NULL
 * Returns 0 when it stopped on gtol or ftol, GRL_NOT_CONVERGED (a warning,
 * msg says why) on max_iter or a failed line search. Errors:
 * GRL_INVALID_ARGUMENT (NULL fun or x, n out of range, m, max_iter or
 * max_linesearch < 1, gtol or ftol negative or NaN, not 0 < c1 < c2 < 1,
 * f or its gradient not finite at the start), GRL_OUT_OF_MEMORY (the
 * (2m + 6) n doubles of work space), or the negative code fun returned,
 * passed through. */
int grl_lbfgs_minimize(grl_objective_fn fun, void *ctx, int64_t n, double *x,
                       const grl_lbfgs_options *opt, grl_lbfgs_result *result,
                       char *msg);

/* ---------------------------------------------------------------------------
 * Logistic regression, L2-regularised, scikit-learn's LogisticRegression(C)
 * convention: the fitted (w, b) minimise
 *     sum_i log(1 + exp(-y_i (w . x_i + b))) + ||w||^2 / (2 C),
 * y_i in {-1, +1}, the intercept b not penalised (solver lbfgs); with
 * penalize_intercept, + b^2 / (2 C) as well (solver liblinear, the default
 * before scikit-learn 0.22, intercept_scaling = 1). The minimiser works on
 * this objective divided by the number of rows (as scikit-learn does), so
 * lbfgs.gtol bounds the gradient of the mean loss and is independent of the
 * training-set size. The start is w = 0, b = 0.
 * ------------------------------------------------------------------------ */
typedef struct {
    double C;                /* inverse regularisation strength, > 0
                                (default 1.0, scikit-learn's)              */
    bool fit_intercept;      /* default true; false fixes b = 0            */
    bool penalize_intercept; /* default false; true: liblinear's objective */
    grl_lbfgs_options lbfgs; /* grl_lbfgs_options_init defaults, except
                                gtol 1e-6 and ftol 64 * DBL_EPSILON        */
} grl_logreg_options;

/* Fill *opt with the defaults documented above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_logreg_options_init(grl_logreg_options *opt);

/* Fit one binary problem. When y holds a single class and the intercept is
 * free (fit_intercept, not penalize_intercept) the minimum does not exist
 * (b runs to infinity): w is set to 0 and *b to -INFINITY (no positives)
 * or +INFINITY (all positive), like scikit-learn's constant predictor, and
 * 0 is returned. Runs on one thread; deterministic.
 *   X       n x d row-major doubles, read only; finite; not NULL
 *   n       rows, 1..2^31-2
 *   d       columns, 1..2^31-2
 *   y       n bytes, nonzero = positive class; not NULL
 *   opt     C, intercept handling, L-BFGS options; NULL for the defaults
 *   w       out: d weights (caller allocated; not NULL)
 *   b       out: the intercept (0 without fit_intercept); not NULL
 *   result  out: the L-BFGS summary; NULL if not wanted
 *   msg     GRL_MSG_LEN bytes for the error or warning message, or NULL
 * Returns 0, or GRL_NOT_CONVERGED (a warning, w and b the last iterate) as
 * grl_lbfgs_minimize does. Errors: GRL_INVALID_ARGUMENT (NULL argument, n
 * or d out of range, C not > 0 and finite, an L-BFGS option out of range,
 * a loss not finite at w = 0: X not finite), GRL_OUT_OF_MEMORY. */
int grl_logreg_fit(const double *X, int64_t n, int64_t d, const uint8_t *y,
                   const grl_logreg_options *opt, double *w, double *b,
                   grl_lbfgs_result *result, char *msg);

/* One-vs-rest: fit each label's column of Y as its own binary problem
 * (grl_logreg_fit), in parallel over labels (results do not depend on the
 * thread count).
 *   X              n x d row-major doubles, as for grl_logreg_fit
 *   n, d           rows and columns, each 1..2^31-2
 *   Y              n x nlabels row-major bytes, nonzero = the row has the
 *                  label; not NULL
 *   nlabels        1..2^31-2
 *   opt            as for grl_logreg_fit; NULL for the defaults
 *   W              out: nlabels x d row-major weights (caller allocated;
 *                  not NULL)
 *   b              out: nlabels intercepts (caller allocated; not NULL)
 *   not_converged  out: the labels whose fit returned GRL_NOT_CONVERGED;
 *                  NULL if not wanted
 *   msg            GRL_MSG_LEN bytes for the error or warning message, or
 *                  NULL
 * Returns 0, or GRL_NOT_CONVERGED (a warning: some labels did not converge,
 * W and b complete). Errors: those of grl_logreg_fit, GRL_INVALID_ARGUMENT
 * (nlabels out of range, NULL W or b), GRL_OUT_OF_MEMORY. A label's error
 * stops the whole fit and is reported for the lowest such label ("label
 * 3: ..."); W and b are then incomplete. */
int grl_logreg_fit_ovr(const double *X, int64_t n, int64_t d,
                       const uint8_t *Y, int64_t nlabels,
                       const grl_logreg_options *opt, double *W, double *b,
                       int64_t *not_converged, char *msg);

/* ---------------------------------------------------------------------------
 * Node labels: for each embedding row, its set of labels 0..nlabels-1
 * (multi-label; single-label data has one per labelled node).
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t nodes;    /* rows covered: the embedding's rows, and under
                         GRL_MISSING_ZERO one more per missing node          */
    int64_t nlabels;  /* labels are 0..nlabels-1                              */
    int64_t *offsets; /* nodes + 1 entries: row i's labels are
                         label[offsets[i] .. offsets[i+1]-1], ascending,
                         distinct; an unlabelled row has none               */
    int64_t *label;
    char **names;     /* nlabels names as the file spelled them, or NULL      */
    int64_t missing;  /* labelled nodes without an embedding row (counted
                         once each; see grl_missing_policy)                 */
} grl_labels;

/* Build labels from (node[k], label[k]) pairs; repeated pairs count once.
 *   labels   out: the new record (release with grl_labels_free), its names
 *            NULL; NULL on error; not NULL itself
 *   nodes    rows covered, >= 0
 *   nlabels  labels, >= 0
 *   node     npairs rows in 0..nodes-1, read only; may be NULL when
 *            npairs = 0
 *   label    npairs labels in 0..nlabels-1, read only; may be NULL when
 *            npairs = 0
 *   npairs   >= 0
 *   msg      GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL labels, a negative count, NULL node or
 * label with npairs > 0, a node or label out of range: msg names the
 * pair), GRL_OUT_OF_MEMORY. */
int grl_labels_from_pairs(grl_labels **labels, int64_t nodes, int64_t nlabels,
                          const int64_t *node, const int64_t *label,
                          int64_t npairs, char *msg);

/* What to do with a labelled node that has no embedding row (an isolated
 * node the graph file never named, say). */
typedef enum {
    GRL_MISSING_ERROR = 0, /* fail with GRL_NOT_FOUND, naming file and line  */
    GRL_MISSING_SKIP,      /* leave it out of the evaluation                */
    GRL_MISSING_ZERO,      /* give it an embedding row of zeros: the labels
                              cover rows 0..rows+missing-1, the missing
                              nodes after the embedding's rows in sorted id
                              order (numeric when all are integers); append
                              that many zero rows to the embedding          */
} grl_missing_policy;

/* The names of the missing-node policies: error, skip, zero.
 *   name   the name to parse (case-insensitive); not NULL
 *   value  out: the policy it names
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * _parse returns 0, or GRL_INVALID_ARGUMENT with msg listing the names;
 * _name returns a policy's name, NULL for a value out of range. */
int grl_missing_policy_parse(const char *name, grl_missing_policy *value,
                             char *msg);
const char *grl_missing_policy_name(grl_missing_policy value);

typedef struct {
    const char *ids_path;       /* the embedding's node id of each row, one
                                   per line (the `.ids` file written beside
                                   an .npy; no comments: '#x' is an id);
                                   NULL (default): row i is the integer
                                   id i                                   */
    grl_missing_policy missing; /* GRL_MISSING_ERROR (default)            */
} grl_labels_options;

/* Fill *opt with the defaults documented above.
 *   opt  out: the options to fill; not NULL */
void grl_labels_options_init(grl_labels_options *opt);

/* Read a text file of `node label` lines (whitespace separated; lines
 * starting with # or % and blank lines skipped; one line per (node, label)
 * pair, so a multi-label node has several lines; repeated pairs count once)
 * for an embedding of `nodes` rows. Node ids are matched to rows through
 * opt->ids_path, or row i is the integer id i. Integer ids match by value
 * ("007" is 7), other ids by exact spelling. Labels are integers or
 * strings, numbered in sorted order (numeric when all are integers); their
 * spellings are kept in names. A labelled node without a row is handled by
 * opt->missing and counted once in (*labels)->missing. Errors name the file
 * and line: a malformed line, or under GRL_MISSING_ERROR a node that is not
 * an embedding row ("labels.txt:17: node 'u42' is not in E.ids"); also an
 * ids file whose count differs from `nodes` or repeats an id.
 *   labels  out: the new record (release with grl_labels_free); NULL on
 *           error; not NULL itself
 *   path    the labels file; not NULL
 *   nodes   the embedding's rows, >= 0
 *   opt     the ids file and the missing-node policy; NULL for the
 *           defaults (no ids file, GRL_MISSING_ERROR)
 *   msg     GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL labels or path, nodes < 0, an unknown
 * policy, an ids file with another count than nodes), GRL_IO_ERROR (a file
 * cannot be opened or read), GRL_PARSE_ERROR (a malformed line, a NUL byte,
 * a repeated id), GRL_NOT_FOUND (under GRL_MISSING_ERROR, a node that is
 * not a row), GRL_OUT_OF_MEMORY. */
int grl_labels_load(grl_labels **labels, const char *path, int64_t nodes,
                    const grl_labels_options *opt, char *msg);

/* Free *labels (its arrays and names too) and set *labels to NULL.
 *   labels  the caller's pointer; labels or *labels NULL: nothing happens */
void grl_labels_free(grl_labels **labels);

/* ---------------------------------------------------------------------------
 * F1 scores of a multi-label prediction
 * ------------------------------------------------------------------------ */

/* Micro- and macro-averaged F1 of y_pred against y_true, both n x nlabels
 * row-major indicator bytes (nonzero = has the label), with scikit-learn's
 * f1_score definitions for indicator input and its default zero_division
 * ("warn", which scores 0): per label F1 = 2 TP / (2 TP + FP + FN), and 0
 * when the label has no true and no predicted positives; macro = the plain
 * mean over all nlabels labels (those zeros included); micro = the same
 * formula on TP, FP, FN summed over labels (0 if all are 0).
 *   y_true, y_pred  n x nlabels row-major bytes each, read only; may be
 *                   NULL when n = 0
 *   n               rows, >= 0 (0: both scores 0)
 *   nlabels         labels, >= 1
 *   micro, macro    out: the scores in [0, 1]; either may be NULL
 *   msg             GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (n < 0, nlabels < 1, a NULL matrix with
 * n > 0). */
int grl_nodeclf_f1_scores(const uint8_t *y_true, const uint8_t *y_pred,
                          int64_t n, int64_t nlabels, double *micro,
                          double *macro, char *msg);

/* ---------------------------------------------------------------------------
 * Node classification (the FastRP paper's protocol, from DeepWalk's): for
 * each repeat r = 0..repeats-1, the labelled rows (ascending) are shuffled
 * by Fisher-Yates with grl_rng stream r of `seed`; the first
 * round(train_fraction * labelled) are the training rows, the rest the test
 * rows. One-vs-rest logistic regression (grl_logreg_fit_ovr with C) is fitted
 * on the training rows; each test row is predicted with its k highest-
 * scoring labels, k = its true label count (ties go to the lower label
 * number); Micro- and Macro-F1 over the test rows as grl_nodeclf_f1_scores. Results
 * are the mean and the population standard deviation (numpy.std, ddof 0)
 * over repeats. Labels never seen in a training set are predicted by a
 * constant score of -infinity (as grl_logreg_fit).
 * ------------------------------------------------------------------------ */
typedef struct {
    double train_fraction; /* in (0, 1), default 0.1                        */
    int64_t repeats;       /* >= 1, default 5                               */
    uint64_t seed;         /* default 1                                     */
    grl_logreg_options logreg; /* grl_logreg_options_init, with C = 0.1 and
                                  penalize_intercept (the reference
                                  evaluation code's liblinear objective)  */
    /* Called on the calling thread after each repeat (done = 1..repeats);
     * NULL (default) for none. */
    void (*progress)(int64_t done, int64_t repeats, void *ctx);
    void *progress_ctx;
} grl_nodeclf_options;

typedef struct {
    double micro_f1, micro_f1_std;
    double macro_f1, macro_f1_std;
    int64_t labelled;      /* rows with at least one label                  */
    int64_t nlabels;
    int64_t train_size, test_size;
    int64_t not_converged; /* label fits, over all repeats, that stopped at
                              max_iter or in a failed line search          */
} grl_nodeclf_result;

/* Fill *opt with the defaults documented above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_nodeclf_options_init(grl_nodeclf_options *opt);

/* Evaluate an embedding against node labels by the protocol above.
 * Bit-identical for any thread count.
 *   E       the embedding, row i = node i, read only: 1..2^31-2 columns,
 *           finite values; not NULL
 *   labels  the labels, read only: labels->nodes = E->rows, at least one
 *           label; not NULL
 *   opt     the protocol's parameters; NULL for the defaults.
 *           opt->progress, if set, is called on the calling thread
 *   res     out: every field, caller allocated; zeroed first; not NULL
 *   msg     GRL_MSG_LEN bytes for the error or warning message, or NULL
 * Returns 0, or GRL_NOT_CONVERGED (a warning, res filled, msg says how
 * many) when some label fits stopped at max_iter or in a failed line
 * search; they are counted in res->not_converged. Errors:
 * GRL_INVALID_ARGUMENT (NULL argument or E->data, labels->nodes != E->rows,
 * columns out of range, train_fraction outside (0, 1), repeats < 1, a value
 * of E not finite, no labels, too few labelled rows for at least one
 * training and one test row, an L-BFGS option out of range),
 * GRL_OUT_OF_MEMORY. */
int grl_nodeclf_evaluate(const grl_dense *E, const grl_labels *labels,
                         const grl_nodeclf_options *opt,
                         grl_nodeclf_result *res, char *msg);

/* ---------------------------------------------------------------------------
 * L-BFGS-B: L-BFGS under bounds l <= x <= u (Byrd, Lu, Nocedal, Zhu, SIAM
 * J. Sci. Comput. 16(5), 1995): each iteration finds the generalized Cauchy
 * point of the compact limited-memory model (B = theta I - W M W') along the
 * projected steepest-descent path, minimises the model over the variables
 * still free there (the direct primal method, truncated at the bounds), and
 * searches along the result for a weak Wolfe step by bracketing and
 * bisection (the reference code uses More-Thuente; pairs with s'y <= 1e-10
 * y'y are not stored). Sequential and deterministic.
 *
 * Memory: (2m + 8) vectors of the problem size plus O(m^2).
 * ------------------------------------------------------------------------ */

/* Minimise fun over the n variables x (start, overwritten with the result)
 * subject to lower[i] <= x[i] <= upper[i].
 *   fun, ctx      the objective, as for grl_lbfgs.
 *   n             variables, 1..2^31-1.
 *   x             in: the start (projected onto the bounds first); out: the
 *                 best point found.
 *   lower, upper  n bounds each, or NULL for none on that side; entries may
 *                 be -INFINITY / +INFINITY; lower[i] == upper[i] fixes x[i].
 *   opt           grl_lbfgs_options (NULL: defaults): m, max_iter, ftol,
 *                 max_linesearch, c1 and c2 (weak Wolfe) as documented
 *                 there; gtol bounds the projected gradient's infinity norm
 *                 max_i |clamp(x_i - g_i, l_i, u_i) - x_i|.
 *   result        may be NULL; gnorm is the projected gradient's norm.
 * Returns 0 (stopped on gtol or ftol), GRL_NOT_CONVERGED (warning: max_iter
 * or no decrease along the model's direction, even after dropping the
 * history), or a negative code: GRL_INVALID_ARGUMENT for a bad argument, a
 * NaN bound or lower > upper (msg names the index), an objective not
 * finite at the projected start; the objective's own error code. */
int grl_lbfgsb_minimize(grl_objective_fn fun, void *ctx, int64_t n, double *x,
                        const double *lower, const double *upper,
                        const grl_lbfgs_options *opt, grl_lbfgs_result *result,
                        char *msg);

#ifdef __cplusplus
}
#endif
#endif
