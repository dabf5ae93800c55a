/* The text of n-grams for result tables: vocabulary forms joined by single
 * spaces, back to back in one UTF-8 buffer with 64-bit offsets. That is the
 * layout of an Arrow large_string array, so Python wraps it without a copy
 * or one object per string. */
#ifndef NC_NGRAM_TEXT_H
#define NC_NGRAM_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"
#include "tokens/vocab.h"

typedef struct {
    char *data;
    int64_t *off; /* n + 1 offsets into data */
    size_t n;
} nc_strings;

void nc_strings_free(nc_strings *s);

/* String i < n is n-gram u = index[i] (or i when index is NULL): the forms
 * of keys[key_off[u] .. key_off[u + 1]) joined; written on `workers`
 * threads. */
nc_status nc_ngram_join(const nc_vocab *v, const uint32_t *keys, const uint64_t *key_off,
                        const uint32_t *index, size_t n, int workers, nc_strings *out);

/* out string i is src string index[i], for i < n (every index below
 * src->n; NC_EINVAL otherwise), copied on `workers` threads. */
nc_status nc_strings_gather(const char *data, const int64_t *off, size_t nsrc,
                            const uint32_t *index, size_t n, int workers, nc_strings *out);

#endif
