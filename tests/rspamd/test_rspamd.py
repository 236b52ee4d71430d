#!/usr/bin/env python3
"""A real rspamd loads the smtpcodes rule of examples/rspamd/ and marks the bounces it scans.

Usage: test_rspamd.py --module-dir DIR --lua-dir DIR --examples DIR --vectors DIR
                      --scratch DIR --version VERSION [--rspamd P] [--rspamc P] [--rspamadm P]

Debian's rspamd (3.4, LuaJIT) runs in the foreground on 127.0.0.1 with a private local
configuration directory written into SCRATCH/conf: the normal worker and the controller on
free ports, no proxy, console logging; rspamd.local.lua and smtpcodes_bounce.lua are the files of
examples/rspamd/, as a postmaster installs them, and the paths of the LuaJIT build of the module
(DIR/smtpcodes_core.so, built against LuaJIT, and the facade DIR/smtpcodes.lua) are passed as
the variables SMTPCODES_LUA_CPATH and SMTPCODES_LUA_PATH. `rspamadm configtest` checks the
configuration first. Every message of MESSAGES is scanned with `rspamc --json symbols`: a
bounce gets the symbol SMTPCODES_BOUNCE, score 0, with one option RECIPIENT:REASON:ENHANCED:FORMAT[:PROVIDER]
per row of the expected.tsv beside it; a message that is no bounce gets no symbol. A message
past the reader's limits gets no symbol and a line in the log, and rspamd goes on.

RUNDIR and LOGDIR are a temporary directory; DBDIR is SCRATCH/db, kept between runs: rspamd
writes its compiled hyperscan databases there (the TLD list takes ~10 s the first time).
rspamd is stopped whatever happens, and an rspamd left by an earlier run of this test (killed
before it could stop it: SCRATCH/rspamd.pid names its process group) is stopped first. Needs
the rspamd package; run as root (rspamd -i lets the workers run as the user that starts it).
Ends with a line "N passed, N failed".
"""
import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# The messages scanned, relative to --vectors (tests/vectors/bounces). The records each one
# must give are the rows of the expected.tsv in its directory (see tests/vectors/README.md),
# so a message of another directory with its own expected.tsv is added here and nowhere else.
MESSAGES = [
    "postfix-two-recipients.eml",               # Postfix DSN, two recipients
    "postfix-three-recipients.eml",             # Postfix DSN, three reasons
    "postfix-gmail-nosuchuser-multiline.eml",   # Gmail's multi-line 550 5.1.1 in a Postfix DSN
    "exim-userunknown.eml",                     # Exim DSN (Status 5.0.0)
    "sendmail-userunknown.eml",                 # Sendmail DSN
    "exchange-recipient-not-found-5.1.10.eml",  # Exchange DSN, quoted-printable
    "global-dsn-utf8-address.eml",              # RFC 6533 global DSN, a UTF-8 address
    "dsn-base64-delivery-status.eml",           # the delivery-status part in base64
    "arf-abuse.eml",                            # RFC 5965 feedback report
    "autoreply-sieve-vacation.eml",             # RFC 3834 automatic reply
    "not-bounce-letter-about-a-bounce.eml",     # no bounce: a letter quoting one
    "qmail-plain-text-bounce.eml",              # qmail's own format, no report part
    "exim-text-two-recipients.eml",             # Exim without DSN
    "yahoo-remote-host-said-two-recipients.eml",  # Yahoo's own format
    "office365-access-denied-5.4.1-crlf.eml",   # Microsoft 365 DSN: the provider's meaning
    "gmx-userunknown-gmail.eml",                # GMX's format, a Gmail recipient
]

SYMBOL = "SMTPCODES_BOUNCE"
# rspamd's main configuration file; everything private comes through LOCAL_CONFDIR.
RSPAMD_CONF = "/etc/rspamd/rspamd.conf"
READY_TIMEOUT = 90

failures = []
passes = 0


def check(ok, message, detail=""):
    global passes
    print(("ok   " if ok else "FAIL ") + message, flush=True)
    if ok:
        passes += 1
    else:
        failures.append(message)
        if detail:
            print("     " + str(detail).replace("\n", "\n     "), flush=True)
    return ok


def free_port(taken=()):
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in taken:
            return port


def expected_records(vectors, name):
    """The rows of the expected.tsv beside `name` for that file: [(recipient, reason,
    enhanced, format, provider)], "-" for an empty cell; [] for an unrecognised message."""
    path = os.path.join(vectors, os.path.dirname(name), "expected.tsv")
    base = os.path.basename(name)
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    rows = []
    for row in csv.DictReader(lines, delimiter="\t"):
        if row["file"] == base and row["kind"] != "unrecognised":
            rows.append((row["recipient"], row["reason"], row["enhanced"], row["format"],
                         row["provider"]))
    return rows


def option_matches(option, record):
    """An option is RECIPIENT:REASON:ENHANCED:FORMAT, and ":PROVIDER" when the record names
    the provider whose server gave the diagnostic."""
    provider = record[4]
    return option == ":".join(record[:4] if provider == "-" else record)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Rspamd:
    """A private rspamd: its local configuration in SCRATCH/conf, its caches in SCRATCH/db,
    its run and log directories in a temporary directory."""

    def __init__(self, args):
        self.args = args
        self.scratch = os.path.abspath(args.scratch)
        self.conf = os.path.join(self.scratch, "conf")
        self.db = os.path.join(self.scratch, "db")
        self.pid_file = os.path.join(self.scratch, "rspamd.pid")
        self.temp = None
        self.log_path = None
        self.process = None
        self.port = free_port()
        self.controller_port = free_port({self.port})

    def variables(self):
        return ["--var=LOCAL_CONFDIR=" + self.conf,
                "--var=RUNDIR=" + os.path.join(self.temp, "run"),
                "--var=DBDIR=" + self.db,
                "--var=LOGDIR=" + os.path.join(self.temp, "log"),
                "--var=SMTPCODES_LUA_CPATH=" + os.path.join(self.args.module_dir, "?.so"),
                "--var=SMTPCODES_LUA_PATH=" + os.path.join(self.args.lua_dir, "?.lua")]

    @staticmethod
    def start_time(pid):
        """The start time of process `pid` (/proc/PID/stat, field 22), or None: with the pid,
        it names one process, even after the pid is reused."""
        try:
            with open("/proc/%d/stat" % pid) as f:
                return f.read().rsplit(")", 1)[1].split()[19]
        except (OSError, IndexError):
            return None

    def stop_stray(self):
        """Stops the rspamd an earlier run of this test left (its process group), if any, and
        removes its temporary directory. The pid file holds its pid, its start time (rspamd
        rewrites its command line, which cannot tell it from another rspamd) and the directory."""
        try:
            with open(self.pid_file) as f:
                pid, started, temp = f.read().split("\n")[0].split(" ", 2)
            pid = int(pid)
        except (OSError, ValueError):
            return
        if self.start_time(pid) == started:
            print("stopping rspamd %d, left by an earlier run" % pid)
            self.kill_group(pid)
        if os.path.basename(temp).startswith("smtpcodes-rspamd."):
            shutil.rmtree(temp, ignore_errors=True)
        os.unlink(self.pid_file)

    @staticmethod
    def kill_group(pgid, process=None, grace=10):
        """SIGTERM to the process group, SIGKILL to what is left of it after `grace` seconds.
        `process`, the group's leader when it is our child, is reaped on the way: a zombie
        would keep the group alive."""
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.time() + grace
        while time.time() < deadline:
            if process is not None:
                process.poll()
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if process is not None:
            process.wait()

    def write_config(self):
        shutil.rmtree(self.conf, ignore_errors=True)
        os.makedirs(self.db, exist_ok=True)
        self.temp = tempfile.mkdtemp(prefix="smtpcodes-rspamd.")
        for sub in ("run", "log"):
            os.makedirs(os.path.join(self.temp, sub))
        self.log_path = os.path.join(self.temp, "log", "rspamd.log")
        override = os.path.join(self.conf, "override.d")
        write(os.path.join(override, "worker-normal.inc"),
              'bind_socket = "127.0.0.1:%d";\ncount = 1;\n' % self.port)
        write(os.path.join(override, "worker-controller.inc"),
              'bind_socket = "127.0.0.1:%d";\ncount = 1;\n' % self.controller_port)
        write(os.path.join(override, "worker-proxy.inc"), "count = -1;\n")
        write(os.path.join(override, "worker-fuzzy.inc"), "count = -1;\n")
        write(os.path.join(override, "logging.inc"),
              'type = "console";\nlevel = "info";\ncolor = false;\n')
        # Regular expressions through PCRE: no hyperscan database to compile before the first
        # scan (~6 s). The control socket in the short temporary path, not in DBDIR.
        write(os.path.join(self.conf, "local.d", "options.inc"),
              'disable_hyperscan = true;\ncontrol_socket = "%s mode=0600";\n'
              % os.path.join(self.temp, "run", "rspamd.sock"))
        # The files of examples/rspamd/, where a postmaster puts them.
        for name in ("rspamd.local.lua", "smtpcodes_bounce.lua"):
            shutil.copy(os.path.join(self.args.examples, name), os.path.join(self.conf, name))

    def configtest(self):
        return subprocess.run([self.args.rspamadm, *self.variables(), "configtest",
                               "-c", RSPAMD_CONF],
                              capture_output=True, text=True, timeout=120)

    def start(self):
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [self.args.rspamd, "-f", "-i", "-c", RSPAMD_CONF, *self.variables()],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=self.temp)
        log.close()
        with open(self.pid_file, "w") as f:
            f.write("%d %s %s\n" % (self.process.pid, self.start_time(self.process.pid),
                                    self.temp))

    def wait_ready(self):
        """Waits until the normal worker answers /ping; returns the seconds it took."""
        started = time.time()
        url = "http://127.0.0.1:%d/ping" % self.port
        while time.time() - started < READY_TIMEOUT:
            if self.process.poll() is not None:
                raise RuntimeError("rspamd exited with status %d" % self.process.returncode)
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.read().strip() == b"pong":
                        return time.time() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("rspamd does not answer on 127.0.0.1:%d after %d s"
                           % (self.port, READY_TIMEOUT))

    def scan(self, path):
        """rspamc's JSON result for the message at `path`."""
        done = subprocess.run([self.args.rspamc, "-h", "127.0.0.1:%d" % self.port, "-t", "30",
                               "--json", "symbols", path],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError("rspamc failed (%d): %s%s" % (done.returncode, done.stdout,
                                                             done.stderr))
        return json.loads(done.stdout)

    def log(self):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self):
        if self.process is not None:
            self.kill_group(self.process.pid, self.process)
        if os.path.exists(self.pid_file):
            os.unlink(self.pid_file)

    def cleanup(self):
        if self.temp:
            shutil.rmtree(self.temp, ignore_errors=True)


def check_message(rspamd, vectors, name):
    path = os.path.join(vectors, name)
    expected = expected_records(vectors, name)
    try:
        result = rspamd.scan(path)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
        check(False, "%s: scanned" % name, e)
        return
    symbol = result.get("symbols", {}).get(SYMBOL)
    if not expected:
        check(symbol is None, "%s: no bounce, no %s" % (name, SYMBOL), symbol)
        return
    if not check(symbol is not None, "%s: %s" % (name, SYMBOL),
                 "symbols: %s" % " ".join(sorted(result.get("symbols", {})))):
        return
    options = symbol.get("options", [])
    print("     %s" % ", ".join(options))
    check(symbol.get("score") == 0, "%s: the symbol scores 0" % name, symbol.get("score"))
    unmatched = list(options)
    missing = []
    for record in expected:
        found = next((o for o in unmatched if option_matches(o, record)), None)
        if found is None:
            missing.append(":".join(record))
        else:
            unmatched.remove(found)
    check(not missing and not unmatched,
          "%s: one option per record (%d)" % (name, len(expected)),
          "expected, not seen: %s; seen, not expected: %s" % (missing, unmatched))


def run(args):
    rspamd = Rspamd(args)
    rspamd.stop_stray()
    rspamd.write_config()

    def on_signal(number, _frame):
        raise KeyboardInterrupt("signal %d" % number)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        done = rspamd.configtest()
        output = done.stdout + done.stderr
        if not check(done.returncode == 0 and "syntax OK" in output,
                     "rspamadm configtest of the private configuration",
                     "status %d: %s" % (done.returncode, output[-3000:])):
            return
        rspamd.start()
        try:
            took = rspamd.wait_ready()
        except RuntimeError as e:
            check(False, "rspamd starts", "%s\n%s" % (e, rspamd.log()[-4000:]))
            return
        check(True, "rspamd answers on 127.0.0.1:%d after %.1f s" % (rspamd.port, took))
        log = rspamd.log()
        check("smtpcodes %s: %s registered" % (args.version, SYMBOL) in log,
              "the rule loaded smtpcodes %s and registered %s" % (args.version, SYMBOL),
              "\n".join(line for line in log.splitlines() if "smtpcodes" in line)[-3000:])

        for name in MESSAGES:
            check_message(rspamd, args.vectors, name)

        # Past the reader's depth limit: parse_bounce returns nil, message; the rule logs it,
        # adds no symbol, and the scan goes on.
        deep = os.path.join(rspamd.temp, "too-deep.eml")
        with open(deep, "w") as f:
            f.write("Content-Type: message/rfc822\n\n" * 40 + "Subject: x\n\nbody\n")
        try:
            result = rspamd.scan(deep)
            check(SYMBOL not in result.get("symbols", {}),
                  "a message past the reader's limits: scanned, no %s" % SYMBOL,
                  result.get("symbols", {}).get(SYMBOL))
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
            check(False, "a message past the reader's limits is scanned", e)
        time.sleep(0.2)
        log = rspamd.log()
        check("smtpcodes: cannot read the message: MIME parts nested more than" in log,
              "the rule logged why it could not read that message",
              "\n".join(line for line in log.splitlines() if "smtpcodes" in line)[-3000:])
        errors = [line for line in log.splitlines()
                  if SYMBOL in line and "failed" in line and "call to" in line]
        check(not errors, "the rule raised no Lua error in rspamd", "\n".join(errors[:5]))
        check(rspamd.process.poll() is None, "rspamd still runs after the scans")
    finally:
        started = time.time()
        rspamd.stop()
        print("rspamd stopped in %.1f s" % (time.time() - started))
        if failures:
            print("--- the end of rspamd's log")
            print(rspamd.log()[-6000:])
        rspamd.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rspamd", default="rspamd")
    parser.add_argument("--rspamc", default="rspamc")
    parser.add_argument("--rspamadm", default="rspamadm")
    parser.add_argument("--module-dir", required=True,
                        help="the directory of smtpcodes_core.so built against LuaJIT")
    parser.add_argument("--lua-dir", required=True, help="the directory of smtpcodes.lua")
    parser.add_argument("--examples", required=True, help="examples/rspamd")
    parser.add_argument("--vectors", required=True, help="tests/vectors/bounces")
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--version", required=True, help="the version the module must report")
    args = parser.parse_args()
    # rspamd reads the paths from its own working directory.
    for name in ("module_dir", "lua_dir", "examples", "vectors", "scratch"):
        setattr(args, name, os.path.abspath(getattr(args, name)))

    missing = [tool for tool in (args.rspamd, args.rspamc, args.rspamadm)
               if shutil.which(tool) is None]
    if missing:
        print("test_rspamd: %s not found: apt-get install rspamd (sh .ci/deps test)"
              % ", ".join(missing), file=sys.stderr)
        return 1
    module = os.path.join(args.module_dir, "smtpcodes_core.so")
    if not os.path.exists(module):
        print("test_rspamd: no LuaJIT build of the module at %s" % module, file=sys.stderr)
        return 1
    started = time.time()
    try:
        run(args)
    except KeyboardInterrupt as e:
        check(False, "interrupted (%s)" % e)
    print("took %.1f s" % (time.time() - started))
    print("%d passed, %d failed" % (passes, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
