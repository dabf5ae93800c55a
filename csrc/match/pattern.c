#include "match/pattern.h"

#include <string.h>

#include "util/alloc.h"

void nc_pattern_init(nc_pattern *p) { memset(p, 0, sizeof *p); }

void nc_pattern_free(nc_pattern *p)
{
    nc_free(p->elems);
    nc_free(p->alts);
    nc_free(p->words);
    nc_free(p->buf);
    nc_pattern_init(p);
}

typedef struct {
    const char *s;
    size_t len, i;
    nc_pattern *p;
    nc_pat_error *err;
} parser;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_special(unsigned char c)
{
    return c == '(' || c == ')' || c == '|' || c == '~' || c == '?';
}

static int at_word_end(const parser *ps, size_t i)
{
    return i >= ps->len || is_space((unsigned char)ps->s[i]) || is_special((unsigned char)ps->s[i]);
}

static nc_status fail(parser *ps, size_t pos, const char *msg)
{
    ps->err->pos = pos;
    ps->err->msg = msg;
    return NC_EINVAL;
}

static void skip_space(parser *ps)
{
    while (ps->i < ps->len && is_space((unsigned char)ps->s[ps->i]))
        ps->i++;
}

/* Bytes of the UTF-8 sequence that starts with c (1 for stray bytes). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Lexes one word at ps->i (which is neither space nor special) into a new
 * nc_pat_word. */
static nc_status lex_word(parser *ps, uint32_t *word_index)
{
    nc_pattern *p = ps->p;
    size_t start = ps->i;
    int front = 0, back = 0;
    if (ps->s[ps->i] == '*') {
        front = 1;
        ps->i++;
    }
    size_t off = p->buflen;
    while (!at_word_end(ps, ps->i)) {
        unsigned char c = (unsigned char)ps->s[ps->i];
        size_t n = 1;
        const char *from = ps->s + ps->i;
        if (c == '\\') {
            if (ps->i + 1 >= ps->len)
                return fail(ps, ps->i, "a backslash must be followed by the character it escapes");
            from++;
            n = utf8_len((unsigned char)*from);
            if (ps->i + 1 + n > ps->len)
                n = ps->len - ps->i - 1;
            ps->i += 1 + n;
        } else if (c == '*') {
            if (!at_word_end(ps, ps->i + 1))
                return fail(ps, ps->i, "'*' may only start or end a word (condemn*, *n't)");
            back = 1;
            ps->i++;
            break;
        } else {
            ps->i++;
        }
        if (nc_grow((void **)&p->buf, &p->bufcap, p->buflen + n + 1, 1))
            return NC_ENOMEM;
        memcpy(p->buf + p->buflen, from, n);
        p->buflen += n;
    }
    size_t wlen = p->buflen - off;
    if (wlen == 0)
        return fail(ps, start, "'*' alone is not a word; use ~1 for one arbitrary token");
    if (front && back)
        return fail(ps, start, "a word may have '*' at one end only");
    if (nc_grow((void **)&p->buf, &p->bufcap, p->buflen + 1, 1) ||
        nc_grow((void **)&p->words, &p->words_cap, p->nwords + 1, sizeof *p->words))
        return NC_ENOMEM;
    p->buf[p->buflen++] = 0;
    *word_index = (uint32_t)p->nwords;
    p->words[p->nwords++] = (nc_pat_word){(uint32_t)off, (uint32_t)wlen, (uint32_t)start,
                                          (uint8_t)(back ? NC_GLOB_PREFIX
                                                         : front ? NC_GLOB_SUFFIX : NC_GLOB_NONE)};
    return NC_OK;
}

static nc_status add_alt(parser *ps, uint32_t first_word)
{
    nc_pattern *p = ps->p;
    if (nc_grow((void **)&p->alts, &p->alts_cap, p->nalts + 1, sizeof *p->alts))
        return NC_ENOMEM;
    p->alts[p->nalts++] = (nc_pat_alt){first_word, 0};
    return NC_OK;
}

static nc_status add_elem(parser *ps, nc_pat_elem e)
{
    nc_pattern *p = ps->p;
    if (p->nelems >= NC_PAT_MAX_ELEMENTS)
        return fail(ps, e.pos, "too many elements in one pattern (the limit is 32)");
    if (nc_grow((void **)&p->elems, &p->elems_cap, p->nelems + 1, sizeof *p->elems))
        return NC_ENOMEM;
    p->elems[p->nelems++] = e;
    return NC_OK;
}

static nc_status parse_group(parser *ps)
{
    nc_pattern *p = ps->p;
    size_t open = ps->i++;
    nc_status r;
    uint32_t first_alt = (uint32_t)p->nalts;
    if ((r = add_alt(ps, (uint32_t)p->nwords)))
        return r;
    for (;;) {
        skip_space(ps);
        if (ps->i >= ps->len)
            return fail(ps, open, "'(' is never closed");
        char c = ps->s[ps->i];
        nc_pat_alt *cur = &p->alts[p->nalts - 1];
        if (c == ')' || c == '|') {
            if (cur->n == 0)
                return fail(ps, ps->i, "empty alternative");
            ps->i++;
            if (c == ')')
                break;
            if (p->nalts - first_alt >= NC_PAT_MAX_ALTS)
                return fail(ps, ps->i - 1, "too many alternatives in one group (the limit is 256)");
            if ((r = add_alt(ps, (uint32_t)p->nwords)))
                return r;
        } else if (c == '(') {
            return fail(ps, ps->i, "groups cannot be nested");
        } else if (c == '~') {
            return fail(ps, ps->i, "a gap cannot appear inside parentheses");
        } else if (c == '?') {
            return fail(ps, ps->i,
                        "'?' is not allowed inside parentheses; make the whole group optional: (...)?");
        } else {
            if (cur->n >= NC_PAT_MAX_ALT_WORDS)
                return fail(ps, ps->i, "too many words in one alternative (the limit is 16)");
            uint32_t w;
            if ((r = lex_word(ps, &w)))
                return r;
            p->alts[p->nalts - 1].n++;
        }
    }
    return add_elem(ps, (nc_pat_elem){NC_EL_WORDS, 0, 0, first_alt,
                                      (uint32_t)(p->nalts - first_alt), (uint32_t)open});
}

static nc_status parse_gap(parser *ps)
{
    size_t pos = ps->i++;
    unsigned n = 0, digits = 0;
    while (ps->i < ps->len && ps->s[ps->i] >= '0' && ps->s[ps->i] <= '9') {
        if (n < 1000)
            n = n * 10 + (unsigned)(ps->s[ps->i] - '0');
        ps->i++;
        digits++;
    }
    if (!digits)
        return fail(ps, pos, "'~' must be followed by a number (~3: up to 3 tokens)");
    if (n == 0)
        return fail(ps, pos, "a gap must be at least ~1");
    if (n > NC_PAT_MAX_GAP)
        return fail(ps, pos, "gap larger than the limit of ~8 tokens");
    return add_elem(ps, (nc_pat_elem){NC_EL_GAP, 0, (uint8_t)n, 0, 0, (uint32_t)pos});
}

static nc_status parse_all(parser *ps)
{
    nc_pattern *p = ps->p;
    nc_status r;
    if (ps->len > NC_PAT_MAX_BYTES)
        return fail(ps, NC_PAT_MAX_BYTES, "pattern longer than the limit of 4096 bytes");
    for (;;) {
        skip_space(ps);
        if (ps->i >= ps->len)
            break;
        char c = ps->s[ps->i];
        if (c == '(') {
            r = parse_group(ps);
        } else if (c == ')') {
            return fail(ps, ps->i, "')' without a matching '('");
        } else if (c == '|') {
            return fail(ps, ps->i, "'|' outside parentheses; write alternatives as (a|b)");
        } else if (c == '?') {
            return fail(ps, ps->i, "'?' must directly follow the word or group it makes optional");
        } else if (c == '~') {
            r = parse_gap(ps);
        } else {
            size_t pos = ps->i;
            uint32_t first_alt = (uint32_t)p->nalts, w;
            if ((r = add_alt(ps, (uint32_t)p->nwords)) || (r = lex_word(ps, &w)))
                return r;
            p->alts[first_alt].n = 1;
            r = add_elem(ps, (nc_pat_elem){NC_EL_WORDS, 0, 0, first_alt, 1, (uint32_t)pos});
        }
        if (r)
            return r;
        if (ps->i < ps->len && ps->s[ps->i] == '?') {
            nc_pat_elem *e = &p->elems[p->nelems - 1];
            if (e->kind == NC_EL_GAP)
                return fail(ps, ps->i, "a gap cannot be optional; it already allows zero tokens");
            e->optional = 1;
            ps->i++;
            if (ps->i < ps->len && ps->s[ps->i] == '?')
                return fail(ps, ps->i, "'?' given twice");
        }
    }
    if (p->nelems == 0)
        return fail(ps, 0, "empty pattern");
    int required = 0;
    for (size_t k = 0; k < p->nelems; k++) {
        const nc_pat_elem *e = &p->elems[k];
        if (e->kind == NC_EL_GAP) {
            if (k == 0)
                return fail(ps, e->pos, "a pattern cannot start with a gap");
            if (k + 1 == p->nelems)
                return fail(ps, e->pos, "a pattern cannot end with a gap");
            if (p->elems[k - 1].kind == NC_EL_GAP)
                return fail(ps, e->pos, "two gaps in a row; write one gap ~N");
        } else if (!e->optional) {
            required = 1;
        }
    }
    if (!required)
        return fail(ps, p->elems[0].pos,
                    "every element is optional, so the pattern could match nothing");
    return NC_OK;
}

nc_status nc_pattern_parse(const char *src, size_t len, nc_pattern *p, nc_pat_error *err)
{
    nc_pattern_init(p);
    nc_pat_error dummy;
    parser ps = {src, len, 0, p, err ? err : &dummy};
    ps.err->pos = 0;
    ps.err->msg = NULL;
    nc_status r = parse_all(&ps);
    if (r)
        nc_pattern_free(p);
    if (r == NC_ENOMEM)
        ps.err->msg = "out of memory";
    return r;
}
