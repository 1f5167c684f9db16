/* bench_walks.c — random-walk throughput and personalized PageRank cost and
 * accuracy, every figure measured in this run:
 *   - walk steps/s (uniform, node2vec, SRRW) on a generated G(n=1M, m=10M);
 *   - on the same graph, exact / push / fora: single-source latency
 *     (median, p99 over the sampled queries) and batch throughput, with the
 *     accuracy of each against exact power iteration on the same sources,
 *     and the latency ratio against exact and against igraph's PRPACK
 *     personalized PageRank for the same sources;
 *   - the index methods (mc, powerwalk; R = 100 walks per node) on the real
 *     BlogCatalog graph (n = 10,312, 667,966 arcs), where an R = 100 index is
 *     ~80 MB (at 1M nodes it would be ~10 GB), with the same columns.
 * usage: bench_walks [DATA_DIR] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "grl.h"
#include "benchutil.h"
#include "grl/igraph_bridge.h"
#include "grl/walks.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* median and p99 (nearest rank) of t[0..k-1] (sorted in place) */
static void quantiles(double *t, int k, double *median, double *p99)
{
    qsort(t, k, sizeof(double), cmp_double);
    *median = k % 2 ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2]);
    int r = (int)ceil(0.99 * k) - 1;
    *p99 = t[r < 0 ? 0 : r];
}

/* steps/s of grl_walker_run alone, into a reused (already touched) buffer,
 * as `grl walk` runs: blocks of 65,536 walks */
static void walk_rate(grl_graph *G, const char *name, grl_walk_options *o,
                      int64_t nwalks)
{
    char msg[GRL_MSG_LEN] = "";
    const int64_t block = 65536;
    grl_walker *W = NULL;
    int64_t *out = malloc(sizeof(int64_t) * block * o->length);
    memset(out, 0xff, sizeof(int64_t) * block * o->length);
    check(grl_walker_new(&W, G, o, msg), "walker", msg);
    int64_t steps = 0;
    double t = 0;
    for (int64_t first = 0; first < nwalks; first += block) {
        int64_t c = nwalks - first < block ? nwalks - first : block;
        double t0 = now();
        check(grl_walker_run(W, NULL, 0, first, c, out, msg), "walks", msg);
        t += now() - t0;
        for (int64_t i = 0; i < c * o->length; i++) steps += out[i] >= 0;
        steps -= c;
    }
    grl_walker_free(&W);
    printf("  %-30s %10lld steps in %6.2f s = %6.1f M steps/s\n", name,
           (long long)steps, t, steps / t / 1e6);
    free(out);
}

/* exact rows (dense k x n) of k sources in one batched call; *seconds is
 * its time (the exact method's batch figure) */
static double *exact_rows(grl_graph *G, const int64_t *src, int64_t k,
                          double *seconds)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t n = grl_graph_num_nodes(G);
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    double *X = calloc((size_t)k * n, sizeof(double));
    GrB_Matrix P = NULL;
    double t0 = now();
    check(grl_ppr_compute(&P, G, src, k, &o, msg), "exact", msg);
    *seconds = now() - t0;
    GrB_Index nv;
    GrB_Matrix_nvals(&nv, P);
    GrB_Index *I = malloc(sizeof(GrB_Index) * nv), *J = malloc(sizeof(GrB_Index) * nv);
    double *V = malloc(sizeof(double) * nv);
    GrB_Matrix_extractTuples_FP64(I, J, V, &nv, P);
    for (GrB_Index t = 0; t < nv; t++) X[I[t] * n + J[t]] = V[t];
    free(I);
    free(J);
    free(V);
    GrB_Matrix_free(&P);
    return X;
}

/* the exact method's line: single-source latency over `samples` queries,
 * batch figure from the reference computation */
static double exact_line(grl_graph *G, const int64_t *src, int samples,
                         int64_t batch, double batch_seconds, double igraph_median)
{
    char msg[GRL_MSG_LEN] = "";
    grl_ppr_options o;
    grl_ppr_options_init(&o);
    double *lat = malloc(sizeof(double) * samples);
    for (int q = 0; q < samples; q++) {
        grl_ppr_result *R = NULL;
        double t0 = now();
        check(grl_ppr_top(&R, G, src + batch + q, 1, 100, &o, msg), "exact", msg);
        lat[q] = now() - t0;
        grl_ppr_result_free(&R);
    }
    double med, p99;
    quantiles(lat, samples, &med, &p99);
    printf("  %-10s %9.2f %9.2f %9.2f (%4lld) %8s %7s %9.2fx %9.2fx\n", "exact",
           med * 1e3, p99 * 1e3, batch / batch_seconds, (long long)batch,
           "(ref)", "", 1.0, med / igraph_median);
    free(lat);
    return med;
}

/* mean RAG@200 and precision@100 (tie-aware) of R against exact rows */
static void accuracy(const grl_ppr_result *R, const double *exact, int64_t n,
                     int64_t k, double *rag, double *prec)
{
    double *row = malloc(sizeof(double) * n);
    *rag = *prec = 0;
    for (int64_t s = 0; s < k; s++) {
        const double *t = exact + s * n;
        memcpy(row, t, sizeof(double) * n);
        qsort(row, n, sizeof(double), cmp_double); /* ascending */
        double true_sum = 0, got_sum = 0;
        for (int64_t j = 0; j < 200 && j < n; j++) true_sum += row[n - 1 - j];
        for (int64_t j = 0; j < R->count[s] && j < 200; j++)
            got_sum += t[R->node[s * R->top + j]];
        int64_t support = 0, hit = 0;
        for (int64_t j = 0; j < 100 && j < n; j++) support += row[n - 1 - j] > 0;
        double kth = row[n - support] * (1 - 1e-9);
        for (int64_t j = 0; j < R->count[s] && j < support; j++)
            hit += t[R->node[s * R->top + j]] >= kth;
        *rag += got_sum / true_sum / k;
        *prec += (double)hit / support / k;
    }
    free(row);
}

typedef struct {
    const char *name;
    grl_ppr_options o;
    int latency_samples; /* single-source queries timed */
    int64_t batch;       /* sources in the batch */
} method_run;

/* time single-source queries and a batch; accuracy on the batch's first
 * min(acc, batch) sources against exact rows X; returns the median latency */
static double run_method(grl_graph *G, method_run *m, const int64_t *src,
                         const double *X, int64_t acc, double exact_median,
                         double igraph_median)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t n = grl_graph_num_nodes(G);
    double *lat = malloc(sizeof(double) * m->latency_samples);
    for (int q = 0; q < m->latency_samples; q++) {
        grl_ppr_result *R = NULL;
        double t0 = now();
        check(grl_ppr_top(&R, G, src + q, 1, 100, &m->o, msg), m->name, msg);
        lat[q] = now() - t0;
        grl_ppr_result_free(&R);
    }
    double med, p99;
    quantiles(lat, m->latency_samples, &med, &p99);
    grl_ppr_result *R = NULL;
    double t0 = now();
    check(grl_ppr_top(&R, G, src, m->batch, 200, &m->o, msg), m->name, msg);
    double tb = now() - t0;
    double rag, prec;
    accuracy(R, X, n, acc < m->batch ? acc : m->batch, &rag, &prec);
    grl_ppr_result_free(&R);
    printf("  %-10s %9.2f %9.2f %9.1f (%4lld) %8.4f %7.3f %9.2fx %9.2fx\n",
           m->name, med * 1e3, p99 * 1e3, m->batch / tb, (long long)m->batch,
           rag, prec, med / exact_median,
           igraph_median > 0 ? med / igraph_median : 0.0);
    free(lat);
    return med;
}

/* igraph PRPACK personalized PageRank latency (median over k sources) */
static double igraph_latency(grl_graph *G, const int64_t *src, int k)
{
    char msg[GRL_MSG_LEN] = "";
    igraph_t ig;
    igraph_vector_t w, vec;
    igraph_vector_init(&w, 0);
    igraph_vector_init(&vec, 0);
    check(grl_graph_to_igraph(G, &ig, &w, msg), "igraph", msg);
    bool weighted = grl_graph_is_weighted(G);
    double *lat = malloc(sizeof(double) * k);
    for (int q = 0; q < k; q++) {
        double t0 = now();
        igraph_personalized_pagerank_vs(&ig, IGRAPH_PAGERANK_ALGO_PRPACK, &vec,
                                        NULL, igraph_vss_all(),
                                        grl_graph_is_directed(G), 0.85,
                                        igraph_vss_1((igraph_integer_t)src[q]),
                                        weighted ? &w : NULL, NULL);
        lat[q] = now() - t0;
    }
    double med, p99;
    quantiles(lat, k, &med, &p99);
    printf("  %-10s %9.2f %9.2f %9s        %8s %7s %9s %9s\n", "igraph", med * 1e3,
           p99 * 1e3, "-", "(ref)", "", "", "1.00x");
    free(lat);
    igraph_vector_destroy(&w);
    igraph_vector_destroy(&vec);
    igraph_destroy(&ig);
    return med;
}

static void header(void)
{
    printf("  %-10s %9s %9s %16s %8s %7s %10s %10s\n", "method", "med ms",
           "p99 ms", "batch q/s (k)", "RAG@200", "P@100", "/exact", "/igraph");
}

/* sources: evenly spread node indices (a fixed stride) */
static int64_t *spread(int64_t n, int64_t k)
{
    int64_t *s = malloc(sizeof(int64_t) * k);
    for (int64_t i = 0; i < k; i++) s[i] = (i * 104729) % n;
    return s;
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char path[1024], msg[GRL_MSG_LEN] = "";
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress as it goes */
    check(grl_init(msg), "init", msg);
    printf("threads: %d\n", grl_threads_get());

    /* ---- G(1M, 10M): walks, exact, push, fora, igraph ---- */
    double t0 = now(), start = now();
    grl_graph *G = NULL;
    check(grl_graph_generate_erdos_renyi(&G, 1000000, 10000000, false, 7, msg), "generate", msg);
    int64_t n = grl_graph_num_nodes(G);
    printf("G(n=1M, m=10M) undirected, %lld arcs (generated in %.1f s)\n",
           (long long)grl_graph_num_arcs(G), now() - t0);
    grl_walk_options wo;
    grl_walk_options_init(&wo);
    wo.length = 80;
    walk_rate(G, "uniform, 1M walks x 80", &wo, n);
    wo.p = 0.5;
    wo.q = 2;
    walk_rate(G, "node2vec p=0.5 q=2, 200k x 80", &wo, 200000);
    wo.p = wo.q = 1;
    wo.srrw_alpha = 1;
    walk_rate(G, "SRRW alpha=1, 100k x 80", &wo, 100000);

    int64_t *src = spread(n, 1000);
    const int64_t acc = 2; /* exact reference rows: ~140 products each */
    double tx;
    double *X = exact_rows(G, src, acc, &tx);
    printf("PPR, alpha 0.15, top-100 latency, top-200 batch; accuracy on the %lld "
           "batch sources vs exact (tol 1e-10)\n", (long long)acc);
    header();
    double ig = igraph_latency(G, src, 1);
    double ex = exact_line(G, src, 1, acc, tx, ig);
    method_run push = {"push", {0}, 20, 200};
    grl_ppr_options_init(&push.o);
    push.o.method = GRL_PPR_PUSH;
    push.o.r_max = 1e-6;
    run_method(G, &push, src, X, acc, ex, ig);
    method_run fora = {"fora", {0}, 5, 20};
    grl_ppr_options_init(&fora.o);
    fora.o.method = GRL_PPR_FORA;
    fora.o.delta = 1e-3;
    run_method(G, &fora, src, X, acc, ex, ig);
    printf("  (1M graph: exact and igraph latency from 1 query each, exact batch = "
           "%lld sources in one block; push r_max=1e-6, batch 200; fora eps=0.5, "
           "delta=1e-3, p_f=1/n, batch 20)\n", (long long)acc);
    free(X);
    free(src);
    grl_graph_free(&G);

    /* ---- BlogCatalog: index methods beside the others ---- */
    snprintf(path, sizeof path, "%s/blogcatalog/edges.txt", data);
    check(grl_graph_load(&G, path, NULL, msg), path, msg);
    n = grl_graph_num_nodes(G);
    printf("BlogCatalog: n=%lld arcs=%lld\n", (long long)n,
           (long long)grl_graph_num_arcs(G));
    grl_ppr_index *I = NULL;
    t0 = now();
    check(grl_ppr_index_build(&I, G, &(grl_ppr_index_options){100, 0.15, 1}, msg), "index", msg);
    double tb = now() - t0;
    int64_t entries;
    check(grl_ppr_index_info(I, NULL, NULL, NULL, &entries, msg), "index", msg);
    snprintf(path, sizeof path, "/tmp/bench_walks_%d.idx", (int)getpid());
    check(grl_ppr_index_save(I, path, msg), "save", msg);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fclose(f);
    remove(path);
    printf("  index R=100: built in %.2f s, %lld entries, %.1f MB on disk\n", tb,
           (long long)entries, bytes / 1e6);
    src = spread(n, 1000);
    int64_t bacc = 100;
    X = exact_rows(G, src, bacc, &tx);
    header();
    ig = igraph_latency(G, src, 20);
    ex = exact_line(G, src, 5, bacc, tx, ig);
    method_run runs[4];
    const char *names[4] = {"push", "mc", "powerwalk", "fora"};
    const int64_t batches[4] = {200, 1000, 100, 50};
    for (int r = 0; r < 4; r++) {
        runs[r].name = names[r];
        grl_ppr_options_init(&runs[r].o);
        runs[r].o.method = r == 0 ? GRL_PPR_PUSH : r == 1 ? GRL_PPR_MC
                         : r == 2 ? GRL_PPR_POWERWALK : GRL_PPR_FORA;
        runs[r].o.index = I;
        runs[r].latency_samples = r == 3 ? 10 : 50;
        runs[r].batch = batches[r];
        run_method(G, &runs[r], src, X, bacc, ex, ig);
    }
    const grl_ppr_options *pw = &runs[2].o; /* the library's defaults */
    printf("  (accuracy on 100 sources, fora's on its 50; exact latency over 5 queries; batches: "
           "exact 100, push 200, mc 1000, powerwalk 100, fora 50; mc = index "
           "rows; powerwalk residual %g, at most %d rounds, drop %g; push r_max=1e-7; "
           "fora eps=0.5, delta=p_f=1/n)\n", pw->residual, pw->rounds, pw->drop);
    free(X);
    free(src);
    grl_ppr_index_free(&I);
    grl_graph_free(&G);
    printf("(bench_walks total %.0f s)\n", now() - start);
    grl_finalize(NULL);
    return 0;
}
