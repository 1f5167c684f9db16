/* model_file.h — the framing every gnn model file shares: grl's checksummed
 * container (core/binfile.h) holding one fixed header struct, which starts
 * with grl_model_head, then blocks of float32 parameters, then the
 * checksum. A format declares its header and its blocks; this file writes
 * and checks everything else (magic, version, length, block counts against
 * the shape the header describes, end of file, finite values), naming the
 * file in every message. */
#ifndef GRL_GNN_MODEL_FILE_H
#define GRL_GNN_MODEL_FILE_H

#include "binfile.h"

/* The first 24 bytes of every model file (binfile.h's container head). */
typedef struct {
    char magic[8];
    uint32_t version;
    uint32_t word; /* the format's own 32-bit field */
    uint64_t file_bytes;
} grl_model_head;

/* One block of float32 parameters, in file order. */
typedef struct {
    float *value;
    size_t count;
    const char *name; /* in messages: "parameters", "encoder parameters" */
} grl_model_block;

/* Write path: the header (header_bytes at `header`, whose grl_model_head
 * this fills with magic, version and the file's length; the caller zeroes
 * the rest before setting its fields), then the nblocks blocks, then the
 * checksum. Returns 0 or a negative grl_status, with msg set. */
int grl_model_file_save(const char *path, const char *magic, uint32_t version,
                        void *header, size_t header_bytes,
                        const grl_model_block *blocks, int nblocks, char *msg);

/* Read path whole into r, check magic, version, length and checksum
 * (`what` names the format in messages: "NCN model"), and copy the first
 * header_bytes into `header`. r is closed by the caller (grl_bin_close),
 * also on failure. Returns 0 or a negative grl_status, with msg set. */
int grl_model_file_open(grl_bin_reader *r, const char *path, const char *magic,
                        uint32_t version, const char *what, void *header,
                        size_t header_bytes, char *msg);

/* The float32 values left in r after what was taken: the bound on counts a
 * header announces, checked before a model of that shape is built. */
uint64_t grl_model_file_floats_left(const grl_bin_reader *r);

/* Fail unless stored[b] (the count the header announces) equals
 * blocks[b].count (the count of the shape it describes) for every block
 * (values are not looked at): lets a loader check the shape before it
 * allocates the parameters. Returns 0 or GRL_PARSE_ERROR, msg naming the
 * file and the block. */
int grl_model_file_check_counts(const grl_bin_reader *r,
                                const grl_model_block *blocks,
                                const uint64_t *stored, int nblocks, char *msg);

/* Read the nblocks blocks that follow the header into blocks[b].value,
 * failing unless the counts agree (grl_model_file_check_counts), unless
 * the file ends after them, and unless every value is finite. Returns 0 or
 * GRL_PARSE_ERROR, with msg naming the file and the block. */
int grl_model_file_read(grl_bin_reader *r, const grl_model_block *blocks,
                        const uint64_t *stored, int nblocks, char *msg);

#endif
