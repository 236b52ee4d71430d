#!/bin/sh
# The bounce rows of the benchmarks:
#
#     sh bench/bounce.sh [--quick] [--keys] [--cli PATH] [--inputs DIR]
#
# measures `smtpcodes bounce --format json` two ways, each against a baseline from the same run:
#   - messages per second on a mailbox of every message of tests/vectors/bounces, repeated to
#     take a measurable time, against Debian's Sisimai (libsisimai-perl, Sisimai->dump: every
#     record as JSON) on the same mailbox;
#   - the time for a DSN that returns a 15 MB base64 attachment, at 1x, 2x and 4x that size:
#     the time per MB must stay flat (reading is linear in the message's size).
# It prints the two rows as bench/report.py lays them out, or with --keys the "key<TAB>value"
# lines that bench/run.sh collects for its one table. --quick uses a small mailbox and a 1 MB
# attachment (a few seconds: for CI, to keep the command working). Nothing here asserts anything
# about time; the exit status is 0 whenever the rows could be printed.
#
# The CLI is --cli PATH, else $SMTPCODES_CLI, else the first of build-bench/core/smtpcodes,
# build/core/smtpcodes and smtpcodes on PATH. A CLI without the `bounce` command gives rows that
# say so, and the baseline is still measured. Without Sisimai (apt-get install -y
# libsisimai-perl) the baseline reads n/a. The inputs are made in --inputs DIR (default
# ${SMTPCODES_BENCH_DIR:-build-bench}/bounce-inputs) and kept while the corpus is unchanged.
set -eu

quick=0
keys=0
cli=${SMTPCODES_CLI:-}
inputs=
usage() { echo "usage: sh bench/bounce.sh [--quick] [--keys] [--cli PATH] [--inputs DIR]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1 ;;
        --keys) keys=1 ;;
        --cli) [ $# -ge 2 ] || usage; cli=$2; shift ;;
        --inputs) [ $# -ge 2 ] || usage; inputs=$2; shift ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) usage ;;
    esac
    shift
done

cd "$(dirname "$0")/.."
[ -n "$inputs" ] || inputs=${SMTPCODES_BENCH_DIR:-build-bench}/bounce-inputs

if [ -z "$cli" ]; then
    for candidate in build-bench/core/smtpcodes build/core/smtpcodes; do
        if [ -x "$candidate" ]; then
            cli=$candidate
            break
        fi
    done
fi
if [ -z "$cli" ]; then
    cli=$(command -v smtpcodes 2> /dev/null || echo -)
fi

# The mailbox: the corpus (56 messages) this many times over; the attachment's size in MB;
# repetitions of smtpcodes and of Sisimai (medians of CPU times).
if [ $quick = 1 ]; then
    repeat=2; attach_mb=1; reps=3; sisimai_reps=1
else
    repeat=20; attach_mb=15; reps=5; sisimai_reps=3
fi
run() {
    python3 bench/bench_bounce.py "$cli" tests/vectors/bounces "$inputs" $repeat $attach_mb \
        $reps $sisimai_reps
}

if [ $keys = 1 ]; then
    run
    exit 0
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT
run > "$results"
python3 bench/report.py "$results" --bounce
