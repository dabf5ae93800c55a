/* _TokenStore: a tokenized corpus (the C token store) and the counting
 * methods over it. Immutable once built, so any number of threads may
 * count over it at once; counting runs without the GIL. */
#include "python/py_glue.h"

#include "util/alloc.h"
#include "count/dtm.h"
#include "count/ngram.h"
#include "count/ngram_text.h"

typedef struct {
    PyObject_HEAD
    nc_tokstore ts;
} TokStoreObject;

PyObject *nc_py_tokstore_build(nc_module_state *st, PyObject *tokenizer, PyObject *texts,
                               int workers, PyObject *progress)
{
    /* a tuple keeps every str alive (and unchanged) while the GIL is off */
    PyObject *tup = PySequence_Tuple(texts);
    if (!tup)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(tup);
    nc_docsrc *docs = nc_calloc((size_t)(n ? n : 1), sizeof *docs);
    if (!docs) {
        Py_DECREF(tup);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (nc_py_text(PyTuple_GET_ITEM(tup, i), &docs[i], "document", i) < 0) {
            nc_free(docs);
            Py_DECREF(tup);
            return NULL;
        }
    TokStoreObject *self = PyObject_New(TokStoreObject, st->tokstore_type);
    if (!self) {
        nc_free(docs);
        Py_DECREF(tup);
        return NULL;
    }
    nc_tokstore_init(&self->ts);
    atomic_size_t done;
    atomic_init(&done, 0);
    nc_py_poll pp = {NULL, progress, &done, 0, 0};
    nc_build_opts bo = {workers, nc_py_poll_fn, &pp, &done};
    nc_build_error err;
    pp.save = PyEval_SaveThread();
    nc_status r = nc_tokstore_build(&self->ts, nc_py_tokenizer_segmenter(tokenizer), docs,
                                    (size_t)n, &bo, &err);
    PyEval_RestoreThread(pp.save);
    nc_free(docs);
    Py_DECREF(tup);
    if (r) {
        Py_DECREF(self);
        if (r == NC_EINTR || pp.failed)
            return nc_py_raise(NC_EINTR, U_ZERO_ERROR, NULL);
        char where[64];
        snprintf(where, sizeof where, "document %zu", err.doc);
        return nc_py_raise(r, err.icu, where);
    }
    return (PyObject *)self;
}

const nc_tokstore *nc_py_tokstore_of(PyObject *store) { return &((TokStoreObject *)store)->ts; }

static void tokstore_dealloc(PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    nc_tokstore_free(&((TokStoreObject *)op)->ts);
    PyObject_Free(op);
    Py_DECREF(tp);
}

static nc_module_state *state_of(PyObject *op) { return nc_state_from_type(Py_TYPE(op)); }

static PyObject *u32_buffer(PyObject *op, size_t n, uint32_t (*get)(const nc_tokstore *, size_t))
{
    const nc_tokstore *ts = &((TokStoreObject *)op)->ts;
    nc_module_state *st = state_of(op);
    if (!st)
        return NULL;
    uint32_t *a = nc_malloc((n ? n : 1) * sizeof *a);
    if (!a)
        return PyErr_NoMemory();
    for (size_t i = 0; i < n; i++)
        a[i] = get(ts, i);
    return nc_buffer_new(st, a, (Py_ssize_t)n, "I", sizeof *a);
}

static uint32_t get_ntok(const nc_tokstore *ts, size_t d) { return ts->docs[d].ntok; }
static uint32_t get_nsent(const nc_tokstore *ts, size_t d) { return ts->docs[d].nsent; }

static PyObject *tokstore_doc_ntokens(PyObject *op, PyObject *unused)
{
    (void)unused;
    return u32_buffer(op, ((TokStoreObject *)op)->ts.ndocs, get_ntok);
}

static PyObject *tokstore_doc_nsentences(PyObject *op, PyObject *unused)
{
    (void)unused;
    return u32_buffer(op, ((TokStoreObject *)op)->ts.ndocs, get_nsent);
}

static PyObject *vocab_str(const nc_vocab *v, uint32_t id)
{
    size_t len;
    const char *s = nc_vocab_str(v, id, &len);
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "strict");
}

static PyObject *tokstore_vocab(PyObject *op, PyObject *unused)
{
    (void)unused;
    const nc_vocab *v = &((TokStoreObject *)op)->ts.vocab;
    PyObject *l = PyList_New((Py_ssize_t)v->n);
    for (size_t i = 0; l && i < v->n; i++) {
        PyObject *u = vocab_str(v, (uint32_t)i);
        if (!u) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, u);
    }
    return l;
}

static PyObject *tokstore_lookup(PyObject *op, PyObject *forms)
{
    const nc_vocab *v = &((TokStoreObject *)op)->ts.vocab;
    PyObject *seq = PySequence_Fast(forms, "lookup() needs a sequence of str");
    if (!seq)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        PyObject *f = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t len;
        const char *s = PyUnicode_Check(f) ? PyUnicode_AsUTF8AndSize(f, &len) : NULL;
        if (!s) {
            if (!PyErr_Occurred() || PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
                /* a form with a lone surrogate was never interned (forms are valid UTF-8) */
                PyErr_Clear();
                if (!PyUnicode_Check(f)) {
                    PyErr_Format(PyExc_TypeError, "form %zd is %.100s, not str", i,
                                 Py_TYPE(f)->tp_name);
                    Py_CLEAR(out);
                    break;
                }
                PyList_SET_ITEM(out, i, PyLong_FromLong(-1));
                continue;
            }
            Py_CLEAR(out);
            break;
        }
        PyObject *id = PyLong_FromLongLong(nc_vocab_find(v, s, (size_t)len));
        if (!id) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, i, id);
    }
    Py_DECREF(seq);
    return out;
}

/* Reads a contiguous buffer of `itemsize`-byte items with `count` items. */
static int get_array(PyObject *o, Py_buffer *view, Py_ssize_t itemsize, Py_ssize_t count,
                     const char *what)
{
    if (PyObject_GetBuffer(o, view, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (view->len != itemsize * count) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd items of %zd bytes, got %zd bytes", what,
                     count, itemsize, view->len);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* The number of tokens of each of the n n-grams (a uint8 each), or NULL. */
static uint8_t *ngram_lengths(const uint64_t *key_off, size_t n)
{
    uint8_t *ns = nc_malloc(n ? n : 1);
    for (size_t u = 0; ns && u < n; u++)
        ns[u] = (uint8_t)(key_off[u + 1] - key_off[u]);
    return ns;
}

/* The text (see ngram_text.h) and length of each of the n n-grams
 * keys[key_off[u] .. key_off[u + 1]) as three buffers: bytes, int64 offsets,
 * uint8 lengths. Joins with the GIL released. 0, or -1 with an exception. */
static int ngram_text_buffers(nc_module_state *st, const nc_vocab *v, const uint32_t *keys,
                              const uint64_t *key_off, size_t n, PyObject *out[3])
{
    nc_strings text;
    uint8_t *ns = ngram_lengths(key_off, n);
    nc_status r = NC_ENOMEM;
    Py_BEGIN_ALLOW_THREADS
    if (ns)
        r = nc_ngram_join(v, keys, key_off, NULL, n, 1, &text);
    Py_END_ALLOW_THREADS
    if (r) {
        nc_free(ns);
        nc_py_raise(r, U_ZERO_ERROR, "writing n-gram text");
        return -1;
    }
    out[0] = nc_buffer_new(st, text.data, (Py_ssize_t)text.off[text.n], "B", 1);
    out[1] = nc_buffer_new(st, text.off, (Py_ssize_t)text.n + 1, "q", 8);
    out[2] = nc_buffer_new(st, ns, (Py_ssize_t)n, "B", 1);
    if (out[0] && out[1] && out[2])
        return 0;
    for (int i = 0; i < 3; i++)
        Py_CLEAR(out[i]);
    return -1;
}

/* Sets d[name] to a buffer owning data (freed on failure); 0 or -1. */
static int put_buffer(nc_module_state *st, PyObject *d, const char *name, void *data,
                      size_t n, const char *format, Py_ssize_t itemsize, int writable)
{
    PyObject *b = writable ? nc_buffer_new_writable(st, data, (Py_ssize_t)n, format, itemsize)
                           : nc_buffer_new(st, data, (Py_ssize_t)n, format, itemsize);
    if (!b)
        return -1;
    int rc = PyDict_SetItemString(d, name, b);
    Py_DECREF(b);
    return rc;
}

/* The columns of the result as a dict of buffers, each handed over without a
 * copy. The row columns go into the user's DataFrame as they are (theirs to
 * change), so they are writable; the rest is read-only. */
static PyObject *ngram_result(nc_module_state *st, const nc_vocab *v, nc_ngram_table *t,
                              int unique_text, int row_text, int workers)
{
    nc_strings text = {0}, rows = {0};
    uint8_t *ns = ngram_lengths(t->key_off, t->nuniq);
    nc_status r = NC_ENOMEM;
    Py_BEGIN_ALLOW_THREADS
    if (ns) {
        r = NC_OK;
        if (unique_text)
            r = nc_ngram_join(v, t->keys, t->key_off, NULL, t->nuniq, workers, &text);
        if (r == NC_OK && row_text)
            r = nc_ngram_join(v, t->keys, t->key_off, t->row_ngram, t->nrows, workers, &rows);
    }
    Py_END_ALLOW_THREADS
    PyObject *d = r ? NULL : PyDict_New();
    if (!d) {
        nc_free(ns);
        nc_strings_free(&text);
        nc_strings_free(&rows);
        nc_ngram_table_free(t);
        return r ? nc_py_raise(r, U_ZERO_ERROR, "writing n-gram text") : NULL;
    }
    size_t nr = t->nrows;
    /* each put takes its array even when it fails, so everything is taken once */
    int bad = 0;
    if (unique_text) {
        bad |= put_buffer(st, d, "text", text.data, (size_t)text.off[text.n], "B", 1, 0);
        bad |= put_buffer(st, d, "text_off", text.off, text.n + 1, "q", 8, 0);
    }
    bad |= put_buffer(st, d, "ns", ns, t->nuniq, "B", 1, 0);
    bad |= put_buffer(st, d, "keys", t->keys, t->key_off[t->nuniq], "I", 4, 0);
    bad |= put_buffer(st, d, "key_off", t->key_off, t->nuniq + 1, "Q", 8, 0);
    bad |= put_buffer(st, d, "row_ngram", t->row_ngram, nr, "I", 4, 0);
    bad |= put_buffer(st, d, "row_group", t->row_group, nr, "I", 4, 0);
    bad |= put_buffer(st, d, "count", t->row_count, nr, "q", 8, 1);
    bad |= put_buffer(st, d, "docfreq", t->row_docfreq, nr, "q", 8, 1);
    bad |= put_buffer(st, d, "n", t->row_n, nr, "q", 8, 1);
    if (t->row_rate)
        bad |= put_buffer(st, d, "per_10k", t->row_rate, nr, "d", 8, 1);
    if (t->row_key)
        bad |= put_buffer(st, d, "row_key", t->row_key, nr, "q", 8, 1);
    if (row_text) {
        bad |= put_buffer(st, d, "row_text", rows.data, (size_t)rows.off[rows.n], "B", 1, 0);
        bad |= put_buffer(st, d, "row_text_off", rows.off, rows.n + 1, "q", 8, 0);
    }
    memset(t, 0, sizeof *t);
    if (bad)
        Py_CLEAR(d);
    return d;
}

static PyObject *tokstore_ngrams(PyObject *op, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"groups", "ngroups", "nmin", "nmax", "stop", "min_count", "top",
                             "workers", "progress", "tokens", "unique_text", "row_text",
                             "group_key", NULL};
    TokStoreObject *self = (TokStoreObject *)op;
    PyObject *groups, *stop = Py_None, *progress = Py_None, *tokens = Py_None, *key = Py_None;
    unsigned int ngroups;
    int nmin, nmax, workers = 1, unique_text = 1, row_text = 0;
    unsigned long long min_count = 1, top = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OIii|OKKiOOppO:ngrams", kwlist, &groups, &ngroups,
                                     &nmin, &nmax, &stop, &min_count, &top, &workers, &progress,
                                     &tokens, &unique_text, &row_text, &key))
        return NULL;
    if (nmin < 1 || nmax > NC_NGRAM_MAX || nmin > nmax)
        return PyErr_Format(PyExc_ValueError, "n-gram orders must satisfy 1 <= nmin <= nmax <= %d",
                            NC_NGRAM_MAX);
    nc_module_state *st = state_of(op);
    if (!st)
        return NULL;
    /* a buffer never filled has no obj, and releasing it does nothing */
    Py_buffer gv = {0}, sv = {0}, tv = {0}, kv = {0};
    nc_status r = NC_OK;
    int py_error = 0;
    nc_ngram_table t;
    nc_py_poll pp = {0};
    if (get_array(groups, &gv, 4, (Py_ssize_t)self->ts.ndocs, "groups") < 0 ||
        (stop != Py_None && PyObject_GetBuffer(stop, &sv, PyBUF_C_CONTIGUOUS) < 0) ||
        (tokens != Py_None && get_array(tokens, &tv, 8, (Py_ssize_t)ngroups, "tokens") < 0) ||
        (key != Py_None && get_array(key, &kv, 8, (Py_ssize_t)ngroups, "group_key") < 0)) {
        py_error = 1;
        goto release;
    }
    atomic_size_t done;
    atomic_init(&done, 0);
    pp = (nc_py_poll){NULL, progress == Py_None ? NULL : progress, &done, 0, 0};
    nc_ngram_opts o = {nmin, nmax, gv.buf, ngroups, sv.buf, sv.buf ? (size_t)sv.len : 0,
                       min_count, top, workers, nc_py_poll_fn, &pp, &done, NC_NG_AUTO,
                       tv.buf, kv.buf};
    pp.save = PyEval_SaveThread();
    r = nc_count_ngrams(&self->ts, &o, &t);
    PyEval_RestoreThread(pp.save);
release:
    PyBuffer_Release(&gv);
    PyBuffer_Release(&sv);
    PyBuffer_Release(&tv);
    PyBuffer_Release(&kv);
    if (py_error)
        return NULL;
    if (r) {
        if (r == NC_EINVAL)
            return PyErr_Format(PyExc_ValueError, "a group code is not below ngroups=%u", ngroups);
        return nc_py_raise(pp.failed ? NC_EINTR : r, U_ZERO_ERROR, "counting n-grams");
    }
    return ngram_result(st, &self->ts.vocab, &t, unique_text, row_text, workers);
}

static PyObject *tokstore_phrases(PyObject *op, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"phrases", "groups", "ngroups", "workers", "progress", NULL};
    TokStoreObject *self = (TokStoreObject *)op;
    PyObject *phrases, *groups, *progress = Py_None;
    unsigned int ngroups;
    int workers = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOI|iO:phrases", kwlist, &phrases, &groups,
                                     &ngroups, &workers, &progress))
        return NULL;
    nc_module_state *st = state_of(op);
    if (!st)
        return NULL;
    /* a tuple: converting items may run Python code, which must not resize what we walk */
    PyObject *seq = PySequence_Tuple(phrases);
    if (!seq)
        return NULL;
    Py_ssize_t np = PySequence_Fast_GET_SIZE(seq);
    uint64_t *off = nc_malloc((size_t)(np + 1) * sizeof *off);
    uint32_t *keys = NULL;
    size_t kcap = 0, nk = 0;
    int64_t *counts = NULL, *df = NULL;
    PyObject *result = NULL;
    Py_buffer gv;
    int have_gv = 0;
    if (!off) {
        PyErr_NoMemory();
        goto done;
    }
    off[0] = 0;
    for (Py_ssize_t p = 0; p < np; p++) {
        PyObject *ids = PySequence_Tuple(PySequence_Fast_GET_ITEM(seq, p));
        if (!ids)
            goto done;
        Py_ssize_t m = PySequence_Fast_GET_SIZE(ids);
        if (m > NC_PHRASE_MAX) {
            Py_DECREF(ids);
            PyErr_Format(PyExc_ValueError, "phrase %zd has %zd tokens; the limit is %d", p, m,
                         NC_PHRASE_MAX);
            goto done;
        }
        if (nc_grow((void **)&keys, &kcap, nk + (size_t)m + 1, sizeof *keys)) {
            Py_DECREF(ids);
            PyErr_NoMemory();
            goto done;
        }
        /* each id is converted once; a phrase with an unknown form never matches and is
         * left empty */
        size_t start = nk;
        int missing = 0;
        for (Py_ssize_t j = 0; j < m; j++) {
            long long id = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(ids, j));
            if (id == -1 && PyErr_Occurred()) {
                Py_DECREF(ids);
                goto done;
            }
            missing |= id < 0 || (unsigned long long)id >= self->ts.vocab.n;
            keys[nk++] = (uint32_t)id;
        }
        if (missing)
            nk = start;
        off[p + 1] = nk;
        Py_DECREF(ids);
    }
    if (get_array(groups, &gv, 4, (Py_ssize_t)self->ts.ndocs, "groups") < 0)
        goto done;
    have_gv = 1;
    size_t cells = (size_t)np * ngroups;
    if (ngroups && cells / ngroups != (size_t)np) {
        PyErr_SetString(PyExc_OverflowError, "too many phrases times groups");
        goto done;
    }
    counts = nc_malloc((cells ? cells : 1) * sizeof *counts);
    df = nc_malloc((cells ? cells : 1) * sizeof *df);
    if (!counts || !df) {
        PyErr_NoMemory();
        goto done;
    }
    atomic_size_t done;
    atomic_init(&done, 0);
    nc_py_poll pp = {NULL, progress == Py_None ? NULL : progress, &done, 0, 0};
    nc_ngram_opts o = {1, 1, gv.buf, ngroups, NULL, 0, 1, 0, workers, nc_py_poll_fn, &pp, &done};
    pp.save = PyEval_SaveThread();
    nc_status r = nc_count_phrases(&self->ts, keys ? keys : (uint32_t *)off, off, (size_t)np, &o,
                                   counts, df);
    PyEval_RestoreThread(pp.save);
    if (r) {
        if (r == NC_EINVAL)
            PyErr_Format(PyExc_ValueError, "a group code is not below ngroups=%u", ngroups);
        else
            nc_py_raise(pp.failed ? NC_EINTR : r, U_ZERO_ERROR, "counting phrases");
        goto done;
    }
    PyObject *cb = nc_buffer_new(st, counts, (Py_ssize_t)cells, "q", 8);
    counts = NULL;
    PyObject *db = nc_buffer_new(st, df, (Py_ssize_t)cells, "q", 8);
    df = NULL;
    if (cb && db)
        result = Py_BuildValue("(NN)", cb, db);
    else {
        Py_XDECREF(cb);
        Py_XDECREF(db);
    }
done:
    if (have_gv)
        PyBuffer_Release(&gv);
    Py_DECREF(seq);
    nc_free(off);
    nc_free(keys);
    nc_free(counts);
    nc_free(df);
    return result;
}

/* The CSR arrays come back as writable buffers that numpy and scipy wrap
 * without a copy: the matrix is the caller's to own (and scale in place). */
static PyObject *tokstore_dtm(PyObject *op, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"rows", "nrows", "nmin", "nmax", "stop", "min_count", "workers",
                             "progress", NULL};
    TokStoreObject *self = (TokStoreObject *)op;
    PyObject *rows, *stop = Py_None, *progress = Py_None;
    unsigned int nrows;
    int nmin, nmax, workers = 1;
    unsigned long long min_count = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OIii|OKiO:dtm", kwlist, &rows, &nrows, &nmin,
                                     &nmax, &stop, &min_count, &workers, &progress))
        return NULL;
    if (nmin < 1 || nmax > NC_NGRAM_MAX || nmin > nmax)
        return PyErr_Format(PyExc_ValueError, "n-gram orders must satisfy 1 <= nmin <= nmax <= %d",
                            NC_NGRAM_MAX);
    nc_module_state *st = state_of(op);
    if (!st)
        return NULL;
    Py_buffer rv, sv = {0};
    if (get_array(rows, &rv, 4, (Py_ssize_t)self->ts.ndocs, "rows") < 0)
        return NULL;
    if (stop != Py_None && PyObject_GetBuffer(stop, &sv, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&rv);
        return NULL;
    }
    atomic_size_t done;
    atomic_init(&done, 0);
    nc_py_poll pp = {NULL, progress == Py_None ? NULL : progress, &done, 0, 0};
    nc_dtm_opts o = {nmin, nmax, rv.buf, nrows, stop != Py_None ? sv.buf : NULL,
                     stop != Py_None ? (size_t)sv.len : 0, min_count, workers, nc_py_poll_fn, &pp,
                     &done};
    nc_dtm m;
    pp.save = PyEval_SaveThread();
    nc_status r = nc_build_dtm(&self->ts, &o, &m);
    PyEval_RestoreThread(pp.save);
    PyBuffer_Release(&rv);
    if (stop != Py_None)
        PyBuffer_Release(&sv);
    if (r) {
        if (r == NC_EINVAL)
            return PyErr_Format(PyExc_ValueError, "a row code is not below nrows=%u", nrows);
        return nc_py_raise(pp.failed ? NC_EINTR : r, U_ZERO_ERROR,
                           "building the document-term matrix");
    }
    PyObject *text[3];
    if (ngram_text_buffers(st, &self->ts.vocab, m.keys, m.key_off, m.ncols, text) < 0) {
        nc_dtm_free(&m);
        return NULL;
    }
    const char *ifmt = m.index_bytes == 4 ? "i" : "q";
    PyObject *ip = nc_buffer_new_writable(st, m.indptr, (Py_ssize_t)m.nrows + 1, ifmt,
                                          m.index_bytes);
    m.indptr = NULL;
    PyObject *ix = nc_buffer_new_writable(st, m.indices, (Py_ssize_t)m.nnz, ifmt, m.index_bytes);
    m.indices = NULL;
    PyObject *dt = nc_buffer_new_writable(st, m.data, (Py_ssize_t)m.nnz, "q", 8);
    m.data = NULL;
    nc_dtm_free(&m);
    if (ip && ix && dt)
        return Py_BuildValue("(NNNNNN)", ip, ix, dt, text[0], text[1], text[2]);
    Py_XDECREF(ip);
    Py_XDECREF(ix);
    Py_XDECREF(dt);
    for (int i = 0; i < 3; i++)
        Py_DECREF(text[i]);
    return NULL;
}

static PyObject *tokstore_doc_tokens(PyObject *op, PyObject *arg)
{
    TokStoreObject *self = (TokStoreObject *)op;
    Py_ssize_t d = PyLong_AsSsize_t(arg);
    if (d == -1 && PyErr_Occurred())
        return NULL;
    if (d < 0 || (size_t)d >= self->ts.ndocs)
        return PyErr_Format(PyExc_IndexError, "document %zd out of range (%zu documents)", d,
                            self->ts.ndocs);
    nc_module_state *st = state_of(op);
    if (!st)
        return NULL;
    uint32_t n = self->ts.docs[d].ntok;
    size_t m = n ? n : 1;
    uint32_t *ids = nc_malloc(m * 4), *sa = nc_malloc(m * 4), *ea = nc_malloc(m * 4),
             *sent = nc_malloc(m * 4);
    uint8_t *bar = nc_malloc(m);
    if (!ids || !sa || !ea || !sent || !bar) {
        nc_free(ids), nc_free(sa), nc_free(ea), nc_free(sent), nc_free(bar);
        return PyErr_NoMemory();
    }
    const uint32_t *raw = nc_doc_ids(&self->ts, (size_t)d);
    for (uint32_t i = 0; i < n; i++) {
        ids[i] = raw[i] & NC_TOK_ID_MASK;
        bar[i] = (raw[i] & NC_TOK_BARRIER) != 0;
        nc_doc_token_span(&self->ts, (size_t)d, i, &sa[i], &ea[i]);
        sent[i] = nc_doc_sentence_of(&self->ts, (size_t)d, i);
    }
    return Py_BuildValue("(NNNNN)", nc_buffer_new(st, ids, n, "I", 4),
                         nc_buffer_new(st, sa, n, "I", 4), nc_buffer_new(st, ea, n, "I", 4),
                         nc_buffer_new(st, sent, n, "I", 4), nc_buffer_new(st, bar, n, "B", 1));
}

static PyObject *tokstore_memory(PyObject *op, PyObject *unused)
{
    (void)unused;
    const nc_tokstore *ts = &((TokStoreObject *)op)->ts;
    return Py_BuildValue("{s:n,s:n,s:K}", "token_bytes", (Py_ssize_t)nc_tokstore_token_bytes(ts),
                         "vocab_bytes", (Py_ssize_t)nc_tokstore_vocab_bytes(ts), "tokens",
                         (unsigned long long)ts->ntokens);
}

static PyObject *tokstore_len(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromSize_t(((TokStoreObject *)op)->ts.ndocs);
}

static PyObject *tokstore_vocab_size(PyObject *op, void *closure)
{
    (void)closure;
    return PyLong_FromSize_t(((TokStoreObject *)op)->ts.vocab.n);
}

static PyMethodDef tokstore_methods[] = {
    {"doc_ntokens", tokstore_doc_ntokens, METH_NOARGS, "Kept tokens per document (uint32)."},
    {"doc_nsentences", tokstore_doc_nsentences, METH_NOARGS, "Sentences per document (uint32)."},
    {"vocab", tokstore_vocab, METH_NOARGS, "The interned forms, by id."},
    {"lookup", tokstore_lookup, METH_O, "Ids of the given forms (-1 if absent)."},
    {"ngrams", (PyCFunction)(void (*)(void))tokstore_ngrams, METH_VARARGS | METH_KEYWORDS,
     "ngrams(groups, ngroups, nmin, nmax, stop=None, min_count=1, top=0, workers=1, progress=None, "
     "tokens=None, unique_text=True, row_text=False, group_key=None) -> dict of buffers: ns, keys, key_off, "
     "row_ngram, row_group, count, docfreq, n; per_10k (with tokens); row_key (with group_key: "
     "each row's group's 8-byte value); text, text_off (unique_text); "
     "row_text, row_text_off (row_text)"},
    {"phrases", (PyCFunction)(void (*)(void))tokstore_phrases, METH_VARARGS | METH_KEYWORDS,
     "phrases(id_lists, groups, ngroups, workers=1, progress=None) -> (counts, docfreq)"},
    {"dtm", (PyCFunction)(void (*)(void))tokstore_dtm, METH_VARARGS | METH_KEYWORDS,
     "dtm(rows, nrows, nmin, nmax, stop=None, min_count=1, workers=1, progress=None) -> "
     "(indptr, indices, data, text, text_offsets, ngram_lengths): a CSR matrix, columns in string order"},
    {"doc_tokens", tokstore_doc_tokens, METH_O, "(ids, starts, ends, sentences, barriers) of a document."},
    {"memory", tokstore_memory, METH_NOARGS, "Bytes held by tokens and vocabulary."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef tokstore_getset[] = {
    {"ndocs", tokstore_len, NULL, "number of documents", NULL},
    {"vocab_size", tokstore_vocab_size, NULL, "number of distinct forms", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot tokstore_slots[] = {
    {Py_tp_dealloc, tokstore_dealloc},
    {Py_tp_methods, tokstore_methods},
    {Py_tp_getset, tokstore_getset},
    {Py_tp_doc, "A tokenized corpus held by the C core; use natocyber.Corpus."},
    {0, NULL},
};

PyType_Spec nc_tokstore_spec = {
    .name = "natocyber._core._TokenStore",
    .basicsize = sizeof(TokStoreObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = tokstore_slots,
};
