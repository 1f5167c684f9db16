/* fpgnn.c — the fixed-point GNNs as models of the training substrate:
 * options, parameters, the whole-graph forward read out at the batch rows,
 * the scattered backward, training, prediction and evaluation over splits.
 * The kinds (appnp.c, ignn.c, cgs.c) supply the maths. */
#include "fpgnn_internal.h"

#include <math.h>

static const grl_enum_name kind_names[] = {
    {"appnp", GRL_FPGNN_APPNP}, {"ignn", GRL_FPGNN_IGNN}, {"cgs", GRL_FPGNN_CGS}};

GRL_ENUM_FUNCTIONS(grl_fpgnn_kind, kind_names, "fixed-point GNN")

static const grl_enum_name activation_names[] = {{"relu", GRL_FPGNN_RELU},
                                                 {"silu", GRL_FPGNN_SILU}};

GRL_ENUM_FUNCTIONS(grl_fpgnn_activation, activation_names, "CGS activation")

static const grl_enum_name readout_names[] = {{"sum", GRL_FPGNN_READOUT_SUM},
                                              {"sum-max", GRL_FPGNN_READOUT_SUM_MAX},
                                              {"sum-mean", GRL_FPGNN_READOUT_SUM_MEAN}};

GRL_ENUM_FUNCTIONS(grl_fpgnn_readout, readout_names, "CGS readout")

static const grl_fpgnn_ops *const kind_ops[] = {&grl_appnp_ops, &grl_ignn_ops,
                                                &grl_cgs_ops};

void grl_fpgnn_options_init(grl_fpgnn_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->kind = GRL_FPGNN_APPNP;
    opt->hidden = 64;
    opt->dropout = 0.5;
    opt->alpha = 0.1;
    opt->kappa = 0.95;
    opt->gamma = 0.5;
    opt->heads = 16;
    opt->ensemble = 1;
    grl_fixed_point_options_init(&opt->solver);
    opt->solver.max_iter = 300;
    grl_gnn_train_options_init(&opt->train);
    opt->train.optimizer.weight_decay = 5e-4;
}

static int check_options(const grl_fpgnn_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE((int)o->kind >= 0 && (int)o->kind <= GRL_FPGNN_CGS,
                "unknown fixed-point GNN kind %d", (int)o->kind);
    GRL_REQUIRE(o->hidden >= 1 && o->hidden <= 1 << 16, "hidden must be in "
                "1..65536, got %" PRId64, o->hidden);
    GRL_REQUIRE(o->dropout >= 0 && o->dropout < 1, "dropout must be in [0, 1), "
                "got %g", o->dropout);
    GRL_REQUIRE(o->alpha > 0 && o->alpha < 1, "alpha must be in (0, 1), got %g",
                o->alpha);
    GRL_REQUIRE(o->kappa > 0 && o->kappa < 1, "kappa must be in (0, 1), got %g",
                o->kappa);
    GRL_REQUIRE(o->gamma > 0 && o->gamma < 1, "gamma must be in (0, 1) for a "
                "contraction, got %g", o->gamma);
    GRL_REQUIRE(o->heads >= 1 && o->heads <= 1024, "heads must be in 1..1024, "
                "got %" PRId64, o->heads);
    GRL_REQUIRE(!o->skip || o->kind == GRL_FPGNN_CGS, "skip (the encoder's "
                "embedding beside the fixed point) is a CGS option, not %s's",
                grl_fpgnn_kind_name(o->kind));
    GRL_REQUIRE(o->mp_layers >= 0 && o->mp_layers <= GRL_FPGNN_MAX_MP_LAYERS,
                "mp_layers must be in 0..%d, got %" PRId64, GRL_FPGNN_MAX_MP_LAYERS,
                o->mp_layers);
    GRL_REQUIRE(o->mp_layers == 0 || o->kind == GRL_FPGNN_CGS, "mp_layers (the "
                "message-passing encoder) is a CGS option, not %s's",
                grl_fpgnn_kind_name(o->kind));
    GRL_REQUIRE(o->activation == GRL_FPGNN_RELU || o->activation == GRL_FPGNN_SILU,
                "unknown CGS activation %d", (int)o->activation);
    GRL_REQUIRE(o->activation == GRL_FPGNN_RELU || o->kind == GRL_FPGNN_CGS,
                "activation %s is a CGS option, not %s's",
                grl_fpgnn_activation_name(o->activation), grl_fpgnn_kind_name(o->kind));
    GRL_REQUIRE(o->readout >= GRL_FPGNN_READOUT_SUM &&
                    o->readout <= GRL_FPGNN_READOUT_SUM_MEAN,
                "unknown CGS readout %d", (int)o->readout);
    GRL_REQUIRE(o->readout == GRL_FPGNN_READOUT_SUM || o->kind == GRL_FPGNN_CGS,
                "readout %s is a CGS option, not %s's",
                grl_fpgnn_readout_name(o->readout), grl_fpgnn_kind_name(o->kind));
    GRL_TRY(grl_fp_check_options(&o->solver, msg));
    return 0;
#undef FREE_ALL
}

int64_t grl_fpgnn_readout_factor(const grl_fpgnn *M)
{
    return M->readout == GRL_FPGNN_READOUT_SUM ? 1 : 2;
}

/* out (graphs x r d, r the readout factor) from the node values E (n x d):
 * each graph's column sums, then with SUM_MAX their maxima, with SUM_MEAN
 * the sums over the node count (an empty graph reads 0). */
static void readout_forward(const grl_fpgnn *M, float *out, const float *E, int64_t d)
{
    const grl_fpgnn_graph *g = M->g;
    const int64_t w = d * grl_fpgnn_readout_factor(M);
#pragma omp parallel for schedule(dynamic, 64) if (g->n * d > GRL_NN_PARALLEL_WORK)
    for (int64_t t = 0; t < g->ngraphs; t++) { /* nodes in order */
        const int64_t first = g->graph_ptr[t], last = g->graph_ptr[t + 1];
        float *o = out + t * w;
        for (int64_t c = 0; c < w; c++) o[c] = 0.0f;
        for (int64_t i = first; i < last; i++)
            for (int64_t c = 0; c < d; c++) o[c] += E[i * d + c];
        if (M->readout == GRL_FPGNN_READOUT_SUM_MEAN && last > first)
            for (int64_t c = 0; c < d; c++) o[d + c] = o[c] / (float)(last - first);
        if (M->readout == GRL_FPGNN_READOUT_SUM_MAX && last > first)
            for (int64_t c = 0; c < d; c++) {
                o[d + c] = E[first * d + c];
                for (int64_t i = first + 1; i < last; i++)
                    o[d + c] = fmaxf(o[d + c], E[i * d + c]);
            }
    }
}

/* dE (n x d) from din (graphs x r d): the sum's gradient to every node,
 * the mean's over the count, the max's to the first node holding it. */
static void readout_backward(const grl_fpgnn *M, float *dE, const float *din, int64_t d)
{
    const grl_fpgnn_graph *g = M->g;
    const float *E = M->readout_in;
    const int64_t w = d * grl_fpgnn_readout_factor(M);
#pragma omp parallel for schedule(dynamic, 64) if (g->n * d > GRL_NN_PARALLEL_WORK)
    for (int64_t t = 0; t < g->ngraphs; t++) {
        const int64_t first = g->graph_ptr[t], last = g->graph_ptr[t + 1];
        const float *o = din + t * w;
        for (int64_t i = first; i < last; i++)
            memcpy(dE + i * d, o, sizeof(float) * (size_t)d);
        if (M->readout == GRL_FPGNN_READOUT_SUM_MEAN)
            for (int64_t i = first; i < last; i++)
                for (int64_t c = 0; c < d; c++)
                    dE[i * d + c] += o[d + c] / (float)(last - first);
        if (M->readout == GRL_FPGNN_READOUT_SUM_MAX && last > first)
            for (int64_t c = 0; c < d; c++) {
                int64_t top = first;
                for (int64_t i = first + 1; i < last; i++)
                    if (E[i * d + c] > E[top * d + c]) top = i;
                dE[top * d + c] += o[d + c];
            }
    }
}

static void release_buffers(grl_fpgnn *M)
{
    grl_fpgnn_graph_release(&M->batch);
    grl_mp_graph_release(&M->mp_graph);
    for (int l = 0; l < GRL_FPGNN_MAX_MP_LAYERS; l++) grl_mp_cache_release(&M->mp_cache[l]);
    for (int s = 0; s < GRL_FPGNN_MAX_BUFFERS; s++) {
        free(M->buf[s]);
        M->buf[s] = NULL;
        M->bufsize[s] = 0;
    }
}

void grl_fpgnn_free(grl_fpgnn **M)
{
    if (M == NULL || *M == NULL) return;
    release_buffers(*M);
    grl_nn_params_release(&(*M)->params);
    free(*M);
    *M = NULL;
}

int64_t grl_fpgnn_nclasses(const grl_fpgnn *M) { return M ? M->nclasses : 0; }

grl_fpgnn_report grl_fpgnn_stats(const grl_fpgnn *M)
{
    grl_fpgnn_report r = {0};
    return M ? M->report : r;
}

int grl_fpgnn_buffer(grl_fpgnn *M, int s, size_t count, float **out, char *msg)
{
#define FREE_ALL ;
    if (M->bufsize[s] < count) {
        free(M->buf[s]);
        M->buf[s] = NULL;
        M->bufsize[s] = 0;
        GRL_CALLOC(M->buf[s], float, count);
        M->bufsize[s] = count;
    }
    *out = M->buf[s];
    return 0;
#undef FREE_ALL
}

void grl_fpgnn_buffers_swapped(grl_fpgnn *M, int a, float *pa, int b, float *pb)
{
    if (M->buf[a] != pa) {
        size_t t = M->bufsize[a];
        M->bufsize[a] = M->bufsize[b];
        M->bufsize[b] = t;
    }
    M->buf[a] = pa;
    M->buf[b] = pb;
}

int grl_fpgnn_note(grl_fpgnn *M, int status, const grl_fixed_point_report *r,
                   bool forward, const char *msg)
{
    if (status < 0) return status;
    if (forward) M->report.forward = *r;
    else M->report.backward = *r;
    M->report.solves++;
    if (status == GRL_NOT_CONVERGED) {
        M->report.capped++;
        grl_warning_keep(&M->warn, status, msg);
    }
    return 0;
}

/* grl_nn_model's forward: for a node task the fixed point over the whole
 * graph, read out at the rows; for a graph task over the rows' graphs only
 * (gathered into M->batch), read out over each graph's nodes (their sum,
 * for CGS optionally beside their max or mean); then decoded. */
static int model_forward(grl_nn_model *base, const int64_t *rows, int64_t n,
                         bool training, uint64_t epoch, float *logits,
                         char *msg)
{
    grl_fpgnn *M = (grl_fpgnn *)base;
#define FREE_ALL ;
    M->training = training;
    M->epoch = epoch;
    M->rows = rows;
    M->nrows = n;
    M->g = M->whole;
    if (M->whole->graph_ptr) {
        GRL_TRY(grl_fpgnn_graph_gather(&M->batch, M->whole, rows, n, msg));
        M->g = &M->batch;
    }
    const grl_fpgnn_graph *g = M->g;
    const grl_fpgnn_ops *ops = kind_ops[M->kind];
    const int64_t k = M->nclasses, d = ops->width(M);
    float *E;
    const float *in, *all;
    GRL_TRY(ops->embed(M, &E, msg));
    in = E;
    if (g->graph_ptr) {
        float *read;
        GRL_TRY(grl_fpgnn_buffer(M, 2, grl_size_mul((size_t)g->ngraphs,
                                                    (size_t)(d * grl_fpgnn_readout_factor(M))),
                                 &read, msg));
        readout_forward(M, read, E, d);
        M->readout_in = E;
        in = read;
    }
    GRL_TRY(ops->decode(M, in, g->graph_ptr ? g->ngraphs : g->n, &all, msg));
    for (int64_t i = 0; i < n; i++) /* a batch's graphs are rows in order */
        memcpy(logits + i * k, all + (g->graph_ptr ? i : rows[i]) * k,
               sizeof(float) * (size_t)k);
    return 0;
#undef FREE_ALL
}

static int model_backward(grl_nn_model *base, const float *dlogits, char *msg)
{
    grl_fpgnn *M = (grl_fpgnn *)base;
#define FREE_ALL ;
    const grl_fpgnn_graph *g = M->g;
    const grl_fpgnn_ops *ops = kind_ops[M->kind];
    const int64_t k = M->nclasses, n = g->n, d = ops->width(M);
    float *dall, *dE;
    const float *din;
    if (!g->graph_ptr) { /* the rows' gradient scattered over all nodes */
        GRL_TRY(grl_fpgnn_buffer(M, 3, grl_size_mul((size_t)n, (size_t)k), &dall, msg));
        memset(dall, 0, sizeof(float) * (size_t)(n * k));
        for (int64_t i = 0; i < M->nrows; i++) /* rows are distinct in a batch */
            memcpy(dall + M->rows[i] * k, dlogits + i * k, sizeof(float) * (size_t)k);
        GRL_TRY(ops->decode_backward(M, dall, n, &din, msg));
        return ops->embed_backward(M, din, msg);
    }
    GRL_TRY(ops->decode_backward(M, dlogits, g->ngraphs, &din, msg)); /* rows in order */
    GRL_TRY(grl_fpgnn_buffer(M, 1, grl_size_mul((size_t)n, (size_t)d), &dE, msg));
    readout_backward(M, dE, din, d);
    return ops->embed_backward(M, dE, msg);
#undef FREE_ALL
}

int grl_fpgnn_shape(grl_fpgnn **Mout, grl_fpgnn_kind kind, int64_t f,
                    int64_t arc_dim, int64_t nclasses,
                    const grl_fpgnn_options *opt, char *msg)
{
    grl_fpgnn *M = NULL;
#define FREE_ALL grl_fpgnn_free(&M)
    GRL_TRY(check_options(opt, msg));
    GRL_REQUIRE(nclasses >= 2, "classification needs at least 2 classes, got %"
                PRId64, nclasses);
    GRL_REQUIRE(f >= 1 && f <= ((int64_t)1 << 32) && arc_dim >= 1 &&
                    arc_dim <= ((int64_t)1 << 20),
                "invalid input widths (%" PRId64 " node, %" PRId64 " arc features)",
                f, arc_dim);
    GRL_CALLOC(M, grl_fpgnn, 1);
    M->base.params = &M->params;
    M->base.nclasses = nclasses;
    M->base.forward = model_forward;
    M->base.backward = model_backward;
    M->kind = kind;
    M->f = f;
    M->arc_dim = arc_dim;
    M->nclasses = nclasses;
    M->hidden = opt->hidden;
    M->heads = opt->heads;
    M->skip = opt->skip;
    M->mp_layers = opt->mp_layers;
    M->activation = opt->activation;
    M->act = opt->activation == GRL_FPGNN_SILU ? GRL_NN_SILU : GRL_NN_RELU;
    M->readout = opt->readout;
    M->dropout = opt->dropout;
    M->alpha = opt->alpha;
    M->kappa = opt->kappa;
    M->gamma = opt->gamma;
    M->seed = opt->train.seed;
    M->solver = opt->solver;
    kind_ops[kind]->add_params(M);
    for (int t = 0; t < M->params.ntensors; t++)
        GRL_REQUIRE(M->params.t[t].offset != SIZE_MAX, "the model is too large");
    GRL_REQUIRE(M->params.count != SIZE_MAX, "the model is too large");
    *Mout = M;
    return 0;
#undef FREE_ALL
}

int grl_fpgnn_new(grl_fpgnn **Mout, grl_fpgnn_kind kind, int64_t f,
                  int64_t arc_dim, int64_t nclasses,
                  const grl_fpgnn_options *opt, char *msg)
{
    grl_fpgnn *M = NULL;
#define FREE_ALL grl_fpgnn_free(&M)
    GRL_TRY(grl_fpgnn_shape(&M, kind, f, arc_dim, nclasses, opt, msg));
    GRL_TRY(grl_nn_params_alloc(&M->params, msg));
    kind_ops[kind]->init_params(M, grl_mix64(opt->train.seed ^ 0x13198a2e03707344ull));
    *Mout = M;
    return 0;
#undef FREE_ALL
}

/* The warning of M's solves since `since` (0 or GRL_NOT_CONVERGED). */
static int solve_status(const grl_fpgnn *M, int64_t capped_before, char *msg)
{
    if (M->report.capped == capped_before) return 0;
    return grl_warning_return(&M->warn, msg);
}

/* A node task (G, X, labels over nodes) or a graph task (D, labels over
 * graphs). */
typedef struct {
    grl_graph *G;
    const grl_dense *X;
    const grl_graph_set *D;
} problem;

static int build(grl_fpgnn_graph *g, grl_fpgnn_kind kind, const problem *p,
                 char *msg)
{
    return p->D ? grl_fpgnn_graph_from_set(g, kind, p->D, msg)
                : grl_fpgnn_graph_build(g, kind, p->G, p->X, msg);
}

/* Which rows' class probabilities train() adds to its sum. */
enum { SCORE_VAL = 1, SCORE_TEST = 2 };

/* One model on split `split`: its epoch chosen on the validation rows, or
 * with refit_epochs > 0 the refit on the training and validation rows for
 * that many epochs (grl_nn_train_fixed). With sum (L->nodes x nclasses, may
 * be NULL) its class probabilities of the split's rows that `score` names
 * are added there (an ensemble member's share). */
static int train(grl_fpgnn **Mout, grl_gnn_train_result *res, const problem *p,
                 const grl_node_labels *L, const grl_node_splits *S,
                 int64_t split, const grl_fpgnn_options *opt,
                 int64_t refit_epochs, double *sum, int score, char *msg)
{
    grl_fpgnn *M = NULL;
    grl_fpgnn_graph g = {0};
#define FREE_ALL grl_fpgnn_free(&M); grl_fpgnn_graph_release(&g)
    grl_fpgnn_options o;
    if (opt) o = *opt;
    else grl_fpgnn_options_init(&o);
    GRL_TRY(check_options(&o, msg));
    GRL_REQUIRE(p->D || o.readout == GRL_FPGNN_READOUT_SUM, "readout %s is for "
                "graph classification, not a node task", grl_fpgnn_readout_name(o.readout));
    GRL_TRY(build(&g, o.kind, p, msg));
    const int64_t rows = p->D ? g.ngraphs : g.n;
    GRL_REQUIRE(L->nodes == rows && S->nodes == rows, "the labels (%" PRId64 "), "
                "splits (%" PRId64 ") and %s (%" PRId64 ") disagree on the count",
                L->nodes, S->nodes, p->D ? "graphs" : "graph's nodes", rows);
    GRL_TRY(grl_fpgnn_new(&M, o.kind, g.f, g.arc_dim ? g.arc_dim : 1, L->nclasses,
                          &o, msg));
    M->whole = &g;
    if (refit_epochs > 0) {
        o.train.epochs = refit_epochs;
        GRL_TRY(grl_nn_train_fixed(&M->base, L, S, split, &o.train, res, msg));
    } else {
        GRL_TRY(grl_nn_train(&M->base, L, S, split, &o.train, res, msg));
    }
    if (sum && (score & SCORE_VAL))
        GRL_TRY(grl_nn_add_probabilities(&M->base, L, S, split, GRL_SPLIT_VAL, &o.train,
                                         sum, msg));
    if (sum && (score & SCORE_TEST))
        GRL_TRY(grl_nn_add_probabilities(&M->base, L, S, split, GRL_SPLIT_TEST, &o.train,
                                         sum, msg));
    M->whole = M->g = NULL;
    release_buffers(M);
    grl_fpgnn_graph_release(&g);
    *Mout = M;
    return solve_status(M, 0, msg);
#undef FREE_ALL
}

/* Logits (n or ngraphs x nclasses, the model's buffer) of every row. */
static int predict(grl_fpgnn *M, const problem *p, float *proba, char *msg)
{
    grl_fpgnn_graph g = {0};
    int64_t *rows = NULL;
#define FREE_ALL grl_fpgnn_graph_release(&g); free(rows); M->whole = M->g = NULL; \
    release_buffers(M)
    GRL_REQUIRE(p->D || M->readout == GRL_FPGNN_READOUT_SUM, "the model reads graphs "
                "out by %s: it classifies graphs, not nodes",
                grl_fpgnn_readout_name(M->readout));
    GRL_TRY(build(&g, M->kind, p, msg));
    GRL_REQUIRE(g.f == M->f && (M->kind != GRL_FPGNN_CGS || g.arc_dim == M->arc_dim),
                "the model was trained on %" PRId64 " node and %" PRId64 " arc "
                "features, these have %" PRId64 " and %" PRId64, M->f, M->arc_dim,
                g.f, g.arc_dim);
    M->whole = &g;
    const int64_t count = p->D ? g.ngraphs : g.n;
    GRL_ALLOC(rows, int64_t, count);
    for (int64_t i = 0; i < count; i++) rows[i] = i;
    int64_t capped = M->report.capped;
    GRL_TRY(model_forward(&M->base, rows, count, false, 0, proba, msg));
    for (int64_t i = 0; i < count * M->nclasses; i++) /* fuzz_fpgnn_model found it */
        GRL_REQUIRE(isfinite(proba[i]), "the model's outputs overflow float32 on these "
                    "inputs (row %" PRId64 ")", i / M->nclasses);
    grl_nn_softmax_rows(proba, proba, count, M->nclasses);
    FREE_ALL;
    return solve_status(M, capped, msg);
#undef FREE_ALL
}

void grl_fpgnn_evaluation_release(grl_fpgnn_evaluation *E)
{
    if (E == NULL) return;
    free(E->test);
    free(E->proba);
    E->test = NULL;
    E->proba = NULL;
}

/* Every split: o.ensemble members (the first kept as the split's model),
 * the accuracies of the mean of their probabilities; best: the first
 * member of the split with the highest validation accuracy. With o.refit
 * each member is refitted on the split's training and validation rows for
 * its own chosen epoch count (so member 0 stays the single model, bit for
 * bit) and the refit scores the test rows; validation stays the chosen
 * epoch's. */
static int evaluate(grl_fpgnn_evaluation *E, grl_fpgnn **best, const problem *p,
                    const grl_node_labels *L, const grl_node_splits *S,
                    const grl_fpgnn_options *opt, char *msg)
{
    grl_fpgnn *M = NULL, *first = NULL, *top = NULL;
    double *test = NULL, *mean = NULL, *proba = NULL;
    grl_warning w = {0};
#define FREE_ALL grl_fpgnn_free(&M); grl_fpgnn_free(&first); grl_fpgnn_free(&top); \
    free(test); free(mean); free(proba)
    memset(E, 0, sizeof(*E));
    if (best) *best = NULL;
    grl_fpgnn_options o;
    if (opt) o = *opt;
    else grl_fpgnn_options_init(&o);
    GRL_REQUIRE(o.ensemble >= 1 && o.ensemble <= 256, "ensemble must be in 1..256 "
                "(models per split), got %" PRId64, o.ensemble);
    GRL_REQUIRE(S->nsplits >= 1, "there is no split to evaluate on");
    const size_t cells = grl_size_mul((size_t)L->nodes, (size_t)L->nclasses);
    GRL_ALLOC(test, double, S->nsplits);
    GRL_ALLOC(mean, double, cells);
    GRL_CALLOC(proba, double, cells);
    double best_val = -1, val_sum = 0;
    for (int64_t s = 0; s < S->nsplits; s++) {
        memset(mean, 0, sizeof(double) * cells);
        for (int64_t j = 0; j < o.ensemble; j++) {
            grl_fpgnn_options os = o;
            /* a fresh init per split and per member */
            os.train.seed = grl_nn_member_seed(o.train.seed, j) + (uint64_t)s;
            grl_gnn_train_result r;
            GRL_TRY_KEEP(w, train(&M, &r, p, L, S, s, &os, 0, mean,
                                  o.refit ? SCORE_VAL : SCORE_VAL | SCORE_TEST, msg));
            if (o.refit) {
                grl_fpgnn_free(&M);
                GRL_TRY_KEEP(w, train(&M, NULL, p, L, S, s, &os, r.best_epoch, mean,
                                      SCORE_TEST, msg));
            }
            if (j == 0) {
                first = M;
                M = NULL;
            }
            grl_fpgnn_free(&M);
        }
        double val;
        GRL_TRY(grl_nn_ensemble_finish(mean, o.ensemble, L, S, s, p->D ? "graph" : "node",
                                       proba, &val, &test[s], msg));
        grl_nn_keep_best_split(val, &best_val, &val_sum, (void **)&top, (void **)&first);
        grl_fpgnn_free(&first);
    }
    E->splits = S->nsplits;
    grl_nn_mean_std(test, S->nsplits, &E->test_mean, &E->test_std);
    E->val_mean = val_sum / (double)S->nsplits;
    E->report = top->report;
    E->rows = L->nodes;
    E->nclasses = L->nclasses;
    E->test = test;
    E->proba = proba;
    test = proba = NULL;
    if (best) {
        *best = top;
        top = NULL;
    }
    FREE_ALL;
    return grl_warning_return(&w, msg);
#undef FREE_ALL
}

int grl_fpgnn_train(grl_fpgnn **M, grl_gnn_train_result *res, grl_graph *G,
                    const grl_dense *X, const grl_node_labels *L,
                    const grl_node_splits *S, int64_t split,
                    const grl_fpgnn_options *opt, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && G != NULL && X != NULL && X->data != NULL &&
                    L != NULL && S != NULL,
                "grl_fpgnn_train: NULL argument");
    *M = NULL;
    problem p = {G, X, NULL};
    return train(M, res, &p, L, S, split, opt, 0, NULL, 0, msg);
#undef FREE_ALL
}

int grl_fpgnn_predict(grl_fpgnn *M, grl_graph *G, const grl_dense *X,
                      float *proba, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && G != NULL && X != NULL && X->data != NULL &&
                    proba != NULL,
                "grl_fpgnn_predict: NULL argument");
    problem p = {G, X, NULL};
    return predict(M, &p, proba, msg);
#undef FREE_ALL
}

int grl_fpgnn_evaluate(grl_fpgnn_evaluation *E, grl_fpgnn **best, grl_graph *G,
                       const grl_dense *X, const grl_node_labels *L,
                       const grl_node_splits *S, const grl_fpgnn_options *opt,
                       char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(E != NULL && G != NULL && X != NULL && X->data != NULL &&
                    L != NULL && S != NULL,
                "grl_fpgnn_evaluate: NULL argument");
    problem p = {G, X, NULL};
    return evaluate(E, best, &p, L, S, opt, msg);
#undef FREE_ALL
}

/* The graph classes of D as labels over graphs (borrowed array). */
static int graph_labels(grl_node_labels *L, const grl_graph_set *D, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(D->nclasses >= 2 && D->graph_class != NULL,
                "the graph set has no graph classes (graph classification needs "
                "a NAME_graph_labels.txt file with at least two classes)");
    L->nodes = D->ngraphs;
    L->nclasses = D->nclasses;
    L->y = D->graph_class;
    return 0;
#undef FREE_ALL
}

int grl_fpgnn_train_graphs(grl_fpgnn **M, grl_gnn_train_result *res,
                           const grl_graph_set *D, const grl_node_splits *S,
                           int64_t split, const grl_fpgnn_options *opt,
                           char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && D != NULL && S != NULL,
                "grl_fpgnn_train_graphs: NULL argument");
    *M = NULL;
    grl_node_labels L;
    GRL_TRY(graph_labels(&L, D, msg));
    problem p = {NULL, NULL, D};
    return train(M, res, &p, &L, S, split, opt, 0, NULL, 0, msg);
#undef FREE_ALL
}

int grl_fpgnn_refit_graphs(grl_fpgnn **M, const grl_graph_set *D,
                           const grl_node_splits *S, int64_t split,
                           const grl_fpgnn_options *opt, int64_t epochs,
                           char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && D != NULL && S != NULL && opt != NULL,
                "grl_fpgnn_refit_graphs: NULL argument");
    *M = NULL;
    GRL_REQUIRE(epochs >= 1, "the refit needs at least one epoch, got %" PRId64, epochs);
    grl_node_labels L;
    GRL_TRY(graph_labels(&L, D, msg));
    problem p = {NULL, NULL, D};
    return train(M, NULL, &p, &L, S, split, opt, epochs, NULL, 0, msg);
#undef FREE_ALL
}

int grl_fpgnn_predict_graphs(grl_fpgnn *M, const grl_graph_set *D, float *proba,
                             char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && D != NULL && proba != NULL,
                "grl_fpgnn_predict_graphs: NULL argument");
    problem p = {NULL, NULL, D};
    return predict(M, &p, proba, msg);
#undef FREE_ALL
}

int grl_fpgnn_evaluate_graphs(grl_fpgnn_evaluation *E, grl_fpgnn **best,
                              const grl_graph_set *D, const grl_node_splits *S,
                              const grl_fpgnn_options *opt, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(E != NULL && D != NULL && S != NULL,
                "grl_fpgnn_evaluate_graphs: NULL argument");
    grl_node_labels L;
    GRL_TRY(graph_labels(&L, D, msg));
    problem p = {NULL, NULL, D};
    return evaluate(E, best, &p, &L, S, opt, msg);
#undef FREE_ALL
}

int grl_fpgnn_cross_validate_graphs(grl_fpgnn_evaluation *E, grl_fpgnn **best,
                                    const grl_graph_set *D, int64_t folds,
                                    const grl_fpgnn_options *opt, char *msg)
{
    grl_graph_folds *F = NULL;
#define FREE_ALL grl_graph_folds_free(&F)
    grl_msg_clear(msg);
    GRL_REQUIRE(E != NULL && D != NULL, "grl_fpgnn_cross_validate_graphs: NULL argument");
    memset(E, 0, sizeof(*E));
    if (best) *best = NULL;
    grl_fpgnn_options o;
    if (opt) o = *opt;
    else grl_fpgnn_options_init(&o);
    const grl_graph_folds_options fo = {folds, o.train.seed};
    GRL_TRY(grl_graph_folds_generate(&F, D, &fo, msg));
    if (o.screen) GRL_TRY(grl_graph_folds_screen(F, msg));
    /* the folds' roles are a grl_node_splits over the graphs (the same
     * layout: fold-major, grl_split_role values), borrowed */
    const grl_node_splits S = {F->ngraphs, F->nfolds, F->role};
    int status = grl_fpgnn_evaluate_graphs(E, best, D, &S, &o, msg);
    FREE_ALL;
    return status;
#undef FREE_ALL
}
