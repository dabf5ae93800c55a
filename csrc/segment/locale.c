#include "segment/locale.h"

#include <string.h>
#include <unicode/uloc.h>
#include <unicode/uscript.h>

int nc_locale_canonical(const char *loc, char *canon, size_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    if (!loc || !*loc) {
        canon[0] = 0;
        return 1;
    }
    if (strchr(loc, '-')) {
        int32_t parsed = 0;
        uloc_forLanguageTag(loc, canon, (int32_t)cap, &parsed, &st);
        /* a result that just fits comes without its NUL: too long for us */
        if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING ||
            parsed != (int32_t)strlen(loc))
            return 0;
    } else {
        if (strlen(loc) >= cap)
            return 0;
        strcpy(canon, loc);
    }
    char lang[ULOC_LANG_CAPACITY];
    st = U_ZERO_ERROR;
    uloc_getLanguage(canon, lang, sizeof lang, &st);
    if (U_FAILURE(st) || !lang[0])
        return 0;
    int known = 0;
    for (const char *const *l = uloc_getISOLanguages(); *l; l++)
        if (strcmp(*l, lang) == 0) {
            known = 1;
            break;
        }
    if (!known)
        return 0;
    char script[ULOC_SCRIPT_CAPACITY];
    st = U_ZERO_ERROR;
    uloc_getScript(canon, script, sizeof script, &st);
    if (U_FAILURE(st))
        return 0;
    if (script[0]) {
        UScriptCode codes[4];
        st = U_ZERO_ERROR;
        int32_t nc = uscript_getCode(script, codes, 4, &st);
        if (U_FAILURE(st) || nc < 1 || codes[0] == USCRIPT_INVALID_CODE)
            return 0;
    }
    char country[ULOC_COUNTRY_CAPACITY];
    st = U_ZERO_ERROR;
    uloc_getCountry(canon, country, sizeof country, &st);
    if (U_FAILURE(st))
        return 0;
    if (country[0]) {
        known = strlen(country) == 3 && country[0] >= '0' && country[0] <= '9';
        for (const char *const *c = uloc_getISOCountries(); !known && *c; c++)
            known = strcmp(*c, country) == 0;
    }
    return known;
}
