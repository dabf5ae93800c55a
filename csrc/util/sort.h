/* Sorting of index permutations: a stable merge sort with a context
 * argument (qsort has none, and a global would not be thread-safe) and a
 * stable LSD radix sort by integer keys for large result tables. */
#ifndef NC_SORT_H
#define NC_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

typedef int (*nc_cmp_u32)(uint32_t a, uint32_t b, void *ctx);

/* Stable sort of the indices a[0..n) by cmp. */
nc_status nc_sort_u32(uint32_t *a, size_t n, nc_cmp_u32 cmp, void *ctx);

/* Stable sort of perm[0..n) by key[perm[i]] ascending (LSD radix, 8-bit
 * digits; passes where every digit is equal are skipped). perm holds
 * indices into key. */
nc_status nc_radix_by_u64(uint32_t *perm, size_t n, const uint64_t *key);
nc_status nc_radix_by_u32(uint32_t *perm, size_t n, const uint32_t *key);

/* Sorts the words a[0..n) ascending by their bits [lo, hi), in place (LSD
 * radix; equal keys keep their order), with tmp as room for n words. */
void nc_radix_u64(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo, unsigned hi);
#endif
