#include "ngram.h"

#include <string.h>

#include "alloc.h"
#include "sort.h"

/* ---- hashing of id sequences -------------------------------------------- */

#define H0 0x243F6A8885A308D3ULL

/* Folds ids from the last to the first, so the hash of an n-gram ending at
 * token i extends to n+1 by one more step with the id before it. */
static inline uint64_t hstep(uint64_t h, uint32_t id)
{
    h ^= id;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static inline uint32_t hfinal(uint64_t h, uint32_t group, uint32_t n)
{
    h ^= ((uint64_t)group << 8) ^ n;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

static uint32_t key_hash(const uint32_t *ids, uint32_t n, uint32_t group)
{
    uint64_t h = H0;
    for (uint32_t j = n; j-- > 0;)
        h = hstep(h, ids[j]);
    return hfinal(h, group, n);
}

/* ---- a table of (group, n-gram) -> count, docfreq ------------------------ */

typedef struct {
    int64_t count;
    uint64_t key;      /* offset of the ids in the arena */
    uint32_t docfreq;
    uint32_t last_doc; /* last document counted, for document frequency */
    uint32_t group;
    uint32_t hash;
    uint32_t n;
} ng_entry;

typedef struct {
    ng_entry *e;
    size_t ne, ecap;
    uint32_t *arena;
    size_t alen, acap;
    uint64_t *slots;   /* (hash << 32) | (entry + 1) */
    size_t nslots;
} ng_table;

static void table_free(ng_table *t)
{
    nc_free(t->e);
    nc_free(t->arena);
    nc_free(t->slots);
    memset(t, 0, sizeof *t);
}

static nc_status table_rehash(ng_table *t, size_t nslots)
{
    uint64_t *slots = nc_calloc(nslots, sizeof *slots);
    if (!slots)
        return NC_ENOMEM;
    size_t mask = nslots - 1;
    for (size_t k = 0; k < t->ne; k++) {
        size_t i = t->e[k].hash & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = ((uint64_t)t->e[k].hash << 32) | (k + 1);
    }
    nc_free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return NC_OK;
}

/* Finds or inserts (group, ids[0..n)); returns the entry or NULL on OOM. */
static ng_entry *table_get(ng_table *t, uint32_t hash, uint32_t group, uint32_t n,
                           const uint32_t *ids)
{
    if (t->nslots) {
        size_t mask = t->nslots - 1;
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
            uint64_t s = t->slots[i];
            if (!s)
                break;
            if ((uint32_t)(s >> 32) != hash)
                continue;
            ng_entry *e = &t->e[(uint32_t)s - 1];
            if (e->group == group && e->n == n &&
                memcmp(t->arena + e->key, ids, n * sizeof *ids) == 0)
                return e;
        }
    }
    if ((t->ne + 1) * 2 > t->nslots && table_rehash(t, t->nslots ? t->nslots * 2 : 4096))
        return NULL;
    if (t->ne >= UINT32_MAX - 1 || nc_grow((void **)&t->e, &t->ecap, t->ne + 1, sizeof *t->e) ||
        nc_grow((void **)&t->arena, &t->acap, t->alen + n, sizeof *t->arena))
        return NULL;
    memcpy(t->arena + t->alen, ids, n * sizeof *ids);
    ng_entry *e = &t->e[t->ne];
    *e = (ng_entry){0, t->alen, 0, UINT32_MAX, group, hash, n};
    t->alen += n;
    size_t mask = t->nslots - 1, i = hash & mask;
    while (t->slots[i])
        i = (i + 1) & mask;
    t->slots[i] = ((uint64_t)hash << 32) | (t->ne + 1);
    t->ne++;
    return e;
}

/* ---- parallel counting ---------------------------------------------------- */

typedef struct {
    const nc_tokstore *ts;
    const nc_ngram_opts *o;
    const size_t *bounds;
    ng_table *tables;
    nc_status *status;
    atomic_int cancel;
} count_ctx;

/* Contiguous document ranges of roughly equal token counts. */
static nc_status doc_ranges(const nc_tokstore *ts, int workers, size_t **out)
{
    size_t *b = nc_calloc((size_t)workers + 1, sizeof *b);
    if (!b)
        return NC_ENOMEM;
    uint64_t acc = 0, total = ts->ntokens + ts->ndocs;
    size_t d = 0;
    for (int k = 1; k < workers; k++) {
        uint64_t goal = total * (uint64_t)k / (uint64_t)workers;
        while (d < ts->ndocs && acc < goal)
            acc += ts->docs[d++].ntok + 1;
        b[k] = d;
    }
    b[workers] = ts->ndocs;
    *out = b;
    return NC_OK;
}

/* Copies a document's ids without flags and returns its barrier-free run
 * starts through the callback loop below. */
static nc_status clean_ids(const uint32_t *ids, uint32_t n, uint32_t **buf, size_t *cap)
{
    if (nc_grow((void **)buf, cap, n ? n : 1, sizeof **buf))
        return NC_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        (*buf)[i] = ids[i] & NC_TOK_ID_MASK;
    return NC_OK;
}

static inline int is_stop(const nc_ngram_opts *o, uint32_t id)
{
    return o->stop && id < o->nstop && o->stop[id];
}

static void count_worker(void *p, int k)
{
    count_ctx *c = p;
    const nc_ngram_opts *o = c->o;
    ng_table *t = &c->tables[k];
    uint32_t *clean = NULL;
    size_t cap = 0;
    nc_status r = NC_OK;
    for (size_t d = c->bounds[k]; d < c->bounds[k + 1] && r == NC_OK; d++) {
        if ((d & 63) == 0 && atomic_load_explicit(&c->cancel, memory_order_relaxed)) {
            r = NC_EINTR;
            break;
        }
        int32_t g = o->doc_group[d];
        if (g < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(c->ts, d);
        uint32_t n = c->ts->docs[d].ntok;
        if ((r = clean_ids(ids, n, &clean, &cap)))
            break;
        uint32_t run = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (ids[i] & NC_TOK_BARRIER)
                run = i;
            if (is_stop(o, clean[i])) {
                run = i + 1;
                continue;
            }
            uint32_t maxn = i - run + 1;
            if (maxn > (uint32_t)o->nmax)
                maxn = (uint32_t)o->nmax;
            uint64_t h = H0;
            for (uint32_t m = 1; m <= maxn; m++) {
                h = hstep(h, clean[i - m + 1]);
                if (m < (uint32_t)o->nmin)
                    continue;
                const uint32_t *key = clean + i - m + 1;
                ng_entry *e = table_get(t, hfinal(h, (uint32_t)g, m), (uint32_t)g, m, key);
                if (!e) {
                    r = NC_ENOMEM;
                    break;
                }
                e->count++;
                if (e->last_doc != (uint32_t)d) {
                    e->last_doc = (uint32_t)d;
                    e->docfreq++;
                }
            }
            if (r)
                break;
        }
    }
    nc_free(clean);
    c->status[k] = r;
}

static nc_status merge_tables(ng_table *dst, ng_table *src)
{
    for (size_t k = 0; k < src->ne; k++) {
        ng_entry *s = &src->e[k];
        ng_entry *e = table_get(dst, s->hash, s->group, s->n, src->arena + s->key);
        if (!e)
            return NC_ENOMEM;
        e->count += s->count;
        e->docfreq += s->docfreq;
    }
    return NC_OK;
}

/* ---- ordering and filtering ---------------------------------------------- */

void nc_ngram_table_free(nc_ngram_table *t)
{
    nc_free(t->keys);
    nc_free(t->key_off);
    nc_free(t->row_ngram);
    nc_free(t->row_group);
    nc_free(t->row_count);
    nc_free(t->row_docfreq);
    memset(t, 0, sizeof *t);
}

/* Orders the unique n-grams (entries of `uniq`, a table with group 0) by
 * their strings: position by position on the vocabulary's string ranks,
 * a shorter n-gram before its extensions. perm receives the order. */
static nc_status order_unique(const ng_table *uniq, const uint32_t *ranks, int nmax, uint32_t *perm)
{
    size_t n = uniq->ne;
    uint32_t *digit = nc_malloc((n ? n : 1) * sizeof *digit);
    if (!digit)
        return NC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    nc_status r = NC_OK;
    for (int pos = nmax - 1; pos >= 0 && r == NC_OK; pos--) {
        for (size_t i = 0; i < n; i++) {
            const ng_entry *e = &uniq->e[i];
            digit[i] = (uint32_t)pos < e->n ? ranks[uniq->arena[e->key + pos]] + 1 : 0;
        }
        r = nc_radix_by_u32(perm, n, digit);
    }
    nc_free(digit);
    return r;
}

typedef struct {
    ng_table uniq;          /* (n-gram) -> total, keyed with group 0 */
    uint32_t *row_uniq;     /* per entry of the merged table */
} totals;

static nc_status build_totals(const ng_table *t, totals *tot)
{
    memset(tot, 0, sizeof *tot);
    tot->row_uniq = nc_malloc((t->ne ? t->ne : 1) * sizeof *tot->row_uniq);
    if (!tot->row_uniq)
        return NC_ENOMEM;
    for (size_t k = 0; k < t->ne; k++) {
        const ng_entry *s = &t->e[k];
        const uint32_t *ids = t->arena + s->key;
        ng_entry *u = table_get(&tot->uniq, key_hash(ids, s->n, 0), 0, s->n, ids);
        if (!u)
            return NC_ENOMEM;
        u->count += s->count;
        tot->row_uniq[k] = (uint32_t)(u - tot->uniq.e);
    }
    return NC_OK;
}

static nc_status finish(const nc_tokstore *ts, const nc_ngram_opts *o, ng_table *t,
                        nc_ngram_table *out)
{
    totals tot;
    uint32_t *ranks = NULL, *uperm = NULL, *urank = NULL, *rows = NULL, *key32 = NULL;
    uint64_t *key64 = NULL, *kept_per_group = NULL;
    int32_t *unew = NULL;
    nc_status r = build_totals(t, &tot);
    if (r)
        goto done;
    size_t nu = tot.uniq.ne;
    uperm = nc_malloc((nu ? nu : 1) * sizeof *uperm);
    urank = nc_malloc((nu ? nu : 1) * sizeof *urank);
    if (!uperm || !urank || (r = nc_vocab_ranks(&ts->vocab, &ranks)) ||
        (r = order_unique(&tot.uniq, ranks, o->nmax, uperm))) {
        r = r ? r : NC_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < nu; i++)
        urank[uperm[i]] = (uint32_t)i;
    /* rows of n-grams frequent enough overall */
    size_t nrows = 0;
    rows = nc_malloc((t->ne ? t->ne : 1) * sizeof *rows);
    key32 = nc_malloc((t->ne ? t->ne : 1) * sizeof *key32);
    key64 = nc_malloc((t->ne ? t->ne : 1) * sizeof *key64);
    if (!rows || !key32 || !key64) {
        r = NC_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < t->ne; k++)
        if ((uint64_t)tot.uniq.e[tot.row_uniq[k]].count >= o->min_count)
            rows[nrows++] = (uint32_t)k;
    /* stable passes, least significant key first: group, n-gram, count desc */
    for (size_t k = 0; k < t->ne; k++)
        key32[k] = t->e[k].group;
    if ((r = nc_radix_by_u32(rows, nrows, key32)))
        goto done;
    for (size_t k = 0; k < t->ne; k++)
        key32[k] = urank[tot.row_uniq[k]];
    if ((r = nc_radix_by_u32(rows, nrows, key32)))
        goto done;
    for (size_t k = 0; k < t->ne; k++)
        key64[k] = UINT64_MAX - (uint64_t)t->e[k].count;
    if ((r = nc_radix_by_u64(rows, nrows, key64)))
        goto done;
    if (o->top) {
        kept_per_group = nc_calloc(o->ngroups ? o->ngroups : 1, sizeof *kept_per_group);
        if (!kept_per_group) {
            r = NC_ENOMEM;
            goto done;
        }
        size_t w = 0;
        for (size_t i = 0; i < nrows; i++) {
            uint32_t g = t->e[rows[i]].group;
            if (kept_per_group[g]++ < o->top)
                rows[w++] = rows[i];
        }
        nrows = w;
    }
    /* number the unique n-grams that still have rows, in string order */
    unew = nc_malloc((nu ? nu : 1) * sizeof *unew);
    if (!unew) {
        r = NC_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < nu; i++)
        unew[i] = -1;
    for (size_t i = 0; i < nrows; i++)
        unew[tot.row_uniq[rows[i]]] = 0;
    size_t nkeep = 0, nids = 0;
    for (size_t i = 0; i < nu; i++) {
        uint32_t u = uperm[i];
        if (unew[u] == 0) {
            unew[u] = (int32_t)nkeep++;
            nids += tot.uniq.e[u].n;
        }
    }
    out->keys = nc_malloc((nids ? nids : 1) * sizeof *out->keys);
    out->key_off = nc_malloc((nkeep + 1) * sizeof *out->key_off);
    out->row_ngram = nc_malloc((nrows ? nrows : 1) * sizeof *out->row_ngram);
    out->row_group = nc_malloc((nrows ? nrows : 1) * sizeof *out->row_group);
    out->row_count = nc_malloc((nrows ? nrows : 1) * sizeof *out->row_count);
    out->row_docfreq = nc_malloc((nrows ? nrows : 1) * sizeof *out->row_docfreq);
    if (!out->keys || !out->key_off || !out->row_ngram || !out->row_group || !out->row_count ||
        !out->row_docfreq) {
        r = NC_ENOMEM;
        goto done;
    }
    size_t off = 0, j = 0;
    out->key_off[0] = 0;
    for (size_t i = 0; i < nu; i++) {
        uint32_t u = uperm[i];
        if (unew[u] < 0)
            continue;
        const ng_entry *e = &tot.uniq.e[u];
        memcpy(out->keys + off, tot.uniq.arena + e->key, e->n * sizeof *out->keys);
        off += e->n;
        out->key_off[++j] = off;
    }
    for (size_t i = 0; i < nrows; i++) {
        const ng_entry *e = &t->e[rows[i]];
        out->row_ngram[i] = (uint32_t)unew[tot.row_uniq[rows[i]]];
        out->row_group[i] = e->group;
        out->row_count[i] = e->count;
        out->row_docfreq[i] = e->docfreq;
    }
    out->nuniq = nkeep;
    out->nrows = nrows;
done:
    table_free(&tot.uniq);
    nc_free(tot.row_uniq);
    nc_free(ranks);
    nc_free(uperm);
    nc_free(urank);
    nc_free(rows);
    nc_free(key32);
    nc_free(key64);
    nc_free(kept_per_group);
    nc_free(unew);
    return r;
}

static nc_status check_opts(const nc_ngram_opts *o)
{
    if (o->nmin < 1 || o->nmax > NC_NGRAM_MAX || o->nmin > o->nmax || !o->doc_group)
        return NC_EINVAL;
    return NC_OK;
}

static int clamp_workers(const nc_tokstore *ts, int w)
{
    if (w < 1)
        w = 1;
    if ((size_t)w > ts->ndocs)
        w = ts->ndocs ? (int)ts->ndocs : 1;
    return w;
}

nc_status nc_count_ngrams(const nc_tokstore *ts, const nc_ngram_opts *o, nc_ngram_table *out)
{
    memset(out, 0, sizeof *out);
    nc_status r = check_opts(o);
    if (r)
        return r;
    for (size_t d = 0; d < ts->ndocs; d++)
        if (o->doc_group[d] >= (int32_t)o->ngroups)
            return NC_EINVAL;
    int workers = clamp_workers(ts, o->workers);
    size_t *bounds = NULL;
    ng_table *tables = nc_calloc((size_t)workers, sizeof *tables);
    nc_status *status = nc_calloc((size_t)workers, sizeof *status);
    if (!tables || !status || (r = doc_ranges(ts, workers, &bounds))) {
        r = r ? r : NC_ENOMEM;
        goto done;
    }
    count_ctx c = {ts, o, bounds, tables, status, 0};
    atomic_init(&c.cancel, 0);
    nc_pool_opts po = {workers, o->poll, o->poll_ctx, 0, &c.cancel};
    r = nc_parallel(&po, count_worker, &c);
    for (int k = 0; k < workers && !r; k++)
        r = status[k];
    for (int k = 1; k < workers && !r; k++) {
        r = merge_tables(&tables[0], &tables[k]);
        table_free(&tables[k]);
    }
    if (!r)
        r = finish(ts, o, &tables[0], out);
done:
    for (int k = 0; tables && k < workers; k++)
        table_free(&tables[k]);
    nc_free(tables);
    nc_free(status);
    nc_free(bounds);
    if (r)
        nc_ngram_table_free(out);
    return r;
}

/* ---- given phrases ---------------------------------------------------------- */

typedef struct {
    const nc_tokstore *ts;
    const nc_ngram_opts *o;
    const size_t *bounds;
    const ng_table *lookup;   /* phrase -> entry whose `count` is the phrase index */
    uint64_t lengths;         /* bit m-1 set if some phrase has m tokens */
    int maxlen;
    size_t nphrases;
    int64_t **counts, **docfreq;
    nc_status *status;
    atomic_int cancel;
} phrase_ctx;

static const ng_entry *table_find(const ng_table *t, uint32_t hash, uint32_t n, const uint32_t *ids)
{
    if (!t->nslots)
        return NULL;
    size_t mask = t->nslots - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        uint64_t s = t->slots[i];
        if (!s)
            return NULL;
        if ((uint32_t)(s >> 32) != hash)
            continue;
        const ng_entry *e = &t->e[(uint32_t)s - 1];
        if (e->n == n && memcmp(t->arena + e->key, ids, n * sizeof *ids) == 0)
            return e;
    }
}

static void phrase_worker(void *p, int k)
{
    phrase_ctx *c = p;
    const nc_ngram_opts *o = c->o;
    int64_t *cnt = c->counts[k], *df = c->docfreq[k];
    uint32_t *clean = NULL, *last = NULL;
    size_t cap = 0;
    nc_status r = NC_OK;
    last = nc_malloc((c->nphrases ? c->nphrases : 1) * sizeof *last);
    if (!last)
        r = NC_ENOMEM;
    for (size_t i = 0; i < c->nphrases && last; i++)
        last[i] = UINT32_MAX;
    for (size_t d = c->bounds[k]; d < c->bounds[k + 1] && r == NC_OK; d++) {
        if ((d & 63) == 0 && atomic_load_explicit(&c->cancel, memory_order_relaxed)) {
            r = NC_EINTR;
            break;
        }
        int32_t g = o->doc_group[d];
        if (g < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(c->ts, d);
        uint32_t n = c->ts->docs[d].ntok;
        if ((r = clean_ids(ids, n, &clean, &cap)))
            break;
        uint32_t run = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (ids[i] & NC_TOK_BARRIER)
                run = i;
            uint32_t maxn = i - run + 1;
            if (maxn > (uint32_t)c->maxlen)
                maxn = (uint32_t)c->maxlen;
            uint64_t h = H0;
            for (uint32_t m = 1; m <= maxn; m++) {
                h = hstep(h, clean[i - m + 1]);
                if (!(c->lengths >> (m - 1) & 1))
                    continue;
                const ng_entry *e = table_find(c->lookup, hfinal(h, 0, m), m, clean + i - m + 1);
                if (!e)
                    continue;
                size_t ph = (size_t)e->count;
                cnt[ph * o->ngroups + (size_t)g]++;
                if (last[ph] != (uint32_t)d) {
                    last[ph] = (uint32_t)d;
                    df[ph * o->ngroups + (size_t)g]++;
                }
            }
        }
    }
    nc_free(clean);
    nc_free(last);
    c->status[k] = r;
}

nc_status nc_count_phrases(const nc_tokstore *ts, const uint32_t *keys, const uint64_t *key_off,
                           size_t nphrases, const nc_ngram_opts *o, int64_t *counts,
                           int64_t *docfreq)
{
    if (!o->doc_group)
        return NC_EINVAL;
    size_t cells = nphrases * o->ngroups;
    if (o->ngroups && cells / o->ngroups != nphrases)
        return NC_ERANGE;
    memset(counts, 0, cells * sizeof *counts);
    memset(docfreq, 0, cells * sizeof *docfreq);
    for (size_t d = 0; d < ts->ndocs; d++)
        if (o->doc_group[d] >= (int32_t)o->ngroups)
            return NC_EINVAL;
    ng_table lookup;
    memset(&lookup, 0, sizeof lookup);
    uint64_t lengths = 0;
    int maxlen = 0;
    nc_status r = NC_OK;
    for (size_t p = 0; p < nphrases; p++) {
        uint64_t m = key_off[p + 1] - key_off[p];
        if (m == 0)
            continue;
        if (m > NC_PHRASE_MAX) {
            table_free(&lookup);
            return NC_ERANGE;
        }
        const uint32_t *ids = keys + key_off[p];
        ng_entry *e = table_get(&lookup, key_hash(ids, (uint32_t)m, 0), 0, (uint32_t)m, ids);
        if (!e) {
            table_free(&lookup);
            return NC_ENOMEM;
        }
        if (e->last_doc == UINT32_MAX) { /* first time: remember the phrase index */
            e->last_doc = 0;
            e->count = (int64_t)p;
        }
        lengths |= (uint64_t)1 << (m - 1);
        if ((int)m > maxlen)
            maxlen = (int)m;
    }
    /* duplicates of a phrase get the first one's counts afterwards */
    int workers = clamp_workers(ts, o->workers);
    size_t *bounds = NULL;
    int64_t **wc = nc_calloc((size_t)workers, sizeof *wc);
    int64_t **wd = nc_calloc((size_t)workers, sizeof *wd);
    nc_status *status = nc_calloc((size_t)workers, sizeof *status);
    if (!wc || !wd || !status || (r = doc_ranges(ts, workers, &bounds))) {
        r = r ? r : NC_ENOMEM;
        goto done;
    }
    wc[0] = counts;
    wd[0] = docfreq;
    for (int k = 1; k < workers; k++) {
        wc[k] = nc_calloc(cells ? cells : 1, sizeof **wc);
        wd[k] = nc_calloc(cells ? cells : 1, sizeof **wd);
        if (!wc[k] || !wd[k]) {
            r = NC_ENOMEM;
            goto done;
        }
    }
    if (maxlen > 0) {
        phrase_ctx c = {ts, o, bounds, &lookup, lengths, maxlen, nphrases, wc, wd, status, 0};
        atomic_init(&c.cancel, 0);
        nc_pool_opts po = {workers, o->poll, o->poll_ctx, 0, &c.cancel};
        r = nc_parallel(&po, phrase_worker, &c);
        for (int k = 0; k < workers && !r; k++)
            r = status[k];
    }
    for (int k = 1; k < workers && !r; k++)
        for (size_t i = 0; i < cells; i++) {
            counts[i] += wc[k][i];
            docfreq[i] += wd[k][i];
        }
    for (size_t p = 0; p < nphrases && !r; p++) {
        uint64_t m = key_off[p + 1] - key_off[p];
        if (m == 0)
            continue;
        const uint32_t *ids = keys + key_off[p];
        const ng_entry *e = table_find(&lookup, key_hash(ids, (uint32_t)m, 0), (uint32_t)m, ids);
        size_t first = (size_t)e->count;
        if (first != p) {
            memcpy(counts + p * o->ngroups, counts + first * o->ngroups, o->ngroups * sizeof *counts);
            memcpy(docfreq + p * o->ngroups, docfreq + first * o->ngroups, o->ngroups * sizeof *docfreq);
        }
    }
done:
    for (int k = 1; wc && wd && k < workers; k++) {
        nc_free(wc[k]);
        nc_free(wd[k]);
    }
    nc_free(wc);
    nc_free(wd);
    nc_free(status);
    nc_free(bounds);
    table_free(&lookup);
    return r;
}
