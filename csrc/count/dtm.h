/* Document-term matrices: counts of every n-gram per document (or per row
 * of documents, e.g. a year), as a compressed sparse row (CSR) matrix ready
 * for scipy.sparse and scikit-learn.
 *
 * N-grams follow the rules of ngram.h (no n-gram across a sentence
 * boundary, a removed token or a stop word), so each cell equals the count
 * nc_count_ngrams gives for that n-gram in that row's documents.
 *
 * Work is split like nc_count_ngrams: worker k owns the n-grams whose first
 * token falls in the k-th string-order share of the vocabulary, so the
 * workers' columns are disjoint, consecutive ranges of the final, sorted
 * column order, and each writes its part of every row straight into the
 * result. Results are identical for any number of workers. */
#ifndef NC_DTM_H
#define NC_DTM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "util/pool.h"
#include "tokens/tokstore.h"

typedef struct {
    int nmin, nmax;           /* 1 <= nmin <= nmax <= NC_NGRAM_MAX */
    const int32_t *doc_row;   /* per document: its row; -1 leaves the document out */
    uint32_t nrows;
    const uint8_t *stop;      /* per vocab id, nonzero = stop word; may be NULL */
    size_t nstop;
    uint64_t min_count;       /* keep columns whose total over all rows is at least this */
    int workers;              /* at most NC_DTM_MAX_WORKERS and one per vocabulary form */
    nc_poll_fn poll;          /* see pool.h; may be NULL */
    void *poll_ctx;
    /* documents done, for a progress bar (may be NULL): every worker reads
     * every document, so worker 0's count stands for all; documents left
     * out (row -1) count at the start. It reaches the number of documents
     * when counting ends, before the matrix is written out. */
    atomic_size_t *progress;
} nc_dtm_opts;

#define NC_DTM_MAX_WORKERS 64

typedef struct {
    /* Row r holds entries indptr[r] .. indptr[r+1]-1, columns strictly
     * ascending (scipy's canonical format). indptr and indices are int32
     * when nnz and ncols fit (index_bytes 4), else int64 (index_bytes 8),
     * the index width scipy itself would choose. */
    void *indptr;             /* nrows + 1 */
    void *indices;            /* nnz column numbers */
    int64_t *data;            /* nnz counts, all > 0 */
    int index_bytes;
    size_t nrows, ncols, nnz;
    uint32_t *keys;           /* the columns' n-grams (ids) back to back, in string order */
    uint64_t *key_off;        /* ncols + 1 offsets into keys */
} nc_dtm;

void nc_dtm_free(nc_dtm *m);

/* Builds the matrix. On failure returns NC_ENOMEM, NC_EINVAL (bad options
 * or a row code >= nrows), NC_ERANGE (a count beyond 2^32-1) or NC_EINTR
 * (poll asked to stop), and *out is empty. */
nc_status nc_build_dtm(const nc_tokstore *ts, const nc_dtm_opts *o, nc_dtm *out);

#endif
