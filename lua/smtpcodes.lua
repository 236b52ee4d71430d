--- smtpcodes: the SMTP reply-code reference, for Lua 5.4, 5.3 and LuaJIT.
--
--     local smtpcodes = require "smtpcodes"
--     local e = smtpcodes.lookup(421)            -- or "421", "5.7.1", "X.7.1"
--     print(e.name, e.retry)                     --> Service Not Available   later
--     print(smtpcodes.compare(504, 421, "th").text)
--
-- Every function takes a code as an integer (421) or a string ("421", " 421 ", "5.7.1"). Entries
-- and lists are plain tables, built once per database and shared: treat them as read-only.
--
-- Failures that depend on the data (a code that is malformed or unknown, an unknown language, a
-- data file that cannot be read or parsed) return `nil, message, status`, where status is one of
-- "syntax", "notfound", "lang", "invalid" (two codes that are the same), "io" or "data". Misuse
-- (a table where a code belongs, 250.5, an unknown format name) raises an error that names the
-- argument.
--
-- The module's functions read the built-in database, laid over with the data file named by the
-- environment variable SMTPCODES_DATA when it is set; if that file is bad, they return its error.
-- smtpcodes.load(path) gives a database object with the same functions as methods.
--
-- Entry fields:
--   code         421 (an integer) for a reply code, "X.7.1" for an enhanced status code
--   kind         "basic" or "enhanced"
--   class        the first digit; 0 for an enhanced entry ("X": the class is not given)
--   classes      the classes it is meant for: {4} for 421, {4, 5} for X.7.1
--   category     the second digit, or the subject of an enhanced code
--   detail       the third digit, or the detail number of an enhanced code
--   conforming   false for codes RFC 5321 does not allow but servers send (571)
--   name, slug, description, when, fix
--   origin       "rfc", "registry" or "nonstandard"
--   references   {"RFC 5321 section 4.2.3", ...}
--   retry        "none", "later", "after-fix" or "no"
--   connection   "kept", "closed", "may-close", or nil when the data does not say
--   commands     {"CONNECT", "ANY"}: what it answers ({} for enhanced codes)
--   enhanced     {"4.3.2", ...}: enhanced codes usually sent with a reply code
--   sample, associated   the IANA registry's sample text and associated codes (enhanced only)
--   see          a code this one points to, note: a caveat (both may be nil)

local core = require "smtpcodes_core"

local error, type, tostring, tonumber, pairs, ipairs, setmetatable =
    error, type, tostring, tonumber, pairs, ipairs, setmetatable
local floor, tointeger = math.floor, math.tointeger
local format = string.format

local M = { _VERSION = core.version() }

local KIND = { [core.KIND_BASIC] = "basic", [core.KIND_ENHANCED] = "enhanced" }
local ORIGIN = {
    [core.ORIGIN_RFC] = "rfc",
    [core.ORIGIN_REGISTRY] = "registry",
    [core.ORIGIN_NONSTANDARD] = "nonstandard",
}
local RETRY = {
    [core.RETRY_NONE] = "none",
    [core.RETRY_LATER] = "later",
    [core.RETRY_AFTER_FIX] = "after-fix",
    [core.RETRY_NO] = "no",
}
local CONNECTION = {
    [core.CONNECTION_KEPT] = "kept",
    [core.CONNECTION_CLOSED] = "closed",
    [core.CONNECTION_MAY_CLOSE] = "may-close",
}
local STATUS = {
    [core.ESYNTAX] = "syntax",
    [core.ENOTFOUND] = "notfound",
    [core.ELANG] = "lang",
    [core.EINVAL] = "invalid",
    [core.EIO] = "io",
    [core.EDATA] = "data",
}
local LABELS = {
    description = core.LABEL_DESCRIPTION,
    when = core.LABEL_WHEN,
    fix = core.LABEL_FIX,
    differences = core.LABEL_DIFFERENCES,
    usage = core.LABEL_USAGE,
    learn_more = core.LABEL_LEARN_MORE,
}
local RENDERINGS = {
    text = core.FORMAT_TEXT,
    markdown = core.FORMAT_MARKDOWN,
    html = core.FORMAT_HTML,
    json = core.FORMAT_JSON,
}
local LOAD_MODES = { overlay = core.LOAD_OVERLAY, alone = core.LOAD_ALONE }

-- ---- arguments ------------------------------------------------------------------------------

-- Raises "bad argument #n (name) to 'fname' (problem)" at the caller of the public function:
-- level 4 counts this function, the check_* function and the public function.
local function argerror(n, name, fname, problem)
    error(format("bad argument #%d (%s) to '%s' (%s)", n, name, fname, problem), 4)
end

-- The value of number `n` as an integer, or nil when it has a fraction or is out of range.
local function as_integer(n)
    if tointeger then
        return tointeger(n)
    end
    -- Lua 5.1 and LuaJIT: integral doubles; NaN fails the comparison.
    if n == floor(n) and n >= -2 ^ 53 and n <= 2 ^ 53 then
        return n
    end
    return nil
end

-- A code argument as the integer or string to hand to the core.
local function check_code(code, n, name, fname)
    local t = type(code)
    if t == "string" then
        return code
    end
    if t == "number" then
        local integer = as_integer(code)
        if integer then
            return integer
        end
        argerror(n, name, fname, "number has no integer representation: " .. tostring(code))
    end
    argerror(n, name, fname, "integer or string expected, got " .. t)
end

local function check_string(value, n, name, fname, optional)
    local t = type(value)
    if t == "string" or (optional and value == nil) then
        return value
    end
    argerror(n, name, fname, (optional and "string or nil" or "string") .. " expected, got " .. t)
end

local function check_class(class, fname)
    if class == nil then
        return nil
    end
    if type(class) == "number" then
        local integer = as_integer(class)
        if integer and integer >= 2 and integer <= 5 then
            return integer
        end
    end
    argerror(1, "class", fname, "reply class 2, 3, 4 or 5 expected, got " .. tostring(class))
end

local function check_format(name, n, fname)
    check_string(name, n, "format", fname, true)
    if name == nil then
        return core.FORMAT_TEXT
    end
    local value, message = core.format_parse(name)
    if not value then
        argerror(n, "format", fname, message)
    end
    return value
end

local function check_path(path, fname)
    check_string(path, 1, "path", fname)
    if path:find("\0", 1, true) then
        argerror(1, "path", fname, "string without NUL bytes expected")
    end
    return path
end

local function check_mode(mode, fname)
    if mode == nil then
        return core.LOAD_OVERLAY
    end
    local flags = LOAD_MODES[mode]
    if flags then
        return flags
    end
    argerror(2, "mode", fname, "\"overlay\" or \"alone\" expected, got " .. tostring(mode))
end

-- ---- results --------------------------------------------------------------------------------

-- A string for an error message: quoted, control and non-ASCII bytes escaped, not too long.
local function quote(s)
    if #s > 40 then
        s = s:sub(1, 37) .. "..."
    end
    return "'" .. (s:gsub("[%c'\\\128-\255]", function(c)
        return format("\\x%02X", c:byte())
    end)) .. "'"
end

-- A code as the text the core reads.
local function as_text(key)
    if type(key) == "number" then
        return format("%d", key)
    end
    return key
end

-- nil, message, status for an expected failure; out of memory (or a status no function here
-- can return) is raised, as Lua does. `input`, when given, is the code that was read.
local function failure(message, status, input)
    local name = STATUS[status]
    if not name then
        error("smtpcodes: " .. message, 0)
    end
    if name == "syntax" and input ~= nil then
        message = quote(as_text(input)) .. " is not an SMTP code (" .. message .. ")"
    end
    return nil, message, name
end

-- Raises for a rendering that failed: only running out of memory makes it fail.
local function rendered(text, message)
    if not text then
        error("smtpcodes: " .. message, 0)
    end
    return text
end

local function split(s, separator)
    local list = {}
    if s ~= "" then
        for item in (s .. separator):gmatch("(.-)" .. separator) do
            list[#list + 1] = item
        end
    end
    return list
end

local function optional(s)
    if s ~= "" then
        return s
    end
    return nil
end

-- 421 for a reply code, "5.7.1" for an enhanced one.
local function code_value(text, kind)
    if kind == core.KIND_BASIC then
        return tonumber(text)
    end
    return text
end

local function make_entry(raw)
    local parsed = raw.parsed
    local classes = {}
    for digit in raw.classes:gmatch("%d") do
        classes[#classes + 1] = tonumber(digit)
    end
    return {
        code = code_value(raw.code, parsed.kind),
        kind = KIND[parsed.kind],
        class = parsed.klass,
        classes = classes,
        category = parsed.category,
        detail = parsed.detail,
        conforming = parsed.conforming == 1,
        name = raw.name,
        slug = raw.slug,
        origin = ORIGIN[raw.origin],
        description = raw.description,
        when = raw.when,
        fix = raw.fix,
        references = split(raw.references, "; "),
        retry = RETRY[raw.retry],
        connection = CONNECTION[raw.connection],
        commands = split(raw.commands, " "),
        enhanced = split(raw.enhanced, " "),
        sample = optional(raw.sample),
        associated = optional(raw.associated),
        see = optional(raw.see),
        note = optional(raw.note),
    }
end

local function copy(list)
    local result = {}
    for i = 1, #list do
        result[i] = list[i]
    end
    return result
end

-- ---- databases ------------------------------------------------------------------------------

-- What the module knows about a database: its handle and the tables built from it.
local function new_state(handle, memo)
    local state = { handle = handle, list = {}, by_code = {}, by_class = {}, memo = memo }
    for i = 0, core.db_count(handle) - 1 do
        local raw = core.db_entry(handle, i)
        local entry = make_entry(raw)
        state.list[i + 1] = entry
        state.by_code[raw.code] = entry
    end
    return state
end

-- Successful lookups are remembered by argument: integers, and strings written as codes
-- ("421", "5.7.1", "x.7.1"). That bounds the memo by a small multiple of the database's size.
-- Only valid codes get in, so lookup reads the memo before it checks its argument: any value
-- may index a table (even NaN), and a repeated lookup costs a call and an index.
local function memorable(key)
    return type(key) == "number" or (#key <= 11 and not key:find("[^%dXx.]"))
end

-- The slow path of lookup: the memo has no entry for `key`.
local function lookup(state, key)
    local raw, message, status = core.lookup(state.handle, as_text(key))
    if not raw then
        return failure(message, status, key)
    end
    local entry = state.by_code[raw.code]
    if memorable(key) then
        state.memo[key] = entry
    end
    return entry
end

local function closest(state, key)
    local raw, exact, status = core.lookup_closest(state.handle, as_text(key))
    if not raw then
        return failure(exact, status, key)
    end
    return state.by_code[raw.code], exact
end

local function codes(state, class)
    if class == nil then
        return copy(state.list)
    end
    local list = state.by_class[class]
    if not list then
        list = {}
        for _, entry in ipairs(state.list) do
            for _, c in ipairs(entry.classes) do
                if c == class then
                    list[#list + 1] = entry
                end
            end
        end
        state.by_class[class] = list
    end
    return copy(list)
end

local function languages(state)
    if not state.languages then
        local tags = {}
        for i = 0, core.language_count(state.handle) - 1 do
            tags[i + 1] = core.language_tag(state.handle, i)
        end
        state.languages = tags
    end
    return copy(state.languages)
end

local function compare(state, a, b, lang)
    local cmp, message, status = core.compare(state.handle, as_text(a), as_text(b), lang)
    if not cmp then
        if status == core.ESYNTAX then
            -- Say which of the two it is.
            for _, key in ipairs({ a, b }) do
                local parsed, why, code_status = core.code_parse(as_text(key))
                if not parsed then
                    return failure(why, code_status, key)
                end
            end
        end
        return failure(message, status)
    end
    local page = {
        lang = core.comparison_part(cmp, core.PART_LANG),
        title = core.comparison_part(cmp, core.PART_TITLE),
        intro = core.comparison_part(cmp, core.PART_INTRO),
        usage = core.comparison_part(cmp, core.PART_USAGE),
        labels = {},
        codes = { core.comparison_code(cmp, 0), core.comparison_code(cmp, 1) },
        entries = {
            state.by_code[core.comparison_entry(cmp, 0).code],
            state.by_code[core.comparison_entry(cmp, 1).code],
        },
        differences = {},
        learn_more = {},
    }
    for name, which in pairs(LABELS) do
        page.labels[name] = core.comparison_label(cmp, which)
    end
    for i = 0, core.comparison_difference_count(cmp) - 1 do
        page.differences[i + 1] = {
            kind = core.comparison_difference_kind(cmp, i),
            text = core.comparison_difference(cmp, i),
        }
    end
    for i = 0, core.comparison_reference_count(cmp) - 1 do
        local text = core.comparison_reference(cmp, i)
        page.learn_more[i + 1] = { text = text, url = core.reference_url(text) }
    end
    for name, which in pairs(RENDERINGS) do
        page[name] = rendered(core.render_comparison(cmp, which))
    end
    -- Now rather than when the collector comes by: it does not see the C memory.
    core.comparison_free(cmp)
    return page
end

local function explain(state, key, lang, which)
    local text, message, status = core.render_code(state.handle, as_text(key), lang, which)
    if not text then
        return failure(message, status, key)
    end
    return text
end

-- ---- the module's own database --------------------------------------------------------------

local default_state
local default_memo = {}

-- The state of the database SMTPCODES_DATA asks for; nil, message, status while it fails.
local function module_state()
    if default_state then
        return default_state
    end
    local handle, message, status = core.db_from_env()
    if not handle then
        return failure(message, status)
    end
    default_state = new_state(handle, default_memo)
    return default_state
end

--- Looks up a code: the entry, or nil, message, status.
function M.lookup(code)
    local entry = default_memo[code]
    if entry then
        return entry
    end
    local key = check_code(code, 1, "code", "lookup")
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return lookup(state, key)
end

--- Like lookup, but an unregistered enhanced code finds its closest registered entry (X.S.0,
-- then X.0.0: RFC 3463 section 3.1). Returns the entry and whether it is the code itself.
function M.closest(code)
    local key = check_code(code, 1, "code", "closest")
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return closest(state, key)
end

--- Every entry in code order (reply codes by number, then enhanced codes), or those of reply
-- class `class` (2-5; an enhanced entry belongs to each class it is meant for).
function M.codes(class)
    class = check_class(class, "codes")
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return codes(state, class)
end

--- Compares two codes; the lower comes first whatever the order given. Section labels are in
-- language `lang` (default "en"). Returns the page, with the fields of its JSON rendering where
-- they exist: lang (the canonical tag), title, intro, usage, labels (description, when, fix,
-- differences, usage, learn_more), codes (as written: {"552", "5.2.2"}), entries (their entry
-- tables), differences ({kind, text} each), learn_more ({text, url} each, url nil when the
-- reference has no address), and the renderings text, markdown, html and json.
function M.compare(a, b, lang)
    local key_a = check_code(a, 1, "a", "compare")
    local key_b = check_code(b, 2, "b", "compare")
    check_string(lang, 3, "lang", "compare", true)
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return compare(state, key_a, key_b, lang)
end

--- One code's page, as `smtpcodes show` prints it, in format "text" (default), "markdown",
-- "html" or "json", with section labels in language `lang`.
function M.explain(code, lang, fmt)
    local key = check_code(code, 1, "code", "explain")
    check_string(lang, 2, "lang", "explain", true)
    local which = check_format(fmt, 3, "explain")
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return explain(state, key, lang, which)
end

--- The language tags that compare and explain accept, such as "en" and "zh-hans".
function M.languages()
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return languages(state)
end

--- Takes a code apart without looking it up: {code, kind, class, category, detail,
-- conforming}, where class is the digit as written (0 for "X.7.1").
function M.parse_code(code)
    local key = check_code(code, 1, "code", "parse_code")
    local parsed, message, status = core.code_parse(as_text(key))
    if not parsed then
        return failure(message, status, key)
    end
    return {
        code = code_value(parsed.text, parsed.kind),
        kind = KIND[parsed.kind],
        class = parsed.klass,
        category = parsed.category,
        detail = parsed.detail,
        conforming = parsed.conforming == 1,
    }
end

-- ---- loaded databases -----------------------------------------------------------------------

local Database = {}
Database.__index = Database
Database.__metatable = false

local states = setmetatable({}, { __mode = "k" })

local function state_of(self, fname)
    local state = states[self]
    if not state then
        error(format("bad self to '%s' (smtpcodes database expected, got %s; call db:%s(...))",
                     fname, type(self), fname), 3)
    end
    return state
end

function Database.__tostring(self)
    return "smtpcodes database: " .. states[self].path
end

--- Loads a data file (docs/data-format.md): laid over the built-in database (mode "overlay",
-- the default) or alone ("alone"). Returns a database object, or nil, message, status.
function M.load(path, mode)
    check_path(path, "load")
    local flags = check_mode(mode, "load")
    local handle, message, status = core.db_load(path, flags)
    if not handle then
        return failure(message, status)
    end
    local db = setmetatable({}, Database)
    local state = new_state(handle, {})
    state.path = path
    states[db] = state
    return db
end

function Database:lookup(code)
    local state = states[self]
    local entry = state and state.memo[code]
    if entry then
        return entry
    end
    state = state_of(self, "lookup")
    return lookup(state, check_code(code, 1, "code", "lookup"))
end

function Database:closest(code)
    local state = state_of(self, "closest")
    return closest(state, check_code(code, 1, "code", "closest"))
end

function Database:codes(class)
    local state = state_of(self, "codes")
    return codes(state, check_class(class, "codes"))
end

function Database:compare(a, b, lang)
    local state = state_of(self, "compare")
    local key_a = check_code(a, 1, "a", "compare")
    local key_b = check_code(b, 2, "b", "compare")
    return compare(state, key_a, key_b, check_string(lang, 3, "lang", "compare", true))
end

function Database:explain(code, lang, fmt)
    local state = state_of(self, "explain")
    local key = check_code(code, 1, "code", "explain")
    check_string(lang, 2, "lang", "explain", true)
    return explain(state, key, lang, check_format(fmt, 3, "explain"))
end

function Database:languages()
    return languages(state_of(self, "languages"))
end

return M
