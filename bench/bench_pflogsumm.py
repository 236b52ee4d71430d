"""The pflogsumm row of the benchmark: the summary postmasters run on Postfix logs, against
`smtpcodes scan --by domain` on the same log.

    python3 bench_pflogsumm.py SMTPCODES REPS LOG

LOG is a day of a busy relay's Postfix log made by gen_inputs.py. From the page cache (warmed
first), the best wall time of REPS runs of each, alternating:

    smtpcodes scan --by domain LOG     against   pflogsumm LOG        (Debian's pflogsumm)

Both write their report to /dev/null. Before timing, the two are checked to agree on what they
both count (the deliveries, deferrals, bounces and rejects of the day), so that the row compares
the same work; a disagreement is printed instead of a time.

Prints "key<TAB>value" lines for bench/report.py. Nothing is asserted about time.
"""

import json
import re
import shutil
import subprocess
import sys
import time


def out(key, value):
    if isinstance(value, float):
        value = "%.6g" % value
    print("%s\t%s" % (key, value), flush=True)


def run(argv):
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit("bench_pflogsumm: %s exited with %d: %s"
                         % (" ".join(argv), proc.returncode, proc.stderr.decode()[-300:]))
    return elapsed, proc.stdout


def pflogsumm_totals(report):
    """pflogsumm's grand totals: delivered, deferrals, bounced, rejected."""
    text = report.decode("utf-8", "replace")

    def total(pattern):
        m = re.search(pattern, text, re.M)
        return int(m.group(1)) if m else None

    return {"delivered": total(r"^\s*(\d+)\s+delivered$"),
            "deferred": total(r"^\s*\d+\s+deferred\s+\((\d+)\s+deferrals\)"),
            "bounced": total(r"^\s*(\d+)\s+bounced$"),
            "rejected": total(r"^\s*(\d+)\s+rejected\b")}


def main(argv):
    cli, reps, log = argv[1], int(argv[2]), argv[3]
    pflogsumm = shutil.which("pflogsumm")
    if pflogsumm is None:
        out("pflogsumm_s", "n/a: pflogsumm is not installed (apt-get install -y pflogsumm)")
        return 0
    with open(log, "rb") as f:
        out("pflogsumm_log_bytes", len(f.read()))
    ours = [cli, "scan", "--by", "domain", "--format", "json", log]
    theirs = [pflogsumm, log]
    _, summary = run(ours)
    _, report = run(theirs)
    outcomes = json.loads(summary)["outcomes"]
    totals = pflogsumm_totals(report)
    out("pflogsumm_agreement", " ".join(
        "%s %s/%s" % (k, outcomes[k], totals[k]) for k in ("delivered", "deferred", "bounced",
                                                           "rejected")))
    t_ours, t_theirs = [], []
    for _ in range(reps):
        t_ours.append(run(ours)[0])
        t_theirs.append(run(theirs)[0])
    out("pflogsumm_scan_s", min(t_ours))
    out("pflogsumm_s", min(t_theirs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
