/* The nc_segmenter (options, ICU's template iterators, the abbreviation
 * table, which fast paths the rules allow) and the per-thread
 * nc_segworker. */
#include <string.h>

#include "segment/locale.h"
#include "segment/rules.h"
#include "segment/segmenter.h"
#include "util/alloc.h"

static void ascii_classes(uint8_t *t)
{
    for (UChar32 c = 0; c < 0x80; c++)
        t[c] = (uint8_t)((u_isUWhiteSpace(c) ? NC_C_WHITE : 0) | (u_isalpha(c) ? NC_C_ALPHA : 0) |
                         (u_isupper(c) ? NC_C_UPPER : 0) | (u_isdigit(c) ? NC_C_DIGIT : 0) |
                         (u_isalnum(c) ? NC_C_ALNUM : 0) | (u_ispunct(c) ? NC_C_PUNCT : 0) |
                         (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ? NC_C_IGNORABLE : 0) |
                         (nc_is_word_edge((UChar)c) ? NC_C_EDGE : 0));
}

nc_status nc_segmenter_new(const nc_seg_options *opt, nc_segmenter **out, UErrorCode *icu)
{
    *out = NULL;
    *icu = U_ZERO_ERROR;
    nc_segmenter *s = nc_calloc(1, sizeof *s);
    if (!s)
        return NC_ENOMEM;
    s->opt = *opt;
    nc_status r = NC_EINVAL;
    if (!nc_locale_canonical(opt->locale, s->locale, sizeof s->locale))
        goto fail;
    s->opt.locale = s->locale;
    ascii_classes(s->ascii);
    if (opt->stem_language) {
        if (strlen(opt->stem_language) >= sizeof s->stem_language)
            goto fail;
        int known = 0;
        for (const char **l = nc_stem_languages(); *l; l++)
            known |= strcmp(*l, opt->stem_language) == 0;
        if (!known)
            goto fail;
        strcpy(s->stem_language, opt->stem_language);
        s->opt.stem_language = s->stem_language;
    }
    UErrorCode st = U_ZERO_ERROR;
    s->words = ubrk_open(UBRK_WORD, s->locale, NULL, 0, &st);
    if (U_SUCCESS(st))
        s->sents = ubrk_open(UBRK_SENTENCE, s->locale, NULL, 0, &st);
    if (U_FAILURE(st)) {
        *icu = st;
        r = st == U_MEMORY_ALLOCATION_ERROR ? NC_ENOMEM : NC_EICU;
        goto fail;
    }
    s->excerpts = nc_rules_allow_excerpts(s->sents);
    s->plain_words = nc_rules_allow_plain_words(s->words);
    if (opt->default_abbreviations && (r = nc_abbr_table_add_defaults(&s->abbr)))
        goto fail;
    *out = s;
    return NC_OK;
fail:
    nc_segmenter_free(s);
    return r;
}

void nc_segmenter_free(nc_segmenter *s)
{
    if (!s)
        return;
    if (s->words)
        ubrk_close(s->words);
    if (s->sents)
        ubrk_close(s->sents);
    nc_abbr_table_free(&s->abbr);
    nc_free(s);
}

const nc_seg_options *nc_segmenter_options(const nc_segmenter *s) { return &s->opt; }

int nc_segmenter_sentence_excerpts(const nc_segmenter *s) { return s->excerpts; }

void nc_segmenter_set_sentence_excerpts(nc_segmenter *s, int on)
{
    s->excerpts = on && nc_rules_allow_excerpts(s->sents);
}

int nc_segmenter_plain_words(const nc_segmenter *s) { return s->plain_words; }

void nc_segmenter_set_plain_words(nc_segmenter *s, int on)
{
    s->plain_words = on && nc_rules_allow_plain_words(s->words);
}

nc_status nc_segmenter_add_abbreviation(nc_segmenter *s, const UChar *abbr, size_t len,
                                        nc_abbr_class cls)
{
    return nc_abbr_table_add(&s->abbr, abbr, len, cls);
}

int nc_segmenter_abbreviation(const nc_segmenter *s, size_t i, const UChar **abbr, size_t *len,
                              nc_abbr_class *cls)
{
    if (i >= s->abbr.n)
        return 0;
    *abbr = s->abbr.v[i].text;
    *len = s->abbr.v[i].len;
    *cls = s->abbr.v[i].cls;
    return 1;
}

nc_status nc_segworker_init(nc_segworker *w, const nc_segmenter *s)
{
    memset(w, 0, sizeof *w);
    w->seg = s;
    nc_norm_options no = {s->opt.keep_case, s->opt.stem_language};
    nc_status r = nc_normalizer_init(&w->norm, &no);
    if (r) {
        w->icu_status = w->norm.icu_status;
        nc_segworker_free(w);
        return r;
    }
    UErrorCode st = U_ZERO_ERROR;
    w->words = ubrk_clone(s->words, &st);
    if (U_SUCCESS(st))
        w->sents = ubrk_clone(s->sents, &st);
    if (U_FAILURE(st)) {
        w->icu_status = st;
        nc_segworker_free(w);
        return st == U_MEMORY_ALLOCATION_ERROR ? NC_ENOMEM : NC_EICU;
    }
    return NC_OK;
}

void nc_segworker_free(nc_segworker *w)
{
    if (w->words)
        ubrk_close(w->words);
    if (w->sents)
        ubrk_close(w->sents);
    nc_normalizer_free(&w->norm);
    nc_free(w->toks);
    nc_free(w->sents_out);
    nc_free(w->bounds);
    nc_free(w->sbuf);
    nc_free(w->xbuf);
    nc_free(w->pieces);
    memset(w, 0, sizeof *w);
}

nc_status nc_segworker_norm(nc_segworker *w, const nc_text *t, const nc_rawtok *tk,
                            const char **out, size_t *len)
{
    nc_status r = nc_normalize(&w->norm, t->u16 + tk->start, tk->end - tk->start, out, len);
    if (r == NC_EICU)
        w->icu_status = w->norm.icu_status;
    if (r == NC_OK && tk->kind == NC_TOK_WORD && w->norm.stemmer)
        r = nc_stem(&w->norm, *out, *len, out, len);
    return r;
}
