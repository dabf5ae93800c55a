#include "util/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* -1: injection off. Atomic because worker threads allocate concurrently. */
static atomic_long fail_at = -1;
static atomic_long attempts = 0;

static int should_fail(void)
{
    long limit = atomic_load_explicit(&fail_at, memory_order_relaxed);
    long n = atomic_fetch_add_explicit(&attempts, 1, memory_order_relaxed);
    return limit >= 0 && n >= limit;
}

void *nc_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *nc_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        count = size = 1;
    return calloc(count, size);
}

void *nc_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void nc_free(void *ptr) { free(ptr); }

#define HUGE_PAGE ((size_t)2 << 20)
#define TABLE_MAP_MIN (4 * HUGE_PAGE)

void *nc_calloc_table(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    size_t bytes = count * size;
#if defined(__linux__)
    if (bytes >= TABLE_MAP_MIN) {
        if (should_fail())
            return NULL;
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
#if defined(MADV_HUGEPAGE)
        madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure changes nothing */
#endif
#if defined(MADV_POPULATE_WRITE)
        /* Writable pages now: a probe that reads an untouched slot would map
         * the shared zero page, and the store after it would replace that
         * mapping with a TLB flush on every core running the process (an
         * interrupt to the other worker threads). Advice only, too. */
        madvise(p, bytes, MADV_POPULATE_WRITE);
#endif
        return p;
    }
#endif
    /* zeroed by writing, not calloc: fresh memory calloc does not clear is
     * read through the zero page until the first store (as above) */
    void *p = nc_malloc(bytes);
    return p ? memset(p, 0, bytes) : NULL;
}

void nc_free_table(void *ptr, size_t count, size_t size)
{
    if (!ptr)
        return;
#if defined(__linux__)
    if (count * size >= TABLE_MAP_MIN) {
        munmap(ptr, count * size);
        return;
    }
#endif
    (void)count, (void)size;
    nc_free(ptr);
}

int nc_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (elem && ncap > SIZE_MAX / elem)
        return -1;
    void *p = nc_realloc(*ptr, ncap * elem);
    if (!p)
        return -1;
    *ptr = p;
    *cap = ncap;
    return 0;
}

void nc_alloc_fail_after(long n)
{
    atomic_store(&attempts, 0);
    atomic_store(&fail_at, n);
}

long nc_alloc_count(void) { return atomic_load(&attempts); }
