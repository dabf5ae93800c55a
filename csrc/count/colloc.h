/* Counting the tables behind quanteda-style collocation scores.
 *
 * For every k-word sequence (k = 2..NC_COLLOC_MAX_SIZE) seen at least
 * min_count times, the 2^k cells that stats.h's nc_colloc_lambda scores:
 * cell b counts the eligible k-token windows that equal the sequence on
 * exactly the positions in bit set b (quanteda's match_bit layout).
 *
 * A window is eligible when it lies inside one document and has no barrier
 * inside it (no sentence start, punctuation or other removed token), the
 * same rule as n-grams. Stop words are quanteda's pads: a sequence holding
 * one is never scored, but windows holding one still count in the tables
 * of other sequences (they simply never match there).
 *
 * Cost: one n-gram count of order k, then one scan of the corpus per
 * proper, non-empty subset of positions (2^k - 2 scans) and one for word
 * counts, spread over the workers; a subset of two or more positions uses
 * a table of at most nterms projected keys. Memory stays near that of
 * counting the k-grams plus `workers` such tables. Results do not depend on
 * the number of workers. docs/statistics.md (section 8b) has the details. */
#ifndef NC_COLLOC_H
#define NC_COLLOC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pool.h"
#include "util/status.h"
#include "tokens/tokstore.h"

#define NC_COLLOC_MAX_SIZE 5

typedef struct {
    unsigned size;             /* k, 2..NC_COLLOC_MAX_SIZE */
    uint64_t min_count;        /* >= 1, on the sequence's count */
    const int32_t *doc_group;  /* per document, negative leaves it out; NULL: all */
    const uint8_t *stop;       /* per vocab id, nonzero = stop word; may be NULL */
    size_t nstop;
    int workers;               /* at most one per scan (2^size - 1) and NC_COLLOC_MAX_WORKERS */
    nc_poll_fn poll;           /* see pool.h; may be NULL */
    void *poll_ctx;
    /* documents done, for a progress bar (may be NULL): the k-gram count
     * and then every scan read every document, and a document counts once
     * all of these passes have read it (the k-gram count is credited as one
     * pass when it ends). It reaches the number of documents at the end. */
    atomic_size_t *progress;
} nc_colloc_opts;

#define NC_COLLOC_MAX_WORKERS 64

typedef struct {
    unsigned size;
    size_t nterms;
    uint32_t *keys;        /* nterms * size vocab ids, terms in string order */
    double *cells;         /* nterms << size; cell (1 << size) - 1 is the count */
    uint64_t *word_count;  /* nterms * size: corpus frequency of each word */
    uint64_t nwindows;     /* eligible windows of `size` tokens (pads included) */
    uint64_t ntokens;      /* kept tokens that are not stop words */
} nc_colloc_table;

void nc_colloc_table_free(nc_colloc_table *t);

/* Fills *out (freed by the caller with nc_colloc_table_free, also after an
 * error, which leaves it empty). NC_EINVAL for a size out of range,
 * min_count 0 or a doc_group code above 0; NC_EINTR when poll asked to
 * stop; NC_ENOMEM. */
nc_status nc_count_collocations(const nc_tokstore *ts, const nc_colloc_opts *o,
                                nc_colloc_table *out);

#endif
