"""The compressed-log rows of the benchmark.

    python3 bench_compressed.py SMTPCODES REPS LOG

LOG (a plain log made by gen_inputs.py) is compressed with gzip and with zstd at their default
levels, as logrotate leaves it (LOG.gz and LOG.zst are made next to it, once). Then, from the
page cache (warmed first), the best wall time of REPS runs of each, alternating:

    smtpcodes scan LOG.gz       against   gzip -dc LOG.gz > /dev/null
    smtpcodes scan LOG.zst      against   zstd -dc LOG.zst > /dev/null

Decompression alone is the bound: the scan decodes the same bytes and reads the text too. The
summary of each compressed file must be the plain log's (else the row says so instead of a
time).

Prints "key<TAB>value" lines for bench/report.py. Nothing is asserted about time.
"""

import os
import shutil
import subprocess
import sys
import time


def out(key, value):
    if isinstance(value, float):
        value = "%.6g" % value
    print("%s\t%s" % (key, value), flush=True)


def run(argv, stdout=subprocess.DEVNULL):
    """Wall time in seconds of one run of argv (and its output when stdout is PIPE)."""
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=stdout)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit("bench_compressed: %s exited with %d"
                         % (" ".join(argv), proc.returncode))
    return elapsed, proc.stdout


def compress(tool, log, path):
    """`tool -c LOG > PATH` at the tool's default level, unless PATH is already newer."""
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(log):
        return
    with open(path + ".tmp", "wb") as f:
        subprocess.run([tool, "-c", "-q", log] if tool == "zstd" else [tool, "-c", log],
                       stdout=f, check=True)
    os.replace(path + ".tmp", path)


def measure(key, cli, tool, log, suffix, reps, plain_summary):
    """The rows of one format: scan against decompression alone."""
    if shutil.which(tool) is None:
        out("compressed_%s_scan_s" % key, "n/a: %s is not installed" % tool)
        return
    path = log + suffix
    compress(tool, log, path)
    out("compressed_%s_bytes" % key, os.path.getsize(path))
    scan = [cli, "scan", path]
    alone = [tool, "-dc", path]
    _, summary = run(scan, stdout=subprocess.PIPE)  # and the file into the page cache
    if summary != plain_summary:
        out("compressed_%s_scan_s" % key, "n/a: the summary of %s is not the plain log's"
            % os.path.basename(path))
        return
    run(alone)
    t_scan, t_alone = [], []
    for _ in range(reps):
        t_scan.append(run(scan)[0])
        t_alone.append(run(alone)[0])
    out("compressed_%s_scan_s" % key, min(t_scan))
    out("compressed_%s_alone_s" % key, min(t_alone))


def main(argv):
    cli, reps, log = argv[1], int(argv[2]), argv[3]
    out("compressed_log_bytes", os.path.getsize(log))
    _, plain_summary = run([cli, "scan", log], stdout=subprocess.PIPE)
    measure("gz", cli, "gzip", log, ".gz", reps, plain_summary)
    measure("zst", cli, "zstd", log, ".zst", reps, plain_summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
