/* Allocation for the natocyber core.
 *
 * Every allocation in csrc/ goes through these functions so that tests can
 * make the Nth allocation fail and check that each failure path frees what it
 * took and reports NC_ENOMEM. */
#ifndef NC_ALLOC_H
#define NC_ALLOC_H

#include <stddef.h>

void *nc_malloc(size_t size);
void *nc_calloc(size_t count, size_t size);
void *nc_realloc(void *ptr, size_t size);
void nc_free(void *ptr);

/* Zeroed memory for a large, randomly accessed table. From a few MB up it is
 * mapped directly (the kernel's pages are already zero, so it is not cleared
 * twice) and marked for transparent huge pages, which cuts page faults and
 * TLB misses of hash probes. Free with nc_free_table and the same sizes. */
void *nc_calloc_table(size_t count, size_t size);
void nc_free_table(void *ptr, size_t count, size_t size);

/* Grow *cap (at least doubling) until it holds `need` elements of `elem`
 * bytes and reallocate *ptr to it. Returns 0 on success, -1 on overflow or
 * allocation failure (then *ptr and *cap are unchanged). */
int nc_grow(void **ptr, size_t *cap, size_t need, size_t elem);

/* Fault injection: after nc_alloc_fail_after(n), the allocation with index n
 * (0-based, counted from this call) and every later one fail until
 * nc_alloc_fail_after(-1) switches it off. nc_alloc_count() returns how many
 * allocations were attempted since the last call to nc_alloc_fail_after. */
void nc_alloc_fail_after(long n);
long nc_alloc_count(void);

#endif
