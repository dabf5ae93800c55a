#include "match/arrays.h"

#include <stdlib.h>
#include <string.h>

void nc_pairvec_free(nc_pairvec *p)
{
    nc_free(p->v);
    memset(p, 0, sizeof *p);
}

void nc_u32vec_free(nc_u32vec *a)
{
    nc_free(a->v);
    memset(a, 0, sizeof *a);
}

nc_status nc_pairs_to_csr(const nc_u32pair *p, size_t n, size_t na, uint32_t **off,
                          uint32_t **vals)
{
    uint32_t *o = nc_calloc(na + 1, sizeof *o);
    uint32_t *v = nc_malloc((n ? n : 1) * sizeof *v);
    if (!o || !v) {
        nc_free(o);
        nc_free(v);
        return NC_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        o[p[i].a + 1]++;
    for (size_t k = 0; k < na; k++)
        o[k + 1] += o[k];
    for (size_t i = 0; i < n; i++)
        v[o[p[i].a]++] = p[i].b;
    for (size_t k = na; k > 0; k--)
        o[k] = o[k - 1];
    o[0] = 0;
    *off = o;
    *vals = v;
    return NC_OK;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

size_t nc_u32_sort_unique(uint32_t *a, size_t n)
{
    /* most rows are a handful of values: insertion sort beats qsort there */
    if (n > 32) {
        qsort(a, n, sizeof *a, cmp_u32);
    } else {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1] > x) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || a[m - 1] != a[i])
            a[m++] = a[i];
    return m;
}

void nc_csr_sort_unique_rows(uint32_t *off, uint32_t *vals, size_t nrows)
{
    uint32_t w = 0;
    for (size_t k = 0; k < nrows; k++) {
        uint32_t a = off[k], e = off[k + 1];
        size_t m = nc_u32_sort_unique(vals + a, e - a);
        memmove(vals + w, vals + a, m * sizeof *vals);
        off[k] = w;
        w += (uint32_t)m;
    }
    off[nrows] = w;
}

void nc_strlist_free(nc_strlist *l)
{
    nc_free(l->buf);
    nc_free(l->off);
    memset(l, 0, sizeof *l);
}

nc_status nc_strlist_add(nc_strlist *l, const char *s, size_t len)
{
    if (nc_grow((void **)&l->buf, &l->cap, l->len + len + 1, 1) ||
        nc_grow((void **)&l->off, &l->ncap, l->n + 1, sizeof *l->off))
        return NC_ENOMEM;
    memcpy(l->buf + l->len, s, len);
    l->buf[l->len + len] = 0;
    l->off[l->n++] = l->len;
    l->len += len + 1;
    return NC_OK;
}
