/* The pattern language of stance markers: parsing a pattern string into a
 * list of elements. Words are kept as written (unescaped); normalizing them
 * like the text, expanding alternatives and compiling many patterns into one
 * automaton is the matcher's job (matcher.h).
 *
 *   word        one token equal to the word        condemn
 *   word*       one token starting with word       condemn*   (condemn, condemns, ...)
 *   *word       one token ending with word         *n't       (didn't, won't, ...)
 *   (a|b c|d*)  one of the alternatives; an alternative is one or more words
 *   x?  (a|b)?  the word or group may be absent
 *   ~N          a gap of 0..N arbitrary tokens, 1 <= N <= NC_PAT_MAX_GAP;
 *               unlike adjacent words, a gap may also span punctuation
 *   \c          the character c taken literally (for ( ) | ~ ? * \ and space)
 *
 * Errors carry the byte offset of the offending character and a static
 * message. */
#ifndef NC_PATTERN_H
#define NC_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define NC_PAT_MAX_BYTES 4096   /* length of a pattern's source */
#define NC_PAT_MAX_GAP 8        /* largest N in ~N */
#define NC_PAT_MAX_ELEMENTS 32  /* words, groups and gaps in one pattern */
#define NC_PAT_MAX_ALTS 256     /* alternatives in one group */
#define NC_PAT_MAX_ALT_WORDS 16 /* words in one alternative */

typedef enum { NC_GLOB_NONE = 0, NC_GLOB_PREFIX = 1, NC_GLOB_SUFFIX = 2 } nc_glob;

typedef struct {
    uint32_t off, len; /* the unescaped word, without '*', in the pattern's buf */
    uint32_t pos;      /* byte offset of the word in the source */
    uint8_t glob;      /* nc_glob */
} nc_pat_word;

typedef struct {
    uint32_t first, n; /* words of this alternative */
} nc_pat_alt;

typedef enum { NC_EL_WORDS = 0, NC_EL_GAP = 1 } nc_pat_elkind;

typedef struct {
    uint8_t kind;      /* nc_pat_elkind */
    uint8_t optional;
    uint8_t gap;       /* NC_EL_GAP: N */
    uint32_t first, n; /* NC_EL_WORDS: alternatives (a bare word is a group of one) */
    uint32_t pos;      /* byte offset in the source */
} nc_pat_elem;

typedef struct {
    nc_pat_elem *elems;
    size_t nelems, elems_cap;
    nc_pat_alt *alts;
    size_t nalts, alts_cap;
    nc_pat_word *words;
    size_t nwords, words_cap;
    char *buf;         /* unescaped words, each NUL-terminated */
    size_t buflen, bufcap;
} nc_pattern;

typedef struct {
    size_t pos;        /* byte offset into the source */
    const char *msg;   /* static English text */
} nc_pat_error;

void nc_pattern_init(nc_pattern *p);
void nc_pattern_free(nc_pattern *p);

/* Parses src[0..len) (UTF-8). On a syntax error returns NC_EINVAL with *err
 * filled and *p empty; NC_ENOMEM leaves *p empty as well. */
nc_status nc_pattern_parse(const char *src, size_t len, nc_pattern *p, nc_pat_error *err);

static inline const char *nc_pat_word_str(const nc_pattern *p, const nc_pat_word *w)
{
    return p->buf + w->off;
}

#endif
