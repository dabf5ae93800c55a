#include "segment/rules.h"

#include <stdint.h>
#include <unicode/uchar.h>

#include "segment/plain_words.h"
#include "text/scan16.h"
#include "util/alloc.h"

/* The compiled root rules the fast paths hold for, by their fingerprint
 * (rules_fingerprint). docs/architecture.md says how a new ICU's rules are
 * checked before they are added here. */
static const uint64_t CHECKED_SENTENCE_RULES[] = {0xd3944ad03473d7e9ULL /* ICU 72.1 */};
static const uint64_t CHECKED_WORD_RULES[] = {0x8384613bb5067dbbULL /* ICU 72.1 */};

/* FNV-1a, 64 bits. Not the core's table hash (util/hash.h) on purpose: the
 * values listed above must stay valid whatever that hash becomes, and
 * FNV-1a is a fixed, published function. */
static uint64_t rules_fingerprint(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV's 64-bit offset basis */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* Whether the iterator's compiled rules are among the listed ones. A
 * filtered iterator (ICU's suppression lists) has no rules to give. */
static int rules_listed(UBreakIterator *bi, const uint64_t *list, size_t count)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = ubrk_getBinaryRules(bi, NULL, 0, &st);
    uint8_t *rules = U_SUCCESS(st) && n > 0 ? nc_malloc((size_t)n) : NULL;
    int listed = 0;
    if (rules && (ubrk_getBinaryRules(bi, rules, n, &st), U_SUCCESS(st))) {
        uint64_t h = rules_fingerprint(rules, (size_t)n);
        for (size_t i = 0; i < count; i++)
            listed |= h == list[i];
    }
    nc_free(rules);
    return listed;
}

/* Besides the rules themselves, the excerpts assume that every ASCII
 * terminator or separator is one nc_is_sentence_end_or_wide() finds and
 * that ASCII letters are Upper or Lower. */
int nc_rules_allow_excerpts(UBreakIterator *bi)
{
    for (UChar32 c = 0; c < 0x80; c++) {
        int32_t sb = u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
        int term = sb == U_SB_ATERM || sb == U_SB_STERM || sb == U_SB_SEP || sb == U_SB_CR ||
                   sb == U_SB_LF;
        if ((term && !nc_is_sentence_end_or_wide((UChar)c)) ||
            (nc_ascii_letter((UChar)c) && sb != U_SB_UPPER && sb != U_SB_LOWER))
            return 0;
    }
    return rules_listed(bi, CHECKED_SENTENCE_RULES,
                        sizeof CHECKED_SENTENCE_RULES / sizeof *CHECKED_SENTENCE_RULES);
}

/* Besides the rules themselves, plain_words.h assumes ICU's word-break
 * properties of the plain units. */
int nc_rules_allow_plain_words(UBreakIterator *bi)
{
    return nc_plain_words_match_icu() &&
           rules_listed(bi, CHECKED_WORD_RULES, sizeof CHECKED_WORD_RULES / sizeof *CHECKED_WORD_RULES);
}
