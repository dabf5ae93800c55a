#include "tokens/tokstore.h"

#include <string.h>

#include "util/alloc.h"

void nc_tokstore_init(nc_tokstore *ts) { memset(ts, 0, sizeof *ts); }

static void chunk_free(nc_tokchunk *c)
{
    nc_free(c->ids);
    nc_free(c->starts);
    nc_free(c->lens);
    nc_free(c->sent_first);
    nc_free(c->long_at);
    nc_free(c->long_len);
    memset(c, 0, sizeof *c);
}

void nc_tokstore_free(nc_tokstore *ts)
{
    nc_vocab_free(&ts->vocab);
    for (size_t i = 0; i < ts->nchunks; i++)
        chunk_free(&ts->chunks[i]);
    nc_free(ts->chunks);
    nc_free(ts->docs);
    nc_tokstore_init(ts);
}

static nc_status chunk_reserve(nc_tokchunk *c, size_t need)
{
    if (need <= c->tok_cap)
        return NC_OK;
    size_t cap = c->tok_cap, c1 = cap, c2 = cap, c3 = cap;
    size_t ncap = cap ? cap : 1024;
    while (ncap < need)
        ncap *= 2;
    if (nc_grow((void **)&c->ids, &c1, ncap, sizeof *c->ids) ||
        nc_grow((void **)&c->starts, &c2, ncap, sizeof *c->starts) ||
        nc_grow((void **)&c->lens, &c3, ncap, sizeof *c->lens))
        return NC_ENOMEM;
    c->tok_cap = ncap;
    return NC_OK;
}

/* Gives back the slack of doubling so a built corpus holds what it uses. */
static void chunk_shrink(nc_tokchunk *c)
{
    size_t n = c->ntok ? c->ntok : 1;
    void *p;
    /* a failed shrink keeps the larger block, which is still big enough */
    if (c->tok_cap > n) {
        if ((p = nc_realloc(c->ids, n * sizeof *c->ids)))
            c->ids = p;
        if ((p = nc_realloc(c->starts, n * sizeof *c->starts)))
            c->starts = p;
        if ((p = nc_realloc(c->lens, n * sizeof *c->lens)))
            c->lens = p;
        c->tok_cap = n;
    }
    size_t ns = c->nsent ? c->nsent : 1;
    if (c->sent_first && c->sent_cap > ns) {
        if ((p = nc_realloc(c->sent_first, ns * sizeof *c->sent_first)))
            c->sent_first = p;
        c->sent_cap = ns;
    }
}

typedef struct {
    const nc_tokstore *ts;
    const nc_segmenter *seg;
    const nc_docsrc *docs;
    const size_t *bounds;   /* worker k takes docs [bounds[k], bounds[k+1]) */
    nc_vocab *vocabs;
    nc_tokchunk *chunks;
    nc_docrec *recs;
    nc_build_error *errs;
    atomic_int cancel;
    atomic_size_t *progress;
} build_ctx;

/* ---- per-worker token cache ---------------------------------------------- */

/* Nearly every token repeats one seen before. A worker maps a token's code
 * units and kind (which decides stemming) straight to its vocabulary id, so
 * repeats skip normalization and the hash of the normalized form; only a
 * token not seen before is normalized and interned. The first occurrence of
 * every form is such a miss, so ids and first kinds are as without it.
 *
 * A key is the code units, one byte each when they share one high byte
 * (ASCII, Latin-1, Cyrillic...) and UTF-16 otherwise, zero padded to 24
 * bytes, plus its shape (length, kind, form, high byte), and is held in the
 * slot itself; longer tokens are rare and not cached. The cache stops
 * growing at CACHE_MAX_KEYS (16 MB of slots); tokens it does not hold take
 * the slow path. */
#define CACHE_MAX_KEYS ((size_t)1 << 18)
#define CACHE_BLOCK 64 /* tokens whose slots are prefetched together */

typedef struct {
    uint64_t w0, w1, w2; /* the code units, packed */
    uint32_t meta;       /* hash bits above, shape in the low 16 bits */
    uint32_t id1;        /* in a slot: vocabulary id + 1; 0: empty */
} cache_entry;

typedef struct {
    cache_entry *slots;
    size_t nslots, n;
} tokcache;

static void cache_free(tokcache *c)
{
    nc_free_table(c->slots, c->nslots, sizeof *c->slots);
    memset(c, 0, sizeof *c);
}

/* Code units s[0..4) as one word, unit i in bits 16i.. */
static inline uint64_t load4(const UChar *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x;
    memcpy(&x, s, 8);
    return x;
#else
    return (uint64_t)s[0] | (uint64_t)s[1] << 16 | (uint64_t)s[2] << 32 | (uint64_t)s[3] << 48;
#endif
}

/* UNIT_MASKS[n][j]: mask of the units of word j (units 4j..4j+3) among the
 * first n, from a table rather than computed per token. The shift is masked
 * so that the branches not taken hold no out-of-range shift either (clang
 * warns about those). */
#define UM(n, j) \
    ((n) <= 4 * (j) ? 0 : (n) >= 4 * (j) + 4 ? ~0ULL : ~0ULL >> ((64 - 16 * ((n) - 4 * (j))) & 63))
#define UM_ROW(n) {UM(n, 0), UM(n, 1), UM(n, 2), UM(n, 3), UM(n, 4), UM(n, 5)}
static const uint64_t UNIT_MASKS[25][6] = {
    UM_ROW(0),  UM_ROW(1),  UM_ROW(2),  UM_ROW(3),  UM_ROW(4),  UM_ROW(5),  UM_ROW(6),
    UM_ROW(7),  UM_ROW(8),  UM_ROW(9),  UM_ROW(10), UM_ROW(11), UM_ROW(12), UM_ROW(13),
    UM_ROW(14), UM_ROW(15), UM_ROW(16), UM_ROW(17), UM_ROW(18), UM_ROW(19), UM_ROW(20),
    UM_ROW(21), UM_ROW(22), UM_ROW(23), UM_ROW(24)};
#undef UM_ROW
#undef UM

static inline uint64_t key_hash(const cache_entry *k)
{
    uint64_t h = (k->w0 ^ (k->meta & 0xFFFF)) * 0x9E3779B97F4A7C15ULL;
    h ^= k->w1 * 0xC2B2AE3D27D4EB4FULL;
    h ^= k->w2 * 0x165667B19E3779F9ULL;
    h ^= h >> 32;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 29);
}

/* Fills k for the n units at s (avail units readable there) and returns its
 * slot hash; k->meta is 0 if the token is too long to cache. Works on words
 * of four units without branching on the length, whose exits the CPU could
 * not predict. */
static inline uint64_t make_key(const UChar *s, size_t n, size_t avail, int kind, cache_entry *k)
{
    k->meta = 0;
    if (n == 0 || n > 24)
        return 0;
    UChar pad[24];
    if (avail < 24) { /* near the end of the text: read a padded copy */
        memset(pad, 0, sizeof pad);
        memcpy(pad, s, n * sizeof *s);
        s = pad;
    }
    /* words of four units, written out (a loop is not unrolled and keeps
     * them in memory); the last two only for the rare long tokens */
    const uint64_t *m = UNIT_MASKS[n];
    uint64_t m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3];
    uint64_t x0 = load4(s) & m0, x1 = load4(s + 4) & m1, x2 = load4(s + 8) & m2,
             x3 = load4(s + 12) & m3, x4 = 0, x5 = 0;
    uint64_t hi = (uint64_t)(s[0] >> 8) * 0x0001000100010001ULL;
    uint64_t diff = (x0 ^ (hi & m0)) | (x1 ^ (hi & m1)) | (x2 ^ (hi & m2)) | (x3 ^ (hi & m3));
    if (n > 16) {
        uint64_t m4 = m[4], m5 = m[5];
        x4 = load4(s + 16) & m4, x5 = load4(s + 20) & m5;
        diff |= (x4 ^ (hi & m4)) | (x5 ^ (hi & m5));
    }
    uint32_t shape;
    const uint64_t lo = 0x00FF00FF00FF00FFULL;
    if (!(diff & ~lo)) { /* one high byte: the low bytes, interleaved */
        k->w0 = (x0 & lo) | (x1 & lo) << 8;
        k->w1 = (x2 & lo) | (x3 & lo) << 8;
        k->w2 = (x4 & lo) | (x5 & lo) << 8;
        shape = (uint32_t)(s[0] >> 8) << 8;
    } else {
        if (n > 12)
            return 0;
        k->w0 = x0, k->w1 = x1, k->w2 = x2;
        shape = 1u << 7;
    }
    k->meta = shape | (uint32_t)kind << 5 | (uint32_t)n;
    uint64_t h = key_hash(k);
    k->meta |= (uint32_t)(h >> 32) & 0xFFFF0000u;
    return h;
}

/* The slot holding key k, or the empty slot where it would go. */
static inline cache_entry *cache_probe(const tokcache *c, const cache_entry *k, uint64_t h)
{
    size_t mask = c->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        cache_entry *e = &c->slots[i];
        if (!e->id1 ||
            (e->meta == k->meta && e->w0 == k->w0 && e->w1 == k->w1 && e->w2 == k->w2))
            return e;
    }
}

static nc_status cache_put(tokcache *c, const cache_entry *k, uint64_t h, uint32_t id)
{
    if (c->n >= CACHE_MAX_KEYS)
        return NC_OK;
    if ((c->n + 1) * 2 > c->nslots) {
        size_t nslots = c->nslots ? c->nslots * 2 : 4096;
        cache_entry *slots = nc_calloc_table(nslots, sizeof *slots);
        if (!slots)
            return NC_ENOMEM;
        tokcache g = {slots, nslots, c->n};
        for (size_t i = 0; i < c->nslots; i++)
            if (c->slots[i].id1)
                *cache_probe(&g, &c->slots[i], key_hash(&c->slots[i])) = c->slots[i];
        nc_free_table(c->slots, c->nslots, sizeof *c->slots);
        *c = g;
    }
    cache_entry *e = cache_probe(c, k, h);
    *e = *k;
    e->id1 = id + 1;
    c->n++;
    return NC_OK;
}

/* Vocabulary id of token tk whose key is k (hash h), through the cache. */
static nc_status token_id(nc_segworker *w, const nc_text *t, nc_vocab *v, tokcache *c,
                          const nc_rawtok *tk, const cache_entry *k, uint64_t h, uint32_t *id)
{
    if (k->meta && c->nslots) {
        const cache_entry *e = cache_probe(c, k, h);
        if (e->id1) {
            *id = e->id1 - 1;
            return NC_OK;
        }
    }
    const char *s;
    size_t len;
    nc_status r;
    if ((r = nc_segworker_norm(w, t, tk, &s, &len)) || (r = nc_vocab_intern(v, s, len, tk->kind, id)))
        return r;
    return k->meta ? cache_put(c, k, h, *id) : NC_OK;
}

static nc_status add_doc(nc_segworker *w, nc_text *t, nc_vocab *v, tokcache *cache,
                         nc_tokchunk *c, nc_docrec *rec, const nc_docsrc *src)
{
    nc_status r = nc_text_set(t, src->kind, src->data, src->len);
    if (r)
        return r;
    if (src->len > UINT32_MAX || t->len16 > INT32_MAX)
        return NC_ERANGE;
    if ((r = nc_segment(w, t)))
        return r;
    if ((r = chunk_reserve(c, c->ntok + w->ntoks)))
        return r;
    if (nc_grow((void **)&c->sent_first, &c->sent_cap, c->nsent + w->nsents, sizeof *c->sent_first))
        return NC_ENOMEM;
    rec->tok = c->ntok;
    rec->sent = c->nsent;
    rec->ntok = (uint32_t)w->ntoks;
    rec->nsent = (uint32_t)w->nsents;
    size_t cursor = 0, sent = 0;
    cache_entry keys[CACHE_BLOCK];
    uint64_t hashes[CACHE_BLOCK];
    for (size_t i0 = 0; i0 < w->ntoks; i0 += CACHE_BLOCK) {
        size_t m = w->ntoks - i0 < CACHE_BLOCK ? w->ntoks - i0 : CACHE_BLOCK;
        /* keys first, prefetching their slots: the lookups below then
         * rarely wait for memory */
        for (size_t j = 0; j < m; j++) {
            const nc_rawtok *tk = &w->toks[i0 + j];
            hashes[j] = make_key(t->u16 + tk->start, tk->end - tk->start, t->len16 - tk->start,
                                 tk->kind, &keys[j]);
            if (cache->nslots)
                __builtin_prefetch(&cache->slots[hashes[j] & (cache->nslots - 1)]);
        }
        for (size_t j = 0; j < m; j++) {
            size_t i = i0 + j;
            const nc_rawtok *tk = &w->toks[i];
            uint32_t id;
            if ((r = token_id(w, t, v, cache, tk, &keys[j], hashes[j], &id)))
                return r;
            while (sent <= tk->sentence)
                c->sent_first[c->nsent + sent++] = (uint32_t)i;
            uint32_t a = tk->start, e = tk->end;
            if (t->nastral) { /* otherwise UTF-16 offsets are code-point offsets */
                a = (uint32_t)nc_text_cp_offset_seq(t, a, &cursor);
                e = (uint32_t)nc_text_cp_offset_seq(t, e, &cursor);
            }
            size_t k = c->ntok++;
            c->ids[k] = id | (tk->barrier ? NC_TOK_BARRIER : 0);
            c->starts[k] = a;
            if (e - a >= NC_LEN_ESCAPE) {
                size_t c1 = c->long_cap;
                if (nc_grow((void **)&c->long_at, &c->long_cap, c->nlong + 1, sizeof *c->long_at) ||
                    nc_grow((void **)&c->long_len, &c1, c->nlong + 1, sizeof *c->long_len))
                    return NC_ENOMEM;
                c->long_at[c->nlong] = k;
                c->long_len[c->nlong++] = e - a;
                c->lens[k] = NC_LEN_ESCAPE;
            } else {
                c->lens[k] = (uint16_t)(e - a);
            }
        }
    }
    while (sent < w->nsents)
        c->sent_first[c->nsent + sent++] = (uint32_t)w->ntoks;
    c->nsent += w->nsents;
    return NC_OK;
}

static void build_worker(void *p, int k)
{
    build_ctx *b = p;
    nc_segworker w;
    nc_text t;
    tokcache cache = {0};
    nc_text_init(&t);
    nc_status r = nc_segworker_init(&w, b->seg);
    size_t d = b->bounds[k];
    if (r) {
        b->errs[k] = (nc_build_error){d, r, w.icu_status};
        return;
    }
    /* Room for the tokens to expect (text has about one per six code
     * points) at once: doubling would copy the arrays several times. Only
     * an optimisation, so a failure is not one; the arrays shrink to fit at
     * the end either way. */
    size_t chars = 0;
    for (size_t i = d; i < b->bounds[k + 1]; i++)
        chars += b->docs[i].len;
    (void)chunk_reserve(&b->chunks[k], chars / 6);
    for (; d < b->bounds[k + 1]; d++) {
        if (atomic_load_explicit(&b->cancel, memory_order_relaxed)) {
            r = NC_EINTR;
            break;
        }
        b->recs[d].chunk = (uint32_t)k;
        r = add_doc(&w, &t, &b->vocabs[k], &cache, &b->chunks[k], &b->recs[d], &b->docs[d]);
        if (r)
            break;
        if (b->progress)
            atomic_fetch_add_explicit(b->progress, 1, memory_order_relaxed);
    }
    if (r)
        b->errs[k] = (nc_build_error){d, r, w.icu_status};
    chunk_shrink(&b->chunks[k]);
    nc_segworker_free(&w);
    nc_text_free(&t);
    cache_free(&cache);
}

/* Contiguous ranges of roughly equal text size, one per worker. */
static void split_ranges(const nc_docsrc *docs, size_t ndocs, int workers, size_t *bounds)
{
    uint64_t total = 0;
    for (size_t i = 0; i < ndocs; i++)
        total += docs[i].len + 1;
    bounds[0] = 0;
    uint64_t acc = 0;
    size_t d = 0;
    for (int k = 1; k < workers; k++) {
        uint64_t goal = total * (uint64_t)k / (uint64_t)workers;
        while (d < ndocs && acc < goal)
            acc += docs[d++].len + 1;
        bounds[k] = d;
    }
    bounds[workers] = ndocs;
}

/* Moves worker 0's vocabulary in as the corpus vocabulary and interns the
 * others' strings in worker order, rewriting their chunks' ids. */
static nc_status merge_vocabs(nc_tokstore *ts, nc_vocab *vocabs, nc_tokchunk *chunks, int workers)
{
    ts->vocab = vocabs[0];
    nc_vocab_init(&vocabs[0]);
    for (int k = 1; k < workers; k++) {
        nc_vocab *v = &vocabs[k];
        uint32_t *remap = nc_malloc((v->n ? v->n : 1) * sizeof *remap);
        if (!remap)
            return NC_ENOMEM;
        for (size_t i = 0; i < v->n; i++) {
            size_t len;
            const char *s = nc_vocab_str(v, (uint32_t)i, &len);
            nc_status r = nc_vocab_intern(&ts->vocab, s, len, v->kinds[i], &remap[i]);
            if (r) {
                nc_free(remap);
                return r;
            }
        }
        nc_tokchunk *c = &chunks[k];
        for (size_t i = 0; i < c->ntok; i++)
            c->ids[i] = remap[c->ids[i] & NC_TOK_ID_MASK] | (c->ids[i] & NC_TOK_BARRIER);
        nc_free(remap);
        nc_vocab_free(v);
    }
    return NC_OK;
}

nc_status nc_tokstore_build(nc_tokstore *ts, const nc_segmenter *seg, const nc_docsrc *docs,
                            size_t ndocs, const nc_build_opts *o, nc_build_error *err)
{
    nc_tokstore_init(ts);
    *err = (nc_build_error){0, NC_OK, U_ZERO_ERROR};
    int workers = o->workers < 1 ? 1 : o->workers;
    if (workers > NC_BUILD_MAX_WORKERS)
        workers = NC_BUILD_MAX_WORKERS;
    if ((size_t)workers > ndocs && ndocs > 0)
        workers = (int)ndocs;
    if (ndocs > UINT32_MAX)
        return err->status = NC_ERANGE;
    size_t *bounds = nc_calloc((size_t)workers + 1, sizeof *bounds);
    nc_vocab *vocabs = nc_calloc((size_t)workers, sizeof *vocabs);
    nc_build_error *errs = nc_calloc((size_t)workers, sizeof *errs);
    ts->chunks = nc_calloc((size_t)workers, sizeof *ts->chunks);
    ts->docs = nc_calloc(ndocs ? ndocs : 1, sizeof *ts->docs);
    nc_status r = NC_OK;
    if (!bounds || !vocabs || !errs || !ts->chunks || !ts->docs) {
        r = NC_ENOMEM;
        goto done;
    }
    ts->nchunks = (size_t)workers;
    ts->ndocs = ndocs;
    split_ranges(docs, ndocs, workers, bounds);
    build_ctx b = {ts, seg, docs, bounds, vocabs, ts->chunks, ts->docs, errs, 0, o->progress};
    atomic_init(&b.cancel, 0);
    nc_pool_opts po = {workers, o->poll, o->poll_ctx, 0, &b.cancel};
    nc_status pr = nc_parallel(&po, build_worker, &b);
    /* the first failing document in corpus order is the one reported */
    for (int k = 0; k < workers; k++)
        if (errs[k].status && errs[k].status != NC_EINTR) {
            *err = errs[k];
            r = errs[k].status;
            goto done;
        }
    if (pr) {
        r = pr;
        goto done;
    }
    for (int k = 0; k < workers; k++)
        if (errs[k].status) {
            r = errs[k].status;
            goto done;
        }
    if ((r = merge_vocabs(ts, vocabs, ts->chunks, workers)))
        goto done;
    for (size_t d = 0; d < ndocs; d++)
        ts->ntokens += ts->docs[d].ntok;
done:
    if (r && !err->status)
        err->status = r;
    for (int k = 0; vocabs && k < workers; k++)
        nc_vocab_free(&vocabs[k]);
    nc_free(vocabs);
    nc_free(bounds);
    nc_free(errs);
    if (r)
        nc_tokstore_free(ts);
    return r;
}

static uint32_t chunk_len(const nc_tokchunk *c, uint64_t k)
{
    uint16_t l = c->lens[k];
    if (l != NC_LEN_ESCAPE)
        return l;
    size_t lo = 0, hi = c->nlong;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->long_at[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return c->long_len[lo];
}

void nc_doc_token_span(const nc_tokstore *ts, size_t doc, uint32_t i, uint32_t *start,
                       uint32_t *end)
{
    const nc_docrec *d = &ts->docs[doc];
    const nc_tokchunk *c = &ts->chunks[d->chunk];
    uint64_t k = d->tok + i;
    *start = c->starts[k];
    *end = c->starts[k] + chunk_len(c, k);
}

uint32_t nc_doc_sentence_of(const nc_tokstore *ts, size_t doc, uint32_t i)
{
    const nc_docrec *d = &ts->docs[doc];
    const uint32_t *sf = ts->chunks[d->chunk].sent_first + d->sent;
    /* last sentence whose first token is <= i (empty sentences share it) */
    size_t lo = 0, hi = d->nsent;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sf[mid] <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? (uint32_t)(lo - 1) : 0;
}

size_t nc_tokstore_token_bytes(const nc_tokstore *ts)
{
    size_t b = ts->ndocs * sizeof(nc_docrec);
    for (size_t i = 0; i < ts->nchunks; i++) {
        const nc_tokchunk *c = &ts->chunks[i];
        b += c->tok_cap * (sizeof *c->ids + sizeof *c->starts + sizeof *c->lens);
        b += c->sent_cap * sizeof *c->sent_first;
        b += c->long_cap * (sizeof *c->long_at + sizeof *c->long_len);
    }
    return b;
}

size_t nc_tokstore_vocab_bytes(const nc_tokstore *ts)
{
    return nc_vocab_bytes(&ts->vocab);
}
