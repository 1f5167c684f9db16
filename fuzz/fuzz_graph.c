/* fuzz_graph.c — grl_graph_load on one format, chosen at compile time by
 * FUZZ_FORMAT (a grl_format constant): one binary per format.
 *
 * The input's first byte picks the load options, the rest is the file:
 *   bits 0-1  directed: 1 -> 0, 2 -> 1, else -1 (the format's default)
 *   bit 2     string ids           bit 3  drop self-loops
 *   bit 4     sum duplicates       bit 5  ignore weights
 *   bit 6     allow non-positive   bit 7  header line (else auto)
 * For edge lists and CSV, what follows a NUL byte, if any, is a node file
 * declaring the node set (opt.nodes_path).
 */
#include "fuzz.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#ifndef FUZZ_FORMAT
#error "compile with -DFUZZ_FORMAT=GRL_FORMAT_..."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Declared Pajek vertex counts above this are skipped: igraph makes one
 * small allocation per declared vertex (its label), which under ASan costs
 * ~80 bytes each, so an 89-byte "*Vertices 28347219" file honestly needs
 * more than the 2 GB the fuzzer allows. */
#define PAJEK_MAX_VERTICES 1000000

static bool pajek_too_big(const uint8_t *data, size_t size)
{
    static const char key[] = "*vertices";
    size_t klen = sizeof key - 1;
    for (size_t i = 0; i + klen <= size; i++) {
        size_t k = 0;
        while (k < klen && tolower(data[i + k]) == key[k]) k++;
        if (k < klen) continue;
        size_t j = i + klen;
        while (j < size && (data[j] == ' ' || data[j] == '\t')) j++;
        uint64_t n = 0;
        for (; j < size && isdigit(data[j]); j++)
            if ((n = n * 10 + (data[j] - '0')) > PAJEK_MAX_VERTICES) return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    if (FUZZ_FORMAT == GRL_FORMAT_PAJEK && pajek_too_big(data + 1, size - 1))
        return 0;
    fuzz_init();
    uint8_t bits = data[0];
    grl_load_options opt;
    grl_load_options_init(&opt);
    opt.format = FUZZ_FORMAT;
    opt.directed = (bits & 3) == 1 ? 0 : (bits & 3) == 2 ? 1 : -1;
    opt.ids = bits & 4 ? GRL_IDS_STRING : GRL_IDS_INTEGER;
    opt.self_loops = bits & 8 ? GRL_SELF_LOOPS_DROP : GRL_SELF_LOOPS_KEEP;
    opt.duplicates = bits & 16 ? GRL_DUPLICATES_SUM : GRL_DUPLICATES_MERGE;
    opt.ignore_weights = bits & 32;
    opt.allow_nonpositive_weights = bits & 64;
    opt.header = bits & 128 ? 1 : -1;

    const uint8_t *file = data + 1, *nul = NULL;
    size_t file_size = size - 1;
    if (FUZZ_FORMAT == GRL_FORMAT_EDGELIST || FUZZ_FORMAT == GRL_FORMAT_CSV)
        nul = memchr(file, 0, file_size);
    size_t node_lines = 0;
    if (nul) {
        size_t nodes_size = file_size - (size_t)(nul + 1 - file);
        opt.nodes_path = fuzz_write_file(1, nul + 1, nodes_size);
        for (size_t i = 0; i < nodes_size; i++) node_lines += nul[1 + i] == '\n';
        node_lines++;
        file_size = (size_t)(nul - file);
    }
    const char *path = fuzz_write_file(0, file, file_size);
    grl_graph *G = NULL;
    char msg[GRL_MSG_LEN] = "";
    int rc = grl_graph_load(&G, path, &opt, msg);
    if (rc < 0) {
        FUZZ_CHECK(G == NULL);  /* nothing half-built is returned */
        FUZZ_CHECK(msg[0] != '\0');
        return 0;
    }
    if (opt.directed != -1)
        FUZZ_CHECK(grl_graph_is_directed(G) == (opt.directed == 1));
    if (nul) /* one node per id line of the node file */
        FUZZ_CHECK((size_t)grl_graph_num_nodes(G) <= node_lines);
    fuzz_check_graph(G, opt.allow_nonpositive_weights);
    grl_graph_free(&G);
    FUZZ_CHECK(G == NULL);
    return 0;
}
