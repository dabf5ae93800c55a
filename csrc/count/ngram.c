#include "count/ngram.h"

#include <string.h>

#include "util/alloc.h"
#include "count/nghash.h"
#include "count/ngram_share.h"
#include "util/sort.h"

/* ---- a table of (group, n-gram) -> count, docfreq ------------------------ */

/* One open-addressed array of self-contained entries: n-grams of up to
 * INLINE ids keep them in the entry, so a lookup touches one cache line;
 * longer ones keep an offset into an arena. */
#define INLINE NC_NG_INLINE

typedef struct {
    uint32_t ids[INLINE]; /* n > INLINE: ids[0..1] hold the arena offset */
    uint32_t group;
    uint32_t meta;        /* n in the low 7 bits (0: empty slot), hash bits above */
    uint32_t count;       /* saturates: counting fails with NC_ERANGE at 2^32-1 */
    uint32_t docfreq;
    uint32_t last_doc;    /* last document counted, for document frequency */
} ng_entry;               /* 32 bytes: two to a cache line */

/* 7 bits hold every length up to NC_PHRASE_MAX (64) */
#define ENTRY_N(e) ((e)->meta & 127u)
#define META(hash, n) (((hash) & ~127u) | (n))

typedef struct {
    ng_entry *e;          /* cap slots */
    size_t cap, ne;
    uint32_t *arena;
    size_t alen, acap;
    int overflow;         /* a count reached UINT32_MAX */
    int mapped;           /* e comes from nc_calloc_table */
} ng_table;

/* Tables made by table_resize hold mapped memory; compacted ones (cap == ne,
 * from compact) hold malloc'ed memory. */
static void table_free(ng_table *t)
{
    if (t->mapped)
        nc_free_table(t->e, t->cap, sizeof *t->e);
    else
        nc_free(t->e);
    nc_free(t->arena);
    memset(t, 0, sizeof *t);
}

static inline const uint32_t *entry_ids(const ng_table *t, const ng_entry *e)
{
    return nc_ng_ids(e->ids, ENTRY_N(e), t->arena);
}

static nc_status table_resize(ng_table *t, size_t cap)
{
    ng_entry *e = nc_calloc_table(cap, sizeof *e);
    if (!e)
        return NC_ENOMEM;
    size_t mask = cap - 1;
    for (size_t k = 0; k < t->cap; k++) {
        const ng_entry *o = &t->e[k];
        if (!ENTRY_N(o))
            continue;
        size_t i = nc_ng_hash(entry_ids(t, o), ENTRY_N(o), o->group) & mask;
        while (ENTRY_N(&e[i]))
            i = (i + 1) & mask;
        e[i] = *o;
    }
    if (t->mapped)
        nc_free_table(t->e, t->cap, sizeof *t->e);
    else
        nc_free(t->e);
    t->e = e;
    t->cap = cap;
    t->mapped = 1;
    return NC_OK;
}

static inline int same_key(const ng_table *t, const ng_entry *e, uint32_t hash, uint32_t group,
                           uint32_t n, const uint32_t *ids)
{
    if (e->meta != META(hash, n) || e->group != group)
        return 0;
    if (n <= INLINE) {
        for (uint32_t j = 0; j < n; j++)
            if (e->ids[j] != ids[j])
                return 0;
        return 1;
    }
    return memcmp(entry_ids(t, e), ids, n * sizeof *ids) == 0;
}

/* Finds or inserts (group, ids[0..n)); NULL on OOM. The pointer is valid
 * until the next insertion. */
static ng_entry *table_get(ng_table *t, uint32_t hash, uint32_t group, uint32_t n,
                           const uint32_t *ids)
{
    if (t->cap) {
        size_t mask = t->cap - 1;
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
            ng_entry *e = &t->e[i];
            if (!ENTRY_N(e))
                break;
            if (same_key(t, e, hash, group, n, ids))
                return e;
        }
    }
    if ((t->ne + 1) * 2 > t->cap && table_resize(t, t->cap ? t->cap * 2 : 4096))
        return NULL;
    if (t->ne >= UINT32_MAX - 1)
        return NULL;
    ng_entry ne = {{0}, group, META(hash, n), 0, 0, UINT32_MAX};
    if (nc_ng_store_ids(ne.ids, ids, n, &t->arena, &t->alen, &t->acap))
        return NULL;
    size_t mask = t->cap - 1, i = hash & mask;
    while (ENTRY_N(&t->e[i]))
        i = (i + 1) & mask;
    t->e[i] = ne;
    t->ne++;
    return &t->e[i];
}

static const ng_entry *table_find(const ng_table *t, uint32_t hash, uint32_t group, uint32_t n,
                                  const uint32_t *ids)
{
    if (!t->cap)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const ng_entry *e = &t->e[i];
        if (!ENTRY_N(e))
            return NULL;
        if (same_key(t, e, hash, group, n, ids))
            return e;
    }
}

/* Adds to a count; nonzero if it would pass 2^32-1 (a corpus far beyond
 * what one process tokenizes). */
static inline int add_count(ng_table *t, ng_entry *e, uint64_t c)
{
    uint64_t v = (uint64_t)e->count + c;
    if (v >= UINT32_MAX) {
        t->overflow = 1;
        e->count = UINT32_MAX;
        return 1;
    }
    e->count = (uint32_t)v;
    return 0;
}

/* ---- parallel counting ---------------------------------------------------- */

typedef struct {
    const nc_tokstore *ts;
    const nc_ngram_opts *o;
    int workers;
    const uint8_t *share_of_id; /* worker owning the n-grams that start with an id */
    ng_table *tables;
    nc_status *status;
    atomic_int cancel;
} count_ctx;

nc_status nc_ng_doc_ranges(const nc_tokstore *ts, int workers, size_t **out)
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

/* Occurrences are looked up in batches: the slots of a whole batch are
 * prefetched first, so the cache misses of a table larger than the cache
 * overlap instead of following one another. */
#define BATCH 32

typedef struct {
    uint32_t hash, n;
    const uint32_t *key;
} occurrence;

static nc_status flush_batch(ng_table *t, const occurrence *b, size_t nb, uint32_t g, uint32_t d)
{
    for (size_t j = 0; j < nb; j++) {
        ng_entry *e = table_get(t, b[j].hash, g, b[j].n, b[j].key);
        if (!e)
            return NC_ENOMEM;
        if (add_count(t, e, 1))
            return NC_ERANGE;
        if (e->last_doc != d) {
            e->last_doc = d;
            e->docfreq++;
        }
    }
    return NC_OK;
}

/* Worker k of W counts the n-grams whose first token falls in its share of
 * the vocabulary, the shares being consecutive ranges in string order
 * balanced by token frequency. The workers' tables are then disjoint (no
 * merge), and their sorted results concatenate into string order. Every
 * worker reads every document, which costs little next to the table
 * updates it saves. */
typedef struct {
    ng_table *t;
    occurrence batch[BATCH];
    size_t nb;
    uint32_t group, doc;
    int worker, workers;
    const uint8_t *share_of_id;
    nc_status r;
} count_visit;

static int count_one(void *p, const uint32_t *clean, uint32_t start, uint32_t m, uint64_t h)
{
    count_visit *v = p;
    if (v->workers > 1 && v->share_of_id[clean[start]] != v->worker)
        return 0;
    uint32_t hf = nc_ng_hfinal(h, v->group, m);
    if (v->t->cap)
        __builtin_prefetch(&v->t->e[hf & (v->t->cap - 1)], 1);
    v->batch[v->nb++] = (occurrence){hf, m, clean + start};
    if (v->nb == BATCH) {
        v->r = flush_batch(v->t, v->batch, v->nb, v->group, v->doc);
        v->nb = 0;
    }
    return v->r != NC_OK;
}

static void count_worker(void *p, int k)
{
    count_ctx *c = p;
    const nc_ngram_opts *o = c->o;
    nc_ng_walk walk = {o->nmin, o->nmax, o->stop, o->nstop};
    count_visit v = {&c->tables[k], {{0}}, 0, 0, 0, k, c->workers, c->share_of_id, NC_OK};
    uint32_t *clean = NULL;
    size_t cap = 0;
    for (size_t d = 0; d < c->ts->ndocs && v.r == NC_OK; d++) {
        if ((d & 63) == 0 && atomic_load_explicit(&c->cancel, memory_order_relaxed)) {
            v.r = NC_EINTR;
            break;
        }
        int32_t g = o->doc_group[d];
        if (g < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(c->ts, d);
        uint32_t n = c->ts->docs[d].ntok;
        if ((v.r = nc_ng_clean_ids(ids, n, &clean, &cap)))
            break;
        v.group = (uint32_t)g;
        v.doc = (uint32_t)d;
        v.nb = 0;
        nc_ng_walk_doc(ids, clean, n, &walk, count_one, &v);
        if (v.r == NC_OK && v.nb)
            v.r = flush_batch(v.t, v.batch, v.nb, v.group, v.doc);
        /* every worker reads every document: worker 0 alone reports them */
        if (k == 0 && o->progress)
            atomic_fetch_add_explicit(o->progress, 1, memory_order_relaxed);
    }
    nc_free(clean);
    c->status[k] = v.r;
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
    nc_free(t->row_n);
    nc_free(t->row_rate);
    nc_free(t->row_key);
    memset(t, 0, sizeof *t);
}

/* The occupied entries of one table, back to back, with their own arena for
 * n-grams longer than INLINE. */
static nc_status compact(const ng_table *t, ng_table *out)
{
    memset(out, 0, sizeof *out);
    out->e = nc_malloc((t->ne ? t->ne : 1) * sizeof *out->e);
    out->arena = nc_malloc((t->alen ? t->alen : 1) * sizeof *out->arena);
    if (!out->e || !out->arena) {
        table_free(out);
        return NC_ENOMEM;
    }
    for (size_t i = 0; i < t->cap; i++) {
        const ng_entry *e = &t->e[i];
        if (!ENTRY_N(e))
            continue;
        ng_entry *d = &out->e[out->ne++];
        *d = *e;
        if (ENTRY_N(e) > INLINE) {
            uint64_t off = out->alen;
            memcpy(out->arena + off, entry_ids(t, e), ENTRY_N(e) * sizeof *out->arena);
            memcpy(d->ids, &off, sizeof off);
            out->alen += ENTRY_N(e);
        }
    }
    out->cap = out->ne;
    out->acap = t->alen;
    return NC_OK;
}

static int same_ngram(const ng_table *t, const ng_entry *a, const ng_entry *b)
{
    uint32_t n = ENTRY_N(a);
    return n == ENTRY_N(b) && memcmp(entry_ids(t, a), entry_ids(t, b), n * sizeof(uint32_t)) == 0;
}

typedef struct {
    const nc_ngram_opts *o;
    const ng_table *tables;
    const uint32_t *ranks;
    nc_ng_share *shares;
} finish_ctx;

/* Within a share, each step is a stable radix pass or a linear scan, and
 * entries are gathered once into sorted order so that the scans that follow
 * read memory in sequence:
 *  1. order entries by (n-gram string, group): string order is position by
 *     position on the vocabulary's string ranks, a shorter n-gram first;
 *  2. equal n-grams are now adjacent: number them and total their counts
 *     over groups; drop those under min_count;
 *  3. order the rows by count, descending (stable, so ties stay in n-gram,
 *     group order). */
static nc_status finish_share(const nc_ngram_opts *o, const ng_table *src, const uint32_t *ranks,
                              nc_ng_share *sh)
{
    ng_table unsorted;
    nc_status r = compact(src, &unsorted);
    if (r)
        return r;
    const ng_entry *E = unsorted.e;
    size_t ne = unsorted.ne, m = ne ? ne : 1;
    uint32_t *perm = nc_malloc(m * sizeof *perm), *digit = nc_malloc(m * sizeof *digit);
    uint64_t *total = NULL;
    nc_ng_row *rows = NULL;
    ng_entry *S = nc_malloc(m * sizeof *S);
    r = NC_ENOMEM;
    if (!perm || !digit || !S)
        goto done;
    for (size_t k = 0; k < ne; k++) {
        perm[k] = (uint32_t)k;
        digit[k] = E[k].group;
    }
    if ((r = nc_radix_by_u32(perm, ne, digit)))
        goto done;
    for (int pos = o->nmax - 1; pos >= 0; pos--) {
        for (size_t k = 0; k < ne; k++)
            digit[k] = (uint32_t)pos < ENTRY_N(&E[k]) ? ranks[entry_ids(&unsorted, &E[k])[pos]] + 1 : 0;
        if ((r = nc_radix_by_u32(perm, ne, digit)))
            goto done;
    }
    for (size_t i = 0; i < ne; i++)
        S[i] = E[perm[i]];
    total = nc_malloc(m * sizeof *total);
    rows = nc_malloc(m * sizeof *rows);
    r = NC_ENOMEM;
    if (!total || !rows)
        goto done;
    /* totals per n-gram (perm is free now: entry -> n-gram number); then the
     * n-grams that pass min_count are numbered, with their ids and rows */
    uint32_t *row_u = perm;
    size_t nall = 0;
    for (size_t i = 0; i < ne; i++) {
        if (i == 0 || !same_ngram(&unsorted, &S[i - 1], &S[i]))
            total[nall++] = 0;
        total[nall - 1] += S[i].count;
        row_u[i] = (uint32_t)(nall - 1);
    }
    sh->ids = nc_malloc((nall ? nall : 1) * (size_t)o->nmax * sizeof *sh->ids);
    sh->ids_off = nc_malloc((nall + 1) * sizeof *sh->ids_off);
    if (!sh->ids || !sh->ids_off)
        goto done;
    sh->ids_off[0] = 0;
    size_t nu = 0, nrows = 0;
    for (size_t i = 0; i < ne; i++) {
        if (total[row_u[i]] < o->min_count)
            continue;
        if (i == 0 || row_u[i] != row_u[i - 1]) {
            uint32_t len = ENTRY_N(&S[i]);
            memcpy(sh->ids + sh->ids_off[nu], entry_ids(&unsorted, &S[i]), len * sizeof *sh->ids);
            sh->ids_off[nu + 1] = sh->ids_off[nu] + len;
            nu++;
        }
        rows[nrows++] = (nc_ng_row){S[i].count, S[i].group, S[i].docfreq, (uint32_t)(nu - 1)};
    }
    sh->nu = nu;
    sh->rows = rows;
    sh->nrows = nrows;
    rows = NULL;
    r = NC_OK;
done:
    table_free(&unsorted);
    nc_free(S);
    nc_free(perm);
    nc_free(digit);
    nc_free(total);
    nc_free(rows);
    return r;
}

static void finish_worker(void *p, int k)
{
    finish_ctx *c = p;
    c->shares[k].status = finish_share(c->o, &c->tables[k], c->ranks, &c->shares[k]);
}

void nc_ng_share_free(nc_ng_share *sh)
{
    nc_free(sh->rows);
    nc_free(sh->ids);
    nc_free(sh->ids_off);
    memset(sh, 0, sizeof *sh);
}

/* Orders rows[0..n) by count, descending, keeping the order of equal counts
 * (stable); *sorted receives a new array. Only where scatter_by_count cannot
 * do it (with `top`, or counts too large for its histograms). */
static nc_status rows_by_count(const nc_ng_row *rows, size_t n, nc_ng_row **sorted)
{
    size_t m = n ? n : 1;
    nc_ng_row *out = nc_malloc(m * sizeof *out);
    uint32_t *perm = nc_malloc(m * sizeof *perm), *digit = nc_malloc(m * sizeof *digit);
    nc_status r = NC_ENOMEM;
    if (!out || !perm || !digit)
        goto done;
    for (size_t i = 0; i < n; i++) {
        perm[i] = (uint32_t)i;
        digit[i] = UINT32_MAX - rows[i].count;
    }
    if ((r = nc_radix_by_u32(perm, n, digit)))
        goto done;
    for (size_t i = 0; i < n; i++)
        out[i] = rows[perm[i]];
    *sorted = out;
    out = NULL;
done:
    nc_free(perm);
    nc_free(digit);
    nc_free(out);
    return r;
}

/* The next row by count: for equal counts the lower share first, which is
 * string order since shares are string ranges. -1 when all are done. */
static int next_share(const nc_ng_share *shares, const size_t *head, int workers)
{
    int best = -1;
    uint32_t best_count = 0;
    for (int k = 0; k < workers; k++) {
        if (head[k] >= shares[k].nrows)
            continue;
        uint32_t c = shares[k].rows[head[k]].count;
        if (best < 0 || c > best_count)
            best = k, best_count = c;
    }
    return best;
}

static void write_row(const nc_ngram_opts *o, nc_ngram_table *out, size_t i, const nc_ng_row *e,
                      uint32_t len)
{
    out->row_group[i] = e->group;
    out->row_count[i] = e->count;
    out->row_docfreq[i] = e->docfreq;
    out->row_n[i] = len;
    if (out->row_key)
        out->row_key[i] = o->group_key[e->group];
    if (out->row_rate) {
        int64_t tokens = o->group_tokens[e->group];
        out->row_rate[i] = tokens > 0 ? (double)e->count * 10000.0 / (double)tokens : 0.0;
    }
}

typedef struct {
    const nc_ngram_opts *o;
    const nc_ng_share *shares;
    const size_t *base;
    size_t *pos;      /* per share, maxc + 1 counters: share k's rows of count maxc - c */
    uint32_t maxc;
    nc_ngram_table *out;
} scatter_ctx;

static void count_worker_rows(void *p, int k)
{
    scatter_ctx *c = p;
    size_t *pos = c->pos + (size_t)k * (c->maxc + 1);
    const nc_ng_share *sh = &c->shares[k];
    for (size_t i = 0; i < sh->nrows; i++)
        pos[c->maxc - sh->rows[i].count]++;
}

static void scatter_worker(void *p, int k)
{
    scatter_ctx *c = p;
    size_t *pos = c->pos + (size_t)k * (c->maxc + 1);
    const nc_ng_share *sh = &c->shares[k];
    for (size_t i = 0; i < sh->nrows; i++) {
        const nc_ng_row *e = &sh->rows[i];
        size_t at = pos[c->maxc - e->count]++;
        c->out->row_ngram[at] = (uint32_t)(c->base[k] + e->u);
        write_row(c->o, c->out, at, e, (uint32_t)(sh->ids_off[e->u + 1] - sh->ids_off[e->u]));
    }
}

/* Counts are mostly small, so their histograms are too. */
#define COUNTING_SORT_MAX ((uint32_t)1 << 22)

/* Without `top` the rows need only be ordered: a counting sort over the
 * count values writes each row straight to its place in the output columns,
 * each share on its own thread (stable: equal counts keep share, n-gram and
 * group order). NC_ERANGE when counts are too large for the histograms. */
static nc_status scatter_by_count(const nc_ngram_opts *o, const nc_ng_share *shares, int workers,
                                  const size_t *base, nc_ngram_table *out)
{
    uint32_t maxc = 0;
    for (int k = 0; k < workers; k++)
        for (size_t i = 0; i < shares[k].nrows; i++)
            if (shares[k].rows[i].count > maxc)
                maxc = shares[k].rows[i].count;
    if (((uint64_t)maxc + 1) * (uint64_t)workers >= COUNTING_SORT_MAX)
        return NC_ERANGE;
    size_t width = (size_t)maxc + 1;
    scatter_ctx c = {o, shares, base, nc_calloc(width * (size_t)workers, sizeof *c.pos), maxc,
                     out};
    if (!c.pos)
        return NC_ENOMEM;
    nc_pool_opts po = {workers, NULL, NULL, 0, NULL};
    nc_status r = nc_parallel(&po, count_worker_rows, &c);
    size_t sum = 0;
    for (size_t v = 0; v < width; v++)
        for (int k = 0; k < workers; k++) {
            size_t n = c.pos[(size_t)k * width + v];
            c.pos[(size_t)k * width + v] = sum;
            sum += n;
        }
    if (!r)
        r = nc_parallel(&po, scatter_worker, &c);
    nc_free(c.pos);
    return r;
}

typedef struct {
    const nc_ng_share *shares;
    const size_t *base;    /* share k's first n-gram in the result */
    const size_t *id_base; /* and its first id in out->keys */
    nc_ngram_table *out;
} keys_ctx;

/* Share k's n-grams into the result: one copy, offsets moved up. */
static void copy_share_keys(void *p, int k)
{
    keys_ctx *c = p;
    const nc_ng_share *sh = &c->shares[k];
    size_t off = c->id_base[k];
    uint64_t *key_off = c->out->key_off + c->base[k];
    memcpy(c->out->keys + off, sh->ids, sh->ids_off[sh->nu] * sizeof *c->out->keys);
    for (size_t u = 0; u < sh->nu; u++)
        key_off[u + 1] = off + sh->ids_off[u + 1];
}

/* The unique n-grams of the result (out->keys, key_off, nuniq), shares in
 * order. Without renum every n-gram is kept; with it, those marked 0 there
 * are, and renum[base[k] + u] becomes each one's new number. */
static nc_status merge_keys(nc_ng_share *shares, int workers, const size_t *base, uint32_t *renum,
                            size_t total_u, size_t total_ids, nc_ngram_table *out)
{
    if (!renum && workers == 1) {
        /* one share holds every n-gram already in this layout: its arrays are
         * handed over (trimmed to what they hold) instead of copied; a failed
         * trim leaves the block as it was, and still the share's */
        nc_ng_share *sh = &shares[0];
        if ((out->keys = nc_realloc(sh->ids, (total_ids ? total_ids : 1) * sizeof *out->keys)))
            sh->ids = NULL;
        if ((out->key_off = nc_realloc(sh->ids_off, (total_u + 1) * sizeof *out->key_off)))
            sh->ids_off = NULL;
        out->nuniq = total_u;
        return out->keys && out->key_off ? NC_OK : NC_ENOMEM;
    }
    out->keys = nc_malloc((total_ids ? total_ids : 1) * sizeof *out->keys);
    out->key_off = nc_malloc((total_u + 1) * sizeof *out->key_off);
    if (!out->keys || !out->key_off)
        return NC_ENOMEM;
    out->key_off[0] = 0;
    if (!renum) { /* every n-gram of every share: the shares copied side by side */
        size_t *id_base = nc_malloc((size_t)workers * sizeof *id_base);
        if (!id_base)
            return NC_ENOMEM;
        size_t ids = 0;
        for (int k = 0; k < workers; k++) {
            id_base[k] = ids;
            ids += shares[k].ids_off[shares[k].nu];
        }
        keys_ctx kc = {shares, base, id_base, out};
        nc_pool_opts po = {workers, NULL, NULL, 0, NULL};
        nc_status r = nc_parallel(&po, copy_share_keys, &kc);
        nc_free(id_base);
        out->nuniq = total_u;
        return r;
    }
    size_t off = 0, nkeep = 0;
    for (int k = 0; k < workers; k++) {
        const nc_ng_share *sh = &shares[k];
        for (size_t u = 0; u < sh->nu; u++) {
            if (renum[base[k] + u] == UINT32_MAX)
                continue;
            renum[base[k] + u] = (uint32_t)nkeep;
            size_t len = sh->ids_off[u + 1] - sh->ids_off[u];
            memcpy(out->keys + off, sh->ids + sh->ids_off[u], len * sizeof *out->keys);
            off += len;
            out->key_off[++nkeep] = off;
        }
    }
    out->nuniq = nkeep;
    return NC_OK;
}

nc_status nc_ng_merge_shares(const nc_ngram_opts *o, nc_ng_share *shares, int workers,
                             nc_ngram_table *out)
{
    size_t total_rows = 0, total_u = 0, total_ids = 0;
    for (int k = 0; k < workers; k++) {
        if (shares[k].status)
            return shares[k].status;
        total_rows += shares[k].nrows;
        total_u += shares[k].nu;
        total_ids += shares[k].ids_off[shares[k].nu];
    }
    size_t m = total_rows ? total_rows : 1;
    size_t *head = nc_calloc((size_t)workers, sizeof *head);
    size_t *base = nc_calloc((size_t)workers + 1, sizeof *base);
    uint64_t *kept_per_group =
        o->top ? nc_calloc(o->ngroups ? o->ngroups : 1, sizeof *kept_per_group) : NULL;
    out->row_ngram = nc_malloc(m * sizeof *out->row_ngram);
    out->row_group = nc_malloc(m * sizeof *out->row_group);
    out->row_count = nc_malloc(m * sizeof *out->row_count);
    out->row_docfreq = nc_malloc(m * sizeof *out->row_docfreq);
    out->row_n = nc_malloc(m * sizeof *out->row_n);
    out->row_rate = o->group_tokens ? nc_malloc(m * sizeof *out->row_rate) : NULL;
    out->row_key = o->group_key ? nc_malloc(m * sizeof *out->row_key) : NULL;
    nc_status r = NC_ENOMEM;
    if (!head || !base || (o->top && !kept_per_group) || !out->row_ngram || !out->row_group ||
        !out->row_count || !out->row_docfreq || !out->row_n ||
        (o->group_tokens && !out->row_rate) || (o->group_key && !out->row_key))
        goto done;
    /* every n-gram of a share has rows, so without `top` every one is kept and
     * share k's n-gram u is number base[k] + u of the result */
    for (int k = 0; k < workers; k++)
        base[k + 1] = base[k] + shares[k].nu;
    size_t nrows = 0;
    if (!o->top && (r = scatter_by_count(o, shares, workers, base, out)) != NC_ERANGE) {
        if (r)
            goto done;
        nrows = total_rows;
        goto numbered;
    }
    for (int k = 0; k < workers; k++) {
        nc_ng_row *sorted;
        if ((r = rows_by_count(shares[k].rows, shares[k].nrows, &sorted)))
            goto done;
        nc_free(shares[k].rows);
        shares[k].rows = sorted;
    }
    r = NC_ENOMEM;
    for (int best; (best = next_share(shares, head, workers)) >= 0;) {
        nc_ng_share *sh = &shares[best];
        const nc_ng_row *e = &sh->rows[head[best]++];
        if (o->top && kept_per_group[e->group]++ >= o->top)
            continue;
        out->row_ngram[nrows] = (uint32_t)(base[best] + e->u);
        write_row(o, out, nrows, e, (uint32_t)(sh->ids_off[e->u + 1] - sh->ids_off[e->u]));
        nrows++;
    }
numbered:;
    /* `top` may have dropped every row of some n-grams: renumber those left */
    uint32_t *renum = NULL;
    if (o->top) {
        renum = nc_malloc((total_u ? total_u : 1) * sizeof *renum);
        if (!renum)
            goto done;
        memset(renum, 0xFF, total_u * sizeof *renum);
        for (size_t i = 0; i < nrows; i++)
            renum[out->row_ngram[i]] = 0;
    }
    r = merge_keys(shares, workers, base, renum, total_u, total_ids, out);
    for (size_t i = 0; !r && renum && i < nrows; i++)
        out->row_ngram[i] = renum[out->row_ngram[i]];
    nc_free(renum);
    if (!r)
        out->nrows = nrows;
done:
    nc_free(head);
    nc_free(base);
    nc_free(kept_per_group);
    return r;
}

static nc_status finish(const nc_ngram_opts *o, const ng_table *tables, const uint32_t *ranks,
                        int workers, nc_ngram_table *out)
{
    nc_ng_share *shares = nc_calloc((size_t)workers, sizeof *shares);
    if (!shares)
        return NC_ENOMEM;
    finish_ctx fc = {o, tables, ranks, shares};
    nc_pool_opts po = {workers, NULL, NULL, 0, NULL};
    nc_status r = nc_parallel(&po, finish_worker, &fc);
    if (!r)
        r = nc_ng_merge_shares(o, shares, workers, out);
    for (int k = 0; k < workers; k++)
        nc_ng_share_free(&shares[k]);
    nc_free(shares);
    return r;
}

typedef struct {
    const nc_tokstore *ts;
    const size_t *bounds;
    uint64_t *freq;      /* per worker, one count per id */
    size_t V;
} freq_ctx;

static void freq_worker(void *p, int k)
{
    freq_ctx *c = p;
    uint64_t *freq = c->freq + (size_t)k * c->V;
    for (size_t d = c->bounds[k]; d < c->bounds[k + 1]; d++) {
        const uint32_t *ids = nc_doc_ids(c->ts, d);
        for (uint32_t i = 0; i < c->ts->docs[d].ntok; i++)
            freq[ids[i] & NC_TOK_ID_MASK]++;
    }
}

/* Tokens of each id, counted over document ranges on the threads (a few:
 * each holds a count per id). */
static nc_status token_freq(const nc_tokstore *ts, int workers, uint64_t **out)
{
    size_t V = ts->vocab.n ? ts->vocab.n : 1;
    if (workers < 1 || (size_t)workers > ts->ndocs)
        workers = 1;
    if (workers > 8)
        workers = 8;
    size_t *bounds = NULL;
    freq_ctx c = {ts, NULL, nc_calloc(V * (size_t)workers, sizeof *c.freq), V};
    nc_status r = c.freq ? nc_ng_doc_ranges(ts, workers, &bounds) : NC_ENOMEM;
    if (!r) {
        c.bounds = bounds;
        nc_pool_opts po = {workers, NULL, NULL, 0, NULL};
        r = nc_parallel(&po, freq_worker, &c);
    }
    for (int k = 1; !r && k < workers; k++)
        for (size_t id = 0; id < V; id++)
            c.freq[id] += c.freq[(size_t)k * V + id];
    nc_free(bounds);
    if (r) {
        nc_free(c.freq);
        return r;
    }
    *out = c.freq;
    return NC_OK;
}

/* Splits the vocabulary, in string order, into `workers` ranges of about
 * equal token frequency: share_of_id[id] is the range of id. */
nc_status nc_ngram_shares(const nc_tokstore *ts, const uint32_t *ranks, int workers,
                          uint8_t **out, uint64_t **freq_out)
{
    size_t V = ts->vocab.n ? ts->vocab.n : 1;
    uint8_t *sh = nc_calloc(V, 1);
    uint64_t *freq = NULL;
    uint32_t *order = nc_malloc(V * sizeof *order);
    nc_status r = sh && order ? token_freq(ts, workers, &freq) : NC_ENOMEM;
    if (r) {
        nc_free(sh);
        nc_free(order);
        return r;
    }
    for (size_t id = 0; id < ts->vocab.n; id++)
        order[ranks[id]] = (uint32_t)id;
    uint64_t total = ts->ntokens ? ts->ntokens : 1, acc = 0;
    for (size_t rk = 0; rk < ts->vocab.n; rk++) {
        uint32_t id = order[rk];
        uint64_t k = acc * (uint64_t)workers / total;
        sh[id] = (uint8_t)(k < (uint64_t)workers ? k : (uint64_t)workers - 1);
        acc += freq[id];
    }
    if (freq_out)
        *freq_out = freq;
    else
        nc_free(freq);
    nc_free(order);
    *out = sh;
    return NC_OK;
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
    /* shares are indexed by a byte */
    int workers = o->workers < 1 ? 1 : o->workers > 64 ? 64 : o->workers;
    uint32_t *ranks = NULL;
    uint8_t *share_of_id = NULL;
    uint64_t *freq = NULL;
    ng_table *tables = nc_calloc((size_t)workers, sizeof *tables);
    nc_status *status = nc_calloc((size_t)workers, sizeof *status);
    if (!tables || !status || (r = nc_vocab_ranks(&ts->vocab, &ranks)) ||
        (r = nc_ngram_shares(ts, ranks, workers, &share_of_id, &freq))) {
        r = r ? r : NC_ENOMEM;
        goto done;
    }
    if (o->method == NC_NG_PACKED || (o->method == NC_NG_AUTO && nc_ng_packed_fits(ts, o))) {
        /* it refuses (NC_ERANGE) what does not fit */
        r = nc_count_ngrams_packed(ts, o, ranks, share_of_id, freq, workers, out);
        goto done;
    }
    count_ctx c = {ts, o, workers, share_of_id, tables, status, 0};
    atomic_init(&c.cancel, 0);
    nc_pool_opts po = {workers, o->poll, o->poll_ctx, 0, &c.cancel};
    r = nc_parallel(&po, count_worker, &c);
    for (int k = 0; k < workers && !r; k++)
        r = status[k];
    if (!r)
        r = finish(o, tables, ranks, workers, out);
done:
    for (int k = 0; tables && k < workers; k++)
        table_free(&tables[k]);
    nc_free(tables);
    nc_free(status);
    nc_free(ranks);
    nc_free(share_of_id);
    nc_free(freq);
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

typedef struct {
    const ng_table *lookup;
    uint64_t lengths;
    int64_t *cnt, *df;
    uint32_t *last;
    size_t ngroups;
    uint32_t group, doc;
} phrase_visit;

static int phrase_one(void *p, const uint32_t *clean, uint32_t start, uint32_t m, uint64_t h)
{
    phrase_visit *v = p;
    if (!(v->lengths >> (m - 1) & 1))
        return 0;
    const ng_entry *e = table_find(v->lookup, nc_ng_hfinal(h, 0, m), 0, m, clean + start);
    if (!e)
        return 0;
    size_t ph = e->count; /* the lookup table keeps the phrase index there */
    v->cnt[ph * v->ngroups + v->group]++;
    if (v->last[ph] != v->doc) {
        v->last[ph] = v->doc;
        v->df[ph * v->ngroups + v->group]++;
    }
    return 0;
}

static void phrase_worker(void *p, int k)
{
    phrase_ctx *c = p;
    const nc_ngram_opts *o = c->o;
    nc_ng_walk walk = {1, c->maxlen, NULL, 0};
    phrase_visit v = {c->lookup, c->lengths, c->counts[k], c->docfreq[k], NULL, o->ngroups, 0, 0};
    uint32_t *clean = NULL;
    size_t cap = 0;
    nc_status r = NC_OK;
    v.last = nc_malloc((c->nphrases ? c->nphrases : 1) * sizeof *v.last);
    if (!v.last)
        r = NC_ENOMEM;
    for (size_t i = 0; i < c->nphrases && v.last; i++)
        v.last[i] = UINT32_MAX;
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
        if ((r = nc_ng_clean_ids(ids, n, &clean, &cap)))
            break;
        v.group = (uint32_t)g;
        v.doc = (uint32_t)d;
        nc_ng_walk_doc(ids, clean, n, &walk, phrase_one, &v);
        if (o->progress)
            atomic_fetch_add_explicit(o->progress, 1, memory_order_relaxed);
    }
    nc_free(clean);
    nc_free(v.last);
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
        ng_entry *e = table_get(&lookup, nc_ng_hash(ids, (uint32_t)m, 0), 0, (uint32_t)m, ids);
        if (!e) {
            table_free(&lookup);
            return NC_ENOMEM;
        }
        if (e->last_doc == UINT32_MAX) { /* first time: remember the phrase index */
            e->last_doc = 0;
            e->count = (uint32_t)p;
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
    if (!wc || !wd || !status || (r = nc_ng_doc_ranges(ts, workers, &bounds))) {
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
        const ng_entry *e =
            table_find(&lookup, nc_ng_hash(ids, (uint32_t)m, 0), 0, (uint32_t)m, ids);
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
