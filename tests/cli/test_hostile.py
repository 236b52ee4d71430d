#!/usr/bin/env python3
"""Hostile input through smtpcodes(1): huge arguments, NUL bytes, invalid UTF-8, 1 MiB lines,
unknown languages, and data files that are truncated, duplicated, binary, enormous or missing.

Usage: test_hostile.py SMTPCODES-BINARY DATA-FILE

Every case must give the documented exit status (0 success, 1 an unknown code or language or a
bad data file or input, 2 a usage error) and a one-line message on standard error; nothing may
crash, and in a sanitizer build (.ci/sanitize) no sanitizer may report. Standard library only;
ends with a line "N passed, N failed".
"""
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import plaintest  # noqa: E402
from plaintest import test  # noqa: E402

BINARY = sys.argv[1]
DATA_FILE = sys.argv[2]
MiB = 1024 * 1024
# Linux refuses one argv string over 32 pages (MAX_ARG_STRLEN): stay just below.
HUGE = 128 * 1024 - 1

SANITIZER_WORDS = (b"AddressSanitizer", b"LeakSanitizer", b"ThreadSanitizer",
                   b"runtime error:", b"UndefinedBehaviorSanitizer")


def run(*args, env=None, stdin=b""):
    """Runs the CLI; returns (exit status, stdout, stderr) as bytes. Fails on a crash (a
    signal) or on any sanitizer report."""
    full_env = dict(os.environ)
    plaintest.neutral_environment(full_env)
    full_env.update(env or {})
    argv = [BINARY] + [a if isinstance(a, bytes) else a.encode("utf-8") for a in args]
    proc = subprocess.run(argv, capture_output=True, env=full_env, input=stdin, timeout=300)
    shown = b" ".join(a[:40] for a in argv[1:])
    assert proc.returncode >= 0, f"{shown!r}: killed by signal {-proc.returncode}"
    for word in SANITIZER_WORDS:
        assert word not in proc.stderr, f"{shown!r}: {proc.stderr[-3000:]!r}"
    return proc.returncode, proc.stdout, proc.stderr


def expect_error(status_wanted, *args, stdin=b"", env=None, says=None):
    """Runs a case that must fail: the status, no output, one line of message."""
    status, out, err = run(*args, stdin=stdin, env=env)
    shown = [a[:40] for a in args]
    assert status == status_wanted, (shown, status, err[:300])
    assert out == b"", (shown, out[:300])
    assert err.startswith(b"smtpcodes: "), (shown, err[:300])
    if status_wanted == 1:
        assert err.count(b"\n") == 1, (shown, err[:600])
    if says is not None:
        assert says.encode() in err, (shown, says, err[:600])
    return err


def utf8(data):
    """Decodes output that must be UTF-8."""
    return data.decode("utf-8")


# ---- huge arguments ----


@test
def huge_codes_and_tags():
    for code in ("4" * HUGE, "a" * HUGE, "\u00e9" * (HUGE // 2), "5." + "7" * (HUGE - 2),
                 " " * HUGE, "421" + " " * (HUGE - 4) + "x"):
        expect_error(1, "show", code)
        expect_error(1, "compare", "421", code)
        expect_error(1, "compare", code, code)
    expect_error(1, "compare", "421", "504", "--lang", "x" * HUGE, says="unknown language")
    expect_error(1, "show", "421", "--lang", "xx-" * (HUGE // 3), says="unknown language")
    # a tag with many subtags the database lacks falls back to its primary language
    status, out, err = run("show", "421", "--lang", "en-" * (HUGE // 3) + "x")
    assert status == 0 and utf8(out).startswith("SMTP 421 "), err[:300]
    expect_error(2, "show", "421", "--format", "j" * HUGE)
    expect_error(2, "list", "--class", "4" * HUGE)
    expect_error(2, "list", "--kind", "b" * HUGE)
    expect_error(2, "show", "-" + "x" * (HUGE - 1))
    expect_error(1, "reply", "9" * HUGE, says="is not a reply code")
    err = expect_error(1, "providers", "g" * HUGE, says="unknown provider 'ggg")
    assert len(err) < 200, len(err)
    expect_error(1, "show", "5.7.1", "--provider", "g" * HUGE, says="unknown provider")
    # a host of no provider is no error, however long
    status, out, err = run("show", "5.7.29", "--host", "a." * (HUGE // 2))
    assert status == 0 and utf8(out).startswith("SMTP 5.7.29 ARC"), err[:300]
    status, out, err = run("show", "5.7.29", "--host", "x" * (HUGE - 11) + ".gmail.com")
    assert status == 0 and utf8(out).startswith("SMTP 5.7.29 No TLS"), err[:300]


@test
def huge_texts_that_are_fine():
    # a padded code is still a code (smtpc_code_parse skips spaces and tabs)
    status, out, err = run("show", " " * 60000 + "421" + "\t" * 60000)
    assert status == 0 and utf8(out).startswith("SMTP 421 "), err[:300]
    # the command a parse answered must be one: anything else is a usage error, cut short
    expect_error(2, "parse", "--command", "R" * HUGE, stdin=b"552 Too many recipients\r\n",
                 says="unknown SMTP command '" + "R" * 40 + "'")
    # a long reply text becomes continuation lines of at most 512 octets, and parses back
    words = ["w%d" % i for i in range(20000)]
    text = " ".join(words)
    status, wire, err = run("reply", "550", "5.7.1", *words[:100])
    assert status == 2 and b"too many arguments" in err  # at most 64 arguments
    status, wire, err = run("reply", "550", "5.7.1", text[:HUGE])
    assert status == 0, err[:300]
    lines = wire.split(b"\r\n")[:-1]
    assert len(lines) > 200 and all(len(line) + 2 <= 512 for line in lines)
    status, out, err = run("parse", "--format", "json", "--strict", stdin=wire)
    reply = json.loads(out.splitlines()[0])
    assert status == 0 and "".join(reply["lines"]) == text[:HUGE], err[:300]


# ---- NUL bytes ----


@test
def nul_bytes_in_parse():
    err = expect_error(1, "parse", stdin=b"250 a\0b\r\n", says="NUL byte")
    assert err.startswith(b"smtpcodes: standard input:1:6: NUL byte"), err
    expect_error(1, "parse", stdin=b"\0", says="NUL byte")
    expect_error(1, "parse", stdin=b"\0" * MiB)
    # the replies around a bad one are printed, the error names its line in the stream
    status, out, err = run("parse", stdin=b"250 ok\r\n550 a\0b\r\n250 later\r\n")
    assert status == 1 and utf8(out).startswith("Reply: 250") and b"later" in out
    assert err == b"smtpcodes: standard input:2:6: NUL byte\n", err
    # embedded: a bad line is reported and the next lines are still read
    log = b"said: 550 5.1.1 a\0b\nsaid: 451 4.3.0 try later\n"
    status, out, err = run("parse", "--embedded", "--format", "json", stdin=log)
    assert status == 1 and b"NUL byte" in err
    assert [json.loads(line)["code"] for line in out.splitlines()[:-1]] == ["451"]


@test
def nul_bytes_in_scan():
    nuls = (b"said: 550 5.1.1 a\0b\n\0\0\0\nsaid: 451 4.3.0 \0\n" + b"\0" * 70000 + b"\n"
            + b"said: 250 2.0.0 ok")
    # At the start of the input, so many NUL bytes are binary data, refused; past the first
    # 4096 bytes, which are judged, they are read as text
    status, out, err = run("scan", stdin=nuls)
    assert status == 1 and out == b"", (status, out)
    assert err == b"smtpcodes: standard input: binary data, not a text log: NUL bytes on 4 of " \
                  b"its first 4 lines\n", err
    log = b"a line of text before them\n" * 200 + nuls
    status, out, err = run("scan", "--format", "json", stdin=log)
    assert status == 0, err[:300]
    summary = json.loads(out)
    assert summary["lines"] == 205 and summary["replies"] == 3 and summary["skipped"] == 1
    assert sorted(row["code"] for row in summary["rows"]) == ["250", "451", "550"]
    for fmt in ("text", "markdown", "html"):
        status, out, err = run("scan", "--format", fmt, stdin=log)
        assert status == 0 and b"\0" not in out, (fmt, err[:300])
        utf8(out)


# ---- invalid UTF-8 ----


@test
def invalid_utf8_arguments():
    for bad in (b"\xff", b"4\xc22", b"\xed\xa0\x80", b"421\xc0\xaf", b"\xf4\x90\x80\x80"):
        expect_error(1, "show", bad)
        expect_error(1, "compare", b"421", bad)
        err = expect_error(1, "show", "421", "--lang", bad, says="unknown language")
        utf8(err)  # the message names the tag without passing the bad bytes on
        err = expect_error(1, "reply", "550", "5.7.1", b"text " + bad)
        assert b"printable ASCII" in err
        err = expect_error(1, "providers", b"gmail" + bad, says="unknown provider 'gmail")
        assert b"?" in err
        utf8(err)
        status, out, err = run("show", "5.7.29", "--host", b"mx.google.com" + bad)
        assert status == 0 and utf8(out).startswith("SMTP 5.7.29 ARC"), err[:300]


@test
def invalid_utf8_replies_and_logs():
    replies = b"550-bad \xff\xfe byte\r\n550 cut \xe2\x82\r\n"
    for fmt in ("text", "markdown", "html", "json"):
        status, out, err = run("parse", "--format", fmt, stdin=replies)
        assert status == 0, err[:300]
        text = utf8(out)
        assert "\ufffd" in text and "invalid-utf8" in text, fmt
    log = b"said: 550 5.1.1 \xff\xfe <x@y>\nsaid: 451 " + "\u00e9".encode() * 300 + b"\n"
    for fmt in ("text", "markdown", "html", "json"):
        status, out, err = run("scan", "--format", fmt, stdin=log)
        assert status == 0, err[:300]
        utf8(out)
    status, out, _ = run("scan", "--format", "json", stdin=log)
    assert json.loads(out)["replies"] == 2
    status, out, err = run("parse", "--embedded", "--format", "json",
                           stdin=b"said: 552 x (in reply to RCP\xc2 TO command)\n")
    assert status == 0 and json.loads(out.splitlines()[0])["command"] == "", err[:300]


# ---- 1 MiB lines ----


@test
def one_mib_lines():
    line = b"250 " + b"a" * MiB + b"\r\n"
    expect_error(1, "parse", stdin=line, says="hard limit")
    expect_error(1, "parse", "--strict", stdin=line, says="512 octets")
    expect_error(1, "parse", "--embedded", stdin=b"said: " + line, says="hard limit")
    # after a reply of too many lines the stream goes on with the line after the faulty one
    status, out, err = run("parse", stdin=b"250-x\r\n" * (MiB // 7) + b"250 end\r\n")
    assert status == 1 and err.startswith(b"smtpcodes: standard input:1001:1: too many lines")
    assert out.count(b"Reply: 250") == 1 and b"end" in out
    expect_error(1, "parse", stdin=b"250-" + b"b" * MiB)  # and no final line
    log = b"said: 550 5.1.1 x\n" + b"said: 451 " + b"c" * MiB + b"\nsaid: 250 ok\n" + b"d" * MiB
    for chunked in (False, True):
        if chunked:
            with tempfile.NamedTemporaryFile() as f:
                f.write(log)
                f.flush()
                status, out, err = run("scan", "--format", "json", f.name, f.name)
                # each file is scanned on its own: its unfinished last line ends with it
                lines, replies, skipped = 8, 4, 4
        else:
            status, out, err = run("scan", "--format", "json", stdin=log)
            lines, replies, skipped = 4, 2, 2
        summary = json.loads(out)
        assert status == 0, err[:300]
        assert (summary["lines"], summary["replies"], summary["skipped"]) == \
            (lines, replies, skipped), summary


@test
def long_input_streams():
    # 8 MiB of log through the scanner, 2 MiB of pipelined replies through the parser
    log = b"".join(b"Nov 23 mx postfix/smtp[1]: Q%d: status=bounced (host x said: 550 5.1.%d "
                   b"unknown (in reply to RCPT TO command))\n" % (i, i % 10)
                   for i in range(8 * MiB // 100))
    status, out, err = run("scan", "--format", "json", stdin=log)
    assert status == 0 and json.loads(out)["replies"] == 8 * MiB // 100, err[:300]
    replies = b"250 2.1.5 Ok\r\n" * (2 * MiB // 14)
    status, out, err = run("parse", "--format", "json", stdin=replies)
    assert status == 0 and len(out.splitlines()) == 2 * MiB // 14 + 1, err[:300]


# ---- unknown languages ----


@test
def unknown_languages():
    for tag in ("xx", "", "-", "_", "en\n", "klingon", "zz-en", "x-" * 500, "\u00e9n"):
        for args in (("show", "421"), ("compare", "421", "504"), ("list",), ("parse",)):
            expect_error(1, *args, "--lang", tag, stdin=b"250 ok\r\n",
                         says="(see 'smtpcodes languages')")
    status, out, _ = run("languages")
    for tag in (line.split("\t")[0] for line in utf8(out).splitlines()):
        status, page, err = run("compare", "421", "504", "--lang", tag.upper().replace("-", "_"))
        assert status == 0, (tag, err)


# ---- data files ----


def write(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def broken_data(path, says=None, position=True):
    for args, env in ((("list", "--data", path), None), (("show", "421"), {"SMTPCODES_DATA": path})):
        err = expect_error(1, *args, env=env, says=says)
        if position:
            assert err.startswith(b"smtpcodes: " + path.encode() + b":"), err[:300]


@test
def truncated_data_files():
    with open(DATA_FILE, "rb") as f:
        data = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        record = data.index(b"\nCode: 421\n") + 1
        cuts = {
            "after the key line": (record + len(b"Code: 421\n"), "mandatory field"),
            "inside a field name": (data.index(b"\nName:", record) + 3, "'Field: value'"),
            "inside a UTF-8 sequence": (data.index("\u00e9".encode()) + 1 if "\u00e9".encode()
                                        in data else None, "UTF-8"),
        }
        for name, (cut, says) in cuts.items():
            if cut is None:
                continue
            path = write(tmp, "cut.txt", data[:cut])
            broken_data(path, says)
        # a cut at a record boundary is a smaller, valid file
        boundary = data.index(b"\n\n", record) + 2
        path = write(tmp, "records.txt", data[:boundary])
        status, out, err = run("show", "421", "--data", path)
        assert status == 0, err[:300]
        # every other cut fails cleanly or loads: never anything else
        rng = random.Random(7)
        for cut in sorted(rng.sample(range(1, len(data)), 40)):
            path = write(tmp, "random-cut.txt", data[:cut])
            status, out, err = run("list", "--format", "json", "--data", path)
            assert status in (0, 1), (cut, status)
            if status == 0:
                json.loads(out)
            else:
                assert out == b"" and err.count(b"\n") == 1 and b"cut.txt:" in err, (cut, err)


@test
def duplicated_data_files():
    with open(DATA_FILE, "rb") as f:
        data = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        path = write(tmp, "twice.txt", data + b"\n" + data)
        broken_data(path, "duplicate")
        code = data[data.index(b"\nCode: 421\n") + 1:]
        code = code[:code.index(b"\n\n") + 1]
        path = write(tmp, "record-twice.txt", code + b"\n" + code)
        err = expect_error(1, "list", "--data", path, says="duplicate")
        line = code.count(b"\n") + 2
        assert err.startswith(b"smtpcodes: %s:%d:" % (path.encode(), line)), err


@test
def binary_data_files():
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(20):
            path = write(tmp, "random.bin", bytes(rng.randrange(256) for _ in range(4096)))
            broken_data(path)
        broken_data(write(tmp, "nul.txt", b"Code: 421\0\n"))
        broken_data(write(tmp, "zeros.bin", b"\0" * 65536))
        broken_data(write(tmp, "utf16.txt", "Code: 421\n".encode("utf-16")))
        broken_data(sys.executable if os.path.getsize(sys.executable) < 16 * MiB else
                    write(tmp, "elf.bin", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 64))


@test
def enormous_data_files():
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.txt")
        with open(big, "wb") as f:
            f.truncate(16 * MiB + 1)  # sparse: 16 MiB and one byte of zeros
        broken_data(big, "larger than the 16 MiB", position=False)
        with open(big, "wb") as f:
            f.truncate(64 * MiB)
        broken_data(big, "larger than the 16 MiB", position=False)
        # exactly 16 MiB of comments is allowed, and loads as nothing new
        line = b"#" + b"x" * 1022 + b"\n"
        with open(big, "wb") as f:
            f.write(line * (16 * MiB // len(line)))
        status, out, err = run("show", "421", "--data", big)
        assert status == 0 and utf8(out).startswith("SMTP 421 "), err[:300]


@test
def missing_and_odd_data_files():
    with tempfile.TemporaryDirectory() as tmp:
        broken_data(os.path.join(tmp, "missing.txt"), "no such file", position=False)
        broken_data(tmp, "is a directory", position=False)
        broken_data(os.path.join(tmp, "a" * 300), "file name too long", position=False)
        broken_data(os.path.join(tmp, "missing", "x.txt"), "no such file", position=False)
        empty = write(tmp, "empty.txt", b"")
        status, out, err = run("show", "421", "--data", empty)
        assert status == 0, err[:300]
        expect_error(2, "show", "421", "--data")
        # an empty SMTPCODES_DATA means the built-in database
        status, out, err = run("show", "421", env={"SMTPCODES_DATA": ""})
        assert status == 0, err[:300]


# ---- streams ----


@test
def empty_and_unreadable_input():
    expect_error(1, "parse", stdin=b"", says="no reply in the input")
    with tempfile.TemporaryDirectory() as tmp:
        expect_error(1, "parse", tmp, says="cannot read")
        expect_error(1, "parse", os.path.join(tmp, "missing"), says="cannot open")
        expect_error(1, "scan", os.path.join(tmp, "missing"), says="cannot open")
    status, out, _ = run("scan", "--format", "json", stdin=b"")
    assert status == 0 and json.loads(out)["lines"] == 0


@test
def output_that_cannot_be_written():
    if not os.path.exists("/dev/full"):
        return
    with open("/dev/full", "wb") as full:
        for args in (("show", "421"), ("list",), ("compare", "421", "504")):
            proc = subprocess.run([BINARY, *args], stdout=full, stderr=subprocess.PIPE,
                                  timeout=60)
            assert proc.returncode == 1, (args, proc.returncode)
            for word in SANITIZER_WORDS:
                assert word not in proc.stderr


if __name__ == "__main__":
    sys.exit(plaintest.run())
