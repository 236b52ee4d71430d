#!/bin/sh
# The benchmarks of smtpcodes, in one command:
#
#     sh bench/run.sh [--quick]
#
# builds what it needs in build-bench/ (the C library, the CLI and the benchmark programs with
# -DSMTPCODES_BENCH=ON, the Lua 5.4 module, and the Python package in a virtual environment),
# generates the inputs there (Postfix logs, a reply corpus, a mailbox of bounces), runs every
# benchmark (bench/bounce.sh among them) and prints one table of ratios, each against a
# baseline measured in the same run. --quick uses small inputs and few repetitions (a few
# seconds once built: for CI, to keep the command working).
#
# Nothing here asserts anything about time: the table says which targets are met, and the exit
# status is 0 whenever the table could be printed. A row whose subject is not available (a
# binding that does not build yet, a function it lacks) reads "n/a: <reason>".
#
# Environment: SMTPCODES_BENCH_DIR (default build-bench) is the build directory;
# SMTPCODES_BENCH_PYTHON names a python that already imports smtpcodes (then no virtual
# environment is made); SMTPCODES_BENCH_LUA names the Lua 5.4 interpreter (default lua5.4).
set -eu

quick=0
for arg in "$@"; do
    case $arg in
        --quick) quick=1 ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "usage: sh bench/run.sh [--quick]" >&2; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.."
root=$(pwd)
B=${SMTPCODES_BENCH_DIR:-build-bench}
mkdir -p "$B/logs" "$B/inputs"
B=$(cd "$B" && pwd)
logs=$B/logs
results=$B/results.tsv
: > "$results"

say() { echo "bench: $*" >&2; }
# A result line for report.py.
result() { printf '%s\t%s\n' "$1" "$2" >> "$results"; }
# Runs a step whose "key<TAB>value" output goes to the results; on failure says where the log is.
step() {
    name=$1; shift
    say "$name"
    if "$@" >> "$results" 2> "$logs/$name.log"; then
        return 0
    fi
    say "$name failed; see $logs/$name.log"
    tail -n 5 "$logs/$name.log" >&2 || true
    return 1
}

if [ $quick = 1 ]; then
    log_mb=4; small_mb=1; stream_bytes=2000000; sample_lines=2000; day_mb=2
    c_reps=3; py_reps=3; lua_reps=3; cli_reps=3; sisimai_reps=1; full_compare=0; jobs_reps=3
    compressed_reps=3
else
    log_mb=100; small_mb=10; stream_bytes=32000000; sample_lines=20000; day_mb=50
    c_reps=7; py_reps=5; lua_reps=5; cli_reps=5; sisimai_reps=3; full_compare=1; jobs_reps=9
    compressed_reps=5
fi

# ---- build ----

generator=
command -v ninja > /dev/null 2>&1 && generator="-G Ninja"
configure() {
    # The project's default build type (RelWithDebInfo: -O2), as users build it. The tests are
    # off (they need cmocka and servers); the Python package is built by pip below.
    # shellcheck disable=SC2086
    cmake -S "$root" -B "$B" $generator -DSMTPCODES_BENCH=ON -DSMTPCODES_BUILD_TESTS=OFF \
        -DSMTPCODES_PYTHON=OFF "$@" >> "$logs/build.log" 2>&1
}
: > "$logs/build.log"
say "building in $B"
lua_reason=
if ! configure -DSMTPCODES_LUA=ON; then
    lua_reason="n/a: the Lua binding does not configure (see $logs/build.log)"
    configure -DSMTPCODES_LUA=OFF || { say "cmake failed"; tail -n 30 "$logs/build.log" >&2; exit 1; }
fi
if ! cmake --build "$B" --target smtpc_bench smtpc_bench_dbmem smtpcodes_cli \
        >> "$logs/build.log" 2>&1; then
    say "the C library or the benchmarks do not build"
    tail -n 30 "$logs/build.log" >&2
    exit 1
fi
if [ -z "$lua_reason" ] && ! cmake --build "$B" --target smtpcodes_lua_54 \
        >> "$logs/build.log" 2>&1; then
    lua_reason="n/a: the Lua 5.4 module does not build (see $logs/build.log)"
fi

# The Python package: pip-installed into a virtual environment from a snapshot of the working
# tree (setup.py builds into the tree's build/python, which must not be shared with other
# builds), again only when a source file changed.
python=${SMTPCODES_BENCH_PYTHON:-}
py_reason=
if [ -z "$python" ]; then
    # The source files: git's list in a checkout, else every file outside build directories.
    sources() {
        if git -C "$root" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
            (cd "$root" && git ls-files -co --exclude-standard -z -- "$@")
        else
            (cd "$root" && find "$@" -path './build*' -prune -o -type f -print0 2> /dev/null)
        fi
    }
    stamp=$(sources setup.py pyproject.toml MANIFEST.in python bindings core |
            (cd "$root" && xargs -0 sha1sum) | sort | sha1sum | cut -c1-40)
    python=$B/venv/bin/python
    if [ ! -x "$python" ]; then
        python3 -m venv "$B/venv" >> "$logs/pip.log" 2>&1 || python=python3
    fi
    if [ "$python" = python3 ]; then
        py_reason="n/a: python3 -m venv failed (see $logs/pip.log)"
    elif [ "$(cat "$B/venv/.smtpcodes-stamp" 2> /dev/null)" != "$stamp" ]; then
        say "installing the Python package into $B/venv"
        rm -rf "$B/pysrc"
        mkdir -p "$B/pysrc"
        sources . | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$B/pysrc"
        if "$python" -m pip install --force-reinstall --no-deps "$B/pysrc" \
                > "$logs/pip.log" 2>&1; then
            echo "$stamp" > "$B/venv/.smtpcodes-stamp"
        else
            rm -f "$B/venv/.smtpcodes-stamp"
            "$python" -m pip uninstall -y smtpcodes > /dev/null 2>&1 || true
            py_reason="n/a: pip install of the package failed (see $logs/pip.log)"
        fi
    fi
fi

lua=${SMTPCODES_BENCH_LUA:-lua5.4}
if ! command -v "$lua" > /dev/null 2>&1; then
    lua_reason="n/a: no $lua interpreter"
fi

# ---- inputs ----

inputs=$B/inputs
gen_stamp=$(sha1sum bench/gen_inputs.py tests/vectors/replies.tsv | sha1sum | cut -c1-40)
if [ "$(cat "$inputs/.stamp" 2> /dev/null)" != "$gen_stamp" ]; then
    rm -f "$inputs"/*
    echo "$gen_stamp" > "$inputs/.stamp"
fi
make_log() {
    [ -s "$inputs/postfix-$1MB.log" ] && return 0
    say "generating a $1 MB Postfix log"
    python3 bench/gen_inputs.py log "$1" "$inputs/postfix-$1MB.log.tmp"
    mv "$inputs/postfix-$1MB.log.tmp" "$inputs/postfix-$1MB.log"
}
make_log $log_mb
make_log $small_mb
# Four days of logs, one file each, for `scan -j`.
days=
for day in 1 2 3 4; do
    f=$inputs/postfix-${day_mb}MB-day$day.log
    if [ ! -s "$f" ]; then
        say "generating a $day_mb MB Postfix log of day $day"
        python3 bench/gen_inputs.py log "$day_mb" "$f.tmp" $day
        mv "$f.tmp" "$f"
    fi
    days="$days $f"
done
large=$inputs/postfix-${log_mb}MB.log
small=$inputs/postfix-${small_mb}MB.log
corpus=$inputs/replies.dat
[ -s "$corpus" ] || python3 bench/gen_inputs.py replies tests/vectors/replies.tsv "$corpus"
sample=$inputs/lines-$sample_lines.txt
[ -s "$sample" ] || head -n $sample_lines "$small" > "$sample"

# ---- benchmarks ----

bench=$B/bench/smtpc_bench
step c-parse "$bench" parse "$corpus" $stream_bytes $c_reps || true
step c-scan "$bench" scan "$large" $c_reps || true
step c-extract "$bench" extract "$sample" $c_reps || true
if [ $full_compare = 1 ]; then
    step c-compare "$bench" compare $c_reps 1 || true
else
    step c-compare "$bench" compare 1 0 || true
    result c_allpairs_s "n/a: not run with --quick"
fi
# The comparison page in Vietnamese, whose every word comes from its catalog and templates,
# against the same page in English: the two alternate, three times each, and the report takes
# the best time of each (as for the baseline below).
say c-compare-vi
for round in 1 2 3; do
    "$bench" compare $c_reps 0 vi 2>> "$logs/c-compare-vi.log" >> "$results" || true
    "$bench" compare $c_reps 0 2>> "$logs/c-compare-vi.log" |
        sed 's/^c_compare_/en_compare_/' >> "$results" || true
done
# The comparison page against the library before its translations (the first commit of that
# work, SMTPCODES_BENCH_BASELINE to choose another): its benchmark, built from git in
# $B/baseline, runs the same English pair; its keys go to the results as base_compare_...
baseline_rev=${SMTPCODES_BENCH_BASELINE:-d13d1dfcd36a058c12432cfedb2c136dfa40c836}
baseline_bench=$B/baseline/build/bench/smtpc_bench
if [ ! -x "$baseline_bench" ] || [ "$(cat "$B/baseline/rev" 2> /dev/null)" != "$baseline_rev" ]; then
    rm -rf "$B/baseline"
    mkdir -p "$B/baseline/src"
    say "building the baseline library of $baseline_rev"
    # shellcheck disable=SC2086
    if git -C "$root" archive "$baseline_rev" 2>> "$logs/baseline.log" |
            tar -x -C "$B/baseline/src" 2>> "$logs/baseline.log" &&
        cmake -S "$B/baseline/src" -B "$B/baseline/build" $generator -DSMTPCODES_BENCH=ON \
            -DSMTPCODES_BUILD_TESTS=OFF -DSMTPCODES_PYTHON=OFF -DSMTPCODES_LUA=OFF \
            >> "$logs/baseline.log" 2>&1 &&
        cmake --build "$B/baseline/build" --target smtpc_bench >> "$logs/baseline.log" 2>&1; then
        echo "$baseline_rev" > "$B/baseline/rev"
    fi
fi
if [ -x "$baseline_bench" ] && [ -s "$B/baseline/rev" ]; then
    result base_compare_rev "$baseline_rev"
    say c-compare-baseline
    # the two alternate, three times each, and the report takes the best time of each: what
    # the machine does meanwhile slows a run, never speeds it
    for round in 1 2 3; do
        "$baseline_bench" compare $c_reps 0 2>> "$logs/c-compare-baseline.log" |
            sed 's/^c_compare_/base_compare_/' >> "$results" || true
        "$bench" compare $c_reps 0 2>> "$logs/c-compare-baseline.log" |
            sed 's/^c_compare_/now_compare_/' >> "$results" || true
    done
else
    result base_compare_text_us "n/a: no git history of $baseline_rev to build (see $logs/baseline.log)"
fi
step c-dbmem "$B/bench/smtpc_bench_dbmem" || true
step cli python3 bench/bench_cli.py "$B/core/smtpcodes" "$B/core/libsmtpcodes.so" \
    "$B/core/CMakeFiles/smtpcodes_objects.dir/builtin.c.o" "$large" "$small" $cli_reps || true

# shellcheck disable=SC2086
step cli-jobs python3 bench/bench_jobs.py "$B/core/smtpcodes" $jobs_reps $days || true
# A day's log, gzip'd and zstd'd (next to it, once), scanned against decompression alone.
step cli-compressed python3 bench/bench_compressed.py "$B/core/smtpcodes" $compressed_reps \
    "$inputs/postfix-${day_mb}MB-day1.log" || true

# The same day's log through Debian's pflogsumm and `smtpcodes scan --by domain`.
step pflogsumm python3 bench/bench_pflogsumm.py "$B/core/smtpcodes" $compressed_reps \
    "$inputs/postfix-${day_mb}MB-day1.log" || true

if perl -MSisimai::SMTP::Reply -MSisimai::SMTP::Status -e 1 > /dev/null 2>&1; then
    step sisimai perl bench/sisimai.pl "$sample" $sisimai_reps || true
else
    result sisimai_ns_per_line "n/a: Sisimai is not installed (apt-get install -y libsisimai-perl)"
fi

# Bounce messages (bench/bounce.sh): the CLI built above against Sisimai, and a DSN returning a
# large attachment at three sizes.
bounce_size=
if [ $quick = 1 ]; then
    bounce_size=--quick
fi
step bounce sh bench/bounce.sh --keys $bounce_size --cli "$B/core/smtpcodes" \
    --inputs "$B/bounce-inputs" || true

if [ -n "$py_reason" ]; then
    # The baselines still run; the rows of the package say why they are missing.
    step python env PYTHONPATH=/nonexistent python3 bench/bench_python.py "$corpus" "$large" \
        $py_reps || true
    for key in py_lookup_name_ns py_lookup503_ns py_parse_us py_scan_s py_import_ms; do
        result $key "$py_reason"
    done
else
    step python "$python" bench/bench_python.py "$corpus" "$large" $py_reps || true
fi

if [ -n "$lua_reason" ]; then
    if command -v "$lua" > /dev/null 2>&1; then
        step lua env LUA_CPATH="/nonexistent/?.so" "$lua" bench/bench_lua.lua "$corpus" \
            $lua_reps || true
    fi
    for key in lua_lookup_name_ns lua_parse_us; do result $key "$lua_reason"; done
else
    # As bindings/lua/CMakeLists.txt documents: the module in <build>/bindings/lua/5.4/, the
    # facade in lua/.
    step lua env LUA_CPATH="$B/bindings/lua/5.4/?.so;;" LUA_PATH="$root/lua/?.lua;;" \
        "$lua" bench/bench_lua.lua "$corpus" $lua_reps || true
fi

# ---- the table ----

echo
if [ $quick = 1 ]; then
    echo "smtpcodes benchmarks (--quick: small inputs, few repetitions; figures are rough)"
else
    echo "smtpcodes benchmarks"
fi
# The load average says how busy the machine was: CPU times resist other load, but not wholly.
echo "$(uname -m), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo ?)," \
    "$(cc --version | head -n 1), $(date -u +%Y-%m-%d)"
echo
python3 bench/report.py "$results"
