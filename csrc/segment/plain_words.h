/* Word segments of plain text without ICU's iterator.
 *
 * Plain text is ASCII plus a few characters of statement-like text: Latin-1
 * letters, the no-break space, guillemets, curly quotes and the en and em
 * dashes. Over these, ICU 72's root word rules reduce to a small machine
 * ('@' counts as a letter there): runs of spaces; CR LF; runs of letters,
 * digits and underscores, which go on across one period or apostrophe
 * between two letters or two digits (and a comma or semicolon between two
 * digits); and every other unit alone. The rule status ICU gives such a
 * run is that of its last rule: ending in a letter 200 (UBRK_WORD_LETTER),
 * in a digit 100 (UBRK_WORD_NUMBER), in an underscore that of what
 * precedes it (a lone one 0). words.c uses this only when the iterator's
 * compiled rules are the checked root rules (rules.h), and only on
 * stretches that start and end at a boundary no context can move (see
 * there); the C tests compare it with ICU on every short ASCII string and
 * on random texts. */
#ifndef NC_PLAIN_WORDS_H
#define NC_PLAIN_WORDS_H

#include <stddef.h>
#include <stdint.h>
#include <unicode/utypes.h>

typedef enum {
    NC_PW_NONE = 0,   /* not plain: ICU's iterator decides */
    NC_PW_OTHER,      /* a segment of its own */
    NC_PW_LETTER,
    NC_PW_DIGIT,
    NC_PW_UNDERSCORE, /* ExtendNumLet */
    NC_PW_MIDNUMLET,  /* . ' and the curly single quotes: between letters or digits */
    NC_PW_MIDNUM,     /* , ; between digits only */
    NC_PW_SPACE,      /* U+0020, the one WSegSpace here */
    NC_PW_CR
} nc_pw_class;

extern const uint8_t nc_pw_latin1[256];

static inline nc_pw_class nc_pw_class_of(UChar c)
{
    if (c < 0x100)
        return (nc_pw_class)nc_pw_latin1[c];
    switch (c) {
    case 0x2018:
    case 0x2019:
        return NC_PW_MIDNUMLET;
    case 0x2013:
    case 0x2014:
    case 0x201C:
    case 0x201D:
        return NC_PW_OTHER;
    }
    return NC_PW_NONE;
}

/* Whether plain_words segments c. */
static inline int nc_is_word_plain(UChar c) { return nc_pw_class_of(c) != NC_PW_NONE; }

/* Index of the first unit in s[i..n) that is not nc_is_word_plain(), or n
 * (a vector of units at a time, see text/scan16.h). */
size_t nc_find_not_word_plain(const UChar *s, size_t i, size_t n);

/* The end of the segment starting at s[i], i < n, in plain text s[0..n)
 * whose end is a boundary; ICU's rule status for it in *status. */
static inline size_t nc_plain_word_end(const UChar *s, size_t i, size_t n, int32_t *status)
{
    nc_pw_class last = nc_pw_class_of(s[i]), before = NC_PW_NONE;
    size_t j = i + 1;
    *status = 0;
    switch (last) {
    case NC_PW_SPACE:
        while (j < n && s[j] == ' ')
            j++;
        return j;
    case NC_PW_CR:
        return j < n && s[j] == '\n' ? j + 1 : j;
    case NC_PW_LETTER:
    case NC_PW_DIGIT:
    case NC_PW_UNDERSCORE:
        break;
    default:
        return j;
    }
    for (; j < n; j++) {
        nc_pw_class d = nc_pw_class_of(s[j]);
        if (d == NC_PW_LETTER || d == NC_PW_DIGIT || d == NC_PW_UNDERSCORE) {
            before = last;
            last = d;
        } else if ((d == NC_PW_MIDNUMLET || (d == NC_PW_MIDNUM && last == NC_PW_DIGIT)) &&
                   (last == NC_PW_LETTER || last == NC_PW_DIGIT) && j + 1 < n &&
                   nc_pw_class_of(s[j + 1]) == last) {
            before = last;
            j++;
        } else {
            break;
        }
    }
    if (last == NC_PW_LETTER)
        *status = 200;
    else if (last == NC_PW_DIGIT)
        *status = 100;
    else if (j - i > 1)
        *status = before == NC_PW_DIGIT ? 100 : 200;
    return j;
}

/* Whether the word-break properties ICU has for the plain units are the
 * ones the table assumes (any difference turns the plain path off). */
int nc_plain_words_match_icu(void);

#endif
