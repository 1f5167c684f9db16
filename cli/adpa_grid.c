/* adpa_grid.c — the --select grid of `grl gnn adpa` (adpa_grid.h). */
#include "adpa_grid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { HOPS, R, HOP_PRIOR, HIDDEN, DROPOUT, LR, MASK_EMPTY, DAMPING, PATTERN_ATTENTION,
       DIRECTED_SCALE_INIT };

/* The settings a grid may vary, with the ranges of their single options
 * (pattern-attention takes names, held as the enum's values). */
static const struct {
    const char *name;
    bool integer;
    cli_range range;
} axes[ADPA_GRID_AXES] = {
    [HOPS] = {"hops", true, {1, 8, false, false}},
    [R] = {"r", false, {0, 1, false, false}},
    [HOP_PRIOR] = {"hop-prior", false, {0, 20, false, false}},
    [HIDDEN] = {"hidden", true, {1, 1 << 20, false, false}},
    [DROPOUT] = {"dropout", false, {0, 1, false, true}},
    [LR] = {"lr", false, {0, INFINITY, true, false}},
    [MASK_EMPTY] = {"mask-empty-hops", true, {0, 1, false, false}},
    [DAMPING] = {"hop-damping", true, {0, 1, false, false}},
    [PATTERN_ATTENTION] = {"pattern-attention", true, {0, 2, false, false}},
    [DIRECTED_SCALE_INIT] = {"directed-scale-init", false, {0, 1, false, false}},
};

typedef struct {
    adpa_grid *g;
    int a;
    char option[32];
} parse_ctx;

static int add_value(const char *item, void *vctx)
{
    parse_ctx *c = vctx;
    adpa_grid *g = c->g;
    const int axis = g->axis[c->a];
    if (g->count[c->a] == ADPA_GRID_VALUES)
        return cli_error("%s: at most %d values", c->option, ADPA_GRID_VALUES);
    double *v = &g->value[c->a][g->count[c->a]];
    if (axis == PATTERN_ATTENTION) {
        char msg[GRL_MSG_LEN];
        grl_adpa_pattern_attention a;
        if (grl_adpa_pattern_attention_parse(item, &a, msg) < 0)
            return cli_error("%s: %s", c->option, msg);
        *v = (double)a;
    } else if (axes[axis].integer) {
        long long i;
        if (cli_parse_int(c->option, item, (long long)axes[axis].range.lo,
                          (long long)axes[axis].range.hi, &i))
            return 1;
        *v = (double)i;
    } else if (cli_parse_double(c->option, item, axes[axis].range, v)) {
        return 1;
    }
    g->count[c->a]++;
    return 0;
}

int adpa_grid_parse(adpa_grid *g, const char *arg)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : 0;
    int axis = -1;
    for (int i = 0; i < ADPA_GRID_AXES; i++)
        if (len == strlen(axes[i].name) && strncmp(arg, axes[i].name, len) == 0)
            axis = i;
    if (axis < 0)
        return cli_error("--select: expected NAME=V1,V2,... with NAME one of hops, "
                         "r, hop-prior, hidden, dropout, lr, mask-empty-hops, "
                         "hop-damping, pattern-attention, directed-scale-init; got '%s'", arg);
    for (int a = 0; a < g->axes; a++)
        if (g->axis[a] == axis)
            return cli_error("--select: %s is given twice", axes[axis].name);
    parse_ctx c = {g, g->axes, ""};
    snprintf(c.option, sizeof c.option, "--select %s", axes[axis].name);
    g->axis[g->axes] = axis;
    g->count[g->axes] = 0;
    int rc = cli_split_list(c.option, eq + 1, add_value, &c);
    if (rc == 0) g->axes++;
    return rc;
}

int64_t adpa_grid_size(const adpa_grid *g)
{
    int64_t size = 1; /* at most 8^8 */
    for (int a = 0; a < g->axes; a++) size *= g->count[a];
    return size;
}

/* The value of axis a in setting index. */
static double value_at(const adpa_grid *g, int64_t index, int a)
{
    for (int b = g->axes - 1; b > a; b--) index /= g->count[b];
    return g->value[a][index % g->count[a]];
}

void adpa_grid_apply(const adpa_grid *g, int64_t index, grl_adpa_options *o)
{
    for (int a = 0; a < g->axes; a++) {
        const double v = value_at(g, index, a);
        switch (g->axis[a]) {
        case HOPS: o->hops = (int)v; break;
        case R: o->r = v; break;
        case HOP_PRIOR: o->hop_prior = v; break;
        case HIDDEN: o->hidden = (int64_t)v; break;
        case DROPOUT: o->dropout = v; break;
        case LR: o->train.optimizer.lr = v; break;
        case MASK_EMPTY: o->mask_empty_hops = (int)v; break;
        case DAMPING: o->hop_damping = (int)v; break;
        case PATTERN_ATTENTION: o->pattern_attention = (grl_adpa_pattern_attention)v; break;
        case DIRECTED_SCALE_INIT: o->directed_scale_init = v; break;
        }
    }
}

void adpa_grid_describe(const adpa_grid *g, int64_t index, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int a = 0; a < g->axes && used < len; a++) {
        const double v = value_at(g, index, a);
        int w = g->axis[a] == PATTERN_ATTENTION
                    ? snprintf(buf + used, len - used, "%s%s %s", a ? ", " : "",
                               axes[g->axis[a]].name,
                               grl_adpa_pattern_attention_name((grl_adpa_pattern_attention)v))
                    : snprintf(buf + used, len - used, "%s%s %g", a ? ", " : "",
                               axes[g->axis[a]].name, v);
        if (w < 0) break;
        used += (size_t)w;
    }
}

int64_t adpa_grid_widest_hidden(const adpa_grid *g, int64_t hidden)
{
    for (int a = 0; a < g->axes; a++) {
        if (g->axis[a] != HIDDEN) continue;
        hidden = 0;
        for (int k = 0; k < g->count[a]; k++)
            if ((int64_t)g->value[a][k] > hidden) hidden = (int64_t)g->value[a][k];
    }
    return hidden;
}
