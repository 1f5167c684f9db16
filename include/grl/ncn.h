/*
 * grl/ncn.h — learned link prediction: Neural Common Neighbor (NCN) and NCN
 * with completion (NCNC), Wang, Yang & Zhang, "Neural Common Neighbor with
 * Completion for Link Prediction", ICLR 2024 (reference code
 * GraphPKU/NeuralCommonNeighbor, whose Cora settings are the defaults here).
 *
 * The model. On the symmetric structure of a graph (A ∪ Aᵀ, self-loops and
 * weights ignored), with node features X (n x f):
 *   encoder  H = dropout(X) W0 + b0, h = P̂ dropout(H), then dropout,
 *            P̂ = D^{-1/2} (A + I) D^{-1/2}, D = 1 + degree   (GCN), or
 *            P̂ = I + D^{-1} A, D = degree                      (SAGE-style:
 *            the node plus the mean of its neighbours)
 *   nodes    x = h + MLP_x(h)          (the reference's use_xlin)
 *   pair     c(i,j) = Σ_{u ∈ N(i) ∩ N(j)} x_u           (paper eq. 6)
 *            s(i,j) = MLP(β MLP_cn(c) + MLP_ij(h_i ⊙ h_j))
 * where each MLP layer is Linear, [LayerNorm], dropout, ReLU and the last
 * layer of MLP is Linear(d, 1); s is a logit. NCNC (paper eq. 9) adds to c
 * the neighbours of one end that are not neighbours of the other, weighted
 * by the probability the NCN gives the missing edge:
 *   c(i,j) += Σ_{u ∈ N(i) \ N(j)} p(j,u) x_u + Σ_{u ∈ N(j) \ N(i)} p(i,u) x_u
 *   p = α pt p0 / (pt p0 + 1 - p0),  p0 = sigmoid(scale (s - offset))
 * (no gradient flows through p, as in the reference). The s inside p is
 * the same model's NCN score (no completion) computed as the reference's
 * incn1cn1 computes it: that inner NCN is handed x and takes it for h, so
 *   s(j,u) = MLP(β MLP_cn(Σ_{w ∈ N(j) ∩ N(u)} xc_w) + MLP_ij(x_j ⊙ x_u)),
 *   xc = x + MLP_x(x),
 * while training with dropout (its own draws) and on the common-neighbour
 * graph after a second edge_dropout; NCNC is trained from scratch with
 * completion, as the reference does.
 * Common neighbours are merge intersections of sorted CSR rows (linkpred's
 * kernel), computed per pair in parallel.
 *
 * Training: binary cross-entropy of the positive training edges against as
 * many uniform negatives (redrawn every epoch), Adam with one learning rate
 * for the encoder and one for the predictor, mini-batches of target edges;
 * while a batch is trained its own edges are removed from the graph the
 * encoder and the common neighbours see (target-link removal), and the
 * predictor's common-neighbour graph loses a further edge_dropout share of
 * edges. The epoch with the best validation Hits@K is kept (early stopping
 * after `patience` epochs without improvement).
 * Seeded and bit-identical for any thread count: every random choice is a
 * grl_rng stream keyed by (seed, step, item), every sum has a fixed order.
 *
 * Memory: the features' nonzeros twice (by rows and by columns), about 14
 * n x d floats of node tensors while training (NCNC: 21), about 20 x batch
 * x d floats of pair tensors (NCNC: also about 20 x 8192 x d for its
 * completion scores), the graph's CSR (12 bytes an arc) and its edge list.
 */
#ifndef GRL_NCN_H
#define GRL_NCN_H

#include "linkpred.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The message-passing encoder. */
typedef enum {
    GRL_NCN_GCN = 0,  /* D^{-1/2} (A + I) D^{-1/2}, the reference's puregcn */
    GRL_NCN_SAGE,     /* I + D^{-1} A: the node plus its neighbours' mean   */
} grl_ncn_encoder;

/* "gcn", "sage" <-> the enum.
 * name: the text to parse; value: receives the value (untouched on error); msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * value (grl_ncn_encoder_name): a value; returns its name, NULL if it has none. */
int grl_ncn_encoder_parse(const char *name, grl_ncn_encoder *value, char *msg);
const char *grl_ncn_encoder_name(grl_ncn_encoder value);

/* Reported once per epoch to the progress callback. */
typedef struct {
    int64_t epoch, epochs;  /* 1-based epoch, maximum                      */
    double loss;            /* mean training loss of the epoch              */
    double val_hits;        /* validation Hits@K                            */
    double seconds;         /* wall time of the epoch                       */
    bool improved;          /* best validation so far                       */
} grl_ncn_progress;

typedef struct {
    grl_ncn_encoder encoder;   /* GRL_NCN_GCN                                */
    bool completion;           /* NCNC (false: NCN)                          */
    int64_t hidden;            /* d, 1..4096, 256                            */
    double feature_dropout;    /* on X, in [0, 1): 0.7                       */
    double encoder_dropout;    /* on X W0 + b0: 0.05                         */
    double tail_dropout;       /* on h: 0.3                                  */
    double predictor_dropout;  /* inside the MLPs: 0.05                      */
    double edge_dropout;       /* of the predictor's common-neighbour graph
                                  while training: 0.4                        */
    double encoder_lr;         /* Adam, encoder (W0, b0): 0.0043             */
    double predictor_lr;       /* Adam, the rest: 0.0024                     */
    int64_t epochs;            /* >= 1: 100                                  */
    int64_t batch_size;        /* positive edges per step, >= 1: 1152        */
    int64_t patience;          /* stop after this many epochs without a
                                  better validation Hits@K; 0: never (the
                                  reference runs every epoch): 0             */
    int64_t hits_k;            /* K of the validation Hits@K, >= 1: 100      */
    double prob_scale, prob_offset, pt, alpha; /* NCNC's calibration of p:
                                  4.3, 2.8, 0.75, 1 (the reference's Cora)   */
    uint64_t seed;             /* initialisation, dropout, batches: 0        */
    /* Called after every epoch on the calling thread (NULL: none). */
    void (*progress)(const grl_ncn_progress *p, void *ctx);
    void *progress_ctx;
} grl_ncn_options;

/* Fill *opt with the defaults documented above (a NULL opt: nothing happens). */
void grl_ncn_options_init(grl_ncn_options *opt);

typedef struct {
    int64_t epochs_run, best_epoch;
    double val_hits;                /* validation Hits@K at best_epoch       */
    double loss;                    /* mean training loss of best_epoch      */
    double seconds;                 /* whole training                        */
} grl_ncn_train_result;

/* A trained NCN or NCNC model (opaque). */
typedef struct grl_ncn grl_ncn;

/* Train a model on the training graph of S with features X (n x f, n = the
 * graph's nodes, row i = node index i), keeping the parameters of the epoch
 * with the best Hits@K of S's validation edges against the negative pairs
 * (neg_u[k], neg_v[k]), k < nneg (node indices; draw them from the
 * non-edges of the whole graph with grl_linkpred_negatives).
 *   M     out: the model (free with grl_ncn_free); NULL on error
 *   res   out: the training summary; may be NULL
 *   opt   NULL for the defaults
 *   msg   GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, X of another height or with
 * a value that is not finite, a negative out of range, no training or no
 * validation edge, nneg < 1, options out of range, a non-finite loss: lower
 * the learning rates),
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_ncn_train(grl_ncn **M, grl_ncn_train_result *res,
                  const grl_edge_split *S, const grl_dense *X,
                  const int64_t *neg_u, const int64_t *neg_v, int64_t nneg,
                  const grl_ncn_options *opt, char *msg);

/* Score pairs: the model's logit s(u[k], v[k]) (higher: more likely an
 * edge) on graph G (the graph the model should see: the training graph of
 * an evaluation) with features X (width as trained). Node tensors are
 * computed once per call. Bit-identical for any thread count.
 *   M       the model; not NULL
 *   G       the graph, read during the call; not NULL
 *   X       G's node features, n x f; not NULL
 *   u, v    npairs node indices each, in 0..n-1
 *   npairs  >= 0
 *   score   out: npairs doubles, caller allocated
 *   msg     GRL_MSG_LEN bytes for the error message, or NULL
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, a feature not finite, X of
 * another height or width than the model's, a node out of range: msg names
 * the pair),
 * GRL_OUT_OF_MEMORY, a GrB_Info. */
int grl_ncn_score(const grl_ncn *M, grl_graph *G, const grl_dense *X,
                  const int64_t *u, const int64_t *v, int64_t npairs,
                  double *score, char *msg);

/* The k best new links of each source as scored by the model: candidates
 * are the nodes two steps from the source (on the symmetric structure) that
 * are not its neighbours; the rest of the contract is grl_linkpred_topk's
 * (rows by decreasing score, ties by increasing index, missing ones -1 with
 * score 0; nodes NULL for all n nodes).
 * M: the model; G, X: as for grl_ncn_score; nodes, nnodes, k, cand, score: as for grl_linkpred_topk; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_ncn_topk(const grl_ncn *M, grl_graph *G, const grl_dense *X,
                 const int64_t *nodes, int64_t nnodes, int64_t k,
                 int64_t *cand, double *score, char *msg);

/* Whether the model completes common neighbours (NCNC), its feature width
 * and its hidden width.
 * M: the model (false or 0 for NULL). */
bool grl_ncn_completion(const grl_ncn *M);
int64_t grl_ncn_features(const grl_ncn *M);
int64_t grl_ncn_hidden(const grl_ncn *M);

/* Save to a versioned, checksummed binary file ("GRLNCN01", version 2, the
 * container of .grl files): options that shape the model, then every
 * parameter.
 * M: the model; path: the file, replaced atomically; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_ncn_save(const grl_ncn *M, const char *path, char *msg);
/* Load, checking magic, version, checksum, sizes and that every parameter
 * is finite.
 * M: receives the model (NULL on error); path: the file; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_ncn_load(grl_ncn **M, const char *path, char *msg);
/* Free *M and set it to NULL (NULL-safe). */
void grl_ncn_free(grl_ncn **M);

#ifdef __cplusplus
}
#endif
#endif
