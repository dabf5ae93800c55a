/* nc_text: PEP 393 strings as UTF-16 for ICU, and UTF-16 offsets back to
 * code-point offsets. */
#include "testutil.h"

#include "segment/segment.h"
#include "text/text.h"

/* Checks every UTF-16 offset that does not split a pair, both lookups,
 * against a count of code points done here with U16 macros. */
static void check_all_offsets(const nc_text *t)
{
    size_t cursor = 0, cp = 0;
    for (size_t u = 0; u <= t->len16; u++) {
        if (u > 0 && u < t->len16 && U16_IS_LEAD(t->u16[u - 1]) && U16_IS_TRAIL(t->u16[u]))
            continue; /* inside a pair */
        assert_int_equal(nc_text_cp_offset(t, u), cp);
        assert_int_equal(nc_text_cp_offset_seq(t, u, &cursor), cp);
        /* repeating the same offset is allowed (u never decreases) */
        assert_int_equal(nc_text_cp_offset_seq(t, u, &cursor), cp);
        if (u < t->len16) {
            size_t v = u;
            UChar32 c;
            U16_NEXT(t->u16, v, t->len16, c);
            (void)c;
            cp++;
        }
    }
}

static void test_kind1_widened(void **state)
{
    (void)state;
    const uint8_t s[] = {'c', 'a', 'f', 0xE9, ' ', 0xFF, 0xA0, 'x'};
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 1, s, sizeof s), NC_OK);
    assert_int_equal(t.len16, sizeof s);
    assert_ptr_equal(t.u16, t.owned);
    for (size_t i = 0; i < sizeof s; i++)
        assert_int_equal(t.u16[i], s[i]); /* Latin-1 byte == code point */
    assert_int_equal(t.nastral, 0);
    for (size_t u = 0; u <= sizeof s; u++)
        assert_int_equal(nc_text_cp_offset(&t, u), u);
    check_all_offsets(&t);
    nc_text_free(&t);
    assert_null(t.owned);
    assert_null(t.astral);
}

static void test_kind2_borrowed(void **state)
{
    (void)state;
    tu_pep p = tu_pep393("Ελλάδα – NATO’s", 2);
    assert_int_equal(p.kind, 2);
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 2, p.data, p.len), NC_OK);
    /* a 2-byte string is handed to ICU as it is, not copied */
    assert_ptr_equal(t.u16, p.data);
    assert_int_equal(t.len16, p.len);
    assert_null(t.owned);
    assert_int_equal(nc_text_cp_offset(&t, 9), 9);
    check_all_offsets(&t);
    nc_text_free(&t);
    free(p.data);
}

/* Emoji and other astral characters take two UTF-16 units; offsets after
 * them must be code-point offsets. */
static void test_kind4_astral(void **state)
{
    (void)state;
    /* a 😀 b 🇫🇷 c 𝔘 */
    tu_pep p = tu_pep393("a😀b🇫🇷c𝔘", 0);
    assert_int_equal(p.kind, 4);
    assert_int_equal(p.len, 7);
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 4, p.data, p.len), NC_OK);
    assert_int_equal(t.len16, 11);
    assert_int_equal(t.nastral, 4);
    assert_int_equal(t.astral[0], 1);
    assert_int_equal(t.astral[1], 4);
    assert_int_equal(t.astral[2], 6);
    assert_int_equal(t.astral[3], 9);
    assert_int_equal(t.u16[1], 0xD83D);
    assert_int_equal(t.u16[2], 0xDE00);
    /* UTF-16 offset -> code-point offset, by hand */
    const size_t u16off[] = {0, 1, 3, 4, 6, 8, 9, 11};
    const size_t cpoff[] = {0, 1, 2, 3, 4, 5, 6, 7};
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(nc_text_cp_offset(&t, u16off[i]), cpoff[i]);
    size_t cursor = 0;
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(nc_text_cp_offset_seq(&t, u16off[i], &cursor), cpoff[i]);
    assert_int_equal(cursor, 4);
    /* the cursor may skip offsets */
    cursor = 0;
    assert_int_equal(nc_text_cp_offset_seq(&t, 8, &cursor), 5);
    assert_int_equal(nc_text_cp_offset_seq(&t, 11, &cursor), 7);
    check_all_offsets(&t);
    nc_text_free(&t);
    free(p.data);
}

/* Many astral characters at irregular places: the binary search and the
 * sequential cursor agree with counting. */
static void test_kind4_many_astral(void **state)
{
    (void)state;
    size_t n = 5000;
    uint32_t *cp = tu_xmalloc(n * sizeof *cp);
    uint64_t rs = 42;
    size_t nast = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = tu_rand(&rs) % 5;
        cp[i] = r == 0 ? 0x1F600 + (uint32_t)(i % 50) : r == 1 ? 0x10000 : 'a' + (uint32_t)(i % 26);
        nast += cp[i] > 0xFFFF;
    }
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 4, cp, n), NC_OK);
    assert_int_equal(t.len16, n + nast);
    assert_int_equal(t.nastral, nast);
    check_all_offsets(&t);
    assert_int_equal(nc_text_cp_offset(&t, t.len16), n);
    nc_text_free(&t);
    free(cp);
}

/* The conversions work in blocks of code points: every length around the
 * block size, with supplementary characters (or none) anywhere, gives what
 * a plain loop gives, and reusing the buffers leaves nothing behind. */
static void test_conversion_blocks(void **state)
{
    (void)state;
    uint64_t rs = 7;
    nc_text t;
    nc_text_init(&t);
    for (size_t n = 0; n < 200; n++) {
        for (int pattern = 0; pattern < 4; pattern++) {
            uint32_t *cp = tu_xmalloc((n + 1) * sizeof *cp);
            uint8_t *b1 = tu_xmalloc(n + 1);
            UChar *ref = tu_xmalloc((2 * n + 1) * sizeof *ref);
            size_t n16 = 0, nast = 0;
            for (size_t i = 0; i < n; i++) {
                uint64_t r = tu_rand(&rs);
                /* 0: BMP only; 1: one astral at a random place; 2: many; 3: all */
                int astral = pattern == 3 || (pattern == 2 && r % 3 == 0) ||
                             (pattern == 1 && i == (size_t)(rs % n));
                cp[i] = astral ? 0x10000 + (uint32_t)(r % 0xFFFFF) : (uint32_t)(r % 0xFFFF) + 1;
                if (U_IS_SURROGATE(cp[i]))
                    cp[i] -= 0x1000; /* a lead and a trail in a row would read as one */
                b1[i] = (uint8_t)(r % 255 + 1);
                if (cp[i] > 0xFFFF) {
                    ref[n16++] = U16_LEAD(cp[i]);
                    ref[n16++] = U16_TRAIL(cp[i]);
                    nast++;
                } else {
                    ref[n16++] = (UChar)cp[i];
                }
            }
            assert_int_equal(nc_text_set(&t, 4, cp, n), NC_OK);
            assert_int_equal(t.len16, n16);
            assert_int_equal(t.nastral, nast);
            if (n16)
                assert_memory_equal(t.u16, ref, n16 * sizeof *ref);
            check_all_offsets(&t);
            assert_int_equal(nc_text_set(&t, 1, b1, n), NC_OK);
            assert_int_equal(t.len16, n);
            assert_int_equal(t.nastral, 0);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(t.u16[i], b1[i]);
            free(cp);
            free(b1);
            free(ref);
        }
    }
    nc_text_free(&t);
}

/* Lone surrogates (Python strings may hold them) stay single units in both
 * layouts, so offsets around them are exact. */
static void test_lone_surrogates(void **state)
{
    (void)state;
    const uint16_t s2[] = {'a', 0xD800, 'b', 0xDFFF, 0xDC00, 'c'};
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 2, s2, 6), NC_OK);
    assert_int_equal(t.len16, 6);
    for (size_t u = 0; u <= 6; u++)
        assert_int_equal(nc_text_cp_offset(&t, u), u);

    const uint32_t s4[] = {0xD800, 'a', 0xDFFF, 0x1F600, 0xDC00, 'b', 0xDBFF};
    assert_int_equal(nc_text_set(&t, 4, s4, 7), NC_OK);
    assert_int_equal(t.len16, 8);
    assert_int_equal(t.nastral, 1);
    assert_int_equal(t.u16[0], 0xD800);
    assert_int_equal(t.u16[2], 0xDFFF);
    assert_int_equal(t.u16[5], 0xDC00);
    assert_int_equal(t.u16[7], 0xDBFF);
    const size_t u16off[] = {0, 1, 2, 3, 5, 6, 7, 8};
    const size_t cpoff[] = {0, 1, 2, 3, 4, 5, 6, 7};
    size_t cursor = 0;
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(nc_text_cp_offset(&t, u16off[i]), cpoff[i]);
        assert_int_equal(nc_text_cp_offset_seq(&t, u16off[i], &cursor), cpoff[i]);
    }
    nc_text_free(&t);
}

/* Segmenting text with lone surrogates works and their tokens map back to
 * exact code-point offsets. */
static void test_lone_surrogates_segment(void **state)
{
    (void)state;
    nc_seg_options o = {"en", 0, 0, 1, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
    nc_segmenter *seg;
    UErrorCode icu;
    assert_int_equal(nc_segmenter_new(&o, &seg, &icu), NC_OK);
    nc_segworker w;
    assert_int_equal(nc_segworker_init(&w, seg), NC_OK);
    /* "ab😀 x\uD800y cd" as code points */
    const uint32_t s4[] = {'a', 'b', 0x1F600, ' ', 'x', 0xD800, 'y', ' ', 'c', 'd'};
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 4, s4, 10), NC_OK);
    assert_int_equal(nc_segment(&w, &t), NC_OK);
    /* the last token, "cd", sits at code points 8..10 */
    assert_true(w.ntoks >= 2);
    const nc_rawtok *last = &w.toks[w.ntoks - 1];
    assert_int_equal(nc_text_cp_offset(&t, last->start), 8);
    assert_int_equal(nc_text_cp_offset(&t, last->end), 10);
    for (size_t i = 0; i < w.ntoks; i++) {
        const char *s;
        size_t len;
        assert_int_equal(nc_segworker_norm(&w, &t, &w.toks[i], &s, &len), NC_OK);
        assert_int_equal(strlen(s), len);
    }
    nc_text_free(&t);
    nc_segworker_free(&w);
    nc_segmenter_free(seg);
}

/* NUL is an ordinary character: it neither truncates the text nor joins
 * the words around it. */
static void test_nul_characters(void **state)
{
    (void)state;
    const uint8_t s1[] = {'a', 'b', 0, 'c', 'd', 0};
    const uint32_t s4[] = {'a', 0x1F600, 0, 'c', 'd'};
    nc_text t;
    nc_text_init(&t);
    assert_int_equal(nc_text_set(&t, 1, s1, 6), NC_OK);
    assert_int_equal(t.len16, 6);
    assert_int_equal(t.u16[2], 0);
    assert_int_equal(t.u16[3], 'c');

    nc_seg_options o = {"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
    nc_segmenter *seg;
    UErrorCode icu;
    assert_int_equal(nc_segmenter_new(&o, &seg, &icu), NC_OK);
    nc_segworker w;
    assert_int_equal(nc_segworker_init(&w, seg), NC_OK);
    assert_int_equal(nc_segment(&w, &t), NC_OK);
    assert_int_equal(w.ntoks, 2);
    assert_int_equal(w.toks[0].start, 0);
    assert_int_equal(w.toks[0].end, 2);
    assert_int_equal(w.toks[1].start, 3);
    assert_int_equal(w.toks[1].end, 5);

    assert_int_equal(nc_text_set(&t, 4, s4, 5), NC_OK);
    assert_int_equal(t.len16, 6);
    assert_int_equal(t.u16[3], 0);
    assert_int_equal(nc_text_cp_offset(&t, 4), 3);
    assert_int_equal(nc_segment(&w, &t), NC_OK);
    assert_int_equal(w.ntoks, 2);
    assert_int_equal(nc_text_cp_offset(&t, w.toks[1].start), 3);
    assert_int_equal(nc_text_cp_offset(&t, w.toks[1].end), 5);
    nc_segworker_free(&w);
    nc_segmenter_free(seg);
    nc_text_free(&t);
}

static void test_empty(void **state)
{
    (void)state;
    nc_text t;
    nc_text_init(&t);
    const uint32_t dummy = 0;
    for (int kind = 1; kind <= 4; kind *= 2) {
        assert_int_equal(nc_text_set(&t, kind, &dummy, 0), NC_OK);
        assert_int_equal(t.len16, 0);
        assert_int_equal(t.nastral, 0);
        assert_int_equal(nc_text_cp_offset(&t, 0), 0);
        size_t cursor = 0;
        assert_int_equal(nc_text_cp_offset_seq(&t, 0, &cursor), 0);
    }
    /* NULL data with no code points is fine too */
    assert_int_equal(nc_text_set(&t, 2, NULL, 0), NC_OK);
    assert_int_equal(t.len16, 0);
    nc_text_free(&t);
}

static void test_bad_kind(void **state)
{
    (void)state;
    nc_text t;
    nc_text_init(&t);
    const uint32_t s[] = {'a'};
    assert_int_equal(nc_text_set(&t, 3, s, 1), NC_EINVAL);
    assert_int_equal(nc_text_set(&t, 0, s, 1), NC_EINVAL);
    assert_int_equal(nc_text_set(&t, 8, s, 1), NC_EINVAL);
    nc_text_free(&t);
}

/* One nc_text is reused across documents of different kinds: nothing of
 * the previous document's astral map survives. */
static void test_reuse_across_kinds(void **state)
{
    (void)state;
    nc_text t;
    nc_text_init(&t);
    tu_pep a = tu_pep393("😀😀😀😀 x", 4);
    tu_pep b = tu_pep393("plain text", 1);
    tu_pep c = tu_pep393("x 𝔘", 4);
    tu_pep d = tu_pep393("Straße –", 2);
    assert_int_equal(nc_text_set(&t, 4, a.data, a.len), NC_OK);
    assert_int_equal(t.nastral, 4);
    assert_int_equal(nc_text_cp_offset(&t, 10), 6);
    assert_int_equal(nc_text_set(&t, 1, b.data, b.len), NC_OK);
    assert_int_equal(t.nastral, 0);
    assert_int_equal(nc_text_cp_offset(&t, 10), 10);
    assert_int_equal(t.u16[0], 'p');
    assert_int_equal(nc_text_set(&t, 4, c.data, c.len), NC_OK);
    assert_int_equal(t.nastral, 1);
    assert_int_equal(t.astral[0], 2);
    assert_int_equal(nc_text_cp_offset(&t, 4), 3);
    check_all_offsets(&t);
    assert_int_equal(nc_text_set(&t, 2, d.data, d.len), NC_OK);
    assert_int_equal(t.nastral, 0);
    assert_ptr_equal(t.u16, d.data);
    assert_int_equal(nc_text_cp_offset(&t, 8), 8);
    nc_text_free(&t);
    free(a.data);
    free(b.data);
    free(c.data);
    free(d.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind1_widened),
        cmocka_unit_test(test_kind2_borrowed),
        cmocka_unit_test(test_kind4_astral),
        cmocka_unit_test(test_kind4_many_astral),
        cmocka_unit_test(test_conversion_blocks),
        cmocka_unit_test(test_lone_surrogates),
        cmocka_unit_test(test_lone_surrogates_segment),
        cmocka_unit_test(test_nul_characters),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bad_kind),
        cmocka_unit_test(test_reuse_across_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
