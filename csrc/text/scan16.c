#include "text/scan16.h"

/* The masks of NC_SCAN16. */
#if defined(__SSE2__)
static inline unsigned line_break_mask(const UChar *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0x0A)),
                                          _mm_cmpeq_epi16(v, _mm_set1_epi16(0x0D))),
                             _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16(0x85)),
                                          _mm_cmpeq_epi16(v, _mm_set1_epi16(0x2028))));
    return (unsigned)_mm_movemask_epi8(m);
}

static inline unsigned end_or_wide_mask(const UChar *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    /* a unit above 0x7F leaves something after saturating subtraction */
    __m128i wide = _mm_subs_epu16(v, _mm_set1_epi16(0x7F));
    __m128i narrow = _mm_cmpeq_epi16(wide, _mm_setzero_si128());
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('.')),
                                          _mm_cmpeq_epi16(v, _mm_set1_epi16('!'))),
                             _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('?')),
                                          _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16('\n')),
                                                       _mm_cmpeq_epi16(v, _mm_set1_epi16('\r')))));
    m = _mm_or_si128(m, _mm_andnot_si128(narrow, _mm_set1_epi16(-1)));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

NC_SCAN16(nc_find_line_break, line_break_mask, nc_is_line_break)
NC_SCAN16(nc_find_sentence_end_or_wide, end_or_wide_mask, nc_is_sentence_end_or_wide)
