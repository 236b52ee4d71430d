-- Leaks through the binding: every function of the module, in a loop that
-- makes 1,000,000 lookups, 100,000 compares, 100,000 parse_reply calls and as many classify and
-- build_reply calls, 1,000 scans (merged and saved), 100,000 stream feeds and 10,000 calls of each provider
-- function, 100,000 texts in other languages, a loaded catalog per round, with failures among
-- them. After a
-- warm-up, the resident memory of the process (Lua heap and C memory: /proc/self/statm) must
-- grow by less than 1 MiB. Registered as lua.leaks, under Lua 5.4 only (it takes a while: each
-- compare renders its page four times).
--
--   LUA_PATH=... LUA_CPATH=... lua5.4 run.lua leaks

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format = string.format

-- Resident memory of this process in KiB (Linux).
local function resident_kib()
    local f = assert(io.open("/proc/self/statm"))
    local _, pages = f:read("*n", "*n")
    f:close()
    local page_kib = 4
    local pipe = io.popen("getconf PAGESIZE 2>/dev/null")
    if pipe then
        page_kib = (tonumber(pipe:read("*a")) or 4096) / 1024
        pipe:close()
    end
    return pages * page_kib
end

local valid_file = T.vectors_dir .. "/data/valid/override-421.txt"
local invalid_file = T.vectors_dir .. "/data/invalid/bad-code.txt"
-- A catalog, and one that breaks in its last message.
local catalog = assert(smtpcodes.catalog("ko"))
local catalog_file = T.write_temp(catalog)
local bad_catalog_file = T.write_temp(catalog .. '\nmsgctxt "999 name"\nmsgid "x"\nmsgstr "y"\n')

-- A log of 1,000 lines, and the same as a file.
local log_lines = {}
for i = 1, 1000 do
    local kinds = {
        "status=sent (250 2.0.0 Ok: queued as %X)",
        "status=bounced (host x said: 550 5.1.1 <u%d@x>: unknown (in reply to RCPT TO command))",
        "status=deferred (host x said: 421 4.7.0 later %d (in reply to end of DATA command))",
        "removed %d",
    }
    log_lines[i] = format("Nov 23 10:00:00 mx postfix/smtp[1]: " .. kinds[i % 4 + 1], i)
end
local log_file = T.write_temp(table.concat(log_lines, "\n") .. "\n")

local codes = {}
for _, e in ipairs(smtpcodes.codes()) do
    codes[#codes + 1] = e.code
end
local languages = smtpcodes.languages()
local replies = {
    "250 2.1.0 Ok\r\n", "250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n",
    "550 5.1.1 <x@y>: Recipient address rejected\r\n", "554 4.4.7 Expired\r\n",
    "552 5.2.2 Mailbox full\r\n", "599 Odd\n", "421 4.3.2 bye\r\n", "550 bad \255 byte\r\n",
    -- and some that fail
    "Hello\r\n", "250-a\r\n251 b\r\n", "250 a\0b\r\n", "",
}

-- One round: a hundredth of the loop.
local function round(r)
    local n = #codes
    -- 10,000 lookups: integers, strings, failures (the memo answers most).
    for i = 1, 10000 do
        local c = codes[i % n + 1]
        if i % 4 == 0 then
            smtpcodes.lookup(tostring(c))
        elseif i % 97 == 0 then
            smtpcodes.lookup(299)
            smtpcodes.lookup("4x1")
        else
            smtpcodes.lookup(c)
        end
    end
    -- 1,000 compares, in every language, and what else reads the database.
    for i = 1, 1000 do
        local a, b = codes[(i + r) % n + 1], codes[(i * 7 + r) % n + 1]
        if a == b then
            assert(not smtpcodes.compare(a, b))
        else
            assert(smtpcodes.compare(a, b, languages[i % #languages + 1]))
        end
    end
    smtpcodes.compare(421, 504, "xx")
    smtpcodes.compare(421, "4x1")
    for i = 1, 20 do
        assert(smtpcodes.explain(codes[(i + r) % n + 1], languages[i % #languages + 1],
                                 ({ "text", "markdown", "html", "json" })[i % 4 + 1]))
        smtpcodes.explain(299)
        smtpcodes.closest("5.7.650")
        smtpcodes.closest("5.01.1")
        smtpcodes.parse_code("X.7.1")
        smtpcodes.parse_code("abc")
        smtpcodes.codes(i % 4 + 2)
        smtpcodes.languages()
    end
    -- 1,000 of each: parse_reply, classify, build_reply.
    for i = 1, 1000 do
        local text = replies[i % #replies + 1]
        smtpcodes.parse_reply(text)
        smtpcodes.parse_reply(text, { complete = false, strict = true })
        smtpcodes.classify(text, "RCPT")
        smtpcodes.classify({ code = 552, enhanced = "5.2.2" })
        smtpcodes.classify({ code = 550, enhanced = "X.7.1" })
        smtpcodes.build_reply(550, "5.7.1", "Relaying denied " .. i)
        smtpcodes.build_reply(550, "4.7.1")
    end
    smtpcodes.parse_reply(log_lines[r % 1000 + 1], { embedded = true })
    -- 100 of each provider function, with failures among them.
    for i = 1, 100 do
        local host = ({ "mx.google.com", "outlook.com", "mta7.am0.yahoodns.net",
                        "x.org" })[i % 4 + 1]
        smtpcodes.providers()
        smtpcodes.provider_of(host)
        smtpcodes.meaning("5.7.29", { host = host })
        smtpcodes.meaning("4.7.650", { provider = "microsoft" })
        smtpcodes.meaning("5.7.1", { provider = "nosuch" })
        smtpcodes.provider_meanings("5.7.29")
        smtpcodes.reason(replies[i % #replies + 1], { host = host })
        smtpcodes.reason({ code = 550, enhanced = "5.7.29", text = "x " .. i },
                         { provider = "gmail" })
        local reply = smtpcodes.parse_reply(replies[i % #replies + 1], { host = host })
        assert(not reply or reply.action)
        assert(not reply or reply.code < 400 or reply.reason)
        smtpcodes.classify(replies[i % #replies + 1], { host = host })
        smtpcodes.render_providers(i % 2 == 0 and "gmail" or nil, "json")
    end
    -- 1,000 texts in other languages, with failures among them; how complete, which way.
    local texts = { "name", "aliases", "description", "when", "fix", "note" }
    for i = 1, 1000 do
        smtpcodes.text(codes[(i + r) % n + 1], texts[i % #texts + 1],
                       languages[i % #languages + 1])
    end
    smtpcodes.text(299, "name")
    smtpcodes.text(421, "name", "xx")
    pcall(smtpcodes.text, 421, "title")
    for i = 1, 20 do
        smtpcodes.completeness(languages[i % #languages + 1])
        smtpcodes.direction(languages[i % #languages + 1])
    end
    smtpcodes.completeness("xx")
    -- 1,000 stream feeds, with errors.
    local p = smtpcodes.reply_parser()
    for i = 1, 1000 do
        p:feed(replies[i % #replies + 1])
    end
    p:finish()
    -- 10 scans of 1,000 lines, from each kind of source, merged, saved and loaded back.
    local merged = smtpcodes.scan({})
    for i = 1, 10 do
        local summary
        if i % 3 == 0 then
            summary = assert(smtpcodes.scan(log_file))
        elseif i % 3 == 1 then
            summary = assert(smtpcodes.scan(log_lines))
        else
            local f = assert(io.open(log_file, "rb"))
            summary = assert(smtpcodes.scan(f))
            f:close()
        end
        merged = merged + assert(smtpcodes.load_summary(summary:save()))
    end
    assert(not smtpcodes.load_summary("smtpcodes-scan 1\n"))
    smtpcodes.scan("/nonexistent/mail.log")
    -- A loaded database, and one that fails to load.
    local db = assert(smtpcodes.load(valid_file))
    db:lookup(299)
    db:compare(421, 299, "fr")
    db:parse_reply("421 x\r\n")
    db:classify({ code = 421 })
    db:build_reply(421)
    db:scan(log_lines)
    db:reply_parser():feed("299 x\r\n")
    assert(not smtpcodes.load(invalid_file))
    -- Catalogs: written, loaded, refused.
    assert(smtpcodes.catalog(r % 2 == 0 and "vi" or nil))
    local translated = assert(smtpcodes.load(nil, { catalogs = { catalog_file } }))
    translated:text(421, "fix", "ko")
    translated:compare(421, 504, "ko")
    assert(not smtpcodes.load(valid_file, { catalogs = { catalog_file, bad_catalog_file } }))
    -- Misuse raises; nothing is left behind either.
    pcall(smtpcodes.parse_reply, 250)
    pcall(smtpcodes.scan, { 1, {} })
    pcall(smtpcodes.classify, {})
end

T.test("leaks: 100 rounds of every function grow resident memory by less than 1 MiB", function()
    local sanitized = os.getenv("SMTPCODES_TEST_SANITIZERS")
    -- Warm-up: what the loop allocates for good (memos, interned strings, malloc's arenas).
    for r = 1, 5 do
        round(r)
        collectgarbage()
    end
    collectgarbage()
    collectgarbage()
    local rss_before, heap_before = resident_kib(), collectgarbage("count")
    local rounds = sanitized and 10 or 100
    local started = os.clock()
    for r = 1, rounds do
        round(r)
        -- The collector does not see C memory; a collection per round keeps the peak of
        -- garbage the same as in the warm-up.
        collectgarbage()
    end
    collectgarbage()
    collectgarbage()
    local rss_growth = resident_kib() - rss_before
    local heap_growth = collectgarbage("count") - heap_before
    print(format("  %d rounds in %.1f s: resident memory grew by %d KiB, the Lua heap by %.1f KiB",
                 rounds, os.clock() - started, rss_growth, heap_growth))
    if sanitized then
        -- AddressSanitizer keeps freed memory in quarantine, so the resident size says nothing;
        -- LeakSanitizer reports at exit whatever was not freed.
        return
    end
    T.ok(rss_growth < 1024, format("resident memory grew by %d KiB", rss_growth))
    T.ok(heap_growth < 256, format("the Lua heap grew by %.1f KiB", heap_growth))
end)

T.test("leaks: clean up", function()
    os.remove(log_file)
    os.remove(catalog_file)
    os.remove(bad_catalog_file)
end)
