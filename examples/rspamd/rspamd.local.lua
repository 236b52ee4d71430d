-- rspamd.local.lua: loads the smtpcodes rule (smtpcodes_bounce.lua beside this file) into rspamd.
--
-- rspamd runs this file from its local configuration directory (/etc/rspamd on Debian) when
-- it reads its configuration. The rule needs the LuaJIT build of smtpcodes on Lua's paths:
--
--   SMTPCODES_LUA_CPATH   where smtpcodes_core.so is, as a package.cpath pattern
--                         (default /usr/local/lib/lua/5.1/?.so)
--   SMTPCODES_LUA_PATH    where the facade smtpcodes.lua is, as a package.path pattern
--                         (default /usr/local/share/lua/5.1/?.lua)
--
-- Either set them here, or pass them to rspamd as variables (rspamd --var=NAME=VALUE, which
-- rspamd gives Lua in its table rspamd_env). The defaults are where
-- `cmake --install build --prefix /usr/local` puts the LuaJIT build.

local function setting(name, default)
    local value = rspamd_env and rspamd_env[name]
    if type(value) == "string" and value ~= "" then
        return value
    end
    return default
end

-- Prepends a pattern to a search path once, so that a second reading of this file does not
-- lengthen the path.
local function prepend(search_path, pattern)
    if (";" .. search_path .. ";"):find(";" .. pattern .. ";", 1, true) then
        return search_path
    end
    return pattern .. ";" .. search_path
end

local cpath = setting("SMTPCODES_LUA_CPATH", "/usr/local/lib/lua/5.1/?.so")
local path = setting("SMTPCODES_LUA_PATH", "/usr/local/share/lua/5.1/?.lua")
package.cpath = prepend(package.cpath, cpath)
package.path = prepend(package.path, path)

dofile(rspamd_paths["LOCAL_CONFDIR"] .. "/smtpcodes_bounce.lua")
