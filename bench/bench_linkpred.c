/* bench_linkpred.c — link prediction speed and one identity:
 *   - on a generated G(n = 1M, m = 10M) (quick: 100k, 1M): pairs scored
 *     per second for 1M random candidate pairs (quick 100k) per method, on
 *     1 and N threads, against igraph's Jaccard similarity
 *     (igraph_similarity_jaccard_pairs, 1 thread) of the same pairs, scores
 *     compared; top-k candidates for 10,000 nodes (quick 1,000): time and
 *     peak memory of the call;
 *   - on Cora, with the default parameters: local path (A² + 0.01 A³) and
 *     Katz (0.01 A + 0.01² A² + 0.01³ A³) on every non-adjacent pair of the
 *     first 1,000 nodes with all others, to show Katz = 10⁻⁴ x LP there, so
 *     the two rank those pairs identically.
 * usage: bench_linkpred [DATA_DIR] */
#include <stdio.h>
#include <stdlib.h>

#include "grl.h"
#include "benchutil.h"
#include "grl/igraph_bridge.h"
#include "grl/linkpred.h"

#define TOPK 10

/* Best of `reps` scorings of the pairs by method m on `threads`. */
static double time_score(grl_graph *G, const int64_t *u, const int64_t *v,
                         int64_t npairs, grl_linkpred_method m, int threads,
                         int reps, double *s)
{
    char msg[GRL_MSG_LEN] = "";
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    o.method = m;
    set_threads(threads);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        check(grl_linkpred_score(G, u, v, npairs, &o, s, msg), "score", msg);
        keep_best(&best, now() - t0);
    }
    return best;
}

/* Best of `reps` igraph Jaccard scorings of the pairs (1 thread; the
 * conversion is not timed). */
static double time_igraph_jaccard(grl_graph *G, const int64_t *u,
                                  const int64_t *v, int64_t npairs,
                                  int reps, double *s)
{
    char msg[GRL_MSG_LEN] = "";
    igraph_t ig;
    check(grl_graph_to_igraph(G, &ig, NULL, msg), "to igraph", msg);
    igraph_vector_int_t pairs;
    igraph_vector_t res;
    check_igraph(igraph_vector_int_init(&pairs, 2 * npairs), "igraph vector");
    check_igraph(igraph_vector_init(&res, 0), "igraph vector");
    for (int64_t k = 0; k < npairs; k++) {
        VECTOR(pairs)[2 * k] = u[k];
        VECTOR(pairs)[2 * k + 1] = v[k];
    }
    set_threads(1);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        check_igraph(igraph_similarity_jaccard_pairs(&ig, &res, &pairs,
                                                     IGRAPH_ALL, false),
                     "igraph_similarity_jaccard_pairs");
        keep_best(&best, now() - t0);
    }
    for (int64_t k = 0; k < npairs; k++) s[k] = VECTOR(res)[k];
    igraph_vector_int_destroy(&pairs);
    igraph_vector_destroy(&res);
    igraph_destroy(&ig);
    return best;
}

static void speed(grl_graph *G, int reps, int T)
{
    const int64_t nodes = grl_graph_num_nodes(G);
    const int64_t npairs = bench_quick() ? 100000 : 1000000;
    int64_t *u = malloc(sizeof(int64_t) * npairs), *v = malloc(sizeof(int64_t) * npairs);
    double *s = malloc(sizeof(double) * npairs), *ref = malloc(sizeof(double) * npairs);
    grl_rng rng;
    grl_rng_init(&rng, 11, 0);
    for (int64_t k = 0; k < npairs; k++) { /* uniformly random, u != v */
        u[k] = (int64_t)grl_rng_below(&rng, (uint64_t)nodes);
        do v[k] = (int64_t)grl_rng_below(&rng, (uint64_t)nodes); while (v[k] == u[k]);
    }
    double t_ig = time_igraph_jaccard(G, u, v, npairs, reps, ref);

    printf("`grl_linkpred_score` on %lld uniformly random pairs, default "
           "parameters (Katz L = 3); pairs per second, best of %d:\n\n",
           (long long)npairs, reps);
    printf("| method | 1 thread | %d threads | vs igraph, 1 thread | vs igraph, %d threads |\n"
           "|---|---|---|---|---|\n", T, T);
    printf("| igraph Jaccard (`igraph_similarity_jaccard_pairs`) | %.3g M | | reference | |\n",
           npairs / t_ig / 1e6);
    double maxdiff = 0;
    for (int m = 0; m < GRL_LINKPRED_NMETHODS; m++) {
        double t1 = time_score(G, u, v, npairs, m, 1, reps, s);
        double tT = time_score(G, u, v, npairs, m, T, reps, s);
        printf("| %s | %.3g M | %.3g M |", grl_linkpred_method_name(m),
               npairs / t1 / 1e6, npairs / tT / 1e6);
        if (m == GRL_LINKPRED_JACCARD) {
            printf(" %.1fx | %.1fx |\n", t_ig / t1, t_ig / tT);
            for (int64_t k = 0; k < npairs; k++)
                if (fabs(s[k] - ref[k]) > maxdiff) maxdiff = fabs(s[k] - ref[k]);
        } else {
            printf(" | |\n");
        }
    }
    printf("\nJaccard scores: max |grl - igraph| over the pairs = %.3g.\n\n", maxdiff);

    const int64_t sources = bench_quick() ? 1000 : 10000;
    int64_t *cand = malloc(sizeof(int64_t) * sources * TOPK);
    double *cs = malloc(sizeof(double) * sources * TOPK);
    char msg[GRL_MSG_LEN] = "";
    printf("`grl_linkpred_topk`, k = %d, for %lld random sources; best of %d; "
           "peak RSS of the process during the %d-thread call:\n\n",
           TOPK, (long long)sources, reps, T);
    printf("| method | 1 thread | %d threads | peak RSS (+ over before) |\n"
           "|---|---|---|---|\n", T);
    const grl_linkpred_method tm[] = {GRL_LINKPRED_CN, GRL_LINKPRED_RA,
                                      GRL_LINKPRED_JACCARD, GRL_LINKPRED_PA};
    for (size_t i = 0; i < sizeof tm / sizeof *tm; i++) {
        grl_linkpred_options o;
        grl_linkpred_options_init(&o);
        o.method = tm[i];
        double best[2] = {1e30, 1e30}, peak = 0, base = 0;
        for (int t = 0; t < 2; t++) {
            set_threads(t ? T : 1);
            for (int r = 0; r < reps; r++) {
                peak_reset();
                base = status_mib("VmRSS:");
                double t0 = now();
                check(grl_linkpred_topk(G, u, sources, TOPK, &o, cand, cs, msg),
                      "topk", msg);
                keep_best(&best[t], now() - t0);
                peak = peak_mib();
            }
        }
        printf("| %s | %.3f s | %.3f s | %.0f MiB (+%.0f) |\n",
               grl_linkpred_method_name(o.method), best[0], best[1], peak, peak - base);
    }
    free(cand); free(cs); free(u); free(v); free(s); free(ref);
}

/* Sort order of pair indices by (lp, katz). */
static const double *order_lp, *order_katz;
static int by_lp(const void *a, const void *b)
{
    int64_t i = *(const int64_t *)a, j = *(const int64_t *)b;
    int c = cmp_double(&order_lp[i], &order_lp[j]);
    return c ? c : cmp_double(&order_katz[i], &order_katz[j]);
}

/* Katz = 1e-4 x LP on non-adjacent pairs of Cora, and the same ranking. */
static void lp_katz(const char *data)
{
    char path[1024], msg[GRL_MSG_LEN] = "";
    snprintf(path, sizeof path, "%s/cora_planetoid/edges.txt", data);
    grl_graph *G = NULL;
    check(grl_graph_load(&G, path, NULL, msg), path, msg);
    const int64_t n = grl_graph_num_nodes(G), first = n < 1000 ? n : 1000;
    GrB_Matrix A = grl_graph_matrix(G);
    int64_t *u = malloc(sizeof(int64_t) * first * n), *v = malloc(sizeof(int64_t) * first * n);
    int64_t np = 0;
    for (int64_t i = 0; i < first; i++)
        for (int64_t j = 0; j < n; j++) {
            double a;
            int info = GrB_Matrix_extractElement_FP64(&a, A, i, j);
            check(info == GrB_NO_VALUE ? 0 : info, "extractElement", "GraphBLAS");
            if (i != j && info == GrB_NO_VALUE) u[np] = i, v[np++] = j;
        }
    double *lp = malloc(sizeof(double) * np), *katz = malloc(sizeof(double) * np);
    grl_linkpred_options o;
    grl_linkpred_options_init(&o);
    o.method = GRL_LINKPRED_LP;
    check(grl_linkpred_score(G, u, v, np, &o, lp, msg), "lp", msg);
    o.method = GRL_LINKPRED_KATZ;
    check(grl_linkpred_score(G, u, v, np, &o, katz, msg), "katz", msg);
    double maxrel = 0;
    int64_t nonzero = 0, *idx = malloc(sizeof(int64_t) * np), swaps = 0;
    for (int64_t k = 0; k < np; k++) {
        idx[k] = k;
        if (lp[k] != 0 || katz[k] != 0) {
            nonzero++;
            double rel = fabs(katz[k] - 1e-4 * lp[k]) / (1e-4 * lp[k]);
            if (!(rel <= maxrel)) maxrel = rel; /* NaN (lp = 0, katz != 0) too */
        }
    }
    /* sorted by lp, katz must be non-decreasing, tied exactly where lp is */
    order_lp = lp, order_katz = katz;
    qsort(idx, np, sizeof(int64_t), by_lp);
    for (int64_t k = 1; k < np; k++) {
        double dl = lp[idx[k]] - lp[idx[k - 1]], dk = katz[idx[k]] - katz[idx[k - 1]];
        swaps += (dl > 0) != (dk > 0) || dk < 0;
    }
    printf("### Local path and Katz on non-adjacent pairs (bench_linkpred, Cora)\n\n");
    printf("Default parameters (LP: A² + 0.01 A³; Katz: 0.01 A + 0.01² A² + "
           "0.01³ A³). On the %lld non-adjacent pairs of the first %lld nodes "
           "with every other node (%lld with a nonzero score): max |katz - "
           "10⁻⁴ lp| / (10⁻⁴ lp) = %.2g; neighbouring pairs in LP order whose "
           "Katz order or tie differs: %lld, so the two rank these pairs %s.\n",
           (long long)np, (long long)first, (long long)nonzero, maxrel,
           (long long)swaps, swaps == 0 ? "identically" : "DIFFERENTLY");
    free(u); free(v); free(lp); free(katz); free(idx);
    grl_graph_free(&G);
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char msg[GRL_MSG_LEN] = "";
    const int64_t nodes = bench_quick() ? 100000 : 1000000;
    int reps = bench_reps(), T = bench_threads();
    grl_graph *G = NULL;
    check(grl_graph_generate_erdos_renyi(&G, nodes, 10 * nodes, false, 7, msg),
          "generate", msg);
    printf("### Link prediction speed (bench_linkpred)\n\n");
    printf("Generated G(n = %lld, m = %lld), undirected, %lld arcs.\n\n",
           (long long)nodes, (long long)(10 * nodes),
           (long long)grl_graph_num_arcs(G));
    speed(G, reps, T);
    grl_graph_free(&G);
    printf("\n");
    lp_katz(data);
    grl_finalize(NULL);
    return 0;
}
