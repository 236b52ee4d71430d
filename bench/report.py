"""Prints the benchmark's one table from the "key<TAB>value" results that run.sh collected.

    python3 report.py RESULTS.tsv [--bounce]

Every ratio compares two figures measured in the same run. The verdict column says whether the
project's target for that row is met; it is information, not an assertion: the exit status is 0 whatever
the figures (a missing result shows as "n/a: <reason>").
"""

import sys


# Keys measured more than once, of which the best (least) time counts.
BEST_OF = ("base_compare_", "now_compare_", "c_compare_vi_", "en_compare_")


def load(path):
    results = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" in line:
                key, value = line.split("\t", 1)
                if key.startswith(BEST_OF) and key in results:
                    try:
                        value = str(min(float(value), float(results[key])))
                    except ValueError:
                        pass
                results[key] = value
    return results


class Results:
    def __init__(self, values):
        self.values = values

    def num(self, key):
        """The number under key, or raises Missing with the reason."""
        value = self.values.get(key)
        if value is None:
            raise Missing("n/a: not measured (%s)" % key)
        if value.startswith("n/a"):
            raise Missing(value)
        try:
            return float(value)
        except ValueError:
            raise Missing("n/a: %s = %r" % (key, value))

    def text(self, key, default=""):
        return self.values.get(key, default)


class Missing(Exception):
    pass


def fmt(x, unit=""):
    if x >= 100:
        s = "%.0f" % x
    elif x >= 10:
        s = "%.1f" % x
    elif x >= 1:
        s = "%.2f" % x
    else:
        s = "%.3g" % x
    return s + (" " + unit if unit else "")


def kib(n):
    return "%.0f KiB" % (n / 1024.0) if n >= 10240 else "%.1f KiB" % (n / 1024.0)


def add_row(table, what, target, compute):
    """Appends (what, smtpcodes, baseline, ratio, target, verdict) to table from compute(),
    which returns the first cells and whether the target is met (None: no target); a row
    whose figures are missing keeps its name and target and says why in the other cells."""
    try:
        ours, base, ratio, met = compute()
        verdict = "n/a" if met is None else ("met" if met else "MISSED")
    except Missing as e:
        ours, base, ratio, verdict = str(e), "", "", "n/a"
    table.append((what, ours, base, ratio, target, verdict))


def rows(r):
    """(what, smtpcodes, baseline, ratio, target, verdict) for each row; a row whose figures
    are missing keeps its name and target and says why in the other cells."""
    table = []

    def row(what, target, compute):
        add_row(table, what, target, compute)

    def throughput(prefix, bound_key, what, bound_name):
        def compute():
            gbps = r.num(prefix + "_gbps")
            bound = r.num(bound_key)
            slower = bound / gbps
            return (fmt(gbps, "GB/s"), "%s %s" % (bound_name, fmt(bound, "GB/s")),
                    "%sx the bound" % fmt(slower), gbps >= 1.0 and slower <= 4.0)
        row(what, ">= 1 GB/s and <= 4x the bound", compute)

    c_parse_what = "C `smtpc_reply_parse`, stream of %s replies (%s)" % (
        r.text("c_parse_replies", "?"), mb(r.text("c_parse_bytes")))
    throughput("c_parse", "c_parse_split_gbps", c_parse_what, "memchr line split")
    throughput("c_scan", "c_scan_split_gbps",
               "C `smtpc_scanner_feed`, Postfix log in memory (%s)" % mb(r.text("c_scan_bytes")),
               "memchr line split")

    def cli():
        size = r.num("cli_scan_bytes")
        scan = r.num("cli_scan_s")
        cat = r.num("cli_cat_s")
        gbps = size / scan / 1e9
        return (fmt(gbps, "GB/s") + " (%s s)" % fmt(scan), "`cat` %s (%s s)" % (
            fmt(size / cat / 1e9, "GB/s"), fmt(cat)), "%sx the bound" % fmt(scan / cat),
            gbps >= 1.0 and scan / cat <= 4.0)
    row("CLI `smtpcodes scan LOG` (%s, page cache)" % mb(r.text("cli_scan_bytes")),
        ">= 1 GB/s and <= 4x the bound", cli)

    def jobs():
        one = r.num("jobs_j1_s")
        two = r.num("jobs_j2_s")
        machine = one / r.num("jobs_two_processes_s")
        speedup = one / two
        # The target is for two cores: a machine that runs two processes at once less than
        # 1.7x as fast as one after the other cannot meet it, whatever -j does.
        met = speedup >= 1.7 if machine >= 1.7 else None
        note = "" if met is not None else "; no target here: two processes at once run only " \
            "%sx as fast as one (%s CPUs shown)" % (fmt(machine), r.text("jobs_cpus", "?"))
        return (fmt(two, "s"), "`-j 1` %s; two processes of half the files each, at once: %s "
                "(%sx)" % (fmt(one, "s"), fmt(r.num("jobs_two_processes_s"), "s"),
                           fmt(machine)),
                "%sx faster%s" % (fmt(speedup), note), met)
    row("CLI `smtpcodes scan -j 2` against `-j 1`, %s files (%s in all, page cache, wall time)"
        % (r.text("jobs_files", "?"), mb(r.text("jobs_bytes"))), ">= 1.7x on 2 cores", jobs)

    def compressed(key, tool, suffix):
        def compute():
            scan = r.num("compressed_%s_scan_s" % key)
            alone = r.num("compressed_%s_alone_s" % key)
            return (fmt(scan, "s"), "`%s -dc LOG%s > /dev/null` %s" % (tool, suffix,
                                                                        fmt(alone, "s")),
                    "%sx decompression alone" % fmt(scan / alone), scan / alone <= 1.3)
        row("CLI `smtpcodes scan LOG%s` (%s of text, %s compressed, page cache, best wall time)"
            % (suffix, mb(r.text("compressed_log_bytes")),
               mb(r.text("compressed_%s_bytes" % key))),
            "<= 1.3x decompression alone", compute)
    compressed("gz", "gzip", ".gz")
    compressed("zst", "zstd", ".zst")

    def pflogsumm():
        ours = r.num("pflogsumm_scan_s")
        theirs = r.num("pflogsumm_s")
        return (fmt(ours, "s"), "`pflogsumm LOG` %s (same totals: %s)" % (
            fmt(theirs, "s"), r.text("pflogsumm_agreement", "?")),
            "%sx faster" % fmt(theirs / ours), theirs / ours >= 100)
    row("CLI `smtpcodes scan --by domain LOG` against Debian's pflogsumm (%s Postfix day, "
        "page cache, best wall time)" % mb(r.text("pflogsumm_log_bytes")), ">= 100x faster",
        pflogsumm)

    def one_pair():
        us = r.num("c_compare_text_us")
        others = ", ".join("%s %s" % (f, fmt(r.num("c_compare_%s_us" % f)))
                           for f in ("markdown", "html", "json"))
        alone = r.values.get("c_compare_only_us")
        if alone is not None and not alone.startswith("n/a"):
            others = "compare alone %s; %s" % (fmt(float(alone)), others)
        return fmt(us, "µs/page"), "", "(%s µs)" % others, us < 5.0
    row("C compare + render one pair (421 vs 504, en, text)", "< 5 µs per page", one_pair)

    def against_untranslated():
        ours = r.num("now_compare_text_us")
        theirs = r.num("base_compare_text_us")
        others = ", ".join("%s %.2fx" % (f, r.num("now_compare_%s_us" % f) /
                                         r.num("base_compare_%s_us" % f))
                           for f in ("markdown", "html", "json"))
        return (fmt(ours, "µs/page"), "before translations (%s) %s" % (
            r.text("base_compare_rev", "?")[:7], fmt(theirs, "µs/page")),
            "%.2fx (%s)" % (ours / theirs, others), ours / theirs <= 1.2)
    row("C comparison page (421 vs 504, en, text) against the library before translations",
        "<= 1.2x", against_untranslated)

    def in_vietnamese():
        ours = r.num("c_compare_vi_text_us")
        theirs = r.num("en_compare_text_us")
        return (fmt(ours, "µs/page"), "English %s" % fmt(theirs, "µs/page"),
                "%.2fx" % (ours / theirs), ours / theirs <= 1.2)
    row("C comparison page in Vietnamese (every word translated) against English",
        "<= 1.2x", in_vietnamese)

    def all_pairs():
        s = r.num("c_allpairs_s")
        pages = r.num("c_allpairs_pages")
        return (fmt(s, "s"), "", "%d pages, %s µs/page" % (pages, fmt(s / pages * 1e6)),
                s < 1.0)
    row("C every pair in every language (%s codes, %s languages, text)" % (
        r.text("c_allpairs_codes", "?"), r.text("c_allpairs_languages", "?")),
        "< 1 s total", all_pairs)

    def extract():
        ours = r.num("c_extract_ns_per_line")
        theirs = r.num("sisimai_ns_per_line")
        return (fmt(ours, "ns/line"), "Sisimai %s %s" % (
            r.text("sisimai_version", "?"), fmt(theirs, "ns/line")),
            "%sx faster" % fmt(theirs / ours), theirs / ours >= 100)
    row("Reply + enhanced code extraction, %s log lines (C, embedded parse)" % r.text(
        "c_extract_lines", "?"), ">= 100x faster", extract)

    def at_most(key, base_key, base_name, limit, unit):
        def compute():
            ours = r.num(key)
            base = r.num(base_key)
            return (fmt(ours, unit), "%s %s" % (base_name, fmt(base, unit)),
                    "%sx the baseline" % fmt(ours / base), ours / base <= limit)
        return compute

    def faster(key, base_key, base_name, limit, unit):
        def compute():
            ours = r.num(key)
            base = r.num(base_key)
            return (fmt(ours, unit), "%s %s" % (base_name, fmt(base, unit)),
                    "%sx faster" % fmt(base / ours), base / ours >= limit)
        return compute

    row("Python `lookup(421).name`", "<= 1.5x the dict",
        at_most("py_lookup_name_ns", "py_dict_name_ns", "`D[421].name`", 1.5, "ns"))
    row("Python `lookup(503).name`", ">= 5x faster",
        faster("py_lookup503_ns", "py_httpstatus_ns", "`HTTPStatus(503).phrase`", 5, "ns"))
    row("Python `parse_reply`, reply corpus", ">= 5x faster",
        faster("py_parse_us", "py_re_parse_us", "pure-Python `re` parser", 5, "µs"))
    row("Python `scan(path)`, Postfix log (%s)" % mb(r.text("py_scan_bytes")), ">= 20x faster",
        faster("py_scan_s", "py_re_scan_s", "pure-Python `re` loop", 20, "s"))

    def import_time():
        ours = r.num("py_import_ms")
        base = r.num("py_pass_ms")
        return (fmt(ours, "ms"), "`python3 -c pass` %s" % fmt(base, "ms"),
                "+%s ms" % fmt(ours - base), ours - base < 10)
    row("`python3 -c \"import smtpcodes\"`", "< 10 ms more", import_time)

    row("Lua `lookup(421).name` (%s)" % r.text("lua_interpreter", "Lua"), "<= 2x the table",
        at_most("lua_lookup_name_ns", "lua_table_name_ns", "`T[421].name`", 2, "ns"))
    row("Lua `parse_reply`, reply corpus", ">= 3x faster",
        faster("lua_parse_us", "lua_pattern_parse_us", "pure-Lua pattern parser", 3, "µs"))

    def peak_memory():
        small = r.num("mem_scan_small_kib")
        large = r.num("mem_scan_large_kib")
        return ("%s: %.0f KiB" % (mb(r.text("mem_large_bytes")), large),
                "%s: %.0f KiB" % (mb(r.text("mem_small_bytes")), small),
                "%sx" % fmt(large / small), large / small <= 1.1)
    row("Peak RSS of `smtpcodes scan` (large vs small log)", "flat (<= 1.1x)", peak_memory)

    def db_size():
        strings = r.num("db_strings_bytes")
        tables = r.num("db_tables_bytes")
        return ("%s strings + %s tables" % (kib(strings), kib(tables)),
                "libsmtpcodes.so: .rodata %s, .data.rel.ro %s" % (
                    kib(r.num("lib_rodata_bytes")), kib(r.num("lib_relro_bytes"))), "", None)
    row("Built-in database in libsmtpcodes.so (`size -A` of builtin.c.o)", "(report)", db_size)

    def db_rss():
        delta = r.num("db_rss_delta_kib")
        return ("+%.0f KiB" % delta, "RSS before %.0f KiB" % r.num("db_rss_before_kib"),
                "%s entries, %s of text read" % (r.text("db_entries", "?"),
                                                 kib(r.num("db_entry_text_bytes"))), None)
    row("RSS growth of a process that reads every entry, group and label", "(report)", db_rss)
    return table + bounce_rows(r)


def bounce_rows(r):
    """The rows of bench/bounce.sh: messages per second against Sisimai, and time against the
    size of a DSN that returns a large attachment."""
    table = []

    # The baseline is shown even when smtpcodes has no `bounce` command to measure.
    def throughput():
        theirs = r.num("sisimai_bounce_msgs_per_s")
        base = "Sisimai %s `dump` %s msg/s (%s records)" % (
            r.text("sisimai_version", "?"), fmt(theirs), r.text("sisimai_bounce_records", "?"))
        try:
            ours = r.num("bounce_msgs_per_s")
        except Missing as e:
            return str(e), base, "", None
        return ("%s msg/s (%s records)" % (fmt(ours), r.text("bounce_records", "?")), base,
                "%sx faster" % fmt(ours / theirs), None)
    add_row(table, "Bounce messages per second, `smtpcodes bounce --format json`, %s messages "
            "(tests/vectors/bounces in one mbox, %s)" % (r.text("bounce_messages", "?"),
                                                         mb(r.text("bounce_mbox_bytes"))),
            "(report)", throughput)

    def agreement():
        try:
            messages, total = r.num("bounce_agree_messages"), r.num("bounce_agree_total")
            reasons, records = r.num("bounce_agree_reasons"), r.num("bounce_agree_records")
        except Missing as e:
            return str(e), "", "", None
        return ("same recipients in %d of %d messages" % (messages, total),
                "Sisimai %s, the same messages" % r.text("sisimai_version", "?"),
                "same reason for %d of %d records both find" % (reasons, records), None)
    add_row(table, "What smtpcodes and Sisimai find in each message of tests/vectors/bounces "
            "(`sisimai_bounce.pl list` shows where they part)", "(report)", agreement)

    def per_mb(factor):
        return r.num("bounce_attach%d_s" % factor) / (r.num("bounce_attach%d_bytes" % factor) / 1e6)

    def linear():
        try:
            base = "Sisimai: 1x %s s, 4x %s s" % (fmt(r.num("sisimai_attach1_s")),
                                                  fmt(r.num("sisimai_attach4_s")))
        except Missing:
            base = ""
        try:
            ms = [per_mb(f) * 1e3 for f in (1, 2, 4)]
        except Missing as e:
            return str(e), base, "", None
        ratio = ms[2] / ms[0]
        return ("%s / %s / %s ms per MB" % tuple(fmt(x) for x in ms), base,
                "4x/1x per MB: %s" % fmt(ratio), ratio <= 1.5)
    sizes = " / ".join(mb(r.text("bounce_attach%d_bytes" % f)) for f in (1, 2, 4))
    add_row(table, "`smtpcodes bounce`, a DSN returning a %s MB base64 attachment, 1x/2x/4x "
            "(%s messages)" % (r.text("bounce_attach_mb", "?"), sizes),
            "linear: time per MB at 4x <= 1.5x at 1x", linear)
    return table


def mb(value):
    try:
        n = float(value)
        return "%.0f MB" % (n / 1e6) if n >= 0.95e6 else "%.0f kB" % (n / 1e3)
    except (TypeError, ValueError):
        return "? MB"


def main(argv):
    """report.py RESULTS [--bounce]: every row, or with --bounce only those of bounce.sh."""
    r = Results(load(argv[1]))
    header = ("what", "smtpcodes", "baseline (same run)", "ratio", "target", "verdict")
    table = bounce_rows(r) if "--bounce" in argv[2:] else rows(r)
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for line in table:
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
