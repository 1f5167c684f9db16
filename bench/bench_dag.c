/* bench_dag.c — DAG learning on simulated linear Gaussian SEMs (n = 1000,
 * weights +-[0.5, 2], threshold 0.3), as the acceptance tables ask:
 *   1. (part topo) TOPO for d = 20, 50, 100, 200 on ER2 / ER4 / SF4, seeds
 *      0-4 (d = 20) or 0-2: SHD, TPR, FDR, the learnt W's score next to the
 *      true W's, outer iterations, wall and CPU seconds, seconds per outer
 *      iteration;
 *   2. (part penalised) the notears README configuration (d = 20, s0 = 20,
 *      n = 100), and the logistic loss (binary data of the logistic SEM)
 *      and least squares with l1: TOPO and NOTEARS on the same penalised
 *      objective;
 *   3. (part sachs) Sachs: TOPO (10 restarts) and NOTEARS against the
 *      17-edge consensus graph (853 samples), and on the 7,466 pooled
 *      samples against the 20-edge graph of the NOTEARS paper's experiment
 *      (Tetrad file);
 *   4. (part notears) NOTEARS (lambda1 0.1 as in its README, then the same
 *      refit) beside TOPO on the same data: d = 20 and 50 on ER2 / ER4 /
 *      SF4 seeds 0-2, d = 100 ER4 seeds 0-2, d = 200 ER4 seed 0, each
 *      NOTEARS run capped at --cap CPU seconds (not wall time, which the
 *      machine's load inflates 10-30x; a capped run is reported with its
 *      dual steps and state); then, per d, the first outer
 *      iterations of TOPO from the same random order with the candidate
 *      swaps scored two ways on one thread (the Gram/Cholesky update and a
 *      refit of every affected variable from the raw data with LAPACK dgels,
 *      the cost the Gram formulation removes), and the time per outer
 *      iteration and in total of TOPO, NOTEARS and that raw-refit search on
 *      ER4 seed 0.
 * Wall time on a shared machine is noisy: the CPU seconds of the process
 * are printed too; the score columns are plain least squares (no penalty)
 * of the returned W and of the true W.
 * usage: bench_dag [DATA_DIR] [--quick] [--part topo|penalised|sachs|notears]
 *                  [--dims 50,100] [--cap SECONDS] [--seeds N]
 * (BENCH_QUICK=1 as --quick: d = 20 and 50 in part topo, d = 20 seed 0 in
 * part notears with a 60 s cap; --dims: the d of part notears, default
 * 20,50,100,200; --cap: default 600; --seeds N: at most seeds 0..N-1 in
 * part notears) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "grl.h"
#include "benchutil.h"
#include "../optim/dag_internal.h"

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct {
    grl_dag_data *D;
    double *W; /* truth */
    int64_t d;
} problem;

static problem make_noise(int64_t d, int64_t edges, int64_t n, grl_dag_graph graph,
                          grl_dag_noise noise, uint64_t seed)
{
    char msg[GRL_MSG_LEN];
    problem p = {NULL, malloc(sizeof(double) * d * d), d};
    double *X = malloc(sizeof(double) * n * d);
    grl_dag_simulate_options so;
    grl_dag_simulate_options_init(&so);
    so.graph = graph;
    so.noise = noise;
    so.seed = seed;
    check(grl_dag_simulate(p.W, X, d, edges, n, &so, msg), "simulate", msg);
    check(grl_dag_data_from_array(&p.D, X, n, d, msg), "data", msg);
    free(X);
    return p;
}

static problem make(int64_t d, int64_t edges, int64_t n, grl_dag_graph graph,
                    uint64_t seed)
{
    return make_noise(d, edges, n, graph, GRL_DAG_NOISE_GAUSS, seed);
}

static void release(problem *p)
{
    grl_dag_data_free(&p->D);
    free(p->W);
}

/* What a row measured. */
typedef struct {
    int64_t iterations;
    double wall, cpu;
} run;

/* Learn (NOTEARS stopped after cap CPU seconds), evaluate and print one
 * table row. */
static run row(const char *method, const char *graph, problem *p, uint64_t seed,
               const grl_dag_options *o, double cap)
{
    char msg[GRL_MSG_LEN];
    double *W = malloc(sizeof(double) * p->d * p->d);
    grl_dag_info info;
    double t0 = now(), c0 = cpu_now();
    int rc = grl_dag_learn_limited(W, NULL, p->D, o, cap, &info, msg);
    double wall = now() - t0, cpu = cpu_now() - c0;
    check(rc, method, msg);
    grl_dag_metrics m;
    check(grl_dag_metrics_compute(&m, W, p->W, p->d, 0.3, msg), "metrics", msg);
    double score, truth; /* the loss without penalty */
    grl_dag_options plain;
    grl_dag_options_init(&plain);
    plain.loss = o->loss;
    check(grl_dag_score(&score, p->D, W, &plain, msg), "score", msg);
    check(grl_dag_score(&truth, p->D, p->W, &plain, msg), "score", msg);
    printf("| %-7s | %3lld | %-4s | %4llu | %3lld | %.3f | %.3f | %9.4f | %9.4f | %9.4f | %5lld | %8.2f | %8.2f | %8.4f |\n",
           method, (long long)p->d, graph, (unsigned long long)seed, (long long)m.shd,
           m.tpr, m.fdr, score, truth, info.search_score, (long long)info.iterations,
           wall, cpu, info.iterations ? wall / (double)info.iterations : 0.0);
    fflush(stdout);
    free(W);
    return (run){info.iterations, wall, cpu};
}

/* NOTEARS (capped at cap CPU seconds) and TOPO on the same data, seeds
 * first..last; runs[0], runs[1]: NOTEARS' and TOPO's on seed first. */
static void side_by_side(int64_t d, int64_t edges, int64_t n, grl_dag_graph g,
                         grl_dag_noise noise, uint64_t first, uint64_t last,
                         const char *graph, const grl_dag_options *notears,
                         grl_dag_options *topo, double cap, run *runs)
{
    for (uint64_t seed = first; seed <= last; seed++) {
        problem p = make_noise(d, edges, n, g, noise, seed);
        topo->seed = seed;
        run a = row("notears", graph, &p, seed, notears, cap);
        run b = row("topo", graph, &p, seed, topo, INFINITY);
        if (runs && seed == first) runs[0] = a, runs[1] = b;
        release(&p);
    }
}

static void header(void)
{
    printf("| method  |   d | graph| seed | SHD |  TPR  |  FDR  | loss(W)   | loss(B)   | objective | iters |  wall s  |  CPU s   | s / iter |\n");
    printf("|---------|-----|------|------|-----|-------|-------|-----------|-----------|-----------|-------|----------|----------|----------|\n");
}

/* Scoring the candidate swaps of the first outer iterations from the same
 * random order, one thread: the Gram update against the naive refit of
 * every affected variable from the raw data (the time spent scoring only,
 * set-up excluded); both must reach the same order. */
static double gram_vs_naive(int64_t d, int64_t iters)
{
    char msg[GRL_MSG_LEN];
    problem p = make(d, 4 * d, 1000, GRL_DAG_GRAPH_ER, 0);
    grl_dag_options o;
    grl_dag_options_init(&o);
    o.max_iter = iters;
    o.full_search = false;
    double *W = malloc(sizeof(double) * d * d);
    int64_t *order[2] = {malloc(sizeof(int64_t) * d), malloc(sizeof(int64_t) * d)};
    grl_dag_topo_stats st[2];
    check(grl_threads_set(1, msg), "threads", msg);
    for (int naive = 0; naive < 2; naive++)
        check(grl_dag_topo(W, order[naive], p.D, &o, NULL, naive, &st[naive], msg), "topo", msg);
    check(grl_threads_set(2, msg), "threads", msg);
    double per[2] = {st[0].scoring_seconds / (double)st[0].candidates,
                     st[1].scoring_seconds / (double)st[1].candidates};
    printf("| %3lld | %5lld | %6lld | %10.6f | %10.6f | %12.2f | %12.2f | %8.0fx | %s |\n",
           (long long)d, (long long)st[0].iterations, (long long)st[0].candidates,
           st[0].scoring_seconds / (double)st[0].iterations,
           st[1].scoring_seconds / (double)st[1].iterations, 1e6 * per[0], 1e6 * per[1],
           per[1] / per[0],
           memcmp(order[0], order[1], sizeof(int64_t) * d) == 0 ? "same" : "differs");
    fflush(stdout);
    free(W);
    free(order[0]);
    free(order[1]);
    release(&p);
    return st[1].scoring_seconds / (double)st[1].iterations;
}

/* The edges "k. a --> b" of a Tetrad graph file into B (d x d 0/1) over
 * the variables of D (names compared case-insensitively). */
static void tetrad_graph(double *B, const char *path, const grl_dag_data *D)
{
    const int64_t d = D->d;
    FILE *f = fopen(path, "r");
    if (f == NULL) check(GRL_IO_ERROR, "tetrad graph", path);
    memset(B, 0, sizeof(double) * d * d);
    char line[256], from[64], to[64];
    while (fgets(line, sizeof line, f)) {
        int k;
        if (sscanf(line, "%d. %63s --> %63s", &k, from, to) != 3) continue;
        int64_t i = -1, j = -1;
        for (int64_t v = 0; v < d; v++) {
            if (strcasecmp(D->names[v], from) == 0) i = v;
            if (strcasecmp(D->names[v], to) == 0) j = v;
        }
        if (i < 0 || j < 0) check(GRL_PARSE_ERROR, "tetrad graph: unknown variable", line);
        B[i * d + j] = 1;
    }
    fclose(f);
}

/* TOPO and NOTEARS, raw and standardised columns, with and without the
 * refit, against the truth B. */
static void sachs_table(const grl_dag_data *D, const double *B)
{
    char msg[GRL_MSG_LEN];
    const int64_t d = D->d;
    printf("| method                      | SHD | TPR   | FDR   | nnz | wall s |\n");
    printf("|-----------------------------|-----|-------|-------|-----|--------|\n");
    struct { const char *name; grl_dag_method m; bool refit, std; double l1; int64_t r; } runs[6] = {
        {"topo (10 runs)", GRL_DAG_METHOD_TOPO, true, false, 0, 10},
        {"topo (10 runs), std", GRL_DAG_METHOD_TOPO, true, true, 0, 10},
        {"notears l1 0.1", GRL_DAG_METHOD_NOTEARS, true, false, 0.1, 1},
        {"notears l1 0.1, std", GRL_DAG_METHOD_NOTEARS, true, true, 0.1, 1},
        {"topo (10 runs), no refit", GRL_DAG_METHOD_TOPO, false, false, 0, 10},
        {"notears l1 0.1, no refit", GRL_DAG_METHOD_NOTEARS, false, false, 0.1, 1}};
    double *W = malloc(sizeof(double) * d * d);
    for (int r = 0; r < 6; r++) {
        grl_dag_options o;
        grl_dag_options_init(&o);
        o.method = runs[r].m;
        o.refit = runs[r].refit;
        o.standardize = runs[r].std;
        o.lambda1 = runs[r].l1;
        o.restarts = runs[r].r;
        double t0 = now();
        grl_dag_metrics m;
        int rc = grl_dag_learn(W, NULL, D, &o, NULL, msg);
        double wall = now() - t0;
        if (rc < 0) {
            printf("| %-27s | %s |\n", runs[r].name, msg);
            continue;
        }
        check(grl_dag_metrics_compute(&m, W, B, d, 0.3, msg), "metrics", msg);
        printf("| %-27s | %3lld | %.3f | %.3f | %3lld | %6.2f |%s\n", runs[r].name,
               (long long)m.shd, m.tpr, m.fdr, (long long)m.nnz, wall,
               rc > 0 ? " (h above h_tol: a warning)" : "");
        fflush(stdout);
    }
    free(W);
}

/* The Sachs tables: D the 853 observational samples; data the folder. */
static void sachs_tables(const grl_dag_data *D, const char *data)
{
    char msg[GRL_MSG_LEN], path[1024];
    grl_dag_data *B = NULL, *P = NULL;
    snprintf(path, sizeof path, "%s/sachs/sachs.csv", data);
    check(grl_dag_data_load(&B, path, msg), "sachs truth", msg);
    sachs_table(D, B->X);
    printf("\n== Sachs, the NOTEARS paper's data: 7,466 pooled samples, 20-edge graph\n");
    snprintf(path, sizeof path, "%s/sachs/sachs.2005.continuous.txt", data);
    check(grl_dag_data_load(&P, path, msg), "sachs pooled", msg);
    snprintf(path, sizeof path, "%s/sachs/sachs.2005.ground.truth.graph.txt", data);
    double truth20[121];
    tetrad_graph(truth20, path, P);
    sachs_table(P, truth20);
    grl_dag_data_free(&B);
    grl_dag_data_free(&P);
}

/* The graph families of the tables: edges = k d. */
static const struct { const char *name; int k; grl_dag_graph g; } graphs[3] = {
    {"ER2", 2, GRL_DAG_GRAPH_ER}, {"ER4", 4, GRL_DAG_GRAPH_ER}, {"SF4", 4, GRL_DAG_GRAPH_SF}};

/* Part notears for one d: the side-by-side rows (d 20 / 50: ER2, ER4,
 * SF4 seeds 0-2; d 100: ER4 seeds 0-2; d 200: ER4 seed 0; quick: ER4 seed
 * 0), the scoring comparison, and the timing summary of ER4 seed 0 into
 * line (printed with the others at the end). */
static void notears_part(int64_t d, bool quick, double cap, int64_t seeds,
                         const grl_dag_options *notears, grl_dag_options *topo, char *line,
                         size_t size)
{
    printf("\n== NOTEARS (lambda1 0.1, then the same refit; cap %.0f CPU s) beside TOPO, "
           "n = 1000, d = %lld\n", cap, (long long)d);
    header();
    run er4[2] = {{0}};
    for (int gi = 0; gi < 3; gi++) {
        if ((d > 50 || quick) && gi != 1) continue;
        uint64_t last = quick || d > 100 ? 0 : 2;
        if (seeds > 0 && (uint64_t)seeds - 1 < last) last = (uint64_t)seeds - 1;
        side_by_side(d, graphs[gi].k * d, 1000, graphs[gi].g, GRL_DAG_NOISE_GAUSS, 0,
                     last, graphs[gi].name, notears, topo, cap, gi == 1 ? er4 : NULL);
    }
    printf("\n== scoring candidate swaps, first outer iterations from the same order "
           "(ER4 seed 0), 1 thread: Gram update vs refit from the raw data\n");
    printf("|   d | iters | cands  | Gram s/iter | raw s/iter | Gram us/cand | raw us/cand | ratio | order |\n");
    printf("|-----|-------|--------|-------------|------------|--------------|-------------|-------|-------|\n");
    double raw = gram_vs_naive(d, d <= 50 ? 5 : d <= 100 ? 2 : 1);
    const run *nt = &er4[0], *tp = &er4[1];
    snprintf(line, size, "| %3lld | %5lld | %8.3f | %9.3f | %5lld | %9.1f | %9.2f | %10.3f | "
             "%10.0f | %8.0fx | %8.0fx |\n", (long long)d, (long long)tp->iterations, tp->cpu,
             1e3 * tp->cpu / (double)tp->iterations, (long long)nt->iterations, nt->cpu,
             nt->iterations ? nt->cpu / (double)nt->iterations : NAN, raw,
             raw * (double)tp->iterations, nt->cpu / tp->cpu,
             raw * (double)tp->iterations / tp->cpu);
    printf("timing: %s", line); /* now, in case the run is stopped later */
    fflush(stdout);
}

int main(int argc, char **argv)
{
    char msg[GRL_MSG_LEN];
    const char *data = "../shared/data", *part = NULL, *dims_arg = NULL;
    const char *quick_env = getenv("BENCH_QUICK"); /* bench/run.sh's switch */
    bool quick = quick_env && strcmp(quick_env, "1") == 0;
    double cap = -1;
    int64_t seeds = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--quick") == 0) quick = true;
        else if (strcmp(argv[a], "--part") == 0 && a + 1 < argc) part = argv[++a];
        else if (strcmp(argv[a], "--dims") == 0 && a + 1 < argc) dims_arg = argv[++a];
        else if (strcmp(argv[a], "--cap") == 0 && a + 1 < argc) cap = atof(argv[++a]);
        else if (strcmp(argv[a], "--seeds") == 0 && a + 1 < argc) seeds = atoll(argv[++a]);
        else if (argv[a][0] != '-') data = argv[a];
        else {
            fprintf(stderr, "usage: bench_dag [DATA_DIR] [--quick] [--part topo|penalised|"
                    "sachs|notears] [--dims 20,50,100,200] [--cap SECONDS] [--seeds N]\n");
            return 2;
        }
    }
    if (!(cap > 0)) cap = quick ? 60 : 600;
    check(grl_init(msg), "init", msg);
    grl_dag_options topo, notears;
    grl_dag_options_init(&topo);
    grl_dag_options_init(&notears);
    notears.method = GRL_DAG_METHOD_NOTEARS;
    notears.lambda1 = 0.1;
    const int64_t dims[4] = {20, 50, 100, 200};

    if (part == NULL || strcmp(part, "topo") == 0) {
        printf("== TOPO (n = 1000, random start, 1 run, refit on the kept parents)\n");
        header();
        for (int di = 0; di < (quick ? 2 : 4); di++)
            for (int gi = 0; gi < 3; gi++)
                for (uint64_t seed = 0; seed < (dims[di] == 20 ? 5u : 3u); seed++) {
                    problem p = make(dims[di], graphs[gi].k * dims[di], 1000, graphs[gi].g, seed);
                    topo.seed = seed;
                    row("topo", graphs[gi].name, &p, seed, &topo, INFINITY);
                    release(&p);
                }
    }

    if (part == NULL || strcmp(part, "penalised") == 0) {
        printf("\n== the notears README configuration (ER, d 20, s0 20, n 100, lambda1 0.1, "
               "threshold 0.3, no refit), seeds 1-3\n");
        header();
        grl_dag_options readme = notears;
        readme.refit = false;
        side_by_side(20, 20, 100, GRL_DAG_GRAPH_ER, GRL_DAG_NOISE_GAUSS, 1, 3, "ER1",
                     &readme, &topo, cap, NULL);

        printf("\n== penalised objectives, TOPO and NOTEARS on the same one (objective = "
               "loss + l1 of the unthresholded estimate), no refit\n");
        header();
        grl_dag_options pen_topo = topo, pen_notears = notears;
        pen_topo.refit = pen_notears.refit = false;
        pen_topo.lambda1 = pen_notears.lambda1 = 0.1;
        side_by_side(20, 40, 1000, GRL_DAG_GRAPH_ER, GRL_DAG_NOISE_GAUSS, 0, 2, "ER2 l1",
                     &pen_notears, &pen_topo, cap, NULL);
        pen_topo.loss = pen_notears.loss = GRL_DAG_LOSS_LOGISTIC;
        pen_topo.lambda1 = pen_notears.lambda1 = 0.01;
        side_by_side(10, 20, 5000, GRL_DAG_GRAPH_ER, GRL_DAG_NOISE_LOGISTIC, 0, 2, "ER2 bin",
                     &pen_notears, &pen_topo, cap, NULL);
    }

    if (part == NULL || strcmp(part, "sachs") == 0) {
        printf("\n== Sachs (853 samples, 17-edge consensus graph)\n");
        char path[1024];
        grl_dag_data *D = NULL;
        snprintf(path, sizeof path, "%s/sachs/1_cd3cd28_n854.csv", data);
        if (grl_dag_data_load(&D, path, msg) < 0) /* the other tables stand */
            printf("skipped: %s (pass the data folder: DATA=... bench/run.sh)\n", msg);
        else
            sachs_tables(D, data);
        grl_dag_data_free(&D);
    }

    if (part == NULL || strcmp(part, "notears") == 0) {
        char lines[4][256];
        int nlines = 0;
        for (const char *s = dims_arg ? dims_arg : (quick ? "20" : "20,50,100,200");
             *s && nlines < 4; s = strchr(s, ',') ? strchr(s, ',') + 1 : "") {
            int64_t d = atoll(s);
            if (d < 2 || d > 2000) {
                fprintf(stderr, "bench_dag: --dims takes values 2..2000, got '%s'\n", s);
                return 2;
            }
            notears_part(d, quick, cap, seeds, &notears, &topo, lines[nlines++],
                         sizeof lines[0]);
        }
        printf("\n== time per outer iteration and in total, ER4 seed 0 (n = 1000): TOPO and "
               "NOTEARS (CPU s of the process), and TOPO's search with every candidate "
               "refitted from the raw data (scoring wall s per outer iteration, measured "
               "above, x TOPO's iterations)\n");
        printf("|   d | TOPO iters | TOPO CPU s | CPU ms/iter | NOTEARS dual steps | NOTEARS CPU s | "
               "CPU s/step | raw s/iter | raw total s | NOTEARS/TOPO | raw/TOPO |\n");
        printf("|-----|------------|------------|-------------|--------------------|---------------|"
               "------------|------------|-------------|--------------|----------|\n");
        for (int k = 0; k < nlines; k++) printf("%s", lines[k]);
    }
    grl_finalize(msg);
    return 0;
}
