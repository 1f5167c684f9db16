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

/* Call visit(i, id, ctx) for node i = 0..n-1 in order with its id, line
 * i of DIR/ids.txt read one line at a time (so no rank holds n ids) or,
 * without the file, i itself; stops at visit's first non-zero return.
 * Returns 0 or an exit code. */
static int scan_ids(const char *dir, int64_t n,
                    int (*visit)(int64_t i, const char *id, void *ctx), void *ctx)
{
    char path[4096], num[24];
    snprintf(path, sizeof path, "%s/ids.txt", dir);
    FILE *f = fopen(path, "rb");
    if (f == NULL && errno != ENOENT) return cli_error("%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    int64_t i = 0;
    for (; !rc && i < n; i++) {
        const char *id = num;
        if (f == NULL) {
            snprintf(num, sizeof num, "%lld", (long long)i);
        } else {
            ssize_t len = getline(&line, &cap, f);
            if (len <= 0 || line[len - 1] != '\n') break;
            line[len - 1] = '\0';
            id = line;
        }
        rc = visit(i, id, ctx);
    }
    if (!rc && f && ferror(f)) rc = cli_error("%s: read failed", path);
    else if (!rc && i < n)
        rc = cli_error("%s: %lld ids for %lld nodes", path, (long long)i, (long long)n);
    free(line);
    if (f) fclose(f);
    return rc;
}

/* Every node's id, one buffer growing as scan_ids reads them (at[i]: id
 * i's offset in it). */
typedef struct {
    char *buf;
    size_t used, cap;
    int64_t *at;
} id_text;

static int keep_id(int64_t i, const char *id, void *ctx)
{
    id_text *b = ctx;
    size_t len = strlen(id) + 1;
    if (b->used + len > b->cap) {
        size_t cap = 2 * (b->used + len);
        char *grown = realloc(b->buf, cap);
        if (grown == NULL) return cli_error("out of memory for the node ids");
        b->buf = grown;
        b->cap = cap;
    }
    memcpy(b->buf + b->used, id, len);
    b->at[i] = (int64_t)b->used;
    b->used += len;
    return 0;
}

/* Each node's id for the corpus (a rank's walks name nodes anywhere, so
 * every rank holds all n). Returns 0 or an exit code. */
static int dist_ids(cli_walk_ids *t, const char *dir, int64_t n)
{
    id_text b = {NULL, 0, 0, cli_array(n, sizeof(int64_t), "the node ids")};
    t->ids = cli_array(n, sizeof(char *), "the node ids");
    int rc = b.at && t->ids ? scan_ids(dir, n, keep_id, &b) : 1;
    for (int64_t i = 0; !rc && i < n; i++) t->ids[i] = b.buf + b.at[i];
    t->buf = b.buf;
    free(b.at);
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
/* How an id is matched: an integer as its value in canonical decimal
 * ("007" names node id 7), anything else as it is; in buf (24 bytes) or
 * id itself. */
static const char *id_key(const char *id, char *buf)
{
    char *end;
    errno = 0;
    long long v = strtoll(id, &end, 10);
    if (*id == '\0' || *end != '\0' || errno) return id;
    snprintf(buf, 24, "%lld", v);
    return buf;
}

typedef struct {
    char **ids;       /* k: the source ids, as given             */
    char **key;       /* k: their id_key                         */
    int64_t *order;   /* k: the sources sorted by key            */
    int64_t *src, k;  /* k: their node indices, -1 until found   */
} dist_sources;

static int add_dist_source(const char *id, void *ctx)
{
    dist_sources *l = ctx;
    char buf[24];
    size_t k = (size_t)l->k + 1;
    char **ids = realloc(l->ids, sizeof(char *) * k);
    if (ids != NULL) l->ids = ids;
    char **key = realloc(l->key, sizeof(char *) * k);
    if (key != NULL) l->key = key;
    int64_t *src = realloc(l->src, sizeof(int64_t) * k);
    if (src != NULL) l->src = src;
    if (ids == NULL || key == NULL || src == NULL || (ids[l->k] = strdup(id)) == NULL)
        return cli_error("out of memory for the sources");
    if ((key[l->k] = strdup(id_key(id, buf))) == NULL) {
        free(ids[l->k]);
        return cli_error("out of memory for the sources");
    }
    src[l->k++] = -1;
    return 0;
}

/* The ids of a --sources-file: the first field of each line (# or %
 * comments), as one process reads them. */
static int add_file_sources(dist_sources *l, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return cli_error("'%s': %s", path, strerror(errno));
    char *line = NULL, *tok[2];
    size_t cap = 0;
    int rc = 0;
    while (!rc && getline(&line, &cap, f) != -1)
        if (cli_line_fields(line, tok)) rc = add_dist_source(tok[0], l);
    if (!rc && ferror(f)) rc = cli_error("%s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    return rc;
}

static const dist_sources *sorting; /* by_key's sources: qsort takes no context */
static int by_key(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    int c = strcmp(sorting->key[x], sorting->key[y]);
    return c ? c : (x > y) - (x < y);
}

/* The first node whose id names each source: the sources with the line's
 * key, found by binary search. */
static int match_sources(int64_t i, const char *id, void *ctx)
{
    dist_sources *l = ctx;
    char buf[24];
    const char *key = id_key(id, buf);
    int64_t lo = 0, hi = l->k;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->key[l->order[mid]], key) < 0) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < l->k && strcmp(l->key[l->order[lo]], key) == 0; lo++)
        if (l->src[l->order[lo]] < 0) l->src[l->order[lo]] = i;
    return 0;
}

/* Rank 0 reads the --source list and the --sources-file and finds their
 * nodes in one pass over the ids; every rank gets l->src and l->k.
 * Returns 0 or an exit code (the same on every rank). */
static int dist_sources_find(dist_sources *l, const char *dir, int64_t n,
                             const char *list, const char *file, int rank)
{
    int rc = 0;
    if (rank == 0) {
        if (list) rc = cli_split_list("--source", list, add_dist_source, l);
        if (!rc && file) rc = add_file_sources(l, file);
        if (!rc && l->k == 0) rc = cli_error("no sources: give --source or --sources-file");
        if (!rc && (l->order = cli_array(l->k, sizeof(int64_t), "the sources")) == NULL)
            rc = 1;
        for (int64_t s = 0; !rc && s < l->k; s++) l->order[s] = s;
        if (!rc) {
            sorting = l;
            qsort(l->order, (size_t)l->k, sizeof(int64_t), by_key);
            rc = scan_ids(dir, n, match_sources, l);
        }
        for (int64_t s = 0; !rc && s < l->k; s++)
            if (l->src[s] < 0)
                rc = cli_error("source node '%s' is not in the graph", l->ids[s]);
    }
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rc) return rc;
    MPI_Bcast(&l->k, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
    if (rank != 0 && (l->src = malloc(sizeof(int64_t) * (size_t)(l->k + 1))) == NULL)
        rc = cli_error("out of memory for the sources");
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!rc) MPI_Bcast(l->src, (int)l->k, MPI_INT64_T, 0, MPI_COMM_WORLD);
    return rc;
}

static void dist_sources_free(dist_sources *l)
{
    for (int64_t s = 0; l->ids && s < l->k; s++) {
        free(l->ids[s]);
        free(l->key[s]);
    }
    free(l->ids);
    free(l->key);
    free(l->order);
    free(l->src);
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

static int by_index(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The ids of some nodes: node[0..count-1] ascending and distinct, name[t]
 * node[t]'s id once found. */
typedef struct {
    int64_t *node, count, next;
    char **name;
} id_names;

static int take_names(int64_t i, const char *id, void *ctx)
{
    id_names *t = ctx;
    if (t->next == t->count || t->node[t->next] != i) return 0;
    if ((t->name[t->next++] = strdup(id)) == NULL)
        return cli_error("out of memory for the node ids");
    return 0;
}

static const char *name_of(const id_names *t, int64_t node)
{
    const int64_t *at = bsearch(&node, t->node, (size_t)t->count, sizeof(int64_t),
                                by_index);
    return t->name[at - t->node];
}

/* Write `source node score` lines for the kb sources src[0..kb-1], their
 * entries in top[count[s] ...] in turn, with the ids of the nodes named
 * (found in one pass over the ids). Returns 0 or an exit code. */
static int write_named(FILE *f, const char *dir, int64_t n, const int64_t *src,
                       int64_t kb, const scored *top, const int64_t *count)
{
    int64_t lines = 0;
    for (int64_t s = 0; s < kb; s++) lines += count[s];
    id_names t = {cli_array(lines + kb, sizeof(int64_t), "the node ids"), 0, 0,
                  NULL};
    int rc = t.node ? 0 : 1;
    for (int64_t e = 0; !rc && e < lines; e++) t.node[e] = top[e].node;
    for (int64_t s = 0; !rc && s < kb; s++) t.node[lines + s] = src[s];
    if (!rc) {
        qsort(t.node, (size_t)(lines + kb), sizeof(int64_t), by_index);
        for (int64_t e = 0; e < lines + kb; e++)
            if (t.count == 0 || t.node[e] != t.node[t.count - 1])
                t.node[t.count++] = t.node[e];
        t.name = calloc((size_t)t.count, sizeof(char *));
        rc = t.name ? scan_ids(dir, n, take_names, &t)
                    : cli_error("out of memory for the node ids");
    }
    for (int64_t s = 0, e = 0; !rc && s < kb; s++)
        for (int64_t end = e + count[s]; e < end; e++)
            fprintf(f, "%s %s %.12g\n", name_of(&t, src[s]), name_of(&t, top[e].node),
                    top[e].score);
    for (int64_t e = 0; t.name && e < t.count; e++) free(t.name[e]);
    free(t.name);
    free(t.node);
    return rc;
}

/* Sources [s0, s0 + kb): each rank's top entries of its rows of P (rows x
 * kb), gathered on rank 0, which merges them and writes them. */
static int write_top(FILE *f, const double *P, int64_t kb, int64_t s0,
                     const int64_t *src, int64_t top, grl_mpi_graph *D,
                     const char *dir, int rank)
{
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int64_t rows = grl_mpi_graph_local_nodes(D);
    const int64_t *global = grl_mpi_graph_nodes(D);
    scored *mine = malloc(sizeof(scored) * (size_t)(kb * top + 1));
    scored *cand = malloc(sizeof(scored) * (size_t)(rows + 1));
    int *count = calloc((size_t)kb, sizeof(int)), *all_counts = NULL, *bytes = NULL,
        *displ = NULL;
    int64_t *kept = NULL;
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
        kept = calloc((size_t)kb, sizeof(int64_t));
        if (all == NULL || merged == NULL || kept == NULL)
            rc = cli_error("out of memory for the top scores");
    }
    MPI_Gatherv(mine, mybytes, MPI_BYTE, all, bytes, displ, MPI_BYTE, 0, MPI_COMM_WORLD);
    int64_t out = 0; /* merged[0..out-1]: each source's top entries in turn */
    for (int64_t s = 0; rank == 0 && !rc && s < kb; s++) {
        int64_t c = 0; /* source s's entries from every rank */
        for (int q = 0; q < size; q++) {
            const scored *from = (const scored *)((const char *)all + displ[q]);
            int64_t before = 0;
            for (int64_t t = 0; t < s; t++) before += all_counts[q * kb + t];
            memcpy(merged + out + c, from + before,
                   sizeof(scored) * (size_t)all_counts[q * kb + s]);
            c += all_counts[q * kb + s];
        }
        qsort(merged + out, (size_t)c, sizeof(scored), by_score);
        kept[s] = c < top ? c : top;
        out += kept[s];
    }
    if (rank == 0 && !rc)
        rc = write_named(f, dir, grl_mpi_graph_num_nodes(D), src + s0, kb, merged, kept);
    free(mine); free(cand); free(count); free(all_counts); free(bytes); free(displ);
    free(all); free(merged); free(kept);
    return rc;
}

int cli_dist_ppr(const char *dir, const grl_ppr_options *o, const char *list,
                 const char *file, const char *index, int64_t top,
                 const char *output, const cli_common *c)
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
    dist_sources l = {0};
    double *P = NULL;
    FILE *f = NULL;
    enum { BLOCK = 64 }; /* sources per product: rows x 64 doubles */
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!rc) rc = dist_sources_find(&l, dir, n, list, file, rank);
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
        if (!rc) rc = write_top(f, P, kb, s0, l.src, top, D, dir, rank);
        MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    }
    if (f) rc |= cli_close_output(f, output);
    free(P);
    dist_sources_free(&l);
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
                 const char *file, const char *index, int64_t top,
                 const char *output, const cli_common *c)
{
    (void)o; (void)list; (void)file; (void)index; (void)top; (void)output; (void)c;
    return without_mpi(dir);
}

int cli_dist_ppr_index(const char *dir, const grl_ppr_index_options *o,
                       const char *output, const cli_common *c)
{
    (void)o; (void)output; (void)c;
    return without_mpi(dir);
}
#endif
