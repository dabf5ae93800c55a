/* A document's text as UTF-16 for ICU, with the map back to code-point
 * offsets (the offsets Python strings use).
 *
 * Python stores a str in one of three widths. 2-byte strings are UTF-16 code
 * units one per code point already and are borrowed as they are; 1-byte
 * strings are widened; 4-byte strings are converted, and the UTF-16 positions
 * of the characters outside the BMP (which take two units) are recorded so
 * that an ICU offset converts to a code-point offset by subtracting how many
 * such characters precede it. Lone surrogates stay single units, so their
 * offsets are exact too. */
#ifndef NC_TEXT_H
#define NC_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <unicode/utypes.h>

#include "util/status.h"

typedef struct {
    const UChar *u16;    /* the text ICU reads */
    size_t len16;
    UChar *owned;        /* conversion buffer, reused across documents */
    size_t owned_cap;
    uint32_t *astral;    /* UTF-16 index of each supplementary character */
    size_t nastral, astral_cap;
} nc_text;

void nc_text_init(nc_text *t);
void nc_text_free(nc_text *t);

/* Points t at `len` code points of width `kind` (1, 2 or 4 bytes, the
 * PEP 393 layouts). NC_ERANGE if the UTF-16 form would exceed UINT32_MAX. */
nc_status nc_text_set(nc_text *t, int kind, const void *data, size_t len);

/* Code-point offset of UTF-16 offset u (which must not split a pair). */
size_t nc_text_cp_offset(const nc_text *t, size_t u);

/* The same for increasing offsets in O(1) amortized: *cursor starts at 0 and
 * is advanced by the call; u must never decrease between calls. */
size_t nc_text_cp_offset_seq(const nc_text *t, size_t u, size_t *cursor);

#endif
