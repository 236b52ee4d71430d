-- Every way a call can go wrong: misuse raises an error naming the argument, and what depends
-- on the data returns nil, message, status.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local valid_file = T.vectors_dir .. "/data/valid/override-421.txt"

-- Values that are no code, with what the error says they are.
local not_codes = {
    { {}, "integer or string expected, got table" },
    { true, "integer or string expected, got boolean" },
    { print, "integer or string expected, got function" },
    { io.stdout, "integer or string expected, got userdata" },
    { 250.5, "number has no integer representation: 250.5" },
    { 0 / 0, "number has no integer representation" },
    { math.huge, "number has no integer representation" },
}

-- Calls fn with each value that is no code in argument position `n` of `args` (a template in
-- which the code is nil), and checks the error.
local function check_codes(fname, fn, args, n, name)
    for _, case in ipairs(not_codes) do
        local call = {}
        for i = 1, #args do
            call[i] = args[i]
        end
        call[n] = case[1]
        local message = T.raises(("bad argument #%d (%s) to '%s' (%s"):format(n, name, fname,
                                                                            case[2]),
                                 fn, (table.unpack or unpack)(call, 1, math.max(#args, n)))
        T.ok(not message:find("smtpcodes_core", 1, true), "the message is the facade's")
    end
    -- A missing code is nil, which is no code either.
    T.raises(("bad argument #%d (%s) to '%s' (integer or string expected, got nil)")
             :format(n, name, fname), fn, (table.unpack or unpack)(args, 1, n - 1))
end

T.test("errors: a value that is no code raises, naming the argument", function()
    local db = assert(smtpcodes.load(valid_file))
    check_codes("lookup", smtpcodes.lookup, {}, 1, "code")
    check_codes("closest", smtpcodes.closest, {}, 1, "code")
    check_codes("parse_code", smtpcodes.parse_code, {}, 1, "code")
    check_codes("explain", smtpcodes.explain, {}, 1, "code")
    check_codes("compare", smtpcodes.compare, { nil, 421 }, 1, "a")
    check_codes("compare", smtpcodes.compare, { 421 }, 2, "b")
    check_codes("lookup", function(...) return db:lookup(...) end, {}, 1, "code")
    check_codes("closest", function(...) return db:closest(...) end, {}, 1, "code")
    check_codes("explain", function(...) return db:explain(...) end, {}, 1, "code")
    check_codes("compare", function(...) return db:compare(...) end, { nil, 421 }, 1, "a")
    check_codes("compare", function(...) return db:compare(...) end, { 421 }, 2, "b")
end)

T.test("errors: the error points at the caller's line", function()
    local function call_lookup()
        local entry = smtpcodes.lookup({})
        return entry
    end
    local line = debug.getinfo(1, "l").currentline - 3
    local _, message = pcall(call_lookup)
    T.match(message, "test_errors%.lua:" .. line .. ": bad argument #1 %(code%) to 'lookup'",
            "module function")
    local db = assert(smtpcodes.load(valid_file))
    local function call_method()
        local page = db:compare(421, 250.5)
        return page
    end
    line = debug.getinfo(1, "l").currentline - 3
    _, message = pcall(call_method)
    T.match(message, "test_errors%.lua:" .. line .. ": bad argument #2 %(b%) to 'compare'",
            "method")
    local function call_load()
        local loaded = smtpcodes.load("x", "sideways")
        return loaded
    end
    line = debug.getinfo(1, "l").currentline - 3
    _, message = pcall(call_load)
    T.match(message, "test_errors%.lua:" .. line .. ": bad argument #2 %(mode%) to 'load'",
            "load")
end)

T.test("errors: other misused arguments raise, naming them", function()
    T.raises("bad argument #3 (lang) to 'compare' (string or nil expected, got table)",
             smtpcodes.compare, 421, 504, {})
    T.raises("bad argument #3 (lang) to 'compare' (string or nil expected, got number)",
             smtpcodes.compare, 421, 504, 7)
    T.raises("bad argument #2 (lang) to 'explain' (string or nil expected, got boolean)",
             smtpcodes.explain, 421, true)
    T.raises("bad argument #3 (format) to 'explain' (unknown format 'pdf'", smtpcodes.explain,
             421, nil, "pdf")
    T.raises("bad argument #3 (format) to 'explain' (string or nil expected, got number)",
             smtpcodes.explain, 421, nil, 3)
    for _, class in ipairs({ 1, 6, 0, 2.5, {}, true }) do
        T.raises("bad argument #1 (class) to 'codes' (reply class 2, 3, 4 or 5 expected, got "
                 .. tostring(class), smtpcodes.codes, class)
    end
    T.raises("bad argument #1 (class) to 'codes' (reply class 2, 3, 4 or 5 expected, got '4')",
             smtpcodes.codes, "4")
    T.raises("bad argument #1 (path) to 'load' (string expected, got nil)", smtpcodes.load)
    T.raises("bad argument #1 (path) to 'load' (string expected, got table)", smtpcodes.load, {})
    T.raises("bad argument #1 (path) to 'load' (string without NUL bytes expected)",
             smtpcodes.load, valid_file .. "\0.txt")
    T.raises("bad argument #2 (mode) to 'load' (\"overlay\" or \"alone\" expected, got 'over')",
             smtpcodes.load, valid_file, "over")
end)

T.test("errors: database methods refuse another self", function()
    local db = assert(smtpcodes.load(valid_file))
    for _, method in ipairs({ "lookup", "closest", "codes", "compare", "explain",
                              "languages" }) do
        T.raises(("bad self to '%s' (smtpcodes database expected, got number; call db:%s(...))")
                 :format(method, method), db[method], 421)
        T.raises(("bad self to '%s' (smtpcodes database expected, got table"):format(method),
                 db[method], {})
    end
    T.eq(getmetatable(db), false, "the metatable is protected")
end)

T.test("errors: malformed codes return nil, message, \"syntax\"", function()
    T.fails("syntax", "'abc' is not an SMTP code (column 1: expected a first digit from 2 to 5",
            smtpcodes.lookup("abc"))
    T.fails("syntax", "'' is not an SMTP code (empty code)", smtpcodes.lookup(""))
    T.fails("syntax", "'999' is not an SMTP code", smtpcodes.lookup(999))
    T.fails("syntax", "'-421' is not an SMTP code", smtpcodes.lookup(-421))
    T.fails("syntax", "'4210' is not an SMTP code", smtpcodes.lookup(4210))
    T.fails("syntax", "'421\\x00' is not an SMTP code (column 4", smtpcodes.lookup("421\0"))
    T.fails("syntax", "'\\x0A421-' is not an SMTP code", smtpcodes.lookup("\n421-"))
    T.fails("syntax", "'" .. ("9"):rep(37) .. "...' is not an SMTP code",
            smtpcodes.lookup(("9"):rep(100)))
    T.fails("syntax", "'5.01.1' is not an SMTP code", smtpcodes.closest("5.01.1"))
    T.fails("syntax", "'3.1.1' is not an SMTP code", smtpcodes.parse_code("3.1.1"))
    T.fails("syntax", "'42' is not an SMTP code", smtpcodes.explain(42))
    T.fails("syntax", "'4x1' is not an SMTP code (column 2", smtpcodes.compare("4x1", 421))
    T.fails("syntax", "'4x1' is not an SMTP code (column 2", smtpcodes.compare(421, "4x1"))
    T.fails("syntax", "'42' is not an SMTP code", smtpcodes.compare(42, "4x1"))
end)

T.test("errors: unknown codes and languages return nil, message, status", function()
    T.fails("notfound", "unknown code 299", smtpcodes.lookup(299))
    T.fails("notfound", "unknown code 5.7.650", smtpcodes.lookup("5.7.650"))
    T.fails("notfound", "unknown code 299", smtpcodes.closest(299))
    T.fails("notfound", "unknown code 299", smtpcodes.explain("299"))
    T.fails("notfound", "unknown code 299", smtpcodes.compare(421, 299))
    T.fails("lang", "unknown language 'xx'", smtpcodes.compare(421, 504, "xx"))
    T.fails("lang", "unknown language ''", smtpcodes.compare(421, 504, ""))
    T.fails("lang", "unknown language 'xx'", smtpcodes.explain(421, "xx"))
    T.fails("invalid", "421 and 421 are the same code", smtpcodes.compare(421, "421"))
    T.fails("invalid", "5.7.1 and X.7.1 are the same code", smtpcodes.compare("5.7.1", "X.7.1"))
end)

T.test("errors: data files that cannot be read or parsed return nil, message, status", function()
    T.fails("io", "/nonexistent/smtpcodes.txt", smtpcodes.load("/nonexistent/smtpcodes.txt"))
    T.fails("io", T.vectors_dir, smtpcodes.load(T.vectors_dir))
    local bad = T.vectors_dir .. "/data/invalid/duplicate-code.txt"
    T.fails("data", bad .. ":16:1: duplicate code 297", smtpcodes.load(bad))
    T.fails("data", bad .. ":16:1: ", smtpcodes.load(bad, "alone"))
    local empty = T.write_temp("")
    T.fails("data", "no Language record for 'en'", smtpcodes.load(empty, "alone"))
    os.remove(empty)
end)

T.test("errors: the memo of lookups keeps failures out", function()
    T.fails("notfound", "unknown code 299", smtpcodes.lookup(299))
    T.fails("notfound", "unknown code 299", smtpcodes.lookup(299))
    local db = assert(smtpcodes.load(valid_file))
    T.ok(db:lookup(299), "299 in the loaded file")
    T.fails("notfound", "unknown code 299", smtpcodes.lookup(299))
end)

-- ---- replies ----------------------------------------------------------------------------------

-- Each function of the reply API, as a module function and as a database method.
local function both(fname)
    local db = assert(smtpcodes.load(valid_file))
    return {
        { "smtpcodes." .. fname, smtpcodes[fname] },
        { "db:" .. fname, function(...) return db[fname](db, ...) end },
    }
end

T.test("errors: reply functions raise for misuse, naming the argument", function()
    for _, f in ipairs(both("parse_reply")) do
        local what, fn = f[1], f[2]
        for _, bad in ipairs({ { nil, "nil" }, { 250, "number" }, { {}, "table" },
                               { true, "boolean" } }) do
            T.raises("bad argument #1 (text) to 'parse_reply' (string expected, got " .. bad[2]
                     .. ")", fn, bad[1])
        end
        T.raises("bad argument #2 (opts) to 'parse_reply' (table or nil expected, got string)",
                 fn, "250 ok", "strict")
        T.raises("bad argument #2 (opts) to 'parse_reply' (unknown option 'stirct')", fn,
                 "250 ok", { stirct = true })
        T.raises("bad argument #2 (opts) to 'parse_reply' (unknown option 1)", fn, "250 ok",
                 { true })
        T.raises("bad argument #2 (opts) to 'parse_reply' (option 'strict': boolean expected, "
                 .. "got string)", fn, "250 ok", { strict = "yes" })
        T.raises("(option 'complete': boolean expected, got number)", fn, "250", { complete = 1 })
        T.raises("(option 'command': string expected, got table)", fn, "250", { command = {} })
        T.ok(not select(2, pcall(fn, nil)):find("smtpcodes_core", 1, true), what)
    end
    for _, f in ipairs(both("reply_parser")) do
        local fn = f[2]
        T.raises("bad argument #1 (opts) to 'reply_parser' (unknown option 'complete')", fn,
                 { complete = true })
        T.raises("bad argument #1 (opts) to 'reply_parser' (table or nil expected, got number)",
                 fn, 1)
    end
    local p = smtpcodes.reply_parser()
    T.raises("bad argument #1 (chunk) to 'feed' (string expected, got nil)", p.feed, p)
    T.raises("bad argument #1 (chunk) to 'feed' (string expected, got number)", p.feed, p, 250)
    for _, method in ipairs({ "feed", "finish" }) do
        T.raises(("bad self to '%s' (smtpcodes reply parser expected, got string; call p:%s(...))")
                 :format(method, method), p[method], "250 ok\r\n")
        T.raises(("bad self to '%s' (smtpcodes reply parser expected, got table"):format(method),
                 p[method], {})
    end
    T.eq(getmetatable(p), false, "the parser's metatable is protected")
    for _, f in ipairs(both("classify")) do
        local fn = f[2]
        T.raises("bad argument #1 (reply) to 'classify' (string or reply table expected, got nil)",
                 fn)
        T.raises("(string or reply table expected, got number)", fn, 250)
        T.raises("bad argument #1 (reply) to 'classify' (field 'code': integer expected, got nil)",
                 fn, {})
        T.raises("(field 'code': integer expected, got string)", fn, { code = "250" })
        T.raises("(field 'code': integer expected, got 250.5)", fn, { code = 250.5 })
        T.raises("(field 'enhanced': string or nil expected, got number)", fn,
                 { code = 250, enhanced = 2 })
        T.raises("(field 'command': string or nil expected, got boolean)", fn,
                 { code = 250, command = true })
        T.raises("bad argument #2 (command) to 'classify' (string or nil expected, got number)",
                 fn, "250 ok", 5)
    end
    for _, f in ipairs(both("build_reply")) do
        local fn = f[2]
        T.raises("bad argument #1 (code) to 'build_reply' (integer or string expected, got nil)",
                 fn)
        T.raises("bad argument #1 (code) to 'build_reply' (number has no integer representation: "
                 .. "550.5)", fn, 550.5)
        T.raises("bad argument #2 (enhanced) to 'build_reply' (string or nil expected, got number)",
                 fn, 550, 5.71)
        T.raises("bad argument #3 (text) to 'build_reply' (string or nil expected, got table)",
                 fn, 550, nil, {})
    end
    for _, f in ipairs(both("scan")) do
        local fn = f[2]
        local expected = "bad argument #1 (source) to 'scan' (path, open file, array of lines or "
                         .. "iterator expected, got "
        T.raises(expected .. "nil)", fn)
        T.raises(expected .. "number)", fn, 42)
        T.raises(expected .. "boolean)", fn, true)
        local f_closed = io.tmpfile()
        f_closed:close()
        T.raises(expected .. "closed file)", fn, f_closed)
        T.raises("bad argument #1 (source) to 'scan' (string without NUL bytes expected)", fn,
                 "/tmp/x\0y")
        T.raises("bad argument #1 (source) to 'scan' (line 2: string expected, got table)", fn,
                 { "a", {}, "c" })
        local i = 0
        T.raises("bad argument #1 (source) to 'scan' (line 3: string expected, got number)", fn,
                 function()
                     i = i + 1
                     return i < 3 and "said: 250 ok" or 7
                 end)
    end
    local db = assert(smtpcodes.load(valid_file))
    for _, method in ipairs({ "parse_reply", "reply_parser", "classify", "build_reply",
                              "scan" }) do
        T.raises(("bad self to '%s' (smtpcodes database expected, got number; call db:%s(...))")
                 :format(method, method), db[method], 421)
    end
end)

T.test("errors: the reply functions' errors point at the caller's line", function()
    local function call()
        local reply = smtpcodes.parse_reply("250", { bogus = true })
        return reply
    end
    local line = debug.getinfo(1, "l").currentline - 3
    local _, message = pcall(call)
    T.match(message, "test_errors%.lua:" .. line .. ": bad argument #2 %(opts%) to 'parse_reply'",
            "parse_reply")
    local p = smtpcodes.reply_parser()
    local function call_feed()
        local replies = p:feed(7)
        return replies
    end
    line = debug.getinfo(1, "l").currentline - 3
    _, message = pcall(call_feed)
    T.match(message, "test_errors%.lua:" .. line .. ": bad argument #1 %(chunk%) to 'feed'", "feed")
    local function call_classify()
        local v = smtpcodes.classify({ code = "x" })
        return v
    end
    line = debug.getinfo(1, "l").currentline - 3
    _, message = pcall(call_classify)
    T.match(message, "test_errors%.lua:" .. line .. ": bad argument #1 %(reply%) to 'classify'",
            "classify")
    local function call_scan()
        local s = smtpcodes.scan({ 1, {} })
        return s
    end
    line = debug.getinfo(1, "l").currentline - 3
    _, message = pcall(call_scan)
    T.match(message, "test_errors%.lua:" .. line .. ": bad argument #1 %(source%) to 'scan'", "scan")
end)

T.test("errors: malformed replies return nil, message with line and column, \"reply\"", function()
    T.fails("reply", "line 1, column 1: the first digit of a reply code must be 2 to 5",
            smtpcodes.parse_reply("Hello\r\n"))
    T.fails("reply", "line 1, column 1: empty reply", smtpcodes.parse_reply(""))
    T.fails("reply", "line 2, column 1: the lines of one reply carry different codes",
            smtpcodes.parse_reply("250-a\r\n251 b\r\n"))
    T.fails("reply", "line 1, column 6: NUL byte", smtpcodes.parse_reply("250 a\0b\r\n"))
    T.fails("reply", "line 1, column 2: the reply code has a non-digit",
            smtpcodes.parse_reply("2x0 x\r\n"))
    T.fails("reply", "line 1, column 4: expected ' ', '-' or the end of the line",
            smtpcodes.parse_reply("250+x\r\n"))
    T.fails("reply", "line 2, column 1: continuation lines without a final line",
            smtpcodes.parse_reply("250-first\r\n"))
    T.fails("reply", "line 1: no SMTP reply found in the line",
            smtpcodes.parse_reply("no reply here", { embedded = true }))
    T.fails("reply", "line 1, column 1: the first digit", smtpcodes.classify("hello"))
    local db = assert(smtpcodes.load(valid_file))
    T.fails("reply", "line 1, column 1: empty reply", db:parse_reply(""))
    T.fails("reply", "line 1, column 1: empty reply", db:classify(""))
end)

T.test("errors: an incomplete reply returns nil, message, \"incomplete\", bytes needed", function()
    local reply, message, status, needed = smtpcodes.parse_reply("250 O", { complete = false })
    T.eq(reply, nil, "reply")
    T.find(message, "incomplete reply: at least 1 more byte is needed", "message")
    T.eq(status, "incomplete", "status")
    T.eq(needed, 1, "needed")
    T.eq(select(4, smtpcodes.parse_reply("250-a\r\n", { complete = false })), 4, "a whole line")
end)

T.test("errors: bad codes, enhanced codes and texts return nil, message, status", function()
    for _, fn in ipairs({ smtpcodes.build_reply, function(code, ...)
                              return smtpcodes.classify({ code = code }, ...)
                          end }) do
        T.fails("invalid", "199 is not a reply code: expected 200 to 599", fn(199))
        T.fails("invalid", "600 is not a reply code: expected 200 to 599", fn(600))
        T.fails("invalid", "-550 is not a reply code", fn(-550))
        T.fails("invalid", "0 is not a reply code", fn(0))
    end
    T.fails("syntax", "'abc' is not an SMTP code", smtpcodes.build_reply("abc"))
    T.fails("invalid", "'5.7.1' is not a reply code: expected 200 to 599",
            smtpcodes.build_reply("5.7.1"))
    T.fails("invalid", "enhanced code 4.7.1 contradicts the class of reply code 550",
            smtpcodes.build_reply(550, "4.7.1"))
    T.fails("invalid", "'X.7.1' is not an enhanced code with a class",
            smtpcodes.build_reply(550, "X.7.1"))
    T.fails("invalid", "'5.7' is not an enhanced code", smtpcodes.build_reply(550, "5.7"))
    T.fails("invalid", "column 2: reply text may hold only printable ASCII",
            smtpcodes.build_reply(550, nil, "a\r\nb"))
    T.fails("invalid", "not byte \\xC3", smtpcodes.build_reply(550, nil, "caf\195\169"))
    T.fails("invalid", "not byte \\x00", smtpcodes.build_reply(550, "5.7.1", "a\0b"))
    T.fails("invalid", "the text starts like an enhanced code",
            smtpcodes.build_reply(550, nil, "5.1.1 unknown"))
    -- The core reads the enhanced code; the message names it and the column.
    T.fails("syntax", "'X.7.1': column 1: expected an enhanced code with a class, such as 5.7.1",
            smtpcodes.classify({ code = 550, enhanced = "X.7.1" }))
    T.fails("syntax", "'5.7.1\\x00': column ",
            smtpcodes.classify({ code = 550, enhanced = "5.7.1\0" }))
    T.fails("syntax", "'nonsense': column 1",
            smtpcodes.classify({ code = 550, enhanced = "nonsense" }))
end)

T.test("errors: files scan cannot read return nil, message, \"io\"", function()
    T.fails("io", "/nonexistent/mail.log", smtpcodes.scan("/nonexistent/mail.log"))
    T.fails("io", T.vectors_dir .. ": ", smtpcodes.scan(T.vectors_dir))
    local db = assert(smtpcodes.load(valid_file))
    T.fails("io", "/nonexistent/mail.log", db:scan("/nonexistent/mail.log"))
end)
