#include "match/trie.h"

#include <string.h>

#include "util/alloc.h"

/* Word states with more edges than this get a hashed table. */
#define CHILD_LINEAR_MAX 8

static nc_status new_state(nc_trie *t, uint8_t gap, uint32_t *id)
{
    if (t->nstates >= NC_NO_STATE - 1)
        return NC_ERANGE;
    if (t->nstates == t->states_cap) {
        /* the arrays already grown stay valid if a later one fails */
        size_t cap = t->states_cap ? t->states_cap * 2 : 256;
        void *p;
        if (!(p = nc_realloc(t->state_gap, cap)))
            return NC_ENOMEM;
        t->state_gap = p;
        if (!(p = nc_realloc(t->state_edges, cap)))
            return NC_ENOMEM;
        t->state_edges = p;
        t->states_cap = cap;
    }
    t->state_gap[t->nstates] = gap;
    t->state_edges[t->nstates] = 0;
    *id = (uint32_t)t->nstates++;
    return NC_OK;
}

nc_status nc_trie_init(nc_trie *t)
{
    uint32_t root;
    memset(t, 0, sizeof *t);
    return new_state(t, 0, &root);
}

void nc_trie_free(nc_trie *t)
{
    nc_free(t->state_gap);
    nc_free(t->state_edges);
    nc_free(t->acc_off);
    nc_free(t->acc_pat);
    nc_free(t->gk_off);
    nc_free(t->gk_state);
    nc_free(t->coff);
    nc_free(t->cinfo);
    nc_free(t->ctab);
    nc_free(t->cmask);
    nc_u64map_free(&t->edges);
    nc_pairvec_free(&t->acc);
    nc_pairvec_free(&t->gk);
    memset(t, 0, sizeof *t);
}

static inline uint64_t edge_key(uint32_t state, uint32_t label)
{
    return ((uint64_t)state << 32) | label;
}

uint32_t nc_trie_get(const nc_trie *t, uint32_t state, uint32_t label)
{
    return nc_u64map_get(&t->edges, edge_key(state, label), NC_NO_STATE);
}

nc_status nc_trie_child(nc_trie *t, uint32_t state, uint32_t label, uint32_t *out)
{
    nc_status r = nc_u64map_reserve(&t->edges, t->edges.n + 1);
    if (r)
        return r;
    uint64_t key = edge_key(state, label);
    nc_u64slot *e = nc_u64map_slot(&t->edges, key);
    if (e->key == key) {
        *out = e->val;
        return NC_OK;
    }
    uint32_t c;
    int gap = (label & NC_GAP_LABEL) != 0;
    if ((r = new_state(t, gap ? (uint8_t)(label & 0xFF) : 0, &c)))
        return r;
    if (gap) {
        if ((r = nc_pairvec_push(&t->gk, state, c)))
            return r;
    } else {
        t->state_edges[state] = 1;
    }
    *e = (nc_u64slot){key, c};
    t->edges.n++;
    t->nedges++;
    *out = c;
    return NC_OK;
}

nc_status nc_trie_accept(nc_trie *t, uint32_t state, uint32_t pattern)
{
    return nc_pairvec_push(&t->acc, state, pattern);
}

/* Each word state's symbol edges into its own table (see cinfo). */
static nc_status freeze_children(nc_trie *t)
{
    size_t ns = t->nstates;
    const nc_u64map *m = &t->edges;
    t->coff = nc_calloc(ns + 1, sizeof *t->coff);
    t->cinfo = nc_calloc(ns + 1, sizeof *t->cinfo);
    t->cmask = nc_calloc(ns + 1, sizeof *t->cmask);
    if (!t->coff || !t->cinfo || !t->cmask)
        return NC_ENOMEM;
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        uint64_t key = m->slots[i].key;
        if (key != NC_U64MAP_FREE && !((uint32_t)key & NC_GAP_LABEL))
            t->cinfo[key >> 32]++;
    }
    size_t total = 0;
    for (size_t st = 0; st < ns; st++) {
        uint32_t n = t->cinfo[st];
        t->coff[st] = (uint32_t)total;
        if (n > CHILD_LINEAR_MAX) {
            /* at most a quarter full: most lookups in a large state miss
             * (a partial match that the next token does not continue), and a
             * miss probes on to a free slot */
            uint32_t size = 16;
            while (size < 4 * n)
                size *= 2;
            t->cinfo[st] = NC_CHILD_HASHED | (size - 1);
            total += size;
        } else {
            total += n;
        }
        if (total > UINT32_MAX)
            return NC_ERANGE;
    }
    t->ctab = nc_malloc((total ? total : 1) * sizeof *t->ctab);
    uint32_t *fill = nc_calloc(ns + 1, sizeof *fill);
    if (!t->ctab || !fill) {
        nc_free(fill);
        return NC_ENOMEM;
    }
    for (size_t i = 0; i < total; i++)
        t->ctab[i] = (nc_u32pair){NC_NO_STATE, NC_NO_STATE};
    /* the order of the slots does not matter: a lookup compares labels */
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        uint64_t key = m->slots[i].key;
        if (key == NC_U64MAP_FREE || ((uint32_t)key & NC_GAP_LABEL))
            continue;
        uint32_t st = (uint32_t)(key >> 32), label = (uint32_t)key, info = t->cinfo[st];
        nc_u32pair *e = t->ctab + t->coff[st];
        t->cmask[st] |= nc_sym_bit(label);
        if (info & NC_CHILD_HASHED) {
            uint32_t mask = info & ~NC_CHILD_HASHED, j = nc_label_slot(label) & mask;
            while (e[j].a != NC_NO_STATE)
                j = (j + 1) & mask;
            e[j] = (nc_u32pair){label, m->slots[i].val};
        } else {
            e[fill[st]++] = (nc_u32pair){label, m->slots[i].val};
        }
    }
    nc_free(fill);
    return NC_OK;
}

nc_status nc_trie_freeze(nc_trie *t)
{
    /* a state's accepted patterns without repeats: the same path can come
     * out of a pattern twice, e.g. "(a|a)" */
    nc_status r = nc_pairs_to_csr(t->acc.v, t->acc.n, t->nstates, &t->acc_off, &t->acc_pat);
    if (r)
        return r;
    nc_csr_sort_unique_rows(t->acc_off, t->acc_pat, t->nstates);
    if ((r = freeze_children(t)) ||
        (r = nc_pairs_to_csr(t->gk.v, t->gk.n, t->nstates, &t->gk_off, &t->gk_state)))
        return r;
    nc_u64map_free(&t->edges);
    nc_pairvec_free(&t->acc);
    nc_pairvec_free(&t->gk);
    return NC_OK;
}
