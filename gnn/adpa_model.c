/* adpa_model.c — ADPA's trainable part (the formula is in grl/gnn.h):
 * node-adaptive attention over each pattern's hops, a per-pattern linear
 * layer with ReLU and dropout, the pattern level (adpa_pattern.c: learned
 * scales and the concatenation, or node-adaptive weights and their sum or
 * concatenation) and the output layer; forward and hand-written backward
 * over a batch of rows. */
#include "adpa_internal.h"

#include <math.h>

void grl_adpa_options_init(grl_adpa_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->patterns = GRL_ADPA_PATTERNS_ALL;
    opt->hops = 2;
    opt->r = 0.42749;
    opt->hidden = 32;
    opt->dropout = 0.64;
    grl_gnn_train_options_init(&opt->train);
    opt->train.optimizer.lr = 0.06;
    opt->train.optimizer.weight_decay = 0.0127;
    opt->decays = 2;
    opt->decay[0] = 0.0127;
    opt->decay[1] = 0.0005;
    opt->hop_prior = GRL_ADPA_HOP_PRIOR;
    opt->ensemble = 1;
    opt->directed_scale_init = 1;
}

/* Hop biases c_k = prior * k of every pattern branch. */
static void start_hop_biases(grl_adpa *M, double prior)
{
    for (int b = 0; b < M->nbranches; b++) {
        if (M->bp[b].c < 0) continue;
        float *c = grl_nn_value(&M->params, M->bp[b].c);
        for (int k = 0; k <= M->hops; k++) c[k] = (float)(prior * k);
    }
}

/* Scales s_p of the directed patterns' branches (scalar attention). */
static void start_directed_scales(grl_adpa *M, double scale)
{
    for (int b = 0; b < M->nbranches; b++)
        if (M->bp[b].s >= 0 && M->kind[b] != GRL_BRANCH_FEATURES &&
            M->kind[b] != GRL_BRANCH_SYM)
            grl_nn_value(&M->params, M->bp[b].s)[0] = (float)scale;
}

static void release_batch(grl_adpa *M)
{
    for (int b = 0; b < GRL_ADPA_MAX_BRANCHES; b++) {
        free(M->Z[b]);
        free(M->alpha[b]);
        free(M->pre[b]);
        free(M->T[b]);
        M->Z[b] = M->alpha[b] = M->pre[b] = M->T[b] = NULL;
    }
    free(M->C);
    free(M->w);
    free(M->R);
    free(M->dR);
    free(M->dC);
    free(M->dT);
    free(M->dZ);
    free(M->gemm_scratch);
    M->C = M->w = M->R = M->dR = M->dC = M->dT = M->dZ = M->gemm_scratch = NULL;
    M->cap = 0;
}

void grl_adpa_free(grl_adpa **M)
{
    if (M == NULL || *M == NULL) return;
    release_batch(*M);
    grl_nn_params_release(&(*M)->params);
    free(*M);
    *M = NULL;
}

int64_t grl_adpa_nclasses(const grl_adpa *M) { return M ? M->nclasses : 0; }

/* What the output layer reads: C (B hidden wide) or, NODE, the weighted
 * sum R (hidden). */
static bool sums(const grl_adpa *M) { return M->pattern == GRL_ADPA_PATTERN_NODE; }
static int64_t output_width(const grl_adpa *M)
{
    return sums(M) ? M->hidden : M->nbranches * M->hidden;
}

/* Buffers for n rows. */
static int reserve(grl_adpa *M, int64_t n, char *msg)
{
#define FREE_ALL release_batch(M)
    if (n <= M->cap) return 0;
    release_batch(M);
    const size_t nf = grl_size_mul((size_t)n, (size_t)M->f);
    const size_t nh = grl_size_mul((size_t)n, (size_t)M->hidden);
    const size_t nk = grl_size_mul((size_t)n, (size_t)M->hops + 1);
    for (int b = 0; b < M->nbranches; b++) {
        GRL_ALLOC(M->Z[b], float, nf);
        GRL_ALLOC(M->alpha[b], float, nk);
        GRL_ALLOC(M->pre[b], float, nh);
        GRL_ALLOC(M->T[b], float, nh);
    }
    GRL_ALLOC(M->C, float, grl_size_mul(nh, (size_t)M->nbranches));
    GRL_ALLOC(M->w, float, grl_size_mul((size_t)n, (size_t)M->nbranches));
    if (sums(M)) {
        GRL_ALLOC(M->R, float, nh);
        GRL_ALLOC(M->dR, float, nh);
    }
    GRL_ALLOC(M->dC, float, grl_size_mul(nh, (size_t)M->nbranches));
    GRL_ALLOC(M->dT, float, nh);
    GRL_ALLOC(M->dZ, float, nf);
    size_t s1 = grl_nn_gemm_tn_scratch(n, M->f, M->hidden);
    size_t s2 = grl_nn_gemm_tn_scratch(n, output_width(M), M->nclasses);
    GRL_ALLOC(M->gemm_scratch, float, s1 > s2 ? s1 : s2);
    M->cap = n;
    return 0;
#undef FREE_ALL
}

/* x . y over f floats: float lanes within blocks of 256, the blocks added
 * in double in order — the same bits on any thread count (a row is one
 * thread's), vectorised (the double scalar loop took 55% of training). */
static double dot(const float *restrict x, const float *restrict y, int64_t f)
{
    double total = 0;
    for (int64_t b = 0; b < f; b += 256) {
        const int64_t e = f - b < 256 ? f - b : 256;
        float part = 0;
#pragma omp simd reduction(+ : part)
        for (int64_t j = 0; j < e; j++) part += x[b + j] * y[b + j];
        total += part;
    }
    return total;
}

/* Z[i] = sum_k alpha_ik H_k[row i] with the scores of grl/gnn.h; with
 * mask_empty, a hop whose row is all zeros gets score -inf (alpha 0, and no
 * gradient: the softmax backward below multiplies by alpha). */
static void attend(grl_adpa *M, int b)
{
    const grl_adpa_prop *P = M->P;
    const int K1 = M->hops + 1;
    const int64_t f = M->f;
    const float *v = grl_nn_value(&M->params, M->bp[b].v);
    const float *c = grl_nn_value(&M->params, M->bp[b].c);
#pragma omp parallel for schedule(static) if (M->n * K1 * f > GRL_NN_PARALLEL_WORK)
    for (int64_t i = 0; i < M->n; i++) {
        const int64_t row = M->rows[i];
        double s[GRL_ADPA_MAX_HOPS + 1], mx = -INFINITY, sum = 0;
        const unsigned live = M->mask_empty ? P->live[b][row] : ~0u;
        for (int k = 0; k < K1; k++) {
            s[k] = live >> k & 1 ? c[k] + dot(v, P->hop[b][k] + row * f, f)
                                 : -INFINITY;
            mx = s[k] > mx ? s[k] : mx;
        }
        for (int k = 0; k < K1; k++) sum += (s[k] = exp(s[k] - mx));
        float *al = M->alpha[b] + i * K1;
        for (int k = 0; k < K1; k++) al[k] = (float)(s[k] / sum);
        float *restrict z = M->Z[b] + i * f;
        for (int64_t j = 0; j < f; j++) z[j] = 0;
        for (int k = 0; k < K1; k++) {
            const float *restrict h = P->hop[b][k] + row * f;
            const float a = al[k];
#pragma omp simd
            for (int64_t j = 0; j < f; j++) z[j] += a * h[j];
        }
    }
}

static int forward(grl_nn_model *base, const int64_t *rows, int64_t n,
                   bool training, uint64_t epoch, float *logits, char *msg)
{
    grl_adpa *M = (grl_adpa *)base;
#define FREE_ALL ;
    GRL_TRY(reserve(M, n, msg));
    M->rows = rows;
    M->n = n;
    M->training = training;
    M->epoch = epoch;
    const int64_t f = M->f, h = M->hidden, B = M->nbranches;
    for (int b = 0; b < B; b++) {
        if (M->kind[b] == GRL_BRANCH_FEATURES) {
            for (int64_t i = 0; i < n; i++)
                memcpy(M->Z[b] + i * f, M->P->hop[0][0] + rows[i] * f,
                       sizeof(float) * (size_t)f);
        } else {
            attend(M, b);
        }
        grl_nn_linear_forward(M->pre[b], M->Z[b],
                              grl_nn_value(&M->params, M->bp[b].W),
                              grl_nn_value(&M->params, M->bp[b].bias), n, f, h);
        grl_nn_activation_forward(GRL_NN_RELU, M->T[b], M->pre[b], n * h);
        if (training)
            grl_nn_dropout(M->T[b], rows, n, h, M->dropout, M->seed, epoch,
                           (uint64_t)b);
    }
    const bool node = M->pattern != GRL_ADPA_PATTERN_SCALAR;
    float s[GRL_ADPA_MAX_BRANCHES];
    for (int b = 0; !node && b < B; b++) s[b] = grl_nn_value(&M->params, M->bp[b].s)[0];
    grl_adpa_pattern_forward(M->C, M->R, M->w, (const float *const *)M->T, s,
                             node ? grl_nn_value(&M->params, M->Q) : NULL,
                             node ? grl_nn_value(&M->params, M->qb) : NULL, n, B, h);
    grl_nn_linear_forward(logits, sums(M) ? M->R : M->C, grl_nn_value(&M->params, M->Wo),
                          grl_nn_value(&M->params, M->bo), n, output_width(M),
                          M->nclasses);
    return 0;
#undef FREE_ALL
}

/* Gradients of v and c of branch b from dZ (rows in order: deterministic). */
static void attend_backward(grl_adpa *M, int b, const float *dZ)
{
    const grl_adpa_prop *P = M->P;
    const int K1 = M->hops + 1;
    const int64_t f = M->f;
    float *dv = grl_nn_grad(&M->params, M->bp[b].v);
    float *dc = grl_nn_grad(&M->params, M->bp[b].c);
    for (int64_t i = 0; i < M->n; i++) {
        const int64_t row = M->rows[i];
        const float *al = M->alpha[b] + i * K1;
        double dal[GRL_ADPA_MAX_HOPS + 1], mean = 0;
        for (int k = 0; k < K1; k++) {
            dal[k] = dot(dZ + i * f, P->hop[b][k] + row * f, f);
            mean += al[k] * dal[k];
        }
        for (int k = 0; k < K1; k++) {
            const double ds = al[k] * (dal[k] - mean); /* softmax */
            const float *restrict h = P->hop[b][k] + row * f;
            const float g = (float)ds;
            dc[k] += g;
#pragma omp simd
            for (int64_t j = 0; j < f; j++) dv[j] += g * h[j];
        }
    }
}

static int backward(grl_nn_model *base, const float *dlogits, char *msg)
{
    grl_adpa *M = (grl_adpa *)base;
#define FREE_ALL ;
    const int64_t n = M->n, h = M->hidden, B = M->nbranches, f = M->f;
    const bool node = M->pattern != GRL_ADPA_PATTERN_SCALAR;
    float *dOut = sums(M) ? M->dR : M->dC;
    grl_nn_linear_backward(dOut, grl_nn_grad(&M->params, M->Wo),
                           grl_nn_grad(&M->params, M->bo), sums(M) ? M->R : M->C,
                           grl_nn_value(&M->params, M->Wo), dlogits, n,
                           output_width(M), M->nclasses, M->gemm_scratch);
    float ds[GRL_ADPA_MAX_BRANCHES] = {0};
    grl_adpa_pattern_backward(M->dC, dOut, sums(M), ds,
                              node ? grl_nn_grad(&M->params, M->Q) : NULL,
                              node ? grl_nn_grad(&M->params, M->qb) : NULL, M->w,
                              (const float *const *)M->T,
                              node ? grl_nn_value(&M->params, M->Q) : NULL, n, (int)B, h);
    for (int b = 0; b < B; b++) {
        if (!node) grl_nn_grad(&M->params, M->bp[b].s)[0] += ds[b];
        for (int64_t i = 0; i < n; i++)
            memcpy(M->dT + i * h, M->dC + (i * B + b) * h, sizeof(float) * (size_t)h);
        if (M->training)
            grl_nn_dropout(M->dT, M->rows, n, h, M->dropout, M->seed, M->epoch,
                           (uint64_t)b);
        /* ReLU: pre > 0 exactly where the output was kept */
        grl_nn_activation_backward(GRL_NN_RELU, M->dT, M->pre[b], M->pre[b],
                                   M->dT, n * h);
        bool attention = M->kind[b] != GRL_BRANCH_FEATURES;
        grl_nn_linear_backward(attention ? M->dZ : NULL,
                               grl_nn_grad(&M->params, M->bp[b].W),
                               grl_nn_grad(&M->params, M->bp[b].bias), M->Z[b],
                               grl_nn_value(&M->params, M->bp[b].W), M->dT, n,
                               f, h, M->gemm_scratch);
        if (attention) attend_backward(M, b, M->dZ);
    }
    return 0;
#undef FREE_ALL
}

int grl_adpa_new(grl_adpa **Mout, int nbranches, const grl_branch_kind *kind,
                 int hops, double r, int64_t f, int64_t hidden,
                 int64_t nclasses, double dropout,
                 grl_adpa_pattern_attention pattern, uint64_t seed, char *msg)
{
    grl_adpa *M = NULL;
#define FREE_ALL grl_adpa_free(&M)
    GRL_REQUIRE(hidden >= 1 && hidden <= 1 << 20, "hidden must be in 1..2^20, "
                "got %" PRId64, hidden);
    GRL_REQUIRE(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got %g",
                dropout);
    GRL_REQUIRE(nclasses >= 2, "classification needs at least 2 classes, got %"
                PRId64, nclasses);
    GRL_REQUIRE(grl_adpa_pattern_attention_name(pattern) != NULL,
                "unknown pattern attention %d", (int)pattern);
    GRL_REQUIRE(nbranches >= 1 && nbranches <= GRL_ADPA_MAX_BRANCHES &&
                    hops >= 1 && hops <= GRL_ADPA_MAX_HOPS && f >= 1,
                "invalid ADPA shape (%d branches, %d hops, %" PRId64 " features)",
                nbranches, hops, f);
    GRL_CALLOC(M, grl_adpa, 1);
    M->base.params = &M->params;
    M->base.nclasses = nclasses;
    M->base.forward = forward;
    M->base.backward = backward;
    M->nbranches = nbranches;
    M->hops = hops;
    M->r = r;
    M->f = f;
    M->hidden = hidden;
    M->nclasses = nclasses;
    M->dropout = dropout;
    M->seed = seed;
    M->pattern = pattern;
    const bool node = pattern != GRL_ADPA_PATTERN_SCALAR;
    memcpy(M->kind, kind, sizeof(grl_branch_kind) * (size_t)nbranches);
    grl_nn_params *p = &M->params;
    for (int b = 0; b < nbranches; b++) {
        grl_adpa_branch_params *q = &M->bp[b];
        q->v = q->c = -1;
        if (kind[b] != GRL_BRANCH_FEATURES) {
            q->v = grl_nn_params_add(p, 1, f);
            q->c = grl_nn_params_add(p, 1, hops + 1);
        }
        q->W = grl_nn_params_add(p, f, hidden);
        q->bias = grl_nn_params_add(p, 1, hidden);
        q->s = node ? -1 : grl_nn_params_add(p, 1, 1);
    }
    const int64_t width = output_width(M);
    M->Wo = grl_nn_params_add(p, width, nclasses);
    M->bo = grl_nn_params_add(p, 1, nclasses);
    M->Q = node ? grl_nn_params_add(p, nbranches, hidden) : -1;
    M->qb = node ? grl_nn_params_add(p, 1, nbranches) : -1;
    GRL_REQUIRE(p->count != SIZE_MAX, "the model is too large");
    GRL_TRY(grl_nn_params_alloc(p, msg));
    /* PyTorch's nn.Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) */
    const uint64_t key = grl_mix64(seed ^ 0x243f6a8885a308d3ull);
    for (int b = 0; b < nbranches; b++) {
        grl_adpa_branch_params *q = &M->bp[b];
        if (q->v >= 0) grl_nn_params_uniform(p, q->v, 1.0 / sqrt((double)f), key);
        grl_nn_params_uniform(p, q->W, 1.0 / sqrt((double)f), key);
        grl_nn_params_uniform(p, q->bias, 1.0 / sqrt((double)f), key);
        if (q->s >= 0) grl_nn_params_fill(p, q->s, 1.0f);
    }
    grl_nn_params_uniform(p, M->Wo, 1.0 / sqrt((double)width), key);
    grl_nn_params_uniform(p, M->bo, 1.0 / sqrt((double)width), key);
    /* node attention starts near level (biases 0, small scores) */
    if (node) grl_nn_params_uniform(p, M->Q, 1.0 / sqrt((double)hidden), key);
    start_hop_biases(M, GRL_ADPA_HOP_PRIOR);
    *Mout = M;
    return 0;
#undef FREE_ALL
}

int grl_adpa_check_prop(const grl_adpa *M, const grl_adpa_prop *P, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(M->damped == P->damped,
                "the model was trained on %s hops, these propagations have %s "
                "ones: build them with hop_damping %d", M->damped ? "damped" : "undamped",
                P->damped ? "damped" : "undamped", M->damped);
    GRL_REQUIRE(M->nbranches == P->nbranches && M->hops == P->hops &&
                    M->f == P->f &&
                    memcmp(M->kind, P->kind,
                           sizeof(grl_branch_kind) * (size_t)M->nbranches) == 0,
                "the model (%d branches, %d hops, %" PRId64 " features) does not "
                "fit these propagations (%d branches, %d hops, %" PRId64
                " features): build them with the model's pattern set, hops and "
                "features", M->nbranches, M->hops, M->f, P->nbranches, P->hops,
                P->f);
    GRL_REQUIRE(M->r == P->r, "the model was trained on propagations with r = %g, "
                "these have r = %g: build them with the model's r", M->r, P->r);
    return 0;
#undef FREE_ALL
}

int grl_adpa_train(grl_adpa **Mout, grl_gnn_train_result *res,
                   const grl_adpa_prop *P, const grl_node_labels *L,
                   const grl_node_splits *S, int64_t split,
                   const grl_adpa_options *opt, char *msg)
{
    grl_adpa *M = NULL;
#define FREE_ALL grl_adpa_free(&M)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(Mout != NULL && P != NULL && L != NULL && S != NULL,
                "grl_adpa_train: NULL argument");
    *Mout = NULL;
    grl_adpa_options o;
    if (opt) o = *opt;
    else grl_adpa_options_init(&o);
    GRL_REQUIRE(L->nodes == P->n && S->nodes == P->n, "the labels (%" PRId64
                " nodes), splits (%" PRId64 ") and propagations (%" PRId64
                ") disagree on the node count", L->nodes, S->nodes, P->n);
    GRL_REQUIRE(o.hop_prior >= 0 && o.hop_prior <= 20, "hop_prior must be in "
                "[0, 20], got %g", o.hop_prior);
    GRL_REQUIRE(o.mask_empty_hops == 0 || o.mask_empty_hops == 1,
                "mask_empty_hops must be 0 or 1, got %d", o.mask_empty_hops);
    GRL_REQUIRE(o.directed_scale_init >= 0 && o.directed_scale_init <= 1,
                "directed_scale_init must be in [0, 1], got %g", o.directed_scale_init);
    GRL_REQUIRE(o.directed_scale_init == 1 ||
                    o.pattern_attention == GRL_ADPA_PATTERN_SCALAR,
                "directed_scale_init %g needs scalar pattern attention (the "
                "node-adaptive forms have no scales)", o.directed_scale_init);
    GRL_TRY(grl_adpa_new(&M, P->nbranches, P->kind, P->hops, P->r, P->f,
                         o.hidden, L->nclasses, o.dropout, o.pattern_attention,
                         o.train.seed, msg));
    start_hop_biases(M, o.hop_prior);
    start_directed_scales(M, o.directed_scale_init);
    M->mask_empty = o.mask_empty_hops == 1;
    M->damped = P->damped;
    M->P = P;
    GRL_TRY(grl_nn_train(&M->base, L, S, split, &o.train, res, msg));
    release_batch(M);
    M->P = NULL;
    *Mout = M;
    return 0;
#undef FREE_ALL
}

int grl_adpa_add_probabilities(grl_adpa *M, const grl_adpa_prop *P,
                               const grl_node_labels *L, const grl_node_splits *S,
                               int64_t split, const grl_gnn_train_options *opt,
                               double *sum, char *msg)
{
#define FREE_ALL release_batch(M); M->P = NULL
    GRL_TRY(grl_adpa_check_prop(M, P, msg));
    M->P = P;
    GRL_TRY(grl_nn_add_probabilities(&M->base, L, S, split, GRL_SPLIT_VAL, opt, sum, msg));
    GRL_TRY(grl_nn_add_probabilities(&M->base, L, S, split, GRL_SPLIT_TEST, opt, sum, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Run the model over every node in batches, handing each batch to fn. */
static int over_all_nodes(grl_adpa *M, const grl_adpa_prop *P, float *logits,
                          void (*fn)(grl_adpa *M, int64_t first, void *ctx),
                          void *ctx, char *msg)
{
    int64_t *rows = NULL;
#define FREE_ALL free(rows); release_batch(M); M->P = NULL
    GRL_TRY(grl_adpa_check_prop(M, P, msg));
    const int64_t n = P->n, batch = 4096;
    GRL_ALLOC(rows, int64_t, n);
    for (int64_t i = 0; i < n; i++) rows[i] = i;
    M->P = P;
    for (int64_t s = 0; s < n; s += batch) {
        int64_t b = n - s < batch ? n - s : batch;
        GRL_TRY(forward(&M->base, rows + s, b, false, 0,
                        logits + s * M->nclasses, msg));
        if (fn) fn(M, s, ctx);
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_adpa_predict(const grl_adpa *Mc, const grl_adpa_prop *P, float *proba,
                     char *msg)
{
#define FREE_ALL ;
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(Mc != NULL && P != NULL && proba != NULL,
                "grl_adpa_predict: NULL argument");
    /* the batch buffers are scratch: the parameters are not touched */
    grl_adpa *M = (grl_adpa *)Mc;
    GRL_TRY(over_all_nodes(M, P, proba, NULL, NULL, msg));
    const int64_t bad = grl_first_nonfinite(proba, P->n * M->nclasses);
    GRL_REQUIRE(bad < 0, "node %" PRId64 "'s class scores overflow float32: the "
                "model's parameters are too large for these features",
                bad / M->nclasses);
    grl_nn_softmax_rows(proba, proba, P->n, M->nclasses);
    return 0;
#undef FREE_ALL
}

static void add_mass(grl_adpa *M, int64_t first, void *ctx)
{
    double *mass = ctx;
    const int64_t B = M->nbranches, h = M->hidden;
    for (int64_t i = 0; i < M->n; i++)
        for (int b = 0; b < B; b++)
            for (int64_t c = 0; c < h; c++)
                mass[b] += fabsf(M->C[i * B * h + b * h + c]);
}

int grl_adpa_branch_mass(const grl_adpa *Mc, const grl_adpa_prop *P,
                         double *mass, char *msg)
{
    float *logits = NULL;
#define FREE_ALL free(logits)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(Mc != NULL && P != NULL && mass != NULL,
                "grl_adpa_branch_mass: NULL argument");
    grl_adpa *M = (grl_adpa *)Mc;
    GRL_ALLOC(logits, float, grl_size_mul((size_t)P->n, (size_t)M->nclasses));
    for (int b = 0; b < M->nbranches; b++) mass[b] = 0;
    GRL_TRY(over_all_nodes(M, P, logits, add_mass, mass, msg));
    double total = 0;
    for (int b = 0; b < M->nbranches; b++) total += mass[b];
    for (int b = 0; b < M->nbranches; b++) mass[b] = total > 0 ? mass[b] / total : 0;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
