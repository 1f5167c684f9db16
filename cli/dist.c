/* dist.c — commands over a partition directory (`grl partition
 * --output-dir`), one MPI rank per part: `mpirun -np K grl fastrp DIR
 * --output E.npy`. Only rank 0 prints; every rank exits with the same
 * code. Built with MPI only (GRL_HAVE_MPI); otherwise the commands say so. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

bool cli_is_partition_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

#ifdef GRL_HAVE_MPI
#include "grl/mpi.h"

/* OUT.ids beside OUT.npy: a copy of DIR/ids.txt when the partition has
 * one, else an earlier run's OUT.ids removed (rank 0 only). */
static int write_ids(const char *dir, const char *output)
{
    const char *ids = cli_ids_path(output);
    if (ids == NULL) return cli_error("%s: path too long for its .ids file", output);
    char src[4096];
    snprintf(src, sizeof src, "%s/ids.txt", dir);
    FILE *in = fopen(src, "rb");
    if (in == NULL) {
        if (errno == ENOENT && unlink(ids) != 0 && errno != ENOENT)
            return cli_error("'%s': cannot remove the stale id file: %s", ids,
                             strerror(errno));
        return errno == ENOENT ? 0 : cli_error("%s: %s", src, strerror(errno));
    }
    FILE *out = cli_open_output(ids);
    int rc = out ? 0 : 1;
    char buf[1 << 16];
    size_t got;
    while (!rc && (got = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, got, out) != got) rc = 1;
    if (ferror(in)) rc = cli_error("%s: read failed", src);
    fclose(in);
    if (out) rc |= cli_close_output(out, ids);
    return rc;
}

int cli_dist_fastrp(const char *dir, const grl_fastrp_options *o,
                    const char *output, const cli_common *c)
{
    int started = 0, rank = 0;
    MPI_Initialized(&started);
    if (!started) MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    char msg[GRL_MSG_LEN] = "";
    grl_mpi_graph *D = NULL;
    grl_dense *E = NULL;
    int64_t first = 0;
    int status = cli_common_apply(c) ? GRL_INVALID_ARGUMENT : 0;
    if (status == 0) status = grl_mpi_graph_load(&D, dir, MPI_COMM_WORLD, msg);
    if (status == 0) {
        if (rank == 0)
            cli_progress(c, "FastRP over %s: %lld nodes, d = %lld", dir,
                         (long long)grl_mpi_graph_num_nodes(D), (long long)o->dim);
        status = grl_mpi_fastrp_embed(&E, D, o, &first, msg);
        if (rank == 0) cli_progress(c, NULL);
    }
    if (status == 0) status = grl_mpi_dense_save_npy(E, first, D, output, msg);
    int rc = 0;
    if (status < 0 && rank == 0) rc = cli_error("%s", msg);
    else if (status < 0) rc = 1;
    else if (rank == 0) rc = write_ids(dir, output);
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    grl_dense_free(&E);
    grl_mpi_graph_free(&D);
    if (!started) MPI_Finalize();
    return rc;
}
#else
int cli_dist_fastrp(const char *dir, const grl_fastrp_options *o,
                    const char *output, const cli_common *c)
{
    (void)o; (void)output; (void)c;
    return cli_error("%s is a directory: this grl was built without MPI, so it "
                     "cannot run over a partition directory", dir);
}
#endif
