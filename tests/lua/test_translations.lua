-- Translations through the Lua API: text, completeness, direction, catalog, the compare page's
-- texts and lang marks, and load with catalogs (docs/translation.md). What is complete and what
-- falls back is asked of the core, never listed here: every language of the built-in database is
-- complete, and Dutch, which tests/vectors/data/valid/language.txt adds with its six section
-- labels only, is the example of a language that falls back to English.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local format = string.format

local TEXTS = { "name", "aliases", "description", "when", "fix", "note" }
-- Every language of the built-in database but English, the source.
local COMPLETE = {}
for _, tag in ipairs(smtpcodes.languages()) do
    if tag ~= "en" then
        COMPLETE[#COMPLETE + 1] = tag
    end
end
-- Adds the language "nl" with its six section labels and nothing else: the rest falls back.
local LABELS_ONLY = T.vectors_dir .. "/data/valid/language.txt"

-- The built-in database with the Dutch of language.txt laid over it.
local function dutch()
    local db = assert(smtpcodes.load(LABELS_ONLY))
    local found = false
    for _, tag in ipairs(db:languages()) do
        found = found or tag == "nl"
    end
    T.ok(found, "language.txt adds nl")
    T.fails("lang", "nl", smtpcodes.completeness("nl"))
    return db
end

-- The English of text `which` of an entry, as the core keeps it (aliases joined with "; ").
local function english(entry, which)
    local value = entry[which]
    if type(value) == "table" then
        return table.concat(value, "; ")
    end
    return value or ""
end

-- `s` with its one occurrence of `old` replaced by `new`, and the line `old` starts on.
local function replace_once(s, old, new)
    local at = s:find(old, 1, true)
    assert(at, "not in the catalog: " .. old)
    assert(not s:find(old, at + 1, true), "twice in the catalog: " .. old)
    local _, newlines = s:sub(1, at):gsub("\n", "")
    return s:sub(1, at - 1) .. new .. s:sub(at + #old), newlines + 1
end

-- Loads `data` as a catalog over the built-in database: the results of load.
local function load_catalog_text(data)
    local path = T.write_temp(data)
    local db, message, status = smtpcodes.load(nil, { catalogs = { path } })
    os.remove(path)
    return path, db, message, status
end

T.test("translations: complete languages say every text of every entry in their own words",
       function()
    for _, lang in ipairs(COMPLETE) do
        for _, entry in ipairs(smtpcodes.codes()) do
            for _, which in ipairs(TEXTS) do
                local text, translated = smtpcodes.text(entry.code, which, lang)
                T.eq(type(text), "string", format("%s %s in %s", entry.code, which, lang))
                T.eq(translated, true, format("%s %s in %s is translated", entry.code, which,
                                              lang))
                T.eq(text == "", english(entry, which) == "",
                     format("%s %s in %s: empty where the English is", entry.code, which, lang))
            end
        end
    end
    local e = smtpcodes.lookup(421)
    T.eq(smtpcodes.text(421, "name", "vi"), "Dịch vụ không khả dụng", "421 in Vietnamese")
    for _, which in ipairs({ "name", "description", "when", "fix" }) do
        T.ok(smtpcodes.text(421, which, "vi") ~= e[which], "vi " .. which .. " is not English")
        T.ok(smtpcodes.text(421, which, "ko") ~= e[which], "ko " .. which .. " is not English")
    end
    T.find(smtpcodes.text("5.7.1", "description", "ko"), "정책", "5.7.1 in Korean")
    -- An enhanced code as written, the X form and its entry table give the same text.
    T.eq(smtpcodes.text("4.7.1", "fix", "ko"), smtpcodes.text("X.7.1", "fix", "ko"), "4.7.1")
    T.eq(smtpcodes.text(smtpcodes.lookup("5.7.1"), "fix", "ko"),
         smtpcodes.text("X.7.1", "fix", "ko"), "an entry")
    -- Tags resolve as compare resolves them.
    T.eq(smtpcodes.text(421, "name", "VI_vn"), smtpcodes.text(421, "name", "vi"), "VI_vn")
end)

T.test("translations: English is the entries' own text, and always translated", function()
    for _, entry in ipairs(smtpcodes.codes()) do
        for _, which in ipairs(TEXTS) do
            local text, translated = smtpcodes.text(entry.code, which)
            T.eq(text, english(entry, which), format("%s %s", entry.code, which))
            T.eq(translated, true, format("%s %s", entry.code, which))
            T.eq(smtpcodes.text(entry.code, which, "en"), text, "nil is en")
        end
    end
end)

T.test("translations: French and German say the texts and labels in their own words", function()
    local e = smtpcodes.lookup(421)
    T.eq(smtpcodes.text(421, "name", "fr"), "Service non disponible", "421 in French")
    T.eq(smtpcodes.text(421, "description", "fr"), "Le serveur ne peut pas servir le client "
         .. "pour le moment et ferme le canal de transmission.", "421's description in French")
    for _, lang in ipairs({ "fr", "de" }) do
        for _, which in ipairs({ "name", "description", "when", "fix" }) do
            local text, translated = smtpcodes.text(421, which, lang)
            T.ok(text ~= e[which], lang .. " " .. which .. " is not the English")
            T.eq(translated, true, lang .. " " .. which .. " translated")
        end
    end
    T.same(assert(smtpcodes.compare(504, 421, "fr")).labels,
           { description = "Description", when = "Quand ce code apparaît",
             fix = "Comment corriger", differences = "Principales différences",
             usage = "Lequel choisir", learn_more = "Pour en savoir plus" }, "French labels")
    T.same(assert(smtpcodes.compare(504, 421, "de")).labels,
           { description = "Beschreibung", when = "Wann dieser Code auftritt",
             fix = "So beheben Sie das Problem", differences = "Die wichtigsten Unterschiede",
             usage = "Welcher Code wann passt", learn_more = "Weitere Informationen" },
           "German labels")
end)

T.test("translations: a language with its labels only falls back to English and says so",
       function()
    local db = dutch()
    local e = db:lookup(421)
    for _, which in ipairs({ "name", "description", "when", "fix" }) do
        local text, translated = db:text(421, which, "nl")
        T.eq(text, e[which], "Dutch " .. which .. " is the English")
        T.eq(translated, false, "Dutch " .. which .. " fell back")
    end
    local empty, translated = db:text(421, "note", "nl")
    T.eq(empty, "", "421 has no note")
    T.eq(translated, true, "an empty text counts as translated")
    T.eq(db:text(421, "name", "fr"), "Service non disponible", "French is still French")
end)

T.test("translations: the compare page's texts and its marks of what fell back", function()
    for _, lang in ipairs(COMPLETE) do
        local page = assert(smtpcodes.compare(421, "5.7.1", lang))
        T.same(page.lang, {}, lang .. ": nothing fell back")
        local en = assert(smtpcodes.compare(421, "5.7.1", "en"))
        T.ok(page.title ~= en.title and page.intro ~= en.intro, lang .. " differs from English")
        for side, code in ipairs(page.codes) do
            for _, which in ipairs(TEXTS) do
                T.eq(page.texts[side][which], (smtpcodes.text(code, which, lang)),
                     format("%s texts[%d].%s", lang, side, which))
            end
        end
    end
    local db = dutch()
    local nl = assert(db:compare(504, 421, "nl"))
    local en = assert(smtpcodes.compare(504, 421))
    T.same(en.lang, {}, "English marks nothing")
    T.eq(nl.labels.description, "Beschrijving", "Dutch has its labels")
    T.eq(nl.lang["/title"], "en", "Dutch marks the title")
    T.eq(nl.lang["/intro"], "en", "and the intro")
    T.eq(nl.lang["/labels/description"], nil, "but not the labels, which Dutch has")
    T.same(nl.lang, T.json_decode(nl.json).lang, "the marks of the JSON rendering")
    for pointer, tag in pairs(nl.lang) do
        T.eq(tag, "en", pointer)
        T.match(pointer, "^/[%w_/]+$", "a JSON Pointer")
        T.ok(not pointer:find("^/labels/"), pointer .. ": no label fell back")
    end
    for side, code in ipairs(nl.codes) do
        for _, which in ipairs(TEXTS) do
            local text, translated = db:text(code, which, "nl")
            local pointer = format("/codes/%d/%s", side - 1, which)
            T.eq(nl.texts[side][which], text, pointer)
            T.eq(nl.lang[pointer] ~= nil, not translated, pointer .. " marked when it fell back")
        end
    end
    T.eq(nl.texts[1].name, smtpcodes.lookup(421).name, "the Dutch page's 421 is in English")
    T.eq(nl.lang["/codes/0/name"], "en", "and marked")
end)

T.test("translations: completeness and direction", function()
    for _, lang in ipairs(COMPLETE) do
        local translated, total = assert(smtpcodes.completeness(lang))
        T.integer(translated, lang .. " translated")
        T.ok(total > 0, lang .. " total")
        T.eq(translated, total, lang .. " is complete")
    end
    local translated, total = assert(smtpcodes.completeness("en"))
    T.eq(translated, total, "English, the source, is complete")
    T.eq(#COMPLETE, 14, "every language but English")
    T.eq(select(2, smtpcodes.completeness("vi")), total, "one total for every language")
    -- A language added with its six labels says those and nothing else in its own words; it
    -- adds no text to translate, and takes nothing from the other languages.
    local db = dutch()
    T.same({ db:completeness("nl") }, { 6, total }, "Dutch: its labels only")
    for _, lang in ipairs(COMPLETE) do
        T.same({ db:completeness(lang) }, { total, total }, lang .. " over the data file")
    end
    T.fails("lang", "xx", smtpcodes.completeness("xx"))
    T.eq(smtpcodes.direction("ar"), "rtl", "Arabic")
    T.eq(smtpcodes.direction("ar-EG"), "rtl", "Arabic of Egypt")
    for _, lang in ipairs({ "en", "vi", "th", "zh-hans" }) do
        T.eq(smtpcodes.direction(lang), "ltr", lang)
    end
    T.eq(smtpcodes.direction("xx"), "ltr", "a language the database lacks")
end)

T.test("translations: a catalog reads back into the texts it was written from", function()
    local po = assert(smtpcodes.catalog("vi"))
    T.find(po, '"Language: vi\\n"', "the header names the language")
    T.find(po, 'msgctxt "421 name"\nmsgid "Service Not Available"\n'
               .. 'msgstr "Dịch vụ không khả dụng"\n', "421's name")
    local path, db, message, status = load_catalog_text(po)
    T.ok(db, "loaded: " .. tostring(message) .. " " .. tostring(status))
    T.find(tostring(db), path, "the database names its catalog")
    T.eq(select(1, db:completeness("vi")), (smtpcodes.completeness("vi")), "as complete")
    for _, entry in ipairs(smtpcodes.codes()) do
        for _, which in ipairs(TEXTS) do
            local text, translated = smtpcodes.text(entry.code, which, "vi")
            local again, again_translated = db:text(entry.code, which, "vi")
            T.eq(again, text, format("%s %s", entry.code, which))
            T.eq(again_translated, translated, format("%s %s translated", entry.code, which))
        end
    end
    T.eq(db:compare(421, 504, "vi").text, smtpcodes.compare(421, 504, "vi").text, "the page")
    -- The template: every text with its context and English, nothing translated.
    local pot = assert(smtpcodes.catalog())
    T.find(pot, '"Language: \\n"', "the template names no language")
    T.find(pot, 'msgctxt "421 name"\nmsgid "Service Not Available"\nmsgstr ""\n', "421's name")
    T.ok(not pot:find('msgstr "[^"]', 1), "every msgstr of the template is empty")
    T.fails("lang", "xx", smtpcodes.catalog("xx"))
end)

T.test("translations: a stale translation falls back to the English of the data file", function()
    -- override-421.txt keeps 421's name and rewrites its description, when and fix: the
    -- built-in translations of those were made for other English.
    local data = T.vectors_dir .. "/data/valid/override-421.txt"
    local po_path = T.write_temp(assert(smtpcodes.catalog("vi")))
    for _, db in ipairs({ assert(smtpcodes.load(data)),
                          assert(smtpcodes.load(data, { catalogs = { po_path } })) }) do
        local entry = db:lookup(421)
        T.eq(entry.description, "The site's gateway is shedding load and closes the channel.",
             "the data file's English")
        for _, which in ipairs({ "description", "when", "fix" }) do
            local text, translated = db:text(421, which, "vi")
            T.eq(text, entry[which], which .. ": stale, so English")
            T.eq(translated, false, which .. ": fell back")
        end
        local name, translated = db:text(421, "name", "vi")
        T.eq(name, "Dịch vụ không khả dụng", "the name did not change: still Vietnamese")
        T.eq(translated, true, "name translated")
        local page = assert(db:compare(421, 504, "vi"))
        T.eq(page.lang["/codes/0/description"], "en", "the page marks the stale text")
        T.eq(page.lang["/codes/0/name"], nil, "and not the name")
        T.eq(page.lang["/codes/1/description"], nil, "nor 504's texts")
    end
    os.remove(po_path)
end)

T.test("translations: a bad catalog is refused with its file, line and column", function()
    local po = assert(smtpcodes.catalog("vi"))
    -- The header is the message msgid "": a fault in it is on the line of its msgstr.
    local _, header_line = replace_once(po, 'msgid ""\nmsgstr ""\n"Project-Id-Version',
                                        'msgid ""\nmsgstr ""\n"Project-Id-Version')
    header_line = header_line + 1
    local cases = {
        { "syntax", 'msgctxt "421 name"', 'msgctxt 421 name"', "expected a string" },
        { "an unknown msgctxt", 'msgctxt "421 name"', 'msgctxt "999 name"',
          'msgctxt "999 name" names no text of the database' },
        { "a template with a wrong placeholder",
          'msgstr "SMTP {a} {a_name} so với {b} {b_name}"',
          'msgstr "SMTP {a} {a_nam} so với {b} {b_name}"', "{a_nam}" },
        { "a language the database lacks", '"Language: vi\\n"', '"Language: xx\\n"', "'xx'",
          header_line },
    }
    for _, case in ipairs(cases) do
        local what, old, new, part = case[1], case[2], case[3], case[4]
        local bad, line = replace_once(po, old, new)
        local path, db, message, status = load_catalog_text(bad)
        T.fails("data", part, db, message, status)
        local at_line, column = message:match("^" .. path:gsub("%p", "%%%0") .. ":(%d+):(%d+): ")
        T.ok(at_line, what .. ": file:line:column: " .. message)
        T.eq(tonumber(at_line), case[5] or line, what .. ": line")
        T.ok(tonumber(column) >= 1, what .. ": column")
        -- over a data file too, and nothing is loaded either way
        local po_path = T.write_temp(bad)
        T.fails("data", po_path .. ":" .. at_line .. ":",
                smtpcodes.load(T.vectors_dir .. "/data/valid/override-421.txt",
                               { catalogs = { po_path } }))
        os.remove(po_path)
    end
    T.fails("io", "/nonexistent/vi.po",
            smtpcodes.load(nil, { catalogs = { "/nonexistent/vi.po" } }))
end)

T.test("translations: misused arguments raise, naming them", function()
    T.raises("bad argument #2 (which) to 'text' ('name', 'aliases', 'description', 'when', "
             .. "'fix', 'note' expected, got 'title')", smtpcodes.text, 421, "title")
    T.raises("bad argument #2 (which) to 'text'", smtpcodes.text, 421, nil)
    T.raises("bad argument #3 (lang) to 'text' (string or nil expected, got number)",
             smtpcodes.text, 421, "name", 7)
    T.raises("bad argument #1 (code) to 'text'", smtpcodes.text, 421.5, "name")
    T.fails("notfound", "299", smtpcodes.text(299, "name"))
    T.fails("syntax", "42", smtpcodes.text(42, "name"))
    T.fails("lang", "xx", smtpcodes.text(421, "name", "xx"))
    T.raises("bad argument #1 (lang) to 'completeness' (string or nil expected, got table)",
             smtpcodes.completeness, {})
    T.raises("bad argument #1 (lang) to 'direction'", smtpcodes.direction, 1)
    T.raises("bad argument #1 (lang) to 'catalog'", smtpcodes.catalog, true)
    T.raises("bad argument #2 (opts) to 'load' (unknown option 'catalog')",
             smtpcodes.load, nil, { catalog = {} })
    T.raises("bad argument #2 (opts) to 'load' (option 'catalogs': table expected, got string)",
             smtpcodes.load, nil, { catalogs = "vi.po" })
    T.raises("bad argument #2 (opts) to 'load' (option 'catalogs': item 1: string without NUL",
             smtpcodes.load, nil, { catalogs = { "vi\0.po" } })
    T.raises("bad argument #1 (path) to 'load' (string expected with mode \"alone\", got nil)",
             smtpcodes.load, nil, { mode = "alone" })
    T.raises("bad argument #1 (path) to 'load' (string expected, got nil)", smtpcodes.load)
end)
