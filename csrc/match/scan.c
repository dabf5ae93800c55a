/* The scan of a token store with a bound lexicon (see matcher.h): partial
 * matches ("threads") walk the automaton token by token within each
 * sentence; each sentence's matches then go through overlap choice
 * (resolve.h) and cue flags (cues.h) into the hit table (hits.h). Workers
 * take contiguous ranges of documents. */
#include <stdatomic.h>
#include <string.h>

#include "match/cues.h"
#include "match/hits.h"
#include "match/lexicon.h"
#include "match/resolve.h"
#include "util/alloc.h"
#include "util/pool.h"

typedef struct {
    uint32_t state, start, last, skip; /* last: the last token consumed */
} thread;

typedef struct {
    const nc_lexicon *lx;
    const nc_lexbind *b;
    const nc_tokstore *ts;
    const nc_match_opts *o;
    thread *cur, *next;
    size_t ncur, nnext, cur_cap, next_cap;
    nc_cand *cands;
    size_t ncand, cand_cap;
    nc_cue *cues;
    size_t ncue, cue_cap;
    nc_resolver res;
    nc_cue_index cues_ix;
    nc_hitbuf *out;
    nc_status status;
} scanner;

static nc_status add_thread(scanner *s, uint32_t state, uint32_t start, uint32_t last,
                            uint32_t skip)
{
    /* a gap state can be reached again from the same start while an older
     * thread still waits in it: keep one, the one that waits longest */
    if (s->lx->trie.state_gap[state]) {
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
    const nc_trie *t = &lx->trie;
    nc_status r;
    for (uint32_t j = t->acc_off[c]; j < t->acc_off[c + 1]; j++) {
        uint32_t p = t->acc_pat[j];
        if (lx->pat_role[p] == NC_ROLE_MARKER) {
            if (s->ncand == s->cand_cap &&
                nc_grow((void **)&s->cands, &s->cand_cap, s->ncand + 1, sizeof *s->cands))
                return NC_ENOMEM;
            s->cands[s->ncand++] = (nc_cand){p, start, last + 1, skip, 0};
        } else {
            if (s->ncue == s->cue_cap &&
                nc_grow((void **)&s->cues, &s->cue_cap, s->ncue + 1, sizeof *s->cues))
                return NC_ENOMEM;
            s->cues[s->ncue++] = (nc_cue){lx->pat_role[p], start, last + 1};
        }
    }
    if (t->state_edges[c]) {
        /* a word state: no dedupe needed (its thread is unique, see add_thread) */
        if (s->nnext == s->next_cap &&
            nc_grow((void **)&s->next, &s->next_cap, s->nnext + 1, sizeof *s->next))
            return NC_ENOMEM;
        s->next[s->nnext++] = (thread){c, start, last, skip};
    }
    for (uint32_t j = t->gk_off[c]; j < t->gk_off[c + 1]; j++)
        if ((r = add_thread(s, t->gk_state[j], start, last, skip)))
            return r;
    return NC_OK;
}

static nc_status scan_sentence(scanner *s, const uint32_t *ids, uint32_t a, uint32_t e)
{
    const nc_trie *t = &s->lx->trie;
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
            uint32_t g = t->state_gap[th->state];
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
            uint64_t cm = t->cmask[th.state];
            if (!(cm & tm))
                continue;
            uint32_t g = t->state_gap[th.state];
            uint32_t skipped = i - th.last - 1;
            if (g ? skipped > g : barrier)
                continue;
            for (uint32_t q = 0; q < ns; q++) {
                if (!(cm & nc_sym_bit(sy[q])))
                    continue;
                uint32_t c = nc_trie_step(t, th.state, sy[q]);
                if (c != NC_NO_STATE && (r = reach(s, c, th.start, i, th.skip + skipped)))
                    return r;
            }
        }
        for (uint32_t q = r0; q < r1; q++)
            if ((r = reach(s, b->roots[q], i, i, 0)))
                return r;
        thread *swap = s->cur;
        s->cur = s->next;
        s->next = swap;
        size_t tc = s->cur_cap;
        s->cur_cap = s->next_cap;
        s->next_cap = tc;
        s->ncur = s->nnext;
    }
    return NC_OK;
}

/* The matches of one sentence, tokens [a, e) of document d, into the hits. */
static nc_status scan_span(scanner *s, size_t d, const uint32_t *ids, uint32_t sentence,
                           uint32_t a, uint32_t e)
{
    nc_status r = scan_sentence(s, ids, a, e);
    if (r || s->ncand == 0)
        return r;
    size_t m = s->ncand;
    if ((r = nc_resolve(&s->res, s->cands, &m, s->o->overlap, s->lx->pat_category, a, e - a)))
        return r;
    if (m && (r = nc_cue_index_build(&s->cues_ix, s->cues, s->ncue)))
        return r;
    return nc_hitbuf_add(s->out, s->ts, d, sentence, s->cands, m, s->o, &s->cues_ix);
}

static nc_status scan_doc(scanner *s, size_t d)
{
    const nc_tokstore *ts = s->ts;
    const nc_docrec *dr = &ts->docs[d];
    const uint32_t *ids = nc_doc_ids(ts, d);
    const uint32_t *sf = ts->chunks[dr->chunk].sent_first + dr->sent;
    if (dr->nsent == 0 && dr->ntok > 0)
        return scan_span(s, d, ids, 0, 0, dr->ntok);
    for (uint32_t k = 0; k < dr->nsent; k++) {
        uint32_t a = sf[k], e = k + 1 < dr->nsent ? sf[k + 1] : dr->ntok;
        nc_status r;
        if (a < e && (r = scan_span(s, d, ids, k, a, e)))
            return r;
    }
    return NC_OK;
}

typedef struct {
    const nc_match_opts *o;
    const size_t *bounds;
    scanner *sc;
    atomic_int cancel;
} match_ctx;

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
    nc_hitbuf *hb = nc_calloc((size_t)workers, sizeof *hb);
    nc_status r = NC_ENOMEM;
    if (!bounds || !sc || !hb)
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
        sc[k] = (scanner){.lx = lx, .b = b, .ts = ts, .o = o, .out = &hb[k]};
    match_ctx m = {o, bounds, sc, 0};
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
    if (!r && (r = nc_hits_join(hb, (size_t)workers, o->context > 0, out)))
        nc_hits_free(out);
done:
    for (int k = 0; sc && k < workers; k++) {
        nc_free(sc[k].cur);
        nc_free(sc[k].next);
        nc_free(sc[k].cands);
        nc_free(sc[k].cues);
        nc_resolver_free(&sc[k].res);
        nc_cue_index_free(&sc[k].cues_ix);
    }
    for (int k = 0; hb && k < workers; k++)
        nc_hitbuf_free(&hb[k]);
    nc_free(hb);
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
