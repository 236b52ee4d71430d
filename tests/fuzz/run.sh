#!/bin/sh
# Builds the libFuzzer harnesses (clang, ASan + UBSan) and runs each for SECONDS.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]     default: 60 seconds, every harness
#
# Harnesses: load reply scan render build bounce merge loglines catalog. Environment:
#   FUZZ_BUILD_DIR  build directory (default: build-fuzz at the top of the tree)
#   FUZZ_JOBS       harnesses run at once, one process each (default 1)
#   FUZZ_FLAGS      more libFuzzer flags, e.g. "-seed=1 -runs=100000"
#
# New inputs that raise coverage go to $FUZZ_BUILD_DIR/work/corpus/NAME (kept between runs;
# the committed seeds in tests/fuzz/corpus/NAME are only read). A crash, a leak, a timeout or a
# sanitizer report stops that harness, keeps the input in $FUZZ_BUILD_DIR/work/artifacts/NAME/
# and makes the script fail; copy the input into tests/fuzz/regressions/NAME/ once fixed, and
# ctest replays it in every build. The last line is "N passed, N failed".
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-load reply scan render build bounce merge loglines catalog}
build=${FUZZ_BUILD_DIR:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-1}
work=$build/work

case $seconds in
    ''|0|*[!0-9]*) echo "usage: tests/fuzz/run.sh [SECONDS] [HARNESS...]" >&2; exit 2 ;;
esac
for h in $harnesses; do
    [ -f "$here/fuzz_$h.c" ] || { echo "run.sh: no harness '$h'" >&2; exit 2; }
done
command -v clang >/dev/null || { echo "run.sh: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSMTPCODES_FUZZ=ON -DSMTPCODES_SANITIZE=address,undefined \
        -DCMAKE_C_FLAGS=-fno-sanitize-recover=undefined \
        -DSMTPCODES_PYTHON=OFF -DSMTPCODES_LUA=OFF -DSMTPCODES_BUILD_TESTS=OFF \
        > "$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
fi
cmake --build "$build" --target fuzzers > "$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

# Inputs longer than this are cut; the long seeds (over-long lines) are replayed whole by ctest.
max_len() {
    case $1 in
        load) echo 16384 ;;
        reply) echo 2048 ;;
        scan) echo 4096 ;;
        render) echo 512 ;;
        build) echo 2048 ;;
        bounce) echo 16384 ;;
        merge) echo 4096 ;;
        loglines) echo 4096 ;;
        catalog) echo 8192 ;;
    esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

run_one() {
    h=$1
    mkdir -p "$work/corpus/$h" "$work/artifacts/$h" "$work/logs"
    log=$work/logs/$h.log
    # libFuzzer stops at a corpus directory that does not exist; a harness may have no
    # regressions yet (git keeps no empty directory).
    seeds="$here/corpus/$h"
    [ -d "$here/regressions/$h" ] && seeds="$seeds $here/regressions/$h"
    # shellcheck disable=SC2086
    if "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
        -max_len="$(max_len "$h")" -dict="$here/$h.dict" -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$h/" ${FUZZ_FLAGS:-} \
        "$work/corpus/$h" $seeds > "$log" 2>&1; then
        echo ok > "$work/logs/$h.status"
    else
        echo FAILED > "$work/logs/$h.status"
    fi
}

start=$(date +%s)
touch "$build/work.start" 2>/dev/null || { mkdir -p "$work"; touch "$build/work.start"; }
running=0
for h in $harnesses; do
    rm -f "$work/logs/$h.status"
    run_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

passed=0
failed=0
printf '%-8s %-7s %12s %10s %8s\n' harness result executions "exec/s" corpus
for h in $harnesses; do
    log=$work/logs/$h.log
    status=$(cat "$work/logs/$h.status" 2>/dev/null || echo FAILED)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    units=$(find "$work/corpus/$h" -type f | wc -l)
    printf '%-8s %-7s %12s %10s %8s\n' "$h" "$status" "${execs:-?}" "${rate:-?}" "$units"
    if [ "$status" = ok ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "---- $h: the end of $log" >&2
        grep -v '^#\|^INFO\|^\s*$' "$log" | tail -40 >&2
        find "$work/artifacts/$h" -type f -newer "$build/work.start" >&2
    fi
done
echo "fuzzing took $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
