/* partition.c — METIS k-way partitioning and the quality of a partition
 * (edge cut, balance, boundary nodes), on the symmetrised structure of the
 * graph without self-loops.
 *
 * Memory: grl_partition_compute holds the symmetrised pattern (8 bytes per stored
 * entry, two per undirected edge, plus 8 per node) while it copies it into
 * METIS's idx_t arrays (4 bytes per entry and per node), frees it, then
 * METIS's own work space (a few times its input); grl_partition_evaluate
 * holds the pattern and k part sizes.
 */
#include "partition_internal.h"

#include <math.h>
#include <metis.h>

int grl_sym_pattern_new(grl_sym_pattern *s, grl_graph *G, char *msg)
{
    memset(s, 0, sizeof(*s));
#define FREE_ALL grl_sym_pattern_free(s)
    int64_t n = G->ids.n;
    s->n = n;
    GRB_TRY(GrB_Matrix_new(&s->S, GrB_BOOL, n, n));
    if (G->directed) {
        /* S = A | A' (the values do not matter, only the structure) */
        GRB_TRY(GrB_eWiseAdd(s->S, NULL, NULL, GrB_ONEB_BOOL, G->A, G->A,
                             GrB_DESC_T1));
        GRB_TRY(GrB_select(s->S, NULL, NULL, GrB_OFFDIAG, s->S, 0, NULL));
    } else {
        GRB_TRY(GrB_select(s->S, NULL, NULL, GrB_OFFDIAG, G->A, 0, NULL));
    }
    GrB_Index nvals;
    GRB_TRY(GrB_Matrix_nvals(&nvals, s->S));
    s->nnz = (int64_t)nvals;
    /* jumbled == NULL: GraphBLAS sorts each row before handing it over */
    GRB_TRY(GxB_Matrix_unpack_CSR(s->S, &s->p, &s->j, &s->x, &s->p_size,
                                  &s->j_size, &s->x_size, &s->iso, NULL,
                                  NULL));
    return 0;
#undef FREE_ALL
}

void grl_sym_pattern_free(grl_sym_pattern *s)
{
    if (s->S != NULL && s->p != NULL) {
        /* Give the arrays back so GraphBLAS frees them with its own
         * allocator. Packing arrays just unpacked from the same matrix does
         * not fail; if it ever did, they came from GrB_init's allocator,
         * the C library's. */
        if (GxB_Matrix_pack_CSR(s->S, &s->p, &s->j, &s->x, s->p_size,
                                s->j_size, s->x_size, s->iso, false,
                                NULL) != GrB_SUCCESS) {
            free(s->p);
            free(s->j);
            free(s->x);
        }
    }
    GrB_Matrix_free(&s->S);
    memset(s, 0, sizeof(*s));
}

int grl_partition_check(const char *who, const grl_graph *G,
                        const int64_t *part, int64_t k, char *msg)
{
#define FREE_ALL ;
    int64_t n = G->ids.n;
    GRL_REQUIRE(k >= 1, "%s: k = %" PRId64 "; the number of parts must be at "
                "least 1", who, k);
    GRL_REQUIRE(part != NULL || n == 0, "%s: the part array is NULL", who);
    for (int64_t i = 0; i < n; i++) {
        if (part[i] >= 0 && part[i] < k) continue;
        char id[96];
        grl_graph_node_id(G, i, id, sizeof id);
        GRL_FAIL(GRL_INVALID_ARGUMENT, "%s: node %" PRId64 " (id %s) is in "
                 "part %" PRId64 "; parts must be 0..%" PRId64 " for k = %"
                 PRId64, who, i, id, part[i], k - 1, k);
    }
    return 0;
#undef FREE_ALL
}

void grl_partition_options_init(grl_partition_options *opt)
{
    if (opt == NULL) return;
    opt->seed = 1;
    opt->imbalance = 0.03;
}

int grl_partition_compute(grl_graph *G, int64_t k,
                          const grl_partition_options *opt, int64_t *part,
                          grl_partition_info *info, char *msg)
{
    grl_msg_clear(msg);
    grl_sym_pattern s = {0};
    idx_t *xadj = NULL, *adjncy = NULL, *where = NULL;
#define FREE_ALL grl_sym_pattern_free(&s); free(xadj); free(adjncy); \
    free(where)
    grl_partition_options o;
    grl_partition_options_init(&o);
    if (opt != NULL) o = *opt;
    GRL_REQUIRE(G != NULL, "grl_partition_compute: the graph is NULL");
    GRL_REQUIRE(o.imbalance >= 0.001 && o.imbalance <= 10,
                "grl_partition_compute: imbalance %g is outside 0.001..10",
                o.imbalance);
    int64_t n = G->ids.n, kmax = n > 0 ? n : 1;
    GRL_REQUIRE(part != NULL || n == 0, "grl_partition_compute: the part array is "
                "NULL");
    GRL_REQUIRE(k >= 1 && k <= kmax, "grl_partition_compute: cannot split %" PRId64
                " nodes into %" PRId64 " parts; k must be in 1..%" PRId64,
                n, k, kmax);
    if (n > IDX_MAX) /* GRL_UNSUPPORTED as for too many edges below */
        GRL_FAIL(GRL_UNSUPPORTED, "grl_partition_compute: the graph has %"
                 PRId64 " nodes, more than METIS's %d-bit idx_t holds (%"
                 PRId64 "); partition a subgraph or use a METIS built with "
                 "IDXTYPEWIDTH 64", n, IDXTYPEWIDTH, (int64_t)IDX_MAX);
    if (k == 1) {
        /* METIS crashes on nparts = 1, and the answer is known */
        if (n > 0) memset(part, 0, (size_t)n * sizeof(int64_t));
    } else {
        GRL_TRY(grl_sym_pattern_new(&s, G, msg));
        if (s.nnz > (int64_t)IDX_MAX)
            GRL_FAIL(GRL_UNSUPPORTED, "grl_partition_compute: the graph has %" PRId64
                     " undirected edges without self-loops; METIS's %d-bit "
                     "idx_t holds at most %" PRId64 " (twice the edges must "
                     "fit); partition a subgraph or use a METIS built with "
                     "IDXTYPEWIDTH 64", s.nnz / 2, IDXTYPEWIDTH,
                     (int64_t)IDX_MAX / 2);
        GRL_ALLOC(xadj, idx_t, n + 1);
        GRL_ALLOC(adjncy, idx_t, s.nnz);
        GRL_ALLOC(where, idx_t, n);
        const GrB_Index *Sp = s.p, *Sj = s.j;
        int64_t nnz = s.nnz;
#pragma omp parallel for schedule(static) if (n > GRL_PARALLEL_MIN)
        for (int64_t i = 0; i <= n; i++) xadj[i] = (idx_t)Sp[i];
#pragma omp parallel for schedule(static) if (nnz > GRL_PARALLEL_MIN)
        for (int64_t e = 0; e < nnz; e++) adjncy[e] = (idx_t)Sj[e];
        grl_sym_pattern_free(&s); /* before METIS allocates its work space */

        idx_t nvtxs = (idx_t)n, ncon = 1, nparts = (idx_t)k, objval = 0;
        idx_t options[METIS_NOPTIONS];
        METIS_SetDefaultOptions(options);
        /* any 64-bit seed, folded to a non-negative 32-bit METIS seed */
        options[METIS_OPTION_SEED] = (idx_t)((o.seed ^ (o.seed >> 32)) &
                                             0x7fffffffu);
        options[METIS_OPTION_NUMBERING] = 0;
        /* ufactor is the allowed imbalance in thousandths (METIS: 30, the
         * largest part at most about 1.03 x n / k); unit vertex and edge
         * weights, equal parts */
        options[METIS_OPTION_UFACTOR] = (idx_t)lround(o.imbalance * 1000);
        int rc = METIS_PartGraphKway(&nvtxs, &ncon, xadj, adjncy, NULL, NULL,
                                     NULL, &nparts, NULL, NULL, options,
                                     &objval, where);
        if (rc != METIS_OK)
            GRL_FAIL(GRL_METIS_ERROR, "METIS_PartGraphKway failed (%s) "
                     "splitting %" PRId64 " nodes and %" PRId64 " edges into "
                     "%" PRId64 " parts",
                     rc == METIS_ERROR_INPUT    ? "invalid input"
                     : rc == METIS_ERROR_MEMORY ? "out of memory"
                                                : "internal error",
                     n, nnz / 2, k);
#pragma omp parallel for schedule(static) if (n > GRL_PARALLEL_MIN)
        for (int64_t i = 0; i < n; i++) part[i] = where[i];
        free(xadj); free(adjncy); free(where);
        xadj = NULL; adjncy = NULL; where = NULL;
    }
    if (info != NULL)
        GRL_TRY(grl_partition_evaluate(G, part, k, info, msg));
    return 0;
#undef FREE_ALL
}

int grl_partition_evaluate(grl_graph *G, const int64_t *part, int64_t k,
                           grl_partition_info *info, char *msg)
{
    grl_msg_clear(msg);
    grl_sym_pattern s = {0};
    int64_t *size = NULL;
#define FREE_ALL grl_sym_pattern_free(&s); free(size)
    GRL_REQUIRE(G != NULL && info != NULL, "grl_partition_evaluate: NULL "
                "graph or info");
    GRL_TRY(grl_partition_check("grl_partition_evaluate", G, part, k, msg));
    int64_t n = G->ids.n;
    GRL_CALLOC(size, int64_t, k);
    int64_t largest = 0;
    for (int64_t i = 0; i < n; i++)
        if (++size[part[i]] > largest) largest = size[part[i]];

    GRL_TRY(grl_sym_pattern_new(&s, G, msg));
    const GrB_Index *Sp = s.p, *Sj = s.j;
    int64_t cut = 0, boundary = 0;
    /* S is symmetric: row i lists every neighbour of i, either direction,
     * so a cut pair {i, j} is seen twice and counted at i < j */
#pragma omp parallel for schedule(dynamic, 1024) \
    reduction(+ : cut, boundary) if (n + s.nnz > GRL_PARALLEL_MIN)
    for (int64_t i = 0; i < n; i++) {
        int64_t pi = part[i], mine = 0;
        for (GrB_Index e = Sp[i]; e < Sp[i + 1]; e++) {
            int64_t j = (int64_t)Sj[e];
            if (part[j] != pi) {
                mine = 1;
                cut += (j > i);
            }
        }
        boundary += mine;
    }
    info->edge_cut = cut;
    info->balance = n > 0 ? (double)largest * (double)k / (double)n : 1.0;
    info->boundary_nodes = boundary;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
