/* Interning of normalized token strings (UTF-8) to dense ids 0..n-1, in the
 * order first seen. Not thread-safe: each thread interns into its own vocab
 * and the vocabs are merged afterwards. */
#ifndef NC_VOCAB_H
#define NC_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

#define NC_VOCAB_MAX_IDS ((uint32_t)1 << 30) /* ids leave 2 flag bits free */

typedef struct {
    char *arena;          /* NUL-terminated strings back to back */
    size_t arena_len, arena_cap;
    size_t *offs;         /* per id: offset in arena */
    uint32_t *lens;
    uint32_t *hashes;
    uint8_t *kinds;       /* nc_tokkind of the first occurrence */
    size_t n, cap;
    struct nc_vslot *slots; /* open addressing; see vocab.c */
    size_t nslots;
} nc_vocab;

void nc_vocab_init(nc_vocab *v);
void nc_vocab_free(nc_vocab *v);

uint64_t nc_hash_bytes(const void *p, size_t len);

nc_status nc_vocab_intern(nc_vocab *v, const char *s, size_t len, uint8_t kind, uint32_t *id);
/* The id of s, or -1. */
int64_t nc_vocab_find(const nc_vocab *v, const char *s, size_t len);

static inline const char *nc_vocab_str(const nc_vocab *v, uint32_t id, size_t *len)
{
    if (len)
        *len = v->lens[id];
    return v->arena + v->offs[id];
}

/* Bytes held by the vocabulary. */
size_t nc_vocab_bytes(const nc_vocab *v);

/* ranks[id] = position of the string in code-point (UTF-8 byte) order. */
nc_status nc_vocab_ranks(const nc_vocab *v, uint32_t **ranks);

#endif
