#include "sort.h"

#include <string.h>

#include "alloc.h"

static void merge_pass(uint32_t *a, uint32_t *tmp, size_t n, nc_cmp_u32 cmp, void *ctx)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = cmp(a[j], a[i], ctx) < 0 ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

nc_status nc_sort_u32(uint32_t *a, size_t n, nc_cmp_u32 cmp, void *ctx)
{
    if (n < 2)
        return NC_OK;
    /* insertion sort for small runs keeps the common tiny cases cheap */
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = a[i];
            size_t j = i;
            while (j > 0 && cmp(x, a[j - 1], ctx) < 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        return NC_OK;
    }
    uint32_t *tmp = nc_malloc(n * sizeof *tmp);
    if (!tmp)
        return NC_ENOMEM;
    merge_pass(a, tmp, n, cmp, ctx);
    nc_free(tmp);
    return NC_OK;
}

static nc_status radix(uint32_t *perm, size_t n, const void *keys, int wide)
{
    if (n < 2)
        return NC_OK;
    uint32_t *tmp = nc_malloc(n * sizeof *tmp);
    size_t *count = nc_malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        nc_free(tmp);
        nc_free(count);
        return NC_ENOMEM;
    }
    const uint64_t *k64 = keys;
    const uint32_t *k32 = keys;
    int passes = wide ? 4 : 2;
    for (int p = 0; p < passes; p++) {
        int shift = 16 * p;
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++) {
            uint64_t k = wide ? k64[perm[i]] : k32[perm[i]];
            count[(k >> shift) & 0xFFFF]++;
        }
        int trivial = 0;
        for (size_t d = 0; d < 65536; d++)
            if (count[d] == n) {
                trivial = 1;
                break;
            }
        if (trivial)
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t k = wide ? k64[perm[i]] : k32[perm[i]];
            tmp[count[(k >> shift) & 0xFFFF]++] = perm[i];
        }
        memcpy(perm, tmp, n * sizeof *perm);
    }
    nc_free(tmp);
    nc_free(count);
    return NC_OK;
}

nc_status nc_radix_by_u64(uint32_t *perm, size_t n, const uint64_t *key) { return radix(perm, n, key, 1); }

nc_status nc_radix_by_u32(uint32_t *perm, size_t n, const uint32_t *key) { return radix(perm, n, key, 0); }
