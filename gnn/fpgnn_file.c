/* fpgnn_file.c — fixed-point GNN model files: grl's checksummed container
 * (binfile.h) with a fixed header (kind, sizes, hyper-parameters, solver
 * options) and every parameter as float32. */
#include "fpgnn_internal.h"
#include "binfile.h"

#include <math.h>

#define FPGNN_MAGIC "GRLFPGN1"
#define FPGNN_VERSION 1u

typedef struct {
    char magic[8];
    uint32_t version, kind;
    uint64_t file_bytes;
    int64_t f, arc_dim, hidden, nclasses, heads, max_iter;
    double dropout, alpha, kappa, gamma, tol;
    uint64_t seed, nparams;
} fpgnn_header;

int grl_fpgnn_save(const grl_fpgnn *M, const char *path, char *msg)
{
    grl_bin_writer w = {0};
#define FREE_ALL grl_bin_discard(&w)
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && path != NULL, "grl_fpgnn_save: NULL argument");
    fpgnn_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, FPGNN_MAGIC, 8);
    h.version = FPGNN_VERSION;
    h.kind = (uint32_t)M->kind;
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
    h.file_bytes = sizeof h + sizeof(float) * M->params.count + sizeof(uint64_t);
    GRL_TRY(grl_bin_create(&w, path, msg));
    grl_bin_write(&w, &h, sizeof h);
    grl_bin_write(&w, M->params.value, sizeof(float) * M->params.count);
    GRL_TRY(grl_bin_finish(&w, msg));
    return 0;
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
    GRL_TRY(grl_bin_open(&r, path, FPGNN_MAGIC, FPGNN_VERSION,
                         "fixed-point GNN model", msg));
    fpgnn_header h;
    GRL_TRY(grl_bin_take(&r, &h, sizeof h, "the header", msg));
    if (!(h.kind <= GRL_FPGNN_CGS && h.nparams <= (r.len - r.pos) / sizeof(float)))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt fixed-point GNN model header", path);
    grl_fpgnn_options o;
    grl_fpgnn_options_init(&o);
    o.kind = (grl_fpgnn_kind)h.kind;
    o.hidden = h.hidden;
    o.heads = h.heads;
    o.dropout = h.dropout;
    o.alpha = h.alpha;
    o.kappa = h.kappa;
    o.gamma = h.gamma;
    o.solver.tol = h.tol;
    o.solver.max_iter = h.max_iter;
    o.train.seed = h.seed;
    char why[GRL_MSG_LEN] = ""; /* the shape checks say what is wrong */
    if (grl_fpgnn_new(&M, o.kind, h.f, h.arc_dim, h.nclasses, &o, why) < 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt fixed-point GNN model: %s", path, why);
    if (M->params.count != h.nparams)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt fixed-point GNN model: %" PRIu64
                 " parameters for a shape that has %zu", path, h.nparams,
                 M->params.count);
    GRL_TRY(grl_bin_take(&r, M->params.value, sizeof(float) * h.nparams,
                         "the parameters", msg));
    GRL_TRY(grl_bin_end(&r, msg));
    int64_t bad = grl_first_nonfinite(M->params.value, (int64_t)h.nparams);
    if (bad >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt fixed-point GNN model: parameter %"
                 PRId64 " is not finite", path, bad);
    grl_bin_close(&r);
    *Mout = M;
    return 0;
#undef FREE_ALL
}
