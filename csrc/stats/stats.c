/* Statistics on count tables. See stats.h for the API and
 * docs/statistics.md for formulas and conventions. */
#include "stats/stats.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/alloc.h"

#define LN_SQRT_2PI 0.918938533204672741780329736406 /* ln sqrt(2 pi) */
#define LN_2PI 1.837877066409345483560659472811      /* ln (2 pi) */
#define SQRT_2PI 2.506628274631000502415765284811
#define SQRT_2 1.414213562373095048801688724210
#define MAX_EXACT_INT 9007199254740992.0              /* 2^53 */

/* ------------------------------------------------------------------ */
/* Numerical building blocks                                            */
/* ------------------------------------------------------------------ */

static int is_count(double x) { return isfinite(x) && x >= 0; }

static int is_whole(double x)
{
    return is_count(x) && x <= MAX_EXACT_INT && x == floor(x);
}

/* Error of Stirling's formula: ln n! - (n + 1/2) ln n + n - ln sqrt(2 pi),
 * for real n > 0. Asymptotic series above 15 (truncation error < 1e-16);
 * below, the exact recurrence s(n) = s(n+1) - 1 + (n + 1/2) ln(1 + 1/n)
 * climbs there. This avoids lgamma, which writes the global signgam and so
 * is not thread-safe in glibc. */
static double stirlerr(double n)
{
    double acc = 0.0;
    while (n <= 15.0) {
        acc += (n + 0.5) * log1p(1.0 / n) - 1.0;
        n += 1.0;
    }
    const double nn = n * n;
    return acc + (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 -
                 (1.0 / 1188) / nn) / nn) / nn) / nn) / n;
}

/* ln Gamma(a + 1) for a > 0, from stirlerr (thread-safe, see above). */
static double lgamma1p_pos(double a)
{
    return stirlerr(a) + (a + 0.5) * log(a) - a + LN_SQRT_2PI;
}

/* Deviance term x ln(x/m) + m - x >= 0 (x >= 0, m > 0), with a series in
 * v = (x - m)/(x + m) when x is close to m, where the direct form cancels
 * (Loader 2000). */
static double bd0(double x, double m)
{
    if (x == 0.0)
        return m;
    const double d = x - m;
    if (fabs(d) < 0.1 * (x + m)) {
        const double v = d / (x + m), v2 = v * v;
        double s = d * v, ej = 2.0 * x * v;
        for (int j = 1; j < 1000; j++) {
            ej *= v2;
            const double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                break;
            s = s1;
        }
        return s;
    }
    /* log(x/m) keeps the ratio's 1-ulp accuracy; log x - log m would
     * carry the absolute error of two large logs, times x. */
    const double ratio = x / m;
    const double lr = (ratio > 0 && isfinite(ratio)) ? log(ratio) : log(x) - log(m);
    return x * lr + m - x;
}

/* ln of the binomial probability of x successes in n trials, p + q = 1,
 * 0 <= x <= n whole numbers (Loader's saddle-point form: no lgamma
 * differences of huge numbers). */
static double ldbinom(double x, double n, double p, double q)
{
    if (p == 0.0)
        return x == 0.0 ? 0.0 : -INFINITY;
    if (q == 0.0)
        return x == n ? 0.0 : -INFINITY;
    if (x == 0.0) {
        if (n == 0.0)
            return 0.0;
        return p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q);
    }
    if (x == n)
        return q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
    const double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) -
                      bd0(x, n * p) - bd0(n - x, n * q);
    return lc - 0.5 * (LN_2PI + log(x) + log1p(-x / n));
}

/* ln of the hypergeometric probability of x successes in n draws from r
 * successes and b failures, as a ratio of three binomial terms at
 * p = n / (r + b) (the p^x q^(n-x) factors cancel). */
static double ldhyper(double x, double r, double b, double n)
{
    const double tot = r + b;
    if (x < 0 || x > r || n - x < 0 || n - x > b)
        return -INFINITY;
    if (n == 0.0 || n == tot)
        return 0.0;
    const double p = n / tot, q = (tot - n) / tot;
    return ldbinom(x, r, p, q) + ldbinom(n - x, b, p, q) -
           ldbinom(n, tot, p, q);
}

/* x^a e^-x / Gamma(a + 1), the Poisson "density" at real a >= 0. */
static double dpois_raw(double a, double x)
{
    if (a == 0.0)
        return exp(-x);
    if (x == 0.0)
        return 0.0;
    return exp(-stirlerr(a) - bd0(a, x)) / (SQRT_2PI * sqrt(a));
}

double nc_chi2_sf(double x, double df)
{
    if (isnan(x) || !(df > 0) || !isfinite(df))
        return NAN;
    if (x <= 0)
        return 1.0;
    if (df == 1.0)
        return erfc(sqrt(0.5 * x));
    return nc_gamma_q(0.5 * df, 0.5 * x);
}

/* Two-sided normal p for a z statistic. */
static double norm_p2(double z) { return erfc(fabs(z) / SQRT_2); }

/* ------------------------------------------------------------------ */
/* 2x2 tables                                                           */
/* ------------------------------------------------------------------ */

/* G2 of cells o[0..3] = [[o0, o1], [o2, o3]] against expected values
 * from the margins of `ref` (the same margins as o unless o was shifted
 * by a continuity correction, which keeps the margins anyway). */
static double g2_cells(const double o[4], const double ref[4])
{
    const double r0 = ref[0] + ref[1], r1 = ref[2] + ref[3];
    const double c0 = ref[0] + ref[2], c1 = ref[1] + ref[3];
    const double n = r0 + r1;
    if (r0 == 0 || r1 == 0 || c0 == 0 || c1 == 0)
        return 0.0;
    const double e[4] = {r0 * c0 / n, r0 * c1 / n, r1 * c0 / n, r1 * c1 / n};
    double g = 0.0;
    for (int i = 0; i < 4; i++)
        g += bd0(o[i], e[i]);
    return 2.0 * g;
}

double nc_g2_2x2(double n11, double n12, double n21, double n22)
{
    if (!is_count(n11) || !is_count(n12) || !is_count(n21) || !is_count(n22))
        return NAN;
    const double o[4] = {n11, n12, n21, n22};
    return g2_cells(o, o);
}

/* Williams's q for a 2x2 table with row totals r0, r1 and column totals
 * c0, c1 (all > 0): 1 + (n/r0 + n/r1 - 1)(n/c0 + n/c1 - 1) / (6n). */
static double williams_q(double r0, double r1, double c0, double c1)
{
    const double n = r0 + r1;
    return 1.0 + (n / r0 + n / r1 - 1.0) * (n / c0 + n / c1 - 1.0) / (6.0 * n);
}

/* Two-sided Fisher p for x successes among n draws (r successes, b
 * failures). Tables count as "at least as extreme" when their probability
 * is at most (1 + 1e-7) times the observed one. The pmf is unimodal and
 * log-concave, so those tables form a lower and an upper tail; each tail
 * is found by bisection and summed outward from its inner end by the exact
 * term ratios until the rest is below 1e-17 of the sum. */
static double fisher_p(double x, double r, double b, double n)
{
    const double xmin = fmax(0.0, n - b), xmax = fmin(r, n);
    if (xmin >= xmax)
        return 1.0;
    double mode = floor((n + 1.0) * (r + 1.0) / (r + b + 2.0));
    mode = fmin(fmax(mode, xmin), xmax);
    const double t = ldhyper(x, r, b, n) + log1p(1e-7);
    if (ldhyper(mode, r, b, n) <= t)
        return 1.0;

    double p = 0.0;
    if (ldhyper(xmin, r, b, n) <= t) {
        double lo = xmin, hi = mode - 1.0; /* largest x in [lo, hi] <= t */
        while (lo < hi) {
            const double mid = lo + floor((hi - lo + 1.0) / 2.0);
            if (ldhyper(mid, r, b, n) <= t)
                lo = mid;
            else
                hi = mid - 1.0;
        }
        double term = 1.0, sum = 1.0;
        for (double k = lo; k > xmin; k -= 1.0) {
            const double ratio = k * (b - n + k) / ((r - k + 1.0) * (n - k + 1.0));
            term *= ratio;
            sum += term;
            if (term == 0.0 || (ratio < 1.0 && term * ratio / (1.0 - ratio) < 1e-17 * sum))
                break;
        }
        p += exp(ldhyper(lo, r, b, n)) * sum;
    }
    if (ldhyper(xmax, r, b, n) <= t) {
        double lo = mode + 1.0, hi = xmax; /* smallest x in [lo, hi] <= t */
        while (lo < hi) {
            const double mid = lo + floor((hi - lo) / 2.0);
            if (ldhyper(mid, r, b, n) <= t)
                hi = mid;
            else
                lo = mid + 1.0;
        }
        double term = 1.0, sum = 1.0;
        for (double k = lo; k < xmax; k += 1.0) {
            const double ratio = (r - k) * (n - k) / ((k + 1.0) * (b - n + k + 1.0));
            term *= ratio;
            sum += term;
            if (term == 0.0 || (ratio < 1.0 && term * ratio / (1.0 - ratio) < 1e-17 * sum))
                break;
        }
        p += exp(ldhyper(lo, r, b, n)) * sum;
    }
    return fmin(1.0, p);
}

double nc_fisher_exact_p(double n11, double n12, double n21, double n22)
{
    if (!is_whole(n11) || !is_whole(n12) || !is_whole(n21) || !is_whole(n22))
        return NAN;
    const double r = n11 + n12, b = n21 + n22;
    if (r + b > MAX_EXACT_INT)
        return NAN;
    return fisher_p(n11, r, b, n11 + n21);
}

/* One keyness value; inputs already validated. */
static double keyness_one(double a, double b, double c, double d,
                          nc_keyness_measure m, nc_correction corr, double *p)
{
    const double n = c + d, r0 = a + b, r1 = n - r0;
    /* a/c - b/d has the sign of a d - b c (the table's determinant). */
    const double det = a * d - b * c;
    const double sign = det > 0 ? 1.0 : det < 0 ? -1.0 : 0.0;

    *p = NAN;
    switch (m) {
    case NC_KEY_G2:
    case NC_KEY_CHI2: {
        double s;
        if (det == 0.0 || r0 == 0.0 || r1 == 0.0) {
            /* No difference, or nothing to compare: no evidence. */
            s = 0.0;
        } else if (m == NC_KEY_CHI2) {
            double num = fabs(det);
            if (corr == NC_CORR_YATES)
                num = fmax(0.0, num - 0.5 * n); /* R: min(0.5, |O - E|) */
            s = n * num * num / (r0 * r1 * c * d);
        } else {
            const double o[4] = {a, b, c - a, d - b};
            double sh[4] = {a, b, c - a, d - b};
            if (corr == NC_CORR_YATES) {
                /* Move each cell toward its expected value by at most 0.5;
                 * |O - E| is |det| / n in every cell. */
                const double delta = fmin(0.5, fabs(det) / n) * sign;
                sh[0] -= delta, sh[1] += delta, sh[2] += delta, sh[3] -= delta;
            }
            s = g2_cells(sh, o);
        }
        if (corr == NC_CORR_WILLIAMS && s > 0.0)
            s /= williams_q(r0, r1, c, d);
        *p = nc_chi2_sf(s, 1.0);
        return sign * s;
    }
    case NC_KEY_LOG_RATIO:
        if (a == 0.0 && b == 0.0)
            return 0.0;
        return log2(((a > 0 ? a : 0.5) / c) / ((b > 0 ? b : 0.5) / d));
    case NC_KEY_PCT_DIFF: {
        if (a == 0.0 && b == 0.0)
            return 0.0;
        const double ref = (b > 0 ? b : 0.5) / d;
        return 100.0 * (a / c - ref) / ref;
    }
    case NC_KEY_PMI:
        if (r0 == 0.0)
            return 0.0;
        if (a == 0.0)
            return -INFINITY;
        return log2(a / c) + log2(n / r0);
    case NC_KEY_FISHER: {
        if (r0 == 0.0) {
            *p = 1.0;
            return 1.0;
        }
        *p = fisher_p(a, r0, r1, c);
        double o11 = a, o12 = b, o21 = c - a, o22 = d - b;
        if (o11 == 0 || o12 == 0 || o21 == 0 || o22 == 0)
            o11 += 0.5, o12 += 0.5, o21 += 0.5, o22 += 0.5;
        return (o11 * o22) / (o12 * o21);
    }
    }
    return NAN; /* unreachable: m was validated */
}

nc_status nc_keyness(const double *a, const double *b, size_t nterms,
                     double total_target, double total_ref,
                     nc_keyness_measure m, nc_correction corr,
                     double *stat_out, double *p_out)
{
    if ((unsigned)m > NC_KEY_FISHER || (unsigned)corr > NC_CORR_WILLIAMS)
        return NC_EINVAL;
    if (corr != NC_CORR_NONE && m != NC_KEY_G2 && m != NC_KEY_CHI2)
        return NC_EINVAL;
    if (!(isfinite(total_target) && total_target > 0 && isfinite(total_ref) &&
          total_ref > 0))
        return NC_EINVAL;
    if (nterms && (!a || !b || !stat_out))
        return NC_EINVAL;
    if (m == NC_KEY_FISHER &&
        (!is_whole(total_target) || !is_whole(total_ref) ||
         total_target + total_ref > MAX_EXACT_INT))
        return NC_EINVAL;
    for (size_t i = 0; i < nterms; i++) {
        if (!is_count(a[i]) || !is_count(b[i]) || a[i] > total_target ||
            b[i] > total_ref)
            return NC_EINVAL;
        if (m == NC_KEY_FISHER && (!is_whole(a[i]) || !is_whole(b[i])))
            return NC_EINVAL;
    }
    for (size_t i = 0; i < nterms; i++) {
        double p;
        stat_out[i] = keyness_one(a[i], b[i], total_target, total_ref, m, corr, &p);
        if (p_out)
            p_out[i] = p;
    }
    return NC_OK;
}

/* ------------------------------------------------------------------ */
/* Benjamini-Hochberg                                                    */
/* ------------------------------------------------------------------ */

typedef struct {
    double p;
    size_t i;
} p_index;

static int cmp_p_index(const void *x, const void *y)
{
    const p_index *u = x, *v = y;
    if (u->p != v->p)
        return u->p < v->p ? -1 : 1;
    return u->i < v->i ? -1 : u->i > v->i; /* deterministic order */
}

nc_status nc_bh_adjust(const double *p, size_t n, double *out)
{
    if (n && (!p || !out))
        return NC_EINVAL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i]))
            continue;
        if (!(p[i] >= 0.0 && p[i] <= 1.0))
            return NC_EINVAL;
        m++;
    }
    if (n == 0)
        return NC_OK;
    if (m > SIZE_MAX / sizeof(p_index))
        return NC_ERANGE;
    p_index *v = nc_malloc((m ? m : 1) * sizeof *v);
    if (!v)
        return NC_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(p[i])) {
            out[i] = NAN;
            continue;
        }
        v[k].p = p[i];
        v[k].i = i;
        k++;
    }
    qsort(v, m, sizeof *v, cmp_p_index);
    /* Step-up: adjusted p_(j) = min over l >= j of p_(l) m / l, capped. */
    double run = 1.0;
    for (size_t j = m; j > 0; j--) {
        const double q = v[j - 1].p * (double)m / (double)j;
        if (q < run)
            run = q;
        out[v[j - 1].i] = run;
    }
    nc_free(v);
    return NC_OK;
}

/* ------------------------------------------------------------------ */
/* Collocations                                                          */
/* ------------------------------------------------------------------ */

static int popcount_u(unsigned v)
{
    int c = 0;
    for (; v; v &= v - 1)
        c++;
    return c;
}

nc_status nc_colloc_lambda(const double *cells, size_t nterms, unsigned k,
                           double smoothing, double *lambda_out,
                           double *sigma_out, double *z_out)
{
    if (k < 2 || k > NC_COLLOC_MAX_K || !isfinite(smoothing) || smoothing < 0)
        return NC_EINVAL;
    const size_t nc = (size_t)1 << k;
    if (nterms && !cells)
        return NC_EINVAL;
    if (nterms > SIZE_MAX / nc)
        return NC_ERANGE;
    for (size_t i = 0; i < nterms * nc; i++)
        if (!is_count(cells[i]))
            return NC_EINVAL;
    for (size_t t = 0; t < nterms; t++) {
        const double *c = cells + t * nc;
        double lam = 0.0, var = 0.0;
        int degenerate = 0;
        for (size_t bset = 0; bset < nc; bset++) {
            const double nb = c[bset] + smoothing;
            if (nb == 0.0) {
                degenerate = 1;
                break;
            }
            /* Sign (-1)^(k - popcount): + for the full match. */
            const int odd = (int)(k - (unsigned)popcount_u((unsigned)bset)) & 1;
            lam += odd ? -log(nb) : log(nb);
            var += 1.0 / nb;
        }
        const double sig = degenerate ? NAN : sqrt(var);
        if (degenerate)
            lam = NAN;
        if (lambda_out)
            lambda_out[t] = lam;
        if (sigma_out)
            sigma_out[t] = sig;
        if (z_out)
            z_out[t] = degenerate ? NAN : lam / sig;
    }
    return NC_OK;
}

nc_status nc_colloc_cells_from_margins(const double *margins, size_t nterms,
                                       unsigned k, double *cells_out)
{
    if (k < 2 || k > NC_COLLOC_MAX_K)
        return NC_EINVAL;
    const size_t nc = (size_t)1 << k;
    if (nterms && (!margins || !cells_out))
        return NC_EINVAL;
    if (nterms > SIZE_MAX / nc)
        return NC_ERANGE;
    double tmp[1 << NC_COLLOC_MAX_K];
    /* First pass only checks, so nothing is written on error. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t t = 0; t < nterms; t++) {
            const double *mg = margins + t * nc;
            for (size_t s = 0; s < nc; s++) {
                if (!is_count(mg[s]))
                    return NC_EINVAL;
                tmp[s] = mg[s];
            }
            /* Moebius inversion over supersets, one position at a time:
             * cell[T] = sum over S containing T of (-1)^|S\T| margin[S]. */
            for (unsigned j = 0; j < k; j++) {
                const size_t bit = (size_t)1 << j;
                for (size_t s = 0; s < nc; s++)
                    if (!(s & bit))
                        tmp[s] -= tmp[s | bit];
            }
            for (size_t s = 0; s < nc; s++) {
                /* Margins are whole counts, so any negative cell is real
                 * inconsistency, not rounding (tolerate tiny noise). */
                if (tmp[s] < 0) {
                    if (tmp[s] < -1e-9 * (1.0 + mg[0]))
                        return NC_EINVAL;
                    tmp[s] = 0.0;
                }
                if (pass == 1)
                    cells_out[t * nc + s] = tmp[s];
            }
        }
    }
    return NC_OK;
}

nc_status nc_bigram_assoc(const double *n11, const double *n1x,
                          const double *nx1, size_t nterms, double nxx,
                          nc_assoc_measure m, double min_count,
                          double vocab_size, double *out)
{
    if ((unsigned)m > NC_ASSOC_GENSIM_NPMI || !isfinite(nxx) || nxx <= 0)
        return NC_EINVAL;
    if ((m == NC_ASSOC_GENSIM || m == NC_ASSOC_GENSIM_NPMI) &&
        (!is_count(min_count) || !is_count(vocab_size)))
        return NC_EINVAL;
    if (nterms && (!n11 || !n1x || !nx1 || !out))
        return NC_EINVAL;
    for (size_t i = 0; i < nterms; i++) {
        const double o = n11[i], r = n1x[i], c = nx1[i];
        if (!is_count(o) || !is_count(r) || !is_count(c) || o > r || o > c ||
            r > nxx || c > nxx)
            return NC_EINVAL;
        if (m == NC_ASSOC_LL && nxx - r - c + o < 0)
            return NC_EINVAL;
    }
    for (size_t i = 0; i < nterms; i++) {
        const double o = n11[i], r = n1x[i], c = nx1[i];
        double v;
        switch (m) {
        case NC_ASSOC_PMI:
            v = o == 0 ? -INFINITY : log2(o / r) + log2(nxx / c);
            break;
        case NC_ASSOC_NPMI:
        case NC_ASSOC_GENSIM_NPMI:
            if (m == NC_ASSOC_GENSIM_NPMI && (o < min_count || o == 0)) {
                v = -INFINITY;
            } else if (o == 0) {
                v = -1.0; /* never together: Bouma's lower limit */
            } else if (o == nxx) {
                v = 1.0; /* always together (then r = c = nxx, 0/0) */
            } else {
                v = (log(o / r) + log(nxx / c)) / -log(o / nxx);
            }
            break;
        case NC_ASSOC_LL:
            v = nc_g2_2x2(o, r - o, c - o, nxx - r - c + o);
            break;
        case NC_ASSOC_TSCORE: {
            const double e = r * c / nxx;
            v = o > 0 ? (o - e) / sqrt(o) : (e > 0 ? -INFINITY : 0.0);
            break;
        }
        case NC_ASSOC_LOGDICE:
            v = o == 0 ? -INFINITY : 14.0 + log2(2.0 * o / (r + c));
            break;
        case NC_ASSOC_GENSIM:
            v = (r * c == 0) ? -INFINITY : (o - min_count) / (r * c) * vocab_size;
            break;
        default:
            v = NAN;
        }
        out[i] = v;
    }
    return NC_OK;
}

/* ------------------------------------------------------------------ */
/* Incomplete gamma                                                     */
/* ------------------------------------------------------------------ */

#define GAMMA_MAX_ITER 100000000L

/* P(a, x) by its power series, for x < a + 1:
 * P = x^a e^-x / Gamma(a+1) * sum_n x^n / ((a+1)...(a+n)). */
static double gamma_p_series(double a, double x)
{
    double term = 1.0, sum = 1.0;
    for (long n = 1; n < GAMMA_MAX_ITER; n++) {
        term *= x / (a + n);
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return dpois_raw(a, x) * sum;
}

/* Q(a, x) by Legendre's continued fraction (modified Lentz), x >= a + 1:
 * Q = x^a e^-x / Gamma(a) / (x + 1 - a - 1(1-a)/(x + 3 - a - 2(2-a)/...)). */
static double gamma_q_cf(double a, double x)
{
    const double tiny = 1e-300;
    double bcur = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / bcur, h = d;
    for (long i = 1; i < GAMMA_MAX_ITER; i++) {
        const double an = -(double)i * ((double)i - a);
        bcur += 2.0;
        d = an * d + bcur;
        if (fabs(d) < tiny)
            d = tiny;
        c = bcur + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return a * dpois_raw(a, x) * h;
}

double nc_gamma_p(double a, double x)
{
    if (!(a > 0) || !isfinite(a) || isnan(x) || x < 0)
        return NAN;
    if (x == 0)
        return 0.0;
    if (isinf(x))
        return 1.0;
    return x < a + 1.0 ? gamma_p_series(a, x) : 1.0 - gamma_q_cf(a, x);
}

double nc_gamma_q(double a, double x)
{
    if (!(a > 0) || !isfinite(a) || isnan(x) || x < 0)
        return NAN;
    if (x == 0)
        return 1.0;
    if (isinf(x))
        return 0.0;
    return x < a + 1.0 ? 1.0 - gamma_p_series(a, x) : gamma_q_cf(a, x);
}

/* Lower-tail standard normal quantile, only for starting points
 * (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4). */
static double rough_norm_quantile(double p)
{
    if (p > 0.5)
        return -rough_norm_quantile(1.0 - p);
    const double t = sqrt(-2.0 * log(p));
    return -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                     (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
}

/* Solves P(a, x) = prob (upper = 0) or Q(a, x) = prob (upper = 1), with
 * 0 < prob < 1. h(x) = P - prob or prob - Q is increasing with derivative
 * the gamma density; Newton steps that leave the current bracket are
 * replaced by bisection (geometric when the bracket spans decades). */
static double gamma_inv(double a, double prob, int upper)
{
    /* Starting point: Wilson-Hilferty, or the small-x form
     * P ~ x^a / Gamma(a + 1) for small a and small lower tails. */
    const double z = upper ? -rough_norm_quantile(prob) : rough_norm_quantile(prob);
    const double w = 1.0 - 1.0 / (9.0 * a) + z / (3.0 * sqrt(a));
    double x = a * w * w * w;
    const double plow = upper ? 1.0 - prob : prob;
    if (!(x > 0) || (a < 1.0 && plow < 0.3)) {
        const double lx = (log(plow) + lgamma1p_pos(a)) / a;
        if (!upper && lx < -745.0)
            return 0.0; /* the quantile underflows (P ~ x^a / Gamma(a+1)) */
        x = exp(lx);
    }
    if (!(x > 0) || !isfinite(x))
        x = a;

    double lo = 0.0, hi = x;
    for (;;) { /* make hi an upper end of the bracket */
        const double hv = upper ? prob - nc_gamma_q(a, hi) : nc_gamma_p(a, hi) - prob;
        if (hv >= 0)
            break;
        lo = hi;
        hi = hi * 2.0 + 1.0;
        if (!isfinite(hi))
            return INFINITY;
    }
    if (!(x > lo && x < hi))
        x = 0.5 * (lo + hi);
    for (int it = 0; it < 400; it++) {
        const double hv = upper ? prob - nc_gamma_q(a, x) : nc_gamma_p(a, x) - prob;
        if (hv == 0)
            return x;
        if (hv < 0)
            lo = x;
        else
            hi = x;
        const double dens = a * dpois_raw(a, x) / x;
        double xn = x - hv / dens;
        if (!(xn > lo && xn < hi))
            xn = (lo > 0 && hi > 4.0 * lo) ? sqrt(lo * hi) : 0.5 * (lo + hi);
        if (fabs(xn - x) <= 4.0 * DBL_EPSILON * xn || hi - lo <= 4.0 * DBL_EPSILON * hi)
            return xn;
        x = xn;
    }
    return x;
}

double nc_gamma_p_inv(double a, double p)
{
    if (!(a > 0) || !isfinite(a) || !(p >= 0 && p <= 1))
        return NAN;
    if (p == 0)
        return 0.0;
    if (p == 1)
        return INFINITY;
    return p <= 0.5 ? gamma_inv(a, p, 0) : gamma_inv(a, 1.0 - p, 1);
}

double nc_gamma_q_inv(double a, double q)
{
    if (!(a > 0) || !isfinite(a) || !(q >= 0 && q <= 1))
        return NAN;
    if (q == 1)
        return 0.0;
    if (q == 0)
        return INFINITY;
    return q <= 0.5 ? gamma_inv(a, q, 1) : gamma_inv(a, 1.0 - q, 0);
}

double nc_chi2_quantile(double p, double df)
{
    if (!(df > 0) || !isfinite(df))
        return NAN;
    return 2.0 * nc_gamma_p_inv(0.5 * df, p);
}

nc_status nc_poisson_ci(const double *counts, const double *exposure,
                        size_t n, double conf, double *lower_out,
                        double *upper_out)
{
    if (!(conf > 0 && conf < 1))
        return NC_EINVAL;
    if (n && (!counts || !lower_out || !upper_out))
        return NC_EINVAL;
    for (size_t i = 0; i < n; i++) {
        const double e = exposure ? exposure[i] : 1.0;
        if (!is_count(counts[i]) || !is_count(e) || (e == 0 && counts[i] > 0))
            return NC_EINVAL;
    }
    const double half = 0.5 * (1.0 - conf);
    for (size_t i = 0; i < n; i++) {
        const double k = counts[i], e = exposure ? exposure[i] : 1.0;
        if (e == 0) {
            lower_out[i] = upper_out[i] = NAN;
            continue;
        }
        lower_out[i] = k > 0 ? gamma_inv(k, half, 0) / e : 0.0;
        upper_out[i] = gamma_inv(k + 1.0, half, 1) / e;
    }
    return NC_OK;
}

/* ------------------------------------------------------------------ */
/* Poisson trend                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    const double *y, *t, *x;
    size_t ng;
    double xbar, sx; /* standardization of x over groups with tokens */
} trend_data;

/* Log-likelihood without the constant -sum ln y!, at (b0, b1) on the
 * standardized scale; -inf when mu overflows. */
static double trend_loglik(const trend_data *d, double b0, double b1)
{
    double l = 0.0;
    for (size_t g = 0; g < d->ng; g++) {
        if (d->t[g] == 0)
            continue;
        const double eta = b0 + b1 * (d->x[g] - d->xbar) / d->sx;
        const double mu = d->t[g] * exp(eta);
        if (!isfinite(mu))
            return -INFINITY;
        if (d->y[g] > 0)
            l += d->y[g] * (log(d->t[g]) + eta);
        l -= mu;
    }
    return l;
}

/* Score and Fisher information at (b0, b1). */
static void trend_derivs(const trend_data *d, double b0, double b1,
                         double g[2], double h[3])
{
    g[0] = g[1] = h[0] = h[1] = h[2] = 0.0;
    for (size_t i = 0; i < d->ng; i++) {
        if (d->t[i] == 0)
            continue;
        const double z = (d->x[i] - d->xbar) / d->sx;
        const double mu = d->t[i] * exp(b0 + b1 * z);
        g[0] += d->y[i] - mu;
        g[1] += (d->y[i] - mu) * z;
        h[0] += mu;
        h[1] += mu * z;
        h[2] += mu * z * z;
    }
}

static void trend_one(const trend_data *d, nc_trend_result *r)
{
    double ysum = 0.0, tsum = 0.0, xlo = INFINITY, xhi = -INFINITY;
    for (size_t g = 0; g < d->ng; g++) {
        if (d->t[g] == 0)
            continue;
        ysum += d->y[g];
        tsum += d->t[g];
        xlo = fmin(xlo, d->x[g]);
        xhi = fmax(xhi, d->x[g]);
    }
    r->iterations = 0;
    if (ysum == 0) {
        r->slope = 0.0, r->se = NAN, r->z = 0.0, r->p = 1.0;
        r->intercept = -INFINITY, r->lr = 0.0, r->lr_p = 1.0;
        r->status = NC_TREND_ALL_ZERO;
        return;
    }
    /* The MLE exists iff the count-weighted mean of x lies strictly
     * between min x and max x, i.e. unless every occurrence sits in the
     * groups at one end. Then the likelihood keeps rising as the slope
     * goes to +-inf; its supremum gives LR = 2 Y ln(T / T_end). */
    double yhi = 0.0, thi = 0.0, ylo = 0.0, tlo = 0.0;
    for (size_t g = 0; g < d->ng; g++) {
        if (d->t[g] == 0)
            continue;
        if (d->x[g] == xhi)
            yhi += d->y[g], thi += d->t[g];
        if (d->x[g] == xlo)
            ylo += d->y[g], tlo += d->t[g];
    }
    if (yhi == ysum || ylo == ysum) {
        const int up = yhi == ysum;
        r->slope = up ? INFINITY : -INFINITY;
        r->se = INFINITY, r->z = NAN, r->p = NAN, r->intercept = NAN;
        r->lr = 2.0 * ysum * log(tsum / (up ? thi : tlo));
        r->lr_p = nc_chi2_sf(r->lr, 1.0);
        r->status = NC_TREND_SEPARATED;
        return;
    }

    const double b00 = log(ysum / tsum); /* null model: common rate */
    double b0 = b00, b1 = 0.0, l = trend_loglik(d, b0, b1);
    double g[2], h[3];
    nc_trend_status st = NC_TREND_NOT_CONVERGED;
    int it;
    for (it = 1; it <= 200; it++) {
        trend_derivs(d, b0, b1, g, h);
        const double det = h[0] * h[2] - h[1] * h[1];
        if (!(det > 0))
            break;
        const double d0 = (h[2] * g[0] - h[1] * g[1]) / det;
        const double d1 = (h[0] * g[1] - h[1] * g[0]) / det;
        double s = 1.0, nl = -INFINITY;
        for (int half = 0; half < 60; half++, s *= 0.5) {
            nl = trend_loglik(d, b0 + s * d0, b1 + s * d1);
            if (nl >= l - 1e-12 * fabs(l))
                break;
        }
        b0 += s * d0;
        b1 += s * d1;
        l = nl;
        if (fabs(s * d0) + fabs(s * d1) < 1e-11 * (1.0 + fabs(b0) + fabs(b1))) {
            st = NC_TREND_OK;
            break;
        }
    }
    r->iterations = it > 200 ? 200 : it;
    trend_derivs(d, b0, b1, g, h);
    const double det = h[0] * h[2] - h[1] * h[1];
    const double se1 = sqrt(h[0] / det); /* [I^-1]_11 on the standardized scale */
    r->slope = b1 / d->sx;
    r->se = se1 / d->sx;
    r->z = b1 / se1;
    r->p = norm_p2(r->z);
    r->intercept = b0 - b1 * d->xbar / d->sx;
    /* LR = 2 sum [y (eta - eta0) - (mu - mu0)], exact and without the
     * large common terms. */
    double lr = 0.0;
    for (size_t i = 0; i < d->ng; i++) {
        if (d->t[i] == 0)
            continue;
        const double eta = b0 + b1 * (d->x[i] - d->xbar) / d->sx;
        lr += d->y[i] * (eta - b00) - d->t[i] * (exp(eta) - exp(b00));
    }
    r->lr = fmax(0.0, 2.0 * lr);
    r->lr_p = nc_chi2_sf(r->lr, 1.0);
    r->status = st;
}

nc_status nc_trend_poisson(const double *counts, size_t nterms,
                           size_t ngroups, const double *tokens,
                           const double *x, nc_trend_result *out)
{
    if (!tokens || !x || (nterms && (!counts || !out)))
        return NC_EINVAL;
    if (nterms && ngroups > SIZE_MAX / nterms)
        return NC_ERANGE;
    double xsum = 0.0, xmin = INFINITY, xmax = -INFINITY;
    size_t used = 0;
    for (size_t g = 0; g < ngroups; g++) {
        if (!is_count(tokens[g]) || !isfinite(x[g]))
            return NC_EINVAL;
        if (tokens[g] > 0) {
            used++;
            xsum += x[g];
            xmin = fmin(xmin, x[g]);
            xmax = fmax(xmax, x[g]);
        }
    }
    if (used < 2 || !(xmax > xmin))
        return NC_EINVAL;
    for (size_t i = 0; i < nterms * ngroups; i++) {
        const double y = counts[i];
        if (!is_count(y) || (y > 0 && tokens[i % ngroups] == 0))
            return NC_EINVAL;
    }
    trend_data d = {NULL, tokens, x, ngroups, xsum / (double)used, 0.0};
    double ss = 0.0;
    for (size_t g = 0; g < ngroups; g++)
        if (tokens[g] > 0)
            ss += (x[g] - d.xbar) * (x[g] - d.xbar);
    d.sx = sqrt(ss / (double)used);
    if (!(d.sx > 0))
        return NC_EINVAL;
    for (size_t i = 0; i < nterms; i++) {
        d.y = counts + i * ngroups;
        trend_one(&d, &out[i]);
    }
    return NC_OK;
}

/* ------------------------------------------------------------------ */
/* Dispersion                                                           */
/* ------------------------------------------------------------------ */

nc_status nc_dispersion(const double *freq, size_t nterms, size_t nparts,
                        const double *sizes, nc_dispersion_result *out)
{
    if (!sizes || (nterms && (!freq || !out)))
        return NC_EINVAL;
    if (nterms && nparts > SIZE_MAX / nterms)
        return NC_ERANGE;
    double stot = 0.0, smin = INFINITY;
    size_t n = 0;
    for (size_t j = 0; j < nparts; j++) {
        if (!is_count(sizes[j]))
            return NC_EINVAL;
        if (sizes[j] > 0) {
            n++;
            stot += sizes[j];
            smin = fmin(smin, sizes[j]);
        }
    }
    if (n < 2)
        return NC_EINVAL;
    for (size_t i = 0; i < nterms * nparts; i++)
        if (!is_count(freq[i]) || (freq[i] > 0 && sizes[i % nparts] == 0))
            return NC_EINVAL;
    const double emin = smin / stot;
    for (size_t t = 0; t < nterms; t++) {
        const double *v = freq + t * nparts;
        nc_dispersion_result *r = &out[t];
        double vtot = 0.0, mean = 0.0;
        r->range = 0;
        for (size_t j = 0; j < nparts; j++) {
            if (sizes[j] == 0)
                continue;
            vtot += v[j];
            mean += v[j] / sizes[j];
            r->range += v[j] > 0;
        }
        if (vtot == 0) {
            r->dp = r->dp_norm = r->juilland_d = NAN;
            continue;
        }
        mean /= (double)n;
        double dev = 0.0, ss = 0.0;
        for (size_t j = 0; j < nparts; j++) {
            if (sizes[j] == 0)
                continue;
            dev += fabs(v[j] / vtot - sizes[j] / stot);
            const double q = v[j] / sizes[j] - mean;
            ss += q * q;
        }
        r->dp = 0.5 * dev;
        r->dp_norm = r->dp / (1.0 - emin);
        const double cv = sqrt(ss / (double)n) / mean;
        r->juilland_d = 1.0 - cv / sqrt((double)(n - 1));
    }
    return NC_OK;
}
