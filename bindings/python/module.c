/*
 * module.c - errors, the core's names as Python strings, and the set-up of the C part of the
 * Python extension (see smtpc_py.h).
 */
#include "smtpc_py.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

PyObject *smtpc_py_error = NULL;

void smtpc_py_raise(const smtpc_error *err)
{
    /* The core may quote the caller's bytes in `text`: undecodable bytes are replaced. */
    PyObject *text = PyUnicode_DecodeUTF8(err->text, (Py_ssize_t)strlen(err->text), "replace");
    PyObject *source = PyUnicode_DecodeFSDefault(err->source);
    if (text != NULL && source != NULL) {
        PyObject *args = Py_BuildValue("(iOOkk)", err->status, text, source, err->line,
                                       err->column);
        if (args != NULL) {
            PyErr_SetObject(smtpc_py_error, args);
            Py_DECREF(args);
        }
    }
    Py_XDECREF(text);
    Py_XDECREF(source);
}

void smtpc_py_raise_status(int status)
{
    smtpc_error err;
    memset(&err, 0, sizeof err);
    err.status = status;
    snprintf(err.text, sizeof err.text, "%s", smtpc_strerror(status));
    smtpc_py_raise(&err);
}

/* Python str objects for the core's static strings (verdict rules and explanations, names),
 * keyed by address in an open-addressing table: each is made once. Should the table fill up,
 * a new str is made each time, which is only slower. */
#define SMTPC_PY_STATICS 256
static struct {
    const char *text;
    PyObject *str;
} smtpc_py_statics[SMTPC_PY_STATICS];

PyObject *smtpc_py_static_str(const char *text)
{
    size_t slot = ((size_t)(uintptr_t)text >> 3) % SMTPC_PY_STATICS;
    size_t probes;
    PyObject *s;
    for (probes = 0; probes < SMTPC_PY_STATICS; probes++) {
        if (smtpc_py_statics[slot].text == text) {
            Py_INCREF(smtpc_py_statics[slot].str);
            return smtpc_py_statics[slot].str;
        }
        if (smtpc_py_statics[slot].text == NULL)
            break;
        slot = (slot + 1) % SMTPC_PY_STATICS;
    }
    s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
    if (s != NULL && probes < SMTPC_PY_STATICS) {
        PyUnicode_InternInPlace(&s);
        Py_INCREF(s);
        smtpc_py_statics[slot].str = s;
        smtpc_py_statics[slot].text = text;
    }
    return s;
}

/* frozensets of names, made once per set of bits: the reply warnings (6 bits) and the
 * verdict flags (4 bits); bits without a name are left out. */
#define SMTPC_PY_SET_BITS 8
static PyObject *smtpc_py_warning_sets[1 << SMTPC_PY_SET_BITS];
static PyObject *smtpc_py_flag_sets[1 << SMTPC_PY_SET_BITS];

PyObject *smtpc_py_name_set(int which, int bits)
{
    PyObject **cache = which == SMTPC_ENUM_WARNING ? smtpc_py_warning_sets : smtpc_py_flag_sets;
    PyObject *set;
    int bit;
    bits &= (1 << SMTPC_PY_SET_BITS) - 1;
    if (cache[bits] != NULL) {
        Py_INCREF(cache[bits]);
        return cache[bits];
    }
    if ((set = PyFrozenSet_New(NULL)) == NULL)
        return NULL;
    for (bit = 1; bit < (1 << SMTPC_PY_SET_BITS); bit <<= 1) {
        const char *text = (bits & bit) ? smtpc_enum_name(which, bit) : "";
        if (text[0] != '\0') {
            PyObject *s = smtpc_py_static_str(text);
            if (s == NULL || PySet_Add(set, s) < 0) {
                Py_XDECREF(s);
                Py_DECREF(set);
                return NULL;
            }
            Py_DECREF(s);
        }
    }
    cache[bits] = set;
    Py_INCREF(set);
    return set;
}

/* The reason names a Reason record of the database, which a loaded database owns: a new str
 * each time, not one kept by address as the static strings are (nor interned: interned strings
 * that come and go churn the interpreter's table). None when there is none. */
PyObject *smtpc_py_reason(const char *reason)
{
    if (reason[0] == '\0') {
        Py_INCREF(Py_None);
        return Py_None;
    }
    return PyUnicode_FromString(reason);
}

PyObject *smtpc_py_verdict_tuple(const smtpc_verdict *v)
{
    return Py_BuildValue("(NNNNN)", smtpc_py_static_str(smtpc_enum_name(SMTPC_ENUM_ACTION,
                                                                          v->action)),
                         smtpc_py_static_str(v->rule), smtpc_py_static_str(v->explanation),
                         smtpc_py_name_set(SMTPC_ENUM_VERDICT_FLAG, v->flags),
                         smtpc_py_reason(v->reason));
}

PyObject *smtpc_py_reason_tuple(const smtpc_reason *r)
{
    PyObject *hard = r->hard < 0 ? Py_None : r->hard ? Py_True : Py_False;
    Py_INCREF(hard);
    return Py_BuildValue("(NNNN)", PyUnicode_FromString(r->name), hard,
                         smtpc_py_static_str(r->rule),
                         PyUnicode_DecodeUTF8(r->evidence, (Py_ssize_t)r->evidence_len,
                                              "replace"));
}

int smtpc_py_module_init(PyObject *module)
{
    if (smtpc_py_error == NULL) {
        smtpc_py_error = PyErr_NewExceptionWithDoc(
            "smtpcodes._core.Error",
            "A failure reported by libsmtpcodes; args are (status, text, source, line, "
            "column).",
            NULL, NULL);
        if (smtpc_py_error == NULL)
            return -1;
    }
    Py_INCREF(smtpc_py_error);
    if (PyModule_AddObject(module, "Error", smtpc_py_error) < 0) {
        Py_DECREF(smtpc_py_error);
        return -1;
    }
    if (smtpc_py_lookup_init(module) < 0)
        return -1;
    return smtpc_py_reply_init(module);
}
