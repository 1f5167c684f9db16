/* node_text.h — reading the line-oriented text files of gnn/ (features, labels,
 * splits): one pass over a file read whole, fields split in place. */
#ifndef GRL_GNN_NODE_TEXT_H
#define GRL_GNN_NODE_TEXT_H

#include "grl_internal.h"
#include "grl/graph.h"

#define GRL_TEXT_MAX_FIELDS 4

typedef struct {
    char *data, *pos, *end;
    const char *path;
    int64_t line;                          /* of the current line, 1-based */
    int nfields;                           /* on the current line (<= MAX) */
    int64_t total_fields;                  /* all of them, however many    */
    char *field[GRL_TEXT_MAX_FIELDS];
    char *rest;                            /* text after field MAX-1       */
    char *eol;
    bool raw;  /* set to leave lines whole: field[0] = the line's first
                  non-blank character, up to eol (a NUL) */
} grl_text;

/* Read path whole. */
int grl_text_open(grl_text *t, const char *path, char *msg);
/* Advance to the next line with data (blank lines and lines starting with
 * # or % skipped), splitting its first fields; false at the end. */
bool grl_text_next(grl_text *t);
void grl_text_close(grl_text *t);

/* The node index of field text `id` in G, failing with GRL_NOT_FOUND and
 * "path:line: node 'id' is not in the graph". */
int grl_text_node(const grl_text *t, const grl_graph *G, const char *id,
                  int64_t *index, char *msg);
/* A whole non-negative integer (< 2^62), or GRL_PARSE_ERROR naming `what`. */
int grl_text_count(const grl_text *t, const char *s, const char *what,
                   int64_t *v, char *msg);

#endif
