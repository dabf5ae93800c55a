/* The layout of an nc_segmenter, shared by the stage's files that build it
 * (segmenter.c) and segment with it (sentences.c, words.c). Not part of the
 * public interface (segment.h). */
#ifndef NC_SEGMENT_SEGMENTER_H
#define NC_SEGMENT_SEGMENTER_H

#include <stdint.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>

#include "segment/abbrev.h"
#include "segment/segment.h"
#include "tokens/normalize.h"

struct nc_segmenter {
    nc_seg_options opt;
    char locale[ULOC_FULLNAME_CAPACITY];
    char stem_language[64];
    UBreakIterator *words; /* templates; only cloned, never iterated */
    UBreakIterator *sents;
    nc_abbr_table abbr;
    uint8_t ascii[128];    /* NC_C_* classes of ASCII, for the fast paths */
    int excerpts;          /* sentence breaking sees excerpts (sentences.c) */
    int plain_words;       /* plain text is word-segmented without ICU (words.c) */
};

/* Classes of an ASCII character, as ICU gives them. */
enum {
    NC_C_WHITE = 1, NC_C_ALPHA = 2, NC_C_UPPER = 4, NC_C_DIGIT = 8, NC_C_ALNUM = 16,
    NC_C_PUNCT = 32, NC_C_IGNORABLE = 64,
    NC_C_EDGE = 128 /* nc_is_word_edge() */
};

/* ICU's property test `icu` of c, from the table for ASCII: the property
 * calls are a good part of the segmentation time otherwise. */
static inline int nc_char_is(const nc_segmenter *g, UChar32 c, int flag, UBool (*icu)(UChar32))
{
    return c >= 0 && c < 0x80 ? (g->ascii[c] & flag) != 0 : icu(c) != 0;
}

static inline int nc_is_opening(UChar c)
{
    return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0x201C ||
           c == 0x2018 || c == 0xAB;
}

/* Where the word before a period starts (after it), for the abbreviations. */
static inline int nc_is_word_edge(UChar c)
{
    return u_isUWhiteSpace(c) || nc_is_opening(c) || nc_is_dash(c);
}

/* Points the iterator at s[0..n); on failure ICU's code goes to
 * w->icu_status. */
static inline nc_status nc_seg_set_text(nc_segworker *w, UBreakIterator *bi, const UChar *s,
                                        size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(bi, s, (int32_t)n, &st);
    if (U_FAILURE(st)) {
        w->icu_status = st;
        return NC_EICU;
    }
    return NC_OK;
}

#endif
