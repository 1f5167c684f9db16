/* ncn_model.c — the NCN model: its parameters, the forward pass over nodes
 * (encoder and MLP_x) and over pairs (common-neighbour sums, the MLPs, the
 * logit), NCNC's completion weights, and the backward passes. */
#include "ncn_internal.h"

#include <math.h>

/* dropout layer ids of the node tensors (the MLP layers use 1..6) */
#define ID_ENCODER 100
#define ID_TAIL 101
/* completion's NCN draws its own dropout: its steps have the top bit set */
#define COMPLETION_STEP (1ull << 63)

static const grl_enum_name encoder_names[] = {{"gcn", GRL_NCN_GCN},
                                              {"sage", GRL_NCN_SAGE}};
GRL_ENUM_FUNCTIONS(grl_ncn_encoder, encoder_names, "NCN encoder")

void grl_ncn_options_init(grl_ncn_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof *opt);
    opt->encoder = GRL_NCN_GCN;
    opt->hidden = 256;
    opt->feature_dropout = 0.7;
    opt->encoder_dropout = 0.05;
    opt->tail_dropout = 0.3;
    opt->predictor_dropout = 0.05;
    opt->edge_dropout = 0.4;
    opt->encoder_lr = 0.0043;
    opt->predictor_lr = 0.0024;
    opt->epochs = 100;
    opt->batch_size = 1152;
    opt->patience = 0;
    opt->hits_k = 100;
    opt->prob_scale = 4.3;
    opt->prob_offset = 2.8;
    opt->pt = 0.75;
    opt->alpha = 1.0;
}

static bool is_rate(double p) { return p >= 0 && p < 1; }

int ncn_check_options(const grl_ncn_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->encoder == GRL_NCN_GCN || o->encoder == GRL_NCN_SAGE,
                "unknown NCN encoder %d", (int)o->encoder);
    GRL_REQUIRE(o->hidden >= 1 && o->hidden <= 4096,
                "the hidden width must be in 1..4096, got %" PRId64, o->hidden);
    GRL_REQUIRE(is_rate(o->feature_dropout) && is_rate(o->encoder_dropout) &&
                    is_rate(o->tail_dropout) && is_rate(o->predictor_dropout) &&
                    is_rate(o->edge_dropout),
                "dropout rates must be in [0, 1)");
    GRL_REQUIRE(isfinite(o->encoder_lr) && o->encoder_lr > 0 &&
                    isfinite(o->predictor_lr) && o->predictor_lr > 0,
                "learning rates must be finite numbers > 0");
    GRL_REQUIRE(o->epochs >= 1 && o->batch_size >= 1 && o->patience >= 0 &&
                    o->hits_k >= 1,
                "epochs, batch size and K must be >= 1 and patience >= 0");
    GRL_REQUIRE(isfinite(o->prob_scale) && isfinite(o->prob_offset) &&
                    o->pt > 0 && o->pt < 1 && o->alpha >= 0 && o->alpha <= 1,
                "NCNC's calibration needs finite scale and offset, pt in "
                "(0, 1) and alpha in [0, 1]");
    return 0;
#undef FREE_ALL
}

int ncn_new(grl_ncn **Mout, const grl_ncn_options *opt, int64_t f, char *msg)
{
    grl_ncn *M = NULL;
#define FREE_ALL grl_ncn_free(&M)
    *Mout = NULL;
    GRL_TRY(ncn_check_options(opt, msg));
    GRL_REQUIRE(f >= 1 && f <= ((int64_t)1 << 31), "the feature width must "
                "be in 1..2^31, got %" PRId64, f);
    GRL_CALLOC(M, grl_ncn, 1);
    M->opt = *opt;
    M->opt.progress = NULL;
    M->opt.progress_ctx = NULL;
    M->f = f;
    const int64_t d = M->d = opt->hidden;
    M->W0 = grl_nn_params_add(&M->enc, f, d);
    M->b0 = grl_nn_params_add(&M->enc, 1, d);
    /* the reference's Cora predictor: LayerNorm in every MLP layer but the
     * first of MLP_x and of MLP_cn */
    static const bool ln[NCN_LAYERS] = {false, true, false, true, true, true};
    int bad = 0;
    for (int l = 0; l < NCN_LAYERS; l++)
        bad |= ncn_layer_add(&M->layer[l], &M->pred, d, d, ln[l], (uint64_t)l + 1);
    M->Wout = grl_nn_params_add(&M->pred, d, 1);
    M->bout = grl_nn_params_add(&M->pred, 1, 1);
    M->beta = grl_nn_params_add(&M->pred, 1, 1);
    if (bad || M->W0 < 0 || M->Wout < 0 || M->beta < 0)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "NCN: too many parameter tensors");
    GRL_TRY(grl_nn_params_alloc(&M->enc, msg));
    GRL_TRY(grl_nn_params_alloc(&M->pred, msg));
    const uint64_t seed = opt->seed, pseed = grl_mix64(opt->seed + GRL_GOLDEN);
    grl_nn_params_uniform(&M->enc, M->W0, 1.0 / sqrt((double)f), seed);
    grl_nn_params_uniform(&M->enc, M->b0, 1.0 / sqrt((double)f), seed);
    for (int l = 0; l < NCN_LAYERS; l++) ncn_layer_init(&M->layer[l], &M->pred, pseed);
    grl_nn_params_uniform(&M->pred, M->Wout, 1.0 / sqrt((double)d), pseed);
    grl_nn_params_uniform(&M->pred, M->bout, 1.0 / sqrt((double)d), pseed);
    grl_nn_params_fill(&M->pred, M->beta, 1.0f);
    *Mout = M;
    return 0;
#undef FREE_ALL
}

void grl_ncn_free(grl_ncn **M)
{
    if (M == NULL || *M == NULL) return;
    grl_nn_params_release(&(*M)->enc);
    grl_nn_params_release(&(*M)->pred);
    free(*M);
    *M = NULL;
}

bool grl_ncn_completion(const grl_ncn *M) { return M && M->opt.completion; }
int64_t grl_ncn_features(const grl_ncn *M) { return M ? M->f : 0; }
int64_t grl_ncn_hidden(const grl_ncn *M) { return M ? M->d : 0; }

/* ---- node tensors ------------------------------------------------------------ */

void ncn_nodes_free(ncn_nodes *N)
{
    free(N->H0);
    free(N->h);
    free(N->x);
    free(N->dh);
    free(N->dx);
    free(N->t1);
    free(N->t2);
    free(N->rows);
    free(N->xc);
    for (int l = 0; l < 2; l++) {
        ncn_layer_buf_free(&N->lb[l]);
        ncn_layer_buf_free(&N->lbc[l]);
    }
    memset(N, 0, sizeof *N);
}

static int nodes_reserve(ncn_nodes *N, int64_t n, int64_t d, bool completion,
                         char *msg)
{
#define FREE_ALL ncn_nodes_free(N)
    size_t cells = grl_size_mul((size_t)n, (size_t)d);
    if (N->n == n && N->d == d) {
        if (completion && N->xc == NULL) GRL_ALLOC(N->xc, float, cells);
        return 0;
    }
    ncn_nodes_free(N);
    if (completion) GRL_ALLOC(N->xc, float, cells);
    GRL_ALLOC(N->H0, float, cells);
    GRL_ALLOC(N->h, float, cells);
    GRL_ALLOC(N->x, float, cells);
    GRL_ALLOC(N->dh, float, cells);
    GRL_ALLOC(N->dx, float, cells);
    GRL_ALLOC(N->t1, float, cells);
    GRL_ALLOC(N->t2, float, cells);
    GRL_ALLOC(N->rows, int64_t, n);
    for (int64_t i = 0; i < n; i++) N->rows[i] = i;
    N->n = n;
    N->d = d;
    return 0;
#undef FREE_ALL
}

static ncn_dropout dropout_of(const grl_ncn *M, const ncn_mode *mode, double p,
                              const int64_t *rows)
{
    ncn_dropout D = {mode->training ? p : 0.0, M->opt.seed, mode->step, rows};
    return D;
}

int ncn_nodes_forward(const grl_ncn *M, ncn_nodes *N, const ncn_features *F,
                      const ncn_adj *A, const ncn_mode *mode, char *msg)
{
#define FREE_ALL ;
    const int64_t n = F->n, d = M->d;
    const grl_ncn_options *o = &M->opt;
    GRL_TRY(nodes_reserve(N, n, d, o->completion, msg));
    bool tr = mode->training;
    ncn_sparse_forward(N->H0, F, grl_nn_value(&M->enc, M->W0),
                       grl_nn_value(&M->enc, M->b0), d,
                       tr ? o->feature_dropout : 0.0, o->seed, mode->step);
    if (tr) grl_nn_dropout(N->H0, N->rows, n, d, o->encoder_dropout, o->seed,
                           mode->step, ID_ENCODER);
    ncn_propagate(N->h, A, o->encoder, N->H0, d);
    if (tr) grl_nn_dropout(N->h, N->rows, n, d, o->tail_dropout, o->seed,
                           mode->step, ID_TAIL);
    ncn_dropout D = dropout_of(M, mode, o->predictor_dropout, N->rows);
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_XLIN1], &M->pred, &N->lb[0], N->h,
                              n, &D, msg));
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_XLIN2], &M->pred, &N->lb[1],
                              N->lb[0].Y, n, &D, msg));
    for (int64_t e = 0; e < n * d; e++) N->x[e] = N->h[e] + N->lb[1].Y[e];
    if (!o->completion) return 0;
    /* xc = x + MLP_x(x) with its own dropout, no gradient */
    ncn_mode cm = {tr, mode->step ^ COMPLETION_STEP, NULL};
    D = dropout_of(M, &cm, o->predictor_dropout, N->rows);
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_XLIN1], &M->pred, &N->lbc[0], N->x,
                              n, &D, msg));
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_XLIN2], &M->pred, &N->lbc[1],
                              N->lbc[0].Y, n, &D, msg));
    for (int64_t e = 0; e < n * d; e++) N->xc[e] = N->x[e] + N->lbc[1].Y[e];
    return 0;
#undef FREE_ALL
}

void ncn_nodes_backward(grl_ncn *M, ncn_nodes *N, const ncn_features *F,
                        const ncn_adj *A, const ncn_mode *mode)
{
    const int64_t n = N->n, d = M->d;
    const grl_ncn_options *o = &M->opt;
    ncn_dropout D = dropout_of(M, mode, o->predictor_dropout, N->rows);
    /* x = h + MLP_x(h) */
    memcpy(N->t1, N->dx, sizeof(float) * (size_t)(n * d));
    ncn_layer_backward(&M->layer[NCN_XLIN2], &M->pred, &N->lb[1], N->t1, N->t2, &D);
    ncn_layer_backward(&M->layer[NCN_XLIN1], &M->pred, &N->lb[0], N->t2, N->t1, &D);
    for (int64_t e = 0; e < n * d; e++) N->dh[e] += N->dx[e] + N->t1[e];
    bool tr = mode->training;
    if (tr) grl_nn_dropout(N->dh, N->rows, n, d, o->tail_dropout, o->seed,
                           mode->step, ID_TAIL);
    ncn_propagate_backward(N->t1, A, o->encoder, N->dh, d);
    if (tr) grl_nn_dropout(N->t1, N->rows, n, d, o->encoder_dropout, o->seed,
                           mode->step, ID_ENCODER);
    ncn_sparse_backward(grl_nn_grad(&M->enc, M->W0), grl_nn_grad(&M->enc, M->b0),
                        F, N->t1, d, tr ? o->feature_dropout : 0.0, o->seed,
                        mode->step);
}

/* ---- pair tensors ---------------------------------------------------------- */

void ncn_pairs_free(ncn_pairs *Q)
{
    ncn_lists_free(&Q->L);
    free(Q->c);
    free(Q->hij);
    free(Q->z);
    free(Q->s);
    free(Q->dz);
    free(Q->da);
    free(Q->db);
    free(Q->dc);
    free(Q->ds);
    free(Q->rows);
    free(Q->scratch);
    for (int l = 0; l < 4; l++) ncn_layer_buf_free(&Q->lb[l]);
    if (Q->inner) ncn_pairs_free(Q->inner);
    free(Q->inner);
    free(Q->iu);
    free(Q->iv);
    free(Q->iat);
    free(Q->is);
    memset(Q, 0, sizeof *Q);
}

static int pairs_reserve(ncn_pairs *Q, int64_t P, int64_t d, char *msg)
{
#define FREE_ALL ;
    if (P <= Q->cap && Q->d == d) return 0;
    ncn_pairs keep = *Q; /* the lists and completion's workspace stay */
    Q->L = (ncn_lists){0};
    Q->inner = NULL;
    Q->iu = Q->iv = Q->iat = NULL;
    Q->is = NULL;
    ncn_pairs_free(Q);
    Q->L = keep.L;
    Q->inner = keep.inner;
    Q->iu = keep.iu;
    Q->iv = keep.iv;
    Q->iat = keep.iat;
    Q->is = keep.is;
    Q->icap = keep.icap;
    size_t cells = grl_size_mul((size_t)P, (size_t)d);
    GRL_ALLOC(Q->c, float, cells);
    GRL_ALLOC(Q->hij, float, cells);
    GRL_ALLOC(Q->z, float, cells);
    GRL_ALLOC(Q->dz, float, cells);
    GRL_ALLOC(Q->da, float, cells);
    GRL_ALLOC(Q->db, float, cells);
    GRL_ALLOC(Q->dc, float, cells);
    GRL_ALLOC(Q->s, float, P);
    GRL_ALLOC(Q->ds, float, P);
    GRL_ALLOC(Q->rows, int64_t, P);
    GRL_ALLOC(Q->scratch, float, grl_nn_gemm_tn_scratch(P, d, 1));
    for (int64_t k = 0; k < P; k++) Q->rows[k] = k;
    Q->cap = P;
    Q->d = d;
    return 0;
#undef FREE_ALL
}

/* NCNC's calibration of an NCN logit into a completion weight (the
 * reference's clampprob). */
static float completion_weight(const grl_ncn_options *o, double s)
{
    double p0 = 1.0 / (1.0 + exp(-o->prob_scale * (s - o->prob_offset)));
    return (float)(o->alpha * o->pt * p0 / (o->pt * p0 + 1.0 - p0));
}

/* Fill the one-sided entries' weights of Q's lists with edge probabilities
 * from the model's NCN score (no completion, no gradient) as the reference
 * computes them: on the node representations N->x and N->xc (see
 * ncn_nodes), on mode's completion graph, with dropout while training. */
static int complete(const grl_ncn *M, ncn_pairs *Q, const ncn_nodes *N,
                    const ncn_adj *A, const ncn_mode *mode, char *msg)
{
#define FREE_ALL ;
    ncn_lists *L = &Q->L;
    int64_t cnt = 0;
    for (int64_t q = 0; q < L->count; q++) cnt += L->other[q] >= 0;
    if (cnt > Q->icap) {
        free(Q->iu); free(Q->iv); free(Q->iat); free(Q->is);
        Q->iu = Q->iv = Q->iat = NULL;
        Q->is = NULL;
        Q->icap = 0;
        GRL_ALLOC(Q->iu, int64_t, cnt);
        GRL_ALLOC(Q->iv, int64_t, cnt);
        GRL_ALLOC(Q->iat, int64_t, cnt);
        GRL_ALLOC(Q->is, double, cnt);
        Q->icap = cnt;
    }
    if (Q->inner == NULL) GRL_CALLOC(Q->inner, ncn_pairs, 1);
    for (int64_t q = 0, t = 0; q < L->count; q++)
        if (L->other[q] >= 0) {
            Q->iu[t] = L->other[q];
            Q->iv[t] = L->node[q];
            Q->iat[t++] = q;
        }
    ncn_nodes view = *N;
    view.h = N->x;
    view.x = N->xc;
    ncn_mode cm = {mode->training, mode->step ^ COMPLETION_STEP, NULL};
    const ncn_adj *G = mode->completion_graph ? mode->completion_graph : A;
    GRL_TRY(ncn_score_pairs(M, Q->inner, &view, G, Q->iu, Q->iv, cnt, false,
                            &cm, Q->is, msg));
    for (int64_t t = 0; t < cnt; t++)
        L->w[Q->iat[t]] = completion_weight(&M->opt, Q->is[t]);
    return 0;
#undef FREE_ALL
}

int ncn_pairs_forward(const grl_ncn *M, ncn_pairs *Q, const ncn_nodes *N,
                      const ncn_adj *A, const int64_t *u, const int64_t *v,
                      int64_t P, bool completion, const ncn_mode *mode,
                      char *msg)
{
#define FREE_ALL ;
    const int64_t d = M->d;
    GRL_TRY(pairs_reserve(Q, P, d, msg));
    Q->P = P;
    Q->u = u;
    Q->v = v;
    GRL_TRY(ncn_lists_build(&Q->L, A, u, v, P, completion, msg));
    if (completion) GRL_TRY(complete(M, Q, N, A, mode, msg));
    const ncn_lists *L = &Q->L;
    const float *x = N->x, *h = N->h;
#pragma omp parallel for schedule(dynamic, 256) if (L->count * d > GRL_NN_PARALLEL_WORK)
    for (int64_t k = 0; k < P; k++) {
        float *c = Q->c + k * d, *hij = Q->hij + k * d;
        for (int64_t t = 0; t < d; t++) c[t] = 0.0f;
        for (int64_t q = L->off[k]; q < L->off[k + 1]; q++) {
            const float *xu = x + L->node[q] * d;
            float w = L->w[q];
            for (int64_t t = 0; t < d; t++) c[t] += w * xu[t];
        }
        const float *hu = h + u[k] * d, *hv = h + v[k] * d;
        for (int64_t t = 0; t < d; t++) hij[t] = hu[t] * hv[t];
    }
    ncn_dropout D = dropout_of(M, mode, M->opt.predictor_dropout, Q->rows);
    const grl_nn_params *Pp = &M->pred;
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_CN1], Pp, &Q->lb[0], Q->c, P, &D, msg));
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_CN2], Pp, &Q->lb[1], Q->lb[0].Y, P, &D, msg));
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_IJ1], Pp, &Q->lb[2], Q->hij, P, &D, msg));
    const float beta = grl_nn_value(Pp, M->beta)[0];
    for (int64_t e = 0; e < P * d; e++) Q->z[e] = beta * Q->lb[1].Y[e] + Q->lb[2].Y[e];
    GRL_TRY(ncn_layer_forward(&M->layer[NCN_OUT1], Pp, &Q->lb[3], Q->z, P, &D, msg));
    grl_nn_linear_forward(Q->s, Q->lb[3].Y, grl_nn_value(Pp, M->Wout),
                          grl_nn_value(Pp, M->bout), P, d, 1);
    return 0;
#undef FREE_ALL
}

void ncn_pairs_backward(grl_ncn *M, ncn_pairs *Q, ncn_nodes *N,
                        const ncn_mode *mode)
{
    const int64_t P = Q->P, d = M->d;
    grl_nn_params *Pp = &M->pred;
    ncn_dropout D = dropout_of(M, mode, M->opt.predictor_dropout, Q->rows);
    grl_nn_linear_backward(Q->dz, grl_nn_grad(Pp, M->Wout),
                           grl_nn_grad(Pp, M->bout), Q->lb[3].Y,
                           grl_nn_value(Pp, M->Wout), Q->ds, P, d, 1, Q->scratch);
    ncn_layer_backward(&M->layer[NCN_OUT1], Pp, &Q->lb[3], Q->dz, Q->da, &D);
    /* z = beta a + b: da holds dz */
    const float beta = grl_nn_value(Pp, M->beta)[0];
    double dbeta = 0;
    for (int64_t e = 0; e < P * d; e++) {
        dbeta += (double)Q->da[e] * Q->lb[1].Y[e];
        Q->db[e] = Q->da[e];
        Q->da[e] *= beta;
    }
    grl_nn_grad(Pp, M->beta)[0] += (float)dbeta;
    ncn_layer_backward(&M->layer[NCN_CN2], Pp, &Q->lb[1], Q->da, Q->dc, &D);
    ncn_layer_backward(&M->layer[NCN_CN1], Pp, &Q->lb[0], Q->dc, Q->da, &D);
    ncn_layer_backward(&M->layer[NCN_IJ1], Pp, &Q->lb[2], Q->db, Q->dz, &D);
    /* scatter to the nodes in pair order (a fixed order: no atomics) */
    const ncn_lists *L = &Q->L;
    const float *h = N->h;
    for (int64_t k = 0; k < P; k++) {
        const float *dcn = Q->da + k * d, *dhij = Q->dz + k * d;
        for (int64_t q = L->off[k]; q < L->off[k + 1]; q++) {
            float *dx = N->dx + L->node[q] * d, w = L->w[q];
            for (int64_t t = 0; t < d; t++) dx[t] += w * dcn[t];
        }
        float *du = N->dh + Q->u[k] * d, *dv = N->dh + Q->v[k] * d;
        const float *hu = h + Q->u[k] * d, *hv = h + Q->v[k] * d;
        for (int64_t t = 0; t < d; t++) {
            du[t] += dhij[t] * hv[t];
            dv[t] += dhij[t] * hu[t];
        }
    }
}

int ncn_score_pairs(const grl_ncn *M, ncn_pairs *Q, const ncn_nodes *N,
                    const ncn_adj *A, const int64_t *u, const int64_t *v,
                    int64_t npairs, bool completion, const ncn_mode *mode,
                    double *score, char *msg)
{
#define FREE_ALL ;
    const int64_t batch = 8192;
    for (int64_t k = 0; k < npairs; k += batch) {
        int64_t P = npairs - k < batch ? npairs - k : batch;
        /* each batch its own dropout (its rows restart at 0) */
        ncn_mode bm = *mode;
        bm.step = grl_mix64(mode->step ^ grl_mix64((uint64_t)k));
        GRL_TRY(ncn_pairs_forward(M, Q, N, A, u + k, v + k, P, completion,
                                  &bm, msg));
        for (int64_t t = 0; t < P; t++) score[k + t] = Q->s[t];
    }
    return 0;
#undef FREE_ALL
}
