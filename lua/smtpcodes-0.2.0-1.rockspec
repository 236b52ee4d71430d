-- LuaRocks package of the Lua binding, built from a source checkout. At the top of the tree:
--
--   luarocks --lua-version 5.4 make lua/smtpcodes-0.2.0-1.rockspec
--
-- The build runs CMake (3.18 or later) and SWIG (4.0 or later), which must be installed; it
-- builds the C module for the Lua that LuaRocks builds for, linking the core statically, and
-- installs it with the facade into the rock tree. There is no published source archive: the
-- source is the checkout that `luarocks make` runs in.
rockspec_format = "3.0"
package = "smtpcodes"
version = "0.2.0-1"
source = {
   url = "git+file://.",
}
description = {
   summary = "SMTP reply codes and enhanced status codes: explained and compared",
   detailed = [[
smtpcodes describes every SMTP reply code (421) and enhanced status code (5.7.1): what it
means, when you see it, how to fix it, its class and where it is defined. It compares two codes
side by side in 15 languages, every word translated, as text, Markdown, HTML or JSON.
]],
   license = "MIT",
}
dependencies = {
   "lua >= 5.1, < 5.5",
}
build = {
   type = "command",
   build_command = [[
cmake -S . -B build.luarocks -DSMTPCODES_BUILD_TESTS=OFF \
  -DSMTPCODES_PYTHON=OFF "-DSMTPCODES_LUA_ROCK_INCDIR=$(LUA_INCDIR)" \
  "-DSMTPCODES_LUA_ROCK_LIBDIR=$(LIBDIR)" "-DSMTPCODES_LUA_ROCK_LUADIR=$(LUADIR)" &&
cmake --build build.luarocks --target smtpcodes_lua_rock]],
   install_command = [[cmake --install build.luarocks --component lua]],
}
