/* Normalization of one token after segmentation: NFKC case folding (or NFKC
 * alone when case is kept), one apostrophe, one hyphen, optional Snowball
 * stemming. Output is UTF-8 in a buffer owned by the normalizer. One
 * normalizer per thread: neither it nor the stemmer inside is thread-safe. */
#ifndef NC_NORMALIZE_H
#define NC_NORMALIZE_H

#include <stddef.h>
#include <unicode/unorm2.h>

#include "status.h"

struct sb_stemmer;

typedef struct {
    int keep_case;              /* 0: NFKC_Casefold, 1: NFKC only */
    const char *stem_language;  /* Snowball language name, or NULL */
} nc_norm_options;

typedef struct {
    int keep_case;
    const UNormalizer2 *nfkc;   /* NFKC or NFKC_Casefold; owned by ICU */
    struct sb_stemmer *stemmer; /* NULL when not stemming */
    UChar *u16buf;
    size_t u16cap;
    char *out;
    size_t outcap;
    UErrorCode icu_status;      /* last ICU failure, for error messages */
} nc_normalizer;

/* NC_EINVAL if the stemming language is unknown (see nc_stem_languages). */
nc_status nc_normalizer_init(nc_normalizer *n, const nc_norm_options *opt);
void nc_normalizer_free(nc_normalizer *n);

/* Normalizes s[0..len). On success *out points at a NUL-terminated UTF-8
 * string of *outlen bytes, valid until the next call. Lone surrogates become
 * U+FFFD in the output (the token's offsets still point at the source). */
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

#endif
