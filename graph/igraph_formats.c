/* igraph_formats.c — GraphML, GML and Pajek through igraph's readers and
 * writers, with igraph's C attribute handler for weights and node ids.
 *
 * Weights: a numeric "weight" edge attribute makes the graph weighted
 * (checked as the other loaders check weights).
 *
 * Node ids, first usable source wins:
 *   GraphML  the "id" vertex attribute: the nodes' XML ids (igraph stores
 *            them there), or a <data> key named "id" if the file has one;
 *   GML      a "name" string vertex attribute (what grl writes for string
 *            ids), else the numeric node "id";
 *   Pajek    the vertex labels (igraph's "id" attribute);
 *   else     0..n-1 in igraph's vertex order.
 * A source is unusable if an id is missing (empty, or not an integer for a
 * numeric attribute) or repeated; the next one is tried. String ids that are
 * all integers written canonically ("17", "-3", not "017") become integer
 * ids unless opt->ids is GRL_IDS_STRING, which turns every id into a string.
 * Ids are numbered in ascending order (integers numerically, strings by
 * strcmp), like the text loaders.
 *
 * Saving writes what loading reads back: GraphML and Pajek get every node's
 * id as the "id" vertex attribute (a <data> element, a vertex label); GML
 * gets integer ids as node ids and string ids (or integer ids outside the
 * 32-bit range that GML node ids are limited to) as a "name" attribute. igraph writes numbers
 * with 15 significant digits, so weights come back within 1e-15 relative.
 *
 * igraph's C attribute handler is installed only while grl reads or writes,
 * and the application's own handler (or none) is put back afterwards: a
 * global switch would mix attribute records of two handlers in the
 * application's graphs.
 *
 * Peak memory: igraph's graph with its attributes, then grl's build (about
 * 40 bytes per arc).
 */
#include "igraph_internal.h"
#include "text.h"

#include <errno.h>
#include <math.h>

/* ---- node ids ---------------------------------------------------------- */

typedef struct {
    const char *name;
    int64_t node;
} named_node;

typedef struct {
    int64_t id;
    int64_t node;
} numbered_node;

static int compare_named(const void *a, const void *b)
{
    return strcmp(((const named_node *)a)->name, ((const named_node *)b)->name);
}

static int compare_numbered(const void *a, const void *b)
{
    int64_t x = ((const numbered_node *)a)->id;
    int64_t y = ((const numbered_node *)b)->id;
    return (x > y) - (x < y);
}

/* True if s is an int64 written canonically (as "%lld" prints it). */
static bool canonical_int(const char *s, int64_t *out)
{
    int64_t v;
    if (!grl_parse_i64_whole(s, strlen(s), &v)) return false;
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    if (strcmp(buf, s) != 0) return false;
    *out = v;
    return true;
}

/* String ids: map->names ascending, rank[v] = index of node v. *ok is false
 * (and nothing is kept) if a name is empty or repeated. */
static int map_from_names(grl_idmap *map, int64_t *rank,
                          const char *const *names, int64_t n, bool *ok,
                          char *msg)
{
    named_node *order = NULL;
#define FREE_ALL free(order); grl_idmap_clear(map)
    *ok = false;
    GRL_ALLOC(order, named_node, n);
    size_t blob_len = 0;
    for (int64_t v = 0; v < n; v++) {
        if (names[v][0] == '\0') {
            FREE_ALL;
            return 0;
        }
        order[v].name = names[v];
        order[v].node = v;
        blob_len += strlen(names[v]) + 1;
    }
    qsort(order, (size_t)n, sizeof(named_node), compare_named);
    for (int64_t r = 1; r < n; r++)
        if (strcmp(order[r - 1].name, order[r].name) == 0) {
            FREE_ALL;
            return 0;
        }
    memset(map, 0, sizeof(*map));
    map->kind = GRL_IDS_STRING;
    GRL_ALLOC(map->blob, char, blob_len);
    GRL_ALLOC(map->names, char *, n);
    size_t pos = 0;
    for (int64_t r = 0; r < n; r++) {
        size_t len = strlen(order[r].name) + 1;
        memcpy(map->blob + pos, order[r].name, len);
        map->names[r] = map->blob + pos;
        pos += len;
        rank[order[r].node] = r;
    }
    map->blob_len = blob_len;
    map->n = n;
    free(order);
    *ok = true;
    return 0;
#undef FREE_ALL
}

/* Integer ids (or, with as_strings, their decimal text as string ids). *ok
 * is false if an id is repeated. */
static int map_from_ints(grl_idmap *map, int64_t *rank, const int64_t *ids,
                         int64_t n, bool as_strings, bool *ok, char *msg)
{
    numbered_node *order = NULL;
    char *text = NULL;
    const char **names = NULL;
#define FREE_ALL free(order); free(text); free(names); grl_idmap_clear(map)
    *ok = false;
    if (as_strings) {
        GRL_ALLOC(text, char, grl_size_mul(n, 21));
        GRL_ALLOC(names, const char *, n);
        for (int64_t v = 0; v < n; v++) {
            snprintf(text + (size_t)v * 21, 21, "%" PRId64, ids[v]);
            names[v] = text + (size_t)v * 21;
        }
        GRL_TRY(map_from_names(map, rank, names, n, ok, msg));
        free(text);
        free(names);
        return 0;
    }
    GRL_ALLOC(order, numbered_node, n);
    for (int64_t v = 0; v < n; v++) {
        order[v].id = ids[v];
        order[v].node = v;
    }
    qsort(order, (size_t)n, sizeof(numbered_node), compare_numbered);
    bool identity = true;
    for (int64_t r = 0; r < n; r++) {
        if (r > 0 && order[r - 1].id == order[r].id) {
            FREE_ALL;
            return 0;
        }
        identity = identity && order[r].id == r;
    }
    memset(map, 0, sizeof(*map));
    map->kind = GRL_IDS_INTEGER;
    map->n = n;
    if (!identity) GRL_ALLOC(map->ints, int64_t, n);
    for (int64_t r = 0; r < n; r++) {
        if (!identity) map->ints[r] = order[r].id;
        rank[order[r].node] = r;
    }
    free(order);
    *ok = true;
    return 0;
#undef FREE_ALL
}

/* The type (igraph_attribute_type_t) of ig's attribute `name` of kind
 * `elem` (vertex or edge), or -1 if there is none. */
static int attribute_type(const igraph_t *ig, igraph_attribute_elemtype_t elem,
                          const char *name, int *type, char *msg)
{
    igraph_strvector_t names;
    igraph_vector_int_t types;
    bool have_names = false, have_types = false;
#define FREE_ALL if (have_names) igraph_strvector_destroy(&names); \
    if (have_types) igraph_vector_int_destroy(&types)
    *type = -1;
    if (!igraph_cattribute_has_attr(ig, elem, name)) return 0;
    GRL_IGRAPH_TRY(igraph_strvector_init(&names, 0));
    have_names = true;
    GRL_IGRAPH_TRY(igraph_vector_int_init(&types, 0));
    have_types = true;
    bool vertex = elem == IGRAPH_ATTRIBUTE_VERTEX;
    GRL_IGRAPH_TRY(igraph_cattribute_list(ig, NULL, NULL,
                                          vertex ? &names : NULL,
                                          vertex ? &types : NULL,
                                          vertex ? NULL : &names,
                                          vertex ? NULL : &types));
    for (igraph_integer_t i = 0; i < igraph_strvector_size(&names); i++)
        if (strcmp(igraph_strvector_get(&names, i), name) == 0)
            *type = (int)VECTOR(types)[i];
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Try the vertex attribute `attr` as the node ids; *ok says whether it gave
 * a complete map. */
static int ids_from_attribute(const igraph_t *ig, const char *attr,
                              bool as_strings, grl_idmap *map, int64_t *rank,
                              bool *ok, char *msg)
{
    igraph_strvector_t sv;
    igraph_vector_t nv;
    bool have_sv = false, have_nv = false;
    int64_t *ids = NULL;
    const char **names = NULL;
#define FREE_ALL if (have_sv) igraph_strvector_destroy(&sv); \
    if (have_nv) igraph_vector_destroy(&nv); \
    free(ids); free(names)
    *ok = false;
    int64_t n = (int64_t)igraph_vcount(ig);
    int type;
    GRL_TRY(attribute_type(ig, IGRAPH_ATTRIBUTE_VERTEX, attr, &type, msg));
    if (type == IGRAPH_ATTRIBUTE_STRING) {
        GRL_IGRAPH_TRY(igraph_strvector_init(&sv, 0));
        have_sv = true;
        GRL_IGRAPH_TRY(igraph_cattribute_VASV(ig, attr, igraph_vss_all(), &sv));
        GRL_ALLOC(names, const char *, n);
        for (int64_t v = 0; v < n; v++)
            names[v] = igraph_strvector_get(&sv, v);
        bool all_ints = !as_strings;
        if (all_ints) {
            GRL_ALLOC(ids, int64_t, n);
            for (int64_t v = 0; v < n && all_ints; v++)
                all_ints = canonical_int(names[v], &ids[v]);
        }
        if (all_ints)
            GRL_TRY(map_from_ints(map, rank, ids, n, false, ok, msg));
        else
            GRL_TRY(map_from_names(map, rank, names, n, ok, msg));
    } else if (type == IGRAPH_ATTRIBUTE_NUMERIC) {
        GRL_IGRAPH_TRY(igraph_vector_init(&nv, 0));
        have_nv = true;
        GRL_IGRAPH_TRY(igraph_cattribute_VANV(ig, attr, igraph_vss_all(), &nv));
        GRL_ALLOC(ids, int64_t, n);
        for (int64_t v = 0; v < n; v++) {
            double x = VECTOR(nv)[v];
            /* NaN marks a node without this attribute */
            if (!(x == floor(x) && x >= -0x1p63 && x < 0x1p63)) {
                FREE_ALL;
                return 0;
            }
            ids[v] = (int64_t)x;
        }
        GRL_TRY(map_from_ints(map, rank, ids, n, as_strings, ok, msg));
    }
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* Node ids for a graph read from `format` (see the top of this file). */
static int node_ids(const igraph_t *ig, grl_format format,
                    const grl_load_options *opt, grl_idmap *map,
                    int64_t *rank, char *msg)
{
    int64_t *ids = NULL;
#define FREE_ALL free(ids)
    static const char *const graphml_attrs[] = {"id", NULL};
    static const char *const gml_attrs[] = {"name", "id", NULL};
    static const char *const pajek_attrs[] = {"id", NULL};
    const char *const *attrs = format == GRL_FORMAT_GRAPHML ? graphml_attrs
                               : format == GRL_FORMAT_GML   ? gml_attrs
                                                            : pajek_attrs;
    bool as_strings = opt->ids == GRL_IDS_STRING;
    bool ok = false;
    for (int a = 0; attrs[a] != NULL && !ok; a++)
        GRL_TRY(ids_from_attribute(ig, attrs[a], as_strings, map, rank, &ok,
                                   msg));
    if (ok) return 0;
    int64_t n = (int64_t)igraph_vcount(ig);
    if (!as_strings) { /* identity: no table needed */
        memset(map, 0, sizeof(*map));
        map->kind = GRL_IDS_INTEGER;
        map->n = n;
        for (int64_t v = 0; v < n; v++) rank[v] = v;
        return 0;
    }
    GRL_ALLOC(ids, int64_t, n);
    for (int64_t v = 0; v < n; v++) ids[v] = v;
    GRL_TRY(map_from_ints(map, rank, ids, n, true, &ok, msg));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* ---- loading ----------------------------------------------------------- */

static const char *format_name(grl_format format)
{
    return format == GRL_FORMAT_GRAPHML ? "GraphML"
           : format == GRL_FORMAT_GML   ? "GML"
                                        : "Pajek";
}

/* A reader's error as a grl status: bad content (igraph reports a parse
 * error, or an invalid value or vertex id found in the file) is
 * GRL_PARSE_ERROR, a read failure GRL_IO_ERROR, a format this igraph was
 * built without GRL_UNSUPPORTED, anything else GRL_IGRAPH_ERROR. The message
 * is igraph's, after the file name. */
static int read_status(igraph_error_t err, const char *path, char *msg)
{
    int status = grl_igraph_status(err, path, msg);
    switch (err) {
    case IGRAPH_PARSEERROR:
    case IGRAPH_EINVAL:
    case IGRAPH_EINVVID:
        return GRL_PARSE_ERROR;
    case IGRAPH_EFILE:
        return GRL_IO_ERROR;
    case IGRAPH_UNIMPLEMENTED:
        return GRL_UNSUPPORTED;
    default:
        return status;
    }
}

int grl_load_igraph_format(grl_graph **G, const char *path, grl_format format,
                           const grl_load_options *opt, char *msg)
{
    FILE *f = NULL;
    igraph_t ig;
    igraph_vector_t weights;
    bool have_ig = false, have_weights = false, have_table = false;
    igraph_attribute_table_t *old_table = NULL;
    GrB_Index *src = NULL, *dst = NULL;
    double *w = NULL;
    int64_t *rank = NULL;
    grl_idmap map;
    memset(&map, 0, sizeof(map));
#define FREE_ALL if (f) fclose(f); \
    if (have_ig) igraph_destroy(&ig); \
    if (have_weights) igraph_vector_destroy(&weights); \
    if (have_table) igraph_set_attribute_table(old_table); \
    free(src); free(dst); free(w); free(rank); grl_idmap_clear(&map); \
    grl_graph_free(G)
    GRL_REQUIRE(G != NULL, "grl_load_igraph_format: output pointer is NULL");
    *G = NULL;
    GRL_REQUIRE(path != NULL, "grl_load_igraph_format: path is NULL");
    GRL_REQUIRE(format == GRL_FORMAT_GRAPHML || format == GRL_FORMAT_GML ||
                format == GRL_FORMAT_PAJEK, "grl_load_igraph_format: format "
                "%d is not GraphML, GML or Pajek", (int)format);
    grl_load_options defaults;
    GRL_TRY(grl_load_options_resolve(&opt, &defaults, msg));
    GRL_TRY(grl_init(msg));
    size_t size;
    GRL_TRY(grl_open_file(path, &f, &size, msg));
    if (size == 0) { /* like every grl loader: a graph with 0 nodes */
        fclose(f);
        f = NULL;
        GRL_TRY(grl_graph_alloc(G, msg));
        (*G)->directed = opt->directed == 1;
        GRL_TRY(grl_graph_build_matrix(*G, 0, NULL, NULL, NULL, 0, opt, msg));
        return 0;
    }

    grl_igraph_setup();
    old_table = igraph_set_attribute_table(&igraph_cattribute_table);
    have_table = true;
    igraph_error_t err;
    if (format == GRL_FORMAT_GRAPHML)
        err = igraph_read_graph_graphml(&ig, f, 0);
    else if (format == GRL_FORMAT_GML)
        err = igraph_read_graph_gml(&ig, f);
    else
        err = igraph_read_graph_pajek(&ig, f);
    if (err != IGRAPH_SUCCESS) {
        int status = read_status(err, path, msg);
        FREE_ALL;
        return status;
    }
    have_ig = true;
    if (ferror(f))
        GRL_FAIL(GRL_IO_ERROR, "%s: read error", path);
    fclose(f);
    f = NULL;

    bool directed = opt->directed == -1 ? (bool)igraph_is_directed(&ig)
                                        : opt->directed == 1;
    if (!opt->ignore_weights) {
        int type;
        GRL_TRY(attribute_type(&ig, IGRAPH_ATTRIBUTE_EDGE, "weight", &type,
                               msg));
        if (type != -1 && type != IGRAPH_ATTRIBUTE_NUMERIC)
            GRL_FAIL(GRL_PARSE_ERROR, "%s: the 'weight' edge attribute is not "
                     "numeric; fix the file or load with ignore_weights", path);
        if (type == IGRAPH_ATTRIBUTE_NUMERIC) {
            GRL_IGRAPH_TRY(igraph_vector_init(&weights, 0));
            have_weights = true;
            GRL_IGRAPH_TRY(igraph_cattribute_EANV(
                &ig, "weight", igraph_ess_all(IGRAPH_EDGEORDER_ID), &weights));
        }
    }
    int64_t m, n = (int64_t)igraph_vcount(&ig);
    GRL_TRY(grl_igraph_arcs(&ig, directed, have_weights ? &weights : NULL, opt,
                            path, true, &src, &dst, &w, &m, msg));
    GRL_ALLOC(rank, int64_t, n);
    GRL_TRY(node_ids(&ig, format, opt, &map, rank, msg));
    /* igraph's copy is no longer needed: free it before the build */
    igraph_destroy(&ig);
    have_ig = false;
    if (have_weights) igraph_vector_destroy(&weights);
    have_weights = false;
    igraph_set_attribute_table(old_table);
    have_table = false;

#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        src[k] = (GrB_Index)rank[src[k]];
        dst[k] = (GrB_Index)rank[dst[k]];
    }
    free(rank);
    rank = NULL;
    GRL_TRY(grl_graph_alloc(G, msg));
    (*G)->directed = directed;
    (*G)->ids = map;
    memset(&map, 0, sizeof(map)); /* now owned by *G */
    GRL_TRY(grl_graph_build_matrix(*G, n, src, dst, w, m, opt, msg));
    free(src); free(dst); free(w);
    return 0;
#undef FREE_ALL
}

/* ---- saving ------------------------------------------------------------ */

/* Node ids as text: the "id" vertex attribute of GraphML and Pajek, the
 * "name" attribute of GML. */
static int set_string_ids(igraph_t *ig, const grl_graph *G, const char *attr,
                          char *msg)
{
    igraph_strvector_t sv;
    bool have_sv = false;
#define FREE_ALL if (have_sv) igraph_strvector_destroy(&sv)
    int64_t n = G->ids.n;
    GRL_IGRAPH_TRY(igraph_strvector_init(&sv, n));
    have_sv = true;
    char buf[24];
    for (int64_t i = 0; i < n; i++) {
        const char *text = buf;
        if (G->ids.kind == GRL_IDS_STRING)
            text = G->ids.names[i];
        else
            snprintf(buf, sizeof buf, "%" PRId64,
                     G->ids.ints ? G->ids.ints[i] : i);
        GRL_IGRAPH_TRY(igraph_strvector_set(&sv, i, text));
    }
    GRL_IGRAPH_TRY(igraph_cattribute_VAS_setv(ig, attr, &sv));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

int grl_save_igraph_format(const grl_graph *G, const char *path,
                           grl_format format, char *msg)
{
    FILE *f = NULL;
    igraph_t ig;
    igraph_vector_t weights, gml_ids;
    bool have_ig = false, have_weights = false, have_gml_ids = false;
    bool have_table = false;
    igraph_attribute_table_t *old_table = NULL;
#define FREE_ALL if (f) fclose(f); \
    if (have_ig) igraph_destroy(&ig); \
    if (have_weights) igraph_vector_destroy(&weights); \
    if (have_gml_ids) igraph_vector_destroy(&gml_ids); \
    if (have_table) igraph_set_attribute_table(old_table)
    GRL_REQUIRE(G != NULL && path != NULL,
                "grl_save_igraph_format: NULL argument");
    GRL_REQUIRE(format == GRL_FORMAT_GRAPHML || format == GRL_FORMAT_GML ||
                format == GRL_FORMAT_PAJEK, "grl_save_igraph_format: format "
                "%d is not GraphML, GML or Pajek", (int)format);
    int64_t n = G->ids.n;
    grl_igraph_setup();
    /* the attribute handler must be in place before the graph is made */
    old_table = igraph_set_attribute_table(&igraph_cattribute_table);
    have_table = true;
    if (G->weighted) {
        GRL_IGRAPH_TRY(igraph_vector_init(&weights, 0));
        have_weights = true;
    }
    GRL_TRY(grl_graph_to_igraph(G, &ig, have_weights ? &weights : NULL, msg));
    have_ig = true;
    if (have_weights)
        GRL_IGRAPH_TRY(igraph_cattribute_EAN_setv(&ig, "weight", &weights));

    /* igraph's Pajek writer escapes " and \ as \" and \\, its reader
     * keeps the escapes: such an id would come back changed */
    for (int64_t i = 0; format == GRL_FORMAT_PAJEK && G->ids.kind == GRL_IDS_STRING &&
                        i < n; i++)
        if (strpbrk(G->ids.names[i], "\"\\") != NULL)
            GRL_FAIL(GRL_INVALID_ARGUMENT, "%s: node id '%.60s' holds a quote or "
                     "a backslash, which Pajek files do not read back; save as "
                     ".grl, GraphML or GML", path, G->ids.names[i]);
    if (format != GRL_FORMAT_GML) {
        GRL_TRY(set_string_ids(&ig, G, "id", msg));
    } else if (G->ids.kind == GRL_IDS_INTEGER && G->ids.ints != NULL) {
        /* GML node ids are 32-bit (the GML spec; igraph reads larger ones
         * as reals and refuses them as ids) */
        bool fits = true;
        for (int64_t i = 0; i < n && fits; i++)
            fits = G->ids.ints[i] >= INT32_MIN && G->ids.ints[i] <= INT32_MAX;
        if (fits) {
            GRL_IGRAPH_TRY(igraph_vector_init(&gml_ids, n));
            have_gml_ids = true;
            for (int64_t i = 0; i < n; i++)
                VECTOR(gml_ids)[i] = (double)G->ids.ints[i];
        } else {
            GRL_TRY(set_string_ids(&ig, G, "name", msg));
        }
    } else if (G->ids.kind == GRL_IDS_STRING) {
        GRL_TRY(set_string_ids(&ig, G, "name", msg));
    } /* else ids 0..n-1: GML's default node ids */

    f = fopen(path, "w");
    if (f == NULL) GRL_FAIL(GRL_IO_ERROR, "%s: %s", path, strerror(errno));
    igraph_error_t err;
    if (format == GRL_FORMAT_GRAPHML)
        err = igraph_write_graph_graphml(&ig, f, /* prefixattr */ true);
    else if (format == GRL_FORMAT_GML)
        err = igraph_write_graph_gml(&ig, f, IGRAPH_WRITE_GML_DEFAULT_SW,
                                     have_gml_ids ? &gml_ids : NULL, "grl");
    else
        err = igraph_write_graph_pajek(&ig, f);
    if (err != IGRAPH_SUCCESS) {
        int status = grl_igraph_status(err, path, msg);
        FREE_ALL;
        return status;
    }
    int failed = ferror(f);
    if (fclose(f) != 0) failed = 1;
    f = NULL;
    if (failed) GRL_FAIL(GRL_IO_ERROR, "%s: write failed (%s)", path,
                         format_name(format));
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
