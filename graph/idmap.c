/* idmap.c — the map between dense node indices and the ids of a file. */
#include "graph_internal.h"

#include <errno.h>

void grl_idmap_clear(grl_idmap *map)
{
    free(map->ints);
    free(map->names);
    free(map->blob);
    memset(map, 0, sizeof(*map));
}

int grl_idmap_copy(grl_idmap *dst, const grl_idmap *src, char *msg)
{
    memset(dst, 0, sizeof(*dst));
#define FREE_ALL grl_idmap_clear(dst)
    dst->kind = src->kind;
    dst->n = src->n;
    if (src->ints) {
        GRL_ALLOC(dst->ints, int64_t, src->n);
        memcpy(dst->ints, src->ints, src->n * sizeof(int64_t));
    }
    if (src->names) {
        GRL_ALLOC(dst->blob, char, src->blob_len);
        memcpy(dst->blob, src->blob, src->blob_len);
        dst->blob_len = src->blob_len;
        GRL_ALLOC(dst->names, char *, src->n);
        for (int64_t i = 0; i < src->n; i++)
            dst->names[i] = dst->blob + (src->names[i] - src->blob);
    }
    return 0;
#undef FREE_ALL
}

grl_id_kind grl_graph_id_kind(const grl_graph *G) { return G->ids.kind; }

bool grl_graph_ids_are_indices(const grl_graph *G)
{
    return G->ids.kind == GRL_IDS_INTEGER && G->ids.ints == NULL;
}

int grl_graph_node_id(const grl_graph *G, int64_t i, char *buf, size_t len)
{
    if (i < 0 || i >= G->ids.n) return GRL_NOT_FOUND;
    if (G->ids.kind == GRL_IDS_STRING)
        return snprintf(buf, len, "%s", G->ids.names[i]);
    int64_t id = G->ids.ints ? G->ids.ints[i] : i;
    return snprintf(buf, len, "%" PRId64, id);
}

static int compare_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(char *const *)elem);
}

int grl_graph_node_index(const grl_graph *G, const char *id, int64_t *index,
                         char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(G != NULL && id != NULL && index != NULL,
                "grl_graph_node_index: NULL argument");
    const grl_idmap *map = &G->ids;
    if (map->kind == GRL_IDS_STRING) {
        char **hit = bsearch(id, map->names, map->n, sizeof(char *),
                             compare_name);
        if (hit == NULL) GRL_FAIL(GRL_NOT_FOUND, "no node with id '%.100s'", id);
        *index = hit - map->names;
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(id, &end, 10);
    if (end == id || *end != '\0' || errno == ERANGE)
        GRL_FAIL(GRL_NOT_FOUND, "no node with id '%.100s' (node ids are "
                 "integers)", id);
    if (map->ints == NULL) {
        if (v < 0 || v >= map->n)
            GRL_FAIL(GRL_NOT_FOUND, "no node with id %lld", v);
        *index = v;
        return 0;
    }
    int64_t lo = 0, hi = map->n; /* first position with ints[pos] >= v */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (map->ints[mid] < v) lo = mid + 1; else hi = mid;
    }
    if (lo == map->n || map->ints[lo] != v)
        GRL_FAIL(GRL_NOT_FOUND, "no node with id %lld", v);
    *index = lo;
    return 0;
#undef FREE_ALL
}
