/* Tests of the statistics core against published values of the tools
 * users compare with (NLTK, quanteda, gensim, tlda) and against values
 * computed with scipy 1.17 / statsmodels 0.15 (quoted with the call that
 * produced them). */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "util/alloc.h"
#include "stats/stats.h"

/* |got - want| <= rel * |want| (or <= rel when want is 0). */
#define assert_rel(got, want, rel)                                             \
    do {                                                                       \
        const double g_ = (got), w_ = (want);                                  \
        const double tol_ = (rel) * (w_ == 0 ? 1.0 : fabs(w_));                \
        if (!(fabs(g_ - w_) <= tol_))                                          \
            fail_msg("%s = %.17g, want %.17g (rel %g)", #got, g_, w_,          \
                     (double)(rel));                                           \
    } while (0)

/* ------------------------------------------------------------------ */
/* Keyness                                                              */
/* ------------------------------------------------------------------ */

static double key1(double a, double b, double c, double d,
                   nc_keyness_measure m, nc_correction corr, double *p)
{
    double s = NAN, pv = NAN;
    assert_int_equal(nc_keyness(&a, &b, 1, c, d, m, corr, &s, &pv), NC_OK);
    if (p)
        *p = pv;
    return s;
}

/* NLTK BigramAssocMeasures.likelihood_ratio(2, (4, 4), 20): the table
 * [[2, 2], [2, 14]] three ways. */
static void test_g2_nltk(void **state)
{
    (void)state;
    const double want = 2.4142743368419755;
    assert_rel(nc_g2_2x2(2, 2, 2, 14), want, 1e-14);
    /* as keyness: term 2 of 4 target tokens, 2 of 16 reference tokens */
    assert_rel(key1(2, 2, 4, 16, NC_KEY_G2, NC_CORR_NONE, NULL), want, 1e-14);
    double n11 = 2, n1x = 4, nx1 = 4, out = 0;
    assert_int_equal(nc_bigram_assoc(&n11, &n1x, &nx1, 1, 20, NC_ASSOC_LL, 0, 0, &out),
                     NC_OK);
    assert_rel(out, want, 1e-14);
    assert_true(isnan(nc_g2_2x2(-1, 2, 2, 2)));
    assert_true(nc_g2_2x2(0, 0, 3, 4) == 0.0);
}

/* quanteda textstat_keyness, target "b b b b b b b a a a" vs reference
 * "a a a a a a a b b", feature "b": a = 7, b = 2, c = 10, d = 9. */
static void test_keyness_quanteda(void **state)
{
    (void)state;
    double p;
    assert_rel(key1(7, 2, 10, 9, NC_KEY_CHI2, NC_CORR_NONE, &p), 4.337160, 1e-6);
    /* scipy.stats.chi2_contingency([[7,2],[3,7]], correction=False) */
    assert_rel(key1(7, 2, 10, 9, NC_KEY_CHI2, NC_CORR_NONE, &p), 4.337160493827162, 1e-13);
    assert_rel(p, 0.03728906301729919, 1e-12); /* chi2.sf(.., 1) */
    assert_rel(key1(7, 2, 10, 9, NC_KEY_CHI2, NC_CORR_YATES, &p), 2.632438, 1e-6);
    assert_rel(key1(7, 2, 10, 9, NC_KEY_CHI2, NC_CORR_YATES, &p), 2.632438271604939, 1e-13);
    assert_rel(p, 0.1047008150396406, 1e-12);
    assert_rel(key1(7, 2, 10, 9, NC_KEY_G2, NC_CORR_NONE, &p), 4.534939, 1e-6);
    assert_rel(key1(7, 2, 10, 9, NC_KEY_G2, NC_CORR_NONE, &p), 4.534939332256226, 1e-13);
    assert_rel(p, 0.033209633968387844, 1e-12);
    /* scipy chi2_contingency(..., correction=True, lambda_="log-likelihood"):
     * cells moved 0.5 toward expected, then G2 */
    assert_rel(key1(7, 2, 10, 9, NC_KEY_G2, NC_CORR_YATES, &p), 2.7028437427387395, 1e-13);
    /* Williams q = 1 + (19/9 + 19/10 - 1)(19/10 + 19/9 - 1)/(6*19)
     *            = 1.0795332466969894 (by hand, checked in Python) */
    assert_rel(key1(7, 2, 10, 9, NC_KEY_G2, NC_CORR_WILLIAMS, &p), 4.200833412154394, 1e-13);
    assert_rel(p, 0.04040411771026847, 1e-12);
    assert_rel(key1(7, 2, 10, 9, NC_KEY_CHI2, NC_CORR_WILLIAMS, NULL), 4.01762567952161, 1e-13);

    /* swapping target and reference flips the sign only */
    assert_rel(key1(2, 7, 9, 10, NC_KEY_G2, NC_CORR_NONE, &p), -4.534939332256226, 1e-13);
    assert_rel(p, 0.033209633968387844, 1e-12);
    assert_rel(key1(2, 7, 9, 10, NC_KEY_CHI2, NC_CORR_YATES, NULL), -2.632438271604939, 1e-13);

    /* effect sizes: log2((7/10)/(2/9)) = log2(3.15); %DIFF = 215;
     * PMI = log2(7 * 19 / (9 * 10)) */
    assert_rel(key1(7, 2, 10, 9, NC_KEY_LOG_RATIO, NC_CORR_NONE, &p), 1.6553518286125541, 1e-14);
    assert_true(isnan(p));
    assert_rel(key1(7, 2, 10, 9, NC_KEY_PCT_DIFF, NC_CORR_NONE, NULL), 215.0, 1e-13);
    assert_rel(key1(7, 2, 10, 9, NC_KEY_PMI, NC_CORR_NONE, NULL), 0.5634293391715149, 1e-14);
}

/* Yates never overshoots: when |ad - bc| < N/2 the corrected chi2 is 0
 * (R's min(0.5, |O - E|)). Table [[5,5],[5,6]]: |30 - 25| = 5 < 10.5. */
static void test_yates_clamp(void **state)
{
    (void)state;
    double p;
    assert_true(key1(5, 5, 10, 11, NC_KEY_CHI2, NC_CORR_YATES, &p) == 0.0);
    assert_true(p == 1.0);
    const double g = key1(5, 5, 10, 11, NC_KEY_G2, NC_CORR_YATES, &p);
    assert_true(fabs(g) < 1e-15);
    assert_rel(p, 1.0, 1e-12);
    /* uncorrected it is not zero */
    assert_true(key1(5, 5, 10, 11, NC_KEY_CHI2, NC_CORR_NONE, NULL) > 0.01);
}

/* Fisher's exact test. Reference p-values: the definition summed in
 * 50-digit arithmetic (mpmath 1.3: every table whose probability is at most
 * (1 + 1e-7) times the observed one). scipy.stats.fisher_exact agrees to
 * 1e-14 on small tables but drifts to ~1e-9 relative at 6e7 tokens, e.g.
 * 0.11849737537995882 and 3.1431184922162063e-29 for the two big tables
 * below. Odds ratios as scipy's statistic. */
static void test_fisher(void **state)
{
    (void)state;
    double p;
    assert_rel(key1(7, 2, 10, 9, NC_KEY_FISHER, NC_CORR_NONE, &p), 8.166666666666666, 1e-14);
    assert_rel(p, 0.069778518694927363658, 1e-12);
    /* [[150, 60], [999850, 1999940]] */
    assert_rel(key1(150, 60, 1000000, 2000000, NC_KEY_FISHER, NC_CORR_NONE, &p),
               5.000600090013502, 1e-12);
    assert_rel(p, 3.1431184911806760723e-29, 1e-11);
    /* [[0, 5], [1000, 1000]]: a zero cell, Haldane-Anscombe odds ratio */
    assert_rel(key1(0, 5, 1000, 1005, NC_KEY_FISHER, NC_CORR_NONE, &p),
               (0.5 * 1000.5) / (5.5 * 1000.5), 1e-14);
    assert_rel(p, 0.062192240340185594195, 1e-12);
    assert_rel(nc_fisher_exact_p(12, 3, 488, 997), 0.00026625266106518926644, 1e-12);
    /* [[3, 0], [47, 150]]: scipy's odds ratio is inf, ours is finite */
    assert_rel(key1(3, 0, 50, 150, NC_KEY_FISHER, NC_CORR_NONE, &p), 22.178947368421053, 1e-13);
    assert_rel(p, 0.014923100350236028628, 1e-12);
    /* 6e7 tokens: [[40, 150], [9999960, 49999850]] and
     * [[4000, 15000], [9996000, 49985000]] */
    assert_rel(nc_fisher_exact_p(40, 150, 10000000 - 40, 50000000 - 150),
               0.11849737550726532056, 1e-12);
    assert_rel(nc_fisher_exact_p(4000, 15000, 10000000 - 4000, 50000000 - 15000),
               1.127711422435666828e-55, 1e-10);
    /* symmetry of the test under transposition and row swap */
    assert_rel(nc_fisher_exact_p(488, 997, 12, 3), 0.00026625266106518926644, 1e-12);
    assert_rel(nc_fisher_exact_p(12, 488, 3, 997), 0.00026625266106518926644, 1e-12);
    /* ties: in [[3,1],[1,3]] the tables x = 1 and x = 3 are equally
     * probable (16/70) and both must count, so p = (1+16+16+1)/70; the
     * rounding of the two probabilities differs, hence the tolerance */
    assert_rel(nc_fisher_exact_p(3, 1, 1, 3), 34.0 / 70.0, 1e-14);
    assert_rel(nc_fisher_exact_p(10, 20, 20, 10), 0.01938318826178996632, 1e-12);
    /* ties between tables of different margins' shape, where the two
     * probabilities round differently (exact fractions by Python's
     * fractions module; an exhaustive run over all 1518 such tables with
     * N < 40 matches) */
    assert_rel(nc_fisher_exact_p(0, 2, 4, 2), 3.0 / 7.0, 1e-14);
    assert_rel(nc_fisher_exact_p(3, 0, 1, 4), 1.0 / 7.0, 1e-14);
    assert_rel(nc_fisher_exact_p(0, 3, 6, 3), 2.0 / 11.0, 1e-14);
    assert_rel(nc_fisher_exact_p(0, 2, 3, 5), 1.0, 1e-14);
    /* degenerate tables */
    assert_true(nc_fisher_exact_p(0, 0, 5, 7) == 1.0);
    assert_true(nc_fisher_exact_p(3, 4, 0, 0) == 1.0);
    assert_true(isnan(nc_fisher_exact_p(1.5, 2, 3, 4)));
    assert_true(isnan(nc_fisher_exact_p(-1, 2, 3, 4)));
}

static void test_keyness_zeros(void **state)
{
    (void)state;
    const nc_keyness_measure all[] = {NC_KEY_G2, NC_KEY_CHI2, NC_KEY_LOG_RATIO,
                                      NC_KEY_PCT_DIFF, NC_KEY_PMI};
    double p;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_true(key1(0, 0, 100, 200, all[i], NC_CORR_NONE, &p) == 0.0);
        if (all[i] <= NC_KEY_CHI2)
            assert_true(p == 1.0);
    }
    assert_true(key1(0, 0, 100, 200, NC_KEY_FISHER, NC_CORR_NONE, &p) == 1.0);
    assert_true(p == 1.0);
    assert_true(key1(0, 0, 100, 200, NC_KEY_G2, NC_CORR_WILLIAMS, &p) == 0.0);

    /* absent from the target: finite negative G2/chi2, 0.5 substitution
     * for the log ratio: log2((0.5/10)/(5/9)) */
    const double g = key1(0, 5, 10, 9, NC_KEY_G2, NC_CORR_NONE, &p);
    assert_true(g < 0 && isfinite(g) && p > 0 && p < 1);
    /* G2 = 2 [5 ln(5 * 19 / (5 * 9)) + 10 ln(10*19/(10*14)) + 4 ln(4*19/(9*14))] */
    assert_rel(g, -2.0 * (5 * log(19.0 / 9) + 10 * log(19.0 / 14) + 4 * log(4 * 19.0 / 126)),
               1e-13);
    assert_rel(key1(0, 5, 10, 9, NC_KEY_LOG_RATIO, NC_CORR_NONE, NULL), -3.473931188332412, 1e-13);
    assert_rel(key1(0, 5, 10, 9, NC_KEY_PCT_DIFF, NC_CORR_NONE, NULL), -100.0, 1e-14);
    assert_true(isinf(key1(0, 5, 10, 9, NC_KEY_PMI, NC_CORR_NONE, NULL)));
    /* absent from the reference: log2((5/10)/(0.5/9)) and %DIFF with 0.5 */
    assert_rel(key1(5, 0, 10, 9, NC_KEY_LOG_RATIO, NC_CORR_NONE, NULL), log2(9.0), 1e-14);
    assert_rel(key1(5, 0, 10, 9, NC_KEY_PCT_DIFF, NC_CORR_NONE, NULL),
               100.0 * (0.5 - 0.5 / 9) / (0.5 / 9), 1e-13);
    /* term is the whole of both corpora: no contrast */
    assert_true(key1(10, 9, 10, 9, NC_KEY_CHI2, NC_CORR_NONE, &p) == 0.0);
    assert_true(p == 1.0);
}

static void test_keyness_batch_and_errors(void **state)
{
    (void)state;
    const double a[3] = {7, 2, 0}, b[3] = {2, 7, 0};
    double s[3], p[3];
    assert_int_equal(nc_keyness(a, b, 3, 10, 10, NC_KEY_G2, NC_CORR_NONE, s, p), NC_OK);
    assert_rel(s[0], -s[1], 1e-14);
    assert_true(s[0] > 0 && s[2] == 0.0 && p[2] == 1.0);
    assert_int_equal(nc_keyness(a, b, 3, 10, 10, NC_KEY_G2, NC_CORR_NONE, s, NULL), NC_OK);

    double s2[3] = {-7, -7, -7};
    double bad[3] = {7, 11, 0}; /* 11 > total 10 */
    assert_int_equal(nc_keyness(bad, b, 3, 10, 10, NC_KEY_G2, NC_CORR_NONE, s2, NULL), NC_EINVAL);
    assert_true(s2[0] == -7); /* nothing written on error */
    bad[1] = -1;
    assert_int_equal(nc_keyness(bad, b, 3, 10, 10, NC_KEY_G2, NC_CORR_NONE, s2, NULL), NC_EINVAL);
    bad[1] = NAN;
    assert_int_equal(nc_keyness(bad, b, 3, 10, 10, NC_KEY_G2, NC_CORR_NONE, s2, NULL), NC_EINVAL);
    assert_int_equal(nc_keyness(a, b, 3, 0, 10, NC_KEY_G2, NC_CORR_NONE, s2, NULL), NC_EINVAL);
    assert_int_equal(nc_keyness(a, b, 3, 10, INFINITY, NC_KEY_G2, NC_CORR_NONE, s2, NULL),
                     NC_EINVAL);
    assert_int_equal(nc_keyness(a, b, 3, 10, 10, NC_KEY_LOG_RATIO, NC_CORR_YATES, s2, NULL),
                     NC_EINVAL);
    assert_int_equal(nc_keyness(a, b, 3, 10, 10, (nc_keyness_measure)99, NC_CORR_NONE, s2, NULL),
                     NC_EINVAL);
    assert_int_equal(nc_keyness(a, b, 3, 10, 10, NC_KEY_G2, (nc_correction)7, s2, NULL),
                     NC_EINVAL);
    const double frac[1] = {2.5};
    assert_int_equal(nc_keyness(frac, b, 1, 10, 10, NC_KEY_FISHER, NC_CORR_NONE, s2, NULL),
                     NC_EINVAL);
    /* non-integer counts are fine for the other measures (weighted data) */
    assert_int_equal(nc_keyness(frac, b, 1, 10, 10, NC_KEY_G2, NC_CORR_NONE, s2, NULL), NC_OK);
    assert_int_equal(nc_keyness(NULL, NULL, 0, 10, 10, NC_KEY_G2, NC_CORR_NONE, NULL, NULL), NC_OK);
    assert_true(s2[1] == -7);
}

/* Large corpora: G2 of a rare term does not suffer cancellation. Compare
 * with the textbook sum at a size where the naive form is still exact
 * enough, and check that the statistic is continuous in scale. */
static void test_keyness_large(void **state)
{
    (void)state;
    double p;
    const double g = key1(150, 60, 1e6, 2e6, NC_KEY_G2, NC_CORR_NONE, &p);
    const double n = 3e6, r0 = 210, r1 = n - 210;
    const double naive = 2 * (150 * log(150 / (r0 * 1e6 / n)) + 60 * log(60 / (r0 * 2e6 / n)) +
                              (1e6 - 150) * log((1e6 - 150) / (r1 * 1e6 / n)) +
                              (2e6 - 60) * log((2e6 - 60) / (r1 * 2e6 / n)));
    assert_rel(g, naive, 1e-7);
    assert_true(g > 100 && p < 1e-25);
    /* near-equal relative frequencies in 10^9 tokens: small but positive */
    const double g2 = key1(1000001, 1000000, 1e9, 1e9, NC_KEY_G2, NC_CORR_NONE, NULL);
    const double x2 = key1(1000001, 1000000, 1e9, 1e9, NC_KEY_CHI2, NC_CORR_NONE, NULL);
    assert_true(g2 > 0 && x2 > 0);
    assert_rel(g2, x2, 1e-5); /* G2 ~ X2 for tiny deviations */
}

/* ------------------------------------------------------------------ */
/* Benjamini-Hochberg                                                    */
/* ------------------------------------------------------------------ */

static void test_bh(void **state)
{
    (void)state;
    /* scipy.stats.false_discovery_control(p) */
    const double p[8] = {0.01, 0.04, 0.03, 0.20, 0.005, 0.04, 0.9, 0.5};
    const double want[8] = {0.04, 0.064, 0.064, 0.26666666666666666, 0.04, 0.064, 0.9,
                            0.5714285714285714};
    double out[8];
    assert_int_equal(nc_bh_adjust(p, 8, out), NC_OK);
    for (int i = 0; i < 8; i++)
        assert_rel(out[i], want[i], 1e-14);

    /* in place, with NaN skipped (m = 8 still) */
    double q[9] = {0.01, 0.04, NAN, 0.03, 0.20, 0.005, 0.04, 0.9, 0.5};
    assert_int_equal(nc_bh_adjust(q, 9, q), NC_OK);
    assert_true(isnan(q[2]));
    assert_rel(q[0], 0.04, 1e-14);
    assert_rel(q[8], 0.5714285714285714, 1e-14);

    /* capped at 1 and monotone in p */
    const double r[3] = {0.9, 0.95, 0.99};
    double ro[3];
    assert_int_equal(nc_bh_adjust(r, 3, ro), NC_OK);
    assert_rel(ro[0], 0.99, 1e-14);
    assert_rel(ro[2], 0.99, 1e-14);
    const double one[1] = {0.7};
    assert_int_equal(nc_bh_adjust(one, 1, ro), NC_OK);
    assert_rel(ro[0], 0.7, 1e-15);

    const double badp[2] = {0.5, 1.5};
    assert_int_equal(nc_bh_adjust(badp, 2, ro), NC_EINVAL);
    assert_int_equal(nc_bh_adjust(NULL, 0, NULL), NC_OK);

    nc_alloc_fail_after(0);
    assert_int_equal(nc_bh_adjust(p, 8, out), NC_ENOMEM);
    nc_alloc_fail_after(-1);
}

/* ------------------------------------------------------------------ */
/* Collocations                                                          */
/* ------------------------------------------------------------------ */

/* quanteda: textstat_collocations(c("I like good ice cream.",
 * "Me too!  I like good ice cream."), min_count = 2). Tokens are lower
 * cased; punctuation tokens are ineligible, so no window may contain one
 * (which also keeps windows inside sentences); windows never cross
 * documents. The 2x2 table of each bigram is built here from the texts:
 * 9 eligible windows, and e.g. "good ice" gives cells 00 = 7, 01 = 0,
 * 10 = 0, 11 = 2, smoothed by 0.5: lambda = ln(2.5 * 7.5 / 0.25) = ln 75. */
static void test_lambda_quanteda(void **state)
{
    (void)state;
    static const char *doc1[] = {"i", "like", "good", "ice", "cream", "."};
    static const char *doc2[] = {"me", "too", "!", "i", "like", "good", "ice", "cream", "."};
    const char *const *docs[2] = {doc1, doc2};
    const size_t lens[2] = {6, 9};
    /* eligible bigram windows */
    const char *w1[32], *w2[32];
    size_t nw = 0;
    for (int d = 0; d < 2; d++)
        for (size_t i = 0; i + 1 < lens[d]; i++) {
            const char *u = docs[d][i], *v = docs[d][i + 1];
            if (strchr(".!", u[0]) || strchr(".!", v[0]))
                continue;
            w1[nw] = u, w2[nw] = v, nw++;
        }
    assert_int_equal(nw, 9);

    static const char *targets[4][2] = {
        {"good", "ice"}, {"i", "like"}, {"ice", "cream"}, {"like", "good"}};
    double margins[16], cells[16], lam[4], sig[4], z[4];
    for (int t = 0; t < 4; t++) {
        double *m = margins + 4 * t;
        m[0] = m[1] = m[2] = m[3] = 0;
        for (size_t i = 0; i < nw; i++) {
            const int s0 = strcmp(w1[i], targets[t][0]) == 0;
            const int s1 = strcmp(w2[i], targets[t][1]) == 0;
            m[0] += 1;
            m[1] += s0;
            m[2] += s1;
            m[3] += s0 && s1;
        }
        assert_true(m[3] == 2.0); /* count 2, as quanteda reports */
    }
    assert_int_equal(nc_colloc_cells_from_margins(margins, 4, 2, cells), NC_OK);
    for (int t = 0; t < 4; t++) {
        assert_true(cells[4 * t + 0] == 7 && cells[4 * t + 1] == 0 &&
                    cells[4 * t + 2] == 0 && cells[4 * t + 3] == 2);
    }
    assert_int_equal(nc_colloc_lambda(cells, 4, 2, 0.5, lam, sig, z), NC_OK);
    for (int t = 0; t < 4; t++) {
        assert_rel(lam[t], 4.317488, 2e-7);
        assert_rel(z[t], 2.027787, 2e-7);
        assert_rel(lam[t], log(75.0), 1e-14);
        assert_rel(sig[t], sqrt(1 / 2.5 + 2 + 2 + 1 / 7.5), 1e-14);
    }
    /* in-place margin conversion */
    assert_int_equal(nc_colloc_cells_from_margins(margins, 4, 2, margins), NC_OK);
    assert_memory_equal(margins, cells, sizeof cells);
}

/* Trigram: lambda is the 3-way interaction of the saturated log-linear
 * model; statsmodels GLM(Poisson) on the smoothed 2^3 table with dummy
 * coding gives coefficient 0.607235308903735, se 1.98244028 (fit to
 * 1e-9); the closed form gives the digits below. */
static void test_lambda_trigram(void **state)
{
    (void)state;
    const double cells[8] = {50, 3, 2, 4, 6, 1, 0, 5};
    double lam, sig, z;
    assert_int_equal(nc_colloc_lambda(cells, 1, 3, 0.5, &lam, &sig, &z), NC_OK);
    assert_rel(lam, 0.6072353089037321, 1e-13);
    assert_rel(lam, 0.607235308903735, 1e-11);
    assert_rel(sig, 1.9824402867338855, 1e-13);
    assert_rel(z, 0.3063069858735396, 1e-13);

    /* round trip: margins of these cells, then back */
    double mg[8] = {0};
    for (unsigned s = 0; s < 8; s++)
        for (unsigned c = 0; c < 8; c++)
            if ((c & s) == s)
                mg[s] += cells[c];
    double back[8];
    assert_int_equal(nc_colloc_cells_from_margins(mg, 1, 3, back), NC_OK);
    for (int i = 0; i < 8; i++)
        assert_rel(back[i], cells[i], 1e-15);

    /* inconsistent margins (count of the trigram above a unigram margin) */
    double badm[8] = {10, 2, 2, 2, 2, 2, 2, 3};
    assert_int_equal(nc_colloc_cells_from_margins(badm, 1, 3, back), NC_EINVAL);
    /* smoothing 0 with an empty cell: NaN by design */
    assert_int_equal(nc_colloc_lambda(cells, 1, 3, 0.0, &lam, &sig, &z), NC_OK);
    assert_true(isnan(lam) && isnan(sig) && isnan(z));
    assert_int_equal(nc_colloc_lambda(cells, 1, 1, 0.5, &lam, NULL, NULL), NC_EINVAL);
    assert_int_equal(nc_colloc_lambda(cells, 1, 9, 0.5, &lam, NULL, NULL), NC_EINVAL);
    assert_int_equal(nc_colloc_lambda(cells, 1, 3, -0.5, &lam, NULL, NULL), NC_EINVAL);
    /* k = 5: all 32 cells equal gives lambda 0 */
    double flat[32];
    for (int i = 0; i < 32; i++)
        flat[i] = 3;
    assert_int_equal(nc_colloc_lambda(flat, 1, 5, 0.5, &lam, &sig, &z), NC_OK);
    assert_true(fabs(lam) < 1e-13);
    assert_rel(sig, sqrt(32 / 3.5), 1e-14);
}

/* NLTK BigramAssocMeasures on n_ii = 2, (n_ix, n_xi) = (4, 4), n_xx = 20:
 * pmi = log2(2 * 20) - log2(4 * 4); student_t = (2 - 0.8) / sqrt(2). */
static void test_assoc_nltk(void **state)
{
    (void)state;
    double o = 2, r = 4, c = 4, v;
    assert_int_equal(nc_bigram_assoc(&o, &r, &c, 1, 20, NC_ASSOC_PMI, 0, 0, &v), NC_OK);
    assert_rel(v, 1.3219280948873624, 1e-14);
    assert_int_equal(nc_bigram_assoc(&o, &r, &c, 1, 20, NC_ASSOC_TSCORE, 0, 0, &v), NC_OK);
    assert_rel(v, 0.8485281374238569, 1e-14);
    assert_int_equal(nc_bigram_assoc(&o, &r, &c, 1, 20, NC_ASSOC_LOGDICE, 0, 0, &v), NC_OK);
    assert_rel(v, 13.0, 1e-15); /* 14 + log2(4 / 8) */
    /* NPMI = ln 2.5 / -ln 0.1 = log10 2.5 */
    assert_int_equal(nc_bigram_assoc(&o, &r, &c, 1, 20, NC_ASSOC_NPMI, 0, 0, &v), NC_OK);
    assert_rel(v, 0.3979400086720376, 1e-14);

    /* zeros and limits */
    const double o2[3] = {0, 5, 0}, r2[3] = {4, 5, 0}, c2[3] = {4, 5, 3};
    double out[3];
    assert_int_equal(nc_bigram_assoc(o2, r2, c2, 3, 5, NC_ASSOC_NPMI, 0, 0, out), NC_OK);
    assert_true(out[0] == -1.0 && out[1] == 1.0 && out[2] == -1.0);
    assert_int_equal(nc_bigram_assoc(o2, r2, c2, 3, 5, NC_ASSOC_PMI, 0, 0, out), NC_OK);
    assert_true(isinf(out[0]) && out[0] < 0 && out[1] == 0.0);
    assert_int_equal(nc_bigram_assoc(o2, r2, c2, 3, 20, NC_ASSOC_TSCORE, 0, 0, out), NC_OK);
    assert_true(isinf(out[0]) && out[0] < 0 && out[2] == 0.0);
    assert_int_equal(nc_bigram_assoc(o2, r2, c2, 3, 20, NC_ASSOC_LL, 0, 0, out), NC_OK);
    assert_true(isfinite(out[0]) && out[0] > 0 && out[2] == 0.0);

    /* errors */
    double big = 5;
    assert_int_equal(nc_bigram_assoc(&big, &r, &c, 1, 20, NC_ASSOC_PMI, 0, 0, &v), NC_EINVAL);
    assert_int_equal(nc_bigram_assoc(&o, &r, &c, 1, 0, NC_ASSOC_PMI, 0, 0, &v), NC_EINVAL);
    /* LL needs a non-negative fourth cell: 5 - 4 - 4 + 2 = -1 */
    assert_int_equal(nc_bigram_assoc(&o, &r, &c, 1, 5, NC_ASSOC_LL, 0, 0, &v), NC_EINVAL);
}

/* gensim Phrases(sentences, min_count=1, threshold=1) on the sentences of
 * gensim's test_phrases.py (common_texts plus "graph minors survey human
 * interface"): "graph minors" scores 5.1667 (default) and 0.8815 (npmi).
 * gensim passes word counts, len(vocab) over unigram and bigram types, and
 * the number of words. */
static void test_assoc_gensim(void **state)
{
    (void)state;
    static const char *sents[10][6] = {
        {"human", "interface", "computer"},
        {"survey", "user", "computer", "system", "response", "time"},
        {"eps", "user", "interface", "system"},
        {"system", "human", "system", "eps"},
        {"user", "response", "time"},
        {"trees"},
        {"graph", "trees"},
        {"graph", "minors", "trees"},
        {"graph", "minors", "survey"},
        {"graph", "minors", "survey", "human", "interface"}};
    /* count words, distinct words and distinct bigrams */
    const char *words[64], *bg[64][2];
    size_t nwords = 0, nbg = 0;
    double total = 0, ca = 0, cb = 0, cab = 0;
    for (int s = 0; s < 10; s++) {
        for (int i = 0; i < 6 && sents[s][i]; i++) {
            const char *w = sents[s][i];
            total += 1;
            ca += strcmp(w, "graph") == 0;
            cb += strcmp(w, "minors") == 0;
            size_t j;
            for (j = 0; j < nwords && strcmp(words[j], w); j++)
                ;
            if (j == nwords)
                words[nwords++] = w;
            if (i == 0)
                continue;
            const char *u = sents[s][i - 1];
            cab += strcmp(u, "graph") == 0 && strcmp(w, "minors") == 0;
            for (j = 0; j < nbg && (strcmp(bg[j][0], u) || strcmp(bg[j][1], w)); j++)
                ;
            if (j == nbg)
                bg[nbg][0] = u, bg[nbg][1] = w, nbg++;
        }
    }
    assert_true(total == 34 && ca == 4 && cb == 3 && cab == 3);
    assert_int_equal(nwords + nbg, 31);
    double v;
    assert_int_equal(nc_bigram_assoc(&cab, &ca, &cb, 1, total, NC_ASSOC_GENSIM, 1,
                                     (double)(nwords + nbg), &v), NC_OK);
    assert_rel(v, 5.1667, 1e-4);
    assert_rel(v, 31.0 / 6.0, 1e-14);
    assert_int_equal(nc_bigram_assoc(&cab, &ca, &cb, 1, total, NC_ASSOC_GENSIM_NPMI, 1, 0, &v),
                     NC_OK);
    assert_rel(v, 0.8815, 1e-4);
    assert_rel(v, 0.8815025099423297, 1e-14); /* ln 8.5 / ln(34/3) */
    /* below min_count: gensim's -inf */
    assert_int_equal(nc_bigram_assoc(&cab, &ca, &cb, 1, total, NC_ASSOC_GENSIM_NPMI, 4, 0, &v),
                     NC_OK);
    assert_true(isinf(v) && v < 0);
    double zero = 0;
    assert_int_equal(nc_bigram_assoc(&zero, &zero, &cb, 1, total, NC_ASSOC_GENSIM, 1, 31, &v),
                     NC_OK);
    assert_true(isinf(v) && v < 0);
}

/* ------------------------------------------------------------------ */
/* Gamma, chi-square, Poisson intervals                                  */
/* ------------------------------------------------------------------ */

static void test_gamma(void **state)
{
    (void)state;
    /* scipy.special.gammainc(3.3, 2.0), gammaincc(10001, 10100) */
    assert_rel(nc_gamma_p(3.3, 2.0), 0.2583394699656277, 1e-13);
    assert_rel(nc_gamma_q(3.3, 2.0), 1 - 0.2583394699656277, 1e-13);
    assert_rel(nc_gamma_q(10001, 10100), 0.16107895550326104, 1e-11);
    /* scipy.stats.gamma.ppf(1e-10, 0.5), (0.5, 1e6), (0.999, 3.3) */
    assert_rel(nc_gamma_p_inv(0.5, 1e-10), 7.85398163397448e-21, 1e-12);
    assert_rel(nc_gamma_p_inv(1e6, 0.5), 999999.6666666864, 1e-13);
    assert_rel(nc_gamma_p_inv(3.3, 0.999), 11.792208245731636, 1e-12);
    assert_rel(nc_gamma_q_inv(3.3, 0.001), 11.792208245731636, 1e-12);
    /* scipy.stats.chi2.ppf(0.95, 1), ppf(1e-6, 7); chi2.sf(10.5, 7) */
    assert_rel(nc_chi2_quantile(0.95, 1), 3.841458820694124, 1e-12);
    assert_rel(nc_chi2_quantile(1e-6, 7), 0.07852360099036994, 1e-12);
    assert_rel(nc_chi2_sf(10.5, 7), 0.1619644930794282, 1e-12);
    assert_rel(nc_chi2_sf(3.841458820694124, 1), 0.05, 1e-12);
    /* edges */
    assert_true(nc_gamma_p_inv(2, 0) == 0.0 && isinf(nc_gamma_p_inv(2, 1)));
    assert_true(nc_gamma_q_inv(2, 1) == 0.0 && isinf(nc_gamma_q_inv(2, 0)));
    assert_true(isnan(nc_gamma_p(-1, 2)) && isnan(nc_gamma_p_inv(2, 1.5)));
    /* (1e-12 Gamma(1.01))^100 is far below the smallest double */
    assert_true(nc_gamma_p_inv(0.01, 1e-12) == 0.0);
    assert_true(nc_gamma_p(2, 0) == 0.0 && nc_gamma_q(2, 0) == 1.0);
    /* P and its inverse agree across the range */
    const double as[] = {0.05, 0.5, 1, 7.5, 123, 5000, 2e5};
    const double ps[] = {1e-12, 0.001, 0.3, 0.5, 0.9, 0.999999};
    for (size_t i = 0; i < sizeof as / sizeof as[0]; i++)
        for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++) {
            const double x = nc_gamma_p_inv(as[i], ps[j]);
            if (ps[j] <= 0.5)
                assert_rel(nc_gamma_p(as[i], x), ps[j], 1e-10);
            else
                assert_rel(nc_gamma_q(as[i], x), 1 - ps[j], 1e-8);
        }
}

/* Garwood interval: scipy.stats.chi2.ppf(0.025, 2k)/2 and
 * chi2.ppf(0.975, 2k + 2)/2. */
static void test_poisson_ci(void **state)
{
    (void)state;
    const double k[5] = {0, 1, 5, 100, 10000};
    const double lo_want[5] = {0.0, 0.025317807984289876, 1.6234863901184207,
                               81.36399125092314, 9804.952467260184};
    const double hi_want[5] = {3.6888794541139354, 5.571643390938898, 11.66833207932267,
                               121.62679379242638, 10197.951624661473};
    double lo[5], hi[5];
    assert_int_equal(nc_poisson_ci(k, NULL, 5, 0.95, lo, hi), NC_OK);
    assert_true(lo[0] == 0.0);
    for (int i = 0; i < 5; i++) {
        if (i)
            assert_rel(lo[i], lo_want[i], 1e-12);
        assert_rel(hi[i], hi_want[i], 1e-12);
    }
    /* as rates per token */
    const double e[5] = {1000, 1000, 1e4, 0.5, 2e6};
    assert_int_equal(nc_poisson_ci(k, e, 5, 0.95, lo, hi), NC_OK);
    for (int i = 1; i < 5; i++) {
        assert_rel(lo[i], lo_want[i] / e[i], 1e-12);
        assert_rel(hi[i], hi_want[i] / e[i], 1e-12);
    }
    /* zero exposure and zero count: undefined rate */
    const double k0[1] = {0}, e0[1] = {0};
    assert_int_equal(nc_poisson_ci(k0, e0, 1, 0.95, lo, hi), NC_OK);
    assert_true(isnan(lo[0]) && isnan(hi[0]));
    const double k1[1] = {1};
    assert_int_equal(nc_poisson_ci(k1, e0, 1, 0.95, lo, hi), NC_EINVAL);
    assert_int_equal(nc_poisson_ci(k, NULL, 5, 1.0, lo, hi), NC_EINVAL);
    const double kn[1] = {-1};
    assert_int_equal(nc_poisson_ci(kn, NULL, 1, 0.9, lo, hi), NC_EINVAL);
}

/* ------------------------------------------------------------------ */
/* Trend                                                                */
/* ------------------------------------------------------------------ */

/* statsmodels GLM(y, [1, x], family=Poisson(), offset=log(tokens)), with
 * the group of zero tokens dropped, and 2 (llf - llf_null). */
static void test_trend_statsmodels(void **state)
{
    (void)state;
    const double x[7] = {2018, 2019, 2020, 2021, 2022, 2023, 2024};
    const double t[7] = {12000, 15000, 0, 9000, 20000, 18000, 25000};
    const double y[14] = {3, 5, 0, 0, 11, 9, 19,
                          /* second term: constant rate, no trend */
                          12, 15, 0, 9, 20, 18, 25};
    nc_trend_result r[2];
    assert_int_equal(nc_trend_poisson(y, 2, 7, t, x, r), NC_OK);
    assert_int_equal(r[0].status, NC_TREND_OK);
    assert_rel(r[0].slope, 0.19914589564753493, 1e-8);
    assert_rel(r[0].se, 0.08151481628913591, 1e-8);
    assert_rel(r[0].z, 2.4430637853756236, 1e-8);
    assert_rel(r[0].p, 0.014563163103877676, 1e-7);
    assert_rel(r[0].intercept, -410.3381461713302, 1e-8);
    assert_rel(r[0].lr, 6.798577232771631, 1e-8);
    assert_rel(r[0].lr_p, 0.00912305442434948, 1e-7);
    assert_true(r[0].iterations > 0 && r[0].iterations < 50);
    /* exactly proportional counts: slope 0, LR 0 */
    assert_int_equal(r[1].status, NC_TREND_OK);
    assert_true(fabs(r[1].slope) < 1e-12 && r[1].lr < 1e-20);
    assert_rel(r[1].p, 1.0, 1e-9);
    assert_rel(r[1].intercept, log(0.001), 1e-12);

    /* decreasing, with a zero count in the last group */
    const double x2[4] = {1, 2, 3, 4}, t2[4] = {1000, 1000, 2000, 500}, y2[4] = {4, 2, 1, 0};
    assert_int_equal(nc_trend_poisson(y2, 1, 4, t2, x2, r), NC_OK);
    assert_int_equal(r[0].status, NC_TREND_OK);
    assert_rel(r[0].slope, -1.0309377708951182, 1e-8);
    assert_rel(r[0].se, 0.47257552708902434, 1e-8);
    assert_rel(r[0].z, -2.181530172003403, 1e-8);
    assert_rel(r[0].p, 0.02914422531126333, 1e-7);
    assert_rel(r[0].intercept, -4.421809635836528, 1e-8);
    assert_rel(r[0].lr, 5.936949512439366, 1e-8);
    assert_rel(r[0].lr_p, 0.014826658718480518, 1e-7);
}

static void test_trend_edges(void **state)
{
    (void)state;
    const double x[4] = {1, 2, 3, 4}, t[4] = {100, 200, 100, 300};
    nc_trend_result r;
    /* all zero */
    const double z[4] = {0, 0, 0, 0};
    assert_int_equal(nc_trend_poisson(z, 1, 4, t, x, &r), NC_OK);
    assert_int_equal(r.status, NC_TREND_ALL_ZERO);
    assert_true(r.slope == 0 && isnan(r.se) && r.z == 0 && r.p == 1 && r.lr == 0 &&
                r.lr_p == 1 && isinf(r.intercept));
    /* every occurrence in the last group: separated, LR = 2 Y ln(T / T_last) */
    const double s[4] = {0, 0, 0, 6};
    assert_int_equal(nc_trend_poisson(s, 1, 4, t, x, &r), NC_OK);
    assert_int_equal(r.status, NC_TREND_SEPARATED);
    assert_true(isinf(r.slope) && r.slope > 0 && isinf(r.se) && isnan(r.p));
    assert_rel(r.lr, 2 * 6 * log(700.0 / 300.0), 1e-14);
    assert_rel(r.lr_p, nc_chi2_sf(2 * 6 * log(700.0 / 300.0), 1), 1e-14);
    const double s2[4] = {5, 0, 0, 0};
    assert_int_equal(nc_trend_poisson(s2, 1, 4, t, x, &r), NC_OK);
    assert_int_equal(r.status, NC_TREND_SEPARATED);
    assert_true(r.slope < 0);
    assert_rel(r.lr, 2 * 5 * log(7.0), 1e-14);
    /* occurrences at both ends: the weighted mean of x is inside the
     * range, so the MLE is finite */
    const double ends[4] = {1, 0, 0, 9};
    assert_int_equal(nc_trend_poisson(ends, 1, 4, t, x, &r), NC_OK);
    assert_int_equal(r.status, NC_TREND_OK);
    assert_true(r.slope > 0 && isfinite(r.se) && r.lr > 0);

    /* errors: positive count with zero tokens, one distinct x, negatives */
    const double t0[4] = {100, 0, 100, 300}, y1[4] = {1, 1, 1, 1};
    assert_int_equal(nc_trend_poisson(y1, 1, 4, t0, x, &r), NC_EINVAL);
    const double xs[4] = {2, 2, 2, 2};
    assert_int_equal(nc_trend_poisson(y1, 1, 4, t, xs, &r), NC_EINVAL);
    const double tn[4] = {100, -1, 100, 300};
    assert_int_equal(nc_trend_poisson(y1, 1, 4, tn, x, &r), NC_EINVAL);
    const double only1[4] = {100, 0, 0, 0}, y0[4] = {1, 0, 0, 0};
    assert_int_equal(nc_trend_poisson(y0, 1, 4, only1, x, &r), NC_EINVAL);
    assert_int_equal(nc_trend_poisson(NULL, 0, 4, t, x, NULL), NC_OK);
}

/* ------------------------------------------------------------------ */
/* Dispersion                                                           */
/* ------------------------------------------------------------------ */

static void test_dispersion(void **state)
{
    (void)state;
    /* tlda README (Lyne 1985, lemma ALLEMAND in ten parts): D = 0.6038797,
     * DP (Gries 2008 scaling) = 1 - 0.5009295 = 0.4990705. */
    const double v[10] = {2, 0, 1, 1, 3, 0, 3, 0, 0, 0};
    const double s[10] = {8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930};
    nc_dispersion_result r;
    assert_int_equal(nc_dispersion(v, 1, 10, s, &r), NC_OK);
    assert_int_equal(r.range, 5);
    assert_rel(r.juilland_d, 0.6038797, 1e-6);
    assert_rel(r.juilland_d, 0.6038797287749129, 1e-13);
    assert_rel(r.dp, 0.4990705, 1e-6);
    assert_rel(r.dp, 0.49907045434801495, 1e-13);
    assert_rel(r.dp_norm, 0.5535479785813592, 1e-13);

    /* Frequencies 1..5 in five equal parts (Gries 2008's letter example
     * has this shape): DP = 0.5 * 6/15 = 0.2, DPnorm = 0.2 / 0.8,
     * D = 1 - (sqrt(0.02) / 0.3) / 2. Second term: perfectly even;
     * third: all in one part; fourth: absent. */
    const double f[20] = {1, 2, 3, 4, 5, 2, 2, 2, 2, 2, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0};
    const double eq[5] = {10, 10, 10, 10, 10};
    nc_dispersion_result rr[4];
    assert_int_equal(nc_dispersion(f, 4, 5, eq, rr), NC_OK);
    assert_rel(rr[0].dp, 0.2, 1e-14);
    assert_rel(rr[0].dp_norm, 0.25, 1e-14);
    assert_rel(rr[0].juilland_d, 0.7642977396044841, 1e-13);
    assert_true(rr[1].dp < 1e-15 && rr[1].juilland_d == 1.0 && rr[1].range == 5);
    assert_rel(rr[2].dp, 0.8, 1e-14);
    assert_rel(rr[2].dp_norm, 1.0, 1e-14);
    assert_true(fabs(rr[2].juilland_d) < 1e-14 && rr[2].range == 1);
    assert_true(rr[3].range == 0 && isnan(rr[3].dp) && isnan(rr[3].dp_norm) &&
                isnan(rr[3].juilland_d));

    /* a part of size 0 is left out entirely */
    const double f6[6] = {1, 2, 0, 3, 4, 5};
    const double s6[6] = {10, 10, 0, 10, 10, 10};
    assert_int_equal(nc_dispersion(f6, 1, 6, s6, rr), NC_OK);
    assert_rel(rr[0].dp, 0.2, 1e-14);
    assert_rel(rr[0].juilland_d, 0.7642977396044841, 1e-13);

    /* errors */
    const double f6b[6] = {1, 2, 1, 3, 4, 5};
    assert_int_equal(nc_dispersion(f6b, 1, 6, s6, rr), NC_EINVAL);
    const double one[2] = {3, 0}, sz1[2] = {10, 0};
    assert_int_equal(nc_dispersion(one, 1, 2, sz1, rr), NC_EINVAL);
    const double neg[2] = {-1, 0}, sz2[2] = {10, 10};
    assert_int_equal(nc_dispersion(neg, 1, 2, sz2, rr), NC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_g2_nltk),
        cmocka_unit_test(test_keyness_quanteda),
        cmocka_unit_test(test_yates_clamp),
        cmocka_unit_test(test_fisher),
        cmocka_unit_test(test_keyness_zeros),
        cmocka_unit_test(test_keyness_batch_and_errors),
        cmocka_unit_test(test_keyness_large),
        cmocka_unit_test(test_bh),
        cmocka_unit_test(test_lambda_quanteda),
        cmocka_unit_test(test_lambda_trigram),
        cmocka_unit_test(test_assoc_nltk),
        cmocka_unit_test(test_assoc_gensim),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_poisson_ci),
        cmocka_unit_test(test_trend_statsmodels),
        cmocka_unit_test(test_trend_edges),
        cmocka_unit_test(test_dispersion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
