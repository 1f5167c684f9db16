/* fpgnn_file.c — fixed-point GNN model files (model_file.h's framing): a
 * fixed header (kind, sizes, hyper-parameters, solver options), then every
 * parameter as float32. */
#include "fpgnn_internal.h"
#include "model_file.h"

#define FPGNN_MAGIC "GRLFPGN1"
/* 2: graph models decode after the sum readout. A version 1 graph model
 * would load and predict something else without a word, so version 1 files
 * are refused (binfile.h's message says to create the file again). */
/* 3: CGS's skip and message-passing layers (the parameters' shapes depend
 * on them); version 2 files lack them and are refused like version 1. */
/* 4: CGS's activation (ReLU or SiLU); a version 3 file would load as ReLU
 * whatever it was trained with, so it is refused too. */
/* 5: CGS's graph readout (sum, sum-max, sum-mean: the decoder's width
 * depends on it); a version 4 file lacks it and is refused. */
#define FPGNN_VERSION 5u

typedef struct {
    grl_model_head head; /* head.word is the kind */
    int64_t f, arc_dim, hidden, nclasses, heads, max_iter;
    double dropout, alpha, kappa, gamma, tol;
    uint64_t seed, nparams;
    uint64_t skip; /* 0 or 1 */
    int64_t mp_layers;
    uint64_t activation; /* grl_fpgnn_activation */
    uint64_t readout;    /* grl_fpgnn_readout */
} fpgnn_header;
_Static_assert(sizeof(fpgnn_header) == 160, "the on-disk header: a change needs a new version");

int grl_fpgnn_save(const grl_fpgnn *M, const char *path, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && path != NULL, "grl_fpgnn_save: NULL argument");
    fpgnn_header h;
    memset(&h, 0, sizeof h);
    h.head.word = (uint32_t)M->kind;
    h.f = M->f;
    h.arc_dim = M->arc_dim;
    h.hidden = M->hidden;
    h.nclasses = M->nclasses;
    h.heads = M->heads;
    h.max_iter = M->solver.max_iter;
    h.dropout = M->dropout;
    h.alpha = M->alpha;
    h.kappa = M->kappa;
    h.gamma = M->gamma;
    h.tol = M->solver.tol;
    h.seed = M->seed;
    h.nparams = M->params.count;
    h.skip = M->skip;
    h.mp_layers = M->mp_layers;
    h.activation = (uint64_t)M->activation;
    h.readout = (uint64_t)M->readout;
    grl_model_block params = {M->params.value, M->params.count, "parameters"};
    return grl_model_file_save(path, FPGNN_MAGIC, FPGNN_VERSION, &h, sizeof h,
                               &params, 1, msg);
#undef FREE_ALL
}

int grl_fpgnn_load(grl_fpgnn **Mout, const char *path, char *msg)
{
    grl_bin_reader r = {0};
    grl_fpgnn *M = NULL;
#define FREE_ALL grl_bin_close(&r); grl_fpgnn_free(&M)
    grl_msg_clear(msg);
    GRL_REQUIRE(Mout != NULL && path != NULL, "grl_fpgnn_load: NULL argument");
    *Mout = NULL;
    fpgnn_header h;
    GRL_TRY(grl_model_file_open(&r, path, FPGNN_MAGIC, FPGNN_VERSION,
                                "fixed-point GNN model", &h, sizeof h, msg));
    if (!(h.head.word <= GRL_FPGNN_CGS && h.skip <= 1 && h.activation <= GRL_FPGNN_SILU &&
          h.readout <= GRL_FPGNN_READOUT_SUM_MEAN &&
          h.nparams <= grl_model_file_floats_left(&r)))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt fixed-point GNN model header", path);
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.kind = (grl_fpgnn_kind)h.head.word;
    o.hidden = h.hidden;
    o.heads = h.heads;
    o.dropout = h.dropout;
    o.alpha = h.alpha;
    o.kappa = h.kappa;
    o.gamma = h.gamma;
    o.solver.tol = h.tol;
    o.solver.max_iter = h.max_iter;
    o.train.seed = h.seed;
    o.skip = h.skip == 1;
    o.mp_layers = h.mp_layers; /* checked by the shape */
    o.activation = (grl_fpgnn_activation)h.activation;
    o.readout = (grl_fpgnn_readout)h.readout; /* a non-CGS one: the shape refuses */
    char why[GRL_MSG_LEN] = ""; /* the shape checks say what is wrong */
    if (grl_fpgnn_shape(&M, o.kind, h.f, h.arc_dim, h.nclasses, &o, why) < 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt fixed-point GNN model: %s", path, why);
    grl_model_block params = {NULL, M->params.count, "parameters"};
    /* the shape is checked before its parameters are allocated */
    GRL_TRY(grl_model_file_check_counts(&r, &params, &h.nparams, 1, msg));
    GRL_TRY(grl_nn_params_alloc(&M->params, msg));
    params.value = M->params.value;
    GRL_TRY(grl_model_file_read(&r, &params, &h.nparams, 1, msg));
    grl_bin_close(&r);
    *Mout = M;
    return 0;
#undef FREE_ALL
}
