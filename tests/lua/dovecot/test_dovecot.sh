#!/bin/sh
# A real Lua host: Dovecot's auth service runs passdb.lua, which requires smtpcodes (Lua 5.4).
#
#   test_dovecot.sh SCRATCH_DIR LUA_PATH LUA_CPATH LUA_INTERPRETER VERSION
#
# Dovecot runs from a configuration written into SCRATCH_DIR (base_dir, state_dir and log_path
# inside it, no protocols: auth only), as root or as any user. `doveadm auth test` logs four
# users in; the script maps the SMTP reply each user's upstream gives to Dovecot's verdict. The
# test checks doveadm's verdicts and the lines the script logs, with the names and versions
# read from the module itself, and stops Dovecot whatever happens.
set -u

scratch=$1
lua_path=$2
lua_cpath=$3
lua=$4
version=$5
here=$(cd "$(dirname "$0")" && pwd)

fail() {
    echo "test_dovecot: $*" >&2
    exit 1
}

command -v dovecot >/dev/null && command -v doveadm >/dev/null ||
    fail "dovecot is not installed: apt-get install dovecot-core dovecot-auth-lua"
lua_module=
for dir in /usr/lib/dovecot/modules/auth /usr/lib64/dovecot/modules/auth \
           /usr/local/lib/dovecot/modules/auth; do
    [ -e "$dir/libauthdb_lua.so" ] && lua_module=$dir/libauthdb_lua.so
done
[ -n "$lua_module" ] || fail "Dovecot has no Lua passdb: apt-get install dovecot-auth-lua"

rm -rf "$scratch"
mkdir -p "$scratch/state" || fail "cannot create $scratch"
conf=$scratch/dovecot.conf
log=$scratch/dovecot.log
# base_dir holds unix sockets, whose paths must stay under about 100 bytes.
base=$scratch/run
if [ ${#base} -gt 70 ]; then
    base=$(mktemp -d /tmp/smtpcodes-dovecot.XXXXXX) || fail "mktemp"
fi
mkdir -p "$base"
chmod 755 "$scratch" "$base"

user=$(id -un)
group=$(id -gn)
# As root, Dovecot's own users take the internal and login roles; as anyone else, Dovecot
# runs every service as that user.
if [ "$(id -u)" -ne 0 ]; then
    users="default_internal_user = $user
default_internal_group = $group
default_login_user = $user"
else
    users=
fi

cat >"$conf" <<EOF
base_dir = $base
state_dir = $scratch/state
log_path = $log
protocols = none
ssl = no
$users
auth_mechanisms = plain
auth_verbose = yes
# Failed logins are answered at once, without the growing penalty meant for attackers.
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
import_environment = TZ LUA_PATH=$lua_path LUA_CPATH=$lua_cpath
passdb {
  driver = lua
  args = file=$here/passdb.lua blocking=yes
}
userdb {
  driver = static
  args = uid=$user gid=$group home=$scratch/home/%u
}
# The auth processes read the module and the script where the build left them.
service auth {
  user = $user
}
service auth-worker {
  user = $user
}
EOF

stop() {
    if [ -e "$base/master.pid" ]; then
        dovecot -c "$conf" stop 2>/dev/null || kill "$(cat "$base/master.pid")" 2>/dev/null
        i=0
        while [ -e "$base/master.pid" ] && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
    fi
    case $base in /tmp/smtpcodes-dovecot.*) rm -rf "$base" ;; esac
}
trap stop EXIT
trap 'exit 1' INT TERM

dovecot -c "$conf" || { cat "$log" 2>/dev/null; fail "dovecot did not start"; }
i=0
while [ ! -S "$base/auth-client" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ -S "$base/auth-client" ] || { cat "$log"; fail "no auth socket in $base"; }

# What the module says, asked through the interpreter Dovecot's Lua matches.
ask() {
    LUA_PATH=$lua_path LUA_CPATH=$lua_cpath "$lua" -e "local s = require 'smtpcodes'; $1"
}
expected_version=$(ask 'print(s._VERSION)') || fail "the module does not load under $lua"
[ "$expected_version" = "$version" ] ||
    fail "module version '$expected_version', build version '$version'"
line_for() { # CODE ENHANCED: the script's log line for that reply
    ask "local e, x = s.lookup($1), s.closest('$2')
         print(('smtpcodes: upstream replied %d %s, %s %s; retry: %s')
               :format(e.code, e.name, '$2', x.name, e.retry))"
}

failures=0
check() { # DESCRIPTION COMMAND...: counts a failure unless COMMAND succeeds
    what=$1
    shift
    if "$@"; then
        echo "ok     $what"
    else
        echo "FAILED $what"
        failures=$((failures + 1))
    fi
}
auth_test() { # USER EXPECTED-STATUS EXPECTED-OUTPUT
    out=$(doveadm -c "$conf" auth test "$1" secret 2>&1)
    status=$?
    [ "$status" -eq "$2" ] && printf '%s\n' "$out" | grep -qF "$3" && return 0
    echo "  doveadm auth test $1: status $status, output: $out"
    return 1
}
logged() { # TEXT: a line of the log contains TEXT
    grep -qF -- "$1" "$log" && return 0
    echo "  not in the log: $1"
    return 1
}

check "alice (235) is let in" auth_test alice 0 "passdb: alice auth succeeded"
check "bob (535) is refused" auth_test bob 77 "passdb: bob auth failed"
check "carol (454) fails for now" auth_test carol 77 "passdb: carol auth failed"
check "dave (299, unknown) fails" auth_test dave 77 "passdb: dave auth failed"
check "the script loaded smtpcodes $version" logged "auth: Info: smtpcodes $version loaded"
check "alice's reply is named" logged "lua(alice): db-lua: $(line_for 235 2.7.0)"
check "bob's reply is named" logged "lua(bob): db-lua: $(line_for 535 5.7.8)"
check "bob's password is a mismatch" logged "lua(bob): Password mismatch"
check "carol's reply is named" logged "lua(carol): db-lua: $(line_for 454 4.7.0)"
check "carol's failure is temporary" logged "lua(carol): passdb-lua: $(ask 'print(s.lookup(454).name)')"
check "dave's unknown code is an error" \
    logged "lua(dave): db-lua: smtpcodes: upstream reply '299 Unheard of': $(ask 'print((select(2, s.lookup(299))))')"

if [ $failures -ne 0 ]; then
    echo "--- $log"
    cat "$log"
fi
echo "$((11 - failures)) passed, $failures failed"
[ $failures -eq 0 ]
