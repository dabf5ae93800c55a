/* Many token patterns compiled into one automaton, and the scan of a token
 * store with it.
 *
 * Compiling (corpus-independent, once per lexicon and tokenizer):
 *   1. each pattern is parsed (pattern.h); its words are normalized by a
 *      caller-supplied function (the corpus tokenizer), a word that becomes
 *      several tokens becoming a sequence;
 *   2. alternatives and optional elements are expanded into linear paths.
 *      Multi-token alternatives and optional elements must fit in
 *      NC_LEX_MAX_PATHS paths per pattern; single-token alternatives are
 *      expanded too, from the left, as long as the pattern stays within that
 *      limit (the trie then takes one edge per token), and beyond it a group
 *      stays one symbol: a class of terms;
 *   3. all paths of all patterns go into one trie whose edges are labelled
 *      with a symbol (a term or a class) or with a gap ~N, which leads to a
 *      "gap state" that waits up to N tokens for its next symbol.
 *
 * Binding to a corpus (per scan): each term is resolved against the
 * vocabulary (literal: hash lookup, or stem lookup with stemming;
 * prefix glob: binary search over the sorted forms; suffix glob: one pass
 * over the forms) and every vocabulary id gets the list of symbols it
 * carries. Scanning then costs a lookup per token plus a little work per
 * live partial match, so it hardly depends on the number of patterns.
 *
 * Scanning rules (see docs/patterns.md):
 *   - a match never spans a sentence boundary;
 *   - adjacent pattern words must be adjacent tokens with no punctuation
 *     (no barrier) between them, unless NC_MATCH_IGNORE_PUNCT; a gap ~N
 *     spans punctuation as well as up to N tokens;
 *   - per pattern and start token the match that skips the fewest tokens
 *     in gaps wins, then the longest;
 *   - overlaps: by default the longest match wins within a category and
 *     nested or overlapping matches of that category are dropped
 *     (ties: earlier start, then lower pattern index); NC_OVERLAP_LEXICON
 *     does the same across all categories; NC_OVERLAP_ALL keeps everything;
 *   - cue patterns (roles other than NC_ROLE_MARKER) are never reported;
 *     they set the negated / hypothetical flags of the marker hits that
 *     follow them in the same sentence (see nc_match_opts).
 *
 * A compiled lexicon is immutable: any number of threads may scan with it.
 *
 * The stage's files: pattern.c parses, compile.c builds the automaton
 * (trie.c) from the patterns, bind.c binds it to a vocabulary, scan.c walks
 * the tokens, resolve.c chooses among overlapping matches, cues.c applies
 * negation and hypothetical cues, hits.c collects the hits; arrays.c and
 * u64map.c are the small containers they share. */
#ifndef NC_MATCHER_H
#define NC_MATCHER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "match/arrays.h" /* nc_strlist */
#include "match/pattern.h"
#include "util/pool.h"
#include "tokens/tokstore.h"
#include "tokens/vocab.h"

#define NC_LEX_MAX_PATHS 1024 /* linear expansions of one pattern */
#define NC_LEX_MAX_STEPS 64   /* tokens in one expansion */
#define NC_LEX_MAX_PATTERNS ((size_t)1 << 24)

typedef enum {
    NC_ROLE_MARKER = 0, /* reported as a hit */
    NC_ROLE_NEGATOR = 1,  /* not, n't, never, stopped short of ... */
    NC_ROLE_CANCEL = 2,   /* cancels cues inside it: will not hesitate, not only, no doubt */
    NC_ROLE_HYPO = 3,     /* could, might, if, in certain circumstances ... */
    NC_ROLE_BREAK = 4     /* ends the scope of a cue: but, although, which ... */
} nc_role;

typedef struct {
    const char *src; /* the pattern, UTF-8 */
    size_t len;
    uint32_t category; /* markers: categories are compared for overlap */
    uint8_t role;      /* nc_role */
} nc_pat_spec;

/* Normalizes one pattern word (UTF-8, without its '*') into token forms
 * appended to `out` (which arrives empty). `glob` is the word's nc_glob.
 * Zero forms make the compile fail with "no tokens" at that word; any
 * status other than NC_OK is passed through. */
typedef nc_status (*nc_word_fn)(void *ctx, const char *word, size_t len, int glob,
                                nc_strlist *out);

typedef struct {
    size_t pattern;  /* index of the failing pattern */
    size_t pos;      /* byte offset in its source */
    const char *msg; /* static text */
} nc_lex_error;

typedef struct nc_lexicon nc_lexicon;

/* Compiles n patterns. `norm` may be NULL: words are then taken as they are.
 * stem_language (may be NULL) makes literal words match by Snowball stem
 * (globs still match forms). NC_EINVAL with *err for a bad pattern or an
 * unknown language (err->pattern == n then). */
nc_status nc_lexicon_compile(const nc_pat_spec *specs, size_t n, nc_word_fn norm, void *norm_ctx,
                             const char *stem_language, nc_lexicon **out, nc_lex_error *err);
void nc_lexicon_free(nc_lexicon *lx);

typedef struct {
    size_t patterns, symbols, terms, states, edges, paths;
} nc_lexicon_info;
void nc_lexicon_get_info(const nc_lexicon *lx, nc_lexicon_info *info);

/* Per vocabulary id, the symbols its form carries: syms[off[id]..off[id+1]),
 * and the states a match starting with it enters: roots[roff[id]..roff[id+1]). */
typedef struct {
    uint32_t *off;
    uint32_t *syms;
    uint32_t *roff;
    uint32_t *roots;
    uint64_t *symmask; /* per id, a 64-bit signature of its symbols */
    size_t nvocab;
} nc_lexbind;

nc_status nc_lexicon_bind(const nc_lexicon *lx, const nc_vocab *v, nc_lexbind *b);
void nc_lexbind_free(nc_lexbind *b);

enum { NC_OVERLAP_CATEGORY = 0, NC_OVERLAP_LEXICON = 1, NC_OVERLAP_ALL = 2 };
enum { NC_MATCH_IGNORE_PUNCT = 1 };
enum { NC_HIT_NEGATED = 1, NC_HIT_HYPOTHETICAL = 2 };

typedef struct {
    int overlap;             /* NC_OVERLAP_* */
    int flags;               /* NC_MATCH_* */
    /* A negator cue flags a hit when at most neg_window tokens lie between
     * the cue's end and the hit's start, no break cue lies between them and
     * no cancel cue covers the negator. The same for hypothetical cues with
     * hyp_window. */
    uint32_t neg_window, hyp_window;
    uint32_t context;        /* kwic: also report the span of this many tokens each side */
    int workers;             /* threads: at most one per document, and NC_MATCH_MAX_WORKERS */
    nc_poll_fn poll;         /* see pool.h; may be NULL */
    void *poll_ctx;
    atomic_size_t *progress; /* documents scanned, for a progress bar; may be NULL */
} nc_match_opts;

#define NC_MATCH_MAX_WORKERS 64

/* Hits in document order, then by start token, end token, pattern. */
typedef struct {
    uint32_t *doc, *pattern, *sentence;
    uint32_t *tok_start, *tok_end;   /* token indices within the document, end exclusive */
    uint32_t *start, *end;           /* code-point offsets into the document */
    uint32_t *ctx_start, *ctx_end;   /* with opts.context; else NULL */
    uint8_t *flags;                  /* NC_HIT_* */
    size_t n;
} nc_hits;

void nc_hits_free(nc_hits *h);

/* Binds the lexicon to the store's vocabulary and scans every document. */
nc_status nc_match(const nc_lexicon *lx, const nc_tokstore *ts, const nc_match_opts *o,
                   nc_hits *out);

/* The same with a binding made beforehand (reused across scans). */
nc_status nc_match_bound(const nc_lexicon *lx, const nc_lexbind *b, const nc_tokstore *ts,
                         const nc_match_opts *o, nc_hits *out);

#endif
