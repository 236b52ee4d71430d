/*
 * smtpcodes.i - the one SWIG interface of libsmtpcodes, for Python and Lua.
 *
 * The wrapper stays thin: it exposes the C API of core/include/smtpcodes.h and turns its
 * status codes into each language's errors. The idioms (objects, tables, caching) live in the
 * facades, python/smtpcodes/ and lua/smtpcodes.lua. Per-language typemaps are kept in
 * bindings/python/python.swg and bindings/lua/lua.swg.
 *
 * The generated module is "smtpcodes_core" in both languages; the facades that users import
 * are named "smtpcodes".
 *
 * Order matters: the per-language files come first, so that the typemaps they define for
 * SWIG's generic patterns (such as (const char *STRING, size_t LENGTH)) exist when the common
 * part below applies them, and so that their %ignore, %rename and %extend directives are seen
 * before the header is read.
 */
%module smtpcodes_core

%{
#include "smtpcodes.h"
%}

#ifdef SWIGPYTHON
%include "python/python.swg"
#endif

#ifdef SWIGLUA
%include "lua/lua.swg"
#endif

/* ---- common to every language ---- */

/* Text input is (pointer, length) throughout the C API (smtpcodes.h, "Conventions"): one
 * argument on the scripting side, embedded NULs included. */
%apply (const char *STRING, size_t LENGTH) {
    (const char *s, size_t len),
    (const char *data, size_t len),
    (const char *tag, size_t len),
    (const char *name, size_t len),
    (const char *ref, size_t len),
    (const char *a, size_t a_len),
    (const char *b, size_t b_len),
    (const char *lang, size_t lang_len),
    (const char *command, size_t command_len),
    (const char *enhanced, size_t enhanced_len),
    (const char *text, size_t text_len),
    (const char *host, size_t len),
    (const char *host, size_t host_len)
};

/* The enum smtpc_label shares its name with the function smtpc_label(); only the function
 * needs the name on the scripting side (the enum's constants keep theirs). */
%rename(smtpc_label_id, %$isenum) smtpc_label;

/* The database and the entries it hands out are read-only. */
%immutable;
%include "smtpcodes.h"
%mutable;
