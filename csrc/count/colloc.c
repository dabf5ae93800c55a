/* Collocation tables: see colloc.h. */
#include "count/colloc.h"

#include <stdatomic.h>
#include <string.h>

#include "util/alloc.h"
#include "count/ngram.h"
#include "stats/stats.h"

/* ---- projected keys --------------------------------------------------------
 *
 * For a set S of positions, a window's projection is its ids at the
 * positions in S. "At least" margins M(S) (stats.h) count the windows whose
 * projection equals the sequence's; a table per S maps the distinct
 * projections of the sequences to their window counts. */

typedef struct {
    uint32_t ids[NC_COLLOC_MAX_SIZE - 1]; /* |S| < size for a proper subset */
    uint32_t tag;                         /* nonzero: slot in use */
    uint64_t count;
} pj_entry;                               /* 32 bytes */

typedef struct {
    pj_entry *e;
    size_t mask; /* slots - 1; free with nc_free_table(e, mask + 1, ...) */
} pj_table;

static inline uint64_t pj_hash(const uint32_t *w, const unsigned *pos, unsigned npos)
{
    uint64_t h = 0x243F6A8885A308D3ULL;
    for (unsigned j = 0; j < npos; j++) {
        h ^= w[pos[j]];
        h *= 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

static inline int pj_same(const pj_entry *e, uint32_t tag, const uint32_t *w, const unsigned *pos,
                          unsigned npos)
{
    if (e->tag != tag)
        return 0;
    for (unsigned j = 0; j < npos; j++)
        if (e->ids[j] != w[pos[j]])
            return 0;
    return 1;
}

/* The slot of the projection of w (a window or a key), or of the empty slot
 * where it would go. */
static inline pj_entry *pj_slot(const pj_table *t, uint64_t h, const uint32_t *w,
                                const unsigned *pos, unsigned npos)
{
    const uint32_t tag = (uint32_t)(h >> 32) | 1u;
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        pj_entry *e = &t->e[i];
        if (!e->tag || pj_same(e, tag, w, pos, npos))
            return e;
    }
}

static nc_status pj_build(pj_table *t, const uint32_t *keys, size_t nterms, unsigned k,
                          const unsigned *pos, unsigned npos)
{
    size_t cap = 16;
    while (cap < 2 * nterms) /* load <= 1/2; nterms is far below SIZE_MAX / 64 */
        cap *= 2;
    t->e = nc_calloc_table(cap, sizeof *t->e);
    if (!t->e)
        return NC_ENOMEM;
    t->mask = cap - 1;
    for (size_t i = 0; i < nterms; i++) {
        const uint32_t *w = keys + i * k;
        const uint64_t h = pj_hash(w, pos, npos);
        pj_entry *e = pj_slot(t, h, w, pos, npos);
        if (!e->tag) {
            e->tag = (uint32_t)(h >> 32) | 1u;
            for (unsigned j = 0; j < npos; j++)
                e->ids[j] = w[pos[j]];
        }
    }
    return NC_OK;
}

/* ---- the scans --------------------------------------------------------------- */

typedef struct {
    const nc_tokstore *ts;
    const nc_colloc_opts *o;
    const int32_t *groups;   /* never NULL here */
    unsigned k;
    const uint32_t *keys;    /* nterms * k */
    size_t nterms;
    const uint8_t *member;   /* per vocab id: bit j set if some key has it at position j */
    double *margins;         /* nterms << k, column S written by the job for S */
    uint64_t *vocab_count;   /* filled by job 0 */
    uint64_t nwindows, ntokens;
    atomic_uint next_job;    /* job 0: word counts; job S (1 .. 2^k - 2): margin S */
    unsigned njobs;
    atomic_size_t reads;     /* documents read, summed over passes (see add_reads) */
    nc_status *status;
    atomic_int cancel;
} colloc_ctx;

static inline int is_stop(const nc_colloc_opts *o, uint32_t id)
{
    return o->stop && id < o->nstop && o->stop[id];
}

/* Counts n more documents read by a pass. The k-gram count and every job
 * read every document, so documents done = reads / (njobs + 1); each caller
 * adds the whole documents its own range of reads completes, and these add
 * up to exactly that. */
static void add_reads(colloc_ctx *c, size_t n)
{
    if (!c->o->progress || !n)
        return;
    const size_t passes = (size_t)c->njobs + 1;
    size_t old = atomic_fetch_add_explicit(&c->reads, n, memory_order_relaxed);
    size_t more = (old + n) / passes - old / passes;
    if (more)
        atomic_fetch_add_explicit(c->o->progress, more, memory_order_relaxed);
}

/* Called before each document d of a job's pass: every 64 documents it
 * reports those read and checks for a stop request (per document would
 * make all workers contend for one counter). */
static int cancelled(colloc_ctx *c, size_t d)
{
    if ((d & 63) != 0)
        return 0;
    if (d)
        add_reads(c, 64);
    return atomic_load_explicit(&c->cancel, memory_order_relaxed);
}

/* Reports the documents of a finished pass that cancelled() has not. */
static void pass_done(colloc_ctx *c)
{
    size_t n = c->ts->ndocs;
    add_reads(c, n ? n - (n - 1) / 64 * 64 : 0);
}

/* Word frequencies (stop words left out) and the number of eligible
 * windows. */
static nc_status job_words(colloc_ctx *c)
{
    const nc_tokstore *ts = c->ts;
    uint64_t ntok = 0, nwin = 0;
    for (size_t d = 0; d < ts->ndocs; d++) {
        if (cancelled(c, d))
            return NC_EINTR;
        if (c->groups[d] < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(ts, d);
        const uint32_t n = ts->docs[d].ntok;
        uint32_t run = 0;
        for (uint32_t i = 0; i < n; i++) {
            const uint32_t id = ids[i] & NC_TOK_ID_MASK;
            if (ids[i] & NC_TOK_BARRIER)
                run = i;
            if (i - run + 1 >= c->k)
                nwin++;
            if (!is_stop(c->o, id)) {
                c->vocab_count[id]++;
                ntok++;
            }
        }
    }
    pass_done(c);
    c->nwindows = nwin;
    c->ntokens = ntok;
    return NC_OK;
}

/* Margin of one position j: a direct count per vocab id. */
static nc_status job_single(colloc_ctx *c, unsigned j)
{
    const nc_tokstore *ts = c->ts;
    uint64_t *cnt = nc_calloc(ts->vocab.n ? ts->vocab.n : 1, sizeof *cnt);
    if (!cnt)
        return NC_ENOMEM;
    const unsigned k = c->k;
    for (size_t d = 0; d < ts->ndocs; d++) {
        if (cancelled(c, d)) {
            nc_free(cnt);
            return NC_EINTR;
        }
        if (c->groups[d] < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(ts, d);
        const uint32_t n = ts->docs[d].ntok;
        uint32_t run = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (ids[i] & NC_TOK_BARRIER)
                run = i;
            if (i - run + 1 >= k) /* window i-k+1 .. i */
                cnt[ids[i - k + 1 + j] & NC_TOK_ID_MASK]++;
        }
    }
    pass_done(c);
    const size_t S = (size_t)1 << j;
    for (size_t t = 0; t < c->nterms; t++)
        c->margins[(t << k) | S] = (double)cnt[c->keys[t * k + j]];
    nc_free(cnt);
    return NC_OK;
}

/* Windows are probed in batches: the slots of a batch are prefetched first,
 * so the cache misses of a table larger than the cache overlap. */
#define PJ_BATCH 16

typedef struct {
    uint64_t h;
    uint32_t w[NC_COLLOC_MAX_SIZE];
} pj_probe;

static void pj_count(pj_table *t, const pj_probe *b, unsigned nb, const unsigned *pos,
                     unsigned npos)
{
    for (unsigned q = 0; q < nb; q++) {
        pj_entry *e = pj_slot(t, b[q].h, b[q].w, pos, npos);
        if (e->tag)
            e->count++;
    }
}

/* Margin of a set S of two or more positions, through a table of the
 * sequences' projections. The member bits reject most windows before any
 * hashing: a window can only match if each of its tokens in S occurs at
 * that position in some sequence. */
static nc_status job_multi(colloc_ctx *c, unsigned S)
{
    const nc_tokstore *ts = c->ts;
    const unsigned k = c->k;
    unsigned pos[NC_COLLOC_MAX_SIZE], npos = 0;
    for (unsigned j = 0; j < k; j++)
        if (S >> j & 1)
            pos[npos++] = j;
    pj_table t;
    nc_status r = pj_build(&t, c->keys, c->nterms, k, pos, npos);
    if (r)
        return r;
    pj_probe batch[PJ_BATCH];
    unsigned nb = 0;
    for (size_t d = 0; d < ts->ndocs && r == NC_OK; d++) {
        if (cancelled(c, d)) {
            r = NC_EINTR;
            break;
        }
        if (c->groups[d] < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(ts, d);
        const uint32_t n = ts->docs[d].ntok;
        uint32_t run = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (ids[i] & NC_TOK_BARRIER)
                run = i;
            if (i - run + 1 < k)
                continue;
            const uint32_t *w0 = ids + (i - k + 1);
            pj_probe *pr = &batch[nb];
            unsigned ok = 1;
            for (unsigned q = 0; q < npos && ok; q++) {
                pr->w[pos[q]] = w0[pos[q]] & NC_TOK_ID_MASK;
                ok = c->member[pr->w[pos[q]]] >> pos[q] & 1;
            }
            if (!ok)
                continue;
            pr->h = pj_hash(pr->w, pos, npos);
            __builtin_prefetch(&t.e[pr->h & t.mask], 1);
            if (++nb == PJ_BATCH) {
                pj_count(&t, batch, nb, pos, npos);
                nb = 0;
            }
        }
    }
    if (nb)
        pj_count(&t, batch, nb, pos, npos);
    if (r == NC_OK) {
        pass_done(c);
        for (size_t i = 0; i < c->nterms; i++) {
            const uint32_t *w = c->keys + i * k;
            const pj_entry *e = pj_slot(&t, pj_hash(w, pos, npos), w, pos, npos);
            c->margins[(i << k) | S] = (double)e->count;
        }
    }
    nc_free_table(t.e, t.mask + 1, sizeof *t.e);
    return r;
}

/* Workers take jobs in turn until none is left; each job writes only its
 * own outputs, so the order does not matter. */
static void colloc_worker(void *p, int w)
{
    colloc_ctx *c = p;
    nc_status r = NC_OK;
    for (;;) {
        const unsigned job = atomic_fetch_add(&c->next_job, 1);
        if (job >= c->njobs || r != NC_OK)
            break;
        if (job == 0)
            r = job_words(c);
        else if ((job & (job - 1)) == 0)
            r = job_single(c, (unsigned)__builtin_ctz(job));
        else
            r = job_multi(c, job);
        if (r)
            atomic_store(&c->cancel, 1); /* the others need not go on */
    }
    c->status[w] = r;
}

/* ---- driver ------------------------------------------------------------------ */

void nc_colloc_table_free(nc_colloc_table *t)
{
    nc_free(t->keys);
    nc_free(t->cells);
    nc_free(t->word_count);
    memset(t, 0, sizeof *t);
}

nc_status nc_count_collocations(const nc_tokstore *ts, const nc_colloc_opts *o,
                                nc_colloc_table *out)
{
    memset(out, 0, sizeof *out);
    if (o->size < 2 || o->size > NC_COLLOC_MAX_SIZE || o->min_count < 1)
        return NC_EINVAL;
    const unsigned k = o->size;
    for (size_t d = 0; o->doc_group && d < ts->ndocs; d++)
        if (o->doc_group[d] > 0)
            return NC_EINVAL;
    /* the k-gram count splits the vocabulary among up to 64 workers; the
     * scans after it are 2^k - 1 jobs, so more workers would idle */
    const unsigned njobs = (1u << k) - 1;
    int workers = o->workers < 1 ? 1 : o->workers;
    if (workers > NC_COLLOC_MAX_WORKERS)
        workers = NC_COLLOC_MAX_WORKERS;
    const int scan_workers = workers < (int)njobs ? workers : (int)njobs;
    int32_t *zeros = NULL;
    uint8_t *member = NULL;
    uint64_t *vocab_count = NULL;
    nc_status *status = NULL;
    nc_ngram_table ng;
    memset(&ng, 0, sizeof ng);
    nc_status r = NC_ENOMEM;
    const int32_t *groups = o->doc_group;
    if (!groups) {
        zeros = nc_calloc(ts->ndocs ? ts->ndocs : 1, sizeof *zeros);
        if (!zeros)
            goto done;
        groups = zeros;
    }

    /* 1. the sequences themselves: k-grams (stop words as barriers) */
    nc_ngram_opts no = {.nmin = (int)k, .nmax = (int)k, .doc_group = groups, .ngroups = 1,
                        .stop = o->stop, .nstop = o->nstop, .min_count = o->min_count,
                        .top = 0, .workers = workers, .poll = o->poll,
                        .poll_ctx = o->poll_ctx};
    if ((r = nc_count_ngrams(ts, &no, &ng)))
        goto done;
    const size_t nt = ng.nuniq;
    out->size = k;
    out->nterms = nt;
    out->keys = ng.keys; /* every key has k ids, back to back in string order */
    ng.keys = NULL;
    r = NC_ENOMEM;
    if (nt > (SIZE_MAX >> k) / sizeof(double) || nt > SIZE_MAX / k / sizeof(uint64_t)) {
        r = NC_ERANGE;
        goto done;
    }
    out->cells = nc_malloc(((nt ? nt : 1) << k) * sizeof *out->cells);
    out->word_count = nc_malloc((nt ? nt : 1) * k * sizeof *out->word_count);
    member = nc_calloc(ts->vocab.n ? ts->vocab.n : 1, 1);
    vocab_count = nc_calloc(ts->vocab.n ? ts->vocab.n : 1, sizeof *vocab_count);
    status = nc_calloc((size_t)scan_workers, sizeof *status);
    if (!out->cells || !out->word_count || !member || !vocab_count || !status)
        goto done;
    for (size_t i = 0; i < ng.nrows; i++)
        out->cells[((size_t)ng.row_ngram[i] << k) | (((size_t)1 << k) - 1)] =
            (double)ng.row_count[i];
    for (size_t i = 0; i < nt * k; i++)
        member[out->keys[i]] |= (uint8_t)(1u << (i % k));

    /* 2. every proper, non-empty subset of positions, and word counts */
    colloc_ctx c = {ts, o, groups, k, out->keys, nt, member, out->cells, vocab_count, 0, 0,
                    0, njobs, 0, status, 0};
    atomic_init(&c.next_job, 0);
    atomic_init(&c.reads, 0);
    atomic_init(&c.cancel, 0);
    add_reads(&c, ts->ndocs); /* the k-gram count's pass */
    nc_pool_opts po = {scan_workers, o->poll, o->poll_ctx, 0, &c.cancel};
    if (nt == 0) {
        /* nothing to score: the scans are skipped, so their passes are done
         * too; poll once more, as the pool does at its end, to report it */
        add_reads(&c, (size_t)njobs * ts->ndocs);
        r = o->poll && o->poll(o->poll_ctx) ? NC_EINTR : NC_OK;
        goto done;
    }
    r = nc_parallel(&po, colloc_worker, &c);
    /* A worker that failed stopped the others, whose NC_EINTR is then not
     * the reason to report. */
    nc_status failed = NC_OK;
    int interrupted = 0;
    for (int w = 0; w < scan_workers; w++) {
        if (status[w] == NC_EINTR)
            interrupted = 1;
        else if (status[w])
            failed = status[w];
    }
    if (failed)
        r = failed;
    else if (interrupted)
        r = NC_EINTR;
    if (r)
        goto done;
    out->nwindows = c.nwindows;
    out->ntokens = c.ntokens;
    for (size_t i = 0; i < nt; i++)
        out->cells[i << k] = (double)c.nwindows;
    for (size_t i = 0; i < nt * k; i++)
        out->word_count[i] = vocab_count[out->keys[i]];

    /* 3. "at least" margins to exact cells */
    r = nc_colloc_cells_from_margins(out->cells, nt, k, out->cells);
done:
    nc_ngram_table_free(&ng);
    nc_free(zeros);
    nc_free(member);
    nc_free(vocab_count);
    nc_free(status);
    if (r)
        nc_colloc_table_free(out);
    return r;
}
