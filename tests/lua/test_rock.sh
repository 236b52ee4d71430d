#!/bin/sh
# `luarocks make` of lua/smtpcodes-*.rockspec, as a user runs it at the top of a checkout, then
# `require "smtpcodes"` from the rock tree with the paths `luarocks path` gives.
#
#   test_rock.sh LUAROCKS SOURCE_DIR SCRATCH_DIR LUA5.4
#
# The build runs in a copy of the source tree (luarocks make builds in the current directory),
# into a tree of its own; no network is needed.
set -u

luarocks=$1
source=$2
scratch=$3
lua=$4

fail() {
    echo "test_rock: $*" >&2
    exit 1
}

rm -rf "$scratch"
mkdir -p "$scratch/src" || fail "cannot create $scratch"
(cd "$source" && tar --exclude='./build*' --exclude=./.git --exclude=./.venv -cf - .) | tar -C "$scratch/src" -xf - ||
    fail "cannot copy $source"
set -- "$scratch"/src/lua/smtpcodes-*.rockspec
[ $# -eq 1 ] && [ -f "$1" ] || fail "expected one lua/smtpcodes-*.rockspec, found: $*"
rockspec=${1#"$scratch/src/"}

(cd "$scratch/src" && "$luarocks" --lua-version 5.4 --tree "$scratch/tree" make "$rockspec") ||
    fail "luarocks make $rockspec"
lr_path=$("$luarocks" --lua-version 5.4 --tree "$scratch/tree" path --lr-path) &&
    lr_cpath=$("$luarocks" --lua-version 5.4 --tree "$scratch/tree" path --lr-cpath) ||
    fail "luarocks path"
# Both modules must come from the rock tree.
out=$(TREE=$scratch/tree LUA_PATH="$lr_path" LUA_CPATH="$lr_cpath" "$lua" -e '
    local tree = os.getenv("TREE") .. "/"
    local s = require "smtpcodes"
    for name, path in pairs({ smtpcodes = package.path, smtpcodes_core = package.cpath }) do
        local found = package.searchpath(name, path)
        assert(found:sub(1, #tree) == tree, name .. " found at " .. found)
    end
    print(s._VERSION, s.lookup(421).code, s.compare(504, 421, "th").language)' 2>&1) ||
    fail "require from the rock tree: $out"
version=$(sed -n 's/^version = "\(.*\)-[0-9]*"$/\1/p' "$scratch/src/$rockspec")
expected=$(printf '%s\t421\tth' "$version")
[ "$out" = "$expected" ] || fail "expected '$expected', got '$out'"
echo "luarocks make $rockspec: installed and required from $scratch/tree"
