/* ncn_internal.h — NCN's pieces shared inside gnn/ (the maths is in
 * include/grl/ncn.h): the graph as a symmetric CSR with edge ids, the MLP
 * layer, the sparse input layer and the propagation, the model and its
 * forward and backward passes over node and pair tensors. */
#ifndef GRL_GNN_NCN_INTERNAL_H
#define GRL_GNN_NCN_INTERNAL_H

#include "nn.h"
#include "grl/ncn.h"

/* ---- the graph ----------------------------------------------------------- */

/* A symmetric adjacency without self-loops: row i = p[i] .. p[i+1]-1 of j,
 * ascending; e[a] (when not NULL) is the undirected edge id of arc a, and
 * edge k joins eu[k] < ev[k] (when owned). */
typedef struct {
    int64_t n, m;         /* nodes, undirected edges */
    int64_t *p, *j, *e;
    int64_t *eu, *ev;
} ncn_adj;

/* The symmetric structure of G. */
int ncn_adj_build(ncn_adj *A, grl_graph *G, char *msg);
void ncn_adj_free(ncn_adj *A);
/* out = A without the edges k where drop[k] != 0 (out->p and out->j are
 * allocated once, with A's sizes, and reused: pass the same out again). */
int ncn_adj_filter(ncn_adj *out, const ncn_adj *A, const uint8_t *drop,
                   char *msg);

/* Per pair k, a weighted list of nodes whose x rows are summed: entries
 * off[k] .. off[k+1]-1 of node and w. The common neighbours have weight 1
 * and other -1; with completion the one-sided neighbours follow, with
 * weight 0 until the caller fills in the probability of the edge
 * (other[q], node[q]). Buffers grow and are reused. */
typedef struct {
    int64_t npairs, count;
    int64_t *off, *node, *other;
    float *w;
    int64_t off_cap, cap;
} ncn_lists;

int ncn_lists_build(ncn_lists *L, const ncn_adj *A, const int64_t *u,
                    const int64_t *v, int64_t npairs, bool completion,
                    char *msg);
void ncn_lists_free(ncn_lists *L);

/* ---- layers -------------------------------------------------------------- */

/* One MLP layer: Y = relu(dropout([LayerNorm] (X W + b))) over n rows. */
typedef struct {
    int W, b, g, beta; /* parameter tensors; g = beta = -1 without LayerNorm */
    int64_t in, out;
    uint64_t id;       /* dropout stream */
} ncn_layer;

/* A layer's buffers for one batch (n rows). */
typedef struct {
    const float *X;    /* the input, borrowed */
    float *pre, *nrm, *Y;
    float *mu, *rstd;  /* LayerNorm's row statistics */
    float *gs;         /* grl_nn_gemm_tn's scratch */
    int64_t n, cap;
} ncn_layer_buf;

int ncn_layer_add(ncn_layer *L, grl_nn_params *P, int64_t in, int64_t out,
                  bool layernorm, uint64_t id);
void ncn_layer_init(const ncn_layer *L, grl_nn_params *P, uint64_t seed);
/* Dropout p keyed by (seed, step, L->id); rows index the rows' streams. */
typedef struct {
    double p;
    uint64_t seed, step;
    const int64_t *rows;
} ncn_dropout;
int ncn_layer_forward(const ncn_layer *L, const grl_nn_params *P,
                      ncn_layer_buf *B, const float *X, int64_t n,
                      const ncn_dropout *D, char *msg);
/* Adds to P->grad; dY is overwritten (scratch); dX (n x in) may be NULL. */
void ncn_layer_backward(const ncn_layer *L, grl_nn_params *P,
                        ncn_layer_buf *B, float *dY, float *dX,
                        const ncn_dropout *D);
void ncn_layer_buf_free(ncn_layer_buf *B);

/* LayerNorm over rows (eps 1e-5): Y = (X - mu) rstd g + beta. */
void ncn_layernorm_forward(float *Y, float *mu, float *rstd, const float *X,
                           const float *g, const float *beta, int64_t n,
                           int64_t d);
/* dY becomes dX (in place); dg and dbeta accumulate (in row order); tmp is
 * n x d. */
void ncn_layernorm_backward(float *dY, float *dg, float *dbeta,
                            const float *X, const float *mu,
                            const float *rstd, const float *g, int64_t n,
                            int64_t d, float *tmp);

/* Node features as sparse rows and columns (the nonzeros of X). */
typedef struct {
    int64_t n, f, nnz;
    int64_t *rp, *rc;  /* by rows: rp (n+1), column of each nonzero */
    float *rv;
    int64_t *cp, *cr;  /* by columns: cp (f+1), row of each nonzero */
    float *cv;
} ncn_features;

int ncn_features_build(ncn_features *F, const grl_dense *X, char *msg);
void ncn_features_free(ncn_features *F);
/* Y = dropout(X) W + b (Y n x d, W f x d); the mask of entry (i, c) is a
 * hash of (seed, step, i, c). */
void ncn_sparse_forward(float *Y, const ncn_features *F, const float *W,
                        const float *b, int64_t d, double p, uint64_t seed,
                        uint64_t step);
/* dW += dropout(X)ᵀ dY, by columns of X (each row of dW summed in row
 * order); db += column sums of dY. */
void ncn_sparse_backward(float *dW, float *db, const ncn_features *F,
                         const float *dY, int64_t d, double p, uint64_t seed,
                         uint64_t step);

/* The propagation Y = P̂ X (X, Y n x d, distinct) of the encoder on A. */
void ncn_propagate(float *Y, const ncn_adj *A, grl_ncn_encoder enc,
                   const float *X, int64_t d);
/* dX = P̂ᵀ dY (distinct). */
void ncn_propagate_backward(float *dX, const ncn_adj *A, grl_ncn_encoder enc,
                            const float *dY, int64_t d);

/* ---- the model ------------------------------------------------------------ */

enum { NCN_XLIN1, NCN_XLIN2, NCN_CN1, NCN_CN2, NCN_IJ1, NCN_OUT1, NCN_LAYERS };

struct grl_ncn {
    grl_ncn_options opt;       /* progress pointers cleared */
    int64_t f, d;
    grl_nn_params enc, pred;   /* encoder: W0, b0; predictor: the rest */
    int W0, b0;
    ncn_layer layer[NCN_LAYERS];
    int Wout, bout, beta;
};

int ncn_new(grl_ncn **M, const grl_ncn_options *opt, int64_t f, char *msg);
/* Check options (hidden, dropouts, rates, sizes). */
int ncn_check_options(const grl_ncn_options *opt, char *msg);

/* Node tensors of one forward pass. */
typedef struct {
    int64_t n, d;
    float *H0, *h, *x;        /* X W0 + b0 (after dropout), h, x = h + MLP_x */
    ncn_layer_buf lb[2];      /* MLP_x's layers */
    /* NCNC only: the node representations of completion's NCN scores. The
     * reference hands its x to that inner NCN, which takes it for h and
     * applies MLP_x again: its h is x, its x is xc = x + MLP_x(x). */
    float *xc;
    ncn_layer_buf lbc[2];
    float *dh, *dx, *t1, *t2; /* backward */
    int64_t *rows;            /* 0..n-1 */
    float *scratch;
} ncn_nodes;

/* Pair tensors of one forward pass (and a workspace kept for reuse: fresh
 * buffers cost more in page faults than the scores themselves). */
typedef struct ncn_pairs ncn_pairs;
struct ncn_pairs {
    int64_t P, cap, d;
    const int64_t *u, *v;
    ncn_lists L;
    float *c, *hij, *z, *s;   /* c: common-neighbour sums */
    ncn_layer_buf lb[4];      /* CN1, CN2, IJ1, OUT1 */
    float *dz, *da, *db, *dc, *ds;
    int64_t *rows;            /* 0..cap-1 */
    float *scratch;
    ncn_pairs *inner;         /* NCNC: the workspace of completion's scores */
    int64_t *iu, *iv, *iat;   /* ... its pairs and their list entries */
    double *is;
    int64_t icap;
};

/* What a forward pass sees: training (dropout on, keyed by step) or not,
 * and the graph of NCNC's completion scores (NULL: the pairs' graph). */
typedef struct {
    bool training;
    uint64_t step;
    const ncn_adj *completion_graph;
} ncn_mode;

int ncn_nodes_forward(const grl_ncn *M, ncn_nodes *N, const ncn_features *F,
                      const ncn_adj *A, const ncn_mode *mode, char *msg);
/* N->dh and N->dx hold the gradients from the pairs; adds to M's grads. */
void ncn_nodes_backward(grl_ncn *M, ncn_nodes *N, const ncn_features *F,
                        const ncn_adj *A, const ncn_mode *mode);
void ncn_nodes_free(ncn_nodes *N);

/* Logits of pairs (u, v) into Q->s over the common neighbours on A (and,
 * when M completes, one-sided neighbours weighted by the NCN's probability). */
int ncn_pairs_forward(const grl_ncn *M, ncn_pairs *Q, const ncn_nodes *N,
                      const ncn_adj *A, const int64_t *u, const int64_t *v,
                      int64_t P, bool completion, const ncn_mode *mode,
                      char *msg);
/* Q->ds holds dloss/ds; adds to M's predictor grads and to N->dh, N->dx. */
void ncn_pairs_backward(grl_ncn *M, ncn_pairs *Q, ncn_nodes *N,
                        const ncn_mode *mode);
void ncn_pairs_free(ncn_pairs *Q);

/* Scores of many pairs in batches into score, Q the workspace (kept for
 * the next call; free it with ncn_pairs_free). */
int ncn_score_pairs(const grl_ncn *M, ncn_pairs *Q, const ncn_nodes *N,
                    const ncn_adj *A, const int64_t *u, const int64_t *v,
                    int64_t npairs, bool completion, const ncn_mode *mode,
                    double *score, char *msg);

/* The wall time of the first `steps` training steps of a fresh model on S
 * (what bench/bench_ncn.c extrapolates to an epoch: ceil(m / batch_size)
 * steps, plus validation). */
int ncn_time_steps(const grl_edge_split *S, const grl_dense *X,
                   const grl_ncn_options *opt, int64_t steps, double *seconds,
                   char *msg);

#endif
