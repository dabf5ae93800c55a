/* Finding the first UTF-16 unit of a small class in a long text: the
 * searches that run over every character of every document, done a vector
 * of units at a time where the machine has one (SSE2 on x86-64). Other
 * files define searches of their own classes with NC_SCAN16. */
#ifndef NC_SCAN16_H
#define NC_SCAN16_H

#include <stddef.h>
#include <unicode/utypes.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static inline int nc_is_line_break(UChar c)
{
    return c == 0x0A || c == 0x0D || c == 0x85 || c == 0x2028;
}

static inline int nc_is_sentence_end_or_wide(UChar c)
{
    return c >= 0x80 || c == '.' || c == '!' || c == '?' || c == '\n' || c == '\r';
}

/* Index of the first line break (LF, CR, NEL, LINE SEPARATOR) in
 * s[i..n), or n: nc_is_line_break(). */
size_t nc_find_line_break(const UChar *s, size_t i, size_t n);

/* Index of the first unit in s[i..n) that nc_is_sentence_end_or_wide()
 * holds for, or n. */
size_t nc_find_sentence_end_or_wide(const UChar *s, size_t i, size_t n);

/* Defines `size_t name(const UChar *s, size_t i, size_t n)`: the index of
 * the first unit in s[i..n) that test() holds for, or n. With SSE2, mask(p)
 * tests the 8 units at p at once: bits 2k and 2k+1 of it are set when
 * test() holds for unit k. */
#if defined(__SSE2__)
#define NC_SCAN16(name, mask, test)                                                            \
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
#else
#define NC_SCAN16(name, mask, test)                                                            \
    size_t name(const UChar *s, size_t i, size_t n)                                           \
    {                                                                                          \
        while (i < n && !test(s[i]))                                                           \
            i++;                                                                               \
        return i;                                                                              \
    }
#endif

#endif
