/* idmap.c — the map between dense node indices and the ids of a file. */
#define _GNU_SOURCE /* qsort_r */
#include "graph_internal.h"
#include "text.h"


void grl_idmap_clear(grl_idmap *map)
{
    free(map->ints);
    free(map->names);
    free(map->blob);
    free(map->by_id);
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
    if (src->by_id) {
        GRL_ALLOC(dst->by_id, int64_t, src->n);
        memcpy(dst->by_id, src->by_id, src->n * sizeof(int64_t));
    }
    return 0;
#undef FREE_ALL
}

uint64_t grl_graph_node_key(const grl_graph *G, int64_t i)
{
    if (G == NULL || i < 0 || i >= G->ids.n) return 0; /* never a crash */
    const grl_idmap *map = &G->ids;
    if (map->kind == GRL_IDS_INTEGER)
        return (uint64_t)(map->ints ? map->ints[i] : i);
    return grl_fnv1a(map->names[i], strlen(map->names[i]));
}

/* Compare the ids of two node indices (qsort_r's context is the map). */
static int compare_ids(const void *a, const void *b, void *context)
{
    const grl_idmap *map = context;
    int64_t i = *(const int64_t *)a, j = *(const int64_t *)b;
    if (map->kind == GRL_IDS_STRING) return strcmp(map->names[i], map->names[j]);
    int64_t x = map->ints ? map->ints[i] : i, y = map->ints ? map->ints[j] : j;
    return (x > y) - (x < y);
}

int grl_idmap_index_by_id(grl_idmap *map, char *msg)
{
#define FREE_ALL ;
    free(map->by_id);
    map->by_id = NULL;
    int64_t i = 1;
    while (i < map->n) {
        int64_t a = i - 1, b = i;
        if (compare_ids(&a, &b, map) >= 0) break;
        i++;
    }
    if (i >= map->n) return 0; /* ascending: binary search on the index */
    GRL_ALLOC(map->by_id, int64_t, map->n);
    for (int64_t k = 0; k < map->n; k++) map->by_id[k] = k;
    qsort_r(map->by_id, map->n, sizeof(int64_t), compare_ids, map);
    return 0;
#undef FREE_ALL
}

int64_t grl_idmap_duplicate(const grl_idmap *map)
{
    for (int64_t k = 1; k < map->n; k++) {
        int64_t a = map->by_id ? map->by_id[k - 1] : k - 1;
        int64_t b = map->by_id ? map->by_id[k] : k;
        if (compare_ids(&a, &b, (void *)map) == 0) return b;
    }
    return -1;
}

grl_id_kind grl_graph_id_kind(const grl_graph *G)
{
    return G ? G->ids.kind : GRL_IDS_INTEGER;
}

bool grl_graph_ids_are_indices(const grl_graph *G)
{
    return G == NULL || (G->ids.kind == GRL_IDS_INTEGER && G->ids.ints == NULL);
}

int grl_graph_node_id(const grl_graph *G, int64_t i, char *buf, size_t len)
{
    if (G == NULL || (buf == NULL && len > 0)) return GRL_INVALID_ARGUMENT;
    if (i < 0 || i >= G->ids.n) return GRL_NOT_FOUND;
    if (G->ids.kind == GRL_IDS_STRING)
        return snprintf(buf, len, "%s", G->ids.names[i]);
    int64_t id = G->ids.ints ? G->ids.ints[i] : i;
    return snprintf(buf, len, "%" PRId64, id);
}

/* The node whose id equals a key, or -1: a binary search over positions in
 * id order, with cmp(map, i, key) comparing node i's id to the key. */
static int64_t find_id(const grl_idmap *map,
                       int (*cmp)(const grl_idmap *, int64_t, const void *),
                       const void *key)
{
    int64_t lo = 0, hi = map->n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cmp(map, map->by_id ? map->by_id[mid] : mid, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    int64_t i = lo < map->n ? (map->by_id ? map->by_id[lo] : lo) : -1;
    return i >= 0 && cmp(map, i, key) == 0 ? i : -1;
}

static int compare_int_id(const grl_idmap *map, int64_t i, const void *key)
{
    int64_t x = map->ints[i], y = *(const int64_t *)key;
    return (x > y) - (x < y);
}

int64_t grl_idmap_find_int(const grl_idmap *map, int64_t id)
{
    if (map->ints == NULL) return id >= 0 && id < map->n ? id : -1;
    return find_id(map, compare_int_id, &id);
}

typedef struct {
    const char *text;
    size_t len;
} token;

/* strcmp order of node i's name and a token (not NUL-terminated). */
static int compare_token_id(const grl_idmap *map, int64_t i, const void *key)
{
    const token *t = key;
    const char *name = map->names[i];
    int c = strncmp(name, t->text, t->len);
    if (c != 0) return c;
    return name[t->len] != '\0'; /* the name is longer: it sorts after */
}

int64_t grl_idmap_find_token(const grl_idmap *map, const char *text, size_t len)
{
    token t = {text, len};
    return find_id(map, compare_token_id, &t);
}

int grl_graph_node_index(const grl_graph *G, const char *id, int64_t *index,
                         char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(G != NULL && id != NULL && index != NULL,
                "grl_graph_node_index: NULL argument");
    const grl_idmap *map = &G->ids;
    int64_t i;
    if (map->kind == GRL_IDS_INTEGER) {
        int64_t v;
        if (!grl_parse_i64_whole(id, strlen(id), &v))
            GRL_FAIL(GRL_NOT_FOUND, "no node with id '%.100s' (node ids are "
                     "integers)", id);
        i = grl_idmap_find_int(map, v);
        if (i < 0) GRL_FAIL(GRL_NOT_FOUND, "no node with id %" PRId64, v);
    } else {
        i = grl_idmap_find_token(map, id, strlen(id));
        if (i < 0) GRL_FAIL(GRL_NOT_FOUND, "no node with id '%.100s'", id);
    }
    *index = i;
    return 0;
#undef FREE_ALL
}
