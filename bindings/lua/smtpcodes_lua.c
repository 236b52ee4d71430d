/*
 * smtpcodes_lua.c - the hand-written C of the Lua binding: handles freed by the collector, and
 * the functions bound to one database that build Lua tables in one call.
 *
 * Results are marshalled here, never decided: every rule (names, retry of a code as written,
 * classification, stream cutting, error positions) is the core's, through smtpcodes.h.
 *
 * Entries are read-only: an entry is an empty proxy table whose metatable has the fields table
 * as __index and raises on __newindex, so that reading `e.name` costs two table probes and no
 * call, and no caller can change what the next one reads. The list fields (classes,
 * references, commands, enhanced, aliases, exceptions) live in the fields table's own
 * metatable and are handed out as new tables on each read, so that `#` and ipairs work on every Lua, LuaJIT included, and a
 * list a caller changes is its own. __pairs walks the fields and the lists (Lua 5.2 and later;
 * LuaJIT ignores __pairs: to_table() gives a plain copy everywhere).
 *
 * Each entry is built once per database and per class it is written with ("4.7.1" is the
 * entry X.7.1 with class 4, retried later; "X.7.1" has class 0), in a cache keyed by the
 * entry's address plus the class digit.
 */
#include "smtpcodes_lua.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if LUA_VERSION_NUM < 502
#define lua_rawlen(L, i) lua_objlen(L, i)
#endif

/* ---- compatibility and small helpers --------------------------------------------------- */

/* Pushes t[p] for the table at `idx` (an absolute or pseudo index) and the light userdata key
 * p; returns whether it is nil. (Lua 5.3 gives the type from the one API call.) */
static int smtpc_rawgetp(lua_State *L, int idx, const void *p)
{
#if LUA_VERSION_NUM >= 503
    return lua_rawgetp(L, idx, p) == LUA_TNIL;
#else
    lua_pushlightuserdata(L, (void *)(size_t)p);
    lua_rawget(L, idx);
    return lua_isnil(L, -1);
#endif
}

/* Pushes t[n], as smtpc_rawgetp. */
static int smtpc_rawgeti(lua_State *L, int idx, int n)
{
#if LUA_VERSION_NUM >= 503
    return lua_rawgeti(L, idx, n) == LUA_TNIL;
#else
    lua_rawgeti(L, idx, n);
    return lua_isnil(L, -1);
#endif
}

/* t[p] = the value on top (popped), as smtpc_rawgetp. */
static void smtpc_rawsetp(lua_State *L, int idx, const void *p)
{
    lua_pushlightuserdata(L, (void *)(size_t)p);
    lua_insert(L, -2);
    lua_rawset(L, idx);
}

int smtpc_lua_tointeger(lua_State *L, int idx, lua_Integer lo, lua_Integer hi,
                        lua_Integer *out)
{
    lua_Integer value;
    if (lua_type(L, idx) != LUA_TNUMBER)
        return 0;
#if LUA_VERSION_NUM >= 503
    {
        int is_integer;
        value = lua_tointegerx(L, idx, &is_integer);
        if (!is_integer)
            return 0;
    }
#else
    {
        /* Lua 5.1 and LuaJIT have only floats: the value must be integral and in range
         * before the conversion, which is undefined otherwise. NaN fails both tests. */
        lua_Number n = lua_tonumber(L, idx);
        if (n != floor(n) || !(n >= (lua_Number)lo && n <= (lua_Number)hi))
            return 0;
        value = (lua_Integer)n;
    }
#endif
    if (value < lo || value > hi)
        return 0;
    *out = value;
    return 1;
}

void smtpc_lua_push_arg_error(lua_State *L, const char *function, int arg, const char *expected)
{
    lua_pushfstring(L, "Error in %s (arg %d), expected '%s' got '%s'", function, arg, expected,
                    luaL_typename(L, arg));
}

/* Raises SWIG's argument error from a bound function. */
static int smtpc_lua_arg_error(lua_State *L, const char *function, int arg, const char *expected)
{
    smtpc_lua_push_arg_error(L, function, arg, expected);
    return lua_error(L);
}

static int smtpc_lua_check_int(lua_State *L, int idx, const char *function)
{
    lua_Integer value = 0;
    if (!smtpc_lua_tointeger(L, idx, 0, 0x7fffffff, &value))
        smtpc_lua_arg_error(L, function, idx, "integer");
    return (int)value;
}

/* The string at `idx` (its length in *len), or NULL and 0 for nil or none when `optional`. */
static const char *smtpc_lua_check_text(lua_State *L, int idx, size_t *len, int optional,
                                        const char *function)
{
    if (optional && lua_isnoneornil(L, idx)) {
        *len = 0;
        return NULL;
    }
    if (lua_type(L, idx) != LUA_TSTRING)
        smtpc_lua_arg_error(L, function, idx, optional ? "string or nil" : "string");
    return lua_tolstring(L, idx, len);
}

void *smtpc_lua_new_box(lua_State *L, const char *metatable)
{
    void **box = (void **)lua_newuserdata(L, sizeof *box);
    *box = NULL;
    luaL_getmetatable(L, metatable);
    lua_setmetatable(L, -2);
    return box;
}

void *smtpc_lua_check_box(lua_State *L, int idx, const char *metatable)
{
    void **box = (void **)luaL_testudata(L, idx, metatable);
    return box != NULL ? *box : NULL;
}

void smtpc_lua_anchor(lua_State *L, int owner, int target)
{
    lua_getfield(L, LUA_REGISTRYINDEX, SMTPC_LUA_ANCHORS);
    lua_pushvalue(L, owner);
    lua_pushvalue(L, target);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

int smtpc_lua_push_failure(lua_State *L, int status, const smtpc_error *err)
{
    char message[SMTPC_ERROR_SOURCE_SIZE + SMTPC_ERROR_TEXT_SIZE + 48];
    if (err->status == status)
        smtpc_error_format(message, sizeof message, err);
    else
        snprintf(message, sizeof message, "%s", smtpc_strerror(status));
    lua_pushnil(L);
    lua_pushstring(L, message);
    lua_pushinteger(L, (lua_Integer)status);
    return 3;
}

/* Raises "smtpcodes: out of memory" (or the status's name): what no caller can handle. */
static int smtpc_lua_raise(lua_State *L, int status)
{
    return luaL_error(L, "smtpcodes: %s", smtpc_strerror(status));
}

void smtpc_lua_scanner_free(smtpc_scanner **box)
{
    smtpc_scanner_free(*box);
    *box = NULL;
}

/* ---- collectors ------------------------------------------------------------------------ */

static int smtpc_lua_db_gc(lua_State *L)
{
    const smtpc_db **box = (const smtpc_db **)lua_touserdata(L, 1);
    smtpc_db_free(*box);
    *box = NULL;
    return 0;
}

static int smtpc_lua_comparison_gc(lua_State *L)
{
    smtpc_comparison **box = (smtpc_comparison **)lua_touserdata(L, 1);
    smtpc_comparison_free(*box);
    *box = NULL;
    return 0;
}

static int smtpc_lua_text_gc(lua_State *L)
{
    char **box = (char **)lua_touserdata(L, 1);
    smtpc_free(*box);
    *box = NULL;
    return 0;
}

static int smtpc_lua_scanner_gc(lua_State *L)
{
    smtpc_lua_scanner_free((smtpc_scanner **)lua_touserdata(L, 1));
    return 0;
}

static int smtpc_lua_scan_state_gc(lua_State *L)
{
    smtpc_scan_state **box = (smtpc_scan_state **)lua_touserdata(L, 1);
    smtpc_scan_state_free(*box);
    *box = NULL;
    return 0;
}

/* The userdata is a struct whose first member is the reply (smtpc_lua_hold, below). */
static int smtpc_lua_reply_gc(lua_State *L)
{
    smtpc_reply **box = (smtpc_reply **)lua_touserdata(L, 1);
    smtpc_reply_free(*box);
    *box = NULL;
    return 0;
}

/* A stream: the core's reader and what the binding adds to it. */
typedef struct smtpc_lua_stream {
    smtpc_reply_stream *stream;
    int flags;
    const char *command; /* canonical (static), or NULL */
    int state;           /* SMTPC_LUA_OPEN, _CLOSED (finish() is reading), _DONE */
} smtpc_lua_stream;

enum { SMTPC_LUA_OPEN = 0, SMTPC_LUA_CLOSED = 1, SMTPC_LUA_DONE = 2 };

static int smtpc_lua_stream_gc(lua_State *L)
{
    smtpc_lua_stream *s = (smtpc_lua_stream *)lua_touserdata(L, 1);
    smtpc_reply_stream_free(s->stream);
    s->stream = NULL;
    return 0;
}

static void smtpc_lua_register_box(lua_State *L, const char *metatable, lua_CFunction gc)
{
    luaL_newmetatable(L, metatable);
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
    /* Scripts can neither read nor replace the metatable (and so cannot free twice). */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}

void smtpc_lua_init(lua_State *L)
{
    smtpc_lua_register_box(L, SMTPC_LUA_DB, smtpc_lua_db_gc);
    smtpc_lua_register_box(L, SMTPC_LUA_COMPARISON, smtpc_lua_comparison_gc);
    smtpc_lua_register_box(L, SMTPC_LUA_TEXT, smtpc_lua_text_gc);
    smtpc_lua_register_box(L, SMTPC_LUA_SCANNER, smtpc_lua_scanner_gc);
    smtpc_lua_register_box(L, SMTPC_LUA_SCAN_STATE, smtpc_lua_scan_state_gc);
    smtpc_lua_register_box(L, SMTPC_LUA_STREAM, smtpc_lua_stream_gc);
    smtpc_lua_register_box(L, SMTPC_LUA_REPLY_HOLD, smtpc_lua_reply_gc);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, SMTPC_LUA_ANCHORS);
}

/* ---- read-only results ----------------------------------------------------------------- */

static int smtpc_lua_readonly(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "smtpcodes results are read-only (cannot set field '%s'; "
                             "smtpcodes.to_table gives a copy)", lua_tostring(L, 2));
    return luaL_error(L, "smtpcodes results are read-only (smtpcodes.to_table gives a copy)");
}

/* True when the table at `idx` is a read-only result. */
static int smtpc_lua_is_readonly(lua_State *L, int idx)
{
    int yes = 0;
    if (lua_type(L, idx) == LUA_TTABLE && lua_getmetatable(L, idx)) {
        lua_pushliteral(L, "__newindex");
        lua_rawget(L, -2);
        yes = lua_tocfunction(L, -1) == smtpc_lua_readonly;
        lua_pop(L, 2);
    }
    return yes;
}

/* Pushes a new table with the items of the list at `idx`. */
static void smtpc_lua_copy_list(lua_State *L, int idx)
{
    int n = (int)lua_rawlen(L, idx);
    int i;
    lua_createtable(L, n, 0);
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        lua_rawseti(L, -2, i);
    }
}

/* __index of a fields table: a list field, as a new table (see the top of this file). */
static int smtpc_lua_list_field(lua_State *L)
{
    if (!lua_getmetatable(L, 1))
        return 0;
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    if (lua_type(L, -1) != LUA_TTABLE)
        return 0;
    smtpc_lua_copy_list(L, lua_gettop(L));
    return 1;
}

/* The iterator of __pairs: the fields, then the lists (as copies). Stack: proxy, key. */
static int smtpc_lua_next(lua_State *L)
{
    int fields, lists = 0;
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (!lua_getmetatable(L, 1))
        return 0;
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2);
    if (lua_type(L, -1) != LUA_TTABLE)
        return 0;
    fields = lua_gettop(L);
    if (lua_getmetatable(L, fields))
        lists = lua_gettop(L);
    /* A key of the fields table goes on with it; the last one, or a list key, goes on with
     * the lists. */
    lua_pushvalue(L, 2);
    lua_rawget(L, fields);
    if (lua_isnil(L, 2) || !lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushvalue(L, 2);
        if (lua_next(L, fields))
            return 2;
        lua_pushnil(L);
    } else {
        lua_pop(L, 1);
        lua_pushvalue(L, 2);
    }
    if (!lists) {
        lua_pop(L, 1);
        return 0;
    }
    while (lua_next(L, lists)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            smtpc_lua_copy_list(L, lua_gettop(L));
            lua_remove(L, -2);
            return 2;
        }
        lua_pop(L, 1);
    }
    return 0;
}

static int smtpc_lua_pairs(lua_State *L)
{
    lua_pushcfunction(L, smtpc_lua_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int smtpc_lua_reply_copy(lua_State *L, int idx);

int smtpc_lua_to_table(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (smtpc_lua_reply_copy(L, 1))
        return 1;
    if (!smtpc_lua_is_readonly(L, 1)) {
        lua_settop(L, 1);
        return 1;
    }
    lua_settop(L, 1);
    lua_newtable(L);      /* 2: the copy */
    lua_pushnil(L);       /* 3: the key */
    for (;;) {
        lua_pushcfunction(L, smtpc_lua_next);
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 3);
        lua_call(L, 2, 2);
        if (lua_isnil(L, -2)) {
            lua_pop(L, 2);
            break;
        }
        lua_pushvalue(L, -2);
        lua_pushvalue(L, -2);
        lua_rawset(L, 2);
        lua_pop(L, 1);
        lua_replace(L, 3);
    }
    lua_pop(L, 1);
    return 1;
}

/* Makes the table on top of the stack read-only: it becomes the __index of an empty proxy,
 * which replaces it on the stack. */
static void smtpc_lua_seal(lua_State *L)
{
    int fields = lua_gettop(L);
    lua_newtable(L);
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, fields);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, smtpc_lua_readonly);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, smtpc_lua_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, fields);
}

/* ---- bound functions: upvalues --------------------------------------------------------- */

/* The keys of reply and verdict tables, pushed from upvalues: no string is hashed per reply. */
enum {
    K_CODE, K_CLASS, K_ENHANCED, K_LINES, K_TEXT, K_WARNINGS, K_COMMAND, K_ENTRY,
    K_ENHANCED_ENTRY, K_ACTION, K_RULE, K_EXPLANATION, K_FLAGS, K_REASON, K_HOST, K_COUNT
};
static const char *const smtpc_lua_keys[K_COUNT] = {
    "code", "class", "enhanced", "lines", "text", "warnings", "command", "entry",
    "enhanced_entry", "action", "rule", "explanation", "flags", "reason", "host"
};

#define UV_DB lua_upvalueindex(1)       /* the database box */
#define UV_ENTRIES lua_upvalueindex(2)  /* entries by address + class; by reply code */
#define UV_STRINGS lua_upvalueindex(3)  /* static strings by address; actions by value + 1 */
#define UV_HOLD lua_upvalueindex(4)     /* the smtpc_lua_hold of the reply functions */
#define UV_EMPTY lua_upvalueindex(5)    /* the shared empty list, read-only */
#define UV_ENHANCED lua_upvalueindex(6) /* enhanced entries by code as sent (see below) */
#define UV_META lua_upvalueindex(7)     /* metatables of replies by verdict (see below) */
#define UV_VERDICTS lua_upvalueindex(8) /* those metatables by reply code and enhanced code */
#define UV_KEY(k) lua_upvalueindex(9 + (k))
#define UV_COUNT (8 + K_COUNT)

/* How many enhanced codes as sent UV_ENHANCED keeps: every registered one and then some, but
 * not all the millions a hostile stream could send. */
#define SMTPC_LUA_ENHANCED_KEPT 512

/* The userdata of UV_HOLD: the reply being converted, which the collector frees should Lua
 * raise, and the number of codes in UV_ENHANCED. */
typedef struct smtpc_lua_hold {
    smtpc_reply *reply;
    int enhanced_kept;
    int verdicts_kept;
} smtpc_lua_hold;

static const smtpc_db *smtpc_lua_db(lua_State *L)
{
    return *(const smtpc_db **)lua_touserdata(L, UV_DB);
}

/* Pushes a static string of the core, made a Lua string once per database binding. */
static void smtpc_lua_push_static(lua_State *L, const char *text)
{
    if (smtpc_rawgetp(L, UV_STRINGS, text)) {
        lua_pop(L, 1);
        lua_pushstring(L, text);
        lua_pushvalue(L, -1);
        smtpc_rawsetp(L, UV_STRINGS, text);
    }
}

/* Pushes the name of action `action`, kept by value in UV_STRINGS: one index of its array. */
static void smtpc_lua_push_action(lua_State *L, int action)
{
    if (smtpc_rawgeti(L, UV_STRINGS, action + 1)) {
        lua_pop(L, 1);
        smtpc_lua_push_static(L, smtpc_enum_name(SMTPC_ENUM_ACTION, action));
        lua_pushvalue(L, -1);
        lua_rawseti(L, UV_STRINGS, action + 1);
    }
}

/* Pushes key k; the caller pushes the value and calls lua_rawset. */
#define smtpc_lua_key(L, k) lua_pushvalue(L, UV_KEY(k))

/* Pushes the list of the names of the bits of `bits` in enumeration `which`, lowest first;
 * the shared empty read-only list when no bit is set. */
static void smtpc_lua_push_bit_names(lua_State *L, int which, int bits)
{
    size_t i, count;
    int n = 0;
    if (bits == 0) {
        lua_pushvalue(L, UV_EMPTY);
        return;
    }
    lua_createtable(L, 2, 0);
    count = smtpc_enum_count(which);
    for (i = 0; i < count; i++) {
        int value;
        const char *name;
        if (smtpc_enum_at(&value, &name, which, i) == 0 && (bits & value) != 0) {
            smtpc_lua_push_static(L, name);
            lua_rawseti(L, -2, ++n);
        }
    }
}

static void smtpc_lua_setfield_string(lua_State *L, const char *key, const char *value)
{
    if (value[0] != '\0') {
        lua_pushstring(L, value);
        lua_setfield(L, -2, key);
    }
}

static void smtpc_lua_setfield_integer(lua_State *L, const char *key, int value)
{
    lua_pushinteger(L, (lua_Integer)value);
    lua_setfield(L, -2, key);
}

/* Sets list `key` of the table on top: the parts of `s` between `separator`s. */
static void smtpc_lua_setfield_list(lua_State *L, const char *key, const char *s,
                                    const char *separator)
{
    size_t step = strlen(separator);
    int n = 0;
    lua_newtable(L);
    while (s[0] != '\0') {
        const char *end = strstr(s, separator);
        size_t len = end != NULL ? (size_t)(end - s) : strlen(s);
        lua_pushlstring(L, s, len);
        lua_rawseti(L, -2, ++n);
        s += len;
        if (end != NULL)
            s += step;
    }
    lua_setfield(L, -2, key);
}

/*
 * Pushes the read-only entry of `e` as written with class `klass` (0 for the X form; ignored
 * for a basic entry), or nil for NULL. Fields (lua/smtpcodes.lua documents them): code, kind,
 * class, class_name, classes, category, category_name, detail, conforming, name, slug, origin,
 * description, when, fix, references, retry, connection, commands, enhanced, sample,
 * associated, see, note, provider, aliases, exceptions.
 */
static void smtpc_lua_push_entry(lua_State *L, const smtpc_entry *e, int klass)
{
    const smtpc_db *db;
    smtpc_code code;
    const char *key;
    int fields;
    if (e == NULL) {
        lua_pushnil(L);
        return;
    }
    code = e->parsed;
    if (code.kind == SMTPC_KIND_ENHANCED)
        code.klass = klass >= 2 && klass <= 5 ? klass : 0;
    key = (const char *)e + code.klass;
    if (!smtpc_rawgetp(L, UV_ENTRIES, key))
        return;
    lua_pop(L, 1);
    luaL_checkstack(L, 16, "smtpcodes: entry");
    db = smtpc_lua_db(L);

    lua_createtable(L, 0, 24);
    fields = lua_gettop(L);
    if (code.kind == SMTPC_KIND_BASIC)
        smtpc_lua_setfield_integer(L, "code",
                                   code.klass * 100 + code.category * 10 + code.detail);
    else
        smtpc_lua_setfield_string(L, "code", e->code);
    smtpc_lua_setfield_string(L, "kind", smtpc_enum_name(SMTPC_ENUM_KIND, code.kind));
    smtpc_lua_setfield_integer(L, "class", code.klass);
    smtpc_lua_setfield_string(L, "class_name", smtpc_class_name(db, &code));
    smtpc_lua_setfield_integer(L, "category", code.category);
    smtpc_lua_setfield_string(L, "category_name", smtpc_category_name(db, &code));
    smtpc_lua_setfield_integer(L, "detail", code.detail);
    lua_pushboolean(L, code.conforming);
    lua_setfield(L, fields, "conforming");
    smtpc_lua_setfield_string(L, "name", e->name);
    smtpc_lua_setfield_string(L, "slug", e->slug);
    smtpc_lua_setfield_string(L, "origin", smtpc_enum_name(SMTPC_ENUM_ORIGIN, e->origin));
    smtpc_lua_setfield_string(L, "description", e->description);
    smtpc_lua_setfield_string(L, "when", e->when);
    smtpc_lua_setfield_string(L, "fix", e->fix);
    smtpc_lua_setfield_string(L, "retry",
                              smtpc_enum_name(SMTPC_ENUM_RETRY,
                                              smtpc_entry_retry(e, code.klass)));
    smtpc_lua_setfield_string(L, "connection",
                              smtpc_enum_name(SMTPC_ENUM_CONNECTION, e->connection));
    smtpc_lua_setfield_string(L, "sample", e->sample);
    smtpc_lua_setfield_string(L, "associated", e->associated);
    smtpc_lua_setfield_string(L, "see", e->see);
    smtpc_lua_setfield_string(L, "note", e->note);
    smtpc_lua_setfield_string(L, "provider", e->provider);

    /* The lists, in the metatable of the fields table. */
    lua_createtable(L, 0, 7);
    {
        const char *c;
        int n = 0;
        lua_newtable(L);
        for (c = e->classes; *c != '\0'; c++) {
            if (*c >= '0' && *c <= '9') {
                lua_pushinteger(L, (lua_Integer)(*c - '0'));
                lua_rawseti(L, -2, ++n);
            }
        }
        lua_setfield(L, -2, "classes");
    }
    smtpc_lua_setfield_list(L, "references", e->references, "; ");
    smtpc_lua_setfield_list(L, "commands", e->commands, " ");
    smtpc_lua_setfield_list(L, "enhanced", e->enhanced, " ");
    smtpc_lua_setfield_list(L, "aliases", e->aliases, "; ");
    smtpc_lua_setfield_list(L, "exceptions", e->exceptions, "\n");
    lua_pushcfunction(L, smtpc_lua_list_field);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, fields);

    smtpc_lua_seal(L);
    lua_pushvalue(L, -1);
    smtpc_rawsetp(L, UV_ENTRIES, key);
}

/* The class digit of an enhanced code as sent ("4.7.1"), or 0. */
static int smtpc_lua_class_of(const char *enhanced)
{
    return enhanced[0] >= '2' && enhanced[0] <= '5' ? enhanced[0] - '0' : 0;
}

/* ---- bound functions: entries ---------------------------------------------------------- */

static int smtpc_lua_b_lookup(lua_State *L)
{
    size_t len;
    const char *s = smtpc_lua_check_text(L, 1, &len, 0, "lookup");
    const smtpc_entry *e;
    smtpc_code code;
    smtpc_error err;
    int rc = smtpc_lookup(&e, smtpc_lua_db(L), s, len, &err);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    if (smtpc_code_parse(&code, s, len, NULL) != 0)
        code.klass = 0;
    smtpc_lua_push_entry(L, e, code.klass);
    return 1;
}

static int smtpc_lua_b_closest(lua_State *L)
{
    size_t len;
    const char *s = smtpc_lua_check_text(L, 1, &len, 0, "closest");
    const smtpc_entry *e;
    smtpc_code code;
    smtpc_error err;
    int exact = 0;
    int rc = smtpc_lookup_closest(&e, &exact, smtpc_lua_db(L), s, len, &err);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    if (smtpc_code_parse(&code, s, len, NULL) != 0)
        code.klass = 0;
    smtpc_lua_push_entry(L, e, code.klass);
    lua_pushboolean(L, exact);
    return 2;
}

static int smtpc_lua_b_entries(lua_State *L)
{
    const smtpc_db *db = smtpc_lua_db(L);
    size_t i, n = smtpc_db_count(db);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        smtpc_lua_push_entry(L, smtpc_db_entry(db, i), 0);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

static int smtpc_lua_b_languages(lua_State *L)
{
    const smtpc_db *db = smtpc_lua_db(L);
    size_t i, n = smtpc_language_count(db);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, smtpc_language_tag(db, i));
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* ---- bound functions: replies ---------------------------------------------------------- */

/* Reads the optional command at `idx` into its canonical name (static), NULL for nil or "".
 * Returns 0, or the core's status with `err` filled (SMTPC_ECOMMAND). */
static int smtpc_lua_command_at(lua_State *L, int idx, const char **out, smtpc_error *err,
                                const char *function)
{
    size_t len;
    const char *s = smtpc_lua_check_text(L, idx, &len, 1, function);
    *out = NULL;
    if (s == NULL || len == 0)
        return 0;
    return smtpc_command_parse(out, s, len, err);
}

/* Pushes the entry of reply code `code`, or false when the database lacks it. Kept by code in
 * UV_ENTRIES (its other keys are light userdata): the core looks a code up once per database,
 * not once per reply. */
static void smtpc_lua_push_code_entry(lua_State *L, int code)
{
    const smtpc_entry *e;
    if (!smtpc_rawgeti(L, UV_ENTRIES, code))
        return;
    lua_pop(L, 1);
    if (smtpc_lookup_number(&e, smtpc_lua_db(L), code, NULL) == 0 && e != NULL)
        smtpc_lua_push_entry(L, e, 0);
    else
        lua_pushboolean(L, 0);
    lua_pushvalue(L, -1);
    lua_rawseti(L, UV_ENTRIES, code);
}

/* Pushes the entry of the enhanced code whose Lua string is at `idx` (the closest registered
 * one, as the core gives a reply's), or false when there is none. Kept by that string in
 * UV_ENHANCED, as for the reply code, for the first SMTPC_LUA_ENHANCED_KEPT codes a binding
 * sees. */
static void smtpc_lua_push_enhanced_entry(lua_State *L, int idx)
{
    smtpc_lua_hold *hold;
    const smtpc_entry *e;
    size_t len;
    const char *s;
    int exact;
    lua_pushvalue(L, idx);
    lua_rawget(L, UV_ENHANCED);
    if (!lua_isnil(L, -1))
        return;
    lua_pop(L, 1);
    s = lua_tolstring(L, idx, &len);
    if (smtpc_lookup_closest(&e, &exact, smtpc_lua_db(L), s, len, NULL) == 0 && e != NULL)
        smtpc_lua_push_entry(L, e, smtpc_lua_class_of(s));
    else
        lua_pushboolean(L, 0);
    hold = (smtpc_lua_hold *)lua_touserdata(L, UV_HOLD);
    if (hold->enhanced_kept < SMTPC_LUA_ENHANCED_KEPT) {
        hold->enhanced_kept++;
        lua_pushvalue(L, idx);
        lua_pushvalue(L, -2);
        lua_rawset(L, UV_ENHANCED);
    }
}

/*
 * A reply table holds code, class, enhanced, lines, text and action (and command and warnings
 * when it has them); the other fields are read through its metatable, shared by the replies of
 * one binding with the same verdict: __index gives rule and explanation (kept in the
 * metatable), the entries (from the caches above), warnings (the empty list), command (nil)
 * and reason (decided from the reply's own fields when it is read, as it depends on the text),
 * and __pairs walks a plain copy with every field. Nothing is stored into a reply, so
 * that a raw traversal (LuaJIT's pairs) is never disturbed; smtpcodes.to_table(reply) gives
 * the plain copy on every Lua.
 */

/* The fields a reply may leave to its metatable. */
static const char *const smtpc_lua_lazy_names[] = {
    "warnings", "command", "entry", "enhanced_entry", "rule", "explanation", "reason"
};

/* The slug of the provider of the host `host` (`len` bytes; NULL for none), or NULL. */
static const char *smtpc_lua_provider_of(lua_State *L, const char *host, size_t len)
{
    const smtpc_provider *p = host != NULL ? smtpc_provider_of_host(smtpc_lua_db(L), host, len)
                                           : NULL;
    return p != NULL ? p->slug : NULL;
}
#define SMTPC_LUA_LAZY_COUNT ((int)(sizeof smtpc_lua_lazy_names / sizeof smtpc_lua_lazy_names[0]))

/* The string field `k` of the reply table at 1, or NULL; left on the stack. */
static const char *smtpc_lua_reply_string(lua_State *L, int k, size_t *len)
{
    smtpc_lua_key(L, k);
    lua_rawget(L, 1);
    *len = 0;
    return lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, len) : NULL;
}

/* Pushes the reason of the reply table at 1 as smtpc_classify_host() decides it, from the
 * reply's code, enhanced code, command, text and host; returns 0, pushing nothing, for a 2xx or
 * 3xx reply. */
static int smtpc_lua_push_reply_reason(lua_State *L)
{
    size_t enhanced_len, command_len, text_len, host_len;
    const char *enhanced, *command, *text, *host;
    smtpc_reason reason;
    smtpc_error err;
    int code, rc;
    smtpc_lua_key(L, K_CODE);
    lua_rawget(L, 1);
    code = (int)lua_tointeger(L, -1);
    if (code / 100 < 4)
        return 0;
    enhanced = smtpc_lua_reply_string(L, K_ENHANCED, &enhanced_len);
    command = smtpc_lua_reply_string(L, K_COMMAND, &command_len);
    text = smtpc_lua_reply_string(L, K_TEXT, &text_len);
    host = smtpc_lua_reply_string(L, K_HOST, &host_len);
    rc = smtpc_reason_decide(&reason, smtpc_lua_db(L), smtpc_lua_provider_of(L, host, host_len),
                             code, enhanced, enhanced_len, command, command_len, text, text_len,
                             &err);
    if (rc != 0)
        smtpc_lua_raise(L, rc);
    lua_pushstring(L, reason.name);
    return 1;
}

/* Pushes the entry of the enhanced code whose Lua string is at `idx` as the provider of the
 * reply table's host (at 1) means it (smtpc_lookup_provider_closest()) and returns 1; returns 0,
 * pushing nothing, when the reply has no host of a provider. Not kept: the entry depends on the
 * host as well as the code. */
static int smtpc_lua_push_provider_enhanced_entry(lua_State *L, int idx)
{
    size_t host_len, len;
    const char *host = smtpc_lua_reply_string(L, K_HOST, &host_len);
    const char *slug = smtpc_lua_provider_of(L, host, host_len);
    const char *s;
    const smtpc_entry *e;
    lua_pop(L, 1);
    if (slug == NULL)
        return 0;
    s = lua_tolstring(L, idx, &len);
    if (smtpc_lookup_provider_closest(&e, NULL, smtpc_lua_db(L), slug, s, len, NULL) == 0)
        smtpc_lua_push_entry(L, e, smtpc_lua_class_of(s));
    else
        lua_pushboolean(L, 0);
    return 1;
}

/* __index of a reply (a closure with the binding's upvalues): reply, key. */
static int smtpc_lua_reply_index(lua_State *L)
{
    int k;
    for (k = 0; k < K_COUNT; k++)
        if (lua_rawequal(L, 2, UV_KEY(k)))
            break;
    switch (k) {
    case K_RULE:
    case K_EXPLANATION:
        if (!lua_getmetatable(L, 1))
            return 0;
        lua_pushvalue(L, 2);
        lua_rawget(L, -2);
        return 1;
    case K_WARNINGS:
        lua_pushvalue(L, UV_EMPTY);
        return 1;
    case K_REASON:
        return smtpc_lua_push_reply_reason(L);
    case K_ENTRY:
        smtpc_lua_key(L, K_CODE);
        lua_rawget(L, 1);
        if (lua_type(L, -1) != LUA_TNUMBER)
            return 0;
        smtpc_lua_push_code_entry(L, (int)lua_tointeger(L, -1));
        break;
    case K_ENHANCED_ENTRY:
        smtpc_lua_key(L, K_ENHANCED);
        lua_rawget(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return 0;
        if (!smtpc_lua_push_provider_enhanced_entry(L, lua_gettop(L)))
            smtpc_lua_push_enhanced_entry(L, lua_gettop(L));
        break;
    default:
        return 0;
    }
    if (!lua_toboolean(L, -1))
        return 0;
    return 1;
}

/* The iterator of a plain table: next, which __pairs hands out with the copy. */
static int smtpc_lua_plain_next(lua_State *L)
{
    lua_settop(L, 2);
    if (lua_next(L, 1))
        return 2;
    return 0;
}

/* When the table at `idx` is a reply (its __index is smtpc_lua_reply_index), pushes a plain
 * copy with every field and returns 1; else returns 0, pushing nothing. */
static int smtpc_lua_reply_copy(lua_State *L, int idx)
{
    int copy, index, i;
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return 0;
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2);
    if (lua_tocfunction(L, -1) != smtpc_lua_reply_index) {
        lua_pop(L, 2);
        return 0;
    }
    luaL_checkstack(L, 8, "smtpcodes: reply");
    index = lua_gettop(L);
    lua_createtable(L, 0, 12);
    copy = index + 1;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, copy);
    }
    for (i = 0; i < SMTPC_LUA_LAZY_COUNT; i++) {
        lua_pushstring(L, smtpc_lua_lazy_names[i]);
        lua_pushvalue(L, -1);
        lua_rawget(L, idx);
        if (!lua_isnil(L, -1)) {
            lua_pop(L, 2);
            continue;
        }
        lua_pop(L, 1);
        lua_pushvalue(L, index);
        lua_pushvalue(L, idx);
        lua_pushvalue(L, -3);
        lua_call(L, 2, 1);
        if (lua_isnil(L, -1))
            lua_pop(L, 2);
        else
            lua_rawset(L, copy);
    }
    lua_replace(L, index - 1);
    lua_pop(L, 1);
    return 1;
}

/* __pairs of a reply: every field, over a plain copy. */
static int smtpc_lua_reply_pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!smtpc_lua_reply_copy(L, 1))
        lua_pushvalue(L, 1);
    lua_pushcfunction(L, smtpc_lua_plain_next);
    lua_insert(L, -2);
    lua_pushnil(L);
    return 3;
}

/* Pushes the metatable of the replies classified as `v`: one per explanation and action (the
 * core's static strings, a handful), kept in UV_META by explanation then action, made on first
 * use. It holds rule, explanation and action as well. */
static void smtpc_lua_push_reply_meta(lua_State *L, const smtpc_verdict *v)
{
    int i, by_action;
    luaL_checkstack(L, UV_COUNT + 4, "smtpcodes: reply");
    if (smtpc_rawgetp(L, UV_META, v->explanation)) {
        lua_pop(L, 1);
        lua_createtable(L, 4, 0);
        lua_pushvalue(L, -1);
        smtpc_rawsetp(L, UV_META, v->explanation);
    }
    by_action = lua_gettop(L);
    if (!smtpc_rawgeti(L, by_action, v->action)) {
        lua_remove(L, by_action);
        return;
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 6);
    for (i = 1; i <= UV_COUNT; i++)
        lua_pushvalue(L, lua_upvalueindex(i));
    lua_pushcclosure(L, smtpc_lua_reply_index, UV_COUNT);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, smtpc_lua_reply_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    smtpc_lua_key(L, K_RULE);
    smtpc_lua_push_static(L, v->rule);
    lua_rawset(L, -3);
    smtpc_lua_key(L, K_EXPLANATION);
    smtpc_lua_push_static(L, v->explanation);
    lua_rawset(L, -3);
    smtpc_lua_key(L, K_ACTION);
    smtpc_lua_push_action(L, v->action);
    lua_rawset(L, -3);
    lua_pushvalue(L, -1);
    lua_rawseti(L, by_action, v->action);
    lua_remove(L, by_action);
}

/* Pushes the metatable for `reply`, classified as `v`, or, when `v` is NULL (no command: its
 * code and enhanced code decide), as the core classifies it, by way of UV_VERDICTS: the
 * metatable by code for a reply without an enhanced code, else by the enhanced code's string
 * (at `enhanced_at`) then code, for the first SMTPC_LUA_ENHANCED_KEPT enhanced codes. */
static void smtpc_lua_push_reply_verdict(lua_State *L, const smtpc_reply *reply,
                                         const smtpc_verdict *v, int code, int enhanced_at)
{
    smtpc_verdict verdict;
    smtpc_error err;
    smtpc_lua_hold *hold;
    int by_code = 0, rc;
    if (v != NULL) {
        smtpc_lua_push_reply_meta(L, v);
        return;
    }
    if (enhanced_at == 0) {
        if (!smtpc_rawgeti(L, UV_VERDICTS, code))
            return;
        lua_pop(L, 1);
    } else {
        lua_pushvalue(L, enhanced_at);
        lua_rawget(L, UV_VERDICTS);
        if (lua_type(L, -1) == LUA_TTABLE) {
            if (!smtpc_rawgeti(L, -1, code)) {
                lua_remove(L, -2);
                return;
            }
            lua_pop(L, 1);
            by_code = lua_gettop(L);
        } else {
            lua_pop(L, 1);
            hold = (smtpc_lua_hold *)lua_touserdata(L, UV_HOLD);
            if (hold->verdicts_kept < SMTPC_LUA_ENHANCED_KEPT) {
                hold->verdicts_kept++;
                lua_createtable(L, 0, 1);
                lua_pushvalue(L, enhanced_at);
                lua_pushvalue(L, -2);
                lua_rawset(L, UV_VERDICTS);
                by_code = lua_gettop(L);
            }
        }
    }
    rc = smtpc_classify(&verdict, reply, NULL, 0, &err);
    if (rc != 0)
        smtpc_lua_raise(L, rc);
    smtpc_lua_push_reply_meta(L, &verdict);
    if (enhanced_at == 0) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, UV_VERDICTS, code);
    } else if (by_code != 0) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, by_code, code);
        lua_remove(L, by_code);
    }
}

/* Pushes the table of `reply` classified as `v` (NULL: see smtpc_lua_push_reply_verdict),
 * answering `command` (canonical, or NULL), from the host whose string is at `host_at` (0 for
 * none): the host decides no action, only the reason, which the reply reads from its fields. */
static void smtpc_lua_push_reply(lua_State *L, const smtpc_reply *reply, const smtpc_verdict *v,
                                 const char *command, int host_at)
{
    size_t n = smtpc_reply_line_count(reply);
    size_t i, len;
    const char *s;
    const char *enhanced = smtpc_reply_enhanced(reply);
    const char *named = smtpc_reply_command(reply);
    int code = smtpc_reply_code(reply);
    int warnings = smtpc_reply_warnings(reply);
    int t, lines, enhanced_at = 0;

    luaL_checkstack(L, 8, "smtpcodes: reply");
    lua_createtable(L, 0, 5 + (enhanced[0] != '\0') + (warnings != 0) +
                              (command != NULL || named[0] != '\0') + (host_at != 0));
    t = lua_gettop(L);
    smtpc_lua_key(L, K_CODE);
    lua_pushinteger(L, (lua_Integer)code);
    lua_rawset(L, t);
    smtpc_lua_key(L, K_CLASS);
    lua_pushinteger(L, (lua_Integer)(code / 100));
    lua_rawset(L, t);
    if (enhanced[0] != '\0') {
        lua_pushstring(L, enhanced);
        enhanced_at = lua_gettop(L);
        smtpc_lua_key(L, K_ENHANCED);
        lua_pushvalue(L, enhanced_at);
        lua_rawset(L, t);
    }
    smtpc_lua_key(L, K_LINES);
    lua_createtable(L, (int)n, 0);
    lines = lua_gettop(L);
    for (i = 0; i < n; i++) {
        s = smtpc_reply_line(reply, i, &len);
        lua_pushlstring(L, s, len);
        lua_rawseti(L, lines, (int)i + 1);
    }
    smtpc_lua_key(L, K_TEXT);
    if (n == 1) {
        lua_rawgeti(L, lines, 1); /* one line: the text is the same string */
    } else {
        s = smtpc_reply_text(reply, &len);
        lua_pushlstring(L, s, len);
    }
    lua_rawset(L, t);
    lua_rawset(L, t); /* lines */
    if (warnings != 0) {
        smtpc_lua_key(L, K_WARNINGS);
        smtpc_lua_push_bit_names(L, SMTPC_ENUM_WARNING, warnings);
        lua_rawset(L, t);
    }
    if (command != NULL) {
        smtpc_lua_key(L, K_COMMAND);
        smtpc_lua_push_static(L, command);
        lua_rawset(L, t);
    } else if (named[0] != '\0') {
        smtpc_lua_key(L, K_COMMAND);
        lua_pushstring(L, named);
        lua_rawset(L, t);
    }
    if (host_at != 0) {
        smtpc_lua_key(L, K_HOST);
        lua_pushvalue(L, host_at);
        lua_rawset(L, t);
    }
    smtpc_lua_push_reply_verdict(L, reply, v, code, enhanced_at);
    smtpc_lua_key(L, K_ACTION);
    lua_pushvalue(L, -1);
    lua_rawget(L, -3);
    lua_rawset(L, t);
    lua_setmetatable(L, t);
    lua_settop(L, t);
}

/* Classifies `reply` for `command` and pushes its table, from the host whose string is at
 * `host_at` (0 for none); the reply is freed in any case (by the hold box should Lua raise).
 * Returns 0, or the status of a failed classification with `err` filled and nothing pushed. */
static int smtpc_lua_convert(lua_State *L, smtpc_reply *reply, const char *command, int host_at,
                             smtpc_error *err)
{
    smtpc_verdict v;
    smtpc_lua_hold *hold = (smtpc_lua_hold *)lua_touserdata(L, UV_HOLD);
    /* Without a command, the reply's code and enhanced code decide: the verdict is kept. */
    int by_parts = command == NULL && smtpc_reply_command(reply)[0] == '\0';
    int rc = by_parts ? 0
                      : smtpc_classify(&v, reply, command,
                                       command != NULL ? strlen(command) : 0, err);
    if (rc != 0) {
        smtpc_reply_free(reply);
        return rc;
    }
    smtpc_reply_free(hold->reply);
    hold->reply = reply;
    smtpc_lua_push_reply(L, reply, by_parts ? NULL : &v, command, host_at);
    hold->reply = NULL;
    smtpc_reply_free(reply);
    return 0;
}

/* The index of the optional host at `idx` (a positive index): 0 for nil, none or "" (no
 * host), else `idx`. */
static int smtpc_lua_host_at(lua_State *L, int idx, const char *function)
{
    size_t len;
    const char *host = smtpc_lua_check_text(L, idx, &len, 1, function);
    return host != NULL && len > 0 ? idx : 0;
}

/* parse(text, flags [, command [, host]]): reply, consumed | nil, message, status, needed. */
static int smtpc_lua_b_parse(lua_State *L)
{
    size_t len, consumed = 0;
    const char *s = smtpc_lua_check_text(L, 1, &len, 0, "parse");
    int flags = smtpc_lua_check_int(L, 2, "parse");
    int host_at = smtpc_lua_host_at(L, 4, "parse");
    const char *command;
    smtpc_reply *reply;
    smtpc_error err;
    int rc = smtpc_lua_command_at(L, 3, &command, &err, "parse");
    if (rc == 0)
        rc = smtpc_reply_parse(&reply, &consumed, smtpc_lua_db(L), s, len, flags, &err);
    if (rc == 0)
        rc = smtpc_lua_convert(L, reply, command, host_at, &err);
    if (rc != 0) {
        smtpc_lua_push_failure(L, rc, &err);
        lua_pushinteger(L, (lua_Integer)(rc == SMTPC_EINCOMPLETE ? consumed : 0));
        return 4;
    }
    lua_pushinteger(L, (lua_Integer)consumed);
    return 2;
}

/* Pushes the verdict {action, rule, explanation, flags, reason}, reason for a failure only. */
static void smtpc_lua_push_verdict(lua_State *L, const smtpc_verdict *v)
{
    int t;
    lua_createtable(L, 0, 5);
    t = lua_gettop(L);
    smtpc_lua_key(L, K_ACTION);
    smtpc_lua_push_static(L, smtpc_enum_name(SMTPC_ENUM_ACTION, v->action));
    lua_rawset(L, t);
    smtpc_lua_key(L, K_RULE);
    smtpc_lua_push_static(L, v->rule);
    lua_rawset(L, t);
    smtpc_lua_key(L, K_EXPLANATION);
    smtpc_lua_push_static(L, v->explanation);
    lua_rawset(L, t);
    smtpc_lua_key(L, K_FLAGS);
    smtpc_lua_push_bit_names(L, SMTPC_ENUM_VERDICT_FLAG, v->flags);
    lua_rawset(L, t);
    if (v->reason[0] != '\0') {
        smtpc_lua_key(L, K_REASON);
        lua_pushstring(L, v->reason);
        lua_rawset(L, t);
    }
}

/* classify(code [, enhanced [, command [, text [, host]]]]): verdict | nil, message, status.
 * With the reply's text, the reason is decided from it too, as smtpc_classify() does, and with
 * the host by its provider's meanings first (smtpc_classify_parts()). */
static int smtpc_lua_b_classify(lua_State *L)
{
    lua_Integer code;
    size_t enhanced_len, command_len, text_len, host_len;
    const char *enhanced, *command, *text, *host;
    smtpc_verdict v;
    smtpc_error err;
    int rc;
    if (!smtpc_lua_tointeger(L, 1, -0x7fffffff, 0x7fffffff, &code))
        return smtpc_lua_arg_error(L, "classify", 1, "integer");
    enhanced = smtpc_lua_check_text(L, 2, &enhanced_len, 1, "classify");
    command = smtpc_lua_check_text(L, 3, &command_len, 1, "classify");
    text = smtpc_lua_check_text(L, 4, &text_len, 1, "classify");
    host = smtpc_lua_check_text(L, 5, &host_len, 1, "classify");
    rc = smtpc_classify_parts(&v, smtpc_lua_db(L), smtpc_lua_provider_of(L, host, host_len),
                              (int)code, enhanced, enhanced_len, command, command_len, text,
                              text_len, &err);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    smtpc_lua_push_verdict(L, &v);
    return 1;
}

/* ---- bound functions: the front of parse_reply ----------------------------------------- */

/* The upvalue of the front that holds the facade's parse_reply. */
#define UV_SLOW lua_upvalueindex(UV_COUNT + 1)

/* The facade's parse_reply: parse_reply(text) goes straight to the core, as the facade would
 * send it (complete, no command), with no Lua call on the way. Options, a text that is no
 * string and a reply that fails go to the facade's parse_reply (UV_SLOW), which checks the
 * arguments and words the failures; it parses again, which only failures pay for. */
static int smtpc_lua_parse_reply_front(lua_State *L)
{
    int nargs = lua_gettop(L);
    if (lua_type(L, 1) == LUA_TSTRING && lua_isnoneornil(L, 2)) {
        size_t len, consumed = 0;
        const char *s = lua_tolstring(L, 1, &len);
        smtpc_reply *reply;
        smtpc_error err;
        if (smtpc_reply_parse(&reply, &consumed, smtpc_lua_db(L), s, len, SMTPC_REPLY_COMPLETE,
                              &err) == 0 &&
            smtpc_lua_convert(L, reply, NULL, 0, &err) == 0) {
            lua_pushinteger(L, (lua_Integer)consumed);
            return 2;
        }
    }
    lua_pushvalue(L, UV_SLOW);
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
}

/* parse_front(parse_reply): the C function the facade exports as parse_reply, handing the
 * given Lua function what it does not answer itself (see above). */
static int smtpc_lua_b_parse_front(lua_State *L)
{
    int i;
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_checkstack(L, UV_COUNT + 2, "smtpcodes: parse_front");
    for (i = 1; i <= UV_COUNT; i++)
        lua_pushvalue(L, lua_upvalueindex(i));
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, smtpc_lua_parse_reply_front, UV_COUNT + 1);
    return 1;
}

/* ---- bound functions: streams ---------------------------------------------------------- */

static smtpc_lua_stream *smtpc_lua_check_stream(lua_State *L, const char *function)
{
    smtpc_lua_stream *s = (smtpc_lua_stream *)luaL_testudata(L, 1, SMTPC_LUA_STREAM);
    if (s == NULL || s->stream == NULL)
        smtpc_lua_arg_error(L, function, 1, SMTPC_LUA_STREAM);
    return s;
}

/* Starts the core's stream of `s` afresh. */
static void smtpc_lua_stream_start(lua_State *L, smtpc_lua_stream *s)
{
    smtpc_reply_stream *stream;
    smtpc_error err;
    int rc = smtpc_reply_stream_new(&stream, smtpc_lua_db(L), s->flags, &err);
    if (rc != 0)
        smtpc_lua_raise(L, rc);
    smtpc_reply_stream_free(s->stream);
    s->stream = stream;
    s->state = SMTPC_LUA_OPEN;
}

/* stream(flags [, command]): a stream | nil, message, status. */
static int smtpc_lua_b_stream(lua_State *L)
{
    int flags = smtpc_lua_check_int(L, 1, "stream");
    const char *command;
    smtpc_lua_stream *s;
    smtpc_error err;
    int rc = smtpc_lua_command_at(L, 2, &command, &err, "stream");
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    s = (smtpc_lua_stream *)lua_newuserdata(L, sizeof *s);
    s->stream = NULL;
    s->flags = flags;
    s->command = command;
    s->state = SMTPC_LUA_OPEN;
    luaL_getmetatable(L, SMTPC_LUA_STREAM);
    lua_setmetatable(L, -2);
    smtpc_lua_stream_start(L, s);
    smtpc_lua_anchor(L, lua_gettop(L), UV_DB);
    return 1;
}

/* Appends the replies `s` holds to the list at `list`, from the host at `host_at` (0 for
 * none). Returns 0 when no complete reply is left (then a closed stream is done), or
 * SMTPC_EREPLY with `err` filled. */
static int smtpc_lua_drain(lua_State *L, smtpc_lua_stream *s, int list, int host_at,
                           smtpc_error *err)
{
    int n = (int)lua_rawlen(L, list);
    for (;;) {
        smtpc_reply *reply;
        int rc = smtpc_reply_stream_next(&reply, s->stream, err);
        if (rc == SMTPC_EREPLY)
            return rc;
        if (rc != 0)
            return smtpc_lua_raise(L, rc);
        if (reply == NULL)
            break;
        rc = smtpc_lua_convert(L, reply, s->command, host_at, err);
        if (rc != 0)
            return smtpc_lua_raise(L, rc);
        lua_rawseti(L, list, ++n);
    }
    if (s->state == SMTPC_LUA_CLOSED)
        s->state = SMTPC_LUA_DONE;
    return 0;
}

/* What feed() and finish() return: the list at `list`, or nil, message, status, the list. */
static int smtpc_lua_stream_result(lua_State *L, int rc, int list, const smtpc_error *err)
{
    if (rc == 0) {
        lua_pushvalue(L, list);
        return 1;
    }
    smtpc_lua_push_failure(L, rc, err);
    lua_pushvalue(L, list);
    return 4;
}

/* feed(stream, data [, host]): the replies completed | nil, message, status, replies before.
 * After finish(), the stream first gives what finish() left, then starts a new stream. The
 * replies come from `host` (nil for none). */
static int smtpc_lua_b_feed(lua_State *L)
{
    smtpc_lua_stream *s = smtpc_lua_check_stream(L, "feed");
    size_t len;
    const char *data = smtpc_lua_check_text(L, 2, &len, 0, "feed");
    int host_at = smtpc_lua_host_at(L, 3, "feed");
    smtpc_error err;
    int list, rc = 0;
    lua_settop(L, 3);
    lua_newtable(L);
    list = lua_gettop(L);
    if (s->state == SMTPC_LUA_CLOSED) {
        rc = smtpc_lua_drain(L, s, list, host_at, &err);
        if (rc != 0)
            return smtpc_lua_stream_result(L, rc, list, &err);
    }
    if (s->state == SMTPC_LUA_DONE)
        smtpc_lua_stream_start(L, s);
    rc = smtpc_reply_stream_feed(s->stream, data, len, &err);
    if (rc != 0)
        return smtpc_lua_raise(L, rc);
    rc = smtpc_lua_drain(L, s, list, host_at, &err);
    return smtpc_lua_stream_result(L, rc, list, &err);
}

/* finish(stream [, host]): the replies left at the end of the input | nil, message, status,
 * replies before; after a failure, the next call goes on after the faulty line. */
static int smtpc_lua_b_finish(lua_State *L)
{
    smtpc_lua_stream *s = smtpc_lua_check_stream(L, "finish");
    int host_at = smtpc_lua_host_at(L, 2, "finish");
    smtpc_error err;
    int list, rc;
    lua_settop(L, 2);
    lua_newtable(L);
    list = lua_gettop(L);
    if (s->state == SMTPC_LUA_DONE)
        return smtpc_lua_stream_result(L, 0, list, &err);
    if (s->state == SMTPC_LUA_OPEN) {
        smtpc_reply_stream_close(s->stream);
        s->state = SMTPC_LUA_CLOSED;
    }
    rc = smtpc_lua_drain(L, s, list, host_at, &err);
    return smtpc_lua_stream_result(L, rc, list, &err);
}

/* stream_counts(stream): line, skipped, errors, needed, buffered. */
static int smtpc_lua_b_stream_counts(lua_State *L)
{
    smtpc_lua_stream *s = smtpc_lua_check_stream(L, "stream_counts");
    lua_pushinteger(L, (lua_Integer)smtpc_reply_stream_line(s->stream));
    lua_pushinteger(L, (lua_Integer)smtpc_reply_stream_skipped(s->stream));
    lua_pushinteger(L, (lua_Integer)smtpc_reply_stream_errors(s->stream));
    lua_pushinteger(L, (lua_Integer)smtpc_reply_stream_needed(s->stream));
    lua_pushinteger(L, (lua_Integer)smtpc_reply_stream_buffered(s->stream));
    return 5;
}

/* ---- bound functions: scanners --------------------------------------------------------- */

/* Sets up a new scanner from the optional arguments (by, bucket, year): the axes as a
 * string, the bucket as seconds or a duration string ("1h"), the year as an integer. The
 * core checks each; returns 0 or a status with `err` set. */
static int smtpc_lua_set_up_scanner(lua_State *L, smtpc_scanner *s, smtpc_error *err)
{
    int rc = 0;
    if (lua_type(L, 1) == LUA_TSTRING)
        rc = smtpc_scanner_group_by(s, lua_tostring(L, 1), err);
    if (rc == 0 && lua_type(L, 2) == LUA_TSTRING) {
        size_t len;
        const char *text = lua_tolstring(L, 2, &len);
        long long seconds;
        rc = smtpc_duration_parse(&seconds, text, len, err);
        if (rc == 0)
            rc = smtpc_scanner_set_bucket(s, seconds, err);
    } else if (rc == 0 && lua_type(L, 2) == LUA_TNUMBER) {
        lua_Integer seconds = 0;
        smtpc_lua_tointeger(L, 2, 0, 0x7fffffff, &seconds);
        rc = smtpc_scanner_set_bucket(s, (long long)seconds, err);
    }
    if (rc == 0 && lua_type(L, 3) == LUA_TNUMBER) {
        lua_Integer year = 0;
        smtpc_lua_tointeger(L, 3, 0, 100000, &year);
        rc = smtpc_scanner_set_year(s, (int)year, err);
    }
    return rc;
}

/* Loads the saved state at argument 4 (a string) into a new box, which the scanner at
 * `scanner` (an index) then resumes from and keeps alive; 0, or a status with `err` set. */
static int smtpc_lua_resume_scanner(lua_State *L, int scanner, smtpc_error *err)
{
    size_t len;
    const char *text = lua_tolstring(L, 4, &len);
    smtpc_scan_state **state = (smtpc_scan_state **)smtpc_lua_new_box(L, SMTPC_LUA_SCAN_STATE);
    int rc = smtpc_scan_state_load(state, text, len, err);
    if (rc == 0)
        rc = smtpc_scanner_resume(*(smtpc_scanner **)lua_touserdata(L, scanner), *state, err);
    if (rc == 0) {
        /* the scanner keeps its state, the state the database */
        smtpc_lua_anchor(L, lua_gettop(L), UV_DB);
        smtpc_lua_anchor(L, scanner, lua_gettop(L));
    }
    return rc;
}

/* scanner([by [, bucket [, year [, state]]]]): a new scanner box, and the box of the state it
 * resumes from when `state` (a saved state, a string) is given | nil, message, status. */
static int smtpc_lua_b_scanner(lua_State *L)
{
    smtpc_scanner **box = (smtpc_scanner **)smtpc_lua_new_box(L, SMTPC_LUA_SCANNER);
    int scanner = lua_gettop(L);
    smtpc_error err;
    int rc = smtpc_scanner_new(box, smtpc_lua_db(L), &err);
    if (rc != 0)
        return smtpc_lua_raise(L, rc);
    smtpc_lua_anchor(L, scanner, UV_DB);
    rc = smtpc_lua_set_up_scanner(L, *box, &err);
    if (rc == 0 && lua_type(L, 4) == LUA_TSTRING)
        rc = smtpc_lua_resume_scanner(L, scanner, &err);
    if (rc == SMTPC_ENOMEM)
        return smtpc_lua_raise(L, rc);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    return lua_gettop(L) - scanner + 1;
}

/* record(state, scanner): records how far the finished scanner read in the state box, and
 * returns the state saved as a string. */
static int smtpc_lua_b_record(lua_State *L)
{
    smtpc_scan_state *state =
        (smtpc_scan_state *)smtpc_lua_check_box(L, 1, SMTPC_LUA_SCAN_STATE);
    const smtpc_scanner *s = (const smtpc_scanner *)smtpc_lua_check_box(L, 2, SMTPC_LUA_SCANNER);
    char *text;
    size_t len;
    smtpc_error err;
    int rc;
    if (state == NULL)
        return smtpc_lua_arg_error(L, "record", 1, SMTPC_LUA_SCAN_STATE);
    if (s == NULL)
        return smtpc_lua_arg_error(L, "record", 2, SMTPC_LUA_SCANNER);
    rc = smtpc_scan_state_record(state, s, &err);
    if (rc == 0)
        rc = smtpc_scan_state_save(&text, &len, state, &err);
    if (rc != 0)
        return smtpc_lua_raise(L, rc);
    lua_pushlstring(L, text, len);
    smtpc_free(text);
    return 1;
}

/* load_summary(text): a scanner box with the summary saved as `text` (smtpc_scanner_save()),
 * over the bound database | nil, message, status. */
static int smtpc_lua_b_load_summary(lua_State *L)
{
    size_t len;
    const char *text;
    smtpc_scanner **box;
    smtpc_error err;
    int rc;
    if (lua_type(L, 1) != LUA_TSTRING)
        return smtpc_lua_arg_error(L, "load_summary", 1, "string");
    text = lua_tolstring(L, 1, &len);
    box = (smtpc_scanner **)smtpc_lua_new_box(L, SMTPC_LUA_SCANNER);
    rc = smtpc_scanner_load(box, smtpc_lua_db(L), text, len, &err);
    if (rc == SMTPC_ENOMEM)
        return smtpc_lua_raise(L, rc);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    smtpc_lua_anchor(L, lua_gettop(L), UV_DB);
    return 1;
}

/* merge(into, from): adds the summary of the scanner `from` into `into` | nil, message,
 * status (scanners of different databases). */
static int smtpc_lua_b_merge(lua_State *L)
{
    smtpc_scanner *into = (smtpc_scanner *)smtpc_lua_check_box(L, 1, SMTPC_LUA_SCANNER);
    const smtpc_scanner *from = (const smtpc_scanner *)smtpc_lua_check_box(L, 2,
                                                                           SMTPC_LUA_SCANNER);
    smtpc_error err;
    int rc;
    if (into == NULL)
        return smtpc_lua_arg_error(L, "merge", 1, SMTPC_LUA_SCANNER);
    if (from == NULL)
        return smtpc_lua_arg_error(L, "merge", 2, SMTPC_LUA_SCANNER);
    rc = smtpc_scanner_merge(into, from, &err);
    if (rc == SMTPC_ENOMEM)
        return smtpc_lua_raise(L, rc);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    lua_pushboolean(L, 1);
    return 1;
}

/* Sets the attempts of the summary on top of the stack: attempts, outcomes = {delivered,
 * deferred, bounced, rejected}, by = {axis names}, bucket, groups = {{values = {...}, count,
 * delivered, deferred, bounced, rejected, sample}, ...}. */
static void smtpc_lua_push_attempts(lua_State *L, const smtpc_scanner *s)
{
    size_t i, a, n_axes = smtpc_scanner_axis_count(s);
    int o;
    lua_pushinteger(L, (lua_Integer)smtpc_scanner_attempts(s));
    lua_setfield(L, -2, "attempts");
    lua_createtable(L, 0, SMTPC_SCAN_OUTCOMES);
    for (o = 0; o < SMTPC_SCAN_OUTCOMES; o++) {
        lua_pushinteger(L, (lua_Integer)smtpc_scanner_outcome(s, o));
        lua_setfield(L, -2, smtpc_enum_name(SMTPC_ENUM_SCAN_OUTCOME, o));
    }
    lua_setfield(L, -2, "outcomes");
    lua_createtable(L, (int)n_axes, 0);
    for (a = 0; a < n_axes; a++) {
        smtpc_lua_push_static(L, smtpc_enum_name(SMTPC_ENUM_SCAN_AXIS, smtpc_scanner_axis(s, a)));
        lua_rawseti(L, -2, (int)a + 1);
    }
    lua_setfield(L, -2, "by");
    lua_pushinteger(L, (lua_Integer)smtpc_scanner_bucket(s));
    lua_setfield(L, -2, "bucket");
    lua_createtable(L, (int)smtpc_scanner_group_count(s), 0);
    for (i = 0; i < smtpc_scanner_group_count(s); i++) {
        const smtpc_scan_group *g = smtpc_scanner_group(s, i);
        lua_createtable(L, 0, 7);
        lua_createtable(L, (int)n_axes, 0);
        for (a = 0; a < n_axes; a++) {
            lua_pushstring(L, g->values[a]);
            lua_rawseti(L, -2, (int)a + 1);
        }
        lua_setfield(L, -2, "values");
        lua_pushinteger(L, (lua_Integer)g->count);
        lua_setfield(L, -2, "count");
        for (o = 0; o < SMTPC_SCAN_OUTCOMES; o++) {
            lua_pushinteger(L, (lua_Integer)g->outcomes[o]);
            lua_setfield(L, -2, smtpc_enum_name(SMTPC_ENUM_SCAN_OUTCOME, o));
        }
        lua_pushlstring(L, g->sample, g->sample_len);
        lua_setfield(L, -2, "sample");
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "groups");
}

/* summary(scanner): {lines, replies, skipped, rows = {{code, enhanced, count, name, action,
 * sample, entry, enhanced_entry}, ...}}, and the summary's saved form (a string) for merging
 * and saving it later. */
static int smtpc_lua_b_summary(lua_State *L)
{
    const smtpc_scanner *s = (const smtpc_scanner *)smtpc_lua_check_box(L, 1,
                                                                        SMTPC_LUA_SCANNER);
    size_t i, n;
    if (s == NULL)
        return smtpc_lua_arg_error(L, "summary", 1, SMTPC_LUA_SCANNER);
    n = smtpc_scanner_row_count(s);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, (lua_Integer)smtpc_scanner_lines(s));
    lua_setfield(L, -2, "lines");
    lua_pushinteger(L, (lua_Integer)smtpc_scanner_replies(s));
    lua_setfield(L, -2, "replies");
    lua_pushinteger(L, (lua_Integer)smtpc_scanner_skipped(s));
    lua_setfield(L, -2, "skipped");
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const smtpc_scan_row *row = smtpc_scanner_row(s, i);
        lua_createtable(L, 0, 9);
        if (row->code != 0) { /* absent for the attempts that got no reply */
            lua_pushinteger(L, (lua_Integer)row->code);
            lua_setfield(L, -2, "code");
        }
        smtpc_lua_setfield_string(L, "enhanced", row->enhanced);
        lua_pushinteger(L, (lua_Integer)row->count);
        lua_setfield(L, -2, "count");
        if (row->entry != NULL)
            smtpc_lua_setfield_string(L, "name", row->entry->name);
        smtpc_lua_push_static(L, smtpc_enum_name(SMTPC_ENUM_ACTION, row->action));
        lua_setfield(L, -2, "action");
        smtpc_lua_setfield_string(L, "reason", row->reason);
        lua_pushlstring(L, row->sample, row->sample_len);
        lua_setfield(L, -2, "sample");
        smtpc_lua_push_entry(L, row->entry, 0);
        lua_setfield(L, -2, "entry");
        smtpc_lua_push_entry(L, row->enhanced_entry, smtpc_lua_class_of(row->enhanced));
        lua_setfield(L, -2, "enhanced_entry");
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "rows");
    smtpc_lua_push_attempts(L, s);
    {
        char *saved;
        size_t saved_len;
        smtpc_error err;
        int rc = smtpc_scanner_save(&saved, &saved_len, s, &err);
        if (rc != 0)
            return smtpc_lua_raise(L, rc);
        lua_pushlstring(L, saved, saved_len);
        smtpc_free(saved);
    }
    return 2;
}

/* ---- bounces ------------------------------------------------------------------------- */

/* Pushes the table of one bounce record (docs/bounces.md): a string field is absent when the
 * message does not give it, `code` when there is no reply code, `hard` when the record is no
 * failure. */
static void smtpc_lua_push_bounce_record(lua_State *L, const smtpc_bounce_record *r)
{
    static const struct {
        const char *key;
        size_t offset;
    } texts[] = {
        {"recipient", offsetof(smtpc_bounce_record, recipient)},
        {"original_recipient", offsetof(smtpc_bounce_record, original_recipient)},
        {"enhanced", offsetof(smtpc_bounce_record, enhanced)},
        {"diagnostic", offsetof(smtpc_bounce_record, diagnostic)},
        {"diagnostic_type", offsetof(smtpc_bounce_record, diagnostic_type)},
        {"command", offsetof(smtpc_bounce_record, command)},
        {"remote_mta", offsetof(smtpc_bounce_record, remote_mta)},
        {"reporting_mta", offsetof(smtpc_bounce_record, reporting_mta)},
        {"arrival_date", offsetof(smtpc_bounce_record, arrival_date)},
        {"last_attempt_date", offsetof(smtpc_bounce_record, last_attempt_date)},
        {"will_retry_until", offsetof(smtpc_bounce_record, will_retry_until)},
        {"queue_id", offsetof(smtpc_bounce_record, queue_id)},
        {"message_id", offsetof(smtpc_bounce_record, message_id)},
        {"original_date", offsetof(smtpc_bounce_record, original_date)},
        {"return_path", offsetof(smtpc_bounce_record, return_path)},
        {"subject", offsetof(smtpc_bounce_record, subject)},
        {"feedback_type", offsetof(smtpc_bounce_record, feedback_type)},
        {"format", offsetof(smtpc_bounce_record, format)},
        {"provider", offsetof(smtpc_bounce_record, provider)},
    };
    size_t i;
    lua_createtable(L, 0, 24);
    smtpc_lua_setfield_string(L, "kind", smtpc_enum_name(SMTPC_ENUM_BOUNCE_KIND, r->kind));
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
        smtpc_lua_setfield_string(L, texts[i].key,
                                  *(const char *const *)(const void *)((const char *)r +
                                                                       texts[i].offset));
    if (r->code != 0)
        smtpc_lua_setfield_integer(L, "code", r->code);
    if (r->action != SMTPC_DSN_NONE)
        smtpc_lua_setfield_string(L, "action", smtpc_enum_name(SMTPC_ENUM_DSN_ACTION, r->action));
    smtpc_lua_setfield_string(L, "reason", r->reason.name);
    if (r->reason.hard >= 0) {
        lua_pushboolean(L, r->reason.hard);
        lua_setfield(L, -2, "hard");
    }
    smtpc_lua_setfield_string(L, "rule", r->reason.rule);
    if (r->reason.evidence_len > 0) {
        lua_pushlstring(L, r->reason.evidence, r->reason.evidence_len);
        lua_setfield(L, -2, "evidence");
    }
}

/* bounce(text): the array of the records of the message `text` ({} for a message that is no
 * bounce), or nil, message, status. */
static int smtpc_lua_b_bounce(lua_State *L)
{
    size_t len, i, n;
    const char *s = smtpc_lua_check_text(L, 1, &len, 0, "bounce");
    smtpc_bounce *bounce;
    smtpc_error err;
    int rc = smtpc_bounce_parse(&bounce, smtpc_lua_db(L), s, len, &err);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    n = smtpc_bounce_count(bounce);
    luaL_checkstack(L, 4, "smtpcodes: bounce");
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        smtpc_lua_push_bounce_record(L, smtpc_bounce_record_at(bounce, i));
        lua_rawseti(L, -2, (int)i + 1);
    }
    smtpc_bounce_free(bounce);
    return 1;
}

/* ---- providers ----------------------------------------------------------------------- */

/* Pushes the table of `provider`: slug, name, hosts (a list), description, references (a
 * list); nil for NULL. A new, plain table on each call. */
static void smtpc_lua_push_provider(lua_State *L, const smtpc_provider *provider)
{
    if (provider == NULL) {
        lua_pushnil(L);
        return;
    }
    lua_createtable(L, 0, 5);
    smtpc_lua_setfield_string(L, "slug", provider->slug);
    smtpc_lua_setfield_string(L, "name", provider->name);
    smtpc_lua_setfield_list(L, "hosts", provider->hosts, " ");
    smtpc_lua_setfield_string(L, "description", provider->description);
    smtpc_lua_setfield_list(L, "references", provider->references, "; ");
}

/* providers(): the list of the providers, in the order of their slugs. */
static int smtpc_lua_b_providers(lua_State *L)
{
    const smtpc_db *db = smtpc_lua_db(L);
    size_t i, n = smtpc_provider_count(db);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        smtpc_lua_push_provider(L, smtpc_provider_at(db, i));
        lua_rawseti(L, -2, (int)i + 1);
    }
    return 1;
}

/* provider_of(host): the provider of `host`, or nil. */
static int smtpc_lua_b_provider_of(lua_State *L)
{
    size_t len;
    const char *host = smtpc_lua_check_text(L, 1, &len, 0, "provider_of");
    smtpc_lua_push_provider(L, smtpc_provider_of_host(smtpc_lua_db(L), host, len));
    return 1;
}

/* provider(slug): the provider named `slug`, or nil. */
static int smtpc_lua_b_provider(lua_State *L)
{
    size_t len;
    const char *slug = smtpc_lua_check_text(L, 1, &len, 0, "provider");
    const smtpc_provider *p = smtpc_provider_find(smtpc_lua_db(L), slug);
    /* a slug with a NUL inside names no provider */
    smtpc_lua_push_provider(L, p != NULL && strlen(slug) == len ? p : NULL);
    return 1;
}

/* The slug at `idx` (nil or "" for none), or raises when it is no string. */
static const char *smtpc_lua_slug_at(lua_State *L, int idx, const char *function)
{
    size_t len;
    const char *slug = smtpc_lua_check_text(L, idx, &len, 1, function);
    return slug != NULL && len > 0 ? slug : NULL;
}

/* meaning(text [, slug]): the entry of the code as provider `slug` means it (written with its
 * class) | nil, message, status. */
static int smtpc_lua_b_meaning(lua_State *L)
{
    size_t len;
    const char *s = smtpc_lua_check_text(L, 1, &len, 0, "meaning");
    const char *slug = smtpc_lua_slug_at(L, 2, "meaning");
    const smtpc_entry *e;
    smtpc_code code;
    smtpc_error err;
    int rc = smtpc_lookup_provider(&e, smtpc_lua_db(L), slug, s, len, &err);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    if (smtpc_code_parse(&code, s, len, NULL) != 0)
        code.klass = 0;
    smtpc_lua_push_entry(L, e, code.klass);
    return 1;
}

/* provider_meanings(text): the list of the providers' own entries of the code, written with
 * its class; {} for a code no provider describes or text that is no code. */
static int smtpc_lua_b_provider_meanings(lua_State *L)
{
    size_t len, i, n;
    const char *s = smtpc_lua_check_text(L, 1, &len, 0, "provider_meanings");
    const smtpc_db *db = smtpc_lua_db(L);
    const smtpc_entry *found[16];
    smtpc_code code;
    n = smtpc_provider_meanings(found, 16, db, s, len);
    if (smtpc_code_parse(&code, s, len, NULL) != 0)
        code.klass = 0;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n && i < 16; i++) {
        smtpc_lua_push_entry(L, found[i], code.klass);
        lua_rawseti(L, -2, (int)i + 1);
    }
    if (n > 16) {
        /* more providers than the array holds: the rest, one provider at a time */
        for (i = 0; i < smtpc_provider_count(db); i++) {
            const smtpc_provider *p = smtpc_provider_at(db, i);
            const smtpc_entry *e;
            size_t k;
            int listed = 0;
            if (smtpc_lookup_provider(&e, db, p->slug, s, len, NULL) != 0 ||
                strcmp(e->provider, p->slug) != 0)
                continue;
            for (k = 0; k < 16; k++)
                listed |= found[k] == e;
            if (!listed) {
                smtpc_lua_push_entry(L, e, code.klass);
                lua_rawseti(L, -2, (int)lua_rawlen(L, -2) + 1);
            }
        }
    }
    return 1;
}

/* reason(code, enhanced, command, text, slug): {reason, hard, rule, evidence} | nil, message,
 * status. `code` is 0 for none; the others may be nil. */
static int smtpc_lua_b_reason(lua_State *L)
{
    lua_Integer code;
    size_t enhanced_len, command_len, text_len;
    const char *enhanced, *command, *text, *slug;
    smtpc_reason r;
    smtpc_error err;
    int rc;
    if (!smtpc_lua_tointeger(L, 1, -0x7fffffff, 0x7fffffff, &code))
        return smtpc_lua_arg_error(L, "reason", 1, "integer");
    enhanced = smtpc_lua_check_text(L, 2, &enhanced_len, 1, "reason");
    command = smtpc_lua_check_text(L, 3, &command_len, 1, "reason");
    text = smtpc_lua_check_text(L, 4, &text_len, 1, "reason");
    slug = smtpc_lua_slug_at(L, 5, "reason");
    rc = smtpc_reason_decide(&r, smtpc_lua_db(L), slug, (int)code, enhanced, enhanced_len,
                             command, command_len, text, text_len, &err);
    if (rc != 0)
        return smtpc_lua_push_failure(L, rc, &err);
    lua_createtable(L, 0, 4);
    smtpc_lua_setfield_string(L, "reason", r.name);
    if (r.hard >= 0) {
        lua_pushboolean(L, r.hard);
        lua_setfield(L, -2, "hard");
    }
    smtpc_lua_setfield_string(L, "rule", r.rule);
    if (r.evidence_len > 0) {
        lua_pushlstring(L, r.evidence, r.evidence_len);
        lua_setfield(L, -2, "evidence");
    }
    return 1;
}

/* ---- bind ------------------------------------------------------------------------------ */

static const luaL_Reg smtpc_lua_bound[] = {
    { "lookup", smtpc_lua_b_lookup },
    { "closest", smtpc_lua_b_closest },
    { "entries", smtpc_lua_b_entries },
    { "languages", smtpc_lua_b_languages },
    { "parse", smtpc_lua_b_parse },
    { "classify", smtpc_lua_b_classify },
    { "parse_front", smtpc_lua_b_parse_front },
    { "stream", smtpc_lua_b_stream },
    { "feed", smtpc_lua_b_feed },
    { "finish", smtpc_lua_b_finish },
    { "stream_counts", smtpc_lua_b_stream_counts },
    { "scanner", smtpc_lua_b_scanner },
    { "summary", smtpc_lua_b_summary },
    { "load_summary", smtpc_lua_b_load_summary },
    { "merge", smtpc_lua_b_merge },
    { "record", smtpc_lua_b_record },
    { "bounce", smtpc_lua_b_bounce },
    { "providers", smtpc_lua_b_providers },
    { "provider_of", smtpc_lua_b_provider_of },
    { "provider", smtpc_lua_b_provider },
    { "meaning", smtpc_lua_b_meaning },
    { "provider_meanings", smtpc_lua_b_provider_meanings },
    { "reason", smtpc_lua_b_reason },
    { NULL, NULL },
};

int smtpc_lua_bind(lua_State *L)
{
    const luaL_Reg *f;
    int base, k;
    if (smtpc_lua_check_box(L, 1, SMTPC_LUA_DB) == NULL)
        return smtpc_lua_arg_error(L, "bind", 1, SMTPC_LUA_DB);
    lua_settop(L, 1);
    luaL_checkstack(L, 2 * UV_COUNT + 8, "smtpcodes: bind");
    lua_newtable(L); /* 2: the bound functions */
    base = lua_gettop(L) + 1;
    lua_pushvalue(L, 1);
    lua_newtable(L);
    lua_newtable(L);
    {
        smtpc_lua_hold *hold = (smtpc_lua_hold *)lua_newuserdata(L, sizeof *hold);
        hold->reply = NULL;
        hold->enhanced_kept = 0;
        hold->verdicts_kept = 0;
        luaL_getmetatable(L, SMTPC_LUA_REPLY_HOLD);
        lua_setmetatable(L, -2);
    }
    lua_newtable(L);
    smtpc_lua_seal(L);
    lua_newtable(L);
    lua_newtable(L);
    lua_newtable(L);
    for (k = 0; k < K_COUNT; k++)
        lua_pushstring(L, smtpc_lua_keys[k]);
    for (f = smtpc_lua_bound; f->name != NULL; f++) {
        int i;
        for (i = 0; i < UV_COUNT; i++)
            lua_pushvalue(L, base + i);
        lua_pushcclosure(L, f->func, UV_COUNT);
        lua_setfield(L, 2, f->name);
    }
    lua_settop(L, 2);
    return 1;
}
