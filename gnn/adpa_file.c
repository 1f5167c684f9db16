/* adpa_file.c — ADPA model files: grl's checksummed container (binfile.h)
 * with a fixed header, the branch kinds and every parameter as float32. */
#include "adpa_internal.h"
#include "binfile.h"

#include <math.h>

#define ADPA_MAGIC "GRLADPA1"
#define ADPA_VERSION 2u

typedef struct {
    char magic[8];
    uint32_t version, zero;
    uint64_t file_bytes;
    uint32_t nbranches, hops;
    uint32_t kind[GRL_ADPA_MAX_BRANCHES];
    double r, dropout;
    int64_t f, hidden, nclasses;
    uint64_t seed, nparams;
} adpa_header;

int grl_adpa_save(const grl_adpa *M, const char *path, char *msg)
{
    grl_bin_writer w = {0};
#define FREE_ALL grl_bin_discard(&w)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(M != NULL && path != NULL, "grl_adpa_save: NULL argument");
    adpa_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, ADPA_MAGIC, 8);
    h.version = ADPA_VERSION;
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
    h.file_bytes = sizeof h + sizeof(float) * M->params.count + sizeof(uint64_t);
    GRL_TRY(grl_bin_create(&w, path, msg));
    grl_bin_write(&w, &h, sizeof h);
    grl_bin_write(&w, M->params.value, sizeof(float) * M->params.count);
    GRL_TRY(grl_bin_finish(&w, msg));
    return 0;
#undef FREE_ALL
}

int grl_adpa_load(grl_adpa **Mout, const char *path, char *msg)
{
    grl_bin_reader r = {0};
    grl_adpa *M = NULL;
#define FREE_ALL grl_bin_close(&r); grl_adpa_free(&M)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(Mout != NULL && path != NULL, "grl_adpa_load: NULL argument");
    *Mout = NULL;
    GRL_TRY(grl_bin_open(&r, path, ADPA_MAGIC, ADPA_VERSION, "ADPA model", msg));
    adpa_header h;
    GRL_TRY(grl_bin_take(&r, &h, sizeof h, "the header", msg));
    bool ok = h.zero == 0 && h.nbranches >= 1 &&
              h.nbranches <= GRL_ADPA_MAX_BRANCHES && h.hops >= 1 &&
              h.hops <= GRL_ADPA_MAX_HOPS && h.r >= 0 && h.r <= 1 &&
              h.dropout >= 0 && h.dropout < 1 && h.f >= 1 && h.hidden >= 1 &&
              h.hidden <= 1 << 20 && h.nclasses >= 2 &&
              h.nclasses <= ((int64_t)1 << 31) && h.f <= ((int64_t)1 << 40) &&
              h.nparams <= (r.len - r.pos) / sizeof(float);
    for (uint32_t b = 0; ok && b < h.nbranches; b++)
        ok = h.kind[b] < GRL_BRANCH_KINDS && (b == 0) == (h.kind[b] == 0);
    if (!ok)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt ADPA model header", path);
    grl_branch_kind kind[GRL_ADPA_MAX_BRANCHES];
    for (uint32_t b = 0; b < h.nbranches; b++) kind[b] = (grl_branch_kind)h.kind[b];
    GRL_TRY(grl_adpa_new(&M, (int)h.nbranches, kind, (int)h.hops, h.r, h.f,
                         h.hidden, h.nclasses, h.dropout, h.seed, msg));
    if (M->params.count != h.nparams)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt ADPA model: %" PRIu64 " parameters "
                 "for a shape that has %zu", path, h.nparams, M->params.count);
    GRL_TRY(grl_bin_take(&r, M->params.value, sizeof(float) * h.nparams,
                         "the parameters", msg));
    GRL_TRY(grl_bin_end(&r, msg));
    int64_t bad = grl_first_nonfinite(M->params.value, (int64_t)h.nparams);
    if (bad >= 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt ADPA model: parameter %" PRId64
                 " is not finite", path, bad);
    grl_bin_close(&r);
    *Mout = M;
    return 0;
#undef FREE_ALL
}
