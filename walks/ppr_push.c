/* ppr_push.c — forward push (Andersen, Chung, Lang, FOCS 2006) in the
 * killed chain. Invariant: q_u = p + sum_v r(v) q_v, so p is a lower bound
 * and |q_u - p|_1 <= sum_v r(v) <= r_max (arcs + dangling nodes) at the end.
 * Sources of a batch run in parallel, one per thread at a time. */
#include "walks_internal.h"

int grl_push_ws_init(grl_push_ws *ws, int64_t n, char *msg)
{
#define FREE_ALL grl_push_ws_free(ws)
    memset(ws, 0, sizeof(*ws));
    GRL_TRY(grl_acc_init(&ws->p, n, msg));
    GRL_TRY(grl_acc_init(&ws->r, n, msg));
    GRL_ALLOC(ws->queue, int64_t, n);
    GRL_CALLOC(ws->inq, uint8_t, n);
    return 0;
#undef FREE_ALL
}

void grl_push_ws_free(grl_push_ws *ws)
{
    grl_acc_free(&ws->p);
    grl_acc_free(&ws->r);
    free(ws->queue);
    free(ws->inq);
    free(ws->sweep);
    memset(ws, 0, sizeof(*ws));
}

void grl_forward_push_until(const grl_walk_csr *c, const double *wdeg,
                            int64_t u, double alpha, double r_max,
                            int64_t spread, grl_push_ws *ws)
{
    const int64_t n = c->a.n;
    const bool weighted = c->cum != NULL;
    int64_t head = 0, size = 0;
    grl_acc_add(&ws->r, u, 1.0);
    ws->queue[0] = u;
    ws->inq[u] = 1;
    size = 1;
    while (size > 0) {
        if (ws->r.count > spread) { /* leave the rest to the caller */
            for (int64_t t = 0; t < size; t++)
                ws->inq[ws->queue[(head + t) % n]] = 0;
            return;
        }
        int64_t v = ws->queue[head];
        head = head + 1 == n ? 0 : head + 1;
        size--;
        ws->inq[v] = 0;
        GrB_Index lo = c->a.Ap[v], hi = c->a.Ap[v + 1];
        double rv = ws->r.val[v], deg = (double)(hi - lo);
        if (rv <= r_max * (deg > 0 ? deg : 1)) continue;
        ws->r.val[v] = 0;
        grl_acc_add(&ws->p, v, alpha * rv);
        if (hi == lo) continue; /* dangling: the walk is killed */
        double share = (1 - alpha) * rv / wdeg[v];
        for (GrB_Index a = lo; a < hi; a++) {
            int64_t w = (int64_t)c->a.Aj[a];
            grl_acc_add(&ws->r, w, weighted ? share * c->a.Ax[a] : share);
            double dw = (double)(c->a.Ap[w + 1] - c->a.Ap[w]);
            if (!ws->inq[w] && ws->r.val[w] > r_max * (dw > 0 ? dw : 1)) {
                int64_t tail = head + size;
                ws->queue[tail >= n ? tail - n : tail] = w;
                ws->inq[w] = 1;
                size++;
            }
        }
    }
}

void grl_forward_push(const grl_walk_csr *c, const double *wdeg, int64_t u,
                      double alpha, double r_max, grl_push_ws *ws)
{
    grl_forward_push_until(c, wdeg, u, alpha, r_max, c->a.n, ws);
}

static void push_kernel(const grl_walk_csr *c, const double *wdeg, int64_t u,
                        const void *arg, grl_push_ws *ws)
{
    const grl_ppr_options *o = arg;
    grl_forward_push(c, wdeg, u, o->alpha, o->r_max, ws);
    grl_acc_clear(&ws->r);
}

int grl_ppr_push_rows(GrB_Matrix *Q, grl_graph *G, const int64_t *sources,
                      int64_t k, const grl_ppr_options *o, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(o->r_max >= 0, "push needs a residual threshold r_max >= 0 "
                "(0: the default 1e-7), got %g", o->r_max);
    grl_ppr_options local = *o;
    if (local.r_max == 0) local.r_max = GRL_PUSH_DEFAULT_RMAX;
    return grl_ppr_rows_by_source(Q, G, sources, k, push_kernel, &local,
                                  "forward push", msg);
#undef FREE_ALL
}
