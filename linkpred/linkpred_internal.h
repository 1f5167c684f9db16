/* linkpred_internal.h — the pieces shared inside linkpred/: the operands of
 * a predictor (context.c), the product of a block of sources (product.c),
 * the per-pair formula, and a sorted CSR view of a GraphBLAS matrix. */
#ifndef GRL_LINKPRED_INTERNAL_H
#define GRL_LINKPRED_INTERNAL_H

#include "grl_internal.h"
#include "grl/linkpred.h"

/* Everything a predictor multiplies, built once per call. The matrices are
 * lent (the graph's own or its transpose) or owned (own[]). */
typedef struct {
    grl_linkpred_options opt;
    int64_t n;
    bool directed;
    GrB_Matrix A, AT;      /* adjacency without self-loops and its transpose */
    GrB_Matrix X, Y, Z;    /* the pattern's X, Y and Z = Yᵀ (values w^alpha
                              when weighted, else any)                      */
    GrB_Matrix XD;         /* X D: row u holds d(z) (unweighted AA/RA) or
                              w(u,z) d(z) (weighted CN/AA/RA); else NULL    */
    GrB_Matrix ZD;         /* weighted CN/AA/RA, the second term's right
                              operand: Z D (transposed form) or D Y (rows)  */
    GrB_Matrix own[6];
    double *ku, *kv;       /* k(u) = |S(u)| and k(v) = |T(v)| (or strengths) */
} lp_ctx;

/* Check opt (NULL: defaults) and build the operands of G. transposed: the
 * weighted second term is multiplied as dot products against Z (lp_product's
 * transposed form), else by rows of Y. degrees: also fill ku and kv (else
 * NULL, for a caller that reads unweighted degrees off the rows: two
 * products and 16 MB of fresh pages less for 1M nodes). On error c is left
 * empty. */
int lp_ctx_init(lp_ctx *c, grl_graph *G, const grl_linkpred_options *opt,
                bool transposed, bool degrees, char *msg);
void lp_ctx_free(lp_ctx *c);

/* out[i] = Σ_j M(i,j) (weighted) or the number of entries of row i (n
 * doubles, caller allocated). */
int lp_row_sums(GrB_Matrix M, bool weighted, int64_t n, double *out,
                char *msg);

/* 0 if every score[0..count) is finite, else GRL_INVALID_ARGUMENT with a
 * message naming the option that made them overflow (beta, epsilon, alpha). */
int lp_check_scores(const grl_linkpred_options *opt, const double *score,
                    int64_t count, char *msg);

/* True for LP and KATZ (path sums, computed by blocks of sources). */
bool lp_is_path_method(grl_linkpred_method m);

/* The final score of a pair from its raw product value (CN, or the weighted
 * sum of AA/RA/CN, or a path sum) and the end degrees. */
static inline double lp_finish(grl_linkpred_method m, double raw, double ku,
                               double kv)
{
    double den;
    switch (m) {
    case GRL_LINKPRED_JACCARD: den = ku + kv - raw; break;
    case GRL_LINKPRED_SALTON: den = __builtin_sqrt(ku * kv); break;
    case GRL_LINKPRED_SORENSEN: den = (ku + kv) / 2; break;
    case GRL_LINKPRED_HPI: den = ku < kv ? ku : kv; break;
    case GRL_LINKPRED_HDI: den = ku > kv ? ku : kv; break;
    case GRL_LINKPRED_LHN: den = ku * kv; break;
    case GRL_LINKPRED_PA: return ku * kv;
    default: return raw;
    }
    return den > 0 ? raw / den : 0.0;
}

/* The raw product of the sources rows[0..nrows) (rows NULL: all n nodes,
 * row i = node i) into *R, an nrows x n FP64 matrix, under `mask` (nrows x n,
 * structural; NULL for none) or its complement. Transposed: the product is
 * formed as dot products against Z (best for a sparse mask), otherwise by
 * rows of Y (best for a complemented mask). Not for PA. */
int lp_product(GrB_Matrix *R, const lp_ctx *c, const GrB_Index *rows,
               GrB_Index nrows, GrB_Matrix mask, bool complement,
               bool transposed, char *msg);

/* LP and KATZ with L <= 3 under a sparse n x n mask M, without any
 * multi-hop row: c_1 A<M> + c_2 (A A)<M> + c_3 (A (A A)<Aᵀ M>)<M> — the A²
 * term of A³ is formed only where a source's neighbour meets a target. */
int lp_path_sum_masked(GrB_Matrix *R, const lp_ctx *c, GrB_Matrix M,
                       char *msg);

/* Blocks of sources whose multi-hop rows fit opt.block_entries: block b is
 * sources[start[b] .. start[b+1]-1]. The estimate of a source's row is its
 * walk count (k(u) for one step, Σ_z k(z) for two, ...), capped at n, over
 * the product's steps (one fewer under a sparse mask, whose last step is
 * formed only at the mask's entries). *start (nblocks + 1 entries) is
 * allocated here. */
int lp_blocks(const lp_ctx *c, const GrB_Index *sources, int64_t nsources,
              bool sparse_mask, int64_t **start, int64_t *nblocks, char *msg);

/* The value of entry (i, j) of a matrix borrowed with sorted rows
 * (grl_csr_borrow), or 0 if absent (binary search in row i). */
static inline double lp_csr_get(const grl_csr *s, GrB_Index i, GrB_Index j,
                                bool *found)
{
    int64_t p = grl_csr_find(s, i, j);
    if (found) *found = p >= 0;
    return p < 0 ? 0.0 : (s->iso ? s->Ax[0] : s->Ax[p]);
}

/* The merge of two ascending index lists a[0..na) and b[0..nb): their common
 * entries into both (NULL: not written) and the entries of a missing from b
 * into only_a (NULL: not written); returns the number of common entries.
 * The common-neighbour kernel over sorted CSR rows, shared with the learned
 * predictors (gnn/ncn_*.c): N(u) ∩ N(v), and N(u) \ N(v) for completion. */
static inline int64_t lp_merge(const int64_t *a, int64_t na, const int64_t *b,
                               int64_t nb, int64_t *both, int64_t *only_a,
                               int64_t *nonly_a)
{
    int64_t x = 0, y = 0, nboth = 0, nonly = 0;
    while (x < na && y < nb) {
        if (a[x] < b[y]) {
            if (only_a) only_a[nonly] = a[x];
            nonly++;
            x++;
        } else if (a[x] > b[y]) {
            y++;
        } else {
            if (both) both[nboth] = a[x];
            nboth++;
            x++;
            y++;
        }
    }
    for (; x < na; x++, nonly++)
        if (only_a) only_a[nonly] = a[x];
    if (nonly_a) *nonly_a = nonly;
    return nboth;
}

#endif
