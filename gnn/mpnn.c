/* mpnn.c — node regression on graph sets (gnn.h): standardised inputs,
 * batches of whole graphs, K attention message-passing layers, then a
 * linear decoder (the baseline) or CGS's fixed point and decoder
 * (cgs_head.h), mean squared error, Adam, early stopping on validation
 * graphs. */
#include "cgs_head.h"
#include "message_passing.h"

#include <math.h>
#include <omp.h>

#define MPNN_MAX_LAYERS 5

/* A graph set cut into batches of consecutive graphs, each with arcs and
 * sources rebased to its first node, features standardised. */
typedef struct {
    int64_t nbatches;
    int64_t *node_lo, *arc_lo; /* nbatches + 1 each */
    int64_t *in_ptr, *source;  /* rebased copies   */
    grl_mp_graph *G;           /* per batch        */
    grl_fp_arcs *A;            /* per batch, CGS   */
    float *x, *e, *y;          /* standardised     */
    int64_t max_nodes;
} batches;

struct grl_mpnn {
    grl_nn_params P;
    grl_mpnn_model model;
    int64_t layers, hidden, heads, node_dim, arc_dim, target_dim, batch_graphs;
    grl_mp_layer L[MPNN_MAX_LAYERS];
    int dec_w;          /* GRL_MPNN_PLAIN's decoder; bias: dec_w + 1 */
    grl_cgs_head head;  /* GRL_MPNN_CGS's fixed point and decoder    */
    double *mean, *scale; /* node_dim, then arc_dim, then target_dim columns */
    grl_mp_cache C[MPNN_MAX_LAYERS];
    float *h[MPNN_MAX_LAYERS + 1], *dh[2], *pred, *scratch, *ds;
    int64_t cap_nodes, cap_arcs;
};

void grl_mpnn_options_init(grl_mpnn_options *opt)
{
    if (opt == NULL) return;
    opt->layers = 3;
    opt->hidden = 32;
    opt->batch_graphs = 32;
    opt->val_fraction = 0.1;
    grl_gnn_train_options_init(&opt->train);
    opt->train.epochs = 100;
    opt->train.patience = 20;
    opt->train.optimizer.lr = 1e-3;
    opt->model = GRL_MPNN_PLAIN;
    opt->heads = 16;
    opt->gamma = 0.5;
    grl_fixed_point_options_init(&opt->solver);
}

static void batches_release(batches *B)
{
    for (int64_t b = 0; B->G != NULL && b < B->nbatches; b++) grl_mp_graph_release(&B->G[b]);
    for (int64_t b = 0; B->A != NULL && b < B->nbatches; b++) grl_fp_arcs_release(&B->A[b]);
    free(B->G);
    free(B->A);
    free(B->node_lo);
    free(B->arc_lo);
    free(B->in_ptr);
    free(B->source);
    free(B->x);
    free(B->e);
    free(B->y);
    memset(B, 0, sizeof(*B));
}

/* (v - mean) / scale over rows x d values into out. */
static void standardise(float *out, const float *in, int64_t rows, int64_t d,
                        const double *mean, const double *scale)
{
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < d; c++)
            out[r * d + c] = (float)((in[r * d + c] - mean[c]) / scale[c]);
}

/* Graphs [g0, g1) of S in batches of `per` graphs. */
static int batches_build(batches *B, const grl_graph_set *S, int64_t g0, int64_t g1,
                         int64_t per, const grl_mpnn *M, char *msg)
{
#define FREE_ALL batches_release(B)
    memset(B, 0, sizeof(*B));
    B->nbatches = (g1 - g0 + per - 1) / per;
    int64_t v0 = S->graph_ptr[g0], v1 = S->graph_ptr[g1];
    int64_t k0 = S->in_ptr[v0], k1 = S->in_ptr[v1], n = v1 - v0, m = k1 - k0;
    GRL_ALLOC(B->node_lo, int64_t, B->nbatches + 1);
    GRL_ALLOC(B->arc_lo, int64_t, B->nbatches + 1);
    GRL_ALLOC(B->in_ptr, int64_t, n + B->nbatches);
    GRL_ALLOC(B->source, int64_t, m);
    GRL_CALLOC(B->G, grl_mp_graph, B->nbatches);
    if (M->model == GRL_MPNN_CGS) GRL_CALLOC(B->A, grl_fp_arcs, B->nbatches);
    GRL_ALLOC(B->x, float, grl_size_mul((size_t)n, (size_t)M->node_dim));
    GRL_ALLOC(B->e, float, grl_size_mul((size_t)m, (size_t)(M->arc_dim ? M->arc_dim : 1)));
    GRL_ALLOC(B->y, float, grl_size_mul((size_t)n, (size_t)M->target_dim));
    standardise(B->x, S->node_x + v0 * M->node_dim, n, M->node_dim, M->mean, M->scale);
    if (M->arc_dim > 0)
        standardise(B->e, S->arc_x + k0 * M->arc_dim, m, M->arc_dim,
                    M->mean + M->node_dim, M->scale + M->node_dim);
    if (S->node_y != NULL && S->node_target_dim == M->target_dim)
        standardise(B->y, S->node_y + v0 * M->target_dim, n, M->target_dim,
                    M->mean + M->node_dim + M->arc_dim,
                    M->scale + M->node_dim + M->arc_dim);
    for (int64_t b = 0; b < B->nbatches; b++) {
        int64_t ga = g0 + b * per, gb = ga + per < g1 ? ga + per : g1;
        int64_t va = S->graph_ptr[ga], vb = S->graph_ptr[gb];
        int64_t ka = S->in_ptr[va], kb = S->in_ptr[vb];
        B->node_lo[b] = va - v0;
        B->arc_lo[b] = ka - k0;
        int64_t *ptr = B->in_ptr + (va - v0) + b, *src = B->source + (ka - k0);
        for (int64_t v = va; v <= vb; v++) ptr[v - va] = S->in_ptr[v] - ka;
        for (int64_t k = ka; k < kb; k++) src[k - ka] = S->arc_source[k] - va;
        GRL_TRY(grl_mp_graph_build(&B->G[b], vb - va, kb - ka, ptr, src, msg));
        if (B->A != NULL) GRL_TRY(grl_fp_arcs_init(&B->A[b], vb - va, kb - ka, ptr, src, msg));
        B->max_nodes = vb - va > B->max_nodes ? vb - va : B->max_nodes;
    }
    B->node_lo[B->nbatches] = n;
    B->arc_lo[B->nbatches] = m;
    return 0;
#undef FREE_ALL
}

void grl_mpnn_free(grl_mpnn **M)
{
    if (M == NULL || *M == NULL) return;
    grl_mpnn *R = *M;
    grl_nn_params_release(&R->P);
    for (int l = 0; l < MPNN_MAX_LAYERS; l++) grl_mp_cache_release(&R->C[l]);
    for (int l = 0; l <= MPNN_MAX_LAYERS; l++) free(R->h[l]);
    free(R->dh[0]);
    free(R->dh[1]);
    free(R->pred);
    free(R->scratch);
    free(R->ds);
    grl_cgs_head_release(&R->head);
    free(R->mean);
    free(R->scale);
    free(R);
    *M = NULL;
}

/* Work buffers for batches of up to n nodes and a arcs. */
static int reserve(grl_mpnn *M, int64_t n, int64_t a, char *msg)
{
#define FREE_ALL ;
    if (M->model == GRL_MPNN_CGS && a > M->cap_arcs) {
        free(M->ds);
        GRL_ALLOC(M->ds, float, grl_size_mul((size_t)(a > 0 ? a : 1), (size_t)M->heads));
        M->cap_arcs = a;
    }
    if (n <= M->cap_nodes) return 0;
    int64_t width = M->hidden > M->node_dim ? M->hidden : M->node_dim;
    width = M->heads > width ? M->heads : width;
    size_t wide = grl_size_mul((size_t)n, (size_t)width);
    for (int l = 0; l <= M->layers; l++) {
        free(M->h[l]);
        GRL_ALLOC(M->h[l], float, wide);
    }
    for (int j = 0; j < 2; j++) {
        free(M->dh[j]);
        GRL_ALLOC(M->dh[j], float, wide);
    }
    free(M->pred);
    GRL_ALLOC(M->pred, float, grl_size_mul((size_t)n, (size_t)M->target_dim));
    free(M->scratch);
    size_t sc = grl_nn_gemm_tn_scratch(n, M->hidden, M->target_dim);
    GRL_ALLOC(M->scratch, float, sc > 0 ? sc : 1);
    M->cap_nodes = n;
    return 0;
#undef FREE_ALL
}

/* Predictions (standardised) of batch b into M->pred; GRL_NOT_CONVERGED
 * when CGS's solve stopped at its cap. */
static int forward(grl_mpnn *M, const batches *B, int64_t b, char *msg)
{
#define FREE_ALL ;
    const grl_mp_graph *G = &B->G[b];
    GRL_TRY(reserve(M, G->nodes, G->arcs, msg));
    const float *x = B->x + B->node_lo[b] * M->node_dim;
    const float *e = M->arc_dim > 0 ? B->e + B->arc_lo[b] * M->arc_dim : NULL;
    memcpy(M->h[0], x, sizeof(float) * (size_t)(G->nodes * M->node_dim));
    for (int l = 0; l < M->layers; l++)
        GRL_TRY(grl_mp_forward(&M->L[l], &M->P, G, M->h[l], e, &M->C[l], M->h[l + 1], msg));
    if (M->model == GRL_MPNN_CGS) /* logits: the last layer's arc outputs */
        return grl_cgs_head_forward(&M->head, &M->P, &B->A[b], M->C[M->layers - 1].u,
                                    M->h[M->layers], M->pred, msg);
    grl_nn_linear_forward(M->pred, M->h[M->layers], grl_nn_value(&M->P, M->dec_w),
                          grl_nn_value(&M->P, M->dec_w + 1), G->nodes, M->hidden,
                          M->target_dim);
    return 0;
#undef FREE_ALL
}

/* Gradients of the last forward given dpred (overwrites M->pred's twin). */
static int backward(grl_mpnn *M, const batches *B, int64_t b, const float *dpred,
                    char *msg)
{
#define FREE_ALL ;
    const grl_mp_graph *G = &B->G[b];
    float *dh = M->dh[0], *dprev = M->dh[1], *ds = NULL;
    if (M->model == GRL_MPNN_CGS) {
        ds = M->ds;
        GRL_TRY(grl_cgs_head_backward(&M->head, &M->P, &B->A[b], M->C[M->layers - 1].u,
                                      dpred, ds, dh, msg));
    } else {
        grl_nn_linear_backward(dh, grl_nn_grad(&M->P, M->dec_w),
                               grl_nn_grad(&M->P, M->dec_w + 1), M->h[M->layers],
                               grl_nn_value(&M->P, M->dec_w), dpred, G->nodes, M->hidden,
                               M->target_dim, M->scratch);
    }
    for (int l = M->layers - 1; l >= 0; l--) {
        GRL_TRY(grl_mp_backward(&M->L[l], &M->P, G, &M->C[l], dh,
                                l == M->layers - 1 ? ds : NULL,
                                l > 0 ? dprev : NULL, NULL, msg));
        float *t = dh;
        dh = dprev;
        dprev = t;
    }
    return 0;
#undef FREE_ALL
}

/* Mean squared error over a set's batches, in the targets' units. */
static int evaluate(grl_mpnn *M, const batches *B, double *mse, char *msg)
{
#define FREE_ALL ;
    double sum = 0;
    int64_t count = 0;
    for (int64_t b = 0; b < B->nbatches; b++) {
        GRL_TRY(forward(M, B, b, msg));
        const int64_t n = B->G[b].nodes, t = M->target_dim;
        const float *y = B->y + B->node_lo[b] * t;
        for (int64_t i = 0; i < n * t; i++) {
            double s = M->scale[M->node_dim + M->arc_dim + i % t];
            double err = ((double)M->pred[i] - y[i]) * s;
            sum += err * err;
        }
        count += n * t;
    }
    *mse = count > 0 ? sum / (double)count : 0.0;
    return 0;
#undef FREE_ALL
}

/* Column means and deviations of the training rows (constant columns:
 * mean 0, scale 1, left as they are). */
static void column_stats(double *mean, double *scale, const float *x, int64_t rows,
                         int64_t d)
{
    for (int64_t c = 0; c < d; c++) {
        double s = 0, ss = 0;
        for (int64_t r = 0; r < rows; r++) s += x[r * d + c];
        double mu = rows > 0 ? s / (double)rows : 0;
        for (int64_t r = 0; r < rows; r++) ss += (x[r * d + c] - mu) * (x[r * d + c] - mu);
        double sd = rows > 0 ? sqrt(ss / (double)rows) : 0;
        bool varies = sd > 0 && sd > 1e-9 * fabs(mu);
        mean[c] = varies ? mu : 0;
        scale[c] = varies ? sd : 1;
    }
}

/* GRL_NOT_CONVERGED and a sentence when some solve stopped at its cap. */
static int capped_warning(int64_t capped, int64_t max_iter, char *msg)
{
    if (capped == 0) return 0;
    grl_set_msg(msg, "CGS: %" PRId64 " fixed-point solves stopped at the cap of %" PRId64
                " iterations (raise it)", capped, max_iter);
    return GRL_NOT_CONVERGED;
}

static int check_options(const grl_mpnn_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->layers >= 1 && o->layers <= MPNN_MAX_LAYERS, "layers must be in "
                "1..%d, got %" PRId64, MPNN_MAX_LAYERS, o->layers);
    GRL_REQUIRE(o->hidden >= 1 && o->hidden <= 4096, "hidden must be in 1..4096, got %"
                PRId64, o->hidden);
    GRL_REQUIRE(o->batch_graphs >= 1, "batch_graphs must be >= 1, got %" PRId64,
                o->batch_graphs);
    GRL_REQUIRE(o->val_fraction > 0 && o->val_fraction < 1, "val_fraction must be in "
                "(0, 1), got %g", o->val_fraction);
    GRL_REQUIRE(o->train.epochs >= 1 && o->train.epochs <= 100000000, "epochs must be "
                "in 1..10^8, got %" PRId64, o->train.epochs);
    GRL_REQUIRE(o->train.patience >= 0, "patience must be >= 0");
    GRL_REQUIRE(o->model == GRL_MPNN_PLAIN || o->model == GRL_MPNN_CGS, "model must be "
                "GRL_MPNN_PLAIN or GRL_MPNN_CGS, got %d", (int)o->model);
    if (o->model == GRL_MPNN_CGS) {
        GRL_REQUIRE(o->heads >= 1 && o->heads <= 4096, "heads must be in 1..4096, got %"
                    PRId64, o->heads);
        GRL_REQUIRE(o->gamma > 0 && o->gamma < 1, "gamma must be in (0, 1), got %g",
                    o->gamma);
        GRL_TRY(grl_fp_check_options(&o->solver, msg));
    }
    return 0;
#undef FREE_ALL
}

int grl_mpnn_train(grl_mpnn **M, grl_mpnn_train_result *res,
                   const grl_graph_set *S, const grl_mpnn_options *opt,
                   char *msg)
{
    grl_mpnn *R = NULL;
    batches train = {0}, val = {0};
    grl_nn_optimizer o = {0};
    float *best = NULL, *dpred = NULL;
    int64_t *order = NULL;
#define FREE_ALL grl_mpnn_free(&R); batches_release(&train); batches_release(&val); \
    grl_nn_optimizer_release(&o); free(best); free(dpred); free(order)
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && S != NULL, "grl_mpnn_train: NULL argument");
    *M = NULL;
    grl_mpnn_options op;
    grl_mpnn_options_init(&op);
    if (opt != NULL) op = *opt;
    GRL_TRY(check_options(&op, msg));
    GRL_TRY(grl_graph_set_check(S, msg));
    GRL_REQUIRE(S->node_target_dim >= 1, "grl_mpnn_train: the set has no node targets");
    GRL_REQUIRE(S->node_dim >= 1, "grl_mpnn_train: the set has no node features");
    int64_t nval = (int64_t)ceil(op.val_fraction * (double)S->ngraphs);
    GRL_REQUIRE(S->ngraphs >= 2 && nval < S->ngraphs, "grl_mpnn_train: %" PRId64
                " graphs are too few to keep some for validation", S->ngraphs);
    int64_t ntrain = S->ngraphs - nval;
    GRL_CALLOC(R, grl_mpnn, 1);
    R->model = op.model;
    R->layers = op.layers;
    R->hidden = op.hidden;
    R->heads = op.model == GRL_MPNN_CGS ? op.heads : 0;
    R->node_dim = S->node_dim;
    R->arc_dim = S->arc_dim;
    R->target_dim = S->node_target_dim;
    R->batch_graphs = op.batch_graphs;
    int64_t cols = R->node_dim + R->arc_dim + R->target_dim;
    GRL_ALLOC(R->mean, double, cols);
    GRL_ALLOC(R->scale, double, cols);
    int64_t tn = S->graph_ptr[ntrain], tm = S->in_ptr[tn];
    column_stats(R->mean, R->scale, S->node_x, tn, R->node_dim);
    column_stats(R->mean + R->node_dim, R->scale + R->node_dim, S->arc_x, tm, R->arc_dim);
    column_stats(R->mean + R->node_dim + R->arc_dim, R->scale + R->node_dim + R->arc_dim,
                 S->node_y, tn, R->target_dim);
    const bool cgs = R->model == GRL_MPNN_CGS;
    for (int l = 0; l < R->layers; l++) {
        /* CGS: the last layer emits the m heads' arc logits and node biases */
        int64_t out = cgs && l == R->layers - 1 ? R->heads : R->hidden;
        GRL_TRY(grl_mp_layer_add(&R->L[l], &R->P, l == 0 ? R->node_dim : R->hidden,
                                 R->arc_dim, out, R->hidden, out, GRL_NN_SILU, msg));
    }
    if (cgs) {
        GRL_TRY(grl_cgs_head_add(&R->head, &R->P, R->heads, R->hidden, R->target_dim,
                                 op.gamma, &op.solver, GRL_NN_SILU, msg));
    } else {
        R->dec_w = grl_nn_params_add(&R->P, R->hidden, R->target_dim);
        GRL_REQUIRE(grl_nn_params_add(&R->P, 1, R->target_dim) >= 0, "too many tensors");
    }
    GRL_TRY(grl_nn_params_alloc(&R->P, msg));
    for (int l = 0; l < R->layers; l++)
        grl_mp_layer_init(&R->L[l], &R->P, op.train.seed + 0x9e37ull * (uint64_t)l);
    if (cgs) {
        grl_cgs_head_init(&R->head, &R->P, op.train.seed);
    } else {
        grl_nn_params_uniform(&R->P, R->dec_w, 1.0 / sqrt((double)R->hidden), op.train.seed);
        grl_nn_params_uniform(&R->P, R->dec_w + 1, 1.0 / sqrt((double)R->hidden),
                              op.train.seed);
    }
    GRL_TRY(batches_build(&train, S, 0, ntrain, op.batch_graphs, R, msg));
    GRL_TRY(batches_build(&val, S, ntrain, S->ngraphs, op.batch_graphs, R, msg));
    GRL_ALLOC(best, float, R->P.count);
    GRL_ALLOC(order, int64_t, train.nbatches);
    GRL_ALLOC(dpred, float, grl_size_mul((size_t)(train.max_nodes > val.max_nodes
                                                      ? train.max_nodes : val.max_nodes),
                                         (size_t)R->target_dim));
    GRL_TRY(grl_nn_optimizer_init(&o, &op.train.optimizer, R->P.count, msg));
    o.total_steps = train.nbatches * op.train.epochs;
    grl_mpnn_train_result r = {0};
    r.val_mse = INFINITY;
    double t_start = omp_get_wtime();
    int64_t since = 0, epoch;
    for (epoch = 1; epoch <= op.train.epochs; epoch++) {
        double t0 = omp_get_wtime();
        for (int64_t b = 0; b < train.nbatches; b++) order[b] = b;
        grl_rng rng;
        grl_rng_init(&rng, op.train.seed ^ 0x6a09e667f3bcc909ull, (uint64_t)epoch);
        for (int64_t b = train.nbatches - 1; b > 0; b--) {
            int64_t j = (int64_t)grl_rng_below(&rng, (uint64_t)b + 1), t = order[b];
            order[b] = order[j];
            order[j] = t;
        }
        double loss = 0;
        int64_t count = 0;
        int64_t capped = R->head.capped; /* the steps' solves, not validation's */
        R->head.solves = R->head.forward_iterations = R->head.adjoint_iterations = 0;
        for (int64_t s = 0; s < train.nbatches; s++) {
            int64_t b = order[s], n = train.G[b].nodes * R->target_dim;
            GRL_TRY(forward(R, &train, b, msg));
            double l = grl_nn_mse(dpred, R->pred, train.y + train.node_lo[b] * R->target_dim, n);
            if (!isfinite(l))
                GRL_FAIL(GRL_INVALID_ARGUMENT, "the training loss is not finite at "
                         "epoch %" PRId64 ": %s", epoch,
                         grl_nn_divergence_advice(epoch == 1 && s == 0));
            loss += l * (double)n;
            count += n;
            memset(R->P.grad, 0, sizeof(float) * R->P.count);
            GRL_TRY(backward(R, &train, b, dpred, msg));
            grl_nn_optimizer_step(&o, &R->P);
        }
        r.solves += R->head.solves;
        r.capped += R->head.capped - capped;
        r.forward_iterations += (double)R->head.forward_iterations;
        r.adjoint_iterations += (double)R->head.adjoint_iterations;
        double vmse;
        GRL_TRY(evaluate(R, &val, &vmse, msg));
        bool improved = vmse < r.val_mse;
        double ts = R->scale[R->node_dim + R->arc_dim];
        if (improved) {
            r.val_mse = vmse;
            r.best_epoch = epoch;
            r.train_mse = loss / (double)count * ts * ts; /* first target's units */
            memcpy(best, R->P.value, sizeof(float) * R->P.count);
            since = 0;
        } else {
            since++;
        }
        if (op.train.progress) {
            grl_gnn_train_progress p = {epoch, op.train.epochs, loss / (double)count,
                                        NAN, NAN, vmse, omp_get_wtime() - t0, improved};
            op.train.progress(&p, op.train.progress_ctx);
        }
        if (op.train.patience > 0 && since >= op.train.patience) {
            epoch++;
            break;
        }
    }
    r.epochs_run = epoch - 1;
    memcpy(R->P.value, best, sizeof(float) * R->P.count);
    r.seconds = omp_get_wtime() - t_start;
    if (r.solves > 0) {
        r.forward_iterations /= (double)r.solves;
        r.adjoint_iterations /= (double)r.solves;
    }
    int st = capped_warning(R->head.capped, op.solver.max_iter, msg);
    if (res) *res = r;
    *M = R;
    R = NULL;
    FREE_ALL;
    return st;
#undef FREE_ALL
}

int grl_mpnn_predict(grl_mpnn *M, const grl_graph_set *S, float *pred, char *msg)
{
    batches B = {0};
#define FREE_ALL batches_release(&B)
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && S != NULL && pred != NULL, "grl_mpnn_predict: NULL argument");
    GRL_TRY(grl_graph_set_check(S, msg));
    GRL_REQUIRE(S->node_dim == M->node_dim && S->arc_dim == M->arc_dim,
                "grl_mpnn_predict: the set has %" PRId64 " node and %" PRId64 " arc "
                "features, the model was trained with %" PRId64 " and %" PRId64,
                S->node_dim, S->arc_dim, M->node_dim, M->arc_dim);
    if (S->ngraphs == 0) return 0;
    GRL_TRY(batches_build(&B, S, 0, S->ngraphs, M->batch_graphs, M, msg));
    const int64_t t = M->target_dim;
    const double *mean = M->mean + M->node_dim + M->arc_dim,
                 *scale = M->scale + M->node_dim + M->arc_dim;
    const int64_t capped = M->head.capped;
    for (int64_t b = 0; b < B.nbatches; b++) {
        GRL_TRY(forward(M, &B, b, msg));
        float *out = pred + B.node_lo[b] * t;
        for (int64_t i = 0; i < B.G[b].nodes * t; i++)
            out[i] = (float)(M->pred[i] * scale[i % t] + mean[i % t]);
    }
    FREE_ALL;
    return capped_warning(M->head.capped - capped, M->head.solver.max_iter, msg);
#undef FREE_ALL
}
