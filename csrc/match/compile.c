/* Compiling patterns into a lexicon's automaton (see matcher.h): each
 * pattern is parsed, its words normalized into terms, its alternatives and
 * optional elements expanded into paths, and every path inserted into one
 * trie. */
#include <string.h>

#include "match/lexicon.h"
#include "match/pattern.h"
#include "tokens/normalize.h"
#include "util/alloc.h"

typedef struct {
    uint32_t first, n; /* symbols in the branch (n == 0: the optional element is absent) */
} branch;

typedef struct {
    nc_lexicon *lx;
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
    if (kind == NC_KEY_LITERAL && c->lx->stem_language) {
        nc_status r = nc_stem(&c->stemmer, form, len, &form, &len);
        if (r)
            return r;
    }
    if (nc_grow((void **)&c->key, &c->keycap, len + 1, 1))
        return NC_ENOMEM;
    c->key[0] = kind;
    memcpy(c->key + 1, form, len);
    if (kind == NC_KEY_PREFIX)
        c->lx->has_prefix = 1;
    return nc_vocab_intern(&c->lx->terms, c->key, len + 1, 0, id);
}

static nc_status intern_class(compiler *c, uint32_t *terms, size_t n, uint32_t *sym)
{
    n = nc_u32_sort_unique(terms, n);
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
    nc_strlist_clear(&c->forms);
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
        char kind = NC_KEY_LITERAL;
        if (w->glob == NC_GLOB_PREFIX && k + 1 == c->forms.n)
            kind = NC_KEY_PREFIX;
        else if (w->glob == NC_GLOB_SUFFIX && k == 0)
            kind = NC_KEY_SUFFIX;
        uint32_t t;
        if ((r = intern_term(c, kind, c->forms.buf + c->forms.off[k], nc_strlist_len(&c->forms, k),
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
static nc_status element_branches(compiler *c, const nc_pat_elem *e, int expand)
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
        if ((r = nc_trie_accept(&lx->trie, state, c->pattern)))
            return r;
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
        if (pending && depth > 0 && (r = nc_trie_child(&lx->trie, s, NC_GAP_LABEL | pending, &s)))
            return r;
        for (uint32_t t = 0; t < b.n; t++)
            if ((r = nc_trie_child(&lx->trie, s, c->syms[b.first + t], &s)))
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
        if (e->kind == NC_EL_WORDS && (r = element_branches(c, e, expand[k])))
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

/* Class symbols as CSR, the root's children, and the trie frozen. */
static nc_status finish(nc_lexicon *lx)
{
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
        lx->root_child[k] = nc_trie_get(&lx->trie, 0, (uint32_t)k);
    }
    return nc_trie_freeze(&lx->trie);
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
    nc_free(lx->root_child);
    nc_trie_free(&lx->trie);
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
    if ((r = nc_trie_init(&lx->trie)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        lx->pat_category[i] = specs[i].category;
        lx->pat_role[i] = specs[i].role;
        c.pattern = (uint32_t)i;
        if ((r = compile_pattern(&c, &specs[i])))
            goto done;
    }
    lx->npaths = c.paths;
    r = finish(lx);
done:
    nc_normalizer_free(&c.stemmer);
    nc_strlist_free(&c.forms);
    nc_free(c.key);
    nc_free(c.tmp);
    nc_free(c.cls);
    nc_free(c.syms);
    nc_free(c.br);
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
    info->states = lx->trie.nstates;
    info->edges = lx->trie.nedges;
    info->paths = lx->npaths;
}
