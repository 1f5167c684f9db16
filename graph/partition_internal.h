/*
 * partition_internal.h — helpers shared by partition.c, reorder.c and
 * halo.c, private to graph/.
 */
#ifndef GRL_PARTITION_INTERNAL_H
#define GRL_PARTITION_INTERNAL_H

#include "graph_internal.h"

/* Loops over fewer items than this run on one thread: below it, starting a
 * parallel region (and waiting for busy cores) costs more than it saves. */
#define GRL_PARALLEL_MIN 65536

/* The symmetrised pattern of G's arcs without self-loops (A | A', diagonal
 * dropped), unpacked as CSR: node i's neighbours, either direction, are
 * j[p[i] .. p[i+1]-1], ascending, each once. The arrays belong to the
 * GraphBLAS matrix S and go back to it in grl_sym_pattern_free. */
typedef struct {
    GrB_Matrix S;
    GrB_Index *p, *j;
    void *x;
    GrB_Index p_size, j_size, x_size;
    bool iso;
    int64_t n, nnz; /* nodes; stored entries (twice the undirected edges) */
} grl_sym_pattern;

/* Build the pattern of G into *s (uninitialised). On error *s is empty. */
int grl_sym_pattern_new(grl_sym_pattern *s, grl_graph *G, char *msg);

/* Release the pattern and empty *s (safe on an empty or half-built one). */
void grl_sym_pattern_free(grl_sym_pattern *s);

/* Check that k >= 1 and that each of G's n nodes has part[i] in 0..k-1;
 * the message names `who` and the first bad node (index and id). */
int grl_partition_check(const char *who, const grl_graph *G,
                        const int64_t *part, int64_t k, char *msg);

#endif
