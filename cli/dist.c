/* dist.c — commands over a partition directory (`grl partition
 * --output-dir`), one MPI rank per part: `mpirun -np K grl fastrp DIR
 * --output E.npy`, `mpirun -np K grl walk DIR --output W` (rank r writes
 * W.0000r), `mpirun -np K grl ppr DIR --source ID,...` (exact PPR, push,
 * or PowerWalk with --index IDX; rank 0 merges the ranks' top entries and
 * writes them), `mpirun -np K grl ppr-index build DIR --output IDX` (rank r
 * writes IDX.0000r). Only rank 0 prints errors; every rank exits with the same
 * code. Built with MPI only (GRL_HAVE_MPI); otherwise the commands say so. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

bool cli_is_partition_dir(const char *path)
{
    char manifest[4096];
    struct stat st;
    snprintf(manifest, sizeof manifest, "%s/manifest.grlm", path);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && stat(manifest, &st) == 0;
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
/* The index of node `id` among the n ids (as integers when both are: "007"
 * is 7), or -1. A scan: a source costs O(n). */
static int64_t find_id(const cli_walk_ids *t, int64_t n, const char *id)
{
    char *end;
    long long v = strtoll(id, &end, 10);
    bool integer = *id != '\0' && *end == '\0';
    for (int64_t i = 0; i < n; i++) {
        if (strcmp(t->ids[i], id) == 0) return i;
        if (integer && strtoll(t->ids[i], &end, 10) == v && *end == '\0') return i;
    }
    return -1;
}

typedef struct {
    const cli_walk_ids *ids;
    int64_t n, *src, k;
} dist_sources;

static int add_dist_source(const char *id, void *ctx)
{
    dist_sources *l = ctx;
    int64_t idx = find_id(l->ids, l->n, id);
    if (idx < 0) return cli_error("--source: node '%s' is not in the graph", id);
    int64_t *grown = realloc(l->src, sizeof(int64_t) * (size_t)(l->k + 1));
    if (grown == NULL) return cli_error("out of memory for the sources");
    l->src = grown;
    l->src[l->k++] = idx;
    return 0;
}

typedef struct {
    int64_t node;
    double score;
} scored;

/* Highest score first, ties by smaller node index (as grl_ppr_top). */
static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

/* Sources [s0, s0 + kb): each rank's top entries of its rows of P (rows x
 * kb), gathered on rank 0, which merges and writes them. */
static int write_top(FILE *f, const double *P, int64_t kb, int64_t s0,
                     const int64_t *src, int64_t top, grl_mpi_graph *D,
                     const cli_walk_ids *ids, int rank)
{
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int64_t rows = grl_mpi_graph_local_nodes(D);
    const int64_t *global = grl_mpi_graph_nodes(D);
    scored *mine = malloc(sizeof(scored) * (size_t)(kb * top + 1));
    scored *cand = malloc(sizeof(scored) * (size_t)(rows + 1));
    int *count = calloc((size_t)kb, sizeof(int)), *all_counts = NULL, *bytes = NULL,
        *displ = NULL;
    scored *all = NULL;
    int rc = mine && cand && count ? 0 : cli_error("out of memory for the top scores");
    int used = 0;
    for (int64_t s = 0; !rc && s < kb; s++) {
        int64_t c = 0;
        for (int64_t r = 0; r < rows; r++)
            if (P[r * kb + s] > 0) cand[c++] = (scored){global[r], P[r * kb + s]};
        qsort(cand, (size_t)c, sizeof(scored), by_score);
        count[s] = (int)(c < top ? c : top);
        memcpy(mine + used, cand, sizeof(scored) * (size_t)count[s]);
        used += count[s];
    }
    int mybytes = used * (int)sizeof(scored);
    if (rank == 0) {
        all_counts = calloc((size_t)(kb * size), sizeof(int));
        bytes = calloc((size_t)size, sizeof(int));
        displ = calloc((size_t)size + 1, sizeof(int));
    }
    MPI_Gather(count, (int)kb, MPI_INT, all_counts, (int)kb, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Gather(&mybytes, 1, MPI_INT, bytes, 1, MPI_INT, 0, MPI_COMM_WORLD);
    scored *merged = NULL;
    if (rank == 0) {
        for (int q = 0; q < size; q++) displ[q + 1] = displ[q] + bytes[q];
        all = malloc((size_t)displ[size] + 1);
        merged = malloc((size_t)displ[size] + sizeof(scored));
        if (all == NULL || merged == NULL) rc = cli_error("out of memory for the top scores");
    }
    MPI_Gatherv(mine, mybytes, MPI_BYTE, all, bytes, displ, MPI_BYTE, 0, MPI_COMM_WORLD);
    for (int64_t s = 0; rank == 0 && !rc && s < kb; s++) {
        int64_t c = 0; /* source s's entries from every rank */
        for (int q = 0; q < size; q++) {
            const scored *from = (const scored *)((const char *)all + displ[q]);
            int64_t before = 0;
            for (int64_t t = 0; t < s; t++) before += all_counts[q * kb + t];
            memcpy(merged + c, from + before, sizeof(scored) * (size_t)all_counts[q * kb + s]);
            c += all_counts[q * kb + s];
        }
        qsort(merged, (size_t)c, sizeof(scored), by_score);
        for (int64_t r = 0; r < c && r < top; r++)
            fprintf(f, "%s %s %.12g\n", ids->ids[src[s0 + s]], ids->ids[merged[r].node],
                    merged[r].score);
    }
    free(mine); free(cand); free(count); free(all_counts); free(bytes); free(displ);
    free(all); free(merged);
    return rc;
}

int cli_dist_ppr(const char *dir, const grl_ppr_options *o, const char *list,
                 const char *index, int64_t top, const char *output,
                 const cli_common *c)
{
    int started, rank;
    grl_mpi_graph *D = NULL;
    grl_mpi_ppr_index *I = NULL;
    int rc = dist_begin(&D, &started, &rank, dir, c);
    if (rc) return dist_end(rc, &D, started);
    char msg[GRL_MSG_LEN] = "";
    if (o->method == GRL_PPR_POWERWALK &&
        grl_mpi_ppr_index_load(&I, D, index, msg) < 0)
        rc = rank == 0 ? cli_error("%s", msg) : 1;
    int64_t n = grl_mpi_graph_num_nodes(D), rows = grl_mpi_graph_local_nodes(D);
    cli_walk_ids ids = {0};
    dist_sources l = {&ids, n, NULL, 0};
    double *P = NULL;
    FILE *f = NULL;
    enum { BLOCK = 64 }; /* sources per product: rows x 64 doubles */
    if (!rc) rc = dist_ids(&ids, dir, n);
    if (!rc) rc = cli_split_list("--source", list, add_dist_source, &l);
    if (!rc && (P = malloc(sizeof(double) * (size_t)(rows * BLOCK + 1))) == NULL)
        rc = cli_error("out of memory for the PPR block");
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!rc && rank == 0 && (f = cli_open_output(output)) == NULL) rc = 1;
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    for (int64_t s0 = 0; !rc && s0 < l.k; s0 += BLOCK) {
        int64_t kb = l.k - s0 < BLOCK ? l.k - s0 : BLOCK;
        int status = I ? grl_mpi_ppr_powerwalk(D, I, l.src + s0, kb, o, P, msg)
                     : o->method == GRL_PPR_PUSH
                         ? grl_mpi_ppr_push(D, l.src + s0, kb, o, P, msg)
                         : grl_mpi_ppr_exact(D, l.src + s0, kb, o, P, msg);
        if (status != 0 && rank == 0) rc = cli_status(status, msg);
        else if (status < 0) rc = 1;
        if (!rc) rc = write_top(f, P, kb, s0, l.src, top, D, &ids, rank);
        MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    }
    if (f) rc |= cli_close_output(f, output);
    free(P);
    free(l.src);
    cli_walk_ids_free(&ids);
    grl_mpi_ppr_index_free(&I);
    return dist_end(rc, &D, started);
}

int cli_dist_ppr_index(const char *dir, const grl_ppr_index_options *o,
                       const char *output, const cli_common *c)
{
    int started, rank;
    grl_mpi_graph *D = NULL;
    grl_mpi_ppr_index *I = NULL;
    int rc = dist_begin(&D, &started, &rank, dir, c);
    if (rc) return dist_end(rc, &D, started);
    char msg[GRL_MSG_LEN] = "";
    if (rank == 0)
        cli_progress(c, "PPR index over %s: %lld walks from each of %lld nodes",
                     dir, (long long)o->walks,
                     (long long)grl_mpi_graph_num_nodes(D));
    int status = grl_mpi_ppr_index_build(&I, D, o, msg);
    if (rank == 0) cli_progress(c, NULL);
    if (status == 0) status = grl_mpi_ppr_index_save(I, D, output, msg);
    if (status < 0) rc = rank == 0 ? cli_error("%s", msg) : 1;
    grl_mpi_ppr_index_free(&I);
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

int cli_dist_ppr(const char *dir, const grl_ppr_options *o, const char *list,
                 const char *index, int64_t top, const char *output,
                 const cli_common *c)
{
    (void)o; (void)list; (void)index; (void)top; (void)output; (void)c;
    return without_mpi(dir);
}

int cli_dist_ppr_index(const char *dir, const grl_ppr_index_options *o,
                       const char *output, const cli_common *c)
{
    (void)o; (void)output; (void)c;
    return without_mpi(dir);
}
#endif
