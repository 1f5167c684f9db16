/* fuzz_graph_set.c — grl_graph_set_load on a TU dataset cut from one input:
 * sections separated by lines "##" are, in order, graph_indicator, A,
 * graph_labels, node_labels, node_attributes, edge_labels, edge_attributes
 * and node_targets; a section that is "!" (one line) or is missing leaves
 * its file out. A load either fails with a message or gives a set that passes
 * grl_graph_set_check, has one-hot label columns, and survives a save and
 * load unchanged. */
#include "fuzz.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FILES = 8 };
static const char *suffix[FILES] = {"graph_indicator", "A", "graph_labels",
    "node_labels", "node_attributes", "edge_labels", "edge_attributes",
    "node_targets"};
static char dirs[2][64];

static void remove_dir(int d)
{
    char path[160];
    for (int f = 0; f < FILES; f++) {
        snprintf(path, sizeof path, "%s/F_%s.txt", dirs[d], suffix[f]);
        unlink(path);
    }
}

static void remove_all(void)
{
    for (int d = 0; d < 2; d++) {
        remove_dir(d);
        rmdir(dirs[d]);
    }
}

static void make_dirs(void)
{
    static int done = 0;
    if (done) return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    for (int d = 0; d < 2; d++) {
        snprintf(dirs[d], sizeof dirs[d], "%s/grl-fuzz-gs-XXXXXX", base);
        FUZZ_CHECK(mkdtemp(dirs[d]) != NULL);
    }
    atexit(remove_all);
    done = 1;
}

static void write_section(int f, const uint8_t *s, size_t len)
{
    if (len >= 1 && len <= 2 && s[0] == '!' && (len == 1 || s[1] == '\n')) return;
    char path[160];
    snprintf(path, sizeof path, "%s/F_%s.txt", dirs[0], suffix[f]);
    FILE *out = fopen(path, "wb");
    FUZZ_CHECK(out != NULL);
    FUZZ_CHECK(len == 0 || fwrite(s, 1, len, out) == len);
    FUZZ_CHECK(fclose(out) == 0);
}

/* The next "##\n" that starts a line, at or after p; end if none. */
static const uint8_t *next_separator(const uint8_t *p, const uint8_t *end,
                                     const uint8_t *data)
{
    for (; end - p >= 3; p++)
        if ((p == data || p[-1] == '\n') && memcmp(p, "##\n", 3) == 0) return p;
    return end;
}

static void same_set(const grl_graph_set *a, const grl_graph_set *b)
{
    FUZZ_CHECK(a->ngraphs == b->ngraphs && a->nodes == b->nodes &&
               a->arcs == b->arcs && a->nclasses == b->nclasses &&
               a->node_target_dim == b->node_target_dim);
    FUZZ_CHECK(memcmp(a->graph_ptr, b->graph_ptr, 8 * (size_t)(a->ngraphs + 1)) == 0);
    FUZZ_CHECK(memcmp(a->in_ptr, b->in_ptr, 8 * (size_t)(a->nodes + 1)) == 0);
    FUZZ_CHECK(a->arcs == 0 ||
               memcmp(a->arc_source, b->arc_source, 8 * (size_t)a->arcs) == 0);
    if (a->nodes > 0 && a->node_dim > 0) {
        FUZZ_CHECK(a->node_dim == b->node_dim);
        FUZZ_CHECK(memcmp(a->node_x, b->node_x,
                          4 * (size_t)(a->nodes * a->node_dim)) == 0);
    }
    if (a->arcs > 0 && a->arc_dim > 0) {
        FUZZ_CHECK(a->arc_dim == b->arc_dim);
        FUZZ_CHECK(memcmp(a->arc_x, b->arc_x, 4 * (size_t)(a->arcs * a->arc_dim)) == 0);
    }
    if (a->node_target_dim > 0)
        FUZZ_CHECK(memcmp(a->node_y, b->node_y,
                          4 * (size_t)(a->nodes * a->node_target_dim)) == 0);
    if (a->nclasses > 0)
        FUZZ_CHECK(memcmp(a->graph_class, b->graph_class, 8 * (size_t)a->ngraphs) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    make_dirs();
    remove_dir(0);
    remove_dir(1);
    const uint8_t *p = data, *end = data + size;
    for (int f = 0; f < FILES; f++) {
        const uint8_t *q = next_separator(p, end, data);
        write_section(f, p, (size_t)(q - p));
        if (q == end) break;
        p = q + 3;
    }
    char msg[GRL_MSG_LEN];
    grl_graph_set *S = NULL;
    if (grl_graph_set_load(&S, dirs[0], "F", msg) < 0) {
        FUZZ_CHECK(S == NULL && msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(grl_graph_set_check(S, msg) == 0);
    for (int64_t i = 0; i < S->nodes && S->node_label_dim > 0; i++) {
        float sum = 0;
        for (int64_t c = 0; c < S->node_label_dim; c++) sum += S->node_x[i * S->node_dim + c];
        FUZZ_CHECK(sum == 1.0f);
    }
    FUZZ_CHECK(grl_graph_set_save(S, dirs[1], "F", msg) == 0);
    grl_graph_set *R = NULL;
    FUZZ_CHECK(grl_graph_set_load(&R, dirs[1], "F", msg) == 0);
    same_set(S, R);
    grl_graph_set_free(R);
    grl_graph_set_free(S);
    return 0;
}
