/* Module functions over the statistics core (stats.h) and the collocation
 * counter (colloc.h).
 *
 * Arrays come in through the buffer protocol as C-contiguous float64 (a
 * NumPy array, array('d'), ...) and go out as read-only _Buffer objects.
 * Every function checks lengths here and leaves value checks to the core,
 * whose NC_EINVAL becomes a ValueError; the Python layer (natocyber.stats)
 * validates first so that users see what was wrong. The GIL is released
 * when the work is large enough to pay for it. */
#include "python/py_glue.h"

#include <string.h>

#include "util/alloc.h"
#include "count/colloc.h"
#include "stats/stats.h"

/* Work (in terms x per-term cost units) above which the GIL is released:
 * below it the release and reacquisition cost more than they free. */
#define UNLOCK_WORK 20000

#define MAYBE_UNLOCKED(big, stmt)                                              \
    do {                                                                       \
        if (big) {                                                             \
            Py_BEGIN_ALLOW_THREADS stmt;                                       \
            Py_END_ALLOW_THREADS                                               \
        } else {                                                               \
            stmt;                                                              \
        }                                                                      \
    } while (0)

/* A C-contiguous float64 buffer; `n` gets its length. expect >= 0 demands
 * that length. */
static int get_f64(PyObject *o, Py_buffer *v, const char *what, Py_ssize_t expect,
                   Py_ssize_t *n)
{
    if (PyObject_GetBuffer(o, v, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s must be a contiguous float64 array, not %.100s", what,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    const char *f = v->format ? v->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    if (v->itemsize != 8 || strcmp(f, "d") != 0) {
        PyErr_Format(PyExc_TypeError, "%s must hold float64 values (format 'd'), not '%s'", what,
                     v->format ? v->format : "B");
        PyBuffer_Release(v);
        return -1;
    }
    *n = v->len / 8;
    if (expect >= 0 && *n != expect) {
        PyErr_Format(PyExc_ValueError, "%s has %zd values; expected %zd", what, *n, expect);
        PyBuffer_Release(v);
        return -1;
    }
    return 0;
}

static double *new_f64(Py_ssize_t n)
{
    double *p = nc_malloc((size_t)(n ? n : 1) * sizeof *p);
    if (!p)
        PyErr_NoMemory();
    return p;
}

static nc_module_state *mstate(PyObject *m) { return nc_state_from_module(m); }

static PyObject *f64_buffer(PyObject *m, double *p, Py_ssize_t n)
{
    return nc_buffer_new(mstate(m), p, n, "d", sizeof *p);
}

/* A tuple of k new float64 buffers of n values taken from arrs (stolen). */
static PyObject *f64_tuple(PyObject *m, double **arrs, int k, Py_ssize_t n)
{
    PyObject *t = PyTuple_New(k);
    for (int i = 0; i < k; i++) {
        if (!t) {
            nc_free(arrs[i]);
            continue;
        }
        PyObject *b = f64_buffer(m, arrs[i], n);
        if (!b) {
            Py_CLEAR(t);
            continue;
        }
        PyTuple_SET_ITEM(t, i, b);
    }
    return t;
}

/* ---- keyness ------------------------------------------------------------- */

static PyObject *py_keyness(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"a", "b", "total_target", "total_reference", "measure",
                             "correction", NULL};
    PyObject *ao, *bo;
    double c, d;
    int measure, corr;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOddii:keyness", kwlist, &ao, &bo, &c, &d,
                                     &measure, &corr))
        return NULL;
    Py_buffer av, bv;
    Py_ssize_t n, nb;
    if (get_f64(ao, &av, "a", -1, &n) < 0)
        return NULL;
    if (get_f64(bo, &bv, "b", n, &nb) < 0) {
        PyBuffer_Release(&av);
        return NULL;
    }
    double *stat = new_f64(n), *p = stat ? new_f64(n) : NULL;
    nc_status r = NC_ENOMEM;
    if (p) {
        const int big = n * (measure == NC_KEY_FISHER ? 50 : 1) >= UNLOCK_WORK;
        MAYBE_UNLOCKED(big, r = nc_keyness(av.buf, bv.buf, (size_t)n, c, d,
                                           (nc_keyness_measure)measure, (nc_correction)corr,
                                           stat, p));
    }
    PyBuffer_Release(&av);
    PyBuffer_Release(&bv);
    if (r) {
        nc_free(stat);
        nc_free(p);
        return r == NC_ENOMEM ? PyErr_NoMemory() : nc_py_raise(r, U_ZERO_ERROR, "keyness");
    }
    double *arrs[2] = {stat, p};
    return f64_tuple(m, arrs, 2, n);
}

static PyObject *py_bh_adjust(PyObject *m, PyObject *arg)
{
    Py_buffer v;
    Py_ssize_t n;
    if (get_f64(arg, &v, "p", -1, &n) < 0)
        return NULL;
    double *out = new_f64(n);
    nc_status r = NC_ENOMEM;
    if (out)
        MAYBE_UNLOCKED(n >= UNLOCK_WORK / 10, r = nc_bh_adjust(v.buf, (size_t)n, out));
    PyBuffer_Release(&v);
    if (r) {
        nc_free(out);
        return r == NC_ENOMEM ? PyErr_NoMemory()
                              : nc_py_raise(r, U_ZERO_ERROR, "bh_adjust (p-values in [0, 1])");
    }
    return f64_buffer(m, out, n);
}

/* ---- collocation scores ---------------------------------------------------- */

static PyObject *py_colloc_lambda(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"cells", "size", "smoothing", NULL};
    PyObject *co;
    unsigned int k;
    double smoothing = 0.5;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OI|d:colloc_lambda", kwlist, &co, &k,
                                     &smoothing))
        return NULL;
    if (k < 2 || k > NC_COLLOC_MAX_K)
        return PyErr_Format(PyExc_ValueError, "size must be between 2 and %d, not %u",
                            NC_COLLOC_MAX_K, k);
    Py_buffer v;
    Py_ssize_t n;
    if (get_f64(co, &v, "cells", -1, &n) < 0)
        return NULL;
    const Py_ssize_t nc = (Py_ssize_t)1 << k, nt = n / nc;
    if (n % nc) {
        PyBuffer_Release(&v);
        return PyErr_Format(PyExc_ValueError, "cells has %zd values, not a multiple of 2**%u",
                            n, k);
    }
    double *lam = new_f64(nt), *sig = lam ? new_f64(nt) : NULL, *z = sig ? new_f64(nt) : NULL;
    nc_status r = NC_ENOMEM;
    if (z)
        MAYBE_UNLOCKED(n >= UNLOCK_WORK, r = nc_colloc_lambda(v.buf, (size_t)nt, k, smoothing,
                                                              lam, sig, z));
    PyBuffer_Release(&v);
    if (r) {
        nc_free(lam), nc_free(sig), nc_free(z);
        return r == NC_ENOMEM ? PyErr_NoMemory() : nc_py_raise(r, U_ZERO_ERROR, "colloc_lambda");
    }
    double *arrs[3] = {lam, sig, z};
    return f64_tuple(m, arrs, 3, nt);
}

static PyObject *py_bigram_assoc(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"n11", "n1x", "nx1", "nxx", "measure", "min_count", "vocab_size",
                             NULL};
    PyObject *o11, *o1x, *ox1;
    double nxx, min_count = 0, vocab_size = 0;
    int measure;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOOdi|dd:bigram_assoc", kwlist, &o11, &o1x,
                                     &ox1, &nxx, &measure, &min_count, &vocab_size))
        return NULL;
    Py_buffer v11, v1x, vx1;
    Py_ssize_t n, n2;
    if (get_f64(o11, &v11, "n11", -1, &n) < 0)
        return NULL;
    if (get_f64(o1x, &v1x, "n1x", n, &n2) < 0) {
        PyBuffer_Release(&v11);
        return NULL;
    }
    if (get_f64(ox1, &vx1, "nx1", n, &n2) < 0) {
        PyBuffer_Release(&v11);
        PyBuffer_Release(&v1x);
        return NULL;
    }
    double *out = new_f64(n);
    nc_status r = NC_ENOMEM;
    if (out)
        MAYBE_UNLOCKED(n >= UNLOCK_WORK,
                       r = nc_bigram_assoc(v11.buf, v1x.buf, vx1.buf, (size_t)n, nxx,
                                           (nc_assoc_measure)measure, min_count, vocab_size,
                                           out));
    PyBuffer_Release(&v11);
    PyBuffer_Release(&v1x);
    PyBuffer_Release(&vx1);
    if (r) {
        nc_free(out);
        return r == NC_ENOMEM ? PyErr_NoMemory() : nc_py_raise(r, U_ZERO_ERROR, "bigram_assoc");
    }
    return f64_buffer(m, out, n);
}

/* ---- rates, trends, dispersion -------------------------------------------- */

static PyObject *py_poisson_ci(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"counts", "exposure", "conf", NULL};
    PyObject *co, *eo = Py_None;
    double conf = 0.95;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|Od:poisson_ci", kwlist, &co, &eo, &conf))
        return NULL;
    Py_buffer cv, ev;
    Py_ssize_t n, ne;
    if (get_f64(co, &cv, "counts", -1, &n) < 0)
        return NULL;
    if (eo != Py_None && get_f64(eo, &ev, "exposure", n, &ne) < 0) {
        PyBuffer_Release(&cv);
        return NULL;
    }
    double *lo = new_f64(n), *hi = lo ? new_f64(n) : NULL;
    nc_status r = NC_ENOMEM;
    if (hi)
        MAYBE_UNLOCKED(n >= 64, r = nc_poisson_ci(cv.buf, eo != Py_None ? ev.buf : NULL,
                                                  (size_t)n, conf, lo, hi));
    PyBuffer_Release(&cv);
    if (eo != Py_None)
        PyBuffer_Release(&ev);
    if (r) {
        nc_free(lo), nc_free(hi);
        return r == NC_ENOMEM ? PyErr_NoMemory() : nc_py_raise(r, U_ZERO_ERROR, "poisson_ci");
    }
    double *arrs[2] = {lo, hi};
    return f64_tuple(m, arrs, 2, n);
}

static PyObject *py_trend_poisson(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"counts", "tokens", "x", NULL};
    PyObject *co, *to, *xo;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOO:trend_poisson", kwlist, &co, &to, &xo))
        return NULL;
    Py_buffer cv, tv, xv;
    Py_ssize_t n, ng, nx;
    if (get_f64(to, &tv, "tokens", -1, &ng) < 0)
        return NULL;
    if (get_f64(xo, &xv, "x", ng, &nx) < 0) {
        PyBuffer_Release(&tv);
        return NULL;
    }
    if (get_f64(co, &cv, "counts", -1, &n) < 0) {
        PyBuffer_Release(&tv);
        PyBuffer_Release(&xv);
        return NULL;
    }
    PyObject *result = NULL;
    nc_trend_result *res = NULL;
    if (ng == 0 || n % ng) {
        PyErr_Format(PyExc_ValueError, "counts has %zd values, not a multiple of %zd groups", n,
                     ng);
        goto done;
    }
    const Py_ssize_t nt = n / ng;
    res = nc_malloc((size_t)(nt ? nt : 1) * sizeof *res);
    if (!res) {
        PyErr_NoMemory();
        goto done;
    }
    nc_status r;
    MAYBE_UNLOCKED(n >= 512, r = nc_trend_poisson(cv.buf, (size_t)nt, (size_t)ng, tv.buf,
                                                  xv.buf, res));
    if (r) {
        nc_py_raise(r, U_ZERO_ERROR, "trend_poisson");
        goto done;
    }
    enum { NF = 9 };
    double *arrs[NF];
    int k;
    for (k = 0; k < NF; k++)
        if (!(arrs[k] = new_f64(nt)))
            break;
    if (k < NF) {
        while (k--)
            nc_free(arrs[k]);
        goto done;
    }
    for (Py_ssize_t i = 0; i < nt; i++) {
        const nc_trend_result *q = &res[i];
        arrs[0][i] = q->slope, arrs[1][i] = q->se, arrs[2][i] = q->z, arrs[3][i] = q->p;
        arrs[4][i] = q->intercept, arrs[5][i] = q->lr, arrs[6][i] = q->lr_p;
        arrs[7][i] = q->iterations, arrs[8][i] = (double)q->status;
    }
    result = f64_tuple(m, arrs, NF, nt);
done:
    nc_free(res);
    PyBuffer_Release(&cv);
    PyBuffer_Release(&tv);
    PyBuffer_Release(&xv);
    return result;
}

static PyObject *py_dispersion(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"freq", "sizes", NULL};
    PyObject *fo, *so;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OO:dispersion", kwlist, &fo, &so))
        return NULL;
    Py_buffer fv, sv;
    Py_ssize_t n, np;
    if (get_f64(so, &sv, "sizes", -1, &np) < 0)
        return NULL;
    if (get_f64(fo, &fv, "freq", -1, &n) < 0) {
        PyBuffer_Release(&sv);
        return NULL;
    }
    PyObject *result = NULL;
    nc_dispersion_result *res = NULL;
    if (np == 0 || n % np) {
        PyErr_Format(PyExc_ValueError, "freq has %zd values, not a multiple of %zd parts", n, np);
        goto done;
    }
    const Py_ssize_t nt = n / np;
    res = nc_malloc((size_t)(nt ? nt : 1) * sizeof *res);
    if (!res) {
        PyErr_NoMemory();
        goto done;
    }
    nc_status r;
    MAYBE_UNLOCKED(n >= UNLOCK_WORK, r = nc_dispersion(fv.buf, (size_t)nt, (size_t)np, sv.buf,
                                                       res));
    if (r) {
        nc_py_raise(r, U_ZERO_ERROR, "dispersion");
        goto done;
    }
    double *arrs[4];
    int k;
    for (k = 0; k < 4; k++)
        if (!(arrs[k] = new_f64(nt)))
            break;
    if (k < 4) {
        while (k--)
            nc_free(arrs[k]);
        goto done;
    }
    for (Py_ssize_t i = 0; i < nt; i++) {
        arrs[0][i] = (double)res[i].range;
        arrs[1][i] = res[i].dp;
        arrs[2][i] = res[i].dp_norm;
        arrs[3][i] = res[i].juilland_d;
    }
    result = f64_tuple(m, arrs, 4, nt);
done:
    nc_free(res);
    PyBuffer_Release(&fv);
    PyBuffer_Release(&sv);
    return result;
}

/* ---- collocation counting ---------------------------------------------------- */

/* The terms of a collocation table as "w1 w2 ..." strings. */
static PyObject *colloc_strings(const nc_vocab *v, const nc_colloc_table *t)
{
    PyObject *l = PyList_New((Py_ssize_t)t->nterms);
    char *buf = NULL;
    size_t cap = 0;
    for (size_t i = 0; l && i < t->nterms; i++) {
        size_t len = 0;
        for (unsigned j = 0; j < t->size; j++) {
            size_t wl;
            const char *w = nc_vocab_str(v, t->keys[i * t->size + j], &wl);
            if (nc_grow((void **)&buf, &cap, len + wl + 1, 1)) {
                PyErr_NoMemory();
                Py_CLEAR(l);
                break;
            }
            if (j)
                buf[len++] = ' ';
            memcpy(buf + len, w, wl);
            len += wl;
        }
        if (!l)
            break;
        PyObject *s = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict");
        if (!s) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, s);
    }
    nc_free(buf);
    return l;
}

static PyObject *py_count_collocations(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"store", "size", "min_count", "stop", "groups", "workers",
                             "progress", NULL};
    PyObject *store, *stop = Py_None, *groups = Py_None, *progress = Py_None;
    unsigned int size;
    unsigned long long min_count;
    int workers = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OIK|OOiO:count_collocations", kwlist, &store,
                                     &size, &min_count, &stop, &groups, &workers, &progress))
        return NULL;
    nc_module_state *st = mstate(m);
    if (!PyObject_TypeCheck(store, st->tokstore_type))
        return PyErr_Format(PyExc_TypeError, "store must be a _TokenStore, not %.100s",
                            Py_TYPE(store)->tp_name);
    if (size < 2 || size > NC_COLLOC_MAX_SIZE)
        return PyErr_Format(PyExc_ValueError, "collocation size must be between 2 and %d, not %u",
                            NC_COLLOC_MAX_SIZE, size);
    if (min_count < 1)
        return PyErr_Format(PyExc_ValueError, "min_count must be >= 1");
    const nc_tokstore *ts = nc_py_tokstore_of(store);
    Py_buffer sv = {0}, gv = {0};
    if (stop != Py_None && PyObject_GetBuffer(stop, &sv, PyBUF_C_CONTIGUOUS) < 0)
        return NULL;
    if (groups != Py_None) {
        if (PyObject_GetBuffer(groups, &gv, PyBUF_C_CONTIGUOUS) < 0)
            goto fail_buffers;
        if (gv.len != (Py_ssize_t)(ts->ndocs * sizeof(int32_t))) {
            PyErr_Format(PyExc_ValueError, "groups: expected %zu int32 values, got %zd bytes",
                         ts->ndocs, gv.len);
            PyBuffer_Release(&gv);
            goto fail_buffers;
        }
    }
    atomic_size_t done;
    atomic_init(&done, 0);
    nc_py_poll pp = {NULL, progress == Py_None ? NULL : progress, &done, 0, 0};
    nc_colloc_opts o = {.size = size,
                        .min_count = min_count,
                        .doc_group = groups != Py_None ? gv.buf : NULL,
                        .stop = stop != Py_None ? sv.buf : NULL,
                        .nstop = stop != Py_None ? (size_t)sv.len : 0,
                        .workers = workers,
                        .poll = nc_py_poll_fn,
                        .poll_ctx = &pp,
                        .progress = &done};
    nc_colloc_table t;
    pp.save = PyEval_SaveThread();
    nc_status r = nc_count_collocations(ts, &o, &t);
    PyEval_RestoreThread(pp.save);
    if (stop != Py_None)
        PyBuffer_Release(&sv);
    if (groups != Py_None)
        PyBuffer_Release(&gv);
    if (r) {
        if (r == NC_EINVAL)
            return PyErr_Format(PyExc_ValueError, "a group code is above 0");
        return nc_py_raise(pp.failed ? NC_EINTR : r, U_ZERO_ERROR, "counting collocations");
    }
    PyObject *result = NULL;
    PyObject *strings = colloc_strings(&ts->vocab, &t);
    if (strings) {
        const Py_ssize_t nt = (Py_ssize_t)t.nterms;
        PyObject *kb = nc_buffer_new(st, t.keys, nt * (Py_ssize_t)size, "I", 4);
        t.keys = NULL;
        PyObject *cb = nc_buffer_new(st, t.cells, nt << size, "d", 8);
        t.cells = NULL;
        PyObject *wb = nc_buffer_new(st, t.word_count, nt * (Py_ssize_t)size, "Q", 8);
        t.word_count = NULL;
        if (kb && cb && wb)
            result = Py_BuildValue("(ONNNKK)", strings, kb, cb, wb,
                                   (unsigned long long)t.nwindows, (unsigned long long)t.ntokens);
        else {
            Py_XDECREF(kb);
            Py_XDECREF(cb);
            Py_XDECREF(wb);
        }
        Py_DECREF(strings);
    }
    nc_colloc_table_free(&t);
    return result;

fail_buffers:
    if (stop != Py_None)
        PyBuffer_Release(&sv);
    return NULL;
}

PyMethodDef nc_stats_methods[] = {
    {"keyness", (PyCFunction)(void (*)(void))py_keyness, METH_VARARGS | METH_KEYWORDS,
     "keyness(a, b, total_target, total_reference, measure, correction) -> (stat, p)"},
    {"bh_adjust", py_bh_adjust, METH_O, "bh_adjust(p) -> Benjamini-Hochberg adjusted p"},
    {"colloc_lambda", (PyCFunction)(void (*)(void))py_colloc_lambda,
     METH_VARARGS | METH_KEYWORDS, "colloc_lambda(cells, size, smoothing=0.5) -> (lambda, sigma, z)"},
    {"bigram_assoc", (PyCFunction)(void (*)(void))py_bigram_assoc, METH_VARARGS | METH_KEYWORDS,
     "bigram_assoc(n11, n1x, nx1, nxx, measure, min_count=0, vocab_size=0) -> scores"},
    {"poisson_ci", (PyCFunction)(void (*)(void))py_poisson_ci, METH_VARARGS | METH_KEYWORDS,
     "poisson_ci(counts, exposure=None, conf=0.95) -> (lower, upper)"},
    {"trend_poisson", (PyCFunction)(void (*)(void))py_trend_poisson,
     METH_VARARGS | METH_KEYWORDS,
     "trend_poisson(counts, tokens, x) -> (slope, se, z, p, intercept, lr, lr_p, iterations, "
     "status)"},
    {"dispersion", (PyCFunction)(void (*)(void))py_dispersion, METH_VARARGS | METH_KEYWORDS,
     "dispersion(freq, sizes) -> (range, dp, dp_norm, juilland_d)"},
    {"count_collocations", (PyCFunction)(void (*)(void))py_count_collocations,
     METH_VARARGS | METH_KEYWORDS,
     "count_collocations(store, size, min_count, stop=None, groups=None, workers=1, "
     "progress=None) -> (strings, keys, cells, word_count, nwindows, ntokens)\n\n"
     "workers: threads, at most 64 (and 2**size - 1 for the scans after the size-grams are "
     "counted). progress: callable(documents_done) or None; the total is the number of "
     "documents."},
    {NULL, NULL, 0, NULL},
};
