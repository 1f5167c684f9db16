/* ppr.c — exact personalized PageRank over ranks (include/grl/walks.h):
 * the power iteration of walks/ppr_exact.c on the killed vectors,
 *     X_{t+1} = alpha E + (1-alpha) P^T X_t,   X_0 = alpha E,
 * one distributed product per iteration: each rank scales its rows by
 * (1-alpha)/outdeg, exchanges the halo rows, and every node pulls over its
 * in-arcs (interior rows while the exchange runs). The L1 changes and the
 * dangling step (walks/ppr_model.c: p = q / |q|_1 for the source policy,
 * q + (1-alpha)/alpha q(D) g for the uniform one, g the global PageRank)
 * take sums over all ranks. */
#include "mpi_internal.h"
#include "walks_internal.h"

#include <math.h>

/* y[r*k + s] = sum over rows r0..r1-1's arcs (j -> r), in their order, of
 * w * z[j*k + s]: w the arc's weight if weighted, else 1, times
 * row_scale[j] when given (row_scale[j] * weight, the product
 * walks/ppr_model.c's D^-1 A forms). */
static void pull(double *y, const grl_csr *S, int64_t r0, int64_t r1,
                 const double *z, int64_t k, bool weighted,
                 const double *row_scale)
{
#pragma omp parallel for schedule(dynamic, 64)
    for (int64_t r = r0; r < r1; r++) {
        double *out = y + r * k;
        for (int64_t s = 0; s < k; s++) out[s] = 0;
        for (GrB_Index e = S->Ap[r]; e < S->Ap[r + 1]; e++) {
            GrB_Index j = S->Aj[e];
            double w = row_scale == NULL ? (weighted ? S->Ax[S->iso ? 0 : e] : 1.0)
                     : weighted ? row_scale[j] * S->Ax[S->iso ? 0 : e]
                                : row_scale[j];
            const double *in = z + j * k;
            for (int64_t s = 0; s < k; s++) out[s] += w * in[s];
        }
    }
}

typedef struct {
    double alpha;
    int64_t k;
    const int64_t *rows; /* k: our row of each source, -1 if not ours;
                            NULL: teleport alpha/n to every node */
    double *scale;       /* (1-alpha)/outdeg of each of our rows, 0 if none */
} power_problem;

static void add_teleport(double *y, const grl_mpi_graph *D,
                         const power_problem *pb)
{
    if (pb->rows == NULL) {
        for (int64_t r = 0; r < D->nodes; r++) y[r] += pb->alpha / (double)D->n;
    } else {
        for (int64_t s = 0; s < pb->k; s++)
            if (pb->rows[s] >= 0) y[pb->rows[s] * pb->k + s] += pb->alpha;
    }
}

int grl_mpi_pull_product(double *y, grl_mpi_graph *D, double *z, int64_t k,
                         bool weighted, const double *row_scale, char *msg)
{
    grl_mpi_exchange ex = {.req = MPI_REQUEST_NULL};
#define FREE_ALL grl_mpi_halo_finish(&ex, NULL)
    const grl_csr *S = grl_mpi_arcs(D, GRL_IN);
    GRL_TRY(grl_mpi_halo_start(&ex, D, z, MPI_DOUBLE, (int)k, msg));
    pull(y, S, 0, D->interior, z, k, weighted, row_scale);
    GRL_TRY(grl_mpi_halo_finish(&ex, msg));
    pull(y, S, D->interior, D->nodes, z, k, weighted, row_scale);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* The killed vectors of pb into x (our rows x k), by power iteration. */
static int power(double *x, grl_mpi_graph *D, const power_problem *pb,
                 double tol, int max_iter, char *msg)
{
    double *z = NULL, *y = NULL, *change = NULL;
#define FREE_ALL free(z); free(y); free(change)
    int64_t k = pb->k, rows = D->nodes;
    size_t nk = grl_size_mul(rows, k);
    GRL_ALLOC(z, double, grl_size_mul(grl_size_add(rows, D->halo), k));
    GRL_ALLOC(y, double, nk);
    GRL_ALLOC(change, double, k);
    memset(x, 0, sizeof(double) * nk);
    add_teleport(x, D, pb);
    double worst = INFINITY;
    for (int it = 0; it < max_iter && !(worst < tol); it++) {
#pragma omp parallel for schedule(static)
        for (int64_t r = 0; r < rows; r++)
            for (int64_t s = 0; s < k; s++) z[r * k + s] = pb->scale[r] * x[r * k + s];
        GRL_TRY(grl_mpi_pull_product(y, D, z, k, D->weighted, NULL, msg));
        add_teleport(y, D, pb);
        for (int64_t s = 0; s < k; s++) change[s] = 0;
        for (int64_t r = 0; r < rows; r++)
            for (int64_t s = 0; s < k; s++) change[s] += fabs(y[r * k + s] - x[r * k + s]);
        MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, change, (int)k, MPI_DOUBLE, MPI_SUM,
                              D->comm));
        worst = 0;
        for (int64_t s = 0; s < k; s++) worst = fmax(worst, change[s]);
        memcpy(x, y, sizeof(double) * nk);
    }
    int status = 0;
    if (!(worst < tol)) { /* the last iterate, as walks/ppr_exact.c */
        grl_ppr_not_converged_msg(msg, max_iter, worst, tol);
        status = GRL_NOT_CONVERGED;
    }
    FREE_ALL;
    return status;
#undef FREE_ALL
}

int grl_mpi_ppr_check(const grl_mpi_graph *D, const int64_t *sources, int64_t k,
                      const grl_ppr_options *o, const char *what, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(k >= 0 && k <= INT32_MAX / 2 && (sources != NULL || k == 0),
                "%s: %" PRId64 " sources", what, k);
    for (int64_t s = 0; s < k; s++)
        GRL_REQUIRE(sources[s] >= 0 && sources[s] < D->n, "source node index %"
                    PRId64 " is out of range 0..%" PRId64, sources[s], D->n - 1);
    GRL_REQUIRE(o->alpha > 0 && o->alpha < 1, "alpha must be in (0, 1), got %g",
                o->alpha);
    GRL_REQUIRE(o->tol > 0 && o->max_iter >= 1, "tolerance %g and iteration "
                "limit %d must be positive", o->tol, o->max_iter);
    GRL_REQUIRE(o->dangling == GRL_DANGLING_SOURCE ||
                o->dangling == GRL_DANGLING_UNIFORM, "unknown dangling policy %d",
                (int)o->dangling);
    return 0;
#undef FREE_ALL
}

static int check(const grl_mpi_graph *D, const int64_t *sources, int64_t k,
                 const grl_ppr_options *o, char *msg)
{
#define FREE_ALL ;
    if (o->method != GRL_PPR_EXACT)
        GRL_FAIL(GRL_UNSUPPORTED, "PPR over a partition is exact power "
                 "iteration only, not %s", grl_ppr_method_name(o->method)
                 ? grl_ppr_method_name(o->method) : "an unknown method");
    return grl_mpi_ppr_check(D, sources, k, o, "grl_mpi_ppr_exact", msg);
#undef FREE_ALL
}

void grl_mpi_transition_scale(const grl_mpi_graph *D, double alpha,
                              double *scale)
{
    /* P(j, .) = A(j, .) / outdeg(j): weighted sums on weighted graphs */
    const grl_csr *out = &D->out;
    for (int64_t r = 0; r < D->nodes; r++) {
        double deg = 0;
        for (GrB_Index e = out->Ap[r]; e < out->Ap[r + 1]; e++)
            deg += D->weighted ? out->Ax[out->iso ? 0 : e] : 1.0;
        scale[r] = deg > 0 ? (1 - alpha) / deg : 0;
    }
}

/* The dangling step on P given the transition's row scale. */
static int finish(double *P, grl_mpi_graph *D, int64_t k,
                  const grl_ppr_options *o, double *scale, char *msg)
{
    double *sums = NULL, *g = NULL;
#define FREE_ALL free(sums); free(g)
    int64_t rows = D->nodes, nd = 0;
    for (int64_t r = 0; r < rows; r++) nd += D->out.Ap[r + 1] == D->out.Ap[r];
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &nd, 1, MPI_INT64_T, MPI_SUM, D->comm));
    if (nd == 0) return 0; /* q_u = p_u */
    const double ratio = (1 - o->alpha) / o->alpha;
    int status = 0;
    if (o->dangling == GRL_DANGLING_UNIFORM) {
        GRL_ALLOC(g, double, rows ? rows : 1);
        power_problem global = {o->alpha, 1, NULL, scale};
        status = power(g, D, &global, o->tol, o->max_iter, msg);
        GRL_TRY(status);
        double total = 0;
        for (int64_t r = 0; r < rows; r++) total += g[r];
        MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, &total, 1, MPI_DOUBLE, MPI_SUM, D->comm));
        for (int64_t r = 0; r < rows; r++) g[r] /= total;
    }
    GRL_CALLOC(sums, double, 2 * (size_t)(k ? k : 1)); /* q(D), |q|_1 */
    for (int64_t r = 0; r < rows; r++)
        for (int64_t s = 0; s < k; s++) {
            sums[2 * s + 1] += P[r * k + s];
            if (D->out.Ap[r + 1] == D->out.Ap[r]) sums[2 * s] += P[r * k + s];
        }
    MPI_TRY(MPI_Allreduce(MPI_IN_PLACE, sums, (int)(2 * k), MPI_DOUBLE, MPI_SUM,
                          D->comm));
    for (int64_t s = 0; s < k; s++) {
        double qd = sums[2 * s], sum = sums[2 * s + 1];
        if (o->dangling == GRL_DANGLING_SOURCE) {
            double norm = 1 - ratio * qd;
            if (!(norm > 1e-12)) norm = sum;
            double inv = norm > 0 ? 1 / norm : 0;
            for (int64_t r = 0; r < rows; r++) P[r * k + s] *= inv;
        } else {
            for (int64_t r = 0; r < rows; r++) P[r * k + s] += ratio * qd * g[r];
        }
    }
    FREE_ALL;
    return status;
#undef FREE_ALL
}

int grl_mpi_ppr_finish(double *P, grl_mpi_graph *D, int64_t k,
                       const grl_ppr_options *opt, char *msg)
{
    double *scale = NULL;
#define FREE_ALL free(scale)
    scale = grl_malloc(sizeof(double) * (size_t)(D->nodes ? D->nodes : 1));
    int status = scale ? 0 : GRL_OUT_OF_MEMORY;
    if (status) grl_set_msg(msg, "out of memory");
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    grl_mpi_transition_scale(D, opt->alpha, scale);
    status = finish(P, D, k, opt, scale, msg);
    FREE_ALL;
    return status;
#undef FREE_ALL
}

int grl_mpi_ppr_exact(grl_mpi_graph *D, const int64_t *sources, int64_t k,
                      const grl_ppr_options *opt, double *P, char *msg)
{
    grl_msg_clear(msg);
    int64_t *rows_of = NULL;
    double *scale = NULL;
#define FREE_ALL free(rows_of); free(scale)
    GRL_REQUIRE(D != NULL && (P != NULL || k == 0 || D->nodes == 0),
                "grl_mpi_ppr_exact: NULL argument");
    grl_ppr_options defaults;
    if (opt == NULL) {
        grl_ppr_options_init(&defaults);
        opt = &defaults;
    }
    GRL_TRY(grl_mpi_agree(D->comm, check(D, sources, k, opt, msg), msg));
    int64_t rows = D->nodes;
    int status = 0;
    rows_of = grl_malloc(sizeof(int64_t) * (size_t)(k ? k : 1));
    scale = grl_malloc(sizeof(double) * (size_t)(rows ? rows : 1));
    if (rows_of == NULL || scale == NULL) {
        grl_set_msg(msg, "out of memory");
        status = GRL_OUT_OF_MEMORY;
    }
    GRL_TRY(grl_mpi_agree(D->comm, status, msg));
    for (int64_t s = 0; s < k; s++) rows_of[s] = grl_mpi_row_of(D, sources[s]);
    grl_mpi_transition_scale(D, opt->alpha, scale);
    power_problem pb = {opt->alpha, k, rows_of, scale};
    status = power(P, D, &pb, opt->tol, opt->max_iter, msg);
    int fin = status < 0 ? status : finish(P, D, k, opt, scale, msg);
    if (fin != 0) status = fin;
    FREE_ALL;
    return grl_mpi_agree(D->comm, status, msg);
#undef FREE_ALL
}
