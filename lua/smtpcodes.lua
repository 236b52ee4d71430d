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
-- data file that cannot be read or parsed, a malformed reply) return `nil, message, status`,
-- where status is one of "syntax", "notfound", "lang", "invalid" (two codes that are the same; a
-- reply code, enhanced code or text that cannot be built or classified), "io", "data", "reply"
-- (not a well-formed reply: the message starts with "line L, column C: ") or "incomplete" (a
-- fourth value then says how many more bytes are needed at least). Misuse (a table where a code
-- belongs, 250.5, an unknown format name or option) raises an error that names the argument.
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
--
-- Replies (RFC 5321 section 4.2, RFC 2034; docs/replies.md):
--
--     local r = assert(smtpcodes.parse_reply("550 5.1.1 <bob@example.org>: no such user\r\n"))
--     print(r.code, r.enhanced, r.action, r.reason)  --> 550  5.1.1  give-up  A 5xx reply is...
--     local p = smtpcodes.reply_parser()              -- for a stream: p:feed(chunk), p:finish()
--     print(smtpcodes.classify("552 Too many recipients\r\n", "RCPT").action)   --> retry
--     print(smtpcodes.build_reply(550, "5.7.1", "Relaying denied"))
--     local summary = assert(smtpcodes.scan("/var/log/mail.log"))
--
--   parse_reply(text [, opts])  one reply from the start of `text`: the reply table and the
--       number of bytes it took (a second reply after it is left alone). opts: complete (default
--       true: the text is all there is, a last line may lack its line end; false: a reply that
--       may still grow is "incomplete"), strict (refuse lines over 512 octets), embedded (find
--       the reply in a log or bounce line: Postfix's "said: 550 ...", a DSN's "Diagnostic-Code:
--       smtp; 550 ..."), command (what the reply answered: "RCPT", "DATA"...; it decides a 552).
--   reply_parser([opts])  a parser for a stream (opts: strict, embedded, command).
--       p:feed(chunk) returns the list of replies the chunk completes (perhaps empty) and keeps
--       the rest; chunks may split the input anywhere. p:finish() returns those left at the end
--       of the input and empties the parser. Blank lines between replies are skipped. For a
--       malformed reply, either returns nil, message, "reply", replies: the message gives the
--       line in the stream, `replies` those completed before it; the input is skipped through
--       the end of the line at fault, and what follows is read by the next call (feed("") too).
--   classify(reply [, command])  what a client does about a reply: `reply` is its text or a
--       table with code and enhanced (and command) fields, such as parse_reply's; `command`
--       overrides the reply's own. Returns the verdict {action, rule, reason, flags}.
--   build_reply(code [, enhanced [, text]])  the wire form: "550 5.7.1 text\r\n", or "550-"
--       lines when the text needs more than 512 octets; without text, the database's wording.
--   scan(source)  counts the replies in a mail log or bounce messages. `source` is a path (read
--       in chunks), an open file, an array of lines or an iterator of lines (such as io.lines(path):
--       a function returning each line, without its line end, then nil). Returns the summary
--       {lines, replies, skipped (lines over 65,536 octets), rows}, rows in order of code then
--       enhanced code.
--
-- Reply fields:
--   code         250 (an integer)
--   enhanced     "2.1.5", or nil when the reply has none
--   lines        {"mx.example.com", "PIPELINING", ...}: each line's text after the code, its
--                separator and the enhanced code
--   text         the lines joined with "\n"
--   class        the first digit (2-5)
--   warnings     {"bare-lf", ...}: what the reply got away with ("class-mismatch", "nonconforming",
--                "invalid-utf8", "long-line", "bare-lf", "enhanced-varies"); {} for none
--   command      the command the verdict was decided for: opts.command, or what the text names
--                (Postfix's "(in reply to RCPT TO command)" gives "RCPT"), or nil
--   entry        the reply code's entry (the lookup table), or nil for a code the database lacks
--   enhanced_entry   the enhanced code's entry, or its closest registered one; nil without one
--   action       "done", "continue", "retry" or "give-up"
--   rule         what decided it: "class" (the first digit), "too-many-recipients",
--                "mailbox-full", "class-mismatch" or "unknown-code"
--   reason       one English sentence that cites the RFC
-- Verdict fields (classify): action, rule, reason as above, and flags: {"connection-closed", ...}
--   ("class-mismatch", "unknown-code", "connection-closed", "overridden").
-- Scan row fields: code, enhanced (or nil), count, name (the code's name, nil for an unknown
--   code), action, sample (the first line it was seen on, up to 400 bytes), entry,
--   enhanced_entry.
-- Each reply, verdict and summary is a new table; the entries in them are the shared ones.

local core = require "smtpcodes_core"

local error, type, tostring, tonumber, pairs, ipairs, setmetatable, pcall =
    error, type, tostring, tonumber, pairs, ipairs, setmetatable, pcall
local floor, tointeger = math.floor, math.tointeger
local format, find, byte, sub = string.format, string.find, string.byte, string.sub
local concat = table.concat
local io_open, io_type = io.open, io.type

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
    [core.EREPLY] = "reply",
    [core.EINCOMPLETE] = "incomplete",
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

-- A string for an error message: quoted, control and non-ASCII bytes escaped, not too long.
local function quote(s)
    if #s > 40 then
        s = s:sub(1, 37) .. "..."
    end
    return "'" .. (s:gsub("[%c'\\\128-\255]", function(c)
        return format("\\x%02X", c:byte())
    end)) .. "'"
end

-- A value for an error message: strings quoted (and cut), anything else as tostring shows it.
local function shown(value)
    if type(value) == "string" then
        return quote(value)
    end
    return tostring(value)
end

-- A path for an error message, cut when it is very long.
local function short_path(path)
    if #path > 200 then
        return path:sub(1, 197) .. "..."
    end
    return path
end

local getinfo = debug and debug.getinfo
local this_file = getinfo and getinfo(1, "S").source

-- Raises "bad argument #n (name) to 'fname' (problem)" at the caller of the public function:
-- the first function on the stack outside this file, however deep the check (level 4, this
-- function, a check_* function and the public function, where the debug library is missing).
local function argerror(n, name, fname, problem)
    local level = 4
    if getinfo then
        level = 2
        while true do
            local info = getinfo(level, "S")
            if not info or info.source ~= this_file then
                break
            end
            level = level + 1
        end
    end
    error(format("bad argument #%d (%s) to '%s' (%s)", n, name, fname, problem), level)
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
    argerror(1, "class", fname, "reply class 2, 3, 4 or 5 expected, got " .. shown(class))
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

local function check_path(path, fname, name)
    check_string(path, 1, name or "path", fname)
    if path:find("\0", 1, true) then
        argerror(1, name or "path", fname, "string without NUL bytes expected")
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
    argerror(2, "mode", fname, "\"overlay\" or \"alone\" expected, got " .. shown(mode))
end

-- ---- results --------------------------------------------------------------------------------


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
    -- by_key: entries by the integer keys the core's reply functions give (the code, 421, for a
    -- reply code; subject * 1000 + detail, 7001, for X.7.1).
    local state = { handle = handle, list = {}, by_code = {}, by_key = {}, by_class = {},
                    memo = memo }
    for i = 0, core.db_count(handle) - 1 do
        local raw = core.db_entry(handle, i)
        local entry = make_entry(raw)
        state.list[i + 1] = entry
        state.by_code[raw.code] = entry
        if entry.kind == "basic" then
            state.by_key[entry.code] = entry
        else
            state.by_key[entry.category * 1000 + entry.detail] = entry
        end
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

-- ---- replies --------------------------------------------------------------------------------

local reply_parse = core.reply_parse
local COMPLETE = core.REPLY_COMPLETE
local STRICT = core.REPLY_STRICT_LENGTH
local EMBEDDED = core.REPLY_EMBEDDED
local EREPLY, EINCOMPLETE = core.EREPLY, core.EINCOMPLETE
-- A line longer than this is refused whatever the flags: the stream parser hands the core a
-- line that grows past it, so that the core refuses it, instead of keeping it.
local HARD_LINE_LIMIT = core.REPLY_HARD_LINE_LIMIT

-- The options each function takes, with the type of each.
local PARSE_OPTIONS = { complete = "boolean", strict = "boolean", embedded = "boolean",
                        command = "string" }
local PARSER_OPTIONS = { strict = "boolean", embedded = "boolean", command = "string" }

-- The flags and the command that the options table `opts` (argument `n` of `fname`) asks for.
-- Without `complete`, the input is complete when `complete_default` says so.
local function check_options(opts, n, fname, allowed, complete_default)
    if opts == nil then
        return complete_default and COMPLETE or 0, nil
    end
    if type(opts) ~= "table" then
        argerror(n, "opts", fname, "table or nil expected, got " .. type(opts))
    end
    for key, value in pairs(opts) do
        local expected = allowed[key]
        if not expected then
            argerror(n, "opts", fname, "unknown option " .. (type(key) == "string" and quote(key)
                                                              or tostring(key)))
        end
        if type(value) ~= expected then
            argerror(n, "opts", fname, format("option '%s': %s expected, got %s", key, expected,
                                              type(value)))
        end
    end
    local complete = opts.complete
    if complete == nil then
        complete = complete_default
    end
    local flags = (complete and COMPLETE or 0) + (opts.strict and STRICT or 0)
                  + (opts.embedded and EMBEDDED or 0)
    local command = opts.command
    if command == "" then
        command = nil
    end
    return flags, command
end

-- nil, message, status (and for "incomplete" the least number of further bytes needed) for a
-- reply the core refused.
local function reply_failure(message, status, needed)
    if status == EINCOMPLETE then
        return nil, message, "incomplete", needed
    end
    return failure(message, status)
end

-- Warning names by the core's bits, and the lists for each set of bits, built when first met.
local WARNING_BITS = {
    core.WARN_CLASS_MISMATCH, core.WARN_NONCONFORMING, core.WARN_INVALID_UTF8,
    core.WARN_LONG_LINE, core.WARN_BARE_LF, core.WARN_ENHANCED_VARIES,
}
local WARNING_NAMES = {
    [core.WARN_CLASS_MISMATCH] = "class-mismatch", [core.WARN_NONCONFORMING] = "nonconforming",
    [core.WARN_INVALID_UTF8] = "invalid-utf8", [core.WARN_LONG_LINE] = "long-line",
    [core.WARN_BARE_LF] = "bare-lf", [core.WARN_ENHANCED_VARIES] = "enhanced-varies",
}
local warning_lists = {}

-- A new list of the names of the warning bits in `bits`, lowest bit first (each reply gets a
-- list of its own).
local function warnings_of(bits)
    local names = warning_lists[bits]
    if not names then
        names = {}
        for _, bit in ipairs(WARNING_BITS) do
            if floor(bits / bit) % 2 == 1 then
                names[#names + 1] = WARNING_NAMES[bit]
            end
        end
        warning_lists[bits] = names
    end
    return copy(names)
end

-- The reply table from what core.reply_parse returns on success (lua.swg,
-- smtpc_lua_push_reply), then the bytes it took.
local function make_reply(by_key, code, class, enhanced, lines, text, warnings, command, key,
                          enhanced_key, action, rule, reason, consumed)
    return {
        code = code, enhanced = enhanced, lines = lines, text = text, class = class,
        warnings = warnings == 0 and {} or warnings_of(warnings), command = command,
        entry = by_key[key], enhanced_entry = by_key[enhanced_key],
        action = action, rule = rule, reason = reason,
    }, consumed
end

-- make_reply, or the failure core.reply_parse reports: nil, message, status (and for
-- "incomplete" the bytes needed).
local function reply_or_failure(by_key, code, message, status, needed, ...)
    if code then
        return make_reply(by_key, code, message, status, needed, ...)
    end
    return reply_failure(message, status, needed)
end

local function parse_reply(state, text, flags, command)
    return reply_or_failure(state.by_key, reply_parse(state.handle, text, 0, flags, command))
end

-- The reply code of build_reply's `code` argument (an integer, or a string such as "550"), or
-- nil, message, status.
local function reply_code(key)
    if type(key) == "string" then
        local parsed, message, status = core.code_parse(key)
        if not parsed then
            return failure(message, status, key)
        end
        if parsed.kind ~= core.KIND_BASIC then
            return nil, quote(key) .. " is not a reply code: expected 200 to 599", "invalid"
        end
        return parsed.klass * 100 + parsed.category * 10 + parsed.detail
    end
    if key < 200 or key > 599 then
        return nil, format("%d is not a reply code: expected 200 to 599", key), "invalid"
    end
    return key
end

local function classify(state, reply, command, fname)
    local code, enhanced
    if type(reply) == "string" then
        local parsed, message, status, needed = parse_reply(state, reply, COMPLETE, command)
        if not parsed then
            return nil, message, status, needed
        end
        reply = parsed
    elseif type(reply) ~= "table" then
        argerror(1, "reply", fname, "string or reply table expected, got " .. type(reply))
    end
    code, enhanced = reply.code, reply.enhanced
    if type(code) ~= "number" or not as_integer(code) then
        argerror(1, "reply", fname, "field 'code': integer expected, got "
                                    .. (type(code) == "number" and tostring(code) or type(code)))
    end
    if enhanced ~= nil and type(enhanced) ~= "string" then
        argerror(1, "reply", fname, "field 'enhanced': string or nil expected, got "
                                    .. type(enhanced))
    end
    if command == nil then
        command = reply.command
        if command ~= nil and type(command) ~= "string" then
            argerror(1, "reply", fname, "field 'command': string or nil expected, got "
                                        .. type(command))
        end
    end
    if code < 200 or code > 599 then
        return nil, format("%d is not a reply code: expected 200 to 599", code), "invalid"
    end
    local verdict, message, status = core.classify(state.handle, code, enhanced, command)
    if not verdict then
        if status == core.EINVAL then
            message = quote(enhanced) .. " is " .. message
        end
        return failure(message, status)
    end
    return verdict
end

local function build_reply(state, key, enhanced, text)
    local code, message, status = reply_code(key)
    if not code then
        return nil, message, status
    end
    local wire
    wire, message, status = core.reply_build(state.handle, code, enhanced, text)
    if not wire then
        return failure(message, status)
    end
    return wire
end

-- ---- the stream parser ----------------------------------------------------------------------

local Parser = {}
Parser.__index = Parser
Parser.__metatable = false

local parsers = setmetatable({}, { __mode = "k" })

local function parser_of(self, fname)
    local ps = parsers[self]
    if not ps then
        error(format("bad self to '%s' (smtpcodes reply parser expected, got %s; call p:%s(...))",
                     fname, type(self), fname), 3)
    end
    return ps
end

function Parser.__tostring(self)
    local ps = parsers[self]
    return format("smtpcodes reply parser (line %d, %d bytes buffered)", ps.line,
                  #ps.buffer + ps.pending_len)
end

local function new_parser(state, flags, command)
    local p = setmetatable({}, Parser)
    -- EMBEDDED is the highest flag: flags >= EMBEDDED says whether it is set.
    parsers[p] = { state = state, flags = flags, command = command, embedded = flags >= EMBEDDED,
                   buffer = "", pending = {}, pending_len = 0, tail = 0, line = 0,
                   resume = false }
    return p
end

-- Reads the replies in `data` from its start; `final` when no more input will come. Keeps what
-- is left in the parser's buffer.
local function parse_stream(ps, data, final)
    local state = ps.state
    local handle, by_key = state.handle, state.by_key
    local flags = final and ps.flags + COMPLETE or ps.flags
    local command, embedded = ps.command, ps.embedded
    local replies = {}
    local at, n = 0, #data
    ps.resume = false
    while at < n do
        local c = byte(data, at + 1)
        if c == 10 then
            -- Blank lines between replies are skipped.
            at = at + 1
            ps.line = ps.line + 1
        elseif c == 13 and byte(data, at + 2) == 10 then
            at = at + 2
            ps.line = ps.line + 1
        elseif c == 13 and at + 1 == n and not final then
            break -- perhaps a blank line: wait for its LF
        elseif embedded and not final and not find(data, "\n", at + 1, true) then
            break -- an embedded reply is one line: wait for its end
        else
            local code, message, status, needed, line, column, text, key, enhanced_key,
                  action, rule, reason, used = reply_parse(handle, data, at, flags, command)
            if code then
                local reply = make_reply(by_key, code, message, status, needed, line, column,
                                         text, key, enhanced_key, action, rule, reason)
                replies[#replies + 1] = reply
                at = at + used
                ps.line = ps.line + (embedded and 1 or #reply.lines)
            elseif status == EINCOMPLETE then
                break
            elseif status ~= EREPLY then
                failure(message, status) -- raises: out of memory
            else
                -- Drop the input through the end of the line at fault.
                local skip = line > 0 and line or 1
                local stop = at
                for _ = 1, skip do
                    local nl = find(data, "\n", stop + 1, true)
                    stop = nl or n
                    if not nl then
                        break
                    end
                end
                -- The position in the stream; the core's text counts lines within the reply.
                local message = format("line %d", ps.line + skip)
                if skip > 1 then
                    message = message .. format(" (line %d of its reply)", skip)
                end
                if column > 0 then
                    message = message .. format(", column %d", column)
                end
                message = message .. ": " .. text
                ps.line = ps.line + skip
                ps.buffer = sub(data, stop + 1)
                ps.tail = #ps.buffer
                ps.resume = true
                return nil, message, "reply", replies
            end
        end
    end
    local rest = at > 0 and sub(data, at + 1) or data
    ps.buffer = rest
    local last_nl = nil
    if rest ~= "" then
        local from = 1
        while true do
            local nl = find(rest, "\n", from, true)
            if not nl then
                break
            end
            last_nl, from = nl, nl + 1
        end
    end
    ps.tail = #rest - (last_nl or 0)
    return replies
end

local function take_pending(ps, chunk)
    local data
    if ps.pending_len > 0 then
        ps.pending[#ps.pending + 1] = chunk
        data = ps.buffer .. concat(ps.pending)
        ps.pending = {}
        ps.pending_len = 0
    elseif ps.buffer ~= "" then
        data = ps.buffer .. chunk
    else
        data = chunk
    end
    return data
end

--- Adds `chunk` to the stream. Returns the list of replies it completes (possibly empty), in
-- order; what does not make a complete reply yet is kept. See smtpcodes.reply_parser.
function Parser:feed(chunk)
    local ps = parser_of(self, "feed")
    check_string(chunk, 1, "chunk", "feed")
    -- A reply ends with a line end: a chunk without one completes nothing, unless its line grows
    -- past the hard limit (which the core refuses) or the last call stopped at an error.
    if not ps.resume and not find(chunk, "\n", 1, true)
       and ps.tail + ps.pending_len + #chunk <= HARD_LINE_LIMIT then
        if chunk ~= "" then
            ps.pending[#ps.pending + 1] = chunk
            ps.pending_len = ps.pending_len + #chunk
        end
        return {}
    end
    return parse_stream(ps, take_pending(ps, chunk), false)
end

--- Ends the stream: what is left must be complete replies (a last line may lack its line end).
-- Returns their list; the parser is then empty and may read a new stream.
function Parser:finish()
    local ps = parser_of(self, "finish")
    local replies, message, status, before = parse_stream(ps, take_pending(ps, ""), true)
    if not replies then
        return nil, message, status, before
    end
    ps.buffer, ps.tail, ps.line, ps.resume = "", 0, 0, false
    return replies
end

-- ---- scanning -------------------------------------------------------------------------------

local SCAN_CHUNK = 65536
local SCAN_BATCH = 512 -- lines joined into one feed

local function feed(scanner, data)
    local _, message, status = core.scanner_feed(scanner, data)
    if message then
        failure(message, status) -- raises: out of memory
    end
end

-- Feeds the file `f` in chunks; true, or nil and the message of a read error.
local function scan_file(scanner, f)
    while true do
        local data, message = f:read(SCAN_CHUNK)
        if not data then
            return not message, message
        end
        feed(scanner, data)
    end
end

local function bad_line(value, index, fname)
    argerror(1, "source", fname, format("line %d: string expected, got %s", index, type(value)))
end

local function scan_lines(scanner, lines, fname)
    local n = #lines
    for i = 1, n, SCAN_BATCH do
        local last = i + SCAN_BATCH - 1
        if last > n then
            last = n
        end
        for j = i, last do
            if type(lines[j]) ~= "string" then
                bad_line(lines[j], j, fname)
            end
        end
        feed(scanner, concat(lines, "\n", i, last) .. "\n")
    end
end

local function scan_iterator(scanner, next_line, fname)
    local batch, count, index = {}, 0, 0
    while true do
        local line = next_line()
        if line == nil then
            break
        end
        index = index + 1
        if type(line) ~= "string" then
            bad_line(line, index, fname)
        end
        count = count + 1
        batch[count] = line
        if count == SCAN_BATCH then
            feed(scanner, concat(batch, "\n") .. "\n")
            batch, count = {}, 0
        end
    end
    if count > 0 then
        feed(scanner, concat(batch, "\n") .. "\n")
    end
end

local function scan(state, source, fname)
    local t = type(source)
    local f
    if t == "string" then
        check_path(source, fname, "source")
        local message
        f, message = io_open(source, "rb")
        if not f then
            -- io.open says "PATH: reason"; the path may be long.
            if message:sub(1, #source + 2) == source .. ": " then
                message = message:sub(#source + 3)
            end
            return nil, short_path(source) .. ": " .. message, "io"
        end
    elseif t ~= "table" and t ~= "function" and not (t == "userdata" and io_type(source) == "file") then
        argerror(1, "source", fname, "path, open file, array of lines or iterator expected, got "
                                     .. (t == "userdata" and (io_type(source) or t) or t))
    end
    local scanner = core.scanner_new(state.handle)
    if f or t == "userdata" then
        local ok, message = scan_file(scanner, f or source)
        if f then
            f:close()
        end
        if not ok then
            -- A read error, such as a directory given as the path.
            core.scanner_free(scanner)
            return nil, (f and short_path(source) .. ": " or "") .. tostring(message), "io"
        end
    elseif t == "table" then
        scan_lines(scanner, source, fname)
    else
        scan_iterator(scanner, source, fname)
    end
    core.scanner_finish(scanner)
    local summary = core.scanner_summary(scanner, state.by_code)
    -- Now rather than when the collector comes by: it does not see the C memory.
    core.scanner_free(scanner)
    return summary
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

--- Parses one SMTP reply from the start of `text` (RFC 5321 section 4.2: one line or several
-- "250-" lines, CRLF or LF, an RFC 2034 enhanced code at the start of the text) and classifies
-- it. Returns the reply table and the number of bytes it took, or nil, message, "reply" for
-- text that is no well-formed reply (the message gives the line and column), or with
-- opts.complete == false nil, message, "incomplete", needed for a reply that needs at least
-- `needed` more bytes. opts: complete (default true: the text is all there is), strict (refuse
-- lines over 512 octets), embedded (find the reply in a log or bounce line), command (what the
-- reply answered: "RCPT", "DATA"...).
function M.parse_reply(text, opts)
    if type(text) ~= "string" then
        check_string(text, 1, "text", "parse_reply")
    end
    local flags, command = COMPLETE, nil
    if opts ~= nil then
        flags, command = check_options(opts, 2, "parse_reply", PARSE_OPTIONS, true)
    end
    local state = default_state
    if not state then
        local message, status
        state, message, status = module_state()
        if not state then
            return nil, message, status
        end
    end
    local code, class, enhanced, lines, text_, warnings, command_, key, enhanced_key, action,
          rule, reason, consumed = reply_parse(state.handle, text, 0, flags, command)
    if not code then
        return reply_failure(class, enhanced, lines)
    end
    return {
        code = code, enhanced = enhanced, lines = lines, text = text_, class = class,
        warnings = warnings == 0 and {} or warnings_of(warnings), command = command_,
        entry = state.by_key[key], enhanced_entry = state.by_key[enhanced_key],
        action = action, rule = rule, reason = reason,
    }, consumed
end

--- A parser for a stream of replies: p:feed(chunk) returns the replies each chunk completes,
-- p:finish() those left at the end. opts: strict, embedded, command, as for parse_reply.
function M.reply_parser(opts)
    local flags, command = check_options(opts, 1, "reply_parser", PARSER_OPTIONS, false)
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return new_parser(state, flags, command)
end

--- What a client should do about a reply: `reply` is a reply's text or a table with its code
-- and enhanced code (parse_reply's); `command` is what it answered (default: the reply's
-- command). Returns {action, rule, reason, flags}.
function M.classify(reply, command)
    check_string(command, 2, "command", "classify", true)
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    local verdict, why, kind, needed = classify(state, reply, command, "classify")
    return verdict, why, kind, needed
end

--- The wire form of a reply: "550 5.7.1 text\r\n", or several lines when the text does not
-- fit in 512 octets. Without text, the database's wording. Returns the string, or nil,
-- message, status.
function M.build_reply(code, enhanced, text)
    local key = check_code(code, 1, "code", "build_reply")
    check_string(enhanced, 2, "enhanced", "build_reply", true)
    check_string(text, 3, "text", "build_reply", true)
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    return build_reply(state, key, enhanced, text)
end

--- Counts the replies in a mail log or bounce messages: `source` is a path, an open file, an
-- array of lines or an iterator of lines. Returns {lines, replies, skipped, rows}.
function M.scan(source)
    local state, message, status = module_state()
    if not state then
        return nil, message, status
    end
    local summary
    summary, message, status = scan(state, source, "scan")
    return summary, message, status
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

function Database:parse_reply(text, opts)
    local state = state_of(self, "parse_reply")
    check_string(text, 1, "text", "parse_reply")
    local flags, command = check_options(opts, 2, "parse_reply", PARSE_OPTIONS, true)
    return parse_reply(state, text, flags, command)
end

function Database:reply_parser(opts)
    local state = state_of(self, "reply_parser")
    return new_parser(state, check_options(opts, 1, "reply_parser", PARSER_OPTIONS, false))
end

function Database:classify(reply, command)
    local state = state_of(self, "classify")
    check_string(command, 2, "command", "classify", true)
    local verdict, message, status, needed = classify(state, reply, command, "classify")
    return verdict, message, status, needed
end

function Database:build_reply(code, enhanced, text)
    local state = state_of(self, "build_reply")
    local key = check_code(code, 1, "code", "build_reply")
    check_string(enhanced, 2, "enhanced", "build_reply", true)
    check_string(text, 3, "text", "build_reply", true)
    return build_reply(state, key, enhanced, text)
end

function Database:scan(source)
    local summary, message, status = scan(state_of(self, "scan"), source, "scan")
    return summary, message, status
end

return M
