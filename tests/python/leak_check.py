"""Leaks through the Python binding: calls every function of the package in a
loop and measures how much the resident memory of the process grows once it is warmed up.

    python leak_check.py [--scale S] DATA_FILE

The loop does 1,000,000 lookups (ints, texts, enhanced codes with a class, smtplib tuples and
exceptions, Code objects, and failing ones that raise), 100,000 comparisons (rendered in every
format now and then, and failing ones), 100,000 parse_reply calls (every golden vector, every
attribute of each reply, renderings, failures) with the stream parser and classify, 100,000
build_reply calls (and refusals), scans of a log by path, file and lines (some merged, saved,
loaded back and pickled), and loads of
DATA_FILE, of broken data files and of missing ones, using each loaded database. One warm-up
pass of a tenth of that runs first, so that caches and allocator pools are filled. --scale
multiplies every count (0.01 for a quick try).

Prints one JSON object: {"rss_before": bytes, "rss_after": bytes, "growth": bytes, "seconds":
s, "calls": {...}}. Resident memory comes from /proc/self/statm.
"""

import argparse
import gc
import io
import json
import os
import pickle
import smtplib
import sys
import tempfile
import time

import smtpcodes

PAGE = os.sysconf("SC_PAGE_SIZE")
HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "vectors")


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def golden_replies():
    sys.path.insert(0, HERE)
    from conftest import read_tsv  # noqa: E402
    from test_replies import flags_of, unescape_bytes  # noqa: E402

    return [(unescape_bytes(c["input"]), flags_of(c)) for c in read_tsv("replies.tsv")]


LOOKUPS = [
    421, 250, 550, 554, "421", "250", "5.7.1", "4.7.1", "X.7.1", "2.0.0", "5.1.1",
    (550, b"5.1.1 <x@y>: unknown"), 299, "5.7.650", "4x1", 10**30, -1, None, 2.5,
]
LOG = (
    b"Nov 23 10:00:01 mx postfix/smtp[1]: A1A1A1A1A1: to=<x@y.com>, status=bounced (host m[192.0.2.1] "
    b"said: 550 5.1.1 <x@y.com>: Recipient address rejected (in reply to RCPT TO command))\n"
    b"Nov 23 10:00:03 mx postfix/smtp[3]: B2B2B2B2B2: to=<o@y.com>, status=sent (250 2.0.0 Ok: queued)\n"
    b"Nov 23 10:00:05 mx postfix/qmgr[5]: A1A1A1A1A1: removed\n"
    b"Diagnostic-Code: smtp; 550 5.7.26 Unauthenticated email is not accepted\n"
    b"odd \xff\xfe 452 4.2.2 bytes\n"
) * 40
BROKEN = [
    b"Code: 421\nName: Truncated in the mid",
    b"\x00\x01\x02\xff binary",
]


def one_pass(scale, data_file, tmp, replies):
    counts = dict.fromkeys(("lookup", "compare", "parse", "build", "scan", "load"), 0)
    lookup, parse_reply = smtpcodes.lookup, smtpcodes.parse_reply
    every = smtpcodes.codes()
    exception = smtplib.SMTPResponseException(421, b"4.3.2 Shutting down")
    values = LOOKUPS + [exception] + list(every[:20])

    n = int(1_000_000 * scale)
    nv = len(values)
    for i in range(n):
        try:
            lookup(values[i % nv])
        except (smtpcodes.Error, TypeError):
            pass
        if i % 100 == 0:
            try:
                smtpcodes.lookup_closest(values[i % nv])
            except (smtpcodes.Error, TypeError):
                pass
    counts["lookup"] += n

    n = int(100_000 * scale)
    ne = len(every)
    formats = ("text", "markdown", "html", "json")
    langs = smtpcodes.languages()
    for i in range(n):
        a, b = every[i % ne], every[(i * 7 + 3) % ne]
        try:
            cmp = smtpcodes.compare(a, b, lang=langs[i % len(langs)])
        except smtpcodes.SameCodeError:
            continue
        cmp.differences, cmp.labels, cmp.references
        if i % 200 == 0:
            cmp.render(formats[(i // 200) % 4])
            a.render(formats[(i // 200) % 4], langs[i % len(langs)])
        if i % 500 == 0:
            for bad in ((a, a, "en"), (a, b, "xx-nowhere"), (a, "299", "en")):
                try:
                    smtpcodes.compare(*bad)
                except smtpcodes.Error:
                    pass
    counts["compare"] += n

    n = int(100_000 * scale)
    nr = len(replies)
    for i in range(n):
        data, flags = replies[i % nr]
        try:
            r = parse_reply(data, **flags)
        except smtpcodes.ReplyError:
            continue
        (r.code, r.enhanced, r.lines, r.text, r.raw_lines, r.command, r.warnings, r.action,
         r.rule, r.explanation, r.verdict, r.entry, r.enhanced_entry, r.klass, r.is_transient)
        smtpcodes.classify(r, "RCPT")
        if i % 50 == 0:
            r.to_dict()
            r._repr_html_()
            smtpcodes.classify((r.code, b"\n".join(r.raw_lines)))
            smtpcodes.classify(smtplib.SMTPSenderRefused(r.code, b"x", "a@b.c"))
        if i % 100 == 0:
            parser = smtpcodes.ReplyParser()
            for k in range(0, 200, 7):
                try:
                    parser.feed(b"250-a\r\n250 b\r\n2x0 no\r\n"[k % 21:k % 21 + 7])
                except smtpcodes.ReplyError:
                    pass
            try:
                parser.close()
            except smtpcodes.ReplyError:
                pass
    counts["parse"] += n

    n = int(100_000 * scale)
    for i in range(n):
        try:
            if i % 4 == 0:
                smtpcodes.build_reply(550, "5.7.1", "Relay access denied " * (i % 40))
            elif i % 4 == 1:
                smtpcodes.build_reply(250)
            elif i % 4 == 2:
                smtpcodes.build_reply(550, "4.7.1", "x")
            else:
                smtpcodes.build_reply(451, None, "bad\r\n")
        except smtpcodes.ReplyBuildError:
            pass
    counts["build"] += n

    n = max(1, int(2_000 * scale))
    log_path = os.path.join(tmp, "mail.log")
    for i in range(n):
        kind = i % 3
        if kind == 0:
            s = smtpcodes.scan(log_path)
        elif kind == 1:
            s = smtpcodes.scan(io.BytesIO(LOG))
        else:
            s = smtpcodes.scan(LOG.splitlines())
        s.rows, s.lines
        if i % 20 == 0:
            s.to_dict()
            s.render("html")
            merged = smtpcodes.ScanSummary.load(s.save()) + s
            pickle.loads(pickle.dumps(merged))
    try:
        smtpcodes.scan(os.path.join(tmp, "missing.log"))
    except FileNotFoundError:
        pass
    counts["scan"] += n

    n = max(1, int(2_000 * scale))
    for i in range(n):
        kind = i % 4
        try:
            if kind == 0:
                db = smtpcodes.load(data_file)
                db.lookup(421).name, db.compare(421, 504).title
                db.parse_reply(b"421 4.3.2 Bye\r\n").entry
                db.scan([b"status=sent (250 Ok)"])
            elif kind == 1:
                smtpcodes.load(os.path.join(tmp, "broken-%d.txt" % (i % len(BROKEN))))
            elif kind == 2:
                smtpcodes.load(os.path.join(tmp, "missing.txt"))
            else:
                smtpcodes.load(data_file, alone=True).codes()
        except (smtpcodes.DataError, OSError):
            pass
    counts["load"] += n
    return counts


def main():
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--scale", type=float, default=1.0)
    args.add_argument("data_file")
    opts = args.parse_args()
    replies = golden_replies()
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "mail.log"), "wb") as f:
            f.write(LOG)
        for i, content in enumerate(BROKEN):
            with open(os.path.join(tmp, "broken-%d.txt" % i), "wb") as f:
                f.write(content)
        one_pass(opts.scale / 10, opts.data_file, tmp, replies)  # warm-up
        gc.collect()
        before = rss()
        t0 = time.monotonic()
        counts = one_pass(opts.scale, opts.data_file, tmp, replies)
        seconds = time.monotonic() - t0
        gc.collect()
        after = rss()
    print(json.dumps({"rss_before": before, "rss_after": after, "growth": after - before,
                      "seconds": round(seconds, 2), "calls": counts}))


if __name__ == "__main__":
    main()
