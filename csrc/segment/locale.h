/* Checking a locale id before ICU sees it: ICU accepts nearly any string
 * and quietly falls back to the root rules, which would hide a typo. */
#ifndef NC_SEGMENT_LOCALE_H
#define NC_SEGMENT_LOCALE_H

#include <stddef.h>

/* Whether loc (an ICU locale id or a BCP 47 tag; NULL or "" for the root)
 * names a known language, with a known script and region if it has them.
 * If so, its ICU form goes to canon[0..cap) ("" for the root). */
int nc_locale_canonical(const char *loc, char *canon, size_t cap);

#endif
