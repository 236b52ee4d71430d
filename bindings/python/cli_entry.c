/*
 * cli_entry.c - smtpcodes._core.cli_main(argv): runs smtpcodes(1) (core/cli/cli.c) from Python.
 * See cli_entry.h.
 */
#define PY_SSIZE_T_CLEAN
#include "cli_entry.h"

#include "cli.h"

#include <limits.h>
#include <stdio.h>

/* Flushes sys.stdout and sys.stderr, when they are set: what Python printed before the
 * command must come out before what the command prints. Returns -1 with an exception set. */
static int flush_python_streams(void)
{
    static const char *const names[] = {"stdout", "stderr"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        PyObject *stream = PySys_GetObject(names[i]); /* borrowed */
        if (stream == NULL || stream == Py_None)
            continue;
        PyObject *done = PyObject_CallMethod(stream, "flush", NULL);
        if (done == NULL)
            return -1;
        Py_DECREF(done);
    }
    return 0;
}

PyObject *smtpc_py_cli_main(PyObject *self, PyObject *args)
{
    PyObject *list;
    PyObject *result = NULL;
    PyObject **encoded = NULL;
    char **argv = NULL;
    Py_ssize_t n = 0;
    Py_ssize_t i;
    int status;

    (void)self;
    if (!PyArg_ParseTuple(args, "O!:cli_main", &PyList_Type, &list))
        return NULL;
    n = PyList_GET_SIZE(list);
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "cli_main: argv must hold at least the program name");
        return NULL;
    }
    if (n >= INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "cli_main: too many arguments");
        return NULL;
    }
    encoded = PyMem_Calloc((size_t)n, sizeof *encoded);
    argv = PyMem_Calloc((size_t)n + 1, sizeof *argv);
    if (encoded == NULL || argv == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < n; i++) {
        /* os.fsencode(): str in the file system encoding with surrogateescape, bytes as they
         * are, os.PathLike through __fspath__; a NUL raises ValueError. The list may change
         * while an item's __fspath__ runs, so each item is held while it is converted. */
        if (i >= PyList_GET_SIZE(list)) {
            PyErr_SetString(PyExc_RuntimeError, "cli_main: argv changed size");
            goto done;
        }
        PyObject *item = PyList_GET_ITEM(list, i);
        Py_INCREF(item);
        int converted = PyUnicode_FSConverter(item, &encoded[i]);
        Py_DECREF(item);
        if (!converted)
            goto done;
        argv[i] = PyBytes_AS_STRING(encoded[i]);
    }
    argv[n] = NULL;

    if (flush_python_streams() != 0)
        goto done;
    Py_BEGIN_ALLOW_THREADS
    status = smtpc_cli_main((int)n, argv);
    fflush(stdout);
    fflush(stderr);
    Py_END_ALLOW_THREADS
    result = PyLong_FromLong(status);

done:
    if (encoded != NULL) {
        for (i = 0; i < n; i++)
            Py_XDECREF(encoded[i]);
        PyMem_Free(encoded);
    }
    PyMem_Free(argv);
    return result;
}
