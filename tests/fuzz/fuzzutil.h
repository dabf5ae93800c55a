/* Helpers shared by the libFuzzer targets: a failed invariant aborts with a
 * message (libFuzzer then saves the input), and text is built the way
 * CPython stores a str (nc_docsrc, nc_text_set). */
#ifndef NC_FUZZUTIL_H
#define NC_FUZZUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "tokens/tokstore.h"

#define FZ_CHECK(cond, ...)                                                 \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "\ninvariant failed at %s:%d: %s\n  ", __FILE__, \
                    __LINE__, #cond);                                       \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
            abort();                                                        \
        }                                                                   \
    } while (0)

static inline void *fz_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    FZ_CHECK(p != NULL, "out of memory in the fuzzer itself");
    return p;
}

/* A str as CPython holds it: code points in the narrowest of 1, 2 or 4
 * bytes each. */
typedef struct {
    void *data;
    size_t len;
    int kind;
} fz_str;

static inline fz_str fz_str_of(const uint32_t *cp, size_t n)
{
    uint32_t top = 0;
    for (size_t i = 0; i < n; i++)
        top = cp[i] > top ? cp[i] : top;
    fz_str s = {NULL, n, top < 0x100 ? 1 : top < 0x10000 ? 2 : 4};
    s.data = fz_malloc(n * (size_t)s.kind);
    for (size_t i = 0; i < n; i++) {
        if (s.kind == 1)
            ((uint8_t *)s.data)[i] = (uint8_t)cp[i];
        else if (s.kind == 2)
            ((uint16_t *)s.data)[i] = (uint16_t)cp[i];
        else
            ((uint32_t *)s.data)[i] = cp[i];
    }
    return s;
}

/* A token store of docs[0..n) on one worker; any failure aborts. */
static inline void fz_store_build(nc_tokstore *ts, const nc_segmenter *seg, const fz_str *docs,
                                  size_t n)
{
    nc_docsrc src[8];
    FZ_CHECK(n <= 8, "%zu documents", n);
    for (size_t k = 0; k < n; k++)
        src[k] = (nc_docsrc){docs[k].data, docs[k].len, docs[k].kind};
    nc_tokstore_init(ts);
    nc_build_opts bo = {1, NULL, NULL, NULL};
    nc_build_error err;
    nc_status r = nc_tokstore_build(ts, seg, src, n, &bo, &err);
    FZ_CHECK(r == NC_OK, "token store: status %d at doc %zu", (int)r, err.doc);
}

/* Code points of UTF-8 bytes, U+FFFD for each ill-formed sequence (as
 * bytes.decode(errors="replace") would give, near enough); *n gets the
 * count. */
static inline uint32_t *fz_utf8_cps(const uint8_t *b, size_t len, size_t *n)
{
    uint32_t *cp = fz_malloc((len + 1) * sizeof *cp);
    size_t k = 0;
    for (int32_t i = 0; (size_t)i < len;) {
        UChar32 c;
        U8_NEXT(b, i, (int32_t)len, c);
        cp[k++] = c < 0 ? 0xFFFD : (uint32_t)c;
    }
    *n = k;
    return cp;
}

/* A token form: non-empty, well-formed UTF-8 without White_Space. */
static inline void fz_check_form(const char *s, size_t len, const char *what)
{
    FZ_CHECK(len > 0, "%s: empty form", what);
    FZ_CHECK(strlen(s) <= len, "%s: form not NUL-terminated at its length", what);
    for (int32_t i = 0; (size_t)i < len;) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)len, c);
        FZ_CHECK(c >= 0, "%s: ill-formed UTF-8 at byte %d of \"%.*s\"", what, at, (int)len, s);
        FZ_CHECK(!u_isUWhiteSpace(c), "%s: white space U+%04X at byte %d of \"%.*s\"", what,
                 (unsigned)c, at, (int)len, s);
    }
}

#endif
