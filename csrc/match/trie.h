/* The automaton that the patterns compile into: a trie whose edges carry a
 * symbol (a term or a class of terms, numbered by the compiler) or a gap
 * label ~N, which leads to a gap state that waits up to N tokens for its
 * next symbol. It is built by inserting paths and then frozen: each word
 * state's symbol edges move into a small table of its own, the layout the
 * scan walks. */
#ifndef NC_MATCH_TRIE_H
#define NC_MATCH_TRIE_H

#include <stddef.h>
#include <stdint.h>

#include "match/arrays.h"
#include "match/u64map.h"
#include "util/status.h"

#define NC_NO_STATE UINT32_MAX
#define NC_GAP_LABEL 0x80000000u /* | N: the edge of a gap ~N */

/* cinfo[s] of a frozen state: its number of edges, searched linearly, or
 * NC_CHILD_HASHED | mask of an open-addressing table */
#define NC_CHILD_HASHED 0x80000000u

typedef struct {
    size_t nstates, states_cap;
    uint8_t *state_gap;          /* N for the gap state of ~N, 0 for a word state */
    uint8_t *state_edges;        /* a word state with outgoing symbol edges */
    uint32_t *acc_off, *acc_pat; /* per state, the patterns it accepts (frozen) */
    uint32_t *gk_off, *gk_state; /* per state, gap states reachable without a token (frozen) */
    size_t nedges;
    /* Frozen: each word state's symbol edges at ctab + coff[s] (see
     * NC_CHILD_HASHED; free slots have the label NC_NO_STATE), so that the
     * edges of frequent states stay in cache. cmask[s] has the nc_sym_bit()
     * of each of its symbols: most partial matches die at the next token,
     * and this rejects most of those without the table. */
    uint32_t *coff, *cinfo;
    nc_u32pair *ctab;
    uint64_t *cmask;
    /* While building: edges keyed by (state << 32) | label, accepted
     * (state, pattern) and (word state, gap state) pairs. */
    nc_u64map edges;
    nc_pairvec acc, gk;
} nc_trie;

/* An empty trie with its root, state 0. */
nc_status nc_trie_init(nc_trie *t);
void nc_trie_free(nc_trie *t);

/* The child of state by label (a symbol, or NC_GAP_LABEL | N), created if
 * missing. */
nc_status nc_trie_child(nc_trie *t, uint32_t state, uint32_t label, uint32_t *out);

/* The child of state by label, or NC_NO_STATE; only before freezing. */
uint32_t nc_trie_get(const nc_trie *t, uint32_t state, uint32_t label);

/* State accepts pattern (repeats are dropped when freezing). */
nc_status nc_trie_accept(nc_trie *t, uint32_t state, uint32_t pattern);

/* Moves the edges into the scan's layout and drops what only building needs. */
nc_status nc_trie_freeze(nc_trie *t);

static inline uint32_t nc_label_slot(uint32_t label)
{
    /* one multiply (Fibonacci hashing): this runs for every live partial
     * match at every token */
    return label * 0x9E3779B1u;
}

/* One of 64 bits for a symbol (see cmask and nc_lexbind.symmask). */
static inline uint64_t nc_sym_bit(uint32_t sym) { return (uint64_t)1 << (nc_label_slot(sym) >> 26); }

/* The child of a word state of a frozen trie by symbol, or NC_NO_STATE. */
static inline uint32_t nc_trie_step(const nc_trie *t, uint32_t state, uint32_t sym)
{
    uint32_t info = t->cinfo[state];
    const nc_u32pair *e = t->ctab + t->coff[state];
    if (!(info & NC_CHILD_HASHED)) {
        for (uint32_t k = 0; k < info; k++)
            if (e[k].a == sym)
                return e[k].b;
        return NC_NO_STATE;
    }
    uint32_t mask = info & ~NC_CHILD_HASHED;
    for (uint32_t i = nc_label_slot(sym) & mask;; i = (i + 1) & mask) {
        if (e[i].a == sym)
            return e[i].b;
        if (e[i].a == NC_NO_STATE)
            return NC_NO_STATE;
    }
}

#endif
