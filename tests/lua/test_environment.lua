-- What require does to a fresh interpreter, and the SMTPCODES_DATA environment variable. Each
-- case runs in a child interpreter like this one, with the same LUA_PATH and LUA_CPATH.

local T = require "testing"

local valid_file = T.vectors_dir .. "/data/valid/override-421.txt"
local invalid_file = T.vectors_dir .. "/data/invalid/bad-code.txt"

T.test("environment: require creates no global and loads only the module", function()
    local output, status = T.run_lua([[
        local globals, loaded = {}, {}
        for k in pairs(_G) do globals[k] = true end
        for k in pairs(package.loaded) do loaded[k] = true end
        local smtpcodes = require "smtpcodes"
        assert(smtpcodes.lookup(421))
        local lines = {}
        for k in pairs(_G) do
            if not globals[k] then lines[#lines + 1] = "new global: " .. tostring(k) end
        end
        for k in pairs(package.loaded) do
            if not loaded[k] then lines[#lines + 1] = "loaded: " .. k end
        end
        table.sort(lines)
        lines[#lines + 1] = tostring(require "smtpcodes" == smtpcodes)
        print(table.concat(lines, "\n"))
    ]])
    T.eq(status, 0, "exit status (" .. output .. ")")
    T.eq(output, "loaded: smtpcodes\nloaded: smtpcodes_core\ntrue\n", "output")
end)

-- Runs `code` with SMTPCODES_DATA set to `data` (false: unset); returns its output.
local function with_data(data, code)
    local output, status = T.run_lua("local smtpcodes = require 'smtpcodes'\n" .. code,
                                     { SMTPCODES_DATA = data })
    T.eq(status, 0, "exit status (" .. output .. ")")
    return output
end

T.test("environment: SMTPCODES_DATA lays its file over the built-in database", function()
    local description = T.read_file(valid_file):match("\nDescription: ([^\n]+)")
    local script = [[
        local e = assert(smtpcodes.lookup(421))
        print(e.description)
        print(smtpcodes.lookup(299) ~= nil)
    ]]
    T.eq(with_data(valid_file, script), description .. "\ntrue\n", "with SMTPCODES_DATA")
    local builtin = with_data(false, script)
    T.ok(not builtin:find(description, 1, true), "without SMTPCODES_DATA: " .. builtin)
    T.eq(builtin:match("\n(.*)$"), "false\n", "299 without SMTPCODES_DATA")
    T.eq(with_data("", script), builtin, "an empty SMTPCODES_DATA is not set")
end)

T.test("environment: a bad SMTPCODES_DATA file makes every lookup return its error", function()
    local output = with_data(invalid_file, [[
        local function show(...)
            local n = select("#", ...)
            local parts = {}
            for i = 1, n do parts[i] = tostring((select(i, ...))) end
            print(table.concat(parts, " | "))
        end
        show(smtpcodes.lookup(421))
        show(smtpcodes.closest(421))
        show(smtpcodes.codes())
        show(smtpcodes.compare(421, 504))
        show(smtpcodes.explain(421))
        show(smtpcodes.languages())
        show(smtpcodes.parse_reply("250 ok\r\n"))
        show(smtpcodes.reply_parser())
        show(smtpcodes.classify("250 ok\r\n"))
        show(smtpcodes.build_reply(250))
        show(smtpcodes.scan({ "said: 250 ok" }))
        -- Misuse of the reply functions is still misuse.
        print(pcall(smtpcodes.parse_reply, 250))
        -- Parsing needs no database, and misuse is still misuse.
        print(smtpcodes.parse_code(421).code)
        print(pcall(smtpcodes.lookup, {}))
        print(smtpcodes._VERSION ~= nil)
    ]])
    local failure = "nil | " .. invalid_file .. ":2:7: Code: expected a first digit from 2 to 5, "
                    .. "found '6' | data\n"
    T.eq(output, failure:rep(11)
         .. "false\tbad argument #1 (text) to 'parse_reply' (string expected, got number)\n"
         .. "421\n"
         .. "false\tbad argument #1 (code) to 'lookup' (integer or string expected, got table)\n"
         .. "true\n", "output")
end)

T.test("environment: a missing SMTPCODES_DATA file is reported as such", function()
    local output = with_data("/nonexistent/codes.txt", [[
        print(select(3, smtpcodes.lookup(421)), (select(2, smtpcodes.lookup(421))))
    ]])
    T.match(output, "^io\t/nonexistent/codes%.txt: ", "output")
end)
