-- Delivery attempts and their groups through Lua: scan(source, {by, top, bucket, year}) on the
-- MTA logs (tests/vectors/scan-groups.tsv), refusals, and scan(source, {state}) over nights of
-- a log that grows and is rotated, with the C, CLI and Python suites.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format = string.format

local function log_path(name)
    return T.vectors_dir .. "/logs/" .. name
end

T.test("scan groups: the groups of each MTA log (scan-groups.tsv)", function()
    local cases, order = {}, {}
    for _, row in ipairs(T.vectors("scan-groups.tsv", { "log", "by", "values", "count",
                                                        "delivered", "deferred", "bounced",
                                                        "rejected" })) do
        local key = row.log .. " " .. row.by
        if not cases[key] then
            cases[key] = {}
            order[#order + 1] = key
        end
        table.insert(cases[key], row)
    end
    T.ok(#order >= 15, "cases")
    for _, key in ipairs(order) do
        local rows = cases[key]
        local s = assert(smtpcodes.scan(log_path(rows[1].log), { by = rows[1].by, year = 2024 }))
        T.eq(s.attempts, tonumber(rows[1].count), key .. " attempts")
        T.eq(s.outcomes.bounced, tonumber(rows[1].bounced), key .. " bounced")
        T.eq(#s.groups, #rows - 1, key .. " groups")
        T.eq(s.groups_total, #rows - 1, key .. " groups_total")
        for i = 2, #rows do
            local g, w = s.groups[i - 1], rows[i]
            local where = format("scan-groups.tsv:%d", w.line)
            T.eq(table.concat(g.values, ","), w.values or "", where .. " values")
            T.eq(g.count, tonumber(w.count), where .. " count")
            T.eq(g.deferred, tonumber(w.deferred), where .. " deferred")
            T.eq(g.rejected, tonumber(w.rejected), where .. " rejected")
        end
    end
end)

T.test("scan groups: top keeps the largest groups; bad settings are refused", function()
    local path = log_path("mta/postfix.log")
    local all = assert(smtpcodes.scan(path, { by = "domain,reason" }))
    local top = assert(smtpcodes.scan(path, { by = "domain,reason", top = 3 }))
    T.eq(#top.groups, 3, "three groups")
    T.eq(top.groups_total, #all.groups, "groups_total")
    T.same(top.groups[1], all.groups[1], "the largest first")
    T.same(top.by, { "domain", "reason" }, "by")
    local quarters = assert(smtpcodes.scan(path, { by = "time", bucket = "15m", year = 2024 }))
    T.eq(quarters.bucket, 900, "bucket")
    T.raises("is no axis", smtpcodes.scan, path, { by = "colour" })
    T.raises("60 to", smtpcodes.scan, path, { by = "time", bucket = 30 })
    T.raises("1970 to 9999", smtpcodes.scan, path, { year = 1969 })
    T.raises("unknown option", smtpcodes.scan, path, { colour = "red" })
    T.raises("top", smtpcodes.scan, path, { top = -1 })
    T.raises("top", smtpcodes.scan, path, { top = 1.5 })
end)

T.test("scan groups: nights with a state add up to one scan", function()
    local lines = {}
    for line in T.read_file(log_path("mta/postfix.log")):gmatch("[^\n]*\n") do
        lines[#lines + 1] = line
    end
    local function upto(first, last, tail)
        return table.concat(lines, "", first, last) .. (tail or "")
    end
    local path = T.write_temp(upto(1, 20, lines[21]:sub(1, 25)))
    local night1 = assert(smtpcodes.scan(path, { state = "" }))
    T.eq(night1.lines, 20, "the line being written waits")
    T.find(night1.state, "smtpcodes-state 1\n", "a saved state")
    local f = assert(io.open(path, "wb"))
    f:write(upto(1, #lines))
    f:close()
    local night2 = assert(smtpcodes.scan(path, { state = night1.state }))
    T.eq(night2.lines, #lines - 20, "only what was written since")
    local whole = assert(smtpcodes.scan(path))
    T.ok(night1 + night2 == whole, "the nights add up to one scan")
    local again = assert(smtpcodes.scan(path, { state = night2.state }))
    T.eq(again.lines, 0, "nothing new")
    T.fails("data", "state: ", smtpcodes.scan(path, { state = "nonsense\n" }))
    T.raises("state", smtpcodes.scan, path, { state = 5 })
    os.remove(path)
end)
