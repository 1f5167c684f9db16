/*
 * graph_internal.h — the grl_graph struct and the id map, private to graph/.
 * Other modules reach a graph through include/grl/graph.h only.
 */
#ifndef GRL_GRAPH_INTERNAL_H
#define GRL_GRAPH_INTERNAL_H

#include "grl_internal.h"
#include "grl/graph.h"

/* Map from dense index 0..n-1 to the id a file used. Loaders number ids in
 * ascending order (integers numerically, strings by strcmp), so the map is
 * independent of the order of lines in the file; a reordered graph's ids no
 * longer ascend, and by_id then lists the indices in id order for lookups. */
typedef struct {
    grl_id_kind kind;
    int64_t n;
    int64_t *ints;  /* kind INTEGER: n ids, NULL if id(i) == i            */
    char **names;   /* kind STRING: n pointers into blob                  */
    int64_t *by_id; /* NULL if ids ascend with the index; else the n
                       indices sorted by id                               */
    char *blob;     /* the names, each NUL-terminated                     */
    size_t blob_len;
} grl_idmap;

struct grl_graph {
    GrB_Matrix A;          /* n x n FP64, A(i,j) = weight of arc i -> j      */
    GrB_Matrix AT;         /* cached transpose (directed only) or NULL       */
    bool directed, weighted;
    grl_idmap ids;
    double *degree[2][2];  /* cached [grl_direction][weighted], n each       */
    int64_t self_loops_dropped, duplicates_dropped; /* from loading          */
};

/* Release the id map's arrays and reset it to identity over 0 nodes. */
void grl_idmap_clear(grl_idmap *map);

/* *opt itself, or the defaults (kept in *storage) when *opt is NULL;
 * fails on an invalid option value. */
int grl_load_options_resolve(const grl_load_options **opt,
                             grl_load_options *storage, char *msg);

/* Set map->by_id after the ids were permuted (NULL if they ascend). */
int grl_idmap_index_by_id(grl_idmap *map, char *msg);

/* A node whose id equals another's (by_id set), or -1 if ids are unique. */
int64_t grl_idmap_duplicate(const grl_idmap *map);

/* The node whose id is the integer `id` (kind INTEGER) or the token of len
 * bytes at text (kind STRING, not NUL-terminated); -1 if there is none. */
int64_t grl_idmap_find_int(const grl_idmap *map, int64_t id);
int64_t grl_idmap_find_token(const grl_idmap *map, const char *text, size_t len);

/* The node set a load declares (node_set.c): the ids of opt->nodes_path,
 * numbered in sorted order, or 0..opt->num_nodes-1. *declared is false
 * (and map empty) when opt declares none. */
int grl_idmap_declared(grl_idmap *map, bool *declared,
                       const grl_load_options *opt, char *msg);

/* Deep copy of src into dst (dst uninitialised). */
int grl_idmap_copy(grl_idmap *dst, const grl_idmap *src, char *msg);

/* Make *G an empty shell (no matrix) with identity ids over n nodes. */
int grl_graph_alloc(grl_graph **G, char *msg);

/* Build the graph's matrix from m arcs on n nodes (indices already dense,
 * G->directed set): applies the self-loop and duplicate policies,
 * symmetrises undirected graphs, validates nothing else (build_csr.c).
 * Sets A, weighted and the dropped counts. */
int grl_graph_build_matrix(grl_graph *G, int64_t n, const GrB_Index *src,
                           const GrB_Index *dst, const double *w, int64_t m,
                           const grl_load_options *opt, char *msg);

/* Stored self-loops (entries on the diagonal). */
int grl_graph_self_loops(const grl_graph *G, int64_t *count, char *msg);

/* The index format of a path's extension (AUTO when unknown). */
grl_format grl_format_from_path(const char *path);

/* Loaders behind grl_graph_load, one per format family. Each fills *G. */
int grl_load_text(grl_graph **G, const char *path, grl_format format,
                  const grl_load_options *opt, char *msg);
int grl_load_binary(grl_graph **G, const char *path,
                    const grl_load_options *opt, char *msg);
int grl_load_igraph_format(grl_graph **G, const char *path, grl_format format,
                           const grl_load_options *opt, char *msg);

/* Writers behind grl_graph_save. */
int grl_save_text(const grl_graph *G, const char *path, grl_format format,
                  char *msg);
int grl_save_binary(const grl_graph *G, const char *path, char *msg);
int grl_save_igraph_format(const grl_graph *G, const char *path,
                           grl_format format, char *msg);

/* Checking the arcs of an n-row CSR (arc_check.c): columns ascending in
 * each row and below n, and with `form` (undirected graphs) symmetry by a
 * random form, over ranges of arcs in any split and order, from several
 * threads at once. The row pointers must be checked first (from 0 up to
 * nvals, never decreasing); Ax is read only with form and not iso. */
typedef struct {
    const GrB_Index *Ap, *Aj;
    const double *Ax;
    bool iso, form;
    int64_t n;
    uint64_t key, t; /* the random point */
    uint64_t q;      /* the form so far: 0 at the end iff symmetric */
    bool bad;        /* columns not ascending or not below n */
} grl_arc_check;

/* Start a check, with a fresh random key. */
void grl_arc_check_init(grl_arc_check *k, const GrB_Index *Ap,
                        const GrB_Index *Aj, const double *Ax, bool iso,
                        int64_t n, bool form);
/* Check arcs from..to-1 (their order between ranges is left to joint). */
void grl_arc_check_range(grl_arc_check *k, GrB_Index from, GrB_Index to);
/* Check arc p against arc p - 1 when both are in one row: once per range
 * start, after the ranges on both sides are checked (not thread-safe). */
void grl_arc_check_joint(grl_arc_check *k, GrB_Index p);
/* Check all the arcs, by ranges of rows, in parallel. */
void grl_arc_check_all(grl_arc_check *k);
/* The form's part of arcs from..to-1 in row i of an iso matrix, computed
 * 8 at a time (`wide`, only where grl_arc_check_wide_available) or one at
 * a time: the same answer and sum (tests compare them). */
bool grl_arc_check_iso_part(const grl_arc_check *k, uint64_t i,
                            GrB_Index from, GrB_Index to, bool wide,
                            uint64_t *sum);
bool grl_arc_check_wide_available(void);

/* Check every invariant the rest of grl relies on (validate.c): an n x n
 * GrB_FP64 matrix valid for GraphBLAS, n ids and all distinct, symmetric if
 * undirected, finite weights, > 0 unless allow_nonpositive. Messages start
 * with `what` (a file name); errors are GRL_PARSE_ERROR. */
int grl_graph_validate(grl_graph *G, bool allow_nonpositive,
                       const char *what, char *msg);
/* grl_graph_validate without GraphBLAS's check of the matrix object, for
 * a matrix whose row pointers its builder has checked already (the .grl
 * decoder: GxB_Matrix_fprint took a quarter of a reload); the columns
 * (ascending in each row, below n) are checked here, in the pass that
 * checks symmetry, unless `checked` (or NULL) holds a finished check of
 * G's arcs: then only what it left out (the form, if it had none) is. */
int grl_graph_validate_content(grl_graph *G, bool allow_nonpositive,
                               const grl_arc_check *checked, const char *what,
                               char *msg);

/* The (row, col, value) tuples of a matrix in row-major order; arrays
 * allocated here, released with free. */
int grl_matrix_tuples(GrB_Matrix A, GrB_Index **rows, GrB_Index **cols,
                      double **vals, GrB_Index *nvals, char *msg);


#endif
