/* adpa_chameleon.h — what the ADPA tests on Chameleon-filtered share: its
 * graph, features, labels and splits with a view of the first ones, the
 * propagations of a set of options, and the error check. */
#ifndef GRL_TESTS_ADPA_CHAMELEON_H
#define GRL_TESTS_ADPA_CHAMELEON_H

#include "testutil.h"

#include <string.h>

#include "../gnn/adpa_internal.h"

/* rc is an error whose message contains needle. */
static inline void expect_error(int rc, const char *msg, const char *needle)
{
    if (rc >= 0) fail_msg("expected an error mentioning '%s', got %d", needle, rc);
    if (strstr(msg, needle) == NULL) fail_msg("message '%s' lacks '%s'", msg, needle);
}

/* Small, fast models (the checks are of bits and arithmetic, not of
 * accuracy): hidden 8, 6 epochs in mini-batches of 128 (each seed's order
 * differs). */
static inline grl_adpa_options small_adpa(grl_adpa_patterns patterns, uint64_t seed)
{
    grl_adpa_options o;
    grl_adpa_options_init(&o);
    o.patterns = patterns;
    o.hidden = 8;
    o.train.epochs = 6;
    o.train.batch_size = 128;
    o.train.seed = seed;
    return o;
}

typedef struct {
    grl_graph *G;
    grl_dense *X;
    grl_node_labels *L;
    grl_node_splits *S;
    grl_node_splits first; /* a view of S's first splits */
    grl_adpa_prop *P;
    int64_t n, k;
} data;

/* Load Chameleon-filtered, `first` its first `splits` splits, P built with o. */
static inline void load(data *d, const grl_adpa_options *o, int64_t splits)
{
    char msg[GRL_MSG_LEN];
    d->G = load_graph(data_path("chameleon_filtered/edges.txt"), 1);
    assert_ok(grl_node_features_load(&d->X, d->G, data_path("chameleon_filtered/features.txt"),
                                     GRL_FEATURES_AUTO, msg));
    assert_ok(grl_node_labels_load(&d->L, d->G, data_path("chameleon_filtered/labels.txt"), msg));
    assert_ok(grl_node_splits_load(&d->S, d->G, data_path("chameleon_filtered/splits.txt"), msg));
    d->first = *d->S;
    d->first.nsplits = splits;
    assert_ok(grl_adpa_prop_build(&d->P, d->G, d->X, o, msg));
    d->n = d->L->nodes;
    d->k = d->L->nclasses;
}

static inline void release(data *d)
{
    grl_adpa_prop_free(&d->P);
    grl_node_splits_free(&d->S);
    grl_node_labels_free(&d->L);
    grl_dense_free(&d->X);
    grl_graph_free(&d->G);
}

#endif
