-- run.lua: runs the Lua suite of smtpcodes and ends with "N passed, N failed".
--
--   LUA_PATH='<source>/lua/?.lua' LUA_CPATH='<build>/bindings/lua/5.4/?.so' lua5.4 run.lua [SUITE...]
--
-- SUITE names a file test_SUITE.lua next to this one; without one, every suite runs. Run by
-- ctest (tests/lua/CMakeLists.txt) under each Lua the module is built for.

local dir = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = dir .. "/?.lua;" .. package.path

local T = require "testing"

local suites = { "core", "api", "errors", "vectors", "replies", "hostile", "environment",
                 "filter", "bounces", "providers", "scan_merge", "scan_compressed",
                 "scan_groups", "translations" }
if #arg > 0 then
    suites = arg
end
for _, suite in ipairs(suites) do
    dofile(dir .. "/test_" .. suite .. ".lua")
end
T.run()
