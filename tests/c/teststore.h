/* A token store built from UTF-8 test texts, for the tests of the counters
 * (n-grams, matrices, collocations, matching). */
#ifndef NC_TESTSTORE_H
#define NC_TESTSTORE_H

#include "testutil.h"

#include "segment/segment.h"
#include "tokens/tokstore.h"
#include "tokens/vocab.h"

static inline nc_seg_options defopts(void)
{
    return (nc_seg_options){"en", 0, 0, 0, 0, NC_HYPHEN_KEEP, NULL, 0, 1};
}

typedef struct {
    nc_segmenter *seg;
    nc_tokstore ts;
    tu_pep *pep;
    size_t n;
} store;

/* Tokenizes texts[0..n) with default options on `workers` threads. */
static inline void store_build(store *s, const char *const *texts, size_t n, int workers)
{
    UErrorCode icu;
    nc_seg_options o = defopts();
    assert_int_equal(nc_segmenter_new(&o, &s->seg, &icu), NC_OK);
    s->n = n;
    s->pep = tu_xmalloc((n ? n : 1) * sizeof *s->pep);
    nc_docsrc *src = tu_xmalloc((n ? n : 1) * sizeof *src);
    for (size_t i = 0; i < n; i++) {
        s->pep[i] = tu_pep393(texts[i], 0);
        src[i] = (nc_docsrc){s->pep[i].data, s->pep[i].len, s->pep[i].kind};
    }
    nc_tokstore_init(&s->ts);
    nc_build_opts bo = {workers, NULL, NULL, NULL};
    nc_build_error err;
    assert_int_equal(nc_tokstore_build(&s->ts, s->seg, src, n, &bo, &err), NC_OK);
    free(src);
}

static inline void store_free(store *s)
{
    nc_tokstore_free(&s->ts);
    nc_segmenter_free(s->seg);
    for (size_t i = 0; i < s->n; i++)
        free(s->pep[i].data);
    free(s->pep);
}

/* A stop-word mask over the store's vocabulary (calloc'ed; free it). */
static inline uint8_t *stop_mask(const nc_tokstore *ts, const char *const *words, size_t nw)
{
    uint8_t *m = calloc(ts->vocab.n + 1, 1);
    for (size_t i = 0; i < nw; i++) {
        int64_t id = nc_vocab_find(&ts->vocab, words[i], strlen(words[i]));
        if (id >= 0)
            m[id] = 1;
    }
    return m;
}

#endif
