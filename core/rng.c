/* rng.c — Philox4x32-10 counter-based generator (Salmon, Moraes, Dror, Shaw,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011). The 128-bit
 * counter is (stream, counter), the 64-bit key is the seed. */
#include "grl_internal.h"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u /* golden ratio, the key schedule's bump */
#define PHILOX_W1 0xBB67AE85u /* sqrt(3) - 1 */

void grl_rng_philox(uint64_t seed, uint64_t stream, uint64_t counter,
                    uint32_t out[4])
{
    uint32_t c0 = (uint32_t)counter, c1 = (uint32_t)(counter >> 32);
    uint32_t c2 = (uint32_t)stream, c3 = (uint32_t)(stream >> 32);
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
        uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c0 = n0;
        c1 = (uint32_t)p1;
        c2 = n2;
        c3 = (uint32_t)p0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

void grl_rng_init(grl_rng *rng, uint64_t seed, uint64_t stream)
{
    rng->seed = seed;
    rng->stream = stream;
    rng->counter = 0;
    rng->used = 4;
}

uint32_t grl_rng_u32(grl_rng *rng)
{
    if (rng->used == 4) {
        grl_rng_philox(rng->seed, rng->stream, rng->counter++, rng->block);
        rng->used = 0;
    }
    return rng->block[rng->used++];
}

uint64_t grl_rng_u64(grl_rng *rng)
{
    uint64_t hi = grl_rng_u32(rng);
    return (hi << 32) | grl_rng_u32(rng);
}

double grl_rng_uniform(grl_rng *rng)
{
    return (double)(grl_rng_u64(rng) >> 11) * 0x1.0p-53;
}

uint64_t grl_rng_below(grl_rng *rng, uint64_t n)
{
    /* Lemire, "Fast random integer generation in an interval" (2019). */
    uint64_t x = grl_rng_u64(rng);
    __uint128_t m = (__uint128_t)x * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = -n % n;
        while (low < threshold) {
            x = grl_rng_u64(rng);
            m = (__uint128_t)x * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}
