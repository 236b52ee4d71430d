/*
 * smtpcodes_lua.h - the hand-written C of the Lua binding (smtpcodes_lua.c), which the SWIG
 * wrapper generated from bindings/smtpcodes.i and bindings/lua/lua.swg calls.
 *
 * SWIG wraps the plain functions of smtpcodes.h; this file adds what a thin wrapper cannot do
 * well: handles that the collector frees, and the functions bound to one database (bind())
 * that hand out read-only entry tables and build reply tables in one call.
 */
#ifndef SMTPCODES_LUA_H
#define SMTPCODES_LUA_H

#include <lua.h>
#include <lauxlib.h>

#include "smtpcodes.h"

/* Registry names of the metatables of the module's userdata. */
#define SMTPC_LUA_DB "smtpcodes.db"
#define SMTPC_LUA_COMPARISON "smtpcodes.comparison"
#define SMTPC_LUA_TEXT "smtpcodes.text"
#define SMTPC_LUA_SCANNER "smtpcodes.scanner"
#define SMTPC_LUA_SCAN_STATE "smtpcodes.scan_state"
#define SMTPC_LUA_STREAM "smtpcodes.stream"
#define SMTPC_LUA_REPLY_HOLD "smtpcodes.reply_hold"
/* Registry table (weak keys) from each comparison, scanner or stream to its database. */
#define SMTPC_LUA_ANCHORS "smtpcodes.anchors"

/* The largest size every supported Lua holds exactly (LuaJIT numbers are doubles). */
#define SMTPC_LUA_MAX_INTEGER ((lua_Integer)1 << 52)

/* Registers the metatables and the anchor table; called once by luaopen_smtpcodes_core. */
void smtpc_lua_init(lua_State *L);

/* Reads the number at `idx` as an integer in [lo, hi]; strings and fractions are refused. */
int smtpc_lua_tointeger(lua_State *L, int idx, lua_Integer lo, lua_Integer hi,
                        lua_Integer *out);

/* Pushes "Error in FUNCTION (arg N), expected 'TYPE' got 'ACTUAL'" (SWIG's wording). */
void smtpc_lua_push_arg_error(lua_State *L, const char *function, int arg, const char *expected);

/* A userdata holding one pointer, NULL until a C call fills it, with metatable `metatable`. */
void *smtpc_lua_new_box(lua_State *L, const char *metatable);

/* The pointer in the box at `idx` if it is a live box of `metatable`, else NULL. */
void *smtpc_lua_check_box(lua_State *L, int idx, const char *metatable);

/* anchors[value at `owner`] = value at `target`: keeps `target` alive as long as `owner`. */
void smtpc_lua_anchor(lua_State *L, int owner, int target);

/* Pushes nil, the formatted error and the status; returns 3. */
int smtpc_lua_push_failure(lua_State *L, int status, const smtpc_error *err);

/* Frees the scanner in `box` at once; the box is then empty. */
void smtpc_lua_scanner_free(smtpc_scanner **box);

/*
 * bind(db): a table of C functions bound to the database box `db`, sharing its caches:
 *   lookup(text)                  entry | nil, message, status
 *   closest(text)                 entry, exact | nil, message, status
 *   entries()                     every entry, in code order (a new list)
 *   languages()                   the language tags (a new list)
 *   parse(text, flags [, command [, host]])   reply, consumed | nil, message, status, needed
 *   classify(code [, enhanced [, command [, text [, host]]]])   verdict | nil, message, status
 *   parse_front(parse_reply)      the C function for the facade's parse_reply: answers
 *                                 parse_reply(text), hands every other call to the given one
 *   stream(flags [, command])     a stream | nil, message, status
 *   feed(stream, data [, host]) / finish(stream [, host])   replies | nil, message, status,
 *                                 replies
 *   stream_counts(stream)         line, skipped, errors, needed, buffered
 *   scanner()                     a scanner box
 *   summary(scanner)              {lines, replies, skipped, rows}, and its saved form
 *   load_summary(text)            a scanner box with a saved summary | nil, message, status
 *   merge(into, from)             true | nil, message, status (smtpc_scanner_merge())
 *   bounce(text)                  records | nil, message, status
 *   providers()                   every provider {slug, name, hosts, description, references}
 *   provider_of(host) / provider(slug)   a provider | nil
 *   meaning(text [, slug])        the entry as provider `slug` means it | nil, message, status
 *   provider_meanings(text)       the providers' own entries of the code (a list)
 *   reason(code, enhanced, command, text, slug)   {reason, hard, rule, evidence} | nil,
 *                                 message, status
 * Entries are read-only tables (see smtpcodes_lua.c).
 */
int smtpc_lua_bind(lua_State *L);

/* to_table(result): a plain, writable copy of a read-only result; any other table as is. */
int smtpc_lua_to_table(lua_State *L);

#endif
