-- Scan summaries that combine: merge, +, ==, save and load_summary, on the shared logs
-- (tests/vectors/logs/, scan-rows.tsv, scan-saved.tsv), with the C, CLI and Python suites.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format = string.format

local LOGS = { "relay-postfix.log", "relay-exim.log", "relay-bounces.mbox" }

local function log_path(name)
    return T.vectors_dir .. "/logs/" .. name
end

-- The lines of a log with their line ends, so that any run of them is a log of its own.
local function lines_of(name)
    local lines = {}
    for line in T.read_file(log_path(name)):gmatch("[^\n]*\n") do
        lines[#lines + 1] = line
    end
    return lines
end

local function scan_text(text)
    local path = T.write_temp(text)
    local summary = smtpcodes.scan(path)
    os.remove(path)
    return summary
end

local function scan_lines(lines, first, last)
    return scan_text(table.concat(lines, "", first, last))
end

local function whole()
    local texts = {}
    for i, name in ipairs(LOGS) do
        texts[i] = T.read_file(log_path(name))
    end
    return scan_text(table.concat(texts))
end

-- The same counts and rows, field by field, and the same saved form.
local function same_summary(a, b, what)
    T.eq(a.lines, b.lines, what .. ": lines")
    T.eq(a.replies, b.replies, what .. ": replies")
    T.eq(a.skipped, b.skipped, what .. ": skipped")
    T.same(a.rows, b.rows, what .. ": rows")
    T.eq(a:save(), b:save(), what .. ": saved form")
    T.ok(a == b, what .. ": ==")
end

T.test("scan merge: each log gives its rows (scan-rows.tsv)", function()
    local rows = T.vectors("scan-rows.tsv", { "log", "code", "enhanced", "count", "action",
                                              "reason", "sample" })
    local by_log = {}
    for _, row in ipairs(rows) do
        by_log[row.log] = by_log[row.log] or {}
        table.insert(by_log[row.log], row)
    end
    for _, name in ipairs(LOGS) do
        local want = by_log[name]
        local summary = smtpcodes.scan(log_path(name))
        T.eq(summary.lines, tonumber(want[1].count), name .. " lines")
        T.eq(#summary.rows, #want - 1, name .. " rows")
        for i = 2, #want do
            local w, r = want[i], summary.rows[i - 1]
            local where = format("scan-rows.tsv:%d", w.line)
            -- an attempt without a reply has no code (0 in the vectors)
            T.eq(format("%d", r.code or 0), w.code, where .. " code")
            T.eq(r.enhanced, w.enhanced, where .. " enhanced")
            T.eq(r.count, tonumber(w.count), where .. " count")
            T.eq(r.action, w.action, where .. " action")
            T.eq(r.reason, w.reason, where .. " reason")
            T.eq(r.sample, w.sample, where .. " sample")
        end
    end
end)

T.test("scan merge: the logs merge in every order and grouping", function()
    local expected = whole()
    local parts = {}
    for i, name in ipairs(LOGS) do
        parts[i] = smtpcodes.scan(log_path(name))
    end
    local orders = { { 1, 2, 3 }, { 1, 3, 2 }, { 2, 1, 3 }, { 2, 3, 1 }, { 3, 1, 2 }, { 3, 2, 1 } }
    for _, o in ipairs(orders) do
        local a, b, c = parts[o[1]], parts[o[2]], parts[o[3]]
        local where = format("order %d %d %d", o[1], o[2], o[3])
        same_summary((a + b) + c, expected, where .. ", (a + b) + c")
        same_summary(a + (b + c), expected, where .. ", a + (b + c)")
        same_summary(smtpcodes.merge(a, b, c), expected, where .. ", merge(a, b, c)")
        same_summary(a:merge(b, c), expected, where .. ", a:merge(b, c)")
    end
end)

T.test("scan merge: each log cut at every line merges back", function()
    for _, name in ipairs(LOGS) do
        -- an mbox is read message by message: a part that starts inside one is not one
        if not name:find("%.mbox$") then
            local lines = lines_of(name)
            local expected = smtpcodes.scan(log_path(name))
            for cut = 0, #lines do
                local a, b = scan_lines(lines, 1, cut), scan_lines(lines, cut + 1, #lines)
                local where = format("%s cut after line %d", name, cut)
                same_summary(a + b, expected, where)
                same_summary(b + a, expected, where .. ", the other way round")
            end
        end
    end
end)

T.test("scan merge: merging leaves its summaries alone and gives a new one", function()
    local a = smtpcodes.scan(log_path(LOGS[1]))
    local b = smtpcodes.scan(log_path(LOGS[2]))
    local saved_a, saved_b, rows_a = a:save(), b:save(), a.rows
    local c = a + b
    T.eq(a:save(), saved_a, "a")
    T.eq(b:save(), saved_b, "b")
    T.eq(a.rows, rows_a, "a's rows")
    T.ok(c ~= a and rawequal(c, a) == false, "a new summary")
    same_summary(smtpcodes.merge(a), a, "merge of one")
    same_summary(a + a, scan_text(T.read_file(log_path(LOGS[1])):rep(2)), "a + a")
    T.ok(a ~= b, "different summaries")
    T.ok(smtpcodes.scan({}) == smtpcodes.scan({}), "empty summaries")
end)

T.test("scan merge: refusals", function()
    local a = smtpcodes.scan(log_path(LOGS[1]))
    T.raises("scan summary expected, got no value", smtpcodes.merge)
    T.raises("bad argument #2 (summary) to 'merge' (scan summary expected, got number)",
             smtpcodes.merge, a, 1)
    T.raises("scan summary expected, got table", smtpcodes.merge, { lines = 0, rows = {} })
    T.raises("scan summary expected, got number", function()
        return a + 1
    end)
    T.raises("scan summary expected", function()
        return a.save({})
    end)
    local db = assert(smtpcodes.load(T.vectors_dir .. "/data/valid/override-421.txt"))
    local theirs = db:scan(log_path(LOGS[1]))
    T.raises("different databases", function()
        return a + theirs
    end)
    T.raises("different databases", smtpcodes.merge, a, theirs)
    -- moved across through the saved form, it merges
    local moved = assert(smtpcodes.load_summary(theirs:save()))
    same_summary(a + moved, a + a, "moved")
    same_summary(db:merge(theirs, theirs), theirs + theirs, "db:merge")
    local there = assert(db:load_summary(a:save()))
    T.eq(there.rows[1].entry, db:lookup(there.rows[1].code), "a loaded summary's entries")
end)

T.test("scan merge: the saved form round trips", function()
    for _, name in ipairs(LOGS) do
        local summary = smtpcodes.scan(log_path(name))
        local text = summary:save()
        T.eq(text:sub(1, 17), "smtpcodes-scan 2\n", name .. " starts")
        T.ok(not text:find("[^\n\32-\126]"), name .. " is printable ASCII")
        local back = assert(smtpcodes.load_summary(text))
        same_summary(back, summary, name .. " loaded back")
        T.eq(back.rows[1].entry, smtpcodes.lookup(back.rows[1].code), name .. " entries")
    end
    T.raises("bad argument #1 (text) to 'load_summary'", smtpcodes.load_summary, 5)
end)

T.test("scan merge: scan-saved.tsv", function()
    local rows = T.vectors("scan-saved.tsv", { "name", "input", "status", "error_line",
                                               "error_column", "message" })
    T.ok(#rows > 30, "cases")
    for _, row in ipairs(rows) do
        local where = format("scan-saved.tsv:%d (%s)", row.line, row.name)
        local input = row.input or ""
        if row.status == "ok" then
            local summary, message = smtpcodes.load_summary(input)
            T.ok(summary, where .. ": " .. tostring(message))
            T.eq(summary:save(), input, where .. " saved again")
        else
            local message = T.fails("data", "", smtpcodes.load_summary(input))
            T.eq(message, format("line %s, column %s: %s", row.error_line, row.error_column,
                                 row.message), where)
        end
    end
end)
