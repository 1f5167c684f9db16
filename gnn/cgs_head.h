/* cgs_head.h — the part of a Convergent Graph Solver (Park, Choo, Park,
 * ICLR 2022, eq. 4-6) that follows its encoder, for node regression on
 * graph sets: given per-arc logits s (arcs x m) and per-node biases b
 * (n x m) from any encoder,
 *   A_k[i, j] = clip(s[p, k], 0, 1) / outdeg(j)   for arc p = j -> i,
 * so every column of γ A_k sums to <= γ < 1 (the bound is recomputed and
 * handed to the solver), the fixed point h* = γ A h* + b of all m heads in
 * one pass over the arcs per step (gnn/fixed_point.h), and a decoder MLP
 * Linear(m, hidden) -> activation -> Linear(hidden, out) on a node's m
 * values (the reference's decoder sees only the fixed point).
 * Backward by the implicit function theorem (CGS §4): y = γ Aᵀ y + dL/dh*
 * by the same solver, then dL/db = y and dL/ds[p, k] = γ y[i, k] h*[j, k] /
 * outdeg(j) where 0 <= s <= 1 (torch.clamp's convention), 0 elsewhere.
 * Not installed: grl_mpnn's CGS model uses it behind its message-passing
 * encoder. Determinism: the solver's and grl_nn's (1 and 2 threads give
 * the same bits).
 * Memory: 2 arcs x m floats (weights, their gradient) and about 4 n x m +
 * 3 n x hidden floats, grown as needed and kept between calls. */
#ifndef GRL_GNN_CGS_HEAD_H
#define GRL_GNN_CGS_HEAD_H

#include "fixed_point.h"

typedef struct {
    int64_t heads, hidden, out;
    double gamma;
    grl_fixed_point_options solver;
    grl_nn_activation activation;
    int dec_w1, dec_w2; /* tensor indices; each bias is the next tensor */
    /* what forward keeps for backward, grown as needed */
    int64_t cap_nodes, cap_arcs;
    float *wa, *hf, *spare, *y, *dhf, *pre, *post, *dpost, *scratch;
    /* the solves since the caller last zeroed these */
    grl_fixed_point_report forward, adjoint; /* the last ones              */
    int64_t solves, capped, forward_iterations, adjoint_iterations;
} grl_cgs_head;

/* Register the decoder's 4 tensors in P (before grl_nn_params_alloc) and
 * check the options. Errors: heads, hidden or out < 1, gamma not in (0, 1),
 * solver options out of range (grl_fp_check_options), too many tensors. */
int grl_cgs_head_add(grl_cgs_head *H, grl_nn_params *P, int64_t heads,
                     int64_t hidden, int64_t out, double gamma,
                     const grl_fixed_point_options *solver,
                     grl_nn_activation activation, char *msg);

/* PyTorch's nn.Linear initialisation of the decoder from seed's streams. */
void grl_cgs_head_init(const grl_cgs_head *H, grl_nn_params *P, uint64_t seed);

/* pred (A->n x out) from s (A->arcs x m, arc order) and b (A->n x m).
 * Returns 0, GRL_NOT_CONVERGED when the solve stopped at its cap (pred is
 * from the last iterate; counted in H->capped), or an error. */
int grl_cgs_head_forward(grl_cgs_head *H, const grl_nn_params *P,
                         const grl_fp_arcs *A, const float *s, const float *b,
                         float *pred, char *msg);

/* Add the decoder's gradients to P->grad given dpred for the last forward
 * (same A and s); ds (arcs x m) and db (n x m) receive the gradients of the
 * loss w.r.t. s and b (overwritten). Returns as forward. */
int grl_cgs_head_backward(grl_cgs_head *H, grl_nn_params *P,
                          const grl_fp_arcs *A, const float *s,
                          const float *dpred, float *ds, float *db, char *msg);

void grl_cgs_head_release(grl_cgs_head *H);

#endif
