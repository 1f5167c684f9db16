/* tu_table.h — one comma-separated file of the TU Dortmund layout read into
 * a table of integers or floats (gnn/graph_set_load.c reads every file of a
 * dataset with it). Not installed. */
#ifndef GRL_GNN_TU_TABLE_H
#define GRL_GNN_TU_TABLE_H

#include "grl_internal.h"

typedef struct {
    const char *path; /* for messages (borrowed)                          */
    int64_t rows, cols;
    int64_t *line;    /* physical line (1-based) of each row              */
    int64_t *i;       /* rows x cols integers (integer tables), or NULL   */
    float *x;         /* rows x cols floats (float tables), or NULL       */
} grl_tu_table;

/* Read path: one row per non-blank line, fields separated by commas, each
 * field a whole decimal int64 (integers) or a finite float32 (otherwise),
 * blanks around fields allowed. cols > 0 demands that width; cols = 0 takes
 * the first row's and demands it of every other row. Errors name path and
 * line: an empty field, a malformed or out-of-range value, a ragged row;
 * GRL_IO_ERROR when the file cannot be read. An empty file is 0 rows. */
int grl_tu_table_read(grl_tu_table *T, const char *path, bool integers,
                      int64_t cols, char *msg);

void grl_tu_table_release(grl_tu_table *T);

/* Map integer labels (T->cols == 1) to 0..k-1: their distinct values must
 * be consecutive (value - min) or exactly {-1, 1} (-> 0, 1). `what` names
 * them in the message about a gap ("graph label"). *codes (T->rows values)
 * is allocated. */
int grl_tu_label_codes(int64_t **codes, int64_t *k, const grl_tu_table *T,
                       const char *what, char *msg);

#endif
