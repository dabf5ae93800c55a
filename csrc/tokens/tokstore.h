/* The tokenized form of a corpus: per token an interned id (with a barrier
 * flag), its code-point start and length; per sentence its first token.
 * About 10 bytes a token, well under twice the UTF-8 text.
 *
 * Built in parallel: each worker tokenizes a contiguous range of documents
 * into its own chunk and vocabulary; the vocabularies are then merged in
 * worker order, so ids are assigned in order of first appearance in the
 * corpus whatever the number of workers. Read-only once built. */
#ifndef NC_TOKSTORE_H
#define NC_TOKSTORE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pool.h"
#include "segment/segment.h"
#include "tokens/vocab.h"

#define NC_TOK_BARRIER 0x80000000u /* a removed token or sentence start precedes */
#define NC_TOK_ID_MASK 0x3FFFFFFFu
#define NC_LEN_ESCAPE 0xFFFFu      /* length stored in the chunk's long table */

typedef struct {
    const void *data; /* PEP 393 layout: kind 1, 2 or 4 bytes per code point */
    size_t len;       /* in code points */
    int kind;
} nc_docsrc;

typedef struct {
    uint32_t *ids;
    uint32_t *starts;
    uint16_t *lens;
    size_t ntok, tok_cap;
    uint32_t *sent_first; /* first token of each sentence, relative to its doc */
    size_t nsent, sent_cap;
    uint64_t *long_at;    /* chunk token index of lengths >= NC_LEN_ESCAPE, ascending */
    uint32_t *long_len;
    size_t nlong, long_cap;
} nc_tokchunk;

typedef struct {
    uint64_t tok;  /* first token in its chunk */
    uint64_t sent; /* first sentence in its chunk */
    uint32_t ntok, nsent;
    uint32_t chunk;
} nc_docrec;

typedef struct {
    nc_vocab vocab;
    nc_tokchunk *chunks;
    size_t nchunks;
    nc_docrec *docs;
    size_t ndocs;
    uint64_t ntokens;
} nc_tokstore;

/* Most build threads, as for the counters: each keeps a vocabulary that is merged
 * afterwards, so a mistaken huge count must not start thousands of them. */
#define NC_BUILD_MAX_WORKERS 64

typedef struct {
    int workers;              /* capped to NC_BUILD_MAX_WORKERS and one per document */
    nc_poll_fn poll;          /* see pool.h; may be NULL */
    void *poll_ctx;
    atomic_size_t *progress;  /* incremented per document done; may be NULL */
} nc_build_opts;

typedef struct {
    size_t doc;       /* first document that failed */
    nc_status status;
    UErrorCode icu;
} nc_build_error;

void nc_tokstore_init(nc_tokstore *ts);
void nc_tokstore_free(nc_tokstore *ts);

nc_status nc_tokstore_build(nc_tokstore *ts, const nc_segmenter *seg, const nc_docsrc *docs,
                            size_t ndocs, const nc_build_opts *o, nc_build_error *err);

static inline const uint32_t *nc_doc_ids(const nc_tokstore *ts, size_t doc)
{
    const nc_docrec *d = &ts->docs[doc];
    const uint32_t *ids = ts->chunks[d->chunk].ids;
    /* a chunk of empty documents has no array, and NULL + 0 is undefined */
    return ids ? ids + d->tok : ids;
}

/* Code-point start and end of token i of a document. */
void nc_doc_token_span(const nc_tokstore *ts, size_t doc, uint32_t i, uint32_t *start,
                       uint32_t *end);

/* Sentence index (within the document) of token i. */
uint32_t nc_doc_sentence_of(const nc_tokstore *ts, size_t doc, uint32_t i);

/* Bytes held by the token arrays (not the vocabulary). */
size_t nc_tokstore_token_bytes(const nc_tokstore *ts);
size_t nc_tokstore_vocab_bytes(const nc_tokstore *ts);

#endif
