"""The parallel scan row of the benchmark.

    python3 bench_jobs.py SMTPCODES REPS FILE...

`smtpcodes scan -j 2 FILE...` against `smtpcodes scan -j 1 FILE...` on the same files (from
the page cache, warmed first): the median wall time of REPS runs of each, alternating. Wall
time, not CPU time: the point of -j is to finish sooner on more cores, with the same CPU time.
Both runs must print the same summary (else the row says so instead of a time).

What the machine allows is measured in the same run: two processes, `smtpcodes scan` of half
the files each, at once, against one process scanning all the files. That is the most -j 2
can gain here; a virtual machine may show two CPUs and run two processes no faster than one.

Prints "key<TAB>value" lines for bench/report.py. Nothing is asserted about time.
"""

import os
import statistics
import subprocess
import sys
import time


def out(key, value):
    if isinstance(value, float):
        value = "%.6g" % value
    print("%s\t%s" % (key, value), flush=True)


def run(argv):
    """Wall time in seconds and standard output of one run of argv."""
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit("bench_jobs: %s exited with %d" % (" ".join(argv), proc.returncode))
    return elapsed, proc.stdout


def run_at_once(argvs):
    """Wall time of the processes of argvs, started together, until the last one ends."""
    start = time.perf_counter()
    procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL) for argv in argvs]
    for proc, argv in zip(procs, argvs):
        if proc.wait() != 0:
            raise SystemExit("bench_jobs: %s exited with %d" % (" ".join(argv), proc.returncode))
    return time.perf_counter() - start


def main(argv):
    cli, reps, files = argv[1], int(argv[2]), argv[3:]
    one = [cli, "scan", "-j", "1", *files]
    two = [cli, "scan", "-j", "2", *files]
    _, summary = run(one)  # and the files into the page cache
    _, summary_two = run(two)
    out("jobs_files", len(files))
    out("jobs_bytes", sum(os.path.getsize(f) for f in files))
    out("jobs_cpus", len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count())
    if summary_two != summary:
        out("jobs_j2_s", "n/a: -j 2 printed another summary than -j 1")
        return 0
    halves = [[cli, "scan", *files[:len(files) // 2]], [cli, "scan", *files[len(files) // 2:]]]
    t_one, t_two, t_apart = [], [], []
    for _ in range(reps):
        t_one.append(run(one)[0])
        t_two.append(run(two)[0])
        t_apart.append(run_at_once(halves))
    out("jobs_j1_s", statistics.median(t_one))
    out("jobs_j2_s", statistics.median(t_two))
    out("jobs_two_processes_s", statistics.median(t_apart))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
