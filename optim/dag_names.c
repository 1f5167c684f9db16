/* dag_names.c — the names of the DAG enumerations (one table each, used by
 * the library, the CLI and the Python shim). */
#include "dag_internal.h"

static const char *const method_names[] = {"topo", "notears"};
static const char *const loss_names[] = {"l2", "logistic"};
static const char *const graph_names[] = {"er", "sf"};
static const char *const noise_names[] = {"gauss", "exp", "gumbel", "uniform",
                                          "logistic"};

/* The index of name in table (count entries), or a message listing them. */
static int lookup(const char *name, const char *const *table, int count,
                  const char *what, int *out, char *msg)
{
    if (msg) msg[0] = '\0';
    for (int i = 0; name != NULL && i < count; i++) {
        if (strcmp(name, table[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    char list[128] = "";
    for (int i = 0; i < count; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, table[i], sizeof list - strlen(list) - 1);
    }
    grl_set_msg(msg, "unknown %s '%.60s' (expected one of %s)", what,
                name ? name : "(null)", list);
    return GRL_INVALID_ARGUMENT;
}

#define ENUM_FUNCTIONS(noun, type, table, what)                                \
    int grl_dag_##noun##_parse(const char *name, type *out, char *msg)         \
    {                                                                          \
        int v = 0, rc = lookup(name, table, (int)(sizeof table / sizeof *table), \
                               what, &v, msg);                                 \
        if (rc == 0 && out) *out = (type)v;                                    \
        return rc;                                                             \
    }                                                                          \
    const char *grl_dag_##noun##_name(type v)                                  \
    {                                                                          \
        return (int)v >= 0 && (size_t)v < sizeof table / sizeof *table        \
                   ? table[v] : "?";                                           \
    }

ENUM_FUNCTIONS(method, grl_dag_method, method_names, "DAG method")
ENUM_FUNCTIONS(loss, grl_dag_loss, loss_names, "DAG loss")
ENUM_FUNCTIONS(graph, grl_dag_graph, graph_names, "DAG graph type")
ENUM_FUNCTIONS(noise, grl_dag_noise, noise_names, "noise type")
