/* The multi-pattern matcher over real token stores: globs, alternatives,
 * optional words, gaps, punctuation and sentence boundaries, overlap
 * policies, negation and hypothetical cues, stemming, compile errors,
 * agreement with a brute-force matcher on random input, any number of
 * workers, and allocation failures. */
#include "testutil.h"

#include "util/alloc.h"
#include "match/matcher.h"

static nc_seg_options defopts(void)
{
    return (nc_seg_options){"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
}

/* ---- fixtures --------------------------------------------------------------- */

typedef struct {
    nc_segmenter *seg;
    nc_tokstore ts;
    tu_pep *pep;
    size_t n;
} store;

static void store_build(store *s, const char *const *texts, size_t n, int workers)
{
    UErrorCode icu;
    nc_seg_options o = defopts();
    assert_int_equal(nc_segmenter_new(&o, &s->seg, &icu), NC_OK);
    s->n = n;
    s->pep = tu_xmalloc((n ? n : 1) * sizeof *s->pep);
    nc_docsrc *src = tu_xmalloc((n ? n : 1) * sizeof *src);
    for (size_t i = 0; i < n; i++) {
        s->pep[i] = tu_pep393(texts[i], 0);
        src[i] = (nc_docsrc){s->pep[i].data, s->pep[i].len, s->pep[i].kind};
    }
    nc_build_opts bo = {workers, NULL, NULL, NULL};
    nc_build_error err;
    assert_int_equal(nc_tokstore_build(&s->ts, s->seg, src, n, &bo, &err), NC_OK);
    free(src);
}

static void store_free(store *s)
{
    nc_tokstore_free(&s->ts);
    nc_segmenter_free(s->seg);
    for (size_t i = 0; i < s->n; i++)
        free(s->pep[i].data);
    free(s->pep);
}

/* Pattern words normalized by the same segmenter as the text. */
typedef struct {
    nc_segworker w;
    nc_text t;
} wordnorm;

static nc_status norm_word(void *ctx, const char *word, size_t len, int glob, nc_strlist *out)
{
    (void)glob;
    wordnorm *wn = ctx;
    tu_pep p = tu_pep393n(word, len, 0);
    nc_status r = nc_text_set(&wn->t, p.kind, p.data, p.len);
    if (!r)
        r = nc_segment(&wn->w, &wn->t);
    for (size_t i = 0; !r && i < wn->w.ntoks; i++) {
        const char *f;
        size_t fl;
        r = nc_segworker_norm(&wn->w, &wn->t, &wn->w.toks[i], &f, &fl);
        if (!r)
            r = nc_strlist_add(out, f, fl);
    }
    free(p.data);
    return r;
}

typedef struct {
    const char *pattern;
    uint32_t category;
    uint8_t role;
} spec;

/* Negation, cancelling, hypothetical and scope-breaking cues much like the
 * Python defaults. */
static const spec CUES[] = {
    {"not", 0, NC_ROLE_NEGATOR},
    {"*n't", 0, NC_ROLE_NEGATOR},
    {"(no|never|without|neither|nor|cannot)", 0, NC_ROLE_NEGATOR},
    {"(stop|stops|stopped|stopping) short of", 0, NC_ROLE_NEGATOR},
    {"(refrain|refrains|refrained|refraining) from", 0, NC_ROLE_NEGATOR},
    {"not (only|just)", 0, NC_ROLE_CANCEL},
    {"(not|never|*n't) hesitate", 0, NC_ROLE_CANCEL},
    {"no doubt", 0, NC_ROLE_CANCEL},
    {"(could|might|would|if)", 0, NC_ROLE_HYPO},
    {"(in|under) (certain|some) circumstances", 0, NC_ROLE_HYPO},
    {"(but|although|which)", 0, NC_ROLE_BREAK},
};
#define NCUES (sizeof CUES / sizeof *CUES)

static nc_lexicon *compile(const nc_segmenter *seg, const spec *sp, size_t n, int cues,
                           const char *stem)
{
    size_t total = n + (cues ? NCUES : 0);
    nc_pat_spec *ps = tu_xmalloc(total * sizeof *ps);
    for (size_t i = 0; i < total; i++) {
        const spec *x = i < n ? &sp[i] : &CUES[i - n];
        ps[i] = (nc_pat_spec){x->pattern, strlen(x->pattern), x->category, x->role};
    }
    wordnorm wn;
    assert_int_equal(nc_segworker_init(&wn.w, seg), NC_OK);
    nc_text_init(&wn.t);
    nc_lexicon *lx = NULL;
    nc_lex_error err;
    nc_status r = nc_lexicon_compile(ps, total, norm_word, &wn, stem, &lx, &err);
    nc_segworker_free(&wn.w);
    nc_text_free(&wn.t);
    free(ps);
    if (r)
        fail_msg("compile failed: pattern %zu pos %zu: %s", err.pattern, err.pos,
                 err.msg ? err.msg : nc_status_name(r));
    return lx;
}

static nc_match_opts mopts(int overlap)
{
    nc_match_opts o;
    memset(&o, 0, sizeof o);
    o.overlap = overlap;
    o.neg_window = 3;
    o.hyp_window = 10;
    o.workers = 1;
    return o;
}

/* "doc:pattern:text" per hit, with ! for negated and ? for hypothetical,
 * " | " between hits. Also checks the hits' shape. */
static char *dump_hits(const store *s, const nc_hits *h)
{
    tu_buf b = {0};
    for (size_t i = 0; i < h->n; i++) {
        const tu_pep *p = &s->pep[h->doc[i]];
        assert_true(h->start[i] < h->end[i] && h->end[i] <= p->len);
        assert_true(h->tok_start[i] < h->tok_end[i]);
        assert_int_equal(h->sentence[i], nc_doc_sentence_of(&s->ts, h->doc[i], h->tok_start[i]));
        assert_int_equal(h->sentence[i], nc_doc_sentence_of(&s->ts, h->doc[i], h->tok_end[i] - 1));
        if (i)
            assert_true(h->doc[i - 1] < h->doc[i] ||
                        (h->doc[i - 1] == h->doc[i] && h->tok_start[i - 1] <= h->tok_start[i]));
        char *txt = tu_pep_slice(p, h->start[i], h->end[i]);
        tu_add(&b, "%s%u:%u:%s%s%s", i ? " | " : "", h->doc[i], h->pattern[i], txt,
               (h->flags[i] & NC_HIT_NEGATED) ? "!" : "",
               (h->flags[i] & NC_HIT_HYPOTHETICAL) ? "?" : "");
        free(txt);
    }
    return tu_take(&b);
}

/* Compiles, scans and dumps in one go. */
static char *run(const char *const *texts, size_t nt, const spec *sp, size_t np, int cues,
                 const nc_match_opts *o)
{
    store s;
    store_build(&s, texts, nt, 1);
    nc_lexicon *lx = compile(s.seg, sp, np, cues, NULL);
    nc_hits h;
    nc_status r = nc_match(lx, &s.ts, o, &h);
    if (r)
        fail_msg("nc_match: %s", nc_status_name(r));
    char *out = dump_hits(&s, &h);
    nc_hits_free(&h);
    nc_lexicon_free(lx);
    store_free(&s);
    return out;
}

#define ARRAY(...) ((const char *const[]){__VA_ARGS__})
#define NARGS(...) (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))
#define TEXTS(...) ARRAY(__VA_ARGS__), NARGS(__VA_ARGS__)

static char *run1(const char *text, const char *pattern, int overlap)
{
    spec sp = {pattern, 0, NC_ROLE_MARKER};
    nc_match_opts o = mopts(overlap);
    return run(&text, 1, &sp, 1, 1, &o);
}

/* ---- the pattern language over real text --------------------------------------- */

static void test_inflection_and_globs(void **state)
{
    (void)state;
    assert_str_take(run1("NATO condemns the attack. We condemned it; condemnation follows. Condemn!",
                         "condemn*", 0),
                    "0:0:condemns | 0:0:condemned | 0:0:condemnation | 0:0:Condemn");
    /* a suffix glob; curly and straight apostrophes normalize alike */
    assert_str_take(run1("They didn’t act and won't.", "*n't", 0), "0:0:didn’t | 0:0:won't!");
    /* a glob on a word with an inner apostrophe or period */
    assert_str_take(run1("Russia’s GRU, Russia's SVR and Russian FSB.", "russia's", 0),
                    "0:0:Russia’s | 0:0:Russia's");
    assert_str_take(run1("The U.S. and the U.N. Charter.", "(u.s.|u.n. charter)", 0),
                    "0:0:U.S. | 0:0:U.N. Charter");
    /* a form that merely starts like the glob's word is not matched by the
     * literal word */
    assert_str_take(run1("Deterrence and determination.", "deter", 0), "");
    /* full-width letters and case fold like the text */
    assert_str_take(run1("ＮＡＴＯ CONDEMNS it.", "nato condemn*", 0), "0:0:ＮＡＴＯ CONDEMNS");
}

static void test_gaps_and_optional(void **state)
{
    (void)state;
    assert_str_take(run1("We strongly and unequivocally condemn it.", "strongly ~3 condemn*", 0),
                    "0:0:strongly and unequivocally condemn");
    assert_str_take(run1("We strongly a b c d condemn it.", "strongly ~3 condemn*", 0), "");
    assert_str_take(run1("We strongly a b c condemn it.", "strongly ~3 condemn*", 0),
                    "0:0:strongly a b c condemn");
    const char *choosing = "at? a? (time|place|manner) ~5 of our own? choosing";
    assert_str_take(run1("We will respond at a time and in a manner of our choosing.", choosing, 0),
                    "0:0:at a time and in a manner of our choosing");
    assert_str_take(run1("We will respond in a time and manner of our choosing.", choosing, 0),
                    "0:0:a time and manner of our choosing");
    assert_str_take(run1("At a time and place of our own choosing, we act.", choosing, 0),
                    "0:0:At a time and place of our own choosing");
    assert_str_take(run1("Time, place and manner of our choosing.", choosing, 0),
                    "0:0:Time, place and manner of our choosing");
    /* multi-word alternatives */
    assert_str_take(run1("It was carried out by the GRU and conducted by others.",
                         "(carried out|conducted) by", 0),
                    "0:0:carried out by | 0:0:conducted by");
    /* per start, the fewest tokens in gaps, then the longest */
    assert_str_take(run1("strongly condemn and condemn", "strongly ~3 condemn*", 2),
                    "0:0:strongly condemn");
    assert_str_take(run1("measures restrictive now", "measures restrictive?", 2),
                    "0:0:measures restrictive");
    /* an optional word between gaps: the gaps add up when it is absent */
    assert_str_take(run1("a x y z w b", "a ~2 q? ~2 b", 0), "0:0:a x y z w b");
}

static void test_punctuation_and_sentences(void **state)
{
    (void)state;
    /* adjacent words do not match across punctuation; a gap does */
    assert_str_take(run1("Under international, law.", "international law", 0), "");
    assert_str_take(run1("Under international law.", "international law", 0),
                    "0:0:international law");
    assert_str_take(run1("We condemn, in the strongest terms, the attack.",
                         "condemn* ~4 strongest terms", 0),
                    "0:0:condemn, in the strongest terms");
    assert_str_take(run1("We condemn, strongly.", "condemn* ~2 strongly", 0),
                    "0:0:condemn, strongly");
    nc_match_opts o = mopts(0);
    o.flags = NC_MATCH_IGNORE_PUNCT;
    spec sp = {"international law", 0, NC_ROLE_MARKER};
    const char *t = "Under international, law.";
    assert_str_take(run(&t, 1, &sp, 1, 1, &o), "0:0:international, law");
    /* never across a sentence boundary, even with a gap or ignored punctuation */
    assert_str_take(run1("We condemn. Strongly worded.", "condemn* ~3 strongly", 0), "");
    t = "We condemn. Strongly worded.";
    sp.pattern = "condemn strongly";
    assert_str_take(run(&t, 1, &sp, 1, 1, &o), "");
    /* abbreviations do not end the sentence */
    assert_str_take(run1("Allies invoked Art. 5 today. Gen. Smith agreed.",
                         "(article|art.|art) (5|v|five)", 0),
                    "0:0:Art. 5");
    /* line breaks, non-breaking spaces and soft hyphens inside a phrase */
    assert_str_take(run1("a coordinated\nresponse, a co\xc2\xadordinated\xc2\xa0response",
                         "(coordinated|co-ordinated) response", 0),
                    "0:0:coordinated\nresponse | 0:0:co\xc2\xadordinated\xc2\xa0response");
}

static void test_overlap_policies(void **state)
{
    (void)state;
    const spec sp[] = {
        {"condemn*", 0, NC_ROLE_MARKER},
        {"strongly ~3 condemn*", 0, NC_ROLE_MARKER},
        {"strongly", 1, NC_ROLE_MARKER},
    };
    const char *t = "We strongly condemn it.";
    nc_match_opts o = mopts(NC_OVERLAP_CATEGORY);
    assert_str_take(run(&t, 1, sp, 3, 0, &o), "0:2:strongly | 0:1:strongly condemn");
    o.overlap = NC_OVERLAP_LEXICON;
    assert_str_take(run(&t, 1, sp, 3, 0, &o), "0:1:strongly condemn");
    o.overlap = NC_OVERLAP_ALL;
    assert_str_take(run(&t, 1, sp, 3, 0, &o),
                    "0:2:strongly | 0:1:strongly condemn | 0:0:condemn");
    /* partial overlap within a category: the longer wins, then the earlier */
    const spec ab[] = {{"a b", 0, NC_ROLE_MARKER}, {"b c d", 0, NC_ROLE_MARKER},
                       {"d e", 0, NC_ROLE_MARKER}};
    t = "a b c d e";
    o.overlap = NC_OVERLAP_CATEGORY;
    assert_str_take(run(&t, 1, ab, 3, 0, &o), "0:1:b c d");
    t = "a b x d e";
    assert_str_take(run(&t, 1, ab, 3, 0, &o), "0:0:a b | 0:2:d e");
    /* the same pattern string twice is two patterns */
    const spec twice[] = {{"x", 0, NC_ROLE_MARKER}, {"x", 1, NC_ROLE_MARKER}};
    t = "x";
    assert_str_take(run(&t, 1, twice, 2, 0, &o), "0:0:x | 0:1:x");
    o.overlap = NC_OVERLAP_LEXICON;
    assert_str_take(run(&t, 1, twice, 2, 0, &o), "0:0:x");
}

static void test_negation(void **state)
{
    (void)state;
    const spec sp[] = {{"condemn*", 0, NC_ROLE_MARKER},
                       {"(will not|won't) tolerate", 1, NC_ROLE_MARKER}};
    const char *const texts[] = {
        "The Council did not condemn the attack.",
        "They didn't condemn it.",
        "Allies stopped short of condemning Russia.",
        "We will not hesitate to condemn such acts.",
        "We won’t hesitate to condemn.",
        "We not only condemn the attack but also respond.",
        "There is no doubt that we condemn it.",
        "It is not clear, but we condemn it.",
        "We did not at any point condemn it.",
        "We did not at any point in time condemn it.",
        "We refrained from condemning it.",
        "They neither condemned nor praised it.",
        "We will not tolerate this.",
        "No condemnation was issued. We condemn it.",
    };
    nc_match_opts o = mopts(0);
    assert_str_take(run(texts, sizeof texts / sizeof *texts, sp, 2, 1, &o),
                    "0:0:condemn! | 1:0:condemn! | 2:0:condemning! | 3:0:condemn | 4:0:condemn | "
                    "5:0:condemn | 6:0:condemn | 7:0:condemn | 8:0:condemn! | 9:0:condemn | "
                    "10:0:condemning! | 11:0:condemned! | 12:1:will not tolerate | "
                    "13:0:condemnation! | 13:0:condemn");
    /* the window is configurable */
    o.neg_window = 5;
    const char *t = "We did not at any point in time condemn it.";
    assert_str_take(run(&t, 1, sp, 2, 1, &o), "0:0:condemn!");
    o.neg_window = 0;
    t = "We did not strongly condemn it. We did not condemn it.";
    assert_str_take(run(&t, 1, sp, 2, 1, &o), "0:0:condemn | 0:0:condemn!");
}

static void test_hypothetical(void **state)
{
    (void)state;
    const spec sp[] = {{"(article|art.) 5", 0, NC_ROLE_MARKER}, {"condemn*", 1, NC_ROLE_MARKER}};
    const char *const texts[] = {
        "A cyber attack could, in certain circumstances, lead to the invocation of Article 5.",
        "If attacked, Allies would invoke Art. 5 together.",
        "Article 5 could apply.",
        "We invoke Article 5.",
        "We could not condemn it.",
        "Such attacks might happen, but we condemn them.",
    };
    nc_match_opts o = mopts(0);
    assert_str_take(run(texts, sizeof texts / sizeof *texts, sp, 2, 1, &o),
                    "0:0:Article 5? | 1:0:Art. 5? | 2:0:Article 5 | 3:0:Article 5 | "
                    "4:1:condemn!? | 5:1:condemn");
    o.hyp_window = 2;
    assert_str_take(run(texts, 1, sp, 2, 1, &o), "0:0:Article 5");
}

static void test_stemming(void **state)
{
    (void)state;
    const char *text = "NATO condemned it, is condemning it and condemns it. Condemnation.";
    store s;
    store_build(&s, &text, 1, 1);
    const spec sp = {"condemn", 0, NC_ROLE_MARKER};
    nc_lexicon *lx = compile(s.seg, &sp, 1, 0, "english");
    nc_match_opts o = mopts(0);
    nc_hits h;
    assert_int_equal(nc_match(lx, &s.ts, &o, &h), NC_OK);
    assert_str_take(dump_hits(&s, &h),
                    "0:0:condemned | 0:0:condemning | 0:0:condemns | 0:0:Condemnation");
    nc_hits_free(&h);
    nc_lexicon_free(lx);
    /* unknown language */
    nc_pat_spec ps = {"x", 1, 0, 0};
    nc_lex_error err;
    assert_int_equal(nc_lexicon_compile(&ps, 1, NULL, NULL, "klingon", &lx, &err), NC_EINVAL);
    assert_null(lx);
    assert_int_equal(err.pattern, 1);
    assert_non_null(strstr(err.msg, "stemming"));
    store_free(&s);
}

static void test_compile_errors(void **state)
{
    (void)state;
    nc_lexicon *lx = (nc_lexicon *)1;
    nc_lex_error err;
    nc_pat_spec ps[3] = {{"fine", 4, 0, 0}, {"bad ~9 x", 8, 0, 0}, {"also fine", 9, 0, 0}};
    assert_int_equal(nc_lexicon_compile(ps, 3, NULL, NULL, NULL, &lx, &err), NC_EINVAL);
    assert_null(lx);
    assert_int_equal(err.pattern, 1);
    assert_int_equal(err.pos, 4);
    assert_non_null(strstr(err.msg, "~8"));
    assert_int_equal(nc_lexicon_compile(ps, 0, NULL, NULL, NULL, &lx, &err), NC_EINVAL);
    assert_non_null(strstr(err.msg, "no patterns"));
    /* a word that the tokenizer reduces to nothing */
    store s;
    const char *t = "x";
    store_build(&s, &t, 1, 1);
    wordnorm wn;
    assert_int_equal(nc_segworker_init(&wn.w, s.seg), NC_OK);
    nc_text_init(&wn.t);
    nc_pat_spec bad = {"we !!! condemn", 14, 0, 0};
    assert_int_equal(nc_lexicon_compile(&bad, 1, norm_word, &wn, NULL, &lx, &err), NC_EINVAL);
    assert_int_equal(err.pattern, 0);
    assert_int_equal(err.pos, 3);
    assert_non_null(strstr(err.msg, "no tokens"));
    /* too many expansions: 3 branches per group, 3^7 > 1024 */
    const char *many = "(a|b c)? (a|b c)? (a|b c)? (a|b c)? (a|b c)? (a|b c)? (a|b c)? z";
    nc_pat_spec mp = {many, strlen(many), 0, 0};
    assert_int_equal(nc_lexicon_compile(&mp, 1, norm_word, &wn, NULL, &lx, &err), NC_EINVAL);
    assert_int_equal(err.pos, 54);
    assert_non_null(strstr(err.msg, "1024"));
    /* 3^6 = 729 is fine */
    const char *fine = "(a|b c)? (a|b c)? (a|b c)? (a|b c)? (a|b c)? (a|b c)? z";
    mp = (nc_pat_spec){fine, strlen(fine), 0, 0};
    assert_int_equal(nc_lexicon_compile(&mp, 1, norm_word, &wn, NULL, &lx, &err), NC_OK);
    nc_lexicon_info info;
    nc_lexicon_get_info(lx, &info);
    assert_int_equal(info.paths, 729);
    nc_lexicon_free(lx);
    nc_segworker_free(&wn.w);
    nc_text_free(&wn.t);
    store_free(&s);
}

static void test_shared_prefixes(void **state)
{
    (void)state;
    /* patterns that share their beginning share trie states */
    nc_pat_spec ps[] = {{"strongly condemn", 16, 0, 0},
                        {"strongly condemn the attack", 27, 0, 0},
                        {"strongly deplore", 16, 0, 0},
                        {"(coordinated|collective) response", 33, 0, 0},
                        {"(collective|coordinated) response*", 34, 0, 0}};
    nc_lexicon *lx;
    assert_int_equal(nc_lexicon_compile(ps, 5, NULL, NULL, NULL, &lx, NULL), NC_OK);
    nc_lexicon_info info;
    nc_lexicon_get_info(lx, &info);
    /* root, strongly, condemn, the, attack, deplore, and coordinated and collective
     * each followed by response and response* */
    assert_int_equal(info.states, 12);
    assert_int_equal(info.symbols, 9);
    nc_lexicon_free(lx);
    /* single-word alternatives are expanded from the left while a pattern stays within
     * NC_LEX_MAX_PATHS; a group beyond that stays one class symbol */
    tu_buf b = {0};
    for (int g = 0; g < 2; g++) {
        tu_add(&b, "%s(", g ? " " : "");
        for (int i = 0; i < 40; i++)
            tu_add(&b, "%s%c%d", i ? "|" : "", 'a' + g, i);
        tu_add(&b, ")");
    }
    char *big = tu_take(&b);
    nc_pat_spec one = {big, strlen(big), 0, 0};
    assert_int_equal(nc_lexicon_compile(&one, 1, NULL, NULL, NULL, &lx, NULL), NC_OK);
    nc_lexicon_get_info(lx, &info);
    assert_int_equal(info.paths, 40);
    assert_int_equal(info.states, 1 + 40 + 40);
    assert_int_equal(info.symbols, 41);
    nc_lexicon_free(lx);
    free(big);
}

/* ---- brute force on random input ----------------------------------------------- */

static const char *const WORDS[] = {"a", "b", "c", "d", "e"};

/* Random text over five words with commas and full stops. */
static char *random_text(uint64_t *rs)
{
    tu_buf b = {0};
    int n = (int)(tu_rand(rs) % 40);
    for (int i = 0; i < n; i++) {
        tu_add(&b, "%s%s", i ? " " : "", WORDS[tu_rand(rs) % 5]);
        uint64_t p = tu_rand(rs) % 12;
        if (p == 0)
            tu_add(&b, ",");
        else if (p == 1)
            tu_add(&b, ".");
    }
    return tu_take(&b);
}

static char *random_pattern(uint64_t *rs)
{
    tu_buf b = {0};
    int n = 1 + (int)(tu_rand(rs) % 4), required = 0;
    if (tu_rand(rs) % 8 == 0) {
        /* two groups of 40 single words: 1600 sequences, so the second group stays
         * one class symbol (the matcher's other code path) */
        for (int g = 0; g < 2; g++) {
            tu_add(&b, "%s(", g ? " " : "");
            for (int a = 0; a < 40; a++)
                tu_add(&b, "%s%s", a ? "|" : "", WORDS[tu_rand(rs) % 5]);
            tu_add(&b, ")");
        }
        required = 1;
        tu_add(&b, " ");
    }
    for (int i = 0; i < n; i++) {
        if (i && tu_rand(rs) % 3 == 0)
            tu_add(&b, " ~%d", 1 + (int)(tu_rand(rs) % 3));
        int group = tu_rand(rs) % 3 == 0;
        tu_add(&b, "%s", i ? " " : "");
        if (group) {
            int na = 2 + (int)(tu_rand(rs) % 2);
            tu_add(&b, "(");
            for (int a = 0; a < na; a++) {
                tu_add(&b, "%s%s", a ? "|" : "", WORDS[tu_rand(rs) % 5]);
                if (tu_rand(rs) % 3 == 0)
                    tu_add(&b, " %s", WORDS[tu_rand(rs) % 5]);
            }
            tu_add(&b, ")");
        } else {
            tu_add(&b, "%s", WORDS[tu_rand(rs) % 5]);
        }
        int last = i + 1 == n;
        if (tu_rand(rs) % 4 == 0 && !(last && !required))
            tu_add(&b, "?");
        else
            required = 1;
    }
    return tu_take(&b);
}

typedef struct {
    const nc_tokstore *ts;
    size_t doc;
    uint32_t ntok, start;
    const nc_pattern *p;
    uint8_t *ends; /* ends[e] = 1: a match [start, e) exists */
} brute;

static int tok_is(const brute *bf, uint32_t i, const nc_pat_word *w)
{
    uint32_t id = nc_doc_ids(bf->ts, bf->doc)[i] & NC_TOK_ID_MASK;
    size_t len;
    const char *f = nc_vocab_str(&bf->ts->vocab, id, &len);
    return len == w->len && memcmp(f, nc_pat_word_str(bf->p, w), len) == 0;
}

static int barrier(const brute *bf, uint32_t i)
{
    return (nc_doc_ids(bf->ts, bf->doc)[i] & NC_TOK_BARRIER) != 0;
}

/* Element k is next; token i is the next to consume; pend tokens may be
 * skipped first (a gap); started: a token was consumed already. */
static void bf_match(brute *bf, size_t k, uint32_t i, uint32_t pend, int started)
{
    const nc_pattern *p = bf->p;
    if (k == p->nelems) {
        bf->ends[i] = 1;
        return;
    }
    const nc_pat_elem *e = &p->elems[k];
    if (e->kind == NC_EL_GAP) {
        bf_match(bf, k + 1, i, pend + e->gap, started);
        return;
    }
    if (e->optional)
        bf_match(bf, k + 1, i, pend, started);
    uint32_t sent = nc_doc_sentence_of(bf->ts, bf->doc, bf->start);
    uint32_t maxskip = started ? pend : 0;
    for (uint32_t s = 0; s <= maxskip; s++) {
        uint32_t at = i + s;
        for (uint32_t a = 0; a < e->n; a++) {
            const nc_pat_alt *alt = &p->alts[e->first + a];
            uint32_t j = at;
            int ok = 1;
            for (uint32_t w = 0; w < alt->n && ok; w++, j++) {
                ok = j < bf->ntok && nc_doc_sentence_of(bf->ts, bf->doc, j) == sent &&
                     tok_is(bf, j, &p->words[alt->first + w]);
                /* adjacent words (no gap before this one) may not span punctuation */
                if (ok && started && (w > 0 || pend == 0) && barrier(bf, j))
                    ok = 0;
                if (ok && !started && w > 0 && barrier(bf, j))
                    ok = 0;
            }
            if (ok)
                bf_match(bf, k + 1, j, 0, 1);
        }
    }
}

static void test_random_against_brute_force(void **state)
{
    (void)state;
    uint64_t rs = 0x9E3779B97F4A7C15ULL;
    for (int round = 0; round < 60; round++) {
        enum { ND = 8, NP = 12 };
        char *texts[ND], *pats[NP];
        for (int d = 0; d < ND; d++)
            texts[d] = random_text(&rs);
        spec sp[NP];
        for (int k = 0; k < NP; k++) {
            pats[k] = random_pattern(&rs);
            sp[k] = (spec){pats[k], (uint32_t)k, NC_ROLE_MARKER};
        }
        store s;
        store_build(&s, (const char *const *)texts, ND, 1 + round % 3);
        nc_lexicon *lx = compile(s.seg, sp, NP, 0, NULL);
        nc_match_opts o = mopts(NC_OVERLAP_ALL);
        o.workers = 1 + round % 3;
        nc_hits h;
        assert_int_equal(nc_match(lx, &s.ts, &o, &h), NC_OK);
        size_t at = 0;
        for (size_t d = 0; d < ND; d++) {
            uint32_t ntok = s.ts.docs[d].ntok;
            uint8_t *ends = calloc(ntok + 2, 1);
            for (int k = 0; k < NP; k++) {
                nc_pattern p;
                assert_int_equal(nc_pattern_parse(pats[k], strlen(pats[k]), &p, NULL), NC_OK);
                for (uint32_t st = 0; st < ntok; st++) {
                    memset(ends, 0, ntok + 2);
                    brute bf = {&s.ts, d, ntok, st, &p, ends};
                    bf_match(&bf, 0, st, 0, 0);
                    int any = 0;
                    for (uint32_t e = st + 1; e <= ntok; e++)
                        any |= ends[e];
                    /* the hit of (pattern, start), if any, is among the hits */
                    int found = 0;
                    for (size_t x = 0; x < h.n; x++)
                        if (h.doc[x] == d && h.pattern[x] == (uint32_t)k && h.tok_start[x] == st) {
                            found++;
                            if (!ends[h.tok_end[x]])
                                fail_msg("pattern \"%s\" doc \"%s\": hit [%u,%u) is not a match",
                                         pats[k], texts[d], st, h.tok_end[x]);
                        }
                    if (found != any)
                        fail_msg("pattern \"%s\" doc \"%s\" start %u: brute force %d, matcher %d",
                                 pats[k], texts[d], st, any, found);
                    at += (size_t)found;
                }
                nc_pattern_free(&p);
            }
            free(ends);
        }
        assert_int_equal(at, h.n);
        nc_hits_free(&h);
        nc_lexicon_free(lx);
        store_free(&s);
        for (int d = 0; d < ND; d++)
            free(texts[d]);
        for (int k = 0; k < NP; k++)
            free(pats[k]);
    }
}

/* ---- overlap choice and context flags against the rules written out ----------------
 *
 * The matcher answers "is there a cue before this hit, not cancelled, with no
 * scope break in between" and "does this candidate overlap a kept one" with
 * sorted lists and an occupancy array. Here the rules of docs/patterns.md are
 * applied literally, every hit against every cue and every kept hit, to the
 * candidates the matcher reports with NC_OVERLAP_ALL and to every cue match
 * the brute-force matcher finds. */

typedef struct {
    uint32_t role, start, end;
} ref_cue;

typedef struct {
    uint32_t pat, group, start, end, flags;
} ref_hit;

static int ref_covered(const ref_cue *cues, size_t n, const ref_cue *c)
{
    for (size_t k = 0; k < n; k++)
        if (cues[k].role == NC_ROLE_CANCEL && cues[k].start <= c->start && c->end <= cues[k].end)
            return 1;
    return 0;
}

static int ref_broken(const ref_cue *cues, size_t n, uint32_t from, uint32_t to)
{
    for (size_t k = 0; k < n; k++)
        if (cues[k].role == NC_ROLE_BREAK && from <= cues[k].start && cues[k].end <= to)
            return 1;
    return 0;
}

static int ref_governed(const ref_cue *cues, size_t n, uint32_t start, uint32_t role,
                        uint32_t window)
{
    for (size_t k = 0; k < n; k++) {
        const ref_cue *c = &cues[k];
        if (c->role == role && c->end <= start && start - c->end <= window &&
            !ref_covered(cues, n, c) && !ref_broken(cues, n, c->end, start))
            return 1;
    }
    return 0;
}

static int ref_cmp_priority(const void *x, const void *y)
{
    const ref_hit *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    uint32_t la = a->end - a->start, lb = b->end - b->start;
    if (la != lb)
        return la > lb ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->pat > b->pat) - (a->pat < b->pat);
}

static int ref_cmp_position(const void *x, const void *y)
{
    const ref_hit *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return (a->pat > b->pat) - (a->pat < b->pat);
}

/* The hits of one sentence under an overlap policy: greedy by priority,
 * each candidate compared with every kept one of its group. */
static size_t ref_choose(ref_hit *h, size_t n, int overlap)
{
    if (overlap == NC_OVERLAP_ALL)
        return n;
    for (size_t i = 0; i < n; i++)
        if (overlap == NC_OVERLAP_LEXICON)
            h[i].group = 0;
    qsort(h, n, sizeof *h, ref_cmp_priority);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int clash = 0;
        for (size_t j = 0; j < kept && !clash; j++)
            clash = h[j].group == h[i].group && h[j].start < h[i].end && h[i].start < h[j].end;
        if (!clash)
            h[kept++] = h[i];
    }
    qsort(h, kept, sizeof *h, ref_cmp_position);
    return kept;
}

static void test_context_and_overlap_against_reference(void **state)
{
    (void)state;
    uint64_t rs = 0x2545F4914F6CDD1DULL;
    for (int round = 0; round < 80; round++) {
        enum { ND = 6, NM = 10, NQ = 8 };
        static const uint8_t cue_roles[] = {NC_ROLE_NEGATOR, NC_ROLE_CANCEL, NC_ROLE_HYPO,
                                            NC_ROLE_BREAK};
        char *texts[ND], *pats[NM + NQ];
        for (int d = 0; d < ND; d++)
            texts[d] = random_text(&rs);
        spec sp[NM + NQ];
        for (int k = 0; k < NM + NQ; k++) {
            pats[k] = random_pattern(&rs);
            uint8_t role = k < NM ? NC_ROLE_MARKER : cue_roles[tu_rand(&rs) % 4];
            sp[k] = (spec){pats[k], (uint32_t)(tu_rand(&rs) % 3), role};
        }
        store s;
        store_build(&s, (const char *const *)texts, ND, 1);
        nc_lexicon *lx = compile(s.seg, sp, NM + NQ, 0, NULL);
        nc_match_opts o = mopts(NC_OVERLAP_ALL);
        o.neg_window = (uint32_t)(tu_rand(&rs) % 5);
        o.hyp_window = (uint32_t)(tu_rand(&rs) % 8);
        if (round % 10 == 0)
            o.neg_window = o.hyp_window = UINT32_MAX; /* the whole sentence */
        o.workers = 1 + round % 3;
        nc_hits all;
        assert_int_equal(nc_match(lx, &s.ts, &o, &all), NC_OK);
        /* every cue match of every cue pattern, from the brute-force matcher */
        nc_pattern cp[NQ];
        for (int q = 0; q < NQ; q++)
            assert_int_equal(nc_pattern_parse(pats[NM + q], strlen(pats[NM + q]), &cp[q], NULL),
                             NC_OK);
        for (int overlap = NC_OVERLAP_CATEGORY; overlap <= NC_OVERLAP_ALL; overlap++) {
            o.overlap = overlap;
            nc_hits got;
            assert_int_equal(nc_match(lx, &s.ts, &o, &got), NC_OK);
            size_t at = 0, x = 0;
            for (size_t d = 0; d < ND; d++) {
                uint32_t ntok = s.ts.docs[d].ntok;
                ref_cue *cues = tu_xmalloc(((size_t)ntok * (ntok + 1) * NQ + 1) * sizeof *cues);
                size_t ncue = 0;
                uint8_t *ends = calloc(ntok + 2, 1);
                for (int q = 0; q < NQ; q++)
                    for (uint32_t st = 0; st < ntok; st++) {
                        memset(ends, 0, ntok + 2);
                        brute bf = {&s.ts, d, ntok, st, &cp[q], ends};
                        bf_match(&bf, 0, st, 0, 0);
                        for (uint32_t e = st + 1; e <= ntok; e++)
                            if (ends[e])
                                cues[ncue++] = (ref_cue){sp[NM + q].role, st, e};
                    }
                free(ends);
                /* sentence by sentence: the candidates are the NC_OVERLAP_ALL hits */
                while (x < all.n && all.doc[x] == d) {
                    uint32_t sent = all.sentence[x];
                    ref_hit h[512];
                    size_t n = 0;
                    for (; x < all.n && all.doc[x] == d && all.sentence[x] == sent; x++) {
                        assert_true(n < 512);
                        h[n++] = (ref_hit){all.pattern[x], sp[all.pattern[x]].category,
                                           all.tok_start[x], all.tok_end[x], 0};
                    }
                    /* the cues of this sentence only */
                    ref_cue *sc = tu_xmalloc((ncue + 1) * sizeof *sc);
                    size_t nsc = 0;
                    for (size_t k = 0; k < ncue; k++)
                        if (nc_doc_sentence_of(&s.ts, d, cues[k].start) == sent)
                            sc[nsc++] = cues[k];
                    n = ref_choose(h, n, overlap);
                    for (size_t i = 0; i < n; i++) {
                        h[i].flags =
                            (ref_governed(sc, nsc, h[i].start, NC_ROLE_NEGATOR, o.neg_window)
                                 ? NC_HIT_NEGATED : 0) |
                            (ref_governed(sc, nsc, h[i].start, NC_ROLE_HYPO, o.hyp_window)
                                 ? NC_HIT_HYPOTHETICAL : 0);
                        assert_true(at < got.n);
                        if (got.doc[at] != d || got.pattern[at] != h[i].pat ||
                            got.tok_start[at] != h[i].start || got.tok_end[at] != h[i].end ||
                            got.flags[at] != h[i].flags)
                            fail_msg("overlap %d, doc \"%s\": hit %zu is pattern %u [%u,%u) "
                                     "flags %u, the rules give pattern %u [%u,%u) flags %u",
                                     overlap, texts[d], at, got.pattern[at], got.tok_start[at],
                                     got.tok_end[at], got.flags[at], h[i].pat, h[i].start,
                                     h[i].end, h[i].flags);
                        at++;
                    }
                    free(sc);
                }
                free(cues);
            }
            assert_int_equal(at, got.n);
            nc_hits_free(&got);
        }
        for (int q = 0; q < NQ; q++)
            nc_pattern_free(&cp[q]);
        nc_hits_free(&all);
        nc_lexicon_free(lx);
        store_free(&s);
        for (int d = 0; d < ND; d++)
            free(texts[d]);
        for (int k = 0; k < NM + NQ; k++)
            free(pats[k]);
    }
}

/* ---- workers, reuse, allocation failures ----------------------------------------- */

static void test_workers_and_reuse(void **state)
{
    (void)state;
    enum { ND = 40 };
    const char *base[] = {
        "We strongly condemn the attack. We did not condemn it.",
        "At a time and in a manner of our choosing.",
        "",
        "Allies could invoke Art. 5.",
        "No words here at all",
    };
    const char *texts[ND];
    for (int i = 0; i < ND; i++)
        texts[i] = base[i % 5];
    const spec sp[] = {{"condemn*", 0, 0},
                       {"strongly ~3 condemn*", 0, 0},
                       {"at? a? (time|manner) ~5 of our own? choosing", 1, 0},
                       {"(article|art.) 5", 2, 0}};
    store s;
    store_build(&s, texts, ND, 3);
    nc_lexicon *lx = compile(s.seg, sp, 4, 1, NULL);
    nc_lexbind b;
    assert_int_equal(nc_lexicon_bind(lx, &s.ts.vocab, &b), NC_OK);
    char *want = NULL;
    for (int w = 1; w <= 5; w++) {
        nc_match_opts o = mopts(0);
        o.workers = w;
        o.context = 2;
        nc_hits h;
        assert_int_equal(nc_match_bound(lx, &b, &s.ts, &o, &h), NC_OK);
        assert_int_equal(h.n, 8 * 4);
        /* context: two tokens each side, cut at token boundaries */
        assert_non_null(h.ctx_start);
        char *ctx = tu_pep_slice(&s.pep[h.doc[0]], h.ctx_start[0], h.ctx_end[0]);
        assert_string_equal(ctx, "We strongly condemn the attack");
        free(ctx);
        char *got = dump_hits(&s, &h);
        if (!want)
            want = got;
        else
            assert_true(tu_same(got, want));
        nc_hits_free(&h);
    }
    free(want);
    /* a binding of another vocabulary is refused */
    b.nvocab++;
    nc_match_opts o = mopts(0);
    nc_hits h;
    assert_int_equal(nc_match_bound(lx, &b, &s.ts, &o, &h), NC_EINVAL);
    b.nvocab--;
    nc_lexbind_free(&b);
    nc_lexicon_free(lx);
    store_free(&s);
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

/* The documents-done counter ends at the number of documents and never goes
 * back; more workers than documents (or than the limit) give the same hits. */
static void test_progress_and_worker_limit(void **state)
{
    (void)state;
    enum { ND = 30 };
    const char *texts[ND];
    for (int i = 0; i < ND; i++)
        texts[i] = i % 3 ? "We did not condemn it, but we could." : "";
    const spec sp[] = {{"condemn*", 0, 0}, {"we", 1, 0}};
    store s;
    store_build(&s, texts, ND, 2);
    nc_lexicon *lx = compile(s.seg, sp, 2, 1, NULL);
    char *want = NULL;
    const int workers[] = {1, 4, ND + 1, 100000};
    for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
        atomic_size_t done;
        atomic_init(&done, 0);
        progress_log log = {&done, 0, 0, 0};
        nc_match_opts o = mopts(0);
        o.workers = workers[w];
        o.poll = record_progress;
        o.poll_ctx = &log;
        o.progress = &done;
        nc_hits h;
        assert_int_equal(nc_match(lx, &s.ts, &o, &h), NC_OK);
        assert_int_equal(atomic_load(&done), ND);
        assert_true(log.calls > 0 && !log.backwards);
        assert_int_equal(log.last, ND); /* the pool polls once more at the end */
        char *got = dump_hits(&s, &h);
        if (!want)
            want = got;
        else
            assert_true(tu_same(got, want));
        nc_hits_free(&h);
    }
    assert_non_null(strstr(want, "condemn!"));
    free(want);
    nc_lexicon_free(lx);
    store_free(&s);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const char *texts[] = {"We strongly and unequivocally condemn it; we didn't hesitate.",
                           "At a time and place of our own choosing. Deplorable!",
                           "could, in certain circumstances, lead to Article 5"};
    store s;
    store_build(&s, texts, 3, 1);
    static const char *const pats[] = {
        "condemn*", "strongly ~3 condemn*", "at? a? (time|place|manner) ~5 of our own? choosing",
        "*able", "(article|art.) (5|v)", "not", "*n't", "(not|*n't) hesitate", "could",
        "(in|under) (certain|some) circumstances", "but"};
    static const uint8_t roles[] = {0, 0, 0, 0, 0, 1, 1, 2, 3, 3, 4};
    enum { NP = sizeof pats / sizeof *pats };
    nc_pat_spec ps[NP];
    for (size_t i = 0; i < NP; i++)
        ps[i] = (nc_pat_spec){pats[i], strlen(pats[i]), (uint32_t)(i % 3), roles[i]};
    nc_match_opts o = mopts(0);
    o.context = 3;
    const char *stems[] = {NULL, "english"};
    for (int st = 0; st < 2; st++) {
        nc_lexicon *lx;
        nc_alloc_fail_after(-1);
        assert_int_equal(nc_lexicon_compile(ps, NP, NULL, NULL, stems[st], &lx, NULL), NC_OK);
        long need_compile = nc_alloc_count();
        nc_hits h;
        nc_alloc_fail_after(-1);
        assert_int_equal(nc_match(lx, &s.ts, &o, &h), NC_OK);
        long need_match = nc_alloc_count();
        char *want = dump_hits(&s, &h);
        nc_hits_free(&h);
        assert_non_null(strstr(want, "strongly and unequivocally condemn"));
        nc_lexicon_free(lx);
        for (long n = 0; n <= need_compile; n++) {
            nc_lex_error err;
            nc_alloc_fail_after(n);
            nc_status r = nc_lexicon_compile(ps, NP, NULL, NULL, stems[st], &lx, &err);
            nc_alloc_fail_after(-1);
            if (n < need_compile) {
                assert_int_equal(r, NC_ENOMEM);
                assert_null(lx);
            } else {
                assert_int_equal(r, NC_OK);
                nc_lexicon_free(lx);
            }
        }
        assert_int_equal(nc_lexicon_compile(ps, NP, NULL, NULL, stems[st], &lx, NULL), NC_OK);
        for (long n = 0; n <= need_match; n++) {
            nc_alloc_fail_after(n);
            nc_status r = nc_match(lx, &s.ts, &o, &h);
            nc_alloc_fail_after(-1);
            if (n < need_match) {
                assert_int_equal(r, NC_ENOMEM);
                assert_int_equal(h.n, 0);
                assert_null(h.doc);
            } else {
                assert_int_equal(r, NC_OK);
                assert_true(tu_same(dump_hits(&s, &h), want));
                nc_hits_free(&h);
            }
        }
        free(want);
        nc_lexicon_free(lx);
    }
    store_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflection_and_globs),
        cmocka_unit_test(test_gaps_and_optional),
        cmocka_unit_test(test_punctuation_and_sentences),
        cmocka_unit_test(test_overlap_policies),
        cmocka_unit_test(test_negation),
        cmocka_unit_test(test_hypothetical),
        cmocka_unit_test(test_stemming),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_shared_prefixes),
        cmocka_unit_test(test_random_against_brute_force),
        cmocka_unit_test(test_context_and_overlap_against_reference),
        cmocka_unit_test(test_workers_and_reuse),
        cmocka_unit_test(test_progress_and_worker_limit),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
