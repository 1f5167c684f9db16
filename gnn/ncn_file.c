/* ncn_file.c — NCN model files: grl's checksummed container (binfile.h),
 * as ADPA's, with a fixed header (the options that shape the model) and
 * both parameter stores as float32. */
#include "ncn_internal.h"
#include "binfile.h"

#include <math.h>

#define NCN_MAGIC "GRLNCN01"
#define NCN_VERSION 1u

typedef struct {
    char magic[8];
    uint32_t version, encoder;
    uint64_t file_bytes;
    uint32_t completion, zero;
    int64_t f, hidden, hits_k;
    double prob_scale, prob_offset, pt, alpha;
    uint64_t seed, nenc, npred;
} ncn_header;

int grl_ncn_save(const grl_ncn *M, const char *path, char *msg)
{
    grl_bin_writer w = {0};
#define FREE_ALL grl_bin_discard(&w)
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && path != NULL, "grl_ncn_save: NULL argument");
    ncn_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, NCN_MAGIC, 8);
    h.version = NCN_VERSION;
    h.encoder = (uint32_t)M->opt.encoder;
    h.completion = M->opt.completion;
    h.f = M->f;
    h.hidden = M->d;
    h.hits_k = M->opt.hits_k;
    h.prob_scale = M->opt.prob_scale;
    h.prob_offset = M->opt.prob_offset;
    h.pt = M->opt.pt;
    h.alpha = M->opt.alpha;
    h.seed = M->opt.seed;
    h.nenc = M->enc.count;
    h.npred = M->pred.count;
    h.file_bytes = sizeof h + sizeof(float) * (h.nenc + h.npred) + sizeof(uint64_t);
    GRL_TRY(grl_bin_create(&w, path, msg));
    grl_bin_write(&w, &h, sizeof h);
    grl_bin_write(&w, M->enc.value, sizeof(float) * M->enc.count);
    grl_bin_write(&w, M->pred.value, sizeof(float) * M->pred.count);
    GRL_TRY(grl_bin_finish(&w, msg));
    return 0;
#undef FREE_ALL
}

int grl_ncn_load(grl_ncn **Mout, const char *path, char *msg)
{
    grl_bin_reader r = {0};
    grl_ncn *M = NULL;
#define FREE_ALL grl_bin_close(&r); grl_ncn_free(&M)
    grl_msg_clear(msg);
    GRL_REQUIRE(Mout != NULL && path != NULL, "grl_ncn_load: NULL argument");
    *Mout = NULL;
    GRL_TRY(grl_bin_open(&r, path, NCN_MAGIC, NCN_VERSION, "NCN model", msg));
    ncn_header h;
    GRL_TRY(grl_bin_take(&r, &h, sizeof h, "the header", msg));
    size_t left = (r.len - r.pos) / sizeof(float);
    bool ok = h.zero == 0 && h.completion <= 1 && h.encoder <= GRL_NCN_SAGE &&
              h.f >= 1 && h.f <= ((int64_t)1 << 31) && h.hidden >= 1 &&
              h.hidden <= 4096 && h.nenc <= left && h.npred <= left;
    if (!ok) GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt NCN model header", path);
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.encoder = (grl_ncn_encoder)h.encoder;
    o.completion = h.completion;
    o.hidden = h.hidden;
    o.hits_k = h.hits_k;
    o.prob_scale = h.prob_scale;
    o.prob_offset = h.prob_offset;
    o.pt = h.pt;
    o.alpha = h.alpha;
    o.seed = h.seed;
    char why[GRL_MSG_LEN];
    if (ncn_new(&M, &o, h.f, why))
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt NCN model: %s", path, why);
    if (M->enc.count != h.nenc || M->pred.count != h.npred)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt NCN model: %" PRIu64 " + %"
                 PRIu64 " parameters for a shape that has %zu + %zu", path,
                 h.nenc, h.npred, M->enc.count, M->pred.count);
    GRL_TRY(grl_bin_take(&r, M->enc.value, sizeof(float) * h.nenc,
                         "the encoder's parameters", msg));
    GRL_TRY(grl_bin_take(&r, M->pred.value, sizeof(float) * h.npred,
                         "the predictor's parameters", msg));
    GRL_TRY(grl_bin_end(&r, msg));
    int64_t bad = grl_first_nonfinite(M->enc.value, (int64_t)h.nenc);
    if (bad < 0) bad = grl_first_nonfinite(M->pred.value, (int64_t)h.npred);
    if (bad >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt NCN model: a parameter is not "
                 "finite", path);
    grl_bin_close(&r);
    *Mout = M;
    return 0;
#undef FREE_ALL
}
