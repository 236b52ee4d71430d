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
