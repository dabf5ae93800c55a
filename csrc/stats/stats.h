/* Statistics on count tables: keyness, multiple-testing correction,
 * collocation scores, Poisson rate intervals, trend tests and dispersion.
 *
 * Pure C on plain counts (doubles holding whole numbers unless a function
 * says otherwise), so that the binding can hand over numpy-like arrays and
 * get one result per term from one call. Formulas, corrections, conventions
 * for zeros and the reference values that the tests reproduce are in
 * docs/statistics.md.
 *
 * Conventions shared by every batch function:
 *  - inputs are validated before anything is written; on an error status
 *    the outputs are left untouched;
 *  - every function is reentrant (no global state) and allocates only where
 *    it says so;
 *  - NC_EINVAL for a NULL array when there is work to do; NC_ERANGE when
 *    nterms times the row length does not fit in size_t;
 *  - a NaN or infinite result appears only where this header says why. */
#ifndef NC_STATS_H
#define NC_STATS_H

#include <stddef.h>

#include "util/status.h"

/* ------------------------------------------------------------------ */
/* Keyness: one 2x2 table per term                                      */
/* ------------------------------------------------------------------ */
/*
 *                 target        reference
 *   term          a             b
 *   other words   c - a         d - b
 *   total         c             d          (c = total_target, d = total_ref)
 */
typedef enum {
    NC_KEY_G2 = 0,     /* log-likelihood G2 (Dunning 1993), signed */
    NC_KEY_CHI2,       /* Pearson chi2, signed */
    NC_KEY_LOG_RATIO,  /* log2((a/c)/(b/d)) (Hardie 2014) */
    NC_KEY_PCT_DIFF,   /* %DIFF = 100 (a/c - b/d)/(b/d) (Gabrielatos & Marchi 2012) */
    NC_KEY_PMI,        /* log2(a N / ((a+b) c)): PMI of term and target */
    NC_KEY_FISHER      /* Fisher's exact test; stat = sample odds ratio */
} nc_keyness_measure;

typedef enum {
    NC_CORR_NONE = 0,
    NC_CORR_YATES,     /* continuity correction (G2: cells moved 0.5 toward E) */
    NC_CORR_WILLIAMS   /* divide by Williams's (1976) q */
} nc_correction;

/* For each term i: stat_out[i] and, if p_out is not NULL, p_out[i].
 *
 * G2 and chi2 carry the sign of a/c - b/d (over-use in the target is
 * positive); their p is the upper tail of chi2 with 1 df for |stat|.
 * Fisher's p is exact and two-sided (tables no more probable than the
 * observed one, relative tolerance 1e-7, as R and scipy); its stat is the
 * odds ratio a(d-b) / (b(c-a)), with 0.5 added to every cell when one is
 * zero (Haldane-Anscombe), so it is finite. LOG_RATIO, PCT_DIFF and PMI are
 * effect sizes without a test: p_out[i] is NaN for them.
 *
 * Zeros: a = b = 0 gives stat 0 (odds ratio 1 for Fisher) and p 1.
 * LOG_RATIO uses 0.5 for a zero a or b; PCT_DIFF uses 0.5 for a zero b;
 * PMI is -inf when a = 0 < b (the term never occurs in the target).
 *
 * `corr` must be NC_CORR_NONE unless m is NC_KEY_G2 or NC_KEY_CHI2.
 * NC_EINVAL: totals not finite and > 0, a count negative, not finite or
 * larger than its total, a non-integer count for Fisher, unknown m/corr. */
nc_status nc_keyness(const double *a, const double *b, size_t nterms,
                     double total_target, double total_ref,
                     nc_keyness_measure m, nc_correction corr,
                     double *stat_out, double *p_out);

/* Two-sided p of Fisher's exact test for [[n11, n12], [n21, n22]].
 * Computed from log-space binomial terms (Loader's saddle-point form), so
 * tables with 10^8 tokens stay accurate (about 1e-12 relative); p below
 * about 1e-308 underflows to 0. NaN if a cell is negative, non-integer,
 * non-finite or above 2^53. */
double nc_fisher_exact_p(double n11, double n12, double n21, double n22);

/* Unsigned G2 = 2 sum O ln(O/E) of the 2x2 table [[n11, n12], [n21, n22]]
 * (0 ln 0 = 0; computed as a sum of non-negative terms, so no
 * cancellation). 0 when a margin is zero. NaN on negative cells. */
double nc_g2_2x2(double n11, double n12, double n21, double n22);

/* Upper tail of the chi-square distribution, P(X > x). For df = 1 this is
 * erfc(sqrt(x/2)). NaN if df <= 0; 1 for x <= 0. */
double nc_chi2_sf(double x, double df);

/* ------------------------------------------------------------------ */
/* Multiple testing                                                     */
/* ------------------------------------------------------------------ */

/* Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1),
 * as R's p.adjust(method = "BH") and scipy's false_discovery_control.
 * NaN entries are skipped (their output is NaN) and do not count in m.
 * out may alias p. Allocates one array of m (p, index) pairs.
 * NC_EINVAL for a p outside [0, 1]; NC_ENOMEM; NC_ERANGE if m pairs do
 * not fit in size_t. */
nc_status nc_bh_adjust(const double *p, size_t n, double *out);

/* ------------------------------------------------------------------ */
/* Collocations                                                         */
/* ------------------------------------------------------------------ */

#define NC_COLLOC_MAX_K 8

/* Cell layout for a k-word expression w_0..w_{k-1} (k = 2..8): the 2^k
 * cells of one term are contiguous; cell index bit j is set when position j
 * of a k-gram window equals w_j. Cell 2^k - 1 is the expression itself,
 * cell 0 the windows that match it nowhere (quanteda's layout).
 *
 * quanteda-style lambda and z (Blaheta & Johnson 2001, as in quanteda's
 * textstat_collocations, method "lambda"): with n_b = cells[b] + smoothing,
 *   lambda = sum_b (-1)^(k - popcount(b)) ln n_b,
 *   sigma  = sqrt(sum_b 1 / n_b),   z = lambda / sigma.
 * Any of the output arrays may be NULL. If a smoothed cell is 0 (smoothing
 * 0 and an empty cell) the three outputs are NaN for that term.
 * NC_EINVAL: k out of range, smoothing < 0 or not finite, a negative or
 * non-finite cell. */
nc_status nc_colloc_lambda(const double *cells, size_t nterms, unsigned k,
                           double smoothing, double *lambda_out,
                           double *sigma_out, double *z_out);

/* Builds the 2^k cells from "at least" counts: margins[S] is the number of
 * k-gram windows that match the expression at least on the positions in
 * bit set S (margins[0] = all eligible windows, margins[2^k-1] = count of
 * the expression, margins[1<<j] = windows with w_j at position j). The
 * cells are the Moebius inversion over supersets. Same layout as above,
 * 2^k values per term. cells_out may alias margins.
 * NC_EINVAL: k out of range, non-finite margins, or margins that give a
 * negative cell (inconsistent counts). */
nc_status nc_colloc_cells_from_margins(const double *margins, size_t nterms,
                                       unsigned k, double *cells_out);

typedef enum {
    NC_ASSOC_PMI = 0,    /* log2(n11 nxx / (n1x nx1)) */
    NC_ASSOC_NPMI,       /* ln(p11/(p1 p2)) / -ln p11 (Bouma 2009) */
    NC_ASSOC_LL,         /* G2 of the 2x2 table, unsigned (NLTK likelihood_ratio) */
    NC_ASSOC_TSCORE,     /* (n11 - n1x nx1 / nxx) / sqrt(n11) (NLTK student_t) */
    NC_ASSOC_LOGDICE,    /* 14 + log2(2 n11 / (n1x + nx1)) (Rychly 2008) */
    NC_ASSOC_GENSIM,     /* (n11 - min_count) / (n1x nx1) * vocab_size */
    NC_ASSOC_GENSIM_NPMI /* NPMI, -inf below min_count (gensim npmi_scorer) */
} nc_assoc_measure;

/* Association of bigrams (w1, w2) from n11 = count of the bigram,
 * n1x = count of w1, nx1 = count of w2, nxx = sample size. NLTK passes
 * word frequencies and the number of words; gensim passes word counts, the
 * number of words (corpus_word_count) and len(vocab) (unigram plus bigram
 * types) as vocab_size. min_count and vocab_size are read only by the
 * gensim measures.
 *
 * Non-finite results, by design: PMI, LOGDICE and TSCORE are -inf when
 * n11 = 0 (TSCORE is 0 when also n1x nx1 = 0); GENSIM is -inf when
 * n1x nx1 = 0 and GENSIM_NPMI is -inf when n11 < min_count or n11 = 0
 * (gensim's own values). NPMI is -1 for n11 = 0 and 1 for n11 = nxx.
 * NC_EINVAL: negative or non-finite counts, nxx <= 0, n11 > min(n1x, nx1),
 * n1x or nx1 > nxx, for LL a negative fourth cell nxx - n1x - nx1 + n11. */
nc_status nc_bigram_assoc(const double *n11, const double *n1x,
                          const double *nx1, size_t nterms, double nxx,
                          nc_assoc_measure m, double min_count,
                          double vocab_size, double *out);

/* ------------------------------------------------------------------ */
/* Gamma and chi-square distribution functions                           */
/* ------------------------------------------------------------------ */
/* Regularized incomplete gamma P(a, x) and Q(a, x) = 1 - P(a, x), a > 0,
 * x >= 0 (series for x < a + 1, Legendre continued fraction otherwise,
 * prefactor x^a e^-x / Gamma(a+1) in Loader's saddle-point form). Checked
 * against mpmath for 0.5 <= a <= 1e6: relative error below 1e-12 in the
 * smaller of P and Q (below 1e-13 unless it is under 1e-270). For a < 0.5
 * and x < a + 1, Q = 1 - P keeps only absolute accuracy (~1e-16). The
 * work grows as sqrt(a) (about 1 ms at a = 1e7). NaN on invalid
 * arguments. */
double nc_gamma_p(double a, double x);
double nc_gamma_q(double a, double x);
/* Inverses in x: P(a, x) = p, and Q(a, x) = q (use the latter for upper
 * quantiles: it keeps the precision of small q). Safeguarded Newton on a
 * bracket, to a few ulps of the root of the computed P or Q (so the
 * quantile's relative error is about that of P or Q divided by the
 * elasticity x P'/P; 1e-13 or better in the tests). 0 for p = 0 (q = 1)
 * and when the quantile underflows, +inf for p = 1 (q = 0), NaN for
 * invalid arguments. */
double nc_gamma_p_inv(double a, double p);
double nc_gamma_q_inv(double a, double q);
/* Quantile of chi-square with df degrees of freedom: 2 P^-1(df/2, p). */
double nc_chi2_quantile(double p, double df);

/* ------------------------------------------------------------------ */
/* Poisson rates                                                        */
/* ------------------------------------------------------------------ */

/* Exact (Garwood 1936) two-sided interval at confidence `conf` for the
 * rate counts[i] / exposure[i]:
 *   lower = chi2_{alpha/2}(2k) / 2 / exposure   (0 when k = 0)
 *   upper = chi2_{1-alpha/2}(2k + 2) / 2 / exposure
 * exposure may be NULL (exposure 1: interval for the mean count). A zero
 * exposure with a zero count gives NaN bounds (no rate is defined there).
 * Counts may be non-integers (the gamma form is used as is).
 * NC_EINVAL: conf not in (0, 1), a negative or non-finite count or
 * exposure, a positive count with zero exposure. */
nc_status nc_poisson_ci(const double *counts, const double *exposure,
                        size_t n, double conf, double *lower_out,
                        double *upper_out);

/* ------------------------------------------------------------------ */
/* Trend over ordered groups                                            */
/* ------------------------------------------------------------------ */

typedef enum {
    NC_TREND_OK = 0,
    NC_TREND_ALL_ZERO,      /* no occurrences: slope 0, se NaN, z 0, p 1,
                               lr 0, lr_p 1, intercept -inf */
    NC_TREND_SEPARATED,     /* every occurrence is in the groups with the
                               largest (or smallest) x: the MLE is at
                               infinity; slope +-inf, se inf, z and p NaN,
                               intercept NaN; lr and lr_p are the finite
                               limits */
    NC_TREND_NOT_CONVERGED  /* Newton stopped after its iteration limit;
                               the values are those of the last iterate */
} nc_trend_status;

typedef struct {
    double slope;      /* b1: change in log rate per unit of x */
    double se;         /* its standard error (inverse Fisher information) */
    double z;          /* Wald z = slope / se */
    double p;          /* two-sided Wald p */
    double intercept;  /* b0: log rate at x = 0 */
    double lr;         /* likelihood-ratio statistic against b1 = 0 */
    double lr_p;       /* its p from chi2 with 1 df */
    int iterations;    /* Newton steps taken */
    nc_trend_status status;
} nc_trend_result;

/* Poisson regression log mu_gi = log tokens_g + b0 + b1 x_g for every term
 * i over ngroups ordered groups, by Newton's method (= IRLS for the
 * canonical link) with step halving, on internally standardized x.
 * counts is row-major nterms x ngroups; tokens and x have ngroups entries
 * shared by all terms. Groups with tokens 0 are left out (they carry no
 * information); NC_EINVAL if such a group has a positive count.
 * NC_EINVAL also for negative or non-finite values and for fewer than two
 * distinct x among groups with tokens. */
nc_status nc_trend_poisson(const double *counts, size_t nterms,
                           size_t ngroups, const double *tokens,
                           const double *x, nc_trend_result *out);

/* ------------------------------------------------------------------ */
/* Dispersion                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
    size_t range;        /* parts with frequency > 0 */
    double dp;           /* Gries (2008) DP: 0.5 sum |v_i/V - s_i/S| */
    double dp_norm;      /* DP / (1 - min s_i/S) (Lijffijt & Gries 2012) */
    double juilland_d;   /* 1 - CV / sqrt(n - 1), CV of v_i/s_i (population sd) */
} nc_dispersion_result;

/* Dispersion of each term over nparts parts. freq is row-major
 * nterms x nparts; sizes (tokens per part) is shared. Parts of size 0 are
 * left out of every measure (n counts the others). A term with no
 * occurrences gets range 0 and NaN for dp, dp_norm and juilland_d
 * (dispersion of nothing is undefined).
 * NC_EINVAL: negative or non-finite values, a positive frequency in a part
 * of size 0, fewer than two parts of positive size. */
nc_status nc_dispersion(const double *freq, size_t nterms, size_t nparts,
                        const double *sizes, nc_dispersion_result *out);

#endif
