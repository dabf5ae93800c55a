#include "tokens/vocab.h"

#include <string.h>

#include "util/alloc.h"
#include "util/sort.h"

/* A slot holds the first 16 bytes of its string (zero padded) next to the
 * hash, the length and the id, so looking up a typical token reads one slot
 * and compares two words; only longer strings go on to the arena. */
struct nc_vslot {
    uint64_t w0, w1;
    uint32_t meta; /* hash bits above, length (capped at 255) in the low byte */
    uint32_t id1;  /* id + 1; 0 is empty */
};

void nc_vocab_init(nc_vocab *v) { memset(v, 0, sizeof *v); }

void nc_vocab_free(nc_vocab *v)
{
    nc_free(v->arena);
    nc_free(v->offs);
    nc_free(v->lens);
    nc_free(v->hashes);
    nc_free(v->kinds);
    nc_free_table(v->slots, v->nslots, sizeof *v->slots);
    nc_vocab_init(v);
}

#define SHORT 16

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static inline uint64_t load_le(const char *s, size_t n)
{
    /* n <= 8 bytes, zero padded; byte loops the compiler turns into loads */
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return w;
}

static inline void prefix_words(const char *s, size_t len, uint64_t *w0, uint64_t *w1)
{
    if (len >= SHORT) {
        memcpy(w0, s, 8);
        memcpy(w1, s + 8, 8);
        /* the same bytes as the loads below would give on little-endian */
        *w0 = load_le((const char *)w0, 8);
        *w1 = load_le((const char *)w1, 8);
        return;
    }
    *w0 = load_le(s, len < 8 ? len : 8);
    *w1 = len > 8 ? load_le(s + 8, len - 8) : 0;
}

uint64_t nc_hash_bytes(const void *p, size_t len)
{
    const unsigned char *s = p;
    if (len <= SHORT) {
        uint64_t w0, w1;
        prefix_words(p, len, &w0, &w1);
        return mix64(w0 * 0x9E3779B97F4A7C15ULL ^ (w1 + len) * 0xC2B2AE3D27D4EB4FULL);
    }
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0x100000001b3ULL);
    while (len >= 8) {
        uint64_t k;
        memcpy(&k, s, 8);
        h = (h ^ mix64(k)) * 0x9E3779B97F4A7C15ULL;
        s += 8;
        len -= 8;
    }
    uint64_t k = 0;
    memcpy(&k, s, len);
    h = (h ^ mix64(k ^ len)) * 0x9E3779B97F4A7C15ULL;
    return mix64(h);
}

static inline uint32_t slot_meta(uint32_t hash, size_t len)
{
    return (hash & ~0xFFu) | (uint32_t)(len < 255 ? len : 255);
}

static nc_status rehash(nc_vocab *v, size_t nslots)
{
    struct nc_vslot *slots = nc_calloc_table(nslots, sizeof *slots);
    if (!slots)
        return NC_ENOMEM;
    size_t mask = nslots - 1;
    for (size_t id = 0; id < v->n; id++) {
        size_t i = v->hashes[id] & mask;
        while (slots[i].id1)
            i = (i + 1) & mask;
        prefix_words(v->arena + v->offs[id], v->lens[id], &slots[i].w0, &slots[i].w1);
        slots[i].meta = slot_meta(v->hashes[id], v->lens[id]);
        slots[i].id1 = (uint32_t)id + 1;
    }
    nc_free_table(v->slots, v->nslots, sizeof *v->slots);
    v->slots = slots;
    v->nslots = nslots;
    return NC_OK;
}

/* The slot holding s, or the empty slot where it would go. */
static inline struct nc_vslot *probe(const nc_vocab *v, const char *s, size_t len, uint32_t h)
{
    uint64_t w0, w1;
    prefix_words(s, len, &w0, &w1);
    uint32_t meta = slot_meta(h, len);
    size_t mask = v->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct nc_vslot *e = &v->slots[i];
        if (!e->id1)
            return e;
        if (e->meta == meta && e->w0 == w0 && e->w1 == w1) {
            uint32_t id = e->id1 - 1;
            if (len <= SHORT ||
                (v->lens[id] == len && memcmp(v->arena + v->offs[id], s, len) == 0))
                return e;
        }
    }
}

int64_t nc_vocab_find(const nc_vocab *v, const char *s, size_t len)
{
    if (!v->nslots)
        return -1;
    const struct nc_vslot *e = probe(v, s, len, (uint32_t)nc_hash_bytes(s, len));
    return e->id1 ? (int64_t)e->id1 - 1 : -1;
}

nc_status nc_vocab_intern(nc_vocab *v, const char *s, size_t len, uint8_t kind, uint32_t *id)
{
    if (len > UINT32_MAX)
        return NC_ERANGE;
    uint32_t h = (uint32_t)nc_hash_bytes(s, len);
    if (v->nslots) {
        const struct nc_vslot *e = probe(v, s, len, h);
        if (e->id1) {
            *id = e->id1 - 1;
            return NC_OK;
        }
    }
    if (v->n >= NC_VOCAB_MAX_IDS)
        return NC_ERANGE;
    if ((v->n + 1) * 2 > v->nslots) {
        nc_status r = rehash(v, v->nslots ? v->nslots * 2 : 1024);
        if (r)
            return r;
    }
    size_t cap = v->cap;
    if (v->n + 1 > cap) {
        size_t ncap = cap ? cap * 2 : 256;
        size_t c1 = cap, c2 = cap, c3 = cap, c4 = cap;
        if (nc_grow((void **)&v->offs, &c1, ncap, sizeof *v->offs) ||
            nc_grow((void **)&v->lens, &c2, ncap, sizeof *v->lens) ||
            nc_grow((void **)&v->hashes, &c3, ncap, sizeof *v->hashes) ||
            nc_grow((void **)&v->kinds, &c4, ncap, sizeof *v->kinds))
            return NC_ENOMEM; /* arrays that grew stay valid; cap stays the minimum */
        v->cap = ncap;
    }
    if (nc_grow((void **)&v->arena, &v->arena_cap, v->arena_len + len + 1, 1))
        return NC_ENOMEM;
    memcpy(v->arena + v->arena_len, s, len);
    v->arena[v->arena_len + len] = 0;
    uint32_t nid = (uint32_t)v->n++;
    v->offs[nid] = v->arena_len;
    v->lens[nid] = (uint32_t)len;
    v->hashes[nid] = h;
    v->kinds[nid] = kind;
    v->arena_len += len + 1;
    struct nc_vslot *e = probe(v, s, len, h);
    prefix_words(s, len, &e->w0, &e->w1);
    e->meta = slot_meta(h, len);
    e->id1 = nid + 1;
    *id = nid;
    return NC_OK;
}

size_t nc_vocab_bytes(const nc_vocab *v)
{
    return v->arena_cap + v->cap * (sizeof *v->offs + sizeof *v->lens + sizeof *v->hashes + 1) +
           v->nslots * sizeof *v->slots;
}

static int cmp_ids(uint32_t x, uint32_t y, void *ctx)
{
    const nc_vocab *v = ctx;
    size_t lx = v->lens[x], ly = v->lens[y];
    int c = memcmp(v->arena + v->offs[x], v->arena + v->offs[y], lx < ly ? lx : ly);
    if (c)
        return c;
    return (lx > ly) - (lx < ly);
}

nc_status nc_vocab_ranks(const nc_vocab *v, uint32_t **ranks)
{
    size_t n = v->n ? v->n : 1;
    uint32_t *order = nc_malloc(n * sizeof *order);
    uint32_t *rk = nc_malloc(n * sizeof *rk);
    if (!order || !rk)
        goto oom;
    for (size_t i = 0; i < v->n; i++)
        order[i] = (uint32_t)i;
    if (nc_sort_u32(order, v->n, cmp_ids, (void *)v))
        goto oom;
    for (size_t i = 0; i < v->n; i++)
        rk[order[i]] = (uint32_t)i;
    nc_free(order);
    *ranks = rk;
    return NC_OK;
oom:
    nc_free(order);
    nc_free(rk);
    return NC_ENOMEM;
}
