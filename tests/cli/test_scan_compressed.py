#!/usr/bin/env python3
"""Tests of `smtpcodes scan` on compressed logs and on input that is no log
(tests/vectors/logs/compressed/, expected.tsv): each file's summary or error, from a path and
from standard input, the formats --version lists, and a scan of several files that stops at the
first one that cannot be read.

Usage: test_scan_compressed.py SMTPCODES-BINARY VECTORS-DIR
Runs with the standard library only and ends with a line "N passed, N failed".
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402
from vectorfiles import rows  # noqa: E402

BINARY = sys.argv[1]
VECTORS = sys.argv[2]
DIR = os.path.join(VECTORS, "logs", "compressed")
CASES = rows(DIR, "expected.tsv")
FORMATS = ("text", "markdown", "html", "json")


def run(*args, stdin=None):
    """Runs the CLI; returns (exit status, stdout, stderr) as bytes."""
    env = dict(os.environ)
    plaintest.neutral_environment(env)
    proc = subprocess.run([BINARY, *args], capture_output=True, env=env, input=stdin,
                          timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def built_in():
    status, out, _ = run("--version")
    assert status == 0
    label, _, names = out.decode().splitlines()[1].partition(":")
    assert label == "compressed logs"
    return names.split()


BUILT_IN = built_in()


def expected_error(case):
    """The message the scan of `case` fails with in this build, or None."""
    if case["compression"] not in ("none", "gzip") and case["compression"] not in BUILT_IN:
        return case["built_without"]
    return None if case["error"] == "-" else case["error"]


def path_of(case):
    return os.path.join(DIR, case["file"])


@test
def version_lists_gzip_and_only_known_formats():
    assert "gzip" in BUILT_IN
    assert set(BUILT_IN) <= {"gzip", "xz", "bzip2", "zstd"}, BUILT_IN
    assert len(set(BUILT_IN)) == len(BUILT_IN)


@test
def each_file_gives_its_summary_or_its_error():
    with open(os.path.join(DIR, "mail.log"), "rb") as f:
        plain = f.read()
    summaries = {}
    for copies in (1, 40):
        status, out, err = run("scan", "--format", "json", stdin=plain * copies)
        assert status == 0, err
        summaries[copies] = json.loads(out)
    for case in CASES:
        status, out, err = run("scan", "--format", "json", path_of(case))
        error = expected_error(case)
        if error is not None:
            assert status == 1 and out == b"", (case["file"], status, out)
            assert err.decode() == "smtpcodes: %s: %s\n" % (path_of(case), error), err
            continue
        assert status == 0 and err == b"", (case["file"], err)
        summary = json.loads(out)
        assert (summary["lines"], summary["replies"], len(summary["rows"])) == (
            int(case["lines"]), int(case["replies"]), int(case["rows"])), case
        assert summary == summaries[int(case["copies"])], case["file"]


@test
def standard_input_is_read_alike():
    for case in CASES:
        with open(path_of(case), "rb") as f:
            data = f.read()
        status, out, err = run("scan", stdin=data)
        error = expected_error(case)
        if error is not None:
            assert status == 1 and out == b"", case["file"]
            assert err.decode() == "smtpcodes: standard input: %s\n" % error, err
        else:
            assert status == 0 and out == run("scan", path_of(case))[1], case["file"]


@test
def every_format_renders_a_compressed_log():
    gz = os.path.join(DIR, "mail.log.gz")
    plain = os.path.join(DIR, "mail.log")
    for fmt in FORMATS:
        status, out, err = run("scan", "--format", fmt, gz)
        assert status == 0 and out == run("scan", "--format", fmt, plain)[1], (fmt, err)


@test
def compressed_and_plain_files_merge():
    names = ["mail.log", "mail.log.gz", "mail-members.log.gz", "mail-x40.log.gz"]
    names += [n for n, c in (("mail.log.xz", "xz"), ("mail-streams.log.bz2", "bzip2"),
                             ("mail-frames.log.zst", "zstd")) if c in BUILT_IN]
    paths = [os.path.join(DIR, n) for n in names]
    copies = len(names) - 1 + 40
    with open(os.path.join(DIR, "mail.log"), "rb") as f:
        expected = run("scan", "--format", "json", stdin=f.read() * copies)[1]
    for jobs in ("1", "2", "4"):
        status, out, err = run("scan", "--format", "json", "-j", jobs, *paths)
        assert status == 0 and out == expected, (jobs, err)


@test
def the_first_file_that_cannot_be_read_stops_the_scan():
    good = os.path.join(DIR, "mail.log.gz")
    corrupt = os.path.join(DIR, "mail-corrupt.log.gz")
    tar = os.path.join(DIR, "mail.tar")
    truncated = os.path.join(DIR, "mail-truncated.log.gz")
    messages = {c["file"]: c["error"] for c in CASES}
    for jobs in ("1", "2", "3"):
        status, out, err = run("scan", "-j", jobs, good, corrupt, good, tar, truncated)
        assert status == 1 and out == b"", (jobs, status)
        assert err.decode() == "smtpcodes: %s: %s\n" % (
            corrupt, messages["mail-corrupt.log.gz"]), (jobs, err)
        status, out, err = run("scan", "-j", jobs, good, good, truncated)
        assert status == 1 and out == b"", (jobs, status)
        assert err.decode() == "smtpcodes: %s: %s\n" % (
            truncated, messages["mail-truncated.log.gz"]), (jobs, err)


@test
def the_file_name_does_not_decide():
    # a gzip file named .log, and text named .gz, are read as what they hold
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        fake = os.path.join(tmp, "mail.log.gz")
        with open(os.path.join(DIR, "mail.log"), "rb") as f, open(fake, "wb") as g:
            g.write(f.read())
        real = os.path.join(tmp, "mail.log")
        with open(os.path.join(DIR, "mail.log.gz"), "rb") as f, open(real, "wb") as g:
            g.write(f.read())
        expected = run("scan", os.path.join(DIR, "mail.log"))[1]
        assert run("scan", fake) == (0, expected, b"")
        assert run("scan", real) == (0, expected, b"")


if __name__ == "__main__":
    sys.exit(plaintest.run())
