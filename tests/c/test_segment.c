/* Word and sentence segmentation: token kinds, barriers, hyphens,
 * abbreviations, sentence rules, line breaks, options and locales. */
#include "testutil.h"

#include "segment/segment.h"

static nc_seg_options defopts(void)
{
    return (nc_seg_options){"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
}

static nc_segmenter *mkseg(nc_seg_options o)
{
    nc_segmenter *s = NULL;
    UErrorCode icu;
    assert_int_equal(nc_segmenter_new(&o, &s, &icu), NC_OK);
    assert_non_null(s);
    return s;
}

/* Segments UTF-8 text with a fresh worker; returns the worker (caller frees
 * it) and the text's UTF-16 in *u (caller frees). */
static void run(const nc_segmenter *seg, const char *u8, nc_segworker *w, nc_text *t, UChar **u)
{
    size_t n;
    *u = tu_u16(u8, &n);
    nc_text_init(t);
    assert_int_equal(nc_text_set(t, 2, *u, n), NC_OK);
    assert_int_equal(nc_segworker_init(w, seg), NC_OK);
    assert_int_equal(nc_segment(w, t), NC_OK);
}

/* Normalized tokens separated by spaces, "|" before a token with the
 * barrier flag. */
static char *toks_of(nc_segworker *w, const nc_text *t)
{
    tu_buf b = {0};
    for (size_t i = 0; i < w->ntoks; i++) {
        const char *s;
        size_t len;
        assert_int_equal(nc_segworker_norm(w, t, &w->toks[i], &s, &len), NC_OK);
        tu_add(&b, "%s%s%s", i ? " " : "", w->toks[i].barrier ? "|" : "", s);
    }
    return tu_take(&b);
}

static char *toks(const nc_segmenter *seg, const char *u8)
{
    nc_segworker w;
    nc_text t;
    UChar *u;
    run(seg, u8, &w, &t, &u);
    char *r = toks_of(&w, &t);
    nc_segworker_free(&w);
    free(u);
    return r;
}

/* One letter per token kind: w(ord) n(umber) p(unct) s(ymbol). */
static char *kinds(const nc_segmenter *seg, const char *u8)
{
    nc_segworker w;
    nc_text t;
    UChar *u;
    run(seg, u8, &w, &t, &u);
    tu_buf b = {0};
    for (size_t i = 0; i < w.ntoks; i++)
        tu_add(&b, "%s%c", i ? " " : "", "wnps"[w.toks[i].kind]);
    nc_segworker_free(&w);
    free(u);
    return tu_take(&b);
}

/* Sentences as "<...>" (the source text of each span). Also checks the
 * span invariants: increasing, non-empty, trimmed. */
static char *sents_of(const nc_segworker *w, const UChar *u, size_t n)
{
    tu_buf b = {0};
    uint32_t prev_end = 0;
    for (size_t i = 0; i < w->nsents; i++) {
        nc_span sp = w->sents_out[i];
        assert_true(sp.start < sp.end);
        assert_true(sp.end <= n);
        assert_true(sp.start >= prev_end);
        assert_false(u_isUWhiteSpace(u[sp.start]));
        assert_false(u_isUWhiteSpace(u[sp.end - 1]));
        prev_end = sp.end;
        char *s = tu_utf8(u + sp.start, sp.end - sp.start);
        tu_add(&b, "<%s>", s);
        free(s);
    }
    return tu_take(&b);
}

static char *sents(const nc_segmenter *seg, const char *u8)
{
    nc_segworker w;
    nc_text t;
    UChar *u;
    run(seg, u8, &w, &t, &u);
    char *r = sents_of(&w, u, t.len16);
    /* nc_segment_sentences alone gives the same spans */
    nc_span *copy = tu_xmalloc((w.nsents + 1) * sizeof *copy);
    size_t ns = w.nsents;
    if (ns)
        memcpy(copy, w.sents_out, ns * sizeof *copy);
    assert_int_equal(nc_segment_sentences(&w, &t), NC_OK);
    assert_int_equal(w.nsents, ns);
    for (size_t i = 0; i < ns; i++) {
        assert_int_equal(w.sents_out[i].start, copy[i].start);
        assert_int_equal(w.sents_out[i].end, copy[i].end);
    }
    free(copy);
    nc_segworker_free(&w);
    free(u);
    return r;
}

static void test_token_kinds(void **state)
{
    (void)state;
    nc_seg_options o = defopts();
    o.keep_punct = o.keep_symbols = 1;
    nc_segmenter *seg = mkseg(o);
    assert_str_take(kinds(seg, "Hello, world! 42 $5 😀 ok."), "w p w p n s n s w p");
    assert_str_take(toks(seg, "Hello, world! 42 $5 😀 ok."), "|hello , world ! |42 $ 5 😀 ok .");
    assert_str_take(kinds(seg, "3.5% of €20"), "n p w s n");
    assert_str_take(kinds(seg, "東京 and カタカナ"), "w w w");
    nc_segmenter_free(seg);
}

/* Emoji are symbols: removed by default, where they separate n-grams. */
static void test_emoji(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(toks(seg, "great 😀 news"), "|great |news");
    assert_str_take(toks(seg, "great 👍🏽 news 🇫🇷 today"), "|great |news |today");
    nc_segmenter_free(seg);
    nc_seg_options o = defopts();
    o.keep_symbols = 1;
    seg = mkseg(o);
    assert_str_take(toks(seg, "great 😀 news"), "|great 😀 news");
    assert_str_take(kinds(seg, "great 😀 news"), "w s w");
    /* UTF-16 offsets of the tokens: the emoji takes two units */
    nc_segworker w;
    nc_text t;
    UChar *u;
    run(seg, "😀 ok", &w, &t, &u);
    assert_int_equal(w.ntoks, 2);
    assert_int_equal(w.toks[0].start, 0);
    assert_int_equal(w.toks[0].end, 2);
    assert_int_equal(w.toks[1].start, 3);
    assert_int_equal(w.toks[1].end, 5);
    nc_segworker_free(&w);
    free(u);
    nc_segmenter_free(seg);
}

/* Removed punctuation leaves a barrier on the next token; kept punctuation
 * is a token and leaves none. */
static void test_punct_barrier(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(toks(seg, "cyber, attack"), "|cyber |attack");
    assert_str_take(toks(seg, "condemn (strongly) the attack"), "|condemn |strongly |the attack");
    assert_str_take(toks(seg, "a \"quoted\" word"), "|a |quoted |word");
    nc_segmenter_free(seg);
    nc_seg_options o = defopts();
    o.keep_punct = 1;
    seg = mkseg(o);
    assert_str_take(toks(seg, "cyber, attack"), "|cyber , attack");
    assert_str_take(toks(seg, "condemn (strongly) the attack"), "|condemn ( strongly ) the attack");
    nc_segmenter_free(seg);
}

static void test_hyphens_keep(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(toks(seg, "cyber-attack 2014-2025 e-mail"), "|cyber-attack 2014-2025 e-mail");
    assert_str_take(kinds(seg, "cyber-attack 2014-2025 e-mail"), "w n w");
    /* other dashes are folded and join the same way */
    assert_str_take(toks(seg, "co‑ordinated 2014–2025"), "|co-ordinated 2014-2025");
    assert_str_take(kinds(seg, "co‑ordinated 2014–2025 cyber-2"), "w n w");
    assert_str_take(toks(seg, "state-sponsored cyber-attack-like"),
                    "|state-sponsored cyber-attack-like");
    assert_str_take(toks(seg, "U.S.-led"), "|u.s.-led");
    /* a hyphen that touches only one word is punctuation, hence a barrier */
    assert_str_take(toks(seg, "cyber- attack"), "|cyber |attack");
    assert_str_take(toks(seg, "cyber -attack"), "|cyber |attack");
    assert_str_take(toks(seg, "cyber - attack"), "|cyber |attack");
    assert_str_take(toks(seg, "pre- and post-war"), "|pre |and post-war");
    assert_str_take(toks(seg, "cyber--attack"), "|cyber |attack");
    nc_segmenter_free(seg);
}

static void test_hyphens_split(void **state)
{
    (void)state;
    nc_seg_options o = defopts();
    o.hyphens = NC_HYPHEN_SPLIT;
    nc_segmenter *seg = mkseg(o);
    /* the parts stay adjacent: no barrier between them */
    assert_str_take(toks(seg, "cyber-attack 2014-2025"), "|cyber attack 2014 2025");
    assert_str_take(kinds(seg, "cyber-attack 2014-2025"), "w w n n");
    assert_str_take(toks(seg, "state-sponsored cyber-attack-like"),
                    "|state sponsored cyber attack like");
    assert_str_take(toks(seg, "cyber- attack"), "|cyber |attack");
    nc_segmenter_free(seg);
    o.keep_punct = 1;
    seg = mkseg(o);
    assert_str_take(toks(seg, "cyber-attack 2014–2025"), "|cyber - attack 2014 - 2025");
    assert_str_take(kinds(seg, "cyber-attack"), "w p w");
    nc_segmenter_free(seg);
}

static void test_drop_numbers(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(toks(seg, "in 2014 the 3 allies"), "|in 2014 the 3 allies");
    nc_segmenter_free(seg);
    nc_seg_options o = defopts();
    o.drop_numbers = 1;
    seg = mkseg(o);
    assert_str_take(toks(seg, "in 2014 the 3 allies"), "|in |the |allies");
    assert_str_take(toks(seg, "from 2014-2025 on"), "|from |on");
    /* a word with digits in it is a word */
    assert_str_take(toks(seg, "the 7G and cyber-2 plan"), "|the 7g and cyber-2 plan");
    nc_segmenter_free(seg);
}

/* Regression (fixed; csrc/segment/words.c, classify): ICU gives a word that ends in a digit
 * ("G7", "A4", "COVID19") the rule status of a number, and classify takes
 * it as NC_TOK_NUMBER, so drop_numbers removes "G7" and its kind is
 * "number". A segment with a letter in it should be a word. */
static void test_letters_with_digits_are_words(void **state)
{
    (void)state;
    /* results are taken before asserting so that a failure leaks nothing */
    nc_segmenter *seg = mkseg(defopts());
    char *k1 = kinds(seg, "the 7G summit");
    char *k2 = kinds(seg, "the G7 summit");
    nc_segmenter_free(seg);
    nc_seg_options o = defopts();
    o.drop_numbers = 1;
    seg = mkseg(o);
    char *t1 = toks(seg, "the G7 and the A4 paper");
    nc_segmenter_free(seg);
    int ok = tu_same(k1, "w w w");
    ok &= tu_same(k2, "w w w");
    ok &= tu_same(t1, "|the g7 and the a4 paper");
    assert_true(ok);
}

/* The plural possessive keeps its apostrophe and is no barrier. */
static void test_possessive(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(toks(seg, "Allies' response"), "|allies' response");
    assert_str_take(toks(seg, "Allies’ response"), "|allies' response");
    assert_str_take(toks(seg, "NATO’s Council"), "|nato's council");
    assert_str_take(toks(seg, "the Allies'"), "|the allies'");
    /* a closing quote after a word not ending in s is punctuation */
    assert_str_take(toks(seg, "'response' now"), "|response |now");
    nc_segmenter_free(seg);
}

/* The final period of "U.S." and of a listed abbreviation belongs to the
 * token: no barrier after it. */
static void test_abbreviation_period(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(toks(seg, "Gen. Smith met the U.S. Secretary"),
                    "|gen. smith met the u.s. secretary");
    assert_str_take(toks(seg, "e.g. this"), "|e.g. this");
    assert_str_take(toks(seg, "see Art. 5 now"), "|see art. 5 now");
    /* an ordinary word loses its period, which is a barrier */
    assert_str_take(toks(seg, "end. Then"), "|end |then");
    nc_segmenter_free(seg);
}

static void test_sentences_abbreviations(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    const char *text = "Gen. Smith met the U.S. Secretary in the U.S. The ministers met.";
    assert_str_take(sents(seg, text),
                    "<Gen. Smith met the U.S. Secretary in the U.S.><The ministers met.>");
    /* the split is before "The", and its tokens are in sentence 1 */
    nc_segworker w;
    nc_text t;
    UChar *u;
    run(seg, text, &w, &t, &u);
    assert_int_equal(w.nsents, 2);
    assert_int_equal(w.sents_out[1].start, (uint32_t)(strstr(text, "The") - text));
    assert_int_equal(w.sents_out[0].end, (uint32_t)(strstr(text, "U.S. The") - text + 4));
    assert_int_equal(w.toks[9].sentence, 1);
    assert_true(w.toks[9].barrier);
    assert_int_equal(w.toks[8].sentence, 0);
    nc_segworker_free(&w);
    free(u);

    /* before_number: no break when a number follows, a break otherwise */
    assert_str_take(sents(seg, "Art. 5 The treaty applies."), "<Art. 5 The treaty applies.>");
    assert_str_take(sents(seg, "Under No. 3 the rule holds."), "<Under No. 3 the rule holds.>");
    assert_str_take(sents(seg, "See Art. The end."), "<See Art.><The end.>");
    /* always */
    assert_str_take(sents(seg, "See e.g. The Times."), "<See e.g. The Times.>");
    assert_str_take(sents(seg, "Amb. Jones spoke."), "<Amb. Jones spoke.>");
    /* ambiguous: a break only before a sentence opener */
    assert_str_take(sents(seg, "The U.S. Navy left."), "<The U.S. Navy left.>");
    assert_str_take(sents(seg, "Made in the U.K. We agree."), "<Made in the U.K.><We agree.>");
    /* initials */
    assert_str_take(sents(seg, "J. Smith arrived."), "<J. Smith arrived.>");
    /* ordinary sentence ends */
    assert_str_take(sents(seg, "It ended. Then? Yes! Fine."), "<It ended.><Then?><Yes!><Fine.>");
    nc_segmenter_free(seg);

    /* without the table, ICU's own rules: "Gen." ends a sentence */
    nc_seg_options o = defopts();
    o.default_abbreviations = 0;
    seg = mkseg(o);
    assert_str_take(sents(seg, "Gen. Smith met us."), "<Gen.><Smith met us.>");
    nc_segmenter_free(seg);
}

static void test_line_breaks(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    /* a single line break inside a sentence does not split it; a blank line does */
    assert_str_take(sents(seg, "One line\nwraps here. Next\n\nPara two."),
                    "<One line\nwraps here.><Next><Para two.>");
    assert_str_take(sents(seg, "Title\nBody text"), "<Title\nBody text>");
    assert_str_take(sents(seg, "Title\n  \nBody text"), "<Title><Body text>");
    assert_str_take(sents(seg, "Title\n\n\n\nBody text"), "<Title><Body text>");
    /* the wrapped phrase stays one n-gram run */
    assert_str_take(toks(seg, "strongly\ncondemn"), "|strongly condemn");
    nc_segmenter_free(seg);

    nc_seg_options o = defopts();
    o.paragraph_lines = 1;
    seg = mkseg(o);
    assert_str_take(sents(seg, "One line\nwraps here. Next\n\nPara two."),
                    "<One line><wraps here.><Next><Para two.>");
    assert_str_take(sents(seg, "Title\nBody text"), "<Title><Body text>");
    assert_str_take(toks(seg, "strongly\ncondemn"), "|strongly |condemn");
    nc_segmenter_free(seg);
}

/* Regression (fixed; csrc/segment/sentences.c, suppress_break): a listed
 * abbreviation (or an initial) suppresses the sentence break after it even
 * when that break is a paragraph break: with the default paragraph_lines=0
 * a blank line after "U.S." or "Amb." does not end the sentence, and with
 * paragraph_lines=1 a line break after one does not either, so n-grams such
 * as "u.s. russia" run across paragraphs. suppress_break should leave a
 * boundary alone when the white space between the period and the boundary
 * holds a line break in the text ICU was given (the blanked copy). */
static void test_blank_line_after_abbreviation_is_a_break(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    char *s1 = sents(seg, "Made in the U.S.\n\nRussia denied it.");
    char *s2 = sents(seg, "Statement by Amb.\n\nJones said it.");
    char *t1 = toks(seg, "Made in the U.S.\n\nRussia denied it.");
    nc_segmenter_free(seg);
    nc_seg_options o = defopts();
    o.paragraph_lines = 1;
    seg = mkseg(o);
    char *s3 = sents(seg, "Statement by Amb.\nJones said it.");
    nc_segmenter_free(seg);
    int ok = tu_same(s1, "<Made in the U.S.><Russia denied it.>");
    ok &= tu_same(s2, "<Statement by Amb.><Jones said it.>");
    ok &= tu_same(t1, "|made in the u.s. |russia denied it");
    ok &= tu_same(s3, "<Statement by Amb.><Jones said it.>");
    assert_true(ok);
}

static void test_crlf(void **state)
{
    (void)state;
    const char *text = "first line\r\nwraps.\r\n\r\nNext para.\r\n";
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(sents(seg, text), "<first line\r\nwraps.><Next para.>");
    assert_str_take(sents(seg, "A b\r\nc d"), "<A b\r\nc d>");
    assert_str_take(toks(seg, "A b\r\nc d"), "|a b c d");
    assert_str_take(sents(seg, "A b\r\n\r\nc d"), "<A b><c d>");
    assert_str_take(toks(seg, "A b\r\n\r\nc d"), "|a b |c d");
    nc_segmenter_free(seg);
    nc_seg_options o = defopts();
    o.paragraph_lines = 1;
    seg = mkseg(o);
    assert_str_take(sents(seg, text), "<first line><wraps.><Next para.>");
    assert_str_take(sents(seg, "A b\r\nc d"), "<A b><c d>");
    nc_segmenter_free(seg);
}

static void test_user_abbreviation(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(sents(seg, "Cdr. Jones left."), "<Cdr.><Jones left.>");
    assert_str_take(toks(seg, "Cdr. Jones left."), "|cdr |jones left");
    size_t len;
    UChar *a = tu_u16("Cdr.", &len);
    assert_int_equal(nc_segmenter_add_abbreviation(seg, a, len, NC_ABBR_ALWAYS), NC_OK);
    free(a);
    assert_str_take(sents(seg, "Cdr. Jones left."), "<Cdr. Jones left.>");
    assert_str_take(toks(seg, "Cdr. Jones left."), "|cdr. jones left");
    /* matched case-sensitively */
    assert_str_take(sents(seg, "Go to CDR. Jones left."), "<Go to CDR.><Jones left.>");
    nc_segmenter_free(seg);
}

static void test_invalid_abbreviation(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    size_t n0 = 0;
    const UChar *ab;
    size_t len;
    nc_abbr_class cls;
    while (nc_segmenter_abbreviation(seg, n0, &ab, &len, &cls))
        n0++;
    UChar *nodot = tu_u16("Cdr", &len);
    assert_int_equal(nc_segmenter_add_abbreviation(seg, nodot, len, NC_ABBR_ALWAYS), NC_EINVAL);
    free(nodot);
    assert_int_equal(nc_segmenter_add_abbreviation(seg, (const UChar[]){'.'}, 0, NC_ABBR_ALWAYS),
                     NC_EINVAL);
    UChar *ok = tu_u16("Xyz.", &len);
    assert_int_equal(nc_segmenter_add_abbreviation(seg, ok, len, (nc_abbr_class)0), NC_EINVAL);
    assert_int_equal(nc_segmenter_add_abbreviation(seg, ok, len, (nc_abbr_class)4), NC_EINVAL);
    free(ok);
    UChar big[65];
    for (int i = 0; i < 64; i++)
        big[i] = 'a';
    big[64] = '.';
    assert_int_equal(nc_segmenter_add_abbreviation(seg, big, 65, NC_ABBR_ALWAYS), NC_EINVAL);
    size_t n1 = 0;
    while (nc_segmenter_abbreviation(seg, n1, &ab, &len, &cls))
        n1++;
    assert_int_equal(n1, n0); /* nothing was added */
    nc_segmenter_free(seg);
}

static int find_abbr(const nc_segmenter *seg, const char *ascii, nc_abbr_class *cls)
{
    const UChar *ab;
    size_t len;
    nc_abbr_class c;
    for (size_t i = 0; nc_segmenter_abbreviation(seg, i, &ab, &len, &c); i++) {
        if (len != strlen(ascii))
            continue;
        size_t k = 0;
        while (k < len && ab[k] == (UChar)ascii[k])
            k++;
        if (k == len) {
            *cls = c;
            return 1;
        }
    }
    return 0;
}

static void test_abbreviation_table(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    nc_abbr_class cls;
    assert_true(find_abbr(seg, "Gen.", &cls));
    assert_int_equal(cls, NC_ABBR_ALWAYS);
    assert_true(find_abbr(seg, "e.g.", &cls));
    assert_int_equal(cls, NC_ABBR_ALWAYS);
    assert_true(find_abbr(seg, "Art.", &cls));
    assert_int_equal(cls, NC_ABBR_BEFORE_NUMBER);
    assert_true(find_abbr(seg, "U.S.", &cls));
    assert_int_equal(cls, NC_ABBR_AMBIGUOUS);
    assert_false(find_abbr(seg, "Cdr.", &cls));
    const UChar *ab;
    size_t len, n = 0;
    while (nc_segmenter_abbreviation(seg, n, &ab, &len, &cls)) {
        assert_true(len > 0);
        assert_int_equal(ab[len - 1], '.');
        n++;
    }
    assert_true(n > 50);
    assert_int_equal(nc_segmenter_abbreviation(seg, n + 100, &ab, &len, &cls), 0);

    /* re-adding reclassifies instead of duplicating */
    assert_str_take(sents(seg, "Gen. The end."), "<Gen. The end.>");
    UChar *g = tu_u16("Gen.", &len);
    assert_int_equal(nc_segmenter_add_abbreviation(seg, g, len, NC_ABBR_AMBIGUOUS), NC_OK);
    free(g);
    size_t n2 = 0;
    while (nc_segmenter_abbreviation(seg, n2, &ab, &len, &cls))
        n2++;
    assert_int_equal(n2, n);
    assert_true(find_abbr(seg, "Gen.", &cls));
    assert_int_equal(cls, NC_ABBR_AMBIGUOUS);
    assert_str_take(sents(seg, "Gen. The end."), "<Gen.><The end.>");
    assert_str_take(sents(seg, "Gen. Smith left."), "<Gen. Smith left.>");
    nc_segmenter_free(seg);

    nc_seg_options o = defopts();
    o.default_abbreviations = 0;
    seg = mkseg(o);
    assert_int_equal(nc_segmenter_abbreviation(seg, 0, &ab, &len, &cls), 0);
    nc_segmenter_free(seg);
}

/* Many user abbreviations (the lookup is a hash index, rebuilt as it grows):
 * each is found, keeps its place in the table and can be reclassified. */
static void test_many_abbreviations(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    size_t before = 0, len;
    const UChar *ab;
    nc_abbr_class cls;
    while (nc_segmenter_abbreviation(seg, before, &ab, &len, &cls))
        before++;
    char name[32];
    for (int i = 0; i < 600; i++) {
        snprintf(name, sizeof name, "Qx%d.", i);
        UChar *u = tu_u16(name, &len);
        assert_int_equal(nc_segmenter_add_abbreviation(seg, u, len, NC_ABBR_ALWAYS), NC_OK);
        free(u);
    }
    for (int i = 0; i < 600; i += 7) {
        snprintf(name, sizeof name, "Qx%d.", i);
        assert_true(nc_segmenter_abbreviation(seg, before + (size_t)i, &ab, &len, &cls));
        char *got = tu_utf8(ab, len);
        assert_string_equal(got, name);
        free(got);
        assert_int_equal(cls, NC_ABBR_ALWAYS);
        char text[64];
        snprintf(text, sizeof text, "Met %s Smith there.", name);
        char want[80];
        snprintf(want, sizeof want, "<%s>", text);
        assert_str_take(sents(seg, text), want);
    }
    assert_str_take(sents(seg, "Met Qx600. Smith there."), "<Met Qx600.><Smith there.>");
    assert_true(find_abbr(seg, "Gen.", &cls)); /* the defaults are still there */
    UChar *u = tu_u16("Qx42.", &len);
    assert_int_equal(nc_segmenter_add_abbreviation(seg, u, len, NC_ABBR_BEFORE_NUMBER), NC_OK);
    free(u);
    assert_true(find_abbr(seg, "Qx42.", &cls));
    assert_int_equal(cls, NC_ABBR_BEFORE_NUMBER);
    assert_str_take(sents(seg, "Met Qx42. Smith there."), "<Met Qx42.><Smith there.>");
    size_t after = 0;
    while (nc_segmenter_abbreviation(seg, after, &ab, &len, &cls))
        after++;
    assert_int_equal(after, before + 600);
    nc_segmenter_free(seg);
}

static nc_status try_locale(const char *loc)
{
    nc_seg_options o = defopts();
    o.locale = loc;
    nc_segmenter *s = (nc_segmenter *)1;
    UErrorCode icu;
    nc_status r = nc_segmenter_new(&o, &s, &icu);
    if (r == NC_OK) {
        assert_non_null(s);
        /* the segmenter keeps its own copy of the canonical locale */
        assert_non_null(nc_segmenter_options(s)->locale);
        assert_ptr_not_equal(nc_segmenter_options(s)->locale, loc);
    } else {
        assert_null(s);
    }
    nc_segmenter_free(s);
    return r;
}

static void test_locales(void **state)
{
    (void)state;
    assert_int_equal(try_locale("xx"), NC_EINVAL);
    assert_int_equal(try_locale("english"), NC_EINVAL);
    assert_int_equal(try_locale("zz-GB"), NC_EINVAL);
    assert_int_equal(try_locale("en-XY"), NC_EINVAL); /* unknown region */
    assert_int_equal(try_locale("en-"), NC_EINVAL);
    assert_int_equal(try_locale("en-GB"), NC_OK);
    assert_int_equal(try_locale("en_US"), NC_OK);
    assert_int_equal(try_locale("de"), NC_OK);
    assert_int_equal(try_locale("fr-CA"), NC_OK);
    assert_int_equal(try_locale(""), NC_OK);
    assert_int_equal(try_locale(NULL), NC_OK);
    nc_seg_options o = defopts();
    o.locale = "en-GB";
    nc_segmenter *s = mkseg(o);
    assert_string_equal(nc_segmenter_options(s)->locale, "en_GB");
    nc_segmenter_free(s);
}

/* Regression (fixed; csrc/segment/locale.c, nc_locale_canonical): only the language and region subtags
 * are checked, so an unknown script subtag is accepted: "en-ZZZZ" (and
 * "en-Abcd") silently fall back to English rules instead of NC_EINVAL. */
static void test_locale_unknown_script_rejected(void **state)
{
    (void)state;
    assert_int_equal(try_locale("en-Latn"), NC_OK);
    /* Zzzz is ISO 15924's registered code for an uncoded script */
    assert_int_equal(try_locale("en-Zzzz"), NC_OK);
    assert_int_equal(try_locale("en-Abcd"), NC_EINVAL);
}

static void test_stem_option(void **state)
{
    (void)state;
    nc_seg_options o = defopts();
    o.stem_language = "english";
    nc_segmenter *seg = mkseg(o);
    assert_str_take(toks(seg, "NATO condemns the attacks of 2014"),
                    "|nato condemn the attack of 2014");
    nc_segmenter_free(seg);
    o.stem_language = "klingon";
    nc_segmenter *bad = (nc_segmenter *)1;
    UErrorCode icu;
    assert_int_equal(nc_segmenter_new(&o, &bad, &icu), NC_EINVAL);
    assert_null(bad);
}

static void test_keep_case_option(void **state)
{
    (void)state;
    nc_seg_options o = defopts();
    o.keep_case = 1;
    nc_segmenter *seg = mkseg(o);
    assert_str_take(toks(seg, "NATO’s Council met Gen. Smith"), "|NATO's Council met Gen. Smith");
    nc_segmenter_free(seg);
}

/* Each token's sentence index names the span that contains it, a change of
 * sentence always sets the barrier, and spans are trimmed. */
static void test_token_sentence_consistency(void **state)
{
    (void)state;
    const char *texts[] = {
        "  Leading space. Gen. Smith said: \"We condemn it.\"  Trailing\u00A0space.\t\n",
        "A b.\n\nC d!\r\n\r\n  E f? (G h.) I j.",
        "No. 5 is here. The U.S. The U.K. and e.g. the E.U. Done… Really?!",
        "\u00A0\u2003x\u2003",
    };
    nc_seg_options o = defopts();
    for (int keep = 0; keep < 2; keep++) {
        o.keep_punct = o.keep_symbols = keep;
        nc_segmenter *seg = mkseg(o);
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            nc_segworker w;
            nc_text t;
            UChar *u;
            run(seg, texts[k], &w, &t, &u);
            free(sents_of(&w, u, t.len16)); /* checks trimming and order */
            assert_true(w.nsents > 0);
            uint32_t last = 0;
            for (size_t i = 0; i < w.ntoks; i++) {
                const nc_rawtok *tk = &w.toks[i];
                assert_true(tk->sentence < w.nsents);
                assert_true(tk->sentence >= last);
                assert_true(w.sents_out[tk->sentence].start <= tk->start);
                assert_true(tk->end <= w.sents_out[tk->sentence].end);
                if (i == 0 || tk->sentence != last)
                    assert_true(tk->barrier);
                if (i > 0)
                    assert_true(w.toks[i - 1].end <= tk->start);
                last = tk->sentence;
            }
            nc_segworker_free(&w);
            free(u);
        }
        nc_segmenter_free(seg);
    }
}

static void test_empty_and_blank(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    assert_str_take(toks(seg, ""), "");
    assert_str_take(sents(seg, ""), "");
    assert_str_take(toks(seg, " \t\n\n \u00A0"), "");
    assert_str_take(sents(seg, " \t\n\n \u00A0"), "");
    /* punctuation only: sentences without kept tokens */
    assert_str_take(toks(seg, "!!! ... ?"), "");
    assert_str_take(sents(seg, "!!! ... ?"), "<!!! ... ?>");
    assert_str_take(sents(seg, "!!! Then."), "<!!!><Then.>");
    nc_segmenter_free(seg);
}

/* Sentence breaking over excerpts (the default for the root rules) gives
 * exactly the boundaries of breaking the whole text, on random texts made of
 * the characters the sentence rules care about: terminators, closers,
 * spaces, separators, letters of both cases, digits, combining and format
 * characters, other scripts and abbreviations. */
static void test_sentence_excerpts_match_whole_text(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "a", "b", "Z", "The", "etc", "nato", "U.S.", "Gen.", "e.g.", ".", ".", ".", "!", "?",
        " ", " ", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\r", "\xe2\x80\xa9", "\xc2\x85", ")",
        "(", "\"", "'", "\xe2\x80\x9d", "\xe2\x80\x99", "5", "12", ",", ";", ":", "-",
        "\xcc\x81", "\xc2\xad", "\xe2\x80\x8d", "\xc3\xa9", "\xc3\x89", "\xe3\x80\x82",
        "\xe2\x80\xa4", "\xef\xbc\x8e", "\xd0\x96\xd0\xb6", "\xf0\x9f\x98\x80", "\xe2\x80\xa6"};
    const size_t nparts = sizeof parts / sizeof *parts;
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    for (int lines = 0; lines < 2; lines++) {
        nc_seg_options o = defopts();
        o.paragraph_lines = lines;
        nc_segmenter *fast = mkseg(o), *whole = mkseg(o);
        assert_true(nc_segmenter_sentence_excerpts(fast));
        nc_segmenter_set_sentence_excerpts(whole, 0);
        assert_false(nc_segmenter_sentence_excerpts(whole));
        nc_segworker wf, ww;
        assert_int_equal(nc_segworker_init(&wf, fast), NC_OK);
        assert_int_equal(nc_segworker_init(&ww, whole), NC_OK);
        char buf[1024];
        size_t multi = 0;
        for (int k = 0; k < 20000; k++) {
            tu_random_parts(buf, parts, nparts, 0, 58, &rng); /* 0..63 parts */
            size_t n;
            UChar *u = tu_u16(buf, &n);
            nc_text t;
            nc_text_init(&t);
            assert_int_equal(nc_text_set(&t, 2, u, n), NC_OK);
            assert_int_equal(nc_segment_sentences(&wf, &t), NC_OK);
            assert_int_equal(nc_segment_sentences(&ww, &t), NC_OK);
            if (wf.nbounds != ww.nbounds ||
                memcmp(wf.bounds, ww.bounds, wf.nbounds * sizeof *wf.bounds) != 0)
                fail_msg("excerpts and whole text differ (paragraph_lines=%d) on \"%s\"", lines, buf);
            assert_int_equal(wf.nsents, ww.nsents);
            assert_memory_equal(wf.sents_out, ww.sents_out, wf.nsents * sizeof *wf.sents_out);
            multi += ww.nbounds > 1;
            nc_text_free(&t);
            free(u);
        }
        /* not vacuous: most texts have several sentences */
        assert_true(multi > 10000);
        /* Greek has sentence rules of its own (';' ends a question): whole texts */
        nc_seg_options og = o;
        og.locale = "el";
        nc_segmenter *greek = mkseg(og);
        assert_false(nc_segmenter_sentence_excerpts(greek));
        nc_segmenter_free(greek);
        nc_segworker_free(&wf);
        nc_segworker_free(&ww);
        nc_segmenter_free(fast);
        nc_segmenter_free(whole);
    }
}

/* The token's source text, "[start,end)text" per token. */
static char *spans(const nc_segmenter *seg, const char *u8)
{
    nc_segworker w;
    nc_text t;
    UChar *u;
    run(seg, u8, &w, &t, &u);
    tu_buf b = {0};
    for (size_t i = 0; i < w.ntoks; i++) {
        char *s = tu_utf8(u + w.toks[i].start, w.toks[i].end - w.toks[i].start);
        tu_add(&b, "%s[%u,%u)%s", i ? " " : "", w.toks[i].start, w.toks[i].end, s);
        free(s);
    }
    nc_segworker_free(&w);
    free(u);
    return tu_take(&b);
}

/* ICU's word rules let a segment begin with white space (before a combining
 * mark) and join U+202F NARROW NO-BREAK SPACE to letters and digits: tokens
 * are trimmed of it, and what is left of only white space and ignorables is
 * no token. Forms never hold white space (normalize.h). */
static void test_white_space_in_segments(void **state)
{
    (void)state;
    for (int plain = 0; plain < 2; plain++) {
        nc_seg_options o = defopts();
        o.keep_punct = o.keep_symbols = 1;
        nc_segmenter *seg = mkseg(o);
        nc_segmenter_set_plain_words(seg, plain);
        /* French typography puts U+202F before ":" "?" "!" ";" */
        assert_str_take(spans(seg, "Paris\u202F: oui"), "[0,5)Paris [6,7): [8,11)oui");
        assert_str_take(toks(seg, "Paris\u202F: oui\u202F?"), "|paris : oui ?");
        assert_str_take(kinds(seg, "10\u202F000 euros"), "n w");
        assert_str_take(toks(seg, "10\u202F000 euros"), "|10000 euros");
        /* a combining mark after a no-break space, a tab, an ideographic space */
        assert_str_take(spans(seg, "x \u00A0\u0301 y"), "[0,1)x [3,4)\u0301 [5,6)y");
        assert_str_take(spans(seg, "x \t\u0301 y"), "[0,1)x [3,4)\u0301 [5,6)y");
        assert_str_take(spans(seg, "x \u3000\u0301 y"), "[0,1)x [3,4)\u0301 [5,6)y");
        assert_str_take(spans(seg, "x \U00016FE4 y"), "[0,1)x [2,4)\U00016FE4 [5,6)y");
        /* nothing visible left: no token and no barrier, like a space */
        assert_str_take(toks(seg, "x \u202F\u00AD\u202F y"), "|x y");
        assert_str_take(toks(seg, "x \u202F\u202F y"), "|x y");
        /* the compatibility characters whose NFKC holds a space stay one token */
        assert_str_take(toks(seg, "Muhammad \uFDFA said"), "|muhammad \uFDFA said");
        assert_str_take(toks(seg, "caf\u00E9\u00B4 ok"), "|caf\u00E9 \u00B4 ok");
        nc_segmenter_free(seg);
    }
}

/* A worker reused across documents gives what a fresh one gives. */
static void test_worker_reuse(void **state)
{
    (void)state;
    nc_segmenter *seg = mkseg(defopts());
    const char *docs[] = {"Gen. Smith met the U.S. Secretary. The end.", "",
                          "cyber-attack 😀 on\n\nthe grid", "Gen. Smith met the U.S. Secretary. The end."};
    nc_segworker w;
    assert_int_equal(nc_segworker_init(&w, seg), NC_OK);
    for (size_t k = 0; k < 4; k++) {
        size_t n;
        UChar *u = tu_u16(docs[k], &n);
        nc_text t;
        nc_text_init(&t);
        assert_int_equal(nc_text_set(&t, 2, u, n), NC_OK);
        assert_int_equal(nc_segment(&w, &t), NC_OK);
        char *got = toks_of(&w, &t);
        char *want = toks(seg, docs[k]);
        assert_string_equal(got, want);
        free(got);
        free(want);
        free(u);
    }
    nc_segworker_free(&w);
    nc_segmenter_free(seg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_kinds),
        cmocka_unit_test(test_emoji),
        cmocka_unit_test(test_punct_barrier),
        cmocka_unit_test(test_hyphens_keep),
        cmocka_unit_test(test_hyphens_split),
        cmocka_unit_test(test_drop_numbers),
        cmocka_unit_test(test_letters_with_digits_are_words),
        cmocka_unit_test(test_possessive),
        cmocka_unit_test(test_abbreviation_period),
        cmocka_unit_test(test_sentences_abbreviations),
        cmocka_unit_test(test_line_breaks),
        cmocka_unit_test(test_blank_line_after_abbreviation_is_a_break),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_user_abbreviation),
        cmocka_unit_test(test_invalid_abbreviation),
        cmocka_unit_test(test_abbreviation_table),
        cmocka_unit_test(test_many_abbreviations),
        cmocka_unit_test(test_locales),
        cmocka_unit_test(test_locale_unknown_script_rejected),
        cmocka_unit_test(test_stem_option),
        cmocka_unit_test(test_keep_case_option),
        cmocka_unit_test(test_token_sentence_consistency),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_worker_reuse),
        cmocka_unit_test(test_white_space_in_segments),
        cmocka_unit_test(test_sentence_excerpts_match_whole_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
