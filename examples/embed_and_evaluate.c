/* embed_and_evaluate.c — FastRP embeddings of a graph, scored by node
 * classification (the FastRP paper's BlogCatalog protocol).
 * usage: example_embed_and_evaluate EDGES LABELS
 *   e.g. ../shared/data/blogcatalog/edges.txt ../shared/data/blogcatalog/labels.txt */
#include <stdio.h>

#include <grl.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s EDGES LABELS\n", argv[0]);
        return 2;
    }
    char msg[GRL_MSG_LEN];
    grl_graph *G = NULL;
    grl_dense *E = NULL;
    grl_labels *labels = NULL;
    int rc = grl_graph_load(&G, argv[1], NULL, msg);
    if (rc >= 0) {
        grl_fastrp_options o;
        grl_fastrp_options_init(&o);
        o.dim = 512;
        o.iterations = 4; /* weights of A, A^2, A^3, A^4 */
        o.weights[0] = 0; o.weights[1] = 0; o.weights[2] = 1; o.weights[3] = 6.67;
        o.beta = -0.64;
        rc = grl_fastrp_embed(&E, G, &o, msg);
    }
    if (rc >= 0)
        rc = grl_labels_load(&labels, argv[2], grl_graph_num_nodes(G), NULL, msg);
    grl_nodeclf_result r;
    if (rc >= 0) {
        grl_nodeclf_options eval;
        grl_nodeclf_options_init(&eval); /* 10% training, 5 splits, C = 0.1 */
        rc = grl_nodeclf_evaluate(E, labels, &eval, &r, msg);
    }
    if (rc < 0)
        fprintf(stderr, "%s\n", msg);
    else
        printf("Micro-F1 %.4f, Macro-F1 %.4f\n", r.micro_f1, r.macro_f1);
    grl_labels_free(&labels);
    grl_dense_free(&E);
    grl_graph_free(&G);
    grl_finalize(NULL);
    return rc < 0;
}
