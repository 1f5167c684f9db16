/* checksum.c — XXH64 (Yann Collet's xxHash, 64-bit), the checksum of grl's
 * binary files: several GB/s, and any tool with xxHash can verify a file.
 * Streaming form, so a writer hashes what it writes without a copy. */
#include "grl_internal.h"

#define P1 11400714785074694791ull
#define P2 14029467366897019727ull
#define P3 1609587929392839161ull
#define P4 9650029242287828579ull
#define P5 2870177450012600261ull

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t read64(const unsigned char *p)
{
    uint64_t v; /* files are little-endian, as this machine */
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t read32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t round64(uint64_t acc, uint64_t input)
{
    return rotl(acc + input * P2, 31) * P1;
}

static inline uint64_t merge64(uint64_t acc, uint64_t v)
{
    return (acc ^ round64(0, v)) * P1 + P4;
}

void grl_hash64_init(grl_hash64 *h, uint64_t seed)
{
    memset(h, 0, sizeof(*h));
    h->v[0] = seed + P1 + P2;
    h->v[1] = seed + P2;
    h->v[2] = seed;
    h->v[3] = seed - P1;
    h->seed = seed;
}

/* Consume whole 32-byte stripes of p; returns the bytes consumed. The
 * lanes live in locals: through h, every store could alias the bytes read,
 * so each round waited on a store and a reload (a .grl reload of
 * G(1M, 10M), 168 MB, by perf: 10.9% of its CPU time before, 6.7% now). */
static size_t stripes(grl_hash64 *h, const unsigned char *p, size_t len)
{
    uint64_t v0 = h->v[0], v1 = h->v[1], v2 = h->v[2], v3 = h->v[3];
    size_t done = 0;
    for (; done + 32 <= len; done += 32) {
        v0 = round64(v0, read64(p + done));
        v1 = round64(v1, read64(p + done + 8));
        v2 = round64(v2, read64(p + done + 16));
        v3 = round64(v3, read64(p + done + 24));
    }
    h->v[0] = v0;
    h->v[1] = v1;
    h->v[2] = v2;
    h->v[3] = v3;
    return done;
}

void grl_hash64_update(grl_hash64 *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    h->total += len;
    if (h->buffered > 0) { /* complete the pending stripe first */
        size_t take = 32 - h->buffered < len ? 32 - h->buffered : len;
        memcpy(h->buf + h->buffered, p, take);
        h->buffered += take;
        p += take;
        len -= take;
        if (h->buffered < 32) return;
        stripes(h, h->buf, 32);
        h->buffered = 0;
    }
    size_t done = stripes(h, p, len);
    memcpy(h->buf, p + done, len - done);
    h->buffered = len - done;
}

uint64_t grl_hash64_final(const grl_hash64 *h)
{
    uint64_t acc;
    if (h->total >= 32) {
        acc = rotl(h->v[0], 1) + rotl(h->v[1], 7) + rotl(h->v[2], 12) +
              rotl(h->v[3], 18);
        for (int k = 0; k < 4; k++) acc = merge64(acc, h->v[k]);
    } else {
        acc = h->seed + P5;
    }
    acc += h->total;
    const unsigned char *p = h->buf, *end = h->buf + h->buffered;
    for (; p + 8 <= end; p += 8)
        acc = rotl(acc ^ round64(0, read64(p)), 27) * P1 + P4;
    if (p + 4 <= end) {
        acc = rotl(acc ^ ((uint64_t)read32(p) * P1), 23) * P2 + P3;
        p += 4;
    }
    for (; p < end; p++) acc = rotl(acc ^ (*p * P5), 11) * P1;
    acc ^= acc >> 33;
    acc *= P2;
    acc ^= acc >> 29;
    acc *= P3;
    acc ^= acc >> 32;
    return acc;
}

uint64_t grl_hash64_of(const void *data, size_t len, uint64_t seed)
{
    grl_hash64 h;
    grl_hash64_init(&h, seed);
    grl_hash64_update(&h, data, len);
    return grl_hash64_final(&h);
}

void grl_hash64_blocked_init(grl_hash64_blocked *h)
{
    grl_hash64_init(&h->block, 0);
    grl_hash64_init(&h->blocks, 0);
}

void grl_hash64_blocked_update(grl_hash64_blocked *h, const void *data,
                               size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        size_t room = GRL_HASH_BLOCK - (size_t)h->block.total;
        size_t take = len < room ? len : room;
        grl_hash64_update(&h->block, p, take);
        p += take;
        len -= take;
        if (h->block.total == GRL_HASH_BLOCK) { /* a block is complete */
            uint64_t sum = grl_hash64_final(&h->block);
            grl_hash64_update(&h->blocks, &sum, sizeof sum);
            grl_hash64_init(&h->block, 0);
        }
    }
}

uint64_t grl_hash64_blocked_final(const grl_hash64_blocked *h)
{
    grl_hash64 blocks = h->blocks;
    if (h->block.total > 0) { /* the last, shorter block */
        uint64_t sum = grl_hash64_final(&h->block);
        grl_hash64_update(&blocks, &sum, sizeof sum);
    }
    return grl_hash64_final(&blocks);
}

uint64_t grl_hash64_blocked_of(const void *data, size_t len)
{
    grl_hash64_blocked h;
    grl_hash64_blocked_init(&h);
    grl_hash64_blocked_update(&h, data, len);
    return grl_hash64_blocked_final(&h);
}
