/* validate.c — the invariants every grl function assumes of a graph, checked
 * on graphs from untrusted sources (a .grl file, a caller's matrix). Loops over the borrowed
 * CSR arrays: no copy of the matrix, unlike a transpose. */
#include "graph_internal.h"

#include <math.h>
#include <sys/random.h>
#include <time.h>

/* Symmetry by a random form (Freivalds' idea, over the field of the prime
 * P = 2^61 - 1). With a weight w mapped to the polynomial h(w) = 1 +
 * lo32(w) + hi32(w) t (never 0, one per bit pattern) and a value g_i per
 * node, the form
 *     Q = sum over arcs i -> j, i != j, of s_ij h(a_ij) g_i g_j,
 * s_ij = +1 if i < j and -1 if i > j, is a polynomial in t and the g whose
 * part in g_i g_j (i < j) is h(a_ij) - h(a_ji), an absent arc counting 0:
 * Q is zero iff A is symmetric. Evaluated at a point drawn from a fresh
 * random key, an asymmetric matrix gives Q = 0 with probability at most
 * 3 / P (Schwartz-Zippel). Row i sums s_ij h(a_ij) g_j and multiplies by
 * g_i once; unweighted (iso), h is one nonzero factor, dropped, so an arc
 * costs a field value and an addition. One sequential pass, no random
 * access: a transpose or a lookup of (j, i) per entry was 70% of a .grl
 * reload; the form r_i^2 r_j - r_i r_j^2 before this one, with a product
 * per arc, was still half of it (G(1M, 10M), 1 thread, by perf: that pass
 * 37% of a reload's CPU time, this one 27%). */
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

/* Row i of c: whether its columns ascend and stay below n, and, with
 * `form`, its part of Q before the factor g_i: the sum of s_ij h(a_ij) g_j.
 * Inlined with form and iso constant, so each case has its own loop (in
 * one loop testing them, its sums lived on the stack). */
static inline __attribute__((always_inline)) bool
scan_row(const grl_csr *c, int64_t i, bool form, bool iso, uint64_t key,
         uint64_t t, uint64_t *sum)
{
    const uint64_t n = (uint64_t)c->n;
    const GrB_Index lo = c->Ap[i], hi = c->Ap[i + 1];
    bool bad = lo < hi && c->Aj[hi - 1] >= n;
    /* h g_j over j < i, over j > i, reduced at the row's end */
    unsigned __int128 below = 0, above = 0;
    GrB_Index prev = 0;
    for (GrB_Index p = lo; p < hi; p++) {
        const GrB_Index j = c->Aj[p];
        bad |= (p > lo) & (j <= prev);
        prev = j;
        if (!form) continue;
        uint64_t a = field_value(key, j);
        if (!iso) a = mulmod(weight_value(c->Ax[p], t), a);
        /* no branch on the side of the diagonal: in a random graph it
         * went either way at random, half mispredicted */
        below += a & -(uint64_t)(j < (GrB_Index)i);
        above += a & -(uint64_t)(j > (GrB_Index)i);
    }
    if (form) *sum = addmod(reduce128(above), P - reduce128(below));
    return !bad;
}

/* One pass over the rows of c: whether each row's columns ascend and stay
 * below n (what GraphBLAS assumes of a CSR; the .grl loader leaves this to
 * here, so a reload reads the columns once instead of twice: its own pass
 * was 12% of a reload's CPU time, and this pass costs 40% where the two
 * cost 41-46%), and,
 * with `form`, whether the form Q above is 0 (symmetry). */
static void scan_rows(const grl_csr *c, bool form, bool *rows_ok,
                      bool *symmetric)
{
    uint64_t key[2] = {0};
    if (form && getrandom(key, sizeof key, 0) != sizeof key) /* never */
        key[0] = (uint64_t)time(NULL), key[1] = (uint64_t)clock();
    const uint64_t t = field_value(key[1], 0);
    const bool iso = c->iso;
    uint64_t q = 0;
    bool bad = false;
#pragma omp parallel reduction(|| : bad)
    {
        uint64_t part = 0;
#pragma omp for schedule(dynamic, 1024) nowait
        for (int64_t i = 0; i < c->n; i++) {
            uint64_t sum = 0;
            bool ok = !form ? scan_row(c, i, false, false, key[0], t, &sum)
                      : iso ? scan_row(c, i, true, true, key[0], t, &sum)
                            : scan_row(c, i, true, false, key[0], t, &sum);
            bad = bad || !ok;
            if (form)
                part = addmod(part, mulmod(field_value(key[0], (uint64_t)i),
                                           sum));
        }
#pragma omp critical
        q = addmod(q, part);
    }
    *rows_ok = !bad;
    *symmetric = q == 0;
}
#undef P

/* The first entry whose weight is not finite (or not > 0 unless allowed):
 * its row *i and position *p, or false. */
static bool bad_weight(const grl_csr *c, bool allow_nonpositive, int64_t *i,
                       GrB_Index *p)
{
    /* iso: the one value, at the first entry if there is one */
    for (*i = 0; *i < c->n; (*i)++)
        for (*p = c->Ap[*i]; *p < c->Ap[*i + 1]; (*p)++) {
            if (c->iso && *p > 0) return false;
            double w = c->Ax[c->iso ? 0 : *p];
            if (!isfinite(w) || (!allow_nonpositive && !(w > 0))) return true;
        }
    return false;
}

/* Weights, then the rows and, if undirected, symmetry, on the borrowed
 * arrays. */
static int check_arcs(grl_graph *G, bool allow_nonpositive, const char *what,
                      char *msg)
{
    grl_csr csr = {0};
#define FREE_ALL grl_csr_return(&csr, NULL)
    /* borrows G's matrix (no concurrent use of G); FREE_ALL returns it */
    GRL_TRY(grl_csr_borrow(&csr, G->A, false, msg));
    int64_t i;
    GrB_Index p;
    if (bad_weight(&csr, allow_nonpositive, &i, &p)) {
        double w = csr.Ax[csr.iso ? 0 : p];
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: arc %" PRId64 " -> %"
                 PRIu64 " has weight %g; weights must be finite%s", what, i,
                 (uint64_t)csr.Aj[p], w,
                 isfinite(w) ? " and > 0 (to keep others, allow non-positive "
                               "weights: --allow-nonpositive-weights)" : "");
    }
    bool rows_ok, symmetric;
    scan_rows(&csr, !G->directed, &rows_ok, &symmetric);
    if (!rows_ok)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: the columns of its "
                 "matrix are not a valid CSR (ascending in each row, below "
                 "%" PRId64 ")", what, csr.n);
    if (!symmetric)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: flagged undirected but "
                 "its matrix is not symmetric", what);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_graph_validate(grl_graph *G, bool allow_nonpositive, const char *what,
                       char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_matrix_check(G->A, what, msg));
    return grl_graph_validate_content(G, allow_nonpositive, what, msg);
#undef FREE_ALL
}

int grl_graph_validate_content(grl_graph *G, bool allow_nonpositive,
                               const char *what, char *msg)
{
#define FREE_ALL ;
    GrB_Index nr, nc;
    GrB_Type type;
    GRB_TRY(GrB_Matrix_nrows(&nr, G->A));
    GRB_TRY(GrB_Matrix_ncols(&nc, G->A));
    GRB_TRY(GxB_Matrix_type(&type, G->A));
    if (type != GrB_FP64 || nr != nc || (int64_t)nr != G->ids.n)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: a %" PRIu64 " x %" PRIu64
                 " %s matrix for %" PRId64 " node ids (an n x n FP64 matrix is "
                 "needed)", what, (uint64_t)nr, (uint64_t)nc,
                 type == GrB_FP64 ? "FP64" : "non-FP64", G->ids.n);
    int64_t dup = grl_idmap_duplicate(&G->ids);
    if (dup >= 0) {
        char id[64];
        grl_graph_node_id(G, dup, id, sizeof id);
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: node id '%s' appears "
                 "twice", what, id);
    }
    if (G->self_loops_dropped < 0 || G->duplicates_dropped < 0)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: invalid graph: negative count of "
                 "dropped self-loops or duplicates", what);
    return check_arcs(G, allow_nonpositive, what, msg);
#undef FREE_ALL
}
