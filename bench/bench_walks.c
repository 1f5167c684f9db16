/* bench_walks.c — random-walk throughput and personalized PageRank cost and
 * accuracy, every figure measured in this run, grl on 1 and N threads,
 * igraph on 1:
 *   - walk steps/s (uniform, node2vec, SRRW) on a generated G(n=1M, m=10M)
 *     (quick: G(100k, 1M)), best of the same number of runs;
 *   - on the same graph, exact / powerpush / push / fora / speedppr beside
 *     igraph's PRPACK
 *     personalized PageRank: single-source top-100 latency (median and p99
 *     over the same sources for every contender), batch throughput (top-200,
 *     one batch call on N threads), and the accuracy of each against exact
 *     power iteration on the first batch sources;
 *   - the index methods (mc, powerwalk; R = 100 walks per node) on the real
 *     BlogCatalog graph (n = 10,312, 667,966 arcs), where an R = 100 index is
 *     ~9 MB (at 1M nodes it would be ~10 GB), with the same columns, and the
 *     index's build time and size.
 * usage: bench_walks [DATA_DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grl.h"
#include "benchutil.h"
#include "pprbench.h"
#include "grl/igraph_bridge.h"
#include "grl/walks.h"

/* Seconds of grl_walker_run alone for nwalks walks, into a reused (already
 * touched) buffer, as `grl walk` runs: blocks of 65,536 walks; *steps the
 * steps taken, *cpu the process's CPU seconds meanwhile. */
static double walk_time(grl_graph *G, const grl_walk_options *o, int64_t nwalks,
                        int64_t *steps, double *cpu)
{
    char msg[GRL_MSG_LEN] = "";
    const int64_t block = 65536;
    grl_walker *W = NULL;
    int64_t *out = malloc(sizeof(int64_t) * block * o->length);
    memset(out, 0xff, sizeof(int64_t) * block * o->length);
    check(grl_walker_new(&W, G, o, msg), "walker", msg);
    double t = 0;
    *steps = 0;
    *cpu = 0;
    for (int64_t first = 0; first < nwalks; first += block) {
        int64_t c = nwalks - first < block ? nwalks - first : block;
        struct timespec c0, c1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        double t0 = now();
        check(grl_walker_run(W, NULL, 0, first, c, out, msg), "walks", msg);
        t += now() - t0;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        *cpu += (c1.tv_sec - c0.tv_sec) + 1e-9 * (c1.tv_nsec - c0.tv_nsec);
        for (int64_t i = 0; i < c * o->length; i++) *steps += out[i] >= 0;
        *steps -= c;
    }
    grl_walker_free(&W);
    free(out);
    return t;
}

/* The walk table: each kind on 1 and T threads, the kinds interleaved in
 * each of reps rounds (so a change in the machine's load hits them alike),
 * best of reps; M steps/s of wall time, the 1-thread figure also of CPU
 * time, and the 1-thread ratio to the first kind (uniform). */
enum { WALK_KINDS = 3 };
static void walk_table(grl_graph *G, const char *const *name,
                       const grl_walk_options *o, const int64_t *nwalks,
                       int reps, int T)
{
    double best[WALK_KINDS][2], cpu1[WALK_KINDS];
    int64_t steps[WALK_KINDS];
    for (int k = 0; k < WALK_KINDS; k++) best[k][0] = best[k][1] = 1e30;
    for (int r = 0; r < reps; r++)
        for (int k = 0; k < WALK_KINDS; k++)
            for (int t = 0; t < 2; t++) {
                double cpu;
                set_threads(t ? T : 1);
                double wall = walk_time(G, &o[k], nwalks[k], &steps[k], &cpu);
                if (wall < best[k][t] && t == 0) cpu1[k] = cpu;
                keep_best(&best[k][t], wall);
            }
    printf("| walk | walks x length | 1 thread | 1 thread, CPU time | %d threads "
           "| 1 thread vs uniform |\n|---|---|---|---|---|---|\n", T);
    for (int k = 0; k < WALK_KINDS; k++)
        printf("| %s | %lld x %lld | %.1f M | %.1f M | %.1f M | %.3f |\n", name[k],
               (long long)nwalks[k], (long long)o[k].length,
               steps[k] / best[k][0] / 1e6, steps[k] / cpu1[k] / 1e6,
               steps[k] / best[k][1] / 1e6,
               (steps[k] / best[k][0]) / (steps[0] / best[0][0]));
}

/* CPU seconds of this process: on a shared machine the fairer measure of
 * one thread's work than wall time */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* igraph PRPACK personalized PageRank latency over sources src[0..q-1]
 * (1 thread): median and p99 seconds, mean CPU seconds. */
static void igraph_latency(grl_graph *G, const int64_t *src, int q,
                           double *median, double *p99, double *cpu)
{
    char msg[GRL_MSG_LEN] = "";
    igraph_t ig;
    igraph_vector_t w, vec;
    check_igraph(igraph_vector_init(&w, 0), "igraph vector");
    check_igraph(igraph_vector_init(&vec, 0), "igraph vector");
    check(grl_graph_to_igraph(G, &ig, &w, msg), "igraph", msg);
    bool weighted = grl_graph_is_weighted(G);
    double *lat = malloc(sizeof(double) * q);
    set_threads(1);
    double c0 = cpu_now();
    for (int i = 0; i < q; i++) {
        double t0 = now();
        check_igraph(igraph_personalized_pagerank_vs(
                         &ig, IGRAPH_PAGERANK_ALGO_PRPACK, &vec, NULL,
                         igraph_vss_all(), grl_graph_is_directed(G), 0.85,
                         igraph_vss_1((igraph_integer_t)src[i]),
                         weighted ? &w : NULL, NULL),
                     "igraph_personalized_pagerank_vs");
        lat[i] = now() - t0;
    }
    *cpu = (cpu_now() - c0) / q;
    quantiles(lat, q, median, p99);
    free(lat);
    igraph_vector_destroy(&w);
    igraph_vector_destroy(&vec);
    igraph_destroy(&ig);
}

typedef struct {
    const char *name;
    grl_ppr_options o;
    int64_t batch; /* sources in the batch call */
} method_run;

/* One table row: latency over q sources on 1 and T threads, one batch call
 * of m->batch sources on T threads, accuracy of its first acc rows against
 * X. The exact method is the reference: its batch is the computation of X
 * (exact_rate queries/s). */
static void ppr_row(grl_graph *G, const method_run *m, const int64_t *src, int q,
                    const double *X, int64_t acc, double exact_rate,
                    double igraph_median, double igraph_cpu, int T)
{
    char msg[GRL_MSG_LEN] = "";
    double med[2], p99[2], rag = 0, prec = 0, unused, cpu = 0;
    for (int t = 0; t < 2; t++) {
        set_threads(t ? T : 1);
        double c0 = cpu_now();
        ppr_latency(G, &m->o, src, q, 100, NULL, &med[t], &p99[t], &unused);
        if (t == 0) cpu = (cpu_now() - c0) / q;
    }
    double rate = exact_rate;
    if (m->o.method != GRL_PPR_EXACT) {
        grl_ppr_result *R = NULL;
        double t0 = now();
        check(grl_ppr_top(&R, G, src, m->batch, 200, &m->o, msg), m->name, msg);
        rate = m->batch / (now() - t0);
        ppr_accuracy(R, X, grl_graph_num_nodes(G), acc < m->batch ? acc : m->batch,
                     &rag, &prec);
        grl_ppr_result_free(&R);
    }
    printf("| %s | %.2f | %.2f | %.2f | %.3g | %lld |", m->name, med[0] * 1e3,
           med[1] * 1e3, p99[1] * 1e3, rate, (long long)m->batch);
    if (m->o.method == GRL_PPR_EXACT) printf(" reference | reference |");
    else printf(" %.4f | %.3f |", rag, prec);
    printf(" %.3gx | %.2f | %.3gx |\n", med[0] / igraph_median, cpu * 1e3,
           cpu / igraph_cpu);
}

static void ppr_header(int T, double ig_med, double ig_p99, double ig_cpu)
{
    printf("| method | median ms, 1 thread | median ms, %d threads | p99 ms, %d threads "
           "| batch q/s, %d threads | batch | RAG@200 | P@100 "
           "| 1-thread median / igraph | mean CPU ms, 1 thread | CPU / igraph |\n",
           T, T, T);
    printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    printf("| igraph PRPACK | %.2f | | %.2f (1 thread) | | | | | reference | %.2f "
           "| reference |\n", ig_med * 1e3, ig_p99 * 1e3, ig_cpu * 1e3);
}

/* sources: evenly spread node indices (a fixed stride) */
static int64_t *spread(int64_t n, int64_t k)
{
    int64_t *s = malloc(sizeof(int64_t) * k);
    for (int64_t i = 0; i < k; i++) s[i] = (i * 104729) % n;
    return s;
}

/* PPR table of G: methods[0] must be exact; accuracy on acc sources. */
static void ppr_table(grl_graph *G, method_run *methods, int nm, int q,
                      int64_t acc, int T)
{
    int64_t *src = spread(grl_graph_num_nodes(G), 1000);
    set_threads(T);
    double t0 = now();
    double *X = exact_rows(G, src, acc);
    double exact_rate = acc / (now() - t0);
    double ig_med, ig_p99, ig_cpu;
    igraph_latency(G, src, q, &ig_med, &ig_p99, &ig_cpu);
    ppr_header(T, ig_med, ig_p99, ig_cpu);
    for (int i = 0; i < nm; i++)
        ppr_row(G, &methods[i], src, q, X, acc, exact_rate, ig_med, ig_cpu, T);
    free(X);
    free(src);
}

static void init_method(method_run *m, const char *name, grl_ppr_method method,
                        int64_t batch, const grl_ppr_index *I)
{
    m->name = name;
    grl_ppr_options_init(&m->o);
    m->o.method = method;
    m->o.index = I;
    m->batch = batch;
}

/* The index build on 1 and T threads (best of reps), its size on disk. */
static grl_ppr_index *index_build(grl_graph *G, int reps, int T)
{
    char msg[GRL_MSG_LEN] = "", path[256];
    grl_ppr_index *I = NULL;
    grl_ppr_index_options io;
    grl_ppr_index_options_init(&io);
    io.walks = 100;
    double best[2] = {1e30, 1e30};
    for (int t = 0; t < 2; t++) {
        set_threads(t ? T : 1);
        for (int r = 0; r < reps; r++) {
            grl_ppr_index_free(&I);
            double t0 = now();
            check(grl_ppr_index_build(&I, G, &io, msg), "index", msg);
            keep_best(&best[t], now() - t0);
        }
    }
    int64_t entries;
    check(grl_ppr_index_info(I, NULL, NULL, NULL, &entries, msg), "index", msg);
    snprintf(path, sizeof path, "/tmp/bench_walks_%d.idx", (int)getpid());
    check(grl_ppr_index_save(I, path, msg), "save", msg);
    struct stat st;
    if (stat(path, &st) != 0) check(-1, path, "cannot stat");
    remove(path);
    printf("PPR index, R = 100 walks per node: built in %.2f s on 1 thread, "
           "%.2f s on %d (best of %d); %lld entries, %.1f MB on disk.\n\n",
           best[0], best[1], T, reps, (long long)entries, st.st_size / 1e6);
    return I;
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char path[1024], msg[GRL_MSG_LEN] = "";
    int reps = bench_reps(), T = bench_threads(), quick = bench_quick();
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress as it goes */
    check(grl_init(msg), "init", msg);

    /* ---- generated graph: walks, exact, powerpush, push, fora, igraph ---- */
    const int64_t nodes = quick ? 100000 : 1000000;
    grl_graph *G = NULL;
    check(grl_graph_generate_erdos_renyi(&G, nodes, 10 * nodes, false, 7, msg),
          "generate", msg);
    printf("### Random walks (bench_walks)\n\n");
    printf("Generated G(n = %lld, m = %lld), undirected; steps per second of "
           "`grl_walker_run` into a reused buffer, best of %d, the walk kinds "
           "interleaved in each round.\n\n",
           (long long)nodes, (long long)(10 * nodes), reps);
    const char *const kinds[WALK_KINDS] = {"uniform", "node2vec p = 0.5, q = 2",
                                           "self-repellent, alpha = 1"};
    const int64_t nwalks[WALK_KINDS] = {nodes, nodes / 10, nodes / 20};
    grl_walk_options wo[WALK_KINDS];
    for (int k = 0; k < WALK_KINDS; k++) {
        grl_walk_options_init(&wo[k]);
        wo[k].length = 80;
    }
    wo[1].p = 0.5;
    wo[1].q = 2;
    wo[2].srrw_alpha = 1;
    walk_table(G, kinds, wo, nwalks, reps, T);

    const int q = quick ? 1 : 3;
    const int64_t acc = 2; /* exact reference rows: ~140 products each */
    printf("\n### Personalized PageRank (bench_walks)\n\n");
    printf("alpha = 0.15. G(n = %lld, m = %lld): latency = median and p99 of "
           "top-100 queries from the same %d sources for every contender; one "
           "batch call (top-200) on %d threads, for exact the computation of the "
           "full reference rows; accuracy of the batch's first %lld sources "
           "against them (exact power iteration, tol 1e-10). push r_max "
           "1e-6; powerpush tol 1e-10 (default); fora and speedppr eps 0.5, "
           "delta 1e-3, p_f 1/n.\n\n",
           (long long)nodes, (long long)(10 * nodes), q, T, (long long)acc);
    method_run big[5];
    init_method(&big[0], "exact", GRL_PPR_EXACT, acc, NULL);
    init_method(&big[1], "powerpush", GRL_PPR_POWERPUSH, 4, NULL);
    init_method(&big[2], "push", GRL_PPR_PUSH, 200, NULL);
    big[2].o.r_max = 1e-6;
    init_method(&big[3], "fora", GRL_PPR_FORA, 10, NULL);
    big[3].o.delta = 1e-3;
    init_method(&big[4], "speedppr", GRL_PPR_SPEEDPPR, 10, NULL);
    big[4].o.delta = 1e-3;
    ppr_table(G, big, 5, q, acc, T);
    grl_graph_free(&G);

    /* ---- BlogCatalog: index methods beside the others ---- */
    snprintf(path, sizeof path, "%s/blogcatalog/edges.txt", data);
    check(grl_graph_load(&G, path, NULL, msg), path, msg);
    const int bq = quick ? 5 : 20;
    const int64_t bacc = 50;
    printf("\nBlogCatalog (n = %lld, %lld arcs): the same columns, %d sources "
           "for every contender's latency, accuracy on the batch's first %lld "
           "sources; push r_max 1e-7 (default); mc = rows of the index; "
           "powerwalk defaults on the index; fora and speedppr defaults "
           "(delta = p_f = 1/n).\n\n",
           (long long)grl_graph_num_nodes(G), (long long)grl_graph_num_arcs(G),
           bq, (long long)bacc);
    grl_ppr_index *I = index_build(G, reps, T);
    method_run small[7];
    init_method(&small[0], "exact", GRL_PPR_EXACT, bacc, NULL);
    init_method(&small[1], "powerpush", GRL_PPR_POWERPUSH, bacc, NULL);
    init_method(&small[2], "push", GRL_PPR_PUSH, 200, NULL);
    init_method(&small[3], "mc", GRL_PPR_MC, 1000, I);
    init_method(&small[4], "powerwalk", GRL_PPR_POWERWALK, 100, I);
    init_method(&small[5], "fora", GRL_PPR_FORA, 20, NULL);
    init_method(&small[6], "speedppr", GRL_PPR_SPEEDPPR, 20, NULL);
    ppr_table(G, small, 7, bq, bacc, T);
    grl_ppr_index_free(&I);
    grl_graph_free(&G);
    grl_finalize(NULL);
    (void)argc;
    return 0;
}
