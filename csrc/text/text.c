#include "text/text.h"

#include <string.h>

#include "util/alloc.h"

void nc_text_init(nc_text *t) { memset(t, 0, sizeof *t); }

void nc_text_free(nc_text *t)
{
    nc_free(t->owned);
    nc_free(t->astral);
    nc_text_init(t);
}

/* The conversion loops work in blocks of a fixed number of code points:
 * compilers vectorize those at -O2, not loops of unknown length. */
enum { BLOCK = 32 };

static nc_status widen_ucs1(nc_text *t, const uint8_t *restrict s, size_t len)
{
    if (nc_grow((void **)&t->owned, &t->owned_cap, len, sizeof(UChar)))
        return NC_ENOMEM;
    UChar *restrict o = t->owned; /* bytes may alias anything: say they do not */
    size_t i = 0;
    for (; i + BLOCK <= len; i += BLOCK)
        for (size_t k = 0; k < BLOCK; k++)
            o[i + k] = s[i + k];
    for (; i < len; i++)
        o[i] = s[i];
    t->u16 = o;
    t->len16 = len;
    return NC_OK;
}

static nc_status convert_ucs4(nc_text *t, const uint32_t *s, size_t len)
{
    size_t n16 = len, i = 0;
    for (; i + BLOCK <= len; i += BLOCK) {
        unsigned n = 0;
        for (size_t k = 0; k < BLOCK; k++)
            n += s[i + k] > 0xFFFF;
        n16 += n;
    }
    for (; i < len; i++)
        n16 += s[i] > 0xFFFF;
    if (n16 > UINT32_MAX)
        return NC_ERANGE;
    if (nc_grow((void **)&t->owned, &t->owned_cap, n16, sizeof(UChar)))
        return NC_ENOMEM;
    size_t nastral = n16 - len;
    if (nc_grow((void **)&t->astral, &t->astral_cap, nastral, sizeof(uint32_t)))
        return NC_ENOMEM;
    UChar *o = t->owned;
    size_t j = 0, a = 0;
    for (i = 0; i < len;) {
        /* most blocks hold no supplementary character: narrowed at once */
        if (i + BLOCK <= len) {
            unsigned any = 0;
            for (size_t k = 0; k < BLOCK; k++)
                any |= s[i + k] > 0xFFFF;
            if (!any) {
                for (size_t k = 0; k < BLOCK; k++)
                    o[j + k] = (UChar)s[i + k];
                i += BLOCK, j += BLOCK;
                continue;
            }
        }
        for (size_t end = i + BLOCK < len ? i + BLOCK : len; i < end; i++) {
            uint32_t c = s[i];
            if (c > 0xFFFF) {
                t->astral[a++] = (uint32_t)j;
                c -= 0x10000;
                o[j++] = (UChar)(0xD800 + (c >> 10));
                o[j++] = (UChar)(0xDC00 + (c & 0x3FF));
            } else {
                o[j++] = (UChar)c;
            }
        }
    }
    t->u16 = o;
    t->len16 = n16;
    t->nastral = a;
    return NC_OK;
}

nc_status nc_text_set(nc_text *t, int kind, const void *data, size_t len)
{
    t->nastral = 0;
    switch (kind) {
    case 1:
        if (len > UINT32_MAX)
            return NC_ERANGE;
        return widen_ucs1(t, data, len);
    case 2:
        if (len > UINT32_MAX)
            return NC_ERANGE;
        t->u16 = data;
        t->len16 = len;
        return NC_OK;
    case 4:
        return convert_ucs4(t, data, len);
    default:
        return NC_EINVAL;
    }
}

size_t nc_text_cp_offset(const nc_text *t, size_t u)
{
    /* count astral starts < u by binary search */
    size_t lo = 0, hi = t->nastral;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->astral[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return u - lo;
}

size_t nc_text_cp_offset_seq(const nc_text *t, size_t u, size_t *cursor)
{
    size_t c = *cursor;
    while (c < t->nastral && t->astral[c] < u)
        c++;
    *cursor = c;
    return u - c;
}
