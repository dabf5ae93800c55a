/* A map from 64-bit keys to 32-bit values: open addressing with linear
 * probing, slots chosen by nc_hash_mix, at most half full. UINT64_MAX marks
 * a free slot and cannot be a key. Generic; could serve the rest of the
 * core too. */
#ifndef NC_MATCH_U64MAP_H
#define NC_MATCH_U64MAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"
#include "util/status.h"

#define NC_U64MAP_FREE UINT64_MAX

typedef struct {
    uint64_t key; /* NC_U64MAP_FREE when free */
    uint32_t val;
} nc_u64slot;

typedef struct {
    nc_u64slot *slots; /* mask + 1 of them, or NULL */
    size_t mask;
    size_t n;          /* keys held */
} nc_u64map;

void nc_u64map_free(nc_u64map *m);

/* Makes room for `n` keys. */
nc_status nc_u64map_reserve(nc_u64map *m, size_t n);

/* The slot of key: its own, or the free one it would take. The map must
 * have slots (see nc_u64map_reserve). A caller that fills a free slot sets
 * key and val and counts it in n. */
static inline nc_u64slot *nc_u64map_slot(const nc_u64map *m, uint64_t key)
{
    for (size_t i = nc_hash_mix(key) & m->mask;; i = (i + 1) & m->mask) {
        nc_u64slot *e = &m->slots[i];
        if (e->key == key || e->key == NC_U64MAP_FREE)
            return e;
    }
}

/* The value of key, or `none`. */
static inline uint32_t nc_u64map_get(const nc_u64map *m, uint64_t key, uint32_t none)
{
    if (!m->slots)
        return none;
    const nc_u64slot *e = nc_u64map_slot(m, key);
    return e->key == key ? e->val : none;
}

#endif
