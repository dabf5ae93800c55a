/* What each worker's counter hands to the final merge of nc_count_ngrams,
 * whichever way it counted (hash table in ngram.c, sorted packed keys in
 * ngram_packed.c).
 *
 * Worker k owns the n-grams whose first token falls in its share of the
 * vocabulary (consecutive ranges in string order), so the shares hold
 * disjoint n-grams, each with all its groups, and their sorted results
 * concatenate into string order. */
#ifndef NC_NGRAM_SHARE_H
#define NC_NGRAM_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include "count/ngram.h"

/* One result row: 16 bytes, so the late passes stream through memory. */
typedef struct {
    uint32_t count, group, docfreq;
    uint32_t u; /* the share's n-gram number (string order) */
} nc_ng_row;

typedef struct {
    nc_ng_row *rows;   /* rows that passed min_count, by u (string order), then group */
    size_t nrows;
    uint32_t *ids;     /* n-gram u is ids[ids_off[u] .. ids_off[u + 1]) */
    uint64_t *ids_off; /* nu + 1 offsets; every n-gram u has at least one row */
    size_t nu;
    nc_status status;
} nc_ng_share;

void nc_ng_share_free(nc_ng_share *sh);

/* Contiguous document ranges of about equal token counts, one per worker:
 * worker k takes [(*out)[k], (*out)[k + 1]) (nc_free it). */
nc_status nc_ng_doc_ranges(const nc_tokstore *ts, int workers, size_t **out);

/* Orders the shares' rows by count (ties: lower share first, which is
 * string order, then the share's order), applies `top` per group and numbers
 * the n-grams kept. */
nc_status nc_ng_merge_shares(const nc_ngram_opts *o, nc_ng_share *shares, int workers,
                             nc_ngram_table *out);

/* Words a bucket of the packed counter is planned to hold (0: the default).
 * Set only by tests, to make every rank a bucket or to force buckets of
 * many ranks through the splitting. */
extern uint64_t nc_ng_packed_bucket_words;

/* The packed-key counter (ngram_packed.c), given the vocabulary's string
 * ranks, the shares and the token count of each id (nc_ngram_shares).
 * nc_ng_packed_fits says whether the counts of `o` over `ts` fit its 64-bit
 * keys. */
int nc_ng_packed_fits(const nc_tokstore *ts, const nc_ngram_opts *o);
nc_status nc_count_ngrams_packed(const nc_tokstore *ts, const nc_ngram_opts *o,
                                 const uint32_t *ranks, const uint8_t *share_of_id,
                                 const uint64_t *freq, int workers, nc_ngram_table *out);

#endif
