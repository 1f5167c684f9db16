/* nn.h — the learning substrate inside gnn/ (not installed): float32
 * row-major dense maths over OpenBLAS, layers with hand-written backward
 * passes, a flat parameter store, optimisers and the training loop. Every
 * learned model in gnn/ (ADPA here; fixed-point GNNs and NCN later) is a
 * grl_nn_model: a parameter store plus forward and backward over a batch of
 * node rows.
 *
 * Determinism: every reduction over rows is summed in fixed blocks of
 * GRL_NN_BLOCK rows, combined in block order, so 1 and 2 threads give the
 * same bits; OpenBLAS is only called on one block at a time from inside an
 * OpenMP loop (it then runs single-threaded). Dropout masks are a pure
 * function of (seed, epoch, layer, node row).
 *
 * Shapes: X is n x in, W is in x out, b is out, Y is n x out, all row-major.
 */
#ifndef GRL_GNN_NN_H
#define GRL_GNN_NN_H

#include "grl_internal.h"
#include "grl/gnn.h"

#define GRL_NN_BLOCK 64
/* Below this many multiply-adds a loop runs on the calling thread: an
 * OpenMP team's start and barrier cost more than the work (and spin on a
 * loaded machine). Results do not depend on it. */
#define GRL_NN_PARALLEL_WORK ((int64_t)1 << 23)

/* ---- dense maths ------------------------------------------------------- */

/* C = A B (A m x k, B k x n), or with transB B is stored n x k and C = A Bᵀ;
 * beta 0 overwrites C, 1 adds to it. Rows of C in parallel blocks. */
void grl_nn_gemm(float *C, const float *A, const float *B, int64_t m,
                 int64_t k, int64_t n, bool transB, float beta);

/* G += Aᵀ B (A m x k, B m x n, G k x n): the sum over the m rows is taken in
 * blocks of GRL_NN_BLOCK rows added in block order, through `scratch` of
 * grl_nn_gemm_tn_scratch(m, k, n) floats (0: may be NULL). */
void grl_nn_gemm_tn(float *G, const float *A, const float *B, int64_t m,
                    int64_t k, int64_t n, float *scratch);
size_t grl_nn_gemm_tn_scratch(int64_t m, int64_t k, int64_t n);

/* g[c] += sum over rows of Y[r, c] (Y m x n), summed in row order. */
void grl_nn_colsum(float *g, const float *Y, int64_t m, int64_t n);

/* ---- layers ------------------------------------------------------------ */

/* Y = X W + b (b may be NULL). */
void grl_nn_linear_forward(float *Y, const float *X, const float *W,
                           const float *b, int64_t n, int64_t in, int64_t out);
/* Given dY: dW += Xᵀ dY, db += column sums of dY (db may be NULL), dX =
 * dY Wᵀ (dX may be NULL: not needed); scratch as grl_nn_gemm_tn(n, in,
 * out). */
void grl_nn_linear_backward(float *dX, float *dW, float *db, const float *X,
                            const float *W, const float *dY, int64_t n,
                            int64_t in, int64_t out, float *scratch);

typedef enum {
    GRL_NN_RELU = 0,
    GRL_NN_ELU,     /* alpha = 1 */
    GRL_NN_SILU,    /* x sigmoid(x) */
    GRL_NN_SIGMOID,
    GRL_NN_TANH,
    GRL_NN_IDENTITY,
} grl_nn_activation;

/* Y = f(X) elementwise (Y may alias X). */
void grl_nn_activation_forward(grl_nn_activation f, float *Y, const float *X,
                               int64_t count);
/* dX = f'(X) dY, from the input X and the output Y of the forward pass (dX
 * may alias dY). */
void grl_nn_activation_backward(grl_nn_activation f, float *dX,
                                const float *X, const float *Y,
                                const float *dY, int64_t count);

/* Inverted dropout, in place on X (n x d): entry (i, c) is zeroed with
 * probability p and the others scaled by 1 / (1 - p). Row i's mask comes
 * from the RNG stream of node rows[i] under a seed mixed from (seed, epoch,
 * layer), so forward and backward (apply the same call to dY) agree and no
 * mask is stored. p = 0 does nothing; 0 <= p < 1. */
void grl_nn_dropout(float *X, const int64_t *rows, int64_t n, int64_t d,
                    double p, uint64_t seed, uint64_t epoch, uint64_t layer);

/* P = row softmax of Z (n x k), in place allowed; max-shifted. */
void grl_nn_softmax_rows(float *P, const float *Z, int64_t n, int64_t k);

/* dZ = P (dP - rowsum(dP P)) elementwise: the backward of
 * grl_nn_softmax_rows given its output P (dZ may alias dP). */
void grl_nn_softmax_rows_backward(float *dZ, const float *P, const float *dP,
                                  int64_t n, int64_t k);

/* Mean softmax cross-entropy of logits Z (n x k) against classes y (n
 * values in 0..k-1), summed in double in row order; dZ (may be NULL) gets
 * its gradient (softmax - onehot) / n. */
double grl_nn_softmax_xent(float *dZ, const float *Z, const int64_t *y,
                           int64_t n, int64_t k);

/* Mean squared error over count values, mean over all entries; dY (may be
 * NULL) gets 2 (Y - T) / count. */
double grl_nn_mse(float *dY, const float *Y, const float *T, int64_t count);

/* Number of rows whose largest logit (first on ties) is y[i]. */
int64_t grl_nn_correct(const float *Z, const int64_t *y, int64_t n, int64_t k);

/* ---- parameters -------------------------------------------------------- */

#define GRL_NN_MAX_TENSORS 64

typedef struct {
    int64_t rows, cols; /* a vector is 1 x cols */
    size_t offset;      /* into value / grad    */
} grl_nn_tensor;

/* Every parameter of a model in one array (so optimisers, snapshots and
 * model files treat them alike), with its gradient. */
typedef struct {
    int ntensors;
    grl_nn_tensor t[GRL_NN_MAX_TENSORS];
    size_t count;
    float *value, *grad;
} grl_nn_params;

/* Register a rows x cols tensor (before grl_nn_params_alloc); returns its
 * index, or -1 when GRL_NN_MAX_TENSORS are taken. */
int grl_nn_params_add(grl_nn_params *P, int64_t rows, int64_t cols);
/* The most parameters a model may have: 2^27, 2 GiB with their gradients
 * and Adam's two moments. A larger model is a width typed by mistake (IGNN
 * with hidden 65536 asked for 16 GiB of W before anything else). */
#define GRL_NN_MAX_PARAMS ((size_t)1 << 27)
/* Allocate value and grad (zeroed). Errors: more than GRL_NN_MAX_PARAMS
 * parameters. */
int grl_nn_params_alloc(grl_nn_params *P, char *msg);
void grl_nn_params_release(grl_nn_params *P);
static inline float *grl_nn_value(const grl_nn_params *P, int t)
{
    return P->value + P->t[t].offset;
}
static inline float *grl_nn_grad(const grl_nn_params *P, int t)
{
    return P->grad + P->t[t].offset;
}
/* Fill tensor t uniformly in [-bound, bound] from the RNG stream t of seed
 * (PyTorch's nn.Linear default is bound = 1 / sqrt(fan_in)). */
void grl_nn_params_uniform(grl_nn_params *P, int t, double bound,
                           uint64_t seed);
/* Fill tensor t with a constant. */
void grl_nn_params_fill(grl_nn_params *P, int t, float value);

/* ---- optimisers -------------------------------------------------------- */

typedef struct {
    grl_optimizer_options opt;
    int64_t step;        /* steps taken */
    int64_t total_steps; /* of the run, for the cosine schedule (0: none) */
    float *m, *v;   /* first and second moments (Adam) or velocity (SGD) */
} grl_nn_optimizer;

int grl_nn_optimizer_init(grl_nn_optimizer *o, const grl_optimizer_options *opt,
                          size_t count, char *msg);
/* The learning rate of the next step: opt.lr, or with opt.cosine
 * lr_min + (lr - lr_min) (1 + cos(pi step / total_steps)) / 2. */
double grl_nn_optimizer_lr(const grl_nn_optimizer *o);
/* One step on P from P->grad. */
void grl_nn_optimizer_step(grl_nn_optimizer *o, grl_nn_params *P);
void grl_nn_optimizer_release(grl_nn_optimizer *o);

/* ---- models and training ----------------------------------------------- */

/* A model over node rows: forward writes logits (n x nclasses) for rows
 * (node indices), keeping what backward needs; backward adds the gradient
 * of the loss to params.grad given dlogits for the rows of the last
 * forward. `training` turns dropout on, keyed by epoch. */
typedef struct grl_nn_model {
    grl_nn_params *params;
    int64_t nclasses;
    int (*forward)(struct grl_nn_model *m, const int64_t *rows, int64_t n,
                   bool training, uint64_t epoch, float *logits, char *msg);
    int (*backward)(struct grl_nn_model *m, const float *dlogits, char *msg);
} grl_nn_model;

/* Train m on split `split` of S with labels L (the loop of gnn.h's
 * grl_gnn_train_options), restoring the best parameters on validation. */
int grl_nn_train(grl_nn_model *m, const grl_node_labels *L,
                 const grl_node_splits *S, int64_t split,
                 const grl_gnn_train_options *opt, grl_gnn_train_result *res,
                 char *msg);

/* The fixed-epoch mode (the refit): train m on the union of split
 * `split`'s training and validation rows (ascending) for exactly
 * opt->epochs epochs, no validation, no early stopping (patience and
 * select_epoch unused), keeping the last parameters; batches, dropout and
 * the cosine schedule as grl_nn_train's over those rows. res (may be NULL):
 * epochs_run = best_epoch = opt->epochs, the last epoch's training
 * accuracy, val_accuracy and val_loss NAN, test_accuracy on the split's
 * test rows (NAN without any). With no validation row it takes the same
 * steps as grl_nn_train and ends on the parameters of epoch opt->epochs. */
int grl_nn_train_fixed(grl_nn_model *m, const grl_node_labels *L,
                       const grl_node_splits *S, int64_t split,
                       const grl_gnn_train_options *opt, grl_gnn_train_result *res,
                       char *msg);

/* Rows per forward when grl_nn_train evaluates validation and test rows:
 * its training batch (opt->batch_size, or all ntrain rows), at least 4096. */
int64_t grl_nn_eval_batch(const grl_gnn_train_options *opt, int64_t ntrain);

/* Logits for rows in batches of `batch` rows (no dropout). */
int grl_nn_predict(grl_nn_model *m, const int64_t *rows, int64_t n,
                   int64_t batch, float *logits, char *msg);

/* Mean and population standard deviation of x[0 .. n-1] (n >= 1), summed
 * in order: the figures an evaluation over splits reports. */
void grl_nn_mean_std(const double *x, int64_t n, double *mean, double *std);

/* The rows of split `split` with role `role`, ascending, that have a label
 * (allocated; *count may be 0). */
int grl_nn_split_rows(int64_t **rows, int64_t *count, const grl_node_splits *S,
                      const grl_node_labels *L, int64_t split,
                      grl_split_role role, char *msg);

/* What to do about a training loss that is not finite (gnn/train.c): at
 * the first step the parameters are still the initial ones, so the inputs
 * are too large, whatever the learning rate; later, lower the learning
 * rate. */
const char *grl_nn_divergence_advice(bool first_step);

/* ---- ensembles (gnn/ensemble.c) ---------------------------------------- */

/* The training seed of member j of an ensemble whose run seed is `seed`
 * (before a split is added): seed for member 0 (so one member is the single
 * model), else the first grl_rng_u64 of stream j keyed by seed. */
uint64_t grl_nn_member_seed(uint64_t seed, int64_t member);
/* Add to sum (L->nodes x nclasses) the class probabilities the trained m
 * (its inputs in place) gives the labelled rows of split `split` with role
 * `role` (the batch size is the training rows'): the softmax, in double, of the logits of a forward batched
 * as grl_nn_train's evaluation (opt's batch size), so one member's argmax
 * is the class its training scored. Errors: a non-finite class score. */
int grl_nn_add_probabilities(grl_nn_model *m, const grl_node_labels *L,
                             const grl_node_splits *S, int64_t split,
                             grl_split_role role, const grl_gnn_train_options *opt,
                             double *sum, char *msg);
/* Accuracy over the labelled rows of split `split` with role `role` of the
 * class probabilities proba (L->nodes x L->nclasses; the largest, first
 * on ties); NAN without such rows. */
double grl_nn_split_accuracy(const double *proba, const grl_node_labels *L,
                             const grl_node_splits *S, int64_t split,
                             grl_split_role role);
/* Finish split `split` of an ensemble of `members` models whose
 * probabilities were summed into sum (L->nodes x nclasses): sum becomes
 * their mean, *val and *test its accuracies, and its test rows are copied
 * into proba (same shape). Errors: no labelled test row (named row_noun:
 * "node", "graph"). */
int grl_nn_ensemble_finish(double *sum, int64_t members, const grl_node_labels *L,
                           const grl_node_splits *S, int64_t split,
                           const char *row_noun, double *proba, double *val,
                           double *test, char *msg);
/* After a split's ensemble scored `val` on validation: add val to
 * *val_sum and, when it beats *best_val (which becomes val), swap *top and
 * *first, so the split's first member is kept as the best split's model.
 * The caller frees *first afterwards: the previous best, or this split's
 * first member when it is not the best.
 *   val       the split's validation accuracy (grl_nn_ensemble_finish)
 *   best_val  in/out: the best validation accuracy so far (-1 before any)
 *   val_sum   in/out: the sum of the splits' validation accuracies
 *   top       in/out: the best split's first member (any model type)
 *   first     in/out: this split's first member */
void grl_nn_keep_best_split(double val, double *best_val, double *val_sum,
                            void **top, void **first);

#endif
