#include "segment/abbrev.h"

#include <string.h>

#include "util/alloc.h"

/* Abbreviations of this domain that ICU's sentence rules would end a
 * sentence after. */
static const char *const ABBR_ALWAYS[] = {
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Cmdr.",
    "Adm.", "Sgt.", "Brig.", "Amb.", "Sen.", "Rep.", "Gov.", "Pres.", "Hon.", "Rev.",
    "St.", "Mt.", "Ft.", "Messrs.", "e.g.", "i.e.", "cf.", "viz.", "vs.", "approx.", NULL};
static const char *const ABBR_BEFORE_NUMBER[] = {
    "Art.", "art.", "Arts.", "No.", "no.", "Nos.", "Para.", "para.", "Paras.", "Sec.",
    "Sect.", "Fig.", "Vol.", "Ch.", "Chap.", "p.", "pp.", "Nr.", "Res.", "Op.", NULL};
static const char *const ABBR_AMBIGUOUS[] = {
    "U.S.", "U.K.", "U.N.", "E.U.", "U.S.A.", "Inc.", "Ltd.", "Co.", "Corp.", "Jr.",
    "Sr.", "etc.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.",
    "Sept.", "Oct.", "Nov.", "Dec.", "a.m.", "p.m.", "Dept.", "Govt.", NULL};

/* Words that start a new sentence after an ambiguous abbreviation. */
static const char *const OPENERS[] = {
    "the", "this", "that", "these", "those", "there", "it", "its", "we", "our", "they",
    "their", "he", "she", "his", "her", "i", "in", "on", "at", "as", "a", "an", "but",
    "and", "or", "if", "when", "while", "after", "before", "however", "moreover",
    "furthermore", "meanwhile", "nevertheless", "today", "such", "both", "all", NULL};

void nc_abbr_table_free(nc_abbr_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        nc_free(t->v[i].text);
    nc_free(t->v);
    nc_vocab_free(&t->index);
    memset(t, 0, sizeof *t);
}

const nc_abbr *nc_abbr_table_lookup(const nc_abbr_table *t, const UChar *p, size_t len)
{
    int64_t i = nc_vocab_find(&t->index, (const char *)p, len * sizeof *p);
    return i >= 0 ? &t->v[i] : NULL;
}

nc_status nc_abbr_table_add(nc_abbr_table *t, const UChar *abbr, size_t len, nc_abbr_class cls)
{
    if (len == 0 || len > 64 || abbr[len - 1] != '.' || cls < NC_ABBR_ALWAYS ||
        cls > NC_ABBR_AMBIGUOUS)
        return NC_EINVAL;
    int64_t i = nc_vocab_find(&t->index, (const char *)abbr, len * sizeof *abbr);
    if (i >= 0) {
        t->v[i].cls = cls;
        return NC_OK;
    }
    if (nc_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v))
        return NC_ENOMEM;
    UChar *copy = nc_malloc(len * sizeof *copy);
    if (!copy)
        return NC_ENOMEM;
    memcpy(copy, abbr, len * sizeof *copy);
    uint32_t id;
    nc_status r = nc_vocab_intern(&t->index, (const char *)copy, len * sizeof *copy, 0, &id);
    if (r) {
        nc_free(copy);
        return r;
    }
    t->v[t->n++] = (nc_abbr){copy, len, cls};
    unsigned bit = nc_abbr_bit(abbr, len);
    t->filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    return NC_OK;
}

static nc_status add_ascii_list(nc_abbr_table *t, const char *const *list, nc_abbr_class cls)
{
    UChar buf[16];
    for (; *list; list++) {
        size_t n = strlen(*list);
        for (size_t i = 0; i < n; i++)
            buf[i] = (UChar)(unsigned char)(*list)[i];
        nc_status r = nc_abbr_table_add(t, buf, n, cls);
        if (r)
            return r;
    }
    return NC_OK;
}

nc_status nc_abbr_table_add_defaults(nc_abbr_table *t)
{
    nc_status r;
    if ((r = add_ascii_list(t, ABBR_ALWAYS, NC_ABBR_ALWAYS)) ||
        (r = add_ascii_list(t, ABBR_BEFORE_NUMBER, NC_ABBR_BEFORE_NUMBER)))
        return r;
    return add_ascii_list(t, ABBR_AMBIGUOUS, NC_ABBR_AMBIGUOUS);
}

int nc_abbr_opener(const char *word)
{
    for (const char *const *o = OPENERS; *o; o++)
        if (strcmp(*o, word) == 0)
            return 1;
    return 0;
}
