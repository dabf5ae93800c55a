/* libFuzzer target: word and sentence segmentation, normalization and the
 * token store, on arbitrary text.
 *
 * Input: byte 0 and byte 1 choose the options, the rest is the text.
 *   byte 0: bit 0 keep_case, 1 keep_punct, 2 keep_symbols, 3 drop_numbers,
 *           4 hyphens="split", 5 English stemming, 6 paragraph_lines,
 *           7 the text is UTF-16LE (else UTF-8, ill-formed bytes as U+FFFD)
 *   byte 1: bits 0-1 the locale (en, el, fr, ja), bit 2 UTF-16 units are
 *           taken as code points one by one (a str holding both halves of a
 *           pair as two lone surrogates), bit 3 no built-in abbreviations
 *
 * Checked for every input:
 *   - tokens lie inside the text in increasing order, never split a
 *     surrogate pair, neither start nor end with white space, have a kind
 *     the options keep, a valid sentence, and a barrier where one starts;
 *   - sentences are non-empty, increasing, trimmed;
 *   - every form is non-empty, well-formed UTF-8 without white space, and
 *     the same when the token is normalized again;
 *   - the plain-word path and the sentence excerpts give exactly what ICU's
 *     iterators over the whole text give (a segmenter with both turned off);
 *   - the token store (with its token cache, over the text, the same text
 *     again and its second half) holds the same tokens, spans, barriers,
 *     sentences and forms as segmenting each document directly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "segment/segment.h"
#include "text/text.h"
#include "tokens/tokstore.h"

#define MAX_CPS 4096

static const char *const LOCALES[4] = {"en", "el", "fr", "ja"};

typedef struct {
    nc_segmenter *fast; /* as the package builds it */
    nc_segmenter *ref;  /* ICU's iterators over whole texts only */
    nc_segworker wf, wr;
} segs;

/* Segmenters are costly to build: one pair per option set, kept for the
 * whole run (and so workers are reused across inputs, as across documents). */
static segs *cache[1 << 10];

static segs *segs_for(unsigned key)
{
    if (cache[key])
        return cache[key];
    nc_seg_options o = {
        .locale = LOCALES[(key >> 7) & 3],
        .keep_case = key & 1,
        .keep_punct = (key >> 1) & 1,
        .keep_symbols = (key >> 2) & 1,
        .drop_numbers = (key >> 3) & 1,
        .hyphens = (key >> 4) & 1 ? NC_HYPHEN_SPLIT : NC_HYPHEN_KEEP,
        .stem_language = (key >> 5) & 1 ? "english" : NULL,
        .paragraph_lines = (key >> 6) & 1,
        .default_abbreviations = !((key >> 9) & 1),
    };
    segs *s = fz_malloc(sizeof *s);
    UErrorCode icu = U_ZERO_ERROR;
    FZ_CHECK(nc_segmenter_new(&o, &s->fast, &icu) == NC_OK, "segmenter: %s", u_errorName(icu));
    FZ_CHECK(nc_segmenter_new(&o, &s->ref, &icu) == NC_OK, "segmenter: %s", u_errorName(icu));
    nc_segmenter_set_plain_words(s->ref, 0);
    nc_segmenter_set_sentence_excerpts(s->ref, 0);
    FZ_CHECK(nc_segworker_init(&s->wf, s->fast) == NC_OK, "worker");
    FZ_CHECK(nc_segworker_init(&s->wr, s->ref) == NC_OK, "worker");
    cache[key] = s;
    return s;
}

static int is_white16(const UChar *u, size_t n, size_t i)
{
    UChar32 c;
    U16_GET(u, 0, i, n, c);
    return u_isUWhiteSpace(c);
}

static int splits_pair(const UChar *u, size_t n, size_t i)
{
    return i > 0 && i < n && U16_IS_LEAD(u[i - 1]) && U16_IS_TRAIL(u[i]);
}

static void check_segments(const nc_segworker *w, const nc_text *t, const nc_seg_options *o)
{
    const UChar *u = t->u16;
    size_t n = t->len16;
    uint32_t prev = 0;
    for (size_t k = 0; k < w->nsents; k++) {
        nc_span s = w->sents_out[k];
        FZ_CHECK(s.start < s.end && s.end <= n, "sentence %zu [%u,%u) of %zu", k, s.start, s.end, n);
        FZ_CHECK(s.start >= prev, "sentence %zu starts at %u before %u", k, s.start, prev);
        FZ_CHECK(!is_white16(u, n, s.start) && !is_white16(u, n, s.end - 1),
                 "sentence %zu [%u,%u) not trimmed", k, s.start, s.end);
        FZ_CHECK(!splits_pair(u, n, s.start) && !splits_pair(u, n, s.end),
                 "sentence %zu splits a pair", k);
        prev = s.end;
    }
    prev = 0;
    uint32_t sent = 0;
    for (size_t i = 0; i < w->ntoks; i++) {
        const nc_rawtok *tk = &w->toks[i];
        FZ_CHECK(tk->start < tk->end && tk->end <= n, "token %zu [%u,%u) of %zu", i, tk->start,
                 tk->end, n);
        FZ_CHECK(tk->start >= prev, "token %zu starts at %u before %u", i, tk->start, prev);
        FZ_CHECK(!splits_pair(u, n, tk->start) && !splits_pair(u, n, tk->end),
                 "token %zu [%u,%u) splits a pair", i, tk->start, tk->end);
        FZ_CHECK(!is_white16(u, n, tk->start) && !is_white16(u, n, tk->end - 1),
                 "token %zu [%u,%u) starts or ends with white space", i, tk->start, tk->end);
        FZ_CHECK(tk->kind <= NC_TOK_SYMBOL, "token %zu kind %u", i, tk->kind);
        FZ_CHECK(tk->kind != NC_TOK_PUNCT || o->keep_punct, "token %zu: punctuation kept", i);
        FZ_CHECK(tk->kind != NC_TOK_SYMBOL || o->keep_symbols, "token %zu: symbol kept", i);
        FZ_CHECK(tk->kind != NC_TOK_NUMBER || !o->drop_numbers, "token %zu: number kept", i);
        FZ_CHECK(tk->sentence < w->nsents, "token %zu sentence %u of %zu", i, tk->sentence, w->nsents);
        FZ_CHECK(tk->sentence >= sent, "token %zu sentence %u after %u", i, tk->sentence, sent);
        FZ_CHECK(tk->barrier || (i > 0 && tk->sentence == sent),
                 "token %zu starts a text or sentence without a barrier", i);
        prev = tk->end;
        sent = tk->sentence;
    }
}

/* The forms of w's tokens, NUL-separated in one malloc'd block. */
static char *forms_of(nc_segworker *w, const nc_text *t, size_t *size)
{
    size_t cap = 256, len = 0;
    char *b = fz_malloc(cap);
    for (size_t i = 0; i < w->ntoks; i++) {
        const char *f;
        size_t fl;
        nc_status r = nc_segworker_norm(w, t, &w->toks[i], &f, &fl);
        FZ_CHECK(r == NC_OK, "normalizing token %zu: status %d", i, (int)r);
        char what[64];
        snprintf(what, sizeof what, "token %zu [%u,%u)", i, w->toks[i].start, w->toks[i].end);
        fz_check_form(f, fl, what);
        while (len + fl + 1 > cap)
            cap *= 2;
        char *nb = realloc(b, cap);
        FZ_CHECK(nb != NULL, "out of memory");
        b = nb;
        memcpy(b + len, f, fl);
        b[len + fl] = 0;
        len += fl + 1;
    }
    *size = len;
    return b;
}

static void same_segments(const nc_segworker *a, const nc_segworker *b)
{
    FZ_CHECK(a->nsents == b->nsents, "%zu sentences, %zu over the whole text", a->nsents, b->nsents);
    for (size_t k = 0; k < a->nsents; k++)
        FZ_CHECK(a->sents_out[k].start == b->sents_out[k].start &&
                     a->sents_out[k].end == b->sents_out[k].end,
                 "sentence %zu: [%u,%u), over the whole text [%u,%u)", k, a->sents_out[k].start,
                 a->sents_out[k].end, b->sents_out[k].start, b->sents_out[k].end);
    FZ_CHECK(a->ntoks == b->ntoks, "%zu tokens, %zu without the plain path", a->ntoks, b->ntoks);
    for (size_t i = 0; i < a->ntoks; i++) {
        const nc_rawtok *x = &a->toks[i], *y = &b->toks[i];
        FZ_CHECK(x->start == y->start && x->end == y->end && x->kind == y->kind &&
                     x->barrier == y->barrier && x->sentence == y->sentence,
                 "token %zu: [%u,%u) kind %u barrier %u sentence %u; without the plain path "
                 "[%u,%u) kind %u barrier %u sentence %u",
                 i, x->start, x->end, x->kind, x->barrier, x->sentence, y->start, y->end, y->kind,
                 y->barrier, y->sentence);
    }
}

/* The token store's document d against segmenting it directly with w. */
static void same_as_store(const nc_tokstore *ts, size_t d, nc_segworker *w, const fz_str *doc)
{
    nc_text t;
    nc_text_init(&t);
    FZ_CHECK(nc_text_set(&t, doc->kind, doc->data, doc->len) == NC_OK, "text");
    FZ_CHECK(nc_segment(w, &t) == NC_OK, "segment");
    const nc_docrec *rec = &ts->docs[d];
    FZ_CHECK(rec->ntok == w->ntoks, "doc %zu: store has %u tokens, direct %zu", d, rec->ntok,
             w->ntoks);
    const uint32_t *ids = nc_doc_ids(ts, d);
    for (uint32_t i = 0; i < rec->ntok; i++) {
        const nc_rawtok *tk = &w->toks[i];
        uint32_t a, e;
        nc_doc_token_span(ts, d, i, &a, &e);
        size_t ca = nc_text_cp_offset(&t, tk->start), ce = nc_text_cp_offset(&t, tk->end);
        FZ_CHECK(a == ca && e == ce && e <= doc->len, "doc %zu token %u: store [%u,%u), direct [%zu,%zu)",
                 d, i, a, e, ca, ce);
        FZ_CHECK(!!(ids[i] & NC_TOK_BARRIER) == tk->barrier, "doc %zu token %u: barrier", d, i);
        FZ_CHECK(nc_doc_sentence_of(ts, d, i) == tk->sentence, "doc %zu token %u: sentence %u, direct %u",
                 d, i, nc_doc_sentence_of(ts, d, i), tk->sentence);
        size_t sl, fl;
        const char *s = nc_vocab_str(&ts->vocab, ids[i] & NC_TOK_ID_MASK, &sl);
        const char *f;
        FZ_CHECK(nc_segworker_norm(w, &t, tk, &f, &fl) == NC_OK, "norm");
        FZ_CHECK(sl == fl && memcmp(s, f, fl) == 0, "doc %zu token %u: store \"%.*s\", direct \"%.*s\"",
                 d, i, (int)sl, s, (int)fl, f);
    }
    nc_text_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned b0 = data[0], b1 = data[1];
    data += 2, size -= 2;
    size_t n = 0;
    uint32_t *cp;
    if (b0 & 0x80) {
        size_t units = size / 2;
        cp = fz_malloc((units + 1) * sizeof *cp);
        for (size_t i = 0; i < units; i++) {
            uint32_t c = data[2 * i] | (uint32_t)data[2 * i + 1] << 8;
            if (!(b1 & 4) && U16_IS_LEAD(c) && i + 1 < units) {
                uint32_t d = data[2 * i + 2] | (uint32_t)data[2 * i + 3] << 8;
                if (U16_IS_TRAIL(d)) {
                    c = (uint32_t)U16_GET_SUPPLEMENTARY(c, d);
                    i++;
                }
            }
            cp[n++] = c;
        }
    } else {
        cp = fz_utf8_cps(data, size, &n);
    }
    if (n > MAX_CPS)
        n = MAX_CPS;
    unsigned key = (b0 & 0x7F) | (b1 & 3) << 7 | ((b1 >> 3) & 1) << 9;
    segs *s = segs_for(key);
    const nc_seg_options *o = nc_segmenter_options(s->fast);

    fz_str docs[3];
    docs[0] = fz_str_of(cp, n);
    docs[1] = fz_str_of(cp, n);
    docs[2] = fz_str_of(cp + n / 2, n - n / 2);
    free(cp);

    nc_text t;
    nc_text_init(&t);
    FZ_CHECK(nc_text_set(&t, docs[0].kind, docs[0].data, docs[0].len) == NC_OK, "text");
    FZ_CHECK(nc_segment(&s->wf, &t) == NC_OK, "segment");
    check_segments(&s->wf, &t, o);
    FZ_CHECK(nc_segment(&s->wr, &t) == NC_OK, "segment (whole text)");
    same_segments(&s->wf, &s->wr);
    size_t fa_len, fb_len;
    char *fa = forms_of(&s->wf, &t, &fa_len);
    char *fb = forms_of(&s->wr, &t, &fb_len);
    FZ_CHECK(fa_len == fb_len && memcmp(fa, fb, fa_len) == 0, "forms differ between the workers");
    /* a second pass in reverse order: the normalizer's buffers hold no state */
    size_t off = fa_len;
    for (size_t i = s->wf.ntoks; i-- > 0;) {
        const char *f;
        size_t fl;
        FZ_CHECK(nc_segworker_norm(&s->wf, &t, &s->wf.toks[i], &f, &fl) == NC_OK, "norm");
        off -= fl + 1;
        FZ_CHECK(memcmp(fa + off, f, fl) == 0 && fa[off + fl] == 0, "token %zu: form changed", i);
    }
    free(fa);
    free(fb);
    nc_text_free(&t);

    nc_tokstore ts;
    fz_store_build(&ts, s->fast, docs, 3);
    for (size_t d = 0; d < 3; d++)
        same_as_store(&ts, d, &s->wf, &docs[d]);
    nc_tokstore_free(&ts);
    for (int k = 0; k < 3; k++)
        free(docs[k].data);
    return 0;
}
