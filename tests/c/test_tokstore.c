/* nc_tokstore: parallel build, vocabulary merged in corpus order, token
 * spans in code points, sentences, memory per token, errors. */
#include "testutil.h"

#include "util/alloc.h"
#include "tokens/tokstore.h"

static nc_seg_options defopts(void)
{
    return (nc_seg_options){"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
}

typedef struct {
    tu_pep *pep;
    nc_docsrc *src;
    size_t n;
} corpus;

static corpus corpus_new(const char *const *texts, const int *kinds, size_t n)
{
    corpus c = {tu_xmalloc(n * sizeof *c.pep), tu_xmalloc(n * sizeof *c.src), n};
    for (size_t i = 0; i < n; i++) {
        c.pep[i] = tu_pep393(texts[i], kinds ? kinds[i] : 0);
        c.src[i] = (nc_docsrc){c.pep[i].data, c.pep[i].len, c.pep[i].kind};
    }
    return c;
}

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->pep[i].data);
    free(c->pep);
    free(c->src);
}

/* A generated corpus: words (ASCII, accented, Greek, emoji), punctuation,
 * abbreviations, numbers, line breaks and blank lines, empty documents. */
static corpus corpus_generated(size_t ndocs, uint64_t seed)
{
    static const char *const words[] = {
        "NATO", "Allies", "condemn", "strongly", "the", "cyber-attack", "attack", "at", "a",
        "time", "Russia’s", "response", "Gen.", "U.S.", "Art.", "5", "2024", "ΕΕ", "Ελλάδα",
        "😀", "Straße", "ＮＡＴＯ", "co\u00ADordinated", "e.g.", "I", "in", "The", "𝔘nion"};
    static const char *const seps[] = {" ", " ", " ", " ", ", ", ". ", "! ", "\n", "\n\n", " – ",
                                       "; ", " (", ") "};
    char **texts = calloc(ndocs + 1, sizeof *texts);
    uint64_t rs = seed;
    for (size_t d = 0; d < ndocs; d++) {
        tu_buf b = {0};
        size_t nw = tu_rand(&rs) % 60;
        if (d % 17 == 3)
            nw = 0; /* some empty documents */
        for (size_t k = 0; k < nw; k++) {
            tu_add(&b, "%s", words[tu_rand(&rs) % (sizeof words / sizeof *words)]);
            if (k + 1 < nw)
                tu_add(&b, "%s", seps[tu_rand(&rs) % (sizeof seps / sizeof *seps)]);
        }
        texts[d] = tu_take(&b);
    }
    corpus c = corpus_new((const char *const *)texts, NULL, ndocs);
    for (size_t d = 0; d < ndocs; d++)
        free(texts[d]);
    free(texts);
    return c;
}

/* A segmenter with the default options. */
static nc_segmenter *default_segmenter(void)
{
    nc_segmenter *seg;
    UErrorCode icu;
    nc_seg_options o = defopts();
    assert_int_equal(nc_segmenter_new(&o, &seg, &icu), NC_OK);
    return seg;
}

static void build(nc_tokstore *ts, const nc_segmenter *seg, const corpus *c, int workers)
{
    nc_build_opts bo = {workers, NULL, NULL, NULL};
    nc_build_error err;
    nc_status r = nc_tokstore_build(ts, seg, c->src, c->n, &bo, &err);
    if (r)
        fail_msg("build: %s at doc %zu", nc_status_name(r), err.doc);
    assert_int_equal(err.status, NC_OK);
}

/* Two stores are the same: same vocabulary (same id for the same string)
 * and the same tokens, spans and sentences. */
static void assert_same_store(const nc_tokstore *a, const nc_tokstore *b)
{
    assert_int_equal(a->vocab.n, b->vocab.n);
    for (uint32_t id = 0; id < a->vocab.n; id++) {
        size_t la, lb;
        const char *sa = nc_vocab_str(&a->vocab, id, &la);
        const char *sb = nc_vocab_str(&b->vocab, id, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(sa, sb, la);
        assert_int_equal(a->vocab.kinds[id], b->vocab.kinds[id]);
    }
    assert_int_equal(a->ndocs, b->ndocs);
    assert_int_equal(a->ntokens, b->ntokens);
    for (size_t d = 0; d < a->ndocs; d++) {
        assert_int_equal(a->docs[d].ntok, b->docs[d].ntok);
        assert_int_equal(a->docs[d].nsent, b->docs[d].nsent);
        const uint32_t *ia = nc_doc_ids(a, d), *ib = nc_doc_ids(b, d);
        for (uint32_t i = 0; i < a->docs[d].ntok; i++) {
            assert_int_equal(ia[i], ib[i]);
            uint32_t s1, e1, s2, e2;
            nc_doc_token_span(a, d, i, &s1, &e1);
            nc_doc_token_span(b, d, i, &s2, &e2);
            assert_int_equal(s1, s2);
            assert_int_equal(e1, e2);
            assert_int_equal(nc_doc_sentence_of(a, d, i), nc_doc_sentence_of(b, d, i));
        }
    }
}

/* The store agrees with segmenting each document on its own: the id is the
 * interned normalized form, the barrier flag, code-point spans, sentence
 * index; and ids are numbered in order of first appearance. */
static void assert_store_matches(const nc_tokstore *ts, const nc_segmenter *seg, const corpus *c)
{
    nc_segworker w;
    assert_int_equal(nc_segworker_init(&w, seg), NC_OK);
    nc_text t;
    nc_text_init(&t);
    uint32_t next_new = 0;
    uint64_t total = 0;
    for (size_t d = 0; d < c->n; d++) {
        assert_int_equal(nc_text_set(&t, c->src[d].kind, c->src[d].data, c->src[d].len), NC_OK);
        assert_int_equal(nc_segment(&w, &t), NC_OK);
        assert_int_equal(ts->docs[d].ntok, w.ntoks);
        assert_int_equal(ts->docs[d].nsent, w.nsents);
        total += w.ntoks;
        const uint32_t *ids = nc_doc_ids(ts, d);
        for (uint32_t i = 0; i < w.ntoks; i++) {
            const nc_rawtok *tk = &w.toks[i];
            const char *s;
            size_t len;
            assert_int_equal(nc_segworker_norm(&w, &t, tk, &s, &len), NC_OK);
            uint32_t id = ids[i] & NC_TOK_ID_MASK;
            assert_true(id < ts->vocab.n);
            assert_int_equal(nc_vocab_find(&ts->vocab, s, len), id);
            assert_int_equal(!!(ids[i] & NC_TOK_BARRIER), tk->barrier);
            if (id == next_new) {
                assert_int_equal(ts->vocab.kinds[id], tk->kind); /* kind of the first */
                next_new++;
            } else
                assert_true(id < next_new); /* first appearances are numbered in order */
            uint32_t a, e;
            nc_doc_token_span(ts, d, i, &a, &e);
            assert_int_equal(a, nc_text_cp_offset(&t, tk->start));
            assert_int_equal(e, nc_text_cp_offset(&t, tk->end));
            assert_true(e <= c->pep[d].len);
            assert_int_equal(nc_doc_sentence_of(ts, d, i), tk->sentence);
            /* the code points [a, e) normalize to the token's string */
            char *src = tu_pep_slice(&c->pep[d], a, e);
            size_t n16;
            UChar *u = tu_u16(src, &n16);
            nc_text one;
            nc_text_init(&one);
            assert_int_equal(nc_text_set(&one, 2, u, n16), NC_OK);
            nc_rawtok whole = {0, (uint32_t)n16, 0, tk->kind, 0};
            assert_int_equal(nc_segworker_norm(&w, &one, &whole, &s, &len), NC_OK);
            size_t vlen;
            const char *vs = nc_vocab_str(&ts->vocab, id, &vlen);
            assert_int_equal(vlen, len);
            assert_memory_equal(vs, s, len);
            free(u);
            free(src);
        }
    }
    assert_int_equal(next_new, ts->vocab.n);
    assert_int_equal(ts->ntokens, total);
    nc_text_free(&t);
    nc_segworker_free(&w);
}

static void test_small_corpus(void **state)
{
    (void)state;
    const char *texts[] = {
        "NATO’s Council strongly condemns the cyber-attack. Allies' response follows.",
        "",
        "😀 Emoji first, then 𝔘nicode 😀 words after.",
        "!!! ??? ...",
        "Gen. Smith met the U.S. Secretary in the U.S. The ministers met.",
        "Λατινικά και Ελληνικά: Straße – STRAẞE",
        "plain latin-1 café",
        "   ",
    };
    const int kinds[] = {0, 1, 4, 1, 1, 2, 1, 4};
    corpus c = corpus_new(texts, kinds, 8);
    assert_int_equal(c.src[0].kind, 2);
    assert_int_equal(c.src[2].kind, 4);
    assert_int_equal(c.src[6].kind, 1);
    nc_segmenter *seg = default_segmenter();
    nc_tokstore ts;
    build(&ts, seg, &c, 1);
    assert_int_equal(ts.ndocs, 8);
    assert_store_matches(&ts, seg, &c);
    /* by hand: the first tokens of document 0 */
    const uint32_t *ids = nc_doc_ids(&ts, 0);
    assert_string_equal(nc_vocab_str(&ts.vocab, ids[0] & NC_TOK_ID_MASK, NULL), "nato's");
    assert_true(ids[0] & NC_TOK_BARRIER);
    assert_int_equal(ids[1], 1); /* "council", no barrier */
    assert_string_equal(nc_vocab_str(&ts.vocab, ids[5] & NC_TOK_ID_MASK, NULL), "cyber-attack");
    assert_string_equal(nc_vocab_str(&ts.vocab, ids[6] & NC_TOK_ID_MASK, NULL), "allies'");
    assert_true(ids[6] & NC_TOK_BARRIER);
    assert_int_equal(nc_doc_sentence_of(&ts, 0, 5), 0);
    assert_int_equal(nc_doc_sentence_of(&ts, 0, 6), 1);
    uint32_t a, e;
    nc_doc_token_span(&ts, 0, 6, &a, &e);
    assert_int_equal(a, 51);
    assert_int_equal(e, 58);
    /* empty and blank documents */
    assert_int_equal(ts.docs[1].ntok, 0);
    assert_int_equal(ts.docs[1].nsent, 0);
    assert_int_equal(ts.docs[7].ntok, 0);
    assert_int_equal(ts.docs[7].nsent, 0);
    /* punctuation only: sentences, no tokens */
    assert_int_equal(ts.docs[3].ntok, 0);
    assert_true(ts.docs[3].nsent >= 1);
    /* document 2 (kind 4): spans after emoji are code-point offsets */
    nc_doc_token_span(&ts, 2, 0, &a, &e);
    assert_int_equal(a, 2);
    assert_int_equal(e, 7); /* "Emoji" */
    uint32_t last = ts.docs[2].ntok - 1;
    nc_doc_token_span(&ts, 2, last, &a, &e);
    assert_int_equal(a, 36);
    assert_int_equal(e, 41); /* "after" */
    nc_tokstore_free(&ts);
    nc_segmenter_free(seg);
    corpus_free(&c);
}

/* Repeated tokens come from the build's per-worker cache of raw tokens; it
 * must give the id of the normalized form whatever the token looks like:
 * one or mixed high bytes, every length around the cached limits, at the
 * very end of a text, with kinds that normalize differently (stemming only
 * words), and past the number of keys the cache holds. */
static void test_token_cache(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "the", "The", "THE", "café", "CAFÉ", "Україна", "УКРАЇНА", "Dvořák", "DVOŘÁK",
        "Ελλάδα", "ΕΛΛΆΔΑ", "中国", "😀", "𝔘nion", "𝐀𝐁𝐂", "ＮＡＴＯ", "ﬁnance", "co\u00ADordinated",
        "a\u200Db", "G7", "COVID19", "2024", "3.14", "U.S.", "Gen.", "cyber-attack", "2014–2025",
        "Allies'", "NATO’s", "!", "?", "$", "€", "+", "—", "connections", "connecting",
        "abcdefghijkl", "abcdefghijklm", "ÀÉÎÕÜàéîõüÀÉÎÕÜàéîõüÀÉÎÕ", "ÀÉÎÕÜàéîõüÀÉÎÕÜàéîõüÀÉÎÕÜ",
        "aaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaa",
        "abcdefghijklmnopq", "abcdefghijklmnopr", "abcdefghijklmnopqrst", "abcdefghijklmnopqrsu",
        "Україна中", "ab中cdefghij", "ab中cdefghijk", "ab中cdefghijkl", "x", "I", "İ", "ß"};
    const size_t np = sizeof pieces / sizeof *pieces;
    tu_buf b = {0};
    uint64_t rs = 17;
    char *texts[60];
    for (size_t d = 0; d < 60; d++) {
        size_t nw = 20 + tu_rand(&rs) % 200;
        for (size_t k = 0; k < nw; k++)
            tu_add(&b, "%s%s", pieces[tu_rand(&rs) % np], k % 13 == 12 ? ". " : " ");
        tu_add(&b, "%s", pieces[d % np]); /* ends the text */
        texts[d] = tu_take(&b);
    }
    corpus c = corpus_new((const char *const *)texts, NULL, 60);
    for (int opt = 0; opt < 4; opt++) {
        nc_seg_options o = defopts();
        o.keep_punct = o.keep_symbols = opt >= 1;
        o.keep_case = opt == 2;
        o.stem_language = opt == 3 ? "english" : NULL;
        nc_segmenter *seg;
        UErrorCode icu;
        assert_int_equal(nc_segmenter_new(&o, &seg, &icu), NC_OK);
        nc_tokstore ts;
        build(&ts, seg, &c, 1);
        assert_store_matches(&ts, seg, &c);
        nc_tokstore_free(&ts);
        nc_segmenter_free(seg);
    }
    corpus_free(&c);
    for (size_t d = 0; d < 60; d++)
        free(texts[d]);

    /* more distinct tokens than the cache keeps (2^18), each seen twice */
    size_t nd = 300000;
    for (size_t i = 0; i < nd; i++)
        tu_add(&b, "w%zu ", i);
    for (size_t i = 0; i < nd; i++)
        tu_add(&b, "W%zu ", i);
    char *big = tu_take(&b);
    const char *one[] = {big};
    corpus cb = corpus_new(one, NULL, 1);
    nc_segmenter *seg = default_segmenter();
    nc_tokstore ts;
    build(&ts, seg, &cb, 1);
    assert_int_equal(ts.vocab.n, nd);
    const uint32_t *ids = nc_doc_ids(&ts, 0);
    for (size_t i = 0; i < 2 * nd; i++)
        assert_int_equal(ids[i] & NC_TOK_ID_MASK, i % nd);
    nc_tokstore_free(&ts);
    nc_segmenter_free(seg);
    corpus_free(&cb);
    free(big);
}

/* Any number of workers gives the very same store. */
static void test_workers_identical(void **state)
{
    (void)state;
    corpus c = corpus_generated(300, 99);
    nc_segmenter *seg = default_segmenter();
    nc_tokstore ref;
    build(&ref, seg, &c, 1);
    assert_true(ref.ntokens > 3000);
    assert_true(ref.vocab.n > 20);
    assert_store_matches(&ref, seg, &c);
    const int workers[] = {2, 3, 7};
    for (size_t k = 0; k < 3; k++) {
        nc_tokstore ts;
        build(&ts, seg, &c, workers[k]);
        assert_int_equal(ts.nchunks, (size_t)workers[k]);
        assert_same_store(&ref, &ts);
        nc_tokstore_free(&ts);
    }
    /* more workers than documents */
    corpus few = corpus_generated(3, 5);
    nc_tokstore a, b;
    build(&a, seg, &few, 1);
    build(&b, seg, &few, 8);
    assert_true(b.nchunks <= 3);
    assert_same_store(&a, &b);
    nc_tokstore_free(&a);
    nc_tokstore_free(&b);
    corpus_free(&few);
    nc_tokstore_free(&ref);
    nc_segmenter_free(seg);
    corpus_free(&c);
}

static void test_no_documents(void **state)
{
    (void)state;
    nc_segmenter *seg = default_segmenter();
    for (int w = 1; w <= 3; w++) {
        nc_tokstore ts;
        nc_build_opts bo = {w, NULL, NULL, NULL};
        nc_build_error err;
        assert_int_equal(nc_tokstore_build(&ts, seg, NULL, 0, &bo, &err), NC_OK);
        assert_int_equal(ts.ndocs, 0);
        assert_int_equal(ts.ntokens, 0);
        assert_int_equal(ts.vocab.n, 0);
        nc_tokstore_free(&ts);
    }
    nc_segmenter_free(seg);
}

/* A token of 65,535 code points or more takes the long-length table. */
static void test_long_tokens(void **state)
{
    (void)state;
    size_t big = 70000, mid = 65535;
    char *t0 = tu_xmalloc(big + mid + 32);
    size_t p = 0;
    memcpy(t0 + p, "short ", 6), p += 6;
    memset(t0 + p, 'a', big), p += big;
    memcpy(t0 + p, " x ", 3), p += 3;
    memset(t0 + p, 'b', mid), p += mid;
    memcpy(t0 + p, " end", 4), p += 4;
    t0[p] = 0;
    const char *texts[] = {"first doc", t0, "last 😀 doc"};
    corpus c = corpus_new(texts, NULL, 3);
    nc_segmenter *seg = default_segmenter();
    for (int w = 1; w <= 2; w++) {
        nc_tokstore ts;
        build(&ts, seg, &c, w);
        assert_int_equal(ts.docs[1].ntok, 5);
        uint32_t a, e;
        nc_doc_token_span(&ts, 1, 1, &a, &e);
        assert_int_equal(a, 6);
        assert_int_equal(e - a, big);
        nc_doc_token_span(&ts, 1, 2, &a, &e);
        assert_int_equal(e - a, 1);
        nc_doc_token_span(&ts, 1, 3, &a, &e);
        assert_int_equal(a, 6 + big + 3);
        assert_int_equal(e - a, mid);
        nc_doc_token_span(&ts, 1, 4, &a, &e);
        assert_int_equal(e - a, 3);
        nc_doc_token_span(&ts, 2, 1, &a, &e);
        assert_int_equal(a, 7);
        assert_int_equal(e, 10);
        nc_tokstore_free(&ts);
    }
    nc_segmenter_free(seg);
    corpus_free(&c);
    free(t0);
}

/* Sentences without kept tokens (punctuation only, removed emoji) do not
 * shift the sentence numbers of later tokens. */
static void test_sentence_of_with_empty_sentences(void **state)
{
    (void)state;
    const char *texts[] = {"!!! First one. ??? 😀. Second one.\n\n... Third."};
    corpus c = corpus_new(texts, NULL, 1);
    nc_segmenter *seg = default_segmenter();
    nc_tokstore ts;
    build(&ts, seg, &c, 1);
    assert_store_matches(&ts, seg, &c);
    assert_int_equal(ts.docs[0].ntok, 5);
    /* every sentence break sets the barrier */
    const uint32_t *ids = nc_doc_ids(&ts, 0);
    assert_true(ids[0] & NC_TOK_BARRIER);
    assert_false(ids[1] & NC_TOK_BARRIER);
    assert_true(ids[2] & NC_TOK_BARRIER);
    assert_true(ids[4] & NC_TOK_BARRIER);
    uint32_t s0 = nc_doc_sentence_of(&ts, 0, 0), s2 = nc_doc_sentence_of(&ts, 0, 2),
             s4 = nc_doc_sentence_of(&ts, 0, 4);
    assert_true(s0 >= 1); /* "!!!" is a sentence of its own before it */
    assert_true(s2 > s0 + 1);
    assert_true(s4 > s2);
    assert_int_equal(nc_doc_sentence_of(&ts, 0, 1), s0);
    assert_int_equal(nc_doc_sentence_of(&ts, 0, 3), s2);
    nc_tokstore_free(&ts);
    nc_segmenter_free(seg);
    corpus_free(&c);
}

/* About 10 bytes a token: id 4 + start 4 + length 2, arrays shrunk to fit. */
static void test_memory_per_token(void **state)
{
    (void)state;
    tu_buf b = {0};
    uint64_t rs = 3;
    for (int i = 0; i < 40000; i++)
        tu_add(&b, "w%u%s", (unsigned)(tu_rand(&rs) % 5000), i % 400 == 399 ? ". " : " ");
    char *text = tu_take(&b);
    const char *texts[] = {text, text, text, text};
    corpus c = corpus_new(texts, NULL, 4);
    nc_segmenter *seg = default_segmenter();
    for (int w = 1; w <= 2; w++) {
        nc_tokstore ts;
        build(&ts, seg, &c, w);
        assert_int_equal(ts.ntokens, 160000);
        double per = (double)nc_tokstore_token_bytes(&ts) / (double)ts.ntokens;
        if (per < 10.0 || per > 10.6)
            fail_msg("%.3f bytes per token", per);
        assert_true(nc_tokstore_vocab_bytes(&ts) > 0);
        nc_tokstore_free(&ts);
    }
    nc_segmenter_free(seg);
    corpus_free(&c);
    free(text);
}

static atomic_size_t g_progress;

static void test_progress(void **state)
{
    (void)state;
    corpus c = corpus_generated(50, 11);
    nc_segmenter *seg = default_segmenter();
    for (int w = 1; w <= 3; w++) {
        atomic_store(&g_progress, 0);
        nc_tokstore ts;
        nc_build_opts bo = {w, NULL, NULL, &g_progress};
        nc_build_error err;
        assert_int_equal(nc_tokstore_build(&ts, seg, c.src, c.n, &bo, &err), NC_OK);
        assert_int_equal(atomic_load(&g_progress), 50);
        nc_tokstore_free(&ts);
    }
    nc_segmenter_free(seg);
    corpus_free(&c);
}

static int poll_stop(void *ctx)
{
    (*(int *)ctx)++;
    return 1;
}

/* A poll function that asks to stop: NC_EINTR, nothing kept. */
static void test_cancel(void **state)
{
    (void)state;
    corpus c = corpus_generated(100, 12);
    nc_segmenter *seg = default_segmenter();
    for (int w = 1; w <= 2; w++) {
        int calls = 0;
        nc_tokstore ts;
        nc_build_opts bo = {w, poll_stop, &calls, NULL};
        nc_build_error err;
        assert_int_equal(nc_tokstore_build(&ts, seg, c.src, c.n, &bo, &err), NC_EINTR);
        assert_true(calls >= 1);
        assert_int_equal(err.status, NC_EINTR);
        assert_int_equal(ts.ndocs, 0);
        assert_null(ts.docs);
        nc_tokstore_free(&ts);
    }
    nc_segmenter_free(seg);
    corpus_free(&c);
}

/* A bad document fails the build; the first bad one in corpus order is
 * reported whichever worker met it. */
static void test_bad_document(void **state)
{
    (void)state;
    corpus c = corpus_generated(40, 13);
    c.src[25].kind = 3;
    c.src[31].kind = 3;
    nc_segmenter *seg = default_segmenter();
    for (int w = 1; w <= 4; w++) {
        nc_tokstore ts;
        nc_build_opts bo = {w, NULL, NULL, NULL};
        nc_build_error err;
        assert_int_equal(nc_tokstore_build(&ts, seg, c.src, c.n, &bo, &err), NC_EINVAL);
        assert_int_equal(err.status, NC_EINVAL);
        assert_int_equal(err.doc, 25);
        assert_null(ts.chunks);
        nc_tokstore_free(&ts);
    }
    c.src[25].kind = c.pep[25].kind;
    c.src[31].kind = c.pep[31].kind;
    nc_segmenter_free(seg);
    corpus_free(&c);
}

/* Stemming and options reach the store. */
static void test_options_reach_store(void **state)
{
    (void)state;
    const char *texts[] = {"Allies condemn the attacks", "NATO condemns attacks; 2024 again"};
    corpus c = corpus_new(texts, NULL, 2);
    nc_segmenter *seg;
    UErrorCode icu;
    nc_seg_options o = defopts();
    o.stem_language = "english";
    o.drop_numbers = 1;
    assert_int_equal(nc_segmenter_new(&o, &seg, &icu), NC_OK);
    nc_tokstore ts;
    build(&ts, seg, &c, 2);
    assert_store_matches(&ts, seg, &c);
    assert_int_equal(nc_vocab_find(&ts.vocab, "condemn", 7), 1);
    assert_int_equal(nc_vocab_find(&ts.vocab, "attack", 6), 3);
    assert_int_equal(nc_vocab_find(&ts.vocab, "condemns", 8), -1);
    assert_int_equal(nc_vocab_find(&ts.vocab, "2024", 4), -1);
    assert_int_equal(ts.docs[1].ntok, 4);
    const uint32_t *ids = nc_doc_ids(&ts, 1);
    assert_int_equal(ids[1] & NC_TOK_ID_MASK, 1);
    assert_true(ids[3] & NC_TOK_BARRIER); /* "again" after "; 2024" */
    nc_tokstore_free(&ts);
    nc_segmenter_free(seg);
    corpus_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_corpus),
        cmocka_unit_test(test_token_cache),
        cmocka_unit_test(test_workers_identical),
        cmocka_unit_test(test_no_documents),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_sentence_of_with_empty_sentences),
        cmocka_unit_test(test_memory_per_token),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_bad_document),
        cmocka_unit_test(test_options_reach_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
