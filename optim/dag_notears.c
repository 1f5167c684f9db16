#include "dag_internal.h"
int grl_dag_notears(double *W, const grl_dag_data *data,
                    const grl_dag_options *opt, double *h_out,
                    int64_t *iterations, char *msg)
{
    grl_set_msg(msg, "not yet");
    return GRL_UNSUPPORTED;
}
