-- Replies: parse_reply, the stream parser, classify, build_reply and scan, on good input. The
-- cases come from tests/vectors/replies.tsv (shared with the C, CLI and Python suites), from the
-- rules smtpcodes.h documents, and from generated input whose answer is known by construction.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format, floor = string.format, math.floor
local concat = table.concat

local COLUMNS = { "name", "input", "flags", "status", "code", "enhanced", "lines", "text",
                  "warnings", "action", "consumed" }

local function rows()
    local list = T.vectors("replies.tsv", COLUMNS)
    for _, row in ipairs(list) do
        row.where = format("replies.tsv:%d (%s)", row.line, row.name)
        row.opts = { complete = false }
        for flag in (row.flags or ""):gmatch("[^,]+") do
            row.opts[flag] = true
        end
    end
    return list
end

local function options(row)
    local opts = {}
    for k, v in pairs(row.opts) do
        opts[k] = v
    end
    return opts
end

-- Checks a reply table against a vector row of status ok.
local function check_reply(reply, row, where)
    T.ok(reply, where)
    T.integer(reply.code, where .. " code")
    T.eq(reply.code, tonumber(row.code), where .. " code")
    T.eq(reply.enhanced, row.enhanced, where .. " enhanced")
    T.eq(#reply.lines, tonumber(row.lines), where .. " line count")
    T.eq(concat(reply.lines, "|"), row.text, where .. " lines")
    T.eq(reply.text, concat(reply.lines, "\n"), where .. " text")
    T.eq(concat(reply.warnings, ","), row.warnings or "", where .. " warnings")
    T.eq(reply.action, row.action, where .. " action")
    T.integer(reply.class, where .. " class")
    T.eq(reply.class, floor(reply.code / 100), where .. " class")
    T.eq(reply.entry, (smtpcodes.lookup(reply.code)), where .. " entry")
    if reply.enhanced then
        T.eq(reply.enhanced_entry, (smtpcodes.closest(reply.enhanced)), where .. " enhanced entry")
    else
        T.eq(reply.enhanced_entry, nil, where .. " enhanced entry")
    end
    T.eq(type(reply.rule), "string", where .. " rule")
    T.match(reply.explanation, "RFC %d+ section", where .. " explanation")
end

T.test("replies: replies.tsv through parse_reply", function()
    local counts = {}
    for _, row in ipairs(rows()) do
        local reply, consumed, status, extra = smtpcodes.parse_reply(row.input, options(row))
        counts[row.status] = (counts[row.status] or 0) + 1
        if row.status == "ok" then
            check_reply(reply, row, row.where)
            T.integer(consumed, row.where .. " consumed")
            if row.consumed then
                T.eq(consumed, tonumber(row.consumed), row.where .. " consumed")
            else
                -- Embedded: the whole line.
                T.eq(consumed, #row.input, row.where .. " consumed")
            end
        elseif row.status == "reply" then
            T.eq(reply, nil, row.where)
            T.eq(status, "reply", row.where .. " status")
            T.match(consumed, "^line %d+", row.where .. " message")
            T.eq(extra, nil, row.where .. " nothing after the status")
        else
            T.eq(row.status, "incomplete", row.where .. " a known status")
            T.eq(reply, nil, row.where)
            T.eq(status, "incomplete", row.where .. " status")
            T.find(consumed, "incomplete reply", row.where .. " message")
            T.integer(extra, row.where .. " bytes needed")
            T.eq(extra, tonumber(row.consumed), row.where .. " bytes needed")
        end
    end
    T.ok(counts.ok and counts.reply and counts.incomplete, "every status is covered")
end)

T.test("replies: the reply table has exactly the documented fields", function()
    local known = { code = "number", enhanced = "string", lines = "table", text = "string",
                    class = "number", warnings = "table", command = "string", entry = "table",
                    enhanced_entry = "table", action = "string", rule = "string",
                    explanation = "string", reason = "string" }
    -- Whether pairs() calls __pairs (Lua 5.2 and later; LuaJIT does not).
    local honoured = false
    for _ in pairs(setmetatable({}, { __pairs = function()
        return function() honoured = true end
    end })) do end
    for _, row in ipairs(rows()) do
        if row.status == "ok" then
            local reply = smtpcodes.parse_reply(row.input, options(row))
            -- The metatable (the fields a reply reads through it) is the binding's own.
            T.eq(getmetatable(reply), false, row.where .. " metatable hidden")
            -- to_table gives a plain copy with every field, each as the reply reads it.
            local copy = smtpcodes.to_table(reply)
            T.eq(getmetatable(copy), nil, row.where .. " to_table: a plain table")
            T.ok(copy ~= reply, row.where .. " to_table: a copy")
            for k, v in next, copy do
                T.eq(type(v), known[k], row.where .. " field " .. tostring(k))
            end
            for k in next, known do
                T.eq(reply[k], copy[k], row.where .. " field " .. k .. " reads as copied")
            end
            for _, k in ipairs({ "code", "class", "lines", "text", "warnings", "action", "rule",
                                 "explanation" }) do
                T.ok(copy[k] ~= nil, row.where .. " field " .. k .. " is there")
            end
            T.eq(copy.entry ~= nil, smtpcodes.lookup(tostring(copy.code)) ~= nil,
                 row.where .. " entry when the code is registered")
            -- Where pairs calls __pairs, it walks every field, as to_table copies them.
            local seen = 0
            for k, v in pairs(reply) do
                T.eq(type(v), known[k], row.where .. " field " .. tostring(k))
                if honoured then
                    T.eq(v, copy[k], row.where .. " pairs gives field " .. tostring(k))
                    seen = seen + 1
                end
            end
            if honoured then
                local n = 0
                for _ in next, copy do n = n + 1 end
                T.eq(seen, n, row.where .. " pairs gives every field")
            end
            copy.code = 0
            T.ok(reply.code ~= 0, row.where .. " the copy is the caller's")
        end
    end
    -- Each reply has tables of its own; the entries are the shared lookup tables.
    local a = smtpcodes.parse_reply("550 5.1.1 x\r\n550 5.1.1 x\r\n")
    local b = smtpcodes.parse_reply("550 5.1.1 x\r\n")
    T.ok(a ~= b and a.lines ~= b.lines, "fresh tables")
    -- No warning: the one empty list, shared and read-only.
    T.eq(a.warnings, b.warnings, "the empty warnings list is shared")
    T.raises("read-only", function() a.warnings[1] = "x" end)
    T.eq(#b.warnings, 0, "and stays empty")
    T.eq(a.entry, b.entry, "shared entry")
    local c = smtpcodes.parse_reply("550 x\n")
    local d = smtpcodes.parse_reply("550 y\n")
    T.same(c.warnings, { "bare-lf" }, "warnings")
    T.ok(c.warnings ~= d.warnings, "warning lists are not shared")
    c.warnings[1] = nil
    T.same(d.warnings, { "bare-lf" }, "changing one reply's warnings leaves the next alone")
end)

T.test("replies: options: complete, strict, embedded, command", function()
    -- complete defaults to true for parse_reply.
    T.eq(smtpcodes.parse_reply("250").code, 250, "a bare code is complete")
    T.eq(select(3, smtpcodes.parse_reply("250", { complete = false })), "incomplete", "not")
    T.eq(select(3, smtpcodes.parse_reply("250-a\r\n")), "reply", "no final line")
    local long = "550 " .. ("x"):rep(600) .. "\r\n"
    T.same(smtpcodes.parse_reply(long).warnings, { "long-line" }, "accepted")
    local reply, message, status = smtpcodes.parse_reply(long, { strict = true })
    T.eq(reply, nil, "strict")
    T.eq(status, "reply", "strict")
    T.match(message, "^line 1, column 513: line longer than 512 octets", "strict")
    local line = "Nov 23 mx postfix/smtp[1]: A1A1A1A1A1: to=<a@b>, status=bounced (host x said: "
                 .. "552 5.3.4 Message too big (in reply to end of DATA command))"
    reply = smtpcodes.parse_reply(line, { embedded = true })
    T.eq(reply.code, 552, "embedded")
    T.eq(reply.command, "DATA-END", "the command Postfix names")
    T.eq(reply.text, "Message too big", "embedded text")
    -- The command decides a 552 to RCPT (RFC 5321 section 4.5.3.1.10).
    T.eq(smtpcodes.parse_reply("552 Too many recipients\r\n").action, "give-up", "no command")
    reply = smtpcodes.parse_reply("552 Too many recipients\r\n", { command = "RCPT" })
    T.eq(reply.action, "retry", "RCPT")
    T.eq(reply.rule, "too-many-recipients", "RCPT rule")
    T.eq(reply.command, "RCPT", "the command given")
    T.eq(smtpcodes.parse_reply("552 x\r\n", { command = "rcpt" }).action, "retry", "any case")
    T.eq(smtpcodes.parse_reply("552 x\r\n", { command = "" }).command, nil, "\"\" is none")
    T.eq(smtpcodes.parse_reply("250 ok\r\n", {}).code, 250, "an empty options table")
end)

T.test("replies: classify decides as smtpcodes.h documents", function()
    local function check(text, command, action, rule, flags)
        local where = format("%q %s", text, tostring(command))
        local v = assert(smtpcodes.classify(text, command))
        T.eq(v.action, action, where .. " action")
        T.eq(v.rule, rule, where .. " rule")
        T.same(v.flags, flags, where .. " flags")
        T.match(v.explanation, "RFC %d+ section", where .. " explanation")
        -- The same verdict from the reply table.
        local reply = assert(smtpcodes.parse_reply(text))
        T.same(smtpcodes.classify(reply, command), v, where .. " from the table")
        if command == nil then
            T.eq(reply.action, action, where .. " parse_reply's action")
            T.eq(reply.rule, rule, where .. " parse_reply's rule")
            T.eq(reply.explanation, v.explanation, where .. " parse_reply's explanation")
        end
    end
    check("250 ok\r\n", nil, "done", "class", {})
    check("354 go on\r\n", nil, "continue", "class", {})
    check("450 busy\r\n", nil, "retry", "class", {})
    check("550 no\r\n", nil, "give-up", "class", {})
    check("221 bye\r\n", nil, "done", "class", { "connection-closed" })
    check("421 4.3.2 closing\r\n", nil, "retry", "class", { "connection-closed" })
    check("552 Too many recipients\r\n", "RCPT", "retry", "too-many-recipients", { "overridden" })
    check("552 5.5.3 Too many recipients\r\n", "RCPT", "retry", "too-many-recipients",
          { "overridden" })
    check("552 5.3.4 Too big\r\n", "RCPT", "give-up", "class", {})
    check("552 Too many recipients\r\n", "MAIL", "give-up", "class", {})
    check("552 5.2.2 Mailbox full\r\n", nil, "retry", "mailbox-full", { "overridden" })
    check("554 4.4.7 Expired\r\n", nil, "give-up", "class-mismatch", { "class-mismatch" })
    check("451 5.7.1 Odd\r\n", nil, "retry", "class-mismatch", { "class-mismatch" })
    check("599 Odd\r\n", nil, "give-up", "unknown-code", { "unknown-code" })
    check("299 Odd\r\n", nil, "done", "unknown-code", { "unknown-code" })
    -- A table of its own making: code and enhanced code are all that count.
    T.same(smtpcodes.classify({ code = 552, enhanced = "5.2.2" }),
           smtpcodes.classify("552 5.2.2 x\r\n"), "a made-up table")
    T.eq(smtpcodes.classify({ code = 552, command = "RCPT" }).action, "retry", "its command")
    T.eq(smtpcodes.classify({ code = 552, command = "RCPT" }, "MAIL").action, "give-up",
         "the command argument wins")
    -- The command Postfix names in an embedded reply.
    local reply = smtpcodes.parse_reply("x said: 552 Too many (in reply to RCPT TO command)",
                                        { embedded = true })
    T.eq(smtpcodes.classify(reply).rule, "too-many-recipients", "embedded command")
end)

-- ---- the stream parser ----------------------------------------------------------------------

-- The ok rows that stand alone on the wire, whatever follows them: what they consumed of their
-- input, through its line end.
local function wire_replies()
    local list = {}
    for _, row in ipairs(rows()) do
        if row.status == "ok" and row.consumed
           and row.input:sub(tonumber(row.consumed), tonumber(row.consumed)) == "\n" then
            list[#list + 1] = { row = row, data = row.input:sub(1, tonumber(row.consumed)) }
        end
    end
    return list
end

-- Feeds `data` to a new parser in chunks of the sizes `size()` gives; returns every reply.
local function stream(data, size, opts)
    local p = smtpcodes.reply_parser(opts)
    local all = {}
    local at = 1
    while at <= #data do
        local n = size()
        local replies, message = p:feed(data:sub(at, at + n - 1))
        T.ok(replies, "feed: " .. tostring(message))
        for _, r in ipairs(replies) do
            all[#all + 1] = r
        end
        at = at + n
    end
    local rest, message = p:finish()
    T.ok(rest, "finish: " .. tostring(message))
    for _, r in ipairs(rest) do
        all[#all + 1] = r
    end
    return all
end

T.test("replies: a stream fed byte by byte gives what it gives whole", function()
    local wire = wire_replies()
    local parts = {}
    for i, w in ipairs(wire) do
        parts[i] = w.data
    end
    local data = concat(parts)
    local whole = stream(data, function() return #data end)
    T.eq(#whole, #wire, "one reply per vector")
    for i, w in ipairs(wire) do
        T.same(whole[i], smtpcodes.parse_reply(w.data), w.row.where)
        check_reply(whole[i], w.row, w.row.where .. " in a stream")
    end
    T.same(stream(data, function() return 1 end), whole, "byte by byte")
    math.randomseed(6)
    T.same(stream(data, function() return math.random(1, 40) end), whole, "random chunks")
    -- The pipelined vector holds two replies.
    for _, w in ipairs(wire) do
        if w.row.name:find("pipelined") then
            local two = stream(w.row.input, function() return 1 end)
            T.eq(#two, 2, "pipelined")
            T.eq(two[2].enhanced, "2.1.5", "the second")
        end
    end
end)

T.test("replies: the stream parser keeps what is incomplete, and finish ends it", function()
    local p = smtpcodes.reply_parser()
    T.same(p:feed("250-mx.example.com\r\n250-PIPE"), {}, "not yet")
    T.same(p:feed("LINING\r\n"), {}, "continuation lines")
    local replies = p:feed("250 8BITMIME\r\n220 ready\r\n354")
    T.eq(#replies, 2, "two replies")
    T.same(replies[1].lines, { "mx.example.com", "PIPELINING", "8BITMIME" }, "lines")
    T.eq(replies[2].code, 220, "the second")
    T.find(tostring(p), "3 bytes buffered", "tostring")
    replies = p:finish()
    T.eq(#replies, 1, "a bare code at the end")
    T.eq(replies[1].code, 354, "bare code")
    T.same(p:finish(), {}, "an empty stream")
    -- Blank lines between replies are skipped.
    p = smtpcodes.reply_parser()
    replies = p:feed("\r\n250 a\r\n\n\r\n251 b\r\n\r")
    T.eq(#replies, 2, "blank lines")
    replies = p:feed("\n421 c\n")
    T.eq(replies[1].code, 421, "after a CR LF split across feeds")
    -- Options.
    p = smtpcodes.reply_parser({ command = "RCPT", strict = true })
    T.eq(p:feed("552 Too many\r\n")[1].action, "retry", "command")
    T.eq(select(3, p:feed("550 " .. ("x"):rep(600) .. "\r\n")), "reply", "strict")
    p = smtpcodes.reply_parser({ embedded = true })
    replies = p:feed("Diagnostic-Code: smtp; 550 5.1.1 No such user\nDiagnostic-Code: smtp; 4")
    T.eq(#replies, 1, "embedded: complete lines only")
    T.eq(replies[1].enhanced, "5.1.1", "embedded")
    replies = p:feed("21 4.4.2 Timeout\n")
    T.eq(replies[1].code, 421, "embedded line split across feeds")
    T.eq(#p:finish(), 0, "nothing left")
end)

T.test("replies: a malformed reply in a stream is reported and skipped", function()
    local p = smtpcodes.reply_parser()
    local replies, message, status, before = p:feed("250 a\r\nhello\r\n251 b\r\n")
    T.eq(replies, nil, "error")
    T.eq(status, "reply", "status")
    T.match(message, "^line 2, column 1: ", "position in the stream")
    T.eq(#before, 1, "the reply before it")
    T.eq(before[1].code, 250, "the reply before it")
    replies = p:feed("")
    T.eq(#replies, 1, "what follows is read by the next call")
    T.eq(replies[1].code, 251, "what follows")
    -- Codes that differ between lines: the line at fault goes with the reply.
    replies, message = p:feed("252-x\r\n253 y\r\n254 z\r\n")
    T.eq(replies, nil, "codes differ")
    T.match(message, "^line 5, column 1: the lines of one reply carry different codes",
            "line 5 of the stream")
    T.eq(p:finish()[1].code, 254, "finish reads what follows")
    -- A continuation without its last line at the end of the stream.
    p = smtpcodes.reply_parser()
    T.same(p:feed("250-unfinished\r\n"), {}, "waiting")
    replies, message, status = p:finish()
    T.eq(replies, nil, "finish")
    T.eq(status, "reply", "finish status")
    T.find(message, "continuation lines without a final line", "finish message")
    T.same(p:finish(), {}, "then the parser is empty")
end)

T.test("replies: the stream parser bounds what it keeps", function()
    -- A line that never ends is refused once it passes the hard limit, however it is fed.
    local p = smtpcodes.reply_parser()
    local chunk = ("x"):rep(1000)
    local replies, message, status = p:feed("250 ")
    local fed = 4
    while replies do
        replies, message, status = p:feed(chunk)
        fed = fed + #chunk
        T.ok(fed < 70000, "refused before 70000 bytes")
    end
    T.eq(status, "reply", "status")
    T.find(message, "line longer than the hard limit", "message")
    -- More than 1000 lines in one reply.
    p = smtpcodes.reply_parser()
    replies, message = p:feed(("250-x\r\n"):rep(1001))
    T.eq(replies, nil, "too many lines")
    T.find(message, "too many lines", "message")
end)

-- ---- building -------------------------------------------------------------------------------

-- Builds, checks the wire form and parses it back.
local function round_trip(code, enhanced, text)
    code = tonumber(code)
    local where = format("build_reply(%s, %s, %s)", tostring(code), tostring(enhanced),
                         text and format("%q", #text > 60 and text:sub(1, 57) .. "..." or text)
                         or "nil")
    local wire, message = smtpcodes.build_reply(code, enhanced, text)
    T.ok(wire, where .. ": " .. tostring(message))
    T.eq(wire:sub(-2), "\r\n", where .. " ends with CRLF")
    local count = 0
    for line in wire:gmatch("([^\n]*)\n") do
        count = count + 1
        T.ok(#line + 1 <= 512, where .. " line within 512 octets")
        T.eq(line:sub(1, 3), tostring(code), where .. " code on every line")
        if enhanced then
            T.eq(line:sub(5, 4 + #enhanced), enhanced, where .. " enhanced code on every line")
        end
    end
    local reply, consumed = smtpcodes.parse_reply(wire, { strict = true })
    T.ok(reply, where .. " parses back")
    T.eq(consumed, #wire, where .. " one reply")
    T.eq(#reply.lines, count, where .. " lines")
    T.eq(reply.code, tonumber(code), where .. " code")
    T.eq(reply.enhanced, enhanced, where .. " enhanced")
    -- RFC 5321 section 4.2 allows only 0-5 as the second digit.
    T.same(reply.warnings, floor(code / 10) % 10 > 5 and { "nonconforming" } or {},
           where .. " warnings")
    return reply, wire
end

T.test("replies: build_reply builds what parse_reply reads back", function()
    local reply = round_trip(550, "5.7.1", "Relaying denied")
    T.eq(reply.text, "Relaying denied", "text")
    T.eq(smtpcodes.build_reply(550, "5.7.1", "Relaying denied"),
         "550 5.7.1 Relaying denied\r\n", "wire form")
    T.eq(smtpcodes.build_reply("550", "5.7.1", "x"), "550 5.7.1 x\r\n", "code as a string")
    T.eq(smtpcodes.build_reply(250), "250 " .. smtpcodes.lookup(250).name .. "\r\n",
         "the reply code's name by default")
    T.eq(smtpcodes.build_reply(250, nil, ""), smtpcodes.build_reply(250), "\"\" is no text")
    local x = smtpcodes.lookup("X.1.1")
    T.eq(smtpcodes.build_reply(550, "5.1.1"), "550 5.1.1 " .. x.sample .. "\r\n",
         "the registry's text by default")
    T.eq(smtpcodes.build_reply(299, "2.0.0", "x"), "299 2.0.0 x\r\n", "an unknown code")
    -- A long text takes several lines; joined without a separator they give it back.
    local words = {}
    for i = 1, 300 do
        words[i] = "word" .. i
    end
    local text = concat(words, " ")
    reply = round_trip(451, "4.3.0", text)
    T.ok(#reply.lines > 1, "several lines")
    T.eq(concat(reply.lines), text, "the text back")
    reply = round_trip(554, nil, ("y"):rep(2000))
    T.eq(concat(reply.lines), ("y"):rep(2000), "one long word")
    round_trip(421, "4.4.2", "tab\tand spaces  ")
end)

T.test("replies: build_reply round trips (generated cases)", function()
    math.randomseed(1234)
    local random = math.random
    local printable = {}
    for c = 32, 126 do
        printable[#printable + 1] = string.char(c)
    end
    local refused = 0
    for _ = 1, 400 do
        local code = random(200, 599)
        local enhanced
        local class = floor(code / 100)
        if (class == 2 or class == 4 or class == 5) and random() < 0.7 then
            enhanced = format("%d.%d.%d", class, random(0, 999), random(0, 999))
        end
        local n = random(0, 3) == 0 and random(500, 3000) or random(0, 120)
        local chars = {}
        for i = 1, n do
            chars[i] = random() < 0.15 and " " or printable[random(#printable)]
        end
        local text = concat(chars)
        local wire, message, status = smtpcodes.build_reply(code, enhanced, text)
        if wire then
            local reply = round_trip(code, enhanced, text)
            if text ~= "" then
                T.eq(concat(reply.lines), text, "the text back")
            end
        else
            -- Only a text that reads as an enhanced code is refused here.
            T.eq(status, "invalid", "status")
            T.find(message, "starts like an enhanced code", "message")
            T.ok(not enhanced, "refused only without an enhanced code")
            refused = refused + 1
        end
    end
    T.ok(refused < 10, "few refused")
end)

-- ---- scanning -------------------------------------------------------------------------------

-- A Postfix-like log of `n` lines with known counts per (code, enhanced code).
local function generate_log(n)
    local kinds = {
        { 250, "2.0.0", "status=sent (250 2.0.0 Ok: queued as %X)" },
        { 550, "5.1.1", "status=bounced (host mx[192.0.2.1] said: 550 5.1.1 <u%d@x.org>: "
                        .. "Recipient address rejected: User unknown (in reply to RCPT TO "
                        .. "command))" },
        { 421, "4.7.0", "status=deferred (host mx[192.0.2.1] said: 421 4.7.0 Try again "
                        .. "later %d (in reply to end of DATA command))" },
        { 554, "5.7.1", "NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 554 5.7.1 "
                        .. "<r%d@example.org>: Relay access denied; proto=ESMTP" },
        { 552, nil, "status=deferred (host mx[192.0.2.1] said: 552 Too many recipients %d "
                    .. "(in reply to RCPT TO command))" },
    }
    local lines, counts = {}, {}
    math.randomseed(99)
    for i = 1, n do
        local line
        if i % 3 == 0 then
            line = format("Nov 23 10:00:%02d mx postfix/qmgr[12]: %010X: removed", i % 60, i)
        else
            local k = kinds[math.random(#kinds)]
            local key = k[1] .. " " .. (k[2] or "-")
            counts[key] = (counts[key] or 0) + 1
            if k[3]:find("^NOQUEUE") then
                -- smtpd refuses while receiving: no queue ID yet
                line = format("Nov 23 10:00:%02d mx postfix/smtpd[124]: " .. k[3], i % 60, i)
            else
                line = format("Nov 23 10:00:%02d mx postfix/smtp[123]: %010X: to=<a@b>, "
                              .. k[3], i % 60, i, i)
            end
        end
        lines[i] = line
    end
    return lines, counts
end

local function check_summary(summary, lines, counts, where)
    T.ok(summary, where)
    T.eq(summary.lines, #lines, where .. " lines")
    local total, seen = 0, {}
    for key, count in pairs(counts) do
        total = total + count
        seen[key] = false
    end
    T.eq(summary.replies, total, where .. " replies")
    T.eq(summary.skipped, 0, where .. " skipped")
    local previous
    for i, row in ipairs(summary.rows) do
        local key = row.code .. " " .. (row.enhanced or "-")
        T.eq(row.count, counts[key], where .. " count of " .. key)
        seen[key] = true
        T.integer(row.code, where .. " code")
        T.integer(row.count, where .. " count")
        T.eq(row.entry, (smtpcodes.lookup(row.code)), where .. " entry of " .. key)
        T.eq(row.name, row.entry and row.entry.name, where .. " name of " .. key)
        if row.enhanced then
            T.eq(row.enhanced_entry, (smtpcodes.closest(row.enhanced)), where .. " enhanced")
        end
        T.match(row.sample, format("[ (]%d ", row.code), where .. " sample")
        T.eq(row.sample:find("\n"), nil, where .. " sample without its line end")
        -- The action and the reason are what classify says for the sample line.
        local reply = smtpcodes.parse_reply(row.sample, { embedded = true })
        T.eq(row.action, reply.action, where .. " action of " .. key)
        T.eq(row.reason, reply.reason, where .. " reason of " .. key)
        T.eq(row.reason ~= nil, row.code >= 400, where .. " a reason for failures only")
        if previous then
            T.ok(previous.code < row.code or (previous.code == row.code), where .. " order")
        end
        previous = row
        T.ok(i <= 10, where .. " row count")
    end
    for key, found in pairs(seen) do
        T.ok(found, where .. " row for " .. key)
    end
end

T.test("replies: scan counts the replies of a generated log, from each kind of source", function()
    local lines, counts = generate_log(6000)
    local data = concat(lines, "\n") .. "\n"
    T.ok(#data > 3 * 65536, "the file spans several chunks")
    local path = T.write_temp(data)
    local summary = smtpcodes.scan(path)
    check_summary(summary, lines, counts, "path")
    T.same(smtpcodes.scan(lines), summary, "array of lines")
    T.same(smtpcodes.scan(io.lines(path)), summary, "iterator")
    local f = assert(io.open(path, "rb"))
    T.same(smtpcodes.scan(f), summary, "open file")
    T.eq(io.type(f), "file", "the file is left open")
    f:close()
    -- CRLF line ends and no line end at the end of the file.
    local crlf = T.write_temp(concat(lines, "\r\n"))
    T.same(smtpcodes.scan(crlf), summary, "CRLF, last line without its end")
    os.remove(crlf)
    os.remove(path)
    -- The 552 to RCPT is retried (RFC 5321 section 4.5.3.1.10), Postfix naming the command.
    for _, row in ipairs(summary.rows) do
        if row.code == 552 then
            T.eq(row.action, "retry", "552 to RCPT")
        end
    end
end)

T.test("replies: scan of nothing, of lines without replies, and of over-long lines", function()
    local empty = smtpcodes.scan({})
    T.same(empty, { lines = 0, replies = 0, skipped = 0, rows = {}, attempts = 0,
                    outcomes = { delivered = 0, deferred = 0, bounced = 0, rejected = 0 },
                    by = {}, bucket = 3600, groups = {}, groups_total = 0 }, "nothing")
    local s = smtpcodes.scan({ "hello", "world" })
    T.eq(s.lines, 2, "lines")
    T.eq(s.replies, 0, "replies")
    s = smtpcodes.scan({ ("z"):rep(70000), "said: 550 5.1.1 x" })
    T.eq(s.lines, 2, "long line counted")
    T.eq(s.skipped, 1, "long line skipped")
    T.eq(s.replies, 1, "the next line")
    local i = 0
    s = smtpcodes.scan(function()
        i = i + 1
        if i <= 1000 then
            return "status=sent (250 2.0.0 Ok)"
        end
    end)
    T.eq(s.rows[1].count, 1000, "iterator of 1000 lines")
end)

T.test("replies: a loaded database answers with its own entries", function()
    local path = T.vectors_dir .. "/data/valid/override-421.txt"
    local db = assert(smtpcodes.load(path))
    local reply = assert(db:parse_reply("421 4.3.2 closing\r\n"))
    T.eq(reply.entry, db:lookup(421), "the loaded entry")
    T.ok(reply.entry ~= smtpcodes.lookup(421), "not the built-in one")
    reply = assert(db:parse_reply("299 x\r\n"))
    T.eq(reply.entry, db:lookup(299), "a code only the file has")
    T.ok(reply.rule ~= "unknown-code", "known to the loaded database")
    T.eq(smtpcodes.parse_reply("299 x\r\n").rule, "unknown-code", "unknown to the built-in one")
    T.eq(db:classify("299 x\r\n").rule, reply.rule, "db:classify")
    T.eq(db:classify({ code = 299 }).rule, reply.rule, "db:classify of a table")
    T.eq(db:build_reply(299), "299 " .. db:lookup(299).name .. "\r\n", "db:build_reply")
    local p = db:reply_parser()
    T.eq(p:feed("299 x\r\n")[1].entry, db:lookup(299), "db:reply_parser")
    local s = db:scan({ "said: 299 x", "said: 421 y" })
    T.eq(s.rows[1].entry, db:lookup(299), "db:scan")
    T.eq(s.rows[2].name, db:lookup(421).name, "db:scan name")
end)
