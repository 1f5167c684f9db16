/* testutil.c — helpers shared by the cmocka tests. */
#include "testutil.h"
#include "grl_internal.h" /* grl_hash64_of */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *data_path(const char *relative)
{
    static char buf[4][1024];
    static int slot = 0;
    char *p = buf[slot++ % 4];
    snprintf(p, 1024, "%s/%s", GRL_DATA_DIR, relative);
    return p;
}

const char *temp_file(const char *suffix, const char *text)
{
    static char buf[8][256];
    static int slot = 0;
    char *p = buf[slot++ % 8];
    snprintf(p, 256, "/tmp/grl_test_XXXXXX%s", suffix);
    int fd = mkstemps(p, (int)strlen(suffix));
    if (fd < 0) fail_msg("mkstemps failed");
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len) fail_msg("write failed");
    close(fd);
    return p;
}

void assert_double_near_impl(double a, double b, double tol, const char *expr,
                             const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g, expected %.17g (tol %g)\n", expr, a, b, tol);
        _fail(file, line);
    }
}

grl_graph *load_graph(const char *path, int directed)
{
    char msg[GRL_MSG_LEN];
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.directed = directed;
    grl_graph *G = NULL;
    assert_ok(grl_graph_load(&G, path, &opt, msg));
    return G;
}

int partition_seeded(grl_graph *G, int64_t k, uint64_t seed, int64_t *part,
                     grl_partition_info *info, char *msg)
{
    grl_partition_options opt;
    grl_partition_options_init(&opt);
    opt.seed = seed;
    return grl_partition_compute(G, k, &opt, part, info, msg);
}

const char *shuffled_copy(const char *path, uint64_t seed)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) fail_msg("cannot read %s", path);
    char *line = NULL, **lines = NULL;
    size_t cap = 0, n = 0, alloc = 0;
    while (getline(&line, &cap, f) > 0) {
        if (n == alloc) lines = realloc(lines, (alloc = 2 * alloc + 64) * sizeof *lines);
        lines[n++] = strdup(line);
    }
    fclose(f);
    free(line);
    grl_rng rng;
    grl_rng_init(&rng, seed, 0);
    for (size_t i = n; i > 1; i--) {
        size_t j = grl_rng_below(&rng, i);
        char *t = lines[i - 1]; lines[i - 1] = lines[j]; lines[j] = t;
    }
    const char *out = temp_file(".txt", "");
    f = fopen(out, "w");
    for (size_t i = 0; i < n; i++) {
        fputs(lines[i], f);
        free(lines[i]);
    }
    fclose(f);
    free(lines);
    return out;
}

const char *temp_dir(void)
{
    static char buf[8][64];
    static int slot = 0;
    char *p = buf[slot++ % 8];
    snprintf(p, 64, "/tmp/grl_test_XXXXXX");
    if (mkdtemp(p) == NULL) fail_msg("mkdtemp failed");
    return p;
}

void assert_graph_sets_equal(const grl_graph_set *a, const grl_graph_set *b)
{
    assert_int_equal(a->ngraphs, b->ngraphs);
    assert_int_equal(a->nodes, b->nodes);
    assert_int_equal(a->arcs, b->arcs);
    assert_int_equal(a->node_dim, b->node_dim);
    assert_int_equal(a->arc_dim, b->arc_dim);
    assert_int_equal(a->node_target_dim, b->node_target_dim);
    assert_int_equal(a->nclasses, b->nclasses);
    assert_int_equal(a->node_label_dim, b->node_label_dim);
    assert_int_equal(a->arc_label_dim, b->arc_label_dim);
    assert_memory_equal(a->graph_ptr, b->graph_ptr, sizeof(int64_t) * (a->ngraphs + 1));
    assert_memory_equal(a->in_ptr, b->in_ptr, sizeof(int64_t) * (a->nodes + 1));
    if (a->arcs) assert_memory_equal(a->arc_source, b->arc_source, sizeof(int64_t) * a->arcs);
    if (a->node_dim)
        assert_memory_equal(a->node_x, b->node_x, sizeof(float) * a->nodes * a->node_dim);
    if (a->arc_dim && a->arcs)
        assert_memory_equal(a->arc_x, b->arc_x, sizeof(float) * a->arcs * a->arc_dim);
    if (a->node_target_dim)
        assert_memory_equal(a->node_y, b->node_y,
                            sizeof(float) * a->nodes * a->node_target_dim);
    if (a->nclasses)
        assert_memory_equal(a->graph_class, b->graph_class, sizeof(int64_t) * a->ngraphs);
}

void fill_uniform(float *x, int64_t count, uint64_t seed, uint64_t stream, double scale)
{
    grl_rng rng;
    grl_rng_init(&rng, seed, stream);
    for (int64_t i = 0; i < count; i++)
        x[i] = (float)((2 * grl_rng_uniform(&rng) - 1) * scale);
}

double weighted_sum(const float *y, const float *w, int64_t count)
{
    double s = 0;
    for (int64_t i = 0; i < count; i++) s += (double)w[i] * y[i];
    return s;
}

double max_abs(const float *x, int64_t count)
{
    double m = 0;
    for (int64_t i = 0; i < count; i++) m = fabs(x[i]) > m ? fabs(x[i]) : m;
    return m;
}

void assert_grad_close(double fd, double an, double scale, double abs_tol,
                       double rel_tol, const char *what, int64_t index)
{
    double tol = abs_tol * (scale > 1 ? scale : 1) + rel_tol * fabs(an);
    if (!(fabs(fd - an) <= tol))
        fail_msg("%s[%lld]: finite difference %.8g, backward %.8g (tol %.3g)", what,
                 (long long)index, fd, an, tol);
}

const char *temp_patched(const char *path, size_t at, const void *value, size_t bytes)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    assert_true(len >= 32 && (size_t)len >= at + bytes + 8);
    unsigned char *b = malloc((size_t)len);
    assert_non_null(b);
    rewind(f);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    memcpy(b + at, value, bytes);
    uint64_t sum = grl_hash64_of(b, (size_t)len - 8, 0);
    memcpy(b + len - 8, &sum, sizeof sum);
    const char *out = temp_file(".grl", "");
    f = fopen(out, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    free(b);
    return out;
}

uint64_t test_member_seed(uint64_t seed, int64_t j)
{
    if (j == 0) return seed;
    grl_rng r;
    grl_rng_init(&r, seed, (uint64_t)j);
    return grl_rng_u64(&r);
}
