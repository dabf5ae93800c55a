/* The hit table a scan returns (nc_hits, matcher.h): each worker fills one
 * from its sentences' chosen matches, and the workers' tables are joined in
 * document order. */
#ifndef NC_MATCH_HITS_H
#define NC_MATCH_HITS_H

#include <stddef.h>
#include <stdint.h>

#include "match/cues.h"
#include "match/matcher.h"
#include "match/resolve.h"
#include "tokens/tokstore.h"

/* A growing nc_hits. */
typedef struct {
    nc_hits h;
    size_t cap;
} nc_hitbuf;

void nc_hitbuf_free(nc_hitbuf *b);

/* Appends the chosen matches c[0..m) of one sentence of document `doc`:
 * their code-point spans (and, with o->context, those of the context), and
 * the flags that the sentence's cues give them. */
nc_status nc_hitbuf_add(nc_hitbuf *b, const nc_tokstore *ts, size_t doc, uint32_t sentence,
                        const nc_cand *c, size_t m, const nc_match_opts *o,
                        const nc_cue_index *cx);

/* The tables bufs[0..n) one after another in *out. */
nc_status nc_hits_join(nc_hitbuf *bufs, size_t n, int context, nc_hits *out);

#endif
