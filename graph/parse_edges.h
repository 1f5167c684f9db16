/*
 * parse_edges.h — the parallel edge-line parser shared by the text loaders.
 * The text is cut into chunks at line boundaries; each thread parses its
 * chunk into its own slice of the output arrays (one slot per line), then the
 * slices are compacted. The earliest error in file order is reported, with
 * its file name and line number, so the message does not depend on threads.
 */
#ifndef GRL_PARSE_EDGES_H
#define GRL_PARSE_EDGES_H

#include "graph_internal.h"
#include "text.h"

typedef struct {
    const char *path;      /* for messages                                  */
    const char *text;      /* region to parse (not necessarily terminated)  */
    size_t len;
    int64_t first_line;    /* file line number of text[0] (1-based)         */
    bool weighted;         /* read a weight from the third field            */
    bool string_ids;       /* ids are tokens: u/v receive byte offsets      */
    bool allow_nonpositive;
    int64_t max_index;     /* > 0: ids must lie in 1..max_index (Matrix Market) */
    const grl_idmap *nodes; /* a declared node set: u/v receive the indices
                              of the ids in it, and an id outside is an
                              error; NULL: ids as read                     */
    const char *nodes_from; /* where the set comes from, for messages      */
} grl_parse_spec;

typedef struct {
    int64_t m;             /* edges parsed                                  */
    int64_t *u, *v;        /* integer ids, offsets of tokens in text, or
                              indices in spec.nodes                         */
    double *w;             /* weights if spec.weighted, else NULL           */
} grl_parsed_edges;

/* Parse every data line of spec->text (comments '#', '%' and blank lines
 * skipped; fields separated by spaces, tabs or commas). */
int grl_parse_edges(const grl_parse_spec *spec, grl_parsed_edges *out,
                    char *msg);

void grl_parsed_edges_free(grl_parsed_edges *e);

/* True for the characters that end a field: a blank or comma (text.h), or
 * the end of the line or text. */
static inline bool grl_is_separator(char c)
{
    return grl_is_blank(c, true) || c == '\n' || c == '\0';
}

/* Length of the token starting at s. */
static inline size_t grl_token_length(const char *s, const char *end)
{
    const char *p = s;
    while (p < end && !grl_is_separator(*p)) p++;
    return (size_t)(p - s);
}

/* Length of the token starting at s in NUL-terminated text (no length cap). */
static inline size_t grl_cstr_token_length(const char *s)
{
    const char *p = s;
    while (!grl_is_separator(*p)) p++;
    return (size_t)(p - s);
}

/* Parse a whole-token signed 64-bit decimal integer at s; returns the
 * characters consumed, 0 if the token is not an integer or overflows. */
size_t grl_parse_int64(const char *s, const char *end, int64_t *value);

/* Replace integer ids in u, v (m each) by dense indices in ascending id
 * order and describe the map in *map. */
int grl_idmap_from_ints(grl_idmap *map, int64_t *u, int64_t *v, int64_t m,
                        char *msg);

/* Same for string ids: u, v hold byte offsets of tokens in text. */
int grl_idmap_from_tokens(grl_idmap *map, const char *text, int64_t *u,
                          int64_t *v, int64_t m, char *msg);

#endif
