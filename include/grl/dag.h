/*
 * grl/dag.h — DAG structure learning from an n x d data matrix (rows =
 * samples, columns = variables): the NOTEARS least-squares objective
 *     Q(W) = 1/(2n) ||X - X W||_F^2  (+ lambda1 |W|_1 + lambda2/2 ||W||_F^2)
 * minimised over weighted DAGs W (W[i*d + j] != 0 means i -> j) either by
 * TOPO, a search over topological orders by swaps (Deng, Bello, Aragam,
 * Ravikumar, ICML 2023) whose inner least-squares fit is a Cholesky
 * factorisation of the permuted Gram matrix (with l1 or the logistic loss:
 * a penalised regression of each variable on its predecessors), or by NOTEARS (Zheng et al.,
 * NeurIPS 2018: augmented Lagrangian on h(W) = tr(exp(W o W)) - d, l1
 * through the w+ / w- split solved with grl_lbfgsb_minimize). Plus the
 * reference generators (ER / scale-free DAGs, linear SEMs), the notears
 * count_accuracy metrics, and CSV / DOT output.
 *
 * Matrices are row-major doubles; a d x d weight matrix has W[i*d + j] the
 * weight of the edge i -> j. Deterministic: the same input, options and seed
 * give bit-identical output whatever the thread count.
 *
 * Memory: the data (n x d doubles) and, for TOPO, a few d x d matrices plus
 * one d x d scratch block per thread; NOTEARS holds about 13 d x d matrices
 * for least squares (its loss comes from the Gram matrix X'X / n), n x d
 * residuals for the logistic loss, and L-BFGS-B's 96 d^2 doubles of
 * history and scratch (over the 2 d^2 variables w+, w-).
 */
#ifndef GRL_DAG_H
#define GRL_DAG_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Enumerations named on the command line, with their parse / name pairs.
 * grl_dag_<enum>_parse(name, out, msg):
 *   name  the spelling (case-insensitive, as listed below); NULL refused.
 *   out   out: the value.
 *   msg   cleared; on error a sentence listing the valid names.
 *   Returns 0 or GRL_INVALID_ARGUMENT.
 * grl_dag_<enum>_name(value): its spelling (static), NULL out of range.
 * ------------------------------------------------------------------------ */
typedef enum {
    GRL_DAG_METHOD_TOPO = 0,    /* "topo": swaps of topological orders       */
    GRL_DAG_METHOD_NOTEARS = 1, /* "notears": augmented Lagrangian          */
} grl_dag_method;

typedef enum {
    GRL_DAG_LOSS_L2 = 0,       /* "l2": least squares, columns centred       */
    GRL_DAG_LOSS_LOGISTIC = 1, /* "logistic": binary 0/1 data               */
} grl_dag_loss;

typedef enum {
    GRL_DAG_GRAPH_ER = 0, /* "er": Erdos-Renyi, exactly `edges` edges        */
    GRL_DAG_GRAPH_SF = 1, /* "sf": Barabasi-Albert scale-free, round(edges/d)
                             edges per new node                            */
} grl_dag_graph;

typedef enum {
    GRL_DAG_NOISE_GAUSS = 0,    /* "gauss": N(0, scale^2)                     */
    GRL_DAG_NOISE_EXP = 1,      /* "exp": exponential with mean `scale`        */
    GRL_DAG_NOISE_GUMBEL = 2,   /* "gumbel": Gumbel(0, scale)                  */
    GRL_DAG_NOISE_UNIFORM = 3,  /* "uniform": U(-scale, scale)                 */
    GRL_DAG_NOISE_LOGISTIC = 4, /* "logistic": X_j ~ Bernoulli(sigmoid(X w_j)) */
} grl_dag_noise;

/* Names of the values above (the quoted names in their comments), as for
 * every grl enum: grl_dag_<enum>_parse sets *out from name (case-
 * insensitive); msg GRL_MSG_LEN bytes or NULL. Errors: GRL_INVALID_ARGUMENT
 * (NULL name or out, or an unknown name: msg lists the names).
 * grl_dag_<enum>_name: the name of m, l, g or z (static), NULL for a value
 * out of range. */
int grl_dag_method_parse(const char *name, grl_dag_method *out, char *msg);
const char *grl_dag_method_name(grl_dag_method m);
int grl_dag_loss_parse(const char *name, grl_dag_loss *out, char *msg);
const char *grl_dag_loss_name(grl_dag_loss l);
int grl_dag_graph_parse(const char *name, grl_dag_graph *out, char *msg);
const char *grl_dag_graph_name(grl_dag_graph g);
int grl_dag_noise_parse(const char *name, grl_dag_noise *out, char *msg);
const char *grl_dag_noise_name(grl_dag_noise z);

/* ---------------------------------------------------------------------------
 * Data: a result record (allocated by grl, released by grl_dag_data_free).
 * ------------------------------------------------------------------------ */
typedef struct {
    int64_t n;    /* samples (rows), >= 1                                    */
    int64_t d;    /* variables (columns), >= 1                               */
    double *X;    /* n x d row-major, finite                                 */
    char **names; /* d variable names (the header's, else "x0".."x{d-1}")    */
} grl_dag_data;

/* Read a data matrix.
 *   data  out: the new record (release with grl_dag_data_free; NULL on
 *         error).
 *   path  a .npy file (2-D float32/float64, C order; names x0..) or a text
 *         table: comma-, tab- or whitespace-separated (the separator is the
 *         first of ',' and tab found in the first line, else whitespace),
 *         blank lines and lines starting with # skipped, an optional header
 *         line (taken as one when any field of the first line is not a
 *         number) giving the variable names.
 * Errors: GRL_IO_ERROR (missing / unreadable), GRL_PARSE_ERROR naming
 * file:line for a field that is not a number, NaN or infinity, a row with a
 * different field count (ragged), an empty file; GRL_OUT_OF_MEMORY.
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL */
int grl_dag_data_load(grl_dag_data **data, const char *path, char *msg);

/* Copy an n x d row-major array into a new record (names x0..; the
 * copy is checked: a NaN or infinity is GRL_INVALID_ARGUMENT naming its row
 * and column).
 *   data  out: the new record (release with grl_dag_data_free); NULL on
 *         error; not NULL itself
 *   X     n x d row-major doubles, read only (copied); not NULL
 *   n, d  samples and variables
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL */
int grl_dag_data_from_array(grl_dag_data **data, const double *X, int64_t n,
                            int64_t d, char *msg);

/* Release *data and set it to NULL (NULL-safe). */
void grl_dag_data_free(grl_dag_data **data);

/* ---------------------------------------------------------------------------
 * Simulation, as the notears / TOPO reference generators define it: a
 * random DAG (ER with exactly `edges` edges chosen uniformly among the
 * d(d-1)/2 pairs of a random order; SF by preferential attachment, each new
 * node pointing to round(edges/d) earlier ones with probability proportional
 * to in-degree + 1, then the node labels randomly permuted), weights
 * uniform on [-w_high, -w_low] u [w_low, w_high], then n samples of the
 * linear SEM X_j = X W[:, j] + z_j in topological order.
 * ------------------------------------------------------------------------ */
typedef struct {
    grl_dag_graph graph; /* default GRL_DAG_GRAPH_ER                         */
    grl_dag_noise noise; /* default GRL_DAG_NOISE_GAUSS                      */
    double noise_scale;  /* > 0, default 1                                   */
    double w_low, w_high;/* 0 < w_low <= w_high, default 0.5 and 2           */
    uint64_t seed;       /* default 1; graph, weights and each sample row use
                            their own grl_rng stream                        */
} grl_dag_simulate_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_dag_simulate_options_init(grl_dag_simulate_options *opt);

/* Simulate a weighted DAG and data.
 *   W      out: d x d caller-allocated, the true weights.
 *   X      out: n x d caller-allocated samples, or NULL for the graph only.
 *   d      variables, 1..100000.
 *   edges  ER: exactly this many, 0..d(d-1)/2; SF: the expected count
 *          (round(edges/d) per node, at least 1 when edges > 0).
 *   n      samples (ignored when X is NULL), >= 0.
 *   opt    NULL for the defaults.
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT for a value out of range. */
int grl_dag_simulate(double *W, double *X, int64_t d, int64_t edges,
                     int64_t n, const grl_dag_simulate_options *opt,
                     char *msg);

/* ---------------------------------------------------------------------------
 * Metrics with the semantics of notears' utils.count_accuracy (directed
 * estimate): an estimated edge is the nonzero |W_est| >= threshold.
 *   fdr = (reversed + false positive) / max(predicted, 1)
 *   tpr = true positive / max(true edges, 1)
 *   fpr = (reversed + false positive) / max(d(d-1)/2 - true edges, 1)
 *   shd = extra + missing skeleton edges + reversed
 *   nnz = predicted edges
 * ------------------------------------------------------------------------ */
typedef struct {
    double fdr, tpr, fpr;
    int64_t shd, nnz;
    int64_t true_positive, reversed, false_positive, missing, extra;
    bool est_is_dag; /* notears' count_accuracy refuses a cyclic estimate;
                        grl reports the figures and this flag            */
} grl_dag_metrics;

/* Compare W_est (d x d) with the truth B_true (d x d, nonzero = edge).
 *   m          out.
 *   threshold  >= 0: |W_est| below it counts as no edge (0 keeps nonzeros).
 *   msg        GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL, d < 1, a NaN in W_est, a diagonal
 * entry or a cycle in B_true). */
int grl_dag_metrics_compute(grl_dag_metrics *m, const double *W_est,
                            const double *B_true, int64_t d, double threshold,
                            char *msg);

/* ---------------------------------------------------------------------------
 * Learning
 * ------------------------------------------------------------------------ */
typedef struct {
    grl_dag_method method; /* default GRL_DAG_METHOD_TOPO                    */
    grl_dag_loss loss;     /* default GRL_DAG_LOSS_L2                        */
    double lambda1;        /* l1 weight >= 0 (default 0); TOPO with l1 or
                              the logistic loss regresses each variable on
                              its predecessors by L-BFGS-B instead of the
                              Cholesky fit of least squares                 */
    double lambda2;        /* l2 (ridge) weight >= 0, default 0            */
    double threshold;      /* output |W| < threshold set to 0, default 0.3  */
    bool refit;            /* l2 loss (default true): refit each variable
                              by least squares on its weights >= threshold/2,
                              then drop the smallest fitted weight below
                              threshold and refit, one at a time, until none
                              is below. A search order fitted on all its
                              predecessors gives a non-parent a weight of
                              large variance when the variable's descendants
                              are among the predecessors too, and can push a
                              true parent's below threshold; the refit on a
                              small parent set removes both               */
    bool standardize;      /* l2 loss: divide each column by its standard
                              deviation first (default false); W is then in
                              standard units                                */
    int64_t restarts;      /* orders tried, >= 1 (default 1): the warm start
                              (init_order, else a random order) and then
                              restarts - 1 random orders; the best score wins */
    int64_t size_small;    /* candidate swaps tried first; 0 (default): the
                              reference's min(1.5 d, sqrt(d)(d-1)log10 d)    */
    int64_t size_large;    /* tried when the small set fails; 0 (default):
                              max(1.5 d, min(sqrt(d)(d-1)log10 d, d(d-1)/2)) */
    bool full_search;      /* default true: when the large set fails, try all
                              d(d-1)/2 swaps, so the search ends at an order
                              no single swap improves                       */
    int64_t max_iter;      /* outer iterations (TOPO) / dual steps (NOTEARS)
                              per run; 0 (default) for 10000 / 100          */
    const int64_t *init_order; /* d distinct variables 0..d-1, first = root
                                  side; NULL (default) for a random order    */
    bool warm_start_notears;   /* TOPO: start from the order of NOTEARS'
                                  estimate (default false)                  */
    /* NOTEARS */
    double h_tol;          /* stop when h(W) <= h_tol (default 1e-8)        */
    double rho_max;        /* stop when rho > rho_max (default 1e16)        */
    uint64_t seed;         /* random orders of TOPO (default 1)             */
} grl_dag_options;

/* Fill *opt with the defaults above.
 *   opt  the caller's struct; NULL: nothing happens */
void grl_dag_options_init(grl_dag_options *opt);

typedef struct {
    double score;         /* Q (with its penalties) of the returned W        */
    double search_score;  /* Q of the method's own estimate before
                             thresholding (TOPO: the best order's fit on all
                             predecessors)                                 */
    double h;             /* h(W) of the unthresholded estimate (0 for TOPO) */
    int64_t iterations;   /* outer iterations over all runs                 */
    int64_t candidates;   /* swaps scored (TOPO)                            */
    int64_t best_restart; /* which TOPO run won                             */
} grl_dag_info;

/* Learn a DAG.
 *   W      out: d x d caller-allocated, the thresholded estimate.
 *   order  out: d caller-allocated (may be NULL), a topological order of the
 *          unthresholded estimate, roots first.
 *   data   the samples; n >= 2; for least squares every column must vary
 *          and, without lambda2, n > d (the Gram matrix must be invertible).
 *   opt    NULL for the defaults.
 *   info   out (may be NULL).
 *   msg    GRL_MSG_LEN bytes for the error or warning message, or NULL
 * Returns 0, GRL_NOT_CONVERGED (warning: NOTEARS stopped at max_iter with h
 * above h_tol; W is its last iterate), or an error: GRL_INVALID_ARGUMENT
 * for an option out of range, a constant column (named), too few samples,
 * a singular Gram matrix (names the column), non-binary data for the
 * logistic loss. */
int grl_dag_learn(double *W, int64_t *order, const grl_dag_data *data,
                  const grl_dag_options *opt, grl_dag_info *info, char *msg);

/* The score of a given W.
 *   score  out: Q(W) = loss + lambda1 |W|_1 + lambda2/2 ||W||_F^2, the l2
 *          loss 1/(2n) ||Xc - Xc W||_F^2 on the centred columns Xc, the
 *          logistic loss 1/n sum(log(1 + e^M) - X o M), M = X W.
 *   data   the samples (n x d).
 *   W      d x d weights (d = data->d).
 *   opt    loss, lambda1, lambda2 (NULL: l2, no penalty).
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL, a score that overflows double
 * precision), GRL_OUT_OF_MEMORY. */
int grl_dag_score(double *score, const grl_dag_data *data, const double *W,
                  const grl_dag_options *opt, char *msg);

/* ---------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------ */

/* Write W as CSV.
 *   path   the file, created or truncated.
 *   W      d x d, d >= 1.
 *   names  d names for the header line (NULL: x0..x{d-1}), lent.
 *   msg    GRL_MSG_LEN bytes for the error message, or NULL
 * Then d rows of d values (%.17g, so grl_dag_data_load reads them back
 * exactly). Errors: GRL_IO_ERROR naming the path (cannot create, write
 * failed), GRL_INVALID_ARGUMENT (NULL, d < 1). */
int grl_dag_save_csv(const char *path, const double *W, int64_t d,
                     char *const *names, char *msg);

/* Write a data matrix as CSV: a header of data->names, then n rows of d
 * values (%.17g).
 *   path  the file, created or truncated
 *   data  the record, read only
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors as grl_dag_save_csv. */
int grl_dag_data_save_csv(const char *path, const grl_dag_data *data, char *msg);

/* Write W as a Graphviz digraph (render with `dot -Tsvg`).
 *   path, W, d, names  as grl_dag_save_csv (names are quoted, with quotes
 *                      and backslashes escaped by a backslash).
 *   msg                GRL_MSG_LEN bytes for the error message, or NULL
 * One node per variable, one edge i -> j per nonzero W[i*d + j] with label
 * = weight (%.3g), dashed when negative. Errors as grl_dag_save_csv. */
int grl_dag_save_dot(const char *path, const double *W, int64_t d,
                     char *const *names, char *msg);

#ifdef __cplusplus
}
#endif
#endif
