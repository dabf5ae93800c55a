#include "tokens/normalize.h"

#include <libstemmer.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "util/alloc.h"

int nc_is_apostrophe(UChar c)
{
    /* right/left single quotes, reversed-9 quote, modifier letter apostrophe,
     * full-width apostrophe: all written for ' in real text */
    return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x201B || c == 0x02BC ||
           c == 0xFF07;
}

int nc_is_dash(UChar c)
{
    /* hyphen, non-breaking hyphen, figure/en/em dash, horizontal bar, minus,
     * small and full-width hyphen-minus */
    return c == 0x2D || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE58 ||
           c == 0xFE63 || c == 0xFF0D;
}

int nc_is_joining_hyphen(UChar c)
{
    return c == 0x2D || (c >= 0x2010 && c <= 0x2013) || c == 0x2212 || c == 0xFE63 || c == 0xFF0D;
}

const char **nc_stem_languages(void) { return sb_stemmer_list(); }

nc_status nc_normalizer_init(nc_normalizer *n, const nc_norm_options *opt)
{
    memset(n, 0, sizeof *n);
    n->keep_case = opt->keep_case;
    UErrorCode st = U_ZERO_ERROR;
    n->nfkc = opt->keep_case ? unorm2_getNFKCInstance(&st) : unorm2_getNFKCCasefoldInstance(&st);
    n->nfc = unorm2_getNFCInstance(&st);
    n->nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st)) {
        n->icu_status = st;
        return NC_EICU;
    }
    if (opt->stem_language && opt->stem_language[0]) {
        n->stemmer = sb_stemmer_new(opt->stem_language, "UTF_8");
        if (!n->stemmer) {
            /* libstemmer returns NULL both for unknown names and for OOM */
            for (const char **l = sb_stemmer_list(); *l; l++)
                if (strcmp(*l, opt->stem_language) == 0)
                    return NC_ENOMEM;
            return NC_EINVAL;
        }
    }
    return NC_OK;
}

void nc_normalizer_free(nc_normalizer *n)
{
    if (n->stemmer)
        sb_stemmer_delete(n->stemmer);
    nc_free(n->u16buf);
    nc_free(n->tmp);
    nc_free(n->out);
    memset(n, 0, sizeof *n);
}

static nc_status ensure_out(nc_normalizer *n, size_t need)
{
    return nc_grow((void **)&n->out, &n->outcap, need, 1) ? NC_ENOMEM : NC_OK;
}

static nc_status ascii_fast(nc_normalizer *n, const UChar *s, size_t len)
{
    if (ensure_out(n, len + 1))
        return NC_ENOMEM;
    char *o = n->out;
    if (n->keep_case) {
        for (size_t i = 0; i < len; i++)
            o[i] = (char)s[i];
    } else {
        for (size_t i = 0; i < len; i++) {
            UChar c = s[i];
            o[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }
    o[len] = 0;
    return NC_OK;
}

static nc_status to_utf8(nc_normalizer *n, const UChar *s, int32_t len, size_t *outlen)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t need = 0;
        u_strToUTF8WithSub(n->out, (int32_t)(n->outcap > INT32_MAX ? INT32_MAX : n->outcap), &need,
                           s, len, 0xFFFD, NULL, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING) {
            if (ensure_out(n, (size_t)need + 1))
                return NC_ENOMEM;
            continue;
        }
        if (U_FAILURE(st)) {
            n->icu_status = st;
            return NC_EICU;
        }
        *outlen = (size_t)need;
        return NC_OK;
    }
    n->icu_status = U_BUFFER_OVERFLOW_ERROR;
    return NC_EICU;
}

/* One ICU transform of a UTF-16 string, in the shape of unorm2_normalize. */
typedef int32_t (*u16_fn)(const UNormalizer2 *nf, const UChar *src, int32_t len, UChar *dst,
                          int32_t cap, UErrorCode *st);

static int32_t fold_case(const UNormalizer2 *nf, const UChar *src, int32_t len, UChar *dst,
                         int32_t cap, UErrorCode *st)
{
    (void)nf;
    return u_strFoldCase(dst, cap, src, len, U_FOLD_CASE_DEFAULT, st);
}

/* fn(src) into *buf, grown as needed: first with room for a 3x expansion
 * (NFKC grows ligatures and compatibility forms), then once with the size
 * ICU asks for. The length goes to *n16. */
static nc_status transform(nc_normalizer *n, u16_fn fn, const UNormalizer2 *nf, const UChar *src,
                           int32_t len, UChar **buf, size_t *cap, int32_t *n16)
{
    size_t want = (size_t)len * 3 + 8;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (nc_grow((void **)buf, cap, want, sizeof(UChar)))
            return NC_ENOMEM;
        UErrorCode st = U_ZERO_ERROR;
        int32_t got = fn(nf, src, len, *buf, (int32_t)(*cap > INT32_MAX ? INT32_MAX : *cap), &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            want = (size_t)got + 1;
            continue;
        }
        if (U_FAILURE(st)) {
            n->icu_status = st;
            return NC_EICU;
        }
        if (got < 0 || (size_t)got > *cap)
            break;
        *n16 = got;
        return NC_OK;
    }
    n->icu_status = U_BUFFER_OVERFLOW_ERROR;
    return NC_EICU;
}

/* Maps the apostrophes and dashes of u16buf[0..n16) to ASCII, drops the
 * default-ignorable characters when asked (NFKC_Casefold has dropped them
 * already) and drops white space when asked. Returns the new length, or -1
 * at the first white space when white space is not to be dropped. */
static int32_t tidy(nc_normalizer *n, int32_t n16, int drop_ignorable, int drop_white)
{
    UChar *b = n->u16buf;
    int32_t w = 0;
    for (int32_t k = 0; k < n16; k++) {
        UChar c = b[k];
        if (c < 0x80) {
            if (c <= 0x20 && nc_is_white(c)) {
                if (!drop_white)
                    return -1;
                continue;
            }
        } else if (nc_is_apostrophe(c)) {
            c = '\'';
        } else if (nc_is_dash(c)) {
            c = '-';
        } else if (nc_is_white(c)) {
            if (!drop_white)
                return -1;
            continue;
        } else if (drop_ignorable && !U16_IS_SURROGATE(c) &&
                   u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
            /* NFKC alone keeps soft hyphens and joiners, which NFKC_Casefold
             * drops; drop them with case kept too, or "Co\u00ADordinated"
             * and "Coordinated" would be two forms that print alike */
            continue;
        }
        b[w++] = c;
    }
    return w;
}

/* The form of a token whose NFKC holds white space, in u16buf[0..*w). White
 * space of the token itself (U+202F, which the word rules keep inside
 * "10 000") is dropped first and NFKC tried again. If NFKC still brings
 * white space, it comes from a compatibility character (U+FDFA, U+00B4):
 * the token then gets canonical forms only, case folded as the standard's
 * canonical caseless matching does it (NFC of the case-folded NFD), and
 * white space that survives even that is dropped. */
static nc_status without_white(nc_normalizer *n, const UChar *s, int32_t len, int32_t *w)
{
    if (nc_grow((void **)&n->tmp, &n->tmpcap, (size_t)len + 1, sizeof(UChar)))
        return NC_ENOMEM;
    int32_t m = 0;
    for (int32_t k = 0; k < len; k++)
        if (!nc_is_white(s[k]))
            n->tmp[m++] = s[k];
    nc_status r;
    int32_t n16;
    if (m < len) {
        if ((r = transform(n, unorm2_normalize, n->nfkc, n->tmp, m, &n->u16buf, &n->u16cap, &n16)))
            return r;
        if ((*w = tidy(n, n16, n->keep_case, 0)) >= 0)
            return NC_OK;
    }
    if (n->keep_case) {
        r = transform(n, unorm2_normalize, n->nfc, n->tmp, m, &n->u16buf, &n->u16cap, &n16);
    } else if (!(r = transform(n, unorm2_normalize, n->nfd, n->tmp, m, &n->u16buf, &n->u16cap, &n16)) &&
               !(r = transform(n, fold_case, NULL, n->u16buf, n16, &n->tmp, &n->tmpcap, &n16))) {
        r = transform(n, unorm2_normalize, n->nfc, n->tmp, n16, &n->u16buf, &n->u16cap, &n16);
    }
    if (r)
        return r;
    *w = tidy(n, n16, 1, 1);
    return NC_OK;
}

nc_status nc_normalize(nc_normalizer *n, const UChar *s, size_t len, const char **out,
                       size_t *outlen)
{
    size_t i = 0;
    while (i < len && s[i] < 0x80)
        i++;
    if (i == len) {
        nc_status r = ascii_fast(n, s, len);
        if (r)
            return r;
        *out = n->out;
        *outlen = len;
        return NC_OK;
    }
    if (len > INT32_MAX / 4)
        return NC_ERANGE;
    int32_t n16;
    nc_status r = transform(n, unorm2_normalize, n->nfkc, s, (int32_t)len, &n->u16buf, &n->u16cap,
                            &n16);
    if (r)
        return r;
    int32_t w = tidy(n, n16, n->keep_case, 0);
    if (w < 0 && (r = without_white(n, s, (int32_t)len, &w)))
        return r;
    if (ensure_out(n, (size_t)w * 3 + 1))
        return NC_ENOMEM;
    if ((r = to_utf8(n, n->u16buf, w, outlen)))
        return r;
    n->out[*outlen] = 0;
    *out = n->out;
    return NC_OK;
}

nc_status nc_stem(nc_normalizer *n, const char *word, size_t len, const char **out,
                  size_t *outlen)
{
    if (!n->stemmer) {
        *out = word;
        *outlen = len;
        return NC_OK;
    }
    if (len > INT32_MAX)
        return NC_ERANGE;
    const sb_symbol *r = sb_stemmer_stem(n->stemmer, (const sb_symbol *)word, (int)len);
    if (!r)
        return NC_ENOMEM;
    size_t rl = (size_t)sb_stemmer_length(n->stemmer);
    /* the stemmer copied `word` before stemming, so it may alias n->out */
    if (ensure_out(n, rl + 1))
        return NC_ENOMEM;
    memcpy(n->out, r, rl);
    n->out[rl] = 0;
    *out = n->out;
    *outlen = rl;
    return NC_OK;
}
