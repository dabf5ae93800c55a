/* The abbreviation table: abbreviations written with their final period
 * and matched case-sensitively, each with the class (nc_abbr_class) that
 * decides whether a sentence may end after it; the built-in lists; and the
 * words that open a sentence after an ambiguous abbreviation. */
#ifndef NC_SEGMENT_ABBREV_H
#define NC_SEGMENT_ABBREV_H

#include <stddef.h>
#include <stdint.h>
#include <unicode/utypes.h>

#include "segment/segment.h"
#include "tokens/vocab.h"
#include "util/status.h"

typedef struct {
    UChar *text;
    size_t len;
    nc_abbr_class cls;
} nc_abbr;

typedef struct {
    nc_abbr *v;          /* in the order added */
    size_t n, cap;
    nc_vocab index;      /* the UTF-16 code units of v[i], as bytes -> i */
    uint64_t filter[16]; /* nc_abbr_bit() of each entry */
} nc_abbr_table;

void nc_abbr_table_free(nc_abbr_table *t);

/* Adds abbr[0..len) (or gives it the class cls if present). NC_EINVAL
 * unless it ends in '.', has at most 64 units and cls is a class. On
 * failure the table is as it was. */
nc_status nc_abbr_table_add(nc_abbr_table *t, const UChar *abbr, size_t len, nc_abbr_class cls);

/* Adds the built-in abbreviations of official statements. */
nc_status nc_abbr_table_add_defaults(nc_abbr_table *t);

/* A cheap bit of a candidate: most words before a period are no
 * abbreviation, and a filter of these bits turns them away without a
 * lookup. */
static inline unsigned nc_abbr_bit(const UChar *p, size_t len)
{
    return (unsigned)(len * 31 + p[0] * 7u + (len > 1 ? p[len - 2] : 0)) & 1023u;
}

const nc_abbr *nc_abbr_table_lookup(const nc_abbr_table *t, const UChar *p, size_t len);

/* The entry of p[0..len), or NULL. */
static inline const nc_abbr *nc_abbr_find(const nc_abbr_table *t, const UChar *p, size_t len)
{
    unsigned bit = len ? nc_abbr_bit(p, len) : 0;
    if (!len || !(t->filter[bit / 64] >> (bit % 64) & 1))
        return NULL;
    return nc_abbr_table_lookup(t, p, len);
}

/* Whether the lower-case ASCII word opens a sentence after an ambiguous
 * abbreviation ("U.S. The ..."). */
int nc_abbr_opener(const char *word);

#endif
