/* Choosing among the marker matches of one sentence (see matcher.h): per
 * pattern and start token the match that skips the fewest tokens in gaps,
 * then the longest; then the overlap policy. */
#ifndef NC_MATCH_RESOLVE_H
#define NC_MATCH_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* A marker pattern's match: tokens [start, end) of the document, `skip`
 * of them passed over in gaps. */
typedef struct {
    uint32_t pat, start, end, skip;
    uint32_t group; /* set by nc_resolve: matches of one group compete */
} nc_cand;

/* Memory that nc_resolve reuses from sentence to sentence. */
typedef struct {
    /* per token of the sentence: the stamp of the overlap group that holds
     * it; a new group takes a new stamp, so nothing needs clearing */
    uint32_t *occ;
    size_t occ_cap;
    uint32_t stamp;
} nc_resolver;

void nc_resolver_free(nc_resolver *rs);

/* Leaves of c[0..*n), the candidates of the sentence of tokens
 * [first, first + ntok), the ones to report, in *n, ordered by start, end,
 * pattern. overlap is NC_OVERLAP_*; category[pattern] groups the patterns
 * for NC_OVERLAP_CATEGORY. */
nc_status nc_resolve(nc_resolver *rs, nc_cand *c, size_t *n, int overlap,
                     const uint32_t *category, uint32_t first, uint32_t ntok);

#endif
