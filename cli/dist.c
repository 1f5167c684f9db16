/* dist.c — commands over a partition directory (`grl partition
 * --output-dir`), one MPI rank per part: `mpirun -np K grl fastrp DIR
 * --output E.npy`, `mpirun -np K grl walk DIR --output W` (rank r writes
 * W.0000r). Only rank 0 prints errors; every rank exits with the same
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

/* Start MPI unless the caller did, apply the shared options and load this
 * rank's part; returns 0 or an exit code (rank 0 prints the error). */
static int dist_begin(grl_mpi_graph **D, int *started, int *rank,
                      const char *dir, const cli_common *c)
{
    MPI_Initialized(started);
    if (!*started) MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    char msg[GRL_MSG_LEN] = "";
    int rc = cli_common_apply(c);
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rc) return rc;
    if (grl_mpi_graph_load(D, dir, MPI_COMM_WORLD, msg) < 0)
        return *rank == 0 ? cli_error("%s", msg) : 1;
    return 0;
}

/* The same exit code on every rank; free D; stop MPI if we started it. */
static int dist_end(int rc, grl_mpi_graph **D, int started)
{
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    grl_mpi_graph_free(D);
    if (!started) MPI_Finalize();
    return rc;
}

int cli_dist_fastrp(const char *dir, const grl_fastrp_options *o,
                    const char *output, const cli_common *c)
{
    int started, rank;
    grl_mpi_graph *D = NULL;
    int rc = dist_begin(&D, &started, &rank, dir, c);
    if (rc) return dist_end(rc, &D, started);
    char msg[GRL_MSG_LEN] = "";
    grl_dense *E = NULL;
    int64_t first = 0;
    if (rank == 0)
        cli_progress(c, "FastRP over %s: %lld nodes, d = %lld", dir,
                     (long long)grl_mpi_graph_num_nodes(D), (long long)o->dim);
    int status = grl_mpi_fastrp_embed(&E, D, o, &first, msg);
    if (rank == 0) cli_progress(c, NULL);
    if (status == 0) status = grl_mpi_dense_save_npy(E, first, D, output, msg);
    if (status < 0) rc = rank == 0 ? cli_error("%s", msg) : 1;
    else if (rank == 0) rc = write_ids(dir, output);
    grl_dense_free(&E);
    return dist_end(rc, &D, started);
}

/* Each node's id for the corpus: the lines of DIR/ids.txt (exactly n), or
 * the indices. Returns 0 or an exit code. */
static int dist_ids(cli_walk_ids *t, const char *dir, int64_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/ids.txt", dir);
    FILE *f = fopen(path, "rb");
    size_t len = 0;
    if (f != NULL && fseek(f, 0, SEEK_END) == 0) len = (size_t)ftell(f);
    if (f != NULL) rewind(f);
    t->ids = cli_array(n, sizeof(char *), "the node ids");
    t->buf = cli_array(f ? (int64_t)len + 1 : 21 * n + 1, 1, "the node ids");
    int rc = t->ids && t->buf ? 0 : 1;
    if (!rc && f == NULL) {
        char *p = t->buf;
        for (int64_t i = 0; i < n; i++) {
            t->ids[i] = p;
            p += sprintf(p, "%lld", (long long)i) + 1;
        }
    } else if (!rc) {
        if (fread(t->buf, 1, len, f) != len) rc = cli_error("%s: read failed", path);
        int64_t i = 0;
        for (char *p = t->buf; !rc && p < t->buf + len; i++) {
            char *end = memchr(p, '\n', (size_t)(t->buf + len - p));
            if (i == n || end == NULL) break;
            *end = '\0';
            t->ids[i] = p;
            p = end + 1;
        }
        if (!rc && i != n)
            rc = cli_error("%s: %lld ids for %lld nodes", path, (long long)i,
                           (long long)n);
    }
    if (f) fclose(f);
    if (rc) cli_walk_ids_free(t);
    return rc;
}

int cli_dist_walk(const char *dir, const grl_walk_options *o,
                  const char *output, const cli_common *c)
{
    int started, rank;
    grl_mpi_graph *D = NULL;
    int rc = dist_begin(&D, &started, &rank, dir, c);
    if (rc) return dist_end(rc, &D, started);
    char msg[GRL_MSG_LEN] = "", path[4096];
    int64_t *walks = NULL, count = 0, first = 0;
    cli_walk_ids ids = {0};
    if (grl_mpi_walks_generate(&walks, &count, D, o, &first, msg) < 0)
        rc = rank == 0 ? cli_error("%s", msg) : 1;
    if (!rc) rc = dist_ids(&ids, dir, grl_mpi_graph_num_nodes(D));
    if (!rc) {
        snprintf(path, sizeof path, "%s.%05d", output, rank);
        FILE *f = cli_open_output(path);
        rc = f == NULL;
        if (f && cli_write_walks(f, walks, count, o->length, &ids) < 0) rc = 1;
        if (f) rc |= cli_close_output(f, path);
    }
    cli_walk_ids_free(&ids);
    grl_free(walks);
    return dist_end(rc, &D, started);
}
#else
static int without_mpi(const char *dir)
{
    return cli_error("%s is a directory: this grl was built without MPI, so it "
                     "cannot run over a partition directory", dir);
}

int cli_dist_fastrp(const char *dir, const grl_fastrp_options *o,
                    const char *output, const cli_common *c)
{
    (void)o; (void)output; (void)c;
    return without_mpi(dir);
}

int cli_dist_walk(const char *dir, const grl_walk_options *o,
                  const char *output, const cli_common *c)
{
    (void)o; (void)output; (void)c;
    return without_mpi(dir);
}
#endif
