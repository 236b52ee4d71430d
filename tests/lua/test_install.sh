#!/bin/sh
# cmake --install of the Lua binding, then `require "smtpcodes"` from the installed paths.
#
#   test_install.sh BUILD_DIR SCRATCH_DIR CLI INTERPRETER:VERSION...
#
# For each Lua: the module is at lib/lua/VERSION/ and the facade at share/lua/VERSION/ under
# the prefix, the module needs no libsmtpcodes.so, and the README's one-liner prints the same
# page as the CLI.
set -u

build=$1
prefix=$2
cli=$3
shift 3

fail() {
    echo "test_install: $*" >&2
    exit 1
}

[ $# -gt 0 ] || fail "no Lua to test: the module is built for none with an interpreter"
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" --component lua >/dev/null || fail "cmake --install"

expected=$("$cli" compare 504 421 --lang th) || fail "$cli compare 504 421 --lang th"
failures=0
passed=0
for pair in "$@"; do
    lua=${pair%:*}
    version=${pair##*:}
    module=$prefix/lib/lua/$version/smtpcodes_core.so
    facade=$prefix/share/lua/$version/smtpcodes.lua
    problem=
    if [ ! -f "$module" ] || [ ! -f "$facade" ]; then
        problem="not installed: $module, $facade"
    elif readelf -d "$module" | grep -q 'NEEDED.*smtpcodes'; then
        problem="$module needs libsmtpcodes: $(readelf -d "$module" | grep NEEDED)"
    else
        # Only the installed paths: nothing from the build or the system.
        actual=$(LUA_PATH="$prefix/share/lua/$version/?.lua" \
                 LUA_CPATH="$prefix/lib/lua/$version/?.so" \
                 "$lua" -e 'local s=require"smtpcodes"; print(s.compare(504,421,"th").text)' 2>&1)
        [ "$actual" = "$expected" ] || problem="the one-liner printed: $actual"
    fi
    if [ -n "$problem" ]; then
        echo "FAILED $lua ($version): $problem"
        failures=$((failures + 1))
    else
        echo "ok     $lua ($version): require from $prefix"
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $failures failed"
[ $failures -eq 0 ]
