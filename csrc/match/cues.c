#include "match/cues.h"

#include <stdlib.h>
#include <string.h>

void nc_cue_index_free(nc_cue_index *cx)
{
    nc_u32vec *v[] = {&cx->can_end, &cx->can_minstart, &cx->brk_end,
                      &cx->brk_maxstart, &cx->neg_end, &cx->hyp_end};
    for (size_t k = 0; k < sizeof v / sizeof *v; k++)
        nc_u32vec_free(v[k]);
}

static int cmp_cue_end(const void *x, const void *y)
{
    const nc_cue *a = x, *b = y;
    return (a->end > b->end) - (a->end < b->end);
}

/* Number of values <= x in the ascending v[0..n). */
static size_t count_le(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A cancel cue covers c: some cancel cue ends at or after c's end and starts
 * at or before c's start. */
static int cue_covered(const nc_cue_index *cx, const nc_cue *c)
{
    size_t k = count_le(cx->can_end.v, cx->can_end.n, c->end - 1); /* first end >= c->end */
    return k < cx->can_end.n && cx->can_minstart.v[k] <= c->start;
}

/* A scope break lies within the tokens [from, to): some break cue starts
 * at or after `from` and ends at or before `to`. */
static int scope_broken(const nc_cue_index *cx, uint32_t from, uint32_t to)
{
    size_t k = count_le(cx->brk_end.v, cx->brk_end.n, to);
    return k > 0 && cx->brk_maxstart.v[k - 1] >= from;
}

/* A cue whose end is in `ends` ends at most `window` tokens before
 * `start`, with no scope break between it and the hit. Only the cue that
 * ends last before the hit needs a look: one that ends earlier is farther
 * away, and a break between the last one and the hit lies between it and
 * the hit too. */
static int governed(const nc_cue_index *cx, const nc_u32vec *ends, uint32_t start,
                    uint32_t window)
{
    size_t k = count_le(ends->v, ends->n, start);
    if (k == 0)
        return 0;
    uint32_t e = ends->v[k - 1];
    return start - e <= window && !scope_broken(cx, e, start);
}

uint8_t nc_cue_flags(const nc_cue_index *cx, uint32_t start, uint32_t neg_window,
                     uint32_t hyp_window)
{
    return (uint8_t)((governed(cx, &cx->neg_end, start, neg_window) ? NC_HIT_NEGATED : 0) |
                     (governed(cx, &cx->hyp_end, start, hyp_window) ? NC_HIT_HYPOTHETICAL : 0));
}

nc_status nc_cue_index_build(nc_cue_index *cx, nc_cue *cues, size_t n)
{
    cx->can_end.n = cx->can_minstart.n = cx->brk_end.n = cx->brk_maxstart.n = 0;
    cx->neg_end.n = cx->hyp_end.n = 0;
    /* the scan reaches cues token by token, so they come sorted by end;
     * sort anyway if that ever changes */
    for (size_t k = 1; k < n; k++)
        if (cues[k - 1].end > cues[k].end) {
            qsort(cues, n, sizeof *cues, cmp_cue_end);
            break;
        }
    nc_status r = NC_OK;
    for (size_t k = 0; k < n && !r; k++) {
        const nc_cue *c = &cues[k];
        if (c->role == NC_ROLE_CANCEL && !(r = nc_u32vec_push(&cx->can_end, c->end)))
            r = nc_u32vec_push(&cx->can_minstart, c->start);
        else if (c->role == NC_ROLE_BREAK && !(r = nc_u32vec_push(&cx->brk_end, c->end)))
            r = nc_u32vec_push(&cx->brk_maxstart, c->start);
    }
    if (r)
        return r;
    for (size_t k = cx->can_minstart.n; k-- > 1;)
        if (cx->can_minstart.v[k] < cx->can_minstart.v[k - 1])
            cx->can_minstart.v[k - 1] = cx->can_minstart.v[k];
    for (size_t k = 1; k < cx->brk_maxstart.n; k++)
        if (cx->brk_maxstart.v[k] < cx->brk_maxstart.v[k - 1])
            cx->brk_maxstart.v[k] = cx->brk_maxstart.v[k - 1];
    for (size_t k = 0; k < n; k++) {
        const nc_cue *c = &cues[k];
        nc_u32vec *ends = c->role == NC_ROLE_NEGATOR ? &cx->neg_end
                          : c->role == NC_ROLE_HYPO  ? &cx->hyp_end
                                                     : NULL;
        if (!ends || cue_covered(cx, c))
            continue;
        if ((ends->n == 0 || ends->v[ends->n - 1] != c->end) && (r = nc_u32vec_push(ends, c->end)))
            return r;
    }
    return NC_OK;
}
