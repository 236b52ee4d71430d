-- smtpcodes_bounce.lua: an rspamd rule that reads every message it scans with smtpcodes and marks a
-- message that came back — a delivery status notification (RFC 3464, RFC 6533), a feedback
-- report (RFC 5965) or an automatic reply (RFC 3834) — with the symbol SMTPCODES_BOUNCE.
--
-- The symbol has one option per record the library reads from the message, one record per
-- recipient:
--
--     RECIPIENT:REASON:ENHANCED:FORMAT            bob@example.org:userunknown:5.1.1:rfc3464
--     RECIPIENT:REASON:ENHANCED:FORMAT:PROVIDER   when a provider's server gave the diagnostic
--
-- REASON is the library's reason (userunknown, mailboxfull, blocked, feedback, vacation ...;
-- docs/bounces.md), ENHANCED the enhanced status code or "-" when the message gives none,
-- FORMAT the format it was read from (rfc3464, qmail, exim ...), PROVIDER the provider whose
-- meanings decided the reason (microsoft, gmail, yahoo).
-- A message that is no bounce gets no symbol. A message the library cannot read (past its
-- limits) gets no symbol and a line in rspamd's log; the rule never fails a scan.
--
-- The symbol scores 0 in the group "smtpcodes": it marks, it does not judge. Give it a score,
-- or use it in a composite or the settings, in rspamd's local configuration.
--
-- rspamd 3.4 runs LuaJIT: `require "smtpcodes"` must find the LuaJIT build of the module
-- (smtpcodes_core.so built against LuaJIT, and the facade smtpcodes.lua). rspamd.local.lua,
-- beside this file, sets the paths and loads this rule; README.md says how to install both.

local rspamd_logger = require "rspamd_logger"

local SYMBOL = "SMTPCODES_BOUNCE"

-- rspamd still starts without the module, and without the symbol: a missing module must not
-- stop the mail.
local loaded, smtpcodes = pcall(require, "smtpcodes")
if not loaded then
    rspamd_logger.errx(rspamd_config, "smtpcodes: cannot load the module, %s is not registered: %s",
        SYMBOL, smtpcodes)
    return
end
-- An older smtpcodes has no bounce reader.
if type(smtpcodes) ~= "table" or type(smtpcodes.parse_bounce) ~= "function" then
    rspamd_logger.errx(rspamd_config, "smtpcodes: the module found has no parse_bounce (an "
        .. "older smtpcodes?); %s is not registered", SYMBOL)
    return
end

-- The option of one record: recipient, reason and enhanced code, then the format when the
-- record has one.
local function option(record)
    local parts = {
        record.recipient or "-",
        record.reason or "-",
        record.enhanced or "-",
        record.format or "-",
    }
    if record.provider ~= nil then
        parts[#parts + 1] = record.provider
    end
    return table.concat(parts, ":")
end

local function check_bounce(task)
    local content = task:get_content()
    if content == nil then
        return
    end
    -- An rspamd_text in rspamd 3.4; :str() copies it into a Lua string.
    local text = type(content) == "string" and content or content:str()
    -- parse_bounce returns nil, message for a message past the reader's limits; pcall keeps
    -- anything else unexpected from failing the scan.
    local ok, records, message = pcall(smtpcodes.parse_bounce, text)
    if not ok then
        rspamd_logger.errx(task, "smtpcodes: cannot read the message: %s", records)
        return
    end
    if records == nil then
        rspamd_logger.errx(task, "smtpcodes: cannot read the message: %s", message)
        return
    end
    if #records == 0 then
        return
    end
    local options = {}
    for i, record in ipairs(records) do
        options[i] = option(record)
    end
    task:insert_result(SYMBOL, 1.0, options)
end

rspamd_config:register_symbol({
    name = SYMBOL,
    type = "normal",
    callback = check_bounce,
    score = 0.0,
    group = "smtpcodes",
    description = "A bounce: one option RECIPIENT:REASON:ENHANCED:FORMAT[:PROVIDER] per "
        .. "recipient (smtpcodes)",
})

rspamd_logger.infox(rspamd_config, "smtpcodes %s: %s registered", smtpcodes._VERSION, SYMBOL)
