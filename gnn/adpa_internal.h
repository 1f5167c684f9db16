/* adpa_internal.h — ADPA's pieces shared inside gnn/: the branch kinds and
 * the precomputed propagations. */
#ifndef GRL_GNN_ADPA_INTERNAL_H
#define GRL_GNN_ADPA_INTERNAL_H

#include "nn.h"

#define GRL_ADPA_MAX_BRANCHES 8
#define GRL_ADPA_MAX_HOPS 8
/* Default initial hop biases c_k = PRIOR * k (grl_adpa_options.hop_prior):
 * the attention starts on the deepest hop (alpha_K = 0.98 for K = 2).
 * Started level (0), it stayed near uniform on Cora-ML: the raw features
 * fit 20 training nodes per class as well as the smoothed ones, so training
 * never pushed it to the hops that generalise (undirected, 3 splits: 0.740
 * level, 0.778 with 2, 0.794 with 4). The features branch keeps the raw X
 * in the model. */
#define GRL_ADPA_HOP_PRIOR 4.0

/* What a branch propagates along. */
typedef enum {
    GRL_BRANCH_FEATURES = 0, /* X itself, no hops */
    GRL_BRANCH_A,            /* A + I   */
    GRL_BRANCH_AT,           /* Aᵀ + I  */
    GRL_BRANCH_AA,
    GRL_BRANCH_AAT,
    GRL_BRANCH_ATA,
    GRL_BRANCH_ATAT,
    GRL_BRANCH_SYM,          /* max(A, Aᵀ) + I, r = 1/2 */
    GRL_BRANCH_KINDS
} grl_branch_kind;

extern const char *const grl_branch_names[GRL_BRANCH_KINDS];

struct grl_adpa_prop {
    int64_t n, f;
    int hops;
    double r;
    bool damped;              /* grl_adpa_options.hop_damping */
    grl_adpa_patterns set;
    int nbranches;
    grl_branch_kind kind[GRL_ADPA_MAX_BRANCHES];
    /* hop[b][k], n x f: hop[b][0] is X for every branch (one array) and
     * the features branch has no other */
    float *hop[GRL_ADPA_MAX_BRANCHES][GRL_ADPA_MAX_HOPS + 1];
    /* live[b][i], b >= 1: bit k set when row i of hop[b][k] is not all
     * zeros (bit 0 always): the hops grl_adpa_options.mask_empty_hops keeps */
    uint16_t *live[GRL_ADPA_MAX_BRANCHES];
};

/* The branches of a pattern set (features first); returns their count. */
int grl_adpa_set_branches(grl_adpa_patterns set, grl_branch_kind *kind);

/* Y = diag(rs) (M + [identity] I) diag(cs) X for the borrowed CSR matrix M
 * (n x n), X and Y n x d (distinct); rs or cs NULL means ones. Each row is
 * summed by one thread in storage order. Returns the first row of Y holding
 * an infinite or NaN value, or -1. */
int64_t grl_adpa_spmm(float *Y, const grl_csr *M, const float *X, int64_t d,
                   const double *rs, const double *cs, bool identity);

/* The graph's CSR arrays, lent: A and Aᵀ (the same arrays when G is
 * undirected; AT unused then) and/or S = max(A, Aᵀ) (a new matrix). */
typedef struct {
    grl_csr A, AT, S;
    GrB_Matrix Sm;
    bool same;
} grl_adpa_csrs;

int grl_adpa_csrs_borrow(grl_adpa_csrs *m, grl_graph *G, bool sym, bool dir,
                         char *msg);
/* Hand everything back (NULL-safe after zero initialisation). */
void grl_adpa_csrs_return(grl_adpa_csrs *m);
static inline const grl_csr *grl_adpa_csrs_at(const grl_adpa_csrs *m)
{
    return m->same ? &m->A : &m->AT;
}

/* Parameters of branch b: hop attention (b >= 1 only) v (f), hop biases
 * c (K+1); the branch's linear W (f x hidden), bias (hidden), and with
 * scalar pattern attention its scale s (1; else -1). */
typedef struct {
    int v, c, W, bias, s;
} grl_adpa_branch_params;

/* The pattern level (adpa_pattern.c). Branch p's hidden output T_p (n x h,
 * after ReLU and dropout) gets weight w_ip at node i, and C (n x B h) is the
 * weighted concatenation [w_i0 T_0[i] | w_i1 T_1[i] | ...]:
 *   scalar (Q NULL): w_ip = s_p, one learned scale per branch (the
 *     reference code's combination); the output layer reads C.
 *   node: w_ip = B softmax_p(q_p . T_p[i] + e_p), the node-adaptive
 *     pattern-level attention of the paper's hierarchical attention (its
 *     second level, after the hop level), without the sigmoid that the
 *     paper's hop level and the reference code's node-adaptive pattern
 *     variants put inside the softmax: with B = 8 branches it would keep every
 *     w_ip / B within [1/(1 + 7e), e/(e + 7)] = [0.05, 0.28], so no node
 *     could lean on one branch (the hop level's reason, grl/gnn.h). The
 *     factor B starts a node's weights at 1, where the scalar form's scales
 *     start: plain softmax weights (1/B each at the start) shrank every
 *     branch 8-fold and lost validation accuracy (README). The output
 *     layer reads the weighted sum R[i] = sum_p w_ip T_p[i] (R n x h), as the
 *     reference code's node-adaptive variants do, or (node-concat) C.
 * s: B scales (scalar); Q: B x h (rows q_p), qb: B (e_p) (node); w receives
 * the n x B weights; R: the sum (n x h) or NULL. Rows in parallel. */
void grl_adpa_pattern_forward(float *C, float *R, float *w, const float *const *T,
                              const float *s, const float *Q, const float *qb,
                              int64_t n, int B, int64_t h);
/* Backward of the above from dOut = dL/dC (n x B h) or, sum, dL/dR
 * (n x h): dT (n x B h, the layout of C; may be dOut when not sum)
 * receives dL/dT_p per branch, and ds (B, scalar) or dQ, dqb (node) are added
 * to, summed over rows in order (the same bits on any thread count). */
void grl_adpa_pattern_backward(float *dT, const float *dOut, bool sum, float *ds,
                               float *dQ, float *dqb, const float *w,
                               const float *const *T, const float *Q, int64_t n,
                               int B, int64_t h);

struct grl_adpa {
    grl_nn_model base;        /* must be first */
    grl_nn_params params;
    int nbranches, hops;
    grl_branch_kind kind[GRL_ADPA_MAX_BRANCHES];
    double r, dropout;
    int64_t f, hidden, nclasses;
    uint64_t seed;
    bool mask_empty;          /* grl_adpa_options.mask_empty_hops          */
    bool damped;              /* the propagations it fits are damped       */
    grl_adpa_pattern_attention pattern; /* how the branches are combined */
    grl_adpa_branch_params bp[GRL_ADPA_MAX_BRANCHES];
    int Q, qb;                /* node pattern attention (else -1): B x h, B */
    int Wo, bo;               /* (B hidden or, NODE, hidden) x nclasses    */
    /* while training or predicting: the propagations and the batch */
    const grl_adpa_prop *P;
    const int64_t *rows;
    int64_t n, cap;           /* batch rows, rows the buffers hold */
    bool training;
    uint64_t epoch;
    float *Z[GRL_ADPA_MAX_BRANCHES];     /* n x f: hop mixture (X for b 0) */
    float *alpha[GRL_ADPA_MAX_BRANCHES]; /* n x (K+1) hop weights          */
    float *pre[GRL_ADPA_MAX_BRANCHES];   /* n x hidden before ReLU          */
    float *T[GRL_ADPA_MAX_BRANCHES];     /* n x hidden after ReLU, dropout  */
    float *C;                            /* n x (B hidden) weighted concat  */
    float *w;                            /* n x B pattern weights           */
    float *R, *dR;                       /* NODE: n x hidden weighted sum   */
    float *dC, *dT, *dZ;                 /* backward scratch                */
    float *gemm_scratch;                 /* grl_nn_gemm_tn's                */
};

/* A model with fresh parameters for P's branches (seeded init). */
int grl_adpa_new(grl_adpa **M, int nbranches, const grl_branch_kind *kind,
                 int hops, double r, int64_t f, int64_t hidden,
                 int64_t nclasses, double dropout,
                 grl_adpa_pattern_attention pattern, uint64_t seed, char *msg);
/* Check that M fits P (branches, hops, width). */
int grl_adpa_check_prop(const grl_adpa *M, const grl_adpa_prop *P, char *msg);
/* Add to sum (L->nodes x nclasses) the class probabilities M gives over P
 * to the validation and test rows of split `split` (grl_nn_add_probabilities,
 * opt the options M was trained with): an ensemble member's share. */
int grl_adpa_add_probabilities(grl_adpa *M, const grl_adpa_prop *P,
                               const grl_node_labels *L, const grl_node_splits *S,
                               int64_t split, const grl_gnn_train_options *opt,
                               double *sum, char *msg);

#endif
