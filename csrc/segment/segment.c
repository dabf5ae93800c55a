#include "segment/segment.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#include "util/alloc.h"
#include "segment/plain_words.h"
#include "text/scan16.h"

typedef struct {
    UChar *text;
    size_t len;
    nc_abbr_class cls;
} abbr_entry;

struct nc_segmenter {
    nc_seg_options opt;
    char locale[ULOC_FULLNAME_CAPACITY];
    char stem_language[64];
    UBreakIterator *words; /* templates; only cloned, never iterated */
    UBreakIterator *sents;
    abbr_entry *abbr;
    size_t nabbr, abbr_cap;
    uint32_t *abbr_slots;     /* hash index of abbr: entry + 1, 0 empty */
    size_t abbr_nslots;
    uint64_t abbr_filter[16]; /* abbr_bit() of each entry: most words are none */
    uint8_t ascii[128];       /* ICU's classes of ASCII, for the fast paths */
    int excerpts;             /* sentence breaking sees excerpts (see below) */
    int plain_words;          /* plain text is word-segmented without ICU (see below) */
};

/* Classes of an ASCII character, as ICU gives them. */
enum { C_WHITE = 1, C_ALPHA = 2, C_UPPER = 4, C_DIGIT = 8, C_ALNUM = 16, C_PUNCT = 32, C_IGNORABLE = 64,
       C_EDGE = 128 /* is_word_edge() */ };

static int is_opening(UChar c)
{
    return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == 0x201C ||
           c == 0x2018 || c == 0xAB;
}

/* Where the word before a period starts (after it), for the abbreviations. */
static int is_word_edge(UChar c) { return u_isUWhiteSpace(c) || is_opening(c) || nc_is_dash(c); }

static void ascii_classes(uint8_t *t)
{
    for (UChar32 c = 0; c < 0x80; c++)
        t[c] = (uint8_t)((u_isUWhiteSpace(c) ? C_WHITE : 0) | (u_isalpha(c) ? C_ALPHA : 0) |
                         (u_isupper(c) ? C_UPPER : 0) | (u_isdigit(c) ? C_DIGIT : 0) |
                         (u_isalnum(c) ? C_ALNUM : 0) | (u_ispunct(c) ? C_PUNCT : 0) |
                         (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ? C_IGNORABLE : 0) |
                         (is_word_edge((UChar)c) ? C_EDGE : 0));
}

/* ICU's property test `icu` of c, from the table for ASCII: the property
 * calls are a good part of the segmentation time otherwise. */
static inline int char_is(const nc_segmenter *g, UChar32 c, int flag, UBool (*icu)(UChar32))
{
    return c >= 0 && c < 0x80 ? (g->ascii[c] & flag) != 0 : icu(c) != 0;
}

static inline unsigned abbr_bit(const UChar *p, size_t len)
{
    return (unsigned)(len * 31 + p[0] * 7u + (len > 1 ? p[len - 2] : 0)) & 1023u;
}

static inline uint32_t abbr_hash(const UChar *p, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a over the code units */
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* The index slot of p[0..len): its entry's, or the empty one it would take. */
static uint32_t *abbr_slot(const nc_segmenter *s, const UChar *p, size_t len)
{
    size_t mask = s->abbr_nslots - 1;
    for (size_t i = abbr_hash(p, len) & mask;; i = (i + 1) & mask) {
        uint32_t *e = &s->abbr_slots[i];
        if (!*e || (s->abbr[*e - 1].len == len &&
                    memcmp(s->abbr[*e - 1].text, p, len * sizeof(UChar)) == 0))
            return e;
    }
}

/* Abbreviations of this domain that ICU's sentence rules would end a
 * sentence after. Written with the final period, matched case-sensitively. */
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

static int locale_valid(const char *loc, char *canon, size_t cap)
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

/* ---- sentence excerpts ----------------------------------------------------
 *
 * ICU's sentence rules (UAX #29, ICU's sent.txt) end a sentence only after a
 * terminator (. ! ?) or a paragraph separator with the closing punctuation
 * and spaces after it, and at the end of the text. Two ASCII letters in a
 * row leave ICU's rule machine in one same state whatever came before them
 * (every rule that was under way ends or fails at a letter), and no boundary
 * falls before the second of them. So ICU only needs to see, around each
 * terminator, the text from the last letter pair before it to the first
 * letter pair after it; the stretches between such excerpts hold no
 * terminator and no boundary, and are cut out. The excerpts, joined, are a
 * few percent of statement-like text. Any character outside ASCII counts as
 * a terminator here, so text in other scripts is simply given whole. This
 * holds for the root rules only: other rules (a locale's own, or ICU's
 * suppression lists) break whole texts. The C tests compare both ways on
 * random and conformance texts. */

static inline int ascii_letter(UChar c) { return (unsigned)((c | 0x20) - 'a') < 26; }

/* The root sentence rules this reasoning was checked against, by an FNV-1a
 * hash of their compiled form: ICU 72's (the C tests compare both ways on
 * random texts; a review fuzzed 214 million random texts in five
 * locales and every sequence of up to 6 of 20 tricky tokens). Another ICU's
 * rules get whole texts until they are checked and listed here. */
static const uint64_t CHECKED_SENTENCE_RULES[] = {0xd3944ad03473d7e9ULL /* ICU 72.1 */};

/* The same for the root word rules that plain_words.h transcribes. */
static const uint64_t CHECKED_WORD_RULES[] = {0x8384613bb5067dbbULL /* ICU 72.1 */};

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV's 64-bit offset basis */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* Whether the iterator's compiled rules are among the checked ones. A
 * filtered iterator (ICU's suppression lists) has no rules to give. */
static int rules_checked(UBreakIterator *bi, const uint64_t *list, size_t count)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = ubrk_getBinaryRules(bi, NULL, 0, &st);
    uint8_t *rules = U_SUCCESS(st) && n > 0 ? nc_malloc((size_t)n) : NULL;
    int checked = 0;
    if (rules && (ubrk_getBinaryRules(bi, rules, n, &st), U_SUCCESS(st))) {
        uint64_t h = fnv1a64(rules, (size_t)n);
        for (size_t i = 0; i < count; i++)
            checked |= h == list[i];
    }
    nc_free(rules);
    return checked;
}

/* The assumptions above, asked of ICU: the iterator's rules are checked
 * root rules, every ASCII terminator or separator is one
 * nc_is_sentence_end_or_wide() finds, and ASCII letters are Upper or Lower.
 * Any failure here only means whole texts. */
static int root_sentence_rules(UBreakIterator *bi)
{
    for (UChar32 c = 0; c < 0x80; c++) {
        int32_t sb = u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
        int term = sb == U_SB_ATERM || sb == U_SB_STERM || sb == U_SB_SEP || sb == U_SB_CR ||
                   sb == U_SB_LF;
        if ((term && !nc_is_sentence_end_or_wide((UChar)c)) ||
            (ascii_letter((UChar)c) && sb != U_SB_UPPER && sb != U_SB_LOWER))
            return 0;
    }
    return rules_checked(bi, CHECKED_SENTENCE_RULES,
                         sizeof CHECKED_SENTENCE_RULES / sizeof *CHECKED_SENTENCE_RULES);
}

/* Plain text is segmented by plain_words.h when the word rules are checked
 * root rules and ICU's properties of the plain units are the table's. */
static int root_word_rules(UBreakIterator *bi)
{
    return nc_plain_words_match_icu() &&
           rules_checked(bi, CHECKED_WORD_RULES, sizeof CHECKED_WORD_RULES / sizeof *CHECKED_WORD_RULES);
}

static nc_status add_ascii_list(nc_segmenter *s, const char *const *list, nc_abbr_class cls)
{
    UChar buf[16];
    for (; *list; list++) {
        size_t n = strlen(*list);
        for (size_t i = 0; i < n; i++)
            buf[i] = (UChar)(unsigned char)(*list)[i];
        nc_status r = nc_segmenter_add_abbreviation(s, buf, n, cls);
        if (r)
            return r;
    }
    return NC_OK;
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
    if (!locale_valid(opt->locale, s->locale, sizeof s->locale))
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
    s->excerpts = root_sentence_rules(s->sents);
    s->plain_words = root_word_rules(s->words);
    if (opt->default_abbreviations) {
        if ((r = add_ascii_list(s, ABBR_ALWAYS, NC_ABBR_ALWAYS)) ||
            (r = add_ascii_list(s, ABBR_BEFORE_NUMBER, NC_ABBR_BEFORE_NUMBER)) ||
            (r = add_ascii_list(s, ABBR_AMBIGUOUS, NC_ABBR_AMBIGUOUS)))
            goto fail;
    }
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
    for (size_t i = 0; i < s->nabbr; i++)
        nc_free(s->abbr[i].text);
    nc_free(s->abbr);
    nc_free(s->abbr_slots);
    nc_free(s);
}

const nc_seg_options *nc_segmenter_options(const nc_segmenter *s) { return &s->opt; }

int nc_segmenter_sentence_excerpts(const nc_segmenter *s) { return s->excerpts; }

void nc_segmenter_set_sentence_excerpts(nc_segmenter *s, int on)
{
    s->excerpts = on && root_sentence_rules(s->sents);
}

int nc_segmenter_plain_words(const nc_segmenter *s) { return s->plain_words; }

void nc_segmenter_set_plain_words(nc_segmenter *s, int on)
{
    s->plain_words = on && root_word_rules(s->words);
}

nc_status nc_segmenter_add_abbreviation(nc_segmenter *s, const UChar *abbr, size_t len,
                                        nc_abbr_class cls)
{
    if (len == 0 || len > 64 || abbr[len - 1] != '.' || cls < NC_ABBR_ALWAYS ||
        cls > NC_ABBR_AMBIGUOUS)
        return NC_EINVAL;
    if (s->abbr_nslots) {
        uint32_t *e = abbr_slot(s, abbr, len);
        if (*e) {
            s->abbr[*e - 1].cls = cls;
            return NC_OK;
        }
    }
    if (nc_grow((void **)&s->abbr, &s->abbr_cap, s->nabbr + 1, sizeof *s->abbr))
        return NC_ENOMEM;
    if ((s->nabbr + 1) * 2 > s->abbr_nslots) { /* a larger index, rebuilt */
        size_t nslots = s->abbr_nslots ? s->abbr_nslots * 2 : 256;
        uint32_t *slots = nc_calloc(nslots, sizeof *slots);
        if (!slots)
            return NC_ENOMEM;
        nc_free(s->abbr_slots);
        s->abbr_slots = slots;
        s->abbr_nslots = nslots;
        for (size_t i = 0; i < s->nabbr; i++)
            *abbr_slot(s, s->abbr[i].text, s->abbr[i].len) = (uint32_t)i + 1;
    }
    UChar *copy = nc_malloc(len * sizeof(UChar));
    if (!copy)
        return NC_ENOMEM;
    memcpy(copy, abbr, len * sizeof(UChar));
    *abbr_slot(s, abbr, len) = (uint32_t)s->nabbr + 1;
    s->abbr[s->nabbr++] = (abbr_entry){copy, len, cls};
    unsigned bit = abbr_bit(abbr, len);
    s->abbr_filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    return NC_OK;
}

int nc_segmenter_abbreviation(const nc_segmenter *s, size_t i, const UChar **abbr, size_t *len,
                              nc_abbr_class *cls)
{
    if (i >= s->nabbr)
        return 0;
    *abbr = s->abbr[i].text;
    *len = s->abbr[i].len;
    *cls = s->abbr[i].cls;
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

/* ---- sentences ---------------------------------------------------------- */

static int is_space(UChar c) { return u_isUWhiteSpace(c) && !nc_is_line_break(c) && c != 0x2029; }

/* The next run of line breaks and spaces from i on, in s[0..n), that holds
 * exactly one line break (CR LF counts as one): its start (n if none) and,
 * in *end, its end. Such a break stands alone (no blank line around it). */
static size_t next_single_break(const UChar *s, size_t i, size_t n, size_t *end)
{
    for (i = nc_find_line_break(s, i, n); i < n; i = nc_find_line_break(s, i, n)) {
        size_t j = i, breaks = 0;
        while (j < n && (nc_is_line_break(s[j]) || is_space(s[j]))) {
            if (s[j] == 0x0D && j + 1 < n && s[j + 1] == 0x0A)
                j++; /* CR LF is one break */
            if (nc_is_line_break(s[j]))
                breaks++;
            j++;
        }
        if (breaks == 1) {
            *end = j;
            return i;
        }
        i = j;
    }
    return n;
}

/* The line breaks of s[i..j) become spaces in dst (which may be s). */
static void blank_breaks(UChar *dst, const UChar *s, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++)
        if (nc_is_line_break(s[k]))
            dst[k] = ' ';
}

/* A copy of the text in which every line break that stands alone is a
 * space, so wrapped lines do not end sentences while blank lines still do.
 * Lengths are unchanged, so offsets carry over. Returns the text to break
 * (the original when nothing needs blanking). */
static const UChar *blank_single_breaks(nc_segworker *w, const nc_text *t, nc_status *r)
{
    *r = NC_OK;
    const UChar *s = t->u16;
    size_t n = t->len16, j = 0;
    UChar *copy = NULL; /* made at the first break to blank */
    for (size_t i = next_single_break(s, 0, n, &j); i < n; i = next_single_break(s, j, n, &j)) {
        if (!copy) {
            if (nc_grow((void **)&w->sbuf, &w->sbuf_cap, n, sizeof(UChar))) {
                *r = NC_ENOMEM;
                return NULL;
            }
            copy = memcpy(w->sbuf, s, n * sizeof(UChar));
        }
        blank_breaks(copy, s, i, j);
    }
    return copy ? copy : s;
}

/* Points the iterator at s[0..n); on failure ICU's code goes to
 * w->icu_status. */
static nc_status set_text(nc_segworker *w, UBreakIterator *bi, const UChar *s, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(bi, s, (int32_t)n, &st);
    if (U_FAILURE(st)) {
        w->icu_status = st;
        return NC_EICU;
    }
    return NC_OK;
}

/* The text as ICU saw it, around boundaries: seen[i - from] is position i
 * for i in [from, to); elsewhere the text itself. */
typedef struct {
    const UChar *seen;
    size_t from, to;
} seen_text;

static inline UChar seen_at(const seen_text *v, const UChar *s, size_t i)
{
    return i >= v->from && i < v->to ? v->seen[i - v->from] : s[i];
}

static const abbr_entry *find_abbr(const nc_segmenter *s, const UChar *p, size_t len)
{
    unsigned bit = len ? abbr_bit(p, len) : 0;
    if (!len || !(s->abbr_filter[bit / 64] >> (bit % 64) & 1))
        return NULL;
    uint32_t e = *abbr_slot(s, p, len);
    return e ? &s->abbr[e - 1] : NULL;
}

static int next_is_opener(const nc_segmenter *g, const UChar *s, size_t i, size_t n)
{
    char word[16];
    size_t k = 0;
    if (i >= n || !char_is(g, s[i], C_UPPER, u_isupper))
        return 0;
    while (i < n && k < sizeof word - 1 && s[i] < 0x80 && char_is(g, s[i], C_ALPHA, u_isalpha))
        word[k++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]), i++;
    if (i < n && char_is(g, s[i], C_ALPHA, u_isalpha))
        return 0; /* longer or non-ASCII word: not in the list */
    word[k] = 0;
    for (const char *const *o = OPENERS; *o; o++)
        if (strcmp(*o, word) == 0)
            return 1;
    return 0;
}

/* 1 when the ICU boundary at b follows a listed abbreviation that should
 * not end the sentence here. */
static int suppress_break(const nc_segmenter *seg, const UChar *s, const seen_text *seen,
                          size_t n, size_t b)
{
    size_t e = b;
    while (e > 0 && char_is(seg, s[e - 1], C_WHITE, u_isUWhiteSpace)) {
        /* a line break ICU saw (not blanked) is a paragraph break: keep it */
        UChar c = seen_at(seen, s, e - 1);
        if (nc_is_line_break(c) || c == 0x2029)
            return 0;
        e--;
    }
    if (e == 0 || s[e - 1] != '.')
        return 0;
    size_t a = e - 1;
    while (a > 0 && !(s[a - 1] < 0x80 ? seg->ascii[s[a - 1]] & C_EDGE : is_word_edge(s[a - 1])))
        a--;
    size_t len = e - a;
    const abbr_entry *ab = find_abbr(seg, s + a, len);
    nc_abbr_class cls;
    if (ab)
        cls = ab->cls;
    else if (len == 2 && char_is(seg, s[a], C_UPPER, u_isupper))
        cls = NC_ABBR_AMBIGUOUS; /* an initial, as in "J. Smith" */
    else
        return 0;
    size_t i = b;
    while (i < n && (char_is(seg, s[i], C_WHITE, u_isUWhiteSpace) || is_opening(s[i])))
        i++;
    if (i >= n)
        return 0;
    switch (cls) {
    case NC_ABBR_ALWAYS:
        return 1;
    case NC_ABBR_BEFORE_NUMBER:
        return char_is(seg, s[i], C_DIGIT, u_isdigit);
    case NC_ABBR_AMBIGUOUS:
        return !next_is_opener(seg, s, i, n);
    }
    return 0;
}

/* The pieces of s[0..n) that ICU needs to see (see "sentence excerpts"), in
 * w->pieces; adjacent ones are merged. */
static nc_status plan_excerpts(nc_segworker *w, const UChar *s, size_t n)
{
    w->npieces = 0;
    size_t covered = 0;
    for (size_t i = nc_find_sentence_end_or_wide(s, 0, n); i < n;
         i = nc_find_sentence_end_or_wide(s, i, n)) {
        /* back to the last letter pair before i, but not into the last piece */
        size_t z = i;
        while (z >= covered + 2 && !(ascii_letter(s[z - 1]) && ascii_letter(s[z - 2])))
            z--;
        size_t from = z >= covered + 2 ? z - 2 : covered;
        /* on to the end of the first letter pair after i */
        size_t j = i + 1;
        while (j + 1 < n && !(ascii_letter(s[j]) && ascii_letter(s[j + 1])))
            j++;
        size_t to = j + 1 < n ? j + 2 : n;
        if (w->npieces && w->pieces[w->npieces - 1].end == from) {
            w->pieces[w->npieces - 1].end = (uint32_t)to;
        } else {
            if (w->npieces == w->pieces_cap &&
                nc_grow((void **)&w->pieces, &w->pieces_cap, w->npieces + 1, sizeof *w->pieces))
                return NC_ENOMEM;
            w->pieces[w->npieces++] = (nc_span){(uint32_t)from, (uint32_t)to};
        }
        covered = i = to;
    }
    return NC_OK;
}

/* Keeps ICU's boundary b unless a listed abbreviation before it says
 * otherwise. */
static nc_status add_bound(nc_segworker *w, const nc_text *t, const seen_text *seen, size_t b)
{
    size_t n = t->len16;
    if (b < n && suppress_break(w->seg, t->u16, seen, n, b))
        return NC_OK;
    if (w->nbounds == w->bounds_cap &&
        nc_grow((void **)&w->bounds, &w->bounds_cap, w->nbounds + 1, sizeof *w->bounds))
        return NC_ENOMEM;
    w->bounds[w->nbounds++] = (uint32_t)b;
    return NC_OK;
}

/* ICU's sentence boundaries of the text, through add_bound(): over the
 * excerpts when the segmenter allows, else over the whole text. Unless every
 * line break is to end a paragraph, line breaks that stand alone are
 * blanked first: in the excerpts (which hold every line break with the
 * spaces and breaks around it), or in a copy of the whole text. */
static nc_status sentence_bounds(nc_segworker *w, const nc_text *t)
{
    const UChar *s = t->u16;
    size_t n = t->len16, m = 0;
    int blank = !w->seg->opt.paragraph_lines;
    nc_status r = NC_OK;
    int whole = !w->seg->excerpts;
    if (!whole) {
        if ((r = plan_excerpts(w, s, n)))
            return r;
        whole = w->npieces == 1 && w->pieces[0].start == 0 && w->pieces[0].end == n;
    }
    if (whole) {
        const UChar *x = blank ? blank_single_breaks(w, t, &r) : s;
        if (r)
            return r;
        seen_text seen = {x, 0, n};
        if ((r = set_text(w, w->sents, x, n)))
            return r;
        for (int32_t b = ubrk_next(w->sents); b != UBRK_DONE && !r; b = ubrk_next(w->sents))
            r = add_bound(w, t, &seen, (size_t)b);
        return r;
    }
    for (size_t k = 0; k < w->npieces; k++)
        m += w->pieces[k].end - w->pieces[k].start;
    if (nc_grow((void **)&w->xbuf, &w->xbuf_cap, m ? m : 1, sizeof(UChar)))
        return NC_ENOMEM;
    UChar *dst = w->xbuf;
    for (size_t k = 0; k < w->npieces; k++) {
        size_t len = w->pieces[k].end - w->pieces[k].start, j = 0;
        memcpy(dst, s + w->pieces[k].start, len * sizeof(UChar));
        /* a piece starts and ends at letters or the ends of the text, so it
         * holds whole runs of breaks and spaces */
        for (size_t i = blank ? next_single_break(dst, 0, len, &j) : len; i < len;
             i = next_single_break(dst, j, len, &j))
            blank_breaks(dst, dst, i, j);
        dst += len;
    }
    if (m) {
        if ((r = set_text(w, w->sents, w->xbuf, m)))
            return r;
        /* a boundary inside excerpt k maps back into its piece; the end of
         * the excerpts is not one (the text goes on, or ends below) */
        size_t k = 0, at = 0; /* excerpt k starts at `at` in xbuf */
        for (int32_t b = ubrk_next(w->sents); b != UBRK_DONE && (size_t)b < m && !r;
             b = ubrk_next(w->sents)) {
            while ((size_t)b > at + (w->pieces[k].end - w->pieces[k].start))
                at += w->pieces[k].end - w->pieces[k].start, k++;
            seen_text seen = {w->xbuf + at, w->pieces[k].start, w->pieces[k].end};
            r = add_bound(w, t, &seen, w->pieces[k].start + ((size_t)b - at));
        }
    }
    seen_text none = {NULL, 0, 0};
    return r ? r : add_bound(w, t, &none, n);
}

nc_status nc_segment_sentences(nc_segworker *w, const nc_text *t)
{
    w->nsents = 0;
    w->nbounds = 0;
    size_t n = t->len16;
    if (n == 0)
        return NC_OK;
    if (n > INT32_MAX)
        return NC_ERANGE;
    nc_status r = sentence_bounds(w, t);
    UErrorCode st = U_ZERO_ERROR;
    /* detach the iterator from a buffer that may be reused or freed */
    ubrk_setText(w->sents, NULL, 0, &st);
    if (r)
        return r;
    uint32_t prev = 0;
    for (size_t k = 0; k < w->nbounds; k++) {
        uint32_t a = prev, e = w->bounds[k];
        prev = e;
        while (a < e && char_is(w->seg, t->u16[a], C_WHITE, u_isUWhiteSpace))
            a++;
        while (e > a && char_is(w->seg, t->u16[e - 1], C_WHITE, u_isUWhiteSpace))
            e--;
        if (a == e)
            continue;
        if (w->nsents == w->sents_cap &&
            nc_grow((void **)&w->sents_out, &w->sents_cap, w->nsents + 1, sizeof *w->sents_out))
            return NC_ENOMEM;
        w->sents_out[w->nsents++] = (nc_span){a, e};
    }
    return NC_OK;
}

/* ---- words --------------------------------------------------------------- */

/* "U.S", "e.g", "a.m": single letters separated by periods (not "nato.int") */
static int is_initialism(const nc_segmenter *g, const UChar *s, size_t n)
{
    if (n < 3 || n % 2 == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i % 2 ? s[i] != '.' : !char_is(g, s[i], C_ALPHA, u_isalpha))
            return 0;
    return 1;
}

/* Kind of one ICU word segment, or -1 for white space and invisible
 * characters, which are not tokens at all. */
static int classify(const nc_segmenter *g, const UChar *s, int32_t len, int32_t status)
{
    if (status >= UBRK_WORD_LETTER)
        return NC_TOK_WORD;
    if (status >= UBRK_WORD_NUMBER) {
        /* ICU gives "G7" and "COVID19" the number status (they end in a digit) */
        for (int32_t i = 0; i < len;) {
            UChar32 c;
            U16_NEXT(s, i, len, c);
            if (char_is(g, c, C_ALPHA, u_isalpha))
                return NC_TOK_WORD;
        }
        return NC_TOK_NUMBER;
    }
    if (s[0] == ' ')
        return -1;
    int32_t i = 0;
    while (i < len) {
        UChar32 c;
        U16_NEXT(s, i, len, c);
        if (c < 0x80) {
            if (g->ascii[c] & (C_WHITE | C_IGNORABLE))
                continue;
            return g->ascii[c] & C_PUNCT ? NC_TOK_PUNCT : NC_TOK_SYMBOL;
        }
        if (u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
            continue;
        return u_ispunct(c) ? NC_TOK_PUNCT : NC_TOK_SYMBOL;
    }
    return -1;
}

typedef struct {
    nc_segworker *w;
    size_t si;          /* sentence cursor */
    int barrier;        /* something was removed since the last kept token */
    uint32_t last_sentence;
    int any;            /* a token was kept already */
} emit_state;

static inline nc_status emit(emit_state *es, uint32_t start, uint32_t end, int kind)
{
    nc_segworker *w = es->w;
    const nc_seg_options *o = &w->seg->opt;
    int kept = kind == NC_TOK_WORD || (kind == NC_TOK_NUMBER && !o->drop_numbers) ||
               (kind == NC_TOK_PUNCT && o->keep_punct) || (kind == NC_TOK_SYMBOL && o->keep_symbols);
    if (!kept) {
        es->barrier = 1;
        return NC_OK;
    }
    while (es->si + 1 < w->nsents && start >= w->sents_out[es->si].end)
        es->si++;
    uint32_t sent = (uint32_t)es->si;
    /* the buffers persist across documents: growing is rare, so test inline */
    if (w->ntoks == w->toks_cap &&
        nc_grow((void **)&w->toks, &w->toks_cap, w->ntoks + 1, sizeof *w->toks))
        return NC_ENOMEM;
    int barrier = es->barrier || !es->any || sent != es->last_sentence;
    w->toks[w->ntoks++] = (nc_rawtok){start, end, sent, (uint8_t)kind, (uint8_t)barrier};
    es->barrier = 0;
    es->any = 1;
    es->last_sentence = sent;
    return NC_OK;
}

/* What nc_segment() carries from one word segment to the next. */
typedef struct {
    emit_state es;
    const UChar *s;
    size_t n;
    int have, have_dash; /* a word/number not yet emitted, and a hyphen right after it */
    uint32_t ps, pe, ds, de;
    int pk, dk;
} word_state;

/* Takes ICU's word segment s[a..e) of the given kind: joins hyphenated
 * words, abbreviation periods and plural possessives, and emits the rest. */
static inline nc_status take_segment(word_state *ws, uint32_t a, uint32_t e, int kind)
{
    const nc_seg_options *o = &ws->es.w->seg->opt;
    const UChar *s = ws->s;
    nc_status r;
    int wordlike = kind == NC_TOK_WORD || kind == NC_TOK_NUMBER;
    if (ws->have_dash) {
        ws->have_dash = 0;
        if (wordlike && a == ws->de) {
            if (o->hyphens == NC_HYPHEN_KEEP) {
                ws->pe = e;
                ws->pk = ws->pk == NC_TOK_NUMBER && kind == NC_TOK_NUMBER ? NC_TOK_NUMBER : NC_TOK_WORD;
                return NC_OK;
            }
            /* split: both parts stay adjacent; the hyphen is a token only
             * when punctuation is kept */
            if ((r = emit(&ws->es, ws->ps, ws->pe, ws->pk)))
                return r;
            if (o->keep_punct && (r = emit(&ws->es, ws->ds, ws->de, ws->dk)))
                return r;
            ws->ps = a, ws->pe = e, ws->pk = kind;
            return NC_OK;
        }
        if ((r = emit(&ws->es, ws->ps, ws->pe, ws->pk)) ||
            (r = emit(&ws->es, ws->ds, ws->de, ws->dk)))
            return r;
        ws->have = 0;
    }
    /* U+2212 MINUS SIGN is a symbol, the other dashes punctuation */
    if (ws->have && (kind == NC_TOK_PUNCT || kind == NC_TOK_SYMBOL) && e - a == 1 && a == ws->pe) {
        if (nc_is_joining_hyphen(s[a])) {
            ws->have_dash = 1, ws->ds = a, ws->de = e, ws->dk = kind;
            return NC_OK;
        }
        /* the final period of "U.S." or "Gen." belongs to the word, so it
         * is neither a barrier nor lost from the form */
        const nc_segmenter *g = ws->es.w->seg;
        if (s[a] == '.' && ws->pk == NC_TOK_WORD &&
            (find_abbr(g, s + ws->ps, e - ws->ps) || is_initialism(g, s + ws->ps, ws->pe - ws->ps))) {
            ws->pe = e;
            return NC_OK;
        }
        /* the possessive apostrophe of a plural ("Allies' response") */
        if (nc_is_apostrophe(s[a]) && ws->pk == NC_TOK_WORD && (s[a - 1] | 0x20) == 's' &&
            (e == ws->n || !char_is(g, s[e], C_ALNUM, u_isalnum))) {
            ws->pe = e;
            return NC_OK;
        }
    }
    if (ws->have && (r = emit(&ws->es, ws->ps, ws->pe, ws->pk)))
        return r;
    ws->have = 0;
    if (wordlike) {
        ws->have = 1, ws->ps = a, ws->pe = e, ws->pk = kind;
        return NC_OK;
    }
    return emit(&ws->es, a, e, kind);
}

/* Narrows ICU's segment s[*a..*e) to what a token may hold: the word rules
 * let a segment start with white space (a space before a combining mark:
 * "\u00A0\u0301") and join U+202F NARROW NO-BREAK SPACE to letters and
 * digits, so that French "Paris\u202F:" gives "Paris\u202F". Returns 0 when
 * nothing but white space and default-ignorable characters is left (ICU
 * gives "\u202F\u00AD\u202F" the word status): no token, as for a space.
 * Plain text never needs this: its only white space is a segment alone. */
static inline int visible_part(const UChar *s, int32_t *a, int32_t *e)
{
    int32_t i = *a, j = *e;
    /* most segments start with a visible BMP character and end in no space */
    UChar f = s[i];
    if ((f < 0x80 ? f > 0x20 : !U16_IS_SURROGATE(f) && !nc_is_invisible(f)) && !nc_is_white(s[j - 1]))
        return 1;
    while (i < j && nc_is_white(s[i]))
        i++;
    while (j > i && nc_is_white(s[j - 1]))
        j--;
    *a = i, *e = j;
    for (int32_t k = i; k < j;) {
        UChar32 c;
        U16_NEXT(s, k, j, c);
        if (!nc_is_invisible(c))
            return 1;
    }
    return 0;
}

/* ICU's word segments of s[from..to), which start and end at boundaries. */
static nc_status icu_segments(word_state *ws, size_t from, size_t to)
{
    nc_segworker *w = ws->es.w;
    const UChar *s = ws->s + from;
    nc_status r = set_text(w, w->words, s, to - from);
    if (r)
        return r;
    int32_t prev = 0;
    for (int32_t b = ubrk_next(w->words); b != UBRK_DONE && r == NC_OK; prev = b, b = ubrk_next(w->words)) {
        /* most segments are one space: skip them before asking ICU for the status */
        if (b - prev == 1 && s[prev] == ' ')
            continue;
        int32_t a = prev, e = b;
        if (!visible_part(s, &a, &e))
            continue;
        int kind = classify(w->seg, s + a, e - a, ubrk_getRuleStatus(w->words));
        if (kind >= 0)
            r = take_segment(ws, (uint32_t)(from + a), (uint32_t)(from + e), kind);
    }
    return r;
}

/* The same for plain text (plain_words.h). */
static nc_status plain_segments(word_state *ws, size_t from, size_t to)
{
    const UChar *s = ws->s;
    nc_status r = NC_OK;
    for (size_t i = from, e; i < to && r == NC_OK; i = e) {
        int32_t status;
        e = nc_plain_word_end(s, i, to, &status);
        if (s[i] == ' ')
            continue;
        int kind = classify(ws->es.w->seg, s + i, (int32_t)(e - i), status);
        if (kind >= 0)
            r = take_segment(ws, (uint32_t)i, (uint32_t)e, kind);
    }
    return r;
}

/* A boundary whatever comes before or after it: a space, then a plain unit
 * that is not one. No rule goes on from a space but to another space (or a
 * combining or format mark, which is not plain), and a segment never ends
 * after looking past such a space, so segmenting the text on either side
 * alone gives the same segments. */
static inline int fixed_boundary(const UChar *s, size_t q)
{
    return s[q - 1] == ' ' && s[q] != ' ' && nc_is_word_plain(s[q]);
}

/* A stretch for ICU also takes in the next character that is not plain
 * when less plain text than this lies between them: in Polish or Czech
 * nearly every word holds a letter outside Latin-1, and one call per word
 * would cost more than ICU over the whole text. */
#define STRETCH_JOIN 32

/* The text's word segments: where the segmenter allows, runs of plain text
 * go through plain_segments() and ICU sees only the stretches around other
 * characters, from the fixed boundary before one to the fixed boundary
 * after it (or after the last of several close together). */
static nc_status word_segments(word_state *ws)
{
    const UChar *s = ws->s;
    size_t n = ws->n;
    if (!ws->es.w->seg->plain_words)
        return icu_segments(ws, 0, n);
    nc_status r = NC_OK;
    for (size_t i = 0; i < n && r == NC_OK;) {
        size_t k = nc_find_not_word_plain(s, i, n);
        if (k == n)
            return plain_segments(ws, i, n);
        size_t a = k, q = k + 1;
        while (a > i && !fixed_boundary(s, a))
            a--;
        for (;;) {
            while (q < n && !fixed_boundary(s, q))
                q++;
            size_t near = n - q > STRETCH_JOIN ? q + STRETCH_JOIN : n;
            size_t next = q < n ? nc_find_not_word_plain(s, q, near) : near;
            if (next == near)
                break;
            q = next + 1;
        }
        if ((r = plain_segments(ws, i, a)) == NC_OK)
            r = icu_segments(ws, a, q);
        i = q;
    }
    return r;
}

nc_status nc_segment(nc_segworker *w, const nc_text *t)
{
    nc_status r = nc_segment_sentences(w, t);
    w->ntoks = 0;
    if (r || t->len16 == 0)
        return r;
    word_state ws = {.es = {w, 0, 0, 0, 0}, .s = t->u16, .n = t->len16, .dk = NC_TOK_PUNCT};
    r = word_segments(&ws);
    /* detach the iterator (once, however many stretches it saw) from a
     * buffer that may be reused or freed */
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(w->words, NULL, 0, &st);
    if (r == NC_OK && ws.have)
        r = emit(&ws.es, ws.ps, ws.pe, ws.pk);
    if (r == NC_OK && ws.have_dash)
        r = emit(&ws.es, ws.ds, ws.de, ws.dk);
    return r;
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
