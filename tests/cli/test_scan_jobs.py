#!/usr/bin/env python3
"""Tests of `smtpcodes scan` over several files: each file on its own, `-j N` files at a time
on threads, and the summary the same for every N and every order of the files.

Usage: test_scan_jobs.py SMTPCODES-BINARY VECTORS-DIR
Runs with the standard library only and ends with a line "N passed, N failed".
"""
import itertools
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402
from vectorfiles import rows, unescape_bytes  # noqa: E402

BINARY = sys.argv[1]
VECTORS = sys.argv[2]
LOGS = [os.path.join(VECTORS, "logs", name)
        for name in ("relay-postfix.log", "relay-exim.log", "relay-bounces.mbox")]
FORMATS = ("text", "markdown", "html", "json")


def run(*args, stdin=None):
    """Runs the CLI; returns (exit status, stdout, stderr) as bytes."""
    env = dict(os.environ)
    plaintest.neutral_environment(env)
    proc = subprocess.run([BINARY, *args], capture_output=True, env=env, input=stdin,
                          timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def scan(*args, stdin=None):
    status, out, err = run("scan", *args, stdin=stdin)
    assert status == 0 and err == b"", (args, status, err)
    return out


def shown(sample):
    """A sample as the renderings show it: up to a NUL, a byte that is not UTF-8 or a control
    byte as U+FFFD."""
    text = sample.split(b"\0")[0].decode("utf-8", "replace")
    return "".join("\ufffd" if ord(c) < 0x20 else c for c in text)


@test
def help_documents_jobs():
    status, out, _ = run("--help")
    assert status == 0 and b"-j, --jobs N" in out


@test
def each_log_gives_its_rows():
    expected = {}
    for row in rows(VECTORS, "scan-rows.tsv"):
        expected.setdefault(row["log"], []).append(row)
    assert sorted(expected) == sorted(os.path.basename(p) for p in LOGS)
    for path in LOGS:
        summary = json.loads(scan("--format", "json", path))
        want = expected[os.path.basename(path)]
        assert summary["lines"] == int(want[0]["count"]), path
        # an attempt without a reply is on code 0, null in JSON
        got = [(r["code"] or "0", r["enhanced"] or "-", r["count"], r["action"],
                r["reason"] or "-", r["sample"]) for r in summary["rows"]]
        assert got == [(w["code"], w["enhanced"], int(w["count"]), w["action"], w["reason"],
                        shown(unescape_bytes(w["sample"]))) for w in want[1:]], path


@test
def jobs_give_the_same_summary_in_every_format():
    for fmt in FORMATS:
        one = scan("--format", fmt, *LOGS)
        assert scan("--format", fmt, "-j", "1", *LOGS) == one, fmt
        assert scan("--format", fmt, "-j", "2", *LOGS) == one, fmt
        assert scan("--format", fmt, "--jobs", "4", *LOGS) == one, fmt
        assert scan("--format", fmt, "--jobs=3", *LOGS) == one, fmt
        # the logs one after another on standard input: one stream, the same summary
        stdin = b"".join(open(p, "rb").read() for p in LOGS)
        assert scan("--format", fmt, stdin=stdin) == one, fmt
        assert scan("--format", fmt, "-j", "2", "-", stdin=stdin) == one, fmt


@test
def the_order_of_the_files_does_not_matter():
    one = scan("--format", "json", *LOGS)
    for order in itertools.permutations(LOGS):
        for jobs in ("1", "2", "4"):
            assert scan("--format", "json", "-j", jobs, *order) == one, (order, jobs)


@test
def logs_cut_into_many_files():
    """Each log cut at line ends into files of 1 to 4 lines: 30-odd files, the same summary
    as the logs themselves for every number of jobs. (An mbox is read message by message, and
    is kept whole.)"""
    whole = scan("--format", "json", *LOGS)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [p for p in LOGS if p.endswith(".mbox")]
        for path in LOGS:
            if path.endswith(".mbox"):
                continue
            lines = open(path, "rb").read().splitlines(keepends=True)
            at, size = 0, 1
            while at < len(lines):
                paths.append(os.path.join(tmp, "part%03d" % len(paths)))
                with open(paths[-1], "wb") as f:
                    f.writelines(lines[at:at + size])
                at += size
                size = size % 4 + 1
        assert len(paths) > 10
        for jobs in ("1", "2", "4", "7", "64"):
            assert scan("--format", "json", "-j", jobs, *paths) == whole, jobs
        assert scan("--format", "json", "-j", "3", *reversed(paths)) == whole


@test
def a_file_ends_its_own_last_line():
    """A file without a final line end: its last line is a line of its own, not the start of
    the next file's first line."""
    with tempfile.TemporaryDirectory() as tmp:
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        with open(a, "wb") as f:
            f.write(b"said: 550 5.1.1 no such user")
        with open(b, "wb") as f:
            f.write(b"said: 250 2.0.0 ok\n")
        for jobs in ("1", "2"):
            summary = json.loads(scan("--format", "json", "-j", jobs, a, b))
            assert (summary["lines"], summary["replies"]) == (2, 2), summary
            assert [r["code"] for r in summary["rows"]] == ["250", "550"]


@test
def the_first_file_that_cannot_be_read_stops_the_scan():
    with tempfile.TemporaryDirectory() as tmp:
        missing = [os.path.join(tmp, "missing%d" % i) for i in range(3)]
        args = [LOGS[0], missing[0], LOGS[1], missing[1], tmp, missing[2]]
        for jobs in ("1", "2", "4"):
            status, out, err = run("scan", "-j", jobs, *args)
            assert status == 1 and out == b"", (jobs, status, out)
            assert err.decode().splitlines() == [
                "smtpcodes: %s: cannot open" % missing[0]], (jobs, err)
        for jobs in ("1", "2"):
            status, out, err = run("scan", "-j", jobs, LOGS[0], tmp, missing[0])
            assert status == 1 and out == b"", (jobs, status, out)
            assert err.decode().splitlines() == ["smtpcodes: %s: read error" % tmp], (jobs, err)


@test
def bad_job_counts_are_usage_errors():
    for value in ("0", "-1", "257", "two", "1.5", "", "99999999999999999999"):
        status, out, err = run("scan", "-j", value, LOGS[0])
        assert status == 2 and out == b"" and b"--jobs" in err, (value, status, err)
    status, _, err = run("scan", LOGS[0], "-j")
    assert status == 2 and b"needs a value" in err
    assert scan("-j", "256", LOGS[0]) == scan(LOGS[0])


if __name__ == "__main__":
    sys.exit(plaintest.run())
