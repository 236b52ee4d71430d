-- Hostile input through every function of the Lua binding: wrong types, nil,
-- huge and negative numbers, NUL bytes, invalid UTF-8, 1 MiB strings, unknown languages, and
-- data files that are truncated, duplicated, binary, enormous or missing. Each call either
-- returns its result, or nil, message, status with a documented status, or raises the
-- documented misuse error ("bad argument ...", "bad self ..."); nothing else is raised, nothing
-- crashes, and the module works as before afterwards.

local T = require "testing"
local smtpcodes = require "smtpcodes"
local core = require "smtpcodes_core"

local format = string.format
local pack = table.pack or function(...)
    return { n = select("#", ...), ... }
end
local unpack = table.unpack or unpack

local MiB = 1024 * 1024
local STATUSES = { syntax = true, notfound = true, lang = true, invalid = true, io = true,
                   data = true, reply = true, incomplete = true }

-- The hostile values, with a name for messages. nil is among them.
local hostile = {
    { "nil", nil }, { "false", false }, { "true", true }, { "0", 0 }, { "-1", -1 },
    { "-421", -421 }, { "250.5", 250.5 }, { "2^31", 2 ^ 31 }, { "2^53", 2 ^ 53 },
    { "-2^53", -2 ^ 53 }, { "2^63", 2 ^ 63 }, { "1e308", 1e308 }, { "huge", math.huge },
    { "-huge", -math.huge }, { "NaN", 0 / 0 },
    { "\"\"", "" }, { "NUL", "\0" }, { "421 NUL", "421\0" }, { "NUL 421", "\0421" },
    { "invalid UTF-8", "\255\254\253" }, { "overlong UTF-8", "550 \192\128 x\r\n" },
    { "unknown language", "xx-YY" }, { "1 MiB of 4", ("4"):rep(MiB) },
    { "1 MiB line", "550 " .. ("x"):rep(MiB) }, { "1 MiB of lines", ("250-x\r\n"):rep(math.floor(MiB / 7)) },
    { "1 MiB of NUL", ("\0"):rep(MiB) },
    { "{}", {} }, { "{code=550}", { code = 550 } }, { "function", function() return {} end },
    { "file", io.stdout }, { "thread", coroutine.create(function() end) },
}
if math.maxinteger then
    hostile[#hostile + 1] = { "maxinteger", math.maxinteger }
    hostile[#hostile + 1] = { "mininteger", math.mininteger }
end

-- Checks what a call gave: its results, or a documented failure, or a documented error.
local function check_outcome(what, ok, ...)
    local results = pack(...)
    if not ok then
        local message = results[1]
        T.eq(type(message), "string", what .. ": the error is a message")
        T.ok(message:find("bad argument #%d+ %(") or message:find("bad self to '"),
             what .. ": a documented misuse error, got " .. T.show(message:sub(1, 200)))
        T.ok(#message < 1000, what .. ": a bounded message")
        return "error"
    end
    if results[1] == nil then
        T.eq(type(results[2]), "string", what .. ": nil, message")
        T.ok(STATUSES[results[3]], what .. ": a documented status, got " .. T.show(results[3])
                                   .. " (" .. tostring(results[2]):sub(1, 200) .. ")")
        T.ok(#results[2] < 1000, what .. ": a bounded message")
        return "failure"
    end
    return "result"
end

-- Calls fn with `args`, whose argument `position` is replaced by each hostile value.
local function attack(name, fn, args, position)
    local outcomes = {}
    for _, h in ipairs(hostile) do
        local call = {}
        for i = 1, args.n or #args do
            call[i] = args[i]
        end
        call[position] = h[2]
        local n = math.max(args.n or #args, position)
        local what = format("%s with argument %d = %s", name, position, h[1])
        local outcome = check_outcome(what, pcall(fn, unpack(call, 1, n)))
        outcomes[outcome] = (outcomes[outcome] or 0) + 1
    end
    return outcomes
end

local valid_file = T.vectors_dir .. "/data/valid/override-421.txt"

-- The module's functions and a database's methods, with good arguments to start from.
local function targets()
    local db = assert(smtpcodes.load(valid_file))
    local parser = smtpcodes.reply_parser()
    local list = {}
    local function add(name, fn, ...)
        list[#list + 1] = { name, fn, pack(...) }
    end
    for _, prefix in ipairs({ "", "db:" }) do
        local api = smtpcodes
        if prefix == "db:" then
            api = setmetatable({}, { __index = function(_, k)
                return function(...) return db[k](db, ...) end
            end })
        end
        add(prefix .. "lookup", api.lookup, 421)
        add(prefix .. "closest", api.closest, "5.7.1")
        add(prefix .. "codes", api.codes, 4)
        add(prefix .. "compare", api.compare, 421, 504, "fr")
        add(prefix .. "explain", api.explain, 421, "de", "json")
        add(prefix .. "parse_reply", api.parse_reply, "250 ok\r\n", { strict = true })
        add(prefix .. "reply_parser", api.reply_parser, { command = "RCPT" })
        add(prefix .. "classify", api.classify, "552 x\r\n", "RCPT")
        add(prefix .. "build_reply", api.build_reply, 550, "5.7.1", "denied")
        add(prefix .. "scan", api.scan, { "said: 550 5.1.1 x" })
    end
    add("parse_code", smtpcodes.parse_code, "5.7.1")
    add("load", smtpcodes.load, valid_file, "overlay")
    add("p:feed", function(...) return parser:feed(...) end, "250 ok\r\n")
    add("p.feed", parser.feed, parser, "250 ok\r\n")
    add("p.finish", parser.finish, parser)
    add("db.lookup", db.lookup, db, 421)
    return list
end

T.test("hostile: every argument of every function, with every hostile value", function()
    local total = { result = 0, failure = 0, error = 0 }
    for _, t in ipairs(targets()) do
        local name, fn, args = t[1], t[2], t[3]
        for position = 1, math.max(args.n, 1) + 1 do
            for outcome, count in pairs(attack(name, fn, args, position)) do
                total[outcome] = total[outcome] + count
            end
        end
    end
    T.ok(total.result > 0 and total.failure > 0 and total.error > 0, "all three outcomes seen")
    -- The module works as before.
    T.eq(smtpcodes.lookup(421).code, 421, "lookup afterwards")
    T.eq(smtpcodes.parse_reply("250 ok\r\n").code, 250, "parse_reply afterwards")
end)

T.test("hostile: options tables with hostile fields", function()
    for _, fname in ipairs({ "parse_reply", "reply_parser" }) do
        for _, key in ipairs({ "complete", "strict", "embedded", "command", "bogus", 1 }) do
            if not (fname == "reply_parser" and key == "complete") then
                for _, h in ipairs(hostile) do
                    local opts = { [key] = h[2] }
                    local what = format("%s with opts.%s = %s", fname, tostring(key), h[1])
                    if fname == "parse_reply" then
                        check_outcome(what, pcall(smtpcodes.parse_reply, "250 ok\r\n", opts))
                    else
                        check_outcome(what, pcall(smtpcodes.reply_parser, opts))
                    end
                end
            end
        end
    end
    -- A 1 MiB command, with NULs in it, names no SMTP command: misuse.
    T.raises("unknown SMTP command", smtpcodes.parse_reply, "552 x\r\n",
             { command = ("\0R"):rep(math.floor(MiB / 2)) })
end)

T.test("hostile: exact outcomes for huge, negative and odd values", function()
    T.fails("syntax", "'9007199254740992' is not an SMTP code", smtpcodes.lookup(2 ^ 53))
    T.fails("syntax", "'-9007199254740992' is not an SMTP code", smtpcodes.lookup(-2 ^ 53))
    T.fails("syntax", "'-1' is not an SMTP code", smtpcodes.lookup(-1))
    T.raises("number has no integer representation", smtpcodes.lookup, 2 ^ 63)
    T.raises("number has no integer representation", smtpcodes.lookup, 0 / 0)
    T.fails("invalid", "9007199254740992 is not a reply code", smtpcodes.build_reply(2 ^ 53))
    T.fails("invalid", "-1 is not a reply code", smtpcodes.build_reply(-1))
    T.fails("invalid", "-9007199254740992 is not a reply code",
            smtpcodes.classify({ code = -2 ^ 53 }))
    if math.maxinteger then
        T.fails("syntax", "'9223372036854775807' is not an SMTP code",
                smtpcodes.lookup(math.maxinteger))
        T.fails("invalid", "-9223372036854775808 is not a reply code",
                smtpcodes.build_reply(math.mininteger))
        T.fails("invalid", "9223372036854775807 is not a reply code",
                smtpcodes.classify({ code = math.maxinteger }))
    end
    T.raises("reply class 2, 3, 4 or 5 expected, got 9.007199254741e+15", smtpcodes.codes, 2 ^ 53)
    T.raises("reply class 2, 3, 4 or 5 expected, got 'xxxxxxxxxx", smtpcodes.codes, ("x"):rep(MiB))
    T.raises("\"overlay\" or \"alone\" expected, got '\\x00", smtpcodes.load, valid_file, "\0")
    local _, message = smtpcodes.scan(("d/"):rep(MiB))
    T.ok(#message < 300, "a long path is cut in the message")
    T.fails("lang", "unknown language '", smtpcodes.compare(421, 504, ("x"):rep(MiB)))
    -- The core shows bytes that are not printable UTF-8 as '?'.
    T.fails("lang", "unknown language '?'", smtpcodes.explain(421, "\255"))
    T.fails("lang", "unknown language '", smtpcodes.compare(421, 504, "\0"))
end)

T.test("hostile: 1 MiB replies, NULs and invalid UTF-8", function()
    T.fails("reply", "line 1, column 65536: line longer than the hard limit",
            smtpcodes.parse_reply("550 " .. ("x"):rep(MiB)))
    T.fails("reply", "line 1001, column 1: too many lines in one reply",
            smtpcodes.parse_reply(("250-x\r\n"):rep(math.floor(MiB / 7))))
    T.fails("reply", "line 1, column 65536: line longer than the hard limit",
            smtpcodes.parse_reply(("\0"):rep(MiB)))
    T.fails("reply", "line 1, column 1: NUL byte", smtpcodes.parse_reply("\0\0\0 x\r\n"))
    T.fails("reply", "NUL byte", smtpcodes.parse_reply("250 a\0b\r\n"))
    T.fails("reply", "no SMTP reply found", smtpcodes.parse_reply(("\255"):rep(MiB),
                                                                  { embedded = true }))
    local reply = assert(smtpcodes.parse_reply("550 \192\128 \255\r\n"))
    T.same(reply.warnings, { "invalid-utf8" }, "invalid UTF-8 is kept and reported")
    T.eq(reply.text, "\192\128 \255", "the bytes as they came")
    -- The stream parser refuses a 1 MiB line, however it comes.
    local p = smtpcodes.reply_parser()
    T.eq(select(3, p:feed("550 " .. ("x"):rep(MiB))), "reply", "one chunk")
    p = smtpcodes.reply_parser()
    local replies, status = {}, nil
    for _ = 1, math.floor(MiB / 4096) do
        replies, _, status = p:feed(("y"):rep(4096))
        if not replies then
            break
        end
    end
    T.eq(status, "reply", "many chunks")
    -- Building: text that is no RFC 5321 textstring is refused; a huge text is built (or
    -- refused) without harm.
    T.fails("invalid", "not byte \\x00", smtpcodes.build_reply(550, nil, ("\0"):rep(MiB)))
    T.fails("invalid", "not byte \\xFF", smtpcodes.build_reply(550, nil, "\255"))
    T.fails("invalid", "is not an enhanced code", smtpcodes.build_reply(550, ("5"):rep(MiB)))
    local wire, message, status2 = smtpcodes.build_reply(550, "5.7.1", ("ab "):rep(math.floor(MiB / 3)))
    T.ok(wire or status2 == "invalid", "a 1 MiB text: " .. tostring(message))
    -- Scanning: 1 MiB lines are skipped, NULs and invalid UTF-8 are only bytes.
    local s = smtpcodes.scan({ ("z"):rep(MiB), "\0said: 550 5.1.1 \255\0", ("\255"):rep(MiB) })
    T.eq(s.lines, 3, "lines")
    T.eq(s.skipped, 2, "1 MiB lines skipped")
    T.eq(s.replies, 1, "the reply among NULs")
    -- smtpc_scan_row.sample has a length: NUL bytes are kept.
    T.eq(s.rows[1].sample, "\0said: 550 5.1.1 \255\0", "the sample, NULs included")
    s = smtpcodes.scan({ "said: 550 5.1.1 \255 a\0b" })
    T.eq(s.rows[1].sample, "said: 550 5.1.1 \255 a\0b", "invalid UTF-8 and NUL kept")
end)

-- ---- data files -------------------------------------------------------------------------------

T.test("hostile: data files that are truncated, duplicated, binary, enormous or missing", function()
    local builtin = T.read_file(T.source_dir .. "/core/data/smtpcodes.txt")
    local function load_data(data, mode)
        local path = T.write_temp(data)
        local results = pack(smtpcodes.load(path, mode))
        os.remove(path)
        return path, unpack(results, 1, results.n)
    end
    local function refused(what, status, part, path, db, message, actual)
        T.eq(db, nil, what .. ": nothing is loaded")
        T.eq(actual, status, what .. ": status (" .. tostring(message) .. ")")
        T.find(message, path, what .. ": the message names the file")
        if part then
            T.find(message, part, what)
        end
    end
    -- Missing, a directory, an empty path.
    refused("missing", "io", "cannot open", "/nonexistent/codes.txt",
            smtpcodes.load("/nonexistent/codes.txt"))
    refused("a directory", "io", "", T.vectors_dir, smtpcodes.load(T.vectors_dir))
    T.eq(select(3, smtpcodes.load("")), "io", "an empty path")
    -- Duplicated: every record twice.
    local path, db, message, status = load_data(builtin .. "\n" .. builtin, "alone")
    refused("duplicated", "data", "duplicate", path, db, message, status)
    -- Binary: random bytes (a fixed seed), and NULs.
    math.randomseed(7)
    local bytes = {}
    for i = 1, 4096 do
        bytes[i] = string.char(math.random(0, 255))
    end
    path, db, message, status = load_data(table.concat(bytes))
    refused("binary", "data", nil, path, db, message, status)
    path, db, message, status = load_data(("\0"):rep(MiB))
    refused("NULs", "data", nil, path, db, message, status)
    -- Enormous: over the 16 MiB a data file may hold (comment lines, which would be valid).
    path, db, message, status = load_data(("# " .. ("x"):rep(1021) .. "\n"):rep(17 * 1024))
    refused("enormous", "data", "larger than the 16 MiB", path, db, message, status)
    -- Truncated anywhere: the file loads or fails with "data", never anything else.
    local cuts, failed = 0, 0
    for cut = 1, #builtin, math.floor(#builtin / 60) do
        cuts = cuts + 1
        path, db, message, status = load_data(builtin:sub(1, cut), "alone")
        if db then
            T.ok(db:lookup(421) or true, "a truncated file that loads works")
        else
            T.eq(status, "data", format("cut at byte %d: status (%s)", cut, tostring(message)))
            T.find(message, path, "the message names the file")
            failed = failed + 1
        end
    end
    T.ok(cuts > 50 and failed > 0, "truncations tried")
    -- Nothing is left half-loaded: the module and a good file work as before.
    T.eq(smtpcodes.lookup(421).code, 421, "the module afterwards")
    T.ok(assert(smtpcodes.load(valid_file)):lookup(299), "a good file afterwards")
end)

T.test("hostile: a hostile SMTPCODES_DATA makes the functions fail, not crash", function()
    local enormous = T.write_temp(("# x\n"):rep(5 * MiB))
    local binary = T.write_temp("\0\1\2\255\254")
    for _, data in ipairs({ enormous, binary, "/nonexistent/x.txt", T.vectors_dir }) do
        local output, status = T.run_lua([[
            local smtpcodes = require "smtpcodes"
            local checks = {
                { smtpcodes.lookup(421) }, { smtpcodes.parse_reply("250 ok\r\n") },
                { smtpcodes.scan({ "said: 250 ok" }) }, { smtpcodes.build_reply(250) },
                { smtpcodes.classify("250 ok\r\n") }, { smtpcodes.reply_parser() },
                { smtpcodes.compare(421, 504) },
            }
            for _, c in ipairs(checks) do
                assert(c[1] == nil and type(c[2]) == "string", tostring(c[2]))
                assert(c[3] == "data" or c[3] == "io", tostring(c[3]))
            end
            print("ok")
        ]], { SMTPCODES_DATA = data })
        T.eq(output, "ok\n", data .. ": " .. tostring(output))
        T.eq(status, 0, data .. ": exit status")
    end
    os.remove(enormous)
    os.remove(binary)
end)

-- ---- the generated module ---------------------------------------------------------------------

T.test("hostile: the generated module refuses what is not its own, and never crashes", function()
    local db = assert(core.db_from_env())
    local bound = core.bind(db)
    local scanner = bound.scanner()
    local stream = bound.stream(0)
    local cmp = assert(core.compare(db, "421", "504", nil))
    local values = { nil, false, 0, -1, 2 ^ 53, 0.5, "", "421\0", {}, type, io.stdout, db,
                     scanner, stream, cmp, bound.lookup("421"), ("4"):rep(MiB) }
    local functions = {}
    for name, fn in pairs(core) do
        if type(fn) == "function" then
            functions[#functions + 1] = { name, fn }
        end
    end
    for name, fn in pairs(bound) do
        functions[#functions + 1] = { "bound." .. name, fn }
    end
    table.sort(functions, function(a, b) return a[1] < b[1] end)
    local calls = 0
    for _, f in ipairs(functions) do
        local name, fn = f[1], f[2]
        -- scanner_free and comparison_free empty their box; they are tried on fresh ones.
        for position = 1, 6 do
            for i = 1, #values + 1 do
                local args = { db, "421", 0, 0, nil, nil }
                if name:find("^scanner_") or name == "bound.summary" then
                    args[1] = bound.scanner()
                elseif name:find("^comparison_") or name == "render_comparison" then
                    args[1] = assert(core.compare(db, "421", "504", nil))
                elseif name == "bound.feed" or name == "bound.finish"
                       or name == "bound.stream_counts" then
                    args[1] = bound.stream(0)
                elseif name:find("^bound%.") then
                    table.remove(args, 1)
                end
                args[position] = values[i]
                pcall(fn, unpack(args, 1, 6))
                calls = calls + 1
            end
        end
    end
    T.ok(calls > 1000, "calls made")
    -- A freed handle is refused, not used.
    core.scanner_free(scanner)
    T.raises("expected 'smtpcodes.scanner'", core.scanner_feed, scanner, "x")
    T.raises("expected 'smtpcodes.scanner'", core.scanner_free, scanner)
    T.raises("expected 'smtpcodes.scanner'", bound.summary, scanner)
    core.comparison_free(cmp)
    T.raises("expected 'smtpcodes.comparison'", core.render_comparison, cmp, 0)
    T.raises("expected 'smtpcodes.stream'", bound.feed, scanner, "x")
    T.eq(smtpcodes.lookup(421).code, 421, "the module afterwards")
end)
