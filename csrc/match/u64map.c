#include "match/u64map.h"

#include <string.h>

#include "util/alloc.h"

void nc_u64map_free(nc_u64map *m)
{
    nc_free(m->slots);
    memset(m, 0, sizeof *m);
}

nc_status nc_u64map_reserve(nc_u64map *m, size_t n)
{
    if (m->slots && n * 2 <= m->mask + 1)
        return NC_OK;
    size_t size = m->slots ? (m->mask + 1) * 2 : 1024;
    while (n * 2 > size)
        size *= 2;
    nc_u64slot *t = nc_malloc(size * sizeof *t);
    if (!t)
        return NC_ENOMEM;
    for (size_t i = 0; i < size; i++)
        t[i].key = NC_U64MAP_FREE;
    nc_u64map grown = {t, size - 1, m->n};
    for (size_t i = 0; m->slots && i <= m->mask; i++)
        if (m->slots[i].key != NC_U64MAP_FREE)
            *nc_u64map_slot(&grown, m->slots[i].key) = m->slots[i];
    nc_free(m->slots);
    *m = grown;
    return NC_OK;
}
