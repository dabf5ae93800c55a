/* nc_normalize: NFKC case folding (or NFKC when case is kept), one
 * apostrophe, one hyphen, U+FFFD for lone surrogates, Snowball stemming. */
#include "testutil.h"

#include <unicode/unorm2.h>

#include "tokens/normalize.h"

typedef struct {
    nc_normalizer fold, keep, stem;
} norms;

static int setup(void **state)
{
    norms *n = tu_xmalloc(sizeof *n);
    nc_norm_options of = {0, NULL}, ok = {1, NULL}, os = {0, "english"};
    if (nc_normalizer_init(&n->fold, &of) || nc_normalizer_init(&n->keep, &ok) ||
        nc_normalizer_init(&n->stem, &os))
        return -1;
    *state = n;
    return 0;
}

static int teardown(void **state)
{
    norms *n = *state;
    nc_normalizer_free(&n->fold);
    nc_normalizer_free(&n->keep);
    nc_normalizer_free(&n->stem);
    free(n);
    return 0;
}

/* Normalized UTF-8 of a UTF-8 input (malloc'd), checking the contract:
 * NUL-terminated, *outlen bytes. */
static char *norm(nc_normalizer *n, const char *u8)
{
    size_t len;
    UChar *u = tu_u16(u8, &len);
    const char *out = NULL;
    size_t outlen = 12345;
    assert_int_equal(nc_normalize(n, u, len, &out, &outlen), NC_OK);
    free(u);
    assert_non_null(out);
    assert_int_equal(strlen(out), outlen);
    return strdup(out);
}

static char *norm_stem(nc_normalizer *n, const char *u8)
{
    size_t len;
    UChar *u = tu_u16(u8, &len);
    const char *out;
    size_t outlen;
    assert_int_equal(nc_normalize(n, u, len, &out, &outlen), NC_OK);
    assert_int_equal(nc_stem(n, out, outlen, &out, &outlen), NC_OK);
    free(u);
    assert_int_equal(strlen(out), outlen);
    return strdup(out);
}

static void test_ascii_fast_path(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->fold, "NATO"), "nato");
    assert_str_take(norm(&n->fold, "Cyber-Attack's 2024!"), "cyber-attack's 2024!");
    assert_str_take(norm(&n->fold, "@[`{"), "@[`{"); /* neighbours of A-Z, a-z untouched */
    assert_str_take(norm(&n->keep, "NATO Allies"), "NATO Allies");
    assert_str_take(norm(&n->fold, ""), "");
    assert_str_take(norm(&n->keep, ""), "");
}

static void test_nfkc_casefold(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->fold, "ＮＡＴＯ"), "nato");       /* full-width */
    assert_str_take(norm(&n->fold, "ﬁnal"), "final");         /* ligature */
    assert_str_take(norm(&n->fold, "STRAẞE"), "strasse");     /* capital sharp s */
    assert_str_take(norm(&n->fold, "Straße"), "strasse");
    assert_str_take(norm(&n->fold, "Ελλάδα"), "ελλάδα");
    assert_str_take(norm(&n->fold, "①"), "1");
    assert_str_take(norm(&n->fold, "㎞"), "km");
    /* composed and decomposed forms meet */
    assert_str_take(norm(&n->fold, "Cafe\xCC\x81"), "café");
    assert_str_take(norm(&n->fold, "CAFÉ"), "café");
}

static void test_keep_case_still_nfkc(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->keep, "ＮＡＴＯ"), "NATO");
    assert_str_take(norm(&n->keep, "ﬁnal"), "final");
    assert_str_take(norm(&n->keep, "Straße"), "Straße");
    assert_str_take(norm(&n->keep, "STRAẞE"), "STRAẞE");
    assert_str_take(norm(&n->keep, "Cafe\xCC\x81"), "Café");
    assert_str_take(norm(&n->keep, "NATO’s"), "NATO's");
    assert_str_take(norm(&n->keep, "Cyber–Attack"), "Cyber-Attack");
}

static void test_apostrophes(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->fold, "Russia’s"), "russia's");   /* U+2019 */
    assert_str_take(norm(&n->fold, "‘quoted"), "'quoted");     /* U+2018 */
    assert_str_take(norm(&n->fold, "Russiaʼs"), "russia's");   /* U+02BC */
    assert_str_take(norm(&n->fold, "Russia‛s"), "russia's");   /* U+201B */
    assert_str_take(norm(&n->fold, "Russia＇s"), "russia's");  /* U+FF07 */
    assert_true(nc_is_apostrophe(0x27));
    assert_true(nc_is_apostrophe(0x2019));
    assert_true(nc_is_apostrophe(0x2018));
    assert_true(nc_is_apostrophe(0x02BC));
    assert_false(nc_is_apostrophe(0x201C)); /* a double quote is no apostrophe */
    assert_false(nc_is_apostrophe('`'));
}

static void test_dashes(void **state)
{
    norms *n = *state;
    const char *dashes[] = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015",
                            "\u2212", "\uFE58", "\uFE63", "\uFF0D"};
    for (size_t i = 0; i < sizeof dashes / sizeof *dashes; i++) {
        char in[32];
        snprintf(in, sizeof in, "Cyber%sattack", dashes[i]);
        assert_str_take(norm(&n->fold, in), "cyber-attack");
        assert_str_take(norm(&n->keep, in), "Cyber-attack");
    }
    for (UChar c = 0x2010; c <= 0x2015; c++)
        assert_true(nc_is_dash(c));
    assert_true(nc_is_dash('-'));
    assert_true(nc_is_dash(0x2212));
    assert_false(nc_is_dash(0x2016));
    assert_false(nc_is_dash(0x200F));
    assert_false(nc_is_dash('_'));
}

/* NFKC_Casefold removes default-ignorable characters that CMS editors leave
 * inside words. */
static void test_soft_hyphen_removed(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->fold, "co\u00ADordinated"), "coordinated");
    assert_str_take(norm(&n->fold, "Cyber\u00ADAt\u00ADtack"), "cyberattack");
    assert_str_take(norm(&n->fold, "a\u200Db"), "ab"); /* zero-width joiner */
}

/* Regression (fixed; csrc/normalize.c, nc_normalize): with keep_case the normalizer runs
 * plain NFKC, which keeps U+00AD SOFT HYPHEN and U+200D ZWJ, so
 * "Co\u00ADordinated" and "Coordinated" become different vocabulary entries
 * that print the same. NFKC_Casefold (the default) removes them. */
static void test_keep_case_drops_soft_hyphen(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->keep, "Co\u00ADordinated"), "Coordinated");
    assert_str_take(norm(&n->keep, "a\u200Db"), "ab");
}

static void test_lone_surrogates(void **state)
{
    norms *n = *state;
    const UChar s[] = {'A', 0xD800, 'b'};
    const char *out;
    size_t len;
    assert_int_equal(nc_normalize(&n->fold, s, 3, &out, &len), NC_OK);
    assert_int_equal(len, 5);
    assert_string_equal(out, "a\xEF\xBF\xBD" "b");
    assert_int_equal(nc_normalize(&n->keep, s, 3, &out, &len), NC_OK);
    assert_string_equal(out, "A\xEF\xBF\xBD" "b");
    const UChar t[] = {0xDC00};
    assert_int_equal(nc_normalize(&n->fold, t, 1, &out, &len), NC_OK);
    assert_string_equal(out, "\xEF\xBF\xBD");
    /* reversed pair: two lone surrogates, two replacement characters */
    const UChar r[] = {0xDE00, 0xD83D, 'x'};
    assert_int_equal(nc_normalize(&n->fold, r, 3, &out, &len), NC_OK);
    assert_string_equal(out, "\xEF\xBF\xBD\xEF\xBF\xBDx");
    /* a proper pair is kept */
    const UChar p[] = {0xD83D, 0xDE00};
    assert_int_equal(nc_normalize(&n->fold, p, 2, &out, &len), NC_OK);
    assert_string_equal(out, "😀");
}

/* NFKC can expand a string beyond 3x (U+3316 SQUARE KIROMEETORU becomes six
 * characters): the buffers grow and the output equals ICU's own
 * normalization. */
static void test_large_expansion(void **state)
{
    norms *n = *state;
    size_t k = 300;
    UChar *s = tu_xmalloc(k * sizeof *s);
    for (size_t i = 0; i < k; i++)
        s[i] = 0x3316;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
    int32_t need = unorm2_normalize(nf, s, (int32_t)k, NULL, 0, &st);
    assert_true(need > (int32_t)(3 * k + 8));
    UChar *want16 = tu_xmalloc((size_t)need * sizeof *want16);
    st = U_ZERO_ERROR;
    unorm2_normalize(nf, s, (int32_t)k, want16, need, &st);
    char *want = tu_utf8(want16, (size_t)need);
    const char *out;
    size_t len;
    assert_int_equal(nc_normalize(&n->fold, s, k, &out, &len), NC_OK);
    assert_int_equal(len, strlen(want));
    assert_string_equal(out, want);
    /* and again, now with grown buffers, then a short one */
    assert_int_equal(nc_normalize(&n->fold, s, k, &out, &len), NC_OK);
    assert_string_equal(out, want);
    assert_str_take(norm(&n->fold, "ＯＫ"), "ok");
    free(want);
    free(want16);
    free(s);
}

/* ICU's normalization of s[0..len) with nf, or of its case folding when
 * fold (malloc'd UTF-16 in *out). */
static size_t icu_norm(const UNormalizer2 *nf, int fold, const UChar *s, int32_t len, UChar **out)
{
    UChar src[64], buf[256];
    if (fold) {
        UErrorCode st = U_ZERO_ERROR;
        len = u_strFoldCase(src, 64, s, len, U_FOLD_CASE_DEFAULT, &st);
        assert_true(U_SUCCESS(st));
        s = src;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = unorm2_normalize(nf, s, len, buf, 256, &st);
    assert_true(U_SUCCESS(st));
    *out = tu_xmalloc(((size_t)n + 1) * sizeof **out);
    memcpy(*out, buf, (size_t)n * sizeof **out);
    return (size_t)n;
}

static int has_white16(const UChar *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (u_isUWhiteSpace(s[i]))
            return 1;
    return 0;
}

static int has_white8(const char *u8)
{
    size_t n;
    UChar *u = tu_u16(u8, &n);
    int r = has_white16(u, n);
    free(u);
    return r;
}

static void test_white_and_invisible_match_icu(void **state)
{
    (void)state;
    for (UChar32 c = 0; c <= 0xFFFF; c++)
        if (nc_is_white((UChar)c) != (u_isUWhiteSpace(c) != 0))
            fail_msg("nc_is_white(U+%04X) disagrees with ICU", (unsigned)c);
    for (UChar32 c = 0; c <= 0x10FFFF; c++) {
        int icu = u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
        if (nc_is_invisible(c) != icu)
            fail_msg("nc_is_invisible(U+%04X) disagrees with ICU", (unsigned)c);
    }
}

/* Every code point, alone and inside a word: no form holds white space,
 * and only white space and default-ignorable characters vanish. The code
 * points whose NFKC (or NFKC_Casefold) brings white space are counted: 52
 * in Unicode 15.0, among them U+00A8 DIAERESIS (NFKC: space + U+0308),
 * U+00B4 ACUTE ACCENT, U+203E OVERLINE, U+309B KATAKANA-HIRAGANA VOICED SOUND
 * MARK, U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM (four words) and
 * U+FE70 ARABIC FATHATAN ISOLATED FORM. */
static void test_no_white_space_in_any_form(void **state)
{
    norms *n = *state;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&st);
    const UNormalizer2 *nfkccf = unorm2_getNFKCCasefoldInstance(&st);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
    assert_true(U_SUCCESS(st));
    size_t via_nfkc = 0, via_nfkccf = 0;
    int seen[6] = {0};
    const UChar32 examples[6] = {0xA8, 0xB4, 0x203E, 0x309B, 0xFDFA, 0xFE70};
    for (UChar32 c = 0; c <= 0x10FFFF; c++) {
        if (U_IS_SURROGATE(c))
            continue;
        UChar s[4] = {'a'};
        int32_t k = 1;
        U16_APPEND_UNSAFE(s, k, c);
        s[k++] = 'b';
        int white = u_isUWhiteSpace(c) != 0;
        int ignorable = u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;
        UChar *u;
        size_t m = icu_norm(nfkccf, 0, s + 1, k - 2, &u);
        int cf = !white && has_white16(u, m);
        free(u);
        m = icu_norm(nfkc, 0, s + 1, k - 2, &u);
        int kc = !white && has_white16(u, m);
        free(u);
        via_nfkccf += (size_t)cf;
        via_nfkc += (size_t)kc;
        for (int e = 0; e < 6; e++)
            seen[e] |= c == examples[e] && cf && kc;
        /* canonical forms and case folding never bring white space, so the
         * fallback needs no compatibility mapping to get rid of it */
        if (!white) {
            m = icu_norm(nfc, 0, s + 1, k - 2, &u);
            assert_false(has_white16(u, m));
            free(u);
            UChar *d;
            size_t dn = icu_norm(nfd, 0, s + 1, k - 2, &d);
            m = icu_norm(nfc, 1, d, (int32_t)dn, &u);
            assert_false(has_white16(u, m));
            free(u);
            free(d);
        }
        nc_normalizer *norms2[2] = {&n->fold, &n->keep};
        /* an all-ASCII token is not searched for white space: the segmenter
         * never makes one that holds any (see normalize.h) */
        for (int j = 0; j < 2 && !(c < 0x80 && white); j++) {
            const char *out;
            size_t len;
            /* alone, and between two letters */
            assert_int_equal(nc_normalize(norms2[j], s + 1, (size_t)k - 2, &out, &len), NC_OK);
            if (has_white8(out))
                fail_msg("U+%04X: form \"%s\" holds white space", (unsigned)c, out);
            if (len == 0 && !white && !ignorable)
                fail_msg("U+%04X: empty form", (unsigned)c);
            assert_int_equal(nc_normalize(norms2[j], s, (size_t)k, &out, &len), NC_OK);
            if (has_white8(out))
                fail_msg("a U+%04X b: form \"%s\" holds white space", (unsigned)c, out);
            assert_true(len >= 2 && out[len - 1] == 'b');
        }
    }
    assert_int_equal(via_nfkc, via_nfkccf);
    assert_true(via_nfkccf >= 52);
    if (strcmp(U_UNICODE_VERSION, "15.0") == 0)
        assert_int_equal(via_nfkccf, 52);
    for (int e = 0; e < 6; e++)
        assert_true(seen[e]);
}

/* What such tokens become: their canonical form, case folded unless case is
 * kept, and never several words. */
static void test_white_space_fallback(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->fold, "\uFDFA"), "\uFDFA");
    assert_str_take(norm(&n->keep, "\uFDFA"), "\uFDFA");
    assert_str_take(norm(&n->fold, "\u00B4"), "\u00B4");
    assert_str_take(norm(&n->fold, "\uFDFB"), "\uFDFB");
    /* the canonical parts still meet: composed and decomposed, upper and lower */
    assert_str_take(norm(&n->fold, "CAFE\u0301\u00B4"), "caf\u00E9\u00B4");
    assert_str_take(norm(&n->fold, "caf\u00E9\u00B4"), "caf\u00E9\u00B4");
    assert_str_take(norm(&n->keep, "CAFE\u0301\u00B4"), "CAF\u00C9\u00B4");
    assert_str_take(norm(&n->fold, "\u1E9E\u00A8"), "ss\u00A8"); /* capital sharp s folds */
    /* compatibility characters of such a token stay themselves (but for
     * what case folding maps: it spells the ligature fi out) */
    assert_str_take(norm(&n->fold, "\uFF21\u00B4"), "\uFF41\u00B4");
    assert_str_take(norm(&n->keep, "\uFB01\u00B4"), "\uFB01\u00B4");
    assert_str_take(norm(&n->fold, "\uFB01\u00B4"), "fi\u00B4");
    /* apostrophes and dashes are still unified, ignorables still dropped */
    assert_str_take(norm(&n->fold, "A\u2019\u00AD\u2013\u00B4"), "a'-\u00B4");
    assert_str_take(norm(&n->keep, "A\u2019\u00AD\u2013\u00B4"), "A'-\u00B4");
}

/* White space inside a token (U+202F, joined to letters and digits by the
 * word rules) is dropped before NFKC, which then applies as usual. */
static void test_white_space_inside_token(void **state)
{
    norms *n = *state;
    assert_str_take(norm(&n->fold, "10\u202F000"), "10000");
    assert_str_take(norm(&n->fold, "\uFF11\uFF10\u202F\uFF10\uFF10\uFF10"), "10000");
    assert_str_take(norm(&n->keep, "\uFF30aris\u202F"), "Paris");
    assert_str_take(norm(&n->fold, "\u202F\uFF30aris"), "paris");
    assert_str_take(norm(&n->fold, "a_\u202F_b"), "a__b");
    /* and a compatibility character that brings white space as well */
    assert_str_take(norm(&n->fold, "A\u202F\u00B4"), "a\u00B4");
    assert_str_take(norm(&n->keep, "A\u202F\u00B4"), "A\u00B4");
    /* every kind of white space, in both modes */
    for (UChar c = 0x80; c < 0xFFFF; c++) {
        if (!u_isUWhiteSpace(c))
            continue;
        UChar s[] = {0xC9, c, 't', 0xE9};
        const char *out;
        size_t len;
        assert_int_equal(nc_normalize(&n->fold, s, 4, &out, &len), NC_OK);
        assert_string_equal(out, "\u00E9t\u00E9");
        assert_int_equal(nc_normalize(&n->keep, s, 4, &out, &len), NC_OK);
        assert_string_equal(out, "\u00C9t\u00E9");
    }
}

static void test_stemming(void **state)
{
    norms *n = *state;
    assert_str_take(norm_stem(&n->stem, "condemns"), "condemn");
    assert_str_take(norm_stem(&n->stem, "Condemned"), "condemn");
    assert_str_take(norm_stem(&n->stem, "condemning"), "condemn");
    assert_str_take(norm_stem(&n->stem, "attacks"), "attack");
    assert_str_take(norm_stem(&n->stem, "ＡＴＴＡＣＫＳ"), "attack");
    /* without a stemmer nc_stem hands the word back */
    const char *out;
    size_t len;
    assert_int_equal(nc_stem(&n->fold, "condemns", 8, &out, &len), NC_OK);
    assert_int_equal(len, 8);
    assert_memory_equal(out, "condemns", 8);
    /* stemming a word that lives in the normalizer's own buffer */
    assert_int_equal(nc_normalize(&n->stem, (const UChar[]){'R', 'e', 's', 'p', 'o', 'n', 's', 'e', 's'},
                                  9, &out, &len),
                     NC_OK);
    assert_int_equal(nc_stem(&n->stem, out, len, &out, &len), NC_OK);
    assert_string_equal(out, "respons");
}

static void test_stem_languages(void **state)
{
    (void)state;
    int english = 0, count = 0;
    for (const char **l = nc_stem_languages(); *l; l++, count++)
        english |= strcmp(*l, "english") == 0;
    assert_true(english);
    assert_true(count > 10);
    nc_normalizer n;
    nc_norm_options bad = {0, "klingon"};
    assert_int_equal(nc_normalizer_init(&n, &bad), NC_EINVAL);
    nc_normalizer_free(&n);
    nc_norm_options german = {0, "german"};
    assert_int_equal(nc_normalizer_init(&n, &german), NC_OK);
    assert_non_null(n.stemmer);
    assert_str_take(norm_stem(&n, "Häuser"), "haus");
    nc_normalizer_free(&n);
    /* "" means no stemming */
    nc_norm_options none = {0, ""};
    assert_int_equal(nc_normalizer_init(&n, &none), NC_OK);
    assert_null(n.stemmer);
    nc_normalizer_free(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_fast_path),
        cmocka_unit_test(test_nfkc_casefold),
        cmocka_unit_test(test_keep_case_still_nfkc),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_dashes),
        cmocka_unit_test(test_soft_hyphen_removed),
        cmocka_unit_test(test_keep_case_drops_soft_hyphen),
        cmocka_unit_test(test_lone_surrogates),
        cmocka_unit_test(test_large_expansion),
        cmocka_unit_test(test_white_and_invisible_match_icu),
        cmocka_unit_test(test_no_white_space_in_any_form),
        cmocka_unit_test(test_white_space_fallback),
        cmocka_unit_test(test_white_space_inside_token),
        cmocka_unit_test(test_stemming),
        cmocka_unit_test(test_stem_languages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
