/* arc_check.c — the arcs of a CSR matrix checked in pieces: columns
 * ascending in each row and below n (all GraphBLAS assumes of a CSR besides
 * its row pointers) and, for an undirected graph, symmetry, by a random
 * form. Any split of the arcs into ranges gives the same answer, so a
 * loader checks each range of a file as it reads it, while it is in cache
 * (binary.c), and validate.c checks a caller's matrix by rows.
 *
 * Symmetry by a random form (Freivalds' idea, over the field of the prime
 * P = 2^61 - 1). With a weight w mapped to the polynomial h(w) = 1 +
 * lo32(w) + hi32(w) t (never 0, one per bit pattern) and a value g_i per
 * node, the form
 *     Q = sum over arcs i -> j, i != j, of s_ij h(a_ij) g_i g_j,
 * s_ij = +1 if i < j and -1 if i > j, is a polynomial in t and the g whose
 * part in g_i g_j (i < j) is h(a_ij) - h(a_ji), an absent arc counting 0:
 * Q is zero iff A is symmetric. Evaluated at a point drawn from a fresh
 * random key, an asymmetric matrix gives Q = 0 with probability at most
 * 3 / P (Schwartz-Zippel). A row's range sums s_ij h(a_ij) g_j and
 * multiplies by g_i once; unweighted (iso), h is one nonzero factor,
 * dropped, so an arc costs a field value and an addition. One sequential
 * pass, no random access: a transpose or a lookup of (j, i) per entry was
 * 70% of a .grl reload; the form r_i^2 r_j - r_i r_j^2 before this one,
 * with a product per arc, was still half of it. */
#include "graph_internal.h"

#include <sys/random.h>
#include <time.h>

#define P ((1ull << 61) - 1)

static inline uint64_t mulmod(uint64_t a, uint64_t b)
{
    unsigned __int128 x = (unsigned __int128)a * b;
    uint64_t r = (uint64_t)(x & P) + (uint64_t)(x >> 61);
    return r >= P ? r - P : r;
}

static inline uint64_t addmod(uint64_t a, uint64_t b)
{
    uint64_t r = a + b;
    return r >= P ? r - P : r;
}

/* A pseudo-random field element for (key, x): splitmix64's mix. */
static inline uint64_t field_value(uint64_t key, uint64_t x)
{
    uint64_t z = grl_mix64(key + x * GRL_GOLDEN);
    z = (z & P) + (z >> 61);
    return z >= P ? z - P : z;
}

/* x mod P for x < 2^125 (a sum of up to 2^64 field values). */
static inline uint64_t reduce128(unsigned __int128 x)
{
    x = (x & P) + (x >> 61); /* < 2^61 + 2^64 */
    uint64_t r = (uint64_t)(x & P) + (uint64_t)(x >> 61); /* <= P + 8 */
    return r >= P ? r - P : r;
}

static inline uint64_t weight_value(double w, uint64_t t)
{
    uint64_t bits;
    memcpy(&bits, &w, sizeof bits);
    return addmod(addmod(1, bits & 0xffffffffu), mulmod(bits >> 32, t));
}

void grl_arc_check_init(grl_arc_check *k, const GrB_Index *Ap,
                        const GrB_Index *Aj, const double *Ax, bool iso,
                        int64_t n, bool form)
{
    memset(k, 0, sizeof(*k));
    k->Ap = Ap;
    k->Aj = Aj;
    k->Ax = Ax;
    k->iso = iso;
    k->n = n;
    k->form = form;
    uint64_t key[2] = {0};
    if (form && getrandom(key, sizeof key, 0) != sizeof key) /* never */
        key[0] = (uint64_t)time(NULL), key[1] = (uint64_t)clock();
    k->key = key[0];
    k->t = field_value(key[1], 0);
}

/* Arcs from..to-1, all in row i: whether their columns ascend and stay
 * below n, and, with `form`, their part of Q before the factor g_i, the
 * sum of s_ij h(a_ij) g_j. Inlined with form and iso constant, so each case
 * has its own loop (in one loop testing them, its sums lived on the
 * stack). */
static inline __attribute__((always_inline)) bool
scan_part(const grl_arc_check *k, uint64_t i, GrB_Index from, GrB_Index to,
          bool form, bool iso, uint64_t *sum)
{
    const uint64_t n = (uint64_t)k->n;
    bool bad = false;
    /* h g_j over j < i, over j > i, reduced at the end */
    unsigned __int128 below = 0, above = 0;
    GrB_Index prev = 0;
    for (GrB_Index p = from; p < to; p++) {
        const GrB_Index j = k->Aj[p];
        bad |= (j >= n) | ((p > from) & (j <= prev));
        prev = j;
        if (!form) continue;
        uint64_t a = field_value(k->key, j);
        if (!iso) a = mulmod(weight_value(k->Ax[p], k->t), a);
        /* no branch on the side of the diagonal */
        below += a & -(uint64_t)(j < i);
        above += a & -(uint64_t)(j > i);
    }
    *sum = form ? addmod(reduce128(above), P - reduce128(below)) : 0;
    return !bad;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define WIDE_FORM 1

/* scan_part with form and iso, 8 columns at a time (AVX-512): the same
 * answer and the same sum. Scalar, a column costs ~45 instructions (the
 * field value's three 64-bit products, its reduction, the sums). */
__attribute__((target("avx512f,avx512dq"))) static bool
scan_part_wide(const grl_arc_check *k, uint64_t i, GrB_Index from,
               GrB_Index to, uint64_t *sum)
{
    const __m512i vkey = _mm512_set1_epi64((long long)k->key),
                  golden = _mm512_set1_epi64((long long)GRL_GOLDEN),
                  m1 = _mm512_set1_epi64((long long)0xbf58476d1ce4e5b9ull),
                  m2 = _mm512_set1_epi64((long long)0x94d049bb133111ebull),
                  vp = _mm512_set1_epi64((long long)P),
                  vi = _mm512_set1_epi64((long long)i),
                  vn = _mm512_set1_epi64(k->n);
    __m512i below = _mm512_setzero_si512(), above = below, last = below;
    __mmask8 bad = 0;
    for (GrB_Index p = from; p < to; p += 8) {
        const __mmask8 live = to - p >= 8 ? 0xff
                                          : (__mmask8)((1u << (to - p)) - 1);
        const __m512i j = _mm512_maskz_loadu_epi64(live, k->Aj + p);
        /* each column against n and the one before it */
        const __m512i prev = _mm512_alignr_epi64(j, last, 7);
        bad |= _mm512_mask_cmpge_epu64_mask(live, j, vn) |
               _mm512_mask_cmple_epu64_mask(p == from ? live & 0xfe : live,
                                            j, prev);
        last = j;
        /* field_value(key, j): grl_mix64(key + j GOLDEN) mod P */
        __m512i x = _mm512_add_epi64(vkey, _mm512_mullo_epi64(j, golden));
        x = _mm512_mullo_epi64(_mm512_xor_si512(x, _mm512_srli_epi64(x, 30)), m1);
        x = _mm512_mullo_epi64(_mm512_xor_si512(x, _mm512_srli_epi64(x, 27)), m2);
        x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 31));
        x = _mm512_add_epi64(_mm512_and_si512(x, vp), _mm512_srli_epi64(x, 61));
        x = _mm512_min_epu64(x, _mm512_sub_epi64(x, vp)); /* x - P if >= P */
        below = _mm512_mask_add_epi64(
            below, _mm512_mask_cmplt_epu64_mask(live, j, vi), below, x);
        above = _mm512_mask_add_epi64(
            above, _mm512_mask_cmpgt_epu64_mask(live, j, vi), above, x);
        below = _mm512_min_epu64(below, _mm512_sub_epi64(below, vp));
        above = _mm512_min_epu64(above, _mm512_sub_epi64(above, vp));
    }
    /* 8 lanes below P add up below 2^64: plain additions, reduced once (an
     * addmod per lane took as long as the loop, its branches mispredicted;
     * _mm512_reduce_add_epi64 adds them as signed, an overflow for UBSan) */
    uint64_t a[8], b[8], sa = 0, sb = 0;
    _mm512_storeu_si512(a, above);
    _mm512_storeu_si512(b, below);
    for (int l = 0; l < 8; l++) {
        sa += a[l];
        sb += b[l];
    }
    *sum = addmod(reduce128(sa), P - reduce128(sb));
    return !bad;
}
#endif

bool grl_arc_check_wide_available(void)
{
#ifdef WIDE_FORM
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq");
#else
    return false;
#endif
}

bool grl_arc_check_iso_part(const grl_arc_check *k, uint64_t i,
                            GrB_Index from, GrB_Index to, bool wide,
                            uint64_t *sum)
{
#ifdef WIDE_FORM
    if (wide) return scan_part_wide(k, i, from, to, sum);
#endif
    (void)wide;
    return scan_part(k, i, from, to, true, true, sum);
}

/* The row holding arc p < Ap[n]: the last i with Ap[i] <= p. */
static uint64_t row_of(const grl_arc_check *k, GrB_Index p)
{
    uint64_t lo = 0, hi = (uint64_t)k->n; /* Ap[lo] <= p < Ap[hi] */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (k->Ap[mid] <= p) lo = mid;
        else hi = mid;
    }
    return lo;
}

void grl_arc_check_range(grl_arc_check *k, GrB_Index from, GrB_Index to)
{
    if (from >= to) return;
    const bool wide = k->form && k->iso && grl_arc_check_wide_available();
    uint64_t part = 0;
    bool ok = true;
    for (uint64_t i = row_of(k, from); from < to; i++) {
        const GrB_Index end = k->Ap[i + 1] < to ? k->Ap[i + 1] : to;
        if (end <= from) continue; /* an empty row */
        uint64_t sum;
        ok &= !k->form ? scan_part(k, i, from, end, false, false, &sum)
              : k->iso ? grl_arc_check_iso_part(k, i, from, end, wide, &sum)
                       : scan_part(k, i, from, end, true, false, &sum);
        if (k->form) part = addmod(part, mulmod(field_value(k->key, i), sum));
        from = end;
    }
#pragma omp critical(grl_arc_check)
    {
        k->q = addmod(k->q, part);
        k->bad |= !ok;
    }
}

void grl_arc_check_joint(grl_arc_check *k, GrB_Index p)
{
    if (p == 0 || p >= k->Ap[k->n] || k->Ap[row_of(k, p)] == p) return;
    if (k->Aj[p] <= k->Aj[p - 1]) k->bad = true;
}

void grl_arc_check_all(grl_arc_check *k)
{
    /* ranges of whole rows: no joints to check */
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t r = 0; r < k->n; r += 1024)
        grl_arc_check_range(k, k->Ap[r], k->Ap[r + 1024 < k->n ? r + 1024 : k->n]);
}
