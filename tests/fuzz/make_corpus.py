#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz harness into tests/fuzz/corpus/NAME/, derived from the
golden vectors (tests/vectors) and the data file, plus hand-made edge cases.

    python3 tests/fuzz/make_corpus.py

The output is committed; run this again after adding vectors. Files are named after what they
hold; each harness's input layout is described at the top of its fuzz_NAME.c.
"""
import bz2
import gzip
import lzma
import os
import re
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VECTORS = os.path.join(ROOT, "tests", "vectors")
DATA_FILE = os.path.join(ROOT, "core", "data", "smtpcodes.txt")


def unescape(cell):
    """The escapes of tests/vectors/README.md."""
    if cell == "<empty>":
        return b""
    out = bytearray()
    i = 0
    raw = cell.encode("utf-8")
    simple = {b"r": b"\r", b"n": b"\n", b"t": b"\t", b"s": b" ", b"0": b"\0", b"\\": b"\\"}
    while i < len(raw):
        if raw[i:i + 1] == b"\\" and i + 1 < len(raw):
            nxt = raw[i + 1:i + 2]
            if nxt == b"x" and i + 3 < len(raw):
                out += bytes([int(raw[i + 2:i + 4], 16)])
                i += 4
                continue
            if nxt in simple:
                out += simple[nxt]
                i += 2
                continue
        out += raw[i:i + 1]
        i += 1
    return bytes(out)


def rows(name):
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#") and l.strip()]
    header = lines[0].split("\t")
    for line in lines[1:]:
        yield dict(zip(header, line.split("\t")))


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "empty"


class Corpus:
    def __init__(self, name):
        self.dir = os.path.join(HERE, "corpus", name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.n = 0

    def add(self, name, data):
        self.n += 1
        path = os.path.join(self.dir, "%03d-%s" % (self.n, slug(name)))
        with open(path, "wb") as f:
            f.write(data)


def records(text):
    return [r for r in re.split(r"\n\s*\n", text) if r.strip() and not r.lstrip().startswith("#")]


def load_corpus():
    c = Corpus("load")
    for kind in ("valid", "invalid"):
        folder = os.path.join(VECTORS, "data", kind)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                with open(os.path.join(folder, name), "rb") as f:
                    c.add(kind + " " + name[:-4], f.read())
    with open(DATA_FILE, encoding="utf-8") as f:
        data = f.read()
    recs = records(data)
    by_type = {}
    for r in recs:
        by_type.setdefault(r.split(":", 1)[0].strip(), []).append(r)
    groups = by_type["Class"] + by_type["Category"] + by_type["Subject"]
    english = [r for r in by_type["Language"] if r.startswith("Language: en\n")]
    codes = by_type["Code"]
    basic = [r for r in codes if re.match(r"Code: \d{3}\n", r)]
    enhanced = [r for r in codes if r.startswith("Code: X.")]
    # A database that loads alone: English labels, the groups, a few codes of each kind.
    alone = english + groups + basic[:3] + enhanced[:3]
    c.add("alone minimal", "\n\n".join(alone).encode() + b"\n")
    c.add("alone english only", "\n\n".join(english).encode() + b"\n")
    c.add("all languages", "\n\n".join(by_type["Language"]).encode() + b"\n")
    c.add("groups", "\n\n".join(groups).encode() + b"\n")
    # The providers and their entries, laid over the built-in database.
    own = [r for r in codes if re.search(r"^Provider: ", r, re.M)]
    c.add("providers", "\n\n".join(by_type["Provider"] + own[:6]).encode() + b"\n")
    for i in range(0, min(len(basic), 40), 8):
        c.add("basic codes %d" % i, "\n\n".join(basic[i:i + 8]).encode() + b"\n")
    for i in range(0, min(len(enhanced), 40), 8):
        c.add("enhanced codes %d" % i, "\n\n".join(enhanced[i:i + 8]).encode() + b"\n")
    one = basic[0]
    c.add("duplicated record", ("\n\n".join([one, one])).encode() + b"\n")
    c.add("truncated record", one[: len(one) // 2].encode())
    c.add("crlf", ("\n\n".join(alone)).replace("\n", "\r\n").encode())
    c.add("paragraph continuation", one.replace("\nWhen:", "\n .\n  second paragraph\nWhen:", 1).encode())
    c.add("binary", bytes(range(256)))
    c.add("empty", b"")
    c.add("comment only", b"# nothing here\n")
    c.add("bom", b"\xef\xbb\xbf" + one.encode())


def reply_corpus():
    c = Corpus("reply")
    for i, row in enumerate(rows("replies.tsv")):
        c.add(row["name"], bytes([i & 0xFF]) + unescape(row["input"]))
    edge = [
        ("exactly 512 octets", b"250 " + b"a" * 506 + b"\r\n"),
        ("513 octets", b"250 " + b"a" * 507 + b"\r\n"),
        ("512 octets then more", b"250-" + b"b" * 506 + b"\r\n250 " + b"c" * 506 + b"\r\n"),
        ("pipelined three", b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"),
        ("pipelined blank line", b"250 Ok\r\n\r\n250 Ok\r\n"),
        ("cr alone", b"250-a\rb\r\n250 c\r\n"),
        ("enhanced varies classes", b"550-5.1.1 a\r\n550-4.1.1 b\r\n550 2.0.0 c\r\n"),
        ("enhanced long parts", b"250 2.999.999 x\r\n"),
        ("enhanced four digits", b"250 2.1000.1 x\r\n"),
        ("enhanced at end", b"250 2.1.5"),
        ("utf8 text", "250 Grüße, 世界 ✓\r\n".encode()),
        ("overlong utf8", b"250 \xc0\xaf\r\n"),
        ("surrogate", b"250 \xed\xa0\x80\r\n"),
        ("bare code lf", b"250\n"),
        ("bare code space", b"250 "),
        ("two codes differ", b"250-x\r\n251 y\r\n"),
        ("hard limit line", b"250 " + b"x" * 65540 + b"\r\n"),
        ("many lines", b"".join(b"250-%d\r\n" % i for i in range(1001)) + b"250 end\r\n"),
        ("in reply to", b"mx postfix/smtp[1]: said: 552 5.5.3 Too many (in reply to RCPT TO command)"),
        ("in reply to data end", b"said: 451 4.3.0 Try later (in reply to end of DATA command)"),
        ("nested parens", b"status=deferred (host x[1.2.3.4] said: 421 4.7.0 (busy) (in reply to MAIL FROM command))"),
        ("dsn", b"Diagnostic-Code: smtp; 550-5.7.1 Denied\r\n"),
    ]
    for i, (name, data) in enumerate(edge):
        c.add(name, bytes([(7 * i) & 0xFF]) + data)


def scan_corpus():
    c = Corpus("scan")
    embedded = [unescape(r["input"]) for r in rows("replies.tsv") if r["flags"] == "embedded"]
    c.add("postfix log", b"\x01" + b"\n".join(embedded) + b"\n")
    c.add("postfix log crlf no final newline", b"\x02" + b"\r\n".join(embedded))
    c.add("bounce", b"\x03Reporting-MTA: dns; mx.example.com\nFinal-Recipient: rfc822; a@b.c\n"
          b"Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <a@b.c>: User unknown\n")
    c.add("replies at line start", b"\x04250 Ok\n550 5.7.1 No\n421-busy\n354\n")
    c.add("same code many enhanced", b"\x05" + b"".join(b"said: 550 5.%d.%d x\n" % (i % 8, i) for i in range(80)))
    c.add("nul and invalid bytes", b"\x06said: 550 \x00x\nsaid: 451 \xff\xfe\n\x00\x00\n")
    c.add("long sample", b"\x07said: 550 " + "é".encode() * 300 + b"\n")
    c.add("too many recipients", b"\x08said: 552 Too many recipients (in reply to RCPT TO command)\n")
    c.add("over the line limit", b"\x09said: 550 x" + b"y" * 65600 + b"\nsaid: 250 ok\n")
    c.add("empty", b"\x0a")
    # Compressed logs, whole, cut short and corrupt, and binary data: the decoders, reached
    # through the scanner (tests/vectors/logs/compressed/, made by Debian's tools), and the
    # log compressed here by Python's own modules in several members and streams.
    compressed = os.path.join(VECTORS, "logs", "compressed")
    for i, name in enumerate(sorted(os.listdir(compressed))):
        if name in ("make.sh", "expected.tsv", "mail.log") or "x40" in name:
            continue
        with open(os.path.join(compressed, name), "rb") as f:
            c.add(name, bytes([0x20 + i]) + f.read())
    with open(os.path.join(compressed, "mail.log"), "rb") as f:
        log = f.read()
    head, tail = log[:len(log) // 3], log[len(log) // 3:]
    c.add("gzip members", b"\x40" + gzip.compress(head, mtime=0) + gzip.compress(tail, mtime=0))
    c.add("xz streams", b"\x41" + lzma.compress(head) + lzma.compress(tail))
    c.add("bzip2 streams", b"\x42" + bz2.compress(head) + bz2.compress(tail))
    c.add("gzip of nul bytes", b"\x43" + gzip.compress(b"\0" * 5000, mtime=0))
    c.add("gzip of a gzip", b"\x44" + gzip.compress(gzip.compress(head, mtime=0), mtime=0))


def merge_corpus():
    c = Corpus("merge")
    logs = os.path.join(VECTORS, "logs")
    names = [n for n in sorted(os.listdir(logs)) if os.path.isfile(os.path.join(logs, n))]
    for i, name in enumerate(names):
        with open(os.path.join(logs, name), "rb") as f:
            c.add(name, bytes([i + 1]) + f.read())
    # the saved forms, read by the harness as a log and as a saved form
    for i, row in enumerate(rows("scan-saved.tsv")):
        c.add("saved " + row["name"], bytes([(5 * i) & 0xFF]) + unescape(row["input"]))
    c.add("no final newline", b"\x07said: 550 5.1.1 a\nsaid: 550 5.1.1 b")


def render_corpus():
    c = Corpus("render")
    for i, row in enumerate(rows("compare.tsv")):
        c.add("compare %s %s %s" % (row["a"], row["b"], row["lang"]),
              bytes([i * 37 & 0xFF]) + b"\n".join(unescape(row[k]) for k in ("a", "b", "lang")))
    for i, row in enumerate(rows("compare-errors.tsv")):
        c.add("compare error %s %s %s" % (row["a"], row["b"], row["lang"]),
              bytes([i * 53 & 0xFF]) + b"\n".join(unescape(row[k]) for k in ("a", "b", "lang")))
    for i, row in enumerate(rows("lookup.tsv")):
        c.add("lookup %s" % row["input"], bytes([i * 11 & 0xFF]) + unescape(row["input"]) + b"\n421\nen")
    for tag in ("zh-CN", "zh_SG", "pt-BR", "EN", "en-", "-", "zh-hans-cn", "sr-Latn-RS", "x" * 80, "\xff"):
        c.add("lang %s" % tag, b"\x42" + b"250\n5.7.1\n" + tag.encode("latin-1"))
    for name in ("markdown", "MD", "html", "json", "text", "yaml"):
        c.add("format %s" % name, b"\x43" + b"552\n5.2.2\n" + name.encode())
    for ref in ("RFC 5321 section 4.2.3", "IANA registry", "RFC 3463", "RFC 99999999 section 1.2.3.4.5"):
        c.add("reference %s" % ref, b"\xfc" + ref.encode() + b"\n421\nen")


def build_input(code, enhanced, text, raw=False):
    if raw:
        head = struct.pack(">h", code)
        head = bytes([head[0] | 0x80, head[1]])
    else:
        head = struct.pack(">H", code - 200)
    return head + bytes([len(enhanced)]) + enhanced + text


def build_corpus():
    c = Corpus("build")
    words = b" ".join(b"word%d" % i for i in range(300))
    cases = [
        ("250 default", build_input(250, b"", b"")),
        ("550 5.7.1", build_input(550, b"5.7.1", b"Relay access denied")),
        ("552 5.2.2 default", build_input(552, b"5.2.2", b"")),
        ("421 long", build_input(421, b"4.3.2", words)),
        ("250 long no enhanced", build_input(250, b"", words)),
        ("long word", build_input(550, b"5.1.1", b"x" * 1500)),
        ("enhanced-like text", build_input(250, b"", b"2.0.0 looks enhanced")),
        ("enhanced-like at break", build_input(250, b"", b"a" * 505 + b" 2.0.0 more text")),
        ("class mismatch", build_input(550, b"4.1.1", b"mismatch")),
        ("tab", build_input(250, b"", b"text\twith tab")),
        ("599 unknown", build_input(599, b"", b"")),
        ("571", build_input(571, b"5.7.1", b"")),
        ("control byte", build_input(250, b"", b"bad\r\nbyte")),
        ("utf8", build_input(250, b"", "Grüße".encode())),
        ("bad enhanced", build_input(550, b"5.07.1", b"x")),
        ("x form", build_input(550, b"X.7.1", b"x")),
        ("code 199", build_input(199, b"", b"x", raw=True)),
        ("code 600", build_input(600, b"", b"x", raw=True)),
        ("code -1", build_input(-1, b"", b"x", raw=True)),
        ("deprecated sample", build_input(550, b"5.5.6", b"")),
        ("spaces", build_input(250, b"2.0.0", b" " * 600)),
    ]
    for name, data in cases:
        c.add(name, data)


def bounce_corpus():
    c = Corpus("bounce")
    folders = [os.path.join(VECTORS, "bounces"), os.path.join(VECTORS, "bounces", "reader")]
    i = 0
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith((".eml", ".mbox")):
                with open(os.path.join(folder, name), "rb") as f:
                    c.add(name, bytes([i % 4]) + f.read())
                i += 1
    head = (b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
            b"--b\nContent-Type: message/delivery-status\n\n")
    status = (b"Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; a@example\n"
              b"Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n")
    edge = [
        ("minimal dsn", head + status + b"\n--b--\n"),
        ("minimal dsn crlf", (head + status + b"\n--b--\n").replace(b"\n", b"\r\n")),
        ("nested 17", b"Content-Type: message/rfc822\n\n" * 16 + head + status),
        ("nested multipart", b"".join(b"Content-Type: multipart/mixed; boundary=l%d\n\n--l%d\n"
                                      % (n, n) for n in range(6)) + head + status),
        ("base64 container", b"Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
         + __import__("base64").encodebytes(head + status)),
        ("encoded words", b"From: =?utf-8?B?w6k=?= <a@example>\nAuto-Submitted: auto-replied\n"
         b"Subject: =?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?= =?koi8-r?B?8tXT?= =?x?Q?_?= =?\n\n"),
        ("feedback", b"Content-Type: message/feedback-report\n\nFeedback-Type: abuse\n"
         b"Original-Rcpt-To: <a@example>\nSource-IP: 192.0.2.1\n"),
        ("global utf-8 address", b"Content-Type: message/global-delivery-status\n\n"
         b"Final-Recipient: utf-8; \\x{7528}\\x{0}\\x{110000}\\x{D800}@example\n"),
        ("mbox", b"From a\nSubject: 1\n\nFrom b\n\nFrom c\n>From d\nFrom e\n\n"),
        ("quoted-printable", b"Content-Type: message/delivery-status\n"
         b"Content-Transfer-Encoding: quoted-printable\n\nFinal-Recipient: rfc822; a=\n"
         b"@example\nDiagnostic-Code: smtp; 550=3D=20 =\r\n=ZZ=\n"),
        ("flattened reply", head + b"Final-Recipient: rfc822; a@example\nDiagnostic-Code: smtp; "
         b"550-5.1.1 a 550-5.1.1 b 550 5.1.1 c (in reply to RCPT TO command)\n"),
        ("no boundary", b"Content-Type: multipart/report\n\n--b\n" + status),
        ("empty", b""),
    ]
    for n, (name, data) in enumerate(edge):
        c.add(name, bytes([n % 4]) + data)


def loglines_corpus():
    c = Corpus("loglines")
    mta = os.path.join(VECTORS, "logs", "mta")
    for name in sorted(os.listdir(mta)):
        with open(os.path.join(mta, name), "rb") as f:
            lines = f.read().split(b"\n")
        # the whole log (its CSV header before its rows), then each line alone
        c.add("whole " + name, bytes([54]) + b"\n".join(lines))
        for n, line in enumerate(lines):
            if line:
                c.add("%s line %d" % (name, n + 1), bytes([54]) + line)
    c.add("empty", b"\x36")
    c.add("csv header then unbalanced row", b"\x36Received,SenderAddress,RecipientAddress,Status\n"
          b"\"11/23/2024 10:00:05 AM,a@b.c,d@e.f,Failed\n")
    c.add("leap day in a year without one", b"\x35Feb 29 10:00:00 h postfix/qmgr[1]: ABCDE: removed")
    c.add("rfc 5424 bare", b"\x36<22>1 - - - - - -")


def po_messages(path, limit):
    """The first `limit` messages of a catalog of core/po, as their text."""
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    return [b for b in blocks[1:] if "msgctxt" in b][:limit]


def catalog_corpus():
    c = Corpus("catalog")
    header = 'msgid ""\nmsgstr ""\n"Language: %s\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    po = os.path.join(ROOT, "core", "po")
    for tag in ("vi", "ko", "th", "tr", "fr"):
        messages = po_messages(os.path.join(po, tag + ".po"), 40)
        c.add("head of " + tag, ((header % tag) + "\n" + "\n\n".join(messages) + "\n").encode())
    # the templates and an entry's texts, in Korean
    with open(os.path.join(po, "ko.po"), encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    wanted = [b for b in blocks if "template " in b or 'msgctxt "421 ' in b]
    c.add("ko templates", ((header % "ko") + "\n" + "\n\n".join(wanted) + "\n").encode())
    one = 'msgctxt "421 name"\nmsgid "Service Not Available"\nmsgstr "%s"\n'
    cases = {
        "one message": (header % "vi") + "\n" + one % "Dịch vụ",
        "fuzzy": (header % "vi") + "\n#, fuzzy\n" + one % "Dịch vụ",
        "stale msgid": (header % "vi") + '\nmsgctxt "421 name"\nmsgid "Old"\nmsgstr "Cũ"\n',
        "continued strings": (header % "vi") + '\nmsgctxt "421 "\n"name"\nmsgid ""\n'
                             '"Service Not "\n"Available"\nmsgstr "A\\n"\n"B"\n',
        "template placeholders": (header % "vi") + '\nmsgctxt "template title"\n'
                                 'msgid "SMTP {a} {a_name} vs {b} {b_name}"\n'
                                 'msgstr "{b} {a} {a_name|capital} {b_name|sentence}"\n',
        "template wrong placeholder": (header % "vi") + '\nmsgctxt "template title"\n'
                                      'msgid "SMTP {a} {a_name} vs {b} {b_name}"\n'
                                      'msgstr "{a} {c}"\n',
        "no header": one % "x",
        "english": (header % "en") + "\n" + one % "x",
        "unknown language": (header % "xx") + "\n" + one % "x",
        "unknown context": (header % "vi") + '\nmsgctxt "999 name"\nmsgid "x"\nmsgstr "y"\n',
        "plural": (header % "vi") + '\nmsgid "a"\nmsgid_plural "b"\nmsgstr[0] "c"\n',
        "bad escape": (header % "vi") + '\nmsgctxt "421 name"\nmsgid "\\q"\nmsgstr ""\n',
        "unterminated": (header % "vi") + '\nmsgctxt "421 name\n',
        "obsolete": (header % "vi") + '\n#~ msgctxt "421 name"\n#~ msgid "x"\n#~ msgstr "y"\n',
        "crlf": ((header % "vi") + "\n" + one % "Dịch vụ").replace("\n", "\r\n"),
    }
    for name, text in cases.items():
        c.add(name, text.encode())
    c.add("invalid utf-8", (header % "vi").encode() + b'\nmsgctxt "421 name"\nmsgid "\xff"\n')
    c.add("nul", (header % "vi").encode() + b'\n\0')


def main():
    load_corpus()
    catalog_corpus()
    reply_corpus()
    scan_corpus()
    merge_corpus()
    render_corpus()
    build_corpus()
    bounce_corpus()
    loglines_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main())
