/* pore.c — random pore networks and their steady pressures (see gnn.h):
 * each graph is built on its own (positions, radii, throats, the pores kept),
 * solved, then the graphs are concatenated into one set. */
#include "grl_internal.h"
#include "grl/gnn.h"
#include "pore_solve.h"
#include "union_find.h"

#include <math.h>

void grl_pore_options_init(grl_pore_options *opt)
{
    if (opt == NULL) return;
    opt->min_pores = 50;
    opt->max_pores = 200;
    opt->mean_degree = 6;
    opt->radius_median = 0.02;
    opt->radius_log_std = 0.25;
    opt->viscosity = 1e-3;
    opt->face_width = 0.1;
    opt->tolerance = 1e-10;
    opt->max_iterations = 10000;
}

static int check_options(const grl_pore_options *o, int64_t graphs, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(graphs >= 1, "the number of graphs must be >= 1, got %" PRId64, graphs);
    GRL_REQUIRE(o->min_pores >= 2 && o->min_pores < o->max_pores &&
                o->max_pores <= 10000000, "pores per graph must be a range [min, "
                "max) with 2 <= min < max <= 10^7, got [%" PRId64 ", %" PRId64 ")",
                o->min_pores, o->max_pores);
    GRL_REQUIRE(o->mean_degree > 0 && o->mean_degree <= 1000, "the mean degree "
                "must be in (0, 1000], got %g", o->mean_degree);
    GRL_REQUIRE(o->radius_median > 0 && o->radius_median < 1e6, "the median pore "
                "radius must be in (0, 1e6), got %g", o->radius_median);
    GRL_REQUIRE(o->radius_log_std >= 0 && o->radius_log_std <= 3, "the radius "
                "log-std must be in [0, 3], got %g", o->radius_log_std);
    GRL_REQUIRE(o->viscosity > 0 && o->viscosity < 1e6, "the viscosity must be in "
                "(0, 1e6), got %g", o->viscosity);
    GRL_REQUIRE(o->face_width > 0 && o->face_width < 0.5, "the face width must be "
                "in (0, 0.5), got %g", o->face_width);
    GRL_REQUIRE(o->tolerance > 0 && o->tolerance < 1, "the tolerance must be in "
                "(0, 1), got %g", o->tolerance);
    GRL_REQUIRE(o->max_iterations >= 1, "max_iterations must be >= 1, got %" PRId64,
                o->max_iterations);
    return 0;
#undef FREE_ALL
}

/* One graph while it is built: pores (kept ones renumbered 0..n-1) and
 * throats as a CSR of incoming arcs, sources ascending. */
typedef struct {
    int64_t n, arcs;
    double *pos;      /* n x 3 */
    double *radius;   /* n     */
    int8_t *face;     /* n: 1 inlet, -1 outlet, 0 inside */
    int64_t *ptr;     /* n + 1 */
    int64_t *src;     /* arcs  */
    double *g, *len;  /* arcs  */
    double *p;        /* n pressures */
    int status;       /* 0, GRL_NOT_CONVERGED or an error */
} pore_graph;

static void pore_graph_release(pore_graph *G)
{
    free(G->pos);
    free(G->radius);
    free(G->face);
    free(G->ptr);
    free(G->src);
    free(G->g);
    free(G->len);
    free(G->p);
    memset(G, 0, sizeof(*G));
}

static double distance(const double *a, const double *b)
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return sqrt(dx * dx + dy * dy + dz * dz);
}

/* Pores of G kept: those whose component holds an inlet or an outlet,
 * throats within r_c (O(n^2) pairs: 10,000 pores take ~0.1 s). */
static int draw_pores(pore_graph *G, int64_t n, grl_rng *rng,
                      const grl_pore_options *o)
{
    double *pos = NULL, *radius = NULL;
    int64_t *parent = NULL, *index = NULL;
    int8_t *face = NULL;
    int rc = GRL_OUT_OF_MEMORY;
    pos = malloc(sizeof(double) * 3 * (size_t)n);
    radius = malloc(sizeof(double) * (size_t)n);
    parent = malloc(sizeof(int64_t) * (size_t)n);
    index = malloc(sizeof(int64_t) * (size_t)n);
    face = calloc((size_t)n, 1);
    if (!pos || !radius || !parent || !index || !face) goto done;
    int64_t lo = 0, hi = 0;
    for (int64_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) pos[3 * i + c] = grl_rng_uniform(rng);
        /* Box-Muller: a standard normal from two uniforms */
        double u1 = 1.0 - grl_rng_uniform(rng), u2 = grl_rng_uniform(rng);
        double z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
        radius[i] = o->radius_median * exp(o->radius_log_std * z);
        face[i] = pos[3 * i] < o->face_width ? 1 : pos[3 * i] > 1 - o->face_width ? -1 : 0;
        if (pos[3 * i] < pos[3 * lo]) lo = i;
        if (pos[3 * i] > pos[3 * hi]) hi = i;
    }
    face[lo] = 1;
    face[hi] = -1;
    const double rc_dist = cbrt(3.0 * o->mean_degree / (4.0 * M_PI * (double)n));
    grl_uf_init(parent, n);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = i + 1; j < n; j++)
            if (distance(pos + 3 * i, pos + 3 * j) < rc_dist) grl_uf_union(parent, i, j);
    /* a component is kept when its root sees a boundary pore */
    bool *anchored = calloc((size_t)n, sizeof(bool));
    if (anchored == NULL) goto done;
    for (int64_t i = 0; i < n; i++)
        if (face[i] != 0) anchored[grl_uf_find(parent, i)] = true;
    int64_t kept = 0;
    for (int64_t i = 0; i < n; i++)
        index[i] = anchored[grl_uf_find(parent, i)] ? kept++ : -1;
    free(anchored);
    G->n = kept;
    G->pos = malloc(sizeof(double) * 3 * (size_t)kept);
    G->radius = malloc(sizeof(double) * (size_t)kept);
    G->face = malloc((size_t)kept);
    G->ptr = calloc((size_t)kept + 1, sizeof(int64_t));
    if (!G->pos || !G->radius || !G->face || !G->ptr) goto done;
    for (int64_t i = 0; i < n; i++) {
        if (index[i] < 0) continue;
        memcpy(G->pos + 3 * index[i], pos + 3 * i, 3 * sizeof(double));
        G->radius[index[i]] = radius[i];
        G->face[index[i]] = face[i];
    }
    /* throats: count, then fill (sources ascend as j does) */
    for (int pass = 0; pass < 2; pass++) {
        for (int64_t i = 0; i < kept; i++) {
            int64_t k = G->ptr[i];
            for (int64_t j = 0; j < kept; j++) {
                if (j == i) continue;
                double L = distance(G->pos + 3 * i, G->pos + 3 * j);
                if (!(L < rc_dist)) continue;
                if (pass == 0) {
                    G->ptr[i + 1]++;
                    continue;
                }
                double r = fmin(G->radius[i], G->radius[j]);
                G->src[k] = j;
                G->len[k] = L;
                G->g[k] = M_PI * r * r * r * r / (8.0 * o->viscosity * fmax(L, 1e-300));
                k++;
            }
        }
        if (pass == 1) break;
        for (int64_t i = 0; i < kept; i++) G->ptr[i + 1] += G->ptr[i];
        G->arcs = G->ptr[kept];
        G->src = malloc(sizeof(int64_t) * (size_t)(G->arcs ? G->arcs : 1));
        G->g = malloc(sizeof(double) * (size_t)(G->arcs ? G->arcs : 1));
        G->len = malloc(sizeof(double) * (size_t)(G->arcs ? G->arcs : 1));
        G->p = malloc(sizeof(double) * (size_t)(kept ? kept : 1));
        if (!G->src || !G->g || !G->len || !G->p) goto done;
    }
    rc = 0;
done:
    free(pos);
    free(radius);
    free(parent);
    free(index);
    free(face);
    return rc;
}

int grl_pore_generate(grl_graph_set **S, int64_t graphs, uint64_t seed,
                      const grl_pore_options *opt, char *msg)
{
    grl_graph_set *R = NULL;
    pore_graph *G = NULL;
#define FREE_ALL grl_graph_set_free(R); \
    for (int64_t g = 0; G != NULL && g < graphs; g++) pore_graph_release(&G[g]); \
    free(G)
    grl_msg_clear(msg);
    GRL_REQUIRE(S != NULL, "grl_pore_generate: NULL argument");
    *S = NULL;
    grl_pore_options o;
    grl_pore_options_init(&o);
    if (opt != NULL) o = *opt;
    GRL_TRY(check_options(&o, graphs, msg));
    GRL_REQUIRE(graphs <= 100000000, "at most 10^8 graphs, got %" PRId64, graphs);
    GRL_CALLOC(G, pore_graph, graphs);
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t g = 0; g < graphs; g++) {
        grl_rng rng;
        grl_rng_init(&rng, seed, (uint64_t)g);
        int64_t n = o.min_pores +
                    (int64_t)grl_rng_below(&rng, (uint64_t)(o.max_pores - o.min_pores));
        G[g].status = draw_pores(&G[g], n, &rng, &o);
        if (G[g].status == 0)
            G[g].status = grl_pore_pressures(G[g].p, G[g].n, G[g].ptr, G[g].src, G[g].g,
                                             G[g].face, o.tolerance, o.max_iterations);
    }
    int64_t nodes = 0, arcs = 0, unconverged = 0, first_bad = -1;
    for (int64_t g = 0; g < graphs; g++) {
        const int status = G[g].status; /* GRL_FAIL frees G before returning */
        if (status < 0) GRL_FAIL(status, "out of memory generating pore network %" PRId64, g);
        if (G[g].status > 0 && unconverged++ == 0) first_bad = g;
        GRL_ADD_I64(nodes, nodes, G[g].n, "the number of pores");
        GRL_ADD_I64(arcs, arcs, G[g].arcs, "the number of throats");
    }
    GRL_CALLOC(R, grl_graph_set, 1);
    R->ngraphs = graphs;
    R->nodes = nodes;
    R->arcs = arcs;
    R->node_dim = 6;
    R->arc_dim = 2;
    R->node_target_dim = 1;
    GRL_ALLOC(R->graph_ptr, int64_t, graphs + 1);
    GRL_ALLOC(R->in_ptr, int64_t, nodes + 1);
    GRL_ALLOC(R->arc_source, int64_t, arcs);
    GRL_ALLOC(R->node_x, float, grl_size_mul((size_t)nodes, 6));
    GRL_ALLOC(R->arc_x, float, grl_size_mul((size_t)arcs, 2));
    GRL_ALLOC(R->node_y, float, nodes);
    R->graph_ptr[0] = R->in_ptr[0] = 0;
    int64_t v0 = 0, k0 = 0;
    for (int64_t g = 0; g < graphs; g++) {
        const pore_graph *P = &G[g];
        for (int64_t i = 0; i < P->n; i++) {
            float *x = R->node_x + 6 * (v0 + i);
            for (int c = 0; c < 3; c++) x[c] = (float)P->pos[3 * i + c];
            x[3] = (float)P->radius[i];
            x[4] = P->face[i] == 1;
            x[5] = P->face[i] == -1;
            R->node_y[v0 + i] = (float)P->p[i];
            R->in_ptr[v0 + i + 1] = k0 + P->ptr[i + 1];
        }
        for (int64_t k = 0; k < P->arcs; k++) {
            R->arc_source[k0 + k] = v0 + P->src[k];
            R->arc_x[2 * (k0 + k)] = (float)P->g[k];
            R->arc_x[2 * (k0 + k) + 1] = (float)P->len[k];
        }
        v0 += P->n;
        k0 += P->arcs;
        R->graph_ptr[g + 1] = v0;
    }
    *S = R;
    R = NULL;
    FREE_ALL;
    if (unconverged > 0) {
        grl_set_msg(msg, "conjugate gradients did not reach tolerance %g within %"
                    PRId64 " iterations on %" PRId64 " graph%s (first: graph %" PRId64
                    "); raise max_iterations", o.tolerance, o.max_iterations,
                    unconverged, unconverged == 1 ? "" : "s", first_bad);
        return GRL_NOT_CONVERGED;
    }
    return 0;
#undef FREE_ALL
}
