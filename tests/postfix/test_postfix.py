#!/usr/bin/env python3
"""A real Postfix on 127.0.0.1 provokes real replies; smtpcodes parses them.

Usage: test_postfix.py --cli SMTPCODES --scratch DIR [--python PYTHON] [--lua LUA]

Starts Debian's Postfix with a configuration written into DIR (no systemd: `postfix -c DIR
start`), drives SMTP conversations with smtplib that provoke 220, 221, 250 (multi-line EHLO),
354, 500, 501, 502, 503, 504, 550 5.1.1 and 554 5.7.1, feeds the raw bytes of every reply to the
parser through the CLI, through Python (PYTHON must import smtpcodes) and through Lua (LUA must
require "smtpcodes"; LUA_PATH and LUA_CPATH come from the environment), checks the results,
scans Postfix's own log with `smtpcodes scan`, has Postfix bounce a message to an unknown local
user into a Maildir and reads that DSN with `smtpcodes bounce`, Python and Lua, and stops
Postfix whatever happens.
Needs root and the postfix package. Ends with a line "N passed, N failed".
"""
import argparse
import json
import os
import pwd
import shutil
import smtplib
import socket
import subprocess
import sys
import time
import traceback

MASTER_CF = """\
{listen} inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
smtp      unix  -       -       n       -       -       smtp
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {dir}/queue
data_directory = {dir}/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = smtpcodes.test
mydomain = smtpcodes.test
mydestination = smtpcodes.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 192.0.2.0/24
smtpd_banner = $myhostname ESMTP smtpcodes test server
maillog_file = {dir}/log/postfix.log
maillog_file_prefixes = {dir}
smtpd_helo_required = yes
smtpd_helo_restrictions = reject_non_fqdn_helo_hostname
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
alias_maps =
alias_database =
local_recipient_maps = proxy:unix:passwd.byname
local_transport = discard
default_transport = error:this test server sends no mail
biff = no
disable_vrfy_command = yes
# A message submitted with sendmail(1) to an unknown local user goes to local(8), which bounces
# it; Postfix's DSN goes to the sender's Maildir, a virtual mailbox under {dir}/mail.
transport_maps = inline:{{ {{nosuchuser@smtpcodes.test = local:}} }}
virtual_mailbox_domains = mbox.test
virtual_mailbox_base = {dir}/mail
virtual_mailbox_maps = inline:{{ {{sender@mbox.test = sender/}} }}
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postfix:
    """A private Postfix instance; its configuration and queue live in one directory."""

    def __init__(self, scratch):
        self.dir = os.path.join(os.path.abspath(scratch), "postfix")
        self.port = free_port()

    def postfix(self, *args):
        return subprocess.run(["postfix", "-c", self.dir, *args], capture_output=True,
                              text=True, timeout=120)

    def allow_config_directory(self):
        """Postfix runs a private configuration only if the default main.cf lists it."""
        default = "/etc/postfix/main.cf"
        if not os.path.exists(default):  # installed as "No configuration"
            with open(default, "w") as f:
                f.write("# Written by the smtpcodes Postfix test.\ncompatibility_level = 3.6\n")
        listed = subprocess.run(["postconf", "-h", "alternate_config_directories"],
                                capture_output=True, text=True).stdout.strip()
        if self.dir not in listed.replace(",", " ").split():
            subprocess.run(["postconf", "-e",
                            f"alternate_config_directories = {listed} {self.dir}".strip()],
                           check=True, capture_output=True)

    def start(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        for sub in ("queue", "data", "log", "mail"):
            os.makedirs(os.path.join(self.dir, sub))
        postfix_user = pwd.getpwnam("postfix")
        for sub in ("data", "mail"):
            os.chown(os.path.join(self.dir, sub), postfix_user.pw_uid, postfix_user.pw_gid)
        with open(os.path.join(self.dir, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(dir=self.dir, uid=postfix_user.pw_uid,
                                   gid=postfix_user.pw_gid))
        with open(os.path.join(self.dir, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(listen=f"127.0.0.1:{self.port}"))
        self.allow_config_directory()
        for step in ("check", "start"):
            proc = self.postfix(step)
            if proc.returncode != 0:
                raise RuntimeError(f"postfix {step} failed: {proc.stdout}{proc.stderr}")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"postfix does not listen on 127.0.0.1:{self.port}")

    def stop(self):
        self.postfix("stop")

    def bounce_to_maildir(self):
        """Submits a message to an unknown local user with sendmail(1) and waits for the DSN
        Postfix returns to the sender; returns the sender's Maildir."""
        message = (b"From: sender@mbox.test\nTo: nosuchuser@smtpcodes.test\n"
                   b"Subject: to nobody\nMessage-ID: <bounce-test.1@mbox.test>\n\n"
                   b"This message goes to a user who does not exist.\n")
        subprocess.run(["sendmail", "-C", self.dir, "-f", "sender@mbox.test",
                        "nosuchuser@smtpcodes.test"], input=message, check=True, timeout=60)
        maildir = os.path.join(self.dir, "mail", "sender")
        deadline = time.time() + 60
        while time.time() < deadline:
            new = os.path.join(maildir, "new")
            if os.path.isdir(new) and os.listdir(new):
                return maildir
            self.postfix("flush")
            time.sleep(0.5)
        raise RuntimeError("no DSN arrived in %s; the log:\n%s" % (
            maildir, self.log().decode("utf-8", "replace")[-3000:]))

    def log(self):
        path = os.path.join(self.dir, "log", "postfix.log")
        deadline = time.time() + 10
        while time.time() < deadline and not os.path.exists(path):
            time.sleep(0.2)
        with open(path, "rb") as f:
            return f.read()


class RecordingSMTP(smtplib.SMTP):
    """smtplib's client, keeping the raw bytes of every reply it reads."""

    def __init__(self, *args, **kwargs):
        self.raw_replies = []
        super().__init__(*args, **kwargs)

    def getreply(self):
        if self.file is None:
            self.file = self.sock.makefile("rb")
        recorder = self.file
        chunks = []

        class Tee:
            def readline(self, size=-1):
                line = recorder.readline(size)
                chunks.append(line)
                return line

        self.file = Tee()
        try:
            reply = super().getreply()
        finally:
            self.file = recorder
        self.raw_replies.append((reply[0], b"".join(chunks)))
        return reply


def converse(port):
    """Runs the conversations; returns [(what, expected code, expected enhanced, raw reply)]."""
    seen = []

    def expect(what, code, enhanced, smtp):
        got, raw = smtp.raw_replies[-1]
        assert got == code, f"{what}: Postfix said {raw!r}, expected {code}"
        seen.append((what, code, enhanced, raw))

    s = RecordingSMTP("127.0.0.1", port, local_hostname="client.smtpcodes.test", timeout=30)
    expect("greeting", 220, "", s)
    s.ehlo("client.smtpcodes.test")
    expect("EHLO (multi-line)", 250, "", s)
    assert s.raw_replies[-1][1].count(b"\n") > 2, "EHLO reply should be multi-line"
    s.docmd("")
    expect("empty command", 500, "5.5.2", s)
    s.docmd("FROBNICATE")
    expect("unknown command", 500, "5.5.2", s)
    s.docmd("VRFY", "root")
    expect("disabled command", 502, "5.5.1", s)
    s.docmd("RCPT", "TO:<root@smtpcodes.test>")
    expect("RCPT before MAIL", 503, "5.5.1", s)
    s.docmd("MAIL", "FROM:<bad address")
    expect("bad sender syntax", 501, "5.1.7", s)
    s.docmd("MAIL", "FROM:<sender@client.smtpcodes.test>")
    expect("MAIL", 250, "2.1.0", s)
    s.docmd("RCPT", "TO:<no-such-user-smtpcodes@smtpcodes.test>")
    expect("unknown local user", 550, "5.1.1", s)
    s.docmd("RCPT", "TO:<someone@example.org>")
    expect("relay attempt", 554, "5.7.1", s)
    s.docmd("RCPT", "TO:<root@smtpcodes.test>")
    expect("RCPT", 250, "2.1.5", s)
    s.docmd("DATA")
    expect("DATA", 354, "", s)
    s.send(b"Subject: smtpcodes test\r\n\r\nHello.\r\n.\r\n")
    s.getreply()
    expect("end of data", 250, "2.0.0", s)
    s.docmd("QUIT")
    expect("QUIT", 221, "2.0.0", s)
    s.close()

    s = RecordingSMTP("127.0.0.1", port, local_hostname="nodots", timeout=30)
    s.helo("nodots")
    s.docmd("MAIL", "FROM:<sender@client.smtpcodes.test>")
    s.docmd("RCPT", "TO:<root@smtpcodes.test>")
    expect("HELO name not fully qualified", 504, "5.5.2", s)
    s.quit()
    return seen


def check_cli(cli, seen):
    for what, code, enhanced, raw in seen:
        proc = subprocess.run([cli, "parse", "--format", "json"], input=raw, capture_output=True,
                              timeout=30)
        assert proc.returncode == 0, (what, proc.stderr)
        reply = json.loads(proc.stdout.splitlines()[0])
        assert reply["code"] == str(code) and reply["enhanced"] == enhanced, (what, reply)
        assert reply["lines"], what
        assert reply["action"] == {2: "done", 3: "continue", 4: "retry", 5: "give-up"}[code // 100]


PYTHON_CHECK = r"""
import json, sys, smtpcodes
ACTIONS = {2: "done", 3: "continue", 4: "retry", 5: "give-up"}
cases = json.load(sys.stdin)
wire, expected = [], []
for what, code, enhanced, raw in cases:
    raw = raw.encode("latin-1")
    reply = smtpcodes.parse_reply(raw)
    assert reply.code == code, (what, reply.code)
    assert reply.enhanced == (enhanced or None), (what, reply.enhanced)
    assert len(reply.lines) >= 1 and reply.consumed == len(raw), what
    assert reply.action == ACTIONS[code // 100], (what, reply.action)
    assert reply.entry is not None and reply.entry.code == str(code), what
    assert smtpcodes.classify(reply) == reply.verdict, what
    # What smtplib hands over for the same reply classifies the same.
    message = b"\n".join(line[4:].strip(b" \t\r\n") for line in raw.split(b"\n") if line)
    assert smtpcodes.classify((code, message)).action == reply.action, what
    wire.append(raw)
    expected.append(reply)
# The whole conversation through the stream parser, in pieces of 5 bytes, gives the same replies.
data = b"".join(wire)
parser = smtpcodes.ReplyParser()
got = []
for at in range(0, len(data), 5):
    got += parser.feed(data[at:at + 5])
got += parser.close()
assert got == expected, (len(got), len(expected))
print(len(cases))
"""

PYTHON_SCAN = r"""
import json, sys, smtpcodes
summary = smtpcodes.scan(sys.stdin.buffer)
found = {(row.code, row.enhanced): row for row in summary}
for wanted in ((550, "5.1.1"), (554, "5.7.1"), (504, "5.5.2")):
    assert wanted in found, (wanted, summary)
    assert found[wanted].action == "give-up" and found[wanted].count >= 1, wanted
print(json.dumps(summary.to_dict()))
"""

LUA_CHECK = r"""
local smtpcodes = require "smtpcodes"
local ACTIONS = { "done", "continue", "retry", "give-up" }
local n, expected, wire = 0, {}, {}
for line in io.lines() do
  local code, enhanced, hex = line:match("^(%d+)\t(%S*)\t(%x*)$")
  local raw = hex:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end)
  local reply, consumed = smtpcodes.parse_reply(raw)  -- or nil, message
  assert(reply, consumed)
  assert(reply.code == tonumber(code), line)
  assert((reply.enhanced or "") == enhanced, line)
  assert(#reply.lines >= 1 and consumed == #raw, line)
  assert(reply.action == ACTIONS[reply.class - 1], line)
  assert(smtpcodes.classify(reply).action == reply.action, line)
  n = n + 1
  expected[n], wire[n] = reply, raw
end
-- The whole conversation through the stream parser, in small chunks, gives the same replies.
local data, p, got = table.concat(wire), smtpcodes.reply_parser(), {}
for at = 1, #data, 5 do
  for _, r in ipairs(assert(p:feed(data:sub(at, at + 4)))) do got[#got + 1] = r end
end
assert(#assert(p:finish()) == 0, "nothing left at the end")
assert(#got == n, "stream: " .. #got .. " replies")
for i = 1, n do
  assert(got[i].code == expected[i].code and got[i].enhanced == expected[i].enhanced
         and table.concat(got[i].lines, "\n") == expected[i].text, "stream reply " .. i)
end
print(n)
"""

LUA_SCAN = r"""
local smtpcodes = require "smtpcodes"
local summary = assert(smtpcodes.scan(io.stdin))
local found = {}
for _, row in ipairs(summary.rows) do found[(row.code or 0) .. " " .. (row.enhanced or "")] = row end
for _, wanted in ipairs({ "550 5.1.1", "554 5.7.1", "504 5.5.2" }) do
  assert(found[wanted], wanted .. " in the summary")
  assert(found[wanted].action == "give-up" and found[wanted].count >= 1, wanted)
end
assert(summary.lines > 0 and summary.replies >= 3, "counts")
print(summary.replies)
"""


def check_python(python, seen):
    cases = [(w, c, e, raw.decode("latin-1")) for w, c, e, raw in seen]
    proc = subprocess.run([python, "-c", PYTHON_CHECK], input=json.dumps(cases).encode(),
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert int(proc.stdout) == len(seen)


def check_python_scan(python, cli, log):
    """smtpcodes.scan of Postfix's log from Python gives what `smtpcodes scan` gives."""
    proc = subprocess.run([python, "-c", PYTHON_SCAN], input=log, capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    cli_summary = json.loads(subprocess.run([cli, "scan", "--format", "json"], input=log,
                                            capture_output=True, timeout=60).stdout)
    assert json.loads(proc.stdout) == cli_summary, (proc.stdout, cli_summary)


def check_lua(lua, seen):
    lines = "".join(f"{c}\t{e}\t{raw.hex()}\n" for _, c, e, raw in seen)
    proc = subprocess.run([lua, "-e", LUA_CHECK], input=lines.encode(), capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert int(proc.stdout) == len(seen)


def check_lua_scan(lua, cli, log):
    """smtpcodes.scan of Postfix's log from Lua counts what `smtpcodes scan` counts."""
    proc = subprocess.run([lua, "-e", LUA_SCAN], input=log, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    cli_summary = json.loads(subprocess.run([cli, "scan", "--format", "json"], input=log,
                                            capture_output=True, timeout=60).stdout)
    assert int(proc.stdout) == cli_summary["replies"], (proc.stdout, cli_summary)


def check_scan(cli, log):
    proc = subprocess.run([cli, "scan", "--format", "json"], input=log, capture_output=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    found = {(r["code"], r["enhanced"]) for r in summary["rows"]}
    for wanted in (("550", "5.1.1"), ("554", "5.7.1"), ("504", "5.5.2")):  # codes as strings
        assert wanted in found, (wanted, summary)
    assert summary["lines"] > 0 and summary["replies"] >= 3


PYTHON_BOUNCE = r"""
import json, os, sys
import smtpcodes
maildir = sys.argv[1]
records = []
for name in sorted(os.listdir(os.path.join(maildir, "new"))):
    with open(os.path.join(maildir, "new", name), "rb") as f:
        records += [r.to_dict() for r in smtpcodes.parse_bounce(f.read())]
print(json.dumps(records))
"""

LUA_BOUNCE = r"""
local smtpcodes = require "smtpcodes"
local data = io.read("a")
local records = assert(smtpcodes.parse_bounce(data))
assert(#records == 1, "one record")
local r = records[1]
print(r.recipient, r.action, r.enhanced, r.reason, tostring(r.hard), r.message_id)
"""


def check_bounce(cli, python, lua, maildir):
    """Postfix's own DSN for an unknown local user, read from the Maildir it was delivered to,
    by the CLI, Python and Lua alike."""
    proc = subprocess.run([cli, "bounce", "--format", "json", maildir], capture_output=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert len(records) == 1, records
    r = records[0]
    assert r["kind"] == "dsn" and r["recipient"] == "nosuchuser@smtpcodes.test", r
    assert r["action"] == "failed" and r["enhanced"] == "5.1.1", r
    assert r["reason"] == "userunknown" and r["hard"] is True, r
    assert r["message_id"] == "bounce-test.1@mbox.test", r
    assert r["queue_id"] and r["reporting_mta"] == "smtpcodes.test", r
    assert os.path.dirname(os.path.dirname(r["file"])) == maildir, r["file"]
    without_file = {k: v for k, v in r.items() if k != "file"}
    if python:
        out = subprocess.run([python, "-c", PYTHON_BOUNCE, maildir], capture_output=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr.decode()
        assert json.loads(out.stdout) == [without_file]
    if lua:
        path = os.path.join(maildir, "new", os.listdir(os.path.join(maildir, "new"))[0])
        with open(path, "rb") as f:
            out = subprocess.run([lua, "-e", LUA_BOUNCE], input=f.read(), capture_output=True,
                                 timeout=120)
        assert out.returncode == 0, out.stderr.decode()
        assert out.stdout.decode().split("\t") == [
            "nosuchuser@smtpcodes.test", "failed", "5.1.1", "userunknown", "true",
            "bounce-test.1@mbox.test\n"], out.stdout


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--cli", required=True)
    args.add_argument("--scratch", required=True)
    args.add_argument("--python")
    args.add_argument("--lua")
    opts = args.parse_args()
    results = []
    postfix = Postfix(opts.scratch)
    try:
        postfix.start()
        seen = converse(postfix.port)
        print(f"Postfix gave {len(seen)} replies: " + " ".join(str(c) for _, c, _, _ in seen))
        checks = [("cli", lambda: check_cli(opts.cli, seen))]
        if opts.python:
            checks.append(("python", lambda: check_python(opts.python, seen)))
            checks.append(("python scan",
                           lambda: check_python_scan(opts.python, opts.cli, postfix.log())))
        if opts.lua:
            checks.append(("lua", lambda: check_lua(opts.lua, seen)))
            checks.append(("lua scan", lambda: check_lua_scan(opts.lua, opts.cli, postfix.log())))
        checks.append(("scan", lambda: check_scan(opts.cli, postfix.log())))
        checks.append(("bounce", lambda: check_bounce(opts.cli, opts.python, opts.lua,
                                                      postfix.bounce_to_maildir())))
        for name, check in checks:
            try:
                check()
                results.append((name, None))
            except Exception:
                results.append((name, traceback.format_exc()))
    except Exception:
        results.append(("postfix", traceback.format_exc()))
    finally:
        postfix.stop()
    failed = [name for name, error in results if error]
    for name, error in results:
        print(f"{'FAIL' if error else 'ok  '} {name}")
        if error:
            print(error)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
