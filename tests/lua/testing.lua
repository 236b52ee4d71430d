-- testing.lua: the small test framework of the Lua suite, and the helpers its suites share.
-- Runs under Lua 5.4, 5.3 and LuaJIT. See run.lua.

local T = {}

local format = string.format
local tests = {}

-- The directory of this file; the source tree is two levels up.
T.dir = (debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$")) or "."
T.source_dir = T.dir .. "/../.."
T.vectors_dir = T.source_dir .. "/tests/vectors"
-- The interpreter running the suite, for child processes: the lowest index of `arg`.
T.interpreter = arg[-1]
for i = -2, -math.huge, -1 do
    if arg[i] == nil then
        break
    end
    T.interpreter = arg[i]
end
-- math.type exists from Lua 5.3 on; LuaJIT has only floats.
T.has_integers = math.type ~= nil

function T.test(name, fn)
    tests[#tests + 1] = { name = name, fn = fn }
end

-- ---- values in messages ---------------------------------------------------------------------

local function show(v)
    if type(v) == "string" then
        return format("%q", v)
    end
    return tostring(v)
end
T.show = show

-- ---- assertions: each raises with a message that points at the test's line ------------------

function T.eq(actual, expected, what)
    if actual ~= expected then
        error(format("%s: expected %s, got %s", what or "value", show(expected), show(actual)), 2)
    end
end

function T.ok(value, what)
    if not value then
        error(format("%s: expected a true value, got %s", what or "condition", show(value)), 2)
    end
    return value
end

function T.find(s, part, what)
    if type(s) ~= "string" or not s:find(part, 1, true) then
        error(format("%s: expected a string containing %s, got %s", what or "text", show(part),
                     show(s)), 2)
    end
end

function T.match(s, pattern, what)
    if type(s) ~= "string" or not s:match(pattern) then
        error(format("%s: expected a string matching %s, got %s", what or "text", show(pattern),
                     show(s)), 2)
    end
end

-- An integer: a Lua integer where the language has them, an integral number in LuaJIT.
function T.integer(v, what)
    local good
    if T.has_integers then
        good = math.type(v) == "integer"
    else
        good = type(v) == "number" and v == math.floor(v)
    end
    if not good then
        error(format("%s: expected an integer, got %s (%s)", what or "value", show(v),
                     T.has_integers and tostring(math.type(v)) or type(v)), 2)
    end
end

local function deep_equal(a, b)
    if type(a) ~= "table" or type(b) ~= "table" then
        return a == b
    end
    for k, v in pairs(a) do
        if not deep_equal(v, b[k]) then
            return false
        end
    end
    for k in pairs(b) do
        if a[k] == nil then
            return false
        end
    end
    return true
end

local function dump(v)
    if type(v) ~= "table" then
        return show(v)
    end
    local keys = {}
    for k in pairs(v) do
        keys[#keys + 1] = k
    end
    table.sort(keys, function(x, y)
        return tostring(x) < tostring(y)
    end)
    local parts = {}
    for _, k in ipairs(keys) do
        parts[#parts + 1] = format("[%s] = %s", show(k), dump(v[k]))
    end
    return "{" .. table.concat(parts, ", ") .. "}"
end

function T.same(actual, expected, what)
    if not deep_equal(actual, expected) then
        error(format("%s: expected %s, got %s", what or "table", dump(expected), dump(actual)), 2)
    end
end

-- Calls fn(...) and expects it to raise an error whose message contains `part`; returns the
-- message.
function T.raises(part, fn, ...)
    local ok, message = pcall(fn, ...)
    if ok then
        error(format("expected an error containing %s, but the call succeeded", show(part)), 2)
    end
    if type(message) ~= "string" or not message:find(part, 1, true) then
        error(format("expected an error containing %s, got %s", show(part), show(message)), 2)
    end
    return message
end

-- Expects the results of a call that failed as expected: nil, a message containing `part`,
-- and `status`. Returns the message.
function T.fails(status, part, value, message, actual_status, extra)
    if value ~= nil or extra ~= nil then
        error(format("expected nil, message, %s; got %s, %s, %s, %s", show(status), show(value),
                     show(message), show(actual_status), show(extra)), 2)
    end
    if actual_status ~= status then
        error(format("expected status %s, got %s (%s)", show(status), show(actual_status),
                     show(message)), 2)
    end
    if type(message) ~= "string" or not message:find(part, 1, true) then
        error(format("expected a message containing %s, got %s", show(part), show(message)), 2)
    end
    return message
end

-- ---- files, vectors, child processes --------------------------------------------------------

function T.read_file(path)
    local f = assert(io.open(path, "rb"))
    local data = f:read("*a")
    f:close()
    return data
end

function T.write_temp(data)
    local path = os.tmpname()
    local f = assert(io.open(path, "wb"))
    f:write(data)
    f:close()
    return path
end

-- The escapes of tests/vectors/README.md: \t, \s (space), \0, \r, \n, \\ and \xHH.
local ESCAPES = { t = "\t", s = " ", ["0"] = "\0", r = "\r", n = "\n", ["\\"] = "\\" }

function T.unescape(cell)
    if cell == "<empty>" then
        return ""
    end
    local parts, at = {}, 1
    while true do
        local slash = cell:find("\\", at, true)
        if not slash then
            parts[#parts + 1] = cell:sub(at)
            return table.concat(parts)
        end
        parts[#parts + 1] = cell:sub(at, slash - 1)
        local c = cell:sub(slash + 1, slash + 1)
        if c == "x" then
            local hex = cell:sub(slash + 2, slash + 3)
            assert(hex:match("^%x%x$"), "bad \\x escape in " .. format("%q", cell))
            parts[#parts + 1] = string.char(tonumber(hex, 16))
            at = slash + 4
        else
            parts[#parts + 1] = assert(ESCAPES[c], "unknown escape \\" .. c .. " in " .. cell)
            at = slash + 2
        end
    end
end
local unescape = T.unescape

-- The rows of tests/vectors/NAME (README.md there): tables keyed by column name, "-" cells as
-- nil, with the row's line number as `line`. Fails unless the header is `columns`.
function T.vectors(name, columns)
    local rows = {}
    local header
    local number = 0
    for line in io.lines(T.vectors_dir .. "/" .. name) do
        number = number + 1
        if line ~= "" and line:sub(1, 1) ~= "#" then
            local cells = {}
            for cell in (line .. "\t"):gmatch("([^\t]*)\t") do
                cells[#cells + 1] = cell
            end
            if not header then
                T.eq(line, table.concat(columns, "\t"), name .. " header")
                header = cells
            else
                T.eq(#cells, #header, format("%s:%d cell count", name, number))
                local row = { line = number }
                for i, column in ipairs(header) do
                    if cells[i] ~= "-" then
                        row[column] = unescape(cells[i])
                    end
                end
                rows[#rows + 1] = row
            end
        end
    end
    T.ok(#rows > 0, name .. " has rows")
    return rows
end

function T.shell_quote(s)
    return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Runs `code` in a fresh interpreter like this one; `env` maps variables to values (false
-- unsets one). Returns standard output and the exit status.
function T.run_lua(code, env)
    local script = T.write_temp(code)
    local command = { "env" }
    for name, value in pairs(env or {}) do
        if value == false then
            command[#command + 1] = "-u " .. name
        else
            command[#command + 1] = name .. "=" .. T.shell_quote(value)
        end
    end
    command[#command + 1] = T.shell_quote(T.interpreter)
    command[#command + 1] = T.shell_quote(script)
    command[#command + 1] = "2>&1; echo \"exit:$?\""
    local pipe = assert(io.popen(table.concat(command, " ")))
    local output = pipe:read("*a")
    pipe:close()
    os.remove(script)
    local text, status = output:match("^(.-)exit:(%d+)\n$")
    return text, tonumber(status)
end

-- ---- JSON (RFC 8259), enough to read what the core renders ----------------------------------

T.null = setmetatable({}, { __tostring = function() return "null" end })

local function utf8_char(code)
    if code < 0x80 then
        return string.char(code)
    elseif code < 0x800 then
        return string.char(0xC0 + math.floor(code / 0x40), 0x80 + code % 0x40)
    elseif code < 0x10000 then
        return string.char(0xE0 + math.floor(code / 0x1000), 0x80 + math.floor(code / 0x40) % 0x40,
                           0x80 + code % 0x40)
    end
    return string.char(0xF0 + math.floor(code / 0x40000), 0x80 + math.floor(code / 0x1000) % 0x40,
                       0x80 + math.floor(code / 0x40) % 0x40, 0x80 + code % 0x40)
end

function T.json_decode(s)
    local at = 1
    local function fail(what)
        error(format("JSON at byte %d: %s", at, what), 0)
    end
    local function space()
        at = s:find("[^ \t\r\n]", at) or #s + 1
    end
    local value
    local function string_value()
        local parts = {}
        at = at + 1
        while true do
            local c = s:sub(at, at)
            if c == "" then
                fail("unterminated string")
            elseif c == '"' then
                at = at + 1
                return table.concat(parts)
            elseif c == "\\" then
                local e = s:sub(at + 1, at + 1)
                local simple = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f",
                                 n = "\n", r = "\r", t = "\t" }
                if simple[e] then
                    parts[#parts + 1] = simple[e]
                    at = at + 2
                elseif e == "u" then
                    local code = tonumber(s:sub(at + 2, at + 5), 16) or fail("bad \\u escape")
                    at = at + 6
                    if code >= 0xD800 and code < 0xDC00 and s:sub(at, at + 1) == "\\u" then
                        local low = tonumber(s:sub(at + 2, at + 5), 16) or fail("bad \\u escape")
                        code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
                        at = at + 6
                    end
                    parts[#parts + 1] = utf8_char(code)
                else
                    fail("bad escape")
                end
            elseif c:byte() < 0x20 then
                fail("control character in string")
            else
                local run = s:match('^[^"\\%c]+', at)
                parts[#parts + 1] = run
                at = at + #run
            end
        end
    end
    function value()
        space()
        local c = s:sub(at, at)
        if c == "{" then
            local object = {}
            at = at + 1
            space()
            if s:sub(at, at) == "}" then
                at = at + 1
                return object
            end
            while true do
                space()
                if s:sub(at, at) ~= '"' then
                    fail("expected a key")
                end
                local key = string_value()
                space()
                if s:sub(at, at) ~= ":" then
                    fail("expected ':'")
                end
                at = at + 1
                object[key] = value()
                space()
                c = s:sub(at, at)
                at = at + 1
                if c == "}" then
                    return object
                elseif c ~= "," then
                    fail("expected ',' or '}'")
                end
            end
        elseif c == "[" then
            local array = {}
            at = at + 1
            space()
            if s:sub(at, at) == "]" then
                at = at + 1
                return array
            end
            while true do
                array[#array + 1] = value()
                space()
                c = s:sub(at, at)
                at = at + 1
                if c == "]" then
                    return array
                elseif c ~= "," then
                    fail("expected ',' or ']'")
                end
            end
        elseif c == '"' then
            return string_value()
        end
        for word, result in pairs({ ["true"] = true, ["false"] = false, null = T.null }) do
            if s:sub(at, at + #word - 1) == word then
                at = at + #word
                return result
            end
        end
        local number = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", at)
        if not number or number == "" then
            fail("unexpected " .. format("%q", c))
        end
        at = at + #number
        return math.tointeger and math.tointeger(tonumber(number)) or tonumber(number)
    end
    local result = value()
    space()
    if at <= #s then
        fail("trailing data")
    end
    return result
end

-- ---- running ------------------------------------------------------------------------------

-- Runs every registered test, prints one line per test and "N passed, N failed", and exits
-- with status 1 when a test failed or none ran.
function T.run()
    local passed, failed = 0, 0
    for _, t in ipairs(tests) do
        local ok, message = xpcall(t.fn, debug.traceback)
        if ok then
            passed = passed + 1
            print("ok     " .. t.name)
        else
            failed = failed + 1
            print("FAILED " .. t.name)
            print("  " .. tostring(message):gsub("\n", "\n  "))
        end
    end
    print(format("%d passed, %d failed", passed, failed))
    -- Closing the state runs the finalizers, so that sanitizers see every handle freed.
    os.exit((failed == 0 and passed > 0) and 0 or 1, true)
end

return T
