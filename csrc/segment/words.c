/* Word tokens of a text: ICU's word segments (or, over plain text, those
 * of plain_words.h), classified, joined where a hyphen, an abbreviation's
 * period or a plural possessive belongs to the word, and kept or dropped
 * by the options, each with its sentence and barrier flag. */
#include <string.h>

#include "segment/plain_words.h"
#include "segment/segmenter.h"
#include "util/alloc.h"

/* "U.S", "e.g", "a.m": single letters separated by periods (not "nato.int") */
static int is_initialism(const nc_segmenter *g, const UChar *s, size_t n)
{
    if (n < 3 || n % 2 == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i % 2 ? s[i] != '.' : !nc_char_is(g, s[i], NC_C_ALPHA, u_isalpha))
            return 0;
    return 1;
}

/* Kind of one ICU word segment, or -1 for white space and invisible
 * characters, which are not tokens at all. */
static int classify(const nc_segmenter *g, const UChar *s, int32_t len, int32_t status)
{
    if (status >= UBRK_WORD_LETTER)
        return NC_TOK_WORD;
    if (status >= UBRK_WORD_NUMBER) {
        /* ICU gives "G7" and "COVID19" the number status (they end in a digit) */
        for (int32_t i = 0; i < len;) {
            UChar32 c;
            U16_NEXT(s, i, len, c);
            if (nc_char_is(g, c, NC_C_ALPHA, u_isalpha))
                return NC_TOK_WORD;
        }
        return NC_TOK_NUMBER;
    }
    if (s[0] == ' ')
        return -1;
    int32_t i = 0;
    while (i < len) {
        UChar32 c;
        U16_NEXT(s, i, len, c);
        if (c < 0x80) {
            if (g->ascii[c] & (NC_C_WHITE | NC_C_IGNORABLE))
                continue;
            return g->ascii[c] & NC_C_PUNCT ? NC_TOK_PUNCT : NC_TOK_SYMBOL;
        }
        if (u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            continue;
        return u_ispunct(c) ? NC_TOK_PUNCT : NC_TOK_SYMBOL;
    }
    return -1;
}

typedef struct {
    nc_segworker *w;
    size_t si;          /* sentence cursor */
    int barrier;        /* something was removed since the last kept token */
    uint32_t last_sentence;
    int any;            /* a token was kept already */
} emit_state;

static inline nc_status emit(emit_state *es, uint32_t start, uint32_t end, int kind)
{
    nc_segworker *w = es->w;
    const nc_seg_options *o = &w->seg->opt;
    int kept = kind == NC_TOK_WORD || (kind == NC_TOK_NUMBER && !o->drop_numbers) ||
               (kind == NC_TOK_PUNCT && o->keep_punct) || (kind == NC_TOK_SYMBOL && o->keep_symbols);
    if (!kept) {
        es->barrier = 1;
        return NC_OK;
    }
    while (es->si + 1 < w->nsents && start >= w->sents_out[es->si].end)
        es->si++;
    uint32_t sent = (uint32_t)es->si;
    /* the buffers persist across documents: growing is rare, so test inline */
    if (w->ntoks == w->toks_cap &&
        nc_grow((void **)&w->toks, &w->toks_cap, w->ntoks + 1, sizeof *w->toks))
        return NC_ENOMEM;
    int barrier = es->barrier || !es->any || sent != es->last_sentence;
    w->toks[w->ntoks++] = (nc_rawtok){start, end, sent, (uint8_t)kind, (uint8_t)barrier};
    es->barrier = 0;
    es->any = 1;
    es->last_sentence = sent;
    return NC_OK;
}

/* What nc_segment() carries from one word segment to the next. */
typedef struct {
    emit_state es;
    const UChar *s;
    size_t n;
    int have, have_dash; /* a word/number not yet emitted, and a hyphen right after it */
    uint32_t ps, pe, ds, de;
    int pk, dk;
} word_state;

/* Takes ICU's word segment s[a..e) of the given kind: joins hyphenated
 * words, abbreviation periods and plural possessives, and emits the rest. */
static inline nc_status take_segment(word_state *ws, uint32_t a, uint32_t e, int kind)
{
    const nc_seg_options *o = &ws->es.w->seg->opt;
    const UChar *s = ws->s;
    nc_status r;
    int wordlike = kind == NC_TOK_WORD || kind == NC_TOK_NUMBER;
    if (ws->have_dash) {
        ws->have_dash = 0;
        if (wordlike && a == ws->de) {
            if (o->hyphens == NC_HYPHEN_KEEP) {
                ws->pe = e;
                ws->pk = ws->pk == NC_TOK_NUMBER && kind == NC_TOK_NUMBER ? NC_TOK_NUMBER : NC_TOK_WORD;
                return NC_OK;
            }
            /* split: both parts stay adjacent; the hyphen is a token only
             * when punctuation is kept */
            if ((r = emit(&ws->es, ws->ps, ws->pe, ws->pk)))
                return r;
            if (o->keep_punct && (r = emit(&ws->es, ws->ds, ws->de, ws->dk)))
                return r;
            ws->ps = a, ws->pe = e, ws->pk = kind;
            return NC_OK;
        }
        if ((r = emit(&ws->es, ws->ps, ws->pe, ws->pk)) ||
            (r = emit(&ws->es, ws->ds, ws->de, ws->dk)))
            return r;
        ws->have = 0;
    }
    /* U+2212 MINUS SIGN is a symbol, the other dashes punctuation */
    if (ws->have && (kind == NC_TOK_PUNCT || kind == NC_TOK_SYMBOL) && e - a == 1 && a == ws->pe) {
        if (nc_is_joining_hyphen(s[a])) {
            ws->have_dash = 1, ws->ds = a, ws->de = e, ws->dk = kind;
            return NC_OK;
        }
        /* the final period of "U.S." or "Gen." belongs to the word, so it
         * is neither a barrier nor lost from the form */
        const nc_segmenter *g = ws->es.w->seg;
        if (s[a] == '.' && ws->pk == NC_TOK_WORD &&
            (nc_abbr_find(&g->abbr, s + ws->ps, e - ws->ps) || is_initialism(g, s + ws->ps, ws->pe - ws->ps))) {
            ws->pe = e;
            return NC_OK;
        }
        /* the possessive apostrophe of a plural ("Allies' response") */
        if (nc_is_apostrophe(s[a]) && ws->pk == NC_TOK_WORD && (s[a - 1] | 0x20) == 's' &&
            (e == ws->n || !nc_char_is(g, s[e], NC_C_ALNUM, u_isalnum))) {
            ws->pe = e;
            return NC_OK;
        }
    }
    if (ws->have && (r = emit(&ws->es, ws->ps, ws->pe, ws->pk)))
        return r;
    ws->have = 0;
    if (wordlike) {
        ws->have = 1, ws->ps = a, ws->pe = e, ws->pk = kind;
        return NC_OK;
    }
    return emit(&ws->es, a, e, kind);
}

/* Narrows ICU's segment s[*a..*e) to what a token may hold: the word rules
 * let a segment start with white space (a space before a combining mark:
 * "\u00A0\u0301") and join U+202F NARROW NO-BREAK SPACE to letters and
 * digits, so that French "Paris\u202F:" gives "Paris\u202F". Returns 0 when
 * nothing but white space and default-ignorable characters is left (ICU
 * gives "\u202F\u00AD\u202F" the word status): no token, as for a space.
 * Plain text never needs this: its only white space is a segment alone. */
static inline int visible_part(const UChar *s, int32_t *a, int32_t *e)
{
    int32_t i = *a, j = *e;
    /* most segments start with a visible BMP character and end in no space */
    UChar f = s[i];
    if ((f < 0x80 ? f > 0x20 : !U16_IS_SURROGATE(f) && !nc_is_invisible(f)) && !nc_is_white(s[j - 1]))
        return 1;
    while (i < j && nc_is_white(s[i]))
        i++;
    while (j > i && nc_is_white(s[j - 1]))
        j--;
    *a = i, *e = j;
    for (int32_t k = i; k < j;) {
        UChar32 c;
        U16_NEXT(s, k, j, c);
        if (!nc_is_invisible(c))
            return 1;
    }
    return 0;
}

/* ICU's word segments of s[from..to), which start and end at boundaries. */
static nc_status icu_segments(word_state *ws, size_t from, size_t to)
{
    nc_segworker *w = ws->es.w;
    const UChar *s = ws->s + from;
    nc_status r = nc_seg_set_text(w, w->words, s, to - from);
    if (r)
        return r;
    int32_t prev = 0;
    for (int32_t b = ubrk_next(w->words); b != UBRK_DONE && r == NC_OK; prev = b, b = ubrk_next(w->words)) {
        /* most segments are one space: skip them before asking ICU for the status */
        if (b - prev == 1 && s[prev] == ' ')
            continue;
        int32_t a = prev, e = b;
        if (!visible_part(s, &a, &e))
            continue;
        int kind = classify(w->seg, s + a, e - a, ubrk_getRuleStatus(w->words));
        if (kind >= 0)
            r = take_segment(ws, (uint32_t)(from + a), (uint32_t)(from + e), kind);
    }
    return r;
}

/* The same for plain text (plain_words.h). */
static nc_status plain_segments(word_state *ws, size_t from, size_t to)
{
    const UChar *s = ws->s;
    nc_status r = NC_OK;
    for (size_t i = from, e; i < to && r == NC_OK; i = e) {
        int32_t status;
        e = nc_plain_word_end(s, i, to, &status);
        if (s[i] == ' ')
            continue;
        int kind = classify(ws->es.w->seg, s + i, (int32_t)(e - i), status);
        if (kind >= 0)
            r = take_segment(ws, (uint32_t)i, (uint32_t)e, kind);
    }
    return r;
}

/* A boundary whatever comes before or after it: a space, then a plain unit
 * that is not one. No rule goes on from a space but to another space (or a
 * combining or format mark, which is not plain), and a segment never ends
 * after looking past such a space, so segmenting the text on either side
 * alone gives the same segments. */
static inline int fixed_boundary(const UChar *s, size_t q)
{
    return s[q - 1] == ' ' && s[q] != ' ' && nc_is_word_plain(s[q]);
}

/* A stretch for ICU also takes in the next character that is not plain
 * when less plain text than this lies between them: in Polish or Czech
 * nearly every word holds a letter outside Latin-1, and one call per word
 * would cost more than ICU over the whole text. */
#define STRETCH_JOIN 32

/* The text's word segments: where the segmenter allows, runs of plain text
 * go through plain_segments() and ICU sees only the stretches around other
 * characters, from the fixed boundary before one to the fixed boundary
 * after it (or after the last of several close together). */
static nc_status word_segments(word_state *ws)
{
    const UChar *s = ws->s;
    size_t n = ws->n;
    if (!ws->es.w->seg->plain_words)
        return icu_segments(ws, 0, n);
    nc_status r = NC_OK;
    for (size_t i = 0; i < n && r == NC_OK;) {
        size_t k = nc_find_not_word_plain(s, i, n);
        if (k == n)
            return plain_segments(ws, i, n);
        size_t a = k, q = k + 1;
        while (a > i && !fixed_boundary(s, a))
            a--;
        for (;;) {
            while (q < n && !fixed_boundary(s, q))
                q++;
            size_t near = n - q > STRETCH_JOIN ? q + STRETCH_JOIN : n;
            size_t next = q < n ? nc_find_not_word_plain(s, q, near) : near;
            if (next == near)
                break;
            q = next + 1;
        }
        if ((r = plain_segments(ws, i, a)) == NC_OK)
            r = icu_segments(ws, a, q);
        i = q;
    }
    return r;
}

nc_status nc_segment(nc_segworker *w, const nc_text *t)
{
    nc_status r = nc_segment_sentences(w, t);
    w->ntoks = 0;
    if (r || t->len16 == 0)
        return r;
    word_state ws = {.es = {w, 0, 0, 0, 0}, .s = t->u16, .n = t->len16, .dk = NC_TOK_PUNCT};
    r = word_segments(&ws);
    /* detach the iterator (once, however many stretches it saw) from a
     * buffer that may be reused or freed */
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(w->words, NULL, 0, &st);
    if (r == NC_OK && ws.have)
        r = emit(&ws.es, ws.ps, ws.pe, ws.pk);
    if (r == NC_OK && ws.have_dash)
        r = emit(&ws.es, ws.ds, ws.de, ws.dk);
    return r;
}
