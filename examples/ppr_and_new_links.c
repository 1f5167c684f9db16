/* ppr_and_new_links.c — the 10 nodes closest to a source by personalized
 * PageRank (forward push), and the 5 best new links of that source by
 * resource allocation.
 * usage: example_ppr_and_new_links EDGES SOURCE_ID
 *   e.g. ../shared/data/ca-grqc/CA-GrQc.txt 3466 */
#include <stdio.h>

#include <grl.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s EDGES SOURCE_ID\n", argv[0]);
        return 2;
    }
    char msg[GRL_MSG_LEN], id[64];
    grl_graph *G = NULL;
    grl_ppr_result *R = NULL;
    int64_t source, cand[5];
    double score[5];
    int rc = grl_graph_load(&G, argv[1], NULL, msg);
    if (rc >= 0) rc = grl_graph_node_index(G, argv[2], &source, msg);
    if (rc >= 0) {
        grl_ppr_options o;
        grl_ppr_options_init(&o); /* alpha 0.15, dangling mass to the source */
        o.method = GRL_PPR_PUSH;
        rc = grl_ppr_top(&R, G, &source, 1, 10, &o, msg);
    }
    if (rc >= 0) {
        printf("personalized PageRank from %s:\n", argv[2]);
        for (int64_t r = 0; r < R->count[0]; r++) {
            grl_graph_node_id(G, R->node[r], id, sizeof id);
            printf("  %-8s %.5f\n", id, R->score[r]);
        }
        grl_linkpred_options lp;
        grl_linkpred_options_init(&lp); /* resource allocation */
        rc = grl_linkpred_topk(G, &source, 1, 5, &lp, cand, score, msg);
    }
    if (rc >= 0) {
        printf("best new links of %s (resource allocation):\n", argv[2]);
        for (int k = 0; k < 5 && cand[k] >= 0; k++) {
            grl_graph_node_id(G, cand[k], id, sizeof id);
            printf("  %-8s %.4f\n", id, score[k]);
        }
    } else {
        fprintf(stderr, "%s\n", msg);
    }
    grl_ppr_result_free(&R);
    grl_graph_free(&G);
    grl_finalize(NULL);
    return rc < 0;
}
