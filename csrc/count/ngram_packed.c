/* Counting n-grams by sorting packed keys.
 *
 * When the vocabulary is small enough that an n-gram's tokens (as string
 * ranks) and its group fit in a 64-bit key with room for at least one more
 * bit, every occurrence is written as one word: the key above a few low
 * bits. The keys' numeric order is the result's order (n-gram position by
 * position in string order, a shorter one first, then group). Words go
 * straight into buckets by their first token, which is memory written in
 * streams rather than a table probed at random; a bucket, split further by
 * radix passes when a frequent first token makes it large, is then sorted in
 * cache, and each run of equal keys is one (n-gram, group) row.
 *
 * Threads: in a first phase each walks its own range of documents and
 * writes the words into the buckets of every share of the vocabulary; in the
 * second each owns a share, gathers its buckets from all walkers (walker
 * order is document order) and counts them, so neither phase repeats work.
 *
 * Document frequency: when the document number fits beside the key, it
 * fills the low bits; a stable sort keeps a run's words in document order,
 * so each change of document number in the run is one more document.
 * Otherwise a small per-document set marks the first occurrence of each key
 * in its document with one flag bit, and a run's docfreq is the number of
 * its flagged words. Unigrams, the most frequent n-grams, are counted in a
 * dense (rank, group) array when it is small. */
#include <string.h>

#include "util/alloc.h"
#include "count/ngram_share.h"
#include "util/sort.h"

/* Dense unigram cells per worker; beyond this unigrams become keys too. */
#define DENSE_MAX_CELLS ((size_t)1 << 22)
#define SET_MIN_BITS 8
#define SET_START_MAX_BITS 20 /* a longer document grows its set as it goes */

typedef struct {
    int nmin, nmax;
    unsigned b, gb;                    /* bits of a field (rank + 1) and of the group */
    unsigned shift[NC_NGRAM_MAX];      /* of field j in a key (key = word >> low) */
    unsigned bits;                     /* significant bits of a key */
    unsigned low;                      /* bits below the key: the document, or a flag */
    int doc_bits;                      /* the low bits hold the document number */
} layout;

static unsigned bit_width(uint64_t x)
{
    unsigned w = 0;
    while (x) {
        w++;
        x >>= 1;
    }
    return w;
}

static void make_layout(const nc_tokstore *ts, const nc_ngram_opts *o, layout *L)
{
    L->nmin = o->nmin;
    L->nmax = o->nmax;
    L->b = bit_width(ts->vocab.n);
    if (L->b == 0)
        L->b = 1;
    L->gb = o->ngroups > 1 ? bit_width(o->ngroups - 1) : 0;
    for (int j = 0; j < o->nmax; j++)
        L->shift[j] = L->gb + L->b * (unsigned)(o->nmax - 1 - j);
    L->bits = (unsigned)o->nmax * L->b + L->gb;
    unsigned db = ts->ndocs > 1 ? bit_width(ts->ndocs - 1) : 0;
    /* at least one low bit either way: keys stay below 2^63, so the counter
     * may use UINT64_MAX as "no key" */
    L->doc_bits = L->bits + (db ? db : 1) <= 64;
    L->low = L->doc_bits ? db : 1;
}

int nc_ng_packed_fits(const nc_tokstore *ts, const nc_ngram_opts *o)
{
    if (o->nmin < 1 || o->nmax > NC_NGRAM_MAX || o->nmin > o->nmax)
        return 0;
    layout L;
    make_layout(ts, o, &L);
    return L.bits + L.low <= 64;
}

/* The buckets of share k: its ranks + 1 in [lo, hi), in consecutive runs
 * of ranks whose n-grams are about one bucket's worth; they are buckets
 * base .. base + nbk in every walker's layout. */
typedef struct {
    uint32_t lo, hi;
    size_t nbk, base;
} pk_geo;

struct pk_walker;

typedef struct {
    const nc_tokstore *ts;
    const nc_ngram_opts *o;
    const layout *L;
    const uint32_t *rank1;       /* id -> string rank + 1; 0 for a stop word */
    const uint32_t *order;       /* string rank -> id */
    const uint32_t *bucket_of;   /* rank + 1 -> bucket in a walker's layout */
    const uint32_t *bucket_lo;   /* bucket -> its first rank + 1 (the next one's ends it) */
    const uint64_t *freq;        /* id -> tokens of that form */
    const pk_geo *geo;           /* per share */
    size_t nbk;                  /* buckets of all shares */
    const size_t *bounds;        /* walker j: documents bounds[j] .. bounds[j + 1] */
    int workers, dense;
    struct pk_walker *walkers;
    nc_ng_share *shares;
    atomic_int cancel;
} pk_ctx;

/* One walker: the documents of one range, written as words into the
 * buckets of every share. Bucketing by first token is the first pass of the
 * sort: each bucket is then small enough to sort in cache. A bucket's room is
 * the most its tokens could start, so it never fills. */
typedef struct pk_walker {
    uint64_t *words;             /* key << low | document or first-in-document flag */
    uint64_t *bstart, *bfill;    /* per bucket: first and next free word */
    uint64_t *set;               /* keys seen in the current document; 0 = empty */
    size_t setcap;
    unsigned setbits;
    size_t setfill;
    /* dense unigrams: count, docfreq and last document + 1 of (rank r, group
     * g) at 4 * (g * V + r), group-major so that a document (one group) works
     * in one slice, and a token's update touches one cache line */
    uint32_t *uni;
    nc_status status;
} pk_walker;

static nc_status set_reset(pk_walker *w, size_t expect)
{
    unsigned bits = SET_MIN_BITS;
    while (bits < SET_START_MAX_BITS && ((size_t)1 << bits) < 2 * expect)
        bits++;
    size_t cap = (size_t)1 << bits;
    if (cap > w->setcap) {
        nc_free(w->set);
        w->set = nc_malloc(cap * sizeof *w->set);
        if (!w->set) {
            w->setcap = 0;
            return NC_ENOMEM;
        }
        w->setcap = cap;
    }
    w->setbits = bits;
    w->setfill = 0;
    memset(w->set, 0, cap * sizeof *w->set);
    return NC_OK;
}

static inline size_t set_slot(uint64_t key, unsigned bits)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}

/* Doubles the set when a document has more keys than its estimate. */
static nc_status set_grow(pk_walker *w)
{
    unsigned bits = w->setbits + 1;
    size_t cap = (size_t)1 << bits, old = (size_t)1 << w->setbits;
    uint64_t *s = nc_calloc(cap, sizeof *s);
    if (!s)
        return NC_ENOMEM;
    for (size_t i = 0; i < old; i++) {
        uint64_t k = w->set[i];
        if (!k)
            continue;
        size_t j = set_slot(k, bits);
        while (s[j])
            j = (j + 1) & (cap - 1);
        s[j] = k;
    }
    nc_free(w->set);
    w->set = s;
    w->setcap = cap;
    w->setbits = bits;
    return NC_OK;
}

/* Without doc_bits: *flag = 1 if the current document has not shown key
 * before, else 0. */
static inline nc_status first_in_doc(pk_walker *w, uint64_t key, uint64_t *flag)
{
    size_t mask = ((size_t)1 << w->setbits) - 1, j = set_slot(key, w->setbits);
    for (;; j = (j + 1) & mask) {
        uint64_t s = w->set[j];
        if (s == key) {
            *flag = 0;
            return NC_OK;
        }
        if (!s) {
            w->set[j] = key;
            *flag = 1;
            return ++w->setfill * 2 > mask + 1 ? set_grow(w) : NC_OK;
        }
    }
}

/* The first n-gram length that is written as words (shorter ones are dense
 * unigrams or not asked for). */
static int first_keyed(const layout *L, int dense)
{
    return L->nmin > 1 ? L->nmin : dense ? 2 : 1;
}

/* How many n-gram lengths are written as words: the most words a token can
 * start. */
static uint64_t keyed_lengths(const layout *L, int dense)
{
    int fk = first_keyed(L, dense);
    return fk <= L->nmax ? (uint64_t)(L->nmax - fk + 1) : 0;
}

/* rank + 1 of token e if an n-gram can extend to it (inside the document,
 * no barrier before it, not a stop word), else 0. */
static inline uint32_t extend(const uint32_t *ids, const uint32_t *rank1, uint32_t e, uint32_t n)
{
    if (e >= n || (ids[e] & NC_TOK_BARRIER))
        return 0;
    return rank1[ids[e] & NC_TOK_ID_MASK];
}

/* One more unigram of rank r in document d, whose group's dense cells start
 * at uni. */
static inline void count_unigram(uint32_t *uni, uint32_t r, uint32_t d)
{
    uint32_t *cell = uni + 4 * (size_t)r;
    cell[0]++;
    if (cell[2] != d + 1) {
        cell[2] = d + 1;
        cell[1]++;
    }
}

/* Writes the n-grams of one document into the walker's buckets. A word's
 * low bits are the document number or, without doc_bits, the
 * first-in-document flag (the per-document set is only needed then); a
 * bucket's write position stays in a register while a token's n-grams go
 * out. */
static nc_status walk_doc(const pk_ctx *c, pk_walker *w, const uint32_t *ids, uint32_t n,
                          uint32_t g, uint32_t d)
{
    const layout *L = c->L;
    const uint32_t *rank1 = c->rank1, *bucket_of = c->bucket_of;
    const int fk = first_keyed(L, c->dense), nmax = L->nmax, doc_bits = L->doc_bits;
    const unsigned low = L->low;
    uint64_t *words = w->words, *bfill = w->bfill;
    nc_status r = NC_OK;
    uint64_t lens = keyed_lengths(L, c->dense);
    if (!doc_bits && lens && (r = set_reset(w, (size_t)n * (size_t)lens)))
        return r;
    uint32_t *uni = c->dense ? w->uni + 4 * (size_t)g * c->ts->vocab.n : NULL;
    for (uint32_t s = 0; s < n && r == NC_OK; s++) {
        uint32_t f = rank1[ids[s] & NC_TOK_ID_MASK];
        if (!f)
            continue;
        if (uni)
            count_unigram(uni, f - 1, d);
        uint32_t bk = bucket_of[f];
        uint64_t *dst = words + bfill[bk];
        uint64_t key = (uint64_t)f << L->shift[0] | g;
        for (int m = 1; m <= nmax; m++) {
            if (m > 1) {
                uint32_t fe = extend(ids, rank1, s + (uint32_t)m - 1, n);
                if (!fe)
                    break;
                key |= (uint64_t)fe << L->shift[m - 1];
            }
            if (m < fk)
                continue;
            uint64_t lowbits = d;
            if (!doc_bits && (r = first_in_doc(w, key, &lowbits)))
                break;
            *dst++ = key << low | lowbits;
        }
        bfill[bk] = (uint64_t)(dst - words);
    }
    return r;
}

/* Each bucket gets room for every n-gram its tokens in the walker's
 * documents could start. (The corpus-wide counts would spare this pass, but
 * would reserve the whole corpus's room in every walker: no faster when
 * measured, and workers times the address space.) */
static nc_status plan_buckets(const pk_ctx *c, pk_walker *w, size_t d0, size_t d1)
{
    const nc_tokstore *ts = c->ts;
    uint64_t lens = keyed_lengths(c->L, c->dense);
    w->bstart = nc_calloc(c->nbk + 1, sizeof *w->bstart);
    w->bfill = nc_malloc((c->nbk + 1) * sizeof *w->bfill);
    if (!w->bstart || !w->bfill)
        return NC_ENOMEM;
    for (size_t d = d0; d < d1; d++) {
        if (c->o->doc_group[d] < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(ts, d);
        for (uint32_t i = 0; i < ts->docs[d].ntok; i++) {
            uint32_t f = c->rank1[ids[i] & NC_TOK_ID_MASK];
            if (f)
                w->bstart[c->bucket_of[f] + 1] += lens;
        }
    }
    for (size_t i = 0; i < c->nbk; i++)
        w->bstart[i + 1] += w->bstart[i];
    memcpy(w->bfill, w->bstart, (c->nbk + 1) * sizeof *w->bfill);
    size_t total = (size_t)w->bstart[c->nbk];
    if (total > SIZE_MAX / sizeof *w->words)
        return NC_ERANGE;
    w->words = nc_malloc((total ? total : 1) * sizeof *w->words);
    return w->words ? NC_OK : NC_ENOMEM;
}

/* Phase 1, walker j: its documents into words and dense unigram cells. */
static nc_status walk_range(pk_ctx *c, int j, pk_walker *w)
{
    const nc_tokstore *ts = c->ts;
    const nc_ngram_opts *o = c->o;
    size_t d0 = c->bounds[j], d1 = c->bounds[j + 1], V = ts->vocab.n;
    if (c->dense) {
        size_t cells = V * o->ngroups;
        w->uni = nc_calloc(4 * (cells ? cells : 1), sizeof *w->uni);
        if (!w->uni)
            return NC_ENOMEM;
    }
    nc_status r = plan_buckets(c, w, d0, d1);
    for (size_t d = d0; d < d1 && r == NC_OK; d++) {
        if (((d - d0) & 63) == 0 && atomic_load_explicit(&c->cancel, memory_order_relaxed))
            return NC_EINTR;
        int32_t g = o->doc_group[d];
        if (g >= 0)
            r = walk_doc(c, w, nc_doc_ids(ts, d), ts->docs[d].ntok, (uint32_t)g, (uint32_t)d);
        if (o->progress)
            atomic_fetch_add_explicit(o->progress, 1, memory_order_relaxed);
    }
    nc_free(w->set);
    w->set = NULL;
    w->setcap = 0;
    return r;
}

static void walker_fn(void *p, int j)
{
    pk_ctx *c = p;
    c->walkers[j].status = walk_range(c, j, &c->walkers[j]);
}

/* One (n-gram, group) count, from a bucket's table or a dense cell. */
typedef struct {
    uint64_t key;
    uint32_t count, df;
} pk_entry;

/* The entries of one bucket in key order: its words (a part of the bucket
 * at a time, sorted by key) merged with the dense unigram cells of its
 * ranks, which come before the longer n-grams that start with the same
 * token. */
typedef struct {
    const uint64_t *wp, *we;     /* words of the current part */
    const uint32_t *uni;         /* the share's dense unigrams: 2 * (g * span + r) */
    size_t span;
    const layout *L;
    uint64_t limit;              /* unigrams with keys from here on wait for a later part */
    uint32_t r, g, r_end, G;     /* next dense cell to look at: rank + 1 - lo, group */
    uint32_t lo;
    unsigned shift0;
    uint64_t ukey;               /* the next unigram's key (UINT64_MAX: none left) */
    const uint32_t *ucell;       /* and its count and docfreq */
} pk_stream;

static void next_unigram(pk_stream *st)
{
    for (; st->r < st->r_end; st->r++, st->g = 0)
        while (st->g < st->G) {
            uint32_t g = st->g++;
            const uint32_t *cell = st->uni + 2 * ((size_t)g * st->span + st->r);
            if (cell[0]) {
                st->ukey = (uint64_t)(st->lo + st->r) << st->shift0 | g;
                st->ucell = cell;
                return;
            }
        }
    st->ukey = UINT64_MAX;
}

static int next_entry(pk_stream *st, pk_entry *e)
{
    int have_u = st->ukey < st->limit, have_w = st->wp < st->we;
    if (!have_u && !have_w)
        return 0;
    unsigned low = st->L->low;
    uint64_t key = have_w ? *st->wp >> low : UINT64_MAX;
    if (have_u && st->ukey <= key) {
        *e = (pk_entry){st->ukey, st->ucell[0], st->ucell[1]};
        next_unigram(st);
        return 1;
    }
    /* a run of equal keys; counts fit 32 bits (the caller checks a share has
     * fewer words). Equal keys keep the order they were written in, which is
     * document order, so a document number that differs from the one before
     * is a new document. */
    const uint64_t *p = st->wp;
    uint32_t df = 0;
    if (st->L->doc_bits) {
        uint64_t dmask = ((uint64_t)1 << low) - 1, prev = UINT64_MAX;
        for (; p < st->we && (*p >> low) == key; p++) {
            df += (*p & dmask) != prev;
            prev = *p & dmask;
        }
    } else {
        for (; p < st->we && (*p >> low) == key; p++)
            df += (uint32_t)(*p & 1);
    }
    *e = (pk_entry){key, (uint32_t)(p - st->wp), df};
    st->wp = p;
    return 1;
}

typedef struct {
    nc_ng_row *rows;
    size_t nrows, nu;
    uint32_t *ids;
    uint64_t *ids_off;
    pk_entry *grp;               /* one n-gram's groups */
} pk_out;

/* Appends the n-grams of one bucket whose total passes min_count. */
static nc_status collect_bucket(const pk_ctx *c, pk_stream *st, pk_out *po)
{
    const layout *L = c->L;
    uint64_t gmask = ((uint64_t)1 << L->gb) - 1, fmask = ((uint64_t)1 << L->b) - 1;
    pk_entry e;
    int have = next_entry(st, &e);
    while (have) {
        uint64_t ng = e.key >> L->gb, total = 0;
        size_t ng_n = 0;
        do {
            po->grp[ng_n++] = e;
            total += e.count;
            have = next_entry(st, &e);
        } while (have && (e.key >> L->gb) == ng);
        if (total < c->o->min_count)
            continue;
        if (po->nu >= UINT32_MAX)
            return NC_ERANGE;
        for (size_t i = 0; i < ng_n; i++)
            po->rows[po->nrows++] = (nc_ng_row){po->grp[i].count, (uint32_t)(po->grp[i].key & gmask),
                                                po->grp[i].df, (uint32_t)po->nu};
        uint64_t off = po->ids_off[po->nu];
        for (int j = 0; j < L->nmax; j++) {
            uint64_t f = (po->grp[0].key >> L->shift[j]) & fmask;
            if (!f)
                break;
            po->ids[off++] = c->order[f - 1];
        }
        po->ids_off[++po->nu] = off;
    }
    return NC_OK;
}

/* Parts beyond this many words (more than the cache keeps while sorting)
 * are split by up to SPLIT_BITS more bits of key. */
#define SPLIT_WORDS ((size_t)1 << 15)
#define SPLIT_BITS 8

/* Counts the words a[0..n), part of a bucket whose keys agree from bit khi
 * up, and appends their rows with the unigrams the stream has before its
 * limit. scratch has room for n words. */
static nc_status count_part(const pk_ctx *c, uint64_t *a, size_t n, uint64_t *scratch,
                            unsigned khi, pk_stream *st, pk_out *po)
{
    nc_radix_u64(a, scratch, n, c->L->low, c->L->low + khi);
    st->wp = a;
    st->we = a + n;
    return collect_bucket(c, st, po);
}

/* Counts the words a[0..n) whose keys agree from bit khi up. A large part
 * (the n-grams of a frequent first token) is split by a radix pass on the
 * highest bits that vary, into scratch, and each piece counted in turn with
 * the piece of `a` at the same place as its scratch; the stream's limit
 * holds back the unigrams that belong after each piece. */
static nc_status count_range(const pk_ctx *c, uint64_t *a, size_t n, uint64_t *scratch,
                             unsigned khi, pk_stream *st, pk_out *po)
{
    unsigned low = c->L->low, gb = c->L->gb;
    /* never between the groups of one n-gram: its rows are made together */
    uint64_t below = (((uint64_t)1 << khi) - 1) & ~(((uint64_t)1 << gb) - 1), diff = 0;
    if (n > SPLIT_WORDS)
        for (size_t j = 1; j < n; j++)
            diff |= ((a[j] ^ a[0]) >> low) & below;
    if (!diff)
        return count_part(c, a, n, scratch, khi, st, po);
    unsigned top = 64 - (unsigned)__builtin_clzll(diff); /* keys agree from here up */
    unsigned klo = top > gb + SPLIT_BITS ? top - SPLIT_BITS : gb, nd = 1u << (top - klo);
    size_t start[(1 << SPLIT_BITS) + 1] = {0}, fill[1 << SPLIT_BITS];
    for (size_t j = 0; j < n; j++)
        start[((a[j] >> low >> klo) & (nd - 1)) + 1]++;
    for (unsigned d = 0; d < nd; d++)
        start[d + 1] += start[d];
    memcpy(fill, start, nd * sizeof *fill);
    for (size_t j = 0; j < n; j++)
        scratch[fill[(a[j] >> low >> klo) & (nd - 1)]++] = a[j];
    uint64_t prefix = (a[0] >> low) & ~(((uint64_t)1 << top) - 1), limit = st->limit;
    nc_status r = NC_OK;
    for (unsigned d = 0; d < nd && r == NC_OK; d++) {
        st->limit = d + 1 < nd ? prefix | (uint64_t)(d + 1) << klo : limit;
        r = count_range(c, scratch + start[d], start[d + 1] - start[d], a + start[d], klo, st, po);
    }
    st->limit = limit;
    return r;
}

/* The dense unigram cells of share k: the walkers' cells of its ranks,
 * added up (documents are disjoint between walkers), as 2 * (g * span + r). */
static nc_status share_unigrams(const pk_ctx *c, const pk_geo *geo, uint32_t **out)
{
    size_t span = geo->hi - geo->lo, G = c->o->ngroups, V = c->ts->vocab.n, cells = span * G;
    uint32_t *uni = nc_calloc(2 * (cells ? cells : 1), sizeof *uni);
    if (!uni)
        return NC_ENOMEM;
    for (int j = 0; j < c->workers; j++)
        for (size_t g = 0; g < G; g++) {
            const uint32_t *src = c->walkers[j].uni + 4 * (g * V + (geo->lo - 1));
            uint32_t *dst = uni + 2 * g * span;
            for (size_t i = 0; i < span; i++) {
                dst[2 * i] += src[4 * i];
                dst[2 * i + 1] += src[4 * i + 1];
            }
        }
    *out = uni;
    return NC_OK;
}

/* Phase 2, share k: each of its buckets, gathered from the walkers in
 * document order, sorted and read off into rows. */
static nc_status count_share(pk_ctx *c, int k)
{
    const nc_ngram_opts *o = c->o;
    const layout *L = c->L;
    const pk_geo *geo = &c->geo[k];
    uint32_t lo = geo->lo, hi = geo->hi, G = o->ngroups;
    size_t span = hi - lo, nw = 0, biggest = 1;
    /* counts are 32-bit, as in the hash counter, which also refuses beyond */
    for (uint32_t f = lo; f < hi; f++)
        if (c->freq[c->order[f - 1]] >= UINT32_MAX)
            return NC_ERANGE;
    for (size_t i = 0; i < geo->nbk; i++) {
        size_t n = 0;
        for (int j = 0; j < c->workers; j++)
            n += c->walkers[j].bfill[geo->base + i] - c->walkers[j].bstart[geo->base + i];
        nw += n;
        if (n > biggest)
            biggest = n;
    }
    if (nw >= UINT32_MAX)
        return NC_ERANGE;
    size_t most = (c->dense ? span * G : 0) + nw + 1;
    pk_out po = {0};
    uint32_t *uni = NULL;
    uint64_t *gathered = NULL;
    nc_status r = c->dense ? share_unigrams(c, geo, &uni) : NC_OK;
    po.rows = nc_malloc(most * sizeof *po.rows);
    po.ids = nc_malloc(most * (size_t)L->nmax * sizeof *po.ids);
    po.ids_off = nc_malloc((most + 1) * sizeof *po.ids_off);
    po.grp = nc_malloc((G ? G : 1) * sizeof *po.grp);
    uint64_t *tmp = nc_malloc(biggest * sizeof *tmp);
    /* with one walker a bucket lies in one piece and is sorted where it is */
    if (c->workers > 1)
        gathered = nc_malloc(biggest * sizeof *gathered);
    if (!r && (!po.rows || !po.ids || !po.ids_off || !po.grp || !tmp ||
               (c->workers > 1 && !gathered)))
        r = NC_ENOMEM;
    if (r)
        goto done;
    po.ids_off[0] = 0;
    for (size_t i = 0; i < geo->nbk && r == NC_OK; i++) {
        size_t b = geo->base + i, n = 0;
        uint64_t *a = gathered;
        if (c->workers == 1) {
            a = c->walkers[0].words + c->walkers[0].bstart[b];
            n = (size_t)(c->walkers[0].bfill[b] - c->walkers[0].bstart[b]);
        } else {
            for (int j = 0; j < c->workers; j++) {
                const pk_walker *w = &c->walkers[j];
                size_t m = (size_t)(w->bfill[b] - w->bstart[b]);
                memcpy(a + n, w->words + w->bstart[b], m * sizeof *a);
                n += m;
            }
        }
        uint32_t flo = c->bucket_lo[b], fhi = i + 1 < geo->nbk ? c->bucket_lo[b + 1] : hi;
        /* the keys of a bucket share their bits from khi up: the first
         * token's bits above those in which its ranks differ */
        unsigned khi = L->shift[0] + bit_width(flo ^ (fhi - 1));
        pk_stream st = {.uni = uni, .span = span, .L = L, .limit = UINT64_MAX, .G = G, .lo = lo,
                        .shift0 = L->shift[0]};
        if (c->dense) {
            st.r = flo - lo;
            st.r_end = fhi - lo;
        }
        next_unigram(&st);
        r = count_range(c, a, n, tmp, khi, &st, &po);
    }
    if (r == NC_OK) {
        nc_ng_share *sh = &c->shares[k];
        sh->ids = po.ids;
        sh->ids_off = po.ids_off;
        sh->nu = po.nu;
        sh->rows = po.rows;
        sh->nrows = po.nrows;
        po.ids = NULL;
        po.ids_off = NULL;
        po.rows = NULL;
    }
done:
    nc_free(uni);
    nc_free(tmp);
    nc_free(gathered);
    nc_free(po.rows);
    nc_free(po.ids);
    nc_free(po.ids_off);
    nc_free(po.grp);
    return r;
}

static void share_fn(void *p, int k)
{
    pk_ctx *c = p;
    c->shares[k].status = count_share(c, k);
}

/* At most this many buckets a share; a bucket is planned to hold up to
 * BUCKET_WORDS words (a run of ranks, or one frequent rank alone, which
 * count_range() splits further), so that most are sorted without a split. */
#define MAX_BUCKETS 2048
#define BUCKET_WORDS (SPLIT_WORDS / 2)

uint64_t nc_ng_packed_bucket_words = 0;

/* The shares' buckets, numbered across shares: bucket_of[rank + 1], and the
 * first rank + 1 of each bucket in *blo. A rank's weight is the words its
 * tokens can start: its corpus frequency times the n-gram lengths written
 * as words. */
static nc_status plan_geometry(const nc_tokstore *ts, const uint32_t *rank_of,
                               const uint32_t *order, const uint64_t *freq, uint64_t lens,
                               const uint8_t *share_of_id, int workers, pk_geo *geo,
                               uint32_t *bucket_of, uint32_t **blo, size_t *nbk)
{
    size_t V = ts->vocab.n;
    for (int k = 0; k < workers; k++)
        geo[k] = (pk_geo){UINT32_MAX, 0, 0, 0};
    for (size_t id = 0; id < V; id++) {
        pk_geo *g = &geo[share_of_id[id]];
        uint32_t f = rank_of[id] + 1;
        if (f < g->lo)
            g->lo = f;
        if (f + 1 > g->hi)
            g->hi = f + 1;
    }
    /* at most one bucket per rank */
    if (!(*blo = nc_malloc((V ? V : 1) * sizeof **blo)))
        return NC_ENOMEM;
    size_t base = 0;
    for (int k = 0; k < workers; k++) {
        pk_geo *g = &geo[k];
        if (g->lo > g->hi)
            g->lo = g->hi = 0;
        uint64_t total = 0, acc = 0;
        for (uint32_t f = g->lo; f < g->hi; f++)
            total += freq[order[f - 1]] * lens;
        uint64_t target = total / MAX_BUCKETS + 1, want = nc_ng_packed_bucket_words;
        if (!want)
            want = BUCKET_WORDS;
        if (target < want)
            target = want;
        g->base = base;
        for (uint32_t f = g->lo; f < g->hi; f++) {
            uint64_t wf = freq[order[f - 1]] * lens;
            if (f == g->lo || (acc && acc + wf > target)) {
                (*blo)[base++] = f;
                acc = 0;
            }
            acc += wf;
            bucket_of[f] = (uint32_t)(base - 1);
        }
        g->nbk = base - g->base;
    }
    *nbk = base;
    return NC_OK;
}

static void walker_free(pk_walker *w)
{
    nc_free(w->words);
    nc_free(w->bstart);
    nc_free(w->bfill);
    nc_free(w->set);
    nc_free(w->uni);
    memset(w, 0, sizeof *w);
}

static void walkers_free(pk_walker *w, int n)
{
    for (int j = 0; w && j < n; j++)
        walker_free(&w[j]);
    nc_free(w);
}

/* Each thread hands its walker's words (most of the memory of counting)
 * back to the system itself: unmapping them one after the other on the
 * caller was a serial stretch of tens of milliseconds. */
static void walker_free_fn(void *p, int j)
{
    pk_ctx *c = p;
    walker_free(&c->walkers[j]);
}

/* Two phases on the threads: walkers, each over its own range of documents,
 * write words into the buckets of every share; then each share's owner
 * gathers its buckets from all walkers (in walker order, which is document
 * order) and counts them. */
nc_status nc_count_ngrams_packed(const nc_tokstore *ts, const nc_ngram_opts *o,
                                 const uint32_t *ranks, const uint8_t *share_of_id,
                                 const uint64_t *freq, int workers, nc_ngram_table *out)
{
    if (!nc_ng_packed_fits(ts, o))
        return NC_ERANGE;
    layout L;
    make_layout(ts, o, &L);
    size_t V = ts->vocab.n, *bounds = NULL;
    uint32_t *bucket_lo = NULL;
    uint32_t *rank1 = nc_malloc((V ? V : 1) * sizeof *rank1);
    uint32_t *order = nc_malloc((V ? V : 1) * sizeof *order);
    uint32_t *bucket_of = nc_calloc(V + 1, sizeof *bucket_of);
    pk_geo *geo = nc_malloc((size_t)workers * sizeof *geo);
    pk_walker *walkers = nc_calloc((size_t)workers, sizeof *walkers);
    nc_ng_share *shares = nc_calloc((size_t)workers, sizeof *shares);
    nc_status r = NC_ENOMEM;
    if (!rank1 || !order || !bucket_of || !geo || !walkers || !shares ||
        (r = nc_ng_doc_ranges(ts, workers, &bounds)))
        goto done;
    for (size_t id = 0; id < V; id++) {
        order[ranks[id]] = (uint32_t)id;
        rank1[id] = o->stop && id < o->nstop && o->stop[id] ? 0 : ranks[id] + 1;
    }
    size_t nbk;
    int dense = o->nmin == 1 && V * o->ngroups <= DENSE_MAX_CELLS;
    if ((r = plan_geometry(ts, ranks, order, freq, keyed_lengths(&L, dense), share_of_id, workers,
                           geo, bucket_of, &bucket_lo, &nbk)))
        goto done;
    pk_ctx c = {ts, o, &L, rank1, order, bucket_of, bucket_lo, freq, geo, nbk, bounds, workers,
                dense, walkers, shares, 0};
    atomic_init(&c.cancel, 0);
    nc_pool_opts po = {workers, o->poll, o->poll_ctx, 0, &c.cancel};
    r = nc_parallel(&po, walker_fn, &c);
    for (int j = 0; j < workers && !r; j++)
        r = walkers[j].status;
    if (!r)
        r = nc_parallel(&po, share_fn, &c);
    /* the words are read in phase 2 by every share: free them after it (if
     * the threads cannot start, walkers_free does it) */
    (void)nc_parallel(&(nc_pool_opts){workers, NULL, NULL, 0, NULL}, walker_free_fn, &c);
    walkers_free(walkers, workers);
    walkers = NULL;
    if (!r)
        r = nc_ng_merge_shares(o, shares, workers, out);
done:
    walkers_free(walkers, workers);
    for (int k = 0; shares && k < workers; k++)
        nc_ng_share_free(&shares[k]);
    nc_free(shares);
    nc_free(rank1);
    nc_free(order);
    nc_free(bucket_of);
    nc_free(bucket_lo);
    nc_free(geo);
    nc_free(bounds);
    return r;
}
