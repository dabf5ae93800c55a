/* The core's one 64-bit hash, shared by every table and counter.
 *
 * Keys are folded in word by word (a multiply and a shift per word, cheap enough for the
 * per-token loops), and nc_hash_mix, the finalizer of MurmurHash3 (fmix64), spreads the
 * result over all 64 bits before a table takes its low bits as a slot. */
#ifndef NC_HASH_H
#define NC_HASH_H

#include <stdint.h>

#define NC_HASH_SEED 0x243F6A8885A308D3ULL

/* h with one more word folded in. */
static inline uint64_t nc_hash_fold(uint64_t h, uint64_t word)
{
    h ^= word;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* Every bit of x affects every bit of the result. */
static inline uint64_t nc_hash_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

#endif
