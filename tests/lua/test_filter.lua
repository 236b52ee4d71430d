-- examples/filter.lua, run as a user runs it: replies on standard input, in a child interpreter
-- like this one. What it must print is read from the module, not written here.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local filter = T.source_dir .. "/examples/filter.lua"

-- Runs the filter on `input`; returns standard output, standard error and the exit status.
local function run_filter(input)
    local input_file = T.write_temp(input)
    local error_file = os.tmpname()
    local pipe = assert(io.popen(("%s %s < %s 2> %s; echo \"exit:$?\""):format(
        T.shell_quote(T.interpreter), T.shell_quote(filter), T.shell_quote(input_file),
        T.shell_quote(error_file))))
    local output = pipe:read("*a")
    pipe:close()
    local errors = T.read_file(error_file)
    os.remove(input_file)
    os.remove(error_file)
    local stdout, status = output:match("^(.-)exit:(%d+)\n$")
    return stdout, errors, tonumber(status)
end

-- What the filter says a client should do, from the reply code's retry advice.
local function action_of(entry)
    local by_retry = { later = "retry later", ["after-fix"] = "fix the cause, then retry",
                       no = "give up" }
    if entry.retry == "none" then
        return entry.class == 2 and "done" or "continue"
    end
    return by_retry[entry.retry]
end

local function explanation(code)
    local e = assert(smtpcodes.lookup(code))
    return ("  %d %s: %s\n"):format(e.code, e.name, e.description)
end

T.test("filter: explains a reply, its enhanced code and the action", function()
    local reply = "550 5.1.1 <bob@example.org>: Recipient address rejected"
    local out, err, status = run_filter(reply .. "\r\n")
    local e550 = smtpcodes.lookup(550)
    local x11 = smtpcodes.lookup("5.1.1")
    T.eq(out, reply .. "\n" .. explanation(550)
         .. ("  5.1.1 %s: %s\n"):format(x11.name, x11.description)
         .. "  action: " .. action_of(e550) .. "\n"
         .. "  fix: " .. e550.fix .. "\n", "output")
    T.eq(err, "", "standard error")
    T.eq(status, 0, "exit status")
end)

T.test("filter: a multiline reply is explained once, after its last line", function()
    local lines = { "250-mx.example.org Hello", "250-PIPELINING", "250 SIZE 10240000" }
    local out, err, status = run_filter(table.concat(lines, "\r\n") .. "\r\n354\n")
    T.eq(out, table.concat(lines, "\n") .. "\n" .. explanation(250)
         .. "  action: " .. action_of(smtpcodes.lookup(250)) .. "\n"
         .. "354\n" .. explanation(354)
         .. "  action: " .. action_of(smtpcodes.lookup(354)) .. "\n", "output")
    T.eq(action_of(smtpcodes.lookup(250)), "done", "250")
    T.eq(action_of(smtpcodes.lookup(354)), "continue", "354")
    T.eq(err, "", "standard error")
    T.eq(status, 0, "exit status")
end)

T.test("filter: unknown and unregistered codes", function()
    local _, unknown = smtpcodes.lookup(299)
    local closest = smtpcodes.closest("5.7.650")
    local out, _, status = run_filter("299 Odd\n421 4.7.650 Later\n")
    T.eq(out, "299 Odd\n  299: " .. unknown .. "; acted on by its first digit\n"
         .. "  action: done\n"
         .. "421 4.7.650 Later\n" .. explanation(421)
         .. ("  4.7.650 is not registered; closest: %s %s: %s\n"):format(
             closest.code, closest.name, closest.description)
         .. "  action: " .. action_of(smtpcodes.lookup(421)) .. "\n"
         .. "  fix: " .. smtpcodes.lookup(421).fix .. "\n", "output")
    T.eq(status, 0, "exit status")
end)

T.test("filter: lines that are no reply are reported, and the rest goes on", function()
    local out, err, status = run_filter("hello\n421abc\n250-a\n550 b\n221 Bye\n250-unfinished\n")
    T.eq(err, "filter.lua: line 1: not an SMTP reply line: hello\n"
         .. "filter.lua: line 2: not an SMTP reply line: 421abc\n"
         .. "filter.lua: line 4: not the next line of the 250 reply: 550 b\n"
         .. "filter.lua: the 250 reply has no last line\n", "standard error")
    T.eq(out, "250-a\n221 Bye\n" .. explanation(221)
         .. "  action: " .. action_of(smtpcodes.lookup(221)) .. "\n"
         .. "250-unfinished\n", "output")
    T.eq(status, 1, "exit status")
end)
