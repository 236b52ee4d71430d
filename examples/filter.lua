#!/usr/bin/env lua5.4
-- filter.lua: reads SMTP replies on standard input, and for each one prints it, explains its
-- codes and says what a client should do about it.
--
--   printf '550 5.1.1 <bob@example.org>: Recipient address rejected\r\n' | lua5.4 filter.lua
--
-- A reply is one line "CODE TEXT" (or a bare "CODE"), or several lines "CODE-TEXT" ending with
-- a "CODE TEXT" line (RFC 5321 section 4.2.1). Its text may start with an enhanced status code
-- (RFC 2034). The explanation is the reply code's entry and the enhanced code's entry, or the
-- closest registered one for an enhanced code the registry lacks (RFC 3463 section 3.1). The
-- action follows the reply code's retry advice; a code the database does not know is acted on
-- by its first digit (RFC 5321 section 4.2.1). Lines that are not part of a reply are reported
-- on standard error and skipped; the exit status is then 1.
--
-- The smtpcodes module must be on the Lua paths (see README.md, "Lua quick start"). Runs under
-- Lua 5.4, 5.3 and LuaJIT.

local smtpcodes = require "smtpcodes"

local ACTION_BY_RETRY = {
    later = "retry later",
    ["after-fix"] = "fix the cause, then retry",
    no = "give up",
}
local ACTION_BY_CLASS = { ["2"] = "done", ["3"] = "continue", ["4"] = "retry later",
                          ["5"] = "give up" }

local function explain_reply(code, text)
    local entry, message = smtpcodes.lookup(code)
    local action
    if entry then
        print(("  %d %s: %s"):format(entry.code, entry.name, entry.description))
        action = ACTION_BY_RETRY[entry.retry] or ACTION_BY_CLASS[code:sub(1, 1)]
    else
        print(("  %s: %s; acted on by its first digit"):format(code, message))
        action = ACTION_BY_CLASS[code:sub(1, 1)]
    end
    local enhanced = text:match("^(%S+)")
    local parsed = enhanced and smtpcodes.parse_code(enhanced)
    if parsed and parsed.kind == "enhanced" then
        local found, exact = smtpcodes.closest(enhanced)
        if found and exact then
            print(("  %s %s: %s"):format(enhanced, found.name, found.description))
        elseif found then
            print(("  %s is not registered; closest: %s %s: %s"):format(
                enhanced, found.code, found.name, found.description))
        end
    end
    print("  action: " .. action)
    if entry and entry.retry ~= "none" then
        print("  fix: " .. entry.fix)
    end
end

local status = 0
local pending -- the code of a multiline reply whose last line has not come yet
local first_text -- the text of its first line, where the enhanced code is read
local number = 0
for line in io.lines() do
    number = number + 1
    line = line:gsub("\r$", "")
    local code, separator, text = line:match("^([2-5]%d%d)([ -]?)(.*)$")
    if code and separator == "" and text ~= "" then
        code = nil -- "421abc": the code must end the line or be followed by " " or "-"
    end
    if not code or (pending and code ~= pending) then
        io.stderr:write(("filter.lua: line %d: not %s: %s\n"):format(
            number, pending and ("the next line of the " .. pending .. " reply")
                              or "an SMTP reply line", line))
        status = 1
        pending = nil
    else
        print(line)
        if not pending then
            first_text = text
        end
        if separator == "-" then
            pending = code
        else
            pending = nil
            explain_reply(code, first_text)
        end
    end
end
if pending then
    io.stderr:write(("filter.lua: the %s reply has no last line\n"):format(pending))
    status = 1
end
os.exit(status, true)
