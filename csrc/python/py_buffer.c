/* _Buffer: hands C arrays to NumPy without a copy (buffer protocol). */
#include "python/py_glue.h"

#include "util/alloc.h"

typedef struct {
    PyObject_HEAD
    void *data;
    Py_ssize_t n;
    Py_ssize_t itemsize;
    char format[4];
    Py_ssize_t shape;
    Py_ssize_t exports;
    int writable;      /* the memory belongs to this result alone (nc_buffer_new_writable) */
} BufferObject;

PyObject *nc_buffer_new(nc_module_state *st, void *data, Py_ssize_t n, const char *format,
                        Py_ssize_t itemsize)
{
    BufferObject *b = PyObject_New(BufferObject, st->buffer_type);
    if (!b) {
        nc_free(data);
        return NULL;
    }
    b->data = data;
    b->n = n;
    b->itemsize = itemsize;
    strncpy(b->format, format, sizeof b->format - 1);
    b->format[sizeof b->format - 1] = 0;
    b->shape = n;
    b->exports = 0;
    b->writable = 0;
    return (PyObject *)b;
}

PyObject *nc_buffer_new_writable(nc_module_state *st, void *data, Py_ssize_t n,
                                 const char *format, Py_ssize_t itemsize)
{
    PyObject *b = nc_buffer_new(st, data, n, format, itemsize);
    if (b)
        ((BufferObject *)b)->writable = 1;
    return b;
}

static int buffer_get(PyObject *self, Py_buffer *view, int flags)
{
    BufferObject *b = (BufferObject *)self;
    if ((flags & PyBUF_WRITABLE) && !b->writable) {
        PyErr_SetString(PyExc_BufferError, "natocyber result buffers are read-only");
        return -1;
    }
    view->obj = Py_NewRef(self);
    view->buf = b->data;
    view->len = b->n * b->itemsize;
    view->readonly = !b->writable;
    view->itemsize = b->itemsize;
    view->format = (flags & PyBUF_FORMAT) ? b->format : NULL;
    view->ndim = 1;
    view->shape = (flags & PyBUF_ND) ? &b->shape : NULL;
    view->strides = (flags & PyBUF_STRIDES) ? &view->itemsize : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    b->exports++;
    return 0;
}

static void buffer_release(PyObject *self, Py_buffer *view)
{
    (void)view;
    ((BufferObject *)self)->exports--;
}

static void buffer_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    nc_free(((BufferObject *)self)->data);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static Py_ssize_t buffer_len(PyObject *self) { return ((BufferObject *)self)->n; }

static PyType_Slot buffer_slots[] = {
    {Py_tp_dealloc, buffer_dealloc},
    {Py_bf_getbuffer, buffer_get},
    {Py_bf_releasebuffer, buffer_release},
    {Py_sq_length, buffer_len},
    {Py_tp_doc, "Read-only array owned by the natocyber core (use numpy.frombuffer)."},
    {0, NULL},
};

PyType_Spec nc_buffer_spec = {
    .name = "natocyber._core._Buffer",
    .basicsize = sizeof(BufferObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = buffer_slots,
};
