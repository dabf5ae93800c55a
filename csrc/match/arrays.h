/* Small growable arrays that the matcher's stages share: pairs and vectors of
 * 32-bit values, pairs turned into compressed rows (CSR), rows made sorted
 * sets, and a list of strings. Nothing here is specific to patterns; these
 * could serve the rest of the core too. */
#ifndef NC_MATCH_ARRAYS_H
#define NC_MATCH_ARRAYS_H

#include <stddef.h>
#include <stdint.h>

#include "util/alloc.h"
#include "util/status.h"

typedef struct {
    uint32_t a, b;
} nc_u32pair;

/* A growing array of pairs. */
typedef struct {
    nc_u32pair *v;
    size_t n, cap;
} nc_pairvec;

/* A growing array of uint32_t. */
typedef struct {
    uint32_t *v;
    size_t n, cap;
} nc_u32vec;

static inline nc_status nc_pairvec_push(nc_pairvec *p, uint32_t a, uint32_t b)
{
    if (p->n == p->cap && nc_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v))
        return NC_ENOMEM;
    p->v[p->n++] = (nc_u32pair){a, b};
    return NC_OK;
}

static inline nc_status nc_u32vec_push(nc_u32vec *a, uint32_t x)
{
    if (a->n == a->cap && nc_grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v))
        return NC_ENOMEM;
    a->v[a->n++] = x;
    return NC_OK;
}

void nc_pairvec_free(nc_pairvec *p);
void nc_u32vec_free(nc_u32vec *a);

/* The pairs p[0..n) grouped by a (stably, by counting) into rows 0..na-1:
 * row k holds vals[off[k] .. off[k+1]), the b of each pair whose a is k. */
nc_status nc_pairs_to_csr(const nc_u32pair *p, size_t n, size_t na, uint32_t **off,
                          uint32_t **vals);

/* Sorts a[0..n) ascending and drops repeats; returns how many are left. */
size_t nc_u32_sort_unique(uint32_t *a, size_t n);

/* nc_u32_sort_unique on each of the nrows rows of a CSR, the rows moved
 * together so that off[] stays a CSR over the shorter vals. */
void nc_csr_sort_unique_rows(uint32_t *off, uint32_t *vals, size_t nrows);

/* A growing list of NUL-terminated strings. */
typedef struct {
    char *buf;
    size_t len, cap;
    size_t *off;
    size_t n, ncap;
} nc_strlist;

void nc_strlist_free(nc_strlist *l);
nc_status nc_strlist_add(nc_strlist *l, const char *s, size_t len);

/* Empties the list, keeping its memory. */
static inline void nc_strlist_clear(nc_strlist *l) { l->len = l->n = 0; }

/* Length of string i (without its NUL). */
static inline size_t nc_strlist_len(const nc_strlist *l, size_t i)
{
    size_t end = i + 1 < l->n ? l->off[i + 1] : l->len;
    return end - l->off[i] - 1;
}

#endif
