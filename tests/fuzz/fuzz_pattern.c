/* libFuzzer target: the pattern parser, the lexicon compiler and the
 * matcher, on arbitrary pattern bytes.
 *
 * Checked for every input:
 *   - the parser either fails with a message and a position inside the
 *     pattern, leaving nothing allocated, or gives a structure within the
 *     documented limits whose words and positions point into the source;
 *   - a parsed pattern written back in canonical form (escapes included)
 *     parses to the same canonical form;
 *   - a parsed pattern compiles with the package's cues (words normalized by
 *     the tokenizer), or fails with an error inside it; compiled, it scans a
 *     token store built from its own words, and every hit lies inside its
 *     document, in the documented order; a pattern of plain ASCII words and
 *     digits must match the text made of its words;
 *   - the same for the lexicon compiled with English stemming, and with
 *     words taken as they are (no normalizer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "match/matcher.h"
#include "match/pattern.h"
#include "segment/segment.h"
#include "text/text.h"
#include "tokens/tokstore.h"

typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap)
            b->cap = b->cap ? 2 * b->cap : 256;
        char *p = realloc(b->s, b->cap);
        FZ_CHECK(p != NULL, "out of memory");
        b->s = p;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static int needs_escape(unsigned char c)
{
    return c == '(' || c == ')' || c == '|' || c == '~' || c == '?' || c == '*' || c == '\\' ||
           c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The pattern in canonical form: one space between elements, a bare word
 * for a group of one word, every special character of a word escaped. */
static void canonical(const nc_pattern *p, sbuf *b)
{
    for (size_t k = 0; k < p->nelems; k++) {
        const nc_pat_elem *e = &p->elems[k];
        if (k)
            sb_str(b, " ");
        if (e->kind == NC_EL_GAP) {
            char g[8];
            snprintf(g, sizeof g, "~%u", e->gap);
            sb_str(b, g);
            continue;
        }
        int group = e->n > 1 || p->alts[e->first].n > 1;
        if (group)
            sb_str(b, "(");
        for (uint32_t a = 0; a < e->n; a++) {
            const nc_pat_alt *alt = &p->alts[e->first + a];
            if (a)
                sb_str(b, "|");
            for (uint32_t w = 0; w < alt->n; w++) {
                const nc_pat_word *wd = &p->words[alt->first + w];
                const char *s = nc_pat_word_str(p, wd);
                if (w)
                    sb_str(b, " ");
                if (wd->glob == NC_GLOB_SUFFIX)
                    sb_str(b, "*");
                for (uint32_t i = 0; i < wd->len; i++) {
                    if (needs_escape((unsigned char)s[i]))
                        sb_str(b, "\\");
                    sb_add(b, s + i, 1);
                }
                if (wd->glob == NC_GLOB_PREFIX)
                    sb_str(b, "*");
            }
        }
        if (group)
            sb_str(b, ")");
        if (e->optional)
            sb_str(b, "?");
    }
}

static void check_structure(const nc_pattern *p, const uint8_t *src, size_t len)
{
    FZ_CHECK(p->nelems >= 1 && p->nelems <= NC_PAT_MAX_ELEMENTS, "%zu elements", p->nelems);
    FZ_CHECK(len <= NC_PAT_MAX_BYTES, "a pattern of %zu bytes parsed", len);
    int required = 0;
    for (size_t k = 0; k < p->nelems; k++) {
        const nc_pat_elem *e = &p->elems[k];
        FZ_CHECK(e->pos < len, "element %zu at %u of %zu", k, e->pos, len);
        FZ_CHECK(k == 0 || e->pos > p->elems[k - 1].pos, "element %zu not after the previous", k);
        if (e->kind == NC_EL_GAP) {
            FZ_CHECK(e->gap >= 1 && e->gap <= NC_PAT_MAX_GAP, "gap %u", e->gap);
            FZ_CHECK(k > 0 && k + 1 < p->nelems, "gap at an end");
            FZ_CHECK(p->elems[k - 1].kind != NC_EL_GAP, "two gaps in a row");
            FZ_CHECK(!e->optional, "optional gap");
            FZ_CHECK(src[e->pos] == '~', "gap position");
            continue;
        }
        FZ_CHECK(e->kind == NC_EL_WORDS, "element kind %u", e->kind);
        required |= !e->optional;
        FZ_CHECK(e->n >= 1 && e->n <= NC_PAT_MAX_ALTS && e->first + e->n <= p->nalts,
                 "element %zu alternatives %u+%u of %zu", k, e->first, e->n, p->nalts);
        for (uint32_t a = e->first; a < e->first + e->n; a++) {
            const nc_pat_alt *alt = &p->alts[a];
            FZ_CHECK(alt->n >= 1 && alt->n <= NC_PAT_MAX_ALT_WORDS && alt->first + alt->n <= p->nwords,
                     "alternative %u words %u+%u of %zu", a, alt->first, alt->n, p->nwords);
            for (uint32_t w = alt->first; w < alt->first + alt->n; w++) {
                const nc_pat_word *wd = &p->words[w];
                FZ_CHECK(wd->len >= 1 && (size_t)wd->off + wd->len < p->buflen && p->buf[wd->off + wd->len] == 0,
                         "word %u at %u+%u of %zu", w, wd->off, wd->len, p->buflen);
                FZ_CHECK(wd->pos < len && wd->pos >= e->pos, "word %u position %u", w, wd->pos);
                FZ_CHECK(wd->glob <= NC_GLOB_SUFFIX, "glob %u", wd->glob);
                FZ_CHECK(wd->glob != NC_GLOB_SUFFIX || src[wd->pos] == '*', "suffix glob position");
            }
        }
        FZ_CHECK(src[e->pos] == (e->n > 1 || p->alts[e->first].n > 1 ? '(' : src[e->pos]),
                 "group position");
    }
    FZ_CHECK(required, "every element optional");
}

/* ---- compiling and matching -------------------------------------------- */

typedef struct {
    nc_segmenter *seg;
    nc_segworker w;
    nc_text t;
} tokenizer;

static tokenizer *tok_en;

static tokenizer *get_tokenizer(void)
{
    if (tok_en)
        return tok_en;
    nc_seg_options o = {"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
    tokenizer *t = fz_malloc(sizeof *t);
    UErrorCode icu = U_ZERO_ERROR;
    FZ_CHECK(nc_segmenter_new(&o, &t->seg, &icu) == NC_OK, "segmenter");
    FZ_CHECK(nc_segworker_init(&t->w, t->seg) == NC_OK, "worker");
    nc_text_init(&t->t);
    return tok_en = t;
}

/* The compiler's word normalizer, as the Python Lexicon gives it: the forms
 * of the word under the corpus tokenizer. */
static nc_status norm_word(void *ctx, const char *word, size_t len, int glob, nc_strlist *out)
{
    (void)glob;
    tokenizer *tk = ctx;
    size_t n;
    uint32_t *cp = fz_utf8_cps((const uint8_t *)word, len, &n);
    fz_str s = fz_str_of(cp, n);
    free(cp);
    nc_status r = nc_text_set(&tk->t, s.kind, s.data, s.len);
    if (!r)
        r = nc_segment(&tk->w, &tk->t);
    for (size_t i = 0; !r && i < tk->w.ntoks; i++) {
        const char *f;
        size_t fl;
        if (!(r = nc_segworker_norm(&tk->w, &tk->t, &tk->w.toks[i], &f, &fl))) {
            fz_check_form(f, fl, "pattern word");
            r = nc_strlist_add(out, f, fl);
        }
    }
    free(s.data);
    return r;
}

static const char *const CUES[][2] = {
    {"not", "n"}, {"*n't", "n"}, {"(no|never|without)", "n"}, {"not (only|just)", "c"},
    {"(could|might|if)", "h"}, {"(but|although)", "b"},
};
#define NCUES (sizeof CUES / sizeof *CUES)

/* Text made of the pattern's words: the first alternative of each element,
 * optional ones included, a filler word for each gap. */
static void text_of(const nc_pattern *p, sbuf *b)
{
    for (size_t k = 0; k < p->nelems; k++) {
        const nc_pat_elem *e = &p->elems[k];
        if (k)
            sb_str(b, " ");
        if (e->kind == NC_EL_GAP) {
            sb_str(b, "filler");
            continue;
        }
        const nc_pat_alt *alt = &p->alts[e->first];
        for (uint32_t w = 0; w < alt->n; w++) {
            if (w)
                sb_str(b, " ");
            const nc_pat_word *wd = &p->words[alt->first + w];
            sb_add(b, nc_pat_word_str(p, wd), wd->len);
        }
    }
}

static int plain_words_only(const nc_pattern *p)
{
    for (size_t w = 0; w < p->nwords; w++) {
        const char *s = nc_pat_word_str(p, &p->words[w]);
        for (uint32_t i = 0; i < p->words[w].len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
                return 0;
        }
    }
    return 1;
}

static fz_str str_of_utf8(const char *s, size_t len)
{
    size_t n;
    uint32_t *cp = fz_utf8_cps((const uint8_t *)s, len, &n);
    fz_str r = fz_str_of(cp, n);
    free(cp);
    return r;
}

static void check_hits(const nc_hits *h, const nc_tokstore *ts, const fz_str *docs, size_t npat,
                       const nc_match_opts *mo)
{
    for (size_t i = 0; i < h->n; i++) {
        FZ_CHECK(h->doc[i] < ts->ndocs, "hit %zu doc %u", i, h->doc[i]);
        const nc_docrec *d = &ts->docs[h->doc[i]];
        FZ_CHECK(h->pattern[i] < npat, "hit %zu pattern %u", i, h->pattern[i]);
        FZ_CHECK(h->tok_start[i] < h->tok_end[i] && h->tok_end[i] <= d->ntok,
                 "hit %zu tokens [%u,%u) of %u", i, h->tok_start[i], h->tok_end[i], d->ntok);
        FZ_CHECK(h->start[i] < h->end[i] && h->end[i] <= docs[h->doc[i]].len,
                 "hit %zu span [%u,%u) of %zu", i, h->start[i], h->end[i], docs[h->doc[i]].len);
        FZ_CHECK(h->sentence[i] == nc_doc_sentence_of(ts, h->doc[i], h->tok_start[i]) &&
                     h->sentence[i] == nc_doc_sentence_of(ts, h->doc[i], h->tok_end[i] - 1),
                 "hit %zu spans sentences", i);
        FZ_CHECK(h->flags[i] <= (NC_HIT_NEGATED | NC_HIT_HYPOTHETICAL), "hit %zu flags", i);
        if (mo->context) {
            FZ_CHECK(h->ctx_start[i] <= h->start[i] && h->ctx_end[i] >= h->end[i] &&
                         h->ctx_end[i] <= docs[h->doc[i]].len,
                     "hit %zu context", i);
        }
        if (i) {
            uint32_t a[4] = {h->doc[i - 1], h->tok_start[i - 1], h->tok_end[i - 1], h->pattern[i - 1]};
            uint32_t b[4] = {h->doc[i], h->tok_start[i], h->tok_end[i], h->pattern[i]};
            int order = 0;
            for (int k = 0; k < 4 && !order; k++)
                order = a[k] < b[k] ? -1 : a[k] > b[k] ? 1 : 0;
            FZ_CHECK(order < 0, "hits %zu and %zu out of order or repeated", i - 1, i);
        }
    }
}

static void compile_and_match(const uint8_t *src, size_t len, const nc_pattern *p, unsigned variant)
{
    tokenizer *tk = get_tokenizer();
    nc_pat_spec specs[1 + NCUES];
    specs[0] = (nc_pat_spec){(const char *)src, len, 0, NC_ROLE_MARKER};
    for (size_t i = 0; i < NCUES; i++) {
        char r = CUES[i][1][0];
        specs[1 + i] = (nc_pat_spec){CUES[i][0], strlen(CUES[i][0]), 0,
                                     r == 'n' ? NC_ROLE_NEGATOR : r == 'c' ? NC_ROLE_CANCEL
                                     : r == 'h' ? NC_ROLE_HYPO : NC_ROLE_BREAK};
    }
    int normalize = variant != 2;
    const char *stem = variant == 1 ? "english" : NULL;
    nc_lexicon *lx = NULL;
    nc_lex_error err = {0, 0, NULL};
    nc_status r = nc_lexicon_compile(specs, 1 + NCUES, normalize ? norm_word : NULL, tk, stem, &lx,
                                     &err);
    if (r == NC_EINVAL) {
        FZ_CHECK(lx == NULL, "failed compile left a lexicon");
        FZ_CHECK(err.pattern == 0 && err.pos <= len && err.msg && err.msg[0],
                 "compile error: pattern %zu pos %zu of %zu: %s", err.pattern, err.pos, len,
                 err.msg ? err.msg : "(none)");
        return;
    }
    FZ_CHECK(r == NC_OK && lx, "compile: status %d", (int)r);

    sbuf words = {0};
    text_of(p, &words);
    sbuf neg = {0}, hyp = {0};
    sb_str(&neg, "We do not ");
    sb_add(&neg, words.s, words.len);
    sb_str(&neg, ". Not only ");
    sb_add(&neg, words.s, words.len);
    sb_str(&hyp, "It could ");
    sb_add(&hyp, words.s, words.len);
    sb_str(&hyp, " but ");
    sb_add(&hyp, words.s, words.len);
    sb_str(&hyp, "!");
    fz_str docs[3] = {str_of_utf8(words.s, words.len), str_of_utf8(neg.s, neg.len),
                      str_of_utf8(hyp.s, hyp.len)};
    nc_tokstore ts;
    fz_store_build(&ts, tk->seg, docs, 3);

    for (int overlap = NC_OVERLAP_CATEGORY; overlap <= NC_OVERLAP_ALL; overlap++) {
        nc_match_opts mo = {.overlap = overlap,
                            .flags = (len & 1) ? NC_MATCH_IGNORE_PUNCT : 0,
                            .neg_window = 3,
                            .hyp_window = 5,
                            .context = overlap == NC_OVERLAP_ALL ? 3 : 0,
                            .workers = 1};
        nc_hits h;
        memset(&h, 0, sizeof h);
        FZ_CHECK(nc_match(lx, &ts, &mo, &h) == NC_OK, "match");
        check_hits(&h, &ts, docs, 1 + NCUES, &mo);
        if (overlap == NC_OVERLAP_ALL && normalize && plain_words_only(p)) {
            size_t in_doc0 = 0;
            for (size_t i = 0; i < h.n; i++)
                in_doc0 += h.doc[i] == 0 && h.pattern[i] == 0;
            FZ_CHECK(in_doc0 > 0, "the pattern does not match its own words \"%s\"", words.s);
        }
        nc_hits_free(&h);
    }
    nc_tokstore_free(&ts);
    for (int k = 0; k < 3; k++)
        free(docs[k].data);
    free(words.s);
    free(neg.s);
    free(hyp.s);
    nc_lexicon_free(lx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nc_pattern p;
    nc_pat_error err = {12345, NULL};
    nc_status r = nc_pattern_parse((const char *)data, size, &p, &err);
    if (r == NC_EINVAL) {
        FZ_CHECK(err.msg && err.msg[0], "error without a message");
        FZ_CHECK(err.pos <= size || (size > NC_PAT_MAX_BYTES && err.pos == NC_PAT_MAX_BYTES),
                 "error position %zu of %zu: %s", err.pos, size, err.msg);
        FZ_CHECK(p.nelems == 0 && p.nwords == 0 && !p.elems && !p.words && !p.buf,
                 "failed parse left a pattern");
        return 0;
    }
    FZ_CHECK(r == NC_OK, "parse: status %d", (int)r);
    check_structure(&p, data, size);

    sbuf c1 = {0}, c2 = {0};
    canonical(&p, &c1);
    nc_pattern q;
    r = nc_pattern_parse(c1.s, c1.len, &q, &err);
    FZ_CHECK(r == NC_OK || (r == NC_EINVAL && c1.len > NC_PAT_MAX_BYTES),
             "canonical form \"%s\" fails at %zu: %s", c1.s, err.pos, err.msg ? err.msg : "?");
    if (r == NC_OK) {
        canonical(&q, &c2);
        FZ_CHECK(c1.len == c2.len && memcmp(c1.s, c2.s, c1.len) == 0,
                 "canonical form not stable: \"%s\" then \"%s\"", c1.s, c2.s);
        nc_pattern_free(&q);
    }
    free(c1.s);
    free(c2.s);

    for (unsigned variant = 0; variant < 3; variant++)
        compile_and_match(data, size, &p, variant);
    nc_pattern_free(&p);
    return 0;
}
