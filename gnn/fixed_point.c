/* fixed_point.c — the solver of fixed_point.h: incoming-arc CSR with its
 * transposed lists, the multi-head propagation kernel (hand-written: it
 * fuses per-arc-and-head weights, the bias and the residual into one pass
 * over the arcs, which no GraphBLAS semiring expresses), the iteration with
 * its convergence test, weight gradients and contraction bounds. */
#include "fixed_point.h"

#include <math.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

void grl_fixed_point_options_init(grl_fixed_point_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->tol = 1e-6;
    opt->max_iter = 50;
}

int grl_fp_check_options(const grl_fixed_point_options *opt, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(isfinite(opt->tol) && opt->tol > 0 && opt->tol < 1,
                "the fixed-point tolerance must be in (0, 1), got %g", opt->tol);
    GRL_REQUIRE(opt->max_iter >= 1 && opt->max_iter <= 10000000,
                "the fixed-point iteration cap must be in 1..10^7, got %" PRId64,
                opt->max_iter);
    return 0;
#undef FREE_ALL
}

void grl_fp_arcs_release(grl_fp_arcs *a)
{
    free(a->own);
    free(a->out_ptr);
    free(a->out_arc);
    free(a->out_node);
    free(a->in_pos);
    memset(a, 0, sizeof(*a));
}

int grl_fp_arcs_init(grl_fp_arcs *a, int64_t n, int64_t arcs,
                     const int64_t *ptr, const int64_t *src, char *msg)
{
    memset(a, 0, sizeof(*a)); /* *a may be uninitialised: nothing is read */
    return grl_fp_arcs_adopt(a, n, arcs, NULL, ptr, src, msg);
}

int grl_fp_arcs_adopt(grl_fp_arcs *a, int64_t n, int64_t arcs, int64_t *own,
                      const int64_t *ptr, const int64_t *src, char *msg)
{
#define FREE_ALL grl_fp_arcs_release(a)
    memset(a, 0, sizeof(*a));
    a->own = own;
    GRL_REQUIRE(n >= 0 && arcs >= 0 && ptr != NULL && (arcs == 0 || src != NULL),
                "invalid arc lists (%" PRId64 " nodes, %" PRId64 " arcs)", n, arcs);
    GRL_REQUIRE(ptr[0] == 0 && ptr[n] == arcs, "the arc pointers run from %"
                PRId64 " to %" PRId64 ", expected 0 to %" PRId64, ptr[0], ptr[n],
                arcs);
    for (int64_t i = 0; i < n; i++) {
        GRL_REQUIRE(ptr[i] <= ptr[i + 1], "the arc pointers decrease at node %"
                    PRId64, i);
        for (int64_t p = ptr[i]; p < ptr[i + 1]; p++)
            GRL_REQUIRE(src[p] >= 0 && src[p] < n, "arc %" PRId64 " into node %"
                        PRId64 " comes from %" PRId64 ", not a node", p, i, src[p]);
    }
    a->n = n;
    a->arcs = arcs;
    a->ptr = ptr;
    a->src = src;
    GRL_CALLOC(a->out_ptr, int64_t, grl_size_add((size_t)n, 1));
    GRL_ALLOC(a->out_arc, int64_t, arcs);
    GRL_ALLOC(a->out_node, int64_t, arcs);
    GRL_ALLOC(a->in_pos, int64_t, arcs);
    for (int64_t p = 0; p < arcs; p++) a->out_ptr[src[p] + 1]++;
    for (int64_t j = 0; j < n; j++) a->out_ptr[j + 1] += a->out_ptr[j];
    /* a counting sort by source, stable in target order */
    for (int64_t i = 0; i < n; i++)
        for (int64_t p = ptr[i]; p < ptr[i + 1]; p++) {
            a->out_node[a->out_ptr[src[p]]] = i;
            a->in_pos[p] = a->out_ptr[src[p]];
            a->out_arc[a->out_ptr[src[p]]++] = p;
        }
    for (int64_t j = n; j > 0; j--) a->out_ptr[j] = a->out_ptr[j - 1];
    a->out_ptr[0] = 0;
    return 0;
#undef FREE_ALL
}

int grl_fp_arcs_from_graph(grl_fp_arcs *a, float **weight, grl_graph *G,
                           bool symmetrise, bool self_loops, char *msg)
{
    GrB_Matrix S = NULL;
    grl_csr c = {0};
    int64_t *buf = NULL;
    float *w = NULL;
#define FREE_ALL grl_csr_return(&c, NULL); GrB_free(&S); free(buf); free(w); \
    grl_fp_arcs_release(a)
    memset(a, 0, sizeof(*a));
    *weight = NULL;
    GRL_TRY(grl_init(msg));
    GrB_Matrix A = grl_graph_matrix(G), AT;
    GRL_TRY(grl_graph_transpose(G, &AT, msg));
    GrB_Index n;
    GRB_TRY(GrB_Matrix_nrows(&n, A));
    /* row i of the lent matrix must list the arcs INTO i */
    GRB_TRY(GrB_Matrix_new(&S, GrB_FP64, n, n));
    if (symmetrise && AT != A)
        GRB_TRY(GrB_Matrix_eWiseAdd_BinaryOp(S, NULL, NULL, GrB_MAX_FP64, A, AT,
                                             NULL));
    else
        GRB_TRY(GrB_Matrix_apply(S, NULL, NULL, GrB_IDENTITY_FP64, AT, NULL));
    GRL_TRY(grl_csr_borrow(&c, S, true, msg));
    size_t arcs = (size_t)c.Ap[n];
    if (self_loops)
        for (GrB_Index i = 0; i < n; i++) arcs += grl_csr_find(&c, i, i) < 0;
    GRL_ALLOC(buf, int64_t, grl_size_add(grl_size_add((size_t)n, 1), arcs));
    GRL_ALLOC(w, float, arcs);
    int64_t *ptr = buf, *src = buf + n + 1, q = 0;
    ptr[0] = 0;
    for (GrB_Index i = 0; i < n; i++) {
        bool need_loop = self_loops && grl_csr_find(&c, i, i) < 0;
        for (GrB_Index p = c.Ap[i]; p < c.Ap[i + 1]; p++) {
            if (need_loop && c.Aj[p] > i) { /* keep sources ascending */
                src[q] = (int64_t)i;
                w[q++] = 1.0f;
                need_loop = false;
            }
            src[q] = (int64_t)c.Aj[p];
            w[q++] = (float)(c.iso ? c.Ax[0] : c.Ax[p]);
        }
        if (need_loop) {
            src[q] = (int64_t)i;
            w[q++] = 1.0f;
        }
        ptr[i + 1] = q;
    }
    GRL_TRY(grl_csr_return(&c, msg));
    GrB_free(&S);
    int64_t bad = grl_first_nonfinite(w, q);
    GRL_REQUIRE(bad < 0, "an edge weight is not a finite float32 number");
    int64_t *adopted = buf;
    buf = NULL;
    GRL_TRY(grl_fp_arcs_adopt(a, (int64_t)n, q, adopted, adopted, adopted + n + 1, msg));
    *weight = w;
    return 0;
#undef FREE_ALL
}

/* The propagation is bound by fetching a row of X per arc (at random) and
 * streaming the arcs' weights: each arc prefetches the X row of the arc
 * FP_PREFETCH ahead (its first and last float: a row of 16 floats spans two
 * cache lines unless 64-byte aligned), and the row's sums stay in registers
 * for FP_BLOCK columns at a time. On x86-64 GCC compiles the kernel for
 * AVX-512, AVX2 and SSE2, picked at load time, without contracting a*b+c
 * into FMAs, so every version gives the same bits. n = 2^20, 10.5M arcs,
 * d = wc = 16, 1 thread, CPU seconds of a step over one GraphBLAS product
 * (load 7-12): 2.95x without the prefetch, 1.21x 8 arcs ahead, 1.01-1.12x
 * 16 ahead, 1.16-1.28x 24 or 32 ahead; in 64-byte-aligned rows (grl's
 * allocator) against 1.31x in malloc's (rows 16 bytes off: two lines). */
#define FP_BLOCK 16
#define FP_PREFETCH 16

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FP_CLONES __attribute__((target_clones("avx512f", "avx2", "default"), \
                                 optimize("fp-contract=off")))
#else
#define FP_CLONES
#endif

/* Prefetch columns c0 .. c0 + width of the X row that arc q + FP_PREFETCH
 * reads (rows of d floats; `other` gives the row of each of the qend arcs):
 * every 64 bytes from the first float, and the last float. */
static inline void prefetch_ahead(const float *X, const int64_t *other,
                                  int64_t q, int64_t qend, int64_t d,
                                  int64_t c0, int64_t width)
{
    if (q + FP_PREFETCH < qend) {
        const float *ahead = X + other[q + FP_PREFETCH] * d + c0;
        for (int64_t c = 0; c < width; c += 16) __builtin_prefetch(ahead + c);
        __builtin_prefetch(ahead + width - 1);
    }
}

/* out[c] += w(q, c0 + c) in[c] for c < width: arc q's weight on that
 * column (per_column: w rows of d floats) or its one weight. */
static inline __attribute__((always_inline)) void
add_weighted(float *restrict out, const float *restrict in, const float *w,
             int64_t q, bool per_column, int64_t d, int64_t c0, int64_t width)
{
    if (per_column) {
        const float *restrict wq = w + q * d + c0;
        for (int64_t c = 0; c < width; c++) out[c] += wq[c] * in[c];
    } else {
        const float s = w[q];
        for (int64_t c = 0; c < width; c++) out[c] += s * in[c];
    }
}

/* Per-thread maxima of a propagation, one per column lane so a row's
 * epilogue vectorises (a max is exact in any order): res of |Y - prev| and
 * top of |Y|; a NaN in res stays (its test is written so), an infinity is
 * the max: either marks a non-finite entry. */
typedef struct {
    double res[FP_BLOCK], top[FP_BLOCK];
} lane_maxima;

/* y[c] = act(gamma acc[c] + b[c]) for c < width, and the lane maxima of
 * |y - xi| and |y| (b and xi may be NULL: no bias, no previous row). */
static inline __attribute__((always_inline)) void
finish_block(float *y, const float *acc, int64_t width, float gamma,
             const float *b, bool relu, const float *xi, lane_maxima *restrict m)
{
    for (int64_t c = 0; c < width; c++) {
        float v = gamma * acc[c] + (b ? b[c] : 0.0f);
        v = relu && !(v > 0.0f) && !isnan(v) ? 0.0f : v;
        double dy = fabs((double)v - (double)(xi ? xi[c] : v)), ay = fabs((double)v);
        y[c] = v;
        m->res[c] = dy > m->res[c] || isnan(dy) ? dy : m->res[c];
        m->top[c] = ay > m->top[c] ? ay : m->top[c];
    }
}

/* The maxima of every lane into *res, *top and *nonfinite. */
static void merge_lanes(const lane_maxima *m, double *res, double *top,
                        int *nonfinite)
{
    for (int c = 0; c < FP_BLOCK; c++) {
        if (!isfinite(m->res[c])) *nonfinite = 1;
        *res = m->res[c] > *res ? m->res[c] : *res;
        *top = m->top[c] > *top ? m->top[c] : *top;
    }
}

/* Columns c0 .. c0 + width of row i of Y = act(gamma A X + B): the sum over
 * arcs q in [q0, q1) of w[q] x[other[q]] in arc order (X rows of d floats),
 * then the bias, the activation and the maxima against prev (xi and b: the
 * row's columns, or NULL). A constant width keeps the sums in registers.
 * per_column: w rows of d floats (offset c0), else one weight per arc. */
static inline __attribute__((always_inline)) void
step_block(float *restrict y, const int64_t *other, int64_t q0, int64_t q1,
           int64_t qend, const float *w, bool per_column, const float *X,
           int64_t d, int64_t c0, int64_t width, float gamma, const float *b,
           bool relu, const float *xi, lane_maxima *restrict m)
{
    float acc[FP_BLOCK] = {0};
    for (int64_t q = q0; q < q1; q++) {
        prefetch_ahead(X, other, q, qend, d, c0, width);
        add_weighted(acc, X + other[q] * d + c0, w, q, per_column, d, c0, width);
    }
    finish_block(y, acc, width, gamma, b, relu, xi, m);
}

/* Row i of the step into y (d floats), FP_BLOCK columns at a time; b and xi
 * as step_block's for the whole row. The epilogue on the sums in registers,
 * vectorised: scalar, after the row, it took a third of the step's cycles
 * (perf, the bench above). */
FP_CLONES
static void step_row(float *restrict y, const int64_t *other, int64_t q0,
                     int64_t q1, int64_t qend, const float *w, int64_t wc,
                     const float *X, int64_t d, float gamma, const float *b,
                     bool relu, const float *xi, lane_maxima *restrict m)
{
    int64_t c0 = 0;
    for (; c0 + FP_BLOCK <= d; c0 += FP_BLOCK) {
        const float *bc = b ? b + c0 : NULL, *xc = xi ? xi + c0 : NULL;
        if (wc == 1)
            step_block(y + c0, other, q0, q1, qend, w, false, X, d, c0, FP_BLOCK,
                       gamma, bc, relu, xc, m);
        else
            step_block(y + c0, other, q0, q1, qend, w, true, X, d, c0, FP_BLOCK,
                       gamma, bc, relu, xc, m);
    }
    if (c0 < d)
        step_block(y + c0, other, q0, q1, qend, w, wc != 1, X, d, c0, d - c0, gamma,
                   b ? b + c0 : NULL, relu, xi ? xi + c0 : NULL, m);
}

/* grl_fp_propagate; with zero_x (X = 0) no arc is read: each row's sum
 * stays 0, the value of its sum of w x = 0 for finite weights, so the
 * step gives the same bits. */
static double propagate(float *Y, const grl_fp_arcs *A, const float *w,
                        int64_t wc, float gamma, const float *X, const float *B,
                        int64_t d, bool transpose, bool relu, const float *prev,
                        double *ymax, bool zero_x)
{
    const int64_t *ptr = transpose ? A->out_ptr : A->ptr;
    const int64_t *other = transpose ? A->out_node : A->src;
    double res = 0, top = 0;
    int nonfinite = 0; /* OpenMP's max may drop a NaN: flag it apart */
    int64_t work = (zero_x ? A->n : A->arcs) * d;
#pragma omp parallel reduction(max : res, top, nonfinite) \
    if (work > GRL_NN_PARALLEL_WORK / 8)
    {
        lane_maxima m = {{0}, {0}};
#pragma omp for schedule(dynamic, 512)
        for (int64_t i = 0; i < A->n; i++)
            step_row(Y + i * d, other, ptr[i], zero_x ? ptr[i] : ptr[i + 1], A->arcs,
                     w, wc, X, d, gamma, B ? B + i * d : NULL, relu,
                     prev ? prev + i * d : NULL, &m);
        merge_lanes(&m, &res, &top, &nonfinite);
    }
    if (ymax) *ymax = nonfinite ? NAN : top;
    return nonfinite ? NAN : res;
}

double grl_fp_propagate(float *Y, const grl_fp_arcs *A, const float *w,
                        int64_t wc, float gamma, const float *X,
                        const float *B, int64_t d, bool transpose, bool relu,
                        const float *prev, double *ymax)
{
    return propagate(Y, A, w, wc, gamma, X, B, d, transpose, relu, prev, ymax, false);
}

int grl_fp_iterate(float **x, float **spare, int64_t count, grl_fp_map T,
                   void *ctx, double bound, const char *what,
                   const grl_fixed_point_options *opt,
                   grl_fixed_point_report *rep, char *msg)
{
#define FREE_ALL ;
    GRL_TRY(grl_fp_check_options(opt, msg));
    GRL_REQUIRE(bound >= 0 && bound < 1, "%s: the map's contraction bound is %g, "
                "not below 1, so the fixed point may not exist", what, bound);
    grl_fixed_point_report r = {bound, INFINITY, 0};
    int64_t t;
    for (t = 1; t <= opt->max_iter; t++) {
        double top, res = T(*spare, *x, &top, ctx);
        float *tmp = *x;
        *x = *spare;
        *spare = tmp;
        if (!isfinite(res) || !isfinite(top)) {
            int64_t bad = grl_first_nonfinite(*x, count);
            GRL_FAIL(GRL_INVALID_ARGUMENT, "%s: entry %" PRId64 " of the iterate "
                     "is not finite at step %" PRId64 " (inputs too large for "
                     "float32?)", what, bad, t);
        }
        r.residual = res / (top > 1 ? top : 1);
        r.iterations = t;
        if (r.residual <= opt->tol) break;
    }
    if (rep) *rep = r;
    if (t > opt->max_iter) {
        grl_set_msg(msg, "%s: stopped at the cap of %" PRId64 " iterations with "
                    "relative residual %.3g > tolerance %.3g (raise the cap)",
                    what, opt->max_iter, r.residual, opt->tol);
        return GRL_NOT_CONVERGED;
    }
    return 0;
#undef FREE_ALL
}

/* Rows q0 .. q1 of wt: wt[q] = w[arc[q]] (rows of wc floats), each read
 * prefetched FP_PREFETCH rows ahead as the propagation's. */
FP_CLONES
static void gather_rows(float *restrict wt, const float *restrict w,
                        const int64_t *arc, int64_t q0, int64_t q1, int64_t wc)
{
    for (int64_t q = q0; q < q1; q++) {
        prefetch_ahead(w, arc, q, q1, wc, 0, wc);
        const float *restrict from = w + arc[q] * wc;
        float *restrict to = wt + q * wc;
        if (wc == FP_BLOCK)
            for (int64_t c = 0; c < FP_BLOCK; c++) to[c] = from[c];
        else
            for (int64_t c = 0; c < wc; c++) to[c] = from[c];
    }
}

#if defined(__SSE__)
/* Rows p0 .. p1 of w (wc floats each, a multiple of 16) to their places
 * wt[pos[p]], whole 64-byte lines in streaming stores: w is read in order,
 * and no line of wt is read for ownership. */
static void scatter_lines(float *wt, const float *w, const int64_t *pos, int64_t p0,
                          int64_t p1, int64_t wc)
{
    for (int64_t p = p0; p < p1; p++) {
        const float *from = w + p * wc;
        float *to = wt + pos[p] * wc;
        for (int64_t c = 0; c < wc; c += 4) _mm_stream_ps(to + c, _mm_loadu_ps(from + c));
    }
}
#endif

/* The adjoint pays this once per solve, then pulls along Aᵀ's rows at the
 * forward step's cost (a pull step 0.15-0.16 CPU s against 0.25 for the
 * two-accumulator push along A's rows it replaced). Rows of whole cache
 * lines (wc a multiple of 16, wt 64-byte aligned, as grl's allocator
 * gives) are scattered in streaming stores, other rows gathered. n = 2^20,
 * 10.5M arcs, 16 heads, 1 thread, CPU seconds (load 4-7, raw product
 * 0.12-0.13): the scatter 0.125, the gather 0.19 (its random reads of w;
 * prefetched 16, 32 or 64 rows ahead: the same), a plain scatter 0.28
 * (every line of wt read for ownership); on 2 threads the scatter's CPU
 * time is the same. Gathering inside the adjoint's first pull over the arcs
 * instead (which then reads no wt) saved only 0.03 s of the gather's 0.19;
 * streaming stores in the gather: no gain. */
void grl_fp_transpose_weights(float *wt, const grl_fp_arcs *A, const float *w,
                              int64_t wc)
{
    const int64_t chunk = 1 << 14, chunks = (A->arcs + chunk - 1) / chunk;
#if defined(__SSE__)
    if (wc % 16 == 0 && (uintptr_t)wt % 64 == 0) {
#pragma omp parallel if (A->arcs * wc > GRL_NN_PARALLEL_WORK / 8)
        {
#pragma omp for schedule(static)
            for (int64_t k = 0; k < chunks; k++)
                scatter_lines(wt, w, A->in_pos, k * chunk,
                              (k + 1) * chunk < A->arcs ? (k + 1) * chunk : A->arcs, wc);
            _mm_sfence(); /* the streaming stores before the barrier */
        }
        return;
    }
#endif
#pragma omp parallel for schedule(static) if (A->arcs * wc > GRL_NN_PARALLEL_WORK / 8)
    for (int64_t k = 0; k < chunks; k++)
        gather_rows(wt, w, A->out_arc, k * chunk,
                    (k + 1) * chunk < A->arcs ? (k + 1) * chunk : A->arcs, wc);
}

typedef struct {
    const grl_fp_arcs *A;
    const float *w, *b;
    int64_t wc, d;
    float gamma;
    bool transpose;
    bool from_zero; /* the next step starts from x = 0 */
} linear_map;

/* From x = 0 the step is T(0) = gamma 0 + b: no arc to read (every solve
 * of the models starts there), which saves one pass over the arcs of the
 * k a solve takes (the bench's forward solve at γ = 0.5, 9 iterations: 1.41
 * to 1.28 CPU s). */
static double linear_step(float *next, const float *x, double *xmax, void *ctx)
{
    linear_map *m = ctx;
    const bool zero_x = m->from_zero;
    m->from_zero = false;
    return propagate(next, m->A, m->w, m->wc, m->gamma, x, m->b, m->d, m->transpose,
                     false, x, xmax, zero_x);
}

/* Whether every entry of x is 0 (blocks of 4096 vectorise; a warm start
 * stops at its first block). */
static bool all_zero(const float *x, int64_t count)
{
    for (int64_t e0 = 0; e0 < count; e0 += 4096) {
        const int64_t e1 = count - e0 < 4096 ? count : e0 + 4096;
        int nonzero = 0;
        for (int64_t e = e0; e < e1; e++) nonzero |= x[e] != 0.0f;
        if (nonzero) return false;
    }
    return true;
}

int grl_fp_solve_linear(float **h, float **spare, const grl_fp_arcs *A,
                        const float *w, int64_t wc, float gamma,
                        const float *b, int64_t d, bool transpose,
                        double bound, const char *what,
                        const grl_fixed_point_options *opt,
                        grl_fixed_point_report *rep, char *msg)
{
    linear_map m = {A, w, b, wc, d, gamma, transpose, all_zero(*h, A->n * d)};
    return grl_fp_iterate(h, spare, A->n * d, linear_step, &m, bound, what, opt, rep,
                          msg);
}

int grl_fp_solve_adjoint(float **y, float **spare, const grl_fp_arcs *A,
                         const float *w, int64_t wc, float gamma, const float *g,
                         int64_t d, float *wt, double bound, const char *what,
                         const grl_fixed_point_options *opt,
                         grl_fixed_point_report *rep, char *msg)
{
    /* pulled along Aᵀ's rows, as the forward along A's */
    grl_fp_transpose_weights(wt, A, w, wc);
    return grl_fp_solve_linear(y, spare, A, wt, wc, gamma, g, d, true, bound, what,
                               opt, rep, msg);
}

/* Arc p's gradient row of grl_fp_weight_grad for each arc p into row i
 * (yi its d floats), prefetching the h rows as the propagation does. */
FP_CLONES
static void weight_grad_row(float *dw, const grl_fp_arcs *A, int64_t i,
                            int64_t wc, float gamma, const float *yi,
                            const float *h, int64_t d)
{
    for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++) {
        prefetch_ahead(h, A->src, p, A->arcs, d, 0, d);
        const float *restrict hj = h + A->src[p] * d;
        float *restrict g = dw + p * wc;
        if (wc == 1) {
            float s = 0;
            for (int64_t c = 0; c < d; c++) s += yi[c] * hj[c];
            g[0] += gamma * s;
        } else {
            for (int64_t c = 0; c < d; c++) g[c] += gamma * yi[c] * hj[c];
        }
    }
}

void grl_fp_weight_grad(float *dw, const grl_fp_arcs *A, int64_t wc,
                        float gamma, const float *y, const float *h, int64_t d)
{
#pragma omp parallel for schedule(dynamic, 512) if (A->arcs * d > GRL_NN_PARALLEL_WORK / 8)
    for (int64_t i = 0; i < A->n; i++)
        weight_grad_row(dw, A, i, wc, gamma, y + i * d, h, d);
}

/* Columns k0 .. k0 + width of |w|'s sums over the arcs into node i (r:
 * the ∞-norm's row) and over the arcs out of i (c: the 1-norm's column, read
 * through out_arc, each row prefetched ahead as the propagation's), in
 * double, in arc order. */
static inline __attribute__((always_inline)) void
norm_block(double *restrict r, double *restrict c, const grl_fp_arcs *A,
           int64_t i, const float *w, int64_t wc, int64_t k0, int64_t width)
{
    for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
        for (int64_t k = 0; k < width; k++) r[k] += fabs((double)w[p * wc + k0 + k]);
    for (int64_t q = A->out_ptr[i]; q < A->out_ptr[i + 1]; q++) {
        prefetch_ahead(w, A->out_arc, q, A->arcs, wc, k0, width);
        const float *wq = w + A->out_arc[q] * wc + k0;
        for (int64_t k = 0; k < width; k++) c[k] += fabs((double)wq[k]);
    }
}

FP_CLONES
static void norm_row(double *restrict r, double *restrict c, const grl_fp_arcs *A,
                     int64_t i, const float *w, int64_t wc, int64_t k0, int64_t width)
{
    if (width == FP_BLOCK) norm_block(r, c, A, i, w, wc, k0, FP_BLOCK);
    else norm_block(r, c, A, i, w, wc, k0, width);
}

/* One pass over the arcs (and one over the transposed lists) per FP_BLOCK
 * heads, each head's sums in the same order as one head at a time: a pass
 * per head, reading the transposed lists' weights one float per arc, was
 * 30% of the bench's cycles in perf (m = 16, 10.5M arcs); prefetching the
 * transposed reads took the bound from 1.24 to 0.23 CPU s (7 to 1.3-1.6
 * raw products; 15% of the bench's cycles to 4%). */
double grl_fp_norm_bound(const grl_fp_arcs *A, const float *w, int64_t wc,
                         double gamma)
{
    double worst = 0;
    for (int64_t k0 = 0; k0 < wc; k0 += FP_BLOCK) {
        const int64_t width = wc - k0 < FP_BLOCK ? wc - k0 : FP_BLOCK;
        double rows[FP_BLOCK] = {0}, cols[FP_BLOCK] = {0}; /* ∞- and 1-norms */
#pragma omp parallel for schedule(dynamic, 512) \
    reduction(max : rows[:FP_BLOCK], cols[:FP_BLOCK]) \
    if (A->arcs * width > GRL_NN_PARALLEL_WORK / 8)
        for (int64_t i = 0; i < A->n; i++) {
            double r[FP_BLOCK] = {0}, c[FP_BLOCK] = {0};
            norm_row(r, c, A, i, w, wc, k0, width);
            for (int64_t k = 0; k < width; k++) {
                rows[k] = r[k] > rows[k] ? r[k] : rows[k];
                cols[k] = c[k] > cols[k] ? c[k] : cols[k];
            }
        }
        for (int64_t k = 0; k < width; k++) {
            double b = rows[k] < cols[k] ? rows[k] : cols[k];
            worst = b > worst ? b : worst;
        }
    }
    return fabs(gamma) * worst;
}

int grl_fp_perron_bound(double *lambda, const grl_fp_arcs *A, const float *w,
                        char *msg)
{
    double *x = NULL, *y = NULL;
#define FREE_ALL free(x); free(y)
    const int64_t n = A->n;
    GRL_ALLOC(x, double, n);
    GRL_ALLOC(y, double, n);
    for (int64_t i = 0; i < n; i++) x[i] = 1.0;
    double best = INFINITY, previous = INFINITY;
    for (int step = 0; step < 1000; step++) {
        double hi = 0, lo = INFINITY, top = 0;
#pragma omp parallel for schedule(static) reduction(max : hi, top) reduction(min : lo)
        for (int64_t i = 0; i < n; i++) {
            double s = 0;
            for (int64_t p = A->ptr[i]; p < A->ptr[i + 1]; p++)
                s += fabs((double)w[p]) * x[A->src[p]];
            y[i] = s;
            double ratio = s / x[i];
            hi = ratio > hi ? ratio : hi;
            lo = ratio < lo ? ratio : lo;
            top = s > top ? s : top;
        }
        best = hi < best ? hi : best;
        /* converged: the bounds meet, or the upper one no longer moves
         * (rows without arcs keep the lower one at 0) */
        if (!(top > 0) || best - lo <= 1e-6 * best ||
            fabs(previous - hi) <= 1e-9 * hi)
            break;
        previous = hi;
        /* stay strictly positive so the Collatz-Wielandt bound holds */
        for (int64_t i = 0; i < n; i++) x[i] = y[i] / top + 1e-12;
    }
    if (n == 0) best = 0;
    GRL_REQUIRE(isfinite(best), "the propagation matrix has non-finite weights");
    *lambda = best;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
