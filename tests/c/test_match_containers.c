/* The matcher's small containers (match/arrays.h, match/u64map.h) against
 * plain reference computations on random input, including allocation
 * failures. */
#include "testutil.h"

#include "match/arrays.h"
#include "match/u64map.h"
#include "util/alloc.h"

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int cmp_u32_ref(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Every key put is found with its value, keys never put are not, through
 * growth from the first table on. */
static void test_u64map(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint64_t *keys = tu_xmalloc(N * sizeof *keys), rs = 88172645463325252ULL;
    nc_u64map m = {0};
    assert_int_equal(nc_u64map_get(&m, 1, 7), 7); /* an empty map has no slots */
    for (uint32_t i = 0; i < N; i++) {
        /* (state << 32) | label keys, as the trie makes them, some repeated */
        keys[i] = i % 5 == 4 ? keys[i / 2] : ((next_rand(&rs) % 4096) << 32) | (uint32_t)i;
        assert_int_equal(nc_u64map_reserve(&m, m.n + 1), NC_OK);
        nc_u64slot *e = nc_u64map_slot(&m, keys[i]);
        if (e->key != keys[i]) {
            assert_true(e->key == NC_U64MAP_FREE);
            *e = (nc_u64slot){keys[i], i};
            m.n++;
        }
        assert_true(m.n * 2 <= m.mask + 1);
    }
    size_t distinct = 0;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t first = i; /* the value is the index where the key came first */
        for (uint32_t j = 0; j < i; j++)
            if (keys[j] == keys[i]) {
                first = j;
                break;
            }
        distinct += first == i;
        assert_int_equal(nc_u64map_get(&m, keys[i], UINT32_MAX), first);
        assert_int_equal(nc_u64map_get(&m, keys[i] | ((uint64_t)1 << 62), UINT32_MAX), UINT32_MAX);
    }
    assert_int_equal(m.n, distinct);
    size_t held = 0;
    for (size_t i = 0; i <= m.mask; i++)
        held += m.slots[i].key != NC_U64MAP_FREE;
    assert_int_equal(held, distinct);

    /* a failed growth leaves the map as it was */
    nc_u64map small = {0};
    assert_int_equal(nc_u64map_reserve(&small, 1), NC_OK);
    size_t before = small.mask;
    nc_alloc_fail_after(0);
    assert_int_equal(nc_u64map_reserve(&small, before + 1), NC_ENOMEM);
    nc_alloc_fail_after(-1);
    assert_int_equal(small.mask, before);
    nc_u64map_free(&small);
    assert_null(small.slots);
    nc_u64map_free(&m);
    free(keys);
}

static void test_sort_unique(void **state)
{
    (void)state;
    uint64_t rs = 0x9E3779B97F4A7C15ULL;
    for (size_t n = 0; n < 200; n += n < 40 ? 1 : 17) { /* both sides of the qsort cutoff */
        uint32_t *a = tu_xmalloc((n + 1) * sizeof *a), *ref = tu_xmalloc((n + 1) * sizeof *ref);
        for (size_t i = 0; i < n; i++)
            a[i] = ref[i] = (uint32_t)(next_rand(&rs) % (n / 2 + 1));
        qsort(ref, n, sizeof *ref, cmp_u32_ref);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (m == 0 || ref[m - 1] != ref[i])
                ref[m++] = ref[i];
        assert_int_equal(nc_u32_sort_unique(a, n), m);
        if (m)
            assert_memory_equal(a, ref, m * sizeof *a);
        free(a);
        free(ref);
    }
}

/* Pairs grouped into rows keep their order within a row; made sets, the
 * rows hold each value once, ascending. */
static void test_csr(void **state)
{
    (void)state;
    enum { N = 5000, ROWS = 97 };
    uint64_t rs = 2463534242ULL;
    nc_pairvec p = {0};
    for (size_t i = 0; i < N; i++)
        assert_int_equal(nc_pairvec_push(&p, (uint32_t)(next_rand(&rs) % ROWS),
                                         (uint32_t)(next_rand(&rs) % 50)),
                         NC_OK);
    uint32_t *off, *vals;
    assert_int_equal(nc_pairs_to_csr(p.v, p.n, ROWS, &off, &vals), NC_OK);
    assert_int_equal(off[0], 0);
    assert_int_equal(off[ROWS], N);
    for (uint32_t r = 0; r < ROWS; r++) {
        uint32_t k = off[r];
        for (size_t i = 0; i < p.n; i++)
            if (p.v[i].a == r)
                assert_int_equal(vals[k++], p.v[i].b);
        assert_int_equal(k, off[r + 1]);
    }
    nc_csr_sort_unique_rows(off, vals, ROWS);
    for (uint32_t r = 0; r < ROWS; r++) {
        uint8_t seen[50] = {0};
        for (size_t i = 0; i < p.n; i++)
            if (p.v[i].a == r)
                seen[p.v[i].b] = 1;
        uint32_t k = off[r];
        for (uint32_t v = 0; v < 50; v++)
            if (seen[v])
                assert_int_equal(vals[k++], v);
        assert_int_equal(k, off[r + 1]);
    }
    nc_free(off);
    nc_free(vals);
    nc_pairvec_free(&p);
    assert_null(p.v);
}

static void test_strlist(void **state)
{
    (void)state;
    nc_strlist l = {0};
    const char *words[] = {"condemn", "", "cyber-attack", "a\0b"};
    size_t lens[] = {7, 0, 12, 3};
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < 4; i++)
            assert_int_equal(nc_strlist_add(&l, words[i], lens[i]), NC_OK);
        assert_int_equal(l.n, 4);
        for (size_t i = 0; i < 4; i++) {
            assert_int_equal(nc_strlist_len(&l, i), lens[i]);
            assert_memory_equal(l.buf + l.off[i], words[i], lens[i]);
            assert_int_equal(l.buf[l.off[i] + lens[i]], 0);
        }
        nc_strlist_clear(&l);
        assert_int_equal(l.n, 0);
    }
    nc_alloc_fail_after(0);
    nc_strlist big = {0};
    assert_int_equal(nc_strlist_add(&big, "x", 1), NC_ENOMEM);
    nc_alloc_fail_after(-1);
    nc_strlist_free(&big);
    nc_strlist_free(&l);
    assert_null(l.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u64map),
        cmocka_unit_test(test_sort_unique),
        cmocka_unit_test(test_csr),
        cmocka_unit_test(test_strlist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
