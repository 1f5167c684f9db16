/* csr.c — borrow a GraphBLAS matrix's CSR arrays for a hand-written kernel
 * (FastRP's product, walks, components) without copying the graph. */
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

int grl_csr_return(grl_csr *csr, char *msg)
{
#define FREE_ALL ;
    if (csr->M == NULL) return 0;
    GrB_Matrix M = csr->M;
    void *Ax = csr->Ax;
    csr->M = NULL;
    GRB_TRY(GxB_Matrix_pack_CSR(M, &csr->Ap, &csr->Aj, &Ax, csr->Ap_size,
                                csr->Aj_size, csr->Ax_size, csr->iso,
                                csr->jumbled, NULL));
    return 0;
#undef FREE_ALL
}
