#include "segment/plain_words.h"

#include <unicode/uchar.h>

#include "text/scan16.h"

#define _ NC_PW_NONE
#define O NC_PW_OTHER
#define L NC_PW_LETTER
#define D NC_PW_DIGIT
#define U NC_PW_UNDERSCORE
#define M NC_PW_MIDNUMLET
#define N NC_PW_MIDNUM
#define S NC_PW_SPACE
#define C NC_PW_CR

/* U+0080..U+00BF are not plain but for the no-break space and the
 * guillemets: C1 controls, NEL, the soft hyphen (Format), the middle dot
 * (MidLetter), (c) and (r) (pictographic) each bring rules of their own. */
const uint8_t nc_pw_latin1[256] = {
    O, O, O, O, O, O, O, O, O, O, O, O, O, C, O, O, /* 00 */
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* 10 */
    S, O, O, O, O, O, O, M, O, O, O, O, N, O, M, O, /* 20 */
    D, D, D, D, D, D, D, D, D, D, O, N, O, O, O, O, /* 30 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 40 */
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, U, /* 50 */
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 60 */
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O, /* 70 */
    _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, /* 80 */
    _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, /* 90 */
    O, _, _, _, _, _, _, _, _, _, _, O, _, _, _, _, /* A0 */
    _, _, _, _, _, _, _, _, _, _, _, O, _, _, _, _, /* B0 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* C0 */
    L, L, L, L, L, L, L, _, L, L, L, L, L, L, L, L, /* D0 */
    L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* E0 */
    L, L, L, L, L, L, L, _, L, L, L, L, L, L, L, L, /* F0 */
};

#undef _
#undef O
#undef L
#undef D
#undef U
#undef M
#undef N
#undef S
#undef C

#if defined(__SSE2__)
/* The SSE2 form of !nc_is_word_plain(), for NC_SCAN16: it must agree with
 * the table above (the C tests compare them on every unit). */
static inline unsigned not_word_plain_mask(const UChar *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i zero = _mm_setzero_si128();
    __m128i narrow = _mm_cmpeq_epi16(_mm_subs_epu16(v, _mm_set1_epi16(0x7F)), zero);
    /* U+00C0..U+00FF: v - 0xC0 is below 0x40 as an unsigned unit */
    __m128i latin = _mm_cmpeq_epi16(
        _mm_subs_epu16(_mm_sub_epi16(v, _mm_set1_epi16(0xC0)), _mm_set1_epi16(0x3F)), zero);
    __m128i signs = _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0xD7)),
                                 _mm_cmpeq_epi16(v, _mm_set1_epi16(0xF7)));
    __m128i listed = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0xA0)),
                                  _mm_cmpeq_epi16(v, _mm_set1_epi16(0xAB))),
                     _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0xBB)),
                                  _mm_cmpeq_epi16(v, _mm_set1_epi16(0x2013)))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0x2014)),
                                  _mm_cmpeq_epi16(v, _mm_set1_epi16(0x2018))),
                     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0x2019)),
                                               _mm_cmpeq_epi16(v, _mm_set1_epi16(0x201C))),
                                  _mm_cmpeq_epi16(v, _mm_set1_epi16(0x201D)))));
    __m128i plain = _mm_or_si128(_mm_or_si128(narrow, _mm_andnot_si128(signs, latin)), listed);
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(plain, _mm_set1_epi16(-1)));
}
#endif

static inline int not_word_plain(UChar c) { return !nc_is_word_plain(c); }

NC_SCAN16(nc_find_not_word_plain, not_word_plain_mask, not_word_plain)

static int matches(UChar32 c, nc_pw_class k)
{
    int32_t wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
    if (k == NC_PW_NONE)
        return 1;
    if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
        return 0;
    switch (k) {
    case NC_PW_NONE:
        return 1;
    case NC_PW_LETTER:
        /* the root rules add '@' to the letters */
        return (wb == U_WB_ALETTER || c == '@') && !u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) &&
               u_getIntPropertyValue(c, UCHAR_LINE_BREAK) != U_LB_COMPLEX_CONTEXT;
    case NC_PW_DIGIT:
        return wb == U_WB_NUMERIC;
    case NC_PW_UNDERSCORE:
        return wb == U_WB_EXTENDNUMLET;
    case NC_PW_MIDNUMLET:
        return wb == U_WB_MIDNUMLET || wb == U_WB_SINGLE_QUOTE;
    case NC_PW_MIDNUM:
        return wb == U_WB_MIDNUM;
    case NC_PW_SPACE:
        return wb == U_WB_WSEGSPACE;
    case NC_PW_CR:
        return wb == U_WB_CR;
    case NC_PW_OTHER:
        /* the root rules drop ':' from MidLetter; '"' matters after Hebrew only */
        return wb == U_WB_OTHER || wb == U_WB_LF || wb == U_WB_NEWLINE ||
               wb == U_WB_DOUBLE_QUOTE || c == ':';
    }
    return 0;
}

int nc_plain_words_match_icu(void)
{
    static const UChar beyond[] = {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D};
    for (UChar32 c = 0; c < 0x100; c++)
        if (!matches(c, (nc_pw_class)nc_pw_latin1[c]))
            return 0;
    for (size_t i = 0; i < sizeof beyond / sizeof *beyond; i++)
        if (!matches(beyond[i], nc_pw_class_of(beyond[i])))
            return 0;
    return 1;
}
