/* params.c — a model's parameters as one flat array with named shapes, so
 * optimisers, best-epoch snapshots and model files treat them alike. */
#include "nn.h"

int grl_nn_params_add(grl_nn_params *P, int64_t rows, int64_t cols)
{
    if (P->ntensors >= GRL_NN_MAX_TENSORS || rows < 1 || cols < 1) return -1;
    int t = P->ntensors++;
    P->t[t].rows = rows;
    P->t[t].cols = cols;
    P->t[t].offset = P->count;
    P->count = grl_size_add(P->count, grl_size_mul((size_t)rows, (size_t)cols));
    return t;
}

int grl_nn_params_alloc(grl_nn_params *P, char *msg)
{
#define FREE_ALL grl_nn_params_release(P)
    GRL_REQUIRE(P->count <= GRL_NN_MAX_PARAMS, "the model would have %zu parameters "
                "(%.1f GiB with their gradients and Adam's moments), over the cap of "
                "%zu (2^27, 2 GiB): lower the hidden width", P->count,
                (double)P->count * 16 / (1 << 30), GRL_NN_MAX_PARAMS);
    GRL_CALLOC(P->value, float, P->count);
    GRL_CALLOC(P->grad, float, P->count);
    return 0;
#undef FREE_ALL
}

void grl_nn_params_release(grl_nn_params *P)
{
    free(P->value);
    free(P->grad);
    P->value = P->grad = NULL;
}

void grl_nn_params_uniform(grl_nn_params *P, int t, double bound,
                           uint64_t seed)
{
    grl_rng rng;
    grl_rng_init(&rng, seed, (uint64_t)t);
    float *v = grl_nn_value(P, t);
    size_t count = (size_t)P->t[t].rows * (size_t)P->t[t].cols;
    for (size_t i = 0; i < count; i++)
        v[i] = (float)((2 * grl_rng_uniform(&rng) - 1) * bound);
}

void grl_nn_params_fill(grl_nn_params *P, int t, float value)
{
    float *v = grl_nn_value(P, t);
    size_t count = (size_t)P->t[t].rows * (size_t)P->t[t].cols;
    for (size_t i = 0; i < count; i++) v[i] = value;
}
