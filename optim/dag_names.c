/* dag_names.c — the names of the DAG enumerations, one table each, made
 * into grl_dag_<enum>_parse / _name like every other grl enum. */
#include "dag_internal.h"

static const grl_enum_name method_names[] = {
    {"topo", GRL_DAG_METHOD_TOPO},
    {"notears", GRL_DAG_METHOD_NOTEARS},
};
GRL_ENUM_FUNCTIONS(grl_dag_method, method_names, "DAG method")

static const grl_enum_name loss_names[] = {
    {"l2", GRL_DAG_LOSS_L2},
    {"logistic", GRL_DAG_LOSS_LOGISTIC},
};
GRL_ENUM_FUNCTIONS(grl_dag_loss, loss_names, "DAG loss")

static const grl_enum_name graph_names[] = {
    {"er", GRL_DAG_GRAPH_ER},
    {"sf", GRL_DAG_GRAPH_SF},
};
GRL_ENUM_FUNCTIONS(grl_dag_graph, graph_names, "DAG graph type")

static const grl_enum_name noise_names[] = {
    {"gauss", GRL_DAG_NOISE_GAUSS},     {"exp", GRL_DAG_NOISE_EXP},
    {"gumbel", GRL_DAG_NOISE_GUMBEL},   {"uniform", GRL_DAG_NOISE_UNIFORM},
    {"logistic", GRL_DAG_NOISE_LOGISTIC},
};
GRL_ENUM_FUNCTIONS(grl_dag_noise, noise_names, "noise type")
