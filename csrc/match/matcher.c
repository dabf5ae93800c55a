#include "match/matcher.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "tokens/normalize.h"

#define NO_STATE UINT32_MAX
#define GAP_LABEL 0x80000000u
#define EMPTY_KEY UINT64_MAX

/* Term keys start with one byte telling how the term matches a form. */
#define KEY_LITERAL '='
#define KEY_PREFIX '<'
#define KEY_SUFFIX '>'

typedef struct {
    uint32_t a, b;
} u32pair;

struct edge;

struct nc_lexicon {
    size_t npatterns;
    uint32_t *pat_category;
    uint8_t *pat_role;
    nc_vocab terms;        /* term id -> key (KEY_* byte, then form or stem) */
    nc_vocab classes;      /* symbol id -> key (its sorted term ids as bytes) */
    uint32_t *class_off;   /* symbol -> terms, CSR */
    uint32_t *class_terms;
    size_t nstates, states_cap;
    uint8_t *state_gap;    /* N for the gap state of ~N, 0 for a word state */
    uint8_t *state_edges;  /* a word state with outgoing symbol edges */
    uint32_t *acc_off, *acc_pat;
    uint32_t *gk_off, *gk_state; /* gap states reachable without a token */
    uint32_t *root_child;  /* per symbol */
    struct edge *edges;    /* while building: open addressing on (state << 32) | label */
    size_t emask, nedges;
    /* for scanning, each word state's symbol edges in a table of its own, so that
     * the edges of frequent states stay in cache: cinfo[s] is the number of
     * edges (searched linearly) or CHILD_HASHED | mask of an open-addressing table
     * at ctab + coff[s] (free slots have the label NO_STATE) */
    uint32_t *coff, *cinfo;
    u32pair *ctab;
    /* per state, sym_bit of each of its edges' symbols: most partial matches die
     * at the next token, and this rejects most of those without the table */
    uint64_t *cmask;
    size_t npaths;
    char *stem_language;
    int has_prefix;        /* binding needs the sorted vocabulary */
};

/* ---- small containers ------------------------------------------------------ */

void nc_strlist_free(nc_strlist *l)
{
    nc_free(l->buf);
    nc_free(l->off);
    memset(l, 0, sizeof *l);
}

nc_status nc_strlist_add(nc_strlist *l, const char *s, size_t len)
{
    if (nc_grow((void **)&l->buf, &l->cap, l->len + len + 1, 1) ||
        nc_grow((void **)&l->off, &l->ncap, l->n + 1, sizeof *l->off))
        return NC_ENOMEM;
    memcpy(l->buf + l->len, s, len);
    l->buf[l->len + len] = 0;
    l->off[l->n++] = l->len;
    l->len += len + 1;
    return NC_OK;
}

static void strlist_clear(nc_strlist *l) { l->len = l->n = 0; }

static size_t strlist_len(const nc_strlist *l, size_t i)
{
    size_t end = i + 1 < l->n ? l->off[i + 1] : l->len;
    return end - l->off[i] - 1;
}

/* Sorts pairs by a (counting sort, stable) into CSR: off[0..na], vals. */
static nc_status pairs_to_csr(const u32pair *p, size_t n, size_t na, uint32_t **off,
                              uint32_t **vals)
{
    uint32_t *o = nc_calloc(na + 1, sizeof *o);
    uint32_t *v = nc_malloc((n ? n : 1) * sizeof *v);
    if (!o || !v) {
        nc_free(o);
        nc_free(v);
        return NC_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        o[p[i].a + 1]++;
    for (size_t k = 0; k < na; k++)
        o[k + 1] += o[k];
    for (size_t i = 0; i < n; i++)
        v[o[p[i].a]++] = p[i].b;
    for (size_t k = na; k > 0; k--)
        o[k] = o[k - 1];
    o[0] = 0;
    *off = o;
    *vals = v;
    return NC_OK;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static void sort_u32(uint32_t *a, size_t n)
{
    if (n > 32) {
        qsort(a, n, sizeof *a, cmp_u32);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

static size_t unique_u32(uint32_t *a, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || a[m - 1] != a[i])
            a[m++] = a[i];
    return m;
}

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* ---- the trie ------------------------------------------------------------- */

struct edge {
    uint64_t key; /* EMPTY_KEY when free */
    uint32_t child;
};

/* The build-time lookup. */
static uint32_t edge_get(const nc_lexicon *lx, uint32_t state, uint32_t label)
{
    uint64_t key = ((uint64_t)state << 32) | label;
    for (size_t i = mix64(key) & lx->emask;; i = (i + 1) & lx->emask) {
        const struct edge *e = &lx->edges[i];
        if (e->key == key)
            return e->child;
        if (e->key == EMPTY_KEY)
            return NO_STATE;
    }
}

static nc_status edges_grow(nc_lexicon *lx)
{
    size_t n = lx->emask ? (lx->emask + 1) * 2 : 1024;
    struct edge *t = nc_malloc(n * sizeof *t);
    if (!t)
        return NC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        t[i].key = EMPTY_KEY;
    size_t mask = n - 1;
    for (size_t i = 0; lx->emask && i <= lx->emask; i++) {
        if (lx->edges[i].key == EMPTY_KEY)
            continue;
        size_t j = mix64(lx->edges[i].key) & mask;
        while (t[j].key != EMPTY_KEY)
            j = (j + 1) & mask;
        t[j] = lx->edges[i];
    }
    nc_free(lx->edges);
    lx->edges = t;
    lx->emask = mask;
    return NC_OK;
}

static nc_status new_state(nc_lexicon *lx, uint8_t gap, uint32_t *id)
{
    if (lx->nstates >= NO_STATE - 1)
        return NC_ERANGE;
    if (lx->nstates == lx->states_cap) {
        /* the arrays already grown stay valid if a later one fails */
        size_t cap = lx->states_cap ? lx->states_cap * 2 : 256;
        void *p;
        if (!(p = nc_realloc(lx->state_gap, cap)))
            return NC_ENOMEM;
        lx->state_gap = p;
        if (!(p = nc_realloc(lx->state_edges, cap)))
            return NC_ENOMEM;
        lx->state_edges = p;
        lx->states_cap = cap;
    }
    lx->state_gap[lx->nstates] = gap;
    lx->state_edges[lx->nstates] = 0;
    *id = (uint32_t)lx->nstates++;
    return NC_OK;
}

typedef struct {
    u32pair *acc;      /* (state, pattern) */
    size_t nacc, acc_cap;
    u32pair *gk;       /* (word state, gap state) */
    size_t ngk, gk_cap;
} trie_build;

/* The child of state by label, created if missing. */
static nc_status child(nc_lexicon *lx, trie_build *tb, uint32_t state, uint32_t label,
                       uint32_t *out)
{
    if (lx->emask == 0 || (lx->nedges + 1) * 2 > lx->emask + 1) {
        nc_status r = edges_grow(lx);
        if (r)
            return r;
    }
    uint64_t key = ((uint64_t)state << 32) | label;
    size_t i = mix64(key) & lx->emask;
    for (; lx->edges[i].key != EMPTY_KEY; i = (i + 1) & lx->emask)
        if (lx->edges[i].key == key) {
            *out = lx->edges[i].child;
            return NC_OK;
        }
    uint32_t c;
    int gap = (label & GAP_LABEL) != 0;
    nc_status r = new_state(lx, gap ? (uint8_t)(label & 0xFF) : 0, &c);
    if (r)
        return r;
    if (gap) {
        if (nc_grow((void **)&tb->gk, &tb->gk_cap, tb->ngk + 1, sizeof *tb->gk))
            return NC_ENOMEM;
        tb->gk[tb->ngk++] = (u32pair){state, c};
    } else {
        lx->state_edges[state] = 1;
    }
    lx->edges[i] = (struct edge){key, c};
    lx->nedges++;
    *out = c;
    return NC_OK;
}

/* ---- compiling patterns ----------------------------------------------------- */

typedef struct {
    uint32_t first, n; /* symbols in the branch (n == 0: the optional element is absent) */
} branch;

typedef struct {
    nc_lexicon *lx;
    trie_build tb;
    nc_word_fn norm;
    void *norm_ctx;
    nc_normalizer stemmer;
    nc_strlist forms;
    char *key;
    size_t keycap;
    uint32_t *tmp;     /* term ids of the pattern's alternatives */
    size_t tmpcap;
    uint32_t *cls;     /* term ids of a class being built */
    size_t cls_cap;
    uint32_t *alt_first, *alt_n; /* per alternative: its terms in tmp */
    /* per pattern */
    uint32_t *syms;    /* symbols of all branches */
    size_t nsyms, syms_cap;
    branch *br;
    size_t nbr, br_cap;
    uint32_t *elem_br; /* per element: first branch; elem_nbr: count */
    uint32_t *elem_nbr;
    uint8_t *elem_gap;
    size_t nel;
    uint32_t pattern;
    size_t paths;
    nc_lex_error *err;
} compiler;

static nc_status intern_term(compiler *c, char kind, const char *form, size_t len, uint32_t *id)
{
    if (kind == KEY_LITERAL && c->lx->stem_language) {
        nc_status r = nc_stem(&c->stemmer, form, len, &form, &len);
        if (r)
            return r;
    }
    if (nc_grow((void **)&c->key, &c->keycap, len + 1, 1))
        return NC_ENOMEM;
    c->key[0] = kind;
    memcpy(c->key + 1, form, len);
    if (kind == KEY_PREFIX)
        c->lx->has_prefix = 1;
    return nc_vocab_intern(&c->lx->terms, c->key, len + 1, 0, id);
}

static nc_status intern_class(compiler *c, uint32_t *terms, size_t n, uint32_t *sym)
{
    sort_u32(terms, n);
    n = unique_u32(terms, n);
    return nc_vocab_intern(&c->lx->classes, (const char *)terms, n * sizeof *terms, 0, sym);
}

static nc_status fail_at(compiler *c, size_t pos, const char *msg)
{
    c->err->pattern = c->pattern;
    c->err->pos = pos;
    c->err->msg = msg;
    return NC_EINVAL;
}

/* The terms of one pattern word, appended to c->tmp from index *nt: its
 * forms, the glob on the last form (prefix) or the first (suffix). */
static nc_status word_terms(compiler *c, const nc_pattern *p, const nc_pat_word *w, size_t *nt)
{
    strlist_clear(&c->forms);
    const char *s = nc_pat_word_str(p, w);
    nc_status r = c->norm ? c->norm(c->norm_ctx, s, w->len, w->glob, &c->forms)
                          : nc_strlist_add(&c->forms, s, w->len);
    if (r == NC_EINVAL || (r == NC_OK && c->forms.n == 0))
        return fail_at(c, w->pos, "this word has no tokens under the tokenizer");
    if (r) {
        c->err->pattern = c->pattern;
        c->err->pos = w->pos;
        c->err->msg = NULL;
        return r;
    }
    for (size_t k = 0; k < c->forms.n; k++) {
        char kind = KEY_LITERAL;
        if (w->glob == NC_GLOB_PREFIX && k + 1 == c->forms.n)
            kind = KEY_PREFIX;
        else if (w->glob == NC_GLOB_SUFFIX && k == 0)
            kind = KEY_SUFFIX;
        uint32_t t;
        if ((r = intern_term(c, kind, c->forms.buf + c->forms.off[k], strlist_len(&c->forms, k),
                             &t)))
            return r;
        if (nc_grow((void **)&c->tmp, &c->tmpcap, *nt + 1, sizeof *c->tmp))
            return NC_ENOMEM;
        c->tmp[(*nt)++] = t;
    }
    return NC_OK;
}

static nc_status add_branch(compiler *c, size_t first, uint32_t n)
{
    if (nc_grow((void **)&c->br, &c->br_cap, c->nbr + 1, sizeof *c->br))
        return NC_ENOMEM;
    c->br[c->nbr++] = (branch){(uint32_t)first, n};
    return NC_OK;
}

static nc_status push_sym(compiler *c, uint32_t sym)
{
    if (nc_grow((void **)&c->syms, &c->syms_cap, c->nsyms + 1, sizeof *c->syms))
        return NC_ENOMEM;
    c->syms[c->nsyms++] = sym;
    return NC_OK;
}

/* The branches of one element: each multi-token alternative as a sequence of
 * one-term symbols; the single-token alternatives either each as a branch of
 * its own (`expand`: the trie stays deterministic for them, so a token takes
 * one edge, not one per group it belongs to) or together as one class symbol
 * (no expansion at all); and an empty branch if the element is optional. */
static nc_status element_branches(compiler *c, const nc_pattern *p, const nc_pat_elem *e,
                                  int expand)
{
    nc_status r;
    size_t ncls = 0;
    for (uint32_t a = e->first; a < e->first + e->n; a++) {
        uint32_t first = c->alt_first[a], n = c->alt_n[a];
        if (n == 1 && !expand) {
            if (nc_grow((void **)&c->cls, &c->cls_cap, ncls + 1, sizeof *c->cls))
                return NC_ENOMEM;
            c->cls[ncls++] = c->tmp[first];
            continue;
        }
        size_t at = c->nsyms;
        for (uint32_t k = first; k < first + n; k++) {
            uint32_t sym, t = c->tmp[k];
            if ((r = intern_class(c, &t, 1, &sym)) || (r = push_sym(c, sym)))
                return r;
        }
        if ((r = add_branch(c, at, n)))
            return r;
    }
    if (ncls) {
        uint32_t sym;
        size_t at = c->nsyms;
        if ((r = intern_class(c, c->cls, ncls, &sym)) || (r = push_sym(c, sym)) ||
            (r = add_branch(c, at, 1)))
            return r;
    }
    (void)p;
    if (e->optional)
        return add_branch(c, c->nsyms, 0);
    return NC_OK;
}

/* Inserts every path of the pattern into the trie, depth first. */
static nc_status insert_paths(compiler *c, const nc_pattern *p, size_t k, uint32_t state,
                              uint32_t pending, size_t depth)
{
    nc_lexicon *lx = c->lx;
    nc_status r;
    if (k == c->nel) {
        if (nc_grow((void **)&c->tb.acc, &c->tb.acc_cap, c->tb.nacc + 1, sizeof *c->tb.acc))
            return NC_ENOMEM;
        c->tb.acc[c->tb.nacc++] = (u32pair){state, c->pattern};
        c->paths++;
        return NC_OK;
    }
    if (c->elem_gap[k])
        return insert_paths(c, p, k + 1, state, pending + c->elem_gap[k], depth);
    for (uint32_t j = 0; j < c->elem_nbr[k]; j++) {
        branch b = c->br[c->elem_br[k] + j];
        if (b.n == 0) {
            if ((r = insert_paths(c, p, k + 1, state, pending, depth)))
                return r;
            continue;
        }
        if (depth + b.n > NC_LEX_MAX_STEPS)
            return fail_at(c, p->elems[k].pos, "pattern longer than the limit of 64 tokens");
        uint32_t s = state;
        /* a gap before the first token of a path means nothing: dropped */
        if (pending && depth > 0 && (r = child(lx, &c->tb, s, GAP_LABEL | pending, &s)))
            return r;
        for (uint32_t t = 0; t < b.n; t++)
            if ((r = child(lx, &c->tb, s, c->syms[b.first + t], &s)))
                return r;
        if ((r = insert_paths(c, p, k + 1, s, 0, depth + b.n)))
            return r;
    }
    return NC_OK;
}

/* Normalizes every alternative of the pattern: the terms of alternative a
 * are c->tmp[alt_first[a] .. alt_first[a] + alt_n[a]). */
static nc_status pattern_terms(compiler *c, const nc_pattern *p)
{
    size_t na = p->nalts ? p->nalts : 1;
    c->alt_first = nc_malloc(na * sizeof *c->alt_first);
    c->alt_n = nc_malloc(na * sizeof *c->alt_n);
    if (!c->alt_first || !c->alt_n)
        return NC_ENOMEM;
    size_t nt = 0;
    for (size_t a = 0; a < p->nalts; a++) {
        c->alt_first[a] = (uint32_t)nt;
        for (uint32_t w = 0; w < p->alts[a].n; w++) {
            nc_status r = word_terms(c, p, &p->words[p->alts[a].first + w], &nt);
            if (r)
                return r;
        }
        c->alt_n[a] = (uint32_t)(nt - c->alt_first[a]);
    }
    return NC_OK;
}

static nc_status compile_pattern(compiler *c, const nc_pat_spec *sp)
{
    nc_pattern p;
    nc_pat_error pe;
    nc_status r = nc_pattern_parse(sp->src, sp->len, &p, &pe);
    if (r == NC_EINVAL)
        return fail_at(c, pe.pos, pe.msg);
    if (r)
        return r;
    c->nsyms = c->nbr = 0;
    c->nel = p.nelems;
    size_t nel = p.nelems ? p.nelems : 1;
    c->elem_br = nc_malloc(nel * sizeof *c->elem_br);
    c->elem_nbr = nc_malloc(nel * sizeof *c->elem_nbr);
    c->elem_gap = nc_malloc(nel);
    uint8_t *expand = nc_calloc(nel, 1);
    uint64_t *nclass = nc_malloc(nel * sizeof *nclass), *nexp = nc_malloc(nel * sizeof *nexp);
    if (!c->elem_br || !c->elem_nbr || !c->elem_gap || !expand || !nclass || !nexp) {
        r = NC_ENOMEM;
        goto done;
    }
    if ((r = pattern_terms(c, &p)))
        goto done;
    /* branches per element with classes (the fewest) and with every single-token
     * alternative expanded */
    uint64_t product = 1;
    for (size_t k = 0; k < p.nelems; k++) {
        const nc_pat_elem *e = &p.elems[k];
        nclass[k] = nexp[k] = 1;
        if (e->kind != NC_EL_WORDS)
            continue;
        uint64_t single = 0, multi = 0;
        for (uint32_t a = e->first; a < e->first + e->n; a++) {
            single += c->alt_n[a] == 1;
            multi += c->alt_n[a] != 1;
        }
        nclass[k] = multi + (single > 0) + e->optional;
        nexp[k] = multi + single + e->optional;
        product *= nclass[k];
        if (product > NC_LEX_MAX_PATHS) {
            r = fail_at(c, e->pos,
                        "alternatives and optional parts expand to more than 1024 sequences");
            goto done;
        }
    }
    /* expand groups from the left while the pattern stays within the limit: the
     * first words matter most, every token is tried against the trie's root */
    for (size_t k = 0; k < p.nelems; k++) {
        uint64_t more = product / nclass[k] * nexp[k];
        if (more <= NC_LEX_MAX_PATHS) {
            product = more;
            expand[k] = 1;
        }
    }
    for (size_t k = 0; k < p.nelems; k++) {
        const nc_pat_elem *e = &p.elems[k];
        c->elem_gap[k] = e->kind == NC_EL_GAP ? e->gap : 0;
        c->elem_br[k] = (uint32_t)c->nbr;
        if (e->kind == NC_EL_WORDS && (r = element_branches(c, &p, e, expand[k])))
            goto done;
        c->elem_nbr[k] = (uint32_t)(c->nbr - c->elem_br[k]);
    }
    r = insert_paths(c, &p, 0, 0, 0, 0);
done:
    nc_free(c->elem_br);
    nc_free(c->elem_nbr);
    nc_free(c->elem_gap);
    nc_free(c->alt_first);
    nc_free(c->alt_n);
    nc_free(expand);
    nc_free(nclass);
    nc_free(nexp);
    c->elem_br = c->elem_nbr = c->alt_first = c->alt_n = NULL;
    c->elem_gap = NULL;
    nc_pattern_free(&p);
    return r;
}

/* Accepted patterns per state, sorted and without duplicates (the same path
 * can come out of a pattern twice, e.g. "(a|a)"). */
static nc_status finish_accepts(nc_lexicon *lx, trie_build *tb)
{
    nc_status r = pairs_to_csr(tb->acc, tb->nacc, lx->nstates, &lx->acc_off, &lx->acc_pat);
    if (r)
        return r;
    uint32_t w = 0;
    for (size_t s = 0; s < lx->nstates; s++) {
        uint32_t a = lx->acc_off[s], b = lx->acc_off[s + 1];
        sort_u32(lx->acc_pat + a, b - a);
        size_t m = unique_u32(lx->acc_pat + a, b - a);
        memmove(lx->acc_pat + w, lx->acc_pat + a, m * sizeof *lx->acc_pat);
        lx->acc_off[s] = w;
        w += (uint32_t)m;
    }
    lx->acc_off[lx->nstates] = w;
    return NC_OK;
}

#define CHILD_HASHED 0x80000000u
#define CHILD_LINEAR_MAX 8

static inline uint32_t label_slot(uint32_t label) { return label * 0x9E3779B1u; }

/* One of 64 bits for a symbol (see cmask and nc_lexbind.symmask). */
static inline uint64_t sym_bit(uint32_t sym) { return (uint64_t)1 << (label_slot(sym) >> 26); }

/* The child of a word state by symbol, or NO_STATE. */
static inline uint32_t step(const nc_lexicon *lx, uint32_t state, uint32_t sym)
{
    uint32_t info = lx->cinfo[state];
    const u32pair *t = lx->ctab + lx->coff[state];
    if (!(info & CHILD_HASHED)) {
        for (uint32_t k = 0; k < info; k++)
            if (t[k].a == sym)
                return t[k].b;
        return NO_STATE;
    }
    uint32_t mask = info & ~CHILD_HASHED;
    for (uint32_t i = label_slot(sym) & mask;; i = (i + 1) & mask) {
        if (t[i].a == sym)
            return t[i].b;
        if (t[i].a == NO_STATE)
            return NO_STATE;
    }
}

/* Moves the symbol edges of every state into its own table (see cinfo) and
 * frees the build-time table. */
static nc_status finish_children(nc_lexicon *lx)
{
    size_t ns = lx->nstates;
    lx->coff = nc_calloc(ns + 1, sizeof *lx->coff);
    lx->cinfo = nc_calloc(ns + 1, sizeof *lx->cinfo);
    lx->cmask = nc_calloc(ns + 1, sizeof *lx->cmask);
    if (!lx->coff || !lx->cinfo || !lx->cmask)
        return NC_ENOMEM;
    for (size_t i = 0; lx->edges && i <= lx->emask; i++) {
        uint64_t key = lx->edges[i].key;
        if (key != EMPTY_KEY && !((uint32_t)key & GAP_LABEL))
            lx->cinfo[key >> 32]++;
    }
    size_t total = 0;
    for (size_t st = 0; st < ns; st++) {
        uint32_t n = lx->cinfo[st];
        lx->coff[st] = (uint32_t)total;
        if (n > CHILD_LINEAR_MAX) {
            /* at most a quarter full: most lookups in a large state miss
             * (a partial match that the next token does not continue), and a
             * miss probes on to an empty slot */
            uint32_t size = 16;
            while (size < 4 * n)
                size *= 2;
            lx->cinfo[st] = CHILD_HASHED | (size - 1);
            total += size;
        } else {
            total += n;
        }
        if (total > UINT32_MAX)
            return NC_ERANGE;
    }
    lx->ctab = nc_malloc((total ? total : 1) * sizeof *lx->ctab);
    uint32_t *fill = nc_calloc(ns + 1, sizeof *fill);
    if (!lx->ctab || !fill) {
        nc_free(fill);
        return NC_ENOMEM;
    }
    for (size_t i = 0; i < total; i++)
        lx->ctab[i] = (u32pair){NO_STATE, NO_STATE};
    for (size_t i = 0; lx->edges && i <= lx->emask; i++) {
        uint64_t key = lx->edges[i].key;
        if (key == EMPTY_KEY || ((uint32_t)key & GAP_LABEL))
            continue;
        uint32_t st = (uint32_t)(key >> 32), label = (uint32_t)key, info = lx->cinfo[st];
        u32pair *t = lx->ctab + lx->coff[st];
        lx->cmask[st] |= sym_bit(label);
        if (info & CHILD_HASHED) {
            uint32_t mask = info & ~CHILD_HASHED, j = label_slot(label) & mask;
            while (t[j].a != NO_STATE)
                j = (j + 1) & mask;
            t[j] = (u32pair){label, lx->edges[i].child};
        } else {
            t[fill[st]++] = (u32pair){label, lx->edges[i].child};
        }
    }
    nc_free(fill);
    nc_free(lx->edges);
    lx->edges = NULL;
    lx->emask = 0;
    return NC_OK;
}

static nc_status finish(nc_lexicon *lx, trie_build *tb)
{
    nc_status r;
    size_t nc = lx->classes.n;
    size_t total = 0;
    for (size_t k = 0; k < nc; k++)
        total += lx->classes.lens[k] / sizeof(uint32_t);
    lx->class_off = nc_malloc((nc + 1) * sizeof *lx->class_off);
    lx->class_terms = nc_malloc((total ? total : 1) * sizeof *lx->class_terms);
    lx->root_child = nc_malloc((nc ? nc : 1) * sizeof *lx->root_child);
    if (!lx->class_off || !lx->class_terms || !lx->root_child)
        return NC_ENOMEM;
    lx->class_off[0] = 0;
    for (size_t k = 0; k < nc; k++) {
        size_t len;
        const char *s = nc_vocab_str(&lx->classes, (uint32_t)k, &len);
        memcpy(lx->class_terms + lx->class_off[k], s, len);
        lx->class_off[k + 1] = lx->class_off[k] + (uint32_t)(len / sizeof(uint32_t));
        lx->root_child[k] = edge_get(lx, 0, (uint32_t)k);
    }
    if ((r = finish_accepts(lx, tb)) || (r = finish_children(lx)))
        return r;
    return pairs_to_csr(tb->gk, tb->ngk, lx->nstates, &lx->gk_off, &lx->gk_state);
}

void nc_lexicon_free(nc_lexicon *lx)
{
    if (!lx)
        return;
    nc_free(lx->pat_category);
    nc_free(lx->pat_role);
    nc_vocab_free(&lx->terms);
    nc_vocab_free(&lx->classes);
    nc_free(lx->class_off);
    nc_free(lx->class_terms);
    nc_free(lx->state_gap);
    nc_free(lx->state_edges);
    nc_free(lx->acc_off);
    nc_free(lx->acc_pat);
    nc_free(lx->gk_off);
    nc_free(lx->gk_state);
    nc_free(lx->root_child);
    nc_free(lx->edges);
    nc_free(lx->coff);
    nc_free(lx->cinfo);
    nc_free(lx->cmask);
    nc_free(lx->ctab);
    nc_free(lx->stem_language);
    nc_free(lx);
}

nc_status nc_lexicon_compile(const nc_pat_spec *specs, size_t n, nc_word_fn norm, void *norm_ctx,
                             const char *stem_language, nc_lexicon **out, nc_lex_error *err)
{
    nc_lex_error dummy;
    if (!err)
        err = &dummy;
    *err = (nc_lex_error){0, 0, NULL};
    *out = NULL;
    if (n == 0) {
        err->msg = "the lexicon has no patterns";
        return NC_EINVAL;
    }
    if (n > NC_LEX_MAX_PATTERNS)
        return NC_ERANGE;
    compiler c;
    memset(&c, 0, sizeof c);
    c.norm = norm;
    c.norm_ctx = norm_ctx;
    c.err = err;
    nc_status r = NC_ENOMEM;
    nc_lexicon *lx = c.lx = nc_calloc(1, sizeof *lx);
    if (!lx)
        return NC_ENOMEM;
    lx->npatterns = n;
    lx->pat_category = nc_malloc(n * sizeof *lx->pat_category);
    lx->pat_role = nc_malloc(n);
    if (!lx->pat_category || !lx->pat_role)
        goto done;
    if (stem_language && stem_language[0]) {
        size_t sl = strlen(stem_language);
        if (!(lx->stem_language = nc_malloc(sl + 1)))
            goto done;
        memcpy(lx->stem_language, stem_language, sl + 1);
        nc_norm_options no = {0, stem_language};
        if ((r = nc_normalizer_init(&c.stemmer, &no))) {
            if (r == NC_EINVAL) {
                err->pattern = n;
                err->msg = "unknown stemming language";
            }
            goto done;
        }
    }
    uint32_t root;
    if ((r = new_state(lx, 0, &root)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        lx->pat_category[i] = specs[i].category;
        lx->pat_role[i] = specs[i].role;
        c.pattern = (uint32_t)i;
        if ((r = compile_pattern(&c, &specs[i])))
            goto done;
    }
    lx->npaths = c.paths;
    r = finish(lx, &c.tb);
done:
    nc_normalizer_free(&c.stemmer);
    nc_strlist_free(&c.forms);
    nc_free(c.key);
    nc_free(c.tmp);
    nc_free(c.cls);
    nc_free(c.syms);
    nc_free(c.br);
    nc_free(c.tb.acc);
    nc_free(c.tb.gk);
    if (r) {
        if (r == NC_ENOMEM && !err->msg)
            err->msg = "out of memory";
        nc_lexicon_free(lx);
        return r;
    }
    *out = lx;
    return NC_OK;
}

void nc_lexicon_get_info(const nc_lexicon *lx, nc_lexicon_info *info)
{
    info->patterns = lx->npatterns;
    info->symbols = lx->classes.n;
    info->terms = lx->terms.n;
    info->states = lx->nstates;
    info->edges = lx->nedges;
    info->paths = lx->npaths;
}

/* ---- binding to a vocabulary -------------------------------------------- */

void nc_lexbind_free(nc_lexbind *b)
{
    nc_free(b->off);
    nc_free(b->syms);
    nc_free(b->roff);
    nc_free(b->roots);
    nc_free(b->symmask);
    memset(b, 0, sizeof *b);
}

/* Compares form with prefix after cutting the form to the prefix's length:
 * 0 exactly for the forms that start with the prefix, and monotone over
 * forms in sorted order. */
static int cmp_cut(const char *f, size_t fl, const char *p, size_t pl)
{
    int c = memcmp(f, p, fl < pl ? fl : pl);
    if (c)
        return c;
    return fl < pl ? -1 : 0;
}

typedef struct {
    u32pair *p; /* (term, vocab id) */
    size_t n, cap;
} pairbuf;

static nc_status pair_add(pairbuf *pb, uint32_t a, uint32_t b)
{
    if (nc_grow((void **)&pb->p, &pb->cap, pb->n + 1, sizeof *pb->p))
        return NC_ENOMEM;
    pb->p[pb->n++] = (u32pair){a, b};
    return NC_OK;
}

/* The (term, vocab id) pairs of every term that some form matches. */
static nc_status resolve_terms(const nc_lexicon *lx, const nc_vocab *v, pairbuf *pb)
{
    nc_status r = NC_OK;
    uint32_t *order = NULL;
    nc_normalizer stem;
    memset(&stem, 0, sizeof stem);
    char *key = NULL;
    size_t keycap = 0;
    if (lx->has_prefix && v->n) {
        uint32_t *ranks;
        if ((r = nc_vocab_ranks(v, &ranks)))
            return r;
        order = nc_malloc(v->n * sizeof *order);
        if (!order) {
            nc_free(ranks);
            return NC_ENOMEM;
        }
        for (size_t id = 0; id < v->n; id++)
            order[ranks[id]] = (uint32_t)id;
        nc_free(ranks);
    }
    if (lx->stem_language) {
        /* literal terms are stems: stem every form once and look it up */
        nc_norm_options no = {0, lx->stem_language};
        if ((r = nc_normalizer_init(&stem, &no)))
            goto done;
        for (size_t id = 0; id < v->n; id++) {
            size_t fl, sl;
            const char *f = nc_vocab_str(v, (uint32_t)id, &fl), *s;
            if ((r = nc_stem(&stem, f, fl, &s, &sl)))
                goto done;
            if (nc_grow((void **)&key, &keycap, sl + 1, 1)) {
                r = NC_ENOMEM;
                goto done;
            }
            key[0] = KEY_LITERAL;
            memcpy(key + 1, s, sl);
            int64_t t = nc_vocab_find(&lx->terms, key, sl + 1);
            if (t >= 0 && (r = pair_add(pb, (uint32_t)t, (uint32_t)id)))
                goto done;
        }
    }
    for (size_t t = 0; t < lx->terms.n; t++) {
        size_t kl;
        const char *k = nc_vocab_str(&lx->terms, (uint32_t)t, &kl);
        const char *f = k + 1;
        size_t fl = kl - 1;
        if (k[0] == KEY_LITERAL) {
            if (lx->stem_language)
                continue;
            int64_t id = nc_vocab_find(v, f, fl);
            if (id >= 0 && (r = pair_add(pb, (uint32_t)t, (uint32_t)id)))
                goto done;
        } else if (k[0] == KEY_PREFIX) {
            size_t lo = 0, hi = v->n;
            while (lo < hi) { /* first form >= prefix */
                size_t mid = lo + (hi - lo) / 2;
                size_t ml;
                const char *m = nc_vocab_str(v, order[mid], &ml);
                if (cmp_cut(m, ml, f, fl) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t i = lo; i < v->n; i++) {
                size_t ml;
                const char *m = nc_vocab_str(v, order[i], &ml);
                if (cmp_cut(m, ml, f, fl) != 0)
                    break;
                if ((r = pair_add(pb, (uint32_t)t, order[i])))
                    goto done;
            }
        } else {
            for (size_t id = 0; id < v->n; id++) {
                size_t ml;
                const char *m = nc_vocab_str(v, (uint32_t)id, &ml);
                if (ml >= fl && memcmp(m + ml - fl, f, fl) == 0 &&
                    (r = pair_add(pb, (uint32_t)t, (uint32_t)id)))
                    goto done;
            }
        }
    }
done:
    nc_normalizer_free(&stem);
    nc_free(key);
    nc_free(order);
    return r;
}

nc_status nc_lexicon_bind(const nc_lexicon *lx, const nc_vocab *v, nc_lexbind *b)
{
    memset(b, 0, sizeof *b);
    size_t nt = lx->terms.n, nv = v->n;
    pairbuf pb = {0};
    u32pair *ts = NULL;
    uint32_t *t_off = NULL, *t_sym = NULL, *cursor = NULL;
    size_t nts = lx->class_off[lx->classes.n];
    nc_status r = NC_ENOMEM;
    /* term -> the symbols (classes) that contain it */
    ts = nc_malloc((nts ? nts : 1) * sizeof *ts);
    if (!ts)
        goto done;
    for (size_t k = 0; k < lx->classes.n; k++)
        for (uint32_t j = lx->class_off[k]; j < lx->class_off[k + 1]; j++)
            ts[j] = (u32pair){lx->class_terms[j], (uint32_t)k};
    if ((r = pairs_to_csr(ts, nts, nt, &t_off, &t_sym)))
        goto done;
    if ((r = resolve_terms(lx, v, &pb)))
        goto done;
    r = NC_ENOMEM;
    b->off = nc_calloc(nv + 1, sizeof *b->off);
    cursor = nc_malloc((nv + 1) * sizeof *cursor);
    if (!b->off || !cursor)
        goto done;
    uint64_t total = 0;
    for (size_t i = 0; i < pb.n; i++) {
        uint32_t k = t_off[pb.p[i].a + 1] - t_off[pb.p[i].a];
        b->off[pb.p[i].b + 1] += k;
        total += k;
    }
    if (total > UINT32_MAX) {
        r = NC_ERANGE;
        goto done;
    }
    for (size_t id = 0; id < nv; id++)
        b->off[id + 1] += b->off[id];
    memcpy(cursor, b->off, (nv + 1) * sizeof *cursor);
    b->syms = nc_malloc((total ? total : 1) * sizeof *b->syms);
    if (!b->syms)
        goto done;
    for (size_t i = 0; i < pb.n; i++) {
        uint32_t t = pb.p[i].a;
        for (uint32_t j = t_off[t]; j < t_off[t + 1]; j++)
            b->syms[cursor[pb.p[i].b]++] = t_sym[j];
    }
    /* a form can reach a symbol through several terms (condemn and condemn*) */
    uint32_t w = 0;
    for (size_t id = 0; id < nv; id++) {
        uint32_t a = b->off[id], e = b->off[id + 1];
        sort_u32(b->syms + a, e - a);
        size_t m = unique_u32(b->syms + a, e - a);
        memmove(b->syms + w, b->syms + a, m * sizeof *b->syms);
        b->off[id] = w;
        w += (uint32_t)m;
    }
    b->off[nv] = w;
    /* the states a match enters at its first token, so that a token which
     * starts nothing and continues nothing costs one comparison */
    b->roff = nc_malloc((nv + 1) * sizeof *b->roff);
    if (!b->roff)
        goto done;
    uint32_t nroots = 0;
    for (size_t id = 0; id < nv; id++) {
        b->roff[id] = nroots;
        for (uint32_t j = b->off[id]; j < b->off[id + 1]; j++)
            nroots += lx->root_child[b->syms[j]] != NO_STATE;
    }
    b->roff[nv] = nroots;
    b->roots = nc_malloc((nroots ? nroots : 1) * sizeof *b->roots);
    if (!b->roots)
        goto done;
    for (size_t id = 0, k = 0; id < nv; id++)
        for (uint32_t j = b->off[id]; j < b->off[id + 1]; j++)
            if (lx->root_child[b->syms[j]] != NO_STATE)
                b->roots[k++] = lx->root_child[b->syms[j]];
    b->symmask = nc_calloc(nv ? nv : 1, sizeof *b->symmask);
    if (!b->symmask)
        goto done;
    for (size_t id = 0; id < nv; id++)
        for (uint32_t j = b->off[id]; j < b->off[id + 1]; j++)
            b->symmask[id] |= sym_bit(b->syms[j]);
    b->nvocab = nv;
    r = NC_OK;
done:
    nc_free(ts);
    nc_free(t_off);
    nc_free(t_sym);
    nc_free(cursor);
    nc_free(pb.p);
    if (r)
        nc_lexbind_free(b);
    return r;
}

/* ---- scanning ------------------------------------------------------------- */

typedef struct {
    uint32_t state, start, last, skip; /* last: the last token consumed */
} thread;

typedef struct {
    uint32_t pat, start, end, skip, group;
} cand;

typedef struct {
    uint32_t role, start, end;
} cue;

typedef struct {
    uint32_t *doc, *pattern, *sentence, *tok_start, *tok_end, *start, *end, *ctx_start, *ctx_end;
    uint8_t *flags;
    size_t n, cap;
} hitbuf;

/* A growing array of uint32_t. */
typedef struct {
    uint32_t *v;
    size_t n, cap;
} u32vec;

static inline nc_status u32vec_push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap && nc_grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v))
        return NC_ENOMEM;
    a->v[a->n++] = x;
    return NC_OK;
}

/* The context rules of one sentence in a form that answers them per hit
 * with binary searches, not with a pass over every cue: a sentence can be
 * a whole document (lines joined by single line breaks) with a cue on
 * every line. Cue lists are in order of their end (see prepare_context). */
typedef struct {
    u32vec can_end, can_minstart;   /* cancel cues; min start of cues k.. */
    u32vec brk_end, brk_maxstart;   /* scope breaks; max start of cues ..k */
    u32vec gov_end[2];              /* [GOV_NEG], [GOV_HYPO]: ends of cues not cancelled */
} cue_index;

enum { GOV_NEG = 0, GOV_HYPO = 1 };

typedef struct {
    const nc_lexicon *lx;
    const nc_lexbind *b;
    const nc_tokstore *ts;
    const nc_match_opts *o;
    thread *cur, *next;
    size_t ncur, nnext, cur_cap, next_cap;
    cand *cands;
    size_t ncand, cand_cap;
    cue *cues;
    size_t ncue, cue_cap;
    cue_index cues_ix;
    /* per token of the sentence: the stamp of the overlap group that holds
     * it; a new group takes a new stamp, so nothing needs clearing */
    uint32_t *occ;
    size_t occ_cap;
    uint32_t stamp;
    hitbuf out;
    nc_status status;
} scanner;

static void hitbuf_free(hitbuf *h)
{
    nc_free(h->doc);
    nc_free(h->pattern);
    nc_free(h->sentence);
    nc_free(h->tok_start);
    nc_free(h->tok_end);
    nc_free(h->start);
    nc_free(h->end);
    nc_free(h->ctx_start);
    nc_free(h->ctx_end);
    nc_free(h->flags);
    memset(h, 0, sizeof *h);
}

static nc_status hitbuf_reserve(hitbuf *h, size_t need, int context)
{
    if (need <= h->cap)
        return NC_OK;
    size_t cap = h->cap ? h->cap * 2 : 256;
    while (cap < need)
        cap *= 2;
    uint32_t **arrays[] = {&h->doc,       &h->pattern, &h->sentence, &h->tok_start, &h->tok_end,
                           &h->start,     &h->end,     &h->ctx_start, &h->ctx_end};
    size_t na = context ? 9 : 7;
    for (size_t k = 0; k < na; k++) {
        void *p = nc_realloc(*arrays[k], cap * sizeof(uint32_t));
        if (!p)
            return NC_ENOMEM; /* arrays already grown stay valid; cap stays the old one */
        *arrays[k] = p;
    }
    void *f = nc_realloc(h->flags, cap);
    if (!f)
        return NC_ENOMEM;
    h->flags = f;
    h->cap = cap;
    return NC_OK;
}

static nc_status add_thread(scanner *s, uint32_t state, uint32_t start, uint32_t last,
                            uint32_t skip)
{
    /* a gap state can be reached again from the same start while an older
     * thread still waits in it: keep one, the one that waits longest */
    if (s->lx->state_gap[state]) {
        for (size_t k = 0; k < s->nnext; k++) {
            thread *t = &s->next[k];
            if (t->state == state && t->start == start) {
                if (last > t->last || (last == t->last && skip < t->skip)) {
                    t->last = last;
                    t->skip = skip;
                }
                return NC_OK;
            }
        }
    }
    if (s->nnext == s->next_cap &&
        nc_grow((void **)&s->next, &s->next_cap, s->nnext + 1, sizeof *s->next))
        return NC_ENOMEM;
    s->next[s->nnext++] = (thread){state, start, last, skip};
    return NC_OK;
}

/* A thread has consumed token `last` and arrived at state c. */
static nc_status reach(scanner *s, uint32_t c, uint32_t start, uint32_t last, uint32_t skip)
{
    const nc_lexicon *lx = s->lx;
    nc_status r;
    for (uint32_t j = lx->acc_off[c]; j < lx->acc_off[c + 1]; j++) {
        uint32_t p = lx->acc_pat[j];
        if (lx->pat_role[p] == NC_ROLE_MARKER) {
            if (s->ncand == s->cand_cap &&
                nc_grow((void **)&s->cands, &s->cand_cap, s->ncand + 1, sizeof *s->cands))
                return NC_ENOMEM;
            uint32_t g = s->o->overlap == NC_OVERLAP_CATEGORY ? lx->pat_category[p] : 0;
            s->cands[s->ncand++] = (cand){p, start, last + 1, skip, g};
        } else {
            if (s->ncue == s->cue_cap &&
                nc_grow((void **)&s->cues, &s->cue_cap, s->ncue + 1, sizeof *s->cues))
                return NC_ENOMEM;
            s->cues[s->ncue++] = (cue){lx->pat_role[p], start, last + 1};
        }
    }
    if (lx->state_edges[c]) {
        /* a word state: no dedupe needed (its thread is unique, see add_thread) */
        if (s->nnext == s->next_cap &&
            nc_grow((void **)&s->next, &s->next_cap, s->nnext + 1, sizeof *s->next))
            return NC_ENOMEM;
        s->next[s->nnext++] = (thread){c, start, last, skip};
    }
    for (uint32_t j = lx->gk_off[c]; j < lx->gk_off[c + 1]; j++)
        if ((r = add_thread(s, lx->gk_state[j], start, last, skip)))
            return r;
    return NC_OK;
}

static int cmp_dedupe(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->pat != b->pat)
        return a->pat < b->pat ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->skip != b->skip)
        return a->skip < b->skip ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    return 0;
}

static int cmp_priority(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    uint32_t la = a->end - a->start, lb = b->end - b->start;
    if (la != lb)
        return la > lb ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->pat > b->pat) - (a->pat < b->pat);
}

static int cmp_position(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return (a->pat > b->pat) - (a->pat < b->pat);
}

/* Most sentences have a handful of candidates: insertion sort beats qsort. */
static void sort_cands(cand *a, size_t n, int (*cmp)(const void *, const void *))
{
    if (n > 16) {
        qsort(a, n, sizeof *a, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        cand x = a[i];
        size_t j = i;
        while (j > 0 && cmp(&a[j - 1], &x) > 0) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

static void cue_index_free(cue_index *cx)
{
    u32vec *v[] = {&cx->can_end, &cx->can_minstart, &cx->brk_end, &cx->brk_maxstart,
                   &cx->gov_end[0], &cx->gov_end[1]};
    for (size_t k = 0; k < sizeof v / sizeof *v; k++)
        nc_free(v[k]->v);
    memset(cx, 0, sizeof *cx);
}

static int cmp_cue_end(const void *x, const void *y)
{
    const cue *a = x, *b = y;
    return (a->end > b->end) - (a->end < b->end);
}

/* Number of values <= x in the ascending v[0..n). */
static size_t count_le(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A cancel cue covers c: some cancel cue ends at or after c's end and starts
 * at or before c's start. */
static int cue_covered(const cue_index *cx, const cue *c)
{
    size_t k = count_le(cx->can_end.v, cx->can_end.n, c->end - 1); /* first end >= c->end */
    return k < cx->can_end.n && cx->can_minstart.v[k] <= c->start;
}

/* A scope break lies within the tokens [from, to): some break cue starts
 * at or after `from` and ends at or before `to`. */
static int scope_broken(const cue_index *cx, uint32_t from, uint32_t to)
{
    size_t k = count_le(cx->brk_end.v, cx->brk_end.n, to);
    return k > 0 && cx->brk_maxstart.v[k - 1] >= from;
}

/* A negator (GOV_NEG) or hypothetical cue (GOV_HYPO) ends at most `window`
 * tokens before `start`, with nothing cancelling it and no scope break
 * between it and the hit. Only the uncancelled cue that ends last before
 * the hit needs a look: one that ends earlier is farther away, and a break
 * between the last one and the hit lies between it and the hit too. */
static int governed(const cue_index *cx, uint32_t start, int which, uint32_t window)
{
    const u32vec *ends = &cx->gov_end[which];
    size_t k = count_le(ends->v, ends->n, start);
    if (k == 0)
        return 0;
    uint32_t e = ends->v[k - 1];
    return start - e <= window && !scope_broken(cx, e, start);
}

/* Builds the sentence's context lists from its cues. */
static nc_status prepare_context(scanner *s)
{
    cue_index *cx = &s->cues_ix;
    cx->can_end.n = cx->can_minstart.n = cx->brk_end.n = cx->brk_maxstart.n = 0;
    cx->gov_end[0].n = cx->gov_end[1].n = 0;
    /* scan_sentence reaches cues token by token, so they come sorted by end;
     * sort anyway if that ever changes */
    for (size_t k = 1; k < s->ncue; k++)
        if (s->cues[k - 1].end > s->cues[k].end) {
            qsort(s->cues, s->ncue, sizeof *s->cues, cmp_cue_end);
            break;
        }
    nc_status r = NC_OK;
    for (size_t k = 0; k < s->ncue && !r; k++) {
        const cue *c = &s->cues[k];
        if (c->role == NC_ROLE_CANCEL && !(r = u32vec_push(&cx->can_end, c->end)))
            r = u32vec_push(&cx->can_minstart, c->start);
        else if (c->role == NC_ROLE_BREAK && !(r = u32vec_push(&cx->brk_end, c->end)))
            r = u32vec_push(&cx->brk_maxstart, c->start);
    }
    if (r)
        return r;
    for (size_t k = cx->can_minstart.n; k-- > 1;)
        if (cx->can_minstart.v[k] < cx->can_minstart.v[k - 1])
            cx->can_minstart.v[k - 1] = cx->can_minstart.v[k];
    for (size_t k = 1; k < cx->brk_maxstart.n; k++)
        if (cx->brk_maxstart.v[k] < cx->brk_maxstart.v[k - 1])
            cx->brk_maxstart.v[k] = cx->brk_maxstart.v[k - 1];
    for (size_t k = 0; k < s->ncue; k++) {
        const cue *c = &s->cues[k];
        int which = c->role == NC_ROLE_NEGATOR ? GOV_NEG : c->role == NC_ROLE_HYPO ? GOV_HYPO : -1;
        if (which < 0 || cue_covered(cx, c))
            continue;
        u32vec *ends = &cx->gov_end[which];
        if ((ends->n == 0 || ends->v[ends->n - 1] != c->end) && (r = u32vec_push(ends, c->end)))
            return r;
    }
    return NC_OK;
}

/* Keeps the candidates s->cands[0..*m) that the overlap policy allows, in
 * priority order. Greedy: a candidate is kept unless it overlaps one kept
 * before it in its group. Within a group candidates come longest first,
 * so a kept hit that overlaps a candidate is at least as long and holds
 * the candidate's first or last token: two lookups in the occupancy array
 * decide, and marking kept hits costs at most the sentence's length per
 * group. */
static nc_status choose(scanner *s, size_t *m, uint32_t first, uint32_t ntok)
{
    if (ntok > s->occ_cap) {
        size_t old = s->occ_cap;
        if (nc_grow((void **)&s->occ, &s->occ_cap, ntok, sizeof *s->occ))
            return NC_ENOMEM;
        memset(s->occ + old, 0, (s->occ_cap - old) * sizeof *s->occ);
    }
    sort_cands(s->cands, *m, cmp_priority);
    size_t kept = 0;
    uint32_t group = 0;
    for (size_t i = 0; i < *m; i++) {
        const cand c = s->cands[i];
        if (i == 0 || c.group != group) {
            group = c.group;
            if (++s->stamp == 0) { /* wrapped: stamps of old groups would come back */
                memset(s->occ, 0, s->occ_cap * sizeof *s->occ);
                s->stamp = 1;
            }
        }
        uint32_t *occ = s->occ + (c.start - first);
        const uint32_t len = c.end - c.start;
        if (occ[0] == s->stamp || occ[len - 1] == s->stamp)
            continue;
        for (uint32_t t = 0; t < len; t++)
            occ[t] = s->stamp;
        s->cands[kept++] = c;
    }
    *m = kept;
    return NC_OK;
}

/* Chooses among the candidates of the sentence of tokens [first, end) and
 * appends the hits. */
static nc_status resolve(scanner *s, size_t doc, uint32_t sentence, uint32_t first, uint32_t end)
{
    const nc_match_opts *o = s->o;
    size_t n = s->ncand;
    if (!n)
        return NC_OK;
    nc_status r;
    sort_cands(s->cands, n, cmp_dedupe);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || s->cands[m - 1].pat != s->cands[i].pat ||
            s->cands[m - 1].start != s->cands[i].start)
            s->cands[m++] = s->cands[i];
    if (o->overlap != NC_OVERLAP_ALL && (r = choose(s, &m, first, end - first)))
        return r;
    sort_cands(s->cands, m, cmp_position);
    if (m && (r = prepare_context(s)))
        return r;
    hitbuf *h = &s->out;
    int ctx = o->context > 0;
    if (hitbuf_reserve(h, h->n + m, ctx))
        return NC_ENOMEM;
    uint32_t ntok = s->ts->docs[doc].ntok;
    for (size_t i = 0; i < m; i++) {
        const cand *c = &s->cands[i];
        size_t k = h->n++;
        uint32_t a, e, x;
        h->doc[k] = (uint32_t)doc;
        h->pattern[k] = c->pat;
        h->sentence[k] = sentence;
        h->tok_start[k] = c->start;
        h->tok_end[k] = c->end;
        nc_doc_token_span(s->ts, doc, c->start, &a, &x);
        nc_doc_token_span(s->ts, doc, c->end - 1, &x, &e);
        h->start[k] = a;
        h->end[k] = e;
        if (ctx) {
            uint32_t l = c->start > o->context ? c->start - o->context : 0;
            uint32_t rt = ntok - c->end > o->context ? c->end - 1 + o->context : ntok - 1;
            nc_doc_token_span(s->ts, doc, l, &h->ctx_start[k], &x);
            nc_doc_token_span(s->ts, doc, rt, &x, &h->ctx_end[k]);
        }
        const cue_index *cx = &s->cues_ix;
        h->flags[k] =
            (uint8_t)((governed(cx, c->start, GOV_NEG, o->neg_window) ? NC_HIT_NEGATED : 0) |
                      (governed(cx, c->start, GOV_HYPO, o->hyp_window) ? NC_HIT_HYPOTHETICAL : 0));
    }
    return NC_OK;
}

static nc_status scan_sentence(scanner *s, const uint32_t *ids, uint32_t a, uint32_t e)
{
    const nc_lexicon *lx = s->lx;
    const nc_lexbind *b = s->b;
    int ignore_punct = (s->o->flags & NC_MATCH_IGNORE_PUNCT) != 0;
    nc_status r;
    s->ncur = s->ncand = s->ncue = 0;
    for (uint32_t i = a; i < e; i++) {
        uint32_t raw = ids[i], id = raw & NC_TOK_ID_MASK;
        uint32_t r0 = b->roff[id], r1 = b->roff[id + 1];
        if (!s->ncur && r0 == r1)
            continue;
        const uint32_t *sy = b->syms + b->off[id];
        uint32_t ns = b->off[id + 1] - b->off[id];
        int barrier = (raw & NC_TOK_BARRIER) && !ignore_punct;
        /* gap threads that may still wait go first: they are distinct, and a new
         * thread of the same state and start found later replaces its entry */
        s->nnext = 0;
        for (size_t k = 0; k < s->ncur; k++) {
            const thread *th = &s->cur[k];
            uint32_t g = lx->state_gap[th->state];
            if (g && i - th->last - 1 < g) {
                if (s->nnext == s->next_cap &&
                    nc_grow((void **)&s->next, &s->next_cap, s->nnext + 1, sizeof *s->next))
                    return NC_ENOMEM;
                s->next[s->nnext++] = *th;
            }
        }
        uint64_t tm = b->symmask[id];
        for (size_t k = 0; k < s->ncur && ns; k++) {
            thread th = s->cur[k];
            uint64_t cm = lx->cmask[th.state];
            if (!(cm & tm))
                continue;
            uint32_t g = lx->state_gap[th.state];
            uint32_t skipped = i - th.last - 1;
            if (g ? skipped > g : barrier)
                continue;
            for (uint32_t q = 0; q < ns; q++) {
                if (!(cm & sym_bit(sy[q])))
                    continue;
                uint32_t c = step(lx, th.state, sy[q]);
                if (c != NO_STATE && (r = reach(s, c, th.start, i, th.skip + skipped)))
                    return r;
            }
        }
        for (uint32_t q = r0; q < r1; q++)
            if ((r = reach(s, b->roots[q], i, i, 0)))
                return r;
        thread *t = s->cur;
        s->cur = s->next;
        s->next = t;
        size_t tc = s->cur_cap;
        s->cur_cap = s->next_cap;
        s->next_cap = tc;
        s->ncur = s->nnext;
    }
    return NC_OK;
}

typedef struct {
    const nc_lexicon *lx;
    const nc_lexbind *b;
    const nc_tokstore *ts;
    const nc_match_opts *o;
    const size_t *bounds;
    scanner *sc;
    atomic_int cancel;
} match_ctx;

static nc_status scan_doc(scanner *s, size_t d)
{
    const nc_tokstore *ts = s->ts;
    const nc_docrec *dr = &ts->docs[d];
    const uint32_t *ids = nc_doc_ids(ts, d);
    const uint32_t *sf = ts->chunks[dr->chunk].sent_first + dr->sent;
    nc_status r;
    if (dr->nsent == 0 && dr->ntok > 0) {
        if ((r = scan_sentence(s, ids, 0, dr->ntok)) || (r = resolve(s, d, 0, 0, dr->ntok)))
            return r;
        return NC_OK;
    }
    for (uint32_t k = 0; k < dr->nsent; k++) {
        uint32_t a = sf[k], e = k + 1 < dr->nsent ? sf[k + 1] : dr->ntok;
        if (a >= e)
            continue;
        if ((r = scan_sentence(s, ids, a, e)) || (r = resolve(s, d, k, a, e)))
            return r;
    }
    return NC_OK;
}

static void scan_worker(void *p, int k)
{
    match_ctx *m = p;
    scanner *s = &m->sc[k];
    for (size_t d = m->bounds[k]; d < m->bounds[k + 1]; d++) {
        if ((d & 63) == 0 && atomic_load_explicit(&m->cancel, memory_order_relaxed)) {
            s->status = NC_EINTR;
            return;
        }
        if ((s->status = scan_doc(s, d)))
            return;
        if (m->o->progress)
            atomic_fetch_add_explicit(m->o->progress, 1, memory_order_relaxed);
    }
}

void nc_hits_free(nc_hits *h)
{
    nc_free(h->doc);
    nc_free(h->pattern);
    nc_free(h->sentence);
    nc_free(h->tok_start);
    nc_free(h->tok_end);
    nc_free(h->start);
    nc_free(h->end);
    nc_free(h->ctx_start);
    nc_free(h->ctx_end);
    nc_free(h->flags);
    memset(h, 0, sizeof *h);
}

/* Concatenates the workers' hits (workers hold consecutive documents). */
static nc_status gather(scanner *sc, int workers, int context, nc_hits *out)
{
    size_t n = 0;
    for (int k = 0; k < workers; k++)
        n += sc[k].out.n;
    size_t m = n ? n : 1;
    uint32_t **dst[] = {&out->doc,   &out->pattern, &out->sentence,  &out->tok_start,
                        &out->tok_end, &out->start, &out->end,       &out->ctx_start,
                        &out->ctx_end};
    size_t na = context ? 9 : 7;
    for (size_t a = 0; a < na; a++)
        if (!(*dst[a] = nc_malloc(m * sizeof(uint32_t))))
            return NC_ENOMEM;
    if (!(out->flags = nc_malloc(m)))
        return NC_ENOMEM;
    size_t at = 0;
    for (int k = 0; k < workers; k++) {
        hitbuf *h = &sc[k].out;
        uint32_t *src[] = {h->doc, h->pattern, h->sentence, h->tok_start, h->tok_end,
                           h->start, h->end, h->ctx_start, h->ctx_end};
        for (size_t a = 0; a < na; a++)
            if (h->n)
                memcpy(*dst[a] + at, src[a], h->n * sizeof(uint32_t));
        if (h->n)
            memcpy(out->flags + at, h->flags, h->n);
        at += h->n;
    }
    out->n = n;
    return NC_OK;
}

nc_status nc_match_bound(const nc_lexicon *lx, const nc_lexbind *b, const nc_tokstore *ts,
                         const nc_match_opts *o, nc_hits *out)
{
    memset(out, 0, sizeof *out);
    if (b->nvocab != ts->vocab.n || o->overlap < 0 || o->overlap > NC_OVERLAP_ALL)
        return NC_EINVAL;
    /* workers hold whole documents: more threads than documents would idle */
    int workers = o->workers < 1 ? 1 : o->workers;
    if (workers > NC_MATCH_MAX_WORKERS)
        workers = NC_MATCH_MAX_WORKERS;
    if ((size_t)workers > ts->ndocs)
        workers = ts->ndocs ? (int)ts->ndocs : 1;
    size_t *bounds = nc_calloc((size_t)workers + 1, sizeof *bounds);
    scanner *sc = nc_calloc((size_t)workers, sizeof *sc);
    nc_status r = NC_ENOMEM;
    if (!bounds || !sc)
        goto done;
    /* contiguous document ranges with about equal token counts */
    uint64_t total = ts->ntokens + ts->ndocs, acc = 0;
    size_t d = 0;
    for (int k = 1; k < workers; k++) {
        uint64_t goal = total * (uint64_t)k / (uint64_t)workers;
        while (d < ts->ndocs && acc < goal)
            acc += ts->docs[d++].ntok + 1;
        bounds[k] = d;
    }
    bounds[workers] = ts->ndocs;
    for (int k = 0; k < workers; k++)
        sc[k] = (scanner){.lx = lx, .b = b, .ts = ts, .o = o};
    match_ctx m = {lx, b, ts, o, bounds, sc, 0};
    atomic_init(&m.cancel, 0);
    nc_pool_opts po = {workers, o->poll, o->poll_ctx, 0, &m.cancel};
    nc_status pr = nc_parallel(&po, scan_worker, &m);
    r = NC_OK;
    for (int k = 0; k < workers && !r; k++)
        if (sc[k].status && sc[k].status != NC_EINTR)
            r = sc[k].status;
    if (!r && pr)
        r = pr;
    for (int k = 0; k < workers && !r; k++)
        r = sc[k].status;
    if (!r && (r = gather(sc, workers, o->context > 0, out)))
        nc_hits_free(out);
done:
    for (int k = 0; sc && k < workers; k++) {
        nc_free(sc[k].cur);
        nc_free(sc[k].next);
        nc_free(sc[k].cands);
        nc_free(sc[k].cues);
        cue_index_free(&sc[k].cues_ix);
        nc_free(sc[k].occ);
        hitbuf_free(&sc[k].out);
    }
    nc_free(sc);
    nc_free(bounds);
    return r;
}

nc_status nc_match(const nc_lexicon *lx, const nc_tokstore *ts, const nc_match_opts *o,
                   nc_hits *out)
{
    nc_lexbind b;
    memset(out, 0, sizeof *out);
    nc_status r = nc_lexicon_bind(lx, &ts->vocab, &b);
    if (r)
        return r;
    r = nc_match_bound(lx, &b, ts, o, out);
    nc_lexbind_free(&b);
    return r;
}
