/* fpgnn_internal.h — the fixed-point GNNs' shared parts inside gnn/: the
 * graph data a model runs on, the sparse input layer, and the model record
 * whose forward and backward each kind (appnp.c, ignn.c, cgs.c) supplies.
 *
 * A node task's model runs over the whole graph (the fixed point couples
 * every node): forward writes logits for all n nodes, the training loop's
 * rows are read out of them, and backward scatters the rows' gradient back
 * into an n x nclasses array that is zero elsewhere. A graph task's model
 * runs over the rows' graphs only (fpgnn_batch.c). */
#ifndef GRL_GNN_FPGNN_INTERNAL_H
#define GRL_GNN_FPGNN_INTERNAL_H

#include "fixed_point.h"
#include "message_passing.h"

#define GRL_FPGNN_MAX_MP_LAYERS 3

/* The data a model runs on, built from (G, X) or a graph set for one train
 * or predict. */
typedef struct {
    int64_t n, f;
    int64_t ngraphs;          /* graph tasks: the set's graphs (0: a node task) */
    const int64_t *graph_ptr; /* ngraphs + 1, borrowed from the set (or owned
                                 by a batch: graph_ptr_own)                    */
    int64_t *graph_ptr_own;
    int64_t arc_dim;          /* CGS's arc inputs per arc                      */
    const float *arc_x;       /* arcs x arc_dim: the edge weight, the set's arc
                                 features, or owned (arc_x_own: ones, or a
                                 batch's copy)                                 */
    float *arc_x_own;
    grl_fp_arcs A;     /* APPNP, IGNN: the symmetrised pattern with self-loops;
                          CGS: the graph's incoming arcs                  */
    float *w;          /* arcs: Â's weights (APPNP, IGNN), or the edge weight
                          (CGS's arc feature)                            */
    float *wt;         /* arcs: Â's weights in Aᵀ's order (APPNP, IGNN)    */
    double lambda;     /* upper bound on λ_pf(Â) (APPNP, IGNN)            */
    float *inv_outdeg; /* CGS: 1 / outdeg(j), 0 without out-arcs          */
    int64_t *xptr, *xcol; /* the features as CSR (n + 1, nnz)             */
    float *xval;          /* nnz                                          */
    int64_t *all;         /* the nodes' dropout keys: 0 .. n-1, in a batch
                             the nodes' ids in the whole set                */
    const int64_t *row_keys; /* the decoder's rows' dropout keys: `all` for
                                a node task, the graphs' ids for a graph
                                task (a batch owns them: row_keys_own)      */
    int64_t *row_keys_own;
} grl_fpgnn_graph;

int grl_fpgnn_graph_build(grl_fpgnn_graph *g, grl_fpgnn_kind kind,
                          grl_graph *G, const grl_dense *X, char *msg);
/* The same from a graph set (checked first): its arcs (with self-loops and
 * Â's weights for APPNP and IGNN), node features (a constant 1 without
 * any), arc features (ones without any). */
int grl_fpgnn_graph_from_set(grl_fpgnn_graph *g, grl_fpgnn_kind kind,
                             const grl_graph_set *D, char *msg);
void grl_fpgnn_graph_release(grl_fpgnn_graph *g);
/* b = the graphs graphs[0 .. count-1] (distinct) of the graph task g, in
 * that order, renumbered from 0 (gnn/fpgnn_batch.c); b is released first
 * and may be reused from call to call. */
int grl_fpgnn_graph_gather(grl_fpgnn_graph *b, const grl_fpgnn_graph *g,
                           const int64_t *graphs, int64_t count, char *msg);

/* The sparse input layer Y = X W + b (b may be NULL) with X's nonzeros
 * taken from val (g->xval, or a dropped-out copy); W f x out. */
void grl_fpgnn_input_forward(float *Y, const grl_fpgnn_graph *g,
                             const float *val, const float *W, const float *b,
                             int64_t out);
/* dW += Xᵀ dY (rows in order), db += column sums of dY (db may be NULL). */
void grl_fpgnn_input_backward(float *dW, float *db, const grl_fpgnn_graph *g,
                              const float *val, const float *dY, int64_t out);
/* val = inverted dropout of g->xval: nonzero q of row i dropped with
 * probability p by the RNG stream of row i under (seed, epoch). */
void grl_fpgnn_input_dropout(float *val, const grl_fpgnn_graph *g, double p,
                             uint64_t seed, uint64_t epoch);

#define GRL_FPGNN_MAX_BUFFERS 32

struct grl_fpgnn {
    grl_nn_model base; /* must be first */
    grl_nn_params params;
    grl_fpgnn_kind kind;
    int64_t f, arc_dim, hidden, nclasses, heads;
    double dropout, alpha, kappa, gamma;
    bool skip;
    int64_t mp_layers;        /* CGS's message-passing encoder layers (0: linear) */
    grl_fpgnn_activation activation;
    grl_nn_activation act;    /* CGS's encoder and decoder activation      */
    grl_fpgnn_readout readout; /* a graph task's readout (CGS)             */
    grl_mp_layer mp[GRL_FPGNN_MAX_MP_LAYERS];
    uint64_t seed;
    grl_fixed_point_options solver;
    int t[16];                /* the kind's parameter tensors            */
    /* while training or predicting */
    const grl_fpgnn_graph *whole; /* the node task's graph or the graph set */
    const grl_fpgnn_graph *g;     /* what the kinds run on: whole, or for a
                                     graph task the current batch          */
    grl_fpgnn_graph batch;
    grl_mp_graph mp_graph;    /* CGS's message passing over g's arcs       */
    grl_mp_cache mp_cache[GRL_FPGNN_MAX_MP_LAYERS];
    bool training;
    uint64_t epoch;
    const int64_t *rows;
    int64_t nrows;
    float *buf[GRL_FPGNN_MAX_BUFFERS]; /* the kind's work arrays           */
    size_t bufsize[GRL_FPGNN_MAX_BUFFERS];
    const float *dec_in;      /* the decoder's latest input (rows x width) */
    const float *readout_in;  /* a graph task's latest node values (n x width),
                                 which the max readout's backward reads     */
    grl_fpgnn_report report;
    grl_warning warn;         /* the first solve that stopped at its cap  */
};

/* The buffer in slot s with at least count floats (contents kept only when
 * no growth is needed; zeroed when grown). */
int grl_fpgnn_buffer(grl_fpgnn *M, int s, size_t count, float **out,
                     char *msg);

/* Put back the two buffers a solve swaps as it goes (slot a's and slot
 * b's, now pa and pb in either order) with their sizes following them: a
 * graph task's batches differ in size, so the slots' sizes differ. */
void grl_fpgnn_buffers_swapped(grl_fpgnn *M, int a, float *pa, int b, float *pb);

/* Record a solve's status and report (forward or adjoint); keeps the first
 * GRL_NOT_CONVERGED message. Returns status if < 0, else 0. */
int grl_fpgnn_note(grl_fpgnn *M, int status, const grl_fixed_point_report *r,
                   bool forward, const char *msg);

/* What a kind supplies: its parameters (registered, then initialised); the
 * fixed point over the whole graph, a node representation E (n x width,
 * one of the model's buffers); and the decoder from `rows` rows of such a
 * representation to logits — the nodes' own rows for node tasks, each
 * graph's readout of them for graph tasks (the readout comes before the
 * decoder, as in the CGS and IGNN references' graph models; width x
 * grl_fpgnn_readout_factor wide). The backward passes add to params.grad:
 * decode_backward takes dlogits (rows x nclasses) and gives *din (rows x
 * the decoder's input width), embed_backward takes dE. */
typedef struct {
    void (*add_params)(grl_fpgnn *M);
    void (*init_params)(grl_fpgnn *M, uint64_t key);
    int64_t (*width)(const grl_fpgnn *M);
    int (*embed)(grl_fpgnn *M, float **E, char *msg);
    int (*decode)(grl_fpgnn *M, const float *in, int64_t rows,
                  const float **logits, char *msg);
    int (*decode_backward)(grl_fpgnn *M, const float *dlogits, int64_t rows,
                           const float **din, char *msg);
    int (*embed_backward)(grl_fpgnn *M, const float *dE, char *msg);
} grl_fpgnn_ops;

extern const grl_fpgnn_ops grl_appnp_ops, grl_ignn_ops, grl_cgs_ops;

/* The decoder's input per width(M) node values: 1 for a sum readout (and
 * node tasks), 2 for the sum beside the max or mean. */
int64_t grl_fpgnn_readout_factor(const grl_fpgnn *M);

/* A model of this shape with the kind's ops installed and its parameters
 * laid out (M->params.count) but not allocated: what a loader checks a
 * file against before it allocates anything. */
int grl_fpgnn_shape(grl_fpgnn **M, grl_fpgnn_kind kind, int64_t f,
                    int64_t arc_dim, int64_t nclasses,
                    const grl_fpgnn_options *opt, char *msg);
/* A model with fresh parameters (seeded init); the kind's ops installed. */
int grl_fpgnn_new(grl_fpgnn **M, grl_fpgnn_kind kind, int64_t f,
                  int64_t arc_dim, int64_t nclasses,
                  const grl_fpgnn_options *opt, char *msg);

/* The refit of a graph task (grl_fpgnn_options.refit; for tests): a model
 * from opt's seed trained by grl_nn_train_fixed on split `split`'s training
 * and validation graphs for exactly `epochs` epochs (>= 1), keeping its
 * last parameters. Returns as grl_fpgnn_train_graphs. */
int grl_fpgnn_refit_graphs(grl_fpgnn **M, const grl_graph_set *D,
                           const grl_node_splits *S, int64_t split,
                           const grl_fpgnn_options *opt, int64_t epochs,
                           char *msg);

/* Slots 0 .. 3: the decoder's logits (the kinds write slot 0), and for
 * fpgnn.c the nodes' gradient dE of a graph task, the graphs' readout and
 * the scattered gradient of the logits. */
#define GRL_FPGNN_FIRST_KIND_BUFFER 4

#endif
