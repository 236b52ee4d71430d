-- passdb.lua: a Dovecot Lua passdb that turns an SMTP server's reply to AUTH into Dovecot's
-- verdict, with smtpcodes saying what the reply means. Used by test_dovecot.sh.
--
-- A real script would send AUTH PLAIN to a submission server; here that server's reply for
-- each user is in UPSTREAM, so that the test needs no SMTP server. The verdict:
--   2xx                           PASSDB_RESULT_OK
--   retry "later" (454, 421 ...)  PASSDB_RESULT_INTERNAL_FAILURE: Dovecot reports a temporary
--                                 failure and the client may try again
--   anything else                 PASSDB_RESULT_PASSWORD_MISMATCH
--   a code smtpcodes does not know: an error in the log and PASSDB_RESULT_INTERNAL_FAILURE

local smtpcodes = require "smtpcodes"

local UPSTREAM = {
    alice = "235 2.7.0 Authentication successful",
    bob = "535 5.7.8 Authentication credentials invalid",
    carol = "454 4.7.0 Temporary authentication failure",
    dave = "299 Unheard of",
}

function script_init()
    dovecot.i_info("smtpcodes " .. smtpcodes._VERSION .. " loaded")
    return 0
end

-- "535 Authentication Failed, 5.7.8 Authentication Credentials Invalid"
local function describe(entry, reply)
    local text = ("%d %s"):format(entry.code, entry.name)
    local enhanced = reply:match("^%d%d%d (%d%.%d+%.%d+)")
    local detail = enhanced and smtpcodes.closest(enhanced)
    if detail then
        text = text .. (", %s %s"):format(enhanced, detail.name)
    end
    return text
end

function auth_password_verify(req, password)
    local reply = UPSTREAM[req.user]
    if not reply then
        return dovecot.auth.PASSDB_RESULT_USER_UNKNOWN, "no such user"
    end
    local entry, message = smtpcodes.lookup(tonumber(reply:sub(1, 3)))
    if not entry then
        req:log_error("smtpcodes: upstream reply '" .. reply .. "': " .. message)
        return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, message
    end
    req:log_info(("smtpcodes: upstream replied %s; retry: %s"):format(describe(entry, reply),
                                                                       entry.retry))
    if entry.class == 2 then
        return dovecot.auth.PASSDB_RESULT_OK, {}
    elseif entry.retry == "later" then
        return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, entry.name
    end
    return dovecot.auth.PASSDB_RESULT_PASSWORD_MISMATCH, entry.name
end
