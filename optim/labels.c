/* labels.c — node labels for evaluation: built from pairs, or read from a
 * `node label` text file whose node ids are matched to embedding rows
 * (row i = id i, or the ids listed in an .ids file, one per line). */
#include "grl_internal.h"
#include "grl/optim.h"
#include "text.h"

static const grl_enum_name missing_names[] = {
    {"error", GRL_MISSING_ERROR},
    {"skip", GRL_MISSING_SKIP},
    {"zero", GRL_MISSING_ZERO},
};
GRL_ENUM_FUNCTIONS(grl_missing_policy, missing_names, "missing-node policy")

void grl_labels_options_init(grl_labels_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->missing = GRL_MISSING_ERROR;
}

void grl_labels_free(grl_labels **labels)
{
    if (labels == NULL || *labels == NULL) return;
    grl_labels *L = *labels;
    if (L->names)
        for (int64_t k = 0; k < L->nlabels; k++) free(L->names[k]);
    free(L->names);
    free(L->offsets);
    free(L->label);
    free(L);
    *labels = NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The CSR form of npairs (node, label) pairs, each row sorted and without
 * repeats. Ranges were checked by the caller. */
static int build(grl_labels **labels, int64_t nodes, int64_t nlabels,
                 const int64_t *node, const int64_t *label, int64_t npairs,
                 char *msg)
{
    grl_labels *L = NULL;
    int64_t *fill = NULL;
#define FREE_ALL grl_labels_free(&L); free(fill)
    GRL_CALLOC(L, grl_labels, 1);
    L->nodes = nodes;
    L->nlabels = nlabels;
    GRL_CALLOC(L->offsets, int64_t, grl_size_add(nodes, 1));
    GRL_ALLOC(L->label, int64_t, npairs);
    GRL_ALLOC(fill, int64_t, nodes);
    for (int64_t k = 0; k < npairs; k++) L->offsets[node[k] + 1]++;
    for (int64_t i = 0; i < nodes; i++) {
        fill[i] = L->offsets[i];
        L->offsets[i + 1] += L->offsets[i];
    }
    for (int64_t k = 0; k < npairs; k++) L->label[fill[node[k]]++] = label[k];
    /* sort each row, drop repeats, compact */
    int64_t out = 0;
    for (int64_t i = 0; i < nodes; i++) {
        int64_t start = L->offsets[i], end = L->offsets[i + 1];
        qsort(L->label + start, (size_t)(end - start), sizeof(int64_t), cmp_i64);
        L->offsets[i] = out;
        for (int64_t k = start; k < end; k++)
            if (k == start || L->label[k] != L->label[k - 1])
                L->label[out++] = L->label[k];
    }
    L->offsets[nodes] = out;
    free(fill);
    fill = NULL;
    *labels = L;
    return 0;
#undef FREE_ALL
}

int grl_labels_from_pairs(grl_labels **labels, int64_t nodes, int64_t nlabels,
                          const int64_t *node, const int64_t *label,
                          int64_t npairs, char *msg)
{
    grl_msg_clear(msg);
#define FREE_ALL ;
    GRL_REQUIRE(labels != NULL, "grl_labels_from_pairs: NULL output");
    *labels = NULL;
    GRL_REQUIRE(nodes >= 0 && nlabels >= 0 && npairs >= 0, "grl_labels_from_"
                "pairs: negative size (nodes %" PRId64 ", labels %" PRId64
                ", pairs %" PRId64 ")", nodes, nlabels, npairs);
    GRL_REQUIRE(npairs == 0 || (node != NULL && label != NULL),
                "grl_labels_from_pairs: NULL node or label array");
    for (int64_t k = 0; k < npairs; k++) {
        GRL_REQUIRE(node[k] >= 0 && node[k] < nodes, "label pair %" PRId64
                    ": node %" PRId64 " is not in 0..%" PRId64, k, node[k],
                    nodes - 1);
        GRL_REQUIRE(label[k] >= 0 && label[k] < nlabels, "label pair %" PRId64
                    ": label %" PRId64 " is not in 0..%" PRId64, k, label[k],
                    nlabels - 1);
    }
    return build(labels, nodes, nlabels, node, label, npairs, msg);
#undef FREE_ALL
}

/* ---------------------------------------------------------------------------
 * Reading: tokens, and a hash table of ids (integers by value, strings by
 * spelling)
 * ------------------------------------------------------------------------ */

typedef struct {
    const char *s; /* spelling, inside a file buffer */
    int len;
    bool is_int;
    int64_t v;
} key;

typedef struct {
    key *keys;      /* count entries, in insertion order */
    int64_t count, key_cap;
    int64_t *slot;  /* cap entries: index into keys, or -1 */
    size_t cap;     /* a power of two */
} table;

static void table_free(table *t)
{
    free(t->keys);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static key make_key(const char *s, int len)
{
    key k = {s, len, false, 0};
    k.is_int = grl_parse_i64_whole(s, (size_t)len, &k.v);
    return k;
}

static uint64_t key_hash(const key *k)
{
    if (k->is_int) return grl_mix64((uint64_t)k->v + GRL_GOLDEN);
    uint64_t h = grl_fnv1a(k->s, (size_t)k->len);
    return h ^ (h >> 29);
}

static bool key_equal(const key *a, const key *b)
{
    if (a->is_int != b->is_int) return false;
    if (a->is_int) return a->v == b->v;
    return a->len == b->len && memcmp(a->s, b->s, (size_t)a->len) == 0;
}

/* The index of k in t, or -1; *where is its slot or the empty slot for it. */
static int64_t table_find(const table *t, const key *k, size_t *where)
{
    size_t mask = t->cap - 1, i = (size_t)key_hash(k) & mask;
    while (t->slot[i] >= 0) {
        if (key_equal(&t->keys[t->slot[i]], k)) {
            *where = i;
            return t->slot[i];
        }
        i = (i + 1) & mask;
    }
    *where = i;
    return -1;
}

static int table_grow(table *t, size_t cap, char *msg)
{
    int64_t *slot = NULL;
#define FREE_ALL ;
    GRL_ALLOC(slot, int64_t, cap);
    for (size_t i = 0; i < cap; i++) slot[i] = -1;
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
    for (int64_t j = 0; j < t->count; j++) {
        size_t where;
        table_find(t, &t->keys[j], &where);
        t->slot[where] = j;
    }
    return 0;
#undef FREE_ALL
}

/* Add k (absent, `where` from table_find) and return its index. */
static int table_add(table *t, const key *k, size_t where, int64_t *index,
                     char *msg)
{
#define FREE_ALL ;
    if (t->count == t->key_cap) {
        int64_t cap = t->key_cap ? 2 * t->key_cap : 64;
        key *keys = grl_realloc(t->keys, grl_size_mul(cap, sizeof(key)));
        if (keys == NULL)
            GRL_FAIL(GRL_OUT_OF_MEMORY, "out of memory for %" PRId64 " ids", cap);
        t->keys = keys;
        t->key_cap = cap;
    }
    t->keys[t->count] = *k;
    t->slot[where] = t->count;
    *index = t->count++;
    if ((size_t)t->count * 2 > t->cap) GRL_TRY(table_grow(t, 2 * t->cap, msg));
    return 0;
#undef FREE_ALL
}

/* Split the line starting at p (ending at '\n' or NUL) into up to `max`
 * blank-separated tokens; returns the number of tokens (max + 1 if there
 * are more) and sets *next to the start of the following line. */
static int split_line(char *p, const char **tok, int *len, int max,
                      char **next)
{
    const char *eol = p + strcspn(p, "\n"), *q = p, *field;
    size_t flen;
    int ntok = 0;
    while ((flen = grl_next_field(&q, eol, false, &field)) > 0) {
        if (ntok < max) {
            tok[ntok] = field;
            len[ntok] = (int)flen;
        }
        if (ntok <= max) ntok++;
    }
    *next = (char *)(*eol == '\n' ? eol + 1 : eol);
    return ntok;
}

/* A token for a message (at most 60 characters). */
static const char *shown(const char *s, int len, char buf[64])
{
    int n = len < 60 ? len : 60;
    memcpy(buf, s, (size_t)n);
    strcpy(buf + n, len > 60 ? "..." : "");
    return buf;
}

/* The ids file: one id per line, row order. It has no comments: grl
 * writes every id as it is, so an id such as '#x' (a GraphML or GML id)
 * reads back. */
static int read_ids(table *ids, char **buf, const char *path, int64_t nodes,
                    char *msg)
{
#define FREE_ALL ;
    size_t size;
    GRL_TRY(grl_read_file(path, buf, &size, msg));
    if (strlen(*buf) != size)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: contains a NUL byte; expected a text "
                 "file of node ids, one per line", path);
    GRL_TRY(table_grow(ids, 64, msg));
    char *p = *buf, *next, shown_buf[64];
    for (int64_t line = 1; *p; line++, p = next) {
        const char *tok[2];
        int len[2];
        int ntok = split_line(p, tok, len, 1, &next);
        if (ntok == 0) continue;
        if (ntok > 1)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected one node id "
                     "per line, got more than one field", path, line);
        key k = make_key(tok[0], len[0]);
        size_t where;
        int64_t row = table_find(ids, &k, &where);
        if (row >= 0)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": id '%s' repeats row %"
                     PRId64 "'s id", path, line, shown(tok[0], len[0],
                     shown_buf), row);
        GRL_TRY(table_add(ids, &k, where, &row, msg));
    }
    if (ids->count != nodes)
        GRL_FAIL(GRL_INVALID_ARGUMENT, "%s has %" PRId64 " ids but the "
                 "embedding has %" PRId64 " rows", path, ids->count, nodes);
    return 0;
#undef FREE_ALL
}

/* A label's spelling and its first-seen number, sorted to number labels. */
typedef struct {
    key k;
    int64_t seen;
} named;

static int cmp_named(const void *a, const void *b)
{
    const key *x = &((const named *)a)->k, *y = &((const named *)b)->k;
    if (x->is_int && y->is_int) return (x->v > y->v) - (x->v < y->v);
    int n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, (size_t)n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Number keys in sorted order (numeric when all are integers, else by
 * spelling): rank[j] is the place of t->keys[j]. order and rank have
 * t->count entries. */
static void rank_keys(table *t, named *order, int64_t *rank)
{
    int64_t n = t->count;
    bool all_int = true;
    for (int64_t j = 0; j < n; j++) all_int = all_int && t->keys[j].is_int;
    if (!all_int) /* compare every key by spelling */
        for (int64_t j = 0; j < n; j++) t->keys[j].is_int = false;
    for (int64_t j = 0; j < n; j++) order[j] = (named){t->keys[j], j};
    qsort(order, (size_t)n, sizeof(named), cmp_named);
    for (int64_t j = 0; j < n; j++) rank[order[j].seen] = j;
}

/* The row of node key k: through the ids table, or id i = row i; -1 if
 * it has none. */
static int64_t row_of(const table *ids, bool have_ids, const key *k,
                      int64_t nodes)
{
    size_t where;
    if (have_ids) return table_find(ids, k, &where);
    return k->is_int && k->v >= 0 && k->v < nodes ? k->v : -1;
}

int grl_labels_load(grl_labels **labels, const char *path, int64_t nodes,
                    const grl_labels_options *opt, char *msg)
{
    grl_msg_clear(msg);
    char *ids_buf = NULL, *buf = NULL;
    table ids = {0}, names = {0}, missing = {0};
    int64_t *node = NULL, *label = NULL, *rank = NULL, *missing_rank = NULL;
    named *order = NULL, *missing_order = NULL;
    grl_labels *L = NULL;
#define FREE_ALL                                                               \
    free(ids_buf); free(buf); table_free(&ids); table_free(&names);            \
    table_free(&missing); free(node); free(label); free(order); free(rank);    \
    free(missing_order); free(missing_rank); grl_labels_free(&L)
    grl_msg_clear(msg);
    GRL_REQUIRE(labels != NULL && path != NULL, "grl_labels_load: NULL "
                "argument");
    *labels = NULL;
    GRL_REQUIRE(nodes >= 0, "grl_labels_load: negative row count %" PRId64,
                nodes);
    grl_labels_options defaults;
    if (opt == NULL) {
        grl_labels_options_init(&defaults);
        opt = &defaults;
    }
    GRL_REQUIRE(grl_missing_policy_name(opt->missing) != NULL,
                "grl_labels_load: unknown missing-node policy %d",
                (int)opt->missing);
    const char *ids_path = opt->ids_path;
    if (ids_path) GRL_TRY(read_ids(&ids, &ids_buf, ids_path, nodes, msg));
    size_t size;
    GRL_TRY(grl_read_file(path, &buf, &size, msg));
    if (strlen(buf) != size)
        GRL_FAIL(GRL_PARSE_ERROR, "%s: contains a NUL byte; expected a text "
                 "file of `node label` lines", path);
    GRL_TRY(table_grow(&names, 64, msg));
    GRL_TRY(table_grow(&missing, 64, msg));
    int64_t cap = 1024, npairs = 0;
    GRL_ALLOC(node, int64_t, cap);
    GRL_ALLOC(label, int64_t, cap);
    char *p = buf, *next, sb[64];
    for (int64_t line = 1; *p; line++, p = next) {
        const char *tok[2];
        int len[2];
        int ntok = split_line(p, tok, len, 2, &next);
        if (ntok == 0 || tok[0][0] == '#' || tok[0][0] == '%') continue;
        if (ntok == 1)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected `node label`, "
                     "got only '%s'", path, line, shown(tok[0], len[0], sb));
        if (ntok > 2)
            GRL_FAIL(GRL_PARSE_ERROR, "%s:%" PRId64 ": expected `node label`, "
                     "got more than two fields", path, line);
        /* the node's row; a missing node is numbered nodes + j, j in
         * first-seen order (sorted below) */
        key k = make_key(tok[0], len[0]);
        int64_t row = row_of(&ids, ids_path != NULL, &k, nodes);
        size_t where;
        if (row < 0 && opt->missing == GRL_MISSING_ERROR) {
            if (ids_path)
                GRL_FAIL(GRL_NOT_FOUND, "%s:%" PRId64 ": node '%s' is not in %s "
                         "(the embedding's node ids)", path, line,
                         shown(tok[0], len[0], sb), ids_path);
            GRL_FAIL(GRL_NOT_FOUND, "%s:%" PRId64 ": node '%s' is not a row "
                     "of the embedding (rows are ids 0..%" PRId64 "; give "
                     "the .ids file if its ids differ)", path, line,
                     shown(tok[0], len[0], sb), nodes - 1);
        }
        if (row < 0) {
            int64_t j = table_find(&missing, &k, &where);
            if (j < 0) GRL_TRY(table_add(&missing, &k, where, &j, msg));
            if (opt->missing == GRL_MISSING_SKIP) continue;
            row = nodes + j;
        }
        /* the label's number (first seen order; sorted below) */
        key lk = make_key(tok[1], len[1]);
        int64_t lab = table_find(&names, &lk, &where);
        if (lab < 0) GRL_TRY(table_add(&names, &lk, where, &lab, msg));
        if (npairs == cap) {
            cap *= 2;
            int64_t *n2 = grl_realloc(node, grl_size_mul(cap, sizeof(int64_t)));
            if (n2) node = n2;
            int64_t *l2 = grl_realloc(label, grl_size_mul(cap, sizeof(int64_t)));
            if (l2) label = l2;
            if (!n2 || !l2)
                GRL_FAIL(GRL_OUT_OF_MEMORY, "%s: out of memory for %" PRId64
                         " label lines", path, cap);
        }
        node[npairs] = row;
        label[npairs++] = lab;
    }
    /* number the labels, and the zero rows of missing nodes, in sorted
     * order, so the result does not depend on the order of lines */
    int64_t nl = names.count, nm = missing.count;
    GRL_ALLOC(order, named, nl);
    GRL_ALLOC(rank, int64_t, nl);
    rank_keys(&names, order, rank);
    for (int64_t k2 = 0; k2 < npairs; k2++) label[k2] = rank[label[k2]];
    int64_t rows = nodes;
    if (opt->missing == GRL_MISSING_ZERO) {
        GRL_ALLOC(missing_order, named, nm);
        GRL_ALLOC(missing_rank, int64_t, nm);
        rank_keys(&missing, missing_order, missing_rank);
        for (int64_t k2 = 0; k2 < npairs; k2++)
            if (node[k2] >= nodes)
                node[k2] = nodes + missing_rank[node[k2] - nodes];
        rows += nm;
    }
    GRL_TRY(build(&L, rows, nl, node, label, npairs, msg));
    L->missing = nm;
    GRL_CALLOC(L->names, char *, nl);
    for (int64_t j = 0; j < nl; j++) {
        const key *nk = &order[j].k;
        GRL_ALLOC(L->names[j], char, nk->len + 1);
        memcpy(L->names[j], nk->s, (size_t)nk->len);
        L->names[j][nk->len] = '\0';
    }
    *labels = L;
    L = NULL;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
