#include "text/scan16.h"

#include "segment/plain_words.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__SSE2__)
/* Bit 2k (and 2k+1) of the result is set when unit k of the 8 at p matches. */
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

static inline int not_word_plain(UChar c) { return !nc_is_word_plain(c); }

#define SCAN(name, mask, test)                                                                  \
    size_t name(const UChar *s, size_t i, size_t n)                                           \
    {                                                                                          \
        for (; i + 8 <= n; i += 8) {                                                           \
            unsigned m = mask(s + i);                                                          \
            if (m)                                                                             \
                return i + (size_t)__builtin_ctz(m) / 2;                                       \
        }                                                                                      \
        while (i < n && !test(s[i]))                                                           \
            i++;                                                                               \
        return i;                                                                              \
    }
SCAN(nc_find_line_break, line_break_mask, nc_is_line_break)
SCAN(nc_find_sentence_end_or_wide, end_or_wide_mask, nc_is_sentence_end_or_wide)
SCAN(nc_find_not_word_plain, not_word_plain_mask, not_word_plain)
#else
size_t nc_find_line_break(const UChar *s, size_t i, size_t n)
{
    while (i < n && !nc_is_line_break(s[i]))
        i++;
    return i;
}

size_t nc_find_sentence_end_or_wide(const UChar *s, size_t i, size_t n)
{
    while (i < n && !nc_is_sentence_end_or_wide(s[i]))
        i++;
    return i;
}
size_t nc_find_not_word_plain(const UChar *s, size_t i, size_t n)
{
    while (i < n && nc_is_word_plain(s[i]))
        i++;
    return i;
}
#endif
