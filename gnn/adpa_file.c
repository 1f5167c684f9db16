/* adpa_file.c — ADPA model files (model_file.h's framing): a fixed header
 * with the branch kinds, then every parameter as float32. */
#include "adpa_internal.h"
#include "model_file.h"

#define ADPA_MAGIC "GRLADPA1"
/* 3: head.word holds the flags (version 2 had none) */
#define ADPA_VERSION 3u
#define ADPA_MASK_EMPTY 1u /* grl_adpa_options.mask_empty_hops */
#define ADPA_DAMPED 2u     /* grl_adpa_options.hop_damping */
/* grl_adpa_options.pattern_attention NODE: its parameters (no branch
 * scales, q_p and e_p, a hidden-wide output layer). Added within version 3:
 * the header is unchanged and a version 3 file without it reads as before,
 * while a grl that predates it refuses the flag as an unknown one. */
#define ADPA_NODE_ATTENTION 4u
#define ADPA_NODE_CONCAT 8u /* likewise NODE_CONCAT (B hidden wide output) */
#define ADPA_FLAGS (ADPA_MASK_EMPTY | ADPA_DAMPED | ADPA_NODE_ATTENTION | ADPA_NODE_CONCAT)

typedef struct {
    grl_model_head head; /* head.word: the ADPA_FLAGS that apply */
    uint32_t nbranches, hops;
    uint32_t kind[GRL_ADPA_MAX_BRANCHES];
    double r, dropout;
    int64_t f, hidden, nclasses;
    uint64_t seed, nparams;
} adpa_header;
_Static_assert(sizeof(adpa_header) == 120, "the on-disk header: a change needs a new version");

int grl_adpa_save(const grl_adpa *M, const char *path, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(M != NULL && path != NULL, "grl_adpa_save: NULL argument");
    adpa_header h;
    memset(&h, 0, sizeof h);
    h.head.word = (M->mask_empty ? ADPA_MASK_EMPTY : 0) | (M->damped ? ADPA_DAMPED : 0) |
                  (M->pattern == GRL_ADPA_PATTERN_NODE ? ADPA_NODE_ATTENTION : 0) |
                  (M->pattern == GRL_ADPA_PATTERN_NODE_CONCAT ? ADPA_NODE_CONCAT : 0);
    h.nbranches = (uint32_t)M->nbranches;
    h.hops = (uint32_t)M->hops;
    for (int b = 0; b < M->nbranches; b++) h.kind[b] = (uint32_t)M->kind[b];
    h.r = M->r;
    h.dropout = M->dropout;
    h.f = M->f;
    h.hidden = M->hidden;
    h.nclasses = M->nclasses;
    h.seed = M->seed;
    h.nparams = M->params.count;
    grl_model_block params = {M->params.value, M->params.count, "parameters"};
    return grl_model_file_save(path, ADPA_MAGIC, ADPA_VERSION, &h, sizeof h,
                               &params, 1, msg);
#undef FREE_ALL
}

int grl_adpa_load(grl_adpa **Mout, const char *path, char *msg)
{
    grl_bin_reader r = {0};
    grl_adpa *M = NULL;
#define FREE_ALL grl_bin_close(&r); grl_adpa_free(&M)
    grl_msg_clear(msg);
    GRL_REQUIRE(Mout != NULL && path != NULL, "grl_adpa_load: NULL argument");
    *Mout = NULL;
    adpa_header h;
    GRL_TRY(grl_model_file_open(&r, path, ADPA_MAGIC, ADPA_VERSION, "ADPA model",
                                &h, sizeof h, msg));
    bool ok = (h.head.word & ~ADPA_FLAGS) == 0 &&
              (h.head.word & (ADPA_NODE_ATTENTION | ADPA_NODE_CONCAT)) !=
                  (ADPA_NODE_ATTENTION | ADPA_NODE_CONCAT) &&
              h.nbranches >= 1 &&
              h.nbranches <= GRL_ADPA_MAX_BRANCHES && h.hops >= 1 &&
              h.hops <= GRL_ADPA_MAX_HOPS && h.r >= 0 && h.r <= 1 &&
              h.dropout >= 0 && h.dropout < 1 && h.f >= 1 && h.hidden >= 1 &&
              h.hidden <= 1 << 20 && h.nclasses >= 2 &&
              h.nclasses <= ((int64_t)1 << 31) && h.f <= ((int64_t)1 << 40) &&
              h.nparams <= grl_model_file_floats_left(&r);
    for (uint32_t b = 0; ok && b < h.nbranches; b++)
        ok = h.kind[b] < GRL_BRANCH_KINDS && (b == 0) == (h.kind[b] == 0);
    /* the slots past the branches are zero, as saved: anything else is a
     * corrupt header, not a field to ignore */
    for (uint32_t b = h.nbranches; ok && b < GRL_ADPA_MAX_BRANCHES; b++)
        ok = h.kind[b] == 0;
    if (!ok)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt ADPA model header", path);
    /* the branches' f x hidden and the output layer's weights alone, before
     * a model of that shape is allocated: a short file cannot announce one
     * that does not fit in memory */
    const grl_adpa_pattern_attention pattern =
        h.head.word & ADPA_NODE_ATTENTION ? GRL_ADPA_PATTERN_NODE
        : h.head.word & ADPA_NODE_CONCAT  ? GRL_ADPA_PATTERN_NODE_CONCAT
                                          : GRL_ADPA_PATTERN_SCALAR;
    const double width = pattern == GRL_ADPA_PATTERN_NODE ? 1.0 : (double)h.nbranches;
    double least = (double)h.nbranches * (double)h.hidden * (double)h.f +
                   width * (double)h.hidden * (double)h.nclasses;
    if (least > (double)h.nparams)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt ADPA model: its shape needs at least "
                 "%.0f parameters, the header announces %llu", path, least,
                 (unsigned long long)h.nparams);
    grl_branch_kind kind[GRL_ADPA_MAX_BRANCHES];
    for (uint32_t b = 0; b < h.nbranches; b++) kind[b] = (grl_branch_kind)h.kind[b];
    GRL_TRY(grl_adpa_new(&M, (int)h.nbranches, kind, (int)h.hops, h.r, h.f,
                         h.hidden, h.nclasses, h.dropout,
                         pattern, h.seed, msg));
    M->mask_empty = h.head.word & ADPA_MASK_EMPTY;
    M->damped = h.head.word & ADPA_DAMPED;
    grl_model_block params = {M->params.value, M->params.count, "parameters"};
    GRL_TRY(grl_model_file_read(&r, &params, &h.nparams, 1, msg));
    grl_bin_close(&r);
    *Mout = M;
    return 0;
#undef FREE_ALL
}
