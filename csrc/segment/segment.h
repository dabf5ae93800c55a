/* Word and sentence segmentation with ICU break iterators.
 *
 * An nc_segmenter holds the options, the abbreviation table and template
 * iterators; it is immutable once built and shared by threads. Each thread
 * segments through its own nc_segworker (cloned iterators, a normalizer,
 * buffers reused across documents).
 *
 * The stage's files: segmenter.c builds the segmenter (locale.c checks the
 * locale, rules.c which fast paths ICU's rules allow, abbrev.c holds the
 * abbreviation table); sentences.c finds sentence spans and words.c word
 * tokens, over plain text with plain_words.h. */
#ifndef NC_SEGMENT_H
#define NC_SEGMENT_H

#include <stddef.h>
#include <stdint.h>
#include <unicode/ubrk.h>

#include "tokens/normalize.h"
#include "util/status.h"
#include "text/text.h"

typedef enum { NC_TOK_WORD = 0, NC_TOK_NUMBER = 1, NC_TOK_PUNCT = 2, NC_TOK_SYMBOL = 3 } nc_tokkind;

typedef enum {
    NC_HYPHEN_KEEP = 0,  /* "cyber-attack" is one token */
    NC_HYPHEN_SPLIT = 1  /* "cyber" "attack", adjacent (the hyphen is no barrier) */
} nc_hyphen_mode;

typedef enum {
    NC_ABBR_ALWAYS = 1,        /* never ends a sentence: "Gen.", "e.g." */
    NC_ABBR_BEFORE_NUMBER = 2, /* no break when a number follows: "Art. 5" */
    NC_ABBR_AMBIGUOUS = 3      /* no break unless a sentence opener follows: "U.S. The" */
} nc_abbr_class;

typedef struct {
    const char *locale;        /* ICU locale id; NULL or "" for the root rules */
    int keep_case;
    int keep_punct;            /* punctuation becomes tokens (and no barrier) */
    int keep_symbols;          /* symbols and emoji become tokens */
    int drop_numbers;          /* numbers are removed (a barrier) */
    nc_hyphen_mode hyphens;
    const char *stem_language; /* Snowball language or NULL */
    int paragraph_lines;       /* 1: every line break ends a sentence; 0: only blank lines do */
    int default_abbreviations; /* 1: start from the built-in table */
} nc_seg_options;

typedef struct {
    uint32_t start, end;  /* UTF-16 offsets into the text */
    uint32_t sentence;    /* index into the worker's sentence spans */
    uint8_t kind;         /* nc_tokkind */
    uint8_t barrier;      /* a removed token or a sentence start precedes it */
} nc_rawtok;

typedef struct {
    uint32_t start, end;  /* UTF-16, trimmed of surrounding white space */
} nc_span;

typedef struct nc_segmenter nc_segmenter;

typedef struct {
    const nc_segmenter *seg;
    UBreakIterator *words;
    UBreakIterator *sents;
    nc_normalizer norm;
    nc_rawtok *toks;
    size_t ntoks, toks_cap;
    nc_span *sents_out;
    size_t nsents, sents_cap;
    uint32_t *bounds;
    size_t nbounds, bounds_cap;
    UChar *sbuf;          /* text copy for sentence breaking with line breaks blanked */
    size_t sbuf_cap;
    UChar *xbuf;          /* the excerpts of the text that ICU's sentence rules need */
    size_t xbuf_cap;
    nc_span *pieces;      /* where each excerpt comes from: start, end in the text */
    size_t npieces, pieces_cap;
    UErrorCode icu_status;
} nc_segworker;

/* On NC_EICU, *icu holds ICU's code; NC_EINVAL: unknown locale or stemming
 * language (the caller reports which). */
nc_status nc_segmenter_new(const nc_seg_options *opt, nc_segmenter **out, UErrorCode *icu);
void nc_segmenter_free(nc_segmenter *s);
const nc_seg_options *nc_segmenter_options(const nc_segmenter *s);

/* Adds (or reclassifies) an abbreviation, written with its final period,
 * matched case-sensitively. Only before the segmenter is shared. */
nc_status nc_segmenter_add_abbreviation(nc_segmenter *s, const UChar *abbr, size_t len,
                                        nc_abbr_class cls);
/* Iterates the table: returns 0 past the end. */
int nc_segmenter_abbreviation(const nc_segmenter *s, size_t i, const UChar **abbr, size_t *len,
                              nc_abbr_class *cls);

nc_status nc_segworker_init(nc_segworker *w, const nc_segmenter *s);
void nc_segworker_free(nc_segworker *w);

/* Segments one text: fills w->toks (kept tokens only) and w->sents_out. */
nc_status nc_segment(nc_segworker *w, const nc_text *t);

/* Sentence spans only (w->sents_out), without word segmentation. */
nc_status nc_segment_sentences(nc_segworker *w, const nc_text *t);

/* Whether sentence breaking gives ICU only excerpts of the text (see
 * sentences.c); on when the locale's rules are the root rules. Tests turn it
 * off to compare with breaking whole texts. */
int nc_segmenter_sentence_excerpts(const nc_segmenter *s);
void nc_segmenter_set_sentence_excerpts(nc_segmenter *s, int on);

/* Whether word segmentation does plain text itself (plain_words.h) and
 * gives ICU's iterator only the stretches around other characters; on when
 * the locale's word rules are the root rules. Tests turn it off to compare. */
int nc_segmenter_plain_words(const nc_segmenter *s);
void nc_segmenter_set_plain_words(nc_segmenter *s, int on);

/* Normalized (and, when configured, stemmed) form of a token. */
nc_status nc_segworker_norm(nc_segworker *w, const nc_text *t, const nc_rawtok *tk,
                            const char **out, size_t *len);

#endif
