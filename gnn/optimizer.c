/* optimizer.c — Adam (Kingma & Ba) with L2 or decoupled (AdamW, Loshchilov
 * & Hutter) weight decay, SGD with momentum, and a cosine learning-rate
 * schedule. Elementwise, so the thread count cannot change a bit. */
#include "nn.h"

#include <math.h>

static const grl_enum_name optimizer_names[] = {
    {"adam", GRL_OPTIMIZER_ADAM}, {"adamw", GRL_OPTIMIZER_ADAMW},
    {"sgd", GRL_OPTIMIZER_SGD}};
#define NOPTIMIZERS (int)(sizeof optimizer_names / sizeof optimizer_names[0])

GRL_ENUM_FUNCTIONS(grl_optimizer, optimizer_names, "optimizer")

void grl_optimizer_options_init(grl_optimizer_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->kind = GRL_OPTIMIZER_ADAM;
    opt->lr = 0.01;
    opt->beta1 = 0.9;
    opt->beta2 = 0.999;
    opt->eps = 1e-8;
    opt->momentum = 0.9;
}

int grl_nn_optimizer_init(grl_nn_optimizer *o, const grl_optimizer_options *opt,
                          size_t count, char *msg)
{
#define FREE_ALL grl_nn_optimizer_release(o)
    memset(o, 0, sizeof(*o));
    o->opt = *opt;
    GRL_REQUIRE((int)opt->kind >= 0 && (int)opt->kind < NOPTIMIZERS,
                "unknown optimizer %d", (int)opt->kind);
    GRL_REQUIRE(isfinite(opt->lr) && opt->lr > 0,
                "the learning rate must be a finite number > 0, got %g", opt->lr);
    GRL_REQUIRE(isfinite(opt->weight_decay) && opt->weight_decay >= 0,
                "weight decay must be finite and >= 0, got %g", opt->weight_decay);
    GRL_REQUIRE(opt->beta1 >= 0 && opt->beta1 < 1 && opt->beta2 >= 0 &&
                    opt->beta2 < 1,
                "Adam's betas must be in [0, 1), got %g and %g", opt->beta1,
                opt->beta2);
    GRL_REQUIRE(isfinite(opt->eps) && opt->eps > 0,
                "Adam's epsilon must be > 0, got %g", opt->eps);
    GRL_REQUIRE(opt->momentum >= 0 && opt->momentum < 1,
                "momentum must be in [0, 1), got %g", opt->momentum);
    GRL_REQUIRE(isfinite(opt->lr_min) && opt->lr_min >= 0 && opt->lr_min <= opt->lr,
                "the final learning rate must be in [0, lr], got %g", opt->lr_min);
    GRL_CALLOC(o->m, float, count);
    if (opt->kind != GRL_OPTIMIZER_SGD) GRL_CALLOC(o->v, float, count);
    return 0;
#undef FREE_ALL
}

double grl_nn_optimizer_lr(const grl_nn_optimizer *o)
{
    const grl_optimizer_options *c = &o->opt;
    if (!c->cosine || o->total_steps <= 0) return c->lr;
    double t = (double)o->step / (double)o->total_steps;
    if (t > 1) t = 1;
    return c->lr_min + (c->lr - c->lr_min) * 0.5 * (1 + cos(M_PI * t));
}

void grl_nn_optimizer_step(grl_nn_optimizer *o, grl_nn_params *P)
{
    const grl_optimizer_options *c = &o->opt;
    const double lr = grl_nn_optimizer_lr(o), wd = c->weight_decay;
    o->step++; /* Adam's bias corrections count from 1 */
    const size_t count = P->count;
    float *x = P->value;
    const float *g = P->grad;
    if (c->kind == GRL_OPTIMIZER_SGD) {
        const float mu = (float)c->momentum;
#pragma omp parallel for schedule(static) if (count > GRL_NN_PARALLEL_WORK)
        for (size_t i = 0; i < count; i++) {
            float gi = g[i] + (float)wd * x[i];
            o->m[i] = mu * o->m[i] + gi;
            x[i] -= (float)lr * o->m[i];
        }
        return;
    }
    const bool decoupled = c->kind == GRL_OPTIMIZER_ADAMW;
    const double b1 = c->beta1, b2 = c->beta2;
    const double bc1 = 1 - pow(b1, (double)o->step);
    const double bc2 = 1 - pow(b2, (double)o->step);
    const float step = (float)(lr / bc1), eps = (float)c->eps;
    const float rbc2 = (float)(1.0 / sqrt(bc2));
    const float decay = decoupled ? (float)(1 - lr * wd) : 1.0f;
#pragma omp parallel for schedule(static) if (count > GRL_NN_PARALLEL_WORK)
    for (size_t i = 0; i < count; i++) {
        float gi = decoupled ? g[i] : g[i] + (float)wd * x[i];
        o->m[i] = (float)b1 * o->m[i] + (float)(1 - b1) * gi;
        o->v[i] = (float)b2 * o->v[i] + (float)(1 - b2) * gi * gi;
        x[i] = x[i] * decay - step * o->m[i] / (sqrtf(o->v[i]) * rbc2 + eps);
    }
}

void grl_nn_optimizer_release(grl_nn_optimizer *o)
{
    free(o->m);
    free(o->v);
    o->m = o->v = NULL;
}
