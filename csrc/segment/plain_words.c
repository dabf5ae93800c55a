#include "segment/plain_words.h"

#include <unicode/uchar.h>

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
