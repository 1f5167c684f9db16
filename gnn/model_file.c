/* model_file.c — writing and checked reading of gnn model files (see
 * model_file.h). */
#include "model_file.h"

int grl_model_file_save(const char *path, const char *magic, uint32_t version,
                        void *header, size_t header_bytes,
                        const grl_model_block *blocks, int nblocks, char *msg)
{
    grl_bin_writer w = {0};
#define FREE_ALL grl_bin_discard(&w)
    grl_model_head *head = header;
    memcpy(head->magic, magic, sizeof head->magic);
    head->version = version;
    head->file_bytes = header_bytes + sizeof(uint64_t);
    for (int b = 0; b < nblocks; b++)
        head->file_bytes += sizeof(float) * blocks[b].count;
    GRL_TRY(grl_bin_create(&w, path, msg));
    grl_bin_write(&w, header, header_bytes);
    for (int b = 0; b < nblocks; b++)
        grl_bin_write(&w, blocks[b].value, sizeof(float) * blocks[b].count);
    GRL_TRY(grl_bin_finish(&w, msg));
    return 0;
#undef FREE_ALL
}

int grl_model_file_open(grl_bin_reader *r, const char *path, const char *magic,
                        uint32_t version, const char *what, void *header,
                        size_t header_bytes, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_bin_open(r, path, magic, version, what, msg));
    GRL_TRY(grl_bin_take(r, header, header_bytes, "the header", msg));
    return 0;
#undef FREE_ALL
}

uint64_t grl_model_file_floats_left(const grl_bin_reader *r)
{
    return (r->len - r->pos) / sizeof(float);
}

int grl_model_file_check_counts(const grl_bin_reader *r,
                                const grl_model_block *blocks,
                                const uint64_t *stored, int nblocks, char *msg)
{
#define FREE_ALL ;
    for (int b = 0; b < nblocks; b++)
        if (stored[b] != blocks[b].count)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s: %" PRIu64 " %s for a "
                     "shape that has %zu", r->path, r->what, stored[b],
                     blocks[b].name, blocks[b].count);
    return 0;
#undef FREE_ALL
}

int grl_model_file_read(grl_bin_reader *r, const grl_model_block *blocks,
                        const uint64_t *stored, int nblocks, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_model_file_check_counts(r, blocks, stored, nblocks, msg));
    for (int b = 0; b < nblocks; b++)
        GRL_TRY(grl_bin_take(r, blocks[b].value, sizeof(float) * blocks[b].count,
                             blocks[b].name, msg));
    GRL_TRY(grl_bin_end(r, msg));
    for (int b = 0; b < nblocks; b++) {
        int64_t bad = grl_first_nonfinite(blocks[b].value, (int64_t)blocks[b].count);
        if (bad >= 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: corrupt %s: value %" PRId64 " of the "
                     "%s is not finite", r->path, r->what, bad, blocks[b].name);
    }
    return 0;
#undef FREE_ALL
}
