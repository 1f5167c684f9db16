/* message_passing.h — one message-passing layer with attention over
 * incoming arcs (the MPNN layer of CGS's encoder, Park et al. ICLR 2022;
 * Battaglia et al.'s edge / node update), float32, hand-written backward.
 * Not installed: gnn/'s models (the MPNN baseline, the CGS encoder) use it.
 *
 * For arc k = src -> dst with features e_k and node states h (n x node_in):
 *   z_k     = [e_k, h_src, h_dst]                       (arc_in + 2 node_in)
 *   u_k     = edge network MLP(z_k)                      (message widths)
 *   s_k     = attention network MLP(z_k)                 (a scalar logit)
 *   alpha_k = softmax of s over the arcs into dst        (0 arcs: nothing)
 *   m_i     = sum over arcs k into i of alpha_k u_k
 *   h'_i    = node network MLP([h_i, m_i])               (node_out)
 * Each MLP is Linear(in, hidden) -> activation -> Linear(hidden, out).
 * u (the updated arc features) is an output too: a caller may use it and
 * pass its gradient to backward.
 *
 * Determinism: every sum over arcs runs in CSR order (by target for m and
 * the target part of dh, by source through the transposed order for the
 * source part), and the dense products are grl_nn_gemm / grl_nn_gemm_tn, so
 * 1 and 2 threads give the same bits.
 * Memory per call: the cache below, about m (arc_in + 2 node_in + 4 hidden
 * + 2 message + 2) + n (node_in + message + 2 hidden + node_out) floats,
 * and twice the arc part again during backward.
 */
#ifndef GRL_GNN_MESSAGE_PASSING_H
#define GRL_GNN_MESSAGE_PASSING_H

#include "nn.h"

/* The arcs of a batch of graphs (borrowed arrays of a grl_graph_set, or
 * of a slice of one rebased to 0) with what the layer derives from them. */
typedef struct {
    int64_t nodes, arcs;
    const int64_t *in_ptr;     /* nodes + 1, arcs by target                */
    const int64_t *arc_source; /* arcs                                     */
    int64_t *arc_target;       /* arcs (owned)                             */
    int64_t *out_ptr;          /* nodes + 1: arcs by source (owned)        */
    int64_t *out_arc;          /* arcs: the arc ids in source order (owned)*/
} grl_mp_graph;

/* Derive targets and the by-source order (a counting sort, stable, so
 * out_arc lists each node's arcs in ascending arc id). */
int grl_mp_graph_build(grl_mp_graph *G, int64_t nodes, int64_t arcs,
                       const int64_t *in_ptr, const int64_t *arc_source,
                       char *msg);
void grl_mp_graph_release(grl_mp_graph *G);

typedef struct {
    int64_t node_in, arc_in, message, hidden, node_out;
    grl_nn_activation activation;
    /* tensor indices in the model's grl_nn_params: edge, attention and node
     * networks, first and second linear layer, weight then bias */
    int edge_w1, edge_b1, edge_w2, edge_b2;
    int att_w1, att_b1, att_w2, att_b2;
    int node_w1, node_b1, node_w2, node_b2;
} grl_mp_layer;

/* Register the layer's 12 tensors in P (before grl_nn_params_alloc).
 * Errors: a width < 1 (arc_in may be 0), GRL_NN_MAX_TENSORS exceeded. */
int grl_mp_layer_add(grl_mp_layer *L, grl_nn_params *P, int64_t node_in,
                     int64_t arc_in, int64_t message, int64_t hidden,
                     int64_t node_out, grl_nn_activation activation, char *msg);

/* PyTorch's nn.Linear initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
 * for weights and biases, from the RNG streams of the tensor indices. */
void grl_mp_layer_init(const grl_mp_layer *L, grl_nn_params *P, uint64_t seed);

/* The layer's MLPs (and CGS's decoder): Y = Linear(w2)(f(Linear(w1)(X)))
 * over rows of X, keeping pre and post (rows x hidden) for backward; each
 * bias is the tensor after its weight. */
void grl_mp_mlp_forward(const grl_nn_params *P, int w1, int w2, grl_nn_activation f,
                        const float *X, int64_t rows, float *pre, float *post,
                        float *Y);
/* Its backward: parameter gradients added to P->grad, dX (rows x in)
 * overwritten (NULL: not needed); dpost is rows x hidden scratch, scratch
 * grl_nn_gemm_tn_scratch(rows, max(in, hidden), max(hidden, out)) floats. */
void grl_mp_mlp_backward(grl_nn_params *P, int w1, int w2, grl_nn_activation f,
                         const float *X, int64_t rows, const float *pre,
                         const float *post, const float *dY, float *dpost,
                         float *dX, float *scratch);

/* What forward keeps for backward (owned; grown as needed, reusable). */
typedef struct {
    int64_t nodes_cap, arcs_cap;
    float *z, *e1, *e1a, *u, *a1, *a1a, *logit, *alpha; /* per arc  */
    float *nin, *n1, *n1a;                              /* per node */
} grl_mp_cache;

void grl_mp_cache_release(grl_mp_cache *C);

/* out (nodes x node_out) and C->u (arcs x message) from h (nodes x node_in)
 * and e (arcs x arc_in; NULL when arc_in is 0). */
int grl_mp_forward(const grl_mp_layer *L, const grl_nn_params *P,
                   const grl_mp_graph *G, const float *h, const float *e,
                   grl_mp_cache *C, float *out, char *msg);

/* Add the gradient of the loss to P->grad given dout (nodes x node_out) and
 * du (arcs x message, the gradient reaching u from outside the layer, or
 * NULL), for the inputs and cache of the last forward. dh (nodes x node_in)
 * and de (arcs x arc_in) receive the inputs' gradients (overwritten; either
 * may be NULL). */
int grl_mp_backward(const grl_mp_layer *L, grl_nn_params *P,
                    const grl_mp_graph *G, const grl_mp_cache *C, const float *dout, const float *du,
                    float *dh, float *de, char *msg);

#endif
