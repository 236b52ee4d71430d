-- The golden vectors of tests/vectors (README.md there), shared with the C, CLI and Python
-- suites.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format = string.format

-- An entry's code as the vectors write it.
local function written(code)
    return type(code) == "number" and format("%d", code) or code
end

-- The status the vectors name for what the Lua API reports.
local VECTOR_STATUS = { syntax = "syntax", notfound = "notfound", lang = "lang",
                        invalid = "same" }

T.test("vectors: lookup.tsv", function()
    local rows = T.vectors("lookup.tsv", { "input", "status", "entry", "kind", "class",
                                           "category", "closest", "retry", "column" })
    for _, row in ipairs(rows) do
        local where = format("lookup.tsv:%d (%s)", row.line, format("%q", row.input))
        local inputs = { row.input }
        -- A three-digit input is also looked up as the integer it is.
        if row.input:match("^[ \t]*%d%d%d[ \t]*$") then
            inputs[2] = tonumber(row.input)
        end
        for _, input in ipairs(inputs) do
            local entry, message, status = smtpcodes.lookup(input)
            if row.status == "ok" then
                T.ok(entry, where .. ": " .. tostring(message))
                T.eq(written(entry.code), row.entry, where .. " entry")
                T.eq(entry.kind, row.kind, where .. " kind")
                T.eq(written(entry.class), row.class, where .. " class as written")
                T.eq(written(entry.category), row.category, where .. " category")
                T.eq(entry.retry, row.retry, where .. " retry as written")
            else
                T.eq(entry, nil, where .. " entry")
                T.eq(status, row.status, where .. " status")
                T.eq(type(message), "string", where .. " message")
                if row.column then
                    -- The core's column, in the message.
                    local column = message:match("%(column (%d+): ")
                    T.eq(column or "0", row.column, where .. " column in " .. message)
                end
            end
            local parsed, why = smtpcodes.parse_code(input)
            if row.kind then
                T.ok(parsed, where .. ": " .. tostring(why))
                T.eq(parsed.kind, row.kind, where .. " parsed kind")
                T.eq(written(parsed.class), row.class, where .. " class as written")
                T.eq(written(parsed.category), row.category, where .. " category")
            else
                T.eq(parsed, nil, where .. " parse_code")
            end
            local closest, exact = smtpcodes.closest(input)
            if row.closest then
                T.ok(closest, where .. ": " .. tostring(exact))
                T.eq(written(closest.code), row.closest, where .. " closest")
                T.eq(exact, row.status == "ok", where .. " exact")
                T.eq(written(closest.class), row.class, where .. " closest class as written")
            else
                T.eq(closest, nil, where .. " closest")
            end
        end
    end
end)

T.test("vectors: formats.tsv", function()
    local reference = {}
    for _, name in ipairs({ "text", "markdown", "html", "json" }) do
        reference[name] = assert(smtpcodes.explain(421, nil, name))
    end
    for _, row in ipairs(T.vectors("formats.tsv", { "name", "format" })) do
        local where = format("formats.tsv:%d (%q)", row.line, row.name)
        if row.format then
            T.eq(smtpcodes.explain(421, nil, row.name), reference[row.format], where)
        else
            T.raises("bad argument #3 (format) to 'explain'", smtpcodes.explain, 421, nil,
                     row.name)
        end
    end
end)

T.test("vectors: commands.tsv", function()
    for _, row in ipairs(T.vectors("commands.tsv", { "input", "status", "command" })) do
        local where = format("commands.tsv:%d (%q)", row.line, row.input)
        if row.input == "" then
            -- "" is no command at all, for the functions that take one (smtpc_classify).
            T.eq(smtpcodes.parse_reply("250 ok\r\n", { command = "" }).command, nil, where)
        elseif row.status == "ok" then
            local reply = assert(smtpcodes.parse_reply("250 ok\r\n", { command = row.input }))
            T.eq(reply.command, row.command, where .. " canonical name")
            T.ok(smtpcodes.classify({ code = 250 }, row.input), where .. " classify")
            T.ok(smtpcodes.reply_parser({ command = row.input }), where .. " reply_parser")
        else
            T.raises("bad argument #2 (opts) to 'parse_reply' (", smtpcodes.parse_reply,
                     "250 ok\r\n", { command = row.input })
            T.raises("bad argument #2 (command) to 'classify' (", smtpcodes.classify,
                     { code = 250 }, row.input)
            T.raises("bad argument #1 (opts) to 'reply_parser' (", smtpcodes.reply_parser,
                     { command = row.input })
        end
    end
end)

T.test("vectors: classify.tsv", function()
    local columns = { "code", "enhanced", "command", "status", "action", "rule" }
    for _, row in ipairs(T.vectors("classify.tsv", columns)) do
        local where = format("classify.tsv:%d", row.line)
        local reply = { code = tonumber(row.code), enhanced = row.enhanced }
        if row.status == "ok" then
            local verdict, message = smtpcodes.classify(reply, row.command)
            T.ok(verdict, where .. ": " .. tostring(message))
            T.eq(verdict.action, row.action, where .. " action")
            T.eq(verdict.rule, row.rule, where .. " rule")
            T.match(verdict.explanation, "RFC %d+ section", where .. " explanation")
            -- The same through the text of the reply.
            local text = row.code .. (row.enhanced and " " .. row.enhanced or "") .. " x\r\n"
            local parsed = assert(smtpcodes.parse_reply(text, { command = row.command }))
            T.eq(parsed.action, row.action, where .. " parse_reply's action")
            T.eq(parsed.rule, row.rule, where .. " parse_reply's rule")
        else
            T.raises("unknown SMTP command", smtpcodes.classify, reply, row.command)
        end
    end
end)

-- The events of a stream as streams.tsv writes them: "250" for a reply, "!LINE:COLUMN" for a
-- malformed one; `call` is p:feed(chunk) or p:finish(), and `again` what reads on after a
-- failure (p:feed("") or p:finish()).
local function events_of(list, call, again)
    local replies, message, status, before = call()
    while not replies do
        T.eq(status, "reply", "status")
        for _, r in ipairs(before) do
            list[#list + 1] = format("%d", r.code)
        end
        local line, column = message:match("^line (%d+), column (%d+): ")
        T.ok(line, "the position in " .. message)
        list[#list + 1] = "!" .. line .. ":" .. column
        replies, message, status, before = again()
    end
    for _, r in ipairs(replies) do
        list[#list + 1] = format("%d", r.code)
    end
end

-- Feeds `input` in the pieces `cuts` says (a list of lengths) and checks the row.
local function check_stream(row, pieces, where)
    local opts = {}
    for flag in (row.flags or ""):gmatch("[^,]+") do
        opts[flag] = true
    end
    local p = smtpcodes.reply_parser(opts)
    local events = {}
    for _, piece in ipairs(pieces) do
        events_of(events, function() return p:feed(piece) end,
                  function() return p:feed("") end)
    end
    local finish = function() return p:finish() end
    events_of(events, finish, finish)
    T.eq(table.concat(events, ","), row.events, where .. " events")
    T.eq(format("%d", p:line()), row.lines, where .. " lines")
    T.eq(format("%d", p:skipped()), row.skipped, where .. " skipped")
end

T.test("vectors: streams.tsv, in the given chunks and split at every point", function()
    local columns = { "name", "input", "flags", "chunk", "events", "lines", "skipped" }
    for _, row in ipairs(T.vectors("streams.tsv", columns)) do
        local where = format("streams.tsv:%d (%s)", row.line, row.name)
        local input, size = row.input, tonumber(row.chunk)
        local pieces = {}
        if size == 0 then
            pieces[1] = input
        else
            for at = 1, #input, size do
                pieces[#pieces + 1] = input:sub(at, at + size - 1)
            end
        end
        check_stream(row, pieces, where .. " in chunks of " .. row.chunk)
        for cut = 0, #input do
            check_stream(row, { input:sub(1, cut), input:sub(cut + 1) },
                         where .. " split at " .. cut)
        end
    end
end)

T.test("vectors: compare.tsv", function()
    local rows = T.vectors("compare.tsv", { "a", "b", "lang", "first", "second", "intro",
                                            "class_item", "lang_tag" })
    for _, row in ipairs(rows) do
        local where = format("compare.tsv:%d", row.line)
        local a = tonumber(row.a:match("^%d%d%d$")) or row.a
        for _, args in ipairs({ { row.a, row.b }, { a, row.b } }) do
            local page = smtpcodes.compare(args[1], args[2], row.lang)
            T.ok(page, where)
            T.same(page.codes, { row.first, row.second }, where .. " page order")
            T.eq(written(page.entries[1].code), written(smtpcodes.lookup(row.first).code),
                 where .. " first entry")
            -- the form of the intro, as English words it
            local english = smtpcodes.compare(args[1], args[2]).intro
            local same = english:sub(1, #"Both SMTP ") == "Both SMTP "
            T.ok(page.intro:find(row.first, 1, true) and page.intro:find(row.second, 1, true),
                 where .. " intro names both codes")
            T.eq(same and "same" or "different", row.intro, where .. " intro")
            T.eq(page.differences[1].kind == "class" and "yes" or "no", row.class_item,
                 where .. " class item")
            T.eq(page.language, row.lang_tag, where .. " language")
        end
    end
end)

T.test("vectors: compare-errors.tsv", function()
    local rows = T.vectors("compare-errors.tsv", { "a", "b", "lang", "status" })
    for _, row in ipairs(rows) do
        local where = format("compare-errors.tsv:%d", row.line)
        local page, message, status = smtpcodes.compare(row.a, row.b, row.lang or "")
        T.eq(page, nil, where)
        T.eq(type(message), "string", where .. " message")
        T.eq(VECTOR_STATUS[status], row.status, where .. " status")
    end
end)

local function directory(path)
    local names = {}
    local pipe = assert(io.popen("ls " .. T.shell_quote(path)))
    for name in pipe:lines() do
        names[#names + 1] = name
    end
    pipe:close()
    T.ok(#names > 0, path .. " is not empty")
    return names
end

T.test("vectors: data/valid loads, and its records are what lookup finds", function()
    local dir = T.vectors_dir .. "/data/valid"
    for _, name in ipairs(directory(dir)) do
        local path = dir .. "/" .. name
        local db, message = smtpcodes.load(path)
        T.ok(db, name .. ": " .. tostring(message))
        -- Each Code record is found with its name; CRLF and continuation lines included.
        local text = T.read_file(path):gsub("\r\n", "\n")
        for record in (text .. "\n\n"):gmatch("(.-)\n\n+") do
            local code = ("\n" .. record):match("\nCode: ([^\n]+)")
            if code then
                -- a provider's range ("5.7.900-949") is found by its first code
                local entry = db:lookup((code:gsub("%-%d+$", "")))
                T.ok(entry, name .. ": " .. code)
                T.eq(entry.name, ("\n" .. record):match("\nName: ([^\n]+)"), name .. " " .. code)
            end
        end
        for tag in text:gmatch("\nLanguage: ([^\n]+)") do
            local page = db:compare(421, 504, tag)
            T.ok(page, name .. ": compare in " .. tag)
            T.eq(page.labels.description,
                 text:match("\nLanguage: " .. tag .. "\n.-Description%-Label: ([^\n]+)"),
                 name .. ": label in " .. tag)
        end
    end
end)

T.test("vectors: data/invalid fails with file:line:column and the reason", function()
    local dir = T.vectors_dir .. "/data/invalid"
    local checked = 0
    for _, name in ipairs(directory(dir)) do
        if name:match("%.txt$") then
            local path = dir .. "/" .. name
            local error_file = path:gsub("%.txt$", ".error")
            local f = io.open(error_file, "rb")
            local first
            if f then
                first = f:read("*l")
                f:close()
            else
                first = T.read_file(path):match("^[^\n]*")
            end
            local line, column, reason = first:match("^# error: (%d+):(%d+): (.*)$")
            T.ok(line, name .. ": the expected error is written in the file")
            local db, message, status = smtpcodes.load(path)
            T.eq(db, nil, name)
            T.eq(status, "data", name .. " status")
            T.find(message, format("%s:%s:%s: ", path, line, column), name .. " position")
            T.find(message, reason, name .. " reason")
            checked = checked + 1
        end
    end
    T.ok(checked > 0, "invalid files checked")
end)
