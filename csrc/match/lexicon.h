/* The layout of a compiled lexicon, shared by the stage's files that build
 * it (compile.c), bind it to a vocabulary (bind.c) and scan with it
 * (scan.c). Not part of the public interface (matcher.h). */
#ifndef NC_MATCH_LEXICON_H
#define NC_MATCH_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "match/matcher.h"
#include "match/trie.h"
#include "tokens/vocab.h"

/* A term's key starts with one byte telling how the term matches a form;
 * the form (or, with stemming, the stem) follows. */
#define NC_KEY_LITERAL '='
#define NC_KEY_PREFIX '<'
#define NC_KEY_SUFFIX '>'

struct nc_lexicon {
    size_t npatterns;
    uint32_t *pat_category;
    uint8_t *pat_role;     /* nc_role */
    nc_vocab terms;        /* term id -> key */
    nc_vocab classes;      /* symbol id -> its sorted term ids, as bytes */
    uint32_t *class_off;   /* symbol -> terms, CSR */
    uint32_t *class_terms;
    uint32_t *root_child;  /* per symbol: the root's child by it, or NC_NO_STATE */
    nc_trie trie;          /* frozen */
    size_t npaths;
    char *stem_language;   /* literal terms are stems in this language; or NULL */
    int has_prefix;        /* binding needs the sorted vocabulary */
};

#endif
