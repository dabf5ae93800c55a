/* The plain-text word segmenter (plain_words.h) gives exactly ICU's word
 * segments and rule statuses, and segmentation with it gives exactly the
 * tokens of segmentation through ICU's iterator alone. */
#include "testutil.h"

#include <unicode/ubrk.h>

#include "segment/plain_words.h"
#include "text/scan16.h"
#include "segment/segment.h"

static void test_classes_agree(void **state)
{
    (void)state;
    size_t plain = 0;
    for (uint32_t c = 0; c <= 0xFFFF; c++) {
        int known = nc_pw_class_of((UChar)c) != NC_PW_NONE;
        /* the vector scan of plain_words.c stops exactly at the units the table
         * leaves to ICU */
        UChar run[9] = {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'};
        for (size_t k = 0; k < 8; k++)
            run[k] = (UChar)c;
        assert_int_equal(nc_find_not_word_plain(run, 0, 9), known ? 9 : 0);
        plain += (size_t)known;
    }
    /* ASCII, 62 Latin-1 letters, NBSP, guillemets, 2 dashes, 4 quotes */
    assert_int_equal(plain, 128 + 62 + 3 + 2 + 4);
    assert_true(nc_plain_words_match_icu());
}

/* Segments and statuses of s[0..n) from both, compared; returns the number
 * of segments. */
static size_t compare(UBreakIterator *bi, const UChar *s, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(bi, s, (int32_t)n, &st);
    assert_true(U_SUCCESS(st));
    size_t i = 0, segs = 0;
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi), segs++) {
        int32_t status = -1;
        size_t e = nc_plain_word_end(s, i, n, &status);
        if (e != (size_t)b || status != ubrk_getRuleStatus(bi)) {
            char *u8 = tu_utf8(s, n);
            fail_msg("segment at %zu of \"%s\" (units %04x..): ICU ends it at %d status %d, "
                     "plain_words at %zu status %d",
                     i, u8, s[0], b, ubrk_getRuleStatus(bi), e, status);
        }
        i = e;
    }
    assert_int_equal(i, n);
    return segs;
}

static UBreakIterator *root_words(void)
{
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    assert_true(U_SUCCESS(st));
    return bi;
}

/* Every ASCII string of up to three units. */
static void test_every_short_ascii_string(void **state)
{
    (void)state;
    UBreakIterator *bi = root_words();
    UChar s[3];
    size_t strings = 0;
    for (size_t len = 1; len <= 3; len++) {
        size_t total = (size_t)1 << (7 * len);
        for (size_t k = 0; k < total; k++, strings++) {
            for (size_t i = 0; i < len; i++)
                s[i] = (UChar)(k >> (7 * i) & 0x7F);
            compare(bi, s, len);
        }
    }
    assert_int_equal(strings, 128 + 128 * 128 + 128 * 128 * 128);
    ubrk_close(bi);
}

/* Every string of up to five units over one or two of each class, and
 * random longer ones over every plain unit. */
static void test_class_strings_and_random_plain_text(void **state)
{
    (void)state;
    static const UChar reps[] = {' ', 'a', 'Z', 0xE9, '7', '_', '.', '\'', 0x2019, ',', ';',
                                 ':', '"', '\r', '\n', '-', 0xA0, 0x2014};
    const size_t nr = sizeof reps / sizeof *reps;
    UBreakIterator *bi = root_words();
    UChar s[64];
    size_t joined = 0; /* segments longer than one unit that are not spaces */
    for (size_t len = 1; len <= 5; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= nr;
        for (size_t k = 0; k < total; k++) {
            size_t x = k;
            for (size_t i = 0; i < len; i++, x /= nr)
                s[i] = reps[x % nr];
            compare(bi, s, len);
        }
    }
    UChar plain[256];
    size_t np = 0;
    for (uint32_t c = 0; c <= 0xFFFF; c++)
        if (nc_is_word_plain((UChar)c))
            plain[np++] = (UChar)c;
    /* the units that join runs, '@' (a letter to ICU's rules) and both
     * curly single quotes among them */
    static const UChar joins[] = {'a', 'Z', 0xE9, '7', '_', '.', '\'', 0x2019, 0x2018, ',', ';', '@'};
    const size_t nj = sizeof joins / sizeof *joins;
    uint64_t rng = 0x2545F4914F6CDD1DULL;
    for (int k = 0; k < 100000; k++) {
        size_t len = 1 + (size_t)(tu_lcg(&rng) >> 58);
        for (size_t i = 0; i < len; i++) {
            uint64_t r = tu_lcg(&rng);
            /* mostly the units that join, so runs get long */
            s[i] = (r >> 60) < 12 ? joins[(r >> 33) % nj] : plain[(r >> 33) % np];
        }
        size_t segs = compare(bi, s, len);
        joined += segs < len;
    }
    assert_true(joined > 50000);
    ubrk_close(bi);
}

/* Tokens compared field by field (the struct has padding). */
static int same_tokens(const nc_segworker *a, const nc_segworker *b)
{
    if (a->ntoks != b->ntoks)
        return 0;
    for (size_t i = 0; i < a->ntoks; i++) {
        const nc_rawtok *x = &a->toks[i], *y = &b->toks[i];
        if (x->start != y->start || x->end != y->end || x->sentence != y->sentence ||
            x->kind != y->kind || x->barrier != y->barrier)
            return 0;
    }
    return 1;
}

static nc_segmenter *mkseg(int keep_punct, nc_hyphen_mode hy, int plain)
{
    nc_seg_options o = {"en", 0, keep_punct, 1, 0, hy, NULL, 0, 1};
    nc_segmenter *s = NULL;
    UErrorCode icu;
    assert_int_equal(nc_segmenter_new(&o, &s, &icu), NC_OK);
    assert_true(nc_segmenter_plain_words(s));
    if (!plain) {
        nc_segmenter_set_plain_words(s, 0);
        assert_false(nc_segmenter_plain_words(s));
    }
    return s;
}

/* Whole segmentation with and without the plain path, on random texts of
 * plain words and of characters with rules of their own (combining and
 * format marks, ZWJ and emoji, other scripts with and without dictionary
 * breaking, Hebrew quotes, Katakana, other spaces, line separators, lone
 * surrogates) next to spaces, periods and apostrophes. */
static void test_segmentation_same_with_and_without_plain_path(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "a", "NATO", "cyber", "U.S.", "e.g.", "G7", "1,000", "3.5", "x_y", "_", ".", ",", "'",
        "\xe2\x80\x99", "s", " ", " ", " ", "  ", "-", "\xe2\x80\x94", "\r\n", "\n", "\t", "\"",
        "\xc3\xa9t\xc3\xa9", "\xc2\xa0", "\xc2\xab", "\xc2\xbb", "\xe2\x80\x9c", "\xe2\x80\x9d",
        "\xcc\x81", "\xc2\xad", "\xe2\x80\x8d", "\xe2\x80\x8b", "\xef\xb8\x8f", "\xf0\x9f\x98\x80",
        "\xf0\x9f\x87\xba", "\xd0\x9d\xd0\x90\xd0\xa2\xd0\x9e", "\xe5\x8c\x97\xe7\xba\xa6",
        "\xe0\xb8\x99\xe0\xb8\xb2\xe0\xb9\x82\xe0\xb8\x95", "\xd7\xa9\xd7\x9c", "\xe3\x82\xab\xe3\x83\x8a",
        "\xe3\x80\x80", "\xe2\x80\x87", "\xe2\x80\xa8", "\xc2\x85", "\xc2\xb7", "\xc2\xa9", "\xc3\x97",
        "\xe2\x80\xa4", "\xef\xbc\x8e", "\xd9\xa3", "\xef\xbc\x91", "Wroc\xc5\x82" "aw",
        "\xc5\xbc\xc3\xb3\xc5\x82w", "p\xc5\x99\xc3\xadli\xc5\xa1"};
    const size_t nparts = sizeof parts / sizeof *parts;
    uint64_t rng_texts = 0x9E3779B97F4A7C15ULL;
    size_t tokens = 0;
    for (int variant = 0; variant < 4; variant++) {
        int keep_punct = variant & 1;
        nc_hyphen_mode hy = variant & 2 ? NC_HYPHEN_SPLIT : NC_HYPHEN_KEEP;
        nc_segmenter *fast = mkseg(keep_punct, hy, 1), *icu = mkseg(keep_punct, hy, 0);
        nc_segworker wf, wi;
        assert_int_equal(nc_segworker_init(&wf, fast), NC_OK);
        assert_int_equal(nc_segworker_init(&wi, icu), NC_OK);
        char buf[2048];
        for (int k = 0; k < 10000; k++) {
            /* 0..127 parts, mostly plain words and spaces, so plain runs
             * and other stretches alternate */
            tu_random_parts(buf, parts, nparts, 31, 57, &rng_texts);
            size_t n;
            UChar *u = tu_u16(buf, &n);
            /* a lone surrogate now and then */
            uint64_t rng = tu_lcg(&rng_texts);
            if (n > 3 && (rng >> 40) % 8 == 0)
                u[(rng >> 20) % n] = (rng >> 50) % 2 ? 0xD83D : 0xDE00;
            nc_text t;
            nc_text_init(&t);
            assert_int_equal(nc_text_set(&t, 2, u, n), NC_OK);
            assert_int_equal(nc_segment(&wf, &t), NC_OK);
            assert_int_equal(nc_segment(&wi, &t), NC_OK);
            if (!same_tokens(&wf, &wi))
                fail_msg("plain path and ICU differ (variant %d) on \"%s\"", variant, buf);
            tokens += wi.ntoks;
            nc_text_free(&t);
            free(u);
        }
        nc_segworker_free(&wf);
        nc_segworker_free(&wi);
        nc_segmenter_free(fast);
        nc_segmenter_free(icu);
    }
    assert_true(tokens > 500000);
}

/* Locales with word rules of their own segment through ICU alone. */
static void test_other_rules_use_icu(void **state)
{
    (void)state;
    const char *locales[] = {"fi", "sv", "en_US_POSIX"};
    for (size_t i = 0; i < 3; i++) {
        nc_seg_options o = {locales[i], 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
        nc_segmenter *s = NULL;
        UErrorCode icu;
        assert_int_equal(nc_segmenter_new(&o, &s, &icu), NC_OK);
        assert_false(nc_segmenter_plain_words(s));
        nc_segmenter_set_plain_words(s, 1);
        assert_false(nc_segmenter_plain_words(s));
        nc_segmenter_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes_agree),
        cmocka_unit_test(test_every_short_ascii_string),
        cmocka_unit_test(test_class_strings_and_random_plain_text),
        cmocka_unit_test(test_segmentation_same_with_and_without_plain_path),
        cmocka_unit_test(test_other_rules_use_icu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
