/* accumulate.c — sparse accumulators (a dense value array plus the list of
 * touched indices, cleared in O(touched)) and assembly of per-source rows
 * into a GraphBLAS matrix (CSR packed without a copy). */
#include "walks_internal.h"

int grl_acc_init(grl_sparse_acc *a, int64_t n, char *msg)
{
#define FREE_ALL grl_acc_free(a)
    memset(a, 0, sizeof(*a));
    a->n = n;
    GRL_ALLOC(a->val, double, n);
    GRL_ALLOC(a->list, int64_t, n);
    GRL_CALLOC(a->mark, uint8_t, n);
    return 0;
#undef FREE_ALL
}

void grl_acc_free(grl_sparse_acc *a)
{
    free(a->val);
    free(a->list);
    free(a->mark);
    memset(a, 0, sizeof(*a));
}

void grl_acc_clear(grl_sparse_acc *a)
{
    for (int64_t t = 0; t < a->count; t++) a->mark[a->list[t]] = 0;
    a->count = 0;
}

void grl_acc_densify(grl_sparse_acc *a)
{
    for (int64_t i = 0; i < a->n; i++) {
        if (!a->mark[i]) {
            a->mark[i] = 1;
            a->val[i] = 0;
        }
        a->list[i] = i;
    }
    a->count = a->n;
}

static int cmp_int64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

int grl_acc_extract(grl_sparse_acc *a, int64_t **idx, double **val,
                    int64_t *cnt, char *msg)
{
    int64_t *I = NULL;
    double *X = NULL;
#define FREE_ALL free(I); free(X); grl_acc_clear(a)
    bool sorted = true; /* as PowerPush's dense lists are: skip the sort */
    for (int64_t t = 1; sorted && t < a->count; t++)
        sorted = a->list[t - 1] < a->list[t];
    if (!sorted) qsort(a->list, (size_t)a->count, sizeof(int64_t), cmp_int64);
    int64_t k = 0;
    for (int64_t t = 0; t < a->count; t++) k += a->val[a->list[t]] != 0;
    GRL_ALLOC(I, int64_t, k);
    GRL_ALLOC(X, double, k);
    k = 0;
    for (int64_t t = 0; t < a->count; t++) {
        int64_t i = a->list[t];
        if (a->val[i] != 0) {
            I[k] = i;
            X[k++] = a->val[i];
        }
    }
    grl_acc_clear(a);
    *idx = I;
    *val = X;
    *cnt = k;
    return 0;
#undef FREE_ALL
}

int grl_rows_to_matrix(GrB_Matrix *P, int64_t k, int64_t n, int64_t **idx,
                       double **val, const int64_t *cnt, char *msg)
{
    GrB_Index *Ap = NULL, *Aj = NULL;
    double *Ax = NULL;
    GrB_Matrix M = NULL;
#define FREE_ALL free(Ap); free(Aj); free(Ax); GrB_Matrix_free(&M);           \
    for (int64_t s_ = 0; s_ < k; s_++) { free(idx[s_]); free(val[s_]);         \
                                         idx[s_] = NULL; val[s_] = NULL; }
    GRL_ALLOC(Ap, GrB_Index, k + 1);
    Ap[0] = 0;
    for (int64_t s = 0; s < k; s++) Ap[s + 1] = Ap[s] + (GrB_Index)cnt[s];
    GrB_Index nnz = Ap[k];
    GRL_ALLOC(Aj, GrB_Index, nnz);
    GRL_ALLOC(Ax, double, nnz);
#pragma omp parallel for schedule(dynamic, 1) if (k > 1)
    for (int64_t s = 0; s < k; s++) {
        if (cnt[s] > 0) {
            memcpy(Aj + Ap[s], idx[s], sizeof(int64_t) * cnt[s]);
            memcpy(Ax + Ap[s], val[s], sizeof(double) * cnt[s]);
        }
    }
    GRB_TRY(GrB_Matrix_new(&M, GrB_FP64, k, n));
    void *vx = Ax;
    GRB_TRY(GxB_Matrix_pack_CSR(M, &Ap, &Aj, &vx,
                                sizeof(GrB_Index) * (k + 1),
                                sizeof(GrB_Index) * (nnz ? nnz : 1),
                                sizeof(double) * (nnz ? nnz : 1), false, false,
                                NULL));
    Ax = vx;
    *P = M;
    M = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
