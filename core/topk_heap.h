/*
 * topk_heap.h — the k best (score, id) pairs of a stream, in a bounded heap
 * whose root is the worst kept: O(log k) per pair. Better means a higher
 * score, then a smaller id, so the result does not depend on input order.
 * Used by PPR's top-k rows and link prediction's top-k candidates.
 */
#ifndef GRL_TOPK_HEAP_H
#define GRL_TOPK_HEAP_H

#include <stdbool.h>
#include <stdint.h>

/* s and id have room for k pairs (the caller's output arrays). */
typedef struct {
    double *s;
    int64_t *id;
    int64_t size, k;
} grl_topk_heap;

/* (sa, ia) is better than (sb, ib) */
static inline bool grl_topk_better(double sa, int64_t ia, double sb, int64_t ib)
{
    return sa > sb || (sa == sb && ia < ib);
}

static inline void grl_topk_swap(grl_topk_heap *h, int64_t i, int64_t j)
{
    double ts = h->s[i]; h->s[i] = h->s[j]; h->s[j] = ts;
    int64_t ti = h->id[i]; h->id[i] = h->id[j]; h->id[j] = ti;
}

static inline void grl_topk_sift_down(grl_topk_heap *h, int64_t i)
{
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < h->size && grl_topk_better(h->s[w], h->id[w], h->s[l], h->id[l])) w = l;
        if (r < h->size && grl_topk_better(h->s[w], h->id[w], h->s[r], h->id[r])) w = r;
        if (w == i) return;
        grl_topk_swap(h, i, w);
        i = w;
    }
}

/* Offer one pair: kept if fewer than k are held or it beats the worst. */
static inline void grl_topk_push(grl_topk_heap *h, double s, int64_t id)
{
    if (h->size < h->k) { /* sift up */
        int64_t i = h->size++;
        while (i > 0) {
            int64_t p = (i - 1) / 2;
            if (!grl_topk_better(h->s[p], h->id[p], s, id)) break;
            h->s[i] = h->s[p];
            h->id[i] = h->id[p];
            i = p;
        }
        h->s[i] = s;
        h->id[i] = id;
    } else if (h->k > 0 && grl_topk_better(s, id, h->s[0], h->id[0])) {
        h->s[0] = s;
        h->id[0] = id;
        grl_topk_sift_down(h, 0);
    }
}

/* Sort the pairs held in place, best first (heap sort: the worst goes
 * last); h->size stays the number held. */
static inline void grl_topk_finish(grl_topk_heap *h)
{
    int64_t size = h->size;
    while (h->size > 1) {
        grl_topk_swap(h, 0, --h->size);
        grl_topk_sift_down(h, 0);
    }
    h->size = size;
}

#endif
