/* Negation and hypothetical cues: which marker hits of a sentence a cue
 * governs (see nc_match_opts). The cues of one sentence are indexed once, so
 * that each hit is answered with binary searches rather than a pass over
 * every cue: a sentence can be a whole document (lines joined by single line
 * breaks) with a cue on every line. */
#ifndef NC_MATCH_CUES_H
#define NC_MATCH_CUES_H

#include <stddef.h>
#include <stdint.h>

#include "match/arrays.h"
#include "match/matcher.h"

/* A cue pattern's match: tokens [start, end) of the document. */
typedef struct {
    uint32_t role, start, end; /* role: nc_role other than NC_ROLE_MARKER */
} nc_cue;

/* The cue lists of one sentence, each in order of the cues' ends. */
typedef struct {
    nc_u32vec can_end, can_minstart; /* cancel cues; min start of cues k.. */
    nc_u32vec brk_end, brk_maxstart; /* scope breaks; max start of cues ..k */
    nc_u32vec neg_end, hyp_end;      /* ends of negator / hypothetical cues not cancelled */
} nc_cue_index;

/* Indexes the cues[0..n) of one sentence (reordering them by end), reusing
 * cx's memory. */
nc_status nc_cue_index_build(nc_cue_index *cx, nc_cue *cues, size_t n);
void nc_cue_index_free(nc_cue_index *cx);

/* NC_HIT_NEGATED and NC_HIT_HYPOTHETICAL for a hit starting at token
 * `start`, with the windows of nc_match_opts. */
uint8_t nc_cue_flags(const nc_cue_index *cx, uint32_t start, uint32_t neg_window,
                     uint32_t hyp_window);

#endif
