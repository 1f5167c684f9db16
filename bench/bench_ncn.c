/* bench_ncn.c — NCN (learned link prediction, grl/ncn.h): training time per
 * epoch and scoring throughput in pairs per second, next to the CN
 * heuristic's pairs per second on the same pairs in the same run; on Cora
 * (1,433 sparse features; NCN and NCNC, whose completion scores the
 * one-sided neighbours' edges too) and on a generated G(n = 1M, m = 10M)
 * with 64 random features (NCN; BENCH_QUICK: 100k / 1M).
 * On the generated graph an epoch is extrapolated from a few timed steps
 * (an epoch is ceil(training edges / batch) steps; validation excluded). */
#include "benchutil.h"
#include "../gnn/ncn_internal.h"

typedef struct {
    const char *name;
    grl_graph *G;
    grl_dense *X;
    grl_edge_split *S;
} bench_case;

/* Seconds per step of a fresh model, best of the repetitions. */
static double step_seconds(const bench_case *c, const grl_ncn_options *o,
                           int64_t steps)
{
    char msg[GRL_MSG_LEN] = "";
    double best = INFINITY;
    for (int r = 0; r < bench_reps(); r++) {
        double t;
        check(ncn_time_steps(c->S, c->X, o, steps, &t, msg), "ncn steps", msg);
        keep_best(&best, t / (double)steps);
    }
    return best;
}

/* Pairs per second of NCN (a trained model: the time includes its node
 * tensors) and of CN on the same random pairs of the training graph. */
static void scoring(const bench_case *c, const grl_ncn *M, int64_t npairs,
                    double *ncn_rate, double *cn_rate)
{
    char msg[GRL_MSG_LEN] = "";
    int64_t *u = malloc(sizeof(int64_t) * npairs), *v = malloc(sizeof(int64_t) * npairs);
    double *s = malloc(sizeof(double) * npairs);
    const int64_t n = grl_graph_num_nodes(c->G);
    grl_rng rng;
    grl_rng_init(&rng, 42, 0);
    for (int64_t k = 0; k < npairs; k++) {
        u[k] = (int64_t)grl_rng_below(&rng, (uint64_t)n);
        v[k] = (int64_t)grl_rng_below(&rng, (uint64_t)n);
    }
    grl_linkpred_options lo;
    grl_linkpred_options_init(&lo);
    lo.method = GRL_LINKPRED_CN;
    double tn = INFINITY, tc = INFINITY;
    for (int r = 0; r < bench_reps(); r++) {
        double t0 = now();
        check(grl_ncn_score(M, c->S->train, c->X, u, v, npairs, s, msg), "ncn score", msg);
        keep_best(&tn, now() - t0);
        t0 = now();
        check(grl_linkpred_score(c->S->train, u, v, npairs, &lo, s, msg), "cn score", msg);
        keep_best(&tc, now() - t0);
    }
    *ncn_rate = (double)npairs / tn;
    *cn_rate = (double)npairs / tc;
    free(u); free(v); free(s);
}

static void split(bench_case *c, double test, double valid)
{
    char msg[GRL_MSG_LEN] = "";
    grl_edge_split_options so;
    grl_edge_split_options_init(&so);
    so.test_fraction = test;
    so.valid_fraction = valid;
    so.seed = 1;
    check(grl_edge_split_new(&c->S, c->G, &so, msg), "split", msg);
}

static void row(const bench_case *c, const grl_ncn_options *o, double epoch,
                const char *how, double ncn_rate, double cn_rate)
{
    printf("| %s | %s | %lld | %lld | %.2f s%s | %.3g | %.3g | %.1fx |\n", c->name,
           o->completion ? "NCNC" : "NCN", (long long)o->hidden,
           (long long)o->batch_size, epoch, how, ncn_rate, cn_rate,
           cn_rate / ncn_rate);
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    char msg[GRL_MSG_LEN] = "", path[1024];
    const bool quick = bench_quick();
    set_threads(bench_threads());
    printf("### NCN link prediction speed (bench_ncn, %d threads)\n\n", bench_threads());
    printf("Training: seconds per epoch (Cora: 70/10/20 edge split, measured over "
           "whole epochs of `grl_ncn_train`, validation included; generated graph: "
           "steps timed and multiplied by the steps of an epoch). Scoring: "
           "`grl_ncn_score` on random pairs of the training graph (the encoder's "
           "node pass included) against `grl_linkpred_score` CN on the same pairs, "
           "best of %d.\n\n", bench_reps());
    printf("| graph | model | hidden | batch | train / epoch | model pairs/s | CN pairs/s | CN / model |\n"
           "|---|---|---|---|---|---|---|---|\n");

    /* Cora, the reference's settings */
    bench_case cora = {"Cora (2,708 nodes, 1,433 features)", NULL, NULL, NULL};
    snprintf(path, sizeof path, "%s/cora_planetoid/edges.txt", data);
    check(grl_graph_load(&cora.G, path, NULL, msg), "load", msg);
    snprintf(path, sizeof path, "%s/cora_planetoid/features.txt", data);
    check(grl_node_features_load(&cora.X, cora.G, path, GRL_FEATURES_AUTO, msg),
          "features", msg);
    split(&cora, 0.2, 0.1);
    grl_ncn_options o;
    grl_ncn_options_init(&o);
    o.epochs = quick ? 2 : 5;
    o.patience = 0;
    int64_t nneg = cora.S->nvalid;
    int64_t *nu = malloc(sizeof(int64_t) * nneg), *nv = malloc(sizeof(int64_t) * nneg);
    check(grl_linkpred_negatives(cora.G, nneg, 1, nu, nv, msg), "negatives", msg);
    grl_ncn *M = NULL;
    double ncn_rate, cn_rate;
    for (int completion = 0; completion < 2; completion++) {
        grl_ncn_train_result res;
        o.completion = completion;
        check(grl_ncn_train(&M, &res, cora.S, cora.X, nu, nv, nneg, &o, msg), "train", msg);
        scoring(&cora, M, 100000, &ncn_rate, &cn_rate);
        row(&cora, &o, res.seconds / (double)res.epochs_run, "", ncn_rate, cn_rate);
        grl_ncn_free(&M);
    }
    free(nu); free(nv);

    /* generated: G(n, m) with 64 random features */
    const int64_t n = quick ? 100000 : 1000000, m = quick ? 1000000 : 10000000;
    bench_case gen = {NULL, NULL, NULL, NULL};
    char name[128];
    snprintf(name, sizeof name, "G(n = %lld, m = %lld), 64 random features",
             (long long)n, (long long)m);
    gen.name = name;
    check(grl_graph_generate_erdos_renyi(&gen.G, n, m, false, 7, msg), "generate", msg);
    check(grl_dense_new(&gen.X, n, 64, msg), "features", msg);
    grl_rng rng;
    grl_rng_init(&rng, 3, 0);
    for (int64_t e = 0; e < n * 64; e++) gen.X->data[e] = (float)grl_rng_uniform(&rng);
    split(&gen, 0.001, 0.001);
    grl_ncn_options_init(&o);
    o.hidden = 32;
    o.batch_size = 65536;
    o.epochs = 1;
    const int64_t steps = 3, train_edges = grl_graph_num_edges(gen.S->train);
    double per_step = step_seconds(&gen, &o, steps);
    double epoch = per_step * (double)((train_edges + o.batch_size - 1) / o.batch_size);
    /* a model to score with: parameters as initialised (speed only) */
    check(ncn_new(&M, &o, 64, msg), "model", msg);
    scoring(&gen, M, quick ? 100000 : 1000000, &ncn_rate, &cn_rate);
    char how[64];
    snprintf(how, sizeof how, " (%.2f s x %lld steps)", per_step,
             (long long)((train_edges + o.batch_size - 1) / o.batch_size));
    row(&gen, &o, epoch, how, ncn_rate, cn_rate);
    grl_ncn_free(&M);
    printf("\n");
    bench_case *cases[2] = {&cora, &gen};
    for (int i = 0; i < 2; i++) {
        grl_edge_split_free(&cases[i]->S);
        grl_dense_free(&cases[i]->X);
        grl_graph_free(&cases[i]->G);
    }
    return 0;
}
