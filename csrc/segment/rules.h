/* Whether ICU's break rules are the ones the segmenter's fast paths were
 * checked against: sentence breaking over excerpts of the text
 * (sentences.c) and word segmentation of plain text without ICU's iterator
 * (plain_words.h). Each holds for ICU's root rules only; an iterator with
 * other rules (a locale's own, or a filtered one with suppression lists)
 * or an ICU whose rules are not yet listed here takes the general path,
 * which gives the same results, only slower. */
#ifndef NC_SEGMENT_RULES_H
#define NC_SEGMENT_RULES_H

#include <unicode/ubrk.h>

/* An ASCII letter: two in a row reset ICU's root sentence rules (see
 * sentences.c). */
static inline int nc_ascii_letter(UChar c) { return (unsigned)((c | 0x20) - 'a') < 26; }

/* Whether sentence breaking with bi may give ICU only excerpts. */
int nc_rules_allow_excerpts(UBreakIterator *bi);

/* Whether word segmentation with bi may do plain text itself. */
int nc_rules_allow_plain_words(UBreakIterator *bi);

#endif
