/* _Tokenizer: a configured segmenter plus a pool of per-thread workers.
 * The pool is only touched with the GIL held, so several Python threads can
 * tokenize with one object; the segmentation itself runs without the GIL
 * for texts long enough to be worth it. */
#include "python/py_glue.h"

#include "util/alloc.h"
#include "tokens/vocab.h"

/* Below this many code points releasing the GIL costs more than it frees. */
#define GIL_RELEASE_MIN 2048

/* A str made for an ASCII form, kept for the next tokens with that form:
 * most tokens repeat one seen before, and sharing the (immutable) str saves
 * making millions of new ones. */
typedef struct {
    uint64_t hash;
    PyObject *str;      /* NULL: empty slot */
} str_slot;

#define STR_CACHE_SLOTS ((size_t)1 << 15)

typedef struct {
    nc_segworker w;
    nc_text t;
    char *arena;        /* normalized forms back to back, for tokenize() */
    size_t alen, acap;
    uint32_t *noff;     /* per token: offset of its form in arena */
    size_t noff_cap;
    str_slot *strs;     /* STR_CACHE_SLOTS slots, touched only with the GIL held */
    size_t nstrs;
} pyworker;

typedef struct {
    PyObject_HEAD
    nc_segmenter *seg;
    pyworker **idle;
    size_t nidle, idle_cap;
} TokenizerObject;

const nc_segmenter *nc_py_tokenizer_segmenter(PyObject *tok) { return ((TokenizerObject *)tok)->seg; }

static void str_cache_clear(pyworker *pw)
{
    for (size_t i = 0; pw->strs && i < STR_CACHE_SLOTS; i++)
        Py_CLEAR(pw->strs[i].str);
    pw->nstrs = 0;
}

/* Called with the GIL held (the cache holds references). */
static void worker_free(pyworker *pw)
{
    str_cache_clear(pw);
    nc_free(pw->strs);
    nc_segworker_free(&pw->w);
    nc_text_free(&pw->t);
    nc_free(pw->arena);
    nc_free(pw->noff);
    nc_free(pw);
}

static pyworker *take_worker(TokenizerObject *self)
{
    if (self->nidle)
        return self->idle[--self->nidle];
    pyworker *pw = nc_calloc(1, sizeof *pw);
    if (!pw) {
        PyErr_NoMemory();
        return NULL;
    }
    nc_status r = nc_segworker_init(&pw->w, self->seg);
    if (r) {
        UErrorCode icu = pw->w.icu_status;
        nc_free(pw);
        nc_py_raise(r, icu, "starting a tokenizer worker");
        return NULL;
    }
    return pw;
}

/* Buffers a pooled worker may keep; one that grew past this on a huge text is
 * freed instead, so a long-lived tokenizer does not hold its largest text's
 * copies forever. */
#define POOLED_BYTES_MAX ((size_t)8 << 20)

static size_t worker_bytes(const pyworker *pw)
{
    return pw->t.owned_cap * sizeof(UChar) + pw->t.astral_cap * sizeof(uint32_t) + pw->acap +
           pw->noff_cap * sizeof(uint32_t) + pw->w.toks_cap * sizeof(nc_rawtok) +
           pw->w.sents_cap * sizeof(nc_span) + pw->w.bounds_cap * sizeof(uint32_t) +
           pw->w.sbuf_cap * sizeof(UChar) + pw->w.norm.u16cap * sizeof(UChar) + pw->w.norm.outcap;
}

static void give_worker(TokenizerObject *self, pyworker *pw)
{
    if (worker_bytes(pw) > POOLED_BYTES_MAX ||
        nc_grow((void **)&self->idle, &self->idle_cap, self->nidle + 1, sizeof *self->idle))
        worker_free(pw);
    else
        self->idle[self->nidle++] = pw;
}

static PyObject *tokenizer_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"locale", "keep_case", "keep_punct", "keep_symbols", "drop_numbers",
                             "hyphens", "stem", "paragraph_lines", "default_abbreviations",
                             "abbreviations", NULL};
    const char *locale = "", *stem = NULL;
    int keep_case = 0, keep_punct = 0, keep_symbols = 0, drop_numbers = 0, hyphens = 0;
    int paragraph_lines = 0, default_abbr = 1;
    PyObject *abbr = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|$sppppizppO!:_Tokenizer", kwlist, &locale,
                                     &keep_case, &keep_punct, &keep_symbols, &drop_numbers,
                                     &hyphens, &stem, &paragraph_lines, &default_abbr,
                                     &PyDict_Type, &abbr))
        return NULL;
    if (hyphens != NC_HYPHEN_KEEP && hyphens != NC_HYPHEN_SPLIT) {
        PyErr_Format(PyExc_ValueError, "hyphens must be 0 (keep) or 1 (split), not %d", hyphens);
        return NULL;
    }
    nc_seg_options o = {locale, keep_case, keep_punct, keep_symbols, drop_numbers,
                        (nc_hyphen_mode)hyphens, stem, paragraph_lines, default_abbr};
    nc_segmenter *seg;
    UErrorCode icu;
    nc_status r = nc_segmenter_new(&o, &seg, &icu);
    if (r == NC_EINVAL) {
        int stem_known = !stem;
        for (const char **l = nc_stem_languages(); stem && *l; l++)
            stem_known |= strcmp(*l, stem) == 0;
        if (!stem_known)
            return PyErr_Format(PyExc_ValueError, "unknown stemming language '%s'", stem);
        return PyErr_Format(PyExc_ValueError,
                            "unknown or malformed locale '%s' (expected an ICU locale id or "
                            "BCP 47 tag with a known ISO 639 language, such as 'en' or 'en-GB')",
                            locale);
    }
    if (r)
        return nc_py_raise(r, icu, "creating the tokenizer");
    if (abbr) {
        PyObject *key, *val;
        Py_ssize_t pos = 0;
        while (PyDict_Next(abbr, &pos, &key, &val)) {
            long cls = PyLong_AsLong(val);
            if (!PyUnicode_Check(key) || (cls == -1 && PyErr_Occurred())) {
                PyErr_SetString(PyExc_TypeError, "abbreviations must map str to int classes");
                nc_segmenter_free(seg);
                return NULL;
            }
            Py_ssize_t n;
            Py_UCS4 *u4 = PyUnicode_AsUCS4Copy(key);
            if (!u4) {
                nc_segmenter_free(seg);
                return NULL;
            }
            n = PyUnicode_GET_LENGTH(key);
            nc_text t;
            nc_text_init(&t);
            r = nc_text_set(&t, 4, u4, (size_t)n);
            if (!r)
                r = nc_segmenter_add_abbreviation(seg, t.u16, t.len16, (nc_abbr_class)cls);
            nc_text_free(&t);
            PyMem_Free(u4);
            if (r) {
                nc_segmenter_free(seg);
                if (r == NC_EINVAL)
                    return PyErr_Format(PyExc_ValueError,
                                        "abbreviation %R must end with '.', be at most 64 "
                                        "characters and have a known class",
                                        key);
                return nc_py_raise(r, U_ZERO_ERROR, "adding an abbreviation");
            }
        }
    }
    TokenizerObject *self = (TokenizerObject *)type->tp_alloc(type, 0);
    if (!self) {
        nc_segmenter_free(seg);
        return NULL;
    }
    self->seg = seg;
    return (PyObject *)self;
}

static void tokenizer_dealloc(PyObject *op)
{
    TokenizerObject *self = (TokenizerObject *)op;
    PyTypeObject *tp = Py_TYPE(op);
    for (size_t i = 0; i < self->nidle; i++)
        worker_free(self->idle[i]);
    nc_free(self->idle);
    nc_segmenter_free(self->seg);
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* Segments (and, if want_forms, normalizes into the arena) one text. */
static nc_status run_text(pyworker *pw, const nc_docsrc *src, int want_forms)
{
    nc_status r = nc_text_set(&pw->t, src->kind, src->data, src->len);
    if (r)
        return r;
    if (pw->t.len16 > INT32_MAX)
        return NC_ERANGE;
    if ((r = nc_segment(&pw->w, &pw->t)) || !want_forms)
        return r;
    pw->alen = 0;
    if (nc_grow((void **)&pw->noff, &pw->noff_cap, pw->w.ntoks + 1, sizeof *pw->noff))
        return NC_ENOMEM;
    for (size_t i = 0; i < pw->w.ntoks; i++) {
        const char *s;
        size_t len;
        if ((r = nc_segworker_norm(&pw->w, &pw->t, &pw->w.toks[i], &s, &len)))
            return r;
        if (pw->alen + len > UINT32_MAX)
            return NC_ERANGE;
        if (nc_grow((void **)&pw->arena, &pw->acap, pw->alen + len + 1, 1))
            return NC_ENOMEM;
        pw->noff[i] = (uint32_t)pw->alen;
        memcpy(pw->arena + pw->alen, s, len);
        pw->alen += len;
    }
    pw->noff[pw->w.ntoks] = (uint32_t)pw->alen;
    return NC_OK;
}

static pyworker *run(TokenizerObject *self, PyObject *text, int want_forms)
{
    nc_docsrc src;
    if (nc_py_text(text, &src, "text", -1) < 0)
        return NULL;
    pyworker *pw = take_worker(self);
    if (!pw)
        return NULL;
    nc_status r;
    if (src.len >= GIL_RELEASE_MIN) {
        Py_BEGIN_ALLOW_THREADS
        r = run_text(pw, &src, want_forms);
        Py_END_ALLOW_THREADS
    } else {
        r = run_text(pw, &src, want_forms);
    }
    if (r) {
        UErrorCode icu = pw->w.icu_status;
        give_worker(self, pw);
        nc_py_raise(r, icu, "tokenizing");
        return NULL;
    }
    return pw;
}

static PyObject *ascii_str(const char *s, size_t n)
{
    PyObject *u = PyUnicode_New((Py_ssize_t)n, 127);
    if (u)
        memcpy(PyUnicode_DATA(u), s, n);
    return u;
}

/* A new reference to the str of token i's form. */
static PyObject *form_str(pyworker *pw, size_t i)
{
    const char *s = pw->arena + pw->noff[i];
    size_t n = pw->noff[i + 1] - pw->noff[i];
    size_t k = 0;
    while (k < n && (unsigned char)s[k] < 0x80)
        k++;
    if (k < n)
        return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "strict");
    if (!pw->strs && !(pw->strs = nc_calloc(STR_CACHE_SLOTS, sizeof *pw->strs)))
        return ascii_str(s, n); /* no cache: still correct, only slower */
    uint64_t h = nc_hash_bytes(s, n);
    size_t mask = STR_CACHE_SLOTS - 1;
    for (size_t j = (size_t)h & mask;; j = (j + 1) & mask) {
        str_slot *e = &pw->strs[j];
        if (!e->str) {
            PyObject *u = ascii_str(s, n);
            if (!u)
                return NULL;
            /* a full cache starts over rather than growing without bound */
            if (2 * (pw->nstrs + 1) > STR_CACHE_SLOTS) {
                str_cache_clear(pw);
                return u;
            }
            e->hash = h;
            e->str = Py_NewRef(u);
            pw->nstrs++;
            return u;
        }
        if (e->hash == h && (size_t)PyUnicode_GET_LENGTH(e->str) == n &&
            memcmp(PyUnicode_DATA(e->str), s, n) == 0)
            return Py_NewRef(e->str);
    }
}

static PyObject *tokenizer_tokenize(PyObject *op, PyObject *text)
{
    TokenizerObject *self = (TokenizerObject *)op;
    pyworker *pw = run(self, text, 1);
    if (!pw)
        return NULL;
    PyObject *list = PyList_New((Py_ssize_t)pw->w.ntoks);
    for (size_t i = 0; list && i < pw->w.ntoks; i++) {
        PyObject *u = form_str(pw, i);
        if (!u) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, u);
    }
    give_worker(self, pw);
    return list;
}

static const char *const KIND_NAMES[] = {"word", "number", "punct", "symbol"};

static PyObject *tokenizer_tokens(PyObject *op, PyObject *text)
{
    TokenizerObject *self = (TokenizerObject *)op;
    pyworker *pw = run(self, text, 1);
    if (!pw)
        return NULL;
    PyObject *list = PyList_New((Py_ssize_t)pw->w.ntoks);
    size_t cursor = 0;
    for (size_t i = 0; list && i < pw->w.ntoks; i++) {
        const nc_rawtok *tk = &pw->w.toks[i];
        size_t a = nc_text_cp_offset_seq(&pw->t, tk->start, &cursor);
        size_t e = nc_text_cp_offset_seq(&pw->t, tk->end, &cursor);
        PyObject *form = form_str(pw, i);
        PyObject *item = form ? Py_BuildValue("(Nnnsn)", form, (Py_ssize_t)a, (Py_ssize_t)e,
                                              KIND_NAMES[tk->kind], (Py_ssize_t)tk->sentence)
                              : NULL;
        if (!item) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    give_worker(self, pw);
    return list;
}

static PyObject *tokenizer_sentence_spans(PyObject *op, PyObject *text)
{
    TokenizerObject *self = (TokenizerObject *)op;
    nc_docsrc src;
    if (nc_py_text(text, &src, "text", -1) < 0)
        return NULL;
    pyworker *pw = take_worker(self);
    if (!pw)
        return NULL;
    nc_status r = nc_text_set(&pw->t, src.kind, src.data, src.len);
    if (!r) {
        Py_BEGIN_ALLOW_THREADS
        r = nc_segment_sentences(&pw->w, &pw->t);
        Py_END_ALLOW_THREADS
    }
    if (r) {
        UErrorCode icu = pw->w.icu_status;
        give_worker(self, pw);
        return nc_py_raise(r, icu, "splitting sentences");
    }
    PyObject *list = PyList_New((Py_ssize_t)pw->w.nsents);
    size_t cursor = 0;
    for (size_t i = 0; list && i < pw->w.nsents; i++) {
        size_t a = nc_text_cp_offset_seq(&pw->t, pw->w.sents_out[i].start, &cursor);
        size_t e = nc_text_cp_offset_seq(&pw->t, pw->w.sents_out[i].end, &cursor);
        PyObject *item = Py_BuildValue("(nn)", (Py_ssize_t)a, (Py_ssize_t)e);
        if (!item) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    give_worker(self, pw);
    return list;
}

static PyObject *tokenizer_abbreviations(PyObject *op, PyObject *unused)
{
    (void)unused;
    TokenizerObject *self = (TokenizerObject *)op;
    PyObject *d = PyDict_New();
    const UChar *s;
    size_t len;
    nc_abbr_class cls;
    for (size_t i = 0; d && nc_segmenter_abbreviation(self->seg, i, &s, &len, &cls); i++) {
        PyObject *k = PyUnicode_DecodeUTF16((const char *)s, (Py_ssize_t)(len * 2), "strict", NULL);
        PyObject *v = PyLong_FromLong(cls);
        if (!k || !v || PyDict_SetItem(d, k, v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(k);
        Py_XDECREF(v);
    }
    return d;
}

static PyObject *tokenizer_build(PyObject *op, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"texts", "workers", "progress", NULL};
    PyObject *texts, *progress = Py_None;
    int workers = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|iO:build", kwlist, &texts, &workers, &progress))
        return NULL;
    nc_module_state *st = nc_state_from_type(Py_TYPE(op));
    if (!st)
        return NULL;
    return nc_py_tokstore_build(st, op, texts, workers, progress == Py_None ? NULL : progress);
}

static PyMethodDef tokenizer_methods[] = {
    {"tokenize", tokenizer_tokenize, METH_O, "Normalized forms of the kept tokens of a str."},
    {"tokens", tokenizer_tokens, METH_O,
     "(form, start, end, kind, sentence) for each kept token; offsets in code points."},
    {"sentence_spans", tokenizer_sentence_spans, METH_O,
     "(start, end) code-point spans of the sentences, trimmed of white space."},
    {"abbreviations", tokenizer_abbreviations, METH_NOARGS,
     "The abbreviation table: {abbreviation: class}."},
    {"build", (PyCFunction)(void (*)(void))tokenizer_build, METH_VARARGS | METH_KEYWORDS,
     "build(texts, workers=1, progress=None) -> _TokenStore"},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot tokenizer_slots[] = {
    {Py_tp_new, tokenizer_new},
    {Py_tp_dealloc, tokenizer_dealloc},
    {Py_tp_methods, tokenizer_methods},
    {Py_tp_doc, "Low-level ICU tokenizer; use natocyber.Tokenizer."},
    {0, NULL},
};

PyType_Spec nc_tokenizer_spec = {
    .name = "natocyber._core._Tokenizer",
    .basicsize = sizeof(TokenizerObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = tokenizer_slots,
};
