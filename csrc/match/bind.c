/* Binding a compiled lexicon to a corpus vocabulary (see matcher.h): which
 * symbols each vocabulary id carries and which states a match starting with
 * it enters, so that the scan costs one lookup per token. */
#include <string.h>

#include "match/lexicon.h"
#include "tokens/normalize.h"
#include "util/alloc.h"

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

/* The (term, vocab id) pairs of every term that some form matches. */
static nc_status term_matches(const nc_lexicon *lx, const nc_vocab *v, nc_pairvec *pb)
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
            key[0] = NC_KEY_LITERAL;
            memcpy(key + 1, s, sl);
            int64_t t = nc_vocab_find(&lx->terms, key, sl + 1);
            if (t >= 0 && (r = nc_pairvec_push(pb, (uint32_t)t, (uint32_t)id)))
                goto done;
        }
    }
    for (size_t t = 0; t < lx->terms.n; t++) {
        size_t kl;
        const char *k = nc_vocab_str(&lx->terms, (uint32_t)t, &kl);
        const char *f = k + 1;
        size_t fl = kl - 1;
        if (k[0] == NC_KEY_LITERAL) {
            if (lx->stem_language)
                continue;
            int64_t id = nc_vocab_find(v, f, fl);
            if (id >= 0 && (r = nc_pairvec_push(pb, (uint32_t)t, (uint32_t)id)))
                goto done;
        } else if (k[0] == NC_KEY_PREFIX) {
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
                if ((r = nc_pairvec_push(pb, (uint32_t)t, order[i])))
                    goto done;
            }
        } else {
            for (size_t id = 0; id < v->n; id++) {
                size_t ml;
                const char *m = nc_vocab_str(v, (uint32_t)id, &ml);
                if (ml >= fl && memcmp(m + ml - fl, f, fl) == 0 &&
                    (r = nc_pairvec_push(pb, (uint32_t)t, (uint32_t)id)))
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
    nc_pairvec pb = {0};
    nc_u32pair *ts = NULL;
    uint32_t *t_off = NULL, *t_sym = NULL, *cursor = NULL;
    size_t nts = lx->class_off[lx->classes.n];
    nc_status r = NC_ENOMEM;
    /* term -> the symbols (classes) that contain it */
    ts = nc_malloc((nts ? nts : 1) * sizeof *ts);
    if (!ts)
        goto done;
    for (size_t k = 0; k < lx->classes.n; k++)
        for (uint32_t j = lx->class_off[k]; j < lx->class_off[k + 1]; j++)
            ts[j] = (nc_u32pair){lx->class_terms[j], (uint32_t)k};
    if ((r = nc_pairs_to_csr(ts, nts, nt, &t_off, &t_sym)))
        goto done;
    if ((r = term_matches(lx, v, &pb)))
        goto done;
    r = NC_ENOMEM;
    b->off = nc_calloc(nv + 1, sizeof *b->off);
    cursor = nc_malloc((nv + 1) * sizeof *cursor);
    if (!b->off || !cursor)
        goto done;
    uint64_t total = 0;
    for (size_t i = 0; i < pb.n; i++) {
        uint32_t k = t_off[pb.v[i].a + 1] - t_off[pb.v[i].a];
        b->off[pb.v[i].b + 1] += k;
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
        uint32_t t = pb.v[i].a;
        for (uint32_t j = t_off[t]; j < t_off[t + 1]; j++)
            b->syms[cursor[pb.v[i].b]++] = t_sym[j];
    }
    /* a form can reach a symbol through several terms (condemn and condemn*) */
    nc_csr_sort_unique_rows(b->off, b->syms, nv);
    /* the states a match enters at its first token, so that a token which
     * starts nothing and continues nothing costs one comparison */
    b->roff = nc_malloc((nv + 1) * sizeof *b->roff);
    if (!b->roff)
        goto done;
    uint32_t nroots = 0;
    for (size_t id = 0; id < nv; id++) {
        b->roff[id] = nroots;
        for (uint32_t j = b->off[id]; j < b->off[id + 1]; j++)
            nroots += lx->root_child[b->syms[j]] != NC_NO_STATE;
    }
    b->roff[nv] = nroots;
    b->roots = nc_malloc((nroots ? nroots : 1) * sizeof *b->roots);
    if (!b->roots)
        goto done;
    for (size_t id = 0, k = 0; id < nv; id++)
        for (uint32_t j = b->off[id]; j < b->off[id + 1]; j++)
            if (lx->root_child[b->syms[j]] != NC_NO_STATE)
                b->roots[k++] = lx->root_child[b->syms[j]];
    b->symmask = nc_calloc(nv ? nv : 1, sizeof *b->symmask);
    if (!b->symmask)
        goto done;
    for (size_t id = 0; id < nv; id++)
        for (uint32_t j = b->off[id]; j < b->off[id + 1]; j++)
            b->symmask[id] |= nc_sym_bit(b->syms[j]);
    b->nvocab = nv;
    r = NC_OK;
done:
    nc_free(ts);
    nc_free(t_off);
    nc_free(t_sym);
    nc_free(cursor);
    nc_pairvec_free(&pb);
    if (r)
        nc_lexbind_free(b);
    return r;
}
