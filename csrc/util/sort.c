#include "util/sort.h"

#include <string.h>

#include "util/alloc.h"

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

/* Stable sort of w[0..n) by bits [lo_bit, 64) of each word. */
static nc_status radix_words(uint64_t *w, size_t n, int lo_bit)
{
    if (n < 2)
        return NC_OK;
    uint64_t *buf = nc_malloc(n * sizeof *buf);
    if (!buf)
        return NC_ENOMEM;
    nc_radix_u64(w, buf, n, (unsigned)lo_bit, 64);
    nc_free(buf);
    return NC_OK;
}

/* The keys are gathered once next to the indices (key in the high half),
 * so the passes read memory in order instead of chasing perm. */
nc_status nc_radix_by_u32(uint32_t *perm, size_t n, const uint32_t *key)
{
    if (n < 2)
        return NC_OK;
    uint64_t *w = nc_malloc(n * sizeof *w);
    if (!w)
        return NC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        w[i] = (uint64_t)key[perm[i]] << 32 | perm[i];
    nc_status r = radix_words(w, n, 32);
    if (r == NC_OK)
        for (size_t i = 0; i < n; i++)
            perm[i] = (uint32_t)w[i];
    nc_free(w);
    return r;
}

nc_status nc_radix_by_u64(uint32_t *perm, size_t n, const uint64_t *key)
{
    if (n < 2)
        return NC_OK;
    uint32_t *half = nc_malloc(n * sizeof *half);
    if (!half)
        return NC_ENOMEM;
    nc_status r = NC_OK;
    /* least significant half first; both passes are stable */
    for (int hi = 0; hi < 2 && r == NC_OK; hi++) {
        for (size_t i = 0; i < n; i++)
            half[perm[i]] = (uint32_t)(key[perm[i]] >> (hi ? 32 : 0));
        r = nc_radix_by_u32(perm, n, half);
    }
    nc_free(half);
    return r;
}

/* LSD radix with 8-bit digits: the 256 write streams of a pass stay within
 * the cache and the histograms on the stack. All histograms come from one
 * read of the input, and a pass whose digit is the same everywhere is
 * skipped. */
void nc_radix_u64(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo, unsigned hi)
{
    if (hi > 64)
        hi = 64;
    if (n < 2 || hi <= lo)
        return;
    uint64_t keymask = hi - lo >= 64 ? UINT64_MAX : ((uint64_t)1 << (hi - lo)) - 1;
    if (n <= 24) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = a[i], kx = (x >> lo) & keymask;
            size_t j = i;
            while (j > 0 && ((a[j - 1] >> lo) & keymask) > kx) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        return;
    }
    unsigned passes = (hi - lo + 7) / 8;
    size_t hist[8][256];
    memset(hist, 0, passes * sizeof hist[0]);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = (a[i] >> lo) & keymask;
        for (unsigned p = 0; p < passes; p++)
            hist[p][(k >> (8 * p)) & 0xFF]++;
    }
    uint64_t *src = a, *dst = tmp;
    for (unsigned p = 0; p < passes; p++) {
        size_t *h = hist[p];
        unsigned shift = 8 * p;
        if (h[(((src[0] >> lo) & keymask) >> shift) & 0xFF] == n)
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < 256; d++) {
            size_t c = h[d];
            h[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t w = src[i];
            dst[h[(((w >> lo) & keymask) >> shift) & 0xFF]++] = w;
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}
