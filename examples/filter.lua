#!/usr/bin/env lua5.4
-- filter.lua: reads SMTP replies on standard input, and for each one prints it, explains its
-- codes and says what a client should do about it.
--
--   printf '550 5.1.1 <bob@example.org>: Recipient address rejected\r\n' | lua5.4 filter.lua
--   printf '552 Too many recipients\r\n' | lua5.4 filter.lua RCPT
--
-- The module's stream parser reads the replies (smtpcodes.reply_parser: one line "CODE TEXT" or
-- a bare "CODE", or "CODE-TEXT" lines ending with a "CODE TEXT" line, RFC 5321 section 4.2.1;
-- an RFC 2034 enhanced code at the start of the text; CRLF or LF; blank lines between replies
-- are skipped), and each reply comes with its classification (smtpcodes.classify): the action
-- (done, continue, retry, give-up), the rule that decided it and the explanation, which cites the RFC.
-- The optional argument is the command the replies answered (RCPT, DATA...): it decides a 552
-- to RCPT (RFC 5321 section 4.5.3.1.10).
--
-- The explanation is the reply code's entry and the enhanced code's entry, or the closest
-- registered one for an enhanced code the registry lacks (RFC 3463 section 3.1). Input that is
-- no well-formed reply is reported on standard error with its line and column, and skipped;
-- the exit status is then 1.
--
-- The smtpcodes module must be on the Lua paths (see README.md, "Lua quick start"). Runs under
-- Lua 5.4, 5.3 and LuaJIT.

local smtpcodes = require "smtpcodes"

local command = arg and arg[1]

-- Prints the reply as it came (without line ends) and what it means.
local function explain(reply, raw_lines)
    for _, line in ipairs(raw_lines) do
        print((line:gsub("\r?\n$", "")))
    end
    local entry = reply.entry
    if entry then
        print(("  %d %s: %s"):format(entry.code, entry.name, entry.description))
    else
        print(("  %d: not in the database"):format(reply.code))
    end
    if reply.enhanced then
        local found, exact = smtpcodes.closest(reply.enhanced)
        if found and exact then
            print(("  %s %s: %s"):format(reply.enhanced, found.name, found.description))
        elseif found then
            print(("  %s is not registered; closest: %s %s: %s"):format(
                reply.enhanced, found.code, found.name, found.description))
        end
    end
    if #reply.warnings > 0 then
        print("  warnings: " .. table.concat(reply.warnings, ", "))
    end
    print(("  action: %s (%s): %s"):format(reply.action, reply.rule, reply.explanation))
    if entry and (reply.action == "retry" or reply.action == "give-up") then
        print("  fix: " .. entry.fix)
    end
end

local parser = assert(smtpcodes.reply_parser({ command = command }))
local status = 0
local raw_lines = {} -- the lines of the reply being read, as they came

-- Explains the replies a call to the parser completed, or reports what it refused.
local function handle(replies, message, _, before)
    for _, reply in ipairs(replies or before) do
        explain(reply, raw_lines)
        raw_lines = {}
    end
    if not replies then
        io.stderr:write("filter.lua: ", message, "\n")
        status = 1
        raw_lines = {}
    end
end

for line in io.stdin:lines("L") do
    if not line:match("^\r?\n$") then
        raw_lines[#raw_lines + 1] = line
    end
    handle(parser:feed(line))
end
handle(parser:finish())
os.exit(status, true)
