-- The generated module smtpcodes_core: what bindings/lua/lua.swg promises the facade.

local T = require "testing"
local core = require "smtpcodes_core"

local function db()
    return assert(core.db_from_env())
end

T.test("core: integers come back as integers", function()
    local handle = db()
    local bound = core.bind(handle)
    T.integer(core.enum_count(core.ENUM_RETRY), "enum_count")
    T.integer((core.enum_at(core.ENUM_RETRY, 0)), "enum_at value")
    T.integer(core.RETRY_LATER, "constant RETRY_LATER")
    T.integer(core.ENOTFOUND, "constant ENOTFOUND")
    local entry = bound.lookup("421")
    for _, field in ipairs({ "code", "class", "category", "detail" }) do
        T.integer(entry[field], "entry." .. field)
    end
    local _, _, status = bound.lookup("299")
    T.integer(status, "status of a failed call")
    local reply, consumed = bound.parse("250 ok\r\n", core.REPLY_COMPLETE)
    T.integer(reply.code, "reply.code")
    T.integer(consumed, "consumed")
end)

T.test("core: integer arguments refuse fractions, strings and out-of-range values", function()
    local handle = db()
    T.raises("expected 'non-negative integer' got 'number'", core.enum_at, 1, 0.5)
    T.raises("expected 'non-negative integer' got 'number'", core.enum_at, 1, -1)
    T.raises("expected 'non-negative integer' got 'string'", core.enum_at, 1, "0")
    T.raises("expected 'integer' got 'number'", core.db_load, "x", 0.5)
    T.raises("expected 'integer' got 'number'", core.db_load, "x", 2 ^ 40)
    T.raises("expected 'integer' got 'number'", core.bind(handle).parse, "250", 0.5)
    -- A float with an integral value is an integer, as everywhere in Lua.
    T.eq((core.enum_at(core.ENUM_FORMAT, 1.0)), core.FORMAT_MARKDOWN, "enum_at(1.0)")
    local value, name = core.enum_at(core.ENUM_FORMAT, core.enum_count(core.ENUM_FORMAT))
    T.eq(name, nil, "enum_at past the end")
    T.eq(value, 0, "enum_at past the end")
end)

T.test("core: text arguments are strings, with embedded NULs kept", function()
    local handle = db()
    local bound = core.bind(handle)
    T.raises("expected 'string' got 'number'", bound.lookup, 421)
    T.raises("expected 'string' got 'table'", core.command_parse, {})
    local entry, message, status = bound.lookup("421\0")
    T.eq(entry, nil, "lookup of \"421\\0\"")
    T.eq(status, core.ESYNTAX, "status")
    T.find(message, "column 4", "message")
    -- nil is NULL, which the C API refuses where it is not optional.
    local command
    command, message, status = core.command_parse(nil)
    T.eq(command, nil, "command_parse(nil)")
    T.eq(status, core.ECOMMAND, "status of command_parse(nil)")
    T.raises("expected 'path without NUL bytes' got 'string'", core.db_load, "x\0y",
             core.LOAD_OVERLAY)
end)

T.test("core: a failed call returns nil, the formatted error and its status", function()
    local path = T.vectors_dir .. "/data/invalid/bad-code.txt"
    local handle, message, status = core.db_load(path, core.LOAD_OVERLAY)
    T.eq(handle, nil, "handle")
    T.eq(status, core.EDATA, "status")
    T.find(message, path .. ":2:7: ", "message names file:line:column")
end)

T.test("core: handles are checked and their metatables are protected", function()
    local handle = db()
    T.eq(getmetatable(handle), false, "getmetatable(db)")
    T.raises("expected 'smtpcodes.db'", core.bind, {})
    local cmp = assert(core.compare(handle, "421", "504", nil))
    T.raises("expected 'smtpcodes.db'", core.bind, cmp)
    T.raises("expected 'smtpcodes.db'", core.render_code, cmp, "421", nil, 0)
    T.raises("expected 'smtpcodes.comparison'", core.comparison_part, handle, 0)
    T.raises("expected 'smtpcodes.comparison' got 'userdata'", core.comparison_part, io.stdout, 0)
    T.raises("expected 'integer' got 'userdata'", core.comparison_part, cmp, io.stdout)
    core.comparison_free(cmp)
    T.raises("expected 'smtpcodes.comparison'", core.comparison_part, cmp, 0)
    T.raises("expected 'smtpcodes.comparison'", core.comparison_free, cmp)
end)

T.test("core: a comparison keeps its database alive", function()
    local path = T.vectors_dir .. "/data/valid/override-421.txt"
    local cmp = assert(core.compare(assert(core.db_load(path, core.LOAD_OVERLAY)), "421", "299",
                                    nil))
    collectgarbage()
    collectgarbage()
    -- The entries point into the loaded database, which only the comparison still refers to.
    local text = T.read_file(path)
    local description = text:match("Description: ([^\n]*)")
    T.find(core.render_comparison(cmp, core.FORMAT_TEXT), description,
           "entry 421 of the loaded file")
    T.eq(core.comparison_code(cmp, 0), "299", "entry 299 of the loaded file")
end)

-- Resident memory of this process in KiB (Linux).
local function resident_kib()
    local f = assert(io.open("/proc/self/statm"))
    local _, pages = f:read("*n", "*n")
    f:close()
    return pages * 4
end

T.test("core: databases, comparisons and rendered text are freed by the collector", function()
    local path = T.vectors_dir .. "/data/valid/override-421.txt"
    -- The collector does not see the C memory behind the handles, so it is run often enough
    -- here for memory to settle.
    local function churn(times)
        for i = 1, times do
            local handle = assert(core.db_load(path, core.LOAD_OVERLAY))
            assert(core.compare(handle, "421", "504", "fr"))
            assert(core.render_code(handle, "421", nil, core.FORMAT_HTML))
            if i % 10 == 0 then
                collectgarbage()
            end
        end
        collectgarbage()
        collectgarbage()
    end
    churn(50)
    local before = resident_kib()
    churn(500)
    if os.getenv("SMTPCODES_TEST_SANITIZERS") then
        -- AddressSanitizer keeps freed memory in quarantine, so the resident size says
        -- nothing; LeakSanitizer reports at exit whatever was not freed.
        return
    end
    -- One loaded database alone takes over 20 KiB: a leak would add more than 10 MiB here.
    local growth = resident_kib() - before
    T.ok(growth < 4096, "resident memory grew by " .. growth .. " KiB")
end)

T.test("core: only what the facade uses is wrapped", function()
    local functions = {}
    for name, value in pairs(core) do
        if type(value) == "function" then
            functions[#functions + 1] = name
        end
    end
    table.sort(functions)
    T.same(functions, {
        "bind", "code_parse", "command_parse", "compare", "comparison_code",
        "comparison_difference", "comparison_difference_count", "comparison_difference_kind",
        "comparison_fallbacks", "comparison_free", "comparison_label", "comparison_part",
        "comparison_reference", "comparison_reference_count", "comparison_text", "db_from_env",
        "db_load", "db_load_buffer", "db_load_catalog", "entry_text", "enum_at", "enum_count",
        "format_parse", "language_completeness", "language_direction", "lookup_provider",
        "reference_url", "render_catalog", "render_code", "render_comparison",
        "render_providers", "reply_build", "scan_supports", "scanner_feed", "scanner_finish",
        "scanner_free", "strerror", "to_table", "version",
    }, "functions of smtpcodes_core")
    local bound = {}
    for name in pairs(core.bind(db())) do
        bound[#bound + 1] = name
    end
    table.sort(bound)
    T.same(bound, { "bounce", "classify", "closest", "entries", "feed", "finish", "languages",
                    "load_summary", "lookup", "meaning", "merge", "parse", "parse_front",
                    "provider", "provider_meanings", "provider_of", "providers", "reason",
                    "record", "scanner", "stream", "stream_counts", "summary" },
           "functions bound to a database")
end)
