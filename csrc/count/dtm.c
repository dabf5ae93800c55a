#include "count/dtm.h"

#include <string.h>

#include "util/alloc.h"
#include "count/ngram.h"
#include "count/nghash.h"
#include "util/sort.h"

/* ---- a worker's table: n-gram -> total, where it was last seen -------------- */

/* Like ngram.c's table: n-grams of up to INLINE ids live in the 32-byte
 * entry, so a probe touches one cache line; longer ones use an arena. */
#define INLINE NC_NG_INLINE

typedef struct {
    uint32_t ids[INLINE]; /* n > INLINE: ids[0..1] hold the arena offset */
    uint32_t meta;        /* n in the low 7 bits (0: empty slot), hash bits above */
    uint32_t total;       /* occurrences over all rows, for min_count */
    uint32_t last_row;    /* the row it was last seen in; UINT32_MAX: none */
    uint32_t slot;        /* its cell in that row, counted from the row's first cell */
    uint32_t lid;         /* local id: order of first occurrence in this worker */
} dt_entry;

#define ENTRY_N(e) ((e)->meta & 127u)
#define META(hash, n) (((hash) & ~127u) | (n))

typedef struct {
    dt_entry *e;
    size_t cap, ne;
    uint32_t *arena;
    size_t alen, acap;
} dt_table;

static void table_free(dt_table *t)
{
    nc_free_table(t->e, t->cap, sizeof *t->e);
    nc_free(t->arena);
    memset(t, 0, sizeof *t);
}

static inline const uint32_t *entry_ids(const dt_table *t, const dt_entry *e)
{
    return nc_ng_ids(e->ids, ENTRY_N(e), t->arena);
}

static nc_status table_resize(dt_table *t, size_t cap)
{
    dt_entry *e = nc_calloc_table(cap, sizeof *e);
    if (!e)
        return NC_ENOMEM;
    size_t mask = cap - 1;
    for (size_t k = 0; k < t->cap; k++) {
        const dt_entry *o = &t->e[k];
        if (!ENTRY_N(o))
            continue;
        size_t i = nc_ng_hash(entry_ids(t, o), ENTRY_N(o), 0) & mask;
        while (ENTRY_N(&e[i]))
            i = (i + 1) & mask;
        e[i] = *o;
    }
    nc_free_table(t->e, t->cap, sizeof *t->e);
    t->e = e;
    t->cap = cap;
    return NC_OK;
}

static inline int same_key(const dt_table *t, const dt_entry *e, uint32_t hash, uint32_t n,
                           const uint32_t *ids)
{
    if (e->meta != META(hash, n))
        return 0;
    return memcmp(entry_ids(t, e), ids, n * sizeof *ids) == 0;
}

/* Finds or inserts ids[0..n); NULL on OOM or when local ids run out. The
 * pointer is valid until the next insertion. */
static dt_entry *table_get(dt_table *t, uint32_t hash, uint32_t n, const uint32_t *ids)
{
    if (t->cap) {
        size_t mask = t->cap - 1;
        for (size_t i = hash & mask;; i = (i + 1) & mask) {
            dt_entry *e = &t->e[i];
            if (!ENTRY_N(e))
                break;
            if (same_key(t, e, hash, n, ids))
                return e;
        }
    }
    if (t->ne >= UINT32_MAX - 1)
        return NULL;
    if ((t->ne + 1) * 2 > t->cap && table_resize(t, t->cap ? t->cap * 2 : 4096))
        return NULL;
    dt_entry ne = {{0}, META(hash, n), 0, UINT32_MAX, 0, (uint32_t)t->ne};
    if (nc_ng_store_ids(ne.ids, ids, n, &t->arena, &t->alen, &t->acap))
        return NULL;
    size_t mask = t->cap - 1, i = hash & mask;
    while (ENTRY_N(&t->e[i]))
        i = (i + 1) & mask;
    t->e[i] = ne;
    t->ne++;
    return &t->e[i];
}

/* ---- per worker ---------------------------------------------------------------- */

typedef struct {
    uint32_t a;   /* local id while counting; row while scattering */
    uint32_t cnt;
} dt_cell;

typedef struct {
    dt_table t;
    dt_cell *cells;      /* the cells of all rows, row after row */
    size_t ncells, cells_cap;
    uint64_t *row_off;   /* nrows + 1 offsets into cells */
    uint32_t *newcol;    /* local id -> column within this worker's share, or UINT32_MAX */
    size_t ncols;
    uint32_t *ckeys;     /* the share's columns' ids, in column order */
    uint64_t *coff;      /* ncols + 1 */
    nc_status status;
} dt_worker;

typedef struct {
    const nc_tokstore *ts;
    const nc_dtm_opts *o;
    int workers;
    const uint8_t *share_of_id;
    const uint32_t *ranks;
    const uint32_t *order;  /* kept documents, stably sorted by row */
    size_t norder;
    dt_worker *w;
    uint64_t *cur;          /* workers x nrows: cells per row, later write cursors */
    const uint64_t *col_base;
    nc_dtm *out;
    atomic_int cancel;
} dtm_ctx;

typedef struct {
    uint32_t hash, n;
    const uint32_t *key;
} occurrence;

#define BATCH 32

static nc_status flush_batch(dt_worker *w, const occurrence *b, size_t nb, uint32_t row,
                             uint64_t row_start)
{
    for (size_t j = 0; j < nb; j++) {
        dt_entry *e = table_get(&w->t, b[j].hash, b[j].n, b[j].key);
        if (!e)
            return w->t.ne >= UINT32_MAX - 1 ? NC_ERANGE : NC_ENOMEM;
        if (++e->total == UINT32_MAX)
            return NC_ERANGE;
        if (e->last_row == row) {
            w->cells[row_start + e->slot].cnt++;
            continue;
        }
        uint64_t slot = w->ncells - row_start;
        if (slot >= UINT32_MAX)
            return NC_ERANGE;
        if (nc_grow((void **)&w->cells, &w->cells_cap, w->ncells + 1, sizeof *w->cells))
            return NC_ENOMEM;
        e->last_row = row;
        e->slot = (uint32_t)slot;
        w->cells[w->ncells++] = (dt_cell){e->lid, 1};
    }
    return NC_OK;
}

typedef struct {
    dt_worker *w;
    occurrence batch[BATCH];
    size_t nb;
    uint32_t row;
    uint64_t row_start;
    int worker, workers;
    const uint8_t *share_of_id;
    nc_status r;
} dtm_visit;

static int count_one(void *p, const uint32_t *clean, uint32_t start, uint32_t m, uint64_t h)
{
    dtm_visit *v = p;
    if (v->workers > 1 && v->share_of_id[clean[start]] != v->worker)
        return 0;
    uint32_t hf = nc_ng_hfinal(h, 0, m);
    if (v->w->t.cap)
        __builtin_prefetch(&v->w->t.e[hf & (v->w->t.cap - 1)], 1);
    v->batch[v->nb++] = (occurrence){hf, m, clean + start};
    if (v->nb == BATCH) {
        v->r = flush_batch(v->w, v->batch, v->nb, v->row, v->row_start);
        v->nb = 0;
    }
    return v->r != NC_OK;
}

/* Counts worker k's n-grams row by row: the documents come in row order,
 * so a row's cells are appended together and an n-gram seen again in the
 * same row finds its cell through `slot`, without a per-row table. The
 * n-gram rules are those of ngram.c's count_worker. */
static nc_status count_rows(dtm_ctx *c, int k)
{
    const nc_dtm_opts *o = c->o;
    dt_worker *w = &c->w[k];
    w->row_off = nc_malloc(((size_t)o->nrows + 1) * sizeof *w->row_off);
    if (!w->row_off)
        return NC_ENOMEM;
    uint32_t *clean = NULL;
    size_t cap = 0, next = 0;
    nc_ng_walk walk = {o->nmin, o->nmax, o->stop, o->nstop};
    dtm_visit v = {w, {{0}}, 0, 0, 0, k, c->workers, c->share_of_id, NC_OK};
    nc_status r = NC_OK;
    for (uint32_t row = 0; row < o->nrows && r == NC_OK; row++) {
        uint64_t row_start = w->ncells;
        w->row_off[row] = row_start;
        while (r == NC_OK && next < c->norder && o->doc_row[c->order[next]] == (int32_t)row) {
            size_t d = c->order[next++];
            if ((next & 63) == 0 && atomic_load_explicit(&c->cancel, memory_order_relaxed)) {
                r = NC_EINTR;
                break;
            }
            const uint32_t *ids = nc_doc_ids(c->ts, d);
            uint32_t n = c->ts->docs[d].ntok;
            if ((r = nc_ng_clean_ids(ids, n, &clean, &cap)))
                break;
            v.row = row;
            v.row_start = row_start;
            v.nb = 0;
            nc_ng_walk_doc(ids, clean, n, &walk, count_one, &v);
            r = v.r;
            if (r == NC_OK && v.nb)
                r = flush_batch(w, v.batch, v.nb, row, row_start);
            if (k == 0 && o->progress)
                atomic_fetch_add_explicit(o->progress, 1, memory_order_relaxed);
        }
    }
    w->row_off[o->nrows] = w->ncells;
    nc_free(clean);
    return r;
}

/* Orders the worker's n-grams as strings (position by position on the
 * vocabulary's string ranks, a shorter n-gram first: stable radix passes as
 * in ngram.c), keeps those with total >= min_count as columns, and counts
 * each row's kept cells into cur[k * nrows + row]. */
static nc_status number_columns(dtm_ctx *c, int k)
{
    const nc_dtm_opts *o = c->o;
    dt_worker *w = &c->w[k];
    const dt_table *t = &w->t;
    size_t L = t->ne, m = L ? L : 1;
    size_t *slot_of = nc_malloc(m * sizeof *slot_of);
    uint32_t *perm = nc_malloc(m * sizeof *perm);
    uint32_t *digit = nc_malloc(m * sizeof *digit);
    w->newcol = nc_malloc(m * sizeof *w->newcol);
    nc_status r = NC_ENOMEM;
    if (!slot_of || !perm || !digit || !w->newcol)
        goto done;
    for (size_t s = 0; s < t->cap; s++)
        if (ENTRY_N(&t->e[s]))
            slot_of[t->e[s].lid] = s;
    for (size_t i = 0; i < L; i++)
        perm[i] = (uint32_t)i;
    for (int pos = o->nmax - 1; pos >= 0; pos--) {
        for (size_t i = 0; i < L; i++) {
            const dt_entry *e = &t->e[slot_of[i]];
            digit[i] = (uint32_t)pos < ENTRY_N(e) ? c->ranks[entry_ids(t, e)[pos]] + 1 : 0;
        }
        if ((r = nc_radix_by_u32(perm, L, digit)))
            goto done;
    }
    size_t nkeys = 0;
    w->ncols = 0;
    for (size_t i = 0; i < L; i++) {
        const dt_entry *e = &t->e[slot_of[perm[i]]];
        if (e->total >= o->min_count) {
            w->newcol[perm[i]] = (uint32_t)w->ncols++;
            nkeys += ENTRY_N(e);
        } else {
            w->newcol[perm[i]] = UINT32_MAX;
        }
    }
    w->ckeys = nc_malloc((nkeys ? nkeys : 1) * sizeof *w->ckeys);
    w->coff = nc_malloc((w->ncols + 1) * sizeof *w->coff);
    r = NC_ENOMEM;
    if (!w->ckeys || !w->coff)
        goto done;
    size_t off = 0, col = 0;
    w->coff[0] = 0;
    for (size_t i = 0; i < L; i++) {
        if (w->newcol[perm[i]] == UINT32_MAX)
            continue;
        const dt_entry *e = &t->e[slot_of[perm[i]]];
        memcpy(w->ckeys + off, entry_ids(t, e), ENTRY_N(e) * sizeof *w->ckeys);
        off += ENTRY_N(e);
        w->coff[++col] = off;
    }
    uint64_t *len = c->cur + (size_t)k * o->nrows;
    for (uint32_t row = 0; row < o->nrows; row++) {
        uint64_t kept = 0;
        for (uint64_t i = w->row_off[row]; i < w->row_off[row + 1]; i++)
            kept += w->newcol[w->cells[i].a] != UINT32_MAX;
        len[row] = kept;
    }
    r = NC_OK;
done:
    nc_free(slot_of);
    nc_free(perm);
    nc_free(digit);
    table_free(&w->t); /* the keys of kept columns are in ckeys now */
    return r;
}

static void count_task(void *p, int k)
{
    dtm_ctx *c = p;
    nc_status r = count_rows(c, k);
    if (r == NC_OK)
        r = number_columns(c, k);
    c->w[k].status = r;
}

/* Writes worker k's cells into the result: a counting sort by column
 * (stable, so rows stay ascending within a column), then each cell goes
 * to its row's cursor. Columns are visited in ascending order, so every
 * row receives its columns in ascending order. */
static nc_status scatter(dtm_ctx *c, int k)
{
    const nc_dtm_opts *o = c->o;
    dt_worker *w = &c->w[k];
    nc_dtm *out = c->out;
    uint64_t *colend = nc_calloc(w->ncols + 1, sizeof *colend);
    if (!colend)
        return NC_ENOMEM;
    uint64_t kept = 0;
    for (size_t i = 0; i < w->ncells; i++) {
        uint32_t col = w->newcol[w->cells[i].a];
        if (col != UINT32_MAX) {
            colend[col + 1]++;
            kept++;
        }
    }
    for (size_t col = 0; col < w->ncols; col++)
        colend[col + 1] += colend[col];
    dt_cell *bycol = nc_malloc((kept ? kept : 1) * sizeof *bycol);
    if (!bycol) {
        nc_free(colend);
        return NC_ENOMEM;
    }
    for (uint32_t row = 0; row < o->nrows; row++)
        for (uint64_t i = w->row_off[row]; i < w->row_off[row + 1]; i++) {
            uint32_t col = w->newcol[w->cells[i].a];
            if (col != UINT32_MAX)
                bycol[colend[col]++] = (dt_cell){row, w->cells[i].cnt};
        }
    nc_free(w->cells); /* not needed any more: lower the peak */
    w->cells = NULL;
    w->ncells = w->cells_cap = 0;
    /* colend[col] is now the end of column col */
    uint64_t *cur = c->cur + (size_t)k * o->nrows, base = c->col_base[k], p = 0;
    for (size_t col = 0; col < w->ncols; col++)
        for (; p < colend[col]; p++) {
            uint64_t pos = cur[bycol[p].a]++;
            if (out->index_bytes == 4)
                ((int32_t *)out->indices)[pos] = (int32_t)(base + col);
            else
                ((int64_t *)out->indices)[pos] = (int64_t)(base + col);
            out->data[pos] = bycol[p].cnt;
        }
    nc_free(colend);
    nc_free(bycol);
    return NC_OK;
}

static void scatter_task(void *p, int k)
{
    dtm_ctx *c = p;
    c->w[k].status = scatter(c, k);
}

/* ---- the whole ------------------------------------------------------------------ */

void nc_dtm_free(nc_dtm *m)
{
    nc_free(m->indptr);
    nc_free(m->indices);
    nc_free(m->data);
    nc_free(m->keys);
    nc_free(m->key_off);
    memset(m, 0, sizeof *m);
}

static void worker_free(dt_worker *w)
{
    table_free(&w->t);
    nc_free(w->cells);
    nc_free(w->row_off);
    nc_free(w->newcol);
    nc_free(w->ckeys);
    nc_free(w->coff);
}

/* The kept documents, stably sorted by row (a counting sort). */
static nc_status row_order(const nc_tokstore *ts, const nc_dtm_opts *o, uint32_t **order,
                           size_t *norder)
{
    uint64_t *start = nc_calloc((size_t)o->nrows + 1, sizeof *start);
    uint32_t *ord = nc_malloc((ts->ndocs ? ts->ndocs : 1) * sizeof *ord);
    if (!start || !ord) {
        nc_free(start);
        nc_free(ord);
        return NC_ENOMEM;
    }
    size_t n = 0;
    for (size_t d = 0; d < ts->ndocs; d++)
        if (o->doc_row[d] >= 0) {
            start[o->doc_row[d] + 1]++;
            n++;
        }
    for (uint32_t r = 0; r < o->nrows; r++)
        start[r + 1] += start[r];
    for (size_t d = 0; d < ts->ndocs; d++)
        if (o->doc_row[d] >= 0)
            ord[start[o->doc_row[d]]++] = (uint32_t)d;
    nc_free(start);
    *order = ord;
    *norder = n;
    return NC_OK;
}

static nc_status check_opts(const nc_tokstore *ts, const nc_dtm_opts *o)
{
    if (o->nmin < 1 || o->nmax > NC_NGRAM_MAX || o->nmin > o->nmax || !o->doc_row)
        return NC_EINVAL;
    if (ts->ndocs > UINT32_MAX)
        return NC_ERANGE;
    for (size_t d = 0; d < ts->ndocs; d++)
        if (o->doc_row[d] >= 0 && (uint32_t)o->doc_row[d] >= o->nrows)
            return NC_EINVAL;
    return NC_OK;
}

/* Cells kept in all rows: the matrix's nnz. */
static uint64_t total_cells(const dtm_ctx *c)
{
    uint64_t nnz = 0;
    for (size_t i = 0; i < (size_t)c->workers * c->o->nrows; i++)
        nnz += c->cur[i];
    return nnz;
}

/* Fills indptr from the row lengths in cur, which become each worker's
 * write cursors: worker k writes its part of row r after workers 0..k-1. */
static void fill_indptr(dtm_ctx *c)
{
    nc_dtm *out = c->out;
    size_t R = c->o->nrows;
    uint64_t pos = 0;
    for (size_t r = 0; r <= R; r++) {
        if (out->index_bytes == 4)
            ((int32_t *)out->indptr)[r] = (int32_t)pos;
        else
            ((int64_t *)out->indptr)[r] = (int64_t)pos;
        if (r == R)
            break;
        for (int k = 0; k < c->workers; k++) {
            uint64_t len = c->cur[(size_t)k * R + r];
            c->cur[(size_t)k * R + r] = pos;
            pos += len;
        }
    }
}

static nc_status gather_keys(dtm_ctx *c)
{
    nc_dtm *out = c->out;
    size_t nkeys = 0;
    for (int k = 0; k < c->workers; k++)
        nkeys += c->w[k].coff[c->w[k].ncols];
    out->keys = nc_malloc((nkeys ? nkeys : 1) * sizeof *out->keys);
    out->key_off = nc_malloc((out->ncols + 1) * sizeof *out->key_off);
    if (!out->keys || !out->key_off)
        return NC_ENOMEM;
    size_t col = 0, off = 0;
    out->key_off[0] = 0;
    for (int k = 0; k < c->workers; k++) {
        const dt_worker *w = &c->w[k];
        memcpy(out->keys + off, w->ckeys, w->coff[w->ncols] * sizeof *out->keys);
        for (size_t j = 0; j < w->ncols; j++)
            out->key_off[++col] = off + w->coff[j + 1];
        off += w->coff[w->ncols];
    }
    return NC_OK;
}

nc_status nc_build_dtm(const nc_tokstore *ts, const nc_dtm_opts *o, nc_dtm *out)
{
    memset(out, 0, sizeof *out);
    nc_status r = check_opts(ts, o);
    if (r)
        return r;
    /* Workers split the vocabulary and each reads the whole text: beyond
     * NC_DTM_MAX_WORKERS (shares are indexed by a byte) or one per form
     * more workers would only add passes over it. */
    int workers = o->workers < 1 ? 1 : o->workers;
    if (workers > NC_DTM_MAX_WORKERS)
        workers = NC_DTM_MAX_WORKERS;
    if ((size_t)workers > ts->vocab.n)
        workers = ts->vocab.n ? (int)ts->vocab.n : 1;
    dtm_ctx c;
    memset(&c, 0, sizeof c);
    c.ts = ts;
    c.o = o;
    c.workers = workers;
    c.out = out;
    atomic_init(&c.cancel, 0);
    uint32_t *ranks = NULL, *order = NULL;
    uint8_t *share_of_id = NULL;
    uint64_t *col_base = NULL;
    c.w = nc_calloc((size_t)workers, sizeof *c.w);
    c.cur = nc_calloc((size_t)workers * o->nrows + 1, sizeof *c.cur);
    col_base = nc_calloc((size_t)workers, sizeof *col_base);
    if (!c.w || !c.cur || !col_base) {
        r = NC_ENOMEM;
        goto done;
    }
    if ((r = nc_vocab_ranks(&ts->vocab, &ranks)) ||
        (r = nc_ngram_shares(ts, ranks, workers, &share_of_id, NULL)) ||
        (r = row_order(ts, o, &order, &c.norder)))
        goto done;
    c.ranks = ranks;
    c.share_of_id = share_of_id;
    c.order = order;
    if (o->progress)
        atomic_fetch_add_explicit(o->progress, ts->ndocs - c.norder, memory_order_relaxed);
    nc_pool_opts po = {workers, o->poll, o->poll_ctx, 0, &c.cancel};
    r = nc_parallel(&po, count_task, &c);
    for (int k = 0; k < workers && !r; k++)
        r = c.w[k].status;
    if (r)
        goto done;
    for (int k = 0; k < workers; k++) {
        col_base[k] = out->ncols;
        out->ncols += c.w[k].ncols;
    }
    c.col_base = col_base;
    out->nrows = o->nrows;
    out->nnz = total_cells(&c);
    out->index_bytes = out->nnz <= INT32_MAX && out->ncols <= INT32_MAX ? 4 : 8;
    out->indptr = nc_malloc(((size_t)o->nrows + 1) * (size_t)out->index_bytes);
    out->indices = nc_malloc((out->nnz ? out->nnz : 1) * (size_t)out->index_bytes);
    out->data = nc_malloc((out->nnz ? out->nnz : 1) * sizeof *out->data);
    if (!out->indptr || !out->indices || !out->data) {
        r = NC_ENOMEM;
        goto done;
    }
    fill_indptr(&c);
    if ((r = gather_keys(&c)))
        goto done;
    r = nc_parallel(&po, scatter_task, &c);
    for (int k = 0; k < workers && !r; k++)
        r = c.w[k].status;
done:
    for (int k = 0; c.w && k < workers; k++)
        worker_free(&c.w[k]);
    nc_free(c.w);
    nc_free(c.cur);
    nc_free(col_base);
    nc_free(ranks);
    nc_free(share_of_id);
    nc_free(order);
    if (r)
        nc_dtm_free(out);
    return r;
}
