#include "match/resolve.h"

#include <stdlib.h>
#include <string.h>

#include "match/matcher.h"
#include "util/alloc.h"

void nc_resolver_free(nc_resolver *rs)
{
    nc_free(rs->occ);
    memset(rs, 0, sizeof *rs);
}

static int cmp_dedupe(const void *x, const void *y)
{
    const nc_cand *a = x, *b = y;
    if (a->pat != b->pat)
        return a->pat < b->pat ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->skip != b->skip)
        return a->skip < b->skip ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    return 0;
}

static int cmp_priority(const void *x, const void *y)
{
    const nc_cand *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    uint32_t la = a->end - a->start, lb = b->end - b->start;
    if (la != lb)
        return la > lb ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->pat > b->pat) - (a->pat < b->pat);
}

static int cmp_position(const void *x, const void *y)
{
    const nc_cand *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return (a->pat > b->pat) - (a->pat < b->pat);
}

/* Most sentences have a handful of candidates: insertion sort beats qsort. */
static void sort_cands(nc_cand *a, size_t n, int (*cmp)(const void *, const void *))
{
    if (n > 16) {
        qsort(a, n, sizeof *a, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        nc_cand x = a[i];
        size_t j = i;
        while (j > 0 && cmp(&a[j - 1], &x) > 0) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Keeps the candidates c[0..*m) that the overlap policy allows, in
 * priority order. Greedy: a candidate is kept unless it overlaps one kept
 * before it in its group. Within a group candidates come longest first,
 * so a kept hit that overlaps a candidate is at least as long and holds
 * the candidate's first or last token: two lookups in the occupancy array
 * decide, and marking kept hits costs at most the sentence's length per
 * group. */
static nc_status choose(nc_resolver *rs, nc_cand *cands, size_t *m, uint32_t first,
                        uint32_t ntok)
{
    if (ntok > rs->occ_cap) {
        size_t old = rs->occ_cap;
        if (nc_grow((void **)&rs->occ, &rs->occ_cap, ntok, sizeof *rs->occ))
            return NC_ENOMEM;
        memset(rs->occ + old, 0, (rs->occ_cap - old) * sizeof *rs->occ);
    }
    sort_cands(cands, *m, cmp_priority);
    size_t kept = 0;
    uint32_t group = 0;
    for (size_t i = 0; i < *m; i++) {
        const nc_cand c = cands[i];
        if (i == 0 || c.group != group) {
            group = c.group;
            if (++rs->stamp == 0) { /* wrapped: stamps of old groups would come back */
                memset(rs->occ, 0, rs->occ_cap * sizeof *rs->occ);
                rs->stamp = 1;
            }
        }
        uint32_t *occ = rs->occ + (c.start - first);
        const uint32_t len = c.end - c.start;
        if (occ[0] == rs->stamp || occ[len - 1] == rs->stamp)
            continue;
        for (uint32_t t = 0; t < len; t++)
            occ[t] = rs->stamp;
        cands[kept++] = c;
    }
    *m = kept;
    return NC_OK;
}

nc_status nc_resolve(nc_resolver *rs, nc_cand *c, size_t *n, int overlap,
                     const uint32_t *category, uint32_t first, uint32_t ntok)
{
    size_t m = 0;
    if (*n == 0)
        return NC_OK;
    sort_cands(c, *n, cmp_dedupe);
    for (size_t i = 0; i < *n; i++)
        if (m == 0 || c[m - 1].pat != c[i].pat || c[m - 1].start != c[i].start)
            c[m++] = c[i];
    if (overlap != NC_OVERLAP_ALL) {
        for (size_t i = 0; i < m; i++)
            c[i].group = overlap == NC_OVERLAP_CATEGORY ? category[c[i].pat] : 0;
        nc_status r = choose(rs, c, &m, first, ntok);
        if (r)
            return r;
    }
    sort_cands(c, m, cmp_position);
    *n = m;
    return NC_OK;
}
