/* The vector searches (NC_SCAN16 of text/scan16.h, in scan16.c and
 * plain_words.c) find what a plain loop over the units finds, at every
 * offset and length, for every unit value. */
#include "testutil.h"

#include "segment/plain_words.h"
#include "text/scan16.h"

static int not_word_plain(UChar c) { return !nc_is_word_plain(c); }

static size_t plain(const UChar *s, size_t i, size_t n, int (*is)(UChar))
{
    while (i < n && !is(s[i]))
        i++;
    return i;
}

static void check_unit(UChar c, UChar filler)
{
    UChar s[40];
    for (size_t at = 0; at < 40; at++) {
        for (size_t k = 0; k < 40; k++)
            s[k] = filler;
        s[at] = c;
        for (size_t i = 0; i < 12; i++)
            for (size_t n = i; n <= 40; n += 3) {
                assert_int_equal(nc_find_line_break(s, i, n), plain(s, i, n, nc_is_line_break));
                assert_int_equal(nc_find_sentence_end_or_wide(s, i, n),
                                 plain(s, i, n, nc_is_sentence_end_or_wide));
                assert_int_equal(nc_find_not_word_plain(s, i, n), plain(s, i, n, not_word_plain));
            }
    }
}

static void test_every_unit(void **state)
{
    (void)state;
    size_t hits = 0;
    for (uint32_t c = 0; c <= 0xFFFF; c++) {
        UChar u = (UChar)c;
        hits += nc_is_line_break(u) + nc_is_sentence_end_or_wide(u) + not_word_plain(u);
        /* the whole offset grid for the units that matter and a sample of the rest */
        if (c < 0x100 || (c >= 0x2010 && c <= 0x2030) || c == 0x7FFF || c >= 0xFFF0 || c % 97 == 0)
            check_unit(u, 'a');
        else {
            UChar s[9] = {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', u};
            assert_int_equal(nc_find_sentence_end_or_wide(s, 0, 9), 8);
            assert_int_equal(nc_find_not_word_plain(s, 0, 9), 8);
        }
    }
    /* LF, CR, NEL, LS; . ! ? LF CR and the 0xFF80 units above ASCII; all
     * units but the 199 plain ones (ASCII, 62 Latin-1 letters, 3 + 6 others) */
    assert_int_equal(hits, 4 + 5 + 0xFF80 + 0x10000 - 199);
    check_unit('.', ' ');
    check_unit(0x2019, 0x2014); /* plain units among plain units */
    check_unit(0x0416, 0xE9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
