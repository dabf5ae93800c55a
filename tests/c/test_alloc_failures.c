/* Allocation failure paths: for each operation, the Nth nc_* allocation
 * fails, for N = 0, 1, 2, ... up to the number the operation makes. Every
 * run must report NC_ENOMEM (or succeed, where a failed allocation is only
 * an optimisation, e.g. shrinking), must leave its outputs empty, and must
 * leak nothing (ASan's leak checker runs at exit). Once N passes the
 * allocations needed the operation succeeds, with the same results as
 * without injection. ICU's and libstemmer's own allocations are not
 * injected. */
#include "testutil.h"

#include "util/alloc.h"
#include "count/ngram.h"

/* A generous bound: no operation here makes this many allocations. */
#define MAX_N 20000

static nc_seg_options defopts(void)
{
    return (nc_seg_options){"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
}

/* Allocations an operation makes, measured with injection off. */
#define MEASURE(call, count)                                                   \
    do {                                                                       \
        nc_alloc_fail_after(-1);                                               \
        call;                                                                  \
        (count) = nc_alloc_count();                                            \
    } while (0)

static const char *const TEXTS[] = {
    "NATO’s Council strongly condemns the cyber-attack. Allies' response follows.",
    "Gen. Smith met the U.S. Secretary in the U.S. The ministers met.",
    "",
    "😀 Emoji first, then 𝔘nicode 😀 words after; at a time and in a manner of our choosing.",
    "!!! ...",
    "Straße, STRAẞE and ＮＡＴＯ. Art. 5 applies.\n\nA new paragraph with a long line\nthat wraps.",
    "at a time of our choosing, at a time and place of our own choosing",
    "The Allies condemn it. The Allies condemn the attack. We stand in solidarity.",
};
#define NTEXTS (sizeof TEXTS / sizeof *TEXTS)

typedef struct {
    tu_pep pep[NTEXTS];
    nc_docsrc src[NTEXTS];
    nc_segmenter *seg;
} fixture;

static int setup(void **state)
{
    fixture *f = tu_xmalloc(sizeof *f);
    for (size_t i = 0; i < NTEXTS; i++) {
        f->pep[i] = tu_pep393(TEXTS[i], 0);
        f->src[i] = (nc_docsrc){f->pep[i].data, f->pep[i].len, f->pep[i].kind};
    }
    UErrorCode icu;
    nc_seg_options o = defopts();
    if (nc_segmenter_new(&o, &f->seg, &icu))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nc_alloc_fail_after(-1);
    for (size_t i = 0; i < NTEXTS; i++)
        free(f->pep[i].data);
    nc_segmenter_free(f->seg);
    free(f);
    return 0;
}

/* ---- comparisons ------------------------------------------------------ */

static char *tokens_of(const nc_segmenter *seg, const char *u8)
{
    size_t n;
    UChar *u = tu_u16(u8, &n);
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 2, u, n), NC_OK);
    nc_segworker w;
    assert_int_equal(nc_segworker_init(&w, seg), NC_OK);
    assert_int_equal(nc_segment(&w, &t), NC_OK);
    tu_buf b = {0};
    for (size_t i = 0; i < w.ntoks; i++) {
        const char *s;
        size_t len;
        assert_int_equal(nc_segworker_norm(&w, &t, &w.toks[i], &s, &len), NC_OK);
        tu_add(&b, "%s%s%s/%u", i ? " " : "", w.toks[i].barrier ? "|" : "", s, w.toks[i].sentence);
    }
    nc_segworker_free(&w);
    free(u);
    return tu_take(&b);
}

static char *abbr_table(const nc_segmenter *seg)
{
    tu_buf b = {0};
    const UChar *ab;
    size_t len;
    nc_abbr_class cls;
    for (size_t i = 0; nc_segmenter_abbreviation(seg, i, &ab, &len, &cls); i++) {
        char *s = tu_utf8(ab, len);
        tu_add(&b, "%s=%d ", s, (int)cls);
        free(s);
    }
    return tu_take(&b);
}

static void assert_same_store(const nc_tokstore *a, const nc_tokstore *b)
{
    assert_int_equal(a->vocab.n, b->vocab.n);
    for (uint32_t id = 0; id < a->vocab.n; id++)
        assert_string_equal(nc_vocab_str(&a->vocab, id, NULL), nc_vocab_str(&b->vocab, id, NULL));
    assert_int_equal(a->ndocs, b->ndocs);
    assert_int_equal(a->ntokens, b->ntokens);
    for (size_t d = 0; d < a->ndocs; d++) {
        assert_int_equal(a->docs[d].ntok, b->docs[d].ntok);
        assert_int_equal(a->docs[d].nsent, b->docs[d].nsent);
        for (uint32_t i = 0; i < a->docs[d].ntok; i++) {
            assert_int_equal(nc_doc_ids(a, d)[i], nc_doc_ids(b, d)[i]);
            uint32_t s1, e1, s2, e2;
            nc_doc_token_span(a, d, i, &s1, &e1);
            nc_doc_token_span(b, d, i, &s2, &e2);
            assert_int_equal(s1, s2);
            assert_int_equal(e1, e2);
            assert_int_equal(nc_doc_sentence_of(a, d, i), nc_doc_sentence_of(b, d, i));
        }
    }
}

static void assert_same_table(const nc_ngram_table *a, const nc_ngram_table *b)
{
    assert_int_equal(a->nuniq, b->nuniq);
    assert_int_equal(a->nrows, b->nrows);
    assert_memory_equal(a->key_off, b->key_off, (a->nuniq + 1) * sizeof *a->key_off);
    assert_memory_equal(a->keys, b->keys, a->key_off[a->nuniq] * sizeof *a->keys);
    assert_memory_equal(a->row_ngram, b->row_ngram, a->nrows * sizeof *a->row_ngram);
    assert_memory_equal(a->row_group, b->row_group, a->nrows * sizeof *a->row_group);
    assert_memory_equal(a->row_count, b->row_count, a->nrows * sizeof *a->row_count);
    assert_memory_equal(a->row_docfreq, b->row_docfreq, a->nrows * sizeof *a->row_docfreq);
    assert_memory_equal(a->row_key, b->row_key, a->nrows * sizeof *a->row_key);
}

/* ---- segmenter ---------------------------------------------------------- */

static void test_segmenter_new(void **state)
{
    fixture *f = *state;
    char *want_tab = abbr_table(f->seg);
    char *want_tok = tokens_of(f->seg, TEXTS[1]);
    nc_seg_options o = defopts();
    long need;
    nc_segmenter *s = NULL;
    UErrorCode icu;
    MEASURE(assert_int_equal(nc_segmenter_new(&o, &s, &icu), NC_OK), need);
    nc_segmenter_free(s);
    assert_true(need > 50); /* one per default abbreviation and more */
    long failures = 0;
    for (long n = 0; n <= need; n++) {
        s = (nc_segmenter *)1;
        nc_alloc_fail_after(n);
        nc_status r = nc_segmenter_new(&o, &s, &icu);
        nc_alloc_fail_after(-1);
        if (n == need)
            assert_int_equal(r, NC_OK); /* enough allocations: success */
        if (r == NC_OK) {
            char *tab = abbr_table(s);
            char *tok = tokens_of(s, TEXTS[1]);
            assert_string_equal(tab, want_tab);
            assert_string_equal(tok, want_tok);
            free(tab);
            free(tok);
            nc_segmenter_free(s);
            continue;
        }
        assert_int_equal(r, NC_ENOMEM);
        assert_null(s);
        failures++;
    }
    assert_int_equal(failures, need); /* every allocation matters */
    free(want_tab);
    free(want_tok);
}

/* A failed nc_segmenter_add_abbreviation leaves the table as it was. */
static void test_add_abbreviation(void **state)
{
    (void)state;
    nc_seg_options o = defopts();
    o.default_abbreviations = 0;
    for (long n = 0; n < MAX_N; n++) {
        nc_segmenter *s;
        UErrorCode icu;
        assert_int_equal(nc_segmenter_new(&o, &s, &icu), NC_OK);
        nc_status r = NC_OK;
        size_t added = 0;
        nc_alloc_fail_after(n);
        for (int i = 0; i < 40 && r == NC_OK; i++) {
            UChar ab[8] = {'A', (UChar)('a' + i % 26), (UChar)('a' + i / 26), '.'};
            if ((r = nc_segmenter_add_abbreviation(s, ab, 4, NC_ABBR_ALWAYS)) == NC_OK)
                added++;
        }
        nc_alloc_fail_after(-1);
        size_t count = 0;
        const UChar *ab;
        size_t len;
        nc_abbr_class cls;
        while (nc_segmenter_abbreviation(s, count, &ab, &len, &cls))
            count++;
        assert_int_equal(count, added);
        nc_segmenter_free(s);
        if (r == NC_OK) {
            assert_int_equal(added, 40);
            assert_true(n > 0);
            return;
        }
        assert_int_equal(r, NC_ENOMEM);
    }
    fail_msg("never succeeded");
}

/* A worker whose nc_segment failed works normally afterwards. */
static void test_segment_and_reuse(void **state)
{
    fixture *f = *state;
    tu_buf b = {0};
    for (int i = 0; i < 300; i++)
        tu_add(&b, "%s ", TEXTS[i % NTEXTS]);
    char *text = tu_take(&b);
    char *want = tokens_of(f->seg, text);
    size_t n16;
    UChar *u = tu_u16(text, &n16);
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 2, u, n16), NC_OK);
    long failures = 0;
    for (long n = 0; n < MAX_N; n++) {
        nc_segworker w;
        assert_int_equal(nc_segworker_init(&w, f->seg), NC_OK);
        nc_alloc_fail_after(n);
        nc_status r = nc_segment(&w, &t);
        nc_alloc_fail_after(-1);
        if (r != NC_OK)
            assert_int_equal(r, NC_ENOMEM);
        failures += r != NC_OK;
        /* again without injection: the full, correct result */
        assert_int_equal(nc_segment(&w, &t), NC_OK);
        tu_buf got = {0};
        for (size_t i = 0; i < w.ntoks; i++) {
            const char *s;
            size_t len;
            assert_int_equal(nc_segworker_norm(&w, &t, &w.toks[i], &s, &len), NC_OK);
            tu_add(&got, "%s%s%s/%u", i ? " " : "", w.toks[i].barrier ? "|" : "", s,
                   w.toks[i].sentence);
        }
        assert_str_take(tu_take(&got), want);
        nc_segworker_free(&w);
        if (r == NC_OK)
            break;
    }
    assert_true(failures > 3);
    free(u);
    free(want);
    free(text);
}

static void test_normalize_and_text(void **state)
{
    (void)state;
    /* nc_text_set, kind 4: two buffers */
    tu_pep p = tu_pep393("a😀b 𝔘 c", 4);
    for (long n = 0; n < MAX_N; n++) {
        nc_text t;
        nc_text_init(&t);
        nc_alloc_fail_after(n);
        nc_status r = nc_text_set(&t, 4, p.data, p.len);
        nc_alloc_fail_after(-1);
        if (r == NC_OK) {
            assert_int_equal(t.len16, 9);
            assert_int_equal(nc_text_cp_offset(&t, 9), 7);
            nc_text_free(&t);
            assert_true(n >= 2);
            break;
        }
        assert_int_equal(r, NC_ENOMEM);
        /* the same nc_text works once memory is back */
        assert_int_equal(nc_text_set(&t, 4, p.data, p.len), NC_OK);
        assert_int_equal(nc_text_cp_offset(&t, 9), 7);
        nc_text_free(&t);
    }
    free(p.data);
    /* nc_normalize: the NFKC buffer and the output buffer, and the buffers
     * of tokens whose NFKC holds white space (the second drops the space
     * and normalizes again, the third falls back to canonical forms) */
    static const char *const inputs[][2] = {
        {"ＮＡＴＯ’s", "nato's"},
        {"ＮＡＴＯ’s\u202Fﬁnal", "nato'sfinal"},
        {"ＮＡＴＯ’s\u202Fﬁnal\u00B4", "ｎａｔｏ'sfinal\u00B4"},
    };
    for (size_t k = 0; k < sizeof inputs / sizeof *inputs; k++) {
        size_t len;
        UChar *u = tu_u16(inputs[k][0], &len);
        char *norm_want, *want;
        {
            nc_normalizer nz;
            nc_norm_options no = {0, "english"};
            assert_int_equal(nc_normalizer_init(&nz, &no), NC_OK);
            const char *out;
            size_t ol;
            assert_int_equal(nc_normalize(&nz, u, len, &out, &ol), NC_OK);
            assert_string_equal(out, inputs[k][1]);
            norm_want = strdup(out);
            assert_int_equal(nc_stem(&nz, out, ol, &out, &ol), NC_OK);
            want = strdup(out);
            nc_normalizer_free(&nz);
        }
        for (long n = 0; n < MAX_N; n++) {
            nc_normalizer nz;
            nc_norm_options no = {0, "english"};
            assert_int_equal(nc_normalizer_init(&nz, &no), NC_OK);
            const char *out;
            size_t ol;
            nc_alloc_fail_after(n);
            nc_status r = nc_normalize(&nz, u, len, &out, &ol);
            if (r == NC_OK)
                r = nc_stem(&nz, out, ol, &out, &ol);
            nc_alloc_fail_after(-1);
            if (r == NC_OK) {
                assert_string_equal(out, want);
                nc_normalizer_free(&nz);
                assert_true(n >= 1);
                break;
            }
            assert_int_equal(r, NC_ENOMEM);
            assert_int_equal(nc_normalize(&nz, u, len, &out, &ol), NC_OK);
            assert_string_equal(out, norm_want);
            nc_normalizer_free(&nz);
        }
        free(norm_want);
        free(want);
        free(u);
    }
}

/* ---- vocabulary ---------------------------------------------------------- */

static int vocab_fill(nc_vocab *v, size_t *done, int retry_on_failure)
{
    char buf[32];
    for (size_t i = *done; i < 700; i++) {
        int k = snprintf(buf, sizeof buf, "word%zu-%zu", i * 7919 % 1000, i);
        uint32_t id;
        nc_status r = nc_vocab_intern(v, buf, (size_t)k, (uint8_t)(i & 3), &id);
        if (r != NC_OK) {
            assert_int_equal(r, NC_ENOMEM);
            *done = i;
            if (!retry_on_failure)
                return 0;
            nc_alloc_fail_after(-1);
            r = nc_vocab_intern(v, buf, (size_t)k, (uint8_t)(i & 3), &id);
            assert_int_equal(r, NC_OK);
        }
        assert_int_equal(id, i);
    }
    *done = 700;
    return 1;
}

static void check_vocab(const nc_vocab *v)
{
    char buf[32];
    assert_int_equal(v->n, 700);
    for (size_t i = 0; i < 700; i++) {
        int k = snprintf(buf, sizeof buf, "word%zu-%zu", i * 7919 % 1000, i);
        assert_int_equal(nc_vocab_find(v, buf, (size_t)k), (int64_t)i);
        assert_string_equal(nc_vocab_str(v, (uint32_t)i, NULL), buf);
        assert_int_equal(v->kinds[i], i & 3);
    }
}

static void test_vocab_intern(void **state)
{
    (void)state;
    long need;
    nc_vocab ref;
    nc_vocab_init(&ref);
    size_t done = 0;
    MEASURE(assert_true(vocab_fill(&ref, &done, 0)), need);
    check_vocab(&ref);
    nc_vocab_free(&ref);
    assert_true(need > 5);
    for (long n = 0; n <= need; n++) {
        /* a failure frees cleanly */
        nc_vocab v;
        nc_vocab_init(&v);
        done = 0;
        nc_alloc_fail_after(n);
        int ok = vocab_fill(&v, &done, 0);
        nc_alloc_fail_after(-1);
        assert_int_equal(ok, n == need);
        nc_vocab_free(&v);
        /* a failure leaves a vocabulary that goes on working */
        nc_vocab_init(&v);
        done = 0;
        nc_alloc_fail_after(n);
        assert_true(vocab_fill(&v, &done, 1));
        nc_alloc_fail_after(-1);
        check_vocab(&v);
        nc_vocab_free(&v);
    }
}

static void test_vocab_ranks(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    size_t done = 0;
    assert_true(vocab_fill(&v, &done, 0));
    uint32_t *want;
    assert_int_equal(nc_vocab_ranks(&v, &want), NC_OK);
    for (long n = 0; n < MAX_N; n++) {
        uint32_t *ranks = NULL;
        nc_alloc_fail_after(n);
        nc_status r = nc_vocab_ranks(&v, &ranks);
        nc_alloc_fail_after(-1);
        if (r == NC_OK) {
            assert_memory_equal(ranks, want, v.n * sizeof *want);
            nc_free(ranks);
            assert_true(n >= 3);
            break;
        }
        assert_int_equal(r, NC_ENOMEM);
        assert_null(ranks);
    }
    nc_free(want);
    nc_vocab_free(&v);
}

/* ---- token store --------------------------------------------------------- */

static void build_loop(fixture *f, int workers)
{
    nc_build_opts bo = {workers, NULL, NULL, NULL};
    nc_build_error err;
    nc_tokstore ref;
    long need;
    MEASURE(assert_int_equal(nc_tokstore_build(&ref, f->seg, f->src, NTEXTS, &bo, &err), NC_OK),
            need);
    assert_true(need > 20);
    long failures = 0;
    for (long n = 0; n <= need; n++) {
        nc_tokstore ts;
        nc_alloc_fail_after(n);
        nc_status r = nc_tokstore_build(&ts, f->seg, f->src, NTEXTS, &bo, &err);
        nc_alloc_fail_after(-1);
        if (n == need)
            assert_int_equal(r, NC_OK);
        if (r == NC_OK) {
            /* succeeded although allocation n failed: only a shrink did */
            assert_same_store(&ref, &ts);
            nc_tokstore_free(&ts);
            continue;
        }
        failures++;
        assert_int_equal(r, NC_ENOMEM);
        assert_int_equal(err.status, NC_ENOMEM);
        assert_null(ts.docs);
        assert_null(ts.chunks);
        assert_null(ts.vocab.arena);
        nc_tokstore_free(&ts);
    }
    /* the last allocation was not needed to succeed only if it was a shrink */
    assert_true(failures >= need / 2);
    nc_tokstore ts;
    assert_int_equal(nc_tokstore_build(&ts, f->seg, f->src, NTEXTS, &bo, &err), NC_OK);
    assert_same_store(&ref, &ts);
    nc_tokstore_free(&ts);
    nc_tokstore_free(&ref);
}

static void test_tokstore_build_1(void **state) { build_loop(*state, 1); }

static void test_tokstore_build_2(void **state) { build_loop(*state, 2); }

/* ---- counting ---------------------------------------------------------- */

static void count_loop(fixture *f, int workers, nc_ngram_method method)
{
    nc_build_opts bo = {2, NULL, NULL, NULL};
    nc_build_error err;
    nc_tokstore ts;
    assert_int_equal(nc_tokstore_build(&ts, f->seg, f->src, NTEXTS, &bo, &err), NC_OK);
    int32_t groups[NTEXTS];
    for (size_t d = 0; d < NTEXTS; d++)
        groups[d] = d == 4 ? -1 : (int32_t)(d % 2);
    uint8_t *stop = calloc(ts.vocab.n, 1);
    int64_t a = nc_vocab_find(&ts.vocab, "a", 1);
    assert_true(a >= 0);
    stop[a] = 1;
    nc_ngram_opts o;
    memset(&o, 0, sizeof o);
    o.nmin = 1;
    o.nmax = 5;
    o.doc_group = groups;
    o.ngroups = 2;
    o.stop = stop;
    o.nstop = ts.vocab.n;
    o.min_count = 1;
    o.top = 40;
    o.workers = workers;
    o.method = method;
    const int64_t years[2] = {2016, 2024};
    o.group_key = years;
    nc_ngram_table ref;
    long need;
    MEASURE(assert_int_equal(nc_count_ngrams(&ts, &o, &ref), NC_OK), need);
    assert_true(ref.nrows > 50);
    long failures = 0;
    for (long n = 0; n <= need; n++) {
        nc_ngram_table t;
        nc_alloc_fail_after(n);
        nc_status r = nc_count_ngrams(&ts, &o, &t);
        nc_alloc_fail_after(-1);
        if (n == need)
            assert_int_equal(r, NC_OK);
        if (r == NC_OK) {
            assert_same_table(&ref, &t);
            nc_ngram_table_free(&t);
            continue;
        }
        failures++;
        assert_int_equal(r, NC_ENOMEM);
        assert_null(t.keys);
        assert_null(t.row_count);
        assert_int_equal(t.nrows, 0);
    }
    assert_int_equal(failures, need);

    /* phrases: the unique n-grams of the table, a duplicate and an empty one */
    size_t np = ref.nuniq + 2;
    uint64_t *off = tu_xmalloc((np + 1) * sizeof *off);
    uint32_t *keys = tu_xmalloc((ref.key_off[ref.nuniq] + 8) * sizeof *keys);
    memcpy(keys, ref.keys, ref.key_off[ref.nuniq] * sizeof *keys);
    memcpy(off, ref.key_off, (ref.nuniq + 1) * sizeof *off);
    uint64_t end = off[ref.nuniq];
    memcpy(keys + end, ref.keys, ref.key_off[1] * sizeof *keys); /* duplicate of phrase 0 */
    off[ref.nuniq + 1] = end + ref.key_off[1];
    off[ref.nuniq + 2] = off[ref.nuniq + 1]; /* empty */
    o.stop = NULL;
    int64_t *wc = tu_xmalloc(np * 2 * sizeof *wc), *wd = tu_xmalloc(np * 2 * sizeof *wd);
    int64_t *c = tu_xmalloc(np * 2 * sizeof *c), *d = tu_xmalloc(np * 2 * sizeof *d);
    MEASURE(assert_int_equal(nc_count_phrases(&ts, keys, off, np, &o, wc, wd), NC_OK), need);
    assert_int_equal(wc[0], wc[2 * ref.nuniq]);
    assert_int_equal(wc[2 * (np - 1)], 0);
    failures = 0;
    for (long n = 0; n <= need; n++) {
        nc_alloc_fail_after(n);
        nc_status r = nc_count_phrases(&ts, keys, off, np, &o, c, d);
        nc_alloc_fail_after(-1);
        if (n == need)
            assert_int_equal(r, NC_OK);
        if (r == NC_OK) {
            assert_memory_equal(c, wc, np * 2 * sizeof *c);
            assert_memory_equal(d, wd, np * 2 * sizeof *d);
            continue;
        }
        failures++;
        assert_int_equal(r, NC_ENOMEM);
    }
    assert_int_equal(failures, need);
    free(c);
    free(d);
    free(wc);
    free(wd);
    free(off);
    free(keys);
    free(stop);
    nc_ngram_table_free(&ref);
    nc_tokstore_free(&ts);
}

static void test_count_ngrams_1(void **state) { count_loop(*state, 1, NC_NG_PACKED); }

static void test_count_ngrams_2(void **state) { count_loop(*state, 2, NC_NG_PACKED); }

static void test_count_ngrams_hash_1(void **state) { count_loop(*state, 1, NC_NG_HASH); }

static void test_count_ngrams_hash_2(void **state) { count_loop(*state, 2, NC_NG_HASH); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segmenter_new),
        cmocka_unit_test(test_add_abbreviation),
        cmocka_unit_test(test_segment_and_reuse),
        cmocka_unit_test(test_normalize_and_text),
        cmocka_unit_test(test_vocab_intern),
        cmocka_unit_test(test_vocab_ranks),
        cmocka_unit_test(test_tokstore_build_1),
        cmocka_unit_test(test_tokstore_build_2),
        cmocka_unit_test(test_count_ngrams_1),
        cmocka_unit_test(test_count_ngrams_2),
        cmocka_unit_test(test_count_ngrams_hash_1),
        cmocka_unit_test(test_count_ngrams_hash_2),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
