-- Compressed logs and input that is no log (tests/vectors/logs/compressed/, expected.tsv), with
-- the C, CLI and Python suites: scan from a path, an open file and lines; scan_compressions().

local T = require "testing"
local smtpcodes = require "smtpcodes"

local DIR = T.vectors_dir .. "/logs/compressed/"
local CASES = T.vectors("logs/compressed/expected.tsv", { "file", "compression", "copies",
    "lines", "replies", "rows", "error", "built_without" })
local PLAIN = T.read_file(DIR .. "mail.log")

local built_in = {}
for _, name in ipairs(smtpcodes.scan_compressions()) do
    built_in[name] = true
end

-- The message the scan of `case` fails with in this build, or nil.
local function expected_error(case)
    if case.compression ~= "none" and case.compression ~= "gzip"
            and not built_in[case.compression] then
        return case.built_without
    end
    return case.error
end

local function scan_text(text)
    local path = T.write_temp(text)
    local summary = assert(smtpcodes.scan(path))
    os.remove(path)
    return summary
end

T.test("scan_compressed: scan_compressions lists what is built in", function()
    local names = smtpcodes.scan_compressions()
    T.ok(built_in.gzip, "gzip is always built in")
    local known = { gzip = 1, xz = 2, bzip2 = 3, zstd = 4 }
    for i, name in ipairs(names) do
        T.ok(known[name], "known format " .. name)
        T.ok(i == 1 or known[names[i - 1]] < known[name], "in the enumeration's order")
    end
    T.ok(smtpcodes.scan_compressions() ~= names, "a new table each time")
end)

T.test("scan_compressed: each file from its path", function()
    local by_copies = {}
    for _, case in ipairs(CASES) do
        local path = DIR .. case.file
        local summary, message, status = smtpcodes.scan(path)
        local error = expected_error(case)
        if error then
            T.fails("input", path .. ": " .. error, summary, message, status)
            T.eq(message, path .. ": " .. error, case.file)
        else
            T.ok(summary, case.file .. ": " .. tostring(message))
            T.eq(summary.lines, tonumber(case.lines), case.file .. " lines")
            T.eq(summary.replies, tonumber(case.replies), case.file .. " replies")
            T.eq(#summary.rows, tonumber(case.rows), case.file .. " rows")
            local copies = tonumber(case.copies)
            by_copies[copies] = by_copies[copies] or scan_text(PLAIN:rep(copies))
            T.ok(summary == by_copies[copies], case.file .. ": the plain log's summary")
        end
    end
end)

T.test("scan_compressed: an open file and lines read alike", function()
    for _, case in ipairs(CASES) do
        local error = expected_error(case)
        local f = assert(io.open(DIR .. case.file, "rb"))
        local summary, message, status = smtpcodes.scan(f)
        f:close()
        if error then
            T.fails("input", error, summary, message, status)
            T.eq(message, error, case.file)
        else
            T.ok(summary == assert(smtpcodes.scan(DIR .. case.file)), case.file)
        end
    end
    -- lines of binary data, and one damaged line among many
    T.fails("input", "NUL bytes on 3 of its first 3 lines", smtpcodes.scan({ "a\0", "b\0", "c\0" }))
    local lines = {}
    for i = 1, 20 do
        lines[i] = "said: 250 ok"
    end
    lines[21] = "said: 550 no\0such user"
    T.eq(assert(smtpcodes.scan(lines)).replies, 21)
    local i = 0
    T.fails("input", "a zip archive", smtpcodes.scan(function()
        i = i + 1
        return i == 1 and "PK\3\4\20\0\0\0" or nil
    end))
end)

T.test("scan_compressed: summaries of compressed logs merge", function()
    local gz = assert(smtpcodes.scan(DIR .. "mail-members.log.gz"))
    local plain = assert(smtpcodes.scan(DIR .. "mail.log"))
    T.ok(gz + plain == scan_text(PLAIN:rep(2)), "a + b")
    T.eq(gz:save(), plain:save())
end)
