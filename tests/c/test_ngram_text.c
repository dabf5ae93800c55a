/* The text of n-grams for result columns: joined forms in Arrow's string
 * layout, by index or in order, on one or several threads (the threads only
 * start from a million strings on), gathered rows, and allocation failures. */
#include "testutil.h"

#include "util/alloc.h"
#include "count/ngram_text.h"
#include "tokens/vocab.h"

/* short forms and one past 16 bytes, which is copied byte by byte rather
 * than with the fixed 16-byte move */
static const char *const FORMS[] = {"the", "a",  "strongly", "condemn", "nato's",      "ü",
                                    "x",   "2024", "at",     "cyber-attack", "counter-disinformation"};
#define NFORMS (sizeof FORMS / sizeof *FORMS)

typedef struct {
    nc_vocab v;
    uint32_t *keys;
    uint64_t *key_off;
    size_t n;
} ngrams;

/* n pseudo-random n-grams of 1 to 3 forms. */
static void make_ngrams(ngrams *g, size_t n, uint64_t seed)
{
    nc_vocab_init(&g->v);
    for (size_t i = 0; i < NFORMS; i++) {
        uint32_t id;
        assert_int_equal(nc_vocab_intern(&g->v, FORMS[i], strlen(FORMS[i]), 0, &id), NC_OK);
        assert_int_equal(id, i);
    }
    g->n = n;
    g->keys = tu_xmalloc(3 * n * sizeof *g->keys);
    g->key_off = tu_xmalloc((n + 1) * sizeof *g->key_off);
    g->key_off[0] = 0;
    for (size_t u = 0; u < n; u++) {
        uint64_t r = tu_rand(&seed);
        size_t m = 1 + r % 3;
        for (size_t j = 0; j < m; j++)
            g->keys[g->key_off[u] + j] = (uint32_t)((r >> (8 + 8 * j)) % NFORMS);
        g->key_off[u + 1] = g->key_off[u] + m;
    }
}

static void free_ngrams(ngrams *g)
{
    nc_vocab_free(&g->v);
    free(g->keys);
    free(g->key_off);
}

/* String i of s, as the plain joining of forms would write it. */
static void check_string(const nc_strings *s, size_t i, const ngrams *g, size_t u)
{
    char want[64];
    size_t len = 0;
    for (uint64_t j = g->key_off[u]; j < g->key_off[u + 1]; j++)
        len += (size_t)snprintf(want + len, sizeof want - len, "%s%s", j > g->key_off[u] ? " " : "",
                                FORMS[g->keys[j]]);
    assert_int_equal(s->off[i + 1] - s->off[i], len);
    assert_memory_equal(s->data + s->off[i], want, len);
}

static void test_join_in_order_and_by_index(void **state)
{
    (void)state;
    ngrams g;
    make_ngrams(&g, 1000, 7);
    nc_strings s;
    assert_int_equal(nc_ngram_join(&g.v, g.keys, g.key_off, NULL, g.n, 1, &s), NC_OK);
    assert_int_equal(s.n, g.n);
    assert_int_equal(s.off[0], 0);
    for (size_t u = 0; u < g.n; u++)
        check_string(&s, u, &g, u);
    /* rows that repeat and reorder n-grams */
    uint32_t index[] = {999, 0, 0, 500, 3};
    nc_strings rows;
    assert_int_equal(nc_ngram_join(&g.v, g.keys, g.key_off, index, 5, 2, &rows), NC_OK);
    for (size_t i = 0; i < 5; i++)
        check_string(&rows, i, &g, index[i]);
    nc_strings empty;
    assert_int_equal(nc_ngram_join(&g.v, g.keys, g.key_off, NULL, 0, 2, &empty), NC_OK);
    assert_int_equal(empty.n, 0);
    assert_int_equal(empty.off[0], 0);
    nc_strings_free(&empty);
    nc_strings_free(&rows);
    nc_strings_free(&s);
    free_ngrams(&g);
}

/* Past a million strings the work is split between threads: the bytes and
 * offsets must be those of one thread. */
static void test_threads_write_the_same(void **state)
{
    (void)state;
    ngrams g;
    const size_t n = ((size_t)1 << 20) + 12345;
    make_ngrams(&g, n, 99);
    uint32_t *index = tu_xmalloc(n * sizeof *index);
    uint64_t seed = 5;
    for (size_t i = 0; i < n; i++)
        index[i] = (uint32_t)(tu_rand(&seed) % n);
    for (int by_index = 0; by_index < 2; by_index++) {
        const uint32_t *ix = by_index ? index : NULL;
        nc_strings one, three;
        assert_int_equal(nc_ngram_join(&g.v, g.keys, g.key_off, ix, n, 1, &one), NC_OK);
        assert_int_equal(nc_ngram_join(&g.v, g.keys, g.key_off, ix, n, 3, &three), NC_OK);
        assert_memory_equal(one.off, three.off, (n + 1) * sizeof *one.off);
        assert_memory_equal(one.data, three.data, (size_t)one.off[n]);
        for (size_t i = 0; i < n; i += 9973)
            check_string(&three, i, &g, ix ? ix[i] : i);
        nc_strings_free(&one);
        nc_strings_free(&three);
    }
    /* gathering rows from the joined n-grams gives the rows joined directly */
    nc_strings all, gathered, joined;
    assert_int_equal(nc_ngram_join(&g.v, g.keys, g.key_off, NULL, n, 2, &all), NC_OK);
    assert_int_equal(nc_strings_gather(all.data, all.off, all.n, index, n, 2, &gathered), NC_OK);
    assert_int_equal(nc_ngram_join(&g.v, g.keys, g.key_off, index, n, 1, &joined), NC_OK);
    assert_memory_equal(gathered.off, joined.off, (n + 1) * sizeof *joined.off);
    assert_memory_equal(gathered.data, joined.data, (size_t)joined.off[n]);
    nc_strings_free(&all);
    nc_strings_free(&gathered);
    nc_strings_free(&joined);
    free(index);
    free_ngrams(&g);
}

static void test_gather_rejects_bad_index(void **state)
{
    (void)state;
    const char data[] = "abcde";
    int64_t off[] = {0, 2, 5};
    uint32_t index[] = {1, 0, 2};
    nc_strings out;
    assert_int_equal(nc_strings_gather(data, off, 2, index, 3, 1, &out), NC_EINVAL);
    assert_null(out.data);
    assert_null(out.off);
    assert_int_equal(nc_strings_gather(data, off, 2, index, 2, 1, &out), NC_OK);
    assert_memory_equal(out.data, "cdeab", 5);
    nc_strings_free(&out);
}

/* Every allocation of a join can fail: NC_ENOMEM, nothing left behind. */
static void test_allocation_failures(void **state)
{
    (void)state;
    ngrams g;
    make_ngrams(&g, 300, 3);
    uint32_t index[] = {5, 7, 299};
    for (int by_index = 0; by_index < 2; by_index++) {
        long need = 0;
        for (long k = 0;; k++) {
            nc_strings s;
            nc_alloc_fail_after(k);
            nc_status r = nc_ngram_join(&g.v, g.keys, g.key_off, by_index ? index : NULL,
                                        by_index ? 3 : g.n, 1, &s);
            nc_alloc_fail_after(-1);
            if (r == NC_OK) {
                need = k;
                nc_strings_free(&s);
                break;
            }
            assert_int_equal(r, NC_ENOMEM);
            assert_null(s.data);
            assert_null(s.off);
        }
        assert_true(need >= 2);
    }
    free_ngrams(&g);
    /* the same past a million strings, where the work is handed to threads
     * (and the pool itself may be what fails) */
    make_ngrams(&g, ((size_t)1 << 20) + 5, 11);
    for (long k = 0;; k++) {
        nc_strings s;
        nc_alloc_fail_after(k);
        nc_status r = nc_ngram_join(&g.v, g.keys, g.key_off, NULL, g.n, 2, &s);
        nc_alloc_fail_after(-1);
        if (r == NC_OK) {
            nc_strings_free(&s);
            break;
        }
        assert_int_equal(r, NC_ENOMEM);
        assert_null(s.data);
        assert_null(s.off);
    }
    free_ngrams(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_in_order_and_by_index),
        cmocka_unit_test(test_threads_write_the_same),
        cmocka_unit_test(test_gather_rejects_bad_index),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
