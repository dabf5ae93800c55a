/* Shared declarations of the binding glue (the only C that includes
 * Python.h). One file per Python type; py_module.c ties them together. */
#ifndef NC_PY_GLUE_H
#define NC_PY_GLUE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "segment/segment.h"
#include "util/status.h"
#include "tokens/tokstore.h"

typedef struct {
    PyTypeObject *tokenizer_type;
    PyTypeObject *tokstore_type;
    PyTypeObject *buffer_type;
    PyTypeObject *lexicon_type;
} nc_module_state;

nc_module_state *nc_state_from_type(PyTypeObject *tp);
nc_module_state *nc_state_from_module(PyObject *m);

/* Raises the Python exception for a core status, prefixed with `where`
 * (may be NULL). Returns NULL for use in return statements. */
PyObject *nc_py_raise(nc_status s, UErrorCode icu, const char *where);

/* A read-only 1-D buffer owning nc_malloc'ed memory (format is a struct
 * code such as "q", "I", "B"). Steals `data` even on failure. */
PyObject *nc_buffer_new(nc_module_state *st, void *data, Py_ssize_t n, const char *format,
                        Py_ssize_t itemsize);
/* The same, writable: for arrays handed to the user to own (a sparse
 * matrix whose data they may scale in place), never for shared state. */
PyObject *nc_buffer_new_writable(nc_module_state *st, void *data, Py_ssize_t n,
                                 const char *format, Py_ssize_t itemsize);

/* The segmenter of a _Tokenizer (which must be one). */
const nc_segmenter *nc_py_tokenizer_segmenter(PyObject *tok);

/* A _TokenStore built from a tuple of str; steals nothing. */
PyObject *nc_py_tokstore_build(nc_module_state *st, PyObject *tokenizer, PyObject *texts,
                               int workers, PyObject *progress);

/* Reads the str at PEP 393 level; raises TypeError naming `what` otherwise. */
int nc_py_text(PyObject *o, nc_docsrc *src, const char *what, Py_ssize_t index);

/* Waits on the pool with the GIL released, checking signals and calling a
 * progress callback: the poll function for pool.h. */
typedef struct {
    PyThreadState *save;   /* set by the caller after Py_BEGIN_ALLOW_THREADS-style release */
    PyObject *progress;    /* callable(done) or NULL */
    atomic_size_t *done;
    size_t last_reported;
    int failed;            /* a Python exception is set */
} nc_py_poll;
int nc_py_poll_fn(void *ctx);

/* The core store of a _TokenStore (the caller checks the type). */
const nc_tokstore *nc_py_tokstore_of(PyObject *store);

/* Module functions over stats.h and colloc.h (py_stats.c). */
extern PyMethodDef nc_stats_methods[];

extern PyType_Spec nc_tokenizer_spec;
extern PyType_Spec nc_tokstore_spec;
extern PyType_Spec nc_buffer_spec;
extern PyType_Spec nc_lexicon_spec;

/* Module functions gather_strings and decode_strings (py_strings.c). */
PyObject *nc_py_gather_strings(PyObject *m, PyObject *args);
PyObject *nc_py_decode_strings(PyObject *m, PyObject *args);

/* Module function check_pattern(str) (py_lexicon.c). */
PyObject *nc_py_check_pattern(PyObject *m, PyObject *arg);
/* Module function substrings(texts, docs, starts, ends) (py_lexicon.c). */
PyObject *nc_py_substrings(PyObject *m, PyObject *args);

#endif
