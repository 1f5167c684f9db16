/* cgs_internal.h — CGS's parts inside gnn/: the encoder seam (what turns a
 * graph's node and arc inputs into per-arc logits and per-node biases) and
 * the buffer slots its files share. The encoder is a linear edge network
 * on [e_ji, E_i, E_j] over a node embedding E (cgs_encoder.c), or with
 * mp_layers attention message-passing layers over E (cgs_mp_encoder.c). */
#ifndef GRL_GNN_CGS_INTERNAL_H
#define GRL_GNN_CGS_INTERNAL_H

#include "fpgnn_internal.h"

/* Parameter tensors (M->t): the encoder's, then the decoder's. */
enum { CGS_WE, CGS_BE, CGS_A, CGS_WT, CGS_WS, CGS_BA, CGS_WB, CGS_BB,
       CGS_W1, CGS_B1, CGS_W2, CGS_B2 };

/* Buffer slots (M->buf). */
enum { CGS_PRE = GRL_FPGNN_FIRST_KIND_BUFFER, CGS_E, CGS_PT, CGS_PS, CGS_LOGIT,
       CGS_BIAS, CGS_WA, CGS_HF, CGS_SPARE, CGS_DPRE, CGS_DH, CGS_Y, CGS_DW,
       CGS_DE, CGS_DPT, CGS_DPS, CGS_DDH, CGS_DHF, CGS_SCRATCH, CGS_CAT,
       CGS_DFIX, CGS_DSKIP, CGS_MP_H, CGS_MP_DH };

/* The encoder: the linear edge network below (M->mp_layers 0) or
 * cgs_mp_encoder.c's message-passing layers, which these calls hand over
 * to. Register and initialise the encoder's parameters. */
void grl_cgs_encoder_add(grl_fpgnn *M);
void grl_cgs_encoder_init(grl_fpgnn *M, uint64_t key);
/* s (arcs x m) and b (n x m) from the graph's features and arc weights. */
int grl_cgs_encoder_forward(grl_fpgnn *M, float **s, float **b, char *msg);
/* The node embedding E (n x hidden) and the logits s (arcs x m) of the
 * last forward. */
const float *grl_cgs_encoder_embedding(const grl_fpgnn *M);
const float *grl_cgs_encoder_logits(const grl_fpgnn *M);
/* Add the encoder's gradients given ds (arcs x m), db (n x m) and, with
 * skip, dskip (n x hidden, the gradient reaching E from the decoder; NULL
 * without). */
int grl_cgs_encoder_backward(grl_fpgnn *M, const float *ds, const float *db,
                             const float *dskip, char *msg);

/* cgs_mp_encoder.c: the same four calls for M->mp_layers >= 1. */
void grl_cgs_mp_encoder_add(grl_fpgnn *M);
void grl_cgs_mp_encoder_init(grl_fpgnn *M, uint64_t key);
int grl_cgs_mp_encoder_forward(grl_fpgnn *M, float **s, float **b, char *msg);
int grl_cgs_mp_encoder_backward(grl_fpgnn *M, const float *ds, const float *db,
                                const float *dskip, char *msg);

#endif
