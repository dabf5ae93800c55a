/* Conformance of the boundaries natocyber builds on with Unicode's own
 * tests (UAX #29): WordBreakTest.txt and SentenceBreakTest.txt from the
 * Debian package unicode-data (Unicode 15.0, matching ICU 72).
 *
 * Measured with ICU 72.1 and unicode-data 15.0.0:
 *  - words: 1808 of 1823 cases pass. The 15 failures are all a COLON
 *    between letters ("a:b"): UAX #29 makes U+003A MidLetter (no break),
 *    ICU's root rules remove it from MidLetter on purpose (a tailoring, see
 *    ICU's word.txt), so ICU breaks around the colon.
 *  - sentences: 502 of 502 cases pass, with the raw ICU iterator and with
 *    natocyber's sentence pipeline (paragraph_lines=1, no abbreviations),
 *    whose trimmed spans equal ICU's segments trimmed of white space. */
#include "testutil.h"

#include <unicode/ubrk.h>
#include <ctype.h>
#include <unicode/uchar.h>

#include "segment/segment.h"

#define DIR "/usr/share/unicode/auxiliary/"
#define WORD_FILE DIR "WordBreakTest.txt"
#define SENT_FILE DIR "SentenceBreakTest.txt"

#define WORD_CASES 1823
#define WORD_PASS 1808
#define SENT_CASES 502
#define SENT_MULTI 39

typedef struct {
    uint32_t cp[64];
    size_t n;           /* code points */
    uint8_t brk[65];    /* brk[i]: a boundary before code point i (i == n: at the end) */
    int line;
    char text[512];     /* the test line without its comment */
} tcase;

/* Reads the next test case: "÷ 0061 × 003A ÷ ..." with a comment after
 * "#". Returns 0 at the end of the file. */
static int next_case(FILE *f, int *lineno, tcase *c)
{
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        (*lineno)++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        memset(c, 0, sizeof *c);
        c->line = *lineno;
        snprintf(c->text, sizeof c->text, "%.500s", line);
        for (size_t k = strlen(c->text); k > 0 && isspace((unsigned char)c->text[k - 1]); k--)
            c->text[k - 1] = 0;
        char *p = line;
        int any = 0;
        while (*p) {
            if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0xB7) { /* ÷ */
                c->brk[c->n] = 1;
                p += 2;
                any = 1;
            } else if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0x97) { /* × */
                c->brk[c->n] = 0;
                p += 2;
            } else if (isxdigit((unsigned char)*p)) {
                char *end;
                unsigned long v = strtoul(p, &end, 16);
                if (c->n >= 64)
                    fail_msg("line %d: too many code points", *lineno);
                c->cp[c->n++] = (uint32_t)v;
                p = end;
            } else if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
                p++;
            } else {
                fail_msg("line %d: unexpected character 0x%02x", *lineno, (unsigned char)*p);
            }
        }
        if (!any)
            continue; /* blank or comment line */
        if (c->n == 0 || !c->brk[0] || !c->brk[c->n])
            fail_msg("line %d: a case must start and end with a break", *lineno);
        return 1;
    }
    return 0;
}

static FILE *open_test_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("%s is missing: install the Debian package unicode-data "
                 "(apt-get install unicode-data); these tests do not skip",
                 path);
    return f;
}

/* UTF-16 of a case, and the UTF-16 offset of each code point. */
static size_t to_u16(const tcase *c, UChar *u, uint32_t *u16_at)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        u16_at[i] = (uint32_t)n;
        if (c->cp[i] > 0xFFFF) {
            u[n++] = U16_LEAD(c->cp[i]);
            u[n++] = U16_TRAIL(c->cp[i]);
        } else {
            u[n++] = (UChar)c->cp[i];
        }
    }
    u16_at[c->n] = (uint32_t)n;
    return n;
}

/* Boundaries of an iterator over u[0..n), as flags per code point. */
static void boundaries(UBreakIterator *bi, const UChar *u, size_t n, const tcase *c,
                       const uint32_t *u16_at, uint8_t *got)
{
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(bi, u, (int32_t)n, &st);
    assert_false(U_FAILURE(st));
    memset(got, 0, c->n + 1);
    for (int32_t b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi)) {
        size_t i = 0;
        while (i <= c->n && u16_at[i] != (uint32_t)b)
            i++;
        if (i > c->n)
            fail_msg("line %d: boundary %d splits a surrogate pair", c->line, b);
        got[i] = 1;
    }
    ubrk_setText(bi, NULL, 0, &st);
}

static int is_letter(uint32_t c)
{
    int wb = u_getIntPropertyValue((UChar32)c, UCHAR_WORD_BREAK);
    return wb == U_WB_ALETTER || wb == U_WB_HEBREW_LETTER;
}

static int is_ignored(uint32_t c)
{
    int wb = u_getIntPropertyValue((UChar32)c, UCHAR_WORD_BREAK);
    return wb == U_WB_EXTEND || wb == U_WB_FORMAT || wb == U_WB_ZWJ;
}

/* 1 if code point i is U+003A with letters on both sides (skipping the
 * Extend/Format/ZWJ characters that WB4 ignores). */
static int colon_between_letters(const tcase *c, size_t i)
{
    if (c->cp[i] != 0x3A)
        return 0;
    size_t a = i;
    while (a > 0 && is_ignored(c->cp[a - 1]))
        a--;
    size_t b = i + 1;
    while (b < c->n && is_ignored(c->cp[b]))
        b++;
    return a > 0 && b < c->n && is_letter(c->cp[a - 1]) && is_letter(c->cp[b]);
}

/* 1 if the boundary position i (before code point i) touches such a colon:
 * the nearest characters before and after it that WB4 does not ignore. */
static int next_to_letter_colon(const tcase *c, size_t i)
{
    size_t l = i;
    while (l > 0 && is_ignored(c->cp[l - 1]))
        l--;
    if (l > 0 && colon_between_letters(c, l - 1))
        return 1;
    size_t r = i;
    while (r < c->n && is_ignored(c->cp[r]))
        r++;
    return r < c->n && colon_between_letters(c, r);
}

static void test_word_break(void **state)
{
    (void)state;
    FILE *f = open_test_file(WORD_FILE);
    nc_seg_options o = {"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
    nc_segmenter *seg;
    UErrorCode icu;
    assert_int_equal(nc_segmenter_new(&o, &seg, &icu), NC_OK);
    nc_segworker w;
    assert_int_equal(nc_segworker_init(&w, seg), NC_OK);
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *raw = ubrk_open(UBRK_WORD, "en", NULL, 0, &st);
    assert_false(U_FAILURE(st));
    tcase c;
    int lineno = 0, cases = 0, pass = 0, colon_fail = 0, other_fail = 0, clone_differs = 0;
    while (next_case(f, &lineno, &c)) {
        UChar u[130];
        uint32_t u16_at[65];
        uint8_t got[65], got_raw[65];
        size_t n = to_u16(&c, u, u16_at);
        boundaries(w.words, u, n, &c, u16_at, got); /* natocyber's cloned iterator */
        boundaries(raw, u, n, &c, u16_at, got_raw); /* a fresh ICU iterator */
        clone_differs += memcmp(got, got_raw, c.n + 1) != 0;
        cases++;
        if (memcmp(got, c.brk, c.n + 1) == 0) {
            pass++;
            continue;
        }
        /* every wrong boundary is next to a colon between letters */
        int explained = 1;
        for (size_t i = 0; i <= c.n; i++)
            if (got[i] != c.brk[i] && !next_to_letter_colon(&c, i))
                explained = 0;
        if (explained) {
            colon_fail++;
            print_message("  WordBreakTest.txt:%d letter-colon-letter: %s\n", c.line, c.text);
        } else {
            other_fail++;
            print_error("WordBreakTest.txt:%d fails, not a colon between letters: %s\n",
                        c.line, c.text);
        }
    }
    fclose(f);
    ubrk_close(raw);
    nc_segworker_free(&w);
    nc_segmenter_free(seg);
    print_message("  words: %d of %d cases pass, %d colon-between-letters failures\n", pass,
                  cases, colon_fail);
    assert_int_equal(clone_differs, 0); /* natocyber's iterator is ICU's */
    assert_int_equal(other_fail, 0);
    assert_int_equal(cases, WORD_CASES);
    assert_int_equal(pass, WORD_PASS);
    assert_int_equal(colon_fail, WORD_CASES - WORD_PASS);
    assert_int_equal(colon_fail, 15);
}

/* Raw ICU segments trimmed as natocyber trims sentences: white space off
 * both ends, empty ones dropped. */
static size_t trimmed_spans(const uint8_t *brk, const tcase *c, const uint32_t *u16_at,
                            const UChar *u, nc_span *out)
{
    size_t ns = 0;
    uint32_t prev = 0;
    for (size_t i = 1; i <= c->n; i++) {
        if (!brk[i])
            continue;
        uint32_t a = prev, e = u16_at[i];
        prev = e;
        while (a < e && u_isUWhiteSpace(u[a]))
            a++;
        while (e > a && u_isUWhiteSpace(u[e - 1]))
            e--;
        if (a < e)
            out[ns++] = (nc_span){a, e};
    }
    return ns;
}

static void test_sentence_break(void **state)
{
    (void)state;
    FILE *f = open_test_file(SENT_FILE);
    /* no abbreviations and every line break a break: natocyber adds nothing
     * to ICU's rules */
    nc_seg_options o = {"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 1, 0};
    nc_segmenter *seg;
    UErrorCode icu;
    assert_int_equal(nc_segmenter_new(&o, &seg, &icu), NC_OK);
    nc_segworker w;
    assert_int_equal(nc_segworker_init(&w, seg), NC_OK);
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *raw = ubrk_open(UBRK_SENTENCE, "en", NULL, 0, &st);
    assert_false(U_FAILURE(st));
    tcase c;
    int lineno = 0, cases = 0, pass = 0, pipeline_agree = 0, multi = 0, clone_differs = 0;
    nc_text t;
    nc_text_init(&t);
    while (next_case(f, &lineno, &c)) {
        UChar u[130];
        uint32_t u16_at[65];
        uint8_t got[65], got_clone[65];
        size_t n = to_u16(&c, u, u16_at);
        boundaries(raw, u, n, &c, u16_at, got);
        boundaries(w.sents, u, n, &c, u16_at, got_clone);
        clone_differs += memcmp(got, got_clone, c.n + 1) != 0;
        cases++;
        if (memcmp(got, c.brk, c.n + 1) == 0)
            pass++;
        else
            print_message("  SentenceBreakTest.txt:%d fails: %s\n", c.line, c.text);
        /* natocyber's pipeline on the same text, given as code points */
        int same = nc_text_set(&t, 4, c.cp, c.n) == NC_OK && t.len16 == n &&
                   nc_segment_sentences(&w, &t) == NC_OK;
        nc_span want[65];
        size_t nw = trimmed_spans(got, &c, u16_at, u, want);
        multi += nw > 1;
        same = same && w.nsents == nw;
        for (size_t k = 0; same && k < nw; k++)
            same = w.sents_out[k].start == want[k].start && w.sents_out[k].end == want[k].end;
        if (same)
            pipeline_agree++;
        else
            print_error("SentenceBreakTest.txt:%d: natocyber gives %zu spans, ICU %zu: %s\n",
                        c.line, w.nsents, nw, c.text);
    }
    fclose(f);
    nc_text_free(&t);
    ubrk_close(raw);
    nc_segworker_free(&w);
    nc_segmenter_free(seg);
    print_message("  sentences: %d of %d cases pass; natocyber's spans agree on %d (%d with "
                  "several sentences)\n",
                  pass, cases, pipeline_agree, multi);
    assert_int_equal(clone_differs, 0);
    assert_int_equal(cases, SENT_CASES);
    assert_int_equal(pass, SENT_CASES);
    assert_int_equal(pipeline_agree, SENT_CASES);
    /* the span comparison is not vacuous: cases with several sentences */
    assert_int_equal(multi, SENT_MULTI);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_break),
        cmocka_unit_test(test_sentence_break),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
