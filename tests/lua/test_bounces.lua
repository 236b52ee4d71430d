-- Bounce messages from Lua: the corpus of tests/vectors/bounces (shared with the C, CLI and
-- Python suites), errors and hostile input.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format = string.format

local COLUMNS = { "file", "kind", "recipient", "code", "enhanced", "action", "reason", "hard",
                  "command", "message_id", "format", "provider" }

local function read(path)
    local f = assert(io.open(path, "rb"))
    local data = f:read("a")
    f:close()
    return data
end

-- A record in the cells of expected.tsv (absent cells stay nil, as T.vectors leaves "-").
local function cells(record)
    local hard
    if record.hard ~= nil then
        hard = record.hard and "yes" or "no"
    end
    return { kind = record.kind, recipient = record.recipient,
             code = record.code and format("%d", record.code), enhanced = record.enhanced,
             action = record.action, reason = record.reason, hard = hard,
             command = record.command, message_id = record.message_id, format = record.format,
             provider = record.provider }
end

T.test("bounces: every message of the corpus gives its records", function()
    local expected, order = {}, {}
    for _, row in ipairs(T.vectors("bounces/expected.tsv", COLUMNS)) do
        if not expected[row.file] then
            expected[row.file] = {}
            order[#order + 1] = row.file
        end
        if row.kind ~= "unrecognised" then
            local wanted = expected[row.file]
            wanted[#wanted + 1] = row
        end
    end
    T.ok(#order >= 50, "the corpus holds 50 messages or more")
    for _, name in ipairs(order) do
        local records, message = smtpcodes.parse_bounce(read(T.vectors_dir .. "/bounces/" .. name))
        T.ok(records, format("%s: %s", name, tostring(message)))
        local wanted = expected[name]
        T.eq(#records, #wanted, name .. ": records")
        for i, record in ipairs(records) do
            local got = cells(record)
            for _, column in ipairs(COLUMNS) do
                if column ~= "file" then
                    T.eq(got[column], wanted[i][column], format("%s: record %d: %s", name, i,
                                                                column))
                end
            end
        end
    end
end)

T.test("bounces: a record's evidence says what decided", function()
    local records = assert(smtpcodes.parse_bounce(
        read(T.vectors_dir .. "/bounces/postfix-two-recipients.eml")))
    T.ok(#records == 2, "two recipients")
    for _, r in ipairs(records) do
        T.ok(type(r.rule) == "string" and r.rule ~= "", "rule")
        T.ok(type(r.evidence) == "string", "evidence")
        T.eq(type(r.code), "number", "code is an integer")
        T.eq(math.type and math.type(r.code) or "integer", "integer", "code is an integer")
    end
end)

T.test("bounces: no bounce, a limit, and what is no text", function()
    local records = smtpcodes.parse_bounce("Subject: hello\n\nJust a letter.\n")
    T.eq(#records, 0, "a letter gives no record")
    local deep = ("Content-Type: message/rfc822\n\n"):rep(40) .. "Subject: x\n\nbody\n"
    local none, message, status = smtpcodes.parse_bounce(deep)
    T.eq(none, nil, "past the depth limit")
    T.eq(status, "limit", "status")
    T.ok(type(message) == "string" and message ~= "", "message")
    T.ok(not pcall(smtpcodes.parse_bounce, 42), "a number is refused")
end)

T.test("bounces: hostile input gives records or a limit, never an error", function()
    local seed = 20261202
    local function random()
        seed = (seed * 1103515245 + 12345) % 2147483648
        return seed
    end
    local data = read(T.vectors_dir .. "/bounces/postfix-two-recipients.eml")
    for _ = 1, 300 do
        local cut = random() % (#data + 1)
        local flip = random() % (#data + 1)
        local mangled = data:sub(1, cut):sub(1, flip) .. string.char(random() % 256) ..
                        data:sub(flip + 2, cut)
        local records, _, status = smtpcodes.parse_bounce(mangled)
        T.ok(records or status == "limit", "records or a limit")
    end
end)
