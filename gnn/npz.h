/* npz.h — NumPy .npz archives (a zip of .npy members), read whole: what the
 * Bojchevski / PyG node-classification files (attr_data, attr_indices,
 * attr_indptr, attr_shape, labels, adj_*) need. */
#ifndef GRL_GNN_NPZ_H
#define GRL_GNN_NPZ_H

#include "grl_internal.h"

typedef struct {
    char *data;       /* the whole file */
    size_t len;
    const char *path; /* borrowed, for messages */
    size_t cd, cd_end; /* the central directory's bytes */
    int64_t entries;
} grl_npz;

/* One member as doubles (integer dtypes are exact below 2^53; larger
 * magnitudes are refused). ndim 1 or 2; shape[1] = 1 for 1-D. */
typedef struct {
    int ndim;
    int64_t shape[2], count;
    bool integer; /* the dtype was an integer or bool type */
    double *v;
} grl_npz_array;

/* Read path and check its zip directory. Errors: not a zip, truncated or
 * inconsistent directory (GRL_PARSE_ERROR), I/O. */
int grl_npz_open(grl_npz *z, const char *path, char *msg);
void grl_npz_close(grl_npz *z);

/* Member `name` (".npy" appended) into *a; *found false (and 0 returned)
 * when the archive has no such member. Stored and deflated members; the
 * CRC-32 is checked. Errors: encrypted or other compression
 * (GRL_UNSUPPORTED), a damaged member or .npy header, a dtype other than
 * little-endian float32/float64, int8..int64, uint8, bool, Fortran order,
 * more than 2 dimensions, a non-finite float. */
int grl_npz_read(grl_npz_array *a, bool *found, const grl_npz *z,
                 const char *name, char *msg);
void grl_npz_array_release(grl_npz_array *a);

#endif
