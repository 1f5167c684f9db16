/* adpa_grid.h — `grl gnn adpa --select NAME=V1,V2,...`: a grid of ADPA
 * settings (hops, r, hop-prior, hidden, dropout, lr, mask-empty-hops,
 * hop-damping, pattern-attention), each one trained on every split; cmd_gnn.c keeps the setting with the best
 * mean validation accuracy (never test). */
#ifndef GRL_CLI_ADPA_GRID_H
#define GRL_CLI_ADPA_GRID_H

#include "cli.h"

#define ADPA_GRID_AXES 10
#define ADPA_GRID_VALUES 8

typedef struct {
    int axes;                  /* --select options given                  */
    int axis[ADPA_GRID_AXES];  /* which setting each one varies           */
    int count[ADPA_GRID_AXES]; /* its values                              */
    double value[ADPA_GRID_AXES][ADPA_GRID_VALUES];
} adpa_grid;

/* Add one --select NAME=V1,V2,... axis (a name at most once, values range
 * checked as the single options are). Returns 0 or an exit code. */
int adpa_grid_parse(adpa_grid *g, const char *arg);
/* Settings in the grid: the product of the axes' counts (1 without axes). */
int64_t adpa_grid_size(const adpa_grid *g);
/* Set setting `index` (0 .. size-1, the first axis slowest) in *o. */
void adpa_grid_apply(const adpa_grid *g, int64_t index, grl_adpa_options *o);
/* The widest hidden layer any setting trains: the largest of the grid's
 * hidden values, or `hidden` (the single option) without a hidden axis. */
int64_t adpa_grid_widest_hidden(const adpa_grid *g, int64_t hidden);
/* "hops 2, lr 0.06" for setting `index` into buf. */
void adpa_grid_describe(const adpa_grid *g, int64_t index, char *buf, size_t len);

#endif
