-- The JSON the Lua API renders, validated against docs/schema/smtpcodes.schema.json: explain's
-- page of every entry and of enhanced codes written with each of their classes, in every
-- language, compare's page for a sample of pairs in every language, and render_providers'
-- list and pages. The documents are piped, as JSON Lines, to tests/schema/schema.py under the
-- Python that SMTPCODES_TEST_SCHEMA_PYTHON names (tests/lua/CMakeLists.txt passes the one the
-- schema tests use, which has jsonschema); without it the test fails, saying so.

local T = require "testing"
local smtpcodes = require "smtpcodes"

local SCHEMA = T.source_dir .. "/tests/schema/schema.py"

-- Validates `documents` (JSON texts, one line each) as `definition`; `names` says what each
-- is. Returns schema.py's output and exit status.
local function validate(definition, documents, names)
    local python = os.getenv("SMTPCODES_TEST_SCHEMA_PYTHON")
    T.ok(python and python ~= "", "SMTPCODES_TEST_SCHEMA_PYTHON names a Python with "
         .. "jsonschema (tests/lua/CMakeLists.txt sets it)")
    for i, doc in ipairs(documents) do
        -- The core renders each document on one line, ending with at most a newline.
        T.ok(not doc:gsub("\n$", ""):find("\n"), names[i] .. ": one line of JSON")
    end
    local path = T.write_temp(table.concat(documents, "\n") .. "\n")
    -- The interpreter may run with sanitizer runtimes preloaded: Python does not need them.
    local command = ("env -u LD_PRELOAD %s %s --lines %s < %s 2>&1; echo \"exit:$?\"")
        :format(T.shell_quote(python), T.shell_quote(SCHEMA), definition, T.shell_quote(path))
    local pipe = assert(io.popen(command))
    local output = pipe:read("*a")
    pipe:close()
    os.remove(path)
    local text, status = output:match("^(.-)exit:(%d+)\n$")
    return text, tonumber(status)
end

-- Fails naming the documents schema.py refused ("-:LINE: ...").
local function check(definition, documents, names)
    local text, status = validate(definition, documents, names)
    if status ~= 0 then
        local named = text:gsub("%-:(%d+):", function(n)
            return (names[tonumber(n)] or ("document " .. n)) .. ":"
        end)
        error(("schema.py %s (exit status %s):\n%s"):format(definition, tostring(status),
                                                            named), 2)
    end
end

T.test("schema: explain's JSON page of every code, as written, in every language", function()
    local languages = assert(smtpcodes.languages())
    local documents, names = {}, {}
    local function add(code, lang, closest)
        local doc = assert(smtpcodes.explain(code, lang, "json"))
        local j = T.json_decode(doc)
        if closest then -- the page of its closest entry, as written
            T.eq(j.code, closest, tostring(code) .. ": the closest code")
            T.eq(j.exact, false, tostring(code) .. ": exact")
        else
            T.eq(j.code, tostring(code), tostring(code) .. ": the code as written, a string")
            T.eq(j.exact, true, tostring(code) .. ": exact")
        end
        T.eq(j.language, lang, tostring(code) .. ": language")
        documents[#documents + 1] = doc
        names[#names + 1] = ("explain(%s, %s)"):format(tostring(code), lang)
    end
    local n = 0
    for _, entry in ipairs(smtpcodes.codes()) do
        n = n + 1
        add(entry.code, languages[n % #languages + 1])
        if entry.kind == "enhanced" then
            for _, class in ipairs(entry.classes) do
                n = n + 1
                add(class .. entry.code:sub(2), languages[n % #languages + 1])
            end
        end
    end
    -- Codes the database lacks show their closest entry.
    for code, closest in pairs({ ["5.7.99"] = "5.7.0", ["4.9.9"] = "4.0.0",
                                 ["2.1.650"] = "2.1.0" }) do
        add(code, "en", closest)
    end
    T.ok(#documents > 150, "documents")
    check("code", documents, names)
end)

T.test("schema: compare's JSON page for a sample of pairs in every language", function()
    local languages = assert(smtpcodes.languages())
    local pool = {}
    for i, entry in ipairs(smtpcodes.codes()) do
        if i % 5 == 0 then
            pool[#pool + 1] = entry.code
            if entry.kind == "enhanced" then
                pool[#pool + 1] = entry.classes[#entry.classes] .. entry.code:sub(2)
            end
        end
    end
    local documents, names = {}, {}
    for i, a in ipairs(pool) do
        local b = pool[(i * 7 + 2) % #pool + 1]
        local lang = languages[i % #languages + 1]
        local page = smtpcodes.compare(a, b, lang)
        if page then -- nil for two codes of one entry
            T.eq(page.language, lang, "language")
            documents[#documents + 1] = page.json
            names[#names + 1] = ("compare(%s, %s, %s)"):format(tostring(a), tostring(b), lang)
        end
    end
    T.ok(#documents >= #languages * 2, "every language, twice at least")
    check("comparison", documents, names)
end)

T.test("schema: render_providers' JSON, the list and each provider's page", function()
    local documents, names = { assert(smtpcodes.render_providers(nil, "json")) },
                             { "render_providers()" }
    for _, p in ipairs(assert(smtpcodes.providers())) do
        documents[#documents + 1] = assert(smtpcodes.render_providers(p.slug, "json"))
        names[#names + 1] = ("render_providers(%s)"):format(p.slug)
    end
    check("providers", documents, names)
    -- and a provider's meaning of a code is a code page
    check("code", { assert(smtpcodes.explain("5.7.708", "en", "json")) }, { "explain(5.7.708)" })
end)

T.test("schema: the check refuses a document that breaks the schema", function()
    -- The old shape (a tag in "lang", no "language") must fail, or the tests above prove nothing.
    local doc = assert(smtpcodes.explain(421, "en", "json"))
    local old = doc:gsub('"language":"en","lang":{}', '"lang":"en"')
    T.ok(old ~= doc, "the page has language and lang")
    local _, status = validate("code", { old }, { "explain(421) in the old shape" })
    T.eq(status, 1, "schema.py's exit status for the old shape")
end)
