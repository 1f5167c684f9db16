/* ncn_file.c — NCN model files (model_file.h's framing): a fixed header
 * (the options that shape the model), then both parameter stores as
 * float32. */
#include "ncn_internal.h"
#include "model_file.h"

#define NCN_MAGIC "GRLNCN01"
/* 2: NCNC's completion scores take x for h (version 1 models completed
 * with the NCN score on h: refused, as their scores would change) */
#define NCN_VERSION 2u

typedef struct {
    grl_model_head head; /* head.word is the encoder */
    uint32_t completion, zero;
    int64_t f, hidden, hits_k;
    double prob_scale, prob_offset, pt, alpha;
    uint64_t seed, nenc, npred;
} ncn_header;
_Static_assert(sizeof(ncn_header) == 112, "the on-disk header: a change needs a new version");

/* The parameter stores in file order. */
static void ncn_blocks(const grl_ncn *M, grl_model_block params[2])
{
    params[0] = (grl_model_block){M->enc.value, M->enc.count, "encoder parameters"};
    params[1] = (grl_model_block){M->pred.value, M->pred.count, "predictor parameters"};
}

int grl_ncn_save(const grl_ncn *M, const char *path, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && path != NULL, "grl_ncn_save: NULL argument");
    ncn_header h;
    memset(&h, 0, sizeof h);
    h.head.word = (uint32_t)M->opt.encoder;
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
    grl_model_block params[2];
    ncn_blocks(M, params);
    return grl_model_file_save(path, NCN_MAGIC, NCN_VERSION, &h, sizeof h,
                               params, 2, msg);
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
    ncn_header h;
    GRL_TRY(grl_model_file_open(&r, path, NCN_MAGIC, NCN_VERSION, "NCN model",
                                &h, sizeof h, msg));
    uint64_t left = grl_model_file_floats_left(&r);
    bool ok = h.zero == 0 && h.completion <= 1 && h.head.word <= GRL_NCN_SAGE &&
              h.f >= 1 && h.f <= ((int64_t)1 << 31) && h.hidden >= 1 &&
              h.hidden <= 4096 && h.nenc <= left && h.npred <= left;
    if (!ok) GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt NCN model header", path);
    /* the encoder's f x hidden input weights alone, before a model of that
     * shape is allocated (the rest is at most a few hidden x hidden) */
    if ((double)h.f * (double)h.hidden > (double)h.nenc)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt NCN model: its shape needs at least "
                 "%.0f encoder parameters, the header announces %llu", path,
                 (double)h.f * (double)h.hidden, (unsigned long long)h.nenc);
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.encoder = (grl_ncn_encoder)h.head.word;
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
    grl_model_block params[2];
    ncn_blocks(M, params);
    uint64_t stored[2] = {h.nenc, h.npred};
    GRL_TRY(grl_model_file_read(&r, params, stored, 2, msg));
    grl_bin_close(&r);
    *Mout = M;
    return 0;
#undef FREE_ALL
}
