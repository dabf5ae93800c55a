/* Module functions over the n-gram text buffers of ngram_text.h: gathering
 * rows of strings, and decoding them to str objects where pandas keeps
 * strings as Python objects. */
#include "python/py_glue.h"

#include "util/alloc.h"
#include "count/ngram_text.h"

/* A buffer of strings as handed out by _TokenStore.ngrams: bytes and n + 1
 * int64 offsets that rise from 0 to the byte length. */
static int get_strings(PyObject *data, PyObject *off, Py_buffer *dv, Py_buffer *ov, size_t *n)
{
    if (PyObject_GetBuffer(data, dv, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (PyObject_GetBuffer(off, ov, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(dv);
        return -1;
    }
    const int64_t *o = ov->buf;
    Py_ssize_t m = ov->len / 8;
    int ok = ov->len % 8 == 0 && ((uintptr_t)ov->buf & 7) == 0 && m >= 1 && o[0] == 0 &&
             o[m - 1] == dv->len;
    for (Py_ssize_t i = 1; ok && i < m; i++)
        ok = o[i] >= o[i - 1];
    if (!ok) {
        PyErr_SetString(PyExc_ValueError, "strings: offsets must be aligned int64, rising from 0 "
                                          "to the data length");
        PyBuffer_Release(dv);
        PyBuffer_Release(ov);
        return -1;
    }
    *n = (size_t)(m - 1);
    return 0;
}

/* gather_strings(data, off, index, workers) -> (data, off) of the strings
 * index[i] (uint32), copied with the GIL released. */
PyObject *nc_py_gather_strings(PyObject *m, PyObject *args)
{
    PyObject *data, *off, *index;
    int workers = 1;
    if (!PyArg_ParseTuple(args, "OOO|i:gather_strings", &data, &off, &index, &workers))
        return NULL;
    nc_module_state *st = nc_state_from_module(m);
    if (!st)
        return NULL;
    Py_buffer dv, ov, iv;
    size_t n;
    if (get_strings(data, off, &dv, &ov, &n) < 0)
        return NULL;
    if (PyObject_GetBuffer(index, &iv, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&dv);
        PyBuffer_Release(&ov);
        return NULL;
    }
    nc_strings out;
    nc_status r = NC_EINVAL;
    if (iv.len % 4 == 0 && ((uintptr_t)iv.buf & 3) == 0) {
        Py_BEGIN_ALLOW_THREADS
        r = nc_strings_gather(dv.buf, ov.buf, n, iv.buf, (size_t)iv.len / 4, workers, &out);
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&dv);
    PyBuffer_Release(&ov);
    PyBuffer_Release(&iv);
    if (r == NC_EINVAL)
        return PyErr_Format(PyExc_ValueError,
                            "gather_strings: index must be aligned uint32 values below %zu", n);
    if (r)
        return nc_py_raise(r, U_ZERO_ERROR, "gathering strings");
    PyObject *d = nc_buffer_new(st, out.data, (Py_ssize_t)out.off[out.n], "B", 1);
    PyObject *o = nc_buffer_new(st, out.off, (Py_ssize_t)out.n + 1, "q", 8);
    if (!d || !o) {
        Py_XDECREF(d);
        Py_XDECREF(o);
        return NULL;
    }
    return Py_BuildValue("(NN)", d, o);
}

/* decode_strings(data, off) -> list of str */
PyObject *nc_py_decode_strings(PyObject *m, PyObject *args)
{
    PyObject *data, *off;
    if (!PyArg_ParseTuple(args, "OO:decode_strings", &data, &off))
        return NULL;
    Py_buffer dv, ov;
    size_t n;
    if (get_strings(data, off, &dv, &ov, &n) < 0)
        return NULL;
    const char *d = dv.buf;
    const int64_t *o = ov.buf;
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; l && i < n; i++) {
        PyObject *s = PyUnicode_DecodeUTF8(d + o[i], (Py_ssize_t)(o[i + 1] - o[i]), "strict");
        if (!s) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, s);
    }
    PyBuffer_Release(&dv);
    PyBuffer_Release(&ov);
    return l;
}
