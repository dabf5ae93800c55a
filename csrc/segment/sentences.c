/* Sentence spans of a text: ICU's sentence boundaries, with line breaks
 * that stand alone blanked (unless every line ends a paragraph) and the
 * boundaries after listed abbreviations taken back.
 *
 * Sentence excerpts. ICU's sentence rules (UAX #29, ICU's sent.txt) end a
 * sentence only after a terminator (. ! ?) or a paragraph separator with
 * the closing punctuation and spaces after it, and at the end of the text.
 * Two ASCII letters in a row leave ICU's rule machine in one same state
 * whatever came before them (every rule that was under way ends or fails at
 * a letter), and no boundary falls before the second of them. So ICU only
 * needs to see, around each terminator, the text from the last letter pair
 * before it to the first letter pair after it; the stretches between such
 * excerpts hold no terminator and no boundary, and are cut out. The
 * excerpts, joined, are a few percent of statement-like text. Any character
 * outside ASCII counts as a terminator here, so text in other scripts is
 * simply given whole. This holds for the root rules only (rules.h); other
 * rules break whole texts. The C tests compare both ways on random and
 * conformance texts. */
#include <string.h>

#include "segment/rules.h"
#include "segment/segmenter.h"
#include "text/scan16.h"
#include "util/alloc.h"

static int is_space(UChar c) { return u_isUWhiteSpace(c) && !nc_is_line_break(c) && c != 0x2029; }

/* The next run of line breaks and spaces from i on, in s[0..n), that holds
 * exactly one line break (CR LF counts as one): its start (n if none) and,
 * in *end, its end. Such a break stands alone (no blank line around it). */
static size_t next_single_break(const UChar *s, size_t i, size_t n, size_t *end)
{
    for (i = nc_find_line_break(s, i, n); i < n; i = nc_find_line_break(s, i, n)) {
        size_t j = i, breaks = 0;
        while (j < n && (nc_is_line_break(s[j]) || is_space(s[j]))) {
            if (s[j] == 0x0D && j + 1 < n && s[j + 1] == 0x0A)
                j++; /* CR LF is one break */
            if (nc_is_line_break(s[j]))
                breaks++;
            j++;
        }
        if (breaks == 1) {
            *end = j;
            return i;
        }
        i = j;
    }
    return n;
}

/* The line breaks of s[i..j) become spaces in dst (which may be s). */
static void blank_breaks(UChar *dst, const UChar *s, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++)
        if (nc_is_line_break(s[k]))
            dst[k] = ' ';
}

/* A copy of the text in which every line break that stands alone is a
 * space, so wrapped lines do not end sentences while blank lines still do.
 * Lengths are unchanged, so offsets carry over. Returns the text to break
 * (the original when nothing needs blanking). */
static const UChar *blank_single_breaks(nc_segworker *w, const nc_text *t, nc_status *r)
{
    *r = NC_OK;
    const UChar *s = t->u16;
    size_t n = t->len16, j = 0;
    UChar *copy = NULL; /* made at the first break to blank */
    for (size_t i = next_single_break(s, 0, n, &j); i < n; i = next_single_break(s, j, n, &j)) {
        if (!copy) {
            if (nc_grow((void **)&w->sbuf, &w->sbuf_cap, n, sizeof(UChar))) {
                *r = NC_ENOMEM;
                return NULL;
            }
            copy = memcpy(w->sbuf, s, n * sizeof(UChar));
        }
        blank_breaks(copy, s, i, j);
    }
    return copy ? copy : s;
}

/* The text as ICU saw it, around boundaries: seen[i - from] is position i
 * for i in [from, to); elsewhere the text itself. */
typedef struct {
    const UChar *seen;
    size_t from, to;
} seen_text;

static inline UChar seen_at(const seen_text *v, const UChar *s, size_t i)
{
    return i >= v->from && i < v->to ? v->seen[i - v->from] : s[i];
}

static int next_is_opener(const nc_segmenter *g, const UChar *s, size_t i, size_t n)
{
    char word[16];
    size_t k = 0;
    if (i >= n || !nc_char_is(g, s[i], NC_C_UPPER, u_isupper))
        return 0;
    while (i < n && k < sizeof word - 1 && s[i] < 0x80 && nc_char_is(g, s[i], NC_C_ALPHA, u_isalpha))
        word[k++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]), i++;
    if (i < n && nc_char_is(g, s[i], NC_C_ALPHA, u_isalpha))
        return 0; /* longer or non-ASCII word: not in the list */
    word[k] = 0;
    return nc_abbr_opener(word);
}

/* 1 when the ICU boundary at b follows a listed abbreviation that should
 * not end the sentence here. */
static int suppress_break(const nc_segmenter *seg, const UChar *s, const seen_text *seen,
                          size_t n, size_t b)
{
    size_t e = b;
    while (e > 0 && nc_char_is(seg, s[e - 1], NC_C_WHITE, u_isUWhiteSpace)) {
        /* a line break ICU saw (not blanked) is a paragraph break: keep it */
        UChar c = seen_at(seen, s, e - 1);
        if (nc_is_line_break(c) || c == 0x2029)
            return 0;
        e--;
    }
    if (e == 0 || s[e - 1] != '.')
        return 0;
    size_t a = e - 1;
    while (a > 0 && !(s[a - 1] < 0x80 ? seg->ascii[s[a - 1]] & NC_C_EDGE : nc_is_word_edge(s[a - 1])))
        a--;
    size_t len = e - a;
    const nc_abbr *ab = nc_abbr_find(&seg->abbr, s + a, len);
    nc_abbr_class cls;
    if (ab)
        cls = ab->cls;
    else if (len == 2 && nc_char_is(seg, s[a], NC_C_UPPER, u_isupper))
        cls = NC_ABBR_AMBIGUOUS; /* an initial, as in "J. Smith" */
    else
        return 0;
    size_t i = b;
    while (i < n && (nc_char_is(seg, s[i], NC_C_WHITE, u_isUWhiteSpace) || nc_is_opening(s[i])))
        i++;
    if (i >= n)
        return 0;
    switch (cls) {
    case NC_ABBR_ALWAYS:
        return 1;
    case NC_ABBR_BEFORE_NUMBER:
        return nc_char_is(seg, s[i], NC_C_DIGIT, u_isdigit);
    case NC_ABBR_AMBIGUOUS:
        return !next_is_opener(seg, s, i, n);
    }
    return 0;
}

/* The pieces of s[0..n) that ICU needs to see (see the top of this file), in
 * w->pieces; adjacent ones are merged. */
static nc_status plan_excerpts(nc_segworker *w, const UChar *s, size_t n)
{
    w->npieces = 0;
    size_t covered = 0;
    for (size_t i = nc_find_sentence_end_or_wide(s, 0, n); i < n;
         i = nc_find_sentence_end_or_wide(s, i, n)) {
        /* back to the last letter pair before i, but not into the last piece */
        size_t z = i;
        while (z >= covered + 2 && !(nc_ascii_letter(s[z - 1]) && nc_ascii_letter(s[z - 2])))
            z--;
        size_t from = z >= covered + 2 ? z - 2 : covered;
        /* on to the end of the first letter pair after i */
        size_t j = i + 1;
        while (j + 1 < n && !(nc_ascii_letter(s[j]) && nc_ascii_letter(s[j + 1])))
            j++;
        size_t to = j + 1 < n ? j + 2 : n;
        if (w->npieces && w->pieces[w->npieces - 1].end == from) {
            w->pieces[w->npieces - 1].end = (uint32_t)to;
        } else {
            if (w->npieces == w->pieces_cap &&
                nc_grow((void **)&w->pieces, &w->pieces_cap, w->npieces + 1, sizeof *w->pieces))
                return NC_ENOMEM;
            w->pieces[w->npieces++] = (nc_span){(uint32_t)from, (uint32_t)to};
        }
        covered = i = to;
    }
    return NC_OK;
}

/* Keeps ICU's boundary b unless a listed abbreviation before it says
 * otherwise. */
static nc_status add_bound(nc_segworker *w, const nc_text *t, const seen_text *seen, size_t b)
{
    size_t n = t->len16;
    if (b < n && suppress_break(w->seg, t->u16, seen, n, b))
        return NC_OK;
    if (w->nbounds == w->bounds_cap &&
        nc_grow((void **)&w->bounds, &w->bounds_cap, w->nbounds + 1, sizeof *w->bounds))
        return NC_ENOMEM;
    w->bounds[w->nbounds++] = (uint32_t)b;
    return NC_OK;
}

/* ICU's sentence boundaries of the text, through add_bound(): over the
 * excerpts when the segmenter allows, else over the whole text. Unless every
 * line break is to end a paragraph, line breaks that stand alone are
 * blanked first: in the excerpts (which hold every line break with the
 * spaces and breaks around it), or in a copy of the whole text. */
static nc_status sentence_bounds(nc_segworker *w, const nc_text *t)
{
    const UChar *s = t->u16;
    size_t n = t->len16, m = 0;
    int blank = !w->seg->opt.paragraph_lines;
    nc_status r = NC_OK;
    int whole = !w->seg->excerpts;
    if (!whole) {
        if ((r = plan_excerpts(w, s, n)))
            return r;
        whole = w->npieces == 1 && w->pieces[0].start == 0 && w->pieces[0].end == n;
    }
    if (whole) {
        const UChar *x = blank ? blank_single_breaks(w, t, &r) : s;
        if (r)
            return r;
        seen_text seen = {x, 0, n};
        if ((r = nc_seg_set_text(w, w->sents, x, n)))
            return r;
        for (int32_t b = ubrk_next(w->sents); b != UBRK_DONE && !r; b = ubrk_next(w->sents))
            r = add_bound(w, t, &seen, (size_t)b);
        return r;
    }
    for (size_t k = 0; k < w->npieces; k++)
        m += w->pieces[k].end - w->pieces[k].start;
    if (nc_grow((void **)&w->xbuf, &w->xbuf_cap, m ? m : 1, sizeof(UChar)))
        return NC_ENOMEM;
    UChar *dst = w->xbuf;
    for (size_t k = 0; k < w->npieces; k++) {
        size_t len = w->pieces[k].end - w->pieces[k].start, j = 0;
        memcpy(dst, s + w->pieces[k].start, len * sizeof(UChar));
        /* a piece starts and ends at letters or the ends of the text, so it
         * holds whole runs of breaks and spaces */
        for (size_t i = blank ? next_single_break(dst, 0, len, &j) : len; i < len;
             i = next_single_break(dst, j, len, &j))
            blank_breaks(dst, dst, i, j);
        dst += len;
    }
    if (m) {
        if ((r = nc_seg_set_text(w, w->sents, w->xbuf, m)))
            return r;
        /* a boundary inside excerpt k maps back into its piece; the end of
         * the excerpts is not one (the text goes on, or ends below) */
        size_t k = 0, at = 0; /* excerpt k starts at `at` in xbuf */
        for (int32_t b = ubrk_next(w->sents); b != UBRK_DONE && (size_t)b < m && !r;
             b = ubrk_next(w->sents)) {
            while ((size_t)b > at + (w->pieces[k].end - w->pieces[k].start))
                at += w->pieces[k].end - w->pieces[k].start, k++;
            seen_text seen = {w->xbuf + at, w->pieces[k].start, w->pieces[k].end};
            r = add_bound(w, t, &seen, w->pieces[k].start + ((size_t)b - at));
        }
    }
    seen_text none = {NULL, 0, 0};
    return r ? r : add_bound(w, t, &none, n);
}

nc_status nc_segment_sentences(nc_segworker *w, const nc_text *t)
{
    w->nsents = 0;
    w->nbounds = 0;
    size_t n = t->len16;
    if (n == 0)
        return NC_OK;
    if (n > INT32_MAX)
        return NC_ERANGE;
    nc_status r = sentence_bounds(w, t);
    UErrorCode st = U_ZERO_ERROR;
    /* detach the iterator from a buffer that may be reused or freed */
    ubrk_setText(w->sents, NULL, 0, &st);
    if (r)
        return r;
    uint32_t prev = 0;
    for (size_t k = 0; k < w->nbounds; k++) {
        uint32_t a = prev, e = w->bounds[k];
        prev = e;
        while (a < e && nc_char_is(w->seg, t->u16[a], NC_C_WHITE, u_isUWhiteSpace))
            a++;
        while (e > a && nc_char_is(w->seg, t->u16[e - 1], NC_C_WHITE, u_isUWhiteSpace))
            e--;
        if (a == e)
            continue;
        if (w->nsents == w->sents_cap &&
            nc_grow((void **)&w->sents_out, &w->sents_cap, w->nsents + 1, sizeof *w->sents_out))
            return NC_ENOMEM;
        w->sents_out[w->nsents++] = (nc_span){a, e};
    }
    return NC_OK;
}
