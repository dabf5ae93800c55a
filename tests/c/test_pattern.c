/* The pattern parser: every construct round-trips to a canonical form,
 * every syntax error is reported with its message and byte position, and
 * every allocation failure is reported as NC_ENOMEM with nothing leaked. */
#include "testutil.h"

#include "util/alloc.h"
#include "match/pattern.h"

/* The canonical form: words with their globs and escapes, groups as (a|b c),
 * ? after optional elements, ~N for gaps, one space between elements. */
static char *dump(const nc_pattern *p)
{
    tu_buf b = {0};
    for (size_t k = 0; k < p->nelems; k++) {
        const nc_pat_elem *e = &p->elems[k];
        if (k)
            tu_add(&b, " ");
        if (e->kind == NC_EL_GAP) {
            tu_add(&b, "~%u", e->gap);
            continue;
        }
        int group = e->n > 1 || p->alts[e->first].n > 1;
        if (group)
            tu_add(&b, "(");
        for (uint32_t a = 0; a < e->n; a++) {
            const nc_pat_alt *alt = &p->alts[e->first + a];
            if (a)
                tu_add(&b, "|");
            for (uint32_t w = 0; w < alt->n; w++) {
                const nc_pat_word *wd = &p->words[alt->first + w];
                assert_int_equal(strlen(nc_pat_word_str(p, wd)), wd->len);
                tu_add(&b, "%s%s%s%s", w ? " " : "", wd->glob == NC_GLOB_SUFFIX ? "*" : "",
                       nc_pat_word_str(p, wd), wd->glob == NC_GLOB_PREFIX ? "*" : "");
            }
        }
        if (group)
            tu_add(&b, ")");
        if (e->optional)
            tu_add(&b, "?");
    }
    return tu_take(&b);
}

static char *parse_dump(const char *src)
{
    nc_pattern p;
    nc_pat_error err;
    nc_status r = nc_pattern_parse(src, strlen(src), &p, &err);
    if (r)
        fail_msg("parse of \"%s\" failed at %zu: %s", src, err.pos, err.msg ? err.msg : "?");
    char *s = dump(&p);
    nc_pattern_free(&p);
    return s;
}

static void test_constructs(void **state)
{
    (void)state;
    assert_str_take(parse_dump("condemn"), "condemn");
    assert_str_take(parse_dump("  strongly   condemn  "), "strongly condemn");
    assert_str_take(parse_dump("condemn*"), "condemn*");
    assert_str_take(parse_dump("*n't hesitate"), "*n't hesitate");
    assert_str_take(parse_dump("(coordinated|collective) response*"),
                    "(coordinated|collective) response*");
    assert_str_take(parse_dump("( carried out | conducted )by"), "(carried out|conducted) by");
    assert_str_take(parse_dump("at? a? (time|place)? ~5 of our own? choosing"),
                    "at? a? (time|place)? ~5 of our own? choosing");
    assert_str_take(parse_dump("strongly ~3 condemn*"), "strongly ~3 condemn*");
    assert_str_take(parse_dump("strongly~3condemn"), "strongly ~3 condemn");
    assert_str_take(parse_dump("u.n. charter"), "u.n. charter");
    assert_str_take(parse_dump("(article|art.|art) (5|v|five)"), "(article|art.|art) (5|v|five)");
    assert_str_take(parse_dump("people's republic"), "people's republic");
    /* escapes: the word keeps the character, not the backslash */
    assert_str_take(parse_dump("\\(a\\) b\\|c d\\?"), "(a) b|c d?");
    assert_str_take(parse_dump("\\*star"), "*star");
    assert_str_take(parse_dump("not\\ here"), "not here");
    /* non-ASCII words, and an escaped multi-byte character */
    assert_str_take(parse_dump("chargé* d'affaires"), "chargé* d'affaires");
    assert_str_take(parse_dump("\\é"), "é");
    assert_str_take(parse_dump("a ~8 b"), "a ~8 b");
    /* a word followed directly by a group is two elements */
    assert_str_take(parse_dump("42(7)"), "42 7");
}

typedef struct {
    const char *src;
    size_t pos;
    const char *msg_part;
} bad_case;

static void test_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", 0, "empty pattern"},
        {"   ", 0, "empty pattern"},
        {"a ~9 b", 2, "limit of ~8"},
        {"a ~12 b", 2, "limit of ~8"},
        {"a ~0 b", 2, "at least ~1"},
        {"a ~ b", 2, "followed by a number"},
        {"a ~x", 2, "followed by a number"},
        {"~2 a", 0, "cannot start with a gap"},
        {"a ~2", 2, "cannot end with a gap"},
        {"a ~2 ~3 b", 5, "two gaps in a row"},
        {"a ~2? b", 4, "gap cannot be optional"},
        {"(a|b", 0, "never closed"},
        {"x (a|b", 2, "never closed"},
        {"a)", 1, "without a matching"},
        {"a|b", 1, "outside parentheses"},
        {"(a||b)", 3, "empty alternative"},
        {"(|b)", 1, "empty alternative"},
        {"()", 1, "empty alternative"},
        {"((a))", 1, "nested"},
        {"(a ~2 b)", 3, "inside parentheses"},
        {"(a b?)", 4, "'?' is not allowed inside"},
        {"? a", 0, "must directly follow"},
        {"a ?", 2, "must directly follow"},
        {"a??", 2, "given twice"},
        {"a? b?", 0, "every element is optional"},
        {"(x|y)?", 0, "every element is optional"},
        {"*", 0, "'*' alone"},
        {"a *", 2, "'*' alone"},
        {"co*nd", 2, "may only start or end"},
        {"*both*", 0, "one end only"},
        {"a\\", 1, "backslash"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        nc_pattern p;
        nc_pat_error err;
        nc_status r = nc_pattern_parse(cases[i].src, strlen(cases[i].src), &p, &err);
        if (r != NC_EINVAL)
            fail_msg("\"%s\": expected a syntax error, got %s", cases[i].src, nc_status_name(r));
        if (err.pos != cases[i].pos || !err.msg || !strstr(err.msg, cases[i].msg_part))
            fail_msg("\"%s\": got pos %zu \"%s\", want pos %zu \"...%s...\"", cases[i].src, err.pos,
                     err.msg ? err.msg : "(null)", cases[i].pos, cases[i].msg_part);
        assert_int_equal(p.nelems, 0);
        assert_null(p.elems);
    }
}

static void test_limits(void **state)
{
    (void)state;
    nc_pattern p;
    nc_pat_error err;
    /* 32 elements pass, 33 do not (the error points at the 33rd) */
    tu_buf b = {0};
    for (int i = 0; i < 32; i++)
        tu_add(&b, "w ");
    char *ok = tu_take(&b);
    assert_int_equal(nc_pattern_parse(ok, strlen(ok), &p, &err), NC_OK);
    assert_int_equal(p.nelems, 32);
    nc_pattern_free(&p);
    size_t len = strlen(ok);
    char *more = tu_xmalloc(len + 3);
    memcpy(more, ok, len);
    memcpy(more + len, "w", 2);
    assert_int_equal(nc_pattern_parse(more, strlen(more), &p, &err), NC_EINVAL);
    assert_int_equal(err.pos, 64);
    assert_non_null(strstr(err.msg, "too many elements"));
    free(ok);
    free(more);
    /* 256 alternatives pass, 257 do not */
    for (int n = 256; n <= 257; n++) {
        tu_buf g = {0};
        tu_add(&g, "(");
        for (int i = 0; i < n; i++)
            tu_add(&g, "%sw%d", i ? "|" : "", i);
        tu_add(&g, ")");
        char *s = tu_take(&g);
        nc_status r = nc_pattern_parse(s, strlen(s), &p, &err);
        assert_int_equal(r, n == 256 ? NC_OK : NC_EINVAL);
        if (r == NC_OK)
            nc_pattern_free(&p);
        else
            assert_non_null(strstr(err.msg, "too many alternatives"));
        free(s);
    }
    /* 17 words in one alternative */
    const char *long_alt = "(a b c d e f g h i j k l m n o p q|x)";
    assert_int_equal(nc_pattern_parse(long_alt, strlen(long_alt), &p, &err), NC_EINVAL);
    assert_int_equal(err.pos, 33);
    /* the source length */
    char *huge = tu_xmalloc(NC_PAT_MAX_BYTES + 2);
    memset(huge, 'a', NC_PAT_MAX_BYTES + 1);
    huge[NC_PAT_MAX_BYTES + 1] = 0;
    assert_int_equal(nc_pattern_parse(huge, NC_PAT_MAX_BYTES + 1, &p, &err), NC_EINVAL);
    assert_int_equal(err.pos, NC_PAT_MAX_BYTES);
    assert_int_equal(nc_pattern_parse(huge, NC_PAT_MAX_BYTES, &p, &err), NC_OK);
    assert_int_equal(p.words[0].len, NC_PAT_MAX_BYTES);
    nc_pattern_free(&p);
    free(huge);
}

static void test_positions(void **state)
{
    (void)state;
    nc_pattern p;
    nc_pat_error err;
    const char *src = "at? a? (time|place) ~5 of";
    assert_int_equal(nc_pattern_parse(src, strlen(src), &p, &err), NC_OK);
    assert_int_equal(p.nelems, 5);
    assert_int_equal(p.elems[2].pos, 7);
    assert_int_equal(p.elems[3].pos, 20);
    assert_int_equal(p.elems[3].gap, 5);
    assert_int_equal(p.words[p.alts[p.elems[2].first + 1].first].pos, 13);
    assert_true(p.elems[0].optional && p.elems[1].optional && !p.elems[2].optional);
    nc_pattern_free(&p);
    /* a NUL byte inside a word is part of the word */
    assert_int_equal(nc_pattern_parse("a\0b", 3, &p, &err), NC_OK);
    assert_int_equal(p.nwords, 1);
    assert_int_equal(p.words[0].len, 3);
    nc_pattern_free(&p);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const char *src = "(strongly|firmly|a b c) ~3 condemn* in? the (strongest|clearest) possible? "
                      "terms *n't x y z w v u t s r q";
    nc_pattern p;
    nc_pat_error err;
    nc_alloc_fail_after(-1);
    assert_int_equal(nc_pattern_parse(src, strlen(src), &p, &err), NC_OK);
    long need = nc_alloc_count();
    char *want = dump(&p);
    nc_pattern_free(&p);
    assert_true(need > 3);
    for (long n = 0; n <= need; n++) {
        nc_alloc_fail_after(n);
        nc_status r = nc_pattern_parse(src, strlen(src), &p, &err);
        nc_alloc_fail_after(-1);
        if (n < need) {
            assert_int_equal(r, NC_ENOMEM);
            assert_null(p.elems);
            assert_null(p.buf);
        } else {
            assert_int_equal(r, NC_OK);
            assert_true(tu_same(dump(&p), want));
            nc_pattern_free(&p);
        }
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constructs),     cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_positions),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
