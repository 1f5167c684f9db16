/* split.c — train/validation/test edge splits (optionally keeping a spanning
 * forest in training) and uniform negative sampling from the non-edges. */
#include "linkpred_internal.h"
#include "union_find.h"

#include <math.h>

typedef struct {
    uint64_t priority;
    int64_t u, v;
    double w;
} edge;

static int by_priority(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->priority != y->priority) return x->priority < y->priority ? -1 : 1;
    if (x->u != y->u) return x->u < y->u ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/* The random priority of edge (u, v): RNG stream keyed by the ends' id keys
 * (in key order when undirected), so it does not depend on node numbering. */
static uint64_t edge_priority(const grl_graph *G, int64_t u, int64_t v,
                              bool directed, uint64_t seed)
{
    uint64_t a = grl_graph_node_key(G, u), b = grl_graph_node_key(G, v);
    if (!directed && a > b) {
        uint64_t t = a; a = b; b = t;
    }
    uint32_t r[4];
    grl_rng_philox(seed, grl_mix64(a) ^ grl_mix64(b + GRL_GOLDEN), 0, r);
    return ((uint64_t)r[0] << 32) | r[1];
}

void grl_edge_split_free(grl_edge_split **S)
{
    if (S == NULL || *S == NULL) return;
    grl_edge_split *s = *S;
    grl_graph_free(&s->train);
    free(s->valid_u); free(s->valid_v);
    free(s->test_u); free(s->test_v);
    free(s);
    *S = NULL;
}

void grl_edge_split_options_init(grl_edge_split_options *opt)
{
    if (opt == NULL) return;
    opt->valid_fraction = 0.05;
    opt->test_fraction = 0.1;
    opt->keep_connected = false;
    opt->seed = 1;
}

int grl_edge_split_new(grl_edge_split **S, grl_graph *G,
                       const grl_edge_split_options *opt, char *msg)
{
    grl_msg_clear(msg);
    grl_edge_split_options o;
    grl_edge_split_options_init(&o);
    if (opt != NULL) o = *opt;
    GrB_Index *I = NULL, *J = NULL;
    double *W = NULL;
    edge *e = NULL;
    int64_t *parent = NULL, *tu = NULL, *tv = NULL;
    double *tw = NULL;
    bool *forest = NULL;
    grl_edge_split *s = NULL;
#define FREE_ALL free(I); free(J); free(W); free(e); free(parent); free(tu);   \
    free(tv); free(tw); free(forest); grl_edge_split_free(&s)
    GRL_REQUIRE(S != NULL && G != NULL, "grl_edge_split_new: NULL argument");
    *S = NULL;
    GRL_REQUIRE(o.valid_fraction >= 0 && o.test_fraction >= 0 &&
                o.valid_fraction + o.test_fraction <= 1,
                "validation and test fractions must be >= 0 and add up to at "
                "most 1, got %g and %g", o.valid_fraction, o.test_fraction);
    int64_t n = grl_graph_num_nodes(G);
    bool directed = grl_graph_is_directed(G);
    GrB_Index nv = (GrB_Index)grl_graph_num_arcs(G);
    GRL_ALLOC(I, GrB_Index, nv);
    GRL_ALLOC(J, GrB_Index, nv);
    GRL_ALLOC(W, double, nv);
    GRB_TRY(GrB_Matrix_extractTuples_FP64(I, J, W, &nv, grl_graph_matrix(G)));

    /* the splittable edges (each undirected edge once; not self-loops),
     * then the self-loops at the end */
    GRL_ALLOC(e, edge, nv);
    int64_t m = 0, loops = 0;
    for (GrB_Index k = 0; k < nv; k++) {
        int64_t u = (int64_t)I[k], v = (int64_t)J[k];
        if (u == v || (!directed && u > v)) continue;
        e[m++] = (edge){edge_priority(G, u, v, directed, o.seed), u, v, W[k]};
    }
    for (GrB_Index k = 0; k < nv; k++)
        if (I[k] == J[k])
            e[m + loops++] = (edge){0, (int64_t)I[k], (int64_t)J[k], W[k]};
    qsort(e, (size_t)m, sizeof(edge), by_priority);

    /* a spanning forest (Kruskal in priority order) stays in training */
    GRL_CALLOC(forest, bool, m);
    int64_t pool = m;
    if (o.keep_connected) {
        GRL_ALLOC(parent, int64_t, n);
        grl_uf_init(parent, n);
        for (int64_t k = 0; k < m; k++)
            if (grl_uf_union(parent, e[k].u, e[k].v)) {
                forest[k] = true;
                pool--;
            }
    }
    int64_t ntest = (int64_t)llround(o.test_fraction * (double)m);
    int64_t nvalid = (int64_t)llround(o.valid_fraction * (double)m);
    if (ntest + nvalid > pool)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "cannot hold out %" PRId64 " test and %"
                 PRId64 " validation edges: only %" PRId64 " of %" PRId64
                 " edges are outside a spanning forest (lower the fractions "
                 "or do not keep components connected)", ntest, nvalid, pool,
                 m);

    GRL_CALLOC(s, grl_edge_split, 1);
    GRL_ALLOC(s->test_u, int64_t, ntest);
    GRL_ALLOC(s->test_v, int64_t, ntest);
    GRL_ALLOC(s->valid_u, int64_t, nvalid);
    GRL_ALLOC(s->valid_v, int64_t, nvalid);
    int64_t ntrain = m + loops - ntest - nvalid;
    GRL_ALLOC(tu, int64_t, ntrain);
    GRL_ALLOC(tv, int64_t, ntrain);
    GRL_ALLOC(tw, double, ntrain);
    int64_t mt = 0;
    for (int64_t k = 0; k < m + loops; k++) {
        if (k < m && !forest[k] && s->ntest < ntest) {
            s->test_u[s->ntest] = e[k].u;
            s->test_v[s->ntest++] = e[k].v;
        } else if (k < m && !forest[k] && s->nvalid < nvalid) {
            s->valid_u[s->nvalid] = e[k].u;
            s->valid_v[s->nvalid++] = e[k].v;
        } else {
            tu[mt] = e[k].u;
            tv[mt] = e[k].v;
            tw[mt++] = e[k].w;
        }
    }
    grl_load_options lo;
    grl_load_options_init(&lo);
    lo.allow_nonpositive_weights = true; /* keep G's weights as they are */
    GRL_TRY(grl_graph_from_edges(&s->train, n, tu, tv,
                                 grl_graph_is_weighted(G) ? tw : NULL, mt,
                                 directed, &lo, msg));
    *S = s;
    s = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_linkpred_negatives(grl_graph *G, int64_t count, uint64_t seed,
                           int64_t *u, int64_t *v, char *msg)
{
    grl_msg_clear(msg);
    GrB_Vector diag = NULL;
    grl_csr adj = {0};
#define FREE_ALL GrB_Vector_free(&diag); grl_csr_return(&adj, NULL)
    GRL_REQUIRE(G != NULL && count >= 0 && (count == 0 || (u && v)),
                "grl_linkpred_negatives: NULL argument or negative count");
    GRL_TRY(grl_init(msg));
    int64_t n = grl_graph_num_nodes(G);
    GrB_Matrix A = grl_graph_matrix(G);
    GrB_Index loops;
    GRB_TRY(GrB_Vector_new(&diag, GrB_FP64, n));
    GRB_TRY(GxB_Vector_diag(diag, A, 0, NULL));
    GRB_TRY(GrB_Vector_nvals(&loops, diag));
    double nonedges = (double)n * (double)(n - 1) -
                      (double)(grl_graph_num_arcs(G) - (int64_t)loops);
    if (count == 0) {
        FREE_ALL;
        return 0;
    }
    GRL_REQUIRE(nonedges > 0, "the graph has no non-edge to sample negatives "
                "from (%" PRId64 " nodes, complete)", n);
    /* borrows G's own matrix: G must not be in use elsewhere during the
     * sampling; FREE_ALL returns it */
    GRL_TRY(grl_csr_borrow(&adj, A, true, msg));
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < count; k++) {
        grl_rng rng;
        grl_rng_init(&rng, seed, (uint64_t)k);
        for (;;) { /* rejection: uniform over ordered pairs u != v */
            int64_t a = (int64_t)grl_rng_below(&rng, (uint64_t)n);
            int64_t b = (int64_t)grl_rng_below(&rng, (uint64_t)n);
            bool linked;
            if (a == b) continue;
            lp_csr_get(&adj, (GrB_Index)a, (GrB_Index)b, &linked);
            if (linked) continue;
            u[k] = a;
            v[k] = b;
            break;
        }
    }
    GRL_TRY(grl_csr_return(&adj, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
