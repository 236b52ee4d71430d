-- Lua rows of the benchmark: the smtpcodes module against plain-Lua baselines, timed in the
-- same process, subject and baseline alternating, medians of repeated runs (os.clock: CPU
-- time, as both sides are CPU-bound).
--
--     lua5.4 bench_lua.lua CORPUS REPS
--
-- Prints "key<TAB>value" lines for bench/report.py; a row whose subject is missing (the module
-- does not load, or has no parse_reply yet) gets "n/a: <reason>" and the baseline is still
-- measured. Nothing is asserted about time.

local corpus_path, reps = arg[1], tonumber(arg[2])
local quick = reps <= 3

local function out(key, value)
    if type(value) == "number" then
        value = string.format("%.6g", value)
    end
    io.write(key, "\t", value, "\n")
end

local function median(t)
    table.sort(t)
    local n = #t
    if n % 2 == 1 then
        return t[(n + 1) // 2]
    end
    return (t[n // 2] + t[n // 2 + 1]) / 2
end

-- Runs subject() and baseline() alternately; their median CPU times (baseline alone when
-- subject is nil).
local function alternate(subject, baseline)
    local ts, tb = {}, {}
    for _ = 1, reps do
        if subject then
            local t0 = os.clock()
            subject()
            ts[#ts + 1] = os.clock() - t0
        end
        local t1 = os.clock()
        baseline()
        tb[#tb + 1] = os.clock() - t1
    end
    return subject and median(ts) or nil, median(tb)
end

local ok, s = pcall(require, "smtpcodes")
local missing
if not ok then
    missing = "n/a: require \"smtpcodes\" failed (" .. tostring(s):gsub("\n.*", ""):sub(1, 80) .. ")"
    s = nil
else
    out("lua_version", s._VERSION or "?")
end
out("lua_interpreter", _VERSION)

-- ---- lookup(421).name vs a plain table of plain tables ----

local T = {}
if s then
    for _, e in ipairs(s.codes()) do
        if math.type(e.code) == "integer" then
            T[e.code] = {code = e.code, name = e.name}
        end
    end
else
    T[421] = {code = 421, name = "Service Not Available"}
end

local N = quick and 200000 or 2000000
local sink
local lookup = s and s.lookup
local t_lib, t_table = alternate(lookup and function()
    for _ = 1, N do
        sink = lookup(421).name
    end
end, function()
    for _ = 1, N do
        sink = T[421].name
    end
end)
out("lua_table_name_ns", t_table / N * 1e9)
out("lua_lookup_name_ns", t_lib and t_lib / N * 1e9 or missing)

-- ---- parse_reply vs a pure-Lua parser using string patterns ----

local function read_corpus(path)
    local f = assert(io.open(path, "rb"))
    local data = f:read("a")
    f:close()
    local replies, at = {}, 1
    while at <= #data do
        local nl = data:find("\n", at, true)
        local n = tonumber(data:sub(at, nl - 1))
        replies[#replies + 1] = data:sub(nl + 1, nl + n)
        at = nl + 1 + n
    end
    return replies
end

local ACTIONS = {[2] = "done", [3] = "continue", [4] = "retry", [5] = "give-up"}

-- The same reach as smtpcodes.parse_reply on well-formed input: lines (CRLF or LF), one code on
-- every line, the first enhanced code, the text, the class and the first-digit action. It looks
-- nothing up and checks no UTF-8, so it does less than the library.
local function pattern_parse_reply(text)
    local code, enhanced, lines = nil, nil, {}
    local at, len = 1, #text
    while at <= len do
        local nl = text:find("\n", at, true)
        local line = text:sub(at, (nl or len + 1) - 1)
        at = (nl or len) + 1
        if line:sub(-1) == "\r" then
            line = line:sub(1, -2)
        end
        local c, sep, rest = line:match("^([2-5]%d%d)([ %-]?)(.*)$")
        if not c or (sep == "" and rest ~= "") then
            return nil, "not a reply line"
        end
        c = tonumber(c)
        if code == nil then
            code = c
        elseif c ~= code then
            return nil, "codes differ"
        end
        local e, after = rest:match("^([245]%.%d%d?%d?%.%d%d?%d?)() ")
        if not e then
            e = rest:match("^([245]%.%d%d?%d?%.%d%d?%d?)$")
            after = e and #rest + 1
        end
        if e then
            enhanced = enhanced or e
            rest = rest:sub(after + (after <= #rest and 1 or 0))
        end
        lines[#lines + 1] = rest
        if sep ~= "-" then
            return {code = code, enhanced = enhanced, lines = lines,
                    text = table.concat(lines, "\n"), class = code // 100,
                    action = ACTIONS[code // 100]}
        end
    end
    return nil, "no final line"
end

local replies = read_corpus(corpus_path)
local rounds = math.max(1, (quick and 2000 or 20000) // #replies)
local calls = rounds * #replies
for _, r in ipairs(replies) do
    assert(pattern_parse_reply(r), "the pattern parser refuses a corpus reply: " .. r)
end
local parse_reply = s and s.parse_reply
local parse_reason
if parse_reply then
    -- A binding still being written may have the function and fail in it: say so in the row.
    for _, r in ipairs(replies) do
        local okay, result, message = pcall(parse_reply, r)
        if not okay or result == nil then
            parse_reason = "n/a: parse_reply fails on the corpus ("
                .. tostring(okay and message or result):gsub("\n.*", ""):sub(1, 80) .. ")"
            parse_reply = nil
            break
        end
    end
end
local t_parse, t_pattern = alternate(parse_reply and function()
    for _ = 1, rounds do
        for i = 1, #replies do
            sink = parse_reply(replies[i])
        end
    end
end, function()
    for _ = 1, rounds do
        for i = 1, #replies do
            sink = pattern_parse_reply(replies[i])
        end
    end
end)
out("lua_pattern_parse_us", t_pattern / calls * 1e6)
out("lua_parse_us", t_parse and t_parse / calls * 1e6
    or missing or parse_reason or "n/a: smtpcodes.parse_reply is not there yet")
