--- smtpcodes: the SMTP reply-code reference, for Lua 5.4, 5.3 and LuaJIT.
--
--     local smtpcodes = require "smtpcodes"
--     local e = smtpcodes.lookup(421)            -- or "421", "5.7.1", "X.7.1"
--     print(e.name, e.retry)                     --> Service Not Available   later
--     print(smtpcodes.compare(504, 421, "th").text)
--
-- Every function takes a code as an integer (421) or a string ("421", " 421 ", "5.7.1"). Every
-- rule is the C core's (core/include/smtpcodes.h); this module only turns its answers into Lua.
--
-- Results are read-only. Entries are built once per database and shared, so assigning to one
-- raises an error instead of changing what every later lookup returns. Reading a field is a
-- plain table read; a list field (classes, references, commands, enhanced, aliases,
-- exceptions) gives a new table on each read, which the caller may change. pairs(entry) walks the fields on Lua 5.3 and 5.4;
-- LuaJIT does not call __pairs: there, smtpcodes.to_table(entry) gives a plain copy (on every
-- Lua). Replies, verdicts, comparison pages and summaries are new tables on each call; the
-- entries and the empty lists in them are the shared, read-only ones. A reply holds code,
-- class, enhanced, lines, text and action (and command and warnings when it has them) and reads
-- its other fields (entry, enhanced_entry, rule, explanation, reason; the empty warnings) through a
-- hidden metatable shared with other replies: every field reads as documented below, pairs(reply)
-- walks them all on Lua 5.3 and 5.4, and smtpcodes.to_table(reply) gives a plain copy with
-- every field on every Lua, LuaJIT included.
--
-- Failures that depend on the data (a code that is malformed or unknown, an unknown language, a
-- data file that cannot be read or parsed, a malformed reply) return `nil, message, status`,
-- where status is one of "syntax" (the message gives the column), "notfound", "lang",
-- "invalid" (two codes that are the same; a reply code, enhanced code or text that cannot be
-- built or classified), "provider" (a provider slug the database does not know), "io",
-- "data", "reply" (not a well-formed reply: the message starts with
-- "line L, column C: "), "incomplete" (a fourth value then says how many more bytes are
-- needed at least) or "input" (scan: input that is no log, or compressed data that cannot be
-- read). Misuse (a table where a code belongs, 250.5, an unknown format name, option
-- or command) raises an error that names the argument.
--
-- The module's functions are the methods of the database the environment asks for: the
-- built-in database, laid over with the data file named by the environment variable
-- SMTPCODES_DATA when it is set; if that file is bad, they return its error.
-- smtpcodes.load(path) gives a database object with the same functions as methods.
--
-- Languages: compare and explain write their pages in any of languages() (default "en"), in
-- the words of the language's catalog and in English where it has no translation (every
-- built-in language translates everything; one a data file adds, what its catalogs bring). Entries
-- are in English; the rest is asked for:
--
--     print(smtpcodes.text(421, "name", "vi"))   --> Dịch vụ không khả dụng  true
--     print(smtpcodes.completeness("fr"))         --> translated, total: how much is French
--
--   text(code, which, lang)  text `which` of a code or entry ("name", "aliases", "description",
--       "when", "fix", "note") in `lang`, and true when it is the language's own words, false
--       when it fell back to English.
--   completeness(lang)  how many of the texts a reader may read the language translates, and
--       how many there are.
--   direction(lang)  "rtl" (Arabic) or "ltr".
--   catalog([lang])  the language's catalog as a gettext PO file (the template, POT, without
--       lang), which a translator fills in and load(path, {catalogs = {file}}) reads back
--       (load(nil, {catalogs = ...}) into the built-in database). A bad catalog gives nil,
--       "file:line:column: why", "data".
--
-- Entry fields:
--   code         421 (an integer) for a reply code, "X.7.1" for an enhanced status code
--   kind         "basic" or "enhanced"
--   class        the first digit as written: lookup("4.7.1").class is 4; 0 for "X.7.1"
--   class_name   "Transient Negative" for 4yz, "Persistent Transient Failure" for 4.y.z (RFC
--                3463 names the enhanced classes apart); nil for the X form
--   classes      the classes it is meant for: {4} for 421, {4, 5} for X.7.1
--   category     the second digit, or the subject of an enhanced code
--   category_name   "Connections" for 421, "Security or Policy Status" for X.7.1; nil when
--                the database has none (a second digit 6-9)
--   detail       the third digit, or the detail number of an enhanced code
--   conforming   false for codes RFC 5321 does not allow but servers send (571)
--   name, slug, description, when, fix
--   aliases      {"Mailbox Not Found"}: narrower names it also goes by ({} when none)
--   exceptions   {"paired-retry: why ..."}: consistency rules of the data it departs from
--   origin       "rfc", "registry", "nonstandard", or "provider" for a provider's own meaning
--   provider     the slug of that provider ("microsoft"); nil for the standard meaning
--   references   {"RFC 5321 section 4.2.3", ...}
--   retry        "none", "later", "after-fix" or "no", for the code as written: an enhanced
--                code written with class 4 is retried later (lookup("4.7.1").retry)
--   connection   "kept", "closed", "may-close", or nil when the data does not say
--   commands     {"CONNECT", "ANY"}: what it answers ({} for enhanced codes)
--   enhanced     {"4.3.2", ...}: enhanced codes usually sent with a reply code
--   sample, associated   the IANA registry's sample text and associated codes (enhanced only)
--   see          a code this one points to, note: a caveat (both may be nil)
--
-- Replies (RFC 5321 section 4.2, RFC 2034; docs/replies.md):
--
--     local r = assert(smtpcodes.parse_reply("550 5.1.1 <bob@example.org>: no such user\r\n"))
--     print(r.code, r.enhanced, r.action, r.explanation) --> 550  5.1.1  give-up  A 5xx reply...
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
--       smtp; 550 ..."), command (what the reply answered, as clients and logs write it: "RCPT",
--       "RCPT TO:<a@b>", "end of DATA"; it decides a 552; an unknown command is an error).
--   reply_parser([opts])  a parser for a stream (opts: strict, embedded, command).
--       p:feed(chunk) returns the list of replies the chunk completes (perhaps empty) and keeps
--       the rest; chunks may split the input anywhere. p:finish() returns those left at the end
--       of the input; the next feed starts a new stream. Blank lines between replies are
--       skipped; with embedded, so are lines that hold no reply (p:skipped() counts them). For
--       a malformed reply, either returns nil, message, "reply", replies: the message gives the
--       line in the whole stream and the column ("line 7, column 1: ..."), `replies` those
--       completed before it; the input is dropped through the end of the line at fault, and
--       what follows is read by the next call (feed("") too). p:line() is the number of lines
--       read, p:skipped() of lines without a reply, p:errors() of malformed replies,
--       p:needed() the least number of bytes that can complete a reply, p:buffered() the bytes
--       held.
--   classify(reply [, command])  what a client does about a reply: `reply` is its text or a
--       table with code and enhanced (and command) fields, such as parse_reply's; `command`
--       overrides the reply's own, and may be an options table {command, host}. Returns the
--       verdict {action, rule, explanation, flags, reason}; the reason is decided from the
--       table's text too when it has one, and from its host's provider (opts.host, else the
--       table's host).
--   build_reply(code [, enhanced [, text]])  the wire form: "550 5.7.1 text\r\n", or "550-"
--       lines when the text needs more than 512 octets; without text, the database's wording.
--   scan(source)  counts the replies in a mail log or bounce messages. `source` is a path (read
--       in chunks), an open file, an array of lines or an iterator of lines (such as io.lines(path):
--       a function returning each line, without its line end, then nil). Returns the summary
--       {lines, replies, skipped (lines over 65,536 octets), rows}, rows in order of code then
--       enhanced code. Summaries combine: summary:merge(other, ...), summary + other and
--       merge(a, b, ...) give a new summary of them all, the same in any order, so that the
--       summaries of a log's parts merge into the whole log's; summaries of two databases are
--       refused (an error). a == b when their counts and rows are the same.
--       summary:save() gives the saved form (compact text, docs/replies.md) to store or send;
--       load_summary(text) reads it back (nil, message, "data" for text that is not one).
--       Compressed logs (mail.log.2.gz) are read as they are, their format found from their
--       first bytes: scan_compressions() lists the formats this build reads ({"gzip", "xz",
--       "bzip2", "zstd"}, gzip always). Input compressed in another format, corrupt or cut
--       short, or binary data that is no text gives nil, message, "input".
--   parse_bounce(text)  the records of one bounce message (docs/bounces.md): an RFC 3464 DSN,
--       an RFC 6533 global DSN, an RFC 5965 feedback report or an RFC 3834 automatic reply gives
--       one table per recipient with kind, recipient, code, enhanced, action, reason, hard
--       (true, false, or nil for no failure), rule and evidence (what decided the reason),
--       diagnostic, command, remote_mta, message_id and the other fields of docs/bounces.md;
--       a field the message does not give is nil. A message that is no bounce gives {}; one
--       past the reader's limits nil, message, "limit".
--   to_table(result)  a plain, writable copy of a read-only result (an entry) or of a reply
--       (every field); any other table is returned as it is.
--
-- Providers (Gmail, Microsoft 365, Yahoo ...) give codes and texts meanings of their own:
--
--     print(smtpcodes.meaning("5.7.29", { host = "mx.google.com" }).name)  --> No TLS, Blocked
--     print(smtpcodes.provider_of("bob@hotmail.com").slug)                --> microsoft
--
--   providers()  the list of the providers, in the order of their slugs: tables {slug, name,
--       hosts, description, references} (hosts and references are lists).
--   provider_of(host)  the provider a server belongs to, or nil: a host name
--       ("gmail-smtp-in.l.google.com"), an address ("bob@hotmail.com") or a DSN's "dns; name".
--   meaning(code [, opts])  the entry of `code` as the provider of opts.host (or opts.provider,
--       a slug) means it: the provider's entry that covers it, else the standard one; without
--       opts, lookup(code). nil, message, "provider" for a slug the database does not know.
--   provider_meanings(code)  the list of the providers' own entries of a code written with
--       its class ("5.7.29"): {} when no provider gives it a meaning of its own.
--   reason(reply [, opts])  why a delivery failed: `reply` is a reply's text or a table with
--       code, enhanced, command and text fields (each may be nil; a reply table's host too);
--       opts: command, host, provider. Returns {reason, hard, rule, evidence} as a bounce
--       record has them.
--   render_providers([slug [, format]])  the list of the providers, or one provider's page
--       with its codes, as `smtpcodes providers [SLUG]` prints it.
--   The options of parse_reply, reply_parser and classify take `host` too: the server the
--   replies came from, whose provider's meanings decide their reason first.
--
-- Reply fields:
--   code         250 (an integer)
--   enhanced     "2.1.5", or nil when the reply has none
--   lines        {"mx.example.com", "PIPELINING", ...}: each line's text after the code, its
--                separator and the enhanced code
--   text         the lines joined with "\n"
--   class        the first digit (2-5)
--   warnings     {"bare-lf", ...}: what the reply got away with ("class-mismatch", "nonconforming",
--                "invalid-utf8", "long-line", "bare-lf", "enhanced-varies"); {} for none (the
--                empty list is shared and read-only)
--   command      the command the verdict was decided for, by its canonical name ("RCPT",
--                "DATA-END"): opts.command, or what the text names (Postfix's "(in reply to
--                RCPT TO command)" gives "RCPT"), or nil
--   host         opts.host, the server the reply came from, or nil
--   entry        the reply code's entry, or nil for a code the database lacks
--   enhanced_entry   the enhanced code's entry as written (class and retry of "4.7.1"), or its
--                closest registered one; nil without an enhanced code
--   action       "done", "continue", "retry" or "give-up"
--   rule         what decided it: "class" (the first digit), "too-many-recipients",
--                "mailbox-full", "class-mismatch" or "unknown-code"
--   explanation  one English sentence that cites the RFC
--   reason       why a 4xx or 5xx reply failed, in a postmaster's words: "userunknown",
--                "mailboxfull", "blocked" ... ("undefined" when nothing tells; see
--                docs/bounces.md); nil for a 2xx or 3xx reply
-- Verdict fields (classify): action, rule, explanation, reason as above, and flags:
--   {"connection-closed", ...} ("class-mismatch", "unknown-code", "connection-closed",
--   "overridden").
-- Scan row fields: code, enhanced (or nil), count, name (the code's name, nil for an unknown
--   code), action, reason (that of the sample line, nil for 2xx and 3xx), sample (of the lines
--   the pair was seen on, the least in byte order of their first 400 bytes, whatever their
--   order; up to 400 bytes), entry, enhanced_entry.

local core = require "smtpcodes_core"

local error, type, tostring, pairs, ipairs, select, setmetatable =
    error, type, tostring, pairs, ipairs, select, setmetatable
local floor, tointeger = math.floor, math.tointeger
local format = string.format
local concat = table.concat
local io_open, io_type = io.open, io.type

local M = { _VERSION = core.version(), to_table = core.to_table }

-- The names of an enumeration of the core (smtpc_enum_at), by name: {text = 0, ...}.
local function names_of(which)
    local values = {}
    for i = 0, core.enum_count(which) - 1 do
        local value, name = core.enum_at(which, i)
        values[name] = value
    end
    return values
end

-- The comparison page's renderings and labels, by the core's names ("learn-more" is the
-- field learn_more).
local FORMATS = names_of(core.ENUM_FORMAT)
-- The texts of an entry that a language's catalog translates, by name ("name", "aliases",
-- "description", "when", "fix", "note"), and the directions languages are written in, by
-- value.
local TEXTS = names_of(core.ENUM_TEXT)
local DIRECTIONS = {}
for name, value in pairs(names_of(core.ENUM_DIRECTION)) do
    DIRECTIONS[value] = name
end
local LABELS = {}
for name, value in pairs(names_of(core.ENUM_LABEL)) do
    LABELS[(name:gsub("-", "_"))] = value
end
-- This module's words for the core's failures (not names the core gives).
local STATUS = {
    [core.ESYNTAX] = "syntax",
    [core.ENOTFOUND] = "notfound",
    [core.ELANG] = "lang",
    [core.EINVAL] = "invalid",
    [core.EIO] = "io",
    [core.EDATA] = "data",
    [core.EREPLY] = "reply",
    [core.EINCOMPLETE] = "incomplete",
    [core.ELIMIT] = "limit",
    [core.EINPUT] = "input",
}
local ECOMMAND = core.ECOMMAND
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

-- The C functions that answer for public functions and hand them what they do not answer
-- (parse_reply's, in functions_of below): the caller is past their frames too.
local fronts = setmetatable({}, { __mode = "k" })

-- Raises "bad argument #n (name) to 'fname' (problem)" at the caller of the public function:
-- the first function on the stack outside this file, however deep the check (level 4, this
-- function, a check_* function and the public function, where the debug library is missing).
local function argerror(n, name, fname, problem)
    local level = 4
    if getinfo then
        level = 2
        while true do
            local info = getinfo(level, "Sf")
            if not info or (info.source ~= this_file and not fronts[info.func]) then
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

-- The core's value of a text's name (TEXTS), argument `n` of `fname`.
local function check_text(which, n, fname)
    local value = TEXTS[which]
    if value then
        return value
    end
    local names = {}
    for name, v in pairs(TEXTS) do
        names[v + 1] = "'" .. name .. "'"
    end
    argerror(n, "which", fname, concat(names, ", ") .. " expected, got "
                                .. (type(which) == "string" and quote(which) or type(which)))
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

local function copy(list)
    local result = {}
    for i = 1, #list do
        result[i] = list[i]
    end
    return result
end

-- Successful lookups are remembered by argument: integers, and strings written as codes
-- ("421", "5.7.1", "x.7.1"). That bounds the memo by a small multiple of the database's size.
-- Only valid codes get in, so lookup reads the memo before it checks its argument: any value
-- may index a table (even NaN), and a repeated lookup costs a call and an index.
local function memorable(key)
    return type(key) == "number" or (#key <= 11 and not key:find("[^%dXx.]"))
end

-- ---- replies --------------------------------------------------------------------------------

local COMPLETE = core.REPLY_COMPLETE
local STRICT = core.REPLY_STRICT_LENGTH
local EMBEDDED = core.REPLY_EMBEDDED
local EINCOMPLETE = core.EINCOMPLETE

-- The options each function takes, with the type of each.
local PARSE_OPTIONS = { complete = "boolean", strict = "boolean", embedded = "boolean",
                        command = "string", host = "string" }
local PARSER_OPTIONS = { strict = "boolean", embedded = "boolean", command = "string",
                         host = "string" }
local CLASSIFY_OPTIONS = { command = "string", host = "string" }
local MEANING_OPTIONS = { host = "string", provider = "string" }
local REASON_OPTIONS = { command = "string", host = "string", provider = "string" }

-- The flags, the command and the host that the options table `opts` (argument `n` of
-- `fname`) asks for. Without `complete`, the input is complete when `complete_default` says
-- so.
local function check_options(opts, n, fname, allowed, complete_default)
    if opts == nil then
        return complete_default and COMPLETE or 0, nil, nil
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
    return flags, opts.command, opts.host
end

local SCAN_OPTIONS = { by = "string", top = "number", year = "number", state = "string" }

-- Checks scan's options: the types here, the values in the core (bound.scanner()).
local function check_scan_options(opts, n, fname)
    if opts == nil then
        return
    end
    if type(opts) ~= "table" then
        argerror(n, "opts", fname, "table or nil expected, got " .. type(opts))
    end
    for key, value in pairs(opts) do
        local expected = SCAN_OPTIONS[key]
        if key == "bucket" then
            if type(value) ~= "string" and not (type(value) == "number" and as_integer(value)) then
                argerror(n, "opts", fname, "option 'bucket': string or integer expected, got "
                         .. type(value))
            end
        elseif not expected then
            argerror(n, "opts", fname, "unknown option " .. (type(key) == "string" and quote(key)
                                                              or tostring(key)))
        elseif type(value) ~= expected or (expected == "number" and not as_integer(value))
               or (key == "top" and value < 0) then
            argerror(n, "opts", fname, format("option '%s': %s expected, got %s", key,
                                              expected == "number" and "non-negative integer"
                                              or expected, type(value)))
        end
    end
end

-- What a reply function returns for the core's failure: nil, message, status (and for
-- "incomplete" the least number of further bytes needed); an unknown command raises, as the
-- misuse of argument `n` (`name`) of `fname`.
local function reply_failure(message, status, needed, n, name, fname)
    if status == ECOMMAND then
        argerror(n, name, fname, message)
    end
    if status == EINCOMPLETE then
        return nil, message, "incomplete", needed
    end
    return failure(message, status)
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

-- ---- the stream parser ----------------------------------------------------------------------

local Parser = {}
Parser.__index = Parser
Parser.__metatable = false

-- Each parser's core stream and the functions bound to its database.
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
    local line, _, _, _, buffered = ps.bound.stream_counts(ps.stream)
    return format("smtpcodes reply parser (line %d, %d bytes buffered)", line, buffered)
end

-- The replies, or nil, message, "reply", the replies before the malformed one.
local function stream_result(replies, message, status, before)
    if replies then
        return replies
    end
    local _, why, name = failure(message, status)
    return nil, why, name, before
end

--- Adds `chunk` to the stream. Returns the list of replies it completes (possibly empty), in
-- order; what does not make a complete reply yet is kept. See smtpcodes.reply_parser.
function Parser:feed(chunk)
    local ps = parser_of(self, "feed")
    check_string(chunk, 1, "chunk", "feed")
    return stream_result(ps.bound.feed(ps.stream, chunk, ps.host))
end

--- Ends the stream: what is left must be complete replies (a last line may lack its line end).
-- Returns their list; the next feed starts a new stream.
function Parser:finish()
    local ps = parser_of(self, "finish")
    return stream_result(ps.bound.finish(ps.stream, ps.host))
end

-- p:line(), p:skipped(), p:errors(), p:needed(), p:buffered(): the stream's counts.
for i, name in ipairs({ "line", "skipped", "errors", "needed", "buffered" }) do
    Parser[name] = function(self)
        local ps = parser_of(self, name)
        return (select(i, ps.bound.stream_counts(ps.stream)))
    end
end

-- ---- scanning -------------------------------------------------------------------------------

local SCAN_CHUNK = 65536
local SCAN_BATCH = 512 -- lines joined into one feed

-- Feeds `data`: true, or nil, message, "input" for input that is no log (SMTPC_EINPUT); raises
-- when memory runs out.
local function feed(scanner, data)
    local _, message, status = core.scanner_feed(scanner, data)
    if message then
        return failure(message, status)
    end
    return true
end

-- Feeds the file `f` in chunks; true, or nil, the message and "io" for a read error or
-- "input" for input that is no log.
local function scan_file(scanner, f)
    while true do
        local data, message = f:read(SCAN_CHUNK)
        if not data then
            return not message, message, "io"
        end
        local ok, why, status = feed(scanner, data)
        if not ok then
            return nil, why, status
        end
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
        local ok, why, status = feed(scanner, concat(lines, "\n", i, last) .. "\n")
        if not ok then
            return nil, why, status
        end
    end
    return true
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
            local ok, why, status = feed(scanner, concat(batch, "\n") .. "\n")
            if not ok then
                return nil, why, status
            end
            batch, count = {}, 0
        end
    end
    if count > 0 then
        return feed(scanner, concat(batch, "\n") .. "\n")
    end
    return true
end

-- Scan summaries are the tables bound.summary() builds, with the metatable SUMMARY: methods
-- merge and save, `+` and `==`. What merging needs is the summary's saved form and the
-- functions bound to its database, kept here rather than in the table: the fields stay those
-- of a plain summary, and the collector sees every byte (a core scanner is freed at once).
local SUMMARY = { __metatable = false }
local summaries = setmetatable({}, { __mode = "k" })

-- A summary keeps its `top` largest groups (all when nil or 0); groups_total says how many
-- there are.
local function new_summary(bound, scanner, top)
    local summary, saved = bound.summary(scanner)
    core.scanner_free(scanner)
    summary.groups_total = #summary.groups
    if top and top > 0 then
        for i = #summary.groups, top + 1, -1 do
            summary.groups[i] = nil
        end
    end
    summaries[summary] = { saved = saved, bound = bound }
    return setmetatable(summary, SUMMARY)
end

local function check_summary(value, n, fname)
    local state = summaries[value]
    if not state then
        argerror(n, "summary", fname, "scan summary expected, got " .. type(value))
    end
    return state
end

-- The merge of the summaries ...: a new summary, over the first one's database. Each is read
-- back from its saved form by its own database, so the core refuses summaries of two
-- databases.
local function merge_summaries(fname, ...)
    -- The arguments in a table: LuaJIT's compiled traces of this loop, reading them with
    -- select(i, ...) and (...), at times merged a summary other than the one given.
    local n, parts = select("#", ...), { ... }
    if n == 0 then
        argerror(1, "summary", fname, "scan summary expected, got no value")
    end
    for i = 1, n do
        check_summary(parts[i], i, fname)
    end
    local first = summaries[parts[1]]
    local into = first.bound.load_summary(first.saved)
    for i = 2, n do
        local state = summaries[parts[i]]
        local part = state.bound.load_summary(state.saved)
        local ok, message = first.bound.merge(into, part)
        core.scanner_free(part)
        if not ok then
            core.scanner_free(into)
            argerror(i, "summary", fname, message)
        end
    end
    return new_summary(first.bound, into)
end

--- summary:merge(other, ...) and summary + other: a new summary of them all.
-- summary:save(): the saved form (docs/replies.md), which load_summary() reads back.
SUMMARY.__index = {
    merge = function(self, ...)
        return merge_summaries("merge", self, ...)
    end,
    save = function(self)
        return check_summary(self, 1, "save").saved
    end,
}
SUMMARY.__add = function(a, b)
    return merge_summaries("__add", a, b)
end
-- Equal counts and rows: the saved form is canonical.
SUMMARY.__eq = function(a, b)
    local sa, sb = summaries[a], summaries[b]
    return sa ~= nil and sb ~= nil and sa.saved == sb.saved
end

-- Checks scan's source; unless `check_only`, opens a path. Returns the open file (or nil), or
-- nil, nil, message.
local function scan_source(source, fname, check_only)
    local t = type(source)
    if t == "string" then
        check_path(source, fname, "source")
        if check_only then
            return nil
        end
        local f, message = io_open(source, "rb")
        if not f then
            -- io.open says "PATH: reason"; the path may be long.
            if message:sub(1, #source + 2) == source .. ": " then
                message = message:sub(#source + 3)
            end
            return nil, nil, short_path(source) .. ": " .. message
        end
        return f
    elseif t ~= "table" and t ~= "function" and not (t == "userdata" and io_type(source) == "file") then
        argerror(1, "source", fname, "path, open file, array of lines or iterator expected, got "
                                     .. (t == "userdata" and (io_type(source) or t) or t))
    end
    return nil
end

-- ---- the functions of a database ------------------------------------------------------------

-- The functions of the database `handle` (nil when it failed to load: then each returns
-- `message`, `status` once its arguments are checked). The module's functions are those of
-- the default database; a loaded database's methods call those of its own.
local function functions_of(handle, broken, broken_status)
    local F = {}
    local bound = handle and core.bind(handle)
    local memo, by_class, all, tags = {}, {}, nil, nil
    local b_lookup, b_parse = bound and bound.lookup, bound and bound.parse

    --- Looks up a code: the entry, or nil, message, status.
    function F.lookup(code)
        local entry = memo[code]
        if entry then
            return entry
        end
        local key = check_code(code, 1, "code", "lookup")
        if broken then
            return nil, broken, broken_status
        end
        local message, status
        entry, message, status = b_lookup(as_text(key))
        if not entry then
            return failure(message, status, key)
        end
        if memorable(key) then
            memo[key] = entry
        end
        return entry
    end

    --- Like lookup, but an unregistered enhanced code finds its closest registered entry (X.S.0,
    -- then X.0.0: RFC 3463 section 2). Returns the entry and whether it is the code itself.
    function F.closest(code)
        local key = check_code(code, 1, "code", "closest")
        if broken then
            return nil, broken, broken_status
        end
        local entry, exact, status = bound.closest(as_text(key))
        if not entry then
            return failure(exact, status, key)
        end
        return entry, exact
    end

    --- Every entry in code order (reply codes by number, then enhanced codes), or those of
    -- reply class `class` (2-5; an enhanced entry belongs to each class it is meant for).
    function F.codes(class)
        class = check_class(class, "codes")
        if broken then
            return nil, broken, broken_status
        end
        all = all or bound.entries()
        if class == nil then
            return copy(all)
        end
        local list = by_class[class]
        if not list then
            list = {}
            for _, entry in ipairs(all) do
                for _, c in ipairs(entry.classes) do
                    if c == class then
                        list[#list + 1] = entry
                    end
                end
            end
            by_class[class] = list
        end
        return copy(list)
    end

    --- Compares two codes; the lower comes first whatever the order given. The page is in
    -- language `lang` (default "en"): its labels, sentences and the codes' texts as the
    -- language's catalog translates them, English where it has no translation. Returns the
    -- page, with the fields of its JSON rendering where they exist: language (the canonical
    -- tag), lang (what fell back to English: {["/intro"] = "en", ["/codes/0/fix"] = "en"},
    -- each key a JSON Pointer into the JSON rendering; {} when the page says everything in
    -- its language), title, intro, usage, labels (description, when, fix, differences, usage,
    -- learn_more), codes (as written: {"552", "5.2.2"}), entries (their entries, as written,
    -- in English), texts (the codes' texts in the page's language, one table per code: name,
    -- aliases (joined with "; "), description, when, fix, note), differences ({kind, text}
    -- each), learn_more ({text, url} each, url nil when the reference has no address), and the
    -- renderings text, markdown, html and json.
    function F.compare(a, b, lang)
        local key_a = check_code(a, 1, "a", "compare")
        local key_b = check_code(b, 2, "b", "compare")
        check_string(lang, 3, "lang", "compare", true)
        if broken then
            return nil, broken, broken_status
        end
        local cmp, message, status = core.compare(handle, as_text(key_a), as_text(key_b), lang)
        if not cmp then
            if status == core.ESYNTAX then
                -- Say which of the two it is.
                for _, key in ipairs({ key_a, key_b }) do
                    local parsed, why, code_status = core.code_parse(as_text(key))
                    if not parsed then
                        return failure(why, code_status, key)
                    end
                end
            end
            return failure(message, status)
        end
        local first, second = core.comparison_code(cmp, 0), core.comparison_code(cmp, 1)
        local page = {
            language = core.comparison_part(cmp, core.PART_LANG),
            lang = {},
            texts = { {}, {} },
            title = core.comparison_part(cmp, core.PART_TITLE),
            intro = core.comparison_part(cmp, core.PART_INTRO),
            usage = core.comparison_part(cmp, core.PART_USAGE),
            labels = {},
            codes = { first, second },
            entries = { (bound.closest(first)), (bound.closest(second)) },
            differences = {},
            learn_more = {},
        }
        for name, which in pairs(LABELS) do
            page.labels[name] = core.comparison_label(cmp, which)
        end
        for name, which in pairs(TEXTS) do
            page.texts[1][name] = core.comparison_text(cmp, 0, which)
            page.texts[2][name] = core.comparison_text(cmp, 1, which)
        end
        -- The JSON Pointers of what fell back to English, each followed by "\n".
        for pointer in rendered(core.comparison_fallbacks(cmp)):gmatch("([^\n]*)\n") do
            page.lang[pointer] = "en"
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
        for name, which in pairs(FORMATS) do
            page[name] = rendered(core.render_comparison(cmp, which))
        end
        -- Now rather than when the collector comes by: it does not see the C memory.
        core.comparison_free(cmp)
        return page
    end

    --- One code's page as written ("4.7.1": class 4, retried later), as `smtpcodes show`
    -- prints it, in format "text" (default), "markdown" (or "md"), "html" or "json", any
    -- case, in language `lang` (English where its catalog has no translation; the JSON's
    -- lang marks those parts).
    function F.explain(code, lang, fmt)
        local key = check_code(code, 1, "code", "explain")
        check_string(lang, 2, "lang", "explain", true)
        local which = check_format(fmt, 3, "explain")
        if broken then
            return nil, broken, broken_status
        end
        local text, message, status = core.render_code(handle, as_text(key), lang, which)
        if not text then
            return failure(message, status, key)
        end
        return text
    end

    --- The language tags that compare and explain accept, such as "en" and "zh-hans".
    function F.languages()
        if broken then
            return nil, broken, broken_status
        end
        tags = tags or bound.languages()
        return copy(tags)
    end

    --- Text `which` ("name", "aliases" (joined with "; "), "description", "when", "fix" or
    -- "note") of a code (as lookup takes it, or an entry, a provider's own included) in
    -- language `lang` (default "en"). Returns the text and whether it is the language's own
    -- (true) or the English its catalog has no translation of (false); or nil, message,
    -- status.
    function F.text(code, which, lang)
        local key, provider
        if type(code) == "table" then
            key = check_code(code.code, 1, "code", "text")
            provider = code.provider
            if provider ~= nil and type(provider) ~= "string" then
                argerror(1, "code", "text", "field 'provider': string or nil expected, got "
                                            .. type(provider))
            end
        else
            key = check_code(code, 1, "code", "text")
        end
        local text = check_text(which, 2, "text")
        check_string(lang, 3, "lang", "text", true)
        if broken then
            return nil, broken, broken_status
        end
        local entry, message, status = core.lookup_provider(handle, provider, as_text(key))
        if not entry then
            return failure(message, status, key)
        end
        local said, translated
        said, translated, status = core.entry_text(handle, entry, text, lang)
        if not said then
            return failure(translated, status)
        end
        return said, translated
    end

    --- How much of the database language `lang` says in its own words: the number of texts a
    -- reader may read that it translates, and the number of them all (English has them
    -- all); or nil, message, "lang".
    function F.completeness(lang)
        check_string(lang, 1, "lang", "completeness", true)
        if broken then
            return nil, broken, broken_status
        end
        local translated, total, status = core.language_completeness(handle, lang)
        if not translated then
            return failure(total, status)
        end
        return translated, total
    end

    --- The direction language `lang` is written in: "rtl" (Arabic) or "ltr", also for a
    -- language the database lacks.
    function F.direction(lang)
        check_string(lang, 1, "lang", "direction", true)
        if broken then
            return nil, broken, broken_status
        end
        return DIRECTIONS[core.language_direction(handle, lang)]
    end

    --- The catalog of language `lang` as a gettext PO file: every text a reader reads with
    -- its context, its English (msgid) and the language's translation (msgstr, "" where it
    -- has none); load(path, {catalogs = {...}}) reads it back. With `lang` nil, the template
    -- (POT). Returns the text, or nil, message, "lang".
    function F.catalog(lang)
        check_string(lang, 1, "lang", "catalog", true)
        if broken then
            return nil, broken, broken_status
        end
        local text, message, status = core.render_catalog(handle, lang)
        if not text then
            return failure(message, status)
        end
        return text
    end

    --- Parses one SMTP reply from the start of `text` and classifies it: the reply table and
    -- the number of bytes it took, or nil, message, status (see the top of this file).
    function F.parse_reply(text, opts)
        if type(text) ~= "string" then
            check_string(text, 1, "text", "parse_reply")
        end
        local flags, command, host = COMPLETE, nil, nil
        if opts ~= nil then
            flags, command, host = check_options(opts, 2, "parse_reply", PARSE_OPTIONS, true)
        end
        if broken then
            return nil, broken, broken_status
        end
        local reply, consumed, status, needed = b_parse(text, flags, command, host)
        if reply then
            return reply, consumed
        end
        return reply_failure(consumed, status, needed, 2, "opts", "parse_reply")
    end

    --- A parser for a stream of replies: p:feed(chunk) returns the replies each chunk
    -- completes, p:finish() those left at the end. opts: strict, embedded, command, host.
    function F.reply_parser(opts)
        local flags, command, host = check_options(opts, 1, "reply_parser", PARSER_OPTIONS,
                                                   false)
        if broken then
            return nil, broken, broken_status
        end
        local stream, message, status = bound.stream(flags, command)
        if not stream then
            return reply_failure(message, status, nil, 1, "opts", "reply_parser")
        end
        local p = setmetatable({}, Parser)
        parsers[p] = { stream = stream, bound = bound, host = host }
        return p
    end

    --- What a client should do about a reply: `reply` is a reply's text or a table with its
    -- code and enhanced code (parse_reply's); `command` is what it answered (default: the
    -- reply's command), or an options table {command, host}. Returns {action, rule,
    -- explanation, flags, reason}.
    function F.classify(reply, command)
        local host
        if type(command) == "table" then
            local _
            _, command, host = check_options(command, 2, "classify", CLASSIFY_OPTIONS, false)
        else
            check_string(command, 2, "command", "classify", true)
        end
        local t = type(reply)
        if t ~= "string" and t ~= "table" then
            argerror(1, "reply", "classify", "string or reply table expected, got " .. t)
        end
        if broken then
            return nil, broken, broken_status
        end
        local n = 2
        if t == "string" then
            local parsed, message, status, needed = b_parse(reply, COMPLETE, command, host)
            if not parsed then
                return reply_failure(message, status, needed, 2, "command", "classify")
            end
            reply = parsed
        end
        local code, enhanced, text = reply.code, reply.enhanced, reply.text
        if type(code) ~= "number" or not as_integer(code) then
            argerror(1, "reply", "classify", "field 'code': integer expected, got "
                     .. (type(code) == "number" and tostring(code) or type(code)))
        end
        if enhanced ~= nil and type(enhanced) ~= "string" then
            argerror(1, "reply", "classify", "field 'enhanced': string or nil expected, got "
                                             .. type(enhanced))
        end
        if text ~= nil and type(text) ~= "string" then
            argerror(1, "reply", "classify", "field 'text': string or nil expected, got "
                                             .. type(text))
        end
        if host == nil then
            host = reply.host
            if host ~= nil and type(host) ~= "string" then
                argerror(1, "reply", "classify", "field 'host': string or nil expected, got "
                                                 .. type(host))
            end
        end
        if command == nil then
            command, n = reply.command, 1
            if command ~= nil and type(command) ~= "string" then
                argerror(1, "reply", "classify", "field 'command': string or nil expected, got "
                                                 .. type(command))
            end
        end
        if code < -2147483647 or code > 2147483647 then
            -- A number no C int holds: the core's range check cannot see it.
            return nil, format("%d is not a reply code: expected 200 to 599", code), "invalid"
        end
        local verdict, message, status = bound.classify(code, enhanced, command, text, host)
        if not verdict then
            if status == ECOMMAND then
                argerror(n, n == 1 and "reply" or "command", "classify", message)
            end
            if status == core.ESYNTAX then
                message = quote(enhanced) .. ": " .. message
            end
            return failure(message, status)
        end
        return verdict
    end

    --- The wire form of a reply: "550 5.7.1 text\r\n", or several lines when the text does not
    -- fit in 512 octets. Without text, the database's wording. Returns the string, or nil,
    -- message, status.
    function F.build_reply(code, enhanced, text)
        local key = check_code(code, 1, "code", "build_reply")
        check_string(enhanced, 2, "enhanced", "build_reply", true)
        check_string(text, 3, "text", "build_reply", true)
        if broken then
            return nil, broken, broken_status
        end
        local number, message, status = reply_code(key)
        if not number then
            return nil, message, status
        end
        local wire
        wire, message, status = core.reply_build(handle, number, enhanced, text)
        if not wire then
            return failure(message, status)
        end
        return wire
    end

    --- Reads one bounce message (a DSN, a feedback report, an automatic reply; docs/bounces.md):
    -- an array of records, one per recipient ({} for a message that is no bounce), or nil,
    -- message, "limit" for a message past the reader's limits.
    function F.parse_bounce(text)
        if type(text) ~= "string" then
            check_string(text, 1, "text", "parse_bounce")
        end
        if broken then
            return nil, broken, broken_status
        end
        local records, message, status = bound.bounce(text)
        if not records then
            return failure(message, status)
        end
        return records
    end

    --- Counts the replies in a mail log or bounce messages: `source` is a path, an open file,
    -- an array of lines or an iterator of lines. Returns {lines, replies, skipped, rows,
    -- attempts, outcomes, by, bucket, groups}: the delivery attempts of the mail servers
    -- smtpcodes reads, grouped by opts.by ("domain,reason"); opts.bucket ("1h" or seconds),
    -- opts.year (of syslog timestamps), opts.top (the groups kept: the largest). With
    -- opts.state (the `state` of an earlier summary, or "" the first time), only what was
    -- written since that scan is read, and summary.state is the state for the next one.
    function F.scan(source, opts)
        check_scan_options(opts, 2, "scan")
        if broken then
            scan_source(source, "scan", true)
            return nil, broken, broken_status
        end
        local f, _, message = scan_source(source, "scan")
        if message then
            return nil, message, "io"
        end
        local t = type(source)
        local scanner, state, refusal = bound.scanner(opts and opts.by, opts and opts.bucket,
                                                      opts and opts.year, opts and opts.state)
        if not scanner then
            if f then
                f:close()
            end
            -- a saved state that is no state is the caller's data; bad settings are misuse
            if refusal == core.EDATA then
                return failure("state: " .. state, refusal)
            end
            argerror(2, "opts", "scan", state)
        end
        local ok, why, status
        if f or t == "userdata" then
            -- A read error is one such as a directory given as the path.
            ok, why, status = scan_file(scanner, f or source)
            if f then
                f:close()
            end
        elseif t == "table" then
            ok, why, status = scan_lines(scanner, source, "scan")
        else
            ok, why, status = scan_iterator(scanner, source, "scan")
        end
        if ok then
            -- Compressed input that ends inside a stream
            local _, message, finish_status = core.scanner_finish(scanner)
            if message then
                ok, why, status = failure(message, finish_status)
            end
        end
        if not ok then
            core.scanner_free(scanner)
            return nil, (f and short_path(source) .. ": " or "") .. tostring(why), status
        end
        -- the state to give the next scan: how far this one read
        local saved_state = state and bound.record(state, scanner)
        local summary = new_summary(bound, scanner, opts and opts.top)
        summary.state = saved_state
        return summary
    end

    --- Merges scan summaries (two or more, or one): a new summary of them all, the same in
    -- any order. Summaries of different databases are refused (an error).
    function F.merge(...)
        return merge_summaries("merge", ...)
    end

    --- The summary saved as `text` by summary:save(), with this database's entries and
    -- reasons; nil, message, "data" for text that is not a saved summary.
    function F.load_summary(text)
        check_string(text, 1, "text", "load_summary")
        if broken then
            return nil, broken, broken_status
        end
        local scanner, message, status = bound.load_summary(text)
        if not scanner then
            return failure(message, status)
        end
        return new_summary(bound, scanner)
    end

    -- The slug of the provider that opts (argument `n` of `fname`, checked against `allowed`)
    -- names by its host or its slug, or nil; or nil, message, "provider" for an unknown slug.
    local function provider_option(opts, n, fname, allowed)
        check_options(opts, n, fname, allowed, false)
        if opts == nil then
            return nil
        end
        if opts.host ~= nil and opts.provider ~= nil then
            argerror(n, "opts", fname, "give host or provider, not both")
        end
        if broken then
            return nil
        end
        if opts.provider ~= nil and opts.provider ~= "" then
            if not bound.provider(opts.provider) then
                return nil, "unknown provider " .. quote(opts.provider), "provider"
            end
            return opts.provider
        end
        if opts.host ~= nil then
            local p = bound.provider_of(opts.host)
            return p and p.slug
        end
        return nil
    end

    --- The providers whose servers give codes and texts meanings of their own, in the order
    -- of their slugs: {slug, name, hosts, description, references} each.
    function F.providers()
        if broken then
            return nil, broken, broken_status
        end
        return bound.providers()
    end

    --- The provider whose servers `host` belongs to, or nil.
    function F.provider_of(host)
        check_string(host, 1, "host", "provider_of")
        if broken then
            return nil, broken, broken_status
        end
        return bound.provider_of(host)
    end

    --- The entry of `code` as the provider of opts.host (or opts.provider) means it, or nil,
    -- message, status.
    function F.meaning(code, opts)
        local key = check_code(code, 1, "code", "meaning")
        local slug, message, status = provider_option(opts, 2, "meaning", MEANING_OPTIONS)
        if broken then
            return nil, broken, broken_status
        end
        if message then
            return nil, message, status
        end
        local entry
        entry, message, status = bound.meaning(as_text(key), slug)
        if not entry then
            return failure(message, status, key)
        end
        return entry
    end

    --- The providers' own entries of `code` (a list; {} when there is none).
    function F.provider_meanings(code)
        local key = check_code(code, 1, "code", "provider_meanings")
        if broken then
            return nil, broken, broken_status
        end
        return bound.provider_meanings(as_text(key))
    end

    --- Why a delivery failed: {reason, hard, rule, evidence}, or nil, message, status. `reply`
    -- is a reply's text or a table of code, enhanced, command, text (and host); opts:
    -- command, host, provider.
    function F.reason(reply, opts)
        local t = type(reply)
        if t ~= "string" and t ~= "table" then
            argerror(1, "reply", "reason", "string or reply table expected, got " .. t)
        end
        local slug, message, status = provider_option(opts, 2, "reason", REASON_OPTIONS)
        if broken then
            return nil, broken, broken_status
        end
        if message then
            return nil, message, status
        end
        local command = opts and opts.command
        local host = opts and opts.host
        if t == "string" then
            local parsed, why, parse_status, needed = b_parse(reply, COMPLETE, command, host)
            if not parsed then
                return reply_failure(why, parse_status, needed, 2, "opts", "reason")
            end
            reply = parsed
        end
        local fields = {}
        for _, name in ipairs({ "enhanced", "command", "text", "host" }) do
            local value = reply[name]
            if value ~= nil and type(value) ~= "string" then
                argerror(1, "reply", "reason", format("field '%s': string or nil expected, got %s",
                                                      name, type(value)))
            end
            fields[name] = value
        end
        local code = reply.code
        if code ~= nil and (type(code) ~= "number" or not as_integer(code)) then
            argerror(1, "reply", "reason", "field 'code': integer or nil expected, got "
                     .. (type(code) == "number" and tostring(code) or type(code)))
        end
        if code ~= nil and (code < -2147483647 or code > 2147483647) then
            return nil, format("%d is not a reply code: expected 200 to 599", code), "invalid"
        end
        if opts == nil or (opts.host == nil and opts.provider == nil) then
            if fields.host ~= nil then
                local p = bound.provider_of(fields.host)
                slug = p and p.slug
            end
        end
        local decided
        decided, message, status = bound.reason(code or 0, fields.enhanced,
                                                command or fields.command, fields.text, slug)
        if not decided then
            if status == ECOMMAND then
                argerror(command and 2 or 1, command and "opts" or "reply", "reason", message)
            end
            if status == core.ESYNTAX then
                message = quote(fields.enhanced) .. ": " .. message
            end
            return failure(message, status)
        end
        return decided
    end

    --- The list of the providers (no slug), or one provider's page with its codes, in format
    -- "text" (default), "markdown" (or "md"), "html" or "json"; nil, message, "provider" for
    -- an unknown slug.
    function F.render_providers(slug, fmt)
        check_string(slug, 1, "slug", "render_providers", true)
        local which = check_format(fmt, 2, "render_providers")
        if broken then
            return nil, broken, broken_status
        end
        if slug ~= nil and slug ~= "" and not bound.provider(slug) then
            return nil, "unknown provider " .. quote(slug), "provider"
        end
        return rendered(core.render_providers(handle, slug, which))
    end

    -- parse_reply(text) goes straight to the core through a C function, which hands any other
    -- call to the Lua one; the debug library lets argerror look past it to the caller.
    if bound and getinfo then
        F.parse_reply = bound.parse_front(F.parse_reply)
        fronts[F.parse_reply] = true
    end

    return F
end

-- ---- the module's own database --------------------------------------------------------------

do
    local handle, message, status = core.db_from_env()
    local broken, broken_status
    if not handle then
        local _
        _, broken, broken_status = failure(message, status)
    end
    for name, f in pairs(functions_of(handle, broken, broken_status)) do
        M[name] = f
    end
end

--- Takes a code apart without looking it up: {code, kind, class, category, detail,
-- conforming}, where class is the digit as written (0 for "X.7.1").
local KINDS = {}
for name, value in pairs(names_of(core.ENUM_KIND)) do
    KINDS[value] = name
end
function M.parse_code(code)
    local key = check_code(code, 1, "code", "parse_code")
    local parsed, message, status = core.code_parse(as_text(key))
    if not parsed then
        return failure(message, status, key)
    end
    return {
        code = parsed.kind == core.KIND_BASIC and parsed.klass * 100 + parsed.category * 10
                                                  + parsed.detail or parsed.text,
        kind = KINDS[parsed.kind],
        class = parsed.klass,
        category = parsed.category,
        detail = parsed.detail,
        conforming = parsed.conforming == 1,
    }
end

--- The compressed formats scan() reads in this build, by name: {"gzip", ...}.
function M.scan_compressions()
    local names = {}
    for i = 0, core.enum_count(core.ENUM_COMPRESSION) - 1 do
        local value, name = core.enum_at(core.ENUM_COMPRESSION, i)
        if value ~= core.COMPRESSION_NONE and core.scan_supports(value) == 1 then
            names[#names + 1] = name
        end
    end
    return names
end

-- ---- loaded databases -----------------------------------------------------------------------

local LOAD_OPTIONS = { mode = "string", catalogs = "table" }

-- The mode and the catalogs of load's options table (argument 2).
local function check_load_options(opts)
    for key, value in pairs(opts) do
        local expected = LOAD_OPTIONS[key]
        if not expected then
            argerror(2, "opts", "load", "unknown option " .. (type(key) == "string" and quote(key)
                                                              or tostring(key)))
        end
        if type(value) ~= expected then
            argerror(2, "opts", "load", format("option '%s': %s expected, got %s", key, expected,
                                               type(value)))
        end
    end
    local catalogs = opts.catalogs or {}
    for i = 1, #catalogs do
        local path = catalogs[i]
        if type(path) ~= "string" or path:find("\0", 1, true) then
            argerror(2, "opts", "load", format("option 'catalogs': item %d: string without NUL "
                                               .. "bytes expected, got %s", i, shown(path)))
        end
    end
    return opts.mode, copy(catalogs)
end

--- Loads a data file (docs/data-format.md): laid over the built-in database (mode "overlay",
-- the default) or alone ("alone"). The second argument is the mode, or an options table
-- {mode = ..., catalogs = {...}}: catalogs are gettext PO files of translations (catalog(lang)
-- writes one), read in order after the data file. A translation whose msgid is no longer the
-- database's English (the data file changed it) is stale and left out, so the text reads in
-- English. With options, `path` may be nil: the built-in database with the catalogs. Returns a
-- database object, or nil, message, status ("data" with file:line:column for a bad data file
-- or catalog, "io").
function M.load(path, mode)
    local catalogs = {}
    if type(mode) == "table" then
        mode, catalogs = check_load_options(mode)
        if path ~= nil then
            check_path(path, "load")
        end
    else
        check_path(path, "load")
    end
    local flags = check_mode(mode, "load")
    local handle, message, status
    if path == nil then
        if flags ~= core.LOAD_OVERLAY then
            argerror(1, "path", "load", "string expected with mode \"alone\", got nil")
        end
        -- A database of its own that holds the built-in one, for the catalogs to add to.
        handle, message, status = core.db_load_buffer("", "<built-in>", core.LOAD_OVERLAY)
    else
        handle, message, status = core.db_load(path, flags)
    end
    if not handle then
        return failure(message, status)
    end
    -- Before any function reads the database.
    for i = 1, #catalogs do
        local _
        _, message, status = core.db_load_catalog(handle, catalogs[i])
        if message then
            return failure(message, status)
        end
    end
    local methods, db = {}, {}
    for name, f in pairs(functions_of(handle)) do
        methods[name] = function(self, ...)
            if self ~= db then
                error(format("bad self to '%s' (smtpcodes database expected, got %s; "
                             .. "call db:%s(...))", name, type(self), name), 2)
            end
            return f(...)
        end
    end
    return setmetatable(db, {
        __index = methods,
        __newindex = function()
            error("smtpcodes databases are read-only", 2)
        end,
        __tostring = function()
            return "smtpcodes database: " .. (path or "built-in")
                   .. (#catalogs > 0 and " + " .. concat(catalogs, " + ") or "")
        end,
        __metatable = false,
    })
end

return M
