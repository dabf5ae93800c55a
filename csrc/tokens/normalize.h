/* Normalization of one token after segmentation: NFKC case folding (or NFKC
 * alone when case is kept), one apostrophe, one hyphen, optional Snowball
 * stemming. Output is UTF-8 in a buffer owned by the normalizer. One
 * normalizer per thread: neither it nor the stemmer inside is thread-safe.
 *
 * A form never holds White_Space: n-grams are forms joined by spaces, and a
 * space inside one form would make "ﷺ" (which NFKC spells as four Arabic
 * words) or "´" (NFKC: space + combining acute) read as several tokens. When
 * NFKC would bring white space into a token, the token gets canonical
 * normalization with case folding instead (NFC of the folded NFD; NFC alone
 * when case is kept), and any white space still left (U+202F NARROW NO-BREAK
 * SPACE, which the word rules keep inside "10 000") is dropped. */
#ifndef NC_NORMALIZE_H
#define NC_NORMALIZE_H

#include <stddef.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "util/status.h"

struct sb_stemmer;

typedef struct {
    int keep_case;              /* 0: NFKC_Casefold, 1: NFKC only */
    const char *stem_language;  /* Snowball language name, or NULL */
} nc_norm_options;

typedef struct {
    int keep_case;
    const UNormalizer2 *nfkc;   /* NFKC or NFKC_Casefold; owned by ICU */
    const UNormalizer2 *nfc, *nfd; /* for tokens NFKC would give white space */
    struct sb_stemmer *stemmer; /* NULL when not stemming */
    UChar *u16buf;
    size_t u16cap;
    UChar *tmp;                 /* second buffer of the white-space fallback */
    size_t tmpcap;
    char *out;
    size_t outcap;
    UErrorCode icu_status;      /* last ICU failure, for error messages */
} nc_normalizer;

/* NC_EINVAL if the stemming language is unknown (see nc_stem_languages). */
nc_status nc_normalizer_init(nc_normalizer *n, const nc_norm_options *opt);
void nc_normalizer_free(nc_normalizer *n);

/* Normalizes one token s[0..len). On success *out points at a NUL-terminated
 * UTF-8 string of *outlen bytes, valid until the next call. Lone surrogates
 * become U+FFFD in the output (the token's offsets still point at the
 * source). An all-ASCII token is only case-folded: it is not searched for
 * white space, as no token the segmenter makes holds ASCII white space. */
nc_status nc_normalize(nc_normalizer *n, const UChar *s, size_t len,
                       const char **out, size_t *outlen);

/* Stems a normalized UTF-8 word in place of *out (same contract as above);
 * a no-op when the normalizer has no stemmer. */
nc_status nc_stem(nc_normalizer *n, const char *word, size_t len,
                  const char **out, size_t *outlen);

/* NULL-terminated list of the Snowball languages libstemmer offers. */
const char **nc_stem_languages(void);

/* 1 if c is folded to the ASCII apostrophe / hyphen-minus. */
int nc_is_apostrophe(UChar c);
int nc_is_dash(UChar c);
/* 1 if c joins two words as a hyphen ("cyber-attack", "2014–2025"); em dashes
 * and horizontal bars separate words instead. */
int nc_is_joining_hyphen(UChar c);

/* u_isUWhiteSpace(c) for one UTF-16 unit, asking ICU only in the ranges
 * where white space lies (the tests compare every unit). */
static inline int nc_is_white(UChar c)
{
    if (c < 0x80)
        return c == 0x20 || (c >= 0x09 && c <= 0x0D);
    return (c == 0x85 || c == 0xA0 || (c >= 0x1680 && c <= 0x3000)) && u_isUWhiteSpace(c);
}

/* White space or a default-ignorable character: nothing a token can be
 * made of. Below U+115F only three characters are default-ignorable. */
static inline int nc_is_invisible(UChar32 c)
{
    if (c < 0x115F)
        return nc_is_white((UChar)c) || c == 0xAD || c == 0x34F || c == 0x61C;
    return u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

#endif
