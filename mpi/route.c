/* route.c — records that move between ranks (walks in flight, fingerprint
 * visits, product terms): a growing array of them, and one
 * MPI_Alltoallv that sends each to the rank it names. */
#include "mpi_internal.h"

int grl_mpi_records_push(grl_mpi_records *l, const void *rec, size_t rec_bytes,
                         char *msg)
{
#define FREE_ALL ;
    if (l->count == l->cap) {
        int64_t cap = l->cap ? 2 * l->cap : 64;
        char *grown = grl_realloc(l->data, grl_size_mul((size_t)cap, rec_bytes));
        if (grown == NULL)
            GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory for %" PRId64
                     " records in flight", cap);
        l->data = grown;
        l->cap = cap;
    }
    memcpy(l->data + (size_t)l->count++ * rec_bytes, rec, rec_bytes);
    return 0;
#undef FREE_ALL
}

int grl_mpi_route(MPI_Comm comm, const char *recs, int64_t m, size_t rec_bytes,
                  const int *dest, char **in, int64_t *received, char *msg)
{
    int *scount = NULL, *rcount = NULL, *sdispl = NULL, *rdispl = NULL,
        *at = NULL;
    char *sbuf = NULL, *rbuf = NULL;
    MPI_Datatype rec = MPI_DATATYPE_NULL;
#define FREE_ALL free(scount); free(rcount); free(sdispl); free(rdispl);       \
    free(at); free(sbuf); free(rbuf); grl_mpi_type_free(&rec)
    *in = NULL;
    *received = 0;
    int K;
    MPI_Comm_size(comm, &K);
    GRL_REQUIRE(m <= INT32_MAX && rec_bytes <= INT32_MAX, "%" PRId64 " records "
                "of %zu bytes to send at once: too many for MPI's counts", m,
                rec_bytes);
    GRL_CALLOC(scount, int, K);
    GRL_CALLOC(rcount, int, K);
    GRL_CALLOC(sdispl, int, K);
    GRL_CALLOC(rdispl, int, K);
    GRL_CALLOC(at, int, K);
    for (int64_t i = 0; i < m; i++) scount[dest[i]]++;
    MPI_TRY(MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, comm));
    int64_t total = rcount[0];
    for (int q = 1; q < K; q++) {
        sdispl[q] = sdispl[q - 1] + scount[q - 1];
        total += rcount[q];
        GRL_REQUIRE(total <= INT32_MAX, "more than 2^31 records arriving at "
                    "once: too many for MPI's counts");
        rdispl[q] = rdispl[q - 1] + rcount[q - 1];
    }
    GRL_ALLOC(sbuf, char, grl_size_mul((size_t)(m ? m : 1), rec_bytes));
    GRL_ALLOC(rbuf, char, grl_size_mul((size_t)(total ? total : 1), rec_bytes));
    memcpy(at, sdispl, sizeof(int) * (size_t)K);
    for (int64_t i = 0; i < m; i++)
        memcpy(sbuf + (size_t)at[dest[i]]++ * rec_bytes,
               recs + (size_t)i * rec_bytes, rec_bytes);
    MPI_TRY(MPI_Type_contiguous((int)rec_bytes, MPI_BYTE, &rec));
    MPI_TRY(MPI_Type_commit(&rec));
    MPI_TRY(MPI_Alltoallv(sbuf, scount, sdispl, rec, rbuf, rcount, rdispl, rec,
                          comm));
    *in = rbuf;
    *received = total;
    rbuf = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
