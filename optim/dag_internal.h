/* dag_internal.h — private pieces of the DAG learners (optim/dag_*.c). */
#ifndef GRL_DAG_INTERNAL_H
#define GRL_DAG_INTERNAL_H

#include "grl_internal.h"
#include "grl/dag.h"
#include "grl/optim.h"

/* The least-squares view of the data: the Gram matrix of the centred
 * columns divided by n, plus lambda2 on its diagonal (dag_gram.c). */
typedef struct {
    int64_t d;
    double *G;       /* d x d, symmetric                              */
    double lambda2;
} grl_dag_gram;

/* Build the Gram matrix; a constant column or n < 2 is an error naming the
 * column (names may be NULL). */
int grl_dag_gram_build(grl_dag_gram *g, const grl_dag_data *data,
                       double lambda2, char *msg);
void grl_dag_gram_free(grl_dag_gram *g);

/* Cholesky factor L (d x d, lower, row-major) of G permuted by order
 * (position k holds variable order[k]). Returns 0, or the 1-based position
 * whose pivot was not positive (G singular there). */
int grl_dag_chol_order(double *L, const grl_dag_gram *g, const int64_t *order);

/* Linv = L^-1 (both d x d lower row-major; LAPACK dtrtri). */
void grl_dag_chol_inverse(double *Linv, const double *L, int64_t d);

/* The least-squares weights of an order from its factor L and Linv = L^-1:
 * W (d x d, in variable coordinates) with column order[k] the regression of
 * that variable on order[0..k-1]; W = I - L^-T diag(L) permuted. */
void grl_dag_weights_from_chol(double *W, const double *L, const double *Linv,
                               const int64_t *order, int64_t d);

/* The score 1/2 sum_k (L_kk^2 - lambda2) of a factor. */
double grl_dag_chol_score(const double *L, int64_t d, double lambda2);

/* The change of the score when the variables at positions p < q of the
 * order are swapped, from the factor L and its inverse Linv (both d x d
 * lower row-major), in O((q-p)^2) with rank-one update / downdate; work
 * holds at least 3 (q-p+1)^2 doubles. */
double grl_dag_swap_delta(const double *L, const double *Linv, int64_t d,
                          int64_t p, int64_t q, double *work);

/* The same change by factoring the whole swapped order again (the oracle
 * of the tests); NAN if out of memory or not positive definite. */
double grl_dag_swap_delta_refit(const grl_dag_gram *g, const int64_t *order,
                                int64_t p, int64_t q);

/* The least-squares score of an order refitted from the raw centred data
 * (least squares on X with LAPACK dgels per variable): the naive inner fit
 * the Gram formulation replaces (bench only). Xc: n x d centred. */
int grl_dag_score_order_raw(double *score, const double *Xc, int64_t n,
                            int64_t d, const int64_t *order, int64_t from,
                            int64_t to, char *msg);

/* Replace each column of W by the least-squares fit on its entries with
 * |w| >= threshold / 2, then drop the smallest fitted weight below threshold
 * and refit, one at a time, until none is below (the support never grows,
 * so a DAG stays a DAG). */
int grl_dag_refit_support(double *W, const grl_dag_gram *g, double threshold,
                          char *msg);

/* Centre the columns of X (n x d) into Xc. */
void grl_dag_centre(double *Xc, const double *X, int64_t n, int64_t d);

/* TOPO's inner fit for the logistic loss and for l1 (dag_nodefit.c). */
typedef struct {
    grl_dag_loss loss;
    double lambda1, lambda2;
    const grl_dag_gram *g; /* l2: the Gram matrix (lambda2 on its diagonal) */
    const double *X;       /* logistic: the raw 0/1 data, n x d            */
    int64_t n, d;
} grl_dag_nodefit;

/* Regress variable j on the k variables P: w (k values) minimises
 * loss_j(w) + lambda1 |w|_1 + lambda2/2 |w|^2, *value its minimum; the
 * solver starts from w as given when warm, else from 0. work: 6 k doubles
 * (at least 1). Returns 0 or an error of L-BFGS-B. */
int grl_dag_nodefit_solve(double *value, double *w, const grl_dag_nodefit *fit,
                          int64_t j, const int64_t *P, int64_t k, bool warm,
                          double *work, char *msg);

/* TOPO (dag_topo.c): the best order over the runs into order and the
 * unthresholded weights into W. naive_refit: score candidates by
 * grl_dag_score_order_raw (bench). */
typedef struct {
    int64_t iterations, candidates, best_restart;
    double score;
    double scoring_seconds; /* wall time spent scoring candidate swaps */
} grl_dag_topo_stats;
int grl_dag_topo(double *W, int64_t *order, const grl_dag_data *data,
                 const grl_dag_options *opt, const int64_t *warm_order,
                 bool naive_refit, grl_dag_topo_stats *stats, char *msg);

/* NOTEARS (dag_notears.c): the unthresholded estimate into W, stopping
 * after cpu_seconds of its thread's CPU time (INFINITY: no limit) with the
 * last completed dual step's estimate. Returns 0, GRL_NOT_CONVERGED (h
 * above h_tol, or the limit: state->timed_out) or an error. */
typedef struct {
    double h, rho;          /* at the returned W                          */
    int64_t dual_steps;     /* completed                                  */
    bool timed_out;
} grl_dag_notears_state;
int grl_dag_notears(double *W, const grl_dag_data *data,
                    const grl_dag_options *opt, double cpu_seconds,
                    grl_dag_notears_state *state, char *msg);

/* grl_dag_learn with NOTEARS (also as TOPO's warm start) limited to
 * cpu_seconds of CPU time (bench_dag's cap); grl_dag_learn is this with
 * INFINITY. */
int grl_dag_learn_limited(double *W, int64_t *order, const grl_dag_data *data,
                          const grl_dag_options *opt, double cpu_seconds,
                          grl_dag_info *info, char *msg);

/* h(W) = tr(e^{W o W}) - d and (grad not NULL) its gradient
 * 2 (e^{W o W})' o W; work: GRL_DAG_H_WORK(d) doubles. */
#define GRL_DAG_H_WORK(d) (9 * (d) * (d) + (d))
double grl_dag_h_expm(const double *W, int64_t d, double *grad, double *work);

/* The least-squares loss 1/(2n) ||Xc - Xc W||_F^2 = 1/2 <I - W, S (I - W)>
 * from S = Xc'Xc / n (d x d, symmetric; the lower triangle is read), and
 * its gradient G = -S (I - W) (d x d, not NULL); work: d^2 doubles. */
double grl_dag_l2_loss_gram(const double *S, const double *W, int64_t d,
                            double *G, double *work);

/* A topological order of the nonzeros of W (Kahn's algorithm, smallest
 * index first); false when W has a cycle (order then partial). */
bool grl_dag_topological_order(int64_t *order, const double *W, int64_t d);

/* Whether column j of an n x d matrix holds only 0 and 1. */
bool grl_dag_column_binary(const double *X, int64_t n, int64_t d, int64_t j);

/* Validate an order: d distinct values in 0..d-1. */
int grl_dag_check_order(const int64_t *order, int64_t d, char *msg);

#endif
