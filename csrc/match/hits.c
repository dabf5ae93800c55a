#include "match/hits.h"

#include <string.h>

#include "util/alloc.h"

/* The uint32_t columns of h, the two context ones last; returns how many
 * there are with or without context. */
static size_t columns(nc_hits *h, int context, uint32_t **col[9])
{
    uint32_t **all[9] = {&h->doc,   &h->pattern, &h->sentence,  &h->tok_start, &h->tok_end,
                         &h->start, &h->end,     &h->ctx_start, &h->ctx_end};
    memcpy(col, all, sizeof all);
    return context ? 9 : 7;
}

void nc_hits_free(nc_hits *h)
{
    uint32_t **col[9];
    for (size_t a = 0, na = columns(h, 1, col); a < na; a++)
        nc_free(*col[a]);
    nc_free(h->flags);
    memset(h, 0, sizeof *h);
}

void nc_hitbuf_free(nc_hitbuf *b)
{
    nc_hits_free(&b->h);
    b->cap = 0;
}

static nc_status reserve(nc_hitbuf *b, size_t need, int context)
{
    if (need <= b->cap)
        return NC_OK;
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < need)
        cap *= 2;
    uint32_t **col[9];
    for (size_t a = 0, na = columns(&b->h, context, col); a < na; a++) {
        void *p = nc_realloc(*col[a], cap * sizeof(uint32_t));
        if (!p)
            return NC_ENOMEM; /* columns already grown stay valid; cap stays the old one */
        *col[a] = p;
    }
    void *f = nc_realloc(b->h.flags, cap);
    if (!f)
        return NC_ENOMEM;
    b->h.flags = f;
    b->cap = cap;
    return NC_OK;
}

nc_status nc_hitbuf_add(nc_hitbuf *b, const nc_tokstore *ts, size_t doc, uint32_t sentence,
                        const nc_cand *c, size_t m, const nc_match_opts *o,
                        const nc_cue_index *cx)
{
    nc_hits *h = &b->h;
    int ctx = o->context > 0;
    if (reserve(b, h->n + m, ctx))
        return NC_ENOMEM;
    uint32_t ntok = ts->docs[doc].ntok;
    for (size_t i = 0; i < m; i++, c++) {
        size_t k = h->n++;
        uint32_t a, e, x;
        h->doc[k] = (uint32_t)doc;
        h->pattern[k] = c->pat;
        h->sentence[k] = sentence;
        h->tok_start[k] = c->start;
        h->tok_end[k] = c->end;
        nc_doc_token_span(ts, doc, c->start, &a, &x);
        nc_doc_token_span(ts, doc, c->end - 1, &x, &e);
        h->start[k] = a;
        h->end[k] = e;
        if (ctx) {
            uint32_t l = c->start > o->context ? c->start - o->context : 0;
            uint32_t rt = ntok - c->end > o->context ? c->end - 1 + o->context : ntok - 1;
            nc_doc_token_span(ts, doc, l, &h->ctx_start[k], &x);
            nc_doc_token_span(ts, doc, rt, &x, &h->ctx_end[k]);
        }
        h->flags[k] = nc_cue_flags(cx, c->start, o->neg_window, o->hyp_window);
    }
    return NC_OK;
}

nc_status nc_hits_join(nc_hitbuf *bufs, size_t n, int context, nc_hits *out)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += bufs[k].h.n;
    size_t m = total ? total : 1;
    uint32_t **dst[9];
    size_t na = columns(out, context, dst);
    for (size_t a = 0; a < na; a++)
        if (!(*dst[a] = nc_malloc(m * sizeof(uint32_t))))
            return NC_ENOMEM;
    if (!(out->flags = nc_malloc(m)))
        return NC_ENOMEM;
    size_t at = 0;
    for (size_t k = 0; k < n; k++) {
        nc_hits *h = &bufs[k].h;
        uint32_t **src[9];
        columns(h, context, src);
        if (h->n) {
            for (size_t a = 0; a < na; a++)
                memcpy(*dst[a] + at, *src[a], h->n * sizeof(uint32_t));
            memcpy(out->flags + at, h->flags, h->n);
        }
        at += h->n;
    }
    out->n = total;
    return NC_OK;
}
