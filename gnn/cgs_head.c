/* cgs_head.c — CGS after its encoder (cgs_head.h): the contraction map from
 * the logits, the fixed point of all heads, the decoder, and the implicit
 * backward through the same solver. */
#include "cgs_head.h"

#include <math.h>

#include "message_passing.h"

int grl_cgs_head_add(grl_cgs_head *H, grl_nn_params *P, int64_t heads,
                     int64_t hidden, int64_t out, double gamma,
                     const grl_fixed_point_options *solver,
                     grl_nn_activation activation, char *msg)
{
#define FREE_ALL ;
    memset(H, 0, sizeof(*H));
    GRL_REQUIRE(heads >= 1 && heads <= 4096 && hidden >= 1 && out >= 1,
                "CGS: heads must be in 1..4096 and widths >= 1, got %" PRId64
                " heads", heads);
    GRL_REQUIRE(gamma > 0 && gamma < 1, "CGS: gamma must be in (0, 1), got %g", gamma);
    GRL_TRY(grl_fp_check_options(solver, msg));
    GRL_REQUIRE(P->ntensors + 4 <= GRL_NN_MAX_TENSORS, "CGS: a model holds at most "
                "%d tensors: use fewer layers", GRL_NN_MAX_TENSORS);
    H->heads = heads;
    H->hidden = hidden;
    H->out = out;
    H->gamma = gamma;
    H->solver = *solver;
    H->activation = activation;
    H->dec_w1 = grl_nn_params_add(P, heads, hidden);
    grl_nn_params_add(P, 1, hidden);
    H->dec_w2 = grl_nn_params_add(P, hidden, out);
    grl_nn_params_add(P, 1, out);
    return 0;
#undef FREE_ALL
}

void grl_cgs_head_init(const grl_cgs_head *H, grl_nn_params *P, uint64_t seed)
{
    const double b1 = 1.0 / sqrt((double)H->heads), b2 = 1.0 / sqrt((double)H->hidden);
    grl_nn_params_uniform(P, H->dec_w1, b1, seed);
    grl_nn_params_uniform(P, H->dec_w1 + 1, b1, seed);
    grl_nn_params_uniform(P, H->dec_w2, b2, seed);
    grl_nn_params_uniform(P, H->dec_w2 + 1, b2, seed);
}

void grl_cgs_head_release(grl_cgs_head *H)
{
    float **arrays[] = {&H->wa, &H->hf, &H->spare, &H->y, &H->dhf, &H->pre, &H->post,
                        &H->dpost, &H->scratch};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        free(*arrays[i]);
        *arrays[i] = NULL;
    }
    H->cap_nodes = H->cap_arcs = 0;
}

/* Grow the buffers to n nodes and a arcs. */
static int reserve(grl_cgs_head *H, int64_t n, int64_t a, char *msg)
{
#define FREE_ALL grl_cgs_head_release(H)
    if (n <= H->cap_nodes && a <= H->cap_arcs) return 0;
    n = n > H->cap_nodes ? n : H->cap_nodes;
    a = a > H->cap_arcs ? a : H->cap_arcs;
    grl_cgs_head_release(H);
    const size_t nm = grl_size_mul((size_t)n, (size_t)H->heads);
    const size_t nh = grl_size_mul((size_t)n, (size_t)H->hidden);
    GRL_ALLOC(H->wa, float, grl_size_mul((size_t)(a > 0 ? a : 1), (size_t)H->heads));
    GRL_ALLOC(H->hf, float, nm);
    GRL_ALLOC(H->spare, float, nm);
    GRL_ALLOC(H->y, float, nm);
    GRL_ALLOC(H->dhf, float, nm);
    GRL_ALLOC(H->pre, float, nh);
    GRL_ALLOC(H->post, float, nh);
    GRL_ALLOC(H->dpost, float, nh);
    int64_t k = H->heads > H->hidden ? H->heads : H->hidden;
    int64_t c = H->hidden > H->out ? H->hidden : H->out;
    size_t sc = grl_nn_gemm_tn_scratch(n, k, c);
    GRL_ALLOC(H->scratch, float, sc > 0 ? sc : 1);
    H->cap_nodes = n;
    H->cap_arcs = a;
    return 0;
#undef FREE_ALL
}

/* 1 / outdeg of arc p's source (>= 1: the arc leaves it). */
static inline float inv_outdeg(const grl_fp_arcs *A, int64_t p)
{
    int64_t j = A->src[p];
    return 1.0f / (float)(A->out_ptr[j + 1] - A->out_ptr[j]);
}

/* Count a solve's iterations; a capped solve is a warning, kept in rc. */
static void note(grl_cgs_head *H, const grl_fixed_point_report *rep, bool forward, int st)
{
    if (forward) {
        H->forward = *rep;
        H->forward_iterations += rep->iterations;
        H->solves++;
    } else {
        H->adjoint = *rep;
        H->adjoint_iterations += rep->iterations;
    }
    H->capped += st == GRL_NOT_CONVERGED;
}

int grl_cgs_head_forward(grl_cgs_head *H, const grl_nn_params *P,
                         const grl_fp_arcs *A, const float *s, const float *b,
                         float *pred, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(reserve(H, A->n, A->arcs, msg));
    const int64_t n = A->n, m = H->heads;
    /* eq. 5: A_k[i, j] = clip(s, 0, 1) / outdeg(j) */
#pragma omp parallel for schedule(static) if (A->arcs * m > GRL_NN_PARALLEL_WORK)
    for (int64_t p = 0; p < A->arcs; p++) {
        const float scale = inv_outdeg(A, p);
        for (int64_t k = 0; k < m; k++) {
            float v = s[p * m + k];
            H->wa[p * m + k] = (v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v) * scale;
        }
    }
    memset(H->hf, 0, sizeof(float) * (size_t)(n * m));
    grl_fixed_point_report rep;
    double bound = grl_fp_norm_bound(A, H->wa, m, H->gamma);
    int st = grl_fp_solve_linear(&H->hf, &H->spare, A, H->wa, m, (float)H->gamma, b, m,
                                 false, bound, "CGS", &H->solver, &rep, msg);
    if (st < 0) return st;
    note(H, &rep, true, st);
    grl_mp_mlp_forward(P, H->dec_w1, H->dec_w2, H->activation, H->hf, n, H->pre, H->post,
                       pred);
    return st;
#undef FREE_ALL
}

int grl_cgs_head_backward(grl_cgs_head *H, grl_nn_params *P,
                          const grl_fp_arcs *A, const float *s,
                          const float *dpred, float *ds, float *db, char *msg)
{
#define FREE_ALL ;
    const int64_t n = A->n, m = H->heads;
    grl_mp_mlp_backward(P, H->dec_w1, H->dec_w2, H->activation, H->hf, n, H->pre,
                        H->post, dpred, H->dpost, H->dhf, H->scratch);
    /* the adjoint y = γ Aᵀ y + dL/dh*, from 0 */
    memset(H->y, 0, sizeof(float) * (size_t)(n * m));
    grl_fixed_point_report rep;
    int st = grl_fp_solve_adjoint(&H->y, &H->spare, A, H->wa, m, (float)H->gamma, H->dhf,
                                  m, ds, H->forward.bound, "CGS adjoint", &H->solver,
                                  &rep, msg);
    if (st < 0) return st;
    note(H, &rep, false, st);
    memcpy(db, H->y, sizeof(float) * (size_t)(n * m));
    if (A->arcs > 0) memset(ds, 0, sizeof(float) * (size_t)(A->arcs * m)); /* else NULL */
    grl_fp_weight_grad(ds, A, m, (float)H->gamma, H->y, H->hf, m);
    /* through the clip and the degree scaling */
#pragma omp parallel for schedule(static) if (A->arcs * m > GRL_NN_PARALLEL_WORK)
    for (int64_t p = 0; p < A->arcs; p++) {
        const float scale = inv_outdeg(A, p);
        for (int64_t k = 0; k < m; k++) {
            float v = s[p * m + k];
            ds[p * m + k] = v >= 0.0f && v <= 1.0f ? ds[p * m + k] * scale : 0.0f;
        }
    }
    return st;
#undef FREE_ALL
}
