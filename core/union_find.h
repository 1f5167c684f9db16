/*
 * union_find.h — disjoint sets over 0..n-1 in a parent array (parent[i] = i
 * for a root), with path halving. Used by connected components and the
 * spanning forest of the edge split.
 */
#ifndef GRL_UNION_FIND_H
#define GRL_UNION_FIND_H

#include <stdbool.h>
#include <stdint.h>

/* Make every element its own set. */
static inline void grl_uf_init(int64_t *parent, int64_t n)
{
    for (int64_t i = 0; i < n; i++) parent[i] = i;
}

/* The root of x's set; halves the path on the way. */
static inline int64_t grl_uf_find(int64_t *parent, int64_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Join the sets of a and b under the smaller root (so a set's root is its
 * smallest element whatever the order of unions); false if they were one
 * set already. */
static inline bool grl_uf_union(int64_t *parent, int64_t a, int64_t b)
{
    a = grl_uf_find(parent, a);
    b = grl_uf_find(parent, b);
    if (a == b) return false;
    if (a < b) parent[b] = a;
    else parent[a] = b;
    return true;
}

#endif
