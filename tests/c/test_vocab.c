/* nc_vocab: interning of UTF-8 strings to dense ids in first-seen order,
 * lookup, growth, and ranks in byte (code-point) order. */
#include "testutil.h"

#include "util/alloc.h"
#include "tokens/vocab.h"

static uint32_t intern(nc_vocab *v, const char *s, uint8_t kind)
{
    uint32_t id = UINT32_MAX;
    assert_int_equal(nc_vocab_intern(v, s, strlen(s), kind, &id), NC_OK);
    return id;
}

static void test_intern_find(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    assert_int_equal(nc_vocab_find(&v, "x", 1), -1); /* empty vocabulary */
    assert_int_equal(intern(&v, "condemn", 0), 0);
    assert_int_equal(intern(&v, "the", 0), 1);
    assert_int_equal(intern(&v, "2014", 1), 2);
    assert_int_equal(intern(&v, "condemn", 0), 0); /* again: same id */
    assert_int_equal(intern(&v, "attack", 0), 3);
    assert_int_equal(v.n, 4);
    assert_int_equal(nc_vocab_find(&v, "the", 3), 1);
    assert_int_equal(nc_vocab_find(&v, "attack", 6), 3);
    assert_int_equal(nc_vocab_find(&v, "attacks", 7), -1);
    assert_int_equal(nc_vocab_find(&v, "attac", 5), -1);
    assert_int_equal(nc_vocab_find(&v, "Attack", 6), -1); /* byte-exact */
    size_t len;
    const char *s = nc_vocab_str(&v, 3, &len);
    assert_int_equal(len, 6);
    assert_string_equal(s, "attack"); /* NUL-terminated */
    assert_int_equal(v.kinds[2], 1);
    assert_int_equal(v.kinds[0], 0);
    nc_vocab_free(&v);
    assert_int_equal(v.n, 0);
    assert_null(v.arena);
}

/* The kind recorded is that of the first occurrence. */
static void test_kind_of_first(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    assert_int_equal(intern(&v, "5", 1), 0);
    assert_int_equal(intern(&v, "5", 0), 0);
    assert_int_equal(v.kinds[0], 1);
    nc_vocab_free(&v);
}

/* Lengths are explicit: NULs inside, the empty string, prefixes. */
static void test_lengths(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    uint32_t a, anul, empty, ab;
    assert_int_equal(nc_vocab_intern(&v, "a", 1, 0, &a), NC_OK);
    assert_int_equal(nc_vocab_intern(&v, "a\0b", 3, 0, &anul), NC_OK);
    assert_int_equal(nc_vocab_intern(&v, "", 0, 0, &empty), NC_OK);
    assert_int_equal(nc_vocab_intern(&v, "ab", 2, 0, &ab), NC_OK);
    assert_int_equal(a, 0);
    assert_int_equal(anul, 1);
    assert_int_equal(empty, 2);
    assert_int_equal(ab, 3);
    assert_int_equal(nc_vocab_find(&v, "a\0b", 3), 1);
    assert_int_equal(nc_vocab_find(&v, "a\0c", 3), -1);
    assert_int_equal(nc_vocab_find(&v, "", 0), 2);
    assert_int_equal(nc_vocab_find(&v, "abc", 2), 3);
    size_t len;
    assert_memory_equal(nc_vocab_str(&v, 1, &len), "a\0b", 4);
    assert_int_equal(len, 3);
    assert_string_equal(nc_vocab_str(&v, 2, &len), "");
    assert_int_equal(len, 0);
    nc_vocab_free(&v);
}

/* 100,000 strings: several rehashes and arena moves; every id stays dense,
 * first-seen ordered and findable. */
static void test_many_strings(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    const uint32_t n = 100000;
    char buf[64];
    for (uint32_t i = 0; i < n; i++) {
        int k = snprintf(buf, sizeof buf, "w%u-é%x", i * 2654435761u, i);
        uint32_t id;
        assert_int_equal(nc_vocab_intern(&v, buf, (size_t)k, (uint8_t)(i & 3), &id), NC_OK);
        if (id != i)
            fail_msg("string %u got id %u", i, id);
        /* every 7th is interned twice */
        if (i % 7 == 0) {
            assert_int_equal(nc_vocab_intern(&v, buf, (size_t)k, 0, &id), NC_OK);
            assert_int_equal(id, i);
        }
    }
    assert_int_equal(v.n, n);
    assert_true(v.nslots >= 2 * (size_t)n);
    for (uint32_t i = 0; i < n; i++) {
        int k = snprintf(buf, sizeof buf, "w%u-é%x", i * 2654435761u, i);
        if (nc_vocab_find(&v, buf, (size_t)k) != (int64_t)i)
            fail_msg("find of string %u", i);
        size_t len;
        const char *s = nc_vocab_str(&v, i, &len);
        if (len != (size_t)k || memcmp(s, buf, len) != 0 || s[len] != 0)
            fail_msg("str of id %u", i);
        if (v.kinds[i] != (i & 3))
            fail_msg("kind of id %u", i);
    }
    assert_int_equal(nc_vocab_find(&v, "w", 1), -1);
    nc_vocab_free(&v);
}

/* ranks[id] orders the strings by their UTF-8 bytes, which is code-point
 * order: upper case before lower, ASCII before Latin-1 before emoji, and a
 * prefix before its extensions. */
static void test_ranks(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    const char *words[] = {"zebra", "é", "a", "ab", "Zulu", "😀", "abc", "\xEF\xBF\xBD", "aa",
                           "", "a b", "a-b", "ǅ"};
    const size_t nw = sizeof words / sizeof *words;
    for (size_t i = 0; i < nw; i++)
        intern(&v, words[i], 0);
    uint32_t *ranks = NULL;
    assert_int_equal(nc_vocab_ranks(&v, &ranks), NC_OK);
    /* expected order, by hand */
    const char *sorted[] = {"", "Zulu", "a", "a b", "a-b", "aa", "ab", "abc", "zebra", "é", "ǅ",
                            "\xEF\xBF\xBD", "😀"};
    for (size_t r = 0; r < nw; r++) {
        int64_t id = nc_vocab_find(&v, sorted[r], strlen(sorted[r]));
        assert_true(id >= 0);
        assert_int_equal(ranks[id], r);
    }
    nc_free(ranks);
    nc_vocab_free(&v);
}

/* Ranks of a large vocabulary (past the insertion-sort cut-off) agree with
 * strcmp, and form a permutation. */
static void test_ranks_large(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    uint64_t rs = 7;
    char buf[32];
    for (int i = 0; i < 5000; i++) {
        int len = 1 + (int)(tu_rand(&rs) % 6);
        for (int k = 0; k < len; k++)
            buf[k] = (char)('a' + tu_rand(&rs) % 4);
        buf[len] = 0;
        uint32_t id;
        assert_int_equal(nc_vocab_intern(&v, buf, (size_t)len, 0, &id), NC_OK);
    }
    uint32_t *ranks;
    assert_int_equal(nc_vocab_ranks(&v, &ranks), NC_OK);
    uint32_t *by_rank = tu_xmalloc(v.n * sizeof *by_rank);
    uint8_t *seen = calloc(v.n, 1);
    for (uint32_t id = 0; id < v.n; id++) {
        assert_true(ranks[id] < v.n);
        assert_false(seen[ranks[id]]);
        seen[ranks[id]] = 1;
        by_rank[ranks[id]] = id;
    }
    for (uint32_t r = 1; r < v.n; r++)
        if (strcmp(nc_vocab_str(&v, by_rank[r - 1], NULL), nc_vocab_str(&v, by_rank[r], NULL)) >= 0)
            fail_msg("ranks %u and %u out of order", r - 1, r);
    free(seen);
    free(by_rank);
    nc_free(ranks);
    nc_vocab_free(&v);
}

static void test_ranks_empty(void **state)
{
    (void)state;
    nc_vocab v;
    nc_vocab_init(&v);
    uint32_t *ranks = NULL;
    assert_int_equal(nc_vocab_ranks(&v, &ranks), NC_OK);
    assert_non_null(ranks);
    nc_free(ranks);
}

static void test_hash(void **state)
{
    (void)state;
    assert_true(nc_hash_bytes("abc", 3) == nc_hash_bytes("abc", 3));
    assert_true(nc_hash_bytes("abc", 3) != nc_hash_bytes("abd", 3));
    assert_true(nc_hash_bytes("abc", 3) != nc_hash_bytes("abc\0", 4));
    assert_true(nc_hash_bytes("", 0) != nc_hash_bytes("\0", 1));
    /* the low 32 bits (used for slots) differ for neighbours too */
    assert_true((uint32_t)nc_hash_bytes("abcdefgh1", 9) != (uint32_t)nc_hash_bytes("abcdefgh2", 9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intern_find),
        cmocka_unit_test(test_kind_of_first),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_many_strings),
        cmocka_unit_test(test_ranks),
        cmocka_unit_test(test_ranks_large),
        cmocka_unit_test(test_ranks_empty),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
