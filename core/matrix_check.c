/* matrix_check.c — GraphBLAS's own check of a matrix from an untrusted
 * source. */
#include "grl_internal.h"

int grl_matrix_check(GrB_Matrix A, const char *what, char *msg)
{
#define FREE_ALL ;
    /* GxB_SILENT still checks the whole object (pointers, sorted indices) */
    GrB_Info info = GxB_Matrix_fprint(A, "A", GxB_SILENT, NULL);
    if (info != GrB_SUCCESS)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: GraphBLAS finds the matrix invalid "
                 "(status %d)", what, (int)info);
    return 0;
#undef FREE_ALL
}
