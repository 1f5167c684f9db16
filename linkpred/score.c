/* score.c — scoring a list of candidate pairs: the pairs become one
 * structural mask M (one GrB_Matrix_build), the predictor's sum is the
 * masked product C<M> (lp_product), and each pair reads its entry of C and
 * combines it with the end degrees (lp_finish). LP and KATZ (L <= 3) add
 * masked path terms (lp_path_sum_masked); longer KATZ works by blocks of
 * source rows. */
#include "linkpred_internal.h"

#include <omp.h>

/* KATZ with L > 3: the pairs are bucketed by the block of their source; each
 * block builds its own mask (rows = the block's sources), forms its path
 * sums under it, and its pairs read their entries. */
static int blocked_scores(const lp_ctx *c, const int64_t *u, const int64_t *v,
                          int64_t npairs, double *score, char *msg)
{
    int64_t *pos = NULL, *start = NULL, *first = NULL, *order = NULL;
    int64_t *block_of = NULL;
    GrB_Index *src = NULL, *mi = NULL, *mj = NULL;
    GrB_Matrix Mb = NULL, Cb = NULL;
    GrB_Scalar one = NULL;
    grl_csr csr = {0};
#define FREE_ALL grl_csr_return(&csr, NULL); free(pos); free(start);            \
    free(first); free(order); free(block_of); free(src); free(mi); free(mj);  \
    GrB_Matrix_free(&Mb); GrB_Matrix_free(&Cb); GrB_Scalar_free(&one)
    int64_t n = c->n, ns = 0, nb;
    /* the distinct sources, ascending, and each node's position among them */
    GRL_ALLOC(pos, int64_t, n);
    for (int64_t i = 0; i < n; i++) pos[i] = -1;
    for (int64_t k = 0; k < npairs; k++) pos[u[k]] = 0;
    for (int64_t i = 0; i < n; i++) /* -1: not a source */
        if (pos[i] == 0) pos[i] = ns++;
    GRL_ALLOC(src, GrB_Index, ns);
    for (int64_t i = 0, j = 0; i < n; i++)
        if (pos[i] >= 0) src[j++] = (GrB_Index)i;
    GRL_TRY(lp_blocks(c, src, ns, true, &start, &nb, msg));
    /* pairs grouped by block, in input order inside a block (counting sort) */
    GRL_CALLOC(first, int64_t, nb + 1);
    GRL_ALLOC(order, int64_t, npairs);
    int64_t b = 0;
    GRL_ALLOC(block_of, int64_t, ns); /* the block of each source position */
    for (int64_t i = 0; i < ns; i++) {
        while (i >= start[b + 1]) b++;
        block_of[i] = b;
    }
    for (int64_t k = 0; k < npairs; k++) first[block_of[pos[u[k]]] + 1]++;
    for (b = 0; b < nb; b++) first[b + 1] += first[b];
    for (int64_t k = 0; k < npairs; k++) order[first[block_of[pos[u[k]]]]++] = k;
    for (b = nb; b > 0; b--) first[b] = first[b - 1];
    first[0] = 0;
    GRL_ALLOC(mi, GrB_Index, npairs);
    GRL_ALLOC(mj, GrB_Index, npairs);
    GRB_TRY(GrB_Scalar_new(&one, GrB_BOOL));
    GRB_TRY(GrB_Scalar_setElement_BOOL(one, true));
    for (b = 0; b < nb; b++) {
        const GrB_Index *rows = src + start[b];
        GrB_Index nr = (GrB_Index)(start[b + 1] - start[b]);
        int64_t p0 = first[b], np = first[b + 1] - first[b];
        for (int64_t t = 0; t < np; t++) {
            int64_t k = order[p0 + t];
            mi[t] = (GrB_Index)(pos[u[k]] - start[b]);
            mj[t] = (GrB_Index)v[k];
        }
        GRB_TRY(GrB_Matrix_new(&Mb, GrB_BOOL, nr, n));
        GRB_TRY(GxB_Matrix_build_Scalar(Mb, mi, mj, one, (GrB_Index)np));
        GRL_TRY(lp_product(&Cb, c, rows, nr, Mb, false, true, msg));
        GrB_Matrix_free(&Mb);
        GRB_TRY(GxB_Matrix_Option_set(Cb, GxB_SPARSITY_CONTROL, GxB_SPARSE));
        /* borrows a matrix of this call's own, not the graph's */
        GRL_TRY(grl_csr_borrow(&csr, Cb, true, msg));
#pragma omp parallel for schedule(static)
        for (int64_t t = 0; t < np; t++) {
            int64_t k = order[p0 + t];
            score[k] = lp_csr_get(&csr, (GrB_Index)(pos[u[k]] - start[b]),
                                  (GrB_Index)v[k], NULL);
        }
        GRL_TRY(grl_csr_return(&csr, msg));
        GrB_Matrix_free(&Cb);
        if (c->opt.progress) c->opt.progress(first[b + 1], npairs, c->opt.progress_ctx);
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The common-neighbour family unweighted (CN, Jaccard, Salton, Sørensen,
 * HPI, HDI, LHN: the raw value is |row_X(u) ∩ row_Z(v)|), counted directly
 * instead of the masked product C<M> = X Zᵀ: the pairs are taken in order
 * of their source (a counting sort), each source's row of X is set in a
 * thread's bitmap of n bits (128 KB for 1M nodes, in L2), and each of its
 * pairs counts the bits of row v of Z, branch-free; scores land at the
 * pairs' own positions, so the caller's order is kept and every score is
 * the same on any thread count. G(1M, 10M), 1M uniformly random pairs, 1
 * thread, in one run on a loaded machine (load average 20 on 2 cores): the
 * masked product 2.1-2.5 s (its merge of the two rows most of it), this
 * 0.52-0.95 s, igraph_similarity_jaccard_pairs 6.8-8.8 s. Taking the
 * pairs in the caller's order instead, each reading its source's row at
 * random, was 15% slower for these pairs (load 9). */

/* A pair sorted by source: its other end and its position in the input. */
typedef struct {
    int64_t v, k;
} lp_sorted_pair;

/* Rows of v are random reads, prefetched ahead of their pair: v's row
 * pointers 2 LOOKAHEAD pairs ahead, then up to ROW_LINES cache lines of
 * its row (and its k(v) when weighted) LOOKAHEAD pairs ahead. The pairs
 * themselves are read in order: the sort moves (v, k) together, one
 * scattered write a pair as moving k alone was, so no pair's v is a random
 * read. (G(1M, 10M), 1M random pairs, 1 thread, load 8: the loop waited
 * on the rows' unfetched third and fourth lines for 40% of its time when
 * only two were prefetched.) */
#define LOOKAHEAD 16
#define ROW_LINES 6

static inline void prefetch_row(const grl_csr *z, int64_t w)
{
    const GrB_Index lo = z->Ap[w], hi = z->Ap[w + 1];
    const GrB_Index per_line = 64 / sizeof(GrB_Index);
    GrB_Index end = lo + ROW_LINES * per_line < hi ? lo + ROW_LINES * per_line : hi;
    for (GrB_Index p = lo & ~(per_line - 1); p < end; p += per_line)
        __builtin_prefetch(&z->Aj[p]);
}

static int count_common(const lp_ctx *c, const int64_t *u, const int64_t *v,
                        int64_t npairs, double *score, char *msg)
{
    int64_t *first = NULL;
    lp_sorted_pair *sorted = NULL;
    grl_csr xs = {0}, zs = {0};
#define FREE_ALL grl_csr_return(&zs, NULL); grl_csr_return(&xs, NULL);         \
    free(first); free(sorted)
    const int64_t n = c->n;
    /* pairs by source (counting sort): source x's pairs are sorted[first[x]
     * .. first[x+1]-1] */
    GRL_CALLOC(first, int64_t, n + 1);
    GRL_ALLOC(sorted, lp_sorted_pair, npairs);
    for (int64_t k = 0; k < npairs; k++) first[u[k] + 1]++;
    for (int64_t i = 0; i < n; i++) first[i + 1] += first[i];
    for (int64_t k = 0; k < npairs; k++)
        sorted[first[u[k]]++] = (lp_sorted_pair){v[k], k};
    for (int64_t i = n; i > 0; i--) first[i] = first[i - 1];
    first[0] = 0;
    /* borrows the context's operands (the graph's own matrix or its
     * transpose when lent: G must not be in use elsewhere meanwhile) */
    GRL_TRY(grl_csr_borrow(&xs, c->X, false, msg));
    const grl_csr *zc = &xs;
    if (c->Z != c->X) {
        GRL_TRY(grl_csr_borrow(&zs, c->Z, false, msg));
        zc = &zs;
    }
    const grl_csr *xc = &xs;
    const grl_linkpred_method m = c->opt.method;
    /* unweighted, k(u) and k(v) are the lengths of their rows (c has no ku,
     * kv), read with the row pointers */
    const bool weighted = c->opt.weighted;
    const size_t words = (size_t)(n / 64 + 1);
    bool oom = false;
#pragma omp parallel if (npairs > 10000) reduction(|| : oom)
    {
        uint64_t *bits = grl_calloc(words, sizeof(uint64_t));
        oom = bits == NULL;
        int64_t nt = omp_get_num_threads(), t = omp_get_thread_num();
        int64_t lo = npairs * t / nt, hi = npairs * (t + 1) / nt, src = -1;
        /* x: the source of pair lo, the last x with first[x] <= lo */
        int64_t x = 0, top = n - 1;
        while (x < top) {
            int64_t mid = x + (top - x + 1) / 2;
            if (first[mid] <= lo) x = mid;
            else top = mid - 1;
        }
        for (int64_t q = lo; q < hi && bits; q++) {
            if (q + 2 * LOOKAHEAD < hi)
                __builtin_prefetch(&zc->Ap[sorted[q + 2 * LOOKAHEAD].v]);
            if (q + LOOKAHEAD < hi) {
                prefetch_row(zc, sorted[q + LOOKAHEAD].v);
                if (weighted) __builtin_prefetch(&c->kv[sorted[q + LOOKAHEAD].v]);
            }
            while (q >= first[x + 1]) x++;
            const int64_t w = sorted[q].v;
            if (x != src) { /* the next source's row as bits */
                for (int64_t pass = 0; pass < 2; pass++) {
                    int64_t y = pass == 0 ? src : x;
                    if (y < 0) continue;
                    for (GrB_Index p = xc->Ap[y]; p < xc->Ap[y + 1]; p++) {
                        GrB_Index z = xc->Aj[p];
                        if (pass == 0) bits[z >> 6] = 0;
                        else bits[z >> 6] |= 1ull << (z & 63);
                    }
                }
                src = x;
            }
            int64_t count = 0;
            const GrB_Index row_lo = zc->Ap[w], row_hi = zc->Ap[w + 1];
            for (GrB_Index p = row_lo; p < row_hi; p++) {
                GrB_Index z = zc->Aj[p];
                count += (int64_t)(bits[z >> 6] >> (z & 63) & 1);
            }
            const double ks = weighted ? c->ku[src]
                                       : (double)(xc->Ap[src + 1] - xc->Ap[src]);
            const double kw = weighted ? c->kv[w] : (double)(row_hi - row_lo);
            score[sorted[q].k] = lp_finish(m, (double)count, ks, kw);
        }
        free(bits);
    }
    if (oom) GRL_FAIL(GRL_OUT_OF_MEMORY, "link prediction: out of memory for "
                      "the bitmaps of %" PRId64 " nodes", n);
    GRL_TRY(grl_csr_return(&zs, msg));
    GRL_TRY(grl_csr_return(&xs, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Whether count_common scores opt's method with the degrees read off the
 * rows: the common-neighbour family (CN, Jaccard, Salton, Sørensen, HPI,
 * HDI, LHN), unweighted. */
static bool counts_by_rows(const grl_linkpred_options *opt)
{
    grl_linkpred_method m = opt->method;
    return !opt->weighted && !lp_is_path_method(m) && m != GRL_LINKPRED_PA &&
           m != GRL_LINKPRED_AA && m != GRL_LINKPRED_RA;
}

static int score_pairs(grl_graph *G, const int64_t *u, const int64_t *v,
                       int64_t npairs, const grl_linkpred_options *opt,
                       double *score, char *msg)
{
    lp_ctx c;
    GrB_Matrix M = NULL, C = NULL;
    grl_csr csr = {0};
    memset(&c, 0, sizeof c);
#define FREE_ALL grl_csr_return(&csr, NULL); GrB_Matrix_free(&M);              \
    GrB_Matrix_free(&C); lp_ctx_free(&c)
    GRL_REQUIRE(G != NULL && score != NULL && (npairs == 0 || (u && v)),
                "grl_linkpred_score: NULL argument");
    GRL_REQUIRE(npairs >= 0, "grl_linkpred_score: negative pair count %" PRId64,
                npairs);
    int64_t n = grl_graph_num_nodes(G), bad = -1;
    for (int64_t k = 0; k < npairs && bad < 0; k++)
        if (u[k] < 0 || u[k] >= n || v[k] < 0 || v[k] >= n) bad = k;
    GRL_REQUIRE(bad < 0, "pair %" PRId64 " (%" PRId64 ", %" PRId64 ") names a "
                "node outside 0..%" PRId64, bad, u[bad], v[bad], n - 1);
    grl_linkpred_options defaults;
    if (opt == NULL) {
        grl_linkpred_options_init(&defaults);
        opt = &defaults;
    }
    GRL_TRY(lp_ctx_init(&c, G, opt, true, !counts_by_rows(opt), msg));
    grl_linkpred_method m = c.opt.method;
    const double *ku = c.ku, *kv = c.kv;
    if (m == GRL_LINKPRED_PA) { /* k(u) k(v): no product */
#pragma omp parallel for schedule(static)
        for (int64_t k = 0; k < npairs; k++)
            score[k] = lp_finish(m, 0, ku[u[k]], kv[v[k]]);
        if (c.opt.progress && npairs > 0)
            c.opt.progress(npairs, npairs, c.opt.progress_ctx);
        FREE_ALL;
        return 0;
    }
    if (!lp_is_path_method(m) && c.XD == NULL) {
        GRL_TRY(count_common(&c, u, v, npairs, score, msg));
        if (c.opt.progress && npairs > 0)
            c.opt.progress(npairs, npairs, c.opt.progress_ctx);
        FREE_ALL;
        return 0;
    }
    bool short_paths = m == GRL_LINKPRED_LP || c.opt.katz_length <= 3;
    if (lp_is_path_method(m) && !short_paths) {
        GRL_TRY(blocked_scores(&c, u, v, npairs, score, msg));
        FREE_ALL;
        return 0;
    }
    /* the mask: one iso build of the pairs (repeats collapse) */
    GRB_TRY(GrB_Matrix_new(&M, GrB_BOOL, n, n));
    GrB_Scalar one = NULL;
    GRB_TRY(GrB_Scalar_new(&one, GrB_BOOL));
    GrB_Info info = GrB_Scalar_setElement_BOOL(one, true);
    if (info == GrB_SUCCESS)
        info = GxB_Matrix_build_Scalar(M, (const GrB_Index *)u,
                                       (const GrB_Index *)v, one,
                                       (GrB_Index)npairs);
    GrB_Scalar_free(&one);
    GRB_CHECK(info, "GxB_Matrix_build_Scalar (pairs)");
    if (lp_is_path_method(m)) GRL_TRY(lp_path_sum_masked(&C, &c, M, msg));
    else GRL_TRY(lp_product(&C, &c, NULL, 0, M, false, true, msg));
    GrB_Matrix_free(&M);
    GRB_TRY(GxB_Matrix_Option_set(C, GxB_SPARSITY_CONTROL, GxB_SPARSE));
    /* borrows a matrix of this call's own, not the graph's */
    GRL_TRY(grl_csr_borrow(&csr, C, true, msg));
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < npairs; k++)
        score[k] = lp_finish(m, lp_csr_get(&csr, (GrB_Index)u[k],
                                           (GrB_Index)v[k], NULL),
                             ku[u[k]], kv[v[k]]);
    GRL_TRY(grl_csr_return(&csr, msg));
    /* one product for all pairs: done at once */
    if (c.opt.progress && npairs > 0)
        c.opt.progress(npairs, npairs, c.opt.progress_ctx);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_linkpred_score(grl_graph *G, const int64_t *u, const int64_t *v,
                       int64_t npairs, const grl_linkpred_options *opt,
                       double *score, char *msg)
{
    grl_msg_clear(msg);
    int rc = score_pairs(G, u, v, npairs, opt, score, msg);
    return rc < 0 ? rc : lp_check_scores(opt, score, npairs, msg);
}
