#!/usr/bin/env python3
"""Tests of `smtpcodes scan` on delivery attempts: --by and its groups on the MTA logs
(tests/vectors/scan-groups.tsv), --top, --bucket, --year and their refusals, and --state over
nights of a log that grows, is rotated and compressed.

Usage: test_scan_groups.py SMTPCODES-BINARY VECTORS-DIR
Runs with the standard library only and ends with a line "N passed, N failed".
"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402
from vectorfiles import rows  # noqa: E402

BINARY = sys.argv[1]
VECTORS = sys.argv[2]
MTA = os.path.join(VECTORS, "logs", "mta")


def run(*args, stdin=None):
    env = dict(os.environ)
    plaintest.neutral_environment(env)
    proc = subprocess.run([BINARY, *args], capture_output=True, env=env, input=stdin,
                          timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def scan_json(*args):
    status, out, err = run("scan", "--format", "json", *args)
    assert status == 0 and err == b"", (args, status, err)
    return json.loads(out)


@test
def groups_of_the_logs():
    cases = {}
    for row in rows(VECTORS, "scan-groups.tsv"):
        cases.setdefault((row["log"], row["by"]), []).append(row)
    assert len(cases) >= 15
    for (log, by), want in cases.items():
        got = scan_json("--by", by, "--year", "2024", os.path.join(VECTORS, "logs", log))
        totals = want[0]
        assert totals["values"] == "*"
        assert got["attempts"] == int(totals["count"]), (log, by)
        for outcome in ("delivered", "deferred", "bounced", "rejected"):
            assert got["outcomes"][outcome] == int(totals[outcome]), (log, by, outcome)
        assert got["by"] == by.split(",")
        assert [(",".join(g["values"]), g["count"], g["bounced"]) for g in got["groups"]] == [
            (w["values"], int(w["count"]), int(w["bounced"])) for w in want[1:]], (log, by)


@test
def top_and_formats():
    path = os.path.join(MTA, "postfix.log")
    whole = scan_json("--by", "domain,reason", path)
    top = scan_json("--by", "domain,reason", "--top", "3", path)
    assert len(top["groups"]) == 3 and top["groups"] == whole["groups"][:3]
    assert top["groups_total"] == len(whole["groups"]) > 3
    status, text, _ = run("scan", "--by", "domain,reason", "--top", "3", path)
    assert status == 0 and b"%d more groups" % (len(whole["groups"]) - 3) in text
    status, html, _ = run("scan", "--by", "domain", "--format", "html", path)
    assert status == 0 and b"<svg" in html and b"text-align: left" in html
    status, md, _ = run("scan", "--by", "domain", "--format", "markdown", path)
    assert status == 0 and b"| Domain |" in md
    quarters = scan_json("--by", "time", "--bucket", "15m", "--year", "2024", path)
    assert quarters["bucket"] == 900
    assert all(g["values"][0].startswith("2024-11-") for g in quarters["groups"]
               if g["values"][0])


@test
def bad_settings_are_usage_errors():
    path = os.path.join(MTA, "postfix.log")
    for args, says in ((("--by", "colour"), b"is no axis"),
                       (("--by", "domain,domain"), b"named twice"),
                       (("--bucket", "1w"), b"--bucket"),
                       (("--bucket", "30s"), b"60 to"),
                       (("--year", "1969"), b"--year"),
                       (("--year", "twenty"), b"--year"),
                       (("--top", "-1"), b"--top"),
                       (("--top", "x"), b"--top")):
        status, out, err = run("scan", *args, path)
        assert status == 2 and out == b"" and says in err, (args, status, err)


@test
def nights_of_a_rotated_log():
    """Each night scans mail.log (and mail.log.1 after rotation) with --state: the nights add
    up to one scan of everything, though logrotate renames the log and gzips the old one."""
    lines = open(os.path.join(MTA, "postfix.log"), "rb").read().splitlines(keepends=True)
    lines += open(os.path.join(MTA, "postfix-queue.log"), "rb").read().splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as tmp:
        state = os.path.join(tmp, "state")
        log = os.path.join(tmp, "mail.log")

        def night(*names):
            return scan_json("--state", state, *[os.path.join(tmp, n) for n in names])

        with open(log, "wb") as f:
            f.writelines(lines[:12])
            f.write(lines[12][:30])  # a line still being written
        totals = [night("mail.log")]
        assert totals[0]["lines"] == 12
        with open(log, "wb") as f:
            f.writelines(lines[:30])
        totals.append(night("mail.log"))
        os.rename(log, log + ".1")  # logrotate
        with open(log + ".1", "ab") as f:
            f.writelines(lines[30:40])  # written before the rotation, after the last night
        with open(log, "wb") as f:
            f.writelines(lines[40:50])
        totals.append(night("mail.log.1", "mail.log"))
        with open(log + ".1", "rb") as f, gzip.open(log + ".2.gz", "wb") as z:
            shutil.copyfileobj(f, z)
        os.remove(log + ".1")
        os.rename(log, log + ".1")
        with open(log, "wb") as f:
            f.writelines(lines[50:])
        totals.append(night("mail.log.2.gz", "mail.log.1", "mail.log"))
        nothing = night("mail.log.2.gz", "mail.log.1", "mail.log")
        assert nothing["lines"] == 0 and nothing["attempts"] == 0
        with open(os.path.join(tmp, "all.log"), "wb") as f:
            f.writelines(lines)
        whole = scan_json(os.path.join(tmp, "all.log"))
        assert sum(t["lines"] for t in totals) == whole["lines"] == len(lines)
        assert sum(t["attempts"] for t in totals) == whole["attempts"]
        for outcome in whole["outcomes"]:
            assert sum(t["outcomes"][outcome] for t in totals) == whole["outcomes"][outcome]
        saved = open(state, "rb").read()
        assert saved.startswith(b"smtpcodes-state 1\n") and saved.endswith(b"end 3\n"), saved
        # a broken state is refused, named with its line and column, and left as it was
        with open(state, "wb") as f:
            f.write(b"smtpcodes-state 1\ninput nonsense\nend 1\n")
        status, out, err = run("scan", "--state", state, log)
        assert status == 1 and out == b"" and state.encode() + b":2:1:" in err, err
        assert open(state, "rb").read() == b"smtpcodes-state 1\ninput nonsense\nend 1\n"


if __name__ == "__main__":
    sys.exit(plaintest.run())
