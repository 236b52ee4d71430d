-- The facade's API on good input: entries, lists, comparisons, renderings, loaded databases.
-- Facts are not written here: they are read from the core (its JSON renderings) or from the
-- data files in tests/vectors.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local function sorted_keys(t)
    local keys = {}
    for k in pairs(t) do
        keys[#keys + 1] = k
    end
    table.sort(keys)
    return keys
end

-- The JSON fields as the Lua entry writes them: a basic code as an integer, nil for "" and
-- null, references by their text (the entry's documented form).
local function from_json(j)
    local function nonempty(s)
        if s ~= "" and s ~= T.null then
            return s
        end
        return nil
    end
    local classes = {}
    for i, c in ipairs(j.classes) do
        classes[i] = tonumber(c)
    end
    local references = {}
    for i, r in ipairs(j.references) do
        T.eq(type(r.text), "string", "references[" .. i .. "].text in the JSON")
        T.eq(type(r.url), "string", "references[" .. i .. "].url in the JSON")
        references[i] = r.text
    end
    return {
        code = j.kind == "basic" and tonumber(j.code) or j.code,
        kind = j.kind,
        class = j.class,
        class_name = nonempty(j.class_name),
        classes = classes,
        category = j.category,
        category_name = nonempty(j.category_name),
        detail = j.detail,
        conforming = j.conforming,
        name = j.name,
        slug = j.slug,
        origin = j.origin,
        description = j.description,
        when = j.when,
        fix = j.fix,
        references = references,
        retry = j.retry,
        connection = nonempty(j.connection),
        commands = j.commands,
        enhanced = j.enhanced,
        sample = nonempty(j.sample),
        associated = nonempty(j.associated),
        see = nonempty(j.see),
        note = nonempty(j.note),
    }
end

T.test("api: _VERSION is the core's version", function()
    T.match(smtpcodes._VERSION, "^%d+%.%d+%.%d+$", "_VERSION")
    T.eq(smtpcodes._VERSION, require("smtpcodes_core").version(), "_VERSION")
    local expected = os.getenv("SMTPCODES_TEST_VERSION")
    T.ok(expected, "SMTPCODES_TEST_VERSION (the CMake project version) is set")
    T.eq(smtpcodes._VERSION, expected, "_VERSION against the build's project version")
end)

T.test("api: every entry agrees with the core's JSON rendering of it", function()
    local entries = smtpcodes.codes()
    for _, entry in ipairs(entries) do
        local j = T.json_decode(assert(smtpcodes.explain(entry.code, nil, "json")))
        local expected = from_json(j)
        local actual = {}
        for k in pairs(expected) do
            actual[k] = entry[k]
        end
        T.same(actual, expected, "entry " .. tostring(entry.code))
    end
end)

T.test("api: entries have exactly the documented fields, with integers as integers", function()
    local fields = { "aliases", "associated", "category", "category_name", "class",
                     "class_name", "classes", "code", "commands", "conforming", "connection",
                     "description", "detail", "enhanced", "exceptions", "fix", "kind", "name",
                     "note", "origin", "references", "retry", "sample", "see", "slug", "when" }
    local known = {}
    for _, f in ipairs(fields) do
        known[f] = true
    end
    for _, entry in ipairs(smtpcodes.codes()) do
        local what = "entry " .. tostring(entry.code)
        -- to_table: LuaJIT's pairs does not call __pairs.
        for k in pairs(smtpcodes.to_table(entry)) do
            T.ok(known[k], what .. " has no field " .. tostring(k))
        end
        T.integer(entry.class, what .. ".class")
        T.integer(entry.category, what .. ".category")
        T.integer(entry.detail, what .. ".detail")
        for i, c in ipairs(entry.classes) do
            T.integer(c, what .. ".classes[" .. i .. "]")
        end
        T.eq(type(entry.conforming), "boolean", what .. ".conforming")
        if entry.kind == "basic" then
            T.integer(entry.code, what .. ".code")
            T.eq(entry.code, entry.class * 100 + entry.category * 10 + entry.detail, what)
            T.same(entry.classes, { entry.class }, what .. ".classes")
        else
            T.eq(type(entry.code), "string", what .. ".code")
            T.eq(entry.code, ("X.%d.%d"):format(entry.category, entry.detail), what)
            T.eq(entry.class, 0, what .. ".class")
        end
    end
    local e = smtpcodes.lookup(421)
    T.integer(e.code, "lookup(421).code")
    T.eq(e.code, 421, "lookup(421).code")
    if T.has_integers then
        T.eq(math.type(e.code), "integer", "math.type(lookup(421).code)")
    end
end)

T.test("api: lookup accepts integers and every written form of a code", function()
    local e = assert(smtpcodes.lookup(421))
    T.eq(smtpcodes.lookup("421"), e, "lookup(\"421\") is the same table")
    T.eq(smtpcodes.lookup(" 421\t"), e, "lookup with blanks around")
    T.eq(smtpcodes.lookup(421.0), e, "lookup(421.0)")
    local x71 = assert(smtpcodes.lookup("X.7.1"))
    T.eq(x71.code, "X.7.1", "X.7.1")
    T.eq(smtpcodes.lookup("x.7.1"), x71, "lookup(x.7.1)")
    -- An enhanced code keeps the class it is written with: the same entry, as written.
    local c571 = assert(smtpcodes.lookup("5.7.1"))
    T.eq(smtpcodes.lookup(" 5.7.1 "), c571, "lookup( 5.7.1 )")
    local c471 = assert(smtpcodes.lookup("4.7.1"))
    for _, e in ipairs({ c571, c471 }) do
        T.eq(e.code, "X.7.1", "the entry of " .. e.class)
        T.eq(e.name, x71.name, "the name of " .. e.class)
    end
    T.eq(x71.class, 0, "X.7.1 class")
    T.eq(c571.class, 5, "5.7.1 class")
    T.eq(c471.class, 4, "4.7.1 class")
    T.eq(c471.retry, "later", "4.7.1 is retried later")
    T.eq(smtpcodes.lookup("4.3.2").retry, "later", "4.3.2 is retried later")
    T.eq(c571.retry, x71.retry, "5.7.1 retries as its entry says")
    T.eq(c471.class_name, "Persistent Transient Failure", "4.7.1 class_name (RFC 3463)")
    T.eq(smtpcodes.lookup(421).class_name, "Transient Negative", "421 class_name (RFC 5321)")
    T.eq(x71.class_name, nil, "X.7.1 has no class")
    T.eq(c471.category_name, "Security or Policy Status", "4.7.1 category_name")
    T.eq(smtpcodes.lookup(421).category_name, "Connections", "421 category_name")
    T.eq(smtpcodes.lookup("550\n"), smtpcodes.lookup(550), "a line read from a file")
end)

T.test("api: entries are built once and shared", function()
    local first = smtpcodes.codes()
    local second = smtpcodes.codes()
    T.ok(first ~= second, "codes() returns a new list each time")
    for i = 1, #first do
        T.eq(second[i], first[i], "entry " .. i)
    end
    first[1] = nil
    T.ok(smtpcodes.codes()[1] ~= nil, "changing a returned list does not change the next")
    local cmp = assert(smtpcodes.compare(421, "5.7.1"))
    T.eq(cmp.entries[1], smtpcodes.lookup(421), "compare's entry is the lookup's table")
    T.eq(cmp.entries[2], smtpcodes.lookup("5.7.1"), "compare's entry is the lookup's table")
end)

T.test("api: codes() is in code order and codes(class) filters by class", function()
    local all = smtpcodes.codes()
    local records = 0
    -- a standard entry's code is a reply code or an X.S.D; a provider's has its class digit
    local data = "\n" .. T.read_file(T.source_dir .. "/core/data/smtpcodes.txt")
    for _ in data:gmatch("\nCode: %d%d%d\n") do
        records = records + 1
    end
    for _ in data:gmatch("\nCode: X%.") do
        records = records + 1
    end
    T.eq(#all, records, "#codes(): one entry per standard record of the built-in data")
    local function key(e)
        return (e.kind == "basic" and 0 or 1) * 1e7 + e.class * 1e6 + e.category * 1e3 + e.detail
    end
    for i = 2, #all do
        T.ok(key(all[i - 1]) < key(all[i]),
             ("%s before %s"):format(tostring(all[i - 1].code), tostring(all[i].code)))
    end
    local seen = {}
    for class = 2, 5 do
        local list = smtpcodes.codes(class)
        T.ok(#list > 0, "codes(" .. class .. ") is not empty")
        local position = 0
        for _, entry in ipairs(list) do
            local member = false
            for _, c in ipairs(entry.classes) do
                member = member or c == class
            end
            T.ok(member, ("%s is of class %d"):format(tostring(entry.code), class))
            -- Same order as codes().
            local found
            for i = position + 1, #all do
                if all[i] == entry then
                    found = i
                    break
                end
            end
            T.ok(found, tostring(entry.code) .. " in order")
            position = found
            seen[entry] = true
        end
    end
    for _, entry in ipairs(all) do
        T.ok(seen[entry], tostring(entry.code) .. " is in some class")
    end
end)

T.test("api: closest falls back from detail to subject to class (RFC 3463 section 2)", function()
    local e, exact = smtpcodes.closest("5.7.1")
    T.eq(e, smtpcodes.lookup("5.7.1"), "closest(5.7.1)")
    T.eq(exact, true, "exact")
    e, exact = smtpcodes.closest(421)
    T.eq(e, smtpcodes.lookup(421), "closest(421)")
    T.eq(exact, true, "exact")
    e, exact = smtpcodes.closest("5.7.650")
    T.eq(e, smtpcodes.lookup("5.7.0"), "closest(5.7.650): X.7.0 as written")
    T.eq(exact, false, "exact")
    e, exact = smtpcodes.closest("4.9.9")
    T.eq(e, smtpcodes.lookup("4.0.0"), "closest(4.9.9): X.0.0 as written")
    T.eq(exact, false, "exact")
end)

T.test("api: parse_code takes a code apart as written", function()
    T.same(smtpcodes.parse_code(" 5.7.1 "), { code = "5.7.1", kind = "enhanced", class = 5,
                                              category = 7, detail = 1, conforming = true },
           "parse_code(5.7.1)")
    T.same(smtpcodes.parse_code("x.1.10"), { code = "X.1.10", kind = "enhanced", class = 0,
                                             category = 1, detail = 10, conforming = true },
           "parse_code(x.1.10)")
    local p = smtpcodes.parse_code(571)
    T.same(p, { code = 571, kind = "basic", class = 5, category = 7, detail = 1,
                conforming = false }, "parse_code(571)")
    T.integer(p.code, "parse_code(571).code")
    -- Parsing does not look up: a code the database lacks still parses.
    T.eq(smtpcodes.parse_code(299).code, 299, "parse_code(299)")
end)

T.test("api: compare gives the page's sections, lower code first", function()
    local page = assert(smtpcodes.compare(504, 421))
    T.eq(page.language, "en", "language")
    T.same(page.lang, {}, "lang: an English page marks nothing as fallen back")
    T.same(page.codes, { "421", "504" }, "codes")
    T.eq(page.entries[1], smtpcodes.lookup(421), "entries[1]")
    T.eq(page.entries[2], smtpcodes.lookup(504), "entries[2]")
    T.same(sorted_keys(page.labels),
           { "description", "differences", "fix", "learn_more", "usage", "when" }, "labels")
    T.ok(#page.differences > 0, "differences")
    for i, d in ipairs(page.differences) do
        T.eq(type(d.kind), "string", "differences[" .. i .. "].kind")
        T.eq(type(d.text), "string", "differences[" .. i .. "].text")
    end
    T.ok(#page.learn_more > 0, "learn_more")
    for i, r in ipairs(page.learn_more) do
        T.eq(type(r.text), "string", "learn_more[" .. i .. "].text")
        T.match(r.url, "^https://", "learn_more[" .. i .. "].url")
    end
    -- The table says what the JSON rendering says.
    local j = T.json_decode(page.json)
    for _, field in ipairs({ "language", "lang", "title", "intro", "usage", "labels", "differences",
                             "learn_more" }) do
        T.same(page[field], j[field], field .. " against the JSON rendering")
    end
    T.same(page.codes, { j.codes[1].code, j.codes[2].code }, "codes against the JSON rendering")
    -- The other renderings.
    T.eq(page.text:sub(1, #page.title + 1), page.title .. "\n", "text starts with the title")
    T.find(page.text, page.intro, "text")
    T.find(page.markdown, "# " .. page.title, "markdown")
    T.match(page.html, "^<article", "html")
    T.find(page.html, page.labels.learn_more, "html")
    T.eq(smtpcodes.compare(421, 504).text, page.text, "the order of the arguments")
end)

T.test("api: compare resolves the language and labels the sections in it", function()
    local en = assert(smtpcodes.compare(421, 504, "en"))
    local th = assert(smtpcodes.compare(504, 421, "th"))
    T.eq(th.language, "th", "language")
    T.ok(th.labels.description ~= en.labels.description, "Thai labels differ from English")
    T.find(th.text, th.labels.differences, "text carries the Thai label")
    T.ok(th.intro ~= en.intro and th.intro:find("421", 1, true), "Thai says the intro itself")
    T.ok(th.intro:find("\u{E40}", 1, true) or th.intro:find("\u{E23}", 1, true), "in Thai")
    T.same(th.lang, {}, "Thai says everything: nothing fell back to English")
    local fr = assert(smtpcodes.compare(421, 504, "fr"))
    T.eq(fr.language, "fr", "French")
    T.eq(fr.labels.when, "Quand ce code apparaît", "French labels")
    T.match(fr.intro, "^Le code SMTP 421 %(Service non disponible%) relève de la classe 4xx",
            "French says the intro itself")
    T.same(fr.lang, {}, "French says everything too")
    -- language.txt adds Dutch with its labels only: the rest falls back to English, marked.
    local db = assert(smtpcodes.load(T.vectors_dir .. "/data/valid/language.txt"))
    local nl = assert(db:compare(421, 504, "nl"))
    T.eq(nl.labels.description, "Beschrijving", "Dutch labels")
    T.find(nl.text, nl.labels.differences, "text carries the Dutch label")
    T.eq(nl.intro, en.intro, "Dutch, which has only its labels, falls back")
    T.eq(nl.lang["/intro"], "en", "and marks what fell back")
    T.eq(assert(smtpcodes.compare(421, 504, "zh")).language, "zh-hans", "zh")
    T.eq(assert(smtpcodes.compare(421, 504, "pt_BR")).language, "pt", "pt_BR")
    T.eq(assert(smtpcodes.compare(421, 504, nil)).language, "en", "nil")
end)

T.test("api: compare keeps an enhanced code as written", function()
    local page = assert(smtpcodes.compare("5.2.2", 552, "tr"))
    T.same(page.codes, { "552", "5.2.2" }, "codes")
    T.eq(page.entries[2], smtpcodes.lookup("5.2.2"), "entries[2]")
    T.eq(page.entries[2].class, 5, "entries[2] as written")
end)

T.test("api: explain renders one code in each format and language", function()
    local text = assert(smtpcodes.explain(421))
    T.eq(assert(smtpcodes.explain("421", "en", "text")), text, "explain defaults")
    T.find(text, smtpcodes.lookup(421).description, "text")
    T.find(assert(smtpcodes.explain(421, nil, "markdown")), "# ", "markdown")
    T.eq(assert(smtpcodes.explain(421, nil, "md")), smtpcodes.explain(421, nil, "markdown"), "md")
    T.match(assert(smtpcodes.explain(421, nil, "HTML")), "^<article", "html")
    local j = T.json_decode(assert(smtpcodes.explain("5.7.1", "vi", "json")))
    T.eq(j.code, "5.7.1", "json code: the code as written")
    T.eq(j.entry, "X.7.1", "json entry")
    T.eq(j.language, "vi", "json language: the tag")
    T.same(j.lang, {}, "json lang: Vietnamese says everything, nothing fell back")
end)

T.test("api: languages lists the label languages", function()
    local tags = smtpcodes.languages()
    T.eq(#tags, 15, "#languages()")
    local present = {}
    for _, tag in ipairs(tags) do
        present[tag] = true
        T.eq(assert(smtpcodes.compare(421, 504, tag)).language, tag, "compare in " .. tag)
    end
    T.ok(present.en and present["zh-hans"], "en and zh-hans")
    tags[1] = nil
    T.eq(#smtpcodes.languages(), 15, "a new list each time")
end)

-- The Code records of a data file, with their Name and Description.
local function records(path)
    local list = {}
    for record in (T.read_file(path) .. "\n\n"):gmatch("(.-)\n\n+") do
        local code = record:match("^Code: ([^\n]+)") or record:match("\nCode: ([^\n]+)")
        if code then
            list[#list + 1] = { code = code, name = record:match("\nName: ([^\n]+)"),
                                description = record:match("\nDescription: ([^\n]+)") }
        end
    end
    return list
end

T.test("api: load lays a data file over the built-in database", function()
    local path = T.vectors_dir .. "/data/valid/override-421.txt"
    local db = assert(smtpcodes.load(path))
    T.eq(tostring(db), "smtpcodes database: " .. path, "tostring")
    local overridden = 0
    for _, r in ipairs(records(path)) do
        local e = assert(db:lookup(r.code))
        T.eq(e.name, r.name, r.code .. " name")
        T.eq(e.description, r.description, r.code .. " description")
        if smtpcodes.lookup(r.code) then
            T.ok(smtpcodes.lookup(r.code).description ~= r.description,
                 "the module's own database is unchanged")
            overridden = overridden + 1
        end
    end
    T.ok(overridden > 0, "the file overrides a built-in code")
    T.eq(#db:codes(), #smtpcodes.codes() + #records(path) - overridden, "#db:codes()")
    -- The same functions, as methods.
    T.eq(db:closest(421), db:lookup(421), "db:closest")
    local page = assert(db:compare(421, 504, "fr"))
    T.eq(page.entries[1], db:lookup(421), "db:compare uses the loaded entries")
    T.find(assert(db:explain(421, nil, "text")), db:lookup(421).description, "db:explain")
    T.same(db:languages(), smtpcodes.languages(), "db:languages")
    T.ok(#db:codes(4) > 0, "db:codes(4)")
end)

T.test("api: load(path, \"alone\") gives the file alone", function()
    -- A file that can stand alone needs the "en" labels: take them from the built-in data.
    local builtin = T.read_file(T.source_dir .. "/core/data/smtpcodes.txt")
    local en = ("\n" .. builtin .. "\n\n"):match("\n(Language: en\n.-)\n\n")
    T.ok(en, "the en Language record of core/data/smtpcodes.txt")
    local codes_file = T.vectors_dir .. "/data/valid/override-421.txt"
    local path = T.write_temp(T.read_file(codes_file) .. "\n" .. en .. "\n")
    local db = smtpcodes.load(path, "alone")
    os.remove(path)
    T.ok(db, "load alone")
    local expected = {}
    for _, r in ipairs(records(codes_file)) do
        expected[#expected + 1] = tonumber(r.code)
    end
    table.sort(expected)
    local actual = {}
    for i, e in ipairs(db:codes()) do
        actual[i] = e.code
    end
    T.same(actual, expected, "the codes of the file, in code order")
    T.same(db:languages(), { "en" }, "languages")
    T.fails("notfound", "unknown code 250", db:lookup(250))
    T.ok(db:compare(expected[1], expected[2]), "compare within the file")
    -- The file lacks what the overlay would take from the built-in database.
    T.ok(#assert(smtpcodes.load(codes_file)):codes() > #expected, "the overlay has more")
end)

T.test("api: results are read-only: assigning raises and changes nothing", function()
    local e = smtpcodes.lookup(550)
    local name = e.name
    T.raises("read-only", function() smtpcodes.lookup(550).name = "X" end)
    T.raises("read-only", function() e.new_field = 1 end)
    T.eq(smtpcodes.lookup(550).name, name, "the next lookup")
    T.eq(e.new_field, nil, "no field was added")
    -- A list field is a new table on each read: changing it changes nothing else.
    local refs = e.references
    refs[1] = "changed"
    T.ok(e.references[1] ~= "changed", "the entry's references")
    T.ok(e.references ~= e.references, "a new list on each read")
    T.eq(getmetatable(e), false, "the metatable is protected")
    -- Replies and their shared parts.
    local r = assert(smtpcodes.parse_reply("550 5.1.1 x\r\n"))
    T.raises("read-only", function() r.entry.name = "X" end)
    T.raises("read-only", function() r.enhanced_entry.retry = "later" end)
    T.raises("read-only", function() r.warnings[1] = "x" end)
    T.eq(smtpcodes.parse_reply("550 5.1.1 x\r\n").entry.name, name, "the next reply's entry")
    local v = assert(smtpcodes.classify("250 ok\r\n"))
    T.raises("read-only", function() v.flags[1] = "x" end)
    T.eq(#assert(smtpcodes.classify("250 ok\r\n")).flags, 0, "the next verdict's flags")
    local page = assert(smtpcodes.compare(421, 504))
    T.raises("read-only", function() page.entries[1].name = "X" end)
    T.eq(smtpcodes.lookup(421).name, page.entries[1].name, "compare's entries")
    -- to_table gives a plain, writable copy; pairs walks the fields where __pairs works.
    local copy = smtpcodes.to_table(e)
    T.eq(getmetatable(copy), nil, "a plain table")
    T.eq(copy.name, name, "the copy's name")
    T.same(copy.references, e.references, "the copy's lists")
    copy.name = "X"
    T.eq(e.name, name, "changing the copy leaves the entry alone")
    local count = 0
    for _ in pairs(copy) do
        count = count + 1
    end
    local seen = 0
    for k, value in pairs(e) do
        seen = seen + 1
        T.same(value, copy[k] == "X" and name or copy[k], "pairs field " .. tostring(k))
    end
    T.ok(seen == count or (seen == 0 and not T.has_integers), "pairs(entry) walks every field "
         .. "(LuaJIT does not call __pairs)")
end)

T.test("api: the module's functions are the default database's methods", function()
    local db = assert(smtpcodes.load(T.vectors_dir .. "/data/valid/override-421.txt"))
    local methods = { "lookup", "closest", "codes", "compare", "explain", "languages",
                      "parse_reply", "reply_parser", "classify", "build_reply", "scan" }
    for _, name in ipairs(methods) do
        T.eq(type(smtpcodes[name]), "function", "smtpcodes." .. name)
        T.eq(type(db[name]), "function", "db:" .. name)
        T.raises("bad self to '" .. name .. "'", db[name], 421)
    end
    -- Same answers, each from its own database.
    T.eq(db:lookup(250).name, smtpcodes.lookup(250).name, "lookup")
    T.eq(db:closest("5.7.650").code, smtpcodes.closest("5.7.650").code, "closest")
    T.eq(#db:languages(), #smtpcodes.languages(), "languages")
    T.eq(db:build_reply(550, "5.7.1", "x"), smtpcodes.build_reply(550, "5.7.1", "x"), "build")
    T.eq(db:classify("552 x\r\n", "RCPT").rule, smtpcodes.classify("552 x\r\n", "RCPT").rule,
         "classify")
    T.eq(db:explain("4.7.1", nil, "md"), smtpcodes.explain("4.7.1", nil, "md"), "explain")
    T.raises("read-only", function() db.lookup = nil end)
end)

T.test("api: classify takes commands as callers write them and refuses unknown ones", function()
    T.eq(smtpcodes.classify("552 Too many recipients\r\n", "RCPT TO").rule,
         "too-many-recipients", "RCPT TO")
    T.eq(smtpcodes.classify("552 Too many recipients\r\n", "rcpt to:<a@b>").action, "retry",
         "rcpt to:<a@b>")
    local ok, message = pcall(smtpcodes.classify, "552 x\r\n", "BOGUS")
    T.eq(ok, false, "BOGUS raises")
    T.find(message, "bad argument #2 (command) to 'classify' (", "misuse")
    T.find(message, "unknown SMTP command 'BOGUS'", "the core's message")
    local v = assert(smtpcodes.classify("250 ok\r\n"))
    T.match(v.explanation, "RFC %d+ section", "explanation")
    T.eq(v.reason, nil, "a success has no reason")
    -- A failure's reason: from the text when the reply has one, else from the codes.
    T.eq(smtpcodes.classify("550 5.1.1 <a@b>: Relay access denied\r\n").reason, "norelaying",
         "the text decides first")
    T.eq(smtpcodes.classify("550 5.1.1 Go away\r\n").reason, "userunknown", "then X.1.1")
    T.eq(smtpcodes.classify({ code = 550, enhanced = "5.1.1" }).reason, "userunknown",
         "a table without text")
    T.eq(smtpcodes.classify({ code = 550 }, "MAIL FROM:<a@b>").reason, "rejected",
         "550 to MAIL")
    local reply = assert(smtpcodes.parse_reply("452 4.2.2 Mailbox full\r\n"))
    T.eq(reply.reason, "mailboxfull", "a reply's reason")
    T.eq(smtpcodes.classify(reply).reason, reply.reason, "classify of the reply agrees")
    T.eq(smtpcodes.to_table(reply).reason, "mailboxfull", "to_table copies it")
end)
