/* status.c — status names and message formatting. */
#include "grl_internal.h"

#include <GraphBLAS.h>

const char *grl_status_name(int status)
{
    switch (status) {
    case GRL_SUCCESS: return "GRL_SUCCESS";
    case GRL_INVALID_ARGUMENT: return "GRL_INVALID_ARGUMENT";
    case GRL_OUT_OF_MEMORY: return "GRL_OUT_OF_MEMORY";
    case GRL_IO_ERROR: return "GRL_IO_ERROR";
    case GRL_PARSE_ERROR: return "GRL_PARSE_ERROR";
    case GRL_NOT_FOUND: return "GRL_NOT_FOUND";
    case GRL_UNSUPPORTED: return "GRL_UNSUPPORTED";
    case GRL_IGRAPH_ERROR: return "GRL_IGRAPH_ERROR";
    case GRL_METIS_ERROR: return "GRL_METIS_ERROR";
    case GRL_NOT_INITIALIZED: return "GRL_NOT_INITIALIZED";
    case GRL_NOT_CONVERGED: return "GRL_NOT_CONVERGED";
    case GrB_UNINITIALIZED_OBJECT: return "GrB_UNINITIALIZED_OBJECT";
    case GrB_NULL_POINTER: return "GrB_NULL_POINTER";
    case GrB_INVALID_VALUE: return "GrB_INVALID_VALUE";
    case GrB_INVALID_INDEX: return "GrB_INVALID_INDEX";
    case GrB_DOMAIN_MISMATCH: return "GrB_DOMAIN_MISMATCH";
    case GrB_DIMENSION_MISMATCH: return "GrB_DIMENSION_MISMATCH";
    case GrB_OUTPUT_NOT_EMPTY: return "GrB_OUTPUT_NOT_EMPTY";
    case GrB_NOT_IMPLEMENTED: return "GrB_NOT_IMPLEMENTED";
    case GrB_PANIC: return "GrB_PANIC";
    case GrB_OUT_OF_MEMORY: return "GrB_OUT_OF_MEMORY";
    case GrB_INSUFFICIENT_SPACE: return "GrB_INSUFFICIENT_SPACE";
    case GrB_INVALID_OBJECT: return "GrB_INVALID_OBJECT";
    case GrB_INDEX_OUT_OF_BOUNDS: return "GrB_INDEX_OUT_OF_BOUNDS";
    case GrB_EMPTY_OBJECT: return "GrB_EMPTY_OBJECT";
    default: return status > 0 ? "warning" : "unknown error";
    }
}

void grl_set_msg(char *msg, const char *fmt, ...)
{
    if (msg == NULL) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, GRL_MSG_LEN, fmt, ap);
    va_end(ap);
}

void grl_warning_keep(grl_warning *w, int status, const char *msg)
{
    if (status <= 0 || w->status != 0) return;
    w->status = status;
    snprintf(w->msg, sizeof w->msg, "%s", msg ? msg : "");
}

int grl_warning_return(const grl_warning *w, char *msg)
{
    if (w->status > 0 && msg != NULL) snprintf(msg, GRL_MSG_LEN, "%s", w->msg);
    return w->status;
}

void grl_grb_msg(char *msg, int info, const char *what)
{
    if (info == GrB_OUT_OF_MEMORY)
        grl_set_msg(msg, "out of memory (GraphBLAS, in %.120s)", what);
    else
        grl_set_msg(msg, "GraphBLAS error %s in %.120s", grl_status_name(info),
                    what);
}

void grl_free(void *p) { free(p); }
