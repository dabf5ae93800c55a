/* Document-term matrices (dtm.h): hand-checked matrices, canonical CSR
 * structure, agreement with a naive reference counter and with
 * nc_count_ngrams, rows made of several documents, left-out documents,
 * stop words, min_count, n-grams up to 8 tokens, any number of workers,
 * empty input, bad options, cancellation and every allocation failure. */
#include "teststore.h"

#include "util/alloc.h"
#include "count/dtm.h"
#include "count/ngram.h"

#define MAX_N 20000

static nc_dtm_opts opts(const int32_t *rows, uint32_t nrows, int nmin, int nmax)
{
    nc_dtm_opts o;
    memset(&o, 0, sizeof o);
    o.nmin = nmin;
    o.nmax = nmax;
    o.doc_row = rows;
    o.nrows = nrows;
    o.min_count = 1;
    o.workers = 1;
    return o;
}

static int32_t *identity_rows(size_t n)
{
    int32_t *r = tu_xmalloc((n ? n : 1) * sizeof *r);
    for (size_t i = 0; i < n; i++)
        r[i] = (int32_t)i;
    return r;
}

static char *join(const nc_tokstore *ts, const uint32_t *ids, size_t n)
{
    tu_buf b = {0};
    for (size_t j = 0; j < n; j++)
        tu_add(&b, "%s%s", j ? " " : "", nc_vocab_str(&ts->vocab, ids[j], NULL));
    return tu_take(&b);
}

static int64_t idx_at(const nc_dtm *m, const void *a, size_t i)
{
    return m->index_bytes == 4 ? ((const int32_t *)a)[i] : ((const int64_t *)a)[i];
}

/* "row:ngram=count" per cell, rows in order, columns in order, ", " between.
 * Also checks the CSR is canonical: indptr from 0 to nnz and monotone,
 * columns strictly ascending in each row, counts > 0, column n-grams in
 * strictly increasing string order with lengths in [nmin, nmax], every
 * column used. */
static char *dump(const nc_tokstore *ts, const nc_dtm *m, const nc_dtm_opts *o)
{
    assert_int_equal(m->nrows, o->nrows);
    assert_true(m->index_bytes == 4 || m->index_bytes == 8);
    char **col = calloc(m->ncols + 1, sizeof *col);
    uint8_t *used = calloc(m->ncols + 1, 1);
    for (size_t c = 0; c < m->ncols; c++) {
        size_t len = (size_t)(m->key_off[c + 1] - m->key_off[c]);
        assert_true(len >= (size_t)o->nmin && len <= (size_t)o->nmax);
        col[c] = join(ts, m->keys + m->key_off[c], len);
        if (c > 0 && strcmp(col[c - 1], col[c]) >= 0)
            fail_msg("columns out of order: \"%s\" then \"%s\"", col[c - 1], col[c]);
    }
    assert_int_equal(idx_at(m, m->indptr, 0), 0);
    assert_int_equal(idx_at(m, m->indptr, m->nrows), (int64_t)m->nnz);
    tu_buf b = {0};
    int first = 1;
    for (size_t r = 0; r < m->nrows; r++) {
        int64_t a = idx_at(m, m->indptr, r), e = idx_at(m, m->indptr, r + 1);
        assert_true(a <= e);
        for (int64_t i = a; i < e; i++) {
            int64_t c = idx_at(m, m->indices, (size_t)i);
            assert_true(c >= 0 && (size_t)c < m->ncols);
            if (i > a)
                assert_true(c > idx_at(m, m->indices, (size_t)i - 1));
            assert_true(m->data[i] > 0);
            used[c] = 1;
            tu_add(&b, "%s%zu:%s=%lld", first ? "" : ", ", r, col[c], (long long)m->data[i]);
            first = 0;
        }
    }
    for (size_t c = 0; c < m->ncols; c++) {
        assert_true(used[c]);
        free(col[c]);
    }
    free(col);
    free(used);
    return tu_take(&b);
}

static char *build(const nc_tokstore *ts, const nc_dtm_opts *o)
{
    nc_dtm m;
    nc_status r = nc_build_dtm(ts, o, &m);
    if (r)
        fail_msg("nc_build_dtm: %s", nc_status_name(r));
    char *s = dump(ts, &m, o);
    nc_dtm_free(&m);
    return s;
}

/* ---- a naive reference --------------------------------------------------- */

typedef struct {
    char *s;
    uint32_t row;
    long long cnt;
} cell;

typedef struct {
    cell *c;
    size_t n, cap;
} cells;

static void cells_add(cells *cs, char *s, uint32_t row)
{
    for (size_t i = 0; i < cs->n; i++)
        if (cs->c[i].row == row && strcmp(cs->c[i].s, s) == 0) {
            cs->c[i].cnt++;
            free(s);
            return;
        }
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 64;
        cs->c = realloc(cs->c, cs->cap * sizeof *cs->c);
    }
    cs->c[cs->n++] = (cell){s, row, 1};
}

static int cell_cmp(const void *pa, const void *pb)
{
    const cell *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return strcmp(a->s, b->s);
}

/* Every run of kept tokens with no barrier or stop word inside, of length
 * nmin..nmax, counted per row; columns with total < min_count dropped. */
static char *reference(const nc_tokstore *ts, const nc_dtm_opts *o)
{
    cells cs = {0};
    for (size_t d = 0; d < ts->ndocs; d++) {
        int32_t row = o->doc_row[d];
        if (row < 0)
            continue;
        const uint32_t *ids = nc_doc_ids(ts, d);
        uint32_t n = ts->docs[d].ntok;
        uint32_t *clean = tu_xmalloc((n ? n : 1) * sizeof *clean);
        for (uint32_t i = 0; i < n; i++)
            clean[i] = ids[i] & NC_TOK_ID_MASK;
        for (uint32_t start = 0; start < n; start++)
            for (uint32_t len = (uint32_t)o->nmin; len <= (uint32_t)o->nmax; len++) {
                if (start + len > n)
                    break;
                int ok = 1;
                for (uint32_t j = start; j < start + len && ok; j++) {
                    if (j > start && (ids[j] & NC_TOK_BARRIER))
                        ok = 0;
                    if (o->stop && clean[j] < o->nstop && o->stop[clean[j]])
                        ok = 0;
                }
                if (ok)
                    cells_add(&cs, join(ts, clean + start, len), (uint32_t)row);
            }
        free(clean);
    }
    qsort(cs.c, cs.n, sizeof *cs.c, cell_cmp);
    tu_buf b = {0};
    int first = 1;
    for (size_t i = 0; i < cs.n; i++) {
        long long total = 0;
        for (size_t j = 0; j < cs.n; j++)
            if (strcmp(cs.c[j].s, cs.c[i].s) == 0)
                total += cs.c[j].cnt;
        if ((uint64_t)total >= o->min_count) {
            tu_add(&b, "%s%u:%s=%lld", first ? "" : ", ", cs.c[i].row, cs.c[i].s, cs.c[i].cnt);
            first = 0;
        }
    }
    for (size_t i = 0; i < cs.n; i++)
        free(cs.c[i].s);
    free(cs.c);
    return tu_take(&b);
}

/* ---- hand-checked ------------------------------------------------------------ */

static const int32_t ZEROS[64];

static void test_hand_checked(void **state)
{
    (void)state;
    const char *texts[] = {"Allies condemn it. Allies condemn the attack.",
                           "We condemn, strongly, it", "at a time and in a manner"};
    store s;
    store_build(&s, texts, 3, 2);
    int32_t *rows = identity_rows(3);
    nc_dtm_opts o = opts(rows, 3, 2, 2);
    assert_str_take(build(&s.ts, &o),
                    "0:allies condemn=2, 0:condemn it=1, 0:condemn the=1, 0:the attack=1, "
                    "1:we condemn=1, "
                    "2:a manner=1, 2:a time=1, 2:and in=1, 2:at a=1, 2:in a=1, 2:time and=1");
    /* a stop word is a barrier: no "at time" */
    const char *sw[] = {"a"};
    uint8_t *stop = stop_mask(&s.ts, sw, 1);
    o.stop = stop;
    o.nstop = s.ts.vocab.n;
    o.nmin = 1;
    o.nmax = 3;
    o.min_count = 2;
    assert_str_take(build(&s.ts, &o),
                    "0:allies=2, 0:allies condemn=2, 0:condemn=2, 0:it=1, 1:condemn=1, 1:it=1");
    /* all documents in one row: the counts of the whole */
    o.doc_row = ZEROS;
    o.nrows = 1;
    o.min_count = 3;
    assert_str_take(build(&s.ts, &o), "0:condemn=3");
    free(stop);
    free(rows);
    store_free(&s);
}

static void test_rows_and_left_out_documents(void **state)
{
    (void)state;
    const char *texts[] = {"cyber attack", "cyber defence", "cyber attack now", "ignored words"};
    store s;
    store_build(&s, texts, 4, 2);
    /* rows are not in document order; a row without documents stays empty */
    int32_t rows[] = {2, 0, 2, -1};
    nc_dtm_opts o = opts(rows, 4, 1, 2);
    for (int w = 1; w <= 3; w++) {
        o.workers = w;
        assert_str_take(build(&s.ts, &o),
                        "0:cyber=1, 0:cyber defence=1, 0:defence=1, "
                        "2:attack=2, 2:attack now=1, 2:cyber=2, 2:cyber attack=2, 2:now=1");
    }
    nc_dtm m;
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_OK);
    assert_int_equal(m.index_bytes, 4);
    assert_int_equal(((int32_t *)m.indptr)[1], ((int32_t *)m.indptr)[2]); /* row 1 empty */
    assert_int_equal(((int32_t *)m.indptr)[3], ((int32_t *)m.indptr)[4]); /* row 3 empty */
    nc_dtm_free(&m);
    store_free(&s);
}

/* ---- generated corpora against the reference --------------------------------- */

static const char *const WORDS[] = {"nato", "allies", "condemn", "strongly", "the", "a",
                                    "attack", "cyber", "response", "of", "our", "choosing",
                                    "ＮＡＴＯ", "Russia’s", "U.S.", "Art. 5", "😀", "2024"};
#define NWORDS (sizeof WORDS / sizeof *WORDS)

static char **random_texts(uint64_t seed, size_t ndocs)
{
    char **t = tu_xmalloc(ndocs * sizeof *t);
    for (size_t d = 0; d < ndocs; d++) {
        tu_buf b = {0};
        size_t nw = (size_t)(tu_rand(&seed) % 25);
        for (size_t i = 0; i < nw; i++) {
            uint64_t r = tu_rand(&seed);
            tu_add(&b, "%s%s", WORDS[r % NWORDS],
                   r % 11 == 0 ? ". " : r % 13 == 0 ? ", " : r % 17 == 0 ? "\n\n" : " ");
        }
        t[d] = tu_take(&b);
    }
    return t;
}

static void test_matches_reference(void **state)
{
    (void)state;
    static const int ranges[][2] = {{1, 1}, {1, 3}, {2, 2}, {1, 8}, {4, 6}};
    for (uint64_t seed = 1; seed <= 3; seed++) {
        size_t nd = 30;
        char **texts = random_texts(seed * 7919, nd);
        store s;
        store_build(&s, (const char *const *)texts, nd, 2);
        int32_t *doc_rows = identity_rows(nd);
        int32_t group_rows[30];
        for (size_t d = 0; d < nd; d++)
            group_rows[d] = d % 7 == 3 ? -1 : (int32_t)(d % 4);
        const char *sw[] = {"the", "a"};
        uint8_t *stop = stop_mask(&s.ts, sw, 2);
        for (size_t k = 0; k < sizeof ranges / sizeof *ranges; k++)
            for (int grouped = 0; grouped <= 1; grouped++)
                for (uint64_t mc = 1; mc <= 3; mc += 2) {
                    nc_dtm_opts o = opts(grouped ? group_rows : doc_rows,
                                         grouped ? 4 : (uint32_t)nd, ranges[k][0], ranges[k][1]);
                    o.min_count = mc;
                    o.stop = seed == 2 ? stop : NULL;
                    o.nstop = s.ts.vocab.n;
                    char *want = reference(&s.ts, &o);
                    for (int w = 1; w <= 5; w += 2) {
                        o.workers = w;
                        char *got = build(&s.ts, &o);
                        if (strcmp(got, want) != 0)
                            fail_msg("seed %llu n %d..%d grouped %d min_count %llu workers %d:\n"
                                     "got  %s\nwant %s", (unsigned long long)seed, o.nmin,
                                     o.nmax, grouped, (unsigned long long)mc, w, got, want);
                        free(got);
                    }
                    free(want);
                }
        free(stop);
        free(doc_rows);
        store_free(&s);
        for (size_t d = 0; d < nd; d++)
            free(texts[d]);
        free(texts);
    }
}

/* Each cell of a grouped matrix is the count nc_count_ngrams reports for that
 * n-gram and group. */
static void test_agrees_with_count_ngrams(void **state)
{
    (void)state;
    size_t nd = 30;
    char **texts = random_texts(424242, nd);
    store s;
    store_build(&s, (const char *const *)texts, nd, 2);
    int32_t groups[30];
    for (size_t d = 0; d < nd; d++)
        groups[d] = (int32_t)(d % 3);
    nc_ngram_opts no;
    memset(&no, 0, sizeof no);
    no.nmin = 1;
    no.nmax = 4;
    no.doc_group = groups;
    no.ngroups = 3;
    no.min_count = 2;
    no.workers = 2;
    nc_ngram_table t;
    assert_int_equal(nc_count_ngrams(&s.ts, &no, &t), NC_OK);
    nc_dtm_opts o = opts(groups, 3, 1, 4);
    o.min_count = 2;
    o.workers = 2;
    nc_dtm m;
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_OK);
    assert_int_equal(m.ncols, t.nuniq);
    assert_int_equal(m.nnz, t.nrows);
    /* both list their n-grams in string order */
    assert_memory_equal(m.key_off, t.key_off, (t.nuniq + 1) * sizeof *t.key_off);
    assert_memory_equal(m.keys, t.keys, t.key_off[t.nuniq] * sizeof *t.keys);
    for (size_t i = 0; i < t.nrows; i++) {
        uint32_t g = t.row_group[i], c = t.row_ngram[i];
        int64_t found = 0;
        for (int64_t j = ((int32_t *)m.indptr)[g]; j < ((int32_t *)m.indptr)[g + 1]; j++)
            if ((uint32_t)((int32_t *)m.indices)[j] == c)
                found = m.data[j];
        assert_int_equal(found, t.row_count[i]);
    }
    nc_dtm_free(&m);
    nc_ngram_table_free(&t);
    store_free(&s);
    for (size_t d = 0; d < nd; d++)
        free(texts[d]);
    free(texts);
}

static void test_empty_input(void **state)
{
    (void)state;
    /* no documents */
    store s;
    store_build(&s, NULL, 0, 2);
    nc_dtm_opts o = opts(ZEROS, 0, 1, 3);
    o.workers = 4;
    nc_dtm m;
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_OK);
    assert_int_equal(m.nrows, 0);
    assert_int_equal(m.ncols, 0);
    assert_int_equal(m.nnz, 0);
    assert_int_equal(((int32_t *)m.indptr)[0], 0);
    nc_dtm_free(&m);
    store_free(&s);
    /* documents without tokens, and every document left out */
    const char *texts[] = {"", "!!! ...", "words here"};
    store_build(&s, texts, 3, 2);
    int32_t *rows = identity_rows(3);
    o = opts(rows, 3, 1, 2);
    assert_str_take(build(&s.ts, &o), "2:here=1, 2:words=1, 2:words here=1");
    int32_t none[] = {-1, -1, -1};
    o = opts(none, 2, 1, 2);
    assert_str_take(build(&s.ts, &o), "");
    free(rows);
    store_free(&s);
}

static void test_bad_options(void **state)
{
    (void)state;
    const char *texts[] = {"cyber attack"};
    store s;
    store_build(&s, texts, 1, 2);
    int32_t row[] = {1};
    nc_dtm m;
    nc_dtm_opts o = opts(row, 1, 1, 2); /* row 1 is not below nrows 1 */
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_EINVAL);
    assert_null(m.indptr);
    o = opts(ZEROS, 1, 0, 2);
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_EINVAL);
    o = opts(ZEROS, 1, 3, 2);
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_EINVAL);
    o = opts(ZEROS, 1, 1, NC_NGRAM_MAX + 1);
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_EINVAL);
    o = opts(NULL, 1, 1, 2);
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_EINVAL);
    store_free(&s);
}

static int stop_now(void *ctx)
{
    (void)ctx;
    return 1;
}

static void test_cancel(void **state)
{
    (void)state;
    char **texts = random_texts(99, 30);
    store s;
    store_build(&s, (const char *const *)texts, 30, 2);
    int32_t *rows = identity_rows(30);
    nc_dtm_opts o = opts(rows, 30, 1, 3);
    o.workers = 2;
    o.poll = stop_now;
    nc_dtm m;
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_EINTR);
    assert_null(m.indptr);
    assert_null(m.keys);
    free(rows);
    store_free(&s);
    for (size_t d = 0; d < 30; d++)
        free(texts[d]);
    free(texts);
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

/* Documents done end at the number of documents (left-out ones included)
 * and never go back; any number of workers, however large, gives the same
 * matrix. */
static void test_progress_and_worker_limit(void **state)
{
    (void)state;
    enum { ND = 40 };
    char **texts = random_texts(17, ND);
    store s;
    store_build(&s, (const char *const *)texts, ND, 2);
    int32_t rows[ND];
    for (size_t d = 0; d < ND; d++)
        rows[d] = d % 7 == 3 ? -1 : (int32_t)(d / 3);
    char *want = NULL;
    const int workers[] = {1, 3, 100000};
    for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
        atomic_size_t done;
        atomic_init(&done, 0);
        progress_log log = {&done, 0, 0, 0};
        nc_dtm_opts o = opts(rows, ND / 3 + 1, 1, 3);
        o.workers = workers[w];
        o.poll = record_progress;
        o.poll_ctx = &log;
        o.progress = &done;
        nc_dtm m;
        assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_OK);
        assert_int_equal(atomic_load(&done), ND);
        assert_true(!log.backwards && log.last == ND);
        char *got = dump(&s.ts, &m, &o);
        if (!want)
            want = got;
        else
            assert_true(tu_same(got, want));
        nc_dtm_free(&m);
    }
    free(want);
    store_free(&s);
    for (size_t d = 0; d < ND; d++)
        free(texts[d]);
    free(texts);
}

/* ---- allocation failures ------------------------------------------------------- */

static void alloc_loop(int workers)
{
    char **texts = random_texts(5, 30);
    store s;
    store_build(&s, (const char *const *)texts, 30, 2);
    int32_t rows[30];
    for (size_t d = 0; d < 30; d++)
        rows[d] = d % 5 == 4 ? -1 : (int32_t)(d / 2);
    nc_dtm_opts o = opts(rows, 15, 1, 5); /* n up to 5: the arena of long n-grams too */
    o.workers = workers;
    o.min_count = 2;
    char *want = build(&s.ts, &o);
    nc_alloc_fail_after(-1);
    nc_dtm m;
    assert_int_equal(nc_build_dtm(&s.ts, &o, &m), NC_OK);
    long need = nc_alloc_count();
    nc_dtm_free(&m);
    assert_true(need > 10);
    long failures = 0;
    for (long n = 0; n <= need; n++) {
        nc_alloc_fail_after(n);
        nc_status r = nc_build_dtm(&s.ts, &o, &m);
        nc_alloc_fail_after(-1);
        if (n == need)
            assert_int_equal(r, NC_OK);
        if (r == NC_OK) {
            assert_str_take(dump(&s.ts, &m, &o), want);
            nc_dtm_free(&m);
            continue;
        }
        failures++;
        assert_int_equal(r, NC_ENOMEM);
        assert_null(m.indptr);
        assert_null(m.indices);
        assert_null(m.data);
        assert_null(m.keys);
        assert_int_equal(m.nnz, 0);
    }
    assert_int_equal(failures, need); /* every allocation matters */
    free(want);
    store_free(&s);
    for (size_t d = 0; d < 30; d++)
        free(texts[d]);
    free(texts);
}

static void test_allocation_failures_1(void **state)
{
    (void)state;
    alloc_loop(1);
}

static void test_allocation_failures_2(void **state)
{
    (void)state;
    alloc_loop(2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_checked),
        cmocka_unit_test(test_rows_and_left_out_documents),
        cmocka_unit_test(test_matches_reference),
        cmocka_unit_test(test_agrees_with_count_ngrams),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_progress_and_worker_limit),
        cmocka_unit_test(test_allocation_failures_1),
        cmocka_unit_test(test_allocation_failures_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
