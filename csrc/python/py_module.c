/* Module natocyber._core: multi-phase init, module state holding the heap
 * types, the mapping of core statuses to exceptions, and small helpers. */
#include "python/py_glue.h"

#include <unicode/uversion.h>
#include <unicode/utypes.h>

#include "util/alloc.h"
#include "tokens/normalize.h"

nc_module_state *nc_state_from_module(PyObject *m) { return PyModule_GetState(m); }

nc_module_state *nc_state_from_type(PyTypeObject *tp)
{
    /* None of the types can be subclassed, so a type's own module is ours
     * (PyType_GetModuleByDef would need Python 3.11) */
    PyObject *m = PyType_GetModule(tp);
    return m ? PyModule_GetState(m) : NULL;
}

PyObject *nc_py_raise(nc_status s, UErrorCode icu, const char *where)
{
    const char *pre = where ? where : "";
    const char *sep = where ? ": " : "";
    switch (s) {
    case NC_ENOMEM:
        if (where)
            PyErr_Format(PyExc_MemoryError, "%s%sout of memory", pre, sep);
        else
            PyErr_NoMemory();
        break;
    case NC_EINVAL:
        PyErr_Format(PyExc_ValueError, "%s%sinvalid argument", pre, sep);
        break;
    case NC_ERANGE:
        PyErr_Format(PyExc_OverflowError,
                     "%s%stoo large for natocyber (a document may hold at most 2**31-1 UTF-16 "
                     "code units and 2**30 distinct token forms)", pre, sep);
        break;
    case NC_EICU:
        PyErr_Format(PyExc_RuntimeError, "%s%sICU error %s", pre, sep, u_errorName(icu));
        break;
    case NC_EINTR:
        if (!PyErr_Occurred())
            PyErr_SetNone(PyExc_KeyboardInterrupt);
        break;
    default:
        PyErr_Format(PyExc_SystemError, "%s%sunexpected status %d", pre, sep, (int)s);
    }
    return NULL;
}

int nc_py_text(PyObject *o, nc_docsrc *src, const char *what, Py_ssize_t index)
{
    if (!PyUnicode_Check(o)) {
        if (index >= 0)
            PyErr_Format(PyExc_TypeError, "%s %zd is %.100s, not str", what, index,
                         Py_TYPE(o)->tp_name);
        else
            PyErr_Format(PyExc_TypeError, "%s must be str, not %.100s", what, Py_TYPE(o)->tp_name);
        return -1;
    }
    if (PyUnicode_READY(o) < 0)
        return -1;
    src->data = PyUnicode_DATA(o);
    src->len = (size_t)PyUnicode_GET_LENGTH(o);
    src->kind = PyUnicode_KIND(o);
    return 0;
}

int nc_py_poll_fn(void *ctx)
{
    nc_py_poll *p = ctx;
    if (p->failed)
        return 1;
    PyEval_RestoreThread(p->save);
    if (PyErr_CheckSignals() < 0) {
        p->failed = 1;
    } else if (p->progress && p->done) {
        size_t d = atomic_load(p->done);
        if (d != p->last_reported) {
            PyObject *r = PyObject_CallFunction(p->progress, "n", (Py_ssize_t)d);
            if (!r)
                p->failed = 1;
            Py_XDECREF(r);
            p->last_reported = d;
        }
    }
    p->save = PyEval_SaveThread();
    return p->failed;
}

static PyObject *icu_version(PyObject *m, PyObject *unused)
{
    (void)m, (void)unused;
    UVersionInfo v;
    char buf[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, buf);
    return PyUnicode_FromString(buf);
}

static PyObject *unicode_version(PyObject *m, PyObject *unused)
{
    (void)m, (void)unused;
    UVersionInfo v;
    char buf[U_MAX_VERSION_STRING_LENGTH];
    u_getUnicodeVersion(v);
    u_versionToString(v, buf);
    return PyUnicode_FromString(buf);
}

static PyObject *stem_languages(PyObject *m, PyObject *unused)
{
    (void)m, (void)unused;
    PyObject *l = PyList_New(0);
    if (!l)
        return NULL;
    for (const char **s = nc_stem_languages(); *s; s++) {
        PyObject *u = PyUnicode_FromString(*s);
        if (!u || PyList_Append(l, u) < 0) {
            Py_XDECREF(u);
            Py_DECREF(l);
            return NULL;
        }
        Py_DECREF(u);
    }
    return l;
}

static PyObject *fail_allocations_after(PyObject *m, PyObject *arg)
{
    (void)m;
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    nc_alloc_fail_after(n);
    Py_RETURN_NONE;
}

static PyMethodDef core_methods[] = {
    {"icu_version", icu_version, METH_NOARGS, "Version of the ICU library in use."},
    {"unicode_version", unicode_version, METH_NOARGS, "Unicode version of ICU's data."},
    {"stem_languages", stem_languages, METH_NOARGS, "Languages the Snowball stemmer offers."},
    {"gather_strings", nc_py_gather_strings, METH_VARARGS,
     "gather_strings(data, off, index, workers=1) -> (data, off): strings index[i] of a buffer."},
    {"decode_strings", nc_py_decode_strings, METH_VARARGS,
     "decode_strings(data, off) -> list of str."},
    {"check_pattern", nc_py_check_pattern, METH_O,
     "Parses a stance-marker pattern: None, or ValueError('pattern', 0, position, message)."},
    {"substrings", nc_py_substrings, METH_VARARGS,
     "substrings(texts, docs, starts, ends): texts[docs[i]][starts[i]:ends[i]] for int64 arrays."},
    {"_fail_allocations_after", fail_allocations_after, METH_O,
     "Testing only: make the core's Nth allocation from now on fail (-1: off)."},
    {NULL, NULL, 0, NULL},
};

static int add_type(PyObject *m, PyType_Spec *spec, PyTypeObject **slot)
{
    *slot = (PyTypeObject *)PyType_FromModuleAndSpec(m, spec, NULL);
    if (!*slot)
        return -1;
    return PyModule_AddType(m, *slot);
}

static int core_exec(PyObject *m)
{
    nc_module_state *st = nc_state_from_module(m);
    if (add_type(m, &nc_buffer_spec, &st->buffer_type) < 0 ||
        add_type(m, &nc_tokenizer_spec, &st->tokenizer_type) < 0 ||
        add_type(m, &nc_tokstore_spec, &st->tokstore_type) < 0 ||
        add_type(m, &nc_lexicon_spec, &st->lexicon_type) < 0 ||
        PyModule_AddFunctions(m, nc_stats_methods) < 0)
        return -1;
    return 0;
}

static int core_traverse(PyObject *m, visitproc visit, void *arg)
{
    nc_module_state *st = nc_state_from_module(m);
    Py_VISIT(st->buffer_type);
    Py_VISIT(st->tokenizer_type);
    Py_VISIT(st->tokstore_type);
    Py_VISIT(st->lexicon_type);
    return 0;
}

static int core_clear(PyObject *m)
{
    nc_module_state *st = nc_state_from_module(m);
    Py_CLEAR(st->buffer_type);
    Py_CLEAR(st->tokenizer_type);
    Py_CLEAR(st->tokstore_type);
    Py_CLEAR(st->lexicon_type);
    return 0;
}

static void core_free(void *m) { core_clear((PyObject *)m); }

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, core_exec},
    {0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "natocyber._core",
    .m_doc = "C core of natocyber: ICU tokenization, interning, n-gram counting.",
    .m_size = sizeof(nc_module_state),
    .m_methods = core_methods,
    .m_slots = core_slots,
    .m_traverse = core_traverse,
    .m_clear = core_clear,
    .m_free = core_free,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&core_module); }
