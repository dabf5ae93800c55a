/* Helpers shared by the cmocka tests of the C core. */
#ifndef NC_TESTUTIL_H
#define NC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* The helpers below allocate with malloc, never through nc_malloc, so they
 * are not affected by nc_alloc_fail_after. All are static inline so that a
 * test file using only some of them compiles without warnings. */

static inline void *tu_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        fail_msg("out of memory in a test helper");
    return p;
}

/* UTF-8 (NUL-terminated) to a malloc'd UTF-16 array; *len gets its units. */
static inline UChar *tu_u16n(const char *u8, size_t u8len, size_t *len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(NULL, 0, &n, u8, (int32_t)u8len, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        fail_msg("u_strFromUTF8: %s", u_errorName(st));
    UChar *b = tu_xmalloc(((size_t)n + 1) * sizeof *b);
    st = U_ZERO_ERROR;
    u_strFromUTF8(b, n + 1, &n, u8, (int32_t)u8len, &st);
    if (U_FAILURE(st))
        fail_msg("u_strFromUTF8: %s", u_errorName(st));
    if (len)
        *len = (size_t)n;
    return b;
}

static inline UChar *tu_u16(const char *u8, size_t *len) { return tu_u16n(u8, strlen(u8), len); }

/* UTF-16 to a malloc'd NUL-terminated UTF-8 string (lone surrogates become
 * U+FFFD). */
static inline char *tu_utf8(const UChar *s, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    u_strToUTF8WithSub(NULL, 0, &n, s, (int32_t)len, 0xFFFD, NULL, &st);
    char *b = tu_xmalloc((size_t)n + 1);
    st = U_ZERO_ERROR;
    u_strToUTF8WithSub(b, n + 1, &n, s, (int32_t)len, 0xFFFD, NULL, &st);
    if (U_FAILURE(st))
        fail_msg("u_strToUTF8WithSub: %s", u_errorName(st));
    b[n] = 0;
    return b;
}

/* A string in one of Python's PEP 393 layouts (kind 1, 2 or 4 bytes per
 * code point), as nc_text_set and nc_docsrc take it. */
typedef struct {
    void *data;
    size_t len; /* code points */
    int kind;
} tu_pep;

/* Code points of a UTF-8 string (which may contain NULs: u8len bytes) in
 * the given kind, or in the narrowest kind that holds them (kind 0), the
 * way CPython stores a str. */
static inline tu_pep tu_pep393n(const char *u8, size_t u8len, int kind)
{
    size_t n16;
    UChar *u = tu_u16n(u8, u8len, &n16);
    uint32_t *cp = tu_xmalloc((n16 + 1) * sizeof *cp);
    size_t n = 0;
    uint32_t maxc = 0;
    for (size_t i = 0; i < n16;) {
        UChar32 c;
        U16_NEXT(u, i, n16, c);
        cp[n++] = (uint32_t)c;
        if ((uint32_t)c > maxc)
            maxc = (uint32_t)c;
    }
    free(u);
    int need = maxc > 0xFFFF ? 4 : maxc > 0xFF ? 2 : 1;
    if (kind == 0)
        kind = need;
    if (kind < need)
        fail_msg("text needs kind %d, asked for %d", need, kind);
    tu_pep p = {NULL, n, kind};
    if (kind == 4) {
        p.data = cp;
        return p;
    }
    if (kind == 2) {
        uint16_t *d = tu_xmalloc((n + 1) * 2);
        for (size_t i = 0; i < n; i++)
            d[i] = (uint16_t)cp[i];
        p.data = d;
    } else {
        uint8_t *d = tu_xmalloc(n + 1);
        for (size_t i = 0; i < n; i++)
            d[i] = (uint8_t)cp[i];
        p.data = d;
    }
    free(cp);
    return p;
}

static inline tu_pep tu_pep393(const char *u8, int kind) { return tu_pep393n(u8, strlen(u8), kind); }

/* Code point i of a PEP 393 string. */
static inline uint32_t tu_pep_at(const tu_pep *p, size_t i)
{
    switch (p->kind) {
    case 1:
        return ((const uint8_t *)p->data)[i];
    case 2:
        return ((const uint16_t *)p->data)[i];
    default:
        return ((const uint32_t *)p->data)[i];
    }
}

/* UTF-8 of code points [a, b) of a PEP 393 string (malloc'd). */
static inline char *tu_pep_slice(const tu_pep *p, size_t a, size_t b)
{
    UChar *u = tu_xmalloc((2 * (b - a) + 1) * sizeof *u);
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
        uint32_t c = tu_pep_at(p, i);
        if (c > 0xFFFF) {
            u[n++] = U16_LEAD(c);
            u[n++] = U16_TRAIL(c);
        } else {
            u[n++] = (UChar)c;
        }
    }
    char *s = tu_utf8(u, n);
    free(u);
    return s;
}

/* A growing NUL-terminated string for building expected/actual dumps. */
typedef struct {
    char *s;
    size_t len, cap;
} tu_buf;

static inline void tu_add(tu_buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (k < 0)
            fail_msg("vsnprintf failed");
        if ((size_t)k < room) {
            b->len += (size_t)k;
            return;
        }
        size_t ncap = b->cap ? b->cap * 2 : 256;
        while (ncap - b->len <= (size_t)k)
            ncap *= 2;
        char *p = realloc(b->s, ncap);
        if (!p)
            fail_msg("out of memory in a test helper");
        b->s = p;
        b->cap = ncap;
    }
}

/* The buffer's string (never NULL); the caller frees it. */
static inline char *tu_take(tu_buf *b)
{
    char *s = b->s ? b->s : calloc(1, 1);
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

/* assert_string_equal that also frees the malloc'd actual string. */
#define assert_str_take(actual, expected)                                      \
    do {                                                                       \
        char *act_ = (actual);                                                 \
        if (strcmp(act_, (expected)) != 0) {                                   \
            print_error("got:  \"%s\"\nwant: \"%s\"\n", act_, (expected));     \
            free(act_);                                                        \
            fail();                                                            \
        }                                                                      \
        free(act_);                                                            \
    } while (0)

/* Compares and frees without failing (for tests that must not leak when
 * they fail): returns 1 if equal, else prints both and returns 0. */
static inline int tu_same(char *actual, const char *expected)
{
    int ok = strcmp(actual, expected) == 0;
    if (!ok)
        print_error("got:  \"%s\"\nwant: \"%s\"\n", actual, expected);
    free(actual);
    return ok;
}

/* A small deterministic generator (xorshift64*) for generated corpora. */
static inline uint64_t tu_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* The next value of a 64-bit linear congruential generator. */
static inline uint64_t tu_lcg(uint64_t *rng)
{
    return *rng = *rng * 6364136223846793005ULL + 1442695040888963407ULL;
}

/* A random text into buf (NUL-terminated; room for 2^(64 - shift) of the
 * longest part): 0 to 2^(64 - shift) - 1 parts, each drawn from
 * parts[0..nparts), or three times in four from the first `often` of them
 * when often is not 0. Returns its length. */
static inline size_t tu_random_parts(char *buf, const char *const *parts, size_t nparts,
                                     size_t often, int shift, uint64_t *rng)
{
    size_t len = 0;
    int count = (int)(tu_lcg(rng) >> shift);
    for (int i = 0; i < count; i++) {
        uint64_t r = tu_lcg(rng);
        const char *p = parts[(r >> 33) % (often && (r >> 62) ? often : nparts)];
        size_t pl = strlen(p);
        memcpy(buf + len, p, pl);
        len += pl;
    }
    buf[len] = 0;
    return len;
}

#endif
