/* bench_fixed_point.c — the fixed-point solver the convergent GNNs share
 * (gnn/fixed_point.c), on a generated graph of n = 2^20 nodes with 10
 * random in-arcs each (10.5M arcs) and m = 16 heads, CGS's weights
 * clip(U(0, 1.2), 0, 1) / outdeg(source) per arc and head:
 *  - one forward solve h = γ A h + b and one implicit backward (the adjoint
 *    y = γ Aᵀ y + g and the per-arc weight gradient) for γ = 0.3, 0.5, 0.7,
 *    0.9, both from 0 as the models solve: iterations to the tolerance 1e-6
 *    (relative max norm) and seconds per iteration as a ratio to one raw
 *    sparse x dense product of the same shape, GraphBLAS's PLUS_TIMES (n x
 *    n, 10.5M FP32 values) times n x 16 into a pre-filled full result (its
 *    fastest form here, DESIGN.md), each the best of BENCH_REPS, one raw
 *    product just before each solve (raw_product; the adjoint's
 *    time includes moving its weights into Aᵀ's order, in the weight
 *    gradient's buffer as CGS's), wall and (RATIO lines) CPU time;
 *  - the peak memory of the solve (beyond the graph and the weights).
 * Every array, the product's included, comes from grl's allocator as the
 * models' buffers do (2 MiB-aligned blocks in transparent huge pages).
 * usage: bench_fixed_point [DATA_DIR] (the data is not used) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../gnn/fixed_point.h"
#include "benchutil.h"

#define HEADS 16
#define IN_ARCS 10

typedef struct {
    int64_t n, arcs;
    int64_t *ptr, *src;
    float *w, *b, *g;
    grl_fp_arcs A;
} problem;

/* Wall and CPU (all threads) seconds. */
typedef struct {
    double wall, cpu;
} seconds;

static seconds clocks(void)
{
    struct timespec c;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    return (seconds){now(), (double)c.tv_sec + 1e-9 * (double)c.tv_nsec};
}

static seconds since(seconds t0)
{
    seconds t = clocks();
    return (seconds){t.wall - t0.wall, t.cpu - t0.cpu};
}

static void make_problem(problem *p, int64_t n)
{
    char msg[GRL_MSG_LEN] = "";
    p->n = n;
    p->arcs = n * IN_ARCS;
    p->ptr = grl_malloc(sizeof(int64_t) * (n + 1));
    p->src = grl_malloc(sizeof(int64_t) * p->arcs);
    p->w = grl_malloc(sizeof(float) * p->arcs * HEADS);
    p->b = grl_malloc(sizeof(float) * n * HEADS);
    p->g = grl_malloc(sizeof(float) * n * HEADS);
    if (!p->ptr || !p->src || !p->w || !p->b || !p->g) check(-1, "malloc", "out of memory");
    for (int64_t i = 0; i <= n; i++) p->ptr[i] = i * IN_ARCS;
    for (int64_t i = 0; i < n; i++) { /* sources of node i, ascending */
        grl_rng rng;
        grl_rng_init(&rng, 7, (uint64_t)i);
        int64_t *s = p->src + i * IN_ARCS;
        for (int k = 0; k < IN_ARCS; k++) {
            int64_t v = (int64_t)grl_rng_below(&rng, (uint64_t)n), j = k;
            for (; j > 0 && s[j - 1] > v; j--) s[j] = s[j - 1];
            s[j] = v;
        }
    }
    check(grl_fp_arcs_init(&p->A, n, p->arcs, p->ptr, p->src, msg), "arcs", msg);
    for (int64_t q = 0; q < p->arcs; q++) {
        int64_t j = p->src[q];
        double out = (double)(p->A.out_ptr[j + 1] - p->A.out_ptr[j]);
        grl_rng rng;
        grl_rng_init(&rng, 8, (uint64_t)q);
        for (int k = 0; k < HEADS; k++) {
            double s = 1.2 * grl_rng_uniform(&rng);
            p->w[q * HEADS + k] = (float)((s > 1 ? 1 : s) / out);
        }
    }
    grl_rng rng;
    grl_rng_init(&rng, 9, 0);
    for (int64_t e = 0; e < n * HEADS; e++) {
        p->b[e] = (float)(2 * grl_rng_uniform(&rng) - 1);
        p->g[e] = (float)(2 * grl_rng_uniform(&rng) - 1);
    }
}

static void free_problem(problem *p)
{
    grl_fp_arcs_release(&p->A);
    free(p->ptr);
    free(p->src);
    free(p->w);
    free(p->b);
    free(p->g);
}

/* The raw product's operands: A (head 0's weights), X (n x 16 of real
 * values) and a full C it accumulates into. */
typedef struct {
    GrB_Matrix A, X, C;
} raw_operands;

static void raw_init(raw_operands *r, const problem *p)
{
    char msg[GRL_MSG_LEN] = "";
    const GrB_Index n = (GrB_Index)p->n;
    GrB_Index *ap = grl_malloc(sizeof(GrB_Index) * (n + 1));
    GrB_Index *aj = grl_malloc(sizeof(GrB_Index) * p->arcs);
    float *ax = grl_malloc(sizeof(float) * p->arcs), *x = grl_malloc(sizeof(float) * n * HEADS);
    if (!ap || !aj || !ax || !x) check(-1, "raw product", "out of memory");
    for (GrB_Index i = 0; i <= n; i++) ap[i] = (GrB_Index)p->ptr[i];
    for (int64_t q = 0; q < p->arcs; q++) {
        aj[q] = (GrB_Index)p->src[q];
        ax[q] = p->w[q * HEADS];
    }
    memcpy(x, p->b, sizeof(float) * n * HEADS);
    check(GrB_Matrix_new(&r->A, GrB_FP32, n, n), "A", msg);
    check(GxB_Matrix_pack_CSR(r->A, &ap, &aj, (void **)&ax, sizeof(GrB_Index) * (n + 1),
                              sizeof(GrB_Index) * p->arcs, sizeof(float) * p->arcs,
                              false, false, NULL), "pack A", msg);
    check(GrB_Matrix_new(&r->X, GrB_FP32, n, HEADS), "X", msg);
    check(GxB_Matrix_pack_FullR(r->X, (void **)&x, sizeof(float) * n * HEADS, false, NULL),
          "pack X", msg);
    check(GrB_Matrix_new(&r->C, GrB_FP32, n, HEADS), "C", msg);
    check(GrB_Matrix_assign_FP32(r->C, NULL, NULL, 0.0f, GrB_ALL, n, GrB_ALL, HEADS, NULL),
          "C", msg);
    GrB_Matrix_wait(r->C, GrB_MATERIALIZE);
}

static void raw_free(raw_operands *r)
{
    GrB_free(&r->A);
    GrB_free(&r->X);
    GrB_free(&r->C);
}

/* One GraphBLAS product C += A X, kept in *best if faster (by wall time).
 * Each repetition of a solve times one just before it, so the ratio is the
 * best of reps over the best of reps, side by side in time (benchutil.h's
 * rule: the same count for every contender). The raw product's own time
 * moves a lot on this shared machine, within a run and across runs (idle,
 * 2 threads: 0.049-0.106 s), so a denominator timed apart from the solves,
 * or the best of more samples than the solves get, measures the machine's
 * luck rather than grl. *range keeps the run's fastest and slowest. */
static void raw_product(raw_operands *r, seconds *best, double range[2])
{
    char msg[GRL_MSG_LEN] = "";
    seconds t0 = clocks();
    check(GrB_mxm(r->C, NULL, GrB_PLUS_FP32, GrB_PLUS_TIMES_SEMIRING_FP32, r->A, r->X,
                  NULL), "mxm", msg);
    GrB_Matrix_wait(r->C, GrB_MATERIALIZE);
    seconds t = since(t0);
    if (t.wall < best->wall) *best = t;
    range[0] = t.wall < range[0] ? t.wall : range[0];
    range[1] = t.wall > range[1] ? t.wall : range[1];
}

typedef struct {
    int64_t fwd_iter, bwd_iter;
    seconds fwd, bwd, grad; /* whole solves and the weight gradient */
    seconds raw;            /* the best raw product beside them */
    double total, peak;
} solve_timing;

/* One forward solve from 0, its adjoint from 0 and the weight gradient at
 * γ, as CGS's training step: its buffers allocated once (the models keep
 * theirs across steps), the adjoint moving its weights into the weight
 * gradient's buffer, zeroed and filled after. The best of reps by total
 * wall time, each repetition after one raw product (raw_product), which is
 * left out of the peak's span (its workspace is not the solve's): the peak
 * is the largest over the repetitions' spans. */
static solve_timing solve(const problem *p, double gamma, int reps, raw_operands *ops,
                          double range[2])
{
    char msg[GRL_MSG_LEN] = "";
    const size_t nm = (size_t)p->n * HEADS, am = (size_t)p->arcs * HEADS;
    solve_timing best = {0};
    best.total = INFINITY;
    seconds raw = {INFINITY, INFINITY};
    double base = status_mib("VmRSS:"), peak = 0;
    float *h = grl_malloc(sizeof(float) * nm), *y = grl_malloc(sizeof(float) * nm);
    float *spare = grl_malloc(sizeof(float) * nm), *dw = grl_malloc(sizeof(float) * am);
    if (!h || !y || !spare || !dw) check(-1, "solve", "out of memory");
    memset(spare, 0, sizeof(float) * nm); /* faulted in before any timing */
    memset(dw, 0, sizeof(float) * am);
    for (int r = 0; r < reps; r++) {
        grl_fixed_point_options o;
        grl_fixed_point_options_init(&o);
        o.max_iter = 1000;
        grl_fixed_point_report fr, br;
        double bound = grl_fp_norm_bound(&p->A, p->w, HEADS, gamma);
        memset(h, 0, sizeof(float) * nm);
        raw_product(ops, &raw, range);
        peak_reset();
        seconds t0 = clocks();
        check(grl_fp_solve_linear(&h, &spare, &p->A, p->w, HEADS, (float)gamma, p->b,
                                  HEADS, false, bound, "forward", &o, &fr, msg),
              "forward", msg);
        seconds fwd = since(t0);
        memset(y, 0, sizeof(float) * nm);
        seconds t1 = clocks();
        check(grl_fp_solve_adjoint(&y, &spare, &p->A, p->w, HEADS, (float)gamma, p->g,
                                   HEADS, dw, bound, "adjoint", &o, &br, msg),
              "adjoint", msg);
        seconds bwd = since(t1), t2 = clocks();
        memset(dw, 0, sizeof(float) * am);
        grl_fp_weight_grad(dw, &p->A, HEADS, (float)gamma, y, h, HEADS);
        seconds grad = since(t2);
        double used = peak_mib() - base;
        peak = used > peak ? used : peak;
        solve_timing s = {fr.iterations, br.iterations, fwd, bwd, grad, {0, 0},
                          fwd.wall + bwd.wall + grad.wall, 0};
        if (s.total < best.total) best = s;
    }
    best.raw = raw;
    best.peak = peak;
    free(h);
    free(y);
    free(spare);
    free(dw);
    return best;
}

/* The largest of a solve's per-iteration time over the raw product's,
 * across the gammas: wall [0] and CPU [1]. */
static void worst_ratio(double worst[2], seconds solve, int64_t iterations, seconds raw)
{
    double wall = solve.wall / (double)iterations / raw.wall;
    double cpu = solve.cpu / (double)iterations / raw.cpu;
    worst[0] = wall > worst[0] ? wall : worst[0];
    worst[1] = cpu > worst[1] ? cpu : worst[1];
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char msg[GRL_MSG_LEN] = "";
    check(grl_init(msg), "init", msg);
    const int64_t n = bench_quick() ? (1 << 16) : (1 << 20);
    const int reps = bench_reps();
    problem p;
    make_problem(&p, n);
    printf("### Fixed-point solver (gnn/fixed_point.c: CGS, IGNN and APPNP's)\n\n");
    printf("Generated graph: n = %lld nodes, %lld arcs (10 random in-arcs per node), "
           "m = %d heads with their own weights clip(U(0, 1.2), 0, 1) / outdeg; "
           "tolerance 1e-6 (relative max norm). Per-iteration seconds as a ratio to "
           "one GraphBLAS product A X (X n x %d, FP32, into a full result), both the best "
           "of %d, each solve just after one raw product, at that thread count and gamma; "
           "both solves from 0 as the models' (the first step, T(0) = b, reads "
           "no arc), the adjoint's time including moving its weights into "
           "Aᵀ's order; weight gradient: zeroing and filling the arcs x m gradient, "
           "over one raw product; peak: memory of the solve beyond the graph and "
           "weights (forward and adjoint iterates, spare, the arcs x m weight "
           "gradient, whose buffer holds the adjoint's transposed weights first).\n\n",
           (long long)n, (long long)p.arcs, HEADS, HEADS, reps);
    printf("| threads | raw A X (s) | gamma | forward iterations | forward / iteration "
           "| adjoint iterations | adjoint / iteration | weight gradient | forward + "
           "backward (s) | peak (MiB) |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|\n");
    const double gammas[] = {0.3, 0.5, 0.7, 0.9};
    int counts[2] = {1, bench_threads()};
    double worst[2][2][2] = {{{0}}}; /* [threads][forward, adjoint][wall, CPU] */
    double range[2][2] = {{INFINITY, 0}, {INFINITY, 0}}; /* [threads][min, max] */
    raw_operands ops;
    raw_init(&ops, &p);
    for (int t = 0; t < 2; t++) {
        set_threads(counts[t]);
        seconds warm = {INFINITY, INFINITY};
        double ignored[2] = {INFINITY, 0};
        raw_product(&ops, &warm, ignored); /* the first product is slow */
        solve_timing s[4];
        for (int k = 0; k < 4; k++) s[k] = solve(&p, gammas[k], reps, &ops, range[t]);
        for (int k = 0; k < 4; k++) {
            const double raw = s[k].raw.wall;
            printf("| %d | %.3f | %.1f | %lld | %.2fx | %lld | %.2fx | %.2fx | %.2f | %.0f |\n",
                   counts[t], raw, gammas[k], (long long)s[k].fwd_iter,
                   s[k].fwd.wall / s[k].fwd_iter / raw, (long long)s[k].bwd_iter,
                   s[k].bwd.wall / s[k].bwd_iter / raw, s[k].grad.wall / raw,
                   s[k].total, s[k].peak);
            worst_ratio(worst[t][0], s[k].fwd, s[k].fwd_iter, s[k].raw);
            worst_ratio(worst[t][1], s[k].bwd, s[k].bwd_iter, s[k].raw);
        }
    }
    raw_free(&ops);
    printf("\nThe raw products of the run took %.3f-%.3f s on 1 thread, %.3f-%.3f s on %d.\n",
           range[0][0], range[0][1], range[1][0], range[1][1], counts[1]);
    printf("\nPer iteration over the raw product, the worst gamma (wall, CPU):\n\n");
    const char *what[2] = {"forward", "adjoint"};
    for (int f = 0; f < 2; f++)
        printf("    RATIO %s / raw product  1 thread %.2fx %.2fx  %d threads %.2fx %.2fx"
               "  (target <= 1.5x)\n", what[f], worst[0][f][0], worst[0][f][1],
               counts[1], worst[1][f][0], worst[1][f][1]);
    free_problem(&p);
    return 0;
}
