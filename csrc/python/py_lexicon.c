/* _Lexicon: a compiled set of patterns (the C matcher) and its scan of a
 * _TokenStore. Immutable once built, so one object serves any number of
 * corpora and threads; scanning runs without the GIL.
 *
 * Pattern words are normalized at compile time by a Python callable (the
 * corpus tokenizer's), so the automaton depends on the tokenizer but not on
 * any corpus. It is not picklable: natocyber.Lexicon pickles its source
 * specification and compiles again. */
#include "python/py_glue.h"

#include "util/alloc.h"
#include "match/matcher.h"

/* Below this many tokens a scan is quicker than starting threads. */
#define THREADS_MIN_TOKENS 50000

typedef struct {
    PyObject_HEAD
    nc_lexicon *lx;
    Py_ssize_t npatterns;
} LexiconObject;

typedef struct {
    PyObject *fn;
    int failed; /* a Python exception is set */
} norm_ctx;

static nc_status call_normalize(void *p, const char *word, size_t len, int glob, nc_strlist *out)
{
    norm_ctx *c = p;
    PyObject *w = PyUnicode_DecodeUTF8(word, (Py_ssize_t)len, "strict");
    PyObject *res = w ? PyObject_CallFunction(c->fn, "Oi", w, glob) : NULL;
    Py_XDECREF(w);
    PyObject *seq = res ? PySequence_Fast(res, "normalize() must return a list of str") : NULL;
    Py_XDECREF(res);
    if (!seq) {
        c->failed = 1;
        return NC_EINTR;
    }
    nc_status r = NC_OK;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq) && !r; i++) {
        PyObject *f = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t fl;
        const char *s = PyUnicode_Check(f) ? PyUnicode_AsUTF8AndSize(f, &fl) : NULL;
        if (!s) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "normalize() must return a list of str");
            c->failed = 1;
            r = NC_EINTR;
        } else if (nc_strlist_add(out, s, (size_t)fl)) {
            r = NC_ENOMEM;
        }
    }
    Py_DECREF(seq);
    return r;
}

/* Code points in the first `pos` bytes of UTF-8 text. */
static Py_ssize_t cp_offset(const char *s, size_t pos)
{
    Py_ssize_t n = 0;
    for (size_t i = 0; i < pos; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static int read_u32s(PyObject *seq, Py_ssize_t n, uint32_t *out, const char *what)
{
    PyObject *f = PySequence_Fast(seq, what);
    if (!f)
        return -1;
    if (PySequence_Fast_GET_SIZE(f) != n) {
        Py_DECREF(f);
        PyErr_Format(PyExc_ValueError, "%s: expected %zd values", what, n);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long v = PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(f, i));
        if (v == (unsigned long)-1 && PyErr_Occurred()) {
            Py_DECREF(f);
            return -1;
        }
        if (v > UINT32_MAX) {
            Py_DECREF(f);
            PyErr_Format(PyExc_OverflowError, "%s: value %lu too large", what, v);
            return -1;
        }
        out[i] = (uint32_t)v;
    }
    Py_DECREF(f);
    return 0;
}

static PyObject *lexicon_new(PyTypeObject *tp, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"patterns", "categories", "roles", "normalize", "stem", NULL};
    PyObject *patterns, *categories, *roles, *normalize = Py_None;
    const char *stem = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOO|Oz:_Lexicon", kwlist, &patterns, &categories,
                                     &roles, &normalize, &stem))
        return NULL;
    if (normalize != Py_None && !PyCallable_Check(normalize))
        return PyErr_Format(PyExc_TypeError, "normalize must be callable or None");
    PyObject *pats = PySequence_Tuple(patterns);
    if (!pats)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(pats);
    PyObject *result = NULL;
    nc_pat_spec *specs = nc_calloc((size_t)(n ? n : 1), sizeof *specs);
    uint32_t *cats = nc_calloc((size_t)(n ? n : 1), sizeof *cats);
    uint32_t *rls = nc_calloc((size_t)(n ? n : 1), sizeof *rls);
    if (!specs || !cats || !rls) {
        PyErr_NoMemory();
        goto done;
    }
    if (read_u32s(categories, n, cats, "categories") < 0 || read_u32s(roles, n, rls, "roles") < 0)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *p = PyTuple_GET_ITEM(pats, i);
        if (!PyUnicode_Check(p)) {
            PyErr_Format(PyExc_TypeError, "pattern %zd is %.100s, not str", i, Py_TYPE(p)->tp_name);
            goto done;
        }
        Py_ssize_t len;
        const char *s = PyUnicode_AsUTF8AndSize(p, &len);
        if (!s)
            goto done;
        if (rls[i] > NC_ROLE_BREAK) {
            PyErr_Format(PyExc_ValueError, "role %u of pattern %zd is not a role", rls[i], i);
            goto done;
        }
        specs[i] = (nc_pat_spec){s, (size_t)len, cats[i], (uint8_t)rls[i]};
    }
    norm_ctx nc = {normalize, 0};
    nc_lexicon *lx;
    nc_lex_error err;
    nc_status r = nc_lexicon_compile(specs, (size_t)n, normalize == Py_None ? NULL : call_normalize,
                                     &nc, stem, &lx, &err);
    if (r) {
        if (nc.failed)
            goto done;
        if (r == NC_EINVAL && err.pattern < (size_t)n) {
            /* the Python layer turns this into a PatternError with a caret */
            Py_ssize_t pos = cp_offset(specs[err.pattern].src, err.pos);
            PyObject *e = Py_BuildValue("(snns)", "pattern", (Py_ssize_t)err.pattern, pos, err.msg);
            if (e) {
                PyErr_SetObject(PyExc_ValueError, e);
                Py_DECREF(e);
            }
        } else if (r == NC_EINVAL) {
            PyErr_Format(PyExc_ValueError, "%s", err.msg ? err.msg : "invalid lexicon");
        } else {
            nc_py_raise(r, U_ZERO_ERROR, "compiling patterns");
        }
        goto done;
    }
    LexiconObject *self = (LexiconObject *)tp->tp_alloc(tp, 0);
    if (!self) {
        nc_lexicon_free(lx);
        goto done;
    }
    self->lx = lx;
    self->npatterns = n;
    result = (PyObject *)self;
done:
    nc_free(specs);
    nc_free(cats);
    nc_free(rls);
    Py_DECREF(pats);
    return result;
}

static void lexicon_dealloc(PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    nc_lexicon_free(((LexiconObject *)op)->lx);
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* A count of tokens (a window or context size): an integer in 0 .. 2**32-1.
 * Out of range is a ValueError naming the argument, not a silent wrap. */
static int token_count(PyObject *v, const char *name, uint32_t *out)
{
    PyObject *i = PyNumber_Index(v);
    if (!i) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) /* not an integer at all */
            PyErr_Format(PyExc_TypeError, "%s must be an integer, not %.100s", name,
                         Py_TYPE(v)->tp_name);
        return -1;
    }
    int overflow;
    long long x = PyLong_AsLongLongAndOverflow(i, &overflow);
    Py_DECREF(i);
    if (x == -1 && PyErr_Occurred())
        return -1;
    if (overflow || x < 0 || (unsigned long long)x > UINT32_MAX) {
        PyObject *r = PyObject_Repr(v);
        if (r) {
            PyErr_Format(PyExc_ValueError, "%s must be between 0 and %lu tokens, not %U", name,
                         (unsigned long)UINT32_MAX, r);
            Py_DECREF(r);
        }
        return -1;
    }
    *out = (uint32_t)x;
    return 0;
}

static PyObject *lexicon_match(PyObject *op, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"store", "overlap", "ignore_punct", "negation_window",
                             "hypothetical_window", "context", "workers", "progress", NULL};
    LexiconObject *self = (LexiconObject *)op;
    PyObject *store, *progress = Py_None, *negw_o = NULL, *hypw_o = NULL, *context_o = NULL;
    int overlap = NC_OVERLAP_CATEGORY, ignore_punct = 0, workers = 1;
    uint32_t negw = 3, hypw = 6, context = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|ipOOOiO:match", kwlist, &store, &overlap,
                                     &ignore_punct, &negw_o, &hypw_o, &context_o, &workers,
                                     &progress))
        return NULL;
    if ((negw_o && token_count(negw_o, "negation_window", &negw) < 0) ||
        (hypw_o && token_count(hypw_o, "hypothetical_window", &hypw) < 0) ||
        (context_o && token_count(context_o, "context", &context) < 0))
        return NULL;
    nc_module_state *st = nc_state_from_type(Py_TYPE(op));
    if (!st)
        return NULL;
    if (!PyObject_TypeCheck(store, st->tokstore_type))
        return PyErr_Format(PyExc_TypeError, "store must be a _TokenStore, not %.100s",
                            Py_TYPE(store)->tp_name);
    if (overlap < NC_OVERLAP_CATEGORY || overlap > NC_OVERLAP_ALL)
        return PyErr_Format(PyExc_ValueError, "overlap must be 0, 1 or 2, not %d", overlap);
    if (progress != Py_None && !PyCallable_Check(progress))
        return PyErr_Format(PyExc_TypeError, "progress must be callable or None");
    const nc_tokstore *ts = nc_py_tokstore_of(store);
    atomic_size_t done;
    atomic_init(&done, 0);
    nc_py_poll pp = {NULL, progress == Py_None ? NULL : progress, &done, 0, 0};
    nc_match_opts o = {overlap, ignore_punct ? NC_MATCH_IGNORE_PUNCT : 0, negw, hypw, context,
                       workers, NULL, NULL, &done};
    /* A small store is scanned on the calling thread: starting threads would
     * cost more than the scan. A large one, or any with a progress callback,
     * runs on workers while this thread polls for Ctrl-C and progress. The
     * GIL is released either way. */
    if (ts->ntokens < THREADS_MIN_TOKENS)
        o.workers = 1;
    if (ts->ntokens >= THREADS_MIN_TOKENS || progress != Py_None) {
        o.poll = nc_py_poll_fn;
        o.poll_ctx = &pp;
    }
    nc_hits h;
    pp.save = PyEval_SaveThread();
    nc_status r = nc_match(self->lx, ts, &o, &h);
    PyEval_RestoreThread(pp.save);
    if (r)
        return nc_py_raise(pp.failed ? NC_EINTR : r, U_ZERO_ERROR, "matching patterns");
    Py_ssize_t n = (Py_ssize_t)h.n;
    PyObject *ctx_s = Py_None, *ctx_e = Py_None;
    if (context) {
        ctx_s = nc_buffer_new(st, h.ctx_start, n, "I", 4);
        ctx_e = nc_buffer_new(st, h.ctx_end, n, "I", 4);
    } else {
        Py_INCREF(ctx_s);
        Py_INCREF(ctx_e);
    }
    h.ctx_start = h.ctx_end = NULL;
    /* nc_buffer_new steals each array; Py_BuildValue's N steals each buffer,
     * and a NULL among them makes it fail and release the others */
    PyObject *res = Py_BuildValue(
        "(NNNNNNNNNN)", nc_buffer_new(st, h.doc, n, "I", 4), nc_buffer_new(st, h.pattern, n, "I", 4),
        nc_buffer_new(st, h.sentence, n, "I", 4), nc_buffer_new(st, h.tok_start, n, "I", 4),
        nc_buffer_new(st, h.tok_end, n, "I", 4), nc_buffer_new(st, h.start, n, "I", 4),
        nc_buffer_new(st, h.end, n, "I", 4), nc_buffer_new(st, h.flags, n, "B", 1), ctx_s, ctx_e);
    return res;
}

static PyObject *lexicon_info(PyObject *op, PyObject *unused)
{
    (void)unused;
    nc_lexicon_info i;
    nc_lexicon_get_info(((LexiconObject *)op)->lx, &i);
    return Py_BuildValue("{s:n,s:n,s:n,s:n,s:n,s:n}", "patterns", (Py_ssize_t)i.patterns,
                         "symbols", (Py_ssize_t)i.symbols, "terms", (Py_ssize_t)i.terms, "states",
                         (Py_ssize_t)i.states, "edges", (Py_ssize_t)i.edges, "paths",
                         (Py_ssize_t)i.paths);
}

static PyObject *lexicon_reduce(PyObject *op, PyObject *unused)
{
    (void)op, (void)unused;
    PyErr_SetString(PyExc_TypeError,
                    "a compiled _Lexicon cannot be pickled; pickle the natocyber.Lexicon, which "
                    "compiles again when loaded");
    return NULL;
}

static PyObject *lexicon_len(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromSsize_t(((LexiconObject *)op)->npatterns);
}

/* Parses one pattern without compiling it: None, or ValueError like the
 * constructor's ("pattern", 0, position, message). */
PyObject *nc_py_check_pattern(PyObject *m, PyObject *arg)
{
    (void)m;
    if (!PyUnicode_Check(arg))
        return PyErr_Format(PyExc_TypeError, "pattern must be str, not %.100s",
                            Py_TYPE(arg)->tp_name);
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &len);
    if (!s)
        return NULL;
    nc_pattern p;
    nc_pat_error err;
    nc_status r = nc_pattern_parse(s, (size_t)len, &p, &err);
    if (r == NC_EINVAL) {
        PyObject *e = Py_BuildValue("(snns)", "pattern", (Py_ssize_t)0, cp_offset(s, err.pos),
                                    err.msg);
        if (e) {
            PyErr_SetObject(PyExc_ValueError, e);
            Py_DECREF(e);
        }
        return NULL;
    }
    if (r)
        return nc_py_raise(r, U_ZERO_ERROR, "parsing a pattern");
    nc_pattern_free(&p);
    Py_RETURN_NONE;
}

/* substrings(texts, docs, starts, ends) -> list of texts[docs[i]][starts[i]:ends[i]];
 * the index arrays are contiguous int64 buffers. One C loop instead of a Python
 * comprehension: hit tables hold hundreds of thousands of rows. */
PyObject *nc_py_substrings(PyObject *m, PyObject *args)
{
    (void)m;
    PyObject *texts, *arrs[3];
    if (!PyArg_ParseTuple(args, "O!OOO:substrings", &PyList_Type, &texts, &arrs[0], &arrs[1],
                          &arrs[2]))
        return NULL;
    Py_buffer v[3];
    int got = 0;
    PyObject *out = NULL;
    for (; got < 3; got++) {
        if (PyObject_GetBuffer(arrs[got], &v[got], PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
            goto done;
        if (v[got].itemsize != 8 || !v[got].format || strchr("qlQL", v[got].format[0]) == NULL ||
            v[got].len != v[0].len) {
            PyErr_SetString(PyExc_TypeError, "substrings() needs int64 arrays of equal length");
            got++;
            goto done;
        }
    }
    Py_ssize_t n = v[0].len / 8, ntexts = PyList_GET_SIZE(texts);
    const int64_t *d = v[0].buf, *a = v[1].buf, *b = v[2].buf;
    out = PyList_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        if (d[i] < 0 || d[i] >= ntexts) {
            PyErr_Format(PyExc_IndexError, "document %lld out of range", (long long)d[i]);
            Py_CLEAR(out);
            break;
        }
        PyObject *t = PyList_GET_ITEM(texts, d[i]);
        if (!PyUnicode_Check(t) || a[i] < 0 || a[i] > b[i] || b[i] > PyUnicode_GET_LENGTH(t)) {
            PyErr_Format(PyExc_ValueError, "bad span [%lld, %lld) in document %lld",
                         (long long)a[i], (long long)b[i], (long long)d[i]);
            Py_CLEAR(out);
            break;
        }
        PyObject *sub = PyUnicode_Substring(t, (Py_ssize_t)a[i], (Py_ssize_t)b[i]);
        if (!sub) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, i, sub);
    }
done:
    for (int k = 0; k < got; k++)
        PyBuffer_Release(&v[k]);
    return out;
}

static PyMethodDef lexicon_methods[] = {
    {"match", (PyCFunction)(void (*)(void))lexicon_match, METH_VARARGS | METH_KEYWORDS,
     "match(store, overlap=0, ignore_punct=False, negation_window=3, hypothetical_window=6, "
     "context=0, workers=1, progress=None) -> (doc, pattern, sentence, tok_start, tok_end, "
     "start, end, flags, ctx_start, ctx_end)\n\n"
     "negation_window, hypothetical_window and context are token counts, 0 to 2**32-1 "
     "(ValueError otherwise). workers: threads, at most one per document and 64; one below "
     "50,000 tokens. progress: callable(documents_done) or None; the total is the number of "
     "documents."},
    {"info", lexicon_info, METH_NOARGS, "Sizes of the automaton."},
    {"__reduce__", lexicon_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef lexicon_getset[] = {
    {"npatterns", lexicon_len, NULL, "number of patterns", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot lexicon_slots[] = {
    {Py_tp_new, lexicon_new},
    {Py_tp_dealloc, lexicon_dealloc},
    {Py_tp_methods, lexicon_methods},
    {Py_tp_getset, lexicon_getset},
    {Py_tp_doc, "Patterns compiled into one automaton; use natocyber.Lexicon."},
    {0, NULL},
};

PyType_Spec nc_lexicon_spec = {
    .name = "natocyber._core._Lexicon",
    .basicsize = sizeof(LexiconObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = lexicon_slots,
};
