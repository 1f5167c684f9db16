/* npy.c — one .npy file from row blocks held by the ranks, with MPI-IO:
 * the same bytes as grl_dense_save_npy of the whole matrix. */
#include "mpi_internal.h"

int grl_mpi_dense_save_npy(const grl_dense *E, int64_t first,
                           grl_mpi_graph *D, const char *path, char *msg)
{
    grl_msg_clear(msg);
    int64_t *blocks = NULL;
    MPI_File fh = MPI_FILE_NULL;
    MPI_Datatype row = MPI_DATATYPE_NULL;
#define FREE_ALL free(blocks); if (fh != MPI_FILE_NULL) MPI_File_close(&fh);    \
    grl_mpi_type_free(&row)
    GRL_REQUIRE(E != NULL && D != NULL && path != NULL,
                "grl_mpi_dense_save_npy: NULL argument");
    int K = D->size;
    GRL_ALLOC(blocks, int64_t, 3 * (size_t)K);
    int64_t mine[3] = {first, E->rows, E->cols};
    MPI_TRY(MPI_Allgather(mine, 3, MPI_INT64_T, blocks, 3, MPI_INT64_T, D->comm));
    int64_t next = 0, d = blocks[2];
    for (int q = 0; q < K; q++) {
        GRL_REQUIRE(blocks[3 * q] == next && blocks[3 * q + 1] >= 0 &&
                    blocks[3 * q + 2] == d, "rank %d holds rows from %" PRId64
                    " (%" PRId64 " of %" PRId64 " columns): the blocks must "
                    "tile the rows in rank order", q, blocks[3 * q],
                    blocks[3 * q + 1], blocks[3 * q + 2]);
        next += blocks[3 * q + 1];
    }
    GRL_REQUIRE(d >= 1 && d <= INT32_MAX, "%" PRId64 " columns", d);
    unsigned char header[GRL_NPY_HEADER_MAX];
    size_t hlen = grl_npy_header(header, next, d);
    int rc = MPI_File_open(D->comm, path, MPI_MODE_CREATE | MPI_MODE_WRONLY,
                           MPI_INFO_NULL, &fh);
    if (rc != MPI_SUCCESS) {
        fh = MPI_FILE_NULL;
        char text[MPI_MAX_ERROR_STRING];
        int len;
        MPI_Error_string(rc, text, &len);
        GRL_FAIL(GRL_IO_ERROR, "%s: cannot open for writing: %s", path, text);
    }
    MPI_TRY(MPI_File_set_size(fh, 0));
    if (D->rank == 0)
        MPI_TRY(MPI_File_write_at(fh, 0, header, (int)hlen, MPI_BYTE,
                                  MPI_STATUS_IGNORE));
    MPI_TRY(MPI_Type_contiguous((int)d, MPI_FLOAT, &row));
    MPI_TRY(MPI_Type_commit(&row));
    GRL_REQUIRE(E->rows <= INT32_MAX, "%" PRId64 " rows on one rank", E->rows);
    MPI_Offset at = (MPI_Offset)hlen + (MPI_Offset)first * d * (MPI_Offset)sizeof(float);
    MPI_TRY(MPI_File_write_at_all(fh, at, E->data, (int)E->rows, row,
                                  MPI_STATUS_IGNORE));
    MPI_TRY(MPI_File_close(&fh));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
