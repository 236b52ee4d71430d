/*
 * smtpc_py.h - the hand-written C part of the Python extension, shared by its files and by
 * the SWIG wrapper (python.swg includes this header and registers the functions below).
 *
 * Every function that can fail returns NULL (or -1) with a Python exception set; a status of
 * the core never reaches Python as a number.
 */
#ifndef SMTPC_PY_H
#define SMTPC_PY_H

#ifndef PY_SSIZE_T_CLEAN
#define PY_SSIZE_T_CLEAN
#endif
#include <Python.h>

#include "smtpcodes.h"

/* ---- module.c: errors, names, module set-up ---- */

/* smtpcodes._core.Error: args are (status, text, source, line, column). */
extern PyObject *smtpc_py_error;

/* Raises smtpc_py_error from a filled smtpc_error. */
void smtpc_py_raise(const smtpc_error *err);

/* Raises smtpc_py_error for a bare status (functions without an smtpc_error). */
void smtpc_py_raise_status(int status);

/* An interned str for one of the core's static strings, made once; a new reference. */
PyObject *smtpc_py_static_str(const char *text);

/* The frozenset of the names of `bits` in a bit-set enumeration (SMTPC_ENUM_WARNING,
 * SMTPC_ENUM_VERDICT_FLAG), made once per set; a new reference. */
PyObject *smtpc_py_name_set(int which, int bits);

/* The reason of a failure as a str, None for "" (a success); a new reference. */
PyObject *smtpc_py_reason(const char *reason);

/* A verdict as the tuple (action, rule, explanation, flags, reason); a new reference. */
PyObject *smtpc_py_verdict_tuple(const smtpc_verdict *v);

/* A decided reason as the tuple (name, hard, rule, evidence): hard True, False or None (no
 * failure), the evidence a str (its bytes decoded as UTF-8, U+FFFD for what is not); a new
 * reference. */
PyObject *smtpc_py_reason_tuple(const smtpc_reason *r);

/* Runs at module initialisation (python.swg's %init); 0, or -1 with an exception set. */
int smtpc_py_module_init(PyObject *module);

/* ---- lookup.c: codes ---- */

/* bind_lookup(index, module_name): the facade's lookup function in C. */
PyObject *smtpc_py_bind_lookup(PyObject *self, PyObject *args);

/* basic_code(type, number, facts): a new object of `type` (BasicCode, a subclass of the type
 * BasicBase that smtpc_py_lookup_init() adds) with int value `number` and its attributes from
 * the dict `facts`. */
PyObject *smtpc_py_basic_code(PyObject *self, PyObject *args);

/* Adds the type BasicBase to the module; 0, or -1 with an exception set. */
int smtpc_py_lookup_init(PyObject *module);

/* The facts of the code `s` as written, whose entry is `entry`, as a dict: the entry's own
 * facts with lists as tuples and enumerations as their names, plus the code's text, kind,
 * class, category, detail, conformance, class and category names and retry as written, and
 * the slug of the entry's provider (None for a standard entry). */
PyObject *smtpc_py_code_facts(const smtpc_db *db, const smtpc_entry *entry, const char *s,
                              size_t len);

/* The facts of `provider` as a dict: slug, name, hosts (a tuple), description, references (a
 * tuple). */
PyObject *smtpc_py_provider_facts(const smtpc_provider *provider);

/* The slugs of the providers that give the code `s` a meaning of their own
 * (smtpc_provider_meanings()), a tuple in the order of their slugs. */
PyObject *smtpc_py_provider_meanings(const smtpc_db *db, const char *s, size_t len);

/* ---- reply.c: replies and streams ---- */

/* The context of a database's reply functions: the database, the facade's index of it (which
 * keeps it alive), its Reply class and the exceptions ReplyError, IncompleteReplyError and
 * UnknownCommandError. */
PyObject *smtpc_py_reply_context(const smtpc_db *db, PyObject *index, PyObject *reply_type,
                                 PyObject *error, PyObject *incomplete,
                                 PyObject *command_error);

/* bind_parse_reply(context, module_name): the facade's parse_reply in C. */
PyObject *smtpc_py_bind_parse_reply(PyObject *self, PyObject *args);

/* reply_stream(context, flags, command[, host]): a stream of replies (smtpc_reply_stream_*),
 * classified as replies of `host` (a str or None). */
PyObject *smtpc_py_reply_stream(PyObject *self, PyObject *args);

/* Adds the types of reply.c to the module; 0, or -1 with an exception set. */
int smtpc_py_reply_init(PyObject *module);

/* ---- bounce.c: bounce messages ---- */

/* The records of the message `s` (`len` bytes) as the JSON array of the schema's "bounce"
 * document (a str); NULL with the core's error raised. */
PyObject *smtpc_py_bounce_json(const smtpc_db *db, const char *s, size_t len);

#endif /* SMTPC_PY_H */
