/* idmap_build.c — turn the ids read from a file into dense indices 0..n-1,
 * numbered in sorted id order (so the result ignores the order of lines). */
#include "parse_edges.h"

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t lower_bound(const int64_t *a, int64_t n, int64_t key)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (a[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Ids spanning a range not much larger than the edge count (the common
 * case, SNAP included) are ranked through a table over the range: two
 * parallel passes, no sort. */
static int rank_dense_range(grl_idmap *map, int64_t *u, int64_t *v, int64_t m,
                            int64_t lo, uint64_t range, char *msg)
{
    uint8_t *seen = NULL;
    int64_t *rank = NULL;
#define FREE_ALL free(seen); free(rank)
    GRL_CALLOC(seen, uint8_t, range);
    GRL_ALLOC(rank, int64_t, range);
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
#pragma omp atomic write
        seen[u[k] - lo] = 1;
#pragma omp atomic write
        seen[v[k] - lo] = 1;
    }
    int64_t n = 0;
    for (uint64_t i = 0; i < range; i++)
        if (seen[i]) rank[i] = n++;
    map->n = n;
    if (!(lo == 0 && (uint64_t)n == range)) { /* not already 0..n-1 */
        GRL_ALLOC(map->ints, int64_t, n);
        for (uint64_t i = 0; i < range; i++)
            if (seen[i]) map->ints[rank[i]] = lo + (int64_t)i;
#pragma omp parallel for schedule(static)
        for (int64_t k = 0; k < m; k++) {
            u[k] = rank[u[k] - lo];
            v[k] = rank[v[k] - lo];
        }
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

static int rank_by_sorting(grl_idmap *map, int64_t *u, int64_t *v, int64_t m,
                           char *msg)
{
    int64_t *all = NULL;
#define FREE_ALL free(all)
    GRL_ALLOC(all, int64_t, grl_size_mul(2, m));
    memcpy(all, u, m * sizeof(int64_t));
    memcpy(all + m, v, m * sizeof(int64_t));
    qsort(all, 2 * m, sizeof(int64_t), compare_int64);
    int64_t n = 0;
    for (int64_t k = 0; k < 2 * m; k++)
        if (n == 0 || all[k] != all[n - 1]) all[n++] = all[k];
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        u[k] = lower_bound(all, n, u[k]);
        v[k] = lower_bound(all, n, v[k]);
    }
    map->n = n;
    map->ints = grl_realloc(all, (n ? n : 1) * sizeof(int64_t));
    if (map->ints == NULL) map->ints = all;
    return 0;
#undef FREE_ALL
}

int grl_idmap_from_ints(grl_idmap *map, int64_t *u, int64_t *v, int64_t m,
                        char *msg)
{
    memset(map, 0, sizeof(*map));
    map->kind = GRL_IDS_INTEGER;
    if (m == 0) return 0;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
#pragma omp parallel for schedule(static) reduction(min : lo) reduction(max : hi)
    for (int64_t k = 0; k < m; k++) {
        int64_t a = u[k] < v[k] ? u[k] : v[k], b = u[k] < v[k] ? v[k] : u[k];
        if (a < lo) lo = a;
        if (b > hi) hi = b;
    }
    /* hi - lo in unsigned arithmetic cannot wrap (ids may span all of
     * int64); the table is used only when the span is small */
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span < 4 * (uint64_t)m + (1u << 16))
        return rank_dense_range(map, u, v, m, lo, span + 1, msg);
    return rank_by_sorting(map, u, v, m, msg);
}

/* ---- string ids: a hash table over the tokens, then a sort of the unique
 * names ---- */

static int compare_name_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* text is NUL-terminated (grl_read_file), so a token ends at a separator or
 * at the NUL, whatever its length: ids are never cut. */
int grl_idmap_from_tokens(grl_idmap *map, const char *text, int64_t *u,
                          int64_t *v, int64_t m, char *msg)
{
    int64_t *table = NULL, *first = NULL, *rank = NULL;
    size_t *name_at = NULL;
#define FREE_ALL free(table); free(first); free(rank); free(name_at); \
    grl_idmap_clear(map)
    memset(map, 0, sizeof(*map));
    map->kind = GRL_IDS_STRING;
    uint64_t cap = 16;
    while (cap < 4 * (uint64_t)m) cap <<= 1;
    GRL_ALLOC(table, int64_t, cap);        /* slot -> unique index, -1 empty */
    GRL_ALLOC(first, int64_t, grl_size_add(grl_size_mul(2, m), 1));  /* unique index -> token offset  */
    memset(table, 0xff, cap * sizeof(int64_t));
    int64_t n = 0;
    size_t blob_len = 0;
    for (int64_t k = 0; k < 2 * m; k++) {
        int64_t *end = k < m ? &u[k] : &v[k - m];
        const char *tok = text + *end;
        size_t len = grl_cstr_token_length(tok);
        uint64_t slot = grl_fnv1a(tok, len) & (cap - 1);
        for (;;) {
            int64_t q = table[slot];
            if (q < 0) {
                table[slot] = n;
                first[n++] = *end;
                blob_len += len + 1;
                *end = n - 1;
                break;
            }
            const char *other = text + first[q];
            if (grl_token_length(other, other + len + 1) == len &&
                memcmp(other, tok, len) == 0) {
                *end = q;
                break;
            }
            slot = (slot + 1) & (cap - 1);
        }
    }
    free(table);
    table = NULL;
    /* copy the unique names into one blob and sort them */
    GRL_ALLOC(map->blob, char, blob_len ? blob_len : 1);
    GRL_ALLOC(map->names, char *, n);
    GRL_ALLOC(name_at, size_t, n);
    size_t pos = 0;
    for (int64_t q = 0; q < n; q++) {
        const char *tok = text + first[q];
        size_t len = grl_cstr_token_length(tok);
        memcpy(map->blob + pos, tok, len);
        map->blob[pos + len] = '\0';
        name_at[q] = pos;
        map->names[q] = map->blob + pos;
        pos += len + 1;
    }
    map->blob_len = blob_len;
    map->n = n;
    qsort(map->names, n, sizeof(char *), compare_name_ptr);
    /* unique q (first-seen order) -> its rank in sorted order: names[r]
     * points at blob position name_at[q] for exactly one q, and name_at
     * ascends with q, so a binary search finds it */
    GRL_ALLOC(rank, int64_t, n);
    for (int64_t r = 0; r < n; r++) {
        size_t at = (size_t)(map->names[r] - map->blob);
        int64_t lo = 0, hi = n - 1;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (name_at[mid] < at) lo = mid + 1; else hi = mid;
        }
        rank[lo] = r;
    }
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        u[k] = rank[u[k]];
        v[k] = rank[v[k]];
    }
    free(first); free(rank); free(name_at);
    return 0;
#undef FREE_ALL
}
