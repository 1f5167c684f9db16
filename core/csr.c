/* csr.c — borrow a GraphBLAS matrix's CSR arrays for a hand-written kernel
 * (FastRP's product, walks, components, link prediction) without copying
 * the matrix, and hand them back. */
#include "grl_internal.h"

int grl_csr_borrow(grl_csr *csr, GrB_Matrix M, bool sorted, char *msg)
{
#define FREE_ALL ;
    memset(csr, 0, sizeof(*csr));
    GrB_Index n;
    void *Ax = NULL;
    GRB_TRY(GrB_Matrix_nrows(&n, M));
    /* jumbled = NULL makes GraphBLAS sort each row before handing it out */
    GRB_TRY(GxB_Matrix_unpack_CSR(M, &csr->Ap, &csr->Aj, &Ax, &csr->Ap_size,
                                  &csr->Aj_size, &csr->Ax_size, &csr->iso,
                                  sorted ? NULL : &csr->jumbled, NULL));
    csr->Ax = Ax;
    csr->M = M;
    csr->n = (int64_t)n;
    return 0;
#undef FREE_ALL
}

/* Put the borrowed entries back into the empty M by value (GrB build), for
 * when GraphBLAS refuses the arrays themselves. */
static int rebuild(const grl_csr *csr, GrB_Matrix M, char *msg)
{
    GrB_Index *rows = NULL;
    GrB_Scalar one = NULL;
#define FREE_ALL free(rows); GrB_Scalar_free(&one)
    GrB_Index nvals = csr->Ap[csr->n];
    GRL_ALLOC(rows, GrB_Index, nvals);
    for (int64_t i = 0; i < csr->n; i++)
        for (GrB_Index p = csr->Ap[i]; p < csr->Ap[i + 1]; p++) rows[p] = i;
    if (csr->iso) {
        GRB_TRY(GrB_Scalar_new(&one, GrB_FP64));
        GRB_TRY(GrB_Scalar_setElement_FP64(one, csr->Ax[0]));
        GRB_TRY(GxB_Matrix_build_Scalar(M, rows, csr->Aj, one, nvals));
    } else {
        /* the arrays came from a valid matrix: no duplicates (dup NULL) */
        GRB_TRY(GrB_Matrix_build_FP64(M, rows, csr->Aj, csr->Ax, nvals, NULL));
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_csr_return(grl_csr *csr, char *msg)
{
#define FREE_ALL ;
    if (csr->M == NULL) return 0;
    GrB_Matrix M = csr->M;
    void *Ax = csr->Ax;
    csr->M = NULL;
    GrB_Info info = GxB_Matrix_pack_CSR(M, &csr->Ap, &csr->Aj, &Ax,
                                        csr->Ap_size, csr->Aj_size,
                                        csr->Ax_size, csr->iso, csr->jumbled,
                                        NULL);
    if (info == GrB_SUCCESS) return 0;
    /* GraphBLAS takes the arrays only on success: they are still ours and
     * M is empty. Restore M by value; only if that fails too is it lost. */
    int rc = rebuild(csr, M, msg);
    free(csr->Ap);
    free(csr->Aj);
    free(csr->Ax);
    csr->Ap = csr->Aj = NULL;
    csr->Ax = NULL;
    if (rc < 0) {
        char why[GRL_MSG_LEN];
        snprintf(why, sizeof why, "%s", msg ? msg : "");
        grl_set_msg(msg, "a matrix lent to a kernel could not be handed back "
                    "(GxB_Matrix_pack_CSR: %d) nor rebuilt (%.120s): it is "
                    "now empty; free the graph or index it belonged to",
                    (int)info, why);
        return rc;
    }
    return 0;
#undef FREE_ALL
}
