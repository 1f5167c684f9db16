/* bench_gnn_tasks.c — the issue-12 task data and the two node regressors:
 * GVI generation (1000 graphs: value iteration included), pore-network
 * generation (100 graphs of 50-200 pores: conjugate gradients included),
 * one MPNN training epoch and one CGS training epoch on the GVI set (3
 * layers, hidden 32, batches of 32 graphs; CGS with 16 heads, gamma 0.5,
 * tolerance 1e-6), each on 1 and on BENCH_THREADS threads in the same run;
 * figures are seconds, arcs per second, the speed-up ratio, CGS's epoch
 * over MPNN's and the fixed-point iterations CGS's solves used.
 * usage: bench_gnn_tasks */
#include <stdio.h>

#include "grl.h"
#include "benchutil.h"

typedef struct {
    int64_t graphs;
    int which; /* 0 gvi, 1 pore, 2 one MPNN epoch on the GVI set, 3 CGS's */
    const grl_graph_set *gvi;
    int64_t arcs; /* out: arcs processed */
    grl_mpnn_train_result r; /* out: 2 and 3 */
} job;

static double run(job *j)
{
    char msg[GRL_MSG_LEN] = "";
    grl_graph_set *S = NULL;
    double t0 = now();
    if (j->which == 0) {
        check(grl_gvi_generate(&S, j->graphs, 1, NULL, msg), "gvi", msg);
    } else if (j->which == 1) {
        check(grl_pore_generate(&S, j->graphs, 1, NULL, msg), "pore", msg);
    } else {
        grl_mpnn_options o;
        grl_mpnn_options_init(&o);
        o.train.epochs = 1;
        o.model = j->which == 3 ? GRL_MPNN_CGS : GRL_MPNN_PLAIN;
        grl_mpnn *M = NULL;
        check(grl_mpnn_train(&M, &j->r, j->gvi, &o, msg), "mpnn", msg);
        grl_mpnn_free(&M);
    }
    double t = now() - t0;
    j->arcs = S ? S->arcs : j->gvi->arcs;
    grl_graph_set_free(S);
    return t;
}

int main(void)
{
    char msg[GRL_MSG_LEN] = "";
    const int quick = bench_quick(), reps = bench_reps(), T = bench_threads();
    grl_graph_set *gvi = NULL;
    const int64_t ngvi = quick ? 100 : 1000, npore = quick ? 10 : 100;
    check(grl_gvi_generate(&gvi, ngvi, 7, NULL, msg), "gvi", msg);
    printf("\n### Graph tasks: generation, the MPNN baseline and CGS (bench_gnn_tasks)\n\n");
    printf("| work | arcs | 1 thread (s) | %d threads (s) | speed-up | arcs/s (1 thread) |\n",
           T);
    printf("|---|---:|---:|---:|---:|---:|\n");
    const char *names[4] = {"GVI generation + value iteration", "pore networks + CG solve",
                            "one MPNN epoch (3 layers, hidden 32)",
                            "one CGS epoch (same encoder, 16 heads)"};
    const int64_t graphs[4] = {ngvi, npore, ngvi, ngvi};
    double epoch[2] = {0, 0};
    grl_mpnn_train_result cgs = {0};
    for (int w = 0; w < 4; w++) {
        double best[2] = {1e300, 1e300};
        job j = {graphs[w], w, gvi, 0, {0}};
        for (int t = 0; t < 2; t++) {
            set_threads(t == 0 ? 1 : T);
            for (int r = 0; r < reps; r++) keep_best(&best[t], run(&j));
        }
        printf("| %s, %lld graphs | %lld | %.3f | %.3f | %.2fx | %.3g |\n", names[w],
               (long long)graphs[w], (long long)j.arcs, best[0], best[1],
               best[0] / best[1], (double)j.arcs / best[0]);
        if (w >= 2) epoch[w - 2] = best[0];
        if (w == 3) cgs = j.r;
    }
    printf("\nCGS epoch / MPNN epoch (1 thread): %.2fx; CGS's %lld training solves took "
           "%.2f forward and %.2f adjoint iterations on average (tolerance 1e-6, %lld at "
           "the cap of 50)\n", epoch[1] / epoch[0], (long long)cgs.solves,
           cgs.forward_iterations, cgs.adjoint_iterations, (long long)cgs.capped);
    grl_graph_set_free(gvi);
    return 0;
}
