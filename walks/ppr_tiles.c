/* ppr_tiles.c — the arcs of a large graph in square tiles, for the products
 * of PowerPush's conjugate gradients. A product y = A d over the CSR rows
 * gathers d at random: once d outgrows the L2 cache every arc waits on an
 * L3 line. Tile (R, C) holds the arcs from the 65,536 nodes of block R to
 * those of block C, each as one 32-bit word (local row << 16 | local
 * column); swept block row by block row, a tile reads 512 KB of d and adds
 * into 512 KB of y, both in L2 (the cache blocking of Im, Yelick & Vuduc,
 * "Sparsity", 2004). G(1M, 10M), one product: 22 ms (tile_product) against
 * 66-83 ms by rows (1 thread, load ~6); building the tiles (a block row's columns read
 * twice, the second time from cache) takes ~60 ms (75 ms with two passes
 * over all columns), so a query of ~16 products gains ~0.7 s. Memory: 4 bytes
 * per arc plus 8 per tile, shared by every source of a call. */
#include "walks_internal.h"

#define TILE_SHIFT 16 /* 65,536 nodes a block: local indices in 16 bits */
#define TILE_MASK ((1u << TILE_SHIFT) - 1)
/* below this many nodes d (8 bytes each, 2 MB) stays in L2 by itself */
#define TILE_MIN_NODES ((int64_t)1 << 18)
/* tiles must average this many arcs, or the sweep over them costs more
 * than the locality gains */
#define TILE_MIN_ARCS 16

/* the first node of block R (n for R = blocks) */
static inline int64_t block_first(int64_t R, int64_t n)
{
    return R << TILE_SHIFT < n ? R << TILE_SHIFT : n;
}

/* Fill *t (zeroed), or leave it empty when tiles would not pay or memory is
 * short. */
static void build(grl_arc_tiles *t, const grl_csr *a)
{
    const int64_t n = a->n, blocks = (n + TILE_MASK) >> TILE_SHIFT;
    const GrB_Index *Ap = a->Ap, *Aj = a->Aj, arcs = Ap[n];
    if (n < TILE_MIN_NODES || (GrB_Index)blocks > arcs / TILE_MIN_ARCS / (GrB_Index)blocks)
        return;
    const int64_t tiles = blocks * blocks;
    uint64_t *start = grl_malloc(sizeof(uint64_t) * (size_t)(tiles + 1));
    uint64_t *next = grl_malloc(sizeof(uint64_t) * (size_t)tiles);
    uint32_t *word = grl_malloc(sizeof(uint32_t) * arcs);
    if (start == NULL || next == NULL || word == NULL) {
        free(start);
        free(next);
        free(word);
        return;
    }
    /* a block row's arcs, Ap[lo] .. Ap[hi], become its tiles in place: count
     * them by column block, place the tiles from Ap[lo], fill them while the
     * row's columns are still in cache (the same words for any thread
     * count) */
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t R = 0; R < blocks; R++) {
        const int64_t lo = block_first(R, n), hi = block_first(R + 1, n);
        uint64_t *at = next + R * blocks, *first = start + R * blocks;
        memset(at, 0, sizeof(uint64_t) * (size_t)blocks);
        for (GrB_Index p = Ap[lo]; p < Ap[hi]; p++) at[Aj[p] >> TILE_SHIFT]++;
        uint64_t pos = Ap[lo];
        for (int64_t C = 0; C < blocks; C++) {
            first[C] = pos;
            pos += at[C];
            at[C] = first[C];
        }
        for (int64_t v = lo; v < hi; v++) {
            const uint32_t row = (uint32_t)(v - lo) << TILE_SHIFT;
            for (GrB_Index p = Ap[v]; p < Ap[v + 1]; p++)
                word[at[Aj[p] >> TILE_SHIFT]++] = row | (uint32_t)(Aj[p] & TILE_MASK);
        }
    }
    start[tiles] = arcs;
    free(next);
    t->n = n;
    t->blocks = blocks;
    t->start = start;
    t->word = word;
}

const grl_arc_tiles *grl_arc_tiles_once(grl_arc_tiles *t, const grl_csr *a)
{
    /* the sources of one call run on several threads: one builds */
#pragma omp critical(grl_arc_tiles_once)
    if (!t->tried) {
        build(t, a);
        t->tried = true;
    }
    return t->start != NULL ? t : NULL;
}

void grl_arc_tiles_free(grl_arc_tiles *t)
{
    free(t->start);
    free(t->word);
    memset(t, 0, sizeof(*t));
}

/* yR += the tile's arcs times dC. Four words at a time, their four reads
 * of dC before the four additions into yR (which the compiler may not
 * reorder itself, not knowing that yR and dC never overlap), the same
 * additions in the same order: a G(1M, 10M) product alone 22 ms against
 * 29 ms one word at a time; in whole queries at load 6-8, 645 against
 * 666 ms of CPU (3 rounds of 3 sources, alternated; noisy). */
static void tile_product(const uint32_t *restrict word, uint64_t count,
                         const double *restrict dC, double *restrict yR)
{
    uint64_t p = 0;
    for (; p + 4 <= count; p += 4) {
        const uint32_t w0 = word[p], w1 = word[p + 1], w2 = word[p + 2], w3 = word[p + 3];
        const double x0 = dC[w0 & TILE_MASK], x1 = dC[w1 & TILE_MASK],
                     x2 = dC[w2 & TILE_MASK], x3 = dC[w3 & TILE_MASK];
        yR[w0 >> TILE_SHIFT] += x0;
        yR[w1 >> TILE_SHIFT] += x1;
        yR[w2 >> TILE_SHIFT] += x2;
        yR[w3 >> TILE_SHIFT] += x3;
    }
    for (; p < count; p++) yR[word[p] >> TILE_SHIFT] += dC[word[p] & TILE_MASK];
}

void grl_arc_tiles_product(const grl_arc_tiles *t, const double *d, double *y)
{
    memset(y, 0, sizeof(double) * (size_t)t->n);
    for (int64_t R = 0; R < t->blocks; R++) {
        double *yR = y + block_first(R, t->n);
        for (int64_t C = 0; C < t->blocks; C++) {
            const double *dC = d + block_first(C, t->n);
            const int64_t k = R * t->blocks + C;
            tile_product(t->word + t->start[k], t->start[k + 1] - t->start[k], dC, yR);
        }
    }
}
