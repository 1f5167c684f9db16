/* fuzz_dag_data.c — grl_dag_data_load on a text table, then (when it loads
 * and is small) grl_dag_learn by TOPO and the metrics of the estimate
 * against itself: a load gives n, d >= 1, finite values and distinct
 * non-empty names; learning either fails with a message or returns a finite
 * DAG. */
#include "fuzz.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    const char *path = fuzz_write_file(0, data, size);
    char msg[GRL_MSG_LEN];
    grl_dag_data *D = NULL;
    if (grl_dag_data_load(&D, path, msg) < 0) {
        FUZZ_CHECK(D == NULL && msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(D->n >= 1 && D->d >= 1);
    for (int64_t k = 0; k < D->n * D->d; k++) FUZZ_CHECK(isfinite(D->X[k]));
    for (int64_t j = 0; j < D->d; j++) {
        FUZZ_CHECK(D->names[j] != NULL && D->names[j][0] != '\0');
        for (int64_t i = 0; i < j && D->d <= 64; i++)
            FUZZ_CHECK(strcmp(D->names[i], D->names[j]) != 0);
    }
    if (D->d <= 8 && D->n <= 256) {
        const int64_t d = D->d;
        double W[64];
        int64_t order[8];
        int rc = grl_dag_learn(W, order, D, NULL, NULL, msg);
        FUZZ_CHECK(rc <= 0 || msg[0] != '\0');
        if (rc >= 0) {
            for (int64_t k = 0; k < d * d; k++) FUZZ_CHECK(isfinite(W[k]));
            grl_dag_metrics m;
            /* a DAG: compared with itself, nothing is missing or extra */
            FUZZ_CHECK(grl_dag_metrics_compute(&m, W, W, d, 0.0, msg) == 0);
            FUZZ_CHECK(m.shd == 0 && m.est_is_dag);
        } else {
            FUZZ_CHECK(msg[0] != '\0');
        }
    }
    grl_dag_data_free(&D);
    FUZZ_CHECK(D == NULL);
    return 0;
}
