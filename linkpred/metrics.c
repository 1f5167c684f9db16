/* metrics.c — AUC, average precision, Hits@K and MRR of positive against
 * negative scores (definitions in include/grl/linkpred.h). Everything is
 * computed from sorted copies, so ties are handled exactly. */
#include "linkpred_internal.h"

#include <math.h>

typedef struct {
    double s;
    int pos; /* 1 positive, 0 negative */
} labelled;

static int by_score_desc(const void *a, const void *b)
{
    double x = ((const labelled *)a)->s, y = ((const labelled *)b)->s;
    return (x < y) - (x > y);
}

static int double_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static int check_scores(const double *pos, int64_t npos, const double *neg,
                        int64_t nneg, char *msg)
{
#define FREE_ALL ;
    GRL_REQUIRE(pos != NULL && neg != NULL, "metrics: NULL score array");
    GRL_REQUIRE(npos >= 1 && nneg >= 1, "metrics need at least one positive "
                "and one negative score, got %" PRId64 " and %" PRId64, npos,
                nneg);
    for (int64_t i = 0; i < npos; i++)
        GRL_REQUIRE(isfinite(pos[i]), "positive score %" PRId64 " is not "
                    "finite", i);
    for (int64_t i = 0; i < nneg; i++)
        GRL_REQUIRE(isfinite(neg[i]), "negative score %" PRId64 " is not "
                    "finite", i);
    return 0;
#undef FREE_ALL
}

/* Hits@K on negatives already sorted in decreasing order. */
static double hits_sorted(const double *pos, int64_t npos, const double *sneg,
                          int64_t nneg, int64_t K)
{
    if (nneg < K) return 1.0; /* OGB's evaluator */
    double kth = sneg[K - 1];
    int64_t hit = 0;
    for (int64_t i = 0; i < npos; i++) hit += pos[i] > kth;
    return (double)hit / (double)npos;
}

int grl_linkpred_hits(const double *pos, int64_t npos, const double *neg,
                      int64_t nneg, int64_t K, double *hits, char *msg)
{
    grl_msg_clear(msg);
    double *s = NULL;
#define FREE_ALL free(s)
    GRL_REQUIRE(hits != NULL && K >= 1, "Hits@K needs K >= 1 and an output");
    GRL_TRY(check_scores(pos, npos, neg, nneg, msg));
    GRL_ALLOC(s, double, nneg);
    memcpy(s, neg, sizeof(double) * nneg);
    qsort(s, (size_t)nneg, sizeof(double), double_desc);
    *hits = hits_sorted(pos, npos, s, nneg, K);
    FREE_ALL;
    return 0;
#undef FREE_ALL
}

/* #{i : s[i] > x} in s sorted decreasingly (gt) or #{s[i] >= x} (ge). */
static int64_t count_above(const double *s, int64_t n, double x, bool ge)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (s[mid] > x || (ge && s[mid] == x)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int grl_linkpred_evaluate(const double *pos, int64_t npos, const double *neg,
                          int64_t nneg, grl_linkpred_metrics *m, char *msg)
{
    grl_msg_clear(msg);
    labelled *all = NULL;
    double *sneg = NULL;
#define FREE_ALL free(all); free(sneg)
    GRL_REQUIRE(m != NULL, "grl_linkpred_evaluate: NULL output");
    GRL_TRY(check_scores(pos, npos, neg, nneg, msg));
    int64_t total = npos + nneg;
    GRL_ALLOC(all, labelled, total);
    for (int64_t i = 0; i < npos; i++) all[i] = (labelled){pos[i], 1};
    for (int64_t i = 0; i < nneg; i++) all[npos + i] = (labelled){neg[i], 0};
    qsort(all, (size_t)total, sizeof(labelled), by_score_desc);

    /* one pass over groups of equal scores, highest first:
     * AUC (Mann–Whitney): each positive beats the negatives below its group
     * and ties with half of those in it; AP: Σ (R_t - R_{t-1}) P_t */
    double wins = 0, ap = 0;
    int64_t tp = 0, fp = 0;
    for (int64_t i = 0; i < total;) {
        int64_t j = i, gp = 0, gn = 0;
        while (j < total && all[j].s == all[i].s) {
            if (all[j].pos) gp++;
            else gn++;
            j++;
        }
        int64_t neg_below = nneg - fp - gn;
        wins += (double)gp * ((double)neg_below + 0.5 * (double)gn);
        tp += gp;
        fp += gn;
        if (gp > 0) ap += ((double)gp / npos) * ((double)tp / (double)(tp + fp));
        i = j;
    }
    m->auc = wins / ((double)npos * (double)nneg);
    m->ap = ap;

    GRL_ALLOC(sneg, double, nneg);
    memcpy(sneg, neg, sizeof(double) * nneg);
    qsort(sneg, (size_t)nneg, sizeof(double), double_desc);
    m->hits20 = hits_sorted(pos, npos, sneg, nneg, 20);
    m->hits50 = hits_sorted(pos, npos, sneg, nneg, 50);
    m->hits100 = hits_sorted(pos, npos, sneg, nneg, 100);
    /* OGB's rank: 1 + (#neg > pos + #neg >= pos) / 2 */
    double rr = 0;
    for (int64_t i = 0; i < npos; i++) {
        double gt = (double)count_above(sneg, nneg, pos[i], false);
        double ge = (double)count_above(sneg, nneg, pos[i], true);
        rr += 1.0 / (1.0 + 0.5 * (gt + ge));
    }
    m->mrr = rr / (double)npos;
    FREE_ALL;
    return 0;
#undef FREE_ALL
}
