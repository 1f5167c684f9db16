/* halo.c — the halo of each part of a partition: the nodes outside the part
 * that share an arc, in either direction, with one of its nodes (the ghost
 * nodes a worker owning the part must read).
 *
 * Node j belongs to the halo of every part other than its own that holds
 * one of its neighbours in the symmetrised pattern. The nodes are cut into
 * fixed chunks: a first pass counts, per chunk and part, the halo members;
 * a prefix sum turns the counts into write positions; a second pass writes
 * each chunk's members in ascending order. The chunks do not depend on the
 * thread count, nor does the result.
 *
 * Memory: the symmetrised pattern, the result (offsets k+1, one entry per
 * (part, halo node) pair) and 2 x k counters per chunk, with at most as
 * many chunks as keep those counters within the pattern's size.
 */
#include "partition_internal.h"

#include <omp.h>

/* Walk chunk c's nodes j and each part p != part[j] among j's neighbours,
 * once per (j, p): with out NULL count it in counter[c*k + p], else write j
 * at out[counter[c*k + p]++]. */
static void halo_pass(const grl_sym_pattern *s, const int64_t *part, int64_t k,
                      int64_t nchunks, int64_t *counter, int64_t *stamp,
                      int64_t *out)
{
    const GrB_Index *Sp = s->p, *Sj = s->j;
    int64_t n = s->n;
#pragma omp parallel for schedule(static, 1) if (nchunks > 1)
    for (int64_t c = 0; c < nchunks; c++) {
        int64_t *at = counter + c * k, *seen = stamp + c * k;
        for (int64_t p = 0; p < k; p++) seen[p] = -1;
        for (int64_t j = c * n / nchunks; j < (c + 1) * n / nchunks; j++) {
            int64_t pj = part[j];
            for (GrB_Index e = Sp[j]; e < Sp[j + 1]; e++) {
                int64_t p = part[Sj[e]];
                if (p == pj || seen[p] == j) continue;
                seen[p] = j;
                if (out) out[at[p]++] = j;
                else at[p]++;
            }
        }
    }
}

int grl_partition_halos(int64_t **offsets, int64_t **nodes, grl_graph *G,
                        const int64_t *part, int64_t k, char *msg)
{
    grl_msg_clear(msg);
    grl_sym_pattern s = {0};
    int64_t *count = NULL, *stamp = NULL, *off = NULL, *out = NULL;
#define FREE_ALL grl_sym_pattern_free(&s); free(count); free(stamp); \
    free(off); free(out)
    GRL_REQUIRE(offsets != NULL && nodes != NULL, "grl_partition_halos: NULL "
                "output pointer");
    *offsets = NULL;
    *nodes = NULL;
    GRL_REQUIRE(G != NULL, "grl_partition_halos: the graph is NULL");
    GRL_TRY(grl_partition_check("grl_partition_halos", G, part, k, msg));
    GRL_TRY(grl_sym_pattern_new(&s, G, msg));
    int64_t n = s.n;

    /* one chunk per thread, fewer on small graphs or for many parts */
    int64_t nchunks = omp_get_max_threads();
    int64_t cap = (n + s.nnz) / 2 / k, work = (n + s.nnz) / GRL_PARALLEL_MIN;
    if (nchunks > cap) nchunks = cap;
    if (nchunks > work) nchunks = work;
    if (nchunks < 1) nchunks = 1;
    GRL_CALLOC(count, int64_t, grl_size_mul(nchunks, k));
    GRL_ALLOC(stamp, int64_t, grl_size_mul(nchunks, k));
    GRL_ALLOC(off, int64_t, k + 1);

    /* pass 1: count[c*k + p] = members of halo p among chunk c's nodes */
    halo_pass(&s, part, k, nchunks, count, stamp, NULL);
    /* counts -> write positions: part by part, chunk by chunk */
    int64_t total = 0;
    for (int64_t p = 0; p < k; p++) {
        off[p] = total;
        for (int64_t c = 0; c < nchunks; c++) {
            int64_t cnt = count[c * k + p];
            count[c * k + p] = total;
            total += cnt;
        }
    }
    off[k] = total;
    GRL_ALLOC(out, int64_t, total);

    /* pass 2: the same walk, writing j at its part's next position */
    halo_pass(&s, part, k, nchunks, count, stamp, out);
    grl_sym_pattern_free(&s);
    free(count);
    free(stamp);
    *offsets = off;
    *nodes = out;
    return 0;
#undef FREE_ALL
}
