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

/* Fill *opt with the defaults documented above (opt must not be NULL). */
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

/* Fill *opt with the defaults documented above (opt must not be NULL). */
void grl_optimizer_options_init(grl_optimizer_options *opt);

/* Reported once per epoch to the progress callback. */
typedef struct {
    int64_t epoch, epochs;        /* 1-based epoch, the maximum            */
    double loss;                  /* mean training loss of the epoch       */
    double train_accuracy, val_accuracy, val_loss;
    double seconds;               /* wall time of the epoch                */
    bool improved;                /* best validation so far                */
} grl_gnn_train_progress;

typedef struct {
    int64_t epochs;        /* maximum, >= 1, default 500                     */
    int64_t patience;      /* stop after this many epochs without a better
                              validation accuracy (ties: lower validation
                              loss); 0 disables; default 50                */
    int64_t batch_size;    /* training nodes per step; 0 (default) = all   */
    uint64_t seed;         /* parameter init, dropout, batch order; 0      */
    grl_optimizer_options optimizer;
    /* Called after every epoch on the calling thread (NULL: none). The
     * library never prints; the CLI prints a line when stderr is a tty. */
    void (*progress)(const grl_gnn_train_progress *p, void *ctx);
    void *progress_ctx;
} grl_gnn_train_options;

/* Fill *opt with the defaults documented above (opt must not be NULL). */
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
 * undirected set uses S = max(A, Aᵀ) + I with D^{-1/2} S D^{-1/2}. Every
 * set also has the features themselves as a branch.
 * Trainable part, per pattern p with hops H_0..H_K (row i):
 *   alpha = softmax_k(v_p . H_k + c_pk), Z_p = sum_k alpha_k H_k
 *   (node-adaptive hops; the paper's softmax_k(sigmoid(u_p . [H_0 | ... |
 *   H_K] + v_p . H_k + c_p)) keeps every alpha_k within [1/(1 + K e),
 *   e/(e + K)], at least 15% on the raw features for K = 2, which cost
 *   Cora-ML 4 points of accuracy; the u_p term is the same for every hop and
 *   cancels without the sigmoid, per-hop biases c_pk take its place)
 *   T_p = dropout(relu(Z_p W_p + b_p)),  scaled by a learned s_p,
 * and logits = [s_0 T_0 | s_1 T_1 | ...] W_o + b_o (branch 0 = features).
 * ------------------------------------------------------------------------ */

typedef enum {
    GRL_ADPA_PATTERNS_ALL = 0,    /* the six directed patterns             */
    GRL_ADPA_PATTERNS_UNDIRECTED, /* symmetrised graph, sym. normalised    */
    GRL_ADPA_PATTERNS_DIR,        /* A and Aᵀ only (Dir-GNN-like)          */
    GRL_ADPA_PATTERNS_FEATURES,   /* no graph: an MLP on the features      */
    GRL_ADPA_PATTERNS_AUTO,       /* as grl_digraph_profile recommends     */
} grl_adpa_patterns;

/* "all", "undirected", "dir", "features", "auto" <-> the enum.
 * name: the text to parse; out: receives the value; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error.
 * p (grl_adpa_patterns_name): a value; returns its name, NULL if it has none. */
int grl_adpa_patterns_parse(const char *name, grl_adpa_patterns *out,
                            char *msg);
const char *grl_adpa_patterns_name(grl_adpa_patterns p);

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
} grl_adpa_options;

/* Fill *opt with the defaults documented above (opt must not be NULL). */
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
 * set, hops or feature width than M.
 * msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_predict(const grl_adpa *M, const grl_adpa_prop *P, float *proba,
                     char *msg);
/* Classes of the model.
 * M: the model (0 for NULL). */
int64_t grl_adpa_nclasses(const grl_adpa *M);

/* Per branch, the share of the concatenated representation's L1 mass it
 * carries (|s_p| |T_p|_1 over all nodes, normalised to sum 1): mass is
 * caller-allocated, grl_adpa_prop_branches(P) doubles.
 * M: the model, P: its propagations; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_branch_mass(const grl_adpa *M, const grl_adpa_prop *P,
                         double *mass, char *msg);

/* Save to a versioned, checksummed binary file ("GRLADPA1", version 1, the
 * container of .grl files): branch kinds, K, r, sizes, every parameter.
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
} grl_adpa_evaluation;

/* Build the propagations of opt->patterns (AUTO: the profile's
 * recommendation on G, L and the training nodes of split 0), train one model
 * per split, and fill *E. best (may be NULL) receives the model of the
 * split with the highest validation accuracy, pred_P (may be NULL) its
 * propagations (the caller frees both).
 * X: the n x f features; S: the splits, one model per split; msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_adpa_evaluate(grl_adpa_evaluation *E, grl_adpa **best,
                      grl_adpa_prop **pred_P, grl_graph *G,
                      const grl_dense *X, const grl_node_labels *L,
                      const grl_node_splits *S, const grl_adpa_options *opt,
                      char *msg);
/* Release E->test (NULL-safe). */
void grl_adpa_evaluation_release(grl_adpa_evaluation *E);

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
    double homophily[GRL_DIGRAPH_PATTERNS];
    double adjusted[GRL_DIGRAPH_PATTERNS];
    grl_adpa_patterns recommended;
    double smoothness[GRL_DIGRAPH_PATTERNS]; /* NAN without features     */
} grl_digraph_profile_result;

/* Profile G with the labels of the training nodes of split `split` of S
 * (S NULL: every labelled node). Errors: fewer than 2 labelled nodes, no
 * pair of training nodes joined by any pattern.
 * res: receives the table; L: the labels; X: the n x f features for the
 * smoothness column, or NULL (NAN there); msg: GRL_MSG_LEN bytes or NULL, cleared on entry, a sentence on error. */
int grl_digraph_profile(grl_digraph_profile_result *res, grl_graph *G,
                        const grl_node_labels *L, const grl_node_splits *S,
                        int64_t split, const grl_dense *X, char *msg);

#ifdef __cplusplus
}
#endif
#endif
