#include "tokstore.h"

#include <string.h>

#include "alloc.h"

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

static nc_status add_doc(nc_segworker *w, nc_text *t, nc_vocab *v, nc_tokchunk *c,
                         nc_docrec *rec, const nc_docsrc *src)
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
    for (size_t i = 0; i < w->ntoks; i++) {
        const nc_rawtok *tk = &w->toks[i];
        const char *s;
        size_t len;
        uint32_t id;
        if ((r = nc_segworker_norm(w, t, tk, &s, &len)) ||
            (r = nc_vocab_intern(v, s, len, tk->kind, &id)))
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
    nc_text_init(&t);
    nc_status r = nc_segworker_init(&w, b->seg);
    size_t d = b->bounds[k];
    if (r) {
        b->errs[k] = (nc_build_error){d, r, w.icu_status};
        return;
    }
    for (; d < b->bounds[k + 1]; d++) {
        if (atomic_load_explicit(&b->cancel, memory_order_relaxed)) {
            r = NC_EINTR;
            break;
        }
        b->recs[d].chunk = (uint32_t)k;
        r = add_doc(&w, &t, &b->vocabs[k], &b->chunks[k], &b->recs[d], &b->docs[d]);
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
