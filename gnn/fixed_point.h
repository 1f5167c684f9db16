/* fixed_point.h — the fixed-point solver the convergent GNNs (APPNP, IGNN,
 * CGS) share, inside gnn/ (not installed).
 *
 * A graph is a CSR of INCOMING arcs (grl_graph_set's layout): the arcs into
 * node i are ptr[i] .. ptr[i+1]-1 with sources src[p]. A propagation
 * A X with X n x d multiplies by per-arc weights w, either one weight per
 * arc shared by the d columns (wc = 1: Â of APPNP and IGNN) or one weight
 * per arc and column (wc = d: the m heads of CGS, stored arcs x m), so all
 * heads go in one pass over the arcs.
 *
 * The solver iterates x <- T(x) from x = 0 until
 *   max |x_{t+1} - x_t| <= tol * max(1, max |x_{t+1}|)
 * (a relative max-norm test, reachable in float32 whatever the scale), or
 * stops at max_iter with GRL_NOT_CONVERGED and the last iterate. It refuses
 * (GRL_INVALID_ARGUMENT) a map whose contraction bound, computed by the
 * model, is not < 1.
 *
 * Implicit gradients (Bai, Kolter, Koltun 2019; CGS §4): for h* = γ A h* + b
 * and a loss gradient g = dL/dh*, the adjoint y = γ Aᵀ y + g is solved by
 * the same iteration (grl_fp_solve_adjoint moves the weights into Aᵀ's
 * order once per solve and sums Aᵀ's rows as the forward sums A's), then
 * dL/db = y and dL/dw[p, k] = γ y[i, k] h*[src p, k] (one application of T,
 * i = the arc's target): memory is independent of the iterations taken.
 *
 * Determinism: every output row is summed by one thread in arc order (the
 * adjoint's in the transposed lists' order), and the residual is a max
 * (exact in any order), so 1 and 2 threads give the same bits.
 *
 * Memory: the transposed lists (3 arcs + n int64), the iterate and a spare
 * (2 n d floats), for an adjoint solve the weights in Aᵀ's order (arcs x
 * wc floats, the caller's workspace); the gradient w.r.t. w is arcs x wc
 * floats.
 */
#ifndef GRL_GNN_FIXED_POINT_H
#define GRL_GNN_FIXED_POINT_H

#include "nn.h"

typedef struct {
    int64_t n, arcs;
    const int64_t *ptr; /* n + 1: arcs into i are ptr[i] .. ptr[i+1]-1     */
    const int64_t *src; /* arcs: sources, ascending within a row            */
    int64_t *own;       /* ptr and src when this struct owns them, or NULL  */
    int64_t *out_ptr;   /* n + 1: arcs out of j are out_arc[out_ptr[j] ..]  */
    int64_t *out_arc;   /* arcs: arc ids grouped by source, ascending target */
    int64_t *out_node;  /* arcs: the node arc out_arc[q] enters, so Aᵀ's rows
                           are read in sequence                          */
    int64_t *in_pos;    /* arcs: arc p's place q in the transposed lists
                           (out_arc[in_pos[p]] = p)                       */
} grl_fp_arcs;

/* Borrow ptr and src (n nodes, arcs arcs), check them (monotone pointers,
 * sources in range) and build the transposed lists. *a is overwritten, never
 * read, so it may be uninitialised; release it with grl_fp_arcs_release. */
int grl_fp_arcs_init(grl_fp_arcs *a, int64_t n, int64_t arcs,
                     const int64_t *ptr, const int64_t *src, char *msg);

/* grl_fp_arcs_init, and *a takes ownership of own (the block holding ptr and
 * src, freed by grl_fp_arcs_release, also on failure). */
int grl_fp_arcs_adopt(grl_fp_arcs *a, int64_t n, int64_t arcs, int64_t *own,
                      const int64_t *ptr, const int64_t *src, char *msg);

/* The incoming arcs of G: for an undirected graph its adjacency, for a
 * directed one the arcs j -> i into each i; with symmetrise, the pattern of
 * A + Aᵀ; with self_loops, an arc i -> i for every node (once). *weight
 * (arcs floats, the caller frees) gets the graph's edge weights (1 for a
 * self-loop; max(A, Aᵀ) when symmetrised). */
int grl_fp_arcs_from_graph(grl_fp_arcs *a, float **weight, grl_graph *G,
                           bool symmetrise, bool self_loops, char *msg);
void grl_fp_arcs_release(grl_fp_arcs *a);

/* Y = act(gamma A X + B) (B may be NULL; act ReLU or identity), or with
 * transpose Aᵀ in place of A; X, Y n x d distinct; w arcs x wc, wc 1 or d,
 * in arc order, or with transpose in the transposed lists' order
 * (grl_fp_transpose_weights).
 * Returns max |Y - prev| (0 if prev is NULL; NaN if an entry of Y is not
 * finite) and *ymax = max |Y| (may be NULL). */
double grl_fp_propagate(float *Y, const grl_fp_arcs *A, const float *w,
                        int64_t wc, float gamma, const float *X,
                        const float *B, int64_t d, bool transpose, bool relu,
                        const float *prev, double *ymax);

/* wt[q] = w[out_arc[q]] (rows of wc floats): the weights in Aᵀ's order
 * (wt arcs x wc floats, not overlapping w). With wc a multiple of 16 and wt
 * 64-byte aligned, written in streaming stores (on x86). */
void grl_fp_transpose_weights(float *wt, const grl_fp_arcs *A, const float *w,
                              int64_t wc);

/* One step of a fixed-point map: next = T(x) (count floats each); returns
 * max |next - x| and *xmax = max |next|, as grl_fp_propagate. */
typedef double (*grl_fp_map)(float *next, const float *x, double *xmax,
                             void *ctx);

/* Iterate *x <- T(*x) from the content of *x (the two buffers of count
 * floats are swapped as it goes: read the result from *x). rep gets bound,
 * the relative residual of the last step and the steps taken. Returns 0,
 * GRL_NOT_CONVERGED at opt->max_iter (msg says so; *x is the last iterate),
 * or an error: bound not in [0, 1), invalid options, a NaN or infinity
 * (msg names `what`). */
int grl_fp_iterate(float **x, float **spare, int64_t count, grl_fp_map T,
                   void *ctx, double bound, const char *what,
                   const grl_fixed_point_options *opt,
                   grl_fixed_point_report *rep, char *msg);

/* Check tol and max_iter (tol finite in (0, 1), max_iter in 1..10^7). */
int grl_fp_check_options(const grl_fixed_point_options *opt, char *msg);

/* h = gamma A h + b (transpose: Aᵀ), the linear case of grl_fp_iterate:
 * h and spare n x d, h holds the start (zeros for the paper's x0 = 0: then
 * the first step, T(0) = b, reads no arc, which gives the same bits when
 * the weights are finite, as a grl_fp_norm_bound below 1 of them implies;
 * a non-finite weight then shows in the second step); w arcs x wc in arc
 * order, or with transpose in the transposed lists' order as
 * grl_fp_propagate's (grl_fp_transpose_weights, e.g. kept with the graph;
 * weights in arc order: grl_fp_solve_adjoint). */
int grl_fp_solve_linear(float **h, float **spare, const grl_fp_arcs *A,
                        const float *w, int64_t wc, float gamma,
                        const float *b, int64_t d, bool transpose,
                        double bound, const char *what,
                        const grl_fixed_point_options *opt,
                        grl_fixed_point_report *rep, char *msg);

/* y = gamma Aᵀ y + g as grl_fp_solve_linear with transpose, from the
 * weights w in arc order: grl_fp_transpose_weights moves them into the
 * caller's workspace wt (arcs x wc floats, overwritten, not read: e.g. the
 * weight gradient's buffer, filled after), then the solve pulls along Aᵀ's
 * rows. A block that size allocated per solve must be faulted in every
 * time: 640 MiB (10.5M arcs, 16 heads) took 0.1 to 1.5 CPU seconds on the
 * shared machine, against 0.13 s for moving the weights. */
int grl_fp_solve_adjoint(float **y, float **spare, const grl_fp_arcs *A,
                         const float *w, int64_t wc, float gamma, const float *g,
                         int64_t d, float *wt, double bound, const char *what,
                         const grl_fixed_point_options *opt,
                         grl_fixed_point_report *rep, char *msg);

/* dw += gamma y[i, k] h[src p, k] for every arc p into i: the gradient of
 * <y, gamma A h> w.r.t. the weights (wc = d: per column; wc = 1: summed
 * over the columns in column order). */
void grl_fp_weight_grad(float *dw, const grl_fp_arcs *A, int64_t wc,
                        float gamma, const float *y, const float *h, int64_t d);

/* max over columns k of min(‖A_k‖_1, ‖A_k‖_∞) of |w| (wc columns), times
 * |gamma|: an induced-norm bound on the contraction factor of h -> γ A h. */
double grl_fp_norm_bound(const grl_fp_arcs *A, const float *w, int64_t wc,
                         double gamma);

/* An upper bound on the Perron-Frobenius eigenvalue of |A| (one weight per
 * arc): the Collatz-Wielandt bound max_i (|A| x)_i / x_i of power
 * iterates x > 0, the smallest seen in up to 1000 steps, stopping when it
 * is within 1e-6 (relative) of the matching lower bound. */
int grl_fp_perron_bound(double *lambda, const grl_fp_arcs *A, const float *w,
                        char *msg);

#endif
