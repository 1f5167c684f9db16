/* dag_simulate.c — random DAGs and linear SEM data, as the notears / TOPO
 * reference generators define them (utils.simulate_dag, simulate_parameter,
 * simulate_linear_sem), from grl's counter-based RNG: the graph uses stream
 * 0, the weights stream 1, sample row i stream 2 + i. */
#include "dag_internal.h"

#include <math.h>

#define SIM_MAX_D 20000 /* the ER pair bitmap is d^2/16 bytes */

void grl_dag_simulate_options_init(grl_dag_simulate_options *opt)
{
    if (opt == NULL) return;
    opt->graph = GRL_DAG_GRAPH_ER;
    opt->noise = GRL_DAG_NOISE_GAUSS;
    opt->noise_scale = 1.0;
    opt->w_low = 0.5;
    opt->w_high = 2.0;
    opt->seed = 1;
}

/* A uniform permutation of 0..d-1 (Fisher-Yates). */
static void random_permutation(int64_t *perm, int64_t d, grl_rng *rng)
{
    for (int64_t i = 0; i < d; i++) perm[i] = i;
    for (int64_t i = d - 1; i > 0; i--) {
        int64_t j = (int64_t)grl_rng_below(rng, (uint64_t)i + 1);
        int64_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* ER: exactly `edges` of the d(d-1)/2 pairs (Floyd's sampling over pair
 * numbers), each pair k = i(i-1)/2 + j (i > j) oriented from the variable
 * at position i of a random order to the one at position j. */
static int simulate_er(double *W, int64_t d, int64_t edges, grl_rng *rng,
                       const int64_t *perm, char *msg)
{
    uint64_t *bits = NULL;
#define FREE_ALL free(bits)
    uint64_t pairs = (uint64_t)d * (uint64_t)(d - 1) / 2;
    GRL_CALLOC(bits, uint64_t, pairs / 64 + 1);
    for (uint64_t j = pairs - (uint64_t)edges; j < pairs; j++) {
        uint64_t t = grl_rng_below(rng, j + 1);
        if (bits[t / 64] >> (t % 64) & 1) t = j;
        bits[t / 64] |= 1ull << (t % 64);
    }
    uint64_t k = 0;
    for (int64_t i = 1; i < d; i++)
        for (int64_t j = 0; j < i; j++, k++)
            if (bits[k / 64] >> (k % 64) & 1) W[perm[i] * d + perm[j]] = 1.0;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* SF: Barabasi-Albert as igraph's Barabasi(directed=True): node t points
 * to min(m, t) distinct earlier nodes, each drawn with probability
 * proportional to in-degree + 1; then labels permuted. */
static int simulate_sf(double *W, int64_t d, int64_t m, grl_rng *rng,
                       const int64_t *perm, char *msg)
{
    double *weight = NULL;
#define FREE_ALL free(weight)
    GRL_ALLOC(weight, double, (size_t)d);
    for (int64_t t = 0; t < d; t++) weight[t] = 1.0;
    for (int64_t t = 1; t < d; t++) {
        int64_t k = m < t ? m : t;
        double total = 0;
        for (int64_t s = 0; s < t; s++) total += weight[s];
        for (int64_t e = 0; e < k; e++) {
            double u = grl_rng_uniform(rng) * total, acc = 0;
            int64_t pick = -1;
            for (int64_t s = 0; s < t; s++) {
                if (W[perm[t] * d + perm[s]] != 0) continue; /* drawn */
                pick = s;
                acc += weight[s];
                if (u < acc) break;
            }
            W[perm[t] * d + perm[pick]] = 1.0;
            total -= weight[pick];
        }
        for (int64_t s = 0; s < t; s++)
            if (W[perm[t] * d + perm[s]] != 0) weight[s] += 1.0;
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* One noise draw. */
static double noise(grl_dag_noise type, double scale, grl_rng *rng)
{
    double u = grl_rng_uniform(rng) + 0x1p-54; /* in (0, 1) */
    switch (type) {
    case GRL_DAG_NOISE_EXP: return -scale * log(u);
    case GRL_DAG_NOISE_GUMBEL: return -scale * log(-log(u));
    case GRL_DAG_NOISE_UNIFORM: return scale * (2.0 * u - 1.0);
    default: { /* Box-Muller, one of the pair */
        double v = grl_rng_uniform(rng);
        return scale * sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
    }
    }
}

int grl_dag_simulate(double *W, double *X, int64_t d, int64_t edges,
                     int64_t n, const grl_dag_simulate_options *opt,
                     char *msg)
{
    int64_t *perm = NULL, *topo = NULL;
#define FREE_ALL free(perm); free(topo)
    if (msg) msg[0] = '\0';
    grl_dag_simulate_options o;
    if (opt) o = *opt;
    else grl_dag_simulate_options_init(&o);
    GRL_REQUIRE(W != NULL, "grl_dag_simulate: NULL W");
    GRL_REQUIRE(d >= 1 && d <= SIM_MAX_D, "simulated DAGs have 1..%d "
                "variables, got %" PRId64, SIM_MAX_D, d);
    int64_t pairs = d * (d - 1) / 2;
    GRL_REQUIRE(edges >= 0 && edges <= pairs, "a DAG on %" PRId64 " variables "
                "has 0..%" PRId64 " edges, got %" PRId64, d, pairs, edges);
    GRL_REQUIRE(X == NULL || n >= 0, "negative sample count %" PRId64, n);
    GRL_REQUIRE(o.graph == GRL_DAG_GRAPH_ER || o.graph == GRL_DAG_GRAPH_SF,
                "unknown graph type %d", (int)o.graph);
    GRL_REQUIRE((int)o.noise >= 0 && o.noise <= GRL_DAG_NOISE_LOGISTIC,
                "unknown noise type %d", (int)o.noise);
    GRL_REQUIRE(isfinite(o.noise_scale) && o.noise_scale > 0, "noise scale "
                "must be positive and finite, got %g", o.noise_scale);
    GRL_REQUIRE(isfinite(o.w_high) && o.w_low > 0 && o.w_low <= o.w_high,
                "weight range needs 0 < low <= high, got [%g, %g]", o.w_low,
                o.w_high);
    GRL_ALLOC(perm, int64_t, (size_t)d);
    GRL_ALLOC(topo, int64_t, (size_t)d);
    memset(W, 0, (size_t)d * (size_t)d * sizeof *W);
    grl_rng rng;
    grl_rng_init(&rng, o.seed, 0);
    random_permutation(perm, d, &rng);
    if (o.graph == GRL_DAG_GRAPH_ER) {
        GRL_TRY(simulate_er(W, d, edges, &rng, perm, msg));
    } else if (edges > 0) {
        int64_t m = (int64_t)llround((double)edges / (double)d);
        GRL_TRY(simulate_sf(W, d, m < 1 ? 1 : m, &rng, perm, msg));
    }
    grl_rng_init(&rng, o.seed, 1);
    for (int64_t k = 0; k < d * d; k++) {
        if (W[k] == 0) continue;
        double w = o.w_low + (o.w_high - o.w_low) * grl_rng_uniform(&rng);
        W[k] = grl_rng_u32(&rng) & 1 ? w : -w;
    }
    if (X == NULL || n == 0) {
        FREE_ALL;
        return 0;
    }
    grl_dag_topological_order(topo, W, d); /* a DAG by construction */
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        grl_rng r;
        grl_rng_init(&r, o.seed, 2 + (uint64_t)i);
        double *x = X + i * d;
        for (int64_t t = 0; t < d; t++) {
            int64_t j = topo[t];
            double s = 0;
            for (int64_t k = 0; k < d; k++)
                if (W[k * d + j] != 0) s += x[k] * W[k * d + j];
            if (o.noise == GRL_DAG_NOISE_LOGISTIC)
                x[j] = grl_rng_uniform(&r) < 1.0 / (1.0 + exp(-s)) ? 1.0 : 0.0;
            else
                x[j] = s + noise(o.noise, o.noise_scale, &r);
        }
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
