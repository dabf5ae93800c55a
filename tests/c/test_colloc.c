/* Collocation tables: quanteda's published example, agreement with a naive
 * reimplementation of quanteda's algorithm (compare each sequence with
 * every eligible window) on generated corpora for k = 2..5, stop words as
 * pads, left-out documents, any number of workers, bad options,
 * cancellation, and every allocation failure path. */
#include "teststore.h"

#include <math.h>

#include "util/alloc.h"
#include "count/colloc.h"
#include "stats/stats.h"

static nc_colloc_opts opts(unsigned size, uint64_t min_count, int workers)
{
    nc_colloc_opts o;
    memset(&o, 0, sizeof o);
    o.size = size;
    o.min_count = min_count;
    o.workers = workers;
    return o;
}

static uint32_t id_of(const nc_tokstore *ts, const char *w)
{
    int64_t id = nc_vocab_find(&ts->vocab, w, strlen(w));
    if (id < 0)
        fail_msg("\"%s\" is not in the vocabulary", w);
    return (uint32_t)id;
}

/* "w1 w2 ...: c0 c1 ... | f1 f2 ..." per term (cells, then word counts),
 * "; " between terms. */
static char *dump(const nc_tokstore *ts, const nc_colloc_table *t)
{
    tu_buf b = {0};
    const unsigned k = t->size;
    for (size_t i = 0; i < t->nterms; i++) {
        tu_add(&b, "%s", i ? "; " : "");
        for (unsigned j = 0; j < k; j++)
            tu_add(&b, "%s%s", j ? " " : "", nc_vocab_str(&ts->vocab, t->keys[i * k + j], NULL));
        tu_add(&b, ":");
        for (size_t c = 0; c < ((size_t)1 << k); c++)
            tu_add(&b, " %.0f", t->cells[(i << k) | c]);
        tu_add(&b, " |");
        for (unsigned j = 0; j < k; j++)
            tu_add(&b, " %llu", (unsigned long long)t->word_count[i * k + j]);
    }
    return tu_take(&b);
}

/* ---- quanteda's example -------------------------------------------------- */

/* textstat_collocations(c("I like good ice cream.", "Me too!  I like good
 * ice cream."), min_count = 2): four bigrams of count 2, each with
 * lambda 4.317488 and z 2.027787. Nine eligible windows ("me too" is one;
 * nothing crosses "!" or a document). */
static void test_quanteda_example(void **state)
{
    (void)state;
    const char *texts[] = {"I like good ice cream.", "Me too!  I like good ice cream."};
    store s;
    store_build(&s, texts, 2, 1);
    for (int workers = 1; workers <= 3; workers++) {
        nc_colloc_opts o = opts(2, 2, workers);
        nc_colloc_table t;
        assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
        assert_int_equal(t.nwindows, 9);
        assert_int_equal(t.ntokens, 12);
        assert_str_take(dump(&s.ts, &t),
                        "good ice: 7 0 0 2 | 2 2; i like: 7 0 0 2 | 2 2; "
                        "ice cream: 7 0 0 2 | 2 2; like good: 7 0 0 2 | 2 2");
        double lam[4], sig[4], z[4];
        assert_int_equal(nc_colloc_lambda(t.cells, t.nterms, 2, 0.5, lam, sig, z), NC_OK);
        for (int i = 0; i < 4; i++) {
            assert_true(fabs(lam[i] - 4.317488) < 5e-7);
            assert_true(fabs(z[i] - 2.027787) < 5e-7);
        }
        nc_colloc_table_free(&t);
    }
    /* min_count 1 adds "me too", which occurs once and nowhere else */
    nc_colloc_opts o = opts(2, 1, 1);
    nc_colloc_table t;
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
    assert_int_equal(t.nterms, 5);
    assert_str_take(dump(&s.ts, &t),
                    "good ice: 7 0 0 2 | 2 2; i like: 7 0 0 2 | 2 2; "
                    "ice cream: 7 0 0 2 | 2 2; like good: 7 0 0 2 | 2 2; me too: 8 0 0 1 | 1 1");
    nc_colloc_table_free(&t);
    /* trigrams: 6 windows, three per document ("me too" is too short) */
    o = opts(3, 2, 2);
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
    assert_int_equal(t.nwindows, 6);
    assert_str_take(dump(&s.ts, &t),
                    "good ice cream: 4 0 0 0 0 0 0 2 | 2 2 2; "
                    "i like good: 4 0 0 0 0 0 0 2 | 2 2 2; "
                    "like good ice: 4 0 0 0 0 0 0 2 | 2 2 2");
    nc_colloc_table_free(&t);
    store_free(&s);
}

/* Partial matches land in their cells: "a b" against "a c", "c b". */
static void test_partial_matches(void **state)
{
    (void)state;
    const char *texts[] = {"a b a b a c c b. a b"};
    store s;
    store_build(&s, texts, 1, 1);
    nc_colloc_opts o = opts(2, 3, 1);
    nc_colloc_table t;
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
    /* windows: ab ba ab ba ac cc cb | ab  (8; none across ".")
     * "a b" x3; bit 0 (a first, not b second): ac = 1; bit 1 (b second
     * only): cb = 1; neither: ba ba cc = 3 */
    assert_str_take(dump(&s.ts, &t), "a b: 3 1 1 3 | 4 4");
    nc_colloc_table_free(&t);
    store_free(&s);
}

/* ---- agreement with a naive implementation ------------------------------- */

typedef struct {
    uint32_t w[NC_COLLOC_MAX_SIZE];
    int pad; /* holds a stop word */
} window;

/* quanteda's algorithm, directly: list the eligible windows, take the
 * pad-free window types counted >= min_count, and fill each one's cells by
 * comparing it with every window. Output in the same format as dump(),
 * sorted by string as nc_count_collocations sorts. */
static char *naive(const nc_tokstore *ts, unsigned k, uint64_t min_count, const int32_t *groups,
                   const uint8_t *stop)
{
    size_t cap = 1024, nw = 0;
    window *ws = tu_xmalloc(cap * sizeof *ws);
    uint64_t *freq = calloc(ts->vocab.n + 1, sizeof *freq);
    for (size_t d = 0; d < ts->ndocs; d++) {
        if (groups && groups[d] < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(ts, d);
        const uint32_t n = ts->docs[d].ntok;
        for (uint32_t i = 0; i < n; i++)
            if (!(stop && stop[ids[i] & NC_TOK_ID_MASK]))
                freq[ids[i] & NC_TOK_ID_MASK]++;
        for (uint32_t s0 = 0; s0 + k <= n; s0++) {
            int ok = 1, pad = 0;
            for (unsigned j = 1; j < k; j++)
                ok &= !(ids[s0 + j] & NC_TOK_BARRIER);
            if (!ok)
                continue;
            if (nw == cap) {
                cap *= 2;
                ws = realloc(ws, cap * sizeof *ws);
            }
            for (unsigned j = 0; j < k; j++) {
                ws[nw].w[j] = ids[s0 + j] & NC_TOK_ID_MASK;
                pad |= stop && stop[ws[nw].w[j]];
            }
            ws[nw].pad = pad;
            nw++;
        }
    }
    /* types: strings of the pad-free windows, counted */
    char **str = tu_xmalloc((nw ? nw : 1) * sizeof *str);
    for (size_t i = 0; i < nw; i++) {
        tu_buf b = {0};
        for (unsigned j = 0; j < k; j++)
            tu_add(&b, "%s%s", j ? " " : "", nc_vocab_str(&ts->vocab, ws[i].w[j], NULL));
        str[i] = tu_take(&b);
    }
    /* selection sort of distinct strings is fine at this size */
    uint8_t *done = calloc(nw + 1, 1);
    tu_buf out = {0};
    int first = 1;
    for (;;) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < nw; i++)
            if (!done[i] && !ws[i].pad && (best == SIZE_MAX || strcmp(str[i], str[best]) < 0))
                best = i;
        if (best == SIZE_MAX)
            break;
        uint64_t cnt = 0;
        for (size_t i = 0; i < nw; i++)
            if (strcmp(str[i], str[best]) == 0) {
                done[i] = 1;
                cnt++;
            }
        if (cnt < min_count)
            continue;
        uint64_t cells[1 << NC_COLLOC_MAX_SIZE] = {0};
        for (size_t i = 0; i < nw; i++) {
            unsigned bit = 0;
            for (unsigned j = 0; j < k; j++)
                bit |= (unsigned)(ws[i].w[j] == ws[best].w[j]) << j;
            cells[bit]++;
        }
        tu_add(&out, "%s%s:", first ? "" : "; ", str[best]);
        first = 0;
        for (unsigned c = 0; c < (1u << k); c++)
            tu_add(&out, " %llu", (unsigned long long)cells[c]);
        tu_add(&out, " |");
        for (unsigned j = 0; j < k; j++)
            tu_add(&out, " %llu", (unsigned long long)freq[ws[best].w[j]]);
    }
    for (size_t i = 0; i < nw; i++)
        free(str[i]);
    free(str);
    free(done);
    free(ws);
    free(freq);
    return tu_take(&out);
}

/* Documents of words from a small vocabulary, with commas, sentence ends
 * and an occasional empty document, so that sequences repeat often. */
static char **gen_texts(size_t ndocs, uint64_t seed)
{
    static const char *words[] = {"strongly", "condemn", "the", "attack", "we", "a",
                                  "coordinated", "response", "of", "our", "choosing", "cyber"};
    char **t = tu_xmalloc(ndocs * sizeof *t);
    for (size_t d = 0; d < ndocs; d++) {
        tu_buf b = {0};
        size_t n = tu_rand(&seed) % 60;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = tu_rand(&seed);
            tu_add(&b, "%s%s", i ? " " : "", words[(r >> 8) % 12 < 6 ? (r >> 12) % 6 : (r >> 16) % 12]);
            if (r % 17 == 0)
                tu_add(&b, ",");
            else if (r % 11 == 0)
                tu_add(&b, ".");
        }
        t[d] = tu_take(&b);
    }
    return t;
}

static void test_against_naive(void **state)
{
    (void)state;
    enum { NDOCS = 40 };
    char **texts = gen_texts(NDOCS, 42);
    store s;
    store_build(&s, (const char *const *)texts, NDOCS, 1);
    uint8_t *stop = calloc(s.ts.vocab.n, 1);
    stop[id_of(&s.ts, "the")] = 1;
    stop[id_of(&s.ts, "of")] = 1;
    int32_t groups[NDOCS];
    for (int d = 0; d < NDOCS; d++)
        groups[d] = d % 3 == 1 ? -1 : 0;
    for (unsigned k = 2; k <= NC_COLLOC_MAX_SIZE; k++)
        for (uint64_t mc = 1; mc <= 3; mc += 2)
            for (int variant = 0; variant < 3; variant++) {
                const uint8_t *st = variant == 1 ? stop : NULL;
                const int32_t *gr = variant == 2 ? groups : NULL;
                char *want = naive(&s.ts, k, mc, gr, st);
                for (int workers = 1; workers <= 3; workers++) {
                    nc_colloc_opts o = opts(k, mc, workers);
                    o.stop = st;
                    o.nstop = st ? s.ts.vocab.n : 0;
                    o.doc_group = gr;
                    nc_colloc_table t;
                    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
                    if (k == 2 && mc == 1)
                        assert_true(t.nterms > 20);
                    char *got = dump(&s.ts, &t);
                    if (strcmp(got, want) != 0)
                        fail_msg("k=%u min_count=%llu variant=%d workers=%d\ngot:  %s\nwant: %s",
                                 k, (unsigned long long)mc, variant, workers, got, want);
                    free(got);
                    nc_colloc_table_free(&t);
                }
                free(want);
            }
    free(stop);
    store_free(&s);
    for (int d = 0; d < NDOCS; d++)
        free(texts[d]);
    free(texts);
}

/* ---- edges, errors, cancellation ---------------------------------------- */

static int stop_now(void *ctx)
{
    (void)ctx;
    return 1;
}

static void test_edges_and_errors(void **state)
{
    (void)state;
    const char *texts[] = {"", "one", "a b. c d", "a b a b"};
    store s;
    store_build(&s, texts, 4, 1);
    nc_colloc_table t;
    nc_colloc_opts o = opts(5, 1, 2); /* no window of 5 anywhere */
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
    assert_int_equal(t.nterms, 0);
    nc_colloc_table_free(&t);
    o = opts(1, 1, 1);
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_EINVAL);
    assert_true(t.keys == NULL && t.nterms == 0);
    o = opts(NC_COLLOC_MAX_SIZE + 1, 1, 1);
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_EINVAL);
    o = opts(2, 0, 1);
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_EINVAL);
    const int32_t bad_groups[4] = {0, 1, 0, 0};
    o = opts(2, 1, 1);
    o.doc_group = bad_groups;
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_EINVAL);
    /* every document left out: nothing */
    const int32_t none[4] = {-1, -1, -1, -1};
    o.doc_group = none;
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
    assert_int_equal(t.nterms, 0);
    nc_colloc_table_free(&t);
    /* a poll function that asks to stop */
    for (int workers = 1; workers <= 2; workers++) {
        o = opts(2, 1, workers);
        o.poll = stop_now;
        assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_EINTR);
        assert_true(t.keys == NULL && t.cells == NULL);
    }
    store_free(&s);
}

/* What a poll function saw of a documents-done counter. */
typedef struct {
    atomic_size_t *done;
    size_t last, calls;
    int backwards;
} progress_log;

static int record_progress(void *p)
{
    progress_log *l = p;
    size_t d = atomic_load(l->done);
    l->backwards |= d < l->last;
    l->last = d;
    l->calls++;
    return 0;
}

/* Documents done end at the number of documents (left-out ones included,
 * and also when there is nothing to score), never go back, and any number
 * of workers, however large, gives the same table. */
static void test_progress_and_worker_limit(void **state)
{
    (void)state;
    enum { NDOCS = 150 }; /* more than 64: the counter's batches and a remainder */
    char **texts = gen_texts(NDOCS, 3);
    store s;
    store_build(&s, (const char *const *)texts, NDOCS, 1);
    int32_t groups[NDOCS];
    for (int d = 0; d < NDOCS; d++)
        groups[d] = d % 4 == 1 ? -1 : 0;
    const int workers[] = {1, 3, 100000};
    for (unsigned k = 2; k <= NC_COLLOC_MAX_SIZE; k += 3) {
        char *want = NULL;
        for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
            atomic_size_t done;
            atomic_init(&done, 0);
            progress_log log = {&done, 0, 0, 0};
            nc_colloc_opts o = opts(k, 1, workers[w]);
            o.doc_group = groups;
            o.poll = record_progress;
            o.poll_ctx = &log;
            o.progress = &done;
            nc_colloc_table t;
            assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
            assert_true(t.nterms > 0);
            assert_int_equal(atomic_load(&done), NDOCS);
            assert_true(!log.backwards && log.last == NDOCS);
            char *got = dump(&s.ts, &t);
            if (!want)
                want = got;
            else
                assert_true(tu_same(got, want));
            nc_colloc_table_free(&t);
        }
        free(want);
    }
    /* nothing to score: the scans are skipped, the documents still done */
    int32_t none[NDOCS];
    for (int d = 0; d < NDOCS; d++)
        none[d] = -1;
    atomic_size_t done;
    atomic_init(&done, 0);
    progress_log log = {&done, 0, 0, 0};
    nc_colloc_opts o = opts(2, 1, 2);
    o.doc_group = none;
    o.poll = record_progress;
    o.poll_ctx = &log;
    o.progress = &done;
    nc_colloc_table t;
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
    assert_int_equal(t.nterms, 0);
    assert_int_equal(log.last, NDOCS);
    nc_colloc_table_free(&t);
    store_free(&s);
    for (int d = 0; d < NDOCS; d++)
        free(texts[d]);
    free(texts);
}

/* Enough distinct sequences that the projection tables pass the size from
 * which nc_calloc_table maps memory (freed by nc_free_table); results still
 * independent of the number of workers, and every term's cells sum to the
 * number of windows. */
static void test_large_tables(void **state)
{
    (void)state;
    enum { NDOCS = 40, WORDS = 12000 };
    char **texts = tu_xmalloc(NDOCS * sizeof *texts);
    uint64_t seed = 99;
    for (int d = 0; d < NDOCS; d++) {
        tu_buf b = {0};
        for (int i = 0; i < WORDS; i++)
            tu_add(&b, "%sw%u", i ? " " : "", (unsigned)(tu_rand(&seed) % 3000));
        texts[d] = tu_take(&b);
    }
    store s;
    store_build(&s, (const char *const *)texts, NDOCS, 1);
    nc_colloc_table t1, t2;
    nc_colloc_opts o = opts(3, 1, 1);
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t1), NC_OK);
    o.workers = 2;
    assert_int_equal(nc_count_collocations(&s.ts, &o, &t2), NC_OK);
    assert_true(t1.nterms > 300000); /* 32-byte slots at load 1/2: > 8 MB */
    assert_int_equal(t1.nterms, t2.nterms);
    assert_memory_equal(t1.keys, t2.keys, t1.nterms * 3 * sizeof *t1.keys);
    assert_memory_equal(t1.cells, t2.cells, (t1.nterms << 3) * sizeof *t1.cells);
    for (size_t i = 0; i < t1.nterms; i++) {
        double sum = 0;
        for (int c = 0; c < 8; c++)
            sum += t1.cells[(i << 3) | (size_t)c];
        if (sum != (double)t1.nwindows)
            fail_msg("term %zu: cells sum to %.0f, not %llu", i, sum,
                     (unsigned long long)t1.nwindows);
    }
    nc_colloc_table_free(&t1);
    nc_colloc_table_free(&t2);
    store_free(&s);
    for (int d = 0; d < NDOCS; d++)
        free(texts[d]);
    free(texts);
}

/* Every allocation failure gives NC_ENOMEM, an empty table and no leak;
 * past the last allocation the result equals the uninjected one. */
static void test_alloc_failures(void **state)
{
    (void)state;
    char **texts = gen_texts(12, 7);
    store s;
    store_build(&s, (const char *const *)texts, 12, 1);
    for (unsigned k = 2; k <= 4; k++)
        for (int workers = 1; workers <= 2; workers++) {
            nc_colloc_opts o = opts(k, 1, workers);
            nc_colloc_table t;
            nc_alloc_fail_after(-1);
            assert_int_equal(nc_count_collocations(&s.ts, &o, &t), NC_OK);
            long need = nc_alloc_count();
            char *want = dump(&s.ts, &t);
            nc_colloc_table_free(&t);
            assert_true(need > 3);
            for (long n = 0; n <= need + 2; n++) {
                nc_alloc_fail_after(n);
                nc_status r = nc_count_collocations(&s.ts, &o, &t);
                nc_alloc_fail_after(-1);
                if (r == NC_OK) {
                    assert_true(n >= need);
                    assert_str_take(dump(&s.ts, &t), want);
                    nc_colloc_table_free(&t);
                    continue;
                }
                if (r != NC_ENOMEM)
                    fail_msg("k=%u workers=%d n=%ld: status %s", k, workers, n,
                             nc_status_name(r));
                assert_true(t.keys == NULL && t.cells == NULL && t.word_count == NULL &&
                            t.nterms == 0);
            }
            free(want);
        }
    store_free(&s);
    for (int d = 0; d < 12; d++)
        free(texts[d]);
    free(texts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quanteda_example),
        cmocka_unit_test(test_partial_matches),
        cmocka_unit_test(test_against_naive),
        cmocka_unit_test(test_edges_and_errors),
        cmocka_unit_test(test_progress_and_worker_limit),
        cmocka_unit_test(test_large_tables),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
