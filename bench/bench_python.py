"""Python rows of the benchmark: the smtpcodes package against pure-Python baselines, timed in
the same process, subject and baseline alternating, medians of repeated runs. Times are CPU
times (time.process_time, and the children's rusage for the import row), which a busy machine
disturbs less than wall time.

    python bench_python.py CORPUS LOG REPS

Prints "key<TAB>value" lines for bench/report.py; a row whose subject is missing (the package
does not import, or has no parse_reply or scan yet) gets "n/a: <reason>" instead of a number,
and the baseline is still measured. Nothing is asserted about time.
"""

import http
import os
import re
import statistics
import subprocess
import sys
import time
import timeit


def out(key, value):
    if isinstance(value, float):
        value = "%.6g" % value
    print("%s\t%s" % (key, value), flush=True)


def read_corpus(path):
    """The reply corpus written by gen_inputs.py: records "LENGTH\\n" + LENGTH bytes."""
    with open(path, "rb") as f:
        data = f.read()
    replies, at = [], 0
    while at < len(data):
        nl = data.index(b"\n", at)
        n = int(data[at:nl])
        replies.append(data[nl + 1:nl + 1 + n].decode("utf-8"))
        at = nl + 1 + n
    return replies


def per_call_ns(stmt, setup_globals, number, reps):
    """Median time of one execution of `stmt`, in nanoseconds."""
    timer = timeit.Timer(stmt, globals=setup_globals, timer=time.process_time)
    return statistics.median(timer.timeit(number) for _ in range(reps)) / number * 1e9


def alternate(subject, baseline, reps):
    """Runs subject() and baseline() alternately `reps` times; their median durations."""
    ts, tb = [], []
    for _ in range(reps):
        t0 = time.process_time()
        subject()
        t1 = time.process_time()
        baseline()
        t2 = time.process_time()
        ts.append(t1 - t0)
        tb.append(t2 - t1)
    return statistics.median(ts), statistics.median(tb)


# ---- baselines written the way a Python programmer would, with re ----

class Simple:
    """What a plain dict of simple objects holds: one attribute per fact."""

    __slots__ = ("code", "name")

    def __init__(self, code, name):
        self.code = code
        self.name = name


REPLY_LINE = re.compile(r"([2-5][0-9][0-9])(?:([ -])(.*))?\Z", re.S)
ENHANCED = re.compile(r"([245]\.[0-9]{1,3}\.[0-9]{1,3})(?: |\Z)")
ACTIONS = {2: "done", 3: "continue", 4: "retry", 5: "give-up"}


def re_parse_reply(text):
    """A pure-Python reply parser with the same reach as smtpcodes.parse_reply on well-formed
    input: lines (CRLF or LF), one code on every line, the first enhanced code, the text, the
    class and the first-digit action. (It looks nothing up and checks no UTF-8, so it does less
    than the library does.)"""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    code = enhanced = None
    texts = []
    for i, line in enumerate(lines):
        if line.endswith("\r"):
            line = line[:-1]
        m = REPLY_LINE.match(line)
        if m is None:
            raise ValueError("line %d: not a reply line" % (i + 1))
        this = int(m.group(1))
        if code is None:
            code = this
        elif this != code:
            raise ValueError("line %d: codes differ" % (i + 1))
        rest = m.group(3) or ""
        e = ENHANCED.match(rest)
        if e is not None:
            if enhanced is None:
                enhanced = e.group(1)
            rest = rest[e.end():]
        texts.append(rest)
        if m.group(2) != "-":
            break
    else:
        raise ValueError("no final line")
    return {"code": code, "enhanced": enhanced, "lines": texts, "text": "\n".join(texts),
            "class": code // 100, "action": ACTIONS[code // 100]}


# The C scanner's rule (core/src/reply.c, smtpc_find_embedded_reply): a code 2xx-5xx at the start
# of the line, after "(" or after ": " / "; ", followed by a space, "-" or the end; then an
# enhanced code at the start of the text.
EMBEDDED = re.compile(rb"(?:^|\(|[:;] )([2-5][0-9][0-9])(?:[ -]|$)"
                      rb"(?:([245]\.[0-9]{1,3}\.[0-9]{1,3})(?= |$))?", re.M)


def re_scan(path):
    """A pure-Python log scan doing the same counting as smtpcodes scan: lines, replies, and
    per (code, enhanced code) a count and the first line seen."""
    rows = {}
    lines = replies = 0
    search = EMBEDDED.search
    with open(path, "rb") as f:
        for line in f:
            lines += 1
            m = search(line)
            if m is None:
                continue
            replies += 1
            key = (int(m.group(1)), m.group(2))
            row = rows.get(key)
            if row is None:
                rows[key] = [1, line.rstrip(b"\r\n")[:400]]
            else:
                row[0] += 1
    return lines, replies, rows


def child_cpu(argv):
    """CPU time (user + system) of one run of argv, from wait4()."""
    proc = subprocess.Popen(argv)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("bench_python: %s failed" % " ".join(argv))
    return usage.ru_utime + usage.ru_stime


def main(argv):
    corpus_path, log_path, reps = argv[1], argv[2], int(argv[3])
    quick = reps <= 3
    number = 20000 if quick else 200000
    try:
        import smtpcodes
    except Exception as e:  # any failure to import is a reason to skip the rows
        smtpcodes = None
        missing = "n/a: import smtpcodes failed (%s: %s)" % (type(e).__name__,
                                                             str(e).splitlines()[0][:80])
    else:
        missing = None
        out("py_version", smtpcodes.__version__)

    # lookup(421).name vs a plain dict of simple objects
    names = {421: "Service Not Available", 250: "OK", 550: "Mailbox Not Found"}
    if smtpcodes is not None:
        names = {int(c.code): c.name for c in smtpcodes.codes() if str(c.code).isdigit()}
    D = {code: Simple(code, name) for code, name in names.items()}
    g = {"D": D, "HTTPStatus": http.HTTPStatus}
    if smtpcodes is not None:
        g["lookup"] = smtpcodes.lookup
    out("py_dict_name_ns", per_call_ns("D[421].name", g, number, reps))
    out("py_lookup_name_ns", per_call_ns("lookup(421).name", g, number, reps)
        if smtpcodes is not None else missing)

    # lookup vs http.HTTPStatus(503).phrase
    out("py_httpstatus_ns", per_call_ns("HTTPStatus(503).phrase", g, number, reps))
    out("py_lookup503_ns", per_call_ns("lookup(503).name", g, number, reps)
        if smtpcodes is not None else missing)

    # parse_reply vs a pure-Python re parser, over the corpus
    replies = read_corpus(corpus_path)
    rounds = max(1, (2000 if quick else 20000) // len(replies))

    def run_re():
        for _ in range(rounds):
            for r in replies:
                re_parse_reply(r)

    calls = rounds * len(replies)
    parse_reply = getattr(smtpcodes, "parse_reply", None) if smtpcodes is not None else None
    parse_reason = None
    if parse_reply is not None:
        # A binding still being written may have the function and fail in it: say so.
        try:
            for r in replies:
                parse_reply(r)
        except Exception as e:
            parse_reason = "n/a: parse_reply fails on the corpus (%s: %s)" % (
                type(e).__name__, str(e).splitlines()[0][:80] if str(e) else "")
            parse_reply = None
    if parse_reply is not None:
        def run_lib():
            for _ in range(rounds):
                for r in replies:
                    parse_reply(r)
        t_lib, t_re = alternate(run_lib, run_re, reps)
        out("py_parse_us", t_lib / calls * 1e6)
    else:
        t_re = statistics.median(timeit.repeat(run_re, number=1, repeat=reps,
                                               timer=time.process_time))
        out("py_parse_us", missing or parse_reason
            or "n/a: smtpcodes.parse_reply is not there yet")
    out("py_re_parse_us", t_re / calls * 1e6)

    # scan of the log vs a pure-Python re loop doing the same counting
    scan_reps = 1 if quick else 3
    scan = getattr(smtpcodes, "scan", None) if smtpcodes is not None else None
    scan_reason = None
    lines, found, rows = re_scan(log_path)  # warms the page cache, checks the baseline
    out("py_re_scan_lines", lines)
    out("py_re_scan_replies", found)
    out("py_re_scan_rows", len(rows))
    if scan is not None:
        try:
            scan(corpus_path)  # any small file: does the function work at all?
        except Exception as e:
            scan_reason = "n/a: scan fails (%s: %s)" % (type(e).__name__,
                                                       str(e).splitlines()[0][:80] if str(e) else "")
            scan = None
    if scan is not None:
        t_lib, t_re = alternate(lambda: scan(log_path), lambda: re_scan(log_path), scan_reps)
        out("py_scan_s", t_lib)
    else:
        t_re = statistics.median(timeit.repeat(lambda: re_scan(log_path), number=1,
                                               repeat=scan_reps, timer=time.process_time))
        out("py_scan_s", missing or scan_reason or "n/a: smtpcodes.scan is not there yet")
    out("py_re_scan_s", t_re)
    out("py_scan_bytes", os.path.getsize(log_path))

    # import time: python -c "import smtpcodes" vs python -c pass, fresh processes
    runs = 5 if quick else 21
    py = sys.executable
    child_cpu([py, "-c", "import smtpcodes" if smtpcodes is not None else "pass"])  # warm up
    t_pass = []
    t_import = []
    for _ in range(runs):
        t_pass.append(child_cpu([py, "-c", "pass"]))
        if smtpcodes is not None:
            t_import.append(child_cpu([py, "-c", "import smtpcodes"]))
    out("py_pass_ms", statistics.median(t_pass) * 1e3)
    out("py_import_ms", statistics.median(t_import) * 1e3 if t_import else missing)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
