/* Counting n-grams and given phrases over a token store, per group of
 * documents, on several threads.
 *
 * An n-gram is a run of n consecutive kept tokens with no barrier inside it:
 * it never spans a sentence boundary or a removed token (punctuation, a
 * dropped number, or a stop word given here). Counts are identical for any
 * number of workers. */
#ifndef NC_NGRAM_H
#define NC_NGRAM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pool.h"
#include "tokens/tokstore.h"

#define NC_NGRAM_MAX 8
#define NC_PHRASE_MAX 64

/* How nc_count_ngrams counts; the results are identical. */
typedef enum {
    NC_NG_AUTO = 0,   /* packed keys when they fit, else the hash table */
    NC_NG_HASH = 1,   /* a hash table of (group, n-gram) entries */
    NC_NG_PACKED = 2  /* sorting 64-bit keys; NC_ERANGE when they do not fit */
} nc_ngram_method;

typedef struct {
    int nmin, nmax;            /* 1 <= nmin <= nmax <= NC_NGRAM_MAX */
    const int32_t *doc_group;  /* per document; -1 leaves the document out */
    uint32_t ngroups;
    const uint8_t *stop;       /* per vocab id, nonzero = stop word; may be NULL */
    size_t nstop;
    uint64_t min_count;        /* on the n-gram's total over all groups */
    uint64_t top;              /* per group, the most frequent; 0 = all */
    int workers;
    nc_poll_fn poll;
    void *poll_ctx;
    atomic_size_t *progress;   /* documents done, for a progress bar; may be NULL */
    nc_ngram_method method;
    const int64_t *group_tokens; /* per group, for row_rate; may be NULL */
    const int64_t *group_key;  /* per group, an 8-byte value for row_key; may be NULL */
} nc_ngram_opts;

typedef struct {
    uint32_t *keys;        /* ids of the unique n-grams back to back, in string order */
    uint64_t *key_off;     /* nuniq + 1 offsets into keys */
    size_t nuniq;
    uint32_t *row_ngram;   /* index into the unique n-grams */
    uint32_t *row_group;
    int64_t *row_count;
    int64_t *row_docfreq;
    int64_t *row_n;        /* the n-gram's length */
    double *row_rate;      /* count per 10,000 tokens of the group (0 for a group without
                            * tokens); NULL unless group_tokens was given */
    int64_t *row_key;      /* group_key of the row's group, written with the other
                            * columns on the threads; NULL unless group_key was given */
    size_t nrows;          /* sorted by count descending, then n-gram, then group */
} nc_ngram_table;

void nc_ngram_table_free(nc_ngram_table *t);

nc_status nc_count_ngrams(const nc_tokstore *ts, const nc_ngram_opts *o, nc_ngram_table *out);

/* Splits the vocabulary, in string order (ranks from nc_vocab_ranks), into
 * `workers` (<= 256) consecutive ranges of about equal token frequency:
 * (*out)[id] is the range of id (nc_free it). A counter whose worker k
 * handles the n-grams starting in range k needs no merge, and its sorted
 * results concatenate into string order. If freq_out is not NULL it
 * receives the token count of each id (nc_free it). */
nc_status nc_ngram_shares(const nc_tokstore *ts, const uint32_t *ranks, int workers,
                          uint8_t **out, uint64_t **freq_out);

/* Counts the given phrases (id sequences; keys/key_off as above, a phrase
 * with no ids never matches). counts and docfreq are nphrases * ngroups,
 * phrase-major, and are overwritten. Same barrier rules as n-grams. */
nc_status nc_count_phrases(const nc_tokstore *ts, const uint32_t *keys, const uint64_t *key_off,
                           size_t nphrases, const nc_ngram_opts *o, int64_t *counts,
                           int64_t *docfreq);

#endif
