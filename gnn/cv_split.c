/* cv_split.c — stratified k-fold cross-validation over the graphs of a
 * graph set, with the validation graphs of each fold taken from its
 * training graphs (the next part), so the epoch is chosen without looking
 * at the test part. */
#include "grl_internal.h"
#include "grl/gnn.h"

void grl_graph_folds_options_init(grl_graph_folds_options *opt)
{
    if (opt == NULL) return;
    opt->folds = 10;
    opt->seed = 0;
}

void grl_graph_folds_free(grl_graph_folds **F)
{
    if (F == NULL || *F == NULL) return;
    free((*F)->role);
    free(*F);
    *F = NULL;
}

typedef struct {
    int64_t cls;
    uint64_t key;
    int64_t graph;
} keyed_graph;

/* By class, then by the hash key (then by index: keys are distinct, as
 * grl_mix64 is a bijection, but the order must not rest on that). */
static int by_class_then_key(const void *a, const void *b)
{
    const keyed_graph *x = a, *y = b;
    if (x->cls != y->cls) return x->cls < y->cls ? -1 : 1;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->graph > y->graph) - (x->graph < y->graph);
}

int grl_graph_folds_generate(grl_graph_folds **F, const grl_graph_set *S,
                             const grl_graph_folds_options *opt, char *msg)
{
    grl_graph_folds *R = NULL;
    keyed_graph *order = NULL;
#define FREE_ALL grl_graph_folds_free(&R); free(order)
    grl_msg_clear(msg);
    GRL_REQUIRE(F != NULL && S != NULL, "grl_graph_folds_generate: NULL argument");
    *F = NULL;
    grl_graph_folds_options o;
    grl_graph_folds_options_init(&o);
    if (opt != NULL) o = *opt;
    int64_t n = S->ngraphs, k = o.folds;
    GRL_REQUIRE(k >= 3 && k <= 1000, "folds must be in 3..1000 (test, validation "
                "and training parts), got %" PRId64, k);
    GRL_REQUIRE(k <= n, "%" PRId64 " folds but only %" PRId64 " graphs", k, n);
    GRL_REQUIRE(S->nclasses == 0 || S->graph_class != NULL,
                "grl_graph_folds_generate: the set has classes but no graph_class");
    GRL_ALLOC(order, keyed_graph, n);
    const uint64_t salt = grl_mix64(o.seed + GRL_GOLDEN);
    for (int64_t g = 0; g < n; g++)
        order[g] = (keyed_graph){S->nclasses > 0 ? S->graph_class[g] : 0,
                                 grl_mix64(salt ^ (uint64_t)g), g};
    qsort(order, (size_t)n, sizeof *order, by_class_then_key);
    GRL_CALLOC(R, grl_graph_folds, 1);
    R->ngraphs = n;
    R->nfolds = k;
    GRL_ALLOC(R->role, uint8_t, grl_size_mul((size_t)n, (size_t)k));
    /* round-robin over the sorted list: class after class, continuing */
    for (int64_t j = 0; j < n; j++) {
        int64_t part = j % k, g = order[j].graph;
        for (int64_t f = 0; f < k; f++)
            R->role[f * n + g] = part == f               ? GRL_SPLIT_TEST
                                 : part == (f + 1) % k   ? GRL_SPLIT_VAL
                                                         : GRL_SPLIT_TRAIN;
    }
    *F = R;
    R = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_graph_folds_screen(grl_graph_folds *F, char *msg)
{
    int64_t *part = NULL;
#define FREE_ALL free(part)
    grl_msg_clear(msg);
    GRL_REQUIRE(F != NULL && F->role != NULL, "grl_graph_folds_screen: NULL argument");
    const int64_t n = F->ngraphs, k = F->nfolds;
    GRL_REQUIRE(k >= 4, "screening folds need at least 4 parts (left out, "
                "validation, scored, training), got %" PRId64, k);
    GRL_ALLOC(part, int64_t, n);
    for (int64_t g = 0; g < n; g++) { /* a graph's part: the fold that tests it */
        part[g] = -1;
        for (int64_t f = 0; f < k; f++)
            if (F->role[f * n + g] == GRL_SPLIT_TEST) part[g] = f;
    }
    for (int64_t f = 0; f < k; f++)
        for (int64_t g = 0; g < n; g++) {
            uint8_t *r = &F->role[f * n + g];
            if (part[g] == f) *r = GRL_SPLIT_NONE;
            else if (part[g] == (f + 2) % k) *r = GRL_SPLIT_TEST;
        }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
