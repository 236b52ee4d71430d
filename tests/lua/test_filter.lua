-- examples/filter.lua, run as a user runs it: replies on standard input, in a child interpreter
-- like this one. What it must print is read from the module, not written here.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local filter = T.source_dir .. "/examples/filter.lua"

-- Runs the filter on `input` (with the command-line argument `argument`, if any); returns
-- standard output, standard error and the exit status.
local function run_filter(input, argument)
    local input_file = T.write_temp(input)
    local error_file = os.tmpname()
    local pipe = assert(io.popen(("%s %s %s < %s 2> %s; echo \"exit:$?\""):format(
        T.shell_quote(T.interpreter), T.shell_quote(filter),
        argument and T.shell_quote(argument) or "", T.shell_quote(input_file),
        T.shell_quote(error_file))))
    local output = pipe:read("*a")
    pipe:close()
    local errors = T.read_file(error_file)
    os.remove(input_file)
    os.remove(error_file)
    local stdout, status = output:match("^(.-)exit:(%d+)\n$")
    return stdout, errors, tonumber(status)
end

-- What the filter prints for the reply `text` (as the lines `shown`), from parse_reply.
local function explanation(text, shown, command)
    local reply = assert(smtpcodes.parse_reply(text, { command = command }))
    local out = {}
    for _, line in ipairs(shown) do
        out[#out + 1] = line .. "\n"
    end
    local e = reply.entry
    if e then
        out[#out + 1] = ("  %d %s: %s\n"):format(e.code, e.name, e.description)
    else
        out[#out + 1] = ("  %d: not in the database\n"):format(reply.code)
    end
    if reply.enhanced then
        local found, exact = smtpcodes.closest(reply.enhanced)
        if exact then
            out[#out + 1] = ("  %s %s: %s\n"):format(reply.enhanced, found.name, found.description)
        else
            out[#out + 1] = ("  %s is not registered; closest: %s %s: %s\n"):format(
                reply.enhanced, found.code, found.name, found.description)
        end
    end
    if #reply.warnings > 0 then
        out[#out + 1] = "  warnings: " .. table.concat(reply.warnings, ", ") .. "\n"
    end
    out[#out + 1] = ("  action: %s (%s): %s\n"):format(reply.action, reply.rule, reply.explanation)
    if e and (reply.action == "retry" or reply.action == "give-up") then
        out[#out + 1] = "  fix: " .. e.fix .. "\n"
    end
    return table.concat(out), reply
end

-- What parse_reply says is wrong with `text`, without the position.
local function why(text)
    local reply, message = smtpcodes.parse_reply(text)
    T.eq(reply, nil, text)
    return (message:gsub("^line %d+, column %d+: ", ""))
end

T.test("filter: explains a reply, its enhanced code and the action", function()
    local line = "550 5.1.1 <bob@example.org>: Recipient address rejected"
    local out, err, status = run_filter(line .. "\r\n")
    local expected, reply = explanation(line .. "\r\n", { line })
    T.eq(out, expected, "output")
    T.find(out, "  5.1.1 " .. smtpcodes.lookup("X.1.1").name, "the enhanced code explained")
    T.find(out, "  action: give-up (class): ", "the action")
    T.find(out, "  fix: " .. reply.entry.fix, "the fix")
    T.eq(err, "", "standard error")
    T.eq(status, 0, "exit status")
end)

T.test("filter: a multiline reply is explained once, after its last line", function()
    local lines = { "250-mx.example.org Hello", "250-PIPELINING", "250 SIZE 10240000" }
    local ehlo = table.concat(lines, "\r\n") .. "\r\n"
    local out, err, status = run_filter(ehlo .. "\r\n354\n")
    T.eq(out, explanation(ehlo, lines) .. explanation("354\n", { "354" }), "output")
    T.find(out, "  action: done (class)", "250")
    T.find(out, "  action: continue (class)", "354")
    T.find(out, "  warnings: bare-lf", "354 ends with a bare LF")
    T.eq(err, "", "standard error")
    T.eq(status, 0, "exit status")
end)

T.test("filter: unknown and unregistered codes", function()
    local out, _, status = run_filter("299 Odd\n421 4.7.990 Later\n")
    T.eq(out, explanation("299 Odd\n", { "299 Odd" })
              .. explanation("421 4.7.990 Later\n", { "421 4.7.990 Later" }), "output")
    T.find(out, "  299: not in the database", "unknown code")
    T.find(out, "  action: done (unknown-code): ", "decided by the first digit")
    T.find(out, "  4.7.990 is not registered; closest: X.7.0", "closest registered code")
    T.eq(status, 0, "exit status")
end)

T.test("filter: the command argument decides a 552 to RCPT", function()
    local text = "552 Too many recipients\r\n"
    local out, _, status = run_filter(text, "RCPT")
    T.eq(out, explanation(text, { "552 Too many recipients" }, "RCPT"), "output")
    T.find(out, "  action: retry (too-many-recipients): ", "RFC 5321 section 4.5.3.1.10")
    T.find(run_filter(text), "  action: give-up (class): ", "without the command")
    T.eq(status, 0, "exit status")
end)

T.test("filter: input that is no reply is reported with its line, and the rest goes on", function()
    local out, err, status = run_filter("hello\n421abc\n250-a\n550 b\n221 Bye\n250-unfinished\n")
    T.eq(err, "filter.lua: line 1, column 1: " .. why("hello\n") .. "\n"
         .. "filter.lua: line 2, column 4: " .. why("421abc\n") .. "\n"
         .. "filter.lua: line 4, column 1: " .. why("250-a\n550 b\n")
         .. "\n"
         .. "filter.lua: line 7, column 1: " .. why("250-unfinished\n")
         .. "\n",
         "standard error")
    T.eq(out, explanation("221 Bye\n", { "221 Bye" }), "output")
    T.eq(status, 1, "exit status")
end)
