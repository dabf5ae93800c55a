/* Hashing of token-id sequences, shared by the n-gram counters (ngram.c)
 * and the document-term matrix (dtm.c) so both probe their tables alike. */
#ifndef NC_NGHASH_H
#define NC_NGHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "util/status.h"
#include "tokens/tokstore.h"

#define NC_NG_H0 0x243F6A8885A308D3ULL

/* Folds ids from the last to the first, so the hash of an n-gram ending at
 * token i extends to n+1 by one more step with the id before it. */
static inline uint64_t nc_ng_hstep(uint64_t h, uint32_t id)
{
    h ^= id;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* Mixes in the group and the length; the result indexes a table. */
static inline uint32_t nc_ng_hfinal(uint64_t h, uint32_t group, uint32_t n)
{
    h ^= ((uint64_t)group << 8) ^ n;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

static inline uint32_t nc_ng_hash(const uint32_t *ids, uint32_t n, uint32_t group)
{
    uint64_t h = NC_NG_H0;
    for (uint32_t j = n; j-- > 0;)
        h = nc_ng_hstep(h, ids[j]);
    return nc_ng_hfinal(h, group, n);
}

/* Table entries keep an n-gram's ids inline when it has at most NC_NG_INLINE
 * of them, so a probe touches one cache line; longer n-grams go to an arena
 * and the entry keeps the offset in its first two words. */
#define NC_NG_INLINE 3

/* Stores ids[0..n) for an entry whose inline words are `slot`; nonzero on OOM. */
static inline int nc_ng_store_ids(uint32_t slot[NC_NG_INLINE], const uint32_t *ids, uint32_t n,
                                  uint32_t **arena, size_t *alen, size_t *acap)
{
    if (n <= NC_NG_INLINE) {
        memcpy(slot, ids, n * sizeof *ids);
        return 0;
    }
    if (nc_grow((void **)arena, acap, *alen + n, sizeof **arena))
        return -1;
    memcpy(*arena + *alen, ids, n * sizeof *ids);
    uint64_t off = *alen;
    memcpy(slot, &off, sizeof off);
    *alen += n;
    return 0;
}

/* The ids an entry stored with nc_ng_store_ids. */
static inline const uint32_t *nc_ng_ids(const uint32_t slot[NC_NG_INLINE], uint32_t n,
                                        const uint32_t *arena)
{
    if (n <= NC_NG_INLINE)
        return slot;
    uint64_t off;
    memcpy(&off, slot, sizeof off);
    return arena + off;
}

/* A document's ids without their flags, in a buffer reused across documents. */
static inline nc_status nc_ng_clean_ids(const uint32_t *ids, uint32_t n, uint32_t **buf,
                                        size_t *cap)
{
    if (nc_grow((void **)buf, cap, n ? n : 1, sizeof **buf))
        return NC_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        (*buf)[i] = ids[i] & NC_TOK_ID_MASK;
    return NC_OK;
}

/* Which n-grams of a document are walked: lengths nmin..nmax; a token whose
 * id has stop[id] set is removed and separates n-grams like a barrier. */
typedef struct {
    int nmin, nmax;
    const uint8_t *stop;
    size_t nstop;
} nc_ng_walk;

/* Called for each n-gram: clean[start .. start+m) with its unfinished hash h
 * (finish it with nc_ng_hfinal). Nonzero stops the walk and is returned. */
typedef int (*nc_ng_visit)(void *ctx, const uint32_t *clean, uint32_t start, uint32_t m,
                           uint64_t h);

/* Visits every n-gram that spans no barrier (sentence start, removed token)
 * and no stop word, in order of its last token, shortest first. Inlined so
 * that a constant visitor is inlined into the loop too. */
__attribute__((always_inline)) static inline int
nc_ng_walk_doc(const uint32_t *ids, const uint32_t *clean, uint32_t n, const nc_ng_walk *w,
               nc_ng_visit visit, void *ctx)
{
    uint32_t run = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (ids[i] & NC_TOK_BARRIER)
            run = i;
        if (w->stop && clean[i] < w->nstop && w->stop[clean[i]]) {
            run = i + 1;
            continue;
        }
        uint32_t maxn = i - run + 1;
        if (maxn > (uint32_t)w->nmax)
            maxn = (uint32_t)w->nmax;
        uint64_t h = NC_NG_H0;
        for (uint32_t m = 1; m <= maxn; m++) {
            h = nc_ng_hstep(h, clean[i - m + 1]);
            if (m < (uint32_t)w->nmin)
                continue;
            int stop = visit(ctx, clean, i - m + 1, m, h);
            if (stop)
                return stop;
        }
    }
    return 0;
}

#endif
