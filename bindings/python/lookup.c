/*
 * lookup.c - the facade's hot path for codes: bind_lookup, the C base of BasicCode whose facts
 * are slots (basic_code), and the facts of a code as the core reads them (smtpc_py_code_facts),
 * one call per Code object.
 */
#include "smtpc_py.h"

#include <string.h>

#include <structmember.h>

/* The lookup function of python/smtpcodes: bound to an index, a dict subclass that maps the
 * int and str keys of every known code to its object and has a resolve(code) method for
 * everything else. Exact int and str keys are answered from the dict; anything else (other
 * types, bool, float, unknown or non-canonical codes) goes to resolve(), which validates it.
 * Written in C because a Python function call alone costs more than the dict look-up that
 * this replaces; see bench/ for the target. */
static PyObject *smtpc_py_resolve_name = NULL;

static PyObject *smtpc_py_indexed_lookup(PyObject *index, PyObject *code)
{
    if (PyLong_CheckExact(code) || PyUnicode_CheckExact(code)) {
        PyObject *hit = PyDict_GetItemWithError(index, code);
        if (hit != NULL) {
            Py_INCREF(hit);
            return hit;
        }
        if (PyErr_Occurred())
            return NULL;
    }
    return PyObject_CallMethodObjArgs(index, smtpc_py_resolve_name, code, NULL);
}

static PyMethodDef smtpc_py_lookup_def = {
    "lookup", (PyCFunction)smtpc_py_indexed_lookup, METH_O,
    "lookup($self, code, /)\n--\n\n"
    "Return the Code object for `code`.\n\n"
    "`code` is a reply code (421 or \"421\"), an enhanced status code (\"5.7.1\",\n"
    "\"X.7.1\"), an smtplib reply tuple such as (550, b\"5.1.1 ...\"), an\n"
    "smtplib.SMTPResponseException, or a Code. An enhanced code keeps the class it\n"
    "is written with: lookup(\"4.7.1\").is_transient is True. For an\n"
    "smtplib.SMTPRecipientsRefused, a dict from each refused recipient to its Code.\n\n"
    "Raises UnknownCodeError (a LookupError and ValueError) for a well-formed code\n"
    "the database does not describe, InvalidCodeError (a ValueError) for text that\n"
    "is no code, and TypeError for any other type (bool and float included)."};

PyObject *smtpc_py_bind_lookup(PyObject *self, PyObject *args)
{
    PyObject *index;
    PyObject *module_name;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!U:bind_lookup", &PyDict_Type, &index, &module_name))
        return NULL;
    if (smtpc_py_resolve_name == NULL) {
        smtpc_py_resolve_name = PyUnicode_InternFromString("resolve");
        if (smtpc_py_resolve_name == NULL)
            return NULL;
    }
    return PyCFunction_NewEx(&smtpc_py_lookup_def, index, module_name);
}

/* ---- BasicBase: the C base of BasicCode ----
 *
 * A BasicCode is an int, and Python gives a subclass of int no __slots__: its attributes would
 * live in an instance dict, which CPython's attribute cache does not specialise (a read costs
 * three times a slot's). So the facts are fields of this C type, read through member
 * descriptors, which CPython reads at a fixed offset as it reads __slots__. An int keeps its
 * digits (tp_itemsize each) right after int's tp_basicsize; a reply code below 1000 takes one
 * digit whatever their size (15 or 30 bits), so the fields start after one. */

/* The fields, in order: the keys of smtpc_py_code_facts() and those the facade's new_code()
 * adds. */
static const char *const smtpc_py_basic_names[] = {
    "code", "entry", "kind", "klass", "category", "detail", "conforming", "class_name",
    "category_name", "name", "aliases", "slug", "classes", "origin", "description", "when", "fix",
    "references", "retry", "connection", "commands", "enhanced", "sample", "associated", "see",
    "note", "exceptions", "provider", "is_basic", "is_enhanced", "is_positive", "is_success",
    "is_intermediate", "is_negative", "is_transient", "is_permanent", "is_standard", "_source"};
#define SMTPC_PY_BASIC_FIELDS (sizeof smtpc_py_basic_names / sizeof smtpc_py_basic_names[0])

/* The largest value a BasicBase holds: one digit of int, see above. */
#define SMTPC_PY_BASIC_MAX 999

/* The names above as interned str, the keys basic_code() reads. */
static PyObject *smtpc_py_basic_keys[SMTPC_PY_BASIC_FIELDS];
static PyMemberDef smtpc_py_basic_members[SMTPC_PY_BASIC_FIELDS + 1];
/* Where the fields start, from the start of the object: set at initialisation from int's
 * layout. */
static Py_ssize_t smtpc_py_basic_offset;

static PyTypeObject smtpc_py_basic_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "smtpcodes._core.BasicBase",
};

static PyObject **smtpc_py_basic_fields(PyObject *self)
{
    return (PyObject **)(void *)((char *)self + smtpc_py_basic_offset);
}

static void smtpc_py_basic_dealloc(PyObject *self)
{
    PyObject **fields = smtpc_py_basic_fields(self);
    size_t i;
    for (i = 0; i < SMTPC_PY_BASIC_FIELDS; i++)
        Py_CLEAR(fields[i]);
    PyLong_Type.tp_dealloc(self);
}

/* int.__new__(BasicCode, n) would make a BasicCode of any int, whose digits could overwrite
 * the fields: only basic_code() makes them. */
static PyObject *smtpc_py_basic_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    (void)args;
    (void)kwds;
    return PyErr_Format(PyExc_TypeError, "%.200s objects come from smtpcodes.lookup()",
                        type->tp_name);
}

PyObject *smtpc_py_basic_code(PyObject *self, PyObject *args)
{
    PyTypeObject *type;
    PyObject *facts, *int_args, *obj, **fields;
    long number;
    size_t i;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!lO!:basic_code", &PyType_Type, &type, &number,
                          &PyDict_Type, &facts))
        return NULL;
    if (!PyType_IsSubtype(type, &smtpc_py_basic_type))
        return PyErr_Format(PyExc_TypeError, "basic_code: %.200s is no BasicBase",
                            type->tp_name);
    if (number < 0 || number > SMTPC_PY_BASIC_MAX)
        return PyErr_Format(PyExc_ValueError, "basic_code: %ld is no reply code", number);
    /* int's own constructor, given the subtype, allocates it and copies the digits. */
    if ((int_args = Py_BuildValue("(l)", number)) == NULL)
        return NULL;
    obj = PyLong_Type.tp_new(type, int_args, NULL);
    Py_DECREF(int_args);
    if (obj == NULL)
        return NULL;
    fields = smtpc_py_basic_fields(obj);
    for (i = 0; i < SMTPC_PY_BASIC_FIELDS; i++) {
        PyObject *value = PyDict_GetItemWithError(facts, smtpc_py_basic_keys[i]);
        if (value == NULL) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_KeyError, "basic_code: no fact %s", smtpc_py_basic_names[i]);
            Py_DECREF(obj);
            return NULL;
        }
        Py_INCREF(value);
        fields[i] = value;
    }
    return obj;
}

int smtpc_py_lookup_init(PyObject *module)
{
    const Py_ssize_t align = (Py_ssize_t)sizeof(PyObject *);
    size_t i;
    if (!(smtpc_py_basic_type.tp_flags & Py_TPFLAGS_READY)) {
        smtpc_py_basic_offset =
            (PyLong_Type.tp_basicsize + PyLong_Type.tp_itemsize + align - 1) / align * align;
        for (i = 0; i < SMTPC_PY_BASIC_FIELDS; i++) {
            PyMemberDef *m = &smtpc_py_basic_members[i];
            m->name = smtpc_py_basic_names[i];
            m->type = T_OBJECT_EX;
            m->offset = smtpc_py_basic_offset + (Py_ssize_t)i * align;
            m->flags = READONLY;
            if (smtpc_py_basic_keys[i] == NULL &&
                (smtpc_py_basic_keys[i] = PyUnicode_InternFromString(m->name)) == NULL)
                return -1;
        }
        smtpc_py_basic_type.tp_base = &PyLong_Type;
        smtpc_py_basic_type.tp_basicsize =
            smtpc_py_basic_offset + (Py_ssize_t)SMTPC_PY_BASIC_FIELDS * align;
        smtpc_py_basic_type.tp_itemsize = PyLong_Type.tp_itemsize;
        smtpc_py_basic_type.tp_dealloc = smtpc_py_basic_dealloc;
        smtpc_py_basic_type.tp_new = smtpc_py_basic_new;
        /* No garbage collection, as for int: the fields are strs, ints, tuples of them, None,
         * booleans and the database's Source, none of which refers back to a code. */
        smtpc_py_basic_type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
        smtpc_py_basic_type.tp_doc = "The C part of smtpcodes.BasicCode: an int whose facts "
                                     "are read-only slots.";
        smtpc_py_basic_type.tp_members = smtpc_py_basic_members;
        if (PyType_Ready(&smtpc_py_basic_type) < 0)
            return -1;
    }
    Py_INCREF(&smtpc_py_basic_type);
    if (PyModule_AddObject(module, "BasicBase", (PyObject *)&smtpc_py_basic_type) < 0) {
        Py_DECREF(&smtpc_py_basic_type);
        return -1;
    }
    return 0;
}

/* `s` split at every `sep` (a tuple of str; () for ""). */
static PyObject *smtpc_py_split(const char *s, const char *sep)
{
    PyObject *list = PyList_New(0), *tuple;
    size_t seplen = strlen(sep);
    if (list == NULL)
        return NULL;
    while (*s != '\0') {
        const char *end = strstr(s, sep);
        size_t n = end != NULL ? (size_t)(end - s) : strlen(s);
        if (n > 0) {
            PyObject *item = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
            if (item == NULL || PyList_Append(list, item) < 0) {
                Py_XDECREF(item);
                Py_DECREF(list);
                return NULL;
            }
            Py_DECREF(item);
        }
        s += n;
        if (end != NULL)
            s += seplen;
    }
    tuple = PyList_AsTuple(list);
    Py_DECREF(list);
    return tuple;
}

/* "4 5" as (4, 5). */
static PyObject *smtpc_py_classes(const char *s)
{
    PyObject *list = PyList_New(0), *tuple;
    if (list == NULL)
        return NULL;
    for (; *s != '\0'; s++) {
        if (*s >= '0' && *s <= '9') {
            PyObject *n = PyLong_FromLong(*s - '0');
            if (n == NULL || PyList_Append(list, n) < 0) {
                Py_XDECREF(n);
                Py_DECREF(list);
                return NULL;
            }
            Py_DECREF(n);
        }
    }
    tuple = PyList_AsTuple(list);
    Py_DECREF(list);
    return tuple;
}

/* The name of `value` in enumeration `which`, or None when it has none. */
static PyObject *smtpc_py_enum_str(int which, int value)
{
    const char *name = smtpc_enum_name(which, value);
    if (name[0] == '\0')
        Py_RETURN_NONE;
    return smtpc_py_static_str(name);
}

/* `facts` (taken over) with interned keys, so that the facts read as attributes of a Code
 * are found by identity, as attribute names are. */
static PyObject *smtpc_py_interned(PyObject *facts)
{
    PyObject *out, *key, *value;
    Py_ssize_t pos = 0;
    if (facts == NULL || (out = PyDict_New()) == NULL) {
        Py_XDECREF(facts);
        return NULL;
    }
    while (PyDict_Next(facts, &pos, &key, &value)) {
        int rc;
        Py_INCREF(key);
        PyUnicode_InternInPlace(&key);
        rc = PyDict_SetItem(out, key, value);
        Py_DECREF(key);
        if (rc < 0) {
            Py_DECREF(out);
            Py_DECREF(facts);
            return NULL;
        }
    }
    Py_DECREF(facts);
    return out;
}

PyObject *smtpc_py_code_facts(const smtpc_db *db, const smtpc_entry *entry, const char *s,
                              size_t len)
{
    smtpc_code code;
    smtpc_error err;
    char text[SMTPC_CODE_TEXT_SIZE];
    if (db == NULL || entry == NULL)
        return PyErr_Format(PyExc_TypeError, "code_facts: no database or entry");
    memset(&err, 0, sizeof err);
    if (smtpc_code_parse(&code, s, len, &err) != 0) {
        smtpc_py_raise(&err);
        return NULL;
    }
    if (smtpc_code_format(text, &code) != 0) {
        smtpc_py_raise_status(SMTPC_EINVAL);
        return NULL;
    }
    return smtpc_py_interned(Py_BuildValue(
        "{s:s,s:s,s:N,s:i,s:i,s:i,s:N,s:s,s:s,s:s,s:N,s:s,s:N,s:N,s:s,s:s,s:s,s:N,s:N,s:N,s:N,"
        "s:N,s:s,s:s,s:s,s:s,s:N,s:z}",
        "code", text,
        "entry", entry->code,
        "kind", smtpc_py_enum_str(SMTPC_ENUM_KIND, code.kind),
        "klass", code.klass,
        "category", code.category,
        "detail", code.detail,
        "conforming", PyBool_FromLong(code.conforming),
        "class_name", smtpc_class_name(db, &code),
        "category_name", smtpc_category_name(db, &code),
        "name", entry->name,
        "aliases", smtpc_py_split(entry->aliases, "; "),
        "slug", entry->slug,
        "classes", smtpc_py_classes(entry->classes),
        "origin", smtpc_py_enum_str(SMTPC_ENUM_ORIGIN, entry->origin),
        "description", entry->description,
        "when", entry->when,
        "fix", entry->fix,
        "references", smtpc_py_split(entry->references, "; "),
        "retry", smtpc_py_enum_str(SMTPC_ENUM_RETRY, smtpc_entry_retry(entry, code.klass)),
        "connection", smtpc_py_enum_str(SMTPC_ENUM_CONNECTION, entry->connection),
        "commands", smtpc_py_split(entry->commands, " "),
        "enhanced", smtpc_py_split(entry->enhanced, " "),
        "sample", entry->sample,
        "associated", entry->associated,
        "see", entry->see,
        "note", entry->note,
        "exceptions", smtpc_py_split(entry->exceptions, "\n"),
        "provider", entry->provider[0] != '\0' ? entry->provider : NULL));
}

PyObject *smtpc_py_provider_facts(const smtpc_provider *provider)
{
    if (provider == NULL)
        return PyErr_Format(PyExc_TypeError, "provider_facts: no provider");
    return Py_BuildValue("{s:s,s:s,s:N,s:s,s:N}", "slug", provider->slug, "name", provider->name,
                         "hosts", smtpc_py_split(provider->hosts, " "), "description",
                         provider->description, "references",
                         smtpc_py_split(provider->references, "; "));
}

PyObject *smtpc_py_provider_meanings(const smtpc_db *db, const char *s, size_t len)
{
    const smtpc_entry *found[16], **entries = found;
    size_t n = smtpc_provider_meanings(found, 16, db, s, len), i;
    PyObject *slugs;
    if (n > 16) {
        /* more providers than the array holds: ask again with room for all */
        if ((entries = PyMem_New(const smtpc_entry *, n)) == NULL)
            return PyErr_NoMemory();
        n = smtpc_provider_meanings(entries, n, db, s, len);
    }
    if ((slugs = PyTuple_New((Py_ssize_t)n)) != NULL) {
        for (i = 0; i < n; i++) {
            PyObject *slug = PyUnicode_FromString(entries[i]->provider);
            if (slug == NULL) {
                Py_CLEAR(slugs);
                break;
            }
            PyTuple_SET_ITEM(slugs, (Py_ssize_t)i, slug);
        }
    }
    if (entries != found)
        PyMem_Free(entries);
    return slugs;
}
