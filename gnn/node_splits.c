/* node_splits.c — train/validation/test splits: read from a file (`split
 * node role` or Planetoid's `node role`) or drawn from a seed. */
#include "node_text.h"
#include "grl/gnn.h"

void grl_node_splits_free(grl_node_splits **S)
{
    if (S == NULL || *S == NULL) return;
    free((*S)->role);
    free(*S);
    *S = NULL;
}

void grl_node_splits_options_init(grl_node_splits_options *opt)
{
    if (opt == NULL) return;
    memset(opt, 0, sizeof(*opt));
    opt->train_per_class = 20;
    opt->val = 500;
    opt->repeats = 10;
}

static int parse_role(const char *s, uint8_t *role)
{
    static const grl_enum_name roles[] = {
        {"none", GRL_SPLIT_NONE}, {"train", GRL_SPLIT_TRAIN}, {"val", GRL_SPLIT_VAL},
        {"test", GRL_SPLIT_TEST}, {"valid", GRL_SPLIT_VAL},
        {"validation", GRL_SPLIT_VAL}};
    int v;
    int rc = grl_enum_parse(roles, sizeof roles / sizeof roles[0], "role", s, &v, NULL);
    if (rc == 0) *role = (uint8_t)v;
    return rc;
}

static int check_has_train(const grl_node_splits *S, const char *path, char *msg)
{
    for (int64_t s = 0; s < S->nsplits; s++) {
        int64_t train = 0;
        for (int64_t i = 0; i < S->nodes; i++)
            train += S->role[s * S->nodes + i] == GRL_SPLIT_TRAIN;
        if (train == 0) {
            grl_set_msg(msg, "%s: split %" PRId64 " has no training node", path, s);
            return GRL_PARSE_ERROR;
        }
    }
    return 0;
}

int grl_node_splits_load(grl_node_splits **S, grl_graph *G, const char *path,
                         char *msg)
{
    grl_text t = {0};
    grl_node_splits *R = NULL;
    uint8_t *seen = NULL;
#define FREE_ALL grl_text_close(&t); grl_node_splits_free(&R); free(seen)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(S != NULL && G != NULL && path != NULL,
                "grl_node_splits_load: NULL argument");
    *S = NULL;
    int64_t n = grl_graph_num_nodes(G);
    /* pass 1: the format (2 or 3 fields, from the first line) and the
     * number of splits */
    GRL_TRY(grl_text_open(&t, path, msg));
    int64_t width = 0, nsplits = 0;
    while (grl_text_next(&t)) {
        if (width == 0) width = t.total_fields;
        if (t.total_fields != width || (width != 2 && width != 3))
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected `split node role` "
                     "or `node role` lines (as the first line), got %" PRId64
                     " fields", path, t.line, t.total_fields);
        if (width == 3) {
            int64_t s;
            GRL_TRY(grl_text_count(&t, t.field[0], "split number", &s, msg));
            if (s >= (int64_t)1 << 20)
                GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": split %" PRId64
                         " is too large (at most 2^20 splits)", path, t.line, s);
            if (s + 1 > nsplits) nsplits = s + 1;
        }
    }
    grl_text_close(&t);
    if (width == 0) GRL_FAIL(GRL_PARSE_ERROR, "%s: no split lines", path);
    if (width == 2) nsplits = 1;
    GRL_CALLOC(R, grl_node_splits, 1);
    R->nodes = n;
    R->nsplits = nsplits;
    GRL_CALLOC(R->role, uint8_t, grl_size_mul((size_t)n, (size_t)nsplits));
    GRL_CALLOC(seen, uint8_t, grl_size_mul((size_t)n, (size_t)nsplits));
    GRL_TRY(grl_text_open(&t, path, msg));
    while (grl_text_next(&t)) {
        int64_t s = 0, i;
        int f = width == 3;
        if (f) GRL_TRY(grl_text_count(&t, t.field[0], "split number", &s, msg));
        GRL_TRY(grl_text_node(&t, G, t.field[f], &i, msg));
        uint8_t role = GRL_SPLIT_NONE;
        if (parse_role(t.field[f + 1], &role) < 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": unknown role '%.40s': "
                     "expected train, val, test or none", path, t.line,
                     t.field[f + 1]);
        size_t at = (size_t)s * (size_t)n + (size_t)i;
        if (seen[at] && R->role[at] != role)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": node '%.60s' already has "
                     "another role in split %" PRId64, path, t.line, t.field[f], s);
        seen[at] = 1;
        R->role[at] = role;
    }
    for (int64_t s = 0; s < nsplits; s++) {
        bool any = false;
        for (int64_t i = 0; i < n && !any; i++) any = seen[s * n + i];
        if (!any)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: split %" PRId64 " has no line; splits "
                     "must be numbered 0..%" PRId64 " without gaps", path, s,
                     nsplits - 1);
    }
    GRL_TRY(check_has_train(R, path, msg));
    *S = R;
    R = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

typedef struct {
    uint64_t key;
    int64_t node;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

int grl_node_splits_generate(grl_node_splits **S, const grl_graph *G,
                             const grl_node_labels *L,
                             const grl_node_splits_options *opt, char *msg)
{
    grl_node_splits *R = NULL;
    keyed *order = NULL;
    int64_t *taken = NULL, *have = NULL;
#define FREE_ALL grl_node_splits_free(&R); free(order); free(taken); free(have)
    if (msg) msg[0] = '\0';
    GRL_REQUIRE(S != NULL && G != NULL && L != NULL,
                "grl_node_splits_generate: NULL argument");
    *S = NULL;
    grl_node_splits_options o;
    if (opt) o = *opt;
    else grl_node_splits_options_init(&o);
    int64_t n = L->nodes;
    GRL_REQUIRE(grl_graph_num_nodes(G) == n, "the labels cover %" PRId64
                " nodes but the graph has %" PRId64, n, grl_graph_num_nodes(G));
    GRL_REQUIRE(o.repeats >= 1 && o.repeats <= (1 << 20),
                "repeats must be in 1..2^20, got %" PRId64, o.repeats);
    GRL_REQUIRE(o.train_per_class > 0 ||
                    (o.train_fraction > 0 && o.train_fraction < 1),
                "give a training count per class >= 1 or a training fraction "
                "in (0, 1)");
    GRL_REQUIRE(o.val > 0 || (o.val_fraction >= 0 && o.val_fraction < 1),
                "give a validation count >= 1 or a fraction in [0, 1)");
    int64_t labelled = 0;
    GRL_CALLOC(have, int64_t, L->nclasses);
    for (int64_t i = 0; i < n; i++)
        if (L->y[i] >= 0) labelled++, have[L->y[i]]++;
    if (o.train_per_class > 0)
        for (int64_t c = 0; c < L->nclasses; c++)
            if (have[c] < o.train_per_class)
                GRL_FAIL(GRL_INVALID_ARGUMENT, "class %" PRId64 " has %" PRId64
                         " labelled nodes, fewer than %" PRId64 " per class for "
                         "training", c, have[c], o.train_per_class);
    int64_t ntrain = o.train_per_class > 0
                         ? o.train_per_class * L->nclasses
                         : (int64_t)(o.train_fraction * (double)labelled + 0.5);
    int64_t nval = o.val > 0 ? o.val
                             : (int64_t)(o.val_fraction * (double)labelled + 0.5);
    if (ntrain < 1 || ntrain + nval >= labelled)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "%" PRId64 " training + %" PRId64
                 " validation nodes leave no test node among %" PRId64
                 " labelled ones", ntrain, nval, labelled);
    GRL_CALLOC(R, grl_node_splits, 1);
    R->nodes = n;
    R->nsplits = o.repeats;
    GRL_CALLOC(R->role, uint8_t, grl_size_mul((size_t)n, (size_t)o.repeats));
    GRL_ALLOC(order, keyed, labelled);
    GRL_ALLOC(taken, int64_t, L->nclasses);
    for (int64_t s = 0; s < o.repeats; s++) {
        const uint64_t key = grl_mix64(grl_mix64(o.seed + GRL_GOLDEN) + (uint64_t)s);
        int64_t m = 0;
        for (int64_t i = 0; i < n; i++)
            if (L->y[i] >= 0)
                order[m++] = (keyed){grl_mix64(key ^ grl_mix64(
                                         grl_graph_node_key(G, i) + GRL_GOLDEN)), i};
        qsort(order, (size_t)m, sizeof(keyed), cmp_keyed);
        memset(taken, 0, sizeof(int64_t) * (size_t)L->nclasses);
        uint8_t *role = R->role + s * n;
        int64_t tr = 0, va = 0;
        for (int64_t k = 0; k < m; k++) {
            int64_t i = order[k].node, c = L->y[i];
            bool train = o.train_per_class > 0 ? taken[c] < o.train_per_class
                                               : tr < ntrain;
            if (train) {
                taken[c]++;
                tr++;
                role[i] = GRL_SPLIT_TRAIN;
            } else if (va < nval) {
                va++;
                role[i] = GRL_SPLIT_VAL;
            } else {
                role[i] = GRL_SPLIT_TEST;
            }
        }
    }
    *S = R;
    R = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
