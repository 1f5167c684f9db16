/* gvi.c — graph value iteration data (CGS section 6.2): random
 * deterministic MDPs as in the reference generator, their values by value
 * iteration, greedy policies, and the task's metrics. */
#include "grl_internal.h"
#include "grl/gnn.h"

#include <math.h>

void grl_gvi_options_init(grl_gvi_options *opt)
{
    if (opt == NULL) return;
    opt->min_states = 20;
    opt->max_states = 50;
    opt->min_actions = 5;
    opt->max_actions = 10;
    opt->gamma = 0.9;
    opt->tolerance = 1e-3;
    opt->max_iterations = 200;
}

static int check_options(const grl_gvi_options *o, int64_t graphs, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(graphs >= 1, "the number of graphs must be >= 1, got %" PRId64, graphs);
    GRL_REQUIRE(o->min_actions >= 1 && o->min_actions < o->max_actions,
                "actions per state must be a range min >= 1, max > min, got [%"
                PRId64 ", %" PRId64 ")", o->min_actions, o->max_actions);
    GRL_REQUIRE(o->max_actions < o->min_states && o->min_states < o->max_states,
                "states per graph must be a range [min, max) with min above the "
                "most actions (%" PRId64 "), got [%" PRId64 ", %" PRId64 ")",
                o->max_actions - 1, o->min_states, o->max_states);
    GRL_REQUIRE(o->max_states <= ((int64_t)1 << 31), "at most 2^31 states per "
                "graph, got %" PRId64, o->max_states);
    GRL_REQUIRE(o->gamma > 0 && o->gamma < 1, "gamma must be in (0, 1), got %g",
                o->gamma);
    GRL_REQUIRE(o->tolerance > 0 && isfinite(o->tolerance),
                "the tolerance must be > 0, got %g", o->tolerance);
    GRL_REQUIRE(o->max_iterations >= 1, "max_iterations must be >= 1, got %" PRId64,
                o->max_iterations);
    return 0;
#undef FREE_ALL
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The arcs of graph g (nodes [lo, lo + ns), na in-arcs each): sorted
 * sources and their rewards, from the graph's own RNG stream (after the two
 * numbers that drew its sizes). */
static void draw_arcs(grl_graph_set *S, grl_rng *rng, int64_t lo, int64_t ns,
                      int64_t na)
{
    for (int64_t i = 0; i < ns; i++) {
        int64_t *src = S->arc_source + S->in_ptr[lo + i];
        for (int64_t a = 0; a < na; a++) {
            int64_t s = (int64_t)grl_rng_below(rng, (uint64_t)(ns - 1));
            src[a] = lo + (s >= i ? s + 1 : s); /* no self-loop */
        }
        qsort(src, (size_t)na, sizeof(int64_t), cmp_i64);
        for (int64_t a = 0; a < na; a++)
            S->arc_x[S->in_ptr[lo + i] + a] = (float)(2 * grl_rng_uniform(rng) - 1);
    }
}

/* Synchronous value iteration on nodes [lo, hi) from V = 0 in double
 * (scratch: hi - lo doubles for each of V and the next V); returns whether
 * it converged. */
static bool value_iteration(grl_graph_set *S, int64_t lo, int64_t hi,
                            const grl_gvi_options *o, double *v, double *next)
{
    int64_t ns = hi - lo;
    for (int64_t i = 0; i < ns; i++) v[i] = 0;
    for (int64_t it = 0; it < o->max_iterations; it++) {
        bool close = true;
        for (int64_t i = 0; i < ns; i++) {
            double best = -INFINITY;
            for (int64_t k = S->in_ptr[lo + i]; k < S->in_ptr[lo + i + 1]; k++) {
                double q = S->arc_x[k] + o->gamma * v[S->arc_source[k] - lo];
                best = q > best ? q : best;
            }
            next[i] = best;
            close = close && fabs(best - v[i]) <= o->tolerance + 1e-5 * fabs(v[i]);
        }
        for (int64_t i = 0; i < ns; i++) S->node_y[lo + i] = (float)(v[i] = next[i]);
        if (close) return true;
    }
    return false;
}

int grl_gvi_generate(grl_graph_set **S, int64_t graphs, uint64_t seed,
                     const grl_gvi_options *opt, char *msg)
{
    grl_graph_set *R = NULL;
    int64_t *actions = NULL;
#define FREE_ALL grl_graph_set_free(R); free(actions)
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL, "grl_gvi_generate: NULL argument");
    *S = NULL;
    grl_gvi_options o;
    grl_gvi_options_init(&o);
    if (opt != NULL) o = *opt;
    GRL_TRY(check_options(&o, graphs, msg));
    GRL_CALLOC(R, grl_graph_set, 1);
    GRL_REQUIRE(graphs < INT64_MAX / o.max_states, "%" PRId64 " graphs are too "
                "many", graphs);
    GRL_ALLOC(R->graph_ptr, int64_t, graphs + 1);
    GRL_ALLOC(actions, int64_t, graphs);
    /* sizes first (two numbers of each graph's stream), then the arrays */
    R->ngraphs = graphs;
    R->graph_ptr[0] = 0;
    int64_t arcs = 0;
    for (int64_t g = 0; g < graphs; g++) {
        grl_rng rng;
        grl_rng_init(&rng, seed, (uint64_t)g);
        int64_t ns = o.min_states +
                     (int64_t)grl_rng_below(&rng, (uint64_t)(o.max_states - o.min_states));
        actions[g] = o.min_actions +
                     (int64_t)grl_rng_below(&rng, (uint64_t)(o.max_actions - o.min_actions));
        R->graph_ptr[g + 1] = R->graph_ptr[g] + ns;
        GRL_REQUIRE_MUL_I64(ns, actions[g], "the arcs of a graph");
        GRL_ADD_I64(arcs, arcs, ns * actions[g], "the number of arcs");
    }
    int64_t n = R->graph_ptr[graphs];
    R->nodes = n;
    R->arcs = arcs;
    R->node_dim = R->arc_dim = R->node_target_dim = 1;
    GRL_ALLOC(R->in_ptr, int64_t, n + 1);
    GRL_ALLOC(R->arc_source, int64_t, arcs);
    GRL_ALLOC(R->arc_x, float, arcs);
    GRL_ALLOC(R->node_x, float, n);
    GRL_ALLOC(R->node_y, float, n);
    R->in_ptr[0] = 0;
    for (int64_t g = 0; g < graphs; g++)
        for (int64_t i = R->graph_ptr[g]; i < R->graph_ptr[g + 1]; i++)
            R->in_ptr[i + 1] = R->in_ptr[i] + actions[g];
    for (int64_t i = 0; i < n; i++) R->node_x[i] = 1.0f;
    int64_t unconverged = 0, first_bad = -1, failed = 0;
#pragma omp parallel reduction(+ : unconverged, failed)
    {
        double *v = malloc(sizeof(double) * (size_t)o.max_states * 2);
        failed += v == NULL;
#pragma omp for schedule(dynamic, 16)
        for (int64_t g = 0; g < graphs; g++) {
            if (v == NULL) continue;
            grl_rng rng;
            grl_rng_init(&rng, seed, (uint64_t)g);
            (void)grl_rng_below(&rng, (uint64_t)(o.max_states - o.min_states));
            (void)grl_rng_below(&rng, (uint64_t)(o.max_actions - o.min_actions));
            int64_t lo = R->graph_ptr[g], hi = R->graph_ptr[g + 1];
            draw_arcs(R, &rng, lo, hi - lo, actions[g]);
            if (!value_iteration(R, lo, hi, &o, v, v + o.max_states)) {
                unconverged++;
#pragma omp critical(grl_gvi_first_bad)
                if (first_bad < 0 || g < first_bad) first_bad = g;
            }
        }
        free(v);
    }
    if (failed) GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory in value iteration");
    *S = R;
    R = NULL;
    FREE_ALL;
    if (unconverged > 0) {
        grl_set_msg(msg, "value iteration did not reach tolerance %g within %" PRId64
                    " iterations on %" PRId64 " graph%s (first: graph %" PRId64
                    "); raise max_iterations", o.tolerance, o.max_iterations,
                    unconverged, unconverged == 1 ? "" : "s", first_bad);
        return GRL_NOT_CONVERGED;
    }
    return 0;
#undef FREE_ALL
}

int grl_gvi_policy(const grl_graph_set *S, const float *value, double gamma,
                   int64_t *policy, char *msg)
{
#define FREE_ALL ;
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL && value != NULL && policy != NULL,
                "grl_gvi_policy: NULL argument");
    GRL_REQUIRE(S->arc_dim >= 1 && (S->arcs == 0 || S->arc_x != NULL),
                "grl_gvi_policy: the set has no arc features (rewards)");
    GRL_REQUIRE(gamma > 0 && gamma < 1, "gamma must be in (0, 1), got %g", gamma);
#pragma omp parallel for schedule(static) if (S->arcs > 100000)
    for (int64_t i = 0; i < S->nodes; i++) {
        int64_t best = -1;
        double best_q = -INFINITY;
        for (int64_t k = S->in_ptr[i]; k < S->in_ptr[i + 1]; k++) {
            double q = S->arc_x[k * S->arc_dim] + gamma * value[S->arc_source[k]];
            if (best < 0 || q > best_q) best = k, best_q = q;
        }
        policy[i] = best;
    }
    return 0;
#undef FREE_ALL
}

int grl_gvi_evaluate(const grl_graph_set *S, const float *pred, double gamma,
                     double *mape, double *policy_accuracy, char *msg)
{
    int64_t *truth = NULL, *guess = NULL;
#define FREE_ALL free(truth); free(guess)
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL && pred != NULL && mape != NULL && policy_accuracy != NULL,
                "grl_gvi_evaluate: NULL argument");
    GRL_REQUIRE(S->node_target_dim == 1 && S->node_y != NULL,
                "grl_gvi_evaluate: the set needs one node target (the value)");
    GRL_REQUIRE(S->ngraphs >= 1, "grl_gvi_evaluate: the set has no graph");
    int64_t bad = grl_first_nonfinite(pred, S->nodes);
    GRL_REQUIRE(bad < 0, "grl_gvi_evaluate: predicted value %" PRId64 " is not "
                "finite", bad);
    GRL_ALLOC(truth, int64_t, S->nodes);
    GRL_ALLOC(guess, int64_t, S->nodes);
    GRL_TRY(grl_gvi_policy(S, S->node_y, gamma, truth, msg));
    GRL_TRY(grl_gvi_policy(S, pred, gamma, guess, msg));
    double ape_sum = 0, acc_sum = 0;
    int64_t counted = 0;
    for (int64_t g = 0; g < S->ngraphs; g++) {
        int64_t lo = S->graph_ptr[g], hi = S->graph_ptr[g + 1];
        if (hi == lo) continue;
        double ape = 0, correct = 0;
        for (int64_t i = lo; i < hi; i++) {
            double y = S->node_y[i];
            ape += fabs(y - pred[i]) / fmax(fabs(y), 1e-6);
            correct += truth[i] == guess[i];
        }
        ape_sum += 100 * ape / (double)(hi - lo);
        acc_sum += correct / (double)(hi - lo);
        counted++;
    }
    *mape = ape_sum / (double)counted;
    *policy_accuracy = acc_sum / (double)counted;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
