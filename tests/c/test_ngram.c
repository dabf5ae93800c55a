/* N-gram and phrase counting: faithful n-grams (no n-gram across a sentence
 * boundary, removed punctuation or a stop word), document frequency,
 * min_count, top, row order, left-out documents, any number of workers,
 * and agreement with a naive reference counter. */
#include "teststore.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/alloc.h"
#include "count/ngram.h"
#include "count/ngram_share.h"

/* A stop-word mask over the store's vocabulary ("a", "the", ...). */
static void join_ids(tu_buf *b, const nc_tokstore *ts, const uint32_t *ids, size_t n)
{
    for (size_t j = 0; j < n; j++)
        tu_add(b, "%s%s", j ? " " : "", nc_vocab_str(&ts->vocab, ids[j], NULL));
}

/* "ngram@group=count/docfreq" per row, ", " between rows. Also checks the
 * table's shape: unique n-grams in strictly increasing string order, each
 * used by a row, lengths within [nmin, nmax]. */
static char *dump(const nc_tokstore *ts, const nc_ngram_table *t, const nc_ngram_opts *o)
{
    char **u = calloc(t->nuniq + 1, sizeof *u);
    uint8_t *used = calloc(t->nuniq + 1, 1);
    for (size_t k = 0; k < t->nuniq; k++) {
        size_t len = (size_t)(t->key_off[k + 1] - t->key_off[k]);
        assert_true(len >= (size_t)o->nmin && len <= (size_t)o->nmax);
        tu_buf b = {0};
        join_ids(&b, ts, t->keys + t->key_off[k], len);
        u[k] = tu_take(&b);
        if (k > 0 && strcmp(u[k - 1], u[k]) >= 0)
            fail_msg("unique n-grams out of order: \"%s\" then \"%s\"", u[k - 1], u[k]);
    }
    tu_buf b = {0};
    for (size_t i = 0; i < t->nrows; i++) {
        assert_true(t->row_ngram[i] < t->nuniq);
        used[t->row_ngram[i]] = 1;
        tu_add(&b, "%s%s@%u=%lld/%lld", i ? ", " : "", u[t->row_ngram[i]], t->row_group[i],
               (long long)t->row_count[i], (long long)t->row_docfreq[i]);
    }
    for (size_t k = 0; k < t->nuniq; k++) {
        assert_true(used[k]);
        free(u[k]);
    }
    free(u);
    free(used);
    return tu_take(&b);
}

static char *count(const nc_tokstore *ts, const nc_ngram_opts *o)
{
    nc_ngram_table t;
    nc_status r = nc_count_ngrams(ts, o, &t);
    if (r)
        fail_msg("nc_count_ngrams: %s", nc_status_name(r));
    char *s = dump(ts, &t, o);
    nc_ngram_table_free(&t);
    return s;
}

static nc_ngram_opts opts(const int32_t *groups, uint32_t ngroups, int nmin, int nmax)
{
    nc_ngram_opts o;
    memset(&o, 0, sizeof o);
    o.nmin = nmin;
    o.nmax = nmax;
    o.doc_group = groups;
    o.ngroups = ngroups;
    o.min_count = 1;
    o.workers = 1;
    return o;
}

static const int32_t ZEROS[64];

/* ---- hand-computed counts -------------------------------------------- */

static void test_no_ngram_across_sentences(void **state)
{
    (void)state;
    const char *texts[] = {"Allies condemn it. Allies condemn the attack."};
    store s;
    store_build(&s, texts, 1, 1);
    nc_ngram_opts o = opts(ZEROS, 1, 2, 2);
    assert_str_take(count(&s.ts, &o),
                    "allies condemn@0=2/1, condemn it@0=1/1, condemn the@0=1/1, the attack@0=1/1");
    o.nmax = 3;
    assert_str_take(count(&s.ts, &o),
                    "allies condemn@0=2/1, allies condemn it@0=1/1, allies condemn the@0=1/1, "
                    "condemn it@0=1/1, condemn the@0=1/1, condemn the attack@0=1/1, "
                    "the attack@0=1/1");
    store_free(&s);
}

static void test_no_ngram_across_punctuation(void **state)
{
    (void)state;
    const char *texts[] = {"cyber, attack and cyber attack (now) 😀 here"};
    store s;
    store_build(&s, texts, 1, 1);
    nc_ngram_opts o = opts(ZEROS, 1, 2, 2);
    assert_str_take(count(&s.ts, &o), "and cyber@0=1/1, attack and@0=1/1, cyber attack@0=1/1");
    store_free(&s);
}

/* "at a time" with the stop word "a" gives no "at time". */
static void test_stop_words_are_barriers(void **state)
{
    (void)state;
    const char *texts[] = {"at a time and in a manner"};
    store s;
    store_build(&s, texts, 1, 1);
    const char *sw[] = {"a"};
    uint8_t *stop = stop_mask(&s.ts, sw, 1);
    nc_ngram_opts o = opts(ZEROS, 1, 1, 3);
    o.stop = stop;
    o.nstop = s.ts.vocab.n;
    assert_str_take(count(&s.ts, &o), "and@0=1/1, and in@0=1/1, at@0=1/1, in@0=1/1, manner@0=1/1, "
                                      "time@0=1/1, time and@0=1/1, time and in@0=1/1");
    /* a mask shorter than the vocabulary: ids past its end are no stop words */
    o.nstop = 1; /* covers only id 0, "at" */
    uint8_t at_only[1] = {1};
    o.stop = at_only;
    assert_str_take(count(&s.ts, &o),
                    "a@0=2/1, a manner@0=1/1, a time@0=1/1, a time and@0=1/1, and@0=1/1, "
                    "and in@0=1/1, and in a@0=1/1, in@0=1/1, in a@0=1/1, in a manner@0=1/1, "
                    "manner@0=1/1, time@0=1/1, time and@0=1/1, time and in@0=1/1");
    free(stop);
    store_free(&s);
}

/* One-letter words are words. */
static void test_one_letter_words(void **state)
{
    (void)state;
    const char *texts[] = {"I saw a cat"};
    store s;
    store_build(&s, texts, 1, 1);
    nc_ngram_opts o = opts(ZEROS, 1, 1, 2);
    assert_str_take(count(&s.ts, &o),
                    "a@0=1/1, a cat@0=1/1, cat@0=1/1, i@0=1/1, i saw@0=1/1, saw@0=1/1, saw a@0=1/1");
    store_free(&s);
}

static void test_docfreq_and_groups(void **state)
{
    (void)state;
    const char *texts[] = {"x x x", "x y", "y"};
    const int32_t groups[] = {0, 0, 1};
    store s;
    store_build(&s, texts, 3, 1);
    nc_ngram_opts o = opts(groups, 2, 1, 1);
    assert_str_take(count(&s.ts, &o), "x@0=4/2, y@0=1/1, y@1=1/1");
    o.nmax = 2;
    assert_str_take(count(&s.ts, &o), "x@0=4/2, x x@0=2/1, x y@0=1/1, y@0=1/1, y@1=1/1");
    store_free(&s);
}

/* min_count applies to the n-gram's total over all groups. */
static void test_min_count_on_totals(void **state)
{
    (void)state;
    const char *texts[] = {"alpha beta", "alpha gamma beta", "delta delta"};
    const int32_t groups[] = {0, 1, 2};
    store s;
    store_build(&s, texts, 3, 1);
    nc_ngram_opts o = opts(groups, 3, 1, 1);
    o.min_count = 2;
    assert_str_take(count(&s.ts, &o), "delta@2=2/1, alpha@0=1/1, alpha@1=1/1, beta@0=1/1, beta@1=1/1");
    o.min_count = 3;
    assert_str_take(count(&s.ts, &o), "");
    store_free(&s);
}

/* top keeps the most frequent rows of each group; ties go by string. */
static void test_top_per_group(void **state)
{
    (void)state;
    const char *texts[] = {"b a c b a d", "z z y", "q"};
    const int32_t groups[] = {0, 1, 2};
    store s;
    store_build(&s, texts, 3, 1);
    nc_ngram_opts o = opts(groups, 3, 1, 1);
    o.top = 3;
    assert_str_take(count(&s.ts, &o), "a@0=2/1, b@0=2/1, z@1=2/1, c@0=1/1, q@2=1/1, y@1=1/1");
    o.top = 1;
    assert_str_take(count(&s.ts, &o), "a@0=2/1, z@1=2/1, q@2=1/1");
    o.top = 0; /* all */
    assert_str_take(count(&s.ts, &o),
                    "a@0=2/1, b@0=2/1, z@1=2/1, c@0=1/1, d@0=1/1, q@2=1/1, y@1=1/1");
    store_free(&s);
}

/* Rows: count descending, then n-gram string ascending, then group. */
static void test_row_order(void **state)
{
    (void)state;
    const char *texts[] = {"b b a", "b a a c", "a c c c", "Ä ä a"};
    const int32_t groups[] = {2, 0, 1, 0};
    store s;
    store_build(&s, texts, 4, 1);
    nc_ngram_opts o = opts(groups, 3, 1, 1);
    /* "ä" (U+00E4) sorts after every ASCII letter */
    assert_str_take(count(&s.ts, &o), "a@0=3/2, c@1=3/1, b@2=2/1, ä@0=2/1, a@1=1/1, a@2=1/1, "
                                      "b@0=1/1, c@0=1/1");
    store_free(&s);
}

/* doc_group -1 leaves a document out of the counts. */
static void test_left_out_documents(void **state)
{
    (void)state;
    const char *texts[] = {"x y", "x x x x", "y"};
    const int32_t groups[] = {0, -1, 0};
    store s;
    store_build(&s, texts, 3, 1);
    nc_ngram_opts o = opts(groups, 1, 1, 2);
    assert_str_take(count(&s.ts, &o), "y@0=2/2, x@0=1/1, x y@0=1/1");
    const int32_t none[] = {-1, -1, -1};
    o.doc_group = none;
    assert_str_take(count(&s.ts, &o), "");
    store_free(&s);
}

/* n from 1 to 8: every length is counted, and no longer. */
static void test_lengths_1_to_8(void **state)
{
    (void)state;
    const char *texts[] = {"a b c d e f g h i j", "a b c, d e f g h i j k"};
    const int32_t groups[] = {0, 1};
    store s;
    store_build(&s, texts, 2, 1);
    nc_ngram_table t;
    nc_ngram_opts o = opts(groups, 2, 1, 8);
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_OK);
    /* doc 0: 10+9+...+3 = 52 rows; doc 1: runs of 3 and 8 tokens:
     * (3+2+1) + (8+7+6+5+4+3+2+1) = 42 */
    assert_int_equal(t.nrows, 52 + 42);
    size_t per_n[9] = {0};
    for (size_t i = 0; i < t.nrows; i++) {
        uint32_t u = t.row_ngram[i];
        per_n[t.key_off[u + 1] - t.key_off[u]]++;
        assert_int_equal(t.row_count[i], 1);
    }
    assert_int_equal(per_n[1], 10 + 11);
    assert_int_equal(per_n[8], 3 + 1);
    assert_int_equal(per_n[4], 7 + 5);
    nc_ngram_table_free(&t);
    o.nmin = o.nmax = 8;
    assert_str_take(count(&s.ts, &o), "a b c d e f g h@0=1/1, b c d e f g h i@0=1/1, "
                                      "c d e f g h i j@0=1/1, d e f g h i j k@1=1/1");
    o.nmin = 5;
    o.nmax = 5;
    o.doc_group = (const int32_t[]){-1, 0};
    assert_str_take(count(&s.ts, &o), "d e f g h@0=1/1, e f g h i@0=1/1, f g h i j@0=1/1, "
                                      "g h i j k@0=1/1");
    store_free(&s);
}

static void test_bad_options(void **state)
{
    (void)state;
    const char *texts[] = {"a b", "c"};
    store s;
    store_build(&s, texts, 2, 1);
    nc_ngram_table t;
    const int32_t groups[] = {0, 1};
    nc_ngram_opts o = opts(groups, 2, 0, 2);
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_EINVAL);
    o = opts(groups, 2, 1, 9);
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_EINVAL);
    o = opts(groups, 2, 3, 2);
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_EINVAL);
    o = opts(NULL, 2, 1, 2);
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_EINVAL);
    o = opts(groups, 1, 1, 2); /* group 1 >= ngroups */
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_EINVAL);
    int64_t c[4], d[4];
    const uint32_t keys[] = {0};
    const uint64_t off[] = {0, 1};
    assert_int_equal(nc_count_phrases(&s.ts, keys, off, 1, &o, c, d), NC_EINVAL);
    o = opts(NULL, 2, 1, 2);
    assert_int_equal(nc_count_phrases(&s.ts, keys, off, 1, &o, c, d), NC_EINVAL);
    /* a phrase longer than NC_PHRASE_MAX */
    uint32_t longp[NC_PHRASE_MAX + 1] = {0};
    const uint64_t loff[] = {0, NC_PHRASE_MAX + 1};
    o = opts(groups, 2, 1, 2);
    assert_int_equal(nc_count_phrases(&s.ts, longp, loff, 1, &o, c, d), NC_ERANGE);
    store_free(&s);
}

static void test_empty_store(void **state)
{
    (void)state;
    store s;
    store_build(&s, NULL, 0, 1);
    nc_ngram_opts o = opts(ZEROS, 1, 1, 3);
    o.workers = 4;
    assert_str_take(count(&s.ts, &o), "");
    const char *texts[] = {"", "!!!", "   "};
    store t;
    store_build(&t, texts, 3, 1);
    assert_str_take(count(&t.ts, &o), "");
    store_free(&t);
    store_free(&s);
}

/* ---- phrases ------------------------------------------------------------ */

typedef struct {
    uint32_t keys[256];
    uint64_t off[33];
    size_t n, nk;
} phrases;

/* Adds a phrase given as normalized words separated by spaces; a word not
 * in the vocabulary gets an id no token has. "" adds an empty phrase. */
static void phrase_add(phrases *p, const nc_tokstore *ts, const char *words)
{
    if (p->n == 0)
        p->off[0] = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", words);
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
        int64_t id = nc_vocab_find(&ts->vocab, w, strlen(w));
        p->keys[p->nk++] = id >= 0 ? (uint32_t)id : NC_TOK_ID_MASK - 1;
    }
    p->off[++p->n] = p->nk;
}

static void test_phrases(void **state)
{
    (void)state;
    const char *texts[] = {
        "Allies condemn it. Allies condemn the attack.", /* g0 */
        "We condemn, strongly, the cyber-attack; allies condemn it", /* g1 */
        "Allies condemn the attack and allies condemn the attack", /* g0 */
        "allies condemn", /* left out */
    };
    const int32_t groups[] = {0, 1, 0, -1};
    store s;
    store_build(&s, texts, 4, 1);
    phrases p = {0};
    phrase_add(&p, &s.ts, "allies condemn");     /* 0 */
    phrase_add(&p, &s.ts, "condemn");            /* 1 */
    phrase_add(&p, &s.ts, "allies condemn");     /* 2: duplicate of 0 */
    phrase_add(&p, &s.ts, "");                   /* 3: empty */
    phrase_add(&p, &s.ts, "condemn the attack"); /* 4 */
    phrase_add(&p, &s.ts, "it allies");          /* 5: across a sentence end */
    phrase_add(&p, &s.ts, "condemn strongly");   /* 6: across a comma */
    phrase_add(&p, &s.ts, "unknownword attack"); /* 7: an id no token has */
    phrase_add(&p, &s.ts, "the cyber-attack");   /* 8 */
    /* per phrase: group 0, group 1 */
    const int64_t want_c[] = {4, 1, 4, 2, 4, 1, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    const int64_t want_d[] = {2, 1, 2, 1, 2, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    for (int w = 1; w <= 4; w++) {
        nc_ngram_opts o = opts(groups, 2, 1, 1);
        o.workers = w;
        int64_t c[18], d[18];
        memset(c, 0x55, sizeof c);
        memset(d, 0x55, sizeof d);
        assert_int_equal(nc_count_phrases(&s.ts, p.keys, p.off, p.n, &o, c, d), NC_OK);
        for (size_t i = 0; i < 18; i++) {
            if (c[i] != want_c[i] || d[i] != want_d[i])
                fail_msg("workers %d, phrase %zu group %zu: count %lld docfreq %lld, want %lld %lld",
                         w, i / 2, i % 2, (long long)c[i], (long long)d[i],
                         (long long)want_c[i], (long long)want_d[i]);
        }
    }
    /* no phrases at all, and only empty phrases */
    nc_ngram_opts o = opts(groups, 2, 1, 1);
    int64_t c[2] = {7, 7}, d[2] = {7, 7};
    assert_int_equal(nc_count_phrases(&s.ts, p.keys, p.off, 0, &o, c, d), NC_OK);
    const uint64_t empty_off[] = {0, 0};
    assert_int_equal(nc_count_phrases(&s.ts, p.keys, empty_off, 1, &o, c, d), NC_OK);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[1], 0);
    assert_int_equal(d[0], 0);
    store_free(&s);
}

/* Runs fn in a child process, so that a crash in the core cannot take the
 * other tests with it; 1 if the child exits with status 0. */
static int in_child(int (*fn)(const store *), const store *s, const char *what)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
#ifndef __SANITIZE_ADDRESS__
        /* cmocka catches these and would go on running tests in the child;
         * ASan's handler (when built with it) reports and exits instead */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        signal(SIGILL, SIG_DFL);
        signal(SIGFPE, SIG_DFL);
#endif
        _exit(fn(s) ? 0 : 1); /* _exit: no leak check of the parent's data */
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid) {
        print_error("%s: fork/waitpid failed\n", what);
        return 0;
    }
    if (WIFSIGNALED(st)) {
        print_error("%s: the process died of signal %d\n", what, WTERMSIG(st));
        return 0;
    }
    if (WEXITSTATUS(st) != 0) {
        print_error("%s: wrong result or a sanitizer error (exit status %d, see above)\n", what,
                    WEXITSTATUS(st));
        return 0;
    }
    return 1;
}

static const char SEVENTEEN[] = "one two three four five six seven eight nine ten eleven twelve "
                                "thirteen fourteen fifteen sixteen seventeen";

static int count_16(const store *s)
{
    phrases p = {0};
    phrase_add(&p, &s->ts, "one two three four five six seven eight nine ten eleven twelve "
                           "thirteen fourteen fifteen sixteen");
    phrase_add(&p, &s->ts, "one two");
    nc_ngram_opts o = opts(ZEROS, 1, 1, 1);
    int64_t c[2] = {0}, d[2] = {0};
    nc_status r = nc_count_phrases(&s->ts, p.keys, p.off, p.n, &o, c, d);
    if (r != NC_OK || c[0] != 1 || c[1] != 1 || d[0] != 1) {
        fprintf(stderr, "status %d, counts %lld %lld\n", r, (long long)c[0], (long long)c[1]);
        return 0;
    }
    return 1;
}

/* Regression (fixed; csrc/ngram.c, ng_entry.meta with ENTRY_N/META): the hash table keeps
 * the n-gram length in the low 4 bits of `meta`, but nc_count_phrases takes
 * phrases of up to NC_PHRASE_MAX = 64 ids. A 16-id phrase is stored with
 * length 16 & 15 = 0, which marks an empty slot: table_find never finds it
 * and the duplicate-copying loop at the end of nc_count_phrases reads
 * e->count through the NULL it returns (SIGSEGV). */
static void test_phrase_of_16_tokens(void **state)
{
    (void)state;
    const char *texts[] = {SEVENTEEN};
    store s;
    store_build(&s, texts, 1, 1);
    int ok = in_child(count_16, &s, "counting a 16-token phrase");
    store_free(&s);
    assert_true(ok);
}

static int count_17_then_many(const store *s)
{
    /* the 17-token phrase first, then 3000 one-word phrases (the lookup
     * table is resized at 2048 entries) */
    size_t np = 3001;
    uint32_t *keys = tu_xmalloc((17 + 3000) * sizeof *keys);
    uint64_t *off = tu_xmalloc((np + 1) * sizeof *off);
    size_t nk = 0;
    char w[16];
    char buf[sizeof SEVENTEEN];
    memcpy(buf, SEVENTEEN, sizeof buf);
    off[0] = 0;
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
        keys[nk++] = (uint32_t)nc_vocab_find(&s->ts.vocab, t, strlen(t));
    off[1] = nk;
    for (int i = 0; i < 3000; i++) {
        int len = snprintf(w, sizeof w, "w%d", i);
        keys[nk++] = (uint32_t)nc_vocab_find(&s->ts.vocab, w, (size_t)len);
        off[i + 2] = nk;
    }
    nc_ngram_opts o = opts(ZEROS, 1, 1, 1);
    int64_t *c = calloc(np, sizeof *c), *d = calloc(np, sizeof *d);
    nc_status r = nc_count_phrases(&s->ts, keys, off, np, &o, c, d);
    size_t bad = 0;
    for (size_t i = 0; i < np; i++)
        bad += c[i] != 1;
    if (r != NC_OK || bad)
        fprintf(stderr, "status %d, 17-token phrase counted %lld times, %zu phrases wrong\n", r,
                (long long)c[0], bad);
    return r == NC_OK && bad == 0;
}

/* Regression (fixed; same cause): a 17-id phrase is stored with length 17 & 15 = 1; when
 * the lookup table grows, table_resize rehashes it as a 1-id key read from
 * the inline ids (which hold its arena offset), so it lands in the wrong
 * slot, is never found again, and nc_count_phrases dereferences NULL. */
static void test_phrase_of_17_tokens_survives_resize(void **state)
{
    (void)state;
    tu_buf b = {0};
    for (int i = 0; i < 3000; i++)
        tu_add(&b, "w%d ", i);
    tu_add(&b, "\n\n%s", SEVENTEEN);
    char *text = tu_take(&b);
    const char *texts[] = {text};
    store s;
    store_build(&s, texts, 1, 1);
    free(text);
    assert_int_equal(s.ts.vocab.n, 3017);
    int ok = in_child(count_17_then_many, &s, "counting a 17-token phrase among 3001 phrases");
    store_free(&s);
    assert_true(ok);
}

/* ---- a generated corpus against a naive reference ------------------------ */

static const char *const WORDS[] = {"the", "a", "Allies", "condemn", "strongly", "attack",
                                    "cyber-attack", "at", "time", "of", "our", "choosing",
                                    "NATO’s", "I", "response", "Ελλάδα", "Straße", "2024", "e.g.",
                                    "x", "y", "z", "é", "zz", "ab", "abc"};
static const char *const SEPS[] = {" ", " ", " ", " ", " ", " ", ", ", ". ", "; ", " 😀 ", "\n\n",
                                   " (", ") "};

static char **gen_texts(size_t ndocs, uint64_t seed)
{
    char **texts = calloc(ndocs + 1, sizeof *texts);
    uint64_t rs = seed;
    for (size_t d = 0; d < ndocs; d++) {
        tu_buf b = {0};
        size_t nw = tu_rand(&rs) % 40;
        for (size_t k = 0; k < nw; k++) {
            tu_add(&b, "%s", WORDS[tu_rand(&rs) % (sizeof WORDS / sizeof *WORDS)]);
            if (k + 1 < nw)
                tu_add(&b, "%s", SEPS[tu_rand(&rs) % (sizeof SEPS / sizeof *SEPS)]);
        }
        texts[d] = tu_take(&b);
    }
    return texts;
}

typedef struct {
    char *key;
    uint32_t group, doc;
} occ;

typedef struct {
    char *key;
    uint32_t group;
    int64_t count, df, total;
} refrow;

static int cmp_occ(const void *a, const void *b)
{
    const occ *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static int cmp_row(const void *a, const void *b)
{
    const refrow *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return (x->group > y->group) - (x->group < y->group);
}

/* The table as the header defines it, computed the slow, obvious way. */
static char *reference(const nc_tokstore *ts, const nc_ngram_opts *o)
{
    size_t cap = 1024, nocc = 0;
    occ *oc = tu_xmalloc(cap * sizeof *oc);
    for (size_t d = 0; d < ts->ndocs; d++) {
        int32_t g = o->doc_group[d];
        if (g < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(ts, d);
        uint32_t n = ts->docs[d].ntok;
        for (uint32_t i = 0; i < n; i++)
            for (int m = o->nmin; m <= o->nmax && i + (uint32_t)m <= n; m++) {
                int ok = 1;
                for (int j = 0; j < m && ok; j++) {
                    uint32_t id = ids[i + j] & NC_TOK_ID_MASK;
                    if (j > 0 && (ids[i + j] & NC_TOK_BARRIER))
                        ok = 0;
                    if (o->stop && id < o->nstop && o->stop[id])
                        ok = 0;
                }
                if (!ok)
                    continue;
                uint32_t clean[NC_NGRAM_MAX];
                for (int j = 0; j < m; j++)
                    clean[j] = ids[i + j] & NC_TOK_ID_MASK;
                tu_buf b = {0};
                join_ids(&b, ts, clean, (size_t)m);
                if (nocc == cap)
                    oc = realloc(oc, (cap *= 2) * sizeof *oc);
                oc[nocc++] = (occ){tu_take(&b), (uint32_t)g, (uint32_t)d};
            }
    }
    qsort(oc, nocc, sizeof *oc, cmp_occ);
    refrow *rows = tu_xmalloc((nocc + 1) * sizeof *rows);
    size_t nr = 0;
    for (size_t i = 0; i < nocc; i++) {
        if (nr && strcmp(rows[nr - 1].key, oc[i].key) == 0 && rows[nr - 1].group == oc[i].group) {
            rows[nr - 1].count++;
            if (oc[i].doc != oc[i - 1].doc)
                rows[nr - 1].df++;
        } else {
            rows[nr++] = (refrow){oc[i].key, oc[i].group, 1, 1, 0};
        }
    }
    /* totals over groups (rows of one key are adjacent) */
    for (size_t i = 0; i < nr;) {
        size_t j = i;
        int64_t tot = 0;
        while (j < nr && strcmp(rows[j].key, rows[i].key) == 0)
            tot += rows[j++].count;
        for (size_t k = i; k < j; k++)
            rows[k].total = tot;
        i = j;
    }
    size_t w = 0;
    for (size_t i = 0; i < nr; i++)
        if ((uint64_t)rows[i].total >= o->min_count)
            rows[w++] = rows[i];
    nr = w;
    qsort(rows, nr, sizeof *rows, cmp_row);
    if (o->top) {
        uint64_t *kept = calloc(o->ngroups + 1, sizeof *kept);
        w = 0;
        for (size_t i = 0; i < nr; i++)
            if (kept[rows[i].group]++ < o->top)
                rows[w++] = rows[i];
        nr = w;
        free(kept);
    }
    tu_buf b = {0};
    for (size_t i = 0; i < nr; i++)
        tu_add(&b, "%s%s@%u=%lld/%lld", i ? ", " : "", rows[i].key, rows[i].group,
               (long long)rows[i].count, (long long)rows[i].df);
    for (size_t i = 0; i < nocc; i++)
        free(oc[i].key);
    free(oc);
    free(rows);
    return tu_take(&b);
}

static void assert_same_table(const char *got, const char *want, size_t k, int method, int w)
{
    if (strcmp(got, want) == 0)
        return;
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    size_t from = i > 60 ? i - 60 : 0;
    fail_msg("case %zu, method %d, workers %d: differs at %zu:\n got  ...%.120s\n want ...%.120s",
             k, method, w, i, got + from, want + from);
}

/* Both counting methods on 1..max_workers threads give the reference's
 * table, which is not empty. */
static void check_methods(const nc_tokstore *ts, nc_ngram_opts o, size_t k, int max_workers)
{
    char *want = reference(ts, &o);
    assert_true(strlen(want) > 0);
    for (int method = NC_NG_HASH; method <= NC_NG_PACKED; method++)
        for (int w = 1; w <= max_workers; w++) {
            o.workers = w;
            o.method = (nc_ngram_method)method;
            char *got = count(ts, &o);
            assert_same_table(got, want, k, method, w);
            free(got);
        }
    free(want);
}

static void free_texts(char **texts, size_t n)
{
    for (size_t d = 0; d < n; d++)
        free(texts[d]);
    free(texts);
}

static void test_generated_against_reference(void **state)
{
    (void)state;
    const size_t ndocs = 240;
    char **texts = gen_texts(ndocs, 2024);
    store s;
    store_build(&s, (const char *const *)texts, ndocs, 2);
    int32_t *groups = tu_xmalloc(ndocs * sizeof *groups);
    for (size_t d = 0; d < ndocs; d++)
        groups[d] = d % 11 == 5 ? -1 : (int32_t)(d % 3);
    const char *sw[] = {"the", "a", "of"};
    uint8_t *stop = stop_mask(&s.ts, sw, 3);
    struct {
        int nmin, nmax, use_stop;
        uint64_t min_count, top;
    } cases[] = {{1, 1, 0, 1, 0}, {1, 3, 0, 1, 0}, {2, 2, 1, 1, 0}, {1, 3, 1, 2, 0},
                 {1, 4, 0, 1, 5}, {3, 8, 0, 1, 0}, {1, 8, 1, 3, 7}, {2, 5, 0, 2, 1}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        nc_ngram_opts o = opts(groups, 3, cases[k].nmin, cases[k].nmax);
        o.min_count = cases[k].min_count;
        o.top = cases[k].top;
        if (cases[k].use_stop) {
            o.stop = stop;
            o.nstop = s.ts.vocab.n;
        }
        check_methods(&s.ts, o, k, 4);
    }
    free(stop);
    free(groups);
    store_free(&s);
    free_texts(texts, ndocs);
}

/* Identical tables (keys included) for workers 1..4, and phrase counts of
 * the n-grams found equal their n-gram counts. */
static void test_workers_and_phrases_agree(void **state)
{
    (void)state;
    const size_t ndocs = 300;
    char **texts = gen_texts(ndocs, 77);
    store s;
    store_build(&s, (const char *const *)texts, ndocs, 3);
    int32_t *groups = tu_xmalloc(ndocs * sizeof *groups);
    for (size_t d = 0; d < ndocs; d++)
        groups[d] = d % 13 == 0 ? -1 : (int32_t)(d % 4);
    nc_ngram_opts o = opts(groups, 4, 1, 4);
    nc_ngram_table ref;
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &ref), NC_OK);
    assert_true(ref.nrows > 500);
    assert_null(ref.row_key);
    /* with group_key, each row also carries its group's value (written on
     * the threads, both with and without `top`) */
    const int64_t years[4] = {2014, 2016, -7, INT64_MAX};
    for (int w = 1; w <= 4; w++) {
        for (uint64_t top = 0; top <= 5; top += 5) {
            nc_ngram_opts ok = o;
            ok.workers = w;
            ok.top = top;
            ok.group_key = years;
            nc_ngram_table t;
            assert_int_equal(nc_count_ngrams(&s.ts, &ok, &t), NC_OK);
            assert_non_null(t.row_key);
            assert_true(top ? t.nrows < ref.nrows : t.nrows == ref.nrows);
            for (size_t i = 0; i < t.nrows; i++)
                assert_int_equal(t.row_key[i], years[t.row_group[i]]);
            nc_ngram_table_free(&t);
        }
    }
    for (int w = 2; w <= 4; w++) {
        o.workers = w;
        nc_ngram_table t;
        assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_OK);
        assert_int_equal(t.nuniq, ref.nuniq);
        assert_int_equal(t.nrows, ref.nrows);
        assert_memory_equal(t.key_off, ref.key_off, (ref.nuniq + 1) * sizeof *ref.key_off);
        assert_memory_equal(t.keys, ref.keys, ref.key_off[ref.nuniq] * sizeof *ref.keys);
        assert_memory_equal(t.row_ngram, ref.row_ngram, ref.nrows * sizeof *ref.row_ngram);
        assert_memory_equal(t.row_group, ref.row_group, ref.nrows * sizeof *ref.row_group);
        assert_memory_equal(t.row_count, ref.row_count, ref.nrows * sizeof *ref.row_count);
        assert_memory_equal(t.row_docfreq, ref.row_docfreq, ref.nrows * sizeof *ref.row_docfreq);
        nc_ngram_table_free(&t);
    }
    /* every unique n-gram as a phrase, plus an empty one */
    size_t np = ref.nuniq + 1;
    uint64_t *off = tu_xmalloc((np + 1) * sizeof *off);
    memcpy(off, ref.key_off, (ref.nuniq + 1) * sizeof *off);
    off[np] = off[np - 1];
    int64_t *c = tu_xmalloc(np * 4 * sizeof *c), *d = tu_xmalloc(np * 4 * sizeof *d);
    for (int w = 1; w <= 3; w++) {
        o.workers = w;
        assert_int_equal(nc_count_phrases(&s.ts, ref.keys, off, np, &o, c, d), NC_OK);
        int64_t *seen = calloc(np * 4, sizeof *seen);
        for (size_t i = 0; i < ref.nrows; i++) {
            size_t cell = (size_t)ref.row_ngram[i] * 4 + ref.row_group[i];
            assert_int_equal(c[cell], ref.row_count[i]);
            assert_int_equal(d[cell], ref.row_docfreq[i]);
            seen[cell] = 1;
        }
        for (size_t cell = 0; cell < np * 4; cell++)
            if (!seen[cell]) {
                assert_int_equal(c[cell], 0); /* no row: never seen in that group */
                assert_int_equal(d[cell], 0);
            }
        free(seen);
    }
    free(c);
    free(d);
    free(off);
    nc_ngram_table_free(&ref);
    free(groups);
    store_free(&s);
    free_texts(texts, ndocs);
}

/* ndocs texts of 40 words from word(b, random), a sentence every `period`. */
static char **gen_word_texts(size_t ndocs, uint64_t seed, void (*word)(tu_buf *, uint64_t),
                             size_t period)
{
    char **texts = calloc(ndocs + 1, sizeof *texts);
    uint64_t rs = seed;
    for (size_t d = 0; d < ndocs; d++) {
        tu_buf b = {0};
        for (size_t k = 0; k < 40; k++) {
            word(&b, tu_rand(&rs));
            tu_add(&b, "%s", k % period == period - 1 ? ". " : " ");
        }
        texts[d] = tu_take(&b);
    }
    return texts;
}

/* Words "w0".."w69999", a few of them frequent so that some n-grams repeat:
 * a vocabulary of tens of thousands of forms, so that 4-grams no longer fit
 * the packed 64-bit keys. */
static void wide_word(tu_buf *b, uint64_t r)
{
    tu_add(b, "w%u", (unsigned)(r % 4 == 0 ? r % 7 : r % 70000));
}

/* "the" three times in four, else w0..w999. */
static void mostly_the(tu_buf *b, uint64_t r)
{
    if (r % 4)
        tu_add(b, "the");
    else
        tu_add(b, "w%u", (unsigned)(r / 4 % 1000));
}

/* Packed keys refuse what does not fit (NC_ERANGE), the automatic choice
 * then falls back to the hash table, and both agree with the reference
 * wherever both run. */
static void test_packed_keys_and_fallback(void **state)
{
    (void)state;
    const size_t ndocs = 2500;
    char **texts = gen_word_texts(ndocs, 99, wide_word, 13);
    store s;
    store_build(&s, (const char *const *)texts, ndocs, 2);
    assert_true(s.ts.vocab.n > 32768); /* 16 bits a token: 4 tokens and a flag exceed 64 */
    int32_t *groups = tu_xmalloc(ndocs * sizeof *groups);
    for (size_t d = 0; d < ndocs; d++)
        groups[d] = (int32_t)(d % 5);
    nc_ngram_opts o = opts(groups, 5, 1, 4);
    assert_false(nc_ng_packed_fits(&s.ts, &o));
    nc_ngram_table t;
    o.method = NC_NG_PACKED;
    assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_ERANGE);
    assert_null(t.keys);
    char *want = reference(&s.ts, &o);
    for (int w = 1; w <= 2; w++) {
        o.workers = w;
        o.method = NC_NG_AUTO;
        char *got = count(&s.ts, &o);
        assert_same_table(got, want, 0, NC_NG_AUTO, w);
        free(got);
    }
    free(want);
    /* 3 x 16 + 3 bits of key leave room for the document number (12 bits) */
    o = opts(groups, 5, 2, 3);
    o.min_count = 2;
    assert_true(nc_ng_packed_fits(&s.ts, &o));
    check_methods(&s.ts, o, 1, 1);
    /* with 1,000 groups they do not (58 + 12 bits): documents are told apart
     * by a flag bit and a per-document set instead */
    for (size_t d = 0; d < ndocs; d++)
        groups[d] = (int32_t)(d * 7 % 1000);
    o = opts(groups, 1000, 1, 3);
    assert_true(nc_ng_packed_fits(&s.ts, &o));
    check_methods(&s.ts, o, 2, 2);
    free(groups);
    store_free(&s);
    free_texts(texts, ndocs);
}

/* Three words in four are "the", the others w0..w999: the packed counter's
 * bucket of n-grams that start with "the" is big enough to be split into
 * parts, and the part of "the the ..." to be split again (but never between
 * the groups of one n-gram); the parts must join up into the same table. */
static void test_packed_splits_big_buckets(void **state)
{
    (void)state;
    const size_t ndocs = 2500;
    char **texts = gen_word_texts(ndocs, 4242, mostly_the, 17);
    store s;
    store_build(&s, (const char *const *)texts, ndocs, 2);
    int32_t *groups = tu_xmalloc(ndocs * sizeof *groups);
    for (size_t d = 0; d < ndocs; d++)
        groups[d] = (int32_t)(d % 3);
    nc_ngram_opts o = opts(groups, 3, 1, 3);
    check_methods(&s.ts, o, 0, 2);
    /* buckets planned far larger than a part that is sorted whole: "the"
     * shares its bucket with other words, and the splits run between first
     * tokens too (unigrams of later words wait for their part); and the
     * other way, every word its own bucket */
    uint64_t sizes[] = {(uint64_t)1 << 22, 1};
    for (size_t i = 0; i < 2; i++) {
        nc_ng_packed_bucket_words = sizes[i];
        check_methods(&s.ts, o, 0, 2);
        nc_ngram_opts o2 = opts(groups, 3, 2, 3);
        check_methods(&s.ts, o2, 0, 2);
    }
    nc_ng_packed_bucket_words = 0;
    free(groups);
    store_free(&s);
    free_texts(texts, ndocs);
}

/* So many groups that the packed counter keeps unigrams as keys instead of
 * in its dense (rank, group) array: the same table either way. */
static void test_packed_many_groups(void **state)
{
    (void)state;
    const size_t ndocs = 400;
    char **texts = gen_texts(ndocs, 31);
    store s;
    store_build(&s, (const char *const *)texts, ndocs, 1);
    const uint32_t ngroups = 300000;
    assert_true((size_t)s.ts.vocab.n * ngroups > ((size_t)1 << 22));
    int32_t *groups = tu_xmalloc(ndocs * sizeof *groups);
    for (size_t d = 0; d < ndocs; d++)
        groups[d] = (int32_t)((d * 7919 + d / 3) % ngroups);
    for (size_t d = 0; d < ndocs; d += 4)
        groups[d] = groups[d / 2]; /* some groups with several documents */
    nc_ngram_opts o = opts(groups, ngroups, 1, 3);
    check_methods(&s.ts, o, 0, 2);
    free(groups);
    store_free(&s);
    free_texts(texts, ndocs);
}

static int poll_stop(void *ctx)
{
    (void)ctx;
    return 1;
}

static int poll_go_on(void *ctx)
{
    (*(int *)ctx)++;
    return 0;
}

/* A poll function that lets the work go on changes nothing; one that asks
 * to stop gives NC_EINTR and an empty table. */
static void test_poll_and_cancel(void **state)
{
    (void)state;
    char **texts = gen_texts(50, 5);
    store s;
    store_build(&s, (const char *const *)texts, 50, 1);
    int32_t groups[50] = {0};
    nc_ngram_opts o = opts(groups, 1, 1, 3);
    char *want = count(&s.ts, &o);
    int calls = 0;
    o.poll = poll_go_on;
    o.poll_ctx = &calls;
    for (int w = 1; w <= 3; w++) {
        o.workers = w;
        assert_str_take(count(&s.ts, &o), want);
    }
    assert_true(calls >= 3);
    free(want);
    o.poll = poll_stop;
    for (int w = 1; w <= 2; w++) {
        o.workers = w;
        nc_ngram_table t;
        assert_int_equal(nc_count_ngrams(&s.ts, &o, &t), NC_EINTR);
        assert_null(t.keys);
        assert_int_equal(t.nrows, 0);
    }
    store_free(&s);
    free_texts(texts, 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_ngram_across_sentences),
        cmocka_unit_test(test_no_ngram_across_punctuation),
        cmocka_unit_test(test_stop_words_are_barriers),
        cmocka_unit_test(test_one_letter_words),
        cmocka_unit_test(test_docfreq_and_groups),
        cmocka_unit_test(test_min_count_on_totals),
        cmocka_unit_test(test_top_per_group),
        cmocka_unit_test(test_row_order),
        cmocka_unit_test(test_left_out_documents),
        cmocka_unit_test(test_lengths_1_to_8),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_empty_store),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_phrase_of_16_tokens),
        cmocka_unit_test(test_phrase_of_17_tokens_survives_resize),
        cmocka_unit_test(test_generated_against_reference),
        cmocka_unit_test(test_workers_and_phrases_agree),
        cmocka_unit_test(test_packed_keys_and_fallback),
        cmocka_unit_test(test_packed_many_groups),
        cmocka_unit_test(test_packed_splits_big_buckets),
        cmocka_unit_test(test_poll_and_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
