"""The bounce rows of the benchmark.

    python3 bench_bounce.py CLI CORPUS_DIR INPUTS_DIR REPEAT ATTACH_MB REPS [SISIMAI_REPS]

- messages per second of `CLI bounce --format json MBOX` against Debian's Sisimai
  (bench/sisimai_bounce.pl, `Sisimai->dump`) on the same mailbox: every .eml file of
  CORPUS_DIR (tests/vectors/bounces) in one mbox, REPEAT times over;
- time against size: a DSN whose returned message carries a base64 attachment of ATTACH_MB,
  2 x ATTACH_MB and 4 x ATTACH_MB megabytes (of base64 text, so that the largest message, 4 x
  15 MB, stays under the reader's SMTPC_BOUNCE_MAX_DECODED of 64 MiB), read by
  `CLI bounce --format json`; the time per MB must not grow with the size.

CLI may be "-" (or lack a `bounce` command): its rows then read "n/a" with the reason, and the
Sisimai baseline is still measured. SISIMAI_REPS 0 leaves Sisimai out. Times are CPU times
(user + system) of the measured process, medians of REPS runs after a warm-up run. Prints
"key<TAB>value" lines for bench/report.py; nothing is asserted about time. The inputs are
made in INPUTS_DIR and kept there while the corpus and the sizes stay the same.
"""

import base64
import glob
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def out(key, value):
    if isinstance(value, float):
        value = "%.6g" % value
    print("%s\t%s" % (key, value), flush=True)


class Failed(Exception):
    pass


def cpu_time(argv):
    """CPU time (user + system) in seconds of one run of argv, its output dropped."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            said = err.read().decode("utf-8", "replace").strip().splitlines()
            raise Failed("n/a: `%s` exited with %d%s" % (
                " ".join(os.path.basename(a) for a in argv), code, ": " + said[0] if said else ""))
    return usage.ru_utime + usage.ru_stime


def median_time(argv, reps):
    """The median CPU time of reps runs after a warm-up run (page cache, dynamic linking), or
    the reason it could not be measured."""
    try:
        cpu_time(argv)
        return statistics.median(cpu_time(argv) for _ in range(reps))
    except Failed as e:
        return str(e)


# ---- inputs ----

def mbox_quote(text):
    """A message as an mbox (RFC 4155) holds it: body lines that start with "From " (after any
    number of ">") get one more ">", and it ends with a line break."""
    text = re.sub(r"(?m)^(>*From )", r">\1", text)
    return text if text.endswith("\n") else text + "\n"


def make_mbox(corpus_dir, repeat, path):
    """Every .eml of corpus_dir, in name order, `repeat` times over; returns the message count."""
    files = sorted(glob.glob(os.path.join(corpus_dir, "*.eml")))
    if not files:
        raise SystemExit("bench_bounce: no .eml files in %s" % corpus_dir)
    messages = [mbox_quote(open(f, encoding="utf-8").read()) for f in files]
    one = "".join("From MAILER-DAEMON Sat Mar 15 10:00:00 2025\n%s\n" % m for m in messages)
    if not os.path.exists(path):
        with open(path + ".tmp", "w", encoding="utf-8", newline="\n") as f:
            for _ in range(repeat):
                f.write(one)
        os.rename(path + ".tmp", path)
    return len(files) * repeat


def attachment_dsn(megabytes):
    """A Postfix-style DSN (RFC 3464) returning the whole original: a letter with an attachment
    of pseudo-random data whose base64 text is `megabytes` MB (10^6 bytes, line ends aside)."""
    data = random.Random(megabytes).randbytes(int(megabytes * 1e6 * 3 / 4))
    encoded = base64.encodebytes(data).decode("ascii")  # 76-character lines
    boundary = "4QDn5x2Kf8z9Zb.1742031000/mail.example.com"
    mixed = "b1_5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
    return f"""Return-Path: <>
Date: Sat, 15 Mar 2025 10:30:00 +0100 (CET)
From: MAILER-DAEMON@mail.example.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: alice@example.com
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="{boundary}"
Content-Transfer-Encoding: 8bit
Message-Id: <20250315093000.5F7A9C1D2E@mail.example.com>

This is a MIME-encapsulated message.

--{boundary}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<quinn@example.org>: host mx.example.org[192.0.2.25] said: 552 5.2.2
    <quinn@example.org>: Quota exceeded (mailbox for user is full) (in reply to
    end of DATA command)

--{boundary}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.com
X-Postfix-Queue-ID: 4QDn5x2Kf8z9Zb
X-Postfix-Sender: rfc822; alice@example.com
Arrival-Date: Sat, 15 Mar 2025 10:29:41 +0100 (CET)

Final-Recipient: rfc822; quinn@example.org
Original-Recipient: rfc822;quinn@example.org
Action: failed
Status: 5.2.2
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 552 5.2.2 <quinn@example.org>: Quota exceeded (mailbox for
    user is full)

--{boundary}
Content-Description: Undelivered Message
Content-Type: message/rfc822
Content-Transfer-Encoding: 8bit

Return-Path: <alice@example.com>
Message-ID: <20250315102940.8b9c0@client.example.com>
Date: Sat, 15 Mar 2025 10:29:40 +0100
MIME-Version: 1.0
From: Alice Martin <alice@example.com>
To: quinn@example.org
Subject: The recording
Content-Type: multipart/mixed; boundary="{mixed}"

--{mixed}
Content-Type: text/plain; charset=us-ascii

Quinn, the recording is attached.

--{mixed}
Content-Type: application/octet-stream; name="recording.bin"
Content-Disposition: attachment; filename="recording.bin"
Content-Transfer-Encoding: base64

{encoded}
--{mixed}--

--{boundary}--
"""


def make_attachment(megabytes, path):
    if not os.path.exists(path):
        with open(path + ".tmp", "w", encoding="ascii", newline="\n") as f:
            f.write(attachment_dsn(megabytes))
        os.rename(path + ".tmp", path)
    return os.path.getsize(path)


# ---- the subject ----

def has_bounce(cli, sample):
    """Why `cli` cannot be measured, or None: the command must exist and print JSON."""
    if cli == "-" or not os.access(cli, os.X_OK):
        return "n/a: no smtpcodes CLI (%s)" % cli
    try:
        run = subprocess.run([cli, "bounce", "--format", "json", sample], capture_output=True,
                             timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "n/a: `smtpcodes bounce` failed: %s" % e
    if run.returncode != 0 or not run.stdout.lstrip().startswith((b"[", b"{")):
        first = (run.stderr or run.stdout).decode("utf-8", "replace").strip().splitlines()
        return "n/a: this smtpcodes has no `bounce --format json` (%s)" % (
            first[0] if first else "exit %d" % run.returncode)
    return None


def json_records(cli, path):
    """The number of records `cli bounce --format json path` prints: an array of records, one
    document with them under "records", or one record a line; "?" for anything else."""
    text = subprocess.run([cli, "bounce", "--format", "json", path], capture_output=True,
                          check=True).stdout
    try:
        doc = json.loads(text)
        if isinstance(doc, dict):
            doc = doc.get("records", [doc])
        return len(doc)
    except ValueError:
        try:
            return sum(1 for line in text.splitlines() if isinstance(json.loads(line), dict))
        except ValueError:
            return "?"


def sisimai(path, messages, reps, prefix):
    """Sisimai's figures for `path` (sisimai_bounce.pl time), under `prefix`."""
    run = subprocess.run(["perl", os.path.join(HERE, "sisimai_bounce.pl"), "time", path,
                          str(messages), str(reps), prefix], capture_output=True, text=True)
    if run.returncode == 0:
        sys.stdout.write(run.stdout)
    else:
        sys.stderr.write(run.stderr)
        out(prefix + "_s", "n/a: sisimai_bounce.pl failed (%s)" % run.stderr.strip()[-200:])


def agreement(cli, corpus_dir):
    """How far smtpcodes and Sisimai, read over the same corpus, agree: the messages in which
    both find the same recipients, and of the records both find, those with the same reason.
    A second reader of the same messages is a check of the corpus's shapes as much as of the
    readers; the rows where they part are worth reading (sisimai_bounce.pl list)."""
    files = sorted(glob.glob(os.path.join(corpus_dir, "*.eml")))
    run = subprocess.run(["perl", os.path.join(HERE, "sisimai_bounce.pl"), "list"] + files,
                         capture_output=True, text=True)
    if run.returncode != 0:
        out("bounce_agree_messages", "n/a: sisimai_bounce.pl failed")
        return
    theirs = {}
    for line in run.stdout.splitlines():
        cells = line.split("\t")
        found = theirs.setdefault(cells[0], {})
        if len(cells) > 5:
            found[cells[1].lower()] = cells[5]
    same_recipients = same_reasons = both = 0
    for path in files:
        doc = json.loads(subprocess.run([cli, "bounce", "--format", "json", path],
                                        capture_output=True, check=True).stdout)
        ours = {r["recipient"].lower(): r["reason"] for r in doc if r.get("recipient")}
        other = theirs.get(os.path.basename(path), {})
        same_recipients += set(ours) == set(other)
        for recipient in set(ours) & set(other):
            both += 1
            same_reasons += ours[recipient] == other[recipient]
    out("bounce_agree_messages", same_recipients)
    out("bounce_agree_total", len(files))
    out("bounce_agree_reasons", same_reasons)
    out("bounce_agree_records", both)


def input_dir(inputs, corpus_dir):
    """The directory of this script's inputs under `inputs`, named after what they are made
    from (the corpus and this script), so that a change makes them anew; older ones go."""
    digest = hashlib.sha1(open(__file__, "rb").read())
    for f in sorted(glob.glob(os.path.join(corpus_dir, "*.eml"))):
        digest.update(open(f, "rb").read())
    path = os.path.join(inputs, "bounce-" + digest.hexdigest()[:12])
    for old in glob.glob(os.path.join(inputs, "bounce-*")):
        if old != path:
            shutil.rmtree(old, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    return path


def main(argv):
    cli, corpus_dir, inputs, repeat, attach_mb, reps = argv[1:7]
    sisimai_reps = int(argv[7]) if len(argv) > 7 else 1
    repeat, attach_mb, reps = int(repeat), float(attach_mb), int(reps)
    inputs = input_dir(inputs, corpus_dir)
    mbox = os.path.join(inputs, "bounces-x%d.mbox" % repeat)
    messages = make_mbox(corpus_dir, repeat, mbox)
    out("bounce_messages", messages)
    out("bounce_mbox_bytes", os.path.getsize(mbox))

    sample = sorted(glob.glob(os.path.join(corpus_dir, "*.eml")))[0]
    reason = has_bounce(cli, sample)
    if reason:
        out("bounce_msgs_per_s", reason)
    else:
        t = median_time([cli, "bounce", "--format", "json", mbox], reps)
        out("bounce_s", t)
        if isinstance(t, str):
            out("bounce_msgs_per_s", t)
        else:
            out("bounce_msgs_per_s", messages / t)
            out("bounce_records", json_records(cli, mbox))

    if sisimai_reps > 0 and subprocess.run(["perl", "-MSisimai", "-e", "1"],
                                           capture_output=True).returncode != 0:
        out("sisimai_bounce_msgs_per_s",
            "n/a: Sisimai is not installed (apt-get install -y libsisimai-perl)")
        sisimai_reps = 0
    elif sisimai_reps > 0:
        sisimai(mbox, messages, sisimai_reps, "sisimai_bounce")
        if not reason:
            agreement(cli, corpus_dir)
    else:
        out("sisimai_bounce_msgs_per_s", "n/a: Sisimai left out")

    for factor in (1, 2, 4):
        path = os.path.join(inputs, "bounce-attachment-%gMB.eml" % (attach_mb * factor))
        out("bounce_attach%d_bytes" % factor, make_attachment(attach_mb * factor, path))
        if reason:
            out("bounce_attach%d_s" % factor, reason)
        else:
            out("bounce_attach%d_s" % factor,
                median_time([cli, "bounce", "--format", "json", path], reps))
        if sisimai_reps > 0 and factor != 2:
            sisimai(path, 1, sisimai_reps, "sisimai_attach%d" % factor)
    out("bounce_attach_mb", attach_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
