/* Hashing of token-id sequences, shared by the n-gram counters (ngram.c)
 * and the document-term matrix (dtm.c) so both probe their tables alike. */
#ifndef NC_NGHASH_H
#define NC_NGHASH_H

#include <stdint.h>

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

#endif
