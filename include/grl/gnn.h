/*
 * grl/gnn.h — graph neural networks: node data (features, labels, splits),
 * the training substrate's options, and ADPA, directed-pattern aggregation
 * (Sun, Li, Zhang, Wang, Ma, Zhou, "Breaking the Entanglement of Homophily
 * and Heterophily in Semi-supervised Node Classification", ICDE 2024,
 * arXiv 2312.04111) with an AMUD-style directed-or-undirected statistic.
 *
 * Maths is float32, row-major, on OpenBLAS. Training is deterministic: the
 * same seed gives the same bits with 1 or 2 threads and any line order in
 * the input files (node indices follow sorted ids; dropout masks and split
 * draws come from grl_rng streams keyed by node; every sum over rows runs in
 * a fixed order).
 *
 * Memory: ADPA keeps the features and, for every pattern, K propagated
 * copies: (1 + patterns x K) x n x f floats (all patterns, K = 2: 13 n f),
 * plus two n x f scratch buffers while propagating. Training touches only
 * the rows of a batch.
 */
#ifndef GRL_GNN_H
#define GRL_GNN_H

#include "graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Node data
 * ------------------------------------------------------------------------ */

/* Node feature file formats. */
typedef enum {
    GRL_FEATURES_AUTO = 0, /* by content: .npy or zip magic, else text: 3 fields
                              per line `node feature value` is sparse, a
                              first data line of any other width is dense */
    GRL_FEATURES_SPARSE,   /* `node feature value` lines (node ids as in
                              the graph file, features 0-based integers)  */
    GRL_FEATURES_DENSE,    /* one row of f numbers per line; data line r
                              (0-based, comments skipped) is the node whose
                              id is the integer r                         */
    GRL_FEATURES_NPY,      /* NumPy .npy, row r = node id r, as DENSE;
                              float64 is rounded to float32 (what the
                              layers compute in), values beyond float32's
                              range refused                               */
    GRL_FEATURES_NPZ,      /* NumPy .npz in the Bojchevski / PyG layout:
                              a CSR matrix attr_data, attr_indices,
                              attr_indptr, attr_shape (or a dense
                              attr_matrix), row r = node id r; stored or
                              deflated members; float64 rounded as NPY    */
} grl_features_format;

/* Read node features for G into *X (n x f float32, row i = node index i;
 * nodes absent from the file get zero rows). path: the file; format: as
 * above. Errors (file and line named): a node that is not in the graph
 * (sparse) or a row beyond the graph's ids (dense: "features.txt:12: row 10
 * is node 10, which is not in the graph"), a row whose width differs from
 * the first row's, a value that is not a finite number, no features at all.
 * *X is the caller's (grl_dense_free).
 * msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_node_features_load(grl_dense **X, grl_graph *G, const char *path,
                           grl_features_format format, char *msg);

/* Single-label classes of the nodes of a graph (a result record). */
typedef struct {
    int64_t nodes;    /* the graph's node count                           */
    int64_t nclasses; /* classes are 0..nclasses-1                        */
    int64_t *y;       /* nodes entries: node i's class, or -1 unlabelled  */
} grl_node_labels;

/* Read `node class` lines (node ids as in G's file; classes non-negative
 * integers; # and % comments) into *L. Errors name file and line: a node
 * not in G, a node given two different classes, a malformed line; and a
 * gap in the classes used ("class 3 has no node, classes must be 0..6"),
 * or no labelled node. *L is the caller's (grl_node_labels_free).
 * L: receives the labels (NULL on error); G: the graph whose node ids the file uses; path: the file; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_node_labels_load(grl_node_labels **L, grl_graph *G, const char *path,
                         char *msg);
/* Free *L and set it to NULL (NULL-safe). */
void grl_node_labels_free(grl_node_labels **L);

/* What a node is for in one split. */
typedef enum {
    GRL_SPLIT_NONE = 0, /* not used */
    GRL_SPLIT_TRAIN = 1,
    GRL_SPLIT_VAL = 2,
    GRL_SPLIT_TEST = 3,
} grl_split_role;

/* One or more train/validation/test splits of the nodes (a result record). */
typedef struct {
    int64_t nodes, nsplits;
    uint8_t *role; /* nsplits x nodes grl_split_role values, split-major:
                      role[s * nodes + i] */
} grl_node_splits;

/* Read splits for G from a text file of either `split node role` lines
 * (several splits, numbered 0..k-1 without gaps, as chameleon_filtered's
 * splits.txt) or `node role` lines (one split, the Planetoid split.txt);
 * role is train, val (or valid, validation), test or none. Errors name file
 * and line: a node not in G, a node given two roles in one split, an
 * unknown role, a split without training nodes.
 * S: receives the splits (NULL on error); G: the graph; path: the file; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_node_splits_load(grl_node_splits **S, grl_graph *G, const char *path,
                         char *msg);

typedef struct {
    int64_t train_per_class; /* labelled nodes per class for training, 20;
                                0 to use train_fraction instead          */
    double train_fraction;   /* share of labelled nodes, in (0, 1); used
                                when train_per_class is 0 (default 0)     */
    int64_t val;             /* validation nodes, default 500             */
    double val_fraction;     /* used instead when val is 0 (default 0)    */
    int64_t repeats;         /* splits to draw, >= 1, default 10           */
    uint64_t seed;           /* default 0                                 */
} grl_node_splits_options;

/* Fill *opt with the defaults documented above (a NULL opt: nothing happens). */
void grl_node_splits_options_init(grl_node_splits_options *opt);

/* Draw opt->repeats splits of the labelled nodes of L: in split s the
 * labelled nodes are ordered by a hash of (seed, s, node key) — so the draw
 * does not depend on how nodes are numbered — and taken in that order:
 * train_per_class of each class (or the first train_fraction of all), then
 * `val` validation nodes; every other labelled node is a test node. G gives
 * the node keys. Errors: a class with too few nodes, no test nodes left.
 * S: receives the splits (NULL on error); L: the labels to split; opt: NULL for defaults; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_node_splits_generate(grl_node_splits **S, const grl_graph *G,
                             const grl_node_labels *L,
                             const grl_node_splits_options *opt, char *msg);
/* Free *S and set it to NULL (NULL-safe). */
void grl_node_splits_free(grl_node_splits **S);

/* ---------------------------------------------------------------------------
 * Training (shared by every learned model in gnn/)
 * ------------------------------------------------------------------------ */

typedef enum {
    GRL_OPTIMIZER_ADAM = 0, /* Adam, weight decay as an L2 term in the
                               gradient (PyTorch's Adam(weight_decay))    */
    GRL_OPTIMIZER_ADAMW,    /* Adam with decoupled weight decay
                               (Loshchilov & Hutter)                       */
    GRL_OPTIMIZER_SGD,      /* SGD with (heavy-ball) momentum, L2 decay    */
} grl_optimizer;

/* "adam", "adamw", "sgd" <-> the enum; parse fails with
 * GRL_INVALID_ARGUMENT and a message listing the names.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * o (grl_optimizer_name): a value; returns its name, NULL if it has none. */
int grl_optimizer_parse(const char *name, grl_optimizer *out, char *msg);
const char *grl_optimizer_name(grl_optimizer o);

typedef struct {
    grl_optimizer kind;   /* default GRL_OPTIMIZER_ADAM                      */
    double lr;            /* learning rate > 0, default 0.01                 */
    double weight_decay;  /* >= 0, default 0                                 */
    double beta1, beta2;  /* Adam moments in [0, 1), 0.9 and 0.999           */
    double eps;           /* Adam's epsilon > 0, 1e-8                        */
    double momentum;      /* SGD, in [0, 1), default 0.9                     */
    bool cosine;          /* cosine schedule from lr to lr_min over the run's
                             epochs (default false: constant)                */
    double lr_min;        /* >= 0, default 0                                 */
} grl_optimizer_options;

/* Fill *opt with the defaults documented above (a NULL opt: nothing happens). */
void grl_optimizer_options_init(grl_optimizer_options *opt);

/* Reported once per epoch to the progress callback. */
typedef struct {
    int64_t epoch, epochs;        /* 1-based epoch, the maximum            */
    double loss;                  /* mean training loss of the epoch       */
    double train_accuracy, val_accuracy, val_loss; /* the validation
                                     figures are NAN in a refit, which
                                     trains on training + validation      */
    double seconds;               /* wall time of the epoch                */
    bool improved;                /* best validation so far                */
} grl_gnn_train_progress;

/* What the training loop's epoch is chosen on, over the validation rows
 * (and what patience waits for): the highest accuracy, ties broken by the
 * lower loss (the default), or the lowest loss (mean cross-entropy), ties
 * broken by the higher accuracy. On a few validation rows the loss moves
 * with every row's probability, where the accuracy moves by whole rows. */
typedef enum {
    GRL_SELECT_EPOCH_ACCURACY = 0,
    GRL_SELECT_EPOCH_LOSS,
} grl_gnn_select_epoch;

/* "accuracy", "loss" <-> the enum.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * s (grl_gnn_select_epoch_name): a value; returns its name, NULL if it has none. */
int grl_gnn_select_epoch_parse(const char *name, grl_gnn_select_epoch *out,
                               char *msg);
const char *grl_gnn_select_epoch_name(grl_gnn_select_epoch s);

typedef struct {
    int64_t epochs;        /* maximum, >= 1, default 500                     */
    int64_t patience;      /* stop after this many epochs without a better
                              validation figure (select_epoch's); 0
                              disables; default 50                         */
    int64_t batch_size;    /* training nodes per step; 0 (default) = all   */
    uint64_t seed;         /* parameter init, dropout, batch order; 0      */
    grl_optimizer_options optimizer;
    /* Called after every epoch on the calling thread (NULL: none). The
     * library never prints; the CLI prints a line when stderr is a tty. */
    void (*progress)(const grl_gnn_train_progress *p, void *ctx);
    void *progress_ctx;
    grl_gnn_select_epoch select_epoch; /* default GRL_SELECT_EPOCH_ACCURACY */
} grl_gnn_train_options;

/* Fill *opt with the defaults documented above (a NULL opt: nothing happens). */
void grl_gnn_train_options_init(grl_gnn_train_options *opt);

typedef struct {
    int64_t epochs_run, best_epoch;
    double train_accuracy, val_accuracy, val_loss; /* at best_epoch       */
    double test_accuracy;  /* of the restored best parameters; NAN without
                              test nodes                                  */
    double seconds;
} grl_gnn_train_result;

/* ---------------------------------------------------------------------------
 * ADPA: directed patterns. With A the adjacency (row i = node i's out-arcs,
 * weights as loaded), the patterns are A + I, Aᵀ + I, AA, AAᵀ, AᵀA, AᵀAᵀ;
 * each is normalised P̂ = D^{r-1} P D^{-r}, D the row sums of P (a zero row
 * sum gives 0), and hops X, P̂X, ..., P̂^K X are precomputed once; 2-hop
 * patterns are applied as two sparse x dense products, never formed. The
 * undirected set uses S = max(A, Aᵀ) + I with D^{-1/2} S D^{-1/2}; the
 * all+undirected set has the six patterns and S. Every set also has the
 * features themselves as a branch.
 * Trainable part, per pattern p with hops H_0..H_K (row i):
 *   alpha = softmax_k(v_p . H_k + c_pk), Z_p = sum_k alpha_k H_k
 *   (node-adaptive hops; the paper's softmax_k(sigmoid(u_p . [H_0 | ... |
 *   H_K] + v_p . H_k + c_p)) keeps every alpha_k within [1/(1 + K e),
 *   e/(e + K)], at least 15% on the raw features for K = 2, which cost
 *   Cora-ML 4 points of accuracy; the u_p term is the same for every hop and
 *   cancels without the sigmoid, per-hop biases c_pk take its place)
 *   T_p = dropout(relu(Z_p W_p + b_p)),  scaled by a learned s_p,
 * and logits = [s_0 T_0 | s_1 T_1 | ...] W_o + b_o (branch 0 = features).
 * With node pattern attention (grl_adpa_options.pattern_attention) the
 * scales become per-node weights over the branches, the paper's
 * node-adaptive pattern level: beta_i = B softmax_p(q_p . T_p[i] + e_p)
 * (B branches: the weights start at 1, as the scales do) and
 * logits_i = (sum_p beta_ip T_p[i]) W_o + b_o (NODE), or
 * [beta_i0 T_0[i] | beta_i1 T_1[i] | ...] W_o + b_o (NODE_CONCAT).
 * ------------------------------------------------------------------------ */

typedef enum {
    GRL_ADPA_PATTERNS_ALL = 0,    /* the six directed patterns             */
    GRL_ADPA_PATTERNS_UNDIRECTED, /* symmetrised graph, sym. normalised    */
    GRL_ADPA_PATTERNS_DIR,        /* A and Aᵀ only (Dir-GNN-like)          */
    GRL_ADPA_PATTERNS_FEATURES,   /* no graph: an MLP on the features      */
    GRL_ADPA_PATTERNS_AUTO,       /* as grl_digraph_profile recommends     */
    /* the six directed patterns and the symmetrised graph as a seventh
     * branch: on sparse digraphs (CiteSeer-dir: 1.4 arcs per node) A + I
     * and Aᵀ + I each reach few neighbours, S mixes both directions in
     * every hop. After AUTO so that the values above keep their numbers. */
    GRL_ADPA_PATTERNS_ALL_UNDIRECTED,
} grl_adpa_patterns;

/* "all", "undirected", "dir", "features", "auto", "all+undirected" <-> the enum.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * p (grl_adpa_patterns_name): a value; returns its name, NULL if it has none. */
int grl_adpa_patterns_parse(const char *name, grl_adpa_patterns *out,
                            char *msg);
const char *grl_adpa_patterns_name(grl_adpa_patterns p);

/* How ADPA combines its branches (the pattern level of its attention). */
typedef enum {
    GRL_ADPA_PATTERN_SCALAR = 0, /* a learned scale per branch, concatenated */
    GRL_ADPA_PATTERN_NODE,       /* per-node softmax weights, weighted sum    */
    GRL_ADPA_PATTERN_NODE_CONCAT,/* the same weights, weighted concatenation */
} grl_adpa_pattern_attention;

/* "scalar", "node", "node-concat" <-> the enum.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * a (grl_adpa_pattern_attention_name): a value; returns its name, NULL if it has none. */
int grl_adpa_pattern_attention_parse(const char *name,
                                     grl_adpa_pattern_attention *out, char *msg);
const char *grl_adpa_pattern_attention_name(grl_adpa_pattern_attention a);

#define GRL_ADPA_MAX_DECAYS 4

typedef struct {
    grl_adpa_patterns patterns; /* default ALL                               */
    int hops;                   /* K, 1..8, default 2                        */
    double r;                   /* normalisation exponent in [0, 1], 0.42749 */
    int64_t hidden;             /* per-pattern width, default 32             */
    double dropout;             /* in [0, 1), default 0.64                   */
    grl_gnn_train_options train;/* defaults but lr 0.06, weight decay 0.0127,
                                   500 epochs, patience 50                   */
    /* grl_adpa_evaluate trains every split with each of the first `decays`
     * weight decays of decay[] and keeps the model with the best validation
     * accuracy (ties: lower validation loss); 0 = train's weight decay only.
     * Default 2: {0.0127 (the reference configuration's), 0.0005}. */
    int decays;                 /* 0..GRL_ADPA_MAX_DECAYS                    */
    double decay[GRL_ADPA_MAX_DECAYS];
    /* Initial hop-attention biases c_k = hop_prior * k, in [0, 20]: 4 (the
     * default) starts each pattern's attention on its deepest hop (0.98 for
     * K = 2), 0 starts it level. Choose it on validation. */
    double hop_prior;
    /* 1: leave a node's empty hops out of its hop attention (hop k >= 1 is
     * empty for node i when row i of P̂^k X is all zeros: no walk of the
     * pattern leaves i, as for 74% of CiteSeer-dir's nodes along AA), so
     * its weight goes to the hops that carry information (the raw features
     * at least); 0 (the default): every hop. Choose it on validation. */
    int mask_empty_hops;
    /* 1: damp the hops as the reference code does, H_k = w_k P̂ H_{k-1} with
     * w_k = 1 + ln(1/k) (1, 0.307, -0.099 for k = 1, 2, 3: H_2 carries
     * 0.307 P̂²X); 0 (the default): H_k = P̂^k X. A property of the
     * propagations (grl_adpa_prop_build); the model records it. */
    int hop_damping;
    /* The pattern level: SCALAR (the default), NODE or NODE_CONCAT
     * (grl_adpa_pattern_attention above). Choose it on validation. */
    grl_adpa_pattern_attention pattern_attention;
    /* grl_adpa_evaluate only: models per split, 1..256, default 1. Member
     * j is trained as the single model is (each weight decay of decay[],
     * the best on validation kept; its epoch chosen on validation) from
     * seed s_j + split, s_0 = train.seed (one member is the single model
     * bit for bit), s_j (j > 0) the first grl_rng_u64 of stream j of the
     * RNG keyed by train.seed; the members share the propagations. The
     * ensemble predicts the mean of the members' softmax probabilities
     * (in double), and its accuracies are the ones reported. */
    int64_t ensemble;
    /* Scalar pattern attention only: the starting scale s_p of the six
     * directed patterns' branches (the features and symmetrised-graph
     * branches start at 1), in [0, 1], default 1. 0 (ReZero-like, Bachlechner
     * et al. 2020) starts all+undirected as the undirected model it contains:
     * a directed branch's layer gets no gradient until the loss moves its
     * scale off 0. Choose it on validation. */
    double directed_scale_init;
} grl_adpa_options;

/* Fill *opt with the defaults documented above (a NULL opt: nothing happens). */
void grl_adpa_options_init(grl_adpa_options *opt);

/* Precomputed propagations of features over a graph (opaque). */
typedef struct grl_adpa_prop grl_adpa_prop;

/* Propagate X (n x f, n = G's nodes) along the pattern set opt->patterns
 * (AUTO is refused here: resolve it with grl_digraph_profile first) for
 * opt->hops steps with exponent opt->r; opt NULL = defaults. X is copied;
 * G is borrowed during the call. *P is the caller's (grl_adpa_prop_free).
 * Errors: sizes, options out of range, a non-finite result.
 * msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_prop_build(grl_adpa_prop **P, grl_graph *G, const grl_dense *X,
                        const grl_adpa_options *opt, char *msg);
void grl_adpa_prop_free(grl_adpa_prop **P);
/* Branches (features first, then the set's patterns) and their names
 * ("features", "A", "At", "AA", "AAt", "AtA", "AtAt", "sym").
 * P: the propagations (0 for NULL); branch (below): 0 .. branches-1, NULL outside. */
int grl_adpa_prop_branches(const grl_adpa_prop *P);
const char *grl_adpa_prop_branch_name(const grl_adpa_prop *P, int branch);

/* A trained ADPA model (opaque). */
typedef struct grl_adpa grl_adpa;

/* Train a model on split `split` of S (0..S->nsplits-1) over the
 * propagations P with labels L (L->nodes = S->nodes = P's nodes). opt:
 * hidden, dropout and train are used (patterns, hops and r are P's); NULL =
 * defaults. res (may be NULL) gets the training summary, test accuracy
 * included. Errors: no training or no validation node in the split, sizes
 * that disagree, a non-finite loss (lower the learning rate).
 * M: receives the trained model (NULL on error, the caller frees it with grl_adpa_free); msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_train(grl_adpa **M, grl_gnn_train_result *res,
                   const grl_adpa_prop *P, const grl_node_labels *L,
                   const grl_node_splits *S, int64_t split,
                   const grl_adpa_options *opt, char *msg);

/* Class probabilities of every node: proba is caller-allocated, n x
 * nclasses floats (n = P's nodes). M's parameters are not changed, but its
 * batch buffers are used: do not call it (or grl_adpa_branch_mass) on one
 * model from two threads at once. Errors: P built with another pattern
 * set, hops, feature width, r or damping than M; class scores that
 * overflow float32.
 * msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_predict(const grl_adpa *M, const grl_adpa_prop *P, float *proba,
                     char *msg);
/* Classes of the model.
 * M: the model (0 for NULL). */
int64_t grl_adpa_nclasses(const grl_adpa *M);

/* Per branch, the share of the weighted representation's L1 mass it
 * carries (sum over nodes of |w_ip| |T_p[i]|_1, w_ip = s_p or, with node
 * pattern attention, beta_ip; normalised to sum 1): mass is
 * caller-allocated, grl_adpa_prop_branches(P) doubles.
 * M: the model, P: its propagations; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_branch_mass(const grl_adpa *M, const grl_adpa_prop *P,
                         double *mass, char *msg);

/* Save to a versioned, checksummed binary file ("GRLADPA1", version 3, the
 * container of .grl files; older versions are refused): branch kinds, K,
 * r, sizes, whether empty hops are masked, hops damped and the pattern
 * attention node-adaptive, every parameter.
 * M: the model; path: the file, replaced atomically; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_save(const grl_adpa *M, const char *path, char *msg);
/* Load, checking magic, version, checksum, sizes and that every parameter
 * is finite. Use it with a grl_adpa_prop built with the same pattern set,
 * hops and feature width (grl_adpa_predict checks).
 * M: receives the model (NULL on error); path: the file; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_load(grl_adpa **M, const char *path, char *msg);
void grl_adpa_free(grl_adpa **M);

/* Train on every split of S and summarise (what `grl gnn adpa` prints). */
typedef struct {
    int64_t splits;
    double test_mean, test_std;  /* accuracy, population std over splits */
    double val_mean;
    double *test;                /* splits values (grl_free)              */
    int branches;
    double mass[16];             /* mean branch mass over splits          */
    char branch_names[16][16];
    grl_adpa_patterns chosen;    /* the set used (AUTO resolved)          */
    int64_t rows, nclasses;      /* proba's shape: nodes x classes         */
    double *proba;               /* each node's class probabilities (the
                                    ensemble's mean) from the last split
                                    that tests it, 0 where none does
                                    (grl_free)                            */
    double *val;                 /* splits validation accuracies, paired
                                    with test (grl_free)                  */
} grl_adpa_evaluation;

/* Build the propagations of opt->patterns (AUTO: the profile's
 * recommendation on G, L and the training nodes of split 0), train one model
 * per split (opt->ensemble models: see there), and fill *E. best (may be
 * NULL) receives the model of the split with the highest validation
 * accuracy (an ensemble's first member), pred_P (may be NULL) its
 * propagations (the caller frees both). Mass is averaged over the members
 * as over the splits.
 * X: the n x f features; S: the splits, one model per split; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_evaluate(grl_adpa_evaluation *E, grl_adpa **best,
                      grl_adpa_prop **pred_P, grl_graph *G,
                      const grl_dense *X, const grl_node_labels *L,
                      const grl_node_splits *S, const grl_adpa_options *opt,
                      char *msg);
/* Release E->test, E->val and E->proba (NULL-safe). */
void grl_adpa_evaluation_release(grl_adpa_evaluation *E);

/* ---------------------------------------------------------------------------
 * Convergent fixed-point GNNs on one solver with implicit-function
 * gradients (block of the `fixpoint` work, issue 12):
 *  - APPNP (Klicpera, Bojchevski, Günnemann, ICLR 2019): H = MLP(X), then
 *    the fixed point Z = (1 - α) Â Z + α H (exact, not K power steps), Â =
 *    D^-1/2 (A + I) D^-1/2 of the symmetrised pattern; contraction 1 - α
 *    times λ_pf(Â).
 *  - IGNN (Gu, Chang, Zhu, Sojoudi, El Ghaoui, NeurIPS 2020), in node-major
 *    form: H = ReLU(Â H Wᵀ + Â X Ωᵀ), W (hidden x hidden) projected after
 *    every optimiser step onto ‖W‖∞ <= κ / λ_pf(Â) (rows onto the L1 ball,
 *    Duchi et al. 2008), λ_pf by power iteration (a Collatz-Wielandt upper
 *    bound); logits = dropout(H) V.
 *  - CGS (Park, Choo, Park, ICLR 2022, arXiv 2106.01680): an encoder gives
 *    per-arc logits s (arcs x m) and per-node biases b (n x m); A_k[i, j] =
 *    clip(s_jik, 0, 1) / outdeg(j) for the arc j -> i, so every column sum
 *    of γ A_k is <= γ < 1; h = γ A h + b per head (all m heads in one pass
 *    over the arcs); an MLP decoder on the m fixed-point values of a node.
 *    The encoder here: node embedding E = ReLU(X W_e + b_e), arc logits
 *    s = [w_ji, E_i, E_j] W_a + b_a, biases b = E W_b + b_b (gnn/cgs_encoder.c).
 * Gradients by the implicit function theorem: the adjoint fixed point
 * y = Jᵀ y + g (with ReLU's derivative for IGNN) is solved by the same
 * solver, then one application of the map is differentiated; memory does
 * not grow with the iterations. Every solve reports the contraction bound
 * it enforces, the residual reached and the iterations used.
 * Memory (n nodes, arcs a): the graph's arcs twice (CSR and its transpose,
 * 3 a + 2 n int64), the input features as CSR, and per model a few n x
 * width float buffers (CGS also 3 a x m floats: logits, weights, their
 * gradient).
 * ------------------------------------------------------------------------ */

typedef struct {
    double tol;       /* stop when max |x_{t+1} - x_t| <= tol max(1, max
                         |x_{t+1}|); in (0, 1), default 1e-6 (CGS's)        */
    int64_t max_iter; /* iteration cap, 1..10^7, default 50 (CGS's); at the
                         cap the solve returns GRL_NOT_CONVERGED            */
} grl_fixed_point_options;

/* Fill *opt with the defaults documented above (a NULL opt: nothing happens). */
void grl_fixed_point_options_init(grl_fixed_point_options *opt);

/* What one fixed-point solve did. */
typedef struct {
    double bound;       /* the contraction factor the model enforces (< 1) */
    double residual;    /* relative residual of the last step              */
    int64_t iterations; /* steps taken                                     */
} grl_fixed_point_report;

typedef enum {
    GRL_FPGNN_APPNP = 0,
    GRL_FPGNN_IGNN,
    GRL_FPGNN_CGS,
} grl_fpgnn_kind;

/* "appnp", "ignn", "cgs" <-> the enum.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * k (grl_fpgnn_kind_name): a value; returns its name, NULL if it has none. */
int grl_fpgnn_kind_parse(const char *name, grl_fpgnn_kind *out, char *msg);
const char *grl_fpgnn_kind_name(grl_fpgnn_kind k);

/* CGS's activation in its encoder and decoder (one whose derivative needs
 * only its input): ReLU, or SiLU x sigmoid(x) as in the CGS reference. */
typedef enum {
    GRL_FPGNN_RELU = 0,
    GRL_FPGNN_SILU,
} grl_fpgnn_activation;

/* "relu", "silu" <-> the enum.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * a (grl_fpgnn_activation_name): a value; returns its name, NULL if it has none. */
int grl_fpgnn_activation_parse(const char *name, grl_fpgnn_activation *out, char *msg);
const char *grl_fpgnn_activation_name(grl_fpgnn_activation a);

/* CGS's graph readout, what the decoder sees of a graph's nodes' values
 * (the fixed point, with skip also the embedding; d per node): their sum
 * (d wide), or the sum beside their column-wise max or mean (2d wide; the
 * GIN paper compares the three as readouts, here the max or the mean is
 * added to the sum, which alone counts). */
typedef enum {
    GRL_FPGNN_READOUT_SUM = 0,
    GRL_FPGNN_READOUT_SUM_MAX,
    GRL_FPGNN_READOUT_SUM_MEAN,
} grl_fpgnn_readout;

/* "sum", "sum-max", "sum-mean" <-> the enum.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * r (grl_fpgnn_readout_name): a value; returns its name, NULL if it has none. */
int grl_fpgnn_readout_parse(const char *name, grl_fpgnn_readout *out, char *msg);
const char *grl_fpgnn_readout_name(grl_fpgnn_readout r);

typedef struct {
    grl_fpgnn_kind kind;    /* default GRL_FPGNN_APPNP                       */
    int64_t hidden;         /* APPNP's MLP width, IGNN's state width, CGS's
                               encoder and decoder width; default 64        */
    double dropout;         /* in [0, 1), default 0.5                        */
    double alpha;           /* APPNP's teleport probability, (0, 1), 0.1     */
    double kappa;           /* IGNN's ‖W‖∞ λ_pf bound, (0, 1), default 0.95   */
    double gamma;           /* CGS's contraction, (0, 1), default 0.5        */
    int64_t heads;          /* CGS's m, 1..1024, default 16                  */
    grl_fixed_point_options solver; /* forward and adjoint solves; default
                               tol 1e-6, max_iter 300 (IGNN's reference cap:
                               κ = 0.95 and α = 0.1 need 100-300 steps)     */
    grl_gnn_train_options train;    /* lr 0.01, weight decay 5e-4           */
    bool skip;              /* CGS only: the decoder sees the encoder's node
                               embedding E beside the fixed point, [h*, E]
                               (m + hidden wide; a graph task sums both over
                               its nodes); default false                    */
    int64_t mp_layers;      /* CGS only: 0 (default) the linear edge-network
                               encoder; 1..3 attention message-passing
                               layers (the reference's AttnMPNN) give the
                               arc logits and node biases                   */
    grl_fpgnn_activation activation; /* CGS only: the encoder's and the
                               decoder's activation; default GRL_FPGNN_RELU */
    grl_fpgnn_readout readout; /* CGS graph tasks only (a node task refuses
                               another): default GRL_FPGNN_READOUT_SUM     */
    int64_t ensemble;       /* the evaluations only (grl_fpgnn_evaluate,
                               _evaluate_graphs, _cross_validate_graphs):
                               models per split, 1..256, default 1. Member
                               j trains from seed s_j + split, s_0 =
                               train.seed (one member is the single model),
                               s_j (j > 0) the first grl_rng_u64 of stream
                               j of the RNG keyed by train.seed; each
                               chooses its epoch on the split's validation
                               rows; the ensemble predicts the mean of the
                               members' softmax probabilities (in double),
                               and its accuracies are the ones reported */
    bool screen;            /* grl_fpgnn_cross_validate_graphs only: score
                               on screening folds (grl_graph_folds_screen:
                               the test parts left out, part f + 2 scored)
                               to compare settings; default false        */
    bool refit;             /* the evaluations only (as ensemble): after
                               each member chooses its epoch count E on
                               the split's validation rows, retrain it from
                               the same seed on the training and
                               validation rows for exactly E epochs (no
                               early stopping; the last parameters; a
                               cosine schedule over the E epochs), and
                               score the test rows with that refit (Errica
                               et al., ICLR 2020). The validation accuracy
                               reported stays the chosen epoch's, before
                               the refit; best gets the refit. Default
                               false                                      */
} grl_fpgnn_options;

/* Fill *opt with the defaults documented above (a NULL opt: nothing happens). */
void grl_fpgnn_options_init(grl_fpgnn_options *opt);

/* A trained fixed-point GNN (opaque). */
typedef struct grl_fpgnn grl_fpgnn;

/* Solver statistics of a model's latest forward and adjoint solves, and how
 * many solves since it was made stopped at the cap. */
typedef struct {
    grl_fixed_point_report forward, backward;
    int64_t solves, capped;
} grl_fpgnn_report;

/* Train a model of opt->kind on split `split` of S over graph G with n x f
 * features X and labels L (full-graph steps: the fixed point is over every
 * node; the loss over the split's training nodes). res (may be NULL) gets
 * the training summary. Returns 0, or GRL_NOT_CONVERGED when some solve
 * stopped at its cap (the model is usable; raise solver.max_iter), or an
 * error: sizes that disagree, options out of range, no training or
 * validation node, a non-finite loss.
 * M: receives the model (NULL on error; grl_fpgnn_free); msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_train(grl_fpgnn **M, grl_gnn_train_result *res, grl_graph *G,
                    const grl_dense *X, const grl_node_labels *L,
                    const grl_node_splits *S, int64_t split,
                    const grl_fpgnn_options *opt, char *msg);

/* Class probabilities of every node of G (proba caller-allocated, n x
 * nclasses). Not thread-safe on one model (it uses the model's buffers).
 * Returns 0 or GRL_NOT_CONVERGED (the solve stopped at the cap).
 * M: the model; G, X: a graph and features of the width it was trained on; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_predict(grl_fpgnn *M, grl_graph *G, const grl_dense *X,
                      float *proba, char *msg);

/* Classes of the model (0 for NULL).
 * M: the model. */
int64_t grl_fpgnn_nclasses(const grl_fpgnn *M);
/* The model's solver statistics (zeros for NULL).
 * M: the model. */
grl_fpgnn_report grl_fpgnn_stats(const grl_fpgnn *M);

/* Save to a versioned, checksummed binary file ("GRLFPGN1", version 5):
 * kind, sizes, hyper-parameters, every parameter.
 * M: the model; path: the file, replaced atomically; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_save(const grl_fpgnn *M, const char *path, char *msg);
/* Load, checking magic, version, checksum, sizes and finite parameters.
 * M: receives the model (NULL on error); path: the file; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_load(grl_fpgnn **M, const char *path, char *msg);
/* Free *M and set it to NULL (NULL-safe). */
void grl_fpgnn_free(grl_fpgnn **M);

/* Train on every split of S and summarise (what `grl gnn appnp|ignn|cgs`
 * print). */
typedef struct {
    int64_t splits;
    double test_mean, test_std; /* accuracy, population std over splits */
    double val_mean;
    double *test;               /* splits values (grl_free)              */
    grl_fpgnn_report report;    /* of the best-validation split's model  */
    int64_t rows, nclasses;     /* proba's shape: the labels' rows (nodes,
                                   or graphs) x classes                  */
    double *proba;              /* each row's class probabilities (the
                                   ensemble's mean) from the last split
                                   that tests it, 0 where none does: in
                                   cross-validation, every graph's
                                   out-of-fold prediction (grl_free)     */
} grl_fpgnn_evaluation;

/* One model per split of S (seed + split; opt->ensemble models: see
 * there) on graph G with features X and labels L, options opt (NULL:
 * defaults); test accuracy mean and std; best (may be NULL) receives the
 * model of the split with the highest validation accuracy (an ensemble's
 * first member, with opt->refit its refit; the caller frees it). Returns 0 or
 * GRL_NOT_CONVERGED as grl_fpgnn_train, or an error (a split without test
 * nodes among them).
 * E: receives the summary (grl_fpgnn_evaluation_release); msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_evaluate(grl_fpgnn_evaluation *E, grl_fpgnn **best,
                       grl_graph *G, const grl_dense *X,
                       const grl_node_labels *L, const grl_node_splits *S,
                       const grl_fpgnn_options *opt, char *msg);
/* Release E->test and E->proba (NULL-safe). */
void grl_fpgnn_evaluation_release(grl_fpgnn_evaluation *E);

/* ---------------------------------------------------------------------------
 * Directed or undirected? An AMUD-style profile (the paper's statistic is
 * not in its public code; this one is defined here). For each pattern P
 * (the six directed ones and the symmetrised graph), over ordered pairs
 * (i, j), i != j, both training nodes, weighted by the pattern's entries:
 *   h_P   = weight of same-class pairs / total weight   (edge homophily)
 *   adj_P = (h_P - sum_c q_c^2) / (1 - sum_c q_c^2), q_c the share of the
 *           pattern's weight ending in class c (adjusted homophily,
 *           Platonov et al. 2023: 0 = what class sizes alone give).
 * With features X (every node, not only training ones), the feature
 * smoothness of P: sum_{i != j} P_ij |x_i - x_j|^2 / sum_{i != j} P_ij,
 * over 2 var(X) (var = mean squared distance of a row to the mean row):
 * 1 is what random pairs give, below 1 the pattern joins similar nodes.
 * It is reported, not used by the recommendation.
 * Recommendation: "features" when no pattern and not the symmetrised graph
 * reaches |adj| >= 0.05 (the graph carries no class signal); otherwise ALL
 * (the directed patterns, which ADPA's attention weighs) when the best
 * directed pattern's |adj| is at least the symmetrised graph's minus 0.05,
 * else UNDIRECTED (symmetrising gains more than 0.05). The thresholds were
 * set by looking at Cora-ML, CiteSeer-dir and Chameleon-filtered; they are
 * not validated on other graphs.
 * ------------------------------------------------------------------------ */

#define GRL_DIGRAPH_PATTERNS 7

typedef struct {
    char name[GRL_DIGRAPH_PATTERNS][8];  /* "A","At","AA","AAt","AtA","AtAt","sym" */
    double weight[GRL_DIGRAPH_PATTERNS]; /* total pair weight among training nodes */
    double homophily[GRL_DIGRAPH_PATTERNS]; /* NAN: weight 0 (no pair)  */
    double adjusted[GRL_DIGRAPH_PATTERNS];  /* NAN: weight 0            */
    grl_adpa_patterns recommended;
    double smoothness[GRL_DIGRAPH_PATTERNS]; /* NAN without features, or
                                                no pair, or var(X) = 0   */
} grl_digraph_profile_result;

/* Profile G with the labels of the training nodes of split `split` of S
 * (S NULL: every labelled node). Errors: fewer than 2 labelled nodes, no
 * pair of training nodes joined by any pattern.
 * res: receives the table; L: the labels; X: the n x f features for the
 * smoothness column, or NULL (NAN there); msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_digraph_profile(grl_digraph_profile_result *res, grl_graph *G,
                        const grl_node_labels *L, const grl_node_splits *S,
                        int64_t split, const grl_dense *X, char *msg);


/* ---------------------------------------------------------------------------
 * Graph sets: many small graphs (TU Dortmund benchmarks, generated MDP and
 * pore-network graphs) held as one disjoint union, the batching of graph
 * classification and graph regression.
 *
 * Files: the TU Dortmund text layout (chrsmrrs.github.io/datasets/docs/
 * format), comma-separated, 1-based node and graph ids, in dir/NAME_*.txt:
 *   NAME_A.txt                 one arc `u, v` (u -> v) per line (required)
 *   NAME_graph_indicator.txt   graph id of node i on data line i (required):
 *                              1, then each id equal to the previous or one
 *                              more, so every graph's nodes are consecutive
 *   NAME_graph_labels.txt      class of graph g on line g
 *   NAME_node_labels.txt       one integer per node  -> one-hot node_x columns
 *   NAME_node_attributes.txt   a row of floats per node -> further columns
 *   NAME_edge_labels.txt       one integer per A line -> one-hot arc_x columns
 *   NAME_edge_attributes.txt   a row of floats per A line -> further columns
 *   NAME_node_targets.txt      a row of floats per node (grl's extension:
 *                              node regression targets)
 * Labels (graph, node and edge) are integers whose distinct values are
 * consecutive (k values from any base, mapped to 0..k-1 in order) or exactly
 * {-1, 1} (TU's binary convention, mapped to 0, 1). A repeated line of A
 * is a parallel arc (the GVI graphs have them: two actions from one state);
 * parallel arcs keep their lines' order. Blank lines are skipped; fields
 * may carry blanks around them.
 * Memory: 8 (nodes + arcs) bytes of structure plus 4 bytes per feature and
 * target value; loading holds every file's text at once.
 * ------------------------------------------------------------------------ */

/* A set of graphs held as one disjoint union (a result record, freed by
 * grl_graph_set_free). Arcs are stored by TARGET (CSR of incoming arcs), the
 * order message passing aggregates in: the arcs into node i are
 * in_ptr[i] .. in_ptr[i+1]-1, their sources arc_source[k] ascending within a
 * row. An undirected edge is two arcs. Nodes of graph g are
 * graph_ptr[g] .. graph_ptr[g+1]-1, and arcs never cross graphs. */
typedef struct {
    int64_t ngraphs;
    int64_t nodes;
    int64_t arcs;
    int64_t *graph_ptr;     /* ngraphs + 1                                     */
    int64_t *in_ptr;        /* nodes + 1                                       */
    int64_t *arc_source;    /* arcs                                            */
    int64_t node_dim;       /* node input features per node (0: none)          */
    float   *node_x;        /* nodes x node_dim, row-major, or NULL            */
    int64_t arc_dim;        /* arc input features per arc (0: none)            */
    float   *arc_x;         /* arcs x arc_dim, in arc order, or NULL           */
    int64_t node_target_dim;/* node regression targets per node (0: none)      */
    float   *node_y;        /* nodes x node_target_dim, or NULL                */
    int64_t nclasses;       /* graph classes 0..nclasses-1 (0: no graph labels)*/
    int64_t *graph_class;   /* ngraphs, or NULL                                */
    int64_t node_label_dim; /* the first node_label_dim columns of node_x are
                               one-hot node labels (0: none)                   */
    int64_t arc_label_dim;  /* the same for arc_x and edge labels              */
} grl_graph_set;

/* Read the graph set dir/name_*.txt (the layout above).
 *   S     out: the set (release with grl_graph_set_free); NULL on error;
 *         not NULL itself
 *   dir   the folder holding the files; not NULL
 *   name  the dataset's name, the files' prefix ("MUTAG"); not NULL
 *   msg   GRL_MSG_LEN bytes or NULL, cleared on entry; on error a sentence
 *         naming the file and line
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, a path too long),
 * GRL_IO_ERROR (a required file missing or unreadable), GRL_PARSE_ERROR
 * (a malformed line, a row count or width that disagrees, a node id out of
 * range, an arc between two graphs, graph ids not
 * 1, 2, ... in order, a gap in labels, a value that is not finite or does
 * not fit float32 / int64), GRL_OUT_OF_MEMORY. */
int grl_graph_set_load(grl_graph_set **S, const char *dir, const char *name,
                       char *msg);

/* Write S as dir/name_*.txt (dir must exist; files are replaced): A,
 * graph_indicator, graph_labels (classes 1..nclasses when S has any),
 * node_labels / edge_labels when the first node_label_dim / arc_label_dim
 * columns are exactly one-hot with every label used (otherwise every column
 * goes to the attributes file), node and edge attributes, node_targets.
 * Floats are written with 9 significant digits, so loading gives S back.
 *   S     the set, read only; checked first (sizes, pointers, ids, sorted
 *         rows, arcs within graphs, finite values); not NULL
 *   dir   an existing folder; not NULL
 *   name  the files' prefix; not NULL
 *   msg   GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, an inconsistent S),
 * GRL_IO_ERROR (a file cannot be written; msg names it). */
int grl_graph_set_save(const grl_graph_set *S, const char *dir,
                       const char *name, char *msg);

/* Check S's invariants (what grl_graph_set_save checks): sizes >= 0,
 * graph_ptr and in_ptr non-decreasing from 0 to their totals, sources in
 * range and ascending within a row, no arc between graphs, arrays
 * present when their width is positive, values finite, classes in range.
 *   S    the set; not NULL
 *   msg  GRL_MSG_LEN bytes or NULL, cleared on entry, says what is wrong
 * Errors: GRL_INVALID_ARGUMENT. */
int grl_graph_set_check(const grl_graph_set *S, char *msg);

/* Keep only the one-hot node-label columns of S's node inputs (the first
 * node_label_dim of node_x; GIN's and the CGS reference's inputs on
 * PROTEINS, whose raw node attribute spans -538 to 798): node_dim becomes
 * node_label_dim, the rows are moved in place. A set without node labels
 * is left with node_dim 0 (the fixed-point models then see a constant 1).
 *   S    the set, changed in place; not NULL
 *   msg  GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Errors: GRL_INVALID_ARGUMENT (NULL, a label width outside 0..node_dim). */
int grl_graph_set_keep_node_labels(grl_graph_set *S, char *msg);

/* Free S and every array it holds. The signature is fixed by the contract
 * with the fixed-point models (it takes the set, not the caller's pointer,
 * unlike the other _free functions): the caller's pointer dangles after.
 *   S  the set, or NULL (nothing happens) */
void grl_graph_set_free(grl_graph_set *S);


/* Stratified k-fold cross-validation over the graphs of a set (a result
 * record): in fold f the graphs of part f are the test graphs, those of part
 * (f + 1) mod k the validation graphs (for choosing the epoch), the rest
 * training graphs. Roles are grl_split_role values. */
typedef struct {
    int64_t ngraphs, nfolds;
    uint8_t *role; /* nfolds x ngraphs, fold-major: role[f * ngraphs + g] */
} grl_graph_folds;

typedef struct {
    int64_t folds;  /* k, 3..1000 and at most the graphs, default 10 */
    uint64_t seed;  /* default 0                                     */
} grl_graph_folds_options;

/* Fill *opt with the defaults documented above.
 *   opt  the options to fill; not NULL */
void grl_graph_folds_options_init(grl_graph_folds_options *opt);

/* Deal the graphs of S into opt->folds parts, class by class: each class's
 * graphs are ordered by a hash of (seed, graph index) and dealt round-robin,
 * the next class starting where the previous stopped, so every part holds
 * floor or ceil of a class's share and part sizes differ by at most one.
 * Without classes (S->nclasses == 0) all graphs are one class.
 *   F    out: the folds (release with grl_graph_folds_free); NULL on error
 *   S    the graph set, read only; not NULL
 *   opt  NULL for the defaults
 *   msg  GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, folds out of range or more
 * than the graphs), GRL_OUT_OF_MEMORY. */
int grl_graph_folds_generate(grl_graph_folds **F, const grl_graph_set *S,
                             const grl_graph_folds_options *opt, char *msg);

/* Turn cross-validation folds into screening folds, for comparing settings
 * without the test parts and without the bias of the part that chose the
 * epoch: in fold f part f is left out (GRL_SPLIT_NONE), part f + 1 still
 * chooses the epoch, part f + 2 (mod k) is scored in the test role, the
 * rest trains (one part less than in cross-validation).
 *   F    the folds, changed in place; k >= 4; not NULL
 *   msg  GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Errors: GRL_INVALID_ARGUMENT (NULL, fewer than 4 folds), GRL_OUT_OF_MEMORY. */
int grl_graph_folds_screen(grl_graph_folds *F, char *msg);

/* Free *F and set *F to NULL.
 *   F  the caller's pointer; F or *F NULL: nothing happens */
void grl_graph_folds_free(grl_graph_folds **F);


/* ---------------------------------------------------------------------------
 * Graph value iteration (CGS, Park et al. ICLR 2022, section 6.2; the
 * generator of its reference code, Junyoungpark/CGS gvi/generate_graph.py):
 * each graph is a deterministic MDP whose states are nodes. A graph has nS
 * states, nS uniform in [min_states, max_states), and nA actions per state,
 * nA uniform in [min_actions, max_actions): state i is entered from nA
 * source states drawn uniformly with replacement among the other nS - 1
 * (so parallel arcs occur), arc reward r uniform in [-1, 1). The value is
 * the fixed point of V(i) = max over arcs src -> i of (r + gamma V(src)),
 * by synchronous value iteration from V = 0 until no value moves by more
 * than tolerance + 1e-5 |V| (torch.allclose's test); the policy of i is the
 * arc that attains the max (the first on ties). Sets hold node_x = 1 (one
 * dummy feature, as the reference), arc_x = r, node_y = V.
 * ------------------------------------------------------------------------ */

typedef struct {
    int64_t min_states, max_states;   /* nS in [min, max): 20, 50            */
    int64_t min_actions, max_actions; /* nA in [min, max): 5, 10; max_actions
                                         must be below min_states            */
    double gamma;                     /* discount in (0, 1), 0.9             */
    double tolerance;                 /* value iteration's, > 0, 1e-3        */
    int64_t max_iterations;           /* >= 1, 200                           */
} grl_gvi_options;

/* Fill *opt with the defaults documented above.
 *   opt  the options to fill; not NULL */
void grl_gvi_options_init(grl_gvi_options *opt);

/* Generate `graphs` MDP graphs with their values. Graph g draws from the
 * RNG stream g of seed, so the set does not depend on the thread count.
 *   S       out: the set (release with grl_graph_set_free); NULL on error
 *   graphs  >= 1
 *   seed    any value
 *   opt     NULL for the defaults
 *   msg     GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Errors: GRL_INVALID_ARGUMENT (sizes or options out of range, a set too
 * large for memory arithmetic), GRL_OUT_OF_MEMORY. Warning:
 * GRL_NOT_CONVERGED when value iteration stopped at max_iterations on some
 * graph (the values are the last iterate). */
int grl_gvi_generate(grl_graph_set **S, int64_t graphs, uint64_t seed,
                     const grl_gvi_options *opt, char *msg);

/* The greedy policy of values: policy[i] = the arc k (an index into S's
 * arcs, in_ptr[i] <= k < in_ptr[i+1]) maximising arc_x[k] + gamma
 * value[arc_source[k]], the first on ties; -1 for a node without in-arcs.
 *   S       a set with arc_dim >= 1 (the reward is arc_x's first column)
 *   value   S->nodes values
 *   gamma   the discount, in (0, 1)
 *   policy  out: S->nodes entries, caller allocated
 *   msg     GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, no arc features, gamma out
 * of range). */
int grl_gvi_policy(const grl_graph_set *S, const float *value, double gamma,
                   int64_t *policy, char *msg);

/* How good predicted values are, per graph then averaged over graphs (the
 * reference's protocol): mape = mean |V - pred| / max(|V|, 1e-6) x 100
 * (the true value in the denominator; the reference divides by the
 * prediction), policy_accuracy = share of nodes whose greedy arc under pred
 * is the greedy arc under V (S->node_y).
 *   S                the set with node_y = V and rewards in arc_x
 *   pred             S->nodes predicted values
 *   gamma            the discount, in (0, 1)
 *   mape, policy_accuracy  out: the figures; not NULL
 *   msg              GRL_MSG_LEN bytes or NULL, cleared on entry
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, no targets or rewards, no
 * graphs, gamma out of range), GRL_OUT_OF_MEMORY. */
int grl_gvi_evaluate(const grl_graph_set *S, const float *pred, double gamma,
                     double *mape, double *policy_accuracy, char *msg);


/* ---------------------------------------------------------------------------
 * Pore networks (CGS section 6.1 in spirit: steady flow through a porous
 * medium). A graph has n pores, n uniform in [min_pores, max_pores), at
 * uniform positions in the unit cube, with lognormal radii
 * exp(N(log radius_median, radius_log_std^2)); pores closer than
 * r_c = (3 mean_degree / (4 pi n))^(1/3) are joined by a throat (two arcs)
 * of conductance g = pi r^4 / (8 viscosity L), r the smaller radius of the
 * two pores, L their distance (Hagen-Poiseuille). Pores with x < face_width
 * are inlets (pressure 1), x > 1 - face_width outlets (pressure 0); the pore
 * of least x is always an inlet and that of largest x an outlet. Pores in a
 * component without an inlet or outlet are removed (their pressure is not
 * determined), so a graph can have fewer than n pores. The other pressures
 * solve mass conservation, sum_j g_ij (p_i - p_j) = 0, a sparse SPD system
 * solved by conjugate gradients with a Jacobi preconditioner in double.
 * Sets hold node_x = (x, y, z, radius, inlet, outlet), arc_x =
 * (conductance, length), node_y = pressure.
 * ------------------------------------------------------------------------ */

typedef struct {
    int64_t min_pores, max_pores; /* n in [min, max), default 50, 200        */
    double mean_degree;           /* expected throats per pore, > 0, 6       */
    double radius_median;         /* pore radius median, > 0, 0.02          */
    double radius_log_std;        /* lognormal spread, >= 0, 0.25           */
    double viscosity;             /* mu > 0, 1e-3                           */
    double face_width;            /* inlet / outlet slab, (0, 0.5), 0.1     */
    double tolerance;             /* CG relative residual, > 0, 1e-10       */
    int64_t max_iterations;       /* CG cap, >= 1, 10000                    */
} grl_pore_options;

/* Fill *opt with the defaults documented above.
 *   opt  the options to fill; not NULL */
void grl_pore_options_init(grl_pore_options *opt);

/* Generate `graphs` pore networks with their pressures. Graph g draws from
 * the RNG stream g of seed, so the set does not depend on the thread count.
 *   S       out: the set (release with grl_graph_set_free); NULL on error
 *   graphs  >= 1
 *   seed    any value
 *   opt     NULL for the defaults
 *   msg     GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Errors: GRL_INVALID_ARGUMENT (sizes or options out of range),
 * GRL_OUT_OF_MEMORY. Warning: GRL_NOT_CONVERGED when conjugate gradients
 * stopped at max_iterations on some graph (the pressures are the last
 * iterate). */
int grl_pore_generate(grl_graph_set **S, int64_t graphs, uint64_t seed,
                      const grl_pore_options *opt, char *msg);


/* ---------------------------------------------------------------------------
 * MPNN: a K-layer message-passing baseline for node regression on graph
 * sets (no fixed point): K attention message-passing layers (each an edge
 * network on [e_ij, h_i, h_j], a softmax over incoming arcs, a node network
 * on [h_i, message sum]: CGS's encoder layer) and a linear decoder. Node and
 * arc features and the targets are standardised with the training set's
 * column means and deviations (a constant column is left as it is).
 * Trained on mini-batches of whole graphs with mean squared error; the
 * epoch is chosen on validation graphs taken from the end of the training
 * set. Memory: per batch, about (12 hidden + 2 arc_dim) floats per arc and
 * layer.
 * The same training runs a Convergent Graph Solver (model GRL_MPNN_CGS; Park,
 * Choo, Park, ICLR 2022, eq. 4-6, as its reference's node-regression model):
 * the K layers are its encoder, the last one's arc outputs (message width m)
 * the logits s and its node outputs (width m) the biases b of m heads;
 * A_k[i, j] = clip(s_k, 0, 1) / outdeg(j) for the arc j -> i, so every column
 * of γ A_k sums to <= γ < 1; the fixed point h* = γ A h* + b of every head
 * (the solver of the fixed-point GNNs below, all heads in one pass over the
 * arcs, from 0 to the tolerance); a decoder Linear(m, hidden) -> SiLU ->
 * Linear(hidden, targets) on a node's m values. Gradients by the implicit
 * function theorem: y = γ Aᵀ y + dL/dh* by the same solver, then dL/db = y,
 * dL/dA = γ y h*ᵀ on the arcs; memory independent of the iterations (plus
 * 4 arcs x m floats per batch).
 * ------------------------------------------------------------------------ */

typedef enum {
    GRL_MPNN_PLAIN = 0, /* K layers and a linear decoder                      */
    GRL_MPNN_CGS,       /* K layers as the encoder of a fixed point           */
} grl_mpnn_model;

typedef struct {
    grl_mpnn_model model;  /* default GRL_MPNN_PLAIN                        */
    int64_t layers;        /* K, 1..5, default 3                            */
    int64_t hidden;        /* width of states, messages and MLPs, 32        */
    int64_t batch_graphs;  /* graphs per step, >= 1, default 32             */
    double val_fraction;   /* share of the training graphs (the last ones)
                              kept for choosing the epoch, in (0, 1), 0.1   */
    grl_gnn_train_options train; /* defaults but 100 epochs, patience 20,
                                    lr 1e-3                                */
    /* GRL_MPNN_CGS only */
    int64_t heads;         /* m, 1..4096, default 16 (the reference's for
                              pore networks)                              */
    double gamma;          /* in (0, 1), default 0.5 (the reference's)      */
    grl_fixed_point_options solver; /* default tol 1e-6, max_iter 50        */
} grl_mpnn_options;

/* Fill *opt with the defaults documented above.
 *   opt  the options to fill; not NULL */
void grl_mpnn_options_init(grl_mpnn_options *opt);

/* Summary of a training run. */
typedef struct {
    int64_t epochs_run, best_epoch;
    double train_mse, val_mse; /* at best_epoch, in the targets' units    */
    double seconds;
    /* GRL_MPNN_CGS: the training steps' solves (one forward and one adjoint
     * per step), their mean iterations and how many stopped at the cap */
    int64_t solves, capped;
    double forward_iterations, adjoint_iterations;
} grl_mpnn_train_result;

/* A trained MPNN (opaque). */
typedef struct grl_mpnn grl_mpnn;

/* Train on the node targets of S (node_target_dim >= 1; S needs at least 2
 * graphs: some validate). The result is bit-identical for a seed with any
 * thread count.
 *   M    out: the model (release with grl_mpnn_free); NULL on error
 *   res  out: the summary, or NULL
 *   S    the training set, read only
 *   opt  NULL for the defaults
 *   msg  GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Returns 0, GRL_NOT_CONVERGED (a warning, the model is usable) when some
 * CGS solve stopped at solver.max_iter (res->capped says how many), or:
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, options out of range, no
 * targets, too few graphs, a non-finite loss), GRL_OUT_OF_MEMORY. */
int grl_mpnn_train(grl_mpnn **M, grl_mpnn_train_result *res,
                   const grl_graph_set *S, const grl_mpnn_options *opt,
                   char *msg);

/* Predicted node targets of S (same node, arc and target widths as the
 * training set; the graphs may be larger).
 *   M     the model; its work buffers are used, so not from two threads
 *   S     the set, read only
 *   pred  out: S->nodes x node_target_dim floats, caller allocated
 *   msg   GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error
 * Returns 0, GRL_NOT_CONVERGED (a warning: pred is from the last iterate)
 * when some CGS solve stopped at its cap, or:
 * Errors: GRL_INVALID_ARGUMENT (NULL argument, widths that differ),
 * GRL_OUT_OF_MEMORY. */
int grl_mpnn_predict(grl_mpnn *M, const grl_graph_set *S, float *pred,
                     char *msg);

/* Free *M and set *M to NULL.
 *   M  the caller's pointer; M or *M NULL: nothing happens */
void grl_mpnn_free(grl_mpnn **M);

/* ---------------------------------------------------------------------------
 * Fixed-point GNNs on graph sets (the `fixpoint` block continued: it needs
 * grl_graph_set).
 * ------------------------------------------------------------------------ */

/* Graph classification on a grl_graph_set (the TU layout above):
 * the model runs on the disjoint union and a graph's logits are the
 * decoder's output on the sum of its nodes' fixed-point values (the sum
 * readout; APPNP, which has no decoder: the sum of its nodes' logits);
 * node inputs are node_x (a
 * constant 1 without any), CGS's arc inputs arc_x (ones without any);
 * APPNP and IGNN add a self-loop to every node for Â. S splits the
 * GRAPHS (S->nodes = D->ngraphs; e.g. cross-validation folds with a
 * validation part carved from each training fold), labels are
 * D->graph_class. Returns and errors as grl_fpgnn_train (also: a set
 * without graph classes).
 * M: receives the model; res: the training summary (may be NULL); D: the graphs; split: which split of S; opt: NULL for defaults; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_train_graphs(grl_fpgnn **M, grl_gnn_train_result *res,
                           const grl_graph_set *D,
                           const grl_node_splits *S, int64_t split,
                           const grl_fpgnn_options *opt, char *msg);
/* Class probabilities of every graph of D (proba caller-allocated,
 * ngraphs x nclasses); returns as grl_fpgnn_predict.
 * M: the model; D: graphs with the inputs it was trained on; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_predict_graphs(grl_fpgnn *M, const grl_graph_set *D,
                             float *proba, char *msg);
/* grl_fpgnn_evaluate for graph classification: one model per split of S.
 * E: receives the summary; best: the best-validation model (may be NULL); D: the graphs; S: splits of the graphs; opt: NULL for defaults; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_fpgnn_evaluate_graphs(grl_fpgnn_evaluation *E, grl_fpgnn **best,
                              const grl_graph_set *D,
                              const grl_node_splits *S,
                              const grl_fpgnn_options *opt, char *msg);
/* Stratified k-fold cross-validation of graph classification (what `grl gnn
 * appnp|ignn|cgs --graphs` runs): grl_graph_folds_generate's folds of D,
 * seeded by opt->train.seed (in fold f part f tests, part f + 1 picks the
 * epoch, the rest trains; with opt->screen turned into screening folds),
 * then grl_fpgnn_evaluate_graphs over them; E->test holds the folds' test
 * (screening: scored part's) accuracies in fold order.
 * E: receives the summary (grl_fpgnn_evaluation_release; zeroed on error); best: the best-validation model (may be NULL); D: the graphs, with graph classes; folds: k, 3..1000 and at most the graphs; opt: NULL for defaults; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * Returns as grl_fpgnn_evaluate_graphs (also: folds out of range, fewer
 * than 4 when screening). */
int grl_fpgnn_cross_validate_graphs(grl_fpgnn_evaluation *E, grl_fpgnn **best,
                                    const grl_graph_set *D, int64_t folds,
                                    const grl_fpgnn_options *opt, char *msg);

#ifdef __cplusplus
}
#endif
#endif
