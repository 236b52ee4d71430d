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
    for _, class in ipairs({ 1, 6, 0, 2.5, "4", {}, true }) do
        T.raises("bad argument #1 (class) to 'codes' (reply class 2, 3, 4 or 5 expected, got "
                 .. tostring(class), smtpcodes.codes, class)
    end
    T.raises("bad argument #1 (path) to 'load' (string expected, got nil)", smtpcodes.load)
    T.raises("bad argument #1 (path) to 'load' (string expected, got table)", smtpcodes.load, {})
    T.raises("bad argument #1 (path) to 'load' (string without NUL bytes expected)",
             smtpcodes.load, valid_file .. "\0.txt")
    T.raises("bad argument #2 (mode) to 'load' (\"overlay\" or \"alone\" expected, got over)",
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
    T.fails("syntax", "'\\x0A421' is not an SMTP code", smtpcodes.lookup("\n421"))
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
