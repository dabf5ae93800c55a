#include "count/ngram_text.h"

#include <string.h>

#include "util/alloc.h"
#include "util/pool.h"

void nc_strings_free(nc_strings *s)
{
    nc_free(s->data);
    nc_free(s->off);
    memset(s, 0, sizeof *s);
}

/* Where the k-th of `workers` equal ranges of n items starts. */
static size_t slice(size_t n, int k, int workers)
{
    return n * (size_t)k / (size_t)workers;
}

typedef struct {
    const nc_vocab *v;
    const uint32_t *keys;
    const uint64_t *key_off;
    const uint32_t *index;
    size_t n;
    int workers;
    int64_t *part;  /* per worker: bytes of its range, then where its range starts */
    int64_t total;  /* bytes of all strings */
    nc_strings *out;
} join_ctx;

/* First pass: each string's length at off[i + 1], and the range's total. */
static void join_measure(void *p, int k)
{
    join_ctx *c = p;
    size_t a = slice(c->n, k, c->workers), b = slice(c->n, k + 1, c->workers);
    int64_t total = 0;
    for (size_t i = a; i < b; i++) {
        size_t u = c->index ? c->index[i] : i;
        int64_t len = 0;
        for (uint64_t j = c->key_off[u]; j < c->key_off[u + 1]; j++)
            len += (int64_t)c->v->lens[c->keys[j]] + (j > c->key_off[u]);
        c->out->off[i + 1] = len;
        total += len;
    }
    c->part[k] = total;
}

/* Second pass: lengths become offsets from the range's start, and the
 * strings are written there. */
static void join_write(void *p, int k)
{
    join_ctx *c = p;
    size_t a = slice(c->n, k, c->workers), b = slice(c->n, k + 1, c->workers);
    int64_t at = c->part[k];
    const nc_vocab *v = c->v;
    /* most words are short: a fixed 16-byte copy (one vector move) where
     * both the vocabulary and this range have 16 bytes from there */
    const char *end = c->out->data + (k + 1 < c->workers ? c->part[k + 1] : c->total);
    for (size_t i = a; i < b; i++) {
        size_t u = c->index ? c->index[i] : i;
        char *q = c->out->data + at;
        for (uint64_t j = c->key_off[u]; j < c->key_off[u + 1]; j++) {
            uint32_t id = c->keys[j];
            size_t wl = v->lens[id], so = v->offs[id];
            if (j > c->key_off[u])
                *q++ = ' ';
            if (wl <= 16 && so + 16 <= v->arena_len && end - q >= 16)
                memcpy(q, v->arena + so, 16);
            else
                memcpy(q, v->arena + so, wl);
            q += wl;
        }
        at += c->out->off[i + 1];
        c->out->off[i + 1] = at;
    }
}

/* Below about a million strings a thread costs more than it saves. */
static int useful_workers(size_t n, int workers)
{
    return workers < 1 || n < ((size_t)1 << 20) ? 1 : workers;
}

/* Two passes on the threads, each over its own range of strings: lengths
 * (known from the vocabulary), then, after one exact allocation for the
 * bytes, offsets and text. */
nc_status nc_ngram_join(const nc_vocab *v, const uint32_t *keys, const uint64_t *key_off,
                        const uint32_t *index, size_t n, int workers, nc_strings *out)
{
    memset(out, 0, sizeof *out);
    join_ctx c = {v, keys, key_off, index, n, useful_workers(n, workers), NULL, 0, out};
    out->off = nc_malloc((n + 1) * sizeof *out->off);
    c.part = nc_malloc((size_t)c.workers * sizeof *c.part);
    if (!out->off || !c.part) {
        nc_free(c.part);
        nc_strings_free(out);
        return NC_ENOMEM;
    }
    out->off[0] = 0;
    nc_pool_opts po = {c.workers, NULL, NULL, 0, NULL};
    nc_status r = nc_parallel(&po, join_measure, &c);
    if (r) {
        nc_free(c.part);
        nc_strings_free(out);
        return r;
    }
    int64_t len = 0;
    for (int k = 0; k < c.workers; k++) {
        int64_t t = c.part[k];
        c.part[k] = len;
        len += t;
    }
    c.total = len;
    if (!(out->data = nc_malloc(len ? (size_t)len : 1)))
        r = NC_ENOMEM;
    out->n = n;
    if (!r)
        r = nc_parallel(&po, join_write, &c);
    nc_free(c.part);
    if (r)
        nc_strings_free(out);
    return r;
}

typedef struct {
    const char *data;
    const int64_t *off;
    const uint32_t *index;
    size_t n;
    int workers;
    nc_strings *out;
} gather_ctx;

static void gather_worker(void *p, int k)
{
    gather_ctx *c = p;
    size_t a = slice(c->n, k, c->workers), b = slice(c->n, k + 1, c->workers);
    for (size_t i = a; i < b; i++) {
        uint32_t s = c->index[i];
        memcpy(c->out->data + c->out->off[i], c->data + c->off[s],
               (size_t)(c->off[s + 1] - c->off[s]));
    }
}

nc_status nc_strings_gather(const char *data, const int64_t *off, size_t nsrc,
                            const uint32_t *index, size_t n, int workers, nc_strings *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (index[i] >= nsrc)
            return NC_EINVAL;
    out->off = nc_malloc((n + 1) * sizeof *out->off);
    if (!out->off)
        return NC_ENOMEM;
    int64_t len = 0;
    out->off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        len += off[index[i] + 1] - off[index[i]];
        out->off[i + 1] = len;
    }
    out->data = nc_malloc(len ? (size_t)len : 1);
    if (!out->data) {
        nc_strings_free(out);
        return NC_ENOMEM;
    }
    out->n = n;
    gather_ctx c = {data, off, index, n, useful_workers(n, workers), out};
    nc_pool_opts po = {c.workers, NULL, NULL, 0, NULL};
    nc_status r = nc_parallel(&po, gather_worker, &c);
    if (r)
        nc_strings_free(out);
    return r;
}
