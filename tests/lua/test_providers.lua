-- The providers' own meanings of codes through the Lua API: the shared vectors
-- tests/vectors/providers.tsv and provider-reasons.tsv (README.md there), and the contracts of
-- providers, provider_of, meaning, provider_meanings, reason, render_providers and the host
-- option of parse_reply, reply_parser and classify.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format = string.format

-- An entry's code as the vectors write it.
local function written(code)
    return type(code) == "number" and format("%d", code) or code
end

-- The slug of the provider of `host`, or nil ("" is no host).
local function slug_of(host)
    local p = host ~= "" and smtpcodes.provider_of(host) or nil
    return p and p.slug
end

-- The reason fields of a provider's entries, by code, from its page.
local function written_reasons(slug)
    local page = T.json_decode(assert(smtpcodes.render_providers(slug, "json")))
    local reasons = {}
    for _, e in ipairs(page.entries) do
        reasons[e.code] = e.reason
    end
    return reasons
end

T.test("providers: providers.tsv, each code looked up as the host's provider means it", function()
    local rows = T.vectors("providers.tsv", { "code", "host", "expected_code",
                                              "expected_provider", "expected_name",
                                              "expected_reason" })
    local checked = 0
    for _, row in ipairs(rows) do
        local where = format("providers.tsv:%d (%s at %q)", row.line, row.code, row.host)
        local opts = row.host ~= "" and { host = row.host } or nil
        local entry, message, status = smtpcodes.meaning(row.code, opts)
        if row.expected_code == "" then
            T.fails("notfound", "", entry, message, status)
        else
            T.ok(entry, where .. ": " .. tostring(message))
            T.eq(written(entry.code), row.expected_code, where .. " entry")
            T.eq(entry.provider or "", row.expected_provider, where .. " provider")
            T.eq(entry.name, row.expected_name, where .. " name")
            if row.expected_provider ~= "" then
                T.eq(entry.origin, "provider", where .. " origin")
                T.eq(written_reasons(entry.provider)[entry.code], row.expected_reason,
                     where .. " reason as written")
            end
            -- the same through the slug, and without a host the plain lookup
            local by_slug = smtpcodes.meaning(row.code, { provider = slug_of(row.host) })
            T.ok(by_slug == entry, where .. ": the same entry by the provider's slug")
            if row.host == "" then
                T.ok(smtpcodes.lookup(row.code) == entry, where .. ": lookup's entry")
            end
            -- a reply from the host with this enhanced code: the same entry
            local class = row.code:match("^([245])%.")
            if class then
                local wire = class .. "50 " .. row.code .. " text\r\n"
                local reply = assert(smtpcodes.parse_reply(wire, opts))
                local got = reply.enhanced_entry
                T.eq(got and written(got.code), row.expected_code, where .. " reply's entry")
                T.eq(got and got.provider or "", row.expected_provider, where .. " reply's provider")
                T.eq(got and got.name, row.expected_name, where .. " reply's entry name")
            end
        end
        checked = checked + 1
    end
    T.ok(checked >= 40, "rows checked")
end)

T.test("providers: provider-reasons.tsv, each reason decided knowing the host's provider",
       function()
    local rows = T.vectors("provider-reasons.tsv", { "host", "code", "enhanced", "command",
                                                     "text", "reason", "rule", "hard" })
    local HARD = { ["1"] = true, ["0"] = false }
    for _, row in ipairs(rows) do
        local where = format("provider-reasons.tsv:%d", row.line)
        local host = row.host ~= "" and row.host or nil
        local reply = { code = row.code and tonumber(row.code), enhanced = row.enhanced,
                        command = row.command, text = row.text }
        local r = assert(smtpcodes.reason(reply, { host = host }))
        T.eq(r.reason, row.reason, where .. " reason")
        T.eq(r.rule, row.rule, where .. " rule")
        T.eq(r.hard, HARD[row.hard], where .. " hard")
        if r.rule == "pattern" then
            T.find(row.text:lower(), r.evidence:lower(), where .. " evidence")
        end
        -- the same reply parsed from that host, and classified
        if row.code then
            local wire = row.code .. " " .. (row.enhanced and row.enhanced .. " " or "")
                         .. row.text .. "\r\n"
            local parsed = assert(smtpcodes.parse_reply(wire, { command = row.command,
                                                               host = host }))
            T.eq(parsed.reason, row.reason, where .. " reply's reason")
            T.eq(parsed.host, host, where .. " reply's host")
            T.eq(smtpcodes.classify(wire, { command = row.command, host = host }).reason,
                 row.reason, where .. " classify")
            T.eq(assert(smtpcodes.reason(parsed)).reason, row.reason, where .. " reason(reply)")
        end
    end
end)

T.test("providers: the list, and the provider of a host", function()
    local list = assert(smtpcodes.providers())
    T.ok(#list >= 3, "providers")
    for i, p in ipairs(list) do
        T.ok(p.slug and p.name and p.description, "facts of " .. tostring(p.slug))
        T.ok(#p.hosts > 0 and #p.references > 0, "lists of " .. p.slug)
        T.find(p.references[1], "https://", "a reference of " .. p.slug)
        if i > 1 then
            T.ok(list[i - 1].slug < p.slug, "in the order of their slugs")
        end
    end
    local cases = {
        ["contoso-com.mail.protection.outlook.com"] = "microsoft",
        ["OUTLOOK.COM"] = "microsoft",
        ["outlook.com."] = "microsoft",
        ["dns; mx1.hotmail.com"] = "microsoft",
        ["bob@hotmail.com"] = "microsoft",
        ["<bob@Gmail.com>"] = "gmail",
        ["gmail-smtp-in.l.google.com"] = "gmail",
        ["mta7.am0.yahoodns.net"] = "yahoo",
        ["notoutlook.com"] = false,
        ["outlook.com.example.net"] = false,
        ["[192.0.2.1]"] = false,
        [""] = false,
        ["@"] = false,
        ["mx.example.org"] = false,
    }
    for host, slug in pairs(cases) do
        local p = smtpcodes.provider_of(host)
        T.eq(p and p.slug or false, slug, "provider_of(" .. format("%q", host) .. ")")
    end
    T.same(smtpcodes.provider_of("gmail.com"), list[1], "a provider is a plain table")
    T.raises("bad argument #1 (host) to 'provider_of'", smtpcodes.provider_of, nil)
    T.raises("bad argument #1 (host) to 'provider_of'", smtpcodes.provider_of, 5)
end)

T.test("providers: meaning, provider_meanings and the entries' provider", function()
    local standard = assert(smtpcodes.lookup("5.7.29"))
    local gmail = assert(smtpcodes.meaning("5.7.29", { host = "mx.google.com" }))
    T.eq(standard.provider, nil, "a standard entry has no provider")
    T.eq(gmail.provider, "gmail", "provider")
    T.eq(gmail.name, "No TLS, Blocked", "Gmail's meaning")
    T.eq(gmail.class, 5, "class")
    T.ok(smtpcodes.meaning("5.7.29") == standard, "without options: lookup")
    T.ok(smtpcodes.meaning("5.7.29", {}) == standard, "with no host or provider: lookup")
    T.ok(smtpcodes.meaning("5.7.29", { host = "mx.example.org" }) == standard,
         "a host of no provider: lookup")
    T.ok(smtpcodes.meaning("5.7.29", { provider = "gmail" }) == gmail, "by slug, the same entry")
    T.ok(smtpcodes.meaning(550, { host = "mx.google.com" }) == smtpcodes.lookup(550),
         "a reply code: the standard entry")
    local ranged = assert(smtpcodes.meaning("4.7.650", { host = "outlook.com" }))
    T.eq(ranged.code, "4.7.500-699", "a range's entry")
    T.eq(ranged.retry, "later", "retry of a class-4 range")
    local meanings = smtpcodes.provider_meanings("5.7.29")
    T.eq(#meanings, 1, "one provider gives 5.7.29 a meaning of its own")
    T.ok(meanings[1] == gmail, "Gmail's entry")
    T.same(smtpcodes.provider_meanings("5.7.1"), {}, "none for 5.7.1")
    T.same(smtpcodes.provider_meanings("X.7.29"), {}, "none without a class")
    T.same(smtpcodes.provider_meanings(550), {}, "none for a reply code")
    T.same(smtpcodes.provider_meanings("no code"), {}, "none for text that is no code")
    T.fails("provider", "unknown provider 'nosuch'",
            smtpcodes.meaning("5.7.1", { provider = "nosuch" }))
    T.fails("syntax", "is not an SMTP code", smtpcodes.meaning("5.7", { provider = "gmail" }))
    T.fails("notfound", "", smtpcodes.meaning("4.7.720", { host = "outlook.com" }))
    T.raises("give host or provider, not both", smtpcodes.meaning, "5.7.1",
             { host = "mx.google.com", provider = "gmail" })
    T.raises("unknown option 'hots'", smtpcodes.meaning, "5.7.1", { hots = "x" })
    T.raises("option 'provider': string expected", smtpcodes.meaning, "5.7.1", { provider = 1 })
    T.raises("bad argument #1 (code) to 'meaning'", smtpcodes.meaning, {}, nil)
    T.raises("bad argument #1 (code) to 'provider_meanings'", smtpcodes.provider_meanings, true)
    local copy = smtpcodes.to_table(gmail)
    T.eq(copy.provider, "gmail", "to_table keeps the provider")
    T.raises("read-only", function() gmail.provider = "x" end)
end)

T.test("providers: reason, classify and replies from a host", function()
    local wire = "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to "
                 .. "unexpected volume or user complaints\r\n"
    local yahoo = { host = "mta6.am0.yahoodns.net", command = "RCPT" }
    local plain = assert(smtpcodes.parse_reply(wire, { command = "RCPT" }))
    local from_yahoo = assert(smtpcodes.parse_reply(wire, yahoo))
    T.eq(from_yahoo.reason, "speeding", "Yahoo's TSS04")
    T.ok(plain.reason ~= "speeding", "elsewhere, not a rate limit")
    T.eq(from_yahoo.action, plain.action, "the host decides no action")
    T.eq(plain.host, nil, "no host")
    T.eq(smtpcodes.to_table(from_yahoo).host, "mta6.am0.yahoodns.net", "to_table keeps the host")
    T.eq(smtpcodes.classify(plain, { host = "yahoo.com" }).reason, "speeding",
         "classify(reply, {host})")
    T.eq(smtpcodes.classify(from_yahoo).reason, "speeding", "a reply table's own host")
    T.eq(smtpcodes.classify(from_yahoo, "MAIL").reason, "speeding", "a command keeps the host")
    T.eq(smtpcodes.classify(wire, { host = "" }).reason, plain.reason, "an empty host is none")
    local parser = assert(smtpcodes.reply_parser(yahoo))
    local replies = assert(parser:feed(wire))
    T.eq(#replies, 1, "one reply")
    T.eq(replies[1].reason, "speeding", "the parser's host")
    T.eq(replies[1].host, "mta6.am0.yahoodns.net", "the parser's host on the reply")
    local r = assert(smtpcodes.reason(wire, yahoo))
    T.eq(r.reason, "speeding", "reason of a reply's text")
    T.eq(r.rule, "pattern", "rule")
    T.eq(r.hard, false, "a transient failure is soft")
    T.eq(r.evidence, "TSS04", "evidence")
    T.eq(assert(smtpcodes.reason({ code = 550, enhanced = "5.7.29" }, { provider = "gmail" }))
         .reason, "securityerror", "by the provider's entry")
    T.eq(assert(smtpcodes.reason({ code = 550, enhanced = "5.7.29" })).reason, "authfailure",
         "by the registry's")
    local none = assert(smtpcodes.reason({}))
    T.eq(none.reason, "undefined", "nothing to tell by")
    T.eq(none.hard, nil, "no hard")
    T.eq(assert(smtpcodes.reason({ code = 250 })).hard, nil, "a success is no failure")
    T.fails("provider", "unknown provider", smtpcodes.reason({ code = 550 },
                                                             { provider = "nosuch" }))
    T.fails("invalid", "is not a reply code", smtpcodes.reason({ code = 650 }))
    T.fails("syntax", "'5.x.1'", smtpcodes.reason({ code = 550, enhanced = "5.x.1" }))
    T.raises("bad argument #2 (opts) to 'reason'", smtpcodes.reason, { code = 550 },
             { command = "FOO" })
    T.raises("bad argument #1 (reply) to 'reason'", smtpcodes.reason, 550)
    T.raises("field 'text'", smtpcodes.reason, { code = 550, text = 5 })
    T.raises("bad argument #2 (opts) to 'parse_reply'", smtpcodes.parse_reply, wire,
             { host = 5 })
    T.raises("bad argument #2 (opts) to 'classify'", smtpcodes.classify, wire, { host = true })
end)

T.test("providers: render_providers in every format", function()
    for _, fmt in ipairs({ "text", "markdown", "html", "json" }) do
        local listing = assert(smtpcodes.render_providers(nil, fmt))
        for _, p in ipairs(smtpcodes.providers()) do
            T.find(listing, p.slug, fmt .. " listing names " .. p.slug)
            local page = assert(smtpcodes.render_providers(p.slug, fmt))
            T.find(page, p.slug, fmt .. " page of " .. p.slug)
        end
    end
    local page = T.json_decode(assert(smtpcodes.render_providers("microsoft", "json")))
    T.eq(page.slug, "microsoft", "slug")
    T.ok(#page.entries > 10, "Microsoft's codes")
    T.eq(assert(smtpcodes.render_providers()), assert(smtpcodes.render_providers(nil, "text")),
         "text by default")
    T.fails("provider", "unknown provider 'nosuch'", smtpcodes.render_providers("nosuch"))
    T.raises("bad argument #2 (format) to 'render_providers'", smtpcodes.render_providers,
             nil, "pdf")
end)

T.test("providers: a loaded database brings its own", function()
    local db = assert(smtpcodes.load(T.vectors_dir .. "/data/valid/provider.txt"))
    T.eq(db:provider_of("mx.mail.provider.example").slug, "testprov", "its provider")
    T.eq(smtpcodes.provider_of("mx.mail.provider.example"), nil, "not the default database's")
    T.eq(db:meaning("5.7.949", { host = "mx.mail.provider.example" }).code, "5.7.900-949",
         "its range")
    T.eq(db:reason({ code = 550, enhanced = "5.7.901" }, { provider = "testprov" }).reason,
         "blocked", "its entry's reason")
    T.eq(#db:providers(), #smtpcodes.providers() + 1, "the built-in ones too")
    T.fails("provider", "unknown provider", smtpcodes.meaning("5.7.901",
                                                              { provider = "testprov" }))
end)
