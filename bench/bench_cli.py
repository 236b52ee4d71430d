"""CLI and memory rows of the benchmark.

    python3 bench_cli.py SMTPCODES LIBRARY BUILTIN_OBJECT LARGE_LOG SMALL_LOG REPS

- `smtpcodes scan LARGE_LOG` against `cat LARGE_LOG > /dev/null` (both from the page cache,
  warmed first), median CPU time (user + system) of REPS runs each, alternating;
- peak memory (maximum resident set, by GNU time) of `smtpcodes scan` on
  the small and the large log: it must not grow with the input;
- the built-in database's share of libsmtpcodes.so (`size -A` of the generated builtin.c's
  object: string literals and the pointer tables), and the library's .rodata and .data.rel.ro.

Prints "key<TAB>value" lines for bench/report.py. Nothing is asserted about time.
"""

import os
import statistics
import subprocess
import sys
import tempfile


def out(key, value):
    if isinstance(value, float):
        value = "%.6g" % value
    print("%s\t%s" % (key, value), flush=True)


def run(argv):
    """CPU time (user + system) in seconds and ru_maxrss in KiB of one run of argv, output
    dropped. CPU time counts only the program's own work, kernel copies included, so that other
    load on the machine disturbs it less than wall time."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit("bench_cli: %s exited with %d" % (" ".join(argv), proc.returncode))
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def peak_kib(argv):
    """Peak resident set in KiB of one run of argv. GNU time reports the program's own peak;
    ru_maxrss from wait4() would count the pages of this Python process that the child had
    before exec, so it is only the fallback."""
    if os.access("/usr/bin/time", os.X_OK):
        with tempfile.NamedTemporaryFile("r") as f:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name] + argv, check=True,
                           stdout=subprocess.DEVNULL)
            return int(f.read().split()[-1])
    return run(argv)[1]


def sections(path):
    """{section: size} from `size -A path`."""
    text = subprocess.run(["size", "-A", path], check=True, capture_output=True,
                          text=True).stdout
    result = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            result[parts[0]] = int(parts[1])
    return result


def main(argv):
    cli, library, builtin_object, large, small, reps = argv[1:7]
    reps = int(reps)
    run(["cat", large])  # into the page cache
    run([cli, "scan", large])
    t_scan, t_cat = [], []
    for _ in range(reps):
        t_scan.append(run([cli, "scan", large])[0])
        t_cat.append(run(["cat", large])[0])
    out("cli_scan_bytes", os.path.getsize(large))
    out("cli_scan_s", statistics.median(t_scan))
    out("cli_cat_s", statistics.median(t_cat))

    rss_small = statistics.median(peak_kib([cli, "scan", small]) for _ in range(3))
    rss_large = statistics.median(peak_kib([cli, "scan", large]) for _ in range(3))
    out("mem_small_bytes", os.path.getsize(small))
    out("mem_large_bytes", os.path.getsize(large))
    out("mem_scan_small_kib", rss_small)
    out("mem_scan_large_kib", rss_large)

    try:
        db = sections(builtin_object)
        lib = sections(library)
    except (OSError, subprocess.CalledProcessError) as e:
        out("db_strings_bytes", "n/a: size -A failed (%s)" % e)
        return 0
    out("db_strings_bytes", sum(v for k, v in db.items() if k.startswith(".rodata")))
    out("db_tables_bytes", sum(v for k, v in db.items() if k.startswith(".data")))
    out("lib_rodata_bytes", lib.get(".rodata", 0))
    out("lib_relro_bytes", lib.get(".data.rel.ro", 0))
    out("lib_data_bytes", lib.get(".data", 0) + lib.get(".bss", 0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
